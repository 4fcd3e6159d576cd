/*
 * env.c - environments: declarative heap environments (JS_CELL_ENV), object
 * environments of `with`, the global environment (global object + a lexical
 * record), scope descriptors, by-name resolution for with/sloppy eval, and
 * GlobalDeclarationInstantiation / eval var declarations.
 * Must not touch frames or the value stack.
 */
#include <stdlib.h>
#include <string.h>
#include "function.h"
#include "interp.h"

/* ---- cells ---- */

js_env *jsvm_env_new(js_thread *t, js_env *outer, js_scope_desc *desc, uint32_t count)
{
    js_env *e = jsgc_alloc(t, sizeof(js_env) + count * sizeof(jsv), JS_CELL_ENV);
    if (!e) return NULL;
    e->h.flags = JS_ENV_DECL;
    e->outer = outer;
    e->desc = desc;
    e->ext = JSV_UNDEFINED;
    e->count = count;
    for (uint32_t i = 0; i < count; i++) {
        uint8_t k = desc && i < desc->count ? desc->kinds[i] : JS_VAR_VAR;
        e->vars[i] = (k == JS_VAR_LET || k == JS_VAR_CONST || k == JS_VAR_CLASS || k == JS_VAR_CONST_SLOPPY)
                     ? JSV_UNINITIALIZED : JSV_UNDEFINED;
    }
    return e;
}

js_env *jsvm_env_new_with(js_thread *t, js_env *outer, jsv obj)
{
    js_env *e = jsvm_env_new(t, outer, NULL, 1);
    if (!e) return NULL;
    e->h.flags = JS_ENV_WITH;
    e->vars[0] = obj;
    return e;
}

void jsvm_trace_env(js_gc_tracer *trc, void *cell)
{
    js_env *e = cell;
    jsgc_mark_cell(trc, e->outer);
    jsgc_mark_cell(trc, e->desc);
    jsgc_mark_value(trc, e->ext);
    jsgc_mark_values(trc, e->vars, e->count);
}

void jsvm_finalize_env(js_runtime *rt, void *cell) { (void)rt; (void)cell; }

static void desc_trace(js_gc_tracer *trc, void *cell)
{
    js_scope_desc *d = cell;
    if (d->names) jsgc_mark_values(trc, d->names, d->count);
}

static void desc_finalize(js_runtime *rt, void *cell)
{
    js_scope_desc *d = cell;
    free(d->names);
    free(d->kinds);
    d->names = NULL;
    d->kinds = NULL;
}

static const js_internal_ops scope_desc_ops = { "scope", desc_trace, desc_finalize };

js_scope_desc *jsvm_scope_desc_new(js_thread *t, uint32_t count)
{
    js_scope_desc *d = jsgc_alloc(t, sizeof(js_scope_desc), JS_CELL_INTERNAL);
    if (!d) return NULL;
    d->base.ops = &scope_desc_ops;
    d->names = calloc(count ? count : 1, sizeof(jsv));
    d->kinds = calloc(count ? count : 1, 1);
    if (!d->names || !d->kinds) { jsvm_throw_out_of_memory(t); return NULL; }
    for (uint32_t i = 0; i < count; i++) d->names[i] = JSV_UNDEFINED;
    d->count = count;
    return d;
}

/* ---- realm ---- */

int jsvm_realm_init(js_thread *t, js_realm *realm)
{
    js_object *lex = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    if (!lex) return -1;
    js_env *g = jsvm_env_new(t, NULL, NULL, 2);
    if (!g) return -1;
    g->h.flags = JS_ENV_GLOBAL;
    g->vars[0] = jsv_object(realm->global);
    g->vars[1] = jsv_object(lex);
    realm->global_env = g;
    realm->template_map = JSV_UNDEFINED;
    return 0;
}

void jsvm_trace_realm(js_gc_tracer *trc, js_realm *realm)
{
    jsgc_mark_cell(trc, realm->global_env);
    jsgc_mark_value(trc, realm->template_map);
}

js_env *jsvm_global_env(js_realm *r) { return r->global_env; }

/* ---- globals ---- */

static js_object *lexrec_of(js_env *g) { return JSV_OBJ(g->vars[1]); }
static js_object *gobj_of(js_env *g) { return JSV_OBJ(g->vars[0]); }

