/*
 * bigint.c - BigInt cells (sign + magnitude in GMP limbs) and the operations of
 * ECMA-262 6.1.6.2 on top of GMP's mpn layer.
 * Owns the js_bigint layout; allocates cells only through jsgc_alloc and
 * scratch only through jsgc_malloc. Never touches other cell types.
 */
#include <string.h>
#include <math.h>
#include <assert.h>
#include <gmp.h>
#include "bigint.h"
#include "gc.h"
#include "runtime.h"
#include "string.h"
#include "../vm/vm.h"

/* Largest magnitude we build: 2^26 bits (8 MiB of limbs) keeps runaway
 * exponentiation or shifts from exhausting memory; V8 allows 2^30. */
#define BIG_MAX_BITS   (UINT64_C(1) << 26)
#define LIMB_BITS      GMP_NUMB_BITS
#define BIG_MAX_LIMBS  ((size_t)(BIG_MAX_BITS / LIMB_BITS))
#define BIG_NEG        0x1

static inline int big_neg(const js_bigint *b) { return (b->h.flags & BIG_NEG) != 0; }

static void *big_too_large(js_thread *t)
{
    jsvm_throw_range_error(t, "Maximum BigInt size exceeded");
    return NULL;
}

/* A cell with room for n limbs; len = n until big_fix trims it. */
static js_bigint *big_new(js_thread *t, size_t n)
{
    if (n > BIG_MAX_LIMBS + 1) return big_too_large(t);
    js_bigint *b = jsgc_alloc(t, sizeof(js_bigint) + n * sizeof(mp_limb_t), JS_CELL_BIGINT);
    if (!b) return NULL;
    b->len = (uint32_t)n;
    return b;
}

/* Normalize: drop high zero limbs, zero is never negative. */
static js_bigint *big_fix(js_bigint *b, int neg)
{
    uint32_t n = b->len;
    while (n > 0 && b->limbs[n - 1] == 0) n--;
    b->len = n;
    b->h.flags = (uint16_t)((neg && n) ? BIG_NEG : 0);
    return b;
}

static js_bigint *big_copy(js_thread *t, const js_bigint *a, int neg)
{
    js_bigint *r = big_new(t, a->len);
    if (!r) return NULL;
    if (a->len) memcpy(r->limbs, a->limbs, a->len * sizeof(mp_limb_t));
    return big_fix(r, neg);
}

static uint64_t big_bitlen(const js_bigint *a)
{
    if (a->len == 0) return 0;
    mp_limb_t top = a->limbs[a->len - 1];
    int b = 0;
    while (top) { b++; top >>= 1; }
    return (uint64_t)(a->len - 1) * LIMB_BITS + (uint64_t)b;
}

/* ---- construction ---- */

static js_bigint *big_from_mag64(js_thread *t, uint64_t m, int neg)
{
#if GMP_NUMB_BITS >= 64
    js_bigint *b = big_new(t, 1);
    if (!b) return NULL;
    b->limbs[0] = (mp_limb_t)m;
#else
    js_bigint *b = big_new(t, 2);
    if (!b) return NULL;
    b->limbs[0] = (mp_limb_t)m;
    b->limbs[1] = (mp_limb_t)(m >> 32);
#endif
    return big_fix(b, neg);
}

js_bigint *jsbig_from_int64(js_thread *t, int64_t v)
{
    return big_from_mag64(t, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0);
}

js_bigint *jsbig_from_uint64(js_thread *t, uint64_t v)
{
    return big_from_mag64(t, v, 0);
}

