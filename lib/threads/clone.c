/*
 * clone.c - structured clone: the serializer (objects -> jsclone_buf) and the
 * hostile-input deserializer (bytes -> objects), format in clone.h. Owns the
 * wire format only; reads binary objects through binary.h and Map/Set through
 * the realm's original methods (intrinsics CloneMap*, CloneSet*), never their
 * private tables. Must not keep state outside the buffers it is given.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "clone.h"
#include "../core/string.h"
#include "../core/bigint.h"
#include "../builtins/builtins.h"
#include "../builtins/binary.h"

enum {
    T_UNDEF = 0x00, T_NULL, T_FALSE, T_TRUE, T_INT, T_DOUBLE, T_STR8, T_STR16, T_BIGINT,
    T_REF = 0x10, T_OBJECT, T_END, T_ARRAY, T_DATE, T_REGEXP, T_BOOLOBJ, T_NUMOBJ, T_STROBJ,
    T_BIGOBJ, T_MAP, T_SET, T_ERROR,
    T_AB = 0x20, T_AB_XFER, T_SAB, T_TYPED, T_VIEW,
};

enum { K_STRING = 0, K_INDEX = 1 };
enum { EF_MESSAGE = 1, EF_CAUSE = 2, EF_STACK = 4 };

static const char magic[4] = { 'J', 'S', 'C', 'L' };

/* Error constructors structured clone knows (HTML: others become "Error"). */
static const char error_names[][16] = { "Error", "EvalError", "RangeError", "ReferenceError",
                                           "SyntaxError", "TypeError", "URIError" };
static const int error_protos[] = { JS_INTR_ErrorPrototype, JS_INTR_EvalErrorPrototype,
                                    JS_INTR_RangeErrorPrototype, JS_INTR_ReferenceErrorPrototype,
                                    JS_INTR_SyntaxErrorPrototype, JS_INTR_TypeErrorPrototype,
                                    JS_INTR_URIErrorPrototype };
#define NERRORS ((int)(sizeof error_names / sizeof error_names[0]))

/* RegExp objects are private to builtins/regexp.c; this mirrors the leading
 * fields of its js_regexp ([[OriginalSource]], [[OriginalFlags]]). Checked
 * against the class size and the field types before use. */
typedef struct regexp_prefix {
    js_object base;
    void *prog;
    jsv source;
    jsv flags;
} regexp_prefix;

jsv jsbi_regexp_create(js_thread *t, js_string *pattern, js_string *flags) __attribute__((weak));
/* DetachArrayBuffer(buf, key), defined in builtins/arraybuffer.c (no header declares it yet). */
int jsbi_array_buffer_detach(js_thread *t, jsv buf, jsv key);

/* ------------------------------------------------------------ errors */

jsv jsclone_throw(js_thread *t, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    js_string *m = jsstr_new_cstr(t, msg);
    if (!m)
        return JSV_EXCEPTION;
    jsv e = jsvm_new_error(t, JS_ERR_ERROR, m);
    if (e == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    js_string *name = jsstr_new_cstr(t, "DataCloneError");
    if (!name)
        return JSV_EXCEPTION;
    /* DOMException's name/code live on its prototype; an own property is the
     * nearest thing an ordinary Error can carry. */
    if (jsobj_create_data_property(t, JSV_OBJ(e), jskey_from_atom_id(t, JS_ATOM_name), jsv_string(name), JS_THROW) < 0)
        return JSV_EXCEPTION;
    if (jsobj_create_data_property(t, JSV_OBJ(e), jskey_from_atom_id(t, JS_ATOM_code), jsv_from_int(25), JS_THROW) < 0)
        return JSV_EXCEPTION;
    js_propdesc d = { .flags = JS_DESC_HAS_ENUMERABLE };
    jsobj_define_own_property(t, JSV_OBJ(e), jskey_from_atom_id(t, JS_ATOM_name), &d, 0);
    jsobj_define_own_property(t, JSV_OBJ(e), jskey_from_atom_id(t, JS_ATOM_code), &d, 0);
    return jsvm_throw(t, e);
}

/* ------------------------------------------------------------ buffer */

void jsclone_buf_init(jsclone_buf *b)
{
    memset(b, 0, sizeof *b);
}

void jsclone_buf_free(jsclone_buf *b)
{
    for (size_t i = 0; i < b->nstores; i++)
        if (b->stores[i])
            jssab_release(b->stores[i]);
    free(b->stores);
    free(b->data);
    jsclone_buf_init(b);
}

typedef struct ser {
    js_thread *t;
    jsclone_buf *out;
    js_object *objs;          /* id -> object: keeps every serialized object alive */
    uintptr_t *hkeys;         /* open-addressed object pointer -> id */
    uint32_t *hvals;
    size_t hcap, hcount;
    js_object *xfer;          /* the transfer list as a dense array */
    uint32_t nxfer;
    int depth;
} ser;

static int put(ser *s, const void *p, size_t n)
{
    jsclone_buf *b = s->out;
    if (n > b->cap - b->len) {
        size_t cap = b->cap ? b->cap : 256;
        while (n > cap - b->len) {
            if (cap > SIZE_MAX / 2) {
                jsvm_throw_out_of_memory(s->t);
                return -1;
            }
            cap *= 2;
        }
        uint8_t *d = realloc(b->data, cap);
        if (!d) {
            jsvm_throw_out_of_memory(s->t);
            return -1;
        }
        b->data = d;
        b->cap = cap;
    }
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    return 0;
}

static int put_byte(ser *s, unsigned c)
{
    uint8_t b = (uint8_t)c;
    return put(s, &b, 1);
}

static int put_uv(ser *s, uint64_t v)
{
    uint8_t tmp[10];
    int n = 0;
    do {
        uint8_t c = v & 0x7f;
        v >>= 7;
        tmp[n++] = c | (v ? 0x80 : 0);
    } while (v);
    return put(s, tmp, n);
}

static int put_double(ser *s, double d)
{
    uint64_t u;
    uint8_t tmp[8];
    memcpy(&u, &d, 8);
    for (int i = 0; i < 8; i++)
        tmp[i] = (uint8_t)(u >> (8 * i));
    return put(s, tmp, 8);
}

/* String payload (after its tag): length in code units, then Latin-1 bytes or
 * little-endian UTF-16 units. */
static int put_string(ser *s, js_string *str)
{
    str = jsstr_flatten(s->t, str);
    if (!str)
        return -1;
    if (!jsstr_is_wide(str)) {
        if (put_byte(s, T_STR8) < 0 || put_uv(s, str->len) < 0)
            return -1;
        return put(s, str->u.c8, str->len);
    }
    if (put_byte(s, T_STR16) < 0 || put_uv(s, str->len) < 0)
        return -1;
    for (uint32_t i = 0; i < str->len; i++) {
        uint8_t two[2] = { (uint8_t)str->u.c16[i], (uint8_t)(str->u.c16[i] >> 8) };
        if (put(s, two, 2) < 0)
            return -1;
    }
    return 0;
}

/* BigInt payload: sign byte, then the magnitude as lowercase hex text. */
static int put_bigint(ser *s, js_bigint *b)
{
    int neg = jsbig_sign(b) < 0;
    if (neg && !(b = jsbig_neg(s->t, b)))
        return -1;
    js_string *hex = jsbig_to_string(s->t, b, 16);
    if (!hex || !(hex = jsstr_flatten(s->t, hex)))
        return -1;
    if (put_byte(s, neg) < 0 || put_uv(s, hex->len) < 0)
        return -1;
    return put(s, hex->u.c8, hex->len);
}

static size_t hslot(ser *s, uintptr_t k)
{
    uint64_t h = (uint64_t)k * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 20) & (s->hcap - 1);
}

