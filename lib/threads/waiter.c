/*
 * waiter.c - Atomics.wait, Atomics.waitAsync and Atomics.notify on the
 * cluster's waiter lists (DoWait, RemoveWaiters/NotifyWaiter of ECMA-262
 * 25.4), and the settling of async waiters on their agent's own thread.
 * Touches the typed-array layout only through builtins/binary.h; owns no
 * object of its own besides the waitAsync result objects it returns.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "agent.h"
#include "../builtins/binary.h"
#include "../builtins/promise.h"
#include "../core/bigint.h"

/* A parked thread wakes at least this often to poll its interrupt word, so
 * that a watchdog or teardown is never ignored longer than this. */
#define POLL_SLICE_NS ((uint64_t)100 * 1000000u)

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

static jscl_cluster *cluster_of(js_thread *t)
{
    jsag_agent *a = t->agent;
    return a ? a->cl : NULL;
}

/* ValidateIntegerTypedArray(ta, waitable = true) */
static js_typed_array *validate_waitable(js_thread *t, jsv v)
{
    js_typed_array *ta = jsta_validate(t, v, NULL);
    if (!ta)
        return NULL;
    if (ta->kind != JSTA_INT32 && ta->kind != JSTA_BIGINT64) {
        jsvm_throw_type_error(t, "Atomics operation requires an Int32Array or BigInt64Array");
        return NULL;
    }
    return ta;
}

/* ValidateAtomicAccess: the byte index in the buffer, -1 on exception. */
static int64_t validate_access(js_thread *t, js_typed_array *ta, jsv index)
{
    uint64_t i;
    int64_t len = jsta_length(ta);
    if (jsop_to_index(t, index, &i) < 0)
        return -1;
    if (len < 0 || i >= (uint64_t)len) {
        jsvm_throw_range_error(t, "Atomics access index out of range");
        return -1;
    }
    return (int64_t)(ta->byte_offset + i * jsta_elem_size[ta->kind]);
}

static jsv atom_str(js_thread *t, const char *s)
{
    js_string *str = jsstr_new_cstr(t, s);
    return str ? jsv_string(str) : jsvm_throw_out_of_memory(t);
}

