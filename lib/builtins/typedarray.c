/*
 * typedarray.c - the TypedArray exotic object (integer-indexed element access
 * over ArrayBuffer bytes), element conversions (Float16 included), %TypedArray%
 * and its 12 constructors, %TypedArray%.from/of. The prototype methods live in
 * typedarray_methods.c. Must not touch buffer internals beyond binary.h.
 */
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "binary.h"
#include "../core/bigint.h"
#include "../core/string.h"

const uint8_t jsta_elem_size[JSTA_KIND_COUNT] = { 1, 1, 1, 2, 2, 4, 4, 2, 4, 8, 8, 8 };
const char *const jsta_names[JSTA_KIND_COUNT] = {
    "Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array",
    "Uint32Array", "Float16Array", "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array",
};

/* ---- Float16 (binary16), correctly rounded in software ---- */

double jsta_f16_to_double(uint16_t h)
{
    int e = (h >> 10) & 31, m = h & 1023;
    double v;
    if (e == 0)
        v = ldexp(m, -24);
    else if (e == 31)
        v = m ? NAN : INFINITY;
    else
        v = ldexp(1024 + m, e - 25);
    return (h & 0x8000) ? -v : v;
}

uint16_t jsta_double_to_f16(double d)
{
    uint16_t sign = signbit(d) ? 0x8000 : 0;
    double a = fabs(d);
    int e;
    if (d != d)
        return 0x7e00;
    if (a >= 65520.0)   /* halfway between 65504 and 2^16 rounds to even: infinity */
        return sign | 0x7c00;
    if (a < 0x1p-14)    /* subnormal: an integer multiple of 2^-24; rint rounds half to even */
        return sign | (uint16_t)rint(a * 0x1p24);
    double fr = frexp(a, &e);
    uint32_t mant = (uint32_t)rint((fr * 2 - 1) * 1024);
    uint32_t ex = (uint32_t)(e - 1 + 15);
    if (mant == 1024) {
        mant = 0;
        ex++;
    }
    if (ex >= 31)
        return sign | 0x7c00;
    return sign | (uint16_t)(ex << 10) | (uint16_t)mant;
}

/* ---- raw elements ---- */

jsv jsta_read_elem(js_thread *t, int kind, const uint8_t *p)
{
    switch (kind) {
    case JSTA_INT8: return jsv_from_int(*(const int8_t *)p);
    case JSTA_UINT8: case JSTA_UINT8C: return jsv_from_int(*p);
    case JSTA_INT16: { int16_t v; memcpy(&v, p, 2); return jsv_from_int(v); }
    case JSTA_UINT16: { uint16_t v; memcpy(&v, p, 2); return jsv_from_int(v); }
    case JSTA_INT32: { int32_t v; memcpy(&v, p, 4); return jsv_from_int(v); }
    case JSTA_UINT32: { uint32_t v; memcpy(&v, p, 4); return jsv_number(v); }
    case JSTA_FLOAT16: { uint16_t v; memcpy(&v, p, 2); return jsv_number(jsta_f16_to_double(v)); }
    case JSTA_FLOAT32: { float v; memcpy(&v, p, 4); return jsv_number(v); }
    case JSTA_FLOAT64: { double v; memcpy(&v, p, 8); return jsv_number(v); }
    case JSTA_BIGINT64: {
        int64_t v; memcpy(&v, p, 8);
        js_bigint *b = jsbig_from_int64(t, v);
        return b ? jsv_bigint(b) : JSV_EXCEPTION;
    }
    default: {
        uint64_t v; memcpy(&v, p, 8);
        js_bigint *b = jsbig_from_uint64(t, v);
        return b ? jsv_bigint(b) : JSV_EXCEPTION;
    }
    }
}

