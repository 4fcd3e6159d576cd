/*
 * test_loop.c - the per-thread event loop (lib/host/loop.c): a message posted
 * from another pthread wakes a parked loop and runs on the loop's thread; the
 * embedder's wake-up hook; posts after shutdown are dropped; timers keep
 * their callbacks alive across collections; an exception from a timer
 * leaves the loop resumable; jse_runtime_terminate stops a parked loop.
 * Links the internal library (jsloop_post is not public).
 */
#include <check.h>
#include "check_main.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jsengine.h>
#include "api/internal.h"
#include "host/loop.h"
#include "vm/vm.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

typedef struct env { jse_runtime *rt; jse_context *ctx; } env;

static void env_open(env *e)
{
    e->rt = jse_runtime_new(NULL);
    ck_assert_ptr_nonnull(e->rt);
    e->ctx = jse_context_new(e->rt);
    ck_assert_ptr_nonnull(e->ctx);
    ck_assert_int_eq(jse_install_timers(e->ctx), JSE_OK);
}

static void env_close(env *e)
{
    jse_context_free(e->ctx);
    jse_runtime_free(e->rt);
}

static void run_js(env *e, const char *src)
{
    if (jse_eval(e->ctx, src, strlen(src), "test_loop", JSE_EVAL_SCRIPT, NULL) != JSE_OK) {
        char *s = jse_format_exception(e->ctx, jse_get_exception(e->ctx));
        ck_abort_msg("eval failed: %s\n  in: %s", s ? s : "?", src);
    }
}

static int js_int(env *e, const char *expr)
{
    jse_value v;
    ck_assert_int_eq(jse_eval(e->ctx, expr, strlen(expr), "test_loop", JSE_EVAL_SCRIPT, &v), JSE_OK);
    int32_t i = 0;
    ck_assert_int_eq(jse_to_int32(e->ctx, v, &i), JSE_OK);
    return i;
}

/* A message carrying one number; running it adds it to the global `got`. */
typedef struct num_msg {
    jsloop_msg m;
    int value;
    pthread_t ran_on;
} num_msg;

static atomic_int runs, drops, wakeups;
static pthread_t last_run_thread;

static int num_run(js_thread *t, jsloop_msg *m)
{
    num_msg *n = (num_msg *)m;
    char src[64];
    snprintf(src, sizeof src, "got += %d", n->value);
    last_run_thread = pthread_self();
    atomic_fetch_add(&runs, 1);
    jsv r = jsvm_eval_script(t, src, strlen(src), "msg", 0);
    jsloop_unref(t);
    free(n);
    return r == JSV_EXCEPTION ? -1 : 0;
}

static void num_drop(jsloop_msg *m)
{
    atomic_fetch_add(&drops, 1);
    free(m);
}

static num_msg *num_new(int value)
{
    num_msg *n = calloc(1, sizeof *n);
    n->m.run = num_run;
    n->m.drop = num_drop;
    n->value = value;
    return n;
}

typedef struct poster { jsag_agent *a; int delay_ms; int count; } poster;

static void *poster_main(void *p)
{
    poster *ps = p;
    usleep((useconds_t)ps->delay_ms * 1000);
    for (int i = 1; i <= ps->count; i++)
        ck_assert_int_eq(jsloop_post(ps->a, &num_new(i)->m), 0);
    return NULL;
}

static void on_wakeup(void *opaque)
{
    atomic_fetch_add(&wakeups, 1);
}

