/*
 * Critical-section port "riscv": clears mstatus.MIE (machine-mode interrupt
 * enable) and restores its previous value on exit, so sections nest. For
 * firmware running in machine mode, as on the small RV32 cores.
 */
#ifndef EALLOC_PORT_H
#define EALLOC_PORT_H

#include <stdint.h>

typedef uintptr_t ea_cs_state_t;

#define EA_RISCV_MSTATUS_MIE ((uintptr_t)1u << 3)

static inline ea_cs_state_t ea_cs_enter(void)
{
    uintptr_t previous;
    /* csrrc reads mstatus (CSR 0x300) and clears MIE in one instruction: no window between the two.
     * Spelled with .insn so that -march=rv32imac builds without the separate Zicsr extension name. */
    __asm__ volatile(".insn i SYSTEM, 3, %0, %1, 0x300" : "=r"(previous) : "r"(EA_RISCV_MSTATUS_MIE) : "memory");
    return previous & EA_RISCV_MSTATUS_MIE;
}

static inline void ea_cs_exit(ea_cs_state_t state)
{
    /* csrs mstatus, state (csrrs x0, 0x300, state): sets MIE again only if it was set */
    __asm__ volatile(".insn i SYSTEM, 2, x0, %0, 0x300" : : "r"(state) : "memory");
}

#endif /* EALLOC_PORT_H */
