/*
 * ast.h - the abstract syntax tree produced by the parser (parser.c) and
 * annotated by scope analysis (scope.c); read by the bytecode compiler.
 * The tree is arena-owned and independent of any runtime: it never holds
 * GC values and never allocates from a js_runtime heap.
 * Thread rules: a tree is immutable after jsparse_* returns (except the
 * `user` fields reserved for the compiler) and belongs to one thread at a time.
 *
 * Conventions
 *   - Lists are (items, count) arrays (jsast_list); an item may be NULL only
 *     where documented (array holes).
 *   - Positions: `start`/`end` are offsets into jsast_program.src (bytes of the
 *     WTF-8 source; see parser.h), `line`/`col` are 1-based, col in UTF-16
 *     code units.
 *   - Names and string values are jsast_str: UTF-16, arena-owned, interned per
 *     tree, so two jsast_str* with equal contents are the same pointer.
 *   - Nodes only change additively: new kinds, flags and fields go at the end.
 */
#ifndef JSE_COMPILER_AST_H
#define JSE_COMPILER_AST_H

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>

typedef struct jsast_node jsast_node;
typedef struct jsast_function jsast_function;
typedef struct jsast_class jsast_class;
typedef struct jsast_scope jsast_scope;
typedef struct jsast_binding jsast_binding;
typedef struct jsast_private_name jsast_private_name;
typedef struct jsast_program jsast_program;
typedef struct jsast_arena jsast_arena;

/* Interned UTF-16 string (identifier names, string literal values, template
 * strings, regexp pattern text). Compare by pointer within one tree. */
typedef struct jsast_str {
    uint32_t len;           /* UTF-16 code units */
    uint32_t hash;
    uint8_t latin1;         /* all units < 256 (hint for compact runtime strings) */
    uint8_t reserved_word;  /* internal to the parser */
    uint16_t pad;
    uint32_t user;          /* free for the compiler (e.g. constant-pool index); 0 at parse */
    struct jsast_str *next; /* intern-table chain (internal) */
    uint16_t chars[];       /* len units, then a 0 terminator */
} jsast_str;

typedef struct jsast_list {
    jsast_node **items;
    uint32_t count;
} jsast_list;

