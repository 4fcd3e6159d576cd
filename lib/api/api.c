/*
 * api.c - the public C API (include/jsengine.h) as a thin layer over the
 * internals: jse_runtime wraps js_runtime, jse_context wraps js_realm, and a
 * jse_value has the same bits as a jsv. Also lib/api/internal.h's bridges.
 * Owns only the wrapper structs, the protect table and the native-function
 * registry; never reaches into a cell's layout beyond the contract headers.
 */
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jsengine.h>
#include "../core/runtime.h"
#include "../core/string.h"
#include "../core/object.h"
#include "../vm/vm.h"
#include "../host/loop.h"
#include "../host/worker.h"
#include "internal.h"

_Static_assert(sizeof(jse_value) == sizeof(jsv), "jse_value and jsv must be the same word");

/* Host functions: the VM calls one trampoline with `magic` indexing this
 * registry, so a function object needs no malloc-ed side data (that the
 * collector could not free). Entries are deduplicated by (fn, data) and live
 * as long as the runtime. */
typedef struct api_native {
    jse_native_fn fn;
    void *data;
} api_native;

/* One protected value: each entry is malloc-ed on its own because the
 * collector holds the address of `value` as a root. */
typedef struct api_protect {
    jsv value;
    size_t count;
    struct api_protect *next;
} api_protect;

#define API_PROTECT_BUCKETS 64   /* a few protected values per runtime is the common case */

struct jse_runtime {
    js_runtime *rt;
    pthread_t owner;                   /* the creating thread (debug-build checks) */
    unsigned depth;                    /* API calls in progress on the owner thread */
    jse_interrupt_handler interrupt;
    void *interrupt_opaque;
    api_native *natives;
    uint32_t nnatives, natives_cap;
    uint32_t *natives_index;           /* open addressing: index + 1, 0 = empty */
    uint32_t natives_index_size;       /* power of two */
    api_protect *protect[API_PROTECT_BUCKETS];
    jse_context *contexts;             /* every context, embedder-made and borrowed */
};

struct jse_context {
    js_realm *realm;
    jse_runtime *jrt;
    void *opaque;
    jsv realm_root;                    /* keeps the realm alive until jse_context_free */
    int borrowed;                      /* made by the API for a realm it did not create */
    jse_context *next;
};

/* ------------------------------------------------------------------------- */
/* Entry and exit of API calls                                                */
/* ------------------------------------------------------------------------- */