static jsv tdz_error(js_thread *t, js_key key)
{
    return jsvm_throw_with_key(t, JS_ERR_REFERENCE, "Cannot access '%s' before initialization", key);
}

/*
 * A global site's cache names a data property of the global object by its index
 * in the global object's shape (props[i].slot == i in every shape) and remembers
 * the lexical record's shape and property count, which prove that no lexical
 * declaration has since shadowed the name: lexical bindings are never deleted,
 * so the record only grows. A dictionary shape changes in place, so the hit path
 * re-checks the key and attributes at the index (deletes and attribute changes
 * show there; a compaction moves keys).
 */
static void global_ic_fill(js_ic *ic, js_object *go, js_object *lex, js_shape_prop *pr)
{
    js_shape *s = go->shape;
    if (!ic || (uint32_t)(pr - s->props) != pr->slot) return;
    ic->shape = s;
    ic->slot = pr->slot;
    ic->holder = NULL;
    ic->holder_shape = lex->shape;
    ic->stamp = lex->shape->count;
}

static jsv global_get_env(js_thread *t, js_env *g, js_key key, int typeof_mode, js_ic *ic)
{
    js_object *lex = lexrec_of(g);
    js_shape_prop *pr = jsshape_find(lex->shape, key);
    if (pr) {
        jsv v = lex->slots[pr->slot];
        if (v == JSV_UNINITIALIZED) return tdz_error(t, key);
        return v;
    }
    js_object *go = gobj_of(g);
    if (!(go->h.flags & JS_OBJ_EXOTIC)) {
        pr = jsshape_find(go->shape, key);
        if (pr && !(pr->attrs & JS_PROP_ACCESSOR)) {
            global_ic_fill(ic, go, lex, pr);
            return go->slots[pr->slot];
        }
    }
    int has = jsobj_has_property(t, go, key);
    if (has < 0) return JSV_EXCEPTION;
    if (!has) {
        if (typeof_mode) return JSV_UNDEFINED;
        return jsvm_throw_with_key(t, JS_ERR_REFERENCE, "%s is not defined", key);
    }
    return jsobj_get(t, go, key, jsv_object(go));
}

jsv jsvm_global_get(js_thread *t, js_key key, int typeof_mode)
{
    return global_get_env(t, t->realm->global_env, key, typeof_mode, NULL);
}

jsv jsvm_global_get_ic(js_thread *t, js_key key, int typeof_mode, js_ic *ic)
{
    return global_get_env(t, t->realm->global_env, key, typeof_mode, ic);
}

static int global_put_env(js_thread *t, js_env *g, js_key key, jsv v, int strict, js_ic *ic)
{
    js_object *lex = lexrec_of(g);
    js_shape_prop *pr = jsshape_find(lex->shape, key);
    if (pr) {
        if (lex->slots[pr->slot] == JSV_UNINITIALIZED) { tdz_error(t, key); return -1; }
        if (!(pr->attrs & JS_PROP_WRITABLE)) {
            jsvm_throw_with_key(t, JS_ERR_TYPE, "Assignment to constant variable '%s'", key);
            return -1;
        }
        lex->slots[pr->slot] = v;
        return 0;
    }
    js_object *go = gobj_of(g);
    if (!(go->h.flags & JS_OBJ_EXOTIC)) {
        pr = jsshape_find(go->shape, key);
        if (pr && (pr->attrs & (JS_PROP_ACCESSOR | JS_PROP_WRITABLE)) == JS_PROP_WRITABLE) {
            global_ic_fill(ic, go, lex, pr);
            go->slots[pr->slot] = v;
            return 0;
        }
    }
    if (strict) {
        int has = jsobj_has_property(t, go, key);
        if (has < 0) return -1;
        if (!has) { jsvm_throw_with_key(t, JS_ERR_REFERENCE, "%s is not defined", key); return -1; }
    }
    return jsobj_set(t, go, key, v, jsv_object(go), strict ? JS_THROW : 0) < 0 ? -1 : 0;
}

int jsvm_global_put(js_thread *t, js_key key, jsv v, int strict)
{
    return global_put_env(t, t->realm->global_env, key, v, strict, NULL);
}

int jsvm_global_put_ic(js_thread *t, js_key key, jsv v, int strict, js_ic *ic)
{
    return global_put_env(t, t->realm->global_env, key, v, strict, ic);
}

