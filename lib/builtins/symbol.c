/*
 * symbol.c - the Symbol constructor, the runtime-wide Symbol.for registry
 * (rt->symbol_registry: a null-prototype object mapping key -> symbol, shared by
 * every realm of the runtime), the well-known symbols and Symbol.prototype.
 * Must not touch: symbol cell layout (lib/core/string.c creates symbols).
 */
#include "builtins.h"

#define KEY(atom) jskey_from_atom_id(t, JS_ATOM_##atom)
/* js_symbol.h.flags: registered through Symbol.for (string.h). */
#define SYM_REGISTERED 1

static jsv symbol_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    jsv desc = JS_ARG(0);
    js_symbol *s;

    if (!jsv_is_undefined(new_target))
        return jsvm_throw_type_error(t, "Symbol is not a constructor");
    if (!jsv_is_undefined(desc)) {
        js_string *str = jsop_to_string(t, desc);
        if (!str)
            return JSV_EXCEPTION;
        desc = jsv_string(str);
    }
    s = jssym_new(t, desc);
    return s ? jsv_symbol(s) : JSV_EXCEPTION;
}

static jsv symbol_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return symbol_construct(t, JSV_UNDEFINED, argc, argv, magic);
}

static js_object *registry(js_thread *t)
{
    js_runtime *rt = t->rt;
    if (!rt->symbol_registry)
        rt->symbol_registry = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    return rt->symbol_registry;
}

static jsv symbol_for(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_string *key = jsop_to_string(t, JS_ARG(0));
    js_object *reg;
    js_key k;
    js_propdesc d;
    js_symbol *s;
    int r;

    if (!key)
        return JSV_EXCEPTION;
    reg = registry(t);
    if (!reg)
        return JSV_EXCEPTION;
    k = jskey_from_string(t, key);
    if (k == JSV_EXCEPTION)
        return k;
    r = jsobj_get_own_property(t, reg, k, &d);
    if (r < 0)
        return JSV_EXCEPTION;
    if (r)
        return d.value;
    s = jssym_new(t, jsv_string(key));
    if (!s)
        return JSV_EXCEPTION;
    s->h.flags |= SYM_REGISTERED;
    if (jsobj_define_value(t, reg, k, jsv_symbol(s), JS_PROP_C_W_E) < 0)
        return JSV_EXCEPTION;
    return jsv_symbol(s);
}

static jsv symbol_key_for(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv v = JS_ARG(0);
    if (!jsv_is_symbol(v))
        return jsvm_throw_type_error(t, "Symbol.keyFor: argument is not a symbol");
    if (JSV_SYM(v)->h.flags & SYM_REGISTERED)
        return JSV_SYM(v)->description;
    return JSV_UNDEFINED;
}

static jsv this_symbol_value(js_thread *t, jsv v)
{
    if (jsv_is_symbol(v))
        return v;
    if (jsv_is_object(v) && jsobj_class(JSV_OBJ(v)) == JS_CLASS_SYMBOL)
        return ((js_primitive_object *)JSV_OBJ(v))->value;
    return jsvm_throw_type_error(t, "Symbol.prototype method called on incompatible receiver");
}

static jsv sp_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv s = this_symbol_value(t, this_val);
    js_string *a, *b, *r;
    jsv desc;

    if (s == JSV_EXCEPTION)
        return s;
    desc = JSV_SYM(s)->description;
    a = jsstr_new_cstr(t, "Symbol(");
    b = jsstr_new_cstr(t, ")");
    if (!a || !b)
        return JSV_EXCEPTION;
    r = jsv_is_string(desc) ? jsstr_concat(t, a, JSV_STR(desc)) : a;
    if (r)
        r = jsstr_concat(t, r, b);
    return r ? jsv_string(r) : JSV_EXCEPTION;
}

static jsv sp_value_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return this_symbol_value(t, this_val);
}

static jsv sp_description(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv s = this_symbol_value(t, this_val);
    if (s == JSV_EXCEPTION)
        return s;
    return JSV_SYM(s)->description;
}

static const struct { const char *name; int id; } well_known[] = {
    { "asyncDispose", JS_WKS_asyncDispose },
    { "asyncIterator", JS_WKS_asyncIterator },
    { "dispose", JS_WKS_dispose },
    { "hasInstance", JS_WKS_hasInstance },
    { "isConcatSpreadable", JS_WKS_isConcatSpreadable },
    { "iterator", JS_WKS_iterator },
    { "match", JS_WKS_match },
    { "metadata", JS_WKS_metadata },
    { "matchAll", JS_WKS_matchAll },
    { "replace", JS_WKS_replace },
    { "search", JS_WKS_search },
    { "species", JS_WKS_species },
    { "split", JS_WKS_split },
    { "toPrimitive", JS_WKS_toPrimitive },
    { "toStringTag", JS_WKS_toStringTag },
    { "unscopables", JS_WKS_unscopables },
};

int jsbi_init_symbol(js_thread *t, js_realm *realm)
{
    js_object *proto, *ctor, *f;
    js_key k;

    proto = jsbi_make_proto(t, realm, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
    if (!proto)
        return -1;
    ctor = jsbi_make_ctor(t, realm, "Symbol", 0, symbol_call, symbol_construct, 0,
                          proto, JS_INTR_Symbol, JS_INTR_SymbolPrototype);
    if (!ctor)
        return -1;
    if (jsobj_define_fn(t, ctor, "for", symbol_for, 1, 0) < 0 ||
        jsobj_define_fn(t, ctor, "keyFor", symbol_key_for, 1, 0) < 0)
        return -1;
    for (size_t i = 0; i < sizeof well_known / sizeof well_known[0]; i++) {
        if (jsbi_define_value_cstr(t, ctor, well_known[i].name,
                                   jsv_symbol(t->rt->wk_symbols[well_known[i].id]), 0) < 0)
            return -1;
    }
    if (jsobj_define_fn(t, proto, "toString", sp_to_string, 0, 0) < 0 ||
        jsobj_define_fn(t, proto, "valueOf", sp_value_of, 0, 0) < 0 ||
        jsobj_define_getter(t, proto, "description", sp_description, 0) < 0)
        return -1;
    k = jsv_symbol(t->rt->wk_symbols[JS_WKS_toPrimitive]);
    f = jsfn_new_native(t, sp_value_of, k, 1, 0);
    if (!f || jsobj_define_value(t, proto, k, jsv_object(f), JS_PROP_CONFIGURABLE) < 0)
        return -1;
    if (jsbi_set_tag(t, proto, "Symbol") < 0)
        return -1;
    return registry(t) ? 0 : -1;
}
