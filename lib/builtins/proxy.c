/*
 * proxy.c - the Proxy exotic object (ECMA-262 10.5: every trap with its
 * invariant checks, callable and constructable proxies), the Proxy
 * constructor and Proxy.revocable.
 * Must not touch the target's storage: everything goes through the target's
 * internal methods (object.h).
 */
#include <stdlib.h>
#include "builtins.h"
#include "../core/string.h"

typedef struct js_proxy {
    js_object base;
    jsv target;     /* JSV_NULL once revoked */
    jsv handler;    /* JSV_NULL once revoked */
} js_proxy;

static void proxy_trace(js_gc_tracer *trc, js_object *o)
{
    js_proxy *p = (js_proxy *)o;
    jsgc_mark_value(trc, p->target);
    jsgc_mark_value(trc, p->handler);
}

/* For IsArray and GetFunctionRealm in lib/core and lib/vm. */
int jsbi_proxy_target(js_object *proxy, jsv *target)
{
    js_proxy *p = (js_proxy *)proxy;
    if (!jsv_is_object(p->handler)) return -1;
    *target = p->target;
    return 0;
}

static js_key akey(js_thread *t, int id) { return jskey_from_atom_id(t, id); }

/* ValidateNonRevokedProxy + GetMethod(handler, name): 0 with *trap (maybe
 * undefined), -1 on exception. */
static int get_trap(js_thread *t, js_object *o, const char *name, jsv *target, jsv *handler, jsv *trap)
{
    js_proxy *p = (js_proxy *)o;
    if (!jsv_is_object(p->handler)) {
        jsvm_throw_type_error(t, "Cannot perform '%s' on a proxy that has been revoked", name);
        return -1;
    }
    if (jsvm_check_stack(t) < 0) return -1;
    *target = p->target;
    *handler = p->handler;
    js_key k = jskey_from_cstr(t, name);
    if (k == JSV_EXCEPTION) return -1;
    *trap = jsop_get_method(t, *handler, k);
    return *trap == JSV_EXCEPTION ? -1 : 0;
}

static int trap_error(js_thread *t, const char *msg)
{
    jsvm_throw_type_error(t, "%s", msg);
    return -1;
}

static int is_accessor_desc(const js_propdesc *d)
{
    return (d->flags & (JS_DESC_HAS_GET | JS_DESC_HAS_SET | JS_PROP_ACCESSOR)) != 0;
}

/* ---- the internal methods ---- */

static int proxy_get_prototype_of(js_thread *t, js_object *o, jsv *out)
{
    jsv target, handler, trap;
    if (get_trap(t, o, "getPrototypeOf", &target, &handler, &trap) < 0) return -1;
    if (jsv_is_undefined(trap)) return jsobj_get_prototype_of(t, JSV_OBJ(target), out);
    jsv r = jsvm_call(t, trap, handler, 1, &target);
    if (r == JSV_EXCEPTION) return -1;
    if (!jsv_is_object(r) && !jsv_is_null(r)) return trap_error(t, "'getPrototypeOf' on proxy: trap returned neither object nor null");
    int ext = jsobj_is_extensible(t, JSV_OBJ(target));
    if (ext < 0) return -1;
    if (!ext) {
        jsv tp;
        if (jsobj_get_prototype_of(t, JSV_OBJ(target), &tp) < 0) return -1;
        if (tp != r) return trap_error(t, "'getPrototypeOf' on proxy: proxy target is non-extensible but the trap did not return its actual prototype");
    }
    *out = r;
    return 0;
}