/* Node kinds. The comment gives the union member used and its fields. */
typedef enum jsast_kind {
    JSAST_PROGRAM = 1,          /* u.func: fn (kind SCRIPT/MODULE/EVAL) */

    /* ---- statements ---- */
    JSAST_EMPTY_STMT,           /* - */
    JSAST_BLOCK,                /* u.block: body, scope (NULL when it declares nothing) */
    JSAST_EXPR_STMT,            /* u.expr_stmt: expr; F_DIRECTIVE for a directive prologue entry */
    JSAST_IF,                   /* u.cond: test, cons, alt (alt may be NULL) */
    JSAST_LABELED,              /* u.labeled: label, body */
    JSAST_BREAK,                /* u.jump: label (NULL), target = the statement left */
    JSAST_CONTINUE,             /* u.jump: label (NULL), target = the loop continued */
    JSAST_WITH,                 /* u.with: object, body, scope (kind WITH) */
    JSAST_SWITCH,               /* u.switch_: disc, cases (JSAST_CASE), scope (NULL if no decls) */
    JSAST_CASE,                 /* u.case_: test (NULL = default), body */
    JSAST_RETURN,               /* u.arg: arg (may be NULL) */
    JSAST_THROW,                /* u.arg: arg */
    JSAST_TRY,                  /* u.try_: block, handler (JSAST_CATCH or NULL), finalizer (BLOCK or NULL) */
    JSAST_CATCH,                /* u.catch_: param (pattern or NULL), body (BLOCK), scope (CATCH, NULL if no param) */
    JSAST_WHILE,                /* u.loop: test, body */
    JSAST_DO_WHILE,             /* u.loop: test, body */
    JSAST_FOR,                  /* u.loop: init (VAR_DECL, expression or NULL), test, update, body,
                                   scope (FOR; NULL unless init is a lexical declaration) */
    JSAST_FOR_IN,               /* u.forin: left (VAR_DECL with one declarator, or an assignment
                                   target pattern/expression), right, body, scope (FOR or NULL) */
    JSAST_FOR_OF,               /* u.forin: same; F_AWAIT for `for await` */
    JSAST_DEBUGGER,             /* - */

    /* ---- declarations ---- */
    JSAST_FUNC_DECL,            /* u.func: fn */
    JSAST_VAR_DECL,             /* u.var: kind (JSAST_VAR_*), decls (JSAST_DECLARATOR) */
    JSAST_DECLARATOR,           /* u.decl: id (pattern), init (may be NULL) */
    JSAST_CLASS_DECL,           /* u.cls: cls */

    /* ---- expressions ---- */
    JSAST_IDENT,                /* u.ident: name, binding. In a reference or a binding position
                                   (F_BINDING_ID) binding is the resolved jsast_binding, or NULL
                                   when the name is free (global, or for eval code the caller's
                                   environment: look it up by name); F_DYNAMIC when a `with` or
                                   sloppy direct eval may intercept the lookup (look up by name,
                                   falling back to the binding); F_TDZ when it may run before a
                                   lexical binding is initialized. As a property name
                                   (non-computed member, object key, import/export name) binding
                                   is NULL. */
    JSAST_PRIVATE_NAME,         /* u.priv: name (without '#'), decl (jsast_private_name) */
    JSAST_NULL,                 /* - */
    JSAST_TRUE,                 /* - */
    JSAST_FALSE,                /* - */
    JSAST_NUMBER,               /* u.num: value */
    JSAST_STRING,               /* u.str: value */
    JSAST_BIGINT,               /* u.bigint: text, len: ASCII digits, separators removed, radix prefix
                                   ("0x", "0o", "0b") kept, 'n' suffix dropped, e.g. "0xff", "12" */
    JSAST_REGEXP,               /* u.regexp: pattern (source text between the slashes), flags (ASCII,
                                   NUL-terminated, validated: only dgimsuyv, no duplicates, not u+v) */
    JSAST_TEMPLATE,             /* u.tmpl: quasis (TEMPLATE_ELEM, count = exprs.count + 1), exprs */
    JSAST_TEMPLATE_ELEM,        /* u.tmpl_elem: cooked (NULL = invalid escape, tagged only), raw */
    JSAST_TAGGED_TEMPLATE,      /* u.tagged: tag, quasi (TEMPLATE). The template object is cached
                                   per node (one site per node). */
    JSAST_THIS,                 /* - */
    JSAST_SUPER,                /* - : only as callee of CALL (super(...)) or object of MEMBER */
    JSAST_ARRAY,                /* u.list: items, NULL = hole, SPREAD allowed */
    JSAST_OBJECT,               /* u.list: PROPERTY or SPREAD */
    JSAST_PROPERTY,             /* u.prop: key, value, kind (JSAST_PROP_*); F_COMPUTED, F_SHORTHAND,
                                   F_METHOD, F_PROTO_SETTER (`__proto__: v`, non-computed,
                                   non-shorthand). key: IDENT/STRING/NUMBER/BIGINT, or any
                                   expression with F_COMPUTED. In OBJECT_PATTERN, value is the
                                   target (possibly ASSIGN_PATTERN). Methods/accessors: value is a
                                   FUNC_EXPR with fn->kind METHOD/GETTER/SETTER. */
    JSAST_SPREAD,               /* u.arg: arg (`...x` in arrays, calls, object literals) */
    JSAST_FUNC_EXPR,            /* u.func: fn */
    JSAST_ARROW,                /* u.func: fn */
    JSAST_CLASS_EXPR,           /* u.cls: cls */
    JSAST_UNARY,                /* u.unary: op (JSAST_OP_NEG/PLUS/NOT/BITNOT/TYPEOF/VOID/DELETE), arg */
    JSAST_UPDATE,               /* u.unary: op (JSAST_OP_INC/DEC), arg; F_PREFIX */
    JSAST_BINARY,               /* u.binary: op, left, right. op JSAST_OP_IN with a PRIVATE_NAME
                                   left is `#x in obj` */
    JSAST_LOGICAL,              /* u.binary: op (JSAST_OP_AND/OR/NULLISH), left, right */
    JSAST_ASSIGN,               /* u.binary: op (JSAST_OP_ASSIGN, or the binary/logical op of a
                                   compound assignment), left (IDENT, MEMBER, or for plain `=` an
                                   OBJECT_PATTERN/ARRAY_PATTERN), right. Web compat: in sloppy
                                   code left (of `=`, compound non-logical assignment, UPDATE and
                                   FOR_IN/FOR_OF) may be a CALL: evaluate the call, then throw a
                                   ReferenceError. */
    JSAST_CONDITIONAL,          /* u.cond: test, cons, alt */
    JSAST_CALL,                 /* u.call: callee, args (SPREAD allowed); F_OPTIONAL (`f?.()`),
                                   F_DIRECT_EVAL (callee is the plain identifier `eval`) */
    JSAST_NEW,                  /* u.call: callee, args */
    JSAST_MEMBER,               /* u.member: object, property; F_COMPUTED (`a[b]`), F_OPTIONAL
                                   (`a?.b`); property: IDENT (non-computed), PRIVATE_NAME, or
                                   expression (computed) */
    JSAST_CHAIN,                /* u.arg: arg = the whole optional chain; any F_OPTIONAL link that
                                   sees null/undefined makes the CHAIN evaluate to undefined */
    JSAST_SEQUENCE,             /* u.list: items (>= 2) */
    JSAST_YIELD,                /* u.unary: arg (may be NULL); F_DELEGATE for yield* */
    JSAST_AWAIT,                /* u.unary: arg */
    JSAST_NEW_TARGET,           /* - */
    JSAST_IMPORT_META,          /* - */
    JSAST_IMPORT_CALL,          /* u.import_call: source, options (may be NULL) */

    /* ---- patterns (binding and assignment targets) ---- */
    JSAST_OBJECT_PATTERN,       /* u.list: PROPERTY (kind INIT) and at most one REST (last) */
    JSAST_ARRAY_PATTERN,        /* u.list: items, NULL = elision, REST allowed last */
    JSAST_ASSIGN_PATTERN,       /* u.binary: left (target), right (default value); op unused */
    JSAST_REST,                 /* u.arg: arg (target) */

    /* ---- classes ---- */
    JSAST_METHOD,               /* u.method: key, value (FUNC_EXPR), kind (JSAST_METHOD_*);
                                   F_STATIC, F_COMPUTED; key may be PRIVATE_NAME */
    JSAST_FIELD,                /* u.field: key, value (FUNC_EXPR with fn->kind FIELD_INIT whose body
                                   is one RETURN of the initializer; NULL = no initializer);
                                   F_STATIC, F_COMPUTED; key may be PRIVATE_NAME */
    JSAST_STATIC_BLOCK,         /* u.func: fn (kind STATIC_BLOCK) */

    /* ---- modules ---- */
    JSAST_IMPORT_DECL,          /* u.import_decl: specifiers (IMPORT_SPEC/IMPORT_DEFAULT/IMPORT_NS),
                                   source (STRING), attributes (IMPORT_ATTR) */
    JSAST_IMPORT_SPEC,          /* u.spec: imported (IDENT or STRING), local (IDENT, F_BINDING_ID) */
    JSAST_IMPORT_DEFAULT,       /* u.spec: imported NULL, local */
    JSAST_IMPORT_NS,            /* u.spec: imported NULL, local */
    JSAST_EXPORT_NAMED,         /* u.export_named: decl (VAR_DECL/FUNC_DECL/CLASS_DECL or NULL),
                                   specifiers (EXPORT_SPEC), source (STRING or NULL), attributes */
    JSAST_EXPORT_SPEC,          /* u.spec: imported = local name (IDENT; STRING allowed only with a
                                   source), local = exported name (IDENT or STRING). Note: for
                                   exports, `imported` holds the local/source-side name. */
    JSAST_EXPORT_DEFAULT,       /* u.export_default: decl (FUNC_DECL, CLASS_DECL - possibly without
                                   id - or an expression), binding (the local binding: the
                                   declaration's own name, or "*default*") */
    JSAST_EXPORT_ALL,           /* u.export_all: exported (IDENT/STRING or NULL for `export *`),
                                   source (STRING), attributes */
    JSAST_IMPORT_ATTR,          /* u.attr: key (IDENT or STRING), value (STRING) */

    JSAST_KIND_COUNT
} jsast_kind;

