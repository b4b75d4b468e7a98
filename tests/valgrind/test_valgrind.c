/*
 * EA_VALGRIND=1, for each back-end, run under valgrind's memcheck (the
 * valgrind stage): after every call, what memcheck knows of the heap's bytes —
 * addressable or not, and of the addressable ones which hold written values
 * (its "V bits", read with VALGRIND_GET_VBITS, which reports nothing itself).
 * tests/support/checked_misuse.c shows that memcheck then reports the
 * accesses a program must not make.
 */
#include <stdio.h>
#include <string.h>
#include <valgrind/memcheck.h>

#include "heap_common.h"
#include "test_support.h"

_Static_assert(EA_VALGRIND == 1, "this suite is built with EA_VALGRIND=1");

static unsigned char vbits[TEST_ARENA_SIZE];

/* 1 when every byte of [p, p + n) is addressable (its V bits are then in vbits), 3 otherwise. */
static unsigned known(const unsigned char *p, size_t n)
{
    assert_true(n <= sizeof vbits);
    return VALGRIND_GET_VBITS(p, vbits, n);
}

/* Whether every byte of [p, p + n) is addressable with all its V bits as in bits (0: written, 0xFF: never). */
static bool all_vbits_are(const unsigned char *p, size_t n, unsigned char bits)
{
    if (known(p, n) != 1) {
        return false;
    }
    for (size_t i = 0; i < n; i++) {
        if (vbits[i] != bits) {
            return false;
        }
    }
    return true;
}

static bool all_defined(const unsigned char *p, size_t n)
{
    return all_vbits_are(p, n, 0);
}

static bool all_undefined(const unsigned char *p, size_t n)
{
    return all_vbits_are(p, n, 0xFF);
}

/* Whether no byte of [p, p + n) is addressable. */
static bool all_unaddressable(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (known(p + i, 1) != 3) {
            return false;
        }
    }
    return true;
}

static size_t usable_for(size_t size)
{
    return expected_footprint(size) - backend.header - TEST_GUARD;
}

/* Whether the rounding after a block p of size requested bytes is closed, as free memory is. */
static bool rounding_closed(const unsigned char *p, size_t size)
{
    return all_unaddressable(p + size, usable_for(size) - size);
}

/* Free memory is unaddressable but for block headers: a free block's links and footer too (the heap
 * opens them only while it uses them). */
static void a_fresh_heap_is_unaddressable_but_for_its_header(void **state)
{
    (void)state;
    assert_true(all_unaddressable(arena + 1024, arena_size / 2));
    assert_int_equal(backend.check(heap), EA_OK); /* the heap reads only what it opened */
}

static void a_block_is_undefined_until_written(void **state)
{
    (void)state;
    const size_t sizes[] = {1, 20, 100, 1000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char *p = backend.alloc(heap, sizes[i]);
        assert_non_null(p);
        assert_true(all_undefined(p, sizes[i])); /* the requested bytes: memcheck's chunk */
        assert_true(rounding_closed(p, sizes[i]));
        memset(p, 0x3c, sizes[i] / 2 + 1);
        assert_true(all_defined(p, sizes[i] / 2 + 1));
        assert_true(all_undefined(p + sizes[i] / 2 + 1, sizes[i] - sizes[i] / 2 - 1));
    }
    unsigned char *z = backend.calloc(heap, 5, 20);
    assert_non_null(z);
    assert_true(all_defined(z, 100));
    assert_true(rounding_closed(z, 100));
    unsigned char *a = backend.alloc_aligned(heap, 256, 36);
    assert_non_null(a);
    assert_true(all_undefined(a, 36));
    assert_true(rounding_closed(a, 36));
}

static void freed_blocks_are_unaddressable(void **state)
{
    (void)state;
    unsigned char *a = backend.alloc(heap, 400);
    unsigned char *wall = backend.alloc(heap, 8);
    unsigned char *b = backend.alloc(heap, 200);
    unsigned char *c = backend.alloc(heap, 200);
    unsigned char *wall2 = backend.alloc(heap, 8);
    assert_non_null(wall2);
    assert_ptr_equal(c, b + expected_footprint(200));
    memset(a, 0x11, 400);
    backend.free(heap, a);
    assert_true(all_unaddressable(a, usable_for(400))); /* links and footer too: p->next after free(p) */
    assert_true(all_undefined(wall, 8));
    /* c freed after b merges into it: c's header and payload are inside the merged block, to its footer. */
    backend.free(heap, b);
    backend.free(heap, c);
    assert_true(all_unaddressable(b, 2 * expected_footprint(200) - backend.header));
    assert_int_equal(backend.check(heap), EA_OK);
    /* Taken again (a's block or the merged one): undefined, whatever it held. */
    unsigned char *again = backend.alloc(heap, 400);
    assert_true(again == a || again == b);
    assert_true(all_undefined(again, 400));
    assert_true(rounding_closed(again, 400));
}

