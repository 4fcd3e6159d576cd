/*
 * numconv.c - exact double <-> decimal text: shortest round-trip digits
 * (Burger-Dybvig free-format on a small fixed-size bignum), exact expansions
 * for toFixed/toExponential/toPrecision, radix output and correctly rounded
 * parsing (Clinger's fast path, then big-integer comparison).
 * Pure functions on caller buffers: never allocates, keeps no state, never
 * consults the process locale.
 */
#include <stdint.h>
#include <string.h>
#include <math.h>
#include <assert.h>
#include "numconv.h"

/* ---- a small unsigned bignum on the C stack ----
 * 160 x 32 bits covers the largest operand any routine below builds: the
 * strtod comparison of an 801-digit decimal against a halfway point scaled by
 * 10^1124 needs about 3,800 bits. */
#define BN_CAP 160

typedef struct bn {
    int n;                      /* limbs in use, no high zero limbs */
    uint32_t d[BN_CAP];
} bn;

static void bn_trim(bn *a)
{
    while (a->n > 0 && a->d[a->n - 1] == 0) a->n--;
}

static void bn_set_u64(bn *a, uint64_t v)
{
    a->d[0] = (uint32_t)v;
    a->d[1] = (uint32_t)(v >> 32);
    a->n = 2;
    bn_trim(a);
}

static void bn_copy(bn *dst, const bn *src)
{
    dst->n = src->n;
    memcpy(dst->d, src->d, (size_t)src->n * sizeof(uint32_t));
}

static void bn_mul_small(bn *a, uint32_t m)
{
    uint64_t carry = 0;
    for (int i = 0; i < a->n; i++) {
        uint64_t p = (uint64_t)a->d[i] * m + carry;
        a->d[i] = (uint32_t)p;
        carry = p >> 32;
    }
    if (carry) {
        assert(a->n < BN_CAP);
        a->d[a->n++] = (uint32_t)carry;
    }
}

static void bn_mul_pow5(bn *a, int k)
{
    static const uint32_t p5[14] = { 1, 5, 25, 125, 625, 3125, 15625, 78125, 390625,
        1953125, 9765625, 48828125, 244140625, 1220703125 };
    while (k >= 13) { bn_mul_small(a, p5[13]); k -= 13; }
    if (k > 0) bn_mul_small(a, p5[k]);
}

static void bn_shl(bn *a, int bits)
{
    if (a->n == 0 || bits == 0) return;
    int words = bits / 32, sh = bits % 32;
    assert(a->n + words + 1 <= BN_CAP);
    if (sh) {
        a->d[a->n] = 0;
        for (int i = a->n; i > 0; i--)
            a->d[i] = (a->d[i] << sh) | (a->d[i - 1] >> (32 - sh));
        a->d[0] <<= sh;
        a->n++;
    }
    if (words) {
        memmove(a->d + words, a->d, (size_t)a->n * sizeof(uint32_t));
        memset(a->d, 0, (size_t)words * sizeof(uint32_t));
        a->n += words;
    }
    bn_trim(a);
}

static void bn_mul_pow10(bn *a, int k)
{
    bn_mul_pow5(a, k);
    bn_shl(a, k);
}

static int bn_cmp(const bn *a, const bn *b)
{
    if (a->n != b->n) return a->n < b->n ? -1 : 1;
    for (int i = a->n - 1; i >= 0; i--)
        if (a->d[i] != b->d[i]) return a->d[i] < b->d[i] ? -1 : 1;
    return 0;
}

/* Compare a + b with c. */
static int bn_cmp_sum(const bn *a, const bn *b, const bn *c)
{
    bn s;
    int n = a->n > b->n ? a->n : b->n;
    uint64_t carry = 0;
    for (int i = 0; i < n; i++) {
        uint64_t x = (i < a->n ? a->d[i] : 0) + (uint64_t)(i < b->n ? b->d[i] : 0) + carry;
        s.d[i] = (uint32_t)x;
        carry = x >> 32;
    }
    s.n = n;
    if (carry) s.d[s.n++] = (uint32_t)carry;
    return bn_cmp(&s, c);
}

/* a -= b, requires a >= b. */
static void bn_sub(bn *a, const bn *b)
{
    int64_t borrow = 0;
    for (int i = 0; i < a->n; i++) {
        int64_t x = (int64_t)a->d[i] - (i < b->n ? b->d[i] : 0) - borrow;
        borrow = x < 0;
        a->d[i] = (uint32_t)(x + (borrow ? ((int64_t)1 << 32) : 0));
    }
    bn_trim(a);
}

/* a /= m, returns the remainder. */
static uint32_t bn_divmod_small(bn *a, uint32_t m)
{
    uint64_t rem = 0;
    for (int i = a->n - 1; i >= 0; i--) {
        uint64_t cur = (rem << 32) | a->d[i];
        a->d[i] = (uint32_t)(cur / m);
        rem = cur % m;
    }
    bn_trim(a);
    return (uint32_t)rem;
}

/* r = r mod s, returns r / s, which the callers keep below 20. */
static int bn_quot_small(bn *r, const bn *s)
{
    int q = 0;
    while (bn_cmp(r, s) >= 0) { bn_sub(r, s); q++; }
    return q;
}

/* ---- double decomposition ---- */

