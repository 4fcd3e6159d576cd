/*
 * shape.c - hidden classes: shared shapes in a transition tree per prototype,
 * dictionary shapes owned by one object, key lookup, and the per-runtime cache
 * of root shapes. Must not touch property values beyond an object's slot array
 * layout, and never looks at elements.
 *
 * Invariant for every shape: props[i].slot == i; an object's slot array has
 * room for at least shape->nslots values. A shared shape is immutable once built
 * (inline caches key on its address) and sees a prefix of a property table its
 * chain shares; the tree hangs strongly from its root, every child keeps its
 * parent alive, and the root's finalizer drops the cache entry, so a tree lives
 * exactly as long as some object uses one of its shapes.
 */
#include <assert.h>
#include <stdlib.h>
#include "object_priv.h"

/* Linear scan beats hashing up to about this many keys. */
#define SHAPE_LINEAR_MAX 8
/* A shared chain longer than this turns the object into a dictionary: objects
 * used as hash maps must not grow the tree without bound. */
#define SHAPE_DICT_LIMIT 128
/* Children per shape before further distinct keys go to dictionary mode; bounds
 * the tree for objects built with ever-changing key sets. */
#define SHAPE_MAX_TRANSITIONS 32
/* A prototype change replays this many keys on the new root, else dictionary. */
#define SHAPE_REPLAY_MAX 8

/* Private h.flags bit: the root of a tree, registered in rt->shape_cache. */
#define JS_SHAPE_ROOT 0x0002

typedef struct trans_entry {
    js_key key;
    uint32_t attrs;
    js_shape *child;
} trans_entry;

typedef struct trans_table {
    uint32_t n, cap;
    trans_entry e[];
} trans_table;

/*
 * Property table shared by a chain of shared shapes: each shape sees the
 * prefix [0, count) of e[], and the shape that ends the prefix in use may
 * append in place, so a chain of n shapes costs O(n) memory, not O(n^2).
 * A branch (appending to a shape that is not at the end) copies the prefix.
 * The hash covers [0, used); a replaced hash stays alive for the older shapes
 * that point at it until the table dies.
 */
typedef struct old_hash {
    struct old_hash *next;
    uint32_t size;
    uint32_t *hash;
} old_hash;

typedef struct prop_table {
    uint32_t refs;          /* shapes pointing into e[] */
    uint32_t cap, used;
    uint32_t hash_size;
    uint32_t *hash;
    old_hash *old;
    js_shape_prop e[];
} prop_table;

static inline prop_table *table_of(js_shape *s)
{
    return (prop_table *)(void *)((char *)s->props - offsetof(prop_table, e));
}

typedef struct cache_entry {
    jsv proto;              /* 0 = empty, 1 = deleted */
    js_shape *root;
} cache_entry;

typedef struct shape_cache {
    uint32_t size, used, tombs;
    cache_entry *e;
} shape_cache;

static inline uint32_t key_hash(uint64_t k)
{
    k *= 0x9E3779B97F4A7C15ull;
    return (uint32_t)(k >> 32);
}

static inline uint32_t slot_cap(uint32_t n)
{
    uint32_t c = 4;
    if (n == 0)
        return 0;
    while (c < n)
        c <<= 1;
    return c;
}

/* Prototype-chain inline caches (interp.c) hold while rt->proto_epoch stands
 * still: every change to the shape of an object flagged JS_OBJ_IS_PROTO moves
 * it, skipping 0, which caches use for "no stamp". */
static inline void proto_changed(js_thread *t, js_object *o)
{
    if (o->h.flags & JS_OBJ_IS_PROTO) {
        if (++t->rt->proto_epoch == 0)
            t->rt->proto_epoch = 1;
    }
}

static inline void mark_proto(jsv proto)
{
    if (jsv_is_object(proto))
        JSV_OBJ(proto)->h.flags |= JS_OBJ_IS_PROTO;
}

/* ---------------------------------------------------------------- lookup */

