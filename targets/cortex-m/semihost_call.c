/* Arm semihosting trap for M-profile cores: bkpt 0xab, operation in r0, argument in r1, result in r0. */
#include "semihost.h"

uintptr_t semihost_call(uintptr_t op, void *arg)
{
    register uintptr_t r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    /* "memory": the host reads the argument block and may write the caller's buffers. */
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}
