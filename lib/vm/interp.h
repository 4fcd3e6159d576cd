/*
 * interp.h - what the interpreter loop (interp.c) shares with its slow paths
 * (interp_aux.c), function.c, env.c and generator.c. Private to lib/vm.
 */
#ifndef JSE_VM_INTERP_H
#define JSE_VM_INTERP_H

#include "function.h"

/* Value stack: 1M values (8 MiB, touched lazily by the OS). */
#define JSVM_STACK_VALUES (1u << 20)
/* Frames per thread; deeper recursion throws RangeError. */
#define JSVM_MAX_FRAMES 12000
/* Back-edges/calls between interrupt polls. */
#define JSVM_POLL_INTERVAL 4096

/* js_symbol.h.flags bit for private names (#x); never visible as keys. */
#define JSVM_SYM_PRIVATE JS_SYM_PRIVATE

/* Resumption modes pushed after a yield/await. */
enum { JSVM_RESUME_NEXT = 0, JSVM_RESUME_THROW = 1, JSVM_RESUME_RETURN = 2 };

js_frame *jsvm_enter_frame(js_thread *t, js_function *fn, jsv *base, int argc, jsv this_val,
                           jsv new_target, int flags);
void jsvm_leave_frame(js_thread *t, js_frame *f);
js_frame *jsvm_frame_alloc(js_thread *t);

const char *jsvm_value_desc(js_thread *t, jsv v);
jsv jsvm_throw_with_key(js_thread *t, int kind, const char *fmt, jsv key);
jsv jsvm_get_field_slow(js_thread *t, js_object *o, js_key key, js_ic *ic);

/* interp_aux.c */
jsv jsvm_regexp_literal(js_thread *t, jsv pattern, jsv flags);
jsv jsvm_template_object(js_thread *t, js_function_bc *bc, uint32_t idx);
jsv jsvm_import_meta(js_thread *t, js_frame *f);
jsv jsvm_do_dynamic_import(js_thread *t, js_frame *f, jsv spec, jsv options);
/* import.defer (phase 1: evaluated eagerly for now) and import.source (phase 2). */
jsv jsvm_do_dynamic_import_phase(js_thread *t, js_frame *f, jsv spec, jsv options, int phase);
jsv jsvm_delete_property(js_thread *t, jsv obj, jsv key, int strict);
jsv jsvm_super_base(js_thread *t, js_frame *f);
jsv jsvm_super_get(js_thread *t, jsv this_val, jsv key, jsv base);
int jsvm_super_put(js_thread *t, jsv this_val, jsv key, jsv base, jsv v, int strict);
jsv jsvm_private_get(js_thread *t, jsv obj, jsv sym);
int jsvm_private_set(js_thread *t, jsv obj, jsv sym, jsv v);
/* kind 0 field, 1 method, 2 accessor (v = getter, v2 = setter) */
int jsvm_private_define(js_thread *t, jsv obj, jsv sym, jsv v, jsv v2, int kind);
jsv jsvm_private_in(js_thread *t, jsv sym, jsv obj);
/* decorators.c */
jsv jsdeco_state(js_thread *t, jsv ctor, int derived);
jsv jsdeco_element(js_thread *t, jsv state, jsv decos, jsv key, jsv value, int flags, int slot);
jsv jsdeco_class(js_thread *t, jsv ctor, jsv state, jsv decos, jsv name);
jsv jsdeco_call_inits(js_thread *t, jsv recv, jsv list, jsv value);
int jsdeco_run_inits(js_thread *t, jsv recv, jsv state, int which);
/* flags: 0 method, 1 getter, 2 setter; | 4 enumerable; | 8 no home object */
int jsvm_define_method(js_thread *t, jsv obj, js_key key, jsv fn, int flags);
int jsvm_copy_data_properties(js_thread *t, jsv target, jsv src, jsv excluded);
int jsvm_array_append(js_thread *t, js_object *a, jsv v);
int jsvm_array_append_hole(js_thread *t, js_object *a);
int jsvm_array_append_spread(js_thread *t, js_object *a, jsv iterable);
int jsvm_array_to_list(js_thread *t, jsv arr, jsv **out, uint32_t *n);
int jsvm_make_class(js_thread *t, js_frame *f, js_function_bc *ctor_bc, jsv parent, int flags, jsv out[2]);
jsv jsvm_super_call(js_thread *t, js_frame *f, int argc, const jsv *argv);
jsv jsvm_direct_eval(js_thread *t, js_frame *f, jsv x);
jsv jsvm_for_in_start(js_thread *t, jsv obj);
int jsvm_for_in_next(js_thread *t, jsv iter, jsv *key);
int jsvm_using_add(js_thread *t, jsv list, jsv value, int async);
int jsvm_using_dispose(js_thread *t, jsv list, jsv completion);
int jsvm_global_def_fn(js_thread *t, jsv key, jsv fn);
int jsvm_run_fields_init(js_thread *t, js_function *ctor, jsv this_val);

/* generator.c */
int jsvm_suspend(js_thread *t, js_frame *f, int op, jsv value);
void jsvm_frame_finished(js_thread *t, js_frame *f, jsv result);
int jsvm_get_async_iterator(js_thread *t, jsv obj, js_iter_record *out);
int jsvm_yield_star_step(js_thread *t, int async, int phase, jsv *sp);
jsv jsvm_generator_call(js_thread *t, js_function *fn, jsv this_val, int argc, const jsv *argv);

#endif
