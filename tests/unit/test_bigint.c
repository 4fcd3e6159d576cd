/*
 * test_bigint.c - unit tests for lib/core/bigint.c: arithmetic against exact
 * results computed by Python, conversions, comparison with doubles, errors.
 * Links bigint.c with stubs_numbers.c (no runtime needed).
 */
#include <check.h>
#include "check_main.h"
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "core/bigint.h"
#include "core/runtime.h"
#include "vm/vm.h"
#include "bigint_cases.h"

extern int stub_last_error_kind;
extern char stub_last_error_msg[256];

static js_thread thr;
static js_thread *t = &thr;

static js_bigint *B(const char *s)
{
    js_bigint *b = jsbig_from_string(t, s, strlen(s), 0);
    ck_assert_msg(b != NULL, "parse %s", s);
    return b;
}

static char *S(js_bigint *b, int radix)
{
    static char buf[4096];
    js_string *s = jsbig_to_string(t, b, radix);
    ck_assert_ptr_nonnull(s);
    memcpy(buf, s->u.c8, s->len);
    buf[s->len] = 0;
    return buf;
}

static void check_norm(js_bigint *b)
{
    ck_assert(b->len == 0 || b->limbs[b->len - 1] != 0);
    if (b->len == 0) ck_assert_int_eq(b->h.flags & 1, 0);
}

START_TEST(test_arith_table)
{
    typedef js_bigint *(*binop)(js_thread *, js_bigint *, js_bigint *);
    binop ops[8] = { jsbig_add, jsbig_sub, jsbig_mul, jsbig_div, jsbig_mod, jsbig_and, jsbig_or, jsbig_xor };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        js_bigint *a = B(cases[i][0]), *b = B(cases[i][1]);
        for (int k = 0; k < 8; k++) {
            stub_last_error_kind = -1;
            js_bigint *r = ops[k](t, a, b);
            if (!cases[i][2 + k]) {
                ck_assert_ptr_null(r);
                ck_assert_int_eq(stub_last_error_kind, JS_ERR_RANGE);
                continue;
            }
            ck_assert_ptr_nonnull(r);
            check_norm(r);
            ck_assert_msg(strcmp(S(r, 10), cases[i][2 + k]) == 0, "op %d on %s, %s: got %s want %s",
                          k, cases[i][0], cases[i][1], S(r, 10), cases[i][2 + k]);
        }
    }
}
END_TEST

START_TEST(test_shifts)
{
    for (size_t i = 0; i < sizeof shifts / sizeof shifts[0]; i++) {
        js_bigint *a = B(shifts[i][0]), *s = B(shifts[i][1]);
        ck_assert_str_eq(S(jsbig_shl(t, a, s), 10), shifts[i][2]);
        ck_assert_str_eq(S(jsbig_sar(t, a, s), 10), shifts[i][3]);
    }
    /* Huge shifts: right gives 0 / -1, left throws. */
    ck_assert_str_eq(S(jsbig_sar(t, B("-5"), B("1000000000000")), 10), "-1");
    ck_assert_str_eq(S(jsbig_sar(t, B("5"), B("1000000000000")), 10), "0");
    ck_assert_ptr_null(jsbig_shl(t, B("1"), B("1000000000000")));
    ck_assert_str_eq(S(jsbig_shl(t, B("0"), B("1000000000000")), 10), "0");
}
END_TEST

START_TEST(test_as_n)
{
    for (size_t i = 0; i < sizeof asn / sizeof asn[0]; i++) {
        js_bigint *a = B(asn[i][0]);
        uint64_t n = strtoull(asn[i][1], NULL, 10);
        js_bigint *x = jsbig_as_int_n(t, n, a), *y = jsbig_as_uint_n(t, n, a);
        check_norm(x); check_norm(y);
        ck_assert_msg(strcmp(S(x, 10), asn[i][2]) == 0, "asIntN(%s, %s) = %s", asn[i][1], asn[i][0], S(x, 10));
        ck_assert_msg(strcmp(S(y, 10), asn[i][3]) == 0, "asUintN(%s, %s) = %s", asn[i][1], asn[i][0], S(y, 10));
    }
    uint64_t big = (UINT64_C(1) << 53) - 1;
    ck_assert_str_eq(S(jsbig_as_int_n(t, big, B("-12345")), 10), "-12345");
    ck_assert_str_eq(S(jsbig_as_uint_n(t, big, B("12345")), 10), "12345");
    stub_last_error_kind = -1;
    ck_assert_ptr_null(jsbig_as_uint_n(t, big, B("-1")));
    ck_assert_int_eq(stub_last_error_kind, JS_ERR_RANGE);
}
END_TEST