static int proxy_set_prototype_of(js_thread *t, js_object *o, jsv proto)
{
    jsv target, handler, trap;
    if (get_trap(t, o, "setPrototypeOf", &target, &handler, &trap) < 0) return -1;
    if (jsv_is_undefined(trap)) return jsobj_set_prototype_of(t, JSV_OBJ(target), proto, 0);
    jsv args[2] = { target, proto };
    jsv r = jsvm_call(t, trap, handler, 2, args);
    if (r == JSV_EXCEPTION) return -1;
    if (!jsop_to_boolean(r)) return 0;
    int ext = jsobj_is_extensible(t, JSV_OBJ(target));
    if (ext < 0) return -1;
    if (ext) return 1;
    jsv tp;
    if (jsobj_get_prototype_of(t, JSV_OBJ(target), &tp) < 0) return -1;
    if (tp != proto) return trap_error(t, "'setPrototypeOf' on proxy: trap returned truish for setting a new prototype on the non-extensible proxy target");
    return 1;
}

static int proxy_is_extensible(js_thread *t, js_object *o)
{
    jsv target, handler, trap;
    if (get_trap(t, o, "isExtensible", &target, &handler, &trap) < 0) return -1;
    if (jsv_is_undefined(trap)) return jsobj_is_extensible(t, JSV_OBJ(target));
    jsv r = jsvm_call(t, trap, handler, 1, &target);
    if (r == JSV_EXCEPTION) return -1;
    int b = jsop_to_boolean(r);
    int tr = jsobj_is_extensible(t, JSV_OBJ(target));
    if (tr < 0) return -1;
    if (b != tr) return trap_error(t, "'isExtensible' on proxy: trap result does not reflect extensibility of proxy target");
    return b;
}

static int proxy_prevent_extensions(js_thread *t, js_object *o)
{
    jsv target, handler, trap;
    if (get_trap(t, o, "preventExtensions", &target, &handler, &trap) < 0) return -1;
    if (jsv_is_undefined(trap)) return jsobj_prevent_extensions(t, JSV_OBJ(target), 0);
    jsv r = jsvm_call(t, trap, handler, 1, &target);
    if (r == JSV_EXCEPTION) return -1;
    int b = jsop_to_boolean(r);
    if (b) {
        int ext = jsobj_is_extensible(t, JSV_OBJ(target));
        if (ext < 0) return -1;
        if (ext) return trap_error(t, "'preventExtensions' on proxy: trap returned truish but the proxy target is extensible");
    }
    return b;
}

static int proxy_get_own_property(js_thread *t, js_object *o, js_key k, js_propdesc *d)
{
    jsv target, handler, trap;
    if (get_trap(t, o, "getOwnPropertyDescriptor", &target, &handler, &trap) < 0) return -1;
    if (jsv_is_undefined(trap)) return jsobj_get_own_property(t, JSV_OBJ(target), k, d);
    jsv kv = jskey_to_value(t, k);
    if (kv == JSV_EXCEPTION) return -1;
    jsv args[2] = { target, kv };
    jsv r = jsvm_call(t, trap, handler, 2, args);
    if (r == JSV_EXCEPTION) return -1;
    if (!jsv_is_object(r) && !jsv_is_undefined(r))
        return trap_error(t, "'getOwnPropertyDescriptor' on proxy: trap returned neither object nor undefined");
    js_propdesc td;
    int has = jsobj_get_own_property(t, JSV_OBJ(target), k, &td);
    if (has < 0) return -1;
    if (jsv_is_undefined(r)) {
        if (!has) return 0;
        if (!(td.flags & JS_PROP_CONFIGURABLE))
            return trap_error(t, "'getOwnPropertyDescriptor' on proxy: trap returned undefined for a non-configurable property");
        int ext = jsobj_is_extensible(t, JSV_OBJ(target));
        if (ext < 0) return -1;
        if (!ext) return trap_error(t, "'getOwnPropertyDescriptor' on proxy: trap returned undefined for a property of a non-extensible target");
        return 0;
    }
    int ext = jsobj_is_extensible(t, JSV_OBJ(target));
    if (ext < 0) return -1;
    js_propdesc rd;
    if (jsop_to_property_descriptor(t, r, &rd) < 0) return -1;
    jsop_complete_property_descriptor(&rd);
    int ok = jsobj_validate_and_apply(t, NULL, k, ext, &rd, has ? &td : NULL, has);
    if (ok < 0) return -1;
    if (!ok) return trap_error(t, "'getOwnPropertyDescriptor' on proxy: trap returned a descriptor incompatible with the target property");
    if (!(rd.flags & JS_PROP_CONFIGURABLE)) {
        if (!has || (td.flags & JS_PROP_CONFIGURABLE))
            return trap_error(t, "'getOwnPropertyDescriptor' on proxy: trap reported non-configurability for a configurable or missing property");
        if ((rd.flags & JS_DESC_HAS_WRITABLE) && !(rd.flags & JS_PROP_WRITABLE) && !is_accessor_desc(&rd) &&
            (td.flags & JS_PROP_WRITABLE))
            return trap_error(t, "'getOwnPropertyDescriptor' on proxy: trap reported non-writable for a writable property");
    }
    *d = rd;
    return 1;
}

