/*
 * re_parse.c - RegExp pattern parser: UTF-16 pattern -> AST (re_int.h) with
 * every early error of ECMA-262 22.2.1 plus the Annex B grammar in non-unicode
 * mode, and the code point set algebra for classes (incl. /v set operations).
 * Touches no runtime state: plain malloc, errors reported through err/oom.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "re_int.h"
#include "../unicode/unicode.h"

#define RE_MAX_DEPTH 256

/* Arena for nodes and small arrays: freed all at once after compilation. */
typedef struct arena_blk { struct arena_blk *next; size_t used, size; char data[]; } arena_blk;

/* A /v class operand: code points plus strings (each a code point array). */
typedef struct re_strs { uint32_t **s; uint32_t *len; uint32_t n, cap; } re_strs;
typedef struct re_vset { re_cset cs; re_strs ss; } re_vset;

typedef struct re_parser {
    const uint16_t *p;
    size_t len, pos;
    unsigned flags;
    int u, v;                  /* unicode mode (u or v), v mode */
    unsigned mods;             /* RE_NI/NM/NS currently in effect */
    int total_caps, has_names; /* from the pre-scan */
    int ncap;
    uint16_t **names; uint32_t *namelens; int names_cap;
    int *visible; int nvisible, visible_cap;   /* group indices whose names may clash */
    re_class *classes; uint32_t nclasses, classes_cap;
    re_node **nrefs; int nnrefs, nrefs_cap;
    int depth;
    arena_blk *arena;
    char *err; size_t errlen;
    int oom;
    jmp_buf jb;
} re_parser;

static void fail(re_parser *P, const char *msg)
{
    if (P->err && P->errlen) snprintf(P->err, P->errlen, "%s", msg);
    longjmp(P->jb, 1);
}

static void oom(re_parser *P)
{
    P->oom = 1;
    fail(P, "out of memory");
}

static void *xrealloc(re_parser *P, void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) oom(P);
    return q;
}

static void *amalloc(re_parser *P, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    arena_blk *b = P->arena;
    if (!b || b->used + n > b->size) {
        size_t sz = n > 4000 ? n : 4000;
        b = malloc(sizeof *b + sz);
        if (!b) oom(P);
        b->size = sz;
        b->used = 0;
        b->next = P->arena;
        P->arena = b;
    }
    void *r = b->data + b->used;
    b->used += n;
    memset(r, 0, n);
    return r;
}

/* Grows arena memory (old contents copied); the arena frees everything at
 * once, so temporaries need no cleanup when a SyntaxError longjmps out. */
static void *arealloc(re_parser *P, void *p, size_t old, size_t n)
{
    void *q = amalloc(P, n);
    if (p && old) memcpy(q, p, old < n ? old : n);
    return q;
}

void jsre_parse_free_arena(void *arena)
{
    arena_blk *b = arena;
    while (b) {
        arena_blk *n = b->next;
        free(b);
        b = n;
    }
}

static re_node *new_node(re_parser *P, int type)
{
    re_node *n = amalloc(P, sizeof *n);
    n->type = (uint8_t)type;
    n->mods = (uint8_t)P->mods;
    n->cap = -1;
    return n;
}

/* ---- canonicalization ---- */

uint32_t jsre_canon(uint32_t c, int unicode)
{
    if (unicode) return jsuni_fold_simple(c);
    if (c < 128) return (c >= 'a' && c <= 'z') ? c - 32 : c;
    uint32_t out[3];
    if (jsuni_to_upper_full(c, out) != 1) return c;
    if (out[0] > 0xFFFF || out[0] < 128) return c;
    return out[0];
}

/* ---- code point sets ---- */

static void cs_add(re_parser *P, re_cset *s, uint32_t lo, uint32_t hi)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 8;
        s->r = arealloc(P, s->r, s->n * 2 * sizeof(uint32_t), s->cap * 2 * sizeof(uint32_t));
    }
    s->r[2 * s->n] = lo;
    s->r[2 * s->n + 1] = hi;
    s->n++;
}

static int cmp_pair(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

static void cs_norm(re_cset *s)
{
    if (s->n < 2) return;
    qsort(s->r, s->n, 2 * sizeof(uint32_t), cmp_pair);
    uint32_t k = 0;
    for (uint32_t i = 1; i < s->n; i++) {
        if (s->r[2 * i] <= s->r[2 * k + 1] + 1) {
            if (s->r[2 * i + 1] > s->r[2 * k + 1]) s->r[2 * k + 1] = s->r[2 * i + 1];
        } else {
            k++;
            s->r[2 * k] = s->r[2 * i];
            s->r[2 * k + 1] = s->r[2 * i + 1];
        }
    }
    s->n = k + 1;
}

static void cs_union(re_parser *P, re_cset *a, const re_cset *b)
{
    for (uint32_t i = 0; i < b->n; i++) cs_add(P, a, b->r[2 * i], b->r[2 * i + 1]);
    cs_norm(a);
}

static void cs_invert(re_parser *P, re_cset *s)
{
    re_cset o = { 0 };
    uint32_t next = 0;
    cs_norm(s);
    for (uint32_t i = 0; i < s->n; i++) {
        if (s->r[2 * i] > next) cs_add(P, &o, next, s->r[2 * i] - 1);
        next = s->r[2 * i + 1] + 1;
    }
    if (next <= 0x10FFFF) cs_add(P, &o, next, 0x10FFFF);
    *s = o;
}

static void cs_intersect(re_parser *P, re_cset *a, const re_cset *b)
{
    re_cset o = { 0 };
    cs_norm(a);
    for (uint32_t i = 0; i < a->n; i++)
        for (uint32_t j = 0; j < b->n; j++) {
            uint32_t lo = a->r[2 * i] > b->r[2 * j] ? a->r[2 * i] : b->r[2 * j];
            uint32_t hi = a->r[2 * i + 1] < b->r[2 * j + 1] ? a->r[2 * i + 1] : b->r[2 * j + 1];
            if (lo <= hi) cs_add(P, &o, lo, hi);
        }
    cs_norm(&o);
    *a = o;
}

static void cs_subtract(re_parser *P, re_cset *a, const re_cset *b)
{
    re_cset nb = { 0 };
    cs_union(P, &nb, b);
    cs_invert(P, &nb);
    cs_intersect(P, a, &nb);
}

/* Adds Canonicalize(a) for every member a: matching then tests Canonicalize(ch). */
static void cs_close_case(re_parser *P, re_cset *s, int unicode)
{
    uint32_t n = s->n;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t lo = s->r[2 * i], hi = s->r[2 * i + 1];
        if (hi > 0x1F000) hi = 0x1F000;
        if (!unicode && hi > 0xFFFF) hi = 0xFFFF;
        for (uint32_t c = lo; c <= hi && lo <= hi; c++) {
            uint32_t k = jsre_canon(c, unicode);
            if (k != c) cs_add(P, s, k, k);
        }
    }
    cs_norm(s);
}

