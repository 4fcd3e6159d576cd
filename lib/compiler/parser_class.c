/*
 * parser_class.c - class declarations/expressions (methods, accessors,
 * fields, static blocks, private names and their resolution) and module
 * import/export declarations with import attributes.
 * Builds arena nodes only; never touches a runtime.
 */
#include <stdio.h>
#include <string.h>
#include "parser_int.h"

/* ---- private names ---- */

static void grow(jsparser *p, void ***arr, uint32_t n, uint32_t *cap)
{
    if (n == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 8;
        void **na = jslex_alloc(p, nc * sizeof *na);
        if (n)
            memcpy(na, *arr, n * sizeof *na);
        *arr = na;
        *cap = nc;
    }
}

static jsast_private_name *outer_private(jsparser *p, jsast_str *name)
{
    const jsparse_options *o = p->opt;
    uint32_t i;
    for (i = 0; i < o->nprivate_names; i++) {
        if (o->private_name_lens[i] == name->len &&
            !memcmp(o->private_names[i], name->chars, name->len * sizeof(uint16_t))) {
            jsast_private_name *pn = jslex_alloc(p, sizeof *pn);
            pn->name = name;
            pn->kind = JSAST_PRIV_OUTER;
            return pn;
        }
    }
    return NULL;
}

static void undeclared_private(jsparser *p, jsast_node *ref)
{
    char buf[80];
    uint32_t i, n = 0;
    for (i = 0; i < ref->u.priv.name->len && n < sizeof buf - 4; i++) {
        uint16_t c = ref->u.priv.name->chars[i];
        buf[n++] = c < 0x80 ? (char)c : '?';
    }
    buf[n] = 0;
    jslex_error_at(p, ref->start, "Private field '#%s' must be declared in an enclosing class", buf);
}

void jsp_private_ref(jsparser *p, jsast_node *ref)
{
    classctx *cc = p->cc;
    if (!cc) {
        jsast_private_name *pn = outer_private(p, ref->u.priv.name);
        if (!pn)
            undeclared_private(p, ref);
        ref->u.priv.decl = pn;
        return;
    }
    grow(p, (void ***)&cc->refs, cc->nrefs, &cc->cap_refs);
    cc->refs[cc->nrefs++] = ref;
}

static void declare_private(jsparser *p, classctx *cc, jsast_node *key, int kind, int is_static,
                            jsast_node *element)
{
    jsast_str *name = key->u.priv.name;
    jsast_private_name *pn;
    uint32_t i;
    for (i = 0; i < cc->nprivs; i++) {
        pn = cc->privs[i];
        if (pn->name != name)
            continue;
        if (pn->is_static == is_static &&
            ((pn->kind == JSAST_PRIV_GETTER && kind == JSAST_PRIV_SETTER) ||
             (pn->kind == JSAST_PRIV_SETTER && kind == JSAST_PRIV_GETTER))) {
            pn->kind = JSAST_PRIV_ACCESSOR;
            if (kind == JSAST_PRIV_GETTER)
                pn->getter = element;
            else
                pn->setter = element;
            key->u.priv.decl = pn;
            return;
        }
        jslex_error_at(p, key->start, "Identifier '#' has already been declared");
    }
    pn = jslex_alloc(p, sizeof *pn);
    pn->name = name;
    pn->kind = (uint8_t)kind;
    pn->is_static = (uint8_t)is_static;
    pn->decl = element;
    pn->cls = cc->cls;
    pn->index = cc->nprivs;
    if (kind == JSAST_PRIV_GETTER)
        pn->getter = element;
    else if (kind == JSAST_PRIV_SETTER)
        pn->setter = element;
    key->u.priv.decl = pn;
    grow(p, (void ***)&cc->privs, cc->nprivs, &cc->cap_privs);
    cc->privs[cc->nprivs++] = pn;
}

static void resolve_privates(jsparser *p, classctx *cc)
{
    uint32_t i, j;
    for (i = 0; i < cc->nrefs; i++) {
        jsast_node *ref = cc->refs[i];
        for (j = 0; j < cc->nprivs; j++)
            if (cc->privs[j]->name == ref->u.priv.name)
                break;
        if (j < cc->nprivs) {
            ref->u.priv.decl = cc->privs[j];
            continue;
        }
        if (cc->parent) {
            classctx *pc = cc->parent;
            grow(p, (void ***)&pc->refs, pc->nrefs, &pc->cap_refs);
            pc->refs[pc->nrefs++] = ref;
            continue;
        }
        ref->u.priv.decl = outer_private(p, ref->u.priv.name);
        if (!ref->u.priv.decl)
            undeclared_private(p, ref);
    }
}

