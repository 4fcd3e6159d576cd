/*
 * array.c - element storage (dense elems and the switch to sparse index keys)
 * and the Array exotic object: ArrayDefineOwnProperty, ArraySetLength, IsArray,
 * array creation. Must not touch shape internals (shape.c) and never calls
 * user code except through the ToNumber/ToUint32 of ArraySetLength.
 */
#include <assert.h>
#include <stdlib.h>
#include "object_priv.h"

/* A new index this far past the dense end makes the object sparse: holes cost
 * 8 bytes each and nobody fills a gap that size in order. */
#define DENSE_GAP 1024
/* new Array(n) reserves storage up front up to this many elements. */
#define ARRAY_PREALLOC_MAX 65536
/* More elements than this go straight to a dictionary shape when sparse. */
#define SPARSE_DICT_MIN 16

/* ---------------------------------------------------------------- elements */

int jsobj_dense_ok(const js_object *o, uint32_t i)
{
    if (o->h.flags & JS_OBJ_SPARSE)
        return 0;
    if (i < o->ecap)
        return 1;
    /* Only near the dense end: a gap relative to elen (say 2 * elen) would
     * let a doubling index pattern allocate gigabytes of holes. */
    return (uint64_t)i <= (uint64_t)o->elen + DENSE_GAP;
}

int jsobj_elems_reserve(js_thread *t, js_object *o, uint32_t n)
{
    jsv *ne;
    if (n <= o->ecap)
        return 0;
    ne = o->elems ? jsgc_realloc(t, o->elems, (size_t)o->ecap * sizeof(jsv), (size_t)n * sizeof(jsv))
                  : jsgc_malloc(t, (size_t)n * sizeof(jsv));
    if (!ne)
        return -1;
    o->elems = ne;
    o->ecap = n;
    return 0;
}

int jsobj_dense_store(js_thread *t, js_object *o, uint32_t i, jsv v)
{
    assert(!(o->h.flags & JS_OBJ_SPARSE));
    if (i >= o->ecap) {
        uint64_t n = (uint64_t)o->ecap + o->ecap / 2;
        if (n < (uint64_t)i + 1)
            n = (uint64_t)i + 1;
        if (n < 8)
            n = 8;
        if (n > UINT32_MAX)
            n = UINT32_MAX;
        if (jsobj_elems_reserve(t, o, (uint32_t)n) < 0)
            return -1;
    }
    while (o->elen < i)
        o->elems[o->elen++] = JSV_HOLE;
    o->elems[i] = v;
    if (i >= o->elen)
        o->elen = i + 1;
    return 0;
}

int jsobj_make_sparse(js_thread *t, js_object *o)
{
    uint32_t n = 0, slot;

    if (o->h.flags & JS_OBJ_SPARSE)
        return 0;
    for (uint32_t i = 0; i < o->elen; i++)
        n += o->elems[i] != JSV_HOLE;
    if (n > SPARSE_DICT_MIN && jsshape_object_to_dict(t, o) < 0)
        return -1;
    /* Elements stay authoritative until the flag flips, so an OOM half way
     * leaves a consistent (dense) object. */
    for (uint32_t i = 0; i < o->elen; i++) {
        if (o->elems[i] == JSV_HOLE)
            continue;
        if (jsshape_object_add(t, o, jskey_from_index(i), JS_PROP_C_W_E, &slot) < 0)
            return -1;
        o->slots[slot] = o->elems[i];
    }
    o->h.flags |= JS_OBJ_SPARSE;
    if (o->elems)
        jsgc_free(t->rt, o->elems, (size_t)o->ecap * sizeof(jsv));
    o->elems = NULL;
    o->elen = o->ecap = 0;
    return 0;
}

static int cmp_index(const void *a, const void *b)
{
    uint32_t x = jskey_index(*(const js_key *)a), y = jskey_index(*(const js_key *)b);
    return x < y ? -1 : x > y;
}

void jsobj_sort_index_keys(js_key *keys, uint32_t n)
{
    if (n > 1)
        qsort(keys, n, sizeof *keys, cmp_index);
}

/* ---------------------------------------------------------------- creation */

static jsv array_proto(js_thread *t)
{
    jsv p = t->realm ? t->realm->intrinsics[JS_INTR_ArrayPrototype] : JSV_UNDEFINED;
    return jsv_is_object(p) ? p : JSV_NULL;
}

js_object *jsobj_new_array(js_thread *t, uint32_t len)
{
    js_object *o = jsobj_new(t, array_proto(t), JS_CLASS_ARRAY);
    if (!o)
        return NULL;
    ((js_array *)o)->length = len;
    if (len && len <= ARRAY_PREALLOC_MAX && jsobj_elems_reserve(t, o, len) < 0)
        return NULL;
    return o;
}

js_object *jsobj_new_array_from(js_thread *t, uint32_t n, const jsv *values)
{
    js_object *o = jsobj_new(t, array_proto(t), JS_CLASS_ARRAY);
    if (!o)
        return NULL;
    if (n) {
        if (jsobj_elems_reserve(t, o, n) < 0)
            return NULL;
        memcpy(o->elems, values, (size_t)n * sizeof(jsv));
        o->elen = n;
    }
    ((js_array *)o)->length = n;
    return o;
}

