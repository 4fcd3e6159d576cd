/*
 * test_api.c - the public C API (include/jsengine.h) as an embedder sees it:
 * runtimes and contexts, evaluation, values, objects, host functions,
 * exceptions and their reports, protection across collections, jobs,
 * interrupts and termination. Public header only; no internals.
 */
#include <check.h>
#include "check_main.h"
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jsengine.h>

static jse_runtime *rt;
static jse_context *ctx;

static void setup(void)
{
    rt = jse_runtime_new(NULL);
    ck_assert_ptr_nonnull(rt);
    ctx = jse_context_new(rt);
    ck_assert_ptr_nonnull(ctx);
}

static void teardown(void)
{
    jse_context_free(ctx);
    jse_runtime_free(rt);
    ctx = NULL;
    rt = NULL;
}

/* Evaluates src as a script; fails the test (with the report) on an exception. */
static jse_value eval_ok(const char *src)
{
    jse_value v;
    if (jse_eval(ctx, src, strlen(src), "test.js", JSE_EVAL_SCRIPT, &v) != JSE_OK) {
        char *s = jse_format_exception(ctx, jse_get_exception(ctx));
        ck_abort_msg("eval of '%s' threw: %s", src, s ? s : "?");
    }
    return v;
}

/* The report of the exception that evaluating src throws. */
static char *eval_error(const char *src)
{
    jse_value v;
    ck_assert_int_eq(jse_eval(ctx, src, strlen(src), "err.js", JSE_EVAL_SCRIPT, &v), JSE_EXCEPTION);
    ck_assert(jse_has_exception(ctx));
    jse_value exc = jse_get_exception(ctx);
    ck_assert(!jse_has_exception(ctx));
    char *s = jse_format_exception(ctx, exc);
    ck_assert_ptr_nonnull(s);
    return s;
}

static int32_t as_int(jse_value v)
{
    int32_t i = -1;
    ck_assert_int_eq(jse_to_int32(ctx, v, &i), JSE_OK);
    return i;
}

static void assert_utf8(jse_value v, const char *want)
{
    size_t n = 0;
    char *s = jse_to_utf8(ctx, v, &n);
    ck_assert_ptr_nonnull(s);
    ck_assert_str_eq(s, want);
    ck_assert_uint_eq(n, strlen(want));
    jse_free_string(s);
}

/* ---- values without a runtime ---- */

START_TEST(test_version)
{
    char want[32];
    snprintf(want, sizeof want, "%d.%d.%d", JSE_VERSION_MAJOR, JSE_VERSION_MINOR, JSE_VERSION_MICRO);
    ck_assert_str_eq(jse_version(), want);
}
END_TEST

START_TEST(test_immediates)
{
    ck_assert(jse_is_undefined(jse_undefined()));
    ck_assert(jse_is_null(jse_null()));
    ck_assert(!jse_is_null(jse_undefined()));
    ck_assert(jse_is_bool(jse_bool(1)) && jse_is_bool(jse_bool(0)));
    ck_assert(jse_strict_equals(jse_bool(5), jse_bool(1)));
    ck_assert(jse_is_number(jse_number(1.5)));
    ck_assert(jse_is_number(jse_int32(-7)));
    ck_assert(jse_strict_equals(jse_number(3.0), jse_int32(3)));
    ck_assert(!jse_strict_equals(jse_number(0.0 / 0.0), jse_number(0.0 / 0.0)));
    ck_assert(jse_is_exception(jse_exception()));
    ck_assert(!jse_is_object(jse_int32(1)));
}
END_TEST

