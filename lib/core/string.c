/*
 * string.c - string cells (flat Latin-1/UTF-16 with inline characters, ropes),
 * hashing, comparison, UTF-8 conversion, the per-runtime atom table, symbols
 * and the predefined atoms and well-known symbols. It owns the js_string
 * layout; it never touches another cell type's fields, nor gcbits.
 */
#include <stdlib.h>
#include <string.h>
#include <assert.h>

#include "string.h"
#include "gc.h"
#include "runtime.h"
#include "../vm/vm.h"

/* Concatenations up to this length are copied flat: a rope node costs as
 * much memory as 24 Latin-1 characters and slows every later read. */
#define ROPE_MIN_LEN 24
/* Ropes deeper than this are flattened at creation, which bounds every walk
 * (and its explicit stack) by this depth. */
#define MAX_ROPE_DEPTH 1000
/* Leaves up to this length absorb short appends (see jsstr_concat): longer
 * leaves cost more copying per append than a deeper rope costs later. */
#define LEAF_MERGE_MAX 64
/* Initial atom table capacity (power of two): the predefined atoms fit with room. */
#define ATOM_TABLE_MIN 1024

/* A dead atom's slot: probing continues past it. */
#define TOMBSTONE ((js_string *)(uintptr_t)1)

typedef struct atom_table {
    js_string **slots;
    uint32_t cap;       /* power of two */
    uint32_t count;     /* live entries */
    uint32_t tombs;
    js_string *chars[256];  /* single-character Latin-1 atoms, strong roots */
} atom_table;

static inline atom_table *atoms_of(js_runtime *rt) { return (atom_table *)rt->atom_table; }

/* A flattened rope's flat result; any other string itself. */
static inline js_string *resolve(js_string *s)
{
    return (s->h.flags & JS_STR_FLATTENED) ? s->u.rope.left : s;
}

static inline uint32_t rope_depth(const js_string *s)
{
    return (s->h.flags & JS_STR_ROPE) ? s->u.rope.depth : 0;
}

/* ---------------- segment iteration over ropes ---------------- */

/* Yields the flat leaves of a string left to right. The stack is bounded by
 * MAX_ROPE_DEPTH because no rope deeper than that exists. */
typedef struct seg_iter {
    int sp;
    js_string *stack[MAX_ROPE_DEPTH + 4];
} seg_iter;

static void seg_init(seg_iter *it, js_string *s)
{
    it->sp = 0;
    it->stack[it->sp++] = s;
}

static js_string *seg_next(seg_iter *it)
{
    while (it->sp > 0) {
        js_string *s = resolve(it->stack[--it->sp]);
        if (s->h.flags & JS_STR_ROPE) {
            assert(it->sp + 2 <= MAX_ROPE_DEPTH + 4);
            it->stack[it->sp++] = s->u.rope.right;
            it->stack[it->sp++] = s->u.rope.left;
            continue;
        }
        if (s->len) return s;
    }
    return NULL;
}

/* Copy the characters of any string into dst (wide or narrow; narrow only
 * when s holds no wide leaf). */
static void copy_units(js_string *s, void *dst, int wide)
{
    seg_iter it;
    size_t pos = 0;
    seg_init(&it, s);
    for (js_string *leaf; (leaf = seg_next(&it));) {
        if (!wide) {
            memcpy((uint8_t *)dst + pos, leaf->u.c8, leaf->len);
        } else if (leaf->h.flags & JS_STR_WIDE) {
            memcpy((uint16_t *)dst + pos, leaf->u.c16, (size_t)leaf->len * 2);
        } else {
            uint16_t *d = (uint16_t *)dst + pos;
            for (uint32_t i = 0; i < leaf->len; i++) d[i] = leaf->u.c8[i];
        }
        pos += leaf->len;
    }
}

/* ---------------- creation ---------------- */

static js_string *throw_too_long(js_thread *t)
{
    jsvm_throw_range_error(t, "Invalid string length");
    return NULL;
}