int jsarray_push(js_thread *t, js_object *o, jsv v)
{
    js_array *a = (js_array *)o;
    assert(o->h.aux == JS_CLASS_ARRAY);
    if (a->length == UINT32_MAX) {
        jsvm_throw_range_error(t, "Invalid array length");
        return -1;
    }
    if (!(o->h.flags & JS_OBJ_SPARSE) && (o->h.flags & JS_OBJ_EXTENSIBLE) && a->length_writable &&
        o->elen == a->length && jsobj_dense_ok(o, a->length)) {
        if (jsobj_dense_store(t, o, a->length, v) < 0)
            return -1;
        a->length++;
        return 0;
    }
    /* Not a fresh array: CreateDataPropertyOrThrow. */
    return jsobj_create_data_property(t, o, jskey_from_index(a->length), v, JS_THROW) < 0 ? -1 : 0;
}

int jsobj_is_array(js_thread *t, jsv v)
{
    for (int depth = 0; jsv_is_object(v); depth++) {
        js_object *o = JSV_OBJ(v);
        if (o->h.aux == JS_CLASS_ARRAY)
            return 1;
        if (o->h.aux != JS_CLASS_PROXY || !jsbi_proxy_target)
            return 0;
        if ((depth & 63) == 63 && jsvm_check_stack(t) < 0)
            return -1;
        if (jsbi_proxy_target(o, &v) < 0) {
            jsvm_throw_type_error(t, "Cannot perform 'IsArray' on a proxy that has been revoked");
            return -1;
        }
    }
    return 0;
}

/* ---------------------------------------------------------------- Array exotic */

static int cmp_index_desc(const void *a, const void *b)
{
    return cmp_index(b, a);
}

/* Delete the own index keys >= new_len of a sparse array, highest first.
 * Returns 1, 0 with *stop = the index that refused, or -1. */
static int delete_from(js_thread *t, js_object *o, uint32_t new_len, uint32_t *stop)
{
    js_keylist l = { 0 };
    js_shape *s = o->shape;
    int res = 1;

    for (uint32_t i = 0; i < s->count; i++) {
        js_key k = s->props[i].key;
        if (jskey_is_index(k) && jskey_index(k) >= new_len && jskeylist_push(t, &l, k) < 0) {
            jskeylist_free(t->rt, &l);
            return -1;
        }
    }
    if (l.count > 1)
        qsort(l.keys, l.count, sizeof *l.keys, cmp_index_desc);
    for (uint32_t i = 0; i < l.count; i++) {
        int r = jsobj_ordinary_delete(t, o, l.keys[i], 0);
        if (r <= 0) {
            *stop = jskey_index(l.keys[i]);
            res = r;
            break;
        }
    }
    jskeylist_free(t->rt, &l);
    return res;
}

int jsarray_set_length(js_thread *t, js_object *o, const js_propdesc *d, int flags)
{
    js_array *a = (js_array *)o;
    js_propdesc nd;
    uint32_t new_len, old_len, stop = 0;
    double num;
    int new_writable, r;
    js_key lk = jsobj_length_key(t);

    if (!(d->flags & JS_DESC_HAS_VALUE))
        return jsobj_ordinary_define_own_property(t, o, lk, d, flags);
    nd = *d;
    if (jsop_to_uint32(t, d->value, &new_len) < 0)
        return -1;
    if (jsop_to_number(t, d->value, &num) < 0)
        return -1;
    if ((double)new_len != num) {
        jsvm_throw_range_error(t, "Invalid array length");
        return -1;
    }
    nd.value = jsv_number((double)new_len);
    old_len = a->length;
    if (new_len >= old_len)
        return jsobj_ordinary_define_own_property(t, o, lk, &nd, flags);
    if (!a->length_writable)
        goto fail;
    new_writable = !(nd.flags & JS_DESC_HAS_WRITABLE) || (nd.flags & JS_PROP_WRITABLE);
    if (!new_writable)
        nd.flags |= JS_PROP_WRITABLE;
    r = jsobj_ordinary_define_own_property(t, o, lk, &nd, 0);
    if (r <= 0) {
        if (r == 0)
            goto fail;
        return -1;
    }
    /* Dense elements are all configurable: the ordinary define above already
     * cut elen. Sparse ones may refuse. */
    if (o->h.flags & JS_OBJ_SPARSE) {
        r = delete_from(t, o, new_len, &stop);
        if (r < 0)
            return -1;
        if (r == 0) {
            a->length = stop + 1;
            if (!new_writable)
                a->length_writable = 0;
            goto fail;
        }
    }
    if (!new_writable)
        a->length_writable = 0;
    return 1;
fail:
    if (flags & JS_THROW) {
        jsvm_throw_type_error(t, "Cannot redefine property: length");
        return -1;
    }
    return 0;
}

int jsarray_define_own_property(js_thread *t, js_object *o, js_key k, const js_propdesc *d, int flags)
{
    js_array *a = (js_array *)o;
    if (jskey_is_index(k)) {
        uint32_t i = jskey_index(k);
        int r;
        if (i >= a->length && !a->length_writable)
            return 0;
        r = jsobj_ordinary_define_own_property(t, o, k, d, 0);
        if (r <= 0)
            return r;
        if (i >= a->length)
            a->length = i + 1;
        return 1;
    }
    if (k == jsobj_length_key(t))
        return jsarray_set_length(t, o, d, flags);
    return jsobj_ordinary_define_own_property(t, o, k, d, flags);
}

const js_class_ops jsclass_array = {
    .name = "Array",
    .size = sizeof(js_array),
    .define_own_property = jsarray_define_own_property,
};
