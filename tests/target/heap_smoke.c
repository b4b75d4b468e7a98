/*
 * The library on the board: a heap behind the board's critical-section port
 * (cortex-m: PRIMASK; riscv: mstatus.MIE). Allocates, frees, reallocates and
 * checks the heap after every step, and checks that every call leaves the
 * interrupt mask as it found it. Built once per back-end: llff by default,
 * tlsf with -DFW_TLSF (on the M0 and plain RV32 that runs the bit scans
 * without a CLZ instruction).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <ealloc/critical_section.h>
#include "fw_backend.h"

#include "fw.h"

#define HEAP_SIZE 4096

static heap_t heap = HEAP_EMPTY;

/* ---- the interrupt mask, read straight from the core ------------------------------ */

static bool interrupts_enabled(void)
{
#if defined(__arm__)
    uint32_t primask;
    __asm__ volatile("mrs %0, primask" : "=r"(primask));
    return (primask & 1u) == 0;
#elif defined(__riscv)
    uintptr_t mstatus;
    __asm__ volatile("csrr %0, mstatus" : "=r"(mstatus));
    return (mstatus & 8u) != 0;
#endif
}

/* No interrupt source is enabled in this image, so unmasking is harmless. */
static void enable_interrupts(void)
{
#if defined(__arm__)
    __asm__ volatile("cpsie i" ::: "memory");
#elif defined(__riscv)
    __asm__ volatile("csrs mstatus, %0" : : "r"((uintptr_t)8) : "memory");
#endif
}

static void disable_interrupts(void)
{
#if defined(__arm__)
    __asm__ volatile("cpsid i" ::: "memory");
#elif defined(__riscv)
    __asm__ volatile("csrc mstatus, %0" : : "r"((uintptr_t)8) : "memory");
#endif
}

static int init_heap(void **state)
{
    (void)state;
#ifdef FW_TLSF
    EA_INIT(tlsf, &heap, HEAP_SIZE);
#else
    EA_INIT(llff, &heap, HEAP_SIZE);
#endif
    return H(check)(&heap);
}

static void assert_heap_ok(void)
{
    ea_stats_t st;
    assert_int_equal(H(check)(&heap), 0);
    H(stats)(&heap, &st);
    assert_uint_equal(st.used + st.free, st.capacity);
}

/* ---- tests -------------------------------------------------------------------------- */

static void fresh_heap_is_empty(void **state)
{
    (void)state;
    ea_stats_t st;
    H(stats)(&heap, &st);
    print_message("capacity %zu of %u bytes, largest free block %zu\n", st.capacity, HEAP_SIZE, st.largest_free);
    assert_in_range(st.capacity, HEAP_SIZE / 2, HEAP_SIZE);
    assert_uint_equal(H(used)(&heap), 0);
    assert_uint_equal(H(free_bytes)(&heap), st.capacity);
    assert_heap_ok();
}

static void alloc_free_round_trip(void **state)
{
    (void)state;
    void *p[16];
    for (size_t i = 0; i < 16; i++) {
        p[i] = H(alloc)(&heap, 8 + i * 13);
        assert_non_null(p[i]);
        assert_int_equal((uintptr_t)p[i] % EA_ALIGN, 0);
        assert_true(H(usable_size)(&heap, p[i]) >= 8 + i * 13);
        memset(p[i], (int)i, 8 + i * 13);
        assert_heap_ok();
    }
    /* Free every other block, then the rest: the heap must coalesce back to one free block. */
    for (size_t i = 0; i < 16; i += 2) {
        H(free)(&heap, p[i]);
        assert_heap_ok();
    }
    for (size_t i = 1; i < 16; i += 2) {
        const unsigned char *bytes = p[i];
        for (size_t k = 0; k < 8 + i * 13; k++) {
            assert_int_equal(bytes[k], i);
        }
        H(free)(&heap, p[i]);
        assert_heap_ok();
    }
    assert_uint_equal(H(used)(&heap), 0);
}

static void calloc_and_realloc(void **state)
{
    (void)state;
    unsigned char *z = H(calloc)(&heap, 10, 10);
    assert_non_null(z);
    for (size_t i = 0; i < 100; i++) {
        assert_int_equal(z[i], 0);
    }
    assert_null(H(calloc)(&heap, SIZE_MAX / 2, 4)); /* n * size overflows */

    char *s = H(alloc)(&heap, 16);
    assert_non_null(s);
    memcpy(s, "ealloc-firmware", 16);
    s = H(realloc)(&heap, s, 600);
    assert_non_null(s);
    assert_memory_equal(s, "ealloc-firmware", 16);
    assert_heap_ok();
    s = H(realloc)(&heap, s, 8);
    assert_non_null(s);
    assert_memory_equal(s, "ealloc-f", 8);
    H(free)(&heap, s);
    H(free)(&heap, z);
    assert_heap_ok();
    assert_uint_equal(H(used)(&heap), 0);
}

static void aligned_allocations(void **state)
{
    (void)state;
    for (size_t align = 1; align <= 256; align *= 2) {
        void *p = H(alloc_aligned)(&heap, align, 24);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % align, 0);
        H(free)(&heap, p);
        assert_heap_ok();
    }
    assert_null(H(alloc_aligned)(&heap, 24, 8)); /* not a power of two */
    assert_uint_equal(H(used)(&heap), 0);
}

static void exhaustion_returns_null(void **state)
{
    (void)state;
    void *blocks[HEAP_SIZE / 16];
    size_t n = 0;
    while (n < sizeof blocks / sizeof blocks[0] && (blocks[n] = H(alloc)(&heap, 64)) != NULL) {
        n++;
    }
    assert_true(n > 4);
    assert_null(H(alloc)(&heap, 64));
    assert_null(H(alloc)(&heap, HEAP_SIZE));
    assert_heap_ok();
    while (n > 0) {
        H(free)(&heap, blocks[--n]);
    }
    assert_heap_ok();
    assert_uint_equal(H(used)(&heap), 0);
}

static void port_masks_and_restores_interrupts(void **state)
{
    (void)state;
    enable_interrupts();
    assert_true(interrupts_enabled());

    ea_cs_state_t outer = ea_cs_enter();
    assert_false(interrupts_enabled());
    ea_cs_state_t inner = ea_cs_enter(); /* nested: must not unmask on its exit */
    assert_false(interrupts_enabled());
    ea_cs_exit(inner);
    assert_false(interrupts_enabled());
    ea_cs_exit(outer);
    assert_true(interrupts_enabled());

    /* Every heap call leaves the mask as it found it: unmasked ... */
    void *p = H(alloc)(&heap, 32);
    assert_true(interrupts_enabled());
    H(free)(&heap, p);
    assert_true(interrupts_enabled());

    /* ... or masked, when called from a section of the caller's own. */
    disable_interrupts();
    p = H(alloc)(&heap, 32);
    assert_false(interrupts_enabled());
    H(free)(&heap, p);
    assert_false(interrupts_enabled());
    assert_int_equal(H(check)(&heap), 0);
    assert_false(interrupts_enabled());
    enable_interrupts();
    assert_heap_ok();
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(fresh_heap_is_empty),
        cmocka_unit_test(alloc_free_round_trip),
        cmocka_unit_test(calloc_and_realloc),
        cmocka_unit_test(aligned_allocations),
        cmocka_unit_test(exhaustion_returns_null),
        cmocka_unit_test(port_masks_and_restores_interrupts),
    };
    return cmocka_run_group_tests_name("heap_smoke_" BACKEND, tests, init_heap, NULL);
}
