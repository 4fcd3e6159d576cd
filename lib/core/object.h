/*
 * object.h - objects, shapes (hidden classes with transitions and a dictionary
 * mode), property keys, dense/sparse elements, the internal methods of the
 * specification ([[Get]], [[DefineOwnProperty]], ...) with per-class exotic hooks,
 * and native function objects.
 * shape.c owns shape layout and transitions; object.c owns the internal methods.
 * Neither knows about bytecode: the VM plugs in [[Call]]/[[Construct]] of
 * bytecode functions through the class table.
 * Thread rules: objects are affine to their runtime's thread (Layer B: under the GIL).
 */
#ifndef JSE_CORE_OBJECT_H
#define JSE_CORE_OBJECT_H

#include "value.h"
#include "gc.h"

struct js_thread;
struct js_runtime;
struct js_realm;
struct js_shape;
struct js_string;
struct js_keylist;

/*
 * Property keys are jsv values of three kinds:
 *   - int tag holding a uint32 array index 0..2^32-2 (read with (uint32_t)jsv_get_int),
 *   - string tag holding an atom (JS_STR_ATOM) that is NOT a canonical array index,
 *   - symbol.
 * jsobj_key_from_* and jsop_to_property_key produce canonical keys; every
 * internal method takes only canonical keys.
 */
typedef jsv js_key;
static inline int jskey_is_index(js_key k) { return jsv_is_int(k); }
static inline uint32_t jskey_index(js_key k) { return (uint32_t)jsv_get_int(k); }
static inline js_key jskey_from_index(uint32_t i) { return JSV_MAKE(JSV_TAG_INT, i); }
js_key jskey_from_atom_id(struct js_thread *t, int atom_id);           /* JS_ATOM_x */
js_key jskey_from_cstr(struct js_thread *t, const char *ascii);         /* JSV_EXCEPTION on OOM */
js_key jskey_from_string(struct js_thread *t, struct js_string *s);     /* interns; index strings -> int key */
jsv jskey_to_value(struct js_thread *t, js_key k);                      /* index -> string value */

/* Property attribute bits (shape entries and descriptors). */
#define JS_PROP_WRITABLE      0x01
#define JS_PROP_ENUMERABLE    0x02
#define JS_PROP_CONFIGURABLE  0x04
#define JS_PROP_ACCESSOR      0x08   /* slot holds a js_accessor cell */
#define JS_PROP_C_W_E (JS_PROP_WRITABLE | JS_PROP_ENUMERABLE | JS_PROP_CONFIGURABLE)
#define JS_PROP_C_W   (JS_PROP_WRITABLE | JS_PROP_CONFIGURABLE)   /* builtin methods */

/* Getter/setter pair stored in an accessor property's slot (JS_CELL_ACCESSOR). */
typedef struct js_accessor {
    js_cell h;
    jsv getter;   /* function object or undefined */
    jsv setter;
} js_accessor;

/* A full or partial property descriptor ([[DefineOwnProperty]] input, [[GetOwnProperty]] output). */
#define JS_DESC_HAS_VALUE        0x0100
#define JS_DESC_HAS_WRITABLE     0x0200
#define JS_DESC_HAS_ENUMERABLE   0x0400
#define JS_DESC_HAS_CONFIGURABLE 0x0800
#define JS_DESC_HAS_GET          0x1000
#define JS_DESC_HAS_SET          0x2000
typedef struct js_propdesc {
    unsigned flags;   /* JS_PROP_* attribute bits | JS_DESC_HAS_* presence bits */
    jsv value;
    jsv getter;
    jsv setter;
} js_propdesc;

/*
 * Object classes. The class id lives in obj->h.aux. Each class has an entry in
 * the static const class table (object.c) giving its struct size, trace and
 * finalize hooks and optional exotic internal methods.
 */
