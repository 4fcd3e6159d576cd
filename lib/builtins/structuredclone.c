/*
 * structuredclone.c - the global structuredClone(value, { transfer }) built on
 * the two halves of lib/threads/clone.c, and the original Map/Set methods that
 * clone.c uses (intrinsics CloneMap*, CloneSet*). Owns nothing else; must not
 * know the wire format.
 */
#include "builtins.h"
#include "../threads/clone.h"

static jsv structured_clone(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv options = JS_ARG(1), transfer = JSV_UNDEFINED;
    if (!jsv_is_nullish(options)) {
        if (!jsv_is_object(options))
            return jsvm_throw_type_error(t, "structuredClone: options must be an object");
        transfer = jsobj_get(t, JSV_OBJ(options), jskey_from_cstr(t, "transfer"), options);
        if (transfer == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        if (!jsv_is_undefined(transfer)) {
            /* WebIDL sequence<object>: iterate, then hand clone.c a plain array. */
            js_iter_record it;
            jsv x;
            int r;
            js_object *list = jsobj_new_array(t, 0);
            if (!list || jsop_get_iterator(t, transfer, 0, &it) < 0)
                return JSV_EXCEPTION;
            while ((r = jsop_iterator_step_value(t, &it, &x)) > 0) {
                if (!jsv_is_object(x)) {
                    jsvm_throw_type_error(t, "structuredClone: transfer list entries must be objects");
                    jsop_iterator_close(t, &it, 1);
                    return JSV_EXCEPTION;
                }
                if (jsarray_push(t, list, x) < 0)
                    return JSV_EXCEPTION;
            }
            if (r < 0)
                return JSV_EXCEPTION;
            transfer = jsv_object(list);
        }
    }
    jsclone_buf buf;
    if (jsclone_serialize(t, JS_ARG(0), transfer, &buf) < 0)
        return JSV_EXCEPTION;
    jsv v = jsclone_deserialize(t, buf.data, buf.len, buf.stores, buf.nstores);
    jsclone_buf_free(&buf);
    return v;
}

/* Keeps the original method `name` of intrinsic proto_id as intrinsic id. */
static int keep_method(js_thread *t, js_realm *realm, int proto_id, const char *name, int id)
{
    jsv proto = realm->intrinsics[proto_id];
    if (!jsv_is_object(proto))
        return 0;
    js_key k = jskey_from_cstr(t, name);
    if (k == JSV_EXCEPTION)
        return -1;
    jsv f = jsobj_get(t, JSV_OBJ(proto), k, proto);
    if (f == JSV_EXCEPTION)
        return -1;
    realm->intrinsics[id] = jsop_is_callable(f) ? f : JSV_UNDEFINED;
    return 0;
}

int jsbi_init_structuredclone(js_thread *t, js_realm *realm)
{
    if (keep_method(t, realm, JS_INTR_MapPrototype, "forEach", JS_INTR_CloneMapForEach) < 0 ||
        keep_method(t, realm, JS_INTR_SetPrototype, "forEach", JS_INTR_CloneSetForEach) < 0 ||
        keep_method(t, realm, JS_INTR_MapPrototype, "set", JS_INTR_CloneMapSet) < 0 ||
        keep_method(t, realm, JS_INTR_SetPrototype, "add", JS_INTR_CloneSetAdd) < 0)
        return -1;
    js_object *global = realm->global;
    return jsobj_define_fn(t, global, "structuredClone", structured_clone, 1, 0);
}
