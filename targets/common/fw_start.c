/*
 * What every board does after its reset code has a stack: initialise memory
 * as the linker script laid it out, run constructors, call main and turn its
 * result into QEMU's exit status. Also the C library's exit paths (_exit,
 * abort) and the default ea_panic, so that every way a firmware can stop ends
 * QEMU with a status that says why.
 */
#include "fw.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ealloc/ealloc.h"

/* From the linker script (sections.ld of the architecture). */
extern unsigned char __data_load[], __data_start[], __data_end[];
extern unsigned char __bss_start[], __bss_end[];
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

#define STACK_PAINT 0x5EA15EA1u

/* Fills the stack below the caller's frame (and a margin) with STACK_PAINT. */
static void paint_stack(void)
{
    volatile uint32_t here = 0;
    uint32_t *end = (uint32_t *)((uintptr_t)&here & ~(uintptr_t)3) - 64;
    for (uint32_t *p = (uint32_t *)(void *)__stack_limit; p < end; p++) {
        *p = STACK_PAINT;
    }
}

size_t fw_stack_used(void)
{
    const uint32_t *p = (const uint32_t *)(const void *)__stack_limit;
    while ((const unsigned char *)p < __stack_top && *p == STACK_PAINT) {
        p++;
    }
    return (size_t)(__stack_top - (const unsigned char *)p);
}

void fw_start(void)
{
    paint_stack();
    /* Nothing in .data or .bss may be used before these two lines. */
    if ((uintptr_t)__data_load != (uintptr_t)__data_start) { /* equal where the image runs from RAM */
        memcpy(__data_start, __data_load, (size_t)(__data_end - __data_start));
    }
    memset(__bss_start, 0, (size_t)(__bss_end - __bss_start));

    for (void (**ctor)(void) = __init_array_start; ctor < __init_array_end; ctor++) {
        (*ctor)();
    }
    fw_exit(main() == 0 ? FW_EXIT_OK : FW_EXIT_FAILURE);
}

/* exit() of the C library ends here. */
void _exit(int status)
{
    fw_exit(status == 0 ? FW_EXIT_OK : FW_EXIT_FAILURE);
}

void abort(void)
{
    fw_puts("abort() called");
    fw_exit(FW_EXIT_ABORT);
}

/*
 * newlib's malloc grows its heap with _sbrk. The firmware gives the C
 * library no heap of its own (memory belongs to ealloc), so this refuses,
 * and says so once: newlib's malloc then returns NULL. Weak, so a firmware
 * may provide a real one, or one that records calls. (picolibc's malloc uses
 * the linker symbols __heap_start/__heap_end instead, which riscv/sections.ld
 * sets to an empty range.)
 */
__attribute__((weak)) void *_sbrk(ptrdiff_t increment)
{
    static int reported;
    if (!reported) {
        reported = 1;
        fw_printf("fw: _sbrk(%ld) refused: the C library has no heap in this firmware\n", (long)increment);
    }
    errno = ENOMEM;
    return (void *)-1;
}

/*
 * Replaces the library's trapping default (this object is linked directly,
 * so it comes before libealloc.a); weak, so a test that catches panics with
 * its own ea_panic replaces this one in turn.
 */
__attribute__((weak)) void ea_panic(ea_fault_t why, const char *detail)
{
    fw_printf("ea_panic: %s (%d): %s\n", ea_fault_name(why), (int)why, detail != NULL ? detail : "");
    fw_exit(FW_EXIT_PANIC);
}
