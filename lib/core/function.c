/*
 * function.c - native function objects (builtins and embedder callbacks) and
 * bound function exotic objects: creation, "length"/"name" set-up,
 * SetFunctionName/SetFunctionLength, [[Call]]/[[Construct]] dispatch and the
 * builtin set-up helpers jsobj_define_fn*. Must not touch bytecode functions
 * (the VM owns them) and calls other functions only through jsvm_call/construct.
 */
#include <stdio.h>
#include <stdlib.h>
#include "object_priv.h"

/* Bound calls with at most this many arguments build them on the C stack. */
#define BOUND_STACK_ARGS 16

/* ---------------------------------------------------------------- names */

/* The string SetFunctionName gives for key k: symbols give "[desc]". */
static js_string *name_of_key(js_thread *t, js_key k)
{
    if (jsv_is_symbol(k)) {
        jsv d = JSV_SYM(k)->description;
        js_string *l, *r;
        if (!jsv_is_string(d))
            return jsstr_empty(t);
        l = jsstr_new_latin1(t, (const uint8_t *)"[", 1);
        if (!l || !(l = jsstr_concat(t, l, JSV_STR(d))))
            return NULL;
        r = jsstr_new_latin1(t, (const uint8_t *)"]", 1);
        return r ? jsstr_concat(t, l, r) : NULL;
    }
    jsv v = jskey_to_value(t, k);
    return v == JSV_EXCEPTION ? NULL : JSV_STR(v);
}

static js_string *with_prefix(js_thread *t, js_string *name, const char *prefix)
{
    js_string *p;
    char buf[16];
    if (!prefix)
        return name;
    snprintf(buf, sizeof buf, "%s ", prefix);
    p = jsstr_new_cstr(t, buf);
    return p ? jsstr_concat(t, p, name) : NULL;
}

static int define_name(js_thread *t, js_object *f, js_string *name)
{
    js_propdesc d;
    d.flags = JS_PROP_CONFIGURABLE | JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE | JS_DESC_HAS_ENUMERABLE |
              JS_DESC_HAS_CONFIGURABLE;
    d.value = jsv_string(name);
    d.getter = d.setter = JSV_UNDEFINED;
    return jsobj_define_own_property(t, f, jskey_from_atom_id(t, JS_ATOM_name), &d, JS_THROW) < 0 ? -1 : 0;
}

int jsfn_set_name(js_thread *t, js_object *f, js_key name, const char *prefix)
{
    js_string *s = name_of_key(t, name);
    if (!s || !(s = with_prefix(t, s, prefix)))
        return -1;
    return define_name(t, f, s);
}

int jsfn_set_length(js_thread *t, js_object *f, double length)
{
    js_propdesc d;
    d.flags = JS_PROP_CONFIGURABLE | JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE | JS_DESC_HAS_ENUMERABLE |
              JS_DESC_HAS_CONFIGURABLE;
    d.value = jsv_number(length);
    d.getter = d.setter = JSV_UNDEFINED;
    return jsobj_define_own_property(t, f, jskey_from_atom_id(t, JS_ATOM_length), &d, JS_THROW) < 0 ? -1 : 0;
}

/* ---------------------------------------------------------------- natives */

static jsv native_call(js_thread *t, js_object *f, jsv this_val, int argc, jsv *argv)
{
    js_native_function *nf = (js_native_function *)f;
    js_realm *saved = t->realm;
    jsv r;

    if (!nf->fn) {
        char buf[64] = "";
        jsv n = jsobj_get(t, f, jskey_from_atom_id(t, JS_ATOM_name), jsv_object(f));
        if (jsv_is_string(n)) {
            char *u = jsstr_to_utf8(JSV_STR(n), NULL);
            snprintf(buf, sizeof buf, "%s", u ? u : "");
            free(u);
        }
        return jsvm_throw_type_error(t, "Constructor %s requires 'new'", buf);
    }
    if (jsvm_check_stack(t) < 0)
        return JSV_EXCEPTION;
    if (nf->realm)
        t->realm = nf->realm;
    r = nf->fn(t, this_val, argc, argv, nf->magic);
    t->realm = saved;
    return r;
}

