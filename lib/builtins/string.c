/*
 * string.c - the String constructor, String.fromCharCode/fromCodePoint/raw,
 * String.prototype (the RegExp-based methods only delegate through @@match,
 * @@replace, ... or take their string-only paths) and %StringIteratorPrototype%.
 * Must not touch the string cell layout (lib/core/string.c) or the String
 * exotic wrapper's internal methods (lib/core).
 */
#include <stdlib.h>
#include <math.h>
#include "builtins.h"
#include "../core/string.h"
#include "../unicode/unicode.h"

/* ---- UTF-16 builder (characters only: never holds GC values) ---- */
typedef struct sbuf { uint16_t *p; size_t len, cap; } sbuf;

#define MAX_STRING_LEN ((size_t)1 << 30)

static int sb_grow(js_thread *t, sbuf *b, size_t need)
{
    if (b->len + need <= b->cap) return 0;
    if (b->len + need > MAX_STRING_LEN) { jsvm_throw_range_error(t, "Invalid string length"); return -1; }
    size_t n = b->cap ? b->cap * 2 : 32;
    while (n < b->len + need) n *= 2;
    uint16_t *p = realloc(b->p, n * 2);
    if (!p) { jsvm_throw_out_of_memory(t); return -1; }
    b->p = p;
    b->cap = n;
    return 0;
}

static int sb_char(js_thread *t, sbuf *b, uint32_t c)
{
    if (c > 0xFFFF) {
        if (sb_grow(t, b, 2) < 0) return -1;
        c -= 0x10000;
        b->p[b->len++] = (uint16_t)(0xD800 + (c >> 10));
        b->p[b->len++] = (uint16_t)(0xDC00 + (c & 0x3FF));
        return 0;
    }
    if (sb_grow(t, b, 1) < 0) return -1;
    b->p[b->len++] = (uint16_t)c;
    return 0;
}

/* s must be flat */
static int sb_sub(js_thread *t, sbuf *b, js_string *s, uint32_t from, uint32_t to)
{
    if (to <= from) return 0;
    if (sb_grow(t, b, to - from) < 0) return -1;
    if (jsstr_is_wide(s)) memcpy(b->p + b->len, s->u.c16 + from, (to - from) * 2);
    else for (uint32_t i = from; i < to; i++) b->p[b->len + i - from] = s->u.c8[i];
    b->len += to - from;
    return 0;
}

static int sb_str(js_thread *t, sbuf *b, js_string *s)
{
    s = jsstr_flatten(t, s);
    if (!s) return -1;
    return sb_sub(t, b, s, 0, s->len);
}

static int sb_cstr(js_thread *t, sbuf *b, const char *c)
{
    while (*c) if (sb_char(t, b, (uint8_t)*c++) < 0) return -1;
    return 0;
}

static jsv sb_finish(js_thread *t, sbuf *b)
{
    js_string *s = b->len ? jsstr_new_utf16(t, b->p, b->len) : jsstr_empty(t);
    free(b->p);
    b->p = NULL;
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

/* ---- helpers ---- */

static js_key akey(js_thread *t, int id) { return jskey_from_atom_id(t, id); }
static jsv wks(js_thread *t, int id) { return jsv_symbol(t->rt->wk_symbols[id]); }

/* RequireObjectCoercible(this) then ToString, flattened. */
static js_string *this_str(js_thread *t, jsv this_val, const char *method)
{
    if (jsv_is_nullish(this_val)) {
        jsvm_throw_type_error(t, "String.prototype.%s called on null or undefined", method);
        return NULL;
    }
    js_string *s = jsv_is_string(this_val) ? JSV_STR(this_val) : jsop_to_string(t, this_val);
    if (!s) return NULL;
    return jsstr_flatten(t, s);
}

static js_string *to_flat_string(js_thread *t, jsv v)
{
    js_string *s = jsv_is_string(v) ? JSV_STR(v) : jsop_to_string(t, v);
    return s ? jsstr_flatten(t, s) : NULL;
}

static jsv substr_value(js_thread *t, js_string *s, uint32_t from, uint32_t to)
{
    if (from == 0 && to == s->len) return jsv_string(s);
    js_string *r = jsstr_substring(t, s, from, to);
    return r ? jsv_string(r) : JSV_EXCEPTION;
}

/* StringIndexOf on flat strings: the index or -1. */
static int64_t index_of(js_string *s, js_string *search, uint32_t from)
{
    uint32_t n = s->len, m = search->len;
    if (m == 0) return from <= n ? (int64_t)from : -1;
    if (m > n) return -1;
    uint32_t first = jsstr_at(search, 0);
    for (uint32_t i = from; i + m <= n; i++) {
        if (jsstr_at(s, i) != first) continue;
        uint32_t j = 1;
        while (j < m && jsstr_at(s, i + j) == jsstr_at(search, j)) j++;
        if (j == m) return i;
    }
    return -1;
}

static int is_lead(uint32_t c) { return c >= 0xD800 && c <= 0xDBFF; }
static int is_trail(uint32_t c) { return c >= 0xDC00 && c <= 0xDFFF; }

/* CodePointAt: code point at i, *units its length in code units. */
static uint32_t code_point_at(js_string *s, uint32_t i, int *units)
{
    uint32_t c = jsstr_at(s, i);
    *units = 1;
    if (is_lead(c) && i + 1 < s->len) {
        uint32_t d = jsstr_at(s, i + 1);
        if (is_trail(d)) {
            *units = 2;
            return 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
        }
    }
    return c;
}

static int is_ws(uint32_t c)
{
    if (c < 128) return c == ' ' || (c >= 9 && c <= 13);
    return jsuni_is_space(c) || jsuni_is_line_terminator(c);
}

/* ---- constructor and statics ---- */

static jsv symbol_descriptive_string(js_thread *t, js_symbol *sym)
{
    sbuf b = { 0 };
    if (sb_cstr(t, &b, "Symbol(") < 0) goto fail;
    if (jsv_is_string(sym->description) && sb_str(t, &b, JSV_STR(sym->description)) < 0) goto fail;
    if (sb_char(t, &b, ')') < 0) goto fail;
    return sb_finish(t, &b);
fail:
    free(b.p);
    return JSV_EXCEPTION;
}

static jsv string_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    js_string *s;
    if (argc == 0) s = jsstr_empty(t);
    else if (jsv_is_undefined(new_target) && jsv_is_symbol(argv[0]))
        return symbol_descriptive_string(t, JSV_SYM(argv[0]));
    else s = jsop_to_string(t, argv[0]);
    if (!s) return JSV_EXCEPTION;
    if (jsv_is_undefined(new_target)) return jsv_string(s);
    js_object *o = jsobj_new_from_ctor(t, new_target, JS_INTR_StringPrototype, JS_CLASS_STRING);
    if (!o) return JSV_EXCEPTION;
    ((js_primitive_object *)o)->value = jsv_string(s);
    return jsv_object(o);
}

