/*
 * parser_expr.c - expressions: operator precedence, unary/update, calls and
 * member chains (optional chaining), primary expressions, literals,
 * templates, arrow functions via the parenthesized cover grammar, object and
 * array literals and their reinterpretation as destructuring patterns, and
 * binding patterns. Builds arena nodes only; never touches a runtime.
 */
#include <string.h>
#include "parser_int.h"

static jsast_node *parse_unary(jsparser *p, int mode);
static jsast_node *parse_subscripts(jsparser *p, jsast_node *base, int no_calls);
static jsast_node *parse_primary(jsparser *p);
static jsast_node *parse_arrow(jsparser *p, const jspos *start, jsast_list params,
                               int is_async, int flags);

static inline int is_arrow(const jsast_node *n)
{
    return n->kind == JSAST_ARROW && !(n->flags & JSAST_F_PAREN);
}

/* Cover errors recorded at or after offset `from` (a literal that got a
 * subscript or operator can no longer become a pattern). */
static void cover_check_from(jsparser *p, cover *c, uint32_t from)
{
    if (c->shorthand_assign > from)
        jslex_error_at(p, c->shorthand_assign - 1, "Invalid shorthand property initializer");
    if (c->double_proto > from)
        jslex_error_at(p, c->double_proto - 1, "Duplicate __proto__ fields are not allowed in object literals");
}

void jsp_cover_check(jsparser *p, cover *c)
{
    if (!c)
        return;
    if (c->shorthand_assign)
        jslex_error_at(p, c->shorthand_assign - 1, "Invalid shorthand property initializer");
    if (c->double_proto)
        jslex_error_at(p, c->double_proto - 1, "Duplicate __proto__ fields are not allowed in object literals");
}

jsast_node *jsp_string_node(jsparser *p)
{
    jsast_node *n = jsp_new(p, JSAST_STRING, NULL);
    if (p->tok.octal && p->fc->strict)
        jslex_error_at(p, p->tok.octal_pos, "Octal escape sequences are not allowed in strict mode");
    n->u.str.value = p->tok.str;
    jsp_next(p);
    return jsp_finish(p, n);
}

/* ---- assignment targets ---- */

void jsp_check_simple_target(jsparser *p, jsast_node *n, int allow_call)
{
    switch (n->kind) {
    case JSAST_IDENT:
        if (p->fc->strict && (n->u.ident.name == p->n[N_EVAL] || n->u.ident.name == p->n[N_ARGUMENTS]))
            jslex_error_at(p, n->start, "Unexpected eval or arguments in strict mode");
        return;
    case JSAST_MEMBER:
        return;
    case JSAST_CALL:
        if (allow_call && !p->fc->strict)
            return;
        break;
    default:
        break;
    }
    jslex_error_at(p, n->start, "Invalid left-hand side in assignment");
}

jsast_node *jsp_to_assignable(jsparser *p, jsast_node *n, int binding)
{
    uint32_t i;
    switch (n->kind) {
    case JSAST_IDENT:
        if (binding) {
            jspos at = { n->start, n->line, n->col };
            if (n->flags & JSAST_F_PAREN)
                jslex_error_at(p, n->start, "Invalid destructuring assignment target");
            if (p->fc->strict && (n->u.ident.name == p->n[N_EVAL] || n->u.ident.name == p->n[N_ARGUMENTS]))
                jslex_error(p, &at, "Unexpected eval or arguments in strict mode");
            n->flags |= JSAST_F_BINDING_ID;
        } else
            jsp_check_simple_target(p, n, 0);
        return n;
    case JSAST_MEMBER:
        if (binding)
            jslex_error_at(p, n->start, "Invalid destructuring assignment target");
        return n;
    case JSAST_OBJECT:
    case JSAST_OBJECT_PATTERN:
        if (n->flags & JSAST_F_PAREN)
            jslex_error_at(p, n->start, "Invalid destructuring assignment target");
        n->kind = JSAST_OBJECT_PATTERN;
        for (i = 0; i < n->u.list.count; i++) {
            jsast_node *e = n->u.list.items[i];
            if (e->kind == JSAST_PROPERTY) {
                if (e->flags & JSAST_F_METHOD)
                    jslex_error_at(p, e->start, "Invalid destructuring assignment target");
                e->flags &= ~JSAST_F_PROTO_SETTER;
                e->u.prop.value = jsp_to_assignable(p, e->u.prop.value, binding);
            } else if (e->kind == JSAST_SPREAD || e->kind == JSAST_REST) {
                jsast_node *a = e->u.arg.arg;
                if (i != n->u.list.count - 1 || (e->flags & PF_COMMA_AFTER))
                    jslex_error_at(p, e->start, "Rest element must be last element");
                if (a->kind != JSAST_IDENT && a->kind != JSAST_MEMBER)
                    jslex_error_at(p, a->start, "`...` must be followed by an assignable reference in assignment contexts");
                e->kind = JSAST_REST;
                e->u.arg.arg = jsp_to_assignable(p, a, binding);
            }
        }
        return n;
    case JSAST_ARRAY:
    case JSAST_ARRAY_PATTERN:
        if (n->flags & JSAST_F_PAREN)
            jslex_error_at(p, n->start, "Invalid destructuring assignment target");
        n->kind = JSAST_ARRAY_PATTERN;
        for (i = 0; i < n->u.list.count; i++) {
            jsast_node *e = n->u.list.items[i];
            if (!e)
                continue;
            if (e->kind == JSAST_SPREAD || e->kind == JSAST_REST) {
                jsast_node *a = e->u.arg.arg;
                if (i != n->u.list.count - 1 || (e->flags & PF_COMMA_AFTER))
                    jslex_error_at(p, e->start, "Rest element must be last element");
                if ((a->kind == JSAST_ASSIGN && !(a->flags & JSAST_F_PAREN)) || a->kind == JSAST_ASSIGN_PATTERN)
                    jslex_error_at(p, a->start, "Rest element may not have a default initializer");
                e->kind = JSAST_REST;
                e->u.arg.arg = jsp_to_assignable(p, a, binding);
            } else
                n->u.list.items[i] = jsp_to_assignable(p, e, binding);
        }
        return n;
    case JSAST_ASSIGN:
        if ((n->flags & JSAST_F_PAREN) || n->u.binary.op != JSAST_OP_ASSIGN)
            break;
        n->kind = JSAST_ASSIGN_PATTERN;
        /* fall through */
    case JSAST_ASSIGN_PATTERN:
        n->u.binary.left = jsp_to_assignable(p, n->u.binary.left, binding);
        return n;
    case JSAST_REST:
        n->u.arg.arg = jsp_to_assignable(p, n->u.arg.arg, binding);
        return n;
    default:
        break;
    }
    jslex_error_at(p, n->start, binding ? "Invalid destructuring assignment target"
                                        : "Invalid left-hand side in assignment");
}

/* ---- binding patterns ---- */

static jsast_node *binding_ident(jsparser *p, int lexical)
{
    jsast_node *n;
    if (p->tok.type != T_IDENT)
        jsp_unexpected(p);
    jsp_check_binding_name(p, p->tok.str, &p->tok.pos, p->tok.escaped, lexical);
    n = jsp_new(p, JSAST_IDENT, NULL);
    n->u.ident.name = p->tok.str;
    n->flags |= JSAST_F_BINDING_ID;
    jsp_next(p);
    return jsp_finish(p, n);
}

