/*
 * Example: a heap in a named linker section.
 *
 * The heap's memory is an ordinary static array, but the compiler puts it in
 * the section .ealloc_heap instead of .bss, and the linker script decides
 * where that section goes:
 *
 *     .ealloc_heap (NOLOAD) : ALIGN(8) { KEEP(*(.ealloc_heap .ealloc_heap.*)) } > PSRAM
 *
 * NOLOAD: the section takes no room in the image and the start-up code does
 * not zero it (ealloc does not need zeroed memory, and zeroing a large heap
 * at every reset costs time). The code does not change when the heap moves
 * to another bank: only the linker script does. Here the firmware build links
 * this example for the mps2 boards with heap_in_psram.ld (the heap in the
 * 16 MiB PSRAM), and for the boards with a single RAM bank with the board's
 * own script (the heap in the RAM, after .bss).
 *
 * Output: where the buffer landed, which bank that is, and a few objects
 * allocated from it. The run fails (status 1) if anything is not where it
 * should be.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <ealloc/llff.h>

#include "fw.h"

#ifndef HEAP_SIZE
#define HEAP_SIZE (8 * 1024)
#endif

/* The heap's memory, in the named section. */
static unsigned char heap_memory[HEAP_SIZE] __attribute__((section(".ealloc_heap"), aligned(8)));

static ea_llff_t heap = EA_LLFF_EMPTY;

/* From the linker script: the bank .ealloc_heap was placed in, and the main RAM. */
extern unsigned char __fw_heap_bank_start[], __fw_heap_bank_end[];
extern unsigned char __data_start[], __stack_top[];

static bool within(const void *p, size_t n, const void *start, const void *end)
{
    uintptr_t a = (uintptr_t)p;
    return a >= (uintptr_t)start && a + n <= (uintptr_t)end;
}

static int failures;

static void require(bool ok, const char *what)
{
    if (!ok) {
        fw_printf("FAILED: %s\n", what);
        failures++;
    }
}

int main(void)
{
    fw_printf("section_heap on %s: the heap's memory is placed by the linker script\n", FW_BOARD);
    fw_printf("  heap_memory: %u bytes at %p, section .ealloc_heap\n", (unsigned)sizeof heap_memory,
              (void *)heap_memory);
    fw_printf("  bank of .ealloc_heap: [%p, %p)\n", (void *)__fw_heap_bank_start, (void *)__fw_heap_bank_end);
    require(within(heap_memory, sizeof heap_memory, __fw_heap_bank_start, __fw_heap_bank_end),
            "heap_memory lies in the bank the linker script chose");
#ifdef EXPECT_HEAP_OUTSIDE_MAIN_RAM
    /* The script put the section in another bank than the one holding .data, .bss and the stack. */
    bool in_main_ram = within(heap_memory, 1, __data_start, __stack_top);
    fw_printf("  main RAM (.data .bss stack): [%p, %p): the heap is %s\n", (void *)__data_start,
              (void *)__stack_top, in_main_ram ? "in it" : "elsewhere");
    require(!in_main_ram, "heap_memory is outside the main RAM");
#endif

    ea_llff_init(&heap, heap_memory, sizeof heap_memory);
    ea_stats_t st;
    ea_llff_stats(&heap, &st);
    fw_printf("  heap: capacity %zu bytes\n", st.capacity);

    /* A few objects of the program, all from the section. */
    static const char *const names[] = {"config", "rx buffer", "tx buffer", "log line", "sensor table"};
    void *objects[5];
    for (unsigned i = 0; i < 5; i++) {
        size_t size = 48u << i;
        objects[i] = ea_llff_alloc(&heap, size);
        require(objects[i] != NULL, "allocation succeeds");
        if (objects[i] == NULL) {
            return 1;
        }
        memset(objects[i], (int)i, size);
        fw_printf("  %-12s %4u bytes at %p\n", names[i], (unsigned)size, objects[i]);
        require(within(objects[i], size, heap_memory, heap_memory + sizeof heap_memory),
                "every object lies in heap_memory");
    }
    require(ea_llff_check(&heap) == 0, "check() == 0");
    for (unsigned i = 0; i < 5; i++) {
        ea_llff_free(&heap, objects[i]);
    }
    require(ea_llff_used(&heap) == 0, "everything freed");
    require(ea_llff_check(&heap) == 0, "check() == 0 after the frees");
    fw_printf("%s\n", failures == 0 ? "section_heap: ok" : "section_heap: FAILED");
    return failures != 0;
}
