/*
 * agent262.c - the test262 host object $262.agent on real threads (INTERPRETING.md):
 * start/broadcast/getReport/sleep/monotonicNow for the main agent, and the
 * agent threads' own runtime with receiveBroadcast/report/leaving. Owns the
 * agent threads' main function; the cluster, waiting and teardown belong to
 * lib/threads. Must not touch buffer internals beyond binary.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "binary.h"
#include "../threads/agent.h"

int jsbi_install_agent262(js_thread *t, js_object *dollar262);

/* What an agent thread gets from start(): its source, and then its state. */
typedef struct agent_boot {
    char *src;
    size_t len;
    jsv callback;           /* receiveBroadcast's function (a root while set) */
    int has_callback;
} agent_boot;

static jscl_cluster *cluster_or_throw(js_thread *t)
{
    jsag_agent *a = t->agent;
    if (!a)
        jsvm_throw_type_error(t, "$262.agent needs an agent cluster in this host");
    return a ? a->cl : NULL;
}

static void sleep_ms(js_thread *t, double ms)
{
    uint64_t deadline = jscl_deadline_ms(ms);
    for (;;) {
        uint64_t now = jscl_now_ns();
        if (now >= deadline)
            return;
        uint64_t d = deadline - now;
        if (d > 100000000u)
            d = 100000000u;
        struct timespec ts = { (time_t)(d / 1000000000u), (long)(d % 1000000000u) };
        nanosleep(&ts, NULL);
        if (atomic_load(&t->interrupt))
            return;   /* the caller polls */
    }
}

static jsv agent_sleep(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double ms;
    if (jsop_to_number(t, JS_ARG(0), &ms) < 0)
        return JSV_EXCEPTION;
    if (ms == ms && ms > 0)
        sleep_ms(t, ms);
    if (jsvm_poll_interrupt(t) < 0)
        return JSV_EXCEPTION;
    return JSV_UNDEFINED;
}

static jsv agent_monotonic_now(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsv_number(floor((double)jscl_now_ns() / 1e6));
}

/* ---- the agent threads ---- */

static jsv agent_receive_broadcast(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsag_agent *a = t->agent;
    if (!a || !a->has_thread)
        return jsvm_throw_type_error(t, "receiveBroadcast is only available in an agent");
    if (!jsop_is_callable(JS_ARG(0)))
        return jsvm_throw_type_error(t, "receiveBroadcast needs a function");
    agent_boot *b = a->arg;
    b->callback = JS_ARG(0);
    b->has_callback = 1;
    return JSV_UNDEFINED;
}

static jsv agent_report(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jscl_cluster *cl = cluster_or_throw(t);
    if (!cl)
        return JSV_EXCEPTION;
    js_string *s = jsop_to_string(t, JS_ARG(0));
    if (!s)
        return JSV_EXCEPTION;
    size_t n;
    char *u = jsstr_to_utf8(s, &n);
    if (!u || jscl_report_push(cl, u, n) < 0) {
        free(u);
        return jsvm_throw_out_of_memory(t);
    }
    free(u);
    return JSV_UNDEFINED;
}

static jsv agent_leaving(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return JSV_UNDEFINED;
}

static jsv agent_print(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    for (int i = 0; i < argc; i++) {
        js_string *s = jsop_to_string(t, argv[i]);
        if (!s)
            return JSV_EXCEPTION;
        char *u = jsstr_to_utf8(s, NULL);
        if (u)
            fprintf(stderr, "%s%s", i ? " " : "", u);
        free(u);
    }
    fputc('\n', stderr);
    return JSV_UNDEFINED;
}

/* A SharedArrayBuffer object of this runtime viewing the broadcast storage:
 * made by the constructor with no bytes, then pointed at the shared block. */
static jsv sab_over(js_thread *t, jssab_storage *s, int growable)
{
    jsv buf = jsvm_construct(t, jsrt_intrinsic(t, JS_INTR_SharedArrayBuffer), 0, NULL, JSV_UNDEFINED);
    js_array_buffer *b = jsab_get(buf);
    if (!b) {
        jssab_release(s);
        return JSV_EXCEPTION;
    }
    jssab_release(b->store);
    b->store = s;   /* takes the caller's reference */
    b->resizable = growable != 0;
    b->max_byte_length = growable ? s->max_byte_length : jssab_length(s);
    return buf;
}

static void report_exception(js_thread *t)
{
    /* terminated by teardown: nothing to say */
    int quiet = t->uncatchable || (t->agent && jsag_stopping(t->agent));
    jsv e = jsvm_take_exception(t);
    js_string *s = quiet ? NULL : jsop_to_string(t, e);
    if (!s) {
        if (t->has_exception)
            jsvm_take_exception(t);
        return;
    }
    char *u = jsstr_to_utf8(s, NULL);
    if (u)
        fprintf(stderr, "agent: uncaught %s\n", u);
    free(u);
}

static int install_agent_globals(js_thread *t, js_realm *realm)
{
    js_object *d = jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_OBJECT);
    js_object *ag = d ? jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_OBJECT) : NULL;
    if (!ag || jsobj_define_fn(t, ag, "receiveBroadcast", agent_receive_broadcast, 1, 0) < 0 ||
        jsobj_define_fn(t, ag, "report", agent_report, 1, 0) < 0 ||
        jsobj_define_fn(t, ag, "leaving", agent_leaving, 0, 0) < 0 ||
        jsobj_define_fn(t, ag, "sleep", agent_sleep, 1, 0) < 0 ||
        jsobj_define_fn(t, ag, "monotonicNow", agent_monotonic_now, 0, 0) < 0 ||
        jsbi_define_value_cstr(t, d, "agent", jsv_object(ag), JS_PROP_C_W) < 0 ||
        jsbi_define_value_cstr(t, d, "global", jsv_object(realm->global), JS_PROP_C_W) < 0 ||
        jsbi_define_value_cstr(t, realm->global, "$262", jsv_object(d), JS_PROP_C_W) < 0 ||
        jsobj_define_fn(t, realm->global, "print", agent_print, 1, 0) < 0)
        return -1;
    return 0;
}