static int proxy_define_own_property(js_thread *t, js_object *o, js_key k, const js_propdesc *d, int flags)
{
    jsv target, handler, trap;
    if (get_trap(t, o, "defineProperty", &target, &handler, &trap) < 0) return -1;
    if (jsv_is_undefined(trap)) return jsobj_define_own_property(t, JSV_OBJ(target), k, d, flags & ~JS_THROW);
    jsv kv = jskey_to_value(t, k);
    if (kv == JSV_EXCEPTION) return -1;
    jsv dobj = jsop_from_property_descriptor(t, d, 1);
    if (dobj == JSV_EXCEPTION) return -1;
    jsv args[3] = { target, kv, dobj };
    jsv r = jsvm_call(t, trap, handler, 3, args);
    if (r == JSV_EXCEPTION) return -1;
    if (!jsop_to_boolean(r)) return 0;
    js_propdesc td;
    int has = jsobj_get_own_property(t, JSV_OBJ(target), k, &td);
    if (has < 0) return -1;
    int ext = jsobj_is_extensible(t, JSV_OBJ(target));
    if (ext < 0) return -1;
    int setting_config_false = (d->flags & JS_DESC_HAS_CONFIGURABLE) && !(d->flags & JS_PROP_CONFIGURABLE);
    if (!has) {
        if (!ext) return trap_error(t, "'defineProperty' on proxy: trap returned truish for adding a property to a non-extensible target");
        if (setting_config_false) return trap_error(t, "'defineProperty' on proxy: trap returned truish for defining a non-configurable property which does not exist on the target");
        return 1;
    }
    int ok = jsobj_validate_and_apply(t, NULL, k, ext, d, &td, 1);
    if (ok < 0) return -1;
    if (!ok) return trap_error(t, "'defineProperty' on proxy: trap returned truish for a descriptor incompatible with the target property");
    if (setting_config_false && (td.flags & JS_PROP_CONFIGURABLE))
        return trap_error(t, "'defineProperty' on proxy: trap returned truish for defining a non-configurable property which is configurable on the target");
    if (!is_accessor_desc(&td) && !(td.flags & JS_PROP_CONFIGURABLE) && (td.flags & JS_PROP_WRITABLE) &&
        (d->flags & JS_DESC_HAS_WRITABLE) && !(d->flags & JS_PROP_WRITABLE))
        return trap_error(t, "'defineProperty' on proxy: trap returned truish for making a non-configurable writable property non-writable");
    return 1;
}

