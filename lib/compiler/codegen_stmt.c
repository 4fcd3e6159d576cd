/*
 * codegen_stmt.c - bytecode for statements: blocks and scopes, declarations,
 * control flow (if/loops/switch/labels/break/continue), try/catch/finally with
 * finally blocks as subroutines, for-in/of with iterator closing, completion
 * values of script and eval code. Must not modify the AST.
 */
#include <string.h>
#include "codegen.h"

static int tracking(cg_func *c) { return c->completion >= 0 && !c->completion_off; }

static void reset_completion(cg_func *c)
{
    if (!tracking(c)) return;
    cg_emit(c, OP_undef);
    cg_op_u16(c, OP_put_loc, (uint32_t)c->completion);
}

void cg_stmts(cg_func *c, const jsast_list *l)
{
    for (uint32_t i = 0; i < l->count && !c->unit->failed; i++) cg_stmt(c, l->items[i]);
}

/* 0: no using declarations, 1: using only, 2: some await using */
int cg_list_has_using(const jsast_list *l)
{
    int r = 0;
    for (uint32_t i = 0; i < l->count; i++) {
        const jsast_node *n = l->items[i];
        if (n && n->kind == JSAST_VAR_DECL && n->u.var.kind == JSAST_VAR_USING && !r) r = 1;
        if (n && n->kind == JSAST_VAR_DECL && n->u.var.kind == JSAST_VAR_AWAIT_USING) r = 2;
    }
    return r;
}

/* DisposeResources with awaits: resources from the list in local d, the
 * completion (empty or the thrown value) in local cl; throws the final error. */
void cg_using_dispose_async(cg_func *c, uint32_t d, uint32_t cl)
{
    uint32_t lv = cg_new_local(c, NULL), lm = cg_new_local(c, NULL), la = cg_new_local(c, NULL);
    int lloop = cg_new_label(c), ldone = cg_new_label(c), lerr = cg_new_label(c), lsync = cg_new_label(c);
    int lok = cg_new_label(c), lnocall = cg_new_label(c), lcalled = cg_new_label(c);
    cg_label_here(c, lloop);
    cg_op_u16(c, OP_get_loc, d);
    cg_emit(c, OP_using_next);               /* v m a */
    cg_emit(c, OP_over);
    cg_emit(c, OP_is_empty);
    cg_jump(c, OP_if_true, ldone);
    cg_op_u16(c, OP_put_loc, la);
    cg_op_u16(c, OP_put_loc, lm);
    cg_op_u16(c, OP_put_loc, lv);
    cg_jump(c, OP_try, lerr);
    cg_op_u16(c, OP_get_loc, lm);
    cg_emit(c, OP_dup);
    cg_emit(c, OP_is_nullish);
    cg_jump(c, OP_if_true, lnocall);
    cg_op_u16(c, OP_get_loc, lv);
    cg_op_u16(c, OP_call, 0);
    cg_adjust(c, -2);
    cg_jump(c, OP_goto, lcalled);
    cg_label_here(c, lnocall);
    cg_emit(c, OP_drop);
    cg_emit(c, OP_undef);
    cg_label_here(c, lcalled);
    cg_op_u16(c, OP_get_loc, la);
    cg_jump(c, OP_if_false, lsync);
    cg_await(c);
    cg_label_here(c, lsync);
    cg_emit(c, OP_drop);
    cg_emit(c, OP_end_try);
    cg_jump(c, OP_goto, lloop);
    cg_label_here(c, lerr);
    /* [e] */
    cg_op_u16(c, OP_get_loc, cl);
    cg_emit(c, OP_swap);
    cg_emit(c, OP_using_merge);
    cg_op_u16(c, OP_put_loc, cl);
    cg_jump(c, OP_goto, lloop);
    cg_label_here(c, ldone);
    cg_emit(c, OP_drop);
    cg_emit(c, OP_drop);
    cg_emit(c, OP_drop);
    cg_op_u16(c, OP_get_loc, cl);
    cg_emit(c, OP_is_empty);
    cg_jump(c, OP_if_true, lok);
    cg_op_u16(c, OP_get_loc, cl);
    cg_emit(c, OP_throw);
    cg_label_here(c, lok);
}