#ifdef JSE_DEBUG
static void api_check_owner(jse_runtime *jrt, const char *func)
{
    if (jrt->rt->opts.threads_enabled) return;
    if (!pthread_equal(pthread_self(), jrt->owner)) {
        fprintf(stderr, "jsengine: %s() called on a thread that does not own the runtime "
                        "(see the thread rules in jsengine.h)\n", func);
        abort();
    }
}
#define API_CHECK_OWNER(jrt) api_check_owner((jrt), __func__)
#define API_ASSERT(cond, func) do { if (!(cond)) { \
        fprintf(stderr, "jsengine: %s(): invalid argument (%s)\n", (func), #cond); abort(); } } while (0)
#else
#define API_CHECK_OWNER(jrt) ((void)0)
#define API_ASSERT(cond, func) ((void)0)
#endif

/* An API call in progress: switches the thread to the context's realm and
 * back, so a host function that calls into another context leaves the
 * caller's realm as it was. Left through the cleanup attribute so every
 * return path restores it. */
typedef struct api_scope {
    jse_runtime *jrt;
    js_thread *t;
    js_realm *saved_realm;
} api_scope;

static void api_leave(api_scope *s)
{
    js_thread *t = s->t;
    if (!t) return;
    t->realm = s->saved_realm ? s->saved_realm : t->realm;
    if (--s->jrt->depth == 0 && t->uncatchable) {
        /* A termination has unwound to the embedder: the runtime is usable again. */
        t->uncatchable = 0;
        atomic_fetch_and(&t->interrupt, ~(uint32_t)JS_INTERRUPT_TERMINATE);
    }
}

static api_scope api_enter_rt(jse_runtime *jrt, js_realm *realm, const char *func)
{
    api_scope s;
    API_ASSERT(jrt != NULL, func);
#ifdef JSE_DEBUG
    api_check_owner(jrt, func);
#endif
    (void)func;
    s.jrt = jrt;
    s.t = jsrt_thread(jrt->rt);
    s.saved_realm = s.t->realm;
    if (jrt->depth++ == 0) {
        /* A termination requested while nothing ran is stale: drop it. */
        s.t->uncatchable = 0;
        atomic_fetch_and(&s.t->interrupt, ~(uint32_t)JS_INTERRUPT_TERMINATE);
    }
    if (realm) s.t->realm = realm;
    return s;
}

#define API_SCOPE_RT(jrt) \
    __attribute__((cleanup(api_leave))) api_scope scope_ = api_enter_rt((jrt), NULL, __func__); \
    js_thread *t = scope_.t
#define API_SCOPE(ctx) \
    API_ASSERT((ctx) != NULL, __func__); \
    __attribute__((cleanup(api_leave))) api_scope scope_ = api_enter_rt((ctx)->jrt, (ctx)->realm, __func__); \
    js_thread *t = scope_.t

/* The context wrapping `realm`; realms made by the engine itself (e.g. by
 * ShadowRealm or $262.createRealm through internals) get a borrowed one on
 * first use. NULL only when out of memory. */
static jse_context *api_context_of_realm(jse_runtime *jrt, js_realm *realm)
{
    if (realm->opaque) return realm->opaque;
    jse_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return NULL;
    ctx->realm = realm;
    ctx->jrt = jrt;
    ctx->borrowed = 1;   /* the realm's lifetime is not ours: no root */
    ctx->next = jrt->contexts;
    jrt->contexts = ctx;
    realm->opaque = ctx;
    return ctx;
}

/* A property key from a UTF-8 name; JSV_EXCEPTION when out of memory. */
static js_key api_key(js_thread *t, const char *name)
{
    js_string *s = jsstr_new_utf8(t, name ? name : "", name ? strlen(name) : 0);
    if (!s) return JSV_EXCEPTION;
    return jskey_from_string(t, s);
}

static js_key api_index_key(js_thread *t, uint32_t index)
{
    if (index != UINT32_MAX) return jskey_from_index(index);
    return api_key(t, "4294967295");   /* not an array index: a string key */
}

/* ------------------------------------------------------------------------- */
/* Library and runtimes                                                       */
/* ------------------------------------------------------------------------- */

#define API_STR_(x) #x
#define API_STR(x) API_STR_(x)

const char *jse_version(void)
{
    return API_STR(JSE_VERSION_MAJOR) "." API_STR(JSE_VERSION_MINOR) "." API_STR(JSE_VERSION_MICRO);
}

static int api_interrupt_trampoline(js_runtime *rt, void *opaque)
{
    jse_runtime *jrt = opaque;
    return jrt->interrupt ? jrt->interrupt(jrt, jrt->interrupt_opaque) : 0;
}

jse_runtime *jse_runtime_new(const jse_runtime_options *opts)
{
    js_runtime_options o;
    memset(&o, 0, sizeof o);
    if (opts) {
        o.memory_limit = opts->memory_limit;
        o.stack_size = opts->stack_size;
        o.threads_enabled = opts->enable_threads != 0;
    }
#ifndef JSE_ENABLE_THREADS
    if (o.threads_enabled) return NULL;   /* Layer B is not in this build */
#endif
    jse_runtime *jrt = calloc(1, sizeof *jrt);
    if (!jrt) return NULL;
    jrt->owner = pthread_self();
    jrt->rt = jsrt_new(&o);
    if (!jrt->rt) {
        free(jrt);
        return NULL;
    }
    jrt->rt->opaque = jrt;
    jrt->rt->interrupt_handler = api_interrupt_trampoline;
    jrt->rt->interrupt_opaque = jrt;
    return jrt;
}

void jse_runtime_free(jse_runtime *jrt)
{
    if (!jrt) return;
    API_CHECK_OWNER(jrt);
    js_runtime *rt = jrt->rt;
    /* timers, queued messages, workers, $262 agents of the loop's private
     * cluster: before any root goes (their waiters are roots here) */
    for (js_thread *t = rt->threads; t; t = t->next) {
        jswk_shutdown(t);   /* workers first: they post to t and live in its cluster */
        jsloop_shutdown(t);
    }
    for (int i = 0; i < API_PROTECT_BUCKETS; i++) {
        api_protect *p = jrt->protect[i], *next;
        for (; p; p = next) {
            next = p->next;
            jsgc_remove_root(rt, &p->value);
            free(p);
        }
        jrt->protect[i] = NULL;
    }
    /* Contexts the embedder forgot, and the borrowed ones. */
    jse_context *c = jrt->contexts, *next;
    for (; c; c = next) {
        next = c->next;
        if (!c->borrowed) jsgc_remove_root(rt, &c->realm_root);
        c->realm->opaque = NULL;
        free(c);
    }
    jrt->contexts = NULL;
    rt->opaque = NULL;
    rt->interrupt_handler = NULL;
    jsrt_free(rt);
    free(jrt->natives);
    free(jrt->natives_index);
    free(jrt);
}

void jse_runtime_set_memory_limit(jse_runtime *jrt, size_t limit)
{
    API_CHECK_OWNER(jrt);
    jrt->rt->opts.memory_limit = limit;
}

void jse_runtime_set_stack_size(jse_runtime *jrt, size_t bytes)
{
    API_CHECK_OWNER(jrt);
    js_thread *t = jsrt_thread(jrt->rt);
    jrt->rt->opts.stack_size = bytes;
    if (!t || !t->c_stack_base || bytes == 0) return;
    /* Never past the thread's real stack: keep 256 KiB for C code below the limit
     * (runtime.c keeps the same margin). */
    uintptr_t base = (uintptr_t)t->c_stack_base;
    uintptr_t limit = base > bytes ? base - bytes : 0;
    pthread_attr_t attr;
    void *lo;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &lo, &size) == 0) {
            uintptr_t floor = (uintptr_t)lo + 256 * 1024;
            if (limit < floor) limit = floor;
        }
        pthread_attr_destroy(&attr);
    }
    t->c_stack_limit = limit;
}