static int proxy_has_property(js_thread *t, js_object *o, js_key k)
{
    jsv target, handler, trap;
    if (get_trap(t, o, "has", &target, &handler, &trap) < 0) return -1;
    if (jsv_is_undefined(trap)) return jsobj_has_property(t, JSV_OBJ(target), k);
    jsv kv = jskey_to_value(t, k);
    if (kv == JSV_EXCEPTION) return -1;
    jsv args[2] = { target, kv };
    jsv r = jsvm_call(t, trap, handler, 2, args);
    if (r == JSV_EXCEPTION) return -1;
    int b = jsop_to_boolean(r);
    if (!b) {
        js_propdesc td;
        int has = jsobj_get_own_property(t, JSV_OBJ(target), k, &td);
        if (has < 0) return -1;
        if (has) {
            if (!(td.flags & JS_PROP_CONFIGURABLE))
                return trap_error(t, "'has' on proxy: trap returned falsish for a non-configurable property");
            int ext = jsobj_is_extensible(t, JSV_OBJ(target));
            if (ext < 0) return -1;
            if (!ext) return trap_error(t, "'has' on proxy: trap returned falsish for a property of a non-extensible target");
        }
    }
    return b;
}

static jsv proxy_get(js_thread *t, js_object *o, js_key k, jsv receiver)
{
    jsv target, handler, trap;
    if (get_trap(t, o, "get", &target, &handler, &trap) < 0) return JSV_EXCEPTION;
    if (jsv_is_undefined(trap)) return jsobj_get(t, JSV_OBJ(target), k, receiver);
    jsv kv = jskey_to_value(t, k);
    if (kv == JSV_EXCEPTION) return JSV_EXCEPTION;
    jsv args[3] = { target, kv, receiver };
    jsv r = jsvm_call(t, trap, handler, 3, args);
    if (r == JSV_EXCEPTION) return JSV_EXCEPTION;
    js_propdesc td;
    int has = jsobj_get_own_property(t, JSV_OBJ(target), k, &td);
    if (has < 0) return JSV_EXCEPTION;
    if (has && !(td.flags & JS_PROP_CONFIGURABLE)) {
        if (!is_accessor_desc(&td) && !(td.flags & JS_PROP_WRITABLE) && !jsop_same_value(r, td.value))
            return jsvm_throw_type_error(t, "'get' on proxy: the trap did not return the value of a non-writable, non-configurable data property");
        if (is_accessor_desc(&td) && jsv_is_undefined(td.getter) && !jsv_is_undefined(r))
            return jsvm_throw_type_error(t, "'get' on proxy: the trap returned a value for a non-configurable accessor property without a getter");
    }
    return r;
}

static int proxy_set(js_thread *t, js_object *o, js_key k, jsv v, jsv receiver)
{
    jsv target, handler, trap;
    if (get_trap(t, o, "set", &target, &handler, &trap) < 0) return -1;
    if (jsv_is_undefined(trap)) return jsobj_set(t, JSV_OBJ(target), k, v, receiver, 0);
    jsv kv = jskey_to_value(t, k);
    if (kv == JSV_EXCEPTION) return -1;
    jsv args[4] = { target, kv, v, receiver };
    jsv r = jsvm_call(t, trap, handler, 4, args);
    if (r == JSV_EXCEPTION) return -1;
    if (!jsop_to_boolean(r)) return 0;
    js_propdesc td;
    int has = jsobj_get_own_property(t, JSV_OBJ(target), k, &td);
    if (has < 0) return -1;
    if (has && !(td.flags & JS_PROP_CONFIGURABLE)) {
        if (!is_accessor_desc(&td) && !(td.flags & JS_PROP_WRITABLE) && !jsop_same_value(v, td.value))
            return trap_error(t, "'set' on proxy: trap returned truish for a non-writable, non-configurable property with a different value");
        if (is_accessor_desc(&td) && jsv_is_undefined(td.setter))
            return trap_error(t, "'set' on proxy: trap returned truish for a non-configurable accessor property without a setter");
    }
    return 1;
}

