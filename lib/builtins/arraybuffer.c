/*
 * arraybuffer.c - ArrayBuffer (fixed and resizable, transfer, detach) and
 * SharedArrayBuffer (fixed and growable) objects over lib/threads/sab.c
 * storage, and DetachArrayBuffer for hosts. Must not touch the bytes' views
 * (typedarray.c, dataview.c) beyond binary.h.
 */
#include <stdint.h>
#include <string.h>
#include "binary.h"

/* Refuse sizes no machine here can back; calloc/mmap would fail anyway but an
 * overcommitting kernel may accept absurd reservations. */
#define AB_MAX_BYTES ((uint64_t)1 << 36)

static void ab_trace(js_gc_tracer *trc, js_object *o)
{
    jsgc_mark_value(trc, ((js_array_buffer *)o)->detach_key);
}

static void ab_finalize(js_runtime *rt, js_object *o)
{
    js_array_buffer *b = (js_array_buffer *)o;
    jssab_release(b->store);
    b->store = NULL;
}

const js_class_ops jsclass_array_buffer = {
    .name = "ArrayBuffer",
    .size = sizeof(js_array_buffer),
    .trace = ab_trace,
    .finalize = ab_finalize,
};

const js_class_ops jsclass_shared_array_buffer = {
    .name = "SharedArrayBuffer",
    .size = sizeof(js_array_buffer),
    .trace = ab_trace,
    .finalize = ab_finalize,
};

js_array_buffer *jsab_get(jsv v)
{
    if (!jsv_is_object(v))
        return NULL;
    unsigned c = jsobj_class(JSV_OBJ(v));
    return c == JS_CLASS_ARRAY_BUFFER || c == JS_CLASS_SHARED_ARRAY_BUFFER ? (js_array_buffer *)JSV_OBJ(v) : NULL;
}

static js_array_buffer *alloc_buffer(js_thread *t, jsv new_target, int shared, size_t len, size_t max_len)
{
    int resizable = max_len != SIZE_MAX;
    js_array_buffer *b;
    jssab_storage *s;

    if (resizable && len > max_len) {
        jsvm_throw_range_error(t, "byteLength exceeds maxByteLength");
        return NULL;
    }
    b = (js_array_buffer *)jsobj_new_from_ctor(t, new_target,
                                               shared ? JS_INTR_SharedArrayBufferPrototype : JS_INTR_ArrayBufferPrototype,
                                               shared ? JS_CLASS_SHARED_ARRAY_BUFFER : JS_CLASS_ARRAY_BUFFER);
    if (!b)
        return NULL;
    if (len > AB_MAX_BYTES || (resizable && max_len > AB_MAX_BYTES) ||
        !(s = jssab_new(len, resizable ? max_len : len, shared))) {
        jsvm_throw_range_error(t, "Array buffer allocation failed");
        return NULL;
    }
    b->store = s;
    b->detach_key = JSV_UNDEFINED;
    b->resizable = resizable;
    b->shared = shared;
    b->max_byte_length = resizable ? max_len : len;
    return b;
}

js_array_buffer *jsab_allocate(js_thread *t, jsv new_target, size_t len, size_t max_len)
{
    return alloc_buffer(t, new_target, 0, len, max_len);
}

js_array_buffer *jsab_new_copy(js_thread *t, const uint8_t *src, size_t len)
{
    js_array_buffer *b = alloc_buffer(t, JSV_UNDEFINED, 0, len, SIZE_MAX);
    if (b && len)
        memcpy(jsab_data(b), src, len);
    return b;
}

uint64_t jsbi_shared_array_buffer_from_storage(js_thread *t, jssab_storage *s)
{
    js_array_buffer *b = (js_array_buffer *)jsobj_new_from_ctor(t, JSV_UNDEFINED, JS_INTR_SharedArrayBufferPrototype,
                                                                JS_CLASS_SHARED_ARRAY_BUFFER);
    if (!b)
        return JSV_EXCEPTION;
    jssab_retain(s);
    b->store = s;
    b->detach_key = JSV_UNDEFINED;
    b->shared = 1;
    b->resizable = s->max_byte_length != jssab_length(s);
    b->max_byte_length = s->max_byte_length;
    return jsv_object(b);
}

jssab_storage *jsbi_array_buffer_storage(uint64_t v)
{
    js_array_buffer *b = jsab_get(v);
    return b ? b->store : NULL;
}