START_TEST(test_runtime_options)
{
    jse_runtime_options o = { 0 };
    o.memory_limit = 64u << 20;
    jse_runtime *r = jse_runtime_new(&o);
    ck_assert_ptr_nonnull(r);
    jse_context *c1 = jse_context_new(r);
    jse_context *c2 = jse_context_new(r);
    ck_assert_ptr_nonnull(c1);
    ck_assert_ptr_nonnull(c2);
    ck_assert_ptr_eq(jse_context_runtime(c1), r);
    int tag = 0;
    jse_context_set_opaque(c1, &tag);
    ck_assert_ptr_eq(jse_context_get_opaque(c1), &tag);
    ck_assert_ptr_null(jse_context_get_opaque(c2));
    /* Two realms: two global objects. */
    ck_assert(!jse_strict_equals(jse_get_global(c1), jse_get_global(c2)));
    jse_context_free(c2);
    jse_context_free(c1);
    jse_runtime_free(r);
}
END_TEST

/* ---- evaluation ---- */

START_TEST(test_eval_arith)
{
    jse_value v = eval_ok("6*7");
    ck_assert(jse_is_number(v));
    ck_assert_int_eq(as_int(v), 42);
    double d = 0;
    ck_assert_int_eq(jse_to_number(ctx, eval_ok("1/4"), &d), JSE_OK);
    ck_assert(d == 0.25);
    assert_utf8(eval_ok("'ab' + 'cd'"), "abcd");
    ck_assert(jse_is_undefined(eval_ok("var x = 1;")));
    ck_assert_int_eq(as_int(eval_ok("x + 1")), 2);   /* globals persist across evals */
}
END_TEST

START_TEST(test_eval_strict)
{
    jse_value v;
    const char *src = "undeclared_in_strict = 1";
    ck_assert_int_eq(jse_eval(ctx, src, strlen(src), "s.js", JSE_EVAL_STRICT, &v), JSE_EXCEPTION);
    char *s = jse_format_exception(ctx, jse_get_exception(ctx));
    ck_assert_ptr_nonnull(strstr(s, "ReferenceError"));
    jse_free_string(s);
    ck_assert_int_eq(jse_eval(ctx, src, strlen(src), "s.js", JSE_EVAL_SCRIPT, &v), JSE_OK);
}
END_TEST

START_TEST(test_eval_syntax_error)
{
    char *s = eval_error("var = ;");
    ck_assert_msg(strstr(s, "SyntaxError") != NULL, "report: %s", s);
    jse_free_string(s);
    /* The context stays usable. */
    ck_assert_int_eq(as_int(eval_ok("1+1")), 2);
}
END_TEST

START_TEST(test_eval_module)
{
    jse_value p;
    const char *src = "export const answer = 42; globalThis.fromModule = answer;";
    ck_assert_int_eq(jse_eval(ctx, src, strlen(src), "m.mjs", JSE_EVAL_MODULE, &p), JSE_OK);
    ck_assert(jse_is_object(p));   /* the evaluation promise */
    ck_assert_int_eq(jse_run_jobs(ctx), JSE_OK);
    ck_assert_int_eq(as_int(eval_ok("fromModule")), 42);
}
END_TEST

/* ---- strings and objects ---- */

START_TEST(test_strings_utf8)
{
    const char *text = "h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80";   /* héllo € 😀 */
    jse_value s = jse_string(ctx, text, strlen(text));
    ck_assert(jse_is_string(s));
    assert_utf8(s, text);
    ck_assert_int_eq(jse_set(ctx, jse_get_global(ctx), "s", s), JSE_OK);
    ck_assert_int_eq(as_int(eval_ok("s.length")), 10);   /* the emoji is a surrogate pair */
    /* Invalid UTF-8 becomes U+FFFD. */
    jse_value bad = jse_string(ctx, "a\xff" "b", 3);
    assert_utf8(bad, "a\xef\xbf\xbd" "b");
    /* Embedded NUL is kept. */
    jse_value nul = jse_string(ctx, "a\0b", 3);
    size_t n = 0;
    char *p = jse_to_utf8(ctx, nul, &n);
    ck_assert_uint_eq(n, 3);
    ck_assert(memcmp(p, "a\0b", 3) == 0);
    jse_free_string(p);
    assert_utf8(jse_number(1.5), "1.5");
    assert_utf8(jse_null(), "null");
}
END_TEST

