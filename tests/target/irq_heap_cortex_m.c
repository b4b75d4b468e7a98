/*
 * irq_heap.c on Cortex-M3 and up (NVIC byte-wide priorities) on the mps2
 * boards: SysTick is the tick, every IRQ_PERIOD_TICKS core clocks; the CMSDK
 * TIMER0, at the highest priority, is the watchdog and preempts it, so it
 * sees a stuck handler as well as a stuck main loop. A damaged heap that
 * makes the library follow a wild pointer ends in a fault handler here.
 */
#include <stdint.h>

#include "irq_heap_hw.h"

#ifndef IRQ_PERIOD_TICKS
#define IRQ_PERIOD_TICKS 500u /* core clocks: about 625 instructions under -icount shift=5 */
#endif

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define SCB_SHPR3 (*(volatile uint32_t *)0xE000ED20u)
#define ICSR_PENDSTCLR (1u << 25)
#define NVIC_ISER0 (*(volatile uint32_t *)0xE000E100u)
#define NVIC_ICER0 (*(volatile uint32_t *)0xE000E180u)
#define NVIC_IPR ((volatile uint8_t *)0xE000E400u)

/* CMSDK APB TIMER0 of the mps2 boards: 0x40000000, IRQ 8, counts the 25 MHz clock down. */
#define TIMER0_CTRL (*(volatile uint32_t *)0x40000000u)
#define TIMER0_VALUE (*(volatile uint32_t *)0x40000004u)
#define TIMER0_RELOAD (*(volatile uint32_t *)0x40000008u)
#define TIMER0_INTCLEAR (*(volatile uint32_t *)0x4000000Cu)
#define TIMER0_IRQ 8u
#define WATCHDOG_PERIOD 1000000u /* 40 ms of the 25 MHz clock */

const char irq_hw_tick_name[] = "SysTick";
const uint32_t irq_hw_period = IRQ_PERIOD_TICKS;
const char irq_hw_unit[] = "core clocks";

void irq_hw_disable(void)
{
    __asm__ volatile("cpsid i" ::: "memory");
}

void irq_hw_enable(void)
{
    __asm__ volatile("cpsie i" ::: "memory");
}

uint32_t irq_hw_elapsed(void)
{
    return IRQ_PERIOD_TICKS - 1u - SYST_CVR; /* SysTick counts down from the reload value: no wrap within a handler */
}

void SysTick_Handler(void);
void SysTick_Handler(void)
{
    irq_heap_tick();
}

void IRQ8_Handler(void);
void IRQ8_Handler(void)
{
    TIMER0_INTCLEAR = 1;
    if (irq_heap_stalled(3)) {
        irq_heap_corruption("no heap operation finished for 120 ms: a heap call never returns");
    }
}

void HardFault_Handler(void);
void HardFault_Handler(void)
{
    irq_heap_corruption("HardFault");
}

void BusFault_Handler(void);
void BusFault_Handler(void)
{
    irq_heap_corruption("BusFault");
}

void UsageFault_Handler(void);
void UsageFault_Handler(void)
{
    irq_heap_corruption("UsageFault");
}

void MemManage_Handler(void);
void MemManage_Handler(void)
{
    irq_heap_corruption("MemManage");
}

void irq_hw_start(void)
{
    SCB_SHPR3 = (SCB_SHPR3 & 0x00FFFFFFu) | (0xC0u << 24); /* SysTick: low priority */
    NVIC_IPR[TIMER0_IRQ] = 0x00;                          /* the watchdog: the highest */
    TIMER0_RELOAD = WATCHDOG_PERIOD;
    TIMER0_VALUE = WATCHDOG_PERIOD;
    TIMER0_INTCLEAR = 1;
    TIMER0_CTRL = 1u | 8u; /* enable, interrupt */
    NVIC_ISER0 = 1u << TIMER0_IRQ;

    SYST_RVR = IRQ_PERIOD_TICKS - 1u;
    SYST_CVR = 0;
    SYST_CSR = 7u; /* core clock, interrupt, enable */
    irq_hw_enable();
}

void irq_hw_stop_tick(void)
{
    SYST_CSR = 0;
    SCB_ICSR = ICSR_PENDSTCLR;
}

void irq_hw_stop(void)
{
    irq_hw_disable();
    irq_hw_stop_tick();
    TIMER0_CTRL = 0;
    NVIC_ICER0 = 1u << TIMER0_IRQ;
    irq_hw_enable();
}

void irq_hw_halt(void)
{
    SYST_CSR = 0;
    TIMER0_CTRL = 0;
}
