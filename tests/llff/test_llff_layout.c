/*
 * llff's own tests: its exact block layout and first-fit placement, and check()
 * against heaps damaged on purpose, one invariant at a time.
 */
#include "llff_internal.h"
#include "test_support.h"

static ea_llff_t *llff(void)
{
    return heap;
}

/* Damage a header consistently: its check word (hardened builds) follows, so check() sees the size itself. */
static void set_size(block_t *b, size_t value)
{
    write_header(&llff()->common, b, value);
}

static void header_and_granule_rounding(void **state)
{
    (void)state;
    /* One word of header (two in hardened builds), a link's room at least, on the granule. */
    assert_int_equal(EA_HEADER, sizeof(size_t) * (1 + EA_HARDENED));
    /* The smallest block holds a header and a link: the first granule multiple that does. */
    assert_int_equal(LLFF_MIN_BLOCK % EA_GRANULE, 0);
    assert_true(LLFF_MIN_BLOCK >= EA_HEADER + sizeof(void *));
    assert_true(LLFF_MIN_BLOCK < EA_HEADER + sizeof(void *) + EA_GRANULE);
    unsigned char *a = ea_llff_alloc(llff(), 1);
    unsigned char *b = ea_llff_alloc(llff(), 1);
    /* Two minimal blocks back to back. */
    assert_int_equal(b - a, LLFF_MIN_BLOCK);
    assert_int_equal(block_of(a)->size, LLFF_MIN_BLOCK | LLFF_USED);
    unsigned char *c = ea_llff_alloc(llff(), LLFF_MIN_BLOCK - EA_HEADER + 1);
    assert_int_equal(block_bytes(block_of(c)), LLFF_MIN_BLOCK + EA_GRANULE);
    ea_llff_free(llff(), a);
    ea_llff_free(llff(), b);
    ea_llff_free(llff(), c);
}

static void first_fit_takes_the_lowest_hole(void **state)
{
    (void)state;
    void *blocks[6];
    for (int i = 0; i < 6; i++) {
        blocks[i] = ea_llff_alloc(llff(), 64);
    }
    ea_llff_free(llff(), blocks[3]);
    ea_llff_free(llff(), blocks[1]);
    /* Both holes fit; first fit takes the lower one, from its front. */
    assert_ptr_equal(ea_llff_alloc(llff(), 32), blocks[1]);
    /* A request larger than any hole goes past the last block. */
    void *big = ea_llff_alloc(llff(), 200);
    assert_true((uintptr_t)big > (uintptr_t)blocks[5]);
}

static void free_list_stays_in_address_order(void **state)
{
    (void)state;
    void *blocks[8];
    for (int i = 0; i < 8; i++) {
        blocks[i] = ea_llff_alloc(llff(), 40);
    }
    int order[] = {6, 2, 4, 0};
    for (int i = 0; i < 4; i++) {
        ea_llff_free(llff(), blocks[order[i]]);
    }
    uintptr_t last = 0;
    unsigned n = 0;
    for (block_t *f = llff()->free_list; f != NULL; f = f->next, n++) {
        assert_true((uintptr_t)f > last);
        last = (uintptr_t)f;
    }
    assert_int_equal(n, 5); /* four holes and the tail */
}

/* Three used blocks a, b, c followed by the free tail. */
static void make_abc(block_t **a, block_t **b, block_t **c)
{
    *a = block_of(ea_llff_alloc(llff(), 100));
    *b = block_of(ea_llff_alloc(llff(), 100));
    *c = block_of(ea_llff_alloc(llff(), 100));
}

static void check_finds_a_bad_block_size(void **state)
{
    (void)state;
    block_t *a, *b, *c;
    make_abc(&a, &b, &c);
    size_t good = b->size;
    set_size(b, good + 4); /* off the granule */
    assert_int_equal(ea_llff_check(llff()), EA_EBLOCK);
    set_size(b, (good & ~LLFF_USED) * 1000 | LLFF_USED); /* runs past the region */
    assert_int_equal(ea_llff_check(llff()), EA_EBLOCK);
    set_size(b, LLFF_USED); /* zero: would loop forever without the check */
    assert_int_equal(ea_llff_check(llff()), EA_EBLOCK);
    set_size(b, good);
    assert_int_equal(ea_llff_check(llff()), EA_OK);
}

static void check_finds_a_free_block_missing_from_the_list(void **state)
{
    (void)state;
    block_t *a, *b, *c;
    make_abc(&a, &b, &c);
    set_size(b, b->size & ~LLFF_USED); /* marked free, never linked */
    assert_int_equal(ea_llff_check(llff()), EA_EFREELIST);
    set_size(b, b->size | LLFF_USED);
    assert_int_equal(ea_llff_check(llff()), EA_OK);
}

