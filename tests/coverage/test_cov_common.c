/*
 * Cases the behaviour suite leaves out, found by tools/coverage.sh, for every
 * back-end: bad input on every entry point (an alignment of 0 where it is
 * refused, sizes whose rounding overflows, the allocator handle with an
 * explicit alignment), check() against region descriptors damaged one field
 * at a time, the region layout at the top of the address space, and the
 * power-of-two test every alignment goes through.
 */
#include <limits.h>
#include <stdio.h>

#include "heap_common.h"
#include "test_support.h"

static ea_heap_common_t *common(void)
{
    return heap; /* both heap types start with their ea_heap_common_t */
}

/* Sizes that pass the first overflow test but overflow when rounded to the granule. */
static const size_t rounding_overflows[] = {
    SIZE_MAX - EA_HEADER,
    SIZE_MAX - EA_HEADER - 1,
    SIZE_MAX - EA_HEADER - (EA_GRANULE - 2),
};

static void zero_alignment_is_refused_everywhere(void **state)
{
    (void)state;
    unsigned char *p = backend.alloc(heap, 40);
    fill_pattern(p, 40, 1);
    assert_null(backend.alloc_aligned(heap, 0, 16));
    assert_null(backend.realloc_aligned(heap, NULL, 0, 16));
    assert_null(backend.realloc_aligned(heap, p, 0, 100));
    assert_null(backend.realloc_aligned(heap, p, 0, 0)); /* refused before the size is looked at */
    assert_pattern(p, 40, 1);
    assert_int_equal(backend.usable_size(heap, p) >= 40, 1);
    backend.free(heap, p);
}

static void sizes_whose_rounding_overflows_fail(void **state)
{
    (void)state;
    unsigned char *p = backend.alloc(heap, 40);
    fill_pattern(p, 40, 2);
    for (size_t i = 0; i < sizeof rounding_overflows / sizeof rounding_overflows[0]; i++) {
        size_t n = rounding_overflows[i];
        assert_null(backend.alloc(heap, n));
        assert_null(backend.alloc_aligned(heap, 8, n));
        assert_null(backend.alloc_aligned(heap, 256, n));
        assert_null(backend.calloc(heap, 1, n));
        assert_null(backend.realloc(heap, p, n));
        assert_null(backend.realloc_aligned(heap, p, 256, n));
        assert_null(backend.realloc(heap, NULL, n));
        assert_pattern(p, 40, 2);
        assert_heap_sound();
    }
    backend.free(heap, p);
}

static void allocator_handle_with_an_alignment(void **state)
{
    (void)state;
    ea_allocator_t a = backend.allocator(heap);
    unsigned char *p = ea_alloc(a, 100, 256);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 256, 0);
    fill_pattern(p, 100, 3);
    unsigned char *q = ea_realloc(a, p, 3000, 512);
    assert_non_null(q);
    assert_int_equal((uintptr_t)q % 512, 0);
    assert_pattern(q, 100, 3);
    assert_null(ea_realloc(a, q, 100, 3)); /* not a power of two: refused, q untouched */
    assert_pattern(q, 100, 3);
    q = ea_realloc(a, q, 50, 0); /* 0: the default alignment */
    assert_non_null(q);
    assert_int_equal((uintptr_t)q % EA_ALIGN, 0);
    assert_pattern(q, 50, 3);
    ea_free(a, q);
    assert_int_equal(backend.used(heap), 0);
}

/* Damage one field of the first region descriptor, expect EA_EREGION from check(), undo it. */
static void expect_region_damage_found(void (*damage)(region_t *r), const char *what)
{
    region_t *r = common()->regions;
    region_t saved = *r;
    damage(r);
    int rc = backend.check(heap);
    *r = saved;
    if (rc != EA_EREGION) {
        fail_msg("%s: check() = %d, not EA_EREGION", what, rc);
    }
    assert_heap_sound();
}

static void first_before_descriptor(region_t *r)
{
    r->first = (uintptr_t)r;
}

static void first_off_header_position(region_t *r)
{
    r->first += 1;
}

static void end_before_first(region_t *r)
{
    r->end = r->first - EA_GRANULE;
}

static void end_off_granule(region_t *r)
{
    r->end -= 1;
}