int jsvm_global_init_lex(js_thread *t, js_key key, jsv v)
{
    js_object *lex = lexrec_of(t->realm->global_env);
    js_shape_prop *pr = jsshape_find(lex->shape, key);
    if (!pr) return jsobj_define_value(t, lex, key, v, JS_PROP_WRITABLE);
    lex->slots[pr->slot] = v;
    return 0;
}

/* CreateGlobalFunctionBinding(N, V, D) */
static int create_global_fn(js_thread *t, js_object *go, js_key key, jsv fn, int deletable)
{
    js_propdesc cur, d;
    int has = jsobj_get_own_property(t, go, key, &cur);
    if (has < 0) return -1;
    memset(&d, 0, sizeof d);
    d.value = fn;
    d.getter = d.setter = JSV_UNDEFINED;
    if (!has || (cur.flags & JS_PROP_CONFIGURABLE)) {
        d.flags = JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE | JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE |
                  JS_PROP_WRITABLE | JS_PROP_ENUMERABLE | (deletable ? JS_PROP_CONFIGURABLE : 0);
    } else {
        d.flags = JS_DESC_HAS_VALUE;
    }
    if (jsobj_define_own_property(t, go, key, &d, JS_THROW) < 0) return -1;
    return jsobj_set(t, go, key, fn, jsv_object(go), 0) < 0 ? -1 : 0;
}

int jsvm_global_def_fn(js_thread *t, jsv key, jsv fn)
{
    return create_global_fn(t, gobj_of(t->realm->global_env), key, fn, 0);
}

static int create_global_var(js_thread *t, js_object *go, js_key key, int deletable)
{
    int has = jsobj_has_own_property(t, go, key);
    if (has < 0) return -1;
    if (has) return 0;
    int ext = jsobj_is_extensible(t, go);
    if (ext < 0) return -1;
    if (!ext) return 0;
    js_propdesc d;
    d.flags = JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE | JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE |
              JS_PROP_WRITABLE | JS_PROP_ENUMERABLE | (deletable ? JS_PROP_CONFIGURABLE : 0);
    d.value = JSV_UNDEFINED;
    d.getter = d.setter = JSV_UNDEFINED;
    return jsobj_define_own_property(t, go, key, &d, JS_THROW) < 0 ? -1 : 0;
}

static uint32_t arr_len(jsv a)
{
    if (!jsv_is_object(a)) return 0;
    return ((js_array *)JSV_OBJ(a))->length;
}

static jsv arr_at(jsv a, uint32_t i)
{
    js_object *o = JSV_OBJ(a);
    return i < o->elen ? o->elems[i] : JSV_UNDEFINED;
}

int jsvm_global_decl_instantiation(js_thread *t, js_function_bc *bc)
{
    js_env *g = t->realm->global_env;
    js_object *lex = lexrec_of(g), *go = gobj_of(g);
    uint32_t nl = arr_len(bc->decl_lex), nv = arr_len(bc->decl_vars), nf = arr_len(bc->decl_funcs);
    for (uint32_t i = 0; i < nl; i++) {
        jsv k = arr_at(bc->decl_lex, i);
        if (jsshape_find(lex->shape, k)) {
            jsvm_throw_with_key(t, JS_ERR_SYNTAX, "Identifier '%s' has already been declared", k);
            return -1;
        }
        js_propdesc d;
        int has = jsobj_get_own_property(t, go, k, &d);
        if (has < 0) return -1;
        if (has && !(d.flags & JS_PROP_CONFIGURABLE)) {
            jsvm_throw_with_key(t, JS_ERR_SYNTAX, "Identifier '%s' has already been declared", k);
            return -1;
        }
    }
    for (uint32_t i = 0; i < nv + nf; i++) {
        jsv k = i < nv ? arr_at(bc->decl_vars, i) : arr_at(bc->decl_funcs, i - nv);
        if (jsshape_find(lex->shape, k)) {
            jsvm_throw_with_key(t, JS_ERR_SYNTAX, "Identifier '%s' has already been declared", k);
            return -1;
        }
    }
    for (uint32_t i = 0; i < nf; i++) {
        jsv k = arr_at(bc->decl_funcs, i);
        js_propdesc d;
        int has = jsobj_get_own_property(t, go, k, &d);
        if (has < 0) return -1;
        int ok;
        if (!has) {
            ok = jsobj_is_extensible(t, go);
            if (ok < 0) return -1;
        } else if (d.flags & JS_PROP_CONFIGURABLE) ok = 1;
        else ok = !(d.flags & JS_PROP_ACCESSOR) && (d.flags & JS_PROP_WRITABLE) && (d.flags & JS_PROP_ENUMERABLE);
        if (!ok) {
            jsvm_throw_with_key(t, JS_ERR_TYPE, "Cannot declare global function '%s'", k);
            return -1;
        }
    }
    for (uint32_t i = 0; i < nv; i++) {
        jsv k = arr_at(bc->decl_vars, i);
        int has = jsobj_has_own_property(t, go, k);
        if (has < 0) return -1;
        if (!has) {
            int ext = jsobj_is_extensible(t, go);
            if (ext < 0) return -1;
            if (!ext) {
                jsvm_throw_with_key(t, JS_ERR_TYPE, "Cannot declare global variable '%s'", k);
                return -1;
            }
        }
    }
    for (uint32_t i = 0; i < nl; i++) {
        jsv k = arr_at(bc->decl_lex, i);
        int is_const = arr_at(bc->decl_lex_const, i) == JSV_TRUE;
        if (jsobj_define_value(t, lex, k, JSV_UNINITIALIZED, is_const ? 0 : JS_PROP_WRITABLE) < 0) return -1;
    }
    for (uint32_t i = 0; i < nv; i++) {
        if (create_global_var(t, go, arr_at(bc->decl_vars, i), 0) < 0) return -1;
    }
    return 0;
}

