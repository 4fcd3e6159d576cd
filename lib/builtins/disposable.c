/*
 * disposable.c - DisposableStack and AsyncDisposableStack (explicit resource
 * management): DisposeCapability records, DisposeResources (synchronous, and
 * asynchronous as a promise-driven state machine). Must not touch the VM's
 * own `using` machinery (lib/vm/interp_aux.c) beyond the public headers.
 *
 * A dispose capability is a dense Array of (value, method, kind) triples,
 * private to this file and never exposed to scripts. `kind` folds the hint and
 * the abstract closures of the specification into a small integer, so that no
 * closure function objects need to be created.
 */
#include "builtins.h"
#include "promise.h"
#include "../core/string.h"

enum {
    RK_SYNC = 0,        /* sync-dispose: Call(method, value) */
    RK_ADOPT = 1,       /* adopt() closure: Call(onDispose, undefined, value) */
    RK_ASYNC = 2,       /* async-dispose: Call(method, value), then Await */
    RK_ASYNC_ADOPT = 3, /* async adopt() closure */
    RK_ASYNC_FROM_SYNC = 4, /* @@dispose used by an async resource: result not awaited, errors as rejections */
};
#define RK_IS_ASYNC(k) ((k) >= RK_ASYNC)

typedef struct js_dstack {
    js_object base;
    jsv list;           /* dense Array of triples, or undefined when empty */
    int disposed;       /* [[DisposableState]] */
} js_dstack;

static void dstack_trace(js_gc_tracer *trc, js_object *o)
{
    jsgc_mark_value(trc, ((js_dstack *)o)->list);
}

const js_class_ops jsclass_disposable_stack = {
    .name = "DisposableStack",
    .size = sizeof(js_dstack),
    .trace = dstack_trace,
};

const js_class_ops jsclass_async_disposable_stack = {
    .name = "AsyncDisposableStack",
    .size = sizeof(js_dstack),
    .trace = dstack_trace,
};

static const char *const class_names[2] = { "DisposableStack", "AsyncDisposableStack" };

/* RequireInternalSlot(O, [[DisposableState]]); magic 1 = async. */
static js_dstack *this_stack(js_thread *t, jsv v, int async, const char *method)
{
    unsigned cls = async ? JS_CLASS_ASYNC_DISPOSABLE_STACK : JS_CLASS_DISPOSABLE_STACK;
    if (!jsv_is_object(v) || jsobj_class(JSV_OBJ(v)) != cls) {
        jsvm_throw_type_error(t, "%s.prototype.%s called on an incompatible receiver", class_names[async], method);
        return NULL;
    }
    return (js_dstack *)JSV_OBJ(v);
}

static js_dstack *live_stack(js_thread *t, jsv v, int async, const char *method)
{
    js_dstack *s = this_stack(t, v, async, method);
    if (s && s->disposed) {
        jsvm_throw_reference_error(t, "%s already disposed", class_names[async]);
        return NULL;
    }
    return s;
}

static int push_resource(js_thread *t, js_dstack *s, jsv value, jsv method, int kind)
{
    if (jsv_is_undefined(s->list)) {
        js_object *a = jsobj_new_array(t, 0);
        if (!a) return -1;
        s->list = jsv_object(a);
    }
    js_object *a = JSV_OBJ(s->list);
    if (jsarray_push(t, a, value) < 0 || jsarray_push(t, a, method) < 0 ||
        jsarray_push(t, a, jsv_from_int(kind)) < 0)
        return -1;
    return 0;
}

