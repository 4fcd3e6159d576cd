/*
 * collection.c - Map, Set (with the set methods), WeakMap, WeakSet,
 * Map.groupBy, %MapIteratorPrototype% and %SetIteratorPrototype%.
 * Tables are insertion-ordered hash tables in internal cells; WeakMap/WeakSet
 * are ephemerons through jsgc_register_weak. Must not touch other modules'
 * objects or the collector's mark bits except through gc.h.
 */
#include <stdlib.h>
#include <math.h>
#include "builtins.h"
#include "../core/string.h"
#include "../core/bigint.h"

/*
 * Table. Entries are appended in insertion order; a deleted entry keeps its
 * slot with key = JSV_HOLE until the next rehash. A rehash or clear builds a
 * new table and leaves the old one behind as "obsolete": it points to the new
 * one and remembers which indexes it dropped, so that live iterators holding
 * the old table can translate their position (the scheme of V8's
 * OrderedHashTable). Iterators keep the old table alive; nothing else does.
 */
#define NIL 0xFFFFFFFFu
#define MIN_CAP 8

typedef struct mentry { jsv key, value; uint32_t chain; } mentry;

typedef struct mtable {
    js_internal base;
    mentry *entries;
    uint32_t *buckets;
    uint32_t cap, used, live, nbuckets;
    struct mtable *next;     /* newer table once this one is obsolete */
    uint32_t *removed;       /* obsolete: ascending indexes dropped by the rehash */
    uint32_t nremoved;
    uint8_t cleared;         /* obsolete through clear(): positions restart at 0 */
    uint8_t weak;            /* entries are not traced (WeakMap / WeakSet) */
} mtable;

static void mtable_trace(js_gc_tracer *trc, void *cell)
{
    mtable *m = cell;
    if (!m->weak && m->entries) {
        for (uint32_t i = 0; i < m->used; i++) {
            if (m->entries[i].key == JSV_HOLE) continue;
            jsgc_mark_value(trc, m->entries[i].key);
            jsgc_mark_value(trc, m->entries[i].value);
        }
    }
    jsgc_mark_cell(trc, m->next);
}

static void mtable_free_storage(js_runtime *rt, mtable *m)
{
    if (m->entries) jsgc_free(rt, m->entries, m->cap * sizeof(mentry));
    if (m->buckets) jsgc_free(rt, m->buckets, m->nbuckets * sizeof(uint32_t));
    m->entries = NULL;
    m->buckets = NULL;
}

static void mtable_finalize(js_runtime *rt, void *cell)
{
    mtable *m = cell;
    mtable_free_storage(rt, m);
    if (m->removed) jsgc_free(rt, m->removed, m->nremoved * sizeof(uint32_t));
    m->removed = NULL;
}

static const js_internal_ops mtable_ops = { "MapTable", mtable_trace, mtable_finalize };

static mtable *mtable_new(js_thread *t, uint32_t cap, int weak)
{
    mtable *m = jsgc_alloc(t, sizeof(mtable), JS_CELL_INTERNAL);
    if (!m) return NULL;
    m->base.ops = &mtable_ops;
    m->weak = (uint8_t)weak;
    m->entries = jsgc_malloc(t, cap * sizeof(mentry));
    if (!m->entries) return NULL;
    m->buckets = jsgc_malloc(t, (cap / 2) * sizeof(uint32_t));
    if (!m->buckets) return NULL;
    m->cap = cap;
    m->nbuckets = cap / 2;
    for (uint32_t i = 0; i < m->nbuckets; i++) m->buckets[i] = NIL;
    return m;
}

/* CanonicalizeKeyedCollectionKey plus number normalisation (1.0 and 1 are one key). */
static jsv canon_key(jsv k)
{
    if (jsv_is_double(k)) {
        double d = jsv_get_double(k);
        if (d == 0) return jsv_from_int(0);
        return jsv_number(d);
    }
    return k;
}

static uint32_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return (uint32_t)x;
}

static uint32_t hash_key(jsv k)
{
    if (jsv_is_string(k)) return jsstr_hash(JSV_STR(k));
    if (jsv_is_bigint(k)) return jsbig_hash(JSV_BIG(k));
    return mix(k);
}

static int keys_equal(jsv a, jsv b)
{
    if (a == b) return 1;
    if (jsv_is_string(a) && jsv_is_string(b)) return jsstr_equal(JSV_STR(a), JSV_STR(b));
    if (jsv_is_bigint(a) && jsv_is_bigint(b)) return jsbig_equal(JSV_BIG(a), JSV_BIG(b));
    return 0;
}

/* Index of key (canonical) or NIL. */
static uint32_t mtable_find(mtable *m, jsv key)
{
    uint32_t i = m->buckets[hash_key(key) & (m->nbuckets - 1)];
    while (i != NIL) {
        if (keys_equal(m->entries[i].key, key)) return i;
        i = m->entries[i].chain;
    }
    return NIL;
}

static void link_entry(mtable *m, uint32_t i)
{
    uint32_t b = hash_key(m->entries[i].key) & (m->nbuckets - 1);
    m->entries[i].chain = m->buckets[b];
    m->buckets[b] = i;
}

