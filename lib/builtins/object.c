/*
 * object.c - the Object constructor, its static methods and Object.prototype
 * (including the Annex B __proto__ accessor and __defineGetter__ family).
 * Must not touch: object internals; everything goes through the internal
 * methods of lib/core/object.h so proxies and exotic objects behave.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include "builtins.h"

#define KEY(atom) jskey_from_atom_id(t, JS_ATOM_##atom)

static int is_accessor_desc(const js_propdesc *d)
{
    return (d->flags & (JS_PROP_ACCESSOR | JS_DESC_HAS_GET | JS_DESC_HAS_SET)) != 0;
}

static jsv to_object(js_thread *t, jsv v, js_object **out)
{
    jsv o = jsop_to_object(t, v);
    if (o != JSV_EXCEPTION)
        *out = JSV_OBJ(o);
    return o;
}

/* ---- constructor ---- */

static jsv object_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    jsv v = JS_ARG(0);
    js_object *o;

    if (!jsv_is_undefined(new_target) && new_target != jsrt_intrinsic(t, JS_INTR_Object)) {
        o = jsobj_new_from_ctor(t, new_target, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
        return o ? jsv_object(o) : JSV_EXCEPTION;
    }
    if (jsv_is_nullish(v)) {
        o = jsobj_new_plain(t);
        return o ? jsv_object(o) : JSV_EXCEPTION;
    }
    return jsop_to_object(t, v);
}

static jsv object_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return object_construct(t, JSV_UNDEFINED, argc, argv, magic);
}

/* ---- static methods ---- */

