/* The counter's set-up and the calibration of the timed call (see bench_timer.h). */
#include "bench_timer.h"

#include "fw.h"

#if defined(__riscv)
static void counter_start(void)
{
    __asm__ volatile("csrw mcountinhibit, zero"); /* every counter runs (minstret is bit 2) */
}
#else
#define TIMER0_CTRL (*(volatile uint32_t *)0x40000000u)
#define TIMER0_VALUE (*(volatile uint32_t *)0x40000004u)
#define TIMER0_RELOAD (*(volatile uint32_t *)0x40000008u)
#define TIMER0_INTCLEAR (*(volatile uint32_t *)0x4000000Cu)

static void counter_start(void)
{
    TIMER0_CTRL = 0;
    TIMER0_RELOAD = 0xffffffffu;
    TIMER0_VALUE = 0xffffffffu;
    TIMER0_INTCLEAR = 1;
    TIMER0_CTRL = 1; /* enable; clock: PCLK; no interrupt */
}
#endif

bench_calibration_t bench_cal;

static uint32_t raw_instructions(void (*fn)(void))
{
    bench_call_t c = {BENCH_FN(fn), 0, 0, 0, 0};
    return bench_ticks_to_instructions(bench_timed_call(&c));
}

bool bench_timer_init(bench_calibration_t *cal)
{
    counter_start();

    cal->empty_ticks_min = UINT32_MAX;
    cal->empty_ticks_max = 0;
    for (int i = 0; i < 16; i++) {
        bench_call_t c = {BENCH_FN(bench_empty), 0, 0, 0, 0};
        uint32_t t = bench_timed_call(&c);
        cal->empty_ticks_min = t < cal->empty_ticks_min ? t : cal->empty_ticks_min;
        cal->empty_ticks_max = t > cal->empty_ticks_max ? t : cal->empty_ticks_max;
    }
    cal->empty_instructions = bench_ticks_to_instructions(cal->empty_ticks_min);
    bench_cal = *cal;

    static void (*const fns[4])(void) = {bench_nops_1, bench_nops_100, bench_nops_1000, bench_nops_10000};
    static const uint32_t want[4] = {1, 100, 1000, 10000};
    cal->ok = cal->empty_ticks_min != 0 &&
              bench_ticks_to_instructions(cal->empty_ticks_max) == cal->empty_instructions;
    for (int i = 0; i < 4; i++) {
        uint32_t n = raw_instructions(fns[i]) - cal->empty_instructions;
        cal->nops[i] = n;
        if (n + 1 < want[i] || n > want[i] + 1) {
            cal->ok = false;
        }
    }
    bench_cal = *cal;
    if (!cal->ok) {
        fw_printf("bench: instruction counting does not work: empty call %u..%u ticks, nops 1/100/1000/10000 -> "
                  "%u/%u/%u/%u (run QEMU with -icount shift=10)\n",
                  (unsigned)cal->empty_ticks_min, (unsigned)cal->empty_ticks_max, (unsigned)cal->nops[0],
                  (unsigned)cal->nops[1], (unsigned)cal->nops[2], (unsigned)cal->nops[3]);
    }
    return cal->ok;
}
