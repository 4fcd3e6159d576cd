/*
 * test_worker.c - workers through the public API (jse_worker_*, the Worker
 * global): structured messages both ways (nested arrays, Map, a transferred
 * ArrayBuffer, a SharedArrayBuffer counter), termination of a busy and of a
 * parked worker, exit codes, errors, bad input and many short-lived workers.
 * Public header only.
 */
#include <check.h>
#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jsengine.h>

static jse_runtime *rt;
static jse_context *ctx;

/* What the handlers saw. */
typedef struct seen {
    int messages, errors, exits, exit_code;
    char last_error[256];
} seen;

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

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static jse_value eval_ok(const char *src)
{
    jse_value v;
    if (jse_eval(ctx, src, strlen(src), "test.js", JSE_EVAL_SCRIPT, &v) != JSE_OK) {
        char *s = jse_format_exception(ctx, jse_get_exception(ctx));
        ck_abort_msg("eval of '%s' threw: %s", src, s ? s : "?");
    }
    return v;
}

static int eval_true(const char *src)
{
    return jse_to_bool(ctx, eval_ok(src));
}

/* Appends each message to the global array `got`. */
static void on_message(jse_context *c, jse_worker *w, jse_value data, void *opaque)
{
    seen *s = opaque;
    s->messages++;
    jse_value got = jse_get(c, jse_get_global(c), "got");
    jse_value push = jse_get(c, got, "push");
    jse_call(c, push, got, 1, &data, NULL);
}

static void on_error(jse_context *c, jse_worker *w, jse_value error, void *opaque)
{
    seen *s = opaque;
    s->errors++;
    char *m = jse_format_exception(c, error);
    snprintf(s->last_error, sizeof s->last_error, "%s", m ? m : "?");
    jse_free_string(m);
}

static void on_exit_cb(jse_context *c, jse_worker *w, int code, void *opaque)
{
    seen *s = opaque;
    s->exits++;
    s->exit_code = code;
}

static jse_worker *start(const char *src, seen *s)
{
    jse_worker *w = jse_worker_new(ctx, "worker.js", src, strlen(src), NULL);
    if (!w) {
        char *m = jse_format_exception(ctx, jse_get_exception(ctx));
        ck_abort_msg("jse_worker_new: %s", m ? m : "?");
    }
    jse_worker_handlers h = { on_message, on_error, on_exit_cb, s };
    jse_worker_set_handlers(w, &h);
    return w;
}

/* Runs the loop until the handlers saw `messages` messages (or 5 s). */
static void wait_messages(seen *s, int messages)
{
    double end = now_ms() + 5000;
    while (s->messages < messages && now_ms() < end)
        ck_assert_int_ge(jse_loop_run_once(ctx, 50), 0);
    ck_assert_int_ge(s->messages, messages);
}

START_TEST(test_structured_messages_both_ways)
{
    seen s = { 0 };
    eval_ok("var got = [];");
    jse_worker *w = start(
        "onmessage = (e) => {\n"
        "  const d = e.data, bytes = new Uint8Array(d.buf);\n"
        "  const back = new ArrayBuffer(4); new Uint8Array(back)[2] = 99;\n"
        "  postMessage({ nested: d.obj.arr[1][1], len: d.obj.arr.length, k: d.map.get('k'),\n"
        "                isMap: d.map instanceof Map, byte: bytes[3], size: d.buf.byteLength,\n"
        "                back }, [back]);\n"
        "  if (back.byteLength !== 0) throw new Error('not detached in the worker');\n"
        "  close();\n"
        "};\n", &s);
    jse_value msg = eval_ok(
        "var buf = new ArrayBuffer(8); new Uint8Array(buf)[3] = 7;\n"
        "({ obj: { arr: [1, [2, 3]] }, map: new Map([['k', 42]]), buf })");
    jse_value transfer = eval_ok("[buf]");
    ck_assert_int_eq(jse_worker_post(ctx, w, msg, transfer), JSE_OK);
    ck_assert(eval_true("buf.byteLength === 0"));   /* transferred: detached here */
    ck_assert_int_eq(jse_loop_run(ctx), JSE_OK);     /* ends when the worker has exited */
    ck_assert_int_eq(s.messages, 1);
    ck_assert(eval_true("const r = got[0]; r.nested === 3 && r.len === 2 && r.k === 42 && r.isMap"
                        " && r.byte === 7 && r.size === 8"));
    ck_assert(eval_true("got[0].back instanceof ArrayBuffer && new Uint8Array(got[0].back)[2] === 99"));
    ck_assert_int_eq(s.exits, 1);
    ck_assert_int_eq(s.exit_code, JSE_WORKER_OK);
    ck_assert_int_eq(jse_worker_join(w, -1), JSE_WORKER_OK);
    jse_worker_free(w);
}
END_TEST

