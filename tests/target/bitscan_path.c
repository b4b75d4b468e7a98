/*
 * Linked into the behaviour and model images: before main, reports which
 * bit-scan code the library was built with (src/bitscan.h: the CLZ
 * instruction, or the software fallback of cores without one, Cortex-M0 and
 * RV32 without Zbb), checks it is the one this board must use, and checks
 * fls/ffs against a plain loop for every bit and a spread of other values.
 * The images are compiled with the library's CPU flags, so EA_BITSCAN_SOFT
 * here is the library's.
 *
 * FW_EXPECT_BITSCAN_SOFT (0 or 1, from the board description) is the path
 * the board must take; a mismatch or a wrong result stops the run with
 * status 1 before any test runs.
 */
#include <stdint.h>

#include "bitscan.h"
#include "fw.h"

#ifndef FW_EXPECT_BITSCAN_SOFT
#error "FW_EXPECT_BITSCAN_SOFT (0 or 1) must be set by the board description"
#endif

static unsigned plain_fls(size_t x)
{
    unsigned r = 0;
    while (x >>= 1) {
        r++;
    }
    return r;
}

static unsigned plain_ffs(size_t x)
{
    unsigned r = 0;
    while ((x & 1u) == 0) {
        x >>= 1;
        r++;
    }
    return r;
}

/* Both scans of x against the plain loops: 0, or 1 after reporting the first difference. */
static int scan_differs(size_t x)
{
    if (fls_size(x) != plain_fls(x) || ffs_size(x) != plain_ffs(x)) {
        fw_printf("bit scan: wrong result for %#zx: fls %u (want %u), ffs %u (want %u)\n", x, fls_size(x),
                  plain_fls(x), ffs_size(x), plain_ffs(x));
        return 1;
    }
    return 0;
}

__attribute__((constructor)) static void report_bitscan_path(void)
{
    fw_printf("bit scan: EA_BITSCAN_SOFT=%d (%s) on %s\n", EA_BITSCAN_SOFT,
              !EA_BITSCAN_SOFT ? "CLZ instruction"
              : EA_BITSCAN_MUL ? "software fallback, no CLZ instruction: de Bruijn multiply"
                               : "software fallback, no CLZ instruction: shifts",
              FW_BOARD);
    if (EA_BITSCAN_SOFT != FW_EXPECT_BITSCAN_SOFT) {
        fw_printf("bit scan: error: this board must use EA_BITSCAN_SOFT=%d\n", FW_EXPECT_BITSCAN_SOFT);
        fw_exit(FW_EXIT_FAILURE);
    }
    int bad = 0;
    uint32_t x = 0x2545F491u; /* xorshift: a fixed spread of values */
    for (unsigned bit = 0; bit < sizeof(size_t) * 8; bit++) {
        size_t one = (size_t)1 << bit;
        bad |= scan_differs(one) | scan_differs(one | 1u) | scan_differs(one | (one >> 1)) |
               scan_differs(SIZE_MAX << bit) | scan_differs((size_t)-1 >> bit);
    }
    for (unsigned i = 0; i < 1000; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        bad |= scan_differs(x);
    }
    if (bad) {
        fw_exit(FW_EXIT_FAILURE);
    }
    fw_printf("bit scan: fls/ffs agree with a plain loop on %u values\n",
              (unsigned)(5 * sizeof(size_t) * 8 + 1000));
}