js_bigint *jsbig_from_double(js_thread *t, double d)
{
    if (!isfinite(d) || d != trunc(d)) {
        jsvm_throw_range_error(t, "The number %.17g cannot be converted to a BigInt because it is not an integer", d);
        return NULL;
    }
    int neg = d < 0;
    d = fabs(d);
    if (d < 18446744073709551616.0) return big_from_mag64(t, (uint64_t)d, neg);
    int e;
    double m = frexp(d, &e);                  /* d = m * 2^e, 0.5 <= m < 1 */
    uint64_t f = (uint64_t)ldexp(m, 53);      /* exact: 53-bit significand */
    e -= 53;
    size_t bits = 53 + (size_t)e;
    size_t n = (bits + LIMB_BITS - 1) / LIMB_BITS + 1;
    js_bigint *b = big_new(t, n);
    if (!b) return NULL;
    memset(b->limbs, 0, n * sizeof(mp_limb_t));
    size_t word = (size_t)e / LIMB_BITS;
    unsigned sh = (unsigned)e % LIMB_BITS;
#if GMP_NUMB_BITS >= 64
    b->limbs[word] = (mp_limb_t)(f << sh);
    if (sh) b->limbs[word + 1] = (mp_limb_t)(f >> (64 - sh));
#else
    mp_limb_t tmp[3] = { (mp_limb_t)f, (mp_limb_t)(f >> 32), 0 };
    if (sh) mpn_lshift(tmp, tmp, 3, sh);
    for (int i = 0; i < 3 && word + i < n; i++) b->limbs[word + i] = tmp[i];
#endif
    return big_fix(b, neg);
}

static int is_js_space(const unsigned char *s, size_t len, size_t *w)
{
    unsigned c = s[0];
    if (c == ' ' || (c >= 9 && c <= 13)) { *w = 1; return 1; }
    if (c == 0xA0) { *w = 1; return 1; }                 /* Latin-1 NBSP */
    if (c == 0xC2 && len >= 2 && s[1] == 0xA0) { *w = 2; return 1; }
    if (c == 0xE1 && len >= 3 && s[1] == 0x9A && s[2] == 0x80) { *w = 3; return 1; }   /* U+1680 */
    if (c == 0xE2 && len >= 3) {
        unsigned c1 = s[1], c2 = s[2];
        if (c1 == 0x80 && ((c2 >= 0x80 && c2 <= 0x8A) || c2 == 0xA8 || c2 == 0xA9 || c2 == 0xAF)) { *w = 3; return 1; }
        if (c1 == 0x81 && c2 == 0x9F) { *w = 3; return 1; }     /* U+205F */
    }
    if (c == 0xE3 && len >= 3 && s[1] == 0x80 && s[2] == 0x80) { *w = 3; return 1; }   /* U+3000 */
    if (c == 0xEF && len >= 3 && s[1] == 0xBB && s[2] == 0xBF) { *w = 3; return 1; }   /* U+FEFF */
    return 0;
}

static int digit_val(unsigned c)
{
    if (c >= '0' && c <= '9') return (int)(c - '0');
    if (c >= 'a' && c <= 'z') return (int)(c - 'a' + 10);
    if (c >= 'A' && c <= 'Z') return (int)(c - 'A' + 10);
    return 99;
}

/* Digits s[0..len) in radix (already validated, '_' skipped) to a cell. */
static js_bigint *big_from_digits(js_thread *t, const char *s, size_t len, int radix, int neg)
{
    while (len > 0 && (*s == '0' || *s == '_')) { s++; len--; }
    size_t nd = 0;
    for (size_t i = 0; i < len; i++) if (s[i] != '_') nd++;
    if (nd == 0) return big_from_mag64(t, 0, 0);
    int lg = 1;
    while ((1 << lg) < radix) lg++;            /* ceil(log2 radix) bits per digit */
    if ((uint64_t)nd * (uint64_t)lg > BIG_MAX_BITS + 64) return big_too_large(t);
    unsigned char *dig = jsgc_malloc(t, nd);
    if (!dig) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < len; i++) if (s[i] != '_') dig[k++] = (unsigned char)digit_val((unsigned char)s[i]);
    size_t n = (size_t)(((uint64_t)nd * (uint64_t)lg) / LIMB_BITS) + 2;
    js_bigint *b = big_new(t, n);
    if (!b) { jsgc_free(t->rt, dig, nd); return NULL; }
    mp_size_t rn = mpn_set_str(b->limbs, dig, nd, radix);
    jsgc_free(t->rt, dig, nd);
    b->len = (uint32_t)rn;
    return big_fix(b, neg);
}