static int add_class(re_parser *P, re_cset *s)
{
    cs_norm(s);
    if (P->nclasses == P->classes_cap) {
        P->classes_cap = P->classes_cap ? P->classes_cap * 2 : 8;
        P->classes = xrealloc(P, P->classes, P->classes_cap * sizeof(re_class));
    }
    re_class *c = &P->classes[P->nclasses];
    memset(c, 0, sizeof *c);
    c->n = s->n;
    c->r = malloc((s->n ? s->n : 1) * 2 * sizeof(uint32_t));
    if (!c->r) oom(P);
    if (s->n) memcpy(c->r, s->r, s->n * 2 * sizeof(uint32_t));
    s->r = NULL;
    s->n = s->cap = 0;
    for (uint32_t i = 0; i < c->n; i++)
        for (uint32_t x = c->r[2 * i]; x <= c->r[2 * i + 1] && x < 256; x++) c->bm[x >> 5] |= 1u << (x & 31);
    return (int)P->nclasses++;
}

/* ---- lexing helpers ---- */

static int at_end(re_parser *P) { return P->pos >= P->len; }
static uint32_t peek(re_parser *P) { return P->pos < P->len ? P->p[P->pos] : 0xFFFFFFFF; }
static uint32_t peek_at(re_parser *P, size_t k) { return P->pos + k < P->len ? P->p[P->pos + k] : 0xFFFFFFFF; }

/* Next source character; a surrogate pair is one character in unicode mode
 * (or when `pairs` is set: group names always join pairs). */
static uint32_t next_char(re_parser *P, int pairs)
{
    uint32_t c = P->p[P->pos++];
    if (pairs && c >= 0xD800 && c <= 0xDBFF && P->pos < P->len &&
        P->p[P->pos] >= 0xDC00 && P->p[P->pos] <= 0xDFFF)
        c = 0x10000 + ((c - 0xD800) << 10) + (P->p[P->pos++] - 0xDC00);
    return c;
}

static int is_digit(uint32_t c) { return c >= '0' && c <= '9'; }
static int hexval(uint32_t c)
{
    if (c >= '0' && c <= '9') return (int)(c - '0');
    if (c >= 'a' && c <= 'f') return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return (int)(c - 'A' + 10);
    return -1;
}
static int is_syntax_char(uint32_t c) { return c < 128 && strchr("^$\\.*+?()[]{}|", (int)c) && c; }

