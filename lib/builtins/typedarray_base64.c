/*
 * typedarray_base64.c - Uint8Array.fromBase64/fromHex and
 * Uint8Array.prototype.toBase64/toHex/setFromBase64/setFromHex.
 * Decoding never runs user code, so the target's bounds checked before
 * decoding still hold when the bytes are stored.
 * Must not touch buffer internals beyond binary.h.
 */
#include <stdlib.h>
#include <string.h>
#include "binary.h"
#include "../core/string.h"

enum { LCH_LOOSE, LCH_STRICT, LCH_STOP };

typedef struct decode_result {
    uint8_t *bytes;        /* malloc-ed */
    size_t len;
    size_t read;
    int error;             /* SyntaxError to throw */
} decode_result;

static js_typed_array *this_u8(js_thread *t, jsv v)
{
    js_typed_array *ta = jsta_get(v);
    if (!ta || ta->kind != JSTA_UINT8) {
        jsvm_throw_type_error(t, "not a Uint8Array");
        return NULL;
    }
    return ta;
}

/* GetOptionsObject: *out is an object or undefined (all options absent). */
static int options_object(js_thread *t, jsv options, jsv *out)
{
    if (!jsv_is_undefined(options) && !jsv_is_object(options)) {
        jsvm_throw_type_error(t, "options must be an object");
        return -1;
    }
    *out = options;
    return 0;
}

