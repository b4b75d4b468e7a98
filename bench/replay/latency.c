/* Latency samples and their order statistics. */
#define _POSIX_C_SOURCE 200809L

#include "latency.h"

#include <stdlib.h>

#include "clock.h"

bool latency_init(latency_t *l, size_t cap)
{
    l->n = 0;
    l->cap = cap;
    l->ns = cap != 0 ? malloc(cap * sizeof *l->ns) : NULL;
    return cap == 0 || l->ns != NULL;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a;
    uint64_t y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* The sample at rank ceil(q * n) (1-based) of a sorted array of n > 0. */
static uint64_t rank(const uint64_t *sorted, size_t n, unsigned percent)
{
    size_t r = (n * percent + 99) / 100;
    return sorted[r != 0 ? r - 1 : 0];
}

void latency_summarize(latency_t *l, latency_summary_t *out)
{
    out->count = l->n;
    out->min = out->median = out->p99 = out->max = 0;
    if (l->n == 0) {
        return;
    }
    qsort(l->ns, l->n, sizeof *l->ns, cmp_u64);
    out->min = l->ns[0];
    out->median = rank(l->ns, l->n, 50);
    out->p99 = rank(l->ns, l->n, 99);
    out->max = l->ns[l->n - 1];
}

void latency_free(latency_t *l)
{
    free(l->ns);
    l->ns = NULL;
    l->n = l->cap = 0;
}

uint64_t latency_timer_overhead(void)
{
    enum { ROUNDS = 1001 };
    latency_t l;
    if (!latency_init(&l, ROUNDS)) {
        return 0;
    }
    for (int i = 0; i < ROUNDS; i++) {
        uint64_t t0 = clock_ns();
        uint64_t t1 = clock_ns();
        latency_add(&l, t1 - t0);
    }
    latency_summary_t s;
    latency_summarize(&l, &s);
    latency_free(&l);
    return s.median;
}
