/*
 * The runner behind cmocka.h on firmware: runs a group's tests one by one,
 * catches failing assertions with setjmp/longjmp, and prints through the
 * firmware's semihosting printf. Groups may be run from inside a test (the
 * self-test does, to check that failures are caught), so the jump targets
 * form a stack.
 */
#include "cmocka.h"

#include <stdbool.h>
#include <string.h>

#include "fw.h"

enum outcome { OUTCOME_PASS = 0, OUTCOME_FAIL = 1, OUTCOME_SKIP = 2 };

/* One protected call: a test body or a fixture. */
typedef struct frame {
    jmp_buf jump;
    struct frame *outer;
    const char *file; /* where it failed */
    int line;
} frame_t;

static frame_t *current;
static int nesting; /* groups being run: 1 for the top level */

/* ---- failures ------------------------------------------------------------------- */

__attribute__((noreturn)) static void leave(int outcome, const char *file, int line)
{
    if (current == NULL) {
        fw_printf("%s:%d: assertion outside a test; stopping\n", file, line);
        fw_exit(FW_EXIT_FAILURE);
    }
    current->file = file;
    current->line = line;
    longjmp(current->jump, outcome);
}

void _fw_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fw_printf("%s:%d: error: ", file, line);
    va_start(ap, fmt);
    fw_vprintf(fmt, ap);
    va_end(ap);
    fw_putc('\n');
    leave(OUTCOME_FAIL, file, line);
}

void _fw_test_skip(const char *file, int line)
{
    leave(OUTCOME_SKIP, file, line);
}

void print_message(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fw_vprintf(format, ap);
    va_end(ap);
}

void print_error(const char *format, ...)
{
    va_list ap;
    va_start(ap, format);
    fw_vprintf(format, ap);
    va_end(ap);
}

/* ---- comparisons ---------------------------------------------------------------------- */

void _fw_test_int_equal(intmax_t a, intmax_t b, int want_equal, const char *sa, const char *sb, const char *file,
                        int line)
{
    if ((a == b) != (want_equal != 0)) {
        _fw_test_fail(file, line, "%s(%s, %s): %jd (%#jx) %s %jd (%#jx)",
                      want_equal ? "assert_int_equal" : "assert_int_not_equal", sa, sb, a, (uintmax_t)a,
                      want_equal ? "!=" : "==", b, (uintmax_t)b);
    }
}

void _fw_test_uint_equal(uintmax_t a, uintmax_t b, int want_equal, const char *sa, const char *sb, const char *file,
                         int line)
{
    if ((a == b) != (want_equal != 0)) {
        _fw_test_fail(file, line, "%s(%s, %s): %ju (%#jx) %s %ju (%#jx)",
                      want_equal ? "assert_uint_equal" : "assert_uint_not_equal", sa, sb, a, a,
                      want_equal ? "!=" : "==", b, b);
    }
}

void _fw_test_ptr_equal(const void *a, const void *b, int want_equal, const char *sa, const char *sb,
                        const char *file, int line)
{
    if ((a == b) != (want_equal != 0)) {
        _fw_test_fail(file, line, "%s(%s, %s): %p %s %p", want_equal ? "assert_ptr_equal" : "assert_ptr_not_equal",
                      sa, sb, a, want_equal ? "!=" : "==", b);
    }
}

void _fw_test_in_range(uintmax_t value, uintmax_t min, uintmax_t max, int want_inside, const char *sv,
                       const char *file, int line)
{
    bool inside = value >= min && value <= max;
    if (inside != (want_inside != 0)) {
        _fw_test_fail(file, line, "%s(%s): %ju is %s [%ju, %ju]", want_inside ? "assert_in_range" : "assert_not_in_range",
                      sv, value, want_inside ? "not in" : "in", min, max);
    }
}

void _fw_test_memory_equal(const void *a, const void *b, size_t size, int want_equal, const char *sa, const char *sb,
                           const char *file, int line)
{
    const unsigned char *pa = a;
    const unsigned char *pb = b;
    size_t i = 0;
    while (i < size && pa[i] == pb[i]) {
        i++;
    }
    if (want_equal && i < size) {
        _fw_test_fail(file, line, "assert_memory_equal(%s, %s): byte %zu of %zu differs: 0x%02x != 0x%02x", sa, sb, i,
                      size, pa[i], pb[i]);
    }
    if (!want_equal && i == size) {
        _fw_test_fail(file, line, "assert_memory_not_equal(%s, %s): the %zu bytes are equal", sa, sb, size);
    }
}

