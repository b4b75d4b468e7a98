/*
 * Internal: what both back-ends share — the block granule, checked size
 * arithmetic, regions and the counters. Not a public header.
 */
#ifndef EALLOC_HEAP_COMMON_H
#define EALLOC_HEAP_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ealloc/ealloc.h"

/* An allocated block carries one word of header in front of its payload. */
#define EA_WORD sizeof(size_t)

/*
 * Every block size is a multiple of the granule and every payload starts on a
 * granule boundary, so block headers sit at granule - EA_WORD past a boundary.
 * At least two words, so a free block can hold its header and a link.
 */
#define EA_GRANULE ((size_t)(EA_ALIGN) > 2 * EA_WORD ? (size_t)(EA_ALIGN) : 2 * EA_WORD)

/* Whether x is a power of two (0 is not). */
static inline bool is_pow2(size_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

/* x rounded up to a multiple of the power of two a, or 0 when that overflows. */
static inline size_t align_up_checked(size_t x, size_t a)
{
    return x > SIZE_MAX - (a - 1) ? 0 : (x + a - 1) & ~(a - 1);
}

/*
 * The footprint of a block whose payload holds size bytes: header plus
 * payload, rounded to the granule, at least min_block. 0 when size is so large
 * that the sum overflows: checked before any rounding (a request near SIZE_MAX
 * must fail, never wrap to a small block).
 */
static inline size_t block_size_for(size_t size, size_t min_block)
{
    if (size > SIZE_MAX - EA_WORD) {
        return 0;
    }
    size_t bytes = align_up_checked(size + EA_WORD, EA_GRANULE);
    return bytes != 0 && bytes < min_block ? min_block : bytes;
}

/* *out = n * size; false when the product overflows. */
static inline bool mul_checked(size_t n, size_t size, size_t *out)
{
    if (size != 0 && n > SIZE_MAX / size) {
        return false;
    }
    *out = n * size;
    return true;
}

/*
 * A region descriptor, at the start of every region. Regions are kept in a
 * list in address order. Its own bytes are the per-region overhead; because it
 * sits between two regions that happen to touch, no block can ever merge
 * across them.
 */
typedef struct ea_region {
    struct ea_region *next;
    uintptr_t first; /* the first block */
    uintptr_t end;   /* one past the last block byte */
} region_t;

/*
 * Lay out the region [start, start + size): the descriptor at its aligned
 * start, then blocks from a header position to an end on the granule, keeping
 * tail_reserve bytes free after the blocks (a back-end's end marker). Writes
 * nothing. false for NULL, a wrapping range, or too little room for one block
 * of min_block bytes.
 */
bool region_layout(void *start, size_t size, size_t tail_reserve, size_t min_block, region_t *out,
                   region_t **where);

/* Whether the bytes lo..last (inclusive) overlap any region in the list: its descriptor, blocks and tail_reserve. */
bool region_overlaps(const region_t *list, uintptr_t lo, uintptr_t last, size_t tail_reserve);

/* Write the descriptor at where and link it into the list in address order. */
void region_insert(region_t **list, region_t *where, const region_t *layout);

/* Counter updates; the event counters exist only with EA_STATS. */
static inline void note_used(ea_heap_common_t *c, size_t grow)
{
    c->used += grow;
#if EA_STATS
    if (c->used > c->peak_used) {
        c->peak_used = c->used;
    }
#endif
}

static inline void note_alloc(ea_heap_common_t *c, size_t bytes)
{
    note_used(c, bytes);
#if EA_STATS
    c->alloc_count++;
#endif
}

static inline void note_free(ea_heap_common_t *c, size_t bytes)
{
    c->used -= bytes;
#if EA_STATS
    c->free_count++;
#endif
}

static inline void note_failed(ea_heap_common_t *c)
{
#if EA_STATS
    c->failed_count++;
#else
    (void)c;
#endif
}

/* The fields of *out that come from the counters. */
void stats_from_counters(const ea_heap_common_t *c, ea_stats_t *out);

#endif /* EALLOC_HEAP_COMMON_H */
