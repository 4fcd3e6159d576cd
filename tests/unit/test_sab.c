/*
 * test_sab.c - lib/threads/sab.c: shared storage lifetime, growth by CAS and
 * the atomic operations Atomics.* uses, raced from several threads. Links
 * sab.c alone; must stay clean under -fsanitize=thread.
 */
#include <check.h>
#include "check_main.h"
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "threads/sab.h"

/* Increments per thread; JSE_TEST_QUICK=1 (make check-helgrind, check-drd)
 * takes a hundredth, which Valgrind's serialised threads can afford. */
static int n_increments = 1000000;

typedef struct worker_arg {
    jssab_storage *s;
    size_t offset;
    int size;
} worker_arg;

static void *incrementer(void *p)
{
    worker_arg *a = p;
    jssab_retain(a->s);   /* each "runtime" holds its own reference */
    for (int i = 0; i < n_increments; i++)
        jssab_atomic_rmw(a->s->data + a->offset, a->size, JSSAB_ADD, 1);
    jssab_release(a->s);
    return NULL;
}

static void race_increments(int size)
{
    jssab_storage *s = jssab_new(64, 64, 1);
    pthread_t th[2];
    worker_arg a = { s, 8, size };
    ck_assert_ptr_nonnull(s);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, incrementer, &a), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    uint64_t total = jssab_atomic_load(s->data + 8, size);
    uint64_t mask = size == 8 ? ~(uint64_t)0 : (((uint64_t)1 << (size * 8)) - 1);
    ck_assert_uint_eq(total, (uint64_t)(2 * n_increments) & mask);
    jssab_release(s);
}

START_TEST(two_threads_add_32)
{
    race_increments(4);
}
END_TEST

START_TEST(two_threads_add_64)
{
    race_increments(8);
}
END_TEST

static void *cas_incrementer(void *p)
{
    worker_arg *a = p;
    for (int i = 0; i < n_increments / 4; i++) {
        uint64_t old = jssab_atomic_load(a->s->data, 4), seen;
        while ((seen = jssab_atomic_cmpxchg(a->s->data, 4, old, old + 1)) != old)
            old = seen;
    }
    return NULL;
}

START_TEST(two_threads_compare_exchange)
{
    jssab_storage *s = jssab_new(8, 8, 1);
    pthread_t th[2];
    worker_arg a = { s, 0, 4 };
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, cas_incrementer, &a), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    ck_assert_uint_eq(jssab_atomic_load(s->data, 4), n_increments / 2);
    jssab_release(s);
}
END_TEST

START_TEST(rmw_results_and_widths)
{
    jssab_storage *s = jssab_new(16, 16, 0);
    uint8_t *p = s->data;
    ck_assert_uint_eq(jssab_atomic_rmw(p, 1, JSSAB_ADD, 255), 0);
    ck_assert_uint_eq(jssab_atomic_rmw(p, 1, JSSAB_ADD, 2), 255);   /* wraps at the element width */
    ck_assert_uint_eq(jssab_atomic_load(p, 1), 1);
    ck_assert_uint_eq(p[1], 0);                                      /* neighbours untouched */
    jssab_atomic_store(p + 4, 4, 0xF0F0F0F0u);
    ck_assert_uint_eq(jssab_atomic_rmw(p + 4, 4, JSSAB_AND, 0xFF00FF00u), 0xF0F0F0F0u);
    ck_assert_uint_eq(jssab_atomic_rmw(p + 4, 4, JSSAB_OR, 0x1), 0xF000F000u);
    ck_assert_uint_eq(jssab_atomic_rmw(p + 4, 4, JSSAB_XOR, 0xFFFFFFFFu), 0xF000F001u);
    ck_assert_uint_eq(jssab_atomic_rmw(p + 4, 4, JSSAB_SUB, 1), 0x0FFF0FFEu);
    ck_assert_uint_eq(jssab_atomic_rmw(p + 4, 4, JSSAB_XCHG, 7), 0x0FFF0FFDu);
    ck_assert_uint_eq(jssab_atomic_cmpxchg(p + 8, 8, 0, 42), 0);
    ck_assert_uint_eq(jssab_atomic_cmpxchg(p + 8, 8, 0, 43), 42);    /* mismatch: no store */
    ck_assert_uint_eq(jssab_atomic_load(p + 8, 8), 42);
    jssab_release(s);
}
END_TEST

static void *grower(void *p)
{
    jssab_storage *s = p;
    for (size_t n = 0; n <= 4096; n += 16)
        jssab_grow(s, n);   /* may lose races: the length only ever grows */
    return NULL;
}

START_TEST(grow_is_monotonic)
{
    jssab_storage *s = jssab_new(0, 4096, 1);
    pthread_t th[2];
    ck_assert_int_eq(jssab_grow(s, 4097), -1);
    for (int i = 0; i < 2; i++)
        ck_assert_int_eq(pthread_create(&th[i], NULL, grower, s), 0);
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    ck_assert_uint_eq(jssab_length(s), 4096);
    ck_assert_int_eq(jssab_grow(s, 100), -1);   /* shrinking refused */
    ck_assert_uint_eq(s->data[4095], 0);
    jssab_release(s);
}
END_TEST

START_TEST(large_reservation_and_resize)
{
    jssab_storage *s = jssab_new(16, (size_t)64 << 20, 0);
    ck_assert_ptr_nonnull(s);
    ck_assert_int_eq(s->mapped, 1);
    s->data[10] = 5;
    jssab_set_length(s, 8);
    jssab_set_length(s, 16);
    ck_assert_uint_eq(s->data[10], 0);   /* bytes past a shrink read as zero after growing */
    ck_assert_ptr_null(jssab_new(10, 5, 0));
    jssab_release(s);
}
END_TEST

int main(void)
{
    const char *quick = getenv("JSE_TEST_QUICK");
    if (quick && *quick && strcmp(quick, "0"))
        n_increments /= 100;
    Suite *su = suite_create("sab");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, two_threads_add_32);
    tcase_add_test(tc, two_threads_add_64);
    tcase_add_test(tc, two_threads_compare_exchange);
    tcase_add_test(tc, rmw_results_and_widths);
    tcase_add_test(tc, grow_is_monotonic);
    tcase_add_test(tc, large_reservation_and_resize);
    suite_add_tcase(su, tc);
    return jsetest_run(su);
}
