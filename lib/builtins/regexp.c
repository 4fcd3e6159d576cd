/*
 * regexp.c - the RegExp built-in: constructor, RegExp.prototype (exec, test,
 * toString, flag getters, compile, @@match/@@matchAll/@@replace/@@search/@@split),
 * RegExp.escape, the legacy static properties ($1..$9, input, lastMatch...)
 * and %RegExpStringIteratorPrototype%. The engine itself is lib/regexp/.
 * Must not touch: other built-ins' intrinsics, string.c internals.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "builtins.h"
#include "../core/string.h"
#include "../regexp/regexp.h"
#include "../unicode/unicode.h"

typedef struct js_regexp {
    js_object base;
    jsre_prog *prog;
    jsv source;       /* [[OriginalSource]] */
    jsv flags;        /* [[OriginalFlags]] */
    js_realm *realm;
    int legacy;       /* [[LegacyFeaturesEnabled]] */
} js_regexp;

typedef struct js_regexp_string_iterator {
    js_object base;
    jsv re, str;
    uint8_t global, unicode, done;
} js_regexp_string_iterator;

static void regexp_trace(js_gc_tracer *trc, js_object *o)
{
    js_regexp *r = (js_regexp *)o;
    jsgc_mark_value(trc, r->source);
    jsgc_mark_value(trc, r->flags);
    jsgc_mark_cell(trc, r->realm);
}

static void regexp_finalize(js_runtime *rt, js_object *o)
{
    js_regexp *r = (js_regexp *)o;
    jsre_free(r->prog);
    r->prog = NULL;
}

const js_class_ops jsclass_regexp = {
    .name = "RegExp",
    .size = sizeof(js_regexp),
    .trace = regexp_trace,
    .finalize = regexp_finalize,
};

static void rsi_trace(js_gc_tracer *trc, js_object *o)
{
    js_regexp_string_iterator *it = (js_regexp_string_iterator *)o;
    jsgc_mark_value(trc, it->re);
    jsgc_mark_value(trc, it->str);
}

const js_class_ops jsclass_regexp_string_iterator = {
    .name = "RegExp String Iterator",
    .size = sizeof(js_regexp_string_iterator),
    .trace = rsi_trace,
};

/* ---- small helpers ---- */

typedef struct sbuf { uint16_t *p; size_t len, cap; } sbuf;

static int sb_grow(js_thread *t, sbuf *b, size_t need)
{
    if (b->len + need <= b->cap) return 0;
    if (b->len + need > JSSTR_MAX_LEN) { jsvm_throw_range_error(t, "Invalid string length"); return -1; }
    size_t n = b->cap ? b->cap * 2 : 32;
    while (n < b->len + need) n *= 2;
    uint16_t *p = realloc(b->p, n * 2);
    if (!p) { jsvm_throw_out_of_memory(t); return -1; }
    b->p = p;
    b->cap = n;
    return 0;
}

static int sb_char(js_thread *t, sbuf *b, uint32_t c)
{
    if (sb_grow(t, b, 1) < 0) return -1;
    b->p[b->len++] = (uint16_t)c;
    return 0;
}

static int sb_cstr(js_thread *t, sbuf *b, const char *c)
{
    while (*c) if (sb_char(t, b, (uint8_t)*c++) < 0) return -1;
    return 0;
}

static int sb_sub(js_thread *t, sbuf *b, js_string *s, uint32_t from, uint32_t to)
{
    if (to <= from) return 0;
    if (sb_grow(t, b, to - from) < 0) return -1;
    for (uint32_t i = from; i < to; i++) b->p[b->len++] = (uint16_t)jsstr_at(s, i);
    return 0;
}

static int sb_str(js_thread *t, sbuf *b, js_string *s)
{
    if (!(s = jsstr_flatten(t, s))) return -1;
    return sb_sub(t, b, s, 0, s->len);
}

