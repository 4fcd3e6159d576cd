/*
 * global.c - the value properties and functions of the global object:
 * globalThis, NaN, Infinity, undefined, isNaN, isFinite, the URI coding
 * functions (URIError on malformed input), escape/unescape (Annex B), and the
 * %eval% intrinsic (indirect eval through the VM). parseInt/parseFloat come
 * from number.c through the intrinsics table.
 * Must not touch: evaluation itself (jsvm_indirect_eval).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "builtins.h"

#define KEY(atom) jskey_from_atom_id(t, JS_ATOM_##atom)

/* A growable UTF-16 buffer for building results. */
typedef struct ubuf {
    uint16_t *p;
    size_t n, cap;
} ubuf;

static int ubuf_put(js_thread *t, ubuf *b, uint32_t c)
{
    if (b->n + 2 > b->cap) {
        size_t nc = b->cap ? b->cap * 2 : 64;
        uint16_t *np = realloc(b->p, nc * sizeof *np);
        if (!np) {
            /* Callers just return on failure: release the buffer here. */
            free(b->p);
            b->p = NULL;
            b->n = b->cap = 0;
            jsvm_throw_out_of_memory(t);
            return -1;
        }
        b->p = np;
        b->cap = nc;
    }
    if (c > 0xFFFF) {
        c -= 0x10000;
        b->p[b->n++] = (uint16_t)(0xD800 + (c >> 10));
        b->p[b->n++] = (uint16_t)(0xDC00 + (c & 0x3FF));
    } else {
        b->p[b->n++] = (uint16_t)c;
    }
    return 0;
}