static uint8_t to_uint8_clamp(double d)
{
    if (!(d > 0)) return 0;
    if (d >= 255) return 255;
    double f = floor(d);
    if (f + 0.5 < d) return (uint8_t)(f + 1);
    if (d < f + 0.5) return (uint8_t)f;
    return ((int)f & 1) ? (uint8_t)(f + 1) : (uint8_t)f;
}

void jsta_write_elem(int kind, uint8_t *p, jsv v)
{
    if (jsta_is_bigint(kind)) {
        uint64_t x = kind == JSTA_BIGINT64 ? (uint64_t)jsbig_to_int64(JSV_BIG(v)) : jsbig_to_uint64(JSV_BIG(v));
        memcpy(p, &x, 8);
        return;
    }
    double d = jsv_get_number(v);
    switch (kind) {
    case JSTA_INT8: case JSTA_UINT8: *p = (uint8_t)jsop_double_to_int32(d); break;
    case JSTA_UINT8C: *p = to_uint8_clamp(d); break;
    case JSTA_INT16: case JSTA_UINT16: { uint16_t x = (uint16_t)jsop_double_to_int32(d); memcpy(p, &x, 2); break; }
    case JSTA_INT32: case JSTA_UINT32: { uint32_t x = (uint32_t)jsop_double_to_int32(d); memcpy(p, &x, 4); break; }
    case JSTA_FLOAT16: { uint16_t x = jsta_double_to_f16(d); memcpy(p, &x, 2); break; }
    case JSTA_FLOAT32: { float x = (float)d; memcpy(p, &x, 4); break; }
    default: memcpy(p, &d, 8); break;
    }
}

jsv jsta_convert(js_thread *t, int kind, jsv v)
{
    if (jsta_is_bigint(kind))
        return jsbi_to_bigint(t, v);
    if (jsv_is_number(v))
        return v;
    return jsop_to_number_value(t, v);
}

/* ---- lengths and bounds ---- */

js_typed_array *jsta_get(jsv v)
{
    if (!jsv_is_object(v) || jsobj_class(JSV_OBJ(v)) != JS_CLASS_TYPED_ARRAY)
        return NULL;
    return (js_typed_array *)JSV_OBJ(v);
}

int64_t jsta_length(const js_typed_array *ta)
{
    js_array_buffer *b = ta->buffer;
    if (!b || jsab_is_detached(b))
        return -1;
    size_t blen = jsab_length(b), es = jsta_elem_size[ta->kind];
    if (ta->byte_offset > blen)
        return -1;
    if (ta->length_tracking)
        return (int64_t)((blen - ta->byte_offset) / es);
    if (ta->byte_offset + ta->length * es > blen)
        return -1;
    return (int64_t)ta->length;
}

js_typed_array *jsta_validate(js_thread *t, jsv v, int64_t *len)
{
    js_typed_array *ta = jsta_get(v);
    if (!ta) {
        jsvm_throw_type_error(t, "not a TypedArray");
        return NULL;
    }
    int64_t n = jsta_length(ta);
    if (n < 0) {
        jsvm_throw_type_error(t, jsab_is_detached(ta->buffer) ? "TypedArray buffer is detached"
                                                              : "TypedArray is out of bounds");
        return NULL;
    }
    if (len)
        *len = n;
    return ta;
}

js_typed_array *jsta_validate_write(js_thread *t, jsv v, int64_t *len)
{
    js_typed_array *ta = jsta_get(v);
    if (ta && ta->buffer->immutable) {
        jsvm_throw_type_error(t, "TypedArray is backed by an immutable ArrayBuffer");
        return NULL;
    }
    return jsta_validate(t, v, len);
}

int jsbi_typed_array_length(js_thread *t, js_object *o, int64_t *len)
{
    return jsta_validate(t, jsv_object(o), len) ? 0 : -1;
}

/* ---- the exotic object ---- */

/* CanonicalNumericIndexString on a canonical key: 1 and *out when numeric,
 * 0 when not, -1 on OOM. Array-index keys arrive int-tagged; other numeric
 * strings ("-0", "1.5", "Infinity", "NaN", "-1") as atoms. */
