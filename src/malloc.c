/*
 * ealloc malloc: the C library's allocation functions on one heap of the
 * back-end chosen by EA_MALLOC_BACKEND (see <ealloc/malloc.h>).
 *
 * Freestanding like the rest of src/: no errno, no stdio, no system calls.
 * What only a hosted or newlib program can do — set errno, map more memory —
 * it asks of weak hooks (ea_malloc_errno_hook, ea_malloc_grow_hook).
 *
 * Every allocation first calls the back-end as it is (one critical section,
 * inside the back-end). Only when that fails — the heap is not initialised
 * or no block fits — does the slow path enter the section itself, ask the
 * grow hook for memory, and retry while still holding it, so that two
 * threads cannot both grow the heap for one shortage and no other context
 * takes the new memory between the hook and the retry. A realloc that needed
 * the hook is a move (a new region borders no block): the new block is taken
 * in that section, the copy and the free run after it, as on the fast path.
 * Bad input is rejected before the heap is touched: the table in the header.
 *
 * Built as its own library (ealloc_malloc), never into libealloc: linking
 * ealloc alone must not replace the C library's malloc.
 */
#include <string.h>

#include "ealloc/critical_section.h"
#include "ealloc/malloc.h"
#include "heap_common.h"

#if EA_MALLOC_BACKEND_ID_ == 1
#define H(call) ea_tlsf_##call
#else
#define H(call) ea_llff_##call
#endif

#if EA_TRACE
#include "trace_scope.h"
/* In an EA_TRACE build each C library call is one traced call (trace_scope.h): it is reported as the
 * program made it, and the back-end calls it makes, the grow hook's retry included, are not. */
#define TRACE_BEGIN()                   \
    struct ea_trace_frame trace_frame_; \
    trace_begin(&heap.common, &trace_frame_)
#define TRACE_END(op, ptr, result, count, size, align) \
    trace_end(&heap.common, &trace_frame_, op, ptr, result, count, size, align)
#else
#define TRACE_BEGIN() (void)0
#define TRACE_END(op, ptr, result, count, size, align) (void)0
#endif

/* One short string for every panic raised here: flash is scarce. */
#define PANIC_DETAIL "ealloc malloc"

static ea_malloc_heap_t heap = EA_MALLOC_HEAP_EMPTY_;

/* Set once, when ea_malloc_init has given the heap memory; read without the section (see the header). */
static bool initialised;

/* ---- hooks: weak defaults ------------------------------------------------------------ */

__attribute__((weak)) bool ea_malloc_grow_hook(size_t size, size_t align)
{
    (void)size;
    (void)align;
    return false;
}

__attribute__((weak)) void ea_malloc_errno_hook(struct _reent *reent, int code)
{
    (void)reent;
    (void)code;
}

__attribute__((weak)) void ea_malloc_foreign_hook(void *p)
{
    (void)p;
    ea_panic(EA_FAULT_FOREIGN_POINTER, PANIC_DETAIL);
}

/* ---- the heap ----------------------------------------------------------------------- */

void ea_malloc_init(void *start, size_t size)
{
    H(init)(&heap, start, size); /* panics (and does not return) on a second init or a bad region */
    initialised = true;
}

bool ea_malloc_add_region(void *start, size_t size)
{
    return H(add_region)(&heap, start, size);
}

#if EA_VALGRIND
/*
 * memcheck searches for leaks at exit only when a block of the C library's
 * heap is live then, and with ealloc as the program's malloc none is. At exit
 * (a destructor: after main returns or exit is called, before memcheck's
 * search) each region becomes a malloc block to memcheck, which then counts it
 * as the superblock of the pool's chunks and searches those still allocated.
 * Not earlier: memcheck would describe an address in a freed block as inside
 * the region, not as inside the block with the stack that freed it. Marked
 * written, for whatever the C library still writes out from its buffers.
 */
__attribute__((destructor)) static void leak_search_at_exit(void)
{
    for (const region_t *r = heap.common.regions; r != NULL; r = r->next) {
        VALGRIND_MALLOCLIKE_BLOCK(r, r->end - (uintptr_t)r, 0, 1);
    }
}
#endif

ea_malloc_heap_t *ea_malloc_heap(void)
{
    return &heap;
}

/* Before init the heap has no memory, which is no error: all zero, and sound. */
void ea_malloc_stats(ea_stats_t *out)
{
    if (!initialised) {
        memset(out, 0, sizeof *out);
        return;
    }
    H(stats)(&heap, out);
}

int ea_malloc_check(void)
{
    return initialised ? H(check)(&heap) : EA_OK;
}