jsast_node *jsp_parse_binding_target(jsparser *p, int lexical)
{
    jsast_node *n;
    uint32_t base;
    jsp_enter(p);
    if (p->tok.type == T_LBRACKET) {
        n = jsp_new(p, JSAST_ARRAY_PATTERN, NULL);
        base = p->stk_len;
        jsp_next(p);
        while (p->tok.type != T_RBRACKET) {
            if (p->tok.type == T_COMMA) {
                jsp_next(p);
                jsp_push(p, NULL);
                continue;
            }
            if (p->tok.type == T_ELLIPSIS) {
                jsast_node *r = jsp_new(p, JSAST_REST, NULL);
                jsp_next(p);
                r->u.arg.arg = jsp_parse_binding_target(p, lexical);
                jsp_push(p, jsp_finish(p, r));
                if (p->tok.type != T_RBRACKET)
                    jslex_error(p, NULL, "Rest element must be last element");
                break;
            }
            jsp_push(p, jsp_parse_binding_element(p, lexical));
            if (p->tok.type != T_RBRACKET)
                jsp_expect(p, T_COMMA);
        }
        jsp_next(p);
        n->u.list = jsp_list_from(p, base);
    } else if (p->tok.type == T_LBRACE) {
        n = jsp_new(p, JSAST_OBJECT_PATTERN, NULL);
        base = p->stk_len;
        jsp_next(p);
        while (p->tok.type != T_RBRACE) {
            jsast_node *prop;
            if (p->tok.type == T_ELLIPSIS) {
                jsast_node *r = jsp_new(p, JSAST_REST, NULL);
                jsp_next(p);
                r->u.arg.arg = binding_ident(p, lexical);
                jsp_push(p, jsp_finish(p, r));
                if (p->tok.type != T_RBRACE)
                    jslex_error(p, NULL, "Rest element must be last element");
                break;
            }
            prop = jsp_new(p, JSAST_PROPERTY, NULL);
            prop->u.prop.kind = JSAST_PROP_INIT;
            if (p->tok.type == T_IDENT) {
                jstoken nt;
                int t = jsp_peek(p, &nt);
                if (t != T_COLON) {
                    /* shorthand */
                    jsast_node *id = binding_ident(p, lexical), *key = jsp_new(p, JSAST_IDENT, NULL);
                    *key = *id;
                    key->flags &= ~JSAST_F_BINDING_ID;
                    prop->u.prop.key = key;
                    prop->flags |= JSAST_F_SHORTHAND;
                    if (p->tok.type == T_ASSIGN) {
                        jsast_node *ap = jsp_new(p, JSAST_ASSIGN_PATTERN, &(jspos){ id->start, id->line, id->col });
                        jsp_next(p);
                        ap->u.binary.left = id;
                        ap->u.binary.right = jsp_parse_assign(p, 0, NULL);
                        prop->u.prop.value = jsp_finish(p, ap);
                    } else
                        prop->u.prop.value = id;
                    jsp_push(p, jsp_finish(p, prop));
                    if (p->tok.type != T_RBRACE)
                        jsp_expect(p, T_COMMA);
                    continue;
                }
            }
            {
                int computed = 0;
                prop->u.prop.key = jsp_parse_property_key(p, 0, &computed);
                if (computed)
                    prop->flags |= JSAST_F_COMPUTED;
            }
            jsp_expect(p, T_COLON);
            prop->u.prop.value = jsp_parse_binding_element(p, lexical);
            jsp_push(p, jsp_finish(p, prop));
            if (p->tok.type != T_RBRACE)
                jsp_expect(p, T_COMMA);
        }
        jsp_next(p);
        n->u.list = jsp_list_from(p, base);
    } else {
        n = binding_ident(p, lexical);
        p->depth--;
        return n;
    }
    p->depth--;
    return jsp_finish(p, n);
}

jsast_node *jsp_parse_binding_element(jsparser *p, int lexical)
{
    jspos st = p->tok.pos;
    jsast_node *t = jsp_parse_binding_target(p, lexical);
    if (p->tok.type == T_ASSIGN) {
        jsast_node *ap = jsp_new(p, JSAST_ASSIGN_PATTERN, &st);
        jsp_next(p);
        ap->u.binary.left = t;
        ap->u.binary.right = jsp_parse_assign(p, 0, NULL);
        return jsp_finish(p, ap);
    }
    return t;
}

/* ---- literals ---- */

jsast_node *jsp_parse_property_key(jsparser *p, int allow_private, int *computed)
{
    jsast_node *n;
    *computed = 0;
    switch (p->tok.type) {
    case T_STRING:
        return jsp_string_node(p);
    case T_NUMBER:
        if (p->tok.octal && p->fc->strict)
            jslex_error(p, NULL, "Octal literals are not allowed in strict mode");
        n = jsp_new(p, JSAST_NUMBER, NULL);
        n->u.num.value = p->tok.num;
        jsp_next(p);
        return jsp_finish(p, n);
    case T_BIGINT:
        n = jsp_new(p, JSAST_BIGINT, NULL);
        n->u.bigint.text = p->tok.big;
        n->u.bigint.len = p->tok.big_len;
        jsp_next(p);
        return jsp_finish(p, n);
    case T_LBRACKET:
        jsp_next(p);
        n = jsp_parse_assign(p, 0, NULL);
        jsp_expect(p, T_RBRACKET);
        *computed = 1;
        return n;
    case T_PRIVATE:
        if (!allow_private)
            jsp_unexpected(p);
        if (p->tok.str == p->n[N_CONSTRUCTOR])
            jslex_error(p, NULL, "Classes may not have a private field named '#constructor'");
        n = jsp_new(p, JSAST_PRIVATE_NAME, NULL);
        n->u.priv.name = p->tok.str;
        jsp_next(p);
        return jsp_finish(p, n);
    default:
        if (p->tok.type == T_IDENT || (p->tok.type >= 1 && p->tok.type <= T_LAST_KEYWORD)) {
            n = jsp_new(p, JSAST_IDENT, NULL);
            n->u.ident.name = p->tok.str;
            jsp_next(p);
            return jsp_finish(p, n);
        }
        jsp_unexpected(p);
    }
}

jsast_node *jsp_parse_template(jsparser *p, int tagged)
{
    jsast_node *n = jsp_new(p, JSAST_TEMPLATE, NULL);
    uint32_t base = p->stk_len, cnt, i, nq = 0, ne = 0;
    jsast_node **q, **e;
    for (;;) {
        jsast_node *el;
        if (p->tok.type != T_TEMPLATE)
            jsp_unexpected(p);
        el = jsp_new(p, JSAST_TEMPLATE_ELEM, NULL);
        if (!p->tok.str && !tagged)
            jslex_error(p, &p->tok.bad_escape, "Invalid escape sequence in template");
        el->u.tmpl_elem.cooked = p->tok.str;
        el->u.tmpl_elem.raw = p->tok.raw;
        el->end = p->tok.end;
        jsp_push(p, el);
        if (p->tok.tmpl_tail) {
            jsp_next(p);
            break;
        }
        jsp_next(p);
        jsp_push(p, jsp_parse_expr(p, 0));
        if (p->tok.type != T_RBRACE)
            jsp_unexpected(p);
        jslex_rescan_template(p);
    }
    cnt = p->stk_len - base;
    q = jslex_alloc(p, ((cnt + 1) / 2) * sizeof *q);
    e = jslex_alloc(p, (cnt / 2 + 1) * sizeof *e);
    for (i = 0; i < cnt; i++) {
        if (i & 1)
            e[ne++] = p->stk[base + i];
        else
            q[nq++] = p->stk[base + i];
    }
    p->stk_len = base;
    n->u.tmpl.quasis.items = q;
    n->u.tmpl.quasis.count = nq;
    n->u.tmpl.exprs.items = ne ? e : NULL;
    n->u.tmpl.exprs.count = ne;
    return jsp_finish(p, n);
}

/* ---- functions in expressions ---- */

