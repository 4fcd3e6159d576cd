/*
 * test_agents.c - Layer A: agent threads start/join/teardown, the cluster's
 * waiter lists (FIFO, exact wake counts), Atomics.wait timeouts and teardown
 * of an agent parked in Atomics.wait. Links the internal library; must stay
 * clean under -fsanitize=thread.
 */
#include <check.h>
#include "check_main.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "threads/agent.h"
#include "builtins/builtins.h"

int jsbi_install_agent262(js_thread *t, js_object *dollar262);

/* ---- agents without JS ---- */

static void count_main(jsag_agent *a, void *arg)
{
    atomic_fetch_add((atomic_int *)arg, 1);
}

START_TEST(start_and_join)
{
    jscl_cluster *cl = jscl_new();
    atomic_int n;
    atomic_init(&n, 0);
    ck_assert_ptr_nonnull(cl);
    for (int i = 0; i < 8; i++)
        ck_assert_ptr_nonnull(jsag_start(cl, count_main, &n));
    ck_assert_int_eq(jsag_teardown(cl, 5000), 0);
    ck_assert_int_eq(atomic_load(&n), 8);
    jscl_free(cl);
}
END_TEST

/* ---- waiter lists: C threads parked the way Atomics.wait parks ---- */

typedef struct parked {
    jscl_cluster *cl;
    jssab_storage *s;
    int id;
    int *order;        /* wake order log (under cl->lock) */
    int *nwoken;
} parked;

static void *park_thread(void *p)
{
    parked *k = p;
    jscl_waiter w;
    pthread_cond_t c;
    memset(&w, 0, sizeof w);
    jscl_cond_init(&c);
    w.store = k->s;
    w.byte_index = 4;
    w.wake = &c;
    pthread_mutex_lock(&k->cl->lock);
    jscl_add_waiter(k->cl, &w);
    while (w.state == JSCL_WAITING)
        jscl_cond_wait_until(&c, &k->cl->lock, JSCL_FOREVER);
    k->order[(*k->nwoken)++] = k->id;
    pthread_mutex_unlock(&k->cl->lock);
    pthread_cond_destroy(&c);
    return NULL;
}

static int count_waiters(jscl_cluster *cl)
{
    int n = 0;
    pthread_mutex_lock(&cl->lock);
    for (jscl_waiter *w = cl->head; w; w = w->next)
        n++;
    pthread_mutex_unlock(&cl->lock);
    return n;
}

static int woken(jscl_cluster *cl, int *nwoken)
{
    pthread_mutex_lock(&cl->lock);
    int n = *nwoken;
    pthread_mutex_unlock(&cl->lock);
    return n;
}

START_TEST(notify_fifo_and_counts)
{
    jscl_cluster *cl = jscl_new();
    jssab_storage *s = jssab_new(16, 16, 1);
    pthread_t th[4];
    parked k[4];
    int order[4] = { -1, -1, -1, -1 }, nwoken = 0;
    for (int i = 0; i < 4; i++) {
        k[i] = (parked){ cl, s, i, order, &nwoken };
        ck_assert_int_eq(pthread_create(&th[i], NULL, park_thread, &k[i]), 0);
        while (count_waiters(cl) != i + 1)   /* enqueue strictly in order */
            sched_yield();
    }
    ck_assert_uint_eq(jscl_notify(cl, s, 0, 10), 0);      /* other index: nobody */
    ck_assert_uint_eq(jscl_notify(cl, s, 4, 0), 0);
    ck_assert_uint_eq(jscl_notify(cl, s, 4, 1), 1);
    while (woken(cl, &nwoken) != 1)
        sched_yield();
    ck_assert_int_eq(order[0], 0);
    ck_assert_uint_eq(jscl_notify(cl, s, 4, 2), 2);
    while (woken(cl, &nwoken) != 3)   /* let 1 and 2 log before 3 is woken */
        sched_yield();
    ck_assert_uint_eq(jscl_notify(cl, s, 4, UINT64_MAX), 1);
    ck_assert_uint_eq(jscl_notify(cl, s, 4, UINT64_MAX), 0);
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    /* 1 and 2 were woken together: either may log first; 3 is last */
    ck_assert(order[1] + order[2] == 3 && order[3] == 3);
    jssab_release(s);
    jscl_free(cl);
}
END_TEST

