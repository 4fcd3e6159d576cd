/*
 * parser.c - the parser's entry points and shared helpers, statements,
 * function bodies (directive prologues, parameter checks) and the Program.
 * Expressions live in parser_expr.c, classes and modules in parser_class.c.
 * Builds arena nodes only; never touches a runtime.
 */
#include <stdlib.h>
#include <string.h>
#include "parser_int.h"

/* ---- helpers ---- */

jsast_node *jsp_new(jsparser *p, int kind, const jspos *start)
{
    jsast_node *n = jslex_alloc(p, sizeof *n);
    const jspos *s = start ? start : &p->tok.pos;
    n->kind = (uint16_t)kind;
    n->start = s->off;
    n->line = s->line;
    n->col = s->col;
    return n;
}

jsast_node *jsp_finish(jsparser *p, jsast_node *n)
{
    n->end = p->prev_end;
    return n;
}

void jsp_next(jsparser *p)
{
    jslex_next(p);
}

void jsp_unexpected(jsparser *p)
{
    jstoken *t = &p->tok;
    if (t->type == T_EOF)
        jslex_error(p, NULL, "Unexpected end of input");
    if (t->type == T_IDENT && t->escaped && t->str->reserved_word)
        jslex_error(p, NULL, "Keyword must not contain escaped characters");
    if (t->type == T_IDENT || t->type == T_PRIVATE) {
        char buf[64];
        uint32_t i, n = 0;
        for (i = 0; i < t->str->len && n < sizeof buf - 8; i++) {
            uint16_t c = t->str->chars[i];
            buf[n++] = c < 0x80 ? (char)c : '?';
        }
        buf[n] = 0;
        jslex_error(p, NULL, "Unexpected %s '%s%s'", t->type == T_IDENT ? "identifier" : "private name",
                    t->type == T_PRIVATE ? "#" : "", buf);
    }
    if (t->type == T_STRING || t->type == T_NUMBER || t->type == T_TEMPLATE ||
        t->type == T_BIGINT || t->type == T_REGEXP)
        jslex_error(p, NULL, "Unexpected %s", jslex_token_name(t->type));
    jslex_error(p, NULL, "Unexpected token '%s'", jslex_token_name(t->type));
}

int jsp_eat(jsparser *p, int type)
{
    if (p->tok.type == type) {
        jslex_next(p);
        return 1;
    }
    return 0;
}

void jsp_expect(jsparser *p, int type)
{
    if (p->tok.type != type)
        jsp_unexpected(p);
    jslex_next(p);
}

/* Automatic semicolon insertion. */
void jsp_semicolon(jsparser *p)
{
    if (p->tok.type == T_SEMI) {
        jslex_next(p);
        return;
    }
    if (p->tok.type == T_RBRACE || p->tok.type == T_EOF || p->tok.nl_before)
        return;
    jsp_unexpected(p);
}

int jsp_is_name(jsparser *p, int n)
{
    return p->tok.type == T_IDENT && p->tok.str == p->n[n] && !p->tok.escaped;
}

int jsp_peek(jsparser *p, jstoken *out)
{
    jslex_save s;
    int type;
    jslex_save_state(p, &s);
    jslex_next(p);
    type = p->tok.type;
    if (out)
        *out = p->tok;
    jslex_restore_state(p, &s);
    return type;
}

/* The token after the next one (two-token lookahead). */
int jsp_peek2(jsparser *p, jstoken *first, jstoken *second)
{
    jslex_save s;
    int type;
    jslex_save_state(p, &s);
    jslex_next(p);
    if (first)
        *first = p->tok;
    jslex_next(p);
    type = p->tok.type;
    if (second)
        *second = p->tok;
    jslex_restore_state(p, &s);
    return type;
}

/* The type of the third token from here. */
static int peek3(jsparser *p)
{
    jslex_save s;
    int type;
    jslex_save_state(p, &s);
    jslex_next(p);
    jslex_next(p);
    jslex_next(p);
    type = p->tok.type;
    jslex_restore_state(p, &s);
    return type;
}

void jsp_enter(jsparser *p)
{
    char here;
    if (++p->depth > p->max_depth ||
        (p->opt->stack_limit && (uintptr_t)&here < p->opt->stack_limit))
        jslex_error(p, NULL, "Nesting too deep (too much recursion)");
}

void jsp_push(jsparser *p, jsast_node *n)
{
    if (p->stk_len == p->stk_cap) {
        uint32_t ncap = p->stk_cap ? p->stk_cap * 2 : 256;
        jsast_node **ns = realloc(p->stk, ncap * sizeof *ns);
        if (!ns)
            jslex_oom(p);
        p->stk = ns;
        p->stk_cap = ncap;
    }
    p->stk[p->stk_len++] = n;
}

jsast_list jsp_list_from(jsparser *p, uint32_t base)
{
    jsast_list l;
    l.count = p->stk_len - base;
    l.items = NULL;
    if (l.count) {
        l.items = jslex_alloc(p, l.count * sizeof(jsast_node *));
        memcpy(l.items, p->stk + base, l.count * sizeof(jsast_node *));
    }
    p->stk_len = base;
    return l;
}

jsast_function *jsp_new_function(jsparser *p, int kind, jsast_node *node)
{
    jsast_function *fn = jslex_alloc(p, sizeof *fn);
    fn->kind = (uint8_t)kind;
    fn->node = node;
    fn->index = p->nfunctions++;
    fn->parent = p->fc ? p->fc->fn : NULL;
    if (node)
        node->u.func.fn = fn;
    return fn;
}

fnctx *jsp_push_fn(jsparser *p, fnctx *fc, jsast_function *fn, int kind, int is_async, int is_gen)
{
    fnctx *parent = p->fc;
    memset(fc, 0, sizeof *fc);
    fc->parent = parent;
    fc->fn = fn;
    fc->strict = parent ? parent->strict : 0;
    fc->is_async = (uint8_t)is_async;
    fc->is_generator = (uint8_t)is_gen;
    fc->is_arrow = kind == JSAST_FN_ARROW;
    if (fc->is_arrow) {
        fc->allow_new_target = parent->allow_new_target;
        fc->allow_super_prop = parent->allow_super_prop;
        fc->allow_super_call = parent->allow_super_call;
        fc->no_arguments = parent->no_arguments;
        fc->allow_return = 1;
    } else {
        fc->allow_new_target = 1;
        fc->allow_super_prop = kind == JSAST_FN_METHOD || kind == JSAST_FN_GETTER ||
            kind == JSAST_FN_SETTER || kind == JSAST_FN_CLASS_CTOR ||
            kind == JSAST_FN_DERIVED_CTOR || kind == JSAST_FN_FIELD_INIT ||
            kind == JSAST_FN_STATIC_BLOCK;
        fc->allow_super_call = kind == JSAST_FN_DERIVED_CTOR;
        fc->no_arguments = kind == JSAST_FN_FIELD_INIT || kind == JSAST_FN_STATIC_BLOCK;
        fc->static_block = kind == JSAST_FN_STATIC_BLOCK;
        fc->allow_return = kind != JSAST_FN_STATIC_BLOCK && kind != JSAST_FN_FIELD_INIT;
    }
    if (is_async)
        fn->flags |= JSAST_FN_ASYNC;
    if (is_gen)
        fn->flags |= JSAST_FN_GENERATOR;
    p->fc = fc;
    return fc;
}

