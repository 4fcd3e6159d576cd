/*
 * test_shape.c - unit tests of hidden classes (lib/core/shape.c) through the
 * object layer: shared transitions, dictionary mode, lookup, prototype change,
 * survival across collections. Touches only internal headers.
 */
#include <check.h>
#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include "core/runtime.h"
#include "vm/vm.h"

#include "core_fixture.h"

static js_object *plain(void)
{
    js_object *o = jsobj_new(t, JSV_NULL, JS_CLASS_OBJECT);
    ck_assert_ptr_nonnull(o);
    return o;
}

static void put(js_object *o, const char *name, int v)
{
    ck_assert_int_eq(jsobj_set(t, o, K(name), jsv_from_int(v), jsv_object(o), JS_THROW), 1);
}

static int get_int(js_object *o, const char *name)
{
    jsv v = jsobj_get(t, o, K(name), jsv_object(o));
    ck_assert(jsv_is_int(v));
    return jsv_get_int(v);
}

START_TEST(test_shared_transitions)
{
    js_object *a = plain(), *b = plain(), *c = plain();
    ck_assert_ptr_eq(a->shape, b->shape);
    put(a, "x", 1); put(a, "y", 2);
    put(b, "x", 3); put(b, "y", 4);
    put(c, "y", 5); put(c, "x", 6);
    ck_assert_ptr_eq(a->shape, b->shape);
    ck_assert_ptr_ne(a->shape, c->shape);
    ck_assert(!(a->shape->h.flags & JS_SHAPE_DICT));
    ck_assert_int_eq(a->shape->count, 2);
    ck_assert_int_eq(get_int(b, "y"), 4);
    ck_assert_int_eq(get_int(c, "x"), 6);
    /* Same key, different attributes: a different child. */
    js_object *d = plain();
    ck_assert_int_eq(jsobj_define_value(t, d, K("x"), jsv_from_int(0), JS_PROP_WRITABLE), 0);
    ck_assert_ptr_ne(d->shape, a->shape->parent);
    /* Objects of another prototype start from another root. */
    js_object *e = jsobj_new(t, jsv_object(a), JS_CLASS_OBJECT);
    ck_assert_ptr_ne(e->shape, plain()->shape);
    ck_assert_ptr_eq(jsshape_initial(t, jsv_object(a)), e->shape);
    ck_assert_ptr_eq(jsshape_initial(t, JSV_NULL), plain()->shape);
}
END_TEST

START_TEST(test_dict_on_delete_keeps_order)
{
    js_object *o = plain();
    js_keylist l = { 0 };
    const char *names[] = { "a", "b", "c", "d", "e" };
    for (int i = 0; i < 5; i++)
        put(o, names[i], i);
    ck_assert_int_eq(jsobj_delete(t, o, K("b"), 0), 1);
    ck_assert(o->shape->h.flags & JS_SHAPE_DICT);
    put(o, "b", 10);
    put(o, "f", 11);
    ck_assert_int_eq(jsobj_own_keys(t, o, &l), 0);
    ck_assert_int_eq(l.count, 6);
    const char *want[] = { "a", "c", "d", "e", "b", "f" };
    for (int i = 0; i < 6; i++)
        ck_assert(l.keys[i] == K(want[i]));
    jskeylist_free(rt, &l);
    ck_assert_int_eq(get_int(o, "b"), 10);
    ck_assert_int_eq(get_int(o, "e"), 4);
    ck_assert(jsv_is_undefined(jsobj_get(t, o, K("zz"), jsv_object(o))));
}
END_TEST

START_TEST(test_many_properties)
{
    js_object *o = plain(), *p = plain();
    char buf[32];
    for (int i = 0; i < 200; i++) {
        snprintf(buf, sizeof buf, "p%d", i);
        put(o, buf, i);
        if (i < 20)
            put(p, buf, i);
    }
    ck_assert(o->shape->h.flags & JS_SHAPE_DICT);
    ck_assert(!(p->shape->h.flags & JS_SHAPE_DICT));   /* hashed but shared */
    ck_assert_ptr_nonnull(p->shape->hash);
    for (int i = 0; i < 200; i++) {
        snprintf(buf, sizeof buf, "p%d", i);
        ck_assert_int_eq(get_int(o, buf), i);
        if (i < 20)
            ck_assert_int_eq(get_int(p, buf), i);
    }
    /* Delete most of them: compaction must keep the rest intact. */
    for (int i = 0; i < 200; i += 1) {
        if (i % 7 == 0)
            continue;
        snprintf(buf, sizeof buf, "p%d", i);
        ck_assert_int_eq(jsobj_delete(t, o, K(buf), 0), 1);
    }
    for (int i = 0; i < 200; i++) {
        snprintf(buf, sizeof buf, "p%d", i);
        jsv v = jsobj_get(t, o, K(buf), jsv_object(o));
        if (i % 7 == 0)
            ck_assert(v == jsv_from_int(i));
        else
            ck_assert(jsv_is_undefined(v));
    }
    js_keylist l = { 0 };
    ck_assert_int_eq(jsobj_own_keys(t, o, &l), 0);
    ck_assert_int_eq(l.count, 29);
    ck_assert(l.keys[1] == K("p7"));
    jskeylist_free(rt, &l);
}
END_TEST