enum {
    JS_CLASS_OBJECT = 1,        /* ordinary */
    JS_CLASS_ARRAY,             /* Array exotic: length */
    JS_CLASS_ERROR,
    JS_CLASS_NUMBER, JS_CLASS_STRING, JS_CLASS_BOOLEAN, JS_CLASS_SYMBOL, JS_CLASS_BIGINT,  /* wrappers */
    JS_CLASS_ARGUMENTS,         /* unmapped arguments */
    JS_CLASS_MAPPED_ARGUMENTS,  /* exotic */
    JS_CLASS_DATE,
    JS_CLASS_REGEXP,
    JS_CLASS_FUNCTION_BC,       /* bytecode function (vm/function.h) */
    JS_CLASS_FUNCTION_NATIVE,   /* js_native_function */
    JS_CLASS_FUNCTION_BOUND,
    JS_CLASS_GENERATOR, JS_CLASS_ASYNC_GENERATOR, JS_CLASS_ASYNC_FROM_SYNC_ITERATOR,
    JS_CLASS_PROMISE,
    JS_CLASS_PROXY,
    JS_CLASS_MAP, JS_CLASS_SET, JS_CLASS_WEAKMAP, JS_CLASS_WEAKSET,
    JS_CLASS_WEAKREF, JS_CLASS_FINALIZATION_REGISTRY,
    JS_CLASS_ARRAY_ITERATOR, JS_CLASS_STRING_ITERATOR, JS_CLASS_MAP_ITERATOR,
    JS_CLASS_SET_ITERATOR, JS_CLASS_REGEXP_STRING_ITERATOR, JS_CLASS_ITERATOR_HELPER,
    JS_CLASS_WRAP_FOR_VALID_ITERATOR, JS_CLASS_FOR_IN_ITERATOR,
    JS_CLASS_ARRAY_BUFFER, JS_CLASS_SHARED_ARRAY_BUFFER, JS_CLASS_DATAVIEW,
    JS_CLASS_TYPED_ARRAY,       /* kind in the extension struct */
    JS_CLASS_MODULE_NS,         /* module namespace exotic */
    JS_CLASS_GLOBAL,            /* the global object */
    JS_CLASS_DISPOSABLE_STACK, JS_CLASS_ASYNC_DISPOSABLE_STACK,
    JS_CLASS_SHADOW_REALM,
    JS_CLASS_TEMPORAL,          /* Temporal objects; kind in the extension struct */
    JS_CLASS_HOST,              /* embedder objects (public API) */
    JS_CLASS_COUNT
};

/* js_object.h.flags */
#define JS_OBJ_EXTENSIBLE   0x0001
#define JS_OBJ_CALLABLE     0x0002   /* has [[Call]] */
#define JS_OBJ_CONSTRUCTOR  0x0004   /* has [[Construct]] */
#define JS_OBJ_EXOTIC       0x0008   /* class has exotic internal methods: take the slow path */
#define JS_OBJ_HTMLDDA      0x0010   /* [[IsHTMLDDA]] (test262 host object) */
#define JS_OBJ_SPARSE       0x0020   /* indexed properties live in the shape, not elems */
#define JS_OBJ_CLASS_CTOR   0x0040   /* class constructor: [[Call]] throws */
#define JS_OBJ_FROZEN_ELEMS 0x0080   /* elems are non-writable/non-configurable (frozen array) */
#define JS_OBJ_IMMUTABLE_PROTO 0x0100 /* immutable prototype exotic (%Object.prototype%) */
#define JS_OBJ_IS_PROTO     0x0200   /* some shape names it as [[Prototype]] (shape.c) */
#define JS_OBJ_RAW_JSON     0x8000   /* [[IsRawJSON]] (JSON.rawJSON objects, builtins/json.c) */

/*
 * Every object. Named properties: shape gives key -> (attributes, slot index),
 * slots[] holds values (accessor properties: a js_accessor cell as jsv_cell).
 * Indexed properties: while !JS_OBJ_SPARSE, elems[0..elen) holds plain data
 * properties with attributes C|W|E; JSV_HOLE marks a missing element. Anything
 * else (non-default attributes, accessors, huge sparse index) converts the
 * object to JS_OBJ_SPARSE, where index keys live in the shape like named keys.
 * Class-specific data follows in an extension struct whose first member is
 * js_object.
 */
typedef struct js_object {
    js_cell h;                 /* h.aux = class id */
    struct js_shape *shape;    /* also holds [[Prototype]] */
    jsv *slots;
    jsv *elems;
    uint32_t elen;             /* dense length (Array: <= length) */
    uint32_t ecap;
} js_object;

static inline unsigned jsobj_class(const js_object *o) { return o->h.aux; }
static inline int jsobj_is_callable(const js_object *o) { return (o->h.flags & JS_OBJ_CALLABLE) != 0; }
static inline int jsobj_is_constructor(const js_object *o) { return (o->h.flags & JS_OBJ_CONSTRUCTOR) != 0; }

