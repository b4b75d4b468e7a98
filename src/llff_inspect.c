/*
 * ealloc llff: the calls that look at the whole heap — check, walk, stats.
 * Kept apart from llff.c so that firmware which never calls them links none
 * of this code. All three share one validated walk over the blocks
 * (ea_visit_blocks in heap_common.c); walk and stats are that walk alone.
 */
#include "ealloc/critical_section.h"
#include "llff_internal.h"

static int visit(const ea_llff_t *h, block_visit_fn fn, void *ctx)
{
    return ea_visit_blocks(&h->common, LLFF_USED, LLFF_MIN_BLOCK, false, fn, ctx);
}

typedef struct {
    const block_t *expected_free; /* the free list, followed in step with the blocks */
    uintptr_t free_end;           /* one past the last free block seen */
    size_t capacity;
    size_t used;
} check_state_t;

static int check_block(void *ctx, uintptr_t at, size_t size, size_t header)
{
    check_state_t *st = ctx;
    st->capacity += size;
    if ((header & LLFF_USED) != 0) {
        st->used += size;
        return 0;
    }
    if (at == st->free_end) {
        return EA_ECOALESCE;
    }
    /* Both run in address order, so the list's next node must be this very block. */
    if ((uintptr_t)st->expected_free != at) {
        return EA_EFREELIST;
    }
    st->expected_free = next_of(st->expected_free);
    st->free_end = at + size;
    if (!ea_poison_intact(at + LLFF_FREE_META, at + size)) {
        return EA_EPOISON;
    }
    return 0;
}

int ea_llff_check(ea_llff_t *h)
{
    ea_cs_state_t cs = ea_cs_enter();
    check_state_t st = {h->free_list, 0, 0, 0}; /* read inside the section: another thread may be changing it */
    int rc = visit(h, check_block, &st);
    if (rc == 0 && st.expected_free != NULL) {
        rc = EA_EFREELIST;
    }
    if (rc == 0 && (st.capacity != h->common.capacity || st.used != h->common.used)) {
        rc = EA_ECOUNT;
    }
    ea_cs_exit(cs);
    return rc;
}

void ea_llff_walk(ea_llff_t *h, ea_walk_fn fn, void *ctx)
{
    ea_heap_walk(&h->common, LLFF_USED, LLFF_MIN_BLOCK, false, fn, ctx);
}

void ea_llff_stats(ea_llff_t *h, ea_stats_t *out)
{
    ea_heap_stats(&h->common, LLFF_USED, LLFF_MIN_BLOCK, false, out);
}
