/*
 * generator.c - generators, async functions and async generators as saved VM
 * frames (values copied to the heap object on suspension, pushed back on
 * resumption), yield* delegation, %AsyncFromSyncIteratorPrototype%, and the
 * realm set-up of their constructors and prototypes (jsbi_init_generator).
 * Must not recurse the C stack per yield: every resumption is one run of
 * interp.c's loop from C (next/return/throw or a promise job).
 */
#include <stdlib.h>
#include <string.h>
#include "function.h"
#include "interp.h"
#include "../builtins/builtins.h"
#include "../builtins/promise.h"

enum { GEN_START, GEN_SUSPENDED, GEN_EXECUTING, GEN_DONE, GEN_AWAIT_RETURN };
enum { KIND_GEN, KIND_ASYNC_FN, KIND_ASYNC_GEN };

typedef struct gen_request {
    jsv value;
    jsv promise;
    int mode;
} gen_request;

typedef struct js_generator {
    js_object base;
    int state;
    int kind;
    int last_op;             /* opcode that suspended the frame */
    jsv pending;             /* value handed out by that opcode */
    /* saved frame */
    js_function *fn;
    js_env *env, *this_box;
    jsv this_val, new_target, home_object, arguments_obj;
    int argc;
    uint32_t nargs, pc_off;
    jsv *vals;
    uint32_t nvals;
    /* async function: its promise; async generator: request queue */
    jsv promise;
    gen_request *q;
    uint32_t qhead, qlen, qcap;
} js_generator;

static void gen_trace(js_gc_tracer *trc, js_object *o)
{
    js_generator *g = (js_generator *)o;
    jsgc_mark_value(trc, g->pending);
    jsgc_mark_cell(trc, g->fn);
    jsgc_mark_cell(trc, g->env);
    jsgc_mark_cell(trc, g->this_box);
    jsgc_mark_value(trc, g->this_val);
    jsgc_mark_value(trc, g->new_target);
    jsgc_mark_value(trc, g->home_object);
    jsgc_mark_value(trc, g->arguments_obj);
    jsgc_mark_value(trc, g->promise);
    if (g->vals) jsgc_mark_values(trc, g->vals, g->nvals);
    for (uint32_t i = 0; i < g->qlen; i++) {
        gen_request *r = &g->q[(g->qhead + i) % g->qcap];
        jsgc_mark_value(trc, r->value);
        jsgc_mark_value(trc, r->promise);
    }
}

static void gen_finalize(js_runtime *rt, js_object *o)
{
    js_generator *g = (js_generator *)o;
    free(g->vals);
    free(g->q);
    g->vals = NULL;
    g->q = NULL;
}

const js_class_ops jsclass_generator = {
    .name = "Generator", .size = sizeof(js_generator), .trace = gen_trace, .finalize = gen_finalize,
};
const js_class_ops jsclass_async_generator = {
    .name = "AsyncGenerator", .size = sizeof(js_generator), .trace = gen_trace, .finalize = gen_finalize,
};

/* ---- frames ---- */

int jsvm_suspend(js_thread *t, js_frame *f, int op, jsv value)
{
    if (!jsv_is_object(f->gen)) {
        /* only a compiler bug gets here: fail cleanly rather than crash */
        jsvm_throw_error(t, JS_ERR_INTERNAL, "suspension outside a generator or async function");
        return -1;
    }
    js_generator *g = (js_generator *)JSV_OBJ(f->gen);
    if (op == OP_await) {
        /* PromiseResolve may throw: then the await itself throws */
        jsv p = jsbi_promise_resolve(t, value);
        if (p == JSV_EXCEPTION) return -1;
        value = p;
    }
    uint32_t np = f->bc->nparams;
    uint32_t nargs = (uint32_t)f->argc > np ? (uint32_t)f->argc : np;
    uint32_t nrest = (uint32_t)(f->sp - f->locals);
    uint32_t n = nargs + nrest;
    if (n > g->nvals || !g->vals) {
        jsv *nv = realloc(g->vals, (n ? n : 1) * sizeof(jsv));
        if (!nv) { jsvm_throw_out_of_memory(t); return -1; }
        g->vals = nv;
    }
    memcpy(g->vals, f->argv, nargs * sizeof(jsv));
    memcpy(g->vals + nargs, f->locals, nrest * sizeof(jsv));
    g->nvals = n;
    g->nargs = nargs;
    g->argc = f->argc;
    g->fn = f->fn;
    g->env = f->env;
    g->this_box = f->this_box;
    g->this_val = f->this_val;
    g->new_target = f->new_target;
    g->home_object = f->home_object;
    g->arguments_obj = f->arguments_obj;
    g->pc_off = (uint32_t)(f->pc - f->bc->code);
    g->last_op = op;
    g->pending = value;
    g->state = GEN_SUSPENDED;
    if (op == OP_initial_yield) {
        g->state = GEN_START;
        /* OrdinaryCreateFromConstructor(functionObject, "%GeneratorPrototype%") */
        jsv fnv = jsv_object(f->fn);
        jsv proto = jsobj_get(t, &f->fn->base, jskey_from_atom_id(t, JS_ATOM_prototype), fnv);
        if (proto == JSV_EXCEPTION) return -1;
        if (!jsv_is_object(proto))
            proto = jsrt_intrinsic(t, g->kind == KIND_ASYNC_GEN ? JS_INTR_AsyncGeneratorPrototype : JS_INTR_GeneratorPrototype);
        if (jsv_is_object(proto) && jsobj_set_prototype_of(t, &g->base, proto, 0) < 0) return -1;
    }
    if (op == OP_await) {
        /* continuation is attached by the caller of the run (after the frame is popped) */
    }
    return 0;
}

