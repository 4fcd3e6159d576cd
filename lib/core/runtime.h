/*
 * runtime.h - the runtime (one heap, atoms, shapes), the per-thread execution
 * state (js_thread) and realms with their intrinsics; the job queue.
 * runtime.c owns creation/destruction and the job queue; it never runs bytecode
 * itself (jobs are called through jsvm_call).
 * Thread rules: a js_runtime is affine to one OS thread (Layer A) or shared
 * under its GIL (Layer B). A js_thread is only ever touched by its own OS
 * thread, except `interrupt`, which any thread may set atomically.
 */
#ifndef JSE_CORE_RUNTIME_H
#define JSE_CORE_RUNTIME_H

#include <stdatomic.h>
#include <pthread.h>
#include "value.h"
#include "gc.h"
#include "string.h"
#include "object.h"

enum {
#define JS_INTRINSIC_DEF(id) JS_INTR_##id,
#include "intrinsics.def"
#undef JS_INTRINSIC_DEF
    JS_INTR_COUNT
};

typedef struct js_realm {
    js_cell h;                          /* JS_CELL_REALM */
    struct js_runtime *rt;
    js_object *global;                  /* the global object */
    jsv global_this;                    /* [[GlobalThisValue]] */
    void *global_env;                   /* the global lexical environment (vm owns the type) */
    jsv template_map;                   /* cached template objects (vm owns the structure) */
    jsv intrinsics[JS_INTR_COUNT];
    jsv host_defined;                   /* embedder / $262 data */
    void *opaque;                       /* public API: jse_context back pointer */
    struct js_realm *next;              /* runtime's list of realms */
} js_realm;

/* A job: call `fn(argc, argv)` later (PromiseReactionJob etc.). Traced as a root. */
typedef struct js_job {
    struct js_job *next;
    js_realm *realm;
    jsv (*fn)(struct js_thread *t, int argc, jsv *argv);
    int argc;
    jsv argv[];                          /* jsgc_malloc-ed with the job */
} js_job;

/* Interrupt word bits (js_thread.interrupt). */
#define JS_INTERRUPT_REQUEST   0x1   /* run the interrupt handler at the next poll */
#define JS_INTERRUPT_TERMINATE 0x2   /* unwind with an uncatchable termination */
#define JS_INTERRUPT_GC        0x4   /* collect at the next safepoint (Layer B) */
#define JS_INTERRUPT_YIELD     0x8   /* hand over the GIL (Layer B) */

typedef struct js_thread {
    struct js_runtime *rt;
    js_realm *realm;                    /* the current realm */
    /* Exception state: exception is meaningful only while has_exception. */
    jsv exception;
    int has_exception;
    int uncatchable;                    /* termination in progress: catch blocks do not run */
    /* VM state (vm owns these fields' meaning). */
    jsv *stack_base, *stack_top, *stack_limit;   /* the value stack */
    void *frame;                        /* the innermost VM frame */
    uint32_t call_depth;
    uint32_t max_call_depth;
    uintptr_t c_stack_limit;            /* lowest C stack address we may use */
    void *c_stack_base;                 /* for the conservative scan */
    _Atomic uint32_t interrupt;         /* JS_INTERRUPT_* */
    uint32_t poll_counter;              /* back-edges/calls until the next poll */
    /* The microtask (job) queue of this thread (ROADMAP: per thread). */
    js_job *jobs_head, *jobs_tail;
    /* The allocation context (gc.c private). */
    void *alloc;
    /* [[CanBlock]] of the agent this thread runs (Atomics.wait). */
    int can_block;
    pthread_t os_thread;
    struct js_thread *next;             /* runtime's list of threads */
    void *agent;                        /* Layer A agent record, or NULL */
    void *loop;                         /* host/loop.c: timers and keep-alive refs, or NULL */
    void *scratch;                      /* per-thread scratch owned by modules (see bindings.md) */
    uint64_t random_state[2];           /* Math.random xorshift128+ state (builtins/math.c); 0,0 = unseeded */
} js_thread;

typedef struct js_runtime_options {
    size_t memory_limit;                /* 0 = none */
    size_t stack_size;                  /* C stack bytes scripts may use; 0 = default */
    int threads_enabled;                /* Layer B */
} js_runtime_options;

typedef struct js_runtime {
    void *heap;                         /* gc.c private */
    void *atom_table;                   /* string.c private */
    js_string *atoms[JS_ATOM_COUNT];
    js_symbol *wk_symbols[JS_WKS_COUNT];
    void *symbol_registry;              /* Symbol.for table (builtins own the structure) */
    void *shape_cache;                  /* shape.c private: initial shapes per prototype */
    uint32_t proto_epoch;               /* shape.c: changes whenever an object used as a
                                           prototype changes shape; never 0 (inline caches) */
    js_realm *realms;
    js_thread *threads;
    js_thread *main_thread;
    pthread_t owner;                    /* affine thread (debug builds assert it at API entry) */
    js_runtime_options opts;
    /* Host hooks (set by the public API / tools). */
    int (*interrupt_handler)(struct js_runtime *rt, void *opaque);   /* non-zero: terminate */
    void *interrupt_opaque;
    void (*promise_rejection_tracker)(struct js_thread *t, jsv promise, int handled, void *opaque);
    void *rejection_opaque;
    void *module_loader;                /* vm/module.c private */
    void *tz_cache;                     /* builtins/temporal/tzdb.c private: parsed time zones (runtime-affine) */
    void (*tz_cache_free)(void *cache); /* set with tz_cache; jsrt_free calls it */
    void *opaque;                       /* public API: jse_runtime back pointer */
} js_runtime;

/* Creation and teardown (runtime.c). */
js_runtime *jsrt_new(const js_runtime_options *opts);
void jsrt_free(js_runtime *rt);
/* The calling OS thread's state for rt (creating it on first use only when
 * threads are enabled for rt; otherwise the main thread's state). */
js_thread *jsrt_thread(js_runtime *rt);
/* A realm with every intrinsic installed (calls jsbi_init_realm). NULL + exception on failure. */
js_realm *jsrt_realm_new(js_thread *t);

/* Jobs */
int jsrt_enqueue_job(js_thread *t, jsv (*fn)(js_thread *, int, jsv *), int argc, const jsv *argv);
/* Run jobs until the queue is empty. Returns 0, or -1 if a job threw (the
 * exception is left pending; the remaining jobs stay queued). */
int jsrt_run_jobs(js_thread *t);
int jsrt_has_jobs(js_thread *t);

/* Intrinsic access for the current realm. */
static inline jsv jsrt_intrinsic(js_thread *t, int id) { return t->realm->intrinsics[id]; }
static inline js_object *jsrt_intrinsic_obj(js_thread *t, int id) { return JSV_OBJ(t->realm->intrinsics[id]); }
static inline js_string *jsrt_atom(js_thread *t, int id) { return t->rt->atoms[id]; }
static inline jsv jsrt_atom_value(js_thread *t, int id) { return jsv_string(t->rt->atoms[id]); }

/* Called by gc.c: trace every root the runtime and its threads hold (not the C stacks). */
void jsrt_trace_roots(js_gc_tracer *trc, js_runtime *rt);

/* Unlinks realm from rt->realms (public API: jse_context_free). The realm
 * then lives only as long as something still references its cell. */
void jsrt_realm_release(js_realm *realm);

#endif
