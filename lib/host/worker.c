/*
 * worker.c - workers: the jse_worker_* API, the worker thread's main (its own
 * runtime and context, self/postMessage/onmessage/close), and the JS Worker
 * constructor (jse_install_worker_global). Messages travel as structured
 * clones (threads/clone.c) through the receiver's inbox (loop.c).
 * Must not touch another thread's runtime: only clone buffers, the record
 * below and the agent's interrupt word cross threads. Memory and teardown
 * order are described in doc/threads/agents.md ("Workers").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jsengine.h>
#include "loop.h"
#include "worker.h"
#include "../api/internal.h"
#include "../builtins/builtins.h"
#include "../builtins/promise.h"
#include "../threads/clone.h"
#include "../vm/function.h"

/* A worker's shared record. Three kinds of owner hold a reference (`refs`):
 * the parent's handle (until jse_worker_free), the worker thread (until its
 * main returns) and each message travelling to the parent (until it ran or
 * was dropped). Thread rules are given per group of fields. */
struct jse_worker {
    _Atomic int refs;
    /* immutable after jse_worker_new */
    jsag_agent *parent_agent;           /* the parent's inbox: outlives us (jswk_shutdown) */
    jse_context *parent_ctx;
    js_thread *parent_t;
    jse_worker_options opts;
    int nested;                         /* give the worker a Worker constructor */
    jse_worker_options nested_defaults;
    char *filename;                     /* malloc-ed; also the module referrer */
    char *src;                          /* malloc-ed; taken by the worker thread */
    size_t len;
    /* under `lock` */
    pthread_mutex_t lock;
    pthread_cond_t done_cond;           /* monotonic clock */
    jsag_agent *a;                      /* the worker's agent; NULL once joined */
    int done, joined, exit_code;
    _Atomic int terminating;            /* jse_worker_terminate was called */
    /* the parent's thread only */
    jse_worker_handlers h;
    jse_worker *next_child;             /* the parent's list of workers not yet exited */
    int listed;                         /* in that list */
    int holds_ref;                      /* holds a reference on the parent's loop */
    int js_owned;                       /* the handle belongs to a JS Worker object */
    int freed;                          /* the handle was released: deliver nothing */
    int orphan;                         /* the parent's runtime is gone */
    jsv obj;                            /* the JS Worker object (a GC root), or undefined */
    int rooted;
};

/* Per-thread worker state (jsag_agent.host), touched by its thread only. */
typedef struct wk_state {
    jse_worker *self;                   /* inside a worker: its record */
    jse_context *ctx;                   /* inside a worker: its context */
    jse_worker *children;               /* started from this thread, not yet exited */
    jsv onmessage;                      /* self.onmessage (a GC root) */
    int onmessage_ref;                  /* it holds a loop reference */
    int closing;                        /* close() was called */
    int has_global;                     /* jse_install_worker_global ran here */
    jse_worker_options defaults;
    /* Worker objects made here, to tell them from look-alikes: a WeakSet
     * and its original add and has (GC roots) */
    jsv brand[3];
} wk_state;

enum { WK_DATA, WK_ERROR, WK_EXIT };

typedef struct wk_msg {
    jsloop_msg m;
    jse_worker *w;                      /* to the parent: a reference; else NULL */
    int kind;
    int code;
    jsclone_buf buf;
} wk_msg;

/* ---- the record ---- */

static void wk_release(jse_worker *w)
{
    if (atomic_fetch_sub(&w->refs, 1) != 1)
        return;
    pthread_mutex_destroy(&w->lock);
    pthread_cond_destroy(&w->done_cond);
    free(w->filename);
    free(w->src);
    free(w);
}

static wk_state *wk_state_of(js_thread *t)
{
    jsag_agent *a = t->agent;
    return a ? a->host : NULL;
}

/* t's state, created on first use; NULL on OOM. */
static wk_state *wk_state_get(js_thread *t)
{
    jsag_agent *a = jsloop_agent(t);
    if (!a)
        return NULL;
    if (!a->host) {
        wk_state *st = calloc(1, sizeof *st);
        if (!st)
            return NULL;
        st->onmessage = JSV_UNDEFINED;
        for (int i = 0; i < 3; i++)
            st->brand[i] = JSV_UNDEFINED;
        int i = 0;
        if (jsgc_add_root(t->rt, &st->onmessage) < 0) {
            free(st);
            return NULL;
        }
        for (; i < 3; i++)
            if (jsgc_add_root(t->rt, &st->brand[i]) < 0)
                break;
        if (i < 3) {
            while (i-- > 0)
                jsgc_remove_root(t->rt, &st->brand[i]);
            jsgc_remove_root(t->rt, &st->onmessage);
            free(st);
            return NULL;
        }
        a->host = st;
    }
    return a->host;
}

