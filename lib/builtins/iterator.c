/*
 * iterator.c - %IteratorPrototype%, %AsyncIteratorPrototype%, the Iterator
 * constructor, Iterator.from/concat/zip/zipKeyed, the Iterator helpers and
 * %IteratorHelperPrototype% / %WrapForValidIteratorPrototype%.
 * Must not touch generator objects (lib/vm) or other modules' iterators.
 */
#include <math.h>
#include "builtins.h"
#include "../core/string.h"
#include "promise.h"

/* Helper kinds */
enum { H_MAP, H_FILTER, H_TAKE, H_DROP, H_FLATMAP, H_CONCAT, H_ZIP, H_CHUNKS, H_WINDOWS };
/* Generator-like states of a helper */
enum { S_START, S_YIELD, S_RUNNING, S_DONE };

typedef struct js_iter_helper {
    js_object base;
    jsv iter, next;              /* the underlying iterator record */
    jsv fn;                      /* mapper / predicate */
    jsv inner_iter, inner_next;  /* flatMap: inner iterator; concat: current iterator */
    jsv list;                    /* concat: [method, iterable, ...]; zip: state object */
    double counter;
    double remaining;            /* take/drop limit */
    uint32_t pos;                /* concat: next pair */
    uint8_t kind, state, inner_alive;
} js_iter_helper;

static void helper_trace(js_gc_tracer *trc, js_object *o)
{
    js_iter_helper *h = (js_iter_helper *)o;
    jsgc_mark_value(trc, h->iter);
    jsgc_mark_value(trc, h->next);
    jsgc_mark_value(trc, h->fn);
    jsgc_mark_value(trc, h->inner_iter);
    jsgc_mark_value(trc, h->inner_next);
    jsgc_mark_value(trc, h->list);
}

const js_class_ops jsclass_iterator_helper = {
    .name = "Iterator Helper",
    .size = sizeof(js_iter_helper),
    .trace = helper_trace,
};

typedef struct js_wrap_iter {
    js_object base;
    jsv iter, next;
} js_wrap_iter;

static void wrap_trace(js_gc_tracer *trc, js_object *o)
{
    jsgc_mark_value(trc, ((js_wrap_iter *)o)->iter);
    jsgc_mark_value(trc, ((js_wrap_iter *)o)->next);
}

const js_class_ops jsclass_wrap_for_valid_iterator = {
    .name = "Iterator",
    .size = sizeof(js_wrap_iter),
    .trace = wrap_trace,
};

/* ---- iterator protocol, spelled out so that every observable step is ours ---- */

static js_key akey(js_thread *t, int id) { return jskey_from_atom_id(t, id); }

/* IteratorStep: 1 with the result object, 0 when done, -1 on exception. */
static int it_step(js_thread *t, jsv iter, jsv next, jsv *result)
{
    jsv r = jsvm_call(t, next, iter, 0, NULL);
    if (r == JSV_EXCEPTION) return -1;
    if (!jsv_is_object(r)) { jsvm_throw_type_error(t, "iterator result is not an object"); return -1; }
    jsv d = jsobj_get(t, JSV_OBJ(r), akey(t, JS_ATOM_done), r);
    if (d == JSV_EXCEPTION) return -1;
    if (jsop_to_boolean(d)) return 0;
    *result = r;
    return 1;
}

static int it_step_value(js_thread *t, jsv iter, jsv next, jsv *value)
{
    jsv r;
    int s = it_step(t, iter, next, &r);
    if (s <= 0) return s;
    *value = jsobj_get(t, JSV_OBJ(r), akey(t, JS_ATOM_value), r);
    return *value == JSV_EXCEPTION ? -1 : 1;
}

/* IteratorClose. With is_throw the pending exception wins and -1 is returned;
 * otherwise 0, or -1 if return() throws or answers a non-object. */
static int it_close(js_thread *t, jsv iter, int is_throw)
{
    if (is_throw) {
        if (t->uncatchable) return -1;
        jsv exc = jsvm_take_exception(t);
        jsv m = jsop_get_method(t, iter, akey(t, JS_ATOM_return));
        if (m != JSV_EXCEPTION && !jsv_is_undefined(m)) jsvm_call(t, m, iter, 0, NULL);
        if (t->has_exception) jsvm_take_exception(t);
        jsvm_throw(t, exc);
        return -1;
    }
    jsv m = jsop_get_method(t, iter, akey(t, JS_ATOM_return));
    if (m == JSV_EXCEPTION) return -1;
    if (jsv_is_undefined(m)) return 0;
    jsv r = jsvm_call(t, m, iter, 0, NULL);
    if (r == JSV_EXCEPTION) return -1;
    if (!jsv_is_object(r)) { jsvm_throw_type_error(t, "iterator return() result is not an object"); return -1; }
    return 0;
}

/* GetIteratorDirect */
static int get_direct(js_thread *t, jsv obj, jsv *next)
{
    *next = jsobj_get(t, JSV_OBJ(obj), akey(t, JS_ATOM_next), obj);
    return *next == JSV_EXCEPTION ? -1 : 0;
}

/* GetIteratorFlattenable; strings: 1 to iterate string primitives, 0 to reject primitives. */
static int get_flattenable(js_thread *t, jsv obj, int strings, jsv *iter, jsv *next)
{
    if (!jsv_is_object(obj) && !(strings && jsv_is_string(obj))) {
        jsvm_throw_type_error(t, "value is not an object");
        return -1;
    }
    jsv m = jsop_get_method(t, obj, jsv_symbol(t->rt->wk_symbols[JS_WKS_iterator]));
    if (m == JSV_EXCEPTION) return -1;
    jsv it = obj;
    if (!jsv_is_undefined(m)) {
        it = jsvm_call(t, m, obj, 0, NULL);
        if (it == JSV_EXCEPTION) return -1;
    }
    if (!jsv_is_object(it)) { jsvm_throw_type_error(t, "iterator is not an object"); return -1; }
    *iter = it;
    return get_direct(t, it, next);
}