/* Rebuild `*slot` into a new table of capacity cap, dropping holes. */
static int mtable_rehash(js_thread *t, mtable **slot, uint32_t cap)
{
    mtable *old = *slot;
    mtable *m = mtable_new(t, cap, old->weak);
    if (!m) return -1;
    uint32_t nrem = old->used - old->live;
    uint32_t *rem = NULL;
    if (nrem) {
        rem = jsgc_malloc(t, nrem * sizeof(uint32_t));
        if (!rem) return -1;
    }
    uint32_t r = 0;
    for (uint32_t i = 0; i < old->used; i++) {
        mentry *e = &old->entries[i];
        if (e->key == JSV_HOLE) { rem[r++] = i; continue; }
        m->entries[m->used].key = e->key;
        m->entries[m->used].value = e->value;
        link_entry(m, m->used);
        m->used++;
    }
    m->live = m->used;
    old->next = m;
    old->removed = rem;
    old->nremoved = r;
    mtable_free_storage(t->rt, old);
    *slot = m;
    return 0;
}

/* Append (key canonical, not present). */
static int mtable_add(js_thread *t, mtable **slot, jsv key, jsv value)
{
    mtable *m = *slot;
    if (m->used == m->cap) {
        uint32_t cap = m->live >= m->cap / 2 ? m->cap * 2 : m->cap;
        if (cap < m->cap || cap > 0x40000000u) { jsvm_throw_range_error(t, "Map maximum size exceeded"); return -1; }
        if (mtable_rehash(t, slot, cap) < 0) return -1;
        m = *slot;
    }
    uint32_t i = m->used++;
    m->entries[i].key = key;
    m->entries[i].value = value;
    link_entry(m, i);
    m->live++;
    return 0;
}

static void unlink_entry(mtable *m, uint32_t i)
{
    uint32_t b = hash_key(m->entries[i].key) & (m->nbuckets - 1);
    uint32_t *p = &m->buckets[b];
    while (*p != NIL) {
        if (*p == i) { *p = m->entries[i].chain; return; }
        p = &m->entries[*p].chain;
    }
}

static int mtable_delete(mtable *m, jsv key)
{
    uint32_t i = mtable_find(m, key);
    if (i == NIL) return 0;
    unlink_entry(m, i);
    m->entries[i].key = JSV_HOLE;
    m->entries[i].value = JSV_UNDEFINED;
    m->live--;
    return 1;
}

static int mtable_clear(js_thread *t, mtable **slot)
{
    mtable *old = *slot;
    mtable *m = mtable_new(t, MIN_CAP, old->weak);
    if (!m) return -1;
    old->next = m;
    old->cleared = 1;
    mtable_free_storage(t->rt, old);
    *slot = m;
    return 0;
}

/* A position in a table that survives rehashes and clears. */
typedef struct cursor { mtable *tab; uint32_t idx; } cursor;

/* Advance to the next live entry: 1 and *e, or 0 at the end. */
static int cursor_next(cursor *c, mentry **e)
{
    while (c->tab->next) {
        mtable *m = c->tab;
        if (m->cleared) c->idx = 0;
        else {
            uint32_t k = 0;
            while (k < m->nremoved && m->removed[k] < c->idx) k++;
            c->idx -= k;
        }
        c->tab = m->next;
    }
    mtable *m = c->tab;
    while (c->idx < m->used && m->entries[c->idx].key == JSV_HOLE) c->idx++;
    if (c->idx >= m->used) return 0;
    *e = &m->entries[c->idx++];
    return 1;
}

/* ---- the collection objects ---- */

typedef struct js_collection {
    js_object base;
    mtable *table;
} js_collection;

static void collection_trace(js_gc_tracer *trc, js_object *o)
{
    jsgc_mark_cell(trc, ((js_collection *)o)->table);
}

const js_class_ops jsclass_map = { .name = "Map", .size = sizeof(js_collection), .trace = collection_trace };
const js_class_ops jsclass_set = { .name = "Set", .size = sizeof(js_collection), .trace = collection_trace };
const js_class_ops jsclass_weakmap = { .name = "WeakMap", .size = sizeof(js_collection), .trace = collection_trace };
const js_class_ops jsclass_weakset = { .name = "WeakSet", .size = sizeof(js_collection), .trace = collection_trace };

/* Ephemeron marking: a value is reachable only while its key is. */
static int weak_mark(js_gc_tracer *trc, void *cell)
{
    js_collection *c = cell;
    mtable *m = c->table;
    int n = 0;
    if (!m || !m->entries) return 0;
    for (uint32_t i = 0; i < m->used; i++) {
        mentry *e = &m->entries[i];
        if (e->key == JSV_HOLE) continue;
        if (jsgc_value_is_live(e->key) && !jsgc_value_is_live(e->value)) {
            jsgc_mark_value(trc, e->value);
            n++;
        }
    }
    return n;
}

