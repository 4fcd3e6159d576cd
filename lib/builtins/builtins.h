/*
 * builtins.h - installing the standard library into a realm. Each lib/builtins
 * module exports one jsbi_init_<module>(t, realm) that creates its constructors
 * and prototypes, stores them in realm->intrinsics and defines the globals.
 * realm.c calls them in dependency order. Modules share nothing but this header
 * and the intrinsics table.
 */
#ifndef JSE_BUILTINS_BUILTINS_H
#define JSE_BUILTINS_BUILTINS_H

#include "../core/runtime.h"
#include "../vm/vm.h"

/* Installs everything into `realm` (t->realm is switched to it meanwhile). */
int jsbi_init_realm(js_thread *t, js_realm *realm);

/* Shorthands for native implementations. */
#define JS_ARG(i) ((i) < argc ? argv[(i)] : JSV_UNDEFINED)

/* Creates a constructor function `name` with `length`, links
 * ctor.prototype <-> proto.constructor (proto may be NULL), stores both into
 * the intrinsics ids (either may be -1) and defines the global binding.
 * call may be NULL: calling without `new` then throws a TypeError. */
js_object *jsbi_make_ctor(js_thread *t, js_realm *realm, const char *name, int length,
                          js_native_fn call, js_native_ctor construct, int magic,
                          js_object *proto, int ctor_id, int proto_id);
/* A prototype object with [[Prototype]] = intrinsic parent_id (or null if -1). */
js_object *jsbi_make_proto(js_thread *t, js_realm *realm, int parent_id, unsigned class_id);
/* Define @@toStringTag = tag (attrs C only). */
int jsbi_set_tag(js_thread *t, js_object *o, const char *tag);
/* o.[[OwnPropertyKeys]]() as a fresh dense Array whose elements are the
 * canonical keys (int-tagged indices, atoms, symbols). Holding the array keeps
 * the keys alive while user code runs (getters may delete properties). Read
 * the keys from arr->elems[0..arr->elen). NULL on exception. */
js_object *jsbi_own_keys(js_thread *t, js_object *o);
/* Define a data property with builtin-method attributes on a freshly made
 * object by C string name (attrs = JS_PROP_*). -1 on OOM. */
int jsbi_define_value_cstr(js_thread *t, js_object *o, const char *name, jsv v, unsigned attrs);
/* A primitive wrapper (js_primitive_object of class_id: Number, Boolean, Symbol,
 * BigInt, Date...) holding `value`, its prototype from new_target (or, when
 * new_target is undefined, the current realm's intrinsic proto_id). NULL on exception. */
js_object *jsbi_new_wrapper(js_thread *t, jsv new_target, int proto_id, unsigned class_id, jsv value);
/* CreateListFromArrayLike(obj) kept in a fresh dense Array, so the values stay
 * reachable while they are passed on (arr->elems, arr->elen). NULL on exception. */
js_object *jsbi_list_from_array_like(js_thread *t, jsv obj);
/* ToBigInt (ECMA-262 7.1.13), in bigint.c: a BigInt value or JSV_EXCEPTION. */
jsv jsbi_to_bigint(js_thread *t, jsv v);
/* iterator.c: %IteratorPrototype% of realm, created on first use because
 * modules initialised before iterator.c (array, string) inherit from it.
 * NULL + exception on OOM. */
js_object *jsbi_iterator_prototype(js_thread *t, js_realm *realm);
/* string.c: GetSubstitution (ECMA-262 22.1.3.19.1) for String.prototype.replace
 * and RegExp.prototype[@@replace]: captures[0..ncaptures) are the values of
 * $1..$n (string or undefined), named_captures an object or undefined.
 * NULL + exception on failure. */
js_string *jsbi_get_substitution(js_thread *t, js_string *matched, js_string *str, uint32_t position,
                                 uint32_t ncaptures, const jsv *captures, jsv named_captures,
                                 js_string *tmpl);

/* CreateArrayIterator(obj, kind): kind 0 keys, 1 values, 2 entries (array.c;
 * also used for typed arrays). */
jsv jsbi_create_array_iterator(js_thread *t, jsv obj, int kind);

#endif
