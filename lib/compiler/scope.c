/*
 * scope.c - scope analysis after parsing: builds the scopes of every
 * function, block, loop head, catch, class and with statement, declares their
 * bindings (reporting redeclaration early errors, Annex B.3.3 function-in-block
 * vars, module export checks), then resolves identifier references, marks
 * captured bindings and computes per-function flags (this/arguments/eval...).
 * Two passes over the arena AST; never touches a runtime.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "parser.h"

typedef struct hent {
    jsast_scope *s;
    jsast_str *name;
    jsast_binding *b;
} hent;

typedef struct analyzer {
    jsast_program *prog;
    jsast_arena *arena;
    const jsparse_options *opt;
    jsparse_error *err;
    jmp_buf jb;
    int pass;
    hent *tab;
    uint32_t mask, count;
    jsast_scope **scopes;       /* every scope, for the final needs_env pass */
    uint32_t nscopes, cap_scopes;
} analyzer;

static void aerror(analyzer *a, const jsast_node *n, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 3, 4)));

static void aerror(analyzer *a, const jsast_node *n, const char *fmt, ...)
{
    va_list ap;
    a->err->kind = JSPARSE_ERR_SYNTAX;
    a->err->line = n ? n->line : 0;
    a->err->col = n ? n->col : 0;
    a->err->offset = n ? n->start : 0;
    va_start(ap, fmt);
    vsnprintf(a->err->msg, sizeof a->err->msg, fmt, ap);
    va_end(ap);
    longjmp(a->jb, 1);
}

static void oom(analyzer *a)
{
    a->err->kind = JSPARSE_ERR_OOM;
    snprintf(a->err->msg, sizeof a->err->msg, "out of memory");
    longjmp(a->jb, 1);
}

static void *aalloc(analyzer *a, size_t n)
{
    void *p = jsast_alloc(a->arena, n);
    if (!p)
        oom(a);
    return p;
}

/* ASCII rendering of a name for messages. */
static const char *cname(const jsast_str *s, char *buf, size_t n)
{
    uint32_t i, k = 0;
    for (i = 0; i < s->len && k + 1 < n; i++)
        buf[k++] = s->chars[i] < 0x80 ? (char)s->chars[i] : '?';
    buf[k] = 0;
    return buf;
}

static void redeclared(analyzer *a, const jsast_node *at, jsast_str *name)
{
    char b[64];
    aerror(a, at, "Identifier '%s' has already been declared", cname(name, b, sizeof b));
}

/* ---- the (scope, name) -> binding table ---- */

static uint32_t hkey(const jsast_scope *s, const jsast_str *name)
{
    uintptr_t v = (uintptr_t)s;
    return (uint32_t)(v >> 4) * 2654435761u ^ name->hash;
}

static jsast_binding *lookup(analyzer *a, jsast_scope *s, jsast_str *name)
{
    uint32_t i = hkey(s, name) & a->mask;
    for (;;) {
        hent *e = &a->tab[i];
        if (!e->s)
            return NULL;
        if (e->s == s && e->name == name)
            return e->b;
        i = (i + 1) & a->mask;
    }
}

static void hput(analyzer *a, jsast_scope *s, jsast_str *name, jsast_binding *b)
{
    uint32_t i;
    if ((a->count + 1) * 2 > a->mask + 1) {
        uint32_t nsize = (a->mask + 1) * 2, k;
        hent *nt = calloc(nsize, sizeof *nt), *old = a->tab;
        if (!nt)
            oom(a);
        for (k = 0; k <= a->mask; k++) {
            if (old[k].s) {
                uint32_t j = hkey(old[k].s, old[k].name) & (nsize - 1);
                while (nt[j].s)
                    j = (j + 1) & (nsize - 1);
                nt[j] = old[k];
            }
        }
        free(old);
        a->tab = nt;
        a->mask = nsize - 1;
    }
    i = hkey(s, name) & a->mask;
    while (a->tab[i].s)
        i = (i + 1) & a->mask;
    a->tab[i].s = s;
    a->tab[i].name = name;
    a->tab[i].b = b;
    a->count++;
}

/* Arrays that grow by doubling inside the arena: capacity is implied by the
 * count (4, then powers of two). */
static void *grow_array(analyzer *a, void *arr, uint32_t n, size_t elem)
{
    if (n < 4 && arr)
        return arr;
    if (n >= 4 && (n & (n - 1)) != 0)
        return arr;
    {
        uint32_t cap = n < 4 ? 4 : n * 2;
        void *na = aalloc(a, cap * elem);
        if (n)
            memcpy(na, arr, n * elem);
        return na;
    }
}

static jsast_scope *new_scope(analyzer *a, int kind, jsast_scope *parent, jsast_function *fn,
                              jsast_node *node)
{
    jsast_scope *s = aalloc(a, sizeof *s);
    s->kind = (uint8_t)kind;
    s->parent = parent;
    s->fn = fn;
    s->node = node;
    s->strict = (fn->flags & JSAST_FN_STRICT) != 0;
    if (a->nscopes == a->cap_scopes) {
        uint32_t nc = a->cap_scopes ? a->cap_scopes * 2 : 64;
        jsast_scope **ns = realloc(a->scopes, nc * sizeof *ns);
        if (!ns)
            oom(a);
        a->scopes = ns;
        a->cap_scopes = nc;
    }
    a->scopes[a->nscopes++] = s;
    return s;
}

