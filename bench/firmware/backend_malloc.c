/*
 * ealloc's malloc shim (src/malloc.c) over tlsf, as a program that links it
 * in place of the C library's malloc calls it: malloc, memalign, calloc,
 * realloc, free. Beside the "tlsf" back-end of the same image's library
 * copy, it shows what the shim's layer costs per call.
 *
 * The shim's heap object is its own, in .bss; to keep the arena's layout —
 * and so every placement — the same as the "tlsf" back-end's, which puts its
 * heap object in the arena's first bytes, the same bytes are left unused
 * here and counted as the heap object's.
 */
#include <stdlib.h>

#include <ealloc/malloc.h>

#include "backend.h"
#include "backend_ealloc_info.h"

#ifndef BENCH_PORT
#define BENCH_PORT "none"
#endif

void *memalign(size_t align, size_t size); /* the shim's; not every C library declares it */

static void *shim_setup(unsigned char *arena, size_t bytes, size_t *handle_bytes)
{
    *handle_bytes = sizeof(ea_malloc_heap_t);
    if (bytes > sizeof(ea_malloc_heap_t)) {
        ea_malloc_init(arena + sizeof(ea_malloc_heap_t), bytes - sizeof(ea_malloc_heap_t));
    }
    return NULL;
}

static void shim_info(void *heap, bench_heap_info_t *out)
{
    (void)heap;
    ea_stats_t s;
    ea_malloc_stats(&s);
    bench_ealloc_info(&s, ea_malloc_check(), out);
}

static const bench_backend_t shim = {
    "tlsf-malloc",
    "ealloc's malloc shim over tlsf, critical-section port " BENCH_PORT,
    false,
    BENCH_LIBC_CALLS,
    shim_setup,
    shim_info,
    NULL,
};

const bench_backend_t *const bench_backends[] = {&shim};
const size_t bench_backend_count = 1;
