/*
 * EA_ASAN=1 (a build with AddressSanitizer), for each back-end: after every
 * call, the bytes the program asked for are open and the rest of the heap's
 * memory but its block headers is closed (a free block's links and footer
 * too: the heap opens them only while it uses them), as ASan's shadow says
 * (__asan_address_is_poisoned). tests/support/checked_misuse.c shows that ASan then
 * reports the accesses a program must not make.
 */
#include <sanitizer/asan_interface.h>
#include <string.h>

#include "heap_common.h"
#include "test_support.h"

_Static_assert(EA_ASAN == 1, "this suite is built with EA_ASAN=1");

static bool open_at(const void *p)
{
    return __asan_address_is_poisoned(p) == 0;
}

/* Whether every byte of [p, p + n) is open. */
static bool all_open(const unsigned char *p, size_t n)
{
    return __asan_region_is_poisoned((void *)(uintptr_t)p, n) == NULL;
}

/* Whether every byte of [p, p + n) is closed. */
static bool all_closed(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (open_at(p + i)) {
            return false;
        }
    }
    return true;
}

/*
 * Whether [p, p + n), which ends where a block header starts, is closed: ASan
 * closes whole 8-byte granules only, so where that header shares a granule
 * with the bytes before it (4-byte headers on 32-bit hosts), that granule stays
 * open and only the bytes before it count.
 */
static bool closed_to_header(const unsigned char *p, size_t n)
{
    uintptr_t to = ((uintptr_t)p + n) & ~(uintptr_t)7;
    return to <= (uintptr_t)p || all_closed(p, (size_t)(to - (uintptr_t)p));
}

/* Whether the rounding of a block at p handed out for size (usable bytes in all) is closed. */
static bool rounding_closed(const unsigned char *p, size_t size, size_t usable)
{
    return closed_to_header(p + size, usable - size);
}

/* The bytes a block handed out for size has after its header (usable_size without opening them). */
static size_t usable_for(size_t size)
{
    return expected_footprint(size) - backend.header;
}

static void a_fresh_heap_is_closed_but_for_its_header(void **state)
{
    (void)state;
    /* The whole arena is one free block: its header open, all after it closed, links and footer too. */
    assert_true(all_closed(arena + 1024, arena_size / 2));
    assert_int_equal(backend.check(heap), EA_OK); /* the heap reads only open words */
}

static void allocated_bytes_are_open_and_the_rounding_closed(void **state)
{
    (void)state;
    const size_t sizes[] = {1, 7, 8, 20, 96, 100, 1000};
    for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t size = sizes[i];
        unsigned char *p = backend.alloc(heap, size);
        assert_non_null(p);
        assert_true(all_open(p, size));
        /* The rounding after the request is closed (the payload starts on a granule). */
        assert_true(rounding_closed(p, size, usable_for(size)));
        memset(p, 0x3c, size);
    }
}

static void freed_blocks_close(void **state)
{
    (void)state;
    /* Taken one after the other from the front of the arena's free block: neighbours. */
    unsigned char *a = backend.alloc(heap, 400);
    unsigned char *wall = backend.alloc(heap, 8);
    unsigned char *b = backend.alloc(heap, 200);
    unsigned char *c = backend.alloc(heap, 200);
    unsigned char *wall2 = backend.alloc(heap, 8);
    assert_non_null(wall2);
    assert_ptr_equal(c, b + expected_footprint(200));
    memset(a, 0x11, 400);
    backend.free(heap, a);
    /* The whole freed block: its links (p->next read after free(p) is reported) and tlsf's footer too. */
    assert_true(closed_to_header(a, usable_for(400)));
    assert_true(all_open(wall, 8));
    /* c freed after b merges into it: c's header and payload are inside the merged block now,
     * closed to its end (the footer of the merged block). */
    backend.free(heap, b);
    backend.free(heap, c);
    assert_true(closed_to_header(b, 2 * expected_footprint(200) - backend.header));
    assert_int_equal(backend.check(heap), EA_OK);
    backend.free(heap, wall);
    backend.free(heap, wall2);
}

static void reused_memory_opens_again(void **state)
{
    (void)state;
    unsigned char *a = backend.alloc(heap, 300);
    assert_non_null(a);
    backend.free(heap, a);
    unsigned char *b = backend.alloc(heap, 300);
    assert_ptr_equal(b, a);
    assert_true(all_open(b, 300));
    memset(b, 0x22, 300);
    assert_true(rounding_closed(b, 300, usable_for(300)));
}

