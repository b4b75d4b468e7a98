/*
 * ealloc llff: the calls that look at the whole heap — check, walk, stats.
 * Kept apart from llff.c so that firmware which never calls them links none
 * of this code. All three share one validated walk over the blocks.
 */
#include "ealloc/critical_section.h"
#include "llff_internal.h"

typedef int (*visit_fn)(void *ctx, const block_t *b, size_t size, bool used);

/*
 * Call fn for every block of every region, in address order, validating each
 * region descriptor and block size before using it. Stops at the first
 * non-zero result of fn, or at damage (EA_EREGION, EA_EBLOCK).
 */
static int visit_blocks(const ea_llff_t *h, visit_fn fn, void *ctx)
{
    uintptr_t floor = 0;
    for (const region_t *r = h->common.regions; r != NULL; r = r->next) {
        uintptr_t at = (uintptr_t)r;
        if (at < floor || (at & (_Alignof(region_t) - 1)) != 0 || r->first < at + sizeof(region_t) ||
            ((r->first + EA_WORD) & (EA_GRANULE - 1)) != 0 || r->end < r->first ||
            ((r->end - r->first) & (EA_GRANULE - 1)) != 0) {
            return EA_EREGION;
        }
        for (at = r->first; at < r->end;) {
            const block_t *b = block_at(at);
            size_t size = block_bytes(b);
            if (size < LLFF_MIN_BLOCK || (size & (EA_GRANULE - 1)) != 0 || size > r->end - at) {
                return EA_EBLOCK;
            }
            int rc = fn(ctx, b, size, (b->size & LLFF_USED) != 0);
            if (rc != 0) {
                return rc;
            }
            at += size;
        }
        floor = r->end;
    }
    return 0;
}

typedef struct {
    const block_t *expected_free; /* the free list, followed in step with the blocks */
    uintptr_t free_end;           /* one past the last free block seen */
    size_t capacity;
    size_t used;
} check_state_t;

static int check_block(void *ctx, const block_t *b, size_t size, bool used)
{
    check_state_t *st = ctx;
    st->capacity += size;
    if (used) {
        st->used += size;
        return 0;
    }
    if ((uintptr_t)b == st->free_end) {
        return EA_ECOALESCE;
    }
    /* Both run in address order, so the list's next node must be this very block. */
    if (st->expected_free != b) {
        return EA_EFREELIST;
    }
    st->expected_free = b->next;
    st->free_end = (uintptr_t)b + size;
    return 0;
}

int ea_llff_check(ea_llff_t *h)
{
    check_state_t st = {h->free_list, 0, 0, 0};
    ea_cs_state_t cs = ea_cs_enter();
    int rc = visit_blocks(h, check_block, &st);
    if (rc == 0 && st.expected_free != NULL) {
        rc = EA_EFREELIST;
    }
    if (rc == 0 && (st.capacity != h->common.capacity || st.used != h->common.used)) {
        rc = EA_ECOUNT;
    }
    ea_cs_exit(cs);
    return rc;
}

typedef struct {
    ea_walk_fn fn;
    void *ctx;
} walk_state_t;

static int walk_block(void *ctx, const block_t *b, size_t size, bool used)
{
    walk_state_t *st = ctx;
    st->fn(st->ctx, (void *)(uintptr_t)b, size, used);
    return 0;
}

void ea_llff_walk(ea_llff_t *h, ea_walk_fn fn, void *ctx)
{
    walk_state_t st = {fn, ctx};
    ea_cs_state_t cs = ea_cs_enter();
    (void)visit_blocks(h, walk_block, &st);
    ea_cs_exit(cs);
}

static int count_block(void *ctx, const block_t *b, size_t size, bool used)
{
    ea_stats_t *out = ctx;
    (void)b;
    if (used) {
        out->used_blocks++;
    } else {
        out->free_blocks++;
        if (size - EA_WORD > out->largest_free) {
            out->largest_free = size - EA_WORD;
        }
    }
    return 0;
}

void ea_llff_stats(ea_llff_t *h, ea_stats_t *out)
{
    ea_cs_state_t cs = ea_cs_enter();
    stats_from_counters(&h->common, out);
    out->largest_free = 0;
    out->used_blocks = 0;
    out->free_blocks = 0;
    (void)visit_blocks(h, count_block, out);
    ea_cs_exit(cs);
}
