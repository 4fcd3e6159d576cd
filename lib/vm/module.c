/*
 * module.c - ECMAScript modules: Source Text Module Records and JSON modules,
 * the default host loader (files), the per-realm module map, Link() with
 * ResolveExport, InitializeEnvironment (import bindings are JS_ENV_IMPORT
 * aliases of the exporter's slot), Evaluate() with the cyclic-module async
 * algorithm (top-level await), module namespace objects (jsclass_module_ns),
 * import.meta and dynamic import(). Must not touch the interpreter's frames.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <errno.h>
#include "function.h"
#include "interp.h"
#include "module.h"
#include "../compiler/parser.h"
#include "../compiler/codegen.h"
#include "../builtins/promise.h"

int jsre_validate_pattern(const uint16_t *pat, size_t len, const char *flags, char *err, size_t errlen) __attribute__((weak));

/* Module types (the `type` import attribute); JSON and text modules are
 * synthetic. MT_HOST: a host-defined module with a source phase
 * (jsvm_define_source_module), never parsed nor loaded. */
enum { MT_JS, MT_JSON, MT_TEXT, MT_BYTES, MT_HOST };

enum { MS_NEW, MS_UNLINKED, MS_LINKING, MS_LINKED, MS_EVALUATING, MS_EVALUATING_ASYNC, MS_EVALUATED };

/* import_name / export entries: JSV_UNDEFINED as import name means the namespace ("*"),
 * JSV_NULL the deferred namespace (import defer), JSV_TRUE the module source (import source). */
typedef struct mod_import { uint32_t req; jsv import_name; uint32_t slot; } mod_import;
typedef struct mod_export { jsv name; uint32_t slot; uint32_t req; jsv import_name; } mod_export;
typedef struct mod_request { jsv specifier; int json; int defer; struct js_module *mod; } mod_request;   /* json: MT_* */

typedef struct js_module {
    js_internal base;
    jsv name;                   /* canonical name (string) */
    js_realm *realm;
    js_function_bc *bc;         /* NULL for synthetic modules */
    int type;                   /* MT_* */
    js_env *env;
    jsv ns, meta, json_value;
    jsv dns;                    /* deferred namespace (import defer), or undefined */
    jsv source;                 /* [[ModuleSource]] (import source), or undefined: empty */
    jsv eval_error;
    int has_error, status, has_tla, async_evaluation, pending;
    int loading;                /* its requests are being loaded (cycles) */
    uint32_t dfs_index, dfs_anc;
    double async_order;
    jsv top_promise;            /* evaluation promise (cycle roots), or undefined */
    struct js_module *cycle_root;
    mod_request *reqs; uint32_t nreqs;
    mod_import *imports; uint32_t nimports;
    mod_export *locals; uint32_t nlocals;     /* local exports: name -> slot */
    mod_export *indirect; uint32_t nindirect; /* name -> (req, import name) */
    uint32_t *stars; uint32_t nstars;
    struct js_module **parents; uint32_t nparents, parents_cap;
} js_module;

static void mod_trace(js_gc_tracer *trc, void *cell)
{
    js_module *m = cell;
    jsgc_mark_value(trc, m->name);
    jsgc_mark_cell(trc, m->bc);
    jsgc_mark_cell(trc, m->env);
    jsgc_mark_value(trc, m->ns);
    jsgc_mark_value(trc, m->dns);
    jsgc_mark_value(trc, m->source);
    jsgc_mark_value(trc, m->meta);
    jsgc_mark_value(trc, m->json_value);
    jsgc_mark_value(trc, m->eval_error);
    jsgc_mark_value(trc, m->top_promise);
    jsgc_mark_cell(trc, m->cycle_root);
    for (uint32_t i = 0; i < m->nreqs; i++) { jsgc_mark_value(trc, m->reqs[i].specifier); jsgc_mark_cell(trc, m->reqs[i].mod); }
    for (uint32_t i = 0; i < m->nimports; i++) jsgc_mark_value(trc, m->imports[i].import_name);
    for (uint32_t i = 0; i < m->nlocals; i++) jsgc_mark_value(trc, m->locals[i].name);
    for (uint32_t i = 0; i < m->nindirect; i++) { jsgc_mark_value(trc, m->indirect[i].name); jsgc_mark_value(trc, m->indirect[i].import_name); }
    for (uint32_t i = 0; i < m->nparents; i++) jsgc_mark_cell(trc, m->parents[i]);
}

static void mod_finalize(js_runtime *rt, void *cell)
{
    js_module *m = cell;
    (void)rt;
    free(m->reqs); free(m->imports); free(m->locals); free(m->indirect); free(m->stars); free(m->parents);
}

static const js_internal_ops module_ops = { "ModuleRecord", mod_trace, mod_finalize };

static js_module *mod_new(js_thread *t, jsv name)
{
    js_module *m = jsgc_alloc(t, sizeof(js_module), JS_CELL_INTERNAL);
    if (!m) return NULL;
    memset((char *)m + sizeof(js_internal), 0, sizeof(js_module) - sizeof(js_internal));
    m->base.ops = &module_ops;
    m->name = name;
    m->realm = t->realm;
    m->ns = m->dns = m->source = m->meta = m->json_value = m->eval_error = m->top_promise = JSV_UNDEFINED;
    return m;
}

/* ---- the module map (per realm: realm->template_map holds it) ---- */

static js_object *module_map(js_thread *t)
{
    js_realm *r = t->realm;
    if (jsv_is_object(r->template_map)) return JSV_OBJ(r->template_map);
    js_object *o = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    if (!o) return NULL;
    r->template_map = jsv_object(o);
    return o;
}

/* The map is keyed by name and module type: "x.json" imported as JSON and as
 * JavaScript are two records. */
static js_key map_key(js_thread *t, jsv name, int json)
{
    js_string *s = JSV_STR(name);
    if (json) {
        static const char *const sfx[] = { "", "\n#json", "\n#text", "\n#bytes", "\n#host" };
        js_string *suffix = jsstr_new_cstr(t, sfx[json]);
        s = suffix ? jsstr_concat(t, s, suffix) : NULL;
        if (s) s = jsstr_flatten(t, s);
        if (!s) return JSV_EXCEPTION;
    }
    return jskey_from_string(t, s);
}

static js_module *map_get(js_thread *t, const char *name, int json)
{
    js_object *map = module_map(t);
    if (!map) return NULL;
    js_string *ns = jsstr_new_cstr(t, name);
    js_key k = ns ? map_key(t, jsv_string(ns), json) : JSV_EXCEPTION;
    if (k == JSV_EXCEPTION) return NULL;
    js_propdesc d;
    int r = jsobj_ordinary_get_own_property(t, map, k, &d);
    if (r <= 0 || !jsv_is_cell(d.value)) return NULL;
    return jsv_get_ptr(d.value);
}

static int map_put(js_thread *t, js_module *m)
{
    js_object *map = module_map(t);
    if (!map) return -1;
    js_key k = map_key(t, m->name, m->type);
    if (k == JSV_EXCEPTION) return -1;
    return jsobj_define_value(t, map, k, jsv_cell(m), JS_PROP_C_W_E);
}

/* [[AsyncEvaluationOrder]] counter, kept in the map under a key no path has. */
static double next_async_order(js_thread *t)
{
    js_object *map = module_map(t);
    if (!map) return 0;
    js_key k = jskey_from_cstr(t, "#order");
    js_propdesc d;
    double n = 1;
    if (k != JSV_EXCEPTION && jsobj_ordinary_get_own_property(t, map, k, &d) > 0 && jsv_is_number(d.value))
        n = jsv_get_number(d.value) + 1;
    if (k != JSV_EXCEPTION) jsobj_define_value(t, map, k, jsv_number(n), JS_PROP_C_W_E);
    return n;
}

/* ---- the default host loader ---- */

static char *default_resolve(const char *referrer, const char *spec, char *err, size_t errlen)
{
    size_t sl = strlen(spec);
    char *buf;
    if (spec[0] == '/') {
        buf = strdup(spec);
    } else {
        const char *slash = referrer ? strrchr(referrer, '/') : NULL;
        size_t dl = slash ? (size_t)(slash - referrer) + 1 : 0;
        buf = malloc(dl + sl + 1);
        if (buf) { if (dl) memcpy(buf, referrer, dl); memcpy(buf + dl, spec, sl + 1); }
    }
    if (!buf) { snprintf(err, errlen, "out of memory"); return NULL; }
    /* normalize "." and ".." segments */
    char *out = malloc(strlen(buf) + 1);
    if (!out) { free(buf); snprintf(err, errlen, "out of memory"); return NULL; }
    size_t o = 0;
    int abs = buf[0] == '/';
    char *p = buf;
    if (abs) out[o++] = '/';
    while (*p) {
        while (*p == '/') p++;
        char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == 0) break;
        if (n == 1 && p[0] == '.') {
            /* skip */
        } else if (n == 2 && p[0] == '.' && p[1] == '.' && o > (size_t)abs &&
                   !(o >= 2 + (size_t)abs && out[o - 1] == '.' && out[o - 2] == '.' && (o == 2 + (size_t)abs || out[o - 3] == '/'))) {
            while (o > (size_t)abs && out[o - 1] != '/') o--;
            if (o > (size_t)abs) o--;
        } else {
            if (o > (size_t)abs && out[o - 1] != '/') out[o++] = '/';
            memcpy(out + o, p, n);
            o += n;
        }
        p += n;
    }
    if (o > (size_t)abs && out[o - 1] == '/') o--;
    out[o] = 0;
    free(buf);
    /* one record per file, however it is named */
    char *real = realpath(out, NULL);
    if (real) { free(out); out = real; }
    return out;
}

