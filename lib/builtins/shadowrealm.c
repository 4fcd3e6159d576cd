/*
 * shadowrealm.c - ShadowRealm: a constructor owning a fresh realm, evaluate()
 * (PerformShadowRealmEval), importValue() (ShadowRealmImportValue over the
 * VM's dynamic import) and wrapped function exotic objects (GetWrappedValue).
 * Must not hand any object but a wrapped function across a realm boundary.
 *
 * Both ShadowRealm instances and wrapped functions are objects of
 * JS_CLASS_SHADOW_REALM: a wrapped function is the callable one (its class
 * [[Call]] hook), so that no new class id is needed.
 */
#include <stdlib.h>
#include "builtins.h"
#include "promise.h"
#include "../core/string.h"
#include "../vm/function.h"

/* vm/module.c: import() from C; weak so the file links while modules are absent. */
jsv jsvm_dynamic_import(js_thread *t, jsv referrer, jsv specifier, jsv options) __attribute__((weak));

typedef struct js_shadow {
    js_object base;
    js_realm *realm;    /* ShadowRealm: [[ShadowRealm]]; wrapped function: [[Realm]] (the caller's) */
    jsv target;         /* wrapped function: [[WrappedTargetFunction]]; ShadowRealm: undefined */
} js_shadow;

static void shadow_trace(js_gc_tracer *trc, js_object *o)
{
    js_shadow *s = (js_shadow *)o;
    jsgc_mark_cell(trc, s->realm);
    jsgc_mark_value(trc, s->target);
}

static jsv wrapped_call(js_thread *t, js_object *f, jsv this_val, int argc, jsv *argv);

const js_class_ops jsclass_shadow_realm = {
    .name = "ShadowRealm",
    .size = sizeof(js_shadow),
    .trace = shadow_trace,
    .call = wrapped_call,
};

/* Copies of the thrown value never cross: the caller sees a TypeError of its
 * own realm (t->realm), carrying the original message when it is a string,
 * cut short so that nested crossings cannot grow it without bound. */
static jsv rethrow_as_type_error(js_thread *t, const char *what)
{
    if (t->uncatchable) return JSV_EXCEPTION;
    jsv e = jsvm_take_exception(t);
    const char *msg = NULL;
    char *u = NULL;
    if (jsv_is_object(e)) {
        js_propdesc d;
        /* own data property only: reading further could run code of the other realm */
        if (jsobj_get_own_property(t, JSV_OBJ(e), jskey_from_cstr(t, "message"), &d) > 0 &&
            (d.flags & JS_DESC_HAS_VALUE) && jsv_is_string(d.value))
            msg = u = jsstr_to_utf8(JSV_STR(d.value), NULL);
        if (t->has_exception && !t->uncatchable) jsvm_take_exception(t);
    }
    jsv r = msg ? jsvm_throw_type_error(t, "%s: %.160s", what, msg) : jsvm_throw_type_error(t, "%s", what);
    free(u);
    return r;
}

/* CopyNameAndLength(F, Target) with argCount 0 and no prefix. */
static int copy_name_and_length(js_thread *t, js_object *f, js_object *target)
{
    js_key klen = jskey_from_atom_id(t, JS_ATOM_length);
    double len = 0;
    int has = jsobj_has_own_property(t, target, klen);
    if (has < 0) return -1;
    if (has) {
        jsv tl = jsobj_get(t, target, klen, jsv_object(target));
        if (tl == JSV_EXCEPTION) return -1;
        if (jsv_is_number(tl)) {
            double d = jsv_get_number(tl);
            if (d == INFINITY) len = INFINITY;
            else if (d == -INFINITY || d != d) len = 0;
            else {
                d = trunc(d);
                len = d > 0 ? d : 0;
            }
        }
    }
    if (jsfn_set_length(t, f, len) < 0) return -1;
    jsv name = jsobj_get(t, target, jskey_from_atom_id(t, JS_ATOM_name), jsv_object(target));
    if (name == JSV_EXCEPTION) return -1;
    js_key k = jsv_is_string(name) ? jskey_from_string(t, JSV_STR(name)) : jskey_from_atom_id(t, JS_ATOM_empty);
    if (k == JSV_EXCEPTION) return -1;
    return jsfn_set_name(t, f, k, NULL);
}

/* WrappedFunctionCreate(realm, target). Errors are TypeErrors of t->realm. */
static jsv wrapped_create(js_thread *t, js_realm *realm, jsv target)
{
    js_shadow *w = (js_shadow *)jsobj_new(t, realm->intrinsics[JS_INTR_FunctionPrototype], JS_CLASS_SHADOW_REALM);
    if (!w) return JSV_EXCEPTION;
    w->base.h.flags |= JS_OBJ_CALLABLE;
    w->realm = realm;
    w->target = target;
    if (copy_name_and_length(t, &w->base, JSV_OBJ(target)) < 0)
        return rethrow_as_type_error(t, "WrappedFunctionCreate: cannot copy name and length");
    return jsv_object(w);
}