void jse_runtime_gc(jse_runtime *jrt)
{
    API_CHECK_OWNER(jrt);
    jsgc_collect(jrt->rt);
}

void jse_runtime_set_interrupt_handler(jse_runtime *jrt, jse_interrupt_handler h, void *opaque)
{
    API_CHECK_OWNER(jrt);
    jrt->interrupt = h;
    jrt->interrupt_opaque = opaque;
}

/* Any thread: only the atomic interrupt words are touched. */
static void api_signal(jse_runtime *jrt, uint32_t bits)
{
    js_runtime *rt = jrt->rt;
    if (rt->opts.threads_enabled) {
        for (js_thread *t = rt->threads; t; t = t->next)
            atomic_fetch_or(&t->interrupt, bits);
    } else if (rt->main_thread) {
        atomic_fetch_or(&rt->main_thread->interrupt, bits);
    }
}

void jse_runtime_interrupt(jse_runtime *jrt)
{
    if (jrt) api_signal(jrt, JS_INTERRUPT_REQUEST);
}

void jse_runtime_terminate(jse_runtime *jrt)
{
    if (jrt) api_signal(jrt, JS_INTERRUPT_TERMINATE);
}

/* ------------------------------------------------------------------------- */
/* Contexts                                                                   */
/* ------------------------------------------------------------------------- */

jse_context *jse_context_new(jse_runtime *jrt)
{
    API_SCOPE_RT(jrt);
    jse_context *ctx = calloc(1, sizeof *ctx);
    if (!ctx) return NULL;
    js_realm *realm = jsrt_realm_new(t);
    if (!realm) {
        /* Nobody to report the exception to: drop it. */
        if (t->has_exception) jsvm_take_exception(t);
        free(ctx);
        return NULL;
    }
    ctx->realm = realm;
    ctx->jrt = jrt;
    ctx->realm_root = jsv_cell(realm);
    if (jsgc_add_root(jrt->rt, &ctx->realm_root) < 0) {
        if (t->has_exception) jsvm_take_exception(t);
        free(ctx);
        return NULL;
    }
    realm->opaque = ctx;
    ctx->next = jrt->contexts;
    jrt->contexts = ctx;
    return ctx;
}

void jse_context_free(jse_context *ctx)
{
    if (!ctx) return;
    jse_runtime *jrt = ctx->jrt;
    API_CHECK_OWNER(jrt);
    for (jse_context **pp = &jrt->contexts; *pp; pp = &(*pp)->next) {
        if (*pp == ctx) {
            *pp = ctx->next;
            break;
        }
    }
    if (ctx->realm->opaque == ctx) ctx->realm->opaque = NULL;
    if (!ctx->borrowed) {
        /* its timers would otherwise keep the realm alive and run later */
        jsloop_forget_realm(jsrt_thread(jrt->rt), ctx->realm);
        /* From here the realm lives only as long as script values reference it. */
        jsgc_remove_root(jrt->rt, &ctx->realm_root);
        jsrt_realm_release(ctx->realm);
    }
    free(ctx);
}

jse_runtime *jse_context_runtime(jse_context *ctx)
{
    return ctx->jrt;
}

void jse_context_set_opaque(jse_context *ctx, void *opaque)
{
    ctx->opaque = opaque;
}

void *jse_context_get_opaque(jse_context *ctx)
{
    return ctx->opaque;
}

js_thread *jseapi_thread(jse_context *ctx)
{
    return jsrt_thread(ctx->jrt->rt);
}

js_realm *jseapi_realm(jse_context *ctx)
{
    return ctx->realm;
}

/* ------------------------------------------------------------------------- */
/* Evaluation and jobs                                                        */
/* ------------------------------------------------------------------------- */