static uint64_t dbl_bits(double d) { uint64_t u; memcpy(&u, &d, 8); return u; }
static double dbl_from_bits(uint64_t u) { double d; memcpy(&d, &u, 8); return d; }

/* Positive finite d = f * 2^e with f < 2^53; returns the biased exponent. */
static int dbl_decompose(double d, uint64_t *f, int *e)
{
    uint64_t u = dbl_bits(d);
    int be = (int)((u >> 52) & 0x7FF);
    uint64_t m = u & ((UINT64_C(1) << 52) - 1);
    if (be == 0) { *f = m; *e = -1074; }
    else { *f = m | (UINT64_C(1) << 52); *e = be - 1075; }
    return be;
}

static int bitlen64(uint64_t v)
{
    int n = 0;
    while (v) { n++; v >>= 1; }
    return n;
}

/*
 * Shortest digits (Burger & Dybvig, "Printing Floating-Point Numbers Quickly
 * and Accurately", free-format with exact bignums). For positive finite d
 * writes the digits (no NUL) and returns their count; *point gets n such that
 * d = 0.digits * 10^n. Among shortest candidates the closest wins, ties even.
 */
static int shortest_digits(double d, char *digits, int *point)
{
    uint64_t f;
    int e;
    int be = dbl_decompose(d, &f, &e);
    int even = (f & 1) == 0;
    int lower_closer = (f == (UINT64_C(1) << 52) && be > 1);
    bn r, s, mp, mm;

    if (e >= 0) {
        bn_set_u64(&r, f);
        bn_set_u64(&mp, 1);
        bn_shl(&mp, e);
        if (!lower_closer) {
            bn_shl(&r, e + 1);
            bn_set_u64(&s, 2);
            bn_copy(&mm, &mp);
        } else {
            bn_shl(&r, e + 2);
            bn_set_u64(&s, 4);
            bn_copy(&mm, &mp);
            bn_shl(&mp, 1);
        }
    } else {
        bn_set_u64(&r, f);
        bn_set_u64(&s, 1);
        bn_set_u64(&mm, 1);
        if (!lower_closer) {
            bn_shl(&r, 1);
            bn_shl(&s, 1 - e);
            bn_set_u64(&mp, 1);
        } else {
            bn_shl(&r, 2);
            bn_shl(&s, 2 - e);
            bn_set_u64(&mp, 2);
        }
    }
    /* k estimate from floor(log2 d); never too high, at most one too low. */
    int k = (int)ceil((double)(e + bitlen64(f) - 1) * 0.30102999566398114 - 1e-10);
    if (k >= 0) {
        bn_mul_pow10(&s, k);
    } else {
        bn_mul_pow10(&r, -k);
        bn_mul_pow10(&mp, -k);
        bn_mul_pow10(&mm, -k);
    }
    int c = bn_cmp_sum(&r, &mp, &s);
    if (even ? c >= 0 : c > 0) {
        k++;
    } else {
        bn_mul_small(&r, 10);
        bn_mul_small(&mp, 10);
        bn_mul_small(&mm, 10);
    }
    *point = k;
    int n = 0;
    for (;;) {
        int dig = bn_quot_small(&r, &s);
        int cl = bn_cmp(&r, &mm);
        int tc1 = even ? cl <= 0 : cl < 0;
        int ch = bn_cmp_sum(&r, &mp, &s);
        int tc2 = even ? ch >= 0 : ch > 0;
        if (!tc1 && !tc2) {
            digits[n++] = (char)('0' + dig);
            bn_mul_small(&r, 10);
            bn_mul_small(&mp, 10);
            bn_mul_small(&mm, 10);
            continue;
        }
        if (tc1 && tc2) {
            int c2 = bn_cmp_sum(&r, &r, &s);
            if (c2 > 0 || (c2 == 0 && (dig & 1))) dig++;
        } else if (tc2) {
            dig++;
        }
        digits[n++] = (char)('0' + dig);
        break;
    }
    return n;
}

/* ---- Grisu3 (Loitsch, "Printing Floating-Point Numbers Quickly and
 * Accurately with Integers"): 64-bit arithmetic that either proves its
 * digits shortest and closest or gives up (about 0.5% of doubles), in which
 * case the exact algorithm above decides. ---- */

typedef struct diyfp { uint64_t f; int e; } diyfp;

/* 10^k rounded to 64 bits, k = -348, -340, ..., 340: { f, e, k } with value
 * f * 2^e. Generated with exact rational arithmetic. */
