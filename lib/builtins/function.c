/*
 * function.c - the Function constructor, Function.prototype (call, apply, bind,
 * toString, @@hasInstance, the restricted caller/arguments accessors) and
 * %ThrowTypeError%. %Function.prototype% itself is made by runtime.c.
 * Must not touch: function object layout (lib/core/function.c, lib/vm/function.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "builtins.h"

/* Source text of a bytecode function (lib/vm/function.c); weak during bring-up. */
js_string *jsvm_function_source(js_thread *t, js_object *f) __attribute__((weak));

#define KEY(atom) jskey_from_atom_id(t, JS_ATOM_##atom)

static jsv function_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    return jsvm_create_dynamic_function(t, 0, argc, argv, new_target);
}

static jsv function_call_as_fn(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_create_dynamic_function(t, 0, argc, argv, JSV_UNDEFINED);
}

static jsv fp_apply(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv arr = JS_ARG(1), r;
    js_object *list;

    if (!jsop_is_callable(this_val))
        return jsvm_throw_type_error(t, "Function.prototype.apply was called on a non-function");
    if (jsv_is_nullish(arr))
        return jsvm_call(t, this_val, JS_ARG(0), 0, NULL);
    /* f.apply(this, arguments) and small arrays: no list to build */
    jsv buf[16];
    uint32_t n;
    if (jsvm_plain_arg_list(t, arr, buf, 16, &n))
        return jsvm_call(t, this_val, JS_ARG(0), (int)n, buf);
    list = jsbi_list_from_array_like(t, arr);
    if (!list)
        return JSV_EXCEPTION;
    r = jsvm_call(t, this_val, JS_ARG(0), (int)list->elen, list->elems);
    __asm__ volatile("" : : "r"(list) : "memory");   /* keeps the arguments reachable */
    return r;
}

static jsv fp_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsop_is_callable(this_val))
        return jsvm_throw_type_error(t, "Function.prototype.call was called on a non-function");
    return jsvm_call(t, this_val, JS_ARG(0), argc > 1 ? argc - 1 : 0, argc > 1 ? argv + 1 : NULL);
}

/* jsfn_new_bound is BoundFunctionCreate only; the observable Gets of
 * "length" and "name" happen here, in spec order. */
static jsv fp_bind(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *target, *f;
    double len = 0;
    int nargs = argc > 1 ? argc - 1 : 0;
    int r;
    jsv name;
    js_key nk;

    if (!jsop_is_callable(this_val))
        return jsvm_throw_type_error(t, "Bind must be called on a function");
    target = JSV_OBJ(this_val);
    f = jsfn_new_bound(t, target, JS_ARG(0), nargs, argc > 1 ? argv + 1 : NULL);
    if (!f)
        return JSV_EXCEPTION;
    r = jsobj_has_own_property(t, target, KEY(length));
    if (r < 0)
        return JSV_EXCEPTION;
    if (r) {
        jsv tl = jsobj_get(t, target, KEY(length), this_val);
        if (tl == JSV_EXCEPTION)
            return tl;
        if (jsv_is_number(tl)) {
            double d = jsv_get_number(tl);
            if (d == INFINITY) {
                len = INFINITY;
            } else if (d != -INFINITY) {
                double n;
                if (jsop_to_integer_or_infinity(t, tl, &n) < 0)
                    return JSV_EXCEPTION;
                len = n - nargs;
                if (len < 0)
                    len = 0;
            }
        }
    }
    if (jsfn_set_length(t, f, len) < 0)
        return JSV_EXCEPTION;
    name = jsobj_get(t, target, KEY(name), this_val);
    if (name == JSV_EXCEPTION)
        return name;
    if (!jsv_is_string(name))
        name = jsrt_atom_value(t, JS_ATOM_empty);
    nk = jskey_from_string(t, JSV_STR(name));
    if (nk == JSV_EXCEPTION)
        return nk;
    if (jsfn_set_name(t, f, nk, "bound") < 0)
        return JSV_EXCEPTION;
    return jsv_object(f);
}

/* Is `s` usable as the PropertyName of a NativeFunction source text? */
static int native_name_ok(js_string *s)
{
    uint32_t n = s->len;
    if (n == 0)
        return 1;
    if (jsstr_at(s, 0) == '[')
        return jsstr_at(s, n - 1) == ']';
    for (uint32_t i = 0; i < n; i++) {
        uint32_t c = jsstr_at(s, i);
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' ||
              (c >= '0' && c <= '9' && i > 0) || (c == ' ' && i > 0)))
            return 0;
    }
    return 1;
}

