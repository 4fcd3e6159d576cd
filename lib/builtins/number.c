/*
 * number.c - the Number constructor and statics, Number.prototype (toString with
 * radix, toFixed, toExponential, toPrecision through lib/core/numconv.h), and
 * parseInt/parseFloat (created here, shared with the globals by global.c).
 * Must not touch: digit generation itself (numconv.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "builtins.h"
#include "../core/bigint.h"
#include "../core/numconv.h"
#include "../unicode/unicode.h"

/* Number.prototype.toString(2) of the largest doubles needs ~1100 digits of
 * integer part plus fraction digits. */
#define RADIX_BUF 2400

static jsv number_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    jsv n = jsv_from_int(0);
    js_object *o;

    if (argc > 0) {
        jsv prim = jsop_to_numeric(t, argv[0]);
        if (prim == JSV_EXCEPTION)
            return prim;
        if (jsv_is_bigint(prim))
            n = jsv_number(jsbig_to_double(JSV_BIG(prim)));
        else
            n = prim;
    }
    if (jsv_is_undefined(new_target))
        return n;
    o = jsbi_new_wrapper(t, new_target, JS_INTR_NumberPrototype, JS_CLASS_NUMBER, n);
    return o ? jsv_object(o) : JSV_EXCEPTION;
}

static jsv number_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return number_construct(t, JSV_UNDEFINED, argc, argv, magic);
}

/* ---- statics ---- */

static int is_integral(double d)
{
    return isfinite(d) && trunc(d) == d;
}

/* magic: 0 isFinite, 1 isInteger, 2 isNaN, 3 isSafeInteger */
static jsv number_is(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv v = JS_ARG(0);
    double d;
    if (!jsv_is_number(v))
        return JSV_FALSE;
    d = jsv_get_number(v);
    switch (magic) {
    case 0: return jsv_from_bool(isfinite(d));
    case 1: return jsv_from_bool(is_integral(d));
    case 2: return jsv_from_bool(isnan(d));
    default: return jsv_from_bool(is_integral(d) && fabs(d) <= 9007199254740991.0);
    }
}

/* StrWhiteSpaceChar */
static int is_str_space(uint32_t c)
{
    if (c < 128)
        return c == ' ' || (c >= 9 && c <= 13);
    return jsuni_is_space(c) || jsuni_is_line_terminator(c);
}