/* { async, value } of waitAsync */
static jsv async_result(js_thread *t, int is_async, jsv value)
{
    if (value == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    js_object *o = jsobj_new(t, jsrt_intrinsic(t, JS_INTR_ObjectPrototype), JS_CLASS_OBJECT);
    if (!o || jsbi_define_value_cstr(t, o, "async", jsv_from_bool(is_async), JS_PROP_C_W_E) < 0 ||
        jsbi_define_value_cstr(t, o, "value", value, JS_PROP_C_W_E) < 0)
        return o ? jsvm_throw_out_of_memory(t) : JSV_EXCEPTION;
    return jsv_object(o);
}

/* Parks without a cluster: nobody can notify, so only the timeout ends it. */
static jsv wait_alone(js_thread *t, uint64_t deadline)
{
    for (;;) {
        uint64_t now = jscl_now_ns();
        if (now >= deadline)
            return atom_str(t, "timed-out");
        uint64_t until = min_u64(deadline, now + POLL_SLICE_NS) - now;
        struct timespec ts = { (time_t)(until / 1000000000u), (long)(until % 1000000000u) };
        nanosleep(&ts, NULL);
        if (jsvm_poll_interrupt(t) < 0)
            return JSV_EXCEPTION;
    }
}

static jsv wait_sync(js_thread *t, jscl_cluster *cl, js_typed_array *ta, size_t bi, uint64_t v, uint64_t deadline)
{
    int size = jsta_elem_size[ta->kind];
    uint8_t *p = jsab_data(ta->buffer) + bi;
    jscl_waiter w;
    pthread_cond_t cond;

    memset(&w, 0, sizeof w);
    if (jscl_cond_init(&cond) != 0)
        return jsvm_throw_out_of_memory(t);
    w.store = ta->buffer->store;
    w.byte_index = bi;
    w.wake = &cond;
    pthread_mutex_lock(&cl->lock);
    if (jssab_atomic_load(p, size) != v) {
        pthread_mutex_unlock(&cl->lock);
        pthread_cond_destroy(&cond);
        return atom_str(t, "not-equal");
    }
    jscl_add_waiter(cl, &w);
    for (;;) {
        if (w.state == JSCL_NOTIFIED)
            break;
        uint64_t now = jscl_now_ns();
        if (now >= deadline || cl->stop) {
            jscl_remove_waiter(cl, &w);
            w.state = JSCL_TIMED_OUT;
            if (cl->stop)
                atomic_fetch_or(&t->interrupt, JS_INTERRUPT_TERMINATE);
            break;
        }
        jscl_cond_wait_until(&cond, &cl->lock, min_u64(deadline, now + POLL_SLICE_NS));
        if (w.state != JSCL_NOTIFIED && atomic_load(&t->interrupt)) {
            /* the handler may run arbitrary host code: not under the lock */
            pthread_mutex_unlock(&cl->lock);
            int r = jsvm_poll_interrupt(t);
            pthread_mutex_lock(&cl->lock);
            if (r < 0) {
                if (w.state == JSCL_WAITING)
                    jscl_remove_waiter(cl, &w);
                pthread_mutex_unlock(&cl->lock);
                pthread_cond_destroy(&cond);
                return JSV_EXCEPTION;
            }
        }
    }
    pthread_mutex_unlock(&cl->lock);
    pthread_cond_destroy(&cond);
    if (atomic_load(&t->interrupt) & JS_INTERRUPT_TERMINATE) {
        if (jsvm_poll_interrupt(t) < 0)
            return JSV_EXCEPTION;
    }
    return atom_str(t, w.state == JSCL_NOTIFIED ? "ok" : "timed-out");
}

static jsv wait_async(js_thread *t, jscl_cluster *cl, js_typed_array *ta, size_t bi, uint64_t v, double timeout)
{
    int size = jsta_elem_size[ta->kind];
    uint8_t *p = jsab_data(ta->buffer) + bi;
    jsag_agent *a = t->agent;

    jsv promise = jsbi_promise_new(t);
    if (promise == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    jsv result = async_result(t, 1, promise);
    if (result == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    if (!cl) {
        /* no cluster: the value check and the zero timeout still answer */
        if (jssab_atomic_load(p, size) != v)
            return async_result(t, 0, atom_str(t, "not-equal"));
        if (timeout == 0)
            return async_result(t, 0, atom_str(t, "timed-out"));
        return jsvm_throw_type_error(t, "Atomics.waitAsync needs an agent cluster in this host");
    }
    jscl_waiter *w = calloc(1, sizeof *w);
    if (!w)
        return jsvm_throw_out_of_memory(t);
    w->promise = promise;
    if (jsgc_add_root(t->rt, &w->promise) < 0) {
        free(w);
        return jsvm_throw_out_of_memory(t);
    }
    w->store = ta->buffer->store;
    w->byte_index = bi;
    w->is_async = 1;
    w->wake = &a->wake;
    w->owner = a;
    w->deadline = jscl_deadline_ms(timeout);
    w->held = ta->buffer->store;
    jssab_retain(w->held);

    pthread_mutex_lock(&cl->lock);
    const char *now_result = NULL;
    if (jssab_atomic_load(p, size) != v)
        now_result = "not-equal";
    else if (timeout == 0)
        now_result = "timed-out";
    if (!now_result) {
        jscl_add_waiter(cl, w);
        jscl_waiter **pp = &a->async_head;
        while (*pp)
            pp = &(*pp)->owner_next;
        *pp = w;
    }
    pthread_mutex_unlock(&cl->lock);
    if (now_result) {
        jsgc_remove_root(t->rt, &w->promise);
        jssab_release(w->held);
        free(w);
        return async_result(t, 0, atom_str(t, now_result));
    }
    return result;
}

jsv jsw_atomics_wait(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_typed_array *ta = validate_waitable(t, JS_ARG(0));
    int64_t bi;
    uint64_t v;
    double q;

    if (!ta)
        return JSV_EXCEPTION;
    if (!ta->buffer->shared)
        return jsvm_throw_type_error(t, "Atomics.%s requires a shared typed array", magic ? "waitAsync" : "wait");
    if ((bi = validate_access(t, ta, JS_ARG(1))) < 0)
        return JSV_EXCEPTION;
    if (ta->kind == JSTA_BIGINT64) {
        jsv b = jsbi_to_bigint(t, JS_ARG(2));
        if (b == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        v = jsbig_to_uint64(JSV_BIG(b));
    } else {
        int32_t x;
        if (jsop_to_int32(t, JS_ARG(2), &x) < 0)
            return JSV_EXCEPTION;
        v = (uint32_t)x;
    }
    if (jsop_to_number(t, JS_ARG(3), &q) < 0)
        return JSV_EXCEPTION;
    q = q != q ? INFINITY : q < 0 ? 0 : q;
    if (!magic && !t->can_block)
        return jsvm_throw_type_error(t, "Atomics.wait cannot be called in this context");
    if (magic)
        return wait_async(t, cluster_of(t), ta, (size_t)bi, v, q);
    jscl_cluster *cl = cluster_of(t);
    uint64_t deadline = jscl_deadline_ms(q);
    if (!cl) {
        int size = jsta_elem_size[ta->kind];
        if (jssab_atomic_load(jsab_data(ta->buffer) + bi, size) != v)
            return atom_str(t, "not-equal");
        return wait_alone(t, deadline);
    }
    return wait_sync(t, cl, ta, (size_t)bi, v, deadline);
}

jsv jsw_atomics_notify(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_typed_array *ta = validate_waitable(t, JS_ARG(0));
    int64_t bi;
    double c = INFINITY;

    if (!ta || (bi = validate_access(t, ta, JS_ARG(1))) < 0)
        return JSV_EXCEPTION;
    if (!jsv_is_undefined(JS_ARG(2))) {
        if (jsop_to_integer_or_infinity(t, JS_ARG(2), &c) < 0)
            return JSV_EXCEPTION;
        if (c < 0)
            c = 0;
    }
    jscl_cluster *cl = cluster_of(t);
    if (!ta->buffer->shared || !cl || !ta->buffer->store)
        return jsv_from_int(0);
    uint64_t count = c >= 1.8e19 ? UINT64_MAX : (uint64_t)c;
    uint64_t n = jscl_notify(cl, ta->buffer->store, (size_t)bi, count);
    return jsv_number((double)n);
}

/* ---- async waiters on their owner's thread ---- */

int jsw_pending(js_thread *t)
{
    jsag_agent *a = t->agent;
    if (!a)
        return 0;
    pthread_mutex_lock(&a->cl->lock);
    int n = 0;
    for (jscl_waiter *w = a->async_head; w; w = w->owner_next)
        n++;
    pthread_mutex_unlock(&a->cl->lock);
    return n;
}

static uint64_t next_deadline_locked(jsag_agent *a)
{
    uint64_t d = JSCL_FOREVER;
    for (jscl_waiter *w = a->async_head; w; w = w->owner_next)
        if (w->state != JSCL_WAITING)
            return 0;
        else if (w->deadline < d)
            d = w->deadline;
    return d;
}

uint64_t jsw_next_deadline(js_thread *t)
{
    jsag_agent *a = t->agent;
    if (!a)
        return JSCL_FOREVER;
    pthread_mutex_lock(&a->cl->lock);
    uint64_t d = next_deadline_locked(a);
    pthread_mutex_unlock(&a->cl->lock);
    return d;
}

/* Unlinks the waiters that are due (notified, or past their deadline) into
 * a list in their original order. Caller holds the lock. */
static jscl_waiter *take_due_locked(jscl_cluster *cl, jsag_agent *a)
{
    jscl_waiter *due = NULL, **tail = &due, **pp = &a->async_head;
    uint64_t now = jscl_now_ns();
    while (*pp) {
        jscl_waiter *w = *pp;
        if (w->state == JSCL_WAITING && now >= w->deadline) {
            jscl_remove_waiter(cl, w);
            w->state = JSCL_TIMED_OUT;
        }
        if (w->state == JSCL_WAITING) {
            pp = &w->owner_next;
            continue;
        }
        *pp = w->owner_next;
        w->owner_next = NULL;
        *tail = w;
        tail = &w->owner_next;
    }
    return due;
}

static void free_async(js_thread *t, jscl_waiter *w)
{
    jsgc_remove_root(t->rt, &w->promise);
    jssab_release(w->held);
    free(w);
}

int jsw_dispatch(js_thread *t, uint64_t park_until)
{
    int block = park_until != 0;
    jsag_agent *a = t->agent;
    if (!a)
        return 0;
    jscl_cluster *cl = a->cl;
    pthread_mutex_lock(&cl->lock);
    jscl_waiter *due = take_due_locked(cl, a);
    if (!due && block && a->async_head && !cl->stop) {
        uint64_t now = jscl_now_ns();
        uint64_t until = min_u64(next_deadline_locked(a), now + POLL_SLICE_NS);
        jscl_cond_wait_until(&a->wake, &cl->lock, min_u64(until, park_until));
        due = take_due_locked(cl, a);
    }
    int stop = cl->stop;
    pthread_mutex_unlock(&cl->lock);
    int n = 0, failed = 0;
    while (due) {
        jscl_waiter *w = due;
        due = w->owner_next;
        if (!failed) {
            jsv s = atom_str(t, w->state == JSCL_NOTIFIED ? "ok" : "timed-out");
            if (s == JSV_EXCEPTION || jsbi_promise_fulfill_or_resolve(t, w->promise, s) < 0)
                failed = 1;
        }
        free_async(t, w);
        n++;
    }
    if (failed)
        return -1;
    if (stop)
        atomic_fetch_or(&t->interrupt, JS_INTERRUPT_TERMINATE);
    if (block && !n && jsvm_poll_interrupt(t) < 0)
        return -1;
    return n;
}

int jsw_run_loop(js_thread *t)
{
    for (;;) {
        if (jsrt_run_jobs(t) < 0)
            return -1;
        if (!jsw_pending(t))
            return 0;
        if (jsw_dispatch(t, JSCL_FOREVER) < 0)
            return -1;
    }
}

void jsw_cancel_async(js_thread *t)
{
    jsag_agent *a = t->agent;
    if (!a)
        return;
    pthread_mutex_lock(&a->cl->lock);
    jscl_waiter *list = a->async_head;
    a->async_head = NULL;
    for (jscl_waiter *w = list; w; w = w->owner_next)
        if (w->state == JSCL_WAITING)
            jscl_remove_waiter(a->cl, w);
    pthread_mutex_unlock(&a->cl->lock);
    while (list) {
        jscl_waiter *w = list;
        list = w->owner_next;
        free_async(t, w);
    }
}
