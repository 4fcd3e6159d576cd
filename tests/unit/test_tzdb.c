/*
 * test_tzdb.c - the time zone database reader (lib/builtins/temporal/tzdb.c):
 * TZif files built here byte by byte (valid, truncated at every length,
 * hostile counts), POSIX TZ footer rules, and a runtime whose TZDIR points at
 * a directory this test creates, seen through the public API.
 */
#include <check.h>
#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <jsengine.h>
#define TP_PURE_ONLY
#include "builtins/temporal/temporal.h"
#include "builtins/temporal/tzdb.h"

#define NS 1000000000LL

static void put32(unsigned char **p, uint32_t v)
{
    (*p)[0] = v >> 24; (*p)[1] = v >> 16; (*p)[2] = v >> 8; (*p)[3] = v;
    *p += 4;
}

static void put64(unsigned char **p, int64_t v)
{
    put32(p, (uint32_t)((uint64_t)v >> 32));
    put32(p, (uint32_t)v);
}

/* A TZif file: v1 block (32-bit), then for version >= 2 the 64-bit block
 * and the footer. Types get abbreviation index 0 ("ABC"). Returns its size. */
static size_t build_tzif(unsigned char *buf, char version, const int64_t *trans, const uint8_t *idx, int nt,
                         const int32_t *offs, int ntypes, const char *footer)
{
    unsigned char *p = buf;
    for (int block = 0; block < (version ? 2 : 1); block++) {
        memcpy(p, "TZif", 4);
        p[4] = (unsigned char)version;
        memset(p + 5, 0, 15);
        p += 20;
        put32(&p, 0); put32(&p, 0); put32(&p, 0);   /* isut, isstd, leap */
        put32(&p, (uint32_t)nt); put32(&p, (uint32_t)ntypes); put32(&p, 4);
        for (int i = 0; i < nt; i++) {
            if (block == 0) put32(&p, (uint32_t)(int32_t)trans[i]);
            else put64(&p, trans[i]);
        }
        for (int i = 0; i < nt; i++) *p++ = idx[i];
        for (int i = 0; i < ntypes; i++) {
            put32(&p, (uint32_t)offs[i]);
            *p++ = i > 0;
            *p++ = 0;
        }
        memcpy(p, "ABC", 4);
        p += 4;
    }
    if (version) p += sprintf((char *)p, "\n%s\n", footer);
    return (size_t)(p - buf);
}

/* 2000-03-26T01:00Z and 2000-10-29T01:00Z, then the EU rule. */
static const int64_t cet_trans[] = { 954032400, 972781200 };
static const uint8_t cet_idx[] = { 1, 0 };
static const int32_t cet_offs[] = { 3600, 7200 };

static __int128 utc(int y, int mo, int d, int h, int mi)
{
    return ((__int128)tp_epoch_days(y, mo, d) * 86400 + h * 3600 + mi * 60) * NS;
}

