/*
 * sab.c - reference-counted byte storage shared between runtimes, and the
 * atomic accesses Atomics.* performs on it. See sab.h for the thread rules.
 * Must not touch any GC heap or JS object: it is below the object layer.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "sab.h"

/* Large reservations come from mmap so that untouched pages of a growable
 * buffer's maximum cost nothing. */
#define SAB_MMAP_THRESHOLD ((size_t)1 << 20)

jssab_storage *jssab_new(size_t len, size_t max_len, int shared)
{
    jssab_storage *s;

    if (max_len < len)
        return NULL;
    s = calloc(1, sizeof *s);
    if (!s)
        return NULL;
    if (max_len >= SAB_MMAP_THRESHOLD) {
        void *p = mmap(NULL, max_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            free(s);
            return NULL;
        }
        s->data = p;
        s->mapped = 1;
    } else if (max_len > 0) {
        s->data = calloc(1, max_len);
        if (!s->data) {
            free(s);
            return NULL;
        }
    }
    atomic_init(&s->refcount, 1);
    atomic_init(&s->byte_length, len);
    s->max_byte_length = max_len;
    s->shared = shared != 0;
    return s;
}

void jssab_retain(jssab_storage *s)
{
    atomic_fetch_add_explicit(&s->refcount, 1, memory_order_relaxed);
}

void jssab_release(jssab_storage *s)
{
    if (!s || atomic_fetch_sub_explicit(&s->refcount, 1, memory_order_acq_rel) != 1)
        return;
    if (s->mapped)
        munmap(s->data, s->max_byte_length);
    else
        free(s->data);
    free(s);
}

int jssab_grow(jssab_storage *s, size_t new_len)
{
    size_t cur = atomic_load_explicit(&s->byte_length, memory_order_acquire);

    do {
        if (new_len < cur || new_len > s->max_byte_length)
            return -1;
        if (new_len == cur)
            return 0;
    } while (!atomic_compare_exchange_weak_explicit(&s->byte_length, &cur, new_len, memory_order_acq_rel,
                                                    memory_order_acquire));
    return 0;
}

void jssab_set_length(jssab_storage *s, size_t new_len)
{
    size_t cur = atomic_load_explicit(&s->byte_length, memory_order_relaxed);
    if (new_len < cur)
        memset(s->data + new_len, 0, cur - new_len);
    atomic_store_explicit(&s->byte_length, new_len, memory_order_release);
}

uint64_t jssab_atomic_load(const void *p, int size)
{
    switch (size) {
    case 1: return __atomic_load_n((const uint8_t *)p, __ATOMIC_SEQ_CST);
    case 2: return __atomic_load_n((const uint16_t *)p, __ATOMIC_SEQ_CST);
    case 4: return __atomic_load_n((const uint32_t *)p, __ATOMIC_SEQ_CST);
    default: return __atomic_load_n((const uint64_t *)p, __ATOMIC_SEQ_CST);
    }
}

void jssab_atomic_store(void *p, int size, uint64_t v)
{
    switch (size) {
    case 1: __atomic_store_n((uint8_t *)p, (uint8_t)v, __ATOMIC_SEQ_CST); break;
    case 2: __atomic_store_n((uint16_t *)p, (uint16_t)v, __ATOMIC_SEQ_CST); break;
    case 4: __atomic_store_n((uint32_t *)p, (uint32_t)v, __ATOMIC_SEQ_CST); break;
    default: __atomic_store_n((uint64_t *)p, v, __ATOMIC_SEQ_CST); break;
    }
}

#define SAB_RMW(T)                                                                         \
    do {                                                                                   \
        T *q = p;                                                                          \
        T x = (T)v;                                                                        \
        switch (op) {                                                                      \
        case JSSAB_ADD: return __atomic_fetch_add(q, x, __ATOMIC_SEQ_CST);                 \
        case JSSAB_SUB: return __atomic_fetch_sub(q, x, __ATOMIC_SEQ_CST);                 \
        case JSSAB_AND: return __atomic_fetch_and(q, x, __ATOMIC_SEQ_CST);                 \
        case JSSAB_OR: return __atomic_fetch_or(q, x, __ATOMIC_SEQ_CST);                   \
        case JSSAB_XOR: return __atomic_fetch_xor(q, x, __ATOMIC_SEQ_CST);                 \
        default: return __atomic_exchange_n(q, x, __ATOMIC_SEQ_CST);                       \
        }                                                                                  \
    } while (0)

uint64_t jssab_atomic_rmw(void *p, int size, int op, uint64_t v)
{
    switch (size) {
    case 1: SAB_RMW(uint8_t);
    case 2: SAB_RMW(uint16_t);
    case 4: SAB_RMW(uint32_t);
    default: SAB_RMW(uint64_t);
    }
}

#define SAB_CAS(T)                                                                         \
    do {                                                                                   \
        T e = (T)expected;                                                                 \
        __atomic_compare_exchange_n((T *)p, &e, (T)replacement, 0, __ATOMIC_SEQ_CST,       \
                                    __ATOMIC_SEQ_CST);                                     \
        return e;                                                                          \
    } while (0)

uint64_t jssab_atomic_cmpxchg(void *p, int size, uint64_t expected, uint64_t replacement)
{
    switch (size) {
    case 1: SAB_CAS(uint8_t);
    case 2: SAB_CAS(uint16_t);
    case 4: SAB_CAS(uint32_t);
    default: SAB_CAS(uint64_t);
    }
}
