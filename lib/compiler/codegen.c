/*
 * codegen.c - the bytecode compiler's core: emit buffers, constants, labels and
 * line tables, binding storage (frame slots, argument slots, heap environments,
 * globals, by-name), scopes, control blocks, and function compilation.
 * Statements, expressions and classes are in codegen_stmt.c / codegen_expr.c /
 * codegen_class.c. Must not modify the AST beyond its `user` fields.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "codegen.h"

/* ---- buffers ---- */

static int grow(void **p, uint32_t *cap, uint32_t need, size_t elem)
{
    if (need <= *cap) return 0;
    uint32_t nc = *cap ? *cap * 2 : 16;
    while (nc < need) nc *= 2;
    void *np = realloc(*p, (size_t)nc * elem);
    if (!np) return -1;
    *p = np;
    *cap = nc;
    return 0;
}

void cg_fail_oom(cg_func *c)
{
    if (!c->unit->failed) {
        c->unit->failed = 1;
        jsvm_throw_out_of_memory(c->unit->t);
    }
}

void cg_syntax_error(cg_func *c, const jsast_node *n, const char *msg)
{
    if (c->unit->failed) return;
    c->unit->failed = 1;
    jsvm_throw_syntax_error(c->unit->t, "%s", msg);
}

static void emit_byte(cg_func *c, uint8_t b)
{
    if (c->len + 1 > c->cap && grow((void **)&c->code, &c->cap, c->len + 1, 1) < 0) { cg_fail_oom(c); return; }
    c->code[c->len++] = b;
}

void cg_emit_u8(cg_func *c, uint8_t v) { emit_byte(c, v); }
void cg_emit_u16(cg_func *c, uint16_t v)
{
    if (c->len + 2 > c->cap && grow((void **)&c->code, &c->cap, c->len + 2, 1) < 0) { cg_fail_oom(c); return; }
    memcpy(c->code + c->len, &v, 2);
    c->len += 2;
}
void cg_emit_u32(cg_func *c, uint32_t v)
{
    if (c->len + 4 > c->cap && grow((void **)&c->code, &c->cap, c->len + 4, 1) < 0) { cg_fail_oom(c); return; }
    memcpy(c->code + c->len, &v, 4);
    c->len += 4;
}

/* static stack effects from opcodes.def (-1: variable, the caller adjusts) */
static const int8_t op_pop[OP_COUNT] = {
#define OP(name, fmt, pop, push) pop,
#include "../vm/opcodes.def"
#undef OP
};
static const int8_t op_push[OP_COUNT] = {
#define OP(name, fmt, pop, push) push,
#include "../vm/opcodes.def"
#undef OP
};

void cg_adjust(cg_func *c, int delta)
{
    c->depth += delta;
    if (c->depth > c->max_depth) c->max_depth = c->depth;
    if (c->depth < 0) c->depth = 0;   /* dead code after an unconditional jump */
}

int cg_emit(cg_func *c, int op)
{
    emit_byte(c, (uint8_t)op);
    if (op_pop[op] >= 0) cg_adjust(c, -op_pop[op]);
    cg_adjust(c, op_push[op]);
    return (int)c->len - 1;
}

void cg_op_u8(cg_func *c, int op, uint32_t a) { cg_emit(c, op); cg_emit_u8(c, (uint8_t)a); }
void cg_op_u16(cg_func *c, int op, uint32_t a) { cg_emit(c, op); cg_emit_u16(c, (uint16_t)a); }
void cg_op_u32(cg_func *c, int op, uint32_t a) { cg_emit(c, op); cg_emit_u32(c, a); }
void cg_op_env(cg_func *c, int op, uint32_t depth, uint32_t idx)
{
    cg_emit(c, op);
    cg_emit_u16(c, (uint16_t)depth);
    cg_emit_u16(c, (uint16_t)idx);
}

uint32_t cg_new_ic(cg_func *c)
{
    return c->bc->nics++;
}

void cg_op_atom(cg_func *c, int op, const jsast_str *name)
{
    uint32_t a = cg_atom(c, name);
    cg_emit(c, op);
    cg_emit_u32(c, a);
    if (jsvm_op_fmt[op] == OPF_ATOMIC) cg_emit_u32(c, cg_new_ic(c));
}

void cg_op_atom_c(cg_func *c, int op, const char *ascii)
{
    uint32_t a = cg_atom_c(c, ascii);
    cg_emit(c, op);
    cg_emit_u32(c, a);
    if (jsvm_op_fmt[op] == OPF_ATOMIC) cg_emit_u32(c, cg_new_ic(c));
}

/* ---- constants ---- */

uint32_t cg_const(cg_func *c, jsv v)
{
    js_function_bc *bc = c->bc;
    if (bc->nconsts + 2 > c->consts_cap) {
        if (grow((void **)&bc->consts, &c->consts_cap, bc->nconsts + 2, sizeof(jsv)) < 0) { cg_fail_oom(c); return 0; }
    }
    bc->consts[bc->nconsts] = v;
    return bc->nconsts++;
}

static uint32_t cmap_hash(const void *k) { uintptr_t x = (uintptr_t)k; x ^= x >> 17; x *= 0x9E3779B97F4A7C15ull; return (uint32_t)(x >> 32); }

static int cmap_find(cg_func *c, const void *key, uint32_t *out)
{
    if (!c->cmap_cap) return 0;
    uint32_t m = c->cmap_cap - 1;
    for (uint32_t i = cmap_hash(key) & m;; i = (i + 1) & m) {
        if (!c->cmap[i].key) return 0;
        if (c->cmap[i].key == key) { *out = c->cmap[i].val; return 1; }
    }
}

static void cmap_put(cg_func *c, const void *key, uint32_t val)
{
    if ((c->cmap_count + 1) * 2 > c->cmap_cap) {
        uint32_t nc = c->cmap_cap ? c->cmap_cap * 2 : 64;
        cg_strmap *nm = calloc(nc, sizeof *nm);
        if (!nm) { cg_fail_oom(c); return; }
        for (uint32_t i = 0; i < c->cmap_cap; i++) {
            if (!c->cmap[i].key) continue;
            uint32_t j = cmap_hash(c->cmap[i].key) & (nc - 1);
            while (nm[j].key) j = (j + 1) & (nc - 1);
            nm[j] = c->cmap[i];
        }
        free(c->cmap);
        c->cmap = nm;
        c->cmap_cap = nc;
    }
    uint32_t m = c->cmap_cap - 1;
    uint32_t i = cmap_hash(key) & m;
    while (c->cmap[i].key) i = (i + 1) & m;
    c->cmap[i].key = key;
    c->cmap[i].val = val;
    c->cmap_count++;
}

