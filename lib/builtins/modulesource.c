/*
 * modulesource.c - %AbstractModuleSource% and its prototype (source phase
 * imports, ECMA-262 proposal 28.1.1): the abstract base of module source
 * objects. It is an intrinsic only, not a global; hosts reach it through the
 * realm's intrinsics (jstest262 exposes it as $262.AbstractModuleSource).
 * Module sources come from hosts (jse_define_source_module); their own
 * prototypes carry their @@toStringTag, as WebAssembly.Module.prototype does,
 * so nothing here carries [[ModuleSourceClassName]] and this getter reads
 * undefined.
 * Must not touch: anything but its two intrinsics.
 */
#include "builtins.h"

/* %AbstractModuleSource% ( ): always throws, called or constructed. */
static jsv ams_call(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return jsvm_throw_type_error(t, "AbstractModuleSource is an abstract class and cannot be called or constructed");
}

static jsv ams_construct(js_thread *t, jsv new_target, int argc, jsv *argv, int magic)
{
    return ams_call(t, JSV_UNDEFINED, argc, argv, magic);
}

/* get %AbstractModuleSource%.prototype [ @@toStringTag ]: the
 * [[ModuleSourceClassName]] of this, or undefined without that slot. */
static jsv ams_get_tag(js_thread *t, jsv this_val, int argc, jsv *argv, int magic)
{
    return JSV_UNDEFINED;
}

int jsbi_init_modulesource(js_thread *t, js_realm *realm)
{
    js_object *proto = jsbi_make_proto(t, realm, JS_INTR_ObjectPrototype, JS_CLASS_OBJECT);
    if (!proto) return -1;
    js_object *ctor = jsfn_new_native_ctor(t, ams_call, ams_construct,
                                           jskey_from_cstr(t, "AbstractModuleSource"), 0, 0);
    if (!ctor) return -1;
    if (jsobj_define_value(t, ctor, jskey_from_atom_id(t, JS_ATOM_prototype), jsv_object(proto), 0) < 0 ||
        jsobj_define_value(t, proto, jskey_from_atom_id(t, JS_ATOM_constructor), jsv_object(ctor), JS_PROP_C_W) < 0 ||
        jsobj_define_getset(t, proto, jsv_symbol(t->rt->wk_symbols[JS_WKS_toStringTag]), ams_get_tag, NULL, 0) < 0)
        return -1;
    realm->intrinsics[JS_INTR_AbstractModuleSource] = jsv_object(ctor);
    realm->intrinsics[JS_INTR_AbstractModuleSourcePrototype] = jsv_object(proto);
    return 0;
}