/* The id of o, or -1 when it was not met yet. */
static int64_t mem_find(ser *s, js_object *o)
{
    if (!s->hcap)
        return -1;
    for (size_t i = hslot(s, (uintptr_t)o);; i = (i + 1) & (s->hcap - 1)) {
        if (!s->hkeys[i])
            return -1;
        if (s->hkeys[i] == (uintptr_t)o)
            return s->hvals[i];
    }
}

static int mem_add(ser *s, js_object *o)
{
    js_thread *t = s->t;
    uint32_t id = s->objs->elen;
    if (id == UINT32_MAX - 1)
        return jsclone_throw(t, "too many objects to clone"), -1;
    if ((s->hcount + 1) * 2 > s->hcap) {
        size_t ncap = s->hcap ? s->hcap * 2 : 64;
        uintptr_t *nk = calloc(ncap, sizeof *nk);
        uint32_t *nv = calloc(ncap, sizeof *nv);
        if (!nk || !nv) {
            free(nk);
            free(nv);
            jsvm_throw_out_of_memory(t);
            return -1;
        }
        uintptr_t *ok = s->hkeys;
        uint32_t *ov = s->hvals;
        size_t ocap = s->hcap;
        s->hkeys = nk;
        s->hvals = nv;
        s->hcap = ncap;
        for (size_t i = 0; i < ocap; i++) {
            if (!ok[i])
                continue;
            size_t j = hslot(s, ok[i]);
            while (nk[j])
                j = (j + 1) & (ncap - 1);
            nk[j] = ok[i];
            nv[j] = ov[i];
        }
        free(ok);
        free(ov);
    }
    size_t j = hslot(s, (uintptr_t)o);
    while (s->hkeys[j])
        j = (j + 1) & (s->hcap - 1);
    s->hkeys[j] = (uintptr_t)o;
    s->hvals[j] = id;
    s->hcount++;
    return jsarray_push(t, s->objs, jsv_object(o));
}

static int add_store(ser *s, jssab_storage *st, uint32_t *idx)
{
    jsclone_buf *b = s->out;
    if (b->nstores == b->stores_cap) {
        size_t ncap = b->stores_cap ? b->stores_cap * 2 : 8;
        jssab_storage **n = realloc(b->stores, ncap * sizeof *n);
        if (!n) {
            jsvm_throw_out_of_memory(s->t);
            return -1;
        }
        b->stores = n;
        b->stores_cap = ncap;
    }
    if (st)
        jssab_retain(st);
    *idx = (uint32_t)b->nstores;
    b->stores[b->nstores++] = st;
    return 0;
}

static int ser_value(ser *s, jsv v);

static int ser_key(ser *s, js_key k)
{
    if (jskey_is_index(k))
        return put_byte(s, K_INDEX) < 0 ? -1 : put_uv(s, jskey_index(k));
    if (put_byte(s, K_STRING) < 0)
        return -1;
    return put_string(s, JSV_STR(k));
}

/* Own enumerable string-keyed properties in [[OwnPropertyKeys]] order, then
 * T_END. Getters run and may delete later keys: those are skipped. */
