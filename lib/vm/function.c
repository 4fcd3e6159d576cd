/*
 * function.c - bytecode function templates (JS_CELL_FUNCTION_BC) and closures
 * (JS_CLASS_FUNCTION_BC objects: [[Call]]/[[Construct]]), arguments objects
 * (unmapped and the mapped exotic object), and function source text.
 * Must not run bytecode itself (it goes through interp.c / generator.c).
 */
#include <stdlib.h>
#include <string.h>
#include "function.h"
#include "interp.h"

/* ---- templates ---- */

js_function_bc *jsvm_function_bc_new(js_thread *t)
{
    js_function_bc *bc = jsgc_alloc(t, sizeof(js_function_bc), JS_CELL_FUNCTION_BC);
    if (!bc) return NULL;
    bc->name = JSV_UNDEFINED;
    bc->filename = JSV_UNDEFINED;
    bc->source = JSV_UNDEFINED;
    bc->decl_vars = bc->decl_funcs = bc->decl_lex = bc->decl_lex_const = JSV_UNDEFINED;
    return bc;
}

void jsvm_trace_function_bc(js_gc_tracer *trc, void *cell)
{
    js_function_bc *bc = cell;
    jsgc_mark_value(trc, bc->name);
    jsgc_mark_value(trc, bc->filename);
    jsgc_mark_value(trc, bc->source);
    jsgc_mark_value(trc, bc->decl_vars);
    jsgc_mark_value(trc, bc->decl_funcs);
    jsgc_mark_value(trc, bc->decl_lex);
    jsgc_mark_value(trc, bc->decl_lex_const);
    if (bc->consts) jsgc_mark_values(trc, bc->consts, bc->nconsts);
    if (bc->local_names) jsgc_mark_values(trc, bc->local_names, bc->nlocals);
    /* inline caches hold weak-ish shape pointers: keep them alive (cheap, bounded) */
    for (uint32_t i = 0; bc->ics && i < bc->nics; i++) {
        if (bc->ics[i].shape) jsgc_mark_cell(trc, bc->ics[i].shape);
        if (bc->ics[i].holder) jsgc_mark_cell(trc, bc->ics[i].holder);
        if (bc->ics[i].holder_shape) jsgc_mark_cell(trc, bc->ics[i].holder_shape);
    }
}

void jsvm_finalize_function_bc(js_runtime *rt, void *cell)
{
    js_function_bc *bc = cell;
    free(bc->code);
    free(bc->consts);
    free(bc->ics);
    free(bc->lines);
    free(bc->local_names);
    free(bc->arg_env_slots);
    bc->code = NULL;
    bc->consts = NULL;
    bc->ics = NULL;
    bc->lines = NULL;
    bc->local_names = NULL;
    bc->arg_env_slots = NULL;
}

/* ---- closures ---- */

static void closure_trace(js_gc_tracer *trc, js_object *o)
{
    js_function *f = (js_function *)o;
    jsgc_mark_cell(trc, f->bc);
    jsgc_mark_cell(trc, f->env);
    jsgc_mark_cell(trc, f->realm);
    jsgc_mark_cell(trc, f->this_box);
    jsgc_mark_value(trc, f->home_object);
    jsgc_mark_value(trc, f->this_val);
    jsgc_mark_value(trc, f->new_target);
    jsgc_mark_value(trc, f->fields_init);
    jsgc_mark_value(trc, f->field_keys);
    jsgc_mark_value(trc, f->class_fields_home);
    jsgc_mark_value(trc, f->active_fn);
}

static jsv closure_call(js_thread *t, js_object *o, jsv this_val, int argc, jsv *argv)
{
    js_function *f = (js_function *)o;
    uint32_t fl = f->bc->flags;
    if (fl & JSFB_CLASS_CTOR) {
        char *s = jsv_is_string(f->bc->name) ? jsstr_to_utf8(JSV_STR(f->bc->name), NULL) : NULL;
        /* the TypeError comes from the callee's context (its realm) */
        js_realm *saved = t->realm;
        if (f->realm) t->realm = f->realm;
        jsvm_throw_type_error(t, "Class constructor %s cannot be invoked without 'new'", s ? s : "");
        t->realm = saved;
        free(s);
        return JSV_EXCEPTION;
    }
    if (fl & (JSFB_GENERATOR | JSFB_ASYNC)) return jsvm_generator_call(t, f, this_val, argc, argv);
    return jsvm_call_bc(t, f, this_val, argc, argv, JSV_UNDEFINED, 0);
}