static jsv str_value(cg_func *c, const jsast_str *s, int intern)
{
    js_thread *t = c->unit->t;
    js_string *js;
    if (s->latin1) {
        uint8_t tmp[256];
        tmp[0] = 0;
        uint8_t *buf = s->len <= sizeof tmp ? tmp : malloc(s->len);
        if (!buf) { cg_fail_oom(c); return JSV_UNDEFINED; }
        for (uint32_t i = 0; i < s->len; i++) buf[i] = (uint8_t)s->chars[i];
        js = jsstr_new_latin1(t, buf, s->len);
        if (buf != tmp) free(buf);
    } else {
        js = jsstr_new_utf16(t, s->chars, s->len);
    }
    if (!js) { c->unit->failed = 1; return JSV_UNDEFINED; }
    if (intern) {
        js = jsstr_intern(t, js);
        if (!js) { c->unit->failed = 1; return JSV_UNDEFINED; }
    }
    return jsv_string(js);
}

/* Atoms are stored as property keys (index-like names become int keys). */
uint32_t cg_atom(cg_func *c, const jsast_str *s)
{
    uint32_t idx;
    if (cmap_find(c, s, &idx)) return idx;
    jsv v = str_value(c, s, 1);
    if (c->unit->failed) return 0;
    jsv k = jskey_from_string(c->unit->t, JSV_STR(v));
    if (k == JSV_EXCEPTION) { c->unit->failed = 1; return 0; }
    idx = cg_const(c, k);
    cmap_put(c, s, idx);
    return idx;
}

jsv cg_atom_value(cg_func *c, const jsast_str *s)
{
    uint32_t i = cg_atom(c, s);
    return c->unit->failed ? JSV_UNDEFINED : c->bc->consts[i];
}

uint32_t cg_atom_c(cg_func *c, const char *ascii)
{
    jsv k = jskey_from_cstr(c->unit->t, ascii);
    if (k == JSV_EXCEPTION) { c->unit->failed = 1; return 0; }
    for (uint32_t i = 0; i < c->bc->nconsts; i++)
        if (c->bc->consts[i] == k) return i;
    return cg_const(c, k);
}

void cg_push_i32(cg_func *c, int32_t v)
{
    cg_emit(c, OP_push_i32);
    cg_emit_u32(c, (uint32_t)v);
}

void cg_push_number(cg_func *c, double d)
{
    jsv v = jsv_number(d);
    if (jsv_is_int(v)) { cg_push_i32(c, jsv_get_int(v)); return; }
    cg_op_u32(c, OP_push_const, cg_const(c, v));
}

void cg_push_str(cg_func *c, const jsast_str *s)
{
    uint32_t idx;
    const void *key = (const char *)s + 1;   /* distinct from the atom entry of s */
    if (!cmap_find(c, key, &idx)) {
        jsv v = str_value(c, s, s->len < 32);
        if (c->unit->failed) return;
        idx = cg_const(c, v);
        cmap_put(c, key, idx);
    }
    cg_op_u32(c, OP_push_const, idx);
}

void cg_push_cstr(cg_func *c, const char *s)
{
    js_string *js = jsstr_new_cstr(c->unit->t, s);
    if (!js) { c->unit->failed = 1; return; }
    cg_op_u32(c, OP_push_const, cg_const(c, jsv_string(js)));
}

/* ---- labels ---- */

int cg_new_label(cg_func *c)
{
    if (grow((void **)&c->labels, &c->labels_cap, c->nlabels + 1, sizeof(cg_label)) < 0) { cg_fail_oom(c); return 0; }
    c->labels[c->nlabels].pos = -1;
    c->labels[c->nlabels].depth = -1;
    return (int)c->nlabels++;
}

void cg_jump(cg_func *c, int op, int label)
{
    cg_emit(c, op);
    if (grow((void **)&c->fixups, &c->fixups_cap, c->nfixups + 1, sizeof(cg_fixup)) < 0) { cg_fail_oom(c); return; }
    c->fixups[c->nfixups].at = c->len;
    c->fixups[c->nfixups].label = label;
    c->nfixups++;
    cg_emit_u32(c, 0);
    if (label < (int)c->nlabels) {
        int d = c->depth;
        if (op == OP_try) d -= 2;        /* the handler starts without the two try slots */
        if (op == OP_try) d += 1;        /* ... but with the exception */
        if (op == OP_gosub) d += 1;      /* the finally body starts with the return address */
        if (c->labels[label].depth < 0) c->labels[label].depth = d;
    }
    if (op == OP_goto) c->depth = 0, c->depth = -1000000;
}

void cg_label_here(cg_func *c, int label)
{
    if (label >= (int)c->nlabels) return;
    c->labels[label].pos = (int32_t)c->len;
    if (c->depth < -1000) {
        c->depth = c->labels[label].depth >= 0 ? c->labels[label].depth : 0;
    } else if (c->labels[label].depth < 0) {
        c->labels[label].depth = c->depth;
    }
}

/* ---- positions ---- */

void cg_pos(cg_func *c, const jsast_node *n)
{
    if (!n || !n->line) return;
    if (n->line == c->last_line && n->col == c->last_col) return;
    if (c->nlines && c->lines[c->nlines - 1].pc == c->len) {
        c->lines[c->nlines - 1].line = n->line;
        c->lines[c->nlines - 1].col = n->col;
    } else {
        if (grow((void **)&c->lines, &c->lines_cap, c->nlines + 1, sizeof(js_lineinfo)) < 0) { cg_fail_oom(c); return; }
        c->lines[c->nlines].pc = c->len;
        c->lines[c->nlines].line = n->line;
        c->lines[c->nlines].col = n->col;
        c->nlines++;
    }
    c->last_line = n->line;
    c->last_col = n->col;
}

/* ---- locals ---- */

uint32_t cg_new_local(cg_func *c, const jsast_str *name)
{
    uint32_t i = c->nlocals++;
    if (grow((void **)&c->local_names, &c->local_names_cap, c->nlocals, sizeof(jsv)) < 0) { cg_fail_oom(c); return i; }
    c->local_names[i] = name ? cg_atom_value(c, name) : JSV_UNDEFINED;
    if (c->nlocals > 65000) cg_syntax_error(c, NULL, "too many local variables");
    return i;
}

/* ---- scopes ---- */

static int fn_mapped_args(const jsast_function *fn)
{
    return fn && (fn->flags & JSAST_FN_USES_ARGUMENTS) && (fn->flags & JSAST_FN_MAPPED_ARGUMENTS) && fn->arguments;
}

static int binding_in_env(const jsast_binding *b)
{
    if (b->captured) return 1;
    if (b->scope->has_eval) return 1;
    if (b->kind == JSAST_BIND_PARAM && fn_mapped_args(b->scope->fn)) return 1;
    return 0;
}

static int is_sloppy_eval_var(cg_func *c, const jsast_binding *b)
{
    if (!c->unit->eval_mode || c->unit->eval_mode == 3) return 0;
    jsast_function *fn = b->scope->fn;
    if (!fn || fn->kind != JSAST_FN_EVAL || (fn->flags & JSAST_FN_STRICT)) return 0;
    if (b->scope != fn->var_scope && b->scope != fn->scope) return 0;
    return b->kind == JSAST_BIND_VAR || b->kind == JSAST_BIND_FUNCTION;
}

static int class_extra_slots(jsast_scope *s);