bool ea_malloc_owns(const void *p)
{
    uintptr_t at = (uintptr_t)p;
    bool owned = false;
    ea_cs_state_t cs = ea_cs_enter();
    /* A payload lies after its block's header, so strictly inside [first, end) of its region. */
    for (const region_t *r = heap.common.regions; r != NULL && !owned; r = r->next) {
        owned = at > r->first && at < r->end;
    }
    ea_cs_exit(cs);
    return owned;
}

/* ---- the shared paths of the standard and the reentrant calls ---------------------- */

/*
 * The back-end's call for align (a power of two): its plain alloc for
 * malloc's own alignment or less, which needs no alignment dispatch.
 */
EA_ALWAYS_INLINE static inline void *backend_alloc(size_t align, size_t size)
{
    return align <= EA_ALIGN ? H(alloc)(&heap, size) : H(alloc_aligned)(&heap, align, size);
}

/*
 * The slow path: ask the grow hook for memory and, if it gave some, try once
 * more, both in one section. (The back-end reports a failed retry, through
 * ea_oom_hook, while that section is still held: the header says so.)
 */
static void *grow_and_retry(size_t align, size_t size)
{
    void *p = NULL;
    ea_cs_state_t cs = ea_cs_enter();
    if (ea_malloc_grow_hook(size, align) && initialised) {
        p = backend_alloc(align, size);
    }
    ea_cs_exit(cs);
    return p;
}

/*
 * size bytes aligned to align (a power of two), growing the heap through the
 * hook when the back-end has no block; NULL when even that fails. Never sets
 * errno: posix_memalign returns its code instead.
 */
static void *alloc_or_grow(size_t align, size_t size)
{
    void *p = initialised ? backend_alloc(align, size) : NULL;
    return p != NULL ? p : grow_and_retry(align, size);
}

#if !EA_TRACE
/* The grow hook's retry, reporting ENOMEM on failure as malloc does: the path off malloc's fast one. */
__attribute__((noinline)) static void *grow_reporting(struct _reent *reent, size_t align, size_t size)
{
    void *p = grow_and_retry(align, size);
    if (p == NULL) {
        ea_malloc_errno_hook(reent, EA_MALLOC_ENOMEM);
    }
    return p;
}
#endif

/*
 * alloc_or_grow, reporting ENOMEM on failure as malloc does. On malloc's
 * path (alloc_default) no more than the flag test, the back-end's call, a
 * test of its result, and a jump to the slow path when it failed (an
 * EA_TRACE build wraps the whole in its scope).
 */
EA_ALWAYS_INLINE static inline void *alloc_fast(struct _reent *reent, size_t align, size_t size)
{
#if EA_TRACE
    TRACE_BEGIN();
    void *p = alloc_or_grow(align, size);
    TRACE_END(EA_TRACE_ALLOC, NULL, p, 1, size, align == EA_ALIGN ? 0 : align);
    if (p == NULL) {
        ea_malloc_errno_hook(reent, EA_MALLOC_ENOMEM);
    }
    return p;
#else
    void *p = initialised ? backend_alloc(align, size) : NULL;
    return p != NULL ? p : grow_reporting(reent, align, size);
#endif
}

/* alloc_fast, once, for the calls less frequent than malloc. */
static void *alloc_reporting(struct _reent *reent, size_t align, size_t size)
{
    return alloc_fast(reent, align, size);
}

/* malloc and _malloc_r: alloc_fast at malloc's alignment, where it calls the back-end's plain alloc. */
static void *alloc_default(struct _reent *reent, size_t size)
{
    return alloc_fast(reent, EA_ALIGN, size);
}

static void *zalloc(struct _reent *reent, size_t n, size_t size)
{
    size_t bytes;
    void *p = NULL;
    TRACE_BEGIN();
    if (!mul_checked(n, size, &bytes)) {
        ea_malloc_errno_hook(reent, EA_MALLOC_ENOMEM);
    } else {
        p = alloc_reporting(reent, EA_ALIGN, bytes);
        if (p != NULL) {
            memset(p, 0, bytes); /* outside the section (unless tracing): the block is ours */
        }
    }
    TRACE_END(EA_TRACE_CALLOC, NULL, p, n, size, 0);
    return p;
}

/*
 * Whether p may be handed to the back-end. Always true unless
 * EA_MALLOC_FOREIGN_CHECK: then a pointer outside every region goes to the
 * foreign hook instead (which panics by default).
 */
static bool accept_pointer(void *p)
{
#if EA_MALLOC_FOREIGN_CHECK
    if (!ea_malloc_owns(p)) {
        ea_malloc_foreign_hook(p);
        return false;
    }
#else
    (void)p;
#endif
    return true;
}

