/*
 * RISC-V semihosting trap: operation in a0, argument in a1, result in a0.
 * The host recognises the ebreak by the two instructions around it, so the
 * three must be 32-bit encodings (no compression) in one page.
 */
    .section .text.semihost_call, "ax", @progbits
    .globl semihost_call
    .type semihost_call, @function
    .balign 16
semihost_call:
    .option push
    .option norvc
    slli zero, zero, 0x1f
    ebreak
    srai zero, zero, 7
    .option pop
    ret
    .size semihost_call, . - semihost_call