void jsvm_frame_finished(js_thread *t, js_frame *f, jsv result)
{
    js_generator *g = (js_generator *)JSV_OBJ(f->gen);
    g->state = GEN_DONE;
    g->last_op = -1;
    free(g->vals);
    g->vals = NULL;
    g->nvals = 0;
    g->env = NULL;
}

/* Push the saved frame back and run it. mode < 0: first resumption after initial_yield. */
static jsv gen_run(js_thread *t, js_generator *g, jsv value, int mode)
{
    if (jsvm_check_stack(t) < 0) return JSV_EXCEPTION;
    js_function *fn = g->fn;
    js_function_bc *bc = fn->bc;
    jsv *base = t->stack_top;
    if (base + 2 + g->nvals + bc->stack_size + 16 > t->stack_limit)
        return jsvm_throw_range_error(t, "Maximum call stack size exceeded");
    js_frame *nf = jsvm_frame_alloc(t);
    if (!nf) return JSV_EXCEPTION;
    base[0] = jsv_object(fn);
    base[1] = g->this_val;
    memcpy(base + 2, g->vals, g->nvals * sizeof(jsv));
    memset(nf, 0, sizeof *nf);
    nf->prev = t->frame;
    nf->fn = fn;
    nf->bc = bc;
    nf->pc = bc->code + g->pc_off;
    nf->env = g->env;
    nf->this_box = g->this_box;
    nf->this_val = g->this_val;
    nf->new_target = g->new_target;
    nf->home_object = g->home_object;
    nf->arguments_obj = g->arguments_obj;
    nf->argv = base + 2;
    nf->argc = g->argc;
    nf->locals = base + 2 + g->nargs;
    nf->sp = base + 2 + g->nvals;
    nf->base = base;
    nf->flags = JSFR_C_ENTRY | JSFR_GENERATOR;
    nf->gen = jsv_object(g);
    nf->saved_realm = t->realm;
    if (fn->realm) t->realm = fn->realm;
    if (mode >= 0 && g->last_op != OP_initial_yield) {
        nf->sp[0] = value;
        nf->sp[1] = jsv_from_int(mode);
        nf->sp += 2;
    }
    t->frame = nf;
    t->call_depth++;
    t->stack_top = nf->sp;
    g->state = GEN_EXECUTING;
    return jsvm_run_frame(t, nf);
}

/* Start a generator/async function: a fresh frame with f->gen set. */
static jsv gen_start(js_thread *t, js_generator *g, js_function *fn, jsv this_val, int argc, const jsv *argv)
{
    if (jsvm_check_stack(t) < 0) return JSV_EXCEPTION;
    jsv *base = t->stack_top;
    if (base + 2 + argc + fn->bc->nparams + 16 > t->stack_limit)
        return jsvm_throw_range_error(t, "Maximum call stack size exceeded");
    base[0] = jsv_object(fn);
    base[1] = this_val;
    if (argc) memcpy(base + 2, argv, argc * sizeof(jsv));
    t->stack_top = base + 2 + argc;
    js_frame *f = jsvm_enter_frame(t, fn, base, argc, this_val, JSV_UNDEFINED, JSFR_C_ENTRY | JSFR_GENERATOR);
    if (!f) { t->stack_top = base; return JSV_EXCEPTION; }
    f->gen = jsv_object(g);
    g->fn = fn;
    g->state = GEN_EXECUTING;
    return jsvm_run_frame(t, f);
}