static void wk_unlist(wk_state *st, jse_worker *w)
{
    for (jse_worker **pp = &st->children; *pp; pp = &(*pp)->next_child) {
        if (*pp == w) {
            *pp = w->next_child;
            break;
        }
    }
}

/* The parent stops waiting for w: out of the list, loop reference dropped. */
static void wk_detach_parent(jse_worker *w)
{
    if (w->listed) {
        wk_state *st = wk_state_of(w->parent_t);
        if (st)
            wk_unlist(st, w);
        w->listed = 0;
    }
    if (w->holds_ref) {
        jsloop_unref(w->parent_t);
        w->holds_ref = 0;
    }
}

static void wk_unroot(jse_worker *w)
{
    if (w->rooted) {
        jsgc_remove_root(w->parent_t->rt, &w->obj);
        w->rooted = 0;
    }
    w->obj = JSV_UNDEFINED;
}

/* ---- messages ---- */

static void wk_msg_drop(jsloop_msg *m)
{
    wk_msg *msg = (wk_msg *)m;
    jsclone_buf_free(&msg->buf);
    if (msg->w)
        wk_release(msg->w);
    free(msg);
}

static wk_msg *wk_msg_new(int kind, int (*run)(js_thread *, jsloop_msg *))
{
    wk_msg *msg = calloc(1, sizeof *msg);
    if (!msg)
        return NULL;
    msg->m.run = run;
    msg->m.drop = wk_msg_drop;
    msg->kind = kind;
    jsclone_buf_init(&msg->buf);
    return msg;
}

static jsv wk_event(js_thread *t, jsv data)
{
    js_object *ev = jsobj_new_plain(t);
    if (!ev || jsbi_define_value_cstr(t, ev, "data", data, JS_PROP_C_W_E) < 0)
        return JSV_EXCEPTION;
    return jsv_object(ev);
}

/* Runs on the worker's thread: a message from the parent for onmessage. */
static int wk_child_run(js_thread *t, jsloop_msg *m)
{
    wk_msg *msg = (wk_msg *)m;
    wk_state *st = wk_state_of(t);
    int rc = 0;
    /* after terminate() or close(), queued messages are discarded */
    if (st && st->self && !st->closing && !atomic_load(&st->self->terminating)) {
        js_realm *saved = t->realm;
        t->realm = jseapi_realm(st->ctx);
        jsv v = jsclone_deserialize(t, msg->buf.data, msg->buf.len, msg->buf.stores, msg->buf.nstores);
        if (v == JSV_EXCEPTION) {
            rc = -1;
        } else if (jsop_is_callable(st->onmessage)) {
            jsv ev = wk_event(t, v);
            if (ev == JSV_EXCEPTION ||
                jsvm_call(t, st->onmessage, t->realm->global_this, 1, &ev) == JSV_EXCEPTION)
                rc = -1;
        }
        t->realm = saved;
    }
    jsclone_buf_free(&msg->buf);
    free(msg);
    return rc;
}

/* Runs on the parent's thread: data, an error or the exit of worker w. */
static int wk_parent_run(js_thread *t, jsloop_msg *m)
{
    wk_msg *msg = (wk_msg *)m;
    jse_worker *w = msg->w;
    int rc = 0;
    if (!w->orphan) {
        js_realm *saved = t->realm;
        t->realm = jseapi_realm(w->parent_ctx);
        if (msg->kind == WK_EXIT) {
            wk_detach_parent(w);
            if (!w->freed && w->h.on_exit)
                w->h.on_exit(w->parent_ctx, w, msg->code, w->h.opaque);
            /* a JS Worker's handle ends with its thread */
            if (w->js_owned && !w->freed)
                jse_worker_free(w);
        } else if (!w->freed && !atomic_load(&w->terminating)) {
            jsv v = jsclone_deserialize(t, msg->buf.data, msg->buf.len, msg->buf.stores, msg->buf.nstores);
            if (v == JSV_EXCEPTION)
                rc = -1;
            else if (msg->kind == WK_DATA && w->h.on_message)
                w->h.on_message(w->parent_ctx, w, v, w->h.opaque);
            else if (msg->kind == WK_ERROR && w->h.on_error)
                w->h.on_error(w->parent_ctx, w, v, w->h.opaque);
        }
        if (t->has_exception)
            rc = -1;
        t->realm = saved;
    }
    jsclone_buf_free(&msg->buf);
    wk_release(w);
    free(msg);
    return rc;
}

/* Queues msg (its buffer filled) for w's parent. Any thread. */
static void wk_post_parent(jse_worker *w, wk_msg *msg)
{
    atomic_fetch_add(&w->refs, 1);
    msg->w = w;
    jsloop_post(w->parent_agent, &msg->m);   /* drops it when the parent is gone */
}