js_bigint *jsbig_from_string(js_thread *t, const char *str, size_t len, int radix)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t w;
    int neg = 0;
    if (radix == 0) {
        while (len > 0 && is_js_space(s, len, &w)) { s += w; len -= w; }
        while (len > 0) {
            size_t i;
            /* Trailing whitespace: the longest (UTF-8) encodings first, so a
             * UTF-8 NBSP is not mistaken for a Latin-1 one. */
            for (i = 3; i >= 1; i--)
                if (i <= len && is_js_space(s + len - i, i, &w) && w == i) break;
            if (i == 0) break;
            len -= i;
        }
        if (len == 0) return big_from_mag64(t, 0, 0);
        radix = 10;
        if (len >= 2 && s[0] == '0') {
            unsigned c = s[1] | 0x20;
            if (c == 'x') radix = 16;
            else if (c == 'o') radix = 8;
            else if (c == 'b') radix = 2;
            if (radix != 10) {
                s += 2; len -= 2;
                if (len == 0) return NULL;
            }
        }
        if (radix == 10 && (s[0] == '+' || s[0] == '-')) {
            neg = s[0] == '-';
            s++; len--;
            if (len == 0) return NULL;
        }
    } else {
        if (radix < 2 || radix > 36) return NULL;
        if (len > 0 && (s[0] == '+' || s[0] == '-')) { neg = s[0] == '-'; s++; len--; }
        if (len == 0) return NULL;
    }
    for (size_t i = 0; i < len; i++)
        if (digit_val(s[i]) >= radix) return NULL;
    return big_from_digits(t, (const char *)s, len, radix, neg);
}

js_bigint *jsbig_from_literal(js_thread *t, const char *s, size_t len)
{
    int radix = 10;
    if (len >= 2 && s[0] == '0') {
        unsigned c = (unsigned char)s[1] | 0x20;
        if (c == 'x') radix = 16;
        else if (c == 'o') radix = 8;
        else if (c == 'b') radix = 2;
        if (radix != 10) { s += 2; len -= 2; }
    }
    size_t nd = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '_') continue;
        if (digit_val((unsigned char)s[i]) >= radix) {
            jsvm_throw_syntax_error(t, "Invalid BigInt literal");
            return NULL;
        }
        nd++;
    }
    if (nd == 0) {
        jsvm_throw_syntax_error(t, "Invalid BigInt literal");
        return NULL;
    }
    return big_from_digits(t, s, len, radix, 0);
}

/* ---- conversion out ---- */

js_string *jsbig_to_string(js_thread *t, js_bigint *b, int radix)
{
    static const char chars[] = "0123456789abcdefghijklmnopqrstuvwxyz";
    if (radix < 2 || radix > 36) radix = 10;
    if (b->len == 0) return jsstr_new_latin1(t, (const uint8_t *)"0", 1);
    int neg = big_neg(b);
    if (b->len == 1) {
        char tmp[72];
        int n = sizeof tmp;
        mp_limb_t v = b->limbs[0];
        while (v) { tmp[--n] = chars[v % (mp_limb_t)radix]; v /= (mp_limb_t)radix; }
        if (neg) tmp[--n] = '-';
        return jsstr_new_latin1(t, (const uint8_t *)tmp + n, sizeof tmp - (size_t)n);
    }
    int lg = 0;                                /* floor(log2 radix) */
    while ((2 << lg) <= radix) lg++;
    size_t cap = (size_t)(big_bitlen(b) / (uint64_t)lg) + 3;
    /* One block: digits (plus a '-'), then the limb copy mpn_get_str clobbers,
     * at an aligned offset. */
    size_t off = (cap + sizeof(mp_limb_t)) / sizeof(mp_limb_t) * sizeof(mp_limb_t);
    size_t scratch = off + b->len * sizeof(mp_limb_t);
    unsigned char *buf = jsgc_malloc(t, scratch);
    if (!buf) return NULL;
    mp_limb_t *copy = (mp_limb_t *)(void *)(buf + off);
    memcpy(copy, b->limbs, b->len * sizeof(mp_limb_t));
    unsigned char *str = buf + 1;              /* room for '-' */
    size_t n = mpn_get_str(str, radix, copy, b->len);
    size_t lead = 0;
    while (lead < n - 1 && str[lead] == 0) lead++;
    for (size_t i = lead; i < n; i++) str[i] = (unsigned char)chars[str[i]];
    unsigned char *start = str + lead;
    if (neg) *--start = '-';
    js_string *r = jsstr_new_latin1(t, start, (size_t)(str + n - start));
    jsgc_free(t->rt, buf, scratch);
    return r;
}