/* Array: the length of an Array exotic object. */
typedef struct js_array {
    js_object base;
    uint32_t length;
    uint8_t length_writable;
} js_array;

/* Wrapper objects (Number, String, Boolean, Symbol, BigInt) and Date. */
typedef struct js_primitive_object {
    js_object base;
    jsv value;        /* [[NumberData]] etc.; Date: time value as double */
} js_primitive_object;

/* Native functions. `magic` lets one C function serve several builtins. */
typedef jsv (*js_native_fn)(struct js_thread *t, jsv this_val, int argc, jsv *argv, int magic);
/* Construct-capable natives get new_target through this signature. */
typedef jsv (*js_native_ctor)(struct js_thread *t, jsv new_target, int argc, jsv *argv, int magic);

#define JS_NATIVE_DATA_SLOTS 4
typedef struct js_native_function {
    js_object base;
    js_native_fn fn;             /* [[Call]] */
    js_native_ctor ctor;         /* [[Construct]], or NULL */
    struct js_realm *realm;
    int magic;
    void *opaque;                /* embedder data (public API) */
    jsv data[JS_NATIVE_DATA_SLOTS];  /* closure data for builtins (e.g. promise resolve functions) */
} js_native_function;

/* Bound function exotic object. */
typedef struct js_bound_function {
    js_object base;
    jsv target;
    jsv bound_this;
    uint32_t argc;
    jsv *argv;                   /* jsgc_malloc-ed */
} js_bound_function;

/*
 * Per-class descriptor (static const table in object.c, entries may be
 * registered by other modules through jsobj_class_register at runtime start-up
 * only before any runtime exists... instead: the table is static const and
 * lists every class's hooks; modules export their hook functions).
 * Exotic hooks are NULL for ordinary behaviour.
 */
typedef struct js_class_ops {
    const char *name;
    size_t size;                                            /* struct size */
    void (*trace)(js_gc_tracer *trc, js_object *o);         /* extension fields only */
    void (*finalize)(struct js_runtime *rt, js_object *o);
    /* exotic internal methods; return -1 on exception */
    int (*get_own_property)(struct js_thread *t, js_object *o, js_key k, js_propdesc *d);   /* 0 absent, 1 present */
    int (*define_own_property)(struct js_thread *t, js_object *o, js_key k, const js_propdesc *d, int flags); /* 0 false, 1 true */
    int (*has_property)(struct js_thread *t, js_object *o, js_key k);
    jsv (*get)(struct js_thread *t, js_object *o, js_key k, jsv receiver);
    int (*set)(struct js_thread *t, js_object *o, js_key k, jsv v, jsv receiver);          /* 0 false, 1 true */
    int (*delete_property)(struct js_thread *t, js_object *o, js_key k);                   /* 0 false, 1 true */
    int (*own_keys)(struct js_thread *t, js_object *o, struct js_keylist *out);
    int (*get_prototype_of)(struct js_thread *t, js_object *o, jsv *out);
    int (*set_prototype_of)(struct js_thread *t, js_object *o, jsv proto);                 /* 0 false, 1 true */
    int (*is_extensible)(struct js_thread *t, js_object *o);
    int (*prevent_extensions)(struct js_thread *t, js_object *o);
    jsv (*call)(struct js_thread *t, js_object *f, jsv this_val, int argc, jsv *argv);
    jsv (*construct)(struct js_thread *t, js_object *f, int argc, jsv *argv, jsv new_target);
} js_class_ops;

/* The class table: defined in lib/core/classes.c, one entry per JS_CLASS_*. */
extern const js_class_ops *const jsobj_classes[JS_CLASS_COUNT];

/* Key lists for [[OwnPropertyKeys]] (malloc-ed array; keys must be kept alive:
 * the list is scanned conservatively only if on the stack, so owners that keep
 * it across allocation must root the keys, e.g. by holding the object). */
typedef struct js_keylist {
    js_key *keys;
    uint32_t count, cap;
} js_keylist;
int jskeylist_push(struct js_thread *t, js_keylist *l, js_key k);
void jskeylist_free(struct js_runtime *rt, js_keylist *l);

/* flags for define/set/delete */
#define JS_THROW        0x01   /* throw TypeError on failure instead of returning 0 */

