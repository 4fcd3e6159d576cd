/*
 * weakref.c - WeakRef and FinalizationRegistry: weak targets through
 * jsgc_register_weak, KeepDuringJob, and cleanup jobs queued after a
 * collection. Must not touch the collector's state beyond gc.h.
 *
 * KeepDuringJob without a runtime-wide kept list: a WeakRef created or
 * dereferenced marks itself "kept" (its trace hook then holds the target
 * strongly) and queues a job that drops the mark. That job runs after the
 * current job, so the target lives at least until the current job ends, which
 * is all the specification guarantees.
 */
#include <stdlib.h>
#include "builtins.h"
#include "../core/string.h"

/* ---- WeakRef ---- */

typedef struct js_weakref {
    js_object base;
    jsv target;      /* JSV_UNDEFINED once collected */
    int kept;        /* KeepDuringJob: target held strongly until the clear job runs */
} js_weakref;

static void weakref_trace(js_gc_tracer *trc, js_object *o)
{
    js_weakref *w = (js_weakref *)o;
    if (w->kept) jsgc_mark_value(trc, w->target);
}

static void weakref_sweep(js_runtime *rt, void *cell)
{
    js_weakref *w = cell;
    if (!jsv_is_undefined(w->target) && !jsgc_value_is_live(w->target)) w->target = JSV_UNDEFINED;
}

static const js_weak_ops weakref_weak_ops = { NULL, weakref_sweep, NULL };

const js_class_ops jsclass_weakref = {
    .name = "WeakRef",
    .size = sizeof(js_weakref),
    .trace = weakref_trace,
};

static int can_be_held_weakly(jsv v)
{
    if (jsv_is_object(v)) return 1;
    if (jsv_is_symbol(v)) return !(JSV_SYM(v)->h.flags & 1);
    return 0;
}

static jsv clear_kept_job(js_thread *t, int argc, jsv *argv)
{
    ((js_weakref *)JSV_OBJ(argv[0]))->kept = 0;
    return JSV_UNDEFINED;
}

/* AddToKeptObjects */
static int keep(js_thread *t, js_weakref *w)
{
    if (w->kept || jsv_is_undefined(w->target)) return 0;
    jsv self = jsv_object(w);
    if (jsrt_enqueue_job(t, clear_kept_job, 1, &self) < 0) return -1;
    w->kept = 1;
    return 0;
}

static jsv weakref_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_throw_type_error(t, "Constructor WeakRef requires 'new'");
}

static jsv weakref_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    if (jsv_is_undefined(new_target)) return weakref_call(t, JSV_UNDEFINED, argc, argv, magic);
    jsv target = JS_ARG(0);
    if (!can_be_held_weakly(target)) return jsvm_throw_type_error(t, "WeakRef: invalid target");
    js_weakref *w = (js_weakref *)jsobj_new_from_ctor(t, new_target, JS_INTR_WeakRefPrototype, JS_CLASS_WEAKREF);
    if (!w) return JSV_EXCEPTION;
    w->target = target;
    if (jsgc_register_weak(t, w, &weakref_weak_ops) < 0 || keep(t, w) < 0) return JSV_EXCEPTION;
    return jsv_object(w);
}

static jsv weakref_deref(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val) || jsobj_class(JSV_OBJ(this_val)) != JS_CLASS_WEAKREF)
        return jsvm_throw_type_error(t, "WeakRef.prototype.deref called on an incompatible receiver");
    js_weakref *w = (js_weakref *)JSV_OBJ(this_val);
    if (jsv_is_undefined(w->target)) return JSV_UNDEFINED;
    if (keep(t, w) < 0) return JSV_EXCEPTION;
    return w->target;
}

/* ---- FinalizationRegistry ---- */

typedef struct fr_cell {
    jsv target;      /* JSV_HOLE once collected (cleanup pending) */
    jsv held;        /* strong */
    jsv token;       /* weak; JSV_HOLE when none */
} fr_cell;

