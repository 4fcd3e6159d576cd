/*
 * internal.h - bridges from public API handles to engine internals, for the
 * project's own tools that need more than the public API (jstest262's $262:
 * IsHTMLDDA, DetachArrayBuffer, [[CanBlock]]). Not installed.
 */
#ifndef JSE_API_INTERNAL_H
#define JSE_API_INTERNAL_H

#include <jsengine.h>
#include "../core/runtime.h"

/* The calling thread's execution state for the context's runtime. */
js_thread *jseapi_thread(jse_context *ctx);
/* The realm behind a context. */
js_realm *jseapi_realm(jse_context *ctx);

#endif