START_TEST(test_pow)
{
    ck_assert_str_eq(S(jsbig_pow(t, B("2"), B("100")), 10), "1267650600228229401496703205376");
    ck_assert_str_eq(S(jsbig_pow(t, B("-3"), B("41")), 10), "-36472996377170786403");
    ck_assert_str_eq(S(jsbig_pow(t, B("-2"), B("64")), 10), "18446744073709551616");
    ck_assert_str_eq(S(jsbig_pow(t, B("-2"), B("63")), 10), "-9223372036854775808");
    ck_assert_str_eq(S(jsbig_pow(t, B("0"), B("0")), 10), "1");
    ck_assert_str_eq(S(jsbig_pow(t, B("-1"), B("1000000000000001")), 10), "-1");
    ck_assert_str_eq(S(jsbig_pow(t, B("10"), B("30")), 10), "1000000000000000000000000000000");
    ck_assert_str_eq(S(jsbig_pow(t, B("7"), B("1")), 10), "7");
    stub_last_error_kind = -1;
    ck_assert_ptr_null(jsbig_pow(t, B("2"), B("-1")));
    ck_assert_int_eq(stub_last_error_kind, JS_ERR_RANGE);
    ck_assert_ptr_null(jsbig_pow(t, B("3"), B("100000000000")));
    ck_assert_ptr_null(jsbig_div(t, B("3"), B("0")));
    ck_assert_ptr_null(jsbig_mod(t, B("3"), B("0")));
}
END_TEST

