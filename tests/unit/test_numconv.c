/*
 * test_numconv.c - unit tests for lib/core/numconv.c: Number::toString,
 * radix output, toFixed/toExponential/toPrecision (JS tie rules), and
 * correctly rounded parsing, with known cases and random round trips
 * checked against the C library (glibc's strtod is correctly rounded).
 */
#include <check.h>
#include "check_main.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <math.h>
#include "core/numconv.h"

static const char *str(double d)
{
    static char buf[JSNUM_BUF];
    jsnum_to_string(d, buf);
    return buf;
}

static double parse(const char *s)
{
    return jsnum_strtod(s, strlen(s), NULL);
}

START_TEST(test_to_string)
{
    ck_assert_str_eq(str(0.1 + 0.2), "0.30000000000000004");
    ck_assert_str_eq(str(1e21), "1e+21");
    ck_assert_str_eq(str(1e20), "100000000000000000000");
    ck_assert_str_eq(str(123e-20), "1.23e-18");
    ck_assert_str_eq(str(5e-324), "5e-324");
    ck_assert_str_eq(str(-0.0), "0");
    ck_assert_str_eq(str(0.0), "0");
    ck_assert_str_eq(str(NAN), "NaN");
    ck_assert_str_eq(str(INFINITY), "Infinity");
    ck_assert_str_eq(str(-INFINITY), "-Infinity");
    ck_assert_str_eq(str(1.5e-7), "1.5e-7");
    ck_assert_str_eq(str(0.000001), "0.000001");
    ck_assert_str_eq(str(1e-7), "1e-7");
    ck_assert_str_eq(str(-123.456), "-123.456");
    ck_assert_str_eq(str(1.7976931348623157e308), "1.7976931348623157e+308");
    ck_assert_str_eq(str(2.2250738585072014e-308), "2.2250738585072014e-308");
    ck_assert_str_eq(str(9007199254740992.0), "9007199254740992");
    ck_assert_str_eq(str(9007199254740994.0), "9007199254740994");
    ck_assert_str_eq(str(123456789012345680000.0), "123456789012345680000");
    ck_assert_str_eq(str(4294967295.0), "4294967295");
    ck_assert_str_eq(str(1.0 / 3.0), "0.3333333333333333");
    ck_assert_str_eq(str(2.0 / 3.0), "0.6666666666666666");
    ck_assert_str_eq(str(100), "100");
    ck_assert_str_eq(str(1e300), "1e+300");
    ck_assert_str_eq(str(5e-7), "5e-7");
    ck_assert_str_eq(str(1.2e-6), "0.0000012");
    ck_assert_str_eq(str(9.5367431640625e-7), "9.5367431640625e-7");
    ck_assert_str_eq(str(2e-323), "2e-323");
    ck_assert_str_eq(str(1e23), "1e+23");
}
END_TEST

START_TEST(test_radix)
{
    char buf[2400];
    jsnum_to_radix(25, 36, buf, sizeof buf); ck_assert_str_eq(buf, "p");
    jsnum_to_radix(0.5, 2, buf, sizeof buf); ck_assert_str_eq(buf, "0.1");
    jsnum_to_radix(-255.5, 16, buf, sizeof buf); ck_assert_str_eq(buf, "-ff.8");
    jsnum_to_radix(255, 2, buf, sizeof buf); ck_assert_str_eq(buf, "11111111");
    jsnum_to_radix(0.1, 3, buf, sizeof buf); ck_assert_str_eq(buf, "0.0022002200220022002200220022002201");
    jsnum_to_radix(-0.0, 2, buf, sizeof buf); ck_assert_str_eq(buf, "0");
    jsnum_to_radix(NAN, 2, buf, sizeof buf); ck_assert_str_eq(buf, "NaN");
    jsnum_to_radix(1e21, 16, buf, sizeof buf); ck_assert_str_eq(buf, "3635c9adc5dea00000");
    jsnum_to_radix(3.5, 10, buf, sizeof buf); ck_assert_str_eq(buf, "3.5");
    ck_assert_int_eq(jsnum_to_radix(5e-324, 2, buf, sizeof buf), 1076);
    ck_assert_int_eq(jsnum_to_radix(-1.7976931348623157e308, 2, buf, sizeof buf), 1025);
    ck_assert_int_eq(jsnum_to_radix(255, 2, buf, 4), -1);
    for (int r = 11; r <= 36; r++)
        for (int i = 10; i < r; i++) {
            jsnum_to_radix(i, r, buf, sizeof buf);
            ck_assert_int_eq(buf[0], 'a' + i - 10);
        }
}
END_TEST

static const char *fixed(double d, int f)
{
    static char buf[256];
    jsnum_to_fixed(d, f, buf, sizeof buf);
    return buf;
}