static void check_finds_each_damaged_descriptor_field(void **state)
{
    (void)state;
    expect_region_damage_found(first_before_descriptor, "first inside the descriptor");
    expect_region_damage_found(first_off_header_position, "first off a header position");
    expect_region_damage_found(end_before_first, "end before first");
    expect_region_damage_found(end_off_granule, "blocks not a whole number of granules");

    /* The list itself: a descriptor pointer off its alignment, and regions out of address order. */
    region_t *r = common()->regions;
    common()->regions = (region_t *)((uintptr_t)r + 1);
    int misaligned = backend.check(heap);
    common()->regions = r;
    assert_int_equal(misaligned, EA_EREGION);

    /* Out of order: with every block in use, so that no free-list comparison comes first. */
    assert_true(backend.add_region(heap, second_arena, arena_size));
    void *blocks[8];
    size_t n = 0;
    for (ea_stats_t st; backend.stats(heap, &st), st.free_blocks != 0;) {
        assert_true(n < sizeof blocks / sizeof blocks[0]);
        blocks[n] = backend.alloc(heap, st.largest_free);
        assert_non_null(blocks[n]);
        n++;
    }
    region_t *low = common()->regions; /* regions are kept in address order */
    region_t *high = low->next;
    assert_non_null(high);
    low->next = NULL;
    high->next = low;
    common()->regions = high;
    int unordered = backend.check(heap);
    common()->regions = low;
    low->next = high;
    high->next = NULL;
    assert_int_equal(unordered, EA_EREGION);
    assert_heap_sound();
    while (n > 0) {
        backend.free(heap, blocks[--n]);
    }
}

static void region_layout_at_the_top_of_the_address_space(void **state)
{
    (void)state;
    /* ea_region_layout only computes (it writes nothing), so it can be asked about memory that is not there. */
    region_t out;
    region_t *where;
    const size_t size = 4096;
    void *top = (void *)(UINTPTR_MAX - (size - 1)); /* its last byte is the last byte of the address space */
    assert_true(ea_region_layout(top, size, EA_WORD, backend.min_block, SIZE_MAX, &out, &where));
    /* The last byte is given up, so that one past the end stays representable. */
    assert_true(out.end > out.first);
    assert_true(out.end + EA_WORD <= UINTPTR_MAX);
    assert_true((uintptr_t)where >= (uintptr_t)top);

    /* A granule lower, nothing is given up: at least as many bytes of blocks. */
    region_t lower;
    assert_true(ea_region_layout((void *)((uintptr_t)top - EA_GRANULE), size, EA_WORD, backend.min_block, SIZE_MAX,
                              &lower, &where));
    assert_true(lower.end - lower.first >= out.end - out.first);
}

static void region_layout_with_a_cap_below_one_block(void **state)
{
    (void)state;
    region_t out;
    region_t *where;
    /* Room for blocks, but at most fewer bytes than one block may be laid out: refused. */
    assert_false(ea_region_layout(second_arena, arena_size, 0, backend.min_block, backend.min_block - EA_GRANULE, &out,
                               &where));
    assert_true(ea_region_layout(second_arena, arena_size, 0, backend.min_block, backend.min_block, &out, &where));
    assert_int_equal(out.end - out.first, backend.min_block);
}

/* Whether x has exactly one bit set, counted bit by bit: the reference for is_pow2. */
static bool one_bit_set(size_t x)
{
    unsigned bits = 0;
    for (; x != 0; x >>= 1) {
        bits += (unsigned)(x & 1);
    }
    return bits == 1;
}

static void power_of_two_test_agrees_with_counting_bits(void **state)
{
    (void)state;
    /* is_pow2 has a form for clang and one for other compilers (heap_common.h): the clang stage of
     * make test runs the first, the others the second. Every small value, and around every power. */
    for (size_t x = 0; x <= 4096; x++) {
        if (is_pow2(x) != one_bit_set(x)) {
            fail_msg("is_pow2(%zu) is %d", x, (int)is_pow2(x));
        }
    }
    for (unsigned k = 0; k < sizeof(size_t) * CHAR_BIT; k++) {
        size_t p = (size_t)1 << k;
        size_t near[] = {p - 1, p, p + 1, p | 1, p | (p >> 1), ~p, SIZE_MAX - p};
        for (size_t i = 0; i < sizeof near / sizeof near[0]; i++) {
            if (is_pow2(near[i]) != one_bit_set(near[i])) {
                fail_msg("is_pow2(%#zx) is %d", near[i], (int)is_pow2(near[i]));
            }
        }
    }
    assert_false(is_pow2(0));
    assert_false(is_pow2(SIZE_MAX));
    assert_true(is_pow2(SIZE_MAX / 2 + 1));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(zero_alignment_is_refused_everywhere, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(sizes_whose_rounding_overflows_fail, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(allocator_handle_with_an_alignment, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(check_finds_each_damaged_descriptor_field, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(region_layout_at_the_top_of_the_address_space, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(region_layout_with_a_cap_below_one_block, setup_heap, teardown_heap),
        cmocka_unit_test(power_of_two_test_agrees_with_counting_bits),
    };
    char name[32];
    (void)snprintf(name, sizeof name, "coverage_%s", backend.name);
    return _cmocka_run_group_tests(name, tests, sizeof tests / sizeof tests[0], NULL, NULL) != 0;
}