/* ---- async functions ---- */

static void async_after_run(js_thread *t, js_generator *g, jsv r);

static jsv async_cont(js_thread *t, jsv value, jsv data, int rejected)
{
    js_generator *g = (js_generator *)JSV_OBJ(data);
    jsv r = gen_run(t, g, value, rejected ? JSVM_RESUME_THROW : JSVM_RESUME_NEXT);
    async_after_run(t, g, r);
    return t->has_exception ? JSV_EXCEPTION : JSV_UNDEFINED;
}

static void async_gen_after_run(js_thread *t, js_generator *g, jsv r);

/* After a run: attach the await continuation or settle the promise. */
static void async_after_run(js_thread *t, js_generator *g, jsv r)
{
    if (g->kind == KIND_ASYNC_GEN) { async_gen_after_run(t, g, r); return; }
    if (g->state == GEN_DONE) {
        if (r == JSV_EXCEPTION) {
            if (t->uncatchable) return;
            jsv e = jsvm_take_exception(t);
            jsbi_promise_reject(t, g->promise, e);
        } else {
            if (jsbi_promise_fulfill_or_resolve(t, g->promise, r) < 0) {
                jsv e = jsvm_take_exception(t);
                jsbi_promise_reject(t, g->promise, e);
            }
        }
        return;
    }
    if (g->last_op == OP_await) {
        if (jsbi_promise_then_native(t, g->pending, async_cont, jsv_object(g)) < 0) {
            /* out of memory while attaching: the exception stays pending */
        }
    }
}

jsv jsvm_generator_call(js_thread *t, js_function *fn, jsv this_val, int argc, const jsv *argv)
{
    uint32_t fl = fn->bc->flags;
    int kind = (fl & JSFB_GENERATOR) ? ((fl & JSFB_ASYNC) ? KIND_ASYNC_GEN : KIND_GEN) : KIND_ASYNC_FN;
    jsv proto = jsrt_intrinsic(t, JS_INTR_ObjectPrototype);
    js_object *o = jsobj_new(t, proto, kind == KIND_ASYNC_GEN ? JS_CLASS_ASYNC_GENERATOR : JS_CLASS_GENERATOR);
    if (!o) return JSV_EXCEPTION;
    js_generator *g = (js_generator *)o;
    g->kind = kind;
    g->pending = JSV_UNDEFINED;
    g->this_val = g->new_target = g->home_object = g->arguments_obj = JSV_UNDEFINED;
    g->promise = JSV_UNDEFINED;
    if (kind == KIND_ASYNC_FN) {
        g->promise = jsbi_promise_new(t);
        if (g->promise == JSV_EXCEPTION) return JSV_EXCEPTION;
        jsv r = gen_start(t, g, fn, this_val, argc, argv);
        if (r == JSV_EXCEPTION && g->state != GEN_DONE) {
            /* the frame could not even be entered */
            if (t->uncatchable) return JSV_EXCEPTION;
            jsv e = jsvm_take_exception(t);
            jsbi_promise_reject(t, g->promise, e);
            return g->promise;
        }
        async_after_run(t, g, r);
        if (t->has_exception && t->uncatchable) return JSV_EXCEPTION;
        return g->promise;
    }
    jsv r = gen_start(t, g, fn, this_val, argc, argv);
    if (r == JSV_EXCEPTION) return r;
    if (g->state != GEN_START) {
        /* returned before initial_yield: cannot happen for generator bodies */
        return jsvm_throw_error(t, JS_ERR_INTERNAL, "generator did not start");
    }
    return jsv_object(g);
}

/* ---- sync generators ---- */