/* ---- inside the worker ---- */

/* The transfer argument of both postMessage methods: an array, an options
 * object { transfer }, or nothing (undefined). JSV_EXCEPTION on a bad one. */
static jsv wk_transfer_arg(js_thread *t, jsv transfer)
{
    if (jsv_is_object(transfer)) {
        int is_array = jsobj_is_array(t, transfer);
        if (is_array < 0)
            return JSV_EXCEPTION;
        if (is_array)
            return transfer;
        return jsobj_get(t, JSV_OBJ(transfer), jskey_from_cstr(t, "transfer"), transfer);
    }
    if (!jsv_is_nullish(transfer))
        return jsvm_throw_type_error(t, "postMessage: the transfer list must be an array");
    return JSV_UNDEFINED;
}

static jsv wk_post_message(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    wk_state *st = wk_state_of(t);
    if (!st || !st->self)
        return jsvm_throw_type_error(t, "postMessage: not inside a worker");
    jsv transfer = wk_transfer_arg(t, JS_ARG(1));
    if (transfer == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    wk_msg *msg = wk_msg_new(WK_DATA, wk_parent_run);
    if (!msg)
        return jsvm_throw_out_of_memory(t);
    if (jsclone_serialize(t, JS_ARG(0), transfer, &msg->buf) < 0) {
        free(msg);
        return JSV_EXCEPTION;
    }
    if (st->closing) {
        wk_msg_drop(&msg->m);
        return JSV_UNDEFINED;
    }
    wk_post_parent(st->self, msg);
    return JSV_UNDEFINED;
}

static jsv wk_close(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    wk_state *st = wk_state_of(t);
    if (st && st->self)
        st->closing = 1;
    return JSV_UNDEFINED;
}

static jsv wk_get_onmessage(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    wk_state *st = wk_state_of(t);
    return st && jsop_is_callable(st->onmessage) ? st->onmessage : JSV_NULL;
}

/* A handler keeps the worker's loop alive; clearing it lets the loop end. */
static jsv wk_set_onmessage(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    wk_state *st = wk_state_of(t);
    if (!st)
        return JSV_UNDEFINED;
    jsv f = JS_ARG(0);
    int callable = jsop_is_callable(f);
    st->onmessage = callable ? f : JSV_NULL;
    if (callable && !st->onmessage_ref) {
        jsloop_ref(t);
        st->onmessage_ref = 1;
    } else if (!callable && st->onmessage_ref) {
        jsloop_unref(t);
        st->onmessage_ref = 0;
    }
    return JSV_UNDEFINED;
}

static int wk_install_self(js_thread *t, js_realm *realm)
{
    js_object *g = realm->global;
    js_key k = jskey_from_cstr(t, "onmessage");
    if (k == JSV_EXCEPTION ||
        jsbi_define_value_cstr(t, g, "self", realm->global_this, JS_PROP_C_W_E) < 0 ||
        jsobj_define_fn(t, g, "postMessage", wk_post_message, 1, 0) < 0 ||
        jsobj_define_fn(t, g, "close", wk_close, 0, 0) < 0 ||
        jsobj_define_getset(t, g, k, wk_get_onmessage, wk_set_onmessage, 0) < 0)
        return -1;
    return 0;
}

/* The worker's runtime asks this at every interrupt poll. */
static int wk_interrupt(jse_runtime *rt, void *opaque)
{
    jse_worker *w = opaque;
    return atomic_load(&w->terminating) != 0;
}

/* A top-level-await module that rejects later: rethrow in a job, so the loop
 * sees an uncaught exception. */
static jsv wk_module_settled(js_thread *t, jsv value, jsv data, int rejected)
{
    return rejected ? jsvm_throw(t, value) : JSV_UNDEFINED;
}

/* Sends the pending exception of ctx to the parent as an error event. */
static void wk_report_error(jse_worker *w, jse_context *ctx)
{
    js_thread *t = jseapi_thread(ctx);
    jse_value e = jse_get_exception(ctx);
    wk_msg *msg = wk_msg_new(WK_ERROR, wk_parent_run);
    if (!msg)
        return;
    if (jsclone_serialize(t, e, JSV_UNDEFINED, &msg->buf) < 0) {
        /* not cloneable (a function, a symbol...): send its description */
        if (t->has_exception)
            jsvm_take_exception(t);
        char *s = jse_format_exception(ctx, e);
        jse_value err = jse_new_error(ctx, "Error", s ? s : "uncaught exception in worker");
        jse_free_string(s);
        if (jse_is_exception(err) || jsclone_serialize(t, err, JSV_UNDEFINED, &msg->buf) < 0) {
            if (t->has_exception)
                jsvm_take_exception(t);
            free(msg);
            return;
        }
    }
    wk_post_parent(w, msg);
}

/* Evaluates the worker's script and runs its loop; the exit code. */
static int wk_run(jse_worker *w, jse_context *ctx, wk_state *st)
{
    js_thread *t = jseapi_thread(ctx);
    jse_value res;
    if (w->nested && jse_install_worker_global(ctx, &w->nested_defaults) < 0)
        return JSE_WORKER_ERROR;
    if (w->opts.init && w->opts.init(ctx, w->opts.init_opaque) != 0)
        return JSE_WORKER_ERROR;
    int flags = (w->opts.flags & JSE_EVAL_MODULE) ? JSE_EVAL_MODULE : (w->opts.flags & JSE_EVAL_STRICT);
    char *src = w->src;
    w->src = NULL;
    int r = jse_eval(ctx, src, w->len, w->filename, flags, &res);
    free(src);
    if (r == JSE_OK && (flags & JSE_EVAL_MODULE) && jse_is_object(res)) {
        jsv reason;
        int state = jsbi_promise_state(res, &reason);
        if (state == 2) {
            jse_throw(ctx, reason);
            r = JSE_EXCEPTION;
        } else if (state == 0) {
            t->realm = jseapi_realm(ctx);
            if (jsbi_promise_then_native(t, res, wk_module_settled, JSV_UNDEFINED) < 0)
                r = JSE_EXCEPTION;
        }
    }
    while (r == JSE_OK) {
        if (atomic_load(&w->terminating))
            return JSE_WORKER_TERMINATED;
        if (st->closing)
            return JSE_WORKER_OK;
        int n = jse_loop_run_once(ctx, -1);
        if (n < 0)
            r = JSE_EXCEPTION;
        else if (n == 0 && !jse_loop_pending(ctx))
            break;
    }
    if (atomic_load(&w->terminating)) {
        if (jse_has_exception(ctx))
            jse_get_exception(ctx);
        return JSE_WORKER_TERMINATED;
    }
    if (r == JSE_OK || st->closing)
        return JSE_WORKER_OK;
    wk_report_error(w, ctx);
    return JSE_WORKER_ERROR;
}

static void wk_main(jsag_agent *a, void *arg)
{
    jse_worker *w = arg;
    int code = JSE_WORKER_ERROR;
    jse_runtime_options ro = { w->opts.memory_limit, w->opts.stack_size, 0 };
    jse_runtime *jrt = jse_runtime_new(&ro);
    jse_context *ctx = jrt ? jse_context_new(jrt) : NULL;
    if (ctx) {
        js_thread *t = jseapi_thread(ctx);
        t->can_block = 1;
        jse_runtime_set_interrupt_handler(jrt, wk_interrupt, w);
        jsag_bind(a, t);
        /* a terminate() that came before the bind found no thread to signal */
        if (atomic_load(&w->terminating))
            atomic_fetch_or(&t->interrupt, JS_INTERRUPT_REQUEST | JS_INTERRUPT_TERMINATE);
        wk_state *st = wk_state_get(t);
        if (st) {
            st->self = w;
            st->ctx = ctx;
            t->realm = jseapi_realm(ctx);
            if (wk_install_self(t, t->realm) < 0) {
                if (t->has_exception)
                    jsvm_take_exception(t);
            } else {
                code = wk_run(w, ctx, st);
            }
        }
        /* children first (they post to this thread), then this loop */
        jswk_shutdown(t);
        jsloop_shutdown(t);
        jsag_unbind(a);
    }
    if (ctx)
        jse_context_free(ctx);
    if (jrt)
        jse_runtime_free(jrt);
    wk_msg *msg = wk_msg_new(WK_EXIT, wk_parent_run);
    if (msg) {
        msg->code = code;
        wk_post_parent(w, msg);
    }
    pthread_mutex_lock(&w->lock);
    w->done = 1;
    w->exit_code = code;
    pthread_cond_broadcast(&w->done_cond);
    pthread_mutex_unlock(&w->lock);
    wk_release(w);
}

/* ---- the C API (parent side) ---- */

static char *wk_read_file(const char *name, size_t *len, int *err)
{
    FILE *f = fopen(name, "rb");
    if (!f) {
        *err = errno;
        return NULL;
    }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (n < cap) {
            if (ferror(f)) {
                *err = errno ? errno : EIO;
                free(buf);
                buf = NULL;
            }
            break;
        }
        char *nb = realloc(buf, cap * 2);
        if (!nb) {
            free(buf);
            buf = NULL;
            *err = ENOMEM;
            break;
        }
        buf = nb;
        cap *= 2;
    }
    fclose(f);
    *len = n;
    return buf;
}