static jsv sb_finish(js_thread *t, sbuf *b)
{
    js_string *s = b->len ? jsstr_new_utf16(t, b->p, b->len) : jsstr_empty(t);
    free(b->p);
    b->p = NULL;
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

static js_key akey(js_thread *t, int id) { return jskey_from_atom_id(t, id); }
static js_key wks(js_thread *t, int id) { return jsv_symbol(t->rt->wk_symbols[id]); }

static js_regexp *this_regexp(jsv v)
{
    if (jsv_is_object(v) && jsobj_class(JSV_OBJ(v)) == JS_CLASS_REGEXP && ((js_regexp *)JSV_OBJ(v))->prog)
        return (js_regexp *)JSV_OBJ(v);
    return NULL;
}

static js_string *to_flat(js_thread *t, jsv v)
{
    js_string *s = jsop_to_string(t, v);
    return s ? jsstr_flatten(t, s) : NULL;
}

static int set_last_index(js_thread *t, jsv r, double v)
{
    return jsobj_set_value(t, r, akey(t, JS_ATOM_lastIndex), jsv_number(v), JS_THROW);
}

static int get_last_index(js_thread *t, jsv r, double *out)
{
    jsv v = jsobj_get_value(t, r, akey(t, JS_ATOM_lastIndex));
    if (v == JSV_EXCEPTION) return -1;
    int64_t l;
    if (jsop_to_length(t, v, &l) < 0) return -1;
    *out = (double)l;
    return 0;
}

static double advance_index(js_string *s, double index, int unicode)
{
    if (!unicode || index + 1 >= s->len) return index + 1;
    uint32_t c = jsstr_at(s, (uint32_t)index);
    if (c >= 0xD800 && c <= 0xDBFF) {
        uint32_t d = jsstr_at(s, (uint32_t)index + 1);
        if (d >= 0xDC00 && d <= 0xDFFF) return index + 2;
    }
    return index + 1;
}

static int has_flag(js_string *f, uint32_t c)
{
    for (uint32_t i = 0; i < f->len; i++) if (jsstr_at(f, i) == c) return 1;
    return 0;
}

static const char flag_chars[] = "dgimsuvy";
static const unsigned flag_bits[] = { JSRE_D, JSRE_G, JSRE_I, JSRE_M, JSRE_S, JSRE_U, JSRE_V, JSRE_Y };
static const char *const flag_names[] = { "hasIndices", "global", "ignoreCase", "multiline", "dotAll", "unicode", "unicodeSets", "sticky" };

/* ---- legacy static properties (kept in the %RegExp% function's data slots) ----
 * data[0]: input string or undefined (invalidated); data[1]: dense Array of
 * capture offsets [s0, e0, s1, e1, ...]. */

static js_native_function *regexp_ctor_fn(js_thread *t, js_realm *realm)
{
    jsv c = realm->intrinsics[JS_INTR_RegExp];
    if (!jsv_is_object(c) || jsobj_class(JSV_OBJ(c)) != JS_CLASS_FUNCTION_NATIVE) return NULL;
    return (js_native_function *)JSV_OBJ(c);
}

static void legacy_update(js_thread *t, js_regexp *r, js_string *s, const int32_t *caps, int ncap)
{
    js_native_function *c = regexp_ctor_fn(t, t->realm);
    if (!c) return;
    if (!r->legacy || r->realm != t->realm) {
        c->data[0] = JSV_UNDEFINED;
        c->data[1] = JSV_UNDEFINED;
        return;
    }
    /* The offsets array never escapes to scripts: reuse it in place. */
    js_object *a = jsv_is_object(c->data[1]) ? JSV_OBJ(c->data[1]) : NULL;
    if (a && a->ecap >= (uint32_t)(2 * ncap) && !(a->h.flags & JS_OBJ_SPARSE)) {
        for (int i = 0; i < 2 * ncap; i++) a->elems[i] = jsv_from_int(caps[i]);
        a->elen = (uint32_t)(2 * ncap);
        ((js_array *)a)->length = a->elen;
        c->data[0] = jsv_string(s);
        return;
    }
    a = jsobj_new_array(t, 0);
    if (!a) { jsvm_take_exception(t); return; }
    for (int i = 0; i < 2 * ncap; i++)
        if (jsarray_push(t, a, jsv_from_int(caps[i])) < 0) { jsvm_take_exception(t); return; }
    c->data[0] = jsv_string(s);
    c->data[1] = jsv_object(a);
}

/* ---- creation ---- */

static js_regexp *regexp_alloc(js_thread *t, jsv new_target)
{
    js_object *o = jsv_is_undefined(new_target)
        ? jsobj_new(t, jsrt_intrinsic(t, JS_INTR_RegExpPrototype), JS_CLASS_REGEXP)
        : jsobj_new_from_ctor(t, new_target, JS_INTR_RegExpPrototype, JS_CLASS_REGEXP);
    if (!o) return NULL;
    js_regexp *r = (js_regexp *)o;
    r->source = JSV_UNDEFINED;
    r->flags = JSV_UNDEFINED;
    r->realm = t->realm;
    if (jsobj_define_value(t, o, akey(t, JS_ATOM_lastIndex), jsv_from_int(0), JS_PROP_WRITABLE) < 0) return NULL;
    return r;
}

static uint16_t *str_units(js_thread *t, js_string *s)
{
    uint16_t *u = malloc((s->len + 1) * sizeof(uint16_t));
    if (!u) { jsvm_throw_out_of_memory(t); return NULL; }
    for (uint32_t i = 0; i < s->len; i++) u[i] = (uint16_t)jsstr_at(s, i);
    return u;
}

static jsv regexp_initialize(js_thread *t, js_regexp *r, jsv pattern, jsv flags)
{
    js_string *p = jsv_is_undefined(pattern) ? jsstr_empty(t) : to_flat(t, pattern);
    if (!p) return JSV_EXCEPTION;
    js_string *f = jsv_is_undefined(flags) ? jsstr_empty(t) : to_flat(t, flags);
    if (!f) return JSV_EXCEPTION;
    uint16_t *fu = str_units(t, f);
    if (!fu) return JSV_EXCEPTION;
    unsigned fl;
    int bad = jsre_parse_flags(fu, f->len, &fl);
    free(fu);
    if (bad < 0) {
        char *fs = jsstr_to_utf8(f, NULL);
        jsvm_throw_syntax_error(t, "Invalid regular expression flags '%s'", fs ? fs : "");
        free(fs);
        return JSV_EXCEPTION;
    }
    uint16_t *pu = str_units(t, p);
    if (!pu) return JSV_EXCEPTION;
    char err[160];
    int oom = 0;
    jsre_prog *prog = jsre_compile(pu, p->len, fl, err, sizeof err, &oom);
    free(pu);
    if (!prog) {
        if (oom) return jsvm_throw_out_of_memory(t);
        return jsvm_throw_syntax_error(t, "Invalid regular expression: %s", err);
    }
    jsre_free(r->prog);
    r->prog = prog;
    r->source = jsv_string(p);
    r->flags = jsv_string(f);
    if (set_last_index(t, jsv_object(r), 0) < 0) return JSV_EXCEPTION;
    return jsv_object(r);
}

/* Regex literals: each evaluation makes a new object, but the program of a
 * literal site is shared through a small per-realm cache keyed by the
 * (constant) pattern and flags strings, kept in the %RegExp% function's data
 * slot 3. The cache holds its keys alive, so pointer identity is stable. */
#define LIT_CACHE_SIZE 64
typedef struct lit_cache {
    js_internal h;
    struct { js_string *pat, *flags; jsre_prog *prog; } e[LIT_CACHE_SIZE];
} lit_cache;

static void lit_trace(js_gc_tracer *trc, void *cell)
{
    lit_cache *lc = cell;
    for (int i = 0; i < LIT_CACHE_SIZE; i++) {
        jsgc_mark_cell(trc, lc->e[i].pat);
        jsgc_mark_cell(trc, lc->e[i].flags);
    }
}

static void lit_finalize(js_runtime *rt, void *cell)
{
    lit_cache *lc = cell;
    for (int i = 0; i < LIT_CACHE_SIZE; i++) jsre_free(lc->e[i].prog);
}

static const js_internal_ops lit_cache_ops = { "RegExpLiteralCache", lit_trace, lit_finalize };

jsv jsbi_regexp_create(js_thread *t, js_string *pattern, js_string *flags)
{
    js_native_function *c = regexp_ctor_fn(t, t->realm);
    lit_cache *lc = NULL;
    if (c) {
        if (jsv_is_cell(c->data[3])) lc = jsv_get_ptr(c->data[3]);
        else if ((lc = jsgc_alloc(t, sizeof *lc, JS_CELL_INTERNAL))) {
            lc->h.ops = &lit_cache_ops;
            c->data[3] = jsv_cell(lc);
        } else jsvm_take_exception(t);
    }
    uintptr_t hv = ((uintptr_t)pattern >> 4) ^ ((uintptr_t)flags >> 6);
    unsigned slot = (unsigned)(hv ^ (hv >> 9)) % LIT_CACHE_SIZE;
    js_regexp *r = regexp_alloc(t, JSV_UNDEFINED);
    if (!r) return JSV_EXCEPTION;
    r->legacy = 1;
    if (lc && lc->e[slot].prog && lc->e[slot].pat == pattern && lc->e[slot].flags == flags) {
        js_string *fp = jsstr_flatten(t, pattern);
        if (!fp) return JSV_EXCEPTION;
        r->prog = jsre_retain(lc->e[slot].prog);
        r->source = jsv_string(fp);
        r->flags = jsv_string(flags);
        return jsv_object(r);
    }
    jsv v = regexp_initialize(t, r, jsv_string(pattern), jsv_string(flags));
    if (v != JSV_EXCEPTION && lc) {
        jsre_free(lc->e[slot].prog);
        lc->e[slot].pat = pattern;
        lc->e[slot].flags = flags;
        lc->e[slot].prog = jsre_retain(r->prog);
    }
    return v;
}

static jsv regexp_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    jsv pattern = JS_ARG(0), flags = JS_ARG(1);
    jsv self = jsrt_intrinsic(t, JS_INTR_RegExp);
    int is_re = jsop_is_regexp(t, pattern);
    if (is_re < 0) return JSV_EXCEPTION;
    if (jsv_is_undefined(new_target)) {
        new_target = self;
        if (is_re && jsv_is_undefined(flags)) {
            jsv pc = jsobj_get_value(t, pattern, akey(t, JS_ATOM_constructor));
            if (pc == JSV_EXCEPTION) return JSV_EXCEPTION;
            if (pc == new_target) return pattern;
        }
    }
    jsv P, F;
    js_regexp *pr = this_regexp(pattern);
    if (pr) {
        P = pr->source;
        F = jsv_is_undefined(flags) ? pr->flags : flags;
    } else if (is_re) {
        P = jsobj_get_value(t, pattern, akey(t, JS_ATOM_source));
        if (P == JSV_EXCEPTION) return JSV_EXCEPTION;
        if (jsv_is_undefined(flags)) {
            F = jsobj_get_value(t, pattern, akey(t, JS_ATOM_flags));
            if (F == JSV_EXCEPTION) return JSV_EXCEPTION;
        } else F = flags;
    } else {
        P = pattern;
        F = flags;
    }
    js_regexp *r = regexp_alloc(t, new_target);
    if (!r) return JSV_EXCEPTION;
    r->legacy = new_target == self;
    return regexp_initialize(t, r, P, F);
}

static jsv regexp_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return regexp_construct(t, JSV_UNDEFINED, argc, argv, magic);
}

/* ---- exec ---- */