static jsv gen_resume(js_thread *t, jsv thisv, jsv value, int mode, const char *method)
{
    if (!jsv_is_object(thisv) || jsobj_class(JSV_OBJ(thisv)) != JS_CLASS_GENERATOR ||
        ((js_generator *)JSV_OBJ(thisv))->kind != KIND_GEN)
        return jsvm_throw_type_error(t, "Generator.prototype.%s called on incompatible receiver", method);
    js_generator *g = (js_generator *)JSV_OBJ(thisv);
    if (g->state == GEN_EXECUTING) return jsvm_throw_type_error(t, "Generator is already running");
    if (g->state == GEN_START && mode != JSVM_RESUME_NEXT) {
        g->state = GEN_DONE;
        free(g->vals);
        g->vals = NULL;
        g->nvals = 0;
    }
    if (g->state == GEN_DONE) {
        if (mode == JSVM_RESUME_THROW) return jsvm_throw(t, value);
        return jsop_create_iter_result(t, mode == JSVM_RESUME_RETURN ? value : JSV_UNDEFINED, 1);
    }
    jsv r = gen_run(t, g, value, g->state == GEN_START ? -1 : mode);
    if (g->state == GEN_DONE) {
        if (r == JSV_EXCEPTION) return r;
        return jsop_create_iter_result(t, r, 1);
    }
    if (r == JSV_EXCEPTION) return r;
    if (g->last_op == OP_yield_star_res) return g->pending;
    return jsop_create_iter_result(t, g->pending, 0);
}

static jsv gen_next(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    static const char *const names[] = { "next", "throw", "return" };
    return gen_resume(t, this_val, JS_ARG(0), magic, names[magic]);
}

/* yield* one step; see opcodes.def. Stack: [iter next recv mode]. */
int jsvm_yield_star_step(js_thread *t, int async, int phase, jsv *sp)
{
    jsv it = sp[-4], next = sp[-3], recv = sp[-2];
    if (async && phase == 1) {
        /* [it next awaited k] -> [it next value kind] */
        jsv res = sp[-2];
        int k = jsv_get_int(sp[-1]);
        if (!jsv_is_object(res)) { jsvm_throw_type_error(t, "iterator result is not an object"); return -1; }
        jsv d = jsobj_get(t, JSV_OBJ(res), jskey_from_atom_id(t, JS_ATOM_done), res);
        if (d == JSV_EXCEPTION) return -1;
        int done = jsop_to_boolean(d);
        jsv v = jsobj_get(t, JSV_OBJ(res), jskey_from_atom_id(t, JS_ATOM_value), res);
        if (v == JSV_EXCEPTION) return -1;
        sp[-2] = v;
        sp[-1] = jsv_from_int(!done ? 0 : (k == 3 ? 1 : 2));
        return 0;
    }
    int mode = jsv_get_int(sp[-1]);
    jsv res;
    int ret_call = 0;
    if (mode == JSVM_RESUME_NEXT) {
        res = jsvm_call(t, next, it, 1, &recv);
    } else {
        jsv m = jsop_get_method(t, it, jskey_from_atom_id(t, mode == JSVM_RESUME_THROW ? JS_ATOM_throw : JS_ATOM_return));
        if (m == JSV_EXCEPTION) return -1;
        if (jsv_is_undefined(m)) {
            if (mode == JSVM_RESUME_RETURN) {
                sp[-2] = recv;
                sp[-1] = jsv_from_int(2);
                return 0;
            }
            js_iter_record rec = { it, next, 0 };
            if (jsop_iterator_close(t, &rec, 0) < 0) return -1;
            jsvm_throw_type_error(t, "The iterator does not provide a 'throw' method");
            return -1;
        }
        res = jsvm_call(t, m, it, 1, &recv);
        ret_call = mode == JSVM_RESUME_RETURN;
    }
    if (res == JSV_EXCEPTION) return -1;
    if (async) {
        sp[-2] = res;
        sp[-1] = jsv_from_int(ret_call ? 4 : 3);
        return 0;
    }
    if (!jsv_is_object(res)) { jsvm_throw_type_error(t, "iterator result is not an object"); return -1; }
    jsv d = jsobj_get(t, JSV_OBJ(res), jskey_from_atom_id(t, JS_ATOM_done), res);
    if (d == JSV_EXCEPTION) return -1;
    if (jsop_to_boolean(d)) {
        jsv v = jsobj_get(t, JSV_OBJ(res), jskey_from_atom_id(t, JS_ATOM_value), res);
        if (v == JSV_EXCEPTION) return -1;
        sp[-2] = v;
        sp[-1] = jsv_from_int(ret_call ? 2 : 1);
        return 0;
    }
    sp[-2] = res;
    sp[-1] = jsv_from_int(0);
    return 0;
}

/* ---- async generators ---- */