void _fw_test_string_equal(const char *a, const char *b, int want_equal, const char *sa, const char *sb,
                           const char *file, int line)
{
    bool equal = (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
    if (equal != (want_equal != 0)) {
        _fw_test_fail(file, line, "%s(%s, %s): \"%s\" %s \"%s\"",
                      want_equal ? "assert_string_equal" : "assert_string_not_equal", sa, sb, a, want_equal ? "!=" : "==",
                      b);
    }
}

/* ---- the runner ------------------------------------------------------------------------ */

/* Calls a test (fixture == NULL) or a fixture; a failing assertion lands back here. */
static int protect(CMUnitTestFunction test, CMFixtureFunction fixture, void **state, frame_t *f)
{
    f->outer = current;
    f->file = NULL;
    f->line = 0;
    current = f;
    int outcome = setjmp(f->jump);
    if (outcome == 0) {
        if (fixture != NULL) {
            outcome = fixture(state) == 0 ? OUTCOME_PASS : OUTCOME_FAIL;
        } else {
            test(state);
        }
    }
    current = f->outer;
    return outcome;
}

/* What to list at the end for a failed test. */
typedef struct failure {
    const char *name;
    const char *file;
    int line;
} failure_t;

#define LISTED_FAILURES 16

int _cmocka_run_group_tests(const char *group_name, const struct CMUnitTest *const tests, const size_t num_tests,
                            CMFixtureFunction group_setup, CMFixtureFunction group_teardown)
{
    failure_t listed[LISTED_FAILURES];
    size_t passed = 0, failed = 0, skipped = 0;
    void *group_state = NULL;
    frame_t f;

    /* A group run from inside a test marks its summary, which is then not the run's last word. */
    const char *summary_prefix = nesting > 0 ? "(nested group) " : "";

    fw_printf("[==========] %s: running %zu test(s).\n", group_name, num_tests);
    if (group_setup != NULL && protect(NULL, group_setup, &group_state, &f) != OUTCOME_PASS) {
        fw_printf("[  ERROR   ] %s: group setup failed\n", group_name);
        fw_printf("%s0 passed, %zu failed\n", summary_prefix, num_tests);
        return num_tests > 0 ? (int)num_tests : 1;
    }
    nesting++;

    for (size_t i = 0; i < num_tests; i++) {
        const struct CMUnitTest *t = &tests[i];
        void *state = t->initial_state != NULL ? t->initial_state : group_state;
        int outcome;

        fw_printf("[ RUN      ] %s\n", t->name);
        if (t->setup_func != NULL && (outcome = protect(NULL, t->setup_func, &state, &f)) != OUTCOME_PASS) {
            if (outcome == OUTCOME_FAIL) {
                fw_printf("[  ERROR   ] %s: setup failed\n", t->name);
            }
        } else {
            outcome = protect(t->test_func, NULL, &state, &f);
            if (t->teardown_func != NULL) {
                frame_t tf;
                if (protect(NULL, t->teardown_func, &state, &tf) == OUTCOME_FAIL) {
                    fw_printf("[  ERROR   ] %s: teardown failed\n", t->name);
                    if (outcome != OUTCOME_FAIL) {
                        outcome = OUTCOME_FAIL;
                        f = tf;
                    }
                }
            }
        }

        if (outcome == OUTCOME_PASS) {
            passed++;
            fw_printf("[       OK ] %s\n", t->name);
        } else if (outcome == OUTCOME_SKIP) {
            skipped++;
            fw_printf("[  SKIPPED ] %s\n", t->name);
        } else {
            if (failed < LISTED_FAILURES) {
                listed[failed] = (failure_t){t->name, f.file, f.line};
            }
            failed++;
            fw_printf("[  FAILED  ] %s\n", t->name);
        }
    }

    nesting--;
    if (group_teardown != NULL && protect(NULL, group_teardown, &group_state, &f) != OUTCOME_PASS) {
        fw_printf("[  ERROR   ] %s: group teardown failed\n", group_name);
        if (failed < LISTED_FAILURES) {
            listed[failed] = (failure_t){"(group teardown)", f.file, f.line};
        }
        failed++;
    }

    fw_printf("[==========] %s: %zu test(s) run.\n", group_name, num_tests);
    if (skipped > 0) {
        fw_printf("[  SKIPPED ] %zu test(s)\n", skipped);
    }
    if (failed > 0) {
        fw_printf("[  FAILED  ] %zu test(s), listed below:\n", failed);
        for (size_t i = 0; i < failed && i < LISTED_FAILURES; i++) {
            if (listed[i].file != NULL) {
                fw_printf("[  FAILED  ] %s (%s:%d)\n", listed[i].name, listed[i].file, listed[i].line);
            } else {
                fw_printf("[  FAILED  ] %s\n", listed[i].name);
            }
        }
        if (failed > LISTED_FAILURES) {
            fw_printf("[  FAILED  ] ... and %zu more\n", failed - LISTED_FAILURES);
        }
    }
    fw_printf("%s%zu passed, %zu failed\n", summary_prefix, passed, failed);
    return (int)failed;
}