/* ---- classes ---- */

jsast_list jsp_parse_decorators(jsparser *p)
{
    uint32_t base = p->stk_len;
    while (jsp_eat(p, T_AT))
        jsp_push(p, jsp_decorator_expr(p));
    return jsp_list_from(p, base);
}

static void add_el_decos(jsparser *p, jsast_class *cls, uint32_t *cap, jsast_node *el, jsast_list decos)
{
    if (cls->nel_decos == *cap) {
        uint32_t nc = *cap ? *cap * 2 : 4;
        jsast_deco_el *na = jslex_alloc(p, nc * sizeof *na);
        if (cls->nel_decos)
            memcpy(na, cls->el_decos, cls->nel_decos * sizeof *na);
        cls->el_decos = na;
        *cap = nc;
    }
    cls->el_decos[cls->nel_decos].el = el;
    cls->el_decos[cls->nel_decos].decos = decos;
    cls->el_decos[cls->nel_decos].storage = NULL;
    cls->nel_decos++;
}

static int ends_class_key(int t)
{
    return t == T_LPAREN || t == T_ASSIGN || t == T_SEMI || t == T_RBRACE || t == T_EOF;
}

static int key_is(jsparser *p, jsast_node *key, int computed, int name)
{
    if (computed)
        return 0;
    return (key->kind == JSAST_IDENT && key->u.ident.name == p->n[name]) ||
           (key->kind == JSAST_STRING && key->u.str.value == p->n[name]);
}

static jsast_node *parse_static_block(jsparser *p, jsast_class *cls, const jspos *start)
{
    jsast_node *n = jsp_new(p, JSAST_STATIC_BLOCK, start);
    jsast_function *fn = jsp_new_function(p, JSAST_FN_STATIC_BLOCK, n);
    fnctx fc;
    uint32_t base;
    fn->flags |= JSAST_FN_IN_CLASS | JSAST_FN_STATIC | JSAST_FN_HAS_SUPER_SCOPE | JSAST_FN_SIMPLE_PARAMS;
    fn->home_class = cls;
    fn->src_start = start->off;
    jsp_push_fn(p, &fc, fn, JSAST_FN_STATIC_BLOCK, 0, 0);
    fc.strict = 1;
    jsp_expect(p, T_LBRACE);
    base = p->stk_len;
    while (p->tok.type != T_RBRACE) {
        if (p->tok.type == T_EOF)
            jsp_unexpected(p);
        jsp_push(p, jsp_parse_statement(p, S_BLOCK));
    }
    fn->body = jsp_list_from(p, base);
    fn->src_end = p->tok.end;
    jsp_next(p);
    jsp_pop_fn(p, &fc);
    return jsp_finish(p, n);
}

static jsast_node *parse_field_init(jsparser *p, jsast_class *cls, int is_static)
{
    jsast_node *node = jsp_new(p, JSAST_FUNC_EXPR, NULL), *ret;
    jsast_function *fn = jsp_new_function(p, JSAST_FN_FIELD_INIT, node);
    fnctx fc;
    uint32_t base = p->stk_len;
    fn->flags |= JSAST_FN_IN_CLASS | JSAST_FN_HAS_SUPER_SCOPE | JSAST_FN_EXPR_BODY | JSAST_FN_SIMPLE_PARAMS;
    if (is_static)
        fn->flags |= JSAST_FN_STATIC;
    if (cls->heritage)
        fn->flags |= JSAST_FN_CLASS_HERITAGE;
    fn->home_class = cls;
    fn->src_start = p->tok.pos.off;
    jsp_push_fn(p, &fc, fn, JSAST_FN_FIELD_INIT, 0, 0);
    fc.strict = 1;
    ret = jsp_new(p, JSAST_RETURN, NULL);
    ret->u.arg.arg = jsp_parse_assign(p, 0, NULL);
    jsp_finish(p, ret);
    jsp_push(p, ret);
    fn->body = jsp_list_from(p, base);
    fn->src_end = p->prev_end;
    jsp_pop_fn(p, &fc);
    return jsp_finish(p, node);
}

