/*
 * llff in hardened builds: a free-list node with a broken check word, found
 * by tools/coverage.sh — met by alloc's first-fit walk, and by realloc, whose
 * in-place attempt walks the list to the block's place; a node whose link
 * leaves the heap, met by alloc. Each ends in
 * EA_FAULT_CORRUPT with the heap unchanged.
 */
#include "llff_internal.h"
#include "test_support.h"

_Static_assert(EA_HARDENED == 1, "built in hardened mode");

static ea_llff_t *llff(void)
{
    return heap;
}

static void a_free_node_with_a_broken_check_word(void **state)
{
    (void)state;
    unsigned char *a = ea_llff_alloc(llff(), 64);
    unsigned char *b = ea_llff_alloc(llff(), 64);
    unsigned char *c = ea_llff_alloc(llff(), 64);
    ea_llff_free(llff(), a); /* the first node of the list, before b */
    block_t *node = llff()->free_list;
    assert_ptr_equal(node, block_of(a));
    size_t saved = node->check;
    size_t used = llff()->common.used;
    node->check ^= 1;
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)ea_llff_alloc(llff(), 16));
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)ea_llff_realloc(llff(), b, 32));
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)ea_llff_realloc(llff(), c, 200));
    node->check = saved;
    assert_int_equal(llff()->common.used, used);
    ea_llff_free(llff(), b);
    ea_llff_free(llff(), c);
}

static void a_free_node_that_links_out_of_the_heap(void **state)
{
    (void)state;
    static unsigned char outside[64];
    unsigned char *a = ea_llff_alloc(llff(), 32);
    unsigned char *wall = ea_llff_alloc(llff(), 32);
    ea_llff_free(llff(), a); /* a node too small for the request below: the walk goes on to its link */
    block_t *node = llff()->free_list;
    block_t *saved = node->next;
    node->next = (block_t *)(void *)outside;
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)ea_llff_alloc(llff(), 200));
    node->next = saved;
    ea_llff_free(llff(), wall);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_free_node_with_a_broken_check_word, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(a_free_node_that_links_out_of_the_heap, setup_heap, teardown_heap),
    };
    return cmocka_run_group_tests_name("coverage_llff_hardened", tests, NULL, NULL) != 0;
}
