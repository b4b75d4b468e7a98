/* add_region: more memory, never overlapping, never merging across regions. */
#include "suites.h"

static void second_region_adds_capacity_and_serves(void **state)
{
    (void)state;
    ea_stats_t st;
    backend.stats(heap, &st);
    size_t one = st.capacity;
    assert_true(backend.add_region(heap, second_arena, arena_size));
    backend.stats(heap, &st);
    assert_true(st.capacity > one + arena_size / 2);
    assert_int_equal(st.free_blocks, 2);
    /* Fill both: blocks must come from the second region too. */
    static void *blocks[2 * TEST_ARENA_SIZE / 100]; /* each block takes more than 100 bytes of the two arenas */
    size_t n = 0;
    unsigned in_second = 0;
    while (n < sizeof blocks / sizeof blocks[0] && (blocks[n] = backend.alloc(heap, 100)) != NULL) {
        unsigned char *p = blocks[n];
        in_second += p >= second_arena && p < second_arena + arena_size;
        fill_pattern(p, 100, (unsigned)n);
        n++;
    }
    assert_true(in_second > 0);
    assert_true(n * 100 > arena_size);
    assert_heap_sound();
    for (size_t i = 0; i < n; i++) {
        assert_pattern(blocks[i], 100, (unsigned)i);
        backend.free(heap, blocks[i]);
    }
    backend.stats(heap, &st);
    assert_int_equal(st.free_blocks, 2);
}

static void bad_regions_are_refused(void **state)
{
    (void)state;
    ea_stats_t before;
    ea_stats_t after;
    backend.stats(heap, &before);
    assert_false(backend.add_region(heap, arena, arena_size));                /* the same region */
    assert_false(backend.add_region(heap, arena + 1000, 2000));               /* inside it */
    assert_false(backend.add_region(heap, arena + arena_size - 64, arena_size)); /* its last block bytes */
    assert_false(backend.add_region(heap, NULL, 4096));
    assert_false(backend.add_region(heap, second_arena, 0));
    assert_false(backend.add_region(heap, second_arena, backend.min_block));  /* too small */
    assert_false(backend.add_region(heap, (void *)(UINTPTR_MAX - 255), 4096)); /* wraps */
    backend.stats(heap, &after);
    assert_int_equal(after.capacity, before.capacity);
    assert_int_equal(after.free_blocks, before.free_blocks);
    /* A region whose end touches the start of the heap's region overlaps nothing. */
    backend.make_empty(heap);
    const size_t below = TEST_SCALE(4096);
    backend.init(heap, second_arena + below, arena_size - below);
    assert_false(backend.add_region(heap, second_arena, below + 1));
    assert_true(backend.add_region(heap, second_arena, below));
}

static void touching_regions_never_merge(void **state)
{
    (void)state;
    /* One buffer handed over as two regions, the upper half first. */
    backend.init(heap, arena + arena_size / 2, arena_size / 2);
    assert_true(backend.add_region(heap, arena, arena_size / 2));
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_int_equal(st.free_blocks, 2);
    assert_true(st.largest_free < arena_size / 2);
    /* A request larger than either half fails, though the halves touch. */
    assert_null(backend.alloc(heap, arena_size / 2 + 16));
    void *a = backend.alloc(heap, st.largest_free);
    void *b = backend.alloc(heap, st.largest_free);
    assert_non_null(a);
    assert_non_null(b);
    assert_heap_sound();
    backend.free(heap, b);
    backend.free(heap, a);
    backend.stats(heap, &st);
    assert_int_equal(st.free_blocks, 2);
}

typedef struct {
    uintptr_t last;
    size_t total;
    unsigned count;
} order_t;

static void record_order(void *ctx, void *addr, size_t size, bool used)
{
    order_t *o = ctx;
    (void)used;
    assert_true((uintptr_t)addr > o->last);
    o->last = (uintptr_t)addr;
    o->total += size;
    o->count++;
}

static void walk_visits_regions_in_address_order(void **state)
{
    (void)state;
    backend.init(heap, second_arena, arena_size);
    assert_true(backend.add_region(heap, arena, arena_size));
    void *p = backend.alloc(heap, 50);
    order_t o = {0, 0, 0};
    backend.walk(heap, record_order, &o);
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_int_equal(o.total, st.capacity);
    assert_int_equal(o.count, st.used_blocks + st.free_blocks);
    backend.free(heap, p);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(second_region_adds_capacity_and_serves, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(bad_regions_are_refused, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(touching_regions_never_merge, setup_empty_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(walk_visits_regions_in_address_order, setup_empty_heap, teardown_heap),
};

const suite_t region_suite = SUITE("region", tests);
