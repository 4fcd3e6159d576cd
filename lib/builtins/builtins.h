/*
 * builtins.h - installing the standard library into a realm. Each builtins/*.c
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
 * the intrinsics ids (either may be -1) and defines the global binding. */
js_object *jsbi_make_ctor(js_thread *t, js_realm *realm, const char *name, int length,
                          js_native_fn call, js_native_ctor construct, int magic,
                          js_object *proto, int ctor_id, int proto_id);
/* A prototype object with [[Prototype]] = intrinsic parent_id (or null if -1). */
js_object *jsbi_make_proto(js_thread *t, js_realm *realm, int parent_id, unsigned class_id);
/* Define @@toStringTag = tag (attrs C only). */
int jsbi_set_tag(js_thread *t, js_object *o, const char *tag);

#endif