static jsv string_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return string_construct(t, JSV_UNDEFINED, argc, argv, magic);
}

static jsv string_from_char_code(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    sbuf b = { 0 };
    for (int i = 0; i < argc; i++) {
        uint32_t u;
        if (jsv_is_int(argv[i])) u = (uint32_t)jsv_get_int(argv[i]);
        else if (jsop_to_uint32(t, argv[i], &u) < 0) goto fail;
        if (sb_char(t, &b, u & 0xFFFF) < 0) goto fail;
    }
    return sb_finish(t, &b);
fail:
    free(b.p);
    return JSV_EXCEPTION;
}

static jsv string_from_code_point(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    sbuf b = { 0 };
    for (int i = 0; i < argc; i++) {
        double d;
        if (jsop_to_number(t, argv[i], &d) < 0) goto fail;
        if (d != trunc(d) || d < 0 || d > 0x10FFFF) {
            jsvm_throw_range_error(t, "Invalid code point %g", d);
            goto fail;
        }
        if (sb_char(t, &b, (uint32_t)d) < 0) goto fail;
    }
    return sb_finish(t, &b);
fail:
    free(b.p);
    return JSV_EXCEPTION;
}

static jsv string_raw(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv cooked = jsop_to_object(t, JS_ARG(0));
    if (cooked == JSV_EXCEPTION) return JSV_EXCEPTION;
    jsv rawv = jsobj_get(t, JSV_OBJ(cooked), akey(t, JS_ATOM_raw), cooked);
    if (rawv == JSV_EXCEPTION) return JSV_EXCEPTION;
    jsv raw = jsop_to_object(t, rawv);
    if (raw == JSV_EXCEPTION) return JSV_EXCEPTION;
    int64_t len;
    if (jsop_length_of_array_like(t, JSV_OBJ(raw), &len) < 0) return JSV_EXCEPTION;
    sbuf b = { 0 };
    for (int64_t i = 0; i < len; i++) {
        jsv seg = i < 4294967295LL ? jsobj_get_index(t, JSV_OBJ(raw), (uint32_t)i) : JSV_UNDEFINED;
        if (seg == JSV_EXCEPTION) goto fail;
        js_string *s = jsop_to_string(t, seg);
        if (!s || sb_str(t, &b, s) < 0) goto fail;
        if (i + 1 == len) break;
        if (i + 1 < argc) {
            s = jsop_to_string(t, argv[i + 1]);
            if (!s || sb_str(t, &b, s) < 0) goto fail;
        }
    }
    return sb_finish(t, &b);
fail:
    free(b.p);
    return JSV_EXCEPTION;
}

/* ---- String.prototype ---- */

static jsv proto_value_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (jsv_is_string(this_val)) return this_val;
    if (jsv_is_object(this_val) && jsobj_class(JSV_OBJ(this_val)) == JS_CLASS_STRING)
        return ((js_primitive_object *)JSV_OBJ(this_val))->value;
    return jsvm_throw_type_error(t, "String.prototype.%s requires that 'this' be a String", magic ? "toString" : "valueOf");
}

static jsv proto_at(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, "at");
    double d;
    if (!s || jsop_to_integer_or_infinity(t, JS_ARG(0), &d) < 0) return JSV_EXCEPTION;
    if (d < 0) d += s->len;
    if (d < 0 || d >= s->len) return JSV_UNDEFINED;
    js_string *r = jsstr_from_char(t, jsstr_at(s, (uint32_t)d));
    return r ? jsv_string(r) : JSV_EXCEPTION;
}

/* charAt (0), charCodeAt (1), codePointAt (2) */
static jsv proto_char_at(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    static const char *const names[] = { "charAt", "charCodeAt", "codePointAt" };
    js_string *s = this_str(t, this_val, names[magic]);
    double d;
    if (!s) return JSV_EXCEPTION;
    if (jsv_is_int(JS_ARG(0))) d = jsv_get_int(argv[0]);
    else if (jsop_to_integer_or_infinity(t, JS_ARG(0), &d) < 0) return JSV_EXCEPTION;
    if (d < 0 || d >= s->len) {
        if (magic == 0) return jsv_string(jsstr_empty(t));
        return magic == 1 ? jsv_from_double(NAN) : JSV_UNDEFINED;
    }
    uint32_t i = (uint32_t)d;
    if (magic == 0) {
        js_string *r = jsstr_from_char(t, jsstr_at(s, i));
        return r ? jsv_string(r) : JSV_EXCEPTION;
    }
    if (magic == 1) return jsv_from_int((int32_t)jsstr_at(s, i));
    int u;
    return jsv_from_int((int32_t)code_point_at(s, i, &u));
}

static jsv proto_concat(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, "concat");
    if (!s) return JSV_EXCEPTION;
    for (int i = 0; i < argc; i++) {
        js_string *a = jsop_to_string(t, argv[i]);
        if (!a) return JSV_EXCEPTION;
        s = jsstr_concat(t, s, a);
        if (!s) return JSV_EXCEPTION;
    }
    return jsv_string(s);
}

