/*
 * codegen_class.c - bytecode for class definitions: constructor and prototype
 * creation, methods and accessors, private names (fresh symbols per class
 * evaluation kept in the class scope's environment), instance and static field
 * initializers (synthesized functions), static blocks. Must not modify the AST
 * beyond jsast_class.user (the count of extra environment slots).
 */
#include <string.h>
#include <stdlib.h>
#include "codegen.h"

typedef struct {
    int priv_base;      /* env slot of private name 0 */
    int *fn_slot;       /* per element: method/initializer/static block closure slot, or -1 */
    int *fn_slot2;      /* per element: unused */
    int *key_slot;      /* per element: computed field key slot, or -1 */
    int total;
    int deco_slot;      /* env slot of the decoration state (decorators.c), or -1 */
} class_layout;

static const jsast_deco_el *deco_rec(const jsast_class *cls, const jsast_node *e)
{
    for (uint32_t i = 0; i < cls->nel_decos; i++)
        if (cls->el_decos[i].el == e) return &cls->el_decos[i];
    return NULL;
}

/* The state index of a decorated field's (or auto-accessor's) initializer
 * list, after the four fixed slots of the state; its addInitializer list
 * follows it. */
static int field_list_slot(const jsast_class *cls, const jsast_node *e)
{
    int n = 4;
    for (uint32_t i = 0; i < cls->nel_decos && cls->el_decos[i].el != e; i++)
        if (cls->el_decos[i].el->kind == JSAST_FIELD || cls->el_decos[i].storage) n += 2;
    return n;
}

/* For a field: the slot of its initializer lists, or -1 when undecorated
 * (the storage field of a decorated auto-accessor takes the accessor's). */
static int field_slot_of(const jsast_class *cls, const jsast_node *e)
{
    for (uint32_t i = 0; i < cls->nel_decos; i++)
        if (cls->el_decos[i].el == e || cls->el_decos[i].storage == e)
            return field_list_slot(cls, cls->el_decos[i].el);
    return -1;
}

/* Evaluates decorator expressions, in order, into a new array on the stack:
 * decorator, receiver, decorator, receiver, ... */
static void emit_deco_array(cg_func *c, const jsast_list *l)
{
    cg_emit(c, OP_array);
    for (uint32_t i = 0; i < l->count; i++) {
        cg_value_and_this(c, l->items[i]);   /* arr fn this */
        cg_emit(c, OP_rot3r);                /* this arr fn */
        cg_emit(c, OP_append);
        cg_emit(c, OP_swap);
        cg_emit(c, OP_append);
    }
}

/* decorators.c flags */
enum { DK_METHOD = 1, DK_GETTER, DK_SETTER, DK_FIELD, DK_ACCESSOR, DK_STATIC = 8, DK_PRIVATE = 16 };

uint32_t cg_priv_atom(cg_func *c, const jsast_str *name, const char *prefix)
{
    size_t pl = prefix ? strlen(prefix) : 0;
    uint32_t len = name->len;
    uint16_t *buf = malloc((pl + len + 2) * sizeof(uint16_t));
    if (!buf) { cg_fail_oom(c); return 0; }
    size_t k = 0;
    for (size_t i = 0; i < pl; i++) buf[k++] = (uint8_t)prefix[i];
    buf[k++] = '#';
    memcpy(buf + k, name->chars, len * 2);
    k += len;
    js_string *s = jsstr_new_utf16(c->unit->t, buf, k);
    free(buf);
    if (!s || !(s = jsstr_intern(c->unit->t, s))) { c->unit->failed = 1; return 0; }
    return cg_const(c, jsv_string(s));
}

/* A function made of bytecode the compiler writes itself (default constructor,
 * field initializers). */
typedef struct synth {
    cg_func f;
} synth;

static void synth_begin(cg_func *parent, cg_func *f, uint32_t flags)
{
    memset(f, 0, sizeof *f);
    f->parent = parent;
    f->unit = parent->unit;
    f->completion = -1;
    f->chain_label = -1;
    f->field_key_slot = -1;
    f->using_local = -1;
    f->strict = 1;
    f->scope = parent->scope;
    f->bc = jsvm_function_bc_new(parent->unit->t);
    if (!f->bc) { parent->unit->failed = 1; return; }
    f->bc->flags = flags;
    f->bc->filename = parent->unit->filename;
    f->bc->source = parent->unit->source;
    f->bc->name = jsrt_atom_value(parent->unit->t, JS_ATOM_empty);
}

