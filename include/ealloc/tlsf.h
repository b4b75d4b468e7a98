/*
 * ealloc tlsf: the two-level segregated-fit heap.
 *
 * Free blocks sit in segregated lists, one per size class: a power-of-two
 * range (first level) cut into EA_TLSF_SL_LOG2 equal steps (second level). A
 * bit per list, in a few words, says which lists hold blocks, so finding a
 * class with a block that fits is one bit scan of the first word that has a
 * bit above the request's class (found by reading the words in turn, or,
 * when they are many, from a summary word).
 * alloc first looks at up to EA_TLSF_SEARCH_DEPTH blocks of the request's own
 * class for one that fits (so memory is used like best fit), then takes the
 * first block of the smallest non-empty class above it, and splits off the
 * rest exactly. free merges the block with its free neighbours at once. Both
 * are O(1): no call loops over free blocks, whatever the heap's state.
 * Layout, mapping and invariants: docs/tlsf.md.
 *
 * The control block (bitmaps and list heads) lives inside ea_tlsf_t, so
 * init works on any region that holds one block; its size is in docs/tlsf.md
 * (on 32-bit targets, default configuration: about 630 bytes).
 *
 * Thread and interrupt safety: every call runs inside the configured critical
 * section (<ealloc/critical_section.h>). Heaps are independent of each other.
 *
 * Undefined: passing a pointer this heap did not return (another heap's, a
 * stack address, an interior pointer) to free/realloc/usable_size, using a
 * block after freeing it, writing outside a block. A block already free, or a
 * pointer not aligned as this heap aligns blocks, is detected and reported
 * through ea_panic (EA_FAULT_DOUBLE_FREE, EA_FAULT_FOREIGN_POINTER).
 */
#ifndef EALLOC_TLSF_H
#define EALLOC_TLSF_H

#include "ealloc.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Classes: SL_COUNT per power of two; the first SL_COUNT * 2 classes are linear, one granule apart. */
#define EA_TLSF_SL_COUNT (1u << (EA_TLSF_SL_LOG2))
#define EA_TLSF_SMALL_LOG2 ((EA_TLSF_SL_LOG2) + EA_LOG2_(EA_GRANULE_))
#define EA_TLSF_FL_COUNT ((EA_TLSF_MAX_BLOCK_LOG2) - EA_TLSF_SMALL_LOG2 + 1)
_Static_assert(EA_TLSF_FL_COUNT >= 2, "EA_TLSF_MAX_BLOCK_LOG2 must exceed EA_TLSF_SL_LOG2 + log2(granule)");

/*
 * The "list not empty" bits, one per class in flat class order, packed in
 * size_t words. A word spans several first levels, so a search above a class
 * finds the next non-empty class in the request's own word far more often
 * than in the same first level. When that word has none, a heap with few
 * words reads the words above in turn (at most MAP_WORDS - 1 of them: 4 in
 * the default configuration on 32-bit targets); one with many keeps a summary
 * word after them, a bit per non-zero word, and finds the next word with one
 * bit scan. The summary costs every list that fills or empties a little
 * upkeep, which measured more than the reads it saves while the words are few
 * (docs/tlsf.md, "The bound").
 */
#define EA_TLSF_MAP_BITS (sizeof(size_t) * 8)
#define EA_TLSF_MAP_WORDS (((size_t)(EA_TLSF_FL_COUNT) * EA_TLSF_SL_COUNT + EA_TLSF_MAP_BITS - 1) / EA_TLSF_MAP_BITS)
#define EA_TLSF_SUMMARY ((size_t)(EA_TLSF_MAP_WORDS > 6)) /* 1: a summary word follows the words */
_Static_assert(EA_TLSF_MAP_WORDS <= EA_TLSF_MAP_BITS, "EA_TLSF_MAX_BLOCK_LOG2: too many classes for one summary word");

/* A TLSF heap. Private fields: use the calls below. */
typedef struct ea_tlsf {
    ea_heap_common_t common;
    /* [c / MAP_BITS] holds a bit for list c, set while the list is not empty (the top bit for the word's
     * first class on Arm cores with CLZ and x86, bit 0 elsewhere); then, with EA_TLSF_SUMMARY, the
     * summary: bit w of [MAP_WORDS] says [w] is not zero */
    size_t class_map[EA_TLSF_MAP_WORDS + EA_TLSF_SUMMARY];
    struct ea_tlsf_block *heads[EA_TLSF_FL_COUNT * EA_TLSF_SL_COUNT]; /* first free block of each class */
} ea_tlsf_t;

