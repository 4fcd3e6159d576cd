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
/* Defines in ctx's realm a host-defined module with a source phase (the
 * source phase imports proposal; e.g. a WebAssembly module): `import source
 * x from "<specifier>"` and import.source("<specifier>") give its module
 * source object, which this returns so the host can add to it. That object
 * is new; its prototype is a new object with @@toStringTag `class_name`
 * whose prototype is %AbstractModuleSource%.prototype. The module has no
 * exports and runs no code; imports find it by their exact specifier, before
 * any resolution. jse_exception() (TypeError) if `specifier` is already
 * defined in this realm. */
JSE_API jse_value jse_define_source_module(jse_context *ctx, const char *specifier, const char *class_name);
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

/* ---- event loop (Layer A) ----
 * Each context's thread owns an event loop: timers, messages from workers,
 * settled Atomics.waitAsync waiters, and the job queue. Events that arrive
 * from other threads are queued in the thread's inbox; the loop runs them on
 * the context's thread only. */

/* Install setTimeout, clearTimeout, setInterval, clearInterval and
 * queueMicrotask on ctx's global object (HTML timer semantics; timers belong
 * to the calling thread's loop, and jse_context_free cancels those set from
 * ctx). JSE_OK or JSE_EXCEPTION. */
JSE_API int jse_install_timers(jse_context *ctx);
/* One turn of the loop: run queued jobs, then due timers (each followed by
 * its jobs), queued messages (worker messages), settled waitAsync waiters,
 * and then all jobs. When nothing is due, first
 * wait up to timeout_ms for something (0: do not wait; negative: until
 * something arrives or nothing is pending any more). Returns how many events
 * ran (>= 0), or JSE_EXCEPTION when a callback threw (the exception is
 * pending; calling again resumes the loop). */
JSE_API int jse_loop_run_once(jse_context *ctx, double timeout_ms);
/* Run the loop until nothing is pending. JSE_OK, or JSE_EXCEPTION when a
 * callback threw (pending; the loop may be resumed). */
JSE_API int jse_loop_run(jse_context *ctx);
/* Non-zero while anything is pending: jobs, timers, outstanding waitAsync
 * waiters, running workers started from ctx, or (inside a worker) an
 * onmessage handler. */
JSE_API int jse_loop_pending(jse_context *ctx);
/* Milliseconds until the next timer or waitAsync timeout is due: 0 when
 * something can run now, negative when nothing is scheduled. For embedders
 * driving the loop from their own main loop. */
JSE_API double jse_loop_next_timeout(jse_context *ctx);
/* The wake-up hook: called when an event for ctx has been queued from another
 * thread (a worker's message, a waitAsync waiter notified). It may run on any
 * thread, with engine locks held: it must only wake the embedder's loop (for
 * GLib, g_main_context_wakeup), which then calls jse_loop_run_once(ctx, 0) on
 * ctx's thread. fn NULL removes the hook. */
typedef void (*jse_wakeup_fn)(void *opaque);
JSE_API void jse_loop_set_wakeup(jse_context *ctx, jse_wakeup_fn fn, void *opaque);

/* ---- workers (Layer A) ---- */

typedef struct jse_worker jse_worker;

/* Runs on the worker's thread after its runtime and context exist and before
 * its script runs: install host functions (print, timers, ...). Non-zero
 * aborts the worker (exit code 1). */
typedef int (*jse_worker_init_fn)(jse_context *ctx, void *opaque);

typedef struct jse_worker_options {
    int flags;                  /* JSE_EVAL_SCRIPT or JSE_EVAL_MODULE */
    size_t memory_limit;        /* 0: none */
    size_t stack_size;          /* 0: default */
    jse_worker_init_fn init;    /* may be NULL */
    void *init_opaque;
} jse_worker_options;

