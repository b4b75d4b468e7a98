/* The two ways results are printed: an aligned table for people, JSON lines for scripts. */
#ifndef REPLAY_REPORT_H
#define REPLAY_REPORT_H

#include <stdint.h>
#include <stdio.h>

#include "replay.h"

typedef struct report_context {
    uint64_t timer_overhead_ns; /* included in every latency sample */
    size_t check_every;
} report_context_t;

/* The summary table, the latency table and notes, for n results. */
void report_table(FILE *out, const replay_result_t *results, size_t n, const report_context_t *ctx);

/* One JSON object per line per result; the keys are listed in bench/README.md. */
void report_json(FILE *out, const replay_result_t *results, size_t n, const report_context_t *ctx);

#endif /* REPLAY_REPORT_H */