double jsbig_to_double(js_bigint *b)
{
    if (b->len == 0) return 0.0;
    uint64_t bits = big_bitlen(b);
    double r;
    if (bits > 1025) {
        r = INFINITY;
    } else {
        /* The top 64 bits, with every lower bit folded into a sticky bit so the
         * hardware's uint64 -> double rounding (to nearest even) is exact. */
        uint64_t top = 0;
        int sticky = 0;
        uint64_t lowbits = bits > 64 ? bits - 64 : 0;
        for (uint64_t i = 0; i < 64 && i < bits; i++) {
            uint64_t bit = lowbits + i;
            mp_limb_t l = b->limbs[bit / LIMB_BITS];
            top |= (uint64_t)((l >> (bit % LIMB_BITS)) & 1) << i;
        }
        for (uint64_t w = 0; w < lowbits / LIMB_BITS && !sticky; w++)
            if (b->limbs[w]) sticky = 1;
        if (!sticky && lowbits % LIMB_BITS) {
            mp_limb_t l = b->limbs[lowbits / LIMB_BITS];
            if (l & (((mp_limb_t)1 << (lowbits % LIMB_BITS)) - 1)) sticky = 1;
        }
        if (sticky) top |= 1;
        r = ldexp((double)top, (int)lowbits);
    }
    return big_neg(b) ? -r : r;
}

static uint64_t big_low64(const js_bigint *b)
{
    if (b->len == 0) return 0;
#if GMP_NUMB_BITS >= 64
    return (uint64_t)b->limbs[0];
#else
    return (uint64_t)b->limbs[0] | (b->len > 1 ? (uint64_t)b->limbs[1] << 32 : 0);
#endif
}

uint64_t jsbig_to_uint64(js_bigint *b)
{
    uint64_t m = big_low64(b);
    return big_neg(b) ? (uint64_t)0 - m : m;
}

int64_t jsbig_to_int64(js_bigint *b)
{
    return (int64_t)jsbig_to_uint64(b);
}

int jsbig_is_zero(const js_bigint *b) { return b->len == 0; }
int jsbig_sign(const js_bigint *b) { return b->len == 0 ? 0 : big_neg(b) ? -1 : 1; }

/* ---- comparison ---- */

static int mag_cmp(const mp_limb_t *a, size_t an, const mp_limb_t *b, size_t bn)
{
    if (an != bn) return an < bn ? -1 : 1;
    int c = an ? mpn_cmp(a, b, (mp_size_t)an) : 0;
    return c < 0 ? -1 : c > 0;
}

int jsbig_cmp(const js_bigint *a, const js_bigint *b)
{
    int sa = jsbig_sign(a), sb = jsbig_sign(b);
    if (sa != sb) return sa < sb ? -1 : 1;
    int c = mag_cmp(a->limbs, a->len, b->limbs, b->len);
    return sa < 0 ? -c : c;
}

int jsbig_equal(const js_bigint *a, const js_bigint *b)
{
    return a->len == b->len && big_neg(a) == big_neg(b) &&
           (a->len == 0 || mpn_cmp(a->limbs, b->limbs, a->len) == 0);
}

