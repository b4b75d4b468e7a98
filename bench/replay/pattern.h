/*
 * The bytes the replay writes into every block, derived from the block's id
 * and the offset in the block: a block that another block overlapped, or that
 * the allocator wrote into (a header written over a payload), fails
 * verification before it is freed or reallocated. The pattern is not constant
 * and never all zero, so a block that was zeroed or left alone by a wrong copy
 * shows too. (On arena back-ends the replay also tracks which id owns each
 * byte, which catches an overlap at once and exactly.)
 */
#ifndef REPLAY_PATTERN_H
#define REPLAY_PATTERN_H

#include <stddef.h>
#include <stdint.h>

/* A bijective mix of the id, so distinct ids give distinct seeds. */
static inline uint32_t pattern_seed(uint32_t id)
{
    uint32_t x = id + 0x9e3779b9u;
    x = (x ^ (x >> 16)) * 0x85ebca6bu;
    x = (x ^ (x >> 13)) * 0xc2b2ae35u;
    return x ^ (x >> 16);
}

/* Byte i cycles through the four bytes of the seed, stirred by i so long runs are not periodic in 4. */
static inline unsigned char pattern_byte(uint32_t seed, size_t i)
{
    return (unsigned char)((seed >> ((i & 3u) * 8u)) ^ (uint32_t)((i >> 2) * 0x3bu));
}

static inline void pattern_fill(unsigned char *p, size_t from, size_t to, uint32_t seed)
{
    for (size_t i = from; i < to; i++) {
        p[i] = pattern_byte(seed, i);
    }
}

/* The offset of the first byte in [0, n) that differs from the pattern, or n. */
static inline size_t pattern_find_mismatch(const unsigned char *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != pattern_byte(seed, i)) {
            return i;
        }
    }
    return n;
}

#endif /* REPLAY_PATTERN_H */
