/*
 * object.c - objects and the ordinary internal methods of ECMA-262 10.1, the
 * dispatch of every jsobj_* internal method to its class hook, property keys,
 * key lists, the set-up helpers (jsobj_define_*) and the ordinary classes
 * (Object, global, Error). Must not touch shape layout (shape.c) or element
 * growth policy (array.c), and never runs bytecode except through jsvm_call.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include "object_priv.h"

/* ---------------------------------------------------------------- keys */

js_key jskey_from_atom_id(js_thread *t, int atom_id)
{
    return jsv_string(t->rt->atoms[atom_id]);
}

js_key jskey_from_string(js_thread *t, js_string *s)
{
    uint32_t idx;
    if (s->h.flags & JS_STR_INDEX)
        return jskey_from_index(s->index);
    if (!(s->h.flags & JS_STR_NOINDEX) && jsstr_is_array_index(s, &idx))
        return jskey_from_index(idx);
    if (!(s->h.flags & JS_STR_ATOM)) {
        s = jsstr_intern(t, s);
        if (!s)
            return JSV_EXCEPTION;
        if (s->h.flags & JS_STR_INDEX)
            return jskey_from_index(s->index);
    }
    return jsv_string(s);
}

js_key jskey_from_cstr(js_thread *t, const char *ascii)
{
    js_string *s = jsstr_atom(t, ascii);
    if (!s)
        return JSV_EXCEPTION;
    return jskey_from_string(t, s);
}

jsv jskey_to_value(js_thread *t, js_key k)
{
    if (jskey_is_index(k)) {
        char buf[16];
        int n = snprintf(buf, sizeof buf, "%u", jskey_index(k));
        js_string *s = jsstr_new_latin1(t, (const uint8_t *)buf, (size_t)n);
        return s ? jsv_string(s) : JSV_EXCEPTION;
    }
    return k;
}

const char *jsobj_key_cstr(js_thread *t, js_key k, char *buf, size_t size)
{
    (void)t;
    if (size == 0)
        return buf;
    buf[0] = 0;
    if (jskey_is_index(k)) {
        snprintf(buf, size, "%u", jskey_index(k));
    } else if (jsv_is_string(k) || jsv_is_symbol(k)) {
        js_string *s = NULL;
        int sym = jsv_is_symbol(k);
        if (sym) {
            jsv d = JSV_SYM(k)->description;
            s = jsv_is_string(d) ? JSV_STR(d) : NULL;
        } else {
            s = JSV_STR(k);
        }
        char *u = s ? jsstr_to_utf8(s, NULL) : NULL;
        snprintf(buf, size, sym ? "Symbol(%s)" : "%s", u ? u : "");
        free(u);
    }
    return buf;
}

/* ---------------------------------------------------------------- key lists */

int jskeylist_push(js_thread *t, js_keylist *l, js_key k)
{
    if (l->count == l->cap) {
        uint32_t ncap = l->cap ? l->cap * 2 : 16;
        js_key *nk = l->keys ? jsgc_realloc(t, l->keys, l->cap * sizeof *nk, ncap * sizeof *nk)
                             : jsgc_malloc(t, ncap * sizeof *nk);
        if (!nk)
            return -1;
        l->keys = nk;
        l->cap = ncap;
    }
    l->keys[l->count++] = k;
    return 0;
}

void jskeylist_free(js_runtime *rt, js_keylist *l)
{
    if (l->keys)
        jsgc_free(rt, l->keys, l->cap * sizeof *l->keys);
    l->keys = NULL;
    l->count = l->cap = 0;
}

/* ---------------------------------------------------------------- creation */

static unsigned class_flags(const js_class_ops *c)
{
    if (c && (c->get_own_property || c->has_property || c->get || c->set || c->delete_property))
        return JS_OBJ_EXOTIC;
    return 0;
}

/* Struct sizes of the classes object.h lays out, for when a class entry reads
 * NULL (its module not linked): callers still write the extension fields. */
static size_t min_size(unsigned class_id)
{
    switch (class_id) {
    case JS_CLASS_ARRAY: return sizeof(js_array);
    case JS_CLASS_NUMBER: case JS_CLASS_STRING: case JS_CLASS_BOOLEAN: case JS_CLASS_SYMBOL:
    case JS_CLASS_BIGINT: case JS_CLASS_DATE: return sizeof(js_primitive_object);
    case JS_CLASS_FUNCTION_NATIVE: return sizeof(js_native_function);
    case JS_CLASS_FUNCTION_BOUND: return sizeof(js_bound_function);
    default: return sizeof(js_object);
    }
}

/* Slots kept inside the object's cell: most objects never need a separate
 * slot array (malloc and free per object dominated allocation-heavy code).
 * Arrays and wrappers rarely have named properties. */
static unsigned inline_slots(unsigned class_id)
{
    switch (class_id) {
    case JS_CLASS_OBJECT: return 6;
    case JS_CLASS_ARRAY: case JS_CLASS_NUMBER: case JS_CLASS_STRING: case JS_CLASS_BOOLEAN:
    case JS_CLASS_SYMBOL: case JS_CLASS_BIGINT: case JS_CLASS_DATE: case JS_CLASS_GLOBAL:
        return 0;
    default: return 4;
    }
}

