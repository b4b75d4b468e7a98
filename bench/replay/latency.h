/*
 * Per-operation latencies of one kind, and their summary. Samples are stored,
 * not binned, so the median and p99 are exact order statistics.
 */
#ifndef REPLAY_LATENCY_H
#define REPLAY_LATENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct latency {
    uint64_t *ns;
    size_t n;
    size_t cap;
} latency_t;

typedef struct latency_summary {
    size_t count; /* calls measured; the other fields are 0 when count is 0 */
    uint64_t min;
    uint64_t median;
    uint64_t p99;
    uint64_t max;
} latency_summary_t;

/* Room for cap samples, so that adding during the replay never allocates. */
bool latency_init(latency_t *l, size_t cap);

static inline void latency_add(latency_t *l, uint64_t ns)
{
    if (l->n < l->cap) {
        l->ns[l->n++] = ns;
    }
}

/* Sorts the samples in place. Percentiles by nearest rank: p99 is the smallest sample >= 99% of them. */
void latency_summarize(latency_t *l, latency_summary_t *out);

void latency_free(latency_t *l);

/*
 * The median cost of reading the clock twice with nothing between, in ns:
 * what every sample includes besides the call itself.
 */
uint64_t latency_timer_overhead(void);

#endif /* REPLAY_LATENCY_H */