int cg_scope_has_env(cg_func *c, jsast_scope *s)
{
    if (s->kind == JSAST_SCOPE_SCRIPT) return 0;
    for (uint32_t i = 0; i < s->nbindings; i++) {
        jsast_binding *b = s->bindings[i];
        if (is_sloppy_eval_var(c, b)) continue;
        if (binding_in_env(b)) return 1;
    }
    if (s->kind == JSAST_SCOPE_CLASS && class_extra_slots(s)) return 1;
    jsast_function *fn = s->fn;
    if (fn && s == fn->var_scope && (fn->flags & JSAST_FN_DIRECT_EVAL) && !(fn->flags & JSAST_FN_STRICT) &&
        fn->kind != JSAST_FN_SCRIPT && fn->kind != JSAST_FN_EVAL && fn->kind != JSAST_FN_MODULE)
        return 1;
    if (s->has_eval && s->nbindings) return 1;
    return 0;
}

static uint8_t var_kind_of(const jsast_binding *b)
{
    switch (b->kind) {
    case JSAST_BIND_LET: return JS_VAR_LET;
    case JSAST_BIND_CONST: case JSAST_BIND_USING: case JSAST_BIND_AWAIT_USING:
    case JSAST_BIND_CLASS_INNER: case JSAST_BIND_IMPORT:
        return JS_VAR_CONST;
    case JSAST_BIND_CLASS: return JS_VAR_CLASS;
    case JSAST_BIND_FUNC_NAME: return JS_VAR_CONST_SLOPPY;
    case JSAST_BIND_FUNCTION: return JS_VAR_FUNC;
    case JSAST_BIND_PARAM: return JS_VAR_PARAM;
    default: return JS_VAR_VAR;
    }
}

/* Class scopes carry extra environment slots for private names and the
 * per-class helpers (computed field keys, initializer closures): they are
 * laid out by codegen_class.c, which records the count in the class's user field. */
static int class_extra_slots(jsast_scope *s)
{
    if (s->kind != JSAST_SCOPE_CLASS || !s->node) return 0;
    const jsast_node *n = s->node;
    jsast_class *cls = (n->kind == JSAST_CLASS_DECL || n->kind == JSAST_CLASS_EXPR) ? n->u.cls.cls : NULL;
    return cls ? (int)cls->user : 0;
}

/* Assigns storage to the bindings of s and, when s needs one, creates its
 * environment. `tdz_params`: parameters of a non-simple list start uninitialized. */
static void enter_scope_ex(cg_func *c, jsast_scope *s, int is_fn_scope, int tdz_params)
{
    s->user = SC_ENTERED;
    c->scope = s;
    if (s->kind == JSAST_SCOPE_SCRIPT) {
        for (uint32_t i = 0; i < s->nbindings; i++) s->bindings[i]->user = ST_MAKE(ST_GLOBAL, 0);
        return;
    }
    int env = cg_scope_has_env(c, s);
    uint32_t nenv = 0;
    int extra = class_extra_slots(s);
    js_scope_desc *d = NULL;
    if (env) {
        uint32_t n = 0;
        for (uint32_t i = 0; i < s->nbindings; i++)
            if (!is_sloppy_eval_var(c, s->bindings[i]) && binding_in_env(s->bindings[i])) n++;
        if (s->has_eval || s->kind == JSAST_SCOPE_CLASS) {
            n = 0;
            for (uint32_t i = 0; i < s->nbindings; i++)
                if (!is_sloppy_eval_var(c, s->bindings[i])) n++;
        }
        d = jsvm_scope_desc_new(c->unit->t, n + extra);
        if (!d) { c->unit->failed = 1; return; }
        cg_const(c, jsv_cell(d));   /* keep it reachable */
    }
    for (uint32_t i = 0; i < s->nbindings; i++) {
        jsast_binding *b = s->bindings[i];
        if (is_sloppy_eval_var(c, b)) { b->user = ST_MAKE(ST_NAME, 0); continue; }
        int in_env = env && (binding_in_env(b) || s->has_eval || s->kind == JSAST_SCOPE_CLASS);
        if (is_fn_scope && b->kind == JSAST_BIND_PARAM && b->user && ST_KIND(b->user) == ST_ARG && !in_env)
            continue;   /* keeps its argument slot */
        if (in_env) {
            d->names[nenv] = cg_atom_value(c, b->name);
            uint8_t k = var_kind_of(b);
            if (k == JS_VAR_PARAM && tdz_params) k = JS_VAR_LET;
            d->kinds[nenv] = k;
            b->user = ST_MAKE(ST_ENV, nenv);
            nenv++;
        } else {
            uint32_t l = cg_new_local(c, b->name);
            b->user = ST_MAKE(ST_LOCAL, l);
            if ((b->flags & JSAST_B_LEXICAL) || (b->kind == JSAST_BIND_PARAM && tdz_params))
                cg_op_u16(c, OP_loc_uninit, l);
        }
    }
    if (env) {
        for (int i = 0; i < extra; i++) {
            d->names[nenv + i] = JSV_UNDEFINED;
            d->kinds[nenv + i] = JS_VAR_VAR;
        }
        if (s->kind == JSAST_SCOPE_CLASS && s->node &&
            (s->node->kind == JSAST_CLASS_DECL || s->node->kind == JSAST_CLASS_EXPR)) {
            /* private names are visible by name to direct eval */
            jsast_class *cls = s->node->u.cls.cls;
            for (uint32_t i = 0; i < cls->nprivates && (int)i < extra; i++) {
                /* the index first: cg_priv_atom may grow (move) the constant table */
                uint32_t k = cg_priv_atom(c, cls->privates[i]->name, NULL);
                d->names[nenv + i] = c->bc->consts[k];
            }
        }
        jsast_function *fn = s->fn;
        if (fn && s == fn->var_scope && fn->kind != JSAST_FN_EVAL) d->flags |= JS_SCOPE_FUNCTION;
        if (fn && s == fn->scope && fn->var_scope != s && fn->kind != JSAST_FN_EVAL) {
            d->flags |= JS_SCOPE_PARAMS;
            if (fn->kind == JSAST_FN_ARROW) d->flags |= JS_SCOPE_ARROW;
        }
        if (fn && fn->kind == JSAST_FN_EVAL && (s == fn->scope || s == fn->var_scope)) d->flags |= JS_SCOPE_EVAL;
        s->user |= SC_ENV_LIVE;
        uint32_t idx = 0;
        for (uint32_t i = 0; i < c->bc->nconsts; i++)
            if (c->bc->consts[i] == jsv_cell(d)) { idx = i; break; }
        cg_op_u32(c, OP_push_scope, idx);
        s->user |= (nenv << 8);      /* first extra slot index */
    }
}

void cg_enter_scope(cg_func *c, jsast_scope *s, int init_funcs)
{
    enter_scope_ex(c, s, 0, 0);
    if (init_funcs) cg_instantiate_funcs(c, s);
}

void cg_leave_scope(cg_func *c, jsast_scope *s)
{
    if (s->user & SC_ENV_LIVE) cg_emit(c, OP_pop_scope);
    s->user = 0;
    c->scope = s->parent;
}

