/*
 * test_gc.c - unit tests of the collector (lib/core/gc.c) through internal
 * cells only, so they run against the real library or against the three heap
 * files plus tests/unit/stubs_heap.c.
 */
#include <check.h>
#include "check_main.h"
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "core/runtime.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define JSE_TEST_ASAN 1
#endif
#endif
#ifndef JSE_TEST_ASAN
#define JSE_TEST_ASAN 0
#endif

/* Test cells: two traced value slots, a magic word, a finalizer counter. */
typedef struct tcell {
    js_internal base;
    jsv slot[2];
    uint64_t magic;
    int *finalized;
} tcell;

#define MAGIC 0x5AFEC0DE12345678ull

static void tcell_trace(js_gc_tracer *trc, void *cell)
{
    tcell *c = cell;
    jsgc_mark_values(trc, c->slot, 2);
}

static void tcell_finalize(js_runtime *rt, void *cell)
{
    tcell *c = cell;
    if (c->finalized) (*c->finalized)++;
    c->magic = 0;
}

static const js_internal_ops tcell_ops = { "tcell", tcell_trace, tcell_finalize };

static tcell *tcell_new_sized(js_thread *t, int *counter, size_t size)
{
    tcell *c = jsgc_alloc(t, size, JS_CELL_INTERNAL);
    if (!c) return NULL;
    c->base.ops = &tcell_ops;
    c->slot[0] = c->slot[1] = JSV_UNDEFINED;
    c->magic = MAGIC;
    c->finalized = counter;
    return c;
}

static tcell *tcell_new(js_thread *t, int *counter)
{
    return tcell_new_sized(t, counter, sizeof(tcell));
}

/* Overwrite dead stack so stale pointers from earlier calls don't look live. */
__attribute__((noinline)) static void scrub_stack(void)
{
    char buf[32768];
    memset(buf, 0, sizeof buf);
    /* Keep the stores: buf is otherwise dead. */
    __asm__ volatile("" : : "r"(buf) : "memory");
}

/* A macro, not a function: the scrub must run from the caller's frame so
 * that the collector's own frames land on zeroed stack (their unwritten
 * padding would otherwise keep stale pointers). */
#define collect_clean(rt) (scrub_stack(), jsgc_collect(rt))

static js_runtime *rt_new(size_t limit)
{
    js_runtime_options o = { 0 };
    o.memory_limit = limit;
    js_runtime *rt = jsrt_new(&o);
    ck_assert_ptr_nonnull(rt);
    return rt;
}

__attribute__((noinline)) static void alloc_garbage(js_thread *t, int *counter, int n)
{
    /* ck_assert in hot loops costs a write(2) each: test, then fail. */
    for (int i = 0; i < n; i++)
        if (!tcell_new(t, counter)) ck_abort_msg("allocation failed");
}

START_TEST(test_unreachable_freed)
{
    js_runtime *rt = rt_new(0);
    js_thread *t = jsrt_thread(rt);
    int fin = 0;
    js_gc_stats before, after;
    jsgc_get_stats(rt, &before);
    alloc_garbage(t, &fin, 10000);
    collect_clean(rt);
    jsgc_get_stats(rt, &after);
    /* Conservative scanning may retain a stray cell or two, never more. */
    ck_assert_int_ge(fin, 10000 - 4);
    ck_assert_uint_le(after.cells_live, before.cells_live + 4);
    ck_assert_uint_ge(after.collections, 1);
    jsrt_free(rt);
}
END_TEST

