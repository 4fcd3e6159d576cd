/*
 * dataview.c - DataView: construction over ArrayBuffer/SharedArrayBuffer
 * (length-tracking over resizable buffers) and the get/set methods for every
 * element type, either byte order. Must not touch buffer internals beyond binary.h.
 */
#include <stdio.h>
#include <string.h>
#include "binary.h"

static void dv_trace(js_gc_tracer *trc, js_object *o)
{
    jsgc_mark_cell(trc, ((js_dataview *)o)->buffer);
}

const js_class_ops jsclass_dataview = {
    .name = "DataView",
    .size = sizeof(js_dataview),
    .trace = dv_trace,
};

/* GetViewByteLength, or -1 when IsViewOutOfBounds. */
static int64_t view_length(const js_dataview *dv)
{
    js_array_buffer *b = dv->buffer;
    if (!b || jsab_is_detached(b))
        return -1;
    size_t blen = jsab_length(b);
    if (dv->byte_offset > blen)
        return -1;
    if (dv->length_tracking)
        return (int64_t)(blen - dv->byte_offset);
    if (dv->byte_offset + dv->byte_length > blen)
        return -1;
    return (int64_t)dv->byte_length;
}

static jsv dv_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    js_array_buffer *b = jsab_get(JS_ARG(0));
    jsv lenv = JS_ARG(2);
    uint64_t off, vlen = 0;
    if (!b)
        return jsvm_throw_type_error(t, "First argument to DataView constructor must be an ArrayBuffer");
    if (jsop_to_index(t, JS_ARG(1), &off) < 0)
        return JSV_EXCEPTION;
    if (jsab_is_detached(b))
        return jsvm_throw_type_error(t, "ArrayBuffer is detached");
    size_t blen = jsab_length(b);
    if (off > blen)
        return jsvm_throw_range_error(t, "Start offset %llu is outside the bounds of the buffer", (unsigned long long)off);
    int tracking = 0;
    if (jsv_is_undefined(lenv)) {
        if (b->resizable)
            tracking = 1;
        else
            vlen = blen - off;
    } else {
        if (jsop_to_index(t, lenv, &vlen) < 0)
            return JSV_EXCEPTION;
        if (off + vlen > blen)
            return jsvm_throw_range_error(t, "Invalid DataView length %llu", (unsigned long long)vlen);
    }
    js_dataview *dv = (js_dataview *)jsobj_new_from_ctor(t, new_target, JS_INTR_DataViewPrototype, JS_CLASS_DATAVIEW);
    if (!dv)
        return JSV_EXCEPTION;
    if (jsab_is_detached(b))
        return jsvm_throw_type_error(t, "ArrayBuffer is detached");
    blen = jsab_length(b);
    if (off > blen)
        return jsvm_throw_range_error(t, "Start offset %llu is outside the bounds of the buffer", (unsigned long long)off);
    if (!jsv_is_undefined(lenv) && off + vlen > blen)
        return jsvm_throw_range_error(t, "Invalid DataView length %llu", (unsigned long long)vlen);
    dv->buffer = b;
    dv->byte_offset = (size_t)off;
    dv->byte_length = (size_t)vlen;
    dv->length_tracking = (uint8_t)tracking;
    return jsv_object(dv);
}

static js_dataview *this_dv(js_thread *t, jsv v)
{
    if (!jsv_is_object(v) || jsobj_class(JSV_OBJ(v)) != JS_CLASS_DATAVIEW) {
        jsvm_throw_type_error(t, "not a DataView");
        return NULL;
    }
    return (js_dataview *)JSV_OBJ(v);
}

enum { G_BUFFER, G_BYTE_LENGTH, G_BYTE_OFFSET };

static jsv dv_getter(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_dataview *dv = this_dv(t, this_val);
    if (!dv)
        return JSV_EXCEPTION;
    if (magic == G_BUFFER)
        return jsv_object(dv->buffer);
    int64_t len = view_length(dv);
    if (len < 0)
        return jsvm_throw_type_error(t, jsab_is_detached(dv->buffer) ? "DataView buffer is detached" : "DataView is out of bounds");
    return jsv_number(magic == G_BYTE_LENGTH ? (double)len : (double)dv->byte_offset);
}