js_object *jsobj_new(js_thread *t, jsv proto, unsigned class_id)
{
    const js_class_ops *c = class_id < JS_CLASS_COUNT ? jsobj_classes[class_id] : NULL;
    size_t size = c ? c->size : min_size(class_id);
    js_shape *s;
    js_object *o;

    if (!jsv_is_object(proto))
        proto = JSV_NULL;   /* an intrinsic not installed yet reads as undefined */
    unsigned ninline = inline_slots(class_id);
    if (size < sizeof(js_object))
        size = sizeof(js_object);
    size = (size + sizeof(jsv) - 1) & ~(sizeof(jsv) - 1);
    s = jsshape_initial(t, proto);
    if (!s)
        return NULL;
    o = jsgc_alloc(t, size + (ninline ? (ninline + 1) * sizeof(jsv) : 0), JS_CELL_OBJECT);
    if (!o)
        return NULL;
    o->h.aux = class_id;
    o->h.flags = JS_OBJ_EXTENSIBLE | class_flags(c);
    o->shape = s;
    if (ninline) {
        jsv *area = (jsv *)(void *)((char *)o + size);
        area[0] = ninline | JSOBJ_SLOTS_INLINE;
        o->slots = area + 1;
    }
    if (class_id == JS_CLASS_ARRAY && size >= sizeof(js_array))
        ((js_array *)o)->length_writable = 1;
    return o;
}

static jsv intrinsic_or_null(js_thread *t, int id)
{
    jsv v = t->realm ? t->realm->intrinsics[id] : JSV_UNDEFINED;
    return jsv_is_object(v) ? v : JSV_NULL;
}

js_object *jsobj_new_plain(js_thread *t)
{
    return jsobj_new(t, intrinsic_or_null(t, JS_INTR_ObjectPrototype), JS_CLASS_OBJECT);
}

js_object *jsobj_new_from_ctor(js_thread *t, jsv new_target, int intrinsic, unsigned class_id)
{
    jsv proto;

    if (!jsv_is_object(new_target))
        return jsobj_new(t, intrinsic_or_null(t, intrinsic), class_id);
    proto = jsobj_get(t, JSV_OBJ(new_target), jskey_from_atom_id(t, JS_ATOM_prototype), new_target);
    if (proto == JSV_EXCEPTION)
        return NULL;
    if (!jsv_is_object(proto)) {
        js_realm *r = jsop_get_function_realm(t, JSV_OBJ(new_target));
        if (!r)
            return NULL;
        proto = r->intrinsics[intrinsic];
        if (!jsv_is_object(proto))
            proto = JSV_NULL;
    }
    return jsobj_new(t, proto, class_id);
}

js_accessor *jsobj_new_accessor(js_thread *t, jsv getter, jsv setter)
{
    js_accessor *a = jsgc_alloc(t, sizeof *a, JS_CELL_ACCESSOR);
    if (!a)
        return NULL;
    a->getter = getter;
    a->setter = setter;
    return a;
}

/* ---------------------------------------------------------------- own lookup */

enum { REF_NONE, REF_ELEM, REF_SLOT, REF_LENGTH };
typedef struct own_ref {
    int kind;
    uint32_t pos;      /* element index or slot */
    unsigned attrs;
} own_ref;

/* Where an own property of an ordinary object lives. Never allocates. */
static inline int ordinary_find(js_thread *t, js_object *o, js_key k, own_ref *r)
{
    js_shape_prop *p;

    if (jskey_is_index(k) && !(o->h.flags & JS_OBJ_SPARSE)) {
        uint32_t i = jskey_index(k);
        if (i < o->elen && o->elems[i] != JSV_HOLE) {
            r->kind = REF_ELEM;
            r->pos = i;
            r->attrs = JS_PROP_C_W_E;
            return 1;
        }
        r->kind = REF_NONE;
        return 0;
    }
    if (o->h.aux == JS_CLASS_ARRAY && k == jsobj_length_key(t)) {
        r->kind = REF_LENGTH;
        r->pos = 0;
        r->attrs = ((js_array *)o)->length_writable ? JS_PROP_WRITABLE : 0;
        return 1;
    }
    p = jsshape_find(o->shape, k);
    if (!p) {
        r->kind = REF_NONE;
        return 0;
    }
    r->kind = REF_SLOT;
    r->pos = p->slot;
    r->attrs = p->attrs;
    return 1;
}

static void ref_to_desc(js_object *o, const own_ref *r, js_propdesc *d)
{
    d->flags = (r->attrs & JS_PROP_C_W_E & ~JS_PROP_WRITABLE) | JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE;
    d->value = d->getter = d->setter = JSV_UNDEFINED;
    if (r->attrs & JS_PROP_ACCESSOR) {
        js_accessor *a = jsv_get_ptr(o->slots[r->pos]);
        d->flags |= JS_PROP_ACCESSOR | JS_DESC_HAS_GET | JS_DESC_HAS_SET;
        d->getter = a->getter;
        d->setter = a->setter;
        return;
    }
    d->flags |= (r->attrs & JS_PROP_WRITABLE) | JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE;
    switch (r->kind) {
    case REF_ELEM: d->value = o->elems[r->pos]; break;
    case REF_SLOT: d->value = o->slots[r->pos]; break;
    case REF_LENGTH: d->value = jsv_number((double)((js_array *)o)->length); break;
    }
}

static inline jsv ref_value(js_object *o, const own_ref *r)
{
    switch (r->kind) {
    case REF_ELEM: return o->elems[r->pos];
    case REF_SLOT: return o->slots[r->pos];
    default: return jsv_number((double)((js_array *)o)->length);
    }
}