static char *default_load(const char *name, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(name, "rb");
    if (!f) { snprintf(err, errlen, "Cannot find module '%s': %s", name, strerror(errno)); return NULL; }
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t r = fread(buf + n, 1, cap - n, f);
        n += r;
        if (n < cap) break;
        cap *= 2;
        char *nb = realloc(buf, cap);
        if (!nb) { free(buf); buf = NULL; break; }
        buf = nb;
    }
    int bad = ferror(f);
    fclose(f);
    if (!buf || bad) { free(buf); snprintf(err, errlen, "Cannot read module '%s'", name); return NULL; }
    *len = n;
    return buf;
}

static char *host_resolve(js_thread *t, const char *referrer, const char *spec)
{
    char err[512] = "";
    jsvm_module_loader *l = t->rt->module_loader;
    char *r = l && l->resolve ? l->resolve(l->ud, referrer, spec, err, sizeof err)
                              : default_resolve(referrer, spec, err, sizeof err);
    if (!r) jsvm_throw_type_error(t, "%s", err[0] ? err : "cannot resolve module");
    return r;
}

static char *host_load(js_thread *t, const char *name, size_t *len)
{
    char err[512] = "";
    jsvm_module_loader *l = t->rt->module_loader;
    char *r = l && l->load ? l->load(l->ud, name, len, err, sizeof err) : default_load(name, len, err, sizeof err);
    if (!r) jsvm_throw_type_error(t, "%s", err[0] ? err : "cannot load module");
    return r;
}

/* ---- parsing: ParseModule ---- */

static jsv str_of(js_thread *t, const jsast_str *s)
{
    js_string *r = jsstr_new_utf16(t, s->chars, s->len);
    return r ? jsv_string(r) : JSV_EXCEPTION;
}

static jsv key_of(js_thread *t, const jsast_node *n)
{
    const jsast_str *s = n->kind == JSAST_STRING ? n->u.str.value : n->u.ident.name;
    js_string *r = jsstr_new_utf16(t, s->chars, s->len);
    return r ? jskey_from_string(t, r) : JSV_EXCEPTION;
}

static int grow(void **arr, uint32_t n, size_t elem)
{
    if (n & (n - 1)) return 0;      /* capacity is the next power of two */
    void *na = realloc(*arr, (n ? n * 2 : 1) * elem);
    if (!na) return -1;
    *arr = na;
    return 0;
}

/* ModuleRequest index of (specifier, attributes); equal requests are shared. */
static int add_request(js_thread *t, js_module *m, const jsast_node *src, const jsast_list *attrs, int defer)
{
    jsv spec = str_of(t, src->u.str.value);
    if (spec == JSV_EXCEPTION) return -1;
    int json = 0;
    for (uint32_t i = 0; i < attrs->count; i++) {
        const jsast_node *a = attrs->items[i];
        const jsast_node *k = a->u.attr.key, *v = a->u.attr.value;
        const jsast_str *ks = k->kind == JSAST_STRING ? k->u.str.value : k->u.ident.name;
        if (!jsast_str_eq_ascii(ks, "type")) {
            jsvm_throw_syntax_error(t, "Unsupported import attribute");
            return -1;
        }
        if (jsast_str_eq_ascii(v->u.str.value, "json")) json = MT_JSON;
        else if (jsast_str_eq_ascii(v->u.str.value, "text")) json = MT_TEXT;
        else if (jsast_str_eq_ascii(v->u.str.value, "bytes")) json = MT_BYTES;
        else { jsvm_throw_syntax_error(t, "Unsupported module type"); return -1; }
    }
    for (uint32_t i = 0; i < m->nreqs; i++)
        if (m->reqs[i].json == json && m->reqs[i].defer == defer &&
            jsstr_equal(JSV_STR(m->reqs[i].specifier), JSV_STR(spec))) return (int)i;
    if (grow((void **)&m->reqs, m->nreqs, sizeof(mod_request)) < 0) { jsvm_throw_out_of_memory(t); return -1; }
    m->reqs[m->nreqs].specifier = spec;
    m->reqs[m->nreqs].json = json;
    m->reqs[m->nreqs].defer = defer;
    m->reqs[m->nreqs].mod = NULL;
    return (int)m->nreqs++;
}

static int add_import(js_thread *t, js_module *m, uint32_t req, jsv import_name, uint32_t slot)
{
    if (grow((void **)&m->imports, m->nimports, sizeof(mod_import)) < 0) { jsvm_throw_out_of_memory(t); return -1; }
    m->imports[m->nimports++] = (mod_import){ req, import_name, slot };
    return 0;
}

static int add_export(js_thread *t, mod_export **arr, uint32_t *n, jsv name, uint32_t slot, uint32_t req, jsv import_name)
{
    if (grow((void **)arr, *n, sizeof(mod_export)) < 0) { jsvm_throw_out_of_memory(t); return -1; }
    (*arr)[(*n)++] = (mod_export){ name, slot, req, import_name };
    return 0;
}

static uint32_t slot_of(const jsast_binding *b) { return ST_INDEX(b->user); }

static int local_export(js_thread *t, js_module *m, jsv name, const jsast_binding *b)
{
    if (b->kind == JSAST_BIND_IMPORT) {
        /* re-export of an import: an indirect export unless it is a namespace import */
        uint32_t slot = slot_of(b);
        for (uint32_t i = 0; i < m->nimports; i++) {
            if (m->imports[i].slot != slot) continue;
            /* a namespace import re-exported is `export * as name`; a source
             * import re-exported an indirect export of ~source~ */
            if (jsv_is_null(m->imports[i].import_name))
                break;   /* deferred namespace: exported as is */
            return add_export(t, &m->indirect, &m->nindirect, name, 0, m->imports[i].req, m->imports[i].import_name);
        }
    }
    return add_export(t, &m->locals, &m->nlocals, name, slot_of(b), 0, JSV_UNDEFINED);
}

