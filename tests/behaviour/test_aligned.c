/* alloc_aligned: every power of two, the padding given back, bad alignments. */
#include "suites.h"

static void every_power_of_two_up_to_4096(void **state)
{
    (void)state;
    for (size_t align = 1; align <= TEST_MAX_ALIGN; align *= 2) {
        for (size_t size = 0; size <= 300; size += 37) {
            unsigned char *p = backend.alloc_aligned(heap, align, size);
            assert_non_null(p);
            assert_int_equal((uintptr_t)p % align, 0);
            assert_int_equal((uintptr_t)p % DEFAULT_ALIGN, 0);
            assert_true(backend.usable_size(heap, p) >= size);
            fill_pattern(p, size, (unsigned)(align + size));
            unsigned char *q = backend.alloc(heap, 1); /* something after it */
            assert_heap_sound();
            assert_pattern(p, size, (unsigned)(align + size));
            backend.free(heap, p);
            backend.free(heap, q);
        }
    }
    assert_int_equal(backend.used(heap), 0);
}

static void padding_goes_back_to_the_heap(void **state)
{
    (void)state;
    /* Put the next free byte just past an alignment boundary, so the padding is large. */
    void *first = backend.alloc(heap, 8);
    for (size_t align = 64; align <= TEST_MAX_ALIGN; align *= 2) {
        size_t before = backend.used(heap);
        void *p = backend.alloc_aligned(heap, align, 100);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % align, 0);
        /* used counts the block alone, not the padding in front of it. */
        assert_true(backend.used(heap) - before <= expected_footprint(100) + backend.min_block);
        ea_stats_t st;
        backend.stats(heap, &st);
        assert_true(st.free_blocks >= 1);
        backend.free(heap, p);
        assert_int_equal(backend.used(heap), before);
    }
    backend.free(heap, first);
    /* Everything merged back into one block. */
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_int_equal(st.free_blocks, 1);
}

/* A small block that keeps the list of all of them in its own payload. */
typedef struct small_block {
    struct small_block *next;
} small_block_t;

static void padding_is_reused_by_later_allocations(void **state)
{
    (void)state;
    void *first = backend.alloc(heap, 8);
    void *big = backend.alloc_aligned(heap, TEST_MAX_ALIGN, 16);
    assert_non_null(big);
    /* Small blocks until none fits: some land in the memory below the aligned block (llff: the padding
     * in front of it; tlsf: the front of the free block it was cut from), and the heap fills. */
    unsigned below = 0;
    small_block_t *all = NULL;
    for (small_block_t *s; (s = backend.alloc(heap, 16)) != NULL; all = s) {
        s->next = all;
        below += (uintptr_t)s < (uintptr_t)big;
    }
    assert_true(below > 0);
    /* What is left is in pieces too small for one more of them. */
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_true(st.free_blocks == 0 || backend.free_bytes(heap) < st.free_blocks * expected_footprint(16));
    while (all != NULL) {
        small_block_t *next = all->next;
        backend.free(heap, all);
        all = next;
    }
    backend.free(heap, big);
    backend.free(heap, first);
}

static void bad_alignments_return_null(void **state)
{
    (void)state;
    size_t bad[] = {0, 3, 5, 6, 12, 24, 100, 4095, 4097, SIZE_MAX, SIZE_MAX / 2};
    size_t used = backend.used(heap);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(backend.alloc_aligned(heap, bad[i], 16));
    }
    assert_int_equal(backend.used(heap), used);
}

static void huge_alignment_fails_or_is_honoured(void **state)
{
    (void)state;
    size_t aligns[] = {(size_t)1 << 16, (size_t)1 << 20, (size_t)1 << (sizeof(size_t) * 8 - 1)};
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        void *p = backend.alloc_aligned(heap, aligns[i], 16);
        if (p != NULL) {
            assert_int_equal((uintptr_t)p % aligns[i], 0);
            backend.free(heap, p);
        }
    }
    assert_int_equal(backend.used(heap), 0);
}

static void allocator_handle_routes_to_the_heap(void **state)
{
    (void)state;
    ea_allocator_t a = backend.allocator(heap);
    void *p = ea_alloc(a, 100, 0);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % DEFAULT_ALIGN, 0);
    void *q = ea_alloc(a, 100, 256);
    assert_non_null(q);
    assert_int_equal((uintptr_t)q % 256, 0);
    assert_int_equal(backend.used(heap), 2 * expected_footprint(100));
    fill_pattern(q, 100, 9);
    q = ea_realloc(a, q, TEST_SCALE(3000), 256);
    assert_non_null(q);
    assert_int_equal((uintptr_t)q % 256, 0);
    assert_pattern(q, 100, 9);
    assert_null(ea_alloc(a, 16, 3));
    ea_free(a, p);
    ea_free(a, q);
    ea_free(a, NULL);
    assert_int_equal(backend.used(heap), 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(every_power_of_two_up_to_4096, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(padding_goes_back_to_the_heap, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(padding_is_reused_by_later_allocations, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(bad_alignments_return_null, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(huge_alignment_fails_or_is_honoured, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(allocator_handle_routes_to_the_heap, setup_heap, teardown_heap),
};

const suite_t aligned_suite = SUITE("aligned", tests);