START_TEST(test_shared_counter)
{
    seen s = { 0 };
    eval_ok("var got = []; var sab = new SharedArrayBuffer(8); var counter = new Int32Array(sab);");
    const char *src =
        "onmessage = (e) => {\n"
        "  const a = new Int32Array(e.data);\n"
        "  for (let i = 0; i < 10000; i++) Atomics.add(a, 0, 1);\n"
        "  postMessage('done'); close();\n"
        "};\n";
    jse_worker *w[4];
    jse_value sab = eval_ok("sab");
    for (int i = 0; i < 4; i++) {
        w[i] = start(src, &s);
        ck_assert_int_eq(jse_worker_post(ctx, w[i], sab, jse_undefined()), JSE_OK);
    }
    ck_assert_int_eq(jse_loop_run(ctx), JSE_OK);
    ck_assert_int_eq(s.messages, 4);
    ck_assert(eval_true("Atomics.load(counter, 0) === 40000"));
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(jse_worker_join(w[i], -1), JSE_WORKER_OK);
        jse_worker_free(w[i]);
    }
}
END_TEST

/* Terminates w once it said it is running; returns the milliseconds that
 * terminate + join took. */
static double terminate_timed(jse_worker *w, seen *s)
{
    wait_messages(s, 1);
    usleep(20000);   /* let it get into its loop / park */
    double t0 = now_ms();
    jse_worker_terminate(w);
    ck_assert_int_eq(jse_worker_join(w, 2000), JSE_WORKER_TERMINATED);
    return now_ms() - t0;
}

START_TEST(test_terminate_busy_loop)
{
    seen s = { 0 };
    eval_ok("var got = [];");
    jse_worker *w = start("postMessage('running'); for (;;) {}", &s);
    double ms = terminate_timed(w, &s);
    ck_assert_msg(ms < 100, "terminate took %.1f ms", ms);
    /* the exit event still arrives; messages from it do not */
    ck_assert_int_eq(jse_loop_run(ctx), JSE_OK);
    ck_assert_int_eq(s.exits, 1);
    ck_assert_int_eq(s.exit_code, JSE_WORKER_TERMINATED);
    ck_assert_int_eq(s.errors, 0);
    jse_worker_free(w);
}
END_TEST

START_TEST(test_terminate_atomics_wait)
{
    seen s = { 0 };
    eval_ok("var got = [];");
    jse_worker *w = start("const a = new Int32Array(new SharedArrayBuffer(4));\n"
                          "postMessage('parking'); Atomics.wait(a, 0, 0); postMessage('woke');", &s);
    double ms = terminate_timed(w, &s);
    ck_assert_msg(ms < 100, "terminate took %.1f ms", ms);
    ck_assert_int_eq(jse_loop_run(ctx), JSE_OK);
    ck_assert_int_eq(s.messages, 1);
    jse_worker_free(w);
}
END_TEST

START_TEST(test_messages_to_terminated_worker_dropped)
{
    seen s = { 0 };
    eval_ok("var got = [];");
    jse_worker *w = start("onmessage = (e) => postMessage(e.data);", &s);
    jse_worker_terminate(w);
    /* the buffer's storage travels with the message: dropped, not leaked */
    jse_value msg = eval_ok("var b = new ArrayBuffer(1 << 20); b");
    ck_assert_int_eq(jse_worker_post(ctx, w, msg, eval_ok("[b]")), JSE_OK);
    ck_assert_int_eq(jse_worker_join(w, 2000), JSE_WORKER_TERMINATED);
    ck_assert_int_eq(jse_loop_run(ctx), JSE_OK);
    ck_assert_int_eq(s.messages, 0);
    jse_worker_free(w);
}
END_TEST