/* Fills the record's entries from the tree (bindings carry their env slots). */
static int collect_entries(js_thread *t, js_module *m, jsast_program *prog)
{
    jsast_function *fn = prog->fn;
    jsast_scope *s = fn->scope;
    /* [[RequestedModules]] in source order */
    for (uint32_t i = 0; i < fn->body.count; i++) {
        const jsast_node *n = fn->body.items[i];
        int r = 0;
        if (n->kind == JSAST_IMPORT_DECL) r = add_request(t, m, n->u.import_decl.source, &n->u.import_decl.attributes, (n->flags & JSAST_F_IMPORT_DEFER) != 0);
        else if (n->kind == JSAST_EXPORT_NAMED && n->u.export_named.source)
            r = add_request(t, m, n->u.export_named.source, &n->u.export_named.attributes, 0);
        else if (n->kind == JSAST_EXPORT_ALL) r = add_request(t, m, n->u.export_all.source, &n->u.export_all.attributes, 0);
        if (r < 0) return -1;
    }
    /* imports next: re-exports of imports refer to them */
    for (uint32_t i = 0; i < fn->body.count; i++) {
        const jsast_node *n = fn->body.items[i];
        if (n->kind != JSAST_IMPORT_DECL) continue;
        int req = add_request(t, m, n->u.import_decl.source, &n->u.import_decl.attributes, (n->flags & JSAST_F_IMPORT_DEFER) != 0);
        if (req < 0) return -1;
        for (uint32_t j = 0; j < n->u.import_decl.specifiers.count; j++) {
            const jsast_node *sp = n->u.import_decl.specifiers.items[j];
            jsast_binding *b = sp->u.spec.local->u.ident.binding;
            jsv iname;
            if (sp->kind == JSAST_IMPORT_NS)
                iname = (n->flags & JSAST_F_IMPORT_DEFER) ? JSV_NULL :
                        (n->flags & JSAST_F_IMPORT_SOURCE) ? JSV_TRUE : JSV_UNDEFINED;
            else if (sp->kind == JSAST_IMPORT_DEFAULT) iname = jskey_from_atom_id(t, JS_ATOM_default);
            else iname = key_of(t, sp->u.spec.imported);
            if (iname == JSV_EXCEPTION || !b) return iname == JSV_EXCEPTION ? -1 : 0;
            if (add_import(t, m, (uint32_t)req, iname, slot_of(b)) < 0) return -1;
        }
    }
    for (uint32_t i = 0; i < fn->body.count; i++) {
        const jsast_node *n = fn->body.items[i];
        if (n->kind == JSAST_EXPORT_NAMED) {
            const jsast_node *d = n->u.export_named.decl;
            if (d) {
                for (uint32_t j = 0; j < s->nbindings; j++) {
                    jsast_binding *b = s->bindings[j];
                    if (!b->decl || b->decl->start < d->start || b->decl->end > d->end) continue;
                    if (b->kind == JSAST_BIND_IMPORT) continue;
                    jsv name = str_of(t, b->name);
                    if (name == JSV_EXCEPTION) return -1;
                    name = jskey_from_string(t, JSV_STR(name));
                    if (name == JSV_EXCEPTION || local_export(t, m, name, b) < 0) return -1;
                }
                continue;
            }
            int req = -1;
            if (n->u.export_named.source) {
                req = add_request(t, m, n->u.export_named.source, &n->u.export_named.attributes, 0);
                if (req < 0) return -1;
            }
            for (uint32_t j = 0; j < n->u.export_named.specifiers.count; j++) {
                const jsast_node *sp = n->u.export_named.specifiers.items[j];
                jsv ename = key_of(t, sp->u.spec.local);
                if (ename == JSV_EXCEPTION) return -1;
                if (req >= 0) {
                    jsv iname = key_of(t, sp->u.spec.imported);
                    if (iname == JSV_EXCEPTION) return -1;
                    if (add_export(t, &m->indirect, &m->nindirect, ename, 0, (uint32_t)req, iname) < 0) return -1;
                } else {
                    jsast_binding *b = sp->u.spec.imported->u.ident.binding;
                    if (!b) {
                        /* resolved by name in the module scope */
                        for (uint32_t k = 0; k < s->nbindings; k++)
                            if (s->bindings[k]->name == sp->u.spec.imported->u.ident.name) b = s->bindings[k];
                    }
                    if (!b || b->scope != s) { jsvm_throw_syntax_error(t, "Export of undeclared name"); return -1; }
                    if (local_export(t, m, ename, b) < 0) return -1;
                }
            }
        } else if (n->kind == JSAST_EXPORT_DEFAULT) {
            jsast_binding *b = n->u.export_default.binding;
            if (b && local_export(t, m, jskey_from_atom_id(t, JS_ATOM_default), b) < 0) return -1;
        } else if (n->kind == JSAST_EXPORT_ALL) {
            int req = add_request(t, m, n->u.export_all.source, &n->u.export_all.attributes, 0);
            if (req < 0) return -1;
            if (n->u.export_all.exported) {
                jsv ename = key_of(t, n->u.export_all.exported);
                if (ename == JSV_EXCEPTION) return -1;
                if (add_export(t, &m->indirect, &m->nindirect, ename, 0, (uint32_t)req, JSV_UNDEFINED) < 0) return -1;
            } else {
                if (grow((void **)&m->stars, m->nstars, sizeof(uint32_t)) < 0) { jsvm_throw_out_of_memory(t); return -1; }
                m->stars[m->nstars++] = (uint32_t)req;
            }
        }
    }
    return 0;
}

static jsv throw_parse_error(js_thread *t, const jsparse_error *err, const char *filename)
{
    if (err->kind == JSPARSE_ERR_OOM) return jsvm_throw_out_of_memory(t);
    return jsvm_throw_syntax_error(t, "%s (%s:%u:%u)", err->msg, filename ? filename : "<anonymous>", err->line, err->col);
}

static jsast_program *parse_module_src(js_thread *t, const char *src, size_t len, const char *filename)
{
    jsparse_options o;
    memset(&o, 0, sizeof o);
    o.flags = JSPARSE_MODULE;
    o.filename = filename;
    o.validate_regexp = jsre_validate_pattern;
    jsparse_error err;
    jsast_program *prog = jsparse_utf8(src, len, &o, &err);
    if (!prog) throw_parse_error(t, &err, filename);
    return prog;
}

/* ParseModule: a record in state UNLINKED, or NULL. */
static js_module *parse_module(js_thread *t, const char *src, size_t len, const char *filename, jsv name)
{
    jsast_program *prog = parse_module_src(t, src, len, filename);
    if (!prog) return NULL;
    js_module *m = mod_new(t, name);
    js_function_bc *bc = m ? jscomp_compile_program(t, prog, filename, 0) : NULL;
    if (!bc || !bc->module_desc) { jsast_program_free(prog); if (bc) jsvm_throw_syntax_error(t, "bad module"); return NULL; }
    m->bc = bc;
    m->has_tla = (bc->flags & JSFB_ASYNC) != 0;
    int r = collect_entries(t, m, prog);
    jsast_program_free(prog);
    if (r < 0) return NULL;
    m->env = jsvm_env_new(t, t->realm->global_env, bc->module_desc, bc->module_desc->count);
    if (!m->env) return NULL;
    m->status = MS_UNLINKED;
    return m;
}

/* A Uint8Array over an immutable ArrayBuffer holding the bytes (bytes modules). */
static jsv bytes_value(js_thread *t, const char *src, size_t len)
{
    if (len > 0x7fffffff) return jsvm_throw_range_error(t, "module too large");
    jsv ctor = jsrt_intrinsic(t, JS_INTR_Uint8Array);
    jsv n = jsv_number((double)len);
    jsv u8 = jsvm_construct(t, ctor, 1, &n, JSV_UNDEFINED);
    if (u8 == JSV_EXCEPTION) return u8;
    for (size_t i = 0; i < len; i++)
        if (jsobj_set(t, JSV_OBJ(u8), jskey_from_index((uint32_t)i), jsv_from_int((uint8_t)src[i]), u8, JS_THROW) < 0)
            return JSV_EXCEPTION;
    jsv buf = jsobj_get(t, JSV_OBJ(u8), jskey_from_cstr(t, "buffer"), u8);
    if (buf == JSV_EXCEPTION || !jsv_is_object(buf)) return buf == JSV_EXCEPTION ? buf : jsvm_throw_type_error(t, "no buffer");
    jsv imm = jsvm_invoke(t, buf, jskey_from_cstr(t, "transferToImmutable"), 0, NULL);
    if (imm == JSV_EXCEPTION) return imm;
    return jsvm_construct(t, ctor, 1, &imm, JSV_UNDEFINED);
}

/* A synthetic module exporting `default` = the parsed JSON value (or, for
 * text modules, the source text). */
static js_module *parse_json_module(js_thread *t, const char *src, size_t len, jsv name, int type)
{
    js_string *s = jsstr_new_utf8(t, src, len);
    if (!s) return NULL;
    if (type == MT_TEXT || type == MT_BYTES) {
        jsv v = jsv_string(s);
        if (type == MT_BYTES && (v = bytes_value(t, src, len)) == JSV_EXCEPTION) return NULL;
        js_module *m = mod_new(t, name);
        if (!m) return NULL;
        m->type = type;
        m->json_value = v;
        m->env = jsvm_env_new(t, NULL, NULL, 1);
        if (!m->env) return NULL;
        m->env->vars[0] = v;
        if (add_export(t, &m->locals, &m->nlocals, jskey_from_atom_id(t, JS_ATOM_default), 0, 0, JSV_UNDEFINED) < 0) return NULL;
        m->status = MS_UNLINKED;
        return m;
    }
    jsv json = jsrt_intrinsic(t, JS_INTR_JSON);
    if (!jsv_is_object(json)) { jsvm_throw_type_error(t, "JSON unavailable"); return NULL; }
    jsv parse = jsobj_get(t, JSV_OBJ(json), jskey_from_cstr(t, "parse"), json);
    if (parse == JSV_EXCEPTION) return NULL;
    jsv arg = jsv_string(s);
    jsv v = jsvm_call(t, parse, json, 1, &arg);
    if (v == JSV_EXCEPTION) return NULL;
    js_module *m = mod_new(t, name);
    if (!m) return NULL;
    m->type = MT_JSON;
    m->json_value = v;
    m->env = jsvm_env_new(t, NULL, NULL, 1);
    if (!m->env) return NULL;
    m->env->vars[0] = v;
    if (add_export(t, &m->locals, &m->nlocals, jskey_from_atom_id(t, JS_ATOM_default), 0, 0, JSV_UNDEFINED) < 0) return NULL;
    m->status = MS_UNLINKED;
    return m;
}