static int digit_value(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

static jsv parse_int(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = jsop_to_string(t, JS_ARG(0));
    int32_t radix;
    uint32_t i = 0, n, start;
    int neg = 0, strip = 1;
    char sbuf[64], *buf;
    const char *endp;
    double r;

    if (!s)
        return JSV_EXCEPTION;
    if (jsop_to_int32(t, JS_ARG(1), &radix) < 0)
        return JSV_EXCEPTION;
    s = jsstr_flatten(t, s);
    if (!s)
        return JSV_EXCEPTION;
    n = s->len;
    while (i < n && is_str_space(jsstr_at(s, i)))
        i++;
    if (i < n && (jsstr_at(s, i) == '-' || jsstr_at(s, i) == '+')) {
        neg = jsstr_at(s, i) == '-';
        i++;
    }
    if (radix != 0) {
        if (radix < 2 || radix > 36)
            return jsv_from_double(NAN);
        if (radix != 16)
            strip = 0;
    } else {
        radix = 10;
    }
    if (strip && i + 1 < n && jsstr_at(s, i) == '0' && (jsstr_at(s, i + 1) | 0x20) == 'x') {
        i += 2;
        radix = 16;
    }
    start = i;
    while (i < n && digit_value(jsstr_at(s, i)) < radix)
        i++;
    if (i == start)
        return jsv_from_double(NAN);
    if (i - start <= 15) {
        /* Fewer than 16 digits of any radix <= 10 are exact in a double. */
        if (radix <= 10) {
            double v = 0;
            for (uint32_t j = start; j < i; j++)
                v = v * radix + digit_value(jsstr_at(s, j));
            return jsv_number(neg ? -v : v);
        }
    }
    buf = i - start < sizeof sbuf ? sbuf : malloc(i - start + 1);
    if (!buf)
        return jsvm_throw_out_of_memory(t);
    for (uint32_t j = start; j < i; j++)
        buf[j - start] = (char)jsstr_at(s, j);
    buf[i - start] = 0;
    if (radix == 10)
        r = jsnum_strtod(buf, i - start, &endp);
    else
        r = jsnum_parse_radix(buf, i - start, radix);
    if (buf != sbuf)
        free(buf);
    return jsv_number(neg ? -r : r);
}

static int match_at(js_string *s, uint32_t i, const char *lit)
{
    size_t l = strlen(lit);
    if (i + l > s->len)
        return 0;
    for (size_t j = 0; j < l; j++)
        if (jsstr_at(s, i + (uint32_t)j) != (uint8_t)lit[j])
            return 0;
    return 1;
}

static jsv parse_float(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = jsop_to_string(t, JS_ARG(0));
    uint32_t i = 0, n, start, p, digits = 0;
    char sbuf[64], *buf;
    const char *endp;
    double r;

    if (!s)
        return JSV_EXCEPTION;
    s = jsstr_flatten(t, s);
    if (!s)
        return JSV_EXCEPTION;
    n = s->len;
    while (i < n && is_str_space(jsstr_at(s, i)))
        i++;
    start = i;
    p = i;
    if (p < n && (jsstr_at(s, p) == '+' || jsstr_at(s, p) == '-'))
        p++;
    if (match_at(s, p, "Infinity"))
        return jsv_from_double(jsstr_at(s, start) == '-' ? -INFINITY : INFINITY);
    while (p < n && jsstr_at(s, p) >= '0' && jsstr_at(s, p) <= '9')
        p++, digits++;
    if (p < n && jsstr_at(s, p) == '.') {
        uint32_t q = p + 1, fd = 0;
        while (q < n && jsstr_at(s, q) >= '0' && jsstr_at(s, q) <= '9')
            q++, fd++;
        if (digits || fd) {
            p = q;
            digits += fd;
        }
    }
    if (!digits)
        return jsv_from_double(NAN);
    if (p < n && (jsstr_at(s, p) | 0x20) == 'e') {
        uint32_t q = p + 1, ed = 0;
        if (q < n && (jsstr_at(s, q) == '+' || jsstr_at(s, q) == '-'))
            q++;
        while (q < n && jsstr_at(s, q) >= '0' && jsstr_at(s, q) <= '9')
            q++, ed++;
        if (ed)
            p = q;
    }
    buf = p - start < sizeof sbuf ? sbuf : malloc(p - start + 1);
    if (!buf)
        return jsvm_throw_out_of_memory(t);
    for (uint32_t j = start; j < p; j++)
        buf[j - start] = (char)jsstr_at(s, j);
    buf[p - start] = 0;
    r = jsnum_strtod(buf, p - start, &endp);
    if (buf != sbuf)
        free(buf);
    return jsv_number(r);
}

/* ---- Number.prototype ---- */

static int this_number_value(js_thread *t, jsv v, double *out)
{
    if (jsv_is_number(v)) {
        *out = jsv_get_number(v);
        return 0;
    }
    if (jsv_is_object(v) && jsobj_class(JSV_OBJ(v)) == JS_CLASS_NUMBER) {
        *out = jsv_get_number(((js_primitive_object *)JSV_OBJ(v))->value);
        return 0;
    }
    jsvm_throw_type_error(t, "Number.prototype method called on incompatible receiver");
    return -1;
}

static jsv cstr_value(js_thread *t, const char *buf, int len)
{
    js_string *s;
    if (len < 0)
        return jsvm_throw_range_error(t, "number formatting failed");
    s = jsstr_new_latin1(t, (const uint8_t *)buf, (size_t)len);
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

static jsv number_to_string_value(js_thread *t, double d)
{
    js_string *s = jsop_number_to_string(t, d);
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

static jsv np_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double x, r = 10;
    char *buf;
    int len;
    jsv res;

    if (this_number_value(t, this_val, &x) < 0)
        return JSV_EXCEPTION;
    if (!jsv_is_undefined(JS_ARG(0)) && jsop_to_integer_or_infinity(t, argv[0], &r) < 0)
        return JSV_EXCEPTION;
    if (r < 2 || r > 36)
        return jsvm_throw_range_error(t, "toString() radix must be between 2 and 36");
    if (r == 10 || !isfinite(x) || x == 0)
        return number_to_string_value(t, x);
    buf = malloc(RADIX_BUF);
    if (!buf)
        return jsvm_throw_out_of_memory(t);
    len = jsnum_to_radix(x, (int)r, buf, RADIX_BUF);
    res = cstr_value(t, buf, len);
    free(buf);
    return res;
}

static jsv np_to_locale_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double x;
    if (this_number_value(t, this_val, &x) < 0)
        return JSV_EXCEPTION;
    return number_to_string_value(t, x);
}

static jsv np_value_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double x;
    if (this_number_value(t, this_val, &x) < 0)
        return JSV_EXCEPTION;
    return jsv_number(x);
}

static jsv np_to_fixed(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double x, f;
    char buf[JSNUM_BUF + 160];

    if (this_number_value(t, this_val, &x) < 0)
        return JSV_EXCEPTION;
    if (jsop_to_integer_or_infinity(t, JS_ARG(0), &f) < 0)
        return JSV_EXCEPTION;
    if (!isfinite(f) || f < 0 || f > 100)
        return jsvm_throw_range_error(t, "toFixed() digits argument must be between 0 and 100");
    if (!isfinite(x) || fabs(x) >= 1e21)
        return number_to_string_value(t, x);
    if (x == 0)
        x = 0;   /* -0 prints as "0" */
    return cstr_value(t, buf, jsnum_to_fixed(x, (int)f, buf, sizeof buf));
}

