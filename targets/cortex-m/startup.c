/*
 * Start-up code for every Cortex-M core (M0 to M7): the vector table, the
 * reset handler, and a handler for faults and unexpected exceptions that
 * reports through semihosting and stops QEMU with FW_EXIT_FAULT.
 *
 * Every handler is a weak alias, so a firmware takes an exception by defining
 * a function of the same name (SysTick_Handler, IRQ8_Handler, ...). External
 * interrupt n is IRQ<n>_Handler; the table has FW_NUM_IRQS of them (the
 * board's CMake file sets it; 32 covers the nRF51 and the mps2 images).
 */
#include <stdint.h>

#include "fw.h"

#ifndef FW_NUM_IRQS
#define FW_NUM_IRQS 32
#endif

/* __stack_top (fw.h), from the linker script: the initial stack pointer. */

void Reset_Handler(void);
void fw_exception_entry(void);
__attribute__((noreturn, used)) void fw_exception_report(const uint32_t *frame, uint32_t exc_return);

#define WEAK_HANDLER(name) void name(void) __attribute__((weak, alias("fw_exception_entry")))
WEAK_HANDLER(NMI_Handler);
WEAK_HANDLER(HardFault_Handler);
WEAK_HANDLER(MemManage_Handler);
WEAK_HANDLER(BusFault_Handler);
WEAK_HANDLER(UsageFault_Handler);
WEAK_HANDLER(SVC_Handler);
WEAK_HANDLER(DebugMon_Handler);
WEAK_HANDLER(PendSV_Handler);
WEAK_HANDLER(SysTick_Handler);
#define IRQ_HANDLER(n) WEAK_HANDLER(IRQ##n##_Handler)
IRQ_HANDLER(0); IRQ_HANDLER(1); IRQ_HANDLER(2); IRQ_HANDLER(3); IRQ_HANDLER(4); IRQ_HANDLER(5);
IRQ_HANDLER(6); IRQ_HANDLER(7); IRQ_HANDLER(8); IRQ_HANDLER(9); IRQ_HANDLER(10); IRQ_HANDLER(11);
IRQ_HANDLER(12); IRQ_HANDLER(13); IRQ_HANDLER(14); IRQ_HANDLER(15); IRQ_HANDLER(16); IRQ_HANDLER(17);
IRQ_HANDLER(18); IRQ_HANDLER(19); IRQ_HANDLER(20); IRQ_HANDLER(21); IRQ_HANDLER(22); IRQ_HANDLER(23);
IRQ_HANDLER(24); IRQ_HANDLER(25); IRQ_HANDLER(26); IRQ_HANDLER(27); IRQ_HANDLER(28); IRQ_HANDLER(29);
IRQ_HANDLER(30); IRQ_HANDLER(31);
_Static_assert(FW_NUM_IRQS <= 32, "add IRQ handlers to startup.c for more than 32 interrupts");

typedef void (*vector_t)(void);

/* Placed at the start of the image (the board's flash origin, where VTOR points at reset). */
__attribute__((section(".vectors"), used)) const vector_t fw_vector_table[16 + FW_NUM_IRQS] = {
    (vector_t)(uintptr_t)__stack_top,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler, /* 4-6, 12: reserved on ARMv6-M, never taken there */
    BusFault_Handler,
    UsageFault_Handler,
    0, 0, 0, 0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
    IRQ0_Handler, IRQ1_Handler, IRQ2_Handler, IRQ3_Handler, IRQ4_Handler, IRQ5_Handler,
    IRQ6_Handler, IRQ7_Handler, IRQ8_Handler, IRQ9_Handler, IRQ10_Handler, IRQ11_Handler,
    IRQ12_Handler, IRQ13_Handler, IRQ14_Handler, IRQ15_Handler, IRQ16_Handler, IRQ17_Handler,
    IRQ18_Handler, IRQ19_Handler, IRQ20_Handler, IRQ21_Handler, IRQ22_Handler, IRQ23_Handler,
    IRQ24_Handler, IRQ25_Handler, IRQ26_Handler, IRQ27_Handler, IRQ28_Handler, IRQ29_Handler,
    IRQ30_Handler, IRQ31_Handler,
};

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2Cu)
#define SCB_MMFAR (*(volatile uint32_t *)0xE000ED34u)
#define SCB_BFAR (*(volatile uint32_t *)0xE000ED38u)

void Reset_Handler(void)
{
#if defined(__ARM_FP) && !defined(__SOFTFP__)
    /* Code built for the hard-float ABI: give the core access to the FPU (CP10, CP11) first. */
    SCB_CPACR |= 0xFu << 20;
    __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
    fw_start();
}

/*
 * Every fault and every exception nobody handles lands here. Finds the frame
 * the core stacked (on MSP or PSP, per bit 2 of EXC_RETURN in lr) and hands it
 * to the reporter. Thumb-1 only, so that it also assembles for ARMv6-M.
 */
__attribute__((naked)) void fw_exception_entry(void)
{
    __asm__ volatile(
        "movs r0, #4\n\t"
        "mov r1, lr\n\t"
        "tst r0, r1\n\t"
        "beq 1f\n\t"
        "mrs r0, psp\n\t"
        "b 2f\n"
        "1:\n\t"
        "mrs r0, msp\n"
        "2:\n\t"
        "bl fw_exception_report\n");
}

static const char *exception_name(uint32_t n)
{
    static const char *const names[16] = {
        "thread", "reset", "NMI", "HardFault", "MemManage", "BusFault", "UsageFault", "reserved",
        "reserved", "reserved", "reserved", "SVCall", "DebugMonitor", "reserved", "PendSV", "SysTick",
    };
    return n < 16 ? names[n] : "IRQ";
}

void fw_exception_report(const uint32_t *frame, uint32_t exc_return)
{
    uint32_t ipsr;
    __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
    ipsr &= 0x1FFu;
    fw_flush(); /* end whatever line was being printed */
    if (ipsr >= 16) {
        fw_printf("\n*** unexpected exception %lu (IRQ%lu): no handler\n", (unsigned long)ipsr,
                  (unsigned long)(ipsr - 16));
    } else {
        fw_printf("\n*** %s (exception %lu)\n", exception_name(ipsr), (unsigned long)ipsr);
    }
    /* The frame the core pushed: r0 r1 r2 r3 r12 lr pc xpsr. */
    fw_printf("    pc=0x%08lx lr=0x%08lx xpsr=0x%08lx sp=0x%08lx exc_return=0x%08lx\n",
              (unsigned long)frame[6], (unsigned long)frame[5], (unsigned long)frame[7],
              (unsigned long)(uintptr_t)frame, (unsigned long)exc_return);
    fw_printf("    r0=0x%08lx r1=0x%08lx r2=0x%08lx r3=0x%08lx r12=0x%08lx\n", (unsigned long)frame[0],
              (unsigned long)frame[1], (unsigned long)frame[2], (unsigned long)frame[3], (unsigned long)frame[4]);
#if __ARM_ARCH >= 7
    /* ARMv7-M: why it faulted. (ARMv6-M has no fault status registers.) */
    fw_printf("    cfsr=0x%08lx hfsr=0x%08lx mmfar=0x%08lx bfar=0x%08lx\n", (unsigned long)SCB_CFSR,
              (unsigned long)SCB_HFSR, (unsigned long)SCB_MMFAR, (unsigned long)SCB_BFAR);
#endif
    fw_exit(FW_EXIT_FAULT);
}
