/*
 * Misuse of the library reaches ea_panic; the firmware's default ea_panic
 * names the fault and stops QEMU with FW_EXIT_PANIC (2). Registered with
 * EXPECT_EXIT 2.
 */
#include <ealloc/llff.h>

#include "fw.h"

static ea_llff_t heap = EA_LLFF_EMPTY;

int main(void)
{
    fw_puts("panic_report: ea_llff_init with a NULL region must panic with EA_FAULT_BAD_REGION");
    ea_llff_init(&heap, NULL, 1024);
    fw_puts("panic_report: ea_llff_init returned");
    return 0;
}
