/*
 * jsengine.h - the public C API of jsengine, a JavaScript (ECMAScript) engine.
 *
 * Thread rules (read these first):
 *  - A jse_runtime owns one garbage-collected heap. Unless it was created with
 *    threads enabled (Layer B), it is affine to the OS thread that created it:
 *    every function taking a jse_runtime, a jse_context or a jse_value of that
 *    runtime must be called on that thread. Debug builds (--enable-debug) abort
 *    on a violation; release builds have undefined behaviour.
 *  - The exceptions are jse_runtime_interrupt() and jse_runtime_terminate(),
 *    which any thread may call at any time.
 *  - Different runtimes are independent and may run on different threads at
 *    the same time.
 *  - jse_value handles are plain 64-bit words. The collector finds values held in
 *    local variables of the runtime's thread (it scans that thread's stack and
 *    registers); values kept anywhere else (malloc-ed memory, globals, another
 *    thread) must be protected with jse_value_protect() until no longer needed.
 *
 * Error convention: functions returning int return JSE_OK (0) on success and
 * JSE_EXCEPTION (-1) when a JavaScript exception is pending on the context;
 * take it with jse_get_exception(). Native functions signal a throw by
 * returning jse_exception() after jse_throw*().
 */
#ifndef JSENGINE_H
#define JSENGINE_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(__GNUC__) && defined(JSE_BUILDING_LIBRARY)
#define JSE_API __attribute__((visibility("default")))
#else
#define JSE_API
#endif

#define JSE_VERSION_MAJOR 0
#define JSE_VERSION_MINOR 1
#define JSE_VERSION_MICRO 0

#define JSE_OK         0
#define JSE_EXCEPTION (-1)

typedef struct jse_runtime jse_runtime;
typedef struct jse_context jse_context;
/* A JavaScript value. Opaque encoding; compare with jse_strict_equals(). */
typedef uint64_t jse_value;

/* Native function: `data` is the pointer given to jse_new_function(). Return a
 * value, or jse_exception() after throwing. */
typedef jse_value (*jse_native_fn)(jse_context *ctx, jse_value this_val,
                                   int argc, jse_value *argv, void *data);

/* ---- library ---- */

/* The version string, e.g. "0.1.0". Static storage; any thread. */
JSE_API const char *jse_version(void);

/* ---- runtimes ---- */

typedef struct jse_runtime_options {
    size_t memory_limit;     /* bytes of GC heap plus accounted memory; 0 = none */
    size_t stack_size;       /* bytes of C stack scripts may use; 0 = default (about 1 MiB less than the thread's) */
    int enable_threads;      /* Layer B (Thread, Lock, ...): needs --enable-threads; 0 = off */
} jse_runtime_options;

/* Create a runtime. `opts` may be NULL for defaults. Returns NULL when out of
 * memory or when an option is not supported by this build. The calling thread
 * becomes the runtime's owner thread. */
JSE_API jse_runtime *jse_runtime_new(const jse_runtime_options *opts);
/* Destroy a runtime and everything in it: contexts must have been freed. */
JSE_API void jse_runtime_free(jse_runtime *rt);
/* Set a memory limit in bytes (0 = none). An allocation past it throws
 * RangeError "out of memory" in the script. */
JSE_API void jse_runtime_set_memory_limit(jse_runtime *rt, size_t limit);
/* Set the C stack budget for scripts (deep recursion throws RangeError). */
JSE_API void jse_runtime_set_stack_size(jse_runtime *rt, size_t bytes);
/* Run a full garbage collection. */
JSE_API void jse_runtime_gc(jse_runtime *rt);

/* Interrupts. The handler runs on the runtime's thread at the next poll point
 * (loop back-edges, calls, RegExp matching) after jse_runtime_interrupt() was
 * called; if it returns non-zero the running script is terminated with an
 * uncatchable error. */
typedef int (*jse_interrupt_handler)(jse_runtime *rt, void *opaque);
JSE_API void jse_runtime_set_interrupt_handler(jse_runtime *rt, jse_interrupt_handler h, void *opaque);
/* Ask the runtime's thread to run its interrupt handler soon. Any thread. */
JSE_API void jse_runtime_interrupt(jse_runtime *rt);
/* Terminate whatever script the runtime's thread runs now, uncatchably. Any
 * thread. The runtime stays usable: the next jse_eval runs normally. */
