/*
 * test_object.c - unit tests of objects and their internal methods
 * (lib/core/object.c, array.c, object_wrap.c, function.c) and of the abstract
 * operations (lib/vm/ops.c): attributes, arrays and length, own-key order,
 * natives and bound functions, conversions and equality tables.
 */
#include <check.h>
#include "check_main.h"
#include <stdio.h>
#include <stdlib.h>
#include "core/runtime.h"
#include "vm/vm.h"
#include "core/bigint.h"

#include "core_fixture.h"

static jsv S(const char *s)
{
    js_string *str = jsstr_new_utf8(t, s, strlen(s));
    ck_assert_ptr_nonnull(str);
    return jsv_string(str);
}

static int str_is(jsv v, const char *s)
{
    return jsv_is_string(v) && jsstr_equal_cstr(JSV_STR(v), s);
}

/* The pending exception is a TypeError/RangeError... whose message contains `part`. */
static void expect_exception(const char *part)
{
    ck_assert(t->has_exception);
    jsv e = jsvm_take_exception(t);
    if (part && jsv_is_object(e)) {
        jsv m = jsobj_get(t, JSV_OBJ(e), K("message"), e);
        ck_assert(jsv_is_string(m));
        char *u = jsstr_to_utf8(JSV_STR(m), NULL);
        ck_assert_msg(strstr(u, part) != NULL, "message '%s' lacks '%s'", u, part);
        free(u);
    }
}

static js_object *plain(void)
{
    js_object *o = jsobj_new_plain(t);
    ck_assert_ptr_nonnull(o);
    return o;
}

static js_propdesc data_desc(jsv v, unsigned attrs)
{
    js_propdesc d;
    d.flags = attrs | JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE | JS_DESC_HAS_ENUMERABLE | JS_DESC_HAS_CONFIGURABLE;
    d.value = v;
    d.getter = d.setter = JSV_UNDEFINED;
    return d;
}

/* ---------------------------------------------------------------- natives used by tests */

static jsv fn_sum(js_thread *th, jsv this_val, int argc, jsv *argv, int magic)
{
    double s = magic;
    for (int i = 0; i < argc; i++)
        s += jsv_get_number(argv[i]);
    return jsv_number(s);
}

static jsv fn_this(js_thread *th, jsv this_val, int argc, jsv *argv, int magic)
{
    return this_val;
}

static jsv fn_store(js_thread *th, jsv this_val, int argc, jsv *argv, int magic)
{
    if (jsobj_set(th, JSV_OBJ(this_val), jskey_from_cstr(th, "_x"), argc ? argv[0] : JSV_UNDEFINED, this_val, 0) < 0)
        return JSV_EXCEPTION;
    return JSV_UNDEFINED;
}