START_TEST(test_c_local_survives)
{
    js_runtime *rt = rt_new(0);
    js_thread *t = jsrt_thread(rt);
    int fin = 0;
    tcell *volatile keep = tcell_new(t, &fin);
    /* Only an interior pointer, and one with a value tag. */
    volatile uintptr_t interior = (uintptr_t)tcell_new(t, &fin) + 20;
    volatile jsv tagged = jsv_cell(tcell_new(t, &fin));
    alloc_garbage(t, NULL, 5000);
    collect_clean(rt);
    ck_assert_int_eq(fin, 0);
    ck_assert(keep->magic == MAGIC);
    ck_assert(((tcell *)(interior - 20))->magic == MAGIC);
    ck_assert(((tcell *)jsv_get_ptr(tagged))->magic == MAGIC);
    ck_assert_ptr_eq(jsgc_find_cell(rt, (void *)interior), (void *)(interior - 20));
    /* Addresses outside the heap, and free cells, are not cells. */
    int local;
    void *m = malloc(64);
    ck_assert_ptr_null(jsgc_find_cell(rt, &local));
    ck_assert_ptr_null(jsgc_find_cell(rt, m));
    ck_assert_ptr_null(jsgc_find_cell(rt, NULL));
    free(m);
    jsrt_free(rt);
    /* Teardown finalizes everything. */
    ck_assert_int_eq(fin, 3);
}
END_TEST

/* Builds a rooted chain of n cells: a graph far deeper than the C stack. */
__attribute__((noinline)) static void build_chain(js_thread *t, jsv *root, int *counter, int n)
{
    for (int i = 0; i < n; i++) {
        tcell *c = tcell_new(t, counter);
        if (!c) ck_abort_msg("allocation failed");
        c->slot[0] = *root;
        *root = jsv_cell(c);
    }
}

/* Walks a chain checking every cell; in its own frame so that no pointer
 * into the chain outlives the walk. */
__attribute__((noinline)) static int chain_length(jsv v)
{
    int n = 0;
    for (; jsv_is_cell(v); v = ((tcell *)jsv_get_ptr(v))->slot[0]) {
        if (((tcell *)jsv_get_ptr(v))->magic != MAGIC) ck_abort_msg("cell clobbered");
        n++;
    }
    return n;
}

/* Builds, checks and unroots the chain in its own frame: the caller then
 * holds no pointer into it, not even a stale one. */
__attribute__((noinline)) static void deep_graph_phase(js_runtime *rt, int *fin)
{
    static jsv root;   /* a slot outside the C stack */
    root = JSV_UNDEFINED;
    ck_assert_int_eq(jsgc_add_root(rt, &root), 0);
    build_chain(jsrt_thread(rt), &root, fin, 300000);
    collect_clean(rt);
    ck_assert_int_eq(*fin, 0);
    ck_assert_int_eq(chain_length(root), 300000);
    jsgc_remove_root(rt, &root);
    root = JSV_UNDEFINED;
}

START_TEST(test_roots_and_deep_graph)
{
    js_runtime *rt = rt_new(0);
    int fin = 0;
    deep_graph_phase(rt, &fin);
    collect_clean(rt);
    ck_assert_int_ge(fin, 300000 - 4);
    jsrt_free(rt);
}
END_TEST

START_TEST(test_large_cells)
{
    js_runtime *rt = rt_new(0);
    js_thread *t = jsrt_thread(rt);
    int fin = 0;
    tcell *volatile big = tcell_new_sized(t, &fin, 200000);
    ck_assert_ptr_nonnull(big);
    volatile uintptr_t inside = (uintptr_t)big + 150000;
    big = NULL;
    for (int i = 0; i < 50; i++) ck_assert_ptr_nonnull(tcell_new_sized(t, &fin, 100000));
    collect_clean(rt);
    tcell *b = (tcell *)jsgc_find_cell(rt, (void *)inside);
    ck_assert_ptr_nonnull(b);
    ck_assert(b->magic == MAGIC);
    ck_assert_int_ge(fin, 50 - 2);
    ck_assert_int_le(fin, 50);
    jsrt_free(rt);
}
END_TEST

/* A wide cell: n traced slots (a large cell), to grow the mark stack. */
typedef struct twide {
    js_internal base;
    size_t n;
    jsv slot[];
} twide;

