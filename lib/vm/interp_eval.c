/*
 * interp_eval.c - evaluation entry points: scripts, direct and indirect eval,
 * CreateDynamicFunction (Function, GeneratorFunction, ... constructors), and
 * the module stub. Parses with lib/compiler/parser.h, compiles with codegen,
 * runs through interp.c. Must not touch the interpreter loop's state.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "function.h"
#include "interp.h"
#include "../compiler/parser.h"
#include "../compiler/codegen.h"
#include "module.h"

/* RegExp pattern validation for the parser (weak: the RegExp module provides it). */
int jsre_validate_pattern(const uint16_t *pat, size_t len, const char *flags, char *err, size_t errlen) __attribute__((weak));

static jsv throw_parse_error(js_thread *t, const jsparse_error *err, const char *filename)
{
    if (err->kind == JSPARSE_ERR_OOM) return jsvm_throw_out_of_memory(t);
    return jsvm_throw_syntax_error(t, "%s (%s:%u:%u)", err->msg, filename ? filename : "<anonymous>", err->line, err->col);
}

/* UTF-16 copy of a string (caller frees). */
static uint16_t *to_utf16(js_thread *t, js_string *s, size_t *len)
{
    s = jsstr_flatten(t, s);
    if (!s) return NULL;
    uint16_t *buf = malloc((s->len + 1) * sizeof(uint16_t));
    if (!buf) { jsvm_throw_out_of_memory(t); return NULL; }
    for (uint32_t i = 0; i < s->len; i++) buf[i] = (uint16_t)jsstr_at(s, i);
    *len = s->len;
    return buf;
}

static js_function_bc *compile_tree(js_thread *t, jsast_program *prog, const char *filename, int eval_mode)
{
    js_function_bc *bc = jscomp_compile_program(t, prog, filename, eval_mode);
    jsast_program_free(prog);
    return bc;
}

static void init_opts(jsparse_options *o, const char *filename, int flags)
{
    memset(o, 0, sizeof *o);
    o->flags = flags;
    o->filename = filename;
    o->validate_regexp = jsre_validate_pattern;
}

static jsv run_script_bc(js_thread *t, js_function_bc *bc)
{
    if (jsvm_global_decl_instantiation(t, bc) < 0) return JSV_EXCEPTION;
    return jsvm_exec_code(t, bc, t->realm->global_env, t->realm->global_this, NULL, JSV_UNDEFINED);
}

static void begin_outer(js_thread *t)
{
    if (!t->frame) {
        t->uncatchable = 0;
        t->call_depth = 0;
    }
}

static jsv end_outer(js_thread *t, jsv r)
{
    if (!t->frame && r == JSV_EXCEPTION) {
        /* a terminated script: the next evaluation starts normally */
        t->uncatchable = 0;
    }
    return r;
}

jsv jsvm_eval_script(js_thread *t, const char *src, size_t len, const char *filename, int flags)
{
    if ((flags & JSVM_EVAL_MODULE) && (flags & JSVM_EVAL_PARSE_ONLY)) return jsvm_parse_module_only(t, src, len, filename);
    if (flags & JSVM_EVAL_MODULE) return jsvm_eval_module(t, src, len, filename);
    begin_outer(t);
    jsparse_options o;
    init_opts(&o, filename, (flags & JSVM_EVAL_STRICT) ? JSPARSE_STRICT : 0);
    jsparse_error err;
    jsast_program *prog = jsparse_utf8(src, len, &o, &err);
    if (!prog) return end_outer(t, throw_parse_error(t, &err, filename));
    if (flags & JSVM_EVAL_PARSE_ONLY) { jsast_program_free(prog); return JSV_UNDEFINED; }
    js_function_bc *bc = compile_tree(t, prog, filename, 0);
    if (!bc) return end_outer(t, JSV_EXCEPTION);
    return end_outer(t, run_script_bc(t, bc));
}

jsv jsvm_eval_string(js_thread *t, js_string *src, const char *filename, int flags)
{
    begin_outer(t);
    size_t len;
    uint16_t *buf = to_utf16(t, src, &len);
    if (!buf) return JSV_EXCEPTION;
    jsparse_options o;
    init_opts(&o, filename, (flags & JSVM_EVAL_STRICT) ? JSPARSE_STRICT : 0);
    jsparse_error err;
    jsast_program *prog = jsparse_utf16(buf, len, &o, &err);
    free(buf);
    if (!prog) return end_outer(t, throw_parse_error(t, &err, filename));
    js_function_bc *bc = compile_tree(t, prog, filename, 0);
    if (!bc) return end_outer(t, JSV_EXCEPTION);
    return end_outer(t, run_script_bc(t, bc));
}


