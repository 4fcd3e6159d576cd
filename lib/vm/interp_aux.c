/*
 * interp_aux.c - the interpreter's slow paths that do not need the loop's
 * registers: literals (RegExp, templates), super and private references,
 * method definition, spread/copy helpers, classes, super() calls, for-in
 * enumeration (jsclass_for_in_iterator), and the module hooks.
 * Must not touch frames beyond reading the one it is given.
 */
#include <stdlib.h>
#include <string.h>
#include "function.h"
#include "interp.h"
#include "../builtins/promise.h"
#include "module.h"

/* Provided by the RegExp module when linked. */
jsv jsbi_regexp_create(js_thread *t, js_string *pattern, js_string *flags) __attribute__((weak));
/* module.c */
jsv jsvm_dynamic_import(js_thread *t, jsv referrer, jsv specifier, jsv options);

jsv jsvm_regexp_literal(js_thread *t, jsv pattern, jsv flags)
{
    if (!jsbi_regexp_create) return jsvm_throw_syntax_error(t, "RegExp not supported yet");
    return jsbi_regexp_create(t, JSV_STR(pattern), JSV_STR(flags));
}

static int freeze(js_thread *t, js_object *o)
{
    js_keylist kl = { 0 };
    if (jsobj_own_keys(t, o, &kl) < 0) return -1;
    for (uint32_t i = 0; i < kl.count; i++) {
        js_propdesc d;
        memset(&d, 0, sizeof d);
        d.flags = JS_DESC_HAS_CONFIGURABLE | JS_DESC_HAS_WRITABLE;
        d.value = d.getter = d.setter = JSV_UNDEFINED;
        if (jsobj_define_own_property(t, o, kl.keys[i], &d, JS_THROW) < 0) { jskeylist_free(t->rt, &kl); return -1; }
    }
    jskeylist_free(t->rt, &kl);
    return jsobj_prevent_extensions(t, o, JS_THROW) < 0 ? -1 : 0;
}

static js_object *copy_array(js_thread *t, js_object *src)
{
    uint32_t n = ((js_array *)src)->length;
    js_object *a = jsobj_new_array(t, 0);
    if (!a) return NULL;
    for (uint32_t i = 0; i < n; i++) {
        jsv v = i < src->elen ? src->elems[i] : JSV_UNDEFINED;
        if (v == JSV_HOLE) v = JSV_UNDEFINED;
        if (jsobj_create_data_property(t, a, jskey_from_index(i), v, JS_THROW) < 0) return NULL;
    }
    return a;
}

jsv jsvm_template_object(js_thread *t, js_function_bc *bc, uint32_t idx)
{
    jsv cache = bc->consts[idx + 2];
    if (jsv_is_object(cache)) return cache;
    js_object *tpl = copy_array(t, JSV_OBJ(bc->consts[idx]));
    js_object *raw = tpl ? copy_array(t, JSV_OBJ(bc->consts[idx + 1])) : NULL;
    if (!raw) return JSV_EXCEPTION;
    if (freeze(t, raw) < 0) return JSV_EXCEPTION;
    if (jsobj_define_value(t, tpl, jskey_from_atom_id(t, JS_ATOM_raw), jsv_object(raw), 0) < 0) return JSV_EXCEPTION;
    if (freeze(t, tpl) < 0) return JSV_EXCEPTION;
    bc->consts[idx + 2] = jsv_object(tpl);
    return jsv_object(tpl);
}

jsv jsvm_import_meta(js_thread *t, js_frame *f)
{
    return jsvm_module_import_meta(t, f->bc);
}

jsv jsvm_do_dynamic_import(js_thread *t, js_frame *f, jsv spec, jsv options)
{
    /* eval code belongs to the script or module that ran eval */
    js_frame *r = f;
    while (r->prev && (r->bc->flags & JSFB_EVAL)) r = r->prev;
    return jsvm_dynamic_import(t, r->bc->filename, spec, options);
}

