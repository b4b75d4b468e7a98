/*
 * tlsf's check() against damage the layout tests leave out, found by
 * tools/coverage.sh: list nodes that are not blocks (too close to a region's
 * end, off a header position, too small for a block), lists that hold a
 * stranger in place of the right block (same count, other address), bitmap
 * bits beyond the classes, and the used or the capacity counter off by a
 * granule.
 */
#include "test_support.h"
#include "tlsf_internal.h"

static ea_tlsf_t *tlsf(void)
{
    return heap;
}

/* A heap with one allocated block of 512 bytes at the front and one free block after it. */
static unsigned char *one_block_and_the_rest(void)
{
    unsigned char *p = ea_tlsf_alloc(tlsf(), 512);
    assert_non_null(p);
    ea_stats_t st;
    ea_tlsf_stats(tlsf(), &st);
    assert_int_equal(st.free_blocks, 1);
    return p;
}

/* Put node at the head of list cls (its bits set), run check(), put everything back; check()'s result. */
static int check_with_head(unsigned cls, block_t *node)
{
    ea_tlsf_t saved = *tlsf();
    tlsf()->heads[cls] = node;
    set_class_bit(tlsf(), cls);
    int rc = ea_tlsf_check(tlsf());
    *tlsf() = saved;
    return rc;
}

/* A fake free block written into the payload p of an allocated block, at a header position, linked as
 * the only block of list cls. */
static block_t *fake_node(unsigned char *p, size_t size, unsigned cls)
{
    block_t *f = block_at((uintptr_t)p + EA_GRANULE - EA_HEADER);
    f->header = size; /* free, no flags */
    f->next_free = NULL;
    f->prev_link = &tlsf()->heads[cls];
    return f;
}

static void list_nodes_that_are_not_blocks(void **state)
{
    (void)state;
    unsigned char *p = one_block_and_the_rest();
    const region_t *r = tlsf()->common.regions;
    /* Too close to the region's end for a block, off a header position, before the first block. */
    assert_int_equal(check_with_head(0, block_at(r->end - EA_HEADER)), EA_EFREELIST);
    assert_int_equal(check_with_head(0, block_at(r->first + 1)), EA_EFREELIST);
    assert_int_equal(check_with_head(0, block_at(r->first - EA_GRANULE)), EA_EFREELIST);
    /* Inside a region, on a header position, free and linked right, but smaller than any block. */
    assert_int_equal(check_with_head(0, fake_node(p, TLSF_MIN_BLOCK - EA_GRANULE, 0)), EA_ECLASS);
    assert_heap_sound();
    ea_tlsf_free(tlsf(), p);
}

static void a_stranger_in_place_of_the_free_block(void **state)
{
    (void)state;
    unsigned char *p = one_block_and_the_rest();
    /* The one free block, found through the walk: the block after p. */
    block_t *free_block = block_after(block_of(p), block_bytes(block_of(p)));
    size_t size = block_bytes(free_block);
    unsigned cls = class_of(size);
    assert_ptr_equal(tlsf()->heads[cls], free_block);
    /* Same class, same count, right links: only the address differs. */
    assert_int_equal(check_with_head(cls, fake_node(p, size, cls)), EA_EFREELIST);
    assert_heap_sound();
    ea_tlsf_free(tlsf(), p);
}

static void bitmap_bits_beyond_the_classes(void **state)
{
    (void)state;
    ea_tlsf_t saved = *tlsf();
    if (TLSF_CLASSES % EA_TLSF_MAP_BITS != 0) { /* the last word has bits past the last class */
        set_class_bit(tlsf(), TLSF_CLASSES); /* a bit past the last class (and with a summary, its word's bit) */
        int rc = ea_tlsf_check(tlsf());
        *tlsf() = saved;
        assert_int_equal(rc, EA_EBITMAP);
    }
    if (EA_TLSF_SUMMARY && EA_TLSF_MAP_WORDS < EA_TLSF_MAP_BITS) { /* the summary has bits past the last word */
        *summary_of(tlsf()) |= (size_t)1 << (EA_TLSF_MAP_WORDS % EA_TLSF_MAP_BITS);
        int rc = ea_tlsf_check(tlsf());
        *tlsf() = saved;
        assert_int_equal(rc, EA_EBITMAP);
    }
}

static void used_counter_off_with_the_capacity_right(void **state)
{
    (void)state;
    unsigned char *p = one_block_and_the_rest();
    tlsf()->common.used += EA_GRANULE;
    int rc = ea_tlsf_check(tlsf());
    tlsf()->common.used -= EA_GRANULE;
    assert_int_equal(rc, EA_ECOUNT);
    ea_tlsf_free(tlsf(), p);
}

static void capacity_counter_off(void **state)
{
    (void)state;
    tlsf()->common.capacity += EA_GRANULE;
    int rc = ea_tlsf_check(tlsf());
    tlsf()->common.capacity -= EA_GRANULE;
    assert_int_equal(rc, EA_ECOUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(list_nodes_that_are_not_blocks, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(a_stranger_in_place_of_the_free_block, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(bitmap_bits_beyond_the_classes, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(used_counter_off_with_the_capacity_right, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(capacity_counter_off, setup_heap, teardown_heap),
    };
    return cmocka_run_group_tests_name("coverage_tlsf_check", tests, NULL, NULL) != 0;
}
