/*
 * reflect.c - the Reflect namespace: thin wrappers that expose the internal
 * methods of lib/core/object.h with the argument checks of ECMA-262 28.1.
 * Must not touch: anything outside the Reflect object.
 */
#include <stdlib.h>
#include "builtins.h"

static int target_object(js_thread *t, jsv v, js_object **out)
{
    if (!jsv_is_object(v)) {
        jsvm_throw_type_error(t, "Reflect method called on non-object");
        return -1;
    }
    *out = JSV_OBJ(v);
    return 0;
}

static jsv bool_result(int r)
{
    return r < 0 ? JSV_EXCEPTION : jsv_from_bool(r);
}

static jsv reflect_apply(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv fn = JS_ARG(0), r;
    js_object *list;

    if (!jsop_is_callable(fn))
        return jsvm_throw_type_error(t, "Reflect.apply target is not callable");
    list = jsbi_list_from_array_like(t, JS_ARG(2));
    if (!list)
        return JSV_EXCEPTION;
    r = jsvm_call(t, fn, JS_ARG(1), (int)list->elen, list->elems);
    __asm__ volatile("" : : "r"(list) : "memory");   /* keeps the arguments reachable */
    return r;
}

static jsv reflect_construct(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv fn = JS_ARG(0), nt = argc > 2 ? argv[2] : fn, r;
    js_object *list;

    if (!jsop_is_constructor(fn))
        return jsvm_throw_type_error(t, "Reflect.construct target is not a constructor");
    if (!jsop_is_constructor(nt))
        return jsvm_throw_type_error(t, "Reflect.construct newTarget is not a constructor");
    list = jsbi_list_from_array_like(t, JS_ARG(1));
    if (!list)
        return JSV_EXCEPTION;
    r = jsvm_construct(t, fn, (int)list->elen, list->elems, nt);
    __asm__ volatile("" : : "r"(list) : "memory");
    return r;
}

static jsv reflect_define_property(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    js_key k;
    js_propdesc d;

    if (target_object(t, JS_ARG(0), &o) < 0)
        return JSV_EXCEPTION;
    k = jsop_to_property_key(t, JS_ARG(1));
    if (k == JSV_EXCEPTION)
        return k;
    if (jsop_to_property_descriptor(t, JS_ARG(2), &d) < 0)
        return JSV_EXCEPTION;
    return bool_result(jsobj_define_own_property(t, o, k, &d, 0));
}

/* magic 0: deleteProperty, 1: has */
static jsv reflect_delete_has(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    js_key k;

    if (target_object(t, JS_ARG(0), &o) < 0)
        return JSV_EXCEPTION;
    k = jsop_to_property_key(t, JS_ARG(1));
    if (k == JSV_EXCEPTION)
        return k;
    return bool_result(magic ? jsobj_has_property(t, o, k) : jsobj_delete(t, o, k, 0));
}

static jsv reflect_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    js_key k;

    if (target_object(t, JS_ARG(0), &o) < 0)
        return JSV_EXCEPTION;
    k = jsop_to_property_key(t, JS_ARG(1));
    if (k == JSV_EXCEPTION)
        return k;
    return jsobj_get(t, o, k, argc > 2 ? argv[2] : argv[0]);
}

static jsv reflect_get_own_property_descriptor(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    js_key k;
    js_propdesc d;
    int r;

    if (target_object(t, JS_ARG(0), &o) < 0)
        return JSV_EXCEPTION;
    k = jsop_to_property_key(t, JS_ARG(1));
    if (k == JSV_EXCEPTION)
        return k;
    r = jsobj_get_own_property(t, o, k, &d);
    if (r < 0)
        return JSV_EXCEPTION;
    return r ? jsop_from_property_descriptor(t, &d, 1) : JSV_UNDEFINED;
}

static jsv reflect_get_prototype_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    jsv p;
    if (target_object(t, JS_ARG(0), &o) < 0)
        return JSV_EXCEPTION;
    if (jsobj_get_prototype_of(t, o, &p) < 0)
        return JSV_EXCEPTION;
    return p;
}

/* magic 0: isExtensible, 1: preventExtensions */
static jsv reflect_extensible(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    if (target_object(t, JS_ARG(0), &o) < 0)
        return JSV_EXCEPTION;
    return bool_result(magic ? jsobj_prevent_extensions(t, o, 0) : jsobj_is_extensible(t, o));
}

static jsv reflect_own_keys(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o, *keys;
    if (target_object(t, JS_ARG(0), &o) < 0)
        return JSV_EXCEPTION;
    keys = jsbi_own_keys(t, o);
    if (!keys)
        return JSV_EXCEPTION;
    /* Index keys are int-tagged in the holder; scripts must see strings. */
    for (uint32_t i = 0; i < keys->elen; i++) {
        if (jskey_is_index(keys->elems[i])) {
            jsv s = jskey_to_value(t, keys->elems[i]);
            if (s == JSV_EXCEPTION)
                return s;
            keys->elems[i] = s;
        }
    }
    return jsv_object(keys);
}

static jsv reflect_set(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    js_key k;

    if (target_object(t, JS_ARG(0), &o) < 0)
        return JSV_EXCEPTION;
    k = jsop_to_property_key(t, JS_ARG(1));
    if (k == JSV_EXCEPTION)
        return k;
    return bool_result(jsobj_set(t, o, k, JS_ARG(2), argc > 3 ? argv[3] : argv[0], 0));
}

static jsv reflect_set_prototype_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    jsv proto = JS_ARG(1);
    if (target_object(t, JS_ARG(0), &o) < 0)
        return JSV_EXCEPTION;
    if (!jsv_is_object(proto) && !jsv_is_null(proto))
        return jsvm_throw_type_error(t, "Object prototype may only be an Object or null");
    return bool_result(jsobj_set_prototype_of(t, o, proto, 0));
}

int jsbi_init_reflect(js_thread *t, js_realm *realm)
{
    static const struct { const char *name; js_native_fn fn; int len, magic; } fns[] = {
        { "apply", reflect_apply, 3, 0 },
        { "construct", reflect_construct, 2, 0 },
        { "defineProperty", reflect_define_property, 3, 0 },
        { "deleteProperty", reflect_delete_has, 2, 0 },
        { "get", reflect_get, 2, 0 },
        { "getOwnPropertyDescriptor", reflect_get_own_property_descriptor, 2, 0 },
        { "getPrototypeOf", reflect_get_prototype_of, 1, 0 },
        { "has", reflect_delete_has, 2, 1 },
        { "isExtensible", reflect_extensible, 1, 0 },
        { "ownKeys", reflect_own_keys, 1, 0 },
        { "preventExtensions", reflect_extensible, 1, 1 },
        { "set", reflect_set, 3, 0 },
        { "setPrototypeOf", reflect_set_prototype_of, 2, 0 },
    };
    js_object *r = jsobj_new_plain(t);

    if (!r)
        return -1;
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (jsobj_define_fn(t, r, fns[i].name, fns[i].fn, fns[i].len, fns[i].magic) < 0)
            return -1;
    if (jsbi_set_tag(t, r, "Reflect") < 0)
        return -1;
    realm->intrinsics[JS_INTR_Reflect] = jsv_object(r);
    return jsobj_define_value(t, realm->global, jskey_from_atom_id(t, JS_ATOM_Reflect), jsv_object(r), JS_PROP_C_W);
}
