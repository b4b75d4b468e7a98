/*
 * The misuse suite, built with EA_HARDENED=1 for each back-end: every way a
 * program can misuse a heap that hardened mode promises to catch. Each
 * scenario must end in ea_panic with its fault — never a crash, never silent
 * corruption — with the heap's state unchanged by the faulty call (the test
 * then repairs any damage it did itself and the teardown checks the heap).
 */
#include <string.h>

#include "heap_common.h"
#include "test_support.h"

/* The negative control builds this suite without hardening, where it must fail. */
#ifndef MISUSE_NEGATIVE_CONTROL
_Static_assert(EA_HARDENED == 1, "the misuse suite is built in hardened mode");
#endif

static unsigned char global_buffer[64];

/* A block of size bytes followed by a wall, so it has a used neighbour. */
static unsigned char *block(size_t size)
{
    unsigned char *p = backend.alloc(heap, size);
    assert_non_null(p);
    return p;
}

/* ---- double free ---------------------------------------------------------------- */

static void double_free(void **state)
{
    (void)state;
    unsigned char *a = block(40);
    unsigned char *wall = block(8);
    backend.free(heap, a);
    size_t used = backend.used(heap);
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, backend.free(heap, a));
    assert_int_equal(backend.used(heap), used);
    backend.free(heap, wall);
}

static void double_free_after_merging_into_the_block_before(void **state)
{
    (void)state;
    unsigned char *a = block(40);
    unsigned char *b = block(40);
    unsigned char *wall = block(8);
    backend.free(heap, a);
    backend.free(heap, b); /* b merges into a */
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, backend.free(heap, b));
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, backend.free(heap, a));
    backend.free(heap, wall);
}

static void double_free_after_absorbing_the_block_after(void **state)
{
    (void)state;
    unsigned char *a = block(40);
    unsigned char *b = block(40);
    unsigned char *wall = block(8);
    backend.free(heap, b);
    backend.free(heap, a); /* a absorbs b */
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, backend.free(heap, a));
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, backend.free(heap, b));
    backend.free(heap, wall);
}

static void realloc_of_a_freed_block(void **state)
{
    (void)state;
    unsigned char *a = block(40);
    unsigned char *wall = block(8);
    backend.free(heap, a);
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, (void)backend.realloc(heap, a, 80));
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, (void)backend.realloc(heap, a, 8));
    backend.free(heap, wall);
}

static void usable_size_of_a_freed_block(void **state)
{
    (void)state;
    unsigned char *a = block(40);
    unsigned char *wall = block(8);
    backend.free(heap, a);
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, (void)backend.usable_size(heap, a));
    backend.free(heap, wall);
}

/* ---- pointers the heap never returned --------------------------------------------- */

static void free_of_a_stack_address(void **state)
{
    (void)state;
    _Alignas(max_align_t) unsigned char local[64];
    memset(local, 0, sizeof local);
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, local + EA_GRANULE));
}

static void free_of_a_global(void **state)
{
    (void)state;
    unsigned char *p = (unsigned char *)(((uintptr_t)global_buffer + 2 * EA_GRANULE) & ~(uintptr_t)(EA_GRANULE - 1));
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, p));
}

static void free_of_another_heaps_block(void **state)
{
    (void)state;
    void *other = backend.other_object;
    backend.make_empty(other);
    backend.init(other, second_arena, arena_size);
    unsigned char *p = backend.alloc(other, 40);
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, p));
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, (void)backend.realloc(heap, p, 100));
    backend.free(other, p);
    assert_int_equal(backend.check(other), EA_OK);
}

static void free_of_an_interior_pointer(void **state)
{
    (void)state;
    unsigned char *a = block(200);
    unsigned char *wall = block(8);
    memset(a, 0, 200);
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, a + EA_GRANULE));
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, a + 4 * EA_GRANULE));
    backend.free(heap, a);
    backend.free(heap, wall);
}

