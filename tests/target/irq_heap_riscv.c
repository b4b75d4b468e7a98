/*
 * irq_heap.c on RV32 in machine mode on QEMU virt: the CLINT machine timer
 * is the tick, every IRQ_PERIOD_TICKS of its 10 MHz timebase. There is one
 * timer, so it is the watchdog too: the tick handler lets the next tick
 * preempt it (it saves mepc and mstatus and sets mstatus.MIE while it does
 * its heap work), and a tick that finds the handler still busy only runs the
 * watchdog. So a heap call that never returns is caught in the main loop and
 * in the handler alike. A damaged heap that makes the library follow a wild
 * pointer ends in an exception, which targets/riscv/trap.c hands to
 * fw_riscv_exception here.
 */
#include <stdint.h>

#include "clint.h"
#include "fw.h"
#include "irq_heap_hw.h"

#ifndef IRQ_PERIOD_TICKS
#define IRQ_PERIOD_TICKS 200u /* 10 MHz timebase: 20 us, about 625 instructions under -icount shift=5 */
#endif
/* Ticks without a finished heap operation before the watchdog calls it stuck: about 2.5 million instructions. */
#define WATCHDOG_TICKS 4096u

const char irq_hw_tick_name[] = "machine timer";
const uint32_t irq_hw_period = IRQ_PERIOD_TICKS;
const char irq_hw_unit[] = "timer ticks (100 ns)";

static volatile bool tick_busy; /* a tick handler is doing heap work (and may be preempted) */

void irq_hw_disable(void)
{
    __asm__ volatile("csrc mstatus, %0" : : "r"(MSTATUS_MIE) : "memory");
}

void irq_hw_enable(void)
{
    __asm__ volatile("csrs mstatus, %0" : : "r"(MSTATUS_MIE) : "memory");
}

uint32_t irq_hw_elapsed(void)
{
    return CLINT_MTIME_LO; /* differences only: a wrap of the low word cancels out */
}

void fw_riscv_interrupt(uintptr_t cause)
{
    if (cause != CAUSE_MACHINE_TIMER) {
        irq_heap_corruption("an interrupt other than the machine timer");
    }
    clint_arm_timer(clint_mtime() + IRQ_PERIOD_TICKS); /* also clears this interrupt */
    if (irq_heap_stalled(WATCHDOG_TICKS)) {
        irq_heap_corruption("no heap operation finished for 4096 ticks: a heap call never returns");
    }
    if (tick_busy) {
        return; /* this tick preempted the handler: the watchdog above was all it came for */
    }
    /* Let the next tick preempt the heap work. A nested trap overwrites mepc (and mstatus's MPIE
     * and MPP), which the mret that ends this one needs: kept and put back. */
    uintptr_t epc, status;
    __asm__ volatile("csrr %0, mepc" : "=r"(epc));
    __asm__ volatile("csrr %0, mstatus" : "=r"(status));
    tick_busy = true;
    irq_hw_enable();
    irq_heap_tick();
    irq_hw_disable();
    tick_busy = false;
    __asm__ volatile("csrw mepc, %0" : : "r"(epc));
    __asm__ volatile("csrw mstatus, %0" : : "r"(status) : "memory");
}

/* targets/riscv/trap.c: an exception (a load from a wild pointer, say) while the heap is in use. */
void fw_riscv_exception(uintptr_t mcause, uintptr_t mepc, uintptr_t mtval)
{
    char what[80];
    fw_snprintf(what, sizeof what, "exception %lu at 0x%08lx (mtval 0x%08lx)", (unsigned long)mcause,
                (unsigned long)mepc, (unsigned long)mtval);
    irq_heap_corruption(what);
}

void irq_hw_start(void)
{
    clint_arm_timer(clint_mtime() + IRQ_PERIOD_TICKS);
    __asm__ volatile("csrs mie, %0" : : "r"(MIE_MTIE));
    irq_hw_enable();
}

/* The tick stays on as the watchdog until irq_hw_stop; irq_heap_tick does nothing once the work is done. */
void irq_hw_stop_tick(void)
{
}

void irq_hw_stop(void)
{
    __asm__ volatile("csrc mie, %0" : : "r"(MIE_MTIE));
    clint_arm_timer(UINT64_MAX);
    irq_hw_enable();
}

void irq_hw_halt(void)
{
    __asm__ volatile("csrc mie, %0" : : "r"(MIE_MTIE));
}