static void twide_trace(js_gc_tracer *trc, void *cell)
{
    twide *w = cell;
    jsgc_mark_values(trc, w->slot, w->n);
}

static const js_internal_ops twide_ops = { "twide", twide_trace, NULL };

__attribute__((noinline)) static void wide_phase(js_runtime *rt, int *fin, size_t n)
{
    js_thread *t = jsrt_thread(rt);
    static jsv root;
    twide *w = jsgc_alloc(t, sizeof(twide) + n * sizeof(jsv), JS_CELL_INTERNAL);
    ck_assert_ptr_nonnull(w);
    w->base.ops = &twide_ops;
    root = jsv_cell(w);
    jsgc_add_root(rt, &root);
    w->n = n;
    for (size_t i = 0; i < n; i++) {
        tcell *c = tcell_new(t, fin);
        if (!c) ck_abort_msg("allocation failed");
        w->slot[i] = jsv_cell(c);
    }
    collect_clean(rt);
    ck_assert_int_eq(*fin, 0);
    for (size_t i = 0; i < n; i++)
        if (((tcell *)jsv_get_ptr(w->slot[i]))->magic != MAGIC) ck_abort_msg("cell clobbered");
    /* Empty it too: a stale pointer to the big cell must not pin 500000. */
    w->n = 0;
    jsgc_remove_root(rt, &root);
    root = JSV_UNDEFINED;
}

START_TEST(test_wide_graph)
{
    js_runtime *rt = rt_new(0);
    int fin = 0;
    wide_phase(rt, &fin, 500000);
    collect_clean(rt);
    ck_assert_int_ge(fin, 500000 - 4);
    jsrt_free(rt);
}
END_TEST

/* A toy WeakMap with one entry, as an ephemeron. */
typedef struct tweak {
    js_internal base;
    jsv key, value;
    int swept, after;
} tweak;

static void tweak_trace(js_gc_tracer *trc, void *cell) { (void)trc; (void)cell; }

static int tweak_mark(js_gc_tracer *trc, void *cell)
{
    tweak *w = cell;
    if (jsv_is_gc(w->key) && jsgc_value_is_live(w->key) && !jsgc_value_is_live(w->value)) {
        jsgc_mark_value(trc, w->value);
        return 1;
    }
    return 0;
}

static void tweak_sweep(js_runtime *rt, void *cell)
{
    tweak *w = cell;
    w->swept++;
    if (!jsgc_value_is_live(w->key)) w->key = w->value = JSV_UNDEFINED;
}

static void tweak_after(js_thread *t, void *cell)
{
    tweak *w = cell;
    w->after++;
    /* Allocation is allowed here. */
    ck_assert_ptr_nonnull(tcell_new(t, NULL));
}

static const js_internal_ops tweak_iops = { "tweak", tweak_trace, NULL };
static const js_weak_ops tweak_wops = { tweak_mark, tweak_sweep, tweak_after };

__attribute__((noinline)) static void make_pair(js_thread *t, tweak *w, int *fin, jsv *keep_key)
{
    tcell *k = tcell_new(t, fin);
    tcell *v = tcell_new(t, fin);
    w->key = jsv_cell(k);
    w->value = jsv_cell(v);
    if (keep_key) *keep_key = jsv_cell(k);
}

/* Each phase runs in its own frame so that no pointer it loaded lingers in
 * the caller's registers or stack slots during the next collection. */
__attribute__((noinline)) static void weak_phase_alive(js_runtime *rt, tweak *w, int *fin, jsv *key_root)
{
    make_pair(jsrt_thread(rt), w, fin, key_root);
    collect_clean(rt);
    ck_assert_int_eq(*fin, 0);
    ck_assert(jsv_is_cell(w->key));
    ck_assert(((tcell *)jsv_get_ptr(w->value))->magic == MAGIC);
    ck_assert_int_eq(w->swept, 1);
    ck_assert_int_eq(w->after, 1);
}