static int host_little_endian(void)
{
    const uint16_t one = 1;
    uint8_t b;
    memcpy(&b, &one, 1);
    return b == 1;
}

static void swap_bytes(uint8_t *p, int n)
{
    for (int i = 0; i < n / 2; i++) {
        uint8_t x = p[i];
        p[i] = p[n - 1 - i];
        p[n - 1 - i] = x;
    }
}

/* magic: element kind | 0x100 for set */
static jsv dv_access(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int kind = magic & 0xff, is_set = magic >> 8;
    js_dataview *dv = this_dv(t, this_val);
    uint64_t idx;
    jsv v = JSV_UNDEFINED;
    if (!dv)
        return JSV_EXCEPTION;
    if (is_set && dv->buffer->immutable)
        return jsvm_throw_type_error(t, "DataView is backed by an immutable ArrayBuffer");
    if (jsop_to_index(t, JS_ARG(0), &idx) < 0)
        return JSV_EXCEPTION;
    if (is_set && (v = jsta_convert(t, kind, JS_ARG(1))) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    int little = jsop_to_boolean(JS_ARG(is_set ? 2 : 1));
    int64_t len = view_length(dv);
    if (len < 0)
        return jsvm_throw_type_error(t, jsab_is_detached(dv->buffer) ? "DataView buffer is detached" : "DataView is out of bounds");
    int es = jsta_elem_size[kind];
    if (idx + es > (uint64_t)len)
        return jsvm_throw_range_error(t, "Offset is outside the bounds of the DataView");
    uint8_t *p = jsab_data(dv->buffer) + dv->byte_offset + idx, tmp[8];
    int swap = little != host_little_endian();
    if (is_set) {
        jsta_write_elem(kind, tmp, v);
        if (swap)
            swap_bytes(tmp, es);
        memcpy(p, tmp, es);
        return JSV_UNDEFINED;
    }
    memcpy(tmp, p, es);
    if (swap)
        swap_bytes(tmp, es);
    return jsta_read_elem(t, kind, tmp);
}

static const struct { const char *name; int kind; } dv_types[] = {
    { "Int8", JSTA_INT8 }, { "Uint8", JSTA_UINT8 }, { "Int16", JSTA_INT16 }, { "Uint16", JSTA_UINT16 },
    { "Int32", JSTA_INT32 }, { "Uint32", JSTA_UINT32 }, { "Float16", JSTA_FLOAT16 }, { "Float32", JSTA_FLOAT32 },
    { "Float64", JSTA_FLOAT64 }, { "BigInt64", JSTA_BIGINT64 }, { "BigUint64", JSTA_BIGUINT64 },
};

int jsbi_init_dataview(js_thread *t, js_realm *realm)
{
    js_object *proto = jsbi_make_proto(t, realm, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
    if (!proto || !jsbi_make_ctor(t, realm, "DataView", 1, NULL, dv_construct, 0, proto, JS_INTR_DataView,
                                  JS_INTR_DataViewPrototype))
        return -1;
    if (jsobj_define_getter(t, proto, "buffer", dv_getter, G_BUFFER) < 0 ||
        jsobj_define_getter(t, proto, "byteLength", dv_getter, G_BYTE_LENGTH) < 0 ||
        jsobj_define_getter(t, proto, "byteOffset", dv_getter, G_BYTE_OFFSET) < 0)
        return -1;
    for (size_t i = 0; i < sizeof dv_types / sizeof dv_types[0]; i++) {
        char name[32];
        snprintf(name, sizeof name, "get%s", dv_types[i].name);
        if (jsobj_define_fn(t, proto, name, dv_access, 1, dv_types[i].kind) < 0)
            return -1;
        snprintf(name, sizeof name, "set%s", dv_types[i].name);
        if (jsobj_define_fn(t, proto, name, dv_access, 2, dv_types[i].kind | 0x100) < 0)
            return -1;
    }
    return jsbi_set_tag(t, proto, "DataView");
}