jse_worker *jse_worker_new(jse_context *ctx, const char *filename, const char *src,
                           size_t len, const jse_worker_options *opts)
{
    js_thread *t = jseapi_thread(ctx);
    if (!src && !filename) {
        jse_throw_error(ctx, "TypeError", "jse_worker_new: needs a source or a file name");
        return NULL;
    }
    wk_state *st = wk_state_get(t);
    jse_worker *w = st ? calloc(1, sizeof *w) : NULL;
    if (!w) {
        jse_throw_error(ctx, "RangeError", "out of memory");
        return NULL;
    }
    w->refs = 2;   /* the handle and the thread */
    w->obj = JSV_UNDEFINED;
    w->parent_agent = t->agent;
    w->parent_ctx = ctx;
    w->parent_t = t;
    if (opts)
        w->opts = *opts;
    if (st->has_global) {
        w->nested = 1;
        w->nested_defaults = st->defaults;
    }
    w->filename = strdup(filename ? filename : "<worker>");
    if (!w->filename)
        goto oom;
    if (src) {
        w->src = malloc(len + 1);
        if (!w->src)
            goto oom;
        memcpy(w->src, src, len);
        w->len = len;
    } else {
        int err = 0;
        w->src = wk_read_file(filename, &w->len, &err);
        if (!w->src) {
            jse_throw_error(ctx, "Error", "cannot load worker script '%s': %s", filename, strerror(err));
            free(w->filename);
            free(w);
            return NULL;
        }
    }
    if (pthread_mutex_init(&w->lock, NULL) != 0)
        goto oom;
    if (jscl_cond_init(&w->done_cond) != 0) {
        pthread_mutex_destroy(&w->lock);
        goto oom;
    }
    pthread_mutex_lock(&w->lock);
    w->a = jsag_start(w->parent_agent->cl, wk_main, w);
    pthread_mutex_unlock(&w->lock);
    if (!w->a) {
        pthread_mutex_destroy(&w->lock);
        pthread_cond_destroy(&w->done_cond);
        free(w->src);
        free(w->filename);
        free(w);
        jse_throw_error(ctx, "Error", "cannot start a worker thread");
        return NULL;
    }
    w->next_child = st->children;
    st->children = w;
    w->listed = 1;
    w->holds_ref = 1;
    jsloop_ref(t);
    return w;
oom:
    free(w->src);
    free(w->filename);
    free(w);
    jse_throw_error(ctx, "RangeError", "out of memory");
    return NULL;
}