int jsbi_array_buffer_detach(js_thread *t, jsv buf, jsv key)
{
    js_array_buffer *b = jsab_get(buf);
    if (!b || b->shared) {
        jsvm_throw_type_error(t, "not an ArrayBuffer");
        return -1;
    }
    if (b->immutable) {
        jsvm_throw_type_error(t, "an immutable ArrayBuffer cannot be detached");
        return -1;
    }
    if (!jsop_same_value(b->detach_key, key)) {
        jsvm_throw_type_error(t, "ArrayBuffer detach key mismatch");
        return -1;
    }
    jssab_release(b->store);
    b->store = NULL;
    return 0;
}

/* GetArrayBufferMaxByteLengthOption: SIZE_MAX when absent. */
static int max_length_option(js_thread *t, jsv options, size_t *out)
{
    uint64_t v;
    *out = SIZE_MAX;
    if (!jsv_is_object(options))
        return 0;
    jsv m = jsobj_get(t, JSV_OBJ(options), jskey_from_cstr(t, "maxByteLength"), options);
    if (m == JSV_EXCEPTION)
        return -1;
    if (jsv_is_undefined(m))
        return 0;
    if (jsop_to_index(t, m, &v) < 0)
        return -1;
    *out = v > AB_MAX_BYTES ? (size_t)AB_MAX_BYTES + 1 : (size_t)v;
    return 0;
}

static jsv ab_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int shared)
{
    uint64_t len;
    size_t max;
    if (jsop_to_index(t, JS_ARG(0), &len) < 0 || max_length_option(t, JS_ARG(1), &max) < 0)
        return JSV_EXCEPTION;
    if (len > AB_MAX_BYTES)
        len = AB_MAX_BYTES + 1;   /* fails in alloc_buffer, after the prototype lookup */
    js_array_buffer *b = alloc_buffer(t, new_target, shared, (size_t)len, max);
    return b ? jsv_object(b) : JSV_EXCEPTION;
}

/* this as a buffer of the wanted sharedness, else TypeError. */
static js_array_buffer *this_buffer(js_thread *t, jsv this_val, int shared, const char *method)
{
    js_array_buffer *b = jsab_get(this_val);
    if (!b || b->shared != shared) {
        jsvm_throw_type_error(t, "%s called on incompatible receiver", method);
        return NULL;
    }
    return b;
}

enum { G_BYTE_LENGTH, G_MAX_BYTE_LENGTH, G_RESIZABLE, G_DETACHED, G_IMMUTABLE };

static jsv ab_getter(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int shared = magic >> 4;
    js_array_buffer *b = this_buffer(t, this_val, shared, "ArrayBuffer getter");
    if (!b)
        return JSV_EXCEPTION;
    switch (magic & 15) {
    case G_BYTE_LENGTH: return jsv_number((double)jsab_length(b));
    case G_MAX_BYTE_LENGTH:
        if (jsab_is_detached(b)) return jsv_from_int(0);
        return jsv_number((double)(b->resizable ? b->max_byte_length : jsab_length(b)));
    case G_RESIZABLE: return jsv_from_bool(b->resizable);
    case G_IMMUTABLE: return jsv_from_bool(b->immutable);
    default: return jsv_from_bool(jsab_is_detached(b));
    }
}

static int relative_index(js_thread *t, jsv v, double len, double dflt, double *out)
{
    double r;
    if (jsv_is_undefined(v)) {
        *out = dflt;
        return 0;
    }
    if (jsop_to_integer_or_infinity(t, v, &r) < 0)
        return -1;
    *out = r < 0 ? (r + len < 0 ? 0 : r + len) : (r > len ? len : r);
    return 0;
}