void jsp_pop_fn(jsparser *p, fnctx *fc)
{
    if (fc->strict)
        fc->fn->flags |= JSAST_FN_STRICT;
    p->fc = fc->parent;
}

/* ---- names ---- */

/* await is reserved here: module code, async function (or its parameters),
 * an arrow nested in an async function, or a class static block. */
static int await_reserved(jsparser *p)
{
    fnctx *f;
    if (p->module)
        return 1;
    if (p->fc->static_block)
        return 1;
    for (f = p->fc; f; f = f->parent) {
        if (f->is_async)
            return 1;
        /* arrows and field initializers keep the enclosing [Await] */
        if (!f->is_arrow && f->fn->kind != JSAST_FN_FIELD_INIT)
            break;
    }
    return 0;
}

static void check_common_name(jsparser *p, jsast_str *name, const jspos *at, int escaped)
{
    int rw = name->reserved_word;
    if (rw && rw != RW_STRICT)
        jslex_error(p, at, escaped ? "Keyword must not contain escaped characters"
                                   : "Unexpected reserved word");
    if (p->fc->strict && rw == RW_STRICT)
        jslex_error(p, at, "Unexpected strict mode reserved word");
    if (name == p->n[N_YIELD] && (p->fc->is_generator || p->fc->strict))
        jslex_error(p, at, "Unexpected 'yield' here");
    if (name == p->n[N_AWAIT]) {
        if (await_reserved(p))
            jslex_error(p, at, "Unexpected 'await' here");
        if (!p->fc->await_ident_pos)
            p->fc->await_ident_pos = at->off + 1;
    }
}

void jsp_check_binding_name(jsparser *p, jsast_str *name, const jspos *at, int escaped, int lexical)
{
    check_common_name(p, name, at, escaped);
    if (p->fc->strict && (name == p->n[N_EVAL] || name == p->n[N_ARGUMENTS]))
        jslex_error(p, at, "Unexpected eval or arguments in strict mode");
    if (lexical && name == p->n[N_LET])
        jslex_error(p, at, "let is disallowed as a lexically bound name");
}

void jsp_check_ident_ref(jsparser *p, jsast_str *name, const jspos *at, int escaped)
{
    check_common_name(p, name, at, escaped);
    if (name == p->n[N_ARGUMENTS] && p->fc->no_arguments)
        jslex_error(p, at, "'arguments' is not allowed in class field initializer or static initialization block");
}

/* Appends the IDENT nodes bound by a pattern. */
void jsp_collect_names(jsparser *p, jsast_node *n, jsast_node ***out, uint32_t *cnt, uint32_t *cap)
{
    uint32_t i;
    if (!n)
        return;
    switch (n->kind) {
    case JSAST_IDENT:
        if (*cnt == *cap) {
            uint32_t nc = *cap ? *cap * 2 : 16;
            jsast_node **nn = jslex_alloc(p, nc * sizeof *nn);
            if (*cnt)
                memcpy(nn, *out, *cnt * sizeof *nn);
            *out = nn;
            *cap = nc;
        }
        (*out)[(*cnt)++] = n;
        break;
    case JSAST_ASSIGN_PATTERN:
        jsp_collect_names(p, n->u.binary.left, out, cnt, cap);
        break;
    case JSAST_REST:
        jsp_collect_names(p, n->u.arg.arg, out, cnt, cap);
        break;
    case JSAST_ARRAY_PATTERN:
        for (i = 0; i < n->u.list.count; i++)
            jsp_collect_names(p, n->u.list.items[i], out, cnt, cap);
        break;
    case JSAST_OBJECT_PATTERN:
        for (i = 0; i < n->u.list.count; i++) {
            jsast_node *e = n->u.list.items[i];
            jsp_collect_names(p, e->kind == JSAST_PROPERTY ? e->u.prop.value : e, out, cnt, cap);
        }
        break;
    default:
        break;
    }
}

int jsp_contains_name_dup(jsast_node **names, uint32_t n, jsast_node **dup)
{
    uint32_t i, j;
    /* parameter lists are short; quadratic is fine and allocation-free */
    for (i = 1; i < n; i++)
        for (j = 0; j < i; j++)
            if (names[i]->u.ident.name == names[j]->u.ident.name) {
                *dup = names[i];
                return 1;
            }
    return 0;
}

/* ContainsExpression of a binding pattern: defaults or computed keys. */
static int pattern_has_expr(const jsast_node *n)
{
    uint32_t i;
    if (!n)
        return 0;
    switch (n->kind) {
    case JSAST_ASSIGN_PATTERN:
        return 1;
    case JSAST_REST:
        return pattern_has_expr(n->u.arg.arg);
    case JSAST_ARRAY_PATTERN:
        for (i = 0; i < n->u.list.count; i++)
            if (pattern_has_expr(n->u.list.items[i]))
                return 1;
        return 0;
    case JSAST_OBJECT_PATTERN:
        for (i = 0; i < n->u.list.count; i++) {
            const jsast_node *e = n->u.list.items[i];
            if (e->kind == JSAST_PROPERTY ? ((e->flags & JSAST_F_COMPUTED) || pattern_has_expr(e->u.prop.value))
                                          : pattern_has_expr(e))
                return 1;
        }
        return 0;
    default:
        return 0;
    }
}

int jsp_params_contain_expression(const jsast_list *params)
{
    uint32_t i;
    for (i = 0; i < params->count; i++)
        if (pattern_has_expr(params->items[i]))
            return 1;
    return 0;
}

static int is_simple_params(jsast_function *fn)
{
    uint32_t i;
    for (i = 0; i < fn->params.count; i++)
        if (fn->params.items[i]->kind != JSAST_IDENT)
            return 0;
    return 1;
}

/* Checks done once the body is known (strictness may come from its directive). */
void jsp_check_params(jsparser *p, jsast_function *fn, int allow_dups)
{
    jsast_node **names = NULL, *dup;
    uint32_t n = 0, cap = 0, i;
    int strict = p->fc->strict;
    for (i = 0; i < fn->params.count; i++)
        jsp_collect_names(p, fn->params.items[i], &names, &n, &cap);
    if (strict) {
        for (i = 0; i < n; i++) {
            jsast_str *s = names[i]->u.ident.name;
            jspos at = { names[i]->start, names[i]->line, names[i]->col };
            if (s == p->n[N_EVAL] || s == p->n[N_ARGUMENTS])
                jslex_error(p, &at, "Unexpected eval or arguments in strict mode");
            if (s->reserved_word == RW_STRICT)
                jslex_error(p, &at, "Unexpected strict mode reserved word");
        }
    }
    if ((strict || !allow_dups || !(fn->flags & JSAST_FN_SIMPLE_PARAMS)) &&
        jsp_contains_name_dup(names, n, &dup)) {
        jspos at = { dup->start, dup->line, dup->col };
        jslex_error(p, &at, "Duplicate parameter name not allowed in this context");
    }
    if (strict && fn->id) {
        jsast_str *s = fn->id->u.ident.name;
        jspos at = { fn->id->start, fn->id->line, fn->id->col };
        if (s == p->n[N_EVAL] || s == p->n[N_ARGUMENTS])
            jslex_error(p, &at, "Unexpected eval or arguments in strict mode");
        if (s->reserved_word == RW_STRICT)
            jslex_error(p, &at, "Unexpected strict mode reserved word");
    }
}