static int ser_props(ser *s, js_object *o, int skip_length)
{
    js_thread *t = s->t;
    js_object *keys = jsbi_own_keys(t, o);
    if (!keys)
        return -1;
    for (uint32_t i = 0; i < keys->elen; i++) {
        js_key k = keys->elems[i];
        js_propdesc d;
        if (jsv_is_symbol(k))
            continue;
        if (skip_length && jsv_is_string(k) && JSV_STR(k) == jsrt_atom(t, JS_ATOM_length))
            continue;
        int r = jsobj_get_own_property(t, o, k, &d);
        if (r < 0)
            return -1;
        if (!r || !(d.flags & JS_PROP_ENUMERABLE))
            continue;
        jsv val = jsobj_get(t, o, k, jsv_object(o));
        if (val == JSV_EXCEPTION)
            return -1;
        if (ser_key(s, k) < 0 || ser_value(s, val) < 0)
            return -1;
    }
    return put_byte(s, T_END);
}

static jsv collect_entries(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_object *arr = JSV_OBJ(this_val);
    if (magic == 0 && jsarray_push(t, arr, JS_ARG(1)) < 0)   /* Map: key first */
        return JSV_EXCEPTION;
    if (jsarray_push(t, arr, JS_ARG(0)) < 0)
        return JSV_EXCEPTION;
    return JSV_UNDEFINED;
}

/* Copies the entries first (HTML: "copiedList"), so that serializing them,
 * which may run getters, cannot disturb the walk. */
static int ser_collection(ser *s, js_object *o, int is_set)
{
    js_thread *t = s->t;
    jsv each = jsrt_intrinsic(t, is_set ? JS_INTR_CloneSetForEach : JS_INTR_CloneMapForEach);
    if (!jsv_is_object(each))
        return jsclone_throw(t, "Map/Set cloning is not available in this realm"), -1;
    js_object *list = jsobj_new_array(t, 0);
    if (!list)
        return -1;
    js_object *cb = jsfn_new_native(t, collect_entries, jskey_from_atom_id(t, JS_ATOM_empty), 2, is_set);
    if (!cb)
        return -1;
    /* forEach with thisArg = list: the callback appends to it. */
    jsv args[2] = { jsv_object(cb), jsv_object(list) };
    if (jsvm_call(t, each, jsv_object(o), 2, args) == JSV_EXCEPTION)
        return -1;
    if (put_byte(s, is_set ? T_SET : T_MAP) < 0)
        return -1;
    for (uint32_t i = 0; i < list->elen; i++)
        if (ser_value(s, list->elems[i]) < 0)
            return -1;
    return put_byte(s, T_END);
}

static int ser_error(ser *s, js_object *o)
{
    js_thread *t = s->t;
    jsv name = jsobj_get(t, o, jskey_from_atom_id(t, JS_ATOM_name), jsv_object(o));
    if (name == JSV_EXCEPTION)
        return -1;
    int kind = 0;
    if (jsv_is_string(name))
        for (int i = 0; i < NERRORS; i++)
            if (jsstr_equal_cstr(JSV_STR(name), error_names[i]))
                kind = i;
    js_propdesc md, cd;
    int hm = jsobj_get_own_property(t, o, jskey_from_atom_id(t, JS_ATOM_message), &md);
    if (hm < 0)
        return -1;
    js_string *msg = NULL;
    if (hm && !(md.flags & JS_PROP_ACCESSOR) && !(msg = jsop_to_string(t, md.value)))
        return -1;
    int hc = jsobj_get_own_property(t, o, jskey_from_atom_id(t, JS_ATOM_cause), &cd);
    if (hc < 0)
        return -1;
    if (hc && (cd.flags & JS_PROP_ACCESSOR))
        hc = 0;
    /* The captured trace is in the [[ErrorData]] slot (error.c); an own
     * "stack" string (set by a script) wins. */
    const js_class_ops *eops = jsobj_classes[JS_CLASS_ERROR];
    jsv stack = eops && eops->size >= sizeof(js_primitive_object) ? ((js_primitive_object *)o)->value : JSV_UNDEFINED;
    js_propdesc sd;
    int hs = jsobj_get_own_property(t, o, jskey_from_atom_id(t, JS_ATOM_stack), &sd);
    if (hs < 0)
        return -1;
    if (hs && !(sd.flags & JS_PROP_ACCESSOR) && jsv_is_string(sd.value))
        stack = sd.value;
    int flags = (msg ? EF_MESSAGE : 0) | (hc ? EF_CAUSE : 0) | (jsv_is_string(stack) ? EF_STACK : 0);
    if (put_byte(s, T_ERROR) < 0 || put_byte(s, kind) < 0 || put_byte(s, flags) < 0)
        return -1;
    if (msg && put_string(s, msg) < 0)
        return -1;
    if ((flags & EF_STACK) && put_string(s, JSV_STR(stack)) < 0)
        return -1;
    if (hc && ser_value(s, cd.value) < 0)   /* last: it may run getters */
        return -1;
    return 0;
}

static int xfer_index(ser *s, js_object *o)
{
    for (uint32_t i = 0; i < s->nxfer; i++)
        if (s->xfer->elems[i] == jsv_object(o))
            return (int)i;
    return -1;
}

static int ser_buffer(ser *s, js_object *o)
{
    js_array_buffer *b = (js_array_buffer *)o;
    int xi = xfer_index(s, o);
    if (xi >= 0) {
        if (put_byte(s, T_AB_XFER) < 0 || put_uv(s, (uint64_t)xi) < 0)
            return -1;
        return put_byte(s, b->resizable) < 0 ? -1 : put_uv(s, b->resizable ? b->max_byte_length : 0);
    }
    if (jsab_is_detached(b))
        return jsclone_throw(s->t, "a detached ArrayBuffer cannot be cloned"), -1;
    if (b->shared) {
        uint32_t idx;
        if (add_store(s, b->store, &idx) < 0)
            return -1;
        return put_byte(s, T_SAB) < 0 ? -1 : put_uv(s, idx);
    }
    size_t len = jsab_length(b);
    if (put_byte(s, T_AB) < 0 || put_uv(s, len) < 0 || put_byte(s, b->resizable) < 0)
        return -1;
    if (b->resizable && put_uv(s, b->max_byte_length) < 0)
        return -1;
    return put(s, jsab_data(b), len);
}

