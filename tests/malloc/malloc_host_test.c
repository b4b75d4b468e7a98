/*
 * The malloc shim on the host, against a copy whose functions are renamed
 * (malloc -> ea_renamed_malloc, ..., see CMakeLists.txt), so that this
 * process, cmocka and the sanitizers keep the C library's malloc. The copy
 * sits on the counting port, so every test also checks that each call
 * leaves its critical sections in order.
 *
 * Order: the before-init cases (the grow hook refuses), then the grow hook
 * initialises the heap on demand (as the LD_PRELOAD library does), then the
 * shared contract (malloc_cases.c), then the grow hook's other paths, double
 * init, and — in the EA_MALLOC_FOREIGN_CHECK build — foreign pointers.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include <ealloc/malloc.h>

#include "ea_port.h" /* the counting port */
#include "malloc_cases.h"

_Static_assert(EA_MALLOC_ENOMEM == ENOMEM, "EA_MALLOC_ENOMEM differs from this C library's ENOMEM");
_Static_assert(EA_MALLOC_EINVAL == EINVAL, "EA_MALLOC_EINVAL differs from this C library's EINVAL");

/* ---- hooks ------------------------------------------------------------------------------ */

void ea_malloc_errno_hook(struct _reent *reent, int code)
{
    malloc_test_record_error(reent, code);
}

static struct {
    int dummy;
} fake_reent_state;

struct _reent *malloc_test_reent_arg(void)
{
    return (struct _reent *)(void *)&fake_reent_state; /* only passed through, never read */
}

static jmp_buf panic_jump;
static bool panic_armed;
static ea_fault_t panic_fault;
static unsigned panic_sections; /* critical sections still open when ea_panic ran: must be 0 */

void ea_panic(ea_fault_t why, const char *detail)
{
    if (panic_armed) {
        panic_armed = false;
        panic_fault = why;
        panic_sections = ea_test_cs_depth;
        longjmp(panic_jump, 1);
    }
    fprintf(stderr, "unexpected ea_panic %d: %s\n", (int)why, detail != NULL ? detail : "");
    __builtin_trap();
}

/* Memory the grow hook hands out: carved from one static pool, never returned. */
#define POOL_BYTES (16u * 1024 * 1024)
#define INIT_BYTES (256u * 1024)
static _Alignas(max_align_t) unsigned char pool[POOL_BYTES];
static size_t pool_used;

static void *pool_take(size_t n)
{
    n = (n + 63) & ~(size_t)63;
    if (n > POOL_BYTES - pool_used) {
        return NULL;
    }
    void *p = pool + pool_used;
    pool_used += n;
    return p;
}

enum grow_mode {
    GROW_REFUSE, /* return false */
    GROW_INIT,   /* initialise the heap with INIT_BYTES, then refuse */
    GROW_ADD,    /* add a region large enough for the request */
    GROW_TINY    /* add a region far too small, and claim success */
};
static enum grow_mode grow_mode = GROW_REFUSE;
static unsigned grow_calls;
static size_t grow_size, grow_align;
static unsigned grow_depth; /* critical sections open when the hook ran */

bool ea_malloc_grow_hook(size_t size, size_t align)
{
    grow_calls++;
    grow_size = size;
    grow_align = align;
    grow_depth = ea_test_cs_depth;
    switch (grow_mode) {
    case GROW_REFUSE:
        return false;
    case GROW_INIT:
        grow_mode = GROW_REFUSE;
        ea_malloc_init(pool_take(INIT_BYTES), INIT_BYTES);
        return true;
    case GROW_ADD: {
        if (size > POOL_BYTES || align > POOL_BYTES) {
            return false;
        }
        size_t n = size + align + 1024;
        void *region = pool_take(n);
        return region != NULL && ea_malloc_add_region(region, n);
    }
    case GROW_TINY: {
        void *region = pool_take(256);
        return region != NULL && ea_malloc_add_region(region, 256);
    }
    }
    return false;
}

/* The back-end's failure hook: once per failed attempt (the retry's inside the slow path's section,
 * as <ealloc/malloc.h> says). */
static unsigned oom_calls;
static unsigned oom_sections; /* sections open when it last ran */

void ea_oom_hook(void *h, size_t size, size_t align)
{
    (void)h;
    (void)size;
    (void)align;
    oom_calls++;
    oom_sections = ea_test_cs_depth;
}

/*
 * memcpy, seen through the linker (-Wl,--wrap=memcpy, CMakeLists.txt): a copy
 * of exactly copy_watch bytes records the sections open while it ran — a
 * realloc's copy must run outside the shim's.
 */
void *__real_memcpy(void *dst, const void *src, size_t n);
static size_t copy_watch;
static unsigned copy_seen;
static unsigned copy_sections;

void *__wrap_memcpy(void *dst, const void *src, size_t n)
{
    if (n == copy_watch && n != 0) {
        copy_seen++;
        copy_sections = ea_test_cs_depth;
    }
    return __real_memcpy(dst, src, n);
}

