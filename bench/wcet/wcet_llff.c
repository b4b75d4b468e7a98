/*
 * llff: its calls walk the free list, so the worst case grows with the number
 * of free blocks n in front of the place the call needs. Each case is built
 * for several n and reported with n, so the per-block cost (the slope) and
 * the fixed part can be read off; the longest free list a real trace made
 * llff walk is in bench/results/firmware.md (free_list_max).
 *
 * The layout, for n free blocks: [S0 free][G0 used] ... [S(n-1) free][G(n-1)
 * used] [X used] [rest free]. The S blocks are the smallest a block can be
 * (LLFF_MIN_BLOCK: one granule; two in hardened builds), too small for any request below.
 */
#include <string.h>

#include "fw.h"
#include "llff_internal.h"
#include "wcet.h"

/* Bytes in front of a payload (two words in hardened builds); older internals name only EA_WORD. */
#ifndef EA_HEADER
#define EA_HEADER EA_WORD
#endif

#define BE "llff"

static ea_llff_t heap;
static const char *case_id;

static void need(bool cond, const char *what)
{
    wcet_require(cond, BE, case_id, what);
}

static void *blk(size_t f)
{
    void *p = ea_llff_alloc(&heap, f - EA_HEADER);
    need(p != NULL && block_bytes(block_of(p)) == f, "could not allocate a block of the footprint wanted");
    return p;
}

static size_t free_list_length(void)
{
    size_t n = 0;
    for (const block_t *b = heap.free_list; b != NULL; b = b->next) {
        n++;
    }
    return n;
}

static void checked(void)
{
    need(ea_llff_check(&heap) == 0, "check() failed after the timed call");
}

/*
 * n free blocks of the smallest size, each followed by a guard in use, then the block
 * x (footprint fx) and the rest of the heap, free. With touch_prev, the last
 * small block sits right before x (no guard), so freeing x merges on both sides.
 */
static void *layout(const char *id, size_t n, size_t fx, bool touch_prev, bool guard_after)
{
    const ea_llff_t empty = EA_LLFF_EMPTY;
    case_id = id;
    heap = empty;
    size_t bytes = (n + 1u) * 2u * LLFF_MIN_BLOCK + fx + 4096u;
    need(bytes <= wcet_arena_bytes, "arena too small");
    ea_llff_init(&heap, wcet_arena, bytes);
    static void *small[20000];
    need(n <= sizeof small / sizeof small[0], "n too large");
    for (size_t i = 0; i < n; i++) {
        small[i] = blk(LLFF_MIN_BLOCK);
        if (!(touch_prev && i + 1 == n)) {
            (void)blk(LLFF_MIN_BLOCK);
        }
    }
    void *x = blk(fx);
    if (guard_after) {
        (void)blk(LLFF_MIN_BLOCK);
    }
    for (size_t i = n; i-- > 0;) { /* highest first: each goes to the front of the list, no walk */
        ea_llff_free(&heap, small[i]);
    }
    need(free_list_length() == n + 1u, "free list not as intended");
    return x;
}

#define API(name) ea_llff_##name
#include "wcet_timed_calls.h"

void wcet_llff(void)
{
    static const size_t ns[] = {0, 1, 10, 100, 1000, 10000};
    const size_t fx = 32;
    for (size_t k = 0; k < sizeof ns / sizeof ns[0]; k++) {
        size_t n = ns[k];
        void *p;

        /* alloc: every small block looked at and passed over; the rest (the last free block) fits. */
        void *x = layout("alloc-walk", n, fx, false, false);
        uint32_t c = t_alloc(2 * EA_GRANULE, &p);
        need(p != NULL && (uintptr_t)p > (uintptr_t)x, "not taken from the last block");
        checked();
        wcet_report(BE, case_id, "alloc", c, (long)n,
                    "%zu free blocks too small, the request fits only the last (the rest of the heap)", n);

        x = layout("alloc-aligned-walk", n, fx, false, false);
        c = t_alloc_aligned(64, 2 * EA_GRANULE, &p);
        need(p != NULL && (uintptr_t)p > (uintptr_t)x && ((uintptr_t)p & 63u) == 0, "not taken from the last block");
        checked();
        wcet_report(BE, case_id, "alloc_aligned", c, (long)n,
                    "alloc_aligned(64, 16): %zu free blocks too small, fits only the last; padding block left in front", n);

        /* free: the walk to the block's place, then a merge on both sides. */
        x = layout("free-after-n-merge-both", n == 0 ? 1 : n, fx, true, false);
        c = t_free(x);
        checked();
        need(free_list_length() == (n == 0 ? 1u : n), "did not merge on both sides");
        wcet_report(BE, case_id, "free", c, (long)(n == 0 ? 1 : n),
                    "the block after %zu free blocks, merged with the one before it and the rest after it",
                    n == 0 ? (size_t)1 : n);

        /* realloc in place: the block is put in the list (a walk) and taken again, grown into the rest. */
        x = layout("realloc-grow-in-place-after-n", n, fx, false, false);
        c = t_realloc(x, fx * 2, &p);
        need(p == x, "moved");
        checked();
        wcet_report(BE, case_id, "realloc", c, (long)n,
                    "%zu B block after %zu free blocks grown in place into the rest of the heap", fx, n);

        /* realloc that moves: the in-place attempt walks, the alloc walks past everything, the free walks again. */
        x = layout("realloc-move-after-n", n, fx, false, true);
        c = t_realloc(x, fx * 2, &p);
        need(p != NULL && p != x, "not moved");
        checked();
        wcet_report(BE, case_id, "realloc", c, (long)n,
                    "%zu B block after %zu free blocks, a guard after it: in-place attempt (walk), alloc (walk past "
                    "all), memcpy of %zu bytes, free (walk)",
                    fx, n, fx - EA_HEADER);
    }

    /* A failure walks the whole list. */
    void *p;
    (void)layout("alloc-fails-after-n", 1000, 32, false, false);
    uint32_t c = t_alloc(1u << 20, &p);
    need(p == NULL, "did not fail");
    wcet_report(BE, case_id, "alloc", c, 1000, "1 MiB request: 1000 free blocks and the rest, all too small: NULL");
}