static int ser_view(ser *s, js_object *o)
{
    js_thread *t = s->t;
    if (jsobj_class(o) == JS_CLASS_TYPED_ARRAY) {
        js_typed_array *ta = (js_typed_array *)o;
        if (jsta_length(ta) < 0)
            return jsclone_throw(t, "an out-of-bounds or detached typed array cannot be cloned"), -1;
        if (put_byte(s, T_TYPED) < 0 || put_byte(s, ta->kind) < 0 || put_uv(s, ta->byte_offset) < 0 ||
            put_byte(s, ta->length_tracking) < 0 || put_uv(s, ta->length_tracking ? 0 : ta->length) < 0)
            return -1;
        return ser_value(s, jsv_object(ta->buffer));
    }
    js_dataview *dv = (js_dataview *)o;
    size_t blen = jsab_length(dv->buffer);
    if (jsab_is_detached(dv->buffer) || dv->byte_offset > blen ||
        (!dv->length_tracking && dv->byte_length > blen - dv->byte_offset))
        return jsclone_throw(t, "an out-of-bounds or detached DataView cannot be cloned"), -1;
    if (put_byte(s, T_VIEW) < 0 || put_uv(s, dv->byte_offset) < 0 || put_byte(s, dv->length_tracking) < 0 ||
        put_uv(s, dv->length_tracking ? 0 : dv->byte_length) < 0)
        return -1;
    return ser_value(s, jsv_object(dv->buffer));
}

static int ser_object(ser *s, js_object *o)
{
    js_thread *t = s->t;
    unsigned cls = jsobj_class(o);
    int64_t id = mem_find(s, o);
    if (id >= 0)
        return put_byte(s, T_REF) < 0 ? -1 : put_uv(s, (uint64_t)id);
    if (jsobj_is_callable(o))
        return jsclone_throw(t, "a function cannot be cloned"), -1;
    switch (cls) {
    case JS_CLASS_OBJECT: case JS_CLASS_ARRAY: case JS_CLASS_ARGUMENTS: case JS_CLASS_MAPPED_ARGUMENTS:
    case JS_CLASS_DATE: case JS_CLASS_REGEXP: case JS_CLASS_BOOLEAN: case JS_CLASS_NUMBER:
    case JS_CLASS_STRING: case JS_CLASS_BIGINT: case JS_CLASS_MAP: case JS_CLASS_SET: case JS_CLASS_ERROR:
    case JS_CLASS_ARRAY_BUFFER: case JS_CLASS_SHARED_ARRAY_BUFFER: case JS_CLASS_TYPED_ARRAY:
    case JS_CLASS_DATAVIEW:
        break;
    default: {
        const js_class_ops *ops = jsobj_classes[cls];
        return jsclone_throw(t, "%s object could not be cloned", ops && ops->name ? ops->name : "this"), -1;
    }
    }
    if (mem_add(s, o) < 0)
        return -1;
    /* Only the wrapper and Date classes are js_primitive_object-sized. */
#define pv (((js_primitive_object *)o)->value)
    switch (cls) {
    case JS_CLASS_OBJECT: case JS_CLASS_ARGUMENTS: case JS_CLASS_MAPPED_ARGUMENTS:
        if (put_byte(s, T_OBJECT) < 0)
            return -1;
        return ser_props(s, o, 0);
    case JS_CLASS_ARRAY:
        if (put_byte(s, T_ARRAY) < 0 || put_uv(s, ((js_array *)o)->length) < 0)
            return -1;
        return ser_props(s, o, 1);
    case JS_CLASS_DATE:
        return put_byte(s, T_DATE) < 0 ? -1 : put_double(s, jsv_get_number(pv));
    case JS_CLASS_BOOLEAN:
        return put_byte(s, T_BOOLOBJ) < 0 ? -1 : put_byte(s, pv == JSV_TRUE);
    case JS_CLASS_NUMBER:
        return put_byte(s, T_NUMOBJ) < 0 ? -1 : put_double(s, jsv_get_number(pv));
    case JS_CLASS_STRING:
        if (!jsv_is_string(pv))
            return jsclone_throw(t, "String object could not be cloned"), -1;
        return put_byte(s, T_STROBJ) < 0 ? -1 : put_string(s, JSV_STR(pv));
    case JS_CLASS_BIGINT:
        if (!jsv_is_bigint(pv))
            return jsclone_throw(t, "BigInt object could not be cloned"), -1;
        return put_byte(s, T_BIGOBJ) < 0 ? -1 : put_bigint(s, JSV_BIG(pv));
    case JS_CLASS_REGEXP: {
        const js_class_ops *ops = jsobj_classes[JS_CLASS_REGEXP];
        regexp_prefix *r = (regexp_prefix *)o;
        if (!ops || ops->size < sizeof(regexp_prefix) || !jsv_is_string(r->source) || !jsv_is_string(r->flags))
            return jsclone_throw(t, "RegExp object could not be cloned"), -1;
        if (put_byte(s, T_REGEXP) < 0 || put_string(s, JSV_STR(r->source)) < 0)
            return -1;
        return put_string(s, JSV_STR(r->flags));
    }
    case JS_CLASS_MAP: case JS_CLASS_SET:
        return ser_collection(s, o, cls == JS_CLASS_SET);
    case JS_CLASS_ERROR:
        return ser_error(s, o);
    case JS_CLASS_ARRAY_BUFFER: case JS_CLASS_SHARED_ARRAY_BUFFER:
        return ser_buffer(s, o);
    default:
        return ser_view(s, o);
    }
#undef pv
}

