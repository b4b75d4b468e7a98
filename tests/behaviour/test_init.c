/* init, EA_INIT and the empty heap: every bad region and its defined result. */
#include <string.h>

#include "suites.h"

static void init_hands_over_the_region(void **state)
{
    (void)state;
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_true(st.capacity <= arena_size);
    assert_true(st.capacity >= arena_size - 2048); /* descriptor and edges only */
    assert_int_equal(st.used, 0);
    assert_int_equal(st.free, st.capacity);
    assert_int_equal(backend.used(heap), 0);
    assert_int_equal(backend.free_bytes(heap), st.capacity);
    assert_int_equal(st.free_blocks, 1);
    assert_int_equal(st.used_blocks, 0);
    assert_int_equal(backend.check(heap), EA_OK);
}

static void second_init_panics_and_changes_nothing(void **state)
{
    (void)state;
    void *p = backend.alloc(heap, 100);
    size_t used = backend.used(heap);
    EXPECT_PANIC(EA_FAULT_DOUBLE_INIT, backend.init(heap, second_arena, arena_size));
    assert_int_equal(backend.used(heap), used);
    backend.free(heap, p);
}

static void bad_regions_panic_and_leave_the_heap_empty(void **state)
{
    (void)state;
    EXPECT_PANIC(EA_FAULT_BAD_REGION, backend.init(heap, NULL, 4096));
    EXPECT_PANIC(EA_FAULT_BAD_REGION, backend.init(heap, arena, 0));
    EXPECT_PANIC(EA_FAULT_BAD_REGION, backend.init(heap, arena, 1));
    EXPECT_PANIC(EA_FAULT_BAD_REGION, backend.init(heap, arena, backend.min_block));
    /* A range that wraps past the top of the address space; nothing is written. */
    EXPECT_PANIC(EA_FAULT_BAD_REGION, backend.init(heap, (void *)(UINTPTR_MAX - 255), 4096));
    EXPECT_PANIC(EA_FAULT_BAD_REGION, backend.init(heap, arena, SIZE_MAX));
    EXPECT_UNINITIALISED(backend.alloc(heap, 1));
    assert_int_equal(backend.used(heap), 0);
    /* The heap is still empty, so a good region is accepted now. */
    backend.init(heap, arena, arena_size);
    assert_non_null(backend.alloc(heap, 1));
}

static void unaligned_edges_are_trimmed(void **state)
{
    (void)state;
    backend.init(heap, arena + 3, arena_size - 10);
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_true(st.capacity <= arena_size - 10);
    void *p = backend.alloc(heap, 10);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % DEFAULT_ALIGN, 0);
    assert_true((unsigned char *)p >= arena + 3);
    assert_true((unsigned char *)p + 10 <= arena + 3 + (arena_size - 10));
    backend.free(heap, p);
}

static void smallest_region_that_fits_works(void **state)
{
    (void)state;
    /* Find the smallest size init accepts; one byte less must panic. */
    volatile size_t size = 1; /* kept across the longjmp of a panic */
    for (;; size++) {
        jmp_buf landing;
        unsigned before = panic_count;
        panic_landing = &landing;
        if (setjmp(landing) == 0) {
            backend.init(heap, arena, size);
        }
        panic_landing = NULL;
        if (panic_count == before) {
            break;
        }
        assert_true(size < 4096);
    }
    assert_non_null(backend.alloc(heap, 0));
    assert_true(size <= 4096);
}

static void init_macro_initialises_once(void **state)
{
    (void)state;
    backend.init_macro(heap);
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_true(st.capacity > 2048 && st.capacity <= 4096);
    void *p = backend.alloc(heap, 64);
    assert_non_null(p);
    backend.free(heap, p);
    /* The same expansion reached again: double init, whatever the heap. */
    EXPECT_PANIC(EA_FAULT_DOUBLE_INIT, backend.init_macro(heap));
    backend.make_empty(heap);
    EXPECT_PANIC(EA_FAULT_DOUBLE_INIT, backend.init_macro(heap));
}

static void empty_heap_serves_nothing(void **state)
{
    (void)state;
    ea_stats_t st;
    memset(&st, 0xFF, sizeof st);
    EXPECT_UNINITIALISED(backend.alloc(heap, 1));
    EXPECT_UNINITIALISED(backend.alloc(heap, 0));
    EXPECT_UNINITIALISED(backend.alloc_aligned(heap, 64, 1));
    EXPECT_UNINITIALISED(backend.calloc(heap, 1, 1));
    EXPECT_UNINITIALISED(backend.realloc(heap, NULL, 8));
    backend.free(heap, NULL);
    assert_int_equal(backend.usable_size(heap, NULL), 0);
    assert_int_equal(backend.used(heap), 0);
    assert_int_equal(backend.free_bytes(heap), 0);
    backend.stats(heap, &st);
    assert_int_equal(st.capacity, 0);
    assert_int_equal(st.largest_free, 0);
    assert_int_equal(st.used_blocks + st.free_blocks, 0);
    assert_int_equal(backend.check(heap), EA_OK);
    EXPECT_PANIC(EA_FAULT_NOT_INIT, backend.add_region(heap, arena, arena_size));
    assert_int_equal(backend.free_bytes(heap), 0);
}

static void every_call_takes_the_critical_section(void **state)
{
    (void)state;
    unsigned long before = ea_test_cs_entries;
    void *p = backend.alloc(heap, 10);
    assert_true(ea_test_cs_entries > before);
    before = ea_test_cs_entries;
    p = backend.realloc(heap, p, 20);
    assert_true(ea_test_cs_entries > before);
    before = ea_test_cs_entries;
    backend.free(heap, p);
    assert_true(ea_test_cs_entries > before);
    before = ea_test_cs_entries;
    (void)backend.used(heap);
    assert_true(ea_test_cs_entries > before);
    before = ea_test_cs_entries;
    (void)backend.check(heap);
    assert_true(ea_test_cs_entries > before);
    assert_int_equal(ea_test_cs_depth, 0);
    assert_int_equal(ea_test_cs_misnested, 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(init_hands_over_the_region, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(second_init_panics_and_changes_nothing, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(bad_regions_panic_and_leave_the_heap_empty, setup_empty_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(unaligned_edges_are_trimmed, setup_empty_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(smallest_region_that_fits_works, setup_empty_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(init_macro_initialises_once, setup_empty_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(empty_heap_serves_nothing, setup_empty_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(every_call_takes_the_critical_section, setup_heap, teardown_heap),
};

const suite_t init_suite = SUITE("init", tests);
