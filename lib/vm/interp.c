/*
 * interp.c - the bytecode interpreter loop: frames on the thread's value stack,
 * JS-to-JS calls without C recursion, exception unwinding, calls from C.
 * Slow paths live in interp_aux.c; generators/async state in generator.c.
 * Must not touch object layout beyond the fast paths object.h allows (shape
 * slots of non-dict shapes, dense elements).
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "function.h"
#include "interp.h"
#include "../core/bigint.h"

const uint8_t jsvm_op_fmt[OP_COUNT] = {
#define OP(name, fmt, pop, push) OPF_##fmt,
#include "opcodes.def"
#undef OP
};
enum { SZ_NONE = 1, SZ_U8 = 2, SZ_U16 = 3, SZ_U32 = 5, SZ_I32 = 5, SZ_U16U16 = 5, SZ_ATOMIC = 9, SZ_U32U8 = 6 };
const uint8_t jsvm_op_size[OP_COUNT] = {
#define OP(name, fmt, pop, push) SZ_##fmt,
#include "opcodes.def"
#undef OP
};
const char *const jsvm_op_name[OP_COUNT] = {
#define OP(name, fmt, pop, push) #name,
#include "opcodes.def"
#undef OP
};

/* ---- thread state ---- */

int jsvm_thread_init(js_thread *t)
{
    size_t bytes = JSVM_STACK_VALUES * sizeof(jsv) + JSVM_MAX_FRAMES * sizeof(js_frame);
    jsv *mem = malloc(bytes);
    if (!mem) return -1;
    t->stack_base = mem;
    t->stack_top = mem;
    t->stack_limit = mem + JSVM_STACK_VALUES;
    t->frame = NULL;
    t->call_depth = 0;
    if (!t->max_call_depth || t->max_call_depth > JSVM_MAX_FRAMES - 16)
        t->max_call_depth = JSVM_MAX_FRAMES - 16;
    t->poll_counter = JSVM_POLL_INTERVAL;
    return 0;
}

void jsvm_thread_free(js_thread *t)
{
    free(t->stack_base);
    t->stack_base = t->stack_top = t->stack_limit = NULL;
    t->frame = NULL;
}

void jsvm_trace_thread(js_gc_tracer *trc, js_thread *t)
{
    if (!t->stack_base) return;
    for (jsv *p = t->stack_base; p < t->stack_top; p++) jsgc_mark_value(trc, *p);
    for (js_frame *f = t->frame; f; f = f->prev) {
        jsgc_mark_cell(trc, f->fn);
        jsgc_mark_cell(trc, f->bc);
        jsgc_mark_cell(trc, f->env);
        jsgc_mark_cell(trc, f->this_box);
        jsgc_mark_value(trc, f->this_val);
        jsgc_mark_value(trc, f->new_target);
        jsgc_mark_value(trc, f->home_object);
        jsgc_mark_value(trc, f->arguments_obj);
        jsgc_mark_value(trc, f->gen);
        if (f->saved_realm) jsgc_mark_cell(trc, f->saved_realm);
        /* values of the innermost frame may sit above stack_top while an
         * instruction runs; they are also in C locals (conservative scan) */
        if (f->sp > t->stack_top) {
            for (jsv *p = t->stack_top; p < f->sp && p < t->stack_limit; p++) jsgc_mark_value(trc, *p);
        }
    }
}

int jsvm_check_stack(js_thread *t)
{
    char probe;
    if ((t->c_stack_limit && (uintptr_t)&probe < t->c_stack_limit) ||
        (t->max_call_depth && t->call_depth >= t->max_call_depth)) {
        jsvm_throw_range_error(t, "Maximum call stack size exceeded");
        return -1;
    }
    return 0;
}

int jsvm_poll_interrupt(js_thread *t)
{
    t->poll_counter = JSVM_POLL_INTERVAL;
    uint32_t bits = atomic_load(&t->interrupt);
    if (!bits) return 0;
    if (bits & JS_INTERRUPT_REQUEST) {
        atomic_fetch_and(&t->interrupt, ~(uint32_t)JS_INTERRUPT_REQUEST);
        js_runtime *rt = t->rt;
        if (rt->interrupt_handler && rt->interrupt_handler(rt, rt->interrupt_opaque))
            atomic_fetch_or(&t->interrupt, JS_INTERRUPT_TERMINATE);
        bits = atomic_load(&t->interrupt);
    }
    if (bits & JS_INTERRUPT_TERMINATE) {
        atomic_fetch_and(&t->interrupt, ~(uint32_t)JS_INTERRUPT_TERMINATE);
        jsvm_throw_error(t, JS_ERR_INTERNAL, "interrupted");
        t->uncatchable = 1;
        return -1;
    }
    return 0;
}

/* ---- frames ---- */

js_frame *jsvm_frame_alloc(js_thread *t)
{
    js_frame *frames = (js_frame *)t->stack_limit;
    js_frame *nf = t->frame ? (js_frame *)t->frame + 1 : frames;
    if (nf >= frames + JSVM_MAX_FRAMES - 1 || t->call_depth >= t->max_call_depth) {
        jsvm_throw_range_error(t, "Maximum call stack size exceeded");
        return NULL;
    }
    return nf;
}

/* Bind `this` per OrdinaryCallBindThis; may allocate (ToObject). */
static int bind_this(js_thread *t, js_function *fn, jsv this_val, jsv *out)
{
    uint32_t fl = fn->bc->flags;
    if (fl & JSFB_ARROW) { *out = fn->this_val; return 0; }
    if (fl & JSFB_STRICT) { *out = this_val; return 0; }
    if (jsv_is_nullish(this_val)) { *out = fn->realm ? fn->realm->global_this : t->realm->global_this; return 0; }
    if (!jsv_is_object(this_val)) {
        jsv o = jsop_to_object(t, this_val);
        if (o == JSV_EXCEPTION) return -1;
        *out = o;
        return 0;
    }
    *out = this_val;
    return 0;
}

/* The callee region [fn this args...] starts at base; argc arguments are in
 * place. Pads missing parameters, clears locals, links the frame. */
js_frame *jsvm_enter_frame(js_thread *t, js_function *fn, jsv *base, int argc, jsv this_val,
                           jsv new_target, int flags)
{
    js_function_bc *bc = fn->bc;
    jsv th;
    if (bind_this(t, fn, this_val, &th) < 0) return NULL;
    jsv *argv = base + 2;
    jsv *p = argv + argc;
    int np = bc->nparams;
    if (p + (np > argc ? np - argc : 0) + bc->nlocals + bc->stack_size + 16 > t->stack_limit) {
        jsvm_throw_range_error(t, "Maximum call stack size exceeded");
        return NULL;
    }
    js_frame *nf = jsvm_frame_alloc(t);
    if (!nf) return NULL;
    for (int i = argc; i < np; i++) *p++ = JSV_UNDEFINED;
    jsv *locals = p;
    for (int i = 0; i < bc->nlocals; i++) locals[i] = JSV_UNDEFINED;
    nf->prev = t->frame;
    nf->fn = fn;
    nf->bc = bc;
    nf->pc = bc->code;
    nf->env = fn->env;
    nf->this_box = NULL;
    nf->this_val = th;
    nf->new_target = new_target;
    nf->home_object = fn->home_object;
    nf->argv = argv;
    nf->locals = locals;
    nf->sp = locals + bc->nlocals;
    nf->base = base;
    nf->arguments_obj = JSV_UNDEFINED;
    nf->argc = argc;
    nf->flags = (uint16_t)flags;
    nf->gen = JSV_UNDEFINED;
    nf->saved_realm = t->realm;
    if (bc->flags & JSFB_ARROW) {
        nf->this_box = fn->this_box;
        nf->new_target = fn->new_target;
    }
    if (fn->realm) t->realm = fn->realm;
    t->frame = nf;
    t->call_depth++;
    t->stack_top = nf->sp;
    return nf;
}

void jsvm_leave_frame(js_thread *t, js_frame *f)
{
    t->realm = f->saved_realm;
    t->frame = f->prev;
    t->call_depth--;
    t->stack_top = f->base;
}

/* Run a bytecode function from C. */
jsv jsvm_call_bc(js_thread *t, js_function *fn, jsv this_val, int argc, const jsv *argv,
                 jsv new_target, int flags)
{
    if (jsvm_check_stack(t) < 0) return JSV_EXCEPTION;
    jsv *base = t->stack_top;
    int np = fn->bc->nparams;
    if (base + 2 + argc + np + 16 > t->stack_limit)
        return jsvm_throw_range_error(t, "Maximum call stack size exceeded");
    js_env *box = NULL;
    if ((flags & JSFR_CONSTRUCT) && (fn->bc->flags & JSFB_DERIVED)) {
        box = jsvm_env_new(t, NULL, NULL, 1);
        if (!box) return JSV_EXCEPTION;
        box->h.flags = JS_ENV_THIS;
        box->vars[0] = JSV_UNINITIALIZED;
    }
    base[0] = jsv_object(fn);
    base[1] = this_val;
    if (argc) memcpy(base + 2, argv, argc * sizeof(jsv));
    t->stack_top = base + 2 + argc;
    js_frame *f = jsvm_enter_frame(t, fn, base, argc, this_val, new_target, flags | JSFR_C_ENTRY);
    if (!f) { t->stack_top = base; return JSV_EXCEPTION; }
    if (flags & JSFR_CONSTRUCT) f->this_val = this_val;
    if (box) f->this_box = box;
    return jsvm_run_frame(t, f);
}

/* Run script/eval code. `caller` (direct eval) lends this/new.target/home. */
jsv jsvm_exec_code(js_thread *t, js_function_bc *bc, js_env *env, jsv this_val,
                   js_frame *caller, jsv gen_obj)
{
    if (jsvm_check_stack(t) < 0) return JSV_EXCEPTION;
    jsv *base = t->stack_top;
    if (base + 2 + bc->nlocals + bc->stack_size + 16 > t->stack_limit)
        return jsvm_throw_range_error(t, "Maximum call stack size exceeded");
    js_frame *nf = jsvm_frame_alloc(t);
    if (!nf) return JSV_EXCEPTION;
    base[0] = JSV_UNDEFINED;
    base[1] = this_val;
    jsv *locals = base + 2;
    for (int i = 0; i < bc->nlocals; i++) locals[i] = JSV_UNDEFINED;
    memset(nf, 0, sizeof *nf);
    nf->prev = t->frame;
    nf->fn = caller ? caller->fn : NULL;
    nf->bc = bc;
    nf->pc = bc->code;
    nf->env = env;
    nf->this_val = this_val;
    nf->new_target = JSV_UNDEFINED;
    nf->home_object = JSV_UNDEFINED;
    nf->arguments_obj = JSV_UNDEFINED;
    nf->gen = gen_obj;
    if (caller) {
        nf->this_box = caller->this_box;
        nf->this_val = caller->this_val;
        nf->new_target = caller->new_target;
        nf->home_object = caller->home_object;
    }
    nf->argv = locals;
    nf->argc = 0;
    nf->locals = locals;
    nf->sp = locals + bc->nlocals;
    nf->base = base;
    nf->flags = JSFR_C_ENTRY;
    nf->saved_realm = t->realm;
    t->frame = nf;
    t->call_depth++;
    t->stack_top = nf->sp;
    return jsvm_run_frame(t, nf);
}

/* ---- calls from C ---- */

