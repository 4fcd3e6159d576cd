/*
 * loop.c - the per-thread event loop (loop.h and the jse_loop_* API): timers,
 * queueMicrotask, the inbox other threads post to, keep-alive refs, and the
 * one place a thread parks for all of them (its agent's `wake` condvar, so a
 * single wait covers the inbox, waitAsync waiters and the next timer).
 * Must not touch another thread's runtime: only the inbox and the wake-up
 * hook are shared, under the cluster lock; messages run on their receiver.
 */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jsengine.h>
#include "loop.h"
#include "../api/internal.h"
#include "../vm/vm.h"

/* A parked loop wakes at least this often to poll its interrupt word, so that
 * jse_runtime_terminate or a watchdog is never ignored for longer. */
#define LOOP_POLL_SLICE_NS ((uint64_t)100 * 1000000u)
/* HTML timer initialization steps: past this nesting level of timers set from
 * timer callbacks, a timeout is at least LOOP_TIMER_MIN_NS, so that a chain
 * of zero-delay timers cannot spin the processor. */
#define LOOP_NESTING_CLAMP 5
#define LOOP_TIMER_MIN_NS ((uint64_t)4 * 1000000u)
/* How long jsloop_shutdown waits for the workers of a private cluster. */
#define LOOP_TEARDOWN_MS 2000

#define SLOT_RUNNING SIZE_MAX

/* One scheduled setTimeout/setInterval. Owned by the thread's loop_state;
 * its values are traced through the state's anchor cell while it is in the
 * id table (scheduled or running). */
typedef struct loop_timer {
    struct loop_timer *hnext;           /* id table chain */
    int32_t id;
    int repeat;                         /* setInterval */
    int cancelled;                      /* cleared while its callback runs */
    int nesting;                        /* HTML timer nesting level */
    uint64_t seq;                       /* creation order: ties on due */
    uint64_t due;                       /* jscl_now_ns() time */
    uint64_t interval;                  /* ns between runs of an interval */
    size_t slot;                        /* index in the due heap, SLOT_RUNNING */
    int nvals;
    jsv vals[];                         /* callback, realm cell, extra arguments */
} loop_timer;

/* The loop state of one js_thread (t->loop). Touched by its thread only. */
typedef struct loop_state {
    loop_timer **heap;                  /* min-heap on (due, seq) */
    size_t nheap, capheap;
    loop_timer **buckets;               /* id -> timer, chained; power of two */
    size_t nbuckets, ntimers;
    int32_t next_id;
    uint64_t next_seq;
    int nesting;                        /* of the timer callback now running */
    long refs;                          /* jsloop_ref keep-alive count */
    jscl_cluster *own_cluster;          /* made by jsloop_agent: ours to tear down */
    jsv anchor;                         /* GC root: the loop_cell tracing the timers */
    int anchored;
} loop_state;

typedef struct loop_cell {
    js_internal base;
    loop_state *ls;                     /* NULL once the state is gone */
} loop_cell;

static uint64_t min_u64(uint64_t a, uint64_t b) { return a < b ? a : b; }

/* ---- state ---- */

static void loop_cell_trace(js_gc_tracer *trc, void *cell)
{
    loop_state *ls = ((loop_cell *)cell)->ls;
    if (!ls)
        return;
    for (size_t i = 0; i < ls->nbuckets; i++)
        for (loop_timer *tm = ls->buckets[i]; tm; tm = tm->hnext)
            jsgc_mark_values(trc, tm->vals, (size_t)tm->nvals);
}

static const js_internal_ops loop_cell_ops = { "EventLoop", loop_cell_trace, NULL };

/* t's loop state, created on first use; NULL on OOM (nothing thrown). */
static loop_state *state_of(js_thread *t)
{
    if (!t->loop) {
        loop_state *ls = calloc(1, sizeof *ls);
        if (!ls)
            return NULL;
        ls->next_id = 1;
        ls->anchor = JSV_UNDEFINED;
        t->loop = ls;
    }
    return t->loop;
}