jsast_node *jsp_parse_method(jsparser *p, const jspos *start, int fnkind, int is_async,
                             int is_gen, jsast_class *cls, int is_static)
{
    jsast_node *node = jsp_new(p, JSAST_FUNC_EXPR, start);
    jsast_function *fn = jsp_new_function(p, fnkind, node);
    fnctx fc;
    fn->src_start = start->off;
    fn->flags |= JSAST_FN_HAS_SUPER_SCOPE;
    if (cls) {
        fn->flags |= JSAST_FN_IN_CLASS;
        fn->home_class = cls;
        if (cls->heritage)
            fn->flags |= JSAST_FN_CLASS_HERITAGE;
    }
    if (is_static)
        fn->flags |= JSAST_FN_STATIC;
    jsp_push_fn(p, &fc, fn, fnkind, is_async, is_gen);
    if (cls)
        fc.strict = 1;
    jsp_parse_function_tail(p, fn, 1);
    jsp_pop_fn(p, &fc);
    return jsp_finish(p, node);
}

static jsast_node *parse_arrow(jsparser *p, const jspos *start, jsast_list params,
                               int is_async, int flags)
{
    jsast_node *node = jsp_new(p, JSAST_ARROW, start);
    jsast_function *fn = jsp_new_function(p, JSAST_FN_ARROW, node);
    fnctx fc;
    uint32_t i;
    int seen_default = 0, simple = 1;
    if (p->tok.type != T_ARROW || p->tok.nl_before)
        jsp_unexpected(p);
    jsp_next(p);
    fn->src_start = start->off;
    fn->params = params;
    for (i = 0; i < params.count; i++) {
        int k = params.items[i]->kind;
        if (k == JSAST_ASSIGN_PATTERN || k == JSAST_REST)
            seen_default = 1;
        if (!seen_default)
            fn->length++;
        if (k != JSAST_IDENT)
            simple = 0;
    }
    if (simple)
        fn->flags |= JSAST_FN_SIMPLE_PARAMS;
    else if (jsp_params_contain_expression(&params))
        fn->flags |= JSAST_FN_PARAM_EXPRS;
    jsp_push_fn(p, &fc, fn, JSAST_FN_ARROW, is_async, 0);
    if (p->tok.type == T_LBRACE) {
        jsp_next(p);
        jsp_parse_fn_body(p, fn, 0);
        fn->src_end = p->tok.end;
        jsp_expect(p, T_RBRACE);
    } else {
        jsast_node *ret = jsp_new(p, JSAST_RETURN, NULL);
        uint32_t base = p->stk_len;
        ret->u.arg.arg = jsp_parse_assign(p, flags, NULL);
        jsp_finish(p, ret);
        jsp_push(p, ret);
        fn->body = jsp_list_from(p, base);
        fn->flags |= JSAST_FN_EXPR_BODY;
        fn->src_end = p->prev_end;
    }
    jsp_check_params(p, fn, 0);
    jsp_pop_fn(p, &fc);
    return jsp_finish(p, node);
}

/* Converts cover elements (expressions, SPREAD) to arrow parameters. */
static jsast_list cover_to_params(jsparser *p, jsast_list items)
{
    uint32_t i;
    for (i = 0; i < items.count; i++) {
        jsast_node *e = items.items[i];
        if (e->kind == JSAST_SPREAD) {
            if (i != items.count - 1 || (e->flags & PF_COMMA_AFTER))
                jslex_error_at(p, e->start, "Rest parameter must be last formal parameter");
            if (e->u.arg.arg->kind == JSAST_ASSIGN && !(e->u.arg.arg->flags & JSAST_F_PAREN))
                jslex_error_at(p, e->start, "Rest parameter may not have a default initializer");
            e->kind = JSAST_REST;
            e->u.arg.arg = jsp_to_assignable(p, e->u.arg.arg, 1);
        } else
            items.items[i] = jsp_to_assignable(p, e, 1);
    }
    return items;
}

typedef struct cover_pos {
    uint32_t yield_pos, await_pos, await_ident_pos;
} cover_pos;

static void cover_pos_enter(jsparser *p, cover_pos *s)
{
    s->yield_pos = p->fc->yield_pos;
    s->await_pos = p->fc->await_pos;
    s->await_ident_pos = p->fc->await_ident_pos;
    p->fc->yield_pos = p->fc->await_pos = p->fc->await_ident_pos = 0;
}

static void cover_pos_arrow_check(jsparser *p, int is_async)
{
    if (p->fc->yield_pos)
        jslex_error_at(p, p->fc->yield_pos - 1, "Yield expression not allowed in formal parameter");
    if (p->fc->await_pos)
        jslex_error_at(p, p->fc->await_pos - 1, "Await expression not allowed in formal parameter");
    if (is_async && p->fc->await_ident_pos)
        jslex_error_at(p, p->fc->await_ident_pos - 1, "'await' is not a valid identifier name in an async function");
}

static void cover_pos_leave(jsparser *p, const cover_pos *s)
{
    if (s->yield_pos)
        p->fc->yield_pos = s->yield_pos;
    if (s->await_pos)
        p->fc->await_pos = s->await_pos;
    if (s->await_ident_pos)
        p->fc->await_ident_pos = s->await_ident_pos;
}

/* Arguments "(a, ...b)" into the node stack; returns whether a trailing comma
 * followed a spread (only matters for async arrow heads). */
static void parse_args(jsparser *p, cover *c)
{
    jsp_expect(p, T_LPAREN);
    while (p->tok.type != T_RPAREN) {
        if (p->tok.type == T_ELLIPSIS) {
            jsast_node *s = jsp_new(p, JSAST_SPREAD, NULL);
            jsp_next(p);
            s->u.arg.arg = jsp_parse_assign(p, 0, c);
            jsp_push(p, jsp_finish(p, s));
            if (p->tok.type == T_COMMA)
                s->flags |= PF_COMMA_AFTER;
        } else
            jsp_push(p, jsp_parse_assign(p, 0, c));
        if (p->tok.type != T_RPAREN)
            jsp_expect(p, T_COMMA);
    }
    jsp_next(p);
}

/* "(" ... ")" : parenthesized expression or arrow parameters. */
static jsast_node *parse_paren(jsparser *p)
{
    jspos start = p->tok.pos;
    int can_arrow = p->arrow_at == start.off + 1, aflags = p->arrow_flags;
    uint32_t base = p->stk_len, trailing = 0;
    jsast_node *rest = NULL, *e;
    cover c = { 0, 0 };
    cover_pos cp;
    jsast_list items;
    cover_pos_enter(p, &cp);
    jsp_next(p);
    while (p->tok.type != T_RPAREN) {
        if (p->tok.type == T_ELLIPSIS) {
            rest = jsp_new(p, JSAST_REST, NULL);
            jsp_next(p);
            rest->u.arg.arg = jsp_parse_binding_target(p, 0);
            jsp_finish(p, rest);
            if (p->tok.type == T_ASSIGN)
                jslex_error(p, NULL, "Rest parameter may not have a default initializer");
            if (p->tok.type != T_RPAREN)
                jslex_error(p, NULL, "Rest parameter must be last formal parameter");
            jsp_push(p, rest);
            break;
        }
        jsp_push(p, jsp_parse_assign(p, 0, &c));
        if (p->tok.type == T_COMMA) {
            jsp_next(p);
            if (p->tok.type == T_RPAREN)
                trailing = p->prev_end;
        } else
            break;
    }
    jsp_expect(p, T_RPAREN);
    items = jsp_list_from(p, base);
    if (can_arrow && p->tok.type == T_ARROW && !p->tok.nl_before) {
        cover_pos_arrow_check(p, 0);
        cover_pos_leave(p, &cp);
        items = cover_to_params(p, items);
        return parse_arrow(p, &start, items, 0, aflags);
    }
    if (!items.count || rest || trailing) {
        if (trailing)
            jslex_error_at(p, trailing - 1, "Unexpected token ')'");
        if (rest)
            jslex_error_at(p, rest->start, "Unexpected token '...'");
        jslex_error_at(p, start.off + 1, "Unexpected token ')'");
    }
    jsp_cover_check(p, &c);
    {
        /* the positions stay recorded for an enclosing cover */
        uint32_t y = p->fc->yield_pos, a = p->fc->await_pos, ai = p->fc->await_ident_pos;
        cover_pos_leave(p, &cp);
        if (!cp.yield_pos) p->fc->yield_pos = y;
        if (!cp.await_pos) p->fc->await_pos = a;
        if (!cp.await_ident_pos) p->fc->await_ident_pos = ai;
    }
    if (items.count == 1)
        e = items.items[0];
    else {
        e = jsp_new(p, JSAST_SEQUENCE, &(jspos){ items.items[0]->start, items.items[0]->line,
                                                 items.items[0]->col });
        e->u.list = items;
        e->end = items.items[items.count - 1]->end;
    }
    e->flags |= JSAST_F_PAREN;
    return e;
}

