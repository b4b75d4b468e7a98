/*
 * irq_heap.c's view of the hardware: a periodic interrupt that does the
 * interrupt-time heap work, a watchdog that outranks it, and the fault
 * handlers. One implementation per architecture: irq_heap_cortex_m.c
 * (SysTick, the mps2 CMSDK TIMER0), irq_heap_riscv.c (the QEMU virt CLINT
 * machine timer, nested for its watchdog role).
 */
#ifndef IRQ_HEAP_HW_H
#define IRQ_HEAP_HW_H

#include <stdbool.h>
#include <stdint.h>

/* ---- provided by the hardware file -------------------------------------------------------- */

/* The tick, its period and the unit of that period and of irq_hw_elapsed(), for the output. */
extern const char irq_hw_tick_name[];
extern const uint32_t irq_hw_period;
extern const char irq_hw_unit[];

/* Start the tick (irq_heap_tick every IRQ_PERIOD_TICKS) and the watchdog, then unmask interrupts. */
void irq_hw_start(void);
/* Stop both and leave interrupts unmasked (main loop only). */
void irq_hw_stop(void);
/* Stop the tick from inside its own handler: the handler's work is done. */
void irq_hw_stop_tick(void);
/* Stop everything at once, from any context: the run is about to end. */
void irq_hw_halt(void);
void irq_hw_disable(void);
void irq_hw_enable(void);
/* A count that rises while the tick handler runs (in irq_hw_unit), read at its start and end. */
uint32_t irq_hw_elapsed(void);

/* ---- provided by irq_heap.c, called by the hardware file --------------------------------- */

/* The tick's work: one interrupt-time heap operation (or nothing once the run is done). */
void irq_heap_tick(void);
/* The watchdog: true when no heap operation has finished since the last `limit` calls. */
bool irq_heap_stalled(uint32_t limit);
/* Report the heap found broken (a fault, a stuck call) and end the run with status 1. */
__attribute__((noreturn)) void irq_heap_corruption(const char *what);

#endif /* IRQ_HEAP_HW_H */
