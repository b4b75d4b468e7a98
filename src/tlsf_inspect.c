/*
 * ealloc tlsf: the calls that look at the whole heap — check, walk, stats.
 * Kept apart from tlsf.c so that firmware which never calls them links none
 * of this code.
 *
 * check runs in two passes. The physical pass walks every block of every
 * region (validated by ea_visit_blocks) and verifies the links between
 * neighbours: PREV_FREE against the block before, footers, no two free
 * neighbours, the end markers; it counts the free blocks and sums their
 * addresses. The list pass follows every class list, dereferencing a node
 * only once it is known to lie inside a region; each node must be a free
 * block of that very class, linked back to its predecessor, and the lists
 * must hold exactly the free blocks the physical pass found (same count, same
 * address sum). Then the bitmaps against the lists, and the counters.
 */
#include "ealloc/critical_section.h"
#include "tlsf_internal.h"

typedef struct {
    const region_t *region; /* the region being walked (validated by ea_visit_blocks before its blocks) */
    bool prev_free;
    size_t free_blocks;
    uintptr_t free_sum;
    size_t capacity;
    size_t used;
} physical_t;

static int check_block(void *ctx, uintptr_t at, size_t size, size_t header)
{
    physical_t *st = ctx;
    bool announced = (header & TLSF_PREV_FREE) != 0;
    if (at == st->region->first) {
        st->prev_free = false; /* a region's first block has no predecessor */
    }
    if (announced != st->prev_free) {
        return EA_ELINK;
    }
    if (size == 0) { /* the end marker of a region */
        if ((header & TLSF_USED) == 0) {
            return EA_EBLOCK;
        }
        st->region = st->region->next;
        return 0;
    }
    st->capacity += size;
    if ((header & TLSF_USED) != 0) {
        st->used += size;
        st->prev_free = false;
        return 0;
    }
    if (st->prev_free) {
        return EA_ECOALESCE;
    }
    if (free_block_before(block_at(at + size)) != block_at(at)) {
        return EA_ELINK;
    }
    if (!ea_poison_intact(at + TLSF_FREE_META, at + size - EA_WORD)) {
        return EA_EPOISON;
    }
    st->prev_free = true;
    st->free_blocks++;
    st->free_sum += at;
    return 0;
}

/* Every list: nodes inside a region, free, of the list's class, linked both ways; bitmaps agree. */
static int check_lists(const ea_tlsf_t *h, size_t *free_blocks, uintptr_t *free_sum)
{
    size_t budget = *free_blocks; /* a list longer than the free blocks found has a cycle or strays */
    size_t found = 0;
    uintptr_t sum = 0;
    for (unsigned cls = 0; cls < TLSF_CLASSES; cls++) {
        block_t *const *link = &h->heads[cls];
        for (const block_t *b = *link; b != NULL; link = &b->next_free, b = next_free_of(b)) {
            if (found == budget || !ea_region_holds(h->common.regions, (uintptr_t)b, TLSF_MIN_BLOCK) ||
                (b->header & TLSF_USED) != 0 || prev_link_of(b) != link) {
                return EA_EFREELIST;
            }
            if (block_bytes(b) < TLSF_MIN_BLOCK || class_of(block_bytes(b)) != cls) {
                return EA_ECLASS;
            }
            found++;
            sum += (uintptr_t)b;
        }
        bool bit = (h->class_map[map_word(cls)] & map_bit(cls)) != 0;
        if (bit != (h->heads[cls] != NULL)) {
            return EA_EBITMAP;
        }
    }
    /* Bits past the last class, or (summary) past the last word: alloc's search would take them for lists. */
    if ((h->class_map[EA_TLSF_MAP_WORDS - 1] & bits_after_in_word((TLSF_CLASSES - 1) % EA_TLSF_MAP_BITS)) != 0) {
        return EA_EBITMAP;
    }
    if (EA_TLSF_SUMMARY) {
        for (unsigned w = 0; w < EA_TLSF_MAP_WORDS; w++) {
            if (((summary_bits(h) >> w & 1u) != 0) != (h->class_map[w] != 0)) {
                return EA_EBITMAP;
            }
        }
        if (EA_TLSF_MAP_WORDS < EA_TLSF_MAP_BITS && (summary_bits(h) >> (EA_TLSF_MAP_WORDS % EA_TLSF_MAP_BITS)) != 0) {
            return EA_EBITMAP;
        }
    }
    *free_blocks = found;
    *free_sum = sum;
    return 0;
}

int ea_tlsf_check(ea_tlsf_t *h)
{
    ea_cs_state_t cs = ea_cs_enter(); /* before reading anything: another thread may be adding a region */
    physical_t st = {h->common.regions, false, 0, 0, 0, 0};
    int rc = ea_visit_blocks(&h->common, TLSF_FLAGS, TLSF_MIN_BLOCK, true, check_block, &st);
    size_t listed = st.free_blocks;
    uintptr_t listed_sum = 0;
    if (rc == 0) {
        rc = check_lists(h, &listed, &listed_sum);
    }
    if (rc == 0 && (listed != st.free_blocks || listed_sum != st.free_sum)) {
        rc = EA_EFREELIST;
    }
    if (rc == 0 && (st.capacity != h->common.capacity || st.used != h->common.used)) {
        rc = EA_ECOUNT;
    }
    ea_cs_exit(cs);
    return rc;
}

void ea_tlsf_walk(ea_tlsf_t *h, ea_walk_fn fn, void *ctx)
{
    ea_heap_walk(&h->common, TLSF_FLAGS, TLSF_MIN_BLOCK, true, fn, ctx);
}

/*
 * The largest request alloc would satisfy: every request whose class lies
 * below the highest non-empty class succeeds, and within that class alloc
 * looks at its first EA_TLSF_SEARCH_DEPTH blocks only (at least the head).
 */
static size_t largest_request(const ea_tlsf_t *h)
{
    unsigned cls = highest_class(h);
    if (cls == TLSF_CLASSES) {
        return 0;
    }
    size_t best = 0;
    const block_t *b = h->heads[cls];
    for (unsigned i = 0; i < (unsigned)(EA_TLSF_SEARCH_DEPTH) && b != NULL; i++, b = next_free_of(b)) {
        if (block_bytes(b) > best) {
            best = block_bytes(b);
        }
    }
    /* the head is at least as large as any need of a lower class; the request it serves */
    return best - EA_HEADER - SHADOW_GUARD;
}

void ea_tlsf_stats(ea_tlsf_t *h, ea_stats_t *out)
{
    ea_cs_state_t cs = ea_cs_enter();
    ea_heap_stats(&h->common, TLSF_FLAGS, TLSF_MIN_BLOCK, true, out);
    out->largest_free = largest_request(h);
    ea_cs_exit(cs);
}
