/*
 * A stand-in for <cmocka.h> on bare-metal targets: the part of cmocka's API
 * that ealloc's host tests use, with no heap, no stdio and no signals, so the
 * same test sources build for the host (real cmocka) and for firmware (this
 * header, first on the include path).
 *
 * Semantics follow cmocka 1.1: a failing assertion ends the current test at
 * once (longjmp back to the runner); setup/teardown returning non-zero fails
 * the test; integer assertions compare after conversion to the widest type.
 * Output is compact: one line per test, the file:line and message of each
 * failure, and the plain last line "N passed, N failed". A group returns the
 * number of tests that failed (0 when all passed); main() returns it, and the
 * firmware's exit status is 0 only if main returned 0.
 *
 * Not provided: mocking (will_return, expect_*), expect_assert_failure,
 * test_malloc & co., output formats.
 */
#ifndef EALLOC_TARGET_CMOCKA_SHIM_H
#define EALLOC_TARGET_CMOCKA_SHIM_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef LargestIntegralType
#define LargestIntegralType uintmax_t
#endif
#ifndef cast_to_largest_integral_type
#define cast_to_largest_integral_type(value) ((LargestIntegralType)(value))
#endif

typedef void (*CMUnitTestFunction)(void **state);
typedef int (*CMFixtureFunction)(void **state);

struct CMUnitTest {
    const char *name;
    CMUnitTestFunction test_func;
    CMFixtureFunction setup_func;
    CMFixtureFunction teardown_func;
    void *initial_state;
};

#define cmocka_unit_test(f) {#f, f, NULL, NULL, NULL}
#define cmocka_unit_test_setup(f, setup) {#f, f, setup, NULL, NULL}
#define cmocka_unit_test_teardown(f, teardown) {#f, f, NULL, teardown, NULL}
#define cmocka_unit_test_setup_teardown(f, setup, teardown) {#f, f, setup, teardown, NULL}
#define cmocka_unit_test_prestate(f, state) {#f, f, NULL, NULL, state}
#define cmocka_unit_test_prestate_setup_teardown(f, setup, teardown, state) {#f, f, setup, teardown, state}

#define cmocka_run_group_tests(group_tests, group_setup, group_teardown)                                   \
    _cmocka_run_group_tests(#group_tests, group_tests, sizeof(group_tests) / sizeof((group_tests)[0]), \
                            group_setup, group_teardown)
#define cmocka_run_group_tests_name(group_name, group_tests, group_setup, group_teardown)                  \
    _cmocka_run_group_tests(group_name, group_tests, sizeof(group_tests) / sizeof((group_tests)[0]),   \
                            group_setup, group_teardown)

/* Run the tests in order; the number that failed (0: all passed or skipped). */
int _cmocka_run_group_tests(const char *group_name, const struct CMUnitTest *const tests, const size_t num_tests,
                            CMFixtureFunction group_setup, CMFixtureFunction group_teardown);

/* ---- the runner's entry points for the macros below ------------------------------- */

__attribute__((noreturn, format(printf, 3, 4))) void _fw_test_fail(const char *file, int line, const char *fmt,
                                                                   ...);
__attribute__((noreturn)) void _fw_test_skip(const char *file, int line);
void _fw_test_int_equal(intmax_t a, intmax_t b, int want_equal, const char *sa, const char *sb,
                        const char *file, int line);
void _fw_test_uint_equal(uintmax_t a, uintmax_t b, int want_equal, const char *sa, const char *sb,
                         const char *file, int line);
void _fw_test_ptr_equal(const void *a, const void *b, int want_equal, const char *sa, const char *sb,
                        const char *file, int line);
void _fw_test_in_range(uintmax_t value, uintmax_t min, uintmax_t max, int want_inside, const char *sv,
                       const char *file, int line);
void _fw_test_memory_equal(const void *a, const void *b, size_t size, int want_equal, const char *sa,
                           const char *sb, const char *file, int line);