static const struct { uint64_t f; int16_t e, k; } cached_powers[] = {
{ UINT64_C(0xfa8fd5a0081c0288), -1220, -348 },
    { UINT64_C(0xbaaee17fa23ebf76), -1193, -340 },
    { UINT64_C(0x8b16fb203055ac76), -1166, -332 },
    { UINT64_C(0xcf42894a5dce35ea), -1140, -324 },
    { UINT64_C(0x9a6bb0aa55653b2d), -1113, -316 },
    { UINT64_C(0xe61acf033d1a45df), -1087, -308 },
    { UINT64_C(0xab70fe17c79ac6ca), -1060, -300 },
    { UINT64_C(0xff77b1fcbebcdc4f), -1034, -292 },
    { UINT64_C(0xbe5691ef416bd60c), -1007, -284 },
    { UINT64_C(0x8dd01fad907ffc3c), -980, -276 },
    { UINT64_C(0xd3515c2831559a83), -954, -268 },
    { UINT64_C(0x9d71ac8fada6c9b5), -927, -260 },
    { UINT64_C(0xea9c227723ee8bcb), -901, -252 },
    { UINT64_C(0xaecc49914078536d), -874, -244 },
    { UINT64_C(0x823c12795db6ce57), -847, -236 },
    { UINT64_C(0xc21094364dfb5637), -821, -228 },
    { UINT64_C(0x9096ea6f3848984f), -794, -220 },
    { UINT64_C(0xd77485cb25823ac7), -768, -212 },
    { UINT64_C(0xa086cfcd97bf97f4), -741, -204 },
    { UINT64_C(0xef340a98172aace5), -715, -196 },
    { UINT64_C(0xb23867fb2a35b28e), -688, -188 },
    { UINT64_C(0x84c8d4dfd2c63f3b), -661, -180 },
    { UINT64_C(0xc5dd44271ad3cdba), -635, -172 },
    { UINT64_C(0x936b9fcebb25c996), -608, -164 },
    { UINT64_C(0xdbac6c247d62a584), -582, -156 },
    { UINT64_C(0xa3ab66580d5fdaf6), -555, -148 },
    { UINT64_C(0xf3e2f893dec3f126), -529, -140 },
    { UINT64_C(0xb5b5ada8aaff80b8), -502, -132 },
    { UINT64_C(0x87625f056c7c4a8b), -475, -124 },
    { UINT64_C(0xc9bcff6034c13053), -449, -116 },
    { UINT64_C(0x964e858c91ba2655), -422, -108 },
    { UINT64_C(0xdff9772470297ebd), -396, -100 },
    { UINT64_C(0xa6dfbd9fb8e5b88f), -369, -92 },
    { UINT64_C(0xf8a95fcf88747d94), -343, -84 },
    { UINT64_C(0xb94470938fa89bcf), -316, -76 },
    { UINT64_C(0x8a08f0f8bf0f156b), -289, -68 },
    { UINT64_C(0xcdb02555653131b6), -263, -60 },
    { UINT64_C(0x993fe2c6d07b7fac), -236, -52 },
    { UINT64_C(0xe45c10c42a2b3b06), -210, -44 },
    { UINT64_C(0xaa242499697392d3), -183, -36 },
    { UINT64_C(0xfd87b5f28300ca0e), -157, -28 },
    { UINT64_C(0xbce5086492111aeb), -130, -20 },
    { UINT64_C(0x8cbccc096f5088cc), -103, -12 },
    { UINT64_C(0xd1b71758e219652c), -77, -4 },
    { UINT64_C(0x9c40000000000000), -50, 4 },
    { UINT64_C(0xe8d4a51000000000), -24, 12 },
    { UINT64_C(0xad78ebc5ac620000), 3, 20 },
    { UINT64_C(0x813f3978f8940984), 30, 28 },
    { UINT64_C(0xc097ce7bc90715b3), 56, 36 },
    { UINT64_C(0x8f7e32ce7bea5c70), 83, 44 },
    { UINT64_C(0xd5d238a4abe98068), 109, 52 },
    { UINT64_C(0x9f4f2726179a2245), 136, 60 },
    { UINT64_C(0xed63a231d4c4fb27), 162, 68 },
    { UINT64_C(0xb0de65388cc8ada8), 189, 76 },
    { UINT64_C(0x83c7088e1aab65db), 216, 84 },
    { UINT64_C(0xc45d1df942711d9a), 242, 92 },
    { UINT64_C(0x924d692ca61be758), 269, 100 },
    { UINT64_C(0xda01ee641a708dea), 295, 108 },
    { UINT64_C(0xa26da3999aef774a), 322, 116 },
    { UINT64_C(0xf209787bb47d6b85), 348, 124 },
    { UINT64_C(0xb454e4a179dd1877), 375, 132 },
    { UINT64_C(0x865b86925b9bc5c2), 402, 140 },
    { UINT64_C(0xc83553c5c8965d3d), 428, 148 },
    { UINT64_C(0x952ab45cfa97a0b3), 455, 156 },
    { UINT64_C(0xde469fbd99a05fe3), 481, 164 },
    { UINT64_C(0xa59bc234db398c25), 508, 172 },
    { UINT64_C(0xf6c69a72a3989f5c), 534, 180 },
    { UINT64_C(0xb7dcbf5354e9bece), 561, 188 },
    { UINT64_C(0x88fcf317f22241e2), 588, 196 },
    { UINT64_C(0xcc20ce9bd35c78a5), 614, 204 },
    { UINT64_C(0x98165af37b2153df), 641, 212 },
    { UINT64_C(0xe2a0b5dc971f303a), 667, 220 },
    { UINT64_C(0xa8d9d1535ce3b396), 694, 228 },
    { UINT64_C(0xfb9b7cd9a4a7443c), 720, 236 },
    { UINT64_C(0xbb764c4ca7a44410), 747, 244 },
    { UINT64_C(0x8bab8eefb6409c1a), 774, 252 },
    { UINT64_C(0xd01fef10a657842c), 800, 260 },
    { UINT64_C(0x9b10a4e5e9913129), 827, 268 },
    { UINT64_C(0xe7109bfba19c0c9d), 853, 276 },
    { UINT64_C(0xac2820d9623bf429), 880, 284 },
    { UINT64_C(0x80444b5e7aa7cf85), 907, 292 },
    { UINT64_C(0xbf21e44003acdd2d), 933, 300 },
    { UINT64_C(0x8e679c2f5e44ff8f), 960, 308 },
    { UINT64_C(0xd433179d9c8cb841), 986, 316 },
    { UINT64_C(0x9e19db92b4e31ba9), 1013, 324 },
    { UINT64_C(0xeb96bf6ebadf77d9), 1039, 332 },
    { UINT64_C(0xaf87023b9bf0ee6b), 1066, 340 },
};