int jse_eval(jse_context *ctx, const char *src, size_t len, const char *filename,
             int flags, jse_value *result)
{
    API_SCOPE(ctx);
    if (!src) {
        src = "";
        len = 0;
    }
    if (!filename) filename = "<eval>";
    jsv r;
    if (flags & JSE_EVAL_PARSE_ONLY)
        r = jsvm_eval_script(t, src, len, filename, JSVM_EVAL_PARSE_ONLY
                             | ((flags & JSE_EVAL_MODULE) ? JSVM_EVAL_MODULE : 0)
                             | ((flags & JSE_EVAL_STRICT) ? JSVM_EVAL_STRICT : 0));
    else if (flags & JSE_EVAL_MODULE)
        r = jsvm_eval_module(t, src, len, filename);
    else
        r = jsvm_eval_script(t, src, len, filename, (flags & JSE_EVAL_STRICT) ? JSVM_EVAL_STRICT : 0);
    if (r == JSV_EXCEPTION) {
        if (result) *result = JSV_UNDEFINED;
        return JSE_EXCEPTION;
    }
    if (result) *result = r;
    return JSE_OK;
}

int jse_run_jobs(jse_context *ctx)
{
    API_SCOPE(ctx);
    return jsrt_run_jobs(t) < 0 ? JSE_EXCEPTION : JSE_OK;
}

int jse_has_jobs(jse_context *ctx)
{
    API_SCOPE(ctx);
    return jsrt_has_jobs(t) != 0;
}

/* The event loop lives in host/loop.c; these enter the API scope around it so
 * that a termination that unwound out of the loop is cleared on return. */
int jse_loop_run_once(jse_context *ctx, double timeout_ms)
{
    API_SCOPE(ctx);
    int n = jsloop_run_once(t, timeout_ms);
    return n < 0 ? JSE_EXCEPTION : n;
}

int jse_loop_run(jse_context *ctx)
{
    API_SCOPE(ctx);
    return jsloop_run(t) < 0 ? JSE_EXCEPTION : JSE_OK;
}

int jse_loop_pending(jse_context *ctx)
{
    API_SCOPE(ctx);
    return jsloop_pending(t) != 0;
}

double jse_loop_next_timeout(jse_context *ctx)
{
    API_SCOPE(ctx);
    return jsloop_next_timeout(t);
}

void jse_loop_set_wakeup(jse_context *ctx, jse_wakeup_fn fn, void *opaque)
{
    API_SCOPE(ctx);
    jsloop_set_wakeup(t, fn, opaque);
}

/* ------------------------------------------------------------------------- */
/* Values                                                                     */
/* ------------------------------------------------------------------------- */

jse_value jse_undefined(void) { return JSV_UNDEFINED; }
jse_value jse_null(void) { return JSV_NULL; }
jse_value jse_bool(int b) { return jsv_from_bool(b != 0); }
jse_value jse_number(double d) { return jsv_number(d); }
jse_value jse_int32(int32_t i) { return jsv_from_int(i); }
jse_value jse_exception(void) { return JSV_EXCEPTION; }

jse_value jse_string(jse_context *ctx, const char *utf8, size_t len)
{
    API_SCOPE(ctx);
    if (!utf8) len = 0;
    js_string *s = jsstr_new_utf8(t, utf8 ? utf8 : "", len);
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

jse_value jse_new_object(jse_context *ctx)
{
    API_SCOPE(ctx);
    js_object *o = jsobj_new_plain(t);
    return o ? jsv_object(o) : JSV_EXCEPTION;
}

jse_value jse_new_array(jse_context *ctx)
{
    API_SCOPE(ctx);
    js_object *o = jsobj_new_array(t, 0);
    return o ? jsv_object(o) : JSV_EXCEPTION;
}

static jsv api_native_trampoline(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jse_runtime *jrt = t->rt->opaque;
    if (!jrt || magic < 0 || (uint32_t)magic >= jrt->nnatives)
        return jsvm_throw_type_error(t, "host function called after its runtime's API state was freed");
    api_native n = jrt->natives[magic];
    jse_context *ctx = api_context_of_realm(jrt, t->realm);
    if (!ctx) return jsvm_throw_out_of_memory(t);
    jsv r = n.fn(ctx, this_val, argc, argv, n.data);
    if (r == JSV_EXCEPTION) {
        if (!t->has_exception)
            return jsvm_throw_error(t, JS_ERR_ERROR, "host function returned jse_exception() without throwing");
    } else if (t->has_exception) {
        /* The host swallowed an exception it caught from a call: a returned
         * value means normal completion. */
        jsvm_take_exception(t);
    }
    return r;
}

static uint32_t api_native_hash(jse_native_fn fn, void *data)
{
    uint64_t h = (uint64_t)(uintptr_t)fn * 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)data * 0xC2B2AE3D27D4EB4Full;
    return (uint32_t)(h ^ (h >> 29));
}

