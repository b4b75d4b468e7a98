/*
 * Built with a 4 KiB largest block (EA_TLSF_MAX_BLOCK_LOG2=12): a region
 * larger than the largest block is taken as several regions, every block
 * stays within the limit, and the whole region is still usable.
 */
#include "test_support.h"
#include "tlsf_internal.h"

_Static_assert(EA_TLSF_MAX_BLOCK_LOG2 == 12, "this test is built with 4 KiB blocks");

static unsigned regions_of(const ea_tlsf_t *h)
{
    unsigned n = 0;
    for (const region_t *r = h->common.regions; r != NULL; r = r->next) {
        n++;
    }
    return n;
}

static void region_larger_than_a_block_is_split(void **state)
{
    (void)state;
    ea_tlsf_t *h = heap;
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_true(regions_of(h) >= arena_size / 4096);
    assert_true(st.capacity > arena_size - regions_of(h) * 128); /* descriptor, end marker, alignment */
    assert_true(st.largest_free <= TLSF_MAX_BLOCK - EA_HEADER);
    assert_null(ea_tlsf_alloc(h, TLSF_MAX_BLOCK)); /* above the largest block */
    /* Fill it with blocks as large as a block can be: nearly all of the arena. */
    size_t n = 0;
    size_t got = 0;
    void *p;
    while ((p = ea_tlsf_alloc(h, TLSF_MAX_BLOCK - EA_HEADER)) != NULL) {
        n++;
        got += TLSF_MAX_BLOCK;
    }
    assert_true(n >= regions_of(h) - 1);
    assert_int_equal(ea_tlsf_check(h), EA_OK);
    /* Every full-size piece served one largest block; only the last, smaller piece may be left. */
    assert_true(got + TLSF_MAX_BLOCK >= st.capacity);
}

/*
 * The largest requests, to the byte: a plain one fills a largest block; an
 * aligned one leaves room for its worst padding (the search asks for
 * need + align - granule + one minimal block). One byte more is refused.
 */
static void largest_requests_to_the_byte(void **state)
{
    (void)state;
    ea_tlsf_t *h = heap;
    const size_t align = 4 * EA_GRANULE;
    const size_t pad_room = align - EA_GRANULE + TLSF_MIN_BLOCK;
    assert_null(ea_tlsf_alloc(h, TLSF_MAX_BLOCK - EA_HEADER + 1));
    void *p = ea_tlsf_alloc(h, TLSF_MAX_BLOCK - EA_HEADER);
    assert_non_null(p);
    assert_int_equal(ea_tlsf_usable_size(h, p), TLSF_MAX_BLOCK - EA_HEADER);
    assert_null(ea_tlsf_alloc_aligned(h, align, TLSF_MAX_BLOCK - EA_HEADER - pad_room + 1));
    void *q = ea_tlsf_alloc_aligned(h, align, TLSF_MAX_BLOCK - EA_HEADER - pad_room);
    assert_non_null(q);
    assert_int_equal((uintptr_t)q % align, 0);
    /* Padding this large leaves no room for any payload. */
    assert_null(ea_tlsf_alloc_aligned(h, (size_t)1 << EA_TLSF_MAX_BLOCK_LOG2, 1));
    ea_tlsf_free(h, q);
    ea_tlsf_free(h, p);
    assert_int_equal(ea_tlsf_check(h), EA_OK);
    assert_int_equal(oom_calls, 3);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(region_larger_than_a_block_is_split, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(largest_requests_to_the_byte, setup_heap, teardown_heap),
    };
    return cmocka_run_group_tests_name("tlsf oversized region", tests, NULL, NULL);
}
