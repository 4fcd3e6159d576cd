/*
 * sab.h - byte storage of ArrayBuffer and SharedArrayBuffer, kept outside every
 * GC heap: allocated once, never moved, reference counted, so that several
 * runtimes (agents, Layer A) can view the same bytes. Owns no JS objects; the
 * object side lives in lib/builtins/arraybuffer.c.
 *
 * Thread rules:
 * - A storage may be referenced from any number of runtimes on any threads.
 *   jssab_retain/jssab_release are atomic; the storage is freed by the last
 *   release. A runtime holds one reference per ArrayBuffer/SharedArrayBuffer
 *   object viewing it and drops it in that object's finalizer (which also runs
 *   when the runtime is destroyed).
 * - `data` never changes after creation. Growable shared storage reserves
 *   max_byte_length up front; its byte_length only grows, by a CAS loop
 *   (jssab_grow), and is read with acquire ordering, so every thread sees bytes
 *   below the length it read as allocated (zero-initialised).
 * - Non-shared storage is used by one thread at a time (its runtime's); its
 *   length may shrink (resizable ArrayBuffer) with jssab_set_length.
 * - Concurrent plain reads/writes of the bytes are the program's races
 *   (Unordered in the memory model); Atomics.* go through the jssab_atomic_*
 *   functions, which are sequentially consistent C11/GCC atomics on the bytes.
 *   Atomic accesses must be naturally aligned (typed array offsets are).
 */
#ifndef JSE_THREADS_SAB_H
#define JSE_THREADS_SAB_H

#include <stddef.h>
#include <stdint.h>
#include <stdatomic.h>

typedef struct jssab_storage {
    atomic_size_t refcount;
    atomic_size_t byte_length;     /* current length; <= max_byte_length */
    size_t max_byte_length;        /* reserved bytes (== length when fixed) */
    uint8_t *data;                 /* never moves; NULL only when max_byte_length == 0 */
    uint8_t shared;                /* SharedArrayBuffer storage */
    uint8_t mapped;                /* data came from mmap (else calloc) */
} jssab_storage;

/* New zero-filled storage with refcount 1. max_len >= len. NULL when the
 * memory cannot be had (the caller throws RangeError). */
jssab_storage *jssab_new(size_t len, size_t max_len, int shared);
void jssab_retain(jssab_storage *s);
void jssab_release(jssab_storage *s);

static inline size_t jssab_length(jssab_storage *s)
{
    return atomic_load_explicit(&s->byte_length, memory_order_acquire);
}
/* Shared growable storage: grow to new_len. Returns 0, or -1 when new_len is
 * below the current length or above max_byte_length (another thread may have
 * grown it meanwhile: the CAS loop rereads). */
int jssab_grow(jssab_storage *s, size_t new_len);
/* Non-shared storage: set the length (bytes past it are zeroed so that a later
 * grow reads zeros). new_len <= max_byte_length. */
void jssab_set_length(jssab_storage *s, size_t new_len);

/* Atomic operations on `size` (1, 2, 4, 8) naturally aligned bytes at p,
 * sequentially consistent. Values are the raw little/host-endian bit patterns
 * zero-extended to 64 bits. The rmw functions return the previous value. */
enum { JSSAB_ADD, JSSAB_SUB, JSSAB_AND, JSSAB_OR, JSSAB_XOR, JSSAB_XCHG };
uint64_t jssab_atomic_load(const void *p, int size);
void jssab_atomic_store(void *p, int size, uint64_t v);
uint64_t jssab_atomic_rmw(void *p, int size, int op, uint64_t v);
uint64_t jssab_atomic_cmpxchg(void *p, int size, uint64_t expected, uint64_t replacement);

/*
 * Object-level entry points for Layer A (agents, structured clone), defined in
 * lib/builtins/arraybuffer.c. They run on the calling runtime's thread.
 */
struct js_thread;
/* A new SharedArrayBuffer object of t's current realm viewing s (takes a new
 * reference). Returns the object as a jsv (uint64_t), or JSV_EXCEPTION. */
uint64_t jsbi_shared_array_buffer_from_storage(struct js_thread *t, jssab_storage *s);
/* The storage behind an ArrayBuffer/SharedArrayBuffer value, or NULL when v is
 * not one or is detached. The caller retains it if it keeps it. */
jssab_storage *jsbi_array_buffer_storage(uint64_t v);

#endif
