/*
 * The tests' random numbers: splitmix64 — small, fast, and the same sequence
 * on every target for one seed, so a printed seed replays a failure anywhere.
 */
#ifndef EALLOC_TEST_RANDOM_H
#define EALLOC_TEST_RANDOM_H

#include <stdint.h>

/* Advances *state and returns the next number of its sequence. */
static inline uint64_t splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

#endif
