/*
 * The start-up code and the board's memory map, checked on the board:
 * .data is copied, .bss zeroed, constructors run, the stack lies where the
 * linker script put it, and every RAM bank the linker script documents can be
 * written and read back at both ends (a wrong address faults, and the fault
 * handler stops QEMU with FW_EXIT_FAULT).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fw.h"

extern unsigned char __stack_top[], __stack_limit[];
extern unsigned char __data_start[], __fw_free_start[];

static volatile uint32_t initialised = 0x12345678u;
static volatile uint32_t zeroed;
static volatile uint32_t zeroed_array[64];
static volatile int constructor_ran;

__attribute__((constructor)) static void constructor(void)
{
    /* Runs after .data and .bss are set up. */
    constructor_ran = (initialised == 0x12345678u && zeroed == 0) ? 1 : -1;
}

static void data_is_copied_and_bss_zeroed(void **state)
{
    (void)state;
    assert_uint_equal(initialised, 0x12345678u);
    assert_uint_equal(zeroed, 0);
    for (size_t i = 0; i < sizeof zeroed_array / sizeof zeroed_array[0]; i++) {
        assert_uint_equal(zeroed_array[i], 0);
    }
}

static void constructors_run_after_memory_setup(void **state)
{
    (void)state;
    assert_int_equal(constructor_ran, 1);
}

static void stack_is_inside_its_reservation(void **state)
{
    (void)state;
    volatile int local = 0;
    uintptr_t sp = (uintptr_t)&local;
    print_message("stack [%p, %p), a local at %p\n", (void *)__stack_limit, (void *)__stack_top, (void *)sp);
    assert_in_range(sp, (uintptr_t)__stack_limit, (uintptr_t)__stack_top - 1);
    assert_int_equal((uintptr_t)__stack_top % 8, 0);
}

static void errno_is_usable(void **state)
{
    (void)state;
    /* picolibc keeps errno thread-local (tp-relative); newlib in its reentrancy struct. */
    uintptr_t at = (uintptr_t)&errno;
    print_message("errno at %p\n", (void *)at);
    assert_in_range(at, (uintptr_t)__data_start, (uintptr_t)__fw_free_start - 1);
    errno = 0;
    assert_int_equal(errno, 0);
    errno = ERANGE;
    assert_int_equal(errno, ERANGE);
}

/* Write a pattern at the first and last words of [start, end) and read it back. */
static void probe(const char *what, void *start, void *end)
{
    volatile uint32_t *first = start;
    volatile uint32_t *last = (volatile uint32_t *)((uintptr_t)end - 4);
    print_message("%-10s [%p, %p) %lu KiB\n", what, start, end,
                  (unsigned long)(((uintptr_t)end - (uintptr_t)start) / 1024));
    assert_true((uintptr_t)end > (uintptr_t)start);
    *first = 0xA5A5F00Du;
    *last = 0x5A5A0FF1u;
    assert_uint_equal(*first, 0xA5A5F00Du);
    assert_uint_equal(*last, 0x5A5A0FF1u);
}

static void free_ram_is_usable(void **state)
{
    (void)state;
    assert_true((uintptr_t)fw_free_ram_end - (uintptr_t)fw_free_ram_start >= 4096);
    assert_int_equal((uintptr_t)fw_free_ram_start % 8, 0);
    probe("free RAM", fw_free_ram_start, fw_free_ram_end);
}

static void second_bank_is_usable(void **state)
{
    (void)state;
#ifdef FW_HAVE_RAM2
    probe("RAM2", fw_ram2_start, fw_ram2_end);
#else
    skip(); /* one RAM bank on this board */
#endif
}

/* Defined by the AN385/AN386 linker scripts only; weak, so 0 elsewhere. */
extern unsigned char __fw_blockram_start[] __attribute__((weak));
extern unsigned char __fw_blockram_end[] __attribute__((weak));

static void block_ram_is_usable(void **state)
{
    (void)state;
    if (__fw_blockram_start == NULL || __fw_blockram_end == NULL) {
        skip(); /* no block RAM on this board */
    }
    probe("block RAM", __fw_blockram_start, __fw_blockram_end);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(data_is_copied_and_bss_zeroed),
        cmocka_unit_test(constructors_run_after_memory_setup),
        cmocka_unit_test(stack_is_inside_its_reservation),
        cmocka_unit_test(errno_is_usable),
        cmocka_unit_test(free_ram_is_usable),
        cmocka_unit_test(second_bank_is_usable),
        cmocka_unit_test(block_ram_is_usable),
    };
    return cmocka_run_group_tests_name("memory_map", tests, NULL, NULL);
}