/* Finishes a synthesized function: defined in codegen.c as static, so we
 * reproduce the small part we need. */
static js_function_bc *synth_end(cg_func *f)
{
    js_function_bc *bc = f->bc;
    for (uint32_t i = 0; i < f->nfixups; i++) {
        int32_t pos = f->labels[f->fixups[i].label].pos;
        int32_t rel = pos - (int32_t)(f->fixups[i].at + 4);
        memcpy(f->code + f->fixups[i].at, &rel, 4);
    }
    bc->code = f->code;
    bc->code_len = f->len;
    bc->nlocals = (uint16_t)f->nlocals;
    bc->local_names = f->local_names;
    bc->stack_size = (uint16_t)(f->max_depth + 8);
    bc->lines = f->lines;
    bc->nlines = f->nlines;
    if (bc->nics) {
        bc->ics = calloc(bc->nics, sizeof(js_ic));
        if (!bc->ics) cg_fail_oom(f);
    }
    free(f->cmap);
    free(f->labels);
    free(f->fixups);
    return bc;
}

static int is_private_key(const jsast_node *e)
{
    const jsast_node *k = e->kind == JSAST_METHOD ? e->u.method.key : e->kind == JSAST_FIELD ? e->u.field.key : NULL;
    return k && k->kind == JSAST_PRIVATE_NAME;
}

static int elem_static(const jsast_node *e) { return (e->flags & JSAST_F_STATIC) != 0; }

/* Emit the initializer body for one side (instance or static). */
static void emit_initializer(cg_func *f, jsast_class *cls, class_layout *lay, int want_static)
{
    jsast_scope *cs = cls->scope;
    uint32_t d = cg_env_depth(f, cs);
    /* private methods and accessors first */
    for (uint32_t p = 0; p < cls->nprivates; p++) {
        jsast_private_name *pr = cls->privates[p];
        if (pr->kind == JSAST_PRIV_FIELD || (int)pr->is_static != want_static) continue;
        if (pr->kind == JSAST_PRIV_METHOD) {
            /* find the element */
            for (uint32_t i = 0; i < cls->elements.count; i++) {
                const jsast_node *e = cls->elements.items[i];
                if (e == pr->decl) {
                    cg_emit(f, OP_push_this);
                    cg_op_env(f, OP_get_env, d, lay->priv_base + p);
                    cg_op_env(f, OP_get_env, d, lay->fn_slot[i]);
                    cg_op_u8(f, OP_def_private_m, 0);
                    cg_adjust(f, -3);
                }
            }
            continue;
        }
        cg_emit(f, OP_push_this);
        cg_op_env(f, OP_get_env, d, lay->priv_base + p);
        int gs = -1, ss = -1;
        for (uint32_t i = 0; i < cls->elements.count; i++) {
            const jsast_node *e = cls->elements.items[i];
            if (e == pr->getter) gs = lay->fn_slot[i];
            if (e == pr->setter) ss = lay->fn_slot[i];
            if (pr->kind == JSAST_PRIV_GETTER && e == pr->decl && gs < 0) gs = lay->fn_slot[i];
            if (pr->kind == JSAST_PRIV_SETTER && e == pr->decl && ss < 0) ss = lay->fn_slot[i];
        }
        if (gs >= 0) cg_op_env(f, OP_get_env, d, gs); else cg_emit(f, OP_undef);
        if (ss >= 0) cg_op_env(f, OP_get_env, d, ss); else cg_emit(f, OP_undef);
        cg_op_u8(f, OP_def_private_m, 1);
        cg_adjust(f, -4);
    }
    if (!want_static && lay->deco_slot >= 0) {
        /* addInitializer's instance initializers: after the private methods,
         * before the fields */
        cg_emit(f, OP_push_this);
        cg_op_env(f, OP_get_env, d, lay->deco_slot);
        cg_op_u16(f, OP_deco_run, 2);
    }
    /* fields and static blocks in order */
    for (uint32_t i = 0; i < cls->elements.count; i++) {
        const jsast_node *e = cls->elements.items[i];
        if (elem_static(e) != want_static && e->kind != JSAST_STATIC_BLOCK) continue;
        if (e->kind == JSAST_STATIC_BLOCK) {
            if (!want_static) continue;
            cg_op_env(f, OP_get_env, d, lay->fn_slot[i]);
            cg_emit(f, OP_push_this);
            cg_op_u16(f, OP_call, 0);
            cg_adjust(f, -2);
            cg_emit(f, OP_drop);
            continue;
        }
        if (e->kind != JSAST_FIELD) continue;
        const jsast_node *k = e->u.field.key;
        if (k->kind == JSAST_PRIVATE_NAME) {
            jsast_private_name *pr = k->u.priv.decl;
            cg_op_env(f, OP_get_env, d, lay->priv_base + (pr ? pr->index : 0));
        } else if (lay->key_slot[i] >= 0) {
            cg_op_env(f, OP_get_env, d, lay->key_slot[i]);
        } else {
            uint32_t idx;
            if (k->kind == JSAST_IDENT) idx = cg_atom(f, k->u.ident.name);
            else if (k->kind == JSAST_STRING) idx = cg_atom(f, k->u.str.value);
            else idx = cg_static_key(f, k);
            cg_op_u32(f, OP_push_const, idx);
        }
        if (lay->fn_slot[i] >= 0) {
            cg_op_env(f, OP_get_env, d, lay->fn_slot[i]);
            cg_emit(f, OP_push_this);
            cg_op_u16(f, OP_call, 0);
            cg_adjust(f, -2);
        } else {
            cg_emit(f, OP_undef);
        }
        int fslot = lay->deco_slot >= 0 ? field_slot_of(cls, e) : -1;
        if (fslot >= 0) {
            /* [key value] -> [key value'] through the decorators' initializers */
            cg_emit(f, OP_push_this);
            cg_emit(f, OP_swap);
            cg_op_env(f, OP_get_env, d, lay->deco_slot);
            cg_op_u32(f, OP_push_i32, (uint32_t)fslot);
            cg_emit(f, OP_get_elem);
            cg_emit(f, OP_swap);
            cg_emit(f, OP_deco_inits);
            cg_emit(f, OP_def_field_this);
            cg_emit(f, OP_push_this);
            cg_op_env(f, OP_get_env, d, lay->deco_slot);
            cg_op_u16(f, OP_deco_run, (uint32_t)(fslot + 1));
            continue;
        }
        cg_emit(f, OP_def_field_this);
    }
    cg_emit(f, OP_return_undef);
}