/* HostLoadImportedModule + recursive loading of the static graph. */
static js_module *load_module(js_thread *t, js_module *referrer_mod, const char *referrer, jsv spec, int json);

static int load_requests(js_thread *t, js_module *m)
{
    if (jsvm_check_stack(t) < 0) return -1;
    char *name = jsstr_to_utf8(JSV_STR(m->name), NULL);
    if (!name) { jsvm_throw_out_of_memory(t); return -1; }
    m->loading = 1;
    for (uint32_t i = 0; i < m->nreqs; i++) {
        if (m->reqs[i].mod) continue;
        js_module *d = load_module(t, m, name, m->reqs[i].specifier, m->reqs[i].json);
        if (!d) { m->loading = 0; free(name); return -1; }
        m->reqs[i].mod = d;
    }
    m->loading = 0;
    free(name);
    return 0;
}

static js_module *load_module(js_thread *t, js_module *referrer_mod, const char *referrer, jsv spec, int json)
{
    char *s = jsstr_to_utf8(JSV_STR(spec), NULL);
    if (!s) { jsvm_throw_out_of_memory(t); return NULL; }
    /* host-defined modules are named by their specifier, never resolved */
    js_module *hm = json == MT_JS ? map_get(t, s, MT_HOST) : NULL;
    if (hm) { free(s); return hm; }
    char *path = host_resolve(t, referrer, s);
    free(s);
    if (!path) return NULL;
    js_module *m = map_get(t, path, json);
    if (m) {
        /* a graph that failed to load before is retried */
        free(path);
        if (!m->loading && load_requests(t, m) < 0) return NULL;
        return m;
    }
    if (t->has_exception) { free(path); return NULL; }
    size_t len = 0;
    char *src = host_load(t, path, &len);
    if (!src) { free(path); return NULL; }
    js_string *ns = jsstr_new_cstr(t, path);
    if (!ns) { free(src); free(path); return NULL; }
    m = json ? parse_json_module(t, src, len, jsv_string(ns), json) : parse_module(t, src, len, path, jsv_string(ns));
    free(src);
    free(path);
    if (!m) return NULL;
    if (map_put(t, m) < 0) return NULL;
    if (load_requests(t, m) < 0) return NULL;
    return m;
}

/* ---- ResolveExport ---- */

typedef struct resolution {
    js_module *mod;             /* NULL: not found */
    int ambiguous;
    int ns;                     /* RB_*: what of mod the binding is */
    uint32_t slot;
} resolution;

/* [[BindingName]] kinds: a slot of mod's environment, ~namespace~, ~source~ */
enum { RB_SLOT, RB_NAMESPACE, RB_SOURCE };

typedef struct resolve_set { js_module *mod; jsv name; struct resolve_set *prev; } resolve_set;

static int resolve_export(js_thread *t, js_module *m, jsv name, resolve_set *set, resolution *out)
{
    memset(out, 0, sizeof *out);
    if (jsvm_check_stack(t) < 0) return -1;
    for (resolve_set *s = set; s; s = s->prev)
        if (s->mod == m && s->name == name) return 0;      /* circular import request */
    resolve_set me = { m, name, set };
    for (uint32_t i = 0; i < m->nlocals; i++)
        if (m->locals[i].name == name) { out->mod = m; out->slot = m->locals[i].slot; return 0; }
    for (uint32_t i = 0; i < m->nindirect; i++) {
        if (m->indirect[i].name != name) continue;
        js_module *im = m->reqs[m->indirect[i].req].mod;
        if (jsv_is_undefined(m->indirect[i].import_name)) { out->mod = im; out->ns = RB_NAMESPACE; return 0; }
        if (m->indirect[i].import_name == JSV_TRUE) { out->mod = im; out->ns = RB_SOURCE; return 0; }
        return resolve_export(t, im, m->indirect[i].import_name, &me, out);
    }
    if (name == jskey_from_atom_id(t, JS_ATOM_default)) return 0;
    resolution star;
    memset(&star, 0, sizeof star);
    for (uint32_t i = 0; i < m->nstars; i++) {
        resolution r;
        if (resolve_export(t, m->reqs[m->stars[i]].mod, name, &me, &r) < 0) return -1;
        if (r.ambiguous) { *out = r; return 0; }
        if (!r.mod) continue;
        if (!star.mod) star = r;
        else if (star.mod != r.mod || star.ns != r.ns || (!r.ns && star.slot != r.slot)) {
            out->ambiguous = 1;
            return 0;
        }
    }
    *out = star;
    return 0;
}

/* GetExportedNames; names appended to *names (a keylist; duplicates skipped). */
typedef struct mod_visit { js_module *m; struct mod_visit *prev; } mod_visit;

static int keylist_has(js_keylist *l, jsv k)
{
    for (uint32_t i = 0; i < l->count; i++) if (l->keys[i] == k) return 1;
    return 0;
}

static int exported_names(js_thread *t, js_module *m, mod_visit *visited, js_keylist *names, int star)
{
    if (jsvm_check_stack(t) < 0) return -1;
    for (mod_visit *v = visited; v; v = v->prev) if (v->m == m) return 0;
    mod_visit me = { m, visited };
    jsv dflt = jskey_from_atom_id(t, JS_ATOM_default);
    for (uint32_t i = 0; i < m->nlocals; i++)
        if (!(star && m->locals[i].name == dflt) && !keylist_has(names, m->locals[i].name) &&
            jskeylist_push(t, names, m->locals[i].name) < 0) return -1;
    for (uint32_t i = 0; i < m->nindirect; i++)
        if (!(star && m->indirect[i].name == dflt) && !keylist_has(names, m->indirect[i].name) &&
            jskeylist_push(t, names, m->indirect[i].name) < 0) return -1;
    for (uint32_t i = 0; i < m->nstars; i++)
        if (exported_names(t, m->reqs[m->stars[i]].mod, &me, names, 1) < 0) return -1;
    return 0;
}

/* ---- namespace objects ---- */

typedef struct js_module_ns {
    js_object base;
    js_module *mod;
    uint32_t count;
    jsv *names;                 /* sorted export names (keys) */
    js_env **envs;              /* binding: envs[i]->vars[slots[i]] ... */
    uint32_t *slots;
    js_module **nsmods;         /* ... or the namespace (slots[i] RB_NAMESPACE) or
                                 * [[ModuleSource]] (RB_SOURCE) of nsmods[i] */
    int deferred;               /* import defer: string-keyed access evaluates the module */
} js_module_ns;

static jsv get_namespace(js_thread *t, js_module *m);
static jsv get_namespace_ex(js_thread *t, js_module *m, int deferred);
static jsv module_evaluate(js_thread *t, js_module *m);

/* IsModuleSCCEvaluated: a module of a cycle counts as evaluated only once
 * its whole strongly connected component is (its [[CycleRoot]] is); the
 * others of a cycle whose root awaits are EVALUATED early. */
static int scc_evaluated(const js_module *m)
{
    return (m->cycle_root ? m->cycle_root : m)->status == MS_EVALUATED;
}

/* ReadyForSyncExecution: nothing of the graph below m is mid-evaluation or
 * needs top-level await. 1 ready, 0 not, -1 out of memory. */
static int ready_rec(js_module *m, js_module ***seen, uint32_t *ns)
{
    if (!m->bc) return 1;       /* not a cyclic module record */
    for (uint32_t i = 0; i < *ns; i++) if ((*seen)[i] == m) return 1;
    if (grow((void **)seen, *ns, sizeof(js_module *)) < 0) return -1;
    (*seen)[(*ns)++] = m;
    if (scc_evaluated(m)) return 1;
    if (m->status != MS_LINKED || m->has_tla) return 0;
    for (uint32_t i = 0; i < m->nreqs; i++) {
        int r = ready_rec(m->reqs[i].mod, seen, ns);
        if (r <= 0) return r;
    }
    return 1;
}

static int ready_for_sync(js_thread *t, js_module *m)
{
    js_module **seen = NULL;
    uint32_t ns = 0;
    if (jsvm_check_stack(t) < 0) return -1;
    int r = ready_rec(m, &seen, &ns);
    free(seen);
    if (r < 0) jsvm_throw_out_of_memory(t);
    return r;
}

/* EnsureDeferredNamespaceEvaluation: evaluates the module synchronously, or
 * throws when that cannot be done now. */
static int ensure_evaluated(js_thread *t, js_module *m)
{
    if (m->status == MS_EVALUATED) {
        if (m->has_error) { jsvm_throw(t, m->eval_error); return -1; }
        return 0;
    }
    int ready = m->status == MS_LINKED ? ready_for_sync(t, m) : 0;
    if (ready < 0) return -1;
    if (!ready) { jsvm_throw_type_error(t, "Deferred module is being evaluated"); return -1; }
    jsv p = module_evaluate(t, m);
    if (p == JSV_EXCEPTION) return -1;
    jsv r;
    int st = jsbi_promise_state(p, &r);
    if (st == 2) { jsvm_throw(t, r); return -1; }
    if (st == 0) { jsvm_throw_type_error(t, "Deferred module has pending asynchronous dependencies"); return -1; }
    return 0;
}