/* The registry index of (fn, data), adding it when new; -1 when out of memory. */
static int api_native_register(jse_runtime *jrt, jse_native_fn fn, void *data)
{
    if (jrt->natives_index_size) {
        uint32_t mask = jrt->natives_index_size - 1;
        for (uint32_t i = api_native_hash(fn, data) & mask;; i = (i + 1) & mask) {
            uint32_t e = jrt->natives_index[i];
            if (!e) break;
            if (jrt->natives[e - 1].fn == fn && jrt->natives[e - 1].data == data) return (int)(e - 1);
        }
    }
    if (jrt->nnatives >= INT_MAX - 1) return -1;
    if (jrt->nnatives == jrt->natives_cap) {
        uint32_t cap = jrt->natives_cap ? jrt->natives_cap * 2 : 16;
        api_native *n = realloc(jrt->natives, cap * sizeof *n);
        if (!n) return -1;
        jrt->natives = n;
        jrt->natives_cap = cap;
    }
    /* Keep the index at most half full. */
    if ((jrt->nnatives + 1) * 2 > jrt->natives_index_size) {
        uint32_t size = jrt->natives_index_size ? jrt->natives_index_size * 2 : 32;
        uint32_t *idx = calloc(size, sizeof *idx);
        if (!idx) return -1;
        for (uint32_t k = 0; k < jrt->nnatives; k++) {
            uint32_t i = api_native_hash(jrt->natives[k].fn, jrt->natives[k].data) & (size - 1);
            while (idx[i]) i = (i + 1) & (size - 1);
            idx[i] = k + 1;
        }
        free(jrt->natives_index);
        jrt->natives_index = idx;
        jrt->natives_index_size = size;
    }
    uint32_t k = jrt->nnatives++;
    jrt->natives[k].fn = fn;
    jrt->natives[k].data = data;
    uint32_t mask = jrt->natives_index_size - 1, i = api_native_hash(fn, data) & mask;
    while (jrt->natives_index[i]) i = (i + 1) & mask;
    jrt->natives_index[i] = k + 1;
    return (int)k;
}

jse_value jse_new_function(jse_context *ctx, jse_native_fn fn, const char *name, int length, void *data)
{
    API_SCOPE(ctx);
    if (!fn) return jsvm_throw_type_error(t, "jse_new_function: no C function given");
    int magic = api_native_register(ctx->jrt, fn, data);
    if (magic < 0) return jsvm_throw_out_of_memory(t);
    js_key k = api_key(t, name);
    if (k == JSV_EXCEPTION) return JSV_EXCEPTION;
    js_object *f = jsfn_new_native(t, api_native_trampoline, k, length < 0 ? 0 : length, magic);
    return f ? jsv_object(f) : JSV_EXCEPTION;
}

static int api_error_kind(const char *type)
{
    static const struct { const char *name; int kind; } kinds[] = {
        { "Error", JS_ERR_ERROR }, { "TypeError", JS_ERR_TYPE }, { "RangeError", JS_ERR_RANGE },
        { "SyntaxError", JS_ERR_SYNTAX }, { "ReferenceError", JS_ERR_REFERENCE },
        { "EvalError", JS_ERR_EVAL }, { "URIError", JS_ERR_URI },
        { "AggregateError", JS_ERR_AGGREGATE },
    };
    if (type)
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
            if (strcmp(type, kinds[i].name) == 0) return kinds[i].kind;
    return JS_ERR_ERROR;
}

static jsv api_new_error(js_thread *t, const char *type, const char *message)
{
    js_string *m = jsstr_new_utf8(t, message ? message : "", message ? strlen(message) : 0);
    if (!m) return JSV_EXCEPTION;
    return jsvm_new_error(t, api_error_kind(type), m);
}

jse_value jse_new_error(jse_context *ctx, const char *type, const char *message)
{
    API_SCOPE(ctx);
    return api_new_error(t, type, message);
}

jse_value jse_define_source_module(jse_context *ctx, const char *specifier, const char *class_name)
{
    API_SCOPE(ctx);
    jsv ams = t->realm->intrinsics[JS_INTR_AbstractModuleSourcePrototype];
    if (!jsv_is_object(ams)) return jsvm_throw_type_error(t, "AbstractModuleSource is unavailable");
    js_object *proto = jsobj_new(t, ams, JS_CLASS_OBJECT);
    js_string *tag = proto ? jsstr_new_utf8(t, class_name ? class_name : "", class_name ? strlen(class_name) : 0) : NULL;
    if (!tag || jsobj_define_value(t, proto, jsv_symbol(t->rt->wk_symbols[JS_WKS_toStringTag]),
                                   jsv_string(tag), JS_PROP_CONFIGURABLE) < 0)
        return JSV_EXCEPTION;
    js_object *src = jsobj_new(t, jsv_object(proto), JS_CLASS_OBJECT);
    if (!src || jsvm_define_source_module(t, specifier, jsv_object(src)) < 0) return JSV_EXCEPTION;
    return jsv_object(src);
}

