/*
 * atomics.c - the Atomics namespace: sequentially consistent operations
 * performed with C11/GCC atomics directly on the buffer bytes (sab.c), for
 * shared and non-shared buffers alike. Atomics.wait/waitAsync/notify validate
 * their arguments here and park or wake on Layer A's waiter lists
 * (lib/threads/waiter.c). Must not touch buffer internals beyond binary.h/sab.h.
 */
#include <math.h>
#include <string.h>
#include "binary.h"
#include "../core/bigint.h"

/* Layer A (lib/threads/waiter.c) provides the blocking wait, waitAsync and
 * notify on the cluster's waiter lists; weak so that this module links (and
 * falls back to the validating stubs below) without it. */
jsv jsw_atomics_wait(js_thread *t, jsv this_val, int argc, jsv *argv, int magic) __attribute__((weak));
jsv jsw_atomics_notify(js_thread *t, jsv this_val, int argc, jsv *argv, int magic) __attribute__((weak));

/* ValidateIntegerTypedArray */
static js_typed_array *validate_integer_ta(js_thread *t, jsv v, int waitable, int write)
{
    js_typed_array *ta = write ? jsta_validate_write(t, v, NULL) : jsta_validate(t, v, NULL);
    if (!ta)
        return NULL;
    int k = ta->kind;
    int ok = waitable ? (k == JSTA_INT32 || k == JSTA_BIGINT64)
                      : (k != JSTA_UINT8C && k != JSTA_FLOAT16 && k != JSTA_FLOAT32 && k != JSTA_FLOAT64);
    if (!ok) {
        jsvm_throw_type_error(t, "Atomics operation on an invalid typed array type");
        return NULL;
    }
    return ta;
}

/* ValidateAtomicAccess: the element index, -1 on exception. */
static int64_t validate_access(js_thread *t, js_typed_array *ta, jsv index)
{
    uint64_t i;
    int64_t len = jsta_length(ta);
    if (jsop_to_index(t, index, &i) < 0)
        return -1;
    if (len < 0 || i >= (uint64_t)len) {
        jsvm_throw_range_error(t, "Atomics access index out of range");
        return -1;
    }
    return (int64_t)i;
}

/* RevalidateAtomicAccess: the element's address after user code ran, or NULL. */
static uint8_t *revalidate(js_thread *t, js_typed_array *ta, int64_t i)
{
    int64_t len;
    if (!jsta_validate(t, jsv_object(ta), &len))
        return NULL;
    if (i >= len) {
        jsvm_throw_range_error(t, "Atomics access index out of range");
        return NULL;
    }
    return jsab_data(ta->buffer) + ta->byte_offset + (size_t)i * jsta_elem_size[ta->kind];
}

/* The value operand converted for the element type: raw bits in *bits and the
 * numeric value (for store's result) in *num. */
static int operand(js_thread *t, js_typed_array *ta, jsv v, uint64_t *bits, jsv *num)
{
    if (jsta_is_bigint(ta->kind)) {
        jsv b = jsbi_to_bigint(t, v);
        if (b == JSV_EXCEPTION)
            return -1;
        *bits = jsbig_to_uint64(JSV_BIG(b));
        *num = b;
        return 0;
    }
    double d;
    if (jsop_to_integer_or_infinity(t, v, &d) < 0)
        return -1;
    *bits = (uint64_t)(uint32_t)jsop_double_to_int32(d);
    *num = jsv_number(d + 0.0);
    return 0;
}

static jsv raw_to_value(js_thread *t, int kind, uint64_t bits)
{
    uint8_t tmp[8];
    switch (jsta_elem_size[kind]) {
    case 1: { uint8_t x = (uint8_t)bits; memcpy(tmp, &x, 1); break; }
    case 2: { uint16_t x = (uint16_t)bits; memcpy(tmp, &x, 2); break; }
    case 4: { uint32_t x = (uint32_t)bits; memcpy(tmp, &x, 4); break; }
    default: memcpy(tmp, &bits, 8); break;
    }
    return jsta_read_elem(t, kind, tmp);
}

/* add, sub, and, or, xor, exchange: magic = JSSAB_* */
static jsv atomics_rmw(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_typed_array *ta = validate_integer_ta(t, JS_ARG(0), 0, 1);
    int64_t i;
    uint64_t bits;
    jsv num;
    uint8_t *p;
    if (!ta || (i = validate_access(t, ta, JS_ARG(1))) < 0 || operand(t, ta, JS_ARG(2), &bits, &num) < 0 ||
        !(p = revalidate(t, ta, i)))
        return JSV_EXCEPTION;
    return raw_to_value(t, ta->kind, jssab_atomic_rmw(p, jsta_elem_size[ta->kind], magic, bits));
}

static jsv atomics_load(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_typed_array *ta = validate_integer_ta(t, JS_ARG(0), 0, 0);
    int64_t i;
    uint8_t *p;
    if (!ta || (i = validate_access(t, ta, JS_ARG(1))) < 0 || !(p = revalidate(t, ta, i)))
        return JSV_EXCEPTION;
    return raw_to_value(t, ta->kind, jssab_atomic_load(p, jsta_elem_size[ta->kind]));
}

static jsv atomics_store(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_typed_array *ta = validate_integer_ta(t, JS_ARG(0), 0, 1);
    int64_t i;
    uint64_t bits;
    jsv num;
    uint8_t *p;
    if (!ta || (i = validate_access(t, ta, JS_ARG(1))) < 0 || operand(t, ta, JS_ARG(2), &bits, &num) < 0 ||
        !(p = revalidate(t, ta, i)))
        return JSV_EXCEPTION;
    jssab_atomic_store(p, jsta_elem_size[ta->kind], bits);
    return num;
}