/* Roots the timer table (once per state). -1 with an exception on OOM. */
static int anchor(js_thread *t, loop_state *ls)
{
    if (ls->anchored)
        return 0;
    loop_cell *c = jsgc_alloc(t, sizeof *c, JS_CELL_INTERNAL);
    if (!c)
        return -1;
    c->base.ops = &loop_cell_ops;
    c->ls = ls;
    ls->anchor = jsv_cell(c);
    if (jsgc_add_root(t->rt, &ls->anchor) < 0) {
        c->ls = NULL;
        ls->anchor = JSV_UNDEFINED;
        jsvm_throw_out_of_memory(t);
        return -1;
    }
    ls->anchored = 1;
    return 0;
}

jsag_agent *jsloop_agent(js_thread *t)
{
    if (t->agent)
        return t->agent;
    loop_state *ls = state_of(t);
    if (!ls)
        return NULL;
    jscl_cluster *cl = jscl_new();
    if (!cl)
        return NULL;
    if (!jsag_attach(cl, t)) {
        jscl_free(cl);
        return NULL;
    }
    ls->own_cluster = cl;
    return t->agent;
}

/* ---- the due heap and the id table ---- */

static int timer_before(const loop_timer *a, const loop_timer *b)
{
    return a->due < b->due || (a->due == b->due && a->seq < b->seq);
}

static void heap_set(loop_state *ls, size_t i, loop_timer *tm)
{
    ls->heap[i] = tm;
    tm->slot = i;
}

static void heap_up(loop_state *ls, size_t i)
{
    loop_timer *tm = ls->heap[i];
    while (i > 0) {
        size_t p = (i - 1) / 2;
        if (!timer_before(tm, ls->heap[p]))
            break;
        heap_set(ls, i, ls->heap[p]);
        i = p;
    }
    heap_set(ls, i, tm);
}

static void heap_down(loop_state *ls, size_t i)
{
    loop_timer *tm = ls->heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= ls->nheap)
            break;
        if (c + 1 < ls->nheap && timer_before(ls->heap[c + 1], ls->heap[c]))
            c++;
        if (!timer_before(ls->heap[c], tm))
            break;
        heap_set(ls, i, ls->heap[c]);
        i = c;
    }
    heap_set(ls, i, tm);
}

static int heap_push(loop_state *ls, loop_timer *tm)
{
    if (ls->nheap == ls->capheap) {
        size_t nc = ls->capheap ? ls->capheap * 2 : 16;
        loop_timer **h = realloc(ls->heap, nc * sizeof *h);
        if (!h)
            return -1;
        ls->heap = h;
        ls->capheap = nc;
    }
    ls->heap[ls->nheap++] = tm;
    heap_up(ls, ls->nheap - 1);
    return 0;
}

static void heap_remove(loop_state *ls, loop_timer *tm)
{
    size_t i = tm->slot;
    tm->slot = SLOT_RUNNING;
    loop_timer *last = ls->heap[--ls->nheap];
    if (i == ls->nheap)
        return;
    heap_set(ls, i, last);
    heap_up(ls, i);
    heap_down(ls, last->slot);
}

static loop_timer **table_find(loop_state *ls, int32_t id)
{
    if (!ls->nbuckets)
        return NULL;
    loop_timer **pp = &ls->buckets[(uint32_t)id & (ls->nbuckets - 1)];
    while (*pp && (*pp)->id != id)
        pp = &(*pp)->hnext;
    return *pp ? pp : NULL;
}

static int table_add(loop_state *ls, loop_timer *tm)
{
    if (ls->ntimers >= ls->nbuckets * 2) {
        size_t nb = ls->nbuckets ? ls->nbuckets * 2 : 16;
        loop_timer **b = calloc(nb, sizeof *b);
        if (!b)
            return -1;
        for (size_t i = 0; i < ls->nbuckets; i++) {
            for (loop_timer *x = ls->buckets[i], *next; x; x = next) {
                next = x->hnext;
                x->hnext = b[(uint32_t)x->id & (nb - 1)];
                b[(uint32_t)x->id & (nb - 1)] = x;
            }
        }
        free(ls->buckets);
        ls->buckets = b;
        ls->nbuckets = nb;
    }
    loop_timer **head = &ls->buckets[(uint32_t)tm->id & (ls->nbuckets - 1)];
    tm->hnext = *head;
    *head = tm;
    ls->ntimers++;
    return 0;
}

/* Unlinks tm from the id table and frees it: its values are no longer roots. */
static void timer_free(loop_state *ls, loop_timer *tm)
{
    loop_timer **pp = table_find(ls, tm->id);
    if (pp) {
        *pp = tm->hnext;
        ls->ntimers--;
    }
    free(tm);
}