void cg_instantiate_funcs(cg_func *c, jsast_scope *s)
{
    for (uint32_t i = 0; i < s->funcs.count; i++) {
        const jsast_node *fd = s->funcs.items[i];
        jsast_function *fn = fd->u.func.fn;
        cg_emit_closure(c, fn, NULL);
        jsast_binding *b = fn->id ? fn->id->u.ident.binding : NULL;
        if (s->kind == JSAST_SCOPE_SCRIPT || (b && ST_KIND(b->user) == ST_GLOBAL)) {
            cg_op_atom(c, OP_def_global_fn, fn->name);
        } else if (b && ST_KIND(b->user) == ST_NAME) {
            cg_op_atom(c, OP_def_eval_fn, fn->name);
        } else if (b) {
            cg_put_binding_b(c, b, fn->name, 1, 0, 0);
        } else {
            cg_emit(c, OP_drop);
        }
    }
}

/* Number of live environments between the current scope and `target`. */
uint32_t cg_env_depth(cg_func *c, jsast_scope *target)
{
    uint32_t d = 0;
    for (jsast_scope *s = c->scope; s && s != target; s = s->parent)
        if (s->user & SC_ENV_LIVE) d++;
    return d;
}

/* ---- binding access ---- */

static int in_eval_unit(cg_func *c) { return c->unit->eval_mode == 1 || c->unit->eval_mode == 2 || c->sloppy_eval; }

/* A binding declared outside the innermost function with a sloppy direct eval
 * may be shadowed by a var that eval declares: look it up by name. */
static int eval_may_shadow(cg_func *c, const jsast_binding *b)
{
    if (!c->sloppy_eval_fn || !b) return 0;
    for (jsast_function *f = b->scope->fn; f; f = f->parent)
        if (f == c->sloppy_eval_fn) return 0;
    return ST_KIND(b->user) == ST_GLOBAL || ST_KIND(b->user) == ST_ENV;
}

int cg_ident_dynamic(cg_func *c, const jsast_node *id)
{
    return (id->flags & JSAST_F_DYNAMIC) || eval_may_shadow(c, id->u.ident.binding);
}

void cg_get_binding_b(cg_func *c, jsast_binding *b, const jsast_str *name, int tdz, int dynamic)
{
    if (eval_may_shadow(c, b)) dynamic = 1;
    if (dynamic || !b) {
        if (!dynamic && !in_eval_unit(c)) cg_op_atom(c, OP_get_global, name);
        else cg_op_atom(c, OP_get_name, name);
        return;
    }
    uint32_t u = b->user;
    switch (ST_KIND(u)) {
    case ST_LOCAL: cg_op_u16(c, tdz ? OP_get_loc_chk : OP_get_loc, ST_INDEX(u)); break;
    case ST_ARG: cg_op_u16(c, OP_get_arg, ST_INDEX(u)); break;
    case ST_ENV:
        if (b->kind == JSAST_BIND_IMPORT) {
            cg_op_env(c, OP_get_env, cg_env_depth(c, b->scope), ST_INDEX(u));
            cg_op_atom(c, OP_import_get, name);
            break;
        }
        cg_op_env(c, tdz ? OP_get_env_chk : OP_get_env, cg_env_depth(c, b->scope), ST_INDEX(u));
        break;
    case ST_GLOBAL: cg_op_atom(c, OP_get_global, name); break;
    default: cg_op_atom(c, OP_get_name, name); break;
    }
}

void cg_get_binding(cg_func *c, const jsast_node *id)
{
    jsast_binding *b = id->u.ident.binding;
    int tdz = (id->flags & JSAST_F_TDZ) || (b && (b->flags & JSAST_B_LEXICAL) && ST_KIND(b->user) != ST_LOCAL) ||
              (b && b->kind == JSAST_BIND_PARAM && b->scope->fn && !(b->scope->fn->flags & JSAST_FN_SIMPLE_PARAMS));
    cg_get_binding_b(c, b, id->u.ident.name, tdz, (id->flags & JSAST_F_DYNAMIC) != 0);
}

void cg_typeof_binding(cg_func *c, const jsast_node *id)
{
    jsast_binding *b = id->u.ident.binding;
    if ((id->flags & JSAST_F_DYNAMIC) || !b || eval_may_shadow(c, b)) {
        if (!(id->flags & JSAST_F_DYNAMIC) && !in_eval_unit(c)) cg_op_atom(c, OP_typeof_global, id->u.ident.name);
        else cg_op_atom(c, OP_typeof_name, id->u.ident.name);
        cg_emit(c, OP_typeof);
        return;
    }
    if (ST_KIND(b->user) == ST_GLOBAL && !(b->flags & JSAST_B_LEXICAL)) {
        cg_op_atom(c, OP_typeof_global, id->u.ident.name);
        cg_emit(c, OP_typeof);
        return;
    }
    cg_get_binding(c, id);
    cg_emit(c, OP_typeof);
}

void cg_put_binding_b(cg_func *c, jsast_binding *b, const jsast_str *name, int init, int tdz, int dynamic)
{
    if (!init && eval_may_shadow(c, b)) dynamic = 1;
    if (dynamic || !b) {
        if (!dynamic && !in_eval_unit(c)) cg_op_atom(c, OP_put_global, name);
        else cg_op_atom(c, init ? OP_init_name : OP_put_name, name);
        return;
    }
    uint32_t u = b->user;
    if (!init && (b->flags & JSAST_B_CONST) && ST_KIND(u) != ST_GLOBAL && ST_KIND(u) != ST_NAME) {
        if (b->kind == JSAST_BIND_FUNC_NAME) {
            if (c->strict) cg_op_u32(c, OP_throw_const, cg_atom(c, name));
            cg_emit(c, OP_drop);
            return;
        }
        /* TDZ first, then TypeError */
        if (tdz || (b->flags & JSAST_B_LEXICAL)) {
            cg_get_binding_b(c, b, name, 1, 0);
            cg_emit(c, OP_drop);
        }
        cg_op_u32(c, OP_throw_const, cg_atom(c, name));
        cg_emit(c, OP_drop);
        return;
    }
    switch (ST_KIND(u)) {
    case ST_LOCAL: cg_op_u16(c, (!init && tdz) ? OP_put_loc_chk : OP_put_loc, ST_INDEX(u)); break;
    case ST_ARG: cg_op_u16(c, OP_put_arg, ST_INDEX(u)); break;
    case ST_ENV:
        cg_op_env(c, (!init && (tdz || (b->flags & JSAST_B_LEXICAL))) ? OP_put_env_chk : OP_put_env,
                  cg_env_depth(c, b->scope), ST_INDEX(u));
        break;
    case ST_GLOBAL:
        if (init && (b->flags & JSAST_B_LEXICAL)) cg_op_atom(c, OP_init_global, name);
        else cg_op_atom(c, OP_put_global, name);
        break;
    default:
        cg_op_atom(c, init ? OP_init_name : OP_put_name, name);
        break;
    }
}