/* The getter or setter of an auto-accessor: `return this.#storage` or
 * `this.#storage = value`, written as the tree a parse of that text gives. */
static jsast_node *accessor_fn(jsparser *p, jsast_class *cls, int is_static, int setter,
                               jsast_private_name *storage, const jspos *start)
{
    int kind = setter ? JSAST_FN_SETTER : JSAST_FN_GETTER;
    jsast_node *node = jsp_new(p, JSAST_FUNC_EXPR, start), *self, *priv, *mem, *stmt;
    jsast_function *fn = jsp_new_function(p, kind, node);
    fnctx fc;
    uint32_t base;
    fn->src_start = start->off;
    fn->flags |= JSAST_FN_HAS_SUPER_SCOPE | JSAST_FN_IN_CLASS | JSAST_FN_SIMPLE_PARAMS;
    fn->home_class = cls;
    if (cls->heritage)
        fn->flags |= JSAST_FN_CLASS_HERITAGE;
    if (is_static)
        fn->flags |= JSAST_FN_STATIC;
    jsp_push_fn(p, &fc, fn, kind, 0, 0);
    fc.strict = 1;
    self = jsp_finish(p, jsp_new(p, JSAST_THIS, start));
    priv = jsp_new(p, JSAST_PRIVATE_NAME, start);
    priv->u.priv.name = storage->name;
    priv->u.priv.decl = storage;
    jsp_finish(p, priv);
    mem = jsp_new(p, JSAST_MEMBER, start);
    mem->u.member.object = self;
    mem->u.member.property = priv;
    jsp_finish(p, mem);
    if (setter) {
        jsast_str *vname = jslex_intern8(p, (const uint8_t *)"value", 5);
        jsast_node *param = jsp_new(p, JSAST_IDENT, start), *ref, *asg;
        param->u.ident.name = vname;
        param->flags |= JSAST_F_BINDING_ID;
        jsp_finish(p, param);
        base = p->stk_len;
        jsp_push(p, param);
        fn->params = jsp_list_from(p, base);
        fn->length = 1;
        ref = jsp_new(p, JSAST_IDENT, start);
        ref->u.ident.name = vname;
        jsp_finish(p, ref);
        asg = jsp_new(p, JSAST_ASSIGN, start);
        asg->u.binary.op = JSAST_OP_ASSIGN;
        asg->u.binary.left = mem;
        asg->u.binary.right = ref;
        jsp_finish(p, asg);
        stmt = jsp_new(p, JSAST_EXPR_STMT, start);
        stmt->u.expr_stmt.expr = asg;
    } else {
        stmt = jsp_new(p, JSAST_RETURN, start);
        stmt->u.arg.arg = mem;
    }
    jsp_finish(p, stmt);
    base = p->stk_len;
    jsp_push(p, stmt);
    fn->body = jsp_list_from(p, base);
    fn->src_end = p->prev_end;
    jsp_pop_fn(p, &fc);
    return jsp_finish(p, node);
}

/* `accessor name = init;` (auto-accessor, decorators proposal): a private
 * storage field under a name source text cannot spell, plus a getter and a
 * setter `name` that read and write it. */
