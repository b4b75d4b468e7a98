/*
 * The default panic and out-of-memory hooks, both weak so that the firmware's
 * own definitions replace them. This is the bare-metal default: it stops the
 * core with a trap instruction, where a debugger shows the caller. Hosted
 * builds use panic_hosted.c instead, which prints and aborts.
 */
#include "ealloc/ealloc.h"

__attribute__((weak)) void ea_panic(ea_fault_t why, const char *detail)
{
    (void)why;
    (void)detail;
    __builtin_trap();
}

__attribute__((weak)) void ea_oom_hook(void *heap, size_t size, size_t align)
{
    (void)heap;
    (void)size;
    (void)align;
}
