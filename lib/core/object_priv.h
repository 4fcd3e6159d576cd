/*
 * object_priv.h - what shape.c, object.c, array.c, object_wrap.c and function.c
 * share among themselves and nobody else may call: element storage helpers,
 * class lookup, error-message key formatting.
 * Must not be included outside lib/core/{shape,object,array,object_wrap,function}.c
 * and lib/vm/ops.c.
 */
#ifndef JSE_CORE_OBJECT_PRIV_H
#define JSE_CORE_OBJECT_PRIV_H

#include "runtime.h"
#include "../vm/vm.h"

/* The class entry of o, or NULL for a class whose module is not linked yet. */
static inline const js_class_ops *jsobj_ops(const js_object *o)
{
    unsigned c = o->h.aux;
    return c < JS_CLASS_COUNT ? jsobj_classes[c] : NULL;
}

static inline int jsobj_is_array_class(const js_object *o) { return o->h.aux == JS_CLASS_ARRAY; }

static inline jsv jsobj_length_key(struct js_thread *t) { return jsv_string(t->rt->atoms[JS_ATOM_length]); }

/* Elements: switch o from dense elems to index keys in the shape. -1 on OOM. */
int jsobj_make_sparse(struct js_thread *t, js_object *o);
/* Store value at dense index i (i may extend elen; holes fill the gap). The
 * caller has checked that o is dense and that i is within the dense limit.
 * -1 on OOM. */
int jsobj_dense_store(struct js_thread *t, js_object *o, uint32_t i, jsv v);
/* May index i be stored densely in o (not sparse and not too far out)? */
int jsobj_dense_ok(const js_object *o, uint32_t i);
/* Sort index keys ascending (own_keys of sparse objects). */
void jsobj_sort_index_keys(js_key *keys, uint32_t n);

/* Write a short printable form of key k into buf (for error messages). */
const char *jsobj_key_cstr(struct js_thread *t, js_key k, char *buf, size_t size);

/* The array exotic [[DefineOwnProperty]] for key "length" needs the current
 * virtual length property. */
int jsarray_define_own_property(struct js_thread *t, js_object *o, js_key k, const js_propdesc *d, int flags);

/* Property value of a descriptor-less own lookup, shared by get paths:
 * calls the getter for accessors. */
jsv jsobj_call_getter(struct js_thread *t, jsv accessor_cell, jsv receiver);

/* Getter/setter cell. NULL + exception on OOM. */
js_accessor *jsobj_new_accessor(struct js_thread *t, jsv getter, jsv setter);

/* Give o a dictionary shape of its own now (before bulk additions). */
int jsshape_object_to_dict(struct js_thread *t, js_object *o);
/* Flag in the slot array's header word (slots[-1]): the slots live inside the
 * object's own cell. */
#define JSOBJ_SLOTS_INLINE 0x80000000u
/* Free o's slot array (finalizers: needs no shape). */
void jsshape_free_slots(js_runtime *rt, js_object *o);

/* GetFunctionRealm pieces owned elsewhere, linked weakly: the realm of a
 * bytecode function (vm) and the target of a proxy (-1 when revoked). */
struct js_realm *jsvm_function_bc_realm(js_object *f) __attribute__((weak));
int jsbi_proxy_target(js_object *proxy, jsv *target) __attribute__((weak));
/* CreateAsyncFromSyncIterator (vm/generator code), linked weakly. */
int jsvm_create_async_from_sync_iterator(struct js_thread *t, js_iter_record *sync, js_iter_record *out)
    __attribute__((weak));

/* A wrapper (Number, String, Boolean, Symbol, BigInt, Date) holding value;
 * also the strong reference that links object_wrap.c's classes. */
js_object *jsobj_new_wrapper(struct js_thread *t, jsv proto, unsigned class_id, jsv value);
/* String wrapper helpers (object_wrap.c): the wrapped string or NULL. */
struct js_string *jsobj_string_data(js_object *o);

#endif