static void weak_sweep(js_runtime *rt, void *cell)
{
    js_collection *c = cell;
    mtable *m = c->table;
    if (!m || !m->entries) return;
    for (uint32_t i = 0; i < m->used; i++) {
        mentry *e = &m->entries[i];
        if (e->key == JSV_HOLE || jsgc_value_is_live(e->key)) continue;
        unlink_entry(m, i);
        e->key = JSV_HOLE;
        e->value = JSV_UNDEFINED;
        m->live--;
    }
}

static const js_weak_ops weak_collection_ops = { weak_mark, weak_sweep, NULL };

static js_collection *this_coll(js_thread *t, jsv v, unsigned cls, const char *what)
{
    if (!jsv_is_object(v) || jsobj_class(JSV_OBJ(v)) != cls || !((js_collection *)JSV_OBJ(v))->table) {
        jsvm_throw_type_error(t, "%s called on an incompatible receiver", what);
        return NULL;
    }
    return (js_collection *)JSV_OBJ(v);
}

/* CanBeHeldWeakly */
static int can_be_held_weakly(jsv v)
{
    if (jsv_is_object(v)) return 1;
    if (jsv_is_symbol(v)) return !(JSV_SYM(v)->h.flags & 1);
    return 0;
}

static js_key akey(js_thread *t, int id) { return jskey_from_atom_id(t, id); }

/* ---- constructors ---- */

enum { K_MAP, K_SET, K_WEAKMAP, K_WEAKSET };
static const unsigned kind_class[] = { JS_CLASS_MAP, JS_CLASS_SET, JS_CLASS_WEAKMAP, JS_CLASS_WEAKSET };
static const int kind_proto[] = { JS_INTR_MapPrototype, JS_INTR_SetPrototype, JS_INTR_WeakMapPrototype, JS_INTR_WeakSetPrototype };
static const char *const kind_name[] = { "Map", "Set", "WeakMap", "WeakSet" };

static js_collection *collection_new(js_thread *t, jsv new_target, int kind)
{
    js_collection *c = (js_collection *)jsobj_new_from_ctor(t, new_target, kind_proto[kind], kind_class[kind]);
    if (!c) return NULL;
    int weak = kind >= K_WEAKMAP;
    mtable *m = mtable_new(t, MIN_CAP, weak);
    if (!m) return NULL;
    c->table = m;
    if (weak && jsgc_register_weak(t, c, &weak_collection_ops) < 0) return NULL;
    return c;
}

static jsv collection_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_throw_type_error(t, "Constructor %s requires 'new'", kind_name[magic]);
}

static jsv collection_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    if (jsv_is_undefined(new_target)) return collection_call(t, JSV_UNDEFINED, argc, argv, magic);
    js_collection *c = collection_new(t, new_target, magic);
    if (!c) return JSV_EXCEPTION;
    jsv self = jsv_object(c), iterable = JS_ARG(0);
    if (jsv_is_nullish(iterable)) return self;
    int is_map = magic == K_MAP || magic == K_WEAKMAP;
    jsv adder = jsobj_get(t, &c->base, akey(t, is_map ? JS_ATOM_set : JS_ATOM_add), self);
    if (adder == JSV_EXCEPTION) return JSV_EXCEPTION;
    if (!jsop_is_callable(adder))
        return jsvm_throw_type_error(t, "%s.prototype.%s is not a function", kind_name[magic], is_map ? "set" : "add");
    js_iter_record it;
    if (jsop_get_iterator(t, iterable, 0, &it) < 0) return JSV_EXCEPTION;
    for (;;) {
        jsv v;
        int r = jsop_iterator_step_value(t, &it, &v);
        if (r < 0) return JSV_EXCEPTION;
        if (r == 0) return self;
        jsv args[2] = { v, JSV_UNDEFINED };
        if (is_map) {
            if (!jsv_is_object(v)) {
                jsvm_throw_type_error(t, "Iterator value is not an entry object");
                jsop_iterator_close(t, &it, 1);
                return JSV_EXCEPTION;
            }
            args[0] = jsobj_get(t, JSV_OBJ(v), jskey_from_index(0), v);
            if (args[0] == JSV_EXCEPTION) { jsop_iterator_close(t, &it, 1); return JSV_EXCEPTION; }
            args[1] = jsobj_get(t, JSV_OBJ(v), jskey_from_index(1), v);
            if (args[1] == JSV_EXCEPTION) { jsop_iterator_close(t, &it, 1); return JSV_EXCEPTION; }
        }
        if (jsvm_call(t, adder, self, is_map ? 2 : 1, args) == JSV_EXCEPTION) {
            jsop_iterator_close(t, &it, 1);
            return JSV_EXCEPTION;
        }
    }
}

static jsv species_getter(js_thread *t, jsv this_val, int argc, jsv *argv, int magic) { return this_val; }

