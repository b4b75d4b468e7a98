/*
 * Internal: bit scans for the TLSF bitmaps and size mapping.
 *
 * fls(x): index of the highest set bit; ffs(x): index of the lowest; x != 0.
 * Where the core has a count-leading-zeros instruction (Cortex-M3 and up,
 * x86, RISC-V with Zbb, AArch64) the compiler builtin becomes that one
 * instruction. Elsewhere (Cortex-M0/M0+, RV32 without Zbb) the builtin would
 * call a library routine, so a branch-free binary search is used instead.
 * EA_BITSCAN_SOFT=1 forces the fallback, so host tests cover both paths.
 */
#ifndef EALLOC_BITSCAN_H
#define EALLOC_BITSCAN_H

#include <stddef.h>
#include <stdint.h>

#ifndef EA_BITSCAN_SOFT
#if defined(__ARM_FEATURE_CLZ) || defined(__x86_64__) || defined(__i386__) || defined(__aarch64__) || \
    defined(__riscv_zbb)
#define EA_BITSCAN_SOFT 0
#else
#define EA_BITSCAN_SOFT 1
#endif
#endif

#define EA_SIZE_BITS (sizeof(size_t) * 8)

#if EA_BITSCAN_SOFT

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

#if EA_BITSCAN_SOFT
/* The lowest set bit is the highest set bit of x with every other bit cleared. */
static inline unsigned ffs_size(size_t x)
{
    return fls_size(x & (0 - x));
}
#endif

#endif /* EALLOC_BITSCAN_H */