jsv jsvm_do_dynamic_import_phase(js_thread *t, js_frame *f, jsv spec, jsv options, int phase)
{
    if (phase != 1 && phase != 2) return jsvm_do_dynamic_import(t, f, spec, options);
    js_frame *r = f;
    while (r->prev && (r->bc->flags & JSFB_EVAL)) r = r->prev;
    return jsvm_dynamic_import_phase(t, r->bc->filename, spec, options, phase);
}

jsv jsvm_delete_property(js_thread *t, jsv obj, jsv key, int strict)
{
    if (jsv_is_nullish(obj)) {
        return jsvm_throw_type_error(t, "Cannot convert undefined or null to object");
    }
    jsv o = jsop_to_object(t, obj);
    if (o == JSV_EXCEPTION) return o;
    js_key k = jsop_to_property_key(t, key);
    if (k == JSV_EXCEPTION) return k;
    int r = jsobj_delete(t, JSV_OBJ(o), k, strict ? JS_THROW : 0);
    return r < 0 ? JSV_EXCEPTION : jsv_from_bool(r);
}

/* ---- super ---- */

jsv jsvm_super_base(js_thread *t, js_frame *f)
{
    jsv home = f->home_object;
    if (!jsv_is_object(home)) return jsvm_throw_syntax_error(t, "'super' keyword unexpected here");
    jsv p;
    if (jsobj_get_prototype_of(t, JSV_OBJ(home), &p) < 0) return JSV_EXCEPTION;
    return p;
}

jsv jsvm_super_get(js_thread *t, jsv this_val, jsv key, jsv base)
{
    key = jsop_to_property_key(t, key);
    if (key == JSV_EXCEPTION) return key;
    if (!jsv_is_object(base)) return jsvm_throw_with_key(t, JS_ERR_TYPE, "Cannot read properties of null (reading '%s')", key);
    return jsobj_get(t, JSV_OBJ(base), key, this_val);
}

int jsvm_super_put(js_thread *t, jsv this_val, jsv key, jsv base, jsv v, int strict)
{
    key = jsop_to_property_key(t, key);
    if (key == JSV_EXCEPTION) return -1;
    if (!jsv_is_object(base)) { jsvm_throw_with_key(t, JS_ERR_TYPE, "Cannot set properties of null (setting '%s')", key); return -1; }
    return jsobj_set(t, JSV_OBJ(base), key, v, this_val, strict ? JS_THROW : 0) < 0 ? -1 : 0;
}

/* ---- private names ---- */

static jsv private_desc(jsv sym)
{
    return jsv_is_symbol(sym) ? JSV_SYM(sym)->description : JSV_UNDEFINED;
}

static int private_lookup(js_thread *t, jsv obj, jsv sym, js_propdesc *d, const char *what)
{
    if (!jsv_is_object(obj)) {
        jsvm_throw_with_key(t, JS_ERR_TYPE, what, private_desc(sym));
        return -1;
    }
    int r = jsobj_ordinary_get_own_property(t, JSV_OBJ(obj), sym, d);
    if (r < 0) return -1;
    if (!r) {
        jsvm_throw_with_key(t, JS_ERR_TYPE, what, private_desc(sym));
        return -1;
    }
    return 0;
}

jsv jsvm_private_get(js_thread *t, jsv obj, jsv sym)
{
    js_propdesc d;
    if (private_lookup(t, obj, sym, &d, "Cannot read private member %s from an object whose class did not declare it") < 0)
        return JSV_EXCEPTION;
    if (d.flags & JS_PROP_ACCESSOR) {
        if (!jsv_is_object(d.getter)) return jsvm_throw_with_key(t, JS_ERR_TYPE, "'%s' was defined without a getter", private_desc(sym));
        return jsvm_call(t, d.getter, obj, 0, NULL);
    }
    return d.value;
}