static int numeric_key(js_thread *t, js_key k, double *out)
{
    if (jskey_is_index(k)) {
        *out = (double)jskey_index(k);
        return 1;
    }
    if (!jsv_is_string(k))
        return 0;
    js_string *s = JSV_STR(k);
    if (s->len == 0 || !jsstr_is_flat(s))
        return 0;
    uint32_t c = jsstr_at(s, 0);
    if (!((c >= '0' && c <= '9') || c == '-' || c == 'I' || c == 'N'))
        return 0;
    if (jsstr_equal_cstr(s, "-0")) {
        *out = -0.0;
        return 1;
    }
    double d = jsop_string_to_number(s);
    js_string *back = jsop_number_to_string(t, d);
    if (!back)
        return -1;
    if (!jsstr_equal(back, s))
        return 0;
    *out = d;
    return 1;
}

/* IsValidIntegerIndex: the element's byte address, or NULL. */
static uint8_t *elem_ptr(js_typed_array *ta, double idx)
{
    if (idx != floor(idx) || (idx == 0 && signbit(idx)) || idx < 0)
        return NULL;
    int64_t len = jsta_length(ta);
    if (len < 0 || idx >= (double)len)
        return NULL;
    return jsab_data(ta->buffer) + ta->byte_offset + (size_t)idx * jsta_elem_size[ta->kind];
}

static jsv get_element(js_thread *t, js_typed_array *ta, double idx)
{
    uint8_t *p = elem_ptr(ta, idx);
    return p ? jsta_read_elem(t, ta->kind, p) : JSV_UNDEFINED;
}

/* TypedArraySetElement: converts first, then stores if the index is (still) valid. */
static int set_element(js_thread *t, js_typed_array *ta, double idx, jsv v)
{
    jsv n = jsta_convert(t, ta->kind, v);
    if (n == JSV_EXCEPTION)
        return -1;
    uint8_t *p = elem_ptr(ta, idx);
    if (p && !ta->buffer->immutable)
        jsta_write_elem(ta->kind, p, n);
    return 0;
}

static int ta_get_own_property(js_thread *t, js_object *o, js_key k, js_propdesc *d)
{
    double idx;
    int r = numeric_key(t, k, &idx);
    if (r < 0)
        return -1;
    if (!r)
        return jsobj_ordinary_get_own_property(t, o, k, d);
    jsv v = get_element(t, (js_typed_array *)o, idx);
    if (v == JSV_EXCEPTION)
        return -1;
    if (jsv_is_undefined(v))
        return 0;
    d->flags = (((js_typed_array *)o)->buffer->immutable ? JS_PROP_ENUMERABLE : JS_PROP_C_W_E) | JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE | JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE;
    d->value = v;
    d->getter = d->setter = JSV_UNDEFINED;
    return 1;
}

static int ta_has_property(js_thread *t, js_object *o, js_key k)
{
    double idx;
    js_propdesc d;
    int r = numeric_key(t, k, &idx);
    if (r < 0)
        return -1;
    if (r)
        return elem_ptr((js_typed_array *)o, idx) != NULL;
    r = jsobj_ordinary_get_own_property(t, o, k, &d);
    if (r != 0)
        return r;
    jsv proto;
    if (jsobj_get_prototype_of(t, o, &proto) < 0)
        return -1;
    if (!jsv_is_object(proto))
        return 0;
    if (jsvm_check_stack(t) < 0)
        return -1;
    return jsobj_has_property(t, JSV_OBJ(proto), k);
}