void _fw_test_string_equal(const char *a, const char *b, int want_equal, const char *sa, const char *sb,
                           const char *file, int line);
__attribute__((format(printf, 1, 2))) void print_message(const char *format, ...);
__attribute__((format(printf, 1, 2))) void print_error(const char *format, ...);

/* ---- assertions: each ends the test at once when it does not hold -------------------- */

#define assert_true(c) \
    ((c) ? (void)0 : _fw_test_fail(__FILE__, __LINE__, "assert_true(%s): false", #c))
#define assert_false(c) \
    (!(c) ? (void)0 : _fw_test_fail(__FILE__, __LINE__, "assert_false(%s): true", #c))
#define assert_non_null(p) \
    ((p) != NULL ? (void)0 : _fw_test_fail(__FILE__, __LINE__, "assert_non_null(%s): NULL", #p))
#define assert_null(p)                                                                                   \
    ((const void *)(p) == NULL ? (void)0                                                                 \
                               : _fw_test_fail(__FILE__, __LINE__, "assert_null(%s): %p is not NULL", #p, \
                                               (const void *)(p)))
#define assert_return_code(rc, error)                                                                    \
    ((intmax_t)(rc) >= 0 ? (void)0                                                                       \
                         : _fw_test_fail(__FILE__, __LINE__, "assert_return_code(%s): %jd < 0 (error %jd)", \
                                         #rc, (intmax_t)(rc), (intmax_t)(error)))

#define assert_int_equal(a, b) _fw_test_int_equal((intmax_t)(a), (intmax_t)(b), 1, #a, #b, __FILE__, __LINE__)
#define assert_int_not_equal(a, b) _fw_test_int_equal((intmax_t)(a), (intmax_t)(b), 0, #a, #b, __FILE__, __LINE__)
#define assert_uint_equal(a, b) _fw_test_uint_equal((uintmax_t)(a), (uintmax_t)(b), 1, #a, #b, __FILE__, __LINE__)
#define assert_uint_not_equal(a, b) \
    _fw_test_uint_equal((uintmax_t)(a), (uintmax_t)(b), 0, #a, #b, __FILE__, __LINE__)
#define assert_ptr_equal(a, b) \
    _fw_test_ptr_equal((const void *)(a), (const void *)(b), 1, #a, #b, __FILE__, __LINE__)
#define assert_ptr_not_equal(a, b) \
    _fw_test_ptr_equal((const void *)(a), (const void *)(b), 0, #a, #b, __FILE__, __LINE__)
#define assert_in_range(value, min, max) \
    _fw_test_in_range((uintmax_t)(value), (uintmax_t)(min), (uintmax_t)(max), 1, #value, __FILE__, __LINE__)
#define assert_not_in_range(value, min, max) \
    _fw_test_in_range((uintmax_t)(value), (uintmax_t)(min), (uintmax_t)(max), 0, #value, __FILE__, __LINE__)
#define assert_memory_equal(a, b, size) \
    _fw_test_memory_equal((const void *)(a), (const void *)(b), (size_t)(size), 1, #a, #b, __FILE__, __LINE__)
#define assert_memory_not_equal(a, b, size) \
    _fw_test_memory_equal((const void *)(a), (const void *)(b), (size_t)(size), 0, #a, #b, __FILE__, __LINE__)
#define assert_string_equal(a, b) \
    _fw_test_string_equal((const char *)(a), (const char *)(b), 1, #a, #b, __FILE__, __LINE__)
#define assert_string_not_equal(a, b) \
    _fw_test_string_equal((const char *)(a), (const char *)(b), 0, #a, #b, __FILE__, __LINE__)

#define fail() _fw_test_fail(__FILE__, __LINE__, "fail()")
#define fail_msg(...) _fw_test_fail(__FILE__, __LINE__, __VA_ARGS__)
#define skip() _fw_test_skip(__FILE__, __LINE__)

#ifdef __cplusplus
}
#endif

#endif /* EALLOC_TARGET_CMOCKA_SHIM_H */