static diyfp diy_mul(diyfp a, diyfp b)
{
    uint64_t a_hi = a.f >> 32, a_lo = a.f & 0xFFFFFFFFu;
    uint64_t b_hi = b.f >> 32, b_lo = b.f & 0xFFFFFFFFu;
    uint64_t ac = a_hi * b_hi, bc = a_lo * b_hi, ad = a_hi * b_lo, bd = a_lo * b_lo;
    uint64_t tmp = (bd >> 32) + (ad & 0xFFFFFFFFu) + (bc & 0xFFFFFFFFu);
    tmp += 1u << 31;                       /* round */
    diyfp r = { ac + (ad >> 32) + (bc >> 32) + (tmp >> 32), a.e + b.e + 64 };
    return r;
}

static diyfp diy_normalize(diyfp a)
{
    while (!(a.f & (UINT64_C(1) << 63))) { a.f <<= 1; a.e--; }
    return a;
}

static int round_weed(char *buf, int len, uint64_t dist_high_w, uint64_t unsafe,
                      uint64_t rest, uint64_t ten_kappa, uint64_t unit)
{
    uint64_t small_d = dist_high_w - unit, big_d = dist_high_w + unit;
    while (rest < small_d && unsafe - rest >= ten_kappa &&
           (rest + ten_kappa < small_d || small_d - rest >= rest + ten_kappa - small_d)) {
        buf[len - 1]--;
        rest += ten_kappa;
    }
    if (rest < big_d && unsafe - rest >= ten_kappa &&
        (rest + ten_kappa < big_d || big_d - rest > rest + ten_kappa - big_d))
        return 0;
    return 2 * unit <= rest && rest <= unsafe - 4 * unit;
}

static int grisu3(double v, char *buf, int *point)
{
    static const uint32_t pow10_32[10] = { 1, 10, 100, 1000, 10000, 100000, 1000000,
                                           10000000, 100000000, 1000000000 };
    uint64_t f;
    int e;
    int be = dbl_decompose(v, &f, &e);
    diyfp w = diy_normalize((diyfp){ f, e });
    diyfp mp = diy_normalize((diyfp){ (f << 1) + 1, e - 1 });
    diyfp mm;
    if (f == (UINT64_C(1) << 52) && be > 1) mm = (diyfp){ (f << 2) - 1, e - 2 };
    else mm = (diyfp){ (f << 1) - 1, e - 1 };
    mm.f <<= mm.e - mp.e;
    mm.e = mp.e;
    /* Pick 10^-k so the scaled exponent lands in [-60, -32]. */
    int min_exp = -60 - (w.e + 64);
    int kq = (int)ceil((min_exp + 63) * 0.30102999566398114);
    int idx = (348 + kq - 1) / 8 + 1;
    diyfp c = { cached_powers[idx].f, cached_powers[idx].e };
    int mk = cached_powers[idx].k;
    diyfp sw = diy_mul(w, c), low = diy_mul(mm, c), high = diy_mul(mp, c);

    uint64_t unit = 1;
    diyfp too_low = { low.f - unit, low.e }, too_high = { high.f + unit, high.e };
    uint64_t unsafe = too_high.f - too_low.f;
    int shift = -sw.e;
    uint64_t one = UINT64_C(1) << shift;
    uint32_t integrals = (uint32_t)(too_high.f >> shift);
    uint64_t fractionals = too_high.f & (one - 1);
    int kappa = 0;
    uint32_t divisor = 1;
    for (int i = 9; i >= 0; i--)
        if (integrals >= pow10_32[i]) { divisor = pow10_32[i]; kappa = i + 1; break; }
    int len = 0;
    while (kappa > 0) {
        buf[len++] = (char)('0' + integrals / divisor);
        integrals %= divisor;
        kappa--;
        uint64_t rest = ((uint64_t)integrals << shift) + fractionals;
        if (rest < unsafe) {
            *point = len - mk + kappa;
            return round_weed(buf, len, too_high.f - sw.f, unsafe, rest, (uint64_t)divisor << shift, unit) ? len : 0;
        }
        divisor /= 10;
    }
    for (;;) {
        fractionals *= 10;
        unit *= 10;
        unsafe *= 10;
        buf[len++] = (char)('0' + (int)(fractionals >> shift));
        fractionals &= one - 1;
        kappa--;
        if (fractionals < unsafe) {
            *point = len - mk + kappa;
            return round_weed(buf, len, (too_high.f - sw.f) * unit, unsafe, fractionals, one, unit) ? len : 0;
        }
    }
}

