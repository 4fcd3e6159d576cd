/*
 * codegen_expr.c - bytecode for expressions: literals, operators, references
 * and assignment (with destructuring patterns), calls and optional chains,
 * templates, yield/await. Must not modify the AST.
 */
#include <string.h>
#include <stdlib.h>
#include "codegen.h"
#include "../core/bigint.h"

static void emit_args(cg_func *c, const jsast_list *args, int *spread_out);

static int has_spread(const jsast_list *l)
{
    for (uint32_t i = 0; i < l->count; i++)
        if (l->items[i] && l->items[i]->kind == JSAST_SPREAD) return 1;
    return 0;
}

int cg_is_anon_fn(const jsast_node *n)
{
    if (!n) return 0;
    if (n->kind == JSAST_FUNC_EXPR || n->kind == JSAST_ARROW) return n->u.func.fn->id == NULL;
    if (n->kind == JSAST_CLASS_EXPR) return n->u.cls.cls->id == NULL;
    return 0;
}

void cg_expr_named(cg_func *c, const jsast_node *n, const jsast_str *name)
{
    if (name && cg_is_anon_fn(n)) {
        cg_pos(c, n);
        if (n->kind == JSAST_CLASS_EXPR) cg_class(c, n->u.cls.cls, name);
        else cg_emit_closure(c, n->u.func.fn, name);
        return;
    }
    cg_expr(c, n);
}

void cg_expr_drop(cg_func *c, const jsast_node *n)
{
    cg_expr(c, n);
    cg_emit(c, OP_drop);
}

/* ---- property keys ---- */

/* Static key of a non-computed property name: returns the const index of the
 * canonical key. */
uint32_t cg_static_key(cg_func *c, const jsast_node *k)
{
    js_thread *t = c->unit->t;
    switch (k->kind) {
    case JSAST_IDENT: return cg_atom(c, k->u.ident.name);
    case JSAST_STRING: return cg_atom(c, k->u.str.value);
    case JSAST_NUMBER: {
        js_string *s = jsop_number_to_string(t, k->u.num.value);
        if (!s) { c->unit->failed = 1; return 0; }
        jsv key = jskey_from_string(t, s);
        if (key == JSV_EXCEPTION) { c->unit->failed = 1; return 0; }
        return cg_const(c, key);
    }
    case JSAST_BIGINT: {
        js_bigint *b = jsbig_from_literal(t, k->u.bigint.text, k->u.bigint.len);
        if (!b) { c->unit->failed = 1; return 0; }
        js_string *s = jsbig_to_string(t, b, 10);
        if (!s) { c->unit->failed = 1; return 0; }
        jsv key = jskey_from_string(t, s);
        if (key == JSV_EXCEPTION) { c->unit->failed = 1; return 0; }
        return cg_const(c, key);
    }
    default:
        cg_syntax_error(c, k, "bad property key");
        return 0;
    }
}

/* Name string for NamedEvaluation of a static key (NULL when not an identifier/string). */
static const jsast_str *key_name(const jsast_node *k)
{
    if (k->kind == JSAST_IDENT) return k->u.ident.name;
    if (k->kind == JSAST_STRING) return k->u.str.value;
    return NULL;
}

/* ---- literals ---- */

static void emit_template_site(cg_func *c, const jsast_node *tmpl)
{
    js_thread *t = c->unit->t;
    uint32_t n = tmpl->u.tmpl.quasis.count;
    js_object *cooked = jsobj_new_array(t, 0), *raw = cooked ? jsobj_new_array(t, 0) : NULL;
    if (!raw) { c->unit->failed = 1; return; }
    uint32_t ci = cg_const(c, jsv_object(cooked));
    cg_const(c, jsv_object(raw));
    for (uint32_t i = 0; i < n; i++) {
        const jsast_node *q = tmpl->u.tmpl.quasis.items[i];
        jsv cv = JSV_UNDEFINED;
        if (q->u.tmpl_elem.cooked) {
            const jsast_str *s = q->u.tmpl_elem.cooked;
            js_string *js = jsstr_new_utf16(t, s->chars, s->len);
            if (!js) { c->unit->failed = 1; return; }
            cv = jsv_string(js);
        }
        const jsast_str *r = q->u.tmpl_elem.raw;
        js_string *rs = jsstr_new_utf16(t, r->chars, r->len);
        if (!rs) { c->unit->failed = 1; return; }
        if (jsarray_push(t, cooked, cv) < 0 || jsarray_push(t, raw, jsv_string(rs)) < 0) { c->unit->failed = 1; return; }
    }
    uint32_t cache = cg_const(c, JSV_UNDEFINED);
    (void)cache;
    cg_op_u32(c, OP_template_obj, ci);
}

static void emit_template(cg_func *c, const jsast_node *n)
{
    const jsast_list *q = &n->u.tmpl.quasis, *e = &n->u.tmpl.exprs;
    const jsast_str *s0 = q->items[0]->u.tmpl_elem.cooked;
    cg_push_str(c, s0);
    for (uint32_t i = 0; i < e->count; i++) {
        cg_expr(c, e->items[i]);
        cg_emit(c, OP_to_string);
        cg_emit(c, OP_add);
        const jsast_str *si = q->items[i + 1]->u.tmpl_elem.cooked;
        if (si && si->len) {
            cg_push_str(c, si);
            cg_emit(c, OP_add);
        }
    }
}

static void emit_array(cg_func *c, const jsast_node *n)
{
    cg_emit(c, OP_array);
    for (uint32_t i = 0; i < n->u.list.count; i++) {
        const jsast_node *it = n->u.list.items[i];
        if (!it) { cg_emit(c, OP_append_hole); continue; }
        if (it->kind == JSAST_SPREAD) {
            cg_expr(c, it->u.arg.arg);
            cg_emit(c, OP_append_spread);
        } else {
            cg_expr(c, it);
            cg_emit(c, OP_append);
        }
    }
}

static void emit_object(cg_func *c, const jsast_node *n)
{
    cg_emit(c, OP_object);
    for (uint32_t i = 0; i < n->u.list.count; i++) {
        const jsast_node *p = n->u.list.items[i];
        cg_pos(c, p);
        if (p->kind == JSAST_SPREAD) {
            cg_expr(c, p->u.arg.arg);
            cg_emit(c, OP_copy_props);
            continue;
        }
        const jsast_node *k = p->u.prop.key, *v = p->u.prop.value;
        if (p->flags & JSAST_F_PROTO_SETTER) {
            cg_expr(c, v);
            cg_emit(c, OP_set_proto);
            continue;
        }
        int kind = p->u.prop.kind;
        int is_method = (p->flags & JSAST_F_METHOD) || kind != JSAST_PROP_INIT;
        int mflags = (kind == JSAST_PROP_GET ? 1 : kind == JSAST_PROP_SET ? 2 : 0) | 4;
        if (p->flags & JSAST_F_COMPUTED) {
            cg_expr(c, k);
            cg_emit(c, OP_to_propkey);
            if (is_method) {
                cg_emit_closure(c, v->u.func.fn, NULL);
                cg_op_u8(c, OP_def_method_c, mflags | 16);
            } else {
                if (cg_is_anon_fn(v)) {
                    cg_expr(c, v);
                    cg_op_u8(c, OP_set_name_c, 0);
                } else {
                    cg_expr(c, v);
                }
                cg_emit(c, OP_def_elem);
            }
            continue;
        }
        uint32_t key = cg_static_key(c, k);
        const jsast_str *nm = key_name(k);
        if (is_method) {
            int named = nm && kind == JSAST_PROP_INIT;
            cg_emit_closure(c, v->u.func.fn, named ? nm : NULL);
            cg_emit(c, OP_def_method);
            cg_emit_u32(c, key);
            cg_emit_u8(c, (uint8_t)(mflags | (named ? 0 : 16)));
        } else {
            if (nm) cg_expr_named(c, v, nm);
            else if (cg_is_anon_fn(v)) {
                cg_op_u32(c, OP_push_const, key);
                cg_expr(c, v);
                cg_op_u8(c, OP_set_name_c, 0);
                cg_emit(c, OP_nip);
            } else cg_expr(c, v);
            cg_op_u32(c, OP_def_field, key);
        }
    }
}