js_string *jsstr_alloc(js_thread *t, size_t len, int wide)
{
    if (len > JSSTR_MAX_LEN) return throw_too_long(t);
    size_t size = sizeof(js_string) + (wide ? len * 2 : len + 1);
    js_string *s = jsgc_alloc(t, size, JS_CELL_STRING);
    if (!s) return NULL;
    s->len = (uint32_t)len;
    s->h.flags = wide ? JS_STR_WIDE : 0;
    s->u.c8 = (const uint8_t *)(s + 1);
    return s;
}

uint8_t *jsstr_mut8(js_string *s) { return (uint8_t *)(s + 1); }
uint16_t *jsstr_mut16(js_string *s) { return (uint16_t *)(s + 1); }

js_string *jsstr_empty(js_thread *t)
{
    return t->rt->atoms[JS_ATOM_empty];
}

js_string *jsstr_new_latin1(js_thread *t, const uint8_t *p, size_t len)
{
    if (len == 0 && t->rt->atoms[JS_ATOM_empty]) return t->rt->atoms[JS_ATOM_empty];
    if (len == 1 && atoms_of(t->rt)->chars[p[0]]) return atoms_of(t->rt)->chars[p[0]];
    js_string *s = jsstr_alloc(t, len, 0);
    if (!s) return NULL;
    memcpy(jsstr_mut8(s), p, len);
    return s;
}

js_string *jsstr_new_utf16(js_thread *t, const uint16_t *p, size_t len)
{
    uint16_t any = 0;
    for (size_t i = 0; i < len; i++) any |= p[i];
    if (any <= 0xFF) {
        if (len == 0 && t->rt->atoms[JS_ATOM_empty]) return t->rt->atoms[JS_ATOM_empty];
        if (len == 1 && atoms_of(t->rt)->chars[p[0]]) return atoms_of(t->rt)->chars[p[0]];
        js_string *s = jsstr_alloc(t, len, 0);
        if (!s) return NULL;
        uint8_t *d = jsstr_mut8(s);
        for (size_t i = 0; i < len; i++) d[i] = (uint8_t)p[i];
        return s;
    }
    js_string *s = jsstr_alloc(t, len, 1);
    if (!s) return NULL;
    memcpy(jsstr_mut16(s), p, len * 2);
    return s;
}

/*
 * One code point from UTF-8 at *pi, advancing *pi. Invalid input gives U+FFFD
 * for each maximal subpart of an ill-formed sequence (WHATWG / Unicode 3.9
 * practice): surrogates, overlongs and out-of-range values are ill-formed.
 */