START_TEST(test_strings)
{
    ck_assert_str_eq(S(B("  0x1F \n"), 10), "31");
    ck_assert_str_eq(S(B("0o17"), 10), "15");
    ck_assert_str_eq(S(B("0B101"), 10), "5");
    ck_assert_str_eq(S(B(""), 10), "0");
    ck_assert_str_eq(S(B("   "), 10), "0");
    ck_assert_str_eq(S(B("-0"), 10), "0");
    ck_assert_str_eq(S(B("+123"), 10), "123");
    ck_assert_str_eq(S(B("\xc2\xa0 42\xe2\x80\xa8"), 10), "42");
    ck_assert_str_eq(S(B("42\xc2\xa0"), 10), "42");
    ck_assert_str_eq(S(B("-000255"), 16), "-ff");
    ck_assert_str_eq(S(B("1267650600228229401496703205376"), 2),
                     "10000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
    ck_assert_str_eq(S(B("123456789012345678901234567890"), 36), "byw97um9s91dlz68tsi");
    const char *bad[] = { "0x", "-0x1", "1n", "1.5", "1e3", "abc", "- 1", "0x1g", "+", "1_000" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(jsbig_from_string(t, bad[i], strlen(bad[i]), 0) == NULL, "accepted %s", bad[i]);
    js_bigint *l = jsbig_from_literal(t, "0xff", 4);
    ck_assert_str_eq(S(l, 10), "255");
    ck_assert_str_eq(S(jsbig_from_literal(t, "1000", 4), 10), "1000");
    ck_assert_str_eq(S(jsbig_from_string(t, "-zz", 3, 36), 10), "-1295");
    /* A long decimal round trip. */
    char big[2001];
    for (int i = 0; i < 2000; i++) big[i] = (char)('1' + i % 9);
    big[2000] = 0;
    ck_assert_str_eq(S(B(big), 10), big);
}
END_TEST

START_TEST(test_doubles)
{
    ck_assert(jsbig_to_double(B("9007199254740993")) == 9007199254740992.0);
    ck_assert(jsbig_to_double(B("9007199254740995")) == 9007199254740996.0);
    ck_assert(jsbig_to_double(B("-18446744073709551615")) == -18446744073709551616.0);
    /* 2^64 + 2^11 + 1 is just above the tie: rounds up. */
    ck_assert(jsbig_to_double(B("18446744073709553665")) == 18446744073709555712.0);
    ck_assert(jsbig_to_double(B("18446744073709553664")) == 18446744073709551616.0);
    ck_assert(isinf(jsbig_to_double(jsbig_pow(t, B("2"), B("1024")))));
    ck_assert(jsbig_to_double(jsbig_sub(t, jsbig_pow(t, B("2"), B("1024")), jsbig_pow(t, B("2"), B("970")))) > 1.79e308);
    ck_assert(isinf(jsbig_to_double(jsbig_sub(t, jsbig_pow(t, B("2"), B("1024")), jsbig_pow(t, B("2"), B("970"))))));
    ck_assert(!isinf(jsbig_to_double(jsbig_sub(t, jsbig_pow(t, B("2"), B("1024")), jsbig_pow(t, B("2"), B("971"))))));
    ck_assert_str_eq(S(jsbig_from_double(t, 1e21), 10), "1000000000000000000000");
    ck_assert_str_eq(S(jsbig_from_double(t, -1.7976931348623157e308), 16),
        "-fffffffffffff800000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000");
    ck_assert_str_eq(S(jsbig_from_double(t, -0.0), 10), "0");
    ck_assert_ptr_null(jsbig_from_double(t, 0.5));
    ck_assert_ptr_null(jsbig_from_double(t, NAN));
    ck_assert_int_eq(jsbig_cmp_double(B("1"), 1.5), -1);
    ck_assert_int_eq(jsbig_cmp_double(B("2"), 1.5), 1);
    ck_assert_int_eq(jsbig_cmp_double(B("-1"), -1.5), 1);
    ck_assert_int_eq(jsbig_cmp_double(B("-2"), -1.5), -1);
    ck_assert_int_eq(jsbig_cmp_double(B("9007199254740993"), 9007199254740992.0), 1);
    ck_assert_int_eq(jsbig_cmp_double(B("9007199254740992"), 9007199254740992.0), 0);
    ck_assert_int_eq(jsbig_cmp_double(B("0"), -0.0), 0);
    ck_assert_int_eq(jsbig_cmp_double(B("0"), 5e-324), -1);
    ck_assert_int_eq(jsbig_cmp_double(B("0"), NAN), 2);
    ck_assert_int_eq(jsbig_cmp_double(B("-99999999999999999999999999999"), -INFINITY), 1);
    ck_assert_int_eq(jsbig_cmp_double(B("1000000000000000000000"), 1e21), 0);
    ck_assert_int_eq(jsbig_cmp_double(B("1000000000000000000001"), 1e21), 1);
    ck_assert(jsbig_to_int64(B("-1")) == -1);
    ck_assert(jsbig_to_uint64(B("-1")) == UINT64_MAX);
    ck_assert(jsbig_to_int64(B("18446744073709551617")) == 1);
    ck_assert(jsbig_to_int64(B("9223372036854775808")) == INT64_MIN);
    ck_assert_str_eq(S(jsbig_from_int64(t, INT64_MIN), 10), "-9223372036854775808");
    ck_assert_str_eq(S(jsbig_from_uint64(t, UINT64_MAX), 10), "18446744073709551615");
}
END_TEST

START_TEST(test_misc)
{
    ck_assert_str_eq(S(jsbig_not(t, B("5")), 10), "-6");
    ck_assert_str_eq(S(jsbig_not(t, B("-1")), 10), "0");
    ck_assert_str_eq(S(jsbig_neg(t, B("0")), 10), "0");
    ck_assert_str_eq(S(jsbig_inc(t, B("-1"), 1), 10), "0");
    ck_assert_str_eq(S(jsbig_inc(t, B("18446744073709551615"), 1), 10), "18446744073709551616");
    ck_assert_str_eq(S(jsbig_inc(t, B("0"), -1), 10), "-1");
    ck_assert(jsbig_equal(B("123"), B("0x7b")));
    ck_assert(!jsbig_equal(B("123"), B("-123")));
    ck_assert(jsbig_hash(B("123")) == jsbig_hash(B("0x7b")));
    ck_assert_int_eq(jsbig_cmp(B("-5"), B("3")), -1);
    ck_assert_int_eq(jsbig_cmp(B("-5"), B("-30")), 1);
    ck_assert_int_eq(jsbig_sign(B("-0")), 0);
    ck_assert(jsbig_is_zero(jsbig_sub(t, B("7"), B("7"))));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("bigint");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_arith_table);
    tcase_add_test(tc, test_shifts);
    tcase_add_test(tc, test_as_n);
    tcase_add_test(tc, test_pow);
    tcase_add_test(tc, test_strings);
    tcase_add_test(tc, test_doubles);
    tcase_add_test(tc, test_misc);
    suite_add_tcase(s, tc);
    return jsetest_run(s);
}
