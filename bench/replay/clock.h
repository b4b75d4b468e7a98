/*
 * The timer around each allocator call: CLOCK_MONOTONIC in nanoseconds.
 * Included only by files that define _POSIX_C_SOURCE before any header, as
 * clock_gettime is POSIX, not C11.
 */
#ifndef REPLAY_CLOCK_H
#define REPLAY_CLOCK_H

#include <stdint.h>
#include <time.h>

static inline uint64_t clock_ns(void)
{
    struct timespec ts;
    (void)clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

#endif /* REPLAY_CLOCK_H */