void cg_put_binding(cg_func *c, const jsast_node *id, int init)
{
    jsast_binding *b = id->u.ident.binding;
    cg_put_binding_b(c, b, id->u.ident.name, init, (id->flags & JSAST_F_TDZ) != 0,
                     !init && (id->flags & JSAST_F_DYNAMIC) != 0);
}

void cg_delete_binding(cg_func *c, const jsast_node *id)
{
    jsast_binding *b = id->u.ident.binding;
    if (!b || (id->flags & JSAST_F_DYNAMIC)) { cg_op_atom(c, OP_delete_name, id->u.ident.name); return; }
    if (ST_KIND(b->user) == ST_GLOBAL || ST_KIND(b->user) == ST_NAME) { cg_op_atom(c, OP_delete_name, id->u.ident.name); return; }
    cg_emit(c, OP_false);
}

/* Callee identifier: pushes fn and this (the with-object for object environments). */
void cg_get_name_ref(cg_func *c, const jsast_node *id)
{
    if (id->flags & JSAST_F_DYNAMIC) {
        cg_op_atom(c, OP_get_name_ref, id->u.ident.name);
        return;
    }
    cg_get_binding(c, id);
    cg_emit(c, OP_undef);
}

/* ---- control blocks ---- */

cg_block *cg_push_block(cg_func *c, cg_block *b, int kind, const jsast_node *node)
{
    memset(b, 0, sizeof *b);
    b->kind = kind;
    b->node = node;
    b->break_label = b->cont_label = b->finally_label = -1;
    b->depth = c->depth;
    b->prev = c->blocks;
    c->blocks = b;
    return b;
}

void cg_pop_block(cg_func *c, cg_block *b)
{
    c->blocks = b->prev;
}

/* Emit the cleanups of every block from the innermost up to (not including)
 * `target` (NULL: all, for return). The operand stack is brought to each
 * block's depth first. */
void cg_unwind_to(cg_func *c, cg_block *target, int for_return)
{
    int saved_depth = c->depth;
    for (cg_block *b = c->blocks; b && b != target; b = b->prev) {
        while (c->depth > b->depth) cg_emit(c, OP_drop);
        switch (b->kind) {
        case BK_TRY: cg_emit(c, OP_end_try); break;
        case BK_FINALLY: cg_jump(c, OP_gosub, b->finally_label); break;
        case BK_IN_FINALLY: cg_emit(c, OP_drop); break;
        case BK_FOR_OF: cg_emit(c, OP_iter_close); break;
        case BK_FOR_AWAIT: {
            int skip = cg_new_label(c), end = cg_new_label(c);
            cg_emit(c, OP_iter_call_return);         /* -> result|empty */
            cg_emit(c, OP_dup);
            cg_emit(c, OP_is_empty);
            cg_jump(c, OP_if_true, skip);
            cg_await(c);
            cg_emit(c, OP_check_object);
            cg_emit(c, OP_drop);
            cg_jump(c, OP_goto, end);
            cg_label_here(c, skip);
            cg_emit(c, OP_drop);
            cg_label_here(c, end);
            break;
        }
        case BK_FOR_IN: cg_emit(c, OP_drop); break;
        case BK_SWITCH: cg_emit(c, OP_drop); break;
        case BK_TEMP: for (int i = 0; i < b->nvals; i++) cg_emit(c, OP_drop); break;
        case BK_SCOPE: cg_emit(c, OP_pop_scope); break;
        case BK_USING:
            if (b->is_async) {
                uint32_t cl = cg_new_local(c, NULL);
                cg_emit(c, OP_empty);
                cg_op_u16(c, OP_put_loc, cl);
                cg_using_dispose_async(c, (uint32_t)b->nvals, cl);
                break;
            }
            cg_op_u16(c, OP_get_loc, (uint32_t)b->nvals);
            cg_emit(c, OP_empty);
            cg_emit(c, OP_using_dispose);
            break;
        case BK_DSTR: {
            int skip = cg_new_label(c);
            cg_op_u16(c, OP_get_loc, b->l_done);
            cg_jump(c, OP_if_true, skip);
            cg_op_u16(c, OP_get_loc, b->l_it);
            cg_op_u16(c, OP_get_loc, b->l_nx);
            cg_emit(c, OP_iter_close);
            cg_label_here(c, skip);
            break;
        }
        default: break;
        }
    }
    (void)for_return;
    c->depth = saved_depth;
}

/* IsInTailPosition for a `return` being compiled (ES2024 15.10.1): strict,
 * non-async, non-generator function code, and nothing left to run after the
 * call: no enclosing try block (its handler must stay live), finally, iterator
 * to close or resources to dispose. A finally or catch block itself is fine. */
int cg_tail_ok(cg_func *c)
{
    if (!c->strict || c->is_async || c->is_generator || !c->ast) return 0;
    switch (c->ast->kind) {
    case JSAST_FN_NORMAL: case JSAST_FN_ARROW: case JSAST_FN_METHOD: case JSAST_FN_GETTER:
    case JSAST_FN_SETTER: case JSAST_FN_CLASS_CTOR: case JSAST_FN_DERIVED_CTOR:
        break;
    default:
        return 0;
    }
    for (cg_block *b = c->blocks; b; b = b->prev)
        if (b->kind == BK_TRY || b->kind == BK_FINALLY || b->kind == BK_FOR_OF || b->kind == BK_FOR_AWAIT ||
            b->kind == BK_DSTR || b->kind == BK_USING)
            return 0;
    return 1;
}

/* `return` with the value on the stack. */
void cg_emit_return(cg_func *c)
{
    int needs = 0;
    for (cg_block *b = c->blocks; b; b = b->prev)
        if (b->kind == BK_FINALLY || b->kind == BK_FOR_OF || b->kind == BK_FOR_AWAIT || b->kind == BK_DSTR || b->kind == BK_USING) { needs = 1; break; }
    if (c->is_async && c->is_generator && !c->no_await_return) {
        /* async generator: return awaits its operand */
        cg_await(c);
    }
    if (!needs) {
        cg_emit(c, OP_return);
        c->depth = -1000000;
        return;
    }
    uint32_t tmp = cg_new_local(c, NULL);
    cg_op_u16(c, OP_put_loc, tmp);
    cg_unwind_to(c, NULL, 1);
    cg_op_u16(c, OP_get_loc, tmp);
    cg_emit(c, OP_return);
    c->depth = -1000000;
}

/* ---- functions ---- */

static uint32_t u16_offset(cg_unit *u, uint32_t byte_off)
{
    if (!u->u16map) return byte_off;
    if (byte_off > u->prog->src_len) byte_off = (uint32_t)u->prog->src_len;
    return u->u16map[byte_off];
}

