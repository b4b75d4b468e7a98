/*
 * Reset entry and trap entry for RV32 and RV64 in machine mode (QEMU virt,
 * -bios none: the boot ROM jumps to the start of RAM, where the linker script
 * puts _start). The trap frame holds 16 registers of XLEN bits.
 */
#include "xlen_asm.h"
#define FRAME_BYTES (16 * REG_BYTES)
    .section .text.start, "ax", @progbits
    .globl _start
    .type _start, @function
_start:
    /* Only hart 0 runs the firmware; others (with -smp > 1) wait forever. */
    csrr t0, mhartid
    bnez t0, park

    /* gp must be set without linker relaxation, which would make it gp-relative to itself. */
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    /* Thread pointer: the C library's thread-local variables (picolibc's errno). */
    la tp, __tls_base

    csrw mie, zero
    la t0, fw_trap_entry
    csrw mtvec, t0

    call fw_start
park:
    wfi
    j park
    .size _start, . - _start

/*
 * Trap entry (mtvec, direct mode): saves the registers a C function may
 * change, calls fw_trap(mcause, mepc, mtval) and returns with mret when it
 * returns (a handled interrupt). A fatal trap never comes back.
 */
    .section .text.fw_trap_entry, "ax", @progbits
    .globl fw_trap_entry
    .type fw_trap_entry, @function
    .balign 4
fw_trap_entry:
    addi sp, sp, -FRAME_BYTES
    SAVE ra, 0 * REG_BYTES(sp)
    SAVE t0, 1 * REG_BYTES(sp)
    SAVE t1, 2 * REG_BYTES(sp)
    SAVE t2, 3 * REG_BYTES(sp)
    SAVE a0, 4 * REG_BYTES(sp)
    SAVE a1, 5 * REG_BYTES(sp)
    SAVE a2, 6 * REG_BYTES(sp)
    SAVE a3, 7 * REG_BYTES(sp)
    SAVE a4, 8 * REG_BYTES(sp)
    SAVE a5, 9 * REG_BYTES(sp)
    SAVE a6, 10 * REG_BYTES(sp)
    SAVE a7, 11 * REG_BYTES(sp)
    SAVE t3, 12 * REG_BYTES(sp)
    SAVE t4, 13 * REG_BYTES(sp)
    SAVE t5, 14 * REG_BYTES(sp)
    SAVE t6, 15 * REG_BYTES(sp)
    csrr a0, mcause
    csrr a1, mepc
    csrr a2, mtval
    mv a3, sp
    call fw_trap
    LOAD ra, 0 * REG_BYTES(sp)
    LOAD t0, 1 * REG_BYTES(sp)
    LOAD t1, 2 * REG_BYTES(sp)
    LOAD t2, 3 * REG_BYTES(sp)
    LOAD a0, 4 * REG_BYTES(sp)
    LOAD a1, 5 * REG_BYTES(sp)
    LOAD a2, 6 * REG_BYTES(sp)
    LOAD a3, 7 * REG_BYTES(sp)
    LOAD a4, 8 * REG_BYTES(sp)
    LOAD a5, 9 * REG_BYTES(sp)
    LOAD a6, 10 * REG_BYTES(sp)
    LOAD a7, 11 * REG_BYTES(sp)
    LOAD t3, 12 * REG_BYTES(sp)
    LOAD t4, 13 * REG_BYTES(sp)
    LOAD t5, 14 * REG_BYTES(sp)
    LOAD t6, 15 * REG_BYTES(sp)
    addi sp, sp, FRAME_BYTES
    mret
    .size fw_trap_entry, . - fw_trap_entry
