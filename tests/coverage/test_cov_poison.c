/*
 * Poisoned builds (EA_POISON=1), found by tools/coverage.sh: a write after
 * free caught by an aligned allocation (checked wherever in the free block tlsf cuts it),
 * and realloc in place with no free block after the block, or none right
 * after it (llff looks for the tail it gave back to poison it).
 */
#include <stdio.h>
#include <string.h>

#include "heap_common.h"
#include "test_support.h"

_Static_assert(EA_POISON == 1, "built with poisoning");

/* Allocate until no free block is left; the blocks go to out, their count is returned. */
static size_t fill_the_heap(unsigned char **out, size_t max)
{
    size_t n = 0;
    for (ea_stats_t st; backend.stats(heap, &st), st.free_blocks != 0;) {
        assert_true(n < max);
        out[n] = backend.alloc(heap, st.largest_free);
        assert_non_null(out[n]);
        n++;
    }
    return n;
}

static void write_after_free_found_by_an_aligned_allocation(void **state)
{
    (void)state;
    unsigned char *p = backend.alloc(heap, 512);
    unsigned char *wall = backend.alloc(heap, 16);
    unsigned char *rest[8];
    size_t n = fill_the_heap(rest, 8); /* so the freed block is the only free one */
    backend.free(heap, p);             /* a free block of its own: used blocks on both sides */
    /* Write after free over every byte that is poison now (the block keeps its header and links). */
    uintptr_t block = (uintptr_t)p - backend.header;
    uintptr_t from = block + backend.header + 2 * sizeof(void *);
    uintptr_t to = block + backend.header + 512 - sizeof(void *);
    memset((void *)from, 0, to - from);
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)backend.alloc_aligned(heap, 256, 100));
    poison_fill(from, to); /* repaired, the heap is as it was */
    assert_heap_sound();
    while (n > 0) {
        backend.free(heap, rest[--n]);
    }
    backend.free(heap, wall);
}

static void realloc_in_place_with_nothing_free_after(void **state)
{
    (void)state;
    unsigned char *blocks[8];
    size_t n = fill_the_heap(blocks, 8);
    unsigned char *last = blocks[n - 1];
    size_t usable = backend.usable_size(heap, last);
    /* No free block at all: in place, nothing given back. */
    assert_ptr_equal(backend.realloc(heap, last, usable), last);
    assert_heap_sound();
    /* A free block in the list, but not right after the block: in place, nothing given back. */
    unsigned char *a = backend.alloc(heap, 0); /* nothing left: NULL */
    assert_null(a);
    backend.free(heap, last);
    unsigned char *b = backend.alloc(heap, 64);
    unsigned char *wall = backend.alloc(heap, 64);
    assert_non_null(b);
    assert_non_null(wall);
    assert_ptr_equal(backend.realloc(heap, b, backend.usable_size(heap, b)), b);
    assert_heap_sound();
    backend.free(heap, wall);
    backend.free(heap, b);
    for (size_t i = 0; i + 1 < n; i++) {
        backend.free(heap, blocks[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(write_after_free_found_by_an_aligned_allocation, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(realloc_in_place_with_nothing_free_after, setup_heap, teardown_heap),
    };
    char name[40];
    (void)snprintf(name, sizeof name, "coverage_%s_poison", backend.name);
    return _cmocka_run_group_tests(name, tests, sizeof tests / sizeof tests[0], NULL, NULL) != 0;
}
