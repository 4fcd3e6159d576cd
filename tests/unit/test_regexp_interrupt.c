/*
 * test_regexp_interrupt.c - a runaway RegExp (/(a*)*b/ on 40 a's, which
 * backtracks for ever) is stopped within 100 ms of a termination request
 * made from another thread, through the public API, and the runtime stays
 * usable afterwards.
 */
#include <check.h>
#include "check_main.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jsengine.h>

typedef struct killer { jse_runtime *rt; double requested; } killer;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *kill_later(void *arg)
{
    killer *k = arg;
    usleep(200000);
    k->requested = now();
    jse_runtime_terminate(k->rt);
    return NULL;
}

START_TEST(test_runaway_regexp_is_stopped)
{
    jse_runtime *rt = jse_runtime_new(NULL);
    jse_context *ctx = jse_context_new(rt);
    ck_assert_ptr_nonnull(ctx);
    for (int round = 0; round < 3; round++) {
        killer k = { rt, 0 };
        pthread_t th;
        ck_assert_int_eq(pthread_create(&th, NULL, kill_later, &k), 0);
        const char *src = "/(a*)*b/.test('a'.repeat(40))";
        int rc = jse_eval(ctx, src, strlen(src), "runaway.js", JSE_EVAL_SCRIPT, NULL);
        double stopped = now();
        pthread_join(th, NULL);
        ck_assert_int_eq(rc, JSE_EXCEPTION);
        jse_get_exception(ctx);
        ck_assert_msg(stopped - k.requested < 0.100, "stopped %.1f ms after the request",
                      (stopped - k.requested) * 1e3);
        jse_value r;
        ck_assert_int_eq(jse_eval(ctx, "6*7", 3, "after.js", JSE_EVAL_SCRIPT, &r), JSE_OK);
        double d;
        ck_assert_int_eq(jse_to_number(ctx, r, &d), JSE_OK);
        ck_assert(d == 42);
    }
    jse_context_free(ctx);
    jse_runtime_free(rt);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("regexp_interrupt");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_runaway_regexp_is_stopped);
    suite_add_tcase(s, tc);
    return jsetest_run(s);
}