static int needs_initializer(jsast_class *cls, int want_static)
{
    if (!want_static && (cls->decorators.count || cls->nel_decos)) return 1;
    for (uint32_t p = 0; p < cls->nprivates; p++)
        if (cls->privates[p]->kind != JSAST_PRIV_FIELD && (int)cls->privates[p]->is_static == want_static) return 1;
    for (uint32_t i = 0; i < cls->elements.count; i++) {
        const jsast_node *e = cls->elements.items[i];
        if (e->kind == JSAST_STATIC_BLOCK && want_static) return 1;
        if (e->kind == JSAST_FIELD && elem_static(e) == want_static) return 1;
    }
    return 0;
}

/* Pushes the key a decorated element's context names: its private name, the
 * computed key (env slot or local kl), or the literal key. */
static void emit_deco_key(cg_func *c, jsast_class *cls, class_layout *lay, uint32_t i, int kl)
{
    const jsast_node *e = cls->elements.items[i];
    const jsast_node *k = e->kind == JSAST_METHOD ? e->u.method.key : e->u.field.key;
    if (k->kind == JSAST_PRIVATE_NAME) {
        jsast_private_name *pr = k->u.priv.decl;
        cg_op_env(c, OP_get_env, 0, (uint32_t)(lay->priv_base + (pr ? pr->index : 0)));
    } else if (kl >= 0) {
        cg_op_u16(c, OP_get_loc, (uint32_t)kl);
    } else if (lay->key_slot[i] >= 0) {
        cg_op_env(c, OP_get_env, 0, (uint32_t)lay->key_slot[i]);
    } else {
        const jsast_str *kn = k->kind == JSAST_IDENT ? k->u.ident.name : k->kind == JSAST_STRING ? k->u.str.value : NULL;
        cg_op_u32(c, OP_push_const, kn ? cg_atom(c, kn) : cg_static_key(c, k));
    }
}

