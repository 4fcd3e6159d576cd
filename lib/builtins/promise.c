/*
 * promise.c - Promise objects, the Promise constructor and its statics,
 * Promise.prototype, reaction jobs and the host rejection tracker; implements
 * promise.h for the VM (await) and the embedding API.
 * Must not run jobs itself (runtime.c owns the queue) nor touch VM frames.
 *
 * Built-in closures (resolving functions, Promise.all element functions, ...)
 * are bound functions over a native target: their captured state travels as
 * the bound arguments (a js_native_fn cannot see its own function object).
 */
#include <stdlib.h>
#include "builtins.h"
#include "promise.h"
#include "../core/string.h"

enum { P_PENDING, P_FULFILLED, P_REJECTED };

/* A reaction: either a JS handler with an optional capability, or a native
 * continuation (await). Internal cell, linked from its promise. */
typedef struct reaction {
    js_internal base;
    struct reaction *next;
    jsv cap_promise, cap_resolve, cap_reject;  /* cap_resolve undefined + cap_promise a
                                                  %Promise% object: settle it directly */
    jsv on_fulfilled, on_rejected;
    jsbi_promise_cont cont;
    jsv data;
} reaction;

typedef struct js_promise {
    js_object base;
    uint8_t state;
    uint8_t handled;
    jsv result;
    reaction *head, *tail;
} js_promise;

/* A small mutable record shared by closures (alreadyResolved, Promise.all state, ...). */
#define BOX_SLOTS 6
typedef struct box {
    js_internal base;
    jsv v[BOX_SLOTS];
} box;

static void reaction_trace(js_gc_tracer *trc, void *cell)
{
    reaction *r = cell;
    jsgc_mark_cell(trc, r->next);
    jsgc_mark_value(trc, r->cap_promise);
    jsgc_mark_value(trc, r->cap_resolve);
    jsgc_mark_value(trc, r->cap_reject);
    jsgc_mark_value(trc, r->on_fulfilled);
    jsgc_mark_value(trc, r->on_rejected);
    jsgc_mark_value(trc, r->data);
}

static const js_internal_ops reaction_ops = { "PromiseReaction", reaction_trace, NULL };

static void box_trace(js_gc_tracer *trc, void *cell)
{
    jsgc_mark_values(trc, ((box *)cell)->v, BOX_SLOTS);
}

static const js_internal_ops box_ops = { "PromiseBox", box_trace, NULL };

static void promise_trace(js_gc_tracer *trc, js_object *o)
{
    js_promise *p = (js_promise *)o;
    jsgc_mark_value(trc, p->result);
    jsgc_mark_cell(trc, p->head);
}

const js_class_ops jsclass_promise = {
    .name = "Promise",
    .size = sizeof(js_promise),
    .trace = promise_trace,
};

static box *box_new(js_thread *t)
{
    box *b = jsgc_alloc(t, sizeof(box), JS_CELL_INTERNAL);
    if (!b) return NULL;
    b->base.ops = &box_ops;
    for (int i = 0; i < BOX_SLOTS; i++) b->v[i] = JSV_UNDEFINED;
    return b;
}

static box *as_box(jsv v) { return (box *)jsv_get_ptr(v); }

static js_key akey(js_thread *t, int id) { return jskey_from_atom_id(t, id); }

static int is_promise(jsv v) { return jsv_is_object(v) && jsobj_class(JSV_OBJ(v)) == JS_CLASS_PROMISE; }

/* A built-in closure: fn receives the n data values first, then the call's arguments. */
static js_object *closure_new(js_thread *t, js_native_fn fn, int length, int n, const jsv *data)
{
    js_object *target = jsfn_new_native(t, fn, akey(t, JS_ATOM_empty), length, n);
    if (!target) return NULL;
    js_object *f = jsfn_new_bound(t, target, JSV_UNDEFINED, n, data);
    if (!f) return NULL;
    if (jsobj_define_value(t, f, akey(t, JS_ATOM_length), jsv_from_int(length), JS_PROP_CONFIGURABLE) < 0 ||
        jsobj_define_value(t, f, akey(t, JS_ATOM_name), jsv_string(jsrt_atom(t, JS_ATOM_empty)), JS_PROP_CONFIGURABLE) < 0)
        return NULL;
    return f;
}

/* The user arguments of a closure call (after its n data values). */
#define CARG(i) ((magic) + (i) < argc ? argv[(magic) + (i)] : JSV_UNDEFINED)

/* ---- settling ---- */

static jsv reaction_job(js_thread *t, int argc, jsv *argv);

static int trigger_reactions(js_thread *t, reaction *r, jsv arg, int rejected)
{
    for (; r; r = r->next) {
        jsv a[3] = { jsv_cell(r), arg, jsv_from_int(rejected) };
        if (jsrt_enqueue_job(t, reaction_job, 3, a) < 0) return -1;
    }
    return 0;
}