jsv jsvm_call(js_thread *t, jsv fn, jsv this_val, int argc, const jsv *argv)
{
    if (!jsv_is_object(fn) || !jsobj_is_callable(JSV_OBJ(fn)))
        return jsvm_throw_type_error(t, "%s is not a function", jsvm_value_desc(t, fn));
    js_object *o = JSV_OBJ(fn);
    if (jsvm_check_stack(t) < 0) return JSV_EXCEPTION;
    const js_class_ops *ops = jsobj_classes[jsobj_class(o)];
    if (!ops || !ops->call) return jsvm_throw_type_error(t, "not a function");
    return ops->call(t, o, this_val, argc, (jsv *)argv);
}

jsv jsvm_construct(js_thread *t, jsv fn, int argc, const jsv *argv, jsv new_target)
{
    if (!jsv_is_object(fn) || !jsobj_is_constructor(JSV_OBJ(fn)))
        return jsvm_throw_type_error(t, "%s is not a constructor", jsvm_value_desc(t, fn));
    if (jsv_is_undefined(new_target)) new_target = fn;
    js_object *o = JSV_OBJ(fn);
    if (jsvm_check_stack(t) < 0) return JSV_EXCEPTION;
    const js_class_ops *ops = jsobj_classes[jsobj_class(o)];
    if (!ops || !ops->construct) return jsvm_throw_type_error(t, "not a constructor");
    return ops->construct(t, o, argc, (jsv *)argv, new_target);
}

jsv jsvm_invoke(js_thread *t, jsv obj, js_key k, int argc, const jsv *argv)
{
    jsv f = jsobj_get_value(t, obj, k);
    if (f == JSV_EXCEPTION) return f;
    return jsvm_call(t, f, obj, argc, argv);
}

/* ---- stack traces ---- */

void jsvm_pc_to_pos(const js_function_bc *bc, uint32_t pc, uint32_t *line, uint32_t *col)
{
    uint32_t l = bc->line, c = bc->col;
    /* binary search for the last entry with entry.pc <= pc */
    uint32_t lo = 0, hi = bc->nlines;
    while (lo < hi) {
        uint32_t mid = (lo + hi) / 2;
        if (bc->lines[mid].pc <= pc) lo = mid + 1; else hi = mid;
    }
    if (lo > 0) { l = bc->lines[lo - 1].line; c = bc->lines[lo - 1].col; }
    *line = l;
    *col = c;
}

js_string *jsvm_capture_stack(js_thread *t, int skip)
{
    size_t cap = 256, len = 0;
    char *buf = malloc(cap);
    if (!buf) return NULL;
    buf[0] = 0;
    int n = 0;
    for (js_frame *f = t->frame; f && n < 64; f = f->prev) {
        if (skip > 0) { skip--; continue; }
        js_function_bc *bc = f->bc;
        char *name = NULL, *file = NULL;
        if (jsv_is_string(bc->name) && JSV_STR(bc->name)->len) name = jsstr_to_utf8(JSV_STR(bc->name), NULL);
        if (jsv_is_string(bc->filename)) file = jsstr_to_utf8(JSV_STR(bc->filename), NULL);
        uint32_t line, col;
        uint32_t pc = f->pc >= bc->code ? (uint32_t)(f->pc - bc->code) : 0;
        jsvm_pc_to_pos(bc, pc ? pc - 1 : 0, &line, &col);
        char tmp[512];
        int k;
        if (name)
            k = snprintf(tmp, sizeof tmp, "    at %s (%s:%u:%u)\n", name, file ? file : "<anonymous>", line, col);
        else
            k = snprintf(tmp, sizeof tmp, "    at %s:%u:%u\n", file ? file : "<anonymous>", line, col);
        free(name);
        free(file);
        if (k < 0) k = 0;
        if ((size_t)k >= sizeof tmp) k = sizeof tmp - 1;
        if (len + k + 1 > cap) {
            cap = (len + k + 1) * 2;
            char *nb = realloc(buf, cap);
            if (!nb) { free(buf); return NULL; }
            buf = nb;
        }
        memcpy(buf + len, tmp, k);
        len += k;
        buf[len] = 0;
        n++;
    }
    if (len && buf[len - 1] == '\n') buf[--len] = 0;
    js_string *s = jsstr_new_utf8(t, buf, len);
    free(buf);
    return s;
}

/* A short description of a value for error messages (static buffer per thread is
 * not allowed: we build an atom-free C string in a ring inside the call). */
const char *jsvm_value_desc(js_thread *t, jsv v)
{
    if (jsv_is_undefined(v)) return "undefined";
    if (jsv_is_null(v)) return "null";
    if (jsv_is_bool(v)) return v == JSV_TRUE ? "true" : "false";
    if (jsv_is_number(v)) return "number";
    if (jsv_is_string(v)) return "string";
    if (jsv_is_symbol(v)) return "symbol";
    if (jsv_is_bigint(v)) return "bigint";
    if (jsv_is_object(v)) return jsobj_is_callable(JSV_OBJ(v)) ? "function" : "object";
    return "value";
}

/* ---- the loop ---- */

static inline uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }
static inline uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static inline int32_t rdi32(const uint8_t *p) { int32_t v; memcpy(&v, p, 4); return v; }

#define CATCH_TAG   0x100000000ull
#define RET_TAG     0x200000000ull
static inline jsv catch_marker(uint32_t off) { return JSV_MAKE(JSV_TAG_SPECIAL, CATCH_TAG | off); }
static inline jsv ret_marker(uint32_t off) { return JSV_MAKE(JSV_TAG_SPECIAL, RET_TAG | off); }
static inline int is_catch_marker(jsv v) { return JSV_TAG(v) == JSV_TAG_SPECIAL && (v & 0xF00000000ull) == CATCH_TAG; }
static inline int is_ret_marker(jsv v) { return JSV_TAG(v) == JSV_TAG_SPECIAL && (v & 0xF00000000ull) == RET_TAG; }

static inline js_env *env_at(js_env *e, unsigned depth)
{
    while (depth--) e = e->outer;
    return e;
}

static jsv throw_tdz(js_thread *t, jsv name)
{
    if (jsv_is_string(name)) {
        char *s = jsstr_to_utf8(JSV_STR(name), NULL);
        jsvm_throw_reference_error(t, "Cannot access '%s' before initialization", s ? s : "?");
        free(s);
        return JSV_EXCEPTION;
    }
    return jsvm_throw_reference_error(t, "Cannot access a variable before initialization");
}

jsv jsvm_throw_with_key(js_thread *t, int kind, const char *fmt, jsv key)
{
    char *s = NULL;
    if (jsv_is_string(key)) s = jsstr_to_utf8(JSV_STR(key), NULL);
    else if (jsv_is_int(key)) { s = malloc(16); if (s) snprintf(s, 16, "%d", jsv_get_int(key)); }
    else if (jsv_is_symbol(key)) {
        jsv d = JSV_SYM(key)->description;
        char *ds = jsv_is_string(d) ? jsstr_to_utf8(JSV_STR(d), NULL) : NULL;
        s = malloc(ds ? strlen(ds) + 16 : 16);
        if (s) sprintf(s, "Symbol(%s)", ds ? ds : "");
        free(ds);
    }
    jsvm_throw_error(t, kind, fmt, s ? s : "?");
    free(s);
    return JSV_EXCEPTION;
}

static jsv throw_nullish_read(js_thread *t, jsv obj, jsv key)
{
    if (jsv_is_undefined(obj))
        return jsvm_throw_with_key(t, JS_ERR_TYPE, "Cannot read properties of undefined (reading '%s')", key);
    return jsvm_throw_with_key(t, JS_ERR_TYPE, "Cannot read properties of null (reading '%s')", key);
}

static jsv throw_nullish_write(js_thread *t, jsv obj, jsv key)
{
    if (jsv_is_undefined(obj))
        return jsvm_throw_with_key(t, JS_ERR_TYPE, "Cannot set properties of undefined (setting '%s')", key);
    return jsvm_throw_with_key(t, JS_ERR_TYPE, "Cannot set properties of null (setting '%s')", key);
}

/*
 * A global site's cached slot of the global object, or NULL when the cache does
 * not apply (the rules are at global_ic_fill in env.c). want is the attribute
 * bits the property must have (JS_PROP_WRITABLE for a store).
 */
static inline jsv *global_ic_slot(js_thread *t, js_key key, const js_ic *ic, unsigned want)
{
    js_env *g = t->realm->global_env;
    js_object *go = JSV_OBJ(g->vars[0]);
    js_shape *s = go->shape, *ls = JSV_OBJ(g->vars[1])->shape;
    if (s != ic->shape || ls != ic->holder_shape || ls->count != ic->stamp || (go->h.flags & JS_OBJ_EXOTIC))
        return NULL;
    uint32_t i = ic->slot;
    if (i >= s->count || s->props[i].key != key ||
        (s->props[i].attrs & (JS_PROP_ACCESSOR | want)) != want)
        return NULL;
    return &go->slots[i];
}

/* Property get with the site's inline cache. */
static inline jsv get_field_ic(js_thread *t, jsv objv, js_key key, js_ic *ic)
{
    if (jsv_is_object(objv)) {
        js_object *o = JSV_OBJ(objv);
        js_shape *s = o->shape;
        if (s == ic->shape && !(o->h.flags & JS_OBJ_EXOTIC)) {
            if (!ic->holder) return o->slots[ic->slot];
            js_object *h = ic->holder;
            if (ic->stamp ? ic->stamp == t->rt->proto_epoch : h->shape == ic->holder_shape)
                return h->slots[ic->slot];
        }
        return jsvm_get_field_slow(t, o, key, ic);
    }
    if (jsv_is_nullish(objv)) return throw_nullish_read(t, objv, key);
    return jsobj_get_value(t, objv, key);
}

jsv jsvm_get_field_slow(js_thread *t, js_object *o, js_key key, js_ic *ic)
{
    js_shape *s = o->shape;
    if (ic && !(s->h.flags & JS_SHAPE_DICT) && !(o->h.flags & JS_OBJ_EXOTIC)) {
        js_shape_prop *pr = jsshape_find(s, key);
        if (pr) {
            if (!(pr->attrs & JS_PROP_ACCESSOR)) {
                ic->shape = s;
                ic->holder = NULL;
                ic->slot = pr->slot;
                return o->slots[pr->slot];
            }
        } else {
            /* Up the chain: the receiver's shape fixes its own keys and its
             * [[Prototype]]; beyond the first prototype, the epoch stands for
             * every prototype on the way keeping its shape. */
            js_object *h;
            jsv p = s->proto;
            for (int depth = 1; depth <= 8 && jsv_is_object(p); depth++, p = h->shape->proto) {
                h = JSV_OBJ(p);
                if (h->h.flags & JS_OBJ_EXOTIC) break;
                js_shape *hs = h->shape;
                pr = jsshape_find(hs, key);
                if (!pr) continue;
                if (pr->attrs & JS_PROP_ACCESSOR) break;
                ic->shape = s;
                ic->holder = h;
                ic->slot = pr->slot;
                if (depth == 1 && !(hs->h.flags & JS_SHAPE_DICT)) {
                    ic->holder_shape = hs;
                    ic->stamp = 0;
                } else {
                    if (t->rt->proto_epoch == 0) t->rt->proto_epoch = 1;
                    ic->holder_shape = NULL;
                    ic->stamp = t->rt->proto_epoch;
                }
                return h->slots[pr->slot];
            }
        }
    }
    return jsobj_get(t, o, key, jsv_object(o));
}