/* ---- by-name resolution ---- */

static int desc_find(js_env *e, js_key key)
{
    js_scope_desc *d = e->desc;
    if (!d) return -1;
    for (uint32_t i = 0; i < d->count && i < e->count; i++)
        if (d->names[i] == key) return (int)i;
    return -1;
}

/* with-object lookup: 1 found (not blocked by @@unscopables), 0 not, -1 error */
static int with_has(js_thread *t, jsv objv, js_key key)
{
    js_object *o = JSV_OBJ(objv);
    int has = jsobj_has_property(t, o, key);
    if (has <= 0) return has;
    jsv u = jsobj_get(t, o, jsv_symbol(t->rt->wk_symbols[JS_WKS_unscopables]), objv);
    if (u == JSV_EXCEPTION) return -1;
    if (jsv_is_object(u)) {
        jsv b = jsobj_get(t, JSV_OBJ(u), key, u);
        if (b == JSV_EXCEPTION) return -1;
        if (jsop_to_boolean(b)) return 0;
    }
    return 1;
}

jsv jsvm_env_get_name(js_thread *t, js_env *env, js_key key, int mode, jsv *this_out)
{
    int typeof_mode = (mode & JSVM_NAME_TYPEOF) != 0;
    for (js_env *e = env; e; e = e->outer) {
        switch (e->h.flags) {
        case JS_ENV_DECL: {
            int i = desc_find(e, key);
            if (i >= 0) {
                jsv v = jsvm_import_deref(e->vars[i]);
                if (v == JSV_UNINITIALIZED) return tdz_error(t, key);
                return v;
            }
            if (jsv_is_object(e->ext)) {
                js_shape_prop *pr = jsshape_find(JSV_OBJ(e->ext)->shape, key);
                if (pr) return JSV_OBJ(e->ext)->slots[pr->slot];
            }
            break;
        }
        case JS_ENV_WITH: {
            int r = with_has(t, e->vars[0], key);
            if (r < 0) return JSV_EXCEPTION;
            if (r) {
                if (this_out) *this_out = e->vars[0];
                /* GetBindingValue re-checks presence */
                int has = jsobj_has_property(t, JSV_OBJ(e->vars[0]), key);
                if (has < 0) return JSV_EXCEPTION;
                if (!has) {
                    /* Object Environment Record GetBindingValue, step 3 */
                    if (mode & JSVM_NAME_STRICT)
                        return jsvm_throw_with_key(t, JS_ERR_REFERENCE, "%s is not defined", key);
                    return JSV_UNDEFINED;
                }
                return jsobj_get(t, JSV_OBJ(e->vars[0]), key, e->vars[0]);
            }
            break;
        }
        case JS_ENV_GLOBAL:
            return global_get_env(t, e, key, typeof_mode, NULL);
        default:
            break;
        }
    }
    return global_get_env(t, t->realm->global_env, key, typeof_mode, NULL);
}

