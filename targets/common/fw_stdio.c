/*
 * The C library's standard output, for firmware that uses stdio (printf,
 * fprintf(stderr, ...), puts): every byte goes to fw_putc, so it shares the
 * firmware printf's line buffer and reaches the host through semihosting.
 * Standard input is always at its end.
 *
 * newlib (the Arm boards) calls the system interface below; picolibc (the
 * RISC-V boards) writes through the FILE objects stdin/stdout/stderr, which
 * the application defines. Everything here is weak: a firmware may bring its
 * own. Only what a firmware really uses is linked (--gc-sections).
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>

#include "fw.h"

#if defined(__PICOLIBC__)

static int fw_stdio_put(char c, FILE *stream)
{
    (void)stream;
    fw_putc(c);
    return (unsigned char)c;
}

static int fw_stdio_get(FILE *stream)
{
    (void)stream;
    return EOF;
}

static int fw_stdio_flush(FILE *stream)
{
    (void)stream;
    fw_flush();
    return 0;
}

static FILE fw_stdio = FDEV_SETUP_STREAM(fw_stdio_put, fw_stdio_get, fw_stdio_flush, _FDEV_SETUP_RW);

__attribute__((weak)) FILE *const stdin = &fw_stdio;
__attribute__((weak)) FILE *const stdout = &fw_stdio;
__attribute__((weak)) FILE *const stderr = &fw_stdio;

#else /* newlib */

int _write(int fd, const char *buf, int len);
int _read(int fd, char *buf, int len);
int _close(int fd);
int _lseek(int fd, int offset, int whence);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);

__attribute__((weak)) int _write(int fd, const char *buf, int len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    for (int i = 0; i < len; i++) {
        fw_putc(buf[i]);
    }
    return len;
}

__attribute__((weak)) int _read(int fd, char *buf, int len)
{
    (void)fd;
    (void)buf;
    (void)len;
    return 0; /* end of input */
}

__attribute__((weak)) int _close(int fd)
{
    (void)fd;
    errno = EBADF;
    return -1;
}

__attribute__((weak)) int _lseek(int fd, int offset, int whence)
{
    (void)fd;
    (void)offset;
    (void)whence;
    errno = ESPIPE;
    return -1;
}

/* The standard streams are terminals: line-buffered, no seeking. */
__attribute__((weak)) int _fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;
    return 0;
}

__attribute__((weak)) int _isatty(int fd)
{
    return fd >= 0 && fd <= 2;
}

#endif
