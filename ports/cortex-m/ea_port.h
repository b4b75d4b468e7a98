/*
 * Critical-section port "cortex-m": masks interrupts with PRIMASK, which every
 * Cortex-M core has (M0 to M7), and restores the previous mask on exit, so a
 * section entered with interrupts already off leaves them off. Faults and NMI
 * still run: they must not use the heap.
 */
#ifndef EALLOC_PORT_H
#define EALLOC_PORT_H

#include <stdint.h>

typedef uint32_t ea_cs_state_t;

static inline ea_cs_state_t ea_cs_enter(void)
{
    uint32_t primask;
    /* The memory clobber keeps the compiler from moving heap accesses out of the section. */
    __asm__ volatile("mrs %0, primask\n\tcpsid i" : "=r"(primask) : : "memory");
    return primask;
}

static inline void ea_cs_exit(ea_cs_state_t state)
{
    __asm__ volatile("msr primask, %0" : : "r"(state) : "memory");
}

#endif /* EALLOC_PORT_H */
