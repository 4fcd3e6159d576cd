/*
 * lexer.c - ECMAScript tokens from WTF-8 source: white space, comments (incl.
 * Annex B HTML-like comments and the hashbang), names with escapes, numbers,
 * strings, templates, regular expression literals, punctuators; the per-tree
 * name table (interning) and error positions.
 * Touches only the jsparser state and its arena; never a runtime.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "lexer.h"
#include "../core/numconv.h"
#include "../unicode/unicode.h"

/* Initial intern table size (power of two): enough for a mid-size script
 * without a rehash. */
#define NAMES_INITIAL 256

/* ---- errors ---- */

void *jslex_alloc(jsparser *p, size_t n)
{
    void *r = jsast_alloc(p->arena, n);
    if (!r)
        jslex_oom(p);
    return r;
}

void jslex_oom(jsparser *p)
{
    p->err->kind = JSPARSE_ERR_OOM;
    snprintf(p->err->msg, sizeof p->err->msg, "out of memory");
    longjmp(p->jb, 1);
}

/* UTF-16 units from a to b (b >= a), counting a 4-byte sequence as two. */
static uint32_t units_between(const uint8_t *s, uint32_t a, uint32_t b)
{
    uint32_t n = 0;
    for (; a < b; a++) {
        uint8_t c = s[a];
        if (c < 0x80 || (c >= 0xC0 && c < 0xF0))
            n++;
        else if (c >= 0xF0)
            n += 2;
    }
    return n;
}

void jslex_pos_at(jsparser *p, uint32_t off, jspos *out)
{
    uint32_t i, line = p->first_line, ls = 0;
    if (off > p->len)
        off = p->len;
    for (i = 0; i < off; i++) {
        uint8_t c = p->src[i];
        if (c == '\n' || (c == '\r' && !(i + 1 < p->len && p->src[i + 1] == '\n'))) {
            line++;
            ls = i + 1;
        } else if (c == 0xE2 && i + 2 < p->len && p->src[i + 1] == 0x80 &&
                   (p->src[i + 2] == 0xA8 || p->src[i + 2] == 0xA9)) {
            line++;
            ls = i + 3;
            i += 2;
        }
    }
    out->off = off;
    out->line = line;
    out->col = units_between(p->src, ls, off) + 1;
}

static void verror(jsparser *p, uint32_t off, const char *fmt, va_list ap)
    __attribute__((noreturn, format(printf, 3, 0)));
static void verror(jsparser *p, uint32_t off, const char *fmt, va_list ap)
{
    jspos pos;
    jslex_pos_at(p, off, &pos);
    p->err->kind = JSPARSE_ERR_SYNTAX;
    p->err->line = pos.line;
    p->err->col = pos.col;
    p->err->offset = p->utf16_input ? units_between(p->src, 0, off) : off;
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    longjmp(p->jb, 1);
}

void jslex_error(jsparser *p, const jspos *at, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(p, at ? at->off : p->tok.pos.off, fmt, ap);
    va_end(ap);
}

void jslex_error_at(jsparser *p, uint32_t off, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    verror(p, off, fmt, ap);
    va_end(ap);
}

/* ---- interning ---- */

static void names_grow(jsparser *p)
{
    uint32_t nsize = (p->names_mask + 1) * 2, i;
    jsast_str **t = calloc(nsize, sizeof *t);
    if (!t)
        jslex_oom(p);
    for (i = 0; i <= p->names_mask; i++) {
        jsast_str *s = p->names[i], *n;
        for (; s; s = n) {
            n = s->next;
            s->next = t[s->hash & (nsize - 1)];
            t[s->hash & (nsize - 1)] = s;
        }
    }
    free(p->names);
    p->names = t;
    p->names_mask = nsize - 1;
}

static jsast_str *new_name(jsparser *p, uint32_t len, uint32_t h)
{
    jsast_str *s;
    if (p->names_count >= p->names_mask)
        names_grow(p);
    s = jslex_alloc(p, sizeof(jsast_str) + (len + 1) * sizeof(uint16_t));
    s->len = len;
    s->hash = h;
    s->next = p->names[h & p->names_mask];
    p->names[h & p->names_mask] = s;
    p->names_count++;
    return s;
}

jsast_str *jslex_intern16(jsparser *p, const uint16_t *c, uint32_t len)
{
    uint32_t h = 2166136261u, i, latin1 = 1;
    jsast_str *s;
    for (i = 0; i < len; i++) {
        h = (h ^ c[i]) * 16777619u;
        if (c[i] > 0xFF)
            latin1 = 0;
    }
    for (s = p->names[h & p->names_mask]; s; s = s->next)
        if (s->hash == h && s->len == len && (!len || !memcmp(s->chars, c, len * 2)))
            return s;
    s = new_name(p, len, h);
    if (len)
        memcpy(s->chars, c, len * 2);
    s->latin1 = (uint8_t)latin1;
    return s;
}

jsast_str *jslex_intern8(jsparser *p, const uint8_t *c, uint32_t len)
{
    uint32_t h = 2166136261u, i;
    jsast_str *s;
    for (i = 0; i < len; i++)
        h = (h ^ c[i]) * 16777619u;
    for (s = p->names[h & p->names_mask]; s; s = s->next) {
        if (s->hash == h && s->len == len) {
            for (i = 0; i < len && s->chars[i] == c[i]; i++)
                ;
            if (i == len)
                return s;
        }
    }
    s = new_name(p, len, h);
    for (i = 0; i < len; i++)
        s->chars[i] = c[i];
    s->latin1 = 1;
    return s;
}