/* Does a store of key to an ordinary object lacking it, whose [[Prototype]] is
 * proto, add an own data property? Yes when the first object on the chain that
 * has key has it as a writable data property, or none has it (OrdinarySet);
 * exotic objects on the way may answer anything, so they make it 0. */
static int chain_allows_add(jsv proto, js_key key)
{
    for (int depth = 0; jsv_is_object(proto); depth++) {
        js_object *h = JSV_OBJ(proto);
        if (depth == 8 || (h->h.flags & JS_OBJ_EXOTIC)) return 0;
        js_shape_prop *pr = jsshape_find(h->shape, key);
        if (pr) return (pr->attrs & (JS_PROP_ACCESSOR | JS_PROP_WRITABLE)) == JS_PROP_WRITABLE;
        proto = h->shape->proto;
    }
    return 1;
}

/* put_field_ic's miss: the store, then the cache filled for what it did.
 * Out of line so that the hit path stays small enough to inline. */
static __attribute__((noinline)) int put_field_slow(js_thread *t, js_object *o, js_key key, jsv v, js_ic *ic, int strict)
{
    js_shape *s = o->shape;
    if (!(s->h.flags & JS_SHAPE_DICT) && !(o->h.flags & JS_OBJ_EXOTIC)) {
        js_shape_prop *pr = jsshape_find(s, key);
        if (pr && (pr->attrs & (JS_PROP_ACCESSOR | JS_PROP_WRITABLE)) == JS_PROP_WRITABLE) {
            ic->shape = s;
            ic->holder = NULL;
            ic->holder_shape = NULL;
            ic->stamp = 0;
            ic->slot = pr->slot;
            o->slots[pr->slot] = v;
            return 0;
        }
    }
    if (jsobj_set(t, o, key, v, jsv_object(o), strict ? JS_THROW : 0) < 0) return -1;
    js_shape *c = o->shape;
    if (c != s && c->parent == s && !(s->h.flags & JS_SHAPE_DICT) && !(c->h.flags & JS_SHAPE_DICT) &&
        !(o->h.flags & JS_OBJ_EXOTIC) && c->count == s->count + 1 && c->nslots == s->nslots + 1 &&
        c->props[s->count].key == key && c->props[s->count].attrs == JS_PROP_C_W_E &&
        c->props[s->count].slot == s->nslots && chain_allows_add(s->proto, key)) {
        if (t->rt->proto_epoch == 0) t->rt->proto_epoch = 1;
        ic->shape = s;
        ic->holder = NULL;
        ic->holder_shape = c;
        ic->slot = c->props[s->count].slot;
        ic->stamp = t->rt->proto_epoch;
    }
    return 0;
}

/*
 * Property store with the site's inline cache, which either names a writable own
 * data slot (stamp 0) or an addition: from shape ic->shape, the transition to
 * ic->holder_shape, made while the prototypes had no setter or read-only
 * property of that name (chain_allows_add); stamp = rt->proto_epoch then keeps
 * that true.
 */
static inline int put_field_ic(js_thread *t, jsv objv, js_key key, jsv v, js_ic *ic, int strict)
{
    if (jsv_is_object(objv)) {
        js_object *o = JSV_OBJ(objv);
        if (o->shape == ic->shape && !(o->h.flags & JS_OBJ_EXOTIC)) {
            if (!ic->stamp) {
                o->slots[ic->slot] = v;
                return 0;
            }
            if (ic->stamp == t->rt->proto_epoch && (o->h.flags & JS_OBJ_EXTENSIBLE)) {
                if (jsshape_object_take(t, o, ic->holder_shape) < 0) return -1;
                o->slots[ic->slot] = v;
                return 0;
            }
        }
        return put_field_slow(t, o, key, v, ic, strict);
    }
    if (jsv_is_nullish(objv)) { throw_nullish_write(t, objv, key); return -1; }
    return jsobj_set_value(t, objv, key, v, strict ? JS_THROW : 0) < 0 ? -1 : 0;
}

static inline int dense_ok(const js_object *o)
{
    return !(o->h.flags & (JS_OBJ_SPARSE | JS_OBJ_EXOTIC)) || jsobj_class(o) == JS_CLASS_ARRAY;
}

static jsv get_elem(js_thread *t, jsv objv, jsv keyv)
{
    if (jsv_is_object(objv) && jsv_is_int(keyv) && jsv_get_int(keyv) >= 0) {
        js_object *o = JSV_OBJ(objv);
        jsv out;
        if (dense_ok(o) && jsarray_fast_get(o, (uint32_t)jsv_get_int(keyv), &out)) return out;
        return jsobj_get(t, o, keyv, objv);
    }
    if (jsv_is_nullish(objv)) {
        if (jsv_is_symbol(keyv)) return throw_nullish_read(t, objv, keyv);
        if (jsv_is_object(keyv))
            return jsvm_throw_type_error(t, "Cannot read properties of %s", jsv_is_null(objv) ? "null" : "undefined");
        js_string *ks = jsop_to_string(t, keyv);
        if (!ks) return JSV_EXCEPTION;
        return throw_nullish_read(t, objv, jsv_string(ks));
    }
    if (jsv_is_string(objv) && jsv_is_int(keyv)) {
        js_string *s = JSV_STR(objv);
        int32_t i = jsv_get_int(keyv);
        if (i >= 0 && (uint32_t)i < s->len) {
            js_string *c = jsstr_from_char(t, jsstr_char_at(s, (uint32_t)i));
            return c ? jsv_string(c) : JSV_EXCEPTION;
        }
    }
    js_key k = jsop_to_property_key(t, keyv);
    if (k == JSV_EXCEPTION) return k;
    if (jsv_is_object(objv)) return jsobj_get(t, JSV_OBJ(objv), k, objv);
    return jsobj_get_value(t, objv, k);
}

static int put_elem(js_thread *t, jsv objv, jsv keyv, jsv v, int strict)
{
    if (jsv_is_object(objv)) {
        js_object *o = JSV_OBJ(objv);
        if (jsv_is_int(keyv) && jsv_get_int(keyv) >= 0) {
            uint32_t i = (uint32_t)jsv_get_int(keyv);
            if (dense_ok(o) && !(o->h.flags & JS_OBJ_FROZEN_ELEMS) && i < o->elen && o->elems[i] != JSV_HOLE) {
                o->elems[i] = v;
                return 0;
            }
            return jsobj_set(t, o, keyv, v, objv, strict ? JS_THROW : 0) < 0 ? -1 : 0;
        }
        js_key k = jsop_to_property_key(t, keyv);
        if (k == JSV_EXCEPTION) return -1;
        return jsobj_set(t, o, k, v, objv, strict ? JS_THROW : 0) < 0 ? -1 : 0;
    }
    if (jsv_is_nullish(objv)) {
        if (jsv_is_symbol(keyv)) { throw_nullish_write(t, objv, keyv); return -1; }
        if (jsv_is_object(keyv)) {
            jsvm_throw_type_error(t, "Cannot set properties of %s", jsv_is_null(objv) ? "null" : "undefined");
            return -1;
        }
        js_string *ks = jsop_to_string(t, keyv);
        if (!ks) return -1;
        throw_nullish_write(t, objv, jsv_string(ks));
        return -1;
    }
    js_key k = jsop_to_property_key(t, keyv);
    if (k == JSV_EXCEPTION) return -1;
    return jsobj_set_value(t, objv, k, v, strict ? JS_THROW : 0) < 0 ? -1 : 0;
}

static jsv to_numeric_slow(js_thread *t, jsv v) { return jsop_to_numeric(t, v); }

static jsv inc_dec(js_thread *t, jsv v, int delta)
{
    jsv n = to_numeric_slow(t, v);
    if (n == JSV_EXCEPTION) return n;
    if (jsv_is_bigint(n)) {
        js_bigint *b = jsbig_inc(t, JSV_BIG(n), delta);
        return b ? jsv_bigint(b) : JSV_EXCEPTION;
    }
    return jsv_number(jsv_get_number(n) + delta);
}

static jsv unary_neg(js_thread *t, jsv v)
{
    jsv n = to_numeric_slow(t, v);
    if (n == JSV_EXCEPTION) return n;
    if (jsv_is_bigint(n)) {
        js_bigint *b = jsbig_neg(t, JSV_BIG(n));
        return b ? jsv_bigint(b) : JSV_EXCEPTION;
    }
    return jsv_number(-jsv_get_number(n));
}

static jsv unary_bnot(js_thread *t, jsv v)
{
    jsv n = to_numeric_slow(t, v);
    if (n == JSV_EXCEPTION) return n;
    if (jsv_is_bigint(n)) {
        js_bigint *b = jsbig_not(t, JSV_BIG(n));
        return b ? jsv_bigint(b) : JSV_EXCEPTION;
    }
    return jsv_from_int(~jsop_double_to_int32(jsv_get_number(n)));
}

/* Make a JS-to-JS call frame for a plain bytecode function, or return NULL with
 * *handled = 0 when the callee needs the generic path. */
static inline int is_plain_bc(jsv fnv)
{
    if (!jsv_is_object(fnv)) return 0;
    js_object *o = JSV_OBJ(fnv);
    if (jsobj_class(o) != JS_CLASS_FUNCTION_BC) return 0;
    return !(((js_function *)o)->bc->flags & (JSFB_CLASS_CTOR | JSFB_GENERATOR | JSFB_ASYNC));
}

/* PrepareForTailCall for a call in tail position: the plain bytecode callee
 * fn takes over f's frame slot and stack area, so strict tail recursion runs
 * in constant space. Returns the callee's frame; NULL with *err = 0 when f
 * cannot be given up (a [[Construct]] checks the result, generator and async
 * bodies keep their frame) or the area is too small: the caller then makes
 * an ordinary call. *err = 1: ToObject(this) threw, f is intact; 2 (3 when f
 * was entered from C): cannot happen (space was checked), f is gone. */
static js_frame *tail_replace(js_thread *t, js_frame *f, js_function *fn, jsv this_val,
                              const jsv *args, int argc, int *err)
{
    js_function_bc *nbc = fn->bc;
    jsv *nb = f->base;
    int np = nbc->nparams;
    *err = 0;
    if ((f->flags & JSFR_CONSTRUCT) || !jsv_is_undefined(f->gen) ||
        nb + 2 + (argc > np ? argc : np) + nbc->nlocals + nbc->stack_size + 16 > t->stack_limit)
        return NULL;
    jsv th;
    if (bind_this(t, fn, this_val, &th) < 0) { *err = 1; return NULL; }
    int fl = f->flags & JSFR_C_ENTRY;
    if (argc) memmove(nb + 2, args, (size_t)argc * sizeof(jsv));
    nb[0] = jsv_object(fn);
    nb[1] = th;
    jsvm_leave_frame(t, f);
    t->stack_top = nb + 2 + argc;
    js_frame *nf = jsvm_enter_frame(t, fn, nb, argc, th, JSV_UNDEFINED, fl);
    if (!nf) *err = fl ? 3 : 2;
    return nf;
}

