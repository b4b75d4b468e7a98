/*
 * Built with a 4 KiB largest block (EA_TLSF_MAX_BLOCK_LOG2=12), found by
 * tools/coverage.sh: a region split into pieces whose last piece is too small
 * for a block is accepted (the rest is trimmed), not refused; a region too
 * small for even one block is still refused; a NULL region larger than a
 * block is refused as a whole (defect 3 in docs/reliability.md: it was cut
 * into pieces, the NULL one skipped and the next ones written just above 0).
 */
#include "test_support.h"
#include "tlsf_internal.h"

_Static_assert(EA_TLSF_MAX_BLOCK_LOG2 == 12, "this test is built with 4 KiB blocks");

/* What add_region_core cuts a large region into: room for one largest block each. */
#define PIECE (TLSF_MAX_BLOCK + sizeof(region_t) + TLSF_TAIL + 2 * EA_GRANULE)

static void a_last_piece_too_small_is_trimmed(void **state)
{
    (void)state;
    size_t size = 2 * PIECE + EA_GRANULE; /* two whole pieces and a granule left over */
    assert_true(size <= arena_size);
    backend.init(heap, arena, size);
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_int_equal(st.free_blocks, 2);
    assert_true(st.capacity >= 2 * (TLSF_MAX_BLOCK - EA_GRANULE));
    assert_true(st.capacity <= 2 * TLSF_MAX_BLOCK);
    void *a = ea_tlsf_alloc(heap, TLSF_MAX_BLOCK - 2 * EA_GRANULE);
    void *b = ea_tlsf_alloc(heap, TLSF_MAX_BLOCK - 2 * EA_GRANULE);
    assert_non_null(a);
    assert_non_null(b);
    assert_heap_sound();
    ea_tlsf_free(heap, a);
    ea_tlsf_free(heap, b);

    /* The same leftover alone is refused, and changes nothing. */
    assert_true(backend.add_region(heap, second_arena, PIECE + EA_GRANULE));
    assert_false(backend.add_region(heap, second_arena + PIECE + 2 * EA_GRANULE, EA_GRANULE));
    backend.stats(heap, &st);
    assert_int_equal(st.free_blocks, 3);
}

static void a_null_region_larger_than_a_block_is_refused(void **state)
{
    (void)state;
    /* Refused as a whole: no piece of it may be laid out (the pieces after the first are not NULL). */
    ea_stats_t before;
    backend.stats(heap, &before);
    assert_false(backend.add_region(heap, NULL, 3 * PIECE));
    ea_stats_t after;
    backend.stats(heap, &after);
    assert_int_equal(after.capacity, before.capacity);
    backend.make_empty(heap);
    EXPECT_PANIC(EA_FAULT_BAD_REGION, backend.init(heap, NULL, 3 * PIECE));
    backend.init(heap, arena, arena_size);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_last_piece_too_small_is_trimmed, setup_empty_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(a_null_region_larger_than_a_block_is_refused, setup_heap, teardown_heap),
    };
    return cmocka_run_group_tests_name("coverage_tlsf_small_blocks", tests, NULL, NULL) != 0;
}