int jse_is_undefined(jse_value v) { return jsv_is_undefined(v); }
int jse_is_null(jse_value v) { return jsv_is_null(v); }
int jse_is_bool(jse_value v) { return jsv_is_bool(v); }
int jse_is_number(jse_value v) { return jsv_is_number(v); }
int jse_is_string(jse_value v) { return jsv_is_string(v); }
int jse_is_symbol(jse_value v) { return jsv_is_symbol(v); }
int jse_is_bigint(jse_value v) { return jsv_is_bigint(v); }
int jse_is_object(jse_value v) { return jsv_is_object(v); }
int jse_is_function(jse_value v) { return jsv_is_object(v) && jsobj_is_callable(JSV_OBJ(v)); }
int jse_is_exception(jse_value v) { return jsv_is_exception(v); }

int jse_is_array(jse_context *ctx, jse_value v)
{
    if (!jsv_is_object(v)) return 0;
    API_SCOPE(ctx);
    return jsobj_is_array(t, v);   /* -1: revoked proxy, exception pending */
}

int jse_strict_equals(jse_value a, jse_value b)
{
    return jsop_strict_equals(a, b);
}

int jse_to_number(jse_context *ctx, jse_value v, double *out)
{
    API_SCOPE(ctx);
    double d;
    if (jsop_to_number(t, v, &d) < 0) return JSE_EXCEPTION;
    if (out) *out = d;
    return JSE_OK;
}

int jse_to_int32(jse_context *ctx, jse_value v, int32_t *out)
{
    API_SCOPE(ctx);
    int32_t i;
    if (jsop_to_int32(t, v, &i) < 0) return JSE_EXCEPTION;
    if (out) *out = i;
    return JSE_OK;
}

int jse_to_bool(jse_context *ctx, jse_value v)
{
    return jsop_to_boolean(v);
}

char *jse_to_utf8(jse_context *ctx, jse_value v, size_t *len)
{
    API_SCOPE(ctx);
    js_string *s = jsv_is_string(v) ? JSV_STR(v) : jsop_to_string(t, v);
    if (!s) return NULL;
    char *r = jsstr_to_utf8(s, len);
    if (!r) jsvm_throw_out_of_memory(t);
    return r;
}

void jse_free_string(char *s)
{
    free(s);
}

/* ------------------------------------------------------------------------- */
/* Objects                                                                    */
/* ------------------------------------------------------------------------- */

jse_value jse_get_global(jse_context *ctx)
{
    js_realm *realm = ctx->realm;
    if (jsv_is_object(realm->global_this)) return realm->global_this;
    return realm->global ? jsv_object(realm->global) : JSV_UNDEFINED;
}

jse_value jse_get(jse_context *ctx, jse_value obj, const char *name)
{
    API_SCOPE(ctx);
    js_key k = api_key(t, name);
    if (k == JSV_EXCEPTION) return JSV_EXCEPTION;
    return jsobj_get_value(t, obj, k);
}

jse_value jse_get_index(jse_context *ctx, jse_value obj, uint32_t index)
{
    API_SCOPE(ctx);
    js_key k = api_index_key(t, index);
    if (k == JSV_EXCEPTION) return JSV_EXCEPTION;
    return jsobj_get_value(t, obj, k);
}

int jse_set(jse_context *ctx, jse_value obj, const char *name, jse_value v)
{
    API_SCOPE(ctx);
    js_key k = api_key(t, name);
    if (k == JSV_EXCEPTION) return JSE_EXCEPTION;
    return jsobj_set_value(t, obj, k, v, JS_THROW) < 0 ? JSE_EXCEPTION : JSE_OK;
}

int jse_set_index(jse_context *ctx, jse_value obj, uint32_t index, jse_value v)
{
    API_SCOPE(ctx);
    js_key k = api_index_key(t, index);
    if (k == JSV_EXCEPTION) return JSE_EXCEPTION;
    return jsobj_set_value(t, obj, k, v, JS_THROW) < 0 ? JSE_EXCEPTION : JSE_OK;
}

static int api_define(js_thread *t, jsv obj, const char *name, jsv v, int attrs)
{
    if (!jsv_is_object(obj)) {
        jsvm_throw_type_error(t, "cannot define property '%s' on a non-object", name ? name : "");
        return JSE_EXCEPTION;
    }
    js_key k = api_key(t, name);
    if (k == JSV_EXCEPTION) return JSE_EXCEPTION;
    js_propdesc d;
    memset(&d, 0, sizeof d);
    d.flags = JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE | JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE |
              ((attrs & JSE_PROP_WRITABLE) ? JS_PROP_WRITABLE : 0) |
              ((attrs & JSE_PROP_ENUMERABLE) ? JS_PROP_ENUMERABLE : 0) |
              ((attrs & JSE_PROP_CONFIGURABLE) ? JS_PROP_CONFIGURABLE : 0);
    d.value = v;
    d.getter = d.setter = JSV_UNDEFINED;
    return jsobj_define_own_property(t, JSV_OBJ(obj), k, &d, JS_THROW) < 0 ? JSE_EXCEPTION : JSE_OK;
}

int jse_define(jse_context *ctx, jse_value obj, const char *name, jse_value v, int attrs)
{
    API_SCOPE(ctx);
    return api_define(t, obj, name, v, attrs);
}