/* startsWith (0), endsWith (1), includes (2) */
static jsv proto_starts_ends(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    static const char *const names[] = { "startsWith", "endsWith", "includes" };
    js_string *s = this_str(t, this_val, names[magic]);
    if (!s) return JSV_EXCEPTION;
    int r = jsop_is_regexp(t, JS_ARG(0));
    if (r < 0) return JSV_EXCEPTION;
    if (r) return jsvm_throw_type_error(t, "First argument to String.prototype.%s must not be a regular expression", names[magic]);
    js_string *search = to_flat_string(t, JS_ARG(0));
    if (!search) return JSV_EXCEPTION;
    uint32_t len = s->len, slen = search->len;
    double pos;
    if (magic == 1) {
        if (jsv_is_undefined(JS_ARG(1))) pos = len;
        else if (jsop_to_integer_or_infinity(t, argv[1], &pos) < 0) return JSV_EXCEPTION;
    } else if (jsop_to_integer_or_infinity(t, JS_ARG(1), &pos) < 0) return JSV_EXCEPTION;
    if (pos < 0) pos = 0;
    if (pos > len) pos = len;
    uint32_t p = (uint32_t)pos;
    if (magic == 2) return jsv_from_bool(index_of(s, search, p) >= 0);
    uint32_t start;
    if (magic == 0) {
        if ((uint64_t)p + slen > len) return JSV_FALSE;
        start = p;
    } else {
        if (slen > p) return JSV_FALSE;
        start = p - slen;
    }
    for (uint32_t i = 0; i < slen; i++)
        if (jsstr_at(s, start + i) != jsstr_at(search, i)) return JSV_FALSE;
    return JSV_TRUE;
}

static jsv proto_index_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, magic ? "lastIndexOf" : "indexOf");
    if (!s) return JSV_EXCEPTION;
    js_string *search = to_flat_string(t, JS_ARG(0));
    if (!search) return JSV_EXCEPTION;
    uint32_t len = s->len, slen = search->len;
    double pos;
    if (!magic) {
        if (jsop_to_integer_or_infinity(t, JS_ARG(1), &pos) < 0) return JSV_EXCEPTION;
        if (pos < 0) pos = 0;
        if (pos > len) pos = len;
        return jsv_number((double)index_of(s, search, (uint32_t)pos));
    }
    double num;
    if (jsop_to_number(t, JS_ARG(1), &num) < 0) return JSV_EXCEPTION;
    if (isnan(num)) pos = INFINITY;
    else pos = trunc(num);
    if (pos < 0) pos = 0;
    if (pos > len) pos = len;
    if (slen > len) return jsv_from_int(-1);
    int64_t start = (int64_t)pos;
    if (start > (int64_t)(len - slen)) start = len - slen;
    for (int64_t i = start; i >= 0; i--) {
        uint32_t j = 0;
        while (j < slen && jsstr_at(s, (uint32_t)i + j) == jsstr_at(search, j)) j++;
        if (j == slen) return jsv_number((double)i);
    }
    return jsv_from_int(-1);
}

static jsv proto_is_well_formed(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, magic ? "toWellFormed" : "isWellFormed");
    if (!s) return JSV_EXCEPTION;
    int bad = 0;
    if (jsstr_is_wide(s)) {
        for (uint32_t i = 0; i < s->len && !bad; i++) {
            int u;
            uint32_t c = code_point_at(s, i, &u);
            if (c >= 0xD800 && c <= 0xDFFF) bad = 1;
            i += u - 1;
        }
    }
    if (!magic) return jsv_from_bool(!bad);
    if (!bad) return jsv_string(s);
    sbuf b = { 0 };
    for (uint32_t i = 0; i < s->len; i++) {
        int u;
        uint32_t c = code_point_at(s, i, &u);
        if (c >= 0xD800 && c <= 0xDFFF) c = 0xFFFD;
        if (sb_char(t, &b, c) < 0) { free(b.p); return JSV_EXCEPTION; }
        i += u - 1;
    }
    return sb_finish(t, &b);
}

static jsv proto_locale_compare(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, "localeCompare");
    if (!s) return JSV_EXCEPTION;
    js_string *that = to_flat_string(t, JS_ARG(0));
    if (!that) return JSV_EXCEPTION;
    /* Without Intl: compare canonically equivalent strings equal by comparing NFC forms. */
    uint32_t *a = NULL, *b = NULL, *na = NULL, *nb = NULL;
    size_t la = 0, lb = 0, nla = 0, nlb = 0;
    int r = 0;
    a = malloc((s->len + 1) * sizeof(uint32_t));
    b = malloc((that->len + 1) * sizeof(uint32_t));
    if (!a || !b) goto oom;
    for (uint32_t i = 0; i < s->len; i++) { int u; a[la++] = code_point_at(s, i, &u); i += u - 1; }
    for (uint32_t i = 0; i < that->len; i++) { int u; b[lb++] = code_point_at(that, i, &u); i += u - 1; }
    if (jsuni_normalize(a, la, JSUNI_NFC, &na, &nla) < 0 || jsuni_normalize(b, lb, JSUNI_NFC, &nb, &nlb) < 0) goto oom;
    for (size_t i = 0; i < nla && i < nlb && !r; i++)
        r = na[i] < nb[i] ? -1 : na[i] > nb[i];
    if (!r) r = nla < nlb ? -1 : nla > nlb;
    free(a); free(b); free(na); free(nb);
    return jsv_from_int(r);
oom:
    free(a); free(b); free(na); free(nb);
    return jsvm_throw_out_of_memory(t);
}

