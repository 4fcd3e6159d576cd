/*
 * re_int.h - private to lib/regexp: the AST the parser builds, code point
 * sets, and the compiled program layout shared by re_compile.c and re_exec.c.
 */
#ifndef JSE_REGEXP_RE_INT_H
#define JSE_REGEXP_RE_INT_H

#include <setjmp.h>
#include "regexp.h"

/* A set of code points: sorted disjoint inclusive (lo, hi) pairs once normalized. */
typedef struct re_cset {
    uint32_t *r;
    uint32_t n, cap;   /* n pairs */
} re_cset;

/* Compiled class: ranges plus a bitmap for the Latin-1 fast path. */
typedef struct re_class {
    uint32_t *r;
    uint32_t n;
    uint32_t bm[8];
} re_class;

enum {
    N_EMPTY, N_CHAR, N_DOT, N_CLASS, N_BOL, N_EOL, N_WORDB, N_NWORDB,
    N_BACKREF, N_GROUP, N_LOOK, N_ALT, N_SEQ, N_QUANT
};

/* Per-node modifiers (i, m, s can change inside (?ims-ims:...)). */
#define RE_NI 1
#define RE_NM 2
#define RE_NS 4

typedef struct re_node {
    uint8_t type, mods, greedy, neg, behind, invert;
    int32_t cap;                 /* group: capture index or -1 */
    uint32_t c;                  /* char */
    uint32_t min, max;           /* quantifier; max = UINT32_MAX: infinity */
    int cls;                     /* class index */
    int cap_lo, cap_hi;          /* captures inside a quantifier: [lo, hi] */
    int nrefs, *refs;            /* backref groups */
    const uint16_t *name; uint32_t namelen;   /* named backref, resolved after parsing */
    struct re_node *kid, *next;  /* children (seq/alt list, group body) */
} re_node;

typedef struct jsre_prog {
    int refcount;                /* jsre_retain / jsre_free */
    unsigned flags;
    int ncap;                    /* including group 0 */
    int nregs;                   /* captures*2 + loop registers */
    uint32_t *code;
    uint32_t ncode;
    re_class *classes;
    uint32_t nclasses;
    uint16_t **names;            /* [ncap], NULL for unnamed */
    uint32_t *namelens;
    int has_names;
    /* Prefilter: code units < 256 that can start a match (first_bm) and
     * whether any unit >= 256 can (first_hi); only when has_first. */
    int has_first, first_hi;
    uint32_t first_bm[8];
} jsre_prog;

/* Opcodes: low 8 bits; RE_BACK = match backwards (lookbehind); RE_ICASE. */
enum {
    OP_CHAR = 1, OP_ANY, OP_ANYALL, OP_CLASS, OP_NCLASS,
    OP_BOL, OP_EOL, OP_WORDB, OP_NWORDB,
    OP_PUSH, OP_JMP, OP_SAVE, OP_CLEAR, OP_BACKREF,
    OP_LOOK, OP_LOOK_END, OP_LOOP_INIT, OP_LOOP, OP_LOOP_END,
    OP_STAR, OP_MATCH, OP_FAIL
};
#define RE_BACK  0x100
#define RE_ICASE 0x200
#define RE_MULTI 0x400
#define RE_UWORD 0x800   /* \b with u+i: U+017F and U+212A are word characters */

/* re_parse.c */
typedef struct re_parse_out {
    re_node *root;
    int ncap;
    uint16_t **names;
    uint32_t *namelens;
    int has_names;
    re_class *classes;
    uint32_t nclasses;
    void *arena;
} re_parse_out;
int jsre_parse(const uint16_t *pat, size_t len, unsigned flags, re_parse_out *out,
               char *err, size_t errlen, int *oom);
void jsre_parse_free_arena(void *arena);
uint32_t jsre_canon(uint32_t c, int unicode);

/* re_compile.c */
jsre_prog *jsre_codegen(re_parse_out *po, unsigned flags, int *oom);

#endif