int jsobj_ordinary_get_own_property(js_thread *t, js_object *o, js_key k, js_propdesc *d)
{
    own_ref r;
    if (!ordinary_find(t, o, k, &r))
        return 0;
    if (d)
        ref_to_desc(o, &r, d);
    return 1;
}

int jsobj_get_own_property(js_thread *t, js_object *o, js_key k, js_propdesc *d)
{
    const js_class_ops *c = jsobj_ops(o);
    js_propdesc tmp;
    if (c && c->get_own_property)
        return c->get_own_property(t, o, k, d ? d : &tmp);
    return jsobj_ordinary_get_own_property(t, o, k, d);
}

/* ---------------------------------------------------------------- errors */

static int throw_key_error(js_thread *t, const char *fmt, js_key k)
{
    char buf[96];
    jsvm_throw_type_error(t, fmt, jsobj_key_cstr(t, k, buf, sizeof buf));
    return -1;
}

/* ---------------------------------------------------------------- storage */

static int store_create(js_thread *t, js_object *o, js_key k, unsigned attrs, jsv value, jsv getter, jsv setter)
{
    uint32_t slot;
    jsv cellv = value;

    if (jskey_is_index(k) && !(o->h.flags & JS_OBJ_SPARSE)) {
        uint32_t i = jskey_index(k);
        if (attrs == JS_PROP_C_W_E && jsobj_dense_ok(o, i))
            return jsobj_dense_store(t, o, i, value);
        if (jsobj_make_sparse(t, o) < 0)
            return -1;
    }
    if (attrs & JS_PROP_ACCESSOR) {
        js_accessor *a = jsobj_new_accessor(t, getter, setter);
        if (!a)
            return -1;
        cellv = jsv_cell(a);
    }
    if (jsshape_object_add(t, o, k, attrs, &slot) < 0)
        return -1;
    o->slots[slot] = cellv;
    return 0;
}

/* Replace an existing property's attributes and contents (accessor cells are
 * reused when the property stays an accessor). */
static int store_update(js_thread *t, js_object *o, js_key k, own_ref *r, unsigned attrs,
                        jsv value, jsv getter, jsv setter)
{
    if (r->kind == REF_LENGTH) {
        js_array *a = (js_array *)o;
        if (!(attrs & JS_PROP_ACCESSOR) && jsv_is_number(value)) {
            a->length = (uint32_t)jsv_get_number(value);
            if (o->elen > a->length && !(o->h.flags & JS_OBJ_SPARSE))
                o->elen = a->length;
        }
        a->length_writable = (attrs & JS_PROP_WRITABLE) != 0;
        return 0;
    }
    if (r->kind == REF_ELEM) {
        if (attrs == JS_PROP_C_W_E) {
            o->elems[r->pos] = value;
            return 0;
        }
        if (jsobj_make_sparse(t, o) < 0)
            return -1;
        if (!ordinary_find(t, o, k, r))
            return -1;
    }
    if (attrs & JS_PROP_ACCESSOR) {
        jsv cur = o->slots[r->pos];
        if (r->attrs & JS_PROP_ACCESSOR) {
            js_accessor *a = jsv_get_ptr(cur);
            a->getter = getter;
            a->setter = setter;
        } else {
            js_accessor *a = jsobj_new_accessor(t, getter, setter);
            if (!a)
                return -1;
            o->slots[r->pos] = jsv_cell(a);
        }
    } else {
        o->slots[r->pos] = value;
    }
    if (attrs != r->attrs && jsshape_object_change_attrs(t, o, k, attrs) < 0)
        return -1;
    return 0;
}

/* ---------------------------------------------------------------- define */

static inline int desc_is_accessor(unsigned f) { return (f & (JS_DESC_HAS_GET | JS_DESC_HAS_SET)) != 0; }
static inline int desc_is_data(unsigned f) { return (f & (JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE)) != 0; }

/* ValidateAndApplyPropertyDescriptor with the ordinary storage of o (o NULL:
 * validate only). */
