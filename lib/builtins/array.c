/*
 * array.c - the Array constructor, Array.from/of/isArray, every method of
 * Array.prototype and %ArrayIteratorPrototype%.
 * Must not touch the Array exotic object itself (length semantics, element
 * storage): that is lib/core (object.h); dense fast paths only read elems.
 */
#include <stdlib.h>
#include <math.h>
#include "builtins.h"
#include "../core/string.h"
#include "promise.h"

#define MAX_SAFE 9007199254740991.0   /* 2^53 - 1: the largest array-like length */

/* Typed arrays (another module): length or -1 with TypeError when out of bounds/detached. */
int jsbi_typed_array_length(js_thread *t, js_object *o, int64_t *len) __attribute__((weak));

/* ---- helpers ---- */

static js_key idx_key(js_thread *t, int64_t i)
{
    if (i >= 0 && i < 4294967295LL) return jskey_from_index((uint32_t)i);
    js_string *s = jsop_number_to_string(t, (double)i);
    if (!s) return JSV_EXCEPTION;
    return jskey_from_string(t, s);
}

static js_key atom_key(js_thread *t, int id) { return jskey_from_atom_id(t, id); }

static jsv get_i(js_thread *t, js_object *o, int64_t i)
{
    jsv v;
    if (i >= 0 && i < 4294967295LL) {
        if (jsobj_class(o) == JS_CLASS_ARRAY && jsarray_fast_get(o, (uint32_t)i, &v)) return v;
        return jsobj_get(t, o, jskey_from_index((uint32_t)i), jsv_object(o));
    }
    js_key k = idx_key(t, i);
    if (k == JSV_EXCEPTION) return JSV_EXCEPTION;
    return jsobj_get(t, o, k, jsv_object(o));
}

/* HasProperty: 1, 0, -1 */
static int has_i(js_thread *t, js_object *o, int64_t i)
{
    jsv v;
    if (i >= 0 && i < 4294967295LL && jsobj_class(o) == JS_CLASS_ARRAY && jsarray_fast_get(o, (uint32_t)i, &v))
        return 1;
    js_key k = idx_key(t, i);
    if (k == JSV_EXCEPTION) return -1;
    return jsobj_has_property(t, o, k);
}

static int set_i(js_thread *t, js_object *o, int64_t i, jsv v)
{
    js_key k = idx_key(t, i);
    if (k == JSV_EXCEPTION) return -1;
    return jsobj_set(t, o, k, v, jsv_object(o), JS_THROW) < 0 ? -1 : 0;
}

static int def_i(js_thread *t, js_object *o, int64_t i, jsv v)
{
    js_key k = idx_key(t, i);
    if (k == JSV_EXCEPTION) return -1;
    return jsobj_create_data_property(t, o, k, v, JS_THROW) < 0 ? -1 : 0;
}

static int del_i(js_thread *t, js_object *o, int64_t i)
{
    js_key k = idx_key(t, i);
    if (k == JSV_EXCEPTION) return -1;
    return jsobj_delete(t, o, k, JS_THROW) < 0 ? -1 : 0;
}

static int set_length(js_thread *t, js_object *o, double len)
{
    return jsobj_set(t, o, atom_key(t, JS_ATOM_length), jsv_number(len), jsv_object(o), JS_THROW) < 0 ? -1 : 0;
}

static int length_of(js_thread *t, js_object *o, int64_t *len)
{
    if (jsobj_class(o) == JS_CLASS_ARRAY) {
        *len = ((js_array *)o)->length;
        return 0;
    }
    return jsop_length_of_array_like(t, o, len);
}

/* ToObject(this) */
static js_object *this_obj(js_thread *t, jsv this_val)
{
    jsv o = jsop_to_object(t, this_val);
    if (o == JSV_EXCEPTION) return NULL;
    return JSV_OBJ(o);
}

/* Relative index argument (slice, splice, fill, ...): clamp to [0, len]. */
static int rel_index(js_thread *t, jsv arg, int64_t len, int64_t dflt, int64_t *out)
{
    double d;
    if (jsv_is_undefined(arg)) { *out = dflt; return 0; }
    if (jsop_to_integer_or_infinity(t, arg, &d) < 0) return -1;
    if (d < 0) { d += (double)len; if (d < 0) d = 0; }
    else if (d > (double)len) d = (double)len;
    *out = (int64_t)d;
    return 0;
}

static int require_callable(js_thread *t, jsv f)
{
    if (!jsop_is_callable(f)) { jsvm_throw_type_error(t, "callback is not a function"); return -1; }
    return 0;
}

/* A fresh Array exotic object with length `len` (ArrayCreate), prototype `proto`
 * or %Array.prototype% when proto is undefined. */
static js_object *array_create(js_thread *t, double len, jsv proto)
{
    js_object *a;
    if (len > 4294967295.0) { jsvm_throw_range_error(t, "Invalid array length"); return NULL; }
    if (jsv_is_undefined(proto)) a = jsobj_new_array(t, 0);
    else a = jsobj_new(t, proto, JS_CLASS_ARRAY);
    if (!a) return NULL;
    ((js_array *)a)->length_writable = 1;
    ((js_array *)a)->length = (uint32_t)len;
    return a;
}

/* ArraySpeciesCreate */
static js_object *species_create(js_thread *t, js_object *orig, double len)
{
    int isa = jsobj_is_array(t, jsv_object(orig));
    if (isa < 0) return NULL;
    if (!isa) return array_create(t, len, JSV_UNDEFINED);
    jsv c = jsobj_get(t, orig, atom_key(t, JS_ATOM_constructor), jsv_object(orig));
    if (c == JSV_EXCEPTION) return NULL;
    if (jsop_is_constructor(c)) {
        js_realm *r = jsop_get_function_realm(t, JSV_OBJ(c));
        if (!r) return NULL;
        if (r != t->realm && c == r->intrinsics[JS_INTR_Array]) c = JSV_UNDEFINED;
    }
    if (jsv_is_object(c)) {
        c = jsobj_get(t, JSV_OBJ(c), jsv_symbol(t->rt->wk_symbols[JS_WKS_species]), c);
        if (c == JSV_EXCEPTION) return NULL;
        if (jsv_is_null(c)) c = JSV_UNDEFINED;
    }
    if (jsv_is_undefined(c)) return array_create(t, len, JSV_UNDEFINED);
    if (!jsop_is_constructor(c)) { jsvm_throw_type_error(t, "species is not a constructor"); return NULL; }
    jsv arg = jsv_number(len);
    jsv r = jsvm_construct(t, c, 1, &arg, JSV_UNDEFINED);
    if (r == JSV_EXCEPTION) return NULL;
    if (!jsv_is_object(r)) { jsvm_throw_type_error(t, "species constructor returned a non-object"); return NULL; }
    return JSV_OBJ(r);
}

/* A hidden, traced value list: a null-prototype object whose dense elems hold
 * the values, so the collector sees them while JS code runs. */
static js_object *vlist_new(js_thread *t, uint32_t cap)
{
    js_object *l = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    if (!l) return NULL;
    if (cap && jsobj_elems_reserve(t, l, cap) < 0) return NULL;
    return l;
}

static int vlist_push(js_thread *t, js_object *l, jsv v)
{
    if (l->elen >= l->ecap) {
        uint32_t n = l->ecap ? l->ecap * 2 : 8;
        if (n < l->ecap) { jsvm_throw_range_error(t, "list too long"); return -1; }
        if (jsobj_elems_reserve(t, l, n) < 0) return -1;
    }
    l->elems[l->elen++] = v;
    return 0;
}

/* ---- a small UTF-16 string builder (characters only: no GC values inside) ---- */
typedef struct sbuf { uint16_t *p; size_t len, cap; int wide; } sbuf;

static int sb_grow(js_thread *t, sbuf *b, size_t need)
{
    if (b->len + need <= b->cap) return 0;
    size_t n = b->cap ? b->cap * 2 : 64;
    while (n < b->len + need) n *= 2;
    if (n > ((size_t)1 << 30)) { jsvm_throw_range_error(t, "Invalid string length"); return -1; }
    uint16_t *p = realloc(b->p, n * 2);
    if (!p) { jsvm_throw_out_of_memory(t); return -1; }
    b->p = p; b->cap = n;
    return 0;
}

static int sb_add_str(js_thread *t, sbuf *b, js_string *s)
{
    s = jsstr_flatten(t, s);
    if (!s) return -1;
    if (sb_grow(t, b, s->len) < 0) return -1;
    if (jsstr_is_wide(s)) {
        memcpy(b->p + b->len, s->u.c16, s->len * 2);
        b->wide = 1;
    } else {
        for (uint32_t i = 0; i < s->len; i++) b->p[b->len + i] = s->u.c8[i];
    }
    b->len += s->len;
    return 0;
}

