/*
 * Exact instruction counts on the mps2 boards under QEMU.
 *
 * With -icount shift=10 QEMU advances its virtual clock by 2^10 ns per
 * executed instruction. CMSDK APB TIMER0 (0x40000000) counts down at the
 * 25 MHz system clock, so it moves by exactly 25.6 ticks per instruction;
 * ticks / 25.6, rounded, is the number of instructions (a window's ticks are
 * floor or ceil of 25.6 N, so the rounding is exact for any N). Being 32-bit,
 * it wraps only after 167 million instructions; the difference of two reads
 * is taken modulo 2^32, which is the timer's period with RELOAD = 0xffffffff.
 *
 * bench_timed_call (timed_call.S) reads the timer in the instruction just
 * before a blx to the function and in the one just after it returns. The
 * cost of doing that around an empty function is calibrated at start-up and
 * subtracted: a function measures the instructions it executes, its return
 * instruction not counted (an empty function measures 0, N nops measure N).
 */
#ifndef EALLOC_BENCH_TIMER_H
#define EALLOC_BENCH_TIMER_H

#include <stdbool.h>
#include <stdint.h>

typedef struct bench_call {
    uintptr_t fn; /* the function, called as fn(a0, a1, a2); extra arguments are ignored by the callee */
    uintptr_t a0, a1, a2;
    uintptr_t ret; /* its result (r0) */
} bench_call_t;

/* Raw ticks of TIMER0 across the call (see timed_call.S). */
uint32_t bench_timed_call(bench_call_t *c);

void bench_empty(void);
void bench_nops_1(void);
void bench_nops_100(void);
void bench_nops_1000(void);
void bench_nops_10000(void);

/* The instructions N ticks stand for: round(ticks / 25.6). */
static inline uint32_t bench_ticks_to_instructions(uint32_t ticks)
{
    return (uint32_t)(((uint64_t)ticks * 10u + 128u) / 256u);
}

typedef struct bench_calibration {
    uint32_t empty_ticks_min, empty_ticks_max; /* an empty timed call, over several rounds */
    uint32_t empty_instructions;               /* what is subtracted from every measurement */
    uint32_t nops[4];                          /* measured: 1, 100, 1000, 10000 nops */
    bool ok;                                   /* every nop count within 1 of the truth */
} bench_calibration_t;

/*
 * Start TIMER0 (free-running, RELOAD 0xffffffff, no interrupt), calibrate the
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