static jsv ctor_make(js_thread *th, jsv nt, int argc, jsv *argv, int magic)
{
    js_object *o = jsobj_new_from_ctor(th, nt, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
    return o ? jsv_object(o) : JSV_EXCEPTION;
}

/* ---------------------------------------------------------------- attributes */

START_TEST(test_define_get_set_delete)
{
    js_object *o = plain();
    js_propdesc d = data_desc(jsv_from_int(1), 0), out;

    ck_assert_int_eq(jsobj_define_own_property(t, o, K("ro"), &d, JS_THROW), 1);
    ck_assert_int_eq(jsobj_get_own_property(t, o, K("ro"), &out), 1);
    ck_assert(!(out.flags & (JS_PROP_WRITABLE | JS_PROP_ENUMERABLE | JS_PROP_CONFIGURABLE)));
    ck_assert(out.value == jsv_from_int(1));
    /* Non-writable: [[Set]] is false; with JS_THROW a TypeError. */
    ck_assert_int_eq(jsobj_set(t, o, K("ro"), jsv_from_int(2), jsv_object(o), 0), 0);
    ck_assert_int_eq(jsobj_set(t, o, K("ro"), jsv_from_int(2), jsv_object(o), JS_THROW), -1);
    expect_exception("ro");
    /* Non-configurable: no delete, no redefinition with another value, same value fine. */
    ck_assert_int_eq(jsobj_delete(t, o, K("ro"), 0), 0);
    d = data_desc(jsv_from_int(3), 0);
    ck_assert_int_eq(jsobj_define_own_property(t, o, K("ro"), &d, 0), 0);
    d = data_desc(jsv_from_int(1), 0);
    ck_assert_int_eq(jsobj_define_own_property(t, o, K("ro"), &d, 0), 1);
    d = data_desc(jsv_from_int(1), JS_PROP_ENUMERABLE);
    ck_assert_int_eq(jsobj_define_own_property(t, o, K("ro"), &d, JS_THROW), -1);
    expect_exception("Cannot redefine property: ro");

    /* Partial descriptor on a configurable property keeps the other fields. */
    ck_assert_int_eq(jsobj_set(t, o, K("w"), jsv_from_int(5), jsv_object(o), JS_THROW), 1);
    js_propdesc p = { JS_DESC_HAS_ENUMERABLE, JSV_UNDEFINED, JSV_UNDEFINED, JSV_UNDEFINED };
    ck_assert_int_eq(jsobj_define_own_property(t, o, K("w"), &p, JS_THROW), 1);
    ck_assert_int_eq(jsobj_get_own_property(t, o, K("w"), &out), 1);
    ck_assert((out.flags & JS_PROP_C_W_E) == JS_PROP_C_W);
    ck_assert(out.value == jsv_from_int(5));
    ck_assert_int_eq(jsobj_delete(t, o, K("w"), JS_THROW), 1);
    ck_assert_int_eq(jsobj_has_property(t, o, K("w")), 0);

    /* Inherited non-writable blocks assignment; inherited writable does not. */
    js_object *child = jsobj_new(t, jsv_object(o), JS_CLASS_OBJECT);
    ck_assert_int_eq(jsobj_set(t, child, K("ro"), jsv_from_int(9), jsv_object(child), 0), 0);
    ck_assert_int_eq(jsobj_has_own_property(t, child, K("ro")), 0);
    ck_assert_int_eq(jsobj_set(t, o, K("pw"), jsv_from_int(7), jsv_object(o), 0), 1);
    ck_assert_int_eq(jsobj_set(t, child, K("pw"), jsv_from_int(8), jsv_object(child), 0), 1);
    ck_assert(jsobj_get(t, o, K("pw"), jsv_object(o)) == jsv_from_int(7));
    ck_assert(jsobj_get(t, child, K("pw"), jsv_object(child)) == jsv_from_int(8));

    /* Non-extensible: no new properties (named or indexed), existing ones still writable. */
    ck_assert_int_eq(jsobj_prevent_extensions(t, child, 0), 1);
    ck_assert_int_eq(jsobj_set(t, child, K("new"), jsv_from_int(1), jsv_object(child), 0), 0);
    ck_assert_int_eq(jsobj_set(t, child, jskey_from_index(0), jsv_from_int(1), jsv_object(child), 0), 0);
    ck_assert_int_eq(jsobj_set(t, child, K("pw"), jsv_from_int(10), jsv_object(child), 0), 1);
    ck_assert_int_eq(jsobj_set_prototype_of(t, child, JSV_NULL, 0), 0);
}
END_TEST

START_TEST(test_accessors)
{
    js_object *o = plain();
    js_object *g = jsfn_new_native(t, fn_this, K("g"), 0, 0);
    js_object *s = jsfn_new_native(t, fn_store, K("s"), 1, 0);
    js_propdesc d = { JS_DESC_HAS_GET | JS_DESC_HAS_SET | JS_DESC_HAS_CONFIGURABLE | JS_PROP_CONFIGURABLE,
                      JSV_UNDEFINED, jsv_object(g), jsv_object(s) }, out;

    ck_assert_int_eq(jsobj_define_own_property(t, o, K("acc"), &d, JS_THROW), 1);
    ck_assert(jsobj_get(t, o, K("acc"), jsv_object(o)) == jsv_object(o));
    /* Receiver is passed through from a derived object. */
    js_object *child = jsobj_new(t, jsv_object(o), JS_CLASS_OBJECT);
    ck_assert(jsobj_get(t, child, K("acc"), jsv_object(child)) == jsv_object(child));
    ck_assert_int_eq(jsobj_set(t, child, K("acc"), jsv_from_int(4), jsv_object(child), JS_THROW), 1);
    ck_assert(jsobj_get(t, child, K("_x"), jsv_object(child)) == jsv_from_int(4));
    ck_assert_int_eq(jsobj_has_own_property(t, o, K("_x")), 0);
    ck_assert_int_eq(jsobj_get_own_property(t, o, K("acc"), &out), 1);
    ck_assert(out.flags & JS_DESC_HAS_GET);
    ck_assert(!(out.flags & JS_DESC_HAS_VALUE));
    ck_assert(out.getter == jsv_object(g));
    /* Accessor -> data keeps configurable/enumerable. */
    js_propdesc dd = { JS_DESC_HAS_VALUE, jsv_from_int(3), JSV_UNDEFINED, JSV_UNDEFINED };
    ck_assert_int_eq(jsobj_define_own_property(t, o, K("acc"), &dd, JS_THROW), 1);
    ck_assert_int_eq(jsobj_get_own_property(t, o, K("acc"), &out), 1);
    ck_assert((out.flags & JS_PROP_C_W_E) == JS_PROP_CONFIGURABLE);
    ck_assert(out.value == jsv_from_int(3));
    /* Setter-less accessor: [[Set]] false. */
    js_propdesc go = { JS_DESC_HAS_GET, JSV_UNDEFINED, jsv_object(g), JSV_UNDEFINED };
    ck_assert_int_eq(jsobj_define_own_property(t, o, K("only"), &go, JS_THROW), 1);
    ck_assert_int_eq(jsobj_set(t, o, K("only"), jsv_from_int(1), jsv_object(o), 0), 0);
}
END_TEST

START_TEST(test_own_keys_order)
{
    js_object *o = plain();
    js_keylist l = { 0 };
    js_symbol *sym = jssym_new(t, JSV_UNDEFINED);
    ck_assert_int_eq(jsobj_set(t, o, K("b"), JSV_TRUE, jsv_object(o), 0), 1);
    ck_assert_int_eq(jsobj_set(t, o, jsv_symbol(sym), JSV_TRUE, jsv_object(o), 0), 1);
    ck_assert_int_eq(jsobj_set(t, o, jskey_from_index(2), JSV_TRUE, jsv_object(o), 0), 1);
    ck_assert_int_eq(jsobj_set(t, o, K("a"), JSV_TRUE, jsv_object(o), 0), 1);
    ck_assert_int_eq(jsobj_set(t, o, jskey_from_index(0), JSV_TRUE, jsv_object(o), 0), 1);
    /* Far out index: sparse storage, still sorted. */
    ck_assert_int_eq(jsobj_set(t, o, jskey_from_index(100000), JSV_TRUE, jsv_object(o), 0), 1);
    ck_assert(o->h.flags & JS_OBJ_SPARSE);
    ck_assert_int_eq(jsobj_set(t, o, jskey_from_index(1), JSV_TRUE, jsv_object(o), 0), 1);
    ck_assert_int_eq(jsobj_own_keys(t, o, &l), 0);
    ck_assert_int_eq(l.count, 7);
    ck_assert(l.keys[0] == jskey_from_index(0));
    ck_assert(l.keys[1] == jskey_from_index(1));
    ck_assert(l.keys[2] == jskey_from_index(2));
    ck_assert(l.keys[3] == jskey_from_index(100000));
    ck_assert(l.keys[4] == K("b"));
    ck_assert(l.keys[5] == K("a"));
    ck_assert(l.keys[6] == jsv_symbol(sym));
    jskeylist_free(rt, &l);
}
END_TEST

/* ---------------------------------------------------------------- arrays */

static uint32_t alen(js_object *a)
{
    jsv v = jsobj_get(t, a, K("length"), jsv_object(a));
    ck_assert(jsv_is_number(v));
    return (uint32_t)jsv_get_number(v);
}

START_TEST(test_array_length)
{
    js_object *a = jsobj_new_array(t, 0);
    js_propdesc d, out;
    for (int i = 0; i < 10; i++)
        ck_assert_int_eq(jsarray_push(t, a, jsv_from_int(i)), 0);
    ck_assert_uint_eq(alen(a), 10);
    ck_assert_int_eq(jsobj_is_array(t, jsv_object(a)), 1);
    ck_assert_int_eq(jsobj_is_array(t, jsv_object(plain())), 0);

    /* Assignment through [[Set]] truncates. */
    ck_assert_int_eq(jsobj_set(t, a, K("length"), jsv_from_int(5), jsv_object(a), JS_THROW), 1);
    ck_assert_uint_eq(alen(a), 5);
    ck_assert_int_eq(jsobj_has_property(t, a, jskey_from_index(5)), 0);
    ck_assert(jsobj_get_index(t, a, 4) == jsv_from_int(4));

    /* Writing past the end grows it. */
    ck_assert_int_eq(jsobj_set_index(t, a, 7, JSV_TRUE, JS_THROW), 1);
    ck_assert_uint_eq(alen(a), 8);
    ck_assert_int_eq(jsobj_has_property(t, a, jskey_from_index(6)), 0);

    /* A non-configurable element stops truncation. */
    d = data_desc(jsv_from_int(33), JS_PROP_WRITABLE | JS_PROP_ENUMERABLE);
    ck_assert_int_eq(jsobj_define_own_property(t, a, jskey_from_index(3), &d, JS_THROW), 1);
    ck_assert(a->h.flags & JS_OBJ_SPARSE);
    js_propdesc ld = { JS_DESC_HAS_VALUE, jsv_from_int(0), JSV_UNDEFINED, JSV_UNDEFINED };
    ck_assert_int_eq(jsobj_define_own_property(t, a, K("length"), &ld, 0), 0);
    ck_assert_uint_eq(alen(a), 4);
    ck_assert(jsobj_get_index(t, a, 3) == jsv_from_int(33));
    ck_assert_int_eq(jsobj_has_property(t, a, jskey_from_index(7)), 0);
    ck_assert(jsobj_get_index(t, a, 2) == jsv_from_int(2));

    /* length: non-writable after truncation, and then no growth. */
    ld.flags = JS_DESC_HAS_VALUE | JS_DESC_HAS_WRITABLE;
    ld.value = jsv_from_int(1);
    ck_assert_int_eq(jsobj_define_own_property(t, a, K("length"), &ld, 0), 0);   /* 3 refuses */
    ck_assert_int_eq(jsobj_get_own_property(t, a, K("length"), &out), 1);
    ck_assert(!(out.flags & JS_PROP_WRITABLE));
    ck_assert(out.value == jsv_from_int(4));
    ck_assert_int_eq(jsobj_set_index(t, a, 10, JSV_TRUE, 0), 0);
    ck_assert_int_eq(jsobj_set_index(t, a, 0, JSV_TRUE, 0), 1);
    ck_assert_int_eq(jsarray_push(t, a, JSV_TRUE), -1);
    expect_exception(NULL);
    ck_assert_uint_eq(alen(a), 4);

    /* Invalid lengths. */
    js_object *b = jsobj_new_array(t, 3);
    ck_assert_uint_eq(alen(b), 3);
    ck_assert_int_eq(jsobj_has_property(t, b, jskey_from_index(0)), 0);
    ck_assert_int_eq(jsobj_set(t, b, K("length"), jsv_from_double(1.5), jsv_object(b), 0), -1);
    expect_exception("Invalid array length");
    ck_assert_int_eq(jsobj_set(t, b, K("length"), jsv_from_int(-1), jsv_object(b), 0), -1);
    expect_exception(NULL);
    ck_assert_int_eq(jsobj_set(t, b, K("length"), S("2"), jsv_object(b), 0), 1);
    ck_assert_uint_eq(alen(b), 2);
    /* Huge index: sparse, length follows. */
    ck_assert_int_eq(jsobj_set_index(t, b, 4000000000u, JSV_TRUE, 0), 1);
    ck_assert_uint_eq(alen(b), 4000000001u);
    ck_assert_int_eq(jsobj_set(t, b, K("length"), jsv_from_int(0), jsv_object(b), 0), 1);
    ck_assert_int_eq(jsobj_has_property(t, b, jskey_from_index(4000000000u)), 0);

    /* Array own keys: indices, length, then names. */
    js_object *c = jsobj_new_array(t, 0);
    js_keylist l = { 0 };
    ck_assert_int_eq(jsobj_set(t, c, K("x"), JSV_TRUE, jsv_object(c), 0), 1);
    ck_assert_int_eq(jsarray_push(t, c, JSV_TRUE), 0);
    ck_assert_int_eq(jsobj_own_keys(t, c, &l), 0);
    ck_assert_int_eq(l.count, 3);
    ck_assert(l.keys[0] == jskey_from_index(0));
    ck_assert(l.keys[1] == K("length"));
    ck_assert(l.keys[2] == K("x"));
    jskeylist_free(rt, &l);
}
END_TEST

START_TEST(test_frozen_array)
{
    js_object *a = jsobj_new_array(t, 0);
    js_keylist l = { 0 };
    js_propdesc d = { JS_DESC_HAS_CONFIGURABLE | JS_DESC_HAS_WRITABLE, JSV_UNDEFINED, JSV_UNDEFINED, JSV_UNDEFINED };
    for (int i = 0; i < 100; i++)
        ck_assert_int_eq(jsarray_push(t, a, jsv_from_int(i)), 0);
    /* Object.freeze, by hand. */
    ck_assert_int_eq(jsobj_prevent_extensions(t, a, JS_THROW), 1);
    ck_assert_int_eq(jsobj_own_keys(t, a, &l), 0);
    for (uint32_t i = 0; i < l.count; i++)
        ck_assert_int_eq(jsobj_define_own_property(t, a, l.keys[i], &d, JS_THROW), 1);
    jskeylist_free(rt, &l);
    ck_assert_int_eq(jsobj_set_index(t, a, 5, JSV_TRUE, 0), 0);
    ck_assert(jsobj_get_index(t, a, 5) == jsv_from_int(5));
    ck_assert_int_eq(jsarray_push(t, a, JSV_TRUE), -1);
    expect_exception(NULL);
    ck_assert_int_eq(jsobj_delete(t, a, jskey_from_index(99), 0), 0);
    ck_assert_uint_eq(alen(a), 100);
}
END_TEST

/* ---------------------------------------------------------------- functions */

START_TEST(test_natives_and_bound)
{
    js_object *f = jsfn_new_native(t, fn_sum, K("sum"), 2, 100), *b;
    js_keylist l = { 0 };
    jsv args[3] = { jsv_from_int(1), jsv_from_int(2), jsv_from_int(3) }, r;
    js_propdesc out;

    ck_assert_int_eq(jsobj_own_keys(t, f, &l), 0);
    ck_assert_int_eq(l.count, 2);
    ck_assert(l.keys[0] == K("length"));
    ck_assert(l.keys[1] == K("name"));
    jskeylist_free(rt, &l);
    ck_assert_int_eq(jsobj_get_own_property(t, f, K("length"), &out), 1);
    ck_assert((out.flags & JS_PROP_C_W_E) == JS_PROP_CONFIGURABLE);
    ck_assert(out.value == jsv_from_int(2));
    ck_assert(str_is(jsobj_get(t, f, K("name"), jsv_object(f)), "sum"));
    ck_assert(jsop_is_callable(jsv_object(f)));
    ck_assert(!jsop_is_constructor(jsv_object(f)));
    ck_assert(str_is(jsop_typeof(t, jsv_object(f)), "function"));
    r = jsvm_call(t, jsv_object(f), JSV_UNDEFINED, 3, args);
    ck_assert(r == jsv_from_int(106));

    b = jsfn_new_bound(t, f, JSV_NULL, 2, args);
    ck_assert_ptr_nonnull(b);
    ck_assert_int_eq(jsfn_set_length(t, b, 0), 0);
    ck_assert_int_eq(jsfn_set_name(t, b, K("sum"), "bound"), 0);
    ck_assert(str_is(jsobj_get(t, b, K("name"), jsv_object(b)), "bound sum"));
    r = jsvm_call(t, jsv_object(b), JSV_UNDEFINED, 1, args + 2);
    ck_assert(r == jsv_from_int(106));

    /* Symbol-named getter. */
    js_symbol *sym = jssym_new(t, S("desc"));
    js_object *h = plain();
    ck_assert_int_eq(jsobj_define_getset(t, h, jsv_symbol(sym), fn_this, NULL, 0), 0);
    ck_assert_int_eq(jsobj_get_own_property(t, h, jsv_symbol(sym), &out), 1);
    ck_assert(str_is(jsobj_get(t, JSV_OBJ(out.getter), K("name"), out.getter), "get [desc]"));

    /* Constructors, new.target prototype, instanceof through a bound function. */
    js_object *c = jsfn_new_native_ctor(t, fn_this, ctor_make, K("C"), 0, 0);
    js_object *proto = plain();
    ck_assert(jsop_is_constructor(jsv_object(c)));
    ck_assert_int_eq(jsobj_define_value(t, c, K("prototype"), jsv_object(proto), 0), 0);
    r = jsvm_construct(t, jsv_object(c), 0, NULL, JSV_UNDEFINED);
    ck_assert(jsv_is_object(r));
    jsv pr;
    ck_assert_int_eq(jsobj_get_prototype_of(t, JSV_OBJ(r), &pr), 0);
    ck_assert(pr == jsv_object(proto));
    js_object *bc = jsfn_new_bound(t, c, JSV_UNDEFINED, 0, NULL);
    ck_assert(jsop_is_constructor(jsv_object(bc)));
    ck_assert_int_eq(jsop_instanceof(t, r, jsv_object(bc)), 1);
    ck_assert_int_eq(jsop_instanceof(t, jsv_object(plain()), jsv_object(c)), 0);
    ck_assert_int_eq(jsop_instanceof(t, r, jsv_object(plain())), -1);
    expect_exception("not callable");
    r = jsvm_construct(t, jsv_object(bc), 0, NULL, JSV_UNDEFINED);
    ck_assert_int_eq(jsobj_get_prototype_of(t, JSV_OBJ(r), &pr), 0);
    ck_assert(pr == jsv_object(proto));
}
END_TEST

/* ---------------------------------------------------------------- wrappers */

START_TEST(test_string_exotic)
{
    jsv w = jsop_to_object(t, S("abc"));
    js_object *o = JSV_OBJ(w);
    js_keylist l = { 0 };
    js_propdesc d = data_desc(S("z"), JS_PROP_C_W_E), out;

    ck_assert_int_eq(jsobj_class(o), JS_CLASS_STRING);
    ck_assert(str_is(jsobj_get(t, o, jskey_from_index(1), w), "b"));
    ck_assert(jsobj_get(t, o, K("length"), w) == jsv_from_int(3));
    ck_assert_int_eq(jsobj_set(t, o, jskey_from_index(5), JSV_TRUE, w, 0), 1);
    ck_assert_int_eq(jsobj_set(t, o, K("q"), JSV_TRUE, w, 0), 1);
    ck_assert_int_eq(jsobj_own_keys(t, o, &l), 0);
    ck_assert_int_eq(l.count, 6);
    ck_assert(l.keys[0] == jskey_from_index(0));
    ck_assert(l.keys[2] == jskey_from_index(2));
    ck_assert(l.keys[3] == jskey_from_index(5));
    ck_assert(l.keys[4] == K("length"));
    ck_assert(l.keys[5] == K("q"));
    jskeylist_free(rt, &l);
    ck_assert_int_eq(jsobj_define_own_property(t, o, jskey_from_index(0), &d, 0), 0);
    ck_assert_int_eq(jsobj_set(t, o, jskey_from_index(0), S("z"), w, 0), 0);
    ck_assert_int_eq(jsobj_delete(t, o, jskey_from_index(0), 0), 0);
    ck_assert_int_eq(jsobj_delete(t, o, K("length"), 0), 0);
    ck_assert_int_eq(jsobj_get_own_property(t, o, jskey_from_index(2), &out), 1);
    ck_assert((out.flags & JS_PROP_C_W_E) == JS_PROP_ENUMERABLE);
    /* Primitive receivers: GetV and PutValue. */
    ck_assert(jsobj_get_value(t, S("hey"), K("length")) == jsv_from_int(3));
    ck_assert(str_is(jsobj_get_value(t, S("hey"), jskey_from_index(2)), "y"));
    ck_assert_int_eq(jsobj_set_value(t, S("hey"), K("length"), jsv_from_int(1), JS_THROW), -1);
    expect_exception(NULL);
    ck_assert(jsobj_get_value(t, JSV_UNDEFINED, K("foo")) == JSV_EXCEPTION);
    expect_exception("Cannot read properties of undefined (reading 'foo')");
    ck_assert(jsop_to_object(t, JSV_NULL) == JSV_EXCEPTION);
    expect_exception(NULL);
    w = jsop_to_object(t, jsv_from_int(5));
    ck_assert_int_eq(jsobj_class(JSV_OBJ(w)), JS_CLASS_NUMBER);
    ck_assert(((js_primitive_object *)JSV_OBJ(w))->value == jsv_from_int(5));
}
END_TEST

/* ---------------------------------------------------------------- conversions */

START_TEST(test_to_number)
{
    static const struct { const char *s; double want; } cases[] = {
        { "", 0 }, { "  12  ", 12 }, { "0x1F", 31 }, { "0X1f", 31 }, { "0o17", 15 }, { "0b101", 5 },
        { "1e3", 1000 }, { ".5", 0.5 }, { "5.", 5 }, { "-.5e1", -5 }, { "+Infinity", INFINITY },
        { "-Infinity", -INFINITY }, { "Infinity", INFINITY }, { "\xc2\xa0\xef\xbb\xbf 42 \n\xe2\x80\xa8", 42 },
        { "007", 7 }, { "1e-7", 1e-7 }, { "123456789012345678901234567890", 1.2345678901234568e29 },
        { "0.1", 0.1 }, { "-0", -0.0 },
    };
    static const char *nans[] = { "infinity", "1_000", "0x", "-0x10", "1e", "e5", "12abc", "- 1", "0b2",
                                  "0o8", ".", "+", "1.2.3", ("\xe2\x80\x8b" "1"), "INFINITY", "0x1g", "1 2" };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double d;
        ck_assert_int_eq(jsop_to_number(t, S(cases[i].s), &d), 0);
        ck_assert_msg(d == cases[i].want && signbit(d) == signbit(cases[i].want), "ToNumber(\"%s\") = %g", cases[i].s, d);
    }
    for (size_t i = 0; i < sizeof nans / sizeof nans[0]; i++) {
        double d;
        ck_assert_int_eq(jsop_to_number(t, S(nans[i]), &d), 0);
        ck_assert_msg(d != d, "ToNumber(\"%s\") = %g, want NaN", nans[i], d);
    }
    double d;
    ck_assert_int_eq(jsop_to_number(t, JSV_NULL, &d), 0); ck_assert(d == 0);
    ck_assert_int_eq(jsop_to_number(t, JSV_UNDEFINED, &d), 0); ck_assert(d != d);
    ck_assert_int_eq(jsop_to_number(t, JSV_TRUE, &d), 0); ck_assert(d == 1);
    ck_assert_int_eq(jsop_to_number(t, jsv_symbol(jssym_new(t, JSV_UNDEFINED)), &d), -1);
    expect_exception("Symbol");

    int32_t i32; uint32_t u32; double n; int64_t len; uint64_t idx;
    ck_assert_int_eq(jsop_to_int32(t, jsv_from_double(4294967296.0 + 5), &i32), 0); ck_assert_int_eq(i32, 5);
    ck_assert_int_eq(jsop_to_int32(t, jsv_from_double(2147483648.0), &i32), 0); ck_assert_int_eq(i32, INT32_MIN);
    ck_assert_int_eq(jsop_to_int32(t, jsv_from_double(-1.9), &i32), 0); ck_assert_int_eq(i32, -1);
    ck_assert_int_eq(jsop_to_int32(t, jsv_from_double(NAN), &i32), 0); ck_assert_int_eq(i32, 0);
    ck_assert_int_eq(jsop_to_int32(t, jsv_from_double(1e300), &i32), 0); ck_assert_int_eq(i32, 0);
    ck_assert_int_eq(jsop_to_uint32(t, jsv_from_int(-1), &u32), 0); ck_assert_uint_eq(u32, 4294967295u);
    ck_assert_int_eq(jsop_to_integer_or_infinity(t, jsv_from_double(-0.5), &n), 0); ck_assert(n == 0 && !signbit(n));
    ck_assert_int_eq(jsop_to_length(t, jsv_from_double(1e300), &len), 0); ck_assert(len == 9007199254740991LL);
    ck_assert_int_eq(jsop_to_length(t, jsv_from_int(-5), &len), 0); ck_assert(len == 0);
    ck_assert_int_eq(jsop_to_index(t, jsv_from_int(-1), &idx), -1);
    expect_exception(NULL);
}
END_TEST