int jse_worker_post(jse_context *ctx, jse_worker *w, jse_value msg_value, jse_value transfer)
{
    js_thread *t = jseapi_thread(ctx);
    js_realm *saved = t->realm;
    t->realm = jseapi_realm(ctx);
    wk_msg *msg = wk_msg_new(WK_DATA, wk_child_run);
    int r = 0;
    if (!msg) {
        jsvm_throw_out_of_memory(t);
        r = -1;
    } else if (jsclone_serialize(t, msg_value, jsv_is_nullish(transfer) ? JSV_UNDEFINED : transfer,
                                 &msg->buf) < 0) {
        free(msg);
        r = -1;
    }
    t->realm = saved;
    if (r < 0)
        return JSE_EXCEPTION;
    /* a worker that has ended or is ending drops it (as browsers do, silently) */
    pthread_mutex_lock(&w->lock);
    if (w->a && !w->done && !atomic_load(&w->terminating))
        jsloop_post(w->a, &msg->m);
    else
        wk_msg_drop(&msg->m);
    pthread_mutex_unlock(&w->lock);
    return JSE_OK;
}

void jse_worker_set_handlers(jse_worker *w, const jse_worker_handlers *h)
{
    if (h)
        w->h = *h;
    else
        memset(&w->h, 0, sizeof w->h);
}

void jse_worker_terminate(jse_worker *w)
{
    pthread_mutex_lock(&w->lock);
    atomic_store(&w->terminating, 1);
    if (w->a && !w->done) {
        jscl_cluster *cl = w->a->cl;
        pthread_mutex_lock(&cl->lock);
        if (w->a->t)
            atomic_fetch_or(&w->a->t->interrupt, JS_INTERRUPT_REQUEST | JS_INTERRUPT_TERMINATE);
        /* its loop parks on `wake`; Atomics.wait on its own condvar, which is
         * not findable by agent: wake every sync waiter, the others re-park */
        pthread_cond_broadcast(&w->a->wake);
        for (jscl_waiter *x = cl->head; x; x = x->next)
            if (!x->is_async)
                pthread_cond_broadcast(x->wake);
        pthread_mutex_unlock(&cl->lock);
    }
    pthread_mutex_unlock(&w->lock);
}

