/*
 * error.c (builtins) - Error, the NativeErrors, AggregateError, SuppressedError,
 * Error.isError, Error.prototype.toString and the Error.prototype.stack accessor
 * (trace lines only, from jsvm_capture_stack, kept in the [[ErrorData]] slot).
 * Also preallocates the realm's out-of-memory RangeError used by lib/vm/error.c.
 * Must not touch: the throw protocol (lib/vm/error.c).
 */
#include "builtins.h"

#pragma weak jsvm_capture_stack

#define KEY(atom) jskey_from_atom_id(t, JS_ATOM_##atom)

/* Indexed by magic: JS_ERR_ERROR .. JS_ERR_AGGREGATE, then SuppressedError. */
#define ERR_SUPPRESSED 8
static const struct { const char *name; int ctor_id, proto_id; } error_kinds[] = {
    [JS_ERR_ERROR] = { "Error", JS_INTR_Error, JS_INTR_ErrorPrototype },
    [JS_ERR_EVAL] = { "EvalError", JS_INTR_EvalError, JS_INTR_EvalErrorPrototype },
    [JS_ERR_RANGE] = { "RangeError", JS_INTR_RangeError, JS_INTR_RangeErrorPrototype },
    [JS_ERR_REFERENCE] = { "ReferenceError", JS_INTR_ReferenceError, JS_INTR_ReferenceErrorPrototype },
    [JS_ERR_SYNTAX] = { "SyntaxError", JS_INTR_SyntaxError, JS_INTR_SyntaxErrorPrototype },
    [JS_ERR_TYPE] = { "TypeError", JS_INTR_TypeError, JS_INTR_TypeErrorPrototype },
    [JS_ERR_URI] = { "URIError", JS_INTR_URIError, JS_INTR_URIErrorPrototype },
    [JS_ERR_AGGREGATE] = { "AggregateError", JS_INTR_AggregateError, JS_INTR_AggregateErrorPrototype },
    [ERR_SUPPRESSED] = { "SuppressedError", JS_INTR_SuppressedError, JS_INTR_SuppressedErrorPrototype },
};

static js_object *error_create(js_thread *t, jsv new_target, int kind)
{
    if (jsv_is_undefined(new_target))
        return jsobj_new(t, jsrt_intrinsic(t, error_kinds[kind].proto_id), JS_CLASS_ERROR);
    return jsobj_new_from_ctor(t, new_target, error_kinds[kind].proto_id, JS_CLASS_ERROR);
}

static int install_message(js_thread *t, js_object *o, jsv message)
{
    js_string *s;
    if (jsv_is_undefined(message))
        return 0;
    s = jsop_to_string(t, message);
    if (!s)
        return -1;
    return jsobj_define_value(t, o, KEY(message), jsv_string(s), JS_PROP_C_W);
}

/* InstallErrorCause */
static int install_cause(js_thread *t, js_object *o, jsv options)
{
    int r;
    jsv cause;
    if (!jsv_is_object(options))
        return 0;
    r = jsobj_has_property(t, JSV_OBJ(options), KEY(cause));
    if (r <= 0)
        return r;
    cause = jsobj_get(t, JSV_OBJ(options), KEY(cause), options);
    if (cause == JSV_EXCEPTION)
        return -1;
    return jsobj_define_value(t, o, KEY(cause), cause, JS_PROP_C_W);
}

/* The captured trace lives in the [[ErrorData]] slot (the `value` of a
 * js_primitive_object-sized error) and is read by the Error.prototype.stack
 * getter; instances get no own "stack" (error-stack-accessor). While
 * jsclass_error is only js_object-sized there is nowhere to keep it. */
static int error_has_slot(void)
{
    const js_class_ops *ops = jsobj_classes[JS_CLASS_ERROR];
    return ops && ops->size >= sizeof(js_primitive_object) && ops->trace;
}

static int install_stack(js_thread *t, js_object *o)
{
    js_string *st;
    if (!jsvm_capture_stack || !error_has_slot())
        return 0;
    st = jsvm_capture_stack(t, 0);
    if (!st)
        return t->has_exception ? -1 : 0;
    ((js_primitive_object *)o)->value = jsv_string(st);
    return 0;
}

