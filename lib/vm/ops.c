/*
 * ops.c - the abstract operations of ECMA-262 chapter 7 that the VM and the
 * builtins share: type conversions, equality and relational comparison,
 * typeof/instanceof, numeric operators on Numbers and BigInts, the iterator
 * protocol and property descriptor conversions. Must not touch object storage
 * directly (only through jsobj_*) and keeps no state of its own.
 */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include "../core/object_priv.h"
#include "../core/bigint.h"
#include "../core/numconv.h"

/* Stack buffer for number parsing; longer numerals go to the heap. */
#define NUMBUF 128

/* ---------------------------------------------------------------- helpers */

static inline js_key atom_key(js_thread *t, int id) { return jsv_string(t->rt->atoms[id]); }
static inline jsv wks(js_thread *t, int id) { return jsv_symbol(t->rt->wk_symbols[id]); }

/* Short printable form of a value for error messages. */
static const char *describe(js_thread *t, jsv v, char *buf, size_t size)
{
    if (jsv_is_undefined(v))
        return "undefined";
    if (jsv_is_null(v))
        return "null";
    if (v == JSV_TRUE)
        return "true";
    if (v == JSV_FALSE)
        return "false";
    if (jsv_is_number(v)) {
        char nb[JSNUM_BUF];
        jsnum_to_string(jsv_get_number(v), nb);
        snprintf(buf, size, "%.40s", nb);
        return buf;
    }
    if (jsv_is_string(v)) {
        char *u = jsstr_to_utf8(JSV_STR(v), NULL);
        snprintf(buf, size, "\"%.40s%s\"", u ? u : "", u && strlen(u) > 40 ? "..." : "");
        free(u);
        return buf;
    }
    if (jsv_is_symbol(v))
        return jsobj_key_cstr(t, v, buf, size);
    if (jsv_is_bigint(v))
        return "bigint";
    if (jsv_is_object(v))
        return jsobj_is_callable(JSV_OBJ(v)) ? "function" : "object";
    return "value";
}

/* ---------------------------------------------------------------- predicates */

int jsop_is_callable(jsv v)
{
    return jsv_is_object(v) && jsobj_is_callable(JSV_OBJ(v));
}

int jsop_is_constructor(jsv v)
{
    return jsv_is_object(v) && jsobj_is_constructor(JSV_OBJ(v));
}

int jsop_to_boolean(jsv v)
{
    if (jsv_is_int(v))
        return jsv_get_int(v) != 0;
    if (jsv_is_double(v)) {
        double d = jsv_get_double(v);
        return d == d && d != 0;
    }
    if (jsv_is_bool(v))
        return v == JSV_TRUE;
    if (jsv_is_nullish(v))
        return 0;
    if (jsv_is_string(v))
        return JSV_STR(v)->len != 0;
    if (jsv_is_bigint(v))
        return !jsbig_is_zero(JSV_BIG(v));
    if (jsv_is_object(v))
        return !(JSV_OBJ(v)->h.flags & JS_OBJ_HTMLDDA);
    return 1;
}

/* ---------------------------------------------------------------- GetMethod, ToPrimitive */

jsv jsop_get_method(js_thread *t, jsv v, js_key k)
{
    jsv f = jsobj_get_value(t, v, k);
    if (f == JSV_EXCEPTION || jsv_is_nullish(f))
        return f == JSV_EXCEPTION ? f : JSV_UNDEFINED;
    if (!jsop_is_callable(f)) {
        char buf[96];
        return jsvm_throw_type_error(t, "%s is not a function", jsobj_key_cstr(t, k, buf, sizeof buf));
    }
    return f;
}

static jsv ordinary_to_primitive(js_thread *t, jsv o, int hint)
{
    int names[2];
    names[0] = hint == 2 ? JS_ATOM_toString : JS_ATOM_valueOf;
    names[1] = hint == 2 ? JS_ATOM_valueOf : JS_ATOM_toString;
    for (int i = 0; i < 2; i++) {
        jsv m = jsobj_get(t, JSV_OBJ(o), atom_key(t, names[i]), o), r;
        if (m == JSV_EXCEPTION)
            return m;
        if (jsop_is_callable(m)) {
            r = jsvm_call(t, m, o, 0, NULL);
            if (r == JSV_EXCEPTION || !jsv_is_object(r))
                return r;
        }
    }
    return jsvm_throw_type_error(t, "Cannot convert object to primitive value");
}

jsv jsop_to_primitive(js_thread *t, jsv v, int hint)
{
    jsv ex, r, hs;
    if (!jsv_is_object(v))
        return v;
    ex = jsop_get_method(t, v, wks(t, JS_WKS_toPrimitive));
    if (ex == JSV_EXCEPTION)
        return ex;
    if (!jsv_is_undefined(ex)) {
        hs = atom_key(t, hint == 1 ? JS_ATOM_number : hint == 2 ? JS_ATOM_string : JS_ATOM_default);
        r = jsvm_call(t, ex, v, 1, &hs);
        if (r == JSV_EXCEPTION || !jsv_is_object(r))
            return r;
        return jsvm_throw_type_error(t, "Cannot convert object to primitive value");
    }
    return ordinary_to_primitive(t, v, hint ? hint : 1);
}

/* ---------------------------------------------------------------- strings to numbers */

static int is_ws(uint32_t c)
{
    switch (c) {
    case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x20: case 0xA0:
    case 0x1680: case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000: case 0xFEFF:
        return 1;
    }
    return c >= 0x2000 && c <= 0x200A;
}

static inline uint32_t char_at(js_string *s, uint32_t i)
{
    return jsstr_is_flat(s) ? jsstr_at(s, i) : jsstr_char_at(s, i);
}

/* The trimmed ASCII text of s in *buf (NUMBUF bytes or heap): returns its
 * length, or -1 when a non-ASCII character remains (never a number) or on
 * OOM; *heap is set when the caller must free(*out). */
