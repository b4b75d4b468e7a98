/*
 * Internal, EA_TRACE builds only: the scope every traced call runs in. It
 * enters the heap's critical section for the whole call and keeps the
 * traced calls in progress on the heap (a list of frames, heap_common.h), so
 * that only the outermost one — the call the program made — reports itself,
 * however calls nest (the malloc shim's calls on the back-end's, a trace
 * hook's calls on the heap it reports). The list changes only inside the
 * section, so one list per heap is enough for any number of threads and
 * interrupt handlers.
 */
#ifndef EALLOC_TRACE_SCOPE_H
#define EALLOC_TRACE_SCOPE_H

#include "ealloc/critical_section.h"
#include "ealloc/trace.h"
#include "heap_common.h"

#if !EA_TRACE
#error "trace_scope.h is for EA_TRACE builds"
#endif

static inline void trace_begin(ea_heap_common_t *c, struct ea_trace_frame *f)
{
    f->cs = ea_cs_enter();
    f->outer = c->trace_top;
    c->trace_top = f;
}

static inline void trace_report(const void *heap, ea_trace_op_t op, const void *ptr, const void *result,
                                size_t count, size_t size, size_t align)
{
    ea_trace_event_t e = {heap, op, ptr, result, count, size, align};
    ea_trace_hook(&e);
}

/* Leave the call's section; its frame is the innermost. */
static inline void trace_leave(ea_heap_common_t *c, const struct ea_trace_frame *f)
{
    c->trace_top = f->outer;
    ea_cs_exit(f->cs);
}

/*
 * Report the call if it is the outermost, then leave. The hook runs while the
 * frame is still on the list, so heap calls the hook makes are not reported.
 */
static inline void trace_end(ea_heap_common_t *c, const struct ea_trace_frame *f, ea_trace_op_t op,
                             const void *ptr, const void *result, size_t count, size_t size, size_t align)
{
    if (f->outer == NULL) {
        /* common is every heap object's first member: its address is the heap's. */
        trace_report(c, op, ptr, result, count, size, align);
    }
    trace_leave(c, f);
}

#endif /* EALLOC_TRACE_SCOPE_H */