typedef struct js_finreg {
    js_object base;
    jsv callback;
    fr_cell *cells;
    uint32_t count, cap;
    uint8_t pending;       /* some cells wait for cleanup */
    uint8_t scheduled;     /* a cleanup job is queued */
} js_finreg;

static void finreg_trace(js_gc_tracer *trc, js_object *o)
{
    js_finreg *r = (js_finreg *)o;
    jsgc_mark_value(trc, r->callback);
    for (uint32_t i = 0; i < r->count; i++) jsgc_mark_value(trc, r->cells[i].held);
}

static void finreg_finalize(js_runtime *rt, js_object *o)
{
    js_finreg *r = (js_finreg *)o;
    if (r->cells) jsgc_free(rt, r->cells, r->cap * sizeof(fr_cell));
    r->cells = NULL;
}

static void finreg_sweep(js_runtime *rt, void *cell)
{
    js_finreg *r = cell;
    for (uint32_t i = 0; i < r->count; i++) {
        fr_cell *c = &r->cells[i];
        if (c->target != JSV_HOLE && !jsgc_value_is_live(c->target)) {
            c->target = JSV_HOLE;
            r->pending = 1;
        }
        if (c->token != JSV_HOLE && !jsgc_value_is_live(c->token)) c->token = JSV_HOLE;
    }
}

static jsv cleanup_job(js_thread *t, int argc, jsv *argv);

static void finreg_after_gc(js_thread *t, void *cell)
{
    js_finreg *r = cell;
    if (!r->pending || r->scheduled) return;
    jsv self = jsv_object(r);
    if (jsrt_enqueue_job(t, cleanup_job, 1, &self) < 0) {
        if (t->has_exception) jsvm_take_exception(t);
        return;
    }
    r->scheduled = 1;
}

static const js_weak_ops finreg_weak_ops = { NULL, finreg_sweep, finreg_after_gc };

const js_class_ops jsclass_finalization_registry = {
    .name = "FinalizationRegistry",
    .size = sizeof(js_finreg),
    .trace = finreg_trace,
    .finalize = finreg_finalize,
};

/* CleanupFinalizationRegistry */
static jsv cleanup(js_thread *t, js_finreg *r, jsv callback)
{
    for (;;) {
        uint32_t i;
        for (i = 0; i < r->count; i++) if (r->cells[i].target == JSV_HOLE) break;
        if (i == r->count) break;
        jsv held = r->cells[i].held;
        r->cells[i] = r->cells[--r->count];
        if (jsvm_call(t, callback, JSV_UNDEFINED, 1, &held) == JSV_EXCEPTION) return JSV_EXCEPTION;
    }
    r->pending = 0;
    return JSV_UNDEFINED;
}

static jsv cleanup_job(js_thread *t, int argc, jsv *argv)
{
    js_finreg *r = (js_finreg *)JSV_OBJ(argv[0]);
    r->scheduled = 0;
    return cleanup(t, r, r->callback);
}

static js_finreg *this_finreg(js_thread *t, jsv v, const char *what)
{
    if (!jsv_is_object(v) || jsobj_class(JSV_OBJ(v)) != JS_CLASS_FINALIZATION_REGISTRY) {
        jsvm_throw_type_error(t, "FinalizationRegistry.prototype.%s called on an incompatible receiver", what);
        return NULL;
    }
    return (js_finreg *)JSV_OBJ(v);
}

static jsv finreg_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_throw_type_error(t, "Constructor FinalizationRegistry requires 'new'");
}

static jsv finreg_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    if (jsv_is_undefined(new_target)) return finreg_call(t, JSV_UNDEFINED, argc, argv, magic);
    jsv cb = JS_ARG(0);
    if (!jsop_is_callable(cb)) return jsvm_throw_type_error(t, "FinalizationRegistry: cleanup must be callable");
    js_finreg *r = (js_finreg *)jsobj_new_from_ctor(t, new_target, JS_INTR_FinalizationRegistryPrototype,
                                                    JS_CLASS_FINALIZATION_REGISTRY);
    if (!r) return JSV_EXCEPTION;
    r->callback = cb;
    if (jsgc_register_weak(t, r, &finreg_weak_ops) < 0) return JSV_EXCEPTION;
    return jsv_object(r);
}