static long trimmed_ascii(js_string *s, char *buf, char **out)
{
    uint32_t b = 0, e = s->len;
    char *p = buf;
    while (b < e && is_ws(char_at(s, b)))
        b++;
    while (e > b && is_ws(char_at(s, e - 1)))
        e--;
    if (e - b >= NUMBUF) {
        p = malloc(e - b + 1);
        if (!p)
            return -1;
    }
    for (uint32_t i = b; i < e; i++) {
        uint32_t c = char_at(s, i);
        if (c >= 0x80) {
            if (p != buf)
                free(p);
            return -1;
        }
        p[i - b] = (char)c;
    }
    p[e - b] = 0;
    *out = p;
    return (long)(e - b);
}

static int digit_val(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 99;
}

/* StrDecimalLiteral without the sign: digits [. digits] [e [+-] digits] | . digits ... */
static int valid_decimal(const char *p, size_t n)
{
    size_t i = 0, d = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9')
        i++, d++;
    if (i < n && p[i] == '.') {
        i++;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++, d++;
    }
    if (!d)
        return 0;
    if (i < n && (p[i] == 'e' || p[i] == 'E')) {
        size_t ed = 0;
        i++;
        if (i < n && (p[i] == '+' || p[i] == '-'))
            i++;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++, ed++;
        if (!ed)
            return 0;
    }
    return i == n;
}

static double parse_numeric_text(const char *p, size_t n)
{
    const char *end;
    size_t i = 0;
    double r;

    if (n == 0)
        return 0;
    if (n > 2 && p[0] == '0') {
        int radix = 0;
        switch (p[1]) {
        case 'x': case 'X': radix = 16; break;
        case 'o': case 'O': radix = 8; break;
        case 'b': case 'B': radix = 2; break;
        }
        if (radix) {
            for (i = 2; i < n; i++)
                if (digit_val((unsigned char)p[i]) >= radix)
                    return NAN;
            return jsnum_parse_radix(p + 2, n - 2, radix);
        }
    }
    if (p[0] == '+' || p[0] == '-')
        i = 1;
    if (n - i == 8 && !memcmp(p + i, "Infinity", 8))
        return p[0] == '-' ? -INFINITY : INFINITY;
    if (!valid_decimal(p + i, n - i))
        return NAN;
    r = jsnum_strtod(p, n, &end);
    if (end != p + n)
        return NAN;
    return r;
}

double jsop_string_to_number(js_string *s)
{
    char buf[NUMBUF], *p = NULL;
    long n;
    double r;

    if (s->len == 0)
        return 0;
    /* Small canonical integers are the common case (array indices, counters). */
    if (s->len <= 9 && jsstr_is_flat(s)) {
        uint32_t v = 0, i = 0, c = jsstr_at(s, 0);
        if (c >= '1' && c <= '9') {
            for (; i < s->len; i++) {
                c = jsstr_at(s, i);
                if (c < '0' || c > '9')
                    break;
                v = v * 10 + (c - '0');
            }
            if (i == s->len)
                return v;
        }
    }
    n = trimmed_ascii(s, buf, &p);
    if (n < 0)
        return NAN;
    r = parse_numeric_text(p, (size_t)n);
    if (p != buf)
        free(p);
    return r;
}

/* StringToBigInt: NULL without exception when the text is not an integer. */
static js_bigint *string_to_bigint(js_thread *t, js_string *s, int *invalid)
{
    char buf[NUMBUF], *p = NULL;
    long n = trimmed_ascii(s, buf, &p);
    js_bigint *b;

    *invalid = 0;
    if (n < 0) {
        *invalid = 1;
        return NULL;
    }
    if (n == 0)
        b = jsbig_from_int64(t, 0);
    else
        b = jsbig_from_string(t, p, (size_t)n, 0);
    if (p != buf)
        free(p);
    if (!b && !t->has_exception)
        *invalid = 1;
    return b;
}

/* ---------------------------------------------------------------- ToNumber, ToNumeric */

int jsop_to_number(js_thread *t, jsv v, double *out)
{
    for (;;) {
        if (jsv_is_number(v)) {
            *out = jsv_get_number(v);
            return 0;
        }
        if (jsv_is_string(v)) {
            *out = jsop_string_to_number(JSV_STR(v));
            return 0;
        }
        if (jsv_is_undefined(v)) {
            *out = NAN;
            return 0;
        }
        if (jsv_is_null(v) || v == JSV_FALSE) {
            *out = 0;
            return 0;
        }
        if (v == JSV_TRUE) {
            *out = 1;
            return 0;
        }
        if (jsv_is_symbol(v)) {
            jsvm_throw_type_error(t, "Cannot convert a Symbol value to a number");
            return -1;
        }
        if (jsv_is_bigint(v)) {
            jsvm_throw_type_error(t, "Cannot convert a BigInt value to a number");
            return -1;
        }
        if (!jsv_is_object(v)) {
            jsvm_throw_type_error(t, "Cannot convert value to a number");
            return -1;
        }
        v = jsop_to_primitive(t, v, 1);
        if (v == JSV_EXCEPTION)
            return -1;
    }
}

jsv jsop_to_number_value(js_thread *t, jsv v)
{
    double d;
    if (jsv_is_number(v))
        return v;
    if (jsop_to_number(t, v, &d) < 0)
        return JSV_EXCEPTION;
    return jsv_number(d);
}

jsv jsop_to_numeric(js_thread *t, jsv v)
{
    if (jsv_is_number(v) || jsv_is_bigint(v))
        return v;
    if (jsv_is_object(v)) {
        v = jsop_to_primitive(t, v, 1);
        if (v == JSV_EXCEPTION || jsv_is_bigint(v))
            return v;
    }
    return jsop_to_number_value(t, v);
}

/* ---------------------------------------------------------------- integer conversions */

int32_t jsop_double_to_int32(double d)
{
    if (d >= -2147483648.0 && d <= 2147483647.0)
        return (int32_t)d;
    if (!isfinite(d))
        return 0;
    d = fmod(trunc(d), 4294967296.0);
    if (d < 0)
        d += 4294967296.0;
    return (int32_t)(uint32_t)d;
}

int jsop_to_int32(js_thread *t, jsv v, int32_t *out)
{
    double d;
    if (jsv_is_int(v)) {
        *out = jsv_get_int(v);
        return 0;
    }
    if (jsop_to_number(t, v, &d) < 0)
        return -1;
    *out = jsop_double_to_int32(d);
    return 0;
}