static js_string *sb_finish(js_thread *t, sbuf *b)
{
    js_string *s = jsstr_new_utf16(t, b->p ? b->p : (const uint16_t *)"", b->len);
    free(b->p);
    b->p = NULL;
    return s;
}

/* ---- constructor and statics ---- */

static jsv array_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    jsv proto = JSV_UNDEFINED;
    js_object *a;
    if (!jsv_is_undefined(new_target) && new_target != jsrt_intrinsic(t, JS_INTR_Array)) {
        js_object *tmp = jsobj_new_from_ctor(t, new_target, JS_INTR_ArrayPrototype, JS_CLASS_ARRAY);
        if (!tmp) return JSV_EXCEPTION;
        ((js_array *)tmp)->length_writable = 1;
        if (jsobj_get_prototype_of(t, tmp, &proto) < 0) return JSV_EXCEPTION;
        if (argc == 0) return jsv_object(tmp);
        if (argc == 1 && !jsv_is_number(argv[0])) {
            if (jsobj_create_data_property(t, tmp, jskey_from_index(0), argv[0], JS_THROW) < 0) return JSV_EXCEPTION;
            return jsv_object(tmp);
        }
        if (argc == 1) {
            double d = jsv_get_number(argv[0]);
            uint32_t u = (uint32_t)(int64_t)d;
            if (!(d >= 0 && d <= 4294967295.0) || (double)u != d)
                return jsvm_throw_range_error(t, "Invalid array length");
            ((js_array *)tmp)->length = u;
            return jsv_object(tmp);
        }
        a = tmp;
    } else {
        if (argc == 1) {
            if (!jsv_is_number(argv[0])) {
                a = jsobj_new_array_from(t, 1, argv);
                return a ? jsv_object(a) : JSV_EXCEPTION;
            }
            double d = jsv_get_number(argv[0]);
            uint32_t u = (uint32_t)(int64_t)d;
            if (!(d >= 0 && d <= 4294967295.0) || (double)u != d)
                return jsvm_throw_range_error(t, "Invalid array length");
            a = array_create(t, u, JSV_UNDEFINED);
            return a ? jsv_object(a) : JSV_EXCEPTION;
        }
        a = jsobj_new_array_from(t, (uint32_t)argc, argv);
        return a ? jsv_object(a) : JSV_EXCEPTION;
    }
    for (int i = 0; i < argc; i++)
        if (jsobj_create_data_property(t, a, jskey_from_index((uint32_t)i), argv[i], JS_THROW) < 0) return JSV_EXCEPTION;
    return jsv_object(a);
}

static jsv array_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return array_construct(t, JSV_UNDEFINED, argc, argv, magic);
}

static jsv array_is_array(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int r = jsobj_is_array(t, JS_ARG(0));
    return r < 0 ? JSV_EXCEPTION : jsv_from_bool(r);
}

/* Construct `c` with optional length, or ArrayCreate when c is not a constructor. */
static js_object *construct_or_array(js_thread *t, jsv c, int with_len, double len)
{
    if (jsop_is_constructor(c)) {
        jsv arg = jsv_number(len);
        jsv r = jsvm_construct(t, c, with_len ? 1 : 0, &arg, JSV_UNDEFINED);
        if (r == JSV_EXCEPTION) return NULL;
        if (!jsv_is_object(r)) { jsvm_throw_type_error(t, "constructor returned a non-object"); return NULL; }
        return JSV_OBJ(r);
    }
    return array_create(t, with_len ? len : 0, JSV_UNDEFINED);
}

static jsv array_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *a = construct_or_array(t, this_val, 1, argc);
    if (!a) return JSV_EXCEPTION;
    for (int i = 0; i < argc; i++)
        if (def_i(t, a, i, argv[i]) < 0) return JSV_EXCEPTION;
    if (set_length(t, a, argc) < 0) return JSV_EXCEPTION;
    return jsv_object(a);
}

static jsv array_from(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv items = JS_ARG(0), mapfn = JS_ARG(1), this_arg = JS_ARG(2);
    int mapping = !jsv_is_undefined(mapfn);
    if (mapping && require_callable(t, mapfn) < 0) return JSV_EXCEPTION;
    jsv using_iter = jsop_get_method(t, items, jsv_symbol(t->rt->wk_symbols[JS_WKS_iterator]));
    if (using_iter == JSV_EXCEPTION) return JSV_EXCEPTION;
    if (!jsv_is_undefined(using_iter)) {
        js_object *a = construct_or_array(t, this_val, 0, 0);
        if (!a) return JSV_EXCEPTION;
        js_iter_record it;
        if (jsop_get_iterator_from_method(t, items, using_iter, &it) < 0) return JSV_EXCEPTION;
        for (int64_t k = 0;; k++) {
            jsv v;
            if (k >= (int64_t)MAX_SAFE) {
                jsvm_throw_type_error(t, "too many elements");
                jsop_iterator_close(t, &it, 1);
                return JSV_EXCEPTION;
            }
            int r = jsop_iterator_step_value(t, &it, &v);
            if (r < 0) return JSV_EXCEPTION;
            if (r == 0) {
                if (set_length(t, a, (double)k) < 0) return JSV_EXCEPTION;
                return jsv_object(a);
            }
            if (mapping) {
                jsv args[2] = { v, jsv_number((double)k) };
                v = jsvm_call(t, mapfn, this_arg, 2, args);
                if (v == JSV_EXCEPTION) { jsop_iterator_close(t, &it, 1); return JSV_EXCEPTION; }
            }
            if (def_i(t, a, k, v) < 0) { jsop_iterator_close(t, &it, 1); return JSV_EXCEPTION; }
        }
    }
    jsv ov = jsop_to_object(t, items);
    if (ov == JSV_EXCEPTION) return JSV_EXCEPTION;
    js_object *src = JSV_OBJ(ov);
    int64_t len;
    if (length_of(t, src, &len) < 0) return JSV_EXCEPTION;
    js_object *a = construct_or_array(t, this_val, 1, (double)len);
    if (!a) return JSV_EXCEPTION;
    for (int64_t k = 0; k < len; k++) {
        jsv v = get_i(t, src, k);
        if (v == JSV_EXCEPTION) return JSV_EXCEPTION;
        if (mapping) {
            jsv args[2] = { v, jsv_number((double)k) };
            v = jsvm_call(t, mapfn, this_arg, 2, args);
            if (v == JSV_EXCEPTION) return JSV_EXCEPTION;
        }
        if (def_i(t, a, k, v) < 0) return JSV_EXCEPTION;
    }
    if (set_length(t, a, (double)len) < 0) return JSV_EXCEPTION;
    return jsv_object(a);
}

static jsv array_species_getter(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return this_val;
}

/* ---- Array.fromAsync: the async closure as a state machine over promise.h ---- */

enum { FA_ASYNC_ITER, FA_SYNC_ITER, FA_ARRAY_LIKE };
enum { FA_AWAIT_NEXT, FA_AWAIT_SYNC_VALUE, FA_AWAIT_MAPPED, FA_AWAIT_CLOSE, FA_AWAIT_ITEM };

typedef struct from_async {
    js_internal base;
    jsv promise, c, mapfn, this_arg, iter, next, src, a, error;
    double k, len;
    int mode, phase;
} from_async;

static void from_async_trace(js_gc_tracer *trc, void *cell)
{
    from_async *f = cell;
    jsv v[] = { f->promise, f->c, f->mapfn, f->this_arg, f->iter, f->next, f->src, f->a, f->error };
    jsgc_mark_values(trc, v, sizeof v / sizeof v[0]);
}

static const js_internal_ops from_async_ops = { "Array.fromAsync", from_async_trace, NULL };

static jsv fa_cont(js_thread *t, jsv value, jsv data, int rejected);

/* Await(v): continue in fa_cont. -1 on a throw (pending). */
static int fa_await(js_thread *t, from_async *f, jsv v, int phase)
{
    jsv p = jsbi_promise_resolve(t, v);
    if (p == JSV_EXCEPTION) return -1;
    f->phase = phase;
    return jsbi_promise_then_native(t, p, fa_cont, jsv_cell(f));
}

/* Settle the result promise with the pending exception. */
static jsv fa_reject_pending(js_thread *t, from_async *f)
{
    if (t->uncatchable) return JSV_EXCEPTION;
    jsv e = jsvm_take_exception(t);
    return jsbi_promise_reject(t, f->promise, e) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
}