static void usable_size_opens_the_whole_block(void **state)
{
    (void)state;
    unsigned char *p = backend.alloc(heap, 20);
    assert_non_null(p);
    size_t usable = usable_for(20);
    assert_true(usable > 20);
    assert_true(rounding_closed(p, 20, usable));
    assert_int_equal(backend.usable_size(heap, p), usable - TEST_GUARD);
    assert_true(all_open(p, usable - TEST_GUARD)); /* its contract lets the caller use them all */
    assert_true(closed_to_header(p + usable - TEST_GUARD, TEST_GUARD)); /* but the guard byte */
    memset(p, 0x44, usable - TEST_GUARD);
    backend.free(heap, p);
}

static void calloc_and_aligned_blocks_open_what_was_asked(void **state)
{
    (void)state;
    unsigned char *z = backend.calloc(heap, 5, 20);
    assert_non_null(z);
    assert_true(all_open(z, 100));
    assert_true(rounding_closed(z, 100, usable_for(100)));
    for (size_t i = 0; i < 100; i++) {
        assert_int_equal(z[i], 0);
    }
    const size_t aligns[] = {1, 8, 16, 64, 256, 4096};
    for (size_t i = 0; i < sizeof aligns / sizeof aligns[0]; i++) {
        unsigned char *p = backend.alloc_aligned(heap, aligns[i], 36);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % aligns[i], 0);
        assert_true(all_open(p, 36));
        assert_true(rounding_closed(p, 36, usable_for(36)));
        memset(p, 0x55, 36);
    }
    assert_int_equal(backend.check(heap), EA_OK);
}

/* One realloc, then the data kept, the new size open and the rest of its block closed. */
static unsigned char *realloc_and_check(unsigned char *p, size_t old, size_t size, unsigned seed)
{
    fill_pattern(p, old, seed);
    unsigned char *q = backend.realloc(heap, p, size);
    assert_non_null(q);
    assert_pattern(q, old < size ? old : size, seed);
    assert_true(all_open(q, size));
    assert_true(rounding_closed(q, size, usable_for(size)));
    assert_int_equal(backend.check(heap), EA_OK);
    return q;
}

static void realloc_moves_the_boundary_wherever_the_block_goes(void **state)
{
    (void)state;
    unsigned char *a = backend.alloc(heap, 100);
    unsigned char *b = backend.alloc(heap, 100);
    unsigned char *wall = backend.alloc(heap, 8);
    assert_non_null(wall);
    unsigned char *at = b;
    b = realloc_and_check(b, 100, 40, 1); /* shrink in place: the tail given back closes past its words */
    assert_ptr_equal(b, at);
    unsigned char *tail = b - backend.header + expected_footprint(40);
    assert_true(all_closed(tail + backend.header, 16));
    b = realloc_and_check(b, 40, 90, 2); /* grow in place into that tail */
    assert_ptr_equal(b, at);
    b = realloc_and_check(b, 90, 3000, 3); /* grow past the wall: it moves, the old block closes */
    assert_ptr_not_equal(b, at);
    assert_true(all_closed(at, 16));
    backend.free(heap, a); /* room before b now */
    unsigned char *c = backend.alloc(heap, 8);
    assert_non_null(c);
    c = realloc_and_check(c, 8, 150, 4); /* into the free block after or before it, or moved */
    a = realloc_and_check(backend.alloc(heap, 24), 24, 23, 5);
    backend.free(heap, a);
    backend.free(heap, b);
    backend.free(heap, c);
    backend.free(heap, wall);
    assert_int_equal(backend.used(heap), 0);
    assert_true(all_closed(arena + 1024, arena_size / 2));
}

static void init_opens_memory_an_earlier_heap_closed(void **state)
{
    (void)state;
    /* The fixture's heap closed most of the arena; a new heap over part of the same memory (the
     * old one abandoned) starts inside what was closed, and must write its own words there. */
    unsigned char *start = arena + 1024;
    assert_false(open_at(start));
    backend.make_empty(heap);
    backend.init(heap, start, arena_size - 1024);
    unsigned char *p = backend.alloc(heap, arena_size / 2);
    assert_non_null(p);
    assert_true(p > start);
    assert_true(all_open(p, arena_size / 2));
    backend.free(heap, p);
    assert_true(all_closed(p, 64));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(a_fresh_heap_is_closed_but_for_its_header, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(allocated_bytes_are_open_and_the_rounding_closed, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(freed_blocks_close, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(reused_memory_opens_again, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(usable_size_opens_the_whole_block, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(calloc_and_aligned_blocks_open_what_was_asked, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(realloc_moves_the_boundary_wherever_the_block_goes, setup_heap,
                                        teardown_heap),
        cmocka_unit_test_setup_teardown(init_opens_memory_an_earlier_heap_closed, setup_heap, teardown_heap),
    };
    return cmocka_run_group_tests_name(backend.name, tests, NULL, NULL);
}