/* Map.groupBy(items, callback) */
static jsv map_group_by(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv items = JS_ARG(0), cb = JS_ARG(1);
    if (jsv_is_nullish(items)) return jsvm_throw_type_error(t, "Map.groupBy called on null or undefined");
    if (!jsop_is_callable(cb)) return jsvm_throw_type_error(t, "Map.groupBy: callback is not a function");
    js_collection *res = collection_new(t, JSV_UNDEFINED, K_MAP);
    if (!res) return JSV_EXCEPTION;
    js_iter_record it;
    if (jsop_get_iterator(t, items, 0, &it) < 0) return JSV_EXCEPTION;
    for (double k = 0;; k++) {
        jsv v;
        if (k >= 9007199254740991.0) {
            jsvm_throw_type_error(t, "too many elements");
            jsop_iterator_close(t, &it, 1);
            return JSV_EXCEPTION;
        }
        int r = jsop_iterator_step_value(t, &it, &v);
        if (r < 0) return JSV_EXCEPTION;
        if (r == 0) break;
        jsv args[2] = { v, jsv_number(k) };
        jsv key = jsvm_call(t, cb, JSV_UNDEFINED, 2, args);
        if (key == JSV_EXCEPTION) { jsop_iterator_close(t, &it, 1); return JSV_EXCEPTION; }
        key = canon_key(key);
        uint32_t i = mtable_find(res->table, key);
        js_object *group;
        if (i == NIL) {
            group = jsobj_new_array(t, 0);
            if (!group || mtable_add(t, &res->table, key, jsv_object(group)) < 0) return JSV_EXCEPTION;
        } else group = JSV_OBJ(res->table->entries[i].value);
        if (jsarray_push(t, group, v) < 0) return JSV_EXCEPTION;
    }
    return jsv_object(res);
}

/* ---- Map.prototype / WeakMap.prototype ---- */

/* magic: K_MAP or K_WEAKMAP */
static jsv map_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_collection *c = this_coll(t, this_val, kind_class[magic], magic ? "WeakMap.prototype.get" : "Map.prototype.get");
    if (!c) return JSV_EXCEPTION;
    uint32_t i = mtable_find(c->table, canon_key(JS_ARG(0)));
    return i == NIL ? JSV_UNDEFINED : c->table->entries[i].value;
}

static jsv map_set(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_collection *c = this_coll(t, this_val, kind_class[magic], magic ? "WeakMap.prototype.set" : "Map.prototype.set");
    if (!c) return JSV_EXCEPTION;
    jsv key = canon_key(JS_ARG(0));
    if (magic == K_WEAKMAP && !can_be_held_weakly(key)) return jsvm_throw_type_error(t, "Invalid value used as weak map key");
    uint32_t i = mtable_find(c->table, key);
    if (i != NIL) c->table->entries[i].value = JS_ARG(1);
    else if (mtable_add(t, &c->table, key, JS_ARG(1)) < 0) return JSV_EXCEPTION;
    return this_val;
}

/* getOrInsert (magic bit 0..1 = kind), getOrInsertComputed (magic | 4) */
static jsv map_get_or_insert(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int kind = magic & 3, computed = magic & 4;
    js_collection *c = this_coll(t, this_val, kind_class[kind], kind ? "WeakMap.prototype.getOrInsert" : "Map.prototype.getOrInsert");
    if (!c) return JSV_EXCEPTION;
    jsv key = JS_ARG(0), value = JS_ARG(1);
    if (computed && !jsop_is_callable(value)) return jsvm_throw_type_error(t, "callback is not a function");
    if (kind == K_WEAKMAP && !can_be_held_weakly(key)) return jsvm_throw_type_error(t, "Invalid value used as weak map key");
    key = canon_key(key);
    uint32_t i = mtable_find(c->table, key);
    if (i != NIL) return c->table->entries[i].value;
    if (computed) {
        value = jsvm_call(t, value, JSV_UNDEFINED, 1, &key);
        if (value == JSV_EXCEPTION) return JSV_EXCEPTION;
        i = mtable_find(c->table, key);
        if (i != NIL) { c->table->entries[i].value = value; return value; }
    }
    if (mtable_add(t, &c->table, key, value) < 0) return JSV_EXCEPTION;
    return value;
}

/* has / delete for all four kinds: magic = kind | (delete ? 4 : 0) */
static jsv coll_has_delete(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int kind = magic & 3;
    js_collection *c = this_coll(t, this_val, kind_class[kind], (magic & 4) ? "delete" : "has");
    if (!c) return JSV_EXCEPTION;
    jsv key = canon_key(JS_ARG(0));
    if (kind >= K_WEAKMAP && !can_be_held_weakly(key)) return JSV_FALSE;
    if (magic & 4) return jsv_from_bool(mtable_delete(c->table, key));
    return jsv_from_bool(mtable_find(c->table, key) != NIL);
}

static jsv coll_clear(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_collection *c = this_coll(t, this_val, kind_class[magic], "clear");
    if (!c) return JSV_EXCEPTION;
    return mtable_clear(t, &c->table) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
}

static jsv coll_size(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_collection *c = this_coll(t, this_val, kind_class[magic], "get size");
    if (!c) return JSV_EXCEPTION;
    return jsv_number(c->table->live);
}