/* Shortest digits with fast paths for integers, then Grisu3, then exact. */
static int fast_shortest(double d, char *digits, int *point)
{
    if (d < 9007199254740992.0 && d == (double)(uint64_t)d) {
        uint64_t v = (uint64_t)d;
        char tmp[24];
        int n = 0;
        while (v) { tmp[n++] = (char)('0' + v % 10); v /= 10; }
        *point = n;
        while (n > 1 && tmp[0] == '0') {
            memmove(tmp, tmp + 1, (size_t)--n);
        }
        for (int i = 0; i < n; i++) digits[i] = tmp[n - 1 - i];
        return n;
    }
    int n = grisu3(d, digits, point);
    if (n > 0) return n;
    return shortest_digits(d, digits, point);
}

/*
 * The exact decimal expansion of positive finite d: every significant digit
 * (at most 767) into digits, returns the count, *point as for shortest_digits.
 * Needs a buffer of 800 bytes.
 */
#define EXACT_MAX 800
static int exact_digits(double d, char *digits, int *point)
{
    uint64_t f;
    int e;
    dbl_decompose(d, &f, &e);
    bn a;
    bn_set_u64(&a, f);
    int scale = 0;            /* d = a * 10^-scale */
    if (e >= 0) bn_shl(&a, e);
    else { bn_mul_pow5(&a, -e); scale = -e; }
    /* Collect base-10^9 chunks least significant first. */
    char tmp[EXACT_MAX + 32];
    int n = 0;
    while (a.n > 0) {
        uint32_t chunk = bn_divmod_small(&a, 1000000000u);
        for (int i = 0; i < 9; i++) { tmp[n++] = (char)('0' + chunk % 10); chunk /= 10; }
    }
    while (n > 1 && tmp[n - 1] == '0') n--;
    int lo = 0;
    while (lo < n - 1 && tmp[lo] == '0') lo++;
    *point = n - scale;
    int len = n - lo;
    for (int i = 0; i < len; i++) digits[i] = tmp[n - 1 - i];
    return len;
}

/*
 * Round the exact digits of d to `want` significant digits (fixed: to `want`
 * places after the decimal point), ties (and above) away from zero: JS's "pick
 * the larger n". The digit count may come out <= 0 (position left of the
 * first digit). Writes exactly max(want, 0) digits, or one more digit
 * "1" when rounding carries into a new position (then *point grows).
 * Returns the number of digits written.
 */
static int rounded_digits(double d, int want, int fixed, char *out, int *point)
{
    char ex[EXACT_MAX];
    int p;
    int n = exact_digits(d, ex, &p);
    if (fixed) want += p;
    if (want < 0) { *point = p; return 0; }
    if (want == 0) {
        if (ex[0] >= '5') { out[0] = '1'; *point = p + 1; return 1; }
        *point = p;
        return 0;
    }
    int i;
    for (i = 0; i < want; i++) out[i] = i < n ? ex[i] : '0';
    *point = p;
    if (want < n && ex[want] >= '5') {
        for (i = want - 1; i >= 0; i--) {
            if (out[i] == '9') { out[i] = '0'; continue; }
            out[i]++;
            break;
        }
        if (i < 0) {
            out[0] = '1';
            for (i = 1; i < want; i++) out[i] = '0';
            *point = p + 1;
        }
    }
    return want;
}

static int put_special(double d, char *buf)
{
    if (isnan(d)) { memcpy(buf, "NaN", 4); return 3; }
    if (d > 0) { memcpy(buf, "Infinity", 9); return 8; }
    memcpy(buf, "-Infinity", 10); return 9;
}

static int put_int(char *buf, int v)
{
    char tmp[16];
    int n = 0, len = 0;
    unsigned u = v < 0 ? (unsigned)-(long)v : (unsigned)v;
    if (v < 0) buf[len++] = '-';
    do { tmp[n++] = (char)('0' + u % 10); u /= 10; } while (u);
    while (n) buf[len++] = tmp[--n];
    return len;
}

/* Exponent suffix "e+N"/"e-N". */
static int put_exp(char *buf, int e)
{
    int len = 0;
    buf[len++] = 'e';
    buf[len++] = e < 0 ? '-' : '+';
    return len + put_int(buf + len, e < 0 ? -e : e);
}

int jsnum_to_string(double d, char *buf)
{
    if (!isfinite(d)) return put_special(d, buf);
    if (d == 0) { buf[0] = '0'; buf[1] = 0; return 1; }
    int len = 0;
    if (d < 0) { buf[len++] = '-'; d = -d; }
    char dig[32];
    int n;
    int k = fast_shortest(d, dig, &n);
    if (k <= n && n <= 21) {
        memcpy(buf + len, dig, (size_t)k); len += k;
        for (int i = k; i < n; i++) buf[len++] = '0';
    } else if (0 < n && n <= 21) {
        memcpy(buf + len, dig, (size_t)n); len += n;
        buf[len++] = '.';
        memcpy(buf + len, dig + n, (size_t)(k - n)); len += k - n;
    } else if (-6 < n && n <= 0) {
        buf[len++] = '0';
        buf[len++] = '.';
        for (int i = 0; i < -n; i++) buf[len++] = '0';
        memcpy(buf + len, dig, (size_t)k); len += k;
    } else {
        buf[len++] = dig[0];
        if (k > 1) {
            buf[len++] = '.';
            memcpy(buf + len, dig + 1, (size_t)(k - 1)); len += k - 1;
        }
        len += put_exp(buf + len, n - 1);
    }
    buf[len] = 0;
    return len;
}