static jsv error_stack_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    if (!jsv_is_object(this_val))
        return jsvm_throw_type_error(t, "Error.prototype.stack getter called on non-object");
    o = JSV_OBJ(this_val);
    if (jsobj_class(o) != JS_CLASS_ERROR)
        return JSV_UNDEFINED;
    if (error_has_slot() && jsv_is_string(((js_primitive_object *)o)->value))
        return ((js_primitive_object *)o)->value;
    return jsrt_atom_value(t, JS_ATOM_empty);
}

/* SetterThatIgnoresPrototypeProperties(this, %Error.prototype%, "stack", v) */
static jsv error_stack_set(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv v = JS_ARG(0);
    js_object *o;
    js_propdesc d;
    int r;

    if (!jsv_is_object(this_val))
        return jsvm_throw_type_error(t, "Error.prototype.stack setter called on non-object");
    if (!jsv_is_string(v))
        return jsvm_throw_type_error(t, "Error.prototype.stack value must be a string");
    o = JSV_OBJ(this_val);
    if (this_val == jsrt_intrinsic(t, JS_INTR_ErrorPrototype))
        return jsvm_throw_type_error(t, "cannot set stack on Error.prototype");
    r = jsobj_get_own_property(t, o, KEY(stack), &d);
    if (r < 0)
        return JSV_EXCEPTION;
    if (!r)
        r = jsobj_create_data_property(t, o, KEY(stack), v, JS_THROW);
    else
        r = jsobj_set(t, o, KEY(stack), v, this_val, JS_THROW);
    return r < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
}

/* Error and the NativeErrors (magic = JS_ERR_*). */
static jsv error_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    js_object *o = error_create(t, new_target, magic);
    if (!o)
        return JSV_EXCEPTION;
    if (install_message(t, o, JS_ARG(0)) < 0 || install_cause(t, o, JS_ARG(1)) < 0 ||
        install_stack(t, o) < 0)
        return JSV_EXCEPTION;
    return jsv_object(o);
}

static jsv error_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return error_construct(t, JSV_UNDEFINED, argc, argv, magic);
}

static jsv aggregate_error_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    js_object *o = error_create(t, new_target, JS_ERR_AGGREGATE), *list;
    js_iter_record it;

    if (!o)
        return JSV_EXCEPTION;
    if (install_message(t, o, JS_ARG(1)) < 0 || install_cause(t, o, JS_ARG(2)) < 0)
        return JSV_EXCEPTION;
    list = jsobj_new_array(t, 0);
    if (!list)
        return JSV_EXCEPTION;
    if (jsop_get_iterator(t, JS_ARG(0), 0, &it) < 0)
        return JSV_EXCEPTION;
    for (;;) {
        jsv v;
        int r = jsop_iterator_step_value(t, &it, &v);
        if (r < 0)
            return JSV_EXCEPTION;
        if (!r)
            break;
        if (jsarray_push(t, list, v) < 0) {
            jsop_iterator_close(t, &it, 1);
            return JSV_EXCEPTION;
        }
    }
    if (jsobj_define_value(t, o, KEY(errors), jsv_object(list), JS_PROP_C_W) < 0 ||
        install_stack(t, o) < 0)
        return JSV_EXCEPTION;
    return jsv_object(o);
}

static jsv aggregate_error_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return aggregate_error_construct(t, JSV_UNDEFINED, argc, argv, magic);
}

static jsv suppressed_error_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    js_object *o = error_create(t, new_target, ERR_SUPPRESSED);
    if (!o)
        return JSV_EXCEPTION;
    if (install_message(t, o, JS_ARG(2)) < 0)
        return JSV_EXCEPTION;
    if (jsbi_define_value_cstr(t, o, "error", JS_ARG(0), JS_PROP_C_W) < 0 ||
        jsbi_define_value_cstr(t, o, "suppressed", JS_ARG(1), JS_PROP_C_W) < 0 ||
        install_stack(t, o) < 0)
        return JSV_EXCEPTION;
    return jsv_object(o);
}

static jsv suppressed_error_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return suppressed_error_construct(t, JSV_UNDEFINED, argc, argv, magic);
}

static jsv error_is_error(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv v = JS_ARG(0);
    return jsv_from_bool(jsv_is_object(v) && jsobj_class(JSV_OBJ(v)) == JS_CLASS_ERROR);
}

