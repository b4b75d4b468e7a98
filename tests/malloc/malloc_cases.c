/*
 * The malloc shim's contract (see malloc_cases.h): the bad-input table of
 * <ealloc/malloc.h>, each row a test, plus the ordinary behaviour of every
 * call. Written against the standard names; the host build renames them.
 *
 * Sizes that must be rejected reach the calls through opaque(), so that no
 * compiler folds or warns about a constant like SIZE_MAX; the sources are
 * built with -fno-builtin so that no malloc/free pair is optimised away.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <ealloc/malloc.h>

#include "malloc_cases.h"

int malloc_test_error;
struct _reent *malloc_test_reent;
unsigned malloc_test_error_calls;

void malloc_test_record_error(struct _reent *reent, int code)
{
    malloc_test_error = code;
    malloc_test_reent = reent;
    malloc_test_error_calls++;
}

void malloc_test_clear_error(void)
{
    malloc_test_error = 0;
    malloc_test_reent = NULL;
    malloc_test_error_calls = 0;
}

/* ---- helpers ---------------------------------------------------------------------------- */

/* v, hidden from the optimiser. */
static size_t opaque(size_t v)
{
    volatile size_t x = v;
    return x;
}

static bool is_aligned(const void *p, size_t align)
{
    return ((uintptr_t)p & (align - 1)) == 0;
}

static ea_stats_t heap_stats(void)
{
    ea_stats_t s;
    ea_malloc_stats(&s);
    return s;
}

/* Every call must leave the heap sound. */
static void assert_heap_ok(void)
{
    assert_int_equal(ea_malloc_check(), 0);
}

/* The last call failed and reported code through the errno hook. */
static void assert_error(int code)
{
    assert_int_equal(malloc_test_error, code);
    assert_true(malloc_test_error_calls > 0);
    malloc_test_clear_error();
}

static void assert_no_error(void)
{
    assert_int_equal(malloc_test_error_calls, 0);
}

static void fill(void *p, size_t n, unsigned seed)
{
    unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        b[i] = (unsigned char)(seed * 31u + i * 7u);
    }
}

static void assert_filled(const void *p, size_t n, unsigned seed)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        if (b[i] != (unsigned char)(seed * 31u + i * 7u)) {
            fail_msg("byte %u of a block filled with seed %u changed", (unsigned)i, seed);
        }
    }
}

/* The largest alignment the tests ask for: 4096, less on a small heap. */
static size_t max_test_align(void)
{
    size_t cap = heap_stats().capacity;
    size_t a = 4096;
    while (a > EA_ALIGN && a > cap / 16) {
        a >>= 1;
    }
    return a;
}

/* Sizes no heap can serve: near SIZE_MAX, half the address space, more than the heap holds. */
static size_t too_large(unsigned i)
{
    switch (i) {
    case 0: return opaque(SIZE_MAX);
    case 1: return opaque(SIZE_MAX - 1);
    case 2: return opaque(SIZE_MAX - EA_ALIGN);
    case 3: return opaque(SIZE_MAX / 2 + 1);
    default: return opaque(heap_stats().capacity + 1);
    }
}
#define TOO_LARGE_COUNT 5u

/* ---- before ea_malloc_init ----------------------------------------------------------- */

static void test_before_init_everything_fails(void **state)
{
    (void)state;
    malloc_test_clear_error();
    assert_null(malloc(1));
    assert_error(EA_MALLOC_ENOMEM);
    assert_null(malloc(0));
    assert_error(EA_MALLOC_ENOMEM);
    assert_null(calloc(1, 1));
    assert_error(EA_MALLOC_ENOMEM);
    assert_null(realloc(NULL, 8));
    assert_error(EA_MALLOC_ENOMEM);
    assert_null(aligned_alloc(16, 16));
    assert_error(EA_MALLOC_ENOMEM);
    assert_null(aligned_alloc(opaque(3), 16)); /* bad input is refused before the heap is asked */
    assert_error(EA_MALLOC_EINVAL);
    assert_null(memalign(64, 16));
    assert_error(EA_MALLOC_ENOMEM);
    assert_null(_malloc_r(NULL, 16));
    assert_error(EA_MALLOC_ENOMEM);

    void *sentinel = &sentinel;
    void *p = sentinel;
    assert_int_equal(posix_memalign(&p, 16, 16), EA_MALLOC_ENOMEM);
    assert_ptr_equal(p, sentinel);
    assert_no_error();

    free(NULL);
    assert_int_equal(malloc_usable_size(NULL), 0);
    assert_false(ea_malloc_owns(&p));
    assert_int_equal(heap_stats().capacity, 0);
    assert_int_equal(ea_malloc_check(), 0);
    assert_non_null(ea_malloc_heap());
}