int jsop_to_uint32(js_thread *t, jsv v, uint32_t *out)
{
    int32_t i;
    if (jsop_to_int32(t, v, &i) < 0)
        return -1;
    *out = (uint32_t)i;
    return 0;
}

int jsop_to_integer_or_infinity(js_thread *t, jsv v, double *out)
{
    double d;
    if (jsv_is_int(v)) {
        *out = jsv_get_int(v);
        return 0;
    }
    if (jsop_to_number(t, v, &d) < 0)
        return -1;
    if (d != d)
        d = 0;
    else if (isfinite(d))
        d = trunc(d) + 0.0;   /* + 0.0 turns -0 into +0 */
    *out = d;
    return 0;
}

int jsop_to_length(js_thread *t, jsv v, int64_t *out)
{
    double d;
    if (jsop_to_integer_or_infinity(t, v, &d) < 0)
        return -1;
    if (d <= 0)
        *out = 0;
    else if (d >= 9007199254740991.0)
        *out = 9007199254740991LL;
    else
        *out = (int64_t)d;
    return 0;
}

int jsop_to_index(js_thread *t, jsv v, uint64_t *out)
{
    double d;
    if (jsv_is_undefined(v)) {
        *out = 0;
        return 0;
    }
    if (jsop_to_integer_or_infinity(t, v, &d) < 0)
        return -1;
    if (d < 0 || d > 9007199254740991.0) {
        jsvm_throw_range_error(t, "Invalid index");
        return -1;
    }
    *out = (uint64_t)d;
    return 0;
}

/* ---------------------------------------------------------------- ToString */

js_string *jsop_number_to_string(js_thread *t, double d)
{
    char buf[JSNUM_BUF];
    int n;
    if (d >= 0 && d < 10 && d == (int)d)
        return jsstr_from_char(t, '0' + (int)d);
    if (d >= -2147483648.0 && d <= 2147483647.0 && d == (int32_t)d)
        n = snprintf(buf, sizeof buf, "%d", (int32_t)d);
    else
        n = jsnum_to_string(d, buf);
    return jsstr_new_latin1(t, (const uint8_t *)buf, (size_t)n);
}

js_string *jsop_to_string(js_thread *t, jsv v)
{
    for (;;) {
        if (jsv_is_string(v))
            return JSV_STR(v);
        if (jsv_is_number(v))
            return jsop_number_to_string(t, jsv_get_number(v));
        if (jsv_is_undefined(v))
            return jsrt_atom(t, JS_ATOM_undefined);
        if (jsv_is_null(v))
            return jsrt_atom(t, JS_ATOM_null);
        if (v == JSV_TRUE)
            return jsrt_atom(t, JS_ATOM_true);
        if (v == JSV_FALSE)
            return jsrt_atom(t, JS_ATOM_false);
        if (jsv_is_bigint(v))
            return jsbig_to_string(t, JSV_BIG(v), 10);
        if (jsv_is_symbol(v)) {
            jsvm_throw_type_error(t, "Cannot convert a Symbol value to a string");
            return NULL;
        }
        if (!jsv_is_object(v)) {
            jsvm_throw_type_error(t, "Cannot convert value to a string");
            return NULL;
        }
        v = jsop_to_primitive(t, v, 2);
        if (v == JSV_EXCEPTION)
            return NULL;
    }
}

