/*
 * lexer.h - tokens and the state shared by the lexer (lexer.c) and the parser
 * (parser*.c): the input, the current token, the arena and the name table.
 * Internal to lib/compiler; nothing here touches a runtime. Errors unwind
 * with longjmp to the jsparse_* entry point, which owns all temporary memory.
 */
#ifndef JSE_COMPILER_LEXER_H
#define JSE_COMPILER_LEXER_H

#include <setjmp.h>
#include "ast.h"
#include "parser.h"

/* Token types. Keywords come first so that jsast_str.reserved_word can hold
 * them (< 255); RW_STRICT marks names reserved only in strict code. */
enum {
    T_EOF = 0,
    /* keywords */
    T_BREAK = 1, T_CASE, T_CATCH, T_CLASS, T_CONST, T_CONTINUE, T_DEBUGGER,
    T_DEFAULT, T_DELETE, T_DO, T_ELSE, T_ENUM, T_EXPORT, T_EXTENDS, T_FALSE,
    T_FINALLY, T_FOR, T_FUNCTION, T_IF, T_IMPORT, T_IN, T_INSTANCEOF, T_NEW,
    T_NULL, T_RETURN, T_SUPER, T_SWITCH, T_THIS, T_THROW, T_TRUE, T_TRY,
    T_TYPEOF, T_VAR, T_VOID, T_WHILE, T_WITH,
    T_LAST_KEYWORD = T_WITH,
    /* names and literals */
    T_IDENT,            /* tok.str; tok.escaped if it contained \u escapes */
    T_PRIVATE,          /* #name: tok.str */
    T_NUMBER,           /* tok.num; tok.octal: legacy octal / 08-style literal */
    T_BIGINT,           /* tok.big, tok.big_len */
    T_STRING,           /* tok.str; tok.octal: legacy octal or \8 \9 escape (tok.octal_pos) */
    T_TEMPLATE,         /* tok.str = cooked (NULL if invalid), tok.raw; tok.tmpl_tail */
    T_REGEXP,           /* tok.str = pattern, tok.re_flags */
    /* punctuators */
    T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET,
    T_DOT, T_ELLIPSIS, T_SEMI, T_COMMA, T_QUESTION, T_OPTCHAIN, T_COLON, T_ARROW,
    T_LT, T_GT, T_LE, T_GE, T_EQ, T_NE, T_SEQ, T_SNE,
    T_PLUS, T_MINUS, T_STAR, T_SLASH, T_PERCENT, T_STARSTAR,
    T_INC, T_DEC, T_SHL, T_SAR, T_SHR, T_AMP, T_BAR, T_CARET, T_BANG, T_TILDE,
    T_AND, T_OR, T_NULLISH,
    T_ASSIGN, T_PLUS_ASSIGN, T_MINUS_ASSIGN, T_STAR_ASSIGN, T_SLASH_ASSIGN,
    T_PERCENT_ASSIGN, T_STARSTAR_ASSIGN, T_SHL_ASSIGN, T_SAR_ASSIGN, T_SHR_ASSIGN,
    T_AMP_ASSIGN, T_BAR_ASSIGN, T_CARET_ASSIGN, T_AND_ASSIGN, T_OR_ASSIGN,
    T_NULLISH_ASSIGN,
    T_AT,               /* @ (decorators) */
    T_COUNT
};
#define RW_STRICT 255

typedef struct jspos {
    uint32_t off, line, col;
} jspos;

typedef struct jstoken {
    int type;
    jspos pos;              /* start */
    uint32_t end;           /* end offset */
    uint8_t nl_before;      /* a line terminator precedes the token */
    uint8_t escaped;        /* T_IDENT/keyword spelled with escapes */
    uint8_t octal;          /* see T_NUMBER / T_STRING */
    uint8_t tmpl_tail;      /* T_TEMPLATE ends with '`' (else with "${") */
    uint32_t octal_pos;     /* offset of the legacy escape (T_STRING) */
    jsast_str *str;
    jsast_str *raw;
    double num;
    const char *big;
    uint32_t big_len;
    const char *re_flags;
    jspos bad_escape;       /* T_TEMPLATE with str == NULL: where the invalid escape is */
} jstoken;