static int ta_define_own_property(js_thread *t, js_object *o, js_key k, const js_propdesc *d, int flags)
{
    double idx;
    int r = numeric_key(t, k, &idx);
    if (r < 0)
        return -1;
    if (!r)
        return jsobj_ordinary_define_own_property(t, o, k, d, flags);
    js_typed_array *ta = (js_typed_array *)o;
    const char *why = NULL;
    int mutable = !ta->buffer->immutable;
    if (!elem_ptr(ta, idx))
        why = "invalid typed array index";
    else if ((d->flags & JS_DESC_HAS_CONFIGURABLE) && ((d->flags & JS_PROP_CONFIGURABLE) != 0) != mutable)
        why = mutable ? "typed array elements are configurable" : "elements of an immutable buffer are not configurable";
    else if ((d->flags & JS_DESC_HAS_ENUMERABLE) && !(d->flags & JS_PROP_ENUMERABLE))
        why = "typed array elements are enumerable";
    else if (d->flags & (JS_DESC_HAS_GET | JS_DESC_HAS_SET))
        why = "typed array elements cannot be accessors";
    else if ((d->flags & JS_DESC_HAS_WRITABLE) && ((d->flags & JS_PROP_WRITABLE) != 0) != mutable)
        why = mutable ? "typed array elements are writable" : "elements of an immutable buffer are not writable";
    else if ((d->flags & JS_DESC_HAS_VALUE) && !mutable) {
        jsv cur = get_element(t, ta, idx);
        if (cur == JSV_EXCEPTION)
            return -1;
        if (!jsop_same_value(cur, d->value))
            why = "elements of an immutable buffer cannot change";
    }
    if (why) {
        if (flags & JS_THROW)
            jsvm_throw_type_error(t, "Cannot define property: %s", why);
        return (flags & JS_THROW) ? -1 : 0;
    }
    if ((d->flags & JS_DESC_HAS_VALUE) && mutable && set_element(t, ta, idx, d->value) < 0)
        return -1;
    return 1;
}

static jsv ta_get(js_thread *t, js_object *o, js_key k, jsv receiver)
{
    double idx;
    int r = numeric_key(t, k, &idx);
    if (r < 0)
        return JSV_EXCEPTION;
    if (!r)
        return jsobj_ordinary_get(t, o, k, receiver);
    return get_element(t, (js_typed_array *)o, idx);
}

static int ta_set(js_thread *t, js_object *o, js_key k, jsv v, jsv receiver)
{
    double idx;
    int r = numeric_key(t, k, &idx);
    if (r < 0)
        return -1;
    if (r) {
        js_typed_array *ta = (js_typed_array *)o;
        if (receiver == jsv_object(o)) {
            if (ta->buffer->immutable && elem_ptr(ta, idx))
                return 0;
            return set_element(t, ta, idx, v) < 0 ? -1 : 1;
        }
        if (!elem_ptr(ta, idx))
            return 1;
    }
    return jsobj_ordinary_set(t, o, k, v, receiver, 0);
}

static int ta_delete(js_thread *t, js_object *o, js_key k)
{
    double idx;
    int r = numeric_key(t, k, &idx);
    if (r < 0)
        return -1;
    if (r)
        return elem_ptr((js_typed_array *)o, idx) == NULL;
    return jsobj_ordinary_delete(t, o, k, 0);
}

static int ta_own_keys(js_thread *t, js_object *o, js_keylist *out)
{
    int64_t len = jsta_length((js_typed_array *)o);
    for (int64_t i = 0; i < len; i++) {
        js_key k;
        if (i < 4294967295LL) {
            k = jskey_from_index((uint32_t)i);
        } else {
            js_string *s = jsop_number_to_string(t, (double)i);
            if (!s || (k = jskey_from_string(t, s)) == JSV_EXCEPTION)
                return -1;
        }
        if (jskeylist_push(t, out, k) < 0)
            return -1;
    }
    return jsobj_ordinary_own_keys(t, o, out);
}

/* [[PreventExtensions]]: refused unless IsTypedArrayFixedLength, since elements
 * could otherwise appear on a non-extensible object when the buffer grows. */