int jsvm_env_put_name(js_thread *t, js_env *env, js_key key, jsv v, int strict, int init)
{
    for (js_env *e = env; e; e = e->outer) {
        switch (e->h.flags) {
        case JS_ENV_DECL: {
            int i = desc_find(e, key);
            if (i >= 0) {
                uint8_t k = e->desc->kinds[i];
                if (!init && jsvm_import_deref(e->vars[i]) == JSV_UNINITIALIZED) { tdz_error(t, key); return -1; }
                if (!init && (k == JS_VAR_CONST || k == JS_VAR_CONST_SLOPPY)) {
                    if (k == JS_VAR_CONST_SLOPPY && !strict) return 0;
                    jsvm_throw_with_key(t, JS_ERR_TYPE, "Assignment to constant variable '%s'", key);
                    return -1;
                }
                e->vars[i] = v;
                return 0;
            }
            if (jsv_is_object(e->ext)) {
                js_shape_prop *pr = jsshape_find(JSV_OBJ(e->ext)->shape, key);
                if (pr) { JSV_OBJ(e->ext)->slots[pr->slot] = v; return 0; }
            }
            break;
        }
        case JS_ENV_WITH: {
            int r = with_has(t, e->vars[0], key);
            if (r < 0) return -1;
            if (r) {
                if (strict) {
                    int has = jsobj_has_property(t, JSV_OBJ(e->vars[0]), key);
                    if (has < 0) return -1;
                    if (!has) { jsvm_throw_with_key(t, JS_ERR_REFERENCE, "%s is not defined", key); return -1; }
                }
                return jsobj_set(t, JSV_OBJ(e->vars[0]), key, v, e->vars[0], strict ? JS_THROW : 0) < 0 ? -1 : 0;
            }
            break;
        }
        case JS_ENV_GLOBAL:
            return global_put_env(t, e, key, v, strict, NULL);
        default:
            break;
        }
    }
    return global_put_env(t, t->realm->global_env, key, v, strict, NULL);
}

jsv jsvm_env_delete_name(js_thread *t, js_env *env, js_key key)
{
    for (js_env *e = env; e; e = e->outer) {
        switch (e->h.flags) {
        case JS_ENV_DECL:
            if (desc_find(e, key) >= 0) return JSV_FALSE;
            if (jsv_is_object(e->ext) && jsshape_find(JSV_OBJ(e->ext)->shape, key)) {
                int r = jsobj_delete(t, JSV_OBJ(e->ext), key, 0);
                return r < 0 ? JSV_EXCEPTION : jsv_from_bool(r);
            }
            break;
        case JS_ENV_WITH: {
            int r = with_has(t, e->vars[0], key);
            if (r < 0) return JSV_EXCEPTION;
            if (r) {
                r = jsobj_delete(t, JSV_OBJ(e->vars[0]), key, 0);
                return r < 0 ? JSV_EXCEPTION : jsv_from_bool(r);
            }
            break;
        }
        case JS_ENV_GLOBAL: {
            if (jsshape_find(lexrec_of(e)->shape, key)) return JSV_FALSE;
            int r = jsobj_delete(t, gobj_of(e), key, 0);
            return r < 0 ? JSV_EXCEPTION : jsv_from_bool(r);
        }
        default:
            break;
        }
    }
    return JSV_TRUE;
}

/* Stores a var binding that sloppy direct eval code adds to a function
 * scope: such bindings live in the environment's extension object (made on
 * first use) and stay deletable. An existing one is overwritten only when
 * `overwrite` (a function declaration, or an assignment). 0, or -1 on OOM. */
static int ext_put(js_thread *t, js_env *e, js_key key, jsv val, int overwrite)
{
    if (!jsv_is_object(e->ext)) {
        js_object *x = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
        if (!x) return -1;
        e->ext = jsv_object(x);
    }
    js_object *x = JSV_OBJ(e->ext);
    js_shape_prop *pr = jsshape_find(x->shape, key);
    if (pr) {
        if (overwrite) x->slots[pr->slot] = val;
        return 0;
    }
    return jsobj_define_value(t, x, key, val, JS_PROP_C_W_E);
}


/* Eval var/function declaration into the variable environment reached from
 * env: the checks of EvalDeclarationInstantiation for one name and, when
 * `create`, the binding itself. */