/* ---- %IteratorPrototype% ---- */

static jsv return_this(js_thread *t, jsv this_val, int argc, jsv *argv, int magic) { return this_val; }

static jsv iterproto_dispose(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv m = jsop_get_method(t, this_val, akey(t, JS_ATOM_return));
    if (m == JSV_EXCEPTION) return JSV_EXCEPTION;
    if (!jsv_is_undefined(m) && jsvm_call(t, m, this_val, 0, NULL) == JSV_EXCEPTION) return JSV_EXCEPTION;
    return JSV_UNDEFINED;
}

/* Iterator.prototype.constructor and @@toStringTag are accessors whose setter
 * (SetterThatIgnoresPrototypeProperties) must not write to the prototype. */
static jsv iterproto_get_ctor(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (magic) return jsv_string(jsstr_atom(t, "Iterator"));
    return jsrt_intrinsic(t, JS_INTR_Iterator);
}

static jsv iterproto_set_ignoring(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_key k = magic ? jsv_symbol(t->rt->wk_symbols[JS_WKS_toStringTag]) : akey(t, JS_ATOM_constructor);
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "setter called on a non-object");
    if (this_val == jsrt_intrinsic(t, JS_INTR_IteratorPrototype))
        return jsvm_throw_type_error(t, "cannot assign to a property of Iterator.prototype");
    js_propdesc d;
    int r = jsobj_get_own_property(t, JSV_OBJ(this_val), k, &d);
    if (r < 0) return JSV_EXCEPTION;
    if (r == 0) r = jsobj_create_data_property(t, JSV_OBJ(this_val), k, JS_ARG(0), JS_THROW);
    else r = jsobj_set(t, JSV_OBJ(this_val), k, JS_ARG(0), this_val, JS_THROW);
    return r < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
}

js_object *jsbi_iterator_prototype(js_thread *t, js_realm *realm)
{
    jsv cur = realm->intrinsics[JS_INTR_IteratorPrototype];
    if (jsv_is_object(cur)) return JSV_OBJ(cur);
    js_object *p = jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_OBJECT);
    if (!p) return NULL;
    js_object *f = jsfn_new_native(t, return_this, jsv_symbol(t->rt->wk_symbols[JS_WKS_iterator]), 0, 0);
    if (!f || jsfn_set_name(t, f, jsv_symbol(t->rt->wk_symbols[JS_WKS_iterator]), NULL) < 0) return NULL;
    if (jsobj_define_value(t, p, jsv_symbol(t->rt->wk_symbols[JS_WKS_iterator]), jsv_object(f), JS_PROP_C_W) < 0)
        return NULL;
    realm->intrinsics[JS_INTR_IteratorPrototype] = jsv_object(p);
    return p;
}

/* ---- Iterator constructor and statics ---- */

static jsv iterator_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_throw_type_error(t, "Constructor Iterator requires 'new'");
}

static jsv iterator_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    if (jsv_is_undefined(new_target) || new_target == jsrt_intrinsic(t, JS_INTR_Iterator))
        return jsvm_throw_type_error(t, "Iterator is an abstract class");
    js_object *o = jsobj_new_from_ctor(t, new_target, JS_INTR_IteratorPrototype, JS_CLASS_OBJECT);
    return o ? jsv_object(o) : JSV_EXCEPTION;
}

static jsv iterator_from(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv iter, next;
    if (get_flattenable(t, JS_ARG(0), 1, &iter, &next) < 0) return JSV_EXCEPTION;
    int has = jsop_ordinary_has_instance(t, jsrt_intrinsic(t, JS_INTR_Iterator), iter);
    if (has < 0) return JSV_EXCEPTION;
    if (has) return iter;
    js_wrap_iter *w = (js_wrap_iter *)jsobj_new(t, jsrt_intrinsic(t, JS_INTR_WrapForValidIteratorPrototype),
                                                JS_CLASS_WRAP_FOR_VALID_ITERATOR);
    if (!w) return JSV_EXCEPTION;
    w->iter = iter;
    w->next = next;
    return jsv_object(w);
}

static js_wrap_iter *this_wrap(js_thread *t, jsv v)
{
    if (!jsv_is_object(v) || jsobj_class(JSV_OBJ(v)) != JS_CLASS_WRAP_FOR_VALID_ITERATOR) {
        jsvm_throw_type_error(t, "not a wrapped iterator");
        return NULL;
    }
    return (js_wrap_iter *)JSV_OBJ(v);
}

static jsv wrap_next(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_wrap_iter *w = this_wrap(t, this_val);
    if (!w) return JSV_EXCEPTION;
    return jsvm_call(t, w->next, w->iter, 0, NULL);
}

static jsv wrap_return(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_wrap_iter *w = this_wrap(t, this_val);
    if (!w) return JSV_EXCEPTION;
    jsv m = jsop_get_method(t, w->iter, akey(t, JS_ATOM_return));
    if (m == JSV_EXCEPTION) return JSV_EXCEPTION;
    if (jsv_is_undefined(m)) return jsop_create_iter_result(t, JSV_UNDEFINED, 1);
    return jsvm_call(t, m, w->iter, 0, NULL);
}

static js_iter_helper *helper_new(js_thread *t, int kind)
{
    js_iter_helper *h = (js_iter_helper *)jsobj_new(t, jsrt_intrinsic(t, JS_INTR_IteratorHelperPrototype),
                                                    JS_CLASS_ITERATOR_HELPER);
    if (!h) return NULL;
    h->iter = h->next = h->fn = h->inner_iter = h->inner_next = h->list = JSV_UNDEFINED;
    h->kind = (uint8_t)kind;
    h->state = S_START;
    return h;
}