/* Keys that do not trigger a deferred namespace: symbols and "then". */
static int ns_trigger(js_thread *t, js_object *o, js_key k)
{
    js_module_ns *n = (js_module_ns *)o;
    if (!n->deferred || jsv_is_symbol(k)) return 0;
    if (jsv_is_string(k) && jsstr_equal_cstr(JSV_STR(k), "then")) return 0;
    return ensure_evaluated(t, n->mod) < 0 ? -1 : 0;
}

static void ns_trace(js_gc_tracer *trc, js_object *o)
{
    js_module_ns *n = (js_module_ns *)o;
    jsgc_mark_cell(trc, n->mod);
    if (n->names) jsgc_mark_values(trc, n->names, n->count);
    for (uint32_t i = 0; i < n->count; i++) {
        if (n->envs) jsgc_mark_cell(trc, n->envs[i]);
        if (n->nsmods) jsgc_mark_cell(trc, n->nsmods[i]);
    }
}

static void ns_finalize(js_runtime *rt, js_object *o)
{
    js_module_ns *n = (js_module_ns *)o;
    (void)rt;
    free(n->names); free(n->envs); free(n->slots); free(n->nsmods);
}

static int ns_find(js_module_ns *n, js_key k)
{
    for (uint32_t i = 0; i < n->count; i++) if (n->names[i] == k) return (int)i;
    return -1;
}

/* Value of export i; JSV_EXCEPTION (ReferenceError) while in its TDZ. */
static jsv ns_value(js_thread *t, js_module_ns *n, int i)
{
    if (n->nsmods[i] && n->slots[i] == RB_SOURCE) {
        jsv src = n->nsmods[i]->source;
        if (!jsv_is_object(src)) return jsvm_throw_with_key(t, JS_ERR_REFERENCE, "'%s' has no source phase representation", n->names[i]);
        return src;
    }
    if (n->nsmods[i]) return get_namespace(t, n->nsmods[i]);
    jsv v = jsvm_import_deref(n->envs[i]->vars[n->slots[i]]);
    if (v == JSV_UNINITIALIZED) return jsvm_throw_with_key(t, JS_ERR_REFERENCE, "Cannot access '%s' before initialization", n->names[i]);
    return v;
}

static int ns_get_own_property(js_thread *t, js_object *o, js_key k, js_propdesc *d)
{
    if (jsv_is_symbol(k)) return jsobj_ordinary_get_own_property(t, o, k, d);
    if (ns_trigger(t, o, k) < 0) return -1;
    js_module_ns *n = (js_module_ns *)o;
    int i = ns_find(n, k);
    if (i < 0) return 0;
    if (n->deferred && jsv_is_string(k) && jsstr_equal_cstr(JSV_STR(k), "then")) return 0;
    jsv v = ns_value(t, n, i);
    if (v == JSV_EXCEPTION) return -1;
    d->flags = JS_PROP_WRITABLE | JS_PROP_ENUMERABLE | JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE |
               JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE;
    d->value = v;
    d->getter = d->setter = JSV_UNDEFINED;
    return 1;
}

static int ns_define_own_property(js_thread *t, js_object *o, js_key k, const js_propdesc *d, int flags)
{
    if (jsv_is_symbol(k)) return jsobj_ordinary_define_own_property(t, o, k, d, flags);
    js_propdesc cur;
    int r = ns_get_own_property(t, o, k, &cur);
    if (r < 0) return -1;
    int ok = r == 1;
    if (ok && (d->flags & JS_DESC_HAS_CONFIGURABLE) && (d->flags & JS_PROP_CONFIGURABLE)) ok = 0;
    if (ok && (d->flags & JS_DESC_HAS_ENUMERABLE) && !(d->flags & JS_PROP_ENUMERABLE)) ok = 0;
    if (ok && (d->flags & (JS_DESC_HAS_GET | JS_DESC_HAS_SET))) ok = 0;
    if (ok && (d->flags & JS_DESC_HAS_WRITABLE) && !(d->flags & JS_PROP_WRITABLE)) ok = 0;
    if (ok && (d->flags & JS_DESC_HAS_VALUE) && !jsop_same_value(d->value, cur.value)) ok = 0;
    if (!ok && (flags & JS_THROW)) { jsvm_throw_type_error(t, "Cannot redefine property of a module namespace"); return -1; }
    return ok;
}

static int ns_has_property(js_thread *t, js_object *o, js_key k)
{
    if (jsv_is_symbol(k)) {
        js_propdesc d;
        return jsobj_ordinary_get_own_property(t, o, k, &d);
    }
    if (ns_trigger(t, o, k) < 0) return -1;
    if (((js_module_ns *)o)->deferred && jsv_is_string(k) && jsstr_equal_cstr(JSV_STR(k), "then")) return 0;
    return ns_find((js_module_ns *)o, k) >= 0;
}

static jsv ns_get(js_thread *t, js_object *o, js_key k, jsv receiver)
{
    if (jsv_is_symbol(k)) return jsobj_ordinary_get(t, o, k, receiver);
    if (ns_trigger(t, o, k) < 0) return JSV_EXCEPTION;
    js_module_ns *n = (js_module_ns *)o;
    int i = ns_find(n, k);
    if (i < 0) return JSV_UNDEFINED;
    if (n->deferred && jsv_is_string(k) && jsstr_equal_cstr(JSV_STR(k), "then")) return JSV_UNDEFINED;
    return ns_value(t, n, i);
}

static int ns_set(js_thread *t, js_object *o, js_key k, jsv v, jsv receiver)
{
    return 0;
}

static int ns_delete(js_thread *t, js_object *o, js_key k)
{
    if (jsv_is_symbol(k)) return jsobj_ordinary_delete(t, o, k, 0);
    if (ns_trigger(t, o, k) < 0) return -1;
    if (((js_module_ns *)o)->deferred && jsv_is_string(k) && jsstr_equal_cstr(JSV_STR(k), "then")) return 1;
    return ns_find((js_module_ns *)o, k) < 0;
}

static int ns_own_keys(js_thread *t, js_object *o, js_keylist *out)
{
    js_module_ns *n = (js_module_ns *)o;
    if (n->deferred && ensure_evaluated(t, n->mod) < 0) return -1;
    for (uint32_t i = 0; i < n->count; i++) {
        if (n->deferred && jsv_is_string(n->names[i]) && jsstr_equal_cstr(JSV_STR(n->names[i]), "then")) continue;
        if (jskeylist_push(t, out, n->names[i]) < 0) return -1;
    }
    return jsobj_ordinary_own_keys(t, o, out);
}

static int ns_get_prototype_of(js_thread *t, js_object *o, jsv *out) { *out = JSV_NULL; return 0; }
static int ns_set_prototype_of(js_thread *t, js_object *o, jsv proto) { return jsv_is_null(proto); }
static int ns_is_extensible(js_thread *t, js_object *o) { return 0; }
static int ns_prevent_extensions(js_thread *t, js_object *o) { return 1; }

const js_class_ops jsclass_module_ns = {
    "Module", sizeof(js_module_ns), ns_trace, ns_finalize,
    ns_get_own_property, ns_define_own_property, ns_has_property, ns_get, ns_set, ns_delete,
    ns_own_keys, ns_get_prototype_of, ns_set_prototype_of, ns_is_extensible, ns_prevent_extensions,
    NULL, NULL
};

static int key_cmp(js_thread *t, jsv a, jsv b)
{
    jsv sa = jskey_to_value(t, a), sb = jskey_to_value(t, b);
    if (!jsv_is_string(sa) || !jsv_is_string(sb)) return 0;
    return jsstr_compare(JSV_STR(sa), JSV_STR(sb));
}

static jsv get_namespace(js_thread *t, js_module *m) { return get_namespace_ex(t, m, 0); }
static jsv get_deferred_namespace(js_thread *t, js_module *m) { return get_namespace_ex(t, m, 1); }