/* jsast_node.flags. Bits are only meaningful for the kinds listed. */
#define JSAST_F_PAREN        0x00000001u  /* expression was parenthesized (any expression) */
#define JSAST_F_COMPUTED     0x00000002u  /* MEMBER, PROPERTY, METHOD, FIELD */
#define JSAST_F_OPTIONAL     0x00000004u  /* MEMBER, CALL: this link is `?.` */
#define JSAST_F_STATIC       0x00000008u  /* METHOD, FIELD */
#define JSAST_F_SHORTHAND    0x00000010u  /* PROPERTY: `{a}` or pattern `{a = 1}` */
#define JSAST_F_METHOD       0x00000020u  /* PROPERTY: method, getter or setter */
#define JSAST_F_PROTO_SETTER 0x00000040u  /* PROPERTY in OBJECT: `__proto__: v` sets [[Prototype]] */
#define JSAST_F_DIRECT_EVAL  0x00000080u  /* CALL */
#define JSAST_F_PREFIX       0x00000100u  /* UPDATE */
#define JSAST_F_DELEGATE     0x00000200u  /* YIELD */
#define JSAST_F_AWAIT        0x00000400u  /* FOR_OF */
#define JSAST_F_DYNAMIC      0x00000800u  /* IDENT: lookup must go by name (with / sloppy eval) */
#define JSAST_F_DIRECTIVE    0x00001000u  /* EXPR_STMT in a directive prologue */
#define JSAST_F_BINDING_ID   0x00002000u  /* IDENT declares (or initializes) its binding */
#define JSAST_F_IN_CHAIN     0x00004000u  /* MEMBER/CALL inside an optional chain (below a CHAIN) */
#define JSAST_F_ANNEXB       0x00008000u  /* FUNC_DECL: Annex B.3.3 var copy (fn->annexb_var) */
#define JSAST_F_TDZ          0x00010000u  /* IDENT reference may see an uninitialized binding */
#define JSAST_F_IMPORT_DEFER 0x00020000u  /* IMPORT_CALL: import.defer(...); IMPORT_DECL: import defer * as (proposal) */
#define JSAST_F_IMPORT_SOURCE 0x00040000u /* IMPORT_CALL: import.source(...); IMPORT_DECL: import source x (proposal) */
#define JSAST_F_SHARED_KEY   0x00080000u  /* METHOD (F_COMPUTED): the key is the previous element's key value
                                             (auto-accessor setter); its key node is a placeholder */