static int settle(js_thread *t, js_promise *p, jsv v, int state)
{
    if (p->state != P_PENDING) return 0;
    reaction *r = p->head;
    p->head = p->tail = NULL;
    p->result = v;
    p->state = (uint8_t)state;
    if (state == P_REJECTED && !p->handled && t->rt->promise_rejection_tracker)
        t->rt->promise_rejection_tracker(t, jsv_object(p), 0, t->rt->rejection_opaque);
    return trigger_reactions(t, r, v, state == P_REJECTED);
}

static int fulfill(js_thread *t, js_promise *p, jsv v) { return settle(t, p, v, P_FULFILLED); }
static int reject(js_thread *t, js_promise *p, jsv v) { return settle(t, p, v, P_REJECTED); }

static int create_resolving_functions(js_thread *t, js_promise *p, jsv out[2]);

/* PromiseResolveThenableJob(promise, thenable, then) */
static jsv resolve_thenable_job(js_thread *t, int argc, jsv *argv)
{
    js_promise *p = (js_promise *)JSV_OBJ(argv[0]);
    jsv fns[2];
    if (create_resolving_functions(t, p, fns) < 0) return JSV_EXCEPTION;
    jsv r = jsvm_call(t, argv[2], argv[1], 2, fns);
    if (r == JSV_EXCEPTION) {
        if (t->uncatchable) return JSV_EXCEPTION;
        jsv e = jsvm_take_exception(t);
        return jsvm_call(t, fns[1], JSV_UNDEFINED, 1, &e);
    }
    return JSV_UNDEFINED;
}

/* The body of a promise resolve function (after the alreadyResolved check).
 * Returns -1 only for failures that cannot be turned into a rejection. */
static int resolve_promise(js_thread *t, js_promise *p, jsv resolution)
{
    if (resolution == jsv_object(p)) {
        jsv e = jsvm_new_error(t, JS_ERR_TYPE, jsstr_new_cstr(t, "Chaining cycle detected for promise"));
        if (e == JSV_EXCEPTION) return -1;
        return reject(t, p, e);
    }
    if (!jsv_is_object(resolution)) return fulfill(t, p, resolution);
    jsv then = jsobj_get(t, JSV_OBJ(resolution), akey(t, JS_ATOM_then), resolution);
    if (then == JSV_EXCEPTION) {
        if (t->uncatchable) return -1;
        return reject(t, p, jsvm_take_exception(t));
    }
    if (!jsop_is_callable(then)) return fulfill(t, p, resolution);
    jsv a[3] = { jsv_object(p), resolution, then };
    return jsrt_enqueue_job(t, resolve_thenable_job, 3, a);
}

/* resolve (magic 2: data = promise, alreadyResolved box) */
static jsv resolve_fn(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    box *b = as_box(argv[1]);
    if (b->v[0] == JSV_TRUE) return JSV_UNDEFINED;
    b->v[0] = JSV_TRUE;
    return resolve_promise(t, (js_promise *)JSV_OBJ(argv[0]), CARG(0)) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
}

static jsv reject_fn(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    box *b = as_box(argv[1]);
    if (b->v[0] == JSV_TRUE) return JSV_UNDEFINED;
    b->v[0] = JSV_TRUE;
    return reject(t, (js_promise *)JSV_OBJ(argv[0]), CARG(0)) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
}

static int create_resolving_functions(js_thread *t, js_promise *p, jsv out[2])
{
    box *b = box_new(t);
    if (!b) return -1;
    jsv data[2] = { jsv_object(p), jsv_cell(b) };
    js_object *res = closure_new(t, resolve_fn, 1, 2, data);
    if (!res) return -1;
    js_object *rej = closure_new(t, reject_fn, 1, 2, data);
    if (!rej) return -1;
    out[0] = jsv_object(res);
    out[1] = jsv_object(rej);
    return 0;
}

/* ---- reactions ---- */

static jsv reaction_job(js_thread *t, int argc, jsv *argv)
{
    reaction *r = jsv_get_ptr(argv[0]);
    jsv arg = argv[1];
    int rejected = jsv_get_int(argv[2]);
    if (r->cont) return r->cont(t, arg, r->data, rejected);
    jsv handler = rejected ? r->on_rejected : r->on_fulfilled;
    jsv value = arg;
    int abrupt = rejected;
    if (!jsv_is_undefined(handler)) {
        value = jsvm_call(t, handler, JSV_UNDEFINED, 1, &arg);
        abrupt = 0;
        if (value == JSV_EXCEPTION) {
            if (t->uncatchable) return JSV_EXCEPTION;
            value = jsvm_take_exception(t);
            abrupt = 1;
        }
    }
    if (jsv_is_undefined(r->cap_promise)) return JSV_UNDEFINED;
    if (jsv_is_undefined(r->cap_resolve)) {
        js_promise *p = (js_promise *)JSV_OBJ(r->cap_promise);
        int rc = abrupt ? reject(t, p, value) : resolve_promise(t, p, value);
        return rc < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
    }
    return jsvm_call(t, abrupt ? r->cap_reject : r->cap_resolve, JSV_UNDEFINED, 1, &value);
}

