/*
 * agent.h - Layer A agents: an agent is an OS thread running its own runtime
 * inside a cluster (cluster.h); the calling thread of an embedder may also be
 * attached as an agent. Start, join and teardown live here; Atomics waiting
 * lives in waiter.c, the $262.agent host object in builtins/agent262.c.
 * Thread rules: fields marked (lock) are guarded by cl->lock; `t` is touched
 * only by the agent's own thread, except to set its interrupt word under the
 * lock during teardown.
 */
#ifndef JSE_THREADS_AGENT_H
#define JSE_THREADS_AGENT_H

#include "cluster.h"
#include "../core/runtime.h"

enum { JSAG_RUNNING, JSAG_DONE };

struct jsag_agent {
    jscl_cluster *cl;
    jsag_agent *next;                   /* cl->agents (lock) */
    pthread_t thread;
    int has_thread;                     /* started by jsag_start (else attached) */
    int state;                          /* JSAG_* (lock) */
    pthread_cond_t wake;                /* async waiter settled, broadcast, stop */
    jscl_waiter *async_head;            /* outstanding waitAsync waiters (lock) */
    js_thread *t;                       /* the agent's thread state while it has one (lock) */
    int bc_owed;                        /* broadcast generation not yet taken (lock) */
    void (*main)(jsag_agent *a, void *arg);
    void *arg;
    /* host/loop.c: the inbox other threads post to, and the embedder's
     * wake-up hook (jse_loop_set_wakeup), called on post and notify (lock) */
    struct jsloop_msg *inbox_head, *inbox_tail;
    int inbox_closed;                   /* jsloop_shutdown ran: posts are dropped (lock) */
    void (*wakeup)(void *opaque);
    void *wakeup_opaque;
    void *host;                         /* host/worker.c: per-thread worker state (owner thread only) */
};

/* Registers the calling thread's state t as an agent of cl (t->agent).
 * NULL on OOM. */
jsag_agent *jsag_attach(jscl_cluster *cl, js_thread *t);
/* Cancels t's outstanding waitAsync waiters and frees its attached record. */
void jsag_detach(js_thread *t);
/* Spawns an agent thread running main(a, arg). main creates its runtime,
 * calls jsag_bind, runs, and calls jsag_unbind before freeing the runtime.
 * NULL when the thread cannot be created or the cluster is stopping. */
jsag_agent *jsag_start(jscl_cluster *cl, void (*main)(jsag_agent *a, void *arg), void *arg);
/* Joins one started agent whose main has returned or is about to (a worker
 * after its exit), unlinks it from the cluster and frees the record. After
 * this, jsag_teardown no longer sees it. */
void jsag_join(jsag_agent *a);
void jsag_bind(jsag_agent *a, js_thread *t);
void jsag_unbind(jsag_agent *a);
/* Non-zero once the cluster is being torn down (the agent should return). */
int jsag_stopping(jsag_agent *a);

/* Teardown: sets the stop word, terminates running scripts, wakes every
 * parked waiter and receiver, and joins every started agent within
 * timeout_ms. Returns 0 when all were joined (records freed; the cluster may
 * be freed), -1 when some agent is wedged: the cluster must then be leaked. */
int jsag_teardown(jscl_cluster *cl, double timeout_ms);

/* Broadcast rendezvous. begin publishes (store retained, growable flag, num)
 * to every live agent; wait blocks until every one took it or deadline
 * passes: returns how many still owe it. */
void jsag_broadcast_begin(jscl_cluster *cl, jssab_storage *store, int growable, double num);
int jsag_broadcast_wait(jscl_cluster *cl, uint64_t deadline);
/* Agent side: 1 and a retained storage when a broadcast is owed to a (after
 * waiting on a->wake until deadline), else 0. */
int jsag_receive(jsag_agent *a, uint64_t deadline, jssab_storage **store, int *growable, double *num);

/* waiter.c: waitAsync bookkeeping of the calling thread's agent. */
int jsw_pending(js_thread *t);                  /* outstanding waitAsync waiters */
uint64_t jsw_next_deadline(js_thread *t);       /* nearest timeout, JSCL_FOREVER */
/* Settles the promises of notified and timed-out waiters. With park_until
 * non-zero (a jscl_now_ns() time, or JSCL_FOREVER), when none is due it first
 * parks until one is, or until park_until, at most ~100 ms, then polls the
 * interrupt word. Returns how many were settled, -1 with an exception pending. */
int jsw_dispatch(js_thread *t, uint64_t park_until);
/* Runs jobs and settles async waiters until neither is outstanding.
 * 0, or -1 with an exception pending. */
int jsw_run_loop(js_thread *t);
void jsw_cancel_async(js_thread *t);
/* Atomics.wait (magic 0), Atomics.waitAsync (magic 1), Atomics.notify. */
jsv jsw_atomics_wait(js_thread *t, jsv this_val, int argc, jsv *argv, int magic);
jsv jsw_atomics_notify(js_thread *t, jsv this_val, int argc, jsv *argv, int magic);

#endif