/* Bits 0x10000000 and up are parser-internal scratch; ignore them. */

/* VAR_DECL kinds */
enum { JSAST_VAR_VAR, JSAST_VAR_LET, JSAST_VAR_CONST, JSAST_VAR_USING, JSAST_VAR_AWAIT_USING };
/* PROPERTY kinds */
enum { JSAST_PROP_INIT, JSAST_PROP_GET, JSAST_PROP_SET };
/* METHOD kinds */
enum { JSAST_METHOD_METHOD, JSAST_METHOD_GET, JSAST_METHOD_SET, JSAST_METHOD_CONSTRUCTOR };

/* Operators (UNARY, UPDATE, BINARY, LOGICAL, ASSIGN). */
typedef enum jsast_op {
    JSAST_OP_NONE = 0,
    /* binary */
    JSAST_OP_ADD, JSAST_OP_SUB, JSAST_OP_MUL, JSAST_OP_DIV, JSAST_OP_MOD, JSAST_OP_EXP,
    JSAST_OP_SHL, JSAST_OP_SAR, JSAST_OP_SHR,
    JSAST_OP_BITAND, JSAST_OP_BITOR, JSAST_OP_BITXOR,
    JSAST_OP_EQ, JSAST_OP_NE, JSAST_OP_SEQ, JSAST_OP_SNE,
    JSAST_OP_LT, JSAST_OP_GT, JSAST_OP_LE, JSAST_OP_GE,
    JSAST_OP_IN, JSAST_OP_INSTANCEOF,
    /* logical */
    JSAST_OP_AND, JSAST_OP_OR, JSAST_OP_NULLISH,
    /* unary */
    JSAST_OP_NEG, JSAST_OP_PLUS, JSAST_OP_NOT, JSAST_OP_BITNOT,
    JSAST_OP_TYPEOF, JSAST_OP_VOID, JSAST_OP_DELETE,
    /* update */
    JSAST_OP_INC, JSAST_OP_DEC,
    /* plain assignment */
    JSAST_OP_ASSIGN,
    JSAST_OP_COUNT
} jsast_op;