jsv jsop_to_string_value(js_thread *t, jsv v)
{
    js_string *s = jsop_to_string(t, v);
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

/* ---------------------------------------------------------------- ToObject, ToPropertyKey */

jsv jsop_to_object(js_thread *t, jsv v)
{
    int cls, proto_id;
    js_object *o;
    jsv proto;

    if (jsv_is_object(v))
        return v;
    if (jsv_is_nullish(v))
        return jsvm_throw_type_error(t, "Cannot convert undefined or null to object");
    if (jsv_is_number(v)) {
        cls = JS_CLASS_NUMBER;
        proto_id = JS_INTR_NumberPrototype;
    } else if (jsv_is_string(v)) {
        cls = JS_CLASS_STRING;
        proto_id = JS_INTR_StringPrototype;
    } else if (jsv_is_bool(v)) {
        cls = JS_CLASS_BOOLEAN;
        proto_id = JS_INTR_BooleanPrototype;
    } else if (jsv_is_symbol(v)) {
        cls = JS_CLASS_SYMBOL;
        proto_id = JS_INTR_SymbolPrototype;
    } else if (jsv_is_bigint(v)) {
        cls = JS_CLASS_BIGINT;
        proto_id = JS_INTR_BigIntPrototype;
    } else {
        return jsvm_throw_type_error(t, "Cannot convert value to object");
    }
    proto = t->realm->intrinsics[proto_id];
    o = jsobj_new_wrapper(t, jsv_is_object(proto) ? proto : JSV_NULL, cls, v);
    return o ? jsv_object(o) : JSV_EXCEPTION;
}

js_key jsop_to_property_key(js_thread *t, jsv v)
{
    js_string *s;
    if (jsv_is_string(v))
        return jskey_from_string(t, JSV_STR(v));
    if (jsv_is_int(v) && jsv_get_int(v) >= 0)
        return jskey_from_index((uint32_t)jsv_get_int(v));
    if (jsv_is_symbol(v))
        return v;
    if (jsv_is_double(v)) {
        double d = jsv_get_double(v);
        if (d >= 0 && d <= 4294967294.0 && d == (double)(uint32_t)d)
            return jskey_from_index((uint32_t)d);
    }
    if (jsv_is_object(v)) {
        v = jsop_to_primitive(t, v, 2);
        if (v == JSV_EXCEPTION)
            return v;
        if (jsv_is_symbol(v))
            return v;
    }
    s = jsop_to_string(t, v);
    if (!s)
        return JSV_EXCEPTION;
    return jskey_from_string(t, s);
}

/* ---------------------------------------------------------------- equality */

int jsop_same_value(jsv a, jsv b)
{
    if (jsv_is_number(a) && jsv_is_number(b)) {
        double x = jsv_get_number(a), y = jsv_get_number(b);
        if (x != x)
            return y != y;
        return x == y && signbit(x) == signbit(y);
    }
    if (a == b)
        return 1;
    if (jsv_is_string(a) && jsv_is_string(b))
        return jsstr_equal(JSV_STR(a), JSV_STR(b));
    if (jsv_is_bigint(a) && jsv_is_bigint(b))
        return jsbig_equal(JSV_BIG(a), JSV_BIG(b));
    return 0;
}

int jsop_same_value_zero(jsv a, jsv b)
{
    if (jsv_is_number(a) && jsv_is_number(b)) {
        double x = jsv_get_number(a), y = jsv_get_number(b);
        return x == y || (x != x && y != y);
    }
    return jsop_same_value(a, b);
}

int jsop_strict_equals(jsv a, jsv b)
{
    if (jsv_is_number(a) && jsv_is_number(b))
        return jsv_get_number(a) == jsv_get_number(b);
    if (a == b)
        return 1;
    if (jsv_is_string(a) && jsv_is_string(b))
        return jsstr_equal(JSV_STR(a), JSV_STR(b));
    if (jsv_is_bigint(a) && jsv_is_bigint(b))
        return jsbig_equal(JSV_BIG(a), JSV_BIG(b));
    return 0;
}

enum { T_UNDEF, T_NULL, T_BOOL, T_NUMBER, T_STRING, T_SYMBOL, T_BIGINT, T_OBJECT, T_OTHER };

static int type_of(jsv v)
{
    if (jsv_is_number(v)) return T_NUMBER;
    if (jsv_is_string(v)) return T_STRING;
    if (jsv_is_object(v)) return T_OBJECT;
    if (jsv_is_undefined(v)) return T_UNDEF;
    if (jsv_is_null(v)) return T_NULL;
    if (jsv_is_bool(v)) return T_BOOL;
    if (jsv_is_symbol(v)) return T_SYMBOL;
    if (jsv_is_bigint(v)) return T_BIGINT;
    return T_OTHER;
}

static inline int is_htmldda(jsv v)
{
    return jsv_is_object(v) && (JSV_OBJ(v)->h.flags & JS_OBJ_HTMLDDA);
}

/* BigInt == Number by mathematical value. */
static int bigint_eq_number(js_bigint *b, double d)
{
    if (d != d || isinf(d))
        return 0;
    return jsbig_cmp_double(b, d) == 0;
}

int jsop_loose_equals(js_thread *t, jsv a, jsv b)
{
    for (int guard = 0;; guard++) {
        int ta = type_of(a), tb = type_of(b);
        if (ta == tb)
            return jsop_strict_equals(a, b);
        if ((ta <= T_NULL || is_htmldda(a)) && (tb <= T_NULL || is_htmldda(b)))
            return 1;
        if (ta == T_NUMBER && tb == T_STRING)
            return jsv_get_number(a) == jsop_string_to_number(JSV_STR(b));
        if (ta == T_STRING && tb == T_NUMBER)
            return jsop_string_to_number(JSV_STR(a)) == jsv_get_number(b);
        if ((ta == T_BIGINT && tb == T_STRING) || (ta == T_STRING && tb == T_BIGINT)) {
            int invalid;
            js_bigint *n = string_to_bigint(t, JSV_STR(ta == T_STRING ? a : b), &invalid);
            if (!n)
                return invalid ? 0 : -1;
            return jsbig_equal(n, JSV_BIG(ta == T_BIGINT ? a : b));
        }
        if (ta == T_BOOL) {
            a = jsv_from_int(a == JSV_TRUE);
            continue;
        }
        if (tb == T_BOOL) {
            b = jsv_from_int(b == JSV_TRUE);
            continue;
        }
        if (tb == T_OBJECT && (ta == T_NUMBER || ta == T_STRING || ta == T_BIGINT || ta == T_SYMBOL)) {
            b = jsop_to_primitive(t, b, 0);
            if (b == JSV_EXCEPTION)
                return -1;
            continue;
        }
        if (ta == T_OBJECT && (tb == T_NUMBER || tb == T_STRING || tb == T_BIGINT || tb == T_SYMBOL)) {
            a = jsop_to_primitive(t, a, 0);
            if (a == JSV_EXCEPTION)
                return -1;
            continue;
        }
        if (ta == T_BIGINT && tb == T_NUMBER)
            return bigint_eq_number(JSV_BIG(a), jsv_get_number(b));
        if (ta == T_NUMBER && tb == T_BIGINT)
            return bigint_eq_number(JSV_BIG(b), jsv_get_number(a));
        return 0;
    }
}

/* ---------------------------------------------------------------- relational */

/* BigInt < Number (or Number < BigInt when swapped): 1, 0, 2 (undefined). */
static int bigint_less_number(js_bigint *b, double d, int bigint_left)
{
    int c;
    if (d != d)
        return 2;
    if (isinf(d))
        return bigint_left ? d > 0 : d < 0;
    c = jsbig_cmp_double(b, d);
    return bigint_left ? c < 0 : c > 0;
}

int jsop_less_than(js_thread *t, jsv a, jsv b, int left_first)
{
    jsv pa, pb, na, nb;

    if (jsv_is_int(a) && jsv_is_int(b))
        return jsv_get_int(a) < jsv_get_int(b);
    if (jsv_is_number(a) && jsv_is_number(b)) {
        double x = jsv_get_number(a), y = jsv_get_number(b);
        if (x != x || y != y)
            return 2;
        return x < y;
    }
    if (left_first) {
        pa = jsop_to_primitive(t, a, 1);
        if (pa == JSV_EXCEPTION)
            return -1;
        pb = jsop_to_primitive(t, b, 1);
        if (pb == JSV_EXCEPTION)
            return -1;
    } else {
        pb = jsop_to_primitive(t, b, 1);
        if (pb == JSV_EXCEPTION)
            return -1;
        pa = jsop_to_primitive(t, a, 1);
        if (pa == JSV_EXCEPTION)
            return -1;
    }
    if (jsv_is_string(pa) && jsv_is_string(pb))
        return jsstr_compare(JSV_STR(pa), JSV_STR(pb)) < 0;
    if (jsv_is_bigint(pa) && jsv_is_string(pb)) {
        int invalid;
        js_bigint *n = string_to_bigint(t, JSV_STR(pb), &invalid);
        if (!n)
            return invalid ? 2 : -1;
        return jsbig_cmp(JSV_BIG(pa), n) < 0;
    }
    if (jsv_is_string(pa) && jsv_is_bigint(pb)) {
        int invalid;
        js_bigint *n = string_to_bigint(t, JSV_STR(pa), &invalid);
        if (!n)
            return invalid ? 2 : -1;
        return jsbig_cmp(n, JSV_BIG(pb)) < 0;
    }
    na = jsop_to_numeric(t, pa);
    if (na == JSV_EXCEPTION)
        return -1;
    nb = jsop_to_numeric(t, pb);
    if (nb == JSV_EXCEPTION)
        return -1;
    if (jsv_is_number(na) && jsv_is_number(nb)) {
        double x = jsv_get_number(na), y = jsv_get_number(nb);
        if (x != x || y != y)
            return 2;
        return x < y;
    }
    if (jsv_is_bigint(na) && jsv_is_bigint(nb))
        return jsbig_cmp(JSV_BIG(na), JSV_BIG(nb)) < 0;
    if (jsv_is_bigint(na))
        return bigint_less_number(JSV_BIG(na), jsv_get_number(nb), 1);
    return bigint_less_number(JSV_BIG(nb), jsv_get_number(na), 0);
}

/* ---------------------------------------------------------------- typeof, instanceof */

jsv jsop_typeof(js_thread *t, jsv v)
{
    int id;
    switch (type_of(v)) {
    case T_UNDEF: id = JS_ATOM_undefined; break;
    case T_NULL: id = JS_ATOM_object; break;
    case T_BOOL: id = JS_ATOM_boolean; break;
    case T_NUMBER: id = JS_ATOM_number; break;
    case T_STRING: id = JS_ATOM_string; break;
    case T_SYMBOL: id = JS_ATOM_symbol; break;
    case T_BIGINT: id = JS_ATOM_bigint; break;
    case T_OBJECT: {
        js_object *o = JSV_OBJ(v);
        if (o->h.flags & JS_OBJ_HTMLDDA)
            id = JS_ATOM_undefined;
        else
            id = jsobj_is_callable(o) ? JS_ATOM_function : JS_ATOM_object;
        break;
    }
    default: id = JS_ATOM_undefined; break;
    }
    return jsrt_atom_value(t, id);
}

int jsop_ordinary_has_instance(js_thread *t, jsv c, jsv o)
{
    jsv p;
    if (!jsop_is_callable(c))
        return 0;
    if (JSV_OBJ(c)->h.aux == JS_CLASS_FUNCTION_BOUND) {
        if (jsvm_check_stack(t) < 0)
            return -1;
        return jsop_instanceof(t, o, ((js_bound_function *)JSV_OBJ(c))->target);
    }
    if (!jsv_is_object(o))
        return 0;
    p = jsobj_get(t, JSV_OBJ(c), atom_key(t, JS_ATOM_prototype), c);
    if (p == JSV_EXCEPTION)
        return -1;
    if (!jsv_is_object(p)) {
        jsvm_throw_type_error(t, "Function has non-object prototype '%s' in instanceof check",
                              jsv_is_undefined(p) ? "undefined" : jsv_is_null(p) ? "null" : "primitive");
        return -1;
    }
    for (;;) {
        if (jsobj_get_prototype_of(t, JSV_OBJ(o), &o) < 0)
            return -1;
        if (!jsv_is_object(o))
            return 0;
        if (o == p)
            return 1;
    }
}

int jsop_instanceof(js_thread *t, jsv v, jsv target)
{
    jsv h, r;
    if (!jsv_is_object(target)) {
        jsvm_throw_type_error(t, "Right-hand side of 'instanceof' is not an object");
        return -1;
    }
    h = jsop_get_method(t, target, wks(t, JS_WKS_hasInstance));
    if (h == JSV_EXCEPTION)
        return -1;
    if (!jsv_is_undefined(h)) {
        r = jsvm_call(t, h, target, 1, &v);
        if (r == JSV_EXCEPTION)
            return -1;
        return jsop_to_boolean(r);
    }
    if (!jsop_is_callable(target)) {
        jsvm_throw_type_error(t, "Right-hand side of 'instanceof' is not callable");
        return -1;
    }
    return jsop_ordinary_has_instance(t, target, v);
}

int jsop_is_regexp(js_thread *t, jsv v)
{
    jsv m;
    if (!jsv_is_object(v))
        return 0;
    m = jsobj_get(t, JSV_OBJ(v), wks(t, JS_WKS_match), v);
    if (m == JSV_EXCEPTION)
        return -1;
    if (!jsv_is_undefined(m))
        return jsop_to_boolean(m);
    return JSV_OBJ(v)->h.aux == JS_CLASS_REGEXP;
}

js_realm *jsop_get_function_realm(js_thread *t, js_object *f)
{
    for (int depth = 0;; depth++) {
        switch (f->h.aux) {
        case JS_CLASS_FUNCTION_NATIVE: {
            js_realm *r = ((js_native_function *)f)->realm;
            return r ? r : t->realm;
        }
        case JS_CLASS_FUNCTION_BOUND: {
            jsv tg = ((js_bound_function *)f)->target;
            if (!jsv_is_object(tg))
                return t->realm;
            f = JSV_OBJ(tg);
            break;
        }
        case JS_CLASS_FUNCTION_BC:
            if (jsvm_function_bc_realm) {
                js_realm *r = jsvm_function_bc_realm(f);
                if (r)
                    return r;
            }
            return t->realm;
        case JS_CLASS_PROXY: {
            jsv tg;
            if (!jsbi_proxy_target)
                return t->realm;
            if (jsbi_proxy_target(f, &tg) < 0 || !jsv_is_object(tg)) {
                jsvm_throw_type_error(t, "Cannot perform operation on a revoked proxy");
                return NULL;
            }
            f = JSV_OBJ(tg);
            break;
        }
        default:
            return t->realm;
        }
        if ((depth & 255) == 255 && jsvm_check_stack(t) < 0)
            return NULL;
    }
}

jsv jsop_species_constructor(js_thread *t, js_object *o, jsv default_ctor)
{
    jsv c = jsobj_get(t, o, atom_key(t, JS_ATOM_constructor), jsv_object(o)), s;
    if (c == JSV_EXCEPTION)
        return c;
    if (jsv_is_undefined(c))
        return default_ctor;
    if (!jsv_is_object(c))
        return jsvm_throw_type_error(t, "object.constructor is not an object");
    s = jsobj_get(t, JSV_OBJ(c), wks(t, JS_WKS_species), c);
    if (s == JSV_EXCEPTION)
        return s;
    if (jsv_is_nullish(s))
        return default_ctor;
    if (jsop_is_constructor(s))
        return s;
    return jsvm_throw_type_error(t, "object.constructor[Symbol.species] is not a constructor");
}

/* ---------------------------------------------------------------- array-likes */

int jsop_length_of_array_like(js_thread *t, js_object *o, int64_t *out)
{
    jsv v;
    if (o->h.aux == JS_CLASS_ARRAY) {
        *out = ((js_array *)o)->length;
        return 0;
    }
    v = jsobj_get(t, o, atom_key(t, JS_ATOM_length), jsv_object(o));
    if (v == JSV_EXCEPTION)
        return -1;
    return jsop_to_length(t, v, out);
}

/* Engines cap spread/apply argument counts; this one does too. */
#define MAX_LIST 10000000

jsv jsop_create_list_from_array_like(js_thread *t, jsv obj, uint32_t *count, jsv **out)
{
    js_object *o, *hold;
    int64_t len;
    jsv *list;

    *count = 0;
    *out = NULL;
    if (!jsv_is_object(obj))
        return jsvm_throw_type_error(t, "CreateListFromArrayLike called on non-object");
    o = JSV_OBJ(obj);
    if (jsop_length_of_array_like(t, o, &len) < 0)
        return JSV_EXCEPTION;
    if (len > MAX_LIST)
        return jsvm_throw_range_error(t, "Too many arguments in function call (only %d allowed)", MAX_LIST);
    if (len == 0)
        return JSV_UNDEFINED;
    /* Fresh values from getters must stay reachable until the caller uses
     * them, so they are collected in a temporary array (on the C stack). */
    hold = jsobj_new_array(t, 0);
    if (!hold)
        return JSV_EXCEPTION;
    for (int64_t i = 0; i < len; i++) {
        jsv v = jsobj_get_index(t, o, (uint32_t)i);
        if (v == JSV_EXCEPTION || jsarray_push(t, hold, v) < 0)
            return JSV_EXCEPTION;
    }
    list = malloc((size_t)len * sizeof(jsv));
    if (!list)
        return jsvm_throw_out_of_memory(t);
    memcpy(list, hold->elems, (size_t)len * sizeof(jsv));
    *count = (uint32_t)len;
    *out = list;
    return JSV_UNDEFINED;
}

/* ---------------------------------------------------------------- arithmetic */

static double number_pow(double b, double e)
{
    if (e != e)
        return NAN;
    if (e == 0)
        return 1;
    if ((b == 1 || b == -1) && isinf(e))
        return NAN;
    return pow(b, e);
}

static jsv number_op(int op, double x, double y)
{
    switch (op) {
    case '+': return jsv_number(x + y);
    case '-': return jsv_number(x - y);
    case '*': return jsv_number(x * y);
    case '/': return jsv_number(x / y);
    case '%': return jsv_number(fmod(x, y));
    case 'e': return jsv_number(number_pow(x, y));
    case '<': return jsv_from_int((int32_t)((uint32_t)jsop_double_to_int32(x) << ((uint32_t)jsop_double_to_int32(y) & 31)));
    case '>': return jsv_from_int(jsop_double_to_int32(x) >> ((uint32_t)jsop_double_to_int32(y) & 31));
    case 'u': return jsv_number((double)((uint32_t)jsop_double_to_int32(x) >> ((uint32_t)jsop_double_to_int32(y) & 31)));
    case '&': return jsv_from_int(jsop_double_to_int32(x) & jsop_double_to_int32(y));
    case '|': return jsv_from_int(jsop_double_to_int32(x) | jsop_double_to_int32(y));
    case '^': return jsv_from_int(jsop_double_to_int32(x) ^ jsop_double_to_int32(y));
    }
    return jsv_number(NAN);
}

static jsv bigint_op(js_thread *t, int op, js_bigint *a, js_bigint *b)
{
    js_bigint *r;
    switch (op) {
    case '+': r = jsbig_add(t, a, b); break;
    case '-': r = jsbig_sub(t, a, b); break;
    case '*': r = jsbig_mul(t, a, b); break;
    case '/': r = jsbig_div(t, a, b); break;
    case '%': r = jsbig_mod(t, a, b); break;
    case 'e': r = jsbig_pow(t, a, b); break;
    case '<': r = jsbig_shl(t, a, b); break;
    case '>': r = jsbig_sar(t, a, b); break;
    case '&': r = jsbig_and(t, a, b); break;
    case '|': r = jsbig_or(t, a, b); break;
    case '^': r = jsbig_xor(t, a, b); break;
    case 'u': return jsvm_throw_type_error(t, "BigInts have no unsigned right shift, use >> instead");
    default: return jsvm_throw_type_error(t, "invalid BigInt operation");
    }
    return r ? jsv_bigint(r) : JSV_EXCEPTION;
}

static jsv numeric_op(js_thread *t, int op, jsv a, jsv b)
{
    jsv na, nb;
    na = jsop_to_numeric(t, a);
    if (na == JSV_EXCEPTION)
        return na;
    nb = jsop_to_numeric(t, b);
    if (nb == JSV_EXCEPTION)
        return nb;
    if (jsv_is_number(na) && jsv_is_number(nb))
        return number_op(op, jsv_get_number(na), jsv_get_number(nb));
    if (jsv_is_bigint(na) && jsv_is_bigint(nb))
        return bigint_op(t, op, JSV_BIG(na), JSV_BIG(nb));
    return jsvm_throw_type_error(t, "Cannot mix BigInt and other types, use explicit conversions");
}

jsv jsop_binary(js_thread *t, int op, jsv a, jsv b)
{
    if (op == '+')
        return jsop_add(t, a, b);
    if (jsv_is_number(a) && jsv_is_number(b)) {
        if (jsv_is_int(a) && jsv_is_int(b) && op == '-')
            return jsv_number((double)jsv_get_int(a) - (double)jsv_get_int(b));
        return number_op(op, jsv_get_number(a), jsv_get_number(b));
    }
    return numeric_op(t, op, a, b);
}

jsv jsop_add(js_thread *t, jsv a, jsv b)
{
    jsv pa, pb;
    if (jsv_is_int(a) && jsv_is_int(b))
        return jsv_number((double)jsv_get_int(a) + (double)jsv_get_int(b));
    if (jsv_is_number(a) && jsv_is_number(b))
        return jsv_number(jsv_get_number(a) + jsv_get_number(b));
    if (jsv_is_string(a) && jsv_is_string(b)) {
        js_string *s = jsstr_concat(t, JSV_STR(a), JSV_STR(b));
        return s ? jsv_string(s) : JSV_EXCEPTION;
    }
    pa = jsop_to_primitive(t, a, 0);
    if (pa == JSV_EXCEPTION)
        return pa;
    pb = jsop_to_primitive(t, b, 0);
    if (pb == JSV_EXCEPTION)
        return pb;
    if (jsv_is_string(pa) || jsv_is_string(pb)) {
        js_string *sa = jsop_to_string(t, pa), *sb, *r;
        if (!sa)
            return JSV_EXCEPTION;
        sb = jsop_to_string(t, pb);
        if (!sb)
            return JSV_EXCEPTION;
        r = jsstr_concat(t, sa, sb);
        return r ? jsv_string(r) : JSV_EXCEPTION;
    }
    return numeric_op(t, '+', pa, pb);
}

/* ---------------------------------------------------------------- iterators */

int jsop_get_iterator_from_method(js_thread *t, jsv obj, jsv method, js_iter_record *out)
{
    jsv it = jsvm_call(t, method, obj, 0, NULL), next;
    out->iterator = JSV_UNDEFINED;
    out->next_method = JSV_UNDEFINED;
    out->done = 1;
    if (it == JSV_EXCEPTION)
        return -1;
    if (!jsv_is_object(it)) {
        jsvm_throw_type_error(t, "Result of the Symbol.iterator method is not an object");
        return -1;
    }
    next = jsobj_get(t, JSV_OBJ(it), atom_key(t, JS_ATOM_next), it);
    if (next == JSV_EXCEPTION)
        return -1;
    out->iterator = it;
    out->next_method = next;
    out->done = 0;
    return 0;
}

int jsop_get_iterator(js_thread *t, jsv obj, int async, js_iter_record *out)
{
    jsv m;
    char buf[96];

    out->iterator = out->next_method = JSV_UNDEFINED;
    out->done = 1;
    if (async) {
        js_iter_record sync;
        m = jsop_get_method(t, obj, wks(t, JS_WKS_asyncIterator));
        if (m == JSV_EXCEPTION)
            return -1;
        if (!jsv_is_undefined(m))
            return jsop_get_iterator_from_method(t, obj, m, out);
        m = jsop_get_method(t, obj, wks(t, JS_WKS_iterator));
        if (m == JSV_EXCEPTION)
            return -1;
        if (jsv_is_undefined(m)) {
            jsvm_throw_type_error(t, "%s is not async iterable", describe(t, obj, buf, sizeof buf));
            return -1;
        }
        if (jsop_get_iterator_from_method(t, obj, m, &sync) < 0)
            return -1;
        if (!jsvm_create_async_from_sync_iterator) {
            jsvm_throw_type_error(t, "async-from-sync iterators are not available");
            return -1;
        }
        return jsvm_create_async_from_sync_iterator(t, &sync, out);
    }
    m = jsop_get_method(t, obj, wks(t, JS_WKS_iterator));
    if (m == JSV_EXCEPTION)
        return -1;
    if (jsv_is_undefined(m)) {
        jsvm_throw_type_error(t, "%s is not iterable", describe(t, obj, buf, sizeof buf));
        return -1;
    }
    return jsop_get_iterator_from_method(t, obj, m, out);
}

int jsop_iterator_step_value(js_thread *t, js_iter_record *it, jsv *value)
{
    jsv r, d;
    int done;

    r = jsvm_call(t, it->next_method, it->iterator, 0, NULL);
    if (r == JSV_EXCEPTION)
        goto fail;
    if (!jsv_is_object(r)) {
        char buf[96];
        jsvm_throw_type_error(t, "Iterator result %s is not an object", describe(t, r, buf, sizeof buf));
        goto fail;
    }
    d = jsobj_get(t, JSV_OBJ(r), atom_key(t, JS_ATOM_done), r);
    if (d == JSV_EXCEPTION)
        goto fail;
    done = jsop_to_boolean(d);
    if (done) {
        it->done = 1;
        *value = JSV_UNDEFINED;
        return 0;
    }
    *value = jsobj_get(t, JSV_OBJ(r), atom_key(t, JS_ATOM_value), r);
    if (*value == JSV_EXCEPTION)
        goto fail;
    return 1;
fail:
    it->done = 1;
    return -1;
}

int jsop_iterator_close(js_thread *t, js_iter_record *it, int completion_is_throw)
{
    jsv ret, r, saved = JSV_UNDEFINED;

    if (completion_is_throw) {
        if (t->uncatchable)
            return -1;
        saved = jsvm_take_exception(t);
    }
    ret = jsop_get_method(t, it->iterator, atom_key(t, JS_ATOM_return));
    if (ret != JSV_EXCEPTION && !jsv_is_undefined(ret))
        r = jsvm_call(t, ret, it->iterator, 0, NULL);
    else
        r = ret;
    if (completion_is_throw) {
        if (t->uncatchable)
            return -1;
        if (t->has_exception)
            jsvm_take_exception(t);
        jsvm_throw(t, saved);
        return -1;
    }
    if (r == JSV_EXCEPTION)
        return -1;
    if (jsv_is_undefined(ret))
        return 0;
    if (!jsv_is_object(r)) {
        jsvm_throw_type_error(t, "Iterator result %s is not an object", "of return()");
        return -1;
    }
    return 0;
}

jsv jsop_create_iter_result(js_thread *t, jsv value, int done)
{
    js_object *o = jsobj_new_plain(t);
    if (!o)
        return JSV_EXCEPTION;
    if (jsobj_define_value(t, o, atom_key(t, JS_ATOM_value), value, JS_PROP_C_W_E) < 0 ||
        jsobj_define_value(t, o, atom_key(t, JS_ATOM_done), jsv_from_bool(done), JS_PROP_C_W_E) < 0)
        return JSV_EXCEPTION;
    return jsv_object(o);
}

/* ---------------------------------------------------------------- property descriptors */

/* HasProperty + Get of one descriptor field: 1 present (*v), 0 absent, -1. */
static int desc_field(js_thread *t, js_object *o, int atom, jsv *v)
{
    js_key k = atom_key(t, atom);
    int has = jsobj_has_property(t, o, k);
    if (has <= 0)
        return has;
    *v = jsobj_get(t, o, k, jsv_object(o));
    return *v == JSV_EXCEPTION ? -1 : 1;
}

int jsop_to_property_descriptor(js_thread *t, jsv obj, js_propdesc *out)
{
    js_object *o;
    jsv v;
    int r;
    char buf[96];

    out->flags = 0;
    out->value = out->getter = out->setter = JSV_UNDEFINED;
    if (!jsv_is_object(obj)) {
        jsvm_throw_type_error(t, "Property description must be an object: %s", describe(t, obj, buf, sizeof buf));
        return -1;
    }
    o = JSV_OBJ(obj);
    if ((r = desc_field(t, o, JS_ATOM_enumerable, &v)) < 0)
        return -1;
    if (r)
        out->flags |= JS_DESC_HAS_ENUMERABLE | (jsop_to_boolean(v) ? JS_PROP_ENUMERABLE : 0);
    if ((r = desc_field(t, o, JS_ATOM_configurable, &v)) < 0)
        return -1;
    if (r)
        out->flags |= JS_DESC_HAS_CONFIGURABLE | (jsop_to_boolean(v) ? JS_PROP_CONFIGURABLE : 0);
    if ((r = desc_field(t, o, JS_ATOM_value, &v)) < 0)
        return -1;
    if (r) {
        out->flags |= JS_DESC_HAS_VALUE;
        out->value = v;
    }
    if ((r = desc_field(t, o, JS_ATOM_writable, &v)) < 0)
        return -1;
    if (r)
        out->flags |= JS_DESC_HAS_WRITABLE | (jsop_to_boolean(v) ? JS_PROP_WRITABLE : 0);
    if ((r = desc_field(t, o, JS_ATOM_get, &v)) < 0)
        return -1;
    if (r) {
        if (!jsv_is_undefined(v) && !jsop_is_callable(v)) {
            jsvm_throw_type_error(t, "Getter must be a function: %s", describe(t, v, buf, sizeof buf));
            return -1;
        }
        out->flags |= JS_DESC_HAS_GET | JS_PROP_ACCESSOR;
        out->getter = v;
    }
    if ((r = desc_field(t, o, JS_ATOM_set, &v)) < 0)
        return -1;
    if (r) {
        if (!jsv_is_undefined(v) && !jsop_is_callable(v)) {
            jsvm_throw_type_error(t, "Setter must be a function: %s", describe(t, v, buf, sizeof buf));
            return -1;
        }
        out->flags |= JS_DESC_HAS_SET | JS_PROP_ACCESSOR;
        out->setter = v;
    }
    if ((out->flags & (JS_DESC_HAS_GET | JS_DESC_HAS_SET)) &&
        (out->flags & (JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE))) {
        jsvm_throw_type_error(t, "Invalid property descriptor. Cannot both specify accessors and a value or writable attribute");
        return -1;
    }
    return 0;
}

jsv jsop_from_property_descriptor(js_thread *t, const js_propdesc *d, int present)
{
    js_object *o;
    unsigned f = d->flags;
    if (!present)
        return JSV_UNDEFINED;
    o = jsobj_new_plain(t);
    if (!o)
        return JSV_EXCEPTION;
    if ((f & JS_DESC_HAS_VALUE) && jsobj_define_value(t, o, atom_key(t, JS_ATOM_value), d->value, JS_PROP_C_W_E) < 0)
        return JSV_EXCEPTION;
    if ((f & JS_DESC_HAS_WRITABLE) &&
        jsobj_define_value(t, o, atom_key(t, JS_ATOM_writable), jsv_from_bool(f & JS_PROP_WRITABLE), JS_PROP_C_W_E) < 0)
        return JSV_EXCEPTION;
    if ((f & JS_DESC_HAS_GET) && jsobj_define_value(t, o, atom_key(t, JS_ATOM_get), d->getter, JS_PROP_C_W_E) < 0)
        return JSV_EXCEPTION;
    if ((f & JS_DESC_HAS_SET) && jsobj_define_value(t, o, atom_key(t, JS_ATOM_set), d->setter, JS_PROP_C_W_E) < 0)
        return JSV_EXCEPTION;
    if ((f & JS_DESC_HAS_ENUMERABLE) &&
        jsobj_define_value(t, o, atom_key(t, JS_ATOM_enumerable), jsv_from_bool(f & JS_PROP_ENUMERABLE), JS_PROP_C_W_E) < 0)
        return JSV_EXCEPTION;
    if ((f & JS_DESC_HAS_CONFIGURABLE) &&
        jsobj_define_value(t, o, atom_key(t, JS_ATOM_configurable), jsv_from_bool(f & JS_PROP_CONFIGURABLE),
                           JS_PROP_C_W_E) < 0)
        return JSV_EXCEPTION;
    return jsv_object(o);
}

void jsop_complete_property_descriptor(js_propdesc *d)
{
    if (!(d->flags & (JS_DESC_HAS_GET | JS_DESC_HAS_SET))) {
        if (!(d->flags & JS_DESC_HAS_VALUE))
            d->value = JSV_UNDEFINED;
        d->flags |= JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE;
        d->flags &= ~JS_PROP_ACCESSOR;
    } else {
        if (!(d->flags & JS_DESC_HAS_GET))
            d->getter = JSV_UNDEFINED;
        if (!(d->flags & JS_DESC_HAS_SET))
            d->setter = JSV_UNDEFINED;
        d->flags |= JS_DESC_HAS_GET | JS_DESC_HAS_SET | JS_PROP_ACCESSOR;
    }
    d->flags |= JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE;
}