static jsv proto_normalize(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, "normalize");
    if (!s) return JSV_EXCEPTION;
    int form = JSUNI_NFC;
    if (!jsv_is_undefined(JS_ARG(0))) {
        js_string *f = jsop_to_string(t, argv[0]);
        if (!f) return JSV_EXCEPTION;
        if (jsstr_equal_cstr(f, "NFC")) form = JSUNI_NFC;
        else if (jsstr_equal_cstr(f, "NFD")) form = JSUNI_NFD;
        else if (jsstr_equal_cstr(f, "NFKC")) form = JSUNI_NFKC;
        else if (jsstr_equal_cstr(f, "NFKD")) form = JSUNI_NFKD;
        else return jsvm_throw_range_error(t, "The normalization form should be one of NFC, NFD, NFKC, NFKD");
    }
    int ascii = 1;
    for (uint32_t i = 0; i < s->len && ascii; i++) if (jsstr_at(s, i) >= 0x80) ascii = 0;
    if (ascii) return jsv_string(s);
    uint32_t *cp = malloc((s->len + 1) * sizeof(uint32_t)), *out = NULL;
    size_t n = 0, on = 0;
    if (!cp) return jsvm_throw_out_of_memory(t);
    for (uint32_t i = 0; i < s->len; i++) { int u; cp[n++] = code_point_at(s, i, &u); i += u - 1; }
    if (jsuni_normalize(cp, n, form, &out, &on) < 0) { free(cp); return jsvm_throw_out_of_memory(t); }
    free(cp);
    sbuf b = { 0 };
    for (size_t i = 0; i < on; i++)
        if (sb_char(t, &b, out[i]) < 0) { free(out); free(b.p); return JSV_EXCEPTION; }
    free(out);
    return sb_finish(t, &b);
}

/* padStart (0), padEnd (1) */
static jsv proto_pad(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, magic ? "padEnd" : "padStart");
    int64_t max;
    if (!s || jsop_to_length(t, JS_ARG(0), &max) < 0) return JSV_EXCEPTION;
    if (max <= s->len) return jsv_string(s);
    js_string *fill;
    if (jsv_is_undefined(JS_ARG(1))) fill = jsstr_from_char(t, ' ');
    else fill = to_flat_string(t, argv[1]);
    if (!fill) return JSV_EXCEPTION;
    if (fill->len == 0) return jsv_string(s);
    if ((uint64_t)max > MAX_STRING_LEN) return jsvm_throw_range_error(t, "Invalid string length");
    sbuf b = { 0 };
    size_t need = (size_t)max - s->len;
    if (magic && sb_sub(t, &b, s, 0, s->len) < 0) goto fail;
    while (need > 0) {
        uint32_t n = need < fill->len ? (uint32_t)need : fill->len;
        if (sb_sub(t, &b, fill, 0, n) < 0) goto fail;
        need -= n;
    }
    if (!magic && sb_sub(t, &b, s, 0, s->len) < 0) goto fail;
    return sb_finish(t, &b);
fail:
    free(b.p);
    return JSV_EXCEPTION;
}

static jsv proto_repeat(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, "repeat");
    double n;
    if (!s || jsop_to_integer_or_infinity(t, JS_ARG(0), &n) < 0) return JSV_EXCEPTION;
    if (n < 0 || n == INFINITY) return jsvm_throw_range_error(t, "Invalid count value: %g", n);
    if (n == 0 || s->len == 0) return jsv_string(jsstr_empty(t));
    if (n * s->len > (double)MAX_STRING_LEN) return jsvm_throw_range_error(t, "Invalid string length");
    sbuf b = { 0 };
    if (sb_grow(t, &b, (size_t)n * s->len) < 0) return JSV_EXCEPTION;
    for (uint32_t i = 0; i < (uint32_t)n; i++)
        if (sb_sub(t, &b, s, 0, s->len) < 0) { free(b.p); return JSV_EXCEPTION; }
    return sb_finish(t, &b);
}

static jsv proto_slice(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, "slice");
    double from, to;
    if (!s || jsop_to_integer_or_infinity(t, JS_ARG(0), &from) < 0) return JSV_EXCEPTION;
    double len = s->len;
    if (jsv_is_undefined(JS_ARG(1))) to = len;
    else if (jsop_to_integer_or_infinity(t, argv[1], &to) < 0) return JSV_EXCEPTION;
    if (from < 0) { from += len; if (from < 0) from = 0; } else if (from > len) from = len;
    if (to < 0) { to += len; if (to < 0) to = 0; } else if (to > len) to = len;
    if (from >= to) return jsv_string(jsstr_empty(t));
    return substr_value(t, s, (uint32_t)from, (uint32_t)to);
}

static jsv proto_substring(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, "substring");
    double a, b;
    if (!s || jsop_to_integer_or_infinity(t, JS_ARG(0), &a) < 0) return JSV_EXCEPTION;
    double len = s->len;
    if (jsv_is_undefined(JS_ARG(1))) b = len;
    else if (jsop_to_integer_or_infinity(t, argv[1], &b) < 0) return JSV_EXCEPTION;
    a = a < 0 ? 0 : a > len ? len : a;
    b = b < 0 ? 0 : b > len ? len : b;
    if (a > b) { double x = a; a = b; b = x; }
    return substr_value(t, s, (uint32_t)a, (uint32_t)b);
}

static jsv proto_substr(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, "substr");
    double start, n;
    if (!s || jsop_to_integer_or_infinity(t, JS_ARG(0), &start) < 0) return JSV_EXCEPTION;
    double len = s->len;
    if (start == -INFINITY) start = 0;
    else if (start < 0) { start += len; if (start < 0) start = 0; }
    else if (start > len) start = len;
    if (jsv_is_undefined(JS_ARG(1))) n = len;
    else if (jsop_to_integer_or_infinity(t, argv[1], &n) < 0) return JSV_EXCEPTION;
    if (n < 0) n = 0;
    if (n > len - start) n = len - start;
    if (n <= 0) return jsv_string(jsstr_empty(t));
    return substr_value(t, s, (uint32_t)start, (uint32_t)(start + n));
}