int jsbig_cmp_double(const js_bigint *a, double d)
{
    if (isnan(d)) return 2;
    if (isinf(d)) return d > 0 ? -1 : 1;
    int sa = jsbig_sign(a), sd = d > 0 ? 1 : d < 0 ? -1 : 0;
    if (sa != sd) return sa < sd ? -1 : 1;
    if (sa == 0) return 0;
    /* Same non-zero sign: compare magnitudes exactly. */
    double m = fabs(d);
    int e;
    double fr = frexp(m, &e);
    uint64_t f = (uint64_t)ldexp(fr, 53);
    e -= 53;                                   /* m = f * 2^e */
    mp_limb_t dl[1024 / GMP_NUMB_BITS + 4];
    size_t dn;
    int frac = 0;
    memset(dl, 0, sizeof dl);
    if (e >= 0) {
        size_t word = (size_t)e / LIMB_BITS;
        unsigned sh = (unsigned)e % LIMB_BITS;
        mp_limb_t tmp[3] = { 0, 0, 0 };
#if GMP_NUMB_BITS >= 64
        tmp[0] = (mp_limb_t)f;
#else
        tmp[0] = (mp_limb_t)f; tmp[1] = (mp_limb_t)(f >> 32);
#endif
        if (sh) mpn_lshift(tmp, tmp, 3, sh);
        for (size_t i = 0; i < 3 && word + i < sizeof dl / sizeof dl[0]; i++) dl[word + i] = tmp[i];
        dn = word + 3;
    } else {
        uint64_t ip = -e >= 64 ? 0 : f >> -e;
        frac = (-e >= 64) ? f != 0 : (f & ((UINT64_C(1) << -e) - 1)) != 0;
        dl[0] = (mp_limb_t)ip;
#if GMP_NUMB_BITS < 64
        dl[1] = (mp_limb_t)(ip >> 32);
#endif
        dn = 2;
    }
    while (dn > 0 && dl[dn - 1] == 0) dn--;
    int c = mag_cmp(a->limbs, a->len, dl, dn);
    if (c == 0 && frac) c = -1;
    return sa < 0 ? -c : c;
}

uint32_t jsbig_hash(const js_bigint *a)
{
    uint64_t h = 0x9E3779B97F4A7C15ull ^ (uint64_t)big_neg(a);
    for (uint32_t i = 0; i < a->len; i++) {
        h ^= (uint64_t)a->limbs[i];
        h *= 0xFF51AFD7ED558CCDull;
        h ^= h >> 33;
    }
    return (uint32_t)(h ^ (h >> 32));
}

/* ---- arithmetic ---- */

/* |a| + |b| or |a| - |b| with the result's sign decided here. */
static js_bigint *add_signed(js_thread *t, const mp_limb_t *ap, size_t an, int aneg,
                             const mp_limb_t *bp, size_t bn, int bneg)
{
    if (an < bn) {
        const mp_limb_t *tp = ap; ap = bp; bp = tp;
        size_t tn = an; an = bn; bn = tn;
        int tg = aneg; aneg = bneg; bneg = tg;
    }
    if (aneg == bneg) {
        js_bigint *r = big_new(t, an + 1);
        if (!r) return NULL;
        mp_limb_t cy = 0;
        if (an) cy = bn ? mpn_add(r->limbs, ap, an, bp, bn) : (memcpy(r->limbs, ap, an * sizeof(mp_limb_t)), 0);
        r->limbs[an] = cy;
        return big_fix(r, aneg);
    }
    int c = mag_cmp(ap, an, bp, bn);
    if (c == 0) return big_from_mag64(t, 0, 0);
    if (c < 0) {
        const mp_limb_t *tp = ap; ap = bp; bp = tp;
        size_t tn = an; an = bn; bn = tn;
        aneg = bneg;
    }
    js_bigint *r = big_new(t, an);
    if (!r) return NULL;
    if (bn) mpn_sub(r->limbs, ap, an, bp, bn);
    else memcpy(r->limbs, ap, an * sizeof(mp_limb_t));
    return big_fix(r, aneg);
}

js_bigint *jsbig_add(js_thread *t, js_bigint *a, js_bigint *b)
{
    return add_signed(t, a->limbs, a->len, big_neg(a), b->limbs, b->len, big_neg(b));
}

js_bigint *jsbig_sub(js_thread *t, js_bigint *a, js_bigint *b)
{
    return add_signed(t, a->limbs, a->len, big_neg(a), b->limbs, b->len, !big_neg(b));
}

js_bigint *jsbig_inc(js_thread *t, js_bigint *a, int delta)
{
    mp_limb_t one = 1;
    return add_signed(t, a->limbs, a->len, big_neg(a), &one, 1, delta < 0);
}

js_bigint *jsbig_neg(js_thread *t, js_bigint *a)
{
    if (a->len == 0) return a;
    return big_copy(t, a, !big_neg(a));
}

js_bigint *jsbig_not(js_thread *t, js_bigint *a)
{
    /* ~a = -a - 1 */
    mp_limb_t one = 1;
    return add_signed(t, a->limbs, a->len, !big_neg(a), &one, 1, 1);
}