/* A region whose `using` resources are disposed on every way out. Returns the
 * previous using_local to restore. */
int cg_using_begin(cg_func *c, cg_block *ub, cg_block *tb, int *lh, int is_async)
{
    int saved = c->using_local;
    uint32_t d = cg_new_local(c, NULL);
    cg_emit(c, OP_array);
    cg_op_u16(c, OP_put_loc, d);
    cg_push_block(c, ub, BK_USING, NULL);
    ub->nvals = (int)d;
    ub->is_async = is_async;
    *lh = cg_new_label(c);
    cg_jump(c, OP_try, *lh);
    cg_push_block(c, tb, BK_TRY, NULL);
    c->using_local = (int)d;
    return saved;
}

void cg_using_end(cg_func *c, cg_block *ub, cg_block *tb, int lh, int saved)
{
    uint32_t d = (uint32_t)ub->nvals;
    int lend = cg_new_label(c);
    cg_pop_block(c, tb);
    cg_emit(c, OP_end_try);
    cg_pop_block(c, ub);
    if (ub->is_async) {
        uint32_t cl = cg_new_local(c, NULL);
        int ldisp = cg_new_label(c);
        cg_emit(c, OP_empty);
        cg_op_u16(c, OP_put_loc, cl);
        cg_jump(c, OP_goto, ldisp);
        cg_label_here(c, lh);
        cg_op_u16(c, OP_put_loc, cl);
        cg_label_here(c, ldisp);
        cg_using_dispose_async(c, d, cl);
        c->using_local = saved;
        (void)lend;
        return;
    }
    cg_op_u16(c, OP_get_loc, d);
    cg_emit(c, OP_empty);
    cg_emit(c, OP_using_dispose);
    cg_jump(c, OP_goto, lend);
    cg_label_here(c, lh);
    /* [exc] */
    cg_op_u16(c, OP_get_loc, d);
    cg_emit(c, OP_swap);
    cg_emit(c, OP_using_dispose);
    cg_emit(c, OP_undef);
    cg_emit(c, OP_throw);
    cg_label_here(c, lend);
    c->using_local = saved;
}

void cg_stmts_scoped(cg_func *c, const jsast_list *l)
{
    int kind = cg_list_has_using(l);
    if (!kind) { cg_stmts(c, l); return; }
    cg_block ub, tb;
    int lh;
    int saved = cg_using_begin(c, &ub, &tb, &lh, kind == 2);
    cg_stmts(c, l);
    cg_using_end(c, &ub, &tb, lh, saved);
}

static void enter_block_scope(cg_func *c, jsast_scope *s, cg_block *blk)
{
    if (!s) return;
    cg_enter_scope(c, s, 0);
    if (s->user & SC_ENV_LIVE) cg_push_block(c, blk, BK_SCOPE, NULL);
    else blk->kind = -1;
    cg_instantiate_funcs(c, s);
}

static void leave_block_scope(cg_func *c, jsast_scope *s, cg_block *blk)
{
    if (!s) return;
    if (blk->kind == BK_SCOPE) cg_pop_block(c, blk);
    cg_leave_scope(c, s);
}

/* Loops: a marker block for break/continue, value blocks inside it. */
static cg_block *loop_marker(cg_func *c, cg_block *b, const jsast_node *n)
{
    cg_push_block(c, b, BK_LOOP, n);
    b->break_label = cg_new_label(c);
    b->cont_label = cg_new_label(c);
    b->cont_at = b;
    return b;
}