/* Creation. `proto` is an object or JSV_NULL. NULL + exception on OOM. */
js_object *jsobj_new(struct js_thread *t, jsv proto, unsigned class_id);
js_object *jsobj_new_plain(struct js_thread *t);                 /* proto = %Object.prototype% */
js_object *jsobj_new_array(struct js_thread *t, uint32_t len);   /* proto = %Array.prototype%, holes */
js_object *jsobj_new_array_from(struct js_thread *t, uint32_t n, const jsv *values);
/* GetPrototypeFromConstructor(new_target, intrinsic) + allocate with class. */
js_object *jsobj_new_from_ctor(struct js_thread *t, jsv new_target, int intrinsic, unsigned class_id);

/* The internal methods (spec 10.1, dispatching to class hooks). */
int jsobj_get_own_property(struct js_thread *t, js_object *o, js_key k, js_propdesc *d);
int jsobj_define_own_property(struct js_thread *t, js_object *o, js_key k, const js_propdesc *d, int flags);
int jsobj_has_property(struct js_thread *t, js_object *o, js_key k);
int jsobj_has_own_property(struct js_thread *t, js_object *o, js_key k);
jsv jsobj_get(struct js_thread *t, js_object *o, js_key k, jsv receiver);
int jsobj_set(struct js_thread *t, js_object *o, js_key k, jsv v, jsv receiver, int flags);
int jsobj_delete(struct js_thread *t, js_object *o, js_key k, int flags);
int jsobj_own_keys(struct js_thread *t, js_object *o, js_keylist *out);
int jsobj_get_prototype_of(struct js_thread *t, js_object *o, jsv *out);
int jsobj_set_prototype_of(struct js_thread *t, js_object *o, jsv proto, int flags);
int jsobj_is_extensible(struct js_thread *t, js_object *o);
int jsobj_prevent_extensions(struct js_thread *t, js_object *o, int flags);
/* Ordinary versions, for exotic hooks that fall back to them. */
int jsobj_ordinary_get_own_property(struct js_thread *t, js_object *o, js_key k, js_propdesc *d);
int jsobj_ordinary_define_own_property(struct js_thread *t, js_object *o, js_key k, const js_propdesc *d, int flags);
jsv jsobj_ordinary_get(struct js_thread *t, js_object *o, js_key k, jsv receiver);
int jsobj_ordinary_set(struct js_thread *t, js_object *o, js_key k, jsv v, jsv receiver, int flags);
int jsobj_ordinary_delete(struct js_thread *t, js_object *o, js_key k, int flags);
int jsobj_ordinary_own_keys(struct js_thread *t, js_object *o, js_keylist *out);
int jsobj_ordinary_set_prototype_of(struct js_thread *t, js_object *o, jsv proto);
/* ValidateAndApplyPropertyDescriptor (spec 10.1.6.3), for exotic objects. */
int jsobj_validate_and_apply(struct js_thread *t, js_object *o, js_key k, int extensible,
                             const js_propdesc *d, const js_propdesc *current, int has_current);

/* Conveniences on any value (ToObject for primitives where the spec does). */
jsv jsobj_get_value(struct js_thread *t, jsv obj, js_key k);               /* GetV */
int jsobj_set_value(struct js_thread *t, jsv obj, js_key k, jsv v, int flags);
jsv jsobj_get_index(struct js_thread *t, js_object *o, uint32_t i);
int jsobj_set_index(struct js_thread *t, js_object *o, uint32_t i, jsv v, int flags);
/* CreateDataProperty(OrThrow) */
int jsobj_create_data_property(struct js_thread *t, js_object *o, js_key k, jsv v, int flags);

/*
 * Fast definition for set-up code and literals: adds an own property that is
 * known not to exist yet (no checks beyond that). attrs = JS_PROP_* bits.
 * Returns -1 on OOM.
 */
int jsobj_define_value(struct js_thread *t, js_object *o, js_key k, jsv v, unsigned attrs);
int jsobj_define_accessor(struct js_thread *t, js_object *o, js_key k, jsv getter, jsv setter, unsigned attrs);
/* Builtin set-up helpers: a method (attrs C|W) named `name`, `length` = nargs. */
int jsobj_define_fn(struct js_thread *t, js_object *o, const char *name, js_native_fn fn, int nargs, int magic);
int jsobj_define_fn_key(struct js_thread *t, js_object *o, js_key k, js_native_fn fn, int nargs, int magic);
int jsobj_define_getter(struct js_thread *t, js_object *o, const char *name, js_native_fn fn, int magic);
int jsobj_define_getset(struct js_thread *t, js_object *o, js_key k, js_native_fn get, js_native_fn set, int magic);