/* GetWrappedValue(realm, value). */
static jsv get_wrapped_value(js_thread *t, js_realm *realm, jsv v)
{
    if (!jsv_is_object(v)) return v;
    if (!jsobj_is_callable(JSV_OBJ(v)))
        return jsvm_throw_type_error(t, "ShadowRealm: only primitives and callables can cross the realm boundary");
    return wrapped_create(t, realm, v);
}

/* [[Call]] of a wrapped function exotic object. */
static jsv wrapped_call(js_thread *t, js_object *f, jsv this_val, int argc, jsv *argv)
{
    js_shadow *w = (js_shadow *)f;
    js_realm *saved = t->realm;
    jsv r = JSV_EXCEPTION;
    t->realm = w->realm;
    /* GetFunctionRealm does not know this class: a wrapper around a wrapper
     * (a function that crossed twice) has the inner wrapper's [[Realm]]. */
    js_object *tf = JSV_OBJ(w->target);
    js_realm *target_realm = jsobj_class(tf) == JS_CLASS_SHADOW_REALM ? ((js_shadow *)tf)->realm
                                                                       : jsop_get_function_realm(t, tf);
    js_object *args = target_realm ? jsobj_new_array_from(t, (uint32_t)argc, argv) : NULL;
    if (!args) goto out;
    for (int i = 0; i < argc; i++) {
        jsv v = get_wrapped_value(t, target_realm, args->elems[i]);
        if (v == JSV_EXCEPTION) goto out;
        args->elems[i] = v;
    }
    jsv this_w = get_wrapped_value(t, target_realm, this_val);
    if (this_w == JSV_EXCEPTION) goto out;
    jsv res = jsvm_call(t, w->target, this_w, argc, args->elems);
    t->realm = w->realm;
    if (res == JSV_EXCEPTION) {
        rethrow_as_type_error(t, "wrapped function threw");
        goto out;
    }
    r = get_wrapped_value(t, w->realm, res);
out:
    t->realm = saved;
    return r;
}

/* ValidateShadowRealmObject */
static js_shadow *this_realm(js_thread *t, jsv v, const char *method)
{
    if (!jsv_is_object(v) || jsobj_class(JSV_OBJ(v)) != JS_CLASS_SHADOW_REALM || jsobj_is_callable(JSV_OBJ(v))) {
        jsvm_throw_type_error(t, "ShadowRealm.prototype.%s called on an incompatible receiver", method);
        return NULL;
    }
    return (js_shadow *)JSV_OBJ(v);
}

static jsv shadow_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    if (jsv_is_undefined(new_target)) return jsvm_throw_type_error(t, "Constructor ShadowRealm requires 'new'");
    js_shadow *s = (js_shadow *)jsobj_new_from_ctor(t, new_target, JS_INTR_ShadowRealmPrototype, JS_CLASS_SHADOW_REALM);
    if (!s) return JSV_EXCEPTION;
    s->target = JSV_UNDEFINED;
    js_realm *saved = t->realm;
    js_realm *r = jsrt_realm_new(t);
    t->realm = saved;
    if (!r) return JSV_EXCEPTION;
    s->realm = r;
    /* Off the runtime's list: the realm lives as long as something references
     * it (this object, its functions, wrapped functions, pending jobs). */
    jsrt_realm_release(r);
    return jsv_object(s);
}

/* ShadowRealm.prototype.evaluate: PerformShadowRealmEval. */
static jsv shadow_evaluate(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_shadow *s = this_realm(t, this_val, "evaluate");
    if (!s) return JSV_EXCEPTION;
    jsv src = JS_ARG(0);
    if (!jsv_is_string(src)) return jsvm_throw_type_error(t, "ShadowRealm.prototype.evaluate: source is not a string");
    /* Parse errors are SyntaxErrors of the caller's realm. jsvm_indirect_eval
     * has no parse-only mode, so the check goes through UTF-8 (lone
     * surrogates become U+FFFD, which cannot change whether a script parses). */
    size_t len;
    char *u8 = jsstr_to_utf8(JSV_STR(src), &len);
    if (!u8) return jsvm_throw_out_of_memory(t);
    jsv pr = jsvm_eval_script(t, u8, len, "<ShadowRealm>", JSVM_EVAL_PARSE_ONLY);
    free(u8);
    if (pr == JSV_EXCEPTION) return JSV_EXCEPTION;
    js_realm *saved = t->realm;
    t->realm = s->realm;
    /* The code runs as an indirect eval of the other realm
     * (EvalDeclarationInstantiation): its let/const/class declarations live
     * in a fresh environment per call, while var and function declarations
     * land on that realm's global object. */
    jsv r = jsvm_indirect_eval(t, src);
    t->realm = saved;
    if (r == JSV_EXCEPTION) return rethrow_as_type_error(t, "ShadowRealm.prototype.evaluate threw");
    return get_wrapped_value(t, saved, r);
}