static void var_decl(cg_func *c, const jsast_node *n)
{
    int lexical = n->u.var.kind != JSAST_VAR_VAR;
    for (uint32_t i = 0; i < n->u.var.decls.count; i++) {
        const jsast_node *d = n->u.var.decls.items[i];
        const jsast_node *id = d->u.decl.id;
        cg_pos(c, d);
        if (d->u.decl.init && !lexical && id->kind == JSAST_IDENT && cg_ident_dynamic(c, id)) {
            /* var x = v inside with/eval scopes: the reference is resolved first */
            cg_op_atom(c, OP_resolve_name, id->u.ident.name);
            cg_expr_named(c, d->u.decl.init, id->u.ident.name);
            cg_emit(c, OP_put_ref);
            continue;
        }
        if (d->u.decl.init) {
            cg_expr_named(c, d->u.decl.init, id->kind == JSAST_IDENT ? id->u.ident.name : NULL);
            if ((n->u.var.kind == JSAST_VAR_USING || n->u.var.kind == JSAST_VAR_AWAIT_USING) && c->using_local >= 0) {
                cg_op_u16(c, OP_get_loc, (uint32_t)c->using_local);
                cg_emit(c, OP_swap);
                cg_op_u8(c, OP_using_add, n->u.var.kind == JSAST_VAR_AWAIT_USING);
            }
            cg_assign_pattern(c, id, lexical);
        } else if (lexical) {
            cg_emit(c, OP_undef);
            cg_assign_pattern(c, id, 1);
        }
    }
}

static void stmt_try(cg_func *c, const jsast_node *n)
{
    const jsast_node *blk = n->u.try_.block, *h = n->u.try_.handler, *fin = n->u.try_.finalizer;
    reset_completion(c);
    cg_block fb, tb, tb2, ib;
    int lfin = -1, lexc_fin = -1, lend = cg_new_label(c);
    if (fin) {
        lfin = cg_new_label(c);
        lexc_fin = cg_new_label(c);
        cg_push_block(c, &fb, BK_FINALLY, n);
        fb.finally_label = lfin;
        cg_jump(c, OP_try, lexc_fin);
        cg_push_block(c, &tb, BK_TRY, n);
    }
    if (h) {
        int lcatch = cg_new_label(c), lafter = cg_new_label(c);
        cg_jump(c, OP_try, lcatch);
        cg_push_block(c, &tb2, BK_TRY, n);
        cg_stmt(c, blk);
        cg_pop_block(c, &tb2);
        cg_emit(c, OP_end_try);
        cg_jump(c, OP_goto, lafter);
        cg_label_here(c, lcatch);
        /* [exc] */
        jsast_scope *cs = h->u.catch_.scope;
        cg_block sb;
        sb.kind = -1;
        if (cs) {
            cg_enter_scope(c, cs, 0);
            if (cs->user & SC_ENV_LIVE) cg_push_block(c, &sb, BK_SCOPE, NULL);
        }
        if (h->u.catch_.param) cg_assign_pattern(c, h->u.catch_.param, 1);
        else cg_emit(c, OP_drop);
        if (cs) cg_instantiate_funcs(c, cs);
        cg_stmt(c, h->u.catch_.body);
        if (cs) {
            if (sb.kind == BK_SCOPE) cg_pop_block(c, &sb);
            cg_leave_scope(c, cs);
        }
        cg_label_here(c, lafter);
    } else {
        cg_stmt(c, blk);
    }
    if (fin) {
        cg_pop_block(c, &tb);
        cg_emit(c, OP_end_try);
        cg_pop_block(c, &fb);
        cg_jump(c, OP_gosub, lfin);
        cg_jump(c, OP_goto, lend);
        cg_label_here(c, lexc_fin);
        /* [exc]: kept in a local so that both ways into the finally block
         * have the same stack depth (break/continue inside it unwind by depth) */
        {
            uint32_t etmp = cg_new_local(c, NULL);
            cg_op_u16(c, OP_put_loc, etmp);
            cg_jump(c, OP_gosub, lfin);
            cg_op_u16(c, OP_get_loc, etmp);
            cg_emit(c, OP_throw);
        }
        cg_label_here(c, lfin);
        /* [ret] */
        cg_push_block(c, &ib, BK_IN_FINALLY, n);
        /* a finally block that completes normally keeps the try's completion value;
         * one left by break/continue gives its own */
        int saved_cv = -1;
        if (tracking(c)) {
            saved_cv = (int)cg_new_local(c, NULL);
            cg_op_u16(c, OP_get_loc, (uint32_t)c->completion);
            cg_op_u16(c, OP_put_loc, (uint32_t)saved_cv);
            reset_completion(c);
        }
        cg_stmt(c, fin);
        if (saved_cv >= 0) {
            cg_op_u16(c, OP_get_loc, (uint32_t)saved_cv);
            cg_op_u16(c, OP_put_loc, (uint32_t)c->completion);
        }
        cg_pop_block(c, &ib);
        cg_emit(c, OP_ret);
        c->depth = -1000000;
    }
    cg_label_here(c, lend);
}