int jsvm_private_set(js_thread *t, jsv obj, jsv sym, jsv v)
{
    js_propdesc d;
    if (private_lookup(t, obj, sym, &d, "Cannot write private member %s to an object whose class did not declare it") < 0)
        return -1;
    if (d.flags & JS_PROP_ACCESSOR) {
        if (!jsv_is_object(d.setter)) { jsvm_throw_with_key(t, JS_ERR_TYPE, "'%s' was defined without a setter", private_desc(sym)); return -1; }
        return jsvm_call(t, d.setter, obj, 1, &v) == JSV_EXCEPTION ? -1 : 0;
    }
    if (!(d.flags & JS_PROP_WRITABLE)) { jsvm_throw_with_key(t, JS_ERR_TYPE, "Private method %s is not writable", private_desc(sym)); return -1; }
    js_object *o = JSV_OBJ(obj);
    js_shape_prop *pr = jsshape_find(o->shape, sym);
    if (pr) { o->slots[pr->slot] = v; return 0; }
    d.value = v;
    return jsobj_ordinary_define_own_property(t, o, sym, &d, JS_THROW) < 0 ? -1 : 0;
}

int jsvm_private_define(js_thread *t, jsv obj, jsv sym, jsv v, jsv v2, int kind)
{
    if (!jsv_is_object(obj)) { jsvm_throw_type_error(t, "Cannot define private member on a non-object"); return -1; }
    js_object *o = JSV_OBJ(obj);
    if (jsshape_find(o->shape, sym)) {
        jsvm_throw_with_key(t, JS_ERR_TYPE, "Cannot initialize %s twice on the same object", private_desc(sym));
        return -1;
    }
    if (!(o->h.flags & JS_OBJ_EXTENSIBLE) && jsobj_class(o) != JS_CLASS_PROXY) {
        jsvm_throw_with_key(t, JS_ERR_TYPE, "Cannot add private member %s to a non-extensible object", private_desc(sym));
        return -1;
    }
    if (kind == 2) return jsobj_define_accessor(t, o, sym, v, v2, 0);
    return jsobj_define_value(t, o, sym, v, kind == 1 ? 0 : JS_PROP_WRITABLE);
}

jsv jsvm_private_in(js_thread *t, jsv sym, jsv obj)
{
    if (!jsv_is_object(obj)) return jsvm_throw_type_error(t, "Cannot use 'in' operator to search for a private field in a non-object");
    return jsv_from_bool(jsshape_find(JSV_OBJ(obj)->shape, sym) != NULL);
}

/* ---- literals under construction ---- */

int jsvm_define_method(js_thread *t, jsv objv, js_key key, jsv fn, int flags)
{
    js_object *o = JSV_OBJ(objv);
    int kind = flags & 3;
    if (jsv_is_object(fn) && jsobj_class(JSV_OBJ(fn)) == JS_CLASS_FUNCTION_BC) {
        js_function *f = (js_function *)JSV_OBJ(fn);
        if (!(flags & 8)) f->home_object = objv;
        if (flags & 16) {
            if (jsvm_set_function_name(t, JSV_OBJ(fn), key, kind == 1 ? "get" : kind == 2 ? "set" : NULL) < 0) return -1;
        }
    }
    js_propdesc d;
    memset(&d, 0, sizeof d);
    d.value = d.getter = d.setter = JSV_UNDEFINED;
    d.flags = JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE | JS_PROP_CONFIGURABLE | ((flags & 4) ? JS_PROP_ENUMERABLE : 0);
    if (kind == 0) {
        d.flags |= JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE | JS_PROP_WRITABLE;
        d.value = fn;
    } else if (kind == 1) {
        d.flags |= JS_DESC_HAS_GET;
        d.getter = fn;
    } else {
        d.flags |= JS_DESC_HAS_SET;
        d.setter = fn;
    }
    return jsobj_define_own_property(t, o, key, &d, JS_THROW) < 0 ? -1 : 0;
}

