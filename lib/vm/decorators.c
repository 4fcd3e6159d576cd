/*
 * decorators.c - applying decorators (proposal-decorators) while a class is
 * defined: the per-class decoration state (the metadata object, the extra
 * initializer lists, the field initializer lists), the context objects given
 * to decorators with their access objects and addInitializer, and the checks
 * on what decorators return. codegen_class.c decides when each step runs;
 * this file never looks at bytecode or the AST.
 */
#include <string.h>
#include "function.h"
#include "interp.h"
#include "vm.h"

/* The state is an internal Array: these slots, then two lists per decorated
 * field (slot numbers chosen by the compiler): the initializers its decorators
 * returned, and what addInitializer added (run right after the field is
 * defined). */
enum { ST_METADATA, ST_STATIC_INITS, ST_INSTANCE_INITS, ST_CLASS_INITS };

/* decoration kinds (low bits of the compiler's flags) */
enum { DK_METHOD = 1, DK_GETTER, DK_SETTER, DK_FIELD, DK_ACCESSOR };
#define DK_STATIC  8
#define DK_PRIVATE 16

static js_key akey(js_thread *t, int id) { return jskey_from_atom_id(t, id); }

/* A built-in closure: fn receives the n data values first (magic = n). */
static js_object *closure_new(js_thread *t, js_native_fn fn, const char *name, int length, int n,
                              const jsv *data)
{
    js_object *target = jsfn_new_native(t, fn, akey(t, JS_ATOM_empty), length, n);
    if (!target) return NULL;
    js_object *f = jsfn_new_bound(t, target, JSV_UNDEFINED, n, data);
    if (!f) return NULL;
    js_string *s = jsstr_new_cstr(t, name);
    if (!s ||
        jsobj_define_value(t, f, akey(t, JS_ATOM_length), jsv_from_int(length), JS_PROP_CONFIGURABLE) < 0 ||
        jsobj_define_value(t, f, akey(t, JS_ATOM_name), jsv_string(s), JS_PROP_CONFIGURABLE) < 0)
        return NULL;
    return f;
}

#define CARG(i) ((magic) + (i) < argc ? argv[(magic) + (i)] : JSV_UNDEFINED)

static int put_cstr(js_thread *t, js_object *o, const char *name, jsv v)
{
    js_key k = jskey_from_cstr(t, name);
    if (k == JSV_EXCEPTION) return -1;
    return jsobj_define_value(t, o, k, v, JS_PROP_C_W_E);
}

static int put_cstr_str(js_thread *t, js_object *o, const char *name, const char *value)
{
    js_string *s = jsstr_new_cstr(t, value);
    if (!s) return -1;
    return put_cstr(t, o, name, jsv_string(s));
}

/* ---- access objects: data = key, flags ---- */

static jsv access_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    (void)this_val;
    jsv key = argv[0], o = CARG(0);
    if (jsv_get_int(argv[1]) & DK_PRIVATE) return jsvm_private_get(t, o, key);
    if (!jsv_is_object(o)) return jsvm_throw_type_error(t, "access.get: the receiver is not an object");
    return jsobj_get(t, JSV_OBJ(o), key, o);
}

static jsv access_set(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    (void)this_val;
    jsv key = argv[0], o = CARG(0), v = CARG(1);
    if (jsv_get_int(argv[1]) & DK_PRIVATE) {
        if (jsvm_private_set(t, o, key, v) < 0) return JSV_EXCEPTION;
        return JSV_UNDEFINED;
    }
    if (!jsv_is_object(o)) return jsvm_throw_type_error(t, "access.set: the receiver is not an object");
    if (jsobj_set_value(t, o, key, v, JS_THROW) < 0) return JSV_EXCEPTION;
    return JSV_UNDEFINED;
}

static jsv access_has(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    (void)this_val;
    jsv key = argv[0], o = CARG(0);
    if (!jsv_is_object(o)) return jsvm_throw_type_error(t, "access.has: the receiver is not an object");
    if (jsv_get_int(argv[1]) & DK_PRIVATE) return jsvm_private_in(t, key, o);
    int r = jsobj_has_property(t, JSV_OBJ(o), key);
    if (r < 0) return JSV_EXCEPTION;
    return r ? JSV_TRUE : JSV_FALSE;
}

/* ---- addInitializer: data = list, done box ---- */