/* AsyncIteratorClose(iteratorRecord, throw completion): the pending exception is
 * the completion; the result promise is rejected with it once return() settles. */
static jsv fa_close_and_reject(js_thread *t, from_async *f)
{
    if (t->uncatchable) return JSV_EXCEPTION;
    f->error = jsvm_take_exception(t);
    if (f->mode == FA_SYNC_ITER) {
        js_iter_record it = { f->iter, f->next, 0 };
        jsvm_throw(t, f->error);
        jsop_iterator_close(t, &it, 1);
        jsvm_take_exception(t);
        return jsbi_promise_reject(t, f->promise, f->error) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
    }
    jsv m = jsop_get_method(t, f->iter, jskey_from_atom_id(t, JS_ATOM_return));
    jsv r = JSV_UNDEFINED;
    if (m != JSV_EXCEPTION && !jsv_is_undefined(m)) r = jsvm_call(t, m, f->iter, 0, NULL);
    if (m == JSV_EXCEPTION || r == JSV_EXCEPTION || jsv_is_undefined(m)) {
        if (t->has_exception && !t->uncatchable) jsvm_take_exception(t);
        return jsbi_promise_reject(t, f->promise, f->error) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
    }
    if (fa_await(t, f, r, FA_AWAIT_CLOSE) < 0) {
        if (t->has_exception && !t->uncatchable) jsvm_take_exception(t);
        return jsbi_promise_reject(t, f->promise, f->error) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
    }
    return JSV_UNDEFINED;
}

static jsv fa_finish(js_thread *t, from_async *f, double len)
{
    if (set_length(t, JSV_OBJ(f->a), len) < 0) return fa_reject_pending(t, f);
    return jsbi_promise_fulfill_or_resolve(t, f->promise, f->a) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
}

/* Run until the next Await; every abrupt completion rejects the result promise. */
static jsv fa_step(js_thread *t, from_async *f)
{
    jsv v;
    if (f->mode == FA_ARRAY_LIKE) {
        if (f->k >= f->len) return fa_finish(t, f, f->len);
        v = get_i(t, JSV_OBJ(f->src), (int64_t)f->k);
        if (v == JSV_EXCEPTION || fa_await(t, f, v, FA_AWAIT_ITEM) < 0) return fa_reject_pending(t, f);
        return JSV_UNDEFINED;
    }
    if (f->k >= MAX_SAFE) {
        jsvm_throw_type_error(t, "Array.fromAsync: too many elements");
        return fa_close_and_reject(t, f);
    }
    jsv r = jsvm_call(t, f->next, f->iter, 0, NULL);
    if (r == JSV_EXCEPTION) return fa_reject_pending(t, f);
    if (f->mode == FA_ASYNC_ITER) {
        if (fa_await(t, f, r, FA_AWAIT_NEXT) < 0) return fa_reject_pending(t, f);
        return JSV_UNDEFINED;
    }
    /* %AsyncFromSyncIteratorPrototype%.next, inlined */
    if (!jsv_is_object(r)) {
        jsvm_throw_type_error(t, "iterator result is not an object");
        return fa_reject_pending(t, f);
    }
    jsv d = jsobj_get(t, JSV_OBJ(r), jskey_from_atom_id(t, JS_ATOM_done), r);
    if (d == JSV_EXCEPTION) return fa_reject_pending(t, f);
    int done = jsop_to_boolean(d);
    v = jsobj_get(t, JSV_OBJ(r), jskey_from_atom_id(t, JS_ATOM_value), r);
    if (v == JSV_EXCEPTION) return fa_reject_pending(t, f);
    if (done) return fa_finish(t, f, f->k);
    if (fa_await(t, f, v, FA_AWAIT_SYNC_VALUE) < 0) return fa_close_and_reject(t, f);
    return JSV_UNDEFINED;
}

/* A value of the sequence is ready: map it (maybe awaiting) or store it. */
static jsv fa_value(js_thread *t, from_async *f, jsv v)
{
    if (!jsv_is_undefined(f->mapfn)) {
        jsv args[2] = { v, jsv_number(f->k) };
        jsv m = jsvm_call(t, f->mapfn, f->this_arg, 2, args);
        if (m == JSV_EXCEPTION) return f->mode == FA_ARRAY_LIKE ? fa_reject_pending(t, f) : fa_close_and_reject(t, f);
        if (fa_await(t, f, m, FA_AWAIT_MAPPED) < 0)
            return f->mode == FA_ARRAY_LIKE ? fa_reject_pending(t, f) : fa_close_and_reject(t, f);
        return JSV_UNDEFINED;
    }
    if (def_i(t, JSV_OBJ(f->a), (int64_t)f->k, v) < 0)
        return f->mode == FA_ARRAY_LIKE ? fa_reject_pending(t, f) : fa_close_and_reject(t, f);
    f->k++;
    return fa_step(t, f);
}

static jsv fa_cont(js_thread *t, jsv value, jsv data, int rejected)
{
    from_async *f = jsv_get_ptr(data);
    switch (f->phase) {
    case FA_AWAIT_CLOSE:
        return jsbi_promise_reject(t, f->promise, f->error) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
    case FA_AWAIT_NEXT: {
        if (rejected) return jsbi_promise_reject(t, f->promise, value) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
        if (!jsv_is_object(value)) {
            jsvm_throw_type_error(t, "iterator result is not an object");
            return fa_reject_pending(t, f);
        }
        jsv d = jsobj_get(t, JSV_OBJ(value), jskey_from_atom_id(t, JS_ATOM_done), value);
        if (d == JSV_EXCEPTION) return fa_reject_pending(t, f);
        if (jsop_to_boolean(d)) return fa_finish(t, f, f->k);
        jsv v = jsobj_get(t, JSV_OBJ(value), jskey_from_atom_id(t, JS_ATOM_value), value);
        if (v == JSV_EXCEPTION) return fa_reject_pending(t, f);
        return fa_value(t, f, v);
    }
    case FA_AWAIT_SYNC_VALUE:
        if (rejected) {
            jsvm_throw(t, value);
            return fa_close_and_reject(t, f);
        }
        return fa_value(t, f, value);
    case FA_AWAIT_ITEM:
        if (rejected) return jsbi_promise_reject(t, f->promise, value) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
        return fa_value(t, f, value);
    case FA_AWAIT_MAPPED:
        if (rejected) {
            if (f->mode == FA_ARRAY_LIKE)
                return jsbi_promise_reject(t, f->promise, value) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
            jsvm_throw(t, value);
            return fa_close_and_reject(t, f);
        }
        if (def_i(t, JSV_OBJ(f->a), (int64_t)f->k, value) < 0)
            return f->mode == FA_ARRAY_LIKE ? fa_reject_pending(t, f) : fa_close_and_reject(t, f);
        f->k++;
        return fa_step(t, f);
    }
    return JSV_UNDEFINED;
}

static jsv array_from_async(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv p = jsbi_promise_new(t);
    if (p == JSV_EXCEPTION) return JSV_EXCEPTION;
    from_async *f = jsgc_alloc(t, sizeof(from_async), JS_CELL_INTERNAL);
    if (!f) return JSV_EXCEPTION;
    f->base.ops = &from_async_ops;
    f->promise = p;
    f->c = this_val;
    f->mapfn = JS_ARG(1);
    f->this_arg = JS_ARG(2);
    f->iter = f->next = f->src = f->a = f->error = JSV_UNDEFINED;
    jsv items = JS_ARG(0);
    if (!jsv_is_undefined(f->mapfn) && !jsop_is_callable(f->mapfn)) {
        jsvm_throw_type_error(t, "Array.fromAsync: mapper is not a function");
        return fa_reject_pending(t, f) == JSV_EXCEPTION ? JSV_EXCEPTION : p;
    }
    jsv m = jsop_get_method(t, items, jsv_symbol(t->rt->wk_symbols[JS_WKS_asyncIterator]));
    if (m == JSV_EXCEPTION) return fa_reject_pending(t, f) == JSV_EXCEPTION ? JSV_EXCEPTION : p;
    f->mode = FA_ASYNC_ITER;
    if (jsv_is_undefined(m)) {
        m = jsop_get_method(t, items, jsv_symbol(t->rt->wk_symbols[JS_WKS_iterator]));
        if (m == JSV_EXCEPTION) return fa_reject_pending(t, f) == JSV_EXCEPTION ? JSV_EXCEPTION : p;
        f->mode = jsv_is_undefined(m) ? FA_ARRAY_LIKE : FA_SYNC_ITER;
    }
    js_object *a;
    if (f->mode != FA_ARRAY_LIKE) {
        js_iter_record it;
        if (jsop_get_iterator_from_method(t, items, m, &it) < 0)
            return fa_reject_pending(t, f) == JSV_EXCEPTION ? JSV_EXCEPTION : p;
        f->iter = it.iterator;
        f->next = it.next_method;
        a = construct_or_array(t, this_val, 0, 0);
    } else {
        jsv o = jsop_to_object(t, items);
        int64_t len = 0;
        if (o == JSV_EXCEPTION || length_of(t, JSV_OBJ(o), &len) < 0)
            return fa_reject_pending(t, f) == JSV_EXCEPTION ? JSV_EXCEPTION : p;
        f->src = o;
        f->len = (double)len;
        a = construct_or_array(t, this_val, 1, (double)len);
    }
    if (!a) return fa_reject_pending(t, f) == JSV_EXCEPTION ? JSV_EXCEPTION : p;
    f->a = jsv_object(a);
    f->k = 0;
    if (fa_step(t, f) == JSV_EXCEPTION) return JSV_EXCEPTION;
    return p;
}