static int q_push(js_thread *t, js_generator *g, int mode, jsv value, jsv promise)
{
    if (g->qlen == g->qcap) {
        uint32_t nc = g->qcap ? g->qcap * 2 : 4;
        gen_request *nq = malloc(nc * sizeof *nq);
        if (!nq) { jsvm_throw_out_of_memory(t); return -1; }
        for (uint32_t i = 0; i < g->qlen; i++) nq[i] = g->q[(g->qhead + i) % g->qcap];
        free(g->q);
        g->q = nq;
        g->qhead = 0;
        g->qcap = nc;
    }
    gen_request *r = &g->q[(g->qhead + g->qlen) % g->qcap];
    r->mode = mode;
    r->value = value;
    r->promise = promise;
    g->qlen++;
    return 0;
}

static gen_request q_pop(js_generator *g)
{
    gen_request r = g->q[g->qhead];
    g->qhead = (g->qhead + 1) % g->qcap;
    g->qlen--;
    return r;
}

/* AsyncGeneratorCompleteStep */
static void ag_complete(js_thread *t, js_generator *g, int is_throw, jsv value, int done)
{
    if (!g->qlen) return;
    gen_request r = q_pop(g);
    if (is_throw) {
        jsbi_promise_reject(t, r.promise, value);
    } else {
        jsv it = jsop_create_iter_result(t, value, done);
        if (it == JSV_EXCEPTION) { jsv e = jsvm_take_exception(t); jsbi_promise_reject(t, r.promise, e); return; }
        jsbi_promise_fulfill_or_resolve(t, r.promise, it);
    }
}

static void ag_resume_next(js_thread *t, js_generator *g);

static jsv ag_return_cont(js_thread *t, jsv value, jsv data, int rejected)
{
    js_generator *g = (js_generator *)JSV_OBJ(data);
    g->state = GEN_DONE;
    ag_complete(t, g, rejected, value, 1);
    ag_resume_next(t, g);
    return JSV_UNDEFINED;
}

static void ag_resume_next(js_thread *t, js_generator *g)
{
    while (g->qlen) {
        if (g->state == GEN_EXECUTING || g->state == GEN_AWAIT_RETURN) return;
        gen_request *r = &g->q[g->qhead];
        if (r->mode != JSVM_RESUME_NEXT) {
            if (g->state == GEN_START) {
                g->state = GEN_DONE;
                free(g->vals);
                g->vals = NULL;
                g->nvals = 0;
            }
            if (g->state == GEN_DONE) {
                if (r->mode == JSVM_RESUME_RETURN) {
                    g->state = GEN_AWAIT_RETURN;
                    jsv p = jsbi_promise_resolve(t, r->value);
                    if (p == JSV_EXCEPTION) {
                        jsv e = jsvm_take_exception(t);
                        g->state = GEN_DONE;
                        ag_complete(t, g, 1, e, 1);
                        continue;
                    }
                    jsbi_promise_then_native(t, p, ag_return_cont, jsv_object(g));
                    return;
                }
                ag_complete(t, g, 1, r->value, 1);
                continue;
            }
        } else if (g->state == GEN_DONE) {
            ag_complete(t, g, 0, JSV_UNDEFINED, 1);
            continue;
        }
        /* suspended at start or at a yield */
        jsv rv = gen_run(t, g, r->value, g->state == GEN_START ? -1 : r->mode);
        async_gen_after_run(t, g, rv);
        return;
    }
}

static void async_gen_after_run(js_thread *t, js_generator *g, jsv r)
{
    if (g->state == GEN_DONE) {
        if (r == JSV_EXCEPTION) {
            if (t->uncatchable) return;
            jsv e = jsvm_take_exception(t);
            ag_complete(t, g, 1, e, 1);
        } else {
            ag_complete(t, g, 0, r, 1);
        }
        ag_resume_next(t, g);
        return;
    }
    if (g->last_op == OP_await) {
        g->state = GEN_EXECUTING;
        jsbi_promise_then_native(t, g->pending, async_cont, jsv_object(g));
        return;
    }
    /* yielded */
    g->state = GEN_SUSPENDED;
    ag_complete(t, g, 0, g->pending, 0);
    ag_resume_next(t, g);
}

