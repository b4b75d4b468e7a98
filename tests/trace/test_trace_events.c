/*
 * EA_TRACE: what the hook sees. Every call that changes the heap reports
 * itself once, with its arguments and result, from inside its critical
 * section; a call made by another call (calloc's allocation, realloc's move)
 * is not reported; read-only calls are not reported. Runs over both back-ends
 * through the behaviour suite's table, in the _trace build of the library.
 */
#include <string.h>

#include <ealloc/trace.h>

#include "test_support.h"

#if !EA_TRACE
#error "this test is built with EA_TRACE=1"
#endif

#define MAX_EVENTS 16

static ea_trace_event_t events[MAX_EVENTS];
static size_t event_count;
static unsigned hook_outside_section; /* reports that arrived with no section open */
static bool hook_calls_heap;          /* the hook itself allocates and frees (reentry test) */

void ea_trace_hook(const ea_trace_event_t *e)
{
    if (ea_test_cs_depth == 0) {
        hook_outside_section++;
    }
    if (event_count < MAX_EVENTS) {
        events[event_count] = *e;
    }
    event_count++;
    if (hook_calls_heap) {
        backend.free(heap, backend.alloc(heap, 24));
    }
}

static int setup(void **state)
{
    setup_heap(state);
    event_count = 0;
    hook_outside_section = 0;
    hook_calls_heap = false;
    return 0;
}

static int teardown(void **state)
{
    assert_int_equal(hook_outside_section, 0);
    return teardown_heap(state);
}

static void expect_event(size_t i, ea_trace_op_t op, const void *ptr, const void *result, size_t count,
                         size_t size, size_t align)
{
    assert_true(i < event_count);
    const ea_trace_event_t *e = &events[i];
    assert_ptr_equal(e->heap, heap);
    assert_int_equal(e->op, op);
    assert_ptr_equal(e->ptr, ptr);
    assert_ptr_equal(e->result, result);
    assert_int_equal(e->count, count);
    assert_int_equal(e->size, size);
    assert_int_equal(e->align, align);
}

static void init_and_add_region_are_reported(void **state)
{
    setup_empty_heap(state);
    event_count = 0;
    backend.init(heap, arena, arena_size);
    assert_int_equal(event_count, 1);
    expect_event(0, EA_TRACE_INIT, arena, arena, 1, arena_size, 0);

    assert_true(backend.add_region(heap, second_arena, 4096));
    assert_false(backend.add_region(heap, second_arena, 4096)); /* overlaps: refused */
    assert_int_equal(event_count, 3);
    expect_event(1, EA_TRACE_ADD_REGION, second_arena, second_arena, 1, 4096, 0);
    expect_event(2, EA_TRACE_ADD_REGION, second_arena, NULL, 1, 4096, 0);
}

static void allocations_report_size_alignment_and_result(void **state)
{
    (void)state;
    void *a = backend.alloc(heap, 100);
    void *b = backend.alloc_aligned(heap, 256, 40);
    void *none = backend.alloc(heap, arena_size * 2);
    void *bad = backend.alloc_aligned(heap, 24, 8);
    assert_non_null(a);
    assert_non_null(b);
    assert_null(none);
    assert_null(bad);
    assert_int_equal(event_count, 4);
    expect_event(0, EA_TRACE_ALLOC, NULL, a, 1, 100, 0);
    expect_event(1, EA_TRACE_ALLOC, NULL, b, 1, 40, 256);
    expect_event(2, EA_TRACE_ALLOC, NULL, NULL, 1, arena_size * 2, 0);
    expect_event(3, EA_TRACE_ALLOC, NULL, NULL, 1, 8, 24);
    backend.free(heap, a);
    backend.free(heap, b);
}

static void calloc_is_one_event_not_an_allocation_too(void **state)
{
    (void)state;
    void *p = backend.calloc(heap, 10, 12);
    void *overflow = backend.calloc(heap, SIZE_MAX / 2, 3);
    assert_non_null(p);
    assert_null(overflow);
    assert_int_equal(event_count, 2);
    expect_event(0, EA_TRACE_CALLOC, NULL, p, 10, 12, 0);
    expect_event(1, EA_TRACE_CALLOC, NULL, NULL, SIZE_MAX / 2, 3, 0);
    backend.free(heap, p);
}

static void realloc_that_moves_is_one_event(void **state)
{
    (void)state;
    void *p = backend.alloc(heap, 64);
    void *wall = backend.alloc(heap, 64); /* keeps p from growing in place */
    event_count = 0;
    void *q = backend.realloc(heap, p, 4000);
    assert_non_null(q);
    assert_ptr_not_equal(q, p);
    assert_int_equal(event_count, 1);
    expect_event(0, EA_TRACE_REALLOC, p, q, 1, 4000, 0);

    void *r = backend.realloc_aligned(heap, q, 512, 100);
    assert_int_equal(event_count, 2);
    expect_event(1, EA_TRACE_REALLOC, q, r, 1, 100, 512);
    backend.free(heap, r);
    backend.free(heap, wall);
}