/* ---- radix output ---- */

static const char radix_chars[] = "0123456789abcdefghijklmnopqrstuvwxyz";

/*
 * Integer part exactly (bignum division); fraction digits as V8 does: emit
 * while the remaining fraction is at least half the distance to the next
 * double, rounding the last digit half to even.
 */
int jsnum_to_radix(double d, int radix, char *buf, size_t n)
{
    char tmp[2300];
    if (radix < 2 || radix > 36) return -1;
    if (!isfinite(d) || d == 0 || radix == 10) {
        char t2[JSNUM_BUF];
        int len = jsnum_to_string(d, t2);
        if ((size_t)len + 1 > n) return -1;
        memcpy(buf, t2, (size_t)len + 1);
        return len;
    }
    int neg = d < 0;
    if (neg) d = -d;
    double integer = floor(d);
    double fraction = d - integer;
    /* Fraction digits go after a '.' placed at the middle of tmp. */
    const int mid = 1150;
    int fc = mid;
    double delta = 0.5 * (dbl_from_bits(dbl_bits(d) + 1) - d);
    double min_delta = dbl_from_bits(1);
    if (delta < min_delta) delta = min_delta;
    if (fraction >= delta) {
        tmp[fc++] = '.';
        do {
            fraction *= radix;
            delta *= radix;
            int digit = (int)fraction;
            tmp[fc++] = radix_chars[digit];
            fraction -= digit;
            if (fraction > 0.5 || (fraction == 0.5 && (digit & 1))) {
                if (fraction + delta > 1) {
                    /* Round up, carrying through written digits. */
                    for (;;) {
                        fc--;
                        if (fc == mid) { integer += 1; break; }
                        char c = tmp[fc];
                        int dg = c > '9' ? c - 'a' + 10 : c - '0';
                        if (dg + 1 < radix) { tmp[fc++] = radix_chars[dg + 1]; break; }
                    }
                    break;
                }
            }
        } while (fraction >= delta && fc < (int)sizeof tmp - 2);
    }
    int ic = mid;
    if (integer < 9007199254740992.0) {
        uint64_t v = (uint64_t)integer;
        do { tmp[--ic] = radix_chars[v % (unsigned)radix]; v /= (unsigned)radix; } while (v);
    } else {
        uint64_t f;
        int e;
        dbl_decompose(integer, &f, &e);
        bn a;
        bn_set_u64(&a, f);
        bn_shl(&a, e);
        while (a.n > 0) tmp[--ic] = radix_chars[bn_divmod_small(&a, (uint32_t)radix)];
    }
    if (neg) tmp[--ic] = '-';
    size_t len = (size_t)(fc - ic);
    if (len + 1 > n) return -1;
    memcpy(buf, tmp + ic, len);
    buf[len] = 0;
    return (int)len;
}

/* ---- toFixed / toExponential / toPrecision ---- */

int jsnum_to_fixed(double d, int f, char *buf, size_t n)
{
    char out[EXACT_MAX + 128];
    int len = 0;
    if (!isfinite(d)) {
        len = put_special(d, out);
    } else {
        if (d < 0) { out[len++] = '-'; d = -d; }
        char dig[EXACT_MAX + 8];
        int k = 0, p = 0;
        if (d != 0) k = rounded_digits(d, f, 1, dig, &p);
        /* The integer m = round(d * 10^f) has digits dig[0..k) followed by
         * (p + f - k) zeros. */
        char m[EXACT_MAX + 128];
        int ml = 0;
        if (k == 0) {
            m[ml++] = '0';
        } else {
            memcpy(m, dig, (size_t)k); ml = k;
            for (int i = k; i < p + f; i++) m[ml++] = '0';
        }
        if (f == 0) {
            memcpy(out + len, m, (size_t)ml); len += ml;
        } else {
            /* Left-pad to f + 1 digits, then put the point before the last f. */
            int pad = ml <= f ? f + 1 - ml : 0;
            for (int i = 0; i < pad; i++) out[len++] = '0';
            memcpy(out + len, m, (size_t)ml); len += ml;
            memmove(out + len - f + 1, out + len - f, (size_t)f);
            out[len - f] = '.';
            len++;
        }
    }
    if ((size_t)len + 1 > n) return -1;
    memcpy(buf, out, (size_t)len);
    buf[len] = 0;
    return len;
}

int jsnum_to_exponential(double d, int f, char *buf)
{
    if (!isfinite(d)) return put_special(d, buf);
    int len = 0;
    if (d < 0) { buf[len++] = '-'; d = -d; }
    char dig[EXACT_MAX + 8];
    int k, p;
    if (d == 0) {
        k = f < 0 ? 1 : f + 1;
        memset(dig, '0', (size_t)k);
        p = 1;
    } else if (f < 0) {
        k = fast_shortest(d, dig, &p);
    } else {
        k = rounded_digits(d, f + 1, 0, dig, &p);
    }
    buf[len++] = dig[0];
    if (k > 1) {
        buf[len++] = '.';
        memcpy(buf + len, dig + 1, (size_t)(k - 1));
        len += k - 1;
    }
    len += put_exp(buf + len, p - 1);
    buf[len] = 0;
    return len;
}