static void stmt_switch(cg_func *c, const jsast_node *n)
{
    reset_completion(c);
    cg_expr(c, n->u.switch_.disc);
    cg_block mk, vb, sb;
    cg_push_block(c, &mk, BK_LABEL, n);
    mk.depth = c->depth - 1;
    mk.break_label = cg_new_label(c);
    cg_push_block(c, &vb, BK_SWITCH, n);
    sb.kind = -1;
    enter_block_scope(c, n->u.switch_.scope, &sb);
    uint32_t nc = n->u.switch_.cases.count;
    int labels[nc ? nc : 1];
    int ldefault = -1;
    for (uint32_t i = 0; i < nc; i++) {
        const jsast_node *cs = n->u.switch_.cases.items[i];
        labels[i] = cg_new_label(c);
        if (!cs->u.case_.test) { ldefault = labels[i]; continue; }
        cg_emit(c, OP_dup);
        cg_expr(c, cs->u.case_.test);
        cg_emit(c, OP_seq);
        cg_jump(c, OP_if_true, labels[i]);
    }
    int lend = cg_new_label(c);
    cg_jump(c, OP_goto, ldefault >= 0 ? ldefault : lend);
    for (uint32_t i = 0; i < nc; i++) {
        const jsast_node *cs = n->u.switch_.cases.items[i];
        cg_label_here(c, labels[i]);
        cg_stmts(c, &cs->u.case_.body);
    }
    cg_label_here(c, lend);
    leave_block_scope(c, n->u.switch_.scope, &sb);
    cg_pop_block(c, &vb);
    cg_emit(c, OP_drop);
    cg_pop_block(c, &mk);
    cg_label_here(c, mk.break_label);
}

static void stmt_for(cg_func *c, const jsast_node *n)
{
    reset_completion(c);
    jsast_scope *s = n->u.loop.scope;
    cg_block sb;
    sb.kind = -1;
    if (s) {
        cg_enter_scope(c, s, 0);
        if (s->user & SC_ENV_LIVE) cg_push_block(c, &sb, BK_SCOPE, NULL);
    }
    const jsast_node *init = n->u.loop.init;
    cg_block fub, ftb;
    int flh = -1, fsaved = 0;
    int for_using = init && init->kind == JSAST_VAR_DECL &&
                    (init->u.var.kind == JSAST_VAR_USING || init->u.var.kind == JSAST_VAR_AWAIT_USING);
    if (for_using) fsaved = cg_using_begin(c, &fub, &ftb, &flh, init->u.var.kind == JSAST_VAR_AWAIT_USING);
    if (init) {
        if (init->kind == JSAST_VAR_DECL) var_decl(c, init);
        else cg_expr_drop(c, init);
    }
    int per_iter = s && (s->user & SC_ENV_LIVE);
    if (per_iter) cg_emit(c, OP_copy_scope);
    cg_block lb;
    loop_marker(c, &lb, n);
    int ltest = cg_new_label(c);
    cg_label_here(c, ltest);
    if (n->u.loop.test) cg_cond_jump(c, n->u.loop.test, 0, lb.break_label);
    cg_stmt(c, n->u.loop.body);
    cg_label_here(c, lb.cont_label);
    if (per_iter) cg_emit(c, OP_copy_scope);
    if (n->u.loop.update) cg_expr_drop(c, n->u.loop.update);
    cg_jump(c, OP_goto, ltest);
    cg_pop_block(c, &lb);
    cg_label_here(c, lb.break_label);
    if (for_using) cg_using_end(c, &fub, &ftb, flh, fsaved);
    if (s) {
        if (sb.kind == BK_SCOPE) cg_pop_block(c, &sb);
        cg_leave_scope(c, s);
    }
}