static jsv coll_for_each(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_collection *c = this_coll(t, this_val, kind_class[magic], "forEach");
    if (!c) return JSV_EXCEPTION;
    jsv fn = JS_ARG(0);
    if (!jsop_is_callable(fn)) return jsvm_throw_type_error(t, "forEach: callback is not a function");
    cursor cur = { c->table, 0 };
    mentry *e;
    while (cursor_next(&cur, &e)) {
        jsv args[3] = { magic == K_SET ? e->key : e->value, e->key, this_val };
        if (jsvm_call(t, fn, JS_ARG(1), 3, args) == JSV_EXCEPTION) return JSV_EXCEPTION;
    }
    return JSV_UNDEFINED;
}

static jsv set_add(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_collection *c = this_coll(t, this_val, kind_class[magic], magic ? "WeakSet.prototype.add" : "Set.prototype.add");
    if (!c) return JSV_EXCEPTION;
    jsv key = canon_key(JS_ARG(0));
    if (magic == K_WEAKSET && !can_be_held_weakly(key)) return jsvm_throw_type_error(t, "Invalid value used in weak set");
    if (mtable_find(c->table, key) == NIL && mtable_add(t, &c->table, key, JSV_UNDEFINED) < 0) return JSV_EXCEPTION;
    return this_val;
}

/* ---- iterators ---- */

typedef struct js_coll_iterator {
    js_object base;
    jsv coll;            /* undefined once exhausted */
    mtable *tab;
    uint32_t idx;
    int kind;            /* 0 keys, 1 values, 2 entries */
} js_coll_iterator;

static void coll_iterator_trace(js_gc_tracer *trc, js_object *o)
{
    js_coll_iterator *it = (js_coll_iterator *)o;
    jsgc_mark_value(trc, it->coll);
    jsgc_mark_cell(trc, it->tab);
}

const js_class_ops jsclass_map_iterator = { .name = "Map Iterator", .size = sizeof(js_coll_iterator), .trace = coll_iterator_trace };
const js_class_ops jsclass_set_iterator = { .name = "Set Iterator", .size = sizeof(js_coll_iterator), .trace = coll_iterator_trace };

/* keys/values/entries; magic = kind | (is_set ? 4 : 0) */
static jsv coll_iter(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int is_set = magic & 4;
    js_collection *c = this_coll(t, this_val, is_set ? JS_CLASS_SET : JS_CLASS_MAP, is_set ? "Set iterator" : "Map iterator");
    if (!c) return JSV_EXCEPTION;
    js_coll_iterator *it = (js_coll_iterator *)jsobj_new(
        t, jsrt_intrinsic(t, is_set ? JS_INTR_SetIteratorPrototype : JS_INTR_MapIteratorPrototype),
        is_set ? JS_CLASS_SET_ITERATOR : JS_CLASS_MAP_ITERATOR);
    if (!it) return JSV_EXCEPTION;
    it->coll = this_val;
    it->tab = c->table;
    it->idx = 0;
    it->kind = magic & 3;
    return jsv_object(it);
}

static jsv coll_iterator_next(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    unsigned cls = magic ? JS_CLASS_SET_ITERATOR : JS_CLASS_MAP_ITERATOR;
    if (!jsv_is_object(this_val) || jsobj_class(JSV_OBJ(this_val)) != cls)
        return jsvm_throw_type_error(t, "next called on an object that is not a %s Iterator", magic ? "Set" : "Map");
    js_coll_iterator *it = (js_coll_iterator *)JSV_OBJ(this_val);
    if (jsv_is_undefined(it->coll)) return jsop_create_iter_result(t, JSV_UNDEFINED, 1);
    cursor cur = { it->tab, it->idx };
    mentry *e;
    if (!cursor_next(&cur, &e)) {
        it->coll = JSV_UNDEFINED;
        it->tab = NULL;
        return jsop_create_iter_result(t, JSV_UNDEFINED, 1);
    }
    it->tab = cur.tab;
    it->idx = cur.idx;
    jsv key = e->key, val = e->value;
    if (it->kind == 0) return jsop_create_iter_result(t, key, 0);
    if (it->kind == 1) return jsop_create_iter_result(t, magic ? key : val, 0);
    jsv pair[2] = { key, magic ? key : val };
    js_object *a = jsobj_new_array_from(t, 2, pair);
    if (!a) return JSV_EXCEPTION;
    return jsop_create_iter_result(t, jsv_object(a), 0);
}

/* ---- Set methods (union, intersection, ...) ---- */

typedef struct set_record { jsv set; double size; jsv has, keys; } set_record;