/*
 * A pointer into a free block that was never a block there, whose header would
 * be the free block's list links: foreign — in poisoned builds too, where a
 * header that is nothing but poison is taken for a block freed and merged
 * (where the header is not on the granule, the pointer is not either: foreign
 * as misaligned).
 */
static void free_of_a_pointer_into_a_free_block(void **state)
{
    (void)state;
    unsigned char *a = block(200);
    unsigned char *wall = block(8);
    backend.free(heap, a);
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, a + EA_HEADER));
    assert_int_equal(backend.check(heap), EA_OK);
    backend.free(heap, wall);
}

static void free_of_an_interior_pointer_that_looks_like_a_header(void **state)
{
    (void)state;
    /* The program copies a real header into the middle of its block: the copy is not at the address the
     * check word was made for. */
    unsigned char *a = block(400);
    unsigned char *wall = block(8);
    memset(a, 0, 400);
    memcpy(a + 8 * EA_GRANULE - EA_HEADER, a - EA_HEADER, EA_HEADER);
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, a + 8 * EA_GRANULE));
    backend.free(heap, a);
    backend.free(heap, wall);
}

static void free_of_a_misaligned_pointer(void **state)
{
    (void)state;
    unsigned char *a = block(40);
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, a + 1));
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, a + sizeof(void *)));
    backend.free(heap, a);
}

static void free_of_the_region_start(void **state)
{
    (void)state;
    /* The descriptor at the start of the region is no block. */
    unsigned char *p = (unsigned char *)(((uintptr_t)arena + EA_GRANULE) & ~(uintptr_t)(EA_GRANULE - 1));
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, p));
}

static void free_past_the_end_of_the_region(void **state)
{
    (void)state;
    unsigned char *p = arena + arena_size + 4 * EA_GRANULE;
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, backend.free(heap, p));
}

static void realloc_of_a_stack_address(void **state)
{
    (void)state;
    _Alignas(max_align_t) unsigned char local[64];
    memset(local, 0, sizeof local);
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, (void)backend.realloc(heap, local + EA_GRANULE, 10));
}

static void realloc_of_an_interior_pointer(void **state)
{
    (void)state;
    unsigned char *a = block(200);
    memset(a, 0, 200);
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, (void)backend.realloc(heap, a + 2 * EA_GRANULE, 500));
    backend.free(heap, a);
}

static void usable_size_of_a_foreign_pointer(void **state)
{
    (void)state;
    unsigned char *p = (unsigned char *)(((uintptr_t)global_buffer + 2 * EA_GRANULE) & ~(uintptr_t)(EA_GRANULE - 1));
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, (void)backend.usable_size(heap, p));
}

/* ---- overwritten headers ---------------------------------------------------------------- */

static void overrun_into_the_next_blocks_header(void **state)
{
    (void)state;
    unsigned char *a = block(40);
    unsigned char *b = block(40);
    unsigned char *wall = block(8);
    saved_header_t h = save_header(b);
    memset(a, 0x41, backend.usable_size(heap, a) + EA_WORD); /* one word too many */
    size_t used = backend.used(heap);
    EXPECT_PANIC(EA_FAULT_CORRUPT, backend.free(heap, b));
    assert_int_equal(backend.used(heap), used);
    assert_int_equal(backend.check(heap), EA_ECHECK);
    restore_header(&h);
    backend.free(heap, b);
    backend.free(heap, a);
    backend.free(heap, wall);
}

static void overrun_into_a_free_neighbour_found_at_free(void **state)
{
    (void)state;
    unsigned char *a = block(40);
    unsigned char *b = block(40);
    unsigned char *wall = block(8);
    backend.free(heap, b);
    saved_header_t h = save_header(b);
    memset(a + backend.usable_size(heap, a), 0x42, EA_WORD);
    EXPECT_PANIC(EA_FAULT_CORRUPT, backend.free(heap, a)); /* merging a would read the damaged b */
    restore_header(&h);
    backend.free(heap, a);
    backend.free(heap, wall);
}