static int proxy_delete(js_thread *t, js_object *o, js_key k)
{
    jsv target, handler, trap;
    if (get_trap(t, o, "deleteProperty", &target, &handler, &trap) < 0) return -1;
    if (jsv_is_undefined(trap)) return jsobj_delete(t, JSV_OBJ(target), k, 0);
    jsv kv = jskey_to_value(t, k);
    if (kv == JSV_EXCEPTION) return -1;
    jsv args[2] = { target, kv };
    jsv r = jsvm_call(t, trap, handler, 2, args);
    if (r == JSV_EXCEPTION) return -1;
    if (!jsop_to_boolean(r)) return 0;
    js_propdesc td;
    int has = jsobj_get_own_property(t, JSV_OBJ(target), k, &td);
    if (has < 0) return -1;
    if (!has) return 1;
    if (!(td.flags & JS_PROP_CONFIGURABLE))
        return trap_error(t, "'deleteProperty' on proxy: trap returned truish for a non-configurable property");
    int ext = jsobj_is_extensible(t, JSV_OBJ(target));
    if (ext < 0) return -1;
    if (!ext) return trap_error(t, "'deleteProperty' on proxy: trap returned truish for a property of a non-extensible target");
    return 1;
}

/* Remove key k from the first n elems of list l (a hidden array); returns 1 if found. */
static int list_remove(js_object *l, uint32_t *n, js_key k)
{
    for (uint32_t i = 0; i < *n; i++) {
        if (l->elems[i] == k) {
            l->elems[i] = l->elems[--*n];
            return 1;
        }
    }
    return 0;
}

static int proxy_own_keys(js_thread *t, js_object *o, js_keylist *out)
{
    jsv target, handler, trap;
    if (get_trap(t, o, "ownKeys", &target, &handler, &trap) < 0) return -1;
    if (jsv_is_undefined(trap)) return jsobj_own_keys(t, JSV_OBJ(target), out);
    jsv arr = jsvm_call(t, trap, handler, 1, &target);
    if (arr == JSV_EXCEPTION) return -1;
    if (!jsv_is_object(arr)) return trap_error(t, "CreateListFromArrayLike called on non-object");
    int64_t len;
    if (jsop_length_of_array_like(t, JSV_OBJ(arr), &len) < 0) return -1;
    if (len > 0xFFFFFFF) { jsvm_throw_range_error(t, "ownKeys trap result too long"); return -1; }
    /* The keys (interned) stay reachable through a hidden traced list. */
    js_object *keys = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    js_object *unchecked = keys ? jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT) : NULL;
    if (!unchecked) return -1;
    if (len && (jsobj_elems_reserve(t, keys, (uint32_t)len) < 0 || jsobj_elems_reserve(t, unchecked, (uint32_t)len) < 0))
        return -1;
    for (int64_t i = 0; i < len; i++) {
        jsv v = jsobj_get_index(t, JSV_OBJ(arr), (uint32_t)i);
        if (v == JSV_EXCEPTION) return -1;
        if (!jsv_is_string(v) && !jsv_is_symbol(v)) return trap_error(t, "proxy [[OwnPropertyKeys]] must return an array with only string and symbol elements");
        js_key k = jsv_is_string(v) ? jskey_from_string(t, JSV_STR(v)) : v;
        if (k == JSV_EXCEPTION) return -1;
        for (uint32_t j = 0; j < keys->elen; j++)
            if (keys->elems[j] == k) return trap_error(t, "'ownKeys' on proxy: trap returned duplicate entries");
        keys->elems[keys->elen++] = k;
        unchecked->elems[unchecked->elen++] = k;
    }
    int ext = jsobj_is_extensible(t, JSV_OBJ(target));
    if (ext < 0) return -1;
    js_object *tkeys = jsbi_own_keys(t, JSV_OBJ(target));
    if (!tkeys) return -1;
    /* split the target keys into configurable (kept in tkeys[0..nc)) and non-configurable (tail) */
    js_object *nonconf = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    js_object *conf = nonconf ? jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT) : NULL;
    if (!conf) return -1;
    if (tkeys->elen && (jsobj_elems_reserve(t, nonconf, tkeys->elen) < 0 || jsobj_elems_reserve(t, conf, tkeys->elen) < 0))
        return -1;
    for (uint32_t i = 0; i < tkeys->elen; i++) {
        js_propdesc d;
        int has = jsobj_get_own_property(t, JSV_OBJ(target), tkeys->elems[i], &d);
        if (has < 0) return -1;
        if (has && !(d.flags & JS_PROP_CONFIGURABLE)) nonconf->elems[nonconf->elen++] = tkeys->elems[i];
        else conf->elems[conf->elen++] = tkeys->elems[i];
    }
    if (!(ext && nonconf->elen == 0)) {
        uint32_t n = unchecked->elen;
        for (uint32_t i = 0; i < nonconf->elen; i++)
            if (!list_remove(unchecked, &n, nonconf->elems[i]))
                return trap_error(t, "'ownKeys' on proxy: trap result did not include a non-configurable key");
        if (!ext) {
            for (uint32_t i = 0; i < conf->elen; i++)
                if (!list_remove(unchecked, &n, conf->elems[i]))
                    return trap_error(t, "'ownKeys' on proxy: trap result did not include every key of a non-extensible target");
            if (n) return trap_error(t, "'ownKeys' on proxy: trap returned extra keys for a non-extensible target");
        }
    }
    for (uint32_t i = 0; i < keys->elen; i++)
        if (jskeylist_push(t, out, keys->elems[i]) < 0) return -1;
    return 0;
}

