/*
 * Record your own workload: in a build with EA_TRACE=1 every call that
 * changes a heap is reported to ea_trace_hook(), and the recorder below turns
 * those reports into a trace in the format of the benchmark traces
 * (docs/trace.md), which bench/replay replays through every back-end.
 *
 * What is reported: init, add_region, alloc, alloc_aligned, calloc, realloc,
 * realloc_aligned and free of either back-end (also through an allocator
 * handle), and the C library's functions of the malloc shim. A call made by
 * another call is not reported again: calloc's allocation, realloc's free,
 * the back-end calls inside malloc — the hook sees what the program asked.
 * (init and add_region are reported wherever they happen: the malloc shim may
 * initialise its heap inside the first malloc.)
 *
 * When: once the call is complete, with its result, inside the heap's
 * critical section, which an EA_TRACE build holds for the whole call. So
 * reports reach the hook in exactly the order the heap served the calls, from
 * every thread and interrupt handler. A call that panics leaves its section
 * first, as in every build, and is not reported. The cost: copies and zeroing
 * of realloc and calloc run inside the section too — tracing builds are for
 * recording, not for production.
 */
#ifndef EALLOC_TRACE_H
#define EALLOC_TRACE_H

#include <stdbool.h>
#include <stddef.h>

#include "ealloc.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ea_trace_op {
    EA_TRACE_INIT = 1,       /* ptr = start of the region, size = its bytes */
    EA_TRACE_ADD_REGION = 2, /* ptr = start, size = bytes; result = ptr when added, else NULL */
    EA_TRACE_ALLOC = 3,      /* size, align (0 = the default alignment); result */
    EA_TRACE_CALLOC = 4,     /* count elements of size bytes; result */
    EA_TRACE_REALLOC = 5,    /* ptr resized to size, align (0 = default); result (NULL: failed, or freed: size 0) */
    EA_TRACE_FREE = 6        /* ptr (never NULL: free(NULL) is not reported) */
} ea_trace_op_t;

/* One call on a heap, as the hook sees it. */
typedef struct ea_trace_event {
    const void *heap;   /* the heap object the call was made on */
    ea_trace_op_t op;
    const void *ptr;    /* the block or region handed in; NULL when none */
    const void *result; /* the block returned; NULL when the call failed or returns none */
    size_t count;       /* calloc's element count; 1 for the other calls */
    size_t size;        /* bytes asked for (calloc: of one element) */
    size_t align;       /* alignment asked for; 0 = the default */
} ea_trace_event_t;

/*
 * Called for every reported call, inside the heap's critical section. The
 * default is a weak no-op; define your own (usually: ea_recorder_event). Calls
 * it makes on the same heap are served (the ports' sections nest) but not
 * reported; keep it to writing the event out.
 */
void ea_trace_hook(const ea_trace_event_t *event);

/* ---- the recorder: events -> trace text -------------------------------------------- */

/*
 * Receives the trace text in order: a line at a time, or (the closing comment)
 * in pieces. Called from inside the hook: write it out without allocating
 * from the traced heap (a static buffer, write(2), semihosting).
 */
typedef void (*ea_recorder_write_fn)(void *ctx, const char *text, size_t len);

/* One entry of the recorder's pointer -> id table; storage that the caller provides. */
typedef struct ea_recorder_slot {
    const void *ptr; /* a live block; NULL: empty */
    size_t id;       /* its trace id */
    size_t spare_id; /* the recorder's stack of released ids, one per slot */
} ea_recorder_slot_t;

/* The recorder's state. Private fields, except the counts from ops on, which may be read. */
typedef struct ea_recorder {
    const void *heap; /* record this heap only; NULL: every heap */
    ea_recorder_write_fn write;
    void *ctx;
    ea_recorder_slot_t *slots;
    size_t slot_mask;   /* slot count - 1: a power of two */
    size_t live;        /* ids bound */
    size_t spare_ids;   /* ids on the stack */
    size_t next_id;     /* the lowest id never handed out */
    size_t arena;       /* bytes of the regions seen (init and add_region) */
    bool arena_written; /* whether the arena line is out */
    size_t ops[4];      /* operation lines written: a, c, r, f */
    size_t failed;      /* of those, calls that failed */
    size_t unknown;     /* free/realloc of a block allocated before the recording: not written */
    size_t dropped;     /* allocations not written because the table was full */
    size_t refused;     /* calls with a bad alignment, written as comments only */
} ea_recorder_t;

/*
 * Start a recording of heap (NULL: of every heap) that writes through write.
 * slots[slot_count] maps live blocks to ids: slot_count must be a power of two
 * of at least 4; at most 3/4 of it is used, so give it 4/3 of the most blocks
 * you expect live at once. Nothing is written yet.
 */
void ea_recorder_init(ea_recorder_t *r, const void *heap, ea_recorder_slot_t *slots, size_t slot_count,
                      ea_recorder_write_fn write, void *ctx);

/*
 * Write the "arena <bytes>" line now, when the heap was initialised before
 * the recording began; otherwise the init event writes it. Once only.
 */
void ea_recorder_arena(ea_recorder_t *r, size_t bytes);

/* Turn one event into trace lines (call it from ea_trace_hook). */
void ea_recorder_event(ea_recorder_t *r, const ea_trace_event_t *event);

/*
 * Write the closing comment, which names the counts of the recording:
 * "# ealloc-recorder: a=N c=N r=N f=N failed=N unknown=N dropped=N refused=N regions=N".
 */
void ea_recorder_finish(ea_recorder_t *r);

#ifdef __cplusplus
}
#endif

#endif /* EALLOC_TRACE_H */