static unsigned foreign_calls;
static void *foreign_last;
static unsigned foreign_sections; /* critical sections open when the hook ran (its default panics): must be 0 */

void ea_malloc_foreign_hook(void *p)
{
    foreign_calls++;
    foreign_last = p;
    foreign_sections += ea_test_cs_depth;
}

/* ---- fixtures ------------------------------------------------------------------------- */

static int host_setup(void **state)
{
    (void)state;
    malloc_test_clear_error();
    grow_calls = 0;
    grow_mode = GROW_REFUSE;
    oom_calls = 0;
    copy_watch = 0;
    copy_seen = 0;
    return 0;
}

/* Every critical section entered was left, in order. */
static int host_teardown(void **state)
{
    (void)state;
    grow_mode = GROW_REFUSE;
    if (ea_test_cs_depth != 0 || ea_test_cs_misnested != 0) {
        print_error("critical sections: depth %u, misnested %lu\n", ea_test_cs_depth, ea_test_cs_misnested);
        return -1;
    }
    return ea_malloc_check() == 0 ? 0 : -1;
}

static size_t capacity(void)
{
    ea_stats_t s;
    ea_malloc_stats(&s);
    return s.capacity;
}

static size_t used(void)
{
    ea_stats_t s;
    ea_malloc_stats(&s);
    return s.used;
}

/* ---- the grow hook ---------------------------------------------------------------------- */

static void test_before_init_asks_the_grow_hook(void **state)
{
    (void)state;
    assert_null(malloc(5));
    assert_int_equal(grow_calls, 1);
    assert_int_equal(grow_size, 5);
    assert_int_equal(grow_align, EA_ALIGN);
    assert_int_equal(grow_depth, 1 + EA_TRACE); /* inside the shim's own section (and the trace scope's) */
    assert_int_equal(malloc_test_error, EA_MALLOC_ENOMEM);
    assert_null(aligned_alloc(256, 7));
    assert_int_equal(grow_size, 7);
    assert_int_equal(grow_align, 256);
}

static void test_grow_hook_initialises_the_heap(void **state)
{
    (void)state;
    grow_mode = GROW_INIT;
    void *p = malloc(100);
    assert_non_null(p);
    assert_int_equal(grow_calls, 1);
    assert_true(capacity() > INIT_BYTES - 1024);
    free(p);
    assert_int_equal(used(), 0);
}

static void test_double_init_panics(void **state)
{
    (void)state;
    size_t cap = capacity();
    panic_armed = true;
    if (setjmp(panic_jump) == 0) {
        ea_malloc_init(pool_take(4096), 4096);
        fail_msg("ea_malloc_init on an initialised heap returned");
    }
    assert_int_equal(panic_fault, EA_FAULT_DOUBLE_INIT);
    assert_int_equal(panic_sections, 0);
    panic_armed = true;
    if (setjmp(panic_jump) == 0) {
        EA_MALLOC_INIT(4096);
        fail_msg("EA_MALLOC_INIT on an initialised heap returned");
    }
    assert_int_equal(panic_fault, EA_FAULT_DOUBLE_INIT);
    assert_int_equal(panic_sections, 0);
    assert_int_equal(capacity(), cap);
}

static void test_grow_hook_adds_a_region_for_a_large_request(void **state)
{
    (void)state;
    size_t n = capacity() + 4096;
    grow_mode = GROW_ADD;
    unsigned char *p = malloc(n);
    assert_non_null(p);
    assert_int_equal(grow_calls, 1);
    assert_int_equal(grow_size, n);
    memset(p, 0x5A, n);
    assert_int_equal(ea_malloc_check(), 0);
    free(p);
    assert_int_equal(malloc_test_error_calls, 0);
}

static void test_grow_hook_for_aligned_requests(void **state)
{
    (void)state;
    size_t n = capacity() + 1000;
    grow_mode = GROW_ADD;
    void *p = aligned_alloc(1024, n);
    assert_non_null(p);
    assert_true(((uintptr_t)p & 1023) == 0);
    assert_int_equal(grow_align, 1024);
    free(p);
    n = capacity() + 1000;
    void *q = NULL;
    assert_int_equal(posix_memalign(&q, 2048, n), 0);
    assert_non_null(q);
    assert_true(((uintptr_t)q & 2047) == 0);
    assert_int_equal(grow_size, n);
    assert_int_equal(grow_align, 2048);
    free(q);
}