const struct CMUnitTest malloc_before_init_cases[] = {
    cmocka_unit_test(test_before_init_everything_fails),
};
const size_t malloc_before_init_case_count = sizeof malloc_before_init_cases / sizeof malloc_before_init_cases[0];

/* ---- malloc, free, malloc_usable_size --------------------------------------------------- */

static void test_malloc_aligns_and_sizes(void **state)
{
    (void)state;
    static const size_t sizes[] = {0, 1, 7, 8, 15, 16, 17, 31, 100, 1000};
    void *blocks[sizeof sizes / sizeof sizes[0]];
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        blocks[i] = malloc(sizes[i]);
        assert_non_null(blocks[i]);
        assert_true(is_aligned(blocks[i], EA_ALIGN));
        assert_true(malloc_usable_size(blocks[i]) >= sizes[i]);
        assert_true(ea_malloc_owns(blocks[i]));
        fill(blocks[i], sizes[i], i);
        assert_heap_ok();
    }
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        assert_filled(blocks[i], sizes[i], i);
        free(blocks[i]);
        assert_heap_ok();
    }
    assert_no_error();
}

static void test_malloc_zero_is_unique(void **state)
{
    (void)state;
    void *a = malloc(0);
    void *b = malloc(0);
    assert_non_null(a);
    assert_non_null(b);
    assert_ptr_not_equal(a, b);
    free(a);
    free(b);
    assert_no_error();
}

static void test_malloc_too_large_fails_with_enomem(void **state)
{
    (void)state;
    for (unsigned i = 0; i < TOO_LARGE_COUNT; i++) {
        assert_null(malloc(too_large(i)));
        assert_error(EA_MALLOC_ENOMEM);
        assert_heap_ok();
    }
}

static void test_free_null_and_usable_size_null(void **state)
{
    (void)state;
    free(NULL);
    _free_r(NULL, NULL);
    assert_int_equal(malloc_usable_size(NULL), 0);
    assert_int_equal(_malloc_usable_size_r(NULL, NULL), 0);
    assert_no_error();
}

static void test_owns(void **state)
{
    (void)state;
    int local = 0;
    void *p = malloc(24);
    assert_non_null(p);
    assert_true(ea_malloc_owns(p));
    assert_false(ea_malloc_owns(&local));
    assert_false(ea_malloc_owns(NULL));
    free(p);
}

/* ---- calloc ------------------------------------------------------------------------------ */

static void test_calloc_zeroes(void **state)
{
    (void)state;
    unsigned char *dirty = malloc(256);
    assert_non_null(dirty);
    memset(dirty, 0xA5, 256);
    free(dirty);
    unsigned char *p = calloc(16, 16);
    assert_non_null(p);
    for (unsigned i = 0; i < 256; i++) {
        assert_int_equal(p[i], 0);
    }
    free(p);

    void *none = calloc(0, opaque(SIZE_MAX)); /* 0 bytes: no overflow */
    assert_non_null(none);
    free(none);
    assert_no_error();
}

static void test_calloc_overflow_fails_with_enomem(void **state)
{
    (void)state;
    const size_t half = (size_t)1 << (sizeof(size_t) * 4); /* half ^ 2 == 2 ^ bits */
    const size_t pairs[][2] = {
        {SIZE_MAX, 2}, {2, SIZE_MAX}, {SIZE_MAX / 2 + 1, 2}, {half, half}, {SIZE_MAX, SIZE_MAX}, {half + 1, half - 1},
    };
    for (unsigned i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        assert_null(calloc(opaque(pairs[i][0]), opaque(pairs[i][1])));
        assert_error(EA_MALLOC_ENOMEM);
        assert_heap_ok();
    }
    /* No overflow, but more than the heap holds. */
    assert_null(calloc(opaque(heap_stats().capacity), 2));
    assert_error(EA_MALLOC_ENOMEM);
}

/* ---- realloc ----------------------------------------------------------------------------- */