int jsnum_to_precision(double d, int prec, char *buf)
{
    if (!isfinite(d)) return put_special(d, buf);
    int len = 0;
    if (d < 0) { buf[len++] = '-'; d = -d; }
    char dig[EXACT_MAX + 8];
    int p;
    if (d == 0) {
        memset(dig, '0', (size_t)prec);
        p = 1;
    } else {
        rounded_digits(d, prec, 0, dig, &p);
    }
    int e = p - 1;
    if (e < -6 || e >= prec) {
        buf[len++] = dig[0];
        if (prec > 1) {
            buf[len++] = '.';
            memcpy(buf + len, dig + 1, (size_t)(prec - 1));
            len += prec - 1;
        }
        len += put_exp(buf + len, e);
    } else if (e == prec - 1) {
        memcpy(buf + len, dig, (size_t)prec);
        len += prec;
    } else if (e >= 0) {
        memcpy(buf + len, dig, (size_t)(e + 1));
        len += e + 1;
        buf[len++] = '.';
        memcpy(buf + len, dig + e + 1, (size_t)(prec - e - 1));
        len += prec - e - 1;
    } else {
        buf[len++] = '0';
        buf[len++] = '.';
        for (int i = 0; i < -(e + 1); i++) buf[len++] = '0';
        memcpy(buf + len, dig, (size_t)prec);
        len += prec;
    }
    buf[len] = 0;
    return len;
}

/* ---- parsing ---- */

/* Significant digits kept by the parser: every halfway point between doubles
 * has at most 768 significant digits, so digits past 800 only matter as a
 * sticky "something non-zero follows". */
#define PARSE_DIGITS 800

