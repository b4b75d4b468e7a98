/* fw.h over the C library's stdio, for running the firmware test runner on a host. */
#include "fw.h"

#include <stdio.h>
#include <stdlib.h>

int fw_vprintf(const char *fmt, va_list ap)
{
    return vprintf(fmt, ap);
}

int fw_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vprintf(fmt, ap);
    va_end(ap);
    return n;
}

void fw_puts(const char *s)
{
    (void)puts(s);
}

void fw_putc(char c)
{
    (void)putchar(c);
}

void fw_flush(void)
{
    (void)fflush(stdout);
}

int fw_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    return vsnprintf(buf, size, fmt, ap);
}

int fw_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void fw_exit(int status)
{
    (void)fflush(stdout);
    exit(status);
}
