/*
 * Hardened builds (EA_HARDENED=1), every back-end: the ways a damaged heap is
 * told apart that the misuse suite leaves out, found by tools/coverage.sh.
 * A pointer into the last block of a region; a header before the pointer, or
 * the pointer's own header, that keeps a valid check word but claims a size
 * no block can have, or whose check word is broken; the check word of a
 * region's end marker (tlsf).
 */
#include <stdio.h>
#include <string.h>

#include "heap_common.h"
#include "test_support.h"

_Static_assert(EA_HARDENED == 1, "built in hardened mode");

static ea_heap_common_t *common(void)
{
    return heap;
}

/* A header for the block at payload p with a valid check word, whatever it says. */
static void forge_header(unsigned char *p, size_t header)
{
    write_header(common(), p - EA_HEADER, header);
}

static void pointer_into_the_last_block_of_a_region(void **state)
{
    (void)state;
    /* A fresh heap is one free block up to the region's end; a pointer into its middle,
     * on the granule, has no header in front of it: the walk runs off the region's end. */
    const region_t *r = common()->regions;
    unsigned char *p = (unsigned char *)((r->first + (r->end - r->first) / 2) & ~(uintptr_t)(EA_GRANULE - 1));
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, p));
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, (void)backend.realloc(heap, p, 10));
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, (void)backend.usable_size(heap, p));
}

static void a_header_before_the_pointer_claims_an_impossible_size(void **state)
{
    (void)state;
    unsigned char *a = backend.alloc(heap, 64); /* the region's first block */
    unsigned char *b = backend.alloc(heap, 64);
    memset(b, 0xEE, 64); /* no header anywhere inside b */
    unsigned char *inside_b = b + EA_GRANULE;
    saved_header_t s = save_header(a);
    /* Smaller than any block, and larger than the rest of the region: both with valid check words. */
    const size_t sizes[] = {backend.min_block - EA_GRANULE,
                           common()->regions->end - common()->regions->first + EA_GRANULE};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        forge_header(a, sizes[i] | EA_HEADER_USED);
        EXPECT_PANIC(EA_FAULT_CORRUPT, backend.free(heap, inside_b));
        restore_header(&s);
    }
    /* And a header before it whose check word is broken. */
    s.at[EA_WORD] ^= 0x10;
    EXPECT_PANIC(EA_FAULT_CORRUPT, backend.free(heap, inside_b));
    restore_header(&s);
    backend.free(heap, b);
    backend.free(heap, a);
}

static void the_pointers_own_header_claims_an_impossible_size(void **state)
{
    (void)state;
    unsigned char *a = backend.alloc(heap, 64);
    unsigned char *b = backend.alloc(heap, 64);
    unsigned char *c = backend.alloc(heap, 64);
    saved_header_t s = save_header(b);
    const size_t sizes[] = {backend.min_block - EA_GRANULE,
                           common()->regions->end - common()->regions->first + EA_GRANULE};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        forge_header(b, sizes[i] | EA_HEADER_USED);
        EXPECT_PANIC(EA_FAULT_CORRUPT, backend.free(heap, b));
        restore_header(&s);
    }
    backend.free(heap, c);
    backend.free(heap, b);
    backend.free(heap, a);
}

static void end_marker_check_word(void **state)
{
    (void)state;
    if (strcmp(backend.name, "tlsf") != 0) {
        skip(); /* only tlsf ends its regions in a marker header */
    }
    size_t *marker = (size_t *)common()->regions->end;
    size_t saved = marker[1];
    marker[1] ^= 0x10;
    int rc = backend.check(heap);
    marker[1] = saved;
    assert_int_equal(rc, EA_ECHECK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(pointer_into_the_last_block_of_a_region, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(a_header_before_the_pointer_claims_an_impossible_size, setup_heap,
                                        teardown_heap),
        cmocka_unit_test_setup_teardown(the_pointers_own_header_claims_an_impossible_size, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(end_marker_check_word, setup_heap, teardown_heap),
    };
    char name[40];
    (void)snprintf(name, sizeof name, "coverage_%s_hardened", backend.name);
    return _cmocka_run_group_tests(name, tests, sizeof tests / sizeof tests[0], NULL, NULL) != 0;
}