jsv jsvm_indirect_eval(js_thread *t, jsv x)
{
    if (!jsv_is_string(x)) return x;
    size_t len;
    uint16_t *buf = to_utf16(t, JSV_STR(x), &len);
    if (!buf) return JSV_EXCEPTION;
    jsparse_options o;
    init_opts(&o, "eval", JSPARSE_EVAL);
    jsparse_error err;
    jsast_program *prog = jsparse_utf16(buf, len, &o, &err);
    free(buf);
    if (!prog) return throw_parse_error(t, &err, "eval");
    js_function_bc *bc = compile_tree(t, prog, "eval", 2);
    if (!bc) return JSV_EXCEPTION;
    return jsvm_exec_code(t, bc, t->realm->global_env, t->realm->global_this, NULL, JSV_UNDEFINED);
}

/* The function whose code the frame runs, looking through arrows. */
static js_function *active_function(js_frame *f)
{
    js_function *fn = f->fn;
    if (fn && (fn->bc->flags & JSFB_ARROW))
        fn = jsv_is_object(fn->active_fn) ? (js_function *)JSV_OBJ(fn->active_fn) : NULL;
    return fn;
}

jsv jsvm_direct_eval(js_thread *t, js_frame *f, jsv x)
{
    if (!jsv_is_string(x)) return x;
    int pflags = JSPARSE_EVAL | JSPARSE_DIRECT_EVAL;
    if (f->bc->flags & JSFB_STRICT) pflags |= JSPARSE_STRICT;
    js_function *act = active_function(f);
    if (act && !(act->bc->flags & (JSFB_SCRIPT | JSFB_EVAL))) {
        uint32_t fl = act->bc->flags;
        pflags |= JSPARSE_IN_FUNCTION;
        if (jsv_is_object(f->home_object) || (fl & JSFB_METHOD)) pflags |= JSPARSE_IN_METHOD;
        if (fl & JSFB_DERIVED) pflags |= JSPARSE_IN_DERIVED_CTOR;
        if (fl & JSFB_FIELD_INIT) pflags |= JSPARSE_IN_FIELD_INIT;
    } else if (f->fn && (f->fn->bc->flags & JSFB_ARROW) && !act) {
        /* arrow at script level: no function context */
    }
    /* private names visible through the environment chain ("#x" slots) */
    const uint16_t *pn[64];
    uint32_t pl[64];
    uint16_t *pbufs[64];
    uint32_t np = 0;
    for (js_env *e = f->env; e && np < 64; e = e->outer) {
        if (e->h.flags != JS_ENV_DECL || !e->desc) continue;
        for (uint32_t i = 0; i < e->desc->count && np < 64; i++) {
            jsv nm = e->desc->names[i];
            if (!jsv_is_string(nm)) continue;
            js_string *s = JSV_STR(nm);
            if (s->len < 2 || jsstr_char_at(s, 0) != '#') continue;
            size_t l;
            uint16_t *b = to_utf16(t, s, &l);
            if (!b) { for (uint32_t k = 0; k < np; k++) free(pbufs[k]); return JSV_EXCEPTION; }
            pbufs[np] = b;
            pn[np] = b + 1;
            pl[np] = (uint32_t)l - 1;
            np++;
        }
    }
    size_t len;
    uint16_t *buf = to_utf16(t, JSV_STR(x), &len);
    if (!buf) { for (uint32_t k = 0; k < np; k++) free(pbufs[k]); return JSV_EXCEPTION; }
    jsparse_options o;
    init_opts(&o, "eval", pflags);
    o.private_names = pn;
    o.private_name_lens = pl;
    o.nprivate_names = np;
    jsparse_error err;
    jsast_program *prog = jsparse_utf16(buf, len, &o, &err);
    free(buf);
    for (uint32_t k = 0; k < np; k++) free(pbufs[k]);
    if (!prog) return throw_parse_error(t, &err, "eval");
    js_function_bc *bc = compile_tree(t, prog, "eval", 1);
    if (!bc) return JSV_EXCEPTION;
    return jsvm_exec_code(t, bc, f->env, f->this_val, f, JSV_UNDEFINED);
}

/* ---- CreateDynamicFunction ---- */

