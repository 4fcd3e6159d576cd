/*
 * agent.c - agent threads of a cluster: start, bind/unbind of the agent's
 * js_thread, the broadcast rendezvous and teardown (stop word, wake, join
 * with a hard timeout). Must not run JS or touch a heap: agents' runtimes
 * are created and freed by their main function on their own thread.
 */
#include <stdlib.h>
#include "agent.h"

#define AGENT_STACK_SIZE ((size_t)8 << 20)

static jsag_agent *agent_new(jscl_cluster *cl)
{
    jsag_agent *a = calloc(1, sizeof *a);
    if (!a)
        return NULL;
    if (jscl_cond_init(&a->wake) != 0) {
        free(a);
        return NULL;
    }
    a->cl = cl;
    return a;
}

static void agent_free(jsag_agent *a)
{
    pthread_cond_destroy(&a->wake);
    free(a);
}

jsag_agent *jsag_attach(jscl_cluster *cl, js_thread *t)
{
    jsag_agent *a = agent_new(cl);
    if (!a)
        return NULL;
    a->t = t;
    t->agent = a;
    return a;
}

void jsag_detach(js_thread *t)
{
    jsag_agent *a = t->agent;
    if (!a)
        return;
    jsw_cancel_async(t);
    t->agent = NULL;
    if (!a->has_thread)
        agent_free(a);
}

static void *agent_thread(void *p)
{
    jsag_agent *a = p;
    jscl_cluster *cl = a->cl;
    a->main(a, a->arg);
    pthread_mutex_lock(&cl->lock);
    a->state = JSAG_DONE;
    a->t = NULL;
    if (a->bc_owed) {
        a->bc_owed = 0;
        cl->bc_pending--;
    }
    pthread_cond_broadcast(&cl->changed);
    pthread_mutex_unlock(&cl->lock);
    return NULL;
}

jsag_agent *jsag_start(jscl_cluster *cl, void (*main)(jsag_agent *a, void *arg), void *arg)
{
    pthread_attr_t attr;
    jsag_agent *a = agent_new(cl);
    if (!a)
        return NULL;
    a->main = main;
    a->arg = arg;
    a->has_thread = 1;
    a->state = JSAG_RUNNING;
    if (pthread_attr_init(&attr) != 0) {
        agent_free(a);
        return NULL;
    }
    pthread_attr_setstacksize(&attr, AGENT_STACK_SIZE);
    pthread_mutex_lock(&cl->lock);
    /* linked before the thread exists, so that a broadcast issued right after
     * start() counts this agent and waits for it */
    int ok = !cl->stop && pthread_create(&a->thread, &attr, agent_thread, a) == 0;
    if (ok) {
        a->next = cl->agents;
        cl->agents = a;
    }
    pthread_mutex_unlock(&cl->lock);
    pthread_attr_destroy(&attr);
    if (!ok) {
        agent_free(a);
        return NULL;
    }
    return a;
}

void jsag_join(jsag_agent *a)
{
    jscl_cluster *cl = a->cl;
    pthread_join(a->thread, NULL);
    pthread_mutex_lock(&cl->lock);
    for (jsag_agent **pp = &cl->agents; *pp; pp = &(*pp)->next) {
        if (*pp == a) {
            *pp = a->next;
            break;
        }
    }
    pthread_mutex_unlock(&cl->lock);
    agent_free(a);
}

void jsag_bind(jsag_agent *a, js_thread *t)
{
    pthread_mutex_lock(&a->cl->lock);
    a->t = t;
    t->agent = a;
    if (a->cl->stop)
        atomic_fetch_or(&t->interrupt, JS_INTERRUPT_TERMINATE);
    pthread_mutex_unlock(&a->cl->lock);
}

void jsag_unbind(jsag_agent *a)
{
    js_thread *t = a->t;
    if (t)
        jsw_cancel_async(t);
    pthread_mutex_lock(&a->cl->lock);
    if (t)
        t->agent = NULL;
    a->t = NULL;
    pthread_mutex_unlock(&a->cl->lock);
}