/* AddDisposableResource(capability, V, hint) for use(): GetDisposeMethod folded in. */
static int add_value_resource(js_thread *t, js_dstack *s, jsv v, int async)
{
    if (jsv_is_nullish(v)) {
        if (!async) return 0;
        return push_resource(t, s, JSV_UNDEFINED, JSV_UNDEFINED, RK_ASYNC);
    }
    if (!jsv_is_object(v)) {
        jsvm_throw_type_error(t, "%s.prototype.use: value is not an object", class_names[async]);
        return -1;
    }
    int kind = async ? RK_ASYNC : RK_SYNC;
    jsv method = JSV_UNDEFINED;
    if (async) {
        method = jsop_get_method(t, v, jsv_symbol(t->rt->wk_symbols[JS_WKS_asyncDispose]));
        if (method == JSV_EXCEPTION) return -1;
    }
    if (jsv_is_undefined(method)) {
        method = jsop_get_method(t, v, jsv_symbol(t->rt->wk_symbols[JS_WKS_dispose]));
        if (method == JSV_EXCEPTION) return -1;
        if (async) kind = RK_ASYNC_FROM_SYNC;
    }
    if (jsv_is_undefined(method)) {
        jsvm_throw_type_error(t, "%s.prototype.use: value is not disposable", class_names[async]);
        return -1;
    }
    return push_resource(t, s, v, method, kind);
}

/* Call one resource's dispose method. For RK_ASYNC_FROM_SYNC the result is the
 * promise the specification's wrapper closure would return. */
static jsv call_resource(js_thread *t, jsv value, jsv method, int kind)
{
    switch (kind) {
    case RK_ADOPT: case RK_ASYNC_ADOPT:
        return jsvm_call(t, method, JSV_UNDEFINED, 1, &value);
    case RK_ASYNC_FROM_SYNC: {
        jsv p = jsbi_promise_new(t);
        if (p == JSV_EXCEPTION) return JSV_EXCEPTION;
        jsv r = jsvm_call(t, method, value, 0, NULL);
        if (r == JSV_EXCEPTION) {
            if (t->uncatchable) return JSV_EXCEPTION;
            if (jsbi_promise_reject(t, p, jsvm_take_exception(t)) < 0) return JSV_EXCEPTION;
        } else if (jsbi_promise_fulfill_or_resolve(t, p, JSV_UNDEFINED) < 0) {
            return JSV_EXCEPTION;
        }
        return p;
    }
    default:
        return jsvm_call(t, method, value, 0, NULL);
    }
}

/* A newly created SuppressedError { error, suppressed }. */
static jsv suppressed_error(js_thread *t, jsv error, jsv suppressed)
{
    js_object *e = jsobj_new(t, jsrt_intrinsic(t, JS_INTR_SuppressedErrorPrototype), JS_CLASS_ERROR);
    if (!e) return JSV_EXCEPTION;
    if (jsobj_define_value(t, e, jskey_from_cstr(t, "error"), error, JS_PROP_C_W) < 0 ||
        jsobj_define_value(t, e, jskey_from_cstr(t, "suppressed"), suppressed, JS_PROP_C_W) < 0)
        return JSV_EXCEPTION;
    return jsv_object(e);
}

/* Fold a new throw completion `e` into (*has_error, *error). -1 on OOM. */
static int record_error(js_thread *t, int *has_error, jsv *error, jsv e)
{
    if (*has_error) {
        jsv se = suppressed_error(t, e, *error);
        if (se == JSV_EXCEPTION) return -1;
        *error = se;
    } else {
        *error = e;
        *has_error = 1;
    }
    return 0;
}

/* ---- DisposableStack ---- */

static jsv stack_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    if (jsv_is_undefined(new_target))
        return jsvm_throw_type_error(t, "Constructor %s requires 'new'", class_names[magic]);
    js_dstack *s = (js_dstack *)jsobj_new_from_ctor(t, new_target,
        magic ? JS_INTR_AsyncDisposableStackPrototype : JS_INTR_DisposableStackPrototype,
        magic ? JS_CLASS_ASYNC_DISPOSABLE_STACK : JS_CLASS_DISPOSABLE_STACK);
    if (!s) return JSV_EXCEPTION;
    s->list = JSV_UNDEFINED;
    s->disposed = 0;
    return jsv_object(s);
}

static jsv stack_use(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_dstack *s = live_stack(t, this_val, magic, "use");
    if (!s) return JSV_EXCEPTION;
    jsv v = JS_ARG(0);
    if (add_value_resource(t, s, v, magic) < 0) return JSV_EXCEPTION;
    return v;
}