static jsast_str *intern_cstr(jsparser *p, const char *s)
{
    return jslex_intern8(p, (const uint8_t *)s, (uint32_t)strlen(s));
}

static const char *const keywords[] = {
    NULL, "break", "case", "catch", "class", "const", "continue", "debugger",
    "default", "delete", "do", "else", "enum", "export", "extends", "false",
    "finally", "for", "function", "if", "import", "in", "instanceof", "new",
    "null", "return", "super", "switch", "this", "throw", "true", "try",
    "typeof", "var", "void", "while", "with"
};

static const char *const predefined[N_COUNT] = {
    "async", "await", "yield", "let", "static", "of", "get", "set", "as", "from",
    "target", "meta", "arguments", "eval", "constructor", "prototype", "__proto__",
    "use strict", "using", "*default*", "implements", "interface", "package",
    "private", "protected", "public", "undefined", "source", "defer", "accessor"
};

void jslex_init(jsparser *p)
{
    int i;
    p->names = calloc(NAMES_INITIAL, sizeof *p->names);
    if (!p->names)
        jslex_oom(p);
    p->names_mask = NAMES_INITIAL - 1;
    for (i = 1; i <= T_LAST_KEYWORD; i++)
        intern_cstr(p, keywords[i])->reserved_word = (uint8_t)i;
    for (i = 0; i < N_COUNT; i++)
        p->n[i] = intern_cstr(p, predefined[i]);
    p->n[N_IMPLEMENTS]->reserved_word = RW_STRICT;
    p->n[N_INTERFACE]->reserved_word = RW_STRICT;
    p->n[N_PACKAGE]->reserved_word = RW_STRICT;
    p->n[N_PRIVATE]->reserved_word = RW_STRICT;
    p->n[N_PROTECTED]->reserved_word = RW_STRICT;
    p->n[N_PUBLIC]->reserved_word = RW_STRICT;
    p->n[N_LET]->reserved_word = RW_STRICT;
    p->n[N_STATIC]->reserved_word = RW_STRICT;
    p->n[N_YIELD]->reserved_word = RW_STRICT;
}

/* ---- scratch buffers ---- */

static void buf_grow(jsparser *p, uint32_t need)
{
    uint32_t ncap = p->buf_cap ? p->buf_cap * 2 : 256;
    uint16_t *nb;
    while (ncap < need)
        ncap *= 2;
    nb = realloc(p->buf, ncap * sizeof *nb);
    if (!nb)
        jslex_oom(p);
    p->buf = nb;
    p->buf_cap = ncap;
}

static inline void buf_put(jsparser *p, uint32_t c)
{
    if (p->buf_len + 2 > p->buf_cap)
        buf_grow(p, p->buf_len + 2);
    if (c >= 0x10000) {
        c -= 0x10000;
        p->buf[p->buf_len++] = (uint16_t)(0xD800 + (c >> 10));
        p->buf[p->buf_len++] = (uint16_t)(0xDC00 + (c & 0x3FF));
    } else
        p->buf[p->buf_len++] = (uint16_t)c;
}

static char *cbuf_need(jsparser *p, uint32_t n)
{
    if (n > p->cbuf_cap) {
        uint32_t ncap = p->cbuf_cap ? p->cbuf_cap : 64;
        char *nb;
        while (ncap < n)
            ncap *= 2;
        nb = realloc(p->cbuf, ncap);
        if (!nb)
            jslex_oom(p);
        p->cbuf = nb;
        p->cbuf_cap = ncap;
    }
    return p->cbuf;
}

/* ---- characters ---- */

/* Decodes one WTF-8 sequence at i; returns the code point and sets *n to its
 * length. Invalid input is a SyntaxError. */
static uint32_t decode(jsparser *p, uint32_t i, uint32_t *n)
{
    const uint8_t *s = p->src;
    uint32_t c = s[i], left = p->len - i;
    if (c < 0x80) {
        *n = 1;
        return c;
    }
    if (c >= 0xC2 && c < 0xE0 && left >= 2 && (s[i + 1] & 0xC0) == 0x80) {
        *n = 2;
        return ((c & 0x1F) << 6) | (s[i + 1] & 0x3F);
    }
    if (c >= 0xE0 && c < 0xF0 && left >= 3 && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80) {
        uint32_t r = ((c & 0x0F) << 12) | ((s[i + 1] & 0x3F) << 6) | (s[i + 2] & 0x3F);
        if (r >= 0x800) {
            *n = 3;
            return r;
        }
    }
    if (c >= 0xF0 && c < 0xF5 && left >= 4 && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80 && (s[i + 3] & 0xC0) == 0x80) {
        uint32_t r = ((c & 0x07) << 18) | ((s[i + 1] & 0x3F) << 12) |
                     ((s[i + 2] & 0x3F) << 6) | (s[i + 3] & 0x3F);
        if (r >= 0x10000 && r <= 0x10FFFF) {
            *n = 4;
            return r;
        }
    }
    jslex_error_at(p, i, "Invalid UTF-8 sequence in source");
}

static inline int is_ascii_id_start(uint32_t c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '$' || c == '_';
}

