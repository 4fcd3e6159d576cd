/*
 * typedarray_base64.c - Uint8Array.fromBase64/fromHex and
 * Uint8Array.prototype.toBase64/toHex/setFromBase64/setFromHex.
 * Must not touch buffer internals beyond binary.h.
 */
#include <string.h>
#include "binary.h"
#include "../core/string.h"

int jsta_init_uint8(js_thread *t, js_realm *realm, js_object *ctor, js_object *proto)
{
    return 0;
}