static jsv iterator_concat(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *list = jsobj_new_array(t, 0);
    if (!list) return JSV_EXCEPTION;
    for (int i = 0; i < argc; i++) {
        if (!jsv_is_object(argv[i])) return jsvm_throw_type_error(t, "Iterator.concat: argument is not an object");
        jsv m = jsop_get_method(t, argv[i], jsv_symbol(t->rt->wk_symbols[JS_WKS_iterator]));
        if (m == JSV_EXCEPTION) return JSV_EXCEPTION;
        if (jsv_is_undefined(m)) return jsvm_throw_type_error(t, "Iterator.concat: argument is not iterable");
        if (jsarray_push(t, list, m) < 0 || jsarray_push(t, list, argv[i]) < 0) return JSV_EXCEPTION;
    }
    js_iter_helper *h = helper_new(t, H_CONCAT);
    if (!h) return JSV_EXCEPTION;
    h->list = jsv_object(list);
    return jsv_object(h);
}

/* ---- helper steps: 1 yielded *out, 0 finished, -1 exception ---- */

static int helper_step(js_thread *t, js_iter_helper *h, jsv *out)
{
    jsv v;
    int r;
    switch (h->kind) {
    case H_MAP:
        r = it_step_value(t, h->iter, h->next, &v);
        if (r <= 0) return r;
        {
            jsv args[2] = { v, jsv_number(h->counter) };
            v = jsvm_call(t, h->fn, JSV_UNDEFINED, 2, args);
            if (v == JSV_EXCEPTION) return it_close(t, h->iter, 1);
        }
        h->counter++;
        *out = v;
        return 1;
    case H_FILTER:
        for (;;) {
            r = it_step_value(t, h->iter, h->next, &v);
            if (r <= 0) return r;
            jsv args[2] = { v, jsv_number(h->counter) };
            jsv sel = jsvm_call(t, h->fn, JSV_UNDEFINED, 2, args);
            if (sel == JSV_EXCEPTION) return it_close(t, h->iter, 1);
            h->counter++;
            if (jsop_to_boolean(sel)) { *out = v; return 1; }
        }
    case H_TAKE:
        if (h->remaining == 0) return it_close(t, h->iter, 0) < 0 ? -1 : 0;
        if (h->remaining != INFINITY) h->remaining--;
        r = it_step_value(t, h->iter, h->next, &v);
        if (r <= 0) return r;
        *out = v;
        return 1;
    case H_DROP:
        while (h->remaining > 0) {
            jsv res;
            if (h->remaining != INFINITY) h->remaining--;
            r = it_step(t, h->iter, h->next, &res);
            if (r <= 0) return r;
        }
        r = it_step_value(t, h->iter, h->next, &v);
        if (r <= 0) return r;
        *out = v;
        return 1;
    case H_FLATMAP:
        for (;;) {
            if (!h->inner_alive) {
                r = it_step_value(t, h->iter, h->next, &v);
                if (r <= 0) return r;
                jsv args[2] = { v, jsv_number(h->counter) };
                jsv mapped = jsvm_call(t, h->fn, JSV_UNDEFINED, 2, args);
                if (mapped == JSV_EXCEPTION) return it_close(t, h->iter, 1);
                jsv ii, in;
                if (get_flattenable(t, mapped, 0, &ii, &in) < 0) return it_close(t, h->iter, 1);
                h->inner_iter = ii;
                h->inner_next = in;
                h->inner_alive = 1;
                h->counter++;
            }
            r = it_step_value(t, h->inner_iter, h->inner_next, &v);
            if (r < 0) return it_close(t, h->iter, 1);
            if (r == 0) { h->inner_alive = 0; continue; }
            *out = v;
            return 1;
        }
    case H_CONCAT: {
        js_object *list = JSV_OBJ(h->list);
        for (;;) {
            if (!h->inner_alive) {
                if (h->pos + 1 >= list->elen) return 0;
                jsv m = list->elems[h->pos], iterable = list->elems[h->pos + 1];
                h->pos += 2;
                jsv it = jsvm_call(t, m, iterable, 0, NULL);
                if (it == JSV_EXCEPTION) return -1;
                if (!jsv_is_object(it)) { jsvm_throw_type_error(t, "iterator is not an object"); return -1; }
                jsv nx;
                if (get_direct(t, it, &nx) < 0) return -1;
                h->inner_iter = it;
                h->inner_next = nx;
                h->inner_alive = 1;
            }
            r = it_step_value(t, h->inner_iter, h->inner_next, &v);
            if (r < 0) return -1;
            if (r == 0) { h->inner_alive = 0; continue; }
            *out = v;
            return 1;
        }
    }
    default:
        jsvm_throw_type_error(t, "bad iterator helper");
        return -1;
    }
}

/* zip, chunks and windows (defined below) */
static int zip_step(js_thread *t, js_iter_helper *h, jsv *out);
static int zip_close(js_thread *t, js_iter_helper *h);
static int chunks_step(js_thread *t, js_iter_helper *h, jsv *out);

static js_iter_helper *this_helper(js_thread *t, jsv v)
{
    if (!jsv_is_object(v) || jsobj_class(JSV_OBJ(v)) != JS_CLASS_ITERATOR_HELPER) {
        jsvm_throw_type_error(t, "not an Iterator Helper object");
        return NULL;
    }
    return (js_iter_helper *)JSV_OBJ(v);
}

static jsv helper_next(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_iter_helper *h = this_helper(t, this_val);
    if (!h) return JSV_EXCEPTION;
    if (h->state == S_RUNNING) return jsvm_throw_type_error(t, "Generator is already running");
    if (h->state == S_DONE) return jsop_create_iter_result(t, JSV_UNDEFINED, 1);
    h->state = S_RUNNING;
    jsv v = JSV_UNDEFINED;
    int r;
    if (h->kind == H_ZIP) r = zip_step(t, h, &v);
    else if (h->kind == H_CHUNKS || h->kind == H_WINDOWS) r = chunks_step(t, h, &v);
    else r = helper_step(t, h, &v);
    if (r <= 0) {
        h->state = S_DONE;
        return r < 0 ? JSV_EXCEPTION : jsop_create_iter_result(t, JSV_UNDEFINED, 1);
    }
    h->state = S_YIELD;
    return jsop_create_iter_result(t, v, 0);
}

