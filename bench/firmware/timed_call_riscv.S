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
 *
 * The same code for RV32 and RV64: registers and the struct's fields are XLEN
 * wide (REG_BYTES bytes), and so is minstret (an up-counter; the difference is taken
 * modulo 2^XLEN).
 */
#include "xlen_asm.h" /* targets/riscv: SAVE, LOAD, REG_BYTES */
    .text

    .globl bench_timed_call
    .type bench_timed_call, @function
bench_timed_call:
    addi    sp, sp, -4 * REG_BYTES      # the callee gets a 16-aligned stack
    SAVE    ra, 3 * REG_BYTES(sp)
    SAVE    s0, 2 * REG_BYTES(sp)
    SAVE    s1, 1 * REG_BYTES(sp)
    mv      s0, a0
    LOAD    t1, 0 * REG_BYTES(s0)       # fn
    LOAD    a1, 2 * REG_BYTES(s0)       # a1
    LOAD    a2, 3 * REG_BYTES(s0)       # a2
    LOAD    a0, 1 * REG_BYTES(s0)       # a0
    csrr    s1, minstret                # ---- window opens
    jalr    t1
    csrr    t0, minstret                # ---- window closes
    SAVE    a0, 4 * REG_BYTES(s0)       # ret
    sub     a0, t0, s1                  # an up-counter: end - start (mod 2^XLEN)
    LOAD    s1, 1 * REG_BYTES(sp)
    LOAD    s0, 2 * REG_BYTES(sp)
    LOAD    ra, 3 * REG_BYTES(sp)
    addi    sp, sp, 4 * REG_BYTES
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