/* ---- function bodies ---- */

static int is_use_strict(jsparser *p, jsast_node *stmt)
{
    jsast_node *e;
    if (stmt->kind != JSAST_EXPR_STMT)
        return 0;
    e = stmt->u.expr_stmt.expr;
    return e->kind == JSAST_STRING && !(e->flags & JSAST_F_PAREN) && e->end - e->start == 12 &&
           e->u.str.value == p->n[N_USE_STRICT];
}

/* Statements up to '}' (or EOF for programs) with the directive prologue. */
void jsp_parse_fn_body(jsparser *p, jsast_function *fn, int is_program)
{
    uint32_t base = p->stk_len;
    uint32_t octal_pos = 0;     /* +1 */
    int end_type = is_program ? T_EOF : T_RBRACE;
    int ctx = S_TOP;
    while (p->tok.type == T_STRING) {
        jstoken st = p->tok;
        jsast_node *s = jsp_parse_statement(p, ctx);
        jsast_node *e = s->kind == JSAST_EXPR_STMT ? s->u.expr_stmt.expr : NULL;
        jsp_push(p, s);
        if (!e || e->kind != JSAST_STRING || (e->flags & JSAST_F_PAREN) || e->start != st.pos.off ||
            e->end != st.end)
            break;
        s->flags |= JSAST_F_DIRECTIVE;
        if (st.octal && !octal_pos)
            octal_pos = st.octal_pos + 1;
        if (is_use_strict(p, s)) {
            fn->flags |= JSAST_FN_USE_STRICT;
            if (!is_simple_params(fn))
                jslex_error_at(p, st.pos.off, "Illegal 'use strict' directive in function with non-simple parameter list");
            p->fc->strict = 1;
        }
        if (p->fc->strict && octal_pos)
            jslex_error_at(p, octal_pos - 1, "Octal escape sequences are not allowed in strict mode");
    }
    while (p->tok.type != end_type) {
        if (p->tok.type == T_EOF)
            jsp_unexpected(p);
        jsp_push(p, jsp_parse_statement(p, ctx));
    }
    fn->body = jsp_list_from(p, base);
}

void jsp_parse_function_tail(jsparser *p, jsast_function *fn, int is_method)
{
    uint32_t base = p->stk_len;
    int seen_default = 0;
    fnctx *fc = p->fc;
    jsp_expect(p, T_LPAREN);
    fc->in_params = 1;
    fn->length = 0;
    while (p->tok.type != T_RPAREN) {
        jsast_node *param;
        if (p->tok.type == T_ELLIPSIS) {
            jspos st = p->tok.pos;
            jsp_next(p);
            param = jsp_new(p, JSAST_REST, &st);
            param->u.arg.arg = jsp_parse_binding_target(p, 0);
            jsp_finish(p, param);
            jsp_push(p, param);
            seen_default = 1;
            if (p->tok.type == T_ASSIGN)
                jslex_error(p, NULL, "Rest parameter may not have a default initializer");
            if (p->tok.type != T_RPAREN)
                jslex_error(p, NULL, "Rest parameter must be last formal parameter");
            break;
        }
        param = jsp_parse_binding_element(p, 0);
        if (param->kind == JSAST_ASSIGN_PATTERN)
            seen_default = 1;
        if (!seen_default)
            fn->length++;
        jsp_push(p, param);
        if (p->tok.type != T_RPAREN)
            jsp_expect(p, T_COMMA);
    }
    if ((p->opt->flags & JSPARSE_DYNAMIC_FUNCTION) && fn->index == 1 &&
        p->tok.pos.off != p->opt->params_end + 1)
        jslex_error(p, NULL, "Invalid parameter list for dynamic function");
    fc->in_params = 0;
    fn->params = jsp_list_from(p, base);
    jsp_expect(p, T_RPAREN);
    if (is_simple_params(fn))
        fn->flags |= JSAST_FN_SIMPLE_PARAMS;
    else if (jsp_params_contain_expression(&fn->params))
        fn->flags |= JSAST_FN_PARAM_EXPRS;
    if (fn->kind == JSAST_FN_GETTER && fn->params.count != 0)
        jslex_error(p, NULL, "Getter must not have any formal parameters");
    if (fn->kind == JSAST_FN_SETTER &&
        (fn->params.count != 1 || fn->params.items[0]->kind == JSAST_REST))
        jslex_error(p, NULL, "Setter must have exactly one formal parameter");
    if ((p->opt->flags & JSPARSE_DYNAMIC_FUNCTION) && fn->index == 1 &&
        p->tok.pos.off + 1 != p->opt->body_start)
        jslex_error(p, NULL, "Invalid function body for dynamic function");
    jsp_expect(p, T_LBRACE);
    jsp_parse_fn_body(p, fn, 0);
    fn->src_end = p->tok.end;
    jsp_expect(p, T_RBRACE);
    jsp_check_params(p, fn, !is_method && fn->kind == JSAST_FN_NORMAL);
}

/* function declaration/expression; tok is `async` (is_async) or `function`. */
jsast_node *jsp_parse_function(jsparser *p, const jspos *start, int is_async, int is_decl, int ctx)
{
    jsast_node *node, *id = NULL;
    jsast_function *fn;
    fnctx fc;
    int is_gen;
    if (is_async)
        jsp_next(p);
    jsp_expect(p, T_FUNCTION);
    is_gen = jsp_eat(p, T_STAR);
    if (is_decl && (ctx == S_IF_SUB || ctx == S_LABELED_SUB) && (is_gen || is_async))
        jslex_error(p, start, "Generators and async functions can only be declared at top level or inside a block");
    if (p->tok.type == T_IDENT) {
        id = jsp_new(p, JSAST_IDENT, NULL);
        id->u.ident.name = p->tok.str;
        id->flags |= JSAST_F_BINDING_ID;
        if (is_decl) {
            jsp_check_binding_name(p, p->tok.str, &p->tok.pos, p->tok.escaped, 0);
        } else {
            /* the name of an expression is scoped by its own generator/async-ness */
            if (p->tok.str == p->n[N_YIELD] && (is_gen || p->fc->strict))
                jslex_error(p, NULL, "Unexpected 'yield' here");
            if (p->tok.str == p->n[N_AWAIT] && (is_async || p->module))
                jslex_error(p, NULL, "Unexpected 'await' here");
            if (p->tok.str != p->n[N_YIELD] && p->tok.str != p->n[N_AWAIT])
                jsp_check_binding_name(p, p->tok.str, &p->tok.pos, p->tok.escaped, 0);
            else if (p->tok.escaped && p->tok.str == p->n[N_AWAIT] && await_reserved(p))
                jslex_error(p, NULL, "Keyword must not contain escaped characters");
        }
        jsp_next(p);
        jsp_finish(p, id);
    } else if (is_decl != 2 && (is_decl || p->tok.type != T_LPAREN)) {
        jsp_unexpected(p);
    }
    node = jsp_new(p, is_decl ? JSAST_FUNC_DECL : JSAST_FUNC_EXPR, start);
    fn = jsp_new_function(p, JSAST_FN_NORMAL, node);
    fn->id = id;
    fn->name = id ? id->u.ident.name : NULL;
    fn->src_start = start->off;
    if (is_decl)
        fn->flags |= JSAST_FN_DECLARATION;
    else if (id)
        fn->flags |= JSAST_FN_NAMED_EXPR;
    jsp_push_fn(p, &fc, fn, JSAST_FN_NORMAL, is_async, is_gen);
    jsp_parse_function_tail(p, fn, 0);
    jsp_pop_fn(p, &fc);
    return jsp_finish(p, node);
}