static jsv stack_adopt(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_dstack *s = live_stack(t, this_val, magic, "adopt");
    if (!s) return JSV_EXCEPTION;
    jsv v = JS_ARG(0), on_dispose = JS_ARG(1);
    if (!jsop_is_callable(on_dispose))
        return jsvm_throw_type_error(t, "%s.prototype.adopt: onDispose is not callable", class_names[magic]);
    if (push_resource(t, s, v, on_dispose, magic ? RK_ASYNC_ADOPT : RK_ADOPT) < 0) return JSV_EXCEPTION;
    return v;
}

static jsv stack_defer(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_dstack *s = live_stack(t, this_val, magic, "defer");
    if (!s) return JSV_EXCEPTION;
    jsv on_dispose = JS_ARG(0);
    if (!jsop_is_callable(on_dispose))
        return jsvm_throw_type_error(t, "%s.prototype.defer: onDispose is not callable", class_names[magic]);
    if (push_resource(t, s, JSV_UNDEFINED, on_dispose, magic ? RK_ASYNC : RK_SYNC) < 0) return JSV_EXCEPTION;
    return JSV_UNDEFINED;
}

static jsv stack_disposed(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_dstack *s = this_stack(t, this_val, magic, "disposed");
    if (!s) return JSV_EXCEPTION;
    return jsv_from_bool(s->disposed);
}

static jsv stack_move(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_dstack *s = live_stack(t, this_val, magic, "move");
    if (!s) return JSV_EXCEPTION;
    js_dstack *n = (js_dstack *)jsobj_new(t,
        jsrt_intrinsic(t, magic ? JS_INTR_AsyncDisposableStackPrototype : JS_INTR_DisposableStackPrototype),
        magic ? JS_CLASS_ASYNC_DISPOSABLE_STACK : JS_CLASS_DISPOSABLE_STACK);
    if (!n) return JSV_EXCEPTION;
    n->list = s->list;
    n->disposed = 0;
    s->list = JSV_UNDEFINED;
    s->disposed = 1;
    return jsv_object(n);
}

/* DisposableStack.prototype.dispose: DisposeResources with a normal completion. */
static jsv stack_dispose(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_dstack *s = this_stack(t, this_val, 0, "dispose");
    if (!s) return JSV_EXCEPTION;
    if (s->disposed) return JSV_UNDEFINED;
    s->disposed = 1;
    jsv list = s->list;
    s->list = JSV_UNDEFINED;
    if (jsv_is_undefined(list)) return JSV_UNDEFINED;
    js_object *a = JSV_OBJ(list);
    int has_error = 0;
    jsv error = JSV_UNDEFINED;
    for (uint32_t n = a->elen; n >= 3; ) {
        n -= 3;
        jsv r = call_resource(t, a->elems[n], a->elems[n + 1], jsv_get_int(a->elems[n + 2]));
        if (r == JSV_EXCEPTION) {
            if (t->uncatchable) return JSV_EXCEPTION;
            if (record_error(t, &has_error, &error, jsvm_take_exception(t)) < 0) return JSV_EXCEPTION;
        }
    }
    if (has_error) return jsvm_throw(t, error);
    return JSV_UNDEFINED;
}

/* ---- AsyncDisposableStack.prototype.disposeAsync ----
 * The state of one asynchronous DisposeResources lives in a private dense
 * Array (kept alive by the pending reactions that carry it as data). */
enum { ST_LIST, ST_INDEX, ST_HAS_ERROR, ST_ERROR, ST_NEEDS_AWAIT, ST_HAS_AWAITED, ST_PROMISE, ST_AWAIT_KIND, ST_COUNT };

static jsv dispose_async_cont(js_thread *t, jsv value, jsv data, int rejected);

/* Await(v) then resume the state machine. kind 1: a resource's result (a
 * rejection is an error), 0: the bare Await(undefined) of the algorithm. */
