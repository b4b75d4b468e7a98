/*
 * A trap instruction must reach the fault handler, which reports it and stops
 * QEMU with FW_EXIT_FAULT (3) — instead of hanging or exiting 0. Registered
 * with EXPECT_EXIT 3.
 */
#include "fw.h"

int main(void)
{
    fw_puts("fault_report: executing a trap instruction; the fault handler must stop QEMU with status 3");
    __builtin_trap();
}