static reaction *reaction_new(js_thread *t)
{
    reaction *r = jsgc_alloc(t, sizeof(reaction), JS_CELL_INTERNAL);
    if (!r) return NULL;
    r->base.ops = &reaction_ops;
    r->cap_promise = r->cap_resolve = r->cap_reject = JSV_UNDEFINED;
    r->on_fulfilled = r->on_rejected = r->data = JSV_UNDEFINED;
    return r;
}

/* PerformPromiseThen with a prepared reaction. */
static int perform_then(js_thread *t, js_promise *p, reaction *r)
{
    if (p->state == P_PENDING) {
        if (p->tail) p->tail->next = r;
        else p->head = r;
        p->tail = r;
    } else {
        if (p->state == P_REJECTED && !p->handled && t->rt->promise_rejection_tracker)
            t->rt->promise_rejection_tracker(t, jsv_object(p), 1, t->rt->rejection_opaque);
        jsv a[3] = { jsv_cell(r), p->result, jsv_from_int(p->state == P_REJECTED) };
        if (jsrt_enqueue_job(t, reaction_job, 3, a) < 0) return -1;
    }
    p->handled = 1;
    return 0;
}

/* ---- capabilities ---- */

static js_promise *promise_alloc(js_thread *t, jsv new_target)
{
    js_promise *p;
    if (jsv_is_undefined(new_target))
        p = (js_promise *)jsobj_new(t, jsrt_intrinsic(t, JS_INTR_PromisePrototype), JS_CLASS_PROMISE);
    else
        p = (js_promise *)jsobj_new_from_ctor(t, new_target, JS_INTR_PromisePrototype, JS_CLASS_PROMISE);
    if (!p) return NULL;
    p->result = JSV_UNDEFINED;
    return p;
}

/* GetCapabilitiesExecutor (data: the capability box) */
static jsv cap_executor(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    box *b = as_box(argv[0]);
    if (!jsv_is_undefined(b->v[0])) return jsvm_throw_type_error(t, "Promise executor has already been invoked with a resolve function");
    if (!jsv_is_undefined(b->v[1])) return jsvm_throw_type_error(t, "Promise executor has already been invoked with a reject function");
    b->v[0] = CARG(0);
    b->v[1] = CARG(1);
    return JSV_UNDEFINED;
}

int jsbi_new_promise_capability(js_thread *t, jsv ctor, jsv out[3])
{
    if (!jsop_is_constructor(ctor)) { jsvm_throw_type_error(t, "Promise capability: not a constructor"); return -1; }
    box *b = box_new(t);
    if (!b) return -1;
    jsv data = jsv_cell(b);
    js_object *ex = closure_new(t, cap_executor, 2, 1, &data);
    if (!ex) return -1;
    jsv exv = jsv_object(ex);
    jsv p = jsvm_construct(t, ctor, 1, &exv, JSV_UNDEFINED);
    if (p == JSV_EXCEPTION) return -1;
    if (!jsop_is_callable(b->v[0])) { jsvm_throw_type_error(t, "Promise resolve function is not callable"); return -1; }
    if (!jsop_is_callable(b->v[1])) { jsvm_throw_type_error(t, "Promise reject function is not callable"); return -1; }
    out[0] = p;
    out[1] = b->v[0];
    out[2] = b->v[1];
    return 0;
}

/* IfAbruptRejectPromise: reject the capability with the pending exception. */
static jsv reject_cap_with_exception(js_thread *t, jsv cap[3])
{
    if (t->uncatchable) return JSV_EXCEPTION;
    jsv e = jsvm_take_exception(t);
    if (jsvm_call(t, cap[2], JSV_UNDEFINED, 1, &e) == JSV_EXCEPTION) return JSV_EXCEPTION;
    return cap[0];
}

/* PromiseResolve(C, x) */
static jsv promise_resolve_with(js_thread *t, jsv c, jsv x)
{
    if (is_promise(x)) {
        jsv xc = jsobj_get(t, JSV_OBJ(x), akey(t, JS_ATOM_constructor), x);
        if (xc == JSV_EXCEPTION) return JSV_EXCEPTION;
        if (xc == c) return x;
    }
    if (c == jsrt_intrinsic(t, JS_INTR_Promise)) {
        js_promise *p = promise_alloc(t, JSV_UNDEFINED);
        if (!p || resolve_promise(t, p, x) < 0) return JSV_EXCEPTION;
        return jsv_object(p);
    }
    jsv cap[3];
    if (jsbi_new_promise_capability(t, c, cap) < 0) return JSV_EXCEPTION;
    if (jsvm_call(t, cap[1], JSV_UNDEFINED, 1, &x) == JSV_EXCEPTION) return JSV_EXCEPTION;
    return cap[0];
}