/* ---- statements ---- */

jsast_node *jsp_parse_block(jsparser *p)
{
    jsast_node *n = jsp_new(p, JSAST_BLOCK, NULL);
    uint32_t base = p->stk_len;
    jsp_expect(p, T_LBRACE);
    while (p->tok.type != T_RBRACE) {
        if (p->tok.type == T_EOF)
            jsp_unexpected(p);
        jsp_push(p, jsp_parse_statement(p, S_BLOCK));
    }
    n->u.block.body = jsp_list_from(p, base);
    jsp_next(p);
    return jsp_finish(p, n);
}

/* Declarators of var/let/const/using. Checks on initializers are the caller's
 * (for-in/of heads differ). */
static jsast_node *parse_var_decls(jsparser *p, int kind, int flags, const jspos *start)
{
    jsast_node *n = jsp_new(p, JSAST_VAR_DECL, start);
    uint32_t base = p->stk_len;
    int lexical = kind != JSAST_VAR_VAR;
    n->u.var.kind = kind;
    for (;;) {
        jsast_node *d = jsp_new(p, JSAST_DECLARATOR, NULL);
        if ((kind == JSAST_VAR_USING || kind == JSAST_VAR_AWAIT_USING) && p->tok.type != T_IDENT)
            jsp_unexpected(p);
        d->u.decl.id = jsp_parse_binding_target(p, lexical);
        if (jsp_eat(p, T_ASSIGN))
            d->u.decl.init = jsp_parse_assign(p, flags, NULL);
        jsp_push(p, jsp_finish(p, d));
        if (!jsp_eat(p, T_COMMA))
            break;
    }
    n->u.var.decls = jsp_list_from(p, base);
    return jsp_finish(p, n);
}

/* Outside for-in/of heads: const/using and patterns need initializers. */
static void check_decl_inits(jsparser *p, jsast_node *n)
{
    uint32_t i;
    for (i = 0; i < n->u.var.decls.count; i++) {
        jsast_node *d = n->u.var.decls.items[i];
        if (d->u.decl.init)
            continue;
        if (n->u.var.kind == JSAST_VAR_CONST || n->u.var.kind == JSAST_VAR_USING ||
            n->u.var.kind == JSAST_VAR_AWAIT_USING)
            jslex_error_at(p, d->start, "Missing initializer in const declaration");
        if (d->u.decl.id->kind != JSAST_IDENT)
            jslex_error_at(p, d->start, "Missing initializer in destructuring declaration");
    }
}

/* `let` starts a lexical declaration (not an identifier expression). */
static int let_is_decl(jsparser *p, int ctx)
{
    jstoken nt;
    int t;
    if (!jsp_is_name(p, N_LET))
        return 0;
    t = jsp_peek(p, &nt);
    if (t == T_LBRACKET)
        return 1;
    if (ctx >= S_SUB)
        return 0;
    if (t == T_LBRACE)
        return 1;
    if (t == T_IDENT)
        return 1;
    return 0;
}

/* `using x` / `await using x` (no line terminators in between). Returns the
 * VAR kind or -1. */
static int using_decl_kind(jsparser *p, int in_for)
{
    jstoken a, b;
    if (jsp_is_name(p, N_USING)) {
        jsp_peek(p, &a);
        if (a.type == T_IDENT && !a.nl_before) {
            if (in_for && a.str == p->n[N_OF] && !a.escaped) {
                /* for (using of ...): `using` is an identifier unless this is
                 * for (using of = v;;); the for-of form has [lookahead ≠ using of],
                 * so for (using of of x) iterates `of x` into `using` */
                if (jsp_peek2(p, NULL, NULL) != T_ASSIGN)
                    return -1;
            }
            return JSAST_VAR_USING;
        }
        return -1;
    }
    if (jsp_is_name(p, N_AWAIT) && await_reserved(p) && !p->fc->static_block) {
        jsp_peek2(p, &a, &b);
        if (a.type == T_IDENT && a.str == p->n[N_USING] && !a.escaped && !a.nl_before &&
            b.type == T_IDENT && !b.nl_before) {
            if (in_for && b.str == p->n[N_OF] && !b.escaped) {
                int t3 = peek3(p);
                if (t3 != T_IDENT && t3 != T_ASSIGN)
                    return -1;
            }
            return JSAST_VAR_AWAIT_USING;
        }
    }
    return -1;
}

static int await_allowed(jsparser *p)
{
    return p->fc->is_async || p->fc->top_await;
}

static label *find_label(jsparser *p, jsast_str *name)
{
    label *l;
    for (l = p->fc->labels; l; l = l->prev)
        if (l->name == name)
            return l;
    return NULL;
}

/* Pushes a loop/switch target; labels directly labelling a loop become loop
 * labels (`continue L` allowed). */
static void push_loop(jsparser *p, label *lb, jsast_node *target, int kind)
{
    label *l;
    uint32_t cur = target->start;
    memset(lb, 0, sizeof *lb);
    lb->target = target;
    lb->kind = kind;
    lb->prev = p->fc->labels;
    if (kind == LB_LOOP) {
        for (l = p->fc->labels; l && l->kind == LB_LABEL && l->body_start == cur; l = l->prev) {
            l->loop_label = 1;
            l->loop = target;
            cur = l->stmt_start;
        }
    }
    p->fc->labels = lb;
}

