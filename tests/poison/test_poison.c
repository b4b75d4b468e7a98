/*
 * Poisoned builds (EA_POISON=1), for each back-end: freed memory holds the
 * poison pattern; a write after free is reported by check() (EA_EPOISON) and
 * by the next allocation that would hand that memory out (EA_FAULT_CORRUPT),
 * before anything changes. Built without poisoning too, as the negative
 * control: there the same writes go unnoticed and the suite must fail.
 */
#include <string.h>

#include "heap_common.h"
#include "test_support.h"

#ifndef POISON_NEGATIVE_CONTROL
_Static_assert(EA_POISON == 1, "this suite is built with EA_POISON=1");
#endif

static void freed_memory_holds_the_poison(void **state)
{
    (void)state;
    unsigned char *a = backend.alloc(heap, 200);
    unsigned char *wall = backend.alloc(heap, 8);
    memset(a, 0x11, 200);
    backend.free(heap, a);
    /* Past the free block's own words (header, links), every byte is the pattern. */
    size_t from = 4 * sizeof(void *);
    for (size_t i = from; i < 200 - sizeof(void *); i++) {
        if (a[i] != EA_POISON_BYTE) {
            fail_msg("byte %zu of a freed block is %#x", i, a[i]);
        }
    }
    backend.free(heap, wall);
}

static void write_after_free_is_found_by_check(void **state)
{
    (void)state;
    unsigned char *a = backend.alloc(heap, 200);
    unsigned char *wall = backend.alloc(heap, 8);
    backend.free(heap, a);
    unsigned char saved = a[100];
    a[100] = 0x77; /* the program writes through a dangling pointer */
    assert_int_equal(backend.check(heap), EA_EPOISON);
    a[100] = saved;
    assert_int_equal(backend.check(heap), EA_OK);
    backend.free(heap, wall);
}

static void write_after_free_is_found_by_the_next_allocation(void **state)
{
    (void)state;
    unsigned char *a = backend.alloc(heap, 200);
    unsigned char *wall = backend.alloc(heap, 8);
    backend.free(heap, a);
    unsigned char saved = a[100];
    a[100] = 0x77;
    size_t used = backend.used(heap);
    /* The same size again: the allocator would hand out exactly that memory. */
    EXPECT_PANIC(EA_FAULT_CORRUPT, (void)backend.alloc(heap, 200));
    assert_int_equal(backend.used(heap), used);
    a[100] = saved;
    unsigned char *b = backend.alloc(heap, 200);
    assert_ptr_equal(b, a);
    backend.free(heap, b);
    backend.free(heap, wall);
}

static void merged_and_shrunk_memory_is_poison_too(void **state)
{
    (void)state;
    unsigned char *a = backend.alloc(heap, 100);
    unsigned char *b = backend.alloc(heap, 100);
    unsigned char *c = backend.alloc(heap, 300);
    unsigned char *wall = backend.alloc(heap, 8);
    memset(c, 0x22, 300);
    backend.free(heap, a);
    backend.free(heap, b); /* merges with a */
    c = backend.realloc(heap, c, 40); /* the tail goes back: old data must become poison */
    assert_non_null(c);
    assert_int_equal(backend.check(heap), EA_OK);
    backend.free(heap, c);
    assert_int_equal(backend.check(heap), EA_OK);
    backend.free(heap, wall);
    assert_int_equal(backend.check(heap), EA_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(freed_memory_holds_the_poison, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(write_after_free_is_found_by_check, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(write_after_free_is_found_by_the_next_allocation, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(merged_and_shrunk_memory_is_poison_too, setup_heap, teardown_heap),
    };
    return cmocka_run_group_tests_name("poison", tests, NULL, NULL);
}