int jsag_stopping(jsag_agent *a)
{
    pthread_mutex_lock(&a->cl->lock);
    int s = a->cl->stop;
    pthread_mutex_unlock(&a->cl->lock);
    return s;
}

int jsag_teardown(jscl_cluster *cl, double timeout_ms)
{
    uint64_t deadline = jscl_deadline_ms(timeout_ms);
    int wedged = 0;

    pthread_mutex_lock(&cl->lock);
    cl->stop = 1;
    for (jsag_agent *a = cl->agents; a; a = a->next) {
        if (a->t)
            atomic_fetch_or(&a->t->interrupt, JS_INTERRUPT_TERMINATE);
        pthread_cond_broadcast(&a->wake);
    }
    /* parked sync waiters see the stop word when they wake */
    for (jscl_waiter *w = cl->head; w; w = w->next)
        pthread_cond_broadcast(w->wake);
    pthread_cond_broadcast(&cl->changed);
    jsag_agent *list = cl->agents;
    cl->agents = NULL;
    pthread_mutex_unlock(&cl->lock);

    while (list) {
        jsag_agent *a = list;
        list = a->next;
        /* The deadline is kept by waiting for JSAG_DONE under the lock; past
         * DONE the thread only returns, so the plain join that follows
         * cannot block. A timed join would do the same, but helgrind and drd
         * model pthread_join and not pthread_timedjoin_np: without the join
         * edge they report jscl_free's destruction of the lock as a race
         * with the agent's last unlock. */
        pthread_mutex_lock(&cl->lock);
        while (a->state != JSAG_DONE && jscl_now_ns() < deadline)
            jscl_cond_wait_until(&cl->changed, &cl->lock, deadline);
        int done = a->state == JSAG_DONE;
        pthread_mutex_unlock(&cl->lock);
        if (done) {
            pthread_join(a->thread, NULL);
            agent_free(a);
        } else {
            /* wedged: the thread keeps its record and the cluster alive */
            pthread_detach(a->thread);
            wedged = 1;
        }
    }
    return wedged ? -1 : 0;
}

void jsag_broadcast_begin(jscl_cluster *cl, jssab_storage *store, int growable, double num)
{
    jssab_retain(store);
    pthread_mutex_lock(&cl->lock);
    jssab_release(cl->bc_store);
    cl->bc_store = store;
    cl->bc_growable = growable;
    cl->bc_num = num;
    cl->bc_gen++;
    for (jsag_agent *a = cl->agents; a; a = a->next) {
        if (a->state == JSAG_DONE)
            continue;
        if (!a->bc_owed)
            cl->bc_pending++;
        a->bc_owed = 1;
        pthread_cond_broadcast(&a->wake);
    }
    pthread_mutex_unlock(&cl->lock);
}

int jsag_broadcast_wait(jscl_cluster *cl, uint64_t deadline)
{
    pthread_mutex_lock(&cl->lock);
    while (cl->bc_pending > 0 && !cl->stop && jscl_now_ns() < deadline)
        jscl_cond_wait_until(&cl->changed, &cl->lock, deadline);
    int n = cl->bc_pending;
    pthread_mutex_unlock(&cl->lock);
    return n;
}

int jsag_receive(jsag_agent *a, uint64_t deadline, jssab_storage **store, int *growable, double *num)
{
    jscl_cluster *cl = a->cl;
    int got = 0;
    pthread_mutex_lock(&cl->lock);
    if (!a->bc_owed && !cl->stop && jscl_now_ns() < deadline)
        jscl_cond_wait_until(&a->wake, &cl->lock, deadline);
    if (a->bc_owed && cl->bc_store) {
        a->bc_owed = 0;
        cl->bc_pending--;
        jssab_retain(cl->bc_store);
        *store = cl->bc_store;
        *growable = cl->bc_growable;
        *num = cl->bc_num;
        got = 1;
        pthread_cond_broadcast(&cl->changed);
    }
    pthread_mutex_unlock(&cl->lock);
    return got;
}