/* The next unused positive id; ids wrap after INT32_MAX (WebIDL long). */
static int32_t next_id(loop_state *ls)
{
    for (;;) {
        int32_t id = ls->next_id;
        ls->next_id = id == INT32_MAX ? 1 : id + 1;
        if (!table_find(ls, id))
            return id;
    }
}

/* ---- the JS functions ---- */

/* HTML timer initialization steps: delay is WebIDL `long` (ToInt32, negative
 * means 0), clamped to 4 ms past nesting level 5. */
static uint64_t timer_delay_ns(int32_t ms, int nesting)
{
    uint64_t ns = ms > 0 ? (uint64_t)ms * 1000000u : 0;
    if (nesting > LOOP_NESTING_CLAMP && ns < LOOP_TIMER_MIN_NS)
        ns = LOOP_TIMER_MIN_NS;
    return ns;
}

static jse_value set_timer(jse_context *ctx, int argc, jse_value *argv, int repeat)
{
    js_thread *t = jseapi_thread(ctx);
    jsv fn = argc > 0 ? argv[0] : JSV_UNDEFINED;
    int32_t ms = 0;

    if (!jsop_is_callable(fn))
        return jsvm_throw_type_error(t, "%s: the callback is not a function",
                                     repeat ? "setInterval" : "setTimeout");
    if (argc > 1 && jsop_to_int32(t, argv[1], &ms) < 0)
        return JSV_EXCEPTION;
    loop_state *ls = state_of(t);
    if (!ls || anchor(t, ls) < 0)
        return ls ? JSV_EXCEPTION : jsvm_throw_out_of_memory(t);
    int nargs = argc > 2 ? argc - 2 : 0;
    loop_timer *tm = calloc(1, sizeof *tm + (size_t)(nargs + 2) * sizeof(jsv));
    if (!tm)
        return jsvm_throw_out_of_memory(t);
    tm->id = next_id(ls);
    tm->repeat = repeat;
    tm->nesting = ls->nesting + 1;
    tm->interval = timer_delay_ns(ms, tm->nesting);
    tm->due = jscl_now_ns() + tm->interval;
    tm->seq = ls->next_seq++;
    tm->nvals = nargs + 2;
    tm->vals[0] = fn;
    tm->vals[1] = jsv_cell(t->realm);
    for (int i = 0; i < nargs; i++)
        tm->vals[2 + i] = argv[2 + i];
    if (table_add(ls, tm) < 0) {
        free(tm);
        return jsvm_throw_out_of_memory(t);
    }
    if (heap_push(ls, tm) < 0) {
        timer_free(ls, tm);
        return jsvm_throw_out_of_memory(t);
    }
    return jsv_from_int(tm->id);
}

static jse_value js_set_timeout(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    return set_timer(ctx, argc, argv, 0);
}

static jse_value js_set_interval(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    return set_timer(ctx, argc, argv, 1);
}

/* clearTimeout and clearInterval share one id space (HTML): an unknown id,
 * or one whose timer already ran, is a no-op. */
static jse_value js_clear_timer(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    js_thread *t = jseapi_thread(ctx);
    int32_t id = 0;
    if (argc > 0 && jsop_to_int32(t, argv[0], &id) < 0)
        return JSV_EXCEPTION;
    loop_state *ls = t->loop;
    loop_timer **pp = ls && id > 0 ? table_find(ls, id) : NULL;
    if (!pp)
        return JSV_UNDEFINED;
    loop_timer *tm = *pp;
    if (tm->slot == SLOT_RUNNING) {
        tm->cancelled = 1;              /* freed once its callback returns */
    } else {
        heap_remove(ls, tm);
        timer_free(ls, tm);
    }
    return JSV_UNDEFINED;
}

static jsv microtask_job(js_thread *t, int argc, jsv *argv)
{
    jsv r = jsvm_call(t, argv[0], JSV_UNDEFINED, 0, NULL);
    return r == JSV_EXCEPTION ? r : JSV_UNDEFINED;
}