static jsv helper_return(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_iter_helper *h = this_helper(t, this_val);
    if (!h) return JSV_EXCEPTION;
    if (h->state == S_RUNNING) return jsvm_throw_type_error(t, "Generator is already running");
    if (h->state == S_DONE) return jsop_create_iter_result(t, JSV_UNDEFINED, 1);
    int was_start = h->state == S_START;
    /* suspended-start completes at once; suspended-yield runs the closing code */
    h->state = was_start ? S_DONE : S_RUNNING;
    int r = 0;
    if (h->kind == H_ZIP) {
        r = zip_close(t, h);
    } else if (h->kind == H_CONCAT) {
        if (!was_start && h->inner_alive) r = it_close(t, h->inner_iter, 0);
    } else {
        if (h->kind == H_FLATMAP && h->inner_alive) {
            if (it_close(t, h->inner_iter, 0) < 0) {
                it_close(t, h->iter, 1);
                h->state = S_DONE;
                return JSV_EXCEPTION;
            }
        }
        r = it_close(t, h->iter, 0);
    }
    h->state = S_DONE;
    if (r < 0) return JSV_EXCEPTION;
    return jsop_create_iter_result(t, JSV_UNDEFINED, 1);
}

/* ---- Iterator.prototype methods ---- */

/* Common prologue: this must be an object; fn (when check_fn) callable, else close. */
static int proto_prologue(js_thread *t, jsv this_val, jsv fn, int check_fn)
{
    if (!jsv_is_object(this_val)) { jsvm_throw_type_error(t, "Iterator.prototype method called on a non-object"); return -1; }
    if (check_fn && !jsop_is_callable(fn)) {
        jsvm_throw_type_error(t, "argument is not a function");
        return it_close(t, this_val, 1);
    }
    return 0;
}

/* map, filter, flatMap */
static jsv proto_lazy(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv fn = JS_ARG(0), next;
    if (proto_prologue(t, this_val, fn, 1) < 0 || get_direct(t, this_val, &next) < 0) return JSV_EXCEPTION;
    js_iter_helper *h = helper_new(t, magic);
    if (!h) return JSV_EXCEPTION;
    h->iter = this_val;
    h->next = next;
    h->fn = fn;
    return jsv_object(h);
}

/* take, drop */
static jsv proto_take_drop(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    double lim;
    jsv next;
    if (proto_prologue(t, this_val, JSV_UNDEFINED, 0) < 0) return JSV_EXCEPTION;
    if (jsop_to_number(t, JS_ARG(0), &lim) < 0) return it_close(t, this_val, 1), JSV_EXCEPTION;
    if (isnan(lim)) {
        jsvm_throw_range_error(t, "limit must be a number");
        return it_close(t, this_val, 1), JSV_EXCEPTION;
    }
    lim = isinf(lim) ? lim : trunc(lim) + 0.0;
    if (lim < 0 || (!isinf(lim) && lim > 9007199254740991.0)) {
        jsvm_throw_range_error(t, "limit must be non-negative");
        return it_close(t, this_val, 1), JSV_EXCEPTION;
    }
    if (get_direct(t, this_val, &next) < 0) return JSV_EXCEPTION;
    js_iter_helper *h = helper_new(t, magic);
    if (!h) return JSV_EXCEPTION;
    h->iter = this_val;
    h->next = next;
    h->remaining = lim;
    return jsv_object(h);
}

static jsv proto_reduce(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv fn = JS_ARG(0), next, acc, v;
    double counter;
    int r;
    if (proto_prologue(t, this_val, fn, 1) < 0 || get_direct(t, this_val, &next) < 0) return JSV_EXCEPTION;
    if (argc < 2) {
        r = it_step_value(t, this_val, next, &acc);
        if (r < 0) return JSV_EXCEPTION;
        if (r == 0) return jsvm_throw_type_error(t, "Reduce of empty iterator with no initial value");
        counter = 1;
    } else {
        acc = argv[1];
        counter = 0;
    }
    for (;; counter++) {
        r = it_step_value(t, this_val, next, &v);
        if (r < 0) return JSV_EXCEPTION;
        if (r == 0) return acc;
        jsv args[3] = { acc, v, jsv_number(counter) };
        acc = jsvm_call(t, fn, JSV_UNDEFINED, 3, args);
        if (acc == JSV_EXCEPTION) return it_close(t, this_val, 1), JSV_EXCEPTION;
    }
}

static jsv proto_to_array(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv next, v;
    if (proto_prologue(t, this_val, JSV_UNDEFINED, 0) < 0 || get_direct(t, this_val, &next) < 0) return JSV_EXCEPTION;
    js_object *a = jsobj_new_array(t, 0);
    if (!a) return JSV_EXCEPTION;
    for (;;) {
        int r = it_step_value(t, this_val, next, &v);
        if (r < 0) return JSV_EXCEPTION;
        if (r == 0) return jsv_object(a);
        if (jsarray_push(t, a, v) < 0) return JSV_EXCEPTION;
    }
}

/* forEach (0), some (1), every (2), find (3) */
static jsv proto_eager(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv fn = JS_ARG(0), next, v;
    if (proto_prologue(t, this_val, fn, 1) < 0 || get_direct(t, this_val, &next) < 0) return JSV_EXCEPTION;
    for (double counter = 0;; counter++) {
        int r = it_step_value(t, this_val, next, &v);
        if (r < 0) return JSV_EXCEPTION;
        if (r == 0) return magic == 1 ? JSV_FALSE : magic == 2 ? JSV_TRUE : JSV_UNDEFINED;
        jsv args[2] = { v, jsv_number(counter) };
        jsv res = jsvm_call(t, fn, JSV_UNDEFINED, 2, args);
        if (res == JSV_EXCEPTION) return it_close(t, this_val, 1), JSV_EXCEPTION;
        if (magic == 0) continue;
        int b = jsop_to_boolean(res);
        if ((magic == 1 && b) || (magic == 2 && !b) || (magic == 3 && b)) {
            if (it_close(t, this_val, 0) < 0) return JSV_EXCEPTION;
            return magic == 1 ? JSV_TRUE : magic == 2 ? JSV_FALSE : v;
        }
    }
}

