/*
 * value.h - the NaN-boxed 64-bit value (jsv) and the header every GC cell starts with.
 * Pure inline code: allocates nothing, touches no runtime or thread state.
 * Thread rules: a jsv is a plain word; what it points to follows the rules of its cell type.
 */
#ifndef JSE_CORE_VALUE_H
#define JSE_CORE_VALUE_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>
#include <math.h>

/*
 * Encoding. A double is stored as its IEEE bits; every NaN is canonicalized to
 * 0x7FF8000000000000 so the space at and above 0xFFF9 << 48 (negative quiet NaNs
 * with payload) is free for tags. The low 48 bits carry an int32 or a pointer.
 *
 *   0x0000... - 0xFFF8...  double
 *   0xFFF9  int32 (low 32 bits)
 *   0xFFFA  special: undefined, null, false, true, hole, exception, uninitialized
 *   0xFFFB  object   (js_object *)
 *   0xFFFC  string   (js_string *)
 *   0xFFFD  symbol   (js_symbol *)
 *   0xFFFE  bigint   (js_bigint *)
 *   0xFFFF  internal cell (js_cell *), never visible to scripts
 *
 * The conservative stack scanner strips the tag and treats the low 48 bits as a
 * candidate pointer, so a pointer kept in a jsv on the C stack keeps its cell alive.
 */
typedef uint64_t jsv;

#define JSV_TAG_SHIFT   48
#define JSV_TAG_INT     0xFFF9u
#define JSV_TAG_SPECIAL 0xFFFAu
#define JSV_TAG_OBJECT  0xFFFBu
#define JSV_TAG_STRING  0xFFFCu
#define JSV_TAG_SYMBOL  0xFFFDu
#define JSV_TAG_BIGINT  0xFFFEu
#define JSV_TAG_CELL    0xFFFFu

#define JSV_PAYLOAD_MASK 0x0000FFFFFFFFFFFFull
#define JSV_MAKE(tag, payload) (((uint64_t)(tag) << JSV_TAG_SHIFT) | ((uint64_t)(payload) & JSV_PAYLOAD_MASK))
#define JSV_TAG(v) ((uint32_t)((v) >> JSV_TAG_SHIFT))

#define JSV_UNDEFINED     JSV_MAKE(JSV_TAG_SPECIAL, 0)
#define JSV_NULL          JSV_MAKE(JSV_TAG_SPECIAL, 1)
#define JSV_FALSE         JSV_MAKE(JSV_TAG_SPECIAL, 2)
#define JSV_TRUE          JSV_MAKE(JSV_TAG_SPECIAL, 3)
/* Array hole in dense element storage; never escapes to scripts. */
#define JSV_HOLE          JSV_MAKE(JSV_TAG_SPECIAL, 4)
/* Returned by any jsv-returning function that threw; the thrown value is in
 * js_thread.exception. Never stored in the heap. */
#define JSV_EXCEPTION     JSV_MAKE(JSV_TAG_SPECIAL, 5)
/* TDZ marker for let/const/class bindings before initialization. */
#define JSV_UNINITIALIZED JSV_MAKE(JSV_TAG_SPECIAL, 6)

#define JSV_CANONICAL_NAN 0x7FF8000000000000ull

static inline int jsv_is_double(jsv v) { return v < ((uint64_t)JSV_TAG_INT << JSV_TAG_SHIFT); }
static inline int jsv_is_int(jsv v) { return JSV_TAG(v) == JSV_TAG_INT; }
static inline int jsv_is_number(jsv v) { return v < ((uint64_t)JSV_TAG_SPECIAL << JSV_TAG_SHIFT); }
static inline int jsv_is_undefined(jsv v) { return v == JSV_UNDEFINED; }
static inline int jsv_is_null(jsv v) { return v == JSV_NULL; }
static inline int jsv_is_nullish(jsv v) { return v == JSV_UNDEFINED || v == JSV_NULL; }
static inline int jsv_is_bool(jsv v) { return v == JSV_TRUE || v == JSV_FALSE; }
static inline int jsv_is_exception(jsv v) { return v == JSV_EXCEPTION; }
static inline int jsv_is_object(jsv v) { return JSV_TAG(v) == JSV_TAG_OBJECT; }
static inline int jsv_is_string(jsv v) { return JSV_TAG(v) == JSV_TAG_STRING; }
static inline int jsv_is_symbol(jsv v) { return JSV_TAG(v) == JSV_TAG_SYMBOL; }
static inline int jsv_is_bigint(jsv v) { return JSV_TAG(v) == JSV_TAG_BIGINT; }
static inline int jsv_is_cell(jsv v) { return JSV_TAG(v) == JSV_TAG_CELL; }
/* Does the value point at a GC cell (object, string, symbol, bigint, internal)? */
static inline int jsv_is_gc(jsv v) { return JSV_TAG(v) >= JSV_TAG_OBJECT; }