START_TEST(test_tzif_valid)
{
    unsigned char buf[1024];
    char err[128];
    tpz_zone *z;
    size_t n = build_tzif(buf, '2', cet_trans, cet_idx, 2, cet_offs, 2, "CET-1CEST,M3.5.0,M10.5.0/3");
    ck_assert_int_eq(tpz_parse(buf, n, &z, err, sizeof err), 0);
    ck_assert_int_eq(tpz_offset_ns(z, utc(1999, 1, 1, 0, 0)), 3600 * NS);
    ck_assert_int_eq(tpz_offset_ns(z, utc(2000, 7, 1, 0, 0)), 7200 * NS);
    ck_assert_int_eq(tpz_offset_ns(z, utc(2000, 12, 1, 0, 0)), 3600 * NS);
    /* After the last transition the footer rule governs: 2030-03-31 is the last Sunday. */
    ck_assert_int_eq(tpz_offset_ns(z, utc(2030, 3, 31, 0, 59)), 3600 * NS);
    ck_assert_int_eq(tpz_offset_ns(z, utc(2030, 3, 31, 1, 0)), 7200 * NS);
    __int128 r;
    ck_assert_int_eq(tpz_transition(z, utc(2030, 1, 1, 0, 0), 1, &r), 1);
    ck_assert(r == utc(2030, 3, 31, 1, 0));
    ck_assert_int_eq(tpz_transition(z, r, 1, &r), 1);          /* never its input */
    ck_assert(r == utc(2030, 10, 27, 1, 0));
    ck_assert_int_eq(tpz_transition(z, r, 0, &r), 1);
    ck_assert(r == utc(2030, 3, 31, 1, 0));
    ck_assert_int_eq(tpz_transition(z, utc(2000, 5, 1, 0, 0), 0, &r), 1);
    ck_assert(r == (__int128)cet_trans[0] * NS);
    ck_assert_int_eq(tpz_transition(z, utc(1990, 1, 1, 0, 0), 0, &r), 0);
    /* Gap: 2030-03-31 02:30 local does not exist; overlap: 02:30 on 10-27 exists twice. */
    __int128 c[2];
    ck_assert_int_eq(tpz_possible(z, utc(2030, 3, 31, 2, 30), c), 0);
    ck_assert_int_eq(tpz_possible(z, utc(2030, 10, 27, 2, 30), c), 2);
    ck_assert(c[0] == utc(2030, 10, 27, 0, 30) && c[1] == utc(2030, 10, 27, 1, 30));
    ck_assert_int_eq(tpz_possible(z, utc(2030, 6, 1, 12, 0), c), 1);
    tpz_free(z);
    /* Version 1: 32-bit data only, no footer. */
    n = build_tzif(buf, 0, cet_trans, cet_idx, 2, cet_offs, 2, "");
    ck_assert_int_eq(tpz_parse(buf, n, &z, err, sizeof err), 0);
    ck_assert_int_eq(tpz_offset_ns(z, utc(2030, 7, 1, 0, 0)), 3600 * NS);
    tpz_free(z);
}
END_TEST

START_TEST(test_tzif_truncated)
{
    unsigned char buf[1024], *copy;
    char err[128];
    tpz_zone *z;
    size_t n = build_tzif(buf, '3', cet_trans, cet_idx, 2, cet_offs, 2, "CET-1CEST,M3.5.0,M10.5.0/3");
    /* Every proper prefix is an error; each is copied to an exact-size block
     * so a sanitizer build catches any read past the end. */
    for (size_t len = 0; len < n; len++) {
        copy = malloc(len ? len : 1);
        memcpy(copy, buf, len);
        ck_assert_msg(tpz_parse(copy, len, &z, err, sizeof err) == -1, "prefix of %zu bytes accepted", len);
        free(copy);
    }
}
END_TEST

START_TEST(test_tzif_hostile)
{
    unsigned char buf[1024];
    char err[128];
    tpz_zone *z;
    size_t n = build_tzif(buf, '2', cet_trans, cet_idx, 2, cet_offs, 2, "CET-1CEST,M3.5.0,M10.5.0/3");
    unsigned char bad[1024];
    /* type index out of range (first v2 index byte) */
    size_t v2 = 44 + 2 * 5 + 2 * 6 + 4;
    memcpy(bad, buf, n);
    bad[v2 + 44 + 16] = 7;
    ck_assert_int_eq(tpz_parse(bad, n, &z, err, sizeof err), -1);
    /* a huge transition count */
    memcpy(bad, buf, n);
    bad[v2 + 32] = 0x7f;
    ck_assert_int_eq(tpz_parse(bad, n, &z, err, sizeof err), -1);
    /* transitions out of order */
    int64_t rev[] = { 972781200, 954032400 };
    n = build_tzif(bad, '2', rev, cet_idx, 2, cet_offs, 2, "CET-1");
    ck_assert_int_eq(tpz_parse(bad, n, &z, err, sizeof err), -1);
    /* an offset of a day or more */
    int32_t big[] = { 86400, 0 };
    n = build_tzif(bad, '2', cet_trans, cet_idx, 2, big, 2, "CET-1");
    ck_assert_int_eq(tpz_parse(bad, n, &z, err, sizeof err), -1);
    /* a malformed footer */
    n = build_tzif(bad, '2', cet_trans, cet_idx, 2, cet_offs, 2, "CET-1CEST,M13.5.0,M10.5.0");
    ck_assert_int_eq(tpz_parse(bad, n, &z, err, sizeof err), -1);
    memcpy(bad, "TZiX", 4);
    ck_assert_int_eq(tpz_parse(bad, n, &z, err, sizeof err), -1);
}
END_TEST

static int64_t off_at(const tpz_zone *z, int y, int mo, int d, int h, int mi)
{
    return tpz_offset_ns(z, utc(y, mo, d, h, mi)) / NS;
}