static void finish_function(cg_func *c)
{
    js_function_bc *bc = c->bc;
    /* resolve jumps */
    for (uint32_t i = 0; i < c->nfixups; i++) {
        cg_fixup *fx = &c->fixups[i];
        int32_t pos = c->labels[fx->label].pos;
        if (pos < 0) { if (!c->unit->failed) cg_syntax_error(c, NULL, "internal error: unresolved label"); pos = (int32_t)fx->at + 4; }
        int32_t rel = pos - (int32_t)(fx->at + 4);
        memcpy(c->code + fx->at, &rel, 4);
    }
    bc->code = c->code; c->code = NULL;
    bc->code_len = c->len;
    bc->lines = c->lines; c->lines = NULL;
    bc->nlines = c->nlines;
    bc->local_names = c->local_names; c->local_names = NULL;
    bc->nlocals = (uint16_t)c->nlocals;
    bc->stack_size = (uint16_t)(c->max_depth + 8 > 65535 ? 65535 : c->max_depth + 8);
    if (bc->nics) {
        bc->ics = calloc(bc->nics, sizeof(js_ic));
        if (!bc->ics) cg_fail_oom(c);
    }
    free(c->cmap); c->cmap = NULL;
    free(c->labels); c->labels = NULL;
    free(c->fixups); c->fixups = NULL;
}

static void free_func(cg_func *c)
{
    free(c->code);
    free(c->lines);
    free(c->local_names);
    free(c->cmap);
    free(c->labels);
    free(c->fixups);
}

static void init_func(cg_func *c, cg_func *parent, cg_unit *u, jsast_function *fn)
{
    memset(c, 0, sizeof *c);
    c->parent = parent;
    c->unit = u;
    c->ast = fn;
    c->completion = -1;
    c->chain_label = -1;
    c->field_key_slot = -1;
    c->using_local = -1;
    c->bc = jsvm_function_bc_new(u->t);
    if (!c->bc) { u->failed = 1; return; }
    c->bc->filename = u->filename;
    c->bc->source = u->source;
    c->scope = parent ? parent->scope : NULL;
    c->sloppy_eval = parent ? parent->sloppy_eval : 0;
    c->sloppy_eval_fn = parent ? parent->sloppy_eval_fn : NULL;
    if (fn && (fn->flags & JSAST_FN_DIRECT_EVAL) && !(fn->flags & JSAST_FN_STRICT) &&
        fn->kind != JSAST_FN_SCRIPT && fn->kind != JSAST_FN_EVAL) {
        c->sloppy_eval = 1;
        c->sloppy_eval_fn = fn;
    }
}

static int has_simple_arg_storage(jsast_function *fn, jsast_node *p)
{
    if (p->kind != JSAST_IDENT) return 0;
    if (!(fn->flags & JSAST_FN_SIMPLE_PARAMS)) return 0;
    jsast_binding *b = p->u.ident.binding;
    if (!b) return 0;
    if (b->flags & JSAST_B_PARAM_DUP) return 0;
    if (binding_in_env(b)) return 0;
    return 1;
}

static void emit_prologue(cg_func *c, jsast_function *fn)
{
    jsast_scope *s = fn->scope;
    int simple = (fn->flags & JSAST_FN_SIMPLE_PARAMS) != 0;
    /* parameters that stay in their argument slots */
    for (uint32_t i = 0; i < fn->params.count; i++) {
        jsast_node *p = fn->params.items[i];
        if (has_simple_arg_storage(fn, p)) p->u.ident.binding->user = ST_MAKE(ST_ARG, i);
    }
    enter_scope_ex(c, s, 1, !simple);
    if (c->unit->failed) return;
    /* own name of a named function expression */
    if (fn->self && fn->self->scope == s) {
        cg_emit(c, OP_func_self);
        cg_put_binding_b(c, fn->self, fn->self->name, 1, 0, 0);
    }
    /* arguments object */
    if ((fn->flags & JSAST_FN_USES_ARGUMENTS) && fn->arguments) {
        int mapped = fn_mapped_args(fn);
        if (mapped) {
            uint16_t *map = calloc(fn->params.count ? fn->params.count : 1, sizeof(uint16_t));
            if (!map) { cg_fail_oom(c); return; }
            for (uint32_t i = 0; i < fn->params.count; i++) {
                jsast_node *p = fn->params.items[i];
                map[i] = 0xFFFF;
                if (p->kind == JSAST_IDENT && p->u.ident.binding && ST_KIND(p->u.ident.binding->user) == ST_ENV)
                    map[i] = (uint16_t)ST_INDEX(p->u.ident.binding->user);
            }
            /* the last of duplicate names wins the mapping */
            for (uint32_t i = 0; i < fn->params.count; i++)
                for (uint32_t j = i + 1; j < fn->params.count; j++)
                    if (map[i] != 0xFFFF && map[i] == map[j]) map[i] = 0xFFFF;
            c->bc->arg_env_slots = map;
        }
        cg_op_u8(c, OP_special_obj, mapped ? 1 : 0);
        cg_put_binding_b(c, fn->arguments, fn->arguments->name, 1, 0, 0);
    }
    /* parameters */
    uint32_t np = 0;
    for (uint32_t i = 0; i < fn->params.count; i++) {
        jsast_node *p = fn->params.items[i];
        if (p->kind == JSAST_REST) {
            cg_op_u16(c, OP_rest, i);
            cg_assign_pattern(c, p->u.arg.arg, 1);
            continue;
        }
        np = i + 1;
        if (p->kind == JSAST_IDENT && p->u.ident.binding && ST_KIND(p->u.ident.binding->user) == ST_ARG &&
            ST_INDEX(p->u.ident.binding->user) == i)
            continue;
        cg_op_u16(c, OP_get_arg, i);
        cg_assign_pattern(c, p, 1);
    }
    c->bc->nparams = (uint16_t)np;
    /* separate var scope when parameters have expressions */
    if (fn->var_scope && fn->var_scope != s) {
        jsast_scope *vs = fn->var_scope;
        enter_scope_ex(c, vs, 0, 0);
        for (uint32_t i = 0; i < vs->nbindings; i++) {
            jsast_binding *vb = vs->bindings[i];
            if (vb->kind != JSAST_BIND_VAR) continue;
            for (uint32_t j = 0; j < s->nbindings; j++) {
                jsast_binding *pb = s->bindings[j];
                if (pb->name == vb->name && (pb->kind == JSAST_BIND_PARAM || pb->kind == JSAST_BIND_ARGUMENTS)) {
                    /* the parameter's current value */
                    jsast_scope *saved = c->scope;
                    cg_get_binding_b(c, pb, pb->name, 0, 0);
                    c->scope = saved;
                    cg_put_binding_b(c, vb, vb->name, 1, 0, 0);
                    break;
                }
            }
        }
    }
    cg_instantiate_funcs(c, fn->var_scope ? fn->var_scope : s);
    if (fn->var_scope != s) {
        /* function declarations may also be recorded on the parameter scope */
    }
}

