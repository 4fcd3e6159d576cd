/*
 * test_regexp.c - unit tests for lib/regexp (parser early errors, compiler
 * and matcher) run without the rest of the engine: subject strings are built
 * by hand as flat js_string cells; stubs_regexp.c provides malloc and polling.
 */
#include <check.h>
#include "check_main.h"
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "core/runtime.h"
#include "regexp/regexp.h"

extern int stub_poll_count, stub_poll_fail_after;
extern size_t stub_malloc_limit, stub_malloc_used;

static js_thread T;

static size_t to16(const char *s, uint16_t *out)
{
    size_t n = 0;
    while (*s) out[n++] = (uint8_t)*s++;
    return n;
}

static jsre_prog *comp(const char *pat, const char *flags, char *err)
{
    uint16_t p[2048], f[16];
    size_t pn = to16(pat, p), fn = to16(flags, f);
    unsigned fl;
    int oom = 0;
    if (jsre_parse_flags(f, fn, &fl) < 0) return NULL;
    return jsre_compile(p, pn, fl, err, 128, &oom);
}

/* Latin-1 subject */
static js_string *mkstr(const char *s)
{
    size_t n = strlen(s);
    js_string *str = calloc(1, sizeof *str + n + 1);
    memcpy((char *)(str + 1), s, n);
    str->u.c8 = (const uint8_t *)(str + 1);
    str->len = (uint32_t)n;
    return str;
}

static js_string *mkstr16(const uint16_t *s, size_t n)
{
    js_string *str = calloc(1, sizeof *str + 2 * n + 2);
    memcpy((char *)(str + 1), s, 2 * n);
    str->u.c16 = (const uint16_t *)(str + 1);
    str->len = (uint32_t)n;
    str->h.flags = JS_STR_WIDE;
    return str;
}

/* Match and return "start,end;s1,e1;..." of all captures, or "null". */
static const char *run(const char *pat, const char *flags, const char *subj)
{
    static char out[512];
    char err[128];
    jsre_prog *p = comp(pat, flags, err);
    if (!p) { snprintf(out, sizeof out, "error:%s", err); return out; }
    js_string *s = mkstr(subj);
    int32_t caps[64];
    int r = jsre_exec(&T, p, s, 0, 0, caps);
    if (r <= 0) strcpy(out, r < 0 ? "abort" : "null");
    else {
        out[0] = 0;
        for (int i = 0; i < jsre_capture_count(p); i++)
            snprintf(out + strlen(out), sizeof out - strlen(out), "%s%d,%d", i ? ";" : "", caps[2 * i], caps[2 * i + 1]);
    }
    free(s);
    jsre_free(p);
    return out;
}

static int valid(const char *pat, const char *flags)
{
    uint16_t p[2048];
    char err[128];
    size_t n = to16(pat, p);
    return jsre_validate_pattern(p, n, flags, err, sizeof err) == 0;
}

START_TEST(test_basic)
{
    ck_assert_str_eq(run("a(b)c", "", "xxabcx"), "2,5;3,4");
    ck_assert_str_eq(run("a|ab", "", "abc"), "0,1");
    ck_assert_str_eq(run("(a|ab)(c|bcd)(d*)", "", "abcd"), "0,4;0,1;1,4;4,4");
    ck_assert_str_eq(run("x*", "", "xxxy"), "0,3");
    ck_assert_str_eq(run("x*?y", "", "xxxy"), "0,4");
    ck_assert_str_eq(run("x{2,3}", "", "xxxx"), "0,3");
    ck_assert_str_eq(run("x{2,3}?", "", "xxxx"), "0,2");
    ck_assert_str_eq(run("^abc$", "m", "x\nabc\ny"), "2,5");
    ck_assert_str_eq(run("\\bfoo\\b", "", "a foo b"), "2,5");
    ck_assert_str_eq(run("[^a-c]+", "", "abcdef"), "3,6");
    ck_assert_str_eq(run("q", "", "abc"), "null");
}
END_TEST

START_TEST(test_repeat_semantics)
{
    /* captures inside a quantified group are reset at each iteration */
    ck_assert_str_eq(run("(z)((a+)?(b+)?(c))*", "", "zaacbbbcac"), "0,10;0,1;8,10;8,9;-1,-1;9,10");
    /* empty check */
    ck_assert_str_eq(run("(a*)*b", "", "aaab"), "0,4;0,3");
    ck_assert_str_eq(run("(?:a?)*?b", "", "ab"), "0,2");
    ck_assert_str_eq(run("(a*)+", "", "b"), "0,0;0,0");
    ck_assert_str_eq(run("(?:()|a)*", "", "a"), "0,1;-1,-1");
}
END_TEST

START_TEST(test_lookaround_backrefs)
{
    ck_assert_str_eq(run("(?=(a+))a*b\\1", "", "baaabac"), "3,6;3,4");
    ck_assert_str_eq(run("(?!a)\\w", "", "ab"), "1,2");
    ck_assert_str_eq(run("(?<=\\$)\\d+", "", "cost $42"), "6,8");
    ck_assert_str_eq(run("(?<!\\$)\\b\\d+", "", "$4 17"), "3,5");
    ck_assert_str_eq(run("(?<=(\\d+)(\\d+))$", "", "1053"), "4,4;0,1;1,4");
    ck_assert_str_eq(run("(?<=\\1(a))b", "", "aab"), "2,3;1,2");
    ck_assert_str_eq(run("(.)\\1", "i", "xaA"), "1,3;1,2");
    ck_assert_str_eq(run("\\k<a>(?<a>x)", "", "x"), "0,1;0,1");
    ck_assert_str_eq(run("(?:(?<a>x)|(?<a>y))\\k<a>", "", "yy"), "0,2;-1,-1;0,1");
}
END_TEST

