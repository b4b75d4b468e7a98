/*
 * The malloc shim in an EA_TRACE build: each C library call is reported once,
 * as the program made it — calloc as calloc, realloc(NULL) and realloc(p, 0)
 * as realloc, memalign with the alignment it serves — and the back-end calls
 * it makes are not: a malloc that fails, grows the heap through the hook and
 * retries is one successful allocation, not a failure and a success. The heap
 * is initialised inside the first malloc; that init is still reported, first.
 * Against the renamed copy of the shim (CMakeLists.txt), on the counting port.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <ealloc/malloc.h>
#include <ealloc/trace.h>

#include "ea_port.h" /* the counting port */

#if !EA_TRACE
#error "this test is built with EA_TRACE=1"
#endif

void ea_panic(ea_fault_t why, const char *detail)
{
    fprintf(stderr, "unexpected ea_panic %d: %s\n", (int)why, detail != NULL ? detail : "");
    __builtin_trap();
}

void ea_malloc_errno_hook(struct _reent *reent, int code)
{
    (void)reent;
    errno = code;
}

#define REGION_BYTES (64u * 1024)
static _Alignas(max_align_t) unsigned char regions[4][REGION_BYTES];
static unsigned regions_used;

/* As the LD_PRELOAD library does: initialise on the first call, add a region on a shortage. */
bool ea_malloc_grow_hook(size_t size, size_t align)
{
    if (size > REGION_BYTES / 2 || align > 4096 || regions_used == 4) {
        return false;
    }
    unsigned char *r = regions[regions_used++];
    if (regions_used == 1) {
        ea_malloc_init(r, REGION_BYTES);
        return true;
    }
    return ea_malloc_add_region(r, REGION_BYTES);
}

#define MAX_EVENTS 32
static ea_trace_event_t events[MAX_EVENTS];
static size_t event_count;

void ea_trace_hook(const ea_trace_event_t *e)
{
    assert_true(ea_test_cs_depth > 0);
    assert_ptr_equal(e->heap, ea_malloc_heap());
    if (event_count < MAX_EVENTS) {
        events[event_count] = *e;
    }
    event_count++;
}

static void expect_event(size_t i, ea_trace_op_t op, const void *ptr, const void *result, size_t count,
                         size_t size, size_t align)
{
    assert_true(i < event_count);
    assert_int_equal(events[i].op, op);
    assert_ptr_equal(events[i].ptr, ptr);
    assert_ptr_equal(events[i].result, result);
    assert_int_equal(events[i].count, count);
    assert_int_equal(events[i].size, size);
    assert_int_equal(events[i].align, align);
}

/* One test, in order: the heap is the shim's single static heap. */
static void each_library_call_is_reported_once(void **state)
{
    (void)state;
    /* The first malloc initialises the heap inside itself: init first, then the malloc. */
    void *a = ea_renamed_malloc(100);
    assert_non_null(a);
    assert_int_equal(event_count, 2);
    expect_event(0, EA_TRACE_INIT, regions[0], regions[0], 1, REGION_BYTES, 0);
    expect_event(1, EA_TRACE_ALLOC, NULL, a, 1, 100, 0);

    /* Beyond any region: one failed malloc. Then the third of three thirds fails in the heap, grows
     * it and succeeds: an add_region and a successful malloc, never a failure from the retry. */
    event_count = 0;
    assert_null(ea_renamed_malloc(REGION_BYTES));
    void *b = ea_renamed_malloc(REGION_BYTES / 3);
    void *c = ea_renamed_malloc(REGION_BYTES / 3);
    void *d = ea_renamed_malloc(REGION_BYTES / 3);
    assert_non_null(b);
    assert_non_null(c);
    assert_non_null(d);
    assert_int_equal(regions_used, 2);
    assert_int_equal(event_count, 5);
    expect_event(0, EA_TRACE_ALLOC, NULL, NULL, 1, REGION_BYTES, 0);
    expect_event(1, EA_TRACE_ALLOC, NULL, b, 1, REGION_BYTES / 3, 0);
    expect_event(2, EA_TRACE_ALLOC, NULL, c, 1, REGION_BYTES / 3, 0);
    expect_event(3, EA_TRACE_ADD_REGION, regions[1], regions[1], 1, REGION_BYTES, 0);
    expect_event(4, EA_TRACE_ALLOC, NULL, d, 1, REGION_BYTES / 3, 0);

    event_count = 0;
    void *z = ea_renamed_calloc(7, 9);
    void *m = ea_renamed_memalign(24, 10); /* served at 32 */
    void *al = ea_renamed_aligned_alloc(256, 300);
    void *pm = NULL;
    assert_int_equal(ea_renamed_posix_memalign(&pm, 64, 20), 0);
    assert_null(ea_renamed_aligned_alloc(3, 10)); /* refused before the heap: not reported */
    void *r = ea_renamed_realloc(NULL, 50);
    void *r2 = ea_renamed_realloc(r, 5000);
    assert_null(ea_renamed_realloc(r2, 0));
    ea_renamed_free(NULL);
    ea_renamed_free(z);
    assert_int_equal(event_count, 8);
    expect_event(0, EA_TRACE_CALLOC, NULL, z, 7, 9, 0);
    expect_event(1, EA_TRACE_ALLOC, NULL, m, 1, 10, 32 > EA_ALIGN ? 32 : 0);
    expect_event(2, EA_TRACE_ALLOC, NULL, al, 1, 300, 256);
    expect_event(3, EA_TRACE_ALLOC, NULL, pm, 1, 20, 64);
    expect_event(4, EA_TRACE_REALLOC, NULL, r, 1, 50, 0);
    expect_event(5, EA_TRACE_REALLOC, r, r2, 1, 5000, 0);
    expect_event(6, EA_TRACE_REALLOC, r2, NULL, 1, 0, 0);
    expect_event(7, EA_TRACE_FREE, z, NULL, 1, 0, 0);

    ea_renamed_free(a);
    ea_renamed_free(b);
    ea_renamed_free(c);
    ea_renamed_free(d);
    ea_renamed_free(m);
    ea_renamed_free(al);
    ea_renamed_free(pm);
    assert_int_equal(ea_malloc_check(), EA_OK);
    assert_int_equal(ea_test_cs_depth, 0);
    assert_int_equal(ea_test_cs_misnested, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(each_library_call_is_reported_once)};
    return cmocka_run_group_tests_name("malloc_trace", tests, NULL, NULL);
}
