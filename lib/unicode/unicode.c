/*
 * unicode.c - lookups over the generated Unicode 17 tables (tables_*.c):
 * identifier classes, white space, case mapping and folding, property
 * escapes, and normalization (NFC, NFD, NFKC, NFKD).
 * Reads const tables only; allocates only the normalization result (malloc).
 */
#include <stdlib.h>
#include <string.h>
#include "unicode.h"
#include "tables.h"

/* ---- ranges and pairs ---- */

int jsuni_in_ranges(const uint32_t *r, uint32_t n, uint32_t c)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (c < r[2 * mid]) hi = mid;
        else if (c > r[2 * mid + 1]) lo = mid + 1;
        else return 1;
    }
    return 0;
}

static int pair_find(const uint32_t (*t)[2], unsigned n, uint32_t c, uint32_t *out)
{
    unsigned lo = 0, hi = n;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (t[mid][0] < c) lo = mid + 1;
        else hi = mid;
    }
    if (lo < n && t[lo][0] == c) { *out = t[lo][1]; return 1; }
    return 0;
}

static const uint32_t *quad_find(const uint32_t (*t)[4], unsigned n, uint32_t c)
{
    unsigned lo = 0, hi = n;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        if (t[mid][0] < c) lo = mid + 1;
        else hi = mid;
    }
    return (lo < n && t[lo][0] == c) ? t[lo] : NULL;
}

int jsuni_lookup(char kind, const char *name, const uint32_t **ranges, uint32_t *n)
{
    unsigned lo = 0, hi = jsuni_prop_index_count;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        const jsuni_prop_entry *e = &jsuni_prop_index[mid];
        int c = e->kind != kind ? (e->kind < kind ? -1 : 1) : strcmp(e->name, name);
        if (c == 0) { *ranges = e->ranges; *n = e->n; return 1; }
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

static int has_prop(char kind, const char *name, uint32_t c)
{
    const uint32_t *r;
    uint32_t n;
    return jsuni_lookup(kind, name, &r, &n) && jsuni_in_ranges(r, n, c);
}

/* ---- identifiers and white space ---- */

int jsuni_is_id_start(uint32_t c)
{
    if (c < 128) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    return has_prop('B', "ID_Start", c);
}

int jsuni_is_id_continue(uint32_t c)
{
    if (c < 128) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    return has_prop('B', "ID_Continue", c);
}

int jsuni_is_space(uint32_t c)
{
    /* ECMA-262 WhiteSpace: TAB VT FF ZWNBSP and any Zs. */
    if (c < 128) return c == 0x09 || c == 0x0B || c == 0x0C || c == 0x20;
    if (c == 0xFEFF) return 1;
    return has_prop('G', "Zs", c);
}

int jsuni_is_line_terminator(uint32_t c)
{
    return c == 0x0A || c == 0x0D || c == 0x2028 || c == 0x2029;
}

/* ---- case ---- */

uint32_t jsuni_to_upper_simple(uint32_t c)
{
    uint32_t m;
    if (c < 128) return (c >= 'a' && c <= 'z') ? c - 32 : c;
    return pair_find(jsuni_upper, jsuni_upper_count, c, &m) ? m : c;
}

uint32_t jsuni_to_lower_simple(uint32_t c)
{
    uint32_t m;
    if (c < 128) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    return pair_find(jsuni_lower, jsuni_lower_count, c, &m) ? m : c;
}

int jsuni_to_upper_full(uint32_t c, uint32_t out[3])
{
    const uint32_t *q = c < 128 ? NULL : quad_find(jsuni_full_upper, jsuni_full_upper_count, c);
    if (!q) { out[0] = jsuni_to_upper_simple(c); return 1; }
    out[0] = q[1]; out[1] = q[2]; out[2] = q[3];
    return q[3] ? 3 : q[2] ? 2 : 1;
}

int jsuni_to_lower_full(uint32_t c, uint32_t out[3])
{
    const uint32_t *q = c < 128 ? NULL : quad_find(jsuni_full_lower, jsuni_full_lower_count, c);
    if (!q) { out[0] = jsuni_to_lower_simple(c); return 1; }
    out[0] = q[1]; out[1] = q[2]; out[2] = q[3];
    return q[3] ? 3 : q[2] ? 2 : 1;
}

uint32_t jsuni_fold_simple(uint32_t c)
{
    uint32_t m;
    if (c < 128) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
    return pair_find(jsuni_fold, jsuni_fold_count, c, &m) ? m : c;
}

int jsuni_is_cased(uint32_t c) { return has_prop('B', "Cased", c); }
int jsuni_is_case_ignorable(uint32_t c) { return has_prop('B', "Case_Ignorable", c); }

/* ---- normalization (UAX #15) ---- */

enum { SBASE = 0xAC00, LBASE = 0x1100, VBASE = 0x1161, TBASE = 0x11A7,
       LCOUNT = 19, VCOUNT = 21, TCOUNT = 28, NCOUNT = VCOUNT * TCOUNT, SCOUNT = LCOUNT * NCOUNT };

static unsigned ccc_of(uint32_t c)
{
    uint32_t m;
    if (c < 0x300) return 0;
    return pair_find(jsuni_ccc, jsuni_ccc_count, c, &m) ? m : 0;
}

typedef struct cpbuf { uint32_t *v; size_t n, cap; } cpbuf;

static int push(cpbuf *b, uint32_t c)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 64;
        uint32_t *v = realloc(b->v, cap * sizeof *v);
        if (!v) return -1;
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = c;
    return 0;
}

