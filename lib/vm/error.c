/*
 * error.c - throwing: the pending-exception protocol of js_thread, creating Error
 * objects of each kind in the current realm, and the out-of-memory fallback.
 * Must not touch: stack capture (interp.c owns jsvm_capture_stack) or the Error
 * built-ins (lib/builtins/error.c); out-of-memory paths allocate nothing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "vm.h"

/* Weak while the VM is brought up: without it errors just carry no stack. */
#pragma weak jsvm_capture_stack

/* Longest message formatted on the C stack; longer ones go through malloc. */
#define ERROR_MSG_STACK_BUF 256

jsv jsvm_throw(js_thread *t, jsv v)
{
    /* A termination being unwound is not replaced by errors thrown on the way. */
    if (t->uncatchable && t->has_exception)
        return JSV_EXCEPTION;
    t->exception = v;
    t->has_exception = 1;
    return JSV_EXCEPTION;
}

jsv jsvm_take_exception(js_thread *t)
{
    jsv v = t->has_exception ? t->exception : JSV_UNDEFINED;
    t->exception = JSV_UNDEFINED;
    t->has_exception = 0;
    return v;
}

static int error_proto_id(int kind)
{
    switch (kind) {
    case JS_ERR_EVAL: return JS_INTR_EvalErrorPrototype;
    case JS_ERR_RANGE: return JS_INTR_RangeErrorPrototype;
    case JS_ERR_REFERENCE: return JS_INTR_ReferenceErrorPrototype;
    case JS_ERR_SYNTAX: return JS_INTR_SyntaxErrorPrototype;
    case JS_ERR_TYPE: return JS_INTR_TypeErrorPrototype;
    case JS_ERR_URI: return JS_INTR_URIErrorPrototype;
    case JS_ERR_AGGREGATE: return JS_INTR_AggregateErrorPrototype;
    default: return JS_INTR_ErrorPrototype;
    }
}

jsv jsvm_new_error(js_thread *t, int kind, js_string *message)
{
    js_realm *realm = t->realm;
    jsv proto;
    js_object *e;

    if (!realm)
        return message ? jsv_string(message) : JSV_UNDEFINED;
    proto = realm->intrinsics[error_proto_id(kind)];
    if (!jsv_is_object(proto))
        proto = realm->intrinsics[JS_INTR_ErrorPrototype];
    if (!jsv_is_object(proto))
        proto = realm->intrinsics[JS_INTR_ObjectPrototype];
    if (!jsv_is_object(proto))
        return message ? jsv_string(message) : JSV_UNDEFINED;
    e = jsobj_new(t, proto, JS_CLASS_ERROR);
    if (!e)
        return JSV_EXCEPTION;
    if (message && jsobj_define_value(t, e, jskey_from_atom_id(t, JS_ATOM_message),
                                      jsv_string(message), JS_PROP_C_W) < 0)
        return JSV_EXCEPTION;
    if (kind == JS_ERR_INTERNAL &&
        jsobj_define_value(t, e, jskey_from_atom_id(t, JS_ATOM_name),
                           jsrt_atom_value(t, JS_ATOM_InternalError), JS_PROP_C_W) < 0)
        return JSV_EXCEPTION;
    /* The trace goes into the [[ErrorData]] slot that Error.prototype.stack
     * reads (lib/builtins/error.c), when the error class has one. */
    if (jsvm_capture_stack && jsobj_classes[JS_CLASS_ERROR] &&
        jsobj_classes[JS_CLASS_ERROR]->size >= sizeof(js_primitive_object) &&
        jsobj_classes[JS_CLASS_ERROR]->trace) {
        js_string *st = jsvm_capture_stack(t, 0);
        if (!st) {
            if (t->has_exception)
                return JSV_EXCEPTION;
        } else {
            ((js_primitive_object *)e)->value = jsv_string(st);
        }
    }
    return jsv_object(e);
}

jsv jsvm_throw_error(js_thread *t, int kind, const char *fmt, ...)
{
    char sbuf[ERROR_MSG_STACK_BUF];
    char *buf = sbuf;
    va_list ap;
    int n;
    js_string *msg;
    jsv err;

    va_start(ap, fmt);
    n = vsnprintf(sbuf, sizeof sbuf, fmt, ap);
    va_end(ap);
    if (n < 0) {
        n = 0;
        sbuf[0] = 0;
    } else if ((size_t)n >= sizeof sbuf) {
        buf = malloc((size_t)n + 1);
        if (!buf) {
            buf = sbuf;
            n = sizeof sbuf - 1;
        } else {
            va_start(ap, fmt);
            vsnprintf(buf, (size_t)n + 1, fmt, ap);
            va_end(ap);
        }
    }
    msg = jsstr_new_utf8(t, buf, (size_t)n);
    if (buf != sbuf)
        free(buf);
    if (!msg)
        return JSV_EXCEPTION;   /* out-of-memory is already pending */
    err = jsvm_new_error(t, kind, msg);
    if (err == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    return jsvm_throw(t, err);
}

/* The preallocated RangeError of the realm (built by lib/builtins/error.c), or
 * the "out of memory" atom before it exists: nothing is allocated here, since
 * the allocator itself calls this when it runs dry. */
jsv jsvm_throw_out_of_memory(js_thread *t)
{
    jsv v = JSV_UNDEFINED;
    if (t->realm)
        v = t->realm->intrinsics[JS_INTR_OutOfMemoryError];
    if (!jsv_is_object(v)) {
        js_string *s = t->rt ? t->rt->atoms[JS_ATOM_out_of_memory] : NULL;
        v = s ? jsv_string(s) : JSV_NULL;
    }
    return jsvm_throw(t, v);
}