int jsvm_copy_data_properties(js_thread *t, jsv target, jsv src, jsv excluded)
{
    if (jsv_is_nullish(src)) return 0;
    jsv fromv = jsop_to_object(t, src);
    if (fromv == JSV_EXCEPTION) return -1;
    js_object *from = JSV_OBJ(fromv);
    js_keylist kl = { 0 };
    if (jsobj_own_keys(t, from, &kl) < 0) return -1;
    js_object *ex = jsv_is_object(excluded) ? JSV_OBJ(excluded) : NULL;
    int rc = 0;
    for (uint32_t i = 0; i < kl.count; i++) {
        js_key k = kl.keys[i];
        if (jsv_is_symbol(k) && (JSV_SYM(k)->h.flags & JSVM_SYM_PRIVATE)) continue;
        if (ex) {
            int skip = 0;
            for (uint32_t j = 0; j < ex->elen; j++) if (ex->elems[j] == k) { skip = 1; break; }
            if (skip) continue;
        }
        js_propdesc d;
        int r = jsobj_get_own_property(t, from, k, &d);
        if (r < 0) { rc = -1; break; }
        if (!r || !(d.flags & JS_PROP_ENUMERABLE)) continue;
        jsv v = jsobj_get(t, from, k, fromv);
        if (v == JSV_EXCEPTION) { rc = -1; break; }
        if (jsobj_create_data_property(t, JSV_OBJ(target), k, v, JS_THROW) < 0) { rc = -1; break; }
    }
    jskeylist_free(t->rt, &kl);
    return rc;
}

int jsvm_array_append(js_thread *t, js_object *a, jsv v)
{
    js_array *arr = (js_array *)a;
    if (a->elen == arr->length && !(a->h.flags & JS_OBJ_SPARSE)) return jsarray_push(t, a, v);
    return jsobj_create_data_property(t, a, jskey_from_index(arr->length), v, JS_THROW) < 0 ? -1 : 0;
}

int jsvm_array_append_hole(js_thread *t, js_object *a)
{
    js_array *arr = (js_array *)a;
    return jsobj_set(t, a, jskey_from_atom_id(t, JS_ATOM_length), jsv_number((double)arr->length + 1), jsv_object(a), JS_THROW) < 0 ? -1 : 0;
}

int jsvm_array_append_spread(js_thread *t, js_object *a, jsv iterable)
{
    js_iter_record rec;
    if (jsop_get_iterator(t, iterable, 0, &rec) < 0) return -1;
    for (;;) {
        jsv v;
        int r = jsop_iterator_step_value(t, &rec, &v);
        if (r < 0) return -1;
        if (!r) return 0;
        if (jsvm_array_append(t, a, v) < 0) return -1;
    }
}

int jsvm_array_to_list(js_thread *t, jsv arr, jsv **out, uint32_t *n)
{
    js_object *a = JSV_OBJ(arr);
    uint32_t len = ((js_array *)a)->length;
    jsv *l = malloc((len ? len : 1) * sizeof(jsv));
    if (!l) { jsvm_throw_out_of_memory(t); return -1; }
    for (uint32_t i = 0; i < len; i++) {
        jsv v;
        if (jsarray_fast_get(a, i, &v)) l[i] = v;
        else {
            v = jsobj_get_index(t, a, i);
            if (v == JSV_EXCEPTION) { free(l); return -1; }
            l[i] = v;
        }
    }
    *out = l;
    *n = len;
    return 0;
}

/* ---- classes ---- */