/* ---- references ---- */

/* Optional-chain short circuit: value to test on top; when nullish, the chain
 * evaluates to undefined. */
static void chain_check(cg_func *c)
{
    if (c->chain_label < 0) return;
    int lok = cg_new_label(c);
    cg_emit(c, OP_dup);
    cg_emit(c, OP_is_nullish);
    cg_jump(c, OP_if_false, lok);
    while (c->depth > c->chain_depth) cg_emit(c, OP_drop);
    cg_emit(c, OP_undef);
    cg_jump(c, OP_goto, c->chain_label);
    cg_label_here(c, lok);
}

static void emit_private_sym(cg_func *c, const jsast_node *pn)
{
    jsast_private_name *pr = pn->u.priv.decl;
    if (!pr || !pr->cls || pr->kind == JSAST_PRIV_OUTER) {
        /* resolved by name through the environment chain (direct eval in a class) */
        uint32_t len = pn->u.priv.name->len;
        uint16_t buf[len + 1];
        buf[0] = '#';
        memcpy(buf + 1, pn->u.priv.name->chars, len * 2);
        js_string *s = jsstr_new_utf16(c->unit->t, buf, len + 1);
        if (!s || !(s = jsstr_intern(c->unit->t, s))) { c->unit->failed = 1; return; }
        cg_emit(c, OP_get_name);
        cg_emit_u32(c, cg_const(c, jsv_string(s)));
        cg_emit_u32(c, cg_new_ic(c));
        return;
    }
    jsast_scope *cs = pr->cls->scope;
    uint32_t base = cs->user >> 8;
    cg_op_env(c, OP_get_env, cg_env_depth(c, cs), base + pr->index);
}

/* Push the object (and key) of a member expression. Returns the number of values pushed. */
static int emit_member_ref(cg_func *c, const jsast_node *m)
{
    const jsast_node *obj = m->u.member.object, *prop = m->u.member.property;
    if (obj->kind == JSAST_SUPER) {
        cg_emit(c, OP_push_this);
        if (m->flags & JSAST_F_COMPUTED) {
            cg_expr(c, prop);
        } else {
            cg_op_u32(c, OP_push_const, cg_static_key(c, prop));
        }
        cg_emit(c, OP_super_base);
        return 3;
    }
    cg_expr(c, obj);
    if (m->flags & JSAST_F_OPTIONAL) chain_check(c);
    if (prop->kind == JSAST_PRIVATE_NAME) {
        emit_private_sym(c, prop);
        return 2;
    }
    if (m->flags & JSAST_F_COMPUTED) {
        cg_expr(c, prop);
        return 2;
    }
    return 1;
}

/* Read a member whose reference is on the stack (consumes it). */
static void emit_member_get(cg_func *c, const jsast_node *m)
{
    const jsast_node *obj = m->u.member.object, *prop = m->u.member.property;
    if (obj->kind == JSAST_SUPER) { cg_emit(c, OP_get_super); return; }
    if (prop->kind == JSAST_PRIVATE_NAME) { cg_emit(c, OP_get_private); return; }
    if (m->flags & JSAST_F_COMPUTED) { cg_emit(c, OP_get_elem); return; }
    if (jsast_str_eq_ascii(prop->u.ident.name, "length")) { cg_emit(c, OP_get_length); return; }
    cg_op_atom(c, OP_get_field, prop->u.ident.name);
}

/* Store: [ref... value] -> []. */
static void emit_member_put(cg_func *c, const jsast_node *m)
{
    const jsast_node *obj = m->u.member.object, *prop = m->u.member.property;
    if (obj->kind == JSAST_SUPER) { cg_emit(c, OP_put_super); return; }
    if (prop->kind == JSAST_PRIVATE_NAME) { cg_emit(c, OP_put_private); return; }
    if (m->flags & JSAST_F_COMPUTED) { cg_emit(c, OP_put_elem); return; }
    cg_op_atom(c, OP_put_field, prop->u.ident.name);
}

/* Duplicate a reference of n values under the stack top: [ref] -> [ref ref] */
static void dup_ref(cg_func *c, int n)
{
    if (n == 1) cg_emit(c, OP_dup);
    else if (n == 2) cg_emit(c, OP_dup2);
    else if (n == 3) {
        /* this key base -> this key base this key base */
        cg_emit(c, OP_over);     /* t k b k */
        cg_emit(c, OP_over);     /* t k b k b */
        /* need t k b t k b: rebuild using locals */
        cg_emit(c, OP_drop);
        cg_emit(c, OP_drop);
        uint32_t l1 = cg_new_local(c, NULL), l2 = cg_new_local(c, NULL), l3 = cg_new_local(c, NULL);
        cg_op_u16(c, OP_put_loc, l3);
        cg_op_u16(c, OP_put_loc, l2);
        cg_op_u16(c, OP_put_loc, l1);
        cg_op_u16(c, OP_get_loc, l1); cg_op_u16(c, OP_get_loc, l2); cg_op_u16(c, OP_get_loc, l3);
        cg_op_u16(c, OP_get_loc, l1); cg_op_u16(c, OP_get_loc, l2); cg_op_u16(c, OP_get_loc, l3);
    }
}

/* [ref(n) value] -> [value ref(n) value] */
static void insert_value(cg_func *c, int n)
{
    if (n == 1) cg_emit(c, OP_insert2);
    else if (n == 2) cg_emit(c, OP_insert3);
    else cg_emit(c, OP_insert4);
}

/* ---- assignment ---- */

static int binop_for(int op)
{
    switch (op) {
    case JSAST_OP_ADD: return OP_add;
    case JSAST_OP_SUB: return OP_sub;
    case JSAST_OP_MUL: return OP_mul;
    case JSAST_OP_DIV: return OP_div;
    case JSAST_OP_MOD: return OP_mod;
    case JSAST_OP_EXP: return OP_pow;
    case JSAST_OP_SHL: return OP_shl;
    case JSAST_OP_SAR: return OP_sar;
    case JSAST_OP_SHR: return OP_shr;
    case JSAST_OP_BITAND: return OP_band;
    case JSAST_OP_BITOR: return OP_bor;
    case JSAST_OP_BITXOR: return OP_bxor;
    case JSAST_OP_EQ: return OP_eq;
    case JSAST_OP_NE: return OP_ne;
    case JSAST_OP_SEQ: return OP_seq;
    case JSAST_OP_SNE: return OP_sne;
    case JSAST_OP_LT: return OP_lt;
    case JSAST_OP_GT: return OP_gt;
    case JSAST_OP_LE: return OP_le;
    case JSAST_OP_GE: return OP_ge;
    case JSAST_OP_IN: return OP_in;
    case JSAST_OP_INSTANCEOF: return OP_instanceof;
    default: return OP_nop;
    }
}

