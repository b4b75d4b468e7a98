/*
 * The malloc shim as the C library's malloc on a board: newlib (nano and
 * full) on the Arm boards, picolibc on RISC-V.
 *
 *   1. Before ea_malloc_init every allocation fails (malloc_cases.c).
 *   2. EA_MALLOC_INIT over a static buffer; then the C library's own code
 *      allocates: newlib's stdio (the stdout buffer, its FILE objects, the
 *      big numbers of %f / %e) through _malloc_r and _calloc_r, strdup,
 *      strndup and asprintf. ealloc's statistics must show those blocks, and
 *      the stdout buffer must lie inside the heap.
 *   3. errno is set through the hook, for the plain and the _r calls.
 *   4. The whole contract of malloc_cases.c, on a 32-bit target.
 *   5. The C library's own heap was never used: _sbrk (newlib) / sbrk
 *      (picolibc) record every call, and there must be none.
 */
#define _GNU_SOURCE /* asprintf, strndup */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <ealloc/malloc.h>

#include "fw.h"
#include "malloc_cases.h"

#if defined(__PICOLIBC__)
#define LIBC "picolibc"
#else
#include <reent.h>
#if defined(_NANO_FORMATTED_IO)
#define LIBC "newlib-nano"
#else
#define LIBC "newlib"
#endif
#endif

_Static_assert(EA_MALLOC_ENOMEM == ENOMEM, "EA_MALLOC_ENOMEM differs from the C library's ENOMEM");
_Static_assert(EA_MALLOC_EINVAL == EINVAL, "EA_MALLOC_EINVAL differs from the C library's EINVAL");

#ifndef MALLOC_HEAP_SIZE
#define MALLOC_HEAP_SIZE (64 * 1024)
#endif

/* ---- the C library's own heap must stay unused ---------------------------------------- */

static unsigned sbrk_calls;

#if defined(__PICOLIBC__)
void *sbrk(ptrdiff_t increment);
void *sbrk(ptrdiff_t increment) /* picolibc's malloc grows its heap with sbrk */
#else
void *_sbrk(ptrdiff_t increment);
void *_sbrk(ptrdiff_t increment) /* newlib's malloc grows its heap with _sbrk */
#endif
{
    (void)increment;
    sbrk_calls++;
    errno = ENOMEM;
    return (void *)-1;
}

/* ---- errno: what a newlib or picolibc program defines ------------------------------------ */

void ea_malloc_errno_hook(struct _reent *reent, int code)
{
    malloc_test_record_error(reent, code);
#if defined(__PICOLIBC__)
    (void)reent;
    errno = code;
#else
    if (reent != NULL) {
        reent->_errno = code; /* the _r calls report to the state they were given */
    } else {
        errno = code;
    }
#endif
}

struct _reent *malloc_test_reent_arg(void)
{
#if defined(__PICOLIBC__)
    return NULL; /* picolibc has no reentrancy structure; the _r calls still work with NULL */
#else
    return _REENT;
#endif
}

/* ---- helpers -------------------------------------------------------------------------------- */

static size_t opaque(size_t v)
{
    volatile size_t x = v;
    return x;
}

static ea_stats_t heap_stats(void)
{
    ea_stats_t s;
    ea_malloc_stats(&s);
    return s;
}

/* ---- the C library on ealloc ------------------------------------------------------------- */

static const char long_text[] =
    "a string long enough that the C library cannot format it in one small buffer: "
    "ealloc serves the C library's own allocations, and this line went through them";

static void test_stdio_allocates_from_ealloc(void **state)
{
    (void)state;
    ea_stats_t before = heap_stats();
    int n = printf("%s stdio: %f %.3f %e %s\n", LIBC, 3.25, -1234.5678, 6.02214076e23, long_text);
    assert_true(n > (int)sizeof long_text);
    assert_int_equal(fflush(stdout), 0);
    char buf[160];
    snprintf(buf, sizeof buf, "%.20e|%f", 1e300, 1e30);
    /* newlib prints the exact decimal value (...5250e+300, ...19884624838656), picolibc the shortest one. */
    assert_int_equal(strlen(buf), strlen("1.00000000000000005250e+300|1000000000000000019884624838656.000000"));
    assert_int_equal(strncmp(buf, "1.000000000000000", 17), 0);
    assert_non_null(strstr(buf, "e+300|1000000000000000"));
    ea_stats_t after = heap_stats();
    assert_int_equal(ea_malloc_check(), 0);
#if defined(__PICOLIBC__)
    /* picolibc's stdio formats without a heap: nothing to see here but a sound heap. */
    (void)before;
    (void)after;
#else
    /* The stdout buffer (and nano's FILE objects, the big numbers of %e) came from ealloc ... */
    print_message("ealloc after stdio: alloc_count %u -> %u, used %u -> %u bytes\n", (unsigned)before.alloc_count,
                  (unsigned)after.alloc_count, (unsigned)before.used, (unsigned)after.used);
#if EA_STATS
    assert_true(after.alloc_count > before.alloc_count);
#endif
    assert_true(after.used > before.used);
    /* ... and the buffer, which stdout keeps, lies in the heap. */
    assert_non_null(stdout->_bf._base);
    assert_true(ea_malloc_owns(stdout->_bf._base));
#endif
}