static int def_var(js_thread *t, js_env *env, js_key key, jsv fnval, int is_fn, int deletable, int create)
{
    for (js_env *e = env; e; e = e->outer) {
        if (e->h.flags == JS_ENV_DECL) {
            js_scope_desc *d = e->desc;
            int i = desc_find(e, key);
            if (d && (d->flags & JS_SCOPE_PARAMS) && !(d->flags & JS_SCOPE_ARROW) &&
                key == jsrt_atom_value(t, JS_ATOM_arguments)) {
                jsvm_throw_syntax_error(t, "'arguments' cannot be declared by eval in parameter expressions");
                return -1;
            }
            if (d && (d->flags & JS_SCOPE_PARAMS) && i >= 0) {
                jsvm_throw_with_key(t, JS_ERR_SYNTAX, "Identifier '%s' has already been declared", key);
                return -1;
            }
            if (d && (d->flags & (JS_SCOPE_FUNCTION | JS_SCOPE_PARAMS))) {
                if (i >= 0 && (d->kinds[i] == JS_VAR_LET || d->kinds[i] == JS_VAR_CONST || d->kinds[i] == JS_VAR_CLASS)) {
                    jsvm_throw_with_key(t, JS_ERR_SYNTAX, "Identifier '%s' has already been declared", key);
                    return -1;
                }
                if (!create) return 0;
                if (i >= 0) {
                    if (is_fn) e->vars[i] = fnval;
                    return 0;
                }
                return ext_put(t, e, key, is_fn ? fnval : JSV_UNDEFINED, is_fn);
            }
            if (i >= 0 && !(d->flags & JS_SCOPE_EVAL)) {
                uint8_t k = d->kinds[i];
                if (k == JS_VAR_LET || k == JS_VAR_CONST || k == JS_VAR_CLASS) {
                    jsvm_throw_with_key(t, JS_ERR_SYNTAX, "Identifier '%s' has already been declared", key);
                    return -1;
                }
            }
            continue;
        }
        if (e->h.flags == JS_ENV_GLOBAL) {
            if (jsshape_find(lexrec_of(e)->shape, key)) {
                jsvm_throw_with_key(t, JS_ERR_SYNTAX, "Identifier '%s' has already been declared", key);
                return -1;
            }
            js_object *go = gobj_of(e);
            js_propdesc cur;
            int has = jsobj_get_own_property(t, go, key, &cur);
            if (has < 0) return -1;
            int ok;
            if (!has) {
                ok = jsobj_is_extensible(t, go);
                if (ok < 0) return -1;
            } else if (!is_fn || (cur.flags & JS_PROP_CONFIGURABLE)) ok = 1;
            else ok = !(cur.flags & JS_PROP_ACCESSOR) && (cur.flags & JS_PROP_WRITABLE) && (cur.flags & JS_PROP_ENUMERABLE);
            if (!ok) {
                jsvm_throw_with_key(t, JS_ERR_TYPE, is_fn ? "Cannot declare global function '%s'" : "Cannot declare global variable '%s'", key);
                return -1;
            }
            if (!create) return 0;
            if (is_fn) return create_global_fn(t, go, key, fnval, deletable);
            return create_global_var(t, go, key, deletable);
        }
    }
    return 0;
}

int jsvm_env_def_var(js_thread *t, js_env *env, js_key key, jsv fnval, int is_fn, int deletable)
{
    return def_var(t, env, key, fnval, is_fn, deletable, 1);
}

/* Eval code checks every declaration before it creates any binding. */
int jsvm_env_check_var(js_thread *t, js_env *env, js_key key, int is_fn)
{
    return def_var(t, env, key, JSV_UNDEFINED, is_fn, 1, 0);
}

/* B.3.2.3: a block function in sloppy eval code copies its value into the
 * variable environment (genv.SetMutableBinding(F, fobj, false)), skipping the
 * block and with environments a lookup by name would see first. The binding
 * exists: the eval's prologue declared it with jsvm_env_def_var. */
int jsvm_env_put_var(js_thread *t, js_env *env, js_key key, jsv val)
{
    for (js_env *e = env; e; e = e->outer) {
        if (e->h.flags == JS_ENV_DECL) {
            js_scope_desc *d = e->desc;
            if (!d || !(d->flags & (JS_SCOPE_FUNCTION | JS_SCOPE_PARAMS))) continue;
            int i = desc_find(e, key);
            if (i >= 0) {
                e->vars[i] = val;
                return 0;
            }
            /* a binding deleted since the prologue: sloppy SetMutableBinding
             * creates it again (a deletable binding, as eval made it) */
            return ext_put(t, e, key, val, 1);
        }
        if (e->h.flags == JS_ENV_GLOBAL) {
            js_object *go = gobj_of(e);
            return jsobj_set(t, go, key, val, jsv_object(go), 0) < 0 ? -1 : 0;
        }
    }
    return 0;
}

