/*
 * tlsf: heap states that make alloc, free and realloc take their longest
 * paths. Built through the public calls; the internal header only supplies
 * the class mapping (class_of, class_min_size) and the block layout, so that
 * every case can check it built the state it means to, for whatever
 * EA_TLSF_SL_LOG2 / EA_TLSF_SEARCH_DEPTH the library was configured with
 * (and a largest block of 2^16 bytes or more).
 *
 * Cost model the cases follow (tlsf.c): alloc = class of the request, up to
 * EA_TLSF_SEARCH_DEPTH blocks of that class looked at (an over-aligned
 * request: TLSF_ALIGNED_SEARCH_DEPTH), then a scan of the
 * class-map word of that class, else of the words above it in turn up to the
 * first that is not zero (the more empty words between, the longer) or, with
 * more than 6 words, of a summary word; the block taken out of its list
 * (clearing its class bit when it was the only one, and with a summary the
 * word's summary bit when the word empties), split, and the rest filed in its
 * list (one more store when that list is not empty). An alignment above the
 * granule cuts the block from the end of the one found when that one's start
 * is off the alignment: its front is filed, and so is a tail (shorter than
 * the alignment) that can stand alone.
 * free = merge with the block after and the block before, each taken out of
 * its list, then file the result. realloc = in place (grow into the next
 * block, or shrink), or claim the previous block and move the data down, or
 * allocate + copy + free.
 */
#include <string.h>

#include "fw.h"
#include "tlsf_internal.h"
#include "wcet.h"

/* How many blocks of its own class an over-aligned search looks at; older internals looked at DEPTH. */
#ifdef TLSF_ALIGNED_SEARCH_DEPTH
#define ALIGNED_DEPTH TLSF_ALIGNED_SEARCH_DEPTH
#else
#define ALIGNED_DEPTH ((unsigned)(EA_TLSF_SEARCH_DEPTH))
#endif

/* Bytes in front of a payload (two words in hardened builds); older internals name only EA_WORD. */
#ifndef EA_HEADER
#define EA_HEADER EA_WORD
#endif

#define BE "tlsf"

static ea_tlsf_t heap;
static const char *case_id;

static void need(bool cond, const char *what)
{
    wcet_require(cond, BE, case_id, what);
}

static void fresh(const char *id, size_t bytes)
{
    const ea_tlsf_t empty = EA_TLSF_EMPTY;
    case_id = id;
    heap = empty;
    ea_tlsf_init(&heap, wcet_arena, bytes);
}

/* The largest heap the arena gives, capped so that it is one region (one block of the top class). */
static size_t huge_bytes(void)
{
    size_t cap = TLSF_MAX_BLOCK;
    return wcet_arena_bytes < cap ? wcet_arena_bytes : cap;
}

/* An allocated block of footprint exactly f (a granule multiple, at least TLSF_MIN_BLOCK). */
static void *blk(size_t f)
{
    void *p = ea_tlsf_alloc(&heap, f - EA_HEADER);
    need(p != NULL && block_bytes(block_of(p)) == f, "could not allocate a block of the footprint wanted");
    return p;
}

static unsigned fl_of(size_t f)
{
    return class_of(f) >> EA_TLSF_SL_LOG2;
}

/* The block of footprint f is the only free block of its whole class-map word: taking it out empties the word. */
static bool alone_in_word(size_t f)
{
    unsigned cls = class_of(f);
    return heap.class_map[map_word(cls)] == map_bit(cls) && heap.heads[cls] != NULL &&
           heap.heads[cls]->next_free == NULL;
}

static unsigned word_of(size_t f)
{
    return map_word(class_of(f));
}

static bool class_nonempty(size_t f)
{
    return heap.heads[class_of(f)] != NULL;
}