/* ---- promise.h ---- */

jsv jsbi_promise_new(js_thread *t)
{
    js_promise *p = promise_alloc(t, JSV_UNDEFINED);
    return p ? jsv_object(p) : JSV_EXCEPTION;
}

jsv jsbi_promise_resolve(js_thread *t, jsv v)
{
    return promise_resolve_with(t, jsrt_intrinsic(t, JS_INTR_Promise), v);
}

int jsbi_promise_fulfill_or_resolve(js_thread *t, jsv promise, jsv value)
{
    if (!is_promise(promise)) { jsvm_throw_type_error(t, "not a promise"); return -1; }
    return resolve_promise(t, (js_promise *)JSV_OBJ(promise), value);
}

int jsbi_promise_reject(js_thread *t, jsv promise, jsv reason)
{
    if (!is_promise(promise)) { jsvm_throw_type_error(t, "not a promise"); return -1; }
    return reject(t, (js_promise *)JSV_OBJ(promise), reason);
}

int jsbi_promise_then_native(js_thread *t, jsv promise, jsbi_promise_cont fn, jsv data)
{
    if (!is_promise(promise)) { jsvm_throw_type_error(t, "not a promise"); return -1; }
    reaction *r = reaction_new(t);
    if (!r) return -1;
    r->cont = fn;
    r->data = data;
    return perform_then(t, (js_promise *)JSV_OBJ(promise), r);
}

jsv jsbi_promise_then(js_thread *t, jsv promise, jsv on_fulfilled, jsv on_rejected)
{
    jsv args[2] = { on_fulfilled, on_rejected };
    return jsvm_invoke(t, promise, akey(t, JS_ATOM_then), 2, args);
}

int jsbi_promise_state(jsv promise, jsv *result)
{
    if (!is_promise(promise)) return -1;
    js_promise *p = (js_promise *)JSV_OBJ(promise);
    if (result) *result = p->result;
    return p->state;
}

/* ---- constructor and prototype ---- */

static jsv promise_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    if (jsv_is_undefined(new_target)) return jsvm_throw_type_error(t, "Promise constructor cannot be invoked without 'new'");
    jsv executor = JS_ARG(0);
    if (!jsop_is_callable(executor)) return jsvm_throw_type_error(t, "Promise resolver is not a function");
    js_promise *p = promise_alloc(t, new_target);
    if (!p) return JSV_EXCEPTION;
    jsv fns[2];
    if (create_resolving_functions(t, p, fns) < 0) return JSV_EXCEPTION;
    if (jsvm_call(t, executor, JSV_UNDEFINED, 2, fns) == JSV_EXCEPTION) {
        if (t->uncatchable) return JSV_EXCEPTION;
        jsv e = jsvm_take_exception(t);
        if (jsvm_call(t, fns[1], JSV_UNDEFINED, 1, &e) == JSV_EXCEPTION) return JSV_EXCEPTION;
    }
    return jsv_object(p);
}

static jsv promise_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_throw_type_error(t, "Promise constructor cannot be invoked without 'new'");
}

static jsv proto_then(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!is_promise(this_val)) return jsvm_throw_type_error(t, "Promise.prototype.then called on an incompatible receiver");
    js_promise *p = (js_promise *)JSV_OBJ(this_val);
    jsv c = jsop_species_constructor(t, &p->base, jsrt_intrinsic(t, JS_INTR_Promise));
    if (c == JSV_EXCEPTION) return JSV_EXCEPTION;
    reaction *r = reaction_new(t);
    if (!r) return JSV_EXCEPTION;
    if (c == jsrt_intrinsic(t, JS_INTR_Promise)) {
        js_promise *np = promise_alloc(t, JSV_UNDEFINED);
        if (!np) return JSV_EXCEPTION;
        r->cap_promise = jsv_object(np);
    } else {
        jsv cap[3];
        if (jsbi_new_promise_capability(t, c, cap) < 0) return JSV_EXCEPTION;
        r->cap_promise = cap[0];
        r->cap_resolve = cap[1];
        r->cap_reject = cap[2];
    }
    if (jsop_is_callable(JS_ARG(0))) r->on_fulfilled = argv[0];
    if (jsop_is_callable(JS_ARG(1))) r->on_rejected = argv[1];
    if (perform_then(t, p, r) < 0) return JSV_EXCEPTION;
    return r->cap_promise;
}

static jsv proto_catch(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv args[2] = { JSV_UNDEFINED, JS_ARG(0) };
    return jsvm_invoke(t, this_val, akey(t, JS_ATOM_then), 2, args);
}

/* finally's thunks: data[0] = value or reason */
static jsv value_thunk(js_thread *t, jsv this_val, int argc, jsv *argv, int magic) { return argv[0]; }
static jsv thrower_thunk(js_thread *t, jsv this_val, int argc, jsv *argv, int magic) { return jsvm_throw(t, argv[0]); }