static jsv native_construct(js_thread *t, js_object *f, int argc, jsv *argv, jsv new_target)
{
    js_native_function *nf = (js_native_function *)f;
    js_realm *saved = t->realm;
    jsv r;

    if (!nf->ctor)
        return jsvm_throw_type_error(t, "not a constructor");
    if (jsvm_check_stack(t) < 0)
        return JSV_EXCEPTION;
    if (jsv_is_undefined(new_target))
        new_target = jsv_object(f);
    if (nf->realm)
        t->realm = nf->realm;
    r = nf->ctor(t, new_target, argc, argv, nf->magic);
    t->realm = saved;
    return r;
}

static void native_trace(js_gc_tracer *trc, js_object *o)
{
    js_native_function *nf = (js_native_function *)o;
    jsgc_mark_cell(trc, nf->realm);
    jsgc_mark_values(trc, nf->data, JS_NATIVE_DATA_SLOTS);
}

const js_class_ops jsclass_function_native = {
    .name = "Function",
    .size = sizeof(js_native_function),
    .trace = native_trace,
    .call = native_call,
    .construct = native_construct,
};

static js_object *new_native(js_thread *t, js_native_fn fn, js_native_ctor ctor, js_key name,
                             const char *prefix, int length, int magic)
{
    jsv proto = t->realm ? t->realm->intrinsics[JS_INTR_FunctionPrototype] : JSV_UNDEFINED;
    js_native_function *nf;
    js_object *f;
    js_string *s;

    if (!jsv_is_object(proto))
        proto = JSV_NULL;
    f = jsobj_new(t, proto, JS_CLASS_FUNCTION_NATIVE);
    if (!f)
        return NULL;
    nf = (js_native_function *)f;
    nf->fn = fn;
    nf->ctor = ctor;
    nf->realm = t->realm;
    nf->magic = magic;
    for (int i = 0; i < JS_NATIVE_DATA_SLOTS; i++)
        nf->data[i] = JSV_UNDEFINED;
    f->h.flags |= JS_OBJ_CALLABLE | (ctor ? JS_OBJ_CONSTRUCTOR : 0);
    if (jsobj_define_value(t, f, jskey_from_atom_id(t, JS_ATOM_length), jsv_from_int(length),
                           JS_PROP_CONFIGURABLE) < 0)
        return NULL;
    s = name_of_key(t, name);
    if (!s || !(s = with_prefix(t, s, prefix)))
        return NULL;
    if (jsobj_define_value(t, f, jskey_from_atom_id(t, JS_ATOM_name), jsv_string(s), JS_PROP_CONFIGURABLE) < 0)
        return NULL;
    return f;
}

js_object *jsfn_new_native(js_thread *t, js_native_fn fn, js_key name, int length, int magic)
{
    return new_native(t, fn, NULL, name, NULL, length, magic);
}

js_object *jsfn_new_native_ctor(js_thread *t, js_native_fn call, js_native_ctor ctor,
                                js_key name, int length, int magic)
{
    return new_native(t, call, ctor, name, NULL, length, magic);
}

/* ---------------------------------------------------------------- builtin set-up */

int jsobj_define_fn_key(js_thread *t, js_object *o, js_key k, js_native_fn fn, int nargs, int magic)
{
    js_object *f = new_native(t, fn, NULL, k, NULL, nargs, magic);
    if (!f)
        return -1;
    return jsobj_define_value(t, o, k, jsv_object(f), JS_PROP_C_W);
}

int jsobj_define_fn(js_thread *t, js_object *o, const char *name, js_native_fn fn, int nargs, int magic)
{
    js_key k = jskey_from_cstr(t, name);
    if (k == JSV_EXCEPTION)
        return -1;
    return jsobj_define_fn_key(t, o, k, fn, nargs, magic);
}

int jsobj_define_getset(js_thread *t, js_object *o, js_key k, js_native_fn get, js_native_fn set, int magic)
{
    js_object *g = NULL, *s = NULL;
    if (get && !(g = new_native(t, get, NULL, k, "get", 0, magic)))
        return -1;
    if (set && !(s = new_native(t, set, NULL, k, "set", 1, magic)))
        return -1;
    return jsobj_define_accessor(t, o, k, g ? jsv_object(g) : JSV_UNDEFINED, s ? jsv_object(s) : JSV_UNDEFINED,
                                 JS_PROP_CONFIGURABLE);
}

int jsobj_define_getter(js_thread *t, js_object *o, const char *name, js_native_fn fn, int magic)
{
    js_key k = jskey_from_cstr(t, name);
    if (k == JSV_EXCEPTION)
        return -1;
    return jsobj_define_getset(t, o, k, fn, NULL, magic);
}

