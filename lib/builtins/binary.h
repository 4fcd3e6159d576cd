/*
 * binary.h - private interface between the binary-data builtins
 * (arraybuffer.c, typedarray.c, dataview.c, atomics.c): the object layouts of
 * ArrayBuffer/SharedArrayBuffer, typed arrays and DataView, element kinds and
 * the raw element conversions. Nothing outside these modules includes it.
 */
#ifndef JSE_BUILTINS_BINARY_H
#define JSE_BUILTINS_BINARY_H

#include "builtins.h"
#include "../threads/sab.h"

typedef struct js_array_buffer {
    js_object base;
    jssab_storage *store;      /* NULL once detached */
    jsv detach_key;            /* [[ArrayBufferDetachKey]] */
    size_t max_byte_length;    /* resizable/growable: the maximum */
    uint8_t resizable;         /* ArrayBuffer resizable or SharedArrayBuffer growable */
    uint8_t shared;
    uint8_t immutable;         /* [[ArrayBufferIsImmutable]] (immutable ArrayBuffer proposal) */
} js_array_buffer;

/* Element kinds, in the order of the intrinsics (Int8Array .. BigUint64Array). */
enum { JSTA_INT8, JSTA_UINT8, JSTA_UINT8C, JSTA_INT16, JSTA_UINT16, JSTA_INT32, JSTA_UINT32,
       JSTA_FLOAT16, JSTA_FLOAT32, JSTA_FLOAT64, JSTA_BIGINT64, JSTA_BIGUINT64, JSTA_KIND_COUNT };

extern const uint8_t jsta_elem_size[JSTA_KIND_COUNT];
extern const char *const jsta_names[JSTA_KIND_COUNT];
static inline int jsta_is_bigint(int kind) { return kind >= JSTA_BIGINT64; }
static inline int jsta_proto_intr(int kind) { return JS_INTR_Int8ArrayPrototype + 2 * kind; }
static inline int jsta_ctor_intr(int kind) { return JS_INTR_Int8Array + 2 * kind; }

typedef struct js_typed_array {
    js_object base;
    js_array_buffer *buffer;   /* [[ViewedArrayBuffer]] */
    size_t byte_offset;
    size_t length;             /* [[ArrayLength]] unless length_tracking */
    uint8_t kind;
    uint8_t length_tracking;   /* [[ArrayLength]] is auto */
} js_typed_array;

typedef struct js_dataview {
    js_object base;
    js_array_buffer *buffer;
    size_t byte_offset;
    size_t byte_length;        /* unless length_tracking */
    uint8_t length_tracking;
} js_dataview;

/* arraybuffer.c */
static inline int jsab_is_detached(const js_array_buffer *b) { return b->store == NULL; }
static inline size_t jsab_length(const js_array_buffer *b) { return b->store ? jssab_length(b->store) : 0; }
static inline uint8_t *jsab_data(const js_array_buffer *b) { return b->store ? b->store->data : NULL; }
js_array_buffer *jsab_get(jsv v);   /* ArrayBuffer or SharedArrayBuffer object, else NULL */
/* AllocateArrayBuffer(ctor, len [, max]): new_target's prototype or %ArrayBuffer.prototype%;
 * max_len = SIZE_MAX for a fixed-length buffer. */
js_array_buffer *jsab_allocate(js_thread *t, jsv new_target, size_t len, size_t max_len);
/* CloneArrayBuffer-like: a new %ArrayBuffer% holding a copy of len bytes. */
js_array_buffer *jsab_new_copy(js_thread *t, const uint8_t *src, size_t len);

/* typedarray.c: element conversions on raw bytes (host byte order). */
jsv jsta_read_elem(js_thread *t, int kind, const uint8_t *p);          /* may allocate (BigInt) */
/* Stores an already converted value (Number for numeric kinds, BigInt for BigInt kinds). */
void jsta_write_elem(int kind, uint8_t *p, jsv v);
/* ToNumber / ToBigInt according to kind. JSV_EXCEPTION on throw. */
jsv jsta_convert(js_thread *t, int kind, jsv v);
double jsta_f16_to_double(uint16_t h);
uint16_t jsta_double_to_f16(double d);
/* TypedArray length with buffer witness: -1 when out of bounds/detached. */
int64_t jsta_length(const js_typed_array *ta);
js_typed_array *jsta_get(jsv v);   /* typed array object, else NULL */
/* ValidateTypedArray: TypedArray, not detached/out of bounds, *len = its length. */
js_typed_array *jsta_validate(js_thread *t, jsv v, int64_t *len);
/* ValidateTypedArray(O, ~write~): also TypeError when the buffer is immutable. */
js_typed_array *jsta_validate_write(js_thread *t, jsv v, int64_t *len);
/* Index key for element k (int key below 2^32-1). JSV_EXCEPTION on OOM. */
js_key jsta_index_key(js_thread *t, int64_t k);
/* AllocateTypedArray + AllocateTypedArrayBuffer: prototype from new_target
 * (undefined: the kind's intrinsic), a fresh %ArrayBuffer% of len elements. */
js_typed_array *jsta_create(js_thread *t, jsv new_target, int kind, int64_t len);
/* TypedArrayCreateFromConstructor / TypedArrayCreateSameType / TypedArraySpeciesCreate. */
/* write: the result will be written (TypeError if its buffer is immutable). */
js_typed_array *jsta_create_from_ctor(js_thread *t, jsv ctor, int argc, jsv *argv, int write);
js_typed_array *jsta_species_create(js_thread *t, js_typed_array *ex, int argc, jsv *argv, int write);
/* typedarray_methods.c: %TypedArray%.prototype methods and Uint8Array base64/hex. */
int jsta_init_methods(js_thread *t, js_realm *realm, js_object *proto);
int jsta_init_uint8(js_thread *t, js_realm *realm, js_object *ctor, js_object *proto);

#endif
