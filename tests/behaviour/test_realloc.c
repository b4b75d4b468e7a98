/* realloc and realloc_aligned: in place when possible, moves that keep data, failures that keep the block. */
#include "suites.h"

static void null_pointer_allocates_and_zero_size_frees(void **state)
{
    (void)state;
    void *p = backend.realloc(heap, NULL, 40);
    assert_non_null(p);
    assert_int_equal(backend.used(heap), expected_footprint(40));
    assert_null(backend.realloc(heap, p, 0));
    assert_int_equal(backend.used(heap), 0);
    p = backend.realloc_aligned(heap, NULL, 512, 40);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 512, 0);
    assert_null(backend.realloc_aligned(heap, p, 512, 0));
    assert_int_equal(backend.used(heap), 0);
}

static void shrink_stays_in_place_and_returns_the_tail(void **state)
{
    (void)state;
    unsigned char *p = backend.alloc(heap, 1000);
    void *after = backend.alloc(heap, 10); /* so the tail cannot hide in the big free block */
    fill_pattern(p, 1000, 1);
    size_t used = backend.used(heap);
    unsigned char *q = backend.realloc(heap, p, 100);
    assert_ptr_equal(q, p);
    assert_pattern(q, 100, 1);
    assert_int_equal(backend.used(heap), used - (expected_footprint(1000) - expected_footprint(100)));
    /* A shrink by less than a block keeps the footprint. */
    q = backend.realloc(heap, q, 99);
    assert_ptr_equal(q, p);
    backend.free(heap, q);
    backend.free(heap, after);
}

static void grow_in_place_into_the_free_block_after(void **state)
{
    (void)state;
    unsigned char *p = backend.alloc(heap, 100);
    void *gap = backend.alloc(heap, 400);
    void *wall = backend.alloc(heap, 10);
    fill_pattern(p, 100, 2);
    backend.free(heap, gap);
    unsigned char *q = backend.realloc(heap, p, 300);
    assert_ptr_equal(q, p);
    assert_pattern(q, 100, 2);
    assert_int_equal(backend.used(heap), expected_footprint(300) + expected_footprint(10));
    /* Growing to exactly the gap's end is in place too. */
    size_t whole = expected_footprint(100) + expected_footprint(400) - backend.header - TEST_GUARD;
    q = backend.realloc(heap, q, whole);
    assert_ptr_equal(q, p);
    assert_pattern(q, 100, 2);
    backend.free(heap, q);
    backend.free(heap, wall);
}

static void grow_moves_when_the_neighbour_is_used(void **state)
{
    (void)state;
    unsigned char *p = backend.alloc(heap, 100);
    void *wall = backend.alloc(heap, 10);
    fill_pattern(p, 100, 3);
    unsigned char *q = backend.realloc(heap, p, TEST_SCALE(5000));
    assert_non_null(q);
    assert_ptr_not_equal(q, p);
    assert_pattern(q, 100, 3);
    assert_int_equal(backend.used(heap), expected_footprint(TEST_SCALE(5000)) + expected_footprint(10));
#if EA_STATS
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_int_equal(st.free_count, 1); /* the old block */
#endif
    backend.free(heap, q);
    backend.free(heap, wall);
}

static void failed_realloc_keeps_the_block(void **state)
{
    (void)state;
    unsigned char *p = backend.alloc(heap, 200);
    fill_pattern(p, 200, 4);
    size_t used = backend.used(heap);
    size_t sizes[] = {SIZE_MAX, SIZE_MAX - 3, SIZE_MAX / 2, arena_size};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        assert_null(backend.realloc(heap, p, sizes[i]));
        assert_null(backend.realloc_aligned(heap, p, 64, sizes[i]));
        assert_int_equal(backend.used(heap), used);
        assert_pattern(p, 200, 4);
    }
    assert_null(backend.realloc_aligned(heap, p, 3, 10)); /* bad alignment */
    assert_int_equal(backend.usable_size(heap, p), expected_footprint(200) - backend.header - TEST_GUARD);
    assert_pattern(p, 200, 4);
    backend.free(heap, p);
}

static void realloc_aligned_keeps_alignment_when_moving(void **state)
{
    (void)state;
    for (size_t align = 16; align <= TEST_MAX_ALIGN; align *= 2) {
        unsigned char *p = backend.alloc_aligned(heap, align, 64);
        void *wall = backend.alloc(heap, 8);
        fill_pattern(p, 64, (unsigned)align);
        unsigned char *q = backend.realloc_aligned(heap, p, align, TEST_SCALE(2000));
        assert_non_null(q);
        assert_int_equal((uintptr_t)q % align, 0);
        assert_pattern(q, 64, (unsigned)align);
        q = backend.realloc_aligned(heap, q, align, 32); /* shrink keeps it too */
        assert_int_equal((uintptr_t)q % align, 0);
        assert_pattern(q, 32, (unsigned)align);
        backend.free(heap, q);
        backend.free(heap, wall);
    }
    assert_int_equal(backend.used(heap), 0);
}

static void realloc_to_a_stricter_alignment_moves(void **state)
{
    (void)state;
    /* A block that is not on the new alignment is moved onto it, keeping its data. */
    unsigned char *p = backend.alloc_aligned(heap, 64, 64);
    unsigned char *nudge = NULL;
    if ((uintptr_t)p % TEST_MAX_ALIGN == 0) {
        nudge = p;
        p = backend.alloc_aligned(heap, 64, 64);
    }
    assert_true((uintptr_t)p % TEST_MAX_ALIGN != 0);
    fill_pattern(p, 64, 5);
    unsigned char *q = backend.realloc_aligned(heap, p, TEST_MAX_ALIGN, 64);
    assert_non_null(q);
    assert_int_equal((uintptr_t)q % TEST_MAX_ALIGN, 0);
    assert_pattern(q, 64, 5);
    backend.free(heap, q);
    backend.free(heap, nudge);
}

static void realloc_chain_keeps_data(void **state)
{
    (void)state;
    unsigned char *p = NULL;
    size_t size = 0;
    for (unsigned step = 0; step < 40; step++) {
        size_t next = (step % 3 == 2) ? size / 2 + 1 : size + TEST_SCALE(97 * step) + 1;
        p = backend.realloc(heap, p, next);
        assert_non_null(p);
        if (size != 0) {
            assert_pattern(p, size < next ? size : next, step - 1);
        }
        size = next;
        fill_pattern(p, size, step);
        assert_heap_sound();
    }
    backend.free(heap, p);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(null_pointer_allocates_and_zero_size_frees, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(shrink_stays_in_place_and_returns_the_tail, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(grow_in_place_into_the_free_block_after, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(grow_moves_when_the_neighbour_is_used, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(failed_realloc_keeps_the_block, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(realloc_aligned_keeps_alignment_when_moving, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(realloc_to_a_stricter_alignment_moves, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(realloc_chain_keeps_data, setup_heap, teardown_heap),
};

const suite_t realloc_suite = SUITE("realloc", tests);