static inline int is_ascii_id_part(uint32_t c)
{
    return is_ascii_id_start(c) || (c >= '0' && c <= '9');
}

static int is_id_start(uint32_t c)
{
    if (c < 0x80)
        return is_ascii_id_start(c);
    return jsuni_is_id_start(c);
}

static int is_id_part(uint32_t c)
{
    if (c < 0x80)
        return is_ascii_id_part(c);
    return c == 0x200C || c == 0x200D || jsuni_is_id_continue(c);
}

static inline int hexval(uint32_t c)
{
    if (c >= '0' && c <= '9')
        return (int)(c - '0');
    if (c >= 'a' && c <= 'f')
        return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F')
        return (int)(c - 'A' + 10);
    return -1;
}

static inline void newline(jsparser *p, uint32_t next_start)
{
    p->line++;
    p->line_start = next_start;
}

/* Reads \uXXXX or \u{X...} starting at the 'u' (pos points at it).
 * Returns the code point or -1 (pos unchanged then). */
static int32_t read_unicode_escape(jsparser *p, uint32_t *pos)
{
    const uint8_t *s = p->src;
    uint32_t i = *pos, v = 0;
    if (i >= p->len || s[i] != 'u')
        return -1;
    i++;
    if (i < p->len && s[i] == '{') {
        int digits = 0;
        i++;
        while (i < p->len && hexval(s[i]) >= 0) {
            v = v * 16 + (uint32_t)hexval(s[i]);
            if (v > 0x10FFFF)
                return -1;
            i++;
            digits++;
        }
        if (!digits || i >= p->len || s[i] != '}')
            return -1;
        i++;
    } else {
        int k;
        for (k = 0; k < 4; k++) {
            if (i >= p->len || hexval(s[i]) < 0)
                return -1;
            v = v * 16 + (uint32_t)hexval(s[i]);
            i++;
        }
    }
    *pos = i;
    return (int32_t)v;
}

/* ---- white space and comments ---- */

/* Skips to the end of a single-line comment (not consuming the terminator). */
static void skip_line_comment(jsparser *p)
{
    const uint8_t *s = p->src;
    uint32_t i = p->pos;
    while (i < p->len) {
        uint8_t c = s[i];
        if (c == '\n' || c == '\r')
            break;
        if (c == 0xE2 && i + 2 < p->len && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9))
            break;
        i++;
    }
    p->pos = i;
}

/* Returns 1 if a line terminator was skipped. */
static int skip_block_comment(jsparser *p)
{
    const uint8_t *s = p->src;
    uint32_t i = p->pos + 2;
    int nl = 0;
    for (;;) {
        if (i >= p->len)
            jslex_error_at(p, p->pos, "Unterminated comment");
        if (s[i] == '*' && i + 1 < p->len && s[i + 1] == '/') {
            i += 2;
            break;
        }
        if (s[i] == '\n') {
            nl = 1;
            newline(p, i + 1);
        } else if (s[i] == '\r') {
            nl = 1;
            if (i + 1 < p->len && s[i + 1] == '\n')
                i++;
            newline(p, i + 1);
        } else if (s[i] == 0xE2 && i + 2 < p->len && s[i + 1] == 0x80 &&
                   (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)) {
            nl = 1;
            i += 2;
            newline(p, i + 1);
        } else if (s[i] >= 0x80) {
            uint32_t n;
            decode(p, i, &n);
            i += n;
            continue;
        }
        i++;
    }
    p->pos = i;
    return nl;
}

/* Skips white space and comments; returns 1 if a line terminator was seen. */
static int skip_space(jsparser *p)
{
    const uint8_t *s = p->src;
    int nl = 0;
    if (p->pos == 0 && p->len >= 2 && s[0] == '#' && s[1] == '!')
        skip_line_comment(p);
    while (p->pos < p->len) {
        uint8_t c = s[p->pos];
        switch (c) {
        case ' ': case '\t': case '\v': case '\f':
            p->pos++;
            continue;
        case '\n':
            p->pos++;
            newline(p, p->pos);
            nl = 1;
            continue;
        case '\r':
            p->pos++;
            if (p->pos < p->len && s[p->pos] == '\n')
                p->pos++;
            newline(p, p->pos);
            nl = 1;
            continue;
        case '/':
            if (p->pos + 1 < p->len && s[p->pos + 1] == '/') {
                skip_line_comment(p);
                continue;
            }
            if (p->pos + 1 < p->len && s[p->pos + 1] == '*') {
                if (skip_block_comment(p))
                    nl = 1;
                continue;
            }
            return nl;
        case '<':
            /* Annex B: <!-- starts a single-line comment in scripts */
            if (!p->module && p->pos + 3 < p->len && s[p->pos + 1] == '!' &&
                s[p->pos + 2] == '-' && s[p->pos + 3] == '-') {
                skip_line_comment(p);
                continue;
            }
            return nl;
        case '-':
            /* Annex B: --> at the start of a line is a single-line comment */
            if (!p->module && (nl || p->prev_end == 0) && p->pos + 2 < p->len &&
                s[p->pos + 1] == '-' && s[p->pos + 2] == '>') {
                skip_line_comment(p);
                continue;
            }
            return nl;
        default:
            if (c >= 0x80) {
                uint32_t n, cp = decode(p, p->pos, &n);
                if (cp == 0x2028 || cp == 0x2029) {
                    p->pos += n;
                    newline(p, p->pos);
                    nl = 1;
                    continue;
                }
                if (cp == 0xA0 || cp == 0xFEFF || jsuni_is_space(cp)) {
                    p->pos += n;
                    continue;
                }
            }
            return nl;
        }
    }
    return nl;
}