static void test_realloc_keeps_contents(void **state)
{
    (void)state;
    unsigned char *p = realloc(NULL, 24); /* realloc(NULL, n) is malloc(n) */
    assert_non_null(p);
    fill(p, 24, 1);
    p = realloc(p, 200);
    assert_non_null(p);
    assert_true(is_aligned(p, EA_ALIGN));
    assert_filled(p, 24, 1);
    fill(p, 200, 2);
    unsigned char *blocker = malloc(16); /* so the next growth may have to move */
    assert_non_null(blocker);
    p = realloc(p, 1000);
    assert_non_null(p);
    assert_filled(p, 200, 2);
    p = realloc(p, 40);
    assert_non_null(p);
    assert_filled(p, 40, 2);
    assert_heap_ok();
    free(p);
    free(blocker);
    assert_no_error();
}

static void test_realloc_to_zero_frees(void **state)
{
    (void)state;
    size_t used = heap_stats().used;
    void *p = malloc(100);
    assert_non_null(p);
    assert_null(realloc(p, 0));
    assert_int_equal(heap_stats().used, used);
    assert_no_error(); /* not a failure: errno stays as it was */
}

static void test_realloc_too_large_keeps_block(void **state)
{
    (void)state;
    unsigned char *p = malloc(64);
    assert_non_null(p);
    fill(p, 64, 3);
    size_t usable = malloc_usable_size(p);
    for (unsigned i = 0; i < TOO_LARGE_COUNT; i++) {
        assert_null(realloc(p, too_large(i)));
        assert_error(EA_MALLOC_ENOMEM);
        assert_filled(p, 64, 3);
        assert_int_equal(malloc_usable_size(p), usable);
        assert_heap_ok();
    }
    free(p);
}

/* ---- aligned_alloc -------------------------------------------------------------------------- */

static void test_aligned_alloc_powers_of_two(void **state)
{
    (void)state;
    for (size_t a = 1; a <= max_test_align(); a <<= 1) {
        void *p = aligned_alloc(a, a);
        assert_non_null(p);
        assert_true(is_aligned(p, a));
        assert_true(is_aligned(p, EA_ALIGN));
        fill(p, a, 4);
        free(p);
        assert_heap_ok();
    }
    assert_no_error();
}

static void test_aligned_alloc_size_not_multiple_accepted(void **state)
{
    (void)state;
    /* C11 made this undefined; C17 (DR 460) accepts it, and so does the shim. */
    static const size_t cases[][2] = {{64, 1}, {64, 65}, {32, 100}, {256, 10}, {16, 0}};
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        void *p = aligned_alloc(cases[i][0], cases[i][1]);
        assert_non_null(p);
        assert_true(is_aligned(p, cases[i][0]));
        assert_true(malloc_usable_size(p) >= cases[i][1]);
        free(p);
    }
    assert_no_error();
}

static void test_aligned_alloc_bad_alignment_fails_with_einval(void **state)
{
    (void)state;
    const size_t bad[] = {0, 3, 5, 6, 12, 24, 48, 100, 4095, SIZE_MAX, SIZE_MAX / 2 + 2};
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_null(aligned_alloc(opaque(bad[i]), 64));
        assert_error(EA_MALLOC_EINVAL);
    }
    assert_heap_ok();
}

static void test_aligned_alloc_out_of_memory(void **state)
{
    (void)state;
    assert_null(aligned_alloc(64, opaque(SIZE_MAX)));
    assert_error(EA_MALLOC_ENOMEM);
    assert_null(aligned_alloc(opaque(SIZE_MAX / 2 + 1), 1)); /* a power of two, but no heap has room for it */
    assert_error(EA_MALLOC_ENOMEM);
    assert_heap_ok();
}

/* ---- posix_memalign -------------------------------------------------------------------------- */

static void test_posix_memalign_valid(void **state)
{
    (void)state;
    for (size_t a = sizeof(void *); a <= max_test_align(); a <<= 1) {
        void *p = NULL;
        assert_int_equal(posix_memalign(&p, a, 3 * a + 1), 0);
        assert_non_null(p);
        assert_true(is_aligned(p, a));
        free(p);
        assert_int_equal(posix_memalign(&p, a, 0), 0);
        assert_non_null(p);
        free(p);
    }
    assert_no_error();
    assert_heap_ok();
}

