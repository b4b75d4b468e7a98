/*
 * The heap over time, for the --map picture. The arena is cut into `width`
 * columns of equal bytes; at up to `max_rows` evenly spaced moments of the
 * replay the back-end's walk is taken and every column is classified by how
 * many of its bytes are requested by live blocks (used), free, or neither
 * (overhead: headers, alignment padding, rounding, the region descriptor, the
 * heap handle when it lives in the arena). Failures are kept with their
 * operation index. svgmap.c draws the result.
 */
#ifndef REPLAY_HEAPMAP_H
#define REPLAY_HEAPMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"

/* Arenas above this are refused for maps: column arithmetic stays within 64 bits. */
#define HEAPMAP_MAX_ARENA ((uint64_t)1 << 40)
#define HEAPMAP_MIN_COLUMN 4u

/* A column's class: free share in quarters (0..4) times 5, plus overhead share of the rest in quarters. */
#define HEAPMAP_LEVELS 5
#define HEAPMAP_FREE_CODE ((HEAPMAP_LEVELS - 1) * HEAPMAP_LEVELS)

typedef struct heapmap_failure {
    size_t op;     /* 0-based index in the trace's operations */
    uint32_t line; /* line in the trace */
    double fill;   /* live requested bytes / arena at the failure */
    char what[96]; /* the failed request, as text */
} heapmap_failure_t;

typedef struct heapmap {
    uint64_t arena;
    size_t width;    /* columns */
    size_t n_ops;
    size_t rows;     /* rows that will be sampled: min(max_rows, n_ops) */
    size_t next_row; /* rows sampled so far */
    const unsigned char *base; /* the arena's first byte */

    uint64_t *col_live; /* per column: requested bytes of live blocks, kept up to date */
    uint64_t *col_used; /* per column, during a sample: bytes of used blocks */
    uint64_t *col_free; /* per column, during a sample: bytes of free blocks */

    unsigned char *codes; /* rows * width column classes */
    size_t *row_op;       /* per row: the last operation it shows */
    uint64_t *row_used;   /* per row: the back-end's used() */
    uint64_t *row_live;   /* per row: live requested bytes */
    uint64_t *row_largest; /* per row: footprint of the largest free block */
    uint64_t largest;      /* during a sample: the largest free block so far */

    heapmap_failure_t *failures;
    size_t n_failures;
    size_t cap_failures;
} heapmap_t;

/*
 * false when out of memory or the arena is above HEAPMAP_MAX_ARENA. Columns
 * are at least HEAPMAP_MIN_COLUMN bytes: narrower ones show nothing new (no
 * block is smaller) and only make the picture bigger.
 */
bool heapmap_init(heapmap_t *m, const unsigned char *base, uint64_t arena, size_t n_ops, size_t max_rows,
                  size_t width);

void heapmap_free(heapmap_t *m);

/* A live block's requested bytes [off, off + len) appear (add) or go (!add). */
void heapmap_live(heapmap_t *m, uint64_t off, uint64_t len, bool add);

/* Whether the state after operation op is one of the sampled rows. */
static inline bool heapmap_wants(const heapmap_t *m, size_t op)
{
    return m->next_row < m->rows && op + 1 == ((m->next_row + 1) * m->n_ops) / m->rows;
}

/* Record the row for the state after operation op, walking the heap. */
void heapmap_sample(heapmap_t *m, size_t op, const backend_t *be, void *heap, uint64_t used, uint64_t live);

/* Remember a failure at operation op; false when out of memory. */
bool heapmap_failure(heapmap_t *m, size_t op, uint32_t line, double fill, const char *what);

/* The first column holding byte off. */
static inline size_t heapmap_column(const heapmap_t *m, uint64_t off)
{
    return (size_t)(off * m->width / m->arena);
}

/* The first byte of column c (c may be width: the end of the arena). */
static inline uint64_t heapmap_column_start(const heapmap_t *m, size_t c)
{
    return ((uint64_t)c * m->arena + m->width - 1) / m->width;
}

#endif /* REPLAY_HEAPMAP_H */