/* thenFinally (thrower = 0) / catchFinally (1): data = onFinally, C, thrower flag */
static jsv finally_fn(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv on_finally = argv[0], c = argv[1];
    int thrower = jsv_get_bool(argv[2]);
    jsv value = CARG(0);
    jsv result = jsvm_call(t, on_finally, JSV_UNDEFINED, 0, NULL);
    if (result == JSV_EXCEPTION) return JSV_EXCEPTION;
    jsv p = promise_resolve_with(t, c, result);
    if (p == JSV_EXCEPTION) return JSV_EXCEPTION;
    js_object *thunk = closure_new(t, thrower ? thrower_thunk : value_thunk, 0, 1, &value);
    if (!thunk) return JSV_EXCEPTION;
    jsv tv = jsv_object(thunk);
    return jsvm_invoke(t, p, akey(t, JS_ATOM_then), 1, &tv);
}

static jsv proto_finally(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "Promise.prototype.finally called on a non-object");
    jsv c = jsop_species_constructor(t, JSV_OBJ(this_val), jsrt_intrinsic(t, JS_INTR_Promise));
    if (c == JSV_EXCEPTION) return JSV_EXCEPTION;
    jsv on_finally = JS_ARG(0), args[2];
    if (!jsop_is_callable(on_finally)) {
        args[0] = args[1] = on_finally;
    } else {
        jsv d1[3] = { on_finally, c, JSV_FALSE }, d2[3] = { on_finally, c, JSV_TRUE };
        js_object *tf = closure_new(t, finally_fn, 1, 3, d1);
        js_object *cf = tf ? closure_new(t, finally_fn, 1, 3, d2) : NULL;
        if (!cf) return JSV_EXCEPTION;
        args[0] = jsv_object(tf);
        args[1] = jsv_object(cf);
    }
    return jsvm_invoke(t, this_val, akey(t, JS_ATOM_then), 2, args);
}

/* ---- statics ---- */

static jsv promise_static_resolve(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "Promise.resolve called on a non-object");
    return promise_resolve_with(t, this_val, JS_ARG(0));
}

static jsv promise_static_reject(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv cap[3], r = JS_ARG(0);
    if (jsbi_new_promise_capability(t, this_val, cap) < 0) return JSV_EXCEPTION;
    if (jsvm_call(t, cap[2], JSV_UNDEFINED, 1, &r) == JSV_EXCEPTION) return JSV_EXCEPTION;
    return cap[0];
}

static jsv promise_with_resolvers(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv cap[3];
    if (jsbi_new_promise_capability(t, this_val, cap) < 0) return JSV_EXCEPTION;
    js_object *o = jsobj_new_plain(t);
    if (!o) return JSV_EXCEPTION;
    if (jsobj_create_data_property(t, o, jskey_from_cstr(t, "promise"), cap[0], JS_THROW) < 0 ||
        jsobj_create_data_property(t, o, akey(t, JS_ATOM_resolve), cap[1], JS_THROW) < 0 ||
        jsobj_create_data_property(t, o, akey(t, JS_ATOM_reject), cap[2], JS_THROW) < 0)
        return JSV_EXCEPTION;
    return jsv_object(o);
}

static jsv promise_try(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "Promise.try called on a non-object");
    jsv cap[3];
    if (jsbi_new_promise_capability(t, this_val, cap) < 0) return JSV_EXCEPTION;
    jsv r = jsvm_call(t, JS_ARG(0), JSV_UNDEFINED, argc > 1 ? argc - 1 : 0, argv + 1);
    if (r == JSV_EXCEPTION) return reject_cap_with_exception(t, cap);
    if (jsvm_call(t, cap[1], JSV_UNDEFINED, 1, &r) == JSV_EXCEPTION) return JSV_EXCEPTION;
    return cap[0];
}

/* Combinators. The shared state box: v[0] values (hidden array), v[1] remaining
 * count, v[2..4] capability, v[5] keys (keyed variants) or undefined. */
enum { C_ALL, C_ALL_SETTLED, C_ANY, C_RACE };