static uint32_t bc_flags_for(jsast_function *fn)
{
    uint32_t f = 0;
    int gen = (fn->flags & JSAST_FN_GENERATOR) != 0, as = (fn->flags & JSAST_FN_ASYNC) != 0;
    if (fn->flags & JSAST_FN_STRICT) f |= JSFB_STRICT;
    if (gen) f |= JSFB_GENERATOR | JSFB_HAS_PROTO;
    if (as) f |= JSFB_ASYNC;
    switch (fn->kind) {
    case JSAST_FN_NORMAL:
        if (!gen && !as) f |= JSFB_CONSTRUCTOR | JSFB_HAS_PROTO;
        break;
    case JSAST_FN_ARROW: f |= JSFB_ARROW; break;
    case JSAST_FN_METHOD: f |= JSFB_METHOD; break;
    case JSAST_FN_GETTER: case JSAST_FN_SETTER: f |= JSFB_METHOD | JSFB_ACCESSOR; break;
    case JSAST_FN_CLASS_CTOR: f |= JSFB_CLASS_CTOR | JSFB_CONSTRUCTOR | JSFB_METHOD | JSFB_STRICT; break;
    case JSAST_FN_DERIVED_CTOR: f |= JSFB_CLASS_CTOR | JSFB_CONSTRUCTOR | JSFB_DERIVED | JSFB_NEEDS_THIS_BOX | JSFB_METHOD | JSFB_STRICT; break;
    case JSAST_FN_FIELD_INIT: case JSAST_FN_STATIC_BLOCK: f |= JSFB_METHOD | JSFB_FIELD_INIT | JSFB_STRICT; break;
    case JSAST_FN_SCRIPT: f |= JSFB_SCRIPT; break;
    case JSAST_FN_EVAL: f |= JSFB_EVAL; break;
    case JSAST_FN_MODULE: f |= JSFB_MODULE | JSFB_STRICT; break;
    }
    return f;
}

static void set_fn_source(cg_func *c, jsast_function *fn, uint32_t start, uint32_t end)
{
    c->bc->src_start = u16_offset(c->unit, start);
    c->bc->src_end = u16_offset(c->unit, end);
    if (fn && fn->node) { c->bc->line = fn->node->line; c->bc->col = fn->node->col; }
}

js_function_bc *cg_compile_function(cg_func *parent, jsast_function *fn, const jsast_str *name_hint)
{
    cg_unit *u = parent->unit;
    if (u->failed) return NULL;
    if (jsvm_check_stack(u->t) < 0) { u->failed = 1; return NULL; }
    cg_func c;
    init_func(&c, parent, u, fn);
    if (u->failed) { free_func(&c); return NULL; }
    js_function_bc *bc = c.bc;
    bc->flags = bc_flags_for(fn);
    c.strict = (bc->flags & JSFB_STRICT) != 0;
    c.is_async = (fn->flags & JSAST_FN_ASYNC) != 0;
    c.is_generator = (fn->flags & JSAST_FN_GENERATOR) != 0;
    c.field_key_slot = -1;
    if (fn->kind == JSAST_FN_FIELD_INIT) {
        c.field_name = parent->field_name;
        c.field_key_slot = parent->field_key_slot;
        c.field_priv = parent->field_priv;
    }
    bc->length = (uint16_t)fn->length;
    const jsast_str *nm = fn->name ? fn->name : name_hint;
    if (nm) bc->name = cg_atom_value(&c, nm);
    else if (fn->kind != JSAST_FN_FIELD_INIT && fn->kind != JSAST_FN_STATIC_BLOCK) bc->name = jsrt_atom_value(u->t, JS_ATOM_empty);
    set_fn_source(&c, fn, fn->src_start, fn->src_end);
    c.scope = fn->scope ? fn->scope->parent : parent->scope;
    emit_prologue(&c, fn);
    if (c.is_generator) {
        cg_emit(&c, OP_initial_yield);
    }
    cg_stmts_scoped(&c, &fn->body);
    cg_emit(&c, OP_return_undef);
    /* clear scope state of this function */
    if (fn->var_scope && fn->var_scope != fn->scope) fn->var_scope->user = 0;
    if (fn->scope) fn->scope->user = 0;
    finish_function(&c);
    free_func(&c);
    if (u->failed) return NULL;
    return bc;
}

void cg_emit_closure(cg_func *c, jsast_function *fn, const jsast_str *name_hint)
{
    jsast_scope *saved = c->scope;
    js_function_bc *bc = cg_compile_function(c, fn, name_hint);
    c->scope = saved;
    if (!bc) { c->unit->failed = 1; cg_emit(c, OP_undef); return; }
    cg_op_u32(c, OP_closure, cg_const(c, jsv_cell(bc)));
}

/* ---- top level ---- */

static jsv names_array(cg_unit *u, jsv *names, uint32_t n)
{
    js_object *a = jsobj_new_array_from(u->t, n, names);
    return a ? jsv_object(a) : JSV_EXCEPTION;
}

/* Records the names GlobalDeclarationInstantiation / EvalDeclarationInstantiation need. */
static void record_decls(cg_func *c, jsast_function *fn)
{
    cg_unit *u = c->unit;
    jsast_scope *s = fn->var_scope ? fn->var_scope : fn->scope;
    if (!s) return;
    uint32_t n = s->nbindings;
    jsv *vars = calloc(n + 1, sizeof(jsv)), *funcs = calloc(n + 1, sizeof(jsv));
    jsv *lex = calloc(n + 1, sizeof(jsv)), *lexc = calloc(n + 1, sizeof(jsv));
    if (!vars || !funcs || !lex || !lexc) { free(vars); free(funcs); free(lex); free(lexc); cg_fail_oom(c); return; }
    uint32_t nv = 0, nf = 0, nl = 0;
    for (uint32_t i = 0; i < n; i++) {
        jsast_binding *b = s->bindings[i];
        jsv name = cg_atom_value(c, b->name);
        if (b->flags & JSAST_B_LEXICAL) {
            lex[nl] = name;
            lexc[nl] = jsv_from_bool((b->flags & JSAST_B_CONST) != 0);
            nl++;
        } else if (b->kind == JSAST_BIND_FUNCTION) {
            funcs[nf++] = name;
        } else if (b->kind == JSAST_BIND_VAR) {
            vars[nv++] = name;
        }
    }
    if (fn->scope != s) {
        /* lexical declarations may sit on the outer scope */
    }
    js_function_bc *bc = c->bc;
    if (!u->failed) {
        bc->decl_vars = names_array(u, vars, nv);
        bc->decl_funcs = names_array(u, funcs, nf);
        bc->decl_lex = names_array(u, lex, nl);
        bc->decl_lex_const = names_array(u, lexc, nl);
        if (bc->decl_vars == JSV_EXCEPTION || bc->decl_funcs == JSV_EXCEPTION ||
            bc->decl_lex == JSV_EXCEPTION || bc->decl_lex_const == JSV_EXCEPTION) u->failed = 1;
    }
    free(vars); free(funcs); free(lex); free(lexc);
}

/* The module scope: every binding lives in the module environment, which
 * module.c creates before linking (imports are filled in then), so the code
 * runs inside it instead of pushing it. */
static void enter_module_scope(cg_func *c, jsast_scope *s)
{
    s->user = SC_ENTERED | SC_ENV_LIVE;
    c->scope = s;
    js_scope_desc *d = jsvm_scope_desc_new(c->unit->t, s->nbindings);
    if (!d) { c->unit->failed = 1; return; }
    cg_const(c, jsv_cell(d));
    for (uint32_t i = 0; i < s->nbindings; i++) {
        jsast_binding *b = s->bindings[i];
        d->names[i] = cg_atom_value(c, b->name);
        d->kinds[i] = var_kind_of(b);
        b->user = ST_MAKE(ST_ENV, i);
    }
    c->bc->module_desc = d;
}