static int ser_value(ser *s, jsv v)
{
    js_thread *t = s->t;
    if (jsv_is_int(v)) {
        uint32_t u = (uint32_t)jsv_get_int(v);
        uint8_t b[5] = { T_INT, (uint8_t)u, (uint8_t)(u >> 8), (uint8_t)(u >> 16), (uint8_t)(u >> 24) };
        return put(s, b, 5);
    }
    if (jsv_is_double(v))
        return put_byte(s, T_DOUBLE) < 0 ? -1 : put_double(s, jsv_get_double(v));
    switch (v) {
    case JSV_UNDEFINED: return put_byte(s, T_UNDEF);
    case JSV_NULL: return put_byte(s, T_NULL);
    case JSV_FALSE: return put_byte(s, T_FALSE);
    case JSV_TRUE: return put_byte(s, T_TRUE);
    }
    if (jsv_is_string(v))
        return put_string(s, JSV_STR(v));
    if (jsv_is_bigint(v))
        return put_byte(s, T_BIGINT) < 0 ? -1 : put_bigint(s, JSV_BIG(v));
    if (jsv_is_symbol(v))
        return jsclone_throw(t, "a Symbol cannot be cloned"), -1;
    if (!jsv_is_object(v))
        return jsclone_throw(t, "value could not be cloned"), -1;
    if (s->depth >= JSCLONE_MAX_DEPTH)
        return jsclone_throw(t, "object graph nested too deeply to clone"), -1;
    if (jsvm_check_stack(t) < 0)
        return -1;
    s->depth++;
    int r = ser_object(s, JSV_OBJ(v));
    s->depth--;
    return r;
}

int jsclone_serialize(js_thread *t, jsv value, jsv transfer_list, jsclone_buf *out)
{
    ser s = { .t = t, .out = out };
    int r = -1;
    jsclone_buf_init(out);
    if (!(s.objs = jsobj_new_array(t, 0)))
        return -1;
    if (!jsv_is_undefined(transfer_list)) {
        if (!jsv_is_object(transfer_list)) {
            jsvm_throw_type_error(t, "transfer list is not an object");
            return -1;
        }
        if (!(s.xfer = jsbi_list_from_array_like(t, transfer_list)))
            return -1;
        s.nxfer = s.xfer->elen;
        for (uint32_t i = 0; i < s.nxfer; i++) {
            jsv x = s.xfer->elems[i];
            js_array_buffer *b = jsab_get(x);
            if (!b || b->shared) {
                jsclone_throw(t, "only ArrayBuffers can be transferred");
                goto fail;
            }
            for (uint32_t j = 0; j < i; j++)
                if (s.xfer->elems[j] == x) {
                    jsclone_throw(t, "an ArrayBuffer is listed twice in the transfer list");
                    goto fail;
                }
            if (jsab_is_detached(b) || b->immutable) {
                jsclone_throw(t, "a detached or immutable ArrayBuffer cannot be transferred");
                goto fail;
            }
            uint32_t idx;
            if (add_store(&s, NULL, &idx) < 0)   /* slot i, filled when detaching */
                goto fail;
        }
    }
    if (put(&s, magic, 4) < 0 || put_byte(&s, JSCLONE_VERSION) < 0 || ser_value(&s, value) < 0)
        goto fail;
    /* Detach last: a getter may have detached a listed buffer meanwhile. */
    for (uint32_t i = 0; i < s.nxfer; i++)
        if (jsab_is_detached(jsab_get(s.xfer->elems[i]))) {
            jsclone_throw(t, "a transferred ArrayBuffer was detached during cloning");
            goto fail;
        }
    for (uint32_t i = 0; i < s.nxfer; i++) {
        js_array_buffer *b = jsab_get(s.xfer->elems[i]);
        jssab_storage *st = b->store;
        jssab_retain(st);
        out->stores[i] = st;
        if (jsbi_array_buffer_detach(t, s.xfer->elems[i], b->detach_key) < 0)
            goto fail;
    }
    r = 0;
fail:
    free(s.hkeys);
    free(s.hvals);
    if (r < 0)
        jsclone_buf_free(out);
    return r;
}

/* ------------------------------------------------------------ deserializer */

typedef struct des {
    js_thread *t;
    const uint8_t *start, *p, *end;
    js_object *objs;          /* id -> object (undefined while being built) */
    jssab_storage **stores;
    size_t nstores;
    int depth;
} des;

static jsv bad(des *d, const char *what)
{
    return jsclone_throw(d->t, "malformed serialized data: %s at offset %zu", what, (size_t)(d->p - d->start));
}

static int get_byte(des *d, unsigned *out)
{
    if (d->p >= d->end)
        return bad(d, "truncated"), -1;
    *out = *d->p++;
    return 0;
}

static int get_uv(des *d, uint64_t *out)
{
    uint64_t v = 0;
    for (int shift = 0;; shift += 7) {
        if (d->p >= d->end)
            return bad(d, "truncated"), -1;
        uint8_t c = *d->p++;
        if (shift == 63 && (c & 0x7e))
            return bad(d, "integer overflow"), -1;
        v |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80))
            break;
        if (shift == 63)
            return bad(d, "integer overflow"), -1;
    }
    *out = v;
    return 0;
}

/* A length that must fit in the remaining input at `unit` bytes apiece. */
static int get_len(des *d, size_t unit, uint64_t *out)
{
    if (get_uv(d, out) < 0)
        return -1;
    if (*out > (uint64_t)(d->end - d->p) / unit)
        return bad(d, "length past the end"), -1;
    return 0;
}