/* ---- names ---- */

static void lex_name(jsparser *p, uint32_t start, int private_name)
{
    const uint8_t *s = p->src;
    uint32_t i = p->pos;
    jstoken *t = &p->tok;
    while (i < p->len && is_ascii_id_part(s[i]))
        i++;
    if (i >= p->len || (s[i] != '\\' && s[i] < 0x80)) {
        uint32_t b = private_name ? start + 1 : start;
        if (i == b)
            jslex_error_at(p, start, "Invalid or unexpected token");
        t->str = jslex_intern8(p, s + b, i - b);
        p->pos = i;
        t->escaped = 0;
    } else {
        uint32_t j, first = private_name ? start + 1 : start;
        p->buf_len = 0;
        for (j = first; j < i; j++)
            buf_put(p, s[j]);
        t->escaped = 0;
        for (;;) {
            uint32_t c, n;
            if (i >= p->len)
                break;
            if (s[i] == '\\') {
                uint32_t q = i + 1;
                int32_t e = read_unicode_escape(p, &q);
                if (e < 0)
                    jslex_error_at(p, i, "Invalid Unicode escape sequence");
                c = (uint32_t)e;
                if (i == first ? !is_id_start(c) : !is_id_part(c))
                    jslex_error_at(p, i, "Invalid Unicode escape sequence in identifier");
                t->escaped = 1;
                buf_put(p, c);
                i = q;
                continue;
            }
            c = decode(p, i, &n);
            if (i == first ? !is_id_start(c) : !is_id_part(c))
                break;
            buf_put(p, c);
            i += n;
        }
        if (p->buf_len == 0)
            jslex_error_at(p, start, "Invalid or unexpected token");
        t->str = jslex_intern16(p, p->buf, p->buf_len);
        p->pos = i;
    }
    if (private_name) {
        t->type = T_PRIVATE;
    } else if (t->str->reserved_word && t->str->reserved_word != RW_STRICT && !t->escaped) {
        t->type = t->str->reserved_word;
    } else {
        t->type = T_IDENT;
    }
}

/* ---- numbers ---- */

static inline int digit_in(uint32_t c, int radix)
{
    int v = hexval(c);
    return v >= 0 && v < radix;
}

/* Scans digits of `radix` with numeric separators from i, appending them to
 * cbuf at *n. Returns the new position. */
static uint32_t scan_digits(jsparser *p, uint32_t i, int radix, uint32_t *n, int allow_sep)
{
    const uint8_t *s = p->src;
    int last_digit = 0;
    for (;;) {
        if (i < p->len && digit_in(s[i], radix)) {
            { char *cb = cbuf_need(p, *n + 2); cb[(*n)++] = (char)s[i]; }
            i++;
            last_digit = 1;
        } else if (i < p->len && s[i] == '_' && allow_sep) {
            if (!last_digit || i + 1 >= p->len || !digit_in(s[i + 1], radix))
                jslex_error_at(p, i, "Numeric separators are not allowed here");
            i++;
            last_digit = 0;
        } else
            break;
    }
    return i;
}