START_TEST(reports_are_copied)
{
    jscl_cluster *cl = jscl_new();
    char buf[8] = "hello";
    size_t n;
    ck_assert_int_eq(jscl_report_push(cl, buf, 5), 0);
    buf[0] = 'j';
    char *r = jscl_report_pop(cl, &n);
    ck_assert_str_eq(r, "hello");
    ck_assert_uint_eq(n, 5);
    free(r);
    ck_assert_ptr_null(jscl_report_pop(cl, &n));
    jscl_free(cl);
}
END_TEST

/* ---- through JS ---- */

typedef struct jsenv {
    js_runtime *rt;
    js_thread *t;
    jscl_cluster *cl;
} jsenv;

static void env_open(jsenv *e)
{
    e->rt = jsrt_new(NULL);
    ck_assert_ptr_nonnull(e->rt);
    e->t = e->rt->main_thread;
    js_realm *realm = jsrt_realm_new(e->t);
    ck_assert_ptr_nonnull(realm);
    e->t->realm = realm;
    e->cl = jscl_new();
    ck_assert_ptr_nonnull(jsag_attach(e->cl, e->t));
    js_object *d = jsobj_new(e->t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_OBJECT);
    ck_assert_ptr_nonnull(d);
    ck_assert_int_eq(jsbi_define_value_cstr(e->t, realm->global, "$262", jsv_object(d), JS_PROP_C_W), 0);
    ck_assert_int_eq(jsbi_install_agent262(e->t, d), 0);
}

static void env_close(jsenv *e)
{
    ck_assert_int_eq(jsag_teardown(e->cl, 5000), 0);
    jsag_detach(e->t);
    jsrt_free(e->rt);
    jscl_free(e->cl);
}

/* Evaluates src (and the job/async-waiter loop); returns its completion as a
 * malloc-ed UTF-8 string. */
static char *run(jsenv *e, const char *src)
{
    jsv v = jsvm_eval_script(e->t, src, strlen(src), "test", 0);
    if (v != JSV_EXCEPTION && jsw_run_loop(e->t) < 0)
        v = JSV_EXCEPTION;
    if (v == JSV_EXCEPTION)
        v = jsvm_take_exception(e->t);
    js_string *s = jsop_to_string(e->t, v);
    ck_assert_ptr_nonnull(s);
    return jsstr_to_utf8(s, NULL);
}

static void expect(jsenv *e, const char *src, const char *want)
{
    char *got = run(e, src);
    ck_assert_str_eq(got, want);
    free(got);
}

START_TEST(wait_results)
{
    jsenv e;
    env_open(&e);
    expect(&e, "var i32 = new Int32Array(new SharedArrayBuffer(16)); Atomics.wait(i32, 0, 1)", "not-equal");
    expect(&e, "var t0 = $262.agent.monotonicNow(); var r = Atomics.wait(i32, 0, 0, 50);"
               "r + ($262.agent.monotonicNow() - t0 >= 49)", "timed-outtrue");
    expect(&e, "Atomics.notify(i32, 0) + Atomics.notify(new Int32Array(4), 0)", "0");
    expect(&e, "try { Atomics.wait(new Int32Array(4), 0, 0, 0) } catch (x) { x.name }", "TypeError");
    e.t->can_block = 0;
    expect(&e, "try { Atomics.wait(i32, 0, 0, 0) } catch (x) { x.name }", "TypeError");
    e.t->can_block = 1;
    expect(&e, "var o = Atomics.waitAsync(i32, 0, 1); o.async + o.value", "falsenot-equal");
    expect(&e, "var res; Atomics.waitAsync(i32, 0, 0, 20).value.then(v => res = v); res", "undefined");
    expect(&e, "res", "timed-out");
    env_close(&e);
}
END_TEST