int jse_define_global_function(jse_context *ctx, const char *name, jse_native_fn fn, int length, void *data)
{
    jse_value f = jse_new_function(ctx, fn, name, length, data);
    if (f == JSV_EXCEPTION) return JSE_EXCEPTION;
    API_SCOPE(ctx);
    /* Like the built-in global functions: writable and configurable, not enumerable. */
    return api_define(t, jse_get_global(ctx), name, f, JSE_PROP_WRITABLE | JSE_PROP_CONFIGURABLE);
}

/* ------------------------------------------------------------------------- */
/* Calls                                                                      */
/* ------------------------------------------------------------------------- */

int jse_call(jse_context *ctx, jse_value fn, jse_value this_val, int argc, const jse_value *argv,
             jse_value *result)
{
    API_SCOPE(ctx);
    if (argc < 0 || (argc > 0 && !argv)) {
        jsvm_throw_range_error(t, "jse_call: bad argument list");
        return JSE_EXCEPTION;
    }
    jsv r = jsvm_call(t, fn, this_val, argc, argv);
    if (result) *result = r == JSV_EXCEPTION ? JSV_UNDEFINED : r;
    return r == JSV_EXCEPTION ? JSE_EXCEPTION : JSE_OK;
}

int jse_construct(jse_context *ctx, jse_value fn, int argc, const jse_value *argv, jse_value *result)
{
    API_SCOPE(ctx);
    if (argc < 0 || (argc > 0 && !argv)) {
        jsvm_throw_range_error(t, "jse_construct: bad argument list");
        return JSE_EXCEPTION;
    }
    jsv r;
    if (!jsv_is_object(fn) || !jsobj_is_constructor(JSV_OBJ(fn)))
        r = jsvm_throw_type_error(t, "not a constructor");
    else
        r = jsvm_construct(t, fn, argc, argv, JSV_UNDEFINED);
    if (result) *result = r == JSV_EXCEPTION ? JSV_UNDEFINED : r;
    return r == JSV_EXCEPTION ? JSE_EXCEPTION : JSE_OK;
}

/* ------------------------------------------------------------------------- */
/* Exceptions                                                                 */
/* ------------------------------------------------------------------------- */

jse_value jse_throw(jse_context *ctx, jse_value v)
{
    API_SCOPE(ctx);
    return jsvm_throw(t, v);
}

jse_value jse_throw_error(jse_context *ctx, const char *type, const char *fmt, ...)
{
    API_SCOPE(ctx);
    char buf[512], *msg = buf;
    va_list ap;
    int n = 0;
    buf[0] = 0;
    if (fmt) {
        va_start(ap, fmt);
        n = vsnprintf(buf, sizeof buf, fmt, ap);
        va_end(ap);
    }
    if (n >= (int)sizeof buf) {
        msg = malloc((size_t)n + 1);
        if (msg) {
            va_start(ap, fmt);
            vsnprintf(msg, (size_t)n + 1, fmt, ap);
            va_end(ap);
        } else {
            msg = buf;   /* the truncated text is better than nothing */
        }
    } else if (n < 0) {
        buf[0] = 0;
    }
    jsv e = api_new_error(t, type, msg);
    if (msg != buf) free(msg);
    if (e == JSV_EXCEPTION) return JSV_EXCEPTION;
    return jsvm_throw(t, e);
}

int jse_has_exception(jse_context *ctx)
{
    API_SCOPE(ctx);
    return t->has_exception != 0;
}

jse_value jse_get_exception(jse_context *ctx)
{
    API_SCOPE(ctx);
    if (!t->has_exception) return JSV_UNDEFINED;
    return jsvm_take_exception(t);
}

/* A growable malloc-ed text buffer; on OOM `s` becomes NULL and stays so. */
typedef struct api_buf {
    char *s;
    size_t len, cap;
} api_buf;

