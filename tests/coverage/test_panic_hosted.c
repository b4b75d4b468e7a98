/*
 * The default hooks of hosted builds (src/panic_hosted.c), which every other
 * test replaces with its own: ea_panic names the fault on stderr and aborts,
 * for every fault and for a value that is none; ea_oom_hook does nothing.
 *
 * Linked with the library alone (no test support, so the weak defaults are
 * the ones called). The abort is caught in-process: a SIGABRT handler jumps
 * back into the test, and stderr goes to a file for the while.
 */
#define _POSIX_C_SOURCE 200809L /* sigaction, sigsetjmp */
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <ealloc/ealloc.h>

#include "test_framework.h"

static sigjmp_buf landing;
static volatile sig_atomic_t aborted;

static void on_abort(int sig)
{
    (void)sig;
    aborted = 1;
    siglongjmp(landing, 1);
}

/* Call ea_panic(why, detail); return what it wrote to stderr, and whether it aborted. */
static const char *panic_output(ea_fault_t why, const char *detail, bool *did_abort)
{
    static char text[256];
    FILE *capture = tmpfile();
    assert_non_null(capture);
    (void)fflush(stderr);
    int saved_stderr = dup(STDERR_FILENO);
    assert_true(saved_stderr >= 0);
    assert_true(dup2(fileno(capture), STDERR_FILENO) >= 0);

    struct sigaction act;
    struct sigaction old;
    memset(&act, 0, sizeof act);
    act.sa_handler = on_abort;
    sigemptyset(&act.sa_mask);
    assert_int_equal(sigaction(SIGABRT, &act, &old), 0);
    aborted = 0;
    if (sigsetjmp(landing, 1) == 0) {
        ea_panic(why, detail);
    }
    assert_int_equal(sigaction(SIGABRT, &old, NULL), 0);

    (void)fflush(stderr);
    assert_true(dup2(saved_stderr, STDERR_FILENO) >= 0);
    (void)close(saved_stderr);
    rewind(capture);
    size_t n = fread(text, 1, sizeof text - 1, capture);
    text[n] = '\0';
    (void)fclose(capture);
    *did_abort = aborted != 0;
    return text;
}

static void every_fault_is_named_and_aborts(void **state)
{
    (void)state;
    static const struct {
        ea_fault_t why;
        const char *name;
    } faults[] = {
        {EA_FAULT_DOUBLE_INIT, "double init"},
        {EA_FAULT_BAD_REGION, "bad region"},
        {EA_FAULT_NOT_INIT, "heap not initialised"},
        {EA_FAULT_DOUBLE_FREE, "double free"},
        {EA_FAULT_FOREIGN_POINTER, "foreign pointer"},
        {EA_FAULT_CORRUPT, "corrupt heap"},
    };
    char want[128];
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) {
        bool did_abort;
        const char *got = panic_output(faults[i].why, "ealloc test", &did_abort);
        assert_string_equal(ea_fault_name(faults[i].why), faults[i].name);
        (void)snprintf(want, sizeof want, "ealloc panic: %s: ealloc test\n", faults[i].name);
        assert_string_equal(got, want);
        assert_true(did_abort);
    }
}

static void an_unknown_fault_and_no_detail(void **state)
{
    (void)state;
    bool did_abort;
    const char *got = panic_output((ea_fault_t)99, NULL, &did_abort);
    assert_string_equal(got, "ealloc panic: unknown fault: \n");
    assert_string_equal(ea_fault_name((ea_fault_t)0), "unknown fault");
    assert_true(did_abort);
}

static void the_default_oom_hook_does_nothing(void **state)
{
    (void)state;
    int x = 0;
    ea_oom_hook(&x, 100, 8);
    assert_int_equal(x, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_fault_is_named_and_aborts),
        cmocka_unit_test(an_unknown_fault_and_no_detail),
        cmocka_unit_test(the_default_oom_hook_does_nothing),
    };
    return cmocka_run_group_tests_name("panic_hosted", tests, NULL, NULL) != 0;
}
