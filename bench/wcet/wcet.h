/*
 * Worst cases built on purpose: shared helpers of the wcet firmware.
 * Each case builds a heap state, times exactly one call with bench_measure
 * (bench/firmware/bench_timer.h), checks that the call did what the case
 * says, and reports one JSON line:
 *   {"kind":"wcet","backend":..,"port":..,"case":..,"op":..,"instructions":N,"n":..,"detail":".."}
 */
#ifndef EALLOC_BENCH_WCET_H
#define EALLOC_BENCH_WCET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bench_timer.h"

#ifndef BENCH_PORT
#define BENCH_PORT "none"
#endif

/* The memory the cases build their heaps in (the PSRAM bank: 16 MiB on mps2). */
extern unsigned char *wcet_arena;
extern size_t wcet_arena_bytes;

/* n < 0: no n for this case. */
__attribute__((format(printf, 6, 7))) void wcet_report(const char *backend, const char *case_id, const char *op,
                                                       uint32_t instructions, long n, const char *detail_fmt, ...);

/* Stops the run (status 1) with a message when a case did not build the state it meant to. */
void wcet_require(bool cond, const char *backend, const char *case_id, const char *what);

void wcet_tlsf(void);
void wcet_llff(void);

#endif /* EALLOC_BENCH_WCET_H */