int jse_worker_join(jse_worker *w, double timeout_ms)
{
    uint64_t deadline = timeout_ms < 0 ? JSCL_FOREVER : jscl_deadline_ms(timeout_ms);
    pthread_mutex_lock(&w->lock);
    while (!w->done && jscl_now_ns() < deadline)
        jscl_cond_wait_until(&w->done_cond, &w->lock, deadline);
    if (!w->done) {
        pthread_mutex_unlock(&w->lock);
        return -1;
    }
    if (!w->joined) {
        /* its main has returned: the thread ends without taking this lock */
        jsag_join(w->a);
        w->a = NULL;
        w->joined = 1;
    }
    int code = w->exit_code;
    pthread_mutex_unlock(&w->lock);
    return code;
}

void jse_worker_free(jse_worker *w)
{
    if (!w)
        return;
    pthread_mutex_lock(&w->lock);
    int done = w->done;
    pthread_mutex_unlock(&w->lock);
    if (!done)
        jse_worker_terminate(w);
    jse_worker_join(w, -1);
    if (!w->orphan) {
        wk_detach_parent(w);
        wk_unroot(w);
    }
    w->freed = 1;
    wk_release(w);
}

void jswk_shutdown(js_thread *t)
{
    jsag_agent *a = t->agent;
    wk_state *st = a ? a->host : NULL;
    if (!st)
        return;
    for (jse_worker *w = st->children; w; w = w->next_child)
        jse_worker_terminate(w);
    while (st->children) {
        jse_worker *w = st->children;
        jse_worker_join(w, -1);
        wk_detach_parent(w);
        w->orphan = 1;   /* an embedder's handle is still freed by the embedder */
        if (w->js_owned && !w->freed) {
            wk_unroot(w);
            w->freed = 1;
            wk_release(w);
        }
    }
    if (st->onmessage_ref)
        jsloop_unref(t);
    jsgc_remove_root(t->rt, &st->onmessage);
    for (int i = 0; i < 3; i++)
        jsgc_remove_root(t->rt, &st->brand[i]);
    a->host = NULL;
    free(st);
}

/* ---- the JS Worker class (parent side) ---- */

/* The running worker of a Worker object: workers in this thread's list. */
static jse_worker *wkjs_find(js_thread *t, jsv obj)
{
    wk_state *st = wk_state_of(t);
    for (jse_worker *w = st ? st->children : NULL; w; w = w->next_child)
        if (w->rooted && w->obj == obj)
            return w;
    return NULL;
}