START_TEST(test_fixed)
{
    ck_assert_str_eq(fixed(1.255, 2), "1.25");     /* 1.255 is below the tie */
    ck_assert_str_eq(fixed(1.005, 2), "1.00");
    ck_assert_str_eq(fixed(2.5, 0), "3");
    ck_assert_str_eq(fixed(-1.5, 0), "-2");
    ck_assert_str_eq(fixed(0.5, 0), "1");
    ck_assert_str_eq(fixed(1.45, 1), "1.4");
    ck_assert_str_eq(fixed(1.25, 1), "1.3");       /* exact tie: larger n */
    ck_assert_str_eq(fixed(0, 2), "0.00");
    ck_assert_str_eq(fixed(-0.0, 2), "0.00");
    ck_assert_str_eq(fixed(-0.0000001, 2), "-0.00");
    ck_assert_str_eq(fixed(0.000001, 7), "0.0000010");
    ck_assert_str_eq(fixed(123.456, 10), "123.4560000000");
    ck_assert_str_eq(fixed(1e20, 2), "100000000000000000000.00");
    ck_assert_str_eq(fixed(1000000000000000128.0, 0), "1000000000000000128");
    ck_assert_str_eq(fixed(9.995, 2), "9.99");
    ck_assert_str_eq(fixed(9.9951, 2), "10.00");
    ck_assert_str_eq(fixed(0.0009, 3), "0.001");
    ck_assert_str_eq(fixed(0.0004, 3), "0.000");
    ck_assert_str_eq(fixed(42, 0), "42");
    ck_assert_str_eq(fixed(0.1, 20), "0.10000000000000000555");
    ck_assert_str_eq(fixed(1.1, 100),
        "1.1000000000000000888178419700125232338905334472656250000000000000000000000000000000000000000000000000");
    ck_assert_str_eq(fixed(5e-324, 100), "0.0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
}
END_TEST

START_TEST(test_exponential_precision)
{
    char buf[JSNUM_BUF];
    jsnum_to_exponential(123.456, 2, buf); ck_assert_str_eq(buf, "1.23e+2");
    jsnum_to_exponential(123.456, -1, buf); ck_assert_str_eq(buf, "1.23456e+2");
    jsnum_to_exponential(0, -1, buf); ck_assert_str_eq(buf, "0e+0");
    jsnum_to_exponential(0, 2, buf); ck_assert_str_eq(buf, "0.00e+0");
    jsnum_to_exponential(-1.5, 0, buf); ck_assert_str_eq(buf, "-2e+0");
    jsnum_to_exponential(25, 0, buf); ck_assert_str_eq(buf, "3e+1");
    jsnum_to_exponential(1.25, 1, buf); ck_assert_str_eq(buf, "1.3e+0");
    jsnum_to_exponential(1.35, 1, buf); ck_assert_str_eq(buf, "1.4e+0");  /* 1.35 is above the tie */
    jsnum_to_exponential(5e-324, 2, buf); ck_assert_str_eq(buf, "4.94e-324");
    jsnum_to_exponential(1.7976931348623157e308, 20, buf); ck_assert_str_eq(buf, "1.79769313486231570815e+308");
    jsnum_to_precision(0.000001, 2, buf); ck_assert_str_eq(buf, "0.0000010");
    jsnum_to_precision(0.0000001, 2, buf); ck_assert_str_eq(buf, "1.0e-7");
    jsnum_to_precision(123456, 2, buf); ck_assert_str_eq(buf, "1.2e+5");
    jsnum_to_precision(123.456, 4, buf); ck_assert_str_eq(buf, "123.5");
    jsnum_to_precision(0, 3, buf); ck_assert_str_eq(buf, "0.00");
    jsnum_to_precision(-0.0, 1, buf); ck_assert_str_eq(buf, "0");
    jsnum_to_precision(25, 1, buf); ck_assert_str_eq(buf, "3e+1");
    jsnum_to_precision(99.99, 3, buf); ck_assert_str_eq(buf, "100");
    jsnum_to_precision(999.99, 3, buf); ck_assert_str_eq(buf, "1.00e+3");
    jsnum_to_precision(123, 3, buf); ck_assert_str_eq(buf, "123");
    jsnum_to_precision(-1.5, 1, buf); ck_assert_str_eq(buf, "-2");
    jsnum_to_precision(1e21, 1, buf); ck_assert_str_eq(buf, "1e+21");
    jsnum_to_precision(INFINITY, 1, buf); ck_assert_str_eq(buf, "Infinity");
    jsnum_to_precision(1.0 / 3.0, 100, buf);
    ck_assert_str_eq(buf, "0.3333333333333333148296162562473909929394721984863281250000000000000000000000000000000000000000000000");
}
END_TEST

START_TEST(test_strtod)
{
    const char *end;
    const char *s = "  ";
    ck_assert(isnan(jsnum_strtod(s, 2, &end)) && end == s);
    ck_assert(parse("0.1") == 0.1);
    ck_assert(parse("1e21") == 1e21);
    ck_assert(parse("5e-324") == 5e-324);
    ck_assert(parse("2.4703282292062327e-324") == 0.0);
    ck_assert(parse("2.4703282292062328e-324") == 5e-324);
    ck_assert(parse("1.7976931348623158e308") == 1.7976931348623157e308);
    ck_assert(isinf(parse("1.7976931348623159e308")));
    ck_assert(parse("9007199254740993") == 9007199254740992.0);
    ck_assert(parse("9007199254740993.0000000000000000000000000001") == 9007199254740994.0);
    ck_assert(parse("-.5") == -0.5);
    ck_assert(parse("5.") == 5.0);
    ck_assert(signbit(parse("-0")));
    ck_assert(parse("Infinity") == INFINITY);
    ck_assert(parse("-Infinity") == -INFINITY);
    ck_assert(parse("1e-99999999999999") == 0.0);
    ck_assert(isinf(parse("1e99999999999999")));
    ck_assert(parse("0e99999999999999") == 0.0);
    ck_assert(parse("0.000000000000000000000000000000000000000000001e45") == 1.0);
    const char *x = "12.5e+3abc";
    ck_assert(jsnum_strtod(x, strlen(x), &end) == 12500.0 && end == x + 7);
    x = "7e+";
    ck_assert(jsnum_strtod(x, strlen(x), &end) == 7.0 && end == x + 1);
    /* A 1,000-digit input just above a halfway point. */
    char big[1100];
    strcpy(big, "9007199254740993");
    for (int i = 16; i < 1000; i++) big[i] = '0';
    big[999] = '1';
    strcpy(big + 1000, "e-984");
    ck_assert(parse(big) == 9007199254740994.0);
    big[999] = '0';
    ck_assert(parse(big) == 9007199254740992.0);
    ck_assert(jsnum_parse_radix("ff", 2, 16) == 255.0);
    ck_assert(jsnum_parse_radix("zz", 2, 36) == 1295.0);
    ck_assert(jsnum_parse_radix("123", 3, 10) == 123.0);
    /* 2^53 + 1 in binary rounds to even; 2^53 + 3 rounds up. */
    ck_assert(jsnum_parse_radix("100000000000000000000000000000000000000000000000000001", 54, 2) == 9007199254740992.0);
    ck_assert(jsnum_parse_radix("100000000000000000000000000000000000000000000000000011", 54, 2) == 9007199254740996.0);
    ck_assert(jsnum_parse_radix("20000000000003", 14, 16) == 9007199254740996.0);
    ck_assert(isnan(jsnum_parse_radix("", 0, 16)));
}
END_TEST

static uint64_t rng = 0x9E3779B97F4A7C15ull;
static uint64_t next_rand(void) { rng ^= rng << 13; rng ^= rng >> 7; rng ^= rng << 17; return rng; }

START_TEST(test_random_round_trip)
{
    char buf[JSNUM_BUF], ref[64];
    for (int i = 0; i < 200000; i++) {
        uint64_t u = next_rand();
        double d;
        memcpy(&d, &u, sizeof d);
        if (i % 2) d = (double)(next_rand() % 10000000) / (double)(1 + next_rand() % 10000);
        if (!isfinite(d)) continue;
        int len = jsnum_to_string(d, buf);
        double back = jsnum_strtod(buf, (size_t)len, NULL);
        ck_assert_msg(back == d, "%.17g -> %s -> %.17g", d, buf, back);
        ck_assert_msg(strtod(buf, NULL) == d, "%.17g -> %s (libc)", d, buf);
        /* Shortest: the libc digit count that round-trips is the same. */
        int p;
        for (p = 1; p <= 17; p++) {
            snprintf(ref, sizeof ref, "%.*e", p - 1, d);
            if (strtod(ref, NULL) == d) break;
        }
        int nd = 0, started = 0, trail = 0;
        for (const char *c = buf; *c && *c != 'e'; c++) {
            if (*c < '0' || *c > '9') continue;
            if (*c != '0') started = 1;
            if (!started) continue;
            nd++;
            trail = *c == '0' ? trail + 1 : 0;
        }
        nd -= trail;
        if (nd < 1) nd = 1;
        ck_assert_msg(nd == p, "%.17g -> %s not shortest (%d)", d, buf, p);
        /* Random decimal strings parse like libc. */
        int n = snprintf(ref, sizeof ref, "%llue%d", (unsigned long long)(next_rand() >> (next_rand() % 64)),
                         (int)(next_rand() % 700) - 350);
        double x = jsnum_strtod(ref, (size_t)n, NULL), y = strtod(ref, NULL);
        ck_assert_msg(memcmp(&x, &y, sizeof x) == 0, "%s: %.17g vs %.17g", ref, x, y);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("numconv");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_to_string);
    tcase_add_test(tc, test_radix);
    tcase_add_test(tc, test_fixed);
    tcase_add_test(tc, test_exponential_precision);
    tcase_add_test(tc, test_strtod);
    tcase_add_test(tc, test_random_round_trip);
    suite_add_tcase(s, tc);
    return jsetest_run(s);
}