static uint32_t utf8_decode(const uint8_t *s, size_t len, size_t *pi)
{
    size_t i = *pi;
    uint32_t b = s[i++];
    if (b < 0x80) {
        *pi = i;
        return b;
    }
    uint32_t cp, need, lo = 0x80, hi = 0xBF;
    if (b >= 0xC2 && b <= 0xDF) {
        need = 1;
        cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
        if (b == 0xE0) lo = 0xA0;
        if (b == 0xED) hi = 0x9F;
        need = 2;
        cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        if (b == 0xF0) lo = 0x90;
        if (b == 0xF4) hi = 0x8F;
        need = 3;
        cp = b & 0x07;
    } else {
        *pi = i;
        return 0xFFFD;
    }
    while (need > 0) {
        if (i >= len || s[i] < lo || s[i] > hi) {
            /* The offending byte starts the next sequence. */
            *pi = i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (s[i++] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
        need--;
    }
    *pi = i;
    return cp;
}

js_string *jsstr_new_utf8(js_thread *t, const char *str, size_t len)
{
    const uint8_t *s = (const uint8_t *)str;
    size_t i = 0;
    /* ASCII prefix: the common case is all of it. */
    while (i < len && s[i] < 0x80) i++;
    if (i == len) return jsstr_new_latin1(t, s, len);
    /* First pass: length in code units and width. */
    size_t units = i;
    uint32_t maxcp = 0;
    for (size_t j = i; j < len;) {
        uint32_t cp = utf8_decode(s, len, &j);
        units += cp > 0xFFFF ? 2 : 1;
        if (cp > maxcp) maxcp = cp;
    }
    int wide = maxcp > 0xFF;
    js_string *r = jsstr_alloc(t, units, wide);
    if (!r) return NULL;
    size_t k = 0;
    if (wide) {
        uint16_t *d = jsstr_mut16(r);
        for (; k < i; k++) d[k] = s[k];
        for (size_t j = i; j < len;) {
            uint32_t cp = utf8_decode(s, len, &j);
            if (cp > 0xFFFF) {
                cp -= 0x10000;
                d[k++] = (uint16_t)(0xD800 + (cp >> 10));
                d[k++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
            } else {
                d[k++] = (uint16_t)cp;
            }
        }
    } else {
        uint8_t *d = jsstr_mut8(r);
        memcpy(d, s, i);
        k = i;
        for (size_t j = i; j < len;) d[k++] = (uint8_t)utf8_decode(s, len, &j);
    }
    assert(k == units);
    return r;
}

js_string *jsstr_new_cstr(js_thread *t, const char *s)
{
    return jsstr_new_utf8(t, s, strlen(s));
}

js_string *jsstr_from_char(js_thread *t, uint32_t c)
{
    if (c < 256 && atoms_of(t->rt)->chars[c]) return atoms_of(t->rt)->chars[c];
    if (c > 0x10FFFF) c = 0xFFFD;
    if (c > 0xFFFF) {
        uint16_t pair[2];
        c -= 0x10000;
        pair[0] = (uint16_t)(0xD800 + (c >> 10));
        pair[1] = (uint16_t)(0xDC00 + (c & 0x3FF));
        return jsstr_new_utf16(t, pair, 2);
    }
    js_string *s = jsstr_alloc(t, 1, c > 0xFF);
    if (!s) return NULL;
    if (c > 0xFF) jsstr_mut16(s)[0] = (uint16_t)c;
    else jsstr_mut8(s)[0] = (uint8_t)c;
    return s;
}

/* ---------------- ropes ---------------- */

js_string *jsstr_flatten(js_thread *t, js_string *s)
{
    if (!(s->h.flags & (JS_STR_ROPE | JS_STR_FLATTENED))) return s;
    if (s->h.flags & JS_STR_FLATTENED) return s->u.rope.left;
    int wide = (s->h.flags & JS_STR_WIDE) != 0;
    js_string *f = jsstr_alloc(t, s->len, wide);
    if (!f) return NULL;
    copy_units(s, wide ? (void *)jsstr_mut16(f) : (void *)jsstr_mut8(f), wide);
    f->h.aux = s->h.aux;   /* the hash, if known, is the same */
    /* Every holder of the rope now reaches the flat string through it, and
     * the children become garbage unless shared. */
    s->u.rope.left = f;
    s->u.rope.right = NULL;
    s->u.rope.depth = 0;
    s->h.flags = (uint16_t)((s->h.flags & ~JS_STR_ROPE) | JS_STR_FLATTENED);
    return f;
}

/* a + b for two flat strings. */
static js_string *concat_flat(js_thread *t, js_string *a, js_string *b)
{
    size_t len = (size_t)a->len + b->len;
    int wide = ((a->h.flags | b->h.flags) & JS_STR_WIDE) != 0;
    js_string *r = jsstr_alloc(t, len, wide);
    if (!r) return NULL;
    if (wide) {
        uint16_t *d = jsstr_mut16(r);
        for (uint32_t i = 0; i < a->len; i++) d[i] = (uint16_t)jsstr_at(a, i);
        for (uint32_t i = 0; i < b->len; i++) d[a->len + i] = (uint16_t)jsstr_at(b, i);
    } else {
        memcpy(jsstr_mut8(r), a->u.c8, a->len);
        memcpy(jsstr_mut8(r) + a->len, b->u.c8, b->len);
    }
    return r;
}

static js_string *new_rope(js_thread *t, js_string *a, js_string *b)
{
    js_string *r = jsgc_alloc(t, sizeof(js_string), JS_CELL_STRING);
    if (!r) return NULL;
    uint32_t da = rope_depth(a), db = rope_depth(b);
    int wide = ((a->h.flags | b->h.flags) & JS_STR_WIDE) != 0;
    r->len = a->len + b->len;
    r->h.flags = (uint16_t)(JS_STR_ROPE | (wide ? JS_STR_WIDE : 0));
    r->u.rope.left = a;
    r->u.rope.right = b;
    r->u.rope.depth = (da > db ? da : db) + 1;
    if (r->u.rope.depth > MAX_ROPE_DEPTH) return jsstr_flatten(t, r);
    return r;
}

js_string *jsstr_concat(js_thread *t, js_string *a, js_string *b)
{
    a = resolve(a);
    b = resolve(b);
    if (a->len == 0) return b;
    if (b->len == 0) return a;
    size_t len = (size_t)a->len + b->len;
    if (len > JSSTR_MAX_LEN) return throw_too_long(t);
    /* Both are flat: a rope is never this short. */
    if (len <= ROPE_MIN_LEN) return concat_flat(t, a, b);
    /* Appending (prepending) a short piece to a rope whose last (first) leaf
     * is short: merge the two leaves instead of deepening the rope, so that
     * s += x loops reach the depth limit, and its flattening, far less often. */
    if ((a->h.flags & JS_STR_ROPE) && !(b->h.flags & JS_STR_ROPE) && b->len < LEAF_MERGE_MAX) {
        js_string *ar = resolve(a->u.rope.right);
        if (!(ar->h.flags & JS_STR_ROPE) && ar->len + b->len <= LEAF_MERGE_MAX) {
            js_string *leaf = concat_flat(t, ar, b);
            return leaf ? new_rope(t, a->u.rope.left, leaf) : NULL;
        }
    }
    if ((b->h.flags & JS_STR_ROPE) && !(a->h.flags & JS_STR_ROPE) && a->len < LEAF_MERGE_MAX) {
        js_string *bl = resolve(b->u.rope.left);
        if (!(bl->h.flags & JS_STR_ROPE) && a->len + bl->len <= LEAF_MERGE_MAX) {
            js_string *leaf = concat_flat(t, a, bl);
            return leaf ? new_rope(t, leaf, b->u.rope.right) : NULL;
        }
    }
    return new_rope(t, a, b);
}

js_string *jsstr_substring(js_thread *t, js_string *s, uint32_t start, uint32_t end)
{
    if (end > s->len) end = s->len;
    if (start >= end) return jsstr_empty(t);
    if (start == 0 && end == s->len) return s;
    s = jsstr_flatten(t, s);
    if (!s) return NULL;
    if (s->h.flags & JS_STR_WIDE) return jsstr_new_utf16(t, s->u.c16 + start, end - start);
    return jsstr_new_latin1(t, s->u.c8 + start, end - start);
}

uint32_t jsstr_char_at(js_string *s, uint32_t i)
{
    assert(i < s->len);
    for (;;) {
        s = resolve(s);
        if (!(s->h.flags & JS_STR_ROPE)) return jsstr_at(s, i);
        js_string *l = s->u.rope.left;
        if (i < l->len) {
            s = l;
        } else {
            i -= l->len;
            s = s->u.rope.right;
        }
    }
}

/* ---------------- hashing and comparison ---------------- */

/* FNV-1a over code units, so both storages of a text hash alike. */
#define HASH_INIT 2166136261u
#define HASH_STEP(h, u) (((h) ^ (uint32_t)(u)) * 16777619u)

static uint32_t hash_flat(const js_string *s, uint32_t h)
{
    if (s->h.flags & JS_STR_WIDE) {
        for (uint32_t i = 0; i < s->len; i++) h = HASH_STEP(h, s->u.c16[i]);
    } else {
        for (uint32_t i = 0; i < s->len; i++) h = HASH_STEP(h, s->u.c8[i]);
    }
    return h;
}

static inline uint32_t hash_finish(uint32_t h) { return h ? h : 1; }

__attribute__((noinline))
static uint32_t hash_rope(js_string *s)
{
    seg_iter it;
    uint32_t h = HASH_INIT;
    seg_init(&it, s);
    for (js_string *leaf; (leaf = seg_next(&it));) h = hash_flat(leaf, h);
    return hash_finish(h);
}

uint32_t jsstr_hash(js_string *s)
{
    if (s->h.aux) return s->h.aux;
    js_string *f = resolve(s);
    uint32_t h;
    if (f->h.aux) h = f->h.aux;
    else if (f->h.flags & JS_STR_ROPE) h = hash_rope(f);
    else h = hash_finish(hash_flat(f, HASH_INIT));
    f->h.aux = h;
    s->h.aux = h;
    return h;
}

/* Compare n units of two flat strings at offsets: <0, 0, >0. */
static int cmp_units(const js_string *a, uint32_t ai, const js_string *b, uint32_t bi, uint32_t n)
{
    int aw = (a->h.flags & JS_STR_WIDE) != 0, bw = (b->h.flags & JS_STR_WIDE) != 0;
    if (!aw && !bw) {
        int r = memcmp(a->u.c8 + ai, b->u.c8 + bi, n);
        return r;
    }
    if (aw && bw) {
        const uint16_t *p = a->u.c16 + ai, *q = b->u.c16 + bi;
        for (uint32_t i = 0; i < n; i++)
            if (p[i] != q[i]) return (int)p[i] - (int)q[i];
        return 0;
    }
    for (uint32_t i = 0; i < n; i++) {
        uint32_t x = jsstr_at(a, ai + i), y = jsstr_at(b, bi + i);
        if (x != y) return (int)x - (int)y;
    }
    return 0;
}

/* Compare two strings (either may be a rope) over their common length. */
__attribute__((noinline))
static int cmp_ropes(js_string *a, js_string *b, uint32_t n)
{
    seg_iter ia, ib;
    seg_init(&ia, a);
    seg_init(&ib, b);
    js_string *la = seg_next(&ia), *lb = seg_next(&ib);
    uint32_t oa = 0, ob = 0;
    while (n > 0 && la && lb) {
        uint32_t k = la->len - oa;
        if (lb->len - ob < k) k = lb->len - ob;
        if (n < k) k = n;
        int r = cmp_units(la, oa, lb, ob, k);
        if (r) return r;
        n -= k;
        oa += k;
        ob += k;
        if (oa == la->len) { la = seg_next(&ia); oa = 0; }
        if (ob == lb->len) { lb = seg_next(&ib); ob = 0; }
    }
    return 0;
}

int jsstr_equal(js_string *a, js_string *b)
{
    if (a == b) return 1;
    if (a->len != b->len) return 0;
    if ((a->h.flags & b->h.flags) & JS_STR_ATOM) return 0;
    a = resolve(a);
    b = resolve(b);
    if (a == b) return 1;
    if (a->h.aux && b->h.aux && a->h.aux != b->h.aux) return 0;
    if (!((a->h.flags | b->h.flags) & JS_STR_ROPE)) return cmp_units(a, 0, b, 0, a->len) == 0;
    return cmp_ropes(a, b, a->len) == 0;
}

int jsstr_compare(js_string *a, js_string *b)
{
    if (a == b) return 0;
    a = resolve(a);
    b = resolve(b);
    uint32_t n = a->len < b->len ? a->len : b->len;
    int r;
    if (!((a->h.flags | b->h.flags) & JS_STR_ROPE)) r = cmp_units(a, 0, b, 0, n);
    else r = cmp_ropes(a, b, n);
    if (r) return r < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len ? 1 : 0;
}

int jsstr_equal_cstr(js_string *a, const char *ascii)
{
    size_t n = strlen(ascii);
    if (a->len != n) return 0;
    a = resolve(a);
    if (a->h.flags & JS_STR_ROPE) {
        for (uint32_t i = 0; i < n; i++)
            if (jsstr_char_at(a, i) != (uint8_t)ascii[i]) return 0;
        return 1;
    }
    if (!(a->h.flags & JS_STR_WIDE)) return memcmp(a->u.c8, ascii, n) == 0;
    for (uint32_t i = 0; i < n; i++)
        if (a->u.c16[i] != (uint8_t)ascii[i]) return 0;
    return 1;
}

/* ---------------- UTF-8 out ---------------- */

/* Walks the units of s, pairing surrogates even across leaves; writes to out
 * when non-NULL. Returns the byte count. */
__attribute__((noinline))
static size_t utf8_encode(js_string *s, char *out)
{
    seg_iter it;
    size_t n = 0;
    uint32_t pending = 0;   /* a high surrogate waiting for its low half */
    uint8_t *o = (uint8_t *)out;
    seg_init(&it, s);
    for (js_string *leaf; (leaf = seg_next(&it));) {
        int wide = (leaf->h.flags & JS_STR_WIDE) != 0;
        for (uint32_t i = 0; i < leaf->len; i++) {
            uint32_t c = wide ? leaf->u.c16[i] : leaf->u.c8[i];
            if (pending) {
                if (c >= 0xDC00 && c <= 0xDFFF) {
                    c = 0x10000 + ((pending - 0xD800) << 10) + (c - 0xDC00);
                    pending = 0;
                    if (o) {
                        o[n] = (uint8_t)(0xF0 | (c >> 18));
                        o[n + 1] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
                        o[n + 2] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
                        o[n + 3] = (uint8_t)(0x80 | (c & 0x3F));
                    }
                    n += 4;
                    continue;
                }
                if (o) { o[n] = 0xEF; o[n + 1] = 0xBF; o[n + 2] = 0xBD; }
                n += 3;
                pending = 0;
            }
            if (c >= 0xD800 && c <= 0xDBFF) {
                pending = c;
                continue;
            }
            if (c >= 0xDC00 && c <= 0xDFFF) c = 0xFFFD;
            if (c < 0x80) {
                if (o) o[n] = (uint8_t)c;
                n += 1;
            } else if (c < 0x800) {
                if (o) { o[n] = (uint8_t)(0xC0 | (c >> 6)); o[n + 1] = (uint8_t)(0x80 | (c & 0x3F)); }
                n += 2;
            } else {
                if (o) {
                    o[n] = (uint8_t)(0xE0 | (c >> 12));
                    o[n + 1] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
                    o[n + 2] = (uint8_t)(0x80 | (c & 0x3F));
                }
                n += 3;
            }
        }
    }
    if (pending) {
        if (o) { o[n] = 0xEF; o[n + 1] = 0xBF; o[n + 2] = 0xBD; }
        n += 3;
    }
    return n;
}

char *jsstr_to_utf8(js_string *s, size_t *len_out)
{
    js_string *f = resolve(s);
    char *buf;
    size_t n;
    if (!(f->h.flags & (JS_STR_ROPE | JS_STR_WIDE))) {
        /* Latin-1: ASCII copies straight through. */
        uint32_t i = 0;
        while (i < f->len && f->u.c8[i] < 0x80) i++;
        if (i == f->len) {
            buf = malloc((size_t)f->len + 1);
            if (!buf) return NULL;
            memcpy(buf, f->u.c8, f->len);
            buf[f->len] = 0;
            if (len_out) *len_out = f->len;
            return buf;
        }
    }
    n = utf8_encode(f, NULL);
    buf = malloc(n + 1);
    if (!buf) return NULL;
    utf8_encode(f, buf);
    buf[n] = 0;
    if (len_out) *len_out = n;
    return buf;
}

/* ---------------- array indices ---------------- */

int jsstr_is_array_index(js_string *s, uint32_t *idx)
{
    if (s->h.flags & JS_STR_INDEX) {
        *idx = s->index;
        return 1;
    }
    if (s->h.flags & JS_STR_NOINDEX) return 0;
    js_string *f = resolve(s);
    uint32_t len = f->len;
    int ok = 0;
    uint64_t v = 0;
    if (len >= 1 && len <= 10 && !(f->h.flags & JS_STR_ROPE)) {
        uint32_t c0 = jsstr_at(f, 0);
        if (c0 >= '0' && c0 <= '9' && (c0 != '0' || len == 1)) {
            ok = 1;
            for (uint32_t i = 0; i < len; i++) {
                uint32_t c = jsstr_at(f, i);
                if (c < '0' || c > '9') { ok = 0; break; }
                v = v * 10 + (c - '0');
            }
            if (v > 4294967294u) ok = 0;
        }
    }
    if (ok) {
        s->index = (uint32_t)v;
        s->h.flags |= JS_STR_INDEX;
        *idx = (uint32_t)v;
        return 1;
    }
    s->h.flags |= JS_STR_NOINDEX;
    return 0;
}

/* ---------------- atoms ---------------- */

static int flat_equals_units(const js_string *a, const void *p, size_t len, int wide)
{
    if (a->len != len) return 0;
    if (!wide) {
        const uint8_t *q = p;
        if (!(a->h.flags & JS_STR_WIDE)) return memcmp(a->u.c8, q, len) == 0;
        for (size_t i = 0; i < len; i++) if (a->u.c16[i] != q[i]) return 0;
        return 1;
    }
    const uint16_t *q = p;
    if (a->h.flags & JS_STR_WIDE) return memcmp(a->u.c16, q, len * 2) == 0;
    for (size_t i = 0; i < len; i++) if (a->u.c8[i] != q[i]) return 0;
    return 1;
}

/* The atom with these units, or NULL. */
static js_string *atom_find(atom_table *tab, uint32_t hash, const void *p, size_t len, int wide)
{
    uint32_t mask = tab->cap - 1;
    for (uint32_t i = hash & mask;; i = (i + 1) & mask) {
        js_string *a = tab->slots[i];
        if (!a) return NULL;
        if (a != TOMBSTONE && a->h.aux == hash && flat_equals_units(a, p, len, wide)) return a;
    }
}

static void atom_place(atom_table *tab, js_string *a)
{
    uint32_t mask = tab->cap - 1;
    uint32_t i = a->h.aux & mask;
    while (tab->slots[i] && tab->slots[i] != TOMBSTONE) i = (i + 1) & mask;
    if (tab->slots[i] == TOMBSTONE) tab->tombs--;
    tab->slots[i] = a;
    tab->count++;
}

/* Make room for one more atom: rehash when live entries plus tombstones
 * would pass 3/4 of the table. */
static int atom_reserve(js_thread *t, atom_table *tab)
{
    if ((size_t)(tab->count + tab->tombs + 1) * 4 <= (size_t)tab->cap * 3) return 0;
    uint32_t ncap = ATOM_TABLE_MIN;
    while ((size_t)ncap < (size_t)(tab->count + 1) * 2) ncap *= 2;
    js_string **ns = calloc(ncap, sizeof *ns);
    if (!ns) {
        jsvm_throw_out_of_memory(t);
        return -1;
    }
    js_string **old = tab->slots;
    uint32_t ocap = tab->cap;
    tab->slots = ns;
    tab->cap = ncap;
    tab->count = 0;
    tab->tombs = 0;
    for (uint32_t i = 0; i < ocap; i++)
        if (old[i] && old[i] != TOMBSTONE) atom_place(tab, old[i]);
    free(old);
    return 0;
}

/* Insert flat, non-atom string f (known absent) as an atom. */
static js_string *atom_insert(js_thread *t, js_string *f)
{
    atom_table *tab = atoms_of(t->rt);
    if (atom_reserve(t, tab) < 0) return NULL;
    jsstr_hash(f);
    uint32_t idx;
    jsstr_is_array_index(f, &idx);
    f->h.flags |= JS_STR_ATOM;
    atom_place(tab, f);
    return f;
}

js_string *jsstr_intern(js_thread *t, js_string *s)
{
    if (s->h.flags & JS_STR_ATOM) return s;
    js_string *f = jsstr_flatten(t, s);
    if (!f) return NULL;
    if (f->h.flags & JS_STR_ATOM) return f;
    atom_table *tab = atoms_of(t->rt);
    uint32_t h = jsstr_hash(f);
    int wide = (f->h.flags & JS_STR_WIDE) != 0;
    js_string *a = atom_find(tab, h, wide ? (const void *)f->u.c16 : (const void *)f->u.c8, f->len, wide);
    if (a) return a;
    if (wide) {
        /* Atoms use the narrow form whenever the text allows it. */
        uint16_t any = 0;
        for (uint32_t i = 0; i < f->len; i++) any |= f->u.c16[i];
        if (any <= 0xFF) {
            f = jsstr_new_utf16(t, f->u.c16, f->len);
            if (!f) return NULL;
            if (f->h.flags & JS_STR_ATOM) return f;   /* a shared single-char atom */
        }
    }
    return atom_insert(t, f);
}

js_string *jsstr_atom(js_thread *t, const char *ascii)
{
    size_t len = strlen(ascii);
    const uint8_t *p = (const uint8_t *)ascii;
    uint32_t h = HASH_INIT;
    for (size_t i = 0; i < len; i++) {
        if (p[i] >= 0x80) {
            js_string *s = jsstr_new_utf8(t, ascii, len);
            return s ? jsstr_intern(t, s) : NULL;
        }
        h = HASH_STEP(h, p[i]);
    }
    h = hash_finish(h);
    js_string *a = atom_find(atoms_of(t->rt), h, p, len, 0);
    if (a) return a;
    js_string *s = jsstr_new_latin1(t, p, len);
    if (!s) return NULL;
    if (s->h.flags & JS_STR_ATOM) return s;
    return atom_insert(t, s);
}

void jsstr_sweep_atoms(js_runtime *rt)
{
    atom_table *tab = atoms_of(rt);
    if (!tab) return;
    for (uint32_t i = 0; i < tab->cap; i++) {
        js_string *a = tab->slots[i];
        if (a && a != TOMBSTONE && !jsgc_is_live(a)) {
            tab->slots[i] = TOMBSTONE;
            tab->count--;
            tab->tombs++;
        }
    }
}

/* ---------------- symbols ---------------- */

js_symbol *jssym_new(js_thread *t, jsv description)
{
    js_symbol *s = jsgc_alloc(t, sizeof(js_symbol), JS_CELL_SYMBOL);
    if (!s) return NULL;
    s->description = description;
    return s;
}

/* ---------------- GC hooks and runtime set-up ---------------- */

void jsstr_trace(js_gc_tracer *trc, js_string *s)
{
    if (s->h.flags & JS_STR_ROPE) {
        jsgc_mark_cell(trc, s->u.rope.left);
        jsgc_mark_cell(trc, s->u.rope.right);
    } else if (s->h.flags & JS_STR_FLATTENED) {
        jsgc_mark_cell(trc, s->u.rope.left);
    }
}

void jsstr_trace_roots(js_gc_tracer *trc, js_runtime *rt)
{
    atom_table *tab = atoms_of(rt);
    if (!tab) return;
    for (int i = 0; i < 256; i++) jsgc_mark_cell(trc, tab->chars[i]);
}

static const char *const atom_texts[JS_ATOM_COUNT] = {
#define JS_ATOM_DEF(id, str) str,
#include "atoms.def"
#undef JS_ATOM_DEF
};

static const char *const wks_names[JS_WKS_COUNT] = {
    "Symbol.asyncIterator", "Symbol.hasInstance", "Symbol.isConcatSpreadable", "Symbol.iterator",
    "Symbol.match", "Symbol.matchAll", "Symbol.replace", "Symbol.search", "Symbol.species",
    "Symbol.split", "Symbol.toPrimitive", "Symbol.toStringTag", "Symbol.unscopables",
    "Symbol.dispose", "Symbol.asyncDispose", "Symbol.metadata",
};

int jsstr_init_runtime(js_thread *t)
{
    js_runtime *rt = t->rt;
    atom_table *tab = calloc(1, sizeof *tab);
    if (!tab) return -1;
    tab->slots = calloc(ATOM_TABLE_MIN, sizeof *tab->slots);
    if (!tab->slots) {
        free(tab);
        return -1;
    }
    tab->cap = ATOM_TABLE_MIN;
    rt->atom_table = tab;
    for (int i = 0; i < JS_ATOM_COUNT; i++) {
        rt->atoms[i] = jsstr_atom(t, atom_texts[i]);
        if (!rt->atoms[i]) return -1;
    }
    for (int c = 0; c < 256; c++) {
        js_string *s = jsstr_alloc(t, 1, 0);
        if (!s) return -1;
        jsstr_mut8(s)[0] = (uint8_t)c;
        s = jsstr_intern(t, s);
        if (!s) return -1;
        tab->chars[c] = s;
    }
    for (int i = 0; i < JS_WKS_COUNT; i++) {
        js_string *d = jsstr_new_cstr(t, wks_names[i]);
        if (!d) return -1;
        rt->wk_symbols[i] = jssym_new(t, jsv_string(d));
        if (!rt->wk_symbols[i]) return -1;
    }
    return 0;
}

void jsstr_free_runtime(js_runtime *rt)
{
    atom_table *tab = atoms_of(rt);
    if (!tab) return;
    free(tab->slots);
    free(tab);
    rt->atom_table = NULL;
}