static void release(void *p)
{
    if (p != NULL && accept_pointer(p)) {
        TRACE_BEGIN();
        H(free)(&heap, p);
        TRACE_END(EA_TRACE_FREE, p, NULL, 1, 0, 0);
    }
}

static void *resize_core(struct _reent *reent, void *p, size_t size)
{
    if (p == NULL) {
        return alloc_reporting(reent, EA_ALIGN, size);
    }
    if (size == 0) {
        H(free)(&heap, p); /* as glibc: the block is freed and NULL is no failure */
        return NULL;
    }
    void *q = H(realloc)(&heap, p, size);
    if (q == NULL) {
        /* The back-end left p as it was. A new region borders no block, so more memory can only
         * let p move: the new block comes from the grown heap, the copy runs outside the section
         * (with interrupts masked around it, a large block would hold them off for long). */
        q = grow_and_retry(EA_ALIGN, size);
        if (q == NULL) {
            ea_malloc_errno_hook(reent, EA_MALLOC_ENOMEM);
            return NULL;
        }
        size_t old = H(usable_size)(&heap, p);
        memcpy(q, p, old < size ? old : size);
        H(free)(&heap, p);
    }
    return q;
}

static void *resize(struct _reent *reent, void *p, size_t size)
{
    /* Before the trace scope: the foreign hook may panic, and a panic runs outside every section. */
    if (p != NULL && !accept_pointer(p)) {
        ea_malloc_errno_hook(reent, EA_MALLOC_ENOMEM);
        return NULL;
    }
    TRACE_BEGIN();
    void *q = resize_core(reent, p, size);
    TRACE_END(EA_TRACE_REALLOC, p, q, 1, size, 0);
    return q;
}

/* glibc's memalign: up to EA_ALIGN (0 too) is the default; others round up to a power of two. */
static void *alloc_memalign(struct _reent *reent, size_t align, size_t size)
{
    if (align > SIZE_MAX / 2 + 1) {
        ea_malloc_errno_hook(reent, EA_MALLOC_EINVAL); /* no power of two that large exists */
        return NULL;
    }
    size_t a = EA_ALIGN;
    if (align > EA_ALIGN) {
        a = align;
        if (!is_pow2(a)) { /* the next power of two: the highest bit, doubled (the limit above keeps it in range) */
            while ((a & (a - 1)) != 0) {
                a &= a - 1;
            }
            a <<= 1;
        }
    }
    return alloc_reporting(reent, a, size);
}

static size_t usable(void *p)
{
    return p != NULL && accept_pointer(p) ? H(usable_size)(&heap, p) : 0;
}

/* ---- the C library's functions ------------------------------------------------------ */

void *malloc(size_t size)
{
    return alloc_default(NULL, size);
}

void free(void *p)
{
    release(p);
}

void *calloc(size_t n, size_t size)
{
    return zalloc(NULL, n, size);
}

void *realloc(void *p, size_t size)
{
    return resize(NULL, p, size);
}

void *aligned_alloc(size_t align, size_t size)
{
    /* C17 (DR 460) drops the rule that size be a multiple of align: any size is accepted. */
    if (!is_pow2(align)) {
        ea_malloc_errno_hook(NULL, EA_MALLOC_EINVAL);
        return NULL;
    }
    return alloc_reporting(NULL, align, size);
}

int posix_memalign(void **memptr, size_t align, size_t size)
{
    if (!is_pow2(align) || align % sizeof(void *) != 0) {
        return EA_MALLOC_EINVAL;
    }
    TRACE_BEGIN();
    void *p = alloc_or_grow(align, size);
    TRACE_END(EA_TRACE_ALLOC, NULL, p, 1, size, align == EA_ALIGN ? 0 : align);
    if (p == NULL) {
        return EA_MALLOC_ENOMEM;
    }
    *memptr = p;
    return 0;
}

void *memalign(size_t align, size_t size)
{
    return alloc_memalign(NULL, align, size);
}

size_t malloc_usable_size(void *p)
{
    return usable(p);
}

/* ---- newlib's reentrant forms ---------------------------------------------------------- */

void *_malloc_r(struct _reent *reent, size_t size)
{
    return alloc_default(reent, size);
}

void _free_r(struct _reent *reent, void *p)
{
    (void)reent;
    release(p);
}

void *_calloc_r(struct _reent *reent, size_t n, size_t size)
{
    return zalloc(reent, n, size);
}

void *_realloc_r(struct _reent *reent, void *p, size_t size)
{
    return resize(reent, p, size);
}

void *_memalign_r(struct _reent *reent, size_t align, size_t size)
{
    return alloc_memalign(reent, align, size);
}

size_t _malloc_usable_size_r(struct _reent *reent, void *p)
{
    (void)reent;
    return usable(p);
}