/* ---- Array.prototype ---- */

static int is_concat_spreadable(js_thread *t, jsv o)
{
    if (!jsv_is_object(o)) return 0;
    jsv s = jsobj_get(t, JSV_OBJ(o), jsv_symbol(t->rt->wk_symbols[JS_WKS_isConcatSpreadable]), o);
    if (s == JSV_EXCEPTION) return -1;
    if (!jsv_is_undefined(s)) return jsop_to_boolean(s);
    return jsobj_is_array(t, o);
}

static jsv proto_concat(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    if (!o) return JSV_EXCEPTION;
    js_object *a = species_create(t, o, 0);
    if (!a) return JSV_EXCEPTION;
    int64_t n = 0;
    for (int i = -1; i < argc; i++) {
        jsv e = i < 0 ? jsv_object(o) : argv[i];
        int sp = is_concat_spreadable(t, e);
        if (sp < 0) return JSV_EXCEPTION;
        if (sp) {
            js_object *eo = JSV_OBJ(e);
            int64_t len;
            if (length_of(t, eo, &len) < 0) return JSV_EXCEPTION;
            if ((double)n + (double)len > MAX_SAFE) return jsvm_throw_type_error(t, "array too long");
            for (int64_t k = 0; k < len; k++, n++) {
                jsv v;
                if (jsobj_class(eo) == JS_CLASS_ARRAY && k < 4294967295LL && jsarray_fast_get(eo, (uint32_t)k, &v)) {
                    if (def_i(t, a, n, v) < 0) return JSV_EXCEPTION;
                    continue;
                }
                int h = has_i(t, eo, k);
                if (h < 0) return JSV_EXCEPTION;
                if (!h) continue;
                v = get_i(t, eo, k);
                if (v == JSV_EXCEPTION || def_i(t, a, n, v) < 0) return JSV_EXCEPTION;
            }
        } else {
            if ((double)n >= MAX_SAFE) return jsvm_throw_type_error(t, "array too long");
            if (def_i(t, a, n, e) < 0) return JSV_EXCEPTION;
            n++;
        }
    }
    if (set_length(t, a, (double)n) < 0) return JSV_EXCEPTION;
    return jsv_object(a);
}

static jsv proto_at(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    double d;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (jsop_to_integer_or_infinity(t, JS_ARG(0), &d) < 0) return JSV_EXCEPTION;
    if (d < 0) d += (double)len;
    if (d < 0 || d >= (double)len) return JSV_UNDEFINED;
    return get_i(t, o, (int64_t)d);
}

static jsv proto_copy_within(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len, to, from, fin;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (rel_index(t, JS_ARG(0), len, 0, &to) < 0 || rel_index(t, JS_ARG(1), len, 0, &from) < 0 ||
        rel_index(t, JS_ARG(2), len, len, &fin) < 0) return JSV_EXCEPTION;
    int64_t count = fin - from;
    if (len - to < count) count = len - to;
    int dir = 1;
    if (from < to && to < from + count) { dir = -1; from += count - 1; to += count - 1; }
    while (count > 0) {
        int h = has_i(t, o, from);
        if (h < 0) return JSV_EXCEPTION;
        if (h) {
            jsv v = get_i(t, o, from);
            if (v == JSV_EXCEPTION || set_i(t, o, to, v) < 0) return JSV_EXCEPTION;
        } else if (del_i(t, o, to) < 0) return JSV_EXCEPTION;
        from += dir; to += dir; count--;
    }
    return jsv_object(o);
}

/* every/some/forEach/map/filter share one loop. */
enum { IT_EVERY, IT_SOME, IT_FOREACH, IT_MAP, IT_FILTER };

static jsv proto_iterate(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    jsv fn = JS_ARG(0), this_arg = JS_ARG(1);
    if (require_callable(t, fn) < 0) return JSV_EXCEPTION;
    js_object *a = NULL;
    int64_t to = 0;
    if (magic == IT_MAP || magic == IT_FILTER) {
        a = species_create(t, o, magic == IT_MAP ? (double)len : 0);
        if (!a) return JSV_EXCEPTION;
    }
    for (int64_t k = 0; k < len; k++) {
        int h = has_i(t, o, k);
        if (h < 0) return JSV_EXCEPTION;
        if (!h) continue;
        jsv v = get_i(t, o, k);
        if (v == JSV_EXCEPTION) return JSV_EXCEPTION;
        jsv args[3] = { v, jsv_number((double)k), jsv_object(o) };
        jsv r = jsvm_call(t, fn, this_arg, 3, args);
        if (r == JSV_EXCEPTION) return JSV_EXCEPTION;
        switch (magic) {
        case IT_EVERY: if (!jsop_to_boolean(r)) return JSV_FALSE; break;
        case IT_SOME: if (jsop_to_boolean(r)) return JSV_TRUE; break;
        case IT_MAP: if (def_i(t, a, k, r) < 0) return JSV_EXCEPTION; break;
        case IT_FILTER:
            if (jsop_to_boolean(r)) {
                if (def_i(t, a, to, v) < 0) return JSV_EXCEPTION;
                to++;
            }
            break;
        }
    }
    switch (magic) {
    case IT_EVERY: return JSV_TRUE;
    case IT_SOME: return JSV_FALSE;
    case IT_FOREACH: return JSV_UNDEFINED;
    default: return jsv_object(a);
    }
}

static jsv proto_fill(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len, k, fin;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (rel_index(t, JS_ARG(1), len, 0, &k) < 0 || rel_index(t, JS_ARG(2), len, len, &fin) < 0) return JSV_EXCEPTION;
    for (; k < fin; k++)
        if (set_i(t, o, k, JS_ARG(0)) < 0) return JSV_EXCEPTION;
    return jsv_object(o);
}

/* find, findIndex, findLast, findLastIndex: magic bit 1 = from the end, bit 2 = index */
static jsv proto_find(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    jsv fn = JS_ARG(0);
    if (require_callable(t, fn) < 0) return JSV_EXCEPTION;
    for (int64_t i = 0; i < len; i++) {
        int64_t k = (magic & 1) ? len - 1 - i : i;
        jsv v = get_i(t, o, k);
        if (v == JSV_EXCEPTION) return JSV_EXCEPTION;
        jsv args[3] = { v, jsv_number((double)k), jsv_object(o) };
        jsv r = jsvm_call(t, fn, JS_ARG(1), 3, args);
        if (r == JSV_EXCEPTION) return JSV_EXCEPTION;
        if (jsop_to_boolean(r)) return (magic & 2) ? jsv_number((double)k) : v;
    }
    return (magic & 2) ? jsv_from_int(-1) : JSV_UNDEFINED;
}

/* FlattenIntoArray; returns the new target index or -1. */
static double flatten_into(js_thread *t, js_object *target, js_object *src, int64_t srclen, double start,
                           double depth, jsv mapfn, jsv this_arg)
{
    double ti = start;
    if (jsvm_check_stack(t) < 0) return -1;
    for (int64_t si = 0; si < srclen; si++) {
        int h = has_i(t, src, si);
        if (h < 0) return -1;
        if (!h) continue;
        jsv e = get_i(t, src, si);
        if (e == JSV_EXCEPTION) return -1;
        if (!jsv_is_undefined(mapfn)) {
            jsv args[3] = { e, jsv_number((double)si), jsv_object(src) };
            e = jsvm_call(t, mapfn, this_arg, 3, args);
            if (e == JSV_EXCEPTION) return -1;
        }
        int flatten = 0;
        if (depth > 0) {
            flatten = jsobj_is_array(t, e);
            if (flatten < 0) return -1;
        }
        if (flatten) {
            int64_t el;
            if (length_of(t, JSV_OBJ(e), &el) < 0) return -1;
            ti = flatten_into(t, target, JSV_OBJ(e), el, ti, depth - 1, JSV_UNDEFINED, JSV_UNDEFINED);
            if (ti < 0) return -1;
        } else {
            if (ti >= MAX_SAFE) { jsvm_throw_type_error(t, "array too long"); return -1; }
            if (def_i(t, target, (int64_t)ti, e) < 0) return -1;
            ti++;
        }
    }
    return ti;
}

