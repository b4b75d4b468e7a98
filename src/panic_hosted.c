/*
 * The default panic and out-of-memory hooks for hosted builds (Linux, macOS):
 * the panic names the fault on stderr and aborts, so a misuse shows up in a
 * test log or a core dump. Both are weak; define your own to replace them.
 *
 * The one file of src/ that uses stdio: it is compiled instead of panic.c only
 * where a C library exists (EALLOC_HOSTED_PANIC in CMake), never for firmware.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ealloc/ealloc.h"

__attribute__((weak)) void ea_panic(ea_fault_t why, const char *detail)
{
    (void)fprintf(stderr, "ealloc panic: %s: %s\n", ea_fault_name(why), detail != NULL ? detail : "");
    abort();
}

__attribute__((weak)) void ea_oom_hook(void *heap, size_t size, size_t align)
{
    (void)heap;
    (void)size;
    (void)align;
}