/* GetModuleNamespace: created once per module (and phase), after the graph is loaded. */
static jsv get_namespace_ex(js_thread *t, js_module *m, int deferred)
{
    if (!deferred && jsv_is_object(m->ns)) return m->ns;
    if (deferred && jsv_is_object(m->dns)) return m->dns;
    js_keylist names = { 0 };
    if (exported_names(t, m, NULL, &names, 0) < 0) { jskeylist_free(t->rt, &names); return JSV_EXCEPTION; }
    js_object *o = jsobj_new(t, JSV_NULL, JS_CLASS_MODULE_NS);
    if (!o) { jskeylist_free(t->rt, &names); return JSV_EXCEPTION; }
    js_module_ns *n = (js_module_ns *)o;
    n->mod = m;
    n->deferred = deferred;
    uint32_t cnt = names.count ? names.count : 1;
    n->names = calloc(cnt, sizeof(jsv));
    n->envs = calloc(cnt, sizeof(js_env *));
    n->slots = calloc(cnt, sizeof(uint32_t));
    n->nsmods = calloc(cnt, sizeof(js_module *));
    if (!n->names || !n->envs || !n->slots || !n->nsmods) { jskeylist_free(t->rt, &names); return jsvm_throw_out_of_memory(t); }
    if (deferred) m->dns = jsv_object(o);
    else m->ns = jsv_object(o);
    for (uint32_t i = 0; i < names.count; i++) {
        resolution r;
        if (resolve_export(t, m, names.keys[i], NULL, &r) < 0) {
            if (deferred) m->dns = JSV_UNDEFINED; else m->ns = JSV_UNDEFINED;
            jskeylist_free(t->rt, &names);
            return JSV_EXCEPTION;
        }
        if (!r.mod || r.ambiguous) continue;
        /* insertion sort by code units */
        uint32_t j = n->count;
        while (j > 0 && key_cmp(t, n->names[j - 1], names.keys[i]) > 0) {
            n->names[j] = n->names[j - 1]; n->envs[j] = n->envs[j - 1];
            n->slots[j] = n->slots[j - 1]; n->nsmods[j] = n->nsmods[j - 1];
            j--;
        }
        n->names[j] = names.keys[i];
        n->envs[j] = r.ns ? NULL : r.mod->env;
        n->slots[j] = r.ns ? (uint32_t)r.ns : r.slot;
        n->nsmods[j] = r.ns ? r.mod : NULL;
        n->count++;
    }
    jskeylist_free(t->rt, &names);
    js_key tag = jsv_symbol(t->rt->wk_symbols[JS_WKS_toStringTag]);
    js_string *mod = jsstr_atom(t, deferred ? "Deferred Module" : "Module");
    if (!mod || jsobj_define_value(t, o, tag, jsv_string(mod), 0) < 0) return JSV_EXCEPTION;
    o->h.flags &= ~JS_OBJ_EXTENSIBLE;
    return jsv_object(o);
}

/* ---- Link ---- */

static int init_environment(js_thread *t, js_module *m)
{
    for (uint32_t i = 0; i < m->nindirect; i++) {
        resolution r;
        if (resolve_export(t, m, m->indirect[i].name, NULL, &r) < 0) return -1;
        if (!r.mod || r.ambiguous) {
            jsvm_throw_with_key(t, JS_ERR_SYNTAX, r.ambiguous ? "Ambiguous export '%s'" : "Unresolvable export '%s'",
                                m->indirect[i].name);
            return -1;
        }
    }
    for (uint32_t i = 0; i < m->nimports; i++) {
        mod_import *im = &m->imports[i];
        js_module *dep = m->reqs[im->req].mod;
        jsv v;
        if (jsv_is_null(im->import_name)) {
            v = get_deferred_namespace(t, dep);
            if (v == JSV_EXCEPTION) return -1;
        } else if (im->import_name == JSV_TRUE) {
            /* import source: the module's [[ModuleSource]]; source text
             * modules have none (source phase imports, InitializeEnvironment) */
            if (!jsv_is_object(dep->source)) {
                jsvm_throw_syntax_error(t, "The requested module has no source phase representation");
                return -1;
            }
            v = dep->source;
        } else if (jsv_is_undefined(im->import_name)) {
            v = get_namespace(t, dep);
            if (v == JSV_EXCEPTION) return -1;
        } else {
            resolution r;
            if (resolve_export(t, dep, im->import_name, NULL, &r) < 0) return -1;
            if (!r.mod || r.ambiguous) {
                jsvm_throw_with_key(t, JS_ERR_SYNTAX, r.ambiguous ? "The requested module contains conflicting star exports for name '%s'"
                                                                   : "The requested module does not provide an export named '%s'",
                                    im->import_name);
                return -1;
            }
            if (r.ns == RB_SOURCE) {
                if (!jsv_is_object(r.mod->source)) {
                    jsvm_throw_with_key(t, JS_ERR_SYNTAX, "The export '%s' has no source phase representation", im->import_name);
                    return -1;
                }
                v = r.mod->source;
            } else if (r.ns) {
                v = get_namespace(t, r.mod);
                if (v == JSV_EXCEPTION) return -1;
            } else {
                js_env *al = jsvm_env_new(t, r.mod->env, NULL, 1);
                if (!al) return -1;
                al->h.flags = JS_ENV_IMPORT;
                al->vars[0] = jsv_from_int((int32_t)r.slot);
                v = jsv_cell(al);
            }
        }
        m->env->vars[im->slot] = v;
    }
    if (m->bc && m->bc->module_init) {
        jsv r = jsvm_exec_code(t, m->bc->module_init, m->env, JSV_UNDEFINED, NULL, JSV_UNDEFINED);
        if (r == JSV_EXCEPTION) return -1;
    }
    return 0;
}

/* Link(): every module of the graph is initialized or none is marked linked. */
static int link_collect(js_thread *t, js_module *m, js_module ***list, uint32_t *n)
{
    if (m->status != MS_UNLINKED) return 0;
    if (jsvm_check_stack(t) < 0) return -1;
    m->status = MS_LINKING;
    if (grow((void **)list, *n, sizeof(js_module *)) < 0) { jsvm_throw_out_of_memory(t); return -1; }
    (*list)[(*n)++] = m;
    for (uint32_t i = 0; i < m->nreqs; i++) {
        if (!m->reqs[i].mod) { jsvm_throw_type_error(t, "module not loaded"); return -1; }
        if (link_collect(t, m->reqs[i].mod, list, n) < 0) return -1;
    }
    return 0;
}

static int module_link(js_thread *t, js_module *m)
{
    js_module **list = NULL;
    uint32_t n = 0;
    int r = link_collect(t, m, &list, &n);
    for (uint32_t i = 0; r == 0 && i < n; i++)
        if (init_environment(t, list[i]) < 0) r = -1;
    for (uint32_t i = 0; i < n; i++) list[i]->status = r == 0 ? MS_LINKED : MS_UNLINKED;
    free(list);
    return r;
}

/* ---- Evaluate ---- */

static int execute_module_sync(js_thread *t, js_module *m)
{
    if (!m->bc) return 0;
    js_object *fo = jsvm_closure_new(t, m->bc, m->env, NULL);
    if (!fo) return -1;
    jsv r = jsvm_call(t, jsv_object(fo), JSV_UNDEFINED, 0, NULL);
    return r == JSV_EXCEPTION ? -1 : 0;
}

static void async_rejected(js_thread *t, js_module *m, jsv err);
static void async_fulfilled(js_thread *t, js_module *m);

static jsv async_cont(js_thread *t, jsv value, jsv data, int rejected)
{
    js_module *m = jsv_get_ptr(data);
    if (rejected) async_rejected(t, m, value);
    else async_fulfilled(t, m);
    return JSV_UNDEFINED;
}

static void execute_async(js_thread *t, js_module *m)
{
    js_object *fo = jsvm_closure_new(t, m->bc, m->env, NULL);
    jsv p = fo ? jsvm_call(t, jsv_object(fo), JSV_UNDEFINED, 0, NULL) : JSV_EXCEPTION;
    if (p == JSV_EXCEPTION) { async_rejected(t, m, jsvm_take_exception(t)); return; }
    if (jsbi_promise_then_native(t, p, async_cont, jsv_cell(m)) < 0)
        async_rejected(t, m, jsvm_take_exception(t));
}

static int add_parent(js_module *dep, js_module *m)
{
    if (grow((void **)&dep->parents, dep->nparents, sizeof(js_module *)) < 0) return -1;
    dep->parents[dep->nparents++] = m;
    return 0;
}

static int add_unique(js_module ***list, uint32_t *n, js_module *m)
{
    for (uint32_t i = 0; i < *n; i++) if ((*list)[i] == m) return 0;
    if (grow((void **)list, *n, sizeof(js_module *)) < 0) return -1;
    (*list)[(*n)++] = m;
    return 0;
}

/* GatherAsynchronousTransitiveDependencies: the modules with top-level await
 * a deferred import needs evaluated before its namespace can be used. */
