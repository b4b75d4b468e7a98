/*
 * The test framework: cmocka on the host. Firmware builds put a small
 * cmocka-compatible runner first on the include path (tests/target/), so the
 * same test files run on the QEMU boards.
 */
#ifndef EALLOC_TEST_FRAMEWORK_H
#define EALLOC_TEST_FRAMEWORK_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#endif