static jsv error_proto_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    js_string *name, *msg, *r, *sep;
    jsv v;

    if (!jsv_is_object(this_val))
        return jsvm_throw_type_error(t, "Error.prototype.toString called on non-object");
    o = JSV_OBJ(this_val);
    v = jsobj_get(t, o, KEY(name), this_val);
    if (v == JSV_EXCEPTION)
        return v;
    name = jsv_is_undefined(v) ? jsrt_atom(t, JS_ATOM_Error) : jsop_to_string(t, v);
    if (!name)
        return JSV_EXCEPTION;
    v = jsobj_get(t, o, KEY(message), this_val);
    if (v == JSV_EXCEPTION)
        return v;
    msg = jsv_is_undefined(v) ? jsrt_atom(t, JS_ATOM_empty) : jsop_to_string(t, v);
    if (!msg)
        return JSV_EXCEPTION;
    if (name->len == 0)
        return jsv_string(msg);
    if (msg->len == 0)
        return jsv_string(name);
    sep = jsstr_new_cstr(t, ": ");
    if (!sep || !(r = jsstr_concat(t, name, sep)) || !(r = jsstr_concat(t, r, msg)))
        return JSV_EXCEPTION;
    return jsv_string(r);
}

static int make_error_kind(js_thread *t, js_realm *realm, int kind, int length,
                           js_native_fn call, js_native_ctor construct)
{
    int base = kind != JS_ERR_ERROR;
    js_object *proto, *ctor;
    js_string *name;

    proto = jsbi_make_proto(t, realm, base ? JS_INTR_ErrorPrototype : JS_INTR_ObjectPrototype,
                            JS_CLASS_OBJECT);
    if (!proto)
        return -1;
    ctor = jsbi_make_ctor(t, realm, error_kinds[kind].name, length, call, construct, kind,
                          proto, error_kinds[kind].ctor_id, error_kinds[kind].proto_id);
    if (!ctor)
        return -1;
    if (base && jsobj_set_prototype_of(t, ctor, realm->intrinsics[JS_INTR_Error], JS_THROW) < 0)
        return -1;
    name = jsstr_new_cstr(t, error_kinds[kind].name);
    if (!name)
        return -1;
    if (jsobj_define_value(t, proto, KEY(message), jsrt_atom_value(t, JS_ATOM_empty), JS_PROP_C_W) < 0 ||
        jsobj_define_value(t, proto, KEY(name), jsv_string(name), JS_PROP_C_W) < 0)
        return -1;
    if (kind == JS_ERR_ERROR) {
        if (jsobj_define_fn(t, proto, "toString", error_proto_to_string, 0, 0) < 0 ||
            jsobj_define_fn(t, ctor, "isError", error_is_error, 1, 0) < 0 ||
            jsobj_define_getset(t, proto, KEY(stack), error_stack_get, error_stack_set, 0) < 0)
            return -1;
    }
    return 0;
}

int jsbi_init_error(js_thread *t, js_realm *realm)
{
    js_object *oom;

    if (make_error_kind(t, realm, JS_ERR_ERROR, 1, error_call, error_construct) < 0)
        return -1;
    for (int k = JS_ERR_EVAL; k <= JS_ERR_URI; k++)
        if (make_error_kind(t, realm, k, 1, error_call, error_construct) < 0)
            return -1;
    if (make_error_kind(t, realm, JS_ERR_AGGREGATE, 2, aggregate_error_call,
                        aggregate_error_construct) < 0 ||
        make_error_kind(t, realm, ERR_SUPPRESSED, 3, suppressed_error_call,
                        suppressed_error_construct) < 0)
        return -1;
    /* Thrown on allocation failure, when nothing more can be allocated. */
    oom = jsobj_new(t, realm->intrinsics[JS_INTR_RangeErrorPrototype], JS_CLASS_ERROR);
    if (!oom || jsobj_define_value(t, oom, KEY(message), jsrt_atom_value(t, JS_ATOM_out_of_memory),
                                   JS_PROP_C_W) < 0)
        return -1;
    realm->intrinsics[JS_INTR_OutOfMemoryError] = jsv_object(oom);
    return 0;
}