JSE_API void jse_runtime_terminate(jse_runtime *rt);

/* ---- contexts (realms) ---- */

/* A new realm with all standard built-ins and its own global object. */
JSE_API jse_context *jse_context_new(jse_runtime *rt);
JSE_API void jse_context_free(jse_context *ctx);
JSE_API jse_runtime *jse_context_runtime(jse_context *ctx);
/* Embedder data attached to a context. */
JSE_API void jse_context_set_opaque(jse_context *ctx, void *opaque);
JSE_API void *jse_context_get_opaque(jse_context *ctx);

/* ---- evaluation ---- */

#define JSE_EVAL_SCRIPT 0x00   /* a classic script (sloppy unless "use strict") */
#define JSE_EVAL_MODULE 0x01   /* an ES module; *result is its evaluation promise */
#define JSE_EVAL_STRICT 0x02   /* a script in strict mode */
#define JSE_EVAL_PARSE_ONLY 0x04  /* parse and check early errors, run nothing (*result: undefined) */

/* Parse and run `src` (UTF-8, `len` bytes) as a script or module named
 * `filename` (used in stack traces and for resolving module imports). On
 * success stores the completion value in *result (may be NULL) and returns
 * JSE_OK; on a syntax error or an uncaught exception returns JSE_EXCEPTION.
 * Does not run pending jobs: see jse_run_jobs(). */
JSE_API int jse_eval(jse_context *ctx, const char *src, size_t len, const char *filename,
                     int flags, jse_value *result);
/* Run queued jobs (promise reactions, ...) until none is left. Returns
 * JSE_EXCEPTION if a job threw (the rest stay queued). */
JSE_API int jse_run_jobs(jse_context *ctx);
/* Non-zero when jobs are queued. */
JSE_API int jse_has_jobs(jse_context *ctx);

/* ---- values ---- */

JSE_API jse_value jse_undefined(void);
JSE_API jse_value jse_null(void);
JSE_API jse_value jse_bool(int b);
JSE_API jse_value jse_number(double d);
JSE_API jse_value jse_int32(int32_t i);
/* The marker returned by native functions that threw. */
JSE_API jse_value jse_exception(void);
/* A string from UTF-8 (invalid bytes become U+FFFD). jse_exception() on OOM. */
JSE_API jse_value jse_string(jse_context *ctx, const char *utf8, size_t len);
JSE_API jse_value jse_new_object(jse_context *ctx);
JSE_API jse_value jse_new_array(jse_context *ctx);
/* A function object calling `fn` with `data`; `name` and `length` as in JS. */
JSE_API jse_value jse_new_function(jse_context *ctx, jse_native_fn fn, const char *name,
                                   int length, void *data);
/* new Error-type(message): type is one of "Error", "TypeError", "RangeError",
 * "SyntaxError", "ReferenceError", "EvalError", "URIError". */
JSE_API jse_value jse_new_error(jse_context *ctx, const char *type, const char *message);

JSE_API int jse_is_undefined(jse_value v);
JSE_API int jse_is_null(jse_value v);
JSE_API int jse_is_bool(jse_value v);
JSE_API int jse_is_number(jse_value v);
JSE_API int jse_is_string(jse_value v);
JSE_API int jse_is_symbol(jse_value v);
JSE_API int jse_is_bigint(jse_value v);
JSE_API int jse_is_object(jse_value v);
JSE_API int jse_is_function(jse_value v);
JSE_API int jse_is_array(jse_context *ctx, jse_value v);
JSE_API int jse_is_exception(jse_value v);
JSE_API int jse_strict_equals(jse_value a, jse_value b);

/* Conversions with JavaScript semantics (may run script code: valueOf, ...). */
JSE_API int jse_to_number(jse_context *ctx, jse_value v, double *out);
JSE_API int jse_to_int32(jse_context *ctx, jse_value v, int32_t *out);
JSE_API int jse_to_bool(jse_context *ctx, jse_value v);
/* ToString(v) as malloc-ed UTF-8 (NUL-terminated; *len excludes the NUL and
 * may be NULL). Returns NULL with an exception pending on failure. Free with
 * jse_free_string(). */