/* Final_Sigma: before i a cased letter (skipping case-ignorables), after it none. */
static int final_sigma(js_string *s, uint32_t i)
{
    int64_t j = (int64_t)i - 1;
    int before = 0;
    while (j >= 0) {
        uint32_t c = jsstr_at(s, (uint32_t)j);
        if (is_trail(c) && j > 0 && is_lead(jsstr_at(s, (uint32_t)j - 1))) {
            c = 0x10000 + ((jsstr_at(s, (uint32_t)j - 1) - 0xD800) << 10) + (c - 0xDC00);
            j--;
        }
        if (jsuni_is_case_ignorable(c)) { j--; continue; }
        before = jsuni_is_cased(c);
        break;
    }
    if (!before) return 0;
    for (uint32_t k = i + 1; k < s->len;) {
        int u;
        uint32_t c = code_point_at(s, k, &u);
        if (jsuni_is_case_ignorable(c)) { k += u; continue; }
        return !jsuni_is_cased(c);
    }
    return 1;
}

/* toLowerCase / toLocaleLowerCase (0), toUpperCase / toLocaleUpperCase (1) */
static jsv proto_case(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, magic ? "toUpperCase" : "toLowerCase");
    if (!s) return JSV_EXCEPTION;
    if (!jsstr_is_wide(s)) {
        /* Latin-1 fast path when nothing maps outside one unit */
        uint32_t i;
        int change = 0, simple = 1;
        for (i = 0; i < s->len; i++) {
            uint32_t c = s->u.c8[i];
            if (magic ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z')) change = 1;
            else if (c >= 0x80) { simple = 0; break; }
        }
        if (simple) {
            if (!change) return jsv_string(s);
            js_string *r = jsstr_alloc(t, s->len, 0);
            if (!r) return JSV_EXCEPTION;
            uint8_t *p = jsstr_mut8(r);
            for (i = 0; i < s->len; i++) {
                uint8_t c = s->u.c8[i];
                if (magic ? (c >= 'a' && c <= 'z') : (c >= 'A' && c <= 'Z')) c ^= 0x20;
                p[i] = c;
            }
            return jsv_string(r);
        }
    }
    sbuf b = { 0 };
    for (uint32_t i = 0; i < s->len;) {
        int u;
        uint32_t c = code_point_at(s, i, &u), out[3];
        int n;
        if (!magic && c == 0x3A3 && final_sigma(s, i)) { out[0] = 0x3C2; n = 1; }
        else n = magic ? jsuni_to_upper_full(c, out) : jsuni_to_lower_full(c, out);
        for (int k = 0; k < n; k++)
            if (sb_char(t, &b, out[k]) < 0) { free(b.p); return JSV_EXCEPTION; }
        i += u;
    }
    return sb_finish(t, &b);
}

/* trim (3), trimStart (1), trimEnd (2) */
static jsv proto_trim(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, magic == 3 ? "trim" : magic == 1 ? "trimStart" : "trimEnd");
    if (!s) return JSV_EXCEPTION;
    uint32_t a = 0, b = s->len;
    if (magic & 1) while (a < b && is_ws(jsstr_at(s, a))) a++;
    if (magic & 2) while (b > a && is_ws(jsstr_at(s, b - 1))) b--;
    return substr_value(t, s, a, b);
}

/* ---- RegExp-delegating methods and their string-only paths ---- */

js_string *jsbi_get_substitution(js_thread *t, js_string *matched, js_string *str, uint32_t position,
                                 uint32_t ncaptures, const jsv *captures, jsv named_captures,
                                 js_string *tmpl)
{
    sbuf b = { 0 };
    if (!(matched = jsstr_flatten(t, matched)) || !(str = jsstr_flatten(t, str)) || !(tmpl = jsstr_flatten(t, tmpl)))
        return NULL;
    uint32_t n = tmpl->len, slen = str->len;
    for (uint32_t i = 0; i < n;) {
        uint32_t c = jsstr_at(tmpl, i);
        if (c != '$' || i + 1 >= n) {
            if (sb_char(t, &b, c) < 0) goto fail;
            i++;
            continue;
        }
        uint32_t d = jsstr_at(tmpl, i + 1);
        if (d == '$') {
            if (sb_char(t, &b, '$') < 0) goto fail;
            i += 2;
        } else if (d == '`') {
            if (sb_sub(t, &b, str, 0, position < slen ? position : slen) < 0) goto fail;
            i += 2;
        } else if (d == '&') {
            if (sb_sub(t, &b, matched, 0, matched->len) < 0) goto fail;
            i += 2;
        } else if (d == '\'') {
            uint64_t tail = (uint64_t)position + matched->len;
            if (tail < slen && sb_sub(t, &b, str, (uint32_t)tail, slen) < 0) goto fail;
            i += 2;
        } else if (d >= '0' && d <= '9') {
            uint32_t digits = 1, index = d - '0';
            if (i + 2 < n) {
                uint32_t e = jsstr_at(tmpl, i + 2);
                if (e >= '0' && e <= '9') {
                    digits = 2;
                    index = index * 10 + (e - '0');
                    if (index > ncaptures) { digits = 1; index = d - '0'; }
                }
            }
            if (index >= 1 && index <= ncaptures) {
                jsv cap = captures[index - 1];
                if (!jsv_is_undefined(cap)) {
                    js_string *cs = jsop_to_string(t, cap);
                    if (!cs || sb_str(t, &b, cs) < 0) goto fail;
                }
            } else if (sb_sub(t, &b, tmpl, i, i + 1 + digits) < 0) goto fail;
            i += 1 + digits;
        } else if (d == '<') {
            int64_t gt = -1;
            for (uint32_t k = i + 2; k < n; k++) if (jsstr_at(tmpl, k) == '>') { gt = k; break; }
            if (gt < 0 || jsv_is_undefined(named_captures)) {
                if (sb_cstr(t, &b, "$<") < 0) goto fail;
                i += 2;
            } else {
                js_string *name = jsstr_substring(t, tmpl, i + 2, (uint32_t)gt);
                if (!name) goto fail;
                js_key k = jskey_from_string(t, name);
                if (k == JSV_EXCEPTION) goto fail;
                jsv cap = jsobj_get_value(t, named_captures, k);
                if (cap == JSV_EXCEPTION) goto fail;
                if (!jsv_is_undefined(cap)) {
                    js_string *cs = jsop_to_string(t, cap);
                    if (!cs || sb_str(t, &b, cs) < 0) goto fail;
                }
                i = (uint32_t)gt + 1;
            }
        } else {
            if (sb_char(t, &b, '$') < 0) goto fail;
            i++;
        }
    }
    jsv r = sb_finish(t, &b);
    return r == JSV_EXCEPTION ? NULL : JSV_STR(r);
fail:
    free(b.p);
    return NULL;
}

