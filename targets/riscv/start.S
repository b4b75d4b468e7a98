/*
 * Reset entry and trap entry for RV32 in machine mode (QEMU virt, -bios none:
 * the boot ROM jumps to the start of RAM, where the linker script puts _start).
 */
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
    addi sp, sp, -64
    sw ra, 0(sp)
    sw t0, 4(sp)
    sw t1, 8(sp)
    sw t2, 12(sp)
    sw a0, 16(sp)
    sw a1, 20(sp)
    sw a2, 24(sp)
    sw a3, 28(sp)
    sw a4, 32(sp)
    sw a5, 36(sp)
    sw a6, 40(sp)
    sw a7, 44(sp)
    sw t3, 48(sp)
    sw t4, 52(sp)
    sw t5, 56(sp)
    sw t6, 60(sp)
    csrr a0, mcause
    csrr a1, mepc
    csrr a2, mtval
    mv a3, sp
    call fw_trap
    lw ra, 0(sp)
    lw t0, 4(sp)
    lw t1, 8(sp)
    lw t2, 12(sp)
    lw a0, 16(sp)
    lw a1, 20(sp)
    lw a2, 24(sp)
    lw a3, 28(sp)
    lw a4, 32(sp)
    lw a5, 36(sp)
    lw a6, 40(sp)
    lw a7, 44(sp)
    lw t3, 48(sp)
    lw t4, 52(sp)
    lw t5, 56(sp)
    lw t6, 60(sp)
    addi sp, sp, 64
    mret
    .size fw_trap_entry, . - fw_trap_entry
