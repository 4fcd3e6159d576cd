/*
 * bigint.c (builtins) - the BigInt function (asIntN, asUintN), BigInt.prototype
 * (toString with radix, toLocaleString, valueOf) and ToBigInt for other modules.
 * Must not touch: BigInt arithmetic and cell layout (lib/core/bigint.c).
 */
#include <math.h>
#include <stdlib.h>
#include "builtins.h"
#include "../core/bigint.h"
#include "../unicode/unicode.h"

static int is_str_space(uint32_t c)
{
    if (c < 128)
        return c == ' ' || (c >= 9 && c <= 13);
    return jsuni_is_space(c) || jsuni_is_line_terminator(c);
}

/* StringToBigInt; NULL without exception when the text is not a valid literal. */
static js_bigint *string_to_bigint(js_thread *t, js_string *s)
{
    uint32_t a = 0, b, n;
    char *buf;
    js_bigint *r;

    s = jsstr_flatten(t, s);
    if (!s)
        return NULL;
    b = n = s->len;
    while (a < n && is_str_space(jsstr_at(s, a)))
        a++;
    while (b > a && is_str_space(jsstr_at(s, b - 1)))
        b--;
    buf = malloc(b - a + 1);
    if (!buf) {
        jsvm_throw_out_of_memory(t);
        return NULL;
    }
    for (uint32_t i = a; i < b; i++) {
        uint32_t c = jsstr_at(s, i);
        if (c >= 128) {
            free(buf);
            return NULL;
        }
        buf[i - a] = (char)c;
    }
    buf[b - a] = 0;
    r = jsbig_from_string(t, buf, b - a, 0);
    free(buf);
    return r;
}

jsv jsbi_to_bigint(js_thread *t, jsv v)
{
    jsv prim = jsop_to_primitive(t, v, 1);
    js_bigint *b;

    if (prim == JSV_EXCEPTION)
        return prim;
    if (jsv_is_bigint(prim))
        return prim;
    if (jsv_is_bool(prim)) {
        b = jsbig_from_int64(t, prim == JSV_TRUE);
        return b ? jsv_bigint(b) : JSV_EXCEPTION;
    }
    if (jsv_is_string(prim)) {
        b = string_to_bigint(t, JSV_STR(prim));
        if (b)
            return jsv_bigint(b);
        if (t->has_exception)
            return JSV_EXCEPTION;
        return jsvm_throw_syntax_error(t, "Cannot convert string to a BigInt");
    }
    if (jsv_is_number(prim))
        return jsvm_throw_type_error(t, "Cannot convert a Number to a BigInt");
    if (jsv_is_symbol(prim))
        return jsvm_throw_type_error(t, "Cannot convert a Symbol to a BigInt");
    return jsvm_throw_type_error(t, "Cannot convert %s to a BigInt",
                                 jsv_is_null(prim) ? "null" : "undefined");
}

static jsv bigint_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    jsv prim;

    if (!jsv_is_undefined(new_target))
        return jsvm_throw_type_error(t, "BigInt is not a constructor");
    prim = jsop_to_primitive(t, JS_ARG(0), 1);
    if (prim == JSV_EXCEPTION)
        return prim;
    if (jsv_is_number(prim)) {
        double d = jsv_get_number(prim);
        js_bigint *b;
        if (!isfinite(d) || trunc(d) != d)
            return jsvm_throw_range_error(t, "The number %.17g cannot be converted to a BigInt because it is not an integer", d);
        b = jsbig_from_double(t, d);
        return b ? jsv_bigint(b) : JSV_EXCEPTION;
    }
    return jsbi_to_bigint(t, prim);
}

static jsv bigint_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return bigint_construct(t, JSV_UNDEFINED, argc, argv, magic);
}

/* magic 0: asIntN, 1: asUintN */
static jsv bigint_as_n(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    uint64_t bits;
    jsv b;
    js_bigint *r;

    if (jsop_to_index(t, JS_ARG(0), &bits) < 0)
        return JSV_EXCEPTION;
    b = jsbi_to_bigint(t, JS_ARG(1));
    if (b == JSV_EXCEPTION)
        return b;
    r = magic ? jsbig_as_uint_n(t, bits, JSV_BIG(b)) : jsbig_as_int_n(t, bits, JSV_BIG(b));
    return r ? jsv_bigint(r) : JSV_EXCEPTION;
}

static jsv this_bigint_value(js_thread *t, jsv v)
{
    if (jsv_is_bigint(v))
        return v;
    if (jsv_is_object(v) && jsobj_class(JSV_OBJ(v)) == JS_CLASS_BIGINT)
        return ((js_primitive_object *)JSV_OBJ(v))->value;
    return jsvm_throw_type_error(t, "BigInt.prototype method called on incompatible receiver");
}

/* magic 0: toString(radix), 1: toLocaleString() */
static jsv bp_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv x = this_bigint_value(t, this_val);
    double r = 10;
    js_string *s;

    if (x == JSV_EXCEPTION)
        return x;
    if (!magic && !jsv_is_undefined(JS_ARG(0))) {
        if (jsop_to_integer_or_infinity(t, argv[0], &r) < 0)
            return JSV_EXCEPTION;
        if (r < 2 || r > 36)
            return jsvm_throw_range_error(t, "toString() radix must be between 2 and 36");
    }
    s = jsbig_to_string(t, JSV_BIG(x), (int)r);
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

static jsv bp_value_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return this_bigint_value(t, this_val);
}

int jsbi_init_bigint(js_thread *t, js_realm *realm)
{
    js_object *proto, *ctor;

    proto = jsbi_make_proto(t, realm, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
    if (!proto)
        return -1;
    ctor = jsbi_make_ctor(t, realm, "BigInt", 1, bigint_call, bigint_construct, 0,
                          proto, JS_INTR_BigInt, JS_INTR_BigIntPrototype);
    if (!ctor)
        return -1;
    if (jsobj_define_fn(t, ctor, "asIntN", bigint_as_n, 2, 0) < 0 ||
        jsobj_define_fn(t, ctor, "asUintN", bigint_as_n, 2, 1) < 0 ||
        jsobj_define_fn(t, proto, "toLocaleString", bp_to_string, 0, 1) < 0 ||
        jsobj_define_fn(t, proto, "toString", bp_to_string, 0, 0) < 0 ||
        jsobj_define_fn(t, proto, "valueOf", bp_value_of, 0, 0) < 0 ||
        jsbi_set_tag(t, proto, "BigInt") < 0)
        return -1;
    return 0;
}
