/*
 * vm.h - what the rest of the engine may ask of the execution layer: calling and
 * constructing, throwing, the abstract operations of the specification
 * (conversions, comparisons, iteration), and compiling/evaluating source.
 * interp.c/function.c/codegen.c implement calls and evaluation; ops.c the
 * abstract operations; error.c throwing and stack traces.
 * Thread rules: everything here runs on the js_thread it is given.
 */
#ifndef JSE_VM_VM_H
#define JSE_VM_VM_H

#include "../core/value.h"
#include "../core/object.h"
#include "../core/runtime.h"

/* ---- calls (interp.c / function.c) ---- */
/* Call(F, V, args). Throws TypeError if fn is not callable. */
jsv jsvm_call(js_thread *t, jsv fn, jsv this_val, int argc, const jsv *argv);
/* Construct(F, args, newTarget); new_target = JSV_UNDEFINED means fn itself. */
jsv jsvm_construct(js_thread *t, jsv fn, int argc, const jsv *argv, jsv new_target);
/* Invoke(V, P, args) */
jsv jsvm_invoke(js_thread *t, jsv obj, js_key k, int argc, const jsv *argv);
/* CreateListFromArrayLike without observable steps, for apply-style calls: when
 * obj is a dense Array or an arguments object whose length and elements are plain
 * own data, copies at most max elements to buf, sets *count and returns 1; else 0
 * (nothing was read, the caller takes the general path). */
int jsvm_plain_arg_list(js_thread *t, jsv obj, jsv *buf, uint32_t max, uint32_t *count);

/* ---- evaluation (codegen.c / interp.c / module.c) ---- */
#define JSVM_EVAL_STRICT  0x01
#define JSVM_EVAL_MODULE  0x02
#define JSVM_EVAL_PARSE_ONLY 0x04   /* parse + early errors only; returns undefined */
/* ParseScript + ScriptEvaluation in t->realm. Returns the completion value or
 * JSV_EXCEPTION (SyntaxError for early errors). */
jsv jsvm_eval_script(js_thread *t, const char *src, size_t len, const char *filename, int flags);
/* Same source given as a js_string (eval, Function constructor paths use this). */
jsv jsvm_eval_string(js_thread *t, js_string *src, const char *filename, int flags);
/* Module: parse, link, evaluate; returns the evaluation promise or JSV_EXCEPTION. */
jsv jsvm_eval_module(js_thread *t, const char *src, size_t len, const char *filename);
/* A host-defined module named `name` in t->realm whose [[ModuleSource]] is
 * the object `source` (source phase imports); -1 thrown if already defined. */
int jsvm_define_source_module(js_thread *t, const char *name, jsv source);
/* CreateDynamicFunction (Function, GeneratorFunction, ... constructors).
 * kind: 0 normal, 1 generator, 2 async, 3 async generator. */
jsv jsvm_create_dynamic_function(js_thread *t, int kind, int argc, jsv *argv, jsv new_target);
/* Indirect eval (the global `eval` function called not as a direct eval). */
jsv jsvm_indirect_eval(js_thread *t, jsv x);

/* Poll the interrupt word (back-edges, calls, RegExp matcher). Returns -1 with
 * an exception pending when the script must stop. */
int jsvm_poll_interrupt(js_thread *t);
/* Stack-depth check at every entry that recurses (calls, parser, JSON...):
 * -1 with RangeError "Maximum call stack size exceeded" when too deep. */
int jsvm_check_stack(js_thread *t);

/* ---- exceptions (error.c) ---- */
jsv jsvm_throw(js_thread *t, jsv v);               /* always returns JSV_EXCEPTION */
enum { JS_ERR_ERROR, JS_ERR_EVAL, JS_ERR_RANGE, JS_ERR_REFERENCE, JS_ERR_SYNTAX,
       JS_ERR_TYPE, JS_ERR_URI, JS_ERR_AGGREGATE, JS_ERR_INTERNAL };