js_bigint *jsbig_mul(js_thread *t, js_bigint *a, js_bigint *b)
{
    if (a->len == 0 || b->len == 0) return big_from_mag64(t, 0, 0);
    if (a->len < b->len) { js_bigint *tmp = a; a = b; b = tmp; }
    js_bigint *r = big_new(t, (size_t)a->len + b->len);
    if (!r) return NULL;
    if (a == b) mpn_sqr(r->limbs, a->limbs, a->len);
    else mpn_mul(r->limbs, a->limbs, a->len, b->limbs, b->len);
    return big_fix(r, big_neg(a) != big_neg(b));
}

/* Truncating division: which = 0 quotient, 1 remainder. */
static js_bigint *divmod(js_thread *t, js_bigint *a, js_bigint *b, int which)
{
    if (b->len == 0) {
        jsvm_throw_range_error(t, "Division by zero");
        return NULL;
    }
    if (mag_cmp(a->limbs, a->len, b->limbs, b->len) < 0)
        return which ? a : big_from_mag64(t, 0, 0);
    size_t qn = (size_t)a->len - b->len + 1, rn = b->len;
    size_t other = which ? qn : rn;
    mp_limb_t *scratch = jsgc_malloc(t, other * sizeof(mp_limb_t));
    if (!scratch) return NULL;
    js_bigint *r = big_new(t, which ? rn : qn);
    if (!r) { jsgc_free(t->rt, scratch, other * sizeof(mp_limb_t)); return NULL; }
    mp_limb_t *qp = which ? scratch : r->limbs;
    mp_limb_t *rp = which ? r->limbs : scratch;
    mpn_tdiv_qr(qp, rp, 0, a->limbs, a->len, b->limbs, b->len);
    jsgc_free(t->rt, scratch, other * sizeof(mp_limb_t));
    return big_fix(r, which ? big_neg(a) : big_neg(a) != big_neg(b));
}

js_bigint *jsbig_div(js_thread *t, js_bigint *a, js_bigint *b) { return divmod(t, a, b, 0); }
js_bigint *jsbig_mod(js_thread *t, js_bigint *a, js_bigint *b) { return divmod(t, a, b, 1); }

/* 2^bits with sign, or a shifted magnitude: |a| << sh. */
static js_bigint *shl_mag(js_thread *t, const js_bigint *a, uint64_t sh, int neg)
{
    if (a->len == 0) return big_from_mag64(t, 0, 0);
    if (big_bitlen(a) + sh > BIG_MAX_BITS) return big_too_large(t);
    size_t words = (size_t)(sh / LIMB_BITS);
    unsigned bits = (unsigned)(sh % LIMB_BITS);
    js_bigint *r = big_new(t, a->len + words + 1);
    if (!r) return NULL;
    memset(r->limbs, 0, words * sizeof(mp_limb_t));
    if (bits) r->limbs[a->len + words] = mpn_lshift(r->limbs + words, a->limbs, a->len, bits);
    else {
        memcpy(r->limbs + words, a->limbs, a->len * sizeof(mp_limb_t));
        r->limbs[a->len + words] = 0;
    }
    return big_fix(r, neg);
}