static jsv proto_flat(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    double depth = 1;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (!jsv_is_undefined(JS_ARG(0))) {
        if (jsop_to_integer_or_infinity(t, JS_ARG(0), &depth) < 0) return JSV_EXCEPTION;
        if (depth < 0) depth = 0;
    }
    js_object *a = species_create(t, o, 0);
    if (!a) return JSV_EXCEPTION;
    if (flatten_into(t, a, o, len, 0, depth, JSV_UNDEFINED, JSV_UNDEFINED) < 0) return JSV_EXCEPTION;
    return jsv_object(a);
}

static jsv proto_flat_map(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (require_callable(t, JS_ARG(0)) < 0) return JSV_EXCEPTION;
    js_object *a = species_create(t, o, 0);
    if (!a) return JSV_EXCEPTION;
    if (flatten_into(t, a, o, len, 0, 1, JS_ARG(0), JS_ARG(1)) < 0) return JSV_EXCEPTION;
    return jsv_object(a);
}

/* includes (magic 0), indexOf (1), lastIndexOf (2) */
static jsv proto_search(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    double n;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    jsv target = JS_ARG(0);
    if (len == 0) return magic == 0 ? JSV_FALSE : jsv_from_int(-1);
    if (magic == 2) {
        n = (double)len - 1;
        if (argc > 1 && jsop_to_integer_or_infinity(t, argv[1], &n) < 0) return JSV_EXCEPTION;
        if (n == -INFINITY) return jsv_from_int(-1);
        int64_t k = n >= 0 ? (n < (double)len - 1 ? (int64_t)n : len - 1) : (int64_t)((double)len + n);
        for (; k >= 0; k--) {
            int h = has_i(t, o, k);
            if (h < 0) return JSV_EXCEPTION;
            if (!h) continue;
            jsv v = get_i(t, o, k);
            if (v == JSV_EXCEPTION) return JSV_EXCEPTION;
            if (jsop_strict_equals(v, target)) return jsv_number((double)k);
        }
        return jsv_from_int(-1);
    }
    if (jsop_to_integer_or_infinity(t, JS_ARG(1), &n) < 0) return JSV_EXCEPTION;
    if (n == INFINITY) return magic == 0 ? JSV_FALSE : jsv_from_int(-1);
    if (n == -INFINITY) n = 0;
    int64_t k;
    if (n >= 0) k = (int64_t)n;
    else { double kk = (double)len + n; k = kk < 0 ? 0 : (int64_t)kk; }
    for (; k < len; k++) {
        if (magic == 0) {
            jsv v = get_i(t, o, k);
            if (v == JSV_EXCEPTION) return JSV_EXCEPTION;
            if (jsop_same_value_zero(v, target)) return JSV_TRUE;
        } else {
            int h = has_i(t, o, k);
            if (h < 0) return JSV_EXCEPTION;
            if (!h) continue;
            jsv v = get_i(t, o, k);
            if (v == JSV_EXCEPTION) return JSV_EXCEPTION;
            if (jsop_strict_equals(v, target)) return jsv_number((double)k);
        }
    }
    return magic == 0 ? JSV_FALSE : jsv_from_int(-1);
}

/* join (magic 0) and toLocaleString (magic 1) */
static jsv proto_join(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    js_string *sep = NULL;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (jsvm_check_stack(t) < 0) return JSV_EXCEPTION;
    if (magic == 0 && !jsv_is_undefined(JS_ARG(0))) {
        sep = jsop_to_string(t, argv[0]);
        if (!sep) return JSV_EXCEPTION;
    } else {
        sep = jsstr_new_latin1(t, (const uint8_t *)",", 1);
        if (!sep) return JSV_EXCEPTION;
    }
    sbuf b = { 0 };
    for (int64_t k = 0; k < len; k++) {
        if (k > 0 && sep->len && sb_add_str(t, &b, sep) < 0) goto fail;
        jsv v = get_i(t, o, k);
        if (v == JSV_EXCEPTION) goto fail;
        if (jsv_is_nullish(v)) continue;
        if (magic == 1) {
            v = jsvm_invoke(t, v, jskey_from_cstr(t, "toLocaleString"), 0, NULL);
            if (v == JSV_EXCEPTION) goto fail;
        }
        js_string *s = jsop_to_string(t, v);
        if (!s || sb_add_str(t, &b, s) < 0) goto fail;
    }
    js_string *r = sb_finish(t, &b);
    return r ? jsv_string(r) : JSV_EXCEPTION;
fail:
    free(b.p);
    return JSV_EXCEPTION;
}

static jsv proto_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    if (!o) return JSV_EXCEPTION;
    jsv f = jsobj_get(t, o, atom_key(t, JS_ATOM_join), jsv_object(o));
    if (f == JSV_EXCEPTION) return JSV_EXCEPTION;
    if (!jsop_is_callable(f)) {
        f = jsrt_intrinsic(t, JS_INTR_ObjectProto_toString);
        if (!jsop_is_callable(f)) {
            f = jsobj_get(t, jsrt_intrinsic_obj(t, JS_INTR_ObjectPrototype), atom_key(t, JS_ATOM_toString),
                          jsrt_intrinsic(t, JS_INTR_ObjectPrototype));
            if (f == JSV_EXCEPTION) return JSV_EXCEPTION;
        }
    }
    return jsvm_call(t, f, jsv_object(o), 0, NULL);
}

static jsv proto_pop(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (len == 0) return set_length(t, o, 0) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
    jsv v = get_i(t, o, len - 1);
    if (v == JSV_EXCEPTION || del_i(t, o, len - 1) < 0 || set_length(t, o, (double)(len - 1)) < 0) return JSV_EXCEPTION;
    return v;
}

/* Can elements be appended to o without any observable step? True for an
 * extensible dense array with writable length whose prototypes are the
 * realm's untouched-by-indexes Array.prototype and Object.prototype. */
static int can_append_fast(js_thread *t, js_object *o)
{
    if (jsobj_class(o) != JS_CLASS_ARRAY) return 0;
    js_array *a = (js_array *)o;
    if ((o->h.flags & (JS_OBJ_SPARSE | JS_OBJ_FROZEN_ELEMS)) || !(o->h.flags & JS_OBJ_EXTENSIBLE) ||
        !a->length_writable || o->elen != a->length)
        return 0;
    jsv ap = o->shape->proto;
    if (ap != jsrt_intrinsic(t, JS_INTR_ArrayPrototype)) return 0;
    js_object *apo = JSV_OBJ(ap);
    if ((apo->h.flags & JS_OBJ_SPARSE) || apo->elen) return 0;
    jsv op = apo->shape->proto;
    if (op != jsrt_intrinsic(t, JS_INTR_ObjectPrototype)) return 0;
    js_object *opo = JSV_OBJ(op);
    return !(opo->h.flags & JS_OBJ_SPARSE) && opo->elen == 0 && jsv_is_null(opo->shape->proto);
}

static jsv proto_push(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (len + argc < 0xFFFFFFFFLL && can_append_fast(t, o)) {
        for (int i = 0; i < argc; i++)
            if (jsarray_push(t, o, argv[i]) < 0) return JSV_EXCEPTION;
        return jsv_number((double)(len + argc));
    }
    if ((double)len + argc > MAX_SAFE) return jsvm_throw_type_error(t, "array length exceeds 2^53-1");
    for (int i = 0; i < argc; i++)
        if (set_i(t, o, len + i, argv[i]) < 0) return JSV_EXCEPTION;
    if (set_length(t, o, (double)(len + argc)) < 0) return JSV_EXCEPTION;
    return jsv_number((double)(len + argc));
}