static jsv wkjs_get_handler(js_thread *t, jse_worker *w, const char *name)
{
    js_key k = jskey_from_cstr(t, name);
    if (k == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    return jsobj_get(t, JSV_OBJ(w->obj), k, w->obj);
}

static void wkjs_on_message(jse_context *ctx, jse_worker *w, jse_value data, void *opaque)
{
    js_thread *t = jseapi_thread(ctx);
    jsv f = wkjs_get_handler(t, w, "onmessage");
    if (f == JSV_EXCEPTION || !jsop_is_callable(f))
        return;
    jsv ev = wk_event(t, data);
    if (ev != JSV_EXCEPTION)
        jsvm_call(t, f, w->obj, 1, &ev);
}

/* An error event (message, filename, error) for onerror; without a handler
 * the error is raised in the parent, as an uncaught exception there. */
static void wkjs_on_error(jse_context *ctx, jse_worker *w, jse_value error, void *opaque)
{
    js_thread *t = jseapi_thread(ctx);
    jsv f = wkjs_get_handler(t, w, "onerror");
    if (f == JSV_EXCEPTION)
        return;
    if (!jsop_is_callable(f)) {
        jsvm_throw(t, error);
        return;
    }
    js_object *ev = jsobj_new_plain(t);
    jsv message = error;
    if (jsv_is_object(error)) {
        js_key k = jskey_from_cstr(t, "message");
        message = k == JSV_EXCEPTION ? JSV_EXCEPTION : jsobj_get(t, JSV_OBJ(error), k, error);
    }
    js_string *ms = message == JSV_EXCEPTION ? NULL : jsop_to_string(t, message);
    js_string *fs = ms ? jsstr_new_utf8(t, w->filename, strlen(w->filename)) : NULL;
    if (!ev || !fs ||
        jsbi_define_value_cstr(t, ev, "message", jsv_string(ms), JS_PROP_C_W_E) < 0 ||
        jsbi_define_value_cstr(t, ev, "filename", jsv_string(fs), JS_PROP_C_W_E) < 0 ||
        jsbi_define_value_cstr(t, ev, "error", error, JS_PROP_C_W_E) < 0)
        return;
    jsv evv = jsv_object(ev);
    jsvm_call(t, f, w->obj, 1, &evv);
}

/* 1 when v is a Worker object made on this thread, 0 if not, -1 on throw. */
static int wkjs_is_worker(js_thread *t, jsv v)
{
    wk_state *st = wk_state_of(t);
    if (!jsv_is_object(v) || !st || !jsop_is_callable(st->brand[2]))
        return 0;
    jsv r = jsvm_call(t, st->brand[2], st->brand[0], 1, &v);
    return r == JSV_EXCEPTION ? -1 : r == JSV_TRUE;
}

static jsv wkjs_post_message(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int is = wkjs_is_worker(t, this_val);
    if (is <= 0)
        return is < 0 ? JSV_EXCEPTION : jsvm_throw_type_error(t, "Worker.prototype.postMessage: not a Worker");
    jsv transfer = wk_transfer_arg(t, JS_ARG(1));
    if (transfer == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    jse_worker *w = wkjs_find(t, this_val);
    if (!w) {
        /* ended or terminated: still validate and transfer, deliver nothing */
        jsclone_buf b;
        if (jsclone_serialize(t, JS_ARG(0), transfer, &b) < 0)
            return JSV_EXCEPTION;
        jsclone_buf_free(&b);
        return JSV_UNDEFINED;
    }
    jse_context *ctx = w->parent_ctx;
    return jse_worker_post(ctx, w, JS_ARG(0), transfer) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
}

static jsv wkjs_terminate(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int is = wkjs_is_worker(t, this_val);
    if (is <= 0)
        return is < 0 ? JSV_EXCEPTION : jsvm_throw_type_error(t, "Worker.prototype.terminate: not a Worker");
    jse_worker *w = wkjs_find(t, this_val);
    if (w) {
        /* as in browsers, a terminated worker sends nothing more: stop
         * keeping this loop alive now; its exit event only releases the
         * handle (the thread is joined then, without blocking here) */
        jse_worker_terminate(w);
        memset(&w->h, 0, sizeof w->h);
        wk_unroot(w);
        if (w->holds_ref) {
            jsloop_unref(t);
            w->holds_ref = 0;
        }
    }
    return JSV_UNDEFINED;
}

/* The directory of the innermost script or module running on t, for paths
 * relative to the parent's file; NULL when unknown. malloc-ed. */
static char *wkjs_caller_dir(js_thread *t)
{
    for (js_frame *f = t->frame; f; f = f->prev) {
        if (!f->bc || !jsv_is_string(f->bc->filename))
            continue;
        char *name = jsstr_to_utf8(JSV_STR(f->bc->filename), NULL);
        char *slash = name ? strrchr(name, '/') : NULL;
        if (!slash) {
            free(name);
            return NULL;
        }
        slash[1] = 0;
        return name;
    }
    return NULL;
}

static char *wkjs_resolve(js_thread *t, const char *path)
{
    if (path[0] == '/' || access(path, F_OK) == 0)
        return strdup(path);
    char *dir = wkjs_caller_dir(t);
    if (dir) {
        size_t n = strlen(dir) + strlen(path) + 1;
        char *full = malloc(n);
        if (full) {
            snprintf(full, n, "%s%s", dir, path);
            if (access(full, F_OK) == 0) {
                free(dir);
                return full;
            }
            free(full);
        }
        free(dir);
    }
    return strdup(path);   /* jse_worker_new says it does not exist */
}

static int wkjs_ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static jsv wkjs_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_throw_type_error(t, "Worker constructor: 'new' is required");
}

static jsv wkjs_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    wk_state *st = wk_state_of(t);
    jse_context *ctx = st ? st->ctx : NULL;
    if (!ctx)
        return jsvm_throw_type_error(t, "Worker: not installed in this context");
    if (!jsv_is_string(JS_ARG(0)))
        return jsvm_throw_type_error(t, "Worker: the script path must be a string");
    jsv options = JS_ARG(1);
    jse_worker_options o = st->defaults;
    char *path = jsstr_to_utf8(JSV_STR(JS_ARG(0)), NULL);
    if (!path)
        return jsvm_throw_out_of_memory(t);
    int module = wkjs_ends_with(path, ".mjs");
    if (jsv_is_object(options)) {
        jsv type = jsobj_get(t, JSV_OBJ(options), jskey_from_cstr(t, "type"), options);
        if (type == JSV_EXCEPTION) {
            free(path);
            return JSV_EXCEPTION;
        }
        if (!jsv_is_undefined(type)) {
            char *ty = jsv_is_string(type) ? jsstr_to_utf8(JSV_STR(type), NULL) : NULL;
            if (ty && strcmp(ty, "module") == 0) {
                module = 1;
            } else if (ty && strcmp(ty, "classic") == 0) {
                module = 0;
            } else {
                free(ty);
                free(path);
                return jsvm_throw_type_error(t, "Worker: options.type must be \"classic\" or \"module\"");
            }
            free(ty);
        }
    } else if (!jsv_is_nullish(options)) {
        free(path);
        return jsvm_throw_type_error(t, "Worker: options must be an object");
    }
    o.flags = (o.flags & ~JSE_EVAL_MODULE) | (module ? JSE_EVAL_MODULE : 0);
    jsv proto = jsobj_get(t, JSV_OBJ(new_target), jskey_from_cstr(t, "prototype"), new_target);
    if (proto == JSV_EXCEPTION) {
        free(path);
        return JSV_EXCEPTION;
    }
    js_object *obj = jsobj_new(t, jsv_is_object(proto) ? proto : jsrt_intrinsic(t, JS_INTR_ObjectPrototype),
                               JS_CLASS_OBJECT);
    if (!obj || jsbi_define_value_cstr(t, obj, "onmessage", JSV_NULL, JS_PROP_C_W_E) < 0 ||
        jsbi_define_value_cstr(t, obj, "onerror", JSV_NULL, JS_PROP_C_W_E) < 0) {
        free(path);
        return JSV_EXCEPTION;
    }
    jsv objv = jsv_object(obj);
    if (jsvm_call(t, st->brand[1], st->brand[0], 1, &objv) == JSV_EXCEPTION) {
        free(path);
        return JSV_EXCEPTION;
    }
    char *file = wkjs_resolve(t, path);
    free(path);
    if (!file)
        return jsvm_throw_out_of_memory(t);
    jse_worker *w = jse_worker_new(ctx, file, NULL, 0, &o);
    free(file);
    if (!w)
        return JSV_EXCEPTION;
    w->obj = jsv_object(obj);
    if (jsgc_add_root(t->rt, &w->obj) < 0) {
        jse_worker_free(w);
        return jsvm_throw_out_of_memory(t);
    }
    w->rooted = 1;
    w->js_owned = 1;
    jse_worker_handlers h = { wkjs_on_message, wkjs_on_error, NULL, NULL };
    jse_worker_set_handlers(w, &h);
    return jsv_object(obj);
}

