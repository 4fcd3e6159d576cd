/*
 * parser_int.h - declarations shared by the parser's files (parser.c:
 * entry points, statements, functions; parser_expr.c: expressions and
 * patterns; parser_class.c: classes and modules). Internal to lib/compiler.
 */
#ifndef JSE_COMPILER_PARSER_INT_H
#define JSE_COMPILER_PARSER_INT_H

#include "lexer.h"

/* Parser-internal node flag bits (see ast.h: 0x10000000 and up). */
#define PF_COMMA_AFTER 0x10000000u   /* SPREAD/REST followed by ',' (invalid as a rest) */
#define PF_HAS_DEFAULT 0x20000000u   /* IDENT parsed as shorthand with `= init` in cover */

/* Break/continue targets. */
enum { LB_LOOP, LB_SWITCH, LB_LABEL };
typedef struct label {
    jsast_str *name;            /* NULL for an unlabeled loop/switch */
    jsast_node *target;
    int kind;                   /* LB_* */
    int loop_label;             /* LB_LABEL whose statement is a loop (continue allowed) */
    uint32_t stmt_start;        /* LB_LABEL: offset of the label */
    uint32_t body_start;        /* LB_LABEL: offset of the labelled statement */
    jsast_node *loop;           /* LB_LABEL with loop_label: the loop (continue target) */
    struct label *prev;
} label;

typedef struct fnctx {
    struct fnctx *parent;
    jsast_function *fn;
    uint8_t strict;
    uint8_t is_async, is_generator, is_arrow;
    uint8_t in_params;          /* parsing the formal parameters */
    uint8_t no_arguments;       /* field initializer / static block (through arrows) */
    uint8_t static_block;       /* `await` is reserved, no `arguments` */
    uint8_t top_await;          /* module top level: await is an operator */
    uint8_t allow_new_target, allow_super_prop, allow_super_call;
    uint8_t allow_return;
    label *labels;
    uint32_t yield_pos;         /* offset+1 of the first YieldExpression seen (cover tracking) */
    uint32_t await_pos;         /* ... AwaitExpression */
    uint32_t await_ident_pos;   /* ... `await` used as an identifier */
} fnctx;

typedef struct classctx {
    struct classctx *parent;
    jsast_class *cls;
    jsast_private_name **privs;
    uint32_t nprivs, cap_privs;
    jsast_node **refs;          /* PRIVATE_NAME references to resolve at class end */
    uint32_t nrefs, cap_refs;
} classctx;

/* Destructuring cover: expression errors that vanish if the expression turns
 * out to be a pattern. Offsets are +1 (0 = none). */
typedef struct cover {
    uint32_t shorthand_assign;  /* `{a = 1}` */
    uint32_t double_proto;      /* two `__proto__:` */
} cover;

/* Expression flags */
#define E_NOIN 1                /* `in` is not a binary operator (for-init) */

/* Statement contexts */
enum { S_TOP, S_BLOCK, S_CASE, S_SUB, S_LABELED_SUB, S_IF_SUB };

/* parser.c */
jsast_node *jsp_new(jsparser *p, int kind, const jspos *start);
jsast_node *jsp_finish(jsparser *p, jsast_node *n);
void jsp_next(jsparser *p);
int jsp_eat(jsparser *p, int type);
void jsp_expect(jsparser *p, int type);
void jsp_unexpected(jsparser *p) __attribute__((noreturn));
void jsp_semicolon(jsparser *p);
int jsp_is_name(jsparser *p, int n);            /* unescaped contextual name */
int jsp_peek(jsparser *p, jstoken *out);        /* type of the next token */
int jsp_peek2(jsparser *p, jstoken *first, jstoken *second); /* type of the one after */
void jsp_enter(jsparser *p);                    /* nesting depth check */
jsast_list jsp_list_from(jsparser *p, uint32_t base);
void jsp_push(jsparser *p, jsast_node *n);
jsast_function *jsp_new_function(jsparser *p, int kind, jsast_node *node);
fnctx *jsp_push_fn(jsparser *p, fnctx *fc, jsast_function *fn, int kind, int is_async, int is_gen);
void jsp_pop_fn(jsparser *p, fnctx *fc);
jsast_node *jsp_parse_statement(jsparser *p, int ctx);
jsast_node *jsp_parse_block(jsparser *p);
/* Parses "(params) { body }" of a function whose fn/fnctx are set up. */
void jsp_parse_function_tail(jsparser *p, jsast_function *fn, int is_method);
jsast_node *jsp_parse_function(jsparser *p, const jspos *start, int is_async, int is_decl,
                               int ctx);
void jsp_parse_fn_body(jsparser *p, jsast_function *fn, int allow_directives);
void jsp_check_params(jsparser *p, jsast_function *fn, int allow_dups);
void jsp_check_binding_name(jsparser *p, jsast_str *name, const jspos *at, int escaped,
                            int lexical);
void jsp_check_ident_ref(jsparser *p, jsast_str *name, const jspos *at, int escaped);
void jsp_collect_names(jsparser *p, jsast_node *pat, jsast_node ***out, uint32_t *n, uint32_t *cap);
int jsp_params_contain_expression(const jsast_list *params);
int jsp_contains_name_dup(jsast_node **names, uint32_t n, jsast_node **dup);

/* parser_expr.c */
jsast_node *jsp_parse_expr(jsparser *p, int flags);
jsast_node *jsp_parse_assign(jsparser *p, int flags, cover *c);
jsast_node *jsp_parse_lhs(jsparser *p);             /* LeftHandSideExpression (class heritage) */
jsast_node *jsp_parse_binding_target(jsparser *p, int lexical);
jsast_node *jsp_parse_binding_element(jsparser *p, int lexical);
jsast_node *jsp_parse_ident_ref(jsparser *p);
jsast_node *jsp_parse_property_key(jsparser *p, int allow_private, int *computed);
jsast_node *jsp_to_assignable(jsparser *p, jsast_node *n, int binding);
void jsp_check_simple_target(jsparser *p, jsast_node *n, int allow_call);
void jsp_cover_check(jsparser *p, cover *c);
jsast_node *jsp_parse_method(jsparser *p, const jspos *start, int fnkind, int is_async,
                             int is_gen, jsast_class *cls, int is_static);
jsast_node *jsp_parse_template(jsparser *p, int tagged);
jsast_node *jsp_string_node(jsparser *p);           /* current T_STRING token */

/* parser_class.c */
jsast_node *jsp_parse_class(jsparser *p, const jspos *start, int is_decl, int name_optional);
jsast_list jsp_parse_decorators(jsparser *p);
jsast_node *jsp_decorator_expr(jsparser *p);      /* after `@`: member chain and optional call */
void jsp_private_ref(jsparser *p, jsast_node *priv);
jsast_node *jsp_parse_import(jsparser *p);
jsast_node *jsp_parse_export(jsparser *p);

#endif