static jsv ubuf_finish(js_thread *t, ubuf *b)
{
    js_string *s = jsstr_new_utf16(t, b->p ? b->p : (const uint16_t *)"", b->n);
    free(b->p);
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

static const char hexdig[] = "0123456789ABCDEF";

static int hexval(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static js_string *arg_string(js_thread *t, jsv v)
{
    js_string *s = jsop_to_string(t, v);
    return s ? jsstr_flatten(t, s) : NULL;
}

/* ---- isNaN / isFinite ---- */

static jsv global_is_nan(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double d;
    if (jsop_to_number(t, JS_ARG(0), &d) < 0)
        return JSV_EXCEPTION;
    return jsv_from_bool(magic ? isfinite(d) : isnan(d));
}

/* ---- URI handling (ECMA-262 19.2.6) ---- */

static int uri_unescaped(uint32_t c, int component)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    if (c < 128 && strchr("-_.!~*'()", (int)c) && c)
        return 1;
    if (!component && c < 128 && c && strchr(";/?:@&=+$,#", (int)c))
        return 1;
    return 0;
}

/* magic 0: encodeURI, 1: encodeURIComponent */
static jsv global_encode(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = arg_string(t, JS_ARG(0));
    ubuf b = { 0 };
    uint32_t n;

    if (!s)
        return JSV_EXCEPTION;
    n = s->len;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t c = jsstr_at(s, k);
        uint8_t oct[4];
        int nb;
        if (uri_unescaped(c, magic)) {
            if (ubuf_put(t, &b, c) < 0)
                return JSV_EXCEPTION;
            continue;
        }
        if (c >= 0xDC00 && c <= 0xDFFF)
            goto bad;
        if (c >= 0xD800 && c <= 0xDBFF) {
            uint32_t c2;
            if (k + 1 >= n)
                goto bad;
            c2 = jsstr_at(s, k + 1);
            if (c2 < 0xDC00 || c2 > 0xDFFF)
                goto bad;
            c = 0x10000 + ((c - 0xD800) << 10) + (c2 - 0xDC00);
            k++;
        }
        if (c < 0x80) {
            oct[0] = (uint8_t)c; nb = 1;
        } else if (c < 0x800) {
            oct[0] = (uint8_t)(0xC0 | (c >> 6)); oct[1] = (uint8_t)(0x80 | (c & 0x3F)); nb = 2;
        } else if (c < 0x10000) {
            oct[0] = (uint8_t)(0xE0 | (c >> 12)); oct[1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
            oct[2] = (uint8_t)(0x80 | (c & 0x3F)); nb = 3;
        } else {
            oct[0] = (uint8_t)(0xF0 | (c >> 18)); oct[1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
            oct[2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F)); oct[3] = (uint8_t)(0x80 | (c & 0x3F)); nb = 4;
        }
        for (int i = 0; i < nb; i++) {
            if (ubuf_put(t, &b, '%') < 0 || ubuf_put(t, &b, (uint8_t)hexdig[oct[i] >> 4]) < 0 ||
                ubuf_put(t, &b, (uint8_t)hexdig[oct[i] & 15]) < 0)
                return JSV_EXCEPTION;
        }
    }
    return ubuf_finish(t, &b);
bad:
    free(b.p);
    return jsvm_throw_error(t, JS_ERR_URI, "URI malformed");
}

/* Byte of "%XX" at k, or -1. */
static int pct_byte(js_string *s, uint32_t k)
{
    int h, l;
    if (k + 2 >= s->len)
        return -1;
    if (jsstr_at(s, k) != '%')
        return -1;
    h = hexval(jsstr_at(s, k + 1));
    l = hexval(jsstr_at(s, k + 2));
    if (h < 0 || l < 0)
        return -1;
    return h * 16 + l;
}

/* magic 0: decodeURI, 1: decodeURIComponent */
static jsv global_decode(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = arg_string(t, JS_ARG(0));
    ubuf b = { 0 };
    uint32_t n;

    if (!s)
        return JSV_EXCEPTION;
    n = s->len;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t c = jsstr_at(s, k), cp, min;
        int byte, nb;
        if (c != '%') {
            if (ubuf_put(t, &b, c) < 0)
                return JSV_EXCEPTION;
            continue;
        }
        if (k + 2 >= n || (byte = pct_byte(s, k)) < 0)
            goto bad;
        if (byte < 0x80) {
            if (!magic && byte && strchr(";/?:@&=+$,#", byte)) {
                for (uint32_t i = 0; i < 3; i++)
                    if (ubuf_put(t, &b, jsstr_at(s, k + i)) < 0)
                        return JSV_EXCEPTION;
            } else if (ubuf_put(t, &b, (uint32_t)byte) < 0) {
                return JSV_EXCEPTION;
            }
            k += 2;
            continue;
        }
        if ((byte & 0xE0) == 0xC0) {
            nb = 2; cp = byte & 0x1F; min = 0x80;
        } else if ((byte & 0xF0) == 0xE0) {
            nb = 3; cp = byte & 0x0F; min = 0x800;
        } else if ((byte & 0xF8) == 0xF0) {
            nb = 4; cp = byte & 0x07; min = 0x10000;
        } else {
            goto bad;
        }
        k += 2;
        for (int i = 1; i < nb; i++) {
            int cb;
            k++;
            if (k + 2 >= n || (cb = pct_byte(s, k)) < 0 || (cb & 0xC0) != 0x80)
                goto bad;
            cp = (cp << 6) | (uint32_t)(cb & 0x3F);
            k += 2;
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            goto bad;
        if (ubuf_put(t, &b, cp) < 0)
            return JSV_EXCEPTION;
    }
    return ubuf_finish(t, &b);
bad:
    free(b.p);
    return jsvm_throw_error(t, JS_ERR_URI, "URI malformed");
}

/* ---- escape / unescape (Annex B.2.1) ---- */

static jsv global_escape(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = arg_string(t, JS_ARG(0));
    ubuf b = { 0 };

    if (!s)
        return JSV_EXCEPTION;
    for (uint32_t k = 0; k < s->len; k++) {
        uint32_t c = jsstr_at(s, k);
        char esc[7];
        int n = 0;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            (c < 128 && c && strchr("@*_+-./", (int)c))) {
            esc[n++] = (char)c;
        } else if (c < 256) {
            esc[n++] = '%';
            esc[n++] = hexdig[c >> 4];
            esc[n++] = hexdig[c & 15];
        } else {
            esc[n++] = '%';
            esc[n++] = 'u';
            esc[n++] = hexdig[c >> 12];
            esc[n++] = hexdig[(c >> 8) & 15];
            esc[n++] = hexdig[(c >> 4) & 15];
            esc[n++] = hexdig[c & 15];
        }
        for (int i = 0; i < n; i++)
            if (ubuf_put(t, &b, (uint8_t)esc[i]) < 0)
                return JSV_EXCEPTION;
    }
    return ubuf_finish(t, &b);
}