static int validate_and_apply(js_thread *t, js_object *o, js_key k, int extensible,
                              const js_propdesc *d, const js_propdesc *cur, own_ref *r)
{
    unsigned f = d->flags, attrs;
    jsv value, getter, setter;

    if (!cur) {
        if (!extensible)
            return 0;
        if (!o)
            return 1;
        attrs = f & (JS_PROP_ENUMERABLE | JS_PROP_CONFIGURABLE);
        if (!(f & JS_DESC_HAS_ENUMERABLE))
            attrs &= ~JS_PROP_ENUMERABLE;
        if (!(f & JS_DESC_HAS_CONFIGURABLE))
            attrs &= ~JS_PROP_CONFIGURABLE;
        if (desc_is_accessor(f)) {
            getter = (f & JS_DESC_HAS_GET) ? d->getter : JSV_UNDEFINED;
            setter = (f & JS_DESC_HAS_SET) ? d->setter : JSV_UNDEFINED;
            return store_create(t, o, k, attrs | JS_PROP_ACCESSOR, JSV_UNDEFINED, getter, setter) < 0 ? -1 : 1;
        }
        if ((f & JS_DESC_HAS_WRITABLE) && (f & JS_PROP_WRITABLE))
            attrs |= JS_PROP_WRITABLE;
        value = (f & JS_DESC_HAS_VALUE) ? d->value : JSV_UNDEFINED;
        return store_create(t, o, k, attrs, value, JSV_UNDEFINED, JSV_UNDEFINED) < 0 ? -1 : 1;
    }
    if (!(f & (JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE | JS_DESC_HAS_GET | JS_DESC_HAS_SET |
               JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE)))
        return 1;
    unsigned cf = cur->flags;
    int cur_acc = (cf & JS_PROP_ACCESSOR) || desc_is_accessor(cf);
    if (!(cf & JS_PROP_CONFIGURABLE)) {
        if ((f & JS_DESC_HAS_CONFIGURABLE) && (f & JS_PROP_CONFIGURABLE))
            return 0;
        if ((f & JS_DESC_HAS_ENUMERABLE) && ((f ^ cf) & JS_PROP_ENUMERABLE))
            return 0;
        if ((desc_is_accessor(f) || desc_is_data(f)) && desc_is_accessor(f) != cur_acc)
            return 0;
        if (cur_acc) {
            if ((f & JS_DESC_HAS_GET) && !jsop_same_value(d->getter, cur->getter))
                return 0;
            if ((f & JS_DESC_HAS_SET) && !jsop_same_value(d->setter, cur->setter))
                return 0;
        } else if (!(cf & JS_PROP_WRITABLE)) {
            if ((f & JS_DESC_HAS_WRITABLE) && (f & JS_PROP_WRITABLE))
                return 0;
            if ((f & JS_DESC_HAS_VALUE) && !jsop_same_value(d->value, cur->value))
                return 0;
        }
    }
    if (!o)
        return 1;
    attrs = cf & (JS_PROP_ENUMERABLE | JS_PROP_CONFIGURABLE);
    if (f & JS_DESC_HAS_ENUMERABLE)
        attrs = (attrs & ~JS_PROP_ENUMERABLE) | (f & JS_PROP_ENUMERABLE);
    if (f & JS_DESC_HAS_CONFIGURABLE)
        attrs = (attrs & ~JS_PROP_CONFIGURABLE) | (f & JS_PROP_CONFIGURABLE);
    if (desc_is_accessor(f) || (cur_acc && !desc_is_data(f))) {
        /* Accessor result: keep current functions unless replaced. */
        getter = cur_acc ? cur->getter : JSV_UNDEFINED;
        setter = cur_acc ? cur->setter : JSV_UNDEFINED;
        if (f & JS_DESC_HAS_GET)
            getter = d->getter;
        if (f & JS_DESC_HAS_SET)
            setter = d->setter;
        return store_update(t, o, k, r, attrs | JS_PROP_ACCESSOR, JSV_UNDEFINED, getter, setter) < 0 ? -1 : 1;
    }
    /* Data result. */
    if (!cur_acc) {
        attrs |= cf & JS_PROP_WRITABLE;
        value = cur->value;
    } else {
        value = JSV_UNDEFINED;
    }
    if (f & JS_DESC_HAS_WRITABLE)
        attrs = (attrs & ~JS_PROP_WRITABLE) | (f & JS_PROP_WRITABLE);
    if (f & JS_DESC_HAS_VALUE)
        value = d->value;
    return store_update(t, o, k, r, attrs, value, JSV_UNDEFINED, JSV_UNDEFINED) < 0 ? -1 : 1;
}

int jsobj_validate_and_apply(js_thread *t, js_object *o, js_key k, int extensible,
                             const js_propdesc *d, const js_propdesc *current, int has_current)
{
    own_ref r;
    if (o && has_current && !ordinary_find(t, o, k, &r)) {
        /* The exotic's current property is not in ordinary storage (virtual):
         * nothing to apply to, validation is all that is left. */
        return validate_and_apply(t, NULL, k, extensible, d, current, NULL);
    }
    return validate_and_apply(t, o, k, extensible, d, has_current ? current : NULL, &r);
}

int jsobj_ordinary_define_own_property(js_thread *t, js_object *o, js_key k, const js_propdesc *d, int flags)
{
    own_ref r;
    js_propdesc cur;
    int has = ordinary_find(t, o, k, &r), res;

    if (has)
        ref_to_desc(o, &r, &cur);
    res = validate_and_apply(t, o, k, (o->h.flags & JS_OBJ_EXTENSIBLE) != 0, d, has ? &cur : NULL, &r);
    if (res == 0 && (flags & JS_THROW))
        return throw_key_error(t, "Cannot redefine property: %s", k);
    return res;
}

int jsobj_define_own_property(js_thread *t, js_object *o, js_key k, const js_propdesc *d, int flags)
{
    const js_class_ops *c = jsobj_ops(o);
    int r;
    if (c && c->define_own_property) {
        r = c->define_own_property(t, o, k, d, flags);
        if (r == 0 && (flags & JS_THROW) && !t->has_exception)
            return throw_key_error(t, "Cannot redefine property: %s", k);
        return r;
    }
    return jsobj_ordinary_define_own_property(t, o, k, d, flags);
}

/* ---------------------------------------------------------------- has */

int jsobj_has_own_property(js_thread *t, js_object *o, js_key k)
{
    js_propdesc d;
    return jsobj_get_own_property(t, o, k, &d);
}

static int ordinary_has(js_thread *t, js_object *o, js_key k)
{
    own_ref r;
    for (int depth = 0;; depth++) {
        const js_class_ops *c = jsobj_ops(o);
        jsv proto;
        if (depth) {
            if (c && c->has_property) {
                if (jsvm_check_stack(t) < 0)
                    return -1;
                return c->has_property(t, o, k);
            }
        }
        if (c && c->get_own_property) {
            js_propdesc d;
            int res = c->get_own_property(t, o, k, &d);
            if (res)
                return res;
        } else if (ordinary_find(t, o, k, &r)) {
            return 1;
        }
        if (c && c->get_prototype_of) {
            if (c->get_prototype_of(t, o, &proto) < 0)
                return -1;
        } else {
            proto = o->shape->proto;
        }
        if (!jsv_is_object(proto))
            return 0;
        o = JSV_OBJ(proto);
    }
}