static jsast_binding *add_binding(analyzer *a, jsast_scope *s, jsast_str *name, int kind,
                                  jsast_node *decl)
{
    jsast_binding *b = aalloc(a, sizeof *b);
    b->name = name;
    b->kind = (uint8_t)kind;
    b->scope = s;
    b->decl = decl;
    b->slot = s->nbindings;
    switch (kind) {
    case JSAST_BIND_LET: case JSAST_BIND_CLASS:
        b->flags |= JSAST_B_LEXICAL;
        break;
    case JSAST_BIND_CONST: case JSAST_BIND_USING: case JSAST_BIND_AWAIT_USING:
    case JSAST_BIND_CLASS_INNER:
        b->flags |= JSAST_B_LEXICAL | JSAST_B_CONST;
        break;
    case JSAST_BIND_IMPORT:
        b->flags |= JSAST_B_CONST;
        break;
    default:
        break;
    }
    if (s->kind == JSAST_SCOPE_SCRIPT)
        b->flags |= JSAST_B_GLOBAL;
    if (s->kind == JSAST_SCOPE_EVAL && !s->strict &&
        (kind == JSAST_BIND_VAR || kind == JSAST_BIND_FUNCTION))
        b->flags |= JSAST_B_GLOBAL;
    s->bindings = grow_array(a, s->bindings, s->nbindings, sizeof(jsast_binding *));
    s->bindings[s->nbindings++] = b;
    hput(a, s, name, b);
    return b;
}

static void push_func(analyzer *a, jsast_scope *s, jsast_node *fn_node)
{
    s->funcs.items = grow_array(a, s->funcs.items, s->funcs.count, sizeof(jsast_node *));
    s->funcs.items[s->funcs.count++] = fn_node;
}

/* Var-like scopes: function declarations at their top level are var-scoped. */
static int is_var_scope(const jsast_scope *s)
{
    return s->kind == JSAST_SCOPE_FUNCTION || s->kind == JSAST_SCOPE_FUNCTION_BODY ||
           s->kind == JSAST_SCOPE_SCRIPT || s->kind == JSAST_SCOPE_EVAL;
}

static int binding_is_lexical(const jsast_binding *b)
{
    if (b->kind == JSAST_BIND_FUNCTION)
        return !is_var_scope(b->scope);
    return (b->flags & JSAST_B_LEXICAL) || b->kind == JSAST_BIND_IMPORT;
}

static int is_plain_function(const jsast_node *n)
{
    return n && n->kind == JSAST_FUNC_DECL &&
           !(n->u.func.fn->flags & (JSAST_FN_ASYNC | JSAST_FN_GENERATOR));
}

/* The function scope S (parameters) of the function owning scope s. */
static jsast_scope *param_scope(jsast_scope *s)
{
    return s->fn->scope;
}

/* ---- bound names ---- */

typedef void (*name_fn)(analyzer *a, jsast_node *id, void *ctx);

static void bound_names(analyzer *a, jsast_node *n, name_fn f, void *ctx)
{
    uint32_t i;
    if (!n)
        return;
    switch (n->kind) {
    case JSAST_IDENT:
        f(a, n, ctx);
        break;
    case JSAST_ASSIGN_PATTERN:
        bound_names(a, n->u.binary.left, f, ctx);
        break;
    case JSAST_REST:
        bound_names(a, n->u.arg.arg, f, ctx);
        break;
    case JSAST_ARRAY_PATTERN:
        for (i = 0; i < n->u.list.count; i++)
            bound_names(a, n->u.list.items[i], f, ctx);
        break;
    case JSAST_OBJECT_PATTERN:
        for (i = 0; i < n->u.list.count; i++) {
            jsast_node *e = n->u.list.items[i];
            bound_names(a, e->kind == JSAST_PROPERTY ? e->u.prop.value : e, f, ctx);
        }
        break;
    case JSAST_VAR_DECL:
        for (i = 0; i < n->u.var.decls.count; i++)
            bound_names(a, n->u.var.decls.items[i]->u.decl.id, f, ctx);
        break;
    default:
        break;
    }
}

/* ---- declarations ---- */

typedef struct lexctx {
    jsast_scope *s;
    int kind;
    uint32_t init_end;
} lexctx;

static jsast_binding *declare_lexical(analyzer *a, jsast_scope *s, jsast_node *id, jsast_str *name,
                                      int kind, jsast_node *decl, uint32_t init_end)
{
    jsast_binding *b = lookup(a, s, name);
    jsast_scope *ps;
    if (b) {
        /* Annex B.3.2.4: sloppy duplicate plain function declarations in blocks */
        if (kind == JSAST_BIND_FUNCTION && b->kind == JSAST_BIND_FUNCTION && !s->strict &&
            s->kind != JSAST_SCOPE_MODULE && is_plain_function(decl) && is_plain_function(b->decl))
            return b;
        redeclared(a, id ? id : decl, name);
    }
    /* lexical names of a function body may not repeat a parameter name */
    if (is_var_scope(s) && s->fn->scope != s && s->kind != JSAST_SCOPE_SCRIPT) {
        jsast_binding *pb = lookup(a, param_scope(s), name);
        if (pb && pb->kind == JSAST_BIND_PARAM)
            redeclared(a, id ? id : decl, name);
    }
    /* a catch block's lexical names may not repeat the catch parameter */
    ps = s->parent;
    if (s->kind == JSAST_SCOPE_BLOCK && ps && ps->kind == JSAST_SCOPE_CATCH &&
        ps->node->u.catch_.body == s->node && lookup(a, ps, name))
        redeclared(a, id ? id : decl, name);
    b = add_binding(a, s, name, kind, decl);
    b->init_end = init_end;
    return b;
}

