/*
 * What an ealloc heap reports after a replay (bench_heap_info_t), from its
 * stats and its check(): shared by the back-ends that call ealloc directly
 * (backend_ealloc.c) and through the malloc shim (backend_malloc.c).
 */
#ifndef EALLOC_BENCH_BACKEND_EALLOC_INFO_H
#define EALLOC_BENCH_BACKEND_EALLOC_INFO_H

#include <string.h>

#include <ealloc/ealloc.h>

#include "backend.h"

static inline void bench_ealloc_info(const ea_stats_t *s, int check, bench_heap_info_t *out)
{
    memset(out, 0, sizeof *out);
    out->has_used = true;
    out->capacity = s->capacity;
    out->used = s->used;
    out->peak_used = s->peak_used;
    out->has_check = true;
    out->check = check;
}

#endif /* EALLOC_BENCH_BACKEND_EALLOC_INFO_H */