static jsast_node *parse_for(jsparser *p)
{
    jsast_node *n = jsp_new(p, JSAST_FOR, NULL), *init = NULL;
    int is_await = 0, decl_kind = -1, init_starts_let = 0, init_is_async = 0;
    label lb;
    jsp_next(p);
    if (jsp_is_name(p, N_AWAIT)) {
        if (!await_allowed(p) || p->fc->in_params)
            jsp_unexpected(p);
        if (p->fc->top_await)
            p->fc->fn->flags |= JSAST_FN_HAS_TLA;
        is_await = 1;
        jsp_next(p);
    }
    jsp_expect(p, T_LPAREN);
    if (p->tok.type == T_SEMI) {
        if (is_await)
            jsp_unexpected(p);
    } else {
        jspos is = p->tok.pos;
        int uk;
        if (p->tok.type == T_VAR) {
            jsp_next(p);
            decl_kind = JSAST_VAR_VAR;
        } else if (p->tok.type == T_CONST) {
            jsp_next(p);
            decl_kind = JSAST_VAR_CONST;
        } else if (let_is_decl(p, S_BLOCK)) {
            jsp_next(p);
            decl_kind = JSAST_VAR_LET;
        } else if ((uk = using_decl_kind(p, 1)) >= 0) {
            decl_kind = uk;
            jsp_next(p);
            if (uk == JSAST_VAR_AWAIT_USING) {
                if (p->fc->top_await)
                    p->fc->fn->flags |= JSAST_FN_HAS_TLA;   /* disposal awaits */
                jsp_next(p);
            }
        }
        if (decl_kind >= 0) {
            init = parse_var_decls(p, decl_kind, E_NOIN, &is);
        } else {
            cover c = { 0, 0 };
            init_starts_let = jsp_is_name(p, N_LET);
            init_is_async = jsp_is_name(p, N_ASYNC);
            init = jsp_parse_assign(p, E_NOIN, &c);
            if (init_is_async && !(init->kind == JSAST_IDENT && init->end - init->start == 5))
                init_is_async = 0;
            if (p->tok.type == T_IN || jsp_is_name(p, N_OF)) {
                if (init->kind == JSAST_ASSIGN && !(init->flags & JSAST_F_PAREN))
                    jslex_error_at(p, init->start, "Invalid left-hand side in for-loop");
                if ((init->kind == JSAST_OBJECT || init->kind == JSAST_ARRAY) &&
                    !(init->flags & JSAST_F_PAREN))
                    init = jsp_to_assignable(p, init, 0);
                else {
                    jsp_cover_check(p, &c);
                    jsp_check_simple_target(p, init, 1);
                }
            } else {
                jsp_cover_check(p, &c);
                if (p->tok.type == T_COMMA) {
                    jsast_node *seq = jsp_new(p, JSAST_SEQUENCE, &is);
                    uint32_t base = p->stk_len;
                    jsp_push(p, init);
                    while (jsp_eat(p, T_COMMA))
                        jsp_push(p, jsp_parse_assign(p, E_NOIN, NULL));
                    seq->u.list = jsp_list_from(p, base);
                    init = jsp_finish(p, seq);
                }
            }
        }
    }
    if (init && (p->tok.type == T_IN || jsp_is_name(p, N_OF))) {
        int is_of = p->tok.type != T_IN;
        if (is_await && !is_of)
            jsp_unexpected(p);
        if (decl_kind >= 0) {
            jsast_node *d;
            if (init->u.var.decls.count != 1)
                jslex_error_at(p, init->start, "Invalid left-hand side in for-%s loop: must have a single binding", is_of ? "of" : "in");
            d = init->u.var.decls.items[0];
            if (d->u.decl.init) {
                /* Annex B.3.5: for (var x = init in obj) in sloppy code */
                if (is_of || p->fc->strict || decl_kind != JSAST_VAR_VAR ||
                    d->u.decl.id->kind != JSAST_IDENT)
                    jslex_error_at(p, d->start, "for-%s loop variable declaration may not have an initializer",
                                   is_of ? "of" : "in");
            }
            if (!is_of && (decl_kind == JSAST_VAR_USING || decl_kind == JSAST_VAR_AWAIT_USING))
                jslex_error_at(p, init->start, "using declarations are not allowed in for-in");
        } else {
            if (is_of && init_starts_let)
                jslex_error_at(p, init->start, "The left-hand side of a for-of loop may not be 'let'");
            if (is_of && !is_await && init_is_async)
                jslex_error_at(p, init->start, "The left-hand side of a for-of loop may not be 'async'");
        }
        n->kind = is_of ? JSAST_FOR_OF : JSAST_FOR_IN;
        if (is_await)
            n->flags |= JSAST_F_AWAIT;
        jsp_next(p);
        n->u.forin.left = init;
        n->u.forin.right = is_of ? jsp_parse_assign(p, 0, NULL) : jsp_parse_expr(p, 0);
        jsp_expect(p, T_RPAREN);
        push_loop(p, &lb, n, LB_LOOP);
        n->u.forin.body = jsp_parse_statement(p, S_SUB);
        p->fc->labels = lb.prev;
        return jsp_finish(p, n);
    }
    if (is_await)
        jsp_unexpected(p);
    if (decl_kind >= 0)
        check_decl_inits(p, init);
    n->u.loop.init = init;
    jsp_expect(p, T_SEMI);
    if (p->tok.type != T_SEMI)
        n->u.loop.test = jsp_parse_expr(p, 0);
    jsp_expect(p, T_SEMI);
    if (p->tok.type != T_RPAREN)
        n->u.loop.update = jsp_parse_expr(p, 0);
    jsp_expect(p, T_RPAREN);
    push_loop(p, &lb, n, LB_LOOP);
    n->u.loop.body = jsp_parse_statement(p, S_SUB);
    p->fc->labels = lb.prev;
    return jsp_finish(p, n);
}

static jsast_node *parse_switch(jsparser *p)
{
    jsast_node *n = jsp_new(p, JSAST_SWITCH, NULL);
    uint32_t base;
    int seen_default = 0;
    label lb;
    jsp_next(p);
    jsp_expect(p, T_LPAREN);
    n->u.switch_.disc = jsp_parse_expr(p, 0);
    jsp_expect(p, T_RPAREN);
    jsp_expect(p, T_LBRACE);
    push_loop(p, &lb, n, LB_SWITCH);
    base = p->stk_len;
    while (p->tok.type != T_RBRACE) {
        jsast_node *c = jsp_new(p, JSAST_CASE, NULL);
        uint32_t b2;
        if (jsp_eat(p, T_CASE)) {
            c->u.case_.test = jsp_parse_expr(p, 0);
        } else if (p->tok.type == T_DEFAULT) {
            if (seen_default)
                jslex_error(p, NULL, "More than one default clause in switch statement");
            seen_default = 1;
            jsp_next(p);
        } else
            jsp_unexpected(p);
        jsp_expect(p, T_COLON);
        b2 = p->stk_len;
        while (p->tok.type != T_CASE && p->tok.type != T_DEFAULT && p->tok.type != T_RBRACE) {
            if (p->tok.type == T_EOF)
                jsp_unexpected(p);
            jsp_push(p, jsp_parse_statement(p, S_CASE));
        }
        c->u.case_.body = jsp_list_from(p, b2);
        jsp_push(p, jsp_finish(p, c));
    }
    n->u.switch_.cases = jsp_list_from(p, base);
    jsp_next(p);
    p->fc->labels = lb.prev;
    return jsp_finish(p, n);
}

static jsast_node *parse_try(jsparser *p)
{
    jsast_node *n = jsp_new(p, JSAST_TRY, NULL);
    jsp_next(p);
    n->u.try_.block = jsp_parse_block(p);
    if (p->tok.type == T_CATCH) {
        jsast_node *c = jsp_new(p, JSAST_CATCH, NULL);
        jsp_next(p);
        if (jsp_eat(p, T_LPAREN)) {
            c->u.catch_.param = jsp_parse_binding_target(p, 1);
            if (p->tok.type == T_ASSIGN)
                jslex_error(p, NULL, "Catch parameter may not have an initializer");
            jsp_expect(p, T_RPAREN);
        }
        c->u.catch_.body = jsp_parse_block(p);
        n->u.try_.handler = jsp_finish(p, c);
    }
    if (jsp_eat(p, T_FINALLY))
        n->u.try_.finalizer = jsp_parse_block(p);
    if (!n->u.try_.handler && !n->u.try_.finalizer)
        jslex_error(p, NULL, "Missing catch or finally after try");
    return jsp_finish(p, n);
}