static void lex_name_cb(analyzer *a, jsast_node *id, void *ctx)
{
    lexctx *c = ctx;
    declare_lexical(a, c->s, id, id->u.ident.name, c->kind, id, c->init_end);
}

static int is_arguments(analyzer *a, jsast_str *name);
static int has_own_arguments(const jsast_function *f);

/* Declares a `var` name from scope cur into the function/script var scope. */
static jsast_binding *declare_var(analyzer *a, jsast_scope *cur, jsast_node *id, jsast_str *name,
                                  int annexb)
{
    jsast_scope *s, *V = cur->fn->var_scope;
    jsast_binding *b;
    for (s = cur; s && s != V; s = s->parent) {
        b = lookup(a, s, name);
        if (!b)
            continue;
        if (s->kind == JSAST_SCOPE_CATCH) {
            /* Annex B.3.4: var may redeclare a simple catch parameter */
            if (s->node->u.catch_.param->kind == JSAST_IDENT)
                continue;
            if (annexb)
                return NULL;
            redeclared(a, id, name);
        }
        if (annexb)
            return NULL;
        if (binding_is_lexical(b) || b->kind == JSAST_BIND_CATCH)
            redeclared(a, id, name);
    }
    if (!s)
        return NULL;
    if (annexb) {
        /* B.3.2.1: not when F is one of parameterNames, which includes
         * "arguments" whenever the arguments object is needed */
        jsast_binding *pb = lookup(a, param_scope(V), name);
        if (pb && pb->kind == JSAST_BIND_PARAM)
            return NULL;
        if (is_arguments(a, name) && has_own_arguments(V->fn)) {
            b = lookup(a, V, name);
            if (!b || b->kind != JSAST_BIND_FUNCTION || (V->fn->flags & JSAST_FN_PARAM_EXPRS))
                return NULL;
        }
    }
    b = lookup(a, V, name);
    if (b) {
        if (binding_is_lexical(b)) {
            if (annexb)
                return NULL;
            redeclared(a, id, name);
        }
        return b;
    }
    b = add_binding(a, V, name, JSAST_BIND_VAR, id);
    if (V != V->fn->scope) {
        jsast_binding *pb = lookup(a, V->fn->scope, name);
        if (pb && pb->kind == JSAST_BIND_PARAM)
            b->flags |= JSAST_B_SHADOWS_PARAM;
    }
    if (annexb)
        b->flags |= JSAST_B_ANNEXB;
    return b;
}

static void var_name_cb(analyzer *a, jsast_node *id, void *ctx)
{
    declare_var(a, ctx, id, id->u.ident.name, 0);
}

static jsast_str *default_name(analyzer *a)
{
    return a->prog->name_default;
}

/* Declares a function declaration in scope s (block: lexical; var scope: var-like). */
static void declare_function(analyzer *a, jsast_scope *s, jsast_node *fnode, jsast_str *name)
{
    jsast_function *fn = fnode->u.func.fn;
    jsast_binding *b;
    if (!is_var_scope(s)) {
        b = declare_lexical(a, s, fn->id, name, JSAST_BIND_FUNCTION, fnode, fnode->end);
        b->flags &= ~JSAST_B_LEXICAL;
    } else {
        b = lookup(a, s, name);
        if (b && binding_is_lexical(b))
            redeclared(a, fn->id ? fn->id : fnode, name);
        if (!b)
            b = add_binding(a, s, name, JSAST_BIND_FUNCTION, fnode);
        else if (b->kind == JSAST_BIND_VAR)
            b->kind = JSAST_BIND_FUNCTION;
    }
    push_func(a, s, fnode);
    if (fn->id)
        fn->id->u.ident.binding = b;
}

/* Declares the lexically scoped names of a statement list in s (block entry). */
static void scan_declarations(analyzer *a, jsast_scope *s, jsast_list *body)
{
    uint32_t i;
    for (i = 0; i < body->count; i++) {
        jsast_node *n = body->items[i];
        while (n && n->kind == JSAST_LABELED)
            n = n->u.labeled.body;
        if (!n)
            continue;
        if (n->kind == JSAST_EXPORT_NAMED && n->u.export_named.decl)
            n = n->u.export_named.decl;
        if (n->kind == JSAST_EXPORT_DEFAULT) {
            jsast_node *d = n->u.export_default.decl;
            if (d->kind == JSAST_FUNC_DECL) {
                jsast_function *fn = d->u.func.fn;
                declare_function(a, s, d, fn->name ? fn->name : default_name(a));
                n->u.export_default.binding = lookup(a, s, fn->name ? fn->name : default_name(a));
            } else if (d->kind == JSAST_CLASS_DECL) {
                jsast_class *c = d->u.cls.cls;
                jsast_binding *b = declare_lexical(a, s, c->id, c->name ? c->name : default_name(a),
                                                   JSAST_BIND_CLASS, d, d->end);
                n->u.export_default.binding = b;
                if (c->id)
                    c->id->u.ident.binding = b;
            } else {
                n->u.export_default.binding =
                    declare_lexical(a, s, n, default_name(a), JSAST_BIND_LET, n, n->end);
            }
            continue;
        }
        switch (n->kind) {
        case JSAST_VAR_DECL:
            if (n->u.var.kind != JSAST_VAR_VAR) {
                uint32_t k;
                static const int map[] = { 0, JSAST_BIND_LET, JSAST_BIND_CONST, JSAST_BIND_USING,
                                           JSAST_BIND_AWAIT_USING };
                for (k = 0; k < n->u.var.decls.count; k++) {
                    jsast_node *d = n->u.var.decls.items[k];
                    lexctx c = { s, map[n->u.var.kind], d->end };
                    bound_names(a, d->u.decl.id, lex_name_cb, &c);
                }
            }
            break;
        case JSAST_CLASS_DECL: {
            jsast_class *c = n->u.cls.cls;
            jsast_binding *b = declare_lexical(a, s, c->id, c->name, JSAST_BIND_CLASS, n, n->end);
            c->id->u.ident.binding = b;
            break;
        }
        case JSAST_FUNC_DECL:
            declare_function(a, s, n, n->u.func.fn->name);
            break;
        case JSAST_IMPORT_DECL: {
            uint32_t k;
            for (k = 0; k < n->u.import_decl.specifiers.count; k++) {
                jsast_node *sp = n->u.import_decl.specifiers.items[k];
                jsast_binding *b = declare_lexical(a, s, sp->u.spec.local, sp->u.spec.local->u.ident.name,
                                                   JSAST_BIND_IMPORT, sp, 0);
                sp->u.spec.local->u.ident.binding = b;
            }
            break;
        }
        default:
            break;
        }
    }
}

