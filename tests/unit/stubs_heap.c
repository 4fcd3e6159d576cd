/*
 * stubs_heap.c - stand-ins for the object, shape, VM and builtins entry points
 * that gc.c, string.c and runtime.c call, so test_gc and test_string can be
 * built from lib/core/{gc,string,runtime,classes}.c alone while the rest of
 * the engine is brought up. Never link it together with libjsengine.
 */
#include <stdio.h>
#include <stdarg.h>
#include "core/runtime.h"
#include "vm/vm.h"
#include "builtins/builtins.h"

void jsobj_trace(js_gc_tracer *trc, js_object *o) { jsgc_mark_cell(trc, o->shape); }
void jsobj_finalize(js_runtime *rt, js_object *o) { }
void jsshape_trace(js_gc_tracer *trc, js_shape *s) { jsgc_mark_value(trc, s->proto); }
void jsshape_finalize(js_runtime *rt, js_shape *s) { }
void jsvm_trace_function_bc(js_gc_tracer *trc, void *cell) { }
void jsvm_finalize_function_bc(js_runtime *rt, void *cell) { }
void jsvm_trace_env(js_gc_tracer *trc, void *cell) { }
void jsvm_finalize_env(js_runtime *rt, void *cell) { }
void jsvm_trace_thread(js_gc_tracer *trc, js_thread *t) { }
void jsvm_trace_realm(js_gc_tracer *trc, js_realm *realm) { }
int jsvm_thread_init(js_thread *t) { return 0; }
void jsvm_thread_free(js_thread *t) { }
int jsvm_realm_init(js_thread *t, js_realm *realm) { return 0; }
int jsbi_init_realm(js_thread *t, js_realm *realm) { return 0; }

js_object *jsobj_new(js_thread *t, jsv proto, unsigned class_id)
{
    js_object *o = jsgc_alloc(t, sizeof(js_native_function), JS_CELL_OBJECT);
    if (o) o->h.aux = class_id;
    return o;
}

jsv jsvm_throw(js_thread *t, jsv v)
{
    t->exception = v;
    t->has_exception = 1;
    return JSV_EXCEPTION;
}

jsv jsvm_throw_out_of_memory(js_thread *t)
{
    js_string *s = t->rt->atoms[JS_ATOM_out_of_memory];
    return jsvm_throw(t, s ? jsv_string(s) : JSV_NULL);
}

jsv jsvm_throw_error(js_thread *t, int kind, const char *fmt, ...)
{
    return jsvm_throw(t, jsv_from_int(kind));
}

/* The class entry runtime.c's realm set-up relies on (link lib/core/classes.c too). */
const js_class_ops jsclass_function_native = { .name = "Function", .size = sizeof(js_native_function) };