static int gather_async_deps_rec(js_module *m, js_module ***out, uint32_t *n, js_module ***seen, uint32_t *ns)
{
    for (uint32_t i = 0; i < *ns; i++) if ((*seen)[i] == m) return 0;
    if (add_unique(seen, ns, m) < 0) return -1;
    if (!m->bc) return 0;       /* not a cyclic module record */
    if (m->status == MS_EVALUATING || scc_evaluated(m)) return 0;
    if (m->has_tla) return add_unique(out, n, m);
    for (uint32_t i = 0; i < m->nreqs; i++)
        if (gather_async_deps_rec(m->reqs[i].mod, out, n, seen, ns) < 0) return -1;
    return 0;
}

static int gather_async_deps(js_module *m, js_module ***out, uint32_t *n)
{
    js_module **seen = NULL;
    uint32_t ns = 0;
    int r = gather_async_deps_rec(m, out, n, &seen, &ns);
    free(seen);
    return r;
}

static int inner_evaluate(js_thread *t, js_module *m, js_module ***stack, uint32_t *sn, uint32_t *index)
{
    if (m->status == MS_EVALUATING_ASYNC || m->status == MS_EVALUATED) {
        if (m->has_error) { jsvm_throw(t, m->eval_error); return -1; }
        return 0;
    }
    if (m->status == MS_EVALUATING) return 0;
    if (jsvm_check_stack(t) < 0) return -1;
    m->status = MS_EVALUATING;
    m->dfs_index = m->dfs_anc = *index;
    m->pending = 0;
    (*index)++;
    if (grow((void **)stack, *sn, sizeof(js_module *)) < 0) { jsvm_throw_out_of_memory(t); return -1; }
    (*stack)[(*sn)++] = m;
    /* deferred imports are not evaluated, only their asynchronous dependencies */
    js_module **deps = NULL;
    uint32_t ndeps = 0;
    for (uint32_t i = 0; i < m->nreqs; i++) {
        int r = m->reqs[i].defer ? gather_async_deps(m->reqs[i].mod, &deps, &ndeps)
                                 : add_unique(&deps, &ndeps, m->reqs[i].mod);
        if (r < 0) { free(deps); jsvm_throw_out_of_memory(t); return -1; }
    }
    for (uint32_t i = 0; i < ndeps; i++) {
        js_module *r = deps[i];
        if (inner_evaluate(t, r, stack, sn, index) < 0) { free(deps); return -1; }
        if (r->status == MS_EVALUATING) {
            if (r->dfs_anc < m->dfs_anc) m->dfs_anc = r->dfs_anc;
        } else {
            r = r->cycle_root ? r->cycle_root : r;
            if (r->has_error) { free(deps); jsvm_throw(t, r->eval_error); return -1; }
        }
        if (r->async_evaluation) {
            m->pending++;
            if (add_parent(r, m) < 0) { free(deps); jsvm_throw_out_of_memory(t); return -1; }
        }
    }
    free(deps);
    if (m->pending > 0 || m->has_tla) {
        m->async_evaluation = 1;
        m->async_order = next_async_order(t);
        if (m->pending == 0) execute_async(t, m);
    } else {
        if (execute_module_sync(t, m) < 0) return -1;
    }
    if (m->dfs_anc == m->dfs_index) {
        for (;;) {
            js_module *x = (*stack)[--(*sn)];
            x->status = x->async_evaluation ? MS_EVALUATING_ASYNC : MS_EVALUATED;
            x->cycle_root = m;
            if (x == m) break;
        }
    }
    return 0;
}

static void settle(js_thread *t, js_module *m, int ok, jsv v)
{
    if (!jsv_is_object(m->top_promise)) return;
    if (ok) jsbi_promise_fulfill_or_resolve(t, m->top_promise, JSV_UNDEFINED);
    else jsbi_promise_reject(t, m->top_promise, v);
}

static int gather(js_module *m, js_module ***list, uint32_t *n)
{
    for (uint32_t i = 0; i < m->nparents; i++) {
        js_module *p = m->parents[i];
        int seen = 0;
        for (uint32_t j = 0; j < *n; j++) if ((*list)[j] == p) seen = 1;
        if (seen || (p->cycle_root && p->cycle_root->has_error)) continue;
        if (--p->pending == 0) {
            if (grow((void **)list, *n, sizeof(js_module *)) < 0) return -1;
            (*list)[(*n)++] = p;
            if (!p->has_tla && gather(p, list, n) < 0) return -1;
        }
    }
    return 0;
}

static void async_fulfilled(js_thread *t, js_module *m)
{
    if (m->status == MS_EVALUATED) return;
    m->async_evaluation = 0;
    m->status = MS_EVALUATED;
    settle(t, m, 1, JSV_UNDEFINED);
    js_module **list = NULL;
    uint32_t n = 0;
    if (gather(m, &list, &n) < 0) { free(list); return; }
    /* by [[AsyncEvaluationOrder]] */
    for (uint32_t i = 1; i < n; i++)
        for (uint32_t j = i; j > 0 && list[j - 1]->async_order > list[j]->async_order; j--) {
            js_module *x = list[j]; list[j] = list[j - 1]; list[j - 1] = x;
        }
    for (uint32_t i = 0; i < n; i++) {
        js_module *p = list[i];
        if (p->status == MS_EVALUATED) continue;
        if (p->has_tla) { execute_async(t, p); continue; }
        if (execute_module_sync(t, p) < 0) { async_rejected(t, p, jsvm_take_exception(t)); continue; }
        p->async_evaluation = 0;
        p->status = MS_EVALUATED;
        settle(t, p, 1, JSV_UNDEFINED);
    }
    free(list);
}

static void async_rejected(js_thread *t, js_module *m, jsv err)
{
    if (m->status == MS_EVALUATED) return;
    m->has_error = 1;
    m->eval_error = err;
    m->status = MS_EVALUATED;
    m->async_evaluation = 0;
    settle(t, m, 0, err);
    for (uint32_t i = 0; i < m->nparents; i++) async_rejected(t, m->parents[i], err);
}

/* Evaluate(): the module's evaluation promise. */
static jsv module_evaluate(js_thread *t, js_module *m)
{
    if ((m->status == MS_EVALUATING_ASYNC || m->status == MS_EVALUATED) && m->cycle_root) m = m->cycle_root;
    if (jsv_is_object(m->top_promise)) return m->top_promise;
    jsv p = jsbi_promise_new(t);
    if (p == JSV_EXCEPTION) return p;
    m->top_promise = p;
    js_module **stack = NULL;
    uint32_t sn = 0, index = 0;
    if (inner_evaluate(t, m, &stack, &sn, &index) < 0) {
        jsv err = jsvm_take_exception(t);
        for (uint32_t i = 0; i < sn; i++) {
            stack[i]->status = MS_EVALUATED;
            stack[i]->has_error = 1;
            stack[i]->eval_error = err;
        }
        if (!m->has_error) { m->status = MS_EVALUATED; m->has_error = 1; m->eval_error = err; }
        jsbi_promise_reject(t, p, err);
    } else if (!m->async_evaluation) {
        jsbi_promise_fulfill_or_resolve(t, p, JSV_UNDEFINED);
    }
    free(stack);
    return p;
}

/* ---- entry points ---- */

jsv jsvm_eval_module(js_thread *t, const char *src, size_t len, const char *filename)
{
    if (!t->frame) { t->uncatchable = 0; t->call_depth = 0; }
    const char *fname = filename ? filename : "<module>";
    char *canon = host_resolve(t, NULL, fname);
    if (!canon) return JSV_EXCEPTION;
    js_string *ns = jsstr_new_cstr(t, canon);
    js_module *m = ns ? parse_module(t, src, len, canon, jsv_string(ns)) : NULL;
    free(canon);
    if (!m) return JSV_EXCEPTION;
    if (map_put(t, m) < 0) return JSV_EXCEPTION;
    if (load_requests(t, m) < 0) return JSV_EXCEPTION;
    if (module_link(t, m) < 0) return JSV_EXCEPTION;
    return module_evaluate(t, m);
}

/* JSVM_EVAL_PARSE_ONLY for modules: early errors only. */
jsv jsvm_parse_module_only(js_thread *t, const char *src, size_t len, const char *filename)
{
    jsast_program *prog = parse_module_src(t, src, len, filename);
    if (!prog) return JSV_EXCEPTION;
    jsast_program_free(prog);
    return JSV_UNDEFINED;
}

static js_module *module_of_bc(js_thread *t, js_function_bc *bc)
{
    if (!jsv_is_string(bc->filename)) return NULL;
    char *name = jsstr_to_utf8(JSV_STR(bc->filename), NULL);
    if (!name) return NULL;
    js_module *m = map_get(t, name, 0);
    free(name);
    return m;
}