struct jsast_node {
    uint16_t kind;          /* jsast_kind */
    uint16_t pad;
    uint32_t flags;         /* JSAST_F_* */
    uint32_t start, end;    /* source offsets [start, end) */
    uint32_t line, col;     /* of start; 1-based */
    union {
        struct { jsast_function *fn; } func;
        struct { jsast_class *cls; } cls;
        struct { jsast_list body; jsast_scope *scope; } block;
        struct { jsast_node *expr; } expr_stmt;
        struct { jsast_node *test, *cons, *alt; } cond;
        struct { jsast_str *label; jsast_node *body; } labeled;
        struct { jsast_str *label; jsast_node *target; } jump;
        struct { jsast_node *object, *body; jsast_scope *scope; } with;
        struct { jsast_node *disc; jsast_list cases; jsast_scope *scope; } switch_;
        struct { jsast_node *test; jsast_list body; } case_;
        struct { jsast_node *arg; } arg;
        struct { jsast_node *block, *handler, *finalizer; } try_;
        struct { jsast_node *param, *body; jsast_scope *scope; } catch_;
        struct { jsast_node *init, *test, *update, *body; jsast_scope *scope; } loop;
        struct { jsast_node *left, *right, *body; jsast_scope *scope; } forin;
        struct { int kind; jsast_list decls; } var;
        struct { jsast_node *id, *init; } decl;
        struct { jsast_str *name; jsast_binding *binding; } ident;
        struct { jsast_str *name; jsast_private_name *decl; } priv;
        struct { double value; } num;
        struct { jsast_str *value; } str;
        struct { const char *text; uint32_t len; } bigint;
        struct { jsast_str *pattern; const char *flags; } regexp;
        struct { jsast_list quasis; jsast_list exprs; } tmpl;
        struct { jsast_str *cooked, *raw; } tmpl_elem;
        struct { jsast_node *tag, *quasi; } tagged;
        jsast_list list;
        struct { jsast_node *key, *value; int kind; } prop;
        struct { int op; jsast_node *arg; } unary;
        struct { int op; jsast_node *left, *right; } binary;
        struct { jsast_node *callee; jsast_list args; } call;
        struct { jsast_node *object, *property; } member;
        struct { jsast_node *source, *options; } import_call;
        struct { jsast_node *key, *value; int kind; } method;
        struct { jsast_node *key, *value; } field;
        struct { jsast_list specifiers; jsast_node *source; jsast_list attributes; } import_decl;
        struct { jsast_node *imported, *local; } spec;
        struct { jsast_node *decl; jsast_list specifiers; jsast_node *source; jsast_list attributes; } export_named;
        struct { jsast_node *decl; jsast_binding *binding; } export_default;
        struct { jsast_node *exported, *source; jsast_list attributes; } export_all;
        struct { jsast_node *key, *value; } attr;
    } u;
};

/* ---- functions ---- */

/* jsast_function.kind: exactly one. */
typedef enum jsast_fn_kind {
    JSAST_FN_NORMAL,        /* function declaration / expression */
    JSAST_FN_ARROW,
    JSAST_FN_METHOD,        /* object literal or class method (has a home object) */
    JSAST_FN_GETTER,
    JSAST_FN_SETTER,
    JSAST_FN_CLASS_CTOR,    /* explicit constructor of a base class */
    JSAST_FN_DERIVED_CTOR,  /* explicit constructor of a class with `extends` */
    JSAST_FN_FIELD_INIT,    /* class field initializer (one per field; this = the instance or class) */
    JSAST_FN_STATIC_BLOCK,  /* class static block (this = the class) */
    JSAST_FN_SCRIPT,        /* Program: script */
    JSAST_FN_MODULE,        /* Program: module */
    JSAST_FN_EVAL           /* Program: eval code (direct or indirect; see parser options) */
} jsast_fn_kind;

/* jsast_function.flags */
#define JSAST_FN_ASYNC            0x00000001u
#define JSAST_FN_GENERATOR        0x00000002u
#define JSAST_FN_STRICT           0x00000004u  /* code is strict (inherited or own directive) */
#define JSAST_FN_USE_STRICT       0x00000008u  /* has its own "use strict" directive */
#define JSAST_FN_SIMPLE_PARAMS    0x00000010u  /* IsSimpleParameterList */
#define JSAST_FN_PARAM_EXPRS      0x00000020u  /* ContainsExpression on params (defaults, computed
                                                  pattern keys): separate var scope */