static int await_then_resume(js_thread *t, js_object *st, jsv v, int kind)
{
    jsv p = jsbi_promise_resolve(t, v);
    if (p == JSV_EXCEPTION) return -1;
    st->elems[ST_AWAIT_KIND] = jsv_from_int(kind);
    return jsbi_promise_then_native(t, p, dispose_async_cont, jsv_object(st));
}

/* Runs DisposeResources from the saved index until it has to await or is done.
 * Returns -1 only for uncatchable failures (termination). */
static int dispose_async_run(js_thread *t, js_object *st)
{
    js_object *a = jsv_is_undefined(st->elems[ST_LIST]) ? NULL : JSV_OBJ(st->elems[ST_LIST]);
    int32_t n = jsv_get_int(st->elems[ST_INDEX]);
    int has_error = jsv_get_bool(st->elems[ST_HAS_ERROR]);
    jsv error = st->elems[ST_ERROR];
    int needs_await = jsv_get_bool(st->elems[ST_NEEDS_AWAIT]);
    int has_awaited = jsv_get_bool(st->elems[ST_HAS_AWAITED]);
    jsv promise = st->elems[ST_PROMISE];

#define SAVE() do { st->elems[ST_INDEX] = jsv_from_int(n); st->elems[ST_HAS_ERROR] = jsv_from_bool(has_error); \
        st->elems[ST_ERROR] = error; st->elems[ST_NEEDS_AWAIT] = jsv_from_bool(needs_await); \
        st->elems[ST_HAS_AWAITED] = jsv_from_bool(has_awaited); } while (0)

    while (n >= 3) {
        jsv value = a->elems[n - 3], method = a->elems[n - 2];
        int kind = jsv_get_int(a->elems[n - 1]);
        if (!RK_IS_ASYNC(kind) && needs_await && !has_awaited) {
            needs_await = 0;
            SAVE();
            if (await_then_resume(t, st, JSV_UNDEFINED, 0) < 0) goto fail;
            return 0;
        }
        n -= 3;
        if (jsv_is_undefined(method)) {
            needs_await = 1;
            continue;
        }
        jsv r = call_resource(t, value, method, kind);
        if (r != JSV_EXCEPTION && RK_IS_ASYNC(kind)) {
            has_awaited = 1;
            SAVE();
            if (await_then_resume(t, st, r, 1) == 0) return 0;
            r = JSV_EXCEPTION;
        }
        if (r == JSV_EXCEPTION) {
            if (t->uncatchable) return -1;
            if (record_error(t, &has_error, &error, jsvm_take_exception(t)) < 0) goto fail;
        }
    }
    if (needs_await && !has_awaited) {
        needs_await = 0;
        SAVE();
        if (await_then_resume(t, st, JSV_UNDEFINED, 0) < 0) goto fail;
        return 0;
    }
#undef SAVE
    st->elems[ST_LIST] = JSV_UNDEFINED;
    if (has_error) return jsbi_promise_reject(t, promise, error);
    return jsbi_promise_fulfill_or_resolve(t, promise, JSV_UNDEFINED);
fail:
    /* Only out-of-memory-like failures reach here: reject with what was thrown. */
    if (t->uncatchable) return -1;
    return jsbi_promise_reject(t, promise, jsvm_take_exception(t));
}

static jsv dispose_async_cont(js_thread *t, jsv value, jsv data, int rejected)
{
    js_object *st = JSV_OBJ(data);
    if (rejected && jsv_get_int(st->elems[ST_AWAIT_KIND]) == 1) {
        int has_error = jsv_get_bool(st->elems[ST_HAS_ERROR]);
        jsv error = st->elems[ST_ERROR];
        if (record_error(t, &has_error, &error, value) < 0) {
            if (t->uncatchable) return JSV_EXCEPTION;
            return jsbi_promise_reject(t, st->elems[ST_PROMISE], jsvm_take_exception(t)) < 0
                ? JSV_EXCEPTION : JSV_UNDEFINED;
        }
        st->elems[ST_HAS_ERROR] = jsv_from_bool(has_error);
        st->elems[ST_ERROR] = error;
    }
    return dispose_async_run(t, st) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
}

