/*
 * gc.c - the tracing, non-moving mark-sweep collector: size-class blocks and
 * large cells, per-thread allocation contexts, precise roots plus a conservative
 * scan of the C stack, the ephemeron fixpoint for weak cells, pacing and the
 * memory limit. It owns js_cell.gcbits and nothing else inside cells: what a
 * cell points to is learnt only through its owner's trace hook.
 */
#include <stdlib.h>
#include <string.h>
#include <setjmp.h>
#include <assert.h>
#include <sys/mman.h>
#include <pthread.h>

#include "gc.h"
#include "runtime.h"
#include "string.h"
#include "object.h"
#include "../vm/vm.h"

#if defined(__has_include)
#if __has_include(<valgrind/memcheck.h>)
#include <valgrind/memcheck.h>
#define JSGC_HAVE_MEMCHECK 1
#endif
#endif

/* The stack scan reads whole frames, redzones included. */
#define JSGC_NO_ASAN __attribute__((no_sanitize_address))

/* Blocks are aligned to their size so that a block header is found from any
 * interior address by masking; 256 KiB keeps per-block waste small for the
 * largest size class while keeping the block count low for lookups. */
#define BLOCK_SIZE ((size_t)256 * 1024)
#define BLOCK_MASK (~(uintptr_t)(BLOCK_SIZE - 1))
/* Cells larger than this get their own allocation: at most ~3% of a block
 * is lost to the tail of the largest class. */
#define SMALL_MAX 8192
/* Cell granule: cell sizes and cell addresses are multiples of it. */
#define GRANULE 16
/* Empty blocks kept for reuse instead of being unmapped: about what the
 * program allocates until the next collection (so steady churn causes no mmap
 * traffic), within these bounds; the upper one keeps a heap that shrank from
 * holding on to much more memory than it uses. */
#define EMPTY_CACHE_MIN 16
#define EMPTY_CACHE_MAX 256
/* Blocks of freed heaps kept process-wide for the next runtime, by size
 * class: a worker's fresh runtime then writes to resident pages instead of
 * taking a page fault per page (about half of creating a context). 32
 * blocks hold the start-up heap of a few runtimes and cap what stays
 * mapped once every runtime is gone at 8 MiB. */
#define SHARED_CACHE_MAX 32
/* Lower bound of the collection threshold: below this, collecting costs more
 * than the memory it saves. */
#define MIN_THRESHOLD ((size_t)8 * 1024 * 1024)
/* Initial mark stack entries. */
#define MARK_STACK_INIT 4096
/* Cells a mark waits in the prefetch ring: its header load has this many
 * other marks' worth of time to arrive from memory (power of two). */
#define PREFETCH_RING 16

#define MARK_BIT 0x01

/* Size classes: dense at the small end where most cells are. */
static const uint16_t class_size[] = {
    16, 32, 48, 64, 80, 96, 112, 128, 160, 192, 224, 256,
    320, 384, 448, 512, 640, 768, 896, 1024, 1280, 1536, 1792, 2048,
    2560, 3072, 3584, 4096, 5120, 6144, 7168, 8192
};
#define NCLASSES ((int)(sizeof class_size / sizeof class_size[0]))

/* A free cell: a header with type JS_CELL_FREE, then the link. */
typedef struct gc_free {
    js_cell h;
    struct gc_free *next;
} gc_free;

typedef struct gc_block {
    char *cells;                 /* first cell */
    gc_free *free;               /* free cells not handed to any allocation context */
    struct gc_block *next_avail; /* heap->avail[cls] list */
    uint32_t cell_size;
    uint32_t ncells;
    uint32_t nfree;              /* length of `free` */
    uint32_t nlive;              /* live cells after the last sweep */
    uint16_t cls;
    uint8_t in_avail;
} gc_block;

/* Header of a large cell; the cell follows, GRANULE-aligned. */
typedef struct gc_large {
    size_t size;
    size_t pad;
} gc_large;

/* A thread's allocation context, per class: the free list it pops from, then
 * an untouched range of a fresh block it bumps through. */
typedef struct gc_alloc_ctx {
    gc_free *free[NCLASSES];
    char *bump[NCLASSES];
    char *bump_end[NCLASSES];
} gc_alloc_ctx;

typedef struct gc_weak {
    void *cell;
    const js_weak_ops *ops;
} gc_weak;

struct js_gc_tracer {
    struct gc_heap *heap;
};

/*
 * One heap per runtime. Thread rules: touched only by the thread holding the
 * runtime (Layer B: under its GIL). Allocation goes through the caller's own
 * js_thread.alloc context; a collection runs with every other thread of the
 * runtime stopped at a safepoint, resets all contexts and (Layer B, to do)
 * must also scan the stacks the stopped threads saved at their safepoints.
 */