static int ta_prevent_extensions(js_thread *t, js_object *o)
{
    js_typed_array *ta = (js_typed_array *)o;
    if (ta->length_tracking || (ta->buffer->resizable && !ta->buffer->shared))
        return 0;
    o->h.flags &= ~JS_OBJ_EXTENSIBLE;
    return 1;
}

static void ta_trace(js_gc_tracer *trc, js_object *o)
{
    jsgc_mark_cell(trc, ((js_typed_array *)o)->buffer);
}

const js_class_ops jsclass_typed_array = {
    .name = "TypedArray",
    .size = sizeof(js_typed_array),
    .trace = ta_trace,
    .get_own_property = ta_get_own_property,
    .define_own_property = ta_define_own_property,
    .has_property = ta_has_property,
    .get = ta_get,
    .set = ta_set,
    .delete_property = ta_delete,
    .own_keys = ta_own_keys,
    .prevent_extensions = ta_prevent_extensions,
};

/* ---- creation ---- */

js_key jsta_index_key(js_thread *t, int64_t k)
{
    if (k >= 0 && k < 4294967295LL)
        return jskey_from_index((uint32_t)k);
    js_string *s = jsop_number_to_string(t, (double)k);
    return s ? jskey_from_string(t, s) : JSV_EXCEPTION;
}

static js_typed_array *alloc_ta(js_thread *t, jsv new_target, int kind)
{
    js_typed_array *ta = (js_typed_array *)jsobj_new_from_ctor(t, new_target, jsta_proto_intr(kind), JS_CLASS_TYPED_ARRAY);
    if (ta)
        ta->kind = (uint8_t)kind;
    return ta;
}

/* AllocateTypedArrayBuffer */
static int alloc_ta_buffer(js_thread *t, js_typed_array *ta, int64_t len)
{
    double bytes = (double)len * jsta_elem_size[ta->kind];
    if (bytes > 9007199254740991.0) {
        jsvm_throw_range_error(t, "Invalid typed array length: %lld", (long long)len);
        return -1;
    }
    js_array_buffer *b = jsab_allocate(t, JSV_UNDEFINED, (size_t)bytes, SIZE_MAX);
    if (!b)
        return -1;
    ta->buffer = b;
    ta->byte_offset = 0;
    ta->length = (size_t)len;
    ta->length_tracking = 0;
    return 0;
}

js_typed_array *jsta_create(js_thread *t, jsv new_target, int kind, int64_t len)
{
    js_typed_array *ta = alloc_ta(t, new_target, kind);
    if (!ta || alloc_ta_buffer(t, ta, len) < 0)
        return NULL;
    return ta;
}

js_typed_array *jsta_create_from_ctor(js_thread *t, jsv ctor, int argc, jsv *argv, int write)
{
    jsv r = jsvm_construct(t, ctor, argc, argv, JSV_UNDEFINED);
    int64_t len;
    if (r == JSV_EXCEPTION)
        return NULL;
    js_typed_array *ta = write ? jsta_validate_write(t, r, &len) : jsta_validate(t, r, &len);
    if (!ta)
        return NULL;
    if (argc == 1 && jsv_is_number(argv[0]) && (double)len < jsv_get_number(argv[0])) {
        jsvm_throw_type_error(t, "TypedArray constructor returned a too short array");
        return NULL;
    }
    return ta;
}

js_typed_array *jsta_species_create(js_thread *t, js_typed_array *ex, int argc, jsv *argv, int write)
{
    jsv ctor = jsop_species_constructor(t, &ex->base, jsrt_intrinsic(t, jsta_ctor_intr(ex->kind)));
    if (ctor == JSV_EXCEPTION)
        return NULL;
    js_typed_array *r = jsta_create_from_ctor(t, ctor, argc, argv, write);
    if (r && jsta_is_bigint(r->kind) != jsta_is_bigint(ex->kind)) {
        jsvm_throw_type_error(t, "TypedArray species constructor returned an array of another content type");
        return NULL;
    }
    return r;
}

