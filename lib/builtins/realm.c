/*
 * realm.c - fills a new realm: runs every builtins module's initializer in
 * dependency order (Object and Function prototypes first), plus the shared
 * helpers of builtins.h. Owns no intrinsic itself.
 *
 * Initializers are weak references while the library is brought up module by
 * module: a module not linked yet is skipped.
 */
#include "builtins.h"

int jsbi_init_object(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_function(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_error(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_symbol(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_boolean(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_number(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_math(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_global(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_reflect(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_json(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_array(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_string(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_iterator(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_collection(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_weakref(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_promise(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_proxy(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_bigint(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_date(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_regexp(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_arraybuffer(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_typedarray(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_dataview(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_atomics(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_disposable(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_shadowrealm(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_temporal(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_generator(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_structuredclone(js_thread *t, js_realm *realm) __attribute__((weak));
int jsbi_init_modulesource(js_thread *t, js_realm *realm) __attribute__((weak));

typedef int (*jsbi_init_fn)(js_thread *t, js_realm *realm);

int jsbi_init_realm(js_thread *t, js_realm *realm)
{
    jsbi_init_fn inits[] = {
    jsbi_init_object,
    jsbi_init_function,
    jsbi_init_error,
    jsbi_init_symbol,
    jsbi_init_boolean,
    jsbi_init_number,
    jsbi_init_math,
    jsbi_init_global,
    jsbi_init_reflect,
    jsbi_init_json,
    jsbi_init_array,
    jsbi_init_string,
    jsbi_init_iterator,
    jsbi_init_collection,
    jsbi_init_weakref,
    jsbi_init_promise,
    jsbi_init_proxy,
    jsbi_init_bigint,
    jsbi_init_date,
    jsbi_init_regexp,
    jsbi_init_arraybuffer,
    jsbi_init_typedarray,
    jsbi_init_dataview,
    jsbi_init_atomics,
    jsbi_init_disposable,
    jsbi_init_shadowrealm,
    jsbi_init_temporal,
    jsbi_init_generator,
    jsbi_init_structuredclone,
    jsbi_init_modulesource,
    };
    js_realm *saved = t->realm;
    t->realm = realm;
    for (size_t i = 0; i < sizeof inits / sizeof inits[0]; i++) {
        if (inits[i] && inits[i](t, realm) < 0) {
            t->realm = saved;
            return -1;
        }
    }
    t->realm = saved;
    return 0;
}
