/*
 * The machine timer of QEMU virt's CLINT, hart 0: a 64-bit count at 10 MHz
 * (mtime) and the compare value that raises the machine timer interrupt
 * while mtime >= mtimecmp, each read and written as two 32-bit halves.
 */
#ifndef FW_RISCV_CLINT_H
#define FW_RISCV_CLINT_H

#include <stdint.h>

#define CLINT_MTIMECMP_LO (*(volatile uint32_t *)0x02004000u)
#define CLINT_MTIMECMP_HI (*(volatile uint32_t *)0x02004004u)
#define CLINT_MTIME_LO (*(volatile uint32_t *)0x0200BFF8u)
#define CLINT_MTIME_HI (*(volatile uint32_t *)0x0200BFFCu)

#define MIE_MTIE ((uintptr_t)1 << 7)
#define MSTATUS_MIE ((uintptr_t)1 << 3)
#define CAUSE_MACHINE_TIMER 7u

/* mtime, with the high half read again until the low half did not carry into it meanwhile. */
static inline uint64_t clint_mtime(void)
{
    uint32_t hi, lo;
    do {
        hi = CLINT_MTIME_HI;
        lo = CLINT_MTIME_LO;
    } while (hi != CLINT_MTIME_HI);
    return ((uint64_t)hi << 32) | lo;
}

/* The next timer interrupt at mtime == when (which also clears a pending one before it). */
static inline void clint_arm_timer(uint64_t when)
{
    CLINT_MTIMECMP_HI = UINT32_MAX; /* no spurious match while the halves are written */
    CLINT_MTIMECMP_LO = (uint32_t)when;
    CLINT_MTIMECMP_HI = (uint32_t)(when >> 32);
}

#endif /* FW_RISCV_CLINT_H */