static int list_has_lexical(jsast_list *body)
{
    uint32_t i;
    for (i = 0; i < body->count; i++) {
        jsast_node *n = body->items[i];
        while (n && n->kind == JSAST_LABELED)
            n = n->u.labeled.body;
        if (!n)
            continue;
        if ((n->kind == JSAST_VAR_DECL && n->u.var.kind != JSAST_VAR_VAR) ||
            n->kind == JSAST_CLASS_DECL || n->kind == JSAST_FUNC_DECL)
            return 1;
    }
    return 0;
}

/* ---- pass 2 helpers ---- */

static int is_arguments(analyzer *a, jsast_str *name)
{
    return name == a->prog->name_arguments;
}

static int has_own_arguments(const jsast_function *f)
{
    switch (f->kind) {
    case JSAST_FN_NORMAL: case JSAST_FN_METHOD: case JSAST_FN_GETTER: case JSAST_FN_SETTER:
    case JSAST_FN_CLASS_CTOR: case JSAST_FN_DERIVED_CTOR:
        return 1;
    default:
        return 0;
    }
}

static jsast_binding *make_arguments(analyzer *a, jsast_function *f, jsast_str *name)
{
    jsast_binding *b = f->arguments;
    if (b)
        return b;
    b = add_binding(a, f->scope, name, JSAST_BIND_ARGUMENTS, NULL);
    f->arguments = b;
    f->flags |= JSAST_FN_USES_ARGUMENTS;
    if (!(f->flags & JSAST_FN_STRICT) && (f->flags & JSAST_FN_SIMPLE_PARAMS))
        f->flags |= JSAST_FN_MAPPED_ARGUMENTS;
    return b;
}

/* FunctionDeclarationInstantiation: `var arguments` in a function that gets
 * an arguments object declares nothing new (the name is already bound to
 * the object), so the var binding becomes the arguments binding. Only when
 * the var scope is the parameter scope (no parameter expressions). */
static jsast_binding *var_arguments(analyzer *a, jsast_scope *s, jsast_binding *b)
{
    jsast_function *f = s->fn;
    if (b->kind != JSAST_BIND_VAR || !is_arguments(a, b->name) || !f || s != f->var_scope ||
        !has_own_arguments(f) || f->arguments)
        return b;
    if (s != f->scope) {
        /* separate var scope: the var starts with the parameter scope's value */
        if (!lookup(a, f->scope, b->name))
            make_arguments(a, f, b->name);
        return b;
    }
    b->kind = JSAST_BIND_ARGUMENTS;
    f->arguments = b;
    f->flags |= JSAST_FN_USES_ARGUMENTS;
    if (!(f->flags & JSAST_FN_STRICT) && (f->flags & JSAST_FN_SIMPLE_PARAMS))
        f->flags |= JSAST_FN_MAPPED_ARGUMENTS;
    return b;
}

static void mark_fn(jsast_function *f, uint32_t flag)
{
    for (; f; f = f->parent) {
        f->flags |= flag;
        if (f->kind != JSAST_FN_ARROW)
            break;
    }
}

static void capture(jsast_binding *b)
{
    b->captured = 1;
    b->scope->needs_env = 1;
}

static void resolve(analyzer *a, jsast_node *id, jsast_scope *cur)
{
    jsast_str *name = id->u.ident.name;
    jsast_scope *s;
    jsast_binding *b = NULL;
    int dynamic = 0;
    for (s = cur; s; s = s->parent) {
        if (s->kind == JSAST_SCOPE_WITH) {
            dynamic = 1;
            continue;
        }
        b = lookup(a, s, name);
        if (b && b->kind == JSAST_BIND_VAR)
            b = var_arguments(a, s, b);
        if (!b && s->kind == JSAST_SCOPE_FUNCTION && has_own_arguments(s->fn) && is_arguments(a, name))
            b = make_arguments(a, s->fn, name);
        if (b)
            break;
        /* a sloppy direct eval may add a var to this var scope */
        if (s->has_eval && !s->strict && s == s->fn->var_scope)
            dynamic = 1;
    }
    id->u.ident.binding = b;
    if (dynamic)
        id->flags |= JSAST_F_DYNAMIC;
    if (!b)
        return;
    if (b->scope->fn != cur->fn || dynamic)
        capture(b);
    if ((b->flags & JSAST_B_LEXICAL) && !(id->flags & JSAST_F_BINDING_ID) &&
        (b->scope->fn != cur->fn || id->start < b->init_end ||
         (b->scope->node && b->scope->node->kind == JSAST_SWITCH)))
        id->flags |= JSAST_F_TDZ;
}

