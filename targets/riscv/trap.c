/*
 * Machine-mode traps on RV32 and RV64: interrupts go to fw_riscv_interrupt (weak; a
 * firmware that enables an interrupt source defines it), everything else is
 * offered to fw_riscv_exception (weak; a test that expects faults defines
 * it), then reported through semihosting and stops QEMU with FW_EXIT_FAULT.
 */
#include <stdint.h>

#include "fw.h"

#define MCAUSE_INTERRUPT ((uintptr_t)1 << (sizeof(uintptr_t) * 8 - 1))

void fw_trap(uintptr_t mcause, uintptr_t mepc, uintptr_t mtval, const uintptr_t *saved);
void fw_riscv_exception(uintptr_t mcause, uintptr_t mepc, uintptr_t mtval);

/*
 * Called for every interrupt with its cause number (3 software, 7 timer,
 * 11 external). The default has no handler to offer, so it stops.
 */
__attribute__((weak)) void fw_riscv_interrupt(uintptr_t cause)
{
    fw_flush();
    fw_printf("\n*** unexpected interrupt %lu: no handler\n", (unsigned long)cause);
    fw_exit(FW_EXIT_FAULT);
}

/* Called first for every exception; the default leaves it to the report below. */
__attribute__((weak)) void fw_riscv_exception(uintptr_t mcause, uintptr_t mepc, uintptr_t mtval)
{
    (void)mcause;
    (void)mepc;
    (void)mtval;
}

static const char *exception_name(uintptr_t cause)
{
    static const char *const names[] = {
        "instruction address misaligned", "instruction access fault", "illegal instruction",
        "breakpoint", "load address misaligned", "load access fault", "store address misaligned",
        "store access fault", "ecall from U-mode", "ecall from S-mode", "reserved", "ecall from M-mode",
        "instruction page fault", "load page fault", "reserved", "store page fault",
    };
    return cause < sizeof names / sizeof names[0] ? names[cause] : "unknown";
}

void fw_trap(uintptr_t mcause, uintptr_t mepc, uintptr_t mtval, const uintptr_t *saved)
{
    if (mcause & MCAUSE_INTERRUPT) {
        fw_riscv_interrupt(mcause & ~MCAUSE_INTERRUPT);
        return;
    }
    fw_riscv_exception(mcause, mepc, mtval);
    fw_flush(); /* end whatever line was being printed */
    fw_printf("\n*** trap: %s (mcause %lu)\n", exception_name(mcause), (unsigned long)mcause);
    /* sp as it was before start.S pushed its frame of 16 registers */
    fw_printf("    mepc=0x%08lx mtval=0x%08lx ra=0x%08lx sp=0x%08lx\n", (unsigned long)mepc,
              (unsigned long)mtval, (unsigned long)saved[0], (unsigned long)(uintptr_t)(saved + 16));
    if (mcause == 3) {
        fw_printf("    (an ebreak: __builtin_trap, e.g. the library's default ea_panic)\n");
    }
    fw_exit(FW_EXIT_FAULT);
}