/* How many free blocks the list of footprint f's class holds: the own-class look's length. */
static unsigned blocks_in_class(size_t f)
{
    unsigned n = 0;
    for (const block_t *b = heap.heads[class_of(f)]; b != NULL; b = b->next_free) {
        n++;
    }
    return n;
}

/* The free block an aligned allocation p left in front of it (its header says PREV_FREE). */
static bool front_free(const void *p)
{
    return (block_of(p)->header & TLSF_PREV_FREE) != 0;
}

/* The size of the free block right behind p's block, 0 when that block is in use. */
static size_t tail_behind(const void *p)
{
    const block_t *after = block_after(block_of(p), block_bytes(block_of(p)));
    return (after->header & TLSF_USED) == 0 ? block_bytes(after) : 0;
}

/* The first block size whose class lies in class-map word w (at least the minimum block). */
static size_t word_first_size(unsigned w)
{
    need(w * (unsigned)EA_TLSF_MAP_BITS < TLSF_CLASSES, "configuration: too few words of classes");
    size_t f = class_min_size(w * (unsigned)EA_TLSF_MAP_BITS);
    return f < TLSF_MIN_BLOCK ? TLSF_MIN_BLOCK : f;
}

/*
 * A block size in class-map word w: want (the size the default configuration
 * uses) when its class lies there, else the first size of w — so the cases
 * that need blocks in distinct words build for any EA_TLSF_SL_LOG2 and
 * EA_TLSF_MAX_BLOCK_LOG2.
 */
static size_t size_in_word(unsigned w, size_t want)
{
    size_t f = word_of(want) == w ? want : word_first_size(w);
    need(word_of(f) == w && f <= TLSF_MAX_BLOCK, "configuration: no block size in the word wanted");
    return f;
}

/* Allocate every free block left, so that the only free blocks are those a case frees next. */
static void take_the_rest(void)
{
    unsigned taken = 0;
    for (ea_stats_t st; ea_tlsf_stats(&heap, &st), st.free_blocks != 0; taken++) {
        need(taken < 64 && ea_tlsf_alloc(&heap, st.largest_free) != NULL, "could not take the rest of the heap");
    }
}

static void checked(void)
{
    need(ea_tlsf_check(&heap) == 0, "check() failed after the timed call");
}

#define API(name) ea_tlsf_##name
#include "wcet_timed_calls.h"

/*
 * The smallest footprint f0 that starts a class wider than one granule, so a
 * block of f0 bytes is in the same class as a request of f0 + granule and
 * too small for it: what the own-class search can fail on.
 */
static size_t first_wide_class_start(size_t at_least)
{
    for (size_t f = at_least; f <= TLSF_MAX_BLOCK; f += EA_GRANULE) {
        unsigned c = class_of(f);
        if (class_min_size(c) == f && class_of(f + EA_GRANULE) == c) {
            return f;
        }
    }
    return 0;
}

/* count (up to DEPTH) free blocks of footprint f, each behind a guard in use, in front of the rest of the heap. */
static void too_small_blocks(size_t f, unsigned count, void **keep)
{
    void *small[EA_TLSF_SEARCH_DEPTH];
    for (unsigned i = 0; i < count; i++) {
        small[i] = blk(f);
        keep[i] = blk(TLSF_MIN_BLOCK);
    }
    for (unsigned i = 0; i < count; i++) {
        ea_tlsf_free(&heap, small[i]);
    }
}