/* RegExpBuiltinExec */
static jsv builtin_exec(js_thread *t, js_regexp *r, js_string *s)
{
    jsv rv = jsv_object(r);
    double li;
    if (get_last_index(t, rv, &li) < 0) return JSV_EXCEPTION;
    /* lastIndex may have run user code that recompiled r: read the program now. */
    jsre_prog *prog = r->prog;
    unsigned fl = jsre_flags(prog);
    int global = (fl & JSRE_G) != 0, sticky = (fl & JSRE_Y) != 0;
    int unicode = (fl & (JSRE_U | JSRE_V)) != 0;
    if (!global && !sticky) li = 0;
    if (li > s->len) {
        if ((global || sticky) && set_last_index(t, rv, 0) < 0) return JSV_EXCEPTION;
        return JSV_NULL;
    }
    uint32_t start = (uint32_t)li;
    (void)unicode;
    int ncap = jsre_capture_count(prog);
    int32_t stackcaps[32], *caps = stackcaps;
    if (ncap > 16) {
        caps = malloc(2 * (size_t)ncap * sizeof(int32_t));
        if (!caps) return jsvm_throw_out_of_memory(t);
    }
    int m = jsre_exec(t, prog, s, start, sticky, caps);
    jsv result = JSV_EXCEPTION;
    if (m < 0) goto out;
    if (m == 0) {
        if ((global || sticky) && set_last_index(t, rv, 0) < 0) goto out;
        result = JSV_NULL;
        goto out;
    }
    if ((global || sticky) && set_last_index(t, rv, caps[1]) < 0) goto out;
    legacy_update(t, r, s, caps, ncap);
    js_object *a = jsobj_new_array(t, 0);
    if (!a) goto out;
    for (int i = 0; i < ncap; i++) {
        jsv v = JSV_UNDEFINED;
        if (caps[2 * i] >= 0 && caps[2 * i + 1] >= 0) {
            js_string *sub = jsstr_substring(t, s, (uint32_t)caps[2 * i], (uint32_t)caps[2 * i + 1]);
            if (!sub) goto out;
            v = jsv_string(sub);
        }
        if (jsarray_push(t, a, v) < 0) goto out;
    }
    if (jsobj_create_data_property(t, a, akey(t, JS_ATOM_index), jsv_from_int(caps[0]), JS_THROW) < 0 ||
        jsobj_create_data_property(t, a, akey(t, JS_ATOM_input), jsv_string(s), JS_THROW) < 0)
        goto out;
    jsv groups = JSV_UNDEFINED, igroups = JSV_UNDEFINED;
    int has_names = jsre_has_names(prog);
    if (has_names) {
        js_object *g = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
        if (!g) goto out;
        groups = jsv_object(g);
    }
    if (jsobj_create_data_property(t, a, akey(t, JS_ATOM_groups), groups, JS_THROW) < 0) goto out;
    js_object *ind = NULL;
    if (fl & JSRE_D) {
        ind = jsobj_new_array(t, 0);
        if (!ind) goto out;
        for (int i = 0; i < ncap; i++) {
            jsv v = JSV_UNDEFINED;
            if (caps[2 * i] >= 0 && caps[2 * i + 1] >= 0) {
                jsv pair[2] = { jsv_from_int(caps[2 * i]), jsv_from_int(caps[2 * i + 1]) };
                js_object *pa = jsobj_new_array_from(t, 2, pair);
                if (!pa) goto out;
                v = jsv_object(pa);
            }
            if (jsarray_push(t, ind, v) < 0) goto out;
        }
        if (has_names) {
            js_object *g = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
            if (!g) goto out;
            igroups = jsv_object(g);
        }
        if (jsobj_create_data_property(t, ind, akey(t, JS_ATOM_groups), igroups, JS_THROW) < 0) goto out;
        if (jsobj_create_data_property(t, a, akey(t, JS_ATOM_indices), jsv_object(ind), JS_THROW) < 0) goto out;
    }
    if (has_names) {
        for (int i = 1; i < ncap; i++) {
            uint32_t nl;
            const uint16_t *nm = jsre_group_name(prog, i, &nl);
            if (!nm) continue;
            js_string *ns = jsstr_new_utf16(t, nm, nl);
            if (!ns) goto out;
            js_key k = jskey_from_string(t, ns);
            if (k == JSV_EXCEPTION) goto out;
            int defined = caps[2 * i] >= 0 && caps[2 * i + 1] >= 0;
            /* duplicate names: the participating group wins, first one fixes the order */
            int has = jsobj_has_own_property(t, JSV_OBJ(groups), k);
            if (has < 0) goto out;
            if (has && !defined) continue;
            jsv v = JSV_UNDEFINED;
            if (jsarray_fast_get(a, (uint32_t)i, &v) == 0) v = JSV_UNDEFINED;
            if (jsobj_create_data_property(t, JSV_OBJ(groups), k, v, JS_THROW) < 0) goto out;
            if (ind) {
                jsv iv = JSV_UNDEFINED;
                if (!jsarray_fast_get(ind, (uint32_t)i, &iv)) iv = JSV_UNDEFINED;
                if (jsobj_create_data_property(t, JSV_OBJ(igroups), k, iv, JS_THROW) < 0) goto out;
            }
        }
    }
    result = jsv_object(a);
out:
    if (caps != stackcaps) free(caps);
    return result;
}

/* RegExpExec(R, S) */
static jsv regexp_exec(js_thread *t, jsv r, js_string *s)
{
    jsv exec = jsobj_get_value(t, r, akey(t, JS_ATOM_exec));
    if (exec == JSV_EXCEPTION) return JSV_EXCEPTION;
    if (jsop_is_callable(exec)) {
        jsv sv = jsv_string(s);
        jsv res = jsvm_call(t, exec, r, 1, &sv);
        if (res == JSV_EXCEPTION) return res;
        if (!jsv_is_object(res) && !jsv_is_null(res))
            return jsvm_throw_type_error(t, "RegExp exec method returned something other than an Object or null");
        return res;
    }
    js_regexp *re = this_regexp(r);
    if (!re) return jsvm_throw_type_error(t, "RegExp exec called on an incompatible receiver");
    return builtin_exec(t, re, s);
}

/* The fast paths of @@replace, @@match and @@split run the matcher directly
 * instead of looping through RegExpExec. That is unobservable when rx is a
 * RegExp whose "exec" resolves to the original data property of this realm's
 * %RegExp.prototype%, whose lastIndex is a writable data property, and whose
 * flags string (already read as the spec requires) agrees with its program:
 * no user code can run inside the loop then. */
static js_regexp *pristine(js_thread *t, jsv rx, js_string *fl)
{
    js_regexp *r = this_regexp(rx);
    js_native_function *c = regexp_ctor_fn(t, t->realm);
    if (!r || !c || !jsv_is_object(c->data[2])) return NULL;
    js_object *o = &r->base;
    js_propdesc d;
    js_key ek = akey(t, JS_ATOM_exec);
    if (o->shape->proto != jsrt_intrinsic(t, JS_INTR_RegExpPrototype)) return NULL;
    int has = jsobj_ordinary_get_own_property(t, o, ek, &d);
    if (has != 0) return NULL;
    has = jsobj_ordinary_get_own_property(t, o, akey(t, JS_ATOM_lastIndex), &d);
    if (has != 1 || (d.flags & JS_PROP_ACCESSOR) || !(d.flags & JS_PROP_WRITABLE) || !jsv_is_number(d.value)) return NULL;
    has = jsobj_ordinary_get_own_property(t, JSV_OBJ(o->shape->proto), ek, &d);
    if (has != 1 || (d.flags & JS_PROP_ACCESSOR) || d.value != c->data[2]) return NULL;
    unsigned fb = jsre_flags(r->prog);
    char want[9];
    int n = 0;
    for (int i = 0; i < 8; i++) if (fb & flag_bits[i]) want[n++] = flag_chars[i];
    want[n] = 0;
    if (!jsstr_equal_cstr(fl, want)) return NULL;
    return r;
}

/* Runs the global matching loop of @@match/@@replace on a pristine r: every
 * match's capture offsets appended to *out (2 * ncap each). Returns the count
 * or -1. lastIndex ends at 0 as the spec's loop leaves it. */