static int init_from_typed_array(js_thread *t, js_typed_array *ta, js_typed_array *src)
{
    int64_t len = jsta_length(src);
    if (len < 0) {
        jsvm_throw_type_error(t, "source TypedArray is detached or out of bounds");
        return -1;
    }
    if (jsta_is_bigint(ta->kind) != jsta_is_bigint(src->kind)) {
        jsvm_throw_type_error(t, "Cannot mix BigInt and other types");
        return -1;
    }
    if (alloc_ta_buffer(t, ta, len) < 0)
        return -1;
    const uint8_t *sp = jsab_data(src->buffer) + src->byte_offset;
    uint8_t *dp = jsab_data(ta->buffer);
    size_t ses = jsta_elem_size[src->kind], des = jsta_elem_size[ta->kind];
    if (src->kind == ta->kind) {
        if (len)   /* empty buffers may have no data block */
            memcpy(dp, sp, (size_t)len * ses);
        return 0;
    }
    for (int64_t i = 0; i < len; i++) {
        jsv v = jsta_read_elem(t, src->kind, sp + i * ses);
        if (v == JSV_EXCEPTION)
            return -1;
        jsta_write_elem(ta->kind, dp + i * des, v);
    }
    return 0;
}

static int init_from_buffer(js_thread *t, js_typed_array *ta, js_array_buffer *b, jsv offv, jsv lenv)
{
    uint64_t off, newlen = 0;
    size_t es = jsta_elem_size[ta->kind];
    if (jsop_to_index(t, offv, &off) < 0)
        return -1;
    if (off % es) {
        jsvm_throw_range_error(t, "start offset of %s should be a multiple of %u", jsta_names[ta->kind], (unsigned)es);
        return -1;
    }
    if (!jsv_is_undefined(lenv) && jsop_to_index(t, lenv, &newlen) < 0)
        return -1;
    if (jsab_is_detached(b)) {
        jsvm_throw_type_error(t, "ArrayBuffer is detached");
        return -1;
    }
    size_t blen = jsab_length(b);
    ta->buffer = b;
    ta->byte_offset = (size_t)off;
    if (jsv_is_undefined(lenv) && b->resizable) {
        if (off > blen) {
            jsvm_throw_range_error(t, "start offset %llu is outside the bounds of the buffer", (unsigned long long)off);
            return -1;
        }
        ta->length_tracking = 1;
        ta->length = 0;
        return 0;
    }
    uint64_t nbytes;
    if (jsv_is_undefined(lenv)) {
        if (blen % es) {
            jsvm_throw_range_error(t, "byte length of %s should be a multiple of %u", jsta_names[ta->kind], (unsigned)es);
            return -1;
        }
        if (off > blen) {
            jsvm_throw_range_error(t, "start offset %llu is outside the bounds of the buffer", (unsigned long long)off);
            return -1;
        }
        nbytes = blen - off;
    } else {
        nbytes = newlen * es;
        if (newlen > ((uint64_t)1 << 53) || off + nbytes > blen) {
            jsvm_throw_range_error(t, "Invalid typed array length: %llu", (unsigned long long)newlen);
            return -1;
        }
    }
    ta->length = (size_t)(nbytes / es);
    return 0;
}

/* values[0..n) were kept alive in `list` by the caller */
static int fill_from(js_thread *t, js_typed_array *ta, js_object *src, int64_t len, int from_list)
{
    for (int64_t k = 0; k < len; k++) {
        js_key key = jsta_index_key(t, k);
        if (key == JSV_EXCEPTION)
            return -1;
        jsv v = from_list ? src->elems[k] : jsobj_get(t, src, key, jsv_object(src));
        if (v == JSV_EXCEPTION || jsobj_set(t, &ta->base, key, v, jsv_object(ta), JS_THROW) < 0)
            return -1;
    }
    return 0;
}

