/*
 * runtime.c - creation and teardown of a runtime and its main thread, realms
 * (the bare global object and the two root prototypes, before the builtins
 * modules fill in the rest), the per-thread job queue and the GC root set.
 * It never runs bytecode itself: jobs are plain C callbacks.
 */
#include <stdlib.h>
#include <string.h>
#include <assert.h>
#include <pthread.h>

#include "runtime.h"
#include "../vm/vm.h"
#include "../builtins/builtins.h"

/* C stack kept in reserve below c_stack_limit: room for native code that runs
 * without checking (libc, the collector's scan, error construction). */
#define STACK_SAFETY_MARGIN ((size_t)256 * 1024)
/* When the stack size can't be found: a conservative guess for a thread stack. */
#define STACK_FALLBACK_SIZE ((size_t)1024 * 1024)
/* Nested calls allowed before "Maximum call stack size exceeded". */
#define DEFAULT_MAX_CALL_DEPTH 10000
/* Jobs carry few arguments (PromiseReactionJob: 3); they are copied to the C
 * stack while the job runs so the conservative scan keeps them alive. */
#define JOB_MAX_ARGS 16

/* ---------------- threads ---------------- */

/* Base and size of the calling thread's stack; 0 when unknown. */
static void current_stack(uintptr_t *base, size_t *size)
{
    pthread_attr_t attr;
    void *addr = NULL;
    size_t sz = 0;
    *base = 0;
    *size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) != 0) return;
    if (pthread_attr_getstack(&attr, &addr, &sz) == 0 && addr) {
        *base = (uintptr_t)addr + sz;
        *size = sz;
    }
    pthread_attr_destroy(&attr);
}

static void set_stack_limit(js_thread *t, const js_runtime_options *opts)
{
    uintptr_t base;
    size_t size;
    current_stack(&base, &size);
    if (!base) {
        base = (uintptr_t)__builtin_frame_address(0);
        size = STACK_FALLBACK_SIZE;
    }
    size_t usable = size > 2 * STACK_SAFETY_MARGIN ? size - STACK_SAFETY_MARGIN : size / 2;
    if (opts->stack_size && opts->stack_size < usable) usable = opts->stack_size;
    t->c_stack_limit = base - usable;
}

static js_thread *thread_new(js_runtime *rt)
{
    js_thread *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->rt = rt;
    t->exception = JSV_UNDEFINED;
    t->max_call_depth = DEFAULT_MAX_CALL_DEPTH;
    t->can_block = 1;
    t->os_thread = pthread_self();
    atomic_init(&t->interrupt, 0);
    set_stack_limit(t, &rt->opts);
    jsgc_thread_attach(t, NULL);
    if (!t->alloc) {
        free(t);
        return NULL;
    }
    t->next = rt->threads;
    rt->threads = t;
    return t;
}

static void free_jobs(js_thread *t)
{
    js_job *j = t->jobs_head;
    while (j) {
        js_job *next = j->next;
        jsgc_free(t->rt, j, sizeof *j + (size_t)j->argc * sizeof(jsv));
        j = next;
    }
    t->jobs_head = t->jobs_tail = NULL;
}

js_thread *jsrt_thread(js_runtime *rt)
{
    return rt->main_thread;
}

/* ---------------- runtime ---------------- */

js_runtime *jsrt_new(const js_runtime_options *opts)
{
    js_runtime *rt = calloc(1, sizeof *rt);
    if (!rt) return NULL;
    if (opts) rt->opts = *opts;
    rt->owner = pthread_self();
    if (jsgc_init(rt) < 0) {
        free(rt);
        return NULL;
    }
    js_thread *t = thread_new(rt);
    if (!t) {
        jsgc_destroy(rt);
        free(rt);
        return NULL;
    }
    rt->main_thread = t;
    if (jsvm_thread_init(t) < 0) {
        jsrt_free(rt);
        return NULL;
    }
    if (jsstr_init_runtime(t) < 0) {
        jsrt_free(rt);
        return NULL;
    }
    /* A failed set-up may have left an exception that nobody will read. */
    t->has_exception = 0;
    t->exception = JSV_UNDEFINED;
    return rt;
}

void jsrt_free(js_runtime *rt)
{
    if (!rt) return;
    rt->realms = NULL;
    for (js_thread *t = rt->threads; t; t = t->next) {
        free_jobs(t);
        jsvm_thread_free(t);
    }
    /* Runs every finalizer; the threads' allocation contexts go with the heap. */
    jsgc_destroy(rt);
    jsstr_free_runtime(rt);
    if (rt->tz_cache_free) rt->tz_cache_free(rt->tz_cache);
    js_thread *t = rt->threads;
    while (t) {
        js_thread *next = t->next;
        jsgc_thread_detach(t);
        free(t);
        t = next;
    }
    free(rt);
}

/* ---------------- realms ---------------- */

/* %Function.prototype% is callable and returns undefined (spec 20.2.3). */
static jsv function_prototype_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return JSV_UNDEFINED;
}

static void realm_unlink(js_realm *realm)
{
    js_runtime *rt = realm->rt;
    for (js_realm **p = &rt->realms; *p; p = &(*p)->next) {
        if (*p == realm) {
            *p = realm->next;
            realm->next = NULL;
            return;
        }
    }
}

void jsrt_realm_release(js_realm *realm)
{
    if (realm) realm_unlink(realm);
}