static jsv add_initializer(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    (void)this_val;
    jsv f = CARG(0);
    jsv done = jsobj_get_index(t, JSV_OBJ(argv[1]), 0);
    if (done == JSV_EXCEPTION) return done;
    if (done == JSV_TRUE)
        return jsvm_throw_type_error(t, "addInitializer: the decorator has already finished");
    if (!jsop_is_callable(f)) return jsvm_throw_type_error(t, "addInitializer: the initializer is not a function");
    if (jsarray_push(t, JSV_OBJ(argv[0]), f) < 0) return jsvm_throw_out_of_memory(t);
    return JSV_UNDEFINED;
}

static jsv state_slot(js_thread *t, jsv state, uint32_t i)
{
    return jsobj_get_index(t, JSV_OBJ(state), i);
}

/* The context object common part: kind, name, addInitializer, metadata. The
 * done box turns addInitializer off once the decorator has returned. */
static js_object *context_new(js_thread *t, jsv state, const char *kind, jsv name, jsv list, jsv *done_out)
{
    js_object *ctx = jsobj_new_plain(t), *done = jsobj_new_array(t, 0), *ai;
    if (!ctx || !done || jsarray_push(t, done, JSV_FALSE) < 0) return NULL;
    jsv data[2] = { list, jsv_object(done) };
    if (!(ai = closure_new(t, add_initializer, "addInitializer", 1, 2, data))) return NULL;
    jsv md = state_slot(t, state, ST_METADATA);
    if (md == JSV_EXCEPTION) return NULL;
    if (put_cstr_str(t, ctx, "kind", kind) < 0 || put_cstr(t, ctx, "name", name) < 0) return NULL;
    *done_out = jsv_object(done);
    (void)ai;
    /* addInitializer and metadata come last, after the kind-specific keys */
    done_out[1] = jsv_object(ai);
    done_out[2] = md;
    return ctx;
}

static int context_finish(js_thread *t, js_object *ctx, const jsv *extra)
{
    return put_cstr(t, ctx, "addInitializer", extra[1]) < 0 || put_cstr(t, ctx, "metadata", extra[2]) < 0 ? -1 : 0;
}

static int set_done(js_thread *t, jsv done)
{
    return jsobj_set_index(t, JSV_OBJ(done), 0, JSV_TRUE, JS_THROW);
}

jsv jsdeco_state(js_thread *t, jsv ctor, int derived)
{
    jsv parent_md = JSV_NULL;
    if (derived) {
        jsv parent;
        if (jsobj_get_prototype_of(t, JSV_OBJ(ctor), &parent) < 0) return JSV_EXCEPTION;
        if (jsv_is_object(parent)) {
            jsv m = jsobj_get(t, JSV_OBJ(parent), jsv_symbol(t->rt->wk_symbols[JS_WKS_metadata]), parent);
            if (m == JSV_EXCEPTION) return m;
            if (jsv_is_object(m)) parent_md = m;
        }
    }
    js_object *md = jsobj_new(t, parent_md, JS_CLASS_OBJECT), *st = jsobj_new_array(t, 0);
    if (!md || !st || jsarray_push(t, st, jsv_object(md)) < 0) return jsvm_throw_out_of_memory(t);
    for (int i = 0; i < 3; i++) {
        js_object *l = jsobj_new_array(t, 0);
        if (!l || jsarray_push(t, st, jsv_object(l)) < 0) return jsvm_throw_out_of_memory(t);
    }
    return jsv_object(st);
}

/* The name a context reports: the string or symbol key, "#x" for private names. */
static jsv context_name(js_thread *t, jsv key, int flags)
{
    if (flags & DK_PRIVATE) return JSV_SYM(key)->description;
    if (jsv_is_symbol(key)) return key;
    return jsop_to_string_value(t, key);
}

