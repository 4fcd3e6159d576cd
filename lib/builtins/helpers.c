/*
 * helpers.c - the set-up helpers of builtins.h shared by every builtins module:
 * constructors linked to their prototypes, prototypes, @@toStringTag.
 * Must not touch: any intrinsic other than the ids the caller names.
 */
#include <stdlib.h>
#include "builtins.h"

/* [[Call]] of constructors made without a call behaviour (classes-like builtins). */
static jsv ctor_requires_new(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_throw_type_error(t, "Constructor requires 'new'");
}

js_object *jsbi_make_ctor(js_thread *t, js_realm *realm, const char *name, int length,
                          js_native_fn call, js_native_ctor construct, int magic,
                          js_object *proto, int ctor_id, int proto_id)
{
    js_key key = jskey_from_cstr(t, name);
    js_object *ctor;

    if (key == JSV_EXCEPTION)
        return NULL;
    ctor = jsfn_new_native_ctor(t, call ? call : ctor_requires_new, construct, key, length, magic);
    if (!ctor)
        return NULL;
    if (proto) {
        /* C.prototype is fixed; proto.constructor is an ordinary builtin slot. */
        if (jsobj_define_value(t, ctor, jskey_from_atom_id(t, JS_ATOM_prototype),
                               jsv_object(proto), 0) < 0)
            return NULL;
        if (jsobj_define_value(t, proto, jskey_from_atom_id(t, JS_ATOM_constructor),
                               jsv_object(ctor), JS_PROP_C_W) < 0)
            return NULL;
    }
    if (ctor_id >= 0)
        realm->intrinsics[ctor_id] = jsv_object(ctor);
    if (proto && proto_id >= 0)
        realm->intrinsics[proto_id] = jsv_object(proto);
    if (realm->global &&
        jsobj_define_value(t, realm->global, key, jsv_object(ctor), JS_PROP_C_W) < 0)
        return NULL;
    return ctor;
}

js_object *jsbi_make_proto(js_thread *t, js_realm *realm, int parent_id, unsigned class_id)
{
    jsv parent = parent_id >= 0 ? realm->intrinsics[parent_id] : JSV_NULL;
    if (!jsv_is_object(parent))
        parent = JSV_NULL;
    return jsobj_new(t, parent, class_id);
}

int jsbi_set_tag(js_thread *t, js_object *o, const char *tag)
{
    js_string *s = jsstr_new_cstr(t, tag);
    if (!s)
        return -1;
    return jsobj_define_value(t, o, jsv_symbol(t->rt->wk_symbols[JS_WKS_toStringTag]),
                              jsv_string(s), JS_PROP_CONFIGURABLE);
}

js_object *jsbi_own_keys(js_thread *t, js_object *o)
{
    js_keylist l = { 0 };
    js_object *arr;

    if (jsobj_own_keys(t, o, &l) < 0) {
        jskeylist_free(t->rt, &l);
        return NULL;
    }
    /* A proxy's keys may be referenced only from the malloc-ed list: no
     * collection until they are in the array. */
    jsgc_disable(t->rt);
    arr = jsobj_new_array_from(t, l.count, l.keys);
    jsgc_enable(t->rt);
    jskeylist_free(t->rt, &l);
    return arr;
}

int jsbi_define_value_cstr(js_thread *t, js_object *o, const char *name, jsv v, unsigned attrs)
{
    js_key k = jskey_from_cstr(t, name);
    if (k == JSV_EXCEPTION)
        return -1;
    return jsobj_define_value(t, o, k, v, attrs);
}

js_object *jsbi_new_wrapper(js_thread *t, jsv new_target, int proto_id, unsigned class_id, jsv value)
{
    const js_class_ops *ops = jsobj_classes[class_id];
    js_object *o;

    /* Until the class is linked the object would be too small for `value`. */
    if (!ops || ops->size < sizeof(js_primitive_object)) {
        jsvm_throw_error(t, JS_ERR_INTERNAL, "wrapper class %u not available", class_id);
        return NULL;
    }
    if (jsv_is_undefined(new_target))
        o = jsobj_new(t, jsrt_intrinsic(t, proto_id), class_id);
    else
        o = jsobj_new_from_ctor(t, new_target, proto_id, class_id);
    if (o)
        ((js_primitive_object *)o)->value = value;
    return o;
}

js_object *jsbi_list_from_array_like(js_thread *t, jsv obj)
{
    uint32_t n = 0;
    jsv *list = NULL;
    js_object *arr;

    if (jsop_create_list_from_array_like(t, obj, &n, &list) == JSV_EXCEPTION)
        return NULL;
    /* The values may be referenced only from the malloc-ed list (getters). */
    jsgc_disable(t->rt);
    arr = jsobj_new_array_from(t, n, list);
    jsgc_enable(t->rt);
    free(list);
    return arr;
}