typedef struct gc_heap {
    js_runtime *rt;
    uint8_t class_of[SMALL_MAX / GRANULE + 1];   /* granules -> class */
    /* Blocks in use, sorted by address (conservative lookup, sweeping). */
    gc_block **blocks;
    size_t nblocks, cap_blocks;
    gc_block *avail[NCLASSES];   /* blocks with free cells */
    gc_block *empty;             /* cache of empty blocks, linked by next_avail */
    size_t nempty;
    /* Large cells, sorted by address. */
    gc_large **large;
    size_t nlarge, cap_large;
    size_t large_bytes;
    /* Accounting. */
    size_t alloc_bytes;          /* cell bytes handed out since (and live at) the last sweep */
    size_t malloc_bytes;
    size_t threshold;
    size_t collections;
    uintptr_t lo, hi;            /* address range covering blocks and large cells */
    /* Marking. */
    js_gc_tracer tracer;
    void **mark_stack;
    size_t msp, mark_cap;
    int mark_overflow;
    js_cell *ring[PREFETCH_RING];   /* FIFO of cells whose headers are on their way */
    unsigned ring_head, ring_count;
    /* Roots and weak cells. */
    jsv **roots;
    size_t nroots, cap_roots;
    gc_weak *weak;
    size_t nweak, cap_weak;
    /* Guards. */
    int in_gc;
    int no_gc;
    int in_oom;
    /* Debugging aid (JSE_GC_ZEAL=N): collect every N allocations, to flush
     * out cells that are not rooted across an allocation. */
    unsigned zeal, zeal_count;
} gc_heap;

static inline gc_heap *heap_of(js_runtime *rt) { return (gc_heap *)rt->heap; }

/* ---------------- block and large-cell bookkeeping ---------------- */

static void update_range(gc_heap *h, uintptr_t lo, uintptr_t hi)
{
    if (h->lo == 0 || lo < h->lo) h->lo = lo;
    if (hi > h->hi) h->hi = hi;
}

static void *map_block(void)
{
    /* Map twice the size and trim to get the alignment. */
    size_t len = BLOCK_SIZE * 2;
    char *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) return NULL;
    uintptr_t a = ((uintptr_t)p + BLOCK_SIZE - 1) & BLOCK_MASK;
    size_t head = a - (uintptr_t)p;
    if (head) munmap(p, head);
    size_t tail = len - head - BLOCK_SIZE;
    if (tail) munmap((char *)a + BLOCK_SIZE, tail);
    return (void *)a;
}

static void unmap_block(gc_block *b)
{
    munmap(b, BLOCK_SIZE);
}

/* The process-wide block cache (doc/threads/bindings.md: locked by its own
 * mutex, a leaf lock). Every header in a cached block reads JS_CELL_FREE
 * and b->cls is the class it was formatted for. */
static struct {
    pthread_mutex_t lock;
    gc_block *head[NCLASSES];
    int count;
} gc_shared_cache = { PTHREAD_MUTEX_INITIALIZER, { NULL }, 0 };

static gc_block *shared_cache_take(int cls)
{
    pthread_mutex_lock(&gc_shared_cache.lock);
    gc_block *b = gc_shared_cache.head[cls];
    if (b) {
        gc_shared_cache.head[cls] = b->next_avail;
        gc_shared_cache.count--;
    }
    pthread_mutex_unlock(&gc_shared_cache.lock);
    return b;
}

/* Keeps b for another heap, or unmaps it when the cache is full. */
static void shared_cache_put(gc_block *b)
{
    pthread_mutex_lock(&gc_shared_cache.lock);
    int kept = gc_shared_cache.count < SHARED_CACHE_MAX;
    if (kept) {
        b->next_avail = gc_shared_cache.head[b->cls];
        gc_shared_cache.head[b->cls] = b;
        gc_shared_cache.count++;
    }
    pthread_mutex_unlock(&gc_shared_cache.lock);
    if (!kept)
        unmap_block(b);
}