static void api_buf_add(api_buf *b, const char *s, size_t n)
{
    if (!b->s) return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            free(b->s);
            b->s = NULL;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

/* ToString(v) as UTF-8, or NULL (the exception it threw is dropped). */
static char *api_string_quiet(js_thread *t, jsv v, size_t *len)
{
    js_string *s = jsv_is_string(v) ? JSV_STR(v) : jsop_to_string(t, v);
    if (!s) {
        if (t->has_exception) jsvm_take_exception(t);
        return NULL;
    }
    return jsstr_to_utf8(s, len);
}

static jsv api_get_quiet(js_thread *t, jsv obj, int atom)
{
    jsv v = jsobj_get_value(t, obj, jskey_from_atom_id(t, atom));
    if (v == JSV_EXCEPTION) {
        if (t->has_exception) jsvm_take_exception(t);
        return JSV_UNDEFINED;
    }
    return v;
}

/* "Name: message" of an Error object, from its name and message properties
 * (what Error.prototype.toString does, without running a user toString). */
static void api_error_header(js_thread *t, jsv exc, api_buf *b)
{
    jsv name = api_get_quiet(t, exc, JS_ATOM_name);
    jsv msg = api_get_quiet(t, exc, JS_ATOM_message);
    char *n = jsv_is_undefined(name) ? NULL : api_string_quiet(t, name, NULL);
    char *m = jsv_is_undefined(msg) ? NULL : api_string_quiet(t, msg, NULL);
    const char *ns = n ? n : "Error";
    api_buf_add(b, ns, strlen(ns));
    if (m && *m) {
        if (*ns) api_buf_add(b, ": ", 2);
        api_buf_add(b, m, strlen(m));
    }
    free(n);
    free(m);
}

char *jse_format_exception(jse_context *ctx, jse_value exc)
{
    API_SCOPE(ctx);
    /* Formatting must not disturb an exception the caller has pending. */
    int had = t->has_exception;
    jsv saved = t->exception;
    t->has_exception = 0;

    api_buf b = { malloc(64), 0, 64 };
    if (b.s) b.s[0] = 0;
    if (jsv_is_object(exc) && jsobj_class(JSV_OBJ(exc)) == JS_CLASS_ERROR) {
        api_buf head = { malloc(64), 0, 64 };
        if (head.s) head.s[0] = 0;
        api_error_header(t, exc, &head);
        jsv stack = api_get_quiet(t, exc, JS_ATOM_stack);
        char *st = jsv_is_string(stack) ? api_string_quiet(t, stack, NULL) : NULL;
        if (st && head.s && strncmp(st, head.s, head.len) == 0) {
            api_buf_add(&b, st, strlen(st));   /* the stack already starts with the header (V8 style) */
        } else {
            if (head.s) api_buf_add(&b, head.s, head.len);
            if (st && *st) {
                if (st[0] != '\n') api_buf_add(&b, "\n", 1);
                api_buf_add(&b, st, strlen(st));
            }
        }
        free(st);
        free(head.s);
    } else if (jsv_is_symbol(exc)) {
        api_buf_add(&b, "Symbol()", 8);   /* ToString throws on symbols */
    } else {
        size_t n = 0;
        char *s = api_string_quiet(t, exc, &n);
        if (s) {
            api_buf_add(&b, s, n);
            free(s);
        } else {
            const char *what = jsv_is_object(exc) ? "[object with a throwing toString]" : "[exception]";
            api_buf_add(&b, what, strlen(what));
        }
    }
    /* One report, no trailing newline: callers add their own. */
    while (b.s && b.len > 0 && b.s[b.len - 1] == '\n') b.s[--b.len] = 0;

    if (had) {
        t->exception = saved;
        t->has_exception = 1;
    } else if (t->has_exception) {
        jsvm_take_exception(t);
    }
    return b.s;
}

/* ------------------------------------------------------------------------- */
/* Memory                                                                     */
/* ------------------------------------------------------------------------- */

static unsigned api_protect_bucket(jsv v)
{
    uint64_t h = v * 0x9E3779B97F4A7C15ull;
    return (unsigned)(h >> 58) % API_PROTECT_BUCKETS;
}

int jse_value_protect(jse_context *ctx, jse_value v)
{
    API_SCOPE(ctx);
    if (!jsv_is_gc(v)) return JSE_OK;   /* numbers, booleans, ... need no root */
    jse_runtime *jrt = ctx->jrt;
    unsigned b = api_protect_bucket(v);
    for (api_protect *p = jrt->protect[b]; p; p = p->next) {
        if (p->value == v) {
            p->count++;
            return JSE_OK;
        }
    }
    api_protect *p = malloc(sizeof *p);
    if (!p) {
        jsvm_throw_out_of_memory(t);
        return JSE_EXCEPTION;
    }
    p->value = v;
    p->count = 1;
    if (jsgc_add_root(jrt->rt, &p->value) < 0) {
        free(p);
        if (!t->has_exception) jsvm_throw_out_of_memory(t);
        return JSE_EXCEPTION;
    }
    p->next = jrt->protect[b];
    jrt->protect[b] = p;
    return JSE_OK;
}

void jse_value_unprotect(jse_context *ctx, jse_value v)
{
    if (!jsv_is_gc(v)) return;
    jse_runtime *jrt = ctx->jrt;
    API_CHECK_OWNER(jrt);
    unsigned b = api_protect_bucket(v);
    for (api_protect **pp = &jrt->protect[b]; *pp; pp = &(*pp)->next) {
        api_protect *p = *pp;
        if (p->value != v) continue;
        if (--p->count == 0) {
            *pp = p->next;
            jsgc_remove_root(jrt->rt, &p->value);
            free(p);
        }
        return;
    }
#ifdef JSE_DEBUG
    fprintf(stderr, "jsengine: jse_value_unprotect() of a value that is not protected\n");
    abort();
#endif
}