START_TEST(test_syntax_error)
{
    seen s = { 0 };
    jse_worker *w = start("let = = ;", &s);
    ck_assert_int_eq(jse_loop_run(ctx), JSE_OK);
    ck_assert_int_eq(s.errors, 1);
    ck_assert_msg(strstr(s.last_error, "SyntaxError") != NULL, "error: %s", s.last_error);
    ck_assert_int_eq(s.exit_code, JSE_WORKER_ERROR);
    ck_assert_int_eq(jse_worker_join(w, -1), JSE_WORKER_ERROR);
    jse_worker_free(w);
}
END_TEST

START_TEST(test_uncaught_error_keeps_message)
{
    seen s = { 0 };
    jse_worker *w = start("throw new RangeError('boom ' + 6 * 7);", &s);
    ck_assert_int_eq(jse_loop_run(ctx), JSE_OK);
    ck_assert_int_eq(s.errors, 1);
    ck_assert_msg(strstr(s.last_error, "RangeError: boom 42") != NULL, "error: %s", s.last_error);
    ck_assert_int_eq(jse_worker_join(w, -1), JSE_WORKER_ERROR);
    jse_worker_free(w);
}
END_TEST

START_TEST(test_bad_input)
{
    jse_worker *w = jse_worker_new(ctx, "/nonexistent/dir/worker.js", NULL, 0, NULL);
    ck_assert_ptr_null(w);
    ck_assert(jse_has_exception(ctx));
    char *m = jse_format_exception(ctx, jse_get_exception(ctx));
    ck_assert_msg(strstr(m, "cannot load worker script '/nonexistent/dir/worker.js'") != NULL, "%s", m);
    jse_free_string(m);
    /* nothing was started: the loop has nothing to wait for */
    ck_assert(!jse_loop_pending(ctx));
}
END_TEST

START_TEST(test_many_workers)
{
    for (int i = 0; i < 50; i++) {
        seen s = { 0 };
        eval_ok("var got = [];");
        jse_worker *w = start("postMessage(1)", &s);
        wait_messages(&s, 1);
        if (i % 2)
            jse_worker_free(w);   /* may still be running: terminated and joined */
        else {
            ck_assert_int_eq(jse_loop_run(ctx), JSE_OK);
            ck_assert_int_eq(jse_worker_join(w, -1), JSE_WORKER_OK);
            jse_worker_free(w);
        }
    }
    /* exit events of the workers freed while running may still be queued */
    ck_assert_int_eq(jse_loop_run(ctx), JSE_OK);
    ck_assert(!jse_loop_pending(ctx));
}
END_TEST

/* Workers the embedder forgot are terminated and joined by jse_runtime_free. */
START_TEST(test_runtime_free_with_running_workers)
{
    seen s = { 0 };
    jse_worker *w = start("for (;;) {}", &s);
    jse_worker *w2 = start("onmessage = () => {};", &s);
    teardown();
    ck_assert_int_eq(jse_worker_join(w, 0), JSE_WORKER_TERMINATED);
    ck_assert_int_eq(jse_worker_join(w2, 0), JSE_WORKER_TERMINATED);
    jse_worker_free(w);
    jse_worker_free(w2);
    setup();
}
END_TEST

/* ---- the JS Worker global ---- */

static char tmpdir[64];

static void write_file(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fputs(text, f);
    fclose(f);
}

static void js_setup(void)
{
    setup();
    snprintf(tmpdir, sizeof tmpdir, "/tmp/jse-test-worker-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
    ck_assert_int_eq(jse_install_worker_global(ctx, NULL), JSE_OK);
}

static void js_teardown(void)
{
    teardown();
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
}

static void eval_file(const char *name, const char *src, int flags)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    write_file(name, src);
    jse_value v;
    if (jse_eval(ctx, src, strlen(src), path, flags, &v) != JSE_OK) {
        char *s = jse_format_exception(ctx, jse_get_exception(ctx));
        ck_abort_msg("%s threw: %s", name, s ? s : "?");
    }
}