static jsv np_to_exponential(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double x, f;
    char buf[JSNUM_BUF];

    if (this_number_value(t, this_val, &x) < 0)
        return JSV_EXCEPTION;
    if (jsop_to_integer_or_infinity(t, JS_ARG(0), &f) < 0)
        return JSV_EXCEPTION;
    if (!isfinite(x))
        return number_to_string_value(t, x);
    if (f < 0 || f > 100)
        return jsvm_throw_range_error(t, "toExponential() argument must be between 0 and 100");
    if (x == 0)
        x = 0;
    return cstr_value(t, buf, jsnum_to_exponential(x, jsv_is_undefined(JS_ARG(0)) ? -1 : (int)f, buf));
}

static jsv np_to_precision(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double x, p;
    char buf[JSNUM_BUF];

    if (this_number_value(t, this_val, &x) < 0)
        return JSV_EXCEPTION;
    if (jsv_is_undefined(JS_ARG(0)))
        return number_to_string_value(t, x);
    if (jsop_to_integer_or_infinity(t, argv[0], &p) < 0)
        return JSV_EXCEPTION;
    if (!isfinite(x))
        return number_to_string_value(t, x);
    if (p < 1 || p > 100)
        return jsvm_throw_range_error(t, "toPrecision() argument must be between 1 and 100");
    if (x == 0)
        x = 0;
    return cstr_value(t, buf, jsnum_to_precision(x, (int)p, buf));
}

int jsbi_init_number(js_thread *t, js_realm *realm)
{
    static const struct { const char *name; double v; } consts[] = {
        { "EPSILON", 2.220446049250313e-16 },
        { "MAX_SAFE_INTEGER", 9007199254740991.0 },
        { "MAX_VALUE", 1.7976931348623157e308 },
        { "MIN_SAFE_INTEGER", -9007199254740991.0 },
        { "MIN_VALUE", 5e-324 },
        { "NaN", NAN },
        { "NEGATIVE_INFINITY", -INFINITY },
        { "POSITIVE_INFINITY", INFINITY },
    };
    js_object *proto, *ctor, *pi, *pf;
    const js_class_ops *ops = jsobj_classes[JS_CLASS_NUMBER];

    proto = jsbi_make_proto(t, realm, JS_INTR_ObjectPrototype,
                            ops && ops->size >= sizeof(js_primitive_object) ? JS_CLASS_NUMBER : JS_CLASS_OBJECT);
    if (!proto)
        return -1;
    if (jsobj_class(proto) == JS_CLASS_NUMBER)
        ((js_primitive_object *)proto)->value = jsv_from_int(0);
    ctor = jsbi_make_ctor(t, realm, "Number", 1, number_call, number_construct, 0,
                          proto, JS_INTR_Number, JS_INTR_NumberPrototype);
    if (!ctor)
        return -1;
    for (size_t i = 0; i < sizeof consts / sizeof consts[0]; i++)
        if (jsbi_define_value_cstr(t, ctor, consts[i].name, jsv_number(consts[i].v), 0) < 0)
            return -1;
    if (jsobj_define_fn(t, ctor, "isFinite", number_is, 1, 0) < 0 ||
        jsobj_define_fn(t, ctor, "isInteger", number_is, 1, 1) < 0 ||
        jsobj_define_fn(t, ctor, "isNaN", number_is, 1, 2) < 0 ||
        jsobj_define_fn(t, ctor, "isSafeInteger", number_is, 1, 3) < 0)
        return -1;
    pf = jsfn_new_native(t, parse_float, jskey_from_cstr(t, "parseFloat"), 1, 0);
    pi = jsfn_new_native(t, parse_int, jskey_from_cstr(t, "parseInt"), 2, 0);
    if (!pf || !pi)
        return -1;
    realm->intrinsics[JS_INTR_parseFloat] = jsv_object(pf);
    realm->intrinsics[JS_INTR_parseInt] = jsv_object(pi);
    if (jsbi_define_value_cstr(t, ctor, "parseFloat", jsv_object(pf), JS_PROP_C_W) < 0 ||
        jsbi_define_value_cstr(t, ctor, "parseInt", jsv_object(pi), JS_PROP_C_W) < 0)
        return -1;
    if (jsobj_define_fn(t, proto, "toExponential", np_to_exponential, 1, 0) < 0 ||
        jsobj_define_fn(t, proto, "toFixed", np_to_fixed, 1, 0) < 0 ||
        jsobj_define_fn(t, proto, "toLocaleString", np_to_locale_string, 0, 0) < 0 ||
        jsobj_define_fn(t, proto, "toPrecision", np_to_precision, 1, 0) < 0 ||
        jsobj_define_fn(t, proto, "toString", np_to_string, 1, 0) < 0 ||
        jsobj_define_fn(t, proto, "valueOf", np_value_of, 0, 0) < 0)
        return -1;
    return 0;
}