START_TEST(test_objects)
{
    jse_value o = jse_new_object(ctx);
    ck_assert(jse_is_object(o));
    ck_assert(!jse_is_function(o));
    ck_assert_int_eq(jse_set(ctx, o, "a", jse_int32(1)), JSE_OK);
    ck_assert_int_eq(as_int(jse_get(ctx, o, "a")), 1);
    ck_assert(jse_is_undefined(jse_get(ctx, o, "missing")));
    ck_assert_int_eq(jse_define(ctx, o, "ro", jse_int32(5), JSE_PROP_ENUMERABLE), JSE_OK);
    ck_assert_int_eq(jse_set(ctx, o, "ro", jse_int32(6)), JSE_EXCEPTION);   /* strict semantics */
    jse_get_exception(ctx);
    ck_assert_int_eq(as_int(jse_get(ctx, o, "ro")), 5);
    ck_assert_int_eq(jse_set(ctx, jse_get_global(ctx), "o", o), JSE_OK);
    assert_utf8(eval_ok("Object.keys(o).join()"), "a,ro");

    jse_value a = jse_new_array(ctx);
    ck_assert(jse_is_array(ctx, a) == 1);
    ck_assert(jse_is_array(ctx, o) == 0);
    ck_assert_int_eq(jse_set_index(ctx, a, 0, jse_int32(10)), JSE_OK);
    ck_assert_int_eq(jse_set_index(ctx, a, 2, jse_int32(30)), JSE_OK);
    ck_assert_int_eq(as_int(jse_get(ctx, a, "length")), 3);
    ck_assert_int_eq(as_int(jse_get_index(ctx, a, 2)), 30);
    ck_assert(jse_is_undefined(jse_get_index(ctx, a, 1)));

    /* Property access on undefined throws a TypeError. */
    ck_assert(jse_is_exception(jse_get(ctx, jse_undefined(), "x")));
    char *s = jse_format_exception(ctx, jse_get_exception(ctx));
    ck_assert_ptr_nonnull(strstr(s, "TypeError"));
    jse_free_string(s);
}
END_TEST

/* ---- host functions and calls ---- */

static jse_value host_add(jse_context *c, jse_value this_val, int argc, jse_value *argv, void *data)
{
    int *calls = data;
    (*calls)++;
    double a = 0, b = 0;
    if (argc > 0 && jse_to_number(c, argv[0], &a) < 0) return jse_exception();
    if (argc > 1 && jse_to_number(c, argv[1], &b) < 0) return jse_exception();
    return jse_number(a + b);
}

static jse_value host_fail(jse_context *c, jse_value this_val, int argc, jse_value *argv, void *data)
{
    return jse_throw_error(c, "RangeError", "host says no (%d)", 7);
}

static jse_value host_this(jse_context *c, jse_value this_val, int argc, jse_value *argv, void *data)
{
    return this_val;
}

START_TEST(test_host_functions)
{
    int calls = 0;
    ck_assert_int_eq(jse_define_global_function(ctx, "add", host_add, 2, &calls), JSE_OK);
    ck_assert_int_eq(as_int(eval_ok("add(40, 2)")), 42);
    ck_assert_int_eq(as_int(eval_ok("add.length")), 2);
    assert_utf8(eval_ok("add.name"), "add");
    ck_assert_int_eq(as_int(eval_ok("[1,2,3].reduce((s, x) => add(s, x), 0)")), 6);
    ck_assert_int_eq(calls, 4);

    jse_value f = jse_new_function(ctx, host_fail, "fail", 0, NULL);
    ck_assert(jse_is_function(f));
    ck_assert_int_eq(jse_set(ctx, jse_get_global(ctx), "fail", f), JSE_OK);
    assert_utf8(eval_ok("try { fail(); 'no' } catch (e) { e instanceof RangeError ? e.message : 'wrong' }"),
                "host says no (7)");
    char *s = eval_error("fail()");
    ck_assert_msg(strncmp(s, "RangeError: host says no (7)", 28) == 0, "report: %s", s);
    jse_free_string(s);

    jse_value g = jse_new_function(ctx, host_this, "me", 0, NULL);
    jse_value o = jse_new_object(ctx);
    jse_value r;
    ck_assert_int_eq(jse_call(ctx, g, o, 0, NULL, &r), JSE_OK);
    ck_assert(jse_strict_equals(r, o));
}
END_TEST