static jsv stack_dispose_async(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv promise = jsbi_promise_new(t);
    if (promise == JSV_EXCEPTION) return JSV_EXCEPTION;
    js_dstack *s = this_stack(t, this_val, 1, "disposeAsync");
    if (!s) {
        if (t->uncatchable) return JSV_EXCEPTION;
        if (jsbi_promise_reject(t, promise, jsvm_take_exception(t)) < 0) return JSV_EXCEPTION;
        return promise;
    }
    if (s->disposed) {
        if (jsbi_promise_fulfill_or_resolve(t, promise, JSV_UNDEFINED) < 0) return JSV_EXCEPTION;
        return promise;
    }
    s->disposed = 1;
    jsv list = s->list;
    s->list = JSV_UNDEFINED;
    jsv init[ST_COUNT] = {
        [ST_LIST] = list,
        [ST_INDEX] = jsv_from_int(jsv_is_undefined(list) ? 0 : (int32_t)JSV_OBJ(list)->elen),
        [ST_HAS_ERROR] = JSV_FALSE, [ST_ERROR] = JSV_UNDEFINED,
        [ST_NEEDS_AWAIT] = JSV_FALSE, [ST_HAS_AWAITED] = JSV_FALSE,
        [ST_PROMISE] = promise, [ST_AWAIT_KIND] = jsv_from_int(0),
    };
    js_object *st = jsobj_new_array_from(t, ST_COUNT, init);
    if (!st) return JSV_EXCEPTION;
    if (dispose_async_run(t, st) < 0) return JSV_EXCEPTION;
    return promise;
}

/* ---- set-up ---- */

static int define_alias(js_thread *t, js_object *proto, const char *name, js_native_fn fn, int magic, int wks)
{
    js_key k = jskey_from_cstr(t, name);
    if (k == JSV_EXCEPTION) return -1;
    js_object *f = jsfn_new_native(t, fn, k, 0, magic);
    if (!f) return -1;
    if (jsobj_define_value(t, proto, k, jsv_object(f), JS_PROP_C_W) < 0 ||
        jsobj_define_value(t, proto, jsv_symbol(t->rt->wk_symbols[wks]), jsv_object(f), JS_PROP_C_W) < 0)
        return -1;
    return 0;
}

static int init_kind(js_thread *t, js_realm *realm, int async)
{
    js_object *proto = jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_OBJECT);
    if (!proto) return -1;
    js_object *ctor = jsbi_make_ctor(t, realm, class_names[async], 0, NULL, stack_construct, async, proto,
                                     async ? JS_INTR_AsyncDisposableStack : JS_INTR_DisposableStack,
                                     async ? JS_INTR_AsyncDisposableStackPrototype : JS_INTR_DisposableStackPrototype);
    if (!ctor) return -1;
    if (jsobj_define_fn(t, proto, "adopt", stack_adopt, 2, async) < 0 ||
        jsobj_define_fn(t, proto, "defer", stack_defer, 1, async) < 0 ||
        (async ? define_alias(t, proto, "disposeAsync", stack_dispose_async, 1, JS_WKS_asyncDispose)
               : define_alias(t, proto, "dispose", stack_dispose, 0, JS_WKS_dispose)) < 0 ||
        jsobj_define_getter(t, proto, "disposed", stack_disposed, async) < 0 ||
        jsobj_define_fn(t, proto, "move", stack_move, 0, async) < 0 ||
        jsobj_define_fn(t, proto, "use", stack_use, 1, async) < 0 ||
        jsbi_set_tag(t, proto, class_names[async]) < 0)
        return -1;
    return 0;
}

int jsbi_init_disposable(js_thread *t, js_realm *realm)
{
    if (init_kind(t, realm, 0) < 0 || init_kind(t, realm, 1) < 0) return -1;
    return 0;
}