/* A heap with no memory yet: no code. Allocations from it return NULL. */
#define EA_TLSF_EMPTY \
    {                 \
        {0}, {0}, {0} \
    }

/*
 * Hand the region [start, start+size) to an empty heap. Edges are trimmed to
 * the block granule; a region larger than the largest block is taken as
 * several regions. Panics with EA_FAULT_DOUBLE_INIT if the heap already has
 * memory, and with EA_FAULT_BAD_REGION for a NULL start, size 0, a region that
 * wraps past the top of the address space, or one too small for a region
 * descriptor, one block and the end marker; built with EA_TLSF_BITBAND, also
 * with EA_FAULT_BAD_REGION (detail "... bit-band ...") for a heap object
 * whose class bits lie outside the bit-band SRAM, before anything is written.
 * O(1) (O(size / largest block)).
 */
void ea_tlsf_init(ea_tlsf_t *h, void *start, size_t size);

/*
 * Add another region (internal SRAM + external SDRAM). false, and nothing
 * changed, for NULL, too small, wrapping, or overlapping a region the heap
 * has. Panics with EA_FAULT_NOT_INIT on a heap never initialised. O(regions).
 */
bool ea_tlsf_add_region(ea_tlsf_t *h, void *start, size_t size);

/*
 * size bytes aligned to EA_ALIGN, or NULL when no block fits, the heap is
 * empty, or size is above the largest block. size 0 gives a unique minimal
 * block. O(1).
 */
void *ea_tlsf_alloc(ea_tlsf_t *h, size_t size);

/*
 * size bytes at a multiple of align (a power of two, else NULL); up to
 * EA_ALIGN costs nothing extra. Larger alignments look for a block with room
 * for the padding; the block is cut from the end of one whose start is off
 * the alignment, and the front stays free. O(1).
 */
void *ea_tlsf_alloc_aligned(ea_tlsf_t *h, size_t align, size_t size);

/* n * size zeroed bytes; NULL when n * size overflows or nothing fits. O(1) + zeroing (outside the section). */
void *ea_tlsf_calloc(ea_tlsf_t *h, size_t n, size_t size);

/*
 * Resize p to size bytes: shrink in place (the tail goes back), grow in place
 * into a free block after it, grow into a free block before it (the data
 * moves down, outside the critical section), otherwise allocate, copy and
 * free. On failure NULL and p untouched. p == NULL allocates; size == 0
 * frees p and returns NULL. A moved block has the default alignment. O(1) +
 * copy.
 */
void *ea_tlsf_realloc(ea_tlsf_t *h, void *p, size_t size);

/* As ea_tlsf_realloc, keeping the alignment align (a power of two, else NULL and p untouched). */
void *ea_tlsf_realloc_aligned(ea_tlsf_t *h, void *p, size_t align, size_t size);

/* Give p back, merging it with free neighbours. NULL is a no-op. O(1). */
void ea_tlsf_free(ea_tlsf_t *h, void *p);

/* Bytes the caller may use at p (at least what was asked); 0 for NULL. O(1). */
size_t ea_tlsf_usable_size(ea_tlsf_t *h, const void *p);

/* Bytes in allocated blocks, headers and rounding included. O(1). */
size_t ea_tlsf_used(ea_tlsf_t *h);

/* Bytes in free blocks: capacity - used. O(1). */
size_t ea_tlsf_free_bytes(ea_tlsf_t *h);

/* Fill *out with a snapshot (see ea_stats_t). O(blocks). */
void ea_tlsf_stats(ea_tlsf_t *h, ea_stats_t *out);

/*
 * Verify every invariant of docs/tlsf.md — blocks, links, lists, bitmaps,
 * classes, counters: 0 or the first broken one as a negative EA_E* code.
 * Follows no pointer it has not validated. Prints nothing. O(blocks).
 */
int ea_tlsf_check(ea_tlsf_t *h);

/*
 * Call fn(ctx, block, footprint, used) for every block in address order,
 * inside the critical section: fn must not call into this heap. O(blocks).
 */
void ea_tlsf_walk(ea_tlsf_t *h, ea_walk_fn fn, void *ctx);

/* A handle for code written against any allocator (see ea_allocator_t). */
ea_allocator_t ea_tlsf_allocator(ea_tlsf_t *h);

#ifdef __cplusplus
}
#endif

#endif /* EALLOC_TLSF_H */