START_TEST(test_js_worker_module_relative_paths)
{
    write_file("dep.mjs", "export const twice = (x) => 2 * x;\n");
    write_file("w.mjs", "import { twice } from './dep.mjs';\n"
                        "self.onmessage = (e) => { postMessage(twice(e.data)); self.onmessage = null; };\n");
    eval_file("main.js",
              "var result = 0, exited = false;\n"
              "var w = new Worker('w.mjs', { type: 'module' });\n"   /* relative to main.js */
              "w.onmessage = (e) => { result = e.data; };\n"
              "w.postMessage(21);\n", JSE_EVAL_SCRIPT);
    ck_assert_int_eq(jse_loop_run(ctx), JSE_OK);
    ck_assert(eval_true("result === 42"));
}
END_TEST

START_TEST(test_js_worker_onerror_and_uncaught)
{
    write_file("bad.js", "throw new TypeError('bad worker');\n");
    eval_file("main.js",
              "var ev = null;\n"
              "var w = new Worker('bad.js');\n"
              "w.onerror = (e) => { ev = e; };\n", JSE_EVAL_SCRIPT);
    ck_assert_int_eq(jse_loop_run(ctx), JSE_OK);
    ck_assert(eval_true("ev.message === 'bad worker' && ev.error instanceof TypeError"
                        " && ev.filename.endsWith('bad.js')"));
    /* without onerror the error is raised in the parent */
    eval_file("main2.js", "new Worker('bad.js');\n", JSE_EVAL_SCRIPT);
    ck_assert_int_eq(jse_loop_run(ctx), JSE_EXCEPTION);
    char *m = jse_format_exception(ctx, jse_get_exception(ctx));
    ck_assert_msg(strstr(m, "TypeError: bad worker") != NULL, "%s", m);
    jse_free_string(m);
}
END_TEST

START_TEST(test_js_worker_terminate_and_bad_input)
{
    write_file("spin.js", "postMessage('up'); for (;;) {}\n");
    eval_file("main.js",
              "var up = false;\n"
              "var w = new Worker('spin.js');\n"
              "w.onmessage = () => { up = true; w.terminate(); };\n", JSE_EVAL_SCRIPT);
    ck_assert_int_eq(jse_loop_run(ctx), JSE_OK);   /* ends: terminate() released it */
    ck_assert(eval_true("up"));
    ck_assert(eval_true("try { new Worker(42); false } catch (e) { e instanceof TypeError }"));
    ck_assert(eval_true("try { Worker.prototype.postMessage.call({}, 1); false } catch (e) { e instanceof TypeError }"));
    ck_assert(eval_true("try { w.terminate.call(Object.create(Worker.prototype)); false }"
                        " catch (e) { e instanceof TypeError }"));
    ck_assert(eval_true("w.postMessage(1) === undefined && w.terminate() === undefined"));   /* ended: no-ops */
    ck_assert(eval_true("try { Worker('x.js'); false } catch (e) { e instanceof TypeError }"));
    ck_assert(eval_true("try { new Worker('x.js', { type: 'wasm' }); false } catch (e) { e instanceof TypeError }"));
    ck_assert(eval_true("try { new Worker('no-such-file.js'); false }"
                        " catch (e) { e.message.includes('no-such-file.js') }"));
}
END_TEST

static Suite *worker_suite(void)
{
    Suite *s = suite_create("worker");
    TCase *tc = tcase_create("api");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_structured_messages_both_ways);
    tcase_add_test(tc, test_shared_counter);
    tcase_add_test(tc, test_terminate_busy_loop);
    tcase_add_test(tc, test_terminate_atomics_wait);
    tcase_add_test(tc, test_messages_to_terminated_worker_dropped);
    tcase_add_test(tc, test_syntax_error);
    tcase_add_test(tc, test_uncaught_error_keeps_message);
    tcase_add_test(tc, test_bad_input);
    tcase_add_test(tc, test_many_workers);
    tcase_add_test(tc, test_runtime_free_with_running_workers);
    suite_add_tcase(s, tc);
    TCase *js = tcase_create("global");
    tcase_add_checked_fixture(js, js_setup, js_teardown);
    tcase_set_timeout(js, 60);
    tcase_add_test(js, test_js_worker_module_relative_paths);
    tcase_add_test(js, test_js_worker_onerror_and_uncaught);
    tcase_add_test(js, test_js_worker_terminate_and_bad_input);
    suite_add_tcase(s, js);
    return s;
}

int main(void)
{
    return jsetest_run(worker_suite());
}
