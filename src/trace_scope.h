/*
 * Internal, EA_TRACE builds only: the scope every traced call runs in. It
 * enters the heap's critical section for the whole call and counts the
 * traced calls in progress on the heap, so that only the outermost one — the
 * call the program made — reports itself, however the library's calls nest
 * (calloc on alloc, realloc on alloc and free, the malloc shim on all of
 * them). The counter changes only inside the section, so one counter per
 * heap is enough for any number of threads and interrupt handlers.
 */
#ifndef EALLOC_TRACE_SCOPE_H
#define EALLOC_TRACE_SCOPE_H

#include "ealloc/critical_section.h"
#include "ealloc/trace.h"
#include "heap_common.h"

#if !EA_TRACE
#error "trace_scope.h is for EA_TRACE builds"
#endif

static inline ea_cs_state_t trace_begin(ea_heap_common_t *c)
{
    ea_cs_state_t cs = ea_cs_enter();
    c->trace_depth++;
    return cs;
}

static inline void trace_report(const void *heap, ea_trace_op_t op, const void *ptr, const void *result,
                                size_t count, size_t size, size_t align)
{
    ea_trace_event_t e = {heap, op, ptr, result, count, size, align};
    ea_trace_hook(&e);
}

/*
 * Report the call if it is the outermost, then leave. The hook runs while the
 * count still includes this call, so heap calls the hook makes are not reported.
 */
static inline void trace_end(ea_heap_common_t *c, ea_cs_state_t cs, ea_trace_op_t op, const void *ptr,
                             const void *result, size_t count, size_t size, size_t align)
{
    if (c->trace_depth == 1) {
        /* common is every heap object's first member: its address is the heap's. */
        trace_report(c, op, ptr, result, count, size, align);
    }
    c->trace_depth--;
    ea_cs_exit(cs);
}

#endif /* EALLOC_TRACE_SCOPE_H */
