/*
 * The malloc shim's default hooks (src/malloc.c), which the malloc tests
 * replace with their own, found by tools/coverage.sh. Built against a copy of
 * the shim whose functions are renamed (malloc -> ea_renamed_malloc, ...), as
 * tests/malloc does, with EA_MALLOC_FOREIGN_CHECK on:
 *
 * - before init, malloc asks the default grow hook, which refuses: NULL (and
 *   the default errno hook, which does nothing);
 * - after init, free of a pointer outside the heap goes to the default
 *   foreign hook, which panics with EA_FAULT_FOREIGN_POINTER.
 *
 * With -DLYING_GROW_HOOK the grow hook claims to have grown the heap without
 * initialising it: malloc must still return NULL, not use a heap with no memory.
 */
#include <ealloc/malloc.h>

#include "test_support.h"

void *ea_renamed_malloc(size_t size);
void ea_renamed_free(void *p);

#ifdef LYING_GROW_HOOK
static unsigned grow_calls;

bool ea_malloc_grow_hook(size_t size, size_t align)
{
    (void)size;
    (void)align;
    grow_calls++;
    return true; /* but the heap got no memory */
}
#else
static _Alignas(max_align_t) unsigned char region[16 * 1024];
#endif

static void before_init_malloc_returns_null(void **state)
{
    (void)state;
    assert_null(ea_renamed_malloc(16));
#ifdef LYING_GROW_HOOK
    assert_int_equal(grow_calls, 1);
#endif
}

static void a_foreign_pointer_panics_by_default(void **state)
{
    (void)state;
#ifdef LYING_GROW_HOOK
    skip();
#else
    ea_malloc_init(region, sizeof region);
    void *p = ea_renamed_malloc(100);
    assert_non_null(p);
    int on_the_stack;
    EXPECT_PANIC(EA_FAULT_FOREIGN_POINTER, ea_renamed_free(&on_the_stack));
    ea_renamed_free(p);
    assert_int_equal(ea_malloc_check(), EA_OK);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(before_init_malloc_returns_null),
        cmocka_unit_test(a_foreign_pointer_panics_by_default),
    };
    return cmocka_run_group_tests_name("coverage_malloc_hooks", tests, NULL, NULL) != 0;
}