static jsv ag_method(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv p = jsbi_promise_new(t);
    if (p == JSV_EXCEPTION) return p;
    if (!jsv_is_object(this_val) || jsobj_class(JSV_OBJ(this_val)) != JS_CLASS_ASYNC_GENERATOR) {
        jsvm_throw_type_error(t, "AsyncGenerator method called on incompatible receiver");
        jsv e = jsvm_take_exception(t);
        jsbi_promise_reject(t, p, e);
        return p;
    }
    js_generator *g = (js_generator *)JSV_OBJ(this_val);
    if (q_push(t, g, magic, JS_ARG(0), p) < 0) return JSV_EXCEPTION;
    if (g->state != GEN_EXECUTING && g->state != GEN_AWAIT_RETURN) ag_resume_next(t, g);
    return p;
}

/* ---- async-from-sync iterators ---- */

typedef struct js_afs_iter {
    js_object base;
    jsv iterator, next;
} js_afs_iter;

static void afs_trace(js_gc_tracer *trc, js_object *o)
{
    js_afs_iter *a = (js_afs_iter *)o;
    jsgc_mark_value(trc, a->iterator);
    jsgc_mark_value(trc, a->next);
}

const js_class_ops jsclass_async_from_sync_iterator = {
    .name = "Async-from-Sync Iterator", .size = sizeof(js_afs_iter), .trace = afs_trace,
};

int jsvm_get_async_iterator(js_thread *t, jsv obj, js_iter_record *out)
{
    jsv m = jsop_get_method(t, obj, jsv_symbol(t->rt->wk_symbols[JS_WKS_asyncIterator]));
    if (m == JSV_EXCEPTION) return -1;
    if (!jsv_is_undefined(m)) return jsop_get_iterator_from_method(t, obj, m, out);
    js_iter_record sync;
    if (jsop_get_iterator(t, obj, 0, &sync) < 0) return -1;
    js_object *a = jsobj_new(t, jsrt_intrinsic(t, JS_INTR_AsyncFromSyncIteratorPrototype), JS_CLASS_ASYNC_FROM_SYNC_ITERATOR);
    if (!a) return -1;
    ((js_afs_iter *)a)->iterator = sync.iterator;
    ((js_afs_iter *)a)->next = sync.next_method;
    out->iterator = jsv_object(a);
    out->next_method = jsobj_get(t, a, jskey_from_atom_id(t, JS_ATOM_next), jsv_object(a));
    out->done = 0;
    return out->next_method == JSV_EXCEPTION ? -1 : 0;
}

/* data = [promise, done, iterator, closeOnRejection] array */
static jsv afs_cont(js_thread *t, jsv value, jsv data, int rejected)
{
    js_object *d = JSV_OBJ(data);
    jsv p = d->elems[0];
    int done = d->elems[1] == JSV_TRUE;
    if (rejected) {
        if (!done && d->elems[3] == JSV_TRUE) {
            js_iter_record rec = { d->elems[2], JSV_UNDEFINED, 0 };
            t->exception = value;
            t->has_exception = 1;
            jsop_iterator_close(t, &rec, 1);
            t->has_exception = 0;
            t->exception = JSV_UNDEFINED;
        }
        jsbi_promise_reject(t, p, value);
        return JSV_UNDEFINED;
    }
    jsv r = jsop_create_iter_result(t, value, done);
    if (r == JSV_EXCEPTION) return r;
    jsbi_promise_fulfill_or_resolve(t, p, r);
    return JSV_UNDEFINED;
}

static jsv afs_continuation(js_thread *t, jsv result, jsv p, jsv iterator, int close_on_rejection)
{
    jsv dv = jsobj_get(t, JSV_OBJ(result), jskey_from_atom_id(t, JS_ATOM_done), result);
    if (dv == JSV_EXCEPTION) goto reject;
    int done = jsop_to_boolean(dv);
    jsv v = jsobj_get(t, JSV_OBJ(result), jskey_from_atom_id(t, JS_ATOM_value), result);
    if (v == JSV_EXCEPTION) goto reject;
    jsv w = jsbi_promise_resolve(t, v);
    if (w == JSV_EXCEPTION) {
        if (!done && close_on_rejection) {
            js_iter_record rec = { iterator, JSV_UNDEFINED, 0 };
            jsop_iterator_close(t, &rec, 1);
        }
        goto reject;
    }
    jsv items[4] = { p, jsv_from_bool(done), iterator, jsv_from_bool(close_on_rejection) };
    js_object *data = jsobj_new_array_from(t, 4, items);
    if (!data) return JSV_EXCEPTION;
    if (jsbi_promise_then_native(t, w, afs_cont, jsv_object(data)) < 0) return JSV_EXCEPTION;
    return p;
reject: {
        jsv e = jsvm_take_exception(t);
        jsbi_promise_reject(t, p, e);
        return p;
    }
}

