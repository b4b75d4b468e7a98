/*
 * Semihosting: the firmware asks the debugger — here QEMU, run with
 * -semihosting-config enable=on,target=native — to do I/O and to stop.
 *
 * Each call traps into the host (Arm: bkpt 0xab; RISC-V: the ebreak sequence
 * in riscv/semihost_call.S). Without semihosting enabled the trap is a real
 * breakpoint exception and the firmware faults, so every QEMU run of these
 * firmwares must pass that option.
 *
 * Calls block the core while the host works; none of them may be made from
 * an interrupt handler that can preempt another semihosting call.
 */
#ifndef EALLOC_FW_SEMIHOST_H
#define EALLOC_FW_SEMIHOST_H

#include <stddef.h>
#include <stdint.h>

/* Operation numbers, from the Arm semihosting specification (shared by RISC-V). */
enum {
    SEMIHOST_SYS_OPEN = 0x01,
    SEMIHOST_SYS_CLOSE = 0x02,
    SEMIHOST_SYS_WRITEC = 0x03,
    SEMIHOST_SYS_WRITE0 = 0x04,
    SEMIHOST_SYS_WRITE = 0x05,
    SEMIHOST_SYS_READ = 0x06,
    SEMIHOST_SYS_FLEN = 0x0C,
    SEMIHOST_SYS_GET_CMDLINE = 0x15,
    SEMIHOST_SYS_EXIT = 0x18,
    SEMIHOST_SYS_EXIT_EXTENDED = 0x20
};

/* The "reason" of an exit that QEMU turns into its own exit status. */
#define SEMIHOST_ADP_STOPPED_APPLICATION_EXIT 0x20026u

/* Modes of semihost_open, as fopen() spells them. */
enum {
    SEMIHOST_OPEN_R = 0,   /* "r"  */
    SEMIHOST_OPEN_RB = 1,  /* "rb" */
    SEMIHOST_OPEN_W = 4,   /* "w"  */
    SEMIHOST_OPEN_WB = 5,  /* "wb" */
    SEMIHOST_OPEN_A = 8,   /* "a"  */
    SEMIHOST_OPEN_AB = 9   /* "ab" */
};

/* The raw call: op in the first argument register, arg in the second; returns the result register. */
uintptr_t semihost_call(uintptr_t op, void *arg);

/* Print one NUL-terminated string on the host's stdout. */
void semihost_write0(const char *s);

/* Print one character on the host's stdout. */
void semihost_writec(char c);

/*
 * Stop the machine: QEMU exits with status code (its low 8 bits). Uses
 * SYS_EXIT_EXTENDED with the block {ADP_Stopped_ApplicationExit, code}.
 * Does not return; spins if the host ignored the call.
 */
__attribute__((noreturn)) void semihost_exit(int code);

/* Open a host file; path is relative to QEMU's working directory. A handle >= 0, or -1. */
int semihost_open(const char *path, int mode);

/* 0, or -1 on error. */
int semihost_close(int handle);

/* Read up to len bytes: the number read (0 at end of file), or -1 on error. */
long semihost_read(int handle, void *buf, size_t len);

/* Write len bytes: the number written, or -1 on error. */
long semihost_write(int handle, const void *buf, size_t len);

/* Length of an open file in bytes, or -1. */
long semihost_flen(int handle);

/*
 * The command line QEMU hands the firmware (-semihosting-config ...,arg=a,arg=b
 * gives "a b"), NUL-terminated, into buf. Its length, or -1 if it does not fit
 * or the host has none.
 */
long semihost_get_cmdline(char *buf, size_t len);

#endif /* EALLOC_FW_SEMIHOST_H */