/* Start a worker: an OS thread with its own runtime and context, in the same
 * agent cluster as ctx (SharedArrayBuffers are shared with it, Atomics.wait
 * and notify work across), that evaluates `src` (`len` bytes; when src is
 * NULL, the file named `filename`) and then runs its own event loop until
 * nothing is pending or it calls close(). Its global object has self,
 * postMessage(value, transfer), onmessage and close(). opts may be NULL.
 * Returns NULL with an exception pending in ctx on failure. */
JSE_API jse_worker *jse_worker_new(jse_context *ctx, const char *filename, const char *src,
                                   size_t len, const jse_worker_options *opts);
/* Structured-clone `msg` into the worker's inbox; it is delivered to the
 * worker's onmessage as an event whose `data` is the copy. `transfer` is an
 * array of ArrayBuffers to move (they are detached here), or undefined.
 * JSE_OK, or JSE_EXCEPTION (DataCloneError, ...) pending in ctx. */
JSE_API int jse_worker_post(jse_context *ctx, jse_worker *w, jse_value msg, jse_value transfer);

/* Callbacks run on the thread of the context that started the worker, from
 * its event loop. on_message: a value the worker posted (already cloned into
 * ctx). on_error: the worker's uncaught exception, cloned (an Error keeps
 * name, message and stack). on_exit: once, after the worker's thread ended.
 * Any may be NULL. */
typedef struct jse_worker_handlers {
    void (*on_message)(jse_context *ctx, jse_worker *w, jse_value data, void *opaque);
    void (*on_error)(jse_context *ctx, jse_worker *w, jse_value error, void *opaque);
    void (*on_exit)(jse_context *ctx, jse_worker *w, int exit_code, void *opaque);
    void *opaque;
} jse_worker_handlers;
JSE_API void jse_worker_set_handlers(jse_worker *w, const jse_worker_handlers *h);

/* Exit codes of a worker (jse_worker_join, on_exit). */
#define JSE_WORKER_OK          0   /* its loop finished or it called close() */
#define JSE_WORKER_ERROR       1   /* an uncaught exception, or init failed */
#define JSE_WORKER_TERMINATED  2   /* jse_worker_terminate */

/* Stop the worker; any thread. Its running script is terminated at the next
 * poll point (loops, calls, RegExp matching), a blocked Atomics.wait wakes,
 * messages not yet delivered are dropped. */
JSE_API void jse_worker_terminate(jse_worker *w);
/* Wait at most timeout_ms (negative: forever) for the worker's thread to end.
 * Returns its exit code (JSE_WORKER_*), or -1 on timeout. */
JSE_API int jse_worker_join(jse_worker *w, double timeout_ms);
/* Release the handle; a worker still running is terminated and joined. On
 * the thread of the context that started it. jse_runtime_free of that
 * context's runtime terminates and joins its workers first; handles left
 * then accept only jse_worker_join and jse_worker_free. The starting context
 * itself must outlive its running workers. */
JSE_API void jse_worker_free(jse_worker *w);

/* Install the `Worker` constructor on ctx's global object:
 * new Worker(path, { type: "module" }) with postMessage, onmessage,
 * onerror, terminate. Workers started from it get `defaults` (may be NULL)
 * and themselves have a Worker constructor. Events are delivered by ctx's
 * event loop (jse_loop_run). */
JSE_API int jse_install_worker_global(jse_context *ctx, const jse_worker_options *defaults);

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
 * contexts are freed with the runtime. It also defines the source module
 * "<module source>" (jse_define_source_module) that test262 imports. Host
 * globals (print, setTimeout) are the caller's to define. For test hosts (jstest262, jsrun --test262-host):
 * $262 lets scripts detach buffers and start threads, so never give it to
 * untrusted code. Returns JSE_OK, or JSE_EXCEPTION with an exception pending.
 * Owner thread only. */
JSE_API int jse_install_test262_host(jse_context *ctx, int can_block);

#ifdef __cplusplus
}
#endif

#endif /* JSENGINE_H */