/* ---- references resolved once (compound assignment through with/eval scopes) ---- */

int jsvm_env_resolve(js_thread *t, js_env *env, js_key key, jsv *cont, jsv *k2)
{
    *k2 = key;
    for (js_env *e = env; e; e = e->outer) {
        switch (e->h.flags) {
        case JS_ENV_DECL: {
            int i = desc_find(e, key);
            if (i >= 0) { *cont = jsv_cell(e); *k2 = jsv_from_int(i); return 0; }
            if (jsv_is_object(e->ext) && jsshape_find(JSV_OBJ(e->ext)->shape, key)) { *cont = e->ext; return 0; }
            break;
        }
        case JS_ENV_WITH: {
            int r = with_has(t, e->vars[0], key);
            if (r < 0) return -1;
            if (r) { *cont = e->vars[0]; return 0; }
            break;
        }
        case JS_ENV_GLOBAL: {
            *cont = jsv_cell(e);
            if (jsshape_find(lexrec_of(e)->shape, key)) return 0;
            int has = jsobj_has_property(t, gobj_of(e), key);
            if (has < 0) return -1;
            if (!has) *cont = JSV_UNDEFINED;   /* unresolvable reference */
            return 0;
        }
        default:
            break;
        }
    }
    *cont = jsv_cell(t->realm->global_env);
    return 0;
}

jsv jsvm_ref_get(js_thread *t, jsv cont, jsv k, int strict)
{
    if (jsv_is_undefined(cont)) return global_get_env(t, t->realm->global_env, k, 0, NULL);
    if (jsv_is_cell(cont)) {
        js_env *e = jsv_get_ptr(cont);
        if (e->h.flags == JS_ENV_GLOBAL) return global_get_env(t, e, k, 0, NULL);
        jsv v = jsvm_import_deref(e->vars[jsv_get_int(k)]);
        if (v == JSV_UNINITIALIZED) return tdz_error(t, e->desc->names[jsv_get_int(k)]);
        return v;
    }
    int has = jsobj_has_property(t, JSV_OBJ(cont), k);
    if (has < 0) return JSV_EXCEPTION;
    if (!has) {
        if (strict) return jsvm_throw_with_key(t, JS_ERR_REFERENCE, "%s is not defined", k);
        return JSV_UNDEFINED;
    }
    return jsobj_get(t, JSV_OBJ(cont), k, cont);
}

int jsvm_ref_put(js_thread *t, jsv cont, jsv k, jsv v, int strict)
{
    if (jsv_is_undefined(cont)) {
        if (strict) { jsvm_throw_with_key(t, JS_ERR_REFERENCE, "%s is not defined", k); return -1; }
        return global_put_env(t, t->realm->global_env, k, v, 0, NULL);
    }
    if (jsv_is_cell(cont)) {
        js_env *e = jsv_get_ptr(cont);
        if (e->h.flags == JS_ENV_GLOBAL) return global_put_env(t, e, k, v, strict, NULL);
        int i = jsv_get_int(k);
        jsv name = e->desc->names[i];
        uint8_t kind = e->desc->kinds[i];
        if (jsvm_import_deref(e->vars[i]) == JSV_UNINITIALIZED) { tdz_error(t, name); return -1; }
        if (kind == JS_VAR_CONST || kind == JS_VAR_CONST_SLOPPY) {
            if (kind == JS_VAR_CONST_SLOPPY && !strict) return 0;
            jsvm_throw_with_key(t, JS_ERR_TYPE, "Assignment to constant variable '%s'", name);
            return -1;
        }
        e->vars[i] = v;
        return 0;
    }
    int has = jsobj_has_property(t, JSV_OBJ(cont), k);
    if (has < 0) return -1;
    if (!has && strict) { jsvm_throw_with_key(t, JS_ERR_REFERENCE, "%s is not defined", k); return -1; }
    return jsobj_set(t, JSV_OBJ(cont), k, v, cont, strict ? JS_THROW : 0) < 0 ? -1 : 0;
}