#define JSAST_FN_EXPR_BODY        0x00000040u  /* concise arrow body (body = one RETURN) */
#define JSAST_FN_USES_ARGUMENTS   0x00000080u  /* `arguments` object is needed (see `arguments`) */
#define JSAST_FN_MAPPED_ARGUMENTS 0x00000100u  /* sloppy with simple params: mapped arguments */
#define JSAST_FN_USES_THIS        0x00000200u  /* this, directly or in nested arrows/eval */
#define JSAST_FN_USES_SUPER_PROP  0x00000400u  /* super.x / super[x], directly or via arrows/eval */
#define JSAST_FN_USES_SUPER_CALL  0x00000800u  /* super(...), directly or via arrows/eval */
#define JSAST_FN_USES_NEW_TARGET  0x00001000u  /* new.target, directly or via arrows/eval */
#define JSAST_FN_DIRECT_EVAL      0x00002000u  /* contains a direct eval (itself or in nested arrows) */
#define JSAST_FN_NEEDS_ENV        0x00004000u  /* some binding of its own scopes is captured */
#define JSAST_FN_DECLARATION      0x00008000u  /* FUNC_DECL */
#define JSAST_FN_NAMED_EXPR       0x00010000u  /* named function expression: `self` binding */
#define JSAST_FN_HAS_TLA          0x00020000u  /* MODULE: top-level await */
#define JSAST_FN_CLASS_HERITAGE   0x00040000u  /* constructor of a class with `extends` (also FIELD_INIT) */
#define JSAST_FN_IN_CLASS         0x00080000u  /* defined in a class body (methods, fields, ctor) */
#define JSAST_FN_STATIC           0x00100000u  /* static method/field/block */
#define JSAST_FN_HAS_SUPER_SCOPE  0x00200000u  /* may use super property (method-like) */

struct jsast_function {
    uint8_t kind;               /* jsast_fn_kind */
    uint32_t flags;             /* JSAST_FN_* */
    jsast_node *node;           /* owning node (FUNC_DECL/FUNC_EXPR/ARROW/PROGRAM/STATIC_BLOCK) */
    jsast_node *id;             /* name IDENT of a declaration or named expression, else NULL */
    jsast_str *name;            /* id's name, else NULL (name inference is the compiler's job) */
    jsast_list params;          /* IDENT, ASSIGN_PATTERN, OBJECT_PATTERN, ARRAY_PATTERN, REST (last) */
    jsast_list body;            /* statements (FunctionBody / ScriptBody / ModuleBody) */
    uint32_t length;            /* ExpectedArgumentCount: params before the first default/rest */
    uint32_t src_start, src_end;/* source text range (Function.prototype.toString) */
    jsast_scope *scope;         /* parameters (and vars/lexicals when params are simple) */
    jsast_scope *var_scope;     /* body vars and top-level lexicals; == scope unless PARAM_EXPRS */
    jsast_binding *arguments;   /* the implicit `arguments` binding (USES_ARGUMENTS), else NULL */
    jsast_binding *self;        /* NAMED_EXPR: the function's own name binding (in `scope`) */
    jsast_binding *annexb_var;  /* FUNC_DECL in a block with F_ANNEXB: the var-scope binding that
                                   receives the block binding's value when the declaration is
                                   evaluated (Annex B.3.3) */
    jsast_function *parent;     /* enclosing function (lexically), NULL for the Program */
    jsast_class *home_class;    /* class whose body defines it (IN_CLASS), else NULL */
    uint32_t index;             /* creation order in the tree (0 = Program) */
    uint32_t user;              /* free for the compiler */
};

/* ---- classes ---- */

/* Private name kinds */
enum {
    JSAST_PRIV_FIELD,
    JSAST_PRIV_METHOD,
    JSAST_PRIV_GETTER,
    JSAST_PRIV_SETTER,
    JSAST_PRIV_ACCESSOR,     /* getter and setter pair (both set below) */
    JSAST_PRIV_OUTER         /* from the eval context (parser options): resolved by name at run time */
};