/* Iterator.prototype.includes(searchElement, skippedElements) */
static jsv proto_includes(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv next, v;
    double skip = 0;
    if (proto_prologue(t, this_val, JSV_UNDEFINED, 0) < 0) return JSV_EXCEPTION;
    if (!jsv_is_undefined(JS_ARG(1))) {
        jsv s = JS_ARG(1);
        skip = jsv_is_number(s) ? jsv_get_number(s) : NAN;
        if (isnan(skip) || (!isinf(skip) && skip != trunc(skip))) {
            jsvm_throw_type_error(t, "skippedElements must be an integral number");
            return it_close(t, this_val, 1), JSV_EXCEPTION;
        }
        if (skip < 0 || (skip > 9007199254740991.0 && !isinf(skip))) {
            jsvm_throw_range_error(t, "skippedElements out of range");
            return it_close(t, this_val, 1), JSV_EXCEPTION;
        }
    }
    if (get_direct(t, this_val, &next) < 0) return JSV_EXCEPTION;
    for (;;) {
        int r = it_step_value(t, this_val, next, &v);
        if (r < 0) return JSV_EXCEPTION;
        if (r == 0) return JSV_FALSE;
        if (skip > 0) { if (skip != INFINITY) skip--; continue; }
        if (jsop_same_value_zero(v, JS_ARG(0))) {
            if (it_close(t, this_val, 0) < 0) return JSV_EXCEPTION;
            return JSV_TRUE;
        }
    }
}

/* Iterator.prototype.join(separator) */
static jsv proto_join(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv next, v;
    js_string *sep, *acc;
    if (proto_prologue(t, this_val, JSV_UNDEFINED, 0) < 0) return JSV_EXCEPTION;
    if (jsv_is_undefined(JS_ARG(0))) sep = jsstr_new_cstr(t, ",");
    else sep = jsop_to_string(t, argv[0]);
    if (!sep) return it_close(t, this_val, 1), JSV_EXCEPTION;
    if (get_direct(t, this_val, &next) < 0) return JSV_EXCEPTION;
    acc = jsstr_empty(t);
    for (int first = 1;; first = 0) {
        int r = it_step_value(t, this_val, next, &v);
        if (r < 0) return JSV_EXCEPTION;
        if (r == 0) return jsv_string(acc);
        if (!first && !(acc = jsstr_concat(t, acc, sep))) return it_close(t, this_val, 1), JSV_EXCEPTION;
        if (jsv_is_nullish(v)) continue;
        js_string *s = jsop_to_string(t, v);
        if (!s || !(acc = jsstr_concat(t, acc, s))) return it_close(t, this_val, 1), JSV_EXCEPTION;
    }
}

/* ---- Iterator.prototype.chunks / windows ---- */

static jsv proto_chunks(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv next, sz = JS_ARG(0);
    if (proto_prologue(t, this_val, JSV_UNDEFINED, 0) < 0) return JSV_EXCEPTION;
    double n = jsv_is_number(sz) ? jsv_get_number(sz) : NAN;
    if (isnan(n) || isinf(n) || n != trunc(n)) {
        jsvm_throw_type_error(t, "size must be an integral number");
        return it_close(t, this_val, 1), JSV_EXCEPTION;
    }
    if (n < 1 || n > 4294967295.0) {
        jsvm_throw_range_error(t, "size must be an integer in [1, 2^32-1]");
        return it_close(t, this_val, 1), JSV_EXCEPTION;
    }
    int undersized = 0;   /* windows: 0 "only-full", 1 "allow-partial" */
    if (magic == H_WINDOWS) {
        jsv u = JS_ARG(1);
        if (!jsv_is_undefined(u)) {
            if (!jsv_is_string(u)) {
                jsvm_throw_type_error(t, "undersized must be a string");
                return it_close(t, this_val, 1), JSV_EXCEPTION;
            }
            if (jsstr_equal_cstr(JSV_STR(u), "allow-partial")) undersized = 1;
            else if (!jsstr_equal_cstr(JSV_STR(u), "only-full")) {
                jsvm_throw_type_error(t, "undersized must be \"only-full\" or \"allow-partial\"");
                return it_close(t, this_val, 1), JSV_EXCEPTION;
            }
        }
    }
    if (get_direct(t, this_val, &next) < 0) return JSV_EXCEPTION;
    js_iter_helper *h = helper_new(t, magic);
    if (!h) return JSV_EXCEPTION;
    h->iter = this_val;
    h->next = next;
    h->remaining = n;
    h->counter = undersized;
    return jsv_object(h);
}

