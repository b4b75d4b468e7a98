/*
 * Internal: what both back-ends share — the block granule, checked size
 * arithmetic, regions and the counters. Not a public header. Its functions
 * are global symbols of the library, so they carry the ea_ prefix like the
 * public ones: a program's own heap_used or region_insert must still link
 * (tests/symbols checks every global).
 */
#ifndef EALLOC_HEAP_COMMON_H
#define EALLOC_HEAP_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <string.h>

#include "ealloc/ealloc.h"
#if EA_TRACE
#include "ealloc/critical_section.h" /* a trace frame keeps the state its section was entered with */
#endif

#define EA_WORD sizeof(size_t)

/* The hot paths are a handful of small helpers: -Os must not turn them into calls.
 * (The coverage build defines it empty, so each helper's branches count once.) */
#ifndef EA_ALWAYS_INLINE
#define EA_ALWAYS_INLINE __attribute__((always_inline))
#endif

/*
 * The name a public call is compiled under. In an EA_TRACE build the public
 * name belongs to a wrapper that reports the call (src/<backend>_trace.c,
 * trace_wrappers.h) and the call itself gets this internal name; the
 * library's own calls use it, so a call made inside another is not reported.
 */
#if EA_TRACE
#define EA_UNTRACED(name) EA_UNTRACED_(name)
#define EA_UNTRACED_(name) name##_untraced_
#else
#define EA_UNTRACED(name) name
#endif

/*
 * Bytes in front of every payload: one word of header; in hardened builds a
 * second word, the header's check value, which catches a header overwritten by
 * a buffer overrun and a pointer into the middle of a block.
 */
#define EA_HEADER (EA_WORD * (1 + (size_t)(EA_HARDENED)))

#include "shadow.h" /* EA_ASAN, EA_VALGRIND: which bytes the program may touch (uses EA_HEADER) */

/*
 * Every block size is a multiple of the granule and every payload starts on a
 * granule boundary, so block headers sit at granule - EA_HEADER past a boundary.
 * At least two words, so a free block can hold its header and a link.
 */
#define EA_GRANULE EA_GRANULE_
#define EA_GRANULE_LOG2 EA_LOG2_(EA_GRANULE)

/*
 * Whether x is a power of two (0 is not). clang (14) turns the usual test into
 * a population count, which a core without one (every Cortex-M) computes in
 * some 14 instructions; x ^ (x - 1) sets the bits up to x's lowest, which
 * exceed x - 1 exactly when that lowest bit is x's only one (for 0: all ones,
 * not above the all ones of 0 - 1), and clang leaves it an eor and a compare.
 * GCC makes the usual test one tst (with x - 1 at hand) and the other one
 * instruction longer.
 */
EA_ALWAYS_INLINE static inline bool is_pow2(size_t x)
{
#if defined(__clang__)
    return (x ^ (x - 1)) > x - 1;
#else
    return x != 0 && (x & (x - 1)) == 0;
#endif
}

/* x rounded up to a multiple of the power of two a, or 0 when that overflows. */
EA_ALWAYS_INLINE static inline size_t align_up_checked(size_t x, size_t a)
{
    return x > SIZE_MAX - (a - 1) ? 0 : (x + a - 1) & ~(a - 1);
}

/*
 * The footprint of a block whose payload holds size bytes: header plus
 * payload, rounded to the granule, at least min_block. 0 when size is so large
 * that the sum overflows: checked before any rounding (a request near SIZE_MAX
 * must fail, never wrap to a small block).
 */
EA_ALWAYS_INLINE static inline size_t block_size_for(size_t size, size_t min_block)
{
    if (size > SIZE_MAX - EA_HEADER - SHADOW_GUARD) {
        return 0;
    }
    size_t bytes = align_up_checked(size + EA_HEADER + SHADOW_GUARD, EA_GRANULE);
    return bytes != 0 && bytes < min_block ? min_block : bytes;
}