START_TEST(test_call_construct)
{
    jse_value f = eval_ok("(function (a, b) { return this.k + a * b; })");
    ck_assert(jse_is_function(f));
    jse_value self = eval_ok("({ k: 100 })");
    jse_value args[2] = { jse_int32(6), jse_int32(7) };
    jse_value r;
    ck_assert_int_eq(jse_call(ctx, f, self, 2, args, &r), JSE_OK);
    ck_assert_int_eq(as_int(r), 142);

    jse_value ctor = eval_ok("(class P { constructor(x) { this.x = x; } })");
    jse_value one = jse_int32(1);
    ck_assert_int_eq(jse_construct(ctx, ctor, 1, &one, &r), JSE_OK);
    ck_assert_int_eq(as_int(jse_get(ctx, r, "x")), 1);

    /* Calling a class without new, and calling a non-function, throw TypeError. */
    ck_assert_int_eq(jse_call(ctx, ctor, jse_undefined(), 0, NULL, &r), JSE_EXCEPTION);
    jse_get_exception(ctx);
    ck_assert_int_eq(jse_call(ctx, jse_int32(3), jse_undefined(), 0, NULL, &r), JSE_EXCEPTION);
    char *s = jse_format_exception(ctx, jse_get_exception(ctx));
    ck_assert_ptr_nonnull(strstr(s, "TypeError"));
    jse_free_string(s);
    ck_assert_int_eq(jse_construct(ctx, eval_ok("(() => 1)"), 0, NULL, &r), JSE_EXCEPTION);
    jse_get_exception(ctx);
}
END_TEST

/* ---- exceptions ---- */

START_TEST(test_exceptions)
{
    ck_assert(!jse_has_exception(ctx));
    ck_assert(jse_is_undefined(jse_get_exception(ctx)));

    jse_value e = jse_new_error(ctx, "TypeError", "bad thing");
    ck_assert(jse_is_object(e));
    char *s = jse_format_exception(ctx, e);
    ck_assert_msg(strncmp(s, "TypeError: bad thing", 20) == 0, "report: %s", s);
    jse_free_string(s);

    ck_assert(jse_is_exception(jse_throw(ctx, jse_int32(5))));
    ck_assert(jse_has_exception(ctx));
    jse_value v = jse_get_exception(ctx);
    ck_assert_int_eq(as_int(v), 5);
    s = jse_format_exception(ctx, v);
    ck_assert_str_eq(s, "5");
    jse_free_string(s);

    /* Thrown non-errors and errors from script, with a stack trace. */
    s = eval_error("throw 'plain'");
    ck_assert_str_eq(s, "plain");
    jse_free_string(s);
    s = eval_error("function inner() { null.x; }\nfunction outer() { inner(); }\nouter();");
    ck_assert_msg(strncmp(s, "TypeError", 9) == 0, "report: %s", s);
    ck_assert_msg(strstr(s, "err.js:1") != NULL, "no file:line in the report: %s", s);
    jse_free_string(s);

    /* A throwing toString does not break the report. */
    s = eval_error("throw { toString() { throw 1; } }");
    ck_assert_ptr_nonnull(s);
    jse_free_string(s);
    s = eval_error("throw Symbol('x')");
    ck_assert_ptr_nonnull(s);
    jse_free_string(s);
}
END_TEST

/* ---- memory ---- */