static void parse_auto_accessor(jsparser *p, classctx *cc, jsast_class *cls, int is_static,
                                const jspos *el_start)
{
    jspos key_start = p->tok.pos;
    int computed = 0;
    char hidden[32];
    jsast_node *key = jsp_parse_property_key(p, 1, &computed), *skey, *field, *get, *set;
    if (key->kind != JSAST_PRIVATE_NAME && key_is(p, key, 0, N_CONSTRUCTOR))
        jslex_error(p, &key_start, "Classes may not have a field named 'constructor'");
    if (is_static && key->kind != JSAST_PRIVATE_NAME && key_is(p, key, 0, N_PROTOTYPE))
        jslex_error(p, &key_start, "Classes may not have a static property named 'prototype'");
    snprintf(hidden, sizeof hidden, " accessor storage %u", cc->nprivs);
    skey = jsp_new(p, JSAST_PRIVATE_NAME, &key_start);
    skey->u.priv.name = jslex_intern8(p, (const uint8_t *)hidden, (uint32_t)strlen(hidden));
    jsp_finish(p, skey);
    field = jsp_new(p, JSAST_FIELD, el_start);
    field->u.field.key = skey;
    if (is_static)
        field->flags |= JSAST_F_STATIC;
    if (jsp_eat(p, T_ASSIGN))
        field->u.field.value = parse_field_init(p, cls, is_static);
    jsp_semicolon(p);
    jsp_finish(p, field);
    declare_private(p, cc, skey, JSAST_PRIV_FIELD, is_static, field);
    jsp_push(p, field);
    get = jsp_new(p, JSAST_METHOD, el_start);
    get->u.method.key = key;
    get->u.method.kind = JSAST_METHOD_GET;
    get->u.method.value = accessor_fn(p, cls, is_static, 0, skey->u.priv.decl, el_start);
    set = jsp_new(p, JSAST_METHOD, el_start);
    if (computed) {
        /* the name is evaluated once: the setter reuses the getter's key */
        jsast_node *ph = jsp_finish(p, jsp_new(p, JSAST_NULL, &key_start));
        set->u.method.key = ph;
        get->flags |= JSAST_F_COMPUTED;
        set->flags |= JSAST_F_COMPUTED | JSAST_F_SHARED_KEY;
    } else
        set->u.method.key = key;
    set->u.method.kind = JSAST_METHOD_SET;
    set->u.method.value = accessor_fn(p, cls, is_static, 1, skey->u.priv.decl, el_start);
    if (is_static) {
        get->flags |= JSAST_F_STATIC;
        set->flags |= JSAST_F_STATIC;
    }
    jsp_finish(p, get);
    jsp_finish(p, set);
    if (key->kind == JSAST_PRIVATE_NAME) {
        declare_private(p, cc, key, JSAST_PRIV_GETTER, is_static, get);
        declare_private(p, cc, key, JSAST_PRIV_SETTER, is_static, set);
    }
    jsp_push(p, get);
    jsp_push(p, set);
}