int jsvm_run_fields_init(js_thread *t, js_function *ctor, jsv this_val)
{
    if (!jsv_is_object(ctor->fields_init)) return 0;
    jsv r = jsvm_call(t, ctor->fields_init, this_val, 0, NULL);
    return r == JSV_EXCEPTION ? -1 : 0;
}

static jsv closure_construct(js_thread *t, js_object *o, int argc, jsv *argv, jsv new_target)
{
    js_function *f = (js_function *)o;
    uint32_t fl = f->bc->flags;
    if (fl & JSFB_DERIVED) {
        if (fl & JSFB_DEFAULT_CTOR) {
            jsv parent;
            if (jsobj_get_prototype_of(t, o, &parent) < 0) return JSV_EXCEPTION;
            if (!jsop_is_constructor(parent))
                return jsvm_throw_type_error(t, "Super constructor %s of anonymous class is not a constructor",
                                             jsvm_value_desc(t, parent));
            jsv r = jsvm_construct(t, parent, argc, argv, new_target);
            if (r == JSV_EXCEPTION) return r;
            if (jsvm_run_fields_init(t, f, r) < 0) return JSV_EXCEPTION;
            return r;
        }
        return jsvm_call_bc(t, f, JSV_UNINITIALIZED, argc, argv, new_target, JSFR_CONSTRUCT);
    }
    js_object *th = jsobj_new_from_ctor(t, new_target, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
    if (!th) return JSV_EXCEPTION;
    jsv thv = jsv_object(th);
    if ((fl & JSFB_CLASS_CTOR) && jsvm_run_fields_init(t, f, thv) < 0) return JSV_EXCEPTION;
    if (fl & JSFB_DEFAULT_CTOR) return thv;
    return jsvm_call_bc(t, f, thv, argc, argv, new_target, JSFR_CONSTRUCT);
}

const js_class_ops jsclass_function_bc = {
    .name = "Function",
    .size = sizeof(js_function),
    .trace = closure_trace,
    .call = closure_call,
    .construct = closure_construct,
};

static jsv proto_for(js_thread *t, uint32_t fl)
{
    int id = JS_INTR_FunctionPrototype;
    if ((fl & JSFB_GENERATOR) && (fl & JSFB_ASYNC)) id = JS_INTR_AsyncGeneratorFunctionPrototype;
    else if (fl & JSFB_GENERATOR) id = JS_INTR_GeneratorFunctionPrototype;
    else if (fl & JSFB_ASYNC) id = JS_INTR_AsyncFunctionPrototype;
    jsv p = jsrt_intrinsic(t, id);
    if (!jsv_is_object(p)) p = jsrt_intrinsic(t, JS_INTR_FunctionPrototype);
    if (!jsv_is_object(p)) p = JSV_NULL;
    return p;
}

js_object *jsvm_closure_new(js_thread *t, js_function_bc *bc, js_env *env, js_frame *creator)
{
    uint32_t fl = bc->flags;
    js_object *o = jsobj_new(t, proto_for(t, fl), JS_CLASS_FUNCTION_BC);
    if (!o) return NULL;
    js_function *f = (js_function *)o;
    f->bc = bc;
    f->env = env;
    f->realm = t->realm;
    f->home_object = JSV_UNDEFINED;
    f->this_val = JSV_UNDEFINED;
    f->new_target = JSV_UNDEFINED;
    f->fields_init = JSV_UNDEFINED;
    f->field_keys = JSV_UNDEFINED;
    f->class_fields_home = JSV_UNDEFINED;
    f->active_fn = JSV_UNDEFINED;
    o->h.flags |= JS_OBJ_CALLABLE;
    if (fl & JSFB_CONSTRUCTOR) o->h.flags |= JS_OBJ_CONSTRUCTOR;
    if (fl & JSFB_CLASS_CTOR) o->h.flags |= JS_OBJ_CLASS_CTOR;
    if (creator) {
        if (fl & JSFB_ARROW) {
            f->this_val = creator->this_val;
            f->this_box = creator->this_box;
            f->new_target = creator->new_target;
            f->home_object = creator->home_object;
            if (creator->fn) {
                js_function *cf = creator->fn;
                f->active_fn = (cf->bc->flags & JSFB_ARROW) ? cf->active_fn : jsv_object(cf);
            }
        } else if (creator->home_object != JSV_UNDEFINED && (fl & JSFB_EVAL)) {
            f->home_object = creator->home_object;
        }
    }
    if (jsobj_define_value(t, o, jskey_from_atom_id(t, JS_ATOM_length), jsv_from_int(bc->length), JS_PROP_CONFIGURABLE) < 0)
        return NULL;
    if (!(fl & JSFB_CLASS_CTOR) && jsv_is_string(bc->name)) {
        if (jsobj_define_value(t, o, jskey_from_atom_id(t, JS_ATOM_name), bc->name, JS_PROP_CONFIGURABLE) < 0)
            return NULL;
    }
    if ((fl & (JSFB_CONSTRUCTOR | JSFB_STRICT | JSFB_CLASS_CTOR)) == JSFB_CONSTRUCTOR) {
        /* sloppy functions: own undefined caller/arguments, as other engines do, so
         * that reading them does not reach %ThrowTypeError% on Function.prototype */
        if (jsobj_define_value(t, o, jskey_from_atom_id(t, JS_ATOM_arguments), JSV_UNDEFINED, 0) < 0 ||
            jsobj_define_value(t, o, jskey_from_atom_id(t, JS_ATOM_caller), JSV_UNDEFINED, 0) < 0)
            return NULL;
    }
    if ((fl & JSFB_HAS_PROTO) && !(fl & JSFB_CLASS_CTOR)) {
        js_object *p;
        if (fl & JSFB_GENERATOR) {
            jsv gp = jsrt_intrinsic(t, (fl & JSFB_ASYNC) ? JS_INTR_AsyncGeneratorPrototype : JS_INTR_GeneratorPrototype);
            p = jsobj_new(t, jsv_is_object(gp) ? gp : jsrt_intrinsic(t, JS_INTR_ObjectPrototype), JS_CLASS_OBJECT);
            if (!p) return NULL;
        } else {
            p = jsobj_new_plain(t);
            if (!p) return NULL;
            if (jsobj_define_value(t, p, jskey_from_atom_id(t, JS_ATOM_constructor), jsv_object(o), JS_PROP_C_W) < 0)
                return NULL;
        }
        if (jsobj_define_value(t, o, jskey_from_atom_id(t, JS_ATOM_prototype), jsv_object(p), JS_PROP_WRITABLE) < 0)
            return NULL;
    }
    return o;
}

int jsvm_set_function_name(js_thread *t, js_object *f, jsv key, const char *prefix)
{
    return jsfn_set_name(t, f, key, prefix);
}

js_string *jsvm_function_source(js_thread *t, js_object *f)
{
    if (jsobj_class(f) != JS_CLASS_FUNCTION_BC) return NULL;
    js_function_bc *bc = ((js_function *)f)->bc;
    if (!jsv_is_string(bc->source)) return NULL;
    js_string *s = JSV_STR(bc->source);
    uint32_t a = bc->src_start, b = bc->src_end;
    if (b > s->len) b = s->len;
    if (a > b) a = b;
    if (a == b) return NULL;
    return jsstr_substring(t, s, a, b);
}

/* ---- arguments objects ---- */

typedef struct js_mapped_args {
    js_object base;
    js_env *env;
    uint32_t n;            /* mapped indexes: 0..n-1 */
    uint16_t *slots;       /* env slot per index, 0xFFFF: no longer mapped */
} js_mapped_args;

static void margs_trace(js_gc_tracer *trc, js_object *o)
{
    js_mapped_args *m = (js_mapped_args *)o;
    jsgc_mark_cell(trc, m->env);
}

static void margs_finalize(js_runtime *rt, js_object *o)
{
    js_mapped_args *m = (js_mapped_args *)o;
    free(m->slots);
    m->slots = NULL;
}

static int mapped_slot(js_mapped_args *m, js_key k)
{
    if (!jskey_is_index(k)) return -1;
    uint32_t i = jskey_index(k);
    if (i >= m->n || !m->slots || m->slots[i] == 0xFFFF) return -1;
    return m->slots[i];
}

static void unmap(js_mapped_args *m, js_key k)
{
    uint32_t i = jskey_index(k);
    if (i < m->n && m->slots) m->slots[i] = 0xFFFF;
}

static int margs_get_own(js_thread *t, js_object *o, js_key k, js_propdesc *d)
{
    int r = jsobj_ordinary_get_own_property(t, o, k, d);
    if (r <= 0) return r;
    int s = mapped_slot((js_mapped_args *)o, k);
    if (s >= 0) d->value = ((js_mapped_args *)o)->env->vars[s];
    return 1;
}

static int margs_define(js_thread *t, js_object *o, js_key k, const js_propdesc *d, int flags)
{
    js_mapped_args *m = (js_mapped_args *)o;
    int s = mapped_slot(m, k);
    js_propdesc nd = *d;
    if (s >= 0 && !(d->flags & (JS_DESC_HAS_GET | JS_DESC_HAS_SET))) {
        if (!(d->flags & JS_DESC_HAS_VALUE) && (d->flags & JS_DESC_HAS_WRITABLE) && !(d->flags & JS_PROP_WRITABLE)) {
            nd.flags |= JS_DESC_HAS_VALUE;
            nd.value = m->env->vars[s];
        }
    }
    int r = jsobj_ordinary_define_own_property(t, o, k, &nd, flags);
    if (r <= 0) return r;
    if (s >= 0) {
        if (d->flags & (JS_DESC_HAS_GET | JS_DESC_HAS_SET)) unmap(m, k);
        else {
            if (d->flags & JS_DESC_HAS_VALUE) m->env->vars[s] = d->value;
            if ((d->flags & JS_DESC_HAS_WRITABLE) && !(d->flags & JS_PROP_WRITABLE)) unmap(m, k);
        }
    }
    return 1;
}

static jsv margs_get(js_thread *t, js_object *o, js_key k, jsv receiver)
{
    int s = mapped_slot((js_mapped_args *)o, k);
    if (s >= 0) return ((js_mapped_args *)o)->env->vars[s];
    return jsobj_ordinary_get(t, o, k, receiver);
}

static int margs_set(js_thread *t, js_object *o, js_key k, jsv v, jsv receiver)
{
    js_mapped_args *m = (js_mapped_args *)o;
    if (receiver == jsv_object(o)) {
        int s = mapped_slot(m, k);
        if (s >= 0) m->env->vars[s] = v;
    }
    return jsobj_ordinary_set(t, o, k, v, receiver, 0);
}

static int margs_delete(js_thread *t, js_object *o, js_key k)
{
    int r = jsobj_ordinary_delete(t, o, k, 0);
    if (r == 1 && mapped_slot((js_mapped_args *)o, k) >= 0) unmap((js_mapped_args *)o, k);
    return r;
}

const js_class_ops jsclass_mapped_arguments = {
    .name = "Arguments",
    .size = sizeof(js_mapped_args),
    .trace = margs_trace,
    .finalize = margs_finalize,
    .get_own_property = margs_get_own,
    .define_own_property = margs_define,
    .get = margs_get,
    .set = margs_set,
    .delete_property = margs_delete,
};

const js_class_ops jsclass_arguments = {
    .name = "Arguments",
    .size = sizeof(js_object),
};

js_object *jsvm_make_arguments(js_thread *t, js_frame *f, int mapped)
{
    int argc = f->argc;
    js_object *o = jsobj_new(t, jsrt_intrinsic(t, JS_INTR_ObjectPrototype),
                             mapped ? JS_CLASS_MAPPED_ARGUMENTS : JS_CLASS_ARGUMENTS);
    if (!o) return NULL;
    for (int i = 0; i < argc; i++)
        if (jsobj_define_value(t, o, jskey_from_index((uint32_t)i), f->argv[i], JS_PROP_C_W_E) < 0) return NULL;
    if (jsobj_define_value(t, o, jskey_from_atom_id(t, JS_ATOM_length), jsv_from_int(argc), JS_PROP_C_W) < 0) return NULL;
    jsv values = jsrt_intrinsic(t, JS_INTR_ArrayProto_values);
    if (jsobj_define_value(t, o, jsv_symbol(t->rt->wk_symbols[JS_WKS_iterator]), values, JS_PROP_C_W) < 0) return NULL;
    if (mapped) {
        js_mapped_args *m = (js_mapped_args *)o;
        int np = f->bc->nparams;
        uint32_t n = (uint32_t)(argc < np ? argc : np);
        m->env = f->env;
        m->n = n;
        if (n && f->bc->arg_env_slots) {
            m->slots = malloc(n * sizeof(uint16_t));
            if (!m->slots) { jsvm_throw_out_of_memory(t); return NULL; }
            memcpy(m->slots, f->bc->arg_env_slots, n * sizeof(uint16_t));
        } else m->n = 0;
        o->h.flags |= JS_OBJ_EXOTIC;
        if (jsobj_define_value(t, o, jskey_from_atom_id(t, JS_ATOM_callee), f->fn ? jsv_object(f->fn) : JSV_UNDEFINED, JS_PROP_C_W) < 0)
            return NULL;
    } else {
        jsv thrower = jsrt_intrinsic(t, JS_INTR_ThrowTypeError);
        if (jsobj_define_accessor(t, o, jskey_from_atom_id(t, JS_ATOM_callee), thrower, thrower, 0) < 0) return NULL;
    }
    return o;
}

int jsvm_plain_arg_list(js_thread *t, jsv obj, jsv *buf, uint32_t max, uint32_t *count)
{
    if (!jsv_is_object(obj)) return 0;
    js_object *o = JSV_OBJ(obj);
    unsigned cls = jsobj_class(o);
    uint32_t len;
    if (o->h.flags & JS_OBJ_SPARSE) return 0;   /* indexed accessors live in the shape */
    if (cls == JS_CLASS_ARRAY) {
        len = ((js_array *)o)->length;
    } else if (cls == JS_CLASS_ARGUMENTS || cls == JS_CLASS_MAPPED_ARGUMENTS) {
        /* "length" is an ordinary own property that code may redefine */
        js_key lk = jskey_from_atom_id(t, JS_ATOM_length);
        js_shape_prop *pr = jsshape_find(o->shape, lk);
        if (!pr || (pr->attrs & JS_PROP_ACCESSOR) || !jsv_is_int(o->slots[pr->slot])) return 0;
        int32_t l = jsv_get_int(o->slots[pr->slot]);
        if (l < 0) return 0;
        len = (uint32_t)l;
    } else {
        return 0;
    }
    if (len > max || len > o->elen) return 0;
    for (uint32_t i = 0; i < len; i++)
        if (o->elems[i] == JSV_HOLE) return 0;
    if (len)
        memcpy(buf, o->elems, len * sizeof(jsv));   /* elems is NULL when empty */
    if (cls == JS_CLASS_MAPPED_ARGUMENTS) {
        /* mapped indexes read the parameter bindings, not elems */
        js_mapped_args *m = (js_mapped_args *)o;
        for (uint32_t i = 0; i < m->n && i < len; i++)
            if (m->slots && m->slots[i] != 0xFFFF) buf[i] = m->env->vars[m->slots[i]];
    }
    *count = len;
    return 1;
}

/* [[Realm]] of a bytecode function, for GetFunctionRealm (ops.c). */
js_realm *jsvm_function_bc_realm(js_object *f)
{
    return ((js_function *)f)->realm;
}
