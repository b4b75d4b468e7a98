/*
 * ealloc — heap allocators for microcontrollers and systems without an
 * operating-system heap. This header holds what every back-end shares: the
 * statistics and fault types, the error codes of check(), the walk callback,
 * the panic and out-of-memory hooks, and the allocator handle.
 *
 * Back-ends: <ealloc/llff.h> (linked-list first fit, smallest code) and
 * <ealloc/tlsf.h> (two-level segregated fit, O(1)).
 */
#ifndef EALLOC_EALLOC_H
#define EALLOC_EALLOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"

#ifdef __cplusplus
extern "C" {
#endif

#define EALLOC_VERSION_MAJOR 0
#define EALLOC_VERSION_MINOR 1
#define EALLOC_VERSION_PATCH 0

/* A snapshot of one heap, filled by ea_<backend>_stats(). All sizes in bytes. */
typedef struct ea_stats {
    size_t capacity;     /* bytes the heap manages: regions less trimmed edges and per-region overhead */
    size_t used;         /* sum of the footprints (header and rounding included) of allocated blocks */
    size_t free;         /* capacity - used */
    size_t peak_used;    /* high-water mark of used since init (0 when EA_STATS is 0) */
    size_t largest_free; /* the largest request that ea_<backend>_alloc would satisfy right now */
    size_t used_blocks;  /* number of allocated blocks */
    size_t free_blocks;  /* number of free blocks */
    size_t alloc_count;  /* successful allocations, including those made by realloc (0 when EA_STATS is 0) */
    size_t free_count;   /* blocks given back, including those released by realloc (0 when EA_STATS is 0) */
    size_t failed_count; /* allocation requests that returned NULL (0 when EA_STATS is 0) */
} ea_stats_t;

/* Why ea_panic was called. */
typedef enum ea_fault {
    EA_FAULT_DOUBLE_INIT = 1,   /* init of a heap that already has memory */
    EA_FAULT_BAD_REGION = 2,    /* init with NULL, size 0, a region too small or one that wraps
                                 * (EA_TLSF_BITBAND: also a tlsf heap object outside the bit-band SRAM) */
    EA_FAULT_NOT_INIT = 3,      /* add_region on a heap that was never initialised */
    EA_FAULT_DOUBLE_FREE = 4,   /* free or realloc of a block that is already free */
    EA_FAULT_FOREIGN_POINTER = 5, /* a pointer this heap did not return */
    EA_FAULT_CORRUPT = 6        /* a block header was overwritten */
} ea_fault_t;

/* Results of ea_<backend>_check(): 0, or the first broken invariant found. */
enum {
    EA_OK = 0,
    EA_EREGION = -1,    /* a region descriptor is damaged, or regions overlap or are out of order */
    EA_EBLOCK = -2,     /* a block's size is not a multiple of the granule, too small, or runs past its region */
    EA_EFREELIST = -3,  /* a free list links to something that is not a free block of this heap */
    EA_ECOALESCE = -4,  /* two free blocks are physical neighbours: a missed coalesce */
    EA_ECOUNT = -5,     /* the used/free counters disagree with the blocks */
    EA_EBITMAP = -6,    /* (tlsf) a bitmap bit disagrees with its list being empty or not */
    EA_ECLASS = -7,     /* (tlsf) a free block sits in the list of another size class */
    EA_ELINK = -8,      /* (tlsf) a block's link to its physical predecessor is wrong */
    EA_ECHECK = -9,     /* (hardened) a block header does not match its check word: overwritten */
    EA_EPOISON = -10    /* (poison) a free block's poison pattern was overwritten: a write after free */
};

/*
 * Called by ea_<backend>_walk for every block in address order. addr is the
 * start of the block (its header), size its whole footprint; over one walk the
 * sizes add up to the heap's capacity.
 */
typedef void (*ea_walk_fn)(void *ctx, void *addr, size_t size, bool used);

/*
 * Called on misuse, never on a plain failed allocation. The default is a weak
 * symbol: on a hosted build it prints the fault to stderr and calls abort();
 * on bare metal it executes a trap instruction. Define your own to replace it.
 * It must not return normally (reset, abort, or longjmp). The heap's state is
 * unchanged and its critical section already left when it is called, so a
 * handler that longjmps leaves a usable heap and no lock held. (One
 * exception: the malloc shim's retry after its grow hook, <ealloc/malloc.h>.)
 */
void ea_panic(ea_fault_t why, const char *detail);

/* A short name of the fault for messages ("double free"); "unknown fault" for any other value. */
const char *ea_fault_name(ea_fault_t why);

/*
 * Called (outside the critical section, except for the malloc shim's retry
 * after its grow hook) when an allocation of size bytes aligned to align
 * fails, with the heap it failed on; the call then returns NULL. The default
 * is a weak no-op. It may log, count or reset; it must not allocate from the
 * same heap.
 */
void ea_oom_hook(void *heap, size_t size, size_t align);

/*
 * Private: the block granule of both back-ends — every block size is a
 * multiple of it and every payload starts on it: EA_ALIGN, but at least two
 * words so a free block can hold its header and a link. Public only because
 * the TLSF heap's size depends on it.
 */
#define EA_GRANULE_ ((size_t)(EA_ALIGN) > 2 * sizeof(size_t) ? (size_t)(EA_ALIGN) : 2 * sizeof(size_t))
#define EA_LOG2_(x)                                                                                       \
    ((x) >= 4096 ? 12 : (x) >= 2048 ? 11 : (x) >= 1024 ? 10 : (x) >= 512 ? 9 : (x) >= 256 ? 8 : (x) >= 128 ? 7 \
     : (x) >= 64 ? 6 : (x) >= 32 ? 5 : (x) >= 16 ? 4 : (x) >= 8 ? 3 : (x) >= 4 ? 2 : (x) >= 2 ? 1 : 0)

/*
 * Private: the bookkeeping every back-end keeps, embedded in each heap type.
 * Read it through the calls, never directly; its layout may change.
 */
typedef struct ea_heap_common {
    struct ea_region *regions; /* first region descriptor, regions in address order; NULL until init */
    size_t capacity; /* bytes in blocks, over all regions */
#if EA_STATS
    size_t alloc_count; /* beside used: alloc reads and writes the two as a pair (ldrd/strd on Arm) */
#endif
    size_t used; /* bytes in allocated blocks */
#if EA_STATS
    size_t free_count; /* beside used: free's pair */
    size_t peak_used;
    size_t failed_count;
#endif
#if EA_HARDENED
    size_t cookie; /* mixed into every block's check word, so another heap's blocks do not pass */
#endif
#if EA_TRACE
    /* The innermost traced call in progress (a frame on its stack), NULL when none: only the
     * outermost reports, and a panic leaves every one's section. Changed inside the section. */
    struct ea_trace_frame *trace_top;
#endif
} ea_heap_common_t;

/* The table of a back-end's calls behind an ea_allocator_t. */
typedef struct ea_allocator_ops {
    void *(*alloc_aligned)(void *heap, size_t align, size_t size);
    void *(*realloc_aligned)(void *heap, void *p, size_t align, size_t size);
    void (*free)(void *heap, void *p);
} ea_allocator_ops_t;

/*
 * A handle to any heap, passed by value: write code against "an allocator"
 * and hand it a private, scoped heap (the counterpart of Rust's
 * allocator_api). Made by ea_llff_allocator() or ea_tlsf_allocator().
 */
typedef struct ea_allocator {
    void *heap;
    const ea_allocator_ops_t *ops;
} ea_allocator_t;

/* size bytes aligned to align (0 = the default alignment, else a power of two); NULL on failure. */
static inline void *ea_alloc(ea_allocator_t a, size_t size, size_t align)
{
    return a.ops->alloc_aligned(a.heap, align, size);
}

/* realloc keeping align (0 = default); same contract as ea_<backend>_realloc_aligned. */
static inline void *ea_realloc(ea_allocator_t a, void *p, size_t size, size_t align)
{
    return a.ops->realloc_aligned(a.heap, p, align, size);
}

/* Give p back; NULL is a no-op. */
static inline void ea_free(ea_allocator_t a, void *p)
{
    a.ops->free(a.heap, p);
}

/*
 * EA_INIT(kind, heap, size): one statement that reserves a static buffer of
 * size bytes, aligned for any object, in a scope of its own, and hands it to
 * ea_<kind>_init(heap, ...). Each expansion has its own buffer, so reaching
 * the same expansion a second time — for the same heap or another — panics
 * with EA_FAULT_DOUBLE_INIT instead of handing one buffer to two heaps.
 */
#define EA_INIT(kind, heap, size)                                                      \
    do {                                                                               \
        static _Alignas(max_align_t) unsigned char ea_init_region_[(size)];            \
        static bool ea_init_reached_;                                                  \
        if (ea_init_reached_) {                                                        \
            ea_panic(EA_FAULT_DOUBLE_INIT, "EA_INIT reached twice");                   \
        }                                                                              \
        ea_init_reached_ = true;                                                       \
        ea_##kind##_init((heap), ea_init_region_, sizeof ea_init_region_);             \
    } while (0)

#ifdef __cplusplus
}
#endif

#endif /* EALLOC_EALLOC_H */
