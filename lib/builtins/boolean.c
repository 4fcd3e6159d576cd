/*
 * boolean.c - the Boolean constructor and Boolean.prototype (itself a Boolean
 * object wrapping false).
 * Must not touch: anything but its two intrinsics and the Boolean global.
 */
#include "builtins.h"

static jsv boolean_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    jsv b = jsv_from_bool(jsop_to_boolean(JS_ARG(0)));
    js_object *o;

    if (jsv_is_undefined(new_target))
        return b;
    o = jsbi_new_wrapper(t, new_target, JS_INTR_BooleanPrototype, JS_CLASS_BOOLEAN, b);
    return o ? jsv_object(o) : JSV_EXCEPTION;
}

static jsv boolean_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return boolean_construct(t, JSV_UNDEFINED, argc, argv, magic);
}

static jsv this_boolean_value(js_thread *t, jsv v)
{
    if (jsv_is_bool(v))
        return v;
    if (jsv_is_object(v) && jsobj_class(JSV_OBJ(v)) == JS_CLASS_BOOLEAN)
        return ((js_primitive_object *)JSV_OBJ(v))->value;
    return jsvm_throw_type_error(t, "Boolean.prototype method called on incompatible receiver");
}

static jsv bp_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv b = this_boolean_value(t, this_val);
    if (b == JSV_EXCEPTION)
        return b;
    return jsrt_atom_value(t, b == JSV_TRUE ? JS_ATOM_true : JS_ATOM_false);
}

static jsv bp_value_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return this_boolean_value(t, this_val);
}

int jsbi_init_boolean(js_thread *t, js_realm *realm)
{
    const js_class_ops *ops = jsobj_classes[JS_CLASS_BOOLEAN];
    js_object *proto;

    proto = jsbi_make_proto(t, realm, JS_INTR_ObjectPrototype,
                            ops && ops->size >= sizeof(js_primitive_object) ? JS_CLASS_BOOLEAN : JS_CLASS_OBJECT);
    if (!proto)
        return -1;
    if (jsobj_class(proto) == JS_CLASS_BOOLEAN)
        ((js_primitive_object *)proto)->value = JSV_FALSE;
    if (!jsbi_make_ctor(t, realm, "Boolean", 1, boolean_call, boolean_construct, 0,
                        proto, JS_INTR_Boolean, JS_INTR_BooleanPrototype))
        return -1;
    if (jsobj_define_fn(t, proto, "toString", bp_to_string, 0, 0) < 0 ||
        jsobj_define_fn(t, proto, "valueOf", bp_value_of, 0, 0) < 0)
        return -1;
    return 0;
}