js_shape_prop *jsshape_find(js_shape *s, js_key k)
{
    if (!s->hash) {
        js_shape_prop *p = s->props, *end = p + s->count;
        for (; p < end; p++)
            if (p->key == k)
                return p;
        return NULL;
    }
    uint32_t mask = s->hash_size - 1, h = key_hash(k) & mask, e;
    while ((e = s->hash[h]) != 0) {
        js_shape_prop *p = &s->props[e - 1];
        if (p->key == k)   /* a shared table may hold a descendant's key */
            return e - 1 < s->count ? p : NULL;
        h = (h + 1) & mask;
    }
    return NULL;
}

static void hash_insert(js_shape *s, uint32_t idx)
{
    uint32_t mask = s->hash_size - 1, h = key_hash(s->props[idx].key) & mask;
    while (s->hash[h])
        h = (h + 1) & mask;
    s->hash[h] = idx + 1;
}

/* (Re)build the hash index for `want` entries; a no-op for small shapes. */
static int hash_build(js_thread *t, js_shape *s, uint32_t want)
{
    uint32_t size = 16;
    if (want <= SHAPE_LINEAR_MAX && !s->hash)
        return 0;
    while (size < want * 2)
        size <<= 1;
    if (size != s->hash_size) {
        uint32_t *h = jsgc_malloc(t, size * sizeof *h);
        if (!h)
            return -1;
        if (s->hash)
            jsgc_free(t->rt, s->hash, s->hash_size * sizeof *s->hash);
        s->hash = h;
        s->hash_size = size;
    }
    memset(s->hash, 0, s->hash_size * sizeof *s->hash);
    for (uint32_t i = 0; i < s->count; i++)
        if (s->props[i].key != JSV_UNDEFINED)
            hash_insert(s, i);
    return 0;
}

/* ---------------------------------------------------------------- cache */

static cache_entry *cache_find(shape_cache *c, jsv proto, int for_insert)
{
    uint32_t mask = c->size - 1, h = key_hash(proto) & mask;
    cache_entry *tomb = NULL;
    for (;;) {
        cache_entry *e = &c->e[h];
        if (e->proto == 0)
            return for_insert ? (tomb ? tomb : e) : NULL;
        if (e->proto == 1) {
            if (!tomb)
                tomb = e;
        } else if (e->proto == proto) {
            return e;
        }
        h = (h + 1) & mask;
    }
}

static int cache_grow(shape_cache *c)
{
    uint32_t nsize = c->size ? c->size : 64;
    cache_entry *old = c->e, *ne;
    uint32_t osize = c->size;

    while ((c->used + 1) * 2 > nsize)
        nsize <<= 1;
    ne = calloc(nsize, sizeof *ne);
    if (!ne)
        return -1;
    c->e = ne;
    c->size = nsize;
    c->tombs = 0;
    for (uint32_t i = 0; i < osize; i++)
        if (old[i].proto > 1)
            *cache_find(c, old[i].proto, 1) = old[i];
    free(old);
    return 0;
}

js_shape *jsshape_initial(js_thread *t, jsv proto)
{
    js_runtime *rt = t->rt;
    shape_cache *c = rt->shape_cache;
    js_shape *s;
    cache_entry *e;

    mark_proto(proto);
    if (c && c->size) {
        e = cache_find(c, proto, 0);
        if (e)
            return e->root;
    }
    s = jsgc_alloc(t, sizeof *s, JS_CELL_SHAPE);
    if (!s)
        return NULL;
    s->proto = proto;
    s->h.flags = JS_SHAPE_ROOT;
    c = rt->shape_cache;
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c)
            goto oom;
        rt->shape_cache = c;
    }
    if ((c->used + c->tombs + 1) * 2 > c->size && cache_grow(c) < 0)
        goto oom;
    e = cache_find(c, proto, 1);
    if (e->proto == 1)
        c->tombs--;
    e->proto = proto;
    e->root = s;
    c->used++;
    return s;
oom:
    s->h.flags = 0;
    jsvm_throw_out_of_memory(t);
    return NULL;
}

