/*
 * Interrupts reach the firmware's own handlers: on Cortex-M the SysTick
 * exception through the vector table (SysTick_Handler overrides the weak
 * default), on RISC-V the machine timer through the trap entry
 * (fw_riscv_interrupt). The heap's interrupt-safety tests build on this.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "fw.h"

static volatile uint32_t ticks;

#define TICKS_WANTED 5u

#if defined(__arm__)

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)

#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define ICSR_PENDSTCLR (1u << 25)

void SysTick_Handler(void);
void SysTick_Handler(void)
{
    if (++ticks == TICKS_WANTED) {
        SYST_CSR = 0; /* stop */
        /* On a loaded host QEMU may have raised the next tick while this one ran: drop it. */
        SCB_ICSR = ICSR_PENDSTCLR;
    }
}

static void start_timer(void)
{
    SYST_RVR = 10000u - 1u;
    SYST_CVR = 0;
    SYST_CSR = 7u; /* processor clock, interrupt, enable */
    __asm__ volatile("cpsie i" ::: "memory");
}

static void stop_timer(void)
{
    SYST_CSR = 0;
    __asm__ volatile("cpsid i" ::: "memory");
}

#elif defined(__riscv)

#include "clint.h"

void fw_riscv_interrupt(uintptr_t cause)
{
    if (cause != CAUSE_MACHINE_TIMER) {
        fw_printf("unexpected interrupt %lu\n", (unsigned long)cause);
        fw_exit(FW_EXIT_FAULT);
    }
    if (++ticks == TICKS_WANTED) {
        __asm__ volatile("csrc mie, %0" : : "r"(MIE_MTIE));
    } else {
        clint_arm_timer(clint_mtime() + 1000); /* 10 MHz timebase: 100 us */
    }
}

static void start_timer(void)
{
    clint_arm_timer(clint_mtime() + 1000);
    __asm__ volatile("csrs mie, %0" : : "r"(MIE_MTIE));
    __asm__ volatile("csrs mstatus, %0" : : "r"(MSTATUS_MIE) : "memory");
}

static void stop_timer(void)
{
    __asm__ volatile("csrc mie, %0" : : "r"(MIE_MTIE));
    __asm__ volatile("csrc mstatus, %0" : : "r"(MSTATUS_MIE) : "memory");
}

#endif

static void timer_interrupts_reach_the_handler(void **state)
{
    (void)state;
    ticks = 0;
    start_timer();
    for (uint32_t spin = 0; ticks < TICKS_WANTED && spin < 100000000u; spin++) {
        __asm__ volatile("" ::: "memory");
    }
    stop_timer();
    assert_int_equal(ticks, TICKS_WANTED);
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(timer_interrupts_reach_the_handler),
    };
    return cmocka_run_group_tests_name("interrupts", tests, NULL, NULL);
}