static int is_logical(int op) { return op == JSAST_OP_AND || op == JSAST_OP_OR || op == JSAST_OP_NULLISH; }

/* Logical jump on the value on top (kept when the jump is taken). */
static void logical_skip(cg_func *c, int op, int label)
{
    cg_emit(c, OP_dup);
    if (op == JSAST_OP_NULLISH) {
        cg_emit(c, OP_is_nullish);
        cg_jump(c, OP_if_false, label);
    } else {
        cg_jump(c, op == JSAST_OP_AND ? OP_if_false : OP_if_true, label);
    }
}

static void emit_assign(cg_func *c, const jsast_node *n)
{
    const jsast_node *l = n->u.binary.left, *r = n->u.binary.right;
    int op = n->u.binary.op;
    if (l->kind == JSAST_OBJECT_PATTERN || l->kind == JSAST_ARRAY_PATTERN) {
        cg_expr(c, r);
        cg_emit(c, OP_dup);
        cg_assign_pattern(c, l, 0);
        return;
    }
    if (l->kind == JSAST_IDENT && (cg_ident_dynamic(c, l) || (!l->u.ident.binding && c->strict && op == JSAST_OP_ASSIGN))) {
        /* resolve the reference once, before the right side runs */
        const jsast_str *name = l->u.ident.name;
        cg_op_atom(c, OP_resolve_name, name);
        if (op == JSAST_OP_ASSIGN) {
            cg_expr_named(c, r, (l->flags & JSAST_F_PAREN) ? NULL : name);
            cg_emit(c, OP_insert3);
            cg_emit(c, OP_put_ref);
            return;
        }
        cg_emit(c, OP_get_ref);
        if (is_logical(op)) {
            int lend = cg_new_label(c), lout = cg_new_label(c);
            logical_skip(c, op, lend);
            cg_emit(c, OP_drop);
            cg_expr_named(c, r, name);
            cg_emit(c, OP_insert3);
            cg_emit(c, OP_put_ref);
            cg_jump(c, OP_goto, lout);
            cg_label_here(c, lend);
            cg_emit(c, OP_nip);
            cg_emit(c, OP_nip);
            cg_label_here(c, lout);
            return;
        }
        cg_expr(c, r);
        cg_emit(c, binop_for(op));
        cg_emit(c, OP_insert3);
        cg_emit(c, OP_put_ref);
        return;
    }
    if (l->kind == JSAST_IDENT) {
        const jsast_str *name = l->u.ident.name;
        if (op == JSAST_OP_ASSIGN) {
            cg_expr_named(c, r, (l->flags & JSAST_F_PAREN) ? NULL : name);
            cg_emit(c, OP_dup);
            cg_put_binding(c, l, 0);
            return;
        }
        if (is_logical(op)) {
            int lend = cg_new_label(c);
            cg_get_binding(c, l);
            logical_skip(c, op, lend);
            cg_emit(c, OP_drop);
            cg_expr_named(c, r, name);
            cg_emit(c, OP_dup);
            cg_put_binding(c, l, 0);
            cg_label_here(c, lend);
            return;
        }
        cg_get_binding(c, l);
        cg_expr(c, r);
        cg_emit(c, binop_for(op));
        cg_emit(c, OP_dup);
        cg_put_binding(c, l, 0);
        return;
    }
    if (l->kind == JSAST_MEMBER) {
        int nref = emit_member_ref(c, l);
        if (op == JSAST_OP_ASSIGN) {
            cg_expr(c, r);
            insert_value(c, nref);
            emit_member_put(c, l);
            return;
        }
        if (is_logical(op)) {
            int lend = cg_new_label(c), lout = cg_new_label(c);
            dup_ref(c, nref);
            emit_member_get(c, l);
            logical_skip(c, op, lend);
            cg_emit(c, OP_drop);
            cg_expr(c, r);
            insert_value(c, nref);
            emit_member_put(c, l);
            cg_jump(c, OP_goto, lout);
            cg_label_here(c, lend);
            /* [ref value] -> [value] */
            for (int i = 0; i < nref; i++) cg_emit(c, OP_nip);
            cg_label_here(c, lout);
            return;
        }
        if (nref == 2 && !(l->u.member.property->kind == JSAST_PRIVATE_NAME)) {
            cg_emit(c, OP_get_elem2);      /* obj key -> obj key' value */
        } else {
            dup_ref(c, nref);
            emit_member_get(c, l);
        }
        cg_expr(c, r);
        cg_emit(c, binop_for(op));
        insert_value(c, nref);
        emit_member_put(c, l);
        return;
    }
    /* call expressions etc. as targets: runtime ReferenceError (sloppy web compat) */
    cg_expr(c, l);
    cg_emit(c, OP_drop);
    cg_op_u32(c, OP_throw_ref, cg_atom_c(c, "Invalid assignment target"));
    cg_emit(c, OP_undef);
}

static void emit_update(cg_func *c, const jsast_node *n)
{
    const jsast_node *a = n->u.unary.arg;
    int prefix = (n->flags & JSAST_F_PREFIX) != 0;
    int op = n->u.unary.op == JSAST_OP_INC ? OP_inc : OP_dec;
    if (a->kind == JSAST_IDENT && cg_ident_dynamic(c, a)) {
        cg_op_atom(c, OP_resolve_name, a->u.ident.name);
        cg_emit(c, OP_get_ref);
        cg_emit(c, OP_to_numeric);
        if (prefix) {
            cg_emit(c, op);
            cg_emit(c, OP_insert3);
        } else {
            cg_emit(c, OP_insert3);
            cg_emit(c, op);
        }
        cg_emit(c, OP_put_ref);
        return;
    }
    if (a->kind == JSAST_IDENT) {
        cg_get_binding(c, a);
        cg_emit(c, OP_to_numeric);
        if (!prefix) cg_emit(c, OP_dup);
        cg_emit(c, op);
        if (prefix) cg_emit(c, OP_dup);
        cg_put_binding(c, a, 0);
        return;
    }
    if (a->kind == JSAST_MEMBER) {
        int nref = emit_member_ref(c, a);
        if (nref == 2 && a->u.member.property->kind != JSAST_PRIVATE_NAME) cg_emit(c, OP_get_elem2);
        else { dup_ref(c, nref); emit_member_get(c, a); }
        cg_emit(c, OP_to_numeric);
        if (prefix) {
            cg_emit(c, op);
            insert_value(c, nref);
        } else {
            insert_value(c, nref);
            cg_emit(c, op);
        }
        emit_member_put(c, a);
        return;
    }
    cg_expr(c, a);
    cg_emit(c, OP_drop);
    cg_op_u32(c, OP_throw_ref, cg_atom_c(c, "Invalid left-hand side expression in update operation"));
    cg_emit(c, OP_undef);
}