static inline int32_t jsv_get_int(jsv v) { return (int32_t)(uint32_t)v; }
static inline double jsv_get_double(jsv v) { double d; memcpy(&d, &v, sizeof d); return d; }
static inline double jsv_get_number(jsv v) { return jsv_is_int(v) ? (double)jsv_get_int(v) : jsv_get_double(v); }
static inline int jsv_get_bool(jsv v) { return v == JSV_TRUE; }
static inline void *jsv_get_ptr(jsv v) { return (void *)(uintptr_t)(v & JSV_PAYLOAD_MASK); }

static inline jsv jsv_from_int(int32_t i) { return JSV_MAKE(JSV_TAG_INT, (uint32_t)i); }
static inline jsv jsv_from_bool(int b) { return b ? JSV_TRUE : JSV_FALSE; }
/* Raw double, NaN canonicalized; does not fold integral values to int32. */
static inline jsv jsv_from_double(double d) {
    jsv v;
    if (d != d) return JSV_CANONICAL_NAN;
    memcpy(&v, &d, sizeof v);
    return v;
}
/* Canonical number: int32 when the value is an int32 other than -0, else double. */
static inline jsv jsv_number(double d) {
    if (d >= -2147483648.0 && d <= 2147483647.0) {
        int32_t i = (int32_t)d;
        if ((double)i == d && !(i == 0 && signbit(d))) return jsv_from_int(i);
    }
    return jsv_from_double(d);
}
static inline jsv jsv_from_ptr(uint32_t tag, const void *p) { return JSV_MAKE(tag, (uintptr_t)p); }

#define jsv_object(p) jsv_from_ptr(JSV_TAG_OBJECT, (p))
#define jsv_string(p) jsv_from_ptr(JSV_TAG_STRING, (p))
#define jsv_symbol(p) jsv_from_ptr(JSV_TAG_SYMBOL, (p))
#define jsv_bigint(p) jsv_from_ptr(JSV_TAG_BIGINT, (p))
#define jsv_cell(p)   jsv_from_ptr(JSV_TAG_CELL, (p))

#define JSV_OBJ(v) ((struct js_object *)jsv_get_ptr(v))
#define JSV_STR(v) ((struct js_string *)jsv_get_ptr(v))
#define JSV_SYM(v) ((struct js_symbol *)jsv_get_ptr(v))
#define JSV_BIG(v) ((struct js_bigint *)jsv_get_ptr(v))

/*
 * Every heap cell starts with this header. gc.c owns gcbits; the type's module
 * owns flags and aux.
 */
typedef struct js_cell {
    uint8_t type;     /* JS_CELL_* */
    uint8_t gcbits;   /* owned by gc.c */
    uint16_t flags;   /* per type */
    uint32_t aux;     /* per type (string: hash; object: class id) */
} js_cell;

enum {
    JS_CELL_FREE = 0,     /* gc.c: free slot */
    JS_CELL_STRING,       /* js_string (string.h) */
    JS_CELL_SYMBOL,       /* js_symbol (string.h) */
    JS_CELL_BIGINT,       /* js_bigint (bigint.h) */
    JS_CELL_OBJECT,       /* js_object and its class extensions (object.h) */
    JS_CELL_SHAPE,        /* js_shape (object.h) */
    JS_CELL_ACCESSOR,     /* js_accessor: getter/setter pair (object.h) */
    JS_CELL_FUNCTION_BC,  /* js_function_bc: compiled function template (vm/function.h) */
    JS_CELL_ENV,          /* closure variable cells / environments (vm) */
    JS_CELL_REALM,        /* js_realm (runtime.h) */
    JS_CELL_INTERNAL,     /* js_internal: generic cell with trace/finalize hooks */
    JS_CELL_TYPE_COUNT
};

#endif