JSE_API char *jse_to_utf8(jse_context *ctx, jse_value v, size_t *len);
JSE_API void jse_free_string(char *s);

/* ---- objects ---- */

JSE_API jse_value jse_get_global(jse_context *ctx);
/* o[name]; jse_exception() if it threw. */
JSE_API jse_value jse_get(jse_context *ctx, jse_value obj, const char *name);
JSE_API jse_value jse_get_index(jse_context *ctx, jse_value obj, uint32_t index);
/* o[name] = v (strict-mode semantics: a failed assignment throws). */
JSE_API int jse_set(jse_context *ctx, jse_value obj, const char *name, jse_value v);
JSE_API int jse_set_index(jse_context *ctx, jse_value obj, uint32_t index, jse_value v);
/* Define a data property with attributes (JSE_PROP_*). */
#define JSE_PROP_WRITABLE     0x01
#define JSE_PROP_ENUMERABLE   0x02
#define JSE_PROP_CONFIGURABLE 0x04
JSE_API int jse_define(jse_context *ctx, jse_value obj, const char *name, jse_value v, int attrs);
/* Define a global function: shorthand used by hosts (jsrun's print). */
JSE_API int jse_define_global_function(jse_context *ctx, const char *name, jse_native_fn fn,
                                       int length, void *data);

/* ---- calls ---- */

/* fn.call(this_val, ...argv). Stores the result in *result (may be NULL). */
JSE_API int jse_call(jse_context *ctx, jse_value fn, jse_value this_val, int argc,
                     const jse_value *argv, jse_value *result);
/* new fn(...argv) */
JSE_API int jse_construct(jse_context *ctx, jse_value fn, int argc, const jse_value *argv,
                          jse_value *result);

/* ---- exceptions ---- */

/* Throw v; returns jse_exception() for convenience. */
JSE_API jse_value jse_throw(jse_context *ctx, jse_value v);
/* Throw a new error of `type` (see jse_new_error) with a printf-style message. */
JSE_API jse_value jse_throw_error(jse_context *ctx, const char *type, const char *fmt, ...)
#ifdef __GNUC__
    __attribute__((format(printf, 3, 4)))
#endif
    ;
JSE_API int jse_has_exception(jse_context *ctx);
/* Take the pending exception (clears it); undefined when none. */
JSE_API jse_value jse_get_exception(jse_context *ctx);
/* A human-readable report of an exception value: "TypeError: msg\n    at f (file:1:2)\n..."
 * as malloc-ed UTF-8 (free with jse_free_string), never NULL except on OOM. */
JSE_API char *jse_format_exception(jse_context *ctx, jse_value exc);

/* ---- memory ---- */

/* Keep v alive while it is stored outside the runtime thread's stack. Calls
 * nest: each protect needs one unprotect. */
JSE_API int jse_value_protect(jse_context *ctx, jse_value v);
JSE_API void jse_value_unprotect(jse_context *ctx, jse_value v);

/* ---- test262 host ---- */
/* Installs test262's host-defined object as the global $262 of ctx (test262
 * INTERPRETING.md): createRealm, evalScript, detachArrayBuffer, gc, global,
 * IsHTMLDDA, and agent (start, broadcast, getReport, sleep, monotonicNow),
 * whose agents are real OS threads, each with a runtime of its own, sharing
 * SharedArrayBuffers and Atomics.wait/notify with this one. The first call
 * on a runtime makes its thread the main agent of a new agent cluster;
 * contexts given $262 later (and createRealm's realms) join the same one.
 * can_block is the main agent's [[CanBlock]]: 0 makes Atomics.wait throw.
 * jse_runtime_free stops and joins the agents first (an agent that ignores
 * termination for 2 s is abandoned and its memory leaked). createRealm's
 * contexts are freed with the runtime. Host globals (print, setTimeout) are
 * the caller's to define. For test hosts (jstest262, jsrun --test262-host):
 * $262 lets scripts detach buffers and start threads, so never give it to
 * untrusted code. Returns JSE_OK, or JSE_EXCEPTION with an exception pending.
 * Owner thread only. */
JSE_API int jse_install_test262_host(jse_context *ctx, int can_block);

#ifdef __cplusplus
}
#endif

#endif /* JSENGINE_H */