START_TEST(post_wakes_parked_loop)
{
    env e;
    env_open(&e);
    js_thread *t = jseapi_thread(e.ctx);
    run_js(&e, "var got = 0;");
    jsag_agent *a = jsloop_agent(t);
    ck_assert_ptr_nonnull(a);
    jse_loop_set_wakeup(e.ctx, on_wakeup, NULL);
    atomic_store(&runs, 0);
    atomic_store(&wakeups, 0);
    /* three refs: the loop must stay alive until all three messages ran */
    for (int i = 0; i < 3; i++)
        jsloop_ref(t);
    ck_assert_int_ne(jse_loop_pending(e.ctx), 0);
    ck_assert(jse_loop_next_timeout(e.ctx) < 0);
    poster ps = { a, 100, 3 };
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, poster_main, &ps), 0);
    double t0 = now_ms();
    ck_assert_int_eq(jse_loop_run(e.ctx), JSE_OK);
    double took = now_ms() - t0;
    pthread_join(th, NULL);
    ck_assert_int_eq(atomic_load(&runs), 3);
    ck_assert(pthread_equal(last_run_thread, pthread_self()));
    ck_assert_int_eq(js_int(&e, "got"), 6);
    ck_assert_int_eq(atomic_load(&wakeups), 3);
    /* the loop ran as soon as the messages came, not at some later deadline */
    ck_assert_msg(took >= 90 && took < 1000, "loop took %.0f ms", took);
    ck_assert_int_eq(jse_loop_pending(e.ctx), 0);
    env_close(&e);
}
END_TEST

START_TEST(post_after_shutdown_is_dropped)
{
    env e;
    env_open(&e);
    js_thread *t = jseapi_thread(e.ctx);
    jsag_agent *a = jsloop_agent(t);
    ck_assert_ptr_nonnull(a);
    atomic_store(&runs, 0);
    atomic_store(&drops, 0);
    run_js(&e, "var got = 0;");
    /* queued but never run: shutdown drops it */
    ck_assert_int_eq(jsloop_post(a, &num_new(1)->m), 0);
    jsloop_ref(t);
    jsloop_shutdown(t);
    ck_assert_int_eq(atomic_load(&drops), 1);
    ck_assert_int_eq(atomic_load(&runs), 0);
    env_close(&e);
}
END_TEST

START_TEST(inbox_closed_drops)
{
    env e;
    env_open(&e);
    js_thread *t = jseapi_thread(e.ctx);
    jsag_agent *a = jsloop_agent(t);
    atomic_store(&drops, 0);
    /* the record stays alive: simulate a receiver that has shut its inbox */
    pthread_mutex_lock(&a->cl->lock);
    a->inbox_closed = 1;
    pthread_mutex_unlock(&a->cl->lock);
    ck_assert_int_eq(jsloop_post(a, &num_new(1)->m), -1);
    ck_assert_int_eq(atomic_load(&drops), 1);
    env_close(&e);
}
END_TEST

START_TEST(timers_survive_gc)
{
    env e;
    env_open(&e);
    run_js(&e, "var out = [];"
               "for (let i = 0; i < 50; i++) {"
               "  const box = { i, pad: new Array(100).fill(i) };"
               "  setTimeout((b, k) => out.push(b.i + k), 50 - i, box, 1000);"
               "}");
    jse_runtime_gc(e.rt);
    run_js(&e, "for (let i = 0; i < 2000; i++) ({ junk: [i, i, i] });");
    jse_runtime_gc(e.rt);
    ck_assert_int_eq(jse_loop_run(e.ctx), JSE_OK);
    ck_assert_int_eq(js_int(&e, "out.length"), 50);
    /* shorter delays first: i = 49 had delay 1 */
    ck_assert_int_eq(js_int(&e, "out[0]"), 1049);
    ck_assert_int_eq(js_int(&e, "out.reduce((a, b) => a + b, 0)"), 50 * 1000 + 49 * 50 / 2);
    env_close(&e);
}
END_TEST

START_TEST(timer_exception_is_resumable)
{
    env e;
    env_open(&e);
    run_js(&e, "var seen = 0;"
               "setTimeout(() => { seen |= 1; throw new RangeError('first'); }, 1);"
               "setTimeout(() => { seen |= 2; }, 5);");
    ck_assert_int_eq(jse_loop_run(e.ctx), JSE_EXCEPTION);
    jse_value exc = jse_get_exception(e.ctx);
    char *s = jse_format_exception(e.ctx, exc);
    ck_assert_ptr_nonnull(strstr(s, "RangeError: first"));
    jse_free_string(s);
    ck_assert_int_eq(js_int(&e, "seen"), 1);
    ck_assert_int_ne(jse_loop_pending(e.ctx), 0);
    ck_assert_int_eq(jse_loop_run(e.ctx), JSE_OK);
    ck_assert_int_eq(js_int(&e, "seen"), 3);
    env_close(&e);
}
END_TEST

