/*
 * gc.h - the tracing, non-moving mark-sweep collector: allocation through the
 * per-thread allocation context, roots, tracing, weak references and ephemerons.
 * Only gc.c touches gcbits and the heap's block lists; cell owners only trace.
 * Thread rules: a heap belongs to one runtime; collection runs on a thread that
 * holds the runtime (Layer A: its only thread; Layer B: under the GIL, all other
 * threads stopped at a safepoint).
 */
#ifndef JSE_CORE_GC_H
#define JSE_CORE_GC_H

#include "value.h"

struct js_runtime;
struct js_thread;
typedef struct js_gc_tracer js_gc_tracer;

/*
 * Allocate a zeroed cell of `size` bytes with header type `type`. May collect
 * first. On out-of-memory sets a pending RangeError-like "out of memory"
 * exception on `t` and returns NULL. The cell is not reachable from anything
 * yet: it stays alive while a pointer to it sits on the C stack or in a register
 * (conservative scan) or once it is stored into a traced cell or root.
 */
void *jsgc_alloc(struct js_thread *t, size_t size, unsigned type);

/* Extra malloc-ed memory owned by cells (slot arrays, element arrays, string
 * buffers) goes through these so the collector can pace itself and the memory
 * limit applies. jsgc_malloc sets an out-of-memory exception and returns NULL on
 * failure. */
void *jsgc_malloc(struct js_thread *t, size_t size);
void *jsgc_realloc(struct js_thread *t, void *p, size_t old_size, size_t new_size);
void jsgc_free(struct js_runtime *rt, void *p, size_t size);

/* Marking, called from trace hooks. */
void jsgc_mark_value(js_gc_tracer *trc, jsv v);
void jsgc_mark_cell(js_gc_tracer *trc, const void *cell);   /* NULL allowed */
static inline void jsgc_mark_values(js_gc_tracer *trc, const jsv *v, size_t n) {
    for (size_t i = 0; i < n; i++)
        if (jsv_is_gc(v[i])) jsgc_mark_cell(trc, jsv_get_ptr(v[i]));
}

/* During the weak phases: has this cell been marked (is it live)? Non-GC values
 * and NULL count as live. */
int jsgc_is_live(const void *cell);
int jsgc_value_is_live(jsv v);

/* Precise roots outside the heap (e.g. values held by an embedder's C data).
 * The slot must stay valid until removed. */
int jsgc_add_root(struct js_runtime *rt, jsv *slot);
void jsgc_remove_root(struct js_runtime *rt, jsv *slot);

/* Run a full collection now. */
void jsgc_collect(struct js_runtime *rt);

/*
 * Generic internal cell (JS_CELL_INTERNAL) for data structures that need no
 * dedicated cell type: the ops table is static const in the owning module.
 */
typedef struct js_internal_ops {
    const char *name;
    void (*trace)(js_gc_tracer *trc, void *cell);
    void (*finalize)(struct js_runtime *rt, void *cell);
} js_internal_ops;

typedef struct js_internal {
    js_cell h;
    const js_internal_ops *ops;
} js_internal;

/* Heap set-up, called by runtime.c only. */
int jsgc_init(struct js_runtime *rt);
void jsgc_destroy(struct js_runtime *rt);
/* Called at the start of each thread's use of a runtime: records the stack base
 * for the conservative scan. */
void jsgc_thread_attach(struct js_thread *t, void *stack_base);

/* Statistics for tests and jsrun --gc-stats. */
typedef struct js_gc_stats {
    size_t heap_bytes;      /* bytes in cells currently allocated */
    size_t malloc_bytes;    /* bytes accounted through jsgc_malloc */
    size_t collections;
    size_t cells_live;
} js_gc_stats;
void jsgc_get_stats(struct js_runtime *rt, js_gc_stats *out);

/*
 * Weak references and ephemerons. A registered cell (WeakMap, WeakSet, WeakRef,
 * FinalizationRegistry, ...) must not mark its weak referents from its trace
 * hook. After strong marking the collector calls, on every registered cell
 * that is live:
 *   mark_ephemerons  repeatedly until no call marks anything new; it marks what
 *                    its live keys keep alive (jsgc_is_live / jsgc_mark_*) and
 *                    returns how many cells it newly marked (NULL: none).
 *   sweep            once marking is over and before any memory is freed: drop
 *                    entries whose referents are dead (jsgc_is_live still valid;
 *                    no allocation, no GC).
 *   after_gc         once the collection is over, with GC disabled: allocation
 *                    allowed (e.g. to enqueue FinalizationRegistry cleanup jobs).
 * Dead registered cells are dropped from the registry (their finalizer runs as
 * usual). Registering twice registers twice. -1 + OOM exception on failure.
 */
typedef struct js_weak_ops {
    int (*mark_ephemerons)(js_gc_tracer *trc, void *cell);
    void (*sweep)(struct js_runtime *rt, void *cell);
    void (*after_gc)(struct js_thread *t, void *cell);
} js_weak_ops;
int jsgc_register_weak(struct js_thread *t, void *cell, const js_weak_ops *ops);

/* A "no GC" window: while the counter is non-zero no collection starts
 * (allocation still works and only grows the heap). Calls nest. */
void jsgc_disable(struct js_runtime *rt);
void jsgc_enable(struct js_runtime *rt);

/* Called when a thread stops using a runtime (runtime.c): frees its
 * allocation context. */
void jsgc_thread_detach(struct js_thread *t);

/*
 * Rules the collector relies on (gc.c):
 * - Collections start only inside jsgc_alloc (pacing, zeal) and inside
 *   jsgc_malloc/jsgc_realloc when the memory limit would be exceeded, or in
 *   jsgc_collect. jsgc_malloc bytes count towards the pacing threshold.
 * - Finalizers run for every dead cell before any dead cell's memory is
 *   reused, so a finalizer may still read fields of other dead cells, but not
 *   memory those cells' own finalizers free. Finalizers must not allocate,
 *   throw or resurrect.
 * - Trace hooks must accept a freshly allocated cell (all zero but the header),
 *   since the conservative scan can find it before its fields are set.
 */

/* Debugging: with the environment variable JSE_GC_ZEAL=N set when a runtime
 * is created, its heap collects every N cell allocations (N=1: every one), to
 * expose cells kept only in untraced memory across an allocation. */

/* Is p (any address, interior pointers included) inside an allocated cell of
 * rt's heap? Returns the cell or NULL. For assertions and debugging tools. */
void *jsgc_find_cell(struct js_runtime *rt, const void *p);

#endif
