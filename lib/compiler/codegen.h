/*
 * codegen.h - the bytecode compiler's internal state, shared by codegen.c
 * (functions, scopes, storage, emit helpers), codegen_stmt.c, codegen_expr.c and
 * codegen_class.c. Reads the parser's AST (ast.h) and produces js_function_bc
 * templates (vm/function.h). Must not touch the AST (except `user` fields).
 */
#ifndef JSE_COMPILER_CODEGEN_H
#define JSE_COMPILER_CODEGEN_H

#include "ast.h"
#include "parser.h"
#include "../vm/function.h"
#include "../vm/interp.h"

/* Storage of a binding (jsast_binding.user = kind << 24 | index). */
enum { ST_NONE = 0, ST_LOCAL, ST_ARG, ST_ENV, ST_GLOBAL, ST_NAME };
#define ST_KIND(u) ((u) >> 24)
#define ST_INDEX(u) ((u) & 0xFFFFFF)
#define ST_MAKE(k, i) (((uint32_t)(k) << 24) | (uint32_t)(i))

/* jsast_scope.user bits */
#define SC_ENV_LIVE  0x1        /* its heap environment is the current env (or an outer one) */
#define SC_ENTERED   0x2

/* Control blocks crossed by break/continue/return. */
enum { BK_LOOP, BK_LABEL, BK_SWITCH, BK_TRY, BK_FINALLY, BK_IN_FINALLY, BK_FOR_OF,
       BK_FOR_AWAIT, BK_FOR_IN, BK_SCOPE, BK_TEMP, BK_DSTR, BK_USING };

typedef struct cg_block {
    struct cg_block *prev;
    int kind;
    const jsast_node *node;     /* loop / switch / labelled statement */
    const jsast_node *node2;    /* LABEL: the labelled body */
    int break_label, cont_label;
    int finally_label;          /* BK_FINALLY: gosub target */
    int depth;                  /* operand depth once the block's own values are pushed */
    int nvals;                  /* values the block keeps on the stack */
    struct cg_block *cont_at;   /* continue unwinds down to (not including) this block */
    uint32_t l_it, l_nx, l_done; /* BK_DSTR: locals holding the iterator record */
    int is_async;               /* BK_USING: has `await using` resources */
} cg_block;

typedef struct cg_label { int32_t pos; int depth; } cg_label;
typedef struct cg_fixup { uint32_t at; int label; } cg_fixup;

typedef struct cg_strmap { const void *key; uint32_t val; } cg_strmap;

typedef struct cg_func {
    struct cg_func *parent;
    struct cg_unit *unit;
    jsast_function *ast;        /* NULL for synthesized code */
    js_function_bc *bc;         /* the template being filled (reachable from the C stack) */
    uint8_t *code; uint32_t len, cap;
    uint32_t consts_cap;
    cg_strmap *cmap; uint32_t cmap_cap, cmap_count;
    cg_label *labels; uint32_t nlabels, labels_cap;
    cg_fixup *fixups; uint32_t nfixups, fixups_cap;
    js_lineinfo *lines; uint32_t nlines, lines_cap;
    uint32_t nlocals;
    jsv *local_names; uint32_t local_names_cap;
    int depth, max_depth;
    cg_block *blocks;
    jsast_scope *scope;         /* innermost scope whose code is being emitted */
    int completion;             /* local holding the completion value, or -1 */
    int completion_off;         /* >0 inside finally blocks: expression statements do not update it */
    int return_label;           /* generators: unused */
    int chain_label, chain_depth;
    int strict;
    uint32_t last_line, last_col;
    int is_eval_code;
    int is_async, is_generator;
    int no_await_return;
    int sloppy_eval;              /* this or an enclosing function has a sloppy direct eval */
    jsast_function *sloppy_eval_fn; /* the innermost such function */
    const jsast_str *field_name;  /* NamedEvaluation name for a field initializer */
    int field_key_slot;           /* computed field key env slot, or -1 */
    const jsast_str *field_priv;  /* private field name (without '#') for NamedEvaluation */
    int using_local;              /* local holding the innermost using-resource list, or -1 */
    const jsast_node *tail;       /* the expression being compiled is in tail position if it is
                                     this node (cg_expr consumes it; see cg_tail_ok) */
} cg_func;

typedef struct cg_unit {
    js_thread *t;
    jsast_program *prog;
    jsv source;                 /* whole source as a string */
    jsv filename;
    uint32_t *u16map;           /* byte offset -> UTF-16 offset, or NULL when ASCII */
    int eval_mode;              /* 0 script, 1 direct eval, 2 indirect eval, 3 dynamic function */
    int failed;                 /* an exception is pending */
    int flags;
    jsast_str *default_name;    /* "default" (module default exports), made on demand */
} cg_unit;

