/*
 * Self-test of the firmware test runner (cmocka_shim) and the firmware printf.
 *
 * Every assertion is checked both ways: the passing form in a test of its
 * own, the failing form inside a nested group whose result must be exactly
 * one failure per deliberately broken test. Built with
 * -DSELFTEST_EXPECT_FAILURE, one top-level test fails on purpose: that image
 * must end the run with a non-zero status (the expected-failure check).
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fw.h"

/* ---- every assertion, holding ------------------------------------------------------ */

static void assertions_that_hold(void **state)
{
    (void)state;
    int x = 7;
    static const unsigned char a[4] = {1, 2, 3, 4}, b[4] = {1, 2, 3, 4}, c[4] = {1, 2, 3, 5};

    assert_true(x == 7);
    assert_false(x == 8);
    assert_int_equal(x, 7);
    assert_int_equal(-1, (int)-1);
    assert_int_not_equal(x, -7);
    assert_uint_equal(SIZE_MAX, (size_t)-1);
    assert_uint_not_equal(1u, 2u);
    assert_null(NULL);
    assert_non_null(&x);
    assert_ptr_equal(&a[1], a + 1);
    assert_ptr_not_equal(a, b);
    assert_in_range(5, 5, 9);
    assert_in_range(9, 5, 9);
    assert_not_in_range(10, 5, 9);
    assert_memory_equal(a, b, sizeof a);
    assert_memory_not_equal(a, c, sizeof a);
    assert_string_equal("abc", "abc");
    assert_string_not_equal("abc", "abd");
    assert_return_code(0, 0);
}

static void int_assertions_compare_wide_values(void **state)
{
    (void)state;
    assert_int_equal(INT64_MIN, INT64_MIN);
    assert_int_not_equal(INT64_MIN, INT64_MAX);
    assert_uint_equal(UINT64_MAX, UINT64_MAX);
    assert_in_range(UINT64_MAX - 1, UINT64_MAX - 2, UINT64_MAX);
}

/* ---- fixtures and state, as cmocka passes them ---------------------------------------- */

static int group_value = 1000;
static int test_value;
static int teardowns;

static int set_test_state(void **state)
{
    test_value = 42;
    *state = &test_value;
    return 0;
}

static int check_test_state(void **state)
{
    teardowns++;
    return *state == &test_value ? 0 : -1;
}

static void setup_passes_state_to_test(void **state)
{
    assert_ptr_equal(*state, &test_value);
    assert_int_equal(*(int *)*state, 42);
}

static void teardown_ran_after_previous_test(void **state)
{
    (void)state;
    assert_int_equal(teardowns, 1);
}

static void group_state_reaches_tests(void **state)
{
    assert_ptr_equal(*state, &group_value);
}

static int prestate_value = 5;

static void prestate_overrides_group_state(void **state)
{
    assert_ptr_equal(*state, &prestate_value);
}

static void skipped_test_counts_as_skipped(void **state)
{
    (void)state;
    skip();
    fail_msg("skip() returned");
}

/* ---- failing assertions, each inside a nested group ---------------------------------- */

static int reached_after_failure;

#define BROKEN(name, statement)          \
    static void name(void **state)       \
    {                                    \
        (void)state;                     \
        statement;                       \
        reached_after_failure++;         \
    }

BROKEN(broken_true, assert_true(1 == 2))
BROKEN(broken_false, assert_false(1 == 1))
BROKEN(broken_int_equal, assert_int_equal(3, 4))
BROKEN(broken_int_equal_sign, assert_int_equal(-1, 0xFFFFFFFFu))
BROKEN(broken_int_not_equal, assert_int_not_equal(5, 5))
BROKEN(broken_uint_equal, assert_uint_equal(1u, 2u))
BROKEN(broken_uint_not_equal, assert_uint_not_equal(SIZE_MAX, SIZE_MAX))
BROKEN(broken_null, assert_null(&reached_after_failure))
BROKEN(broken_non_null, assert_non_null(NULL))
BROKEN(broken_ptr_equal, assert_ptr_equal(&reached_after_failure, NULL))
BROKEN(broken_ptr_not_equal, assert_ptr_not_equal(NULL, NULL))
BROKEN(broken_in_range_low, assert_in_range(4, 5, 9))
BROKEN(broken_in_range_high, assert_in_range(10, 5, 9))
BROKEN(broken_not_in_range, assert_not_in_range(7, 5, 9))
BROKEN(broken_memory_equal, assert_memory_equal("abcd", "abce", 4))
BROKEN(broken_memory_not_equal, assert_memory_not_equal("abcd", "abcd", 4))
BROKEN(broken_string_equal, assert_string_equal("x", "y"))
BROKEN(broken_string_not_equal, assert_string_not_equal("x", "x"))
BROKEN(broken_return_code, assert_return_code(-5, 12))
BROKEN(broken_fail, fail())
BROKEN(broken_fail_msg, fail_msg("deliberate failure %d of %s", 1, "fail_msg"))