static jsast_node *parse_array(jsparser *p, cover *c)
{
    jsast_node *n = jsp_new(p, JSAST_ARRAY, NULL);
    uint32_t base = p->stk_len;
    jsp_next(p);
    while (p->tok.type != T_RBRACKET) {
        jsast_node *e;
        if (p->tok.type == T_COMMA) {
            jsp_next(p);
            jsp_push(p, NULL);
            continue;
        }
        if (p->tok.type == T_ELLIPSIS) {
            e = jsp_new(p, JSAST_SPREAD, NULL);
            jsp_next(p);
            e->u.arg.arg = jsp_parse_assign(p, 0, c);
            jsp_finish(p, e);
            if (p->tok.type == T_COMMA)
                e->flags |= PF_COMMA_AFTER;
        } else
            e = jsp_parse_assign(p, 0, c);
        jsp_push(p, e);
        if (p->tok.type != T_RBRACKET)
            jsp_expect(p, T_COMMA);
    }
    jsp_next(p);
    n->u.list = jsp_list_from(p, base);
    return jsp_finish(p, n);
}

/* Token after a get/set/async prefix that makes the prefix the key itself. */
static int ends_key(int t)
{
    return t == T_COMMA || t == T_COLON || t == T_LPAREN || t == T_RBRACE || t == T_ASSIGN ||
           t == T_SEMI || t == T_EOF;
}

static jsast_node *parse_object(jsparser *p, cover *c)
{
    jsast_node *n = jsp_new(p, JSAST_OBJECT, NULL);
    uint32_t base = p->stk_len;
    int has_proto = 0;
    jsp_next(p);
    while (p->tok.type != T_RBRACE) {
        jspos st = p->tok.pos;
        jsast_node *prop;
        int is_async = 0, is_gen = 0, kind = JSAST_PROP_INIT, computed = 0;
        jstoken keytok, nt;
        if (p->tok.type == T_ELLIPSIS) {
            jsast_node *s = jsp_new(p, JSAST_SPREAD, NULL);
            jsp_next(p);
            s->u.arg.arg = jsp_parse_assign(p, 0, c);
            jsp_push(p, jsp_finish(p, s));
            if (p->tok.type == T_COMMA)
                s->flags |= PF_COMMA_AFTER;
            if (p->tok.type != T_RBRACE)
                jsp_expect(p, T_COMMA);
            continue;
        }
        prop = jsp_new(p, JSAST_PROPERTY, NULL);
        if (jsp_is_name(p, N_ASYNC)) {
            int t = jsp_peek(p, &nt);
            if (!ends_key(t) && !nt.nl_before) {
                is_async = 1;
                jsp_next(p);
            }
        }
        if (p->tok.type == T_STAR) {
            is_gen = 1;
            jsp_next(p);
        }
        if (!is_async && !is_gen && (jsp_is_name(p, N_GET) || jsp_is_name(p, N_SET))) {
            int t = jsp_peek(p, &nt);
            if (!ends_key(t)) {
                kind = p->tok.str == p->n[N_GET] ? JSAST_PROP_GET : JSAST_PROP_SET;
                jsp_next(p);
            }
        }
        keytok = p->tok;
        prop->u.prop.key = jsp_parse_property_key(p, 0, &computed);
        if (computed)
            prop->flags |= JSAST_F_COMPUTED;
        prop->u.prop.kind = kind;
        if (p->tok.type == T_LPAREN) {
            int fk = kind == JSAST_PROP_GET ? JSAST_FN_GETTER :
                     kind == JSAST_PROP_SET ? JSAST_FN_SETTER : JSAST_FN_METHOD;
            prop->flags |= JSAST_F_METHOD;
            prop->u.prop.value = jsp_parse_method(p, &st, fk, is_async, is_gen, NULL, 0);
        } else if (is_async || is_gen || kind != JSAST_PROP_INIT) {
            jsp_unexpected(p);
        } else if (p->tok.type == T_COLON) {
            jsp_next(p);
            prop->u.prop.value = jsp_parse_assign(p, 0, c);
            if (!computed && (keytok.type == T_IDENT || keytok.type == T_STRING) &&
                keytok.str == p->n[N_PROTO]) {
                prop->flags |= JSAST_F_PROTO_SETTER;
                if (has_proto) {
                    if (!c)
                        jslex_error(p, &st, "Duplicate __proto__ fields are not allowed in object literals");
                    if (!c->double_proto)
                        c->double_proto = st.off + 1;
                }
                has_proto = 1;
            }
        } else if (keytok.type == T_IDENT && !computed &&
                   (p->tok.type == T_COMMA || p->tok.type == T_RBRACE || p->tok.type == T_ASSIGN)) {
            jsast_node *id = jsp_new(p, JSAST_IDENT, &keytok.pos);
            jsp_check_ident_ref(p, keytok.str, &keytok.pos, keytok.escaped);
            id->u.ident.name = keytok.str;
            id->end = keytok.end;
            prop->flags |= JSAST_F_SHORTHAND;
            if (p->tok.type == T_ASSIGN) {
                jsast_node *ap = jsp_new(p, JSAST_ASSIGN_PATTERN, &keytok.pos);
                if (!c)
                    jslex_error(p, NULL, "Invalid shorthand property initializer");
                if (!c->shorthand_assign)
                    c->shorthand_assign = p->tok.pos.off + 1;
                jsp_next(p);
                ap->u.binary.left = id;
                ap->u.binary.right = jsp_parse_assign(p, 0, NULL);
                prop->u.prop.value = jsp_finish(p, ap);
            } else
                prop->u.prop.value = id;
        } else {
            if (keytok.type >= 1 && keytok.type <= T_LAST_KEYWORD && !computed &&
                (p->tok.type == T_COMMA || p->tok.type == T_RBRACE))
                jslex_error(p, &keytok.pos, "Unexpected reserved word");
            jsp_unexpected(p);
        }
        jsp_push(p, jsp_finish(p, prop));
        if (p->tok.type != T_RBRACE)
            jsp_expect(p, T_COMMA);
    }
    jsp_next(p);
    n->u.list = jsp_list_from(p, base);
    return jsp_finish(p, n);
}

/* ---- primary expressions ---- */

static jsast_node *ident_ref(jsparser *p)
{
    jsast_node *n = jsp_new(p, JSAST_IDENT, NULL);
    jsp_check_ident_ref(p, p->tok.str, &p->tok.pos, p->tok.escaped);
    n->u.ident.name = p->tok.str;
    jsp_next(p);
    return jsp_finish(p, n);
}

