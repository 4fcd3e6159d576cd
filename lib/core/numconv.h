/*
 * numconv.h - exact conversions between doubles and text: shortest round-trip
 * formatting (Number::toString), radix formatting, toFixed/toExponential/
 * toPrecision digits, and correctly rounded decimal parsing.
 * Pure functions on C buffers: no allocation from any heap, no global state.
 */
#ifndef JSE_CORE_NUMCONV_H
#define JSE_CORE_NUMCONV_H

#include <stddef.h>
#include <stdint.h>

/* Buffers of this size hold any result of the functions below except
 * jsnum_to_fixed/radix, which take their size. */
#define JSNUM_BUF 128

/* Number::toString(d) (radix 10), ECMA-262 6.1.6.1.20: "NaN", "-Infinity",
 * "1e+21", "1.5e-7", "0.000001", "-0" prints "0". Returns the length. */
int jsnum_to_string(double d, char *buf);
/* Number.prototype.toString(radix) for radix 2..36 (exact integer part, the
 * fraction digits needed to round-trip). Returns length or -1 if n too small. */
int jsnum_to_radix(double d, int radix, char *buf, size_t n);
/* toFixed(f), f in 0..100, |d| < 1e21 (caller handles the rest). */
int jsnum_to_fixed(double d, int f, char *buf, size_t n);
/* toExponential(f): f = -1 means "as many digits as necessary". */
int jsnum_to_exponential(double d, int f, char *buf);
/* toPrecision(p), p in 1..100. */
int jsnum_to_precision(double d, int p, char *buf);
/* Correctly rounded parse of a decimal StrDecimalLiteral without sign handling
 * beyond an optional leading '-' or '+': digits, '.', exponent. `*end` gets the
 * first unparsed character. ASCII input. */
double jsnum_strtod(const char *s, size_t len, const char **end);
/* Digits in radix 2..36 (no prefix, no separators) to double, exactly rounded
 * for power-of-two radixes and correctly for 10. */
double jsnum_parse_radix(const char *s, size_t len, int radix);

#endif