static int get_double(des *d, double *out)
{
    if (d->end - d->p < 8)
        return bad(d, "truncated"), -1;
    uint64_t u = 0;
    for (int i = 0; i < 8; i++)
        u |= (uint64_t)d->p[i] << (8 * i);
    d->p += 8;
    memcpy(out, &u, 8);
    return 0;
}

/* A string payload whose tag was already read. */
static js_string *get_string_body(des *d, unsigned tag)
{
    uint64_t n;
    if (get_len(d, tag == T_STR16 ? 2 : 1, &n) < 0)
        return NULL;
    if (n > (1u << 30)) {
        bad(d, "string too long");
        return NULL;
    }
    if (tag == T_STR8) {
        js_string *s = jsstr_new_latin1(d->t, d->p, (size_t)n);
        d->p += n;
        return s;
    }
    uint16_t *u = malloc(n ? n * 2 : 1);
    if (!u) {
        jsvm_throw_out_of_memory(d->t);
        return NULL;
    }
    for (uint64_t i = 0; i < n; i++)
        u[i] = (uint16_t)(d->p[2 * i] | (d->p[2 * i + 1] << 8));
    d->p += 2 * n;
    js_string *s = jsstr_new_utf16(d->t, u, (size_t)n);
    free(u);
    return s;
}

static js_string *get_string(des *d)
{
    unsigned tag;
    if (get_byte(d, &tag) < 0)
        return NULL;
    if (tag != T_STR8 && tag != T_STR16) {
        bad(d, "string expected");
        return NULL;
    }
    return get_string_body(d, tag);
}

