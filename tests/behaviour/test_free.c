/* free: coalescing in every order, and the misuse that is always detected. */
#include "suites.h"

#define BLOCKS TEST_SCALE(200)

static void *blocks[BLOCKS];

/* Fill most of the heap with blocks of varied sizes. */
static size_t allocate_many(void)
{
    size_t n = 0;
    for (; n < BLOCKS; n++) {
        blocks[n] = backend.alloc(heap, 8 + (n * 37) % 251);
        assert_non_null(blocks[n]);
        fill_pattern(blocks[n], 8, (unsigned)n);
    }
    return n;
}

/* After every block is back, one allocation of nearly the whole heap succeeds. */
static void assert_fully_merged(void)
{
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_int_equal(st.used, 0);
    assert_int_equal(st.free_blocks, 1);
    assert_int_equal(st.used_blocks, 0);
    assert_true(st.largest_free + backend.header + 64 >= st.capacity);
    void *all = backend.alloc(heap, st.largest_free);
    assert_non_null(all);
    assert_true(backend.used(heap) >= st.capacity - backend.min_block);
    backend.free(heap, all);
}

static void free_in_order(const size_t *order, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        assert_pattern(blocks[order[i]], 8, (unsigned)order[i]);
        backend.free(heap, blocks[order[i]]);
        assert_heap_sound();
    }
    assert_fully_merged();
}

static void coalesce_forward(void **state)
{
    (void)state;
    size_t order[BLOCKS];
    size_t n = allocate_many();
    for (size_t i = 0; i < n; i++) {
        order[i] = i;
    }
    free_in_order(order, n);
}

static void coalesce_backward(void **state)
{
    (void)state;
    size_t order[BLOCKS];
    size_t n = allocate_many();
    for (size_t i = 0; i < n; i++) {
        order[i] = n - 1 - i;
    }
    free_in_order(order, n);
}

static void coalesce_odd_then_even(void **state)
{
    (void)state;
    size_t order[BLOCKS];
    size_t n = allocate_many();
    size_t k = 0;
    for (size_t i = 1; i < n; i += 2) {
        order[k++] = i;
    }
    for (size_t i = 0; i < n; i += 2) {
        order[k++] = i;
    }
    free_in_order(order, n);
}

static void coalesce_shuffled(void **state)
{
    (void)state;
    size_t order[BLOCKS];
    size_t n = allocate_many();
    uint32_t x = 12345; /* fixed seed: a reproducible shuffle */
    for (size_t i = 0; i < n; i++) {
        order[i] = i;
    }
    for (size_t i = n - 1; i > 0; i--) {
        x = x * 1103515245u + 12345u;
        size_t j = (x >> 8) % (i + 1);
        size_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    free_in_order(order, n);
}

static void free_null_is_a_no_op(void **state)
{
    (void)state;
    void *p = backend.alloc(heap, 10);
    ea_stats_t before;
    ea_stats_t after;
    backend.stats(heap, &before);
    backend.free(heap, NULL);
    backend.stats(heap, &after);
    assert_int_equal(after.used, before.used);
    assert_int_equal(after.free_count, before.free_count);
    assert_int_equal(after.used_blocks, 1);
    backend.free(heap, p);
}

static void double_free_panics_and_changes_nothing(void **state)
{
    (void)state;
    SKIP_WHERE_A_CHECKER_REPORTS_FIRST();
    void *a = backend.alloc(heap, 64);
    void *b = backend.alloc(heap, 64);
    void *c = backend.alloc(heap, 64);
    backend.free(heap, b);
    size_t used = backend.used(heap);
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, backend.free(heap, b));
    assert_int_equal(backend.used(heap), used);
    assert_heap_sound();
    /* a is freed and merges with b's free block: b's address is now inside a free block. */
    backend.free(heap, a);
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, backend.free(heap, b));
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, backend.free(heap, a));
    assert_heap_sound();
    backend.free(heap, c);
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, backend.free(heap, c));
    assert_int_equal(backend.used(heap), 0);
}

static void freed_block_cannot_be_resized_or_measured(void **state)
{
    (void)state;
    void *a = backend.alloc(heap, 64);
    void *wall = backend.alloc(heap, 64);
    backend.free(heap, a);
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, (void)backend.realloc(heap, a, 10));
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, (void)backend.realloc(heap, a, 1000));
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, (void)backend.usable_size(heap, a));
    assert_int_equal(backend.used(heap), expected_footprint(64));
    backend.free(heap, wall);
}

static void misaligned_pointer_is_foreign(void **state)
{
    (void)state;
    unsigned char *a = backend.alloc(heap, 64);
    size_t used = backend.used(heap);
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, a + 1));
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, a + sizeof(void *)));
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, (void)backend.realloc(heap, a + 2, 10));
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, (void)backend.usable_size(heap, a + 3));
    assert_int_equal(backend.used(heap), used);
    backend.free(heap, a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(coalesce_forward, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(coalesce_backward, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(coalesce_odd_then_even, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(coalesce_shuffled, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(free_null_is_a_no_op, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(double_free_panics_and_changes_nothing, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(freed_block_cannot_be_resized_or_measured, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(misaligned_pointer_is_foreign, setup_heap, teardown_heap),
};

const suite_t free_suite = SUITE("free", tests);