/* Full recursive decomposition of one code point; depth is bounded by the
 * data (mappings nest a few levels at most). */
static int decompose(cpbuf *b, uint32_t c, int compat)
{
    if (c >= SBASE && c < SBASE + SCOUNT) {
        uint32_t s = c - SBASE;
        if (push(b, LBASE + s / NCOUNT) < 0 || push(b, VBASE + (s % NCOUNT) / TCOUNT) < 0) return -1;
        if (s % TCOUNT && push(b, TBASE + s % TCOUNT) < 0) return -1;
        return 0;
    }
    uint32_t m;
    if (c >= 0xA0 && pair_find(jsuni_decomp, jsuni_decomp_count, c, &m) && (compat || !(m >> 31))) {
        uint32_t off = (m >> 5) & 0x3FFFFFF, len = m & 31;
        for (uint32_t i = 0; i < len; i++)
            if (decompose(b, jsuni_decomp_pool[off + i], compat) < 0) return -1;
        return 0;
    }
    return push(b, c);
}

static uint32_t compose_pair(uint32_t a, uint32_t b)
{
    if (a >= LBASE && a < LBASE + LCOUNT && b >= VBASE && b < VBASE + VCOUNT)
        return SBASE + ((a - LBASE) * VCOUNT + (b - VBASE)) * TCOUNT;
    if (a >= SBASE && a < SBASE + SCOUNT && (a - SBASE) % TCOUNT == 0 && b > TBASE && b < TBASE + TCOUNT)
        return a + (b - TBASE);
    unsigned lo = 0, hi = jsuni_comp_count;
    while (lo < hi) {
        unsigned mid = (lo + hi) / 2;
        const uint32_t *e = jsuni_comp[mid];
        if (e[0] < a || (e[0] == a && e[1] < b)) lo = mid + 1;
        else hi = mid;
    }
    if (lo < jsuni_comp_count && jsuni_comp[lo][0] == a && jsuni_comp[lo][1] == b) return jsuni_comp[lo][2];
    return 0;
}

int jsuni_normalize(const uint32_t *in, size_t n, int form, uint32_t **out, size_t *out_len)
{
    cpbuf b = { 0 };
    int compat = (form == JSUNI_NFKC || form == JSUNI_NFKD);
    for (size_t i = 0; i < n; i++)
        if (decompose(&b, in[i], compat) < 0) goto oom;
    /* Canonical ordering: stable insertion sort of each run of non-starters. */
    for (size_t i = 1; i < b.n; i++) {
        unsigned c = ccc_of(b.v[i]);
        if (!c) continue;
        size_t j = i;
        uint32_t x = b.v[i];
        while (j > 0 && ccc_of(b.v[j - 1]) > c) { b.v[j] = b.v[j - 1]; j--; }
        b.v[j] = x;
    }
    if (form == JSUNI_NFC || form == JSUNI_NFKC) {
        size_t starter = 0, w = 0;
        int have_starter = 0;
        unsigned last_ccc = 0;
        for (size_t i = 0; i < b.n; i++) {
            uint32_t c = b.v[i];
            unsigned cc = ccc_of(c);
            if (have_starter) {
                int blocked = (w > starter + 1) && (last_ccc == 0 || last_ccc >= cc);
                uint32_t comp = blocked ? 0 : compose_pair(b.v[starter], c);
                if (comp) { b.v[starter] = comp; continue; }
            }
            if (cc == 0) { starter = w; have_starter = 1; last_ccc = 0; }
            else last_ccc = cc;
            b.v[w++] = c;
        }
        b.n = w;
    }
    *out = b.v ? b.v : malloc(sizeof(uint32_t));
    if (!*out) return -1;
    *out_len = b.n;
    return 0;
oom:
    free(b.v);
    return -1;
}