static jsv get_bigint(des *d)
{
    unsigned neg;
    uint64_t n;
    if (get_byte(d, &neg) < 0 || get_len(d, 1, &n) < 0)
        return JSV_EXCEPTION;
    if (neg > 1 || n == 0 || n > (1u << 24))
        return bad(d, "bad BigInt");
    for (uint64_t i = 0; i < n; i++) {
        uint8_t c = d->p[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
            return bad(d, "bad BigInt digit");
    }
    js_bigint *b = jsbig_from_string(d->t, (const char *)d->p, (size_t)n, 16);
    d->p += n;
    if (!b)
        return d->t->has_exception ? JSV_EXCEPTION : bad(d, "bad BigInt");
    if (neg && !jsbig_is_zero(b) && !(b = jsbig_neg(d->t, b)))
        return JSV_EXCEPTION;
    return jsv_bigint(b);
}

/* Reserves the next object id; filled by set_id once the object exists. */
static int new_id(des *d, uint32_t *id)
{
    *id = d->objs->elen;
    return jsarray_push(d->t, d->objs, JSV_UNDEFINED);
}

static jsv set_id(des *d, uint32_t id, jsv v)
{
    if (v != JSV_EXCEPTION)
        d->objs->elems[id] = v;
    return v;
}

static jsv des_value(des *d);

static int des_props(des *d, js_object *o)
{
    js_thread *t = d->t;
    for (;;) {
        unsigned kt;
        js_key k;
        if (get_byte(d, &kt) < 0)
            return -1;
        if (kt == T_END)
            return 0;
        if (kt == K_INDEX) {
            uint64_t i;
            if (get_uv(d, &i) < 0)
                return -1;
            if (i >= UINT32_MAX)
                return bad(d, "bad index"), -1;
            k = jskey_from_index((uint32_t)i);
        } else if (kt == K_STRING) {
            js_string *s = get_string(d);
            if (!s)
                return -1;
            k = jskey_from_string(t, s);
            if (k == JSV_EXCEPTION)
                return -1;
        } else
            return bad(d, "bad property key"), -1;
        jsv v = des_value(d);
        if (v == JSV_EXCEPTION)
            return -1;
        if (jsobj_create_data_property(t, o, k, v, JS_THROW) < 0)
            return -1;
    }
}

static jsv des_collection(des *d, uint32_t id, int is_set)
{
    js_thread *t = d->t;
    jsv add = jsrt_intrinsic(t, is_set ? JS_INTR_CloneSetAdd : JS_INTR_CloneMapSet);
    if (!jsv_is_object(add))
        return jsclone_throw(t, "Map/Set cloning is not available in this realm");
    jsv c = jsvm_construct(t, jsrt_intrinsic(t, is_set ? JS_INTR_Set : JS_INTR_Map), 0, NULL, JSV_UNDEFINED);
    if (set_id(d, id, c) == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    for (;;) {
        if (d->p < d->end && *d->p == T_END) {
            d->p++;
            return c;
        }
        jsv kv[2];
        if ((kv[0] = des_value(d)) == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        if (!is_set && (kv[1] = des_value(d)) == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        if (jsvm_call(t, add, c, is_set ? 1 : 2, kv) == JSV_EXCEPTION)
            return JSV_EXCEPTION;
    }
}

static jsv des_error(des *d, uint32_t id)
{
    js_thread *t = d->t;
    unsigned kind, flags;
    if (get_byte(d, &kind) < 0 || get_byte(d, &flags) < 0)
        return JSV_EXCEPTION;
    if (kind >= NERRORS || (flags & ~7u))
        return bad(d, "bad Error record");
    js_object *e = jsobj_new(t, jsrt_intrinsic(t, error_protos[kind]), JS_CLASS_ERROR);
    if (!e)
        return JSV_EXCEPTION;
    int has_slot = jsobj_classes[JS_CLASS_ERROR] && jsobj_classes[JS_CLASS_ERROR]->size >= sizeof(js_primitive_object);
    if (has_slot)
        ((js_primitive_object *)e)->value = JSV_UNDEFINED;
    set_id(d, id, jsv_object(e));
    if (flags & EF_MESSAGE) {
        js_string *m = get_string(d);
        if (!m || jsobj_define_value(t, e, jskey_from_atom_id(t, JS_ATOM_message), jsv_string(m), JS_PROP_C_W) < 0)
            return JSV_EXCEPTION;
    }
    if (flags & EF_STACK) {
        js_string *st = get_string(d);
        if (!st)
            return JSV_EXCEPTION;
        if (has_slot)
            ((js_primitive_object *)e)->value = jsv_string(st);
        else if (jsobj_define_value(t, e, jskey_from_atom_id(t, JS_ATOM_stack), jsv_string(st), JS_PROP_C_W) < 0)
            return JSV_EXCEPTION;
    }
    if (flags & EF_CAUSE) {
        jsv c = des_value(d);
        if (c == JSV_EXCEPTION || jsobj_define_value(t, e, jskey_from_atom_id(t, JS_ATOM_cause), c, JS_PROP_C_W) < 0)
            return JSV_EXCEPTION;
    }
    return jsv_object(e);
}

static jsv des_buffer(des *d, unsigned tag)
{
    js_thread *t = d->t;
    uint64_t n, max = 0;
    unsigned resizable;
    if (tag == T_SAB) {
        if (get_uv(d, &n) < 0)
            return JSV_EXCEPTION;
        if (n >= d->nstores || !d->stores[n] || !d->stores[n]->shared)
            return bad(d, "bad SharedArrayBuffer reference");
        return jsbi_shared_array_buffer_from_storage(t, d->stores[n]);
    }
    if (tag == T_AB_XFER) {
        if (get_uv(d, &n) < 0 || get_byte(d, &resizable) < 0 || get_uv(d, &max) < 0)
            return JSV_EXCEPTION;
        if (n >= d->nstores || !d->stores[n] || d->stores[n]->shared)
            return bad(d, "bad transferred ArrayBuffer reference");
        jssab_storage *st = d->stores[n];
        if (resizable > 1 || (resizable && (max != st->max_byte_length || max < jssab_length(st))) ||
            (!resizable && st->max_byte_length != jssab_length(st)))
            return bad(d, "bad transferred ArrayBuffer");
        js_array_buffer *b = jsab_allocate(t, JSV_UNDEFINED, 0, resizable ? (size_t)max : SIZE_MAX);
        if (!b)
            return JSV_EXCEPTION;
        /* The fresh object takes the storage over: the form's reference becomes its own. */
        if (b->store)
            jssab_release(b->store);
        b->store = st;
        b->max_byte_length = resizable ? (size_t)max : jssab_length(st);
        d->stores[n] = NULL;
        return jsv_object(b);
    }
    if (get_len(d, 1, &n) < 0 || get_byte(d, &resizable) < 0)
        return JSV_EXCEPTION;
    if (resizable > 1)
        return bad(d, "bad ArrayBuffer");
    if (resizable && get_uv(d, &max) < 0)
        return JSV_EXCEPTION;
    if (resizable && (max < n || max > ((uint64_t)1 << 53)))
        return bad(d, "bad ArrayBuffer maximum length");
    if (n > (uint64_t)(d->end - d->p))
        return bad(d, "length past the end");
    js_array_buffer *b = jsab_allocate(t, JSV_UNDEFINED, (size_t)n, resizable ? (size_t)max : SIZE_MAX);
    if (!b)
        return JSV_EXCEPTION;
    if (n)
        memcpy(jsab_data(b), d->p, (size_t)n);
    d->p += n;
    return jsv_object(b);
}

static jsv des_view(des *d, unsigned tag, uint32_t id)
{
    js_thread *t = d->t;
    unsigned kind = 0, tracking;
    uint64_t off, len;
    if (tag == T_TYPED && get_byte(d, &kind) < 0)
        return JSV_EXCEPTION;
    if (get_uv(d, &off) < 0 || get_byte(d, &tracking) < 0 || get_uv(d, &len) < 0)
        return JSV_EXCEPTION;
    if (kind >= JSTA_KIND_COUNT || tracking > 1 || off > ((uint64_t)1 << 53) || len > ((uint64_t)1 << 53))
        return bad(d, "bad view record");
    jsv buf = des_value(d);
    if (buf == JSV_EXCEPTION)
        return JSV_EXCEPTION;
    if (!jsab_get(buf))
        return bad(d, "view over a non-buffer");
    jsv args[3] = { buf, jsv_number((double)off), jsv_number((double)len) };
    int ctor = tag == T_TYPED ? jsta_ctor_intr((int)kind) : JS_INTR_DataView;
    jsv v = jsvm_construct(t, jsrt_intrinsic(t, ctor), tracking ? 2 : 3, args, JSV_UNDEFINED);
    return set_id(d, id, v);
}

static jsv des_object(des *d, unsigned tag)
{
    js_thread *t = d->t;
    uint32_t id;
    jsv v;
    double num;
    if (new_id(d, &id) < 0)
        return JSV_EXCEPTION;
    switch (tag) {
    case T_OBJECT: {
        js_object *o = jsobj_new_plain(t);
        if (!o)
            return JSV_EXCEPTION;
        set_id(d, id, jsv_object(o));
        return des_props(d, o) < 0 ? JSV_EXCEPTION : jsv_object(o);
    }
    case T_ARRAY: {
        uint64_t len;
        if (get_uv(d, &len) < 0)
            return JSV_EXCEPTION;
        if (len > UINT32_MAX)
            return bad(d, "bad array length");
        /* Not preallocated: the length is the sender's word, the elements are not. */
        js_object *a = jsobj_new_array(t, 0);
        if (!a)
            return JSV_EXCEPTION;
        ((js_array *)a)->length = (uint32_t)len;
        set_id(d, id, jsv_object(a));
        return des_props(d, a) < 0 ? JSV_EXCEPTION : jsv_object(a);
    }
    case T_DATE: case T_NUMOBJ:
        if (get_double(d, &num) < 0)
            return JSV_EXCEPTION;
        if (tag == T_DATE) {
            if (!(num == num) || num > 8.64e15 || num < -8.64e15)
                num = NAN;
            else
                num = trunc(num) + 0.0;
            js_object *o = jsbi_new_wrapper(t, JSV_UNDEFINED, JS_INTR_DatePrototype, JS_CLASS_DATE,
                                            jsv_from_double(num));
            return set_id(d, id, o ? jsv_object(o) : JSV_EXCEPTION);
        }
        v = jsv_number(num);
        {
            js_object *o = jsbi_new_wrapper(t, JSV_UNDEFINED, JS_INTR_NumberPrototype, JS_CLASS_NUMBER, v);
            return set_id(d, id, o ? jsv_object(o) : JSV_EXCEPTION);
        }
    case T_BOOLOBJ: {
        unsigned b;
        if (get_byte(d, &b) < 0)
            return JSV_EXCEPTION;
        if (b > 1)
            return bad(d, "bad Boolean");
        js_object *o = jsbi_new_wrapper(t, JSV_UNDEFINED, JS_INTR_BooleanPrototype, JS_CLASS_BOOLEAN, jsv_from_bool(b));
        return set_id(d, id, o ? jsv_object(o) : JSV_EXCEPTION);
    }
    case T_STROBJ: {
        js_string *s = get_string(d);
        if (!s)
            return JSV_EXCEPTION;
        js_object *o = jsbi_new_wrapper(t, JSV_UNDEFINED, JS_INTR_StringPrototype, JS_CLASS_STRING, jsv_string(s));
        return set_id(d, id, o ? jsv_object(o) : JSV_EXCEPTION);
    }
    case T_BIGOBJ: {
        jsv b = get_bigint(d);
        if (b == JSV_EXCEPTION)
            return JSV_EXCEPTION;
        js_object *o = jsbi_new_wrapper(t, JSV_UNDEFINED, JS_INTR_BigIntPrototype, JS_CLASS_BIGINT, b);
        return set_id(d, id, o ? jsv_object(o) : JSV_EXCEPTION);
    }
    case T_REGEXP: {
        js_string *src = get_string(d), *fl;
        if (!src || !(fl = get_string(d)))
            return JSV_EXCEPTION;
        if (!jsbi_regexp_create)
            return jsclone_throw(t, "RegExp is not available");
        return set_id(d, id, jsbi_regexp_create(t, src, fl));
    }
    case T_MAP: case T_SET:
        return des_collection(d, id, tag == T_SET);
    case T_ERROR:
        return des_error(d, id);
    case T_AB: case T_AB_XFER: case T_SAB:
        return set_id(d, id, des_buffer(d, tag));
    case T_TYPED: case T_VIEW:
        return des_view(d, tag, id);
    }
    return bad(d, "unknown tag");
}

static jsv des_value(des *d)
{
    js_thread *t = d->t;
    unsigned tag;
    uint64_t n;
    double num;
    if (get_byte(d, &tag) < 0)
        return JSV_EXCEPTION;
    switch (tag) {
    case T_UNDEF: return JSV_UNDEFINED;
    case T_NULL: return JSV_NULL;
    case T_FALSE: return JSV_FALSE;
    case T_TRUE: return JSV_TRUE;
    case T_INT:
        if (d->end - d->p < 4)
            return bad(d, "truncated");
        n = (uint32_t)d->p[0] | ((uint32_t)d->p[1] << 8) | ((uint32_t)d->p[2] << 16) | ((uint32_t)d->p[3] << 24);
        d->p += 4;
        return jsv_from_int((int32_t)(uint32_t)n);
    case T_DOUBLE:
        return get_double(d, &num) < 0 ? JSV_EXCEPTION : jsv_number(num);
    case T_STR8: case T_STR16: {
        js_string *s = get_string_body(d, tag);
        return s ? jsv_string(s) : JSV_EXCEPTION;
    }
    case T_BIGINT:
        return get_bigint(d);
    case T_REF:
        if (get_uv(d, &n) < 0)
            return JSV_EXCEPTION;
        if (n >= d->objs->elen || !jsv_is_object(d->objs->elems[n]))
            return bad(d, "bad back-reference");
        return d->objs->elems[n];
    }
    if (d->depth >= JSCLONE_MAX_DEPTH)
        return bad(d, "nested too deeply");
    if (jsvm_check_stack(t) < 0)
        return JSV_EXCEPTION;
    d->depth++;
    jsv v = des_object(d, tag);
    d->depth--;
    return v;
}

jsv jsclone_deserialize(js_thread *t, const uint8_t *data, size_t len, jssab_storage **stores, size_t nstores)
{
    des d = { .t = t, .start = data, .p = data, .end = data + len, .stores = stores, .nstores = stores ? nstores : 0 };
    if (len < 5 || memcmp(data, magic, 4) != 0)
        return bad(&d, "not a structured clone");
    if (data[4] != JSCLONE_VERSION)
        return jsclone_throw(t, "unsupported structured clone version %u", data[4]);
    d.p += 5;
    if (!(d.objs = jsobj_new_array(t, 0)))
        return JSV_EXCEPTION;
    jsv v = des_value(&d);
    if (v == JSV_EXCEPTION)
        return v;
    if (d.p != d.end)
        return bad(&d, "trailing bytes");
    return v;
}
