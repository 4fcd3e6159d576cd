/*
 * classes.c - the class table: one js_class_ops per JS_CLASS_*, each defined by
 * the module that owns the class (jsclass_<name>). Touches nothing else.
 *
 * The references are weak while the engine is being brought up, so that a class
 * whose module is not linked yet reads as NULL and object.c treats it as an
 * ordinary object of js_object size. object.c asserts in debug builds that
 * every class it instantiates has an entry.
 */
#include "object.h"

extern const js_class_ops jsclass_object __attribute__((weak));
extern const js_class_ops jsclass_array __attribute__((weak));
extern const js_class_ops jsclass_error __attribute__((weak));
extern const js_class_ops jsclass_number __attribute__((weak));
extern const js_class_ops jsclass_string __attribute__((weak));
extern const js_class_ops jsclass_boolean __attribute__((weak));
extern const js_class_ops jsclass_symbol __attribute__((weak));
extern const js_class_ops jsclass_bigint __attribute__((weak));
extern const js_class_ops jsclass_arguments __attribute__((weak));
extern const js_class_ops jsclass_mapped_arguments __attribute__((weak));
extern const js_class_ops jsclass_date __attribute__((weak));
extern const js_class_ops jsclass_regexp __attribute__((weak));
extern const js_class_ops jsclass_function_bc __attribute__((weak));
extern const js_class_ops jsclass_function_native __attribute__((weak));
extern const js_class_ops jsclass_function_bound __attribute__((weak));
extern const js_class_ops jsclass_generator __attribute__((weak));
extern const js_class_ops jsclass_async_generator __attribute__((weak));
extern const js_class_ops jsclass_async_from_sync_iterator __attribute__((weak));
extern const js_class_ops jsclass_promise __attribute__((weak));
extern const js_class_ops jsclass_proxy __attribute__((weak));
extern const js_class_ops jsclass_map __attribute__((weak));
extern const js_class_ops jsclass_set __attribute__((weak));
extern const js_class_ops jsclass_weakmap __attribute__((weak));
extern const js_class_ops jsclass_weakset __attribute__((weak));
extern const js_class_ops jsclass_weakref __attribute__((weak));
extern const js_class_ops jsclass_finalization_registry __attribute__((weak));
extern const js_class_ops jsclass_array_iterator __attribute__((weak));
extern const js_class_ops jsclass_string_iterator __attribute__((weak));
extern const js_class_ops jsclass_map_iterator __attribute__((weak));
extern const js_class_ops jsclass_set_iterator __attribute__((weak));
extern const js_class_ops jsclass_regexp_string_iterator __attribute__((weak));
extern const js_class_ops jsclass_iterator_helper __attribute__((weak));
extern const js_class_ops jsclass_wrap_for_valid_iterator __attribute__((weak));
extern const js_class_ops jsclass_for_in_iterator __attribute__((weak));
extern const js_class_ops jsclass_array_buffer __attribute__((weak));
extern const js_class_ops jsclass_shared_array_buffer __attribute__((weak));
extern const js_class_ops jsclass_dataview __attribute__((weak));
extern const js_class_ops jsclass_typed_array __attribute__((weak));
extern const js_class_ops jsclass_module_ns __attribute__((weak));
extern const js_class_ops jsclass_global __attribute__((weak));
extern const js_class_ops jsclass_disposable_stack __attribute__((weak));
extern const js_class_ops jsclass_async_disposable_stack __attribute__((weak));
extern const js_class_ops jsclass_shadow_realm __attribute__((weak));
extern const js_class_ops jsclass_temporal __attribute__((weak));
extern const js_class_ops jsclass_host __attribute__((weak));

const js_class_ops *const jsobj_classes[JS_CLASS_COUNT] = {
    [JS_CLASS_OBJECT] = &jsclass_object,
    [JS_CLASS_ARRAY] = &jsclass_array,
    [JS_CLASS_ERROR] = &jsclass_error,
    [JS_CLASS_NUMBER] = &jsclass_number,
    [JS_CLASS_STRING] = &jsclass_string,
    [JS_CLASS_BOOLEAN] = &jsclass_boolean,
    [JS_CLASS_SYMBOL] = &jsclass_symbol,
    [JS_CLASS_BIGINT] = &jsclass_bigint,
    [JS_CLASS_ARGUMENTS] = &jsclass_arguments,
    [JS_CLASS_MAPPED_ARGUMENTS] = &jsclass_mapped_arguments,
    [JS_CLASS_DATE] = &jsclass_date,
    [JS_CLASS_REGEXP] = &jsclass_regexp,
    [JS_CLASS_FUNCTION_BC] = &jsclass_function_bc,
    [JS_CLASS_FUNCTION_NATIVE] = &jsclass_function_native,
    [JS_CLASS_FUNCTION_BOUND] = &jsclass_function_bound,
    [JS_CLASS_GENERATOR] = &jsclass_generator,
    [JS_CLASS_ASYNC_GENERATOR] = &jsclass_async_generator,
    [JS_CLASS_ASYNC_FROM_SYNC_ITERATOR] = &jsclass_async_from_sync_iterator,
    [JS_CLASS_PROMISE] = &jsclass_promise,
    [JS_CLASS_PROXY] = &jsclass_proxy,
    [JS_CLASS_MAP] = &jsclass_map,
    [JS_CLASS_SET] = &jsclass_set,
    [JS_CLASS_WEAKMAP] = &jsclass_weakmap,
    [JS_CLASS_WEAKSET] = &jsclass_weakset,
    [JS_CLASS_WEAKREF] = &jsclass_weakref,
    [JS_CLASS_FINALIZATION_REGISTRY] = &jsclass_finalization_registry,
    [JS_CLASS_ARRAY_ITERATOR] = &jsclass_array_iterator,
    [JS_CLASS_STRING_ITERATOR] = &jsclass_string_iterator,
    [JS_CLASS_MAP_ITERATOR] = &jsclass_map_iterator,
    [JS_CLASS_SET_ITERATOR] = &jsclass_set_iterator,
    [JS_CLASS_REGEXP_STRING_ITERATOR] = &jsclass_regexp_string_iterator,
    [JS_CLASS_ITERATOR_HELPER] = &jsclass_iterator_helper,
    [JS_CLASS_WRAP_FOR_VALID_ITERATOR] = &jsclass_wrap_for_valid_iterator,
    [JS_CLASS_FOR_IN_ITERATOR] = &jsclass_for_in_iterator,
    [JS_CLASS_ARRAY_BUFFER] = &jsclass_array_buffer,
    [JS_CLASS_SHARED_ARRAY_BUFFER] = &jsclass_shared_array_buffer,
    [JS_CLASS_DATAVIEW] = &jsclass_dataview,
    [JS_CLASS_TYPED_ARRAY] = &jsclass_typed_array,
    [JS_CLASS_MODULE_NS] = &jsclass_module_ns,
    [JS_CLASS_GLOBAL] = &jsclass_global,
    [JS_CLASS_DISPOSABLE_STACK] = &jsclass_disposable_stack,
    [JS_CLASS_ASYNC_DISPOSABLE_STACK] = &jsclass_async_disposable_stack,
    [JS_CLASS_SHADOW_REALM] = &jsclass_shadow_realm,
    [JS_CLASS_TEMPORAL] = &jsclass_temporal,
    [JS_CLASS_HOST] = &jsclass_host,
};