jsv jsvm_throw_error(js_thread *t, int kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define jsvm_throw_type_error(t, ...)      jsvm_throw_error((t), JS_ERR_TYPE, __VA_ARGS__)
#define jsvm_throw_range_error(t, ...)     jsvm_throw_error((t), JS_ERR_RANGE, __VA_ARGS__)
#define jsvm_throw_reference_error(t, ...) jsvm_throw_error((t), JS_ERR_REFERENCE, __VA_ARGS__)
#define jsvm_throw_syntax_error(t, ...)    jsvm_throw_error((t), JS_ERR_SYNTAX, __VA_ARGS__)
jsv jsvm_throw_out_of_memory(js_thread *t);
/* Take the pending exception (clears it). */
jsv jsvm_take_exception(js_thread *t);
/* An Error object of `kind` with message in the current realm (not thrown). */
jsv jsvm_new_error(js_thread *t, int kind, js_string *message);
/* Captures the current call stack into a string "    at f (file:line:col)\n..." */
js_string *jsvm_capture_stack(js_thread *t, int skip);

/* ---- abstract operations (ops.c) ----
 * All return JSV_EXCEPTION / -1 on a thrown exception. */
jsv jsop_to_primitive(js_thread *t, jsv v, int hint);   /* hint: 0 default, 1 number, 2 string */
jsv jsop_to_numeric(js_thread *t, jsv v);               /* number or bigint */
int jsop_to_number(js_thread *t, jsv v, double *out);
jsv jsop_to_number_value(js_thread *t, jsv v);
js_string *jsop_to_string(js_thread *t, jsv v);         /* NULL on exception */
jsv jsop_to_string_value(js_thread *t, jsv v);
jsv jsop_to_object(js_thread *t, jsv v);
js_key jsop_to_property_key(js_thread *t, jsv v);       /* JSV_EXCEPTION on throw */
int jsop_to_boolean(jsv v);
int jsop_to_int32(js_thread *t, jsv v, int32_t *out);
int jsop_to_uint32(js_thread *t, jsv v, uint32_t *out);
int jsop_to_integer_or_infinity(js_thread *t, jsv v, double *out);
int jsop_to_length(js_thread *t, jsv v, int64_t *out);
int jsop_to_index(js_thread *t, jsv v, uint64_t *out);   /* RangeError when out of range */
int32_t jsop_double_to_int32(double d);
/* Number::toString(x, 10) as a string value (shortest round trip). */
js_string *jsop_number_to_string(js_thread *t, double d);
/* StringToNumber: NaN for invalid. */
double jsop_string_to_number(js_string *s);

int jsop_same_value(jsv a, jsv b);
int jsop_same_value_zero(jsv a, jsv b);
int jsop_strict_equals(jsv a, jsv b);
int jsop_loose_equals(js_thread *t, jsv a, jsv b);       /* -1 on exception */
/* IsLessThan(a, b, left_first): 1 true, 0 false, 2 undefined (NaN), -1 exception. */
int jsop_less_than(js_thread *t, jsv a, jsv b, int left_first);
jsv jsop_typeof(js_thread *t, jsv v);                    /* string value */
int jsop_instanceof(js_thread *t, jsv v, jsv target);
int jsop_ordinary_has_instance(js_thread *t, jsv c, jsv o);
int jsop_is_callable(jsv v);
int jsop_is_constructor(jsv v);
int jsop_is_regexp(js_thread *t, jsv v);
jsv jsop_get_method(js_thread *t, jsv v, js_key k);      /* undefined if absent/nullish */
jsv jsop_species_constructor(js_thread *t, js_object *o, jsv default_ctor);
/* GetFunctionRealm(f): NULL + TypeError for a revoked proxy. */
js_realm *jsop_get_function_realm(js_thread *t, js_object *f);
int jsop_length_of_array_like(js_thread *t, js_object *o, int64_t *out);
jsv jsop_create_list_from_array_like(js_thread *t, jsv obj, uint32_t *count, jsv **out); /* malloc-ed list */
/* Binary arithmetic on numerics (+ handles strings). op: the OP_ character ('+', '-', '*', '/', '%', 'e' for **,
 * '<' for <<, '>' for >>, 'u' for >>>, '&', '|', '^'). */
jsv jsop_binary(js_thread *t, int op, jsv a, jsv b);
jsv jsop_add(js_thread *t, jsv a, jsv b);

/* Iteration protocol. */
typedef struct js_iter_record { jsv iterator; jsv next_method; int done; } js_iter_record;
int jsop_get_iterator(js_thread *t, jsv obj, int async, js_iter_record *out);
int jsop_get_iterator_from_method(js_thread *t, jsv obj, jsv method, js_iter_record *out);
/* IteratorStepValue: 1 and *value, 0 when done, -1 exception. */
int jsop_iterator_step_value(js_thread *t, js_iter_record *it, jsv *value);
/* IteratorClose with a normal completion (returns -1 if return() throws or gives
 * a non-object) or with a throw completion (completion_is_throw: errors from
 * return() are swallowed, the original exception stays pending). */
int jsop_iterator_close(js_thread *t, js_iter_record *it, int completion_is_throw);
jsv jsop_create_iter_result(js_thread *t, jsv value, int done);

/* Property descriptor conversions (ToPropertyDescriptor / FromPropertyDescriptor). */
int jsop_to_property_descriptor(js_thread *t, jsv obj, js_propdesc *out);
jsv jsop_from_property_descriptor(js_thread *t, const js_propdesc *d, int present);
void jsop_complete_property_descriptor(js_propdesc *d);

/* ---- GC hooks the VM provides (called by gc.c) ---- */
void jsvm_trace_function_bc(js_gc_tracer *trc, void *cell);      /* JS_CELL_FUNCTION_BC */
void jsvm_finalize_function_bc(js_runtime *rt, void *cell);
void jsvm_trace_env(js_gc_tracer *trc, void *cell);              /* JS_CELL_ENV */
void jsvm_finalize_env(js_runtime *rt, void *cell);
/* The value stack and frames of a thread (precise roots). */
void jsvm_trace_thread(js_gc_tracer *trc, js_thread *t);
/* Realm pieces the VM owns (global lexical environment, template map). */
void jsvm_trace_realm(js_gc_tracer *trc, js_realm *realm);
/* Thread set-up/teardown of VM state (value stack). */
int jsvm_thread_init(js_thread *t);
void jsvm_thread_free(js_thread *t);
/* Realm set-up of VM state (global environment); called by jsrt_realm_new
 * after the global object exists and before jsbi_init_realm. */
int jsvm_realm_init(js_thread *t, js_realm *realm);

#endif