static void cache_remove(js_runtime *rt, js_shape *s)
{
    shape_cache *c = rt->shape_cache;
    cache_entry *e;
    if (!c || !c->size)
        return;
    e = cache_find(c, s->proto, 0);
    if (e && e->root == s) {
        e->proto = 1;
        e->root = NULL;
        c->used--;
        c->tombs++;
    }
    if (c->used == 0) {     /* runtime teardown ends here */
        free(c->e);
        free(c);
        rt->shape_cache = NULL;
    }
}

/* ---------------------------------------------------------------- shared shapes */

static js_shape *find_transition(js_shape *s, js_key k, unsigned attrs)
{
    trans_table *tt = s->transitions;
    if (!tt)
        return NULL;
    for (uint32_t i = 0; i < tt->n; i++)
        if (tt->e[i].key == k && tt->e[i].attrs == attrs)
            return tt->e[i].child;
    return NULL;
}

static int transitions_full(js_shape *s)
{
    trans_table *tt = s->transitions;
    return tt && tt->n >= SHAPE_MAX_TRANSITIONS;
}

static void table_unref(js_runtime *rt, prop_table *tb)
{
    if (--tb->refs)
        return;
    while (tb->old) {
        old_hash *o = tb->old;
        tb->old = o->next;
        jsgc_free(rt, o->hash, o->size * sizeof(uint32_t));
        jsgc_free(rt, o, sizeof *o);
    }
    if (tb->hash)
        jsgc_free(rt, tb->hash, tb->hash_size * sizeof(uint32_t));
    jsgc_free(rt, tb, sizeof *tb + tb->cap * sizeof(js_shape_prop));
}

static void table_hash_insert(prop_table *tb, uint32_t idx)
{
    uint32_t mask = tb->hash_size - 1, h = key_hash(tb->e[idx].key) & mask;
    while (tb->hash[h])
        h = (h + 1) & mask;
    tb->hash[h] = idx + 1;
}

/* Make room in the hash for `n` entries (none below the linear limit). */
static int table_hash_reserve(js_thread *t, prop_table *tb, uint32_t n)
{
    uint32_t size = 16, *h;
    if (n <= SHAPE_LINEAR_MAX || n * 2 <= tb->hash_size)
        return 0;
    while (size < n * 2)
        size <<= 1;
    h = jsgc_malloc(t, size * sizeof *h);
    if (!h)
        return -1;
    if (tb->hash) {
        old_hash *o = jsgc_malloc(t, sizeof *o);
        if (!o) {
            jsgc_free(t->rt, h, size * sizeof *h);
            return -1;
        }
        o->size = tb->hash_size;
        o->hash = tb->hash;
        o->next = tb->old;
        tb->old = o;
    }
    memset(h, 0, size * sizeof *h);
    tb->hash = h;
    tb->hash_size = size;
    for (uint32_t i = 0; i < tb->used; i++)
        table_hash_insert(tb, i);
    return 0;
}

/* A table for s's prefix plus one entry: s's own when s ends it and it has
 * room, else a copy. NULL on OOM. */
static prop_table *table_for_append(js_thread *t, js_shape *s)
{
    prop_table *tb = s->count ? table_of(s) : NULL, *nt;
    uint32_t cap;

    if (tb && tb->used == s->count && tb->used < tb->cap)
        return tb;
    cap = s->count < 4 ? 8 : s->count * 2;
    nt = jsgc_malloc(t, sizeof *nt + cap * sizeof(js_shape_prop));
    if (!nt)
        return NULL;
    memset(nt, 0, sizeof *nt);
    nt->cap = cap;
    nt->used = s->count;
    if (s->count)
        memcpy(nt->e, s->props, s->count * sizeof(js_shape_prop));
    nt->refs = 0;
    if (table_hash_reserve(t, nt, s->count + 1) < 0) {
        jsgc_free(t->rt, nt, sizeof *nt + cap * sizeof(js_shape_prop));
        return NULL;
    }
    return nt;
}