/* RegExpCreate(pattern, flags) through the %RegExp% constructor. */
static jsv regexp_create(js_thread *t, jsv pattern, const char *flags)
{
    jsv ctor = jsrt_intrinsic(t, JS_INTR_RegExp);
    if (!jsop_is_constructor(ctor)) return jsvm_throw_syntax_error(t, "RegExp is not supported yet");
    jsv args[2] = { pattern, JSV_UNDEFINED };
    if (flags) {
        js_string *f = jsstr_new_cstr(t, flags);
        if (!f) return JSV_EXCEPTION;
        args[1] = jsv_string(f);
    }
    return jsvm_construct(t, ctor, 2, args, JSV_UNDEFINED);
}

/* match (0), search (1), matchAll (2) */
static jsv proto_match(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    static const char *const names[] = { "match", "search", "matchAll" };
    static const int syms[] = { JS_WKS_match, JS_WKS_search, JS_WKS_matchAll };
    if (jsv_is_nullish(this_val))
        return jsvm_throw_type_error(t, "String.prototype.%s called on null or undefined", names[magic]);
    jsv rx = JS_ARG(0);
    if (jsv_is_object(rx)) {
        if (magic == 2) {
            int isre = jsop_is_regexp(t, rx);
            if (isre < 0) return JSV_EXCEPTION;
            if (isre) {
                jsv flags = jsobj_get_value(t, rx, akey(t, JS_ATOM_flags));
                if (flags == JSV_EXCEPTION) return JSV_EXCEPTION;
                if (jsv_is_nullish(flags)) return jsvm_throw_type_error(t, "flags is null or undefined");
                js_string *fs = to_flat_string(t, flags);
                if (!fs) return JSV_EXCEPTION;
                int g = 0;
                for (uint32_t i = 0; i < fs->len; i++) if (jsstr_at(fs, i) == 'g') g = 1;
                if (!g) return jsvm_throw_type_error(t, "String.prototype.matchAll called with a non-global RegExp argument");
            }
        }
        jsv m = jsop_get_method(t, rx, wks(t, syms[magic]));
        if (m == JSV_EXCEPTION) return JSV_EXCEPTION;
        if (!jsv_is_undefined(m)) return jsvm_call(t, m, rx, 1, &this_val);
    }
    js_string *s = jsop_to_string(t, this_val);
    if (!s) return JSV_EXCEPTION;
    jsv re = regexp_create(t, rx, magic == 2 ? "g" : NULL);
    if (re == JSV_EXCEPTION) return JSV_EXCEPTION;
    jsv sv = jsv_string(s);
    return jsvm_invoke(t, re, wks(t, syms[magic]), 1, &sv);
}

/* replace (0), replaceAll (1) */
static jsv proto_replace(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (jsv_is_nullish(this_val))
        return jsvm_throw_type_error(t, "String.prototype.%s called on null or undefined", magic ? "replaceAll" : "replace");
    jsv sv = JS_ARG(0), rv = JS_ARG(1);
    if (jsv_is_object(sv)) {
        if (magic) {
            int isre = jsop_is_regexp(t, sv);
            if (isre < 0) return JSV_EXCEPTION;
            if (isre) {
                jsv flags = jsobj_get_value(t, sv, akey(t, JS_ATOM_flags));
                if (flags == JSV_EXCEPTION) return JSV_EXCEPTION;
                if (jsv_is_nullish(flags)) return jsvm_throw_type_error(t, "flags is null or undefined");
                js_string *fs = to_flat_string(t, flags);
                if (!fs) return JSV_EXCEPTION;
                int g = 0;
                for (uint32_t i = 0; i < fs->len; i++) if (jsstr_at(fs, i) == 'g') g = 1;
                if (!g) return jsvm_throw_type_error(t, "replaceAll must be called with a global RegExp");
            }
        }
        jsv m = jsop_get_method(t, sv, wks(t, JS_WKS_replace));
        if (m == JSV_EXCEPTION) return JSV_EXCEPTION;
        if (!jsv_is_undefined(m)) {
            jsv args[2] = { this_val, rv };
            return jsvm_call(t, m, sv, 2, args);
        }
    }
    js_string *s = to_flat_string(t, this_val);
    if (!s) return JSV_EXCEPTION;
    js_string *search = to_flat_string(t, sv);
    if (!search) return JSV_EXCEPTION;
    int functional = jsop_is_callable(rv);
    js_string *tmpl = NULL;
    if (!functional && !(tmpl = jsop_to_string(t, rv))) return JSV_EXCEPTION;
    uint32_t slen = search->len, adv = slen ? slen : 1;
    int64_t pos = index_of(s, search, 0);
    if (pos < 0) return jsv_string(s);
    sbuf b = { 0 };
    uint32_t end = 0;
    while (pos >= 0) {
        js_string *rep;
        if (sb_sub(t, &b, s, end, (uint32_t)pos) < 0) goto fail;
        if (functional) {
            jsv args[3] = { jsv_string(search), jsv_number((double)pos), jsv_string(s) };
            jsv r = jsvm_call(t, rv, JSV_UNDEFINED, 3, args);
            if (r == JSV_EXCEPTION) goto fail;
            rep = jsop_to_string(t, r);
        } else {
            rep = jsbi_get_substitution(t, search, s, (uint32_t)pos, 0, NULL, JSV_UNDEFINED, tmpl);
        }
        if (!rep || sb_str(t, &b, rep) < 0) goto fail;
        end = (uint32_t)pos + slen;
        if (!magic) break;
        if ((uint64_t)pos + adv > s->len) break;
        pos = index_of(s, search, (uint32_t)pos + adv);
    }
    if (sb_sub(t, &b, s, end, s->len) < 0) goto fail;
    return sb_finish(t, &b);
fail:
    free(b.p);
    return JSV_EXCEPTION;
}

