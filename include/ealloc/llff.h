/*
 * ealloc llff: the linked-list first-fit heap.
 *
 * Free blocks sit in one list in address order; an allocation takes the first
 * that fits and splits off the rest; a free puts the block back in order and
 * merges it with free neighbours at once, so no two free blocks ever touch.
 * The smallest code of the two back-ends; alloc and free walk the free list,
 * so their time grows with the number of free blocks (O(f)). For bounded time
 * use <ealloc/tlsf.h>. The block layout and invariants: docs/llff.md.
 *
 * Thread and interrupt safety: every call runs inside the configured critical
 * section (<ealloc/critical_section.h>), so one heap may be used from threads
 * and interrupt handlers at once. Heaps are independent of each other.
 *
 * Undefined: passing a pointer this heap did not return (another heap's, a
 * stack address, an interior pointer) to free/realloc/usable_size, using a
 * block after freeing it, and writing outside a block. A block that is already
 * free, or a pointer not aligned as this heap aligns its blocks, is detected
 * and reported through ea_panic (EA_FAULT_DOUBLE_FREE, EA_FAULT_FOREIGN_POINTER).
 */
#ifndef EALLOC_LLFF_H
#define EALLOC_LLFF_H

#include "ealloc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A linked-list first-fit heap. Private fields: use the calls below. */
typedef struct ea_llff {
    ea_heap_common_t common;
    struct ea_llff_block *free_list; /* first free block, lowest address first */
} ea_llff_t;

/* A heap with no memory yet: no code, no memory. Allocations from it return NULL. */
#define EA_LLFF_EMPTY \
    {                 \
        {0}, 0        \
    }

/*
 * Hand the region [start, start+size) to an empty heap. Edges are trimmed to
 * the block granule, not refused. Panics with EA_FAULT_DOUBLE_INIT if the heap
 * already has memory, and with EA_FAULT_BAD_REGION for a NULL start, size 0, a
 * region that wraps past the top of the address space, or one too small for a
 * region descriptor and one block. O(1).
 */
void ea_llff_init(ea_llff_t *h, void *start, size_t size);

/*
 * Add another region, not touching the others (internal SRAM + external
 * SDRAM). false, and nothing changed, for NULL, too small, wrapping, or a
 * region overlapping one the heap already has. Panics with EA_FAULT_NOT_INIT
 * on a heap that was never initialised. O(regions).
 */
bool ea_llff_add_region(ea_llff_t *h, void *start, size_t size);

/*
 * size bytes aligned to EA_ALIGN, or NULL when no free block fits (or the heap
 * is empty). size 0 gives a unique minimal block. O(free blocks).
 */
void *ea_llff_alloc(ea_llff_t *h, size_t size);

/*
 * size bytes at a multiple of align. align must be a power of two (else NULL);
 * values up to EA_ALIGN cost nothing extra. The padding in front of the block
 * stays free for other allocations. O(free blocks).
 */
void *ea_llff_alloc_aligned(ea_llff_t *h, size_t align, size_t size);

/* n * size zeroed bytes; NULL when n * size overflows or nothing fits. O(free blocks + n * size). */
void *ea_llff_calloc(ea_llff_t *h, size_t n, size_t size);

/*
 * Resize p to size bytes. Shrinks in place (the tail goes back to the heap),
 * grows in place into a free block that follows, and otherwise moves: allocate,
 * copy min(old, new) bytes, free. On failure returns NULL and p is untouched.
 * p == NULL allocates; size == 0 frees p and returns NULL. A moved block has
 * the default alignment. O(free blocks + size).
 */
void *ea_llff_realloc(ea_llff_t *h, void *p, size_t size);

/*
 * As ea_llff_realloc, but a moved block is aligned to align, the alignment p
 * was allocated with (a power of two, else NULL and p untouched).
 */
void *ea_llff_realloc_aligned(ea_llff_t *h, void *p, size_t align, size_t size);

/* Give p back, merging it with free neighbours. NULL is a no-op. O(free blocks). */
void ea_llff_free(ea_llff_t *h, void *p);

/* Bytes the caller may use at p (at least what was asked); 0 for NULL. O(1). */
size_t ea_llff_usable_size(ea_llff_t *h, const void *p);

/* Bytes in allocated blocks, headers and rounding included. O(1). */
size_t ea_llff_used(ea_llff_t *h);

/* Bytes in free blocks: capacity - used. O(1). */
size_t ea_llff_free_bytes(ea_llff_t *h);

/* Fill *out with a snapshot (see ea_stats_t). O(blocks). */
void ea_llff_stats(ea_llff_t *h, ea_stats_t *out);

/*
 * Verify every invariant of docs/llff.md: 0, or the first broken one as a
 * negative EA_E* code. Follows no pointer it has not validated, so it does not
 * crash on a corrupted heap. Prints nothing. O(blocks).
 */
int ea_llff_check(ea_llff_t *h);

/*
 * Call fn(ctx, block, footprint, used) for every block in address order,
 * inside the critical section: fn must not call into this heap. O(blocks).
 */
void ea_llff_walk(ea_llff_t *h, ea_walk_fn fn, void *ctx);

/* A handle for code written against any allocator (see ea_allocator_t). */
ea_allocator_t ea_llff_allocator(ea_llff_t *h);

#ifdef __cplusplus
}
#endif

#endif /* EALLOC_LLFF_H */
