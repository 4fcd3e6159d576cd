/*
 * object_wrap.c - primitive wrapper objects (Number, Boolean, Symbol, BigInt,
 * Date) and the String exotic object, whose index properties and "length" are
 * read from the wrapped string rather than stored. Must not touch the
 * prototypes' methods (builtins) or shape internals.
 */
#include "object_priv.h"

static void trace_primitive(js_gc_tracer *trc, js_object *o)
{
    jsgc_mark_value(trc, ((js_primitive_object *)o)->value);
}

const js_class_ops jsclass_number = { .name = "Number", .size = sizeof(js_primitive_object), .trace = trace_primitive };
const js_class_ops jsclass_boolean = { .name = "Boolean", .size = sizeof(js_primitive_object), .trace = trace_primitive };
const js_class_ops jsclass_symbol = { .name = "Symbol", .size = sizeof(js_primitive_object), .trace = trace_primitive };
const js_class_ops jsclass_bigint = { .name = "BigInt", .size = sizeof(js_primitive_object), .trace = trace_primitive };
const js_class_ops jsclass_date = { .name = "Date", .size = sizeof(js_primitive_object), .trace = trace_primitive };
/* Error objects keep their captured stack trace in `value` (error.c). */
const js_class_ops jsclass_error = { .name = "Error", .size = sizeof(js_primitive_object), .trace = trace_primitive };

js_object *jsobj_new_wrapper(js_thread *t, jsv proto, unsigned class_id, jsv value)
{
    js_object *o = jsobj_new(t, proto, class_id);
    if (!o)
        return NULL;
    ((js_primitive_object *)o)->value = value;
    return o;
}

/* ---------------------------------------------------------------- String exotic */

js_string *jsobj_string_data(js_object *o)
{
    jsv v = ((js_primitive_object *)o)->value;
    return jsv_is_string(v) ? JSV_STR(v) : NULL;
}

static uint32_t string_len(js_object *o)
{
    js_string *s = jsobj_string_data(o);
    return s ? s->len : 0;
}

/* StringGetOwnProperty plus the virtual "length": 1 present, 0 absent, -1. */
static int string_virtual(js_thread *t, js_object *o, js_key k, js_propdesc *d)
{
    uint32_t len = string_len(o);
    d->getter = d->setter = JSV_UNDEFINED;
    if (jskey_is_index(k) && jskey_index(k) < len) {
        js_string *c = jsstr_from_char(t, jsstr_char_at(jsobj_string_data(o), jskey_index(k)));
        if (!c)
            return -1;
        d->flags = JS_PROP_ENUMERABLE | JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE | JS_DESC_HAS_ENUMERABLE |
                   JS_DESC_HAS_CONFIGURABLE;
        d->value = jsv_string(c);
        return 1;
    }
    if (k == jsobj_length_key(t)) {
        d->flags = JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE | JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE;
        d->value = jsv_number((double)len);
        return 1;
    }
    return 0;
}

static int string_get_own(js_thread *t, js_object *o, js_key k, js_propdesc *d)
{
    int r = jsobj_ordinary_get_own_property(t, o, k, d);
    if (r)
        return r;
    return string_virtual(t, o, k, d);
}

static int string_define(js_thread *t, js_object *o, js_key k, const js_propdesc *d, int flags)
{
    js_propdesc cur;
    int r = string_virtual(t, o, k, &cur);
    if (r < 0)
        return -1;
    if (r)
        return jsobj_validate_and_apply(t, NULL, k, (o->h.flags & JS_OBJ_EXTENSIBLE) != 0, d, &cur, 1);
    return jsobj_ordinary_define_own_property(t, o, k, d, flags);
}

static int string_delete(js_thread *t, js_object *o, js_key k)
{
    if ((jskey_is_index(k) && jskey_index(k) < string_len(o)) || k == jsobj_length_key(t))
        return 0;
    return jsobj_ordinary_delete(t, o, k, 0);
}

static int string_own_keys(js_thread *t, js_object *o, js_keylist *out)
{
    js_keylist tmp = { 0 };
    uint32_t len = string_len(o), i = 0;
    int res = -1;

    for (uint32_t j = 0; j < len; j++)
        if (jskeylist_push(t, out, jskey_from_index(j)) < 0)
            return -1;
    if (jsobj_ordinary_own_keys(t, o, &tmp) < 0)
        goto done;
    for (; i < tmp.count && jskey_is_index(tmp.keys[i]); i++)
        if (jskeylist_push(t, out, tmp.keys[i]) < 0)
            goto done;
    if (jskeylist_push(t, out, jsobj_length_key(t)) < 0)
        goto done;
    for (; i < tmp.count; i++)
        if (jskeylist_push(t, out, tmp.keys[i]) < 0)
            goto done;
    res = 0;
done:
    jskeylist_free(t->rt, &tmp);
    return res;
}

const js_class_ops jsclass_string = {
    .name = "String",
    .size = sizeof(js_primitive_object),
    .trace = trace_primitive,
    .get_own_property = string_get_own,
    .define_own_property = string_define,
    .delete_property = string_delete,
    .own_keys = string_own_keys,
};