static int64_t collect_matches(js_thread *t, js_regexp *r, js_string *s, int32_t **out)
{
    jsre_prog *prog = r->prog;
    unsigned fl = jsre_flags(prog);
    int sticky = (fl & JSRE_Y) != 0, unicode = (fl & (JSRE_U | JSRE_V)) != 0;
    int ncap = jsre_capture_count(prog);
    size_t cap = 0, n = 0;
    int32_t *v = NULL;
    double li = 0;
    for (;;) {
        if (li > s->len) break;
        if (n + 2 * (size_t)ncap > cap) {
            size_t nc = cap ? cap * 2 : 64;
            while (nc < n + 2 * (size_t)ncap) nc *= 2;
            int32_t *nv = realloc(v, nc * sizeof(int32_t));
            if (!nv) { free(v); jsvm_throw_out_of_memory(t); return -1; }
            v = nv;
            cap = nc;
        }
        int m = jsre_exec(t, prog, s, (uint32_t)li, sticky, v + n);
        if (m < 0) { free(v); return -1; }
        if (m == 0) break;
        li = v[n + 1];
        if (v[n] == v[n + 1]) li = advance_index(s, li, unicode);
        n += 2 * (size_t)ncap;
    }
    if (n) legacy_update(t, r, s, v + n - 2 * ncap, ncap);
    if (set_last_index(t, jsv_object(r), 0) < 0) { free(v); return -1; }
    *out = v;
    return (int64_t)(n / (2 * (size_t)ncap));
}

/* The groups object of one match (undefined without named groups). */
static jsv make_groups(js_thread *t, jsre_prog *prog, js_string *s, const int32_t *caps)
{
    if (!jsre_has_names(prog)) return JSV_UNDEFINED;
    js_object *g = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    if (!g) return JSV_EXCEPTION;
    int ncap = jsre_capture_count(prog);
    for (int i = 1; i < ncap; i++) {
        uint32_t nl;
        const uint16_t *nm = jsre_group_name(prog, i, &nl);
        if (!nm) continue;
        js_string *ns = jsstr_new_utf16(t, nm, nl);
        if (!ns) return JSV_EXCEPTION;
        js_key k = jskey_from_string(t, ns);
        if (k == JSV_EXCEPTION) return k;
        int defined = caps[2 * i] >= 0 && caps[2 * i + 1] >= 0;
        int has = jsobj_has_own_property(t, g, k);
        if (has < 0) return JSV_EXCEPTION;
        if (has && !defined) continue;
        jsv v = JSV_UNDEFINED;
        if (defined) {
            js_string *sub = jsstr_substring(t, s, (uint32_t)caps[2 * i], (uint32_t)caps[2 * i + 1]);
            if (!sub) return JSV_EXCEPTION;
            v = jsv_string(sub);
        }
        if (jsobj_create_data_property(t, g, k, v, JS_THROW) < 0) return JSV_EXCEPTION;
    }
    return jsv_object(g);
}

static jsv proto_exec(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_regexp *r = this_regexp(this_val);
    if (!r) return jsvm_throw_type_error(t, "RegExp.prototype.exec called on an incompatible receiver");
    js_string *s = to_flat(t, JS_ARG(0));
    if (!s) return JSV_EXCEPTION;
    return builtin_exec(t, r, s);
}

static jsv proto_test(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "RegExp.prototype.test called on a non-object");
    js_string *s = to_flat(t, JS_ARG(0));
    if (!s) return JSV_EXCEPTION;
    jsv r = regexp_exec(t, this_val, s);
    if (r == JSV_EXCEPTION) return r;
    return jsv_from_bool(!jsv_is_null(r));
}

static jsv proto_to_string(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "RegExp.prototype.toString called on a non-object");
    jsv src = jsobj_get_value(t, this_val, akey(t, JS_ATOM_source));
    if (src == JSV_EXCEPTION) return src;
    js_string *ss = jsop_to_string(t, src);
    if (!ss) return JSV_EXCEPTION;
    jsv fl = jsobj_get_value(t, this_val, akey(t, JS_ATOM_flags));
    if (fl == JSV_EXCEPTION) return fl;
    js_string *fs = jsop_to_string(t, fl);
    if (!fs) return JSV_EXCEPTION;
    sbuf b = { 0 };
    if (sb_char(t, &b, '/') < 0 || sb_str(t, &b, ss) < 0 || sb_char(t, &b, '/') < 0 || sb_str(t, &b, fs) < 0) {
        free(b.p);
        return JSV_EXCEPTION;
    }
    return sb_finish(t, &b);
}

/* ---- accessors ---- */


static jsv get_flag(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "RegExp.prototype.%s getter called on a non-object", flag_names[magic]);
    js_regexp *r = this_regexp(this_val);
    if (!r) {
        if (this_val == jsrt_intrinsic(t, JS_INTR_RegExpPrototype)) return JSV_UNDEFINED;
        return jsvm_throw_type_error(t, "RegExp.prototype.%s getter called on an incompatible receiver", flag_names[magic]);
    }
    return jsv_from_bool((jsre_flags(r->prog) & flag_bits[magic]) != 0);
}

static jsv get_flags(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "RegExp.prototype.flags getter called on a non-object");
    char buf[16];
    int n = 0;
    for (int i = 0; i < 8; i++) {
        js_key k = jskey_from_cstr(t, flag_names[i]);
        if (k == JSV_EXCEPTION) return k;
        jsv v = jsobj_get_value(t, this_val, k);
        if (v == JSV_EXCEPTION) return v;
        if (jsop_to_boolean(v)) buf[n++] = flag_chars[i];
    }
    js_string *s = jsstr_new_latin1(t, (const uint8_t *)buf, (size_t)n);
    return s ? jsv_string(s) : JSV_EXCEPTION;
}

static jsv get_source(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "RegExp.prototype.source getter called on a non-object");
    js_regexp *r = this_regexp(this_val);
    if (!r) {
        if (this_val == jsrt_intrinsic(t, JS_INTR_RegExpPrototype)) {
            js_string *s = jsstr_new_cstr(t, "(?:)");
            return s ? jsv_string(s) : JSV_EXCEPTION;
        }
        return jsvm_throw_type_error(t, "RegExp.prototype.source getter called on an incompatible receiver");
    }
    js_string *src = JSV_STR(r->source);
    if (!src->len) {
        js_string *s = jsstr_new_cstr(t, "(?:)");
        return s ? jsv_string(s) : JSV_EXCEPTION;
    }
    /* EscapeRegExpPattern: '/' outside classes and line terminators. */
    sbuf b = { 0 };
    int in_cls = 0;
    for (uint32_t i = 0; i < src->len; i++) {
        uint32_t c = jsstr_at(src, i);
        int rc = 0;
        if (c == '\\' && i + 1 < src->len) {
            uint32_t d = jsstr_at(src, i + 1);
            if (d == '\n' || d == '\r' || d == 0x2028 || d == 0x2029) { c = d; i++; goto lt; }
            rc = sb_char(t, &b, c) < 0 || sb_char(t, &b, d) < 0;
            i++;
        } else if (c == '/' && !in_cls) {
            rc = sb_cstr(t, &b, "\\/");
        } else if (c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029) {
        lt:
            rc = sb_cstr(t, &b, c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == 0x2028 ? "\\u2028" : "\\u2029");
        } else {
            if (c == '[') in_cls = 1;
            else if (c == ']') in_cls = 0;
            rc = sb_char(t, &b, c);
        }
        if (rc) { free(b.p); return JSV_EXCEPTION; }
    }
    return sb_finish(t, &b);
}

static jsv get_species(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return this_val;
}

/* ---- Symbol methods ---- */

static js_string *get_flags_string(js_thread *t, jsv rx)
{
    jsv f = jsobj_get_value(t, rx, akey(t, JS_ATOM_flags));
    if (f == JSV_EXCEPTION) return NULL;
    return to_flat(t, f);
}