struct fnctx;
struct classctx;

/* Predefined names (interned at start). */
enum {
    N_ASYNC, N_AWAIT, N_YIELD, N_LET, N_STATIC, N_OF, N_GET, N_SET, N_AS, N_FROM,
    N_TARGET, N_META, N_ARGUMENTS, N_EVAL, N_CONSTRUCTOR, N_PROTOTYPE, N_PROTO,
    N_USE_STRICT, N_USING, N_DEFAULT_BINDING, N_IMPLEMENTS, N_INTERFACE, N_PACKAGE,
    N_PRIVATE, N_PROTECTED, N_PUBLIC, N_UNDEFINED, N_SOURCE, N_DEFER, N_ACCESSOR,
    N_COUNT
};

typedef struct jsparser {
    /* input */
    const uint8_t *src;
    uint32_t len;
    uint32_t pos;           /* lexer cursor */
    uint32_t line;          /* line of pos */
    uint32_t line_start;    /* offset where that line starts */
    uint32_t col_off, col_col; /* column cache: col_col is the column of col_off */
    uint32_t first_line;
    int module;             /* Module goal: no HTML comments */
    int utf16_input;        /* offsets in errors are converted back to UTF-16 units */

    jstoken tok;            /* current token */
    uint32_t prev_end;      /* end of the previous token */
    uint32_t prev_line;     /* line of the previous token's end */

    /* memory */
    jsast_arena *arena;
    jsast_str **names;      /* intern table (arena) */
    uint32_t names_mask, names_count;
    uint16_t *buf;          /* scratch for literal decoding (malloc) */
    uint32_t buf_len, buf_cap;
    char *cbuf;             /* scratch for number text (malloc) */
    uint32_t cbuf_cap;
    jsast_node **stk;       /* scratch stack for building lists (malloc) */
    uint32_t stk_len, stk_cap;
    jsast_str *n[N_COUNT];

    /* errors */
    jmp_buf jb;
    jsparse_error *err;
    const jsparse_options *opt;

    /* parser context */
    struct fnctx *fc;
    struct classctx *cc;
    jsast_list class_decos; /* decorators parsed before the `class` jsp_parse_class is about to read */
    uint32_t depth, max_depth;
    uint32_t nfunctions;
    jsast_program *prog;
    struct cover *cur_cover; /* destructuring cover of the AssignmentExpression starting at arrow_at */
    uint32_t arrow_at;
    int arrow_flags;        /* E_* flags of that AssignmentExpression (an arrow body inherits [In]) */      /* offset+1 where an arrow function may start (AssignmentExpression start) */
} jsparser;

/* lexer.c */
void jslex_init(jsparser *p);                       /* pre-intern names and keywords */
void jslex_next(jsparser *p);                       /* advance: p->tok = next token */
void jslex_rescan_regexp(jsparser *p);              /* current '/' or '/=' is a RegExp */
void jslex_rescan_template(jsparser *p);            /* current '}' continues a template */
jsast_str *jslex_intern16(jsparser *p, const uint16_t *s, uint32_t len);
jsast_str *jslex_intern8(jsparser *p, const uint8_t *s, uint32_t len); /* ASCII/Latin-1 bytes */
void jslex_pos_at(jsparser *p, uint32_t off, jspos *out);  /* line/col of an offset */
void *jslex_alloc(jsparser *p, size_t n);           /* arena alloc or OOM error */
/* Raise a SyntaxError at `at` (NULL = current token) and unwind. */
void jslex_error(jsparser *p, const jspos *at, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
void jslex_error_at(jsparser *p, uint32_t off, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));
void jslex_oom(jsparser *p) __attribute__((noreturn));
const char *jslex_token_name(int type);
/* Saved lexer state for one-token lookahead. */
typedef struct jslex_save {
    uint32_t pos, line, line_start, prev_end, prev_line;
    jstoken tok;
} jslex_save;
void jslex_save_state(jsparser *p, jslex_save *s);
void jslex_restore_state(jsparser *p, const jslex_save *s);

#endif