int jsvm_make_class(js_thread *t, js_frame *f, js_function_bc *cbc, jsv parent, int derived, jsv out[2])
{
    jsv proto_parent = jsrt_intrinsic(t, JS_INTR_ObjectPrototype);
    jsv ctor_parent = jsrt_intrinsic(t, JS_INTR_FunctionPrototype);
    if (derived) {
        if (jsv_is_null(parent)) {
            proto_parent = JSV_NULL;
        } else {
            if (!jsop_is_constructor(parent)) {
                jsvm_throw_type_error(t, "Class extends value %s is not a constructor or null", jsvm_value_desc(t, parent));
                return -1;
            }
            jsv pp = jsobj_get(t, JSV_OBJ(parent), jskey_from_atom_id(t, JS_ATOM_prototype), parent);
            if (pp == JSV_EXCEPTION) return -1;
            if (!jsv_is_object(pp) && !jsv_is_null(pp)) {
                jsvm_throw_type_error(t, "Class extends value does not have valid prototype property");
                return -1;
            }
            proto_parent = pp;
            ctor_parent = parent;
        }
    }
    js_object *proto = jsobj_new(t, proto_parent, JS_CLASS_OBJECT);
    if (!proto) return -1;
    js_object *ctor = jsvm_closure_new(t, cbc, f->env, f);
    if (!ctor) return -1;
    ((js_function *)ctor)->home_object = jsv_object(proto);
    if (jsobj_set_prototype_of(t, ctor, ctor_parent, JS_THROW) < 0) return -1;
    if (jsobj_define_value(t, ctor, jskey_from_atom_id(t, JS_ATOM_name), jsv_is_string(cbc->name) ? cbc->name : jsrt_atom_value(t, JS_ATOM_empty), JS_PROP_CONFIGURABLE) < 0)
        return -1;
    if (jsobj_define_value(t, ctor, jskey_from_atom_id(t, JS_ATOM_prototype), jsv_object(proto), 0) < 0) return -1;
    if (jsobj_define_value(t, proto, jskey_from_atom_id(t, JS_ATOM_constructor), jsv_object(ctor), JS_PROP_C_W) < 0) return -1;
    out[0] = jsv_object(ctor);
    out[1] = jsv_object(proto);
    return 0;
}

jsv jsvm_super_call(js_thread *t, js_frame *f, int argc, const jsv *argv)
{
    js_function *active = f->fn;
    if (active && (active->bc->flags & JSFB_ARROW)) {
        active = jsv_is_object(active->active_fn) ? (js_function *)JSV_OBJ(active->active_fn) : NULL;
    }
    if (!active || !f->this_box) return jsvm_throw_syntax_error(t, "'super' keyword unexpected here");
    jsv func;
    if (jsobj_get_prototype_of(t, &active->base, &func) < 0) return JSV_EXCEPTION;
    if (!jsop_is_constructor(func)) return jsvm_throw_type_error(t, "Super constructor %s is not a constructor", jsvm_value_desc(t, func));
    jsv r = jsvm_construct(t, func, argc, argv, f->new_target);
    if (r == JSV_EXCEPTION) return r;
    if (f->this_box->vars[0] != JSV_UNINITIALIZED)
        return jsvm_throw_reference_error(t, "Super constructor may only be called once");
    f->this_box->vars[0] = r;
    if (jsvm_run_fields_init(t, active, r) < 0) return JSV_EXCEPTION;
    return r;
}

/* ---- for-in ---- */

typedef struct js_for_in {
    js_object base;
    jsv obj;              /* object being enumerated (current position in the chain) */
    jsv *keys;            /* pending string keys of the whole chain */
    uint32_t n, pos, cap;
} js_for_in;

static void forin_trace(js_gc_tracer *trc, js_object *o)
{
    js_for_in *it = (js_for_in *)o;
    jsgc_mark_value(trc, it->obj);
    if (it->keys) jsgc_mark_values(trc, it->keys + it->pos, it->n - it->pos);
}

static void forin_finalize(js_runtime *rt, js_object *o)
{
    js_for_in *it = (js_for_in *)o;
    free(it->keys);
    it->keys = NULL;
}

const js_class_ops jsclass_for_in_iterator = {
    .name = "For In Iterator",
    .size = sizeof(js_for_in),
    .trace = forin_trace,
    .finalize = forin_finalize,
};