static jsast_node *parse_jump(jsparser *p, int is_continue)
{
    jsast_node *n = jsp_new(p, is_continue ? JSAST_CONTINUE : JSAST_BREAK, NULL);
    label *l;
    jsp_next(p);
    if (p->tok.type == T_IDENT && !p->tok.nl_before) {
        jsast_str *name = p->tok.str;
        if (p->tok.escaped && name->reserved_word && name->reserved_word != RW_STRICT)
            jsp_unexpected(p);
        l = find_label(p, name);
        if (!l)
            jslex_error(p, NULL, "Undefined label");
        if (is_continue) {
            if (!l->loop_label)
                jslex_error(p, NULL, "Illegal continue statement: label does not denote an iteration statement");
            n->u.jump.target = l->loop;
        } else
            n->u.jump.target = l->target;
        n->u.jump.label = name;
        jsp_next(p);
    } else {
        for (l = p->fc->labels; l; l = l->prev)
            if (l->kind == LB_LOOP || (!is_continue && l->kind == LB_SWITCH))
                break;
        if (!l)
            jslex_error_at(p, n->start, "%s", is_continue ? "Illegal continue statement: no surrounding iteration statement"
                                    : "Illegal break statement");
        n->u.jump.target = l->target;
    }
    jsp_semicolon(p);
    return jsp_finish(p, n);
}

static jsast_node *parse_labeled(jsparser *p, int ctx)
{
    jsast_node *n = jsp_new(p, JSAST_LABELED, NULL);
    jsast_str *name = p->tok.str;
    label lb;
    jsp_check_ident_ref(p, name, &p->tok.pos, p->tok.escaped);
    if (find_label(p, name))
        jslex_error(p, NULL, "Label has already been declared");
    jsp_next(p);
    jsp_expect(p, T_COLON);
    memset(&lb, 0, sizeof lb);
    lb.name = name;
    lb.target = n;
    lb.kind = LB_LABEL;
    lb.stmt_start = n->start;
    lb.body_start = p->tok.pos.off;
    lb.prev = p->fc->labels;
    p->fc->labels = &lb;
    n->u.labeled.label = name;
    if (p->tok.type == T_FUNCTION) {
        /* Annex B.3.2: labelled function declarations in sloppy code */
        if (p->fc->strict || ctx == S_SUB || ctx == S_IF_SUB)
            jslex_error(p, NULL, "In strict mode code, functions can only be declared at top level or inside a block");
        n->u.labeled.body = jsp_parse_function(p, &p->tok.pos, 0, 1, S_LABELED_SUB);
    } else
        n->u.labeled.body = jsp_parse_statement(p, ctx >= S_SUB ? ctx : S_LABELED_SUB);
    p->fc->labels = lb.prev;
    return jsp_finish(p, n);
}

static jsast_node *parse_expr_stmt(jsparser *p)
{
    jsast_node *n = jsp_new(p, JSAST_EXPR_STMT, NULL);
    n->u.expr_stmt.expr = jsp_parse_expr(p, 0);
    jsp_semicolon(p);
    return jsp_finish(p, n);
}