static jsv get_option(js_thread *t, jsv opts, const char *name)
{
    if (jsv_is_undefined(opts))
        return JSV_UNDEFINED;
    js_key k = jskey_from_cstr(t, name);
    if (k == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    return jsobj_get(t, JSV_OBJ(opts), k, opts);
}

/* 1 for base64url, 0 for base64, -1 on exception */
static int get_alphabet(js_thread *t, jsv opts)
{
    jsv a = get_option(t, opts, "alphabet");
    if (a == JSV_EXCEPTION)
        return -1;
    if (jsv_is_undefined(a))
        return 0;
    if (jsv_is_string(a)) {
        if (jsstr_equal_cstr(JSV_STR(a), "base64"))
            return 0;
        if (jsstr_equal_cstr(JSV_STR(a), "base64url"))
            return 1;
    }
    jsvm_throw_type_error(t, "alphabet must be \"base64\" or \"base64url\"");
    return -1;
}

static int get_last_chunk_handling(js_thread *t, jsv opts)
{
    jsv a = get_option(t, opts, "lastChunkHandling");
    if (a == JSV_EXCEPTION)
        return -1;
    if (jsv_is_undefined(a))
        return LCH_LOOSE;
    if (jsv_is_string(a)) {
        if (jsstr_equal_cstr(JSV_STR(a), "loose"))
            return LCH_LOOSE;
        if (jsstr_equal_cstr(JSV_STR(a), "strict"))
            return LCH_STRICT;
        if (jsstr_equal_cstr(JSV_STR(a), "stop-before-partial"))
            return LCH_STOP;
    }
    jsvm_throw_type_error(t, "lastChunkHandling must be \"loose\", \"strict\" or \"stop-before-partial\"");
    return -1;
}

static int b64_value(uint32_t c)
{
    if (c >= 'A' && c <= 'Z') return (int)(c - 'A');
    if (c >= 'a' && c <= 'z') return (int)(c - 'a' + 26);
    if (c >= '0' && c <= '9') return (int)(c - '0' + 52);
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

static int is_ascii_ws(uint32_t c)
{
    return c == 0x09 || c == 0x0A || c == 0x0C || c == 0x0D || c == 0x20;
}

static size_t skip_ws(js_string *s, size_t i)
{
    while (i < s->len && is_ascii_ws(jsstr_at(s, (uint32_t)i)))
        i++;
    return i;
}

/* DecodeBase64Chunk; -1 when throw_on_extra_bits finds non-zero padding bits. */
static int decode_chunk(const int *chunk, int n, int throw_on_extra_bits, uint8_t *out, size_t *len)
{
    uint32_t v = 0;
    for (int i = 0; i < 4; i++)
        v = (v << 6) | (uint32_t)(i < n ? chunk[i] : 0);
    uint8_t b[3] = { (uint8_t)(v >> 16), (uint8_t)(v >> 8), (uint8_t)v };
    int nb = n == 2 ? 1 : n == 3 ? 2 : 3;
    if (throw_on_extra_bits && nb < 3 && b[nb] != 0)
        return -1;
    memcpy(out + *len, b, nb);
    *len += nb;
    return 0;
}

/* FromBase64 (the proposal's algorithm, step for step). r->bytes has room for max_len bytes. */
static void from_base64(js_string *s, int url, int lch, size_t max_len, decode_result *r)
{
    int chunk[4], clen = 0;
    size_t index = 0, length = s->len;
    r->read = 0;
    r->len = 0;
    r->error = 0;
    if (max_len == 0)
        return;
    for (;;) {
        index = skip_ws(s, index);
        if (index == length) {
            if (clen > 0) {
                if (lch == LCH_STOP)
                    return;
                if (lch == LCH_LOOSE) {
                    if (clen == 1) {
                        r->error = 1;
                        return;
                    }
                    decode_chunk(chunk, clen, 0, r->bytes, &r->len);
                } else {
                    r->error = 1;
                    return;
                }
            }
            r->read = length;
            return;
        }
        uint32_t c = jsstr_at(s, (uint32_t)index++);
        if (c == '=') {
            if (clen < 2) {
                r->error = 1;
                return;
            }
            index = skip_ws(s, index);
            if (clen == 2) {
                if (index == length) {
                    if (lch != LCH_STOP)
                        r->error = 1;
                    return;
                }
                if (jsstr_at(s, (uint32_t)index) == '=')
                    index = skip_ws(s, index + 1);
            }
            if (index < length) {
                r->error = 1;
                return;
            }
            if (decode_chunk(chunk, clen, lch == LCH_STRICT, r->bytes, &r->len) < 0) {
                r->error = 1;
                return;
            }
            r->read = length;
            return;
        }
        if (url) {
            if (c == '+' || c == '/') {
                r->error = 1;
                return;
            }
            if (c == '-') c = '+';
            else if (c == '_') c = '/';
        }
        int v = b64_value(c);
        if (v < 0) {
            r->error = 1;
            return;
        }
        size_t remaining = max_len - r->len;
        if ((remaining == 1 && clen == 2) || (remaining == 2 && clen == 3))
            return;
        chunk[clen++] = v;
        if (clen == 4) {
            decode_chunk(chunk, 4, 0, r->bytes, &r->len);
            clen = 0;
            r->read = index;
            if (r->len == max_len)
                return;
        }
    }
}

static int hex_value(uint32_t c)
{
    if (c >= '0' && c <= '9') return (int)(c - '0');
    if (c >= 'a' && c <= 'f') return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return (int)(c - 'A' + 10);
    return -1;
}

static void from_hex(js_string *s, size_t max_len, decode_result *r)
{
    size_t length = s->len;
    r->read = 0;
    r->len = 0;
    r->error = 0;
    if (length % 2) {
        r->error = 1;
        return;
    }
    while (r->read < length && r->len < max_len) {
        int hi = hex_value(jsstr_at(s, (uint32_t)r->read)), lo = hex_value(jsstr_at(s, (uint32_t)r->read + 1));
        if (hi < 0 || lo < 0) {
            r->error = 1;
            return;
        }
        r->read += 2;
        r->bytes[r->len++] = (uint8_t)(hi << 4 | lo);
    }
}

static js_string *string_arg(js_thread *t, jsv v)
{
    if (!jsv_is_string(v)) {
        jsvm_throw_type_error(t, "argument must be a string");
        return NULL;
    }
    return jsstr_flatten(t, JSV_STR(v));
}

static uint8_t *alloc_bytes(js_thread *t, size_t n)
{
    uint8_t *p = malloc(n ? n : 1);
    if (!p)
        jsvm_throw_out_of_memory(t);
    return p;
}

/* fromBase64 (magic 0) / fromHex (magic 1) */
static jsv u8_from(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = string_arg(t, JS_ARG(0));
    decode_result r;
    int url = 0, lch = LCH_LOOSE;
    jsv opts;
    if (!s)
        return JSV_EXCEPTION;
    if (!magic) {
        if (options_object(t, JS_ARG(1), &opts) < 0 || (url = get_alphabet(t, opts)) < 0 ||
            (lch = get_last_chunk_handling(t, opts)) < 0)
            return JSV_EXCEPTION;
    }
    size_t cap = magic ? s->len / 2 : (s->len / 4 + 1) * 3;
    if (!(r.bytes = alloc_bytes(t, cap)))
        return JSV_EXCEPTION;
    if (magic)
        from_hex(s, cap, &r);
    else
        from_base64(s, url, lch, (size_t)1 << 53, &r);
    if (r.error) {
        free(r.bytes);
        return jsvm_throw_syntax_error(t, magic ? "invalid hex string" : "invalid base64 string");
    }
    js_typed_array *ta = jsta_create(t, JSV_UNDEFINED, JSTA_UINT8, (int64_t)r.len);
    if (ta && r.len)
        memcpy(jsab_data(ta->buffer), r.bytes, r.len);
    free(r.bytes);
    return ta ? jsv_object(ta) : JSV_EXCEPTION;
}

/* setFromBase64 (magic 0) / setFromHex (magic 1) */
static jsv u8_set_from(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_typed_array *ta = this_u8(t, this_val);
    decode_result r;
    int url = 0, lch = LCH_LOOSE;
    int64_t len;
    jsv opts;
    if (!ta)
        return JSV_EXCEPTION;
    if (ta->buffer->immutable)
        return jsvm_throw_type_error(t, "Uint8Array is backed by an immutable ArrayBuffer");
    js_string *s = string_arg(t, JS_ARG(0));
    if (!s)
        return JSV_EXCEPTION;
    if (!magic) {
        if (options_object(t, JS_ARG(1), &opts) < 0 || (url = get_alphabet(t, opts)) < 0 ||
            (lch = get_last_chunk_handling(t, opts)) < 0)
            return JSV_EXCEPTION;
    }
    if (!jsta_validate(t, this_val, &len))
        return JSV_EXCEPTION;
    if (!(r.bytes = alloc_bytes(t, (size_t)len)))
        return JSV_EXCEPTION;
    if (magic)
        from_hex(s, (size_t)len, &r);
    else
        from_base64(s, url, lch, (size_t)len, &r);
    if (r.len)
        memcpy(jsab_data(ta->buffer) + ta->byte_offset, r.bytes, r.len);
    free(r.bytes);
    if (r.error)
        return jsvm_throw_syntax_error(t, magic ? "invalid hex string" : "invalid base64 string");
    js_object *o = jsobj_new_plain(t);
    js_key kr, kw;
    if (!o || (kr = jskey_from_cstr(t, "read")) == JSV_EXCEPTION || (kw = jskey_from_cstr(t, "written")) == JSV_EXCEPTION ||
        jsobj_create_data_property(t, o, kr, jsv_number((double)r.read), JS_THROW) < 0 ||
        jsobj_create_data_property(t, o, kw, jsv_number((double)r.len), JS_THROW) < 0)
        return JSV_EXCEPTION;
    return jsv_object(o);
}

static jsv u8_to_base64(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    static const char std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    static const char url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    js_typed_array *ta = this_u8(t, this_val);
    int64_t len;
    jsv opts, pad;
    int is_url;
    if (!ta || options_object(t, JS_ARG(0), &opts) < 0 || (is_url = get_alphabet(t, opts)) < 0 ||
        (pad = get_option(t, opts, "omitPadding")) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    int omit = jsop_to_boolean(pad);
    if (!jsta_validate(t, this_val, &len))
        return JSV_EXCEPTION;
    const char *alpha = is_url ? url : std;
    const uint8_t *p = jsab_data(ta->buffer) + ta->byte_offset;
    size_t n = (size_t)len, cap = (n + 2) / 3 * 4, o = 0;
    uint8_t *out = alloc_bytes(t, cap);
    if (!out)
        return JSV_EXCEPTION;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        out[o++] = alpha[v >> 18 & 63];
        out[o++] = alpha[v >> 12 & 63];
        if (i + 1 < n) out[o++] = alpha[v >> 6 & 63];
        else if (!omit) out[o++] = '=';
        if (i + 2 < n) out[o++] = alpha[v & 63];
        else if (!omit) out[o++] = '=';
    }
    js_string *s = jsstr_new_latin1(t, out, o);
    free(out);
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

static jsv u8_to_hex(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    static const char digits[] = "0123456789abcdef";
    int64_t len;
    if (!this_u8(t, this_val))
        return JSV_EXCEPTION;
    js_typed_array *ta = jsta_validate(t, this_val, &len);
    if (!ta)
        return JSV_EXCEPTION;
    const uint8_t *p = jsab_data(ta->buffer) + ta->byte_offset;
    uint8_t *out = alloc_bytes(t, (size_t)len * 2);
    if (!out)
        return JSV_EXCEPTION;
    for (int64_t i = 0; i < len; i++) {
        out[2 * i] = (uint8_t)digits[p[i] >> 4];
        out[2 * i + 1] = (uint8_t)digits[p[i] & 15];
    }
    js_string *s = jsstr_new_latin1(t, out, (size_t)len * 2);
    free(out);
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

int jsta_init_uint8(js_thread *t, js_realm *realm, js_object *ctor, js_object *proto)
{
    if (jsobj_define_fn(t, ctor, "fromBase64", u8_from, 1, 0) < 0 ||
        jsobj_define_fn(t, ctor, "fromHex", u8_from, 1, 1) < 0 ||
        jsobj_define_fn(t, proto, "toBase64", u8_to_base64, 0, 0) < 0 ||
        jsobj_define_fn(t, proto, "toHex", u8_to_hex, 0, 0) < 0 ||
        jsobj_define_fn(t, proto, "setFromBase64", u8_set_from, 1, 0) < 0 ||
        jsobj_define_fn(t, proto, "setFromHex", u8_set_from, 1, 1) < 0)
        return -1;
    return 0;
}