static void test_string_functions_allocate_from_ealloc(void **state)
{
    (void)state;
    size_t used = heap_stats().used;
    char *a = strdup(long_text);
    char *b = strndup(long_text, 10);
    char *c = NULL;
    int n = asprintf(&c, "%s|%d|%s", "asprintf", 42, long_text);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(c);
    assert_true(n > 0);
    assert_true(ea_malloc_owns(a));
    assert_true(ea_malloc_owns(b));
    assert_true(ea_malloc_owns(c));
    assert_string_equal(a, long_text);
    assert_string_equal(b, "a string l");
    assert_int_equal(strncmp(c, "asprintf|42|a string", 20), 0);
    assert_true(heap_stats().used > used);
    free(a);
    free(b);
    free(c);
    assert_int_equal(heap_stats().used, used);
    assert_int_equal(ea_malloc_check(), 0);
}

static void test_own_objects(void **state)
{
    (void)state;
    struct node {
        struct node *next;
        double value;
    } *list = NULL;
    for (unsigned i = 0; i < 50; i++) {
        struct node *n = malloc(sizeof *n);
        assert_non_null(n);
        n->next = list;
        n->value = i * 0.5;
        list = n;
    }
    double sum = 0;
    while (list != NULL) {
        struct node *next = list->next;
        sum += list->value;
        free(list);
        list = next;
    }
    assert_true(sum == 612.5);
    assert_int_equal(ea_malloc_check(), 0);
}

static void test_errno_is_set(void **state)
{
    (void)state;
    errno = 0;
    assert_null(malloc(opaque(SIZE_MAX)));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(calloc(opaque(SIZE_MAX), 2));
    assert_int_equal(errno, ENOMEM);
    errno = 0;
    assert_null(aligned_alloc(opaque(24), 64));
    assert_int_equal(errno, EINVAL);
    void *p = malloc(8);
    assert_non_null(p);
    errno = 0;
    assert_null(realloc(p, opaque(SIZE_MAX)));
    assert_int_equal(errno, ENOMEM);
    free(p);
#if !defined(__PICOLIBC__)
    errno = 0;
    assert_null(_malloc_r(_REENT, opaque(SIZE_MAX)));
    assert_int_equal(_REENT->_errno, ENOMEM);
#endif
    malloc_test_clear_error();
}

static void test_c_library_heap_never_used(void **state)
{
    (void)state;
    assert_int_equal(sbrk_calls, 0);
}

static const struct CMUnitTest libc_tests[] = {
    cmocka_unit_test(test_stdio_allocates_from_ealloc),
    cmocka_unit_test(test_string_functions_allocate_from_ealloc),
    cmocka_unit_test(test_own_objects),
    cmocka_unit_test(test_errno_is_set),
};

static const struct CMUnitTest final_tests[] = {
    cmocka_unit_test(test_c_library_heap_never_used),
};

int main(void)
{
    int failed = _cmocka_run_group_tests("malloc before init (" LIBC ")", malloc_before_init_cases,
                                         malloc_before_init_case_count, NULL, NULL);
    EA_MALLOC_INIT(MALLOC_HEAP_SIZE);
    failed += cmocka_run_group_tests_name("the C library on ealloc (" LIBC ")", libc_tests, NULL, NULL);
    failed += _cmocka_run_group_tests("malloc contract (" LIBC ")", malloc_cases, malloc_case_count, NULL, NULL);
    failed += cmocka_run_group_tests_name("the C library's heap (" LIBC ")", final_tests, NULL, NULL);
    ea_stats_t s = heap_stats();
    fw_printf("ealloc malloc heap at exit: capacity %u, used %u, peak %u, %u allocations, %u failed\n",
              (unsigned)s.capacity, (unsigned)s.used, (unsigned)s.peak_used, (unsigned)s.alloc_count,
              (unsigned)s.failed_count);
    return failed;
}