START_TEST(test_weak_ephemeron)
{
    js_runtime *rt = rt_new(0);
    js_thread *t = jsrt_thread(rt);
    int fin = 0;
    static jsv wroot, key_root;
    tweak *w = jsgc_alloc(t, sizeof(tweak), JS_CELL_INTERNAL);
    w->base.ops = &tweak_iops;
    w->key = w->value = JSV_UNDEFINED;
    wroot = jsv_cell(w);
    jsgc_add_root(rt, &wroot);
    ck_assert_int_eq(jsgc_register_weak(t, w, &tweak_wops), 0);

    /* Key alive: the value survives through the ephemeron. */
    key_root = JSV_UNDEFINED;
    jsgc_add_root(rt, &key_root);
    weak_phase_alive(rt, w, &fin, &key_root);

    /* Key dead: both go, the entry is cleared. */
    key_root = JSV_UNDEFINED;
    collect_clean(rt);
    ck_assert_int_ge(fin, 2);
    ck_assert(w->key == JSV_UNDEFINED);
    ck_assert_int_eq(w->swept, 2);

    /* A dead registered cell leaves the registry. */
    jsgc_remove_root(rt, &wroot);
    jsgc_remove_root(rt, &key_root);
    wroot = JSV_UNDEFINED;
    w = NULL;
    collect_clean(rt);
    collect_clean(rt);   /* would crash if the dead cell were still called */
    jsrt_free(rt);
}
END_TEST

/* Chained ephemerons: key1 -> value1 == key2 -> value2 needs the fixpoint. */
START_TEST(test_weak_chain)
{
    js_runtime *rt = rt_new(0);
    js_thread *t = jsrt_thread(rt);
    int fin = 0;
    static jsv roots[3];
    tweak *w1 = jsgc_alloc(t, sizeof(tweak), JS_CELL_INTERNAL);
    tweak *w2 = jsgc_alloc(t, sizeof(tweak), JS_CELL_INTERNAL);
    w1->base.ops = w2->base.ops = &tweak_iops;
    roots[0] = jsv_cell(w1);
    roots[1] = jsv_cell(w2);
    jsgc_add_root(rt, &roots[0]);
    jsgc_add_root(rt, &roots[1]);
    /* Registered in the order that needs a second pass. */
    jsgc_register_weak(t, w2, &tweak_wops);
    jsgc_register_weak(t, w1, &tweak_wops);
    tcell *k = tcell_new(t, &fin), *mid = tcell_new(t, &fin), *end = tcell_new(t, &fin);
    w1->key = jsv_cell(k);
    w1->value = jsv_cell(mid);
    w2->key = jsv_cell(mid);
    w2->value = jsv_cell(end);
    roots[2] = jsv_cell(k);
    jsgc_add_root(rt, &roots[2]);
    k = mid = end = NULL;
    collect_clean(rt);
    ck_assert_int_eq(fin, 0);
    ck_assert(((tcell *)jsv_get_ptr(w2->value))->magic == MAGIC);
    jsrt_free(rt);
}
END_TEST

START_TEST(test_disable_window)
{
    js_runtime *rt = rt_new(0);
    js_thread *t = jsrt_thread(rt);
    js_gc_stats s0, s1;
    jsgc_get_stats(rt, &s0);
    jsgc_disable(rt);
    jsgc_collect(rt);
    alloc_garbage(t, NULL, 400000);   /* ~25 MB: past the threshold */
    jsgc_get_stats(rt, &s1);
    ck_assert_uint_eq(s0.collections, s1.collections);
    jsgc_enable(rt);
    alloc_garbage(t, NULL, 1000);
    alloc_garbage(t, NULL, 200000);
    jsgc_get_stats(rt, &s1);
    ck_assert_uint_gt(s1.collections, s0.collections);
    jsrt_free(rt);
}
END_TEST

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, rss = 0;
    if (!f) return 0;
    if (fscanf(f, "%ld %ld", &pages, &rss) != 2) rss = 0;
    fclose(f);
    return rss * 4;
}