/* [ctor proto] -> [ctor proto home key state decos key]: the home object
 * (ctor for static elements), the element's key kept for redefinition, and
 * the operands of deco_elem but its value. */
static void emit_deco_operands(cg_func *c, jsast_class *cls, class_layout *lay, uint32_t i, int kl,
                               int st, int dl)
{
    cg_emit(c, st ? OP_over : OP_dup);
    emit_deco_key(c, cls, lay, i, kl);
    cg_emit(c, OP_dup);
    cg_op_env(c, OP_get_env, 0, (uint32_t)lay->deco_slot);
    cg_emit(c, OP_swap);
    cg_op_u16(c, OP_get_loc, (uint32_t)dl);
    cg_emit(c, OP_swap);
}

/* Applies one element's decorators (decorators.c): [ctor proto] unchanged.
 * Methods, getters and setters are redefined with what the decorators
 * return; a field's decorators leave initializer lists in the state. */
static void emit_decorate(cg_func *c, jsast_class *cls, class_layout *lay, uint32_t i, int dl, const int *floc, int kl)
{
    const jsast_node *e = cls->elements.items[i];
    int st = elem_static(e);
    int fl = st ? DK_STATIC : 0;
    if (e->kind == JSAST_FIELD) {
        fl |= DK_FIELD | (e->u.field.key->kind == JSAST_PRIVATE_NAME ? DK_PRIVATE : 0);
        cg_op_env(c, OP_get_env, 0, (uint32_t)lay->deco_slot);
        cg_op_u16(c, OP_get_loc, (uint32_t)dl);
        emit_deco_key(c, cls, lay, i, -1);
        cg_emit(c, OP_undef);
        cg_op_env(c, OP_deco_elem, (uint32_t)fl, (uint32_t)field_list_slot(cls, e));
        cg_emit(c, OP_drop);
        return;
    }
    int kind = e->u.method.kind == JSAST_METHOD_GET ? 1 : e->u.method.kind == JSAST_METHOD_SET ? 2 : 0;
    int priv = e->u.method.key->kind == JSAST_PRIVATE_NAME;
    const jsast_deco_el *rec = deco_rec(cls, e);
    if (rec && rec->storage) {
        /* auto-accessor: [get, set] in, [get', set'] out (element i + 1 is the setter) */
        int fs = field_list_slot(cls, e);
        fl |= DK_ACCESSOR | (priv ? DK_PRIVATE : 0);
        emit_deco_operands(c, cls, lay, i, kl, st, dl);
        cg_emit(c, OP_array);
        for (int j = 0; j < 2; j++) {
            if (priv) cg_op_env(c, OP_get_env, 0, (uint32_t)lay->fn_slot[i + j]);
            else cg_op_u16(c, OP_get_loc, (uint32_t)floc[i + j]);
            cg_emit(c, OP_append);
        }
        cg_op_env(c, OP_deco_elem, (uint32_t)fl, (uint32_t)fs);
        cg_op_u16(c, OP_put_loc, (uint32_t)floc[i]);
        /* [.. home key] */
        if (priv) {
            cg_emit(c, OP_drop);
            cg_emit(c, OP_drop);
            for (int j = 0; j < 2; j++) {
                cg_op_u16(c, OP_get_loc, (uint32_t)floc[i]);
                cg_op_u32(c, OP_push_i32, (uint32_t)j);
                cg_emit(c, OP_get_elem);
                cg_op_env(c, OP_put_env, 0, (uint32_t)lay->fn_slot[i + j]);
            }
            return;
        }
        for (int j = 0; j < 2; j++) {
            if (j) emit_deco_key(c, cls, lay, i, kl);
            cg_op_u16(c, OP_get_loc, (uint32_t)floc[i]);
            cg_op_u32(c, OP_push_i32, (uint32_t)j);
            cg_emit(c, OP_get_elem);
            cg_op_u8(c, OP_def_method_c, (uint32_t)((j + 1) | 8));
        }
        cg_emit(c, OP_drop);
        return;
    }
    fl |= (kind + 1) | (priv ? DK_PRIVATE : 0);
    /* [ctor proto] -> [.. home key state decos key fn] -> [.. home key fn'] */
    emit_deco_operands(c, cls, lay, i, kl, st, dl);
    cg_op_u16(c, OP_get_loc, (uint32_t)floc[i]);
    cg_op_env(c, OP_deco_elem, (uint32_t)fl, 0);
    if (priv) {
        /* kept in the class environment; installed per object */
        cg_op_env(c, OP_put_env, 0, (uint32_t)lay->fn_slot[i]);
        cg_emit(c, OP_drop);
    } else
        cg_op_u8(c, OP_def_method_c, (uint32_t)(kind | 8));
    cg_emit(c, OP_drop);
}

