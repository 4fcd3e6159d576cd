/*
 * test_vm.c - unit tests of the bytecode compiler and interpreter through the
 * internal entry points (jsvm_eval_script, jsvm_call): values, closures,
 * exceptions, generators, stack depth limits, interrupts, stack traces.
 */
#include <check.h>
#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "core/runtime.h"
#include "vm/vm.h"

static js_runtime *rt;
static js_thread *th;
static js_realm *realm;

static void setup(void)
{
    rt = jsrt_new(NULL);
    ck_assert_ptr_nonnull(rt);
    th = jsrt_thread(rt);
    realm = jsrt_realm_new(th);
    ck_assert_ptr_nonnull(realm);
    th->realm = realm;
}

static void teardown(void)
{
    jsrt_free(rt);
    rt = NULL;
}

static jsv eval(const char *src)
{
    return jsvm_eval_script(th, src, strlen(src), "test.js", 0);
}

/* Evaluates src and returns ToString of the completion value (malloc-ed) or
 * "EXC:" + message. */
static char *eval_str(const char *src)
{
    jsv v = eval(src);
    if (v == JSV_EXCEPTION) {
        jsv e = jsvm_take_exception(th);
        js_string *s = jsop_to_string(th, e);
        char *m = s ? jsstr_to_utf8(s, NULL) : strdup("?");
        char *r = malloc(strlen(m) + 5);
        sprintf(r, "EXC:%s", m);
        free(m);
        return r;
    }
    js_string *s = jsop_to_string(th, v);
    ck_assert_ptr_nonnull(s);
    return jsstr_to_utf8(s, NULL);
}

#define CHECK_EVAL(src, expected) do { \
        char *got_ = eval_str(src); \
        ck_assert_str_eq(got_, expected); \
        free(got_); \
    } while (0)

START_TEST(test_arith)
{
    CHECK_EVAL("1 + 2 * 3", "7");
    CHECK_EVAL("2147483647 + 1", "2147483648");
    CHECK_EVAL("-(-2147483648)", "2147483648");
    CHECK_EVAL("7 % -3", "1");
    CHECK_EVAL("'a' + 1 + 2", "a12");
    CHECK_EVAL("1 < 2 && 'x' > 'w'", "true");
    CHECK_EVAL("typeof null + typeof undefined + typeof 1n", "objectundefinedbigint");
}
END_TEST

START_TEST(test_completion)
{
    CHECK_EVAL("1; if (true) {}", "undefined");
    CHECK_EVAL("2; {}", "2");
    CHECK_EVAL("3; var x = 4;", "3");
    CHECK_EVAL("do { 5; break; } while (false)", "5");
    CHECK_EVAL("try { 6 } finally { 7 }", "6");
}
END_TEST

START_TEST(test_closures)
{
    CHECK_EVAL("function mk() { var n = 0; return () => ++n; } var c = mk(); c(); c(); c()", "3");
    CHECK_EVAL("var fs = []; for (let i = 0; i < 3; i++) fs.push(() => i); fs.map(f => f()).join()", "0,1,2");
    CHECK_EVAL("(function f(n) { return n ? n + f(n - 1) : 0 })(100)", "5050");
}
END_TEST

START_TEST(test_exceptions)
{
    CHECK_EVAL("try { null.x } catch (e) { e instanceof TypeError }", "true");
    CHECK_EVAL("try { undefinedName } catch (e) { e.name }", "ReferenceError");
    CHECK_EVAL("var log = ''; function f() { try { return 'r'; } finally { log += 'f'; } } f() + log", "rf");
    CHECK_EVAL("throw 42", "EXC:42");
    CHECK_EVAL("let q = 1; let q = 2;", "EXC:SyntaxError: Identifier 'q' has already been declared (test.js:1:16)");
}
END_TEST