/* ---- patterns ---- */

static void assign_target(cg_func *c, const jsast_node *t, int init)
{
    switch (t->kind) {
    case JSAST_IDENT:
        cg_put_binding(c, t, init);
        break;
    case JSAST_MEMBER: {
        /* [v] -> evaluate the reference, then store */
        int nref = emit_member_ref(c, t);
        if (nref == 1) cg_emit(c, OP_swap);
        else if (nref == 2) cg_emit(c, OP_rot3l);
        else cg_emit(c, OP_rot4l);
        emit_member_put(c, t);
        break;
    }
    default:
        cg_assign_pattern(c, t, init);
        break;
    }
}

static void default_value(cg_func *c, const jsast_node *target, const jsast_node *def)
{
    int l = cg_new_label(c);
    cg_emit(c, OP_dup);
    cg_emit(c, OP_is_undef);
    cg_jump(c, OP_if_false, l);
    cg_emit(c, OP_drop);
    cg_expr_named(c, def, target->kind == JSAST_IDENT ? target->u.ident.name : NULL);
    cg_label_here(c, l);
}

/* For a property whose target must be resolved between the key and the
 * value (a member expression, or a name with/eval may intercept): keeps the
 * source object in *stmp and the evaluated key in *kt, and adds the key to
 * the rest pattern's exclusion list when there is one. */
static void stash_source_and_key(cg_func *c, const jsast_node *pr, const jsast_node *k,
                                 int has_rest, uint32_t excl, uint32_t *stmp, uint32_t *kt)
{
    *stmp = cg_new_local(c, NULL);
    *kt = cg_new_local(c, NULL);
    cg_emit(c, OP_dup);
    cg_op_u16(c, OP_put_loc, *stmp);
    if (pr->flags & JSAST_F_COMPUTED) {
        cg_expr(c, k);
        cg_emit(c, OP_to_propkey);
    } else {
        cg_op_u32(c, OP_push_const, cg_static_key(c, k));
    }
    cg_op_u16(c, OP_put_loc, *kt);
    if (has_rest) {
        cg_op_u16(c, OP_get_loc, excl);
        cg_op_u16(c, OP_get_loc, *kt);
        cg_emit(c, OP_append);
        cg_emit(c, OP_drop);
    }
}

static void object_pattern(cg_func *c, const jsast_node *p, int init)
{
    cg_emit(c, OP_check_obj_coercible);
    int has_rest = 0;
    for (uint32_t i = 0; i < p->u.list.count; i++)
        if (p->u.list.items[i]->kind == JSAST_REST) has_rest = 1;
    uint32_t excl = 0, ktmp = 0;
    if (has_rest) {
        excl = cg_new_local(c, NULL);
        ktmp = cg_new_local(c, NULL);
        cg_emit(c, OP_array);
        cg_op_u16(c, OP_put_loc, excl);
    }
    for (uint32_t i = 0; i < p->u.list.count; i++) {
        const jsast_node *pr = p->u.list.items[i];
        if (pr->kind == JSAST_REST) {
            const jsast_node *rt = pr->u.arg.arg;
            if (rt->kind == JSAST_MEMBER) {
                uint32_t stmp = cg_new_local(c, NULL);
                cg_emit(c, OP_dup);
                cg_op_u16(c, OP_put_loc, stmp);
                emit_member_ref(c, rt);
                cg_emit(c, OP_object);
                cg_op_u16(c, OP_get_loc, stmp);
                cg_op_u16(c, OP_get_loc, excl);
                cg_emit(c, OP_copy_props_ex);
                emit_member_put(c, rt);
                continue;
            }
            cg_emit(c, OP_object);
            cg_emit(c, OP_over);
            cg_op_u16(c, OP_get_loc, excl);
            cg_emit(c, OP_copy_props_ex);
            assign_target(c, rt, init);
            continue;
        }
        const jsast_node *k = pr->u.prop.key, *v = pr->u.prop.value;
        const jsast_node *target = v, *def = NULL;
        if (v->kind == JSAST_ASSIGN_PATTERN) { target = v->u.binary.left; def = v->u.binary.right; }
        if (target->kind == JSAST_MEMBER) {
            /* key, then the target reference, then the value */
            uint32_t stmp, kt;
            stash_source_and_key(c, pr, k, has_rest, excl, &stmp, &kt);
            emit_member_ref(c, target);
            cg_op_u16(c, OP_get_loc, stmp);
            cg_op_u16(c, OP_get_loc, kt);
            cg_emit(c, OP_get_elem);
            if (def) default_value(c, target, def);
            emit_member_put(c, target);
            continue;
        }
        if (target->kind == JSAST_IDENT && !init && cg_ident_dynamic(c, target)) {
            /* a name a with/eval scope may intercept: key, then ResolveBinding,
             * then the value (KeyedBindingInitialization order) */
            uint32_t stmp, kt;
            stash_source_and_key(c, pr, k, has_rest, excl, &stmp, &kt);
            cg_op_atom(c, OP_resolve_name, target->u.ident.name);
            cg_op_u16(c, OP_get_loc, stmp);
            cg_op_u16(c, OP_get_loc, kt);
            cg_emit(c, OP_get_elem);
            if (def) default_value(c, target, def);
            cg_emit(c, OP_put_ref);
            continue;
        }
        cg_emit(c, OP_dup);
        if (pr->flags & JSAST_F_COMPUTED) {
            cg_expr(c, k);
            cg_emit(c, OP_to_propkey);
            if (has_rest) {
                cg_emit(c, OP_dup);
                cg_op_u16(c, OP_put_loc, ktmp);
            }
            cg_emit(c, OP_get_elem);
            if (has_rest) {
                cg_op_u16(c, OP_get_loc, excl);
                cg_op_u16(c, OP_get_loc, ktmp);
                cg_emit(c, OP_append);
                cg_emit(c, OP_drop);
            }
        } else {
            uint32_t key = cg_static_key(c, k);
            jsv kv = c->bc->consts[key];
            if (jsv_is_string(kv)) {
                cg_emit(c, OP_get_field);
                cg_emit_u32(c, key);
                cg_emit_u32(c, cg_new_ic(c));
            } else {
                cg_op_u32(c, OP_push_const, key);
                cg_emit(c, OP_get_elem);
            }
            if (has_rest) {
                cg_op_u16(c, OP_get_loc, excl);
                cg_op_u32(c, OP_push_const, key);
                cg_emit(c, OP_append);
                cg_emit(c, OP_drop);
            }
        }
        if (def) default_value(c, target, def);
        assign_target(c, target, init);
    }
    cg_emit(c, OP_drop);
}

