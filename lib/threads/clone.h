/*
 * clone.h - structured clone (HTML StructuredSerialize/Deserialize) as two
 * halves joined by a serialized form that belongs to no runtime: a versioned
 * byte string plus a table of retained ArrayBuffer/SharedArrayBuffer storages.
 * This is the postMessage wire format. clone.c owns the format; it must not
 * touch other modules' private object layouts except through binary.h.
 *
 * Thread rules: a jsclone_buf is plain malloc-ed memory and may be handed to
 * another thread/runtime; serialize runs on the sender's thread, deserialize on
 * the receiver's. Storages in the table are reference counted (sab.h).
 *
 * Errors: failures throw a "DataCloneError": ECMAScript has no DOMException, so
 * it is an ordinary Error (prototype %Error.prototype%) whose own non-enumerable
 * "name" is "DataCloneError" and "code" is 25, as DOMException's would be.
 *
 * Format (version 1): "JSCL" 0x01, then one value. Values start with a tag
 * byte; lengths and counts are unsigned LEB128; objects get ids in the order
 * they are first met, a back-reference names one by id, so cycles and shared
 * references survive. The deserializer treats its input as hostile: every
 * length, id and store index is bounds-checked and nesting is capped at
 * JSCLONE_MAX_DEPTH.
 */
#ifndef JSE_THREADS_CLONE_H
#define JSE_THREADS_CLONE_H

#include <stddef.h>
#include <stdint.h>
#include "../core/runtime.h"
#include "sab.h"

#define JSCLONE_VERSION 1
#define JSCLONE_MAX_DEPTH 2048

typedef struct jsclone_buf {
    uint8_t *data;               /* malloc-ed serialized bytes */
    size_t len, cap;
    /* Storages referenced by the bytes by index: SharedArrayBuffer storage
     * (shared, any number of deserializations) and transferred ArrayBuffer
     * storage (consumed by the first deserialization: its slot becomes NULL).
     * The buffer holds one reference on each non-NULL entry. */
    jssab_storage **stores;
    size_t nstores, stores_cap;
} jsclone_buf;

void jsclone_buf_init(jsclone_buf *b);
/* Frees the bytes and releases the storages still held. */
void jsclone_buf_free(jsclone_buf *b);

/* StructuredSerializeWithTransfer(value, transfer_list): transfer_list is
 * undefined or an array-like of ArrayBuffers (duplicates, non-ArrayBuffers,
 * SharedArrayBuffers and detached buffers throw DataCloneError). On success the
 * transferred buffers are detached and *out (overwritten: it need not be
 * initialised) holds the form; free it with jsclone_buf_free. Returns 0, or -1
 * with an exception pending (out is then left empty). */
int jsclone_serialize(js_thread *t, jsv value, jsv transfer_list, jsclone_buf *out);

/* StructuredDeserialize in t's current realm. stores/nstores: the storage
 * table of the form (may be NULL/0); transferred entries are taken over and set
 * to NULL. Returns the value, or JSV_EXCEPTION (DataCloneError for malformed
 * input, RangeError/TypeError when a buffer or view cannot be rebuilt). */
jsv jsclone_deserialize(js_thread *t, const uint8_t *data, size_t len,
                        jssab_storage **stores, size_t nstores);

/* Throws the DataCloneError described above; returns JSV_EXCEPTION. */
jsv jsclone_throw(js_thread *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