static const double exact_pow10[23] = {
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13,
    1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

/* Build the big integer of the digit string. */
static void bn_from_digits(bn *a, const char *dig, int nd)
{
    a->n = 0;
    int i = 0;
    while (i < nd) {
        uint32_t chunk = 0, mul = 1;
        for (int j = 0; j < 9 && i < nd; j++, i++) {
            chunk = chunk * 10 + (uint32_t)(dig[i] - '0');
            mul *= 10;
        }
        bn_mul_small(a, mul);
        /* add chunk */
        uint64_t carry = chunk;
        for (int j = 0; j < a->n && carry; j++) {
            uint64_t x = (uint64_t)a->d[j] + carry;
            a->d[j] = (uint32_t)x;
            carry = x >> 32;
        }
        if (carry) a->d[a->n++] = (uint32_t)carry;
    }
}

/* Compare D * 10^e10 with (2m + 1) * 2^(j) exactly (m may be 0, giving 2^j
 * when the caller passes the halfway numerator directly as h). */
static int cmp_scaled(const bn *D, int e10, uint64_t h, int j)
{
    bn x, y;
    bn_copy(&x, D);
    bn_set_u64(&y, h);
    if (e10 >= 0) bn_mul_pow10(&x, e10); else bn_mul_pow10(&y, -e10);
    if (j >= 0) bn_shl(&y, j); else bn_shl(&x, -j);
    return bn_cmp(&x, &y);
}

/*
 * The correctly rounded double of D * 10^e10 (D given as nd digits, first
 * non-zero) starting from an approximation that is a few ulps off at most:
 * walk one ulp at a time, comparing against the exact halfway points.
 */
static double bigcomp(const char *dig, int nd, int e10, double approx)
{
    bn D;
    bn_from_digits(&D, dig, nd);
    double b = approx;
    if (!(b > 0)) b = dbl_from_bits(1);
    if (isinf(b)) b = dbl_from_bits(0x7FEFFFFFFFFFFFFFull);
    for (int iter = 0; iter < 200; iter++) {
        uint64_t f;
        int e;
        int be = dbl_decompose(b, &f, &e);
        /* Upper halfway: (2f + 1) * 2^(e-1). */
        int c = cmp_scaled(&D, e10, 2 * f + 1, e - 1);
        if (c > 0 || (c == 0 && (f & 1))) {
            if (be == 0x7FE && f == (UINT64_C(1) << 53) - 1) return INFINITY;
            b = dbl_from_bits(dbl_bits(b) + 1);
            continue;
        }
        /* Lower halfway: closer when f is a power of two above the minimum. */
        if (f == (UINT64_C(1) << 52) && be > 1)
            c = cmp_scaled(&D, e10, 4 * f - 1, e - 2);
        else
            c = cmp_scaled(&D, e10, 2 * f - 1, e - 1);
        if (c < 0 || (c == 0 && (f & 1))) {
            if (dbl_bits(b) == 1) return 0.0;
            b = dbl_from_bits(dbl_bits(b) - 1);
            continue;
        }
        return b;
    }
    return b;
}

static double decimal_to_double(const char *dig, int nd, int e10)
{
    /* value = 0.dig * 10^(nd + e10) ... i.e. dig * 10^e10 */
    if (nd == 0) return 0.0;
    if (nd + e10 > 310) return INFINITY;
    if (nd + e10 < -326) return 0.0;
    /* Clinger's fast path: both factors exact, one rounding. */
    if (nd <= 15) {
        uint64_t v = 0;
        for (int i = 0; i < nd; i++) v = v * 10 + (uint64_t)(dig[i] - '0');
        /* v < 10^15 and 10^e10 are exact: one correctly rounded operation. */
        if (e10 >= 0 && e10 <= 22) {
            return (double)v * exact_pow10[e10];
        } else if (e10 < 0 && e10 >= -22) {
            return (double)v / exact_pow10[-e10];
        }
    }
    /* Approximation from the leading 19 digits. */
    uint64_t v = 0;
    int used = nd < 19 ? nd : 19;
    for (int i = 0; i < used; i++) v = v * 10 + (uint64_t)(dig[i] - '0');
    int ex = e10 + (nd - used);
    double a = (double)v;
    if (ex > 0) {
        while (ex >= 22 && isfinite(a)) { a *= 1e22; ex -= 22; }
        if (isfinite(a)) a *= exact_pow10[ex];
    } else if (ex < 0) {
        ex = -ex;
        while (ex >= 22) { a /= 1e22; ex -= 22; }
        a /= exact_pow10[ex];
    }
    return bigcomp(dig, nd, e10, a);
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

double jsnum_strtod(const char *s, size_t len, const char **end)
{
    const char *p = s, *lim = s + len;
    int neg = 0;
    if (p < lim && (*p == '+' || *p == '-')) { neg = *p == '-'; p++; }
    if (lim - p >= 8 && memcmp(p, "Infinity", 8) == 0) {
        if (end) *end = p + 8;
        return neg ? -INFINITY : INFINITY;
    }
    char dig[PARSE_DIGITS + 2];
    int nd = 0, sticky = 0, seen = 0;
    long e10 = 0;
    /* Integer part. */
    while (p < lim && is_digit(*p)) {
        seen = 1;
        if (nd == 0 && *p == '0') { p++; continue; }
        if (nd < PARSE_DIGITS) dig[nd++] = *p;
        else { if (*p != '0') sticky = 1; e10++; }
        p++;
    }
    if (p < lim && *p == '.') {
        const char *q = p + 1;
        int frac_seen = 0;
        while (q < lim && is_digit(*q)) {
            frac_seen = 1;
            if (nd == 0 && *q == '0') { e10--; q++; continue; }
            if (nd < PARSE_DIGITS) { dig[nd++] = *q; e10--; }
            else if (*q != '0') sticky = 1;
            q++;
        }
        if (seen || frac_seen) { p = q; seen = 1; }
    }
    if (!seen) {
        if (end) *end = s;
        return NAN;
    }
    if (p < lim && (*p == 'e' || *p == 'E')) {
        const char *q = p + 1;
        int eneg = 0;
        if (q < lim && (*q == '+' || *q == '-')) { eneg = *q == '-'; q++; }
        if (q < lim && is_digit(*q)) {
            long ev = 0;
            while (q < lim && is_digit(*q)) {
                if (ev < 100000000) ev = ev * 10 + (*q - '0');
                q++;
            }
            e10 += eneg ? -ev : ev;
            p = q;
        }
    }
    if (end) *end = p;
    if (sticky) { dig[nd++] = '1'; e10--; }
    /* Trailing zeros only make the big integers larger. */
    while (nd > 0 && dig[nd - 1] == '0') { nd--; e10++; }
    double r;
    if (nd == 0) r = 0.0;
    else if (e10 > 100000) r = INFINITY;
    else if (e10 < -100000) r = 0.0;
    else r = decimal_to_double(dig, nd, (int)e10);
    return neg ? -r : r;
}

static int digit_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

double jsnum_parse_radix(const char *s, size_t len, int radix)
{
    if (radix == 10) {
        /* Only the digits: stop jsnum_strtod at anything else. */
        size_t n = 0;
        while (n < len && is_digit(s[n])) n++;
        if (n == 0) return NAN;
        return jsnum_strtod(s, n, NULL);
    }
    size_t i = 0;
    while (i < len && digit_value(s[i]) < radix) i++;
    len = i;
    if (len == 0) return NAN;
    if ((radix & (radix - 1)) == 0) {
        /* Exact: gather the leading 64 significant bits plus a sticky bit. */
        int bits_per = 0;
        while ((1 << bits_per) < radix) bits_per++;
        uint64_t m = 0;
        int mbits = 0, exp2 = 0, sticky = 0;
        for (i = 0; i < len; i++) {
            int dv = digit_value(s[i]);
            for (int b = bits_per - 1; b >= 0; b--) {
                int bit = (dv >> b) & 1;
                if (mbits == 0 && !bit) continue;
                if (mbits < 64) { m = (m << 1) | (uint64_t)bit; mbits++; }
                else { exp2++; sticky |= bit; }
            }
        }
        if (mbits == 0) return 0.0;
        /* Round m (mbits bits) to 53 bits, half to even with sticky. */
        if (mbits > 53) {
            int drop = mbits - 53;
            uint64_t rem = m & ((UINT64_C(1) << drop) - 1);
            uint64_t half = UINT64_C(1) << (drop - 1);
            m >>= drop;
            exp2 += drop;
            if (rem > half || (rem == half && (sticky || (m & 1)))) {
                m++;
                if (m == (UINT64_C(1) << 53)) { m >>= 1; exp2++; }
            }
        }
        if (exp2 > 1024) return INFINITY;
        return ldexp((double)m, exp2);
    }
    double v = 0;
    for (i = 0; i < len; i++) v = v * radix + digit_value(s[i]);
    return v;
}