static int forin_push(js_thread *t, js_for_in *it, jsv k)
{
    if (it->n == it->cap) {
        uint32_t nc = it->cap ? it->cap * 2 : 16;
        jsv *nk = realloc(it->keys, nc * sizeof(jsv));
        if (!nk) { jsvm_throw_out_of_memory(t); return -1; }
        it->keys = nk;
        it->cap = nc;
    }
    it->keys[it->n++] = k;
    return 0;
}

jsv jsvm_for_in_start(js_thread *t, jsv objv)
{
    js_object *itobj = jsobj_new(t, JSV_NULL, JS_CLASS_FOR_IN_ITERATOR);
    if (!itobj) return JSV_EXCEPTION;
    js_for_in *it = (js_for_in *)itobj;
    it->obj = JSV_UNDEFINED;
    if (jsv_is_nullish(objv)) return jsv_object(itobj);
    jsv ov = jsop_to_object(t, objv);
    if (ov == JSV_EXCEPTION) return ov;
    it->obj = ov;
    /* collect the keys of the whole prototype chain up front; visited-set by linear
     * scan of what was collected so far (shadowing) */
    jsv cur = ov;
    uint32_t depth = 0;
    uint8_t *noenum = NULL;
    uint32_t noenum_cap = 0;
    while (jsv_is_object(cur) && depth++ < 10000) {
        js_object *o = JSV_OBJ(cur);
        js_keylist kl = { 0 };
        if (jsobj_own_keys(t, o, &kl) < 0) { free(noenum); return JSV_EXCEPTION; }
        uint32_t start_n = it->n;
        for (uint32_t i = 0; i < kl.count; i++) {
            js_key k = kl.keys[i];
            if (jsv_is_symbol(k)) continue;
            int seen = 0;
            for (uint32_t j = 0; j < start_n; j++) if (it->keys[j] == k) { seen = 1; break; }
            if (seen) continue;
            js_propdesc d;
            int r = jsobj_get_own_property(t, o, k, &d);
            if (r < 0) { free(noenum); jskeylist_free(t->rt, &kl); return JSV_EXCEPTION; }
            if (!r) continue;
            /* non-enumerable keys still shadow: keep them marked so they are skipped */
            if (forin_push(t, it, k) < 0) { free(noenum); jskeylist_free(t->rt, &kl); return JSV_EXCEPTION; }
            if (noenum && noenum_cap < it->cap) {
                uint8_t *ne = realloc(noenum, it->cap);
                if (!ne) { free(noenum); jskeylist_free(t->rt, &kl); jsvm_throw_out_of_memory(t); return JSV_EXCEPTION; }
                memset(ne + noenum_cap, 0, it->cap - noenum_cap);
                noenum = ne;
                noenum_cap = it->cap;
            }
            if (!(d.flags & JS_PROP_ENUMERABLE)) {
                uint8_t *ne = realloc(noenum, it->cap);
                if (!ne) { free(noenum); jskeylist_free(t->rt, &kl); jsvm_throw_out_of_memory(t); return JSV_EXCEPTION; }
                if (noenum_cap < it->cap) memset(ne + noenum_cap, 0, it->cap - noenum_cap);
                noenum = ne;
                noenum_cap = it->cap;
                noenum[it->n - 1] = 1;
            }
        }
        jskeylist_free(t->rt, &kl);
        jsv p;
        if (jsobj_get_prototype_of(t, o, &p) < 0) { free(noenum); return JSV_EXCEPTION; }
        cur = p;
    }
    /* shadowed-but-not-enumerable entries were replaced by markers: we need their
     * keys for the shadow check only while collecting; drop them now */
    uint32_t w = 0;
    for (uint32_t i = 0; i < it->n; i++)
        if (!(noenum && i < noenum_cap && noenum[i])) it->keys[w++] = it->keys[i];
    it->n = w;
    free(noenum);
    return jsv_object(itobj);
}

