/*
 * Internal, EA_TRACE builds only: the public calls of one back-end, each
 * running its untraced namesake in a trace scope (trace_scope.h) and
 * reporting what it did. Included once per back-end, by src/llff_trace.c and
 * src/tlsf_trace.c, with
 *   HEAP_T      the heap type (ea_llff_t, ea_tlsf_t)
 *   API(name)   the public name of a call (ea_llff_##name)
 * defined, after the back-end's public header and internal header.
 */
#include <stdint.h>

#include "trace_scope.h"

void API(init)(HEAP_T *h, void *start, size_t size)
{
    struct ea_trace_frame frame;
    trace_begin(&h->common, &frame);
    EA_UNTRACED(API(init))(h, start, size);
    /* Reported even inside another call: the malloc shim initialises its heap in the first malloc. */
    trace_report(h, EA_TRACE_INIT, start, start, 1, size, 0);
    trace_leave(&h->common, &frame);
}

bool API(add_region)(HEAP_T *h, void *start, size_t size)
{
    struct ea_trace_frame frame;
    trace_begin(&h->common, &frame);
    bool added = EA_UNTRACED(API(add_region))(h, start, size);
    trace_report(h, EA_TRACE_ADD_REGION, start, added ? start : NULL, 1, size, 0);
    trace_leave(&h->common, &frame);
    return added;
}

void *API(alloc)(HEAP_T *h, size_t size)
{
    struct ea_trace_frame frame;
    trace_begin(&h->common, &frame);
    void *p = EA_UNTRACED(API(alloc))(h, size);
    trace_end(&h->common, &frame, EA_TRACE_ALLOC, NULL, p, 1, size, 0);
    return p;
}

void *API(alloc_aligned)(HEAP_T *h, size_t align, size_t size)
{
    struct ea_trace_frame frame;
    trace_begin(&h->common, &frame);
    void *p = EA_UNTRACED(API(alloc_aligned))(h, align, size);
    trace_end(&h->common, &frame, EA_TRACE_ALLOC, NULL, p, 1, size, align);
    return p;
}

void *API(calloc)(HEAP_T *h, size_t n, size_t size)
{
    struct ea_trace_frame frame;
    trace_begin(&h->common, &frame);
    void *p = EA_UNTRACED(API(calloc))(h, n, size);
    trace_end(&h->common, &frame, EA_TRACE_CALLOC, NULL, p, n, size, 0);
    return p;
}

void *API(realloc)(HEAP_T *h, void *p, size_t size)
{
    struct ea_trace_frame frame;
    trace_begin(&h->common, &frame);
    void *q = EA_UNTRACED(API(realloc))(h, p, size);
    trace_end(&h->common, &frame, EA_TRACE_REALLOC, p, q, 1, size, 0);
    return q;
}

void *API(realloc_aligned)(HEAP_T *h, void *p, size_t align, size_t size)
{
    struct ea_trace_frame frame;
    trace_begin(&h->common, &frame);
    void *q = EA_UNTRACED(API(realloc_aligned))(h, p, align, size);
    trace_end(&h->common, &frame, EA_TRACE_REALLOC, p, q, 1, size, align);
    return q;
}

void API(free)(HEAP_T *h, void *p)
{
    if (p == NULL) {
        return;
    }
    struct ea_trace_frame frame;
    trace_begin(&h->common, &frame);
    EA_UNTRACED(API(free))(h, p);
    trace_end(&h->common, &frame, EA_TRACE_FREE, p, NULL, 1, 0, 0);
}

/* The allocator handle: its calls are the program's, so they go through the traced names above. */
#include "allocator_handle.h"