static jsv sym_match(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "RegExp.prototype[@@match] called on a non-object");
    js_string *s = to_flat(t, JS_ARG(0));
    if (!s) return JSV_EXCEPTION;
    js_string *fl = get_flags_string(t, this_val);
    if (!fl) return JSV_EXCEPTION;
    if (!has_flag(fl, 'g')) return regexp_exec(t, this_val, s);
    int unicode = has_flag(fl, 'u') || has_flag(fl, 'v');
    if (set_last_index(t, this_val, 0) < 0) return JSV_EXCEPTION;
    js_object *a = jsobj_new_array(t, 0);
    if (!a) return JSV_EXCEPTION;
    js_regexp *pr = pristine(t, this_val, fl);
    if (pr) {
        int32_t *v;
        int ncap = jsre_capture_count(pr->prog);
        int64_t cnt = collect_matches(t, pr, s, &v);
        if (cnt < 0) return JSV_EXCEPTION;
        for (int64_t i = 0; i < cnt; i++) {
            const int32_t *c = v + i * 2 * ncap;
            js_string *sub = jsstr_substring(t, s, (uint32_t)c[0], (uint32_t)c[1]);
            if (!sub || jsarray_push(t, a, jsv_string(sub)) < 0) { free(v); return JSV_EXCEPTION; }
        }
        free(v);
        return cnt ? jsv_object(a) : JSV_NULL;
    }
    uint32_t n = 0;
    for (;;) {
        jsv res = regexp_exec(t, this_val, s);
        if (res == JSV_EXCEPTION) return res;
        if (jsv_is_null(res)) return n ? jsv_object(a) : JSV_NULL;
        jsv m0 = jsobj_get_value(t, res, jskey_from_index(0));
        if (m0 == JSV_EXCEPTION) return m0;
        js_string *ms = jsop_to_string(t, m0);
        if (!ms) return JSV_EXCEPTION;
        if (jsobj_create_data_property(t, a, jskey_from_index(n), jsv_string(ms), JS_THROW) < 0) return JSV_EXCEPTION;
        if (!ms->len) {
            double li;
            if (get_last_index(t, this_val, &li) < 0) return JSV_EXCEPTION;
            if (set_last_index(t, this_val, advance_index(s, li, unicode)) < 0) return JSV_EXCEPTION;
        }
        n++;
    }
}

static jsv sym_search(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "RegExp.prototype[@@search] called on a non-object");
    js_string *s = to_flat(t, JS_ARG(0));
    if (!s) return JSV_EXCEPTION;
    js_key lk = akey(t, JS_ATOM_lastIndex);
    jsv prev = jsobj_get_value(t, this_val, lk);
    if (prev == JSV_EXCEPTION) return prev;
    if (!jsop_same_value(prev, jsv_from_int(0)) && jsobj_set_value(t, this_val, lk, jsv_from_int(0), JS_THROW) < 0)
        return JSV_EXCEPTION;
    jsv res = regexp_exec(t, this_val, s);
    if (res == JSV_EXCEPTION) return res;
    jsv cur = jsobj_get_value(t, this_val, lk);
    if (cur == JSV_EXCEPTION) return cur;
    if (!jsop_same_value(cur, prev) && jsobj_set_value(t, this_val, lk, prev, JS_THROW) < 0) return JSV_EXCEPTION;
    if (jsv_is_null(res)) return jsv_from_int(-1);
    return jsobj_get_value(t, res, akey(t, JS_ATOM_index));
}

static jsv replace_fast(js_thread *t, js_regexp *r, js_string *s, jsv rv, js_string *tmpl)
{
    int32_t *v;
    jsre_prog *prog = r->prog;
    int ncap = jsre_capture_count(prog);
    int64_t cnt = collect_matches(t, r, s, &v);
    if (cnt < 0) return JSV_EXCEPTION;
    sbuf b = { 0 };
    uint32_t next_pos = 0;
    js_object *args = NULL;
    for (int64_t i = 0; i < cnt; i++) {
        const int32_t *c = v + i * 2 * ncap;
        uint32_t position = (uint32_t)c[0];
        js_string *matched = jsstr_substring(t, s, (uint32_t)c[0], (uint32_t)c[1]);
        if (!matched) goto fail;
        args = jsobj_new_array(t, 0);
        if (!args) goto fail;
        if (tmpl == NULL && jsarray_push(t, args, jsv_string(matched)) < 0) goto fail;
        for (int k = 1; k < ncap; k++) {
            jsv cv = JSV_UNDEFINED;
            if (c[2 * k] >= 0 && c[2 * k + 1] >= 0) {
                js_string *sub = jsstr_substring(t, s, (uint32_t)c[2 * k], (uint32_t)c[2 * k + 1]);
                if (!sub) goto fail;
                cv = jsv_string(sub);
            }
            if (jsarray_push(t, args, cv) < 0) goto fail;
        }
        jsv named = make_groups(t, prog, s, c);
        if (named == JSV_EXCEPTION) goto fail;
        js_string *rep;
        if (!tmpl) {
            if (jsarray_push(t, args, jsv_from_int((int32_t)position)) < 0 ||
                jsarray_push(t, args, jsv_string(s)) < 0)
                goto fail;
            if (!jsv_is_undefined(named) && jsarray_push(t, args, named) < 0) goto fail;
            jsv res = jsvm_call(t, rv, JSV_UNDEFINED, (int)args->elen, args->elems);
            if (res == JSV_EXCEPTION) goto fail;
            rep = jsop_to_string(t, res);
        } else {
            rep = jsbi_get_substitution(t, matched, s, position, args->elen, args->elems, named, tmpl);
        }
        if (!rep) goto fail;
        if (position >= next_pos) {
            if (sb_sub(t, &b, s, next_pos, position) < 0 || sb_str(t, &b, rep) < 0) goto fail;
            next_pos = (uint32_t)c[1];
        }
    }
    free(v);
    if (next_pos < s->len && sb_sub(t, &b, s, next_pos, s->len) < 0) { free(b.p); return JSV_EXCEPTION; }
    return sb_finish(t, &b);
fail:
    free(v);
    free(b.p);
    return JSV_EXCEPTION;
}

