/*
 * The portable half of semihosting: argument blocks and result conventions.
 * The trap itself is semihost_call(), one per architecture.
 */
#include "semihost.h"

#include <string.h>

void semihost_write0(const char *s)
{
    semihost_call(SEMIHOST_SYS_WRITE0, (void *)(uintptr_t)s);
}

void semihost_writec(char c)
{
    semihost_call(SEMIHOST_SYS_WRITEC, &c);
}

void semihost_exit(int code)
{
    uintptr_t block[2] = {SEMIHOST_ADP_STOPPED_APPLICATION_EXIT, (uintptr_t)code};
    semihost_call(SEMIHOST_SYS_EXIT_EXTENDED, block);
    for (;;) {
        /* The host ignored the request: nothing left to do. */
    }
}

int semihost_open(const char *path, int mode)
{
    uintptr_t block[3] = {(uintptr_t)path, (uintptr_t)mode, strlen(path)};
    return (int)(intptr_t)semihost_call(SEMIHOST_SYS_OPEN, block);
}

int semihost_close(int handle)
{
    uintptr_t block[1] = {(uintptr_t)handle};
    return (int)(intptr_t)semihost_call(SEMIHOST_SYS_CLOSE, block);
}

long semihost_read(int handle, void *buf, size_t len)
{
    uintptr_t block[3] = {(uintptr_t)handle, (uintptr_t)buf, len};
    /* The host answers with the number of bytes it did NOT read. */
    uintptr_t left = semihost_call(SEMIHOST_SYS_READ, block);
    return left > len ? -1 : (long)(len - left);
}

long semihost_write(int handle, const void *buf, size_t len)
{
    uintptr_t block[3] = {(uintptr_t)handle, (uintptr_t)buf, len};
    uintptr_t left = semihost_call(SEMIHOST_SYS_WRITE, block);
    return left > len ? -1 : (long)(len - left);
}

long semihost_flen(int handle)
{
    uintptr_t block[1] = {(uintptr_t)handle};
    return (long)(intptr_t)semihost_call(SEMIHOST_SYS_FLEN, block);
}

long semihost_get_cmdline(char *buf, size_t len)
{
    /* In: buffer and its size. Out: the host rewrites the size with the string's length. */
    uintptr_t block[2] = {(uintptr_t)buf, len};
    if (len == 0 || semihost_call(SEMIHOST_SYS_GET_CMDLINE, block) != 0) {
        return -1;
    }
    return (long)block[1];
}