/* Left side of for-in/of: declaration or assignment target; value on the stack. */
static void forin_assign(cg_func *c, const jsast_node *left)
{
    if (left->kind == JSAST_VAR_DECL) {
        const jsast_node *d = left->u.var.decls.items[0];
        cg_assign_pattern(c, d->u.decl.id, left->u.var.kind != JSAST_VAR_VAR);
    } else {
        cg_assign_pattern(c, left, 0);
    }
}

static void stmt_forin(cg_func *c, const jsast_node *n, int of)
{
    reset_completion(c);
    jsast_scope *s = n->u.forin.scope;
    const jsast_node *left = n->u.forin.left;
    int is_await = of && (n->flags & JSAST_F_AWAIT);
    /* Annex B: for (var x = init in o) */
    if (!of && left->kind == JSAST_VAR_DECL) {
        const jsast_node *d = left->u.var.decls.items[0];
        if (d->u.decl.init) {
            cg_expr_named(c, d->u.decl.init, d->u.decl.id->kind == JSAST_IDENT ? d->u.decl.id->u.ident.name : NULL);
            cg_assign_pattern(c, d->u.decl.id, 0);
        }
    }
    /* the right side sees the loop's bindings in their TDZ */
    if (s) {
        cg_block sb;
        sb.kind = -1;
        cg_enter_scope(c, s, 0);
        if (s->user & SC_ENV_LIVE) cg_push_block(c, &sb, BK_SCOPE, NULL);
        cg_expr(c, n->u.forin.right);
        if (sb.kind == BK_SCOPE) cg_pop_block(c, &sb);
        cg_leave_scope(c, s);
    } else {
        cg_expr(c, n->u.forin.right);
    }
    cg_block lb, vb, tb;
    loop_marker(c, &lb, n);
    lb.depth = c->depth - 1;
    int ldone = cg_new_label(c);
    if (!of) {
        cg_emit(c, OP_for_in_start);
        cg_push_block(c, &vb, BK_FOR_IN, n);
        lb.cont_at = &vb;
        cg_label_here(c, lb.cont_label);
        cg_emit(c, OP_for_in_next);
        cg_jump(c, OP_if_true, ldone);
    } else {
        cg_emit(c, is_await ? OP_get_async_iter : OP_get_iter);
        cg_push_block(c, &vb, is_await ? BK_FOR_AWAIT : BK_FOR_OF, n);
        lb.cont_at = &vb;
    }
    if (of) {
        cg_label_here(c, lb.cont_label);
        if (is_await) {
            cg_emit(c, OP_iter_call_next);
            cg_await(c);
            cg_emit(c, OP_iter_result);
        } else {
            cg_emit(c, OP_iter_step);
        }
        cg_jump(c, OP_if_true, ldone);
        uint32_t tmp = cg_new_local(c, NULL);
        cg_op_u16(c, OP_put_loc, tmp);
        int lh = cg_new_label(c);
        cg_jump(c, OP_try, lh);
        cg_push_block(c, &tb, BK_TRY, n);
        cg_op_u16(c, OP_get_loc, tmp);
        cg_block sb;
        sb.kind = -1;
        if (s) {
            cg_enter_scope(c, s, 0);
            if (s->user & SC_ENV_LIVE) cg_push_block(c, &sb, BK_SCOPE, NULL);
        }
        int of_using = left->kind == JSAST_VAR_DECL &&
                       (left->u.var.kind == JSAST_VAR_USING || left->u.var.kind == JSAST_VAR_AWAIT_USING);
        cg_block oub, otb;
        int olh = -1, osaved = 0;
        if (of_using) {
            uint32_t vtmp = cg_new_local(c, NULL);
            cg_op_u16(c, OP_put_loc, vtmp);
            osaved = cg_using_begin(c, &oub, &otb, &olh, left->u.var.kind == JSAST_VAR_AWAIT_USING);
            cg_op_u16(c, OP_get_loc, (uint32_t)c->using_local);
            cg_op_u16(c, OP_get_loc, vtmp);
            cg_op_u8(c, OP_using_add, left->u.var.kind == JSAST_VAR_AWAIT_USING);
        }
        forin_assign(c, left);
        cg_stmt(c, n->u.forin.body);
        if (of_using) cg_using_end(c, &oub, &otb, olh, osaved);
        if (s) {
            if (sb.kind == BK_SCOPE) cg_pop_block(c, &sb);
            cg_leave_scope(c, s);
        }
        cg_pop_block(c, &tb);
        cg_emit(c, OP_end_try);
        cg_jump(c, OP_goto, lb.cont_label);
        cg_label_here(c, lh);
        /* [iter next exc] */
        cg_emit(c, OP_iter_close_throw);
        cg_emit(c, OP_throw);
        cg_label_here(c, ldone);
        /* [iter next value] */
        cg_emit(c, OP_drop);
        cg_emit(c, OP_drop);
        cg_emit(c, OP_drop);
        cg_pop_block(c, &vb);
        cg_pop_block(c, &lb);
        cg_label_here(c, lb.break_label);
        return;
    }
    /* for-in body: [iter key] */
    {
        cg_block sb;
        sb.kind = -1;
        if (s) {
            cg_enter_scope(c, s, 0);
            if (s->user & SC_ENV_LIVE) cg_push_block(c, &sb, BK_SCOPE, NULL);
        }
        forin_assign(c, left);
        cg_stmt(c, n->u.forin.body);
        if (s) {
            if (sb.kind == BK_SCOPE) cg_pop_block(c, &sb);
            cg_leave_scope(c, s);
        }
        cg_jump(c, OP_goto, lb.cont_label);
    }
    cg_label_here(c, ldone);
    cg_emit(c, OP_drop);
    cg_emit(c, OP_drop);
    cg_pop_block(c, &vb);
    cg_pop_block(c, &lb);
    cg_label_here(c, lb.break_label);
}