static void direct_eval(analyzer *a, jsast_scope *cur)
{
    jsast_scope *s;
    jsast_function *f = cur->fn;
    uint32_t i;
    int in_fn = 1;
    for (s = cur; s; s = s->parent) {
        if (in_fn)
            s->has_eval = 1;
        if (s == s->fn->scope)
            in_fn = 0;
        for (i = 0; i < s->nbindings; i++)
            capture(s->bindings[i]);
    }
    mark_fn(f, JSAST_FN_DIRECT_EVAL | JSAST_FN_USES_THIS | JSAST_FN_USES_NEW_TARGET);
    for (; f; f = f->parent) {
        if (f->kind != JSAST_FN_ARROW)
            break;
    }
    if (f && (f->flags & JSAST_FN_HAS_SUPER_SCOPE))
        mark_fn(cur->fn, JSAST_FN_USES_SUPER_PROP);
    if (f && f->kind == JSAST_FN_DERIVED_CTOR)
        mark_fn(cur->fn, JSAST_FN_USES_SUPER_CALL);
    /* eval code may read `arguments` */
    if (f && has_own_arguments(f)) {
        jsast_str *an = a->prog->name_arguments;
        jsast_binding *b = lookup(a, f->var_scope, an);
        if (b)
            b = var_arguments(a, f->var_scope, b);
        if (!b)
            b = lookup(a, f->scope, an);
        if (!b)
            b = make_arguments(a, f, an);
        capture(b);
    }
}

/* ---- the walk (both passes) ---- */

static void walk(analyzer *a, jsast_node *n, jsast_scope *cur);
static void walk_function(analyzer *a, jsast_function *fn, jsast_scope *cur);

static void walk_list(analyzer *a, jsast_list *l, jsast_scope *cur)
{
    uint32_t i;
    for (i = 0; i < l->count; i++)
        if (l->items[i])
            walk(a, l->items[i], cur);
}

static void param_cb(analyzer *a, jsast_node *id, void *ctx)
{
    jsast_scope *s = ctx;
    jsast_binding *b = lookup(a, s, id->u.ident.name);
    if (b) {
        b->flags |= JSAST_B_PARAM_DUP;
        return;
    }
    add_binding(a, s, id->u.ident.name, JSAST_BIND_PARAM, id);
}

static void catch_cb(analyzer *a, jsast_node *id, void *ctx)
{
    jsast_scope *s = ctx;
    if (lookup(a, s, id->u.ident.name))
        redeclared(a, id, id->u.ident.name);
    add_binding(a, s, id->u.ident.name, JSAST_BIND_CATCH, id);
}

static void walk_class(analyzer *a, jsast_class *c, jsast_scope *cur)
{
    jsast_scope *cs;
    uint32_t i;
    if (a->pass == 1) {
        cs = new_scope(a, JSAST_SCOPE_CLASS, cur, cur->fn, c->node);
        cs->strict = 1;
        c->scope = cs;
        if (c->id) {
            c->inner = add_binding(a, cs, c->name, JSAST_BIND_CLASS_INNER, c->id);
            c->inner->init_end = c->node->end;
        }
        if (c->node->kind == JSAST_CLASS_EXPR && c->id)
            c->id->u.ident.binding = c->inner;
    } else {
        cs = c->scope;
        if (c->id && c->node->kind == JSAST_CLASS_DECL && !c->id->u.ident.binding)
            resolve(a, c->id, cur);
    }
    /* class decorators are evaluated before the class scope exists */
    walk_list(a, &c->decorators, cur);
    for (i = 0; i < c->nel_decos; i++)
        walk_list(a, &c->el_decos[i].decos, cs);
    if (c->heritage)
        walk(a, c->heritage, cs);
    if (c->constructor)
        walk(a, c->constructor, cs);
    for (i = 0; i < c->elements.count; i++)
        walk(a, c->elements.items[i], cs);
}

static void walk_function(analyzer *a, jsast_function *fn, jsast_scope *cur)
{
    jsast_scope *S, *V;
    uint32_t i;
    if (a->pass == 1) {
        int kind = fn->kind == JSAST_FN_SCRIPT ? JSAST_SCOPE_SCRIPT :
                   fn->kind == JSAST_FN_MODULE ? JSAST_SCOPE_MODULE :
                   fn->kind == JSAST_FN_EVAL ? JSAST_SCOPE_EVAL : JSAST_SCOPE_FUNCTION;
        S = new_scope(a, kind, cur, fn, fn->node);
        fn->scope = S;
        /* functions inside an arrow's parameter cover were created before the
         * arrow: the scope tree is the authority on nesting */
        if (cur)
            fn->parent = cur->fn;
        for (i = 0; i < fn->params.count; i++)
            bound_names(a, fn->params.items[i], param_cb, S);
        V = S;
        if (fn->flags & JSAST_FN_PARAM_EXPRS)
            V = new_scope(a, JSAST_SCOPE_FUNCTION_BODY, S, fn, fn->node);
        fn->var_scope = V;
        walk_list(a, &fn->params, S);
        scan_declarations(a, V, &fn->body);
        walk_list(a, &fn->body, V);
        if ((fn->flags & JSAST_FN_NAMED_EXPR) && fn->id && !lookup(a, S, fn->name) &&
            !lookup(a, V, fn->name)) {
            fn->self = add_binding(a, S, fn->name, JSAST_BIND_FUNC_NAME, fn->id);
            fn->self->flags |= JSAST_B_CONST;
        }
        if (fn->self)
            fn->id->u.ident.binding = fn->self;
    } else {
        S = fn->scope;
        V = fn->var_scope;
        walk_list(a, &fn->params, S);
        walk_list(a, &fn->body, V);
    }
}

