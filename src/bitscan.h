/*
 * Internal: bit scans for the TLSF bitmaps and size mapping.
 *
 * fls(x): index of the highest set bit; ffs(x): index of the lowest; x != 0.
 * Where the core has a count-leading-zeros instruction (Cortex-M3 and up,
 * x86, RISC-V with Zbb, AArch64) the compiler builtin becomes that one
 * instruction. Elsewhere (Cortex-M0/M0+, RV32 without Zbb) the builtin would
 * call a library routine, so a branch-free fallback is used instead: with a
 * multiply instruction (EA_BITSCAN_MUL, config.h) the bit is isolated and
 * named by a de Bruijn multiply and a table, otherwise by a binary search of
 * shifts. EA_BITSCAN_SOFT=1 forces the fallback, so host tests cover every
 * path.
 */
#ifndef EALLOC_BITSCAN_H
#define EALLOC_BITSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "ealloc/config.h"

#ifndef EA_BITSCAN_SOFT
#if defined(__ARM_FEATURE_CLZ) || defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || \
    defined(__riscv_zbb)
#define EA_BITSCAN_SOFT 0
#else
#define EA_BITSCAN_SOFT 1
#endif
#endif

#define EA_SIZE_BITS (sizeof(size_t) * 8)

#if EA_BITSCAN_SOFT && EA_BITSCAN_MUL

/*
 * The index of the single set bit of b: b times a de Bruijn constant (whose
 * 5-bit windows, 6-bit on 64-bit, are all different) is the constant shifted
 * left by the index, so its top 5 (6) bits name the index through a table.
 * On the Cortex-M0+: 5 instructions and 32 bytes of table, where the shifts
 * take about 26 instructions (docs/tlsf-speed-log.md, "Bit scans on the
 * Cortex-M0+").
 */
static inline unsigned single_bit_index(size_t b)
{
#if SIZE_MAX > 0xFFFFFFFFu
    static const unsigned char index_of_top_bits[64] = {
        0,  1,  48, 2,  57, 49, 28, 3,  61, 58, 50, 42, 38, 29, 17, 4,  62, 55, 59, 36, 53, 51,
        43, 22, 45, 39, 33, 30, 24, 18, 12, 5,  63, 47, 56, 27, 60, 41, 37, 16, 54, 35, 52, 21,
        44, 32, 23, 11, 46, 26, 40, 15, 34, 20, 31, 10, 25, 14, 19, 9,  13, 8,  7,  6};
    return index_of_top_bits[(uint64_t)(b * UINT64_C(0x03F79D71B4CB0A89)) >> 58];
#else
    static const unsigned char index_of_top_bits[32] = {0,  1,  28, 2,  29, 14, 24, 3, 30, 22, 20,
                                                        15, 25, 17, 4,  8,  31, 27, 13, 23, 21, 19,
                                                        16, 7,  26, 12, 18, 6,  11, 5,  10, 9};
    return index_of_top_bits[(uint32_t)(b * UINT32_C(0x077CB531)) >> 27];
#endif
}

/* Every bit below the highest set, then the highest alone. */
static inline unsigned fls_size(size_t x)
{
    x |= x >> 1;
    x |= x >> 2;
    x |= x >> 4;
    x |= x >> 8;
    x |= x >> 16;
#if SIZE_MAX > 0xFFFFFFFFu
    x |= x >> 32;
#endif
    return single_bit_index(x ^ (x >> 1));
}

/* The lowest set bit alone. */
static inline unsigned ffs_size(size_t x)
{
    return single_bit_index(x & (0 - x));
}

#elif EA_BITSCAN_SOFT

/* Halve the window each step; every step is a shift and an add, no branch. */
static inline unsigned fls_size(size_t x)
{
    unsigned r = 0;
#if SIZE_MAX > 0xFFFFFFFFu
    {
        unsigned s = (unsigned)((x >> 32) != 0) << 5;
        x >>= s;
        r += s;
    }
#endif
    unsigned s = (unsigned)((x >> 16) != 0) << 4;
    x >>= s;
    r += s;
    s = (unsigned)((x >> 8) != 0) << 3;
    x >>= s;
    r += s;
    s = (unsigned)((x >> 4) != 0) << 2;
    x >>= s;
    r += s;
    s = (unsigned)((x >> 2) != 0) << 1;
    x >>= s;
    r += s;
    return r + (unsigned)(x >> 1);
}

/* The lowest set bit is the highest set bit of x with every other bit cleared. */
static inline unsigned ffs_size(size_t x)
{
    return fls_size(x & (0 - x));
}

#else

static inline unsigned fls_size(size_t x)
{
#if SIZE_MAX > 0xFFFFFFFFu
    return (unsigned)(EA_SIZE_BITS - 1) - (unsigned)__builtin_clzll((unsigned long long)x);
#else
    return (unsigned)(EA_SIZE_BITS - 1) - (unsigned)__builtin_clzl((unsigned long)x);
#endif
}

static inline unsigned ffs_size(size_t x)
{
#if SIZE_MAX > 0xFFFFFFFFu
    return (unsigned)__builtin_ctzll((unsigned long long)x);
#else
    return (unsigned)__builtin_ctzl((unsigned long)x);
#endif
}

#endif

#endif /* EALLOC_BITSCAN_H */