static jsv combinator_finish(js_thread *t, box *st, int kind)
{
    js_object *vals = JSV_OBJ(st->v[0]);
    if (jsv_is_object(st->v[5])) {
        /* CreateKeyedPromiseCombinatorResultObject */
        js_object *keys = JSV_OBJ(st->v[5]);
        js_object *res = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
        if (!res) return JSV_EXCEPTION;
        for (uint32_t i = 0; i < keys->elen && i < vals->elen; i++)
            if (jsobj_create_data_property(t, res, keys->elems[i], vals->elems[i], JS_THROW) < 0) return JSV_EXCEPTION;
        jsv rv = jsv_object(res);
        return jsvm_call(t, st->v[3], JSV_UNDEFINED, 1, &rv);
    }
    js_object *arr = jsobj_new_array_from(t, vals->elen, vals->elems);
    if (!arr) return JSV_EXCEPTION;
    if (kind == C_ANY) {
        jsv err = jsvm_new_error(t, JS_ERR_AGGREGATE, jsstr_new_cstr(t, "All promises were rejected"));
        if (err == JSV_EXCEPTION) return JSV_EXCEPTION;
        js_propdesc d = { JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE | JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE |
                              JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE,
                          jsv_object(arr), JSV_UNDEFINED, JSV_UNDEFINED };
        if (jsobj_define_own_property(t, JSV_OBJ(err), akey(t, JS_ATOM_errors), &d, JS_THROW) < 0) return JSV_EXCEPTION;
        return jsvm_call(t, st->v[4], JSV_UNDEFINED, 1, &err);
    }
    jsv av = jsv_object(arr);
    return jsvm_call(t, st->v[3], JSV_UNDEFINED, 1, &av);
}

/* Element functions. data: state box, index, alreadyCalled box; magic 3 data values.
 * which: 0 all-resolve, 1 settled-fulfilled, 2 settled-rejected, 3 any-reject. */
static jsv element_fn(js_thread *t, jsv this_val, int argc, jsv *argv, int magic, int which, int kind)
{
    box *st = as_box(argv[0]);
    uint32_t index = (uint32_t)jsv_get_int(argv[1]);
    box *called = as_box(argv[2]);
    if (called->v[0] == JSV_TRUE) return JSV_UNDEFINED;
    called->v[0] = JSV_TRUE;
    jsv x = CARG(0), v = x;
    if (which == 1 || which == 2) {
        js_object *o = jsobj_new_plain(t);
        if (!o) return JSV_EXCEPTION;
        js_string *status = jsstr_new_cstr(t, which == 1 ? "fulfilled" : "rejected");
        if (!status || jsobj_create_data_property(t, o, akey(t, JS_ATOM_status), jsv_string(status), JS_THROW) < 0 ||
            jsobj_create_data_property(t, o, which == 1 ? akey(t, JS_ATOM_value) : akey(t, JS_ATOM_reason), x, JS_THROW) < 0)
            return JSV_EXCEPTION;
        v = jsv_object(o);
    }
    js_object *vals = JSV_OBJ(st->v[0]);
    if (index < vals->elen) vals->elems[index] = v;
    int32_t rem = jsv_get_int(st->v[1]) - 1;
    st->v[1] = jsv_from_int(rem);
    if (rem == 0) return combinator_finish(t, st, kind);
    return JSV_UNDEFINED;
}

static jsv all_resolve_element(js_thread *t, jsv tv, int argc, jsv *argv, int magic)
{ return element_fn(t, tv, argc, argv, magic, 0, C_ALL); }
static jsv settled_fulfilled_element(js_thread *t, jsv tv, int argc, jsv *argv, int magic)
{ return element_fn(t, tv, argc, argv, magic, 1, C_ALL_SETTLED); }
static jsv settled_rejected_element(js_thread *t, jsv tv, int argc, jsv *argv, int magic)
{ return element_fn(t, tv, argc, argv, magic, 2, C_ALL_SETTLED); }
static jsv any_reject_element(js_thread *t, jsv tv, int argc, jsv *argv, int magic)
{ return element_fn(t, tv, argc, argv, magic, 3, C_ANY); }

/* IteratorStepValue with [[Done]] tracking: 1 value, 0 done, -1 exception (done set). */
static int step_value(js_thread *t, js_iter_record *it, jsv *v)
{
    jsv r = jsvm_call(t, it->next_method, it->iterator, 0, NULL);
    if (r == JSV_EXCEPTION) { it->done = 1; return -1; }
    if (!jsv_is_object(r)) { it->done = 1; jsvm_throw_type_error(t, "iterator result is not an object"); return -1; }
    jsv d = jsobj_get(t, JSV_OBJ(r), akey(t, JS_ATOM_done), r);
    if (d == JSV_EXCEPTION) { it->done = 1; return -1; }
    if (jsop_to_boolean(d)) { it->done = 1; return 0; }
    *v = jsobj_get(t, JSV_OBJ(r), akey(t, JS_ATOM_value), r);
    if (*v == JSV_EXCEPTION) { it->done = 1; return -1; }
    return 1;
}