static jsv afs_method(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    jsv p = jsbi_promise_new(t);
    if (p == JSV_EXCEPTION) return p;
    if (!jsv_is_object(this_val) || jsobj_class(JSV_OBJ(this_val)) != JS_CLASS_ASYNC_FROM_SYNC_ITERATOR)
        return jsvm_throw_type_error(t, "not an Async-from-Sync Iterator");
    js_afs_iter *a = (js_afs_iter *)JSV_OBJ(this_val);
    jsv result;
    if (magic == 0) {
        result = jsvm_call(t, a->next, a->iterator, argc > 0 ? 1 : 0, argv);
        if (result == JSV_EXCEPTION) goto reject;
        if (!jsv_is_object(result)) { jsvm_throw_type_error(t, "iterator result is not an object"); goto reject; }
        return afs_continuation(t, result, p, a->iterator, 1);
    }
    jsv m = jsop_get_method(t, a->iterator, jskey_from_atom_id(t, magic == 1 ? JS_ATOM_return : JS_ATOM_throw));
    if (m == JSV_EXCEPTION) goto reject;
    if (jsv_is_undefined(m)) {
        if (magic == 1) {
            jsv r = jsop_create_iter_result(t, JS_ARG(0), 1);
            if (r == JSV_EXCEPTION) goto reject;
            jsbi_promise_fulfill_or_resolve(t, p, r);
            return p;
        }
        js_iter_record rec = { a->iterator, a->next, 0 };
        if (jsop_iterator_close(t, &rec, 0) < 0) goto reject;
        jsvm_throw_type_error(t, "The iterator does not provide a 'throw' method");
        goto reject;
    }
    result = jsvm_call(t, m, a->iterator, argc > 0 ? 1 : 0, argv);
    if (result == JSV_EXCEPTION) goto reject;
    if (!jsv_is_object(result)) { jsvm_throw_type_error(t, "iterator result is not an object"); goto reject; }
    return afs_continuation(t, result, p, a->iterator, magic == 2);
reject: {
        jsv e = jsvm_take_exception(t);
        jsbi_promise_reject(t, p, e);
        return p;
    }
}

/* ---- realm set-up ---- */

static jsv dyn_fn_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_create_dynamic_function(t, magic, argc, argv, JSV_UNDEFINED);
}

static jsv dyn_fn_ctor(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    return jsvm_create_dynamic_function(t, magic, argc, argv, new_target);
}

static js_object *make_fn_proto(js_thread *t, js_realm *realm, int id, const char *tag)
{
    js_object *p = jsobj_new(t, realm->intrinsics[JS_INTR_FunctionPrototype], JS_CLASS_OBJECT);
    if (!p) return NULL;
    realm->intrinsics[id] = jsv_object(p);
    if (jsbi_set_tag(t, p, tag) < 0) return NULL;
    return p;
}

static js_object *make_dyn_ctor(js_thread *t, js_realm *realm, const char *name, int kind, js_object *fnproto, int id)
{
    js_key k = jskey_from_cstr(t, name);
    if (k == JSV_EXCEPTION) return NULL;
    js_object *c = jsfn_new_native_ctor(t, dyn_fn_call, dyn_fn_ctor, k, 1, kind);
    if (!c) return NULL;
    jsv fctor = realm->intrinsics[JS_INTR_Function];
    if (jsv_is_object(fctor) && jsobj_set_prototype_of(t, c, fctor, 0) < 0) return NULL;
    if (jsobj_define_value(t, c, jskey_from_atom_id(t, JS_ATOM_prototype), jsv_object(fnproto), 0) < 0) return NULL;
    if (jsobj_define_value(t, fnproto, jskey_from_atom_id(t, JS_ATOM_constructor), jsv_object(c), JS_PROP_CONFIGURABLE) < 0) return NULL;
    realm->intrinsics[id] = jsv_object(c);
    return c;
}