START_TEST(test_protect_gc)
{
    static jse_value kept[64];   /* not on the stack: must be protected */
    for (int i = 0; i < 64; i++) {
        char src[64];
        snprintf(src, sizeof src, "({ n: %d, s: 'str' + %d })", i, i);
        kept[i] = eval_ok(src);
        ck_assert_int_eq(jse_value_protect(ctx, kept[i]), JSE_OK);
    }
    ck_assert_int_eq(jse_value_protect(ctx, kept[0]), JSE_OK);   /* nested */
    ck_assert_int_eq(jse_value_protect(ctx, jse_int32(3)), JSE_OK);   /* immediates are fine */
    eval_ok("var junk = []; for (var i = 0; i < 20000; i++) junk.push({ i: i, t: 'x' + i }); junk = null;");
    jse_runtime_gc(rt);
    jse_runtime_gc(rt);
    for (int i = 0; i < 64; i++) {
        ck_assert_int_eq(as_int(jse_get(ctx, kept[i], "n")), i);
        char want[16];
        snprintf(want, sizeof want, "str%d", i);
        assert_utf8(jse_get(ctx, kept[i], "s"), want);
    }
    for (int i = 0; i < 64; i++) jse_value_unprotect(ctx, kept[i]);
    jse_value_unprotect(ctx, jse_int32(3));
    jse_runtime_gc(rt);
    ck_assert_int_eq(as_int(jse_get(ctx, kept[0], "n")), 0);   /* still protected once */
    jse_value_unprotect(ctx, kept[0]);
    jse_runtime_gc(rt);
}
END_TEST

/* ---- jobs ---- */

START_TEST(test_jobs)
{
    eval_ok("var log = []; Promise.resolve(1).then(v => log.push('then ' + v)); log.push('sync');");
    ck_assert(jse_has_jobs(ctx));
    assert_utf8(eval_ok("log.join()"), "sync");
    ck_assert_int_eq(jse_run_jobs(ctx), JSE_OK);
    ck_assert(!jse_has_jobs(ctx));
    assert_utf8(eval_ok("log.join()"), "sync,then 1");
    eval_ok("(async () => { await null; log.push('async'); })()");
    ck_assert_int_eq(jse_run_jobs(ctx), JSE_OK);
    assert_utf8(eval_ok("log.join()"), "sync,then 1,async");
}
END_TEST

/* A host-defined source module: import source and import.source() give the
 * returned object; a second definition of the name is a TypeError. */
START_TEST(test_source_module)
{
    jse_value src = jse_define_source_module(ctx, "wasm:demo", "Demo.Module");
    ck_assert(jse_is_object(src));
    ck_assert_int_eq(jse_set(ctx, jse_get_global(ctx), "hostSource", src), JSE_OK);
    ck_assert(jse_is_exception(jse_define_source_module(ctx, "wasm:demo", "Demo.Module")));
    jse_get_exception(ctx);
    const char *mod = "import source s from 'wasm:demo';\n"
                      "globalThis.same = s === hostSource;\n"
                      "globalThis.tag = Object.prototype.toString.call(s);\n"
                      "globalThis.dyn = await import.source('wasm:demo') === s;\n";
    jse_value p;
    ck_assert_int_eq(jse_eval(ctx, mod, strlen(mod), "/nonexistent/src.mjs", JSE_EVAL_MODULE, &p), JSE_OK);
    ck_assert_int_eq(jse_run_jobs(ctx), JSE_OK);
    assert_utf8(eval_ok("[same, tag, dyn].join()"), "true,[object Demo.Module],true");
}
END_TEST

/* ---- interrupts and termination ---- */

static int stop_after(jse_runtime *r, void *opaque)
{
    int *n = opaque;
    return ++*n >= 3;   /* terminate on the third poll */
}

static void *interrupter(void *arg)
{
    for (int i = 0; i < 20; i++) {
        usleep(20000);
        jse_runtime_interrupt(arg);
    }
    return NULL;
}

START_TEST(test_interrupt_handler)
{
    int n = 0;
    jse_runtime_set_interrupt_handler(rt, stop_after, &n);
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, interrupter, rt), 0);
    jse_value v;
    const char *src = "for (;;) {}";
    ck_assert_int_eq(jse_eval(ctx, src, strlen(src), "loop.js", JSE_EVAL_SCRIPT, &v), JSE_EXCEPTION);
    jse_get_exception(ctx);
    pthread_join(th, NULL);
    ck_assert_int_ge(n, 3);
    jse_runtime_set_interrupt_handler(rt, NULL, NULL);
    ck_assert_int_eq(as_int(eval_ok("2+2")), 4);   /* usable again */
}
END_TEST

