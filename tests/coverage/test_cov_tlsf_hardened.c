/*
 * tlsf in hardened builds: damaged free blocks met on the way, found by
 * tools/coverage.sh — a list head with a broken check word, with links
 * that leave the heap or a back link to a word that does not name it, met by
 * the search above the request's own class;
 * blocks of the own class looked at and taken (what each is checked for); a
 * free neighbour after a block whose links leave the heap; a block whose
 * PREV_FREE footer names a block outside the heap, or a sound free block that
 * does not end where the block starts. Each ends in EA_FAULT_CORRUPT with the
 * heap unchanged.
 */
#include <string.h>

#include "test_support.h"
#include "tlsf_internal.h"

_Static_assert(EA_HARDENED == 1, "built in hardened mode");

static unsigned char outside[64];

static ea_tlsf_t *tlsf(void)
{
    return heap;
}

/* The only free block of a fresh heap: the head of its (high) class. */
static block_t *the_free_block(void)
{
    ea_stats_t st;
    ea_tlsf_stats(tlsf(), &st);
    assert_int_equal(st.free_blocks, 1);
    block_t *b = tlsf()->heads[highest_class(tlsf())];
    assert_non_null(b);
    return b;
}

static void the_head_above_the_own_class_is_damaged(void **state)
{
    (void)state;
    block_t *f = the_free_block();
    block_t saved = *f;
    size_t used = tlsf()->common.used;

    f->check ^= 1; /* its check word */
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)ea_tlsf_alloc(tlsf(), 16));
    *f = saved;

    f->next_free = (block_t *)(void *)outside; /* a link out of the heap */
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)ea_tlsf_alloc(tlsf(), 16));
    *f = saved;

    f->prev_link = (block_t **)(void *)outside; /* a back link out of the heap */
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)ea_tlsf_alloc(tlsf(), 16));
    *f = saved;

    f->prev_link = (block_t **)((uintptr_t)f->prev_link + 1); /* inside the list heads, between two */
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)ea_tlsf_alloc(tlsf(), 16));
    *f = saved;

    f->prev_link = &tlsf()->heads[0]; /* a list head, but of a list that does not hold f */
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)ea_tlsf_alloc(tlsf(), 16));
    *f = saved;
    assert_int_equal(tlsf()->common.used, used);
}

/*
 * The own-class search: every block it looks at is checked before it is read,
 * and the one it takes has its links checked too (unlinking writes through
 * them). The links of a block only looked at are never followed beyond the
 * next one, so damage there is left for check() and the allocation succeeds.
 */
static void blocks_met_in_the_own_class(void **state)
{
    (void)state;
    /* The smallest and the largest footprint of one class, whatever the word size and granule. */
    unsigned cls = class_of(1024);
    size_t small_bytes = class_min_size(cls) - EA_HEADER;
    size_t large_bytes = class_min_size(cls + 1) - EA_GRANULE - EA_HEADER;
    assert_true(large_bytes > small_bytes);
    unsigned char *small = ea_tlsf_alloc(tlsf(), small_bytes);
    unsigned char *g1 = ea_tlsf_alloc(tlsf(), 16);
    unsigned char *large = ea_tlsf_alloc(tlsf(), large_bytes);
    unsigned char *g2 = ea_tlsf_alloc(tlsf(), 16);
    assert_non_null(g2);
    block_t *looked_at = block_of(small);
    block_t *taken = block_of(large);
    assert_int_equal(class_of(block_bytes(looked_at)), cls);
    assert_int_equal(class_of(block_bytes(taken)), cls);
    ea_tlsf_free(tlsf(), large);
    ea_tlsf_free(tlsf(), small); /* the list: small (too small for large_bytes), then large */
    assert_ptr_equal(looked_at->next_free, taken);
    size_t used = tlsf()->common.used;
    block_t saved_looked_at = *looked_at;
    block_t saved_taken = *taken;

    looked_at->check ^= 1;
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)ea_tlsf_alloc(tlsf(), large_bytes));
    *looked_at = saved_looked_at;

    taken->check ^= 1;
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)ea_tlsf_alloc(tlsf(), large_bytes));
    *taken = saved_taken;

    taken->next_free = (block_t *)(void *)outside;
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)ea_tlsf_alloc(tlsf(), large_bytes));
    *taken = saved_taken;
    assert_int_equal(tlsf()->common.used, used);
    assert_int_equal(ea_tlsf_check(tlsf()), 0);

    looked_at->prev_link = (block_t **)(void *)outside; /* never written through by this call */
    unsigned char *p = ea_tlsf_alloc(tlsf(), large_bytes);
    assert_ptr_equal(p, large);
    assert_int_not_equal(ea_tlsf_check(tlsf()), 0);
    looked_at->prev_link = saved_looked_at.prev_link;
    assert_int_equal(ea_tlsf_check(tlsf()), 0);
    ea_tlsf_free(tlsf(), p);
    ea_tlsf_free(tlsf(), g1);
    ea_tlsf_free(tlsf(), g2);
    assert_int_equal(tlsf()->common.used, 0);
}

static void a_free_neighbour_after_with_links_out_of_the_heap(void **state)
{
    (void)state;
    unsigned char *p = ea_tlsf_alloc(tlsf(), 64); /* the rest of the region is free, after p */
    block_t *f = the_free_block();
    assert_ptr_equal(f, block_after(block_of(p), block_bytes(block_of(p))));
    block_t saved = *f;
    f->next_free = (block_t *)(void *)outside;
    EXPECT_PANIC(EA_FAULT_CORRUPT, ea_tlsf_free(tlsf(), p));
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)ea_tlsf_realloc(tlsf(), p, 200));
    *f = saved;
    ea_tlsf_free(tlsf(), p);
}

static void a_footer_that_names_the_wrong_block(void **state)
{
    (void)state;
    unsigned char *a = ea_tlsf_alloc(tlsf(), 64);
    unsigned char *b = ea_tlsf_alloc(tlsf(), 64);
    unsigned char *c = ea_tlsf_alloc(tlsf(), 64);
    unsigned char *d = ea_tlsf_alloc(tlsf(), 64);
    ea_tlsf_free(tlsf(), a); /* b: PREV_FREE, its footer names a */
    ea_tlsf_free(tlsf(), c); /* another free block, sound, elsewhere */
    block_t **footer = footer_before(block_of(b));
    block_t *saved = *footer;
    assert_ptr_equal(saved, block_of(a));

    *footer = (block_t *)(void *)outside; /* out of the heap */
    EXPECT_PANIC(EA_FAULT_CORRUPT, ea_tlsf_free(tlsf(), b));
    *footer = block_of(c); /* a sound free block, but not the one that ends where b starts */
    EXPECT_PANIC(EA_FAULT_CORRUPT, ea_tlsf_free(tlsf(), b));
    *footer = saved;
    ea_tlsf_free(tlsf(), b);
    ea_tlsf_free(tlsf(), d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(the_head_above_the_own_class_is_damaged, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(blocks_met_in_the_own_class, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(a_free_neighbour_after_with_links_out_of_the_heap, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(a_footer_that_names_the_wrong_block, setup_heap, teardown_heap),
    };
    return cmocka_run_group_tests_name("coverage_tlsf_hardened", tests, NULL, NULL) != 0;
}