static void realloc_of_null_and_to_zero_are_reported_as_realloc(void **state)
{
    (void)state;
    void *p = backend.realloc(heap, NULL, 48);
    assert_non_null(p);
    assert_null(backend.realloc(heap, p, 0)); /* frees p */
    void *huge = backend.alloc(heap, 16);
    assert_null(backend.realloc(heap, huge, arena_size * 2)); /* fails: huge stays */
    assert_int_equal(event_count, 4);
    expect_event(0, EA_TRACE_REALLOC, NULL, p, 1, 48, 0);
    expect_event(1, EA_TRACE_REALLOC, p, NULL, 1, 0, 0);
    expect_event(3, EA_TRACE_REALLOC, huge, NULL, 1, arena_size * 2, 0);
    backend.free(heap, huge);
}

static void free_is_reported_and_free_of_null_is_not(void **state)
{
    (void)state;
    void *p = backend.alloc(heap, 32);
    backend.free(heap, NULL);
    backend.free(heap, p);
    assert_int_equal(event_count, 2);
    expect_event(1, EA_TRACE_FREE, p, NULL, 1, 0, 0);
}

static void read_only_calls_are_not_reported(void **state)
{
    (void)state;
    void *p = backend.alloc(heap, 32);
    ea_stats_t st;
    event_count = 0;
    (void)backend.usable_size(heap, p);
    (void)backend.used(heap);
    (void)backend.free_bytes(heap);
    backend.stats(heap, &st);
    (void)backend.check(heap);
    assert_int_equal(event_count, 0);
    backend.free(heap, p);
}

static void allocator_handle_calls_are_reported(void **state)
{
    (void)state;
    ea_allocator_t a = backend.allocator(heap);
    void *p = ea_alloc(a, 50, 0);
    void *q = ea_realloc(a, p, 500, 64);
    ea_free(a, q);
    assert_int_equal(event_count, 3);
    expect_event(0, EA_TRACE_ALLOC, NULL, p, 1, 50, EA_ALIGN);
    expect_event(1, EA_TRACE_REALLOC, p, q, 1, 500, 64);
    expect_event(2, EA_TRACE_FREE, q, NULL, 1, 0, 0);
}

static void heap_calls_from_the_hook_are_served_not_reported(void **state)
{
    (void)state;
    hook_calls_heap = true;
    void *p = backend.alloc(heap, 40);
    hook_calls_heap = false;
    assert_int_equal(event_count, 1);
    expect_event(0, EA_TRACE_ALLOC, NULL, p, 1, 40, 0);
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_int_equal(st.used_blocks, 1); /* the hook's block came and went */
    assert_true(st.alloc_count == 0 || st.alloc_count == 2); /* 0 when EA_STATS is off */
    backend.free(heap, p);
}

/* The library leaves the traced call's section and scope before ea_panic, as in every build. */
static void a_panic_inside_a_traced_call_reaches_the_handler(void **state)
{
    (void)state;
    void *p = backend.alloc(heap, 40);
    backend.free(heap, p);
    event_count = 0;
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, backend.free(heap, p));
    assert_int_equal(panic_inside_section, 0);
    assert_int_equal(ea_test_cs_depth, 0);
    assert_null(((ea_heap_common_t *)heap)->trace_top);
    assert_int_equal(event_count, 0); /* the call did not complete: nothing to report */
    void *q = backend.alloc(heap, 40); /* the scope was left: reports resume */
    assert_int_equal(event_count, 1);
    expect_event(0, EA_TRACE_ALLOC, NULL, q, 1, 40, 0);
    backend.free(heap, q);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(init_and_add_region_are_reported, setup_empty_heap, teardown),
    cmocka_unit_test_setup_teardown(allocations_report_size_alignment_and_result, setup, teardown),
    cmocka_unit_test_setup_teardown(calloc_is_one_event_not_an_allocation_too, setup, teardown),
    cmocka_unit_test_setup_teardown(realloc_that_moves_is_one_event, setup, teardown),
    cmocka_unit_test_setup_teardown(realloc_of_null_and_to_zero_are_reported_as_realloc, setup, teardown),
    cmocka_unit_test_setup_teardown(free_is_reported_and_free_of_null_is_not, setup, teardown),
    cmocka_unit_test_setup_teardown(read_only_calls_are_not_reported, setup, teardown),
    cmocka_unit_test_setup_teardown(allocator_handle_calls_are_reported, setup, teardown),
    cmocka_unit_test_setup_teardown(heap_calls_from_the_hook_are_served_not_reported, setup, teardown),
    cmocka_unit_test_setup_teardown(a_panic_inside_a_traced_call_reaches_the_handler, setup, teardown),
};

int main(void)
{
    return cmocka_run_group_tests_name(backend.name, tests, NULL, NULL);
}