int jsobj_has_property(js_thread *t, js_object *o, js_key k)
{
    const js_class_ops *c = jsobj_ops(o);
    if (c && c->has_property)
        return c->has_property(t, o, k);
    return ordinary_has(t, o, k);
}

/* ---------------------------------------------------------------- get */

jsv jsobj_call_getter(js_thread *t, jsv accessor_cell, jsv receiver)
{
    js_accessor *a = jsv_get_ptr(accessor_cell);
    if (jsv_is_undefined(a->getter))
        return JSV_UNDEFINED;
    return jsvm_call(t, a->getter, receiver, 0, NULL);
}

jsv jsobj_ordinary_get(js_thread *t, js_object *o, js_key k, jsv receiver)
{
    own_ref r;
    for (int depth = 0;; depth++) {
        const js_class_ops *c = jsobj_ops(o);
        jsv proto;
        if (depth && c && c->get) {
            if (jsvm_check_stack(t) < 0)
                return JSV_EXCEPTION;
            return c->get(t, o, k, receiver);
        }
        if (c && c->get_own_property) {
            js_propdesc d;
            int res = c->get_own_property(t, o, k, &d);
            if (res < 0)
                return JSV_EXCEPTION;
            if (res) {
                if (!(d.flags & JS_PROP_ACCESSOR))
                    return d.value;
                if (jsv_is_undefined(d.getter))
                    return JSV_UNDEFINED;
                return jsvm_call(t, d.getter, receiver, 0, NULL);
            }
        } else if (ordinary_find(t, o, k, &r)) {
            if (r.attrs & JS_PROP_ACCESSOR)
                return jsobj_call_getter(t, o->slots[r.pos], receiver);
            return ref_value(o, &r);
        }
        if (c && c->get_prototype_of) {
            if (c->get_prototype_of(t, o, &proto) < 0)
                return JSV_EXCEPTION;
        } else {
            proto = o->shape->proto;
        }
        if (!jsv_is_object(proto))
            return JSV_UNDEFINED;
        o = JSV_OBJ(proto);
    }
}

jsv jsobj_get(js_thread *t, js_object *o, js_key k, jsv receiver)
{
    const js_class_ops *c = jsobj_ops(o);
    if (c && c->get)
        return c->get(t, o, k, receiver);
    return jsobj_ordinary_get(t, o, k, receiver);
}

/* ---------------------------------------------------------------- set */

/* OrdinarySetWithOwnDescriptor once the property (or its absence) is known. */
static int set_with_own_desc(js_thread *t, js_key k, jsv v, jsv receiver, const js_propdesc *own)
{
    if (!(own->flags & JS_PROP_ACCESSOR)) {
        js_object *ro;
        js_propdesc ex, nd;
        int res;
        if (!(own->flags & JS_PROP_WRITABLE))
            return 0;
        if (!jsv_is_object(receiver))
            return 0;
        ro = JSV_OBJ(receiver);
        res = jsobj_get_own_property(t, ro, k, &ex);
        if (res < 0)
            return -1;
        if (res) {
            if (ex.flags & JS_PROP_ACCESSOR)
                return 0;
            if (!(ex.flags & JS_PROP_WRITABLE))
                return 0;
            nd.flags = JS_DESC_HAS_VALUE;
            nd.value = v;
            nd.getter = nd.setter = JSV_UNDEFINED;
            return jsobj_define_own_property(t, ro, k, &nd, 0);
        }
        return jsobj_create_data_property(t, ro, k, v, 0);
    }
    if (jsv_is_undefined(own->setter))
        return 0;
    if (jsvm_call(t, own->setter, receiver, 1, &v) == JSV_EXCEPTION)
        return -1;
    return 1;
}

static inline int plain_define(const js_class_ops *c, js_object *o, js_key k, js_thread *t)
{
    if (!c || !c->define_own_property)
        return 1;
    return o->h.aux == JS_CLASS_ARRAY && k != jsobj_length_key(t);
}