static jsv object_assign(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *to, *from, *keys;
    js_propdesc d;
    jsv r = to_object(t, JS_ARG(0), &to);

    if (r == JSV_EXCEPTION)
        return r;
    for (int i = 1; i < argc; i++) {
        if (jsv_is_nullish(argv[i]))
            continue;
        if (to_object(t, argv[i], &from) == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        keys = jsbi_own_keys(t, from);
        if (!keys)
            return JSV_EXCEPTION;
        for (uint32_t j = 0; j < keys->elen; j++) {
            js_key k = keys->elems[j];
            int present = jsobj_get_own_property(t, from, k, &d);
            jsv v;
            if (present < 0)
                return JSV_EXCEPTION;
            if (!present || !(d.flags & JS_PROP_ENUMERABLE))
                continue;
            v = jsobj_get(t, from, k, jsv_object(from));
            if (v == JSV_EXCEPTION)
                return v;
            if (jsobj_set(t, to, k, v, jsv_object(to), JS_THROW) < 0)
                return JSV_EXCEPTION;
        }
    }
    return jsv_object(to);
}

/* ObjectDefineProperties: all descriptors are read before any is applied. */
static int define_properties(js_thread *t, js_object *o, jsv properties)
{
    js_object *props, *keys, *holder = NULL;
    js_propdesc *descs;
    uint32_t *which = NULL;
    uint32_t n = 0;
    int ret = -1;

    if (to_object(t, properties, &props) == JSV_EXCEPTION)
        return -1;
    keys = jsbi_own_keys(t, props);
    if (!keys)
        return -1;
    descs = keys->elen ? malloc(keys->elen * sizeof *descs) : NULL;
    if (keys->elen && !descs) {
        jsvm_throw_out_of_memory(t);
        return -1;
    }
    /* The descriptor values must stay reachable: keep them in a holder array. */
    holder = jsobj_new_array(t, 0);
    if (!holder)
        goto out;
    if (keys->elen) {
        which = malloc(keys->elen * sizeof *which);
        if (!which) {
            jsvm_throw_out_of_memory(t);
            goto out;
        }
    }
    for (uint32_t j = 0; j < keys->elen; j++) {
        js_key k = keys->elems[j];
        js_propdesc pd;
        int present = jsobj_get_own_property(t, props, k, &pd);
        jsv dobj;
        if (present < 0)
            goto out;
        if (!present || !(pd.flags & JS_PROP_ENUMERABLE))
            continue;
        dobj = jsobj_get(t, props, k, jsv_object(props));
        if (dobj == JSV_EXCEPTION)
            goto out;
        if (jsop_to_property_descriptor(t, dobj, &descs[n]) < 0)
            goto out;
        if (jsarray_push(t, holder, dobj) < 0)
            goto out;
        if ((descs[n].flags & JS_DESC_HAS_VALUE) && jsarray_push(t, holder, descs[n].value) < 0)
            goto out;
        if ((descs[n].flags & JS_DESC_HAS_GET) && jsarray_push(t, holder, descs[n].getter) < 0)
            goto out;
        if ((descs[n].flags & JS_DESC_HAS_SET) && jsarray_push(t, holder, descs[n].setter) < 0)
            goto out;
        which[n++] = j;
    }
    for (uint32_t i = 0; i < n; i++) {
        if (jsobj_define_own_property(t, o, keys->elems[which[i]], &descs[i], JS_THROW) < 0)
            goto out;
    }
    ret = 0;
out:
    free(which);
    free(descs);
    __asm__ volatile("" : : "r"(holder) : "memory");   /* live until the defines are done */
    return ret;
}

static jsv object_create(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv proto = JS_ARG(0);
    js_object *o;

    if (!jsv_is_object(proto) && !jsv_is_null(proto))
        return jsvm_throw_type_error(t, "Object prototype may only be an Object or null");
    o = jsobj_new(t, proto, JS_CLASS_OBJECT);
    if (!o)
        return JSV_EXCEPTION;
    if (!jsv_is_undefined(JS_ARG(1)) && define_properties(t, o, JS_ARG(1)) < 0)
        return JSV_EXCEPTION;
    return jsv_object(o);
}

static jsv object_define_properties(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv o = JS_ARG(0);
    if (!jsv_is_object(o))
        return jsvm_throw_type_error(t, "Object.defineProperties called on non-object");
    if (define_properties(t, JSV_OBJ(o), JS_ARG(1)) < 0)
        return JSV_EXCEPTION;
    return o;
}

static jsv object_define_property(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv o = JS_ARG(0);
    js_propdesc d;
    js_key k;

    if (!jsv_is_object(o))
        return jsvm_throw_type_error(t, "Object.defineProperty called on non-object");
    k = jsop_to_property_key(t, JS_ARG(1));
    if (k == JSV_EXCEPTION)
        return k;
    if (jsop_to_property_descriptor(t, JS_ARG(2), &d) < 0)
        return JSV_EXCEPTION;
    if (jsobj_define_own_property(t, JSV_OBJ(o), k, &d, JS_THROW) < 0)
        return JSV_EXCEPTION;
    return o;
}

/* EnumerableOwnProperties: magic 0 keys, 1 values, 2 entries. */
static jsv object_enum_own(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o, *keys, *res;
    js_propdesc d;

    if (to_object(t, JS_ARG(0), &o) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    keys = jsbi_own_keys(t, o);
    if (!keys)
        return JSV_EXCEPTION;
    res = jsobj_new_array(t, 0);
    if (!res)
        return JSV_EXCEPTION;
    for (uint32_t j = 0; j < keys->elen; j++) {
        js_key k = keys->elems[j];
        jsv kv, v, item;
        int present;
        if (jsv_is_symbol(k))
            continue;
        present = jsobj_get_own_property(t, o, k, &d);
        if (present < 0)
            return JSV_EXCEPTION;
        if (!present || !(d.flags & JS_PROP_ENUMERABLE))
            continue;
        kv = jskey_to_value(t, k);
        if (kv == JSV_EXCEPTION)
            return kv;
        if (magic == 0) {
            item = kv;
        } else {
            v = jsobj_get(t, o, k, jsv_object(o));
            if (v == JSV_EXCEPTION)
                return v;
            if (magic == 1) {
                item = v;
            } else {
                jsv pair[2] = { kv, v };
                js_object *a = jsobj_new_array_from(t, 2, pair);
                if (!a)
                    return JSV_EXCEPTION;
                item = jsv_object(a);
            }
        }
        if (jsarray_push(t, res, item) < 0)
            return JSV_EXCEPTION;
    }
    return jsv_object(res);
}

/* SetIntegrityLevel: magic 0 sealed, 1 frozen. */
static int set_integrity(js_thread *t, js_object *o, int frozen)
{
    js_object *keys;
    int r = jsobj_prevent_extensions(t, o, 0);

    if (r < 0)
        return -1;
    if (!r) {
        jsvm_throw_type_error(t, "cannot prevent extensions");
        return -1;
    }
    keys = jsbi_own_keys(t, o);
    if (!keys)
        return -1;
    for (uint32_t j = 0; j < keys->elen; j++) {
        js_key k = keys->elems[j];
        js_propdesc d = { 0 }, cur;
        if (!frozen) {
            d.flags = JS_DESC_HAS_CONFIGURABLE;
        } else {
            int present = jsobj_get_own_property(t, o, k, &cur);
            if (present < 0)
                return -1;
            if (!present)
                continue;
            d.flags = JS_DESC_HAS_CONFIGURABLE;
            if (!is_accessor_desc(&cur))
                d.flags |= JS_DESC_HAS_WRITABLE;
        }
        if (jsobj_define_own_property(t, o, k, &d, JS_THROW) < 0)
            return -1;
    }
    return 0;
}

static jsv object_seal_freeze(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv o = JS_ARG(0);
    if (!jsv_is_object(o))
        return o;
    if (set_integrity(t, JSV_OBJ(o), magic) < 0)
        return JSV_EXCEPTION;
    return o;
}

/* TestIntegrityLevel: magic 0 sealed, 1 frozen. */
static jsv object_is_sealed_frozen(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv ov = JS_ARG(0);
    js_object *o, *keys;
    int r;

    if (!jsv_is_object(ov))
        return JSV_TRUE;
    o = JSV_OBJ(ov);
    r = jsobj_is_extensible(t, o);
    if (r < 0)
        return JSV_EXCEPTION;
    if (r)
        return JSV_FALSE;
    keys = jsbi_own_keys(t, o);
    if (!keys)
        return JSV_EXCEPTION;
    for (uint32_t j = 0; j < keys->elen; j++) {
        js_propdesc d;
        int present = jsobj_get_own_property(t, o, keys->elems[j], &d);
        if (present < 0)
            return JSV_EXCEPTION;
        if (!present)
            continue;
        if (d.flags & JS_PROP_CONFIGURABLE)
            return JSV_FALSE;
        if (magic && !is_accessor_desc(&d) && (d.flags & JS_PROP_WRITABLE))
            return JSV_FALSE;
    }
    return JSV_TRUE;
}

static jsv object_from_entries(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv iterable = JS_ARG(0);
    js_iter_record it;
    js_object *o;

    if (jsv_is_nullish(iterable))
        return jsvm_throw_type_error(t, "Object.fromEntries requires an iterable");
    o = jsobj_new_plain(t);
    if (!o)
        return JSV_EXCEPTION;
    if (jsop_get_iterator(t, iterable, 0, &it) < 0)
        return JSV_EXCEPTION;
    for (;;) {
        jsv next, k, v;
        js_key key;
        int r = jsop_iterator_step_value(t, &it, &next);
        if (r < 0)
            return JSV_EXCEPTION;
        if (r == 0)
            break;
        if (!jsv_is_object(next)) {
            jsvm_throw_type_error(t, "iterator value is not an entry object");
            goto close;
        }
        k = jsobj_get(t, JSV_OBJ(next), jskey_from_index(0), next);
        if (k == JSV_EXCEPTION)
            goto close;
        v = jsobj_get(t, JSV_OBJ(next), jskey_from_index(1), next);
        if (v == JSV_EXCEPTION)
            goto close;
        key = jsop_to_property_key(t, k);
        if (key == JSV_EXCEPTION)
            goto close;
        if (jsobj_create_data_property(t, o, key, v, JS_THROW) < 0)
            goto close;
    }
    return jsv_object(o);
close:
    jsop_iterator_close(t, &it, 1);
    return JSV_EXCEPTION;
}

static jsv object_get_own_property_descriptor(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    js_propdesc d;
    js_key k;
    int present;

    if (to_object(t, JS_ARG(0), &o) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    k = jsop_to_property_key(t, JS_ARG(1));
    if (k == JSV_EXCEPTION)
        return k;
    present = jsobj_get_own_property(t, o, k, &d);
    if (present < 0)
        return JSV_EXCEPTION;
    if (!present)
        return JSV_UNDEFINED;
    return jsop_from_property_descriptor(t, &d, 1);
}

static jsv object_get_own_property_descriptors(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o, *keys, *res;

    if (to_object(t, JS_ARG(0), &o) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    keys = jsbi_own_keys(t, o);
    if (!keys)
        return JSV_EXCEPTION;
    res = jsobj_new_plain(t);
    if (!res)
        return JSV_EXCEPTION;
    for (uint32_t j = 0; j < keys->elen; j++) {
        js_propdesc d;
        jsv dv;
        int present = jsobj_get_own_property(t, o, keys->elems[j], &d);
        if (present < 0)
            return JSV_EXCEPTION;
        if (!present)
            continue;
        dv = jsop_from_property_descriptor(t, &d, 1);
        if (dv == JSV_EXCEPTION)
            return dv;
        if (jsobj_create_data_property(t, res, keys->elems[j], dv, JS_THROW) < 0)
            return JSV_EXCEPTION;
    }
    return jsv_object(res);
}

/* GetOwnPropertyKeys: magic 0 strings, 1 symbols. */
static jsv object_get_own_keys(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o, *keys, *res;

    if (to_object(t, JS_ARG(0), &o) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    keys = jsbi_own_keys(t, o);
    if (!keys)
        return JSV_EXCEPTION;
    res = jsobj_new_array(t, 0);
    if (!res)
        return JSV_EXCEPTION;
    for (uint32_t j = 0; j < keys->elen; j++) {
        js_key k = keys->elems[j];
        jsv v;
        if (jsv_is_symbol(k) != magic)
            continue;
        v = jskey_to_value(t, k);
        if (v == JSV_EXCEPTION || jsarray_push(t, res, v) < 0)
            return JSV_EXCEPTION;
    }
    return jsv_object(res);
}

static jsv object_get_prototype_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    jsv proto;

    if (to_object(t, JS_ARG(0), &o) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    if (jsobj_get_prototype_of(t, o, &proto) < 0)
        return JSV_EXCEPTION;
    return proto;
}

static jsv object_group_by(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv items = JS_ARG(0), fn = JS_ARG(1);
    js_iter_record it;
    js_object *res;
    double k = 0;

    if (jsv_is_nullish(items))
        return jsvm_throw_type_error(t, "Object.groupBy called on null or undefined");
    if (!jsop_is_callable(fn))
        return jsvm_throw_type_error(t, "Object.groupBy: callback is not a function");
    res = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    if (!res)
        return JSV_EXCEPTION;
    if (jsop_get_iterator(t, items, 0, &it) < 0)
        return JSV_EXCEPTION;
    for (;;) {
        jsv value, key, args[2], group;
        js_key pk;
        int r;
        if (k >= 9007199254740991.0) {
            jsvm_throw_type_error(t, "too many elements");
            goto close;
        }
        r = jsop_iterator_step_value(t, &it, &value);
        if (r < 0)
            return JSV_EXCEPTION;
        if (r == 0)
            break;
        args[0] = value;
        args[1] = jsv_number(k);
        key = jsvm_call(t, fn, JSV_UNDEFINED, 2, args);
        if (key == JSV_EXCEPTION)
            goto close;
        pk = jsop_to_property_key(t, key);
        if (pk == JSV_EXCEPTION)
            goto close;
        /* res has no prototype and only data properties we made: a plain
         * lookup finds the group array. */
        group = jsobj_get(t, res, pk, jsv_object(res));
        if (group == JSV_EXCEPTION)
            return group;
        if (!jsv_is_object(group)) {
            js_object *a = jsobj_new_array(t, 0);
            if (!a || jsobj_create_data_property(t, res, pk, jsv_object(a), JS_THROW) < 0)
                return JSV_EXCEPTION;
            group = jsv_object(a);
        }
        if (jsarray_push(t, JSV_OBJ(group), value) < 0)
            return JSV_EXCEPTION;
        k++;
    }
    return jsv_object(res);
close:
    jsop_iterator_close(t, &it, 1);
    return JSV_EXCEPTION;
}

static jsv object_has_own(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    js_key k;
    int r;

    if (to_object(t, JS_ARG(0), &o) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    k = jsop_to_property_key(t, JS_ARG(1));
    if (k == JSV_EXCEPTION)
        return k;
    r = jsobj_has_own_property(t, o, k);
    return r < 0 ? JSV_EXCEPTION : jsv_from_bool(r);
}

static jsv object_is(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsv_from_bool(jsop_same_value(JS_ARG(0), JS_ARG(1)));
}

static jsv object_is_extensible(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    int r;
    if (!jsv_is_object(JS_ARG(0)))
        return JSV_FALSE;
    r = jsobj_is_extensible(t, JSV_OBJ(argv[0]));
    return r < 0 ? JSV_EXCEPTION : jsv_from_bool(r);
}

static jsv object_prevent_extensions(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv o = JS_ARG(0);
    int r;
    if (!jsv_is_object(o))
        return o;
    r = jsobj_prevent_extensions(t, JSV_OBJ(o), 0);
    if (r < 0)
        return JSV_EXCEPTION;
    if (!r)
        return jsvm_throw_type_error(t, "cannot prevent extensions");
    return o;
}

static jsv object_set_prototype_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv o = JS_ARG(0), proto = JS_ARG(1);
    int r;

    if (jsv_is_nullish(o))
        return jsvm_throw_type_error(t, "Object.setPrototypeOf called on null or undefined");
    if (!jsv_is_object(proto) && !jsv_is_null(proto))
        return jsvm_throw_type_error(t, "Object prototype may only be an Object or null");
    if (!jsv_is_object(o))
        return o;
    r = jsobj_set_prototype_of(t, JSV_OBJ(o), proto, 0);
    if (r < 0)
        return JSV_EXCEPTION;
    if (!r)
        return jsvm_throw_type_error(t, "cannot set prototype of this object");
    return o;
}

/* ---- Object.prototype ---- */

static jsv proto_has_own_property(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_key k = jsop_to_property_key(t, JS_ARG(0));
    js_object *o;
    int r;

    if (k == JSV_EXCEPTION)
        return k;
    if (to_object(t, this_val, &o) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    r = jsobj_has_own_property(t, o, k);
    return r < 0 ? JSV_EXCEPTION : jsv_from_bool(r);
}

static jsv proto_is_prototype_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv v = JS_ARG(0);
    js_object *o;

    if (!jsv_is_object(v))
        return JSV_FALSE;
    if (to_object(t, this_val, &o) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    for (;;) {
        if (jsobj_get_prototype_of(t, JSV_OBJ(v), &v) < 0)
            return JSV_EXCEPTION;
        if (!jsv_is_object(v))
            return JSV_FALSE;
        if (JSV_OBJ(v) == o)
            return JSV_TRUE;
        if (jsvm_poll_interrupt(t) < 0)
            return JSV_EXCEPTION;
    }
}

static jsv proto_property_is_enumerable(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_key k = jsop_to_property_key(t, JS_ARG(0));
    js_object *o;
    js_propdesc d;
    int r;

    if (k == JSV_EXCEPTION)
        return k;
    if (to_object(t, this_val, &o) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    r = jsobj_get_own_property(t, o, k, &d);
    if (r < 0)
        return JSV_EXCEPTION;
    return jsv_from_bool(r && (d.flags & JS_PROP_ENUMERABLE));
}

static jsv proto_to_locale_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_invoke(t, this_val, KEY(toString), 0, NULL);
}

static const char *builtin_tag(js_object *o, int is_array)
{
    if (is_array)
        return "Array";
    switch (jsobj_class(o)) {
    case JS_CLASS_ARGUMENTS:
    case JS_CLASS_MAPPED_ARGUMENTS: return "Arguments";
    case JS_CLASS_ERROR: return "Error";
    case JS_CLASS_BOOLEAN: return "Boolean";
    case JS_CLASS_NUMBER: return "Number";
    case JS_CLASS_STRING: return "String";
    case JS_CLASS_DATE: return "Date";
    case JS_CLASS_REGEXP: return "RegExp";
    default: break;
    }
    if (jsobj_is_callable(o))
        return "Function";
    return "Object";
}

static jsv proto_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    jsv tag;
    const char *btag;
    int is_array;
    char buf[64];

    if (jsv_is_undefined(this_val))
        return jsv_string(jsstr_atom(t, "[object Undefined]"));
    if (jsv_is_null(this_val))
        return jsv_string(jsstr_atom(t, "[object Null]"));
    if (to_object(t, this_val, &o) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    is_array = jsobj_is_array(t, jsv_object(o));
    if (is_array < 0)
        return JSV_EXCEPTION;
    btag = builtin_tag(o, is_array);
    tag = jsobj_get(t, o, jsv_symbol(t->rt->wk_symbols[JS_WKS_toStringTag]), jsv_object(o));
    if (tag == JSV_EXCEPTION)
        return tag;
    if (jsv_is_string(tag)) {
        js_string *pre = jsstr_new_cstr(t, "[object "), *post, *r;
        if (!pre || !(r = jsstr_concat(t, pre, JSV_STR(tag))))
            return JSV_EXCEPTION;
        post = jsstr_new_cstr(t, "]");
        if (!post || !(r = jsstr_concat(t, r, post)))
            return JSV_EXCEPTION;
        return jsv_string(r);
    }
    snprintf(buf, sizeof buf, "[object %s]", btag);
    js_string *s = jsstr_new_cstr(t, buf);
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

static jsv proto_value_of(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsop_to_object(t, this_val);
}

static jsv proto_get_proto(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    jsv proto;
    if (to_object(t, this_val, &o) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    if (jsobj_get_prototype_of(t, o, &proto) < 0)
        return JSV_EXCEPTION;
    return proto;
}

static jsv proto_set_proto(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv proto = JS_ARG(0);
    int r;
    if (jsv_is_nullish(this_val))
        return jsvm_throw_type_error(t, "Object.prototype.__proto__ called on null or undefined");
    if (!jsv_is_object(proto) && !jsv_is_null(proto))
        return JSV_UNDEFINED;
    if (!jsv_is_object(this_val))
        return JSV_UNDEFINED;
    r = jsobj_set_prototype_of(t, JSV_OBJ(this_val), proto, 0);
    if (r < 0)
        return JSV_EXCEPTION;
    if (!r)
        return jsvm_throw_type_error(t, "cannot set prototype of this object");
    return JSV_UNDEFINED;
}

/* __defineGetter__ (magic 0) / __defineSetter__ (magic 1) */
static jsv proto_define_accessor(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    js_propdesc d = { 0 };
    js_key k;

    if (to_object(t, this_val, &o) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    if (!jsop_is_callable(JS_ARG(1)))
        return jsvm_throw_type_error(t, magic ? "setter is not a function" : "getter is not a function");
    d.flags = JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE | JS_PROP_ENUMERABLE | JS_PROP_CONFIGURABLE;
    d.getter = d.setter = JSV_UNDEFINED;
    d.value = JSV_UNDEFINED;
    if (magic) {
        d.flags |= JS_DESC_HAS_SET;
        d.setter = argv[1];
    } else {
        d.flags |= JS_DESC_HAS_GET;
        d.getter = argv[1];
    }
    k = jsop_to_property_key(t, JS_ARG(0));
    if (k == JSV_EXCEPTION)
        return k;
    if (jsobj_define_own_property(t, o, k, &d, JS_THROW) < 0)
        return JSV_EXCEPTION;
    return JSV_UNDEFINED;
}

/* __lookupGetter__ (magic 0) / __lookupSetter__ (magic 1) */
static jsv proto_lookup_accessor(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *o;
    js_key k;
    jsv ov;

    if (to_object(t, this_val, &o) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    k = jsop_to_property_key(t, JS_ARG(0));
    if (k == JSV_EXCEPTION)
        return k;
    for (;;) {
        js_propdesc d;
        int r = jsobj_get_own_property(t, o, k, &d);
        if (r < 0)
            return JSV_EXCEPTION;
        if (r) {
            if (!is_accessor_desc(&d))
                return JSV_UNDEFINED;
            return magic ? d.setter : d.getter;
        }
        if (jsobj_get_prototype_of(t, o, &ov) < 0)
            return JSV_EXCEPTION;
        if (!jsv_is_object(ov))
            return JSV_UNDEFINED;
        o = JSV_OBJ(ov);
        if (jsvm_poll_interrupt(t) < 0)
            return JSV_EXCEPTION;
    }
}

typedef struct fn_entry {
    const char *name;
    js_native_fn fn;
    int length;
    int magic;
} fn_entry;

static const fn_entry object_statics[] = {
    { "assign", object_assign, 2, 0 },
    { "create", object_create, 2, 0 },
    { "defineProperties", object_define_properties, 2, 0 },
    { "defineProperty", object_define_property, 3, 0 },
    { "entries", object_enum_own, 1, 2 },
    { "freeze", object_seal_freeze, 1, 1 },
    { "fromEntries", object_from_entries, 1, 0 },
    { "getOwnPropertyDescriptor", object_get_own_property_descriptor, 2, 0 },
    { "getOwnPropertyDescriptors", object_get_own_property_descriptors, 1, 0 },
    { "getOwnPropertyNames", object_get_own_keys, 1, 0 },
    { "getOwnPropertySymbols", object_get_own_keys, 1, 1 },
    { "getPrototypeOf", object_get_prototype_of, 1, 0 },
    { "groupBy", object_group_by, 2, 0 },
    { "hasOwn", object_has_own, 2, 0 },
    { "is", object_is, 2, 0 },
    { "isExtensible", object_is_extensible, 1, 0 },
    { "isFrozen", object_is_sealed_frozen, 1, 1 },
    { "isSealed", object_is_sealed_frozen, 1, 0 },
    { "keys", object_enum_own, 1, 0 },
    { "preventExtensions", object_prevent_extensions, 1, 0 },
    { "seal", object_seal_freeze, 1, 0 },
    { "setPrototypeOf", object_set_prototype_of, 2, 0 },
    { "values", object_enum_own, 1, 1 },
};

static const fn_entry object_proto_fns[] = {
    { "hasOwnProperty", proto_has_own_property, 1, 0 },
    { "isPrototypeOf", proto_is_prototype_of, 1, 0 },
    { "propertyIsEnumerable", proto_property_is_enumerable, 1, 0 },
    { "toLocaleString", proto_to_locale_string, 0, 0 },
    { "toString", proto_to_string, 0, 0 },
    { "valueOf", proto_value_of, 0, 0 },
    { "__defineGetter__", proto_define_accessor, 2, 0 },
    { "__defineSetter__", proto_define_accessor, 2, 1 },
    { "__lookupGetter__", proto_lookup_accessor, 1, 0 },
    { "__lookupSetter__", proto_lookup_accessor, 1, 1 },
};

int jsbi_init_object(js_thread *t, js_realm *realm)
{
    js_object *proto = JSV_OBJ(realm->intrinsics[JS_INTR_ObjectPrototype]);
    js_object *ctor;

    ctor = jsbi_make_ctor(t, realm, "Object", 1, object_call, object_construct, 0,
                          proto, JS_INTR_Object, JS_INTR_ObjectPrototype);
    if (!ctor)
        return -1;
    for (size_t i = 0; i < sizeof object_statics / sizeof object_statics[0]; i++) {
        const fn_entry *e = &object_statics[i];
        if (jsobj_define_fn(t, ctor, e->name, e->fn, e->length, e->magic) < 0)
            return -1;
    }
    for (size_t i = 0; i < sizeof object_proto_fns / sizeof object_proto_fns[0]; i++) {
        const fn_entry *e = &object_proto_fns[i];
        if (jsobj_define_fn(t, proto, e->name, e->fn, e->length, e->magic) < 0)
            return -1;
    }
    if (jsobj_define_getset(t, proto, KEY(__proto__), proto_get_proto, proto_set_proto, 0) < 0)
        return -1;
    return 0;
}