static jsv sym_replace(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "RegExp.prototype[@@replace] called on a non-object");
    js_string *s = to_flat(t, JS_ARG(0));
    if (!s) return JSV_EXCEPTION;
    jsv rv = JS_ARG(1);
    int functional = jsop_is_callable(rv);
    js_string *tmpl = NULL;
    if (!functional && !(tmpl = jsop_to_string(t, rv))) return JSV_EXCEPTION;
    js_string *fl = get_flags_string(t, this_val);
    if (!fl) return JSV_EXCEPTION;
    int global = has_flag(fl, 'g'), unicode = 0;
    if (global) {
        unicode = has_flag(fl, 'u') || has_flag(fl, 'v');
        if (set_last_index(t, this_val, 0) < 0) return JSV_EXCEPTION;
    }
    js_regexp *pr = global ? pristine(t, this_val, fl) : NULL;
    /* A replacer may recompile rx, freeing the program the group names live in. */
    if (pr && functional && jsre_has_names(pr->prog)) pr = NULL;
    if (pr) return replace_fast(t, pr, s, rv, tmpl);
    js_object *results = jsobj_new_array(t, 0);
    if (!results) return JSV_EXCEPTION;
    for (;;) {
        jsv res = regexp_exec(t, this_val, s);
        if (res == JSV_EXCEPTION) return res;
        if (jsv_is_null(res)) break;
        if (jsarray_push(t, results, res) < 0) return JSV_EXCEPTION;
        if (!global) break;
        jsv m0 = jsobj_get_value(t, res, jskey_from_index(0));
        if (m0 == JSV_EXCEPTION) return m0;
        js_string *ms = jsop_to_string(t, m0);
        if (!ms) return JSV_EXCEPTION;
        if (!ms->len) {
            double li;
            if (get_last_index(t, this_val, &li) < 0) return JSV_EXCEPTION;
            if (set_last_index(t, this_val, advance_index(s, li, unicode)) < 0) return JSV_EXCEPTION;
        }
    }
    sbuf b = { 0 };
    uint32_t next_pos = 0;
    for (uint32_t ri = 0; ri < results->elen; ri++) {
        jsv res = results->elems[ri];
        int64_t rlen;
        if (jsop_length_of_array_like(t, JSV_OBJ(res), &rlen) < 0) goto fail;
        int64_t ncaps = rlen - 1 > 0 ? rlen - 1 : 0;
        jsv m0 = jsobj_get_value(t, res, jskey_from_index(0));
        if (m0 == JSV_EXCEPTION) goto fail;
        js_string *matched = jsop_to_string(t, m0);
        if (!matched) goto fail;
        jsv pv = jsobj_get_value(t, res, akey(t, JS_ATOM_index));
        if (pv == JSV_EXCEPTION) goto fail;
        double pos;
        if (jsop_to_integer_or_infinity(t, pv, &pos) < 0) goto fail;
        if (pos < 0) pos = 0;
        if (pos > s->len) pos = s->len;
        uint32_t position = (uint32_t)pos;
        if (ncaps > 0xFFFFFF) { jsvm_throw_range_error(t, "too many captures"); goto fail; }
        js_object *capsarr = jsobj_new_array(t, 0);
        if (!capsarr) goto fail;
        if (functional && jsarray_push(t, capsarr, jsv_string(matched)) < 0) goto fail;
        for (int64_t n = 1; n <= ncaps; n++) {
            jsv c = jsobj_get_value(t, res, jskey_from_index((uint32_t)n));
            if (c == JSV_EXCEPTION) goto fail;
            if (!jsv_is_undefined(c)) {
                js_string *cs = jsop_to_string(t, c);
                if (!cs) goto fail;
                c = jsv_string(cs);
            }
            if (jsarray_push(t, capsarr, c) < 0) goto fail;
        }
        jsv named = jsobj_get_value(t, res, akey(t, JS_ATOM_groups));
        if (named == JSV_EXCEPTION) goto fail;
        js_string *rep;
        if (functional) {
            if (jsarray_push(t, capsarr, jsv_from_int((int32_t)position)) < 0 ||
                jsarray_push(t, capsarr, jsv_string(s)) < 0)
                goto fail;
            if (!jsv_is_undefined(named) && jsarray_push(t, capsarr, named) < 0) goto fail;
            jsv r = jsvm_call(t, rv, JSV_UNDEFINED, (int)capsarr->elen, capsarr->elems);
            if (r == JSV_EXCEPTION) goto fail;
            rep = jsop_to_string(t, r);
        } else {
            if (!jsv_is_undefined(named)) {
                named = jsop_to_object(t, named);
                if (named == JSV_EXCEPTION) goto fail;
            }
            rep = jsbi_get_substitution(t, matched, s, position, capsarr->elen, capsarr->elems, named, tmpl);
        }
        if (!rep) goto fail;
        if (position >= next_pos) {
            if (sb_sub(t, &b, s, next_pos, position) < 0 || sb_str(t, &b, rep) < 0) goto fail;
            uint64_t np = (uint64_t)position + matched->len;
            next_pos = np > s->len ? s->len + 1 : (uint32_t)np;
        }
    }
    if (next_pos < s->len && sb_sub(t, &b, s, next_pos, s->len) < 0) goto fail;
    return sb_finish(t, &b);
fail:
    free(b.p);
    return JSV_EXCEPTION;
}

static jsv sym_split(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "RegExp.prototype[@@split] called on a non-object");
    js_string *s = to_flat(t, JS_ARG(0));
    if (!s) return JSV_EXCEPTION;
    jsv c = jsop_species_constructor(t, JSV_OBJ(this_val), jsrt_intrinsic(t, JS_INTR_RegExp));
    if (c == JSV_EXCEPTION) return c;
    js_string *fl = get_flags_string(t, this_val);
    if (!fl) return JSV_EXCEPTION;
    int unicode = has_flag(fl, 'u') || has_flag(fl, 'v');
    js_string *nfl = fl;
    if (!has_flag(fl, 'y')) {
        js_string *y = jsstr_new_cstr(t, "y");
        if (!y || !(nfl = jsstr_concat(t, fl, y))) return JSV_EXCEPTION;
    }
    jsv args[2] = { this_val, jsv_string(nfl) };
    jsv splitter = jsvm_construct(t, c, 2, args, JSV_UNDEFINED);
    if (splitter == JSV_EXCEPTION) return splitter;
    js_object *a = jsobj_new_array(t, 0);
    if (!a) return JSV_EXCEPTION;
    uint32_t lim = 0xFFFFFFFFu, na = 0;
    if (!jsv_is_undefined(JS_ARG(1)) && jsop_to_uint32(t, JS_ARG(1), &lim) < 0) return JSV_EXCEPTION;
    if (lim == 0) return jsv_object(a);
    if (!s->len) {
        jsv z = regexp_exec(t, splitter, s);
        if (z == JSV_EXCEPTION) return z;
        if (!jsv_is_null(z)) return jsv_object(a);
        if (jsobj_create_data_property(t, a, jskey_from_index(0), jsv_string(s), JS_THROW) < 0) return JSV_EXCEPTION;
        return jsv_object(a);
    }
    uint32_t size = s->len, p = 0;
    double q = 0;
    js_regexp *sr = c == jsrt_intrinsic(t, JS_INTR_RegExp) ? pristine(t, splitter, nfl) : NULL;
    if (sr) {
        /* Searching forward finds the same matches as the spec's sticky
         * attempt at every position q. */
        jsre_prog *prog = sr->prog;
        int ncap = jsre_capture_count(prog);
        int32_t stackcaps[32], *caps = stackcaps;
        if (ncap > 16 && !(caps = malloc(2 * (size_t)ncap * sizeof(int32_t)))) return jsvm_throw_out_of_memory(t);
        jsv result = JSV_EXCEPTION;
        while (q < size) {
            int m = jsre_exec(t, prog, s, (uint32_t)q, 0, caps);
            if (m < 0) goto sdone;
            if (m == 0 || (uint32_t)caps[0] >= size) break;
            legacy_update(t, sr, s, caps, ncap);
            q = caps[0];
            uint32_t e = (uint32_t)caps[1];
            if (e > size) e = size;
            if (e == p) { q = advance_index(s, q, unicode); continue; }
            js_string *sub = jsstr_substring(t, s, p, (uint32_t)q);
            if (!sub || jsobj_create_data_property(t, a, jskey_from_index(na++), jsv_string(sub), JS_THROW) < 0) goto sdone;
            if (na == lim) { result = jsv_object(a); goto sdone; }
            p = e;
            for (int i = 1; i < ncap; i++) {
                jsv cv = JSV_UNDEFINED;
                if (caps[2 * i] >= 0 && caps[2 * i + 1] >= 0) {
                    js_string *cs = jsstr_substring(t, s, (uint32_t)caps[2 * i], (uint32_t)caps[2 * i + 1]);
                    if (!cs) goto sdone;
                    cv = jsv_string(cs);
                }
                if (jsobj_create_data_property(t, a, jskey_from_index(na++), cv, JS_THROW) < 0) goto sdone;
                if (na == lim) { result = jsv_object(a); goto sdone; }
            }
            q = p;
        }
        {
            js_string *sub = jsstr_substring(t, s, p, size);
            if (sub && jsobj_create_data_property(t, a, jskey_from_index(na), jsv_string(sub), JS_THROW) >= 0)
                result = jsv_object(a);
        }
    sdone:
        if (caps != stackcaps) free(caps);
        return result;
    }
    while (q < size) {
        if (set_last_index(t, splitter, q) < 0) return JSV_EXCEPTION;
        jsv z = regexp_exec(t, splitter, s);
        if (z == JSV_EXCEPTION) return z;
        if (jsv_is_null(z)) { q = advance_index(s, q, unicode); continue; }
        double e;
        if (get_last_index(t, splitter, &e) < 0) return JSV_EXCEPTION;
        if (e > size) e = size;
        if (e == p) { q = advance_index(s, q, unicode); continue; }
        js_string *sub = jsstr_substring(t, s, p, (uint32_t)q);
        if (!sub) return JSV_EXCEPTION;
        if (jsobj_create_data_property(t, a, jskey_from_index(na++), jsv_string(sub), JS_THROW) < 0) return JSV_EXCEPTION;
        if (na == lim) return jsv_object(a);
        p = (uint32_t)e;
        int64_t nc;
        if (jsop_length_of_array_like(t, JSV_OBJ(z), &nc) < 0) return JSV_EXCEPTION;
        for (int64_t i = 1; i < nc; i++) {
            jsv cap = jsobj_get_value(t, z, jskey_from_index((uint32_t)i));
            if (cap == JSV_EXCEPTION) return cap;
            if (jsobj_create_data_property(t, a, jskey_from_index(na++), cap, JS_THROW) < 0) return JSV_EXCEPTION;
            if (na == lim) return jsv_object(a);
        }
        q = p;
    }
    js_string *sub = jsstr_substring(t, s, p, size);
    if (!sub) return JSV_EXCEPTION;
    if (jsobj_create_data_property(t, a, jskey_from_index(na), jsv_string(sub), JS_THROW) < 0) return JSV_EXCEPTION;
    return jsv_object(a);
}