jsast_node *jsp_parse_class(jsparser *p, const jspos *start, int is_decl, int name_optional)
{
    jsast_node *n = jsp_new(p, is_decl ? JSAST_CLASS_DECL : JSAST_CLASS_EXPR, start);
    jsast_class *cls = jslex_alloc(p, sizeof *cls);
    uint8_t saved_strict = p->fc->strict;
    classctx cc;
    uint32_t base, decos_cap = 0;
    n->u.cls.cls = cls;
    cls->decorators = p->class_decos;
    p->class_decos.items = NULL;
    p->class_decos.count = 0;
    cls->node = n;
    cls->src_start = start->off;
    jsp_next(p);
    p->fc->strict = 1;
    if (p->tok.type == T_IDENT) {
        jsast_node *id = jsp_new(p, JSAST_IDENT, NULL);
        jsp_check_binding_name(p, p->tok.str, &p->tok.pos, p->tok.escaped, 1);
        id->u.ident.name = p->tok.str;
        id->flags |= JSAST_F_BINDING_ID;
        jsp_next(p);
        cls->id = jsp_finish(p, id);
        cls->name = id->u.ident.name;
    } else if (is_decl && !name_optional)
        jsp_unexpected(p);
    memset(&cc, 0, sizeof cc);
    cc.parent = p->cc;
    cc.cls = cls;
    cls->outer = p->cc ? p->cc->cls : NULL;
    if (jsp_eat(p, T_EXTENDS)) {
        cls->heritage = jsp_parse_lhs(p);
        if (cls->heritage->kind == JSAST_ARROW && !(cls->heritage->flags & JSAST_F_PAREN))
            jslex_error_at(p, cls->heritage->start, "Unexpected token '=>'");
    }
    p->cc = &cc;
    jsp_expect(p, T_LBRACE);
    base = p->stk_len;
    while (p->tok.type != T_RBRACE) {
        jspos el_start = p->tok.pos, key_start;
        int is_static = 0, is_async = 0, is_gen = 0, kind = JSAST_METHOD_METHOD, computed = 0;
        jsast_node *key, *el;
        jsast_list decos = { NULL, 0 };
        jstoken nt;
        if (jsp_eat(p, T_SEMI))
            continue;
        if (p->tok.type == T_AT)
            decos = jsp_parse_decorators(p);
        if (jsp_is_name(p, N_STATIC)) {
            int t = jsp_peek(p, &nt);
            if (t == T_LBRACE && decos.count)
                jsp_unexpected(p);
            if (t == T_LBRACE) {
                jsp_next(p);
                jsp_push(p, parse_static_block(p, cls, &el_start));
                continue;
            }
            if (!ends_class_key(t)) {
                is_static = 1;
                jsp_next(p);
            }
        }
        if (jsp_is_name(p, N_ACCESSOR)) {
            int t = jsp_peek(p, &nt);
            if (!ends_class_key(t) && !nt.nl_before) {
                jsp_next(p);
                parse_auto_accessor(p, &cc, cls, is_static, &el_start);
                if (decos.count) {
                    /* pushed: storage field, getter, setter */
                    add_el_decos(p, cls, &decos_cap, p->stk[p->stk_len - 2], decos);
                    cls->el_decos[cls->nel_decos - 1].storage = p->stk[p->stk_len - 3];
                }
                continue;
            }
        }
        key_start = p->tok.pos;
        if (jsp_is_name(p, N_ASYNC)) {
            int t = jsp_peek(p, &nt);
            if (!ends_class_key(t) && !nt.nl_before) {
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
            if (!ends_class_key(t) && t != T_STAR) {
                kind = p->tok.str == p->n[N_GET] ? JSAST_METHOD_GET : JSAST_METHOD_SET;
                jsp_next(p);
            }
        }
        key = jsp_parse_property_key(p, 1, &computed);
        if (p->tok.type == T_LPAREN) {
            int fk = kind == JSAST_METHOD_GET ? JSAST_FN_GETTER :
                     kind == JSAST_METHOD_SET ? JSAST_FN_SETTER : JSAST_FN_METHOD;
            int is_ctor = !is_static && key->kind != JSAST_PRIVATE_NAME &&
                          key_is(p, key, computed, N_CONSTRUCTOR);
            if (is_ctor) {
                if (kind != JSAST_METHOD_METHOD || is_async || is_gen)
                    jslex_error(p, &key_start, "Class constructor may not be an accessor, generator or async");
                if (cls->constructor)
                    jslex_error(p, &key_start, "A class may only have one constructor");
                fk = cls->heritage ? JSAST_FN_DERIVED_CTOR : JSAST_FN_CLASS_CTOR;
                kind = JSAST_METHOD_CONSTRUCTOR;
                if (decos.count)
                    jslex_error_at(p, decos.items[0]->start, "Decorators are not valid on a class constructor");
            }
            if (is_static && key_is(p, key, computed, N_PROTOTYPE))
                jslex_error(p, &key_start, "Classes may not have a static property named 'prototype'");
            el = jsp_new(p, JSAST_METHOD, &el_start);
            el->u.method.key = key;
            el->u.method.kind = kind;
            if (computed)
                el->flags |= JSAST_F_COMPUTED;
            if (is_static)
                el->flags |= JSAST_F_STATIC;
            el->u.method.value = jsp_parse_method(p, &key_start, fk, is_async, is_gen, cls, is_static);
            jsp_finish(p, el);
            if (key->kind == JSAST_PRIVATE_NAME)
                declare_private(p, &cc, key, kind == JSAST_METHOD_GET ? JSAST_PRIV_GETTER :
                                kind == JSAST_METHOD_SET ? JSAST_PRIV_SETTER : JSAST_PRIV_METHOD,
                                is_static, el);
            if (is_ctor)
                cls->constructor = el;
            else
                jsp_push(p, el);
            if (decos.count)
                add_el_decos(p, cls, &decos_cap, el, decos);
            continue;
        }
        if (is_async || is_gen || kind != JSAST_METHOD_METHOD)
            jsp_unexpected(p);
        if (key->kind != JSAST_PRIVATE_NAME && key_is(p, key, computed, N_CONSTRUCTOR))
            jslex_error(p, &key_start, "Classes may not have a field named 'constructor'");
        if (is_static && key->kind != JSAST_PRIVATE_NAME && key_is(p, key, computed, N_PROTOTYPE))
            jslex_error(p, &key_start, "Classes may not have a static property named 'prototype'");
        el = jsp_new(p, JSAST_FIELD, &el_start);
        el->u.field.key = key;
        if (computed)
            el->flags |= JSAST_F_COMPUTED;
        if (is_static)
            el->flags |= JSAST_F_STATIC;
        if (jsp_eat(p, T_ASSIGN))
            el->u.field.value = parse_field_init(p, cls, is_static);
        jsp_semicolon(p);
        jsp_finish(p, el);
        if (key->kind == JSAST_PRIVATE_NAME)
            declare_private(p, &cc, key, JSAST_PRIV_FIELD, is_static, el);
        jsp_push(p, el);
        if (decos.count)
            add_el_decos(p, cls, &decos_cap, el, decos);
    }
    cls->elements = jsp_list_from(p, base);
    cls->src_end = p->tok.end;
    jsp_next(p);
    p->cc = cc.parent;
    cls->privates = cc.privs;
    cls->nprivates = cc.nprivs;
    resolve_privates(p, &cc);
    p->fc->strict = saved_strict;
    return jsp_finish(p, n);
}

/* ---- modules ---- */

static int well_formed(const jsast_str *s)
{
    uint32_t i;
    for (i = 0; i < s->len; i++) {
        uint16_t c = s->chars[i];
        if (c >= 0xD800 && c <= 0xDBFF) {
            if (i + 1 >= s->len || s->chars[i + 1] < 0xDC00 || s->chars[i + 1] > 0xDFFF)
                return 0;
            i++;
        } else if (c >= 0xDC00 && c <= 0xDFFF)
            return 0;
    }
    return 1;
}

/* ModuleExportName: IdentifierName or a well-formed string. */
static jsast_node *export_name(jsparser *p, int *is_reserved)
{
    jsast_node *n;
    if (is_reserved)
        *is_reserved = 0;
    if (p->tok.type == T_STRING) {
        if (!well_formed(p->tok.str))
            jslex_error(p, NULL, "Module export name must be well-formed Unicode");
        return jsp_string_node(p);
    }
    if (p->tok.type != T_IDENT && !(p->tok.type >= 1 && p->tok.type <= T_LAST_KEYWORD))
        jsp_unexpected(p);
    if (is_reserved && (p->tok.type != T_IDENT || p->tok.str->reserved_word || p->tok.str == p->n[N_AWAIT]))
        *is_reserved = 1;
    n = jsp_new(p, JSAST_IDENT, NULL);
    n->u.ident.name = p->tok.str;
    jsp_next(p);
    return jsp_finish(p, n);
}

static jsast_node *local_binding(jsparser *p)
{
    jsast_node *n;
    if (p->tok.type != T_IDENT)
        jsp_unexpected(p);
    jsp_check_binding_name(p, p->tok.str, &p->tok.pos, p->tok.escaped, 1);
    n = jsp_new(p, JSAST_IDENT, NULL);
    n->u.ident.name = p->tok.str;
    n->flags |= JSAST_F_BINDING_ID;
    jsp_next(p);
    return jsp_finish(p, n);
}

static jsast_list parse_attributes(jsparser *p)
{
    uint32_t base = p->stk_len, i;
    jsast_list l = { NULL, 0 };
    if (p->tok.type != T_WITH)
        return l;
    jsp_next(p);
    jsp_expect(p, T_LBRACE);
    while (p->tok.type != T_RBRACE) {
        jsast_node *a = jsp_new(p, JSAST_IMPORT_ATTR, NULL);
        jsast_str *k;
        if (p->tok.type == T_STRING)
            a->u.attr.key = jsp_string_node(p);
        else
            a->u.attr.key = export_name(p, NULL);
        k = a->u.attr.key->kind == JSAST_STRING ? a->u.attr.key->u.str.value : a->u.attr.key->u.ident.name;
        for (i = base; i < p->stk_len; i++) {
            jsast_node *o = p->stk[i]->u.attr.key;
            if ((o->kind == JSAST_STRING ? o->u.str.value : o->u.ident.name) == k)
                jslex_error_at(p, a->start, "Duplicate import attribute");
        }
        jsp_expect(p, T_COLON);
        if (p->tok.type != T_STRING)
            jsp_unexpected(p);
        a->u.attr.value = jsp_string_node(p);
        jsp_push(p, jsp_finish(p, a));
        if (p->tok.type != T_RBRACE)
            jsp_expect(p, T_COMMA);
    }
    jsp_next(p);
    return jsp_list_from(p, base);
}

static jsast_node *module_source(jsparser *p)
{
    if (p->tok.type != T_STRING)
        jsp_unexpected(p);
    return jsp_string_node(p);
}

jsast_node *jsp_parse_import(jsparser *p)
{
    jsast_node *n = jsp_new(p, JSAST_IMPORT_DECL, NULL);
    uint32_t base = p->stk_len;
    jsp_next(p);
    if (p->tok.type == T_IDENT && !p->tok.escaped && p->tok.str && jsast_str_eq_ascii(p->tok.str, "defer") &&
        jsp_peek(p, NULL) == T_STAR) {
        /* import defer * as ns from "x" (proposal): the only deferred form */
        n->flags |= JSAST_F_IMPORT_DEFER;
        jsp_next(p);
    } else if (p->tok.type == T_IDENT && !p->tok.escaped && p->tok.str && jsast_str_eq_ascii(p->tok.str, "source")) {
        /* import source x from "x" (source phase imports): `source` is the
         * phase unless it is the default binding (import source from "x",
         * import source, {a} from "x"); import source from from "x" binds `from` */
        jstoken a, b;
        int t2 = jsp_peek2(p, &a, &b);
        int is_phase = a.type == T_IDENT &&
                       (!(a.str == p->n[N_FROM] && !a.escaped) ||
                        (t2 == T_IDENT && b.str == p->n[N_FROM] && !b.escaped));
        if (is_phase) {
            jsast_node *sp;
            n->flags |= JSAST_F_IMPORT_SOURCE;
            jsp_next(p);
            sp = jsp_new(p, JSAST_IMPORT_NS, NULL);
            sp->u.spec.local = local_binding(p);
            jsp_push(p, jsp_finish(p, sp));
            goto from;
        }
    }
    if (p->tok.type == T_STRING) {
        n->u.import_decl.source = module_source(p);
        n->u.import_decl.attributes = parse_attributes(p);
        jsp_semicolon(p);
        return jsp_finish(p, n);
    }
    if (p->tok.type == T_IDENT) {
        jsast_node *s = jsp_new(p, JSAST_IMPORT_DEFAULT, NULL);
        s->u.spec.local = local_binding(p);
        jsp_push(p, jsp_finish(p, s));
        if (!jsp_eat(p, T_COMMA))
            goto from;
        if (p->tok.type != T_STAR && p->tok.type != T_LBRACE)
            jsp_unexpected(p);
    }
    if (p->tok.type == T_STAR) {
        jsast_node *s = jsp_new(p, JSAST_IMPORT_NS, NULL);
        jsp_next(p);
        if (!jsp_is_name(p, N_AS))
            jsp_unexpected(p);
        jsp_next(p);
        s->u.spec.local = local_binding(p);
        jsp_push(p, jsp_finish(p, s));
    } else if (p->tok.type == T_LBRACE) {
        jsp_next(p);
        while (p->tok.type != T_RBRACE) {
            jsast_node *s = jsp_new(p, JSAST_IMPORT_SPEC, NULL);
            jstoken it = p->tok;
            int reserved;
            s->u.spec.imported = export_name(p, &reserved);
            if (jsp_is_name(p, N_AS)) {
                jsp_next(p);
                s->u.spec.local = local_binding(p);
            } else {
                jsast_node *l;
                if (it.type != T_IDENT)
                    jslex_error(p, &it.pos, "Unexpected token");
                jsp_check_binding_name(p, it.str, &it.pos, it.escaped, 1);
                l = jsp_new(p, JSAST_IDENT, &it.pos);
                *l = *s->u.spec.imported;
                l->flags |= JSAST_F_BINDING_ID;
                s->u.spec.local = l;
            }
            jsp_push(p, jsp_finish(p, s));
            if (p->tok.type != T_RBRACE)
                jsp_expect(p, T_COMMA);
        }
        jsp_next(p);
    } else
        jsp_unexpected(p);
from:
    if (!jsp_is_name(p, N_FROM))
        jsp_unexpected(p);
    jsp_next(p);
    n->u.import_decl.specifiers = jsp_list_from(p, base);
    n->u.import_decl.source = module_source(p);
    n->u.import_decl.attributes = parse_attributes(p);
    jsp_semicolon(p);
    return jsp_finish(p, n);
}

jsast_node *jsp_parse_export(jsparser *p)
{
    jspos start = p->tok.pos;
    jsast_node *n;
    jstoken nt;
    jsp_next(p);
    if (p->tok.type == T_STAR) {
        n = jsp_new(p, JSAST_EXPORT_ALL, &start);
        jsp_next(p);
        if (jsp_is_name(p, N_AS)) {
            jsp_next(p);
            n->u.export_all.exported = export_name(p, NULL);
        }
        if (!jsp_is_name(p, N_FROM))
            jsp_unexpected(p);
        jsp_next(p);
        n->u.export_all.source = module_source(p);
        n->u.export_all.attributes = parse_attributes(p);
        jsp_semicolon(p);
        return jsp_finish(p, n);
    }
    if (p->tok.type == T_DEFAULT) {
        jspos ds;
        n = jsp_new(p, JSAST_EXPORT_DEFAULT, &start);
        jsp_next(p);
        ds = p->tok.pos;
        if (p->tok.type == T_FUNCTION) {
            n->u.export_default.decl = jsp_parse_function(p, &ds, 0, 2, S_TOP);
        } else if (jsp_is_name(p, N_ASYNC) && jsp_peek(p, &nt) == T_FUNCTION && !nt.nl_before) {
            n->u.export_default.decl = jsp_parse_function(p, &ds, 1, 2, S_TOP);
        } else if (p->tok.type == T_CLASS) {
            n->u.export_default.decl = jsp_parse_class(p, &ds, 1, 1);
        } else if (p->tok.type == T_AT) {
            if (p->class_decos.count)
                jslex_error(p, NULL, "Decorators may not appear both before and after 'export'");
            p->class_decos = jsp_parse_decorators(p);
            if (p->tok.type != T_CLASS)
                jsp_unexpected(p);
            n->u.export_default.decl = jsp_parse_class(p, &ds, 1, 1);
        } else {
            n->u.export_default.decl = jsp_parse_assign(p, 0, NULL);
            jsp_semicolon(p);
        }
        return jsp_finish(p, n);
    }
    if (p->tok.type == T_LBRACE) {
        uint32_t base = p->stk_len, i;
        uint32_t bad = 0;
        n = jsp_new(p, JSAST_EXPORT_NAMED, &start);
        jsp_next(p);
        while (p->tok.type != T_RBRACE) {
            jsast_node *s = jsp_new(p, JSAST_EXPORT_SPEC, NULL);
            int reserved;
            s->u.spec.imported = export_name(p, &reserved);
            if ((reserved || s->u.spec.imported->kind == JSAST_STRING) && !bad)
                bad = s->start + 1;
            if (jsp_is_name(p, N_AS)) {
                jsp_next(p);
                s->u.spec.local = export_name(p, NULL);
            } else
                s->u.spec.local = s->u.spec.imported;
            jsp_push(p, jsp_finish(p, s));
            if (p->tok.type != T_RBRACE)
                jsp_expect(p, T_COMMA);
        }
        jsp_next(p);
        n->u.export_named.specifiers = jsp_list_from(p, base);
        if (jsp_is_name(p, N_FROM)) {
            jsp_next(p);
            n->u.export_named.source = module_source(p);
            n->u.export_named.attributes = parse_attributes(p);
        } else {
            if (bad)
                jslex_error_at(p, bad - 1, "Unexpected reserved word or string in local export");
            for (i = 0; i < n->u.export_named.specifiers.count; i++)
                n->u.export_named.specifiers.items[i]->u.spec.imported->flags &= ~JSAST_F_BINDING_ID;
        }
        jsp_semicolon(p);
        return jsp_finish(p, n);
    }
    n = jsp_new(p, JSAST_EXPORT_NAMED, &start);
    if (p->tok.type == T_AT && p->class_decos.count)
        jslex_error(p, NULL, "Decorators may not appear both before and after 'export'");
    if (p->tok.type == T_VAR || p->tok.type == T_AT || p->tok.type == T_CONST || p->tok.type == T_FUNCTION ||
        p->tok.type == T_CLASS || jsp_is_name(p, N_LET) ||
        (jsp_is_name(p, N_ASYNC) && jsp_peek(p, &nt) == T_FUNCTION && !nt.nl_before)) {
        n->u.export_named.decl = jsp_parse_statement(p, S_TOP);
        if (n->u.export_named.decl->kind != JSAST_VAR_DECL &&
            n->u.export_named.decl->kind != JSAST_FUNC_DECL &&
            n->u.export_named.decl->kind != JSAST_CLASS_DECL)
            jslex_error_at(p, n->u.export_named.decl->start, "Unexpected token");
        return jsp_finish(p, n);
    }
    jsp_unexpected(p);
}