static int get_set_record(js_thread *t, jsv obj, set_record *r)
{
    if (!jsv_is_object(obj)) { jsvm_throw_type_error(t, "set-like argument is not an object"); return -1; }
    jsv raw = jsobj_get(t, JSV_OBJ(obj), akey(t, JS_ATOM_size), obj);
    if (raw == JSV_EXCEPTION) return -1;
    double n;
    if (jsop_to_number(t, raw, &n) < 0) return -1;
    if (isnan(n)) { jsvm_throw_type_error(t, "set-like size is not a number"); return -1; }
    if (jsop_to_integer_or_infinity(t, jsv_from_double(n), &n) < 0) return -1;
    if (n < 0) { jsvm_throw_range_error(t, "set-like size is negative"); return -1; }
    jsv has = jsobj_get(t, JSV_OBJ(obj), akey(t, JS_ATOM_has), obj);
    if (has == JSV_EXCEPTION) return -1;
    if (!jsop_is_callable(has)) { jsvm_throw_type_error(t, "set-like has is not a function"); return -1; }
    jsv keys = jsobj_get(t, JSV_OBJ(obj), akey(t, JS_ATOM_keys), obj);
    if (keys == JSV_EXCEPTION) return -1;
    if (!jsop_is_callable(keys)) { jsvm_throw_type_error(t, "set-like keys is not a function"); return -1; }
    r->set = obj;
    r->size = n;
    r->has = has;
    r->keys = keys;
    return 0;
}

/* GetKeysIterator */
static int keys_iter(js_thread *t, set_record *r, js_iter_record *it)
{
    jsv iter = jsvm_call(t, r->keys, r->set, 0, NULL);
    if (iter == JSV_EXCEPTION) return -1;
    if (!jsv_is_object(iter)) { jsvm_throw_type_error(t, "keys() result is not an object"); return -1; }
    jsv next = jsobj_get(t, JSV_OBJ(iter), akey(t, JS_ATOM_next), iter);
    if (next == JSV_EXCEPTION) return -1;
    if (!jsop_is_callable(next)) { jsvm_throw_type_error(t, "keys() iterator next is not a function"); return -1; }
    it->iterator = iter;
    it->next_method = next;
    it->done = 0;
    return 0;
}

/* IteratorStepValue on the keys iterator, -0 canonicalized. */
static int keys_step(js_thread *t, js_iter_record *it, jsv *v)
{
    jsv r = jsvm_call(t, it->next_method, it->iterator, 0, NULL);
    if (r == JSV_EXCEPTION) return -1;
    if (!jsv_is_object(r)) { jsvm_throw_type_error(t, "iterator result is not an object"); return -1; }
    jsv d = jsobj_get(t, JSV_OBJ(r), akey(t, JS_ATOM_done), r);
    if (d == JSV_EXCEPTION) return -1;
    if (jsop_to_boolean(d)) return 0;
    jsv val = jsobj_get(t, JSV_OBJ(r), akey(t, JS_ATOM_value), r);
    if (val == JSV_EXCEPTION) return -1;
    *v = canon_key(val);
    return 1;
}

static js_collection *set_copy(js_thread *t, js_collection *src)
{
    js_collection *res = collection_new(t, JSV_UNDEFINED, K_SET);
    if (!res) return NULL;
    cursor cur = { src->table, 0 };
    mentry *e;
    while (cursor_next(&cur, &e))
        if (mtable_add(t, &res->table, e->key, JSV_UNDEFINED) < 0) return NULL;
    return res;
}

static int call_has(js_thread *t, set_record *r, jsv v)
{
    jsv b = jsvm_call(t, r->has, r->set, 1, &v);
    if (b == JSV_EXCEPTION) return -1;
    return jsop_to_boolean(b);
}

enum { SM_UNION, SM_INTERSECTION, SM_DIFFERENCE, SM_SYMDIFF, SM_SUBSET, SM_SUPERSET, SM_DISJOINT };