/* Runs jobs and async waiters; waits for the broadcast while a callback is
 * registered and none arrived yet. Ends when nothing is left to do. */
static void agent_loop(js_thread *t, jsag_agent *a, agent_boot *b)
{
    int received = 0;
    for (;;) {
        if (jsag_stopping(a))
            return;
        if (jsrt_run_jobs(t) < 0) {
            report_exception(t);
            return;
        }
        int n = jsw_dispatch(t, 0);
        if (n < 0) {
            report_exception(t);
            return;
        }
        if (n > 0)
            continue;
        if (b->has_callback && !received) {
            jssab_storage *s;
            int growable;
            double num;
            uint64_t now = jscl_now_ns(), d = jsw_next_deadline(t);
            if (d > now + 100000000u)
                d = now + 100000000u;
            if (!jsag_receive(a, d, &s, &growable, &num)) {
                if (jsvm_poll_interrupt(t) < 0) {
                    report_exception(t);
                    return;
                }
                continue;
            }
            received = 1;
            jsv args[2];
            args[0] = sab_over(t, s, growable);
            args[1] = jsv_number(num);
            if (args[0] == JSV_EXCEPTION || jsvm_call(t, b->callback, JSV_UNDEFINED, 2, args) == JSV_EXCEPTION) {
                report_exception(t);
                return;
            }
            continue;
        }
        if (!jsw_pending(t))
            return;
        if (jsw_dispatch(t, JSCL_FOREVER) < 0) {
            report_exception(t);
            return;
        }
    }
}

static void agent_main(jsag_agent *a, void *arg)
{
    agent_boot *b = arg;
    js_runtime *rt = jsrt_new(NULL);
    if (!rt)
        goto out;
    js_thread *t = rt->main_thread ? rt->main_thread : jsrt_thread(rt);
    js_realm *realm = t ? jsrt_realm_new(t) : NULL;
    if (!realm)
        goto out_rt;
    t->realm = realm;
    t->can_block = 1;
    b->callback = JSV_UNDEFINED;
    if (jsgc_add_root(rt, &b->callback) < 0)
        goto out_rt;
    jsag_bind(a, t);
    if (install_agent_globals(t, realm) < 0 ||
        jsvm_eval_script(t, b->src, b->len, "agent", 0) == JSV_EXCEPTION)
        report_exception(t);
    else
        agent_loop(t, a, b);
    jsag_unbind(a);
    jsgc_remove_root(rt, &b->callback);
out_rt:
    jsrt_free(rt);
out:
    free(b->src);
    free(b);
}

/* ---- the main agent's side ---- */

static jsv agent_start(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jscl_cluster *cl = cluster_or_throw(t);
    if (!cl)
        return JSV_EXCEPTION;
    js_string *s = jsop_to_string(t, JS_ARG(0));
    if (!s)
        return JSV_EXCEPTION;
    agent_boot *b = calloc(1, sizeof *b);
    if (!b || !(b->src = jsstr_to_utf8(s, &b->len))) {
        free(b);
        return jsvm_throw_out_of_memory(t);
    }
    if (!jsag_start(cl, agent_main, b)) {
        free(b->src);
        free(b);
        return jsvm_throw_error(t, JS_ERR_ERROR, "cannot start an agent thread");
    }
    return JSV_UNDEFINED;
}

static jsv agent_broadcast(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jscl_cluster *cl = cluster_or_throw(t);
    if (!cl)
        return JSV_EXCEPTION;
    js_array_buffer *b = jsab_get(JS_ARG(0));
    if (!b || !b->shared || !b->store)
        return jsvm_throw_type_error(t, "broadcast needs a SharedArrayBuffer");
    double num = 0;
    if (!jsv_is_undefined(JS_ARG(1)) && jsop_to_number(t, JS_ARG(1), &num) < 0)
        return JSV_EXCEPTION;
    jsag_broadcast_begin(cl, b->store, b->resizable, num);
    while (jsag_broadcast_wait(cl, jscl_now_ns() + 100000000u) > 0) {
        if (jsvm_poll_interrupt(t) < 0)
            return JSV_EXCEPTION;
    }
    return JSV_UNDEFINED;
}

static jsv agent_get_report(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jscl_cluster *cl = cluster_or_throw(t);
    if (!cl)
        return JSV_EXCEPTION;
    size_t n;
    char *r = jscl_report_pop(cl, &n);
    if (!r)
        return JSV_NULL;
    js_string *s = jsstr_new_utf8(t, r, n);
    free(r);
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

int jsbi_install_agent262(js_thread *t, js_object *dollar262)
{
    js_object *ag = jsobj_new(t, jsrt_intrinsic(t, JS_INTR_ObjectPrototype), JS_CLASS_OBJECT);
    if (!ag || jsobj_define_fn(t, ag, "start", agent_start, 1, 0) < 0 ||
        jsobj_define_fn(t, ag, "broadcast", agent_broadcast, 2, 0) < 0 ||
        jsobj_define_fn(t, ag, "getReport", agent_get_report, 0, 0) < 0 ||
        jsobj_define_fn(t, ag, "sleep", agent_sleep, 1, 0) < 0 ||
        jsobj_define_fn(t, ag, "monotonicNow", agent_monotonic_now, 0, 0) < 0)
        return -1;
    return jsbi_define_value_cstr(t, dollar262, "agent", jsv_object(ag), JS_PROP_C_W);
}
