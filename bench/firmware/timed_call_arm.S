/*
 * Instruction counting on the mps2 boards under QEMU -icount shift=10: the
 * timed call itself, and straight-line code to verify the method with.
 *
 * bench_timed_call(c) calls c->fn(c->a0, c->a1, c->a2) and returns the ticks
 * CMSDK APB TIMER0 (a down-counter at 0x40000000, VALUE at +4) counted from
 * the instruction that reads it just before the call to the one that reads
 * it just after. Everything the compiler generates (argument loads, storing
 * the result) stays outside that window: inside it are only the two timer
 * reads, the blx, and the callee. The fixed part is measured by timing
 * bench_empty (bench_timer.c) and subtracted.
 *
 *   struct bench_call { uintptr_t fn, a0, a1, a2, ret; };
 */
    .syntax unified
    .thumb
    .text

    .global bench_timed_call
    .type bench_timed_call, %function
    .thumb_func
bench_timed_call:
    push    {r4, r5, r6, lr}        @ 16 bytes: the callee still gets an 8-aligned stack
    mov     r4, r0
    ldr     r5, =0x40000004         @ TIMER0 VALUE
    ldr     r12, [r4, #0]           @ fn
    ldr     r1, [r4, #8]            @ a1
    ldr     r2, [r4, #12]           @ a2
    ldr     r0, [r4, #4]            @ a0
    ldr     r6, [r5]                @ ---- window opens
    blx     r12
    ldr     r3, [r5]                @ ---- window closes
    str     r0, [r4, #16]           @ ret
    subs    r0, r6, r3              @ a down-counter: start - end (mod 2^32)
    pop     {r4, r5, r6, pc}
    .size bench_timed_call, . - bench_timed_call
    .ltorg

/* The empty call: what timing costs by itself. */
    .global bench_empty
    .type bench_empty, %function
    .thumb_func
bench_empty:
    bx      lr
    .size bench_empty, . - bench_empty

/* Known straight-line code: N nops and the return. Timed, minus bench_empty, they must give N. */
    .macro nop_function name, count
    .global \name
    .type \name, %function
    .thumb_func
\name:
    .rept \count
    nop
    .endr
    bx      lr
    .size \name, . - \name
    .endm

    nop_function bench_nops_1, 1
    nop_function bench_nops_100, 100
    nop_function bench_nops_1000, 1000
    nop_function bench_nops_10000, 10000