int jse_install_worker_global(jse_context *ctx, const jse_worker_options *defaults)
{
    js_thread *t = jseapi_thread(ctx);
    js_realm *saved = t->realm;
    t->realm = jseapi_realm(ctx);
    int r = -1;
    wk_state *st = wk_state_get(t);
    if (!st) {
        jsvm_throw_out_of_memory(t);
        goto out;
    }
    st->has_global = 1;
    if (!st->ctx)
        st->ctx = ctx;
    if (defaults)
        st->defaults = *defaults;
    if (!jsv_is_object(st->brand[0])) {
        jsv wp = jsrt_intrinsic(t, JS_INTR_WeakSetPrototype);
        jsv set = jsvm_construct(t, jsrt_intrinsic(t, JS_INTR_WeakSet), 0, NULL, jsrt_intrinsic(t, JS_INTR_WeakSet));
        jsv add = set == JSV_EXCEPTION ? JSV_EXCEPTION : jsobj_get(t, JSV_OBJ(wp), jskey_from_cstr(t, "add"), wp);
        jsv has = add == JSV_EXCEPTION ? JSV_EXCEPTION : jsobj_get(t, JSV_OBJ(wp), jskey_from_cstr(t, "has"), wp);
        if (has == JSV_EXCEPTION)
            goto out;
        st->brand[0] = set;
        st->brand[1] = add;
        st->brand[2] = has;
    }
    js_object *proto = jsobj_new_plain(t);
    if (!proto || jsobj_define_fn(t, proto, "postMessage", wkjs_post_message, 1, 0) < 0 ||
        jsobj_define_fn(t, proto, "terminate", wkjs_terminate, 0, 0) < 0 ||
        jsbi_set_tag(t, proto, "Worker") < 0)
        goto out;
    js_key name = jskey_from_cstr(t, "Worker");
    js_object *ctor = name == JSV_EXCEPTION ? NULL
                      : jsfn_new_native_ctor(t, wkjs_call, wkjs_construct, name, 1, 0);
    if (!ctor || jsobj_define_value(t, ctor, jskey_from_cstr(t, "prototype"), jsv_object(proto), 0) < 0 ||
        jsbi_define_value_cstr(t, proto, "constructor", jsv_object(ctor), JS_PROP_C_W) < 0 ||
        jsbi_define_value_cstr(t, t->realm->global, "Worker", jsv_object(ctor), JS_PROP_C_W) < 0)
        goto out;
    r = 0;
out:
    t->realm = saved;
    return r < 0 ? JSE_EXCEPTION : JSE_OK;
}