/* reduce (magic 0), reduceRight (1) */
static jsv proto_reduce(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len, i = 0;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    jsv fn = JS_ARG(0);
    if (require_callable(t, fn) < 0) return JSV_EXCEPTION;
    jsv acc = JSV_UNDEFINED;
    if (argc >= 2) acc = argv[1];
    else {
        int found = 0;
        for (; i < len && !found; i++) {
            int64_t k = magic ? len - 1 - i : i;
            int h = has_i(t, o, k);
            if (h < 0) return JSV_EXCEPTION;
            if (h) {
                acc = get_i(t, o, k);
                if (acc == JSV_EXCEPTION) return JSV_EXCEPTION;
                found = 1;
            }
        }
        if (!found) return jsvm_throw_type_error(t, "Reduce of empty array with no initial value");
    }
    for (; i < len; i++) {
        int64_t k = magic ? len - 1 - i : i;
        int h = has_i(t, o, k);
        if (h < 0) return JSV_EXCEPTION;
        if (!h) continue;
        jsv v = get_i(t, o, k);
        if (v == JSV_EXCEPTION) return JSV_EXCEPTION;
        jsv args[4] = { acc, v, jsv_number((double)k), jsv_object(o) };
        acc = jsvm_call(t, fn, JSV_UNDEFINED, 4, args);
        if (acc == JSV_EXCEPTION) return JSV_EXCEPTION;
    }
    return acc;
}

static jsv proto_reverse(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    for (int64_t lo = 0, hi = len - 1; lo < hi; lo++, hi--) {
        int le = has_i(t, o, lo);
        if (le < 0) return JSV_EXCEPTION;
        jsv lv = JSV_UNDEFINED, hv = JSV_UNDEFINED;
        if (le && (lv = get_i(t, o, lo)) == JSV_EXCEPTION) return JSV_EXCEPTION;
        int he = has_i(t, o, hi);
        if (he < 0) return JSV_EXCEPTION;
        if (he && (hv = get_i(t, o, hi)) == JSV_EXCEPTION) return JSV_EXCEPTION;
        if (le && he) {
            if (set_i(t, o, lo, hv) < 0 || set_i(t, o, hi, lv) < 0) return JSV_EXCEPTION;
        } else if (he) {
            if (set_i(t, o, lo, hv) < 0 || del_i(t, o, hi) < 0) return JSV_EXCEPTION;
        } else if (le) {
            if (del_i(t, o, lo) < 0 || set_i(t, o, hi, lv) < 0) return JSV_EXCEPTION;
        }
    }
    return jsv_object(o);
}

static jsv proto_shift(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (len == 0) return set_length(t, o, 0) < 0 ? JSV_EXCEPTION : JSV_UNDEFINED;
    jsv first = get_i(t, o, 0);
    if (first == JSV_EXCEPTION) return JSV_EXCEPTION;
    for (int64_t k = 1; k < len; k++) {
        int h = has_i(t, o, k);
        if (h < 0) return JSV_EXCEPTION;
        if (h) {
            jsv v = get_i(t, o, k);
            if (v == JSV_EXCEPTION || set_i(t, o, k - 1, v) < 0) return JSV_EXCEPTION;
        } else if (del_i(t, o, k - 1) < 0) return JSV_EXCEPTION;
    }
    if (del_i(t, o, len - 1) < 0 || set_length(t, o, (double)(len - 1)) < 0) return JSV_EXCEPTION;
    return first;
}

static jsv proto_unshift(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (argc > 0) {
        if ((double)len + argc > MAX_SAFE) return jsvm_throw_type_error(t, "array length exceeds 2^53-1");
        for (int64_t k = len; k > 0; k--) {
            int h = has_i(t, o, k - 1);
            if (h < 0) return JSV_EXCEPTION;
            if (h) {
                jsv v = get_i(t, o, k - 1);
                if (v == JSV_EXCEPTION || set_i(t, o, k - 1 + argc, v) < 0) return JSV_EXCEPTION;
            } else if (del_i(t, o, k - 1 + argc) < 0) return JSV_EXCEPTION;
        }
        for (int j = 0; j < argc; j++)
            if (set_i(t, o, j, argv[j]) < 0) return JSV_EXCEPTION;
    }
    if (set_length(t, o, (double)(len + argc)) < 0) return JSV_EXCEPTION;
    return jsv_number((double)(len + argc));
}

static jsv proto_slice(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len, k, fin;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (rel_index(t, JS_ARG(0), len, 0, &k) < 0 || rel_index(t, JS_ARG(1), len, len, &fin) < 0) return JSV_EXCEPTION;
    int64_t count = fin > k ? fin - k : 0;
    js_object *a = species_create(t, o, (double)count);
    if (!a) return JSV_EXCEPTION;
    int64_t n = 0;
    for (; k < fin; k++, n++) {
        int h = has_i(t, o, k);
        if (h < 0) return JSV_EXCEPTION;
        if (!h) continue;
        jsv v = get_i(t, o, k);
        if (v == JSV_EXCEPTION || def_i(t, a, n, v) < 0) return JSV_EXCEPTION;
    }
    if (set_length(t, a, (double)n) < 0) return JSV_EXCEPTION;
    return jsv_object(a);
}

static jsv proto_splice(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len, start, del;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (rel_index(t, JS_ARG(0), len, 0, &start) < 0) return JSV_EXCEPTION;
    int items = argc > 2 ? argc - 2 : 0;
    if (argc == 0) del = 0;
    else if (argc == 1) del = len - start;
    else {
        double dc;
        if (jsop_to_integer_or_infinity(t, argv[1], &dc) < 0) return JSV_EXCEPTION;
        if (dc < 0) dc = 0;
        if (dc > (double)(len - start)) dc = (double)(len - start);
        del = (int64_t)dc;
    }
    if ((double)len + items - del > MAX_SAFE) return jsvm_throw_type_error(t, "array length exceeds 2^53-1");
    js_object *a = species_create(t, o, (double)del);
    if (!a) return JSV_EXCEPTION;
    for (int64_t k = 0; k < del; k++) {
        int h = has_i(t, o, start + k);
        if (h < 0) return JSV_EXCEPTION;
        if (!h) continue;
        jsv v = get_i(t, o, start + k);
        if (v == JSV_EXCEPTION || def_i(t, a, k, v) < 0) return JSV_EXCEPTION;
    }
    if (set_length(t, a, (double)del) < 0) return JSV_EXCEPTION;
    if (items < del) {
        for (int64_t k = start; k < len - del; k++) {
            int h = has_i(t, o, k + del);
            if (h < 0) return JSV_EXCEPTION;
            if (h) {
                jsv v = get_i(t, o, k + del);
                if (v == JSV_EXCEPTION || set_i(t, o, k + items, v) < 0) return JSV_EXCEPTION;
            } else if (del_i(t, o, k + items) < 0) return JSV_EXCEPTION;
        }
        for (int64_t k = len; k > len - del + items; k--)
            if (del_i(t, o, k - 1) < 0) return JSV_EXCEPTION;
    } else if (items > del) {
        for (int64_t k = len - del; k > start; k--) {
            int h = has_i(t, o, k + del - 1);
            if (h < 0) return JSV_EXCEPTION;
            if (h) {
                jsv v = get_i(t, o, k + del - 1);
                if (v == JSV_EXCEPTION || set_i(t, o, k + items - 1, v) < 0) return JSV_EXCEPTION;
            } else if (del_i(t, o, k + items - 1) < 0) return JSV_EXCEPTION;
        }
    }
    for (int i = 0; i < items; i++)
        if (set_i(t, o, start + i, argv[i + 2]) < 0) return JSV_EXCEPTION;
    if (set_length(t, o, (double)(len - del + items)) < 0) return JSV_EXCEPTION;
    return jsv_object(a);
}

/* ---- sorting ---- */

typedef struct sort_ctx { js_thread *t; jsv cmp; } sort_ctx;

/* SortCompare for two values neither of which is undefined: <0, 0, >0 or 2 on exception. */
static int sort_compare(sort_ctx *c, jsv x, jsv y, int *out)
{
    js_thread *t = c->t;
    if (!jsv_is_undefined(c->cmp)) {
        jsv args[2] = { x, y };
        jsv r = jsvm_call(t, c->cmp, JSV_UNDEFINED, 2, args);
        if (r == JSV_EXCEPTION) return -1;
        double d;
        if (jsv_is_int(r)) d = jsv_get_int(r);
        else if (jsop_to_number(t, r, &d) < 0) return -1;
        *out = d < 0 ? -1 : d > 0 ? 1 : 0;
        return 0;
    }
    if (jsv_is_int(x) && jsv_is_int(y)) {
        int32_t a = jsv_get_int(x), b = jsv_get_int(y);
        if (a >= 0 && b >= 0 && (a < 10) == (b < 10) && a < 10) { *out = a < b ? -1 : a > b; return 0; }
    }
    js_string *xs = jsv_is_string(x) ? JSV_STR(x) : jsop_to_string(t, x);
    if (!xs) return -1;
    js_string *ys = jsv_is_string(y) ? JSV_STR(y) : jsop_to_string(t, y);
    if (!ys) return -1;
    *out = jsstr_compare(xs, ys);
    return 0;
}

