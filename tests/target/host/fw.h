/*
 * The firmware support interface (targets/common/fw.h), for a hosted build:
 * lets the firmware test runner (tests/target/cmocka_shim) run on a host,
 * as the -m32 stage of `make test` does where no 32-bit cmocka is installed.
 */
#ifndef EALLOC_FW_H
#define EALLOC_FW_H

#include <stdarg.h>
#include <stddef.h>

enum { FW_EXIT_OK = 0, FW_EXIT_FAILURE = 1, FW_EXIT_PANIC = 2, FW_EXIT_FAULT = 3, FW_EXIT_ABORT = 4 };

#define FW_BOARD "host"

__attribute__((format(printf, 1, 2))) int fw_printf(const char *fmt, ...);
int fw_vprintf(const char *fmt, va_list ap);
void fw_puts(const char *s);
void fw_putc(char c);
void fw_flush(void);
__attribute__((format(printf, 3, 4))) int fw_snprintf(char *buf, size_t size, const char *fmt, ...);
int fw_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__attribute__((noreturn)) void fw_exit(int status);

#endif