static void *terminator(void *arg)
{
    usleep(100000);
    jse_runtime_terminate(arg);
    return NULL;
}

START_TEST(test_terminate)
{
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, terminator, rt), 0);
    jse_value v;
    /* A catch block must not swallow a termination. */
    const char *src = "for (;;) { try { for (;;) {} } catch (e) {} }";
    ck_assert_int_eq(jse_eval(ctx, src, strlen(src), "loop.js", JSE_EVAL_SCRIPT, &v), JSE_EXCEPTION);
    jse_get_exception(ctx);
    pthread_join(th, NULL);
    ck_assert_int_eq(as_int(eval_ok("3+3")), 6);   /* the next eval runs normally */
}
END_TEST

START_TEST(test_deep_recursion)
{
    char *s = eval_error("function f() { return f() + 1; } f()");
    ck_assert_msg(strstr(s, "RangeError") != NULL, "report: %s", s);
    jse_free_string(s);
    ck_assert_int_eq(as_int(eval_ok("1")), 1);
}
END_TEST

#ifdef JSE_DEBUG
/* Debug builds: using a runtime from a thread that does not own it aborts. */
static void *foreign_eval(void *arg)
{
    jse_value v;
    jse_eval(arg, "1", 1, "foreign.js", JSE_EVAL_SCRIPT, &v);
    return NULL;
}

START_TEST(test_owner_thread_check)
{
    pthread_t th;
    pthread_create(&th, NULL, foreign_eval, ctx);
    pthread_join(th, NULL);
    ck_abort_msg("jse_eval from a foreign thread did not abort");
}
END_TEST
#endif

START_TEST(test_many_functions)
{
    /* The same (fn, data) pair shares one registry entry; many pairs work too. */
    static int slots[300];
    for (int i = 0; i < 300; i++) {
        jse_value f = jse_new_function(ctx, host_add, "f", 2, &slots[i % 150]);
        ck_assert(jse_is_function(f));
        jse_value args[2] = { jse_int32(i), jse_int32(1) }, r;
        ck_assert_int_eq(jse_call(ctx, f, jse_undefined(), 2, args, &r), JSE_OK);
        ck_assert_int_eq(as_int(r), i + 1);
    }
    for (int i = 0; i < 150; i++) ck_assert_int_eq(slots[i], 2);
}
END_TEST

static Suite *api_suite(void)
{
    Suite *s = suite_create("api");
    TCase *tc = tcase_create("values");
    tcase_add_test(tc, test_version);
    tcase_add_test(tc, test_immediates);
    tcase_add_test(tc, test_runtime_options);
    suite_add_tcase(s, tc);

    tc = tcase_create("engine");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_eval_arith);
    tcase_add_test(tc, test_eval_strict);
    tcase_add_test(tc, test_eval_syntax_error);
    tcase_add_test(tc, test_eval_module);
    tcase_add_test(tc, test_strings_utf8);
    tcase_add_test(tc, test_objects);
    tcase_add_test(tc, test_host_functions);
    tcase_add_test(tc, test_call_construct);
    tcase_add_test(tc, test_exceptions);
    tcase_add_test(tc, test_protect_gc);
    tcase_add_test(tc, test_jobs);
    tcase_add_test(tc, test_source_module);
    tcase_add_test(tc, test_interrupt_handler);
    tcase_add_test(tc, test_terminate);
    tcase_add_test(tc, test_deep_recursion);
    tcase_add_test(tc, test_many_functions);
#ifdef JSE_DEBUG
    tcase_add_test_raise_signal(tc, test_owner_thread_check, SIGABRT);
#endif
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return jsetest_run(api_suite());
}