/* Array destructuring keeps iter/next in locals so the try slots do not get in the way. */
static void array_pattern(cg_func *c, const jsast_node *p, int init)
{
    cg_emit(c, OP_get_iter);
    uint32_t it = cg_new_local(c, NULL), nx = cg_new_local(c, NULL), done = cg_new_local(c, NULL);
    cg_op_u16(c, OP_put_loc, nx);
    cg_op_u16(c, OP_put_loc, it);
    cg_emit(c, OP_false);
    cg_op_u16(c, OP_put_loc, done);
    int lh = cg_new_label(c), lfinal = cg_new_label(c);
    cg_block tb, db;
    cg_push_block(c, &db, BK_DSTR, p);
    db.l_it = it; db.l_nx = nx; db.l_done = done;
    cg_jump(c, OP_try, lh);
    cg_push_block(c, &tb, BK_TRY, p);
#define STEP() do { \
        cg_emit(c, OP_true); cg_op_u16(c, OP_put_loc, done); \
        cg_op_u16(c, OP_get_loc, it); cg_op_u16(c, OP_get_loc, nx); \
        cg_emit(c, OP_iter_step); \
        cg_op_u16(c, OP_put_loc, done); \
        cg_emit(c, OP_nip); cg_emit(c, OP_nip); \
    } while (0)
    for (uint32_t i = 0; i < p->u.list.count; i++) {
        const jsast_node *e = p->u.list.items[i];
        if (!e) {
            int lskip = cg_new_label(c);
            cg_op_u16(c, OP_get_loc, done);
            cg_jump(c, OP_if_true, lskip);
            STEP();
            cg_emit(c, OP_drop);
            cg_label_here(c, lskip);
            continue;
        }
        if (e->kind == JSAST_REST) {
            int lloop = cg_new_label(c), lend = cg_new_label(c), lpop = cg_new_label(c);
            const jsast_node *rt = e->u.arg.arg;
            int nref = rt->kind == JSAST_MEMBER ? emit_member_ref(c, rt) : 0;
            cg_emit(c, OP_array);
            cg_label_here(c, lloop);
            cg_op_u16(c, OP_get_loc, done);
            cg_jump(c, OP_if_true, lend);
            cg_emit(c, OP_true); cg_op_u16(c, OP_put_loc, done);
            cg_op_u16(c, OP_get_loc, it); cg_op_u16(c, OP_get_loc, nx);
            cg_emit(c, OP_iter_step);            /* arr it nx val done */
            cg_emit(c, OP_dup);
            cg_op_u16(c, OP_put_loc, done);
            cg_jump(c, OP_if_true, lpop);
            cg_emit(c, OP_nip); cg_emit(c, OP_nip);   /* arr val */
            cg_emit(c, OP_append);
            cg_jump(c, OP_goto, lloop);
            cg_label_here(c, lpop);
            cg_emit(c, OP_drop); cg_emit(c, OP_drop); cg_emit(c, OP_drop);
            cg_label_here(c, lend);
            if (nref) emit_member_put(c, rt);
            else assign_target(c, rt, init);
            continue;
        }
        const jsast_node *target = e, *def = NULL;
        if (e->kind == JSAST_ASSIGN_PATTERN) { target = e->u.binary.left; def = e->u.binary.right; }
        int lundef = cg_new_label(c), lhave = cg_new_label(c);
        int nref = target->kind == JSAST_MEMBER ? emit_member_ref(c, target) : 0;
        cg_op_u16(c, OP_get_loc, done);
        cg_jump(c, OP_if_true, lundef);
        STEP();
        cg_jump(c, OP_goto, lhave);
        cg_label_here(c, lundef);
        cg_emit(c, OP_undef);
        cg_label_here(c, lhave);
        if (def) default_value(c, target, def);
        if (nref) emit_member_put(c, target);
        else assign_target(c, target, init);
    }
#undef STEP
    cg_pop_block(c, &tb);
    cg_emit(c, OP_end_try);
    cg_pop_block(c, &db);
    {
        int lclosed = cg_new_label(c);
        cg_op_u16(c, OP_get_loc, done);
        cg_jump(c, OP_if_true, lclosed);
        cg_op_u16(c, OP_get_loc, it); cg_op_u16(c, OP_get_loc, nx);
        cg_emit(c, OP_iter_close);
        cg_label_here(c, lclosed);
    }
    cg_jump(c, OP_goto, lfinal);
    cg_label_here(c, lh);
    /* [exc] */
    {
        int lrethrow = cg_new_label(c);
        cg_op_u16(c, OP_get_loc, done);
        cg_jump(c, OP_if_true, lrethrow);
        cg_op_u16(c, OP_get_loc, it); cg_op_u16(c, OP_get_loc, nx);
        cg_emit(c, OP_rot3l);            /* it nx exc */
        cg_emit(c, OP_iter_close_throw);
        cg_label_here(c, lrethrow);
        cg_emit(c, OP_throw);
    }
    cg_label_here(c, lfinal);
}

void cg_assign_pattern(cg_func *c, const jsast_node *t, int init)
{
    if (c->unit->failed) return;
    switch (t->kind) {
    case JSAST_IDENT:
    case JSAST_MEMBER:
        assign_target(c, t, init);
        break;
    case JSAST_ASSIGN_PATTERN:
        default_value(c, t->u.binary.left, t->u.binary.right);
        cg_assign_pattern(c, t->u.binary.left, init);
        break;
    case JSAST_OBJECT_PATTERN:
        object_pattern(c, t, init);
        break;
    case JSAST_ARRAY_PATTERN:
        array_pattern(c, t, init);
        break;
    case JSAST_CALL:
        /* sloppy for-in/of head `f()`: the call runs, then the assignment
         * fails (Runtime Errors for Function Call Assignment Targets) */
        cg_emit(c, OP_drop);
        cg_expr(c, t);
        cg_emit(c, OP_drop);
        cg_op_u32(c, OP_throw_ref, cg_atom_c(c, "Invalid assignment target"));
        break;
    default:
        cg_emit(c, OP_drop);
        cg_op_u32(c, OP_throw_syntax, cg_atom_c(c, "Invalid destructuring assignment target"));
        break;
    }
}

/* ---- generators ---- */

void cg_await(cg_func *c)
{
    cg_emit(c, OP_await);                /* v -> v mode */
    cg_emit(c, OP_resume);
    cg_emit_u32(c, 0);
    cg_adjust(c, 0);
}

void cg_yield(cg_func *c)
{
    if (c->is_async) cg_await(c);
    int lret = cg_new_label(c), lcont = cg_new_label(c);
    cg_emit(c, c->is_async ? OP_async_gen_yield : OP_yield);
    cg_jump(c, OP_resume, lret);
    cg_jump(c, OP_goto, lcont);
    cg_label_here(c, lret);
    if (c->is_async) {
        /* the return value of an async generator resumption is awaited */
    }
    cg_emit_return(c);
    cg_label_here(c, lcont);
}