jsast_node *jsp_parse_ident_ref(jsparser *p)
{
    if (p->tok.type != T_IDENT)
        jsp_unexpected(p);
    return ident_ref(p);
}

static jsast_node *parse_new(jsparser *p)
{
    jspos start = p->tok.pos;
    jsast_node *n, *callee;
    jsp_next(p);
    if (p->tok.type == T_DOT) {
        jsp_next(p);
        if (!jsp_is_name(p, N_TARGET))
            jsp_unexpected(p);
        if (!p->fc->allow_new_target)
            jslex_error(p, &start, "new.target expression is not allowed here");
        jsp_next(p);
        n = jsp_new(p, JSAST_NEW_TARGET, &start);
        return jsp_finish(p, n);
    }
    if (p->tok.type == T_IMPORT && jsp_peek(p, NULL) != T_DOT)
        jslex_error(p, NULL, "Cannot use new with import");
    if (p->tok.type == T_IMPORT) {
        jstoken dot, name;
        if (jsp_peek2(p, &dot, &name) == T_IDENT && name.str &&
            (jsast_str_eq_ascii(name.str, "defer") || jsast_str_eq_ascii(name.str, "source")))
            jslex_error(p, NULL, "Cannot use new with import");
    }
    jsp_enter(p);
    callee = parse_subscripts(p, parse_primary(p), 1);
    p->depth--;
    n = jsp_new(p, JSAST_NEW, &start);
    n->u.call.callee = callee;
    if (p->tok.type == T_LPAREN) {
        uint32_t base = p->stk_len;
        parse_args(p, NULL);
        n->u.call.args = jsp_list_from(p, base);
    }
    return jsp_finish(p, n);
}

static jsast_node *parse_regexp(jsparser *p)
{
    jsast_node *n;
    jslex_rescan_regexp(p);
    n = jsp_new(p, JSAST_REGEXP, NULL);
    n->u.regexp.pattern = p->tok.str;
    n->u.regexp.flags = p->tok.re_flags;
    if (p->opt->validate_regexp) {
        char msg[200];
        msg[0] = 0;
        if (p->opt->validate_regexp(p->tok.str->chars, p->tok.str->len, p->tok.re_flags, msg, sizeof msg))
            jslex_error(p, NULL, "Invalid regular expression: %s", msg);
    }
    jsp_next(p);
    return jsp_finish(p, n);
}

static jsast_node *parse_primary(jsparser *p)
{
    jspos start = p->tok.pos;
    jsast_node *n;
    jstoken nt;
    int t;
    switch (p->tok.type) {
    case T_IDENT:
        if (jsp_is_name(p, N_ASYNC)) {
            t = jsp_peek(p, &nt);
            if (t == T_FUNCTION && !nt.nl_before)
                return jsp_parse_function(p, &start, 1, 0, S_TOP);
            if (t == T_IDENT && !nt.nl_before && p->arrow_at == start.off + 1 &&
                jsp_peek2(p, NULL, NULL) == T_ARROW) {
                /* async x => ... */
                jsast_list params;
                jsast_node *id;
                uint32_t base = p->stk_len;
                jsp_next(p);
                /* the parameter is bound in the async arrow: await is reserved */
                if (p->tok.str == p->n[N_AWAIT])
                    jslex_error(p, NULL, "'await' is not a valid identifier name in an async function");
                id = binding_ident(p, 0);
                jsp_push(p, id);
                params = jsp_list_from(p, base);
                return parse_arrow(p, &start, params, 1, p->arrow_flags);
            }
        }
        if (p->arrow_at == start.off + 1) {
            t = jsp_peek(p, &nt);
            if (t == T_ARROW && !nt.nl_before) {
                jsast_list params;
                uint32_t base = p->stk_len;
                jsp_push(p, binding_ident(p, 0));
                params = jsp_list_from(p, base);
                return parse_arrow(p, &start, params, 0, p->arrow_flags);
            }
        }
        if (p->tok.str == p->n[N_YIELD] && p->fc->is_generator)
            jslex_error(p, NULL, "Unexpected 'yield' here");
        return ident_ref(p);
    case T_LPAREN:
        return parse_paren(p);
    case T_LBRACKET:
        return parse_array(p, p->arrow_at == start.off + 1 ? p->cur_cover : NULL);
    case T_LBRACE:
        return parse_object(p, p->arrow_at == start.off + 1 ? p->cur_cover : NULL);
    case T_FUNCTION:
        return jsp_parse_function(p, &start, 0, 0, S_TOP);
    case T_CLASS:
        return jsp_parse_class(p, &start, 0, 1);
    case T_AT:
        p->class_decos = jsp_parse_decorators(p);
        if (p->tok.type != T_CLASS)
            jsp_unexpected(p);
        return jsp_parse_class(p, &start, 0, 1);
    case T_NUMBER:
        if (p->tok.octal && p->fc->strict)
            jslex_error(p, NULL, "Octal literals are not allowed in strict mode");
        n = jsp_new(p, JSAST_NUMBER, NULL);
        n->u.num.value = p->tok.num;
        jsp_next(p);
        return jsp_finish(p, n);
    case T_STRING:
        return jsp_string_node(p);
    case T_BIGINT:
        n = jsp_new(p, JSAST_BIGINT, NULL);
        n->u.bigint.text = p->tok.big;
        n->u.bigint.len = p->tok.big_len;
        jsp_next(p);
        return jsp_finish(p, n);
    case T_TEMPLATE:
        return jsp_parse_template(p, 0);
    case T_SLASH:
    case T_SLASH_ASSIGN:
        return parse_regexp(p);
    case T_THIS:
        n = jsp_new(p, JSAST_THIS, NULL);
        jsp_next(p);
        return jsp_finish(p, n);
    case T_NULL:
        n = jsp_new(p, JSAST_NULL, NULL);
        jsp_next(p);
        return jsp_finish(p, n);
    case T_TRUE:
        n = jsp_new(p, JSAST_TRUE, NULL);
        jsp_next(p);
        return jsp_finish(p, n);
    case T_FALSE:
        n = jsp_new(p, JSAST_FALSE, NULL);
        jsp_next(p);
        return jsp_finish(p, n);
    case T_SUPER:
        n = jsp_new(p, JSAST_SUPER, NULL);
        jsp_next(p);
        if (p->tok.type == T_LPAREN) {
            if (!p->fc->allow_super_call)
                jslex_error(p, &start, "'super' keyword unexpected here");
        } else if (p->tok.type == T_DOT || p->tok.type == T_LBRACKET) {
            if (!p->fc->allow_super_prop)
                jslex_error(p, &start, "'super' keyword unexpected here");
        } else
            jslex_error(p, &start, "'super' keyword unexpected here");
        return jsp_finish(p, n);
    case T_NEW:
        return parse_new(p);
    case T_IMPORT:
        jsp_next(p);
        if (p->tok.type == T_DOT) {
            jsp_next(p);
            if (p->tok.type == T_IDENT && p->tok.str &&
                (jsast_str_eq_ascii(p->tok.str, "defer") || jsast_str_eq_ascii(p->tok.str, "source"))) {
                /* import.defer(...) / import.source(...): phased dynamic import */
                uint32_t phase = jsast_str_eq_ascii(p->tok.str, "defer") ? JSAST_F_IMPORT_DEFER : JSAST_F_IMPORT_SOURCE;
                jsp_next(p);
                if (p->tok.type != T_LPAREN)
                    jsp_unexpected(p);
                n = jsp_new(p, JSAST_IMPORT_CALL, &start);
                n->flags |= phase;
                jsp_next(p);
                if (p->tok.type == T_RPAREN)
                    jsp_unexpected(p);
                n->u.import_call.source = jsp_parse_assign(p, 0, NULL);
                if (jsp_eat(p, T_COMMA) && p->tok.type != T_RPAREN) {
                    n->u.import_call.options = jsp_parse_assign(p, 0, NULL);
                    jsp_eat(p, T_COMMA);
                }
                jsp_expect(p, T_RPAREN);
                return jsp_finish(p, n);
            }
            if (!jsp_is_name(p, N_META))
                jsp_unexpected(p);
            if (!p->module)
                jslex_error(p, &start, "Cannot use 'import.meta' outside a module");
            jsp_next(p);
            n = jsp_new(p, JSAST_IMPORT_META, &start);
            return jsp_finish(p, n);
        }
        if (p->tok.type == T_LPAREN) {
            n = jsp_new(p, JSAST_IMPORT_CALL, &start);
            jsp_next(p);
            if (p->tok.type == T_RPAREN)
                jsp_unexpected(p);
            n->u.import_call.source = jsp_parse_assign(p, 0, NULL);
            if (jsp_eat(p, T_COMMA) && p->tok.type != T_RPAREN) {
                n->u.import_call.options = jsp_parse_assign(p, 0, NULL);
                jsp_eat(p, T_COMMA);
            }
            jsp_expect(p, T_RPAREN);
            return jsp_finish(p, n);
        }
        jsp_unexpected(p);
    default:
        jsp_unexpected(p);
    }
}