static jsv promise_combinator(js_thread *t, jsv this_val, int argc, jsv *argv, int kind)
{
    jsv c = this_val, cap[3];
    if (jsbi_new_promise_capability(t, c, cap) < 0) return JSV_EXCEPTION;
    jsv presolve = jsv_is_object(c) ? jsobj_get(t, JSV_OBJ(c), akey(t, JS_ATOM_resolve), c) : JSV_EXCEPTION;
    if (presolve == JSV_EXCEPTION) return reject_cap_with_exception(t, cap);
    if (!jsop_is_callable(presolve)) {
        jsvm_throw_type_error(t, "Promise resolve is not a function");
        return reject_cap_with_exception(t, cap);
    }
    js_iter_record it;
    if (jsop_get_iterator(t, JS_ARG(0), 0, &it) < 0) return reject_cap_with_exception(t, cap);
    it.done = 0;

    box *st = box_new(t);
    js_object *vals = st ? jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT) : NULL;
    if (!vals) return JSV_EXCEPTION;
    st->v[0] = jsv_object(vals);
    st->v[1] = jsv_from_int(1);
    st->v[2] = cap[0];
    st->v[3] = cap[1];
    st->v[4] = cap[2];
    for (uint32_t index = 0;; index++) {
        jsv next;
        int r = step_value(t, &it, &next);
        if (r < 0) goto abrupt;
        if (r == 0) {
            if (kind == C_RACE) return cap[0];
            int32_t rem = jsv_get_int(st->v[1]) - 1;
            st->v[1] = jsv_from_int(rem);
            if (rem == 0 && combinator_finish(t, st, kind) == JSV_EXCEPTION) goto abrupt;
            return cap[0];
        }
        if (kind != C_RACE) {
            if (vals->elen >= vals->ecap && jsobj_elems_reserve(t, vals, vals->ecap ? vals->ecap * 2 : 8) < 0) goto abrupt;
            vals->elems[vals->elen++] = JSV_UNDEFINED;
        }
        jsv np = jsvm_call(t, presolve, c, 1, &next);
        if (np == JSV_EXCEPTION) goto abrupt;
        jsv then_args[2];
        if (kind == C_RACE) {
            then_args[0] = cap[1];
            then_args[1] = cap[2];
        } else {
            box *called = box_new(t);
            if (!called) goto abrupt;
            jsv data[3] = { jsv_cell(st), jsv_from_int((int32_t)index), jsv_cell(called) };
            js_object *f1 = NULL, *f2 = NULL;
            if (kind == C_ALL) {
                f1 = closure_new(t, all_resolve_element, 1, 3, data);
                then_args[1] = cap[2];
            } else if (kind == C_ALL_SETTLED) {
                f1 = closure_new(t, settled_fulfilled_element, 1, 3, data);
                f2 = f1 ? closure_new(t, settled_rejected_element, 1, 3, data) : NULL;
                if (!f2) goto abrupt;
                then_args[1] = jsv_object(f2);
            } else {
                f1 = closure_new(t, any_reject_element, 1, 3, data);
            }
            if (!f1) goto abrupt;
            if (kind == C_ANY) {
                then_args[0] = cap[1];
                then_args[1] = jsv_object(f1);
            } else then_args[0] = jsv_object(f1);
            st->v[1] = jsv_from_int(jsv_get_int(st->v[1]) + 1);
        }
        if (jsvm_invoke(t, np, akey(t, JS_ATOM_then), 2, then_args) == JSV_EXCEPTION) goto abrupt;
    }
abrupt:
    if (!it.done) jsop_iterator_close(t, &it, 1);
    return reject_cap_with_exception(t, cap);
}

