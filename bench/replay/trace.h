/*
 * A trace file (../shared/traces/FORMAT.md, version 1) read into memory and
 * validated before anything is replayed, so that a bad trace is refused with
 * file:line before any back-end has run and the timed loop does no parsing.
 */
#ifndef REPLAY_TRACE_H
#define REPLAY_TRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest id accepted; ids index a table, and FORMAT.md says they are small. */
#define TRACE_MAX_ID 16777215u

typedef enum trace_kind {
    OP_ALLOC = 0,   /* a <id> <size> [<align>] */
    OP_CALLOC = 1,  /* c <id> <count> <size> */
    OP_REALLOC = 2, /* r <id> <size> */
    OP_FREE = 3,    /* f <id> */
    OP_KINDS = 4
} trace_kind_t;

/*
 * A number as written in the trace. Decimal numbers may exceed 64 bits; such a
 * value cannot fit size_t on any host, so it is kept as "huge", never wrapped.
 */
typedef struct trace_num {
    uint64_t value; /* valid when !huge */
    bool huge;      /* more than 64 bits */
} trace_num_t;

typedef struct trace_op {
    trace_kind_t kind;
    uint32_t id;
    uint32_t line;     /* 1-based line in the file, for messages */
    trace_num_t size;  /* a, r: bytes; c: bytes per element */
    trace_num_t count; /* c: elements */
    trace_num_t align; /* a: 0 when absent, else a power of two (or huge) */
} trace_op_t;

typedef struct trace {
    char *path;       /* as given on the command line */
    const char *name; /* file name without folder and ".trace" (points into name_buf) */
    char *name_buf;
    uint64_t arena;   /* bytes the allocator gets */
    uint32_t arena_line;
    trace_op_t *ops;
    size_t n_ops;
    uint32_t max_id;  /* largest id used; tables of max_id + 1 entries cover them all */
} trace_t;

/*
 * Read and validate path. On success fills *t and returns true. On bad input
 * prints "path:line: what" to stderr and returns false, leaving *t empty.
 * Validation treats every allocation as if it succeeded: an a/c of an id that
 * is bound, or an f/r of an id that is not, is an error whatever the
 * back-end later does.
 */
bool trace_load(const char *path, trace_t *t);

void trace_free(trace_t *t);

/* The one-letter name of a kind as written in traces ("a", "c", "r", "f"). */
const char *trace_kind_letter(trace_kind_t k);

/* A readable name of a kind: "alloc", "calloc", "realloc", "free". */
const char *trace_kind_name(trace_kind_t k);

#endif /* REPLAY_TRACE_H */