static jsast_node *member_name(jsparser *p, jsast_node *object, const jspos *start, int optional)
{
    jsast_node *n = jsp_new(p, JSAST_MEMBER, start), *prop;
    n->u.member.object = object;
    if (p->tok.type == T_PRIVATE) {
        if (object->kind == JSAST_SUPER)
            jslex_error(p, NULL, "Unexpected private field");
        prop = jsp_new(p, JSAST_PRIVATE_NAME, NULL);
        prop->u.priv.name = p->tok.str;
        jsp_next(p);
        jsp_finish(p, prop);
        jsp_private_ref(p, prop);
    } else if (p->tok.type == T_IDENT || (p->tok.type >= 1 && p->tok.type <= T_LAST_KEYWORD)) {
        prop = jsp_new(p, JSAST_IDENT, NULL);
        prop->u.ident.name = p->tok.str;
        jsp_next(p);
        jsp_finish(p, prop);
    } else
        jsp_unexpected(p);
    n->u.member.property = prop;
    if (optional)
        n->flags |= JSAST_F_OPTIONAL;
    return jsp_finish(p, n);
}

/* Decorator (after `@`): IdentifierReference, then `.name` / `.#name`
 * links, then optional Arguments; `@(Expression)` is the other form. */
jsast_node *jsp_decorator_expr(jsparser *p)
{
    jspos start = p->tok.pos;
    jsast_node *n;
    if (jsp_eat(p, T_LPAREN)) {
        n = jsp_parse_expr(p, 0);
        jsp_expect(p, T_RPAREN);
        return n;
    }
    n = jsp_parse_ident_ref(p);
    while (jsp_eat(p, T_DOT))
        n = member_name(p, n, &start, 0);
    if (p->tok.type == T_LPAREN) {
        uint32_t b = p->stk_len;
        jsast_node *m = jsp_new(p, JSAST_CALL, &start);
        m->u.call.callee = n;
        parse_args(p, NULL);
        m->u.call.args = jsp_list_from(p, b);
        n = jsp_finish(p, m);
    }
    return n;
}

static jsast_node *parse_subscripts(jsparser *p, jsast_node *base, int no_calls)
{
    jspos start = { base->start, base->line, base->col };
    int chain = 0, first = 1, aflags = p->arrow_flags;
    uint32_t links = 0;
    jsast_node *n = base;
    if (is_arrow(base))
        return base;
    for (;;) {
        jsast_node *m;
        switch (p->tok.type) {
        case T_DOT:
            jsp_next(p);
            m = member_name(p, n, &start, 0);
            break;
        case T_OPTCHAIN:
            if (no_calls)
                jslex_error(p, NULL, "Invalid optional chain from new expression");
            chain = 1;
            jsp_next(p);
            if (p->tok.type == T_LPAREN) {
                uint32_t b = p->stk_len;
                m = jsp_new(p, JSAST_CALL, &start);
                m->u.call.callee = n;
                parse_args(p, NULL);
                m->u.call.args = jsp_list_from(p, b);
                m->flags |= JSAST_F_OPTIONAL;
                jsp_finish(p, m);
            } else if (p->tok.type == T_LBRACKET) {
                m = jsp_new(p, JSAST_MEMBER, &start);
                jsp_next(p);
                m->u.member.object = n;
                m->u.member.property = jsp_parse_expr(p, 0);
                jsp_expect(p, T_RBRACKET);
                m->flags |= JSAST_F_OPTIONAL | JSAST_F_COMPUTED;
                jsp_finish(p, m);
            } else if (p->tok.type == T_TEMPLATE) {
                jslex_error(p, NULL, "Invalid tagged template on optional chain");
            } else
                m = member_name(p, n, &start, 1);
            break;
        case T_LBRACKET:
            m = jsp_new(p, JSAST_MEMBER, &start);
            jsp_next(p);
            m->u.member.object = n;
            m->u.member.property = jsp_parse_expr(p, 0);
            jsp_expect(p, T_RBRACKET);
            m->flags |= JSAST_F_COMPUTED;
            jsp_finish(p, m);
            break;
        case T_TEMPLATE:
            if (chain)
                jslex_error(p, NULL, "Invalid tagged template on optional chain");
            m = jsp_new(p, JSAST_TAGGED_TEMPLATE, &start);
            m->u.tagged.tag = n;
            m->u.tagged.quasi = jsp_parse_template(p, 1);
            jsp_finish(p, m);
            break;
        case T_LPAREN: {
            uint32_t b = p->stk_len;
            if (no_calls)
                goto done;
            if (first && n->kind == JSAST_IDENT && n->u.ident.name == p->n[N_ASYNC] &&
                !(n->flags & JSAST_F_PAREN) && n->end - n->start == 5 && !p->tok.nl_before &&
                p->arrow_at == n->start + 1) {
                /* async arrow head cover: async(a, b) => ... */
                cover c = { 0, 0 };
                cover_pos cp;
                jsast_list args;
                cover_pos_enter(p, &cp);
                parse_args(p, &c);
                args = jsp_list_from(p, b);
                if (p->tok.type == T_ARROW && !p->tok.nl_before) {
                    cover_pos_arrow_check(p, 1);
                    cover_pos_leave(p, &cp);
                    args = cover_to_params(p, args);
                    return parse_arrow(p, &start, args, 1, aflags);
                }
                jsp_cover_check(p, &c);
                {
                    uint32_t y = p->fc->yield_pos, a = p->fc->await_pos, ai = p->fc->await_ident_pos;
                    cover_pos_leave(p, &cp);
                    if (!cp.yield_pos) p->fc->yield_pos = y;
                    if (!cp.await_pos) p->fc->await_pos = a;
                    if (!cp.await_ident_pos) p->fc->await_ident_pos = ai;
                }
                m = jsp_new(p, JSAST_CALL, &start);
                m->u.call.callee = n;
                m->u.call.args = args;
                jsp_finish(p, m);
                break;
            }
            m = jsp_new(p, JSAST_CALL, &start);
            m->u.call.callee = n;
            parse_args(p, NULL);
            m->u.call.args = jsp_list_from(p, b);
            if (n->kind == JSAST_IDENT && n->u.ident.name == p->n[N_EVAL] && !chain)
                m->flags |= JSAST_F_DIRECT_EVAL;
            jsp_finish(p, m);
            break;
        }
        default:
            goto done;
        }
        if (chain)
            m->flags |= JSAST_F_IN_CHAIN;
        n = m;
        first = 0;
        if ((++links & 3) == 0)
            jsp_enter(p);
    }
done:
    p->depth -= links >> 2;
    if (chain) {
        jsast_node *c = jsp_new(p, JSAST_CHAIN, &start);
        c->u.arg.arg = n;
        c->end = n->end;
        n = c;
    }
    return n;
}

