/*
 * test_temporal.c - unit tests for the pure ISO 8601 calendar math and the
 * RFC 9557 string parser of lib/builtins/temporal/calendar.c (built alone
 * with TP_PURE_ONLY: no runtime, no VM).
 */
#include <check.h>
#include "check_main.h"
#include <stdlib.h>
#include <string.h>
#define TP_PURE_ONLY
#include "builtins/temporal/temporal.h"

START_TEST(test_epoch_days)
{
    ck_assert_int_eq(tp_epoch_days(1970, 1, 1), 0);
    ck_assert_int_eq(tp_epoch_days(2000, 3, 1), 11017);
    ck_assert_int_eq(tp_epoch_days(275760, 9, 13), 100000000);
    ck_assert_int_eq(tp_epoch_days(-271821, 4, 20), -100000000);
    ck_assert_int_eq(tp_epoch_days(2020, 13, 1), tp_epoch_days(2021, 1, 1));
    for (int64_t d = -800000; d < 800000; d += 97) {
        tp_date x = tp_from_epoch_days(d);
        ck_assert_int_eq(tp_epoch_days(x.year, x.month, x.day), d);
    }
}
END_TEST

START_TEST(test_calendar_fields)
{
    tp_date d = { 2024, 2, 29 };
    ck_assert_int_eq(tp_is_leap(2024), 1);
    ck_assert_int_eq(tp_is_leap(1900), 0);
    ck_assert_int_eq(tp_is_leap(2000), 1);
    ck_assert_int_eq(tp_days_in_month(2023, 2), 28);
    ck_assert_int_eq(tp_day_of_week(d), 4);
    ck_assert_int_eq(tp_day_of_year(d), 60);
    int w; int32_t y;
    tp_date jan1 = { 2021, 1, 1 };
    tp_week_of_year(jan1, &w, &y);
    ck_assert_int_eq(w, 53);
    ck_assert_int_eq(y, 2020);
    ck_assert(tp_date_in_limits((tp_date){ -271821, 4, 19 }));
    ck_assert(!tp_date_in_limits((tp_date){ -271821, 4, 18 }));
    ck_assert(tp_date_in_limits((tp_date){ 275760, 9, 13 }));
    ck_assert(!tp_date_in_limits((tp_date){ 275760, 9, 14 }));
}
END_TEST

START_TEST(test_format)
{
    char buf[64];
    tp_format_date(buf, (tp_date){ -5, 1, 2 });
    ck_assert_str_eq(buf, "-000005-01-02");
    tp_format_date(buf, (tp_date){ 12345, 12, 31 });
    ck_assert_str_eq(buf, "+012345-12-31");
    tp_time t = { 1, 2, 3, 400, 0, 0 };
    tp_format_time(buf, t, -1);
    ck_assert_str_eq(buf, "01:02:03.4");
    tp_format_time(buf, t, -2);
    ck_assert_str_eq(buf, "01:02");
    tp_format_time(buf, t, 6);
    ck_assert_str_eq(buf, "01:02:03.400000");
}
END_TEST

static int parse(const char *s, int kind, tp_parsed *p) { return tp_parse(s, strlen(s), kind, p); }

START_TEST(test_parse)
{
    tp_parsed p;
    ck_assert_int_eq(parse("2020-01-02T03:04:05.123456789+01:00[Europe/Paris][u-ca=iso8601]", TP_PARSE_ZONED, &p), 0);
    ck_assert_int_eq(p.date.day, 2);
    ck_assert_int_eq(p.time.ns, 789);
    ck_assert_int_eq(p.offset_ns, 3600000000000LL);
    ck_assert_str_eq(p.tz, "Europe/Paris");
    ck_assert_str_eq(p.calendar, "iso8601");
    ck_assert_int_eq(parse("20200102", TP_PARSE_DATE, &p), 0);
    ck_assert_int_eq(parse("2020-0102", TP_PARSE_DATE, &p), -1);
    ck_assert_int_eq(parse("-000000-01-01", TP_PARSE_DATE, &p), -1);
    ck_assert_int_eq(parse("2020-01-01[!foo=bar]", TP_PARSE_DATE, &p), -1);
    ck_assert_int_eq(parse("2020-01-01[foo=bar]", TP_PARSE_DATE, &p), 0);
    ck_assert_int_eq(parse("2020-01-01[UTC][UTC]", TP_PARSE_DATE, &p), -1);
    ck_assert_int_eq(parse("12:30", TP_PARSE_TIME, &p), 0);
    ck_assert_int_eq(parse("1214", TP_PARSE_TIME, &p), -1);      /* ambiguous with MMDD */
    ck_assert_int_eq(parse("T1214", TP_PARSE_TIME, &p), 0);
    ck_assert_int_eq(parse("1314", TP_PARSE_TIME, &p), 0);
    ck_assert_int_eq(parse("--12-25", TP_PARSE_MONTHDAY, &p), 0);
    ck_assert_int_eq(p.date.month, 12);
    ck_assert_int_eq(parse("2020-05", TP_PARSE_YEARMONTH, &p), 0);
    ck_assert_int_eq(parse("2020-01-01T00:00", TP_PARSE_INSTANT, &p), -1);  /* offset required */
    ck_assert_int_eq(parse("2020-01-01T00:00:60Z", TP_PARSE_INSTANT, &p), 0);
    ck_assert_int_eq(p.time.second, 59);
    int64_t ns; int sub;
    ck_assert_int_eq(tp_parse_offset("-05:30:15.5", 11, &ns, &sub), 0);
    ck_assert_int_eq(sub, 1);
    ck_assert_int_eq(ns, -(((5 * 60 + 30) * 60 + 15) * 1000000000LL + 500000000));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("temporal");
    TCase *tc = tcase_create("calendar");
    tcase_add_test(tc, test_epoch_days);
    tcase_add_test(tc, test_calendar_fields);
    tcase_add_test(tc, test_format);
    tcase_add_test(tc, test_parse);
    suite_add_tcase(s, tc);
    return jsetest_run(s);
}
