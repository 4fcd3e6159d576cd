/*
 * stubs_numbers.c - minimal stand-ins for the heap, the error thrower and
 * string creation so test_bigint can exercise bigint.c alone (no runtime).
 * Used only by the numbers unit tests; never linked into the library.
 */
#include <stdlib.h>
#include <string.h>
#include <stdarg.h>
#include <stdio.h>
#include "core/runtime.h"
#include "vm/vm.h"

/* The last error thrown, for tests to inspect. */
int stub_last_error_kind = -1;
char stub_last_error_msg[256];

void *jsgc_alloc(js_thread *t, size_t size, unsigned type)
{
    js_cell *c = calloc(1, size);
    if (c) c->type = (uint8_t)type;
    return c;
}

void *jsgc_malloc(js_thread *t, size_t size) { return malloc(size ? size : 1); }
void jsgc_free(js_runtime *rt, void *p, size_t size) { free(p); }

jsv jsvm_throw_error(js_thread *t, int kind, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(stub_last_error_msg, sizeof stub_last_error_msg, fmt, ap);
    va_end(ap);
    stub_last_error_kind = kind;
    if (t) t->has_exception = 1;
    return JSV_EXCEPTION;
}

js_string *jsstr_new_latin1(js_thread *t, const uint8_t *s, size_t len)
{
    js_string *str = calloc(1, sizeof *str + len + 1);
    if (!str) return NULL;
    uint8_t *data = (uint8_t *)(str + 1);
    memcpy(data, s, len);
    str->h.type = JS_CELL_STRING;
    str->len = (uint32_t)len;
    str->u.c8 = data;
    return str;
}