static void alloc_cases(void)
{
    void *p;
    void *guards[EA_TLSF_SEARCH_DEPTH];
    size_t big = huge_bytes();

    /* A tiny request against one huge free block: the bitmaps searched from level 0 to the top. */
    fresh("alloc-tiny-from-one-huge-block", big);
    size_t top = block_bytes(heap.heads[class_of(heap.common.capacity)]);
    uint32_t n = t_alloc(1, &p);
    need(p != NULL, "alloc failed");
    checked();
    wcet_report(BE, case_id, "alloc", n, -1,
                "request 1 B (class 0); the only free block is %zu B, class %u of %u (first level %u of %u): "
                "empty own class and word, the search up to the top word, block alone in its word, split",
                top, class_of(top), (unsigned)TLSF_CLASSES, fl_of(top), (unsigned)EA_TLSF_FL_COUNT);

    /* The same on a small heap: the count does not depend on the size of the block. */
    fresh("alloc-tiny-from-one-block-4KiB", 4096);
    n = t_alloc(1, &p);
    need(p != NULL, "alloc failed");
    checked();
    wcet_report(BE, case_id, "alloc", n, -1, "as above with a 4 KiB heap: same path, same count expected");

    /* The own-class search: DEPTH blocks in the request's class, all too small; then the next class of the level. */
    size_t f0 = first_wide_class_start(TLSF_MIN_BLOCK);
    need(f0 != 0, "no class wider than a granule");
    size_t req = f0 + EA_GRANULE; /* footprint of the request: same class as f0, larger */
    fresh("alloc-own-class-search-then-same-level", big);
    too_small_blocks(f0, EA_TLSF_SEARCH_DEPTH, guards);
    /* The largest block of the next class, so that the rest is split off and filed when it can stand alone. */
    size_t next_f = class_min_size(class_of(f0) + 2u) - EA_GRANULE;
    need(class_of(next_f) == class_of(f0) + 1u && fl_of(next_f) == fl_of(f0),
         "the next class is in another level (configuration)");
    bool split = next_f - req >= TLSF_MIN_BLOCK;
    void *nb = blk(next_f);
    /* The wall behind nb, of nb's own size: a smaller one would be cut from a small block of the own
     * class (the lowest non-empty class above its own), and nb, freed, would merge with the top block. */
    (void)blk(next_f);
    ea_tlsf_free(&heap, nb);
    need(class_of(req) == class_of(f0), "request and small blocks are in different classes");
    need(heap.heads[class_of(next_f)] == block_of(nb) && block_of(nb)->next_free == NULL,
         "the block of the next class is not alone in its list");
    need(blocks_in_class(f0) == EA_TLSF_SEARCH_DEPTH, "the own class does not hold DEPTH small blocks");
    n = t_alloc(req - EA_HEADER, &p);
    need(p == nb, "the block of the next class was not the one taken");
    checked();
    wcet_report(BE, case_id, "alloc", n, EA_TLSF_SEARCH_DEPTH,
                "request footprint %zu B (class %u); its class holds %u free blocks of %zu B (too small); "
                "a block of %zu B, alone in the next class of the same level, is taken; %s",
                req, class_of(req), (unsigned)(EA_TLSF_SEARCH_DEPTH), f0, next_f,
                split ? "its rest is split off and filed" : "its rest is too small to split");

    /* Own-class search that fails, then the search of the words up to the top class: the longest plain alloc. */
    fresh("alloc-own-class-search-then-top", big);
    too_small_blocks(f0, EA_TLSF_SEARCH_DEPTH, guards);
    need(blocks_in_class(f0) == EA_TLSF_SEARCH_DEPTH, "the own class does not hold DEPTH small blocks");
    n = t_alloc(req - EA_HEADER, &p);
    need(p != NULL && (uintptr_t)p > (uintptr_t)guards[EA_TLSF_SEARCH_DEPTH - 1], "not taken from the top block");
    checked();
    wcet_report(BE, case_id, "alloc", n, EA_TLSF_SEARCH_DEPTH,
                "request footprint %zu B (class %u); %u free blocks of %zu B in its class, all too small; "
                "no other block below the top class: own-class search + search of the words up to the top + split",
                req, class_of(req), (unsigned)(EA_TLSF_SEARCH_DEPTH), f0);

    /*
     * Aligned: the block is cut from the end of the top block (its start is
     * off the alignment), so the front is filed, and the tail behind it too
     * when it can stand as a block. The tail depends only on where the heap
     * ends, so a dry run picks a heap size whose tail is a whole block.
     */
    const size_t align = 256;
    size_t pad_room = align - EA_GRANULE + TLSF_MIN_BLOCK;
    size_t areq = TLSF_MIN_BLOCK + pad_room; /* what find_block looks for with a 1-byte request */
    size_t abig = big;
    size_t tail = 0;
    for (unsigned tries = 0; tail < TLSF_MIN_BLOCK; tries++, abig -= EA_GRANULE) {
        need(tries < align / EA_GRANULE, "no heap size leaves a tail behind the aligned block");
        fresh("alloc-aligned-dry-run", abig);
        p = ea_tlsf_alloc_aligned(&heap, align, 1);
        need(p != NULL, "dry run failed");
        tail = tail_behind(p);
    }
    abig += EA_GRANULE;
    fresh("alloc-aligned-from-one-huge-block", abig);
    n = t_alloc_aligned(align, 1, &p);
    need(p != NULL && ((uintptr_t)p & (align - 1)) == 0, "aligned alloc failed");
    need(front_free(p) && tail_behind(p) == tail, "no front block, or not the dry run's tail");
    checked();
    wcet_report(BE, case_id, "alloc_aligned", n, -1,
                "alloc_aligned(%zu, 1) from one huge block: cut from its end; the front and a %zu B tail both filed",
                align, tail);

    size_t af0 = class_min_size(class_of(areq));
    if (af0 < areq && af0 >= TLSF_MIN_BLOCK) {
        fresh("alloc-aligned-own-class-search-then-top", abig);
        too_small_blocks(af0, ALIGNED_DEPTH, guards);
        need(blocks_in_class(af0) == ALIGNED_DEPTH, "the own class does not hold the blocks looked at");
        n = t_alloc_aligned(align, 1, &p);
        need(p != NULL && ((uintptr_t)p & (align - 1)) == 0, "aligned alloc failed");
        need(front_free(p) && tail_behind(p) == tail, "no front block, or not the dry run's tail");
        checked();
        wcet_report(BE, case_id, "alloc_aligned", n, ALIGNED_DEPTH,
                    "alloc_aligned(%zu, 1): searches for %zu B (class %u), looks at %u free block(s) of %zu B there, "
                    "too small, then takes the top; front and %zu B tail filed",
                    align, areq, class_of(areq), (unsigned)(ALIGNED_DEPTH), af0, tail);
    }

    /*
     * The same, with the tail filed in a list that already has a block. A
     * free block of the tail's size and a guard in front of everything else,
     * together a multiple of the alignment, leave the top block's start the
     * same modulo the alignment and its end where it was: the same cut.
     */
    if (af0 < areq && af0 >= TLSF_MIN_BLOCK) {
        size_t guard = align - tail % align;
        while (guard < TLSF_MIN_BLOCK) {
            guard += align;
        }
        fresh("alloc-aligned-own-class-search-then-top-tail-into-nonempty-list", abig);
        void *extra = blk(tail);
        (void)blk(guard);
        too_small_blocks(af0, ALIGNED_DEPTH, guards);
        ea_tlsf_free(&heap, extra);
        need(class_nonempty(tail) && blocks_in_class(af0) == ALIGNED_DEPTH, "state not as intended");
        n = t_alloc_aligned(align, 1, &p);
        need(p != NULL && ((uintptr_t)p & (align - 1)) == 0 && (uintptr_t)p > (uintptr_t)guards[ALIGNED_DEPTH - 1],
             "aligned alloc not from the top block");
        need(front_free(p) && tail_behind(p) == tail, "no front block, or not the dry run's tail");
        checked();
        wcet_report(BE, case_id, "alloc_aligned", n, ALIGNED_DEPTH,
                    "as the case before, and the %zu B tail is filed in a list that has a block already", tail);
    }

    /* A request that fits nowhere: how long a failure takes. */
    fresh("alloc-fails", 4096);
    n = t_alloc(8192, &p);
    need(p == NULL, "did not fail");
    wcet_report(BE, case_id, "alloc", n, -1, "request 8 KiB from a 4 KiB heap: NULL (ea_oom_hook, the default, included)");
}