static void helper_that_fails(void)
{
    assert_int_equal(1, 0);
}
BROKEN(broken_in_helper, helper_that_fails())

static int failing_setup(void **state)
{
    (void)state;
    return -1;
}

static int asserting_setup(void **state)
{
    (void)state;
    assert_true(0);
    return 0;
}

static int failing_teardown(void **state)
{
    (void)state;
    return 1;
}

static int body_ran;

static void body_that_must_not_run(void **state)
{
    (void)state;
    body_ran++;
}

static void passing_body(void **state)
{
    (void)state;
}

static const struct CMUnitTest broken_tests[] = {
    cmocka_unit_test(broken_true),
    cmocka_unit_test(broken_false),
    cmocka_unit_test(broken_int_equal),
    cmocka_unit_test(broken_int_equal_sign),
    cmocka_unit_test(broken_int_not_equal),
    cmocka_unit_test(broken_uint_equal),
    cmocka_unit_test(broken_uint_not_equal),
    cmocka_unit_test(broken_null),
    cmocka_unit_test(broken_non_null),
    cmocka_unit_test(broken_ptr_equal),
    cmocka_unit_test(broken_ptr_not_equal),
    cmocka_unit_test(broken_in_range_low),
    cmocka_unit_test(broken_in_range_high),
    cmocka_unit_test(broken_not_in_range),
    cmocka_unit_test(broken_memory_equal),
    cmocka_unit_test(broken_memory_not_equal),
    cmocka_unit_test(broken_string_equal),
    cmocka_unit_test(broken_string_not_equal),
    cmocka_unit_test(broken_return_code),
    cmocka_unit_test(broken_fail),
    cmocka_unit_test(broken_fail_msg),
    cmocka_unit_test(broken_in_helper),
    cmocka_unit_test_setup(body_that_must_not_run, failing_setup),
    cmocka_unit_test_setup(body_that_must_not_run, asserting_setup),
    cmocka_unit_test_teardown(passing_body, failing_teardown),
};
#define BROKEN_COUNT (sizeof broken_tests / sizeof broken_tests[0])

static void failures_are_caught_and_counted(void **state)
{
    (void)state;
    static const struct CMUnitTest mixed[] = {
        cmocka_unit_test(passing_body),
        cmocka_unit_test(broken_fail),
        cmocka_unit_test(skipped_test_counts_as_skipped),
    };

    reached_after_failure = 0;
    body_ran = 0;
    print_message("--- a nested group of %u deliberately failing tests follows ---\n", (unsigned)BROKEN_COUNT);
    int failed = cmocka_run_group_tests_name("deliberately_broken", broken_tests, NULL, NULL);
    print_message("--- end of the deliberately failing tests ---\n");
    assert_int_equal(failed, BROKEN_COUNT);
    assert_int_equal(reached_after_failure, 0);
    assert_int_equal(body_ran, 0);

    failed = cmocka_run_group_tests_name("mixed", mixed, NULL, NULL);
    assert_int_equal(failed, 1);
}

static int failing_group_setup(void **state)
{
    (void)state;
    return -1;
}

static void failing_group_setup_fails_every_test(void **state)
{
    (void)state;
    static const struct CMUnitTest two[] = {
        cmocka_unit_test(body_that_must_not_run),
        cmocka_unit_test(body_that_must_not_run),
    };
    body_ran = 0;
    assert_int_equal(cmocka_run_group_tests_name("failing_group_setup", two, failing_group_setup, NULL), 2);
    assert_int_equal(body_ran, 0);
}

/* ---- the firmware printf ------------------------------------------------------------ */

#define EXPECT_FORMAT(expected, ...)                                       \
    do {                                                                   \
        char buf_[96];                                                     \
        int n_ = fw_snprintf(buf_, sizeof buf_, __VA_ARGS__);              \
        assert_string_equal(buf_, expected);                               \
        assert_int_equal(n_, strlen(expected));                            \
    } while (0)