js_shape *jsshape_add(js_thread *t, js_shape *s, js_key k, unsigned attrs)
{
    js_shape *c = find_transition(s, k, attrs);
    trans_table *tt;
    prop_table *tb;
    uint32_t n;

    assert(!(s->h.flags & JS_SHAPE_DICT));
    if (c)
        return c;
    c = jsgc_alloc(t, sizeof *c, JS_CELL_SHAPE);
    if (!c)
        return NULL;
    n = s->count + 1;
    tb = table_for_append(t, s);
    if (!tb)
        return NULL;
    if (table_hash_reserve(t, tb, n) < 0) {
        if (tb->refs == 0) {
            tb->refs = 1;
            table_unref(t->rt, tb);
        }
        return NULL;
    }
    tb->e[s->count].key = k;
    tb->e[s->count].attrs = attrs;
    tb->e[s->count].slot = s->nslots;
    tb->used = n;
    if (tb->hash)
        table_hash_insert(tb, s->count);
    tb->refs++;
    c->props = tb->e;
    c->hash = tb->hash;
    c->hash_size = tb->hash_size;
    c->proto = s->proto;
    c->parent = s;
    c->count = n;
    c->nslots = s->nslots + 1;
    tt = s->transitions;
    if (tt && tt->n >= SHAPE_MAX_TRANSITIONS)
        return c;           /* unshared: the tree stays bounded */
    if (!tt || tt->n == tt->cap) {
        uint32_t ncap = tt ? tt->cap * 2 : 2;
        size_t osz = tt ? sizeof *tt + tt->cap * sizeof(trans_entry) : 0;
        size_t nsz = sizeof(trans_table) + ncap * sizeof(trans_entry);
        trans_table *nt = tt ? jsgc_realloc(t, tt, osz, nsz) : jsgc_malloc(t, nsz);
        if (!nt)
            return NULL;
        if (!tt)
            nt->n = 0;
        nt->cap = ncap;
        s->transitions = tt = nt;
    }
    tt->e[tt->n].key = k;
    tt->e[tt->n].attrs = attrs;
    tt->e[tt->n].child = c;
    tt->n++;
    return c;
}

/* ---------------------------------------------------------------- per-object */

/* The slot array carries its capacity in a header word before slots[0], so
 * that it can be freed without the shape (which may be swept first). Objects
 * may start with inline slots inside their own cell (object.c), flagged in
 * that word; those are never freed or reallocated, only left behind. */
static inline uint32_t slots_capacity(const js_object *o)
{
    return o->slots ? (uint32_t)o->slots[-1] & ~JSOBJ_SLOTS_INLINE : 0;
}

static int grow_slots(js_thread *t, js_object *o, uint32_t old_n, uint32_t new_n)
{
    uint32_t oc = slots_capacity(o), nc;
    jsv *nb;

    (void)old_n;
    if (new_n <= oc)
        return 0;
    nc = slot_cap(new_n);
    if (o->slots && !((uint32_t)o->slots[-1] & JSOBJ_SLOTS_INLINE)) {
        nb = jsgc_realloc(t, o->slots - 1, (oc + 1) * sizeof(jsv), (nc + 1) * sizeof(jsv));
    } else {
        nb = jsgc_malloc(t, (nc + 1) * sizeof(jsv));
        if (nb && oc)
            memcpy(nb + 1, o->slots, oc * sizeof(jsv));
    }
    if (!nb)
        return -1;
    nb[0] = nc;
    o->slots = nb + 1;
    return 0;
}

void jsshape_free_slots(js_runtime *rt, js_object *o)
{
    if (o->slots && !((uint32_t)o->slots[-1] & JSOBJ_SLOTS_INLINE))
        jsgc_free(rt, o->slots - 1, (slots_capacity(o) + 1) * sizeof(jsv));
    o->slots = NULL;
}

