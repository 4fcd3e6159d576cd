/*
 * cluster.h - the agent cluster: a registry of agents, the waiter lists of
 * Atomics.wait/waitAsync keyed by (shared storage, byte index), the
 * $262.agent broadcast rendezvous and report queue. Owns no JS value; it is
 * created by the embedder (runner) and outlives every agent in it.
 * Thread rules: every field below `lock` is guarded by `lock`, the one lock
 * of Layer A. Nothing that can run JS or take another engine lock is called
 * while holding it (lock order: cluster lock is a leaf).
 */
#ifndef JSE_THREADS_CLUSTER_H
#define JSE_THREADS_CLUSTER_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include "../core/value.h"
#include "sab.h"

#define JSCL_FOREVER UINT64_MAX

typedef struct jscl_cluster jscl_cluster;
typedef struct jsag_agent jsag_agent;

enum { JSCL_WAITING, JSCL_NOTIFIED, JSCL_TIMED_OUT };

/* One waiter on one list (WaiterRecord). Sync waiters live on the waiting
 * thread's C stack; async waiters are malloc-ed and owned by their agent. */
typedef struct jscl_waiter {
    struct jscl_waiter *next, *prev;    /* the cluster's waiter list, FIFO */
    const jssab_storage *store;         /* key: the shared block ... */
    size_t byte_index;                  /* ... and the byte index in it */
    int state;                          /* JSCL_* */
    int is_async;
    pthread_cond_t *wake;               /* signalled on notify (sync: own cond; async: owner's) */
    /* async only */
    jsag_agent *owner;
    struct jscl_waiter *owner_next;     /* the owner's outstanding list */
    uint64_t deadline;                  /* ns on CLOCK_MONOTONIC, JSCL_FOREVER = none */
    jssab_storage *held;                /* retained so the key stays unique while waiting */
    jsv promise;                        /* GC root of the owner's runtime */
} jscl_waiter;

typedef struct jscl_report {
    struct jscl_report *next;
    size_t len;
    char s[];
} jscl_report;

struct jscl_cluster {
    pthread_mutex_t lock;
    pthread_cond_t changed;             /* broadcast acks, agent exits */
    jscl_waiter *head, *tail;
    jsag_agent *agents;                 /* every agent but the attached main ones */
    int stop;                           /* teardown in progress */
    /* $262.agent.broadcast */
    unsigned bc_gen;
    jssab_storage *bc_store;
    int bc_growable;
    double bc_num;
    int bc_pending;                     /* agents yet to take generation bc_gen */
    /* $262.agent.report */
    jscl_report *rep_head, *rep_tail;
};

jscl_cluster *jscl_new(void);
/* Frees the cluster. Every agent must have been joined (jsag_teardown). */
void jscl_free(jscl_cluster *cl);

uint64_t jscl_now_ns(void);
/* Monotonic deadline `ms` milliseconds from now (ms may be +Infinity). */
uint64_t jscl_deadline_ms(double ms);
/* A condition variable on CLOCK_MONOTONIC. */
int jscl_cond_init(pthread_cond_t *c);
/* pthread_cond_timedwait with a monotonic ns deadline (FOREVER: no limit). */
void jscl_cond_wait_until(pthread_cond_t *c, pthread_mutex_t *m, uint64_t deadline);

/* Waiter lists; the caller holds cl->lock. */
void jscl_add_waiter(jscl_cluster *cl, jscl_waiter *w);
void jscl_remove_waiter(jscl_cluster *cl, jscl_waiter *w);
/* RemoveWaiters + NotifyWaiter for at most count waiters of (store, index),
 * FIFO. Takes the lock itself. Returns how many were woken. */
uint64_t jscl_notify(jscl_cluster *cl, const jssab_storage *store, size_t byte_index, uint64_t count);

/* Reports: the string is copied. -1 on OOM. pop returns a malloc-ed,
 * NUL-terminated copy (caller frees) or NULL when the queue is empty. */
int jscl_report_push(jscl_cluster *cl, const char *s, size_t len);
char *jscl_report_pop(jscl_cluster *cl, size_t *len);

#endif