static void printf_conversions(void **state)
{
    (void)state;
    const char *volatile null_string = NULL; /* volatile: keep gcc's format check from seeing the NULL */
    EXPECT_FORMAT("0 -1 2147483647 -2147483648", "%d %d %d %d", 0, -1, INT_MAX, INT_MIN);
    EXPECT_FORMAT("4294967295 ffffffff FFFFFFFF 37777777777", "%u %x %X %o", UINT_MAX, UINT_MAX, UINT_MAX, UINT_MAX);
    EXPECT_FORMAT("18446744073709551615 -9223372036854775808", "%llu %lld", ULLONG_MAX, LLONG_MIN);
#if ULONG_MAX > 0xFFFFFFFFu /* LP64 (riscv64-virt) */
    EXPECT_FORMAT("18446744073709551615 -9223372036854775808", "%lu %ld", ULONG_MAX, LONG_MIN);
#else
    EXPECT_FORMAT("4294967295 -2147483648", "%lu %ld", ULONG_MAX, LONG_MIN);
#endif
    EXPECT_FORMAT("4096 -3 123", "%zu %td %ju", (size_t)4096, (ptrdiff_t)-3, (uintmax_t)123);
    EXPECT_FORMAT("-1 255 -32768", "%hhd %hhu %hd", -1, 255, -32768);
    EXPECT_FORMAT("0x00001000 0x1000 1000", "%#010x %#x %x", 0x1000u, 0x1000u, 0x1000u);
    EXPECT_FORMAT("[   42] [42   ] [00042] [+42] [ 42] [  042]", "[%5d] [%-5d] [%05d] [%+d] [% d] [%5.3d]", 42, 42,
                  42, 42, 42, 42);
    EXPECT_FORMAT("[-0042]", "[%05d]", -42);
    EXPECT_FORMAT("[ abc] [abc ] [ab] [(null)]", "[%4s] [%-4s] [%.2s] [%s]", "abc", "abc", "abcdef", null_string);
    EXPECT_FORMAT("[x] [  y] 100%", "[%c] [%3c] 100%%", 'x', 'y');
    EXPECT_FORMAT("[    7] [7    ]", "[%*d] [%*d]", 5, 7, -5, 7);
    EXPECT_FORMAT("0x20000000", "%p", (void *)(uintptr_t)0x20000000u);
}

static void snprintf_truncates(void **state)
{
    (void)state;
    char buf[6];
    memset(buf, 'z', sizeof buf);
    assert_int_equal(fw_snprintf(buf, sizeof buf, "%s-%d", "abcdef", 12), 9);
    assert_string_equal(buf, "abcde");
    assert_int_equal(fw_snprintf(NULL, 0, "%d", 12345), 5);
}

#if defined(__arm__) && defined(__thumb2__)
#define TARGET_ISA "Arm Thumb-2"
#elif defined(__arm__)
#define TARGET_ISA "Arm Thumb-1"
#elif defined(__riscv)
#define TARGET_ISA "RISC-V"
#else
#define TARGET_ISA "unknown ISA"
#endif
#if defined(__ARM_FEATURE_CLZ) || defined(__riscv_zbb)
#define TARGET_CLZ "yes"
#else
#define TARGET_CLZ "no"
#endif

static void report_target(void **state)
{
    (void)state;
    print_message("board %s: %s, %u-bit pointers, CLZ instruction: %s\n", FW_BOARD, TARGET_ISA,
                  (unsigned)(sizeof(void *) * 8), TARGET_CLZ);
}

#ifdef SELFTEST_EXPECT_FAILURE
static void deliberately_failing_test(void **state)
{
    (void)state;
    assert_int_equal(1 + 1, 3); /* this build must make the firmware exit non-zero */
}
#endif

static int group_setup(void **state)
{
    *state = &group_value;
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(report_target),
        cmocka_unit_test(assertions_that_hold),
        cmocka_unit_test(int_assertions_compare_wide_values),
        cmocka_unit_test_setup_teardown(setup_passes_state_to_test, set_test_state, check_test_state),
        cmocka_unit_test(teardown_ran_after_previous_test),
        cmocka_unit_test(group_state_reaches_tests),
        cmocka_unit_test_prestate(prestate_overrides_group_state, &prestate_value),
        cmocka_unit_test(skipped_test_counts_as_skipped),
        cmocka_unit_test(failures_are_caught_and_counted),
        cmocka_unit_test(failing_group_setup_fails_every_test),
        cmocka_unit_test(printf_conversions),
        cmocka_unit_test(snprintf_truncates),
#ifdef SELFTEST_EXPECT_FAILURE
        cmocka_unit_test(deliberately_failing_test),
#endif
    };
    return cmocka_run_group_tests(tests, group_setup, NULL);
}