static int chunks_step(js_thread *t, js_iter_helper *h, jsv *out)
{
    uint32_t size = (uint32_t)h->remaining;
    jsv v;
    int r;
    if (h->kind == H_CHUNKS) {
        js_object *buf = jsobj_new_array(t, 0);
        if (!buf) return -1;
        while (buf->elen < size) {
            r = it_step_value(t, h->iter, h->next, &v);
            if (r < 0) return -1;
            if (r == 0) {
                if (buf->elen == 0) return 0;
                break;
            }
            if (jsarray_push(t, buf, v) < 0) return it_close(t, h->iter, 1);
        }
        *out = jsv_object(buf);
        return 1;
    }
    /* windows: h->list holds the sliding window; inner_alive marks "yielded once" */
    js_object *win = jsv_is_object(h->list) ? JSV_OBJ(h->list) : NULL;
    if (!win) {
        win = jsobj_new_array(t, 0);
        if (!win) return -1;
        h->list = jsv_object(win);
    }
    for (;;) {
        r = it_step_value(t, h->iter, h->next, &v);
        if (r < 0) return -1;
        if (r == 0) {
            if (h->counter == 1 && !h->inner_alive && win->elen > 0) {
                h->inner_alive = 1;
                js_object *copy = jsobj_new_array_from(t, win->elen, win->elems);
                if (!copy) return -1;
                *out = jsv_object(copy);
                return 1;
            }
            return 0;
        }
        if (win->elen == size) {
            memmove(win->elems, win->elems + 1, (size - 1) * sizeof(jsv));
            win->elems[size - 1] = v;
        } else if (jsarray_push(t, win, v) < 0) return it_close(t, h->iter, 1);
        if (win->elen == size) {
            h->inner_alive = 1;
            js_object *copy = jsobj_new_array_from(t, win->elen, win->elems);
            if (!copy) return -1;
            *out = jsv_object(copy);
            return 1;
        }
    }
}

/* ---- Iterator.zip / zipKeyed ----
 * State kept in a traced array h->list: [mode, iters..., nexts..., paddings..., keys or undefined]
 * Layout: elems[0] = n, then n iterators, n next methods, n pads, n keys (zipKeyed) */
enum { ZIP_SHORTEST, ZIP_LONGEST, ZIP_STRICT };

typedef struct zipview { jsv *iters, *nexts, *pads, *keys; uint32_t n; } zipview;

static void zip_view(js_iter_helper *h, zipview *z)
{
    js_object *l = JSV_OBJ(h->list);
    z->n = (uint32_t)jsv_get_int(l->elems[0]);
    z->iters = l->elems + 1;
    z->nexts = z->iters + z->n;
    z->pads = z->nexts + z->n;
    z->keys = z->pads + z->n;
}

/* Close every still-open iterator (those whose iters[] entry is not undefined), in
 * reverse order; the first error wins unless one is already pending. */
static int zip_close_all(js_thread *t, zipview *z, int is_throw)
{
    int failed = is_throw;
    for (uint32_t i = z->n; i-- > 0;) {
        if (jsv_is_undefined(z->iters[i])) continue;
        jsv it = z->iters[i];
        z->iters[i] = JSV_UNDEFINED;
        if (failed) it_close(t, it, 1);
        else if (it_close(t, it, 0) < 0) failed = 1;
    }
    return failed ? -1 : 0;
}

static int zip_close(js_thread *t, js_iter_helper *h)
{
    zipview z;
    zip_view(h, &z);
    return zip_close_all(t, &z, 0);
}

static int zip_step(js_thread *t, js_iter_helper *h, jsv *out)
{
    zipview z;
    zip_view(h, &z);
    int mode = (int)h->counter;
    if (z.n == 0) return 0;
    js_object *res = jsobj_new_array(t, 0);
    if (!res) return -1;
    uint32_t alive = 0;
    for (uint32_t i = 0; i < z.n; i++) if (!jsv_is_undefined(z.iters[i])) alive++;
    for (uint32_t i = 0; i < z.n; i++) {
        jsv v;
        if (jsv_is_undefined(z.iters[i])) {
            v = z.pads[i];
        } else {
            int r = it_step_value(t, z.iters[i], z.nexts[i], &v);
            if (r < 0) {
                z.iters[i] = JSV_UNDEFINED;
                zip_close_all(t, &z, 1);
                return -1;
            }
            if (r == 0) {
                z.iters[i] = JSV_UNDEFINED;
                alive--;
                if (mode == ZIP_SHORTEST) {
                    if (zip_close_all(t, &z, 0) < 0) return -1;
                    return 0;
                }
                if (mode == ZIP_STRICT) {
                    if (i != 0) {
                        jsvm_throw_type_error(t, "Iterator.zip: iterators have different lengths");
                        zip_close_all(t, &z, 1);
                        return -1;
                    }
                    for (uint32_t k = 1; k < z.n; k++) {
                        jsv rr;
                        int s = it_step(t, z.iters[k], z.nexts[k], &rr);
                        if (s < 0) { z.iters[k] = JSV_UNDEFINED; zip_close_all(t, &z, 1); return -1; }
                        if (s == 1) {
                            jsvm_throw_type_error(t, "Iterator.zip: iterators have different lengths");
                            zip_close_all(t, &z, 1);
                            return -1;
                        }
                        z.iters[k] = JSV_UNDEFINED;
                    }
                    return 0;
                }
                if (alive == 0) return 0;
                v = z.pads[i];
            }
        }
        if (jsarray_push(t, res, v) < 0) return -1;
    }
    if (h->fn == JSV_TRUE) {
        /* zipKeyed: build a null-prototype object */
        js_object *o = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
        if (!o) return -1;
        for (uint32_t i = 0; i < z.n; i++)
            if (jsobj_create_data_property(t, o, z.keys[i], res->elems[i], JS_THROW) < 0) return -1;
        *out = jsv_object(o);
        return 1;
    }
    *out = jsv_object(res);
    return 1;
}

