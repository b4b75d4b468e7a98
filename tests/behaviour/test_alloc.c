/* alloc and calloc: alignment, sizes, exhaustion, overflow, the counters. */
#include <string.h>

#include "suites.h"

static void alloc_returns_aligned_usable_disjoint_blocks(void **state)
{
    (void)state;
    unsigned char *blocks[64];
    for (unsigned i = 0; i < 64; i++) {
        size_t size = 1 + TEST_SCALE(i * 13);
        blocks[i] = backend.alloc(heap, size);
        assert_non_null(blocks[i]);
        assert_int_equal((uintptr_t)blocks[i] % DEFAULT_ALIGN, 0);
        assert_true(blocks[i] >= arena && blocks[i] + size <= arena + arena_size);
        assert_true(backend.usable_size(heap, blocks[i]) >= size);
        fill_pattern(blocks[i], backend.usable_size(heap, blocks[i]), i);
        assert_heap_sound();
    }
    for (unsigned i = 0; i < 64; i++) {
        assert_pattern(blocks[i], backend.usable_size(heap, blocks[i]), i);
        backend.free(heap, blocks[i]);
        assert_heap_sound();
    }
    assert_int_equal(backend.used(heap), 0);
}

static void used_grows_by_each_footprint(void **state)
{
    (void)state;
    size_t sizes[] = {0, 1, 7, 8, 9, 16, 100, 1000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t before = backend.used(heap);
        void *p = backend.alloc(heap, sizes[i]);
        assert_non_null(p);
        assert_int_equal(backend.used(heap) - before, expected_footprint(sizes[i]));
        assert_int_equal(backend.usable_size(heap, p), expected_footprint(sizes[i]) - backend.header - TEST_GUARD);
    }
}

static void alloc_zero_gives_unique_minimal_blocks(void **state)
{
    (void)state;
    void *a = backend.alloc(heap, 0);
    void *b = backend.alloc(heap, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    assert_int_equal(backend.used(heap), 2 * backend.min_block);
    backend.free(heap, a);
    backend.free(heap, b);
    assert_int_equal(backend.used(heap), 0);
}

static void impossible_sizes_fail_without_change(void **state)
{
    (void)state;
    size_t sizes[] = {SIZE_MAX, SIZE_MAX - 1, SIZE_MAX - 7, SIZE_MAX - sizeof(size_t),
                      SIZE_MAX - 2 * sizeof(size_t), SIZE_MAX / 2 + 1, arena_size, arena_size + 1};
    ea_stats_t before;
    ea_stats_t after;
    backend.stats(heap, &before);
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        oom_calls = 0;
        assert_null(backend.alloc(heap, sizes[i]));
        assert_int_equal(oom_calls, 1);
        assert_ptr_equal(oom_heap, heap);
        assert_int_equal(oom_size, sizes[i]);
        assert_null(backend.alloc_aligned(heap, 64, sizes[i]));
    }
    backend.stats(heap, &after);
    assert_int_equal(after.used, before.used);
#if EA_STATS
    assert_int_equal(after.failed_count, before.failed_count + 2 * (sizeof sizes / sizeof sizes[0]));
    assert_int_equal(after.alloc_count, before.alloc_count);
#endif
}

static void exhaustion_then_full_recovery(void **state)
{
    (void)state;
    /* Each block takes more than 24 bytes, so the full arena holds fewer than this: */
    static void *blocks[TEST_ARENA_SIZE / 24];
    const size_t room = sizeof blocks / sizeof blocks[0]; /* n < room: the loop ended at a failed alloc */
    size_t n = 0;
    while (n < room && (blocks[n] = backend.alloc(heap, 24)) != NULL) {
        n++;
    }
    assert_true(n > TEST_SCALE(100) && n < room);
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_true(st.largest_free < 24);
    assert_int_equal(st.used_blocks, n);
    /* Nearly everything was handed out: only part of one footprint is left. */
    assert_true(st.free < expected_footprint(24) + backend.min_block);
    for (size_t i = 0; i < n; i++) {
        backend.free(heap, blocks[i]);
    }
    assert_int_equal(backend.used(heap), 0);
    backend.stats(heap, &st);
    assert_int_equal(st.free_blocks, 1);
}

static void calloc_zeroes_recycled_memory(void **state)
{
    (void)state;
    unsigned char *p = backend.alloc(heap, 500);
    memset(p, 0xAB, 500);
    backend.free(heap, p);
    unsigned char *q = backend.calloc(heap, 25, 20);
    assert_non_null(q);
    for (size_t i = 0; i < 500; i++) {
        assert_int_equal(q[i], 0);
    }
    backend.free(heap, q);
}

static void calloc_overflow_fails(void **state)
{
    (void)state;
    size_t used = backend.used(heap);
    assert_null(backend.calloc(heap, SIZE_MAX, 2));
    assert_null(backend.calloc(heap, 2, SIZE_MAX));
    assert_null(backend.calloc(heap, SIZE_MAX / 2 + 1, 2));
    assert_null(backend.calloc(heap, (size_t)1 << (sizeof(size_t) * 4), (size_t)1 << (sizeof(size_t) * 4)));
    assert_null(backend.calloc(heap, SIZE_MAX, SIZE_MAX));
    assert_int_equal(backend.used(heap), used);
    /* Zero elements, or zero-sized elements: a unique minimal block, as malloc(0). */
    void *a = backend.calloc(heap, 0, 16);
    void *b = backend.calloc(heap, 16, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    backend.free(heap, a);
    backend.free(heap, b);
}

static void counters_follow_every_step(void **state)
{
    (void)state;
    ea_stats_t st;
    void *a = backend.alloc(heap, 100);
    void *b = backend.alloc(heap, 200);
    size_t peak = backend.used(heap);
    (void)peak; /* read only when EA_STATS keeps a peak */
    backend.free(heap, a);
    assert_null(backend.alloc(heap, SIZE_MAX));
    backend.stats(heap, &st);
#if EA_STATS
    assert_int_equal(st.alloc_count, 2);
    assert_int_equal(st.free_count, 1);
    assert_int_equal(st.failed_count, 1);
    assert_int_equal(st.peak_used, peak);
#endif
    assert_int_equal(st.used, expected_footprint(200));
    assert_int_equal(st.used_blocks, 1);
    backend.free(heap, b);
    backend.stats(heap, &st);
    assert_int_equal(st.used, 0);
#if EA_STATS
    assert_int_equal(st.peak_used, peak);
#endif
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(alloc_returns_aligned_usable_disjoint_blocks, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(used_grows_by_each_footprint, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(alloc_zero_gives_unique_minimal_blocks, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(impossible_sizes_fail_without_change, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(exhaustion_then_full_recovery, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(calloc_zeroes_recycled_memory, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(calloc_overflow_fails, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(counters_follow_every_step, setup_heap, teardown_heap),
};

const suite_t alloc_suite = SUITE("alloc", tests);