static jsv proxy_call(js_thread *t, js_object *f, jsv this_val, int argc, jsv *argv)
{
    jsv target, handler, trap;
    if (get_trap(t, f, "apply", &target, &handler, &trap) < 0) return JSV_EXCEPTION;
    if (jsv_is_undefined(trap)) return jsvm_call(t, target, this_val, argc, argv);
    js_object *arr = jsobj_new_array_from(t, (uint32_t)argc, argv);
    if (!arr) return JSV_EXCEPTION;
    jsv args[3] = { target, this_val, jsv_object(arr) };
    return jsvm_call(t, trap, handler, 3, args);
}

static jsv proxy_construct(js_thread *t, js_object *f, int argc, jsv *argv, jsv new_target)
{
    jsv target, handler, trap;
    if (jsv_is_undefined(new_target)) new_target = jsv_object(f);
    if (get_trap(t, f, "construct", &target, &handler, &trap) < 0) return JSV_EXCEPTION;
    if (jsv_is_undefined(trap)) return jsvm_construct(t, target, argc, argv, new_target);
    js_object *arr = jsobj_new_array_from(t, (uint32_t)argc, argv);
    if (!arr) return JSV_EXCEPTION;
    jsv args[3] = { target, jsv_object(arr), new_target };
    jsv r = jsvm_call(t, trap, handler, 3, args);
    if (r == JSV_EXCEPTION) return JSV_EXCEPTION;
    if (!jsv_is_object(r)) return jsvm_throw_type_error(t, "proxy [[Construct]] must return an object");
    return r;
}

const js_class_ops jsclass_proxy = {
    .name = "Proxy",
    .size = sizeof(js_proxy),
    .trace = proxy_trace,
    .get_own_property = proxy_get_own_property,
    .define_own_property = proxy_define_own_property,
    .has_property = proxy_has_property,
    .get = proxy_get,
    .set = proxy_set,
    .delete_property = proxy_delete,
    .own_keys = proxy_own_keys,
    .get_prototype_of = proxy_get_prototype_of,
    .set_prototype_of = proxy_set_prototype_of,
    .is_extensible = proxy_is_extensible,
    .prevent_extensions = proxy_prevent_extensions,
    .call = proxy_call,
    .construct = proxy_construct,
};

/* ---- constructor ---- */