jsv jsvm_run_frame(js_thread *t, js_frame *f)
{
#if defined(__GNUC__)
    static const void *const dispatch[OP_COUNT] = {
#define OP(name, fmt, pop, push) &&L_##name,
#include "opcodes.def"
#undef OP
    };
#define CASE(name) L_##name:
#define NEXT() do { f->pc = pc; t->stack_top = sp; goto *dispatch[*pc++]; } while (0)
#define DISPATCH_START NEXT();
#define DISPATCH_END
#else
#define CASE(name) case OP_##name:
#define NEXT() continue
#define DISPATCH_START for (;;) { f->pc = pc; t->stack_top = sp; switch (*pc++) {
#define DISPATCH_END default: jsvm_throw_error(t, JS_ERR_INTERNAL, "bad opcode"); goto exception; } }
#endif
    js_function_bc *bc = f->bc;
    const uint8_t *pc = f->pc;
    jsv *sp = f->sp;
    jsv *L = f->locals;
    jsv *K = bc->consts;
    jsv v, a, b;

#define RELOAD() do { bc = f->bc; pc = f->pc; sp = f->sp; L = f->locals; K = bc->consts; } while (0)
#define STRICT (bc->flags & JSFB_STRICT)
#define CHECK(x) do { if ((x) == JSV_EXCEPTION) goto exception; } while (0)
#define CHECKI(x) do { if ((x) < 0) goto exception; } while (0)

    DISPATCH_START

    CASE(undef) *sp++ = JSV_UNDEFINED; NEXT();
    CASE(null) *sp++ = JSV_NULL; NEXT();
    CASE(true) *sp++ = JSV_TRUE; NEXT();
    CASE(false) *sp++ = JSV_FALSE; NEXT();
    CASE(empty) *sp++ = JSV_UNINITIALIZED; NEXT();
    CASE(push_i32) *sp++ = jsv_from_int(rdi32(pc)); pc += 4; NEXT();
    CASE(push_const) *sp++ = K[rd32(pc)]; pc += 4; NEXT();
    CASE(push_this)
        if (f->this_box) {
            v = f->this_box->vars[0];
            if (v == JSV_UNINITIALIZED) {
                jsvm_throw_reference_error(t, "Must call super constructor in derived class before accessing 'this' or returning from derived constructor");
                goto exception;
            }
            *sp++ = v;
        } else *sp++ = f->this_val;
        NEXT();
    CASE(new_target) *sp++ = f->new_target; NEXT();
    CASE(func_self) *sp++ = f->fn ? jsv_object(f->fn) : JSV_UNDEFINED; NEXT();
    CASE(home_object) *sp++ = f->home_object; NEXT();
    CASE(closure) {
        js_function_bc *cb = (js_function_bc *)jsv_get_ptr(K[rd32(pc)]);
        pc += 4;
        js_object *o = jsvm_closure_new(t, cb, f->env, f);
        if (!o) goto exception;
        *sp++ = jsv_object(o);
        NEXT();
    }
    CASE(object) {
        js_object *o = jsobj_new_plain(t);
        if (!o) goto exception;
        *sp++ = jsv_object(o);
        NEXT();
    }
    CASE(array) {
        js_object *o = jsobj_new_array(t, 0);
        if (!o) goto exception;
        *sp++ = jsv_object(o);
        NEXT();
    }
    CASE(regexp) {
        uint32_t idx = rd32(pc); pc += 4;
        v = jsvm_regexp_literal(t, K[idx], K[idx + 1]);
        CHECK(v);
        *sp++ = v;
        NEXT();
    }
    CASE(template_obj) {
        uint32_t idx = rd32(pc); pc += 4;
        v = jsvm_template_object(t, bc, idx);
        CHECK(v);
        *sp++ = v;
        NEXT();
    }
    CASE(import_meta)
        v = jsvm_import_meta(t, f);
        CHECK(v);
        *sp++ = v;
        NEXT();
    CASE(dyn_import_phase)
        v = jsvm_do_dynamic_import_phase(t, f, sp[-2], sp[-1], *pc++);
        CHECK(v);
        sp -= 2;
        *sp++ = v;
        NEXT();
    CASE(dyn_import)
        v = jsvm_do_dynamic_import(t, f, sp[-2], sp[-1]);
        CHECK(v);
        sp -= 2;
        *sp++ = v;
        NEXT();
    CASE(private_sym) {
        uint32_t idx = rd32(pc); pc += 4;
        js_symbol *s = jssym_new(t, K[idx]);
        if (!s) goto exception;
        s->h.flags |= JSVM_SYM_PRIVATE;
        *sp++ = jsv_symbol(s);
        NEXT();
    }

    CASE(drop) sp--; NEXT();
    CASE(dup) v = sp[-1]; *sp++ = v; NEXT();
    CASE(dup2) sp[0] = sp[-2]; sp[1] = sp[-1]; sp += 2; NEXT();
    CASE(swap) v = sp[-1]; sp[-1] = sp[-2]; sp[-2] = v; NEXT();
    CASE(over) v = sp[-2]; *sp++ = v; NEXT();
    CASE(rot3l) v = sp[-3]; sp[-3] = sp[-2]; sp[-2] = sp[-1]; sp[-1] = v; NEXT();
    CASE(rot3r) v = sp[-1]; sp[-1] = sp[-2]; sp[-2] = sp[-3]; sp[-3] = v; NEXT();
    CASE(insert2) v = sp[-1]; sp[0] = v; sp[-1] = sp[-2]; sp[-2] = v; sp++; NEXT();
    CASE(insert3) v = sp[-1]; sp[0] = v; sp[-1] = sp[-2]; sp[-2] = sp[-3]; sp[-3] = v; sp++; NEXT();
    CASE(insert4) v = sp[-1]; sp[0] = v; sp[-1] = sp[-2]; sp[-2] = sp[-3]; sp[-3] = sp[-4]; sp[-4] = v; sp++; NEXT();
    CASE(nip) sp[-2] = sp[-1]; sp--; NEXT();
    CASE(swap2) a = sp[-4]; b = sp[-3]; sp[-4] = sp[-2]; sp[-3] = sp[-1]; sp[-2] = a; sp[-1] = b; NEXT();
    CASE(rot4l) v = sp[-4]; sp[-4] = sp[-3]; sp[-3] = sp[-2]; sp[-2] = sp[-1]; sp[-1] = v; NEXT();

    CASE(get_loc) *sp++ = L[rd16(pc)]; pc += 2; NEXT();
    CASE(put_loc) L[rd16(pc)] = *--sp; pc += 2; NEXT();
    CASE(set_loc) L[rd16(pc)] = sp[-1]; pc += 2; NEXT();
    CASE(get_loc_chk) {
        uint16_t i = rd16(pc); pc += 2;
        v = L[i];
        if (v == JSV_UNINITIALIZED) { throw_tdz(t, bc->local_names ? bc->local_names[i] : JSV_UNDEFINED); goto exception; }
        *sp++ = v;
        NEXT();
    }
    CASE(put_loc_chk) {
        uint16_t i = rd16(pc); pc += 2;
        if (L[i] == JSV_UNINITIALIZED) { throw_tdz(t, bc->local_names ? bc->local_names[i] : JSV_UNDEFINED); goto exception; }
        L[i] = *--sp;
        NEXT();
    }
    CASE(loc_uninit) L[rd16(pc)] = JSV_UNINITIALIZED; pc += 2; NEXT();
    CASE(get_arg) *sp++ = f->argv[rd16(pc)]; pc += 2; NEXT();
    CASE(put_arg) f->argv[rd16(pc)] = *--sp; pc += 2; NEXT();

    CASE(get_env) {
        js_env *e = env_at(f->env, rd16(pc));
        *sp++ = e->vars[rd16(pc + 2)];
        pc += 4;
        NEXT();
    }
    CASE(put_env) {
        js_env *e = env_at(f->env, rd16(pc));
        e->vars[rd16(pc + 2)] = *--sp;
        pc += 4;
        NEXT();
    }
    CASE(get_env_chk) {
        js_env *e = env_at(f->env, rd16(pc));
        uint16_t i = rd16(pc + 2);
        pc += 4;
        v = e->vars[i];
        if (v == JSV_UNINITIALIZED) { throw_tdz(t, e->desc ? e->desc->names[i] : JSV_UNDEFINED); goto exception; }
        *sp++ = v;
        NEXT();
    }
    CASE(put_env_chk) {
        js_env *e = env_at(f->env, rd16(pc));
        uint16_t i = rd16(pc + 2);
        pc += 4;
        if (e->vars[i] == JSV_UNINITIALIZED) { throw_tdz(t, e->desc ? e->desc->names[i] : JSV_UNDEFINED); goto exception; }
        e->vars[i] = *--sp;
        NEXT();
    }
    CASE(push_scope) {
        js_scope_desc *d = (js_scope_desc *)jsv_get_ptr(K[rd32(pc)]);
        pc += 4;
        js_env *e = jsvm_env_new(t, f->env, d, d->count);
        if (!e) goto exception;
        f->env = e;
        NEXT();
    }
    CASE(pop_scope) f->env = f->env->outer; NEXT();
    CASE(copy_scope) {
        js_env *old = f->env;
        js_env *e = jsvm_env_new(t, old->outer, old->desc, old->count);
        if (!e) goto exception;
        memcpy(e->vars, old->vars, old->count * sizeof(jsv));
        f->env = e;
        NEXT();
    }
    CASE(import_get) {
        uint32_t idx = rd32(pc); pc += 4;
        v = jsvm_import_deref(sp[-1]);
        if (v == JSV_UNINITIALIZED) { throw_tdz(t, K[idx]); goto exception; }
        sp[-1] = v;
        NEXT();
    }
    CASE(throw_const) {
        uint32_t idx = rd32(pc); pc += 4;
        jsvm_throw_with_key(t, JS_ERR_TYPE, "Assignment to constant variable '%s'", K[idx]);
        goto exception;
    }

    CASE(get_global)
    CASE(typeof_global) {
        jsv key = K[rd32(pc)];
        js_ic *ic = &bc->ics[rd32(pc + 4)];
        jsv *slot = global_ic_slot(t, key, ic, 0);
        int typeof_mode = pc[-1] == OP_typeof_global;
        pc += 8;
        if (slot) {
            v = *slot;
        } else {
            v = jsvm_global_get_ic(t, key, typeof_mode, ic);
            CHECK(v);
        }
        *sp++ = v;
        NEXT();
    }
    CASE(put_global) {
        jsv key = K[rd32(pc)];
        js_ic *ic = &bc->ics[rd32(pc + 4)];
        jsv *slot = global_ic_slot(t, key, ic, JS_PROP_WRITABLE);
        pc += 8;
        if (slot) *slot = sp[-1];
        else CHECKI(jsvm_global_put_ic(t, key, sp[-1], STRICT, ic));
        sp--;
        NEXT();
    }
    CASE(init_global) {
        jsv key = K[rd32(pc)];
        pc += 8;
        CHECKI(jsvm_global_init_lex(t, key, sp[-1]));
        sp--;
        NEXT();
    }
    CASE(def_global_fn) {
        jsv key = K[rd32(pc)];
        pc += 8;
        CHECKI(jsvm_global_def_fn(t, key, sp[-1]));
        sp--;
        NEXT();
    }
    CASE(get_name) {
        jsv key = K[rd32(pc)];
        pc += 8;
        v = jsvm_env_get_name(t, f->env, key, STRICT ? JSVM_NAME_STRICT : 0, NULL);
        CHECK(v);
        *sp++ = v;
        NEXT();
    }
    CASE(typeof_name) {
        jsv key = K[rd32(pc)];
        pc += 8;
        v = jsvm_env_get_name(t, f->env, key, JSVM_NAME_TYPEOF | (STRICT ? JSVM_NAME_STRICT : 0), NULL);
        CHECK(v);
        *sp++ = v;
        NEXT();
    }
    CASE(get_name_ref) {
        jsv key = K[rd32(pc)];
        pc += 8;
        jsv th = JSV_UNDEFINED;
        v = jsvm_env_get_name(t, f->env, key, STRICT ? JSVM_NAME_STRICT : 0, &th);
        CHECK(v);
        sp[0] = v;
        sp[1] = th;
        sp += 2;
        NEXT();
    }
    CASE(put_name) {
        jsv key = K[rd32(pc)];
        pc += 8;
        CHECKI(jsvm_env_put_name(t, f->env, key, sp[-1], STRICT, 0));
        sp--;
        NEXT();
    }
    CASE(init_name) {
        jsv key = K[rd32(pc)];
        pc += 8;
        CHECKI(jsvm_env_put_name(t, f->env, key, sp[-1], STRICT, 1));
        sp--;
        NEXT();
    }
    CASE(delete_name) {
        jsv key = K[rd32(pc)];
        pc += 8;
        v = jsvm_env_delete_name(t, f->env, key);
        CHECK(v);
        *sp++ = v;
        NEXT();
    }
    CASE(resolve_name) {
        jsv key = K[rd32(pc)];
        pc += 8;
        jsv cont, k2;
        CHECKI(jsvm_env_resolve(t, f->env, key, &cont, &k2));
        sp[0] = cont;
        sp[1] = k2;
        sp += 2;
        NEXT();
    }
    CASE(get_ref)
        v = jsvm_ref_get(t, sp[-2], sp[-1], STRICT);
        CHECK(v);
        *sp++ = v;
        NEXT();
    CASE(put_ref)
        CHECKI(jsvm_ref_put(t, sp[-3], sp[-2], sp[-1], STRICT));
        sp -= 3;
        NEXT();
    CASE(def_var) {
        jsv key = K[rd32(pc)];
        pc += 8;
        CHECKI(jsvm_env_def_var(t, f->env, key, JSV_UNDEFINED, 0, 1));
        NEXT();
    }
    CASE(chk_var) {
        jsv key = K[rd32(pc)];
        pc += 8;
        CHECKI(jsvm_env_check_var(t, f->env, key, 0));
        NEXT();
    }
    CASE(chk_fn) {
        jsv key = K[rd32(pc)];
        pc += 8;
        CHECKI(jsvm_env_check_var(t, f->env, key, 1));
        NEXT();
    }
    CASE(put_var_name) {
        jsv key = K[rd32(pc)];
        pc += 8;
        CHECKI(jsvm_env_put_var(t, f->env, key, sp[-1]));
        sp--;
        NEXT();
    }
    CASE(def_eval_fn) {
        jsv key = K[rd32(pc)];
        pc += 8;
        CHECKI(jsvm_env_def_var(t, f->env, key, sp[-1], 1, 1));
        sp--;
        NEXT();
    }

    CASE(get_field) {
        jsv key = K[rd32(pc)];
        js_ic *ic = &bc->ics[rd32(pc + 4)];
        pc += 8;
        v = get_field_ic(t, sp[-1], key, ic);
        CHECK(v);
        sp[-1] = v;
        NEXT();
    }
    CASE(get_field2) {
        jsv key = K[rd32(pc)];
        js_ic *ic = &bc->ics[rd32(pc + 4)];
        pc += 8;
        v = get_field_ic(t, sp[-1], key, ic);
        CHECK(v);
        *sp++ = v;
        NEXT();
    }
    CASE(get_length) {
        a = sp[-1];
        if (jsv_is_object(a) && jsobj_class(JSV_OBJ(a)) == JS_CLASS_ARRAY) {
            uint32_t len = ((js_array *)JSV_OBJ(a))->length;
            sp[-1] = len <= INT32_MAX ? jsv_from_int((int32_t)len) : jsv_from_double(len);
            NEXT();
        }
        if (jsv_is_string(a)) { sp[-1] = jsv_from_int((int32_t)JSV_STR(a)->len); NEXT(); }
        jsv key = jsrt_atom_value(t, JS_ATOM_length);
        if (jsv_is_nullish(a)) { throw_nullish_read(t, a, key); goto exception; }
        v = jsobj_get_value(t, a, key);
        CHECK(v);
        sp[-1] = v;
        NEXT();
    }
    CASE(put_field) {
        jsv key = K[rd32(pc)];
        js_ic *ic = &bc->ics[rd32(pc + 4)];
        pc += 8;
        CHECKI(put_field_ic(t, sp[-2], key, sp[-1], ic, STRICT));
        sp -= 2;
        NEXT();
    }
    CASE(get_elem)
        v = get_elem(t, sp[-2], sp[-1]);
        CHECK(v);
        sp[-2] = v;
        sp--;
        NEXT();
    CASE(get_elem_m)
        v = get_elem(t, sp[-2], sp[-1]);
        CHECK(v);
        sp[-1] = v;
        NEXT();
    CASE(get_elem2) {
        a = sp[-2];
        if (jsv_is_nullish(a)) { v = get_elem(t, a, sp[-1]); goto exception; }
        jsv k = sp[-1];
        if (!jsv_is_int(k)) {
            k = jsop_to_property_key(t, k);
            CHECK(k);
            sp[-1] = k;
        }
        v = get_elem(t, a, k);
        CHECK(v);
        *sp++ = v;
        NEXT();
    }
    CASE(put_elem)
        CHECKI(put_elem(t, sp[-3], sp[-2], sp[-1], STRICT));
        sp -= 3;
        NEXT();
    CASE(to_propkey)
        if (!jsv_is_int(sp[-1]) || jsv_get_int(sp[-1]) < 0) {
            v = jsop_to_property_key(t, sp[-1]);
            CHECK(v);
            sp[-1] = v;
        }
        NEXT();
    CASE(to_propkey2)
        if (jsv_is_nullish(sp[-2])) { get_elem(t, sp[-2], sp[-1]); goto exception; }
        if (!jsv_is_int(sp[-1]) || jsv_get_int(sp[-1]) < 0) {
            v = jsop_to_property_key(t, sp[-1]);
            CHECK(v);
            sp[-1] = v;
        }
        NEXT();
    CASE(delete_elem)
        v = jsvm_delete_property(t, sp[-2], sp[-1], STRICT);
        CHECK(v);
        sp[-2] = v;
        sp--;
        NEXT();
    CASE(super_base)
        v = jsvm_super_base(t, f);
        CHECK(v);
        *sp++ = v;
        NEXT();
    CASE(get_super)
        /* this key base */
        v = jsvm_super_get(t, sp[-3], sp[-2], sp[-1]);
        CHECK(v);
        sp -= 3;
        *sp++ = v;
        NEXT();
    CASE(put_super)
        /* this key base value */
        CHECKI(jsvm_super_put(t, sp[-4], sp[-3], sp[-2], sp[-1], STRICT));
        sp -= 4;
        NEXT();
    CASE(get_private)
        v = jsvm_private_get(t, sp[-2], sp[-1]);
        CHECK(v);
        sp[-2] = v;
        sp--;
        NEXT();
    CASE(put_private)
        CHECKI(jsvm_private_set(t, sp[-3], sp[-2], sp[-1]));
        sp -= 3;
        NEXT();
    CASE(def_private)
        CHECKI(jsvm_private_define(t, sp[-3], sp[-2], sp[-1], JSV_UNDEFINED, 0));
        sp -= 3;
        NEXT();
    CASE(def_private_m) {
        uint8_t kind = *pc++;
        if (kind == 0) {
            CHECKI(jsvm_private_define(t, sp[-3], sp[-2], sp[-1], JSV_UNDEFINED, 1));
            sp -= 3;
        } else {
            CHECKI(jsvm_private_define(t, sp[-4], sp[-3], sp[-2], sp[-1], 2));
            sp -= 4;
        }
        NEXT();
    }
    CASE(private_in)
        v = jsvm_private_in(t, sp[-2], sp[-1]);
        CHECK(v);
        sp[-2] = v;
        sp--;
        NEXT();

    CASE(def_field) {
        jsv key = K[rd32(pc)];
        pc += 4;
        CHECKI(jsobj_create_data_property(t, JSV_OBJ(sp[-2]), key, sp[-1], JS_THROW));
        sp--;
        NEXT();
    }
    CASE(def_elem) {
        jsv k = sp[-2];
        if (!jsv_is_int(k) || jsv_get_int(k) < 0) { k = jsop_to_property_key(t, k); CHECK(k); }
        CHECKI(jsobj_create_data_property(t, JSV_OBJ(sp[-3]), k, sp[-1], JS_THROW));
        sp -= 2;
        NEXT();
    }
    CASE(def_method) {
        jsv key = K[rd32(pc)];
        uint8_t fl = pc[4];
        pc += 5;
        CHECKI(jsvm_define_method(t, sp[-2], key, sp[-1], fl));
        sp--;
        NEXT();
    }
    CASE(def_method_c) {
        uint8_t fl = *pc++;
        jsv k = sp[-2];
        if (!jsv_is_int(k) || jsv_get_int(k) < 0) { k = jsop_to_property_key(t, k); CHECK(k); }
        CHECKI(jsvm_define_method(t, sp[-3], k, sp[-1], fl));
        sp -= 2;
        NEXT();
    }
    CASE(set_proto)
        if (jsv_is_object(sp[-1]) || jsv_is_null(sp[-1]))
            CHECKI(jsobj_set_prototype_of(t, JSV_OBJ(sp[-2]), sp[-1], 0));
        sp--;
        NEXT();
    CASE(set_name) {
        jsv key = K[rd32(pc)];
        pc += 4;
        if (jsv_is_object(sp[-1])) CHECKI(jsvm_set_function_name(t, JSV_OBJ(sp[-1]), key, NULL));
        NEXT();
    }
    CASE(set_name_c) {
        uint8_t kind = *pc++;
        jsv k = sp[-2];
        if (!jsv_is_int(k) || jsv_get_int(k) < 0) { k = jsop_to_property_key(t, k); CHECK(k); sp[-2] = k; }
        if (jsv_is_object(sp[-1]))
            CHECKI(jsvm_set_function_name(t, JSV_OBJ(sp[-1]), k, kind == 1 ? "get" : kind == 2 ? "set" : NULL));
        NEXT();
    }
    CASE(set_home)
        if (jsv_is_object(sp[-1]) && jsobj_class(JSV_OBJ(sp[-1])) == JS_CLASS_FUNCTION_BC)
            ((js_function *)JSV_OBJ(sp[-1]))->home_object = sp[-2];
        NEXT();
    CASE(copy_props)
        CHECKI(jsvm_copy_data_properties(t, sp[-2], sp[-1], JSV_UNDEFINED));
        sp--;
        NEXT();
    CASE(copy_props_ex)
        CHECKI(jsvm_copy_data_properties(t, sp[-3], sp[-2], sp[-1]));
        sp -= 2;
        NEXT();
    CASE(append)
        CHECKI(jsvm_array_append(t, JSV_OBJ(sp[-2]), sp[-1]));
        sp--;
        NEXT();
    CASE(append_hole)
        CHECKI(jsvm_array_append_hole(t, JSV_OBJ(sp[-1])));
        NEXT();
    CASE(append_spread)
        CHECKI(jsvm_array_append_spread(t, JSV_OBJ(sp[-2]), sp[-1]));
        sp--;
        NEXT();
    CASE(make_class) {
        uint32_t idx = rd32(pc);
        uint8_t fl = pc[4];
        pc += 5;
        jsv out[2];
        CHECKI(jsvm_make_class(t, f, (js_function_bc *)jsv_get_ptr(K[idx]), sp[-1], fl, out));
        sp[-1] = out[0];
        *sp++ = out[1];
        NEXT();
    }
    CASE(set_fields) {
        uint8_t kind = *pc++;
        if (kind == 0) {
            ((js_function *)JSV_OBJ(sp[-2]))->fields_init = sp[-1];
        } else {
            v = jsvm_call(t, sp[-1], sp[-2], 0, NULL);
            CHECK(v);
        }
        sp--;
        NEXT();
    }
    CASE(field_key) {
        uint16_t i = rd16(pc); pc += 2;
        v = JSV_UNDEFINED;
        if (f->fn && jsv_is_object(f->fn->field_keys)) {
            v = jsobj_get_index(t, JSV_OBJ(f->fn->field_keys), i);
            CHECK(v);
        }
        *sp++ = v;
        NEXT();
    }
    CASE(set_field_keys)
        ((js_function *)JSV_OBJ(sp[-2]))->field_keys = sp[-1];
        sp--;
        NEXT();
    CASE(deco_state)
        v = jsdeco_state(t, sp[-1], *pc++);
        CHECK(v);
        sp[-1] = v;
        NEXT();
    CASE(deco_elem) {
        uint16_t fl = rd16(pc), slot = rd16(pc + 2);
        pc += 4;
        v = jsdeco_element(t, sp[-4], sp[-3], sp[-2], sp[-1], fl, slot);
        CHECK(v);
        sp[-4] = v;
        sp -= 3;
        NEXT();
    }
    CASE(deco_class)
        v = jsdeco_class(t, sp[-4], sp[-3], sp[-2], sp[-1]);
        CHECK(v);
        sp[-4] = v;
        sp -= 3;
        NEXT();
    CASE(deco_inits)
        v = jsdeco_call_inits(t, sp[-3], sp[-2], sp[-1]);
        CHECK(v);
        sp[-3] = v;
        sp -= 2;
        NEXT();
    CASE(deco_run) {
        uint16_t which = rd16(pc);
        pc += 2;
        CHECKI(jsdeco_run_inits(t, sp[-2], sp[-1], which));
        sp -= 2;
        NEXT();
    }
    CASE(def_field_this) {
        jsv th = f->this_box ? f->this_box->vars[0] : f->this_val;
        jsv k = sp[-2];
        if (jsv_is_symbol(k) && (JSV_SYM(k)->h.flags & JSVM_SYM_PRIVATE)) {
            CHECKI(jsvm_private_define(t, th, k, sp[-1], JSV_UNDEFINED, 0));
        } else {
            if (!jsv_is_object(th)) { jsvm_throw_type_error(t, "field on non-object"); goto exception; }
            CHECKI(jsobj_create_data_property(t, JSV_OBJ(th), k, sp[-1], JS_THROW));
        }
        sp -= 2;
        NEXT();
    }

    /* ---- calls ---- */
    CASE(call) {
        int argc = rd16(pc);
        pc += 2;
        jsv *base = sp - argc - 2;
        if (--t->poll_counter == 0 && jsvm_poll_interrupt(t) < 0) goto exception;
        if (is_plain_bc(base[0])) {
            f->pc = pc;
            f->sp = base;
            js_frame *nf = jsvm_enter_frame(t, (js_function *)JSV_OBJ(base[0]), base, argc, base[1], JSV_UNDEFINED, 0);
            if (!nf) goto exception;
            f = nf;
            RELOAD();
            NEXT();
        }
        v = jsvm_call(t, base[0], base[1], argc, base + 2);
        CHECK(v);
        sp = base;
        *sp++ = v;
        NEXT();
    }
    CASE(tail_call)
    CASE(tail_eval) {
        /* plain bytecode callees take over this frame (tail_replace); others,
         * including class constructors, get an ordinary call */
        int op = pc[-1];
        int argc = rd16(pc);
        pc += 2;
        jsv *base = sp - argc - 2;
        if (--t->poll_counter == 0 && jsvm_poll_interrupt(t) < 0) goto exception;
        if (op == OP_tail_eval && jsv_is_object(base[0]) && base[0] == t->realm->intrinsics[JS_INTR_eval]) {
            v = jsvm_direct_eval(t, f, argc ? base[2] : JSV_UNDEFINED);
            CHECK(v);
            sp = base;
            *sp++ = v;
            NEXT();
        }
        if (is_plain_bc(base[0])) {
            js_function *fn = (js_function *)JSV_OBJ(base[0]);
            int err;
            f->pc = pc;
            f->sp = sp;
            js_frame *nf = tail_replace(t, f, fn, base[1], base + 2, argc, &err);
            if (nf) { f = nf; RELOAD(); NEXT(); }
            if (err == 1) goto exception;
            if (err == 3) return JSV_EXCEPTION;
            if (err == 2) { f = t->frame; RELOAD(); goto exception; }
            f->pc = pc;
            f->sp = base;
            nf = jsvm_enter_frame(t, fn, base, argc, base[1], JSV_UNDEFINED, 0);
            if (!nf) goto exception;
            f = nf;
            RELOAD();
            NEXT();
        }
        v = jsvm_call(t, base[0], base[1], argc, base + 2);
        CHECK(v);
        sp = base;
        *sp++ = v;
        NEXT();
    }
    CASE(tail_call_spread) {
        jsv *args; uint32_t n;
        if (jsvm_array_to_list(t, sp[-1], &args, &n) < 0) goto exception;
        if (is_plain_bc(sp[-3])) {
            int err;
            f->pc = pc;
            f->sp = sp;
            js_frame *nf = tail_replace(t, f, (js_function *)JSV_OBJ(sp[-3]), sp[-2], args, (int)n, &err);
            if (nf || err) free(args);
            if (nf) { f = nf; RELOAD(); NEXT(); }
            if (err == 1) goto exception;
            if (err == 3) return JSV_EXCEPTION;
            if (err == 2) { f = t->frame; RELOAD(); goto exception; }
        }
        v = jsvm_call(t, sp[-3], sp[-2], (int)n, args);
        free(args);
        CHECK(v);
        sp -= 3;
        *sp++ = v;
        NEXT();
    }
    CASE(call_spread) {
        jsv *args; uint32_t n;
        if (jsvm_array_to_list(t, sp[-1], &args, &n) < 0) goto exception;
        v = jsvm_call(t, sp[-3], sp[-2], (int)n, args);
        free(args);
        CHECK(v);
        sp -= 3;
        *sp++ = v;
        NEXT();
    }
    CASE(new) {
        int argc = rd16(pc);
        pc += 2;
        jsv *base = sp - argc - 2;
        if (--t->poll_counter == 0 && jsvm_poll_interrupt(t) < 0) goto exception;
        v = jsvm_construct(t, base[0], argc, base + 2, base[1]);
        CHECK(v);
        sp = base;
        *sp++ = v;
        NEXT();
    }
    CASE(new_spread) {
        jsv *args; uint32_t n;
        if (jsvm_array_to_list(t, sp[-1], &args, &n) < 0) goto exception;
        v = jsvm_construct(t, sp[-3], (int)n, args, sp[-2]);
        free(args);
        CHECK(v);
        sp -= 3;
        *sp++ = v;
        NEXT();
    }
    CASE(super_call) {
        int argc = rd16(pc);
        pc += 2;
        jsv *base = sp - argc;
        v = jsvm_super_call(t, f, argc, base);
        CHECK(v);
        sp = base;
        *sp++ = v;
        NEXT();
    }
    CASE(super_call_spread) {
        jsv *args; uint32_t n;
        if (jsvm_array_to_list(t, sp[-1], &args, &n) < 0) goto exception;
        v = jsvm_super_call(t, f, (int)n, args);
        free(args);
        CHECK(v);
        sp[-1] = v;
        NEXT();
    }
    CASE(eval) {
        int argc = rd16(pc);
        pc += 2;
        jsv *base = sp - argc - 2;
        if (jsv_is_object(base[0]) && base[0] == t->realm->intrinsics[JS_INTR_eval]) {
            v = jsvm_direct_eval(t, f, argc ? base[2] : JSV_UNDEFINED);
        } else {
            v = jsvm_call(t, base[0], base[1], argc, base + 2);
        }
        CHECK(v);
        sp = base;
        *sp++ = v;
        NEXT();
    }
    CASE(eval_spread) {
        jsv *args; uint32_t n;
        if (jsvm_array_to_list(t, sp[-1], &args, &n) < 0) goto exception;
        if (jsv_is_object(sp[-3]) && sp[-3] == t->realm->intrinsics[JS_INTR_eval])
            v = jsvm_direct_eval(t, f, n ? args[0] : JSV_UNDEFINED);
        else
            v = jsvm_call(t, sp[-3], sp[-2], (int)n, args);
        free(args);
        CHECK(v);
        sp -= 3;
        *sp++ = v;
        NEXT();
    }
    CASE(return_undef)
        v = JSV_UNDEFINED;
        goto do_return;
    CASE(return)
        v = *--sp;
    do_return:
        if (f->flags & JSFR_CONSTRUCT) {
            if (!jsv_is_object(v)) {
                if (f->this_box) {
                    /* [[Construct]] checks the result after the callee context is
                     * gone: the errors belong to the caller's realm */
                    if (!jsv_is_undefined(v)) {
                        t->realm = f->saved_realm;
                        jsvm_throw_type_error(t, "Derived constructors may only return object or undefined");
                        sp = f->locals + f->bc->nlocals;   /* not catchable inside the constructor */
                        goto exception;
                    }
                    v = f->this_box->vars[0];
                    if (v == JSV_UNINITIALIZED) {
                        t->realm = f->saved_realm;
                        jsvm_throw_reference_error(t, "Must call super constructor in derived class before accessing 'this' or returning from derived constructor");
                        sp = f->locals + f->bc->nlocals;
                        goto exception;
                    }
                } else v = f->this_val;
            }
        }
        if (!jsv_is_undefined(f->gen)) {
            /* generator/async frame finished: the resumer reads the result */
            js_frame *done = f;
            jsvm_leave_frame(t, done);
            jsvm_frame_finished(t, done, v);
            return v;
        }
        {
            js_frame *done = f;
            jsvm_leave_frame(t, done);
            if (done->flags & JSFR_C_ENTRY) return v;
            f = done->prev;
            RELOAD();
            sp = done->base;
            *sp++ = v;
        }
        NEXT();
    CASE(check_ctor_return) NEXT();

    /* ---- arithmetic ---- */
CASE(add)
        a = sp[-2]; b = sp[-1];
        if (jsv_is_int(a) && jsv_is_int(b)) {
            int32_t r;
            if (!__builtin_add_overflow(jsv_get_int(a), jsv_get_int(b), &r)) sp[-2] = jsv_from_int(r);
            else sp[-2] = jsv_from_double((double)jsv_get_int(a) + jsv_get_int(b));
            sp--;
            NEXT();
        }
        if (jsv_is_number(a) && jsv_is_number(b)) {
            sp[-2] = jsv_number(jsv_get_number(a) + jsv_get_number(b));
            sp--;
            NEXT();
        }
        v = jsop_add(t, a, b);
        CHECK(v);
        sp[-2] = v;
        sp--;
        NEXT();
    CASE(sub)
        a = sp[-2]; b = sp[-1];
        if (jsv_is_int(a) && jsv_is_int(b)) {
            int32_t r;
            if (!__builtin_sub_overflow(jsv_get_int(a), jsv_get_int(b), &r)) sp[-2] = jsv_from_int(r);
            else sp[-2] = jsv_from_double((double)jsv_get_int(a) - jsv_get_int(b));
            sp--;
            NEXT();
        }
        if (jsv_is_number(a) && jsv_is_number(b)) { sp[-2] = jsv_number(jsv_get_number(a) - jsv_get_number(b)); sp--; NEXT(); }
        v = jsop_binary(t, '-', a, b);
        CHECK(v);
        sp[-2] = v; sp--;
        NEXT();
    CASE(mul)
        a = sp[-2]; b = sp[-1];
        if (jsv_is_number(a) && jsv_is_number(b)) { sp[-2] = jsv_number(jsv_get_number(a) * jsv_get_number(b)); sp--; NEXT(); }
        v = jsop_binary(t, '*', a, b);
        CHECK(v);
        sp[-2] = v; sp--;
        NEXT();
    CASE(div)
        a = sp[-2]; b = sp[-1];
        if (jsv_is_number(a) && jsv_is_number(b)) { sp[-2] = jsv_number(jsv_get_number(a) / jsv_get_number(b)); sp--; NEXT(); }
        v = jsop_binary(t, '/', a, b);
        CHECK(v);
        sp[-2] = v; sp--;
        NEXT();
    CASE(mod)
        a = sp[-2]; b = sp[-1];
        if (jsv_is_int(a) && jsv_is_int(b) && jsv_get_int(a) >= 0 && jsv_get_int(b) > 0) {
            sp[-2] = jsv_from_int(jsv_get_int(a) % jsv_get_int(b)); sp--; NEXT();
        }
        if (jsv_is_number(a) && jsv_is_number(b)) { sp[-2] = jsv_number(fmod(jsv_get_number(a), jsv_get_number(b))); sp--; NEXT(); }
        v = jsop_binary(t, '%', a, b);
        CHECK(v);
        sp[-2] = v; sp--;
        NEXT();
    CASE(pow)
        v = jsop_binary(t, 'e', sp[-2], sp[-1]);
        CHECK(v);
        sp[-2] = v; sp--;
        NEXT();
    CASE(shl)
        a = sp[-2]; b = sp[-1];
        if (jsv_is_int(a) && jsv_is_int(b)) { sp[-2] = jsv_from_int((int32_t)((uint32_t)jsv_get_int(a) << (jsv_get_int(b) & 31))); sp--; NEXT(); }
        v = jsop_binary(t, '<', a, b);
        CHECK(v);
        sp[-2] = v; sp--;
        NEXT();
    CASE(sar)
        a = sp[-2]; b = sp[-1];
        if (jsv_is_int(a) && jsv_is_int(b)) { sp[-2] = jsv_from_int(jsv_get_int(a) >> (jsv_get_int(b) & 31)); sp--; NEXT(); }
        v = jsop_binary(t, '>', a, b);
        CHECK(v);
        sp[-2] = v; sp--;
        NEXT();
    CASE(shr)
        a = sp[-2]; b = sp[-1];
        if (jsv_is_int(a) && jsv_is_int(b)) {
            uint32_t r = (uint32_t)jsv_get_int(a) >> (jsv_get_int(b) & 31);
            sp[-2] = r <= INT32_MAX ? jsv_from_int((int32_t)r) : jsv_from_double(r);
            sp--; NEXT();
        }
        v = jsop_binary(t, 'u', a, b);
        CHECK(v);
        sp[-2] = v; sp--;
        NEXT();
    CASE(band)
        a = sp[-2]; b = sp[-1];
        if (jsv_is_int(a) && jsv_is_int(b)) { sp[-2] = jsv_from_int(jsv_get_int(a) & jsv_get_int(b)); sp--; NEXT(); }
        v = jsop_binary(t, '&', a, b);
        CHECK(v);
        sp[-2] = v; sp--;
        NEXT();
    CASE(bor)
        a = sp[-2]; b = sp[-1];
        if (jsv_is_int(a) && jsv_is_int(b)) { sp[-2] = jsv_from_int(jsv_get_int(a) | jsv_get_int(b)); sp--; NEXT(); }
        v = jsop_binary(t, '|', a, b);
        CHECK(v);
        sp[-2] = v; sp--;
        NEXT();
    CASE(bxor)
        a = sp[-2]; b = sp[-1];
        if (jsv_is_int(a) && jsv_is_int(b)) { sp[-2] = jsv_from_int(jsv_get_int(a) ^ jsv_get_int(b)); sp--; NEXT(); }
        v = jsop_binary(t, '^', a, b);
        CHECK(v);
        sp[-2] = v; sp--;
        NEXT();
#define CMP_OP(opname, cmpop, left_first, swap_args, want) \
    CASE(opname) { \
        a = sp[-2]; b = sp[-1]; \
        if (jsv_is_int(a) && jsv_is_int(b)) { sp[-2] = jsv_from_bool(jsv_get_int(a) cmpop jsv_get_int(b)); sp--; NEXT(); } \
        if (jsv_is_number(a) && jsv_is_number(b)) { sp[-2] = jsv_from_bool(jsv_get_number(a) cmpop jsv_get_number(b)); sp--; NEXT(); } \
        int r = swap_args ? jsop_less_than(t, b, a, left_first) : jsop_less_than(t, a, b, left_first); \
        if (r < 0) goto exception; \
        sp[-2] = jsv_from_bool(want); sp--; \
        NEXT(); \
    }
    CMP_OP(lt, <, 1, 0, r == 1)
    CMP_OP(gt, >, 0, 1, r == 1)
    CMP_OP(le, <=, 0, 1, r == 0)
    CMP_OP(ge, >=, 1, 0, r == 0)
    CASE(eq) {
        a = sp[-2]; b = sp[-1];
        if (jsv_is_int(a) && jsv_is_int(b)) { sp[-2] = jsv_from_bool(a == b); sp--; NEXT(); }
        int r = jsop_loose_equals(t, a, b);
        if (r < 0) goto exception;
        sp[-2] = jsv_from_bool(r); sp--;
        NEXT();
    }
    CASE(ne) {
        a = sp[-2]; b = sp[-1];
        if (jsv_is_int(a) && jsv_is_int(b)) { sp[-2] = jsv_from_bool(a != b); sp--; NEXT(); }
        int r = jsop_loose_equals(t, a, b);
        if (r < 0) goto exception;
        sp[-2] = jsv_from_bool(!r); sp--;
        NEXT();
    }
    CASE(seq)
        a = sp[-2]; b = sp[-1];
        sp[-2] = jsv_from_bool((jsv_is_int(a) && jsv_is_int(b)) ? a == b : jsop_strict_equals(a, b));
        sp--;
        NEXT();
    CASE(sne)
        a = sp[-2]; b = sp[-1];
        sp[-2] = jsv_from_bool((jsv_is_int(a) && jsv_is_int(b)) ? a != b : !jsop_strict_equals(a, b));
        sp--;
        NEXT();
    CASE(neg)
        a = sp[-1];
        if (jsv_is_int(a) && jsv_get_int(a) != 0 && jsv_get_int(a) != INT32_MIN) { sp[-1] = jsv_from_int(-jsv_get_int(a)); NEXT(); }
        if (jsv_is_number(a)) { sp[-1] = jsv_number(-jsv_get_number(a)); NEXT(); }
        v = unary_neg(t, a);
        CHECK(v);
        sp[-1] = v;
        NEXT();
    CASE(plus)
        if (!jsv_is_number(sp[-1])) {
            v = jsop_to_number_value(t, sp[-1]);
            CHECK(v);
            sp[-1] = v;
        }
        NEXT();
    CASE(bnot)
        a = sp[-1];
        if (jsv_is_int(a)) { sp[-1] = jsv_from_int(~jsv_get_int(a)); NEXT(); }
        v = unary_bnot(t, a);
        CHECK(v);
        sp[-1] = v;
        NEXT();
    CASE(not) sp[-1] = jsv_from_bool(!jsop_to_boolean(sp[-1])); NEXT();
    CASE(inc)
        a = sp[-1];
        if (jsv_is_int(a) && jsv_get_int(a) != INT32_MAX) { sp[-1] = jsv_from_int(jsv_get_int(a) + 1); NEXT(); }
        if (jsv_is_number(a)) { sp[-1] = jsv_number(jsv_get_number(a) + 1); NEXT(); }
        v = inc_dec(t, a, 1);
        CHECK(v);
        sp[-1] = v;
        NEXT();
    CASE(dec)
        a = sp[-1];
        if (jsv_is_int(a) && jsv_get_int(a) != INT32_MIN) { sp[-1] = jsv_from_int(jsv_get_int(a) - 1); NEXT(); }
        if (jsv_is_number(a)) { sp[-1] = jsv_number(jsv_get_number(a) - 1); NEXT(); }
        v = inc_dec(t, a, -1);
        CHECK(v);
        sp[-1] = v;
        NEXT();
    CASE(to_numeric)
        if (!jsv_is_number(sp[-1])) {
            v = jsop_to_numeric(t, sp[-1]);
            CHECK(v);
            sp[-1] = v;
        }
        NEXT();
    CASE(to_string)
        if (!jsv_is_string(sp[-1])) {
            v = jsop_to_string_value(t, sp[-1]);
            CHECK(v);
            sp[-1] = v;
        }
        NEXT();
    CASE(typeof)
        v = jsop_typeof(t, sp[-1]);
        CHECK(v);
        sp[-1] = v;
        NEXT();
    CASE(instanceof) {
        int r = jsop_instanceof(t, sp[-2], sp[-1]);
        if (r < 0) goto exception;
        sp[-2] = jsv_from_bool(r);
        sp--;
        NEXT();
    }
    CASE(in) {
        b = sp[-1];
        if (!jsv_is_object(b)) { jsvm_throw_type_error(t, "Cannot use 'in' operator to search for a key in %s", jsvm_value_desc(t, b)); goto exception; }
        jsv k = jsop_to_property_key(t, sp[-2]);
        CHECK(k);
        int r = jsobj_has_property(t, JSV_OBJ(b), k);
        if (r < 0) goto exception;
        sp[-2] = jsv_from_bool(r);
        sp--;
        NEXT();
    }
    CASE(is_nullish) sp[-1] = jsv_from_bool(jsv_is_nullish(sp[-1])); NEXT();
    CASE(is_undef) sp[-1] = jsv_from_bool(jsv_is_undefined(sp[-1])); NEXT();
    CASE(is_empty) sp[-1] = jsv_from_bool(sp[-1] == JSV_UNINITIALIZED); NEXT();
    CASE(check_obj_coercible)
        if (jsv_is_nullish(sp[-1])) {
            jsvm_throw_type_error(t, "Cannot destructure '%s' as it is %s.", jsvm_value_desc(t, sp[-1]), jsvm_value_desc(t, sp[-1]));
            goto exception;
        }
        NEXT();
    CASE(check_object)
        if (!jsv_is_object(sp[-1])) { jsvm_throw_type_error(t, "Iterator result %s is not an object", jsvm_value_desc(t, sp[-1])); goto exception; }
        NEXT();
    CASE(to_object)
        v = jsop_to_object(t, sp[-1]);
        CHECK(v);
        sp[-1] = v;
        NEXT();

    /* ---- control ---- */
    CASE(goto) {
        int32_t off = rdi32(pc);
        pc += 4 + off;
        if (off < 0 && --t->poll_counter == 0 && jsvm_poll_interrupt(t) < 0) goto exception;
        NEXT();
    }
    CASE(if_false) {
        int32_t off = rdi32(pc);
        pc += 4;
        v = *--sp;
        if (v == JSV_FALSE || (v != JSV_TRUE && !jsop_to_boolean(v))) {
            pc += off;
            if (off < 0 && --t->poll_counter == 0 && jsvm_poll_interrupt(t) < 0) goto exception;
        }
        NEXT();
    }
    CASE(if_true) {
        int32_t off = rdi32(pc);
        pc += 4;
        v = *--sp;
        if (v == JSV_TRUE || (v != JSV_FALSE && jsop_to_boolean(v))) {
            pc += off;
            if (off < 0 && --t->poll_counter == 0 && jsvm_poll_interrupt(t) < 0) goto exception;
        }
        NEXT();
    }
    CASE(throw)
        jsvm_throw(t, *--sp);
        goto exception;
    CASE(throw_ref) {
        jsv key = K[rd32(pc)];
        pc += 4;
        jsvm_throw_with_key(t, JS_ERR_REFERENCE, "%s", key);
        goto exception;
    }
    CASE(throw_type) {
        jsv msg = K[rd32(pc)];
        pc += 4;
        jsvm_throw_with_key(t, JS_ERR_TYPE, "%s", msg);
        goto exception;
    }
    CASE(throw_syntax) {
        jsv msg = K[rd32(pc)];
        pc += 4;
        jsvm_throw_with_key(t, JS_ERR_SYNTAX, "%s", msg);
        goto exception;
    }
    CASE(try) {
        int32_t off = rdi32(pc);
        pc += 4;
        sp[0] = f->env ? jsv_cell(f->env) : JSV_UNDEFINED;
        sp[1] = catch_marker((uint32_t)(pc + off - bc->code));
        sp += 2;
        NEXT();
    }
    CASE(end_try) sp -= 2; NEXT();
    CASE(gosub) {
        int32_t off = rdi32(pc);
        pc += 4;
        *sp++ = ret_marker((uint32_t)(pc - bc->code));
        pc += off;
        NEXT();
    }
    CASE(ret) {
        v = *--sp;
        if (!is_ret_marker(v)) { jsvm_throw_error(t, JS_ERR_INTERNAL, "bad ret"); goto exception; }
        pc = bc->code + (uint32_t)(v & 0xFFFFFFFFu);
        NEXT();
    }
    CASE(nop) NEXT();
    CASE(debugger) NEXT();
    CASE(line) pc += 4; NEXT();

    /* ---- iteration ---- */
    CASE(for_in_start)
        v = jsvm_for_in_start(t, sp[-1]);
        CHECK(v);
        sp[-1] = v;
        NEXT();
    CASE(for_in_next) {
        jsv key;
        int r = jsvm_for_in_next(t, sp[-1], &key);
        if (r < 0) goto exception;
        sp[0] = r ? key : JSV_UNDEFINED;
        sp[1] = jsv_from_bool(!r);
        sp += 2;
        NEXT();
    }
    CASE(get_iter) {
        js_iter_record rec;
        if (jsop_get_iterator(t, sp[-1], 0, &rec) < 0) goto exception;
        sp[-1] = rec.iterator;
        *sp++ = rec.next_method;
        NEXT();
    }
    CASE(get_async_iter) {
        js_iter_record rec;
        if (jsvm_get_async_iterator(t, sp[-1], &rec) < 0) goto exception;
        sp[-1] = rec.iterator;
        *sp++ = rec.next_method;
        NEXT();
    }
    CASE(iter_step) {
        js_iter_record rec = { sp[-2], sp[-1], 0 };
        jsv val = JSV_UNDEFINED;
        int r = jsop_iterator_step_value(t, &rec, &val);
        if (r < 0) goto exception;
        sp[0] = r ? val : JSV_UNDEFINED;
        sp[1] = jsv_from_bool(!r);
        sp += 2;
        NEXT();
    }
    CASE(iter_call_next)
        v = jsvm_call(t, sp[-1], sp[-2], 0, NULL);
        CHECK(v);
        *sp++ = v;
        NEXT();
    CASE(iter_call_next_v)
        v = jsvm_call(t, sp[-2], sp[-3], 1, &sp[-1]);
        CHECK(v);
        sp[-1] = v;
        NEXT();
    CASE(iter_result) {
        a = sp[-1];
        if (!jsv_is_object(a)) { jsvm_throw_type_error(t, "Iterator result %s is not an object", jsvm_value_desc(t, a)); goto exception; }
        v = jsobj_get(t, JSV_OBJ(a), jsrt_atom_value(t, JS_ATOM_done), a);
        CHECK(v);
        int done = jsop_to_boolean(v);
        v = JSV_UNDEFINED;
        if (!done) {
            v = jsobj_get(t, JSV_OBJ(a), jsrt_atom_value(t, JS_ATOM_value), a);
            CHECK(v);
        }
        sp[-1] = v;
        *sp++ = jsv_from_bool(done);
        NEXT();
    }
    CASE(iter_close) {
        js_iter_record rec = { sp[-2], sp[-1], 0 };
        if (jsop_iterator_close(t, &rec, 0) < 0) goto exception;
        sp -= 2;
        NEXT();
    }
    CASE(iter_close_throw) {
        js_iter_record rec = { sp[-3], sp[-2], 0 };
        jsv exc = sp[-1];
        int unc = t->uncatchable;
        t->exception = exc;
        t->has_exception = 1;
        jsop_iterator_close(t, &rec, 1);
        t->has_exception = 0;
        t->exception = JSV_UNDEFINED;
        t->uncatchable = unc;
        sp -= 3;
        *sp++ = exc;
        NEXT();
    }
    CASE(iter_call_return) {
        /* iter next -> result|empty: calls iter.return() if present */
        jsv m = jsop_get_method(t, sp[-2], jsrt_atom_value(t, JS_ATOM_return));
        CHECK(m);
        if (jsv_is_undefined(m)) { sp[-2] = JSV_UNINITIALIZED; sp--; NEXT(); }
        v = jsvm_call(t, m, sp[-2], 0, NULL);
        CHECK(v);
        sp[-2] = v;
        sp--;
        NEXT();
    }
    CASE(iter_method) {
        /* iter next v -> iter next result|empty */
        uint8_t which = *pc++;
        jsv m = jsop_get_method(t, sp[-3], jsrt_atom_value(t, which ? JS_ATOM_throw : JS_ATOM_return));
        CHECK(m);
        if (jsv_is_undefined(m)) { sp[-1] = JSV_UNINITIALIZED; NEXT(); }
        v = jsvm_call(t, m, sp[-3], 1, &sp[-1]);
        CHECK(v);
        sp[-1] = v;
        NEXT();
    }
    CASE(iter_close_sync_for_async) sp -= 2; NEXT();

    /* ---- generators and async ---- */
    CASE(initial_yield)
    CASE(yield)
    CASE(yield_star_res)
    CASE(await)
    CASE(async_gen_yield) {
        int op = pc[-1];
        jsv val = JSV_UNDEFINED;
        if (op != OP_initial_yield) val = *--sp;
        f->pc = pc;
        f->sp = sp;
        int r = jsvm_suspend(t, f, op, val);
        if (r < 0) goto exception;
        js_frame *done = f;
        jsvm_leave_frame(t, done);
        return JSV_UNDEFINED;
    }
    CASE(resume) {
        int32_t off = rdi32(pc);
        pc += 4;
        int mode = jsv_get_int(sp[-1]);
        sp--;
        if (mode == JSVM_RESUME_THROW) {
            jsvm_throw(t, *--sp);
            goto exception;
        }
        if (mode == JSVM_RESUME_RETURN) pc += off;
        NEXT();
    }

    CASE(yield_star_step)
    CASE(async_yield_star_step) {
        int op = pc[-1];
        uint8_t arg = *pc++;
        if (jsvm_yield_star_step(t, op == OP_async_yield_star_step, arg, sp) < 0) goto exception;
        NEXT();
    }
    CASE(special_obj) {
        uint8_t kind = *pc++;
        js_object *o = jsvm_make_arguments(t, f, kind);
        if (!o) goto exception;
        f->arguments_obj = jsv_object(o);
        *sp++ = jsv_object(o);
        NEXT();
    }
    CASE(rest) {
        uint16_t from = rd16(pc);
        pc += 2;
        int n = f->argc > from ? f->argc - from : 0;
        js_object *o = jsobj_new_array_from(t, (uint32_t)n, f->argv + from);
        if (!o) goto exception;
        *sp++ = jsv_object(o);
        NEXT();
    }
    CASE(push_with) {
        js_env *e = jsvm_env_new_with(t, f->env, sp[-1]);
        if (!e) goto exception;
        f->env = e;
        sp--;
        NEXT();
    }
    CASE(using_init)
    CASE(using_dispose_async_step)
        jsvm_throw_error(t, JS_ERR_INTERNAL, "bad opcode");
        goto exception;
    CASE(using_add) {
        uint8_t fl = *pc++;
        CHECKI(jsvm_using_add(t, sp[-2], sp[-1], fl));
        sp[-2] = sp[-1];
        sp--;
        NEXT();
    }
    CASE(using_next) {
        js_object *a = JSV_OBJ(sp[-1]);
        uint32_t n = ((js_array *)a)->length;
        if (n < 3) {
            sp[-1] = JSV_UNDEFINED;
            sp[0] = JSV_UNINITIALIZED;
            sp[1] = JSV_FALSE;
            sp += 2;
            NEXT();
        }
        jsv items[3];
        for (int i = 0; i < 3; i++) {
            items[i] = jsobj_get_index(t, a, n - 3 + i);
            CHECK(items[i]);
        }
        CHECKI(jsobj_set(t, a, jsrt_atom_value(t, JS_ATOM_length), jsv_from_int((int32_t)(n - 3)), sp[-1], JS_THROW));
        sp[-1] = items[0];
        sp[0] = jsv_is_undefined(items[1]) ? JSV_NULL : items[1];
        sp[1] = items[2];
        sp += 2;
        NEXT();
    }
    CASE(using_merge) {
        jsv c0 = sp[-2], e = sp[-1];
        if (c0 == JSV_UNINITIALIZED) v = e;
        else {
            jsv args[2] = { e, c0 };
            v = jsvm_construct(t, jsrt_intrinsic(t, JS_INTR_SuppressedError), 2, args, JSV_UNDEFINED);
            CHECK(v);
        }
        sp[-2] = v;
        sp--;
        NEXT();
    }
    CASE(using_dispose)
        CHECKI(jsvm_using_dispose(t, sp[-2], sp[-1]));
        sp -= 2;
        NEXT();

    DISPATCH_END

exception:
    /* unwind to the nearest catch marker of this or an outer frame */
    for (;;) {
        if (!t->uncatchable) {
            jsv *lo = f->locals + f->bc->nlocals;
            jsv *p = sp;
            while (p > lo) {
                p--;
                if (is_catch_marker(*p)) {
                    uint32_t off = (uint32_t)(*p & 0xFFFFFFFFu);
                    jsv envv = p[-1];
                    f->env = jsv_is_undefined(envv) ? NULL : (js_env *)jsv_get_ptr(envv);
                    sp = p - 1;
                    *sp++ = jsvm_take_exception(t);
                    pc = f->bc->code + off;
                    bc = f->bc;
                    L = f->locals;
                    K = bc->consts;
                    NEXT();
                }
            }
        }
        js_frame *done = f;
        jsvm_leave_frame(t, done);
        if (!jsv_is_undefined(done->gen)) {
            jsvm_frame_finished(t, done, JSV_EXCEPTION);
            return JSV_EXCEPTION;
        }
        if (done->flags & JSFR_C_ENTRY) return JSV_EXCEPTION;
        f = done->prev;
        RELOAD();
        sp = done->base;
    }
}