/* Native functions: name is a key (its string form becomes "name"; symbols give
 * "[desc]"); prefix "get"/"set" or NULL. */
js_object *jsfn_new_native(struct js_thread *t, js_native_fn fn, js_key name, int length, int magic);
js_object *jsfn_new_native_ctor(struct js_thread *t, js_native_fn call, js_native_ctor ctor,
                                js_key name, int length, int magic);
int jsfn_set_name(struct js_thread *t, js_object *f, js_key name, const char *prefix);  /* SetFunctionName */
int jsfn_set_length(struct js_thread *t, js_object *f, double length);
js_object *jsfn_new_bound(struct js_thread *t, js_object *target, jsv this_val, int argc, const jsv *argv);

/* Arrays */
int jsobj_is_array(struct js_thread *t, jsv v);   /* IsArray: -1 on revoked proxy */
int jsarray_set_length(struct js_thread *t, js_object *a, const js_propdesc *d, int flags); /* ArraySetLength */
/* Append to a fresh dense array being built (no getters/setters involved). */
int jsarray_push(struct js_thread *t, js_object *a, jsv v);
/* Dense fast path: returns 1 and *out when o is an Array with a present element at i. */
static inline int jsarray_fast_get(const js_object *o, uint32_t i, jsv *out) {
    if (!(o->h.flags & JS_OBJ_SPARSE) && i < o->elen && o->elems[i] != JSV_HOLE) { *out = o->elems[i]; return 1; }
    return 0;
}
/* Ensure dense capacity for n elements. */
int jsobj_elems_reserve(struct js_thread *t, js_object *o, uint32_t n);

/* ---- shapes (shape.c) ---- */
typedef struct js_shape_prop {
    js_key key;
    uint32_t attrs;    /* JS_PROP_* */
    uint32_t slot;
} js_shape_prop;

#define JS_SHAPE_DICT 0x0001   /* owned by one object, mutated in place, never cached by ICs */
typedef struct js_shape {
    js_cell h;
    jsv proto;                 /* object or JSV_NULL */
    uint32_t count;            /* properties */
    uint32_t nslots;           /* slots used (>= count in dict mode after deletes) */
    js_shape_prop *props;      /* malloc-ed, insertion order (deleted entries: key = JSV_UNDEFINED in dict mode) */
    uint32_t *hash;            /* malloc-ed lookup index or NULL when count is small */
    uint32_t hash_size;
    struct js_shape *parent;   /* transition tree */
    void *transitions;         /* shape.c private table */
    uint32_t ndeleted;         /* dict mode: deleted entries (key = JSV_UNDEFINED) in props */
    uint32_t props_cap;        /* allocated entries of props */
} js_shape;

/* Lookup: returns the entry or NULL. */
js_shape_prop *jsshape_find(js_shape *s, js_key k);
/* The shared root shape for a prototype (cached per runtime). */
js_shape *jsshape_initial(struct js_thread *t, jsv proto);
/* Transition: shape after adding key with attrs (shared, cached). NULL on OOM. */
js_shape *jsshape_add(struct js_thread *t, js_shape *s, js_key k, unsigned attrs);
/* Object-level operations that may switch to dictionary mode. */
int jsshape_object_add(struct js_thread *t, js_object *o, js_key k, unsigned attrs, uint32_t *slot_out);
/* o (whose shape is c's parent) takes the transition c that jsshape_add made
 * earlier, as an inline cache replays it: the new slot reads undefined. */
int jsshape_object_take(struct js_thread *t, js_object *o, js_shape *c);
int jsshape_object_remove(struct js_thread *t, js_object *o, js_key k);
int jsshape_object_change_attrs(struct js_thread *t, js_object *o, js_key k, unsigned attrs);
int jsshape_object_set_proto(struct js_thread *t, js_object *o, jsv proto);
void jsshape_trace(js_gc_tracer *trc, js_shape *s);
void jsshape_finalize(struct js_runtime *rt, js_shape *s);

/* Called by gc.c for JS_CELL_OBJECT: traces shape, slots, elems and then the class hook. */
void jsobj_trace(js_gc_tracer *trc, js_object *o);
void jsobj_finalize(struct js_runtime *rt, js_object *o);

#endif