/* *out = n * size; false when the product overflows. */
EA_ALWAYS_INLINE static inline bool mul_checked(size_t n, size_t size, size_t *out)
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
 * tail_reserve bytes free after the blocks (a back-end's end marker), and at
 * most max_bytes of blocks. Writes nothing. false for NULL, a wrapping range,
 * or too little room for one block of min_block bytes.
 */
bool ea_region_layout(void *start, size_t size, size_t tail_reserve, size_t min_block, size_t max_bytes,
                   region_t *out, region_t **where);

/* Whether the bytes lo..last (inclusive) overlap any region in the list: its descriptor, blocks and tail_reserve. */
bool ea_region_overlaps(const region_t *list, uintptr_t lo, uintptr_t last, size_t tail_reserve);

/* Write the descriptor at where and link it into the list in address order. */
void ea_region_insert(region_t **list, region_t *where, const region_t *layout);

/*
 * Called by ea_visit_blocks for every block: its address, footprint and raw
 * header word. A non-zero result stops the walk and is returned.
 */
typedef int (*block_visit_fn)(void *ctx, uintptr_t block, size_t size, size_t header);

/*
 * Visit every block of every region in address order, validating each region
 * descriptor (EA_EREGION), each header's check word in hardened builds
 * (EA_ECHECK) and each block size (EA_EBLOCK: not a multiple of the granule,
 * below min_block, or past the region's end) before using it.
 * flags are the header bits that are not size. With end_marker, the header
 * word at each region's end is visited too, as a block of size 0.
 */
int ea_visit_blocks(const ea_heap_common_t *c, size_t flags, size_t min_block, bool end_marker, block_visit_fn fn,
                 void *ctx);


/* ea_<backend>_walk: every block, through ea_visit_blocks, inside the critical section. */
void ea_heap_walk(const ea_heap_common_t *c, size_t flags, size_t min_block, bool end_marker, ea_walk_fn fn,
               void *ctx);

/*
 * ea_<backend>_stats: the counters, the block counts, and as largest_free the
 * payload of the largest free block (a back-end whose search may pass over
 * some blocks corrects it). Inside the critical section.
 */
void ea_heap_stats(const ea_heap_common_t *c, size_t flags, size_t min_block, bool end_marker, ea_stats_t *out);

/* Whether a block of at least min_block bytes could start at addr inside one of the regions. */
bool ea_region_holds(const region_t *list, uintptr_t addr, size_t min_block);

/* ---- hardened builds: a check word beside every header ---------------------------- */

#define EA_NO_FAULT ((ea_fault_t)0)

#if EA_TRACE
/*
 * EA_TRACE builds: a traced call's frame, on its own stack (trace_scope.h):
 * the state its critical section was entered with, and the traced call it
 * runs inside (NULL for the outermost). The frames of the calls in progress
 * on a heap form a list from common.trace_top, innermost first.
 */
struct ea_trace_frame {
    ea_cs_state_t cs;
    struct ea_trace_frame *outer;
};
#endif

/*
 * Every panic of a call on the heap c. A tracing build runs the whole call in
 * its trace scope's section: the sections of the traced calls in progress
 * are left first, innermost first, so that ea_panic runs outside every
 * section of this heap in every build.
 */
#if EA_TRACE
/* One copy (heap_common.c), called from every panic site: the loop is not repeated at each. */
void ea_heap_panic(ea_heap_common_t *c, ea_fault_t fault, const char *detail);
#else
EA_ALWAYS_INLINE static inline void ea_heap_panic(ea_heap_common_t *c, ea_fault_t fault, const char *detail)
{
    (void)c;
    ea_panic(fault, detail);
}
#endif

/*
 * What an allocation call on the heap h that got no block owes after leaving
 * its section: a panic for a fault found on the way (it does not return),
 * else the out-of-memory hook. Both back-ends' allocation calls end in it.
 */
EA_ALWAYS_INLINE static inline void alloc_failed(void *h, ea_fault_t fault, size_t size, size_t align,
                                                 const char *detail)
{
    if (fault != EA_NO_FAULT) {
        ea_heap_panic((ea_heap_common_t *)h, fault, detail); /* common is every heap's first member */
    }
    ea_oom_hook(h, size, align);
}

/* Bit 0 of every block header, in both back-ends: the block is allocated. */
#define EA_HEADER_USED ((size_t)1)

#if EA_HARDENED
/* Odd multipliers and shifts that spread every input bit over the word (a multiply-xorshift hash). */
#define EA_MIX_MULTIPLIER ((size_t)0x9E3779B1u)
#define EA_MIX_SHIFT 13
#define EA_COOKIE_MULTIPLIER ((size_t)0x85EBCA77u)
#define EA_COOKIE_SHIFT 16
#define EA_COOKIE_REGION_SHIFT 7

/* The check word of a header at block: depends on the value, the address and the heap. */
static inline size_t check_value(const ea_heap_common_t *c, uintptr_t block, size_t header)
{
    size_t x = (header ^ (size_t)block) * EA_MIX_MULTIPLIER;
    return x ^ (x >> EA_MIX_SHIFT) ^ c->cookie;
}
#endif

/* Write a block header (in hardened builds with its check word, the word after it). */
EA_ALWAYS_INLINE static inline void write_header(const ea_heap_common_t *c, void *block, size_t header)
{
    size_t *w = block;
    w[0] = header;
#if EA_HARDENED
    w[1] = check_value(c, (uintptr_t)block, header);
#else
    (void)c;
#endif
}

/* Whether a header still matches its check word (always true in other builds). */
EA_ALWAYS_INLINE static inline bool header_intact(const ea_heap_common_t *c, const void *block)
{
#if EA_HARDENED
    const size_t *w = block;
    return w[1] == check_value(c, (uintptr_t)block, w[0]);
#else
    (void)c;
    (void)block;
    return true;
#endif
}

/* ---- poisoned builds: freed memory filled with a pattern -------------------------- */

/* The poison byte: bit 0 clear, so a header word made of it reads as a free block. */
#define EA_POISON_BYTE 0x5Au

/* Fill [from, to) with the poison byte (nothing in other builds). */
EA_ALWAYS_INLINE static inline void poison_fill(uintptr_t from, uintptr_t to)
{
#if EA_POISON
    if (to > from) {
        memset((void *)from, (int)EA_POISON_BYTE, to - from);
    }
#else
    (void)from;
    (void)to;
#endif
}

/* Whether [from, to) still holds nothing but the poison byte (always true in other builds). */
#if EA_POISON
bool ea_poison_intact(uintptr_t from, uintptr_t to);
#else
EA_ALWAYS_INLINE static inline bool ea_poison_intact(uintptr_t from, uintptr_t to)
{
    (void)from;
    (void)to;
    return true;
}
#endif

/* Start a heap's check words (at its first init). */
void ea_heap_start_checks(ea_heap_common_t *c, const void *region);

/*
 * Whether p, handed back by the caller, is an allocated block of this heap:
 * EA_NO_FAULT, or the fault to report. Every build: p must be on the granule
 * (EA_FAULT_FOREIGN_POINTER) and its block allocated (EA_FAULT_DOUBLE_FREE).
 * Hardened builds also: the heap initialised (EA_FAULT_NOT_INIT), p inside one
 * of its regions, the header intact — a broken one is told apart as a real
 * block overwritten (EA_FAULT_CORRUPT) or a pointer into the middle of a block
 * (EA_FAULT_FOREIGN_POINTER) by walking the region.
 */
#if EA_HARDENED
ea_fault_t ea_heap_owned_fault(const ea_heap_common_t *c, const void *p, size_t flags, size_t min_block);
#else
/* Without hardening the checks are two tests, inlined into the hot paths. */
static inline ea_fault_t ea_heap_owned_fault(const ea_heap_common_t *c, const void *p, size_t flags, size_t min_block)
{
    (void)c;
    (void)flags;
    (void)min_block;
    if (((uintptr_t)p & (EA_GRANULE - 1)) != 0) {
        return EA_FAULT_FOREIGN_POINTER;
    }
    return (*(const size_t *)((uintptr_t)p - EA_HEADER) & EA_HEADER_USED) != 0 ? EA_NO_FAULT : EA_FAULT_DOUBLE_FREE;
}
#endif

/*
 * ea_<backend>_usable_size: the payload bytes of the allocated block at p
 * (0 for NULL), after ea_heap_owned_fault's checks; a fault goes to ea_panic
 * with detail, outside the critical section.
 */
size_t ea_heap_usable_size(ea_heap_common_t *c, const void *p, size_t flags, size_t min_block, const char *detail);

/* Counter updates; the event counters exist only with EA_STATS. */
EA_ALWAYS_INLINE static inline void note_used(ea_heap_common_t *c, size_t grow)
{
    c->used += grow;
#if EA_STATS
    if (c->used > c->peak_used) {
        c->peak_used = c->used;
    }
#endif
}

/*
 * note_alloc and note_free read their counters before writing any: with the
 * two each changes side by side in ea_heap_common_t, GCC then moves them as a
 * pair (ldrd/strd on the Cortex-M3 and up), 2 instructions fewer per alloc
 * and 1 per free than a counter at a time.
 */
EA_ALWAYS_INLINE static inline void note_alloc(ea_heap_common_t *c, size_t bytes)
{
#if EA_STATS
    size_t allocs = c->alloc_count;
    size_t used = c->used;
    size_t peak = c->peak_used;
    allocs++;
    used += bytes;
    c->alloc_count = allocs;
    c->used = used;
    if (used > peak) {
        c->peak_used = used;
    }
#else
    c->used += bytes;
#endif
}

EA_ALWAYS_INLINE static inline void note_free(ea_heap_common_t *c, size_t bytes)
{
#if EA_STATS
    size_t used = c->used;
    size_t frees = c->free_count;
    used -= bytes;
    frees++;
    c->used = used;
    c->free_count = frees;
#else
    c->used -= bytes;
#endif
}

EA_ALWAYS_INLINE static inline void note_failed(ea_heap_common_t *c)
{
#if EA_STATS
    c->failed_count++;
#else
    (void)c;
#endif
}

/* used and capacity - used, read inside the critical section (a word read may tear on no target, but
 * capacity - used must come from one moment). */
size_t ea_heap_used(const ea_heap_common_t *c);
size_t ea_heap_free_bytes(const ea_heap_common_t *c);


#endif /* EALLOC_HEAP_COMMON_H */