void cg_class(cg_func *c, jsast_class *cls, const jsast_str *name_hint)
{
    if (c->unit->failed) return;
    uint32_t ne = cls->elements.count;
    class_layout lay;
    memset(&lay, 0, sizeof lay);
    lay.fn_slot = malloc((ne + 1) * sizeof(int));
    lay.key_slot = malloc((ne + 1) * sizeof(int));
    int *dloc = malloc((3 * ne + 1) * sizeof(int)), *floc = dloc + ne, *kloc = dloc + 2 * ne;
    if (!lay.fn_slot || !lay.key_slot || !dloc) { free(lay.fn_slot); free(lay.key_slot); free(dloc); cg_fail_oom(c); return; }
    for (uint32_t i = 0; i < 3 * ne; i++) dloc[i] = -1;
    for (uint32_t i = 0; i < cls->nel_decos; i++) {
        /* a decorated auto-accessor's getter and setter, kept for its decorators */
        if (!cls->el_decos[i].storage) continue;
        for (uint32_t j = 0; j + 1 < ne; j++)
            if (cls->elements.items[j] == cls->el_decos[i].el) {
                floc[j] = (int)cg_new_local(c, NULL);
                floc[j + 1] = (int)cg_new_local(c, NULL);
            }
    }
    int extra = (int)cls->nprivates;
    int decorated = cls->decorators.count || cls->nel_decos;
    int class_decos = -1, deco_res = -1;
    lay.deco_slot = -1;
    if (decorated) {
        /* class decorators are evaluated first, outside the class scope */
        emit_deco_array(c, &cls->decorators);
        class_decos = (int)cg_new_local(c, NULL);
        cg_op_u16(c, OP_put_loc, (uint32_t)class_decos);
        deco_res = (int)cg_new_local(c, NULL);
        lay.deco_slot = extra++;
    }
    for (uint32_t i = 0; i < ne; i++) {
        const jsast_node *e = cls->elements.items[i];
        lay.fn_slot[i] = lay.key_slot[i] = -1;
        if (e->kind == JSAST_METHOD && is_private_key(e)) lay.fn_slot[i] = extra++;
        else if (e->kind == JSAST_FIELD) {
            if ((e->flags & JSAST_F_COMPUTED) && !is_private_key(e)) lay.key_slot[i] = extra++;
            if (e->u.field.value) lay.fn_slot[i] = extra++;
        } else if (e->kind == JSAST_STATIC_BLOCK) lay.fn_slot[i] = extra++;
    }
    jsast_scope *cs = cls->scope;
    jsast_scope *saved_scope = c->scope;
    cls->user = cs ? (uint32_t)extra : 0;
    if (cs) cg_enter_scope(c, cs, 0);
    int base = cs ? (int)(cs->user >> 8) : 0;
    lay.priv_base = base;
    if (lay.deco_slot >= 0) lay.deco_slot += base;
    for (uint32_t i = 0; i < ne; i++) {
        if (lay.fn_slot[i] >= 0) lay.fn_slot[i] += base + 0;
        if (lay.key_slot[i] >= 0) lay.key_slot[i] += base + 0;
    }
    cg_block sb;
    int has_env = cs && (cs->user & SC_ENV_LIVE);
    if (has_env) cg_push_block(c, &sb, BK_SCOPE, NULL);
    /* private names */
    for (uint32_t p = 0; p < cls->nprivates; p++) {
        cg_op_u32(c, OP_private_sym, cg_priv_atom(c, cls->privates[p]->name, NULL));
        cg_op_env(c, OP_put_env, 0, base + p);
    }
    /* heritage */
    if (cls->heritage) cg_expr(c, cls->heritage);
    else cg_emit(c, OP_empty);
    /* constructor */
    const jsast_str *name = cls->name ? cls->name : name_hint;
    js_function_bc *cbc;
    if (cls->constructor) {
        jsast_function *fn = cls->constructor->u.method.value->u.func.fn;
        cbc = cg_compile_function(c, fn, name);
        c->scope = cs ? cs : saved_scope;
    } else {
        cg_func f;
        uint32_t fl = JSFB_CLASS_CTOR | JSFB_CONSTRUCTOR | JSFB_METHOD | JSFB_STRICT | JSFB_DEFAULT_CTOR;
        if (cls->heritage) fl |= JSFB_DERIVED | JSFB_NEEDS_THIS_BOX;
        synth_begin(c, &f, fl);
        if (c->unit->failed) { free(lay.fn_slot); free(lay.key_slot); free(dloc); return; }
        cg_emit(&f, OP_return_undef);
        cbc = synth_end(&f);
        if (cbc && cls->node) { cbc->line = cls->node->line; cbc->col = cls->node->col; }
    }
    if (!cbc) { c->unit->failed = 1; free(lay.fn_slot); free(lay.key_slot); free(dloc); return; }
    if (name) cbc->name = cg_atom_value(c, name);
    else cbc->name = jsrt_atom_value(c->unit->t, JS_ATOM_empty);
    cbc->src_start = cls->src_start;
    cbc->src_end = cls->src_end;
    if (c->unit->u16map) {
        size_t L = c->unit->prog->src_len;
        cbc->src_start = c->unit->u16map[cls->src_start > L ? L : cls->src_start];
        cbc->src_end = c->unit->u16map[cls->src_end > L ? L : cls->src_end];
    }
    cg_emit(c, OP_make_class);
    cg_emit_u32(c, cg_const(c, jsv_cell(cbc)));
    cg_emit_u8(c, cls->heritage ? 1 : 0);
    /* [ctor proto] */
    if (decorated) {
        /* the decoration state: metadata object and initializer lists */
        cg_emit(c, OP_over);
        cg_op_u8(c, OP_deco_state, cls->heritage ? 1 : 0);
        cg_op_env(c, OP_put_env, 0, (uint32_t)lay.deco_slot);
    }
    uint32_t shared_key = 0;
    for (uint32_t i = 0; i < ne && !c->unit->failed; i++) {
        const jsast_node *e = cls->elements.items[i];
        cg_pos(c, e);
        int st = elem_static(e);
        const jsast_deco_el *rec = decorated ? deco_rec(cls, e) : NULL;
        const jsast_list *dl = rec ? &rec->decos : NULL;
        if (dl) {
            /* an element's decorators are evaluated before its key */
            emit_deco_array(c, dl);
            dloc[i] = (int)cg_new_local(c, NULL);
            cg_op_u16(c, OP_put_loc, (uint32_t)dloc[i]);
        }
        if (e->kind == JSAST_METHOD && dl && !rec->storage) {
            /* defined now with the undecorated function (property order);
             * the decorators run after every element (emit_decorate) */
            const jsast_node *k = e->u.method.key;
            jsast_function *fn = e->u.method.value->u.func.fn;
            int kind = e->u.method.kind == JSAST_METHOD_GET ? 1 : e->u.method.kind == JSAST_METHOD_SET ? 2 : 0;
            if (st) cg_emit(c, OP_swap);
            if (e->flags & JSAST_F_COMPUTED) {
                cg_expr(c, k);
                cg_emit(c, OP_to_propkey);
                kloc[i] = (int)cg_new_local(c, NULL);
                cg_emit(c, OP_dup);
                cg_op_u16(c, OP_put_loc, (uint32_t)kloc[i]);
            } else if (k->kind == JSAST_PRIVATE_NAME) {
                cg_op_u32(c, OP_push_const, cg_priv_atom(c, k->u.priv.name, NULL));
            } else
                emit_deco_key(c, cls, &lay, i, -1);
            /* [.. home key] -> [.. home key fn]: home object and name as usual */
            cg_emit(c, OP_over);
            cg_emit_closure(c, fn, NULL);
            cg_emit(c, OP_set_home);
            cg_emit(c, OP_nip);
            cg_op_u8(c, OP_set_name_c, (uint32_t)kind);
            floc[i] = (int)cg_new_local(c, NULL);
            cg_emit(c, OP_dup);
            cg_op_u16(c, OP_put_loc, (uint32_t)floc[i]);
            if (k->kind == JSAST_PRIVATE_NAME) {
                cg_op_env(c, OP_put_env, 0, (uint32_t)lay.fn_slot[i]);
                cg_emit(c, OP_drop);
            } else {
                cg_op_u8(c, OP_def_method_c, (uint32_t)(kind | 8));
            }
            if (st) cg_emit(c, OP_swap);
            continue;
        }
        if (e->kind == JSAST_METHOD) {
            const jsast_node *k = e->u.method.key;
            jsast_function *fn = e->u.method.value->u.func.fn;
            int kind = e->u.method.kind == JSAST_METHOD_GET ? 1 : e->u.method.kind == JSAST_METHOD_SET ? 2 : 0;
            if (k->kind == JSAST_PRIVATE_NAME) {
                /* closure with its home object, kept in the class environment */
                cg_emit(c, st ? OP_over : OP_dup);
                cg_emit_closure(c, fn, NULL);
                cg_emit(c, OP_set_home);
                cg_emit(c, OP_nip);
                {
                    /* name "#x" / "get #x" */
                    uint32_t a = cg_priv_atom(c, k->u.priv.name, NULL);
                    cg_emit(c, OP_push_const);
                    cg_emit_u32(c, a);
                    cg_emit(c, OP_swap);
                    cg_op_u8(c, OP_set_name_c, kind);
                    cg_emit(c, OP_nip);
                }
                cg_op_env(c, OP_put_env, 0, lay.fn_slot[i]);
                continue;
            }
            if (st) cg_emit(c, OP_swap);
            if (e->flags & JSAST_F_COMPUTED) {
                const jsast_node *nx = i + 1 < ne ? cls->elements.items[i + 1] : NULL;
                if (e->flags & JSAST_F_SHARED_KEY) {
                    cg_op_u16(c, OP_get_loc, shared_key);
                } else {
                    cg_expr(c, k);
                    cg_emit(c, OP_to_propkey);
                    if (nx && nx->kind == JSAST_METHOD && (nx->flags & JSAST_F_SHARED_KEY)) {
                        /* auto-accessor: the setter takes the same key value */
                        shared_key = cg_new_local(c, NULL);
                        cg_emit(c, OP_dup);
                        cg_op_u16(c, OP_put_loc, shared_key);
                    }
                }
                cg_emit_closure(c, fn, NULL);
                if (floc[i] >= 0) {
                    cg_emit(c, OP_dup);
                    cg_op_u16(c, OP_put_loc, (uint32_t)floc[i]);
                }
                cg_op_u8(c, OP_def_method_c, kind | 16);
                if (rec && rec->storage) kloc[i] = (int)shared_key;
            } else {
                const jsast_str *kn = k->kind == JSAST_IDENT ? k->u.ident.name : k->kind == JSAST_STRING ? k->u.str.value : NULL;
                cg_emit_closure(c, fn, kind ? NULL : kn);
                if (floc[i] >= 0) {
                    cg_emit(c, OP_dup);
                    cg_op_u16(c, OP_put_loc, (uint32_t)floc[i]);
                }
                uint32_t key;
                if (kn) key = cg_atom(c, kn);
                else key = cg_static_key(c, k);
                cg_emit(c, OP_def_method);
                cg_emit_u32(c, key);
                cg_emit_u8(c, (uint8_t)(kind | ((kind || !kn) ? 16 : 0)));
            }
            if (st) cg_emit(c, OP_swap);
            continue;
        }
        if (e->kind == JSAST_FIELD) {
            if (lay.key_slot[i] >= 0) {
                cg_expr(c, e->u.field.key);
                cg_emit(c, OP_to_propkey);
                cg_op_env(c, OP_put_env, 0, lay.key_slot[i]);
            }
            if (lay.fn_slot[i] >= 0) {
                jsast_function *fn = e->u.field.value->u.func.fn;
                const jsast_node *k = e->u.field.key;
                const jsast_str *fname = NULL;
                if (!(e->flags & JSAST_F_COMPUTED)) {
                    if (k->kind == JSAST_IDENT) fname = k->u.ident.name;
                    else if (k->kind == JSAST_STRING) fname = k->u.str.value;
                }
                cg_emit(c, st ? OP_over : OP_dup);
                c->field_name = fname;
                c->field_key_slot = lay.key_slot[i];
                c->field_priv = k->kind == JSAST_PRIVATE_NAME ? k->u.priv.name : NULL;
                cg_emit_closure(c, fn, NULL);
                c->field_name = NULL;
                c->field_key_slot = -1;
                c->field_priv = NULL;
                cg_emit(c, OP_set_home);
                cg_emit(c, OP_nip);
                cg_op_env(c, OP_put_env, 0, lay.fn_slot[i]);
            }
            continue;
        }
        if (e->kind == JSAST_STATIC_BLOCK) {
            cg_emit(c, OP_over);
            cg_emit_closure(c, e->u.func.fn, NULL);
            cg_emit(c, OP_set_home);
            cg_emit(c, OP_nip);
            cg_op_env(c, OP_put_env, 0, lay.fn_slot[i]);
        }
    }
    if (decorated) {
        /* element decorators: static methods and accessors, instance ones,
         * static fields, instance fields (each group in source order) */
        for (int pass = 0; pass < 4 && !c->unit->failed; pass++)
            for (uint32_t i = 0; i < ne; i++) {
                const jsast_node *e = cls->elements.items[i];
                if (dloc[i] < 0 || (e->kind == JSAST_FIELD) != (pass >= 2) || elem_static(e) != !(pass & 1))
                    continue;
                emit_decorate(c, cls, &lay, i, dloc[i], floc, kloc[i]);
            }
        /* class decorators, after every element's: [ctor proto] stays, the
         * class they produce goes to deco_res */
        cg_emit(c, OP_over);
        cg_op_env(c, OP_get_env, 0, (uint32_t)lay.deco_slot);
        cg_op_u16(c, OP_get_loc, (uint32_t)class_decos);
        if (name) cg_op_u32(c, OP_push_const, cg_atom(c, name));
        else cg_emit(c, OP_undef);
        cg_emit(c, OP_deco_class);
        cg_op_u16(c, OP_put_loc, (uint32_t)deco_res);
    }
    /* the inner name binding */
    if (cls->inner) {
        if (decorated) cg_op_u16(c, OP_get_loc, (uint32_t)deco_res);
        else cg_emit(c, OP_over);
        cg_put_binding_b(c, cls->inner, cls->inner->name, 1, 0, 0);
    }
    for (int side = 0; side < 2 && !c->unit->failed; side++) {
        if (!needs_initializer(cls, side)) continue;
        cg_func f;
        synth_begin(c, &f, JSFB_METHOD | JSFB_STRICT | JSFB_FIELD_INIT);
        if (c->unit->failed) break;
        emit_initializer(&f, cls, &lay, side);
        js_function_bc *ib = synth_end(&f);
        if (!ib) { c->unit->failed = 1; break; }
        if (side == 1 && decorated) {
            /* static addInitializer initializers run before static fields */
            cg_emit(c, OP_over);
            cg_op_env(c, OP_get_env, 0, (uint32_t)lay.deco_slot);
            cg_op_u16(c, OP_deco_run, 1);
        }
        /* [ctor proto] -> [proto ctor] init */
        cg_emit(c, OP_swap);
        cg_op_u32(c, OP_closure, cg_const(c, jsv_cell(ib)));
        cg_op_u8(c, OP_set_fields, side);
        cg_emit(c, OP_swap);
    }
    if (decorated) {
        if (!needs_initializer(cls, 1)) {
            cg_emit(c, OP_over);
            cg_op_env(c, OP_get_env, 0, (uint32_t)lay.deco_slot);
            cg_op_u16(c, OP_deco_run, 1);
        }
        /* the class's own initializers, on the decorated class */
        cg_op_u16(c, OP_get_loc, (uint32_t)deco_res);
        cg_op_env(c, OP_get_env, 0, (uint32_t)lay.deco_slot);
        cg_op_u16(c, OP_deco_run, 3);
        cg_emit(c, OP_drop);
        cg_emit(c, OP_drop);
        cg_op_u16(c, OP_get_loc, (uint32_t)deco_res);
    } else
        cg_emit(c, OP_drop);
    if (has_env) cg_pop_block(c, &sb);
    if (cs) cg_leave_scope(c, cs);
    c->scope = saved_scope;
    free(lay.fn_slot);
    free(lay.key_slot);
    free(dloc);
}