js_bigint *jsbig_pow(js_thread *t, js_bigint *a, js_bigint *b)
{
    if (big_neg(b)) {
        jsvm_throw_range_error(t, "Exponent must be non-negative");
        return NULL;
    }
    if (b->len == 0) return big_from_mag64(t, 1, 0);
    int odd = (b->limbs[0] & 1) != 0;
    int rneg = big_neg(a) && odd;
    if (a->len == 0) return a;
    if (a->len == 1 && a->limbs[0] == 1) return big_from_mag64(t, 1, rneg);
    if (b->len > 1 || (uint64_t)b->limbs[0] > BIG_MAX_BITS) return big_too_large(t);
    uint64_t e = (uint64_t)b->limbs[0];
    uint64_t abits = big_bitlen(a);
    if ((abits - 1) * e > BIG_MAX_BITS) return big_too_large(t);
    /* A power of two is a shift. */
    int pow2 = mpn_popcount(a->limbs, a->len) == 1;
    if (pow2) {
        js_bigint *u = big_from_mag64(t, 1, 0);
        if (!u) return NULL;
        return shl_mag(t, u, (abits - 1) * e, rneg);
    }
    size_t cap = (size_t)((abits * e) / LIMB_BITS) + 2;
    if (cap > BIG_MAX_LIMBS + 2) return big_too_large(t);
    size_t bytes = 2 * cap * sizeof(mp_limb_t);
    mp_limb_t *buf = jsgc_malloc(t, bytes);
    if (!buf) return NULL;
    mp_limb_t *cur = buf, *tmp = buf + cap;
    memcpy(cur, a->limbs, a->len * sizeof(mp_limb_t));
    size_t cn = a->len;
    int top = 63;
    while (!((e >> top) & 1)) top--;
    for (int bit = top - 1; bit >= 0; bit--) {
        mpn_sqr(tmp, cur, (mp_size_t)cn);
        cn *= 2;
        while (cn > 0 && tmp[cn - 1] == 0) cn--;
        mp_limb_t *sw = cur; cur = tmp; tmp = sw;
        if ((e >> bit) & 1) {
            if (cn >= a->len) mpn_mul(tmp, cur, (mp_size_t)cn, a->limbs, a->len);
            else mpn_mul(tmp, a->limbs, a->len, cur, (mp_size_t)cn);
            cn += a->len;
            while (cn > 0 && tmp[cn - 1] == 0) cn--;
            sw = cur; cur = tmp; tmp = sw;
        }
    }
    js_bigint *r = big_new(t, cn);
    if (r) {
        memcpy(r->limbs, cur, cn * sizeof(mp_limb_t));
        big_fix(r, rneg);
    }
    jsgc_free(t->rt, buf, bytes);
    return r;
}

/* a >> sh rounding toward -infinity. */
static js_bigint *sar_mag(js_thread *t, js_bigint *a, uint64_t sh)
{
    int neg = big_neg(a);
    if (a->len == 0 || sh == 0) return a;
    if (sh >= big_bitlen(a)) return big_from_mag64(t, neg ? 1 : 0, neg);
    size_t words = (size_t)(sh / LIMB_BITS);
    unsigned bits = (unsigned)(sh % LIMB_BITS);
    size_t n = a->len - words;
    /* Were any one bits shifted out? Then a negative result moves down by one. */
    int lost = 0;
    for (size_t i = 0; i < words && !lost; i++) if (a->limbs[i]) lost = 1;
    js_bigint *r = big_new(t, n + 1);
    if (!r) return NULL;
    if (bits) {
        if (mpn_rshift(r->limbs, a->limbs + words, (mp_size_t)n, bits)) lost = 1;
    } else {
        memcpy(r->limbs, a->limbs + words, n * sizeof(mp_limb_t));
    }
    r->limbs[n] = 0;
    if (neg && lost) mpn_add_1(r->limbs, r->limbs, (mp_size_t)n + 1, 1);
    return big_fix(r, neg);
}

/* Shift left by the signed amount b (right when negative). */
static js_bigint *shift(js_thread *t, js_bigint *a, js_bigint *b, int left)
{
    if (big_neg(b)) left = !left;
    if (b->len == 0 || a->len == 0) return a;
    int huge = b->len > 1 || (uint64_t)b->limbs[0] > BIG_MAX_BITS;
    if (left) {
        if (huge) return big_too_large(t);
        return shl_mag(t, a, (uint64_t)b->limbs[0], big_neg(a));
    }
    if (huge) return big_from_mag64(t, big_neg(a) ? 1 : 0, big_neg(a));
    return sar_mag(t, a, (uint64_t)b->limbs[0]);
}

js_bigint *jsbig_shl(js_thread *t, js_bigint *a, js_bigint *b) { return shift(t, a, b, 1); }
js_bigint *jsbig_sar(js_thread *t, js_bigint *a, js_bigint *b) { return shift(t, a, b, 0); }

/* Two's complement image of a in n limbs (n > a->len so the sign bit fits). */
static void to_twos(mp_limb_t *dst, const js_bigint *a, size_t n)
{
    memset(dst, 0, n * sizeof(mp_limb_t));
    if (a->len) memcpy(dst, a->limbs, a->len * sizeof(mp_limb_t));
    if (big_neg(a)) mpn_neg(dst, dst, (mp_size_t)n);
}