/* magic 0: zip, 1: zipKeyed */
static jsv iterator_zip(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv iterables = JS_ARG(0), options = JS_ARG(1);
    if (!jsv_is_object(iterables)) return jsvm_throw_type_error(t, "Iterator.zip: iterables is not an object");
    if (!jsv_is_undefined(options) && !jsv_is_object(options))
        return jsvm_throw_type_error(t, "Iterator.zip: options is not an object");
    int mode = ZIP_SHORTEST;
    jsv padding = JSV_UNDEFINED;
    if (jsv_is_object(options)) {
        jsv m = jsobj_get(t, JSV_OBJ(options), jskey_from_cstr(t, "mode"), options);
        if (m == JSV_EXCEPTION) return JSV_EXCEPTION;
        if (!jsv_is_undefined(m)) {
            if (!jsv_is_string(m)) return jsvm_throw_type_error(t, "Iterator.zip: mode must be a string");
            if (jsstr_equal_cstr(JSV_STR(m), "longest")) mode = ZIP_LONGEST;
            else if (jsstr_equal_cstr(JSV_STR(m), "strict")) mode = ZIP_STRICT;
            else if (!jsstr_equal_cstr(JSV_STR(m), "shortest"))
                return jsvm_throw_type_error(t, "Iterator.zip: invalid mode");
        }
        if (mode == ZIP_LONGEST) {
            padding = jsobj_get(t, JSV_OBJ(options), jskey_from_cstr(t, "padding"), options);
            if (padding == JSV_EXCEPTION) return JSV_EXCEPTION;
            if (!jsv_is_undefined(padding) && !jsv_is_object(padding))
                return jsvm_throw_type_error(t, "Iterator.zip: padding is not an object");
        }
    }
    js_object *iters = jsobj_new_array(t, 0), *nexts = jsobj_new_array(t, 0), *keys = jsobj_new_array(t, 0);
    if (!iters || !nexts || !keys) return JSV_EXCEPTION;
    zipview z = { 0 };
    if (magic == 0) {
        jsv oi, on;
        if (get_flattenable(t, iterables, 0, &oi, &on) < 0) return JSV_EXCEPTION;
        for (;;) {
            jsv v;
            int r = it_step_value(t, oi, on, &v);
            if (r < 0) goto close_all_throw;
            if (r == 0) break;
            jsv ii, in;
            if (get_flattenable(t, v, 0, &ii, &in) < 0) {
                /* IteratorCloseAll(« inputIter » + iters): iters first, in reverse */
                for (uint32_t k = iters->elen; k-- > 0;) it_close(t, iters->elems[k], 1);
                it_close(t, oi, 1);
                return JSV_EXCEPTION;
            }
            if (jsarray_push(t, iters, ii) < 0 || jsarray_push(t, nexts, in) < 0) return JSV_EXCEPTION;
        }
    } else {
        js_object *src = JSV_OBJ(iterables);
        js_object *all = jsbi_own_keys(t, src);
        if (!all) return JSV_EXCEPTION;
        for (uint32_t i = 0; i < all->elen; i++) {
            js_key k = all->elems[i];
            js_propdesc d;
            int r = jsobj_get_own_property(t, src, k, &d);
            if (r < 0) goto close_all_throw;
            if (r == 0 || !(d.flags & JS_PROP_ENUMERABLE)) continue;
            jsv v = jsobj_get(t, src, k, iterables);
            if (v == JSV_EXCEPTION) goto close_all_throw;
            if (jsv_is_undefined(v)) continue;
            jsv ii, in;
            if (get_flattenable(t, v, 0, &ii, &in) < 0) goto close_all_throw;
            if (jsarray_push(t, iters, ii) < 0 || jsarray_push(t, nexts, in) < 0 || jsarray_push(t, keys, k) < 0)
                return JSV_EXCEPTION;
        }
    }
    uint32_t n = iters->elen;
    js_object *pads = jsobj_new_array(t, 0);
    if (!pads) return JSV_EXCEPTION;
    if (mode == ZIP_LONGEST) {
        if (magic == 0) {
            if (jsv_is_undefined(padding)) {
                for (uint32_t i = 0; i < n; i++) if (jsarray_push(t, pads, JSV_UNDEFINED) < 0) return JSV_EXCEPTION;
            } else {
                js_iter_record prec;
                if (jsop_get_iterator(t, padding, 0, &prec) < 0) goto close_all_throw;
                jsv pi = prec.iterator, pn = prec.next_method;
                int using = 1;
                for (uint32_t i = 0; i < n; i++) {
                    jsv v = JSV_UNDEFINED;
                    if (using) {
                        int r = it_step_value(t, pi, pn, &v);
                        if (r < 0) goto close_all_throw;
                        if (r == 0) { using = 0; v = JSV_UNDEFINED; }
                    }
                    if (jsarray_push(t, pads, v) < 0) return JSV_EXCEPTION;
                }
                if (using && it_close(t, pi, 0) < 0) goto close_all_throw;
            }
        } else {
            for (uint32_t i = 0; i < n; i++) {
                jsv v = JSV_UNDEFINED;
                if (!jsv_is_undefined(padding)) {
                    v = jsobj_get(t, JSV_OBJ(padding), keys->elems[i], padding);
                    if (v == JSV_EXCEPTION) goto close_all_throw;
                }
                if (jsarray_push(t, pads, v) < 0) return JSV_EXCEPTION;
            }
        }
    } else {
        for (uint32_t i = 0; i < n; i++) if (jsarray_push(t, pads, JSV_UNDEFINED) < 0) return JSV_EXCEPTION;
    }
    js_object *st = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    if (!st || jsobj_elems_reserve(t, st, 1 + 4 * n + 1) < 0) return JSV_EXCEPTION;
    st->elems[0] = jsv_from_int((int32_t)n);
    for (uint32_t i = 0; i < n; i++) {
        st->elems[1 + i] = iters->elems[i];
        st->elems[1 + n + i] = nexts->elems[i];
        st->elems[1 + 2 * n + i] = pads->elems[i];
        st->elems[1 + 3 * n + i] = magic ? keys->elems[i] : JSV_UNDEFINED;
    }
    st->elems[1 + 4 * n] = JSV_UNDEFINED;
    st->elen = 1 + 4 * n + 1;
    js_iter_helper *h = helper_new(t, H_ZIP);
    if (!h) return JSV_EXCEPTION;
    h->list = jsv_object(st);
    h->counter = mode;
    h->fn = jsv_from_bool(magic);   /* zipKeyed yields objects */
    return jsv_object(h);

close_all_throw:
    z.n = iters->elen;
    z.iters = iters->elems;
    for (uint32_t i = z.n; i-- > 0;) it_close(t, z.iters[i], 1);
    return JSV_EXCEPTION;
}