static void emit_yield_star(cg_func *c, const jsast_node *n)
{
    cg_expr(c, n->u.unary.arg);
    cg_emit(c, c->is_async ? OP_get_async_iter : OP_get_iter);
    cg_emit(c, OP_undef);
    cg_push_i32(c, JSVM_RESUME_NEXT);
    int lloop = cg_new_label(c), lnot0 = cg_new_label(c), lret = cg_new_label(c), lend = cg_new_label(c);
    cg_label_here(c, lloop);
    int lret2 = cg_new_label(c);
    if (c->is_async) {
        cg_op_u8(c, OP_async_yield_star_step, 0);   /* it next res k (2: return recv now) */
        cg_emit(c, OP_dup);
        cg_push_i32(c, 2);
        cg_emit(c, OP_seq);
        cg_jump(c, OP_if_true, lret2);
        cg_emit(c, OP_swap);
        cg_await(c);
        cg_emit(c, OP_swap);
        cg_op_u8(c, OP_async_yield_star_step, 1);   /* it next value kind */
    } else {
        cg_op_u8(c, OP_yield_star_step, 0);
    }
    cg_emit(c, OP_dup);
    cg_push_i32(c, 0);
    cg_emit(c, OP_seq);
    cg_jump(c, OP_if_false, lnot0);
    cg_emit(c, OP_drop);
    if (c->is_async) {
        /* yield the inner value; resumption gives recv mode. A return
         * resumption awaits its value first (AsyncGeneratorUnwrapYieldResumption);
         * a rejection becomes a throw resumption. */
        int lplain = cg_new_label(c), lcaught = cg_new_label(c);
        cg_emit(c, OP_async_gen_yield);
        cg_emit(c, OP_dup);
        cg_push_i32(c, JSVM_RESUME_RETURN);
        cg_emit(c, OP_seq);
        cg_jump(c, OP_if_false, lplain);
        cg_emit(c, OP_drop);                         /* it next recv */
        uint32_t tmp = cg_new_local(c, NULL);
        cg_op_u16(c, OP_put_loc, tmp);               /* it next */
        cg_jump(c, OP_try, lcaught);
        cg_op_u16(c, OP_get_loc, tmp);
        cg_await(c);
        cg_op_u16(c, OP_put_loc, tmp);
        cg_emit(c, OP_end_try);
        cg_op_u16(c, OP_get_loc, tmp);
        cg_push_i32(c, JSVM_RESUME_RETURN);
        cg_jump(c, OP_goto, lloop);
        cg_label_here(c, lcaught);                   /* it next exc */
        cg_push_i32(c, JSVM_RESUME_THROW);
        cg_jump(c, OP_goto, lloop);
        cg_label_here(c, lplain);
    } else {
        cg_emit(c, OP_yield_star_res);
    }
    cg_jump(c, OP_goto, lloop);
    cg_label_here(c, lnot0);
    /* it next value kind */
    cg_push_i32(c, 1);
    cg_emit(c, OP_seq);
    cg_jump(c, OP_if_false, lret);
    cg_emit(c, OP_nip);
    cg_emit(c, OP_nip);
    cg_jump(c, OP_goto, lend);
    cg_label_here(c, lret);
    cg_emit(c, OP_nip);
    cg_emit(c, OP_nip);
    c->no_await_return++;
    cg_emit_return(c);
    c->no_await_return--;
    if (c->is_async) {
        cg_label_here(c, lret2);
        cg_emit(c, OP_drop);
        cg_emit(c, OP_nip);
        cg_emit(c, OP_nip);
        cg_emit_return(c);
    }
    cg_label_here(c, lend);
}

/* ---- calls ---- */

static void emit_args(cg_func *c, const jsast_list *args, int *spread_out)
{
    if (has_spread(args)) {
        cg_emit(c, OP_array);
        for (uint32_t i = 0; i < args->count; i++) {
            const jsast_node *a = args->items[i];
            if (a->kind == JSAST_SPREAD) {
                cg_expr(c, a->u.arg.arg);
                cg_emit(c, OP_append_spread);
            } else {
                cg_expr(c, a);
                cg_emit(c, OP_append);
            }
        }
        *spread_out = 1;
        return;
    }
    for (uint32_t i = 0; i < args->count; i++) cg_expr(c, args->items[i]);
    *spread_out = 0;
}

/* A decorator's value and the this value of its reference (the Receiver the
 * proposal calls it with): `@a.b` and `@a.#b` call with a, `@x` with
 * undefined (or its with-object), anything else with undefined. */
void cg_value_and_this(cg_func *c, const jsast_node *e)
{
    if (e->kind == JSAST_MEMBER && e->u.member.object->kind != JSAST_SUPER && !(e->flags & JSAST_F_OPTIONAL)) {
        int nref = emit_member_ref(c, e);
        const jsast_node *prop = e->u.member.property;
        if (prop->kind == JSAST_PRIVATE_NAME) {
            cg_emit(c, OP_over);
            cg_emit(c, OP_swap);
            cg_emit(c, OP_get_private);
        } else if (nref == 2) {
            cg_emit(c, OP_get_elem_m);
        } else {
            cg_op_atom(c, OP_get_field2, prop->u.ident.name);
        }
        cg_emit(c, OP_swap);
    } else if (e->kind == JSAST_IDENT) {
        cg_get_name_ref(c, e);
    } else {
        cg_expr(c, e);
        cg_emit(c, OP_undef);
    }
}

static void emit_call(cg_func *c, const jsast_node *n, int tail)
{
    const jsast_node *callee = n->u.call.callee;
    int spread, argc = (int)n->u.call.args.count;
    if (callee->kind == JSAST_SUPER) {
        emit_args(c, &n->u.call.args, &spread);
        cg_pos(c, n);
        if (spread) cg_emit(c, OP_super_call_spread);
        else { cg_op_u16(c, OP_super_call, argc); cg_adjust(c, -argc); }
        return;
    }
    int is_eval = 0;
    const jsast_node *ce = callee;
    while (ce->kind == JSAST_MEMBER && 0) ce = ce->u.member.object;
    if (callee->kind == JSAST_MEMBER && !(callee->flags & JSAST_F_PAREN && 0)) {
        int nref = emit_member_ref(c, callee);
        const jsast_node *prop = callee->u.member.property;
        if (callee->u.member.object->kind == JSAST_SUPER) {
            cg_emit(c, OP_get_super);
            cg_emit(c, OP_push_this);
        } else if (prop->kind == JSAST_PRIVATE_NAME) {
            /* obj sym -> fn obj */
            cg_emit(c, OP_over);          /* obj sym obj */
            cg_emit(c, OP_swap);          /* obj obj sym */
            cg_emit(c, OP_get_private);   /* obj fn */
            cg_emit(c, OP_swap);
        } else if (nref == 2) {
            cg_emit(c, OP_get_elem_m);    /* obj fn */
            cg_emit(c, OP_swap);
        } else {
            cg_op_atom(c, OP_get_field2, prop->u.ident.name);
            cg_emit(c, OP_swap);
        }
    } else if (callee->kind == JSAST_IDENT) {
        is_eval = (n->flags & JSAST_F_DIRECT_EVAL) != 0;
        cg_get_name_ref(c, callee);
    } else if (callee->kind == JSAST_CHAIN && callee->u.arg.arg->kind == JSAST_MEMBER &&
               callee->u.arg.arg->u.member.object->kind != JSAST_SUPER &&
               callee->u.arg.arg->u.member.property->kind != JSAST_PRIVATE_NAME) {
        /* (a?.b)(): the reference keeps its this value */
        const jsast_node *m = callee->u.arg.arg;
        int saved = c->chain_label, sd = c->chain_depth;
        int ldone = cg_new_label(c);
        c->chain_label = cg_new_label(c);
        c->chain_depth = c->depth;
        int nref = emit_member_ref(c, m);
        if (nref == 2) cg_emit(c, OP_get_elem_m);
        else cg_op_atom(c, OP_get_field2, m->u.member.property->u.ident.name);
        cg_emit(c, OP_swap);
        cg_jump(c, OP_goto, ldone);
        cg_label_here(c, c->chain_label);
        cg_emit(c, OP_undef);
        cg_label_here(c, ldone);
        c->chain_label = saved;
        c->chain_depth = sd;
    } else {
        cg_expr(c, callee);
        cg_emit(c, OP_undef);
    }
    if (n->flags & JSAST_F_OPTIONAL) {
        /* f?.(): test the function */
        int lok = cg_new_label(c);
        cg_emit(c, OP_over);
        cg_emit(c, OP_is_nullish);
        cg_jump(c, OP_if_false, lok);
        while (c->depth > c->chain_depth) cg_emit(c, OP_drop);
        cg_emit(c, OP_undef);
        cg_jump(c, OP_goto, c->chain_label);
        cg_label_here(c, lok);
    }
    emit_args(c, &n->u.call.args, &spread);
    cg_pos(c, n);
    if (spread) {
        cg_emit(c, is_eval ? OP_eval_spread :
                   (tail && !(n->flags & (JSAST_F_OPTIONAL | JSAST_F_IN_CHAIN))) ? OP_tail_call_spread : OP_call_spread);
    } else {
        /* a tail call never reaches the `return` after it when the callee
         * can take over this frame; otherwise it is an ordinary call */
        if (tail && !(n->flags & (JSAST_F_OPTIONAL | JSAST_F_IN_CHAIN)))
            cg_op_u16(c, is_eval ? OP_tail_eval : OP_tail_call, argc);
        else
            cg_op_u16(c, is_eval ? OP_eval : OP_call, argc);
        cg_adjust(c, -(argc + 2));
    }
}