/* ExportGetter, run when the import promise of the other realm settles.
 * data: [caller's promise, exportName, caller realm]. */
static jsv import_settled(js_thread *t, jsv value, jsv data, int rejected)
{
    js_object *d = JSV_OBJ(data);
    jsv promise = d->elems[0], name = d->elems[1];
    js_realm *saved = t->realm;
    t->realm = jsv_get_ptr(d->elems[2]);
    jsv r = JSV_EXCEPTION;
    if (rejected) {
        jsvm_throw_type_error(t, "ShadowRealm.prototype.importValue: import failed");
    } else if (jsv_is_object(value)) {
        js_key k = jskey_from_string(t, JSV_STR(name));
        int has = k == JSV_EXCEPTION ? -1 : jsobj_has_own_property(t, JSV_OBJ(value), k);
        if (has == 0) jsvm_throw_type_error(t, "ShadowRealm.prototype.importValue: no such export");
        jsv v = has > 0 ? jsobj_get(t, JSV_OBJ(value), k, value) : JSV_EXCEPTION;
        if (v != JSV_EXCEPTION) r = get_wrapped_value(t, t->realm, v);
    } else {
        jsvm_throw_type_error(t, "ShadowRealm.prototype.importValue: not a module namespace");
    }
    int rc;
    if (r == JSV_EXCEPTION) {
        if (t->uncatchable) { t->realm = saved; return JSV_EXCEPTION; }
        rc = jsbi_promise_reject(t, promise, jsvm_take_exception(t));
    } else {
        rc = jsbi_promise_fulfill_or_resolve(t, promise, r);
    }
    t->realm = saved;
    return rc < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
}

/* The file name of the innermost running script or module: the referrer
 * relative specifiers resolve against. */
static jsv current_referrer(js_thread *t)
{
    for (js_frame *f = t->frame; f; f = f->prev)
        if (f->bc && jsv_is_string(f->bc->filename)) return f->bc->filename;
    return JSV_UNDEFINED;
}

static jsv shadow_import_value(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_shadow *s = this_realm(t, this_val, "importValue");
    if (!s) return JSV_EXCEPTION;
    js_string *spec = jsop_to_string(t, JS_ARG(0));
    if (!spec) return JSV_EXCEPTION;
    jsv name = JS_ARG(1);
    if (!jsv_is_string(name)) return jsvm_throw_type_error(t, "ShadowRealm.prototype.importValue: exportName is not a string");
    jsv promise = jsbi_promise_new(t);
    if (promise == JSV_EXCEPTION) return JSV_EXCEPTION;
    if (!jsvm_dynamic_import) {
        jsvm_throw_type_error(t, "ShadowRealm.prototype.importValue: modules are not supported");
        if (jsbi_promise_reject(t, promise, jsvm_take_exception(t)) < 0) return JSV_EXCEPTION;
        return promise;
    }
    jsv items[3] = { promise, name, jsv_cell(t->realm) };
    js_object *data = jsobj_new_array_from(t, 3, items);
    if (!data) return JSV_EXCEPTION;
    jsv referrer = current_referrer(t);
    js_realm *saved = t->realm;
    t->realm = s->realm;
    jsv inner = jsvm_dynamic_import(t, referrer, jsv_string(spec), JSV_UNDEFINED);
    int rc = inner == JSV_EXCEPTION ? -1 : jsbi_promise_then_native(t, inner, import_settled, jsv_object(data));
    t->realm = saved;
    if (rc < 0) {
        if (t->uncatchable) return JSV_EXCEPTION;
        jsvm_take_exception(t);
        jsvm_throw_type_error(t, "ShadowRealm.prototype.importValue: import failed");
        if (jsbi_promise_reject(t, promise, jsvm_take_exception(t)) < 0) return JSV_EXCEPTION;
    }
    return promise;
}

int jsbi_init_shadowrealm(js_thread *t, js_realm *realm)
{
    js_object *proto = jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_OBJECT);
    if (!proto) return -1;
    js_object *ctor = jsbi_make_ctor(t, realm, "ShadowRealm", 0, NULL, shadow_construct, 0, proto,
                                     JS_INTR_ShadowRealm, JS_INTR_ShadowRealmPrototype);
    if (!ctor) return -1;
    if (jsobj_define_fn(t, proto, "evaluate", shadow_evaluate, 1, 0) < 0 ||
        jsobj_define_fn(t, proto, "importValue", shadow_import_value, 2, 0) < 0 ||
        jsbi_set_tag(t, proto, "ShadowRealm") < 0)
        return -1;
    return 0;
}