static void walk(analyzer *a, jsast_node *n, jsast_scope *cur)
{
    uint32_t i;
    jsast_scope *s;
    char here;
    if (a->opt && a->opt->stack_limit && (uintptr_t)&here < a->opt->stack_limit)
        aerror(a, n, "Nesting too deep (too much recursion)");
    switch (n->kind) {
    case JSAST_BLOCK:
        if (a->pass == 1 && list_has_lexical(&n->u.block.body)) {
            s = new_scope(a, JSAST_SCOPE_BLOCK, cur, cur->fn, n);
            n->u.block.scope = s;
            scan_declarations(a, s, &n->u.block.body);
        }
        walk_list(a, &n->u.block.body, n->u.block.scope ? n->u.block.scope : cur);
        break;
    case JSAST_EXPR_STMT:
        walk(a, n->u.expr_stmt.expr, cur);
        break;
    case JSAST_IF: case JSAST_CONDITIONAL:
        walk(a, n->u.cond.test, cur);
        walk(a, n->u.cond.cons, cur);
        if (n->u.cond.alt)
            walk(a, n->u.cond.alt, cur);
        break;
    case JSAST_LABELED:
        walk(a, n->u.labeled.body, cur);
        break;
    case JSAST_WITH:
        walk(a, n->u.with.object, cur);
        if (a->pass == 1)
            n->u.with.scope = new_scope(a, JSAST_SCOPE_WITH, cur, cur->fn, n);
        walk(a, n->u.with.body, n->u.with.scope);
        break;
    case JSAST_SWITCH:
        walk(a, n->u.switch_.disc, cur);
        if (a->pass == 1) {
            int lex = 0;
            for (i = 0; i < n->u.switch_.cases.count && !lex; i++)
                lex = list_has_lexical(&n->u.switch_.cases.items[i]->u.case_.body);
            if (lex) {
                s = new_scope(a, JSAST_SCOPE_BLOCK, cur, cur->fn, n);
                n->u.switch_.scope = s;
                for (i = 0; i < n->u.switch_.cases.count; i++)
                    scan_declarations(a, s, &n->u.switch_.cases.items[i]->u.case_.body);
            }
        }
        s = n->u.switch_.scope ? n->u.switch_.scope : cur;
        for (i = 0; i < n->u.switch_.cases.count; i++) {
            jsast_node *c = n->u.switch_.cases.items[i];
            if (c->u.case_.test)
                walk(a, c->u.case_.test, s);
            walk_list(a, &c->u.case_.body, s);
        }
        break;
    case JSAST_RETURN: case JSAST_THROW: case JSAST_SPREAD: case JSAST_REST: case JSAST_CHAIN:
        if (n->u.arg.arg)
            walk(a, n->u.arg.arg, cur);
        break;
    case JSAST_TRY:
        walk(a, n->u.try_.block, cur);
        if (n->u.try_.handler)
            walk(a, n->u.try_.handler, cur);
        if (n->u.try_.finalizer)
            walk(a, n->u.try_.finalizer, cur);
        break;
    case JSAST_CATCH:
        if (a->pass == 1 && n->u.catch_.param) {
            s = new_scope(a, JSAST_SCOPE_CATCH, cur, cur->fn, n);
            n->u.catch_.scope = s;
            bound_names(a, n->u.catch_.param, catch_cb, s);
        }
        s = n->u.catch_.scope ? n->u.catch_.scope : cur;
        if (n->u.catch_.param)
            walk(a, n->u.catch_.param, s);
        walk(a, n->u.catch_.body, s);
        break;
    case JSAST_WHILE: case JSAST_DO_WHILE:
        walk(a, n->u.loop.test, cur);
        walk(a, n->u.loop.body, cur);
        break;
    case JSAST_FOR: {
        jsast_node *init = n->u.loop.init;
        if (a->pass == 1 && init && init->kind == JSAST_VAR_DECL && init->u.var.kind != JSAST_VAR_VAR) {
            jsast_list one = { &n->u.loop.init, 1 };
            s = new_scope(a, JSAST_SCOPE_FOR, cur, cur->fn, n);
            n->u.loop.scope = s;
            scan_declarations(a, s, &one);
        }
        s = n->u.loop.scope ? n->u.loop.scope : cur;
        if (init)
            walk(a, init, s);
        if (n->u.loop.test)
            walk(a, n->u.loop.test, s);
        if (n->u.loop.update)
            walk(a, n->u.loop.update, s);
        walk(a, n->u.loop.body, s);
        break;
    }
    case JSAST_FOR_IN: case JSAST_FOR_OF: {
        jsast_node *left = n->u.forin.left;
        if (a->pass == 1 && left->kind == JSAST_VAR_DECL && left->u.var.kind != JSAST_VAR_VAR) {
            jsast_list one = { &n->u.forin.left, 1 };
            s = new_scope(a, JSAST_SCOPE_FOR, cur, cur->fn, n);
            n->u.forin.scope = s;
            scan_declarations(a, s, &one);
            /* the head names are in TDZ while the right side is evaluated */
            for (i = 0; i < s->nbindings; i++)
                s->bindings[i]->init_end = n->u.forin.right->end;
        }
        s = n->u.forin.scope ? n->u.forin.scope : cur;
        walk(a, left, s);
        walk(a, n->u.forin.right, s);
        walk(a, n->u.forin.body, s);
        break;
    }
    case JSAST_FUNC_DECL: {
        jsast_function *fn = n->u.func.fn;
        if (a->pass == 1 && !is_var_scope(cur) && cur->kind != JSAST_SCOPE_MODULE &&
            !cur->strict && is_plain_function(n) && fn->id) {
            /* Annex B.3.3: also a var in the enclosing function/script when that
             * causes no conflict */
            jsast_binding *vb = declare_var(a, cur->parent, fn->id, fn->name, 1);
            if (vb) {
                fn->annexb_var = vb;
                n->flags |= JSAST_F_ANNEXB;
            }
        }
        walk_function(a, fn, cur);
        break;
    }
    case JSAST_VAR_DECL:
        if (a->pass == 1 && n->u.var.kind == JSAST_VAR_VAR)
            bound_names(a, n, var_name_cb, cur);
        for (i = 0; i < n->u.var.decls.count; i++)
            walk(a, n->u.var.decls.items[i], cur);
        break;
    case JSAST_DECLARATOR:
        walk(a, n->u.decl.id, cur);
        if (n->u.decl.init)
            walk(a, n->u.decl.init, cur);
        break;
    case JSAST_CLASS_DECL: case JSAST_CLASS_EXPR:
        walk_class(a, n->u.cls.cls, cur);
        break;
    case JSAST_IDENT:
        if (a->pass == 2 && !n->u.ident.binding)
            resolve(a, n, cur);
        break;
    case JSAST_TEMPLATE:
        walk_list(a, &n->u.tmpl.exprs, cur);
        break;
    case JSAST_TAGGED_TEMPLATE:
        walk(a, n->u.tagged.tag, cur);
        walk(a, n->u.tagged.quasi, cur);
        break;
    case JSAST_THIS:
        if (a->pass == 2)
            mark_fn(cur->fn, JSAST_FN_USES_THIS);
        break;
    case JSAST_NEW_TARGET:
        if (a->pass == 2)
            mark_fn(cur->fn, JSAST_FN_USES_NEW_TARGET);
        break;
    case JSAST_ARRAY: case JSAST_OBJECT: case JSAST_SEQUENCE: case JSAST_OBJECT_PATTERN:
    case JSAST_ARRAY_PATTERN:
        walk_list(a, &n->u.list, cur);
        break;
    case JSAST_PROPERTY:
        if (n->flags & JSAST_F_COMPUTED)
            walk(a, n->u.prop.key, cur);
        walk(a, n->u.prop.value, cur);
        break;
    case JSAST_FUNC_EXPR: case JSAST_ARROW: case JSAST_STATIC_BLOCK:
        walk_function(a, n->u.func.fn, cur);
        break;
    case JSAST_UNARY: case JSAST_UPDATE: case JSAST_YIELD: case JSAST_AWAIT:
        if (n->u.unary.arg)
            walk(a, n->u.unary.arg, cur);
        break;
    case JSAST_BINARY: case JSAST_LOGICAL: case JSAST_ASSIGN: case JSAST_ASSIGN_PATTERN:
        walk(a, n->u.binary.left, cur);
        walk(a, n->u.binary.right, cur);
        break;
    case JSAST_CALL: case JSAST_NEW:
        walk(a, n->u.call.callee, cur);
        walk_list(a, &n->u.call.args, cur);
        if (a->pass == 2) {
            if (n->u.call.callee->kind == JSAST_SUPER)
                mark_fn(cur->fn, JSAST_FN_USES_SUPER_CALL | JSAST_FN_USES_THIS);
            if (n->flags & JSAST_F_DIRECT_EVAL)
                direct_eval(a, cur);
        }
        break;
    case JSAST_MEMBER:
        walk(a, n->u.member.object, cur);
        if (n->flags & JSAST_F_COMPUTED)
            walk(a, n->u.member.property, cur);
        if (a->pass == 2 && n->u.member.object->kind == JSAST_SUPER)
            mark_fn(cur->fn, JSAST_FN_USES_SUPER_PROP | JSAST_FN_USES_THIS);
        break;
    case JSAST_IMPORT_CALL:
        walk(a, n->u.import_call.source, cur);
        if (n->u.import_call.options)
            walk(a, n->u.import_call.options, cur);
        break;
    case JSAST_METHOD:
        if (n->flags & JSAST_F_COMPUTED)
            walk(a, n->u.method.key, cur);
        walk(a, n->u.method.value, cur);
        break;
    case JSAST_FIELD:
        if (n->flags & JSAST_F_COMPUTED)
            walk(a, n->u.field.key, cur);
        if (n->u.field.value)
            walk(a, n->u.field.value, cur);
        break;
    case JSAST_EXPORT_NAMED:
        if (n->u.export_named.decl)
            walk(a, n->u.export_named.decl, cur);
        else if (a->pass == 2 && !n->u.export_named.source) {
            for (i = 0; i < n->u.export_named.specifiers.count; i++) {
                jsast_node *sp = n->u.export_named.specifiers.items[i], *loc = sp->u.spec.imported;
                jsast_binding *b = lookup(a, cur, loc->u.ident.name);
                if (!b) {
                    char buf[64];
                    aerror(a, loc, "Export '%s' is not defined in module",
                           cname(loc->u.ident.name, buf, sizeof buf));
                }
                loc->u.ident.binding = b;
                capture(b);
            }
        }
        break;
    case JSAST_EXPORT_DEFAULT:
        walk(a, n->u.export_default.decl, cur);
        if (a->pass == 2 && n->u.export_default.binding)
            capture(n->u.export_default.binding);
        break;
    default:
        break;
    }
}