/* codegen.c: emit helpers */
int cg_emit(cg_func *c, int op);
void cg_emit_u8(cg_func *c, uint8_t v);
void cg_emit_u16(cg_func *c, uint16_t v);
void cg_emit_u32(cg_func *c, uint32_t v);
void cg_op_u16(cg_func *c, int op, uint32_t a);
void cg_op_u32(cg_func *c, int op, uint32_t a);
void cg_op_u8(cg_func *c, int op, uint32_t a);
void cg_op_env(cg_func *c, int op, uint32_t depth, uint32_t idx);
void cg_op_atom(cg_func *c, int op, const jsast_str *name);
void cg_op_atom_c(cg_func *c, int op, const char *ascii);
void cg_adjust(cg_func *c, int delta);
int cg_new_label(cg_func *c);
void cg_jump(cg_func *c, int op, int label);
void cg_label_here(cg_func *c, int label);
void cg_push_i32(cg_func *c, int32_t v);
void cg_push_number(cg_func *c, double d);
void cg_push_str(cg_func *c, const jsast_str *s);
void cg_push_cstr(cg_func *c, const char *s);
uint32_t cg_const(cg_func *c, jsv v);
uint32_t cg_atom(cg_func *c, const jsast_str *s);
uint32_t cg_atom_c(cg_func *c, const char *ascii);
jsv cg_atom_value(cg_func *c, const jsast_str *s);
uint32_t cg_new_ic(cg_func *c);
uint32_t cg_new_local(cg_func *c, const jsast_str *name);
void cg_pos(cg_func *c, const jsast_node *n);
void cg_fail_oom(cg_func *c);
void cg_syntax_error(cg_func *c, const jsast_node *n, const char *msg);
/* The name "default" given to anonymous default exports. */
const jsast_str *cg_default_name(cg_func *c);

/* scopes and bindings */
void cg_enter_scope(cg_func *c, jsast_scope *s, int init_funcs);
void cg_leave_scope(cg_func *c, jsast_scope *s);
void cg_instantiate_funcs(cg_func *c, jsast_scope *s);
int cg_scope_has_env(cg_func *c, jsast_scope *s);
void cg_get_binding(cg_func *c, const jsast_node *id);
void cg_typeof_binding(cg_func *c, const jsast_node *id);
void cg_put_binding(cg_func *c, const jsast_node *id, int init);
void cg_put_binding_b(cg_func *c, jsast_binding *b, const jsast_str *name, int init, int tdz, int dynamic);
void cg_get_binding_b(cg_func *c, jsast_binding *b, const jsast_str *name, int tdz, int dynamic);
void cg_delete_binding(cg_func *c, const jsast_node *id);
void cg_get_name_ref(cg_func *c, const jsast_node *id);
void cg_value_and_this(cg_func *c, const jsast_node *e);   /* -> value thisValue */
/* Looked up by name (with, or a sloppy eval may shadow it)? */
int cg_ident_dynamic(cg_func *c, const jsast_node *id);
uint32_t cg_static_key(cg_func *c, const jsast_node *k);
uint32_t cg_env_depth(cg_func *c, jsast_scope *target);

/* blocks */
cg_block *cg_push_block(cg_func *c, cg_block *b, int kind, const jsast_node *node);
void cg_pop_block(cg_func *c, cg_block *b);
void cg_unwind_to(cg_func *c, cg_block *target, int for_return);

/* functions */
js_function_bc *jscomp_compile_program(js_thread *t, jsast_program *prog, const char *filename, int eval_mode);
js_function_bc *cg_compile_function(cg_func *parent, jsast_function *fn, const jsast_str *name_hint);
void cg_emit_closure(cg_func *c, jsast_function *fn, const jsast_str *name_hint);
void cg_emit_return(cg_func *c);   /* value on stack */
int cg_tail_ok(cg_func *c);        /* may a `return` here end in a tail call? */

/* codegen_stmt.c */
void cg_stmt(cg_func *c, const jsast_node *n);
void cg_stmts(cg_func *c, const jsast_list *l);
/* Statement list that may declare `using` resources (block, function body). */
void cg_stmts_scoped(cg_func *c, const jsast_list *l);
int cg_list_has_using(const jsast_list *l);
int cg_using_begin(cg_func *c, cg_block *ub, cg_block *tb, int *lh, int is_async);
void cg_using_dispose_async(cg_func *c, uint32_t d, uint32_t cl);
void cg_using_end(cg_func *c, cg_block *ub, cg_block *tb, int lh, int saved);

/* codegen_expr.c */
void cg_expr(cg_func *c, const jsast_node *n);
void cg_expr_named(cg_func *c, const jsast_node *n, const jsast_str *name);
void cg_expr_drop(cg_func *c, const jsast_node *n);
void cg_cond_jump(cg_func *c, const jsast_node *n, int jump_if_true, int label);
/* Assign the value on the stack to a pattern or target; consumes it. init: binding initialization. */
void cg_assign_pattern(cg_func *c, const jsast_node *target, int init);
void cg_await(cg_func *c);
void cg_yield(cg_func *c);
int cg_is_anon_fn(const jsast_node *n);

/* codegen_class.c */
void cg_class(cg_func *c, jsast_class *cls, const jsast_str *name_hint);
uint32_t cg_priv_atom(cg_func *c, const jsast_str *name, const char *prefix);

#endif