js_realm *jsrt_realm_new(js_thread *t)
{
    js_runtime *rt = t->rt;
    js_realm *realm = jsgc_alloc(t, sizeof *realm, JS_CELL_REALM);
    if (!realm) return NULL;
    realm->rt = rt;
    realm->global_this = JSV_UNDEFINED;
    realm->template_map = JSV_UNDEFINED;
    realm->host_defined = JSV_UNDEFINED;
    for (int i = 0; i < JS_INTR_COUNT; i++) realm->intrinsics[i] = JSV_UNDEFINED;
    /* Linked first: from here on the realm is a root. */
    realm->next = rt->realms;
    rt->realms = realm;

    js_realm *saved = t->realm;
    t->realm = realm;

    js_object *objproto = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    if (!objproto) goto fail;
    realm->intrinsics[JS_INTR_ObjectPrototype] = jsv_object(objproto);

    /* The cast below needs the native-function class linked (lib/core/function.c). */
    assert(jsobj_classes[JS_CLASS_FUNCTION_NATIVE] &&
           jsobj_classes[JS_CLASS_FUNCTION_NATIVE]->size >= sizeof(js_native_function));
    js_object *fp = jsobj_new(t, jsv_object(objproto), JS_CLASS_FUNCTION_NATIVE);
    if (!fp) goto fail;
    js_native_function *nf = (js_native_function *)fp;
    nf->fn = function_prototype_call;
    nf->realm = realm;
    fp->h.flags |= JS_OBJ_CALLABLE;
    realm->intrinsics[JS_INTR_FunctionPrototype] = jsv_object(fp);

    js_object *global = jsobj_new(t, jsv_object(objproto), JS_CLASS_GLOBAL);
    if (!global) goto fail;
    realm->global = global;
    realm->global_this = jsv_object(global);

    if (jsvm_realm_init(t, realm) < 0) goto fail;
    if (jsbi_init_realm(t, realm) < 0) goto fail;

    /* The first realm of a thread becomes its current one. */
    t->realm = saved ? saved : realm;
    return realm;

fail:
    t->realm = saved;
    realm_unlink(realm);
    return NULL;
}

/* ---------------- jobs ---------------- */

int jsrt_enqueue_job(js_thread *t, jsv (*fn)(js_thread *, int, jsv *), int argc, const jsv *argv)
{
    assert(argc >= 0 && argc <= JOB_MAX_ARGS);
    if (argc < 0 || argc > JOB_MAX_ARGS) {
        jsvm_throw_error(t, JS_ERR_INTERNAL, "job with %d arguments", argc);
        return -1;
    }
    js_job *j = jsgc_malloc(t, sizeof *j + (size_t)argc * sizeof(jsv));
    if (!j) return -1;
    j->next = NULL;
    j->realm = t->realm;
    j->fn = fn;
    j->argc = argc;
    if (argc) memcpy(j->argv, argv, (size_t)argc * sizeof(jsv));
    if (t->jobs_tail) t->jobs_tail->next = j;
    else t->jobs_head = j;
    t->jobs_tail = j;
    return 0;
}

int jsrt_run_jobs(js_thread *t)
{
    while (t->jobs_head) {
        js_job *j = t->jobs_head;
        t->jobs_head = j->next;
        if (!t->jobs_head) t->jobs_tail = NULL;
        /* Unlinked jobs are no longer roots: the locals below keep the realm
         * and arguments alive through the conservative stack scan. */
        jsv args[JOB_MAX_ARGS];
        int argc = j->argc;
        js_realm *realm = j->realm;
        jsv (*fn)(js_thread *, int, jsv *) = j->fn;
        memcpy(args, j->argv, (size_t)argc * sizeof(jsv));
        jsgc_free(t->rt, j, sizeof *j + (size_t)argc * sizeof(jsv));

        js_realm *saved = t->realm;
        if (realm) t->realm = realm;
        jsv r = fn(t, argc, args);
        t->realm = saved;
        /* Keep args observable to the compiler until the job is over. */
        __asm__ volatile("" : : "r"(args) : "memory");
        if (jsv_is_exception(r)) return -1;
    }
    return 0;
}

int jsrt_has_jobs(js_thread *t)
{
    return t->jobs_head != NULL;
}

/* ---------------- roots ---------------- */

void jsrt_trace_roots(js_gc_tracer *trc, js_runtime *rt)
{
    for (js_realm *r = rt->realms; r; r = r->next) jsgc_mark_cell(trc, r);
    for (js_thread *t = rt->threads; t; t = t->next) {
        jsgc_mark_value(trc, t->exception);
        jsgc_mark_cell(trc, t->realm);
        for (js_job *j = t->jobs_head; j; j = j->next) {
            jsgc_mark_cell(trc, j->realm);
            jsgc_mark_values(trc, j->argv, (size_t)j->argc);
        }
        jsvm_trace_thread(trc, t);
    }
    for (int i = 0; i < JS_ATOM_COUNT; i++) jsgc_mark_cell(trc, rt->atoms[i]);
    for (int i = 0; i < JS_WKS_COUNT; i++) jsgc_mark_cell(trc, rt->wk_symbols[i]);
    /* builtins/symbol.c keeps the Symbol.for registry as an object cell. */
    jsgc_mark_cell(trc, rt->symbol_registry);
    jsstr_trace_roots(trc, rt);
}