static void free_cases(void)
{
    size_t big = huge_bytes();

    fresh("free-no-free-neighbour", big);
    (void)blk(32);
    void *x = blk(32);
    (void)blk(32);
    uint32_t n = t_free(x);
    checked();
    wcet_report(BE, case_id, "free", n, -1, "both neighbours in use: no merge, filed in an empty class");

    fresh("free-both-neighbours-same-class", big);
    void *a = blk(32), *b = blk(32), *c = blk(32);
    (void)blk(32);
    ea_tlsf_free(&heap, a);
    ea_tlsf_free(&heap, c);
    n = t_free(b);
    checked();
    wcet_report(BE, case_id, "free", n, -1, "both neighbours free (32 B each, one list): merged into 96 B");

    /*
     * Both neighbours free, each the only free block of its class-map word
     * (taking them out clears a class bit each and empties the word), and the
     * merged block filed in a list that already has a block.
     */
    /* Word 0, word 2 and word 1: the merged block, at least as large as fb, lies in word 2 or above. */
    const size_t fa = size_in_word(0, 96), fb = size_in_word(2, 8192), fc = size_in_word(1, 1024);
    const size_t fm = fa + fb + fc;
    fresh("free-both-neighbours-free", big);
    a = blk(fa);
    b = blk(fb);
    c = blk(fc);
    (void)blk(TLSF_MIN_BLOCK);
    void *y = blk(fm);
    (void)blk(TLSF_MIN_BLOCK);
    ea_tlsf_free(&heap, y);
    ea_tlsf_free(&heap, a);
    ea_tlsf_free(&heap, c);
    need(word_of(fa) != word_of(fc) && word_of(fa) != word_of(fm) && word_of(fc) != word_of(fm),
         "words not distinct");
    need(alone_in_word(fa) && alone_in_word(fc) && class_nonempty(fm), "state not as intended");
    n = t_free(b);
    checked();
    wcet_report(BE, case_id, "free", n, -1,
                "block of %zu B between free blocks of %zu B and %zu B, each alone in its class-map word (%u, %u); "
                "merged %zu B filed in a non-empty list (word %u)",
                fb, fa, fc, word_of(fa), word_of(fc), fm, word_of(fm));

    /* The same, and the merged block is filed in a word with no bit set: its class bit is set. */
    fresh("free-both-neighbours-free-into-empty-word", big);
    a = blk(fa);
    b = blk(fb);
    c = blk(fc);
    (void)blk(TLSF_MIN_BLOCK);
    take_the_rest(); /* with a small largest block the rest of the heap would share the merged block's word */
    ea_tlsf_free(&heap, a);
    ea_tlsf_free(&heap, c);
    need(word_of(fa) != word_of(fc) && word_of(fa) != word_of(fm) && word_of(fc) != word_of(fm),
         "words not distinct");
    need(alone_in_word(fa) && alone_in_word(fc) && heap.class_map[word_of(fm)] == 0, "state not as intended");
    n = t_free(b);
    checked();
    need(alone_in_word(fm), "merged block not filed alone in its word");
    wcet_report(BE, case_id, "free", n, -1,
                "block of %zu B between free blocks of %zu B and %zu B, each alone in its class-map word (%u, %u); "
                "merged %zu B filed in an empty list of an empty word (%u)",
                fb, fa, fc, word_of(fa), word_of(fc), fm, word_of(fm));
}