jsv jsdeco_element(js_thread *t, jsv state, jsv decos, jsv key, jsv value, int flags, int slot)
{
    static const char *const kinds[] = { "", "method", "getter", "setter", "field", "accessor" };
    int kind = flags & 7;
    jsv name = context_name(t, key, flags);
    if (name == JSV_EXCEPTION) return name;
    jsv list;
    js_object *inits = NULL, *extras = NULL;
    int has_inits = kind == DK_FIELD || kind == DK_ACCESSOR;
    jsv pair_get = JSV_UNDEFINED, pair_set = JSV_UNDEFINED;
    if (kind == DK_ACCESSOR) {
        /* value: [get, set] from the compiler */
        pair_get = jsobj_get_index(t, JSV_OBJ(value), 0);
        pair_set = jsobj_get_index(t, JSV_OBJ(value), 1);
        if (pair_get == JSV_EXCEPTION || pair_set == JSV_EXCEPTION) return JSV_EXCEPTION;
    }
    if (has_inits) {
        if (!(inits = jsobj_new_array(t, 0)) || !(extras = jsobj_new_array(t, 0)))
            return jsvm_throw_out_of_memory(t);
        list = jsv_object(extras);
    } else {
        list = state_slot(t, state, (flags & DK_STATIC) ? ST_STATIC_INITS : ST_INSTANCE_INITS);
        if (list == JSV_EXCEPTION) return list;
    }
    jsv n = jsobj_get_value(t, decos, akey(t, JS_ATOM_length));
    if (n == JSV_EXCEPTION) return n;
    for (int i = jsv_get_int(n) / 2 - 1; i >= 0; i--) {
        /* decos: decorator, receiver pairs; innermost (last) first */
        jsv dec = jsobj_get_index(t, JSV_OBJ(decos), 2 * (uint32_t)i), extra[3];
        if (dec == JSV_EXCEPTION) return dec;
        jsv recv = jsobj_get_index(t, JSV_OBJ(decos), 2 * (uint32_t)i + 1);
        if (recv == JSV_EXCEPTION) return recv;
        js_object *ctx = context_new(t, state, kinds[kind], name, list, extra);
        js_object *access = jsobj_new_plain(t);
        if (!ctx || !access) return jsvm_throw_out_of_memory(t);
        jsv data[2] = { key, jsv_from_int(flags) };
        if (kind != DK_SETTER) {
            js_object *g = closure_new(t, access_get, "get", 1, 2, data);
            if (!g || put_cstr(t, access, "get", jsv_object(g)) < 0) return jsvm_throw_out_of_memory(t);
        }
        if (kind == DK_SETTER || kind == DK_FIELD || kind == DK_ACCESSOR) {
            js_object *s = closure_new(t, access_set, "set", 2, 2, data);
            if (!s || put_cstr(t, access, "set", jsv_object(s)) < 0) return jsvm_throw_out_of_memory(t);
        }
        js_object *h = closure_new(t, access_has, "has", 1, 2, data);
        if (!h || put_cstr(t, access, "has", jsv_object(h)) < 0 ||
            put_cstr(t, ctx, "static", (flags & DK_STATIC) ? JSV_TRUE : JSV_FALSE) < 0 ||
            put_cstr(t, ctx, "private", (flags & DK_PRIVATE) ? JSV_TRUE : JSV_FALSE) < 0 ||
            put_cstr(t, ctx, "access", jsv_object(access)) < 0 || context_finish(t, ctx, extra) < 0)
            return jsvm_throw_out_of_memory(t);
        jsv args[2] = { kind == DK_FIELD ? JSV_UNDEFINED : value, jsv_object(ctx) };
        if (kind == DK_ACCESSOR) {
            js_object *pair = jsobj_new_plain(t);
            if (!pair || put_cstr(t, pair, "get", pair_get) < 0 || put_cstr(t, pair, "set", pair_set) < 0)
                return jsvm_throw_out_of_memory(t);
            args[0] = jsv_object(pair);
        }
        jsv r = jsvm_call(t, dec, recv, 2, args);
        if (r == JSV_EXCEPTION || set_done(t, extra[0]) < 0) return JSV_EXCEPTION;
        if (jsv_is_undefined(r)) continue;
        if (kind == DK_ACCESSOR) {
            /* { get, set, init }: each one a function or undefined */
            static const char *const names[] = { "get", "set", "init" };
            jsv got[3];
            if (!jsv_is_object(r))
                return jsvm_throw_type_error(t, "An accessor decorator must return an object or undefined");
            for (int j = 0; j < 3; j++) {
                js_key k = jskey_from_cstr(t, names[j]);
                if (k == JSV_EXCEPTION) return k;
                got[j] = jsobj_get(t, JSV_OBJ(r), k, r);
                if (got[j] == JSV_EXCEPTION) return got[j];
                if (!jsv_is_undefined(got[j]) && !jsop_is_callable(got[j]))
                    return jsvm_throw_type_error(t, "An accessor decorator's '%s' must be a function or undefined", names[j]);
            }
            if (!jsv_is_undefined(got[0])) pair_get = got[0];
            if (!jsv_is_undefined(got[1])) pair_set = got[1];
            if (!jsv_is_undefined(got[2]) && jsarray_push(t, inits, got[2]) < 0) return jsvm_throw_out_of_memory(t);
            continue;
        }
        if (!jsop_is_callable(r))
            return jsvm_throw_type_error(t, "A %s decorator must return a function or undefined", kinds[kind]);
        if (kind == DK_FIELD) {
            if (jsarray_push(t, inits, r) < 0) return jsvm_throw_out_of_memory(t);
        } else
            value = r;
    }
    if (has_inits) {
        /* the spec prepends each one: `@a @b x = v` initializes with b(a(v)) */
        uint32_t n = inits->elen;
        for (uint32_t i = 0; i < n / 2; i++) {
            jsv tmp = inits->elems[i];
            inits->elems[i] = inits->elems[n - 1 - i];
            inits->elems[n - 1 - i] = tmp;
        }
        if (jsobj_set_index(t, JSV_OBJ(state), (uint32_t)slot, jsv_object(inits), JS_THROW) < 0 ||
            jsobj_set_index(t, JSV_OBJ(state), (uint32_t)slot + 1, jsv_object(extras), JS_THROW) < 0)
            return JSV_EXCEPTION;
        if (kind == DK_FIELD) return JSV_UNDEFINED;
        jsv pair[2] = { pair_get, pair_set };
        js_object *a = jsobj_new_array_from(t, 2, pair);
        return a ? jsv_object(a) : jsvm_throw_out_of_memory(t);
    }
    return value;
}

