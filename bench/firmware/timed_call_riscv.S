/*
 * Instruction counting on QEMU's RISC-V virt board under -icount shift=10:
 * the timed call itself, and straight-line code to verify the method with.
 *
 * bench_timed_call(c) calls c->fn(c->a0, c->a1, c->a2) and returns what the
 * minstret counter moved from the instruction that reads it just before the
 * call to the one that reads it just after. Under -icount, QEMU's minstret
 * reads the virtual clock in ns, so it moves 2^10 per instruction (see
 * bench_timer.h). As on Arm, only the two reads, the jalr and the callee are
 * inside the window; the fixed part is measured by timing bench_empty and
 * subtracted.
 *
 *   struct bench_call { uintptr_t fn, a0, a1, a2, ret; };
 */
    .text

    .globl bench_timed_call
    .type bench_timed_call, @function
bench_timed_call:
    addi    sp, sp, -16             # the callee gets a 16-aligned stack
    sw      ra, 12(sp)
    sw      s0, 8(sp)
    sw      s1, 4(sp)
    mv      s0, a0
    lw      t1, 0(s0)               # fn
    lw      a1, 8(s0)               # a1
    lw      a2, 12(s0)              # a2
    lw      a0, 4(s0)               # a0
    csrr    s1, minstret            # ---- window opens
    jalr    t1
    csrr    t0, minstret            # ---- window closes
    sw      a0, 16(s0)              # ret
    sub     a0, t0, s1              # an up-counter: end - start (mod 2^32)
    lw      s1, 4(sp)
    lw      s0, 8(sp)
    lw      ra, 12(sp)
    addi    sp, sp, 16
    ret
    .size bench_timed_call, . - bench_timed_call

/* The empty call: what timing costs by itself. */
    .globl bench_empty
    .type bench_empty, @function
bench_empty:
    ret
    .size bench_empty, . - bench_empty

/* Known straight-line code: N nops and the return. Timed, minus bench_empty, they must give N. */
    .macro nop_function name, count
    .globl \name
    .type \name, @function
\name:
    .rept \count
    nop
    .endr
    ret
    .size \name, . - \name
    .endm

    nop_function bench_nops_1, 1
    nop_function bench_nops_100, 100
    nop_function bench_nops_1000, 1000
    nop_function bench_nops_10000, 10000