static cg_block *find_break(cg_func *c, const jsast_node *target)
{
    for (cg_block *b = c->blocks; b; b = b->prev) {
        if ((b->kind == BK_LOOP || b->kind == BK_LABEL) && b->break_label >= 0 &&
            (!target || b->node == target || b->node2 == target))
            return b;
    }
    return NULL;
}

static cg_block *find_continue(cg_func *c, const jsast_node *target)
{
    for (cg_block *b = c->blocks; b; b = b->prev) {
        if (b->kind == BK_LOOP && (!target || b->node == target || b->node2 == target)) return b;
        if (b->kind == BK_LABEL && target && (b->node == target || b->node2 == target)) {
            /* labelled loop: the loop marker is the next inner loop */
            for (cg_block *x = c->blocks; x && x != b; x = x->prev)
                if (x->kind == BK_LOOP && x->prev && (x->node == b->node2 || x->prev == b)) return x;
        }
    }
    return NULL;
}

void cg_stmt(cg_func *c, const jsast_node *n)
{
    if (!n || c->unit->failed) return;
    if (jsvm_check_stack(c->unit->t) < 0) { c->unit->failed = 1; return; }
    cg_pos(c, n);
    switch (n->kind) {
    case JSAST_EMPTY_STMT:
    case JSAST_DEBUGGER:
        break;
    case JSAST_BLOCK: {
        cg_block sb;
        sb.kind = -1;
        enter_block_scope(c, n->u.block.scope, &sb);
        cg_stmts_scoped(c, &n->u.block.body);
        leave_block_scope(c, n->u.block.scope, &sb);
        break;
    }
    case JSAST_EXPR_STMT:
        if (tracking(c)) {
            cg_expr(c, n->u.expr_stmt.expr);
            cg_op_u16(c, OP_put_loc, (uint32_t)c->completion);
        } else {
            cg_expr_drop(c, n->u.expr_stmt.expr);
        }
        break;
    case JSAST_IF: {
        reset_completion(c);
        int lelse = cg_new_label(c), lend = cg_new_label(c);
        cg_cond_jump(c, n->u.cond.test, 0, lelse);
        cg_stmt(c, n->u.cond.cons);
        if (n->u.cond.alt) {
            cg_jump(c, OP_goto, lend);
            cg_label_here(c, lelse);
            cg_stmt(c, n->u.cond.alt);
        } else {
            cg_label_here(c, lelse);
        }
        cg_label_here(c, lend);
        break;
    }
    case JSAST_LABELED: {
        cg_block b;
        cg_push_block(c, &b, BK_LABEL, n);
        b.node2 = n->u.labeled.body;
        b.break_label = cg_new_label(c);
        cg_stmt(c, n->u.labeled.body);
        cg_pop_block(c, &b);
        cg_label_here(c, b.break_label);
        break;
    }
    case JSAST_BREAK: {
        cg_block *b = find_break(c, n->u.jump.target);
        if (!b) { cg_syntax_error(c, n, "Illegal break statement"); break; }
        cg_unwind_to(c, b, 0);
        cg_jump(c, OP_goto, b->break_label);
        break;
    }
    case JSAST_CONTINUE: {
        cg_block *b = find_continue(c, n->u.jump.target);
        if (!b) { cg_syntax_error(c, n, "Illegal continue statement"); break; }
        cg_unwind_to(c, b->cont_at ? b->cont_at : b, 0);
        cg_jump(c, OP_goto, b->cont_label);
        break;
    }
    case JSAST_WITH: {
        reset_completion(c);
        cg_expr(c, n->u.with.object);
        cg_emit(c, OP_to_object);
        cg_emit(c, OP_push_with);
        jsast_scope *s = n->u.with.scope;
        jsast_scope *saved = c->scope;
        if (s) { s->user = SC_ENTERED | SC_ENV_LIVE; c->scope = s; }
        cg_block b;
        cg_push_block(c, &b, BK_SCOPE, NULL);
        cg_stmt(c, n->u.with.body);
        cg_pop_block(c, &b);
        cg_emit(c, OP_pop_scope);
        if (s) s->user = 0;
        c->scope = saved;
        break;
    }
    case JSAST_SWITCH:
        stmt_switch(c, n);
        break;
    case JSAST_RETURN:
        if (n->u.arg.arg && c->ast && c->ast->kind == JSAST_FN_FIELD_INIT && cg_is_anon_fn(n->u.arg.arg)) {
            if (c->field_name) cg_expr_named(c, n->u.arg.arg, c->field_name);
            else if (c->field_priv) {
                cg_op_u32(c, OP_push_const, cg_priv_atom(c, c->field_priv, NULL));
                cg_expr(c, n->u.arg.arg);
                cg_op_u8(c, OP_set_name_c, 0);
                cg_emit(c, OP_nip);
            }
            else if (c->field_key_slot >= 0 && c->ast->home_class && c->ast->home_class->scope) {
                cg_op_env(c, OP_get_env, cg_env_depth(c, c->ast->home_class->scope), (uint32_t)c->field_key_slot);
                cg_expr(c, n->u.arg.arg);
                cg_op_u8(c, OP_set_name_c, 0);
                cg_emit(c, OP_nip);
            } else cg_expr(c, n->u.arg.arg);
        } else if (n->u.arg.arg) {
            if (cg_tail_ok(c)) c->tail = n->u.arg.arg;
            cg_expr(c, n->u.arg.arg);
            c->tail = NULL;
        } else cg_emit(c, OP_undef);
        if (!n->u.arg.arg) c->no_await_return++;   /* `return;` does not await in async generators */
        cg_emit_return(c);
        if (!n->u.arg.arg) c->no_await_return--;
        break;
    case JSAST_THROW:
        cg_expr(c, n->u.arg.arg);
        cg_pos(c, n);
        cg_emit(c, OP_throw);
        c->depth = -1000000;
        break;
    case JSAST_TRY:
        stmt_try(c, n);
        break;
    case JSAST_WHILE: {
        reset_completion(c);
        cg_block lb;
        loop_marker(c, &lb, n);
        cg_label_here(c, lb.cont_label);
        cg_cond_jump(c, n->u.loop.test, 0, lb.break_label);
        cg_stmt(c, n->u.loop.body);
        cg_jump(c, OP_goto, lb.cont_label);
        cg_pop_block(c, &lb);
        cg_label_here(c, lb.break_label);
        break;
    }
    case JSAST_DO_WHILE: {
        reset_completion(c);
        cg_block lb;
        loop_marker(c, &lb, n);
        int lbody = cg_new_label(c);
        cg_label_here(c, lbody);
        cg_stmt(c, n->u.loop.body);
        cg_label_here(c, lb.cont_label);
        cg_cond_jump(c, n->u.loop.test, 1, lbody);
        cg_pop_block(c, &lb);
        cg_label_here(c, lb.break_label);
        break;
    }
    case JSAST_FOR:
        stmt_for(c, n);
        break;
    case JSAST_FOR_IN:
        stmt_forin(c, n, 0);
        break;
    case JSAST_FOR_OF:
        stmt_forin(c, n, 1);
        break;
    case JSAST_FUNC_DECL: {
        jsast_function *fn = n->u.func.fn;
        if ((n->flags & JSAST_F_ANNEXB) && fn->annexb_var && fn->id) {
            jsast_binding *b = fn->id->u.ident.binding;
            cg_get_binding_b(c, b, fn->name, 0, 0);
            jsast_binding *vb = fn->annexb_var;
            if (ST_KIND(vb->user) == ST_GLOBAL || vb->scope->kind == JSAST_SCOPE_SCRIPT) cg_op_atom(c, OP_put_global, fn->name);
            else if (ST_KIND(vb->user) == ST_NAME) cg_op_atom(c, OP_put_var_name, fn->name);
            else cg_put_binding_b(c, vb, fn->name, 1, 0, 0);
        }
        break;
    }
    case JSAST_VAR_DECL:
        var_decl(c, n);
        break;
    case JSAST_CLASS_DECL: {
        jsast_class *cls = n->u.cls.cls;
        cg_class(c, cls, NULL);
        if (cls->id) cg_put_binding(c, cls->id, 1);
        else cg_emit(c, OP_drop);
        break;
    }
    case JSAST_IMPORT_DECL:
    case JSAST_EXPORT_ALL:
        break;      /* linked by module.c */
    case JSAST_EXPORT_NAMED:
        if (n->u.export_named.decl) cg_stmt(c, n->u.export_named.decl);
        break;
    case JSAST_EXPORT_DEFAULT: {
        const jsast_node *d = n->u.export_default.decl;
        jsast_binding *b = n->u.export_default.binding;
        if (d->kind == JSAST_FUNC_DECL) break;   /* hoisted */
        if (d->kind == JSAST_CLASS_DECL) {
            jsast_class *cls = d->u.cls.cls;
            cg_class(c, cls, cls->name ? NULL : cg_default_name(c));
        } else {
            cg_expr_named(c, d, cg_default_name(c));
        }
        if (b) cg_put_binding_b(c, b, b->name, 1, 0, 0);
        else cg_emit(c, OP_drop);
        break;
    }
    default:
        /* an expression in statement position */
        cg_expr_drop(c, n);
        break;
    }
}
