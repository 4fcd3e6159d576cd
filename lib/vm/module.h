/*
 * module.h - ECMAScript modules (module.c): Source Text Module Records, the
 * host loader hook, linking, evaluation (incl. top-level await), namespaces,
 * import.meta and dynamic import(). Private to lib/vm; the public entry points
 * are jsvm_eval_module (vm.h) and the weak hooks interp_aux.c calls.
 */
#ifndef JSE_VM_MODULE_H
#define JSE_VM_MODULE_H

#include "function.h"

/* Host loader: js_runtime.module_loader may point to one of these (owned by
 * the embedder); NULL means the default, which reads files. `resolve` returns
 * a malloc-ed canonical name for `specifier` imported from `referrer` (a name
 * it returned before, or the file name given to jsvm_eval_module); `load`
 * returns the malloc-ed source text (*len bytes). Both return NULL with a
 * message in err on failure. */
typedef struct jsvm_module_loader {
    char *(*resolve)(void *ud, const char *referrer, const char *specifier, char *err, size_t errlen);
    char *(*load)(void *ud, const char *name, size_t *len, char *err, size_t errlen);
    void *ud;
} jsvm_module_loader;

/* JSVM_EVAL_PARSE_ONLY for module source: parse and early errors only. */
jsv jsvm_parse_module_only(js_thread *t, const char *src, size_t len, const char *filename);
jsv jsvm_dynamic_import(js_thread *t, jsv referrer, jsv specifier, jsv options);
/* phase 1: import.defer() (fulfills with the deferred namespace); 2:
 * import.source() (fulfills with the module's [[ModuleSource]]) */
jsv jsvm_dynamic_import_phase(js_thread *t, jsv referrer, jsv specifier, jsv options, int phase);

/* import.meta of the module whose code `bc` belongs to. */
jsv jsvm_module_import_meta(js_thread *t, js_function_bc *bc);

#endif