START_TEST(run_once_and_next_timeout)
{
    env e;
    env_open(&e);
    ck_assert(jse_loop_next_timeout(e.ctx) < 0);
    ck_assert_int_eq(jse_loop_run_once(e.ctx, 0), 0);
    run_js(&e, "var fired = 0; setTimeout(() => fired++, 200);");
    double next = jse_loop_next_timeout(e.ctx);
    ck_assert_msg(next > 100 && next <= 200, "next timeout %.1f ms", next);
    ck_assert_int_eq(jse_loop_run_once(e.ctx, 0), 0);   /* not due: no wait */
    ck_assert_int_eq(jse_loop_run_once(e.ctx, 10), 0);  /* waits 10 ms at most */
    ck_assert_int_eq(js_int(&e, "fired"), 0);
    ck_assert_int_eq(jse_loop_run_once(e.ctx, -1), 1);  /* waits for it */
    ck_assert_int_eq(js_int(&e, "fired"), 1);
    ck_assert_int_eq(jse_loop_pending(e.ctx), 0);
    /* a cleared timer keeps nothing alive */
    run_js(&e, "clearTimeout(setTimeout(() => fired++, 100000));");
    ck_assert_int_eq(jse_loop_pending(e.ctx), 0);
    ck_assert_int_eq(jse_loop_run(e.ctx), JSE_OK);
    env_close(&e);
}
END_TEST

static int hits;

static jse_value host_hit(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    hits++;
    return jse_undefined();
}

START_TEST(freed_context_cancels_its_timers)
{
    env e;
    env_open(&e);
    jse_context *other = jse_context_new(e.rt);
    ck_assert_ptr_nonnull(other);
    ck_assert_int_eq(jse_install_timers(other), JSE_OK);
    ck_assert_int_eq(jse_define_global_function(other, "hit", host_hit, 0, NULL), JSE_OK);
    ck_assert_int_eq(jse_define_global_function(e.ctx, "hit", host_hit, 0, NULL), JSE_OK);
    hits = 0;
    const char *src = "setTimeout(hit, 1); setInterval(hit, 1);";
    ck_assert_int_eq(jse_eval(other, src, strlen(src), "other", JSE_EVAL_SCRIPT, NULL), JSE_OK);
    run_js(&e, "setTimeout(hit, 5);");
    jse_context_free(other);
    ck_assert_int_eq(jse_loop_run(e.ctx), JSE_OK);
    ck_assert_int_eq(hits, 1);
    env_close(&e);
}
END_TEST

typedef struct killer { jse_runtime *rt; int delay_ms; } killer;

static void *killer_main(void *p)
{
    killer *k = p;
    usleep((useconds_t)k->delay_ms * 1000);
    jse_runtime_terminate(k->rt);
    return NULL;
}

START_TEST(terminate_stops_parked_loop)
{
    env e;
    env_open(&e);
    run_js(&e, "setTimeout(() => {}, 60000);");
    killer k = { e.rt, 100 };
    pthread_t th;
    ck_assert_int_eq(pthread_create(&th, NULL, killer_main, &k), 0);
    double t0 = now_ms();
    ck_assert_int_eq(jse_loop_run(e.ctx), JSE_EXCEPTION);
    double took = now_ms() - t0;
    pthread_join(th, NULL);
    ck_assert_msg(took < 1000, "terminate took %.0f ms", took);
    /* the runtime stays usable and the timer is still scheduled */
    ck_assert_int_eq(js_int(&e, "1 + 1"), 2);
    ck_assert_int_ne(jse_loop_pending(e.ctx), 0);
    env_close(&e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("loop");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, post_wakes_parked_loop);
    tcase_add_test(tc, post_after_shutdown_is_dropped);
    tcase_add_test(tc, inbox_closed_drops);
    tcase_add_test(tc, timers_survive_gc);
    tcase_add_test(tc, timer_exception_is_resumable);
    tcase_add_test(tc, run_once_and_next_timeout);
    tcase_add_test(tc, terminate_stops_parked_loop);
    tcase_add_test(tc, freed_context_cancels_its_timers);
    suite_add_tcase(s, tc);
    return jsetest_run(s);
}