/* Stable merge sort of a[0..n) using tmp[0..n) as scratch. Both live in traced lists. */
static int merge_sort(sort_ctx *c, jsv *a, jsv *tmp, uint32_t n)
{
    /* insertion sort small runs */
    const uint32_t RUN = 8;
    for (uint32_t lo = 0; lo < n; lo += RUN) {
        uint32_t hi = lo + RUN < n ? lo + RUN : n;
        for (uint32_t i = lo + 1; i < hi; i++) {
            jsv v = a[i];
            uint32_t j = i;
            while (j > lo) {
                int r;
                if (sort_compare(c, a[j - 1], v, &r) < 0) return -1;
                if (r <= 0) break;
                a[j] = a[j - 1];
                j--;
            }
            a[j] = v;
        }
    }
    for (uint32_t w = RUN; w < n; w *= 2) {
        for (uint32_t lo = 0; lo < n; lo += 2 * w) {
            uint32_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            uint32_t i = lo, j = mid, k = lo;
            if (mid >= hi) { memcpy(tmp + lo, a + lo, (hi - lo) * sizeof(jsv)); continue; }
            while (i < mid && j < hi) {
                int r;
                if (sort_compare(c, a[i], a[j], &r) < 0) return -1;
                if (r <= 0) tmp[k++] = a[i++];
                else tmp[k++] = a[j++];
            }
            while (i < mid) tmp[k++] = a[i++];
            while (j < hi) tmp[k++] = a[j++];
        }
        memcpy(a, tmp, n * sizeof(jsv));
        if (w > 0x7fffffffu) break;
    }
    return 0;
}

/* SortIndexedProperties with holes skipped (skip_holes) or read as undefined.
 * Returns the sorted traced list (undefineds last) or NULL. */
static js_object *sort_indexed(js_thread *t, js_object *o, int64_t len, jsv cmp, int skip_holes)
{
    if (len > 0xFFFFFFF0LL) { jsvm_throw_range_error(t, "array too large to sort"); return NULL; }
    js_object *l = vlist_new(t, 0);
    if (!l) return NULL;
    uint32_t undefs = 0;
    for (int64_t k = 0; k < len; k++) {
        if (skip_holes) {
            int h = has_i(t, o, k);
            if (h < 0) return NULL;
            if (!h) continue;
        }
        jsv v = get_i(t, o, k);
        if (v == JSV_EXCEPTION) return NULL;
        if (jsv_is_undefined(v)) { undefs++; continue; }
        if (vlist_push(t, l, v) < 0) return NULL;
    }
    uint32_t n = l->elen;
    js_object *tmp = vlist_new(t, n ? n : 1);
    if (!tmp) return NULL;
    for (uint32_t i = 0; i < n; i++) tmp->elems[i] = JSV_UNDEFINED;
    tmp->elen = n;
    sort_ctx c = { t, cmp };
    if (merge_sort(&c, l->elems, tmp->elems, n) < 0) return NULL;
    for (uint32_t i = 0; i < undefs; i++)
        if (vlist_push(t, l, JSV_UNDEFINED) < 0) return NULL;
    return l;
}

static jsv proto_sort(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv cmp = JS_ARG(0);
    if (!jsv_is_undefined(cmp) && !jsop_is_callable(cmp))
        return jsvm_throw_type_error(t, "The comparison function must be either a function or undefined");
    js_object *o = this_obj(t, this_val);
    int64_t len;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    js_object *l = sort_indexed(t, o, len, cmp, 1);
    if (!l) return JSV_EXCEPTION;
    uint32_t n = l->elen, i;
    for (i = 0; i < n; i++)
        if (set_i(t, o, i, l->elems[i]) < 0) return JSV_EXCEPTION;
    for (int64_t k = n; k < len; k++)
        if (del_i(t, o, k) < 0) return JSV_EXCEPTION;
    return jsv_object(o);
}

static jsv proto_to_sorted(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv cmp = JS_ARG(0);
    if (!jsv_is_undefined(cmp) && !jsop_is_callable(cmp))
        return jsvm_throw_type_error(t, "The comparison function must be either a function or undefined");
    js_object *o = this_obj(t, this_val);
    int64_t len;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    js_object *a = array_create(t, (double)len, JSV_UNDEFINED);
    if (!a) return JSV_EXCEPTION;
    js_object *l = sort_indexed(t, o, len, cmp, 0);
    if (!l) return JSV_EXCEPTION;
    for (uint32_t i = 0; i < l->elen; i++)
        if (def_i(t, a, i, l->elems[i]) < 0) return JSV_EXCEPTION;
    return jsv_object(a);
}

static jsv proto_to_reversed(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    js_object *a = array_create(t, (double)len, JSV_UNDEFINED);
    if (!a) return JSV_EXCEPTION;
    for (int64_t k = 0; k < len; k++) {
        jsv v = get_i(t, o, len - 1 - k);
        if (v == JSV_EXCEPTION || def_i(t, a, k, v) < 0) return JSV_EXCEPTION;
    }
    return jsv_object(a);
}

static jsv proto_to_spliced(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len, start, skip;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (rel_index(t, JS_ARG(0), len, 0, &start) < 0) return JSV_EXCEPTION;
    int items = argc > 2 ? argc - 2 : 0;
    if (argc == 0) skip = 0;
    else if (argc == 1) skip = len - start;
    else {
        double dc;
        if (jsop_to_integer_or_infinity(t, argv[1], &dc) < 0) return JSV_EXCEPTION;
        if (dc < 0) dc = 0;
        if (dc > (double)(len - start)) dc = (double)(len - start);
        skip = (int64_t)dc;
    }
    double newlen = (double)len + items - (double)skip;
    if (newlen > MAX_SAFE) return jsvm_throw_type_error(t, "array length exceeds 2^53-1");
    js_object *a = array_create(t, newlen, JSV_UNDEFINED);
    if (!a) return JSV_EXCEPTION;
    int64_t i = 0, r = start + skip;
    for (; i < start; i++) {
        jsv v = get_i(t, o, i);
        if (v == JSV_EXCEPTION || def_i(t, a, i, v) < 0) return JSV_EXCEPTION;
    }
    for (int j = 0; j < items; j++, i++)
        if (def_i(t, a, i, argv[j + 2]) < 0) return JSV_EXCEPTION;
    for (; i < (int64_t)newlen; i++, r++) {
        jsv v = get_i(t, o, r);
        if (v == JSV_EXCEPTION || def_i(t, a, i, v) < 0) return JSV_EXCEPTION;
    }
    return jsv_object(a);
}

static jsv proto_with(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o = this_obj(t, this_val);
    int64_t len;
    double rel;
    if (!o || length_of(t, o, &len) < 0) return JSV_EXCEPTION;
    if (jsop_to_integer_or_infinity(t, JS_ARG(0), &rel) < 0) return JSV_EXCEPTION;
    double act = rel >= 0 ? rel : (double)len + rel;
    if (act >= (double)len || act < 0) return jsvm_throw_range_error(t, "Invalid index");
    js_object *a = array_create(t, (double)len, JSV_UNDEFINED);
    if (!a) return JSV_EXCEPTION;
    for (int64_t k = 0; k < len; k++) {
        jsv v = k == (int64_t)act ? JS_ARG(1) : get_i(t, o, k);
        if (v == JSV_EXCEPTION || def_i(t, a, k, v) < 0) return JSV_EXCEPTION;
    }
    return jsv_object(a);
}

/* ---- %ArrayIteratorPrototype% ---- */

typedef struct js_array_iterator {
    js_object base;
    jsv iterated;        /* undefined once exhausted */
    int64_t index;
    int kind;            /* 0 keys, 1 values, 2 entries */
} js_array_iterator;

static void array_iterator_trace(js_gc_tracer *trc, js_object *o)
{
    jsgc_mark_value(trc, ((js_array_iterator *)o)->iterated);
}

const js_class_ops jsclass_array_iterator = {
    .name = "Array Iterator",
    .size = sizeof(js_array_iterator),
    .trace = array_iterator_trace,
};

jsv jsbi_create_array_iterator(js_thread *t, jsv obj, int kind)
{
    js_array_iterator *it = (js_array_iterator *)jsobj_new(t, jsrt_intrinsic(t, JS_INTR_ArrayIteratorPrototype),
                                                           JS_CLASS_ARRAY_ITERATOR);
    if (!it) return JSV_EXCEPTION;
    it->iterated = obj;
    it->index = 0;
    it->kind = kind;
    return jsv_object(it);
}