static void test_posix_memalign_bad_alignment_returns_einval(void **state)
{
    (void)state;
    /* Not a power of two, or a power of two that is not a multiple of sizeof(void *). */
    const size_t bad[] = {0, 1, 2, sizeof(void *) / 2, 3 * sizeof(void *), 24, 48, 100, SIZE_MAX, SIZE_MAX / 2 + 2};
    void *sentinel = &sentinel;
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        void *p = sentinel;
        assert_int_equal(posix_memalign(&p, opaque(bad[i]), 64), EA_MALLOC_EINVAL);
        assert_ptr_equal(p, sentinel); /* untouched */
    }
    assert_no_error(); /* it returns the code; errno is not its channel */
    assert_heap_ok();
}

static void test_posix_memalign_out_of_memory_returns_enomem(void **state)
{
    (void)state;
    void *sentinel = &sentinel;
    for (unsigned i = 0; i < TOO_LARGE_COUNT; i++) {
        void *p = sentinel;
        assert_int_equal(posix_memalign(&p, 16, too_large(i)), EA_MALLOC_ENOMEM);
        assert_ptr_equal(p, sentinel);
    }
    void *p = sentinel;
    assert_int_equal(posix_memalign(&p, opaque(SIZE_MAX / 2 + 1), 1), EA_MALLOC_ENOMEM);
    assert_ptr_equal(p, sentinel);
    assert_no_error();
    assert_heap_ok();
}

/* ---- memalign -------------------------------------------------------------------------- */

static void test_memalign_rounds_alignment_up(void **state)
{
    (void)state;
    static const size_t cases[][2] = {{0, EA_ALIGN}, {1, EA_ALIGN}, {3, EA_ALIGN}, {48, 64},     {100, 128},
                                      {64, 64},       {65, 128},      {129, 256},     {1025, 2048}};
    for (unsigned i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        void *p = memalign(cases[i][0], 10);
        assert_non_null(p);
        assert_true(is_aligned(p, cases[i][1]));
        free(p);
    }
    assert_no_error();
    assert_heap_ok();
}

static void test_memalign_bad_input(void **state)
{
    (void)state;
    assert_null(memalign(opaque(SIZE_MAX), 1)); /* no power of two that large */
    assert_error(EA_MALLOC_EINVAL);
    assert_null(memalign(opaque(SIZE_MAX / 2 + 2), 1));
    assert_error(EA_MALLOC_EINVAL);
    assert_null(memalign(opaque(SIZE_MAX / 2 + 1), 1)); /* a power of two, too large for any heap */
    assert_error(EA_MALLOC_ENOMEM);
    assert_null(memalign(16, opaque(SIZE_MAX)));
    assert_error(EA_MALLOC_ENOMEM);
    assert_heap_ok();
}

/* ---- newlib's reentrant forms: the same calls, errors reported with their reent ----------------------- */

static void test_reentrant_forms(void **state)
{
    (void)state;
    /* The hooks only pass it on; the firmware harness's hook writes errno through it, so it must be real there. */
    struct _reent *r = malloc_test_reent_arg();
    unsigned char *p = _malloc_r(r, 40);
    assert_non_null(p);
    fill(p, 40, 5);
    assert_true(_malloc_usable_size_r(r, p) >= 40);
    p = _realloc_r(r, p, 400);
    assert_non_null(p);
    assert_filled(p, 40, 5);
    assert_null(_realloc_r(r, p, opaque(SIZE_MAX)));
    assert_ptr_equal(malloc_test_reent, r);
    assert_error(EA_MALLOC_ENOMEM);
    assert_filled(p, 40, 5);
    _free_r(r, p);

    unsigned char *z = _calloc_r(r, 8, 8);
    assert_non_null(z);
    for (unsigned i = 0; i < 64; i++) {
        assert_int_equal(z[i], 0);
    }
    _free_r(r, z);
    assert_null(_calloc_r(r, opaque(SIZE_MAX), 2));
    assert_ptr_equal(malloc_test_reent, r);
    assert_error(EA_MALLOC_ENOMEM);

    void *m = _memalign_r(r, 64, 10);
    assert_non_null(m);
    assert_true(is_aligned(m, 64));
    _free_r(r, m);
    assert_null(_memalign_r(r, opaque(SIZE_MAX), 1));
    assert_ptr_equal(malloc_test_reent, r);
    assert_error(EA_MALLOC_EINVAL);

    assert_null(_malloc_r(r, opaque(SIZE_MAX)));
    assert_ptr_equal(malloc_test_reent, r);
    assert_error(EA_MALLOC_ENOMEM);

    /* The plain calls report with no reent. */
    assert_null(malloc(opaque(SIZE_MAX)));
    assert_null(malloc_test_reent);
    assert_error(EA_MALLOC_ENOMEM);
    assert_heap_ok();
}

