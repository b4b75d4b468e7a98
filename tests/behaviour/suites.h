/* The groups of the behaviour suite; main.c runs them all over one back-end. */
#ifndef EALLOC_TEST_SUITES_H
#define EALLOC_TEST_SUITES_H

#include "test_support.h"

typedef struct suite {
    const char *name;
    const struct CMUnitTest *tests;
    size_t count;
} suite_t;

#define SUITE(name_, array_) {name_, array_, sizeof(array_) / sizeof((array_)[0])}

extern const suite_t init_suite;
extern const suite_t alloc_suite;
extern const suite_t aligned_suite;
extern const suite_t realloc_suite;
extern const suite_t free_suite;
extern const suite_t region_suite;
extern const suite_t inspect_suite;

#endif