static jsv finreg_register(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_finreg *r = this_finreg(t, this_val, "register");
    if (!r) return JSV_EXCEPTION;
    jsv target = JS_ARG(0), held = JS_ARG(1), token = JS_ARG(2);
    if (!can_be_held_weakly(target)) return jsvm_throw_type_error(t, "FinalizationRegistry.prototype.register: invalid target");
    if (jsop_same_value(target, held)) return jsvm_throw_type_error(t, "FinalizationRegistry.prototype.register: target and holdings must not be same");
    if (!can_be_held_weakly(token)) {
        if (!jsv_is_undefined(token)) return jsvm_throw_type_error(t, "FinalizationRegistry.prototype.register: invalid unregister token");
        token = JSV_HOLE;
    }
    if (r->count == r->cap) {
        uint32_t ncap = r->cap ? r->cap * 2 : 4;
        fr_cell *c = jsgc_realloc(t, r->cells, r->cap * sizeof(fr_cell), ncap * sizeof(fr_cell));
        if (!c) return JSV_EXCEPTION;
        r->cells = c;
        r->cap = ncap;
    }
    r->cells[r->count].target = target;
    r->cells[r->count].held = held;
    r->cells[r->count].token = token;
    r->count++;
    return JSV_UNDEFINED;
}

static jsv finreg_unregister(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_finreg *r = this_finreg(t, this_val, "unregister");
    if (!r) return JSV_EXCEPTION;
    jsv token = JS_ARG(0);
    if (!can_be_held_weakly(token)) return jsvm_throw_type_error(t, "FinalizationRegistry.prototype.unregister: invalid unregister token");
    int removed = 0;
    for (uint32_t i = 0; i < r->count;) {
        if (r->cells[i].token == token) {
            memmove(&r->cells[i], &r->cells[i + 1], (r->count - i - 1) * sizeof(fr_cell));
            r->count--;
            removed = 1;
        } else i++;
    }
    return jsv_from_bool(removed);
}

static jsv finreg_cleanup_some(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_finreg *r = this_finreg(t, this_val, "cleanupSome");
    if (!r) return JSV_EXCEPTION;
    jsv cb = JS_ARG(0);
    if (!jsv_is_undefined(cb) && !jsop_is_callable(cb)) return jsvm_throw_type_error(t, "cleanupSome: callback must be callable");
    if (jsv_is_undefined(cb)) cb = r->callback;
    return cleanup(t, r, cb) == JSV_EXCEPTION ? JSV_EXCEPTION : JSV_UNDEFINED;
}

int jsbi_init_weakref(js_thread *t, js_realm *realm)
{
    js_object *wp = jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_OBJECT);
    if (!wp) return -1;
    if (!jsbi_make_ctor(t, realm, "WeakRef", 1, weakref_call, weakref_construct, 0, wp, JS_INTR_WeakRef,
                        JS_INTR_WeakRefPrototype))
        return -1;
    if (jsobj_define_fn(t, wp, "deref", weakref_deref, 0, 0) < 0 || jsbi_set_tag(t, wp, "WeakRef") < 0) return -1;

    js_object *fp = jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_OBJECT);
    if (!fp) return -1;
    if (!jsbi_make_ctor(t, realm, "FinalizationRegistry", 1, finreg_call, finreg_construct, 0, fp,
                        JS_INTR_FinalizationRegistry, JS_INTR_FinalizationRegistryPrototype))
        return -1;
    if (jsobj_define_fn(t, fp, "register", finreg_register, 2, 0) < 0 ||
        jsobj_define_fn(t, fp, "unregister", finreg_unregister, 1, 0) < 0 ||
        jsobj_define_fn(t, fp, "cleanupSome", finreg_cleanup_some, 0, 0) < 0 ||
        jsbi_set_tag(t, fp, "FinalizationRegistry") < 0)
        return -1;
    return 0;
}