static jsv proxy_create(js_thread *t, jsv target, jsv handler)
{
    if (!jsv_is_object(target) || !jsv_is_object(handler))
        return jsvm_throw_type_error(t, "Cannot create proxy with a non-object as target or handler");
    js_proxy *p = (js_proxy *)jsobj_new(t, JSV_NULL, JS_CLASS_PROXY);
    if (!p) return JSV_EXCEPTION;
    p->target = target;
    p->handler = handler;
    js_object *tg = JSV_OBJ(target);
    p->base.h.flags |= JS_OBJ_EXOTIC;
    p->base.h.flags &= (uint16_t)~(JS_OBJ_CALLABLE | JS_OBJ_CONSTRUCTOR);
    if (jsobj_is_callable(tg)) p->base.h.flags |= JS_OBJ_CALLABLE;
    if (jsobj_is_constructor(tg)) p->base.h.flags |= JS_OBJ_CONSTRUCTOR;
    return jsv_object(p);
}

static jsv proxy_ctor_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_throw_type_error(t, "Constructor Proxy requires 'new'");
}

static jsv proxy_ctor_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    if (jsv_is_undefined(new_target)) return proxy_ctor_call(t, JSV_UNDEFINED, argc, argv, magic);
    return proxy_create(t, JS_ARG(0), JS_ARG(1));
}

/* The revoke function: a bound function whose bound argument is a box cell
 * holding the proxy (cleared on first call, so the proxy can be collected). */
typedef struct revoke_box {
    js_internal base;
    jsv proxy;
} revoke_box;

static void revoke_box_trace(js_gc_tracer *trc, void *cell) { jsgc_mark_value(trc, ((revoke_box *)cell)->proxy); }
static const js_internal_ops revoke_box_ops = { "ProxyRevoker", revoke_box_trace, NULL };

static jsv revoke_fn(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    revoke_box *b = jsv_get_ptr(argv[0]);
    if (jsv_is_null(b->proxy)) return JSV_UNDEFINED;
    js_proxy *p = (js_proxy *)JSV_OBJ(b->proxy);
    b->proxy = JSV_NULL;
    p->target = JSV_NULL;
    p->handler = JSV_NULL;
    return JSV_UNDEFINED;
}

static jsv proxy_revocable(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv p = proxy_create(t, JS_ARG(0), JS_ARG(1));
    if (p == JSV_EXCEPTION) return JSV_EXCEPTION;
    revoke_box *b = jsgc_alloc(t, sizeof(revoke_box), JS_CELL_INTERNAL);
    if (!b) return JSV_EXCEPTION;
    b->base.ops = &revoke_box_ops;
    b->proxy = p;
    js_object *target = jsfn_new_native(t, revoke_fn, akey(t, JS_ATOM_empty), 0, 0);
    if (!target) return JSV_EXCEPTION;
    jsv data = jsv_cell(b);
    js_object *rf = jsfn_new_bound(t, target, JSV_UNDEFINED, 1, &data);
    if (!rf) return JSV_EXCEPTION;
    if (jsobj_define_value(t, rf, akey(t, JS_ATOM_length), jsv_from_int(0), JS_PROP_CONFIGURABLE) < 0 ||
        jsobj_define_value(t, rf, akey(t, JS_ATOM_name), jsv_string(jsrt_atom(t, JS_ATOM_empty)), JS_PROP_CONFIGURABLE) < 0)
        return JSV_EXCEPTION;
    js_object *res = jsobj_new_plain(t);
    if (!res) return JSV_EXCEPTION;
    if (jsobj_create_data_property(t, res, akey(t, JS_ATOM_proxy), p, JS_THROW) < 0 ||
        jsobj_create_data_property(t, res, akey(t, JS_ATOM_revoke), jsv_object(rf), JS_THROW) < 0)
        return JSV_EXCEPTION;
    return jsv_object(res);
}

int jsbi_init_proxy(js_thread *t, js_realm *realm)
{
    js_object *ctor = jsbi_make_ctor(t, realm, "Proxy", 2, proxy_ctor_call, proxy_ctor_construct, 0, NULL,
                                     JS_INTR_Proxy, -1);
    if (!ctor) return -1;
    return jsobj_define_fn(t, ctor, "revocable", proxy_revocable, 2, 0);
}
