/*
 * string.h - strings (Latin-1 or UTF-16 storage, ropes), interned atoms and symbols.
 * string.c owns the atom table and the string cell layout; other modules read
 * characters only through these functions and macros.
 * Thread rules: string cells are immutable after creation except the one-way
 * rope->flat transition and the cached hash, both done by the owning runtime's
 * thread (or under its GIL).
 */
#ifndef JSE_CORE_STRING_H
#define JSE_CORE_STRING_H

#include "value.h"

struct js_thread;
struct js_runtime;
struct js_gc_tracer;

/* js_string.h.flags */
#define JS_STR_WIDE      0x0001  /* UTF-16 storage (else Latin-1) */
#define JS_STR_ROPE      0x0002  /* u.rope is valid; characters not yet flat */
#define JS_STR_ATOM      0x0004  /* interned: unique per runtime, comparable by pointer */
#define JS_STR_FLATTENED 0x0008  /* was a rope; u.rope.left is the flat result */
#define JS_STR_INDEX     0x0010  /* atom that is a canonical array index (cached in `index`) */
#define JS_STR_NOINDEX   0x0020  /* known not to be an array index */

typedef struct js_string {
    js_cell h;                /* h.aux = hash, 0 = not computed yet */
    uint32_t len;             /* length in UTF-16 code units */
    uint32_t index;           /* array index value when JS_STR_INDEX */
    union {
        const uint8_t *c8;    /* flat Latin-1: points at inline data after the struct */
        const uint16_t *c16;  /* flat UTF-16 */
        struct { struct js_string *left, *right; uint32_t depth; } rope;
    } u;
} js_string;

/* js_symbol.h.flags */
#define JS_SYM_REGISTERED 0x0001  /* Symbol.for */
#define JS_SYM_PRIVATE    0x0002  /* a class private name (#x): never an observable key */
typedef struct js_symbol {
    js_cell h;                /* JS_SYM_* */
    jsv description;          /* string or undefined */
} js_symbol;

/* Creation. All return NULL with a pending exception on allocation failure. */
js_string *jsstr_new_latin1(struct js_thread *t, const uint8_t *s, size_t len);
js_string *jsstr_new_utf16(struct js_thread *t, const uint16_t *s, size_t len); /* narrows if possible */
js_string *jsstr_new_utf8(struct js_thread *t, const char *s, size_t len);      /* invalid bytes -> U+FFFD */
js_string *jsstr_new_cstr(struct js_thread *t, const char *s);                  /* UTF-8, NUL-terminated */
/* Uninitialized flat string to fill in place before it is published. */
js_string *jsstr_alloc(struct js_thread *t, size_t len, int wide);
uint8_t *jsstr_mut8(js_string *s);
uint16_t *jsstr_mut16(js_string *s);
js_string *jsstr_concat(struct js_thread *t, js_string *a, js_string *b);      /* makes ropes */
js_string *jsstr_substring(struct js_thread *t, js_string *s, uint32_t start, uint32_t end);
js_string *jsstr_from_char(struct js_thread *t, uint32_t code_unit_or_point); /* code point > 0xFFFF -> pair */
js_string *jsstr_empty(struct js_thread *t);   /* the runtime's "" atom */

/* Flat access. jsstr_flatten may allocate (returns NULL on OOM with exception). */
js_string *jsstr_flatten(struct js_thread *t, js_string *s);
static inline int jsstr_is_flat(const js_string *s) { return !(s->h.flags & (JS_STR_ROPE | JS_STR_FLATTENED)); }
static inline int jsstr_is_wide(const js_string *s) { return (s->h.flags & JS_STR_WIDE) != 0; }
/* Character at i of a flat string. */
static inline uint32_t jsstr_at(const js_string *s, uint32_t i) {
    return (s->h.flags & JS_STR_WIDE) ? s->u.c16[i] : s->u.c8[i];
}
/* Character at i of any string (walks ropes; slow path). */
uint32_t jsstr_char_at(js_string *s, uint32_t i);

/* Comparison and hashing (work on ropes too, flattening if needed under the hood). */
int jsstr_equal(js_string *a, js_string *b);
int jsstr_compare(js_string *a, js_string *b);            /* code-unit order: <0, 0, >0 */
int jsstr_equal_cstr(js_string *a, const char *ascii);
uint32_t jsstr_hash(js_string *s);

/* Conversion out. Returns malloc-ed NUL-terminated UTF-8 (lone surrogates as
 * U+FFFD); caller frees with free(). NULL on OOM (no exception set). */
char *jsstr_to_utf8(js_string *s, size_t *len_out);

/* Atoms: property-key strings interned per runtime. */
js_string *jsstr_intern(struct js_thread *t, js_string *s);         /* returns the atom */
js_string *jsstr_atom(struct js_thread *t, const char *ascii);      /* intern a C string */
/* Canonical numeric index: if s is "0".."4294967294" with no leading zeros,
 * store it in *idx and return 1. */
int jsstr_is_array_index(js_string *s, uint32_t *idx);

/* Symbols */
js_symbol *jssym_new(struct js_thread *t, jsv description);

/*
 * Predefined atoms: rt->atoms[JS_ATOM_x] for every entry of atoms.def.
 */
enum {
#define JS_ATOM_DEF(id, str) JS_ATOM_##id,
#include "atoms.def"
#undef JS_ATOM_DEF
    JS_ATOM_COUNT
};
/* Well-known symbols: rt->wk_symbols[JS_WKS_x]. */
enum {
    JS_WKS_asyncIterator, JS_WKS_hasInstance, JS_WKS_isConcatSpreadable, JS_WKS_iterator,
    JS_WKS_match, JS_WKS_matchAll, JS_WKS_replace, JS_WKS_search, JS_WKS_species,
    JS_WKS_split, JS_WKS_toPrimitive, JS_WKS_toStringTag, JS_WKS_unscopables,
    JS_WKS_dispose, JS_WKS_asyncDispose, JS_WKS_metadata,
    JS_WKS_COUNT
};

/* Called by gc.c */
void jsstr_trace(struct js_gc_tracer *trc, js_string *s);
void jsstr_sweep_atoms(struct js_runtime *rt);    /* drop dead atoms from the table */
int jsstr_init_runtime(struct js_thread *t);        /* atom table + predefined atoms + symbols */
void jsstr_free_runtime(struct js_runtime *rt);

/* Longest string in code units; longer results throw RangeError "Invalid string length". */
#define JSSTR_MAX_LEN ((1u << 30) - 32)
/* Strong roots string.c keeps (single-character strings); called by jsrt_trace_roots. */
void jsstr_trace_roots(struct js_gc_tracer *trc, struct js_runtime *rt);

#endif
