/*
 * cluster.c - the agent cluster's shared state: waiter lists, broadcast
 * rendezvous and the report queue, all under the single cluster lock.
 * Must not touch any GC heap: it only moves C records between threads.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "agent.h"

jscl_cluster *jscl_new(void)
{
    jscl_cluster *cl = calloc(1, sizeof *cl);
    if (!cl)
        return NULL;
    if (pthread_mutex_init(&cl->lock, NULL) != 0) {
        free(cl);
        return NULL;
    }
    if (jscl_cond_init(&cl->changed) != 0) {
        pthread_mutex_destroy(&cl->lock);
        free(cl);
        return NULL;
    }
    return cl;
}

void jscl_free(jscl_cluster *cl)
{
    if (!cl)
        return;
    while (cl->rep_head) {
        jscl_report *r = cl->rep_head;
        cl->rep_head = r->next;
        free(r);
    }
    jssab_release(cl->bc_store);
    pthread_cond_destroy(&cl->changed);
    pthread_mutex_destroy(&cl->lock);
    free(cl);
}

uint64_t jscl_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t jscl_deadline_ms(double ms)
{
    if (!(ms < 1e13))   /* +Infinity, or centuries: never */
        return JSCL_FOREVER;
    if (ms < 0)
        ms = 0;
    return jscl_now_ns() + (uint64_t)(ms * 1e6);
}

int jscl_cond_init(pthread_cond_t *c)
{
    pthread_condattr_t a;
    int rc;
    if (pthread_condattr_init(&a) != 0)
        return -1;
    pthread_condattr_setclock(&a, CLOCK_MONOTONIC);
    rc = pthread_cond_init(c, &a);
    pthread_condattr_destroy(&a);
    return rc ? -1 : 0;
}

void jscl_cond_wait_until(pthread_cond_t *c, pthread_mutex_t *m, uint64_t deadline)
{
    if (deadline == JSCL_FOREVER) {
        pthread_cond_wait(c, m);
        return;
    }
    struct timespec ts;
    ts.tv_sec = (time_t)(deadline / 1000000000u);
    ts.tv_nsec = (long)(deadline % 1000000000u);
    pthread_cond_timedwait(c, m, &ts);
}

void jscl_add_waiter(jscl_cluster *cl, jscl_waiter *w)
{
    w->next = NULL;
    w->prev = cl->tail;
    if (cl->tail)
        cl->tail->next = w;
    else
        cl->head = w;
    cl->tail = w;
}

void jscl_remove_waiter(jscl_cluster *cl, jscl_waiter *w)
{
    if (w->prev)
        w->prev->next = w->next;
    else
        cl->head = w->next;
    if (w->next)
        w->next->prev = w->prev;
    else
        cl->tail = w->prev;
    w->next = w->prev = NULL;
}

/* One list holds every key: scanning it in order keeps FIFO per key without
 * a hash table, and the lists stay short (one entry per parked agent or
 * outstanding waitAsync). */
uint64_t jscl_notify(jscl_cluster *cl, const jssab_storage *store, size_t byte_index, uint64_t count)
{
    uint64_t n = 0;
    pthread_mutex_lock(&cl->lock);
    for (jscl_waiter *w = cl->head, *next; w && n < count; w = next) {
        next = w->next;
        if (w->store != store || w->byte_index != byte_index)
            continue;
        jscl_remove_waiter(cl, w);
        w->state = JSCL_NOTIFIED;
        /* async waiters share their owner's cond: wake every sleeper on it */
        pthread_cond_broadcast(w->wake);
        /* an embedder driving the owner's loop from its own main loop */
        if (w->is_async && w->owner && w->owner->wakeup)
            w->owner->wakeup(w->owner->wakeup_opaque);
        n++;
    }
    pthread_mutex_unlock(&cl->lock);
    return n;
}

int jscl_report_push(jscl_cluster *cl, const char *s, size_t len)
{
    jscl_report *r = malloc(sizeof *r + len + 1);
    if (!r)
        return -1;
    r->next = NULL;
    r->len = len;
    memcpy(r->s, s, len);
    r->s[len] = 0;
    pthread_mutex_lock(&cl->lock);
    if (cl->rep_tail)
        cl->rep_tail->next = r;
    else
        cl->rep_head = r;
    cl->rep_tail = r;
    pthread_mutex_unlock(&cl->lock);
    return 0;
}

char *jscl_report_pop(jscl_cluster *cl, size_t *len)
{
    pthread_mutex_lock(&cl->lock);
    jscl_report *r = cl->rep_head;
    if (r) {
        cl->rep_head = r->next;
        if (!cl->rep_head)
            cl->rep_tail = NULL;
    }
    pthread_mutex_unlock(&cl->lock);
    if (!r)
        return NULL;
    /* the record itself is the copy: move the bytes to its start */
    size_t n = r->len;
    char *s = (char *)r;
    memmove(s, r->s, n + 1);
    if (len)
        *len = n;
    return s;
}