static jsv set_method(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_collection *o = this_coll(t, this_val, JS_CLASS_SET, "Set method");
    if (!o) return JSV_EXCEPTION;
    set_record r;
    if (get_set_record(t, JS_ARG(0), &r) < 0) return JSV_EXCEPTION;
    js_iter_record it;
    js_collection *res = NULL;
    jsv v;
    int s;
    mentry *e;
    double this_size = o->table->live;

    switch (magic) {
    case SM_UNION:
    case SM_SYMDIFF:
        if (keys_iter(t, &r, &it) < 0) return JSV_EXCEPTION;
        if (!(res = set_copy(t, o))) return JSV_EXCEPTION;
        while ((s = keys_step(t, &it, &v)) > 0) {
            if (magic == SM_UNION) {
                if (mtable_find(res->table, v) == NIL && mtable_add(t, &res->table, v, JSV_UNDEFINED) < 0) return JSV_EXCEPTION;
            } else {
                int in_result = mtable_find(res->table, v) != NIL;
                if (mtable_find(o->table, v) != NIL) {
                    if (in_result) mtable_delete(res->table, v);
                } else if (!in_result && mtable_add(t, &res->table, v, JSV_UNDEFINED) < 0) return JSV_EXCEPTION;
            }
        }
        return s < 0 ? JSV_EXCEPTION : jsv_object(res);

    case SM_INTERSECTION:
        if (!(res = collection_new(t, JSV_UNDEFINED, K_SET))) return JSV_EXCEPTION;
        if (this_size <= r.size) {
            cursor cur = { o->table, 0 };
            while (cursor_next(&cur, &e)) {
                jsv key = e->key;
                int in = call_has(t, &r, key);
                if (in < 0) return JSV_EXCEPTION;
                if (in && mtable_find(res->table, key) == NIL && mtable_add(t, &res->table, key, JSV_UNDEFINED) < 0)
                    return JSV_EXCEPTION;
            }
            return jsv_object(res);
        }
        if (keys_iter(t, &r, &it) < 0) return JSV_EXCEPTION;
        while ((s = keys_step(t, &it, &v)) > 0)
            if (mtable_find(o->table, v) != NIL && mtable_find(res->table, v) == NIL &&
                mtable_add(t, &res->table, v, JSV_UNDEFINED) < 0)
                return JSV_EXCEPTION;
        return s < 0 ? JSV_EXCEPTION : jsv_object(res);

    case SM_DIFFERENCE:
        if (!(res = set_copy(t, o))) return JSV_EXCEPTION;
        if (this_size <= r.size) {
            cursor cur = { o->table, 0 };
            while (cursor_next(&cur, &e)) {
                jsv key = e->key;
                int in = call_has(t, &r, key);
                if (in < 0) return JSV_EXCEPTION;
                if (in) mtable_delete(res->table, key);
            }
            return jsv_object(res);
        }
        if (keys_iter(t, &r, &it) < 0) return JSV_EXCEPTION;
        while ((s = keys_step(t, &it, &v)) > 0) mtable_delete(res->table, v);
        return s < 0 ? JSV_EXCEPTION : jsv_object(res);

    case SM_SUBSET: {
        if (this_size > r.size) return JSV_FALSE;
        cursor cur = { o->table, 0 };
        while (cursor_next(&cur, &e)) {
            int in = call_has(t, &r, e->key);
            if (in < 0) return JSV_EXCEPTION;
            if (!in) return JSV_FALSE;
        }
        return JSV_TRUE;
    }

    case SM_SUPERSET:
        if (this_size < r.size) return JSV_FALSE;
        if (keys_iter(t, &r, &it) < 0) return JSV_EXCEPTION;
        while ((s = keys_step(t, &it, &v)) > 0) {
            if (mtable_find(o->table, v) == NIL) {
                if (jsop_iterator_close(t, &it, 0) < 0) return JSV_EXCEPTION;
                return JSV_FALSE;
            }
        }
        return s < 0 ? JSV_EXCEPTION : JSV_TRUE;

    case SM_DISJOINT:
        if (this_size <= r.size) {
            cursor cur = { o->table, 0 };
            while (cursor_next(&cur, &e)) {
                int in = call_has(t, &r, e->key);
                if (in < 0) return JSV_EXCEPTION;
                if (in) return JSV_FALSE;
            }
            return JSV_TRUE;
        }
        if (keys_iter(t, &r, &it) < 0) return JSV_EXCEPTION;
        while ((s = keys_step(t, &it, &v)) > 0) {
            if (mtable_find(o->table, v) != NIL) {
                if (jsop_iterator_close(t, &it, 0) < 0) return JSV_EXCEPTION;
                return JSV_FALSE;
            }
        }
        return s < 0 ? JSV_EXCEPTION : JSV_TRUE;
    }
    return JSV_UNDEFINED;
}

/* ---- set-up ---- */

typedef struct fdef { const char *name; js_native_fn fn; int len, magic; } fdef;

static int define_fns(js_thread *t, js_object *o, const fdef *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (jsobj_define_fn(t, o, f[i].name, f[i].fn, f[i].len, f[i].magic) < 0) return -1;
    return 0;
}

static js_object *make_kind(js_thread *t, js_realm *realm, int kind, int ctor_id, int proto_id)
{
    js_object *proto = jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_OBJECT);
    if (!proto) return NULL;
    js_object *ctor = jsbi_make_ctor(t, realm, kind_name[kind], 0, collection_call, collection_construct, kind,
                                     proto, ctor_id, proto_id);
    if (!ctor || jsbi_set_tag(t, proto, kind_name[kind]) < 0) return NULL;
    if (kind <= K_SET &&
        jsobj_define_getset(t, ctor, jsv_symbol(t->rt->wk_symbols[JS_WKS_species]), species_getter, NULL, 0) < 0)
        return NULL;
    return proto;
}

static js_object *make_iter_proto(js_thread *t, js_realm *realm, int is_set)
{
    js_object *itp = jsbi_iterator_prototype(t, realm);
    if (!itp) return NULL;
    js_object *p = jsobj_new(t, jsv_object(itp), JS_CLASS_OBJECT);
    if (!p || jsobj_define_fn(t, p, "next", coll_iterator_next, 0, is_set) < 0 ||
        jsbi_set_tag(t, p, is_set ? "Set Iterator" : "Map Iterator") < 0)
        return NULL;
    return p;
}

