/*
 * ealloc's back-ends for the firmware replay: llff and tlsf, as linked into
 * this image (the critical-section port is the library copy's: BENCH_PORT is
 * its name, BENCH_SUFFIX what the back-end names get, "", "-cm" or "-rv").
 *
 * The heap object (ea_llff_t / ea_tlsf_t) counts against the trace's arena,
 * as FORMAT.md asks of an allocator's bookkeeping: it is placed in the
 * arena's first bytes and init gets the remaining arena - sizeof(heap) bytes.
 * A heap object that does not fit the arena at all (tlsf with 32 classes per
 * power of two on a 2 KiB trace) leaves the back-end with no memory: the
 * object stays outside, empty, and every allocation of the trace fails.
 */
#include <ealloc/llff.h>
#include <ealloc/tlsf.h>

#include "backend.h"
#include "backend_ealloc_info.h"

#ifndef BENCH_PORT
#define BENCH_PORT "none"
#endif
#ifndef BENCH_SUFFIX
#define BENCH_SUFFIX ""
#endif

size_t bench_llff_free_list_length(ea_llff_t *h); /* backend_llff_walk.c */

static void *llff_setup(unsigned char *arena, size_t bytes, size_t *handle_bytes)
{
    static ea_llff_t outside;
    const ea_llff_t empty = EA_LLFF_EMPTY;
    ea_llff_t *h = bytes > sizeof *h ? (ea_llff_t *)(void *)arena : &outside;
    *h = empty;
    *handle_bytes = sizeof *h;
    if (h != &outside) {
        ea_llff_init(h, arena + sizeof *h, bytes - sizeof *h);
    }
    return h;
}

static void *tlsf_setup(unsigned char *arena, size_t bytes, size_t *handle_bytes)
{
    static ea_tlsf_t outside;
    const ea_tlsf_t empty = EA_TLSF_EMPTY;
    ea_tlsf_t *h = bytes > sizeof *h ? (ea_tlsf_t *)(void *)arena : &outside;
    *h = empty;
    *handle_bytes = sizeof *h;
    if (h != &outside) {
        ea_tlsf_init(h, arena + sizeof *h, bytes - sizeof *h);
    }
    return h;
}

static void llff_info(void *heap, bench_heap_info_t *out)
{
    ea_stats_t s;
    ea_llff_stats(heap, &s);
    bench_ealloc_info(&s, ea_llff_check(heap), out);
}

static void tlsf_info(void *heap, bench_heap_info_t *out)
{
    ea_stats_t s;
    ea_tlsf_stats(heap, &s);
    bench_ealloc_info(&s, ea_tlsf_check(heap), out);
}

static size_t llff_free_blocks(void *heap)
{
    return bench_llff_free_list_length(heap);
}

static const bench_backend_t llff = {
    "llff" BENCH_SUFFIX,
    "ealloc llff, critical-section port " BENCH_PORT,
    true,
    BENCH_FN_ADDR(ea_llff_alloc),
    BENCH_FN_ADDR(ea_llff_alloc_aligned),
    BENCH_FN_ADDR(ea_llff_calloc),
    BENCH_FN_ADDR(ea_llff_realloc),
    BENCH_FN_ADDR(ea_llff_free),
    llff_setup,
    llff_info,
    llff_free_blocks,
};

static const bench_backend_t tlsf = {
    "tlsf" BENCH_SUFFIX,
    "ealloc tlsf, critical-section port " BENCH_PORT,
    true,
    BENCH_FN_ADDR(ea_tlsf_alloc),
    BENCH_FN_ADDR(ea_tlsf_alloc_aligned),
    BENCH_FN_ADDR(ea_tlsf_calloc),
    BENCH_FN_ADDR(ea_tlsf_realloc),
    BENCH_FN_ADDR(ea_tlsf_free),
    tlsf_setup,
    tlsf_info,
    NULL,
};

const bench_backend_t *const bench_backends[] = {&llff, &tlsf};
const size_t bench_backend_count = sizeof bench_backends / sizeof bench_backends[0];