static jse_value js_queue_microtask(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    js_thread *t = jseapi_thread(ctx);
    jsv fn = argc > 0 ? argv[0] : JSV_UNDEFINED;
    if (!jsop_is_callable(fn))
        return jsvm_throw_type_error(t, "queueMicrotask: the callback is not a function");
    if (jsrt_enqueue_job(t, microtask_job, 1, &fn) < 0)
        return JSV_EXCEPTION;
    return JSV_UNDEFINED;
}

int jse_install_timers(jse_context *ctx)
{
    static const struct { const char *name; jse_native_fn fn; int length; } fns[] = {
        { "setTimeout", js_set_timeout, 1 },
        { "setInterval", js_set_interval, 1 },
        { "clearTimeout", js_clear_timer, 0 },
        { "clearInterval", js_clear_timer, 0 },
        { "queueMicrotask", js_queue_microtask, 1 },
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (jse_define_global_function(ctx, fns[i].name, fns[i].fn, fns[i].length, NULL) < 0)
            return JSE_EXCEPTION;
    /* An agent record makes Atomics.waitAsync usable and lets workers post. */
    if (!jsloop_agent(jseapi_thread(ctx))) {
        jse_throw_error(ctx, "RangeError", "out of memory");
        return JSE_EXCEPTION;
    }
    return JSE_OK;
}

/* ---- running ---- */

/* Runs the timers due at the start of this turn, in (due, seq) order, with a
 * microtask checkpoint after each. A timer scheduled or rescheduled during
 * the turn waits for the next one, so a zero-delay interval cannot starve
 * the inbox. */
static int run_timers(js_thread *t, int *n)
{
    loop_state *ls = t->loop;
    if (!ls || !ls->nheap)
        return 0;
    uint64_t now = jscl_now_ns(), limit = ls->next_seq;
    while (ls->nheap && ls->heap[0]->due <= now && ls->heap[0]->seq < limit) {
        loop_timer *tm = ls->heap[0];
        heap_remove(ls, tm);
        js_realm *realm = jsv_get_ptr(tm->vals[1]), *saved = t->realm;
        int saved_nesting = ls->nesting;
        t->realm = realm;
        ls->nesting = tm->nesting;
        jsv r = jsvm_call(t, tm->vals[0], realm->global_this, tm->nvals - 2, tm->vals + 2);
        ls->nesting = saved_nesting;
        t->realm = saved;
        (*n)++;
        if (tm->repeat && !tm->cancelled) {
            /* from the previous due time, so an interval does not drift */
            tm->nesting++;
            if (tm->nesting > LOOP_NESTING_CLAMP && tm->interval < LOOP_TIMER_MIN_NS)
                tm->interval = LOOP_TIMER_MIN_NS;
            tm->due += tm->interval;
            tm->seq = ls->next_seq++;
            if (heap_push(ls, tm) < 0) {
                timer_free(ls, tm);
                if (r != JSV_EXCEPTION)
                    jsvm_throw_out_of_memory(t);
                return -1;
            }
        } else {
            timer_free(ls, tm);
        }
        if (r == JSV_EXCEPTION || jsrt_run_jobs(t) < 0)
            return -1;
    }
    return 0;
}

/* Runs the messages queued so far, each followed by its jobs. When one fails,
 * the rest go back to the front of the inbox for the next turn. */
static int run_inbox(js_thread *t, int *n)
{
    jsag_agent *a = t->agent;
    if (!a)
        return 0;
    jscl_cluster *cl = a->cl;
    pthread_mutex_lock(&cl->lock);
    jsloop_msg *m = a->inbox_head;
    a->inbox_head = a->inbox_tail = NULL;
    pthread_mutex_unlock(&cl->lock);
    while (m) {
        jsloop_msg *next = m->next;
        m->next = NULL;
        int r = m->run(t, m);
        (*n)++;
        if (r == 0 && jsrt_run_jobs(t) < 0)
            r = -1;
        if (r < 0) {
            if (next) {
                jsloop_msg *tail = next;
                while (tail->next)
                    tail = tail->next;
                pthread_mutex_lock(&cl->lock);
                int closed = a->inbox_closed;
                if (!closed) {
                    tail->next = a->inbox_head;
                    a->inbox_head = next;
                    if (!a->inbox_tail)
                        a->inbox_tail = tail;
                }
                pthread_mutex_unlock(&cl->lock);
                while (closed && next) {
                    jsloop_msg *d = next;
                    next = d->next;
                    d->drop(d);
                }
            }
            return -1;
        }
        m = next;
    }
    return 0;
}

/* Something can run without waiting. The caller holds the cluster lock. */
static int ready_locked(jsag_agent *a)
{
    if (a->inbox_head)
        return 1;
    for (jscl_waiter *w = a->async_head; w; w = w->owner_next)
        if (w->state != JSCL_WAITING)
            return 1;
    return 0;
}

/* The nearest waitAsync deadline. The caller holds the cluster lock. */
static uint64_t waiter_deadline_locked(jsag_agent *a)
{
    uint64_t d = JSCL_FOREVER;
    for (jscl_waiter *w = a->async_head; w; w = w->owner_next)
        d = min_u64(d, w->deadline);
    return d;
}

static uint64_t next_timer_due(js_thread *t)
{
    loop_state *ls = t->loop;
    return ls && ls->nheap ? ls->heap[0]->due : JSCL_FOREVER;
}

/* When the next thing can run: 0 now, JSCL_FOREVER when nothing is scheduled
 * (an event may still arrive from another thread). */
static uint64_t next_due(js_thread *t)
{
    if (jsrt_has_jobs(t))
        return 0;
    uint64_t d = next_timer_due(t);
    jsag_agent *a = t->agent;
    if (a) {
        pthread_mutex_lock(&a->cl->lock);
        d = ready_locked(a) ? 0 : min_u64(d, waiter_deadline_locked(a));
        pthread_mutex_unlock(&a->cl->lock);
    }
    return d;
}

/* Parks until something can run or `until` passes, polling the interrupt
 * word every slice. -1 with an exception pending when terminated. */
static int park(js_thread *t, uint64_t until)
{
    jsag_agent *a = jsloop_agent(t);
    if (!a) {
        jsvm_throw_out_of_memory(t);
        return -1;
    }
    jscl_cluster *cl = a->cl;
    uint64_t deadline = min_u64(until, next_timer_due(t));
    pthread_mutex_lock(&cl->lock);
    for (;;) {
        if (ready_locked(a) || cl->stop)
            break;
        uint64_t now = jscl_now_ns(), d = min_u64(deadline, waiter_deadline_locked(a));
        if (now >= d)
            break;
        jscl_cond_wait_until(&a->wake, &cl->lock, min_u64(d, now + LOOP_POLL_SLICE_NS));
        if (atomic_load(&t->interrupt)) {
            /* the handler may run arbitrary host code: not under the lock */
            pthread_mutex_unlock(&cl->lock);
            int r = jsvm_poll_interrupt(t);
            pthread_mutex_lock(&cl->lock);
            if (r < 0) {
                pthread_mutex_unlock(&cl->lock);
                return -1;
            }
        }
    }
    int stop = cl->stop;
    pthread_mutex_unlock(&cl->lock);
    if (stop) {
        /* the cluster is being torn down: this agent must unwind */
        atomic_fetch_or(&t->interrupt, JS_INTERRUPT_TERMINATE);
        return jsvm_poll_interrupt(t);
    }
    return 0;
}

int jsloop_run_once(js_thread *t, double timeout_ms)
{
    int n = 0;
    if (timeout_ms != 0 && next_due(t) != 0) {
        if (timeout_ms < 0 && !jsloop_pending(t))
            return 0;
        if (park(t, timeout_ms < 0 ? JSCL_FOREVER : jscl_deadline_ms(timeout_ms)) < 0)
            return -1;
    }
    /* jobs left by the script (or an embedder's call) come before any task */
    if (jsrt_run_jobs(t) < 0 || run_timers(t, &n) < 0 || run_inbox(t, &n) < 0)
        return -1;
    int settled = jsw_dispatch(t, 0);
    if (settled < 0)
        return -1;
    n += settled;
    if (jsrt_run_jobs(t) < 0)
        return -1;
    return n;
}

int jsloop_run(js_thread *t)
{
    while (jsloop_pending(t)) {
        if (jsloop_run_once(t, -1) < 0)
            return -1;
        /* a turn that only waited still polls: a busy loop of due timers too */
        if (atomic_load(&t->interrupt) && jsvm_poll_interrupt(t) < 0)
            return -1;
    }
    return 0;
}

int jsloop_pending(js_thread *t)
{
    if (jsrt_has_jobs(t))
        return 1;
    loop_state *ls = t->loop;
    if (ls && (ls->nheap || ls->refs > 0))
        return 1;
    jsag_agent *a = t->agent;
    if (!a)
        return 0;
    pthread_mutex_lock(&a->cl->lock);
    int p = a->inbox_head || a->async_head;
    pthread_mutex_unlock(&a->cl->lock);
    return p;
}

double jsloop_next_timeout(js_thread *t)
{
    uint64_t d = next_due(t);
    if (d == JSCL_FOREVER)
        return -1;
    uint64_t now = jscl_now_ns();
    return d <= now ? 0 : (double)(d - now) / 1e6;
}

void jsloop_set_wakeup(js_thread *t, void (*fn)(void *opaque), void *opaque)
{
    jsag_agent *a = fn ? jsloop_agent(t) : t->agent;
    if (!a)
        return;
    pthread_mutex_lock(&a->cl->lock);
    a->wakeup = fn;
    a->wakeup_opaque = opaque;
    pthread_mutex_unlock(&a->cl->lock);
}

/* ---- other threads ---- */

int jsloop_post(jsag_agent *a, jsloop_msg *m)
{
    jscl_cluster *cl = a->cl;
    m->next = NULL;
    pthread_mutex_lock(&cl->lock);
    if (a->inbox_closed || a->state == JSAG_DONE || cl->stop) {
        pthread_mutex_unlock(&cl->lock);
        m->drop(m);
        return -1;
    }
    if (a->inbox_tail)
        a->inbox_tail->next = m;
    else
        a->inbox_head = m;
    a->inbox_tail = m;
    pthread_cond_broadcast(&a->wake);
    if (a->wakeup)
        a->wakeup(a->wakeup_opaque);
    pthread_mutex_unlock(&cl->lock);
    return 0;
}

void jsloop_ref(js_thread *t)
{
    loop_state *ls = state_of(t);
    /* without memory for the state the loop simply ends sooner */
    if (ls)
        ls->refs++;
}

void jsloop_unref(js_thread *t)
{
    loop_state *ls = t->loop;
    if (ls && ls->refs > 0)
        ls->refs--;
}

/* ---- teardown ---- */

void jsloop_forget_realm(js_thread *t, js_realm *realm)
{
    loop_state *ls = t->loop;
    if (!ls)
        return;
    jsv cell = jsv_cell(realm);
    for (size_t i = 0; i < ls->nbuckets; i++) {
        for (loop_timer *tm = ls->buckets[i], *next; tm; tm = next) {
            next = tm->hnext;
            if (tm->vals[1] != cell)
                continue;
            if (tm->slot == SLOT_RUNNING) {
                tm->cancelled = 1;
            } else {
                heap_remove(ls, tm);
                timer_free(ls, tm);
            }
        }
    }
}

void jsloop_shutdown(js_thread *t)
{
    loop_state *ls = t->loop;
    jscl_cluster *own = ls ? ls->own_cluster : NULL;
    int wedged = 0;

    /* workers started from this thread first: they may still post to it */
    if (own)
        wedged = jsag_teardown(own, LOOP_TEARDOWN_MS) < 0;
    jsag_agent *a = t->agent;
    if (a) {
        pthread_mutex_lock(&a->cl->lock);
        jsloop_msg *m = a->inbox_head;
        a->inbox_head = a->inbox_tail = NULL;
        a->inbox_closed = 1;
        a->wakeup = NULL;
        a->wakeup_opaque = NULL;
        pthread_mutex_unlock(&a->cl->lock);
        while (m) {
            jsloop_msg *next = m->next;
            m->drop(m);
            m = next;
        }
    }
    if (!ls)
        return;
    for (size_t i = 0; i < ls->nbuckets; i++) {
        for (loop_timer *tm = ls->buckets[i], *next; tm; tm = next) {
            next = tm->hnext;
            free(tm);
        }
    }
    free(ls->buckets);
    free(ls->heap);
    if (ls->anchored) {
        ((loop_cell *)jsv_get_ptr(ls->anchor))->ls = NULL;
        jsgc_remove_root(t->rt, &ls->anchor);
    }
    t->loop = NULL;
    free(ls);
    if (own) {
        jsag_detach(t);
        /* a wedged worker still uses the cluster: it must be leaked */
        if (!wedged)
            jscl_free(own);
    }
}