START_TEST(test_to_string)
{
    static const struct { double d; const char *want; } cases[] = {
        { 0, "0" }, { -0.0, "0" }, { 1.5, "1.5" }, { 1e21, "1e+21" }, { 123456789, "123456789" },
        { -42, "-42" }, { NAN, "NaN" }, { INFINITY, "Infinity" }, { -INFINITY, "-Infinity" },
        { 0.000001, "0.000001" }, { 1e-7, "1e-7" }, { 0.1 + 0.2, "0.30000000000000004" },
        { 4294967296.0, "4294967296" }, { 7, "7" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        js_string *s = jsop_to_string(t, jsv_from_double(cases[i].d));
        ck_assert_ptr_nonnull(s);
        ck_assert_msg(jsstr_equal_cstr(s, cases[i].want), "ToString(%g)", cases[i].d);
    }
    ck_assert(str_is(jsop_to_string_value(t, JSV_NULL), "null"));
    ck_assert(str_is(jsop_to_string_value(t, JSV_TRUE), "true"));
    ck_assert(str_is(jsop_to_string_value(t, JSV_UNDEFINED), "undefined"));
    ck_assert(jsop_to_string(t, jsv_symbol(jssym_new(t, JSV_UNDEFINED))) == NULL);
    expect_exception("Symbol");
}
END_TEST

START_TEST(test_property_keys)
{
    ck_assert(jsop_to_property_key(t, S("5")) == jskey_from_index(5));
    ck_assert(jsop_to_property_key(t, S("4294967294")) == jskey_from_index(4294967294u));
    ck_assert(jsv_is_string(jsop_to_property_key(t, S("4294967295"))));
    ck_assert(jsv_is_string(jsop_to_property_key(t, S("05"))));
    ck_assert(jsv_is_string(jsop_to_property_key(t, S("-1"))));
    ck_assert(jsop_to_property_key(t, jsv_from_double(-0.0)) == jskey_from_index(0));
    ck_assert(jsop_to_property_key(t, jsv_from_double(3.0)) == jskey_from_index(3));
    ck_assert(jsop_to_property_key(t, jsv_from_double(1.5)) == K("1.5"));
    ck_assert(jsop_to_property_key(t, jsv_from_int(-7)) == K("-7"));
    ck_assert(jsop_to_property_key(t, JSV_TRUE) == K("true"));
    ck_assert(jsop_to_property_key(t, S("abc")) == K("abc"));
    jsv sym = jsv_symbol(jssym_new(t, JSV_UNDEFINED));
    ck_assert(jsop_to_property_key(t, sym) == sym);
    ck_assert(str_is(jskey_to_value(t, jskey_from_index(42)), "42"));
}
END_TEST

START_TEST(test_equality)
{
    jsv nan = jsv_from_double(NAN), pz = jsv_from_double(0.0), nz = jsv_from_double(-0.0), one = jsv_from_int(1);
    jsv onef = jsv_from_double(1.0);
    js_object *o = plain();
    jsv ov = jsv_object(o);

    ck_assert(jsop_same_value(nan, nan));
    ck_assert(!jsop_same_value(pz, nz));
    ck_assert(jsop_same_value(one, onef));
    ck_assert(jsop_same_value(S("ab"), S("ab")));
    ck_assert(jsop_same_value_zero(pz, nz));
    ck_assert(jsop_same_value_zero(nan, nan));
    ck_assert(!jsop_strict_equals(nan, nan));
    ck_assert(jsop_strict_equals(pz, nz));
    ck_assert(jsop_strict_equals(one, onef));
    ck_assert(!jsop_strict_equals(one, S("1")));
    ck_assert(!jsop_strict_equals(ov, jsv_object(plain())));
    ck_assert(jsop_strict_equals(ov, ov));

    ck_assert_int_eq(jsop_loose_equals(t, JSV_NULL, JSV_UNDEFINED), 1);
    ck_assert_int_eq(jsop_loose_equals(t, JSV_NULL, jsv_from_int(0)), 0);
    ck_assert_int_eq(jsop_loose_equals(t, S("1"), one), 1);
    ck_assert_int_eq(jsop_loose_equals(t, JSV_TRUE, one), 1);
    ck_assert_int_eq(jsop_loose_equals(t, JSV_TRUE, S("1")), 1);
    ck_assert_int_eq(jsop_loose_equals(t, S("abc"), nan), 0);
    ck_assert_int_eq(jsop_loose_equals(t, S(""), jsv_from_int(0)), 1);
    ck_assert_int_eq(jsop_loose_equals(t, ov, ov), 1);
    ck_assert_int_eq(jsop_loose_equals(t, ov, JSV_NULL), 0);

    js_bigint *b1 = jsbig_from_int64(t, 1);
    ck_assert_int_eq(jsop_loose_equals(t, jsv_bigint(b1), one), 1);
    ck_assert_int_eq(jsop_loose_equals(t, jsv_bigint(b1), S("1")), 1);
    ck_assert_int_eq(jsop_loose_equals(t, jsv_bigint(b1), S("1.5")), 0);
    ck_assert_int_eq(jsop_loose_equals(t, jsv_bigint(b1), jsv_from_double(1.5)), 0);
    ck_assert_int_eq(jsop_loose_equals(t, jsv_bigint(b1), JSV_TRUE), 1);

    /* document.all-like */
    js_object *dda = plain();
    dda->h.flags |= JS_OBJ_HTMLDDA;
    ck_assert_int_eq(jsop_loose_equals(t, jsv_object(dda), JSV_UNDEFINED), 1);
    ck_assert(str_is(jsop_typeof(t, jsv_object(dda)), "undefined"));
    ck_assert_int_eq(jsop_to_boolean(jsv_object(dda)), 0);

    /* Relational */
    ck_assert_int_eq(jsop_less_than(t, one, jsv_from_int(2), 1), 1);
    ck_assert_int_eq(jsop_less_than(t, nan, one, 1), 2);
    ck_assert_int_eq(jsop_less_than(t, S("a"), S("b"), 1), 1);
    ck_assert_int_eq(jsop_less_than(t, S("10"), S("9"), 1), 1);
    ck_assert_int_eq(jsop_less_than(t, S("10"), jsv_from_int(9), 1), 0);
    ck_assert_int_eq(jsop_less_than(t, jsv_bigint(b1), jsv_from_double(1.5), 1), 1);
    ck_assert_int_eq(jsop_less_than(t, jsv_bigint(b1), S("x"), 1), 2);
    ck_assert_int_eq(jsop_less_than(t, jsv_from_double(-INFINITY), jsv_bigint(b1), 1), 1);

    /* typeof */
    ck_assert(str_is(jsop_typeof(t, JSV_NULL), "object"));
    ck_assert(str_is(jsop_typeof(t, jsv_bigint(b1)), "bigint"));
    ck_assert(str_is(jsop_typeof(t, nan), "number"));
    ck_assert(str_is(jsop_typeof(t, ov), "object"));
}
END_TEST

static double num(jsv v)
{
    ck_assert(jsv_is_number(v));
    return jsv_get_number(v);
}

START_TEST(test_arithmetic)
{
    jsv two = jsv_from_int(2), m1 = jsv_from_int(-1), nan = jsv_from_double(NAN);
    ck_assert(num(jsop_binary(t, 'e', two, m1)) == 0.5);
    ck_assert(num(jsop_binary(t, 'e', jsv_from_int(1), nan)) != num(jsop_binary(t, 'e', jsv_from_int(1), nan)));
    ck_assert(isnan(num(jsop_binary(t, 'e', jsv_from_int(-8), jsv_from_double(1.0 / 3)))));
    ck_assert(isnan(num(jsop_binary(t, 'e', jsv_from_int(1), jsv_from_double(INFINITY)))));
    ck_assert(num(jsop_binary(t, 'e', nan, jsv_from_int(0))) == 1);
    ck_assert(num(jsop_binary(t, 'u', m1, jsv_from_int(0))) == 4294967295.0);
    ck_assert(num(jsop_binary(t, '<', jsv_from_int(1), jsv_from_int(31))) == -2147483648.0);
    ck_assert(num(jsop_binary(t, '>', m1, jsv_from_int(33))) == -1);
    ck_assert(num(jsop_binary(t, '%', jsv_from_int(-5), jsv_from_int(3))) == -2);
    double z = num(jsop_binary(t, '%', jsv_from_int(-4), jsv_from_int(2)));
    ck_assert(z == 0 && signbit(z));
    z = num(jsop_binary(t, '*', jsv_from_int(-1), jsv_from_int(0)));
    ck_assert(z == 0 && signbit(z));
    ck_assert(num(jsop_binary(t, '-', jsv_from_int(INT32_MIN), jsv_from_int(1))) == -2147483649.0);
    ck_assert(num(jsop_add(t, jsv_from_int(INT32_MAX), jsv_from_int(1))) == 2147483648.0);
    ck_assert(num(jsop_binary(t, '/', jsv_from_int(1), jsv_from_int(0))) == INFINITY);
    ck_assert(str_is(jsop_add(t, S("a"), jsv_from_int(1)), "a1"));
    ck_assert(str_is(jsop_add(t, JSV_NULL, S("x")), "nullx"));
    ck_assert(num(jsop_add(t, JSV_TRUE, JSV_NULL)) == 1);
    ck_assert(num(jsop_binary(t, '-', S("5"), S("2"))) == 3);

    js_bigint *b1 = jsbig_from_int64(t, 7), *b2 = jsbig_from_int64(t, 2);
    jsv r = jsop_binary(t, '*', jsv_bigint(b1), jsv_bigint(b2));
    ck_assert(jsv_is_bigint(r) && jsbig_to_int64(JSV_BIG(r)) == 14);
    r = jsop_add(t, jsv_bigint(b1), S("x"));
    ck_assert(str_is(r, "7x"));
    ck_assert(jsop_binary(t, '+', jsv_bigint(b1), jsv_from_int(1)) == JSV_EXCEPTION);
    expect_exception("Cannot mix BigInt");
    ck_assert(jsop_binary(t, 'u', jsv_bigint(b1), jsv_bigint(b2)) == JSV_EXCEPTION);
    expect_exception("unsigned right shift");
    ck_assert(jsop_binary(t, '/', jsv_bigint(b1), jsv_bigint(jsbig_from_int64(t, 0))) == JSV_EXCEPTION);
    expect_exception(NULL);
}
END_TEST

START_TEST(test_descriptors)
{
    js_object *o = plain(), *g = jsfn_new_native(t, fn_this, K("g"), 0, 0);
    js_propdesc d;
    ck_assert_int_eq(jsobj_set(t, o, K("value"), jsv_from_int(1), jsv_object(o), 0), 1);
    ck_assert_int_eq(jsobj_set(t, o, K("enumerable"), S("yes"), jsv_object(o), 0), 1);
    ck_assert_int_eq(jsop_to_property_descriptor(t, jsv_object(o), &d), 0);
    ck_assert(d.flags & JS_DESC_HAS_VALUE);
    ck_assert(d.flags & JS_PROP_ENUMERABLE);
    ck_assert(!(d.flags & (JS_DESC_HAS_WRITABLE | JS_DESC_HAS_CONFIGURABLE | JS_DESC_HAS_GET)));
    ck_assert_int_eq(jsobj_set(t, o, K("get"), jsv_object(g), jsv_object(o), 0), 1);
    ck_assert_int_eq(jsop_to_property_descriptor(t, jsv_object(o), &d), -1);
    expect_exception("Invalid property descriptor");
    ck_assert_int_eq(jsop_to_property_descriptor(t, jsv_from_int(1), &d), -1);
    expect_exception("Property description must be an object");

    d.flags = JS_DESC_HAS_GET;
    d.getter = jsv_object(g);
    jsop_complete_property_descriptor(&d);
    ck_assert(d.flags & JS_DESC_HAS_SET);
    ck_assert(jsv_is_undefined(d.setter));
    jsv back = jsop_from_property_descriptor(t, &d, 1);
    js_keylist l = { 0 };
    ck_assert_int_eq(jsobj_own_keys(t, JSV_OBJ(back), &l), 0);
    ck_assert_int_eq(l.count, 4);
    ck_assert(l.keys[0] == K("get"));
    ck_assert(l.keys[3] == K("configurable"));
    jskeylist_free(rt, &l);

    jsv it = jsop_create_iter_result(t, jsv_from_int(3), 1);
    ck_assert(jsobj_get(t, JSV_OBJ(it), K("done"), it) == JSV_TRUE);
    ck_assert(jsobj_get(t, JSV_OBJ(it), K("value"), it) == jsv_from_int(3));
}
END_TEST

/* ---------------------------------------------------------------- iteration */

static jsv it_next(js_thread *th, jsv this_val, int argc, jsv *argv, int magic)
{
    js_key k = jskey_from_cstr(th, "_i");
    jsv i = jsobj_get(th, JSV_OBJ(this_val), k, this_val);
    int n = jsv_get_int(i);
    if (jsobj_set(th, JSV_OBJ(this_val), k, jsv_from_int(n + 1), this_val, 0) < 0)
        return JSV_EXCEPTION;
    return jsop_create_iter_result(th, jsv_from_int(n), n >= 3);
}

static jsv it_return(js_thread *th, jsv this_val, int argc, jsv *argv, int magic)
{
    if (jsobj_set(th, JSV_OBJ(this_val), jskey_from_cstr(th, "_closed"), JSV_TRUE, this_val, 0) < 0)
        return JSV_EXCEPTION;
    if (magic)
        return jsvm_throw_type_error(th, "return threw");
    return jsop_create_iter_result(th, JSV_UNDEFINED, 1);
}

static js_object *make_iterable(int return_throws)
{
    js_object *o = plain();
    ck_assert_int_eq(jsobj_define_fn_key(t, o, jsv_symbol(rt->wk_symbols[JS_WKS_iterator]), fn_this, 0, 0), 0);
    ck_assert_int_eq(jsobj_define_fn(t, o, "next", it_next, 0, 0), 0);
    ck_assert_int_eq(jsobj_define_fn(t, o, "return", it_return, 0, return_throws), 0);
    ck_assert_int_eq(jsobj_set(t, o, K("_i"), jsv_from_int(0), jsv_object(o), 0), 1);
    return o;
}

START_TEST(test_iteration)
{
    js_object *o = make_iterable(0);
    js_iter_record it;
    jsv v;
    ck_assert_int_eq(jsop_get_iterator(t, jsv_object(o), 0, &it), 0);
    ck_assert(it.iterator == jsv_object(o));
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(jsop_iterator_step_value(t, &it, &v), 1);
        ck_assert(v == jsv_from_int(i));
    }
    ck_assert_int_eq(jsop_iterator_step_value(t, &it, &v), 0);
    ck_assert(it.done);
    ck_assert_int_eq(jsop_iterator_close(t, &it, 0), 0);
    ck_assert(jsobj_get(t, o, K("_closed"), jsv_object(o)) == JSV_TRUE);

    /* A throw completion survives a throwing return(). */
    o = make_iterable(1);
    ck_assert_int_eq(jsop_get_iterator(t, jsv_object(o), 0, &it), 0);
    jsvm_throw(t, jsv_from_int(42));
    ck_assert_int_eq(jsop_iterator_close(t, &it, 1), -1);
    ck_assert(jsvm_take_exception(t) == jsv_from_int(42));
    ck_assert(jsobj_get(t, o, K("_closed"), jsv_object(o)) == JSV_TRUE);
    /* A normal completion reports it. */
    ck_assert_int_eq(jsop_iterator_close(t, &it, 0), -1);
    expect_exception("return threw");

    ck_assert_int_eq(jsop_get_iterator(t, jsv_from_int(1), 0, &it), -1);
    expect_exception("is not iterable");

    /* CreateListFromArrayLike and LengthOfArrayLike on a plain object. */
    js_object *al = plain();
    uint32_t n;
    jsv *list;
    ck_assert_int_eq(jsobj_set(t, al, K("length"), S("2.7"), jsv_object(al), 0), 1);
    ck_assert_int_eq(jsobj_set_index(t, al, 1, JSV_TRUE, 0), 1);
    ck_assert(jsop_create_list_from_array_like(t, jsv_object(al), &n, &list) != JSV_EXCEPTION);
    ck_assert_uint_eq(n, 2);
    ck_assert(jsv_is_undefined(list[0]) && list[1] == JSV_TRUE);
    free(list);

    /* SpeciesConstructor: missing constructor gives the default. */
    ck_assert(jsop_species_constructor(t, al, JSV_NULL) == JSV_NULL);
    ck_assert_int_eq(jsobj_set(t, al, K("constructor"), jsv_from_int(1), jsv_object(al), 0), 1);
    ck_assert(jsop_species_constructor(t, al, JSV_NULL) == JSV_EXCEPTION);
    expect_exception(NULL);
}
END_TEST

static Suite *object_suite(void)
{
    Suite *s = suite_create("object");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_define_get_set_delete);
    tcase_add_test(tc, test_accessors);
    tcase_add_test(tc, test_own_keys_order);
    tcase_add_test(tc, test_array_length);
    tcase_add_test(tc, test_frozen_array);
    tcase_add_test(tc, test_natives_and_bound);
    tcase_add_test(tc, test_string_exotic);
    tcase_add_test(tc, test_to_number);
    tcase_add_test(tc, test_to_string);
    tcase_add_test(tc, test_property_keys);
    tcase_add_test(tc, test_equality);
    tcase_add_test(tc, test_arithmetic);
    tcase_add_test(tc, test_descriptors);
    tcase_add_test(tc, test_iteration);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    return jsetest_run(object_suite());
}
