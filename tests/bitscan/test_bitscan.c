/*
 * The bit scans of src/bitscan.h, built three times: with the core's
 * instruction (EA_BITSCAN_SOFT=0) and with each branch-free fallback that
 * Cortex-M0 and RV32 without Zbb use (EA_BITSCAN_SOFT=1): the de Bruijn
 * multiply (EA_BITSCAN_MUL=1) and the shifts (EA_BITSCAN_MUL=0). Each must
 * agree with a plain loop.
 */
#include "bitscan.h"
#include "test_framework.h"

static unsigned slow_fls(size_t x)
{
    unsigned r = 0;
    while (x >>= 1) {
        r++;
    }
    return r;
}

static unsigned slow_ffs(size_t x)
{
    unsigned r = 0;
    while ((x & 1) == 0) {
        x >>= 1;
        r++;
    }
    return r;
}

static void every_single_bit(void **state)
{
    (void)state;
    for (unsigned i = 0; i < EA_SIZE_BITS; i++) {
        size_t x = (size_t)1 << i;
        assert_int_equal(fls_size(x), i);
        assert_int_equal(ffs_size(x), i);
        assert_int_equal(fls_size(x | 1), i);
        assert_int_equal(ffs_size(x | ((size_t)1 << (EA_SIZE_BITS - 1))), i);
    }
    assert_int_equal(fls_size(SIZE_MAX), EA_SIZE_BITS - 1);
    assert_int_equal(ffs_size(SIZE_MAX), 0);
}

static void pseudo_random_values(void **state)
{
    (void)state;
    uint64_t x = 88172645463325252u; /* fixed seed */
    for (unsigned n = 0; n < 200000; n++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        size_t v = (size_t)x >> (n % EA_SIZE_BITS); /* every width of value */
        if (v == 0) {
            continue;
        }
        assert_int_equal(fls_size(v), slow_fls(v));
        assert_int_equal(ffs_size(v), slow_ffs(v));
    }
}

static void path_under_test(void **state)
{
    (void)state;
    print_message("bit scans: %s path\n", !EA_BITSCAN_SOFT ? "instruction"
                                           : EA_BITSCAN_MUL ? "branch-free fallback, multiply"
                                                            : "branch-free fallback, shifts");
#ifdef EXPECT_SOFT
    assert_int_equal(EA_BITSCAN_SOFT, EXPECT_SOFT);
#endif
#ifdef EXPECT_MUL
    assert_int_equal(EA_BITSCAN_MUL, EXPECT_MUL);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(path_under_test),
        cmocka_unit_test(every_single_bit),
        cmocka_unit_test(pseudo_random_values),
    };
    return cmocka_run_group_tests_name("bitscan", tests, NULL, NULL);
}