static void check_finds_a_list_link_to_nowhere(void **state)
{
    (void)state;
    block_t *a, *b, *c;
    make_abc(&a, &b, &c);
    ea_llff_free(llff(), payload_of(b));
    block_t *saved = b->next;
    b->next = (block_t *)(uintptr_t)0x10; /* would crash if followed */
    assert_int_equal(ea_llff_check(llff()), EA_EFREELIST);
    b->next = block_at((uintptr_t)c); /* a used block */
    assert_int_equal(ea_llff_check(llff()), EA_EFREELIST);
    b->next = saved;
    assert_int_equal(ea_llff_check(llff()), EA_OK);
}

static void check_finds_a_missed_coalesce(void **state)
{
    (void)state;
    block_t *a, *b, *c;
    make_abc(&a, &b, &c);
    ea_llff_free(llff(), payload_of(a));
    /* Free b by hand without merging it into a: two free neighbours. */
    set_size(b, b->size & ~LLFF_USED);
    b->next = a->next;
    a->next = b;
    llff()->common.used -= block_bytes(b);
    assert_int_equal(ea_llff_check(llff()), EA_ECOALESCE);
}

static void check_finds_wrong_counters(void **state)
{
    (void)state;
    block_t *a, *b, *c;
    make_abc(&a, &b, &c);
    llff()->common.used += EA_GRANULE;
    assert_int_equal(ea_llff_check(llff()), EA_ECOUNT);
    llff()->common.used -= EA_GRANULE;
    llff()->common.capacity -= EA_GRANULE;
    assert_int_equal(ea_llff_check(llff()), EA_ECOUNT);
    llff()->common.capacity += EA_GRANULE;
    assert_int_equal(ea_llff_check(llff()), EA_OK);
}

static void check_finds_a_damaged_region(void **state)
{
    (void)state;
    region_t *r = llff()->common.regions;
    uintptr_t end = r->end;
    r->end = end - 4; /* no longer a whole number of granules */
    assert_int_equal(ea_llff_check(llff()), EA_EREGION);
    r->end = r->first - EA_GRANULE; /* ends before it starts */
    assert_int_equal(ea_llff_check(llff()), EA_EREGION);
    r->end = end;
    assert_int_equal(ea_llff_check(llff()), EA_OK);
}

/*
 * A double free whose header no longer says so (the caller wrote to the block
 * after freeing it, setting the used bit again) is still found: free's walk
 * meets a free block that already covers it.
 */
static void a_double_free_behind_a_stale_used_bit_is_found_by_the_walk(void **state)
{
    (void)state;
    unsigned char *a = ea_llff_alloc(llff(), 64);
    unsigned char *b = ea_llff_alloc(llff(), 64);
    unsigned char *wall = ea_llff_alloc(llff(), 64);
    assert_non_null(wall);
    size_t size = block_bytes(block_of(b));
    size_t used = llff()->common.used;

    ea_llff_free(llff(), b); /* b is the free block itself */
    set_size(block_of(b), size | LLFF_USED);
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, ea_llff_free(llff(), b));
    set_size(block_of(b), size);
    assert_int_equal(ea_llff_check(llff()), 0);
    assert_int_equal(llff()->common.used, used - size);

    ea_llff_free(llff(), a); /* a and b merge: b now lies inside the free block at a */
    saved_header_t inside = save_header(b);
    set_size(block_of(b), size | LLFF_USED);
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, ea_llff_free(llff(), b));
    restore_header(&inside);
    assert_int_equal(ea_llff_check(llff()), 0);
    ea_llff_free(llff(), wall);
    assert_int_equal(llff()->common.used, 0);
}

static void realloc_grows_into_a_merged_hole_in_place(void **state)
{
    (void)state;
    void *a = ea_llff_alloc(llff(), 64);
    void *b = ea_llff_alloc(llff(), 64);
    void *c = ea_llff_alloc(llff(), 64);
    void *wall = ea_llff_alloc(llff(), 64);
    ea_llff_free(llff(), a); /* a free hole before b */
    ea_llff_free(llff(), c); /* and one after it */
    fill_pattern(b, 64, 11);
    size_t a_bytes = block_bytes(block_of(b));
    void *q = ea_llff_realloc(llff(), b, 64 + a_bytes);
    assert_ptr_equal(q, b);
    assert_pattern(q, 64, 11);
    /* The hole before b is still a free block of its own. */
    assert_ptr_equal(llff()->free_list, block_of(a));
    ea_llff_free(llff(), q);
    ea_llff_free(llff(), wall);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(header_and_granule_rounding, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(first_fit_takes_the_lowest_hole, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(free_list_stays_in_address_order, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(check_finds_a_bad_block_size, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(check_finds_a_free_block_missing_from_the_list, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(check_finds_a_list_link_to_nowhere, setup_heap, teardown_heap),
        cmocka_unit_test_setup(check_finds_a_missed_coalesce, setup_heap),
        cmocka_unit_test_setup_teardown(check_finds_wrong_counters, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(check_finds_a_damaged_region, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(a_double_free_behind_a_stale_used_bit_is_found_by_the_walk, setup_heap,
                                        teardown_heap),
        cmocka_unit_test_setup_teardown(realloc_grows_into_a_merged_hole_in_place, setup_heap, teardown_heap),
    };
    return cmocka_run_group_tests_name("llff layout", tests, NULL, NULL);
}