int jsobj_ordinary_set(js_thread *t, js_object *o, js_key k, jsv v, jsv receiver, int flags)
{
    js_object *o0 = o;
    js_propdesc own;
    own_ref r;
    int res;

    for (int depth = 0;; depth++) {
        const js_class_ops *c = jsobj_ops(o);
        jsv proto;
        if (depth && c && c->set) {
            if (jsvm_check_stack(t) < 0)
                return -1;
            res = c->set(t, o, k, v, receiver);
            goto done;
        }
        if (c && c->get_own_property) {
            res = c->get_own_property(t, o, k, &own);
            if (res < 0)
                return -1;
            if (res)
                break;
        } else if (ordinary_find(t, o, k, &r)) {
            /* Fast path: a writable data property of the receiver itself. */
            if (depth == 0 && receiver == jsv_object(o) && (r.attrs & (JS_PROP_WRITABLE | JS_PROP_ACCESSOR)) ==
                JS_PROP_WRITABLE && r.kind != REF_LENGTH && plain_define(c, o, k, t)) {
                if (r.kind == REF_ELEM)
                    o->elems[r.pos] = v;
                else
                    o->slots[r.pos] = v;
                return 1;
            }
            ref_to_desc(o, &r, &own);
            break;
        }
        if (c && c->get_prototype_of) {
            if (c->get_prototype_of(t, o, &proto) < 0)
                return -1;
        } else {
            proto = o->shape->proto;
        }
        if (!jsv_is_object(proto)) {
            /* Fast path: a new property on an ordinary receiver that was
             * the start of the walk (its own lookup above found nothing). */
            if (receiver == jsv_object(o0) && !(o0->h.flags & JS_OBJ_EXOTIC) &&
                !(jskey_is_index(k) && o0->h.aux == JS_CLASS_ARRAY) && plain_define(jsobj_ops(o0), o0, k, t)) {
                if (!(o0->h.flags & JS_OBJ_EXTENSIBLE)) {
                    res = 0;
                    goto done;
                }
                return store_create(t, o0, k, JS_PROP_C_W_E, v, JSV_UNDEFINED, JSV_UNDEFINED) < 0 ? -1 : 1;
            }
            own.flags = JS_PROP_C_W_E;
            own.value = own.getter = own.setter = JSV_UNDEFINED;
            break;
        }
        o = JSV_OBJ(proto);
    }
    res = set_with_own_desc(t, k, v, receiver, &own);
done:
    if (res == 0 && (flags & JS_THROW) && !t->has_exception)
        return throw_key_error(t, "Cannot assign to read only property '%s' of object", k);
    return res;
}

int jsobj_set(js_thread *t, js_object *o, js_key k, jsv v, jsv receiver, int flags)
{
    const js_class_ops *c = jsobj_ops(o);
    if (c && c->set) {
        int r = c->set(t, o, k, v, receiver);
        if (r == 0 && (flags & JS_THROW) && !t->has_exception)
            return throw_key_error(t, "Cannot assign to read only property '%s' of object", k);
        return r;
    }
    return jsobj_ordinary_set(t, o, k, v, receiver, flags);
}

/* ---------------------------------------------------------------- delete */

int jsobj_ordinary_delete(js_thread *t, js_object *o, js_key k, int flags)
{
    own_ref r;
    if (!ordinary_find(t, o, k, &r))
        return 1;
    if (!(r.attrs & JS_PROP_CONFIGURABLE)) {
        if (flags & JS_THROW)
            return throw_key_error(t, "Cannot delete property '%s' of object", k);
        return 0;
    }
    if (r.kind == REF_ELEM) {
        o->elems[r.pos] = JSV_HOLE;
        if (r.pos + 1 == o->elen) {
            while (o->elen && o->elems[o->elen - 1] == JSV_HOLE)
                o->elen--;
        }
        return 1;
    }
    return jsshape_object_remove(t, o, k) < 0 ? -1 : 1;
}

int jsobj_delete(js_thread *t, js_object *o, js_key k, int flags)
{
    const js_class_ops *c = jsobj_ops(o);
    if (c && c->delete_property) {
        int r = c->delete_property(t, o, k);
        if (r == 0 && (flags & JS_THROW) && !t->has_exception)
            return throw_key_error(t, "Cannot delete property '%s' of object", k);
        return r;
    }
    return jsobj_ordinary_delete(t, o, k, flags);
}

/* ---------------------------------------------------------------- own keys */

int jsobj_ordinary_own_keys(js_thread *t, js_object *o, js_keylist *out)
{
    js_shape *s = o->shape;
    uint32_t first = out->count;

    if (!(o->h.flags & JS_OBJ_SPARSE)) {
        for (uint32_t i = 0; i < o->elen; i++)
            if (o->elems[i] != JSV_HOLE && jskeylist_push(t, out, jskey_from_index(i)) < 0)
                return -1;
    } else {
        for (uint32_t i = 0; i < s->count; i++)
            if (jskey_is_index(s->props[i].key) && jskeylist_push(t, out, s->props[i].key) < 0)
                return -1;
        jsobj_sort_index_keys(out->keys + first, out->count - first);
    }
    if (o->h.aux == JS_CLASS_ARRAY && jskeylist_push(t, out, jsobj_length_key(t)) < 0)
        return -1;
    s = o->shape;
    for (uint32_t i = 0; i < s->count; i++)
        if (jsv_is_string(s->props[i].key) && jskeylist_push(t, out, s->props[i].key) < 0)
            return -1;
    s = o->shape;
    for (uint32_t i = 0; i < s->count; i++)
        if (jsv_is_symbol(s->props[i].key) && !(JSV_SYM(s->props[i].key)->h.flags & JS_SYM_PRIVATE)
            && jskeylist_push(t, out, s->props[i].key) < 0)
            return -1;
    return 0;
}

int jsobj_own_keys(js_thread *t, js_object *o, js_keylist *out)
{
    const js_class_ops *c = jsobj_ops(o);
    if (c && c->own_keys)
        return c->own_keys(t, o, out);
    return jsobj_ordinary_own_keys(t, o, out);
}

/* ---------------------------------------------------------------- prototype, extensibility */

int jsobj_get_prototype_of(js_thread *t, js_object *o, jsv *out)
{
    const js_class_ops *c = jsobj_ops(o);
    if (c && c->get_prototype_of)
        return c->get_prototype_of(t, o, out);
    *out = o->shape->proto;
    return 0;
}