START_TEST(test_posix_rules)
{
    tpz_zone *z;
    /* US rules (second Sunday of March, first of November, at 02:00 local) */
    ck_assert_int_eq(tpz_parse_posix("EST5EDT,M3.2.0,M11.1.0", 22, &z), 0);
    ck_assert_int_eq(off_at(z, 2030, 3, 10, 6, 59), -18000);
    ck_assert_int_eq(off_at(z, 2030, 3, 10, 7, 0), -14400);
    ck_assert_int_eq(off_at(z, 2030, 11, 3, 5, 59), -14400);
    ck_assert_int_eq(off_at(z, 2030, 11, 3, 6, 0), -18000);
    tpz_free(z);
    /* southern hemisphere with a 30-minute DST (Lord Howe) */
    const char *lh = "<+1030>-10:30<+11>-11,M10.1.0,M4.1.0";
    ck_assert_int_eq(tpz_parse_posix(lh, strlen(lh), &z), 0);
    ck_assert_int_eq(off_at(z, 2031, 1, 1, 0, 0), 39600);
    ck_assert_int_eq(off_at(z, 2031, 7, 1, 0, 0), 37800);
    tpz_free(z);
    /* negative DST (Europe/Dublin): winter is the "DST" */
    const char *ie = "IST-1GMT0,M10.5.0,M3.5.0/1";
    ck_assert_int_eq(tpz_parse_posix(ie, strlen(ie), &z), 0);
    ck_assert_int_eq(off_at(z, 2031, 1, 15, 0, 0), 0);
    ck_assert_int_eq(off_at(z, 2031, 7, 15, 0, 0), 3600);
    tpz_free(z);
    /* times of -1 h and 25 h, Julian days (DST all year: no transitions at all) */
    const char *nuuk = "<-02>2<-01>,M3.5.0/-1,M10.5.0/0";
    ck_assert_int_eq(tpz_parse_posix(nuuk, strlen(nuuk), &z), 0);
    ck_assert_int_eq(off_at(z, 2031, 3, 30, 0, 59), -7200);   /* Sat 03-29 23:00 local = 03-30 01:00Z */
    ck_assert_int_eq(off_at(z, 2031, 3, 30, 1, 0), -3600);
    tpz_free(z);
    const char *allyear = "EST5EDT4,0/0,J365/25";
    ck_assert_int_eq(tpz_parse_posix(allyear, strlen(allyear), &z), 0);
    ck_assert_int_eq(off_at(z, 2031, 6, 1, 0, 0), -14400);
    ck_assert_int_eq(off_at(z, 2031, 12, 31, 23, 0), -14400);
    ck_assert_int_eq(off_at(z, 2032, 1, 1, 5, 0), -14400);
    __int128 r;
    ck_assert_int_eq(tpz_transition(z, utc(2031, 6, 1, 0, 0), 1, &r), 0);
    tpz_free(z);
    const char *j = "XXX3YYY,J60/2,300/2";
    ck_assert_int_eq(tpz_parse_posix(j, strlen(j), &z), 0);
    ck_assert_int_eq(off_at(z, 2032, 3, 1, 4, 59), -10800);   /* J60 is March 1 even in a leap year */
    ck_assert_int_eq(off_at(z, 2032, 3, 1, 5, 0), -7200);
    tpz_free(z);
    const char *bad[] = { "", "AB5", "EST", "EST5EDT,M3.2.0", "EST5EDT,M3.2.7,M11.1.0", "EST5EDT,J0,J365",
                          "EST5EDT,M3.2.0/168,M11.1.0", "EST25", "<EST5", "EST5EDT,M3.2.0,M11.1.0x" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        ck_assert_msg(tpz_parse_posix(bad[i], strlen(bad[i]), &z) == -1, "accepted %s", bad[i]);
}
END_TEST

START_TEST(test_names)
{
    ck_assert(tpz_valid_name("America/New_York"));
    ck_assert(tpz_valid_name("Etc/GMT+5"));
    ck_assert(tpz_valid_name("America/Argentina/Buenos_Aires"));
    ck_assert(!tpz_valid_name("../etc/passwd"));
    ck_assert(!tpz_valid_name("America/../../etc"));
    ck_assert(!tpz_valid_name("/etc/passwd"));
    ck_assert(!tpz_valid_name("America//X"));
    ck_assert(!tpz_valid_name("America/"));
    ck_assert(!tpz_valid_name("-x"));
    ck_assert(!tpz_valid_name(""));
}
END_TEST

static void write_file(const char *dir, const char *name, const void *data, size_t len)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(fwrite(data, 1, len, f), len);
    fclose(f);
}