/* ---- modules: exported names ---- */

static void check_exports(analyzer *a, jsast_function *fn)
{
    jsast_node **names = NULL;
    uint32_t n = 0, i, j, k;
    for (i = 0; i < fn->body.count; i++) {
        jsast_node *st = fn->body.items[i];
        jsast_node *add[1];
        if (st->kind == JSAST_EXPORT_NAMED && st->u.export_named.decl) {
            jsast_node *d = st->u.export_named.decl;
            if (d->kind == JSAST_VAR_DECL) {
                for (k = 0; k < d->u.var.decls.count; k++) {
                    jsast_node *stack[64];
                    int sp = 0;
                    stack[sp++] = d->u.var.decls.items[k]->u.decl.id;
                    while (sp) {
                        jsast_node *p = stack[--sp];
                        if (!p)
                            continue;
                        if (p->kind == JSAST_IDENT) {
                            names = grow_array(a, names, n, sizeof *names);
                            names[n++] = p;
                        } else if (p->kind == JSAST_ASSIGN_PATTERN) {
                            if (sp < 64) stack[sp++] = p->u.binary.left;
                        } else if (p->kind == JSAST_REST) {
                            if (sp < 64) stack[sp++] = p->u.arg.arg;
                        } else if (p->kind == JSAST_ARRAY_PATTERN || p->kind == JSAST_OBJECT_PATTERN) {
                            uint32_t q2;
                            for (q2 = 0; q2 < p->u.list.count && sp < 64; q2++) {
                                jsast_node *e = p->u.list.items[q2];
                                stack[sp++] = e && e->kind == JSAST_PROPERTY ? e->u.prop.value : e;
                            }
                        }
                    }
                }
                continue;
            }
            add[0] = d->kind == JSAST_FUNC_DECL ? d->u.func.fn->id : d->u.cls.cls->id;
            names = grow_array(a, names, n, sizeof *names);
            names[n++] = add[0];
        } else if (st->kind == JSAST_EXPORT_NAMED) {
            for (k = 0; k < st->u.export_named.specifiers.count; k++) {
                names = grow_array(a, names, n, sizeof *names);
                names[n++] = st->u.export_named.specifiers.items[k]->u.spec.local;
            }
        } else if (st->kind == JSAST_EXPORT_DEFAULT) {
            names = grow_array(a, names, n, sizeof *names);
            names[n++] = st;
        } else if (st->kind == JSAST_EXPORT_ALL && st->u.export_all.exported) {
            names = grow_array(a, names, n, sizeof *names);
            names[n++] = st->u.export_all.exported;
        }
    }
    /* exported name of each entry: IDENT name, STRING value, or "default" */
    for (i = 0; i < n; i++) {
        for (j = 0; j < i; j++) {
            jsast_node *x = names[i], *y = names[j];
            int xd = x->kind == JSAST_EXPORT_DEFAULT, yd = y->kind == JSAST_EXPORT_DEFAULT;
            jsast_str *xs = xd ? NULL : x->kind == JSAST_STRING ? x->u.str.value : x->u.ident.name;
            jsast_str *ys = yd ? NULL : y->kind == JSAST_STRING ? y->u.str.value : y->u.ident.name;
            int same;
            if (xd || yd) {
                jsast_str *o = xd ? ys : xs;
                same = (xd && yd) || (o && jsast_str_eq_ascii(o, "default"));
            } else
                same = xs == ys;
            if (same) {
                char buf[64];
                aerror(a, x, "Duplicate export of '%s'", xd || !xs ? "default" : cname(xs, buf, sizeof buf));
            }
        }
    }
}