/* Give o its own dictionary copy of its shape. */
static int to_dict(js_thread *t, js_object *o)
{
    js_shape *s = o->shape, *d;
    uint32_t cap;

    if (s->h.flags & JS_SHAPE_DICT)
        return 0;
    proto_changed(t, o);
    d = jsgc_alloc(t, sizeof *d, JS_CELL_SHAPE);
    if (!d)
        return -1;
    cap = s->count < 8 ? 8 : s->count * 2;
    d->props = jsgc_malloc(t, cap * sizeof *d->props);
    if (!d->props)
        return -1;
    d->props_cap = cap;
    if (s->count)
        memcpy(d->props, s->props, s->count * sizeof *d->props);
    d->count = s->count;
    d->nslots = s->nslots;
    d->proto = s->proto;
    d->h.flags = JS_SHAPE_DICT;
    if (hash_build(t, d, cap) < 0)
        return -1;
    o->shape = d;
    return 0;
}

int jsshape_object_to_dict(js_thread *t, js_object *o)
{
    return to_dict(t, o);
}

static int dict_add(js_thread *t, js_object *o, js_key k, unsigned attrs, uint32_t *slot_out)
{
    js_shape *s = o->shape;
    uint32_t i = s->count;

    if (i == s->props_cap) {
        uint32_t ncap = s->props_cap ? s->props_cap * 2 : 8;
        js_shape_prop *np = jsgc_realloc(t, s->props, s->props_cap * sizeof *np, ncap * sizeof *np);
        if (!np)
            return -1;
        s->props = np;
        s->props_cap = ncap;
    }
    if (grow_slots(t, o, s->nslots, s->nslots + 1) < 0)
        return -1;
    if ((s->hash || i + 1 > SHAPE_LINEAR_MAX) && (i + 1) * 2 > s->hash_size &&
        hash_build(t, s, s->props_cap) < 0)
        return -1;
    s->props[i].key = k;
    s->props[i].attrs = attrs;
    s->props[i].slot = i;
    o->slots[i] = JSV_UNDEFINED;
    s->count = i + 1;
    s->nslots = i + 1;
    if (s->hash)
        hash_insert(s, i);
    *slot_out = i;
    return 0;
}

int jsshape_object_add(js_thread *t, js_object *o, js_key k, unsigned attrs, uint32_t *slot_out)
{
    js_shape *s = o->shape, *c;

    proto_changed(t, o);
    if (s->h.flags & JS_SHAPE_DICT)
        return dict_add(t, o, k, attrs, slot_out);
    c = find_transition(s, k, attrs);
    if (!c) {
        if (s->count >= SHAPE_DICT_LIMIT || transitions_full(s)) {
            if (to_dict(t, o) < 0)
                return -1;
            return dict_add(t, o, k, attrs, slot_out);
        }
        c = jsshape_add(t, s, k, attrs);
        if (!c)
            return -1;
    }
    if (grow_slots(t, o, s->nslots, c->nslots) < 0)
        return -1;
    o->slots[c->nslots - 1] = JSV_UNDEFINED;
    o->shape = c;
    *slot_out = c->nslots - 1;
    return 0;
}

int jsshape_object_take(js_thread *t, js_object *o, js_shape *c)
{
    assert(c->parent == o->shape && c->nslots == o->shape->nslots + 1);
    proto_changed(t, o);
    if (grow_slots(t, o, o->shape->nslots, c->nslots) < 0)
        return -1;
    o->slots[c->nslots - 1] = JSV_UNDEFINED;
    o->shape = c;
    return 0;
}