static jsast_str *arena_str(jsast_program *prog, const char *ascii)
{
    size_t n = strlen(ascii);
    jsast_str *s = jsast_alloc(prog->arena, sizeof(jsast_str) + (n + 1) * sizeof(uint16_t));
    if (!s) return NULL;
    s->len = (uint32_t)n;
    s->latin1 = 1;
    for (size_t i = 0; i < n; i++) s->chars[i] = (uint8_t)ascii[i];
    return s;
}

const jsast_str *cg_default_name(cg_func *c)
{
    if (!c->unit->default_name) c->unit->default_name = arena_str(c->unit->prog, "default");
    if (!c->unit->default_name) cg_fail_oom(c);
    return c->unit->default_name;
}

/* Binding of a hoisted module function: its name, or "*default*" for
 * `export default function () {}`. */
static jsast_binding *module_fn_binding(jsast_function *fn, jsast_scope *s)
{
    if (fn->id) return fn->id->u.ident.binding;
    for (uint32_t i = 0; i < s->nbindings; i++)
        if (s->bindings[i]->decl == fn->node) return s->bindings[i];
    return NULL;
}

/* InitializeEnvironment's function instantiation as separate code, run once
 * the environment exists and before any module of the graph evaluates. */
static js_function_bc *compile_module_init(cg_func *body, jsast_scope *s)
{
    cg_unit *u = body->unit;
    cg_func c;
    init_func(&c, NULL, u, NULL);
    if (u->failed) { free_func(&c); return NULL; }
    js_function_bc *bc = c.bc;
    bc->flags = JSFB_MODULE | JSFB_STRICT;
    c.strict = 1;
    bc->name = JSV_UNDEFINED;
    c.scope = s;
    for (uint32_t i = 0; i < s->funcs.count; i++) {
        jsast_function *fn = s->funcs.items[i]->u.func.fn;
        cg_emit_closure(&c, fn, fn->name ? NULL : cg_default_name(&c));
        jsast_binding *b = module_fn_binding(fn, s);
        if (b) cg_put_binding_b(&c, b, b->name, 1, 0, 0);
        else cg_emit(&c, OP_drop);
    }
    cg_emit(&c, OP_return_undef);
    finish_function(&c);
    free_func(&c);
    return u->failed ? NULL : bc;
}

static js_function_bc *compile_program(cg_unit *u, jsast_program *prog)
{
    cg_func c;
    jsast_function *fn = prog->fn;
    init_func(&c, NULL, u, fn);
    if (u->failed) { free_func(&c); return NULL; }
    js_function_bc *bc = c.bc;
    bc->flags = bc_flags_for(fn);
    c.strict = (bc->flags & JSFB_STRICT) != 0;
    c.is_eval_code = u->eval_mode == 1 || u->eval_mode == 2;
    bc->name = JSV_UNDEFINED;
    set_fn_source(&c, fn, 0, (uint32_t)prog->src_len);
    c.completion = (int)cg_new_local(&c, NULL);
    c.scope = NULL;
    record_decls(&c, fn);
    jsast_scope *s = fn->scope;
    if (fn->kind == JSAST_FN_MODULE && s) {
        if (fn->flags & JSAST_FN_HAS_TLA) { bc->flags |= JSFB_ASYNC; c.is_async = 1; }
        c.completion = -1;
        enter_module_scope(&c, s);
        if (!u->failed) {
            js_function_bc *ibc = compile_module_init(&c, s);
            if (ibc) { cg_const(&c, jsv_cell(ibc)); bc->module_init = ibc; }
        }
        cg_stmts_scoped(&c, &fn->body);   /* module-level `using` disposes at the end */
        cg_emit(&c, OP_return_undef);
        s->user = 0;
        finish_function(&c);
        free_func(&c);
        return u->failed ? NULL : bc;
    }
    if (s) {
        if (fn->kind == JSAST_FN_EVAL && !c.strict) {
            /* var-scoped names go to the caller's variable environment; all
             * are checked before any is created (EvalDeclarationInstantiation) */
            jsast_scope *vs = fn->var_scope ? fn->var_scope : s;
            for (uint32_t i = vs->funcs.count; i-- > 0; ) {
                jsast_function *df = vs->funcs.items[i]->u.func.fn;
                if (df->name) cg_op_atom(&c, OP_chk_fn, df->name);
            }
            for (uint32_t i = 0; i < s->nbindings; i++) {
                jsast_binding *b = s->bindings[i];
                if (b->kind == JSAST_BIND_VAR) cg_op_atom(&c, OP_chk_var, b->name);
            }
            for (uint32_t i = 0; i < s->nbindings; i++) {
                jsast_binding *b = s->bindings[i];
                if (b->kind == JSAST_BIND_VAR) cg_op_atom(&c, OP_def_var, b->name);
            }
        }
        enter_scope_ex(&c, s, 0, 0);
        if (fn->var_scope && fn->var_scope != s) enter_scope_ex(&c, fn->var_scope, 0, 0);
        cg_instantiate_funcs(&c, fn->var_scope ? fn->var_scope : s);
    }
    cg_stmts(&c, &fn->body);
    if (c.completion >= 0) cg_op_u16(&c, OP_get_loc, (uint32_t)c.completion);
    else cg_emit(&c, OP_undef);
    cg_emit(&c, OP_return);
    if (s) s->user = 0;
    finish_function(&c);
    free_func(&c);
    return u->failed ? NULL : bc;
}

js_function_bc *jscomp_compile_program(js_thread *t, jsast_program *prog, const char *filename, int eval_mode)
{
    cg_unit u;
    memset(&u, 0, sizeof u);
    u.t = t;
    u.prog = prog;
    u.eval_mode = eval_mode;
    js_string *src = jsstr_new_utf8(t, (const char *)prog->src, prog->src_len);
    if (!src) return NULL;
    u.source = jsv_string(src);
    js_string *fname = jsstr_new_cstr(t, filename ? filename : "<anonymous>");
    if (!fname) return NULL;
    u.filename = jsv_string(fname);
    int ascii = 1;
    for (size_t i = 0; i < prog->src_len; i++) if (prog->src[i] >= 0x80) { ascii = 0; break; }
    if (!ascii) {
        u.u16map = malloc((prog->src_len + 1) * sizeof(uint32_t));
        if (!u.u16map) { jsvm_throw_out_of_memory(t); return NULL; }
        uint32_t o = 0;
        for (size_t i = 0; i <= prog->src_len; i++) {
            u.u16map[i] = o;
            if (i == prog->src_len) break;
            uint8_t b = prog->src[i];
            if (b < 0x80 || b >= 0xC0) o += (b >= 0xF0) ? 2 : 1;
        }
    }
    js_function_bc *bc = compile_program(&u, prog);
    free(u.u16map);
    if (!bc && !t->has_exception) jsvm_throw_out_of_memory(t);
    return bc;
}