/* 2 GB of short-lived cells of mixed sizes stay within a small footprint. */
START_TEST(test_pacing_bounded)
{
    js_runtime *rt = rt_new(0);
    js_thread *t = jsrt_thread(rt);
    long base = rss_kb(), peak = 0;
    size_t total = 0;
    static const size_t sizes[] = { 48, 64, 96, 200, 1000, 20000 };
    for (int round = 0; total < ((size_t)2 << 30); round++) {
        for (int i = 0; i < 10000; i++) {
            size_t sz = sizes[(i + round) % 6];
            if (!tcell_new_sized(t, NULL, sz)) ck_abort_msg("allocation failed");
            total += sz;
        }
        long r = rss_kb();
        if (r > peak) peak = r;
    }
    js_gc_stats st;
    jsgc_get_stats(rt, &st);
    ck_assert_uint_gt(st.collections, 10);
    /* ASan's quarantine holds freed large cells: RSS says nothing there. */
#if !defined(__SANITIZE_ADDRESS__) && !JSE_TEST_ASAN
    ck_assert_int_lt(peak - base, 100 * 1024);
#else
    (void)peak;
    (void)base;
#endif
    jsrt_free(rt);
}
END_TEST

__attribute__((noinline)) static size_t fill_to_limit(js_thread *t, jsv *root)
{
    size_t n = 0;
    for (;;) {
        tcell *c = tcell_new_sized(t, NULL, 1000);
        if (!c) break;
        c->slot[0] = *root;
        *root = jsv_cell(c);
        if (++n >= 100000) ck_abort_msg("limit not enforced");
    }
    return n;
}

START_TEST(test_memory_limit)
{
    js_runtime *rt = rt_new(32u << 20);
    js_thread *t = jsrt_thread(rt);
    static jsv root;
    root = JSV_UNDEFINED;
    jsgc_add_root(rt, &root);
    size_t n = fill_to_limit(t, &root);
    ck_assert(t->has_exception);
    t->has_exception = 0;
    ck_assert_uint_gt(n, 10000);
    /* jsgc_malloc honours the limit too. */
    ck_assert_ptr_null(jsgc_malloc(t, 64u << 20));
    ck_assert(t->has_exception);
    t->has_exception = 0;
    /* After releasing the chain, allocation works again. */
    root = JSV_UNDEFINED;
    collect_clean(rt);
    ck_assert_ptr_nonnull(tcell_new_sized(t, NULL, 1000));
    void *p = jsgc_malloc(t, 1 << 20);
    ck_assert_ptr_nonnull(p);
    js_gc_stats st;
    jsgc_get_stats(rt, &st);
    ck_assert_uint_ge(st.malloc_bytes, 1 << 20);
    jsgc_free(rt, p, 1 << 20);
    jsrt_free(rt);
}
END_TEST

/* Absurd sizes (overflowed arithmetic in a caller) fail cleanly. */
START_TEST(test_huge_requests)
{
    js_runtime *rt = rt_new(0);
    js_thread *t = jsrt_thread(rt);
    ck_assert_ptr_null(jsgc_alloc(t, SIZE_MAX - 8, JS_CELL_INTERNAL));
    ck_assert(t->has_exception);
    t->has_exception = 0;
    ck_assert_ptr_null(jsgc_malloc(t, SIZE_MAX / 2));
    ck_assert(t->has_exception);
    t->has_exception = 0;
    js_gc_stats st0, st;
    jsgc_get_stats(rt, &st0);
    void *p = jsgc_malloc(t, 16);
    ck_assert_ptr_nonnull(p);
    ck_assert_ptr_null(jsgc_realloc(t, p, 16, SIZE_MAX / 2));
    ck_assert(t->has_exception);
    t->has_exception = 0;
    jsgc_free(rt, p, 16);   /* the old block is untouched by a failed realloc */
    jsgc_get_stats(rt, &st);
    ck_assert_uint_eq(st.malloc_bytes, st0.malloc_bytes);
    jsrt_free(rt);

    rt = rt_new(8u << 20);
    t = jsrt_thread(rt);
    ck_assert_ptr_null(jsgc_malloc(t, SIZE_MAX - 100));
    ck_assert(t->has_exception);
    jsrt_free(rt);
}
END_TEST