static jsv ab_slice(js_thread *t, jsv this_val, int argc, jsv *argv, int shared)
{
    js_array_buffer *b = this_buffer(t, this_val, shared, "slice");
    double first, final;
    if (!b)
        return JSV_EXCEPTION;
    if (jsab_is_detached(b))
        return jsvm_throw_type_error(t, "ArrayBuffer is detached");
    double len = (double)jsab_length(b);
    if (relative_index(t, JS_ARG(0), len, 0, &first) < 0 || relative_index(t, JS_ARG(1), len, len, &final) < 0)
        return JSV_EXCEPTION;
    size_t new_len = final > first ? (size_t)(final - first) : 0;
    jsv ctor = jsop_species_constructor(t, &b->base,
                                        jsrt_intrinsic(t, shared ? JS_INTR_SharedArrayBuffer : JS_INTR_ArrayBuffer));
    if (ctor == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    jsv arg = jsv_number((double)new_len);
    jsv nv = jsvm_construct(t, ctor, 1, &arg, JSV_UNDEFINED);
    if (nv == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    js_array_buffer *nb = jsab_get(nv);
    if (!nb || nb->shared != shared)
        return jsvm_throw_type_error(t, "species constructor did not return an %s", shared ? "SharedArrayBuffer" : "ArrayBuffer");
    if (jsab_is_detached(nb))
        return jsvm_throw_type_error(t, "species constructor returned a detached ArrayBuffer");
    if (nb->immutable)
        return jsvm_throw_type_error(t, "species constructor returned an immutable ArrayBuffer");
    if (nb == b || (shared && nb->store == b->store))
        return jsvm_throw_type_error(t, "species constructor returned the same buffer");
    if (jsab_length(nb) < new_len)
        return jsvm_throw_type_error(t, "species constructor returned a too small buffer");
    if (jsab_is_detached(b))
        return jsvm_throw_type_error(t, "ArrayBuffer is detached");
    size_t cur = jsab_length(b), f = (size_t)first;
    if (f < cur) {
        size_t n = cur - f < new_len ? cur - f : new_len;
        if (n)   /* an empty buffer may have no data block */
            memmove(jsab_data(nb), jsab_data(b) + f, n);
    }
    return nv;
}

static jsv ab_slice_fn(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return ab_slice(t, this_val, argc, argv, magic);
}

static jsv ab_resize(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_array_buffer *b = jsab_get(this_val);
    uint64_t n;
    if (!b || b->shared || !b->resizable)
        return jsvm_throw_type_error(t, "ArrayBuffer.prototype.resize called on a non-resizable ArrayBuffer");
    if (jsop_to_index(t, JS_ARG(0), &n) < 0)
        return JSV_EXCEPTION;
    if (jsab_is_detached(b))
        return jsvm_throw_type_error(t, "ArrayBuffer is detached");
    if (b->immutable)
        return jsvm_throw_type_error(t, "ArrayBuffer is immutable");
    if (n > b->max_byte_length)
        return jsvm_throw_range_error(t, "new length exceeds maxByteLength");
    jssab_set_length(b->store, (size_t)n);
    return JSV_UNDEFINED;
}

static jsv sab_grow(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_array_buffer *b = jsab_get(this_val);
    uint64_t n;
    if (!b || !b->shared || !b->resizable)
        return jsvm_throw_type_error(t, "SharedArrayBuffer.prototype.grow called on a non-growable SharedArrayBuffer");
    if (jsop_to_index(t, JS_ARG(0), &n) < 0)
        return JSV_EXCEPTION;
    if (n > b->max_byte_length || jssab_grow(b->store, (size_t)n) < 0)
        return jsvm_throw_range_error(t, "invalid length for SharedArrayBuffer.prototype.grow");
    return JSV_UNDEFINED;
}

/* ArrayBufferCopyAndDetach; magic: 0 fixed length, 1 preserve resizability
 * (transfer), 2 immutable (transferToImmutable). */
static jsv ab_transfer(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_array_buffer *b = this_buffer(t, this_val, 0, "transfer");
    uint64_t n;
    if (!b)
        return JSV_EXCEPTION;
    if (jsv_is_undefined(JS_ARG(0)))
        n = jsab_length(b);
    else if (jsop_to_index(t, JS_ARG(0), &n) < 0)
        return JSV_EXCEPTION;
    if (jsab_is_detached(b))
        return jsvm_throw_type_error(t, "ArrayBuffer is detached");
    if (b->immutable)
        return jsvm_throw_type_error(t, "ArrayBuffer is immutable");
    if (!jsv_is_undefined(b->detach_key))
        return jsvm_throw_type_error(t, "ArrayBuffer is not detachable");
    if (n > AB_MAX_BYTES)
        return jsvm_throw_range_error(t, "Array buffer allocation failed");
    size_t max = magic == 1 && b->resizable ? b->max_byte_length : SIZE_MAX;
    js_array_buffer *nb = alloc_buffer(t, JSV_UNDEFINED, 0, (size_t)n, max);
    if (!nb)
        return JSV_EXCEPTION;
    size_t cur = jsab_length(b);
    size_t keep = cur < n ? cur : (size_t)n;
    if (keep)   /* an empty buffer may have no data block */
        memcpy(jsab_data(nb), jsab_data(b), keep);
    nb->immutable = magic == 2;
    jssab_release(b->store);
    b->store = NULL;
    return jsv_object(nb);
}

static jsv ab_slice_to_immutable(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_array_buffer *b = this_buffer(t, this_val, 0, "sliceToImmutable");
    double first, final;
    if (!b)
        return JSV_EXCEPTION;
    if (jsab_is_detached(b))
        return jsvm_throw_type_error(t, "ArrayBuffer is detached");
    double len = (double)jsab_length(b);
    if (relative_index(t, JS_ARG(0), len, 0, &first) < 0 || relative_index(t, JS_ARG(1), len, len, &final) < 0)
        return JSV_EXCEPTION;
    size_t new_len = final > first ? (size_t)(final - first) : 0;
    if (jsab_is_detached(b))
        return jsvm_throw_type_error(t, "ArrayBuffer is detached");
    if ((double)jsab_length(b) < final)
        return jsvm_throw_range_error(t, "ArrayBuffer shrank below the end of the slice");
    js_array_buffer *nb = alloc_buffer(t, JSV_UNDEFINED, 0, new_len, SIZE_MAX);
    if (!nb)
        return JSV_EXCEPTION;
    if (new_len)
        memcpy(jsab_data(nb), jsab_data(b) + (size_t)first, new_len);
    nb->immutable = 1;
    return jsv_object(nb);
}

static jsv ab_is_view(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv v = JS_ARG(0);
    if (!jsv_is_object(v))
        return JSV_FALSE;
    unsigned c = jsobj_class(JSV_OBJ(v));
    return jsv_from_bool(c == JS_CLASS_TYPED_ARRAY || c == JS_CLASS_DATAVIEW);
}

static jsv get_species(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return this_val;
}

static int init_one(js_thread *t, js_realm *realm, int shared)
{
    js_object *proto = jsbi_make_proto(t, realm, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
    js_object *ctor;
    if (!proto)
        return -1;
    ctor = jsbi_make_ctor(t, realm, shared ? "SharedArrayBuffer" : "ArrayBuffer", 1, NULL,
                          ab_construct, shared, proto,
                          shared ? JS_INTR_SharedArrayBuffer : JS_INTR_ArrayBuffer,
                          shared ? JS_INTR_SharedArrayBufferPrototype : JS_INTR_ArrayBufferPrototype);
    if (!ctor)
        return -1;
    if (jsobj_define_getset(t, ctor, jsv_symbol(t->rt->wk_symbols[JS_WKS_species]), get_species, NULL, 0) < 0)
        return -1;
    int m = shared << 4;
    if (jsobj_define_getter(t, proto, "byteLength", ab_getter, m | G_BYTE_LENGTH) < 0 ||
        jsobj_define_getter(t, proto, "maxByteLength", ab_getter, m | G_MAX_BYTE_LENGTH) < 0 ||
        jsobj_define_getter(t, proto, shared ? "growable" : "resizable", ab_getter, m | G_RESIZABLE) < 0 ||
        jsobj_define_fn(t, proto, "slice", ab_slice_fn, 2, shared) < 0)
        return -1;
    if (shared) {
        if (jsobj_define_fn(t, proto, "grow", sab_grow, 1, 0) < 0)
            return -1;
    } else {
        if (jsobj_define_fn(t, ctor, "isView", ab_is_view, 1, 0) < 0 ||
            jsobj_define_getter(t, proto, "detached", ab_getter, G_DETACHED) < 0 ||
            jsobj_define_fn(t, proto, "resize", ab_resize, 1, 0) < 0 ||
            jsobj_define_fn(t, proto, "transfer", ab_transfer, 0, 1) < 0 ||
            jsobj_define_fn(t, proto, "transferToFixedLength", ab_transfer, 0, 0) < 0 ||
            jsobj_define_getter(t, proto, "immutable", ab_getter, G_IMMUTABLE) < 0 ||
            jsobj_define_fn(t, proto, "sliceToImmutable", ab_slice_to_immutable, 2, 0) < 0 ||
            jsobj_define_fn(t, proto, "transferToImmutable", ab_transfer, 0, 2) < 0)
            return -1;
    }
    return jsbi_set_tag(t, proto, shared ? "SharedArrayBuffer" : "ArrayBuffer");
}

int jsbi_init_arraybuffer(js_thread *t, js_realm *realm)
{
    if (init_one(t, realm, 0) < 0 || init_one(t, realm, 1) < 0)
        return -1;
    return 0;
}