static void emit_new(cg_func *c, const jsast_node *n)
{
    int spread, argc = (int)n->u.call.args.count;
    cg_expr(c, n->u.call.callee);
    cg_emit(c, OP_dup);
    emit_args(c, &n->u.call.args, &spread);
    cg_pos(c, n);
    if (spread) cg_emit(c, OP_new_spread);
    else { cg_op_u16(c, OP_new, argc); cg_adjust(c, -(argc + 2)); }
}

static void emit_tagged(cg_func *c, const jsast_node *n, int tail)
{
    const jsast_node *tag = n->u.tagged.tag, *q = n->u.tagged.quasi;
    if (tag->kind == JSAST_MEMBER) {
        int nref = emit_member_ref(c, tag);
        const jsast_node *prop = tag->u.member.property;
        if (tag->u.member.object->kind == JSAST_SUPER) { cg_emit(c, OP_get_super); cg_emit(c, OP_push_this); }
        else if (prop->kind == JSAST_PRIVATE_NAME) { cg_emit(c, OP_over); cg_emit(c, OP_swap); cg_emit(c, OP_get_private); cg_emit(c, OP_swap); }
        else if (nref == 2) { cg_emit(c, OP_get_elem_m); cg_emit(c, OP_swap); }
        else { cg_op_atom(c, OP_get_field2, prop->u.ident.name); cg_emit(c, OP_swap); }
    } else if (tag->kind == JSAST_IDENT) {
        cg_get_name_ref(c, tag);
    } else {
        cg_expr(c, tag);
        cg_emit(c, OP_undef);
    }
    emit_template_site(c, q);
    for (uint32_t i = 0; i < q->u.tmpl.exprs.count; i++) cg_expr(c, q->u.tmpl.exprs.items[i]);
    int argc = 1 + (int)q->u.tmpl.exprs.count;
    cg_pos(c, n);
    cg_op_u16(c, tail ? OP_tail_call : OP_call, argc);
    cg_adjust(c, -(argc + 2));
}

static void emit_delete(cg_func *c, const jsast_node *a)
{
    while (a->kind == JSAST_CHAIN && 0) a = a->u.arg.arg;
    if (a->kind == JSAST_IDENT) { cg_delete_binding(c, a); return; }
    if (a->kind == JSAST_CHAIN) {
        int saved = c->chain_label, sd = c->chain_depth;
        c->chain_label = cg_new_label(c);
        c->chain_depth = c->depth;
        const jsast_node *m = a->u.arg.arg;
        if (m->kind == JSAST_MEMBER) {
            emit_member_ref(c, m);
            if (!(m->flags & JSAST_F_COMPUTED)) cg_op_u32(c, OP_push_const, cg_static_key(c, m->u.member.property));
            cg_emit(c, OP_delete_elem);
        } else {
            cg_expr(c, m);
            cg_emit(c, OP_drop);
            cg_emit(c, OP_true);
        }
        int lend = cg_new_label(c);
        cg_jump(c, OP_goto, lend);
        cg_label_here(c, c->chain_label);
        /* short-circuited: undefined -> true */
        cg_emit(c, OP_drop);
        cg_emit(c, OP_true);
        cg_label_here(c, lend);
        c->chain_label = saved;
        c->chain_depth = sd;
        return;
    }
    if (a->kind == JSAST_MEMBER) {
        if (a->u.member.object->kind == JSAST_SUPER) {
            cg_emit(c, OP_push_this);
            cg_emit(c, OP_drop);
            if (a->flags & JSAST_F_COMPUTED) { cg_expr(c, a->u.member.property); cg_emit(c, OP_drop); }
            cg_op_u32(c, OP_throw_ref, cg_atom_c(c, "Unsupported reference to 'super'"));
            cg_emit(c, OP_undef);
            return;
        }
        cg_expr(c, a->u.member.object);
        if (a->flags & JSAST_F_COMPUTED) cg_expr(c, a->u.member.property);
        else cg_op_u32(c, OP_push_const, cg_static_key(c, a->u.member.property));
        cg_emit(c, OP_delete_elem);
        return;
    }
    cg_expr(c, a);
    cg_emit(c, OP_drop);
    cg_emit(c, OP_true);
}

/* Conditional jump on an expression's truth value. */
void cg_cond_jump(cg_func *c, const jsast_node *n, int jump_if_true, int label)
{
    if (n->kind == JSAST_UNARY && n->u.unary.op == JSAST_OP_NOT) {
        cg_cond_jump(c, n->u.unary.arg, !jump_if_true, label);
        return;
    }
    if (n->kind == JSAST_LOGICAL && n->u.binary.op != JSAST_OP_NULLISH) {
        int is_and = n->u.binary.op == JSAST_OP_AND;
        if (is_and != jump_if_true) {
            /* and + jump if false / or + jump if true: either side decides */
            cg_cond_jump(c, n->u.binary.left, jump_if_true, label);
            cg_cond_jump(c, n->u.binary.right, jump_if_true, label);
        } else {
            int skip = cg_new_label(c);
            cg_cond_jump(c, n->u.binary.left, !jump_if_true, skip);
            cg_cond_jump(c, n->u.binary.right, jump_if_true, label);
            cg_label_here(c, skip);
        }
        return;
    }
    cg_expr(c, n);
    cg_jump(c, jump_if_true ? OP_if_true : OP_if_false, label);
}