START_TEST(test_proto_change)
{
    js_object *p1 = plain(), *p2 = plain(), *o = jsobj_new(t, jsv_object(p1), JS_CLASS_OBJECT);
    put(p2, "inherited", 42);
    put(o, "own", 1);
    ck_assert_int_eq(jsobj_set_prototype_of(t, o, jsv_object(p2), JS_THROW), 1);
    ck_assert(!(o->shape->h.flags & JS_SHAPE_DICT));
    ck_assert_int_eq(get_int(o, "own"), 1);
    ck_assert_int_eq(get_int(o, "inherited"), 42);
    /* A cycle is refused. */
    ck_assert_int_eq(jsobj_set_prototype_of(t, p2, jsv_object(o), 0), 0);
    jsv pr;
    ck_assert_int_eq(jsobj_get_prototype_of(t, o, &pr), 0);
    ck_assert(pr == jsv_object(p2));
}
END_TEST

__attribute__((noinline)) static void scrub(void)
{
    volatile char buf[16384];
    memset((char *)buf, 0, sizeof buf);
}

__attribute__((noinline)) static void make_garbage(int n)
{
    char buf[32];
    for (int i = 0; i < n; i++) {
        js_object *o = plain();
        snprintf(buf, sizeof buf, "g%d", i % 50);
        put(o, buf, i);
        put(o, "tail", i);
    }
}

START_TEST(test_survives_gc)
{
    js_object *volatile o = plain();
    js_object *volatile d = plain();
    char buf[32];
    for (int i = 0; i < 100; i++) {
        snprintf(buf, sizeof buf, "k%d", i);
        put(d, buf, i);
    }
    put(o, "x", 1);
    put(o, "y", 2);
    make_garbage(2000);
    scrub();
    jsgc_collect(rt);
    make_garbage(100);
    ck_assert_int_eq(get_int(o, "y"), 2);
    for (int i = 0; i < 100; i++) {
        snprintf(buf, sizeof buf, "k%d", i);
        ck_assert_int_eq(get_int(d, buf), i);
    }
    jsgc_collect(rt);
    js_object *n = plain();
    put(n, "x", 5);
    put(n, "y", 6);
    ck_assert_ptr_eq(n->shape, o->shape);
}
END_TEST

/* Shapes of one chain share a property table; a shape must not see the keys
 * its descendants appended, and a branch must not disturb its siblings. */
START_TEST(test_shared_tables_and_branches)
{
    js_object *full = plain(), *prefix = plain(), *branch = plain();
    char buf[32];
    for (int i = 0; i < 40; i++) {
        snprintf(buf, sizeof buf, "f%d", i);
        put(full, buf, i);
        if (i < 12)
            put(prefix, buf, i);
        if (i < 10)
            put(branch, buf, -i);
    }
    put(branch, "other", 99);
    put(branch, "f11", 5);
    /* Tables grow by copying at powers of two: 12 and 14 keys share one. */
    js_object *mid = plain();
    for (int i = 0; i < 14; i++) {
        snprintf(buf, sizeof buf, "f%d", i);
        put(mid, buf, i);
    }
    ck_assert_ptr_eq(prefix->shape->props, mid->shape->props);
    ck_assert_ptr_ne(branch->shape->props, mid->shape->props);
    for (int i = 0; i < 40; i++) {
        snprintf(buf, sizeof buf, "f%d", i);
        ck_assert_int_eq(get_int(full, buf), i);
        jsv v = jsobj_get(t, prefix, K(buf), jsv_object(prefix));
        if (i < 12)
            ck_assert(v == jsv_from_int(i));
        else
            ck_assert(jsv_is_undefined(v));
        v = jsobj_get(t, branch, K(buf), jsv_object(branch));
        if (i < 10)
            ck_assert(v == jsv_from_int(-i));
        else if (i == 11)
            ck_assert(v == jsv_from_int(5));
        else
            ck_assert(jsv_is_undefined(v));
    }
    ck_assert(jsv_is_undefined(jsobj_get(t, full, K("other"), jsv_object(full))));
    ck_assert_int_eq(get_int(branch, "other"), 99);
    /* Short prefixes (linear scan) too. */
    js_object *two = plain();
    put(two, "f0", 1);
    put(two, "f1", 2);
    ck_assert(jsv_is_undefined(jsobj_get(t, two, K("f2"), jsv_object(two))));
}
END_TEST

static Suite *shape_suite(void)
{
    Suite *s = suite_create("shape");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_shared_transitions);
    tcase_add_test(tc, test_dict_on_delete_keeps_order);
    tcase_add_test(tc, test_many_properties);
    tcase_add_test(tc, test_proto_change);
    tcase_add_test(tc, test_survives_gc);
    tcase_add_test(tc, test_shared_tables_and_branches);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return jsetest_run(shape_suite());
}