static void lex_number(jsparser *p, uint32_t start)
{
    const uint8_t *s = p->src;
    jstoken *t = &p->tok;
    uint32_t i = start, n = 0;
    int is_big = 0;
    t->octal = 0;
    if (s[i] == '0' && i + 1 < p->len &&
        (s[i + 1] == 'x' || s[i + 1] == 'X' || s[i + 1] == 'o' || s[i + 1] == 'O' ||
         s[i + 1] == 'b' || s[i + 1] == 'B')) {
        int radix = (s[i + 1] | 0x20) == 'x' ? 16 : (s[i + 1] | 0x20) == 'o' ? 8 : 2;
        char *c;
        i += 2;
        i = scan_digits(p, i, radix, &n, 1);
        if (n == 0)
            jslex_error_at(p, start, "Invalid or unexpected token");
        if (i < p->len && s[i] == 'n') {
            i++;
            c = jslex_alloc(p, n + 3);
            c[0] = '0';
            c[1] = (char)(radix == 16 ? 'x' : radix == 8 ? 'o' : 'b');
            memcpy(c + 2, p->cbuf, n);
            t->big = c;
            t->big_len = n + 2;
            is_big = 1;
        } else
            t->num = jsnum_parse_radix(p->cbuf, n, radix);
    } else if (s[i] == '0' && i + 1 < p->len && s[i + 1] >= '0' && s[i + 1] <= '9') {
        /* legacy octal 017 or NonOctalDecimalIntegerLiteral 019 */
        int octal = 1;
        uint32_t j;
        t->octal = 1;
        while (i < p->len && s[i] >= '0' && s[i] <= '9') {
            if (s[i] >= '8')
                octal = 0;
            { char *cb = cbuf_need(p, n + 2); cb[n++] = (char)s[i]; }
            i++;
        }
        if (i < p->len && s[i] == '_')
            jslex_error_at(p, i, "Numeric separators are not allowed here");
        if (octal) {
            double v = 0;
            for (j = 0; j < n; j++)
                v = v * 8 + (p->cbuf[j] - '0');
            t->num = v;
        } else {
            /* decimal with optional fraction/exponent */
            goto fraction;
        }
    } else {
        if (s[i] != '.') {
            if (s[i] == '0' && i + 1 < p->len && s[i + 1] == '_')
                jslex_error_at(p, i + 1, "Numeric separators are not allowed here");
            i = scan_digits(p, i, 10, &n, 1);
            if (i < p->len && s[i] == 'n') {
                char *c = jslex_alloc(p, n + 1);
                memcpy(c, p->cbuf, n);
                t->big = c;
                t->big_len = n;
                is_big = 1;
                i++;
                goto done;
            }
        }
    fraction:
        if (i < p->len && s[i] == '.') {
            { char *cb = cbuf_need(p, n + 2); cb[n++] = '.'; }
            i++;
            if (i < p->len && s[i] == '_')
                jslex_error_at(p, i, "Numeric separators are not allowed here");
            i = scan_digits(p, i, 10, &n, 1);
        }
        if (i < p->len && (s[i] == 'e' || s[i] == 'E')) {
            uint32_t before;
            { char *cb = cbuf_need(p, n + 3); cb[n++] = 'e'; }
            i++;
            if (i < p->len && (s[i] == '+' || s[i] == '-'))
                p->cbuf[n++] = (char)s[i++];
            before = n;
            if (i < p->len && s[i] == '_')
                jslex_error_at(p, i, "Numeric separators are not allowed here");
            i = scan_digits(p, i, 10, &n, 1);
            if (n == before)
                jslex_error_at(p, start, "Invalid or unexpected token");
        }
        {
            const char *end;
            cbuf_need(p, n + 1)[n] = 0;
            t->num = jsnum_strtod(p->cbuf, n, &end);
        }
    }
done:
    if (i < p->len) {
        uint32_t c = s[i], len;
        if (c >= 0x80)
            c = decode(p, i, &len);
        if ((c >= '0' && c <= '9') || c == '\\' || is_id_start(c))
            jslex_error_at(p, i, "Invalid or unexpected token after numeric literal");
    }
    t->type = is_big ? T_BIGINT : T_NUMBER;
    p->pos = i;
}

/* ---- strings and templates ---- */

/* Handles the escape after a backslash at s[i] (i is the char after '\\').
 * Returns the new position. In templates, an invalid escape sets *bad. */
static uint32_t lex_escape(jsparser *p, uint32_t i, int in_template, int *bad, uint32_t *bad_pos)
{
    const uint8_t *s = p->src;
    jstoken *t = &p->tok;
    uint32_t c, n;
    if (i >= p->len)
        jslex_error_at(p, i, "Unterminated string literal");
    c = s[i];
    switch (c) {
    case 'n': buf_put(p, '\n'); return i + 1;
    case 't': buf_put(p, '\t'); return i + 1;
    case 'r': buf_put(p, '\r'); return i + 1;
    case 'b': buf_put(p, '\b'); return i + 1;
    case 'f': buf_put(p, '\f'); return i + 1;
    case 'v': buf_put(p, '\v'); return i + 1;
    case '\r':
        if (i + 1 < p->len && s[i + 1] == '\n')
            i++;
        newline(p, i + 1);
        return i + 1;
    case '\n':
        newline(p, i + 1);
        return i + 1;
    case 'x': {
        int a = i + 1 < p->len ? hexval(s[i + 1]) : -1;
        int b = i + 2 < p->len ? hexval(s[i + 2]) : -1;
        if (a < 0 || b < 0) {
            if (in_template) {
                if (!*bad) { *bad = 1; *bad_pos = i - 1; }
                return i + 1;
            }
            jslex_error_at(p, i - 1, "Invalid hexadecimal escape sequence");
        }
        buf_put(p, (uint32_t)(a * 16 + b));
        return i + 3;
    }
    case 'u': {
        uint32_t q = i;
        int32_t e = read_unicode_escape(p, &q);
        if (e < 0) {
            if (in_template) {
                if (!*bad) { *bad = 1; *bad_pos = i - 1; }
                return i + 1;
            }
            jslex_error_at(p, i - 1, "Invalid Unicode escape sequence");
        }
        buf_put(p, (uint32_t)e);
        return q;
    }
    case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        uint32_t v = c - '0', j = i + 1;
        if (c == '0' && !(j < p->len && s[j] >= '0' && s[j] <= '9')) {
            buf_put(p, 0);
            return j;
        }
        if (in_template) {
            if (!*bad) { *bad = 1; *bad_pos = i - 1; }
            return i + 1;
        }
        if (!t->octal) {
            t->octal = 1;
            t->octal_pos = i - 1;
        }
        if (j < p->len && s[j] >= '0' && s[j] <= '7') {
            v = v * 8 + (s[j] - '0');
            j++;
            if (c <= '3' && j < p->len && s[j] >= '0' && s[j] <= '7') {
                v = v * 8 + (s[j] - '0');
                j++;
            }
        }
        buf_put(p, v);
        return j;
    }
    case '8': case '9':
        if (in_template) {
            if (!*bad) { *bad = 1; *bad_pos = i - 1; }
            return i + 1;
        }
        if (!t->octal) {
            t->octal = 1;
            t->octal_pos = i - 1;
        }
        buf_put(p, c);
        return i + 1;
    default:
        if (c >= 0x80) {
            c = decode(p, i, &n);
            if (c == 0x2028 || c == 0x2029) {
                newline(p, i + n);
                return i + n;   /* line continuation */
            }
            buf_put(p, c);
            return i + n;
        }
        buf_put(p, c);
        return i + 1;
    }
}