static jsv global_unescape(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = arg_string(t, JS_ARG(0));
    ubuf b = { 0 };
    uint32_t n;

    if (!s)
        return JSV_EXCEPTION;
    n = s->len;
    for (uint32_t k = 0; k < n; k++) {
        uint32_t c = jsstr_at(s, k);
        if (c == '%') {
            if (k + 6 <= n && jsstr_at(s, k + 1) == 'u') {
                int h1 = hexval(jsstr_at(s, k + 2)), h2 = hexval(jsstr_at(s, k + 3));
                int h3 = hexval(jsstr_at(s, k + 4)), h4 = hexval(jsstr_at(s, k + 5));
                if (h1 >= 0 && h2 >= 0 && h3 >= 0 && h4 >= 0) {
                    c = (uint32_t)(h1 << 12 | h2 << 8 | h3 << 4 | h4);
                    k += 5;
                }
            } else if (k + 3 <= n) {
                int h1 = hexval(jsstr_at(s, k + 1)), h2 = hexval(jsstr_at(s, k + 2));
                if (h1 >= 0 && h2 >= 0) {
                    c = (uint32_t)(h1 << 4 | h2);
                    k += 2;
                }
            }
        }
        if (ubuf_put(t, &b, c) < 0)
            return JSV_EXCEPTION;
    }
    return ubuf_finish(t, &b);
}

static jsv global_eval(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_indirect_eval(t, JS_ARG(0));
}

int jsbi_init_global(js_thread *t, js_realm *realm)
{
    static const struct { const char *name; js_native_fn fn; int len, magic; } fns[] = {
        { "isFinite", global_is_nan, 1, 1 },
        { "isNaN", global_is_nan, 1, 0 },
        { "decodeURI", global_decode, 1, 0 },
        { "decodeURIComponent", global_decode, 1, 1 },
        { "encodeURI", global_encode, 1, 0 },
        { "encodeURIComponent", global_encode, 1, 1 },
        { "escape", global_escape, 1, 0 },
        { "unescape", global_unescape, 1, 0 },
    };
    js_object *g = realm->global, *ev;

    if (jsobj_define_value(t, g, KEY(globalThis), realm->global_this, JS_PROP_C_W) < 0 ||
        jsobj_define_value(t, g, KEY(Infinity), jsv_from_double(INFINITY), 0) < 0 ||
        jsobj_define_value(t, g, KEY(NaN), jsv_from_double(NAN), 0) < 0 ||
        jsobj_define_value(t, g, KEY(undefined), JSV_UNDEFINED, 0) < 0)
        return -1;
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (jsobj_define_fn(t, g, fns[i].name, fns[i].fn, fns[i].len, fns[i].magic) < 0)
            return -1;
    ev = jsfn_new_native(t, global_eval, KEY(eval), 1, 0);
    if (!ev)
        return -1;
    realm->intrinsics[JS_INTR_eval] = jsv_object(ev);
    if (jsobj_define_value(t, g, KEY(eval), jsv_object(ev), JS_PROP_C_W) < 0)
        return -1;
    if (jsv_is_object(realm->intrinsics[JS_INTR_parseFloat]) &&
        jsbi_define_value_cstr(t, g, "parseFloat", realm->intrinsics[JS_INTR_parseFloat], JS_PROP_C_W) < 0)
        return -1;
    if (jsv_is_object(realm->intrinsics[JS_INTR_parseInt]) &&
        jsbi_define_value_cstr(t, g, "parseInt", realm->intrinsics[JS_INTR_parseInt], JS_PROP_C_W) < 0)
        return -1;
    return 0;
}