jsv jsvm_module_import_meta(js_thread *t, js_function_bc *bc)
{
    js_module *m = module_of_bc(t, bc);
    if (!m) return jsvm_throw_syntax_error(t, "import.meta is only valid in module code");
    if (jsv_is_object(m->meta)) return m->meta;
    js_object *o = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    if (!o) return JSV_EXCEPTION;
    if (jsobj_define_value(t, o, jskey_from_cstr(t, "url"), m->name, JS_PROP_C_W_E) < 0) return JSV_EXCEPTION;
    m->meta = jsv_object(o);
    return m->meta;
}

/* Continuation of a dynamic import once the module's evaluation settles. */
static jsv import_done(js_thread *t, jsv value, jsv data, int rejected)
{
    js_object *d = JSV_OBJ(data);
    jsv p = d->elems[0], mc = d->elems[1];
    if (rejected) jsbi_promise_reject(t, p, value);
    else {
        jsv ns = get_namespace(t, jsv_get_ptr(mc));
        if (ns == JSV_EXCEPTION) jsbi_promise_reject(t, p, jsvm_take_exception(t));
        else jsbi_promise_fulfill_or_resolve(t, p, ns);
    }
    return JSV_UNDEFINED;
}

/* Validates the options argument of import(): the MT_* type, or -1 thrown. */
static int import_options(js_thread *t, jsv options)
{
    if (jsv_is_undefined(options)) return 0;
    if (!jsv_is_object(options)) { jsvm_throw_type_error(t, "The second argument of import() must be an object"); return -1; }
    jsv with = jsobj_get(t, JSV_OBJ(options), jskey_from_cstr(t, "with"), options);
    if (with == JSV_EXCEPTION) return -1;
    if (jsv_is_undefined(with)) return 0;
    if (!jsv_is_object(with)) { jsvm_throw_type_error(t, "The 'with' option must be an object"); return -1; }
    js_keylist kl = { 0 };
    if (jsobj_own_keys(t, JSV_OBJ(with), &kl) < 0) return -1;
    int json = 0;
    for (uint32_t i = 0; i < kl.count; i++) {
        if (!jsv_is_string(kl.keys[i])) continue;
        js_propdesc d;
        int r = jsobj_get_own_property(t, JSV_OBJ(with), kl.keys[i], &d);
        if (r < 0) { jskeylist_free(t->rt, &kl); return -1; }
        if (!r || !(d.flags & JS_PROP_ENUMERABLE)) continue;
        jsv v = jsobj_get(t, JSV_OBJ(with), kl.keys[i], with);
        if (v == JSV_EXCEPTION) { jskeylist_free(t->rt, &kl); return -1; }
        if (!jsv_is_string(v)) { jskeylist_free(t->rt, &kl); jsvm_throw_type_error(t, "Import attribute values must be strings"); return -1; }
        if (!jsstr_equal_cstr(JSV_STR(kl.keys[i]), "type")) { json = -2; continue; }
        if (json < 0) continue;
        if (jsstr_equal_cstr(JSV_STR(v), "json")) json = MT_JSON;
        else if (jsstr_equal_cstr(JSV_STR(v), "text")) json = MT_TEXT;
        else if (jsstr_equal_cstr(JSV_STR(v), "bytes")) json = MT_BYTES;
        else json = -3;
    }
    jskeylist_free(t->rt, &kl);
    if (json == -2) { jsvm_throw_syntax_error(t, "Unsupported import attribute"); return -1; }
    if (json == -3) { jsvm_throw_type_error(t, "Unsupported module type"); return -1; }
    return json;
}

/* import.defer(): evaluates the asynchronous dependencies one at a time, then
 * fulfills with the deferred namespace. */
static jsv defer_step(js_thread *t, jsv value, jsv data, int rejected)
{
    js_object *d = JSV_OBJ(data);
    jsv p = d->elems[0];
    js_module *m = jsv_get_ptr(d->elems[1]);
    if (rejected) { jsbi_promise_reject(t, p, value); return JSV_UNDEFINED; }
    js_module **deps = NULL;
    uint32_t n = 0;
    if (gather_async_deps(m, &deps, &n) < 0) { free(deps); jsbi_promise_reject(t, p, jsvm_take_exception(t)); return JSV_UNDEFINED; }
    js_module *next = n ? deps[0] : NULL;
    free(deps);
    if (!next) {
        jsv ns = get_deferred_namespace(t, m);
        if (ns == JSV_EXCEPTION) jsbi_promise_reject(t, p, jsvm_take_exception(t));
        else jsbi_promise_fulfill_or_resolve(t, p, ns);
        return JSV_UNDEFINED;
    }
    jsv ev = module_evaluate(t, next);
    if (ev == JSV_EXCEPTION || jsbi_promise_then_native(t, ev, defer_step, data) < 0)
        jsbi_promise_reject(t, p, jsvm_take_exception(t));
    return JSV_UNDEFINED;
}

/* ContinueDynamicImport, run as a job: hosts load modules asynchronously, so
 * an import() never preempts the evaluation that is running. */
static jsv import_load(js_thread *t, jsv value, jsv data, int rejected)
{
    js_object *d = JSV_OBJ(data);
    jsv p = d->elems[0], spec = d->elems[1], referrer = d->elems[2];
    int json = jsv_get_int(d->elems[3]);
    int phase = jsv_get_int(d->elems[4]);
    char *ref = jsv_is_string(referrer) ? jsstr_to_utf8(JSV_STR(referrer), NULL) : NULL;
    js_module *m = load_module(t, NULL, ref, spec, json);
    free(ref);
    if (m && phase == 2) {
        /* import.source(): GetModuleSource, neither linked nor evaluated */
        if (jsv_is_object(m->source)) jsbi_promise_fulfill_or_resolve(t, p, m->source);
        else {
            jsvm_throw_syntax_error(t, "Module has no source phase representation");
            jsbi_promise_reject(t, p, jsvm_take_exception(t));
        }
        return JSV_UNDEFINED;
    }
    if (m && module_link(t, m) < 0) m = NULL;
    if (m && phase == 1) {
        jsv pair[2] = { p, jsv_cell(m) };
        js_object *nd = jsobj_new_array_from(t, 2, pair);
        if (!nd) jsbi_promise_reject(t, p, jsvm_take_exception(t));
        else defer_step(t, JSV_UNDEFINED, jsv_object(nd), 0);
        return JSV_UNDEFINED;
    }
    jsv ev = m ? module_evaluate(t, m) : JSV_EXCEPTION;
    if (ev == JSV_EXCEPTION) {
        jsbi_promise_reject(t, p, jsvm_take_exception(t));
        return JSV_UNDEFINED;
    }
    jsv pair[2] = { p, jsv_cell(m) };
    js_object *nd = jsobj_new_array_from(t, 2, pair);
    if (!nd || jsbi_promise_then_native(t, ev, import_done, jsv_object(nd)) < 0)
        jsbi_promise_reject(t, p, jsvm_take_exception(t));
    return JSV_UNDEFINED;
}

jsv jsvm_dynamic_import(js_thread *t, jsv referrer, jsv specifier, jsv options)
{
    return jsvm_dynamic_import_phase(t, referrer, specifier, options, 0);
}

jsv jsvm_dynamic_import_phase(js_thread *t, jsv referrer, jsv specifier, jsv options, int phase)
{
    jsv p = jsbi_promise_new(t);
    if (p == JSV_EXCEPTION) return p;
    js_string *s = jsop_to_string(t, specifier);
    int json = s ? import_options(t, options) : -1;
    if (json < 0) {
        if (jsbi_promise_reject(t, p, jsvm_take_exception(t)) < 0) return JSV_EXCEPTION;
        return p;
    }
    jsv items[5] = { p, jsv_string(s), referrer, jsv_from_int(json), jsv_from_int(phase) };
    js_object *data = jsobj_new_array_from(t, 5, items);
    jsv go = data ? jsbi_promise_resolve(t, JSV_UNDEFINED) : JSV_EXCEPTION;
    if (go == JSV_EXCEPTION || jsbi_promise_then_native(t, go, import_load, jsv_object(data)) < 0) return JSV_EXCEPTION;
    return p;
}

/* A host-defined module of the current realm named `name`: no exports, no
 * code, and `source` as its [[ModuleSource]]. Imports whose specifier is
 * `name` get it without going through the host resolver. */
int jsvm_define_source_module(js_thread *t, const char *name, jsv source)
{
    if (!jsv_is_object(source)) { jsvm_throw_type_error(t, "A module source must be an object"); return -1; }
    if (map_get(t, name, MT_HOST)) { jsvm_throw_type_error(t, "Module '%s' is already defined", name); return -1; }
    if (t->has_exception) return -1;
    js_string *ns = jsstr_new_cstr(t, name);
    js_module *m = ns ? mod_new(t, jsv_string(ns)) : NULL;
    if (!m) return -1;
    m->type = MT_HOST;
    m->source = source;
    m->status = MS_UNLINKED;
    return map_put(t, m);
}