static jsv proto_split(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (jsv_is_nullish(this_val)) return jsvm_throw_type_error(t, "String.prototype.split called on null or undefined");
    jsv sep = JS_ARG(0), limit = JS_ARG(1);
    if (jsv_is_object(sep)) {
        jsv m = jsop_get_method(t, sep, wks(t, JS_WKS_split));
        if (m == JSV_EXCEPTION) return JSV_EXCEPTION;
        if (!jsv_is_undefined(m)) {
            jsv args[2] = { this_val, limit };
            return jsvm_call(t, m, sep, 2, args);
        }
    }
    js_string *s = to_flat_string(t, this_val);
    if (!s) return JSV_EXCEPTION;
    uint32_t lim = 0xFFFFFFFFu;
    if (!jsv_is_undefined(limit) && jsop_to_uint32(t, limit, &lim) < 0) return JSV_EXCEPTION;
    js_string *r = to_flat_string(t, sep);
    if (!r) return JSV_EXCEPTION;
    js_object *a = jsobj_new_array(t, 0);
    if (!a) return JSV_EXCEPTION;
    if (lim == 0) return jsv_object(a);
    if (jsv_is_undefined(sep)) {
        if (jsarray_push(t, a, jsv_string(s)) < 0) return JSV_EXCEPTION;
        return jsv_object(a);
    }
    if (r->len == 0) {
        for (uint32_t i = 0; i < s->len && i < lim; i++) {
            js_string *c = jsstr_from_char(t, jsstr_at(s, i));
            if (!c || jsarray_push(t, a, jsv_string(c)) < 0) return JSV_EXCEPTION;
        }
        return jsv_object(a);
    }
    if (s->len == 0) {
        if (jsarray_push(t, a, jsv_string(s)) < 0) return JSV_EXCEPTION;
        return jsv_object(a);
    }
    uint32_t i = 0;
    int64_t j = index_of(s, r, 0);
    while (j >= 0) {
        jsv part = substr_value(t, s, i, (uint32_t)j);
        if (part == JSV_EXCEPTION || jsarray_push(t, a, part) < 0) return JSV_EXCEPTION;
        if (a->elen >= lim) return jsv_object(a);
        i = (uint32_t)j + r->len;
        j = index_of(s, r, i);
    }
    jsv part = substr_value(t, s, i, s->len);
    if (part == JSV_EXCEPTION || jsarray_push(t, a, part) < 0) return JSV_EXCEPTION;
    return jsv_object(a);
}

/* ---- Annex B HTML methods: magic indexes the table ---- */

static const struct { const char *name, *tag, *attr; } html_methods[] = {
    { "anchor", "a", "name" }, { "big", "big", NULL }, { "blink", "blink", NULL },
    { "bold", "b", NULL }, { "fixed", "tt", NULL }, { "fontcolor", "font", "color" },
    { "fontsize", "font", "size" }, { "italics", "i", NULL }, { "link", "a", "href" },
    { "small", "small", NULL }, { "strike", "strike", NULL }, { "sub", "sub", NULL },
    { "sup", "sup", NULL },
};

static jsv proto_html(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, html_methods[magic].name);
    if (!s) return JSV_EXCEPTION;
    js_string *val = NULL;
    if (html_methods[magic].attr && !(val = to_flat_string(t, JS_ARG(0)))) return JSV_EXCEPTION;
    sbuf b = { 0 };
    if (sb_char(t, &b, '<') < 0 || sb_cstr(t, &b, html_methods[magic].tag) < 0) goto fail;
    if (val) {
        if (sb_char(t, &b, ' ') < 0 || sb_cstr(t, &b, html_methods[magic].attr) < 0 || sb_cstr(t, &b, "=\"") < 0)
            goto fail;
        for (uint32_t i = 0; i < val->len; i++) {
            uint32_t c = jsstr_at(val, i);
            if (c == '"' ? sb_cstr(t, &b, "&quot;") < 0 : sb_char(t, &b, c) < 0) goto fail;
        }
        if (sb_char(t, &b, '"') < 0) goto fail;
    }
    if (sb_char(t, &b, '>') < 0 || sb_str(t, &b, s) < 0 || sb_cstr(t, &b, "</") < 0 ||
        sb_cstr(t, &b, html_methods[magic].tag) < 0 || sb_char(t, &b, '>') < 0)
        goto fail;
    return sb_finish(t, &b);
fail:
    free(b.p);
    return JSV_EXCEPTION;
}

/* ---- %StringIteratorPrototype% ---- */

typedef struct js_string_iterator {
    js_object base;
    jsv str;         /* undefined once exhausted */
    uint32_t pos;
} js_string_iterator;

static void string_iterator_trace(js_gc_tracer *trc, js_object *o)
{
    jsgc_mark_value(trc, ((js_string_iterator *)o)->str);
}

const js_class_ops jsclass_string_iterator = {
    .name = "String Iterator",
    .size = sizeof(js_string_iterator),
    .trace = string_iterator_trace,
};

static jsv proto_iterator(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = this_str(t, this_val, "[Symbol.iterator]");
    if (!s) return JSV_EXCEPTION;
    js_string_iterator *it = (js_string_iterator *)jsobj_new(t, jsrt_intrinsic(t, JS_INTR_StringIteratorPrototype),
                                                             JS_CLASS_STRING_ITERATOR);
    if (!it) return JSV_EXCEPTION;
    it->str = jsv_string(s);
    it->pos = 0;
    return jsv_object(it);
}