jsast_node *jsp_parse_statement(jsparser *p, int ctx)
{
    jspos start = p->tok.pos;
    jsast_node *n;
    jstoken nt;
    int kind;
    jsp_enter(p);
    switch (p->tok.type) {
    case T_LBRACE:
        n = jsp_parse_block(p);
        break;
    case T_SEMI:
        n = jsp_new(p, JSAST_EMPTY_STMT, NULL);
        jsp_next(p);
        jsp_finish(p, n);
        break;
    case T_VAR:
        jsp_next(p);
        n = parse_var_decls(p, JSAST_VAR_VAR, 0, &start);
        check_decl_inits(p, n);
        jsp_semicolon(p);
        jsp_finish(p, n);
        break;
    case T_CONST:
        if (ctx >= S_SUB)
            jslex_error(p, NULL, "Lexical declaration cannot appear in a single-statement context");
        jsp_next(p);
        n = parse_var_decls(p, JSAST_VAR_CONST, 0, &start);
        check_decl_inits(p, n);
        jsp_semicolon(p);
        jsp_finish(p, n);
        break;
    case T_IF:
        n = jsp_new(p, JSAST_IF, NULL);
        jsp_next(p);
        jsp_expect(p, T_LPAREN);
        n->u.cond.test = jsp_parse_expr(p, 0);
        jsp_expect(p, T_RPAREN);
        n->u.cond.cons = jsp_parse_statement(p, S_IF_SUB);
        if (jsp_eat(p, T_ELSE))
            n->u.cond.alt = jsp_parse_statement(p, S_IF_SUB);
        jsp_finish(p, n);
        break;
    case T_FOR:
        n = parse_for(p);
        break;
    case T_WHILE: {
        label lb;
        n = jsp_new(p, JSAST_WHILE, NULL);
        jsp_next(p);
        jsp_expect(p, T_LPAREN);
        n->u.loop.test = jsp_parse_expr(p, 0);
        jsp_expect(p, T_RPAREN);
        push_loop(p, &lb, n, LB_LOOP);
        n->u.loop.body = jsp_parse_statement(p, S_SUB);
        p->fc->labels = lb.prev;
        jsp_finish(p, n);
        break;
    }
    case T_DO: {
        label lb;
        n = jsp_new(p, JSAST_DO_WHILE, NULL);
        jsp_next(p);
        push_loop(p, &lb, n, LB_LOOP);
        n->u.loop.body = jsp_parse_statement(p, S_SUB);
        p->fc->labels = lb.prev;
        jsp_expect(p, T_WHILE);
        jsp_expect(p, T_LPAREN);
        n->u.loop.test = jsp_parse_expr(p, 0);
        jsp_expect(p, T_RPAREN);
        jsp_eat(p, T_SEMI);     /* ASI after do-while needs no line break */
        jsp_finish(p, n);
        break;
    }
    case T_CONTINUE:
        n = parse_jump(p, 1);
        break;
    case T_BREAK:
        n = parse_jump(p, 0);
        break;
    case T_RETURN:
        if (!p->fc->allow_return)
            jslex_error(p, NULL, "Illegal return statement");
        n = jsp_new(p, JSAST_RETURN, NULL);
        jsp_next(p);
        if (p->tok.type != T_SEMI && p->tok.type != T_RBRACE && p->tok.type != T_EOF &&
            !p->tok.nl_before)
            n->u.arg.arg = jsp_parse_expr(p, 0);
        jsp_semicolon(p);
        jsp_finish(p, n);
        break;
    case T_WITH:
        if (p->fc->strict)
            jslex_error(p, NULL, "Strict mode code may not include a with statement");
        n = jsp_new(p, JSAST_WITH, NULL);
        jsp_next(p);
        jsp_expect(p, T_LPAREN);
        n->u.with.object = jsp_parse_expr(p, 0);
        jsp_expect(p, T_RPAREN);
        n->u.with.body = jsp_parse_statement(p, S_SUB);
        jsp_finish(p, n);
        break;
    case T_SWITCH:
        n = parse_switch(p);
        break;
    case T_THROW:
        n = jsp_new(p, JSAST_THROW, NULL);
        jsp_next(p);
        if (p->tok.nl_before)
            jslex_error(p, NULL, "Illegal newline after throw");
        n->u.arg.arg = jsp_parse_expr(p, 0);
        jsp_semicolon(p);
        jsp_finish(p, n);
        break;
    case T_TRY:
        n = parse_try(p);
        break;
    case T_DEBUGGER:
        n = jsp_new(p, JSAST_DEBUGGER, NULL);
        jsp_next(p);
        jsp_semicolon(p);
        jsp_finish(p, n);
        break;
    case T_FUNCTION:
        if (ctx == S_SUB || ctx == S_LABELED_SUB ||
            (ctx == S_IF_SUB && p->fc->strict))
            jslex_error(p, NULL, "In strict mode code, functions can only be declared at top level or inside a block");
        n = jsp_parse_function(p, &start, 0, 1, ctx);
        if (ctx == S_IF_SUB) {
            /* Annex B.3.3: `if (x) function f(){}` behaves as `if (x) { function f(){} }` */
            jsast_node *b = jsp_new(p, JSAST_BLOCK, &start);
            b->u.block.body.items = jslex_alloc(p, sizeof(jsast_node *));
            b->u.block.body.items[0] = n;
            b->u.block.body.count = 1;
            n = jsp_finish(p, b);
        }
        break;
    case T_CLASS:
        if (ctx >= S_SUB)
            jsp_unexpected(p);
        n = jsp_parse_class(p, &start, 1, 0);
        break;
    case T_IMPORT:
        kind = jsp_peek(p, NULL);
        if (kind == T_LPAREN || kind == T_DOT) {
            n = parse_expr_stmt(p);
            break;
        }
        if (!p->module || ctx != S_TOP || p->fc->fn->kind != JSAST_FN_MODULE)
            jslex_error(p, NULL, "Cannot use import statement outside a module");
        n = jsp_parse_import(p);
        break;
    case T_EXPORT:
        if (!p->module || ctx != S_TOP || p->fc->fn->kind != JSAST_FN_MODULE)
            jslex_error(p, NULL, "Unexpected token 'export'");
        n = jsp_parse_export(p);
        if (p->class_decos.count)
            jslex_error_at(p, p->class_decos.items[0]->start, "Decorators must be followed by a class");
        break;
    case T_AT: {
        /* @dec class C {}, @dec export class C {} */
        jsast_list decos;
        if (ctx >= S_SUB)
            jsp_unexpected(p);
        decos = jsp_parse_decorators(p);
        if (p->tok.type == T_EXPORT && p->module && ctx == S_TOP && p->fc->fn->kind == JSAST_FN_MODULE) {
            /* only `export class` or `export default class` may follow */
            jstoken a, b;
            int t2 = jsp_peek2(p, &a, &b);
            if (!(a.type == T_CLASS || (a.type == T_DEFAULT && t2 == T_CLASS)))
                jslex_error_at(p, decos.items[0]->start, "Decorators must be followed by a class");
            p->class_decos = decos;
            n = jsp_parse_export(p);
            if (p->class_decos.count)
                jslex_error_at(p, decos.items[0]->start, "Decorators must be followed by a class");
            break;
        }
        if (p->tok.type != T_CLASS)
            jsp_unexpected(p);
        p->class_decos = decos;
        n = jsp_parse_class(p, &start, 1, 0);
        break;
    }
    case T_IDENT:
        if (let_is_decl(p, ctx)) {
            if (ctx >= S_SUB)
                jslex_error(p, NULL, "Lexical declaration cannot appear in a single-statement context");
            jsp_next(p);
            n = parse_var_decls(p, JSAST_VAR_LET, 0, &start);
            check_decl_inits(p, n);
            jsp_semicolon(p);
            jsp_finish(p, n);
            break;
        }
        if (jsp_is_name(p, N_ASYNC)) {
            int t = jsp_peek(p, &nt);
            if (t == T_FUNCTION && !nt.nl_before) {
                if (ctx >= S_SUB)
                    jslex_error(p, NULL, "Async functions can only be declared at top level or inside a block");
                n = jsp_parse_function(p, &start, 1, 1, ctx);
                break;
            }
        }
        if ((kind = using_decl_kind(p, 0)) >= 0) {
            if (ctx >= S_SUB)
                jslex_error(p, NULL, "Lexical declaration cannot appear in a single-statement context");
            if (ctx == S_CASE)
                jslex_error(p, NULL, "using declarations are not allowed directly in a case clause");
            if (ctx == S_TOP && p->fc->fn->kind == JSAST_FN_SCRIPT)
                jslex_error(p, NULL, "using declarations are not allowed at the top level of a script");
            if (ctx == S_TOP && p->fc->fn->kind == JSAST_FN_EVAL)
                jslex_error(p, NULL, "using declarations are not allowed at the top level of eval code");
            jsp_next(p);
            if (kind == JSAST_VAR_AWAIT_USING) {
                if (p->fc->top_await)
                    p->fc->fn->flags |= JSAST_FN_HAS_TLA;
                jsp_next(p);
            }
            n = parse_var_decls(p, kind, 0, &start);
            check_decl_inits(p, n);
            jsp_semicolon(p);
            jsp_finish(p, n);
            break;
        }
        if (jsp_peek(p, NULL) == T_COLON) {
            n = parse_labeled(p, ctx);
            break;
        }
        n = parse_expr_stmt(p);
        break;
    default:
        n = parse_expr_stmt(p);
        break;
    }
    p->depth--;
    return n;
}

/* ---- programs ---- */

static void parse_program(jsparser *p)
{
    const jsparse_options *o = p->opt;
    jsast_node *root = jsp_new(p, JSAST_PROGRAM, NULL);
    int kind = (o->flags & JSPARSE_MODULE) ? JSAST_FN_MODULE :
               (o->flags & JSPARSE_EVAL) ? JSAST_FN_EVAL : JSAST_FN_SCRIPT;
    jsast_function *fn = jsp_new_function(p, kind, root);
    fnctx *fc = jslex_alloc(p, sizeof *fc);
    root->start = 0;
    root->line = p->first_line;
    root->col = 1;
    jsp_push_fn(p, fc, fn, kind, 0, 0);
    fc->strict = (o->flags & (JSPARSE_STRICT | JSPARSE_MODULE)) != 0;
    fc->allow_new_target = fc->allow_super_prop = fc->allow_super_call = 0;
    fc->allow_return = 0;
    fc->no_arguments = 0;
    if (kind == JSAST_FN_MODULE)
        fc->top_await = 1;
    if (kind == JSAST_FN_EVAL && (o->flags & JSPARSE_DIRECT_EVAL)) {
        fc->allow_new_target = (o->flags & JSPARSE_IN_FUNCTION) != 0;
        fc->allow_super_prop = (o->flags & JSPARSE_IN_METHOD) != 0;
        fc->allow_super_call = (o->flags & JSPARSE_IN_DERIVED_CTOR) != 0;
        fc->no_arguments = (o->flags & JSPARSE_IN_FIELD_INIT) != 0;
    }
    p->prog->root = root;
    p->prog->fn = fn;
    fn->src_start = 0;
    if (o->flags & JSPARSE_DYNAMIC_FUNCTION) {
        jsast_node *st = jsp_new(p, JSAST_EXPR_STMT, NULL);
        jspos s = p->tok.pos;
        int is_async = jsp_is_name(p, N_ASYNC);
        uint32_t base = p->stk_len;
        st->u.expr_stmt.expr = jsp_parse_function(p, &s, is_async, 0, S_TOP);
        if (p->tok.type != T_EOF)
            jslex_error(p, NULL, "Invalid function body for dynamic function");
        jsp_finish(p, st);
        jsp_push(p, st);
        fn->body = jsp_list_from(p, base);
    } else {
        jsp_parse_fn_body(p, fn, 1);
    }
    fn->src_end = p->len;
    root->end = p->len;
    jsp_pop_fn(p, fc);
}