static void lex_string(jsparser *p, uint32_t start)
{
    const uint8_t *s = p->src;
    jstoken *t = &p->tok;
    uint8_t q = s[start];
    uint32_t i = start + 1;
    t->octal = 0;
    /* fast path: plain ASCII without escapes */
    while (i < p->len && s[i] != q && s[i] != '\\' && s[i] != '\n' && s[i] != '\r' && s[i] < 0x80)
        i++;
    if (i < p->len && s[i] == q) {
        t->str = jslex_intern8(p, s + start + 1, i - start - 1);
        p->pos = i + 1;
        t->type = T_STRING;
        return;
    }
    p->buf_len = 0;
    {
        uint32_t j;
        for (j = start + 1; j < i; j++)
            buf_put(p, s[j]);
    }
    for (;;) {
        uint32_t c, n;
        if (i >= p->len)
            jslex_error_at(p, start, "Unterminated string literal");
        c = s[i];
        if (c == q) {
            i++;
            break;
        }
        if (c == '\\') {
            i = lex_escape(p, i + 1, 0, NULL, NULL);
            continue;
        }
        if (c == '\n' || c == '\r')
            jslex_error_at(p, start, "Unterminated string literal");
        if (c >= 0x80) {
            c = decode(p, i, &n);
            if (c == 0x2028 || c == 0x2029)
                newline(p, i + n);
            buf_put(p, c);
            i += n;
            continue;
        }
        buf_put(p, c);
        i++;
    }
    t->str = jslex_intern16(p, p->buf, p->buf_len);
    t->type = T_STRING;
    p->pos = i;
}