/* ---- the heap behind it --------------------------------------------------------------------------- */

static void test_stats_count_the_calls(void **state)
{
    (void)state;
    ea_stats_t before = heap_stats();
    void *p = malloc(50);
    assert_non_null(p);
    ea_stats_t during = heap_stats();
    assert_true(during.used > before.used);
    assert_int_equal(during.used_blocks, before.used_blocks + 1);
#if EA_STATS
    assert_int_equal(during.alloc_count, before.alloc_count + 1);
#endif
    free(p);
    ea_stats_t after = heap_stats();
    assert_int_equal(after.used, before.used);
#if EA_STATS
    assert_int_equal(after.free_count, before.free_count + 1);
#endif
}

/* A random mix of every call, contents checked, the heap checked after each step. */
static void test_random_mix(void **state)
{
    (void)state;
    enum { SLOTS = 24 };
    void *slot[SLOTS] = {0};
    size_t len[SLOTS] = {0};
    size_t limit = heap_stats().capacity / (SLOTS * 4);
    uint32_t rng = 12345;
    for (unsigned step = 0; step < 3000; step++) {
        rng = rng * 1664525u + 1013904223u;
        unsigned i = (rng >> 8) % SLOTS;
        size_t n = (size_t)((rng >> 12) % limit);
        unsigned op = (rng >> 28) & 7u;
        if (slot[i] != NULL) {
            assert_filled(slot[i], len[i], i);
        }
        if (op < 3 && slot[i] == NULL) {
            slot[i] = op == 0 ? malloc(n) : op == 1 ? calloc(1, n) : aligned_alloc(64, n);
            len[i] = slot[i] != NULL ? n : 0;
        } else if (op < 6) {
            void *q = realloc(slot[i], n);
            if (q != NULL || n == 0) {
                slot[i] = q;
                len[i] = q != NULL ? n : 0;
            }
        } else {
            free(slot[i]);
            slot[i] = NULL;
            len[i] = 0;
        }
        if (slot[i] != NULL) {
            fill(slot[i], len[i], i);
        }
        assert_heap_ok();
    }
    for (unsigned i = 0; i < SLOTS; i++) {
        free(slot[i]);
    }
    malloc_test_clear_error(); /* a full heap may have refused some requests on a small board */
}

/* Each case starts with a clean error record and must leave the heap as sound and as full as it found it. */
static size_t used_at_start;

static int case_setup(void **state)
{
    (void)state;
    malloc_test_clear_error();
    used_at_start = heap_stats().used;
    return 0;
}

static int case_teardown(void **state)
{
    (void)state;
    int rc = ea_malloc_check();
    if (rc != 0) {
        print_error("heap check failed: %d\n", rc);
        return -1;
    }
    if (heap_stats().used != used_at_start) {
        print_error("the case leaked: used %u, was %u\n", (unsigned)heap_stats().used, (unsigned)used_at_start);
        return -1;
    }
    return 0;
}

#define CASE(f) cmocka_unit_test_setup_teardown(f, case_setup, case_teardown)

const struct CMUnitTest malloc_cases[] = {
    CASE(test_malloc_aligns_and_sizes),
    CASE(test_malloc_zero_is_unique),
    CASE(test_malloc_too_large_fails_with_enomem),
    CASE(test_free_null_and_usable_size_null),
    CASE(test_owns),
    CASE(test_calloc_zeroes),
    CASE(test_calloc_overflow_fails_with_enomem),
    CASE(test_realloc_keeps_contents),
    CASE(test_realloc_to_zero_frees),
    CASE(test_realloc_too_large_keeps_block),
    CASE(test_aligned_alloc_powers_of_two),
    CASE(test_aligned_alloc_size_not_multiple_accepted),
    CASE(test_aligned_alloc_bad_alignment_fails_with_einval),
    CASE(test_aligned_alloc_out_of_memory),
    CASE(test_posix_memalign_valid),
    CASE(test_posix_memalign_bad_alignment_returns_einval),
    CASE(test_posix_memalign_out_of_memory_returns_enomem),
    CASE(test_memalign_rounds_alignment_up),
    CASE(test_memalign_bad_input),
    CASE(test_reentrant_forms),
    CASE(test_stats_count_the_calls),
    CASE(test_random_mix),
};
const size_t malloc_case_count = sizeof malloc_cases / sizeof malloc_cases[0];