static js_bigint *bitop(js_thread *t, js_bigint *a, js_bigint *b, int op)
{
    size_t n = (a->len > b->len ? a->len : b->len) + 1;
    size_t bytes = n * sizeof(mp_limb_t);
    mp_limb_t *tb = jsgc_malloc(t, bytes);
    if (!tb) return NULL;
    js_bigint *r = big_new(t, n);
    if (!r) { jsgc_free(t->rt, tb, bytes); return NULL; }
    to_twos(r->limbs, a, n);
    to_twos(tb, b, n);
    if (op == '&') mpn_and_n(r->limbs, r->limbs, tb, (mp_size_t)n);
    else if (op == '|') mpn_ior_n(r->limbs, r->limbs, tb, (mp_size_t)n);
    else mpn_xor_n(r->limbs, r->limbs, tb, (mp_size_t)n);
    jsgc_free(t->rt, tb, bytes);
    int neg = (r->limbs[n - 1] >> (LIMB_BITS - 1)) & 1;
    if (neg) mpn_neg(r->limbs, r->limbs, (mp_size_t)n);
    return big_fix(r, neg);
}

js_bigint *jsbig_and(js_thread *t, js_bigint *a, js_bigint *b) { return bitop(t, a, b, '&'); }
js_bigint *jsbig_or(js_thread *t, js_bigint *a, js_bigint *b) { return bitop(t, a, b, '|'); }
js_bigint *jsbig_xor(js_thread *t, js_bigint *a, js_bigint *b) { return bitop(t, a, b, '^'); }

/* a mod 2^bits in [0, 2^bits), as an unsigned magnitude in a fresh cell. */
static js_bigint *mod_pow2(js_thread *t, js_bigint *a, uint64_t bits)
{
    size_t n = (size_t)((bits + LIMB_BITS - 1) / LIMB_BITS);
    js_bigint *r = big_new(t, n);
    if (!r) return NULL;
    memset(r->limbs, 0, n * sizeof(mp_limb_t));
    size_t k = a->len < n ? a->len : n;
    if (k) memcpy(r->limbs, a->limbs, k * sizeof(mp_limb_t));
    if (big_neg(a)) mpn_neg(r->limbs, r->limbs, (mp_size_t)n);
    unsigned rem = (unsigned)(bits % LIMB_BITS);
    if (rem) r->limbs[n - 1] &= ((mp_limb_t)1 << rem) - 1;
    return big_fix(r, 0);
}

js_bigint *jsbig_as_uint_n(js_thread *t, uint64_t bits, js_bigint *a)
{
    if (bits == 0 || a->len == 0) return big_from_mag64(t, 0, 0);
    if (!big_neg(a) && big_bitlen(a) <= bits) return a;
    if (bits > BIG_MAX_BITS) return big_too_large(t);   /* negative: 2^bits - |a| */
    return mod_pow2(t, a, bits);
}

js_bigint *jsbig_as_int_n(js_thread *t, uint64_t bits, js_bigint *a)
{
    if (bits == 0 || a->len == 0) return big_from_mag64(t, 0, 0);
    uint64_t bl = big_bitlen(a);
    if (bl < bits) return a;                  /* |a| < 2^(bits-1): already in range */
    if (bl == bits && big_neg(a) && mpn_popcount(a->limbs, a->len) == 1)
        return a;                              /* exactly -2^(bits-1) */
    js_bigint *r = mod_pow2(t, a, bits);
    if (!r) return NULL;
    /* Top bit set: subtract 2^bits, i.e. negate within `bits`. */
    if (big_bitlen(r) == bits) {
        size_t n = (size_t)((bits + LIMB_BITS - 1) / LIMB_BITS);
        r->len = (uint32_t)n;              /* limbs past the trimmed length are zero */
        mpn_neg(r->limbs, r->limbs, (mp_size_t)n);
        unsigned rem = (unsigned)(bits % LIMB_BITS);
        if (rem) r->limbs[n - 1] &= ((mp_limb_t)1 << rem) - 1;
        big_fix(r, 1);
    }
    return r;
}
