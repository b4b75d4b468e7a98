/*
 * For assembly that runs on RV32 and RV64 alike (start.S, the benchmark's
 * timed_call_riscv.S): loads and stores of a whole register, and its size.
 */
#ifndef FW_RISCV_XLEN_ASM_H
#define FW_RISCV_XLEN_ASM_H

#if __riscv_xlen == 64
#define SAVE sd
#define LOAD ld
#define REG_BYTES 8
#else
#define SAVE sw
#define LOAD lw
#define REG_BYTES 4
#endif

#endif