int jsvm_for_in_next(js_thread *t, jsv iterv, jsv *key)
{
    if (!jsv_is_object(iterv) || jsobj_class(JSV_OBJ(iterv)) != JS_CLASS_FOR_IN_ITERATOR) {
        jsvm_throw_error(t, JS_ERR_INTERNAL, "bad for-in state");
        return -1;
    }
    js_for_in *it = (js_for_in *)JSV_OBJ(iterv);
    while (it->pos < it->n) {
        jsv k = it->keys[it->pos++];
        /* skip keys deleted before being visited */
        int has = jsobj_has_property(t, JSV_OBJ(it->obj), k);
        if (has < 0) return -1;
        if (!has) continue;
        jsv kv = jskey_to_value(t, k);
        if (kv == JSV_EXCEPTION) return -1;
        *key = kv;
        return 1;
    }
    return 0;
}

/* ---- explicit resource management ---- */

/* AddDisposableResource: the list is a dense array of (value, method, async) triples. */
int jsvm_using_add(js_thread *t, jsv list, jsv value, int async)
{
    if (jsv_is_nullish(value) && !async) return 0;
    jsv method = JSV_UNDEFINED;
    int is_async = 0;
    if (!jsv_is_nullish(value)) {
        if (!jsv_is_object(value)) {
            jsvm_throw_type_error(t, "using declaration value must be an object, null or undefined");
            return -1;
        }
        if (async) {
            method = jsop_get_method(t, value, jsv_symbol(t->rt->wk_symbols[JS_WKS_asyncDispose]));
            if (method == JSV_EXCEPTION) return -1;
            is_async = 1;
        }
        if (jsv_is_undefined(method)) {
            method = jsop_get_method(t, value, jsv_symbol(t->rt->wk_symbols[JS_WKS_dispose]));
            if (method == JSV_EXCEPTION) return -1;
        }
        if (jsv_is_undefined(method)) {
            jsvm_throw_type_error(t, "%s is not disposable", async ? "await using value" : "using value");
            return -1;
        }
    } else {
        is_async = 1;
    }
    if (async) is_async = 1;   /* await using always awaits, even for @@dispose or null */
    js_object *a = JSV_OBJ(list);
    if (jsvm_array_append(t, a, value) < 0 || jsvm_array_append(t, a, method) < 0 ||
        jsvm_array_append(t, a, jsv_from_bool(is_async)) < 0)
        return -1;
    return 0;
}

/* DisposeResources. completion: JSV_UNINITIALIZED for a normal completion, else
 * the thrown value. Await using resources are disposed without waiting for the
 * returned promise (the bytecode-level await is not implemented yet). */
int jsvm_using_dispose(js_thread *t, jsv list, jsv completion)
{
    js_object *a = JSV_OBJ(list);
    uint32_t n = ((js_array *)a)->length;
    int has_error = completion != JSV_UNINITIALIZED;
    jsv error = has_error ? completion : JSV_UNDEFINED;
    while (n >= 3) {
        n -= 3;
        jsv value = jsobj_get_index(t, a, n);
        jsv method = value == JSV_EXCEPTION ? JSV_EXCEPTION : jsobj_get_index(t, a, n + 1);
        jsv r = JSV_UNDEFINED;
        if (value == JSV_EXCEPTION || method == JSV_EXCEPTION) r = JSV_EXCEPTION;
        else if (!jsv_is_undefined(method)) r = jsvm_call(t, method, value, 0, NULL);
        if (r == JSV_EXCEPTION) {
            if (t->uncatchable) return -1;
            jsv e = jsvm_take_exception(t);
            if (has_error) {
                jsv args[2] = { e, error };
                jsv se = jsvm_construct(t, jsrt_intrinsic(t, JS_INTR_SuppressedError), 2, args, JSV_UNDEFINED);
                if (se == JSV_EXCEPTION) return -1;
                error = se;
            } else {
                error = e;
                has_error = 1;
            }
        }
    }
    jsobj_set(t, a, jskey_from_atom_id(t, JS_ATOM_length), jsv_from_int(0), list, 0);
    if (has_error) {
        jsvm_throw(t, error);
        return -1;
    }
    return 0;
}