/* keys (0), values (1), entries (2) */
static jsv proto_iter(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv o = jsop_to_object(t, this_val);
    if (o == JSV_EXCEPTION) return JSV_EXCEPTION;
    return jsbi_create_array_iterator(t, o, magic);
}

static jsv array_iterator_next(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val) || jsobj_class(JSV_OBJ(this_val)) != JS_CLASS_ARRAY_ITERATOR)
        return jsvm_throw_type_error(t, "next called on an object that is not an Array Iterator");
    js_array_iterator *it = (js_array_iterator *)JSV_OBJ(this_val);
    if (jsv_is_undefined(it->iterated)) return jsop_create_iter_result(t, JSV_UNDEFINED, 1);
    js_object *a = JSV_OBJ(it->iterated);
    int64_t len;
    if (jsobj_class(a) == JS_CLASS_TYPED_ARRAY && jsbi_typed_array_length) {
        if (jsbi_typed_array_length(t, a, &len) < 0) return JSV_EXCEPTION;
    } else if (length_of(t, a, &len) < 0) return JSV_EXCEPTION;
    int64_t i = it->index;
    if (i >= len) {
        it->iterated = JSV_UNDEFINED;
        return jsop_create_iter_result(t, JSV_UNDEFINED, 1);
    }
    it->index = i + 1;
    if (it->kind == 0) return jsop_create_iter_result(t, jsv_number((double)i), 0);
    jsv v = get_i(t, a, i);
    if (v == JSV_EXCEPTION) return JSV_EXCEPTION;
    if (it->kind == 1) return jsop_create_iter_result(t, v, 0);
    jsv pair[2] = { jsv_number((double)i), v };
    js_object *e = jsobj_new_array_from(t, 2, pair);
    if (!e) return JSV_EXCEPTION;
    return jsop_create_iter_result(t, jsv_object(e), 0);
}

/* ---- set-up ---- */

typedef struct fn_entry { const char *name; js_native_fn fn; int length; int magic; } fn_entry;

static const fn_entry proto_fns[] = {
    { "at", proto_at, 1, 0 },
    { "concat", proto_concat, 1, 0 },
    { "copyWithin", proto_copy_within, 2, 0 },
    { "entries", proto_iter, 0, 2 },
    { "every", proto_iterate, 1, IT_EVERY },
    { "fill", proto_fill, 1, 0 },
    { "filter", proto_iterate, 1, IT_FILTER },
    { "find", proto_find, 1, 0 },
    { "findIndex", proto_find, 1, 2 },
    { "findLast", proto_find, 1, 1 },
    { "findLastIndex", proto_find, 1, 3 },
    { "flat", proto_flat, 0, 0 },
    { "flatMap", proto_flat_map, 1, 0 },
    { "forEach", proto_iterate, 1, IT_FOREACH },
    { "includes", proto_search, 1, 0 },
    { "indexOf", proto_search, 1, 1 },
    { "join", proto_join, 1, 0 },
    { "keys", proto_iter, 0, 0 },
    { "lastIndexOf", proto_search, 1, 2 },
    { "map", proto_iterate, 1, IT_MAP },
    { "pop", proto_pop, 0, 0 },
    { "push", proto_push, 1, 0 },
    { "reduce", proto_reduce, 1, 0 },
    { "reduceRight", proto_reduce, 1, 1 },
    { "reverse", proto_reverse, 0, 0 },
    { "shift", proto_shift, 0, 0 },
    { "slice", proto_slice, 2, 0 },
    { "some", proto_iterate, 1, IT_SOME },
    { "sort", proto_sort, 1, 0 },
    { "splice", proto_splice, 2, 0 },
    { "toLocaleString", proto_join, 0, 1 },
    { "toReversed", proto_to_reversed, 0, 0 },
    { "toSorted", proto_to_sorted, 1, 0 },
    { "toSpliced", proto_to_spliced, 2, 0 },
    { "toString", proto_to_string, 0, 0 },
    { "unshift", proto_unshift, 1, 0 },
    { "with", proto_with, 2, 0 },
};

static const char *const unscopables[] = {
    "at", "copyWithin", "entries", "fill", "find", "findIndex", "findLast", "findLastIndex",
    "flat", "flatMap", "includes", "keys", "toReversed", "toSorted", "toSpliced", "values",
};

int jsbi_init_array(js_thread *t, js_realm *realm)
{
    js_object *proto = jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_ARRAY);
    if (!proto) return -1;
    ((js_array *)proto)->length_writable = 1;
    /* Array.prototype is itself an Array exotic object with length 0 */
    if (jsobj_get_own_property(t, proto, atom_key(t, JS_ATOM_length), &(js_propdesc){0}) == 0 &&
        jsobj_define_value(t, proto, atom_key(t, JS_ATOM_length), jsv_from_int(0), JS_PROP_WRITABLE) < 0)
        return -1;
    realm->intrinsics[JS_INTR_ArrayPrototype] = jsv_object(proto);
    js_object *ctor = jsbi_make_ctor(t, realm, "Array", 1, array_call, array_construct, 0, proto,
                                     JS_INTR_Array, JS_INTR_ArrayPrototype);
    if (!ctor) return -1;
    if (jsobj_define_fn(t, ctor, "from", array_from, 1, 0) < 0 ||
        jsobj_define_fn(t, ctor, "fromAsync", array_from_async, 1, 0) < 0 ||
        jsobj_define_fn(t, ctor, "isArray", array_is_array, 1, 0) < 0 ||
        jsobj_define_fn(t, ctor, "of", array_of, 0, 0) < 0)
        return -1;
    if (jsobj_define_getset(t, ctor, jsv_symbol(t->rt->wk_symbols[JS_WKS_species]), array_species_getter, NULL, 0) < 0)
        return -1;
    for (size_t i = 0; i < sizeof proto_fns / sizeof proto_fns[0]; i++)
        if (jsobj_define_fn(t, proto, proto_fns[i].name, proto_fns[i].fn, proto_fns[i].length, proto_fns[i].magic) < 0)
            return -1;
    js_object *values = jsfn_new_native(t, proto_iter, atom_key(t, JS_ATOM_values), 0, 1);
    if (!values) return -1;
    realm->intrinsics[JS_INTR_ArrayProto_values] = jsv_object(values);
    if (jsobj_define_value(t, proto, atom_key(t, JS_ATOM_values), jsv_object(values), JS_PROP_C_W) < 0 ||
        jsobj_define_value(t, proto, jsv_symbol(t->rt->wk_symbols[JS_WKS_iterator]), jsv_object(values), JS_PROP_C_W) < 0)
        return -1;
    js_object *unsc = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    if (!unsc) return -1;
    for (size_t i = 0; i < sizeof unscopables / sizeof unscopables[0]; i++) {
        js_key k = jskey_from_cstr(t, unscopables[i]);
        if (k == JSV_EXCEPTION || jsobj_define_value(t, unsc, k, JSV_TRUE, JS_PROP_C_W_E) < 0) return -1;
    }
    if (jsobj_define_value(t, proto, jsv_symbol(t->rt->wk_symbols[JS_WKS_unscopables]), jsv_object(unsc),
                           JS_PROP_CONFIGURABLE) < 0)
        return -1;

    /* %ArrayIteratorPrototype% */
    js_object *itp = jsbi_iterator_prototype(t, realm);
    if (!itp) return -1;
    js_object *ip = jsobj_new(t, jsv_object(itp), JS_CLASS_OBJECT);
    if (!ip) return -1;
    if (jsobj_define_fn(t, ip, "next", array_iterator_next, 0, 0) < 0 || jsbi_set_tag(t, ip, "Array Iterator") < 0)
        return -1;
    realm->intrinsics[JS_INTR_ArrayIteratorPrototype] = jsv_object(ip);

    /* %Object.prototype.toString% for Array.prototype.toString's fallback */
    if (jsv_is_undefined(realm->intrinsics[JS_INTR_ObjectProto_toString])) {
        js_object *op = JSV_OBJ(realm->intrinsics[JS_INTR_ObjectPrototype]);
        js_propdesc d;
        int r = jsobj_get_own_property(t, op, atom_key(t, JS_ATOM_toString), &d);
        if (r < 0) return -1;
        if (r > 0 && (d.flags & JS_DESC_HAS_VALUE)) realm->intrinsics[JS_INTR_ObjectProto_toString] = d.value;
    }
    return 0;
}