static jsv sym_match_all(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val)) return jsvm_throw_type_error(t, "RegExp.prototype[@@matchAll] called on a non-object");
    js_string *s = to_flat(t, JS_ARG(0));
    if (!s) return JSV_EXCEPTION;
    jsv c = jsop_species_constructor(t, JSV_OBJ(this_val), jsrt_intrinsic(t, JS_INTR_RegExp));
    if (c == JSV_EXCEPTION) return c;
    js_string *fl = get_flags_string(t, this_val);
    if (!fl) return JSV_EXCEPTION;
    jsv args[2] = { this_val, jsv_string(fl) };
    jsv matcher = jsvm_construct(t, c, 2, args, JSV_UNDEFINED);
    if (matcher == JSV_EXCEPTION) return matcher;
    double li;
    if (get_last_index(t, this_val, &li) < 0) return JSV_EXCEPTION;
    if (set_last_index(t, matcher, li) < 0) return JSV_EXCEPTION;
    js_regexp_string_iterator *it = (js_regexp_string_iterator *)jsobj_new(
        t, jsrt_intrinsic(t, JS_INTR_RegExpStringIteratorPrototype), JS_CLASS_REGEXP_STRING_ITERATOR);
    if (!it) return JSV_EXCEPTION;
    it->re = matcher;
    it->str = jsv_string(s);
    it->global = (uint8_t)has_flag(fl, 'g');
    it->unicode = (uint8_t)(has_flag(fl, 'u') || has_flag(fl, 'v'));
    return jsv_object(it);
}

static jsv rsi_next(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    if (!jsv_is_object(this_val) || jsobj_class(JSV_OBJ(this_val)) != JS_CLASS_REGEXP_STRING_ITERATOR)
        return jsvm_throw_type_error(t, "next called on an object that is not a RegExp String Iterator");
    js_regexp_string_iterator *it = (js_regexp_string_iterator *)JSV_OBJ(this_val);
    if (it->done) return jsop_create_iter_result(t, JSV_UNDEFINED, 1);
    js_string *s = JSV_STR(it->str);
    jsv m = regexp_exec(t, it->re, s);
    if (m == JSV_EXCEPTION) return m;
    if (jsv_is_null(m)) {
        it->done = 1;
        return jsop_create_iter_result(t, JSV_UNDEFINED, 1);
    }
    if (!it->global) {
        it->done = 1;
        return jsop_create_iter_result(t, m, 0);
    }
    jsv m0 = jsobj_get_value(t, m, jskey_from_index(0));
    if (m0 == JSV_EXCEPTION) return m0;
    js_string *ms = jsop_to_string(t, m0);
    if (!ms) return JSV_EXCEPTION;
    if (!ms->len) {
        double li;
        if (get_last_index(t, it->re, &li) < 0) return JSV_EXCEPTION;
        if (set_last_index(t, it->re, advance_index(s, li, it->unicode)) < 0) return JSV_EXCEPTION;
    }
    return jsop_create_iter_result(t, m, 0);
}

/* Annex B RegExp.prototype.compile */
static jsv proto_compile(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_regexp *r = this_regexp(this_val);
    if (!r) return jsvm_throw_type_error(t, "RegExp.prototype.compile called on an incompatible receiver");
    if (!r->legacy || r->realm != t->realm)
        return jsvm_throw_type_error(t, "RegExp.prototype.compile called on a subclass or cross-realm RegExp");
    jsv P = JS_ARG(0), F = JS_ARG(1);
    js_regexp *pr = this_regexp(P);
    if (pr) {
        if (!jsv_is_undefined(F)) return jsvm_throw_type_error(t, "flags must be undefined when pattern is a RegExp");
        P = pr->source;
        F = pr->flags;
    }
    return regexp_initialize(t, r, P, F);
}

static int hexdig(int v) { return v < 10 ? '0' + v : 'a' + v - 10; }

static jsv regexp_escape(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv v = JS_ARG(0);
    if (!jsv_is_string(v)) return jsvm_throw_type_error(t, "RegExp.escape requires a string");
    js_string *s = jsstr_flatten(t, JSV_STR(v));
    if (!s) return JSV_EXCEPTION;
    sbuf b = { 0 };
    for (uint32_t i = 0; i < s->len; i++) {
        uint32_t c = jsstr_at(s, i);
        int rc = 0;
        int lone = 0;
        if (c >= 0xD800 && c <= 0xDBFF && i + 1 < s->len && jsstr_at(s, i + 1) >= 0xDC00 && jsstr_at(s, i + 1) <= 0xDFFF) {
            rc = sb_char(t, &b, c) < 0 || sb_char(t, &b, jsstr_at(s, i + 1)) < 0;
            i++;
            if (rc) goto fail;
            continue;
        }
        if (c >= 0xD800 && c <= 0xDFFF) lone = 1;
        if (i == 0 && ((c >= '0' && c <= '9') || ((c | 32) >= 'a' && (c | 32) <= 'z'))) {
            char buf[8];
            snprintf(buf, sizeof buf, "\\x%c%c", hexdig(c >> 4), hexdig(c & 15));
            rc = sb_cstr(t, &b, buf);
        } else if (c < 128 && c && strchr("^$\\.*+?()[]{}|/", (int)c)) {
            rc = sb_char(t, &b, '\\') < 0 || sb_char(t, &b, c) < 0;
        } else if (c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') {
            static const char ce[] = "tnvfr";
            char buf[3] = { '\\', ce[c - 9], 0 };
            rc = sb_cstr(t, &b, buf);
        } else if ((c < 128 && c && strchr(",-=<>#&!%:;@~'`\"", (int)c)) || jsuni_is_space(c) ||
                   jsuni_is_line_terminator(c) || lone) {
            char buf[8];
            if (c <= 0xFF) snprintf(buf, sizeof buf, "\\x%c%c", hexdig(c >> 4), hexdig(c & 15));
            else snprintf(buf, sizeof buf, "\\u%c%c%c%c", hexdig(c >> 12), hexdig((c >> 8) & 15), hexdig((c >> 4) & 15), hexdig(c & 15));
            rc = sb_cstr(t, &b, buf);
        } else rc = sb_char(t, &b, c);
        if (rc) goto fail;
    }
    return sb_finish(t, &b);
fail:
    free(b.p);
    return JSV_EXCEPTION;
}

