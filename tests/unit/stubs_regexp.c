/*
 * stubs_regexp.c - minimal stand-ins for what lib/regexp uses from the rest of
 * the engine (accounted malloc, the interrupt poll), so test_regexp exercises
 * the RegExp engine alone. Used only by test_regexp; never linked into the library.
 */
#include <stdlib.h>
#include "core/runtime.h"
#include "vm/vm.h"

/* Polls until the matcher gives up; tests set these to exercise aborts. */
int stub_poll_count;
int stub_poll_fail_after = -1;
size_t stub_malloc_limit;
size_t stub_malloc_used;

void *jsgc_malloc(js_thread *t, size_t size)
{
    if (stub_malloc_limit && stub_malloc_used + size > stub_malloc_limit) {
        t->has_exception = 1;
        return NULL;
    }
    stub_malloc_used += size;
    return malloc(size ? size : 1);
}

void *jsgc_realloc(js_thread *t, void *p, size_t old_size, size_t new_size)
{
    if (stub_malloc_limit && stub_malloc_used - old_size + new_size > stub_malloc_limit) {
        t->has_exception = 1;
        return NULL;
    }
    void *q = realloc(p, new_size ? new_size : 1);
    if (q) stub_malloc_used = stub_malloc_used - old_size + new_size;
    return q;
}

void jsgc_free(js_runtime *rt, void *p, size_t size)
{
    stub_malloc_used -= size;
    free(p);
}

int jsvm_poll_interrupt(js_thread *t)
{
    stub_poll_count++;
    if (stub_poll_fail_after >= 0 && stub_poll_count > stub_poll_fail_after) {
        t->has_exception = 1;
        return -1;
    }
    return 0;
}