/* Index of the first element >= key in a sorted pointer array. */
static size_t lower_bound(void *const *a, size_t n, uintptr_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((uintptr_t)a[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

static int insert_sorted(void ***arr, size_t *n, size_t *cap, void *p)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        void **na = realloc(*arr, nc * sizeof *na);
        if (!na) return -1;
        *arr = na;
        *cap = nc;
    }
    size_t i = lower_bound(*arr, *n, (uintptr_t)p);
    memmove(*arr + i + 1, *arr + i, (*n - i) * sizeof **arr);
    (*arr)[i] = p;
    (*n)++;
    return 0;
}

/*
 * Lay out an empty block for class cls. Every cell header must read
 * JS_CELL_FREE: fresh mappings are zero, and a cached block's old headers
 * were all freed by the sweep, so only a change of class needs a pass. The
 * free list is built only on request (zeal mode); normally the block is
 * handed out as a bump range.
 */
static void format_block(gc_block *b, int cls, int old_cls, int with_free_list)
{
    size_t hdr = (sizeof(gc_block) + 63) & ~(size_t)63;
    b->cells = (char *)b + hdr;
    b->cell_size = class_size[cls];
    b->ncells = (uint32_t)((BLOCK_SIZE - hdr) / b->cell_size);
    b->cls = (uint16_t)cls;
    b->nlive = 0;
    b->next_avail = NULL;
    b->in_avail = 0;
    b->free = NULL;
    b->nfree = 0;
    if (old_cls != cls && old_cls >= 0) {
        for (uint32_t i = 0; i < b->ncells; i++) {
            js_cell *c = (js_cell *)(b->cells + (size_t)i * b->cell_size);
            c->type = JS_CELL_FREE;
            c->gcbits = 0;
        }
    }
    if (!with_free_list) return;
    /* Back to front so cells are handed out in address order. */
    gc_free *list = NULL;
    for (uint32_t i = b->ncells; i-- > 0;) {
        gc_free *f = (gc_free *)(b->cells + (size_t)i * b->cell_size);
        f->h.type = JS_CELL_FREE;
        f->h.gcbits = 0;
        f->next = list;
        list = f;
    }
    b->free = list;
    b->nfree = b->ncells;
}

static size_t footprint(gc_heap *h)
{
    return (h->nblocks + (size_t)h->nempty) * BLOCK_SIZE + h->large_bytes + h->malloc_bytes;
}

/* Would `extra` more bytes break the memory limit? */
static int over_limit(gc_heap *h, size_t extra)
{
    size_t lim = h->rt->opts.memory_limit;
    if (!lim || h->in_oom) return 0;
    return extra > lim || footprint(h) > lim - extra;
}

static void throw_oom(js_thread *t)
{
    gc_heap *h = heap_of(t->rt);
    /* Throwing may allocate; let it through the limit. */
    h->in_oom++;
    jsvm_throw_out_of_memory(t);
    h->in_oom--;
}

static gc_block *new_block(gc_heap *h, int cls, int with_free_list)
{
    gc_block *b;
    int old_cls = -1;
    if (h->empty) {
        b = h->empty;
        h->empty = b->next_avail;
        h->nempty--;
        old_cls = b->cls;
    } else if ((b = shared_cache_take(cls)) != NULL) {
        old_cls = cls;
    } else {
        b = map_block();
        if (!b) return NULL;
    }
    if (insert_sorted((void ***)&h->blocks, &h->nblocks, &h->cap_blocks, b) < 0) {
        unmap_block(b);
        return NULL;
    }
    update_range(h, (uintptr_t)b, (uintptr_t)b + BLOCK_SIZE);
    format_block(b, cls, old_cls, with_free_list);
    return b;
}

/* Unmap cached empty blocks beyond `keep`. */
static void trim_empty(gc_heap *h, size_t keep)
{
    while (h->nempty > keep) {
        gc_block *b = h->empty;
        h->empty = b->next_avail;
        h->nempty--;
        unmap_block(b);
    }
}

/* ---------------- marking ---------------- */

static void mark_push(gc_heap *h, void *cell)
{
    if (h->msp == h->mark_cap) {
        size_t nc = h->mark_cap ? h->mark_cap * 2 : MARK_STACK_INIT;
        void **ns = realloc(h->mark_stack, nc * sizeof *ns);
        if (!ns) {
            /* The cell stays marked but untraced; drain() rescans the heap. */
            h->mark_overflow = 1;
            return;
        }
        h->mark_stack = ns;
        h->mark_cap = nc;
    }
    h->mark_stack[h->msp++] = cell;
}

static inline void mark_now(gc_heap *h, js_cell *c)
{
    if (c->gcbits & MARK_BIT) return;
    c->gcbits |= MARK_BIT;
    /* Leaves need no tracing. */
    if (c->type == JS_CELL_BIGINT) return;
    if (c->type == JS_CELL_STRING && !(c->flags & (JS_STR_ROPE | JS_STR_FLATTENED))) return;
    mark_push(h, c);
}

/*
 * Marking is bound by cache misses on cell headers, so a cell is not looked
 * at when it is reached: its header is prefetched and it waits in a small
 * ring while the marks before it are done. drain() empties the ring, so after
 * it (and so in every weak callback) "marked" and "live" agree.
 */
void jsgc_mark_cell(js_gc_tracer *trc, const void *cell)
{
    js_cell *c = (js_cell *)cell;
    if (!c) return;
    gc_heap *h = trc->heap;
    __builtin_prefetch(c, 1);
    if (h->ring_count < PREFETCH_RING) {
        h->ring[(h->ring_head + h->ring_count++) & (PREFETCH_RING - 1)] = c;
        return;
    }
    js_cell *old = h->ring[h->ring_head];
    h->ring[h->ring_head] = c;
    h->ring_head = (h->ring_head + 1) & (PREFETCH_RING - 1);
    mark_now(h, old);
}

/* Mark the oldest cell waiting in the prefetch ring; 0 if it is empty. */
static int ring_pop(gc_heap *h)
{
    if (!h->ring_count) return 0;
    js_cell *c = h->ring[h->ring_head];
    h->ring_head = (h->ring_head + 1) & (PREFETCH_RING - 1);
    h->ring_count--;
    mark_now(h, c);
    return 1;
}

void jsgc_mark_value(js_gc_tracer *trc, jsv v)
{
    if (jsv_is_gc(v)) jsgc_mark_cell(trc, jsv_get_ptr(v));
}

int jsgc_is_live(const void *cell)
{
    return !cell || (((const js_cell *)cell)->gcbits & MARK_BIT) != 0;
}

int jsgc_value_is_live(jsv v)
{
    return !jsv_is_gc(v) || jsgc_is_live(jsv_get_ptr(v));
}

static void trace_realm(js_gc_tracer *trc, js_realm *r)
{
    jsgc_mark_cell(trc, r->global);
    jsgc_mark_value(trc, r->global_this);
    jsgc_mark_value(trc, r->template_map);
    jsgc_mark_value(trc, r->host_defined);
    jsgc_mark_values(trc, r->intrinsics, JS_INTR_COUNT);
    jsvm_trace_realm(trc, r);
}

static void trace_cell(js_gc_tracer *trc, js_cell *c)
{
    switch (c->type) {
    case JS_CELL_STRING:
        jsstr_trace(trc, (js_string *)c);
        break;
    case JS_CELL_SYMBOL:
        jsgc_mark_value(trc, ((js_symbol *)c)->description);
        break;
    case JS_CELL_OBJECT:
        jsobj_trace(trc, (js_object *)c);
        break;
    case JS_CELL_SHAPE:
        jsshape_trace(trc, (js_shape *)c);
        break;
    case JS_CELL_ACCESSOR:
        jsgc_mark_value(trc, ((js_accessor *)c)->getter);
        jsgc_mark_value(trc, ((js_accessor *)c)->setter);
        break;
    case JS_CELL_FUNCTION_BC:
        jsvm_trace_function_bc(trc, c);
        break;
    case JS_CELL_ENV:
        jsvm_trace_env(trc, c);
        break;
    case JS_CELL_REALM:
        trace_realm(trc, (js_realm *)c);
        break;
    case JS_CELL_INTERNAL: {
        const js_internal_ops *ops = ((js_internal *)c)->ops;
        if (ops && ops->trace) ops->trace(trc, c);
        break;
    }
    default:
        break;
    }
}

static void rescan_marked(gc_heap *h);

/* Trace until the mark stack is empty (and no overflow is pending). */
static void drain(gc_heap *h)
{
    for (;;) {
        while (h->msp > 0) {
            js_cell *c = h->mark_stack[--h->msp];
            trace_cell(&h->tracer, c);
        }
        if (ring_pop(h)) continue;
        if (!h->mark_overflow) break;
        h->mark_overflow = 0;
        rescan_marked(h);
    }
}

/* Mark-stack overflow recovery: re-trace every marked cell, which pushes the
 * unmarked children the lost entries would have reached. */
static void rescan_marked(gc_heap *h)
{
    for (size_t i = 0; i < h->nblocks; i++) {
        gc_block *b = h->blocks[i];
        for (uint32_t j = 0; j < b->ncells; j++) {
            js_cell *c = (js_cell *)(b->cells + (size_t)j * b->cell_size);
            if (c->type != JS_CELL_FREE && (c->gcbits & MARK_BIT)) {
                trace_cell(&h->tracer, c);
                while (h->msp > 0) trace_cell(&h->tracer, h->mark_stack[--h->msp]);
            }
        }
    }
    for (size_t i = 0; i < h->nlarge; i++) {
        js_cell *c = (js_cell *)(h->large[i] + 1);
        if (c->gcbits & MARK_BIT) {
            trace_cell(&h->tracer, c);
            while (h->msp > 0) trace_cell(&h->tracer, h->mark_stack[--h->msp]);
        }
    }
}

/* ---------------- conservative scan ---------------- */

static js_cell *find_cell(gc_heap *h, uintptr_t w)
{
    if (w < h->lo || w >= h->hi) return NULL;
    uintptr_t base = w & BLOCK_MASK;
    size_t i = lower_bound((void *const *)h->blocks, h->nblocks, base);
    if (i < h->nblocks && (uintptr_t)h->blocks[i] == base) {
        gc_block *b = h->blocks[i];
        if (w < (uintptr_t)b->cells) return NULL;
        size_t idx = (w - (uintptr_t)b->cells) / b->cell_size;
        if (idx >= b->ncells) return NULL;
        js_cell *c = (js_cell *)(b->cells + idx * b->cell_size);
        return c->type == JS_CELL_FREE ? NULL : c;
    }
    if (h->nlarge == 0) return NULL;
    /* The last large cell starting at or below w. */
    i = lower_bound((void *const *)h->large, h->nlarge, w + 1);
    if (i == 0) return NULL;
    gc_large *l = h->large[i - 1];
    uintptr_t start = (uintptr_t)(l + 1);
    if (w >= start && w < start + l->size) return (js_cell *)start;
    return NULL;
}

void *jsgc_find_cell(js_runtime *rt, const void *p)
{
    gc_heap *h = heap_of(rt);
    return h ? find_cell(h, (uintptr_t)p) : NULL;
}

JSGC_NO_ASAN __attribute__((noinline))
static void scan_range(gc_heap *h, uintptr_t lo, uintptr_t hi)
{
    lo = (lo + sizeof(uintptr_t) - 1) & ~(uintptr_t)(sizeof(uintptr_t) - 1);
    if (hi <= lo) return;
#ifdef JSGC_HAVE_MEMCHECK
    VALGRIND_MAKE_MEM_DEFINED((void *)lo, hi - lo);
#endif
    for (uintptr_t p = lo; p + sizeof(uintptr_t) <= hi; p += sizeof(uintptr_t)) {
        uintptr_t w = *(const uintptr_t *)p & JSV_PAYLOAD_MASK;
        if (w < h->lo || w >= h->hi) continue;
        js_cell *c = find_cell(h, w);
        if (c) jsgc_mark_cell(&h->tracer, c);
    }
}

/* Called from scan_stack below the frame holding the spilled registers, so
 * scanning from here up covers them. */
JSGC_NO_ASAN __attribute__((noinline))
static void scan_stack_from_here(gc_heap *h, js_thread *t)
{
    volatile uintptr_t marker = 0;
    uintptr_t lo = (uintptr_t)&marker;
    uintptr_t hi = (uintptr_t)t->c_stack_base;
    if (hi > lo) scan_range(h, lo, hi);
}

JSGC_NO_ASAN __attribute__((noinline))
static void scan_stack(gc_heap *h, js_thread *t)
{
    jmp_buf regs;
    /* Spill callee-saved registers (unmangled) into this frame, and the rest
     * through setjmp. */
    __builtin_unwind_init();
    setjmp(regs);
    scan_stack_from_here(h, t);
    /* Keep regs live across the call, and the call from being a tail call. */
    __asm__ volatile("" : : "r"(&regs) : "memory");
}

/* ---------------- roots ---------------- */

static void mark_roots(gc_heap *h, js_thread *t)
{
    for (size_t i = 0; i < h->nroots; i++)
        jsgc_mark_value(&h->tracer, *h->roots[i]);
    jsrt_trace_roots(&h->tracer, h->rt);
    drain(h);
    if (t && t->c_stack_base) {
        scan_stack(h, t);
        drain(h);
    }
}

/* ---------------- weak phases ---------------- */

static void mark_ephemerons(gc_heap *h)
{
    int progress;
    do {
        progress = 0;
        for (size_t i = 0; i < h->nweak; i++) {
            gc_weak *w = &h->weak[i];
            if (!w->ops->mark_ephemerons || !jsgc_is_live(w->cell)) continue;
            if (w->ops->mark_ephemerons(&h->tracer, w->cell) > 0) {
                drain(h);
                progress = 1;
            }
        }
    } while (progress);
}

static void sweep_weak(gc_heap *h)
{
    size_t n = 0;
    for (size_t i = 0; i < h->nweak; i++) {
        gc_weak w = h->weak[i];
        if (!jsgc_is_live(w.cell)) continue;
        if (w.ops->sweep) w.ops->sweep(h->rt, w.cell);
        h->weak[n++] = w;
    }
    h->nweak = n;
}

int jsgc_register_weak(js_thread *t, void *cell, const js_weak_ops *ops)
{
    gc_heap *h = heap_of(t->rt);
    if (h->nweak == h->cap_weak) {
        size_t nc = h->cap_weak ? h->cap_weak * 2 : 64;
        gc_weak *nw = realloc(h->weak, nc * sizeof *nw);
        if (!nw) {
            throw_oom(t);
            return -1;
        }
        h->weak = nw;
        h->cap_weak = nc;
    }
    h->weak[h->nweak].cell = cell;
    h->weak[h->nweak].ops = ops;
    h->nweak++;
    return 0;
}

/* ---------------- sweeping ---------------- */

static void finalize_cell(js_runtime *rt, js_cell *c)
{
    switch (c->type) {
    case JS_CELL_OBJECT:
        jsobj_finalize(rt, (js_object *)c);
        break;
    case JS_CELL_SHAPE:
        jsshape_finalize(rt, (js_shape *)c);
        break;
    case JS_CELL_FUNCTION_BC:
        jsvm_finalize_function_bc(rt, c);
        break;
    case JS_CELL_ENV:
        jsvm_finalize_env(rt, c);
        break;
    case JS_CELL_INTERNAL: {
        const js_internal_ops *ops = ((js_internal *)c)->ops;
        if (ops && ops->finalize) ops->finalize(rt, c);
        break;
    }
    default:
        break;
    }
}

/* Cell types whose finalizer does something. */
static inline int needs_finalize(unsigned type)
{
    return type == JS_CELL_OBJECT || type == JS_CELL_SHAPE || type == JS_CELL_FUNCTION_BC ||
           type == JS_CELL_ENV || type == JS_CELL_INTERNAL;
}

/* Phase 1: run the finalizers of every dead cell while all cell memory is
 * still intact, so a finalizer may still read another dead cell's fields. */
/* Where the cells of b that were ever handed out end. An allocation context
 * still bumping through b never touched what lies past its bump pointer
 * (zero pages or FREE headers): reading it would only fault pages in. */
static char *used_end(gc_heap *h, gc_block *b)
{
    char *end = b->cells + (size_t)b->ncells * b->cell_size;
    for (js_thread *t = h->rt->threads; t; t = t->next) {
        gc_alloc_ctx *ctx = t->alloc;
        char *p = ctx ? ctx->bump[b->cls] : NULL;
        if (p && p < ctx->bump_end[b->cls] && ((uintptr_t)p & BLOCK_MASK) == (uintptr_t)b && p < end)
            end = p;
    }
    return end;
}

static void finalize_dead(gc_heap *h, int all)
{
    for (size_t i = 0; i < h->nblocks; i++) {
        gc_block *b = h->blocks[i];
        char *p = b->cells, *end = used_end(h, b);
        for (; p < end; p += b->cell_size) {
            js_cell *c = (js_cell *)p;
            if (c->type != JS_CELL_FREE && (all || !(c->gcbits & MARK_BIT)) && needs_finalize(c->type))
                finalize_cell(h->rt, c);
        }
    }
    for (size_t i = 0; i < h->nlarge; i++) {
        js_cell *c = (js_cell *)(h->large[i] + 1);
        if ((all || !(c->gcbits & MARK_BIT)) && needs_finalize(c->type))
            finalize_cell(h->rt, c);
    }
}

static void release_block(gc_heap *h, gc_block *b)
{
    /* Every header in it is JS_CELL_FREE now (see format_block). */
    b->next_avail = h->empty;
    h->empty = b;
    h->nempty++;
}

/* Phase 2: free dead cells, rebuild free lists, release empty blocks.
 * Returns the live cell bytes. */
static size_t sweep_cells(gc_heap *h, size_t *cells_live)
{
    size_t live_bytes = 0, live_cells = 0, nb = 0;
    for (int c = 0; c < NCLASSES; c++) h->avail[c] = NULL;
    for (size_t i = 0; i < h->nblocks; i++) {
        gc_block *b = h->blocks[i];
        gc_free *list = NULL;
        uint32_t nfree = 0, nlive = 0;
        /* Back to front: the free list comes out in address order. */
        for (uint32_t j = b->ncells; j-- > 0;) {
            js_cell *c = (js_cell *)(b->cells + (size_t)j * b->cell_size);
            if (c->type != JS_CELL_FREE && (c->gcbits & MARK_BIT)) {
                c->gcbits &= (uint8_t)~MARK_BIT;
                nlive++;
                continue;
            }
            gc_free *f = (gc_free *)c;
            /* Zeal mode: make a use after free fail loudly (the pattern is
             * neither a valid pointer nor a plausible value). */
            if (h->zeal && c->type != JS_CELL_FREE)
                memset((char *)c + sizeof(gc_free), 0xDB, b->cell_size - sizeof(gc_free));
            f->h.type = JS_CELL_FREE;
            f->h.gcbits = 0;
            f->next = list;
            list = f;
            nfree++;
        }
        if (nlive == 0) {
            release_block(h, b);
            continue;
        }
        b->free = list;
        b->nfree = nfree;
        b->nlive = nlive;
        b->in_avail = 0;
        b->next_avail = NULL;
        if (nfree) {
            b->next_avail = h->avail[b->cls];
            h->avail[b->cls] = b;
            b->in_avail = 1;
        }
        live_bytes += (size_t)nlive * b->cell_size;
        live_cells += nlive;
        h->blocks[nb++] = b;
    }
    h->nblocks = nb;

    size_t nl = 0;
    h->large_bytes = 0;
    for (size_t i = 0; i < h->nlarge; i++) {
        gc_large *l = h->large[i];
        js_cell *c = (js_cell *)(l + 1);
        if (c->gcbits & MARK_BIT) {
            c->gcbits &= (uint8_t)~MARK_BIT;
            live_bytes += l->size;
            live_cells++;
            h->large_bytes += l->size + sizeof(gc_large);
            h->large[nl++] = l;
        } else {
            if (h->zeal) memset(c, 0xDB, l->size);
            free(l);
        }
    }
    h->nlarge = nl;

    /* Recompute the address range. */
    h->lo = h->hi = 0;
    if (h->nblocks)
        update_range(h, (uintptr_t)h->blocks[0], (uintptr_t)h->blocks[h->nblocks - 1] + BLOCK_SIZE);
    if (h->nlarge) {
        gc_large *first = h->large[0], *last = h->large[h->nlarge - 1];
        update_range(h, (uintptr_t)first, (uintptr_t)(last + 1) + last->size);
    }
    *cells_live = live_cells;
    return live_bytes;
}

/* ---------------- collection ---------------- */

static void reset_alloc_contexts(gc_heap *h)
{
    /* Cells left in the contexts are JS_CELL_FREE: the sweep finds them again. */
    for (js_thread *t = h->rt->threads; t; t = t->next) {
        gc_alloc_ctx *ctx = t->alloc;
        if (ctx) memset(ctx, 0, sizeof *ctx);
    }
}

static void collect(gc_heap *h, js_thread *t)
{
    if (h->in_gc || h->no_gc) return;
    h->in_gc = 1;
    reset_alloc_contexts(h);

    h->msp = 0;
    h->mark_overflow = 0;
    mark_roots(h, t);
    mark_ephemerons(h);
    drain(h);   /* nothing may wait in the prefetch ring past this point */

    /* Don't keep a mark stack a wide object graph once needed. */
    if (h->mark_cap > 16 * MARK_STACK_INIT) {
        void **ns = realloc(h->mark_stack, MARK_STACK_INIT * sizeof *ns);
        if (ns) {
            h->mark_stack = ns;
            h->mark_cap = MARK_STACK_INIT;
        }
    }

    sweep_weak(h);
    jsstr_sweep_atoms(h->rt);
    finalize_dead(h, 0);
    size_t cells_live;
    size_t live = sweep_cells(h, &cells_live);

    h->alloc_bytes = live;
    size_t total = live + h->malloc_bytes;
    h->threshold = total * 2 > MIN_THRESHOLD ? total * 2 : MIN_THRESHOLD;
    size_t keep = (h->threshold - total) / BLOCK_SIZE;
    if (keep < EMPTY_CACHE_MIN || h->rt->opts.memory_limit) keep = EMPTY_CACHE_MIN;
    if (keep > EMPTY_CACHE_MAX) keep = EMPTY_CACHE_MAX;
    trim_empty(h, keep);
    h->collections++;
    h->in_gc = 0;

    /* after_gc hooks may allocate but must not start a collection. */
    if (t && h->nweak) {
        h->no_gc++;
        size_t n = h->nweak;
        for (size_t i = 0; i < n && i < h->nweak; i++) {
            gc_weak w = h->weak[i];
            if (w.ops->after_gc) w.ops->after_gc(t, w.cell);
        }
        h->no_gc--;
    }
}

void jsgc_collect(js_runtime *rt)
{
    gc_heap *h = heap_of(rt);
    if (!h) return;
    collect(h, jsrt_thread(rt));
}

static inline int want_collect(gc_heap *h)
{
    return h->alloc_bytes + h->malloc_bytes > h->threshold && !h->in_gc && !h->no_gc;
}

/* ---------------- allocation ---------------- */

static int zeal_tick(gc_heap *h, js_thread *t)
{
    if (++h->zeal_count < h->zeal) return 0;
    h->zeal_count = 0;
    collect(h, t);
    return 1;
}

static void *alloc_large(js_thread *t, size_t size, unsigned type)
{
    gc_heap *h = heap_of(t->rt);
    /* Sizes this large come from overflowed arithmetic, never from data. */
    if (size > ((size_t)1 << 40)) {
        throw_oom(t);
        return NULL;
    }
    size_t total = sizeof(gc_large) + size;
    if (h->zeal) zeal_tick(h, t);
    if (want_collect(h) || over_limit(h, total)) collect(h, t);
    if (over_limit(h, total)) {
        throw_oom(t);
        return NULL;
    }
    gc_large *l = malloc(total);
    if (!l) {
        collect(h, t);
        l = malloc(total);
        if (!l) {
            throw_oom(t);
            return NULL;
        }
    }
    if (insert_sorted((void ***)&h->large, &h->nlarge, &h->cap_large, l) < 0) {
        free(l);
        throw_oom(t);
        return NULL;
    }
    l->size = size;
    l->pad = 0;
    h->large_bytes += total;
    h->alloc_bytes += size;
    update_range(h, (uintptr_t)l, (uintptr_t)(l + 1) + size);
    js_cell *c = (js_cell *)(l + 1);
    memset(c, 0, size);
    c->type = (uint8_t)type;
    return c;
}

/* Hand a block's free list to ctx. */
static void take_block(gc_heap *h, gc_alloc_ctx *ctx, gc_block *b)
{
    ctx->free[b->cls] = b->free;
    h->alloc_bytes += (size_t)b->nfree * b->cell_size;
    b->free = NULL;
    b->nfree = 0;
}

/* Zeal mode: hand out one cell at a time so every allocation comes here. */
static int refill_zeal(js_thread *t, gc_alloc_ctx *ctx, int cls)
{
    gc_heap *h = heap_of(t->rt);
    zeal_tick(h, t);
    gc_block *b = h->avail[cls];
    if (!b) {
        if ((!h->empty && over_limit(h, BLOCK_SIZE)) || !(b = new_block(h, cls, 1))) {
            throw_oom(t);
            return -1;
        }
        b->next_avail = NULL;
        b->in_avail = 1;
        h->avail[cls] = b;
    }
    gc_free *f = b->free;
    b->free = f->next;
    if (--b->nfree == 0) {
        h->avail[cls] = b->next_avail;
        b->next_avail = NULL;
        b->in_avail = 0;
    }
    f->next = NULL;
    ctx->free[cls] = f;
    h->alloc_bytes += b->cell_size;
    return 0;
}

static int refill(js_thread *t, gc_alloc_ctx *ctx, int cls)
{
    gc_heap *h = heap_of(t->rt);
    if (h->zeal) return refill_zeal(t, ctx, cls);
    for (int attempt = 0;; attempt++) {
        gc_block *b = h->avail[cls];
        if (b) {
            h->avail[cls] = b->next_avail;
            b->next_avail = NULL;
            b->in_avail = 0;
            take_block(h, ctx, b);
            if (ctx->free[cls]) return 0;
            continue;
        }
        int limited = !h->empty && over_limit(h, BLOCK_SIZE);
        if (attempt == 0 && (want_collect(h) || limited)) {
            collect(h, t);
            /* The collection emptied ctx; avail may have blocks now. */
            continue;
        }
        if (limited) break;
        b = new_block(h, cls, 0);
        if (!b && attempt == 0) {
            collect(h, t);
            continue;
        }
        if (!b) break;
        /* A fresh block: bump through it, no free list to chase. */
        ctx->bump[cls] = b->cells;
        ctx->bump_end[cls] = b->cells + (size_t)b->ncells * b->cell_size;
        h->alloc_bytes += (size_t)b->ncells * b->cell_size;
        return 0;
    }
    throw_oom(t);
    return -1;
}

void *jsgc_alloc(js_thread *t, size_t size, unsigned type)
{
    assert(type > JS_CELL_FREE && type < JS_CELL_TYPE_COUNT);
    assert(!heap_of(t->rt)->in_gc);
    if (size < sizeof(js_cell)) size = sizeof(js_cell);
    if (size > SMALL_MAX) return alloc_large(t, size, type);
    gc_heap *h = heap_of(t->rt);
    gc_alloc_ctx *ctx = t->alloc;
    int cls = h->class_of[(size + GRANULE - 1) / GRANULE];
    gc_free *f;
    for (;;) {
        f = ctx->free[cls];
        if (__builtin_expect(f != NULL, 1)) {
            ctx->free[cls] = f->next;
            break;
        }
        char *p = ctx->bump[cls];
        if (p < ctx->bump_end[cls]) {
            ctx->bump[cls] = p + class_size[cls];
            f = (gc_free *)p;
            break;
        }
        if (refill(t, ctx, cls) < 0) return NULL;
    }
    memset(f, 0, size);
    f->h.type = (uint8_t)type;
    return f;
}

void *jsgc_malloc(js_thread *t, size_t size)
{
    gc_heap *h = heap_of(t->rt);
    if (over_limit(h, size)) {
        collect(h, t);
        if (over_limit(h, size)) {
            throw_oom(t);
            return NULL;
        }
    }
    void *p = malloc(size ? size : 1);
    if (!p) {
        collect(h, t);
        p = malloc(size ? size : 1);
        if (!p) {
            throw_oom(t);
            return NULL;
        }
    }
    h->malloc_bytes += size;
    return p;
}

void *jsgc_realloc(js_thread *t, void *p, size_t old_size, size_t new_size)
{
    gc_heap *h = heap_of(t->rt);
    if (new_size > old_size && over_limit(h, new_size - old_size)) {
        collect(h, t);
        if (over_limit(h, new_size - old_size)) {
            throw_oom(t);
            return NULL;
        }
    }
    void *np = realloc(p, new_size ? new_size : 1);
    if (!np) {
        collect(h, t);
        np = realloc(p, new_size ? new_size : 1);
        if (!np) {
            throw_oom(t);
            return NULL;
        }
    }
    h->malloc_bytes -= old_size < h->malloc_bytes ? old_size : h->malloc_bytes;
    h->malloc_bytes += new_size;
    return np;
}

void jsgc_free(js_runtime *rt, void *p, size_t size)
{
    if (!p) return;
    free(p);
    gc_heap *h = heap_of(rt);
    if (h) h->malloc_bytes -= size < h->malloc_bytes ? size : h->malloc_bytes;
}

/* ---------------- roots, guards, stats ---------------- */

int jsgc_add_root(js_runtime *rt, jsv *slot)
{
    gc_heap *h = heap_of(rt);
    if (h->nroots == h->cap_roots) {
        size_t nc = h->cap_roots ? h->cap_roots * 2 : 32;
        jsv **nr = realloc(h->roots, nc * sizeof *nr);
        if (!nr) return -1;
        h->roots = nr;
        h->cap_roots = nc;
    }
    h->roots[h->nroots++] = slot;
    return 0;
}

void jsgc_remove_root(js_runtime *rt, jsv *slot)
{
    gc_heap *h = heap_of(rt);
    /* Search from the end: roots are usually removed in LIFO order. */
    for (size_t i = h->nroots; i-- > 0;) {
        if (h->roots[i] == slot) {
            memmove(h->roots + i, h->roots + i + 1, (h->nroots - i - 1) * sizeof *h->roots);
            h->nroots--;
            return;
        }
    }
}

void jsgc_disable(js_runtime *rt)
{
    heap_of(rt)->no_gc++;
}

void jsgc_enable(js_runtime *rt)
{
    gc_heap *h = heap_of(rt);
    assert(h->no_gc > 0);
    if (h->no_gc > 0) h->no_gc--;
}

void jsgc_get_stats(js_runtime *rt, js_gc_stats *out)
{
    gc_heap *h = heap_of(rt);
    size_t bytes = 0, cells = 0;
    for (size_t i = 0; i < h->nblocks; i++) {
        gc_block *b = h->blocks[i];
        for (uint32_t j = 0; j < b->ncells; j++) {
            js_cell *c = (js_cell *)(b->cells + (size_t)j * b->cell_size);
            if (c->type != JS_CELL_FREE) {
                bytes += b->cell_size;
                cells++;
            }
        }
    }
    for (size_t i = 0; i < h->nlarge; i++) {
        bytes += h->large[i]->size;
        cells++;
    }
    out->heap_bytes = bytes;
    out->malloc_bytes = h->malloc_bytes;
    out->collections = h->collections;
    out->cells_live = cells;
}

/* ---------------- set-up and teardown ---------------- */

int jsgc_init(js_runtime *rt)
{
    gc_heap *h = calloc(1, sizeof *h);
    if (!h) return -1;
    h->rt = rt;
    h->tracer.heap = h;
    h->threshold = MIN_THRESHOLD;
    int cls = 0;
    for (size_t g = 0; g <= SMALL_MAX / GRANULE; g++) {
        while (class_size[cls] < g * GRANULE) cls++;
        h->class_of[g] = (uint8_t)cls;
    }
    h->mark_stack = malloc(MARK_STACK_INIT * sizeof *h->mark_stack);
    if (!h->mark_stack) {
        free(h);
        return -1;
    }
    h->mark_cap = MARK_STACK_INIT;
    const char *zeal = getenv("JSE_GC_ZEAL");
    if (zeal) h->zeal = (unsigned)strtoul(zeal, NULL, 10);
    rt->heap = h;
    return 0;
}

void jsgc_destroy(js_runtime *rt)
{
    gc_heap *h = heap_of(rt);
    if (!h) return;
    h->in_gc = 1;
    finalize_dead(h, 1);
    /* Blocks go to the shared cache with every header FREE again. */
    for (size_t i = 0; i < h->nblocks; i++) {
        gc_block *b = h->blocks[i];
        char *end = used_end(h, b);
        for (char *p = b->cells; p < end; p += b->cell_size) {
            js_cell *c = (js_cell *)p;
            c->type = JS_CELL_FREE;
            c->gcbits = 0;
        }
        shared_cache_put(b);
    }
    while (h->empty) {
        gc_block *b = h->empty;
        h->empty = b->next_avail;
        h->nempty--;
        shared_cache_put(b);
    }
    for (size_t i = 0; i < h->nlarge; i++) free(h->large[i]);
    free(h->blocks);
    free(h->large);
    free(h->mark_stack);
    free(h->roots);
    free(h->weak);
    for (js_thread *t = rt->threads; t; t = t->next) {
        free(t->alloc);
        t->alloc = NULL;
    }
    free(h);
    rt->heap = NULL;
}

void jsgc_thread_attach(js_thread *t, void *stack_base)
{
    if (!t->alloc) t->alloc = calloc(1, sizeof(gc_alloc_ctx));
    if (stack_base) {
        t->c_stack_base = stack_base;
        return;
    }
    pthread_attr_t attr;
    void *addr = NULL;
    size_t size = 0;
    if (pthread_getattr_np(pthread_self(), &attr) == 0) {
        if (pthread_attr_getstack(&attr, &addr, &size) != 0) addr = NULL;
        pthread_attr_destroy(&attr);
    }
    if (addr) t->c_stack_base = (char *)addr + size;
    else t->c_stack_base = __builtin_frame_address(0);
}

void jsgc_thread_detach(js_thread *t)
{
    free(t->alloc);
    t->alloc = NULL;
}