/* ---- legacy static accessors ---- */

enum { LG_INPUT, LG_LASTMATCH, LG_LASTPAREN, LG_LEFT, LG_RIGHT, LG_PAREN1 };

static jsv legacy_get(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_native_function *c = regexp_ctor_fn(t, t->realm);
    if (!c || this_val != jsv_object(c))
        return jsvm_throw_type_error(t, "RegExp legacy static accessor called on an incompatible receiver");
    if (!jsv_is_string(c->data[0]) || !jsv_is_object(c->data[1]))
        return jsvm_throw_type_error(t, "RegExp legacy static property is not available");
    js_string *s = JSV_STR(c->data[0]);
    if (magic == LG_INPUT) return c->data[0];
    js_object *a = JSV_OBJ(c->data[1]);
    uint32_t ncap = a->elen / 2;
    int32_t s0 = jsv_get_int(a->elems[0]), e0 = jsv_get_int(a->elems[1]);
    int32_t from, to;
    switch (magic) {
    case LG_LASTMATCH: from = s0; to = e0; break;
    case LG_LEFT: from = 0; to = s0; break;
    case LG_RIGHT: from = e0; to = (int32_t)s->len; break;
    case LG_LASTPAREN:
        if (ncap <= 1) return jsv_string(jsstr_empty(t));
        from = jsv_get_int(a->elems[2 * (ncap - 1)]);
        to = jsv_get_int(a->elems[2 * (ncap - 1) + 1]);
        break;
    default: {
        uint32_t g = (uint32_t)(magic - LG_PAREN1 + 1);
        if (g >= ncap) return jsv_string(jsstr_empty(t));
        from = jsv_get_int(a->elems[2 * g]);
        to = jsv_get_int(a->elems[2 * g + 1]);
    }
    }
    if (from < 0 || to < 0) return jsv_string(jsstr_empty(t));
    js_string *r = jsstr_substring(t, s, (uint32_t)from, (uint32_t)to);
    return r ? jsv_string(r) : JSV_EXCEPTION;
}

static jsv legacy_set_input(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    js_native_function *c = regexp_ctor_fn(t, t->realm);
    if (!c || this_val != jsv_object(c))
        return jsvm_throw_type_error(t, "RegExp legacy static accessor called on an incompatible receiver");
    js_string *s = jsop_to_string(t, JS_ARG(0));
    if (!s) return JSV_EXCEPTION;
    c->data[0] = jsv_string(s);
    if (!jsv_is_object(c->data[1])) {
        /* input alone set: the other properties stay unavailable */
    }
    return JSV_UNDEFINED;
}

static int define_legacy(js_thread *t, js_object *ctor, const char *name, int magic, int settable)
{
    js_key k = jskey_from_cstr(t, name);
    if (k == JSV_EXCEPTION) return -1;
    js_object *g = jsfn_new_native(t, legacy_get, k, 0, magic);
    if (!g || jsfn_set_name(t, g, k, "get") < 0) return -1;
    jsv setter = JSV_UNDEFINED;
    if (settable) {
        js_object *s = jsfn_new_native(t, legacy_set_input, k, 1, magic);
        if (!s || jsfn_set_name(t, s, k, "set") < 0) return -1;
        setter = jsv_object(s);
    }
    return jsobj_define_accessor(t, ctor, k, jsv_object(g), setter, JS_PROP_CONFIGURABLE);
}

/* ---- realm set-up ---- */

int jsbi_init_regexp(js_thread *t, js_realm *realm)
{
    js_object *proto = jsbi_make_proto(t, realm, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
    if (!proto) return -1;
    js_object *ctor = jsbi_make_ctor(t, realm, "RegExp", 2, regexp_call, regexp_construct, 0, proto,
                                     JS_INTR_RegExp, JS_INTR_RegExpPrototype);
    if (!ctor) return -1;
    if (jsobj_define_fn(t, proto, "exec", proto_exec, 1, 0) < 0 ||
        jsobj_define_fn(t, proto, "test", proto_test, 1, 0) < 0 ||
        jsobj_define_fn(t, proto, "toString", proto_to_string, 0, 0) < 0 ||
        jsobj_define_fn(t, proto, "compile", proto_compile, 2, 0) < 0 ||
        jsobj_define_getter(t, proto, "flags", get_flags, 0) < 0 ||
        jsobj_define_getter(t, proto, "source", get_source, 0) < 0)
        return -1;
    for (int i = 0; i < 8; i++)
        if (jsobj_define_getter(t, proto, flag_names[i], get_flag, i) < 0) return -1;
    if (jsobj_define_fn_key(t, proto, wks(t, JS_WKS_match), sym_match, 1, 0) < 0 ||
        jsobj_define_fn_key(t, proto, wks(t, JS_WKS_matchAll), sym_match_all, 1, 0) < 0 ||
        jsobj_define_fn_key(t, proto, wks(t, JS_WKS_replace), sym_replace, 2, 0) < 0 ||
        jsobj_define_fn_key(t, proto, wks(t, JS_WKS_search), sym_search, 1, 0) < 0 ||
        jsobj_define_fn_key(t, proto, wks(t, JS_WKS_split), sym_split, 2, 0) < 0)
        return -1;
    if (jsobj_define_fn(t, ctor, "escape", regexp_escape, 1, 0) < 0) return -1;
    {
        jsv ex = jsobj_get_value(t, jsv_object(proto), akey(t, JS_ATOM_exec));
        if (ex == JSV_EXCEPTION) return -1;
        ((js_native_function *)ctor)->data[2] = ex;
        /* legacy statics start as empty strings: an empty match of "" */
        jsv z[2] = { jsv_from_int(0), jsv_from_int(0) };
        js_object *a = jsobj_new_array_from(t, 2, z);
        if (!a) return -1;
        ((js_native_function *)ctor)->data[0] = jsv_string(jsstr_empty(t));
        ((js_native_function *)ctor)->data[1] = jsv_object(a);
    }
    if (jsobj_define_getset(t, ctor, wks(t, JS_WKS_species), get_species, NULL, 0) < 0) return -1;
    static const struct { const char *name; int magic, set; } lg[] = {
        { "input", LG_INPUT, 1 }, { "$_", LG_INPUT, 1 },
        { "lastMatch", LG_LASTMATCH, 0 }, { "$&", LG_LASTMATCH, 0 },
        { "lastParen", LG_LASTPAREN, 0 }, { "$+", LG_LASTPAREN, 0 },
        { "leftContext", LG_LEFT, 0 }, { "$`", LG_LEFT, 0 },
        { "rightContext", LG_RIGHT, 0 }, { "$'", LG_RIGHT, 0 },
        { "$1", LG_PAREN1, 0 }, { "$2", LG_PAREN1 + 1, 0 }, { "$3", LG_PAREN1 + 2, 0 },
        { "$4", LG_PAREN1 + 3, 0 }, { "$5", LG_PAREN1 + 4, 0 }, { "$6", LG_PAREN1 + 5, 0 },
        { "$7", LG_PAREN1 + 6, 0 }, { "$8", LG_PAREN1 + 7, 0 }, { "$9", LG_PAREN1 + 8, 0 },
    };
    for (size_t i = 0; i < sizeof lg / sizeof lg[0]; i++)
        if (define_legacy(t, ctor, lg[i].name, lg[i].magic, lg[i].set) < 0) return -1;

    js_object *itp = jsbi_iterator_prototype(t, realm);
    if (!itp) return -1;
    js_object *rsip = jsobj_new(t, jsv_object(itp), JS_CLASS_OBJECT);
    if (!rsip) return -1;
    if (jsobj_define_fn(t, rsip, "next", rsi_next, 0, 0) < 0 || jsbi_set_tag(t, rsip, "RegExp String Iterator") < 0)
        return -1;
    realm->intrinsics[JS_INTR_RegExpStringIteratorPrototype] = jsv_object(rsip);
    return 0;
}