static void underrun_into_the_own_header(void **state)
{
    (void)state;
    unsigned char *a = block(40);
    saved_header_t h = save_header(a);
    a[-1] ^= 0x10;
    EXPECT_PANIC(EA_FAULT_CORRUPT, backend.free(heap, a));
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)backend.realloc(heap, a, 100));
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)backend.usable_size(heap, a));
    restore_header(&h);
    backend.free(heap, a);
}

static void header_zeroed(void **state)
{
    (void)state;
    unsigned char *a = block(40);
    unsigned char *b = block(40);
    saved_header_t h = save_header(b);
    memset(b - EA_HEADER, 0, EA_HEADER);
    EXPECT_PANIC(EA_FAULT_CORRUPT, backend.free(heap, b));
    restore_header(&h);
    backend.free(heap, b);
    backend.free(heap, a);
}

static void header_size_inflated(void **state)
{
    (void)state;
    unsigned char *a = block(40);
    unsigned char *b = block(40);
    saved_header_t h = save_header(b);
    size_t header;
    memcpy(&header, b - EA_HEADER, sizeof header);
    header += 16 * EA_GRANULE; /* flags kept, size grown: a plausible header, but not its check word */
    memcpy(b - EA_HEADER, &header, sizeof header);
    EXPECT_PANIC(EA_FAULT_CORRUPT, backend.free(heap, b));
    restore_header(&h);
    backend.free(heap, b);
    backend.free(heap, a);
}

static void check_word_overwritten(void **state)
{
    (void)state;
    unsigned char *a = block(40);
    saved_header_t h = save_header(a);
    memset(a - EA_WORD, 0xEE, EA_WORD); /* the check word alone */
    EXPECT_PANIC(EA_FAULT_CORRUPT, backend.free(heap, a));
    restore_header(&h);
    backend.free(heap, a);
}

static void damaged_free_block_found_by_alloc(void **state)
{
    (void)state;
    /* A free block somewhere in the heap is overwritten; the next allocation that looks at it stops. */
    unsigned char *blocks[8];
    for (int i = 0; i < 8; i++) {
        blocks[i] = block(64);
    }
    backend.free(heap, blocks[1]);
    backend.free(heap, blocks[3]);
    backend.free(heap, blocks[5]);
    saved_header_t h = save_header(blocks[1]);
    memset(blocks[1] - EA_HEADER, 0x5A, EA_HEADER);
    size_t used = backend.used(heap);
    /* Take the same size until the damaged block is reached: it must never be handed out. */
    void *got[4] = {NULL, NULL, NULL, NULL};
    jmp_buf landing;
    unsigned before = panic_count;
    panic_landing = &landing;
    if (setjmp(landing) == 0) {
        for (int i = 0; i < 4; i++) {
            got[i] = backend.alloc(heap, 64);
        }
    }
    panic_landing = NULL;
    assert_int_equal(panic_count, before + 1);
    assert_int_equal(last_fault, EA_FAULT_CORRUPT);
    restore_header(&h);
    for (int i = 0; i < 4; i++) {
        assert_true(got[i] != blocks[1]);
        backend.free(heap, got[i]);
    }
    assert_int_equal(backend.used(heap), used);
    for (int i = 0; i < 8; i += 2) {
        backend.free(heap, blocks[i]);
    }
    backend.free(heap, blocks[7]);
}

/* ---- heaps used before init, init misused ------------------------------------------- */

static void alloc_before_init(void **state)
{
    (void)state;
    EXPECT_PANIC(EA_FAULT_NOT_INIT, (void)backend.alloc(heap, 10));
}

static void aligned_alloc_before_init(void **state)
{
    (void)state;
    EXPECT_PANIC(EA_FAULT_NOT_INIT, (void)backend.alloc_aligned(heap, 256, 10));
}

static void calloc_before_init(void **state)
{
    (void)state;
    EXPECT_PANIC(EA_FAULT_NOT_INIT, (void)backend.calloc(heap, 4, 10));
}