static jsv job_fn(js_thread *t, int argc, jsv *argv)
{
    int *log = (int *)jsv_get_ptr(argv[0]);
    log[log[0] + 1] = jsv_get_int(argv[1]);
    log[0]++;
    if (jsv_get_int(argv[1]) == 2) {
        jsv a[2] = { argv[0], jsv_from_int(9) };
        ck_assert_int_eq(jsrt_enqueue_job(t, job_fn, 2, a), 0);
    }
    return JSV_UNDEFINED;
}

START_TEST(test_jobs_fifo)
{
    js_runtime *rt = rt_new(0);
    js_thread *t = jsrt_thread(rt);
    int log[8] = { 0 };
    ck_assert(!jsrt_has_jobs(t));
    for (int i = 1; i <= 3; i++) {
        /* a raw pointer in a double-tagged slot: not a GC value */
        jsv a[2] = { (jsv)(uintptr_t)log, jsv_from_int(i) };
        ck_assert_int_eq(jsrt_enqueue_job(t, job_fn, 2, a), 0);
    }
    ck_assert(jsrt_has_jobs(t));
    ck_assert_int_eq(jsrt_run_jobs(t), 0);
    ck_assert_int_eq(log[0], 4);
    ck_assert_int_eq(log[1], 1);
    ck_assert_int_eq(log[2], 2);
    ck_assert_int_eq(log[3], 3);
    ck_assert_int_eq(log[4], 9);
    ck_assert(!jsrt_has_jobs(t));
    jsrt_free(rt);
}
END_TEST

START_TEST(test_realm_cells)
{
    js_runtime *rt = rt_new(0);
    js_thread *t = jsrt_thread(rt);
    js_realm *r = jsrt_realm_new(t);
    ck_assert_ptr_nonnull(r);
    ck_assert_ptr_eq(t->realm, r);
    ck_assert(jsv_is_object(r->intrinsics[JS_INTR_ObjectPrototype]));
    ck_assert(jsv_is_object(r->intrinsics[JS_INTR_FunctionPrototype]));
    ck_assert(r->global_this == jsv_object(r->global));
    collect_clean(rt);
    ck_assert_int_eq(r->h.type, JS_CELL_REALM);
    ck_assert_int_eq(r->global->h.type, JS_CELL_OBJECT);
    js_realm *r2 = jsrt_realm_new(t);
    ck_assert_ptr_eq(t->realm, r);   /* the current realm stays */
    ck_assert_ptr_eq(rt->realms, r2);
    jsrt_realm_release(r2);
    ck_assert_ptr_eq(rt->realms, r);
    jsrt_free(rt);
}
END_TEST

static Suite *gc_suite(void)
{
    Suite *s = suite_create("gc");
    TCase *tc = tcase_create("core");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_unreachable_freed);
    tcase_add_test(tc, test_c_local_survives);
    tcase_add_test(tc, test_roots_and_deep_graph);
    tcase_add_test(tc, test_large_cells);
    tcase_add_test(tc, test_wide_graph);
    tcase_add_test(tc, test_weak_ephemeron);
    tcase_add_test(tc, test_weak_chain);
    tcase_add_test(tc, test_disable_window);
    tcase_add_test(tc, test_pacing_bounded);
    tcase_add_test(tc, test_memory_limit);
    tcase_add_test(tc, test_huge_requests);
    tcase_add_test(tc, test_jobs_fifo);
    tcase_add_test(tc, test_realm_cells);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return jsetest_run(gc_suite());
}