struct jsast_private_name {
    jsast_str *name;            /* without '#' */
    uint8_t kind;               /* JSAST_PRIV_* */
    uint8_t is_static;
    jsast_node *decl;           /* FIELD or METHOD element (first one), NULL for OUTER */
    jsast_node *getter, *setter;/* ACCESSOR/GETTER/SETTER: the METHOD elements */
    jsast_class *cls;           /* declaring class (NULL for OUTER) */
    uint32_t index;             /* order within the class's privates */
};

/* The decorators of one class element (METHOD or FIELD; for an auto-accessor
 * its getter); the expressions are evaluated in the class scope. */
typedef struct jsast_deco_el {
    jsast_node *el;
    jsast_list decos;
    jsast_node *storage;        /* auto-accessor: its storage FIELD (the setter follows el), else NULL */
} jsast_deco_el;

struct jsast_class {
    jsast_node *node;           /* CLASS_DECL / CLASS_EXPR */
    jsast_node *id;             /* name IDENT or NULL */
    jsast_str *name;
    jsast_node *heritage;       /* `extends` expression or NULL */
    jsast_node *constructor;    /* METHOD with kind CONSTRUCTOR, NULL = default constructor */
    jsast_list elements;        /* METHOD, FIELD, STATIC_BLOCK in source order (constructor excluded) */
    jsast_scope *scope;         /* CLASS scope: the inner name binding (if named) */
    jsast_binding *inner;       /* binding of the class name inside the class, or NULL */
    jsast_private_name **privates; /* declared private names, in order */
    uint32_t nprivates;
    uint32_t src_start, src_end;/* source text (Function.prototype.toString of the class) */
    jsast_class *outer;         /* lexically enclosing class (private-name resolution) */
    jsast_list decorators;      /* class decorators (@x before `class`), in source order */
    jsast_deco_el *el_decos;    /* decorated elements, in source order */
    uint32_t nel_decos;
    uint32_t user;
};

/* ---- scopes and bindings (filled by scope analysis) ---- */

typedef enum jsast_scope_kind {
    JSAST_SCOPE_SCRIPT,         /* global code: var/function names are global properties;
                                   let/const/class are global lexical bindings (also recorded) */
    JSAST_SCOPE_MODULE,
    JSAST_SCOPE_FUNCTION,       /* params (+ body vars and top-level lexicals when there are no
                                   parameter expressions); also field initializers and static
                                   blocks (see fn->kind) */
    JSAST_SCOPE_FUNCTION_BODY,  /* var scope (vars, top-level functions and lexicals) of a
                                   function with parameter expressions */
    JSAST_SCOPE_BLOCK,          /* block statement, switch */
    JSAST_SCOPE_FOR,            /* lexical for-loop head (per-iteration copies when captured) */
    JSAST_SCOPE_CATCH,          /* catch parameter(s) */
    JSAST_SCOPE_CLASS,          /* class name binding; private names environment */
    JSAST_SCOPE_WITH,           /* object environment: no bindings */
    JSAST_SCOPE_EVAL            /* eval code: var scope of a strict eval, lexical scope of any eval */
} jsast_scope_kind;

typedef enum jsast_binding_kind {
    JSAST_BIND_VAR,
    JSAST_BIND_LET,
    JSAST_BIND_CONST,
    JSAST_BIND_CLASS,           /* class declaration (mutable lexical) */
    JSAST_BIND_CLASS_INNER,     /* class's own name inside its body (immutable) */
    JSAST_BIND_FUNCTION,        /* function declaration (var-like at function/script/eval top level;
                                   lexical in blocks and at module top level, without TDZ:
                                   initialized on scope entry from scope->funcs) */
    JSAST_BIND_PARAM,
    JSAST_BIND_CATCH,           /* catch parameter */
    JSAST_BIND_IMPORT,          /* import binding (immutable, indirect) */
    JSAST_BIND_ARGUMENTS,       /* implicit `arguments` */
    JSAST_BIND_FUNC_NAME,       /* named function expression's own name (immutable; sloppy writes ignored) */
    JSAST_BIND_USING,           /* using (const-like) */
    JSAST_BIND_AWAIT_USING      /* await using (const-like) */
} jsast_binding_kind;