static jsv native_source(js_thread *t, js_object *f)
{
    js_propdesc d;
    js_string *name = NULL, *a, *b, *r;
    int present;

    if (jsobj_class(f) == JS_CLASS_FUNCTION_NATIVE) {
        present = jsobj_get_own_property(t, f, KEY(name), &d);
        if (present < 0)
            return JSV_EXCEPTION;
        if (present && (d.flags & JS_DESC_HAS_VALUE) && jsv_is_string(d.value)) {
            name = jsstr_flatten(t, JSV_STR(d.value));
            if (!name)
                return JSV_EXCEPTION;
            if (!native_name_ok(name))
                name = NULL;
        }
    }
    a = jsstr_new_cstr(t, "function ");
    b = jsstr_new_cstr(t, "() { [native code] }");
    if (!a || !b)
        return JSV_EXCEPTION;
    r = name ? jsstr_concat(t, a, name) : a;
    if (r)
        r = jsstr_concat(t, r, b);
    return r ? jsv_string(r) : JSV_EXCEPTION;
}

static jsv fp_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *f;

    if (!jsop_is_callable(this_val))
        return jsvm_throw_type_error(t, "Function.prototype.toString requires that 'this' be a Function");
    f = JSV_OBJ(this_val);
    if (jsobj_class(f) == JS_CLASS_FUNCTION_BC && jsvm_function_source) {
        js_string *s = jsvm_function_source(t, f);
        if (s)
            return jsv_string(s);
        if (t->has_exception)
            return JSV_EXCEPTION;
    }
    return native_source(t, f);
}

static jsv fp_has_instance(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int r = jsop_ordinary_has_instance(t, this_val, JS_ARG(0));
    return r < 0 ? JSV_EXCEPTION : jsv_from_bool(r);
}

static jsv throw_type_error_fn(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_throw_type_error(t, "'caller', 'callee', and 'arguments' properties may not be accessed "
                                    "on strict mode functions or the arguments objects for calls to them");
}

static int make_throw_type_error(js_thread *t, js_realm *realm)
{
    js_object *f = jsfn_new_native(t, throw_type_error_fn, KEY(empty), 0, 0);
    js_propdesc d = { 0 };

    if (!f)
        return -1;
    /* %ThrowTypeError% is frozen: its length and name are not configurable. */
    d.flags = JS_DESC_HAS_CONFIGURABLE;
    if (jsobj_define_own_property(t, f, KEY(length), &d, JS_THROW) < 0 ||
        jsobj_define_own_property(t, f, KEY(name), &d, JS_THROW) < 0)
        return -1;
    if (jsobj_prevent_extensions(t, f, JS_THROW) < 0)
        return -1;
    realm->intrinsics[JS_INTR_ThrowTypeError] = jsv_object(f);
    return 0;
}

int jsbi_init_function(js_thread *t, js_realm *realm)
{
    js_object *proto = JSV_OBJ(realm->intrinsics[JS_INTR_FunctionPrototype]);
    js_object *ctor;
    jsv tte;

    if (jsobj_define_value(t, proto, KEY(length), jsv_from_int(0), JS_PROP_CONFIGURABLE) < 0 ||
        jsobj_define_value(t, proto, KEY(name), jsrt_atom_value(t, JS_ATOM_empty), JS_PROP_CONFIGURABLE) < 0)
        return -1;
    ctor = jsbi_make_ctor(t, realm, "Function", 1, function_call_as_fn, function_construct, 0,
                          proto, JS_INTR_Function, JS_INTR_FunctionPrototype);
    if (!ctor)
        return -1;
    if (jsobj_define_fn(t, proto, "apply", fp_apply, 2, 0) < 0 ||
        jsobj_define_fn(t, proto, "bind", fp_bind, 1, 0) < 0 ||
        jsobj_define_fn(t, proto, "call", fp_call, 1, 0) < 0 ||
        jsobj_define_fn(t, proto, "toString", fp_to_string, 0, 0) < 0)
        return -1;
    {
        js_key hk = jsv_symbol(t->rt->wk_symbols[JS_WKS_hasInstance]);
        js_object *f = jsfn_new_native(t, fp_has_instance, hk, 1, 0);
        if (!f || jsobj_define_value(t, proto, hk, jsv_object(f), 0) < 0)
            return -1;
    }
    if (make_throw_type_error(t, realm) < 0)
        return -1;
    tte = realm->intrinsics[JS_INTR_ThrowTypeError];
    if (jsobj_define_accessor(t, proto, KEY(caller), tte, tte, JS_PROP_CONFIGURABLE) < 0 ||
        jsobj_define_accessor(t, proto, KEY(arguments), tte, tte, JS_PROP_CONFIGURABLE) < 0)
        return -1;
    return 0;
}