static int is_object_prototype(js_thread *t, js_object *o)
{
    if (o->h.flags & JS_OBJ_IMMUTABLE_PROTO)
        return 1;
    for (js_realm *r = t->rt->realms; r; r = r->next) {
        if (r->intrinsics[JS_INTR_ObjectPrototype] == jsv_object(o)) {
            o->h.flags |= JS_OBJ_IMMUTABLE_PROTO;
            return 1;
        }
    }
    if (t->realm && t->realm->intrinsics[JS_INTR_ObjectPrototype] == jsv_object(o)) {
        o->h.flags |= JS_OBJ_IMMUTABLE_PROTO;
        return 1;
    }
    return 0;
}

int jsobj_ordinary_set_prototype_of(js_thread *t, js_object *o, jsv proto)
{
    jsv p = proto;
    if (o->shape->proto == proto)
        return 1;
    if (is_object_prototype(t, o))
        return 0;
    if (!(o->h.flags & JS_OBJ_EXTENSIBLE))
        return 0;
    while (jsv_is_object(p)) {
        js_object *po = JSV_OBJ(p);
        const js_class_ops *c = jsobj_ops(po);
        if (po == o)
            return 0;
        if (c && c->get_prototype_of)
            break;
        p = po->shape->proto;
    }
    return jsshape_object_set_proto(t, o, proto) < 0 ? -1 : 1;
}

int jsobj_set_prototype_of(js_thread *t, js_object *o, jsv proto, int flags)
{
    const js_class_ops *c = jsobj_ops(o);
    int r = c && c->set_prototype_of ? c->set_prototype_of(t, o, proto)
                                     : jsobj_ordinary_set_prototype_of(t, o, proto);
    if (r == 0 && (flags & JS_THROW) && !t->has_exception) {
        jsvm_throw_type_error(t, (o->h.flags & JS_OBJ_EXTENSIBLE) ? "Cyclic __proto__ value or immutable prototype"
                                                                  : "Cannot set prototype of a non-extensible object");
        return -1;
    }
    return r;
}

int jsobj_is_extensible(js_thread *t, js_object *o)
{
    const js_class_ops *c = jsobj_ops(o);
    if (c && c->is_extensible)
        return c->is_extensible(t, o);
    return (o->h.flags & JS_OBJ_EXTENSIBLE) != 0;
}

int jsobj_prevent_extensions(js_thread *t, js_object *o, int flags)
{
    const js_class_ops *c = jsobj_ops(o);
    if (c && c->prevent_extensions) {
        int r = c->prevent_extensions(t, o);
        if (r == 0 && (flags & JS_THROW) && !t->has_exception) {
            jsvm_throw_type_error(t, "Cannot prevent extensions");
            return -1;
        }
        return r;
    }
    o->h.flags &= ~JS_OBJ_EXTENSIBLE;
    return 1;
}

/* ---------------------------------------------------------------- conveniences */

int jsobj_create_data_property(js_thread *t, js_object *o, js_key k, jsv v, int flags)
{
    js_propdesc d;
    const js_class_ops *c = jsobj_ops(o);

    /* Fast path: a new element appended to a dense ordinary object. */
    if ((!c || !c->define_own_property || o->h.aux == JS_CLASS_ARRAY) && !(o->h.flags & JS_OBJ_EXOTIC) &&
        jskey_is_index(k) && (o->h.flags & JS_OBJ_EXTENSIBLE) && !(o->h.flags & JS_OBJ_SPARSE)) {
        uint32_t i = jskey_index(k);
        if (i < o->elen && o->elems[i] != JSV_HOLE) {
            o->elems[i] = v;
            return 1;
        }
        if (o->h.aux != JS_CLASS_ARRAY && jsobj_dense_ok(o, i))
            return jsobj_dense_store(t, o, i, v) < 0 ? -1 : 1;
        if (o->h.aux == JS_CLASS_ARRAY && jsobj_dense_ok(o, i)) {
            js_array *a = (js_array *)o;
            if (i < a->length || a->length_writable) {
                if (jsobj_dense_store(t, o, i, v) < 0)
                    return -1;
                if (i >= a->length)
                    a->length = i + 1;
                return 1;
            }
        }
    }
    d.flags = JS_PROP_C_W_E | JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE | JS_DESC_HAS_ENUMERABLE |
              JS_DESC_HAS_CONFIGURABLE;
    d.value = v;
    d.getter = d.setter = JSV_UNDEFINED;
    return jsobj_define_own_property(t, o, k, &d, flags);
}

/* Set-up and literal definitions: create, or replace an existing property
 * ({a: 1, a: 2} and repeated set-up must not duplicate a key). */
static int define_fast(js_thread *t, js_object *o, js_key k, unsigned attrs, jsv value, jsv getter, jsv setter)
{
    own_ref r;
    if (ordinary_find(t, o, k, &r))
        return store_update(t, o, k, &r, attrs, value, getter, setter);
    if (store_create(t, o, k, attrs, value, getter, setter) < 0)
        return -1;
    if (jskey_is_index(k) && o->h.aux == JS_CLASS_ARRAY) {
        js_array *a = (js_array *)o;
        if (jskey_index(k) >= a->length)
            a->length = jskey_index(k) + 1;
    }
    return 0;
}

int jsobj_define_value(js_thread *t, js_object *o, js_key k, jsv v, unsigned attrs)
{
    return define_fast(t, o, k, attrs & JS_PROP_C_W_E, v, JSV_UNDEFINED, JSV_UNDEFINED);
}