static int buf_add(char **b, size_t *len, size_t *cap, const char *s, size_t n)
{
    if (*len + n + 1 > *cap) {
        size_t nc = (*len + n + 1) * 2;
        char *nb = realloc(*b, nc);
        if (!nb) return -1;
        *b = nb;
        *cap = nc;
    }
    memcpy(*b + *len, s, n);
    *len += n;
    (*b)[*len] = 0;
    return 0;
}

jsv jsvm_create_dynamic_function(js_thread *t, int kind, int argc, jsv *argv, jsv new_target)
{
    static const char *const prefixes[] = { "function", "function*", "async function", "async function*" };
    static const int fallback[] = { JS_INTR_FunctionPrototype, JS_INTR_GeneratorFunctionPrototype,
                                    JS_INTR_AsyncFunctionPrototype, JS_INTR_AsyncGeneratorFunctionPrototype };
    if (kind < 0 || kind > 3) kind = 0;
    char *src = NULL;
    size_t len = 0, cap = 0;
    int ok = buf_add(&src, &len, &cap, prefixes[kind], strlen(prefixes[kind])) == 0 &&
             buf_add(&src, &len, &cap, " anonymous(", 11) == 0;
    for (int i = 0; ok && i < argc - 1; i++) {
        js_string *s = jsop_to_string(t, argv[i]);
        if (!s) { free(src); return JSV_EXCEPTION; }
        size_t l;
        char *u = jsstr_to_utf8(s, &l);
        if (!u) { free(src); return jsvm_throw_out_of_memory(t); }
        if (i > 0) ok = buf_add(&src, &len, &cap, ",", 1) == 0;
        ok = ok && buf_add(&src, &len, &cap, u, l) == 0;
        free(u);
    }
    js_string *body = argc > 0 ? jsop_to_string(t, argv[argc - 1]) : jsstr_empty(t);
    if (!body) { free(src); return JSV_EXCEPTION; }
    uint32_t params_end = (uint32_t)len;
    ok = ok && buf_add(&src, &len, &cap, "\n) {", 4) == 0;
    uint32_t body_start = (uint32_t)len;
    /* bodyString is LF + body + LF: the source text toString shows, and an
     * HTML close comment may open the body */
    ok = ok && buf_add(&src, &len, &cap, "\n", 1) == 0;
    if (ok) {
        size_t l;
        char *u = jsstr_to_utf8(body, &l);
        if (!u) ok = 0;
        else { ok = buf_add(&src, &len, &cap, u, l) == 0; free(u); }
    }
    ok = ok && buf_add(&src, &len, &cap, "\n}", 2) == 0;
    if (!ok) { free(src); return jsvm_throw_out_of_memory(t); }
    jsparse_options o;
    int pflags = JSPARSE_DYNAMIC_FUNCTION;
    if (kind & 1) pflags |= JSPARSE_GENERATOR_FN;
    if (kind & 2) pflags |= JSPARSE_ASYNC_FN;
    init_opts(&o, "anonymous", pflags);
    o.params_end = params_end;
    o.body_start = body_start;
    jsparse_error err;
    jsast_program *prog = jsparse_utf8(src, len, &o, &err);
    if (!prog) { free(src); return throw_parse_error(t, &err, "anonymous"); }
    js_function_bc *bc = jscomp_compile_program(t, prog, "anonymous", 3);
    jsast_program_free(prog);
    free(src);
    if (!bc) return JSV_EXCEPTION;
    jsv f = jsvm_exec_code(t, bc, t->realm->global_env, t->realm->global_this, NULL, JSV_UNDEFINED);
    if (f == JSV_EXCEPTION) return f;
    if (!jsv_is_object(f)) return jsvm_throw_syntax_error(t, "invalid function source");
    if (!jsv_is_undefined(new_target) && jsv_is_object(new_target)) {
        jsv proto = jsobj_get(t, JSV_OBJ(new_target), jskey_from_atom_id(t, JS_ATOM_prototype), new_target);
        if (proto == JSV_EXCEPTION) return proto;
        if (!jsv_is_object(proto)) {
            /* GetPrototypeFromConstructor: the fallback of the new target's realm */
            js_realm *r = jsop_get_function_realm(t, JSV_OBJ(new_target));
            if (!r) return JSV_EXCEPTION;
            proto = r->intrinsics[fallback[kind]];
        }
        if (jsv_is_object(proto) && jsobj_set_prototype_of(t, JSV_OBJ(f), proto, JS_THROW) < 0) return JSV_EXCEPTION;
    }
    return f;
}