/* Promise.allKeyed (magic C_ALL) / allSettledKeyed (C_ALL_SETTLED) */
static jsv promise_keyed(js_thread *t, jsv this_val, int argc, jsv *argv, int kind)
{
    jsv c = this_val, cap[3], promises = JS_ARG(0);
    if (jsbi_new_promise_capability(t, c, cap) < 0) return JSV_EXCEPTION;
    jsv presolve = jsobj_get(t, JSV_OBJ(c), akey(t, JS_ATOM_resolve), c);
    if (presolve == JSV_EXCEPTION) return reject_cap_with_exception(t, cap);
    if (!jsop_is_callable(presolve)) {
        jsvm_throw_type_error(t, "Promise resolve is not a function");
        return reject_cap_with_exception(t, cap);
    }
    if (!jsv_is_object(promises)) {
        jsvm_throw_type_error(t, "Promise keyed combinator argument is not an object");
        return reject_cap_with_exception(t, cap);
    }
    js_object *src = JSV_OBJ(promises);
    box *st = box_new(t);
    js_object *vals = st ? jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT) : NULL;
    js_object *keys = vals ? jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT) : NULL;
    if (!keys) return JSV_EXCEPTION;
    st->v[0] = jsv_object(vals);
    st->v[1] = jsv_from_int(1);
    st->v[2] = cap[0];
    st->v[3] = cap[1];
    st->v[4] = cap[2];
    st->v[5] = jsv_object(keys);
    js_object *all = jsbi_own_keys(t, src);
    if (!all) return reject_cap_with_exception(t, cap);
    uint32_t index = 0;
    for (uint32_t i = 0; i < all->elen; i++) {
        js_key k = all->elems[i];
        js_propdesc d;
        int r = jsobj_get_own_property(t, src, k, &d);
        if (r < 0) return reject_cap_with_exception(t, cap);
        if (!r || !(d.flags & JS_PROP_ENUMERABLE)) continue;
        jsv v = jsobj_get(t, src, k, promises);
        if (v == JSV_EXCEPTION) return reject_cap_with_exception(t, cap);
        uint32_t n = vals->elen + 1;
        if ((n > vals->ecap && jsobj_elems_reserve(t, vals, n * 2) < 0) ||
            (n > keys->ecap && jsobj_elems_reserve(t, keys, n * 2) < 0))
            return reject_cap_with_exception(t, cap);
        vals->elems[vals->elen++] = JSV_UNDEFINED;
        keys->elems[keys->elen++] = k;
        jsv np = jsvm_call(t, presolve, c, 1, &v);
        if (np == JSV_EXCEPTION) return reject_cap_with_exception(t, cap);
        box *called = box_new(t);
        if (!called) return JSV_EXCEPTION;
        jsv data[3] = { jsv_cell(st), jsv_from_int((int32_t)index), jsv_cell(called) };
        jsv then_args[2];
        js_object *f1, *f2 = NULL;
        if (kind == C_ALL) {
            f1 = closure_new(t, all_resolve_element, 1, 3, data);
            then_args[1] = cap[2];
        } else {
            f1 = closure_new(t, settled_fulfilled_element, 1, 3, data);
            f2 = f1 ? closure_new(t, settled_rejected_element, 1, 3, data) : NULL;
            if (f2) then_args[1] = jsv_object(f2);
        }
        if (!f1 || (kind != C_ALL && !f2)) return reject_cap_with_exception(t, cap);
        then_args[0] = jsv_object(f1);
        st->v[1] = jsv_from_int(jsv_get_int(st->v[1]) + 1);
        if (jsvm_invoke(t, np, akey(t, JS_ATOM_then), 2, then_args) == JSV_EXCEPTION)
            return reject_cap_with_exception(t, cap);
        index++;
    }
    int32_t rem = jsv_get_int(st->v[1]) - 1;
    st->v[1] = jsv_from_int(rem);
    if (rem == 0 && combinator_finish(t, st, kind) == JSV_EXCEPTION) return reject_cap_with_exception(t, cap);
    return cap[0];
}

static jsv promise_static_keyed(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return promise_keyed(t, this_val, argc, argv, magic);
}

static jsv promise_static_combinator(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return promise_combinator(t, this_val, argc, argv, magic);
}

static jsv species_getter(js_thread *t, jsv this_val, int argc, jsv *argv, int magic) { return this_val; }

int jsbi_init_promise(js_thread *t, js_realm *realm)
{
    js_object *proto = jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_OBJECT);
    if (!proto) return -1;
    js_object *ctor = jsbi_make_ctor(t, realm, "Promise", 1, promise_call, promise_construct, 0, proto,
                                     JS_INTR_Promise, JS_INTR_PromisePrototype);
    if (!ctor) return -1;
    static const struct { const char *name; js_native_fn fn; int len, magic; } statics[] = {
        { "all", promise_static_combinator, 1, C_ALL },
        { "allKeyed", promise_static_keyed, 1, C_ALL },
        { "allSettled", promise_static_combinator, 1, C_ALL_SETTLED },
        { "allSettledKeyed", promise_static_keyed, 1, C_ALL_SETTLED },
        { "any", promise_static_combinator, 1, C_ANY },
        { "race", promise_static_combinator, 1, C_RACE },
        { "reject", promise_static_reject, 1, 0 },
        { "resolve", promise_static_resolve, 1, 0 },
        { "try", promise_try, 1, 0 },
        { "withResolvers", promise_with_resolvers, 0, 0 },
    };
    for (size_t i = 0; i < sizeof statics / sizeof statics[0]; i++)
        if (jsobj_define_fn(t, ctor, statics[i].name, statics[i].fn, statics[i].len, statics[i].magic) < 0) return -1;
    if (jsobj_define_getset(t, ctor, jsv_symbol(t->rt->wk_symbols[JS_WKS_species]), species_getter, NULL, 0) < 0)
        return -1;
    js_object *then = jsfn_new_native(t, proto_then, akey(t, JS_ATOM_then), 2, 0);
    if (!then || jsobj_define_value(t, proto, akey(t, JS_ATOM_then), jsv_object(then), JS_PROP_C_W) < 0) return -1;
    realm->intrinsics[JS_INTR_PromiseProto_then] = jsv_object(then);
    if (jsobj_define_fn(t, proto, "catch", proto_catch, 1, 0) < 0 ||
        jsobj_define_fn(t, proto, "finally", proto_finally, 1, 0) < 0 ||
        jsbi_set_tag(t, proto, "Promise") < 0)
        return -1;
    return 0;
}