/* Drop deleted entries once they dominate: slots and props move down. */
static int dict_compact(js_thread *t, js_object *o)
{
    js_shape *s = o->shape;
    uint32_t live = s->count - s->ndeleted, j = 0, nc = slot_cap(live);
    jsv *nb = NULL, *ns = NULL;

    if (live) {
        nb = jsgc_malloc(t, (nc + 1) * sizeof(jsv));
        if (!nb)
            return -1;
        nb[0] = nc;
        ns = nb + 1;
    }
    for (uint32_t i = 0; i < s->count; i++) {
        if (s->props[i].key == JSV_UNDEFINED)
            continue;
        ns[j] = o->slots[i];
        s->props[j] = s->props[i];
        s->props[j].slot = j;
        j++;
    }
    jsshape_free_slots(t->rt, o);
    o->slots = ns;
    s->count = s->nslots = live;
    s->ndeleted = 0;
    if (s->hash) {
        memset(s->hash, 0, s->hash_size * sizeof *s->hash);
        for (uint32_t i = 0; i < live; i++)
            hash_insert(s, i);
    }
    return 0;
}

int jsshape_object_remove(js_thread *t, js_object *o, js_key k)
{
    js_shape_prop *p;
    js_shape *s;

    if (!jsshape_find(o->shape, k))
        return 0;
    proto_changed(t, o);
    if (to_dict(t, o) < 0)
        return -1;
    s = o->shape;
    p = jsshape_find(s, k);
    if (!p)
        return 0;
    o->slots[p->slot] = JSV_UNDEFINED;
    p->key = JSV_UNDEFINED;
    p->attrs = 0;
    s->ndeleted++;
    if (s->ndeleted == s->count) {
        /* Everything gone: start over without tombstones. */
        return dict_compact(t, o);
    }
    if (s->ndeleted > 8 && s->ndeleted * 2 > s->count)
        return dict_compact(t, o);
    return 0;
}

int jsshape_object_change_attrs(js_thread *t, js_object *o, js_key k, unsigned attrs)
{
    js_shape_prop *p = jsshape_find(o->shape, k);
    if (!p)
        return 0;
    if (p->attrs == attrs)
        return 0;
    proto_changed(t, o);
    if (to_dict(t, o) < 0)
        return -1;
    p = jsshape_find(o->shape, k);
    p->attrs = attrs;
    return 0;
}

int jsshape_object_set_proto(js_thread *t, js_object *o, jsv proto)
{
    js_shape *s = o->shape, *n;

    if (s->proto == proto)
        return 0;
    proto_changed(t, o);
    if (!(s->h.flags & JS_SHAPE_DICT) && s->count <= SHAPE_REPLAY_MAX) {
        n = jsshape_initial(t, proto);
        if (!n)
            return -1;
        for (uint32_t i = 0; i < s->count; i++) {
            n = jsshape_add(t, n, s->props[i].key, s->props[i].attrs);
            if (!n)
                return -1;
        }
        assert(n->nslots == s->nslots);
        o->shape = n;
        return 0;
    }
    if (to_dict(t, o) < 0)
        return -1;
    mark_proto(proto);
    o->shape->proto = proto;
    return 0;
}

/* ---------------------------------------------------------------- GC */

void jsshape_trace(js_gc_tracer *trc, js_shape *s)
{
    trans_table *tt = s->transitions;
    jsgc_mark_value(trc, s->proto);
    jsgc_mark_cell(trc, s->parent);
    for (uint32_t i = 0; i < s->count; i++)
        jsgc_mark_value(trc, s->props[i].key);
    if (tt)
        for (uint32_t i = 0; i < tt->n; i++)
            jsgc_mark_cell(trc, tt->e[i].child);
}

void jsshape_finalize(js_runtime *rt, js_shape *s)
{
    trans_table *tt = s->transitions;
    if (s->h.flags & JS_SHAPE_ROOT)
        cache_remove(rt, s);
    if (s->h.flags & JS_SHAPE_DICT) {
        if (s->props)
            jsgc_free(rt, s->props, s->props_cap * sizeof *s->props);
        if (s->hash)
            jsgc_free(rt, s->hash, s->hash_size * sizeof *s->hash);
    } else if (s->props) {
        table_unref(rt, table_of(s));
    }
    if (tt)
        jsgc_free(rt, tt, sizeof *tt + tt->cap * sizeof(trans_entry));
    s->props = NULL;
    s->hash = NULL;
    s->transitions = NULL;
}