jsast_node *jsp_parse_lhs(jsparser *p)
{
    jsast_node *n;
    p->arrow_at = 0;
    jsp_enter(p);
    n = parse_subscripts(p, parse_primary(p), 0);
    p->depth--;
    return n;
}

/* ---- operators ---- */

static int binop_prec(int t, int flags, int *op)
{
    switch (t) {
    case T_NULLISH: *op = JSAST_OP_NULLISH; return 1;
    case T_OR: *op = JSAST_OP_OR; return 1;
    case T_AND: *op = JSAST_OP_AND; return 2;
    case T_BAR: *op = JSAST_OP_BITOR; return 3;
    case T_CARET: *op = JSAST_OP_BITXOR; return 4;
    case T_AMP: *op = JSAST_OP_BITAND; return 5;
    case T_EQ: *op = JSAST_OP_EQ; return 6;
    case T_NE: *op = JSAST_OP_NE; return 6;
    case T_SEQ: *op = JSAST_OP_SEQ; return 6;
    case T_SNE: *op = JSAST_OP_SNE; return 6;
    case T_LT: *op = JSAST_OP_LT; return 7;
    case T_GT: *op = JSAST_OP_GT; return 7;
    case T_LE: *op = JSAST_OP_LE; return 7;
    case T_GE: *op = JSAST_OP_GE; return 7;
    case T_INSTANCEOF: *op = JSAST_OP_INSTANCEOF; return 7;
    case T_IN: *op = JSAST_OP_IN; return (flags & E_NOIN) ? 0 : 7;
    case T_SHL: *op = JSAST_OP_SHL; return 8;
    case T_SAR: *op = JSAST_OP_SAR; return 8;
    case T_SHR: *op = JSAST_OP_SHR; return 8;
    case T_PLUS: *op = JSAST_OP_ADD; return 9;
    case T_MINUS: *op = JSAST_OP_SUB; return 9;
    case T_STAR: *op = JSAST_OP_MUL; return 10;
    case T_SLASH: *op = JSAST_OP_DIV; return 10;
    case T_PERCENT: *op = JSAST_OP_MOD; return 10;
    default: return 0;
    }
}

static jsast_node *parse_binop(jsparser *p, jsast_node *left, int min_prec, int flags, cover *c)
{
    uint32_t chain = 0;
    if (is_arrow(left))
        return left;
    for (;;) {
        int op, prec = binop_prec(p->tok.type, flags, &op), logical, coalesce;
        jsast_node *right, *n;
        if (!prec || prec <= min_prec)
            break;
        jsp_cover_check(p, c);
        logical = op == JSAST_OP_OR || op == JSAST_OP_AND;
        coalesce = op == JSAST_OP_NULLISH;
        if (coalesce)
            prec = 2;
        if (left->kind == JSAST_PRIVATE_NAME && op != JSAST_OP_IN)
            jslex_error_at(p, left->start, "Unexpected private name");
        jsp_next(p);
        right = parse_binop(p, parse_unary(p, 0), prec, flags, NULL);
        if (right->kind == JSAST_PRIVATE_NAME || is_arrow(right))
            jslex_error_at(p, right->start, "Unexpected token");
        n = jsp_new(p, logical || coalesce ? JSAST_LOGICAL : JSAST_BINARY,
                    &(jspos){ left->start, left->line, left->col });
        n->u.binary.op = op;
        n->u.binary.left = left;
        n->u.binary.right = right;
        jsp_finish(p, n);
        if ((logical && p->tok.type == T_NULLISH) ||
            (coalesce && (p->tok.type == T_OR || p->tok.type == T_AND)))
            jslex_error(p, NULL, "Cannot mix ?? with || or && without parentheses");
        left = n;
        /* a left-deep chain deepens the tree without recursing here */
        if ((++chain & 3) == 0)
            jsp_enter(p);
    }
    p->depth -= chain >> 2;
    return left;
}

static void check_update_target(jsparser *p, jsast_node *n)
{
    jsp_check_simple_target(p, n, 1);
}

static int can_await_expr(jsparser *p)
{
    return p->fc->is_async || p->fc->top_await;
}

/* mode: 0 plain, 1 operand of a unary operator (no ** after it), 2 operand
 * of prefix ++/-- (** is left to the caller). */
static jsast_node *parse_unary(jsparser *p, int mode)
{
    jspos start = p->tok.pos;
    jsast_node *n;
    int op = 0, saw_unary = 0;
    cover *cv = p->arrow_at == start.off + 1 ? p->cur_cover : NULL;
    jsp_enter(p);
    switch (p->tok.type) {
    case T_PLUS: op = JSAST_OP_PLUS; break;
    case T_MINUS: op = JSAST_OP_NEG; break;
    case T_BANG: op = JSAST_OP_NOT; break;
    case T_TILDE: op = JSAST_OP_BITNOT; break;
    case T_TYPEOF: op = JSAST_OP_TYPEOF; break;
    case T_VOID: op = JSAST_OP_VOID; break;
    case T_DELETE: op = JSAST_OP_DELETE; break;
    default: break;
    }
    if (op) {
        n = jsp_new(p, JSAST_UNARY, NULL);
        jsp_next(p);
        n->u.unary.op = op;
        n->u.unary.arg = parse_unary(p, 1);
        if (op == JSAST_OP_DELETE) {
            jsast_node *a = n->u.unary.arg;
            if (p->fc->strict && a->kind == JSAST_IDENT)
                jslex_error(p, &start, "Delete of an unqualified identifier in strict mode.");
            if (a->kind == JSAST_CHAIN)
                a = a->u.arg.arg;
            if (a->kind == JSAST_MEMBER && a->u.member.property->kind == JSAST_PRIVATE_NAME)
                jslex_error(p, &start, "Private fields can not be deleted");
        }
        jsp_finish(p, n);
        saw_unary = 1;
    } else if (p->tok.type == T_INC || p->tok.type == T_DEC) {
        n = jsp_new(p, JSAST_UPDATE, NULL);
        n->u.unary.op = p->tok.type == T_INC ? JSAST_OP_INC : JSAST_OP_DEC;
        n->flags |= JSAST_F_PREFIX;
        jsp_next(p);
        n->u.unary.arg = parse_unary(p, 2);
        check_update_target(p, n->u.unary.arg);
        jsp_finish(p, n);
    } else if (p->tok.type == T_IDENT && p->tok.str == p->n[N_AWAIT] && can_await_expr(p)) {
        if (p->tok.escaped)
            jslex_error(p, NULL, "Keyword must not contain escaped characters");
        if (p->fc->in_params)
            jslex_error(p, NULL, "Await expression not allowed in formal parameter");
        if (!p->fc->await_pos)
            p->fc->await_pos = start.off + 1;
        if (p->fc->top_await)
            p->fc->fn->flags |= JSAST_FN_HAS_TLA;
        n = jsp_new(p, JSAST_AWAIT, NULL);
        jsp_next(p);
        n->u.unary.arg = parse_unary(p, 1);
        jsp_finish(p, n);
        saw_unary = 1;
    } else if (p->tok.type == T_PRIVATE) {
        /* #x in obj */
        if (jsp_peek(p, NULL) != T_IN)
            jsp_unexpected(p);
        n = jsp_new(p, JSAST_PRIVATE_NAME, NULL);
        n->u.priv.name = p->tok.str;
        jsp_next(p);
        jsp_finish(p, n);
        jsp_private_ref(p, n);
        p->depth--;
        return n;
    } else {
        jsast_node *base = parse_primary(p);
        n = parse_subscripts(p, base, 0);
        if (cv && (n != base || ((p->tok.type == T_INC || p->tok.type == T_DEC) && !p->tok.nl_before) ||
                   p->tok.type == T_STARSTAR))
            cover_check_from(p, cv, start.off);
        if (!is_arrow(n) && (p->tok.type == T_INC || p->tok.type == T_DEC) && !p->tok.nl_before) {
            jsast_node *u = jsp_new(p, JSAST_UPDATE, &start);
            check_update_target(p, n);
            u->u.unary.op = p->tok.type == T_INC ? JSAST_OP_INC : JSAST_OP_DEC;
            u->u.unary.arg = n;
            jsp_next(p);
            n = jsp_finish(p, u);
        }
    }
    if (mode != 2 && p->tok.type == T_STARSTAR && !is_arrow(n)) {
        jsast_node *b;
        if (saw_unary || mode == 1)
            jslex_error(p, NULL, "Unary operator used immediately before exponentiation expression. Parenthesis must be used to disambiguate operator precedence");
        b = jsp_new(p, JSAST_BINARY, &start);
        jsp_next(p);
        b->u.binary.op = JSAST_OP_EXP;
        b->u.binary.left = n;
        b->u.binary.right = parse_unary(p, 0);
        if (b->u.binary.right->kind == JSAST_PRIVATE_NAME)
            jslex_error_at(p, b->u.binary.right->start, "Unexpected private name");
        n = jsp_finish(p, b);
    }
    p->depth--;
    return n;
}