/* The program may use every usable byte once it asked how many: the rounding opens, never written. */
static void usable_size_opens_the_rounding(void **state)
{
    (void)state;
    unsigned char *p = backend.alloc(heap, 20);
    assert_non_null(p);
    memset(p, 0x44, 20);
    assert_true(rounding_closed(p, 20));
    assert_int_equal(backend.usable_size(heap, p), usable_for(20));
    assert_true(all_defined(p, 20));
    assert_true(all_undefined(p + 20, usable_for(20) - 20));
    assert_int_equal(backend.usable_size(heap, p), usable_for(20)); /* again: nothing more changes */
    assert_true(all_defined(p, 20));
    assert_true(all_undefined(p + 20, usable_for(20) - 20));
    /* Grown past it in place, the bytes written in the rounding are kept. */
    memset(p + 20, 0x45, usable_for(20) - 20);
    unsigned char *at = p;
    p = backend.realloc(heap, p, 200);
    assert_ptr_equal(p, at);
    assert_true(all_defined(p, usable_for(20)));
    assert_true(all_undefined(p + usable_for(20), 200 - usable_for(20)));
    assert_true(rounding_closed(p, 200));
}

static void realloc_in_place_keeps_what_is_known(void **state)
{
    (void)state;
    unsigned char *a = backend.alloc(heap, 100);
    unsigned char *b = backend.alloc(heap, 100); /* the rest of the arena free after it */
    assert_non_null(a);
    assert_non_null(b);
    memset(b, 0x66, 50);
    unsigned char *at = b;
    b = backend.realloc(heap, b, 300); /* grow into the free block after */
    assert_ptr_equal(b, at);
    assert_true(all_defined(b, 50));
    assert_true(all_undefined(b + 50, 250)); /* the old rounding too: never written */
    assert_true(rounding_closed(b, 300));
    b = backend.realloc(heap, b, 40); /* shrink: the tail given back is unaddressable past its words */
    assert_ptr_equal(b, at);
    assert_true(all_defined(b, 40));
    assert_true(rounding_closed(b, 40));
    unsigned char *tail = b - backend.header + expected_footprint(40);
    assert_true(all_unaddressable(tail + backend.header, 64));
    assert_int_equal(backend.check(heap), EA_OK);
}

static void realloc_that_moves_copies_what_is_known(void **state)
{
    (void)state;
    unsigned char *a = backend.alloc(heap, 200);
    unsigned char *b = backend.alloc(heap, 100);
    unsigned char *wall = backend.alloc(heap, 8);
    assert_non_null(wall);
    memset(b, 0x77, 10);
    unsigned char *at = b;
    b = backend.realloc(heap, b, 3000); /* the neighbour is used: allocate, copy, free */
    assert_ptr_not_equal(b, at);
    assert_true(all_defined(b, 10));
    assert_true(all_undefined(b + 10, 2990)); /* the copy carries "never written" too */
    assert_true(rounding_closed(b, 3000));
    assert_true(all_unaddressable(at, 32));
    /* c, with a free block before it and a used one after: tlsf moves it down into the run (its
     * data moved within the heap's memory), llff moves it elsewhere; the same either way. */
    backend.free(heap, a);
    unsigned char *c = backend.alloc(heap, 8);
    assert_non_null(c);
    backend.free(heap, b);
    (void)wall;
    memset(c, 0x78, 4);
    unsigned char *d = backend.realloc(heap, c, 150);
    assert_non_null(d);
    assert_true(all_defined(d, 4));
    assert_true(all_undefined(d + 4, 146));
    assert_true(rounding_closed(d, 150));
    assert_int_equal(backend.check(heap), EA_OK);
}

static void realloc_down_into_the_free_block_before(void **state)
{
    (void)state;
    unsigned char *a = backend.alloc(heap, 200);
    unsigned char *b = backend.alloc(heap, 100);
    unsigned char *wall = backend.alloc(heap, 8);
    assert_non_null(wall);
    backend.free(heap, a);
    memset(b, 0x79, 30);
    unsigned char *q = backend.realloc(heap, b, 250); /* a's 200 and b's 100 hold it; after b: used */
    assert_non_null(q);
    assert_true(all_defined(q, 30));
    assert_true(all_undefined(q + 30, 220));
    assert_true(rounding_closed(q, 250));
    if (strcmp(backend.name, "tlsf") == 0) {
        assert_ptr_equal(q, a); /* moved down, within the run (llff allocates, copies, frees) */
    }
    assert_int_equal(backend.check(heap), EA_OK);
}

static void a_new_heap_over_memory_an_earlier_heap_closed(void **state)
{
    (void)state;
    unsigned char *start = arena + 1024;
    assert_true(all_unaddressable(start, 64));
    abandon_heap();
    backend.make_empty(heap);
    backend.init(heap, start, arena_size - 1024);
    unsigned char *p = backend.alloc(heap, arena_size / 2);
    assert_non_null(p);
    assert_true(p > start);
    assert_true(all_undefined(p, arena_size / 2));
    backend.free(heap, p);
    assert_true(all_unaddressable(p, 64));
}

int main(void)
{
    if (!RUNNING_ON_VALGRIND) {
        fprintf(stderr, "%s: run under valgrind (memcheck): it reads memcheck's view of the heap\n", backend.name);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_fresh_heap_is_unaddressable_but_for_its_header, setup_heap,
                                        teardown_heap),
        cmocka_unit_test_setup_teardown(a_block_is_undefined_until_written, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(freed_blocks_are_unaddressable, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(usable_size_opens_the_rounding, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(realloc_in_place_keeps_what_is_known, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(realloc_that_moves_copies_what_is_known, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(realloc_down_into_the_free_block_before, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(a_new_heap_over_memory_an_earlier_heap_closed, setup_heap, teardown_heap),
    };
    return cmocka_run_group_tests_name(backend.name, tests, NULL, NULL);
}