/* Template characters from i (just after '`' or '}') up to '`' or "${". */
static void lex_template(jsparser *p, uint32_t i)
{
    const uint8_t *s = p->src;
    jstoken *t = &p->tok;
    int bad = 0;
    uint32_t bad_pos = 0, raw_start = i, rawn = 0, k;
    uint16_t *raw;
    p->buf_len = 0;
    t->octal = 0;
    for (;;) {
        uint32_t c, n;
        if (i >= p->len)
            jslex_error_at(p, t->pos.off, "Unterminated template literal");
        c = s[i];
        if (c == '`') {
            t->tmpl_tail = 1;
            break;
        }
        if (c == '$' && i + 1 < p->len && s[i + 1] == '{') {
            t->tmpl_tail = 0;
            break;
        }
        if (c == '\\') {
            i = lex_escape(p, i + 1, 1, &bad, &bad_pos);
            continue;
        }
        if (c == '\r') {
            /* CR and CRLF are normalized to LF in both cooked and raw */
            if (i + 1 < p->len && s[i + 1] == '\n')
                i++;
            newline(p, i + 1);
            buf_put(p, '\n');
            i++;
            continue;
        }
        if (c == '\n') {
            newline(p, i + 1);
            buf_put(p, '\n');
            i++;
            continue;
        }
        if (c >= 0x80) {
            c = decode(p, i, &n);
            if (c == 0x2028 || c == 0x2029)
                newline(p, i + n);
            buf_put(p, c);
            i += n;
            continue;
        }
        buf_put(p, c);
        i++;
    }
    t->str = bad ? NULL : jslex_intern16(p, p->buf, p->buf_len);
    if (bad)
        jslex_pos_at(p, bad_pos, &t->bad_escape);
    /* raw: the source text with CR/CRLF -> LF */
    raw = jslex_alloc(p, (i - raw_start + 1) * sizeof(uint16_t) * 2);
    for (k = raw_start; k < i;) {
        uint32_t c = s[k], n;
        if (c == '\r') {
            raw[rawn++] = '\n';
            k += (k + 1 < i && s[k + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (c >= 0x80) {
            c = decode(p, k, &n);
            k += n;
            if (c >= 0x10000) {
                c -= 0x10000;
                raw[rawn++] = (uint16_t)(0xD800 + (c >> 10));
                raw[rawn++] = (uint16_t)(0xDC00 + (c & 0x3FF));
            } else
                raw[rawn++] = (uint16_t)c;
            continue;
        }
        raw[rawn++] = (uint16_t)c;
        k++;
    }
    t->raw = jslex_intern16(p, raw, rawn);
    t->type = T_TEMPLATE;
    p->pos = i + (t->tmpl_tail ? 1 : 2);
}

void jslex_rescan_template(jsparser *p)
{
    /* current token is '}' at tok.pos.off */
    p->pos = p->tok.pos.off + 1;
    lex_template(p, p->pos);
    p->tok.end = p->pos;
}

void jslex_rescan_regexp(jsparser *p)
{
    const uint8_t *s = p->src;
    jstoken *t = &p->tok;
    uint32_t i = t->pos.off + 1, k, fl_start;
    int in_class = 0;
    char *flags;
    unsigned seen = 0;
    for (;;) {
        uint32_t c;
        if (i >= p->len)
            jslex_error_at(p, t->pos.off, "Invalid regular expression: missing /");
        c = s[i];
        if (c == '\n' || c == '\r' ||
            (c == 0xE2 && i + 2 < p->len && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)))
            jslex_error_at(p, t->pos.off, "Invalid regular expression: missing /");
        if (c == '\\') {
            i++;
            if (i >= p->len || s[i] == '\n' || s[i] == '\r' ||
                (s[i] == 0xE2 && i + 2 < p->len && s[i + 1] == 0x80 && (s[i + 2] == 0xA8 || s[i + 2] == 0xA9)))
                jslex_error_at(p, t->pos.off, "Invalid regular expression: missing /");
            if (s[i] >= 0x80) {
                uint32_t n;
                decode(p, i, &n);
                i += n;
            } else
                i++;
            continue;
        }
        if (c == '[')
            in_class = 1;
        else if (c == ']')
            in_class = 0;
        else if (c == '/' && !in_class)
            break;
        if (c >= 0x80) {
            uint32_t n;
            decode(p, i, &n);
            i += n;
        } else
            i++;
    }
    /* pattern text */
    p->buf_len = 0;
    for (k = t->pos.off + 1; k < i;) {
        uint32_t n, c = decode(p, k, &n);
        buf_put(p, c);
        k += n;
    }
    t->str = jslex_intern16(p, p->buf, p->buf_len);
    i++;
    fl_start = i;
    while (i < p->len) {
        uint32_t n, c = s[i];
        if (c == '\\')
            jslex_error_at(p, i, "Invalid regular expression flags");
        if (c >= 0x80)
            c = decode(p, i, &n);
        else
            n = 1;
        if (!is_id_part(c))
            break;
        i += n;
    }
    flags = jslex_alloc(p, i - fl_start + 1);
    for (k = fl_start; k < i; k++) {
        const char *all = "dgimsuyv";
        const char *f = memchr(all, s[k], 8);
        unsigned bit;
        if (!f || !s[k])
            jslex_error_at(p, t->pos.off, "Invalid regular expression flags");
        bit = 1u << (f - all);
        if (seen & bit)
            jslex_error_at(p, t->pos.off, "Invalid regular expression flags");
        seen |= bit;
        flags[k - fl_start] = (char)s[k];
    }
    if ((seen & (1u << 5)) && (seen & (1u << 7)))
        jslex_error_at(p, t->pos.off, "Invalid regular expression flags");
    t->re_flags = flags;
    t->type = T_REGEXP;
    p->pos = i;
    t->end = i;
}

/* ---- the main scanner ---- */

static void set_pos(jsparser *p, uint32_t off)
{
    jstoken *t = &p->tok;
    t->pos.off = off;
    t->pos.line = p->line;
    if (p->col_off < p->line_start || p->col_off > off) {
        p->col_off = p->line_start;
        p->col_col = 1;
    }
    p->col_col += units_between(p->src, p->col_off, off);
    p->col_off = off;
    t->pos.col = p->col_col;
}

void jslex_next(jsparser *p)
{
    const uint8_t *s = p->src;
    jstoken *t = &p->tok;
    uint32_t start;
    uint8_t c;
    p->prev_end = t->end;
    p->prev_line = p->line;
    t->nl_before = (uint8_t)skip_space(p);
    start = p->pos;
    set_pos(p, start);
    t->escaped = 0;
    t->octal = 0;
    if (start >= p->len) {
        t->type = T_EOF;
        t->end = start;
        return;
    }
    c = s[start];
    p->pos = start + 1;
#define NEXT_IS(ch) (p->pos < p->len && s[p->pos] == (ch))
#define TOK(ty) do { t->type = (ty); goto out; } while (0)
#define TOK2(ty) do { p->pos++; t->type = (ty); goto out; } while (0)
    switch (c) {
    case '{': TOK(T_LBRACE);
    case '}': TOK(T_RBRACE);
    case '(': TOK(T_LPAREN);
    case ')': TOK(T_RPAREN);
    case '[': TOK(T_LBRACKET);
    case ']': TOK(T_RBRACKET);
    case ';': TOK(T_SEMI);
    case ',': TOK(T_COMMA);
    case ':': TOK(T_COLON);
    case '~': TOK(T_TILDE);
    case '@': TOK(T_AT);
    case '.':
        if (p->pos < p->len && s[p->pos] >= '0' && s[p->pos] <= '9') {
            lex_number(p, start);
            goto out;
        }
        if (NEXT_IS('.') && p->pos + 1 < p->len && s[p->pos + 1] == '.') {
            p->pos += 2;
            TOK(T_ELLIPSIS);
        }
        TOK(T_DOT);
    case '?':
        if (NEXT_IS('?')) {
            p->pos++;
            if (NEXT_IS('='))
                TOK2(T_NULLISH_ASSIGN);
            TOK(T_NULLISH);
        }
        if (NEXT_IS('.') && !(p->pos + 1 < p->len && s[p->pos + 1] >= '0' && s[p->pos + 1] <= '9'))
            TOK2(T_OPTCHAIN);
        TOK(T_QUESTION);
    case '<':
        if (NEXT_IS('<')) {
            p->pos++;
            if (NEXT_IS('='))
                TOK2(T_SHL_ASSIGN);
            TOK(T_SHL);
        }
        if (NEXT_IS('='))
            TOK2(T_LE);
        TOK(T_LT);
    case '>':
        if (NEXT_IS('>')) {
            p->pos++;
            if (NEXT_IS('>')) {
                p->pos++;
                if (NEXT_IS('='))
                    TOK2(T_SHR_ASSIGN);
                TOK(T_SHR);
            }
            if (NEXT_IS('='))
                TOK2(T_SAR_ASSIGN);
            TOK(T_SAR);
        }
        if (NEXT_IS('='))
            TOK2(T_GE);
        TOK(T_GT);
    case '=':
        if (NEXT_IS('=')) {
            p->pos++;
            if (NEXT_IS('='))
                TOK2(T_SEQ);
            TOK(T_EQ);
        }
        if (NEXT_IS('>'))
            TOK2(T_ARROW);
        TOK(T_ASSIGN);
    case '!':
        if (NEXT_IS('=')) {
            p->pos++;
            if (NEXT_IS('='))
                TOK2(T_SNE);
            TOK(T_NE);
        }
        TOK(T_BANG);
    case '+':
        if (NEXT_IS('+'))
            TOK2(T_INC);
        if (NEXT_IS('='))
            TOK2(T_PLUS_ASSIGN);
        TOK(T_PLUS);
    case '-':
        if (NEXT_IS('-'))
            TOK2(T_DEC);
        if (NEXT_IS('='))
            TOK2(T_MINUS_ASSIGN);
        TOK(T_MINUS);
    case '*':
        if (NEXT_IS('*')) {
            p->pos++;
            if (NEXT_IS('='))
                TOK2(T_STARSTAR_ASSIGN);
            TOK(T_STARSTAR);
        }
        if (NEXT_IS('='))
            TOK2(T_STAR_ASSIGN);
        TOK(T_STAR);
    case '/':
        /* division; the parser rescans as a RegExp where one may start */
        if (NEXT_IS('='))
            TOK2(T_SLASH_ASSIGN);
        TOK(T_SLASH);
    case '%':
        if (NEXT_IS('='))
            TOK2(T_PERCENT_ASSIGN);
        TOK(T_PERCENT);
    case '&':
        if (NEXT_IS('&')) {
            p->pos++;
            if (NEXT_IS('='))
                TOK2(T_AND_ASSIGN);
            TOK(T_AND);
        }
        if (NEXT_IS('='))
            TOK2(T_AMP_ASSIGN);
        TOK(T_AMP);
    case '|':
        if (NEXT_IS('|')) {
            p->pos++;
            if (NEXT_IS('='))
                TOK2(T_OR_ASSIGN);
            TOK(T_OR);
        }
        if (NEXT_IS('='))
            TOK2(T_BAR_ASSIGN);
        TOK(T_BAR);
    case '^':
        if (NEXT_IS('='))
            TOK2(T_CARET_ASSIGN);
        TOK(T_CARET);
    case '"': case '\'':
        lex_string(p, start);
        goto out;
    case '`':
        lex_template(p, start + 1);
        goto out;
    case '#':
        lex_name(p, start, 1);
        goto out;
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
        lex_number(p, start);
        goto out;
    case '\\':
        p->pos = start;
        lex_name(p, start, 0);
        goto out;
    default:
        if (is_ascii_id_start(c)) {
            lex_name(p, start, 0);
            goto out;
        }
        if (c >= 0x80) {
            uint32_t n, cp = decode(p, start, &n);
            if (is_id_start(cp)) {
                p->pos = start;
                lex_name(p, start, 0);
                goto out;
            }
        }
        jslex_error_at(p, start, "Invalid or unexpected token");
    }
#undef NEXT_IS
#undef TOK
#undef TOK2
out:
    t->end = p->pos;
}

void jslex_save_state(jsparser *p, jslex_save *s)
{
    s->pos = p->pos;
    s->line = p->line;
    s->line_start = p->line_start;
    s->prev_end = p->prev_end;
    s->prev_line = p->prev_line;
    s->tok = p->tok;
}

void jslex_restore_state(jsparser *p, const jslex_save *s)
{
    p->pos = s->pos;
    p->line = s->line;
    p->line_start = s->line_start;
    p->prev_end = s->prev_end;
    p->prev_line = s->prev_line;
    p->tok = s->tok;
    p->col_off = p->tok.pos.off;
    p->col_col = p->tok.pos.col;
}

static const char *const punct_names[] = {
    "{", "}", "(", ")", "[", "]", ".", "...", ";", ",", "?", "?.", ":", "=>",
    "<", ">", "<=", ">=", "==", "!=", "===", "!==", "+", "-", "*", "/", "%", "**",
    "++", "--", "<<", ">>", ">>>", "&", "|", "^", "!", "~", "&&", "||", "??",
    "=", "+=", "-=", "*=", "/=", "%=", "**=", "<<=", ">>=", ">>>=", "&=", "|=",
    "^=", "&&=", "||=", "?\?=", "@"
};

const char *jslex_token_name(int type)
{
    if (type == T_EOF)
        return "end of input";
    if (type >= 1 && type <= T_LAST_KEYWORD)
        return keywords[type];
    switch (type) {
    case T_IDENT: return "identifier";
    case T_PRIVATE: return "private name";
    case T_NUMBER: return "number";
    case T_BIGINT: return "bigint";
    case T_STRING: return "string";
    case T_TEMPLATE: return "template";
    case T_REGEXP: return "regular expression";
    default:
        if (type >= T_LBRACE && type < T_COUNT)
            return punct_names[type - T_LBRACE];
        return "?";
    }
}