int jsobj_define_accessor(js_thread *t, js_object *o, js_key k, jsv getter, jsv setter, unsigned attrs)
{
    attrs &= JS_PROP_ENUMERABLE | JS_PROP_CONFIGURABLE;
    return define_fast(t, o, k, attrs | JS_PROP_ACCESSOR, JSV_UNDEFINED, getter, setter);
}

static js_object *proto_for_primitive(js_thread *t, jsv v)
{
    int id;
    if (jsv_is_number(v))
        id = JS_INTR_NumberPrototype;
    else if (jsv_is_string(v))
        id = JS_INTR_StringPrototype;
    else if (jsv_is_bool(v))
        id = JS_INTR_BooleanPrototype;
    else if (jsv_is_symbol(v))
        id = JS_INTR_SymbolPrototype;
    else if (jsv_is_bigint(v))
        id = JS_INTR_BigIntPrototype;
    else
        return NULL;
    v = t->realm->intrinsics[id];
    return jsv_is_object(v) ? JSV_OBJ(v) : NULL;
}

jsv jsobj_get_value(js_thread *t, jsv obj, js_key k)
{
    js_object *p;
    if (jsv_is_object(obj))
        return jsobj_get(t, JSV_OBJ(obj), k, obj);
    if (jsv_is_nullish(obj)) {
        char buf[96];
        return jsvm_throw_type_error(t, "Cannot read properties of %s (reading '%s')",
                                     jsv_is_null(obj) ? "null" : "undefined", jsobj_key_cstr(t, k, buf, sizeof buf));
    }
    if (jsv_is_string(obj)) {
        js_string *s = JSV_STR(obj);
        if (k == jsobj_length_key(t))
            return jsv_from_int((int32_t)s->len);
        if (jskey_is_index(k) && jskey_index(k) < s->len) {
            js_string *c = jsstr_from_char(t, jsstr_char_at(s, jskey_index(k)));
            return c ? jsv_string(c) : JSV_EXCEPTION;
        }
    }
    p = proto_for_primitive(t, obj);
    if (!p)
        return JSV_UNDEFINED;
    return jsobj_get(t, p, k, obj);
}

int jsobj_set_value(js_thread *t, jsv obj, js_key k, jsv v, int flags)
{
    js_object *p;
    if (jsv_is_object(obj))
        return jsobj_set(t, JSV_OBJ(obj), k, v, obj, flags);
    if (jsv_is_nullish(obj)) {
        char buf[96];
        jsvm_throw_type_error(t, "Cannot set properties of %s (setting '%s')",
                              jsv_is_null(obj) ? "null" : "undefined", jsobj_key_cstr(t, k, buf, sizeof buf));
        return -1;
    }
    if (jsv_is_string(obj) &&
        (k == jsobj_length_key(t) || (jskey_is_index(k) && jskey_index(k) < JSV_STR(obj)->len))) {
        if (flags & JS_THROW)
            return throw_key_error(t, "Cannot assign to read only property '%s' of string", k);
        return 0;
    }
    p = proto_for_primitive(t, obj);
    if (!p)
        return 0;
    return jsobj_set(t, p, k, v, obj, flags);
}

static js_key index_key(js_thread *t, uint32_t i)
{
    char buf[16];
    if (i != UINT32_MAX)
        return jskey_from_index(i);
    snprintf(buf, sizeof buf, "%u", i);
    return jskey_from_cstr(t, buf);
}

jsv jsobj_get_index(js_thread *t, js_object *o, uint32_t i)
{
    js_key k;
    if (!(o->h.flags & (JS_OBJ_SPARSE | JS_OBJ_EXOTIC)) && i < o->elen && o->elems[i] != JSV_HOLE)
        return o->elems[i];
    k = index_key(t, i);
    if (k == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    return jsobj_get(t, o, k, jsv_object(o));
}

int jsobj_set_index(js_thread *t, js_object *o, uint32_t i, jsv v, int flags)
{
    js_key k;
    if (!(o->h.flags & (JS_OBJ_SPARSE | JS_OBJ_EXOTIC)) && i < o->elen && o->elems[i] != JSV_HOLE &&
        plain_define(jsobj_ops(o), o, jskey_from_index(i), t)) {
        o->elems[i] = v;
        return 1;
    }
    k = index_key(t, i);
    if (k == JSV_EXCEPTION)
        return -1;
    return jsobj_set(t, o, k, v, jsv_object(o), flags);
}

/* ---------------------------------------------------------------- GC */

void jsobj_trace(js_gc_tracer *trc, js_object *o)
{
    const js_class_ops *c = jsobj_ops(o);
    js_shape *s = o->shape;
    if (s) {
        jsgc_mark_cell(trc, s);
        if (o->slots)
            jsgc_mark_values(trc, o->slots, s->nslots);
    }
    if (o->elems)
        jsgc_mark_values(trc, o->elems, o->elen);
    if (c && c->trace)
        c->trace(trc, o);
}

void jsobj_finalize(js_runtime *rt, js_object *o)
{
    const js_class_ops *c = jsobj_ops(o);
    if (c && c->finalize)
        c->finalize(rt, o);
    jsshape_free_slots(rt, o);
    if (o->elems)
        jsgc_free(rt, o->elems, (size_t)o->ecap * sizeof(jsv));
    o->elems = NULL;
}

/* ---------------------------------------------------------------- ordinary classes */

const js_class_ops jsclass_object = { .name = "Object", .size = sizeof(js_object) };
const js_class_ops jsclass_global = { .name = "global", .size = sizeof(js_object) };