static void free_before_init(void **state)
{
    (void)state;
    unsigned char *p = (unsigned char *)(((uintptr_t)global_buffer + 2 * EA_GRANULE) & ~(uintptr_t)(EA_GRANULE - 1));
    EXPECT_PANIC(EA_FAULT_NOT_INIT, backend.free(heap, p));
}

static void realloc_before_init(void **state)
{
    (void)state;
    unsigned char *p = (unsigned char *)(((uintptr_t)global_buffer + 2 * EA_GRANULE) & ~(uintptr_t)(EA_GRANULE - 1));
    EXPECT_PANIC(EA_FAULT_NOT_INIT, (void)backend.realloc(heap, p, 10));
    EXPECT_PANIC(EA_FAULT_NOT_INIT, (void)backend.realloc(heap, NULL, 10));
}

static void usable_size_before_init(void **state)
{
    (void)state;
    unsigned char *p = (unsigned char *)(((uintptr_t)global_buffer + 2 * EA_GRANULE) & ~(uintptr_t)(EA_GRANULE - 1));
    EXPECT_PANIC(EA_FAULT_NOT_INIT, (void)backend.usable_size(heap, p));
}

static void add_region_before_init(void **state)
{
    (void)state;
    EXPECT_PANIC(EA_FAULT_NOT_INIT, (void)backend.add_region(heap, second_arena, arena_size));
}

static void init_twice(void **state)
{
    (void)state;
    EXPECT_PANIC(EA_FAULT_DOUBLE_INIT, backend.init(heap, second_arena, arena_size));
}

static void init_with_a_bad_region(void **state)
{
    (void)state;
    EXPECT_PANIC(EA_FAULT_BAD_REGION, backend.init(heap, NULL, 1024));
    EXPECT_PANIC(EA_FAULT_BAD_REGION, backend.init(heap, arena, 3));
}

/* No double fault: after every scenario above the heap still works. */
static void heap_works_after_caught_misuse(void **state)
{
    (void)state;
    unsigned char *a = block(40);
    EXPECT_PANIC(EA_FAULT_DOUBLE_FREE, (backend.free(heap, a), backend.free(heap, a)));
    unsigned char *b = block(100);
    fill_pattern(b, 100, 3);
    b = backend.realloc(heap, b, 1000);
    assert_pattern(b, 100, 3);
    backend.free(heap, b);
    assert_int_equal(backend.used(heap), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(double_free, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(double_free_after_merging_into_the_block_before, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(double_free_after_absorbing_the_block_after, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(realloc_of_a_freed_block, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(usable_size_of_a_freed_block, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(free_of_a_stack_address, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(free_of_a_global, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(free_of_another_heaps_block, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(free_of_an_interior_pointer, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(free_of_a_pointer_into_a_free_block, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(free_of_an_interior_pointer_that_looks_like_a_header, setup_heap,
                                        teardown_heap),
        cmocka_unit_test_setup_teardown(free_of_a_misaligned_pointer, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(free_of_the_region_start, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(free_past_the_end_of_the_region, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(realloc_of_a_stack_address, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(realloc_of_an_interior_pointer, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(usable_size_of_a_foreign_pointer, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(overrun_into_the_next_blocks_header, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(overrun_into_a_free_neighbour_found_at_free, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(underrun_into_the_own_header, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(header_zeroed, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(header_size_inflated, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(check_word_overwritten, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(damaged_free_block_found_by_alloc, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(alloc_before_init, setup_empty_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(aligned_alloc_before_init, setup_empty_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(calloc_before_init, setup_empty_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(free_before_init, setup_empty_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(realloc_before_init, setup_empty_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(usable_size_before_init, setup_empty_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(add_region_before_init, setup_empty_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(init_twice, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(init_with_a_bad_region, setup_empty_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(heap_works_after_caught_misuse, setup_heap, teardown_heap),
    };
    print_message("misuse suite (%s, hardened): %zu scenarios\n", backend.name, sizeof tests / sizeof tests[0]);
    return cmocka_run_group_tests_name("misuse", tests, NULL, NULL);
}