START_TEST(test_stack_overflow)
{
    CHECK_EVAL("function r() { return r(); } try { r() } catch (e) { e instanceof RangeError }", "true");
    /* the thread is usable afterwards */
    CHECK_EVAL("1 + 1", "2");
}
END_TEST

START_TEST(test_generators)
{
    CHECK_EVAL("function* g() { var x = yield 1; yield x * 2; } var it = g(); it.next(); it.next(21).value", "42");
    CHECK_EVAL("function* g() { yield* [1, 2, 3]; } [...g()].join()", "1,2,3");
}
END_TEST

START_TEST(test_classes)
{
    CHECK_EVAL("class A { #x = 1; get x() { return this.#x; } } class B extends A { constructor() { super(); this.y = 2; } } "
               "var b = new B(); b.x + b.y", "3");
    CHECK_EVAL("class A2 {} try { A2() } catch (e) { e instanceof TypeError }", "true");
}
END_TEST

START_TEST(test_call_from_c)
{
    jsv f = eval("(function (a, b) { return a * b + this.k; })");
    ck_assert(jsv_is_object(f));
    jsv o = eval("({ k: 1 })");
    jsv args[2] = { jsv_from_int(6), jsv_from_int(7) };
    jsv r = jsvm_call(th, f, o, 2, args);
    ck_assert(jsv_is_number(r));
    ck_assert(jsv_get_number(r) == 43.0);
    /* not callable */
    r = jsvm_call(th, jsv_from_int(1), JSV_UNDEFINED, 0, NULL);
    ck_assert(r == JSV_EXCEPTION);
    jsvm_take_exception(th);
}
END_TEST

static int interrupt_calls;
static int on_interrupt(js_runtime *r, void *opaque)
{
    (void)r; (void)opaque;
    interrupt_calls++;
    return 1;   /* terminate */
}

START_TEST(test_interrupt)
{
    rt->interrupt_handler = on_interrupt;
    atomic_fetch_or(&th->interrupt, JS_INTERRUPT_REQUEST);
    jsv r = eval("try { for (;;) {} } catch (e) { 'caught' }");
    ck_assert(r == JSV_EXCEPTION);
    ck_assert_int_eq(interrupt_calls, 1);
    jsvm_take_exception(th);
    rt->interrupt_handler = NULL;
    CHECK_EVAL("'again'", "again");
}
END_TEST

static jsv native_trace(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *s = jsvm_capture_stack(t, 0);
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

START_TEST(test_stack_trace)
{
    js_object *f = jsfn_new_native(th, native_trace, jskey_from_cstr(th, "trace"), 0, 0);
    ck_assert_ptr_nonnull(f);
    ck_assert_int_eq(jsobj_define_value(th, realm->global, jskey_from_cstr(th, "trace"), jsv_object(f), JS_PROP_C_W), 0);
    CHECK_EVAL("function inner() {\n  return trace(); }\nfunction outer() { return inner(); } "
               "var s = outer(); s.indexOf('at inner (test.js:2:') >= 0 && s.indexOf('at outer (test.js:3:') >= 0", "true");
}
END_TEST

START_TEST(test_gc_during_run)
{
    CHECK_EVAL("var keep = []; for (var i = 0; i < 200000; i++) { var o = { i: i, s: 'x' + i }; if (i % 1000 == 0) keep.push(o); } "
               "keep.length + ':' + keep[199].s", "200:x199000");
}
END_TEST

static Suite *vm_suite(void)
{
    Suite *s = suite_create("vm");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_arith);
    tcase_add_test(tc, test_completion);
    tcase_add_test(tc, test_closures);
    tcase_add_test(tc, test_exceptions);
    tcase_add_test(tc, test_stack_overflow);
    tcase_add_test(tc, test_generators);
    tcase_add_test(tc, test_classes);
    tcase_add_test(tc, test_call_from_c);
    tcase_add_test(tc, test_interrupt);
    tcase_add_test(tc, test_stack_trace);
    tcase_add_test(tc, test_gc_during_run);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return jsetest_run(vm_suite());
}