int jsbi_init_collection(js_thread *t, js_realm *realm)
{
    jsv iter_sym = jsv_symbol(t->rt->wk_symbols[JS_WKS_iterator]);

    /* Map */
    js_object *mp = make_kind(t, realm, K_MAP, JS_INTR_Map, JS_INTR_MapPrototype);
    if (!mp) return -1;
    static const fdef map_fns[] = {
        { "clear", coll_clear, 0, K_MAP },
        { "delete", coll_has_delete, 1, K_MAP | 4 },
        { "forEach", coll_for_each, 1, K_MAP },
        { "get", map_get, 1, K_MAP },
        { "getOrInsert", map_get_or_insert, 2, K_MAP },
        { "getOrInsertComputed", map_get_or_insert, 2, K_MAP | 4 },
        { "has", coll_has_delete, 1, K_MAP },
        { "keys", coll_iter, 0, 0 },
        { "set", map_set, 2, K_MAP },
        { "values", coll_iter, 0, 1 },
    };
    if (define_fns(t, mp, map_fns, sizeof map_fns / sizeof map_fns[0]) < 0) return -1;
    js_object *entries = jsfn_new_native(t, coll_iter, akey(t, JS_ATOM_entries), 0, 2);
    if (!entries || jsobj_define_value(t, mp, akey(t, JS_ATOM_entries), jsv_object(entries), JS_PROP_C_W) < 0 ||
        jsobj_define_value(t, mp, iter_sym, jsv_object(entries), JS_PROP_C_W) < 0 ||
        jsobj_define_getset(t, mp, akey(t, JS_ATOM_size), coll_size, NULL, K_MAP) < 0)
        return -1;
    js_object *mctor = JSV_OBJ(realm->intrinsics[JS_INTR_Map]);
    if (jsobj_define_fn(t, mctor, "groupBy", map_group_by, 2, 0) < 0) return -1;

    /* Set */
    js_object *sp = make_kind(t, realm, K_SET, JS_INTR_Set, JS_INTR_SetPrototype);
    if (!sp) return -1;
    static const fdef set_fns[] = {
        { "add", set_add, 1, K_SET },
        { "clear", coll_clear, 0, K_SET },
        { "delete", coll_has_delete, 1, K_SET | 4 },
        { "difference", set_method, 1, SM_DIFFERENCE },
        { "entries", coll_iter, 0, 2 | 4 },
        { "forEach", coll_for_each, 1, K_SET },
        { "has", coll_has_delete, 1, K_SET },
        { "intersection", set_method, 1, SM_INTERSECTION },
        { "isDisjointFrom", set_method, 1, SM_DISJOINT },
        { "isSubsetOf", set_method, 1, SM_SUBSET },
        { "isSupersetOf", set_method, 1, SM_SUPERSET },
        { "symmetricDifference", set_method, 1, SM_SYMDIFF },
        { "union", set_method, 1, SM_UNION },
    };
    if (define_fns(t, sp, set_fns, sizeof set_fns / sizeof set_fns[0]) < 0) return -1;
    js_object *values = jsfn_new_native(t, coll_iter, akey(t, JS_ATOM_values), 0, 1 | 4);
    if (!values || jsobj_define_value(t, sp, akey(t, JS_ATOM_values), jsv_object(values), JS_PROP_C_W) < 0 ||
        jsobj_define_value(t, sp, akey(t, JS_ATOM_keys), jsv_object(values), JS_PROP_C_W) < 0 ||
        jsobj_define_value(t, sp, iter_sym, jsv_object(values), JS_PROP_C_W) < 0 ||
        jsobj_define_getset(t, sp, akey(t, JS_ATOM_size), coll_size, NULL, K_SET) < 0)
        return -1;

    /* WeakMap */
    js_object *wmp = make_kind(t, realm, K_WEAKMAP, JS_INTR_WeakMap, JS_INTR_WeakMapPrototype);
    if (!wmp) return -1;
    static const fdef wm_fns[] = {
        { "delete", coll_has_delete, 1, K_WEAKMAP | 4 },
        { "get", map_get, 1, K_WEAKMAP },
        { "getOrInsert", map_get_or_insert, 2, K_WEAKMAP },
        { "getOrInsertComputed", map_get_or_insert, 2, K_WEAKMAP | 4 },
        { "has", coll_has_delete, 1, K_WEAKMAP },
        { "set", map_set, 2, K_WEAKMAP },
    };
    if (define_fns(t, wmp, wm_fns, sizeof wm_fns / sizeof wm_fns[0]) < 0) return -1;

    /* WeakSet */
    js_object *wsp = make_kind(t, realm, K_WEAKSET, JS_INTR_WeakSet, JS_INTR_WeakSetPrototype);
    if (!wsp) return -1;
    static const fdef ws_fns[] = {
        { "add", set_add, 1, K_WEAKSET },
        { "delete", coll_has_delete, 1, K_WEAKSET | 4 },
        { "has", coll_has_delete, 1, K_WEAKSET },
    };
    if (define_fns(t, wsp, ws_fns, sizeof ws_fns / sizeof ws_fns[0]) < 0) return -1;

    /* iterator prototypes */
    js_object *mip = make_iter_proto(t, realm, 0), *sip = mip ? make_iter_proto(t, realm, 1) : NULL;
    if (!sip) return -1;
    realm->intrinsics[JS_INTR_MapIteratorPrototype] = jsv_object(mip);
    realm->intrinsics[JS_INTR_SetIteratorPrototype] = jsv_object(sip);
    return 0;
}
