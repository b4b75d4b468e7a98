/*
 * Support for the firmware images that run ealloc's tests under QEMU:
 * printing through semihosting, exiting with a status, and the memory the
 * board's linker script leaves free.
 *
 * Start-up: the board's reset code sets up the stack, copies .data, zeroes
 * .bss, runs constructors and calls main(); main's return value becomes QEMU's
 * exit status: 0 if main returned 0, FW_EXIT_FAILURE otherwise.
 */
#ifndef EALLOC_FW_H
#define EALLOC_FW_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "semihost.h"

/* Exit statuses of a firmware run (QEMU's own exit status). */
enum {
    FW_EXIT_OK = 0,      /* main returned 0 */
    FW_EXIT_FAILURE = 1, /* main returned non-zero: a test failed */
    FW_EXIT_PANIC = 2,   /* ea_panic was called and nobody caught it */
    FW_EXIT_FAULT = 3,   /* a CPU fault, trap or unexpected interrupt */
    FW_EXIT_ABORT = 4    /* abort() */
};

/* The board this image was built for, e.g. "mps2-an386" (from the build). */
#ifndef FW_BOARD
#define FW_BOARD "unknown"
#endif

/*
 * printf-style output on the host's stdout, without the C library's stdio
 * (no heap, no system calls). Conversions: %d %i %u %x %X %o %p %s %c %%,
 * with the length modifiers hh h l ll z j t, the flags - 0 + space #, a width
 * and a precision (numbers, or * from the arguments). No floating point.
 * Output is kept in a line buffer and sent at each newline, at fw_flush(),
 * and when the buffer is full.
 */
__attribute__((format(printf, 1, 2))) int fw_printf(const char *fmt, ...);
int fw_vprintf(const char *fmt, va_list ap);
void fw_puts(const char *s); /* s and a newline */
void fw_putc(char c);
void fw_flush(void);

/* Format into buf (always NUL-terminated when size > 0); the length the whole output would have. */
__attribute__((format(printf, 3, 4))) int fw_snprintf(char *buf, size_t size, const char *fmt, ...);
int fw_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Flush the output and stop QEMU with this exit status. */
__attribute__((noreturn)) void fw_exit(int status);

/*
 * RAM that the image leaves unused, from the board's linker script:
 * [fw_free_ram_start, fw_free_ram_end) lies between the end of .bss and the
 * stack's lowest address. Boards with a second RAM bank that the image never
 * touches (FW_HAVE_RAM2, e.g. the mps2 PSRAM) also give [fw_ram2_start, fw_ram2_end).
 */
extern unsigned char __fw_free_start[], __fw_free_end[];
#define fw_free_ram_start ((void *)__fw_free_start)
#define fw_free_ram_end ((void *)__fw_free_end)
#ifdef FW_HAVE_RAM2
extern unsigned char __fw_ram2_start[], __fw_ram2_end[];
#define fw_ram2_start ((void *)__fw_ram2_start)
#define fw_ram2_end ((void *)__fw_ram2_end)
#endif

/*
 * p raised to the next 64 KiB boundary, where the benchmarks lay their arena
 * in free RAM, as the mps2 boards' second bank starts on one: where an aligned
 * request lands depends on the arena's address modulo its alignment, which
 * must not move with the size of the image.
 */
static inline void *fw_on_64k_boundary(void *p)
{
    return (void *)(((uintptr_t)p + 0xffffu) & ~(uintptr_t)0xffffu);
}

/*
 * The stack: [__stack_limit, __stack_top), from the linker script. fw_start
 * fills the unused part with a pattern; fw_stack_used() is the high-water
 * mark, the bytes from the top down to the deepest word ever written.
 * fw_exit prints it, and stops with FW_EXIT_FAULT if the whole stack was
 * used (an overflow, most likely into the RAM below it).
 */
extern unsigned char __stack_limit[], __stack_top[];
size_t fw_stack_used(void);

/* Called by the reset code once the stack works; never returns. */
__attribute__((noreturn)) void fw_start(void);

/* The firmware's own entry point, called by fw_start(). */
int main(void);

#endif /* EALLOC_FW_H */