/* %AsyncIteratorPrototype%[@@asyncDispose]: await this.return(undefined), if any. */
static jsv async_dispose_cont(js_thread *t, jsv value, jsv data, int rejected)
{
    int r = rejected ? jsbi_promise_reject(t, data, value) : jsbi_promise_fulfill_or_resolve(t, data, JSV_UNDEFINED);
    return r < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
}

static jsv async_iterproto_dispose(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv p = jsbi_promise_new(t);
    if (p == JSV_EXCEPTION) return JSV_EXCEPTION;
    jsv m = jsop_get_method(t, this_val, akey(t, JS_ATOM_return));
    jsv r = JSV_UNDEFINED;
    if (m != JSV_EXCEPTION && !jsv_is_undefined(m)) {
        r = jsvm_call(t, m, this_val, 0, NULL);
        if (r != JSV_EXCEPTION) {
            jsv w = jsbi_promise_resolve(t, r);
            if (w != JSV_EXCEPTION) {
                if (jsbi_promise_then_native(t, w, async_dispose_cont, p) < 0) return JSV_EXCEPTION;
                return p;
            }
        }
    }
    if (m == JSV_EXCEPTION || r == JSV_EXCEPTION || t->has_exception) {
        if (t->uncatchable) return JSV_EXCEPTION;
        if (jsbi_promise_reject(t, p, jsvm_take_exception(t)) < 0) return JSV_EXCEPTION;
        return p;
    }
    if (jsbi_promise_fulfill_or_resolve(t, p, JSV_UNDEFINED) < 0) return JSV_EXCEPTION;
    return p;
}

/* ---- set-up ---- */

int jsbi_init_iterator(js_thread *t, js_realm *realm)
{
    js_object *ip = jsbi_iterator_prototype(t, realm);
    if (!ip) return -1;
    js_object *ctor = jsbi_make_ctor(t, realm, "Iterator", 0, iterator_call, iterator_construct, 0, NULL,
                                     JS_INTR_Iterator, -1);
    if (!ctor) return -1;
    if (jsobj_define_value(t, ctor, akey(t, JS_ATOM_prototype), jsv_object(ip), 0) < 0) return -1;
    if (jsobj_define_fn(t, ctor, "from", iterator_from, 1, 0) < 0 ||
        jsobj_define_fn(t, ctor, "concat", iterator_concat, 0, 0) < 0 ||
        jsobj_define_fn(t, ctor, "zip", iterator_zip, 1, 0) < 0 ||
        jsobj_define_fn(t, ctor, "zipKeyed", iterator_zip, 1, 1) < 0)
        return -1;
    if (jsobj_define_getset(t, ip, akey(t, JS_ATOM_constructor), iterproto_get_ctor, iterproto_set_ignoring, 0) < 0 ||
        jsobj_define_getset(t, ip, jsv_symbol(t->rt->wk_symbols[JS_WKS_toStringTag]), iterproto_get_ctor,
                            iterproto_set_ignoring, 1) < 0)
        return -1;
    static const struct { const char *name; js_native_fn fn; int len, magic; } fns[] = {
        { "map", proto_lazy, 1, H_MAP },
        { "filter", proto_lazy, 1, H_FILTER },
        { "take", proto_take_drop, 1, H_TAKE },
        { "drop", proto_take_drop, 1, H_DROP },
        { "flatMap", proto_lazy, 1, H_FLATMAP },
        { "reduce", proto_reduce, 1, 0 },
        { "toArray", proto_to_array, 0, 0 },
        { "forEach", proto_eager, 1, 0 },
        { "some", proto_eager, 1, 1 },
        { "every", proto_eager, 1, 2 },
        { "find", proto_eager, 1, 3 },
        { "includes", proto_includes, 1, 0 },
        { "join", proto_join, 1, 0 },
        { "chunks", proto_chunks, 1, H_CHUNKS },
        { "windows", proto_chunks, 1, H_WINDOWS },
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++)
        if (jsobj_define_fn(t, ip, fns[i].name, fns[i].fn, fns[i].len, fns[i].magic) < 0) return -1;
    if (jsobj_define_fn_key(t, ip, jsv_symbol(t->rt->wk_symbols[JS_WKS_dispose]), iterproto_dispose, 0, 0) < 0)
        return -1;

    /* %AsyncIteratorPrototype% */
    js_object *aip = jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_OBJECT);
    if (!aip) return -1;
    if (jsobj_define_fn_key(t, aip, jsv_symbol(t->rt->wk_symbols[JS_WKS_asyncIterator]), return_this, 0, 0) < 0 ||
        jsobj_define_fn_key(t, aip, jsv_symbol(t->rt->wk_symbols[JS_WKS_asyncDispose]), async_iterproto_dispose, 0, 0) < 0)
        return -1;
    realm->intrinsics[JS_INTR_AsyncIteratorPrototype] = jsv_object(aip);

    /* %IteratorHelperPrototype% */
    js_object *hp = jsobj_new(t, jsv_object(ip), JS_CLASS_OBJECT);
    if (!hp) return -1;
    if (jsobj_define_fn(t, hp, "next", helper_next, 0, 0) < 0 ||
        jsobj_define_fn(t, hp, "return", helper_return, 0, 0) < 0 ||
        jsbi_set_tag(t, hp, "Iterator Helper") < 0)
        return -1;
    realm->intrinsics[JS_INTR_IteratorHelperPrototype] = jsv_object(hp);

    /* %WrapForValidIteratorPrototype% */
    js_object *wp = jsobj_new(t, jsv_object(ip), JS_CLASS_OBJECT);
    if (!wp) return -1;
    if (jsobj_define_fn(t, wp, "next", wrap_next, 0, 0) < 0 || jsobj_define_fn(t, wp, "return", wrap_return, 0, 0) < 0)
        return -1;
    realm->intrinsics[JS_INTR_WrapForValidIteratorPrototype] = jsv_object(wp);
    return 0;
}