/* Converts UTF-16 to WTF-8 (lone surrogates kept as 3-byte sequences).
 * map (optional) receives the byte offset of unit i at map[i]. */
static uint8_t *utf16_to_wtf8(jsast_arena *a, const uint16_t *s, size_t len, size_t *outlen)
{
    size_t i, n = 0;
    uint8_t *o = jsast_alloc(a, len * 3 + 1);
    if (!o)
        return NULL;
    for (i = 0; i < len; i++) {
        uint32_t c = s[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
            c = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
            i++;
        }
        if (c < 0x80)
            o[n++] = (uint8_t)c;
        else if (c < 0x800) {
            o[n++] = (uint8_t)(0xC0 | (c >> 6));
            o[n++] = (uint8_t)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            o[n++] = (uint8_t)(0xE0 | (c >> 12));
            o[n++] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
            o[n++] = (uint8_t)(0x80 | (c & 0x3F));
        } else {
            o[n++] = (uint8_t)(0xF0 | (c >> 18));
            o[n++] = (uint8_t)(0x80 | ((c >> 12) & 0x3F));
            o[n++] = (uint8_t)(0x80 | ((c >> 6) & 0x3F));
            o[n++] = (uint8_t)(0x80 | (c & 0x3F));
        }
    }
    o[n] = 0;
    *outlen = n;
    return o;
}

/* Byte offset in WTF-8 of UTF-16 unit offset u. */
static uint32_t wtf8_offset(const uint16_t *s, size_t len, uint32_t u)
{
    uint32_t i, n = 0;
    for (i = 0; i < u && i < len; i++) {
        uint32_t c = s[i];
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < len && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF) {
            n += 4;
            i++;
        } else
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
    }
    return n;
}

/* The only setjmp of the parser: errors longjmp back here. */
static int run_parse(jsparser *p)
{
    if (setjmp(p->jb))
        return -1;
    jslex_init(p);
    p->prog->name_arguments = p->n[N_ARGUMENTS];
    p->prog->name_default = p->n[N_DEFAULT_BINDING];
    jslex_next(p);
    parse_program(p);
    return 0;
}

static jsast_program *parse_common(jsast_arena *arena, const uint8_t *src, size_t len,
                                   const jsparse_options *opt, jsparse_error *err, int utf16)
{
    jsparser *p;
    jsast_program *prog;
    jsparse_options defaults;
    if (!opt) {
        memset(&defaults, 0, sizeof defaults);
        opt = &defaults;
    }
    memset(err, 0, sizeof *err);
    if (len > 0x7FFFFFF0u) {
        err->kind = JSPARSE_ERR_SYNTAX;
        snprintf(err->msg, sizeof err->msg, "Source too large");
        jsast_arena_free(arena);
        return NULL;
    }
    p = calloc(1, sizeof *p);
    prog = jsast_alloc(arena, sizeof *prog);
    if (!p || !prog) {
        free(p);
        jsast_arena_free(arena);
        err->kind = JSPARSE_ERR_OOM;
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    prog->arena = arena;
    prog->src = src;
    prog->src_len = len;
    p->prog = prog;
    p->arena = arena;
    p->src = src;
    p->len = (uint32_t)len;
    p->first_line = opt->first_line ? opt->first_line : 1;
    p->line = p->first_line;
    p->col_col = 1;
    p->module = (opt->flags & JSPARSE_MODULE) != 0;
    p->utf16_input = utf16;
    p->err = err;
    p->opt = opt;
    p->max_depth = opt->max_depth ? opt->max_depth : JSPARSE_DEFAULT_DEPTH;
    if (run_parse(p) < 0) {
        free(p->names);
        free(p->buf);
        free(p->cbuf);
        free(p->stk);
        free(p);
        jsast_arena_free(arena);
        return NULL;
    }
    prog->nfunctions = p->nfunctions;
    if (!(opt->flags & JSPARSE_NO_SCOPE) && jsparse_resolve_scopes(prog, opt, err) < 0) {
        if (utf16 && err->offset <= len) {
            /* scope errors report byte offsets; callers gave UTF-16 */
            uint32_t i, u = 0;
            for (i = 0; i < err->offset; i++)
                if (src[i] < 0x80 || (src[i] >= 0xC0 && src[i] < 0xF0))
                    u++;
                else if (src[i] >= 0xF0)
                    u += 2;
            err->offset = u;
        }
        free(p->names);
        free(p->buf);
        free(p->cbuf);
        free(p->stk);
        free(p);
        jsast_arena_free(arena);
        return NULL;
    }
    free(p->names);
    free(p->buf);
    free(p->cbuf);
    free(p->stk);
    free(p);
    return prog;
}

jsast_program *jsparse_utf8(const char *src, size_t len, const jsparse_options *opt,
                            jsparse_error *err)
{
    jsast_arena *a = jsast_arena_new();
    if (!a) {
        memset(err, 0, sizeof *err);
        err->kind = JSPARSE_ERR_OOM;
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    return parse_common(a, (const uint8_t *)src, len, opt, err, 0);
}

jsast_program *jsparse_utf16(const uint16_t *src, size_t len, const jsparse_options *opt,
                             jsparse_error *err)
{
    jsast_arena *a = jsast_arena_new();
    jsparse_options o2;
    const uint8_t *u8;
    size_t n8;
    if (!a || !(u8 = utf16_to_wtf8(a, src, len, &n8))) {
        jsast_arena_free(a);
        memset(err, 0, sizeof *err);
        err->kind = JSPARSE_ERR_OOM;
        snprintf(err->msg, sizeof err->msg, "out of memory");
        return NULL;
    }
    if (opt && (opt->flags & JSPARSE_DYNAMIC_FUNCTION)) {
        o2 = *opt;
        o2.params_end = wtf8_offset(src, len, opt->params_end);
        o2.body_start = wtf8_offset(src, len, opt->body_start);
        opt = &o2;
    }
    return parse_common(a, u8, n8, opt, err, 1);
}

void jsparse_format_error(const jsparse_error *err, const char *filename, char *buf, size_t n)
{
    if (err->kind == JSPARSE_ERR_OOM)
        snprintf(buf, n, "%s: out of memory", filename ? filename : "<input>");
    else
        snprintf(buf, n, "%s:%u:%u: SyntaxError: %s", filename ? filename : "<input>",
                 err->line, err->col, err->msg);
}
