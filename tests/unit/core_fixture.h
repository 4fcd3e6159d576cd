/*
 * core_fixture.h - the Check fixture shared by the object and shape unit
 * tests: a runtime with one realm per test, and K() for property keys.
 * Included by one test program each; defines statics.
 */
#ifndef JSE_TESTS_CORE_FIXTURE_H
#define JSE_TESTS_CORE_FIXTURE_H

#include <check.h>
#include "core/runtime.h"

static js_runtime *rt;
static js_thread *t;

static void setup(void)
{
    js_runtime_options o = { 0 };
    rt = jsrt_new(&o);
    ck_assert_ptr_nonnull(rt);
    t = jsrt_thread(rt);
    ck_assert_ptr_nonnull(jsrt_realm_new(t));
    if (!t->realm)
        t->realm = rt->realms;
}

static void teardown(void)
{
    jsrt_free(rt);
    rt = NULL;
}

static js_key K(const char *s)
{
    js_key k = jskey_from_cstr(t, s);
    ck_assert(k != JSV_EXCEPTION);
    return k;
}

#endif