/* Two agents wait; the main agent notifies them one at a time. */
START_TEST(agents_wait_notify)
{
    jsenv e;
    env_open(&e);
    expect(&e,
           "var sab = new SharedArrayBuffer(16), i32 = new Int32Array(sab);"
           "for (var k = 0; k < 2; k++) $262.agent.start(`"
           "  $262.agent.receiveBroadcast(function (sab) {"
           "    var a = new Int32Array(sab); Atomics.add(a, 1, 1);"
           "    $262.agent.report(Atomics.wait(a, 0, 0, 10000)); $262.agent.leaving();"
           "  });`);"
           "$262.agent.broadcast(sab);"
           "while (Atomics.load(i32, 1) !== 2) $262.agent.sleep(1);"
           "var n = 0; while (n < 2) { n += Atomics.notify(i32, 0, 1); $262.agent.sleep(1); }"
           "var r = [], x; while (r.length < 2) { if ((x = $262.agent.getReport()) !== null) r.push(x); else $262.agent.sleep(1); }"
           "n + r.join()", "2ok,ok");
    env_close(&e);
}
END_TEST

/* 8 agents hammer one counter with Atomics.add, then rendezvous by wait/notify. */
START_TEST(agents_counter)
{
    jsenv e;
    env_open(&e);
    expect(&e,
           "var sab = new SharedArrayBuffer(16), i32 = new Int32Array(sab);"
           "for (var k = 0; k < 8; k++) $262.agent.start(`"
           "  $262.agent.receiveBroadcast(function (sab) {"
           "    var a = new Int32Array(sab);"
           "    for (var i = 0; i < 10000; i++) Atomics.add(a, 0, 1);"
           "    if (Atomics.add(a, 1, 1) === 7) Atomics.notify(a, 1);"
           "    $262.agent.leaving();"
           "  });`);"
           "$262.agent.broadcast(sab);"
           "var v; while ((v = Atomics.load(i32, 1)) !== 8) Atomics.wait(i32, 1, v, 1000);"
           "Atomics.load(i32, 0)", "80000");
    env_close(&e);
}
END_TEST

/* An agent parked forever in Atomics.wait must not hold teardown up. */
START_TEST(teardown_parked)
{
    jsenv e;
    env_open(&e);
    expect(&e,
           "var sab = new SharedArrayBuffer(16), i32 = new Int32Array(sab);"
           "$262.agent.start(`$262.agent.receiveBroadcast(function (sab) {"
           "  var a = new Int32Array(sab); Atomics.store(a, 1, 1); Atomics.wait(a, 0, 0); });`);"
           "$262.agent.broadcast(sab);"
           "$262.agent.start(`while (true) {}`);"
           "while (Atomics.load(i32, 1) !== 1) $262.agent.sleep(1); 'parked'", "parked");
    uint64_t t0 = jscl_now_ns();
    env_close(&e);
    ck_assert_uint_lt(jscl_now_ns() - t0, (uint64_t)3000000000u);
}
END_TEST

/* An agent that fails to start its script must not block broadcast. */
START_TEST(bad_agent_source)
{
    jsenv e;
    env_open(&e);
    expect(&e, "$262.agent.start('(');"
               "$262.agent.broadcast(new SharedArrayBuffer(4));"
               "String($262.agent.getReport())", "null");
    env_close(&e);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("agents");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, start_and_join);
    tcase_add_test(tc, notify_fifo_and_counts);
    tcase_add_test(tc, reports_are_copied);
    tcase_add_test(tc, wait_results);
    tcase_add_test(tc, agents_wait_notify);
    tcase_add_test(tc, agents_counter);
    tcase_add_test(tc, teardown_parked);
    tcase_add_test(tc, bad_agent_source);
    suite_add_tcase(s, tc);
    return jsetest_run(s);
}