static jsv string_iterator_next(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val) || jsobj_class(JSV_OBJ(this_val)) != JS_CLASS_STRING_ITERATOR)
        return jsvm_throw_type_error(t, "next called on an object that is not a String Iterator");
    js_string_iterator *it = (js_string_iterator *)JSV_OBJ(this_val);
    if (jsv_is_undefined(it->str)) return jsop_create_iter_result(t, JSV_UNDEFINED, 1);
    js_string *s = jsstr_flatten(t, JSV_STR(it->str));
    if (!s) return JSV_EXCEPTION;
    if (it->pos >= s->len) {
        it->str = JSV_UNDEFINED;
        return jsop_create_iter_result(t, JSV_UNDEFINED, 1);
    }
    int u;
    uint32_t c = code_point_at(s, it->pos, &u);
    it->pos += u;
    js_string *r = jsstr_from_char(t, c);
    if (!r) return JSV_EXCEPTION;
    return jsop_create_iter_result(t, jsv_string(r), 0);
}

/* ---- set-up ---- */

static const struct { const char *name; js_native_fn fn; int len, magic; } proto_fns[] = {
    { "at", proto_at, 1, 0 },
    { "charAt", proto_char_at, 1, 0 },
    { "charCodeAt", proto_char_at, 1, 1 },
    { "codePointAt", proto_char_at, 1, 2 },
    { "concat", proto_concat, 1, 0 },
    { "endsWith", proto_starts_ends, 1, 1 },
    { "includes", proto_starts_ends, 1, 2 },
    { "indexOf", proto_index_of, 1, 0 },
    { "isWellFormed", proto_is_well_formed, 0, 0 },
    { "lastIndexOf", proto_index_of, 1, 1 },
    { "localeCompare", proto_locale_compare, 1, 0 },
    { "match", proto_match, 1, 0 },
    { "matchAll", proto_match, 1, 2 },
    { "normalize", proto_normalize, 0, 0 },
    { "padEnd", proto_pad, 1, 1 },
    { "padStart", proto_pad, 1, 0 },
    { "repeat", proto_repeat, 1, 0 },
    { "replace", proto_replace, 2, 0 },
    { "replaceAll", proto_replace, 2, 1 },
    { "search", proto_match, 1, 1 },
    { "slice", proto_slice, 2, 0 },
    { "split", proto_split, 2, 0 },
    { "startsWith", proto_starts_ends, 1, 0 },
    { "substr", proto_substr, 2, 0 },
    { "substring", proto_substring, 2, 0 },
    { "toLocaleLowerCase", proto_case, 0, 0 },
    { "toLocaleUpperCase", proto_case, 0, 1 },
    { "toLowerCase", proto_case, 0, 0 },
    { "toString", proto_value_of, 0, 1 },
    { "toUpperCase", proto_case, 0, 1 },
    { "toWellFormed", proto_is_well_formed, 0, 1 },
    { "trim", proto_trim, 0, 3 },
    { "valueOf", proto_value_of, 0, 0 },
};

int jsbi_init_string(js_thread *t, js_realm *realm)
{
    js_object *proto = jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_STRING);
    if (!proto) return -1;
    ((js_primitive_object *)proto)->value = jsv_string(jsstr_empty(t));
    js_object *ctor = jsbi_make_ctor(t, realm, "String", 1, string_call, string_construct, 0, proto,
                                     JS_INTR_String, JS_INTR_StringPrototype);
    if (!ctor) return -1;
    if (jsobj_define_fn(t, ctor, "fromCharCode", string_from_char_code, 1, 0) < 0 ||
        jsobj_define_fn(t, ctor, "fromCodePoint", string_from_code_point, 1, 0) < 0 ||
        jsobj_define_fn(t, ctor, "raw", string_raw, 1, 0) < 0)
        return -1;
    for (size_t i = 0; i < sizeof proto_fns / sizeof proto_fns[0]; i++)
        if (jsobj_define_fn(t, proto, proto_fns[i].name, proto_fns[i].fn, proto_fns[i].len, proto_fns[i].magic) < 0)
            return -1;
    /* trimStart/trimEnd and their Annex B aliases share function objects */
    js_object *ts = jsfn_new_native(t, proto_trim, jskey_from_cstr(t, "trimStart"), 0, 1);
    js_object *te = ts ? jsfn_new_native(t, proto_trim, jskey_from_cstr(t, "trimEnd"), 0, 2) : NULL;
    if (!te) return -1;
    if (jsbi_define_value_cstr(t, proto, "trimStart", jsv_object(ts), JS_PROP_C_W) < 0 ||
        jsbi_define_value_cstr(t, proto, "trimLeft", jsv_object(ts), JS_PROP_C_W) < 0 ||
        jsbi_define_value_cstr(t, proto, "trimEnd", jsv_object(te), JS_PROP_C_W) < 0 ||
        jsbi_define_value_cstr(t, proto, "trimRight", jsv_object(te), JS_PROP_C_W) < 0)
        return -1;
    for (size_t i = 0; i < sizeof html_methods / sizeof html_methods[0]; i++)
        if (jsobj_define_fn(t, proto, html_methods[i].name, proto_html, html_methods[i].attr ? 1 : 0, (int)i) < 0)
            return -1;
    if (jsobj_define_fn_key(t, proto, wks(t, JS_WKS_iterator), proto_iterator, 0, 0) < 0) return -1;

    js_object *itp = jsbi_iterator_prototype(t, realm);
    if (!itp) return -1;
    js_object *sip = jsobj_new(t, jsv_object(itp), JS_CLASS_OBJECT);
    if (!sip) return -1;
    if (jsobj_define_fn(t, sip, "next", string_iterator_next, 0, 0) < 0 || jsbi_set_tag(t, sip, "String Iterator") < 0)
        return -1;
    realm->intrinsics[JS_INTR_StringIteratorPrototype] = jsv_object(sip);
    return 0;
}