/* ---------------------------------------------------------------- bound functions */

static jsv bound_args(js_thread *t, js_bound_function *b, int argc, const jsv *argv, jsv *stackbuf, jsv **out)
{
    uint64_t n = (uint64_t)b->argc + (uint64_t)argc;
    jsv *args = stackbuf;
    if (n > 65535 * 16)
        return jsvm_throw_range_error(t, "Too many arguments in function call");
    if (n > BOUND_STACK_ARGS) {
        /* Values stay reachable from b->argv and the caller's argv. */
        args = jsgc_malloc(t, n * sizeof(jsv));
        if (!args)
            return JSV_EXCEPTION;
    }
    if (b->argc)
        memcpy(args, b->argv, b->argc * sizeof(jsv));
    if (argc)
        memcpy(args + b->argc, argv, (size_t)argc * sizeof(jsv));
    *out = args;
    return JSV_UNDEFINED;
}

static jsv bound_call(js_thread *t, js_object *f, jsv this_val, int argc, jsv *argv)
{
    js_bound_function *b = (js_bound_function *)f;
    jsv buf[BOUND_STACK_ARGS], *args, r;
    int n = (int)b->argc + argc;

    if (jsvm_check_stack(t) < 0)
        return JSV_EXCEPTION;
    if (b->argc == 0)
        return jsvm_call(t, b->target, b->bound_this, argc, argv);
    if (bound_args(t, b, argc, argv, buf, &args) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    r = jsvm_call(t, b->target, b->bound_this, n, args);
    if (args != buf)
        jsgc_free(t->rt, args, (size_t)n * sizeof(jsv));
    return r;
}

static jsv bound_construct(js_thread *t, js_object *f, int argc, jsv *argv, jsv new_target)
{
    js_bound_function *b = (js_bound_function *)f;
    jsv buf[BOUND_STACK_ARGS], *args, r;
    int n = (int)b->argc + argc;

    if (jsvm_check_stack(t) < 0)
        return JSV_EXCEPTION;
    if (jsv_is_undefined(new_target) || new_target == jsv_object(f))
        new_target = b->target;
    if (b->argc == 0)
        return jsvm_construct(t, b->target, argc, argv, new_target);
    if (bound_args(t, b, argc, argv, buf, &args) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    r = jsvm_construct(t, b->target, n, args, new_target);
    if (args != buf)
        jsgc_free(t->rt, args, (size_t)n * sizeof(jsv));
    return r;
}

static void bound_trace(js_gc_tracer *trc, js_object *o)
{
    js_bound_function *b = (js_bound_function *)o;
    jsgc_mark_value(trc, b->target);
    jsgc_mark_value(trc, b->bound_this);
    if (b->argv)
        jsgc_mark_values(trc, b->argv, b->argc);
}

static void bound_finalize(js_runtime *rt, js_object *o)
{
    js_bound_function *b = (js_bound_function *)o;
    if (b->argv)
        jsgc_free(rt, b->argv, b->argc * sizeof(jsv));
    b->argv = NULL;
    b->argc = 0;
}

const js_class_ops jsclass_function_bound = {
    .name = "BoundFunction",
    .size = sizeof(js_bound_function),
    .trace = bound_trace,
    .finalize = bound_finalize,
    .call = bound_call,
    .construct = bound_construct,
};

js_object *jsfn_new_bound(js_thread *t, js_object *target, jsv this_val, int argc, const jsv *argv)
{
    js_bound_function *b;
    js_object *f;
    jsv proto;

    if (jsobj_get_prototype_of(t, target, &proto) < 0)
        return NULL;
    f = jsobj_new(t, proto, JS_CLASS_FUNCTION_BOUND);
    if (!f)
        return NULL;
    b = (js_bound_function *)f;
    b->target = jsv_object(target);
    b->bound_this = this_val;
    if (argc > 0) {
        jsv *a = jsgc_malloc(t, (size_t)argc * sizeof(jsv));
        if (!a)
            return NULL;
        memcpy(a, argv, (size_t)argc * sizeof(jsv));
        b->argv = a;
        b->argc = (uint32_t)argc;
    }
    f->h.flags |= JS_OBJ_CALLABLE | (target->h.flags & JS_OBJ_CONSTRUCTOR);
    /* BoundFunctionCreate only: Function.prototype.bind (builtins) defines
     * "length" and "name" itself, with the observable Gets in spec order. */
    return f;
}