/* Parses hex digits at pos: exactly n, 0 and -1 on failure (pos unchanged). */
static int64_t parse_hex_n(re_parser *P, int n)
{
    uint32_t v = 0;
    for (int i = 0; i < n; i++) {
        int h = hexval(peek_at(P, i));
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    P->pos += n;
    return v;
}

/* After "\u": \uXXXX, the unicode-mode pair \uHHHH\uLLLL and \u{...}.
 * Returns -1 when malformed (pos unchanged). */
static int64_t parse_u_escape(re_parser *P, int unicode)
{
    size_t save = P->pos;
    if (peek(P) == '{' && unicode) {
        P->pos++;
        uint32_t v = 0;
        int nd = 0;
        while (hexval(peek(P)) >= 0) {
            v = v * 16 + hexval(peek(P));
            if (v > 0x10FFFF) { P->pos = save; return -1; }
            P->pos++;
            nd++;
        }
        if (!nd || peek(P) != '}') { P->pos = save; return -1; }
        P->pos++;
        return v;
    }
    int64_t h = parse_hex_n(P, 4);
    if (h < 0) return -1;
    if (unicode && h >= 0xD800 && h <= 0xDBFF && peek(P) == '\\' && peek_at(P, 1) == 'u') {
        size_t s2 = P->pos;
        P->pos += 2;
        int64_t l = parse_hex_n(P, 4);
        if (l >= 0xDC00 && l <= 0xDFFF) return 0x10000 + ((h - 0xD800) << 10) + (l - 0xDC00);
        P->pos = s2;
    }
    return h;
}

/* ---- group names ---- */

static int is_id_start(uint32_t c) { return c == '$' || c == '_' || jsuni_is_id_start(c); }
static int is_id_cont(uint32_t c) { return c == '$' || c == 0x200C || c == 0x200D || jsuni_is_id_continue(c); }

/* Parses GroupName after '<' up to and including '>'; the name is returned as
 * UTF-16 in the arena. */
static uint16_t *parse_group_name(re_parser *P, uint32_t *outlen)
{
    uint16_t *buf = amalloc(P, (P->len - P->pos + 1) * sizeof(uint16_t) * 2 + 4);
    uint32_t n = 0;
    for (;;) {
        if (at_end(P)) fail(P, "invalid capture group name");
        uint32_t c = next_char(P, 1);
        if (c == '>') break;
        if (c == '\\') {
            if (peek(P) != 'u') fail(P, "invalid capture group name");
            P->pos++;
            int64_t v = parse_u_escape(P, 1);
            if (v < 0) fail(P, "invalid Unicode escape in group name");
            c = (uint32_t)v;
        }
        if (n == 0 ? !is_id_start(c) : !is_id_cont(c)) fail(P, "invalid capture group name");
        if (c > 0xFFFF) {
            buf[n++] = (uint16_t)(0xD800 + ((c - 0x10000) >> 10));
            buf[n++] = (uint16_t)(0xDC00 + ((c - 0x10000) & 0x3FF));
        } else buf[n++] = (uint16_t)c;
    }
    if (!n) fail(P, "invalid capture group name");
    *outlen = n;
    return buf;
}

/* Counts capture groups and sees whether any is named, before parsing, since
 * \N and \k depend on the whole pattern. */
static void prescan(re_parser *P)
{
    int incls = 0;
    for (size_t i = 0; i < P->len; i++) {
        uint16_t c = P->p[i];
        if (c == '\\') { i++; continue; }
        if (incls) { if (c == ']') incls = 0; continue; }
        if (c == '[') { incls = 1; continue; }
        if (c == '(') {
            if (i + 1 < P->len && P->p[i + 1] == '?') {
                if (i + 2 < P->len && P->p[i + 2] == '<' && i + 3 < P->len && P->p[i + 3] != '=' && P->p[i + 3] != '!') {
                    P->total_caps++;
                    P->has_names = 1;
                }
            } else P->total_caps++;
        }
    }
}

static int name_eq(const uint16_t *a, uint32_t al, const uint16_t *b, uint32_t bl)
{
    return al == bl && !memcmp(a, b, al * sizeof(uint16_t));
}

/* ---- classes ---- */

static void add_word(re_parser *P, re_cset *s)
{
    cs_add(P, s, '0', '9'); cs_add(P, s, 'A', 'Z'); cs_add(P, s, '_', '_'); cs_add(P, s, 'a', 'z');
    if (P->u && (P->mods & RE_NI)) { cs_add(P, s, 0x17F, 0x17F); cs_add(P, s, 0x212A, 0x212A); }
}

static void add_space(re_parser *P, re_cset *s)
{
    static const uint32_t sp[] = { 9, 13, 32, 32, 0xA0, 0xA0, 0x1680, 0x1680, 0x2000, 0x200A,
        0x2028, 0x2029, 0x202F, 0x202F, 0x205F, 0x205F, 0x3000, 0x3000, 0xFEFF, 0xFEFF };
    for (size_t i = 0; i < sizeof sp / sizeof sp[0]; i += 2) cs_add(P, s, sp[i], sp[i + 1]);
}

/* \d \D \s \S \w \W into s (returns 0 if c is none of them). */
static int class_escape(re_parser *P, uint32_t c, re_cset *s)
{
    re_cset t = { 0 };
    switch (c) {
    case 'd': case 'D': cs_add(P, &t, '0', '9'); break;
    case 's': case 'S': add_space(P, &t); break;
    case 'w': case 'W': add_word(P, &t); break;
    default: return 0;
    }
    if (c == 'D' || c == 'S' || c == 'W') cs_invert(P, &t);
    cs_union(P, s, &t);
    return 1;
}

static void strs_add(re_parser *P, re_strs *ss, const uint32_t *cp, uint32_t n);
static void strs_push(re_parser *P, re_strs *ss, const uint32_t *cp, uint32_t n);

/* \p{...} / \P{...} after the letter; strings go to ss when allowed (v mode). */
static void parse_property(re_parser *P, int negate, re_cset *out, re_strs *ss)
{
    char name[128], value[128];
    size_t nn = 0, nv = 0;
    int has_eq = 0;
    if (peek(P) != '{') fail(P, "invalid property name");
    P->pos++;
    for (;;) {
        if (at_end(P)) fail(P, "invalid property name");
        uint32_t c = P->p[P->pos++];
        if (c == '}') break;
        if (c == '=' && !has_eq) { has_eq = 1; continue; }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
            fail(P, "invalid property name");
        if (has_eq) { if (nv >= sizeof value - 1) fail(P, "invalid property name"); value[nv++] = (char)c; }
        else { if (nn >= sizeof name - 1) fail(P, "invalid property name"); name[nn++] = (char)c; }
    }
    name[nn] = 0;
    value[nv] = 0;
    const uint32_t *r = NULL;
    uint32_t n = 0;
    int ok = 0;
    if (has_eq) {
        if (!nn || !nv) fail(P, "invalid property name");
        if (!strcmp(name, "General_Category") || !strcmp(name, "gc")) ok = jsuni_lookup('G', value, &r, &n);
        else if (!strcmp(name, "Script") || !strcmp(name, "sc")) ok = jsuni_lookup('S', value, &r, &n);
        else if (!strcmp(name, "Script_Extensions") || !strcmp(name, "scx")) ok = jsuni_lookup('X', value, &r, &n);
        if (!ok && (!strcmp(value, "Unknown") || !strcmp(value, "Zzzz")) &&
            (!strcmp(name, "Script") || !strcmp(name, "sc") || !strcmp(name, "Script_Extensions") || !strcmp(name, "scx"))) {
            /* Unknown is every code point no script claims: unassigned, private use, surrogates. */
            static const char *const gcs[] = { "Cn", "Co", "Cs" };
            re_cset t = { 0 };
            for (int i = 0; i < 3; i++)
                if (jsuni_lookup('G', gcs[i], &r, &n))
                    for (uint32_t k = 0; k < n; k++) cs_add(P, &t, r[2 * k], r[2 * k + 1]);
            cs_norm(&t);
            if (negate) cs_invert(P, &t);
            cs_union(P, out, &t);
                    return;
        }
    } else {
        if (!nn) fail(P, "invalid property name");
        ok = jsuni_lookup('G', name, &r, &n);
        if (!ok) ok = jsuni_lookup('B', name, &r, &n);
        if (!ok && P->v) {
            const uint32_t *seq;
            uint32_t nseq;
            if (jsuni_lookup_strings(name, &seq, &nseq)) {
                if (!ss) fail(P, "negated property of strings");
                for (uint32_t i = 0; i < nseq; i++) {
                    uint32_t l = *seq++;
                    if (l == 1) cs_add(P, out, seq[0], seq[0]);
                    else if (ss->n == 0 || nseq < 64) strs_add(P, ss, seq, l);
                    else strs_push(P, ss, seq, l);
                    seq += l;
                }
                cs_norm(out);
                return;
            }
        }
    }
    if (!ok) fail(P, "invalid property name");
    re_cset t = { 0 };
    for (uint32_t i = 0; i < n; i++) cs_add(P, &t, r[2 * i], r[2 * i + 1]);
    cs_norm(&t);
    if (negate) cs_invert(P, &t);
    cs_union(P, out, &t);
}

/* Legacy octal escape (Annex B) with the first digit at pos. */
static uint32_t parse_legacy_octal(re_parser *P)
{
    uint32_t v = P->p[P->pos++] - '0';
    if (peek(P) >= '0' && peek(P) <= '7') {
        v = v * 8 + (P->p[P->pos++] - '0');
        if (v < 32 && peek(P) >= '0' && peek(P) <= '7') v = v * 8 + (P->p[P->pos++] - '0');
    }
    return v;
}

/* CharacterEscape after '\' (c already consumed), common to atoms and
 * classes. in_class: Annex B ClassControlLetter and \b, \-. Returns the code
 * point, or -1 when \c must be read as a literal backslash. */
static int64_t char_escape(re_parser *P, uint32_t c, int in_class)
{
    switch (c) {
    case 'f': return '\f';
    case 'n': return '\n';
    case 'r': return '\r';
    case 't': return '\t';
    case 'v': return '\v';
    case 'c': {
        uint32_t d = peek(P);
        if ((d | 32) >= 'a' && (d | 32) <= 'z') { P->pos++; return d % 32; }
        if (!P->u && in_class && (is_digit(d) || d == '_')) { P->pos++; return d % 32; }
        if (P->u) fail(P, "invalid unicode escape");
        P->pos--;   /* the backslash stands for itself, 'c' is read next */
        return '\\';
    }
    case '0':
        if (!is_digit(peek(P))) return 0;
        if (P->u) fail(P, "invalid decimal escape");
        P->pos--;
        return parse_legacy_octal(P);
    case 'x': {
        int64_t h = parse_hex_n(P, 2);
        if (h >= 0) return h;
        if (P->u) fail(P, "invalid escape");
        return 'x';
    }
    case 'u': {
        int64_t h = parse_u_escape(P, P->u);
        if (h >= 0) return h;
        if (P->u) fail(P, "invalid Unicode escape");
        return 'u';
    }
    }
    if (P->u) {
        if (is_syntax_char(c) || c == '/') return c;
        if (in_class && c == '-') return c;
        fail(P, "invalid escape");
    }
    if (c == 'k' && P->has_names) fail(P, "invalid named reference");
    if (!in_class && c >= '1' && c <= '9') return c;
    return c;
}

/* One ClassAtom (non-v). Returns code point, or -2 and fills set for \d etc. */
static int64_t class_atom(re_parser *P, re_cset *set)
{
    if (at_end(P)) fail(P, "unterminated character class");
    uint32_t c = next_char(P, P->u);
    if (c != '\\') return c;
    if (at_end(P)) fail(P, "\\ at end of pattern");
    c = P->p[P->pos++];
    if (c == 'b') return 8;
    if (class_escape(P, c, set)) return -2;
    if (P->u && (c == 'p' || c == 'P')) { parse_property(P, c == 'P', set, NULL); return -2; }
    if (is_digit(c) && c != '0') {
        if (P->u) fail(P, "invalid class escape");
        if (c <= '7') { P->pos--; return parse_legacy_octal(P); }
        return c;
    }
    if (c == 'k' && !P->u && P->has_names) fail(P, "invalid escape");
    return char_escape(P, c, 1);
}

static re_node *class_node(re_parser *P, re_cset *s, int invert)
{
    re_node *n = new_node(P, N_CLASS);
    if ((P->mods & RE_NI)) cs_close_case(P, s, P->u);
    n->cls = add_class(P, s);
    n->invert = (uint8_t)invert;
    return n;
}

static re_node *parse_class_v(re_parser *P);

/* [ ... ] in non-v mode, '[' consumed. */
static re_node *parse_class(re_parser *P)
{
    if (P->v) return parse_class_v(P);
    int neg = 0;
    re_cset s = { 0 };
    if (peek(P) == '^') { neg = 1; P->pos++; }
    for (;;) {
        if (at_end(P)) fail(P, "unterminated character class");
        if (peek(P) == ']') { P->pos++; break; }
        re_cset a = { 0 };
        int64_t c1 = class_atom(P, &a);
        if (peek(P) == '-' && peek_at(P, 1) != ']' && peek_at(P, 1) != 0xFFFFFFFF) {
            P->pos++;
            re_cset b = { 0 };
            int64_t c2 = class_atom(P, &b);
            if (c1 == -2 || c2 == -2) {
                if (P->u) fail(P, "invalid character class range");
                if (c1 >= 0) cs_add(P, &s, (uint32_t)c1, (uint32_t)c1); else cs_union(P, &s, &a);
                if (c2 >= 0) cs_add(P, &s, (uint32_t)c2, (uint32_t)c2); else cs_union(P, &s, &b);
                cs_add(P, &s, '-', '-');
            } else {
                if (c1 > c2) fail(P, "range out of order in character class");
                cs_add(P, &s, (uint32_t)c1, (uint32_t)c2);
            }
        } else if (c1 >= 0) cs_add(P, &s, (uint32_t)c1, (uint32_t)c1);
        else cs_union(P, &s, &a);
    }
    return class_node(P, &s, neg);
}

/* ---- /v class sets ---- */

static void strs_push(re_parser *P, re_strs *ss, const uint32_t *cp, uint32_t n);

static void strs_add(re_parser *P, re_strs *ss, const uint32_t *cp, uint32_t n)
{
    for (uint32_t i = 0; i < ss->n; i++)
        if (ss->len[i] == n && !memcmp(ss->s[i], cp, n * sizeof(uint32_t))) return;
    strs_push(P, ss, cp, n);
}

static void strs_push(re_parser *P, re_strs *ss, const uint32_t *cp, uint32_t n)
{
    if (ss->n == ss->cap) {
        ss->cap = ss->cap ? ss->cap * 2 : 4;
        ss->s = arealloc(P, ss->s, ss->n * sizeof(uint32_t *), ss->cap * sizeof(uint32_t *));
        ss->len = arealloc(P, ss->len, ss->n * sizeof(uint32_t), ss->cap * sizeof(uint32_t));
    }
    uint32_t *c = amalloc(P, (n ? n : 1) * sizeof(uint32_t));
    memcpy(c, cp, n * sizeof(uint32_t));
    ss->s[ss->n] = c;
    ss->len[ss->n++] = n;
}

static int strs_has(const re_strs *ss, const uint32_t *cp, uint32_t n)
{
    for (uint32_t i = 0; i < ss->n; i++)
        if (ss->len[i] == n && !memcmp(ss->s[i], cp, n * sizeof(uint32_t))) return 1;
    return 0;
}

static void vset_free(re_vset *v)
{
    memset(v, 0, sizeof *v);
}

static void vset_fold(re_parser *P, re_vset *v)
{
    if (!(P->mods & RE_NI)) return;
    cs_close_case(P, &v->cs, 1);
    for (uint32_t i = 0; i < v->ss.n; i++)
        for (uint32_t k = 0; k < v->ss.len[i]; k++) v->ss.s[i][k] = jsuni_fold_simple(v->ss.s[i][k]);
}

static int is_set_syntax(uint32_t c) { return c < 128 && c && strchr("()[]{}/-\\|", (int)c); }
static int is_double_punct(uint32_t c) { return c < 128 && c && strchr("&!#$%*+,.:;<=>?@^`~", (int)c); }
static int is_reserved_punct(uint32_t c) { return c < 128 && c && strchr("&-!#%,:;<=>@`~", (int)c); }

static void parse_class_v_body(re_parser *P, re_vset *out, int *may_strings);

/* ClassSetCharacter or -2 (set operand filled) for one operand position. */
static int64_t class_v_operand(re_parser *P, re_vset *o)
{
    if (at_end(P)) fail(P, "unterminated character class");
    uint32_t c = peek(P);
    if (c == '[') {
        P->pos++;
        if (++P->depth > RE_MAX_DEPTH) fail(P, "pattern too deeply nested");
        int neg = 0;
        if (peek(P) == '^') { neg = 1; P->pos++; }
        int ms = 0;
        parse_class_v_body(P, o, &ms);
        P->depth--;
        if (neg) {
            if (o->ss.n) fail(P, "negated character class may contain strings");
            cs_invert(P, &o->cs);
        }
        return -2;
    }
    if (c == '\\') {
        P->pos++;
        if (at_end(P)) fail(P, "\\ at end of pattern");
        uint32_t e = P->p[P->pos++];
        if (e == 'q') {
            if (peek(P) != '{') fail(P, "invalid escape");
            P->pos++;
            uint32_t *buf = amalloc(P, (P->len + 1) * sizeof(uint32_t));
            uint32_t n = 0;
            for (;;) {
                if (at_end(P)) fail(P, "unterminated \\q{");
                uint32_t d = peek(P);
                if (d == '}' || d == '|') {
                    P->pos++;
                    if (n == 1) cs_add(P, &o->cs, buf[0], buf[0]);
                    else strs_add(P, &o->ss, buf, n);
                    n = 0;
                    if (d == '}') break;
                    continue;
                }
                if (d == '\\') {
                    P->pos++;
                    if (at_end(P)) fail(P, "invalid escape");
                    uint32_t e2 = P->p[P->pos++];
                    if (e2 == 'b') buf[n++] = 8;
                    else if (is_reserved_punct(e2)) buf[n++] = e2;
                    else buf[n++] = (uint32_t)char_escape(P, e2, 1);
                    continue;
                }
                if (is_set_syntax(d)) fail(P, "invalid character in class string");
                if (is_double_punct(d) && peek_at(P, 1) == d) fail(P, "invalid set operation in class string");
                buf[n++] = next_char(P, 1);
            }
            cs_norm(&o->cs);
            return -2;
        }
        if (class_escape(P, e, &o->cs)) return -2;
        if (e == 'p' || e == 'P') { parse_property(P, e == 'P', &o->cs, e == 'p' ? &o->ss : NULL); return -2; }
        if (e == 'b') return 8;
        if (is_reserved_punct(e)) return e;
        if (is_digit(e) && e != '0') fail(P, "invalid class escape");
        return char_escape(P, e, 1);
    }
    if (is_set_syntax(c)) fail(P, "invalid character in class");
    if (is_double_punct(c) && peek_at(P, 1) == c) fail(P, "invalid set operation in class");
    return next_char(P, 1);
}

/* ClassContents in v mode up to and including ']'. */
static void parse_class_v_body(re_parser *P, re_vset *out, int *may_strings)
{
    int op = 0;   /* 0 none yet / union, '&' intersection, '-' subtraction */
    int first = 1, first_range = 0;
    for (;;) {
        if (at_end(P)) fail(P, "unterminated character class");
        uint32_t c = peek(P);
        if (c == ']') { P->pos++; break; }
        int this_op = 0;
        if (c == '&' && peek_at(P, 1) == '&') this_op = '&';
        else if (c == '-' && peek_at(P, 1) == '-') this_op = '-';
        if (this_op) {
            if (first) fail(P, "invalid set operation");
            if (op && op != this_op) fail(P, "invalid set operation");
            if (first_range) fail(P, "invalid set operation");
            P->pos += 2;
            if (this_op == '&' && peek(P) == '&') fail(P, "invalid set operation");
            re_vset b = { 0 };
            int64_t ch = class_v_operand(P, &b);
            if (ch >= 0) cs_add(P, &b.cs, (uint32_t)ch, (uint32_t)ch);
            vset_fold(P, &b);
            if (this_op == '&') {
                cs_intersect(P, &out->cs, &b.cs);
                re_strs keep = { 0 };
                for (uint32_t i = 0; i < out->ss.n; i++)
                    if (strs_has(&b.ss, out->ss.s[i], out->ss.len[i])) strs_add(P, &keep, out->ss.s[i], out->ss.len[i]);
                out->ss = keep;
            } else {
                cs_subtract(P, &out->cs, &b.cs);
                re_strs keep = { 0 };
                for (uint32_t i = 0; i < out->ss.n; i++)
                    if (!strs_has(&b.ss, out->ss.s[i], out->ss.len[i])) strs_add(P, &keep, out->ss.s[i], out->ss.len[i]);
                out->ss = keep;
            }
            vset_free(&b);
            op = this_op;
            continue;
        }
        if (op == '&' || op == '-') fail(P, "invalid set operation");
        re_vset a = { 0 };
        int64_t c1 = class_v_operand(P, &a);
        if (c1 >= 0 && peek(P) == '-' && peek_at(P, 1) != '-') {
            P->pos++;
            re_vset b = { 0 };
            int64_t c2 = class_v_operand(P, &b);
            vset_free(&b);
            if (c2 < 0) fail(P, "invalid character class range");
            if (c1 > c2) fail(P, "range out of order in character class");
            cs_add(P, &a.cs, (uint32_t)c1, (uint32_t)c2);
            if (first) first_range = 1;
        } else if (c1 >= 0) cs_add(P, &a.cs, (uint32_t)c1, (uint32_t)c1);
        vset_fold(P, &a);
        if (!first && op == 0) op = 'u';
        cs_union(P, &out->cs, &a.cs);
        for (uint32_t i = 0; i < a.ss.n; i++) strs_add(P, &out->ss, a.ss.s[i], a.ss.len[i]);
        vset_free(&a);
        if (op == 'u') {
            uint32_t d = peek(P);
            if ((d == '&' && peek_at(P, 1) == '&') || (d == '-' && peek_at(P, 1) == '-'))
                fail(P, "invalid set operation");
        }
        first = 0;
    }
    *may_strings = out->ss.n > 0;
}

/* A class of code points and strings: the strings, longest first, then the
 * single characters, as an alternation. */
static re_node *vset_node(re_parser *P, re_vset *s)
{
    re_node *cls = new_node(P, N_CLASS);
    cls->cls = add_class(P, &s->cs);
    if (!s->ss.n) { vset_free(s); return cls; }
    uint32_t maxlen = 0;
    for (uint32_t i = 0; i < s->ss.n; i++) if (s->ss.len[i] > maxlen) maxlen = s->ss.len[i];
    re_node *alt = new_node(P, N_ALT), **tail = &alt->kid;
    for (uint32_t l = maxlen; l >= 1; l--) {
        for (uint32_t i = 0; i < s->ss.n; i++) {
            if (s->ss.len[i] != l) continue;
            re_node *seq = new_node(P, N_SEQ), **st = &seq->kid;
            for (uint32_t k = 0; k < l; k++) {
                re_node *ch = new_node(P, N_CHAR);
                ch->c = s->ss.s[i][k];
                *st = ch;
                st = &ch->next;
            }
            *tail = seq;
            tail = &seq->next;
        }
    }
    *tail = cls;
    vset_free(s);
    return alt;
}

static re_node *parse_class_v(re_parser *P)
{
    re_vset s = { 0 };
    int neg = 0, ms = 0;
    if (peek(P) == '^') { neg = 1; P->pos++; }
    if (++P->depth > RE_MAX_DEPTH) fail(P, "pattern too deeply nested");
    parse_class_v_body(P, &s, &ms);
    P->depth--;
    if (neg) {
        if (s.ss.n) { vset_free(&s); fail(P, "negated character class may contain strings"); }
        cs_invert(P, &s.cs);
    }
    return vset_node(P, &s);
}

/* ---- terms ---- */

static re_node *parse_disjunction(re_parser *P);

/* Decimal number; saturates. */
static uint64_t parse_int(re_parser *P)
{
    uint64_t v = 0;
    while (is_digit(peek(P))) {
        v = v * 10 + (P->p[P->pos++] - '0');
        if (v > 0xFFFFFFFFFFull) v = 0xFFFFFFFFFFull;
    }
    return v;
}

/* Tries {n}, {n,}, {n,m} at pos ('{' at pos). 1 and pos after on success. */
static int try_braces(re_parser *P, uint64_t *mn, uint64_t *mx)
{
    size_t save = P->pos;
    P->pos++;
    if (!is_digit(peek(P))) { P->pos = save; return 0; }
    *mn = parse_int(P);
    *mx = *mn;
    if (peek(P) == ',') {
        P->pos++;
        if (is_digit(peek(P))) *mx = parse_int(P);
        else *mx = UINT64_MAX;
    }
    if (peek(P) != '}') { P->pos = save; return 0; }
    P->pos++;
    return 1;
}

static void push_visible(re_parser *P, int idx)
{
    if (P->nvisible == P->visible_cap) {
        P->visible_cap = P->visible_cap ? P->visible_cap * 2 : 8;
        P->visible = xrealloc(P, P->visible, P->visible_cap * sizeof(int));
    }
    P->visible[P->nvisible++] = idx;
}

static re_node *parse_atom_escape(re_parser *P)
{
    if (at_end(P)) fail(P, "\\ at end of pattern");
    uint32_t c = P->p[P->pos++];
    if (c >= '1' && c <= '9') {
        size_t save = P->pos - 1;
        P->pos--;
        uint64_t n = parse_int(P);
        if (n <= (uint64_t)P->total_caps) {
            re_node *b = new_node(P, N_BACKREF);
            b->nrefs = 1;
            b->refs = amalloc(P, sizeof(int));
            b->refs[0] = (int)n;
            return b;
        }
        if (P->u) fail(P, "invalid back reference");
        P->pos = save;
        re_node *ch = new_node(P, N_CHAR);
        if (c <= '7') ch->c = parse_legacy_octal(P);
        else { ch->c = c; P->pos++; }
        return ch;
    }
    if (c == 'k' && (P->u || P->has_names)) {
        if (peek(P) != '<') fail(P, "invalid named reference");
        P->pos++;
        re_node *b = new_node(P, N_BACKREF);
        b->name = parse_group_name(P, &b->namelen);
        if (P->nnrefs == P->nrefs_cap) {
            P->nrefs_cap = P->nrefs_cap ? P->nrefs_cap * 2 : 4;
            P->nrefs = xrealloc(P, P->nrefs, P->nrefs_cap * sizeof(re_node *));
        }
        P->nrefs[P->nnrefs++] = b;
        return b;
    }
    re_cset s = { 0 };
    if (class_escape(P, c, &s)) return class_node(P, &s, 0);
    if (P->u && (c == 'p' || c == 'P')) {
        if (P->v) {
            re_vset vs = { 0 };
            parse_property(P, c == 'P', &vs.cs, c == 'p' ? &vs.ss : NULL);
            vset_fold(P, &vs);
            return vset_node(P, &vs);
        }
        parse_property(P, c == 'P', &s, NULL);
        return class_node(P, &s, 0);
    }
    re_node *ch = new_node(P, N_CHAR);
    int64_t v = char_escape(P, c, 0);
    ch->c = (uint32_t)v;
    return ch;
}

/* Returns the term, or NULL at '|' / ')' / end. */
static re_node *parse_term(re_parser *P)
{
    if (at_end(P)) return NULL;
    uint32_t c = peek(P);
    re_node *atom = NULL;
    int quantifiable = 1;
    int cap_before = P->ncap;
    switch (c) {
    case '|': case ')': return NULL;
    case '^': P->pos++; atom = new_node(P, N_BOL); quantifiable = 0; break;
    case '$': P->pos++; atom = new_node(P, N_EOL); quantifiable = 0; break;
    case '\\':
        if (peek_at(P, 1) == 'b' || peek_at(P, 1) == 'B') {
            atom = new_node(P, peek_at(P, 1) == 'b' ? N_WORDB : N_NWORDB);
            P->pos += 2;
            quantifiable = 0;
            break;
        }
        P->pos++;
        atom = parse_atom_escape(P);
        break;
    case '.': P->pos++; atom = new_node(P, N_DOT); break;
    case '[': P->pos++; atom = parse_class(P); break;
    case '(': {
        P->pos++;
        if (++P->depth > RE_MAX_DEPTH) fail(P, "pattern too deeply nested");
        if (peek(P) == '?') {
            uint32_t d = peek_at(P, 1);
            if (d == '=' || d == '!' || (d == '<' && (peek_at(P, 2) == '=' || peek_at(P, 2) == '!'))) {
                atom = new_node(P, N_LOOK);
                atom->behind = d == '<';
                atom->neg = (d == '<' ? peek_at(P, 2) : d) == '!';
                P->pos += d == '<' ? 3 : 2;
                atom->kid = parse_disjunction(P);
                quantifiable = !P->u && !atom->behind;
            } else if (d == ':') {
                P->pos += 2;
                atom = new_node(P, N_GROUP);
                atom->kid = parse_disjunction(P);
            } else if (d == '<') {
                P->pos += 2;
                atom = new_node(P, N_GROUP);
                atom->cap = ++P->ncap;
                uint32_t nl;
                uint16_t *name = parse_group_name(P, &nl);
                for (int i = 0; i < P->nvisible; i++) {
                    int g = P->visible[i];
                    if (P->names[g] && name_eq(P->names[g], P->namelens[g], name, nl))
                        fail(P, "duplicate capture group name");
                }
                if (atom->cap >= P->names_cap) {
                    int nc = P->names_cap ? P->names_cap * 2 : 8;
                    while (nc <= atom->cap) nc *= 2;
                    P->names = xrealloc(P, P->names, nc * sizeof(uint16_t *));
                    P->namelens = xrealloc(P, P->namelens, nc * sizeof(uint32_t));
                    for (int i = P->names_cap; i < nc; i++) { P->names[i] = NULL; P->namelens[i] = 0; }
                    P->names_cap = nc;
                }
                P->names[atom->cap] = name;
                P->namelens[atom->cap] = nl;
                push_visible(P, atom->cap);
                atom->kid = parse_disjunction(P);
            } else {
                /* Modifiers (?ims-ims:...) */
                unsigned add = 0, rem = 0, *cur = &add;
                P->pos++;
                for (;;) {
                    uint32_t m = peek(P);
                    unsigned bit = m == 'i' ? RE_NI : m == 'm' ? RE_NM : m == 's' ? RE_NS : 0;
                    if (m == '-') {
                        if (cur == &rem) fail(P, "invalid group");
                        cur = &rem;
                        P->pos++;
                        continue;
                    }
                    if (m == ':') break;
                    if (!bit || ((add | rem) & bit)) fail(P, "invalid group");
                    *cur |= bit;
                    P->pos++;
                }
                if (cur == &rem && !add && !rem) fail(P, "invalid group");
                P->pos++;
                unsigned saved = P->mods;
                P->mods = (P->mods | add) & ~rem;
                atom = new_node(P, N_GROUP);
                atom->kid = parse_disjunction(P);
                P->mods = saved;
            }
        } else {
            atom = new_node(P, N_GROUP);
            atom->cap = ++P->ncap;
            atom->kid = parse_disjunction(P);
        }
        if (peek(P) != ')') fail(P, "unterminated group");
        P->pos++;
        P->depth--;
        break;
    }
    case '*': case '+': case '?':
        fail(P, "nothing to repeat");
        break;
    case '{': {
        uint64_t a, b;
        if (P->u) fail(P, "nothing to repeat");
        if (try_braces(P, &a, &b)) fail(P, "nothing to repeat");
        P->pos++;
        atom = new_node(P, N_CHAR);
        atom->c = '{';
        break;
    }
    case '}': case ']':
        if (P->u) fail(P, "lone quantifier brackets");
        /* fallthrough */
    default:
        atom = new_node(P, N_CHAR);
        atom->c = next_char(P, P->u);
        break;
    }
    /* Quantifier */
    uint64_t mn, mx;
    c = peek(P);
    if (c == '*') { mn = 0; mx = UINT64_MAX; P->pos++; }
    else if (c == '+') { mn = 1; mx = UINT64_MAX; P->pos++; }
    else if (c == '?') { mn = 0; mx = 1; P->pos++; }
    else if (c == '{') {
        if (!try_braces(P, &mn, &mx)) {
            if (P->u) fail(P, "incomplete quantifier");
            return atom;
        }
        if (mn > mx) fail(P, "numbers out of order in {} quantifier");
    } else return atom;
    if (!quantifiable) fail(P, "nothing to repeat");
    re_node *q = new_node(P, N_QUANT);
    q->min = mn > 0xFFFFFFFEu ? 0xFFFFFFFEu : (uint32_t)mn;
    q->max = mx >= 0xFFFFFFFFu ? 0xFFFFFFFFu : (uint32_t)mx;
    q->greedy = 1;
    if (peek(P) == '?') { q->greedy = 0; P->pos++; }
    q->kid = atom;
    q->cap_lo = cap_before + 1;
    q->cap_hi = P->ncap;
    return q;
}

static re_node *parse_alternative(re_parser *P)
{
    re_node *seq = new_node(P, N_SEQ), **tail = &seq->kid;
    re_node *t;
    while ((t = parse_term(P))) {
        *tail = t;
        tail = &t->next;
    }
    return seq;
}

static re_node *parse_disjunction(re_parser *P)
{
    int start = P->nvisible;
    int *hidden = NULL, nhidden = 0;
    re_node *first = parse_alternative(P);
    if (peek(P) != '|') return first;
    re_node *alt = new_node(P, N_ALT), **tail = &first->next;
    alt->kid = first;
    while (peek(P) == '|') {
        P->pos++;
        /* Names of earlier alternatives may be reused in this one. */
        int k = P->nvisible - start;
        if (k > 0) {
            hidden = arealloc(P, hidden, nhidden * sizeof(int), (nhidden + k) * sizeof(int));
            memcpy(hidden + nhidden, P->visible + start, k * sizeof(int));
            nhidden += k;
            P->nvisible = start;
        }
        re_node *a = parse_alternative(P);
        *tail = a;
        tail = &a->next;
    }
    for (int i = 0; i < nhidden; i++) push_visible(P, hidden[i]);
    return alt;
}

int jsre_parse(const uint16_t *pat, size_t len, unsigned flags, re_parse_out *out,
               char *err, size_t errlen, int *oomp)
{
    re_parser *P = calloc(1, sizeof *P);
    if (!P) { *oomp = 1; if (errlen) snprintf(err, errlen, "out of memory"); return -1; }
    P->p = pat;
    P->len = len;
    P->flags = flags;
    P->u = (flags & (JSRE_U | JSRE_V)) != 0;
    P->v = (flags & JSRE_V) != 0;
    P->mods = ((flags & JSRE_I) ? RE_NI : 0) | ((flags & JSRE_M) ? RE_NM : 0) | ((flags & JSRE_S) ? RE_NS : 0);
    P->err = err;
    P->errlen = errlen;
    if (setjmp(P->jb)) {
        *oomp = P->oom;
        for (uint32_t i = 0; i < P->nclasses; i++) free(P->classes[i].r);
        free(P->classes);
        free(P->names);
        free(P->namelens);
        free(P->visible);
        free(P->nrefs);
        jsre_parse_free_arena(P->arena);
        free(P);
        return -1;
    }
    prescan(P);
    re_node *root = parse_disjunction(P);
    if (!at_end(P)) fail(P, peek(P) == ')' ? "unmatched ')'" : "unexpected character");
    /* Named references resolve to every group of that name. */
    for (int i = 0; i < P->nnrefs; i++) {
        re_node *b = P->nrefs[i];
        int n = 0;
        for (int g = 1; g <= P->ncap && g < P->names_cap; g++)
            if (P->names[g] && name_eq(P->names[g], P->namelens[g], b->name, b->namelen)) n++;
        if (!n) fail(P, "invalid named capture referenced");
        b->refs = amalloc(P, n * sizeof(int));
        for (int g = 1; g <= P->ncap && g < P->names_cap; g++)
            if (P->names[g] && name_eq(P->names[g], P->namelens[g], b->name, b->namelen)) b->refs[b->nrefs++] = g;
    }
    out->root = root;
    out->ncap = P->ncap + 1;
    /* names: arrays sized ncap+1 */
    out->names = calloc(P->ncap + 1, sizeof(uint16_t *));
    out->namelens = calloc(P->ncap + 1, sizeof(uint32_t));
    if (!out->names || !out->namelens) {
        free(out->names); free(out->namelens);
        fail(P, "out of memory");
    }
    for (int g = 1; g <= P->ncap; g++) {
        if (g < P->names_cap && P->names[g]) {
            uint16_t *c = malloc(P->namelens[g] * sizeof(uint16_t) + 2);
            if (!c) {
                for (int k = 1; k < g; k++) free(out->names[k]);
                free(out->names); free(out->namelens);
                oom(P);
            }
            memcpy(c, P->names[g], P->namelens[g] * sizeof(uint16_t));
            out->names[g] = c;
            out->namelens[g] = P->namelens[g];
        }
    }
    out->has_names = P->has_names;
    out->classes = P->classes;
    out->nclasses = P->nclasses;
    out->arena = P->arena;
    free(P->names);
    free(P->namelens);
    free(P->visible);
    free(P->nrefs);
    free(P);
    return 0;
}
