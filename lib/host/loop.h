/*
 * loop.h - the per-thread event loop of an agent (loop.c): timers, the inbox
 * that other threads post to, keep-alive counts, the embedder's wake-up
 * hook. Workers (worker.c) deliver their messages through the inbox. This is
 * the contract between loop.c and worker.c; nothing here runs JS itself.
 * Thread rules: jsloop_post may be called from any thread; everything else
 * only from the thread that owns `t`.
 */
#ifndef JSE_HOST_LOOP_H
#define JSE_HOST_LOOP_H

#include "../core/runtime.h"
#include "../threads/agent.h"

/* One event queued for an agent's thread. The sender allocates it (with any
 * payload after this header) and gives up ownership to jsloop_post. */
typedef struct jsloop_msg jsloop_msg;
struct jsloop_msg {
    jsloop_msg *next;
    /* Runs on the receiving agent's thread, from its loop; must free m.
     * 0, or -1 with an exception pending in t (the loop reports it). */
    int (*run)(js_thread *t, jsloop_msg *m);
    /* Frees m without running it (the receiver is gone or stopping). May run
     * on any thread; must not touch any runtime. */
    void (*drop)(jsloop_msg *m);
};

/* The agent record of t, attaching t to a new private cluster the first time
 * (a runtime that has never seen Layer A gets one lazily). NULL on OOM. */
jsag_agent *jsloop_agent(js_thread *t);

/* Queue m for agent a and wake its loop (a->wake and the embedder's wake-up
 * hook). Any thread. When a has finished or its cluster is stopping, m is
 * dropped and -1 returned. */
int jsloop_post(jsag_agent *a, jsloop_msg *m);

/* Keep-alive references: t's loop does not finish (jse_loop_run) while any is
 * held: a running worker started from t, a worker's onmessage handler. */
void jsloop_ref(js_thread *t);
void jsloop_unref(js_thread *t);

/* One turn / the whole loop for t; see jse_loop_run_once and jse_loop_run in
 * jsengine.h (same results, with -1 for JSE_EXCEPTION). */
int jsloop_run_once(js_thread *t, double timeout_ms);
int jsloop_run(js_thread *t);
int jsloop_pending(js_thread *t);
/* jse_loop_next_timeout and jse_loop_set_wakeup (fn NULL removes the hook;
 * setting one attaches t to a private cluster like jsloop_agent). */
double jsloop_next_timeout(js_thread *t);
void jsloop_set_wakeup(js_thread *t, void (*fn)(void *opaque), void *opaque);

/* Cancels the timers set from realm (its context is being freed). */
void jsloop_forget_realm(js_thread *t, js_realm *realm);

/* Drops every queued message, closes the inbox (later posts are dropped) and
 * frees the timers; called before t's runtime is freed (worker exit, before
 * jsag_unbind; jse_runtime_free calls it for every thread of the runtime).
 * When jsloop_agent made a private cluster for t, its other agents (workers
 * started from t) are torn down and joined first (jsag_teardown, 2 s), then
 * t is detached and the cluster freed. Safe to call twice. */
void jsloop_shutdown(js_thread *t);

#endif