static void test_grow_hook_lets_realloc_move(void **state)
{
    (void)state;
    unsigned char *p = malloc(100);
    assert_non_null(p);
    for (unsigned i = 0; i < 100; i++) {
        p[i] = (unsigned char)i;
    }
    size_t n = capacity() + 2000;
    grow_mode = GROW_ADD;
    copy_watch = malloc_usable_size(p); /* the move copies the whole old block */
    unsigned char *q = realloc(p, n);
    assert_non_null(q);
    assert_int_equal(grow_size, n);
    for (unsigned i = 0; i < 100; i++) {
        assert_int_equal(q[i], i);
    }
    /* The retry took the block inside the section that grew the heap; the copy ran after it. */
    assert_int_equal(copy_seen, 1);
    assert_int_equal(copy_sections, EA_TRACE);
    assert_int_equal(oom_calls, 1); /* the first attempt only */
    free(q);
}

static void test_grow_hook_that_does_not_help(void **state)
{
    (void)state;
    size_t n = capacity() + 1;
    grow_mode = GROW_TINY;
    assert_null(malloc(n));
    assert_int_equal(grow_calls, 1); /* asked once, one retry, then ENOMEM */
    assert_int_equal(malloc_test_error, EA_MALLOC_ENOMEM);
    /* The failure hook ran for both attempts; for the retry, inside the shim's section. */
    assert_int_equal(oom_calls, 2);
    assert_true(oom_sections > EA_TRACE);
    grow_mode = GROW_REFUSE;
    unsigned char *p = malloc(16);
    assert_non_null(p);
    assert_null(realloc(p, capacity()));
    assert_int_equal(grow_calls, 2);
    assert_int_equal(oom_calls, 3); /* refused: no retry, so no second report */
    grow_mode = GROW_TINY;
    copy_watch = malloc_usable_size(p);
    assert_null(realloc(p, capacity() + 1));
    assert_int_equal(grow_calls, 3);
    assert_int_equal(oom_calls, 5);
    assert_int_equal(copy_seen, 0); /* nothing copied: p stays where it was */
    assert_true(malloc_usable_size(p) >= 16);
    free(p);
}

static void test_the_fast_path_does_not_ask(void **state)
{
    (void)state;
    void *p = malloc(64);
    void *q = calloc(4, 4);
    p = realloc(p, 128);
    assert_non_null(p);
    assert_non_null(q);
    free(p);
    free(q);
    assert_int_equal(grow_calls, 0);
}

/* ---- foreign pointers ------------------------------------------------------------------- */

static void test_foreign_pointers(void **state)
{
    (void)state;
    static unsigned char outside[64];
    unsigned char *mine = malloc(32);
    assert_non_null(mine);
    size_t before = used();
    foreign_calls = 0;
    foreign_sections = 0;
#if EA_MALLOC_FOREIGN_CHECK
    free(outside + 16);
    assert_int_equal(foreign_calls, 1);
    assert_ptr_equal(foreign_last, outside + 16);
    assert_null(realloc(outside + 16, 10));
    assert_int_equal(malloc_test_error, EA_MALLOC_ENOMEM);
    assert_int_equal(foreign_calls, 2);
    assert_int_equal(malloc_usable_size(outside + 16), 0);
    assert_int_equal(foreign_calls, 3);
    _free_r(NULL, outside + 16);
    assert_int_equal(foreign_calls, 4);
    assert_int_equal(used(), before);
#else
    (void)outside;
    (void)before;
#endif
    /* The heap's own blocks never reach the hook. */
    mine = realloc(mine, 64);
    assert_non_null(mine);
    assert_true(malloc_usable_size(mine) >= 64);
    free(mine);
    assert_int_equal(foreign_calls, EA_MALLOC_FOREIGN_CHECK ? 4 : 0);
    assert_int_equal(foreign_sections, 0);
}

#define HOST(f) cmocka_unit_test_setup_teardown(f, host_setup, host_teardown)

static const struct CMUnitTest init_tests[] = {
    HOST(test_before_init_asks_the_grow_hook),
    HOST(test_grow_hook_initialises_the_heap),
    HOST(test_double_init_panics),
};

static const struct CMUnitTest grow_tests[] = {
    HOST(test_the_fast_path_does_not_ask),
    HOST(test_grow_hook_adds_a_region_for_a_large_request),
    HOST(test_grow_hook_for_aligned_requests),
    HOST(test_grow_hook_lets_realloc_move),
    HOST(test_grow_hook_that_does_not_help),
    HOST(test_foreign_pointers),
};

int main(void)
{
    int failed = _cmocka_run_group_tests("malloc before init", malloc_before_init_cases,
                                         malloc_before_init_case_count, NULL, NULL);
    failed += cmocka_run_group_tests_name("malloc init on demand", init_tests, NULL, NULL);
    failed += _cmocka_run_group_tests("malloc contract", malloc_cases, malloc_case_count, NULL, NULL);
    failed += cmocka_run_group_tests_name("malloc grow hook and foreign pointers", grow_tests, NULL, NULL);
    if (ea_test_cs_depth != 0 || ea_test_cs_misnested != 0) {
        fprintf(stderr, "critical sections unbalanced at exit\n");
        failed++;
    }
    return failed != 0;
}