/* IteratorToList into a fresh dense Array that keeps the values alive. */
static js_object *iterate_to_list(js_thread *t, jsv obj, jsv method)
{
    js_iter_record it;
    js_object *list = jsobj_new_array(t, 0);
    jsv v;
    int r;
    if (!list || jsop_get_iterator_from_method(t, obj, method, &it) < 0)
        return NULL;
    while ((r = jsop_iterator_step_value(t, &it, &v)) > 0)
        if (jsarray_push(t, list, v) < 0)
            return NULL;
    return r < 0 ? NULL : list;
}

static jsv ta_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int kind)
{
    jsv first = JS_ARG(0);
    js_typed_array *ta;
    if (!jsv_is_object(first)) {
        uint64_t len;
        if (jsop_to_index(t, first, &len) < 0)
            return JSV_EXCEPTION;
        ta = jsta_create(t, new_target, kind, (int64_t)len);
        return ta ? jsv_object(ta) : JSV_EXCEPTION;
    }
    ta = alloc_ta(t, new_target, kind);
    if (!ta)
        return JSV_EXCEPTION;
    js_typed_array *src = jsta_get(first);
    js_array_buffer *b = jsab_get(first);
    if (src) {
        if (init_from_typed_array(t, ta, src) < 0)
            return JSV_EXCEPTION;
    } else if (b) {
        if (init_from_buffer(t, ta, b, JS_ARG(1), JS_ARG(2)) < 0)
            return JSV_EXCEPTION;
    } else {
        jsv method = jsop_get_method(t, first, jsv_symbol(t->rt->wk_symbols[JS_WKS_iterator]));
        if (method == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        if (!jsv_is_undefined(method)) {
            js_object *list = iterate_to_list(t, first, method);
            if (!list || alloc_ta_buffer(t, ta, list->elen) < 0 || fill_from(t, ta, list, list->elen, 1) < 0)
                return JSV_EXCEPTION;
        } else {
            int64_t len;
            if (jsop_length_of_array_like(t, JSV_OBJ(first), &len) < 0 || alloc_ta_buffer(t, ta, len) < 0 ||
                fill_from(t, ta, JSV_OBJ(first), len, 0) < 0)
                return JSV_EXCEPTION;
        }
    }
    return jsv_object(ta);
}

static jsv ta_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_throw_type_error(t, "Constructor %s requires 'new'", magic >= 0 ? jsta_names[magic] : "TypedArray");
}

static jsv ta_abstract_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    return jsvm_throw_type_error(t, "Abstract class TypedArray not directly constructable");
}

