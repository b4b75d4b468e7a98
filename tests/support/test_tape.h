/*
 * Block patterns as windows of one random tape: a block's bytes are the tape
 * from an offset derived from the block's seed, so every block and every byte
 * position differ, a block moved by any distance or two blocks swapped show,
 * and filling or checking a block is one memcpy or memcmp. The tape is the
 * caller's array: as long as the largest block plus the number of offsets.
 */
#ifndef EALLOC_TEST_TAPE_H
#define EALLOC_TEST_TAPE_H

#include <stddef.h>
#include <stdint.h>

/* Fill the tape with a fixed xorshift sequence: the same on every run. */
static inline void tape_make(unsigned char *tape, size_t bytes)
{
    uint64_t x = 0x243F6A8885A308D3u;
    for (size_t i = 0; i < bytes; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        tape[i] = (unsigned char)(x >> 24);
    }
}

/* Where the pattern of seed starts: one of offsets places, spread by a multiplicative hash. */
static inline size_t tape_offset(uint32_t seed, size_t offsets)
{
    return (uint32_t)(seed * 2654435761u) % offsets;
}

#endif