static void realloc_cases(void)
{
    size_t big = huge_bytes();
    void *p;

    fresh("realloc-shrink-in-place", big);
    void *x = blk(256);
    (void)blk(TLSF_MIN_BLOCK);
    uint32_t n = t_realloc(x, 8, &p);
    need(p == x, "moved");
    checked();
    wcet_report(BE, case_id, "realloc", n, -1, "256 B block shrunk to a 8-byte request: the tail filed");

    fresh("realloc-grow-in-place", big);
    x = blk(TLSF_MIN_BLOCK);
    void *f = blk(96);
    (void)blk(TLSF_MIN_BLOCK);
    ea_tlsf_free(&heap, f);
    n = t_realloc(x, 64, &p);
    need(p == x, "moved");
    checked();
    wcet_report(BE, case_id, "realloc", n, -1,
                "%zu B block grown to a 64-byte request into the free 96 B block after it; the rest filed",
                (size_t)TLSF_MIN_BLOCK);

    /* Grow into the previous block: claimed, data moved down, tail filed. */
    fresh("realloc-grow-into-previous", big);
    void *a = blk(96);
    x = blk(TLSF_MIN_BLOCK);
    (void)blk(TLSF_MIN_BLOCK);
    ea_tlsf_free(&heap, a);
    n = t_realloc(x, 64, &p);
    need(p == a, "not moved into the previous block");
    checked();
    wcet_report(BE, case_id, "realloc", n, -1,
                "%zu B block (%zu bytes kept) grown to a 64-byte request into the free 96 B block before it; "
                "memmove of the kept bytes; tail filed",
                (size_t)TLSF_MIN_BLOCK, (size_t)(TLSF_MIN_BLOCK - EA_HEADER));

    /*
     * Grow into the previous and the next block, both alone in their class-map
     * word, tail filed in a non-empty list: the longest claim_backward.
     */
    const size_t fa = size_in_word(2, 9216), fx = TLSF_MIN_BLOCK, fc = size_in_word(1, 1024);
    const size_t tail = size_in_word(0, 48); /* word 0: apart from a (word 2) and c (word 1) */
    const size_t want = fa + fx + fc - tail; /* more than in place can give (fx + fc), less than all three */
    fresh("realloc-grow-into-previous-and-next", big);
    a = blk(fa);
    x = blk(fx);
    void *c = blk(fc);
    (void)blk(TLSF_MIN_BLOCK);
    void *y = blk(tail);
    (void)blk(TLSF_MIN_BLOCK);
    take_the_rest(); /* with a small largest block the rest of the heap would share a's word */
    ea_tlsf_free(&heap, y);
    ea_tlsf_free(&heap, a);
    ea_tlsf_free(&heap, c);
    need(word_of(tail) != word_of(fa) && word_of(tail) != word_of(fc) && word_of(fa) != word_of(fc),
         "words not distinct");
    need(alone_in_word(fa) && alone_in_word(fc) && class_nonempty(tail), "state not as intended");
    n = t_realloc(x, want - EA_HEADER, &p);
    need(p == a, "not moved into the previous block");
    checked();
    wcet_report(BE, case_id, "realloc", n, -1,
                "%zu B block (%zu bytes kept) grown to %zu B: claims the free %zu B before and %zu B after (each alone in "
                "its word); memmove; %zu B tail filed in a non-empty list",
                fx, fx - EA_HEADER, want, fa, fc, tail);

    /*
     * Neither in place nor backward: allocate (own-class search that fails,
     * scan of the words up to the top), copy the kept bytes, free with both
     * neighbours free and alone in their words, merged block into a non-empty
     * list.
     */
    void *guards[EA_TLSF_SEARCH_DEPTH];
    /* Neighbours in words 0 and 1 (c the largest size of word 1), the merged block and the request in word 2. */
    const size_t ma = size_in_word(0, 96), mx = TLSF_MIN_BLOCK, mc = word_first_size(2) - EA_GRANULE;
    size_t f0 = first_wide_class_start(ma + mx + mc + EA_GRANULE);
    need(f0 != 0, "no wide class");
    size_t req = f0 + EA_GRANULE;
    const size_t fm = ma + mx + mc;
    fresh("realloc-move", big);
    a = blk(ma);
    x = blk(mx);
    c = blk(mc);
    (void)blk(TLSF_MIN_BLOCK);
    y = blk(fm);
    (void)blk(TLSF_MIN_BLOCK);
    too_small_blocks(f0, EA_TLSF_SEARCH_DEPTH, guards);
    ea_tlsf_free(&heap, y);
    ea_tlsf_free(&heap, a);
    ea_tlsf_free(&heap, c);
    need(word_of(ma) != word_of(mc) && word_of(fm) != word_of(ma) && word_of(fm) != word_of(mc), "words not distinct");
    need(alone_in_word(ma) && alone_in_word(mc) && class_nonempty(fm) && blocks_in_class(f0) == EA_TLSF_SEARCH_DEPTH,
         "state not as intended");
    n = t_realloc(x, req - EA_HEADER, &p);
    need(p != NULL && (uintptr_t)p > (uintptr_t)guards[EA_TLSF_SEARCH_DEPTH - 1], "not moved to the top block");
    checked();
    wcet_report(BE, case_id, "realloc", n, EA_TLSF_SEARCH_DEPTH,
                "%zu B block grown to %zu B: neither neighbour helps, so alloc (%u too-small blocks of %zu B in its "
                "class, then the top) + memcpy of %zu bytes + free merging %zu B and %zu B (alone in their words) "
                "into a non-empty list",
                mx, req, (unsigned)(EA_TLSF_SEARCH_DEPTH), f0, mx - EA_HEADER, ma, mc);
}