jsv jsdeco_class(js_thread *t, jsv ctor, jsv state, jsv decos, jsv name)
{
    jsv md = state_slot(t, state, ST_METADATA), list = state_slot(t, state, ST_CLASS_INITS);
    if (md == JSV_EXCEPTION || list == JSV_EXCEPTION) return JSV_EXCEPTION;
    js_propdesc d;
    memset(&d, 0, sizeof d);
    d.flags = JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE | JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE | JS_PROP_CONFIGURABLE;
    d.value = md;
    if (jsobj_define_own_property(t, JSV_OBJ(ctor), jsv_symbol(t->rt->wk_symbols[JS_WKS_metadata]), &d, JS_THROW) < 0)
        return JSV_EXCEPTION;
    jsv n = jsobj_get_value(t, decos, akey(t, JS_ATOM_length));
    if (n == JSV_EXCEPTION) return n;
    jsv cls = ctor;
    for (int i = jsv_get_int(n) / 2 - 1; i >= 0; i--) {
        /* decos: decorator, receiver pairs; innermost (last) first */
        jsv dec = jsobj_get_index(t, JSV_OBJ(decos), 2 * (uint32_t)i), extra[3];
        if (dec == JSV_EXCEPTION) return dec;
        jsv recv = jsobj_get_index(t, JSV_OBJ(decos), 2 * (uint32_t)i + 1);
        if (recv == JSV_EXCEPTION) return recv;
        js_object *ctx = context_new(t, state, "class", name, list, extra);
        if (!ctx || context_finish(t, ctx, extra) < 0) return jsvm_throw_out_of_memory(t);
        jsv args[2] = { cls, jsv_object(ctx) };
        jsv r = jsvm_call(t, dec, recv, 2, args);
        if (r == JSV_EXCEPTION || set_done(t, extra[0]) < 0) return JSV_EXCEPTION;
        if (jsv_is_undefined(r)) continue;
        if (!jsop_is_callable(r)) return jsvm_throw_type_error(t, "A class decorator must return a function or undefined");
        cls = r;
    }
    return cls;
}

/* Field initializer lists: each one maps the initial value to a new one. */
jsv jsdeco_call_inits(js_thread *t, jsv recv, jsv list, jsv value)
{
    if (!jsv_is_object(list)) return value;
    jsv n = jsobj_get_value(t, list, akey(t, JS_ATOM_length));
    if (n == JSV_EXCEPTION) return n;
    for (int i = 0; i < jsv_get_int(n); i++) {
        jsv f = jsobj_get_index(t, JSV_OBJ(list), (uint32_t)i);
        if (f == JSV_EXCEPTION) return f;
        value = jsvm_call(t, f, recv, 1, &value);
        if (value == JSV_EXCEPTION) return value;
    }
    return value;
}

/* Extra initializers (addInitializer) run in the order they were added. */
int jsdeco_run_inits(js_thread *t, jsv recv, jsv state, int which)
{
    jsv list = state_slot(t, state, (uint32_t)which);
    if (list == JSV_EXCEPTION) return -1;
    jsv n = jsobj_get_value(t, list, akey(t, JS_ATOM_length));
    if (n == JSV_EXCEPTION) return -1;
    for (int i = 0; i < jsv_get_int(n); i++) {
        jsv f = jsobj_get_index(t, JSV_OBJ(list), (uint32_t)i);
        if (f == JSV_EXCEPTION || jsvm_call(t, f, recv, 0, NULL) == JSV_EXCEPTION) return -1;
    }
    return 0;
}