/* %TypedArray%.from / of */
static jsv ta_from(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv c = this_val, source = JS_ARG(0), mapfn = JS_ARG(1), this_arg = JS_ARG(2);
    js_object *src;
    int64_t len;
    int from_list = 0;
    if (!jsop_is_constructor(c))
        return jsvm_throw_type_error(t, "TypedArray.from: this is not a constructor");
    if (!jsv_is_undefined(mapfn) && !jsop_is_callable(mapfn))
        return jsvm_throw_type_error(t, "TypedArray.from: mapper is not a function");
    jsv method = jsop_get_method(t, source, jsv_symbol(t->rt->wk_symbols[JS_WKS_iterator]));
    if (method == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    if (!jsv_is_undefined(method)) {
        if (!(src = iterate_to_list(t, source, method)))
            return JSV_EXCEPTION;
        len = src->elen;
        from_list = 1;
    } else {
        jsv o = jsop_to_object(t, source);
        if (o == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        src = JSV_OBJ(o);
        if (jsop_length_of_array_like(t, src, &len) < 0)
            return JSV_EXCEPTION;
    }
    jsv lenv = jsv_number((double)len);
    js_typed_array *ta = jsta_create_from_ctor(t, c, 1, &lenv, 1);
    if (!ta)
        return JSV_EXCEPTION;
    for (int64_t k = 0; k < len; k++) {
        js_key key = jsta_index_key(t, k);
        if (key == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        jsv v = from_list ? src->elems[k] : jsobj_get(t, src, key, jsv_object(src));
        if (v == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        if (!jsv_is_undefined(mapfn)) {
            jsv args[2] = { v, jsv_number((double)k) };
            v = jsvm_call(t, mapfn, this_arg, 2, args);
            if (v == JSV_EXCEPTION)
                return JSV_EXCEPTION;
        }
        if (jsobj_set(t, &ta->base, key, v, jsv_object(ta), JS_THROW) < 0)
            return JSV_EXCEPTION;
    }
    return jsv_object(ta);
}

static jsv ta_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsop_is_constructor(this_val))
        return jsvm_throw_type_error(t, "TypedArray.of: this is not a constructor");
    jsv lenv = jsv_from_int(argc);
    js_typed_array *ta = jsta_create_from_ctor(t, this_val, 1, &lenv, 1);
    if (!ta)
        return JSV_EXCEPTION;
    for (int k = 0; k < argc; k++)
        if (jsobj_set(t, &ta->base, jskey_from_index((uint32_t)k), argv[k], jsv_object(ta), JS_THROW) < 0)
            return JSV_EXCEPTION;
    return jsv_object(ta);
}

static jsv get_species(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return this_val;
}

int jsbi_init_typedarray(js_thread *t, js_realm *realm)
{
    js_object *proto = jsbi_make_proto(t, realm, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
    if (!proto)
        return -1;
    js_key name = jskey_from_cstr(t, "TypedArray");
    if (name == JSV_EXCEPTION)
        return -1;
    js_object *ctor = jsfn_new_native_ctor(t, ta_call, ta_abstract_construct, name, 0, -1);
    if (!ctor ||
        jsobj_define_value(t, ctor, jskey_from_atom_id(t, JS_ATOM_prototype), jsv_object(proto), 0) < 0 ||
        jsobj_define_value(t, proto, jskey_from_atom_id(t, JS_ATOM_constructor), jsv_object(ctor), JS_PROP_C_W) < 0)
        return -1;
    realm->intrinsics[JS_INTR_TypedArray] = jsv_object(ctor);
    realm->intrinsics[JS_INTR_TypedArrayPrototype] = jsv_object(proto);
    if (jsobj_define_fn(t, ctor, "from", ta_from, 1, 0) < 0 || jsobj_define_fn(t, ctor, "of", ta_of, 0, 0) < 0 ||
        jsobj_define_getset(t, ctor, jsv_symbol(t->rt->wk_symbols[JS_WKS_species]), get_species, NULL, 0) < 0 ||
        jsta_init_methods(t, realm, proto) < 0)
        return -1;
    for (int kind = 0; kind < JSTA_KIND_COUNT; kind++) {
        js_object *p = jsobj_new(t, jsv_object(proto), JS_CLASS_OBJECT);
        js_object *c;
        if (!p)
            return -1;
        c = jsbi_make_ctor(t, realm, jsta_names[kind], 3, ta_call, ta_construct, kind, p, jsta_ctor_intr(kind),
                           jsta_proto_intr(kind));
        if (!c || jsobj_set_prototype_of(t, c, jsv_object(ctor), 0) < 0)
            return -1;
        jsv bpe = jsv_from_int(jsta_elem_size[kind]);
        if (jsbi_define_value_cstr(t, c, "BYTES_PER_ELEMENT", bpe, 0) < 0 ||
            jsbi_define_value_cstr(t, p, "BYTES_PER_ELEMENT", bpe, 0) < 0)
            return -1;
        if (kind == JSTA_UINT8 && jsta_init_uint8(t, realm, c, p) < 0)
            return -1;
    }
    return 0;
}
