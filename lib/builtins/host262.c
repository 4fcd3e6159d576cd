/*
 * host262.c - test262's host-defined object $262 (test262 INTERPRETING.md)
 * behind jse_install_test262_host, for the project's test hosts (jstest262,
 * jsrun --test262-host): createRealm, evalScript, detachArrayBuffer, gc,
 * global, IsHTMLDDA, AbstractModuleSource, and agent (agent262.c) on the
 * agent cluster of the thread's event loop (until jse_runtime_free). Host globals such as print stay with the
 * host. Must not touch buffer internals (arraybuffer.c detaches) nor the
 * cluster's fields (lib/threads).
 */
#include "builtins.h"
#include "../api/internal.h"
#include "../host/loop.h"

int jsbi_array_buffer_detach(js_thread *t, jsv buf, jsv key);
int jsbi_install_agent262(js_thread *t, js_object *dollar262);

static jse_value host_gc(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    jse_runtime_gc(jse_context_runtime(ctx));
    return jse_undefined();
}

/* evalScript(src): a global script in this realm; its completion value. */
static jse_value host_eval_script(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    size_t n;
    char *src = jse_to_utf8(ctx, argc > 0 ? argv[0] : jse_undefined(), &n);
    if (!src)
        return jse_exception();
    jse_value result;
    int rc = jse_eval(ctx, src, n, "evalScript", JSE_EVAL_SCRIPT, &result);
    jse_free_string(src);
    return rc == JSE_OK ? result : jse_exception();
}

/* createRealm(): a new realm with its own $262, same agent. Its context is
 * freed with the runtime (jse_runtime_free frees the contexts left). */
static jse_value host_create_realm(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    jse_context *c = jse_context_new(jse_context_runtime(ctx));
    if (!c)
        return jse_throw_error(ctx, "RangeError", "cannot create a realm (out of memory)");
    if (jse_install_test262_host(c, jseapi_thread(ctx)->can_block) < 0) {
        jse_value exc = jse_get_exception(c);
        jse_context_free(c);
        return jse_throw(ctx, exc);
    }
    return jse_get(c, jse_get_global(c), "$262");
}

/* detachArrayBuffer(buffer[, key]): DetachArrayBuffer, throwing as it does. */
static jse_value host_detach(jse_context *ctx, jse_value this_val, int argc, jse_value *argv, void *data)
{
    js_thread *t = jseapi_thread(ctx);
    if (jsbi_array_buffer_detach(t, argc > 0 ? argv[0] : JSV_UNDEFINED, argc > 1 ? argv[1] : JSV_UNDEFINED) < 0)
        return jse_exception();
    return jse_undefined();
}

/* [[IsHTMLDDA]]: callable, returns null for () and (""). */
static jsv htmldda_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return JSV_NULL;
}

int jse_install_test262_host(jse_context *ctx, int can_block)
{
    js_thread *t = jseapi_thread(ctx);
    /* The thread's agent: the first one makes it the main agent of the event
     * loop's private cluster (torn down, $262 agents included, by
     * jsloop_shutdown); realms made later share it. */
    if (!jsloop_agent(t)) {
        jse_throw_error(ctx, "RangeError", "cannot create an agent cluster (out of memory)");
        return JSE_EXCEPTION;
    }
    t->can_block = can_block != 0;

    jse_value global = jse_get_global(ctx);
    jse_value d = jse_new_object(ctx);
    if (jse_is_exception(d))
        return JSE_EXCEPTION;
    static const struct { const char *name; jse_native_fn fn; int len; } fns[] = {
        { "gc", host_gc, 0 },
        { "evalScript", host_eval_script, 1 },
        { "createRealm", host_create_realm, 0 },
        { "detachArrayBuffer", host_detach, 1 },
    };
    for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
        jse_value f = jse_new_function(ctx, fns[i].fn, fns[i].name, fns[i].len, NULL);
        if (jse_is_exception(f) || jse_set(ctx, d, fns[i].name, f) < 0)
            return JSE_EXCEPTION;
    }
    if (jse_set(ctx, d, "global", global) < 0)
        return JSE_EXCEPTION;
    if (jsbi_install_agent262(t, JSV_OBJ(d)) < 0)
        return JSE_EXCEPTION;
    /* IsHTMLDDA needs an object flag the public API does not offer. */
    js_object *dda = jsfn_new_native(t, htmldda_call, jskey_from_cstr(t, "IsHTMLDDA"), 0, 0);
    if (!dda)
        return JSE_EXCEPTION;
    dda->h.flags |= JS_OBJ_HTMLDDA;
    if (jse_set(ctx, d, "IsHTMLDDA", jsv_object(dda)) < 0)
        return JSE_EXCEPTION;
    /* %AbstractModuleSource% is an intrinsic without a global binding */
    jsv ams = jseapi_realm(ctx)->intrinsics[JS_INTR_AbstractModuleSource];
    if (jsv_is_object(ams) && jse_set(ctx, d, "AbstractModuleSource", ams) < 0)
        return JSE_EXCEPTION;
    /* INTERPRETING.md: "<module source>" names a module with a valid Module
     * Source (feature source-phase-imports-module-source) */
    if (jse_is_exception(jse_define_source_module(ctx, "<module source>", "TestModuleSource")))
        return JSE_EXCEPTION;
    return jse_define(ctx, global, "$262", d, JSE_PROP_WRITABLE | JSE_PROP_CONFIGURABLE);
}