START_TEST(test_flags_and_case)
{
    ck_assert_str_eq(run("ABC", "i", "xabc"), "1,4");
    ck_assert_str_eq(run("\\u017f", "i", "s"), "null");          /* non-unicode: no ASCII from non-ASCII */
    ck_assert_str_eq(run("\\u017f", "iu", "s"), "0,1");
    ck_assert_str_eq(run("\\w", "iu", "\x7f"), "null");
    ck_assert_str_eq(run(".", "", "\n"), "null");
    ck_assert_str_eq(run(".", "s", "\n"), "0,1");
    ck_assert_str_eq(run("(?i:a)b", "", "AB"), "null");
    ck_assert_str_eq(run("(?i:a)b", "", "Ab"), "0,2");
    ck_assert_str_eq(run("(?-i:a)b", "i", "aB"), "0,2");
    ck_assert_str_eq(run("[\\p{L}--[a-z]]+", "v", "abcDEF"), "3,6");
    ck_assert_str_eq(run("[\\q{abc|d}]", "v", "xabc"), "1,4");
    ck_assert_str_eq(run("\\p{Lu}", "u", "aB"), "1,2");
}
END_TEST

START_TEST(test_unicode_subject)
{
    char err[128];
    jsre_prog *p = comp(".", "u", err);
    uint16_t s16[] = { 0xD83D, 0xDE00, 'x' };
    js_string *s = mkstr16(s16, 3);
    int32_t caps[2];
    ck_assert_int_eq(jsre_exec(&T, p, s, 0, 0, caps), 1);
    ck_assert_int_eq(caps[1], 2);
    jsre_free(p);
    p = comp(".", "", err);
    ck_assert_int_eq(jsre_exec(&T, p, s, 0, 0, caps), 1);
    ck_assert_int_eq(caps[1], 1);
    /* sticky at 2 */
    ck_assert_int_eq(jsre_exec(&T, p, s, 2, 1, caps), 1);
    ck_assert_int_eq(caps[0], 2);
    jsre_free(p);
    free(s);
}
END_TEST

START_TEST(test_early_errors)
{
    ck_assert(valid("a{1}", ""));
    ck_assert(valid("{", ""));
    ck_assert(valid("]", ""));
    ck_assert(valid("\\1", ""));
    ck_assert(valid("[\\d-z]", ""));
    ck_assert(valid("(?=a)*", ""));
    ck_assert(valid("\\c", ""));
    ck_assert(valid("(?<a>x)|(?<a>y)", ""));
    ck_assert(!valid("(?<a>x)(?<a>y)", ""));
    ck_assert(!valid("(?:(?<a>x)|(?<a>y))(?<a>z)", ""));
    ck_assert(!valid("a**", ""));
    ck_assert(!valid("{1}", ""));
    ck_assert(!valid("{", "u"));
    ck_assert(!valid("\\1", "u"));
    ck_assert(!valid("[\\d-z]", "u"));
    ck_assert(!valid("(?=a)*", "u"));
    ck_assert(!valid("(?<=a)*", ""));
    ck_assert(!valid("a{2,1}", ""));
    ck_assert(!valid("[b-a]", ""));
    ck_assert(!valid("(", ""));
    ck_assert(!valid(")", ""));
    ck_assert(!valid("\\k<x>", "u"));
    ck_assert(!valid("(?<a>.)\\k", ""));
    ck_assert(!valid("\\p{Foo}", "u"));
    ck_assert(!valid("[a&&&b]", "v"));
    ck_assert(!valid("[a-z&&b]", "v"));
    ck_assert(!valid("[(]", "v"));
    ck_assert(!valid("[^\\p{RGI_Emoji}]", "v"));
    ck_assert(!valid("(?ii:a)", ""));
    ck_assert(!valid("(?-:a)", ""));
    ck_assert(!valid("a", "gg"));
    ck_assert(!valid("a", "uv"));
    /* nesting depth is bounded with a SyntaxError, not a crash */
    char deep[1200];
    for (int i = 0; i < 600; i++) deep[i] = '(', deep[600 + i] = ')';
    deep[1199] = 0;
    ck_assert(!valid(deep, ""));
}
END_TEST

START_TEST(test_abort)
{
    char err[128];
    jsre_prog *p = comp("(a*)*b", "", err);
    char buf[41];
    memset(buf, 'a', 40);
    buf[40] = 0;
    js_string *s = mkstr(buf);
    int32_t caps[4];
    stub_poll_count = 0;
    stub_poll_fail_after = 10;
    T.has_exception = 0;
    ck_assert_int_eq(jsre_exec(&T, p, s, 0, 0, caps), -1);
    stub_poll_fail_after = -1;
    /* the memory limit stops a deep backtrack stack */
    jsre_free(p);
    p = comp("(?:a|b)*c", "", err);
    free(s);
    char *big = malloc(200001);
    memset(big, 'a', 200000);
    big[200000] = 0;
    s = mkstr(big);
    stub_malloc_limit = stub_malloc_used + 100000;
    ck_assert_int_eq(jsre_exec(&T, p, s, 0, 1, caps), -1);
    stub_malloc_limit = 0;
    ck_assert_int_eq(jsre_exec(&T, p, s, 0, 1, caps), 0);
    free(big);
    free(s);
    jsre_free(p);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("regexp");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_basic);
    tcase_add_test(tc, test_repeat_semantics);
    tcase_add_test(tc, test_lookaround_backrefs);
    tcase_add_test(tc, test_flags_and_case);
    tcase_add_test(tc, test_unicode_subject);
    tcase_add_test(tc, test_early_errors);
    tcase_add_test(tc, test_abort);
    suite_add_tcase(s, tc);
    return jsetest_run(s);
}
