/*
 * Replaying one trace through one back-end with the semantics of FORMAT.md,
 * verifying every block on the way, and measuring each call.
 */
#ifndef REPLAY_REPLAY_H
#define REPLAY_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "heapmap.h"
#include "latency.h"
#include "trace.h"

typedef struct replay_options {
    size_t check_every;    /* call check() every this many operations; 0: only at the end */
    bool handle_in_arena;  /* carve the heap handle out of the arena (FORMAT.md's "bookkeeping included") */
    unsigned max_messages; /* corruption messages printed per trace and back-end */
    size_t map_rows;       /* with a map: at most this many rows */
    size_t map_width;      /* with a map: columns */
    bool map;              /* collect a heap map (arena back-ends only) */
} replay_options_t;

typedef struct replay_result {
    const trace_t *trace;
    const backend_t *backend;
    uint64_t arena;       /* the trace's arena */
    size_t handle_bytes;  /* size of the back-end's heap handle */
    bool handle_in_arena; /* whether those bytes came out of the arena */

    size_t ops[OP_KINDS];      /* operations of each kind in the trace */
    size_t skipped[OP_KINDS];  /* f/r of an id left unbound by a failure: not replayed */
    size_t failures[OP_KINDS]; /* allocations that returned NULL or could not be asked */
    size_t failures_total;
    size_t refused;            /* failures decided without a call: a size that does not fit size_t, or
                                  (arena-less back-ends) a single request larger than the arena */

    bool has_fill;    /* arena back-ends with at least one failure */
    double fill_first;
    double fill_min;
    double fill_mean;

    bool has_used;         /* arena back-ends: used() exists */
    uint64_t peak_used;    /* maximum of used() after each operation */
    uint64_t peak_live;    /* maximum of live requested bytes */
    uint64_t end_live;     /* live requested bytes at the end */

    latency_summary_t latency[OP_KINDS];

    bool has_check;
    int check;          /* check() at the end (0 = OK); meaningless when !has_check or aborted */
    size_t checks_run;  /* check() calls, periodic and final */

    size_t corruptions; /* pattern mismatches, misaligned or overlapping blocks, calloc not zeroed, ... */
    bool aborted;       /* the replay stopped early (panic, check failure, block outside the arena) */
    char abort_reason[160];
    size_t abort_op;    /* 0-based operation index where it stopped */

    heapmap_t map; /* filled when options.map; heapmap_free it */
    bool has_map;
} replay_result_t;

/*
 * Replay t through be into *r. Returns false only when the replay could not
 * start (out of memory, arena larger than the host can give), with a message
 * on stderr; corruption and failures are results, not errors.
 */
bool replay_run(const trace_t *t, const backend_t *be, const replay_options_t *opt, replay_result_t *r);

void replay_result_free(replay_result_t *r);

/* Whether the result means something is wrong (non-zero exit status). */
bool replay_result_bad(const replay_result_t *r);

#endif /* REPLAY_REPLAY_H */