int jsparse_resolve_scopes(jsast_program *p, const jsparse_options *opt, jsparse_error *err)
{
    analyzer *a = calloc(1, sizeof *a);
    int rc = 0;
    if (!a)
        goto nomem;
    a->prog = p;
    a->arena = p->arena;
    a->opt = opt;
    a->err = err;
    a->mask = 255;
    a->tab = calloc(a->mask + 1, sizeof *a->tab);
    if (!a->tab)
        goto nomem;
    if (setjmp(a->jb)) {
        rc = -1;
    } else {
        jsast_function *fn = p->fn;
        uint32_t i;
        a->pass = 1;
        walk_function(a, fn, NULL);
        if (fn->kind == JSAST_FN_MODULE)
            check_exports(a, fn);
        a->pass = 2;
        walk_function(a, fn, NULL);
        for (i = 0; i < a->nscopes; i++)
            if (a->scopes[i]->needs_env)
                a->scopes[i]->fn->flags |= JSAST_FN_NEEDS_ENV;
    }
    free(a->tab);
    free(a->scopes);
    free(a);
    return rc;
nomem:
    if (a)
        free(a->tab);
    free(a);
    err->kind = JSPARSE_ERR_OOM;
    snprintf(err->msg, sizeof err->msg, "out of memory");
    return -1;
}
