/*
 * The malloc shim's contract, written once and run on the host (against a
 * renamed copy of the shim, so the test process keeps its own malloc) and on
 * the boards (where the shim is the C library's malloc). The harness around
 * it — tests/malloc/malloc_host_test.c, tests/target/malloc/malloc_firmware.c —
 * provides main(), the heap and ea_malloc_errno_hook, which must pass every
 * call on to malloc_test_record_error().
 */
#ifndef EALLOC_TEST_MALLOC_CASES_H
#define EALLOC_TEST_MALLOC_CASES_H

#include <stddef.h>

struct CMUnitTest;
struct _reent;

/* Run before ea_malloc_init: every allocation fails with ENOMEM, nothing else breaks. */
extern const struct CMUnitTest malloc_before_init_cases[];
extern const size_t malloc_before_init_case_count;

/* Run on an initialised heap of any size (at least 4 KiB); each checks the heap and leaks nothing. */
extern const struct CMUnitTest malloc_cases[];
extern const size_t malloc_case_count;

/* What ea_malloc_errno_hook last received, and how often it was called since the last clear. */
extern int malloc_test_error;
extern struct _reent *malloc_test_reent;
extern unsigned malloc_test_error_calls;
void malloc_test_record_error(struct _reent *reent, int code);
void malloc_test_clear_error(void);

/* Provided by the harness: the reent pointer test_reentrant_forms passes to the _r calls. */
struct _reent *malloc_test_reent_arg(void);

#endif /* EALLOC_TEST_MALLOC_CASES_H */
