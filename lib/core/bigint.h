/*
 * bigint.h - BigInt values: immutable heap cells holding a sign and GMP limbs,
 * with the arithmetic of ECMA-262 6.1.6.2 done by GMP's mpn layer.
 * bigint.c owns the cell layout; it allocates only through jsgc_alloc.
 * Thread rules: immutable after creation (shareable by value between threads
 * only through structured clone).
 */
#ifndef JSE_CORE_BIGINT_H
#define JSE_CORE_BIGINT_H

#include <gmp.h>
#include "value.h"

struct js_thread;
struct js_string;

typedef struct js_bigint {
    js_cell h;              /* h.flags & 1: negative */
    uint32_t len;           /* limbs in use; 0 means zero (never negative zero) */
    mp_limb_t limbs[];
} js_bigint;

/* Constructors: NULL + exception (RangeError/SyntaxError/out of memory) on failure. */
js_bigint *jsbig_from_int64(struct js_thread *t, int64_t v);
js_bigint *jsbig_from_uint64(struct js_thread *t, uint64_t v);
js_bigint *jsbig_from_double(struct js_thread *t, double d);        /* RangeError unless integral */
/* StringToBigInt: returns NULL *without* an exception when the text is not a
 * valid StringIntegerLiteral (caller decides: SyntaxError or NaN). radix 0 =
 * accept 0x/0o/0b prefixes and surrounding whitespace (StringToBigInt). */
js_bigint *jsbig_from_string(struct js_thread *t, const char *s, size_t len, int radix);
/* Text of a literal like 123n/0x1Fn (without the n, separators removed). */
js_bigint *jsbig_from_literal(struct js_thread *t, const char *s, size_t len);

struct js_string *jsbig_to_string(struct js_thread *t, js_bigint *b, int radix);
double jsbig_to_double(js_bigint *b);                 /* correctly rounded */
int64_t jsbig_to_int64(js_bigint *b);                 /* BigInt.asIntN(64) semantics */
uint64_t jsbig_to_uint64(js_bigint *b);
int jsbig_is_zero(const js_bigint *b);
int jsbig_sign(const js_bigint *b);                   /* -1, 0, 1 */

/* Arithmetic: NULL + exception on error (RangeError for /0, negative exponent,
 * too large; out of memory). */
js_bigint *jsbig_add(struct js_thread *t, js_bigint *a, js_bigint *b);
js_bigint *jsbig_sub(struct js_thread *t, js_bigint *a, js_bigint *b);
js_bigint *jsbig_mul(struct js_thread *t, js_bigint *a, js_bigint *b);
js_bigint *jsbig_div(struct js_thread *t, js_bigint *a, js_bigint *b);   /* truncating */
js_bigint *jsbig_mod(struct js_thread *t, js_bigint *a, js_bigint *b);   /* sign of dividend */
js_bigint *jsbig_pow(struct js_thread *t, js_bigint *a, js_bigint *b);
js_bigint *jsbig_shl(struct js_thread *t, js_bigint *a, js_bigint *b);   /* negative b shifts right */
js_bigint *jsbig_sar(struct js_thread *t, js_bigint *a, js_bigint *b);
js_bigint *jsbig_and(struct js_thread *t, js_bigint *a, js_bigint *b);   /* two's complement semantics */
js_bigint *jsbig_or(struct js_thread *t, js_bigint *a, js_bigint *b);
js_bigint *jsbig_xor(struct js_thread *t, js_bigint *a, js_bigint *b);
js_bigint *jsbig_not(struct js_thread *t, js_bigint *a);
js_bigint *jsbig_neg(struct js_thread *t, js_bigint *a);
js_bigint *jsbig_inc(struct js_thread *t, js_bigint *a, int delta);     /* delta +1/-1 */
js_bigint *jsbig_as_int_n(struct js_thread *t, uint64_t bits, js_bigint *a);
js_bigint *jsbig_as_uint_n(struct js_thread *t, uint64_t bits, js_bigint *a);

int jsbig_cmp(const js_bigint *a, const js_bigint *b);               /* -1, 0, 1 */
/* Compare with a double: -1, 0, 1, or 2 when d is NaN. */
int jsbig_cmp_double(const js_bigint *a, double d);
int jsbig_equal(const js_bigint *a, const js_bigint *b);
uint32_t jsbig_hash(const js_bigint *a);

#endif