static char *eval_str(jse_context *ctx, const char *src)
{
    jse_value v;
    int rc = jse_eval(ctx, src, strlen(src), "tz.js", JSE_EVAL_SCRIPT, &v);
    if (rc != JSE_OK) {
        char *s = jse_format_exception(ctx, jse_get_exception(ctx));
        ck_abort_msg("eval of '%s' threw: %s", src, s ? s : "?");
    }
    return jse_to_utf8(ctx, v, NULL);
}

START_TEST(test_tzdir_runtime)
{
    char dir[] = "/tmp/jse-tzdir-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char sub[600];
    snprintf(sub, sizeof sub, "%s/Test", dir);
    ck_assert_int_eq(mkdir(sub, 0700), 0);
    unsigned char buf[1024];
    size_t n = build_tzif(buf, '2', cet_trans, cet_idx, 2, cet_offs, 2, "CET-1CEST,M3.5.0,M10.5.0/3");
    write_file(dir, "Test/Zone", buf, n);
    write_file(dir, "Test/Broken", buf, n / 2);
    const char *zi = "# test data\nZ Test/Zone 1 - CET\nZ Test/Broken 1 - CET\nL Test/Zone Test/Alias\n"
                     "L Test/Alias Test/Chained\n";
    write_file(dir, "tzdata.zi", zi, strlen(zi));
    setenv("TZDIR", dir, 1);
    setenv("TZ", ":Test/Alias", 1);

    jse_runtime *rt = jse_runtime_new(NULL);
    jse_context *ctx = jse_context_new(rt);
    char *s = eval_str(ctx, "Temporal.ZonedDateTime.from('2030-07-01T12:00[test/zone]').toString()");
    ck_assert_str_eq(s, "2030-07-01T12:00:00+02:00[Test/Zone]");
    jse_free_string(s);
    s = eval_str(ctx, "String(Temporal.ZonedDateTime.from('2030-01-01[Test/Alias]')"
                      ".equals(Temporal.ZonedDateTime.from('2030-01-01[Test/Zone]')))");
    ck_assert_str_eq(s, "true");
    jse_free_string(s);
    s = eval_str(ctx, "String(new Temporal.ZonedDateTime(0n, 'TEST/CHAINED').equals(new Temporal.ZonedDateTime(0n, 'Test/Zone')))");
    ck_assert_str_eq(s, "true");      /* a link to a link ends at the zone */
    jse_free_string(s);
    s = eval_str(ctx, "Temporal.Now.timeZoneId()");
    ck_assert_str_eq(s, "Test/Zone");
    jse_free_string(s);
    s = eval_str(ctx, "try { Temporal.ZonedDateTime.from('2030-01-01[Test/Broken]'); 'no error' }"
                      "catch (e) { e.constructor.name + ': ' + e.message }");
    ck_assert_msg(strncmp(s, "RangeError: time zone Test/Broken: truncated", 44) == 0, "got %s", s);
    jse_free_string(s);
    s = eval_str(ctx, "try { Temporal.ZonedDateTime.from('2030-01-01[Test/../tzdata.zi]'); 'no error' }"
                      "catch (e) { e.constructor.name }");
    ck_assert_str_eq(s, "RangeError");
    jse_free_string(s);
    jse_context_free(ctx);
    jse_runtime_free(rt);
    unsetenv("TZDIR");
    unsetenv("TZ");
    char path[700];
    const char *files[] = { "Test/Zone", "Test/Broken", "tzdata.zi" };
    for (int i = 0; i < 3; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(sub);
    rmdir(dir);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("tzdb");
    TCase *tc = tcase_create("tzdb");
    tcase_add_test(tc, test_tzif_valid);
    tcase_add_test(tc, test_tzif_truncated);
    tcase_add_test(tc, test_tzif_hostile);
    tcase_add_test(tc, test_posix_rules);
    tcase_add_test(tc, test_names);
    tcase_add_test(tc, test_tzdir_runtime);
    suite_add_tcase(s, tc);
    return jsetest_run(s);
}
