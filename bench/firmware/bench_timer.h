/*
 * Exact instruction counts under QEMU -icount shift=10, which advances the
 * virtual clock by 2^10 ns per executed instruction.
 *
 * mps2 boards (Arm): CMSDK APB TIMER0 (0x40000000) counts down at the 25 MHz
 * system clock, so it moves by exactly 25.6 ticks per instruction;
 * ticks / 25.6, rounded, is the number of instructions (a window's ticks are
 * floor or ceil of 25.6 N, so the rounding is exact for any N). Being 32-bit,
 * it wraps only after 167 million instructions; the difference of two reads
 * is taken modulo 2^32, which is the timer's period with RELOAD = 0xffffffff.
 *
 * RISC-V virt: under -icount QEMU's minstret counter reads the virtual clock
 * in ns, so it moves by exactly 2^10 per instruction (ticks / 1024); its low
 * 32 bits wrap after 4 million instructions, more than any timed call takes.
 *
 * bench_timed_call (timed_call_arm.S, timed_call_riscv.S) reads the counter
 * in the instruction just before the call to the function and in the one
 * just after it returns. The cost of doing that around an empty function is
 * calibrated at start-up and subtracted: a function measures the
 * instructions it executes, its return instruction not counted (an empty
 * function measures 0, N nops measure N).
 */
#ifndef EALLOC_BENCH_TIMER_H
#define EALLOC_BENCH_TIMER_H

#include <stdbool.h>
#include <stdint.h>

typedef struct bench_call {
    uintptr_t fn; /* the function, called as fn(a0, a1, a2); extra arguments are ignored by the callee */
    uintptr_t a0, a1, a2;
    uintptr_t ret; /* its result (r0 on Arm, a0 on RISC-V) */
} bench_call_t;

/* Raw ticks of the counter across the call (see timed_call_*.S). */
uint32_t bench_timed_call(bench_call_t *c);

void bench_empty(void);
void bench_nops_1(void);
void bench_nops_100(void);
void bench_nops_1000(void);
void bench_nops_10000(void);

#if defined(__riscv)
/* The instructions N ticks stand for: round(ticks / 1024). */
static inline uint32_t bench_ticks_to_instructions(uint32_t ticks)
{
    return (ticks + 512u) >> 10;
}
#define BENCH_TICKS_PER_INSTRUCTION "1024"
#else
/* The instructions N ticks stand for: round(ticks / 25.6). */
static inline uint32_t bench_ticks_to_instructions(uint32_t ticks)
{
    return (uint32_t)(((uint64_t)ticks * 10u + 128u) / 256u);
}
#define BENCH_TICKS_PER_INSTRUCTION "25.6"
#endif

typedef struct bench_calibration {
    uint32_t empty_ticks_min, empty_ticks_max; /* an empty timed call, over several rounds */
    uint32_t empty_instructions;               /* what is subtracted from every measurement */
    uint32_t nops[4];                          /* measured: 1, 100, 1000, 10000 nops */
    bool ok;                                   /* every nop count within 1 of the truth */
} bench_calibration_t;

/*
 * Start the counter (Arm: TIMER0 free-running, RELOAD 0xffffffff, no
 * interrupt; RISC-V: minstret, let run through mcountinhibit), calibrate the
 * empty call and check the method against the nop functions. Prints a message
 * and returns false if the counts are not exact (QEMU run without
 * -icount shift=10, for one).
 */
bool bench_timer_init(bench_calibration_t *cal);

/* The calibration, once bench_timer_init has run. */
extern bench_calibration_t bench_cal;

/* Instructions executed by fn(a0, a1, a2) (return instruction excluded); *ret gets its result. */
static inline uint32_t bench_measure(uintptr_t fn, uintptr_t a0, uintptr_t a1, uintptr_t a2, uintptr_t *ret)
{
    bench_call_t c = {fn, a0, a1, a2, 0};
    uint32_t n = bench_ticks_to_instructions(bench_timed_call(&c)) - bench_cal.empty_instructions;
    if (ret != 0) {
        *ret = c.ret;
    }
    return n;
}

#define BENCH_FN(f) ((uintptr_t)(f))

#endif /* EALLOC_BENCH_TIMER_H */
