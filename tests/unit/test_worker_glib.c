/*
 * test_worker_glib.c - an embedder's own main loop drives the engine's event
 * loop: a GSource asks jse_loop_next_timeout how long GLib may sleep, the
 * wake-up hook (jse_loop_set_wakeup) interrupts GLib's poll when a worker
 * posts, and dispatch runs jse_loop_run_once(ctx, 0). A worker and the
 * parent ping-pong 100 messages while a parent timer ticks; the GMainLoop
 * quits on the worker's exit. Public API and GLib only.
 */
#include <check.h>
#include "check_main.h"
#include <glib.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jsengine.h>

#define PINGS 100

typedef struct jse_source {
    GSource base;
    jse_context *ctx;
    int failed;                 /* a turn ended with an exception */
} jse_source;

typedef struct pingpong {
    jse_context *ctx;
    jse_worker *w;
    GMainLoop *loop;
    int received, exit_code, exited, ticked, timed_out;
    int wakeups;                /* wake-up hook calls (any thread) */
} pingpong;

/* GLib may sleep until the next timer; 0 when something can run now. */
static gboolean src_prepare(GSource *s, gint *timeout)
{
    jse_source *js = (jse_source *)s;
    double ms = jse_loop_next_timeout(js->ctx);
    *timeout = ms < 0 ? -1 : (gint)ceil(ms);
    return ms == 0;
}

static gboolean src_check(GSource *s)
{
    return jse_loop_next_timeout(((jse_source *)s)->ctx) == 0;
}

static gboolean src_dispatch(GSource *s, GSourceFunc cb, gpointer data)
{
    jse_source *js = (jse_source *)s;
    if (jse_loop_run_once(js->ctx, 0) < 0) {
        jse_get_exception(js->ctx);
        js->failed = 1;
    }
    return G_SOURCE_CONTINUE;
}

static GSourceFuncs jse_source_funcs = { src_prepare, src_check, src_dispatch, NULL, NULL, NULL };

/* Any thread, engine locks held: only wake GLib. */
static void wake(void *opaque)
{
    pingpong *p = opaque;
    g_atomic_int_inc(&p->wakeups);
    g_main_context_wakeup(NULL);
}

static void on_message(jse_context *ctx, jse_worker *w, jse_value data, void *opaque)
{
    pingpong *p = opaque;
    double n;
    ck_assert_int_eq(jse_to_number(ctx, data, &n), JSE_OK);
    ck_assert_int_eq((int)n, p->received);   /* in order */
    p->received++;
    if (p->received < PINGS)
        ck_assert_int_eq(jse_worker_post(ctx, w, jse_number(n + 1), jse_undefined()), JSE_OK);
}

static void on_exit_cb(jse_context *ctx, jse_worker *w, int code, void *opaque)
{
    pingpong *p = opaque;
    p->exited = 1;
    p->exit_code = code;
    if (p->ticked)
        g_main_loop_quit(p->loop);
}

/* ticked(): the parent's interval timer is done */
static jse_value js_ticked(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    pingpong *p = data;
    p->ticked = 1;
    if (p->exited)
        g_main_loop_quit(p->loop);
    return jse_undefined();
}

static gboolean give_up(gpointer data)
{
    pingpong *p = data;
    p->timed_out = 1;
    g_main_loop_quit(p->loop);
    return G_SOURCE_REMOVE;
}

START_TEST(test_glib_drives_worker_pingpong)
{
    jse_runtime *rt = jse_runtime_new(NULL);
    jse_context *ctx = jse_context_new(rt);
    ck_assert_ptr_nonnull(ctx);
    ck_assert_int_eq(jse_install_timers(ctx), JSE_OK);
    pingpong p = { 0 };
    p.ctx = ctx;
    p.loop = g_main_loop_new(NULL, FALSE);
    jse_loop_set_wakeup(ctx, wake, &p);

    GSource *s = g_source_new(&jse_source_funcs, sizeof(jse_source));
    ((jse_source *)s)->ctx = ctx;
    g_source_attach(s, NULL);

    /* a parent timer that keeps firing while the messages flow */
    ck_assert_int_eq(jse_define_global_function(ctx, "ticked", js_ticked, 0, &p), JSE_OK);
    const char *timer = "var ticks = 0;\n"
                        "var iv = setInterval(() => { if (++ticks === 3) { clearInterval(iv); ticked(); } }, 5);";
    ck_assert_int_eq(jse_eval(ctx, timer, strlen(timer), "timer.js", JSE_EVAL_SCRIPT, NULL), JSE_OK);

    /* the worker posts 0 unasked, then echoes what the parent sends (1..99),
     * closing after 99: 100 messages reach the parent */
    const char *src =
        "onmessage = (e) => { postMessage(e.data); if (e.data === 99) close(); };\n"
        "postMessage(0);\n";
    p.w = jse_worker_new(ctx, "ping.js", src, strlen(src), NULL);
    ck_assert_ptr_nonnull(p.w);
    jse_worker_handlers h = { on_message, NULL, on_exit_cb, &p };
    jse_worker_set_handlers(p.w, &h);

    guint guard = g_timeout_add(10000, give_up, &p);
    g_main_loop_run(p.loop);
    ck_assert_msg(!p.timed_out, "the GLib loop did not finish: %d messages", p.received);
    g_source_remove(guard);

    ck_assert(!((jse_source *)s)->failed);
    ck_assert_int_eq(p.received, PINGS);
    ck_assert(p.exited);
    ck_assert_int_eq(p.exit_code, JSE_WORKER_OK);
    ck_assert_int_gt(g_atomic_int_get(&p.wakeups), 0);
    /* the timer ran from GLib's loop too */
    jse_value ticks;
    ck_assert_int_eq(jse_eval(ctx, "ticks", 5, "t.js", JSE_EVAL_SCRIPT, &ticks), JSE_OK);
    double t;
    ck_assert_int_eq(jse_to_number(ctx, ticks, &t), JSE_OK);
    ck_assert_int_eq((int)t, 3);

    ck_assert_int_eq(jse_worker_join(p.w, -1), JSE_WORKER_OK);
    jse_worker_free(p.w);
    jse_loop_set_wakeup(ctx, NULL, NULL);
    g_source_destroy(s);
    g_source_unref(s);
    g_main_loop_unref(p.loop);
    jse_context_free(ctx);
    jse_runtime_free(rt);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("worker_glib");
    TCase *tc = tcase_create("glib");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_glib_drives_worker_pingpong);
    suite_add_tcase(s, tc);
    return jsetest_run(s);
}