/* jsast_binding.flags */
#define JSAST_B_LEXICAL   0x01   /* has a TDZ (let/const/class/using/class inner) */
#define JSAST_B_CONST     0x02   /* immutable: assignment throws TypeError (const, using, class
                                    inner, import); FUNC_NAME also has it but a sloppy-mode
                                    assignment is silently ignored */
#define JSAST_B_PARAM_DUP 0x04   /* duplicate parameter name (sloppy): the last one wins */
#define JSAST_B_GLOBAL    0x08   /* lives outside the compiled code, looked up by name: every SCRIPT
                                    scope binding (var/function: global object properties;
                                    let/const/class: the global declarative record), and the
                                    var/function bindings of sloppy EVAL code (the caller's
                                    variable environment) */
#define JSAST_B_ANNEXB    0x10   /* var binding created only by Annex B.3.3 function-in-block */
#define JSAST_B_SHADOWS_PARAM 0x20 /* FUNCTION_BODY var whose name is also a parameter: starts with
                                    the parameter's value */

struct jsast_binding {
    jsast_str *name;
    uint8_t kind;               /* jsast_binding_kind */
    uint8_t flags;              /* JSAST_B_* */
    uint8_t captured;           /* referenced from an inner function, or visible to direct eval/with */
    uint8_t pad;
    uint32_t slot;              /* index in scope->bindings (declaration order; implicit
                                   `arguments` and Annex B vars are appended when found) */
    jsast_scope *scope;
    jsast_node *decl;           /* first declaring node: IDENT (F_BINDING_ID), FUNC_DECL, CLASS_DECL,
                                   or IMPORT_* specifier; NULL for implicit bindings */
    uint32_t user;              /* free for the compiler (e.g. register / env slot) */
    uint32_t init_end;          /* lexical: source offset where its declaration/initializer ends */
};

struct jsast_scope {
    uint8_t kind;               /* jsast_scope_kind */
    uint8_t strict;
    uint8_t has_eval;           /* a direct eval is directly inside this scope or an inner
                                   non-function scope: all bindings visible by name */
    uint8_t needs_env;          /* some binding is captured: allocate a heap environment */
    jsast_scope *parent;        /* lexically enclosing scope (crosses function boundaries) */
    jsast_function *fn;         /* function (or Program) whose code runs this scope */
    jsast_node *node;           /* owning node */
    jsast_binding **bindings;   /* in slot order */
    uint32_t nbindings;
    jsast_list funcs;           /* FUNC_DECLs to instantiate on entry, source order (a later one of
                                   the same name overrides an earlier one) */
    uint32_t user;
};

/* ---- the tree ---- */

struct jsast_program {
    jsast_node *root;           /* PROGRAM */
    jsast_function *fn;         /* root->u.func.fn */
    const uint8_t *src;         /* WTF-8 source the offsets refer to (caller's buffer for UTF-8
                                   input: it must outlive the tree; an arena copy for UTF-16 input) */
    size_t src_len;
    uint32_t nfunctions;        /* count of jsast_function in the tree (index < nfunctions) */
    jsast_arena *arena;         /* owns every node, string and list of the tree */
    jsast_str *name_arguments;  /* the tree's interned "arguments" */
    jsast_str *name_default;    /* the tree's interned "*default*" (anonymous default export) */
};

/* ---- ast.c: arena and helpers ---- */

/* Arena: bump allocation in chunks, freed all at once. Allocation returns NULL
 * on out-of-memory. */
jsast_arena *jsast_arena_new(void);
void *jsast_alloc(jsast_arena *a, size_t size);    /* zeroed, 8-byte aligned */
void jsast_arena_free(jsast_arena *a);
size_t jsast_arena_bytes(const jsast_arena *a);

/* Frees the tree and everything it owns (the arena). NULL is allowed. */
void jsast_program_free(jsast_program *p);

const char *jsast_kind_name(int kind);
const char *jsast_op_name(int op);          /* "+", "===", "typeof", "??" etc. */
/* Writes a UTF-8 rendering of s to f. */
void jsast_print_str(FILE *f, const jsast_str *s);
/* Indented S-expression-like dump of a subtree (for tests and tools/jsparse). */
void jsast_dump(FILE *f, const jsast_node *n, int indent);
/* Equality of a jsast_str with an ASCII C string. */
int jsast_str_eq_ascii(const jsast_str *s, const char *ascii);

#endif
