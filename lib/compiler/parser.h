/*
 * parser.h - the front end's entry points: parse ECMAScript source (script,
 * module, eval code, dynamic function) into an arena AST (ast.h) with all early
 * errors checked and scopes resolved (scope.c).
 * Never touches a js_runtime: no GC allocation, no exceptions; errors come back
 * in a jsparse_error for the caller to throw as a SyntaxError.
 * Thread rules: reentrant, no global state; any thread may call.
 */
#ifndef JSE_COMPILER_PARSER_H
#define JSE_COMPILER_PARSER_H

#include "ast.h"

/* jsparse_options.flags */
#define JSPARSE_STRICT           0x0001  /* start in strict mode */
#define JSPARSE_MODULE           0x0002  /* Module goal (implies strict) */
#define JSPARSE_EVAL             0x0004  /* eval code (Program fn->kind EVAL) */
#define JSPARSE_DIRECT_EVAL      0x0008  /* with EVAL: a direct eval; the context flags below apply */
#define JSPARSE_IN_FUNCTION      0x0010  /* direct eval inside a non-arrow function: new.target ok */
#define JSPARSE_IN_METHOD        0x0020  /* ... inside a method: super.x ok */
#define JSPARSE_IN_DERIVED_CTOR  0x0040  /* ... inside a derived constructor: super() ok */
#define JSPARSE_IN_FIELD_INIT    0x0080  /* ... inside a class field initializer: `arguments` is an error */
#define JSPARSE_DYNAMIC_FUNCTION 0x0100  /* CreateDynamicFunction source, see below */
#define JSPARSE_ASYNC_FN         0x0200  /* with DYNAMIC_FUNCTION: async */
#define JSPARSE_GENERATOR_FN     0x0400  /* with DYNAMIC_FUNCTION: generator */
#define JSPARSE_NO_SCOPE         0x0800  /* skip scope analysis, and with it the declaration-
                                            conflict and module export early errors */

typedef struct jsparse_options {
    int flags;                  /* JSPARSE_* */
    const char *filename;       /* for messages only; may be NULL */
    uint32_t first_line;        /* line number of the first source line (0 means 1) */
    /* Direct eval inside class bodies: the private names visible at the call
     * site (innermost class first is not required: names only), each a UTF-16
     * string without '#'. They resolve to JSAST_PRIV_OUTER private names. */
    const uint16_t *const *private_names;
    const uint32_t *private_name_lens;
    uint32_t nprivate_names;
    /* CreateDynamicFunction: the source is "<prefix>(" P "\n) {\n" B "\n}" as the
     * spec assembles it; params_end is the offset of the "\n)" that closes the
     * parameters and body_start the offset just after the "{" opening the body
     * (offsets in the input units: bytes for UTF-8, code units for UTF-16).
     * The parse fails if P or B do not stand alone (e.g. P = "/" "*", B = "*" "/){").
     * The Program then holds one EXPR_STMT whose expr is the FUNC_EXPR. */
    uint32_t params_end, body_start;
    /* RegExp literal pattern validation (lib/regexp); NULL = not checked here.
     * Returns 0 if valid, else writes a message into err. flags is NUL-terminated. */
    int (*validate_regexp)(const uint16_t *pat, size_t len, const char *flags,
                           char *err, size_t errlen);
    /* Nesting limit (statements + expressions; every 4 links of a left-deep
     * operator or member/call chain count as one level, so the tree height
     * stays within 4 * max_depth); 0 = default (JSPARSE_DEFAULT_DEPTH). */
    uint32_t max_depth;
    /* Lowest usable address of the calling thread's C stack (the stack grows
     * down) plus a safety margin; 0 = no check. Parsing and scope analysis
     * fail with "too much recursion" rather than run below it. */
    uintptr_t stack_limit;
} jsparse_options;

#define JSPARSE_DEFAULT_DEPTH 1000

/* jsparse_error.kind */
enum { JSPARSE_ERR_NONE, JSPARSE_ERR_SYNTAX, JSPARSE_ERR_OOM };

typedef struct jsparse_error {
    int kind;                   /* JSPARSE_ERR_* */
    uint32_t line, col;         /* 1-based; col in UTF-16 code units */
    uint32_t offset;            /* offset into the source (input units) */
    char msg[256];              /* "Unexpected token ')'", etc. (no position inside) */
} jsparse_error;

/* Parse UTF-8 source (invalid sequences are a SyntaxError; lone surrogates
 * encoded as WTF-8 are accepted). The source buffer must outlive the tree
 * (tree->src points into it). Returns the tree, or NULL with *err filled. */
jsast_program *jsparse_utf8(const char *src, size_t len, const jsparse_options *opt,
                            jsparse_error *err);
/* Parse UTF-16 source; the tree keeps its own WTF-8 copy of the text. */
jsast_program *jsparse_utf16(const uint16_t *src, size_t len, const jsparse_options *opt,
                             jsparse_error *err);
/* Formats "file:line:col: SyntaxError: msg" into buf (for tools). */
void jsparse_format_error(const jsparse_error *err, const char *filename, char *buf, size_t n);

/* Scope analysis (scope.c), run by jsparse_* unless JSPARSE_NO_SCOPE. Returns 0,
 * or -1 with *err filled (declaration conflicts, undeclared private names...). */
int jsparse_resolve_scopes(jsast_program *p, const jsparse_options *opt, jsparse_error *err);

#endif