void cg_expr(cg_func *c, const jsast_node *n)
{
    if (c->unit->failed) return;
    if (jsvm_check_stack(c->unit->t) < 0) { c->unit->failed = 1; return; }
    js_thread *t = c->unit->t;
    /* tail position passes only to the operands whose value is the result */
    int tail = c->tail == n;
    c->tail = NULL;
    switch (n->kind) {
    case JSAST_IDENT:
        cg_get_binding(c, n);
        break;
    case JSAST_NULL: cg_emit(c, OP_null); break;
    case JSAST_TRUE: cg_emit(c, OP_true); break;
    case JSAST_FALSE: cg_emit(c, OP_false); break;
    case JSAST_NUMBER: cg_push_number(c, n->u.num.value); break;
    case JSAST_STRING: cg_push_str(c, n->u.str.value); break;
    case JSAST_BIGINT: {
        js_bigint *b = jsbig_from_literal(t, n->u.bigint.text, n->u.bigint.len);
        if (!b) { c->unit->failed = 1; return; }
        cg_op_u32(c, OP_push_const, cg_const(c, jsv_bigint(b)));
        break;
    }
    case JSAST_REGEXP: {
        const jsast_str *p = n->u.regexp.pattern;
        js_string *ps = jsstr_new_utf16(t, p->chars, p->len);
        js_string *fs = ps ? jsstr_new_cstr(t, n->u.regexp.flags) : NULL;
        if (!fs) { c->unit->failed = 1; return; }
        uint32_t idx = cg_const(c, jsv_string(ps));
        cg_const(c, jsv_string(fs));
        cg_pos(c, n);
        cg_op_u32(c, OP_regexp, idx);
        break;
    }
    case JSAST_TEMPLATE: emit_template(c, n); break;
    case JSAST_TAGGED_TEMPLATE: emit_tagged(c, n, tail); break;
    case JSAST_THIS: cg_pos(c, n); cg_emit(c, OP_push_this); break;
    case JSAST_ARRAY: emit_array(c, n); break;
    case JSAST_OBJECT: emit_object(c, n); break;
    case JSAST_FUNC_EXPR:
    case JSAST_ARROW:
        cg_emit_closure(c, n->u.func.fn, NULL);
        break;
    case JSAST_CLASS_EXPR:
        cg_class(c, n->u.cls.cls, NULL);
        break;
    case JSAST_UNARY: {
        int op = n->u.unary.op;
        const jsast_node *a = n->u.unary.arg;
        if (op == JSAST_OP_TYPEOF && a->kind == JSAST_IDENT) { cg_typeof_binding(c, a); break; }
        if (op == JSAST_OP_DELETE) { emit_delete(c, a); break; }
        cg_expr(c, a);
        cg_pos(c, n);
        switch (op) {
        case JSAST_OP_NEG: cg_emit(c, OP_neg); break;
        case JSAST_OP_PLUS: cg_emit(c, OP_plus); break;
        case JSAST_OP_NOT: cg_emit(c, OP_not); break;
        case JSAST_OP_BITNOT: cg_emit(c, OP_bnot); break;
        case JSAST_OP_TYPEOF: cg_emit(c, OP_typeof); break;
        case JSAST_OP_VOID: cg_emit(c, OP_drop); cg_emit(c, OP_undef); break;
        default: break;
        }
        break;
    }
    case JSAST_UPDATE:
        cg_pos(c, n);
        emit_update(c, n);
        break;
    case JSAST_BINARY: {
        const jsast_node *l = n->u.binary.left;
        if (n->u.binary.op == JSAST_OP_IN && l->kind == JSAST_PRIVATE_NAME) {
            emit_private_sym(c, l);
            cg_expr(c, n->u.binary.right);
            cg_emit(c, OP_private_in);
            break;
        }
        cg_expr(c, l);
        cg_expr(c, n->u.binary.right);
        cg_pos(c, n);
        cg_emit(c, binop_for(n->u.binary.op));
        break;
    }
    case JSAST_LOGICAL: {
        int lend = cg_new_label(c);
        cg_expr(c, n->u.binary.left);
        logical_skip(c, n->u.binary.op, lend);
        cg_emit(c, OP_drop);
        if (tail) c->tail = n->u.binary.right;
        cg_expr(c, n->u.binary.right);
        cg_label_here(c, lend);
        break;
    }
    case JSAST_ASSIGN:
        cg_pos(c, n);
        emit_assign(c, n);
        break;
    case JSAST_CONDITIONAL: {
        int lelse = cg_new_label(c), lend = cg_new_label(c);
        cg_cond_jump(c, n->u.cond.test, 0, lelse);
        if (tail) c->tail = n->u.cond.cons;
        cg_expr(c, n->u.cond.cons);
        cg_jump(c, OP_goto, lend);
        cg_label_here(c, lelse);
        if (tail) c->tail = n->u.cond.alt;
        cg_expr(c, n->u.cond.alt);
        cg_label_here(c, lend);
        break;
    }
    case JSAST_CALL: emit_call(c, n, tail); break;
    case JSAST_NEW: emit_new(c, n); break;
    case JSAST_MEMBER:
        emit_member_ref(c, n);
        cg_pos(c, n);
        emit_member_get(c, n);
        break;
    case JSAST_CHAIN: {
        int saved = c->chain_label, sd = c->chain_depth;
        c->chain_label = cg_new_label(c);
        c->chain_depth = c->depth;
        cg_expr(c, n->u.arg.arg);
        cg_label_here(c, c->chain_label);
        c->chain_label = saved;
        c->chain_depth = sd;
        break;
    }
    case JSAST_SEQUENCE:
        for (uint32_t i = 0; i < n->u.list.count; i++) {
            if (tail && i + 1 == n->u.list.count) c->tail = n->u.list.items[i];
            cg_expr(c, n->u.list.items[i]);
            if (i + 1 < n->u.list.count) cg_emit(c, OP_drop);
        }
        break;
    case JSAST_YIELD:
        cg_pos(c, n);
        if (n->flags & JSAST_F_DELEGATE) { emit_yield_star(c, n); break; }
        if (n->u.unary.arg) cg_expr(c, n->u.unary.arg);
        else cg_emit(c, OP_undef);
        cg_yield(c);
        break;
    case JSAST_AWAIT:
        cg_expr(c, n->u.unary.arg);
        cg_pos(c, n);
        cg_await(c);
        break;
    case JSAST_NEW_TARGET: cg_emit(c, OP_new_target); break;
    case JSAST_IMPORT_META: cg_emit(c, OP_import_meta); break;
    case JSAST_IMPORT_CALL:
        cg_expr(c, n->u.import_call.source);
        if (n->u.import_call.options) cg_expr(c, n->u.import_call.options);
        else cg_emit(c, OP_undef);
        if (n->flags & (JSAST_F_IMPORT_DEFER | JSAST_F_IMPORT_SOURCE))
            cg_op_u8(c, OP_dyn_import_phase, (n->flags & JSAST_F_IMPORT_SOURCE) ? 2 : 1);
        else
            cg_emit(c, OP_dyn_import);
        break;
    case JSAST_SUPER:
        cg_syntax_error(c, n, "'super' keyword unexpected here");
        break;
    default:
        cg_syntax_error(c, n, "unsupported expression");
        break;
    }
}