static int starts_expr(int t)
{
    switch (t) {
    case T_RPAREN: case T_RBRACKET: case T_RBRACE: case T_COMMA: case T_SEMI:
    case T_COLON: case T_EOF: case T_QUESTION: case T_ARROW: case T_IN:
    case T_INSTANCEOF: case T_DOT: case T_OPTCHAIN:
        return 0;
    default:
        if (t >= T_LT && t <= T_NULLISH_ASSIGN)
            return t == T_PLUS || t == T_MINUS || t == T_SLASH || t == T_SLASH_ASSIGN ||
                   t == T_INC || t == T_DEC || t == T_BANG || t == T_TILDE;
        return 1;
    }
}

static jsast_node *parse_yield(jsparser *p, int flags)
{
    jsast_node *n = jsp_new(p, JSAST_YIELD, NULL);
    if (p->tok.escaped)
        jslex_error(p, NULL, "Keyword must not contain escaped characters");
    if (p->fc->in_params)
        jslex_error(p, NULL, "Yield expression not allowed in formal parameter");
    if (!p->fc->yield_pos)
        p->fc->yield_pos = n->start + 1;
    jsp_next(p);
    if (!p->tok.nl_before) {
        if (p->tok.type == T_STAR) {
            jsp_next(p);
            n->flags |= JSAST_F_DELEGATE;
            n->u.unary.arg = jsp_parse_assign(p, flags, NULL);
        } else if (starts_expr(p->tok.type))
            n->u.unary.arg = jsp_parse_assign(p, flags, NULL);
    }
    return jsp_finish(p, n);
}

static int assign_op(int t)
{
    switch (t) {
    case T_ASSIGN: return JSAST_OP_ASSIGN;
    case T_PLUS_ASSIGN: return JSAST_OP_ADD;
    case T_MINUS_ASSIGN: return JSAST_OP_SUB;
    case T_STAR_ASSIGN: return JSAST_OP_MUL;
    case T_SLASH_ASSIGN: return JSAST_OP_DIV;
    case T_PERCENT_ASSIGN: return JSAST_OP_MOD;
    case T_STARSTAR_ASSIGN: return JSAST_OP_EXP;
    case T_SHL_ASSIGN: return JSAST_OP_SHL;
    case T_SAR_ASSIGN: return JSAST_OP_SAR;
    case T_SHR_ASSIGN: return JSAST_OP_SHR;
    case T_AMP_ASSIGN: return JSAST_OP_BITAND;
    case T_BAR_ASSIGN: return JSAST_OP_BITOR;
    case T_CARET_ASSIGN: return JSAST_OP_BITXOR;
    case T_AND_ASSIGN: return JSAST_OP_AND;
    case T_OR_ASSIGN: return JSAST_OP_OR;
    case T_NULLISH_ASSIGN: return JSAST_OP_NULLISH;
    default: return 0;
    }
}

jsast_node *jsp_parse_assign(jsparser *p, int flags, cover *c)
{
    jspos start = p->tok.pos;
    jsast_node *left, *n;
    cover own = { 0, 0 };
    int op;
    if (p->tok.type == T_IDENT && p->tok.str == p->n[N_YIELD] && p->fc->is_generator)
        return parse_yield(p, flags);
    jsp_enter(p);
    if (!c)
        c = &own;
    p->arrow_at = start.off + 1;
    p->arrow_flags = flags;
    p->cur_cover = c;
    left = parse_binop(p, parse_unary(p, 0), 0, flags, c);
    if (!is_arrow(left) && p->tok.type == T_QUESTION) {
        jsast_node *cond = jsp_new(p, JSAST_CONDITIONAL, &start);
        jsp_cover_check(p, c);
        if (left->kind == JSAST_PRIVATE_NAME)
            jslex_error_at(p, left->start, "Unexpected private name");
        jsp_next(p);
        cond->u.cond.test = left;
        cond->u.cond.cons = jsp_parse_assign(p, 0, NULL);
        jsp_expect(p, T_COLON);
        cond->u.cond.alt = jsp_parse_assign(p, flags, NULL);
        p->depth--;
        return jsp_finish(p, cond);
    }
    if (left->kind == JSAST_PRIVATE_NAME)
        jslex_error_at(p, left->start, "Unexpected private name");
    op = assign_op(p->tok.type);
    if (!op || is_arrow(left)) {
        if (op)
            jsp_unexpected(p);
        if (c == &own)
            jsp_cover_check(p, c);
        p->depth--;
        return left;
    }
    if (op == JSAST_OP_ASSIGN && (left->kind == JSAST_OBJECT || left->kind == JSAST_ARRAY) &&
        !(left->flags & JSAST_F_PAREN)) {
        left = jsp_to_assignable(p, left, 0);
        if (c->shorthand_assign > left->start)
            c->shorthand_assign = 0;
        if (c->double_proto > left->start)
            c->double_proto = 0;
    } else {
        jsp_check_simple_target(p, left, p->tok.type != T_AND_ASSIGN && p->tok.type != T_OR_ASSIGN &&
                                         p->tok.type != T_NULLISH_ASSIGN);
    }
    if (c == &own)
        jsp_cover_check(p, c);
    n = jsp_new(p, JSAST_ASSIGN, &start);
    n->u.binary.op = op;
    jsp_next(p);
    n->u.binary.left = left;
    n->u.binary.right = jsp_parse_assign(p, flags, NULL);
    p->depth--;
    return jsp_finish(p, n);
}

jsast_node *jsp_parse_expr(jsparser *p, int flags)
{
    jspos start = p->tok.pos;
    jsast_node *e = jsp_parse_assign(p, flags, NULL);
    if (p->tok.type == T_COMMA) {
        jsast_node *seq = jsp_new(p, JSAST_SEQUENCE, &start);
        uint32_t base = p->stk_len;
        jsp_push(p, e);
        while (jsp_eat(p, T_COMMA))
            jsp_push(p, jsp_parse_assign(p, flags, NULL));
        seq->u.list = jsp_list_from(p, base);
        return jsp_finish(p, seq);
    }
    return e;
}
