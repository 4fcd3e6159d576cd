/*
 * promise.h - what the VM (await, async functions and generators, dynamic
 * import, module top-level await) and hosts may ask of promise.c.
 * Thread rules: a promise is affine to its runtime; reactions are queued on
 * the settling thread's job queue (js_thread.jobs_*).
 */
#ifndef JSE_BUILTINS_PROMISE_H
#define JSE_BUILTINS_PROMISE_H

#include "../core/runtime.h"

/* A new pending promise of %Promise% in the current realm. JSV_EXCEPTION on OOM. */
jsv jsbi_promise_new(js_thread *t);
/* PromiseResolve(%Promise%, v): v itself if it is a %Promise% promise whose
 * constructor is %Promise%, else a new promise resolved with v. */
jsv jsbi_promise_resolve(js_thread *t, jsv v);
/* Resolve a promise created by jsbi_promise_new with a value (the full resolve
 * function semantics: thenables are followed through a job) or reject it. */
int jsbi_promise_fulfill_or_resolve(js_thread *t, jsv promise, jsv value);
int jsbi_promise_reject(js_thread *t, jsv promise, jsv reason);
/* PerformPromiseThen(promise, onFulfilled, onRejected) with no result
 * capability, where the reactions are C continuations: `fn(t, value, data,
 * rejected)` runs as a job when the promise settles. Used by await. */
typedef jsv (*jsbi_promise_cont)(js_thread *t, jsv value, jsv data, int rejected);
int jsbi_promise_then_native(js_thread *t, jsv promise, jsbi_promise_cont fn, jsv data);
/* promise.then(f, r) through the generic Invoke (for thenables). */
jsv jsbi_promise_then(js_thread *t, jsv promise, jsv on_fulfilled, jsv on_rejected);
/* State: 0 pending, 1 fulfilled, 2 rejected; *result gets the value/reason. */
int jsbi_promise_state(jsv promise, jsv *result);
/* NewPromiseCapability(C): out[0] promise, out[1] resolve, out[2] reject. */
int jsbi_new_promise_capability(js_thread *t, jsv ctor, jsv out[3]);

#endif