static jsv atomics_compare_exchange(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_typed_array *ta = validate_integer_ta(t, JS_ARG(0), 0, 1);
    int64_t i;
    uint64_t expected, replacement;
    jsv num;
    uint8_t *p;
    if (!ta || (i = validate_access(t, ta, JS_ARG(1))) < 0 || operand(t, ta, JS_ARG(2), &expected, &num) < 0 ||
        operand(t, ta, JS_ARG(3), &replacement, &num) < 0 || !(p = revalidate(t, ta, i)))
        return JSV_EXCEPTION;
    int size = jsta_elem_size[ta->kind];
    if (size < 8)
        expected &= ((uint64_t)1 << (size * 8)) - 1;
    return raw_to_value(t, ta->kind, jssab_atomic_cmpxchg(p, size, expected, replacement));
}

static jsv atomics_is_lock_free(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double n;
    if (jsop_to_integer_or_infinity(t, JS_ARG(0), &n) < 0)
        return JSV_EXCEPTION;
    /* stable answers: the atomics above are lock-free on every supported target */
    return jsv_from_bool(n == 1 || n == 2 || n == 4 || n == 8);
}

/* wait (0) and waitAsync (1): the validation steps of DoWait, then no waiter lists yet. */
static jsv atomics_wait(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_typed_array *ta = validate_integer_ta(t, JS_ARG(0), 1, 0);
    int64_t i;
    double timeout;
    if (!ta)
        return JSV_EXCEPTION;
    if (!ta->buffer->shared)
        return jsvm_throw_type_error(t, "Atomics.wait requires a shared typed array");
    if ((i = validate_access(t, ta, JS_ARG(1))) < 0)
        return JSV_EXCEPTION;
    if (ta->kind == JSTA_BIGINT64) {
        if (jsbi_to_bigint(t, JS_ARG(2)) == JSV_EXCEPTION)
            return JSV_EXCEPTION;
    } else {
        int32_t v;
        if (jsop_to_int32(t, JS_ARG(2), &v) < 0)
            return JSV_EXCEPTION;
    }
    if (jsop_to_number(t, JS_ARG(3), &timeout) < 0)
        return JSV_EXCEPTION;
    if (!magic && !t->can_block)
        return jsvm_throw_type_error(t, "Atomics.wait cannot be called in this context");
    return jsvm_throw_type_error(t, "Atomics.%s is not available yet", magic ? "waitAsync" : "wait");
}

static jsv atomics_notify(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_typed_array *ta = validate_integer_ta(t, JS_ARG(0), 1, 0);
    double c;
    if (!ta || validate_access(t, ta, JS_ARG(1)) < 0)
        return JSV_EXCEPTION;
    if (!jsv_is_undefined(JS_ARG(2)) && jsop_to_integer_or_infinity(t, JS_ARG(2), &c) < 0)
        return JSV_EXCEPTION;
    /* no agent can be waiting until Layer A provides Atomics.wait */
    return jsv_from_int(0);
}

static jsv atomics_pause(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv n = JS_ARG(0);
    if (!jsv_is_undefined(n)) {
        double d = jsv_is_number(n) ? jsv_get_number(n) : NAN;
        if (!jsv_is_number(n) || d != d || isinf(d) || d != trunc(d))
            return jsvm_throw_type_error(t, "Atomics.pause argument must be an integral Number");
    }
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
    return JSV_UNDEFINED;
}

int jsbi_init_atomics(js_thread *t, js_realm *realm)
{
    js_object *a = jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_OBJECT);
    if (!a)
        return -1;
    realm->intrinsics[JS_INTR_Atomics] = jsv_object(a);
    js_native_fn wait_fn = jsw_atomics_wait ? jsw_atomics_wait : atomics_wait;
    js_native_fn notify_fn = jsw_atomics_notify ? jsw_atomics_notify : atomics_notify;
    if (jsobj_define_fn(t, a, "add", atomics_rmw, 3, JSSAB_ADD) < 0 ||
        jsobj_define_fn(t, a, "and", atomics_rmw, 3, JSSAB_AND) < 0 ||
        jsobj_define_fn(t, a, "compareExchange", atomics_compare_exchange, 4, 0) < 0 ||
        jsobj_define_fn(t, a, "exchange", atomics_rmw, 3, JSSAB_XCHG) < 0 ||
        jsobj_define_fn(t, a, "isLockFree", atomics_is_lock_free, 1, 0) < 0 ||
        jsobj_define_fn(t, a, "load", atomics_load, 2, 0) < 0 ||
        jsobj_define_fn(t, a, "or", atomics_rmw, 3, JSSAB_OR) < 0 ||
        jsobj_define_fn(t, a, "store", atomics_store, 3, 0) < 0 ||
        jsobj_define_fn(t, a, "sub", atomics_rmw, 3, JSSAB_SUB) < 0 ||
        jsobj_define_fn(t, a, "wait", wait_fn, 4, 0) < 0 ||
        jsobj_define_fn(t, a, "waitAsync", wait_fn, 4, 1) < 0 ||
        jsobj_define_fn(t, a, "notify", notify_fn, 3, 0) < 0 ||
        jsobj_define_fn(t, a, "xor", atomics_rmw, 3, JSSAB_XOR) < 0 ||
        jsobj_define_fn(t, a, "pause", atomics_pause, 0, 0) < 0 ||
        jsbi_set_tag(t, a, "Atomics") < 0)
        return -1;
    return jsbi_define_value_cstr(t, realm->global, "Atomics", jsv_object(a), JS_PROP_C_W);
}