int jsbi_init_generator(js_thread *t, js_realm *realm)
{
    jsv iterproto = realm->intrinsics[JS_INTR_IteratorPrototype];
    jsv aiterproto = realm->intrinsics[JS_INTR_AsyncIteratorPrototype];
    if (!jsv_is_object(iterproto)) iterproto = realm->intrinsics[JS_INTR_ObjectPrototype];
    if (!jsv_is_object(aiterproto)) {
        js_object *ai = jsobj_new(t, realm->intrinsics[JS_INTR_ObjectPrototype], JS_CLASS_OBJECT);
        if (!ai) return -1;
        aiterproto = jsv_object(ai);
        realm->intrinsics[JS_INTR_AsyncIteratorPrototype] = aiterproto;
    }
    /* %GeneratorFunction.prototype% and %GeneratorPrototype% */
    js_object *gfp = make_fn_proto(t, realm, JS_INTR_GeneratorFunctionPrototype, "GeneratorFunction");
    if (!gfp) return -1;
    js_object *gp = jsobj_new(t, iterproto, JS_CLASS_OBJECT);
    if (!gp) return -1;
    realm->intrinsics[JS_INTR_GeneratorPrototype] = jsv_object(gp);
    if (jsobj_define_fn(t, gp, "next", gen_next, 1, JSVM_RESUME_NEXT) < 0 ||
        jsobj_define_fn(t, gp, "return", gen_next, 1, JSVM_RESUME_RETURN) < 0 ||
        jsobj_define_fn(t, gp, "throw", gen_next, 1, JSVM_RESUME_THROW) < 0 ||
        jsbi_set_tag(t, gp, "Generator") < 0)
        return -1;
    if (jsobj_define_value(t, gfp, jskey_from_atom_id(t, JS_ATOM_prototype), jsv_object(gp), JS_PROP_CONFIGURABLE) < 0) return -1;
    if (jsobj_define_value(t, gp, jskey_from_atom_id(t, JS_ATOM_constructor), jsv_object(gfp), JS_PROP_CONFIGURABLE) < 0) return -1;
    if (!make_dyn_ctor(t, realm, "GeneratorFunction", 1, gfp, JS_INTR_GeneratorFunction)) return -1;

    /* async generators */
    js_object *agfp = make_fn_proto(t, realm, JS_INTR_AsyncGeneratorFunctionPrototype, "AsyncGeneratorFunction");
    if (!agfp) return -1;
    js_object *agp = jsobj_new(t, aiterproto, JS_CLASS_OBJECT);
    if (!agp) return -1;
    realm->intrinsics[JS_INTR_AsyncGeneratorPrototype] = jsv_object(agp);
    if (jsobj_define_fn(t, agp, "next", ag_method, 1, JSVM_RESUME_NEXT) < 0 ||
        jsobj_define_fn(t, agp, "return", ag_method, 1, JSVM_RESUME_RETURN) < 0 ||
        jsobj_define_fn(t, agp, "throw", ag_method, 1, JSVM_RESUME_THROW) < 0 ||
        jsbi_set_tag(t, agp, "AsyncGenerator") < 0)
        return -1;
    if (jsobj_define_value(t, agfp, jskey_from_atom_id(t, JS_ATOM_prototype), jsv_object(agp), JS_PROP_CONFIGURABLE) < 0) return -1;
    if (jsobj_define_value(t, agp, jskey_from_atom_id(t, JS_ATOM_constructor), jsv_object(agfp), JS_PROP_CONFIGURABLE) < 0) return -1;
    if (!make_dyn_ctor(t, realm, "AsyncGeneratorFunction", 3, agfp, JS_INTR_AsyncGeneratorFunction)) return -1;

    /* async functions */
    js_object *afp = make_fn_proto(t, realm, JS_INTR_AsyncFunctionPrototype, "AsyncFunction");
    if (!afp) return -1;
    if (!make_dyn_ctor(t, realm, "AsyncFunction", 2, afp, JS_INTR_AsyncFunction)) return -1;

    /* %AsyncFromSyncIteratorPrototype% */
    js_object *afs = jsobj_new(t, aiterproto, JS_CLASS_OBJECT);
    if (!afs) return -1;
    realm->intrinsics[JS_INTR_AsyncFromSyncIteratorPrototype] = jsv_object(afs);
    if (jsobj_define_fn(t, afs, "next", afs_method, 1, 0) < 0 ||
        jsobj_define_fn(t, afs, "return", afs_method, 1, 1) < 0 ||
        jsobj_define_fn(t, afs, "throw", afs_method, 1, 2) < 0)
        return -1;
    return 0;
}