/* xorshift32: the random search below must be the same on every run. */
static uint32_t rng_state = 2463534242u;
static uint32_t rng(void)
{
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

/* Sizes 1 .. 2^12, log-uniform. */
static size_t random_size(void)
{
    unsigned bits = rng() % 12u;
    return 1u + (rng() & (((size_t)2 << bits) - 1u));
}

/*
 * A check on the cases above: a long random run on a 64 KiB heap, every
 * alloc, aligned alloc and free timed; its maxima must not exceed the
 * constructed worst cases.
 */
static void random_search(void)
{
    enum { SLOTS = 512, OPS = 200000 };
    static void *slot[SLOTS];
    uint32_t max_alloc = 0, max_aligned = 0, max_free = 0;
    fresh("random-search", 64 * 1024);
    memset(slot, 0, sizeof slot);
    for (unsigned i = 0; i < OPS; i++) {
        unsigned s = rng() % SLOTS;
        void *p;
        if (slot[s] == NULL) {
            uint32_t n;
            if ((rng() & 3u) == 0) {
                n = t_alloc_aligned((size_t)16 << (rng() % 6u), random_size(), &p);
                max_aligned = n > max_aligned ? n : max_aligned;
            } else {
                n = t_alloc(random_size(), &p);
                max_alloc = n > max_alloc ? n : max_alloc;
            }
            slot[s] = p;
        } else {
            uint32_t n = t_free(slot[s]);
            max_free = n > max_free ? n : max_free;
            slot[s] = NULL;
        }
    }
    checked();
    wcet_report(BE, "random-search", "alloc", max_alloc, OPS, "max over a random run (64 KiB heap, sizes 1..4096)");
    wcet_report(BE, "random-search", "alloc_aligned", max_aligned, OPS, "max over the same run (alignment 16..512)");
    wcet_report(BE, "random-search", "free", max_free, OPS, "max over the same run");
}

void wcet_tlsf(void)
{
    /* The free and realloc cases put several blocks of up to a few tens of KiB in one region. */
    case_id = "configuration";
    need(EA_TLSF_MAX_BLOCK_LOG2 >= 16, "the cases need EA_TLSF_MAX_BLOCK_LOG2 >= 16");
    alloc_cases();
    free_cases();
    realloc_cases();
    random_search();
}
