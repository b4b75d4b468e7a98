/*
 * The allocators a replay image can drive. Every call the replay times goes
 * through bench_measure (bench_timer.h) straight to the allocator's public
 * function, so only that function's own instructions are counted.
 */
#ifndef EALLOC_BENCH_BACKEND_H
#define EALLOC_BENCH_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a back-end reports about its heap once a replay has ended (zero/false where it has no such thing). */
typedef struct bench_heap_info {
    bool has_used;       /* capacity/used/peak_used below are the allocator's own counters */
    size_t capacity;     /* bytes in blocks after init (ealloc: stats.capacity) */
    size_t used;         /* at the end */
    size_t peak_used;    /* high-water mark of used (headers, rounding included) */
    bool has_check;      /* check is the allocator's own consistency check */
    int check;           /* 0 or a negative EA_E* code */
    bool has_sbrk;       /* a C-library malloc growing through _sbrk */
    size_t sbrk_peak;    /* the most of the arena _sbrk ever handed out */
    size_t sbrk_refused; /* _sbrk calls refused because the arena was exhausted */
} bench_heap_info_t;

/* Any function, by address; called through bench_measure with up to three arguments. */
typedef void (*bench_fn_t)(void);
#define BENCH_FN_ADDR(f) ((bench_fn_t)(f))

typedef struct bench_backend {
    const char *name;      /* command-line name and "backend" in the output: llff, tlsf, llff-cm, newlib-nano, ... */
    const char *describe;  /* one line for the report */
    bool heap_arg;         /* the calls take the heap as their first argument (ealloc) */
    /* The public functions, by address. Argument order after the heap argument:
     * alloc(size), alloc_aligned(align, size), calloc(n, size), realloc(p, size), free(p). */
    bench_fn_t alloc, alloc_aligned, calloc, realloc, free;
    /*
     * Give the allocator exactly the bytes [arena, arena + bytes), its own
     * bookkeeping included: returns the heap argument for the calls, and in
     * *handle_bytes the bytes of the arena spent on the heap object.
     */
    void *(*setup)(unsigned char *arena, size_t bytes, size_t *handle_bytes);
    void (*info)(void *heap, bench_heap_info_t *out);
    /* Free blocks right now, cheaply (llff: its free-list length); NULL when not worth knowing. */
    size_t (*free_blocks)(void *heap);
} bench_backend_t;

/* alloc ... free of a back-end that is the C library's malloc (newlib's, or ealloc's shim): <stdlib.h> and memalign. */
#define BENCH_LIBC_CALLS                                                                                          \
    BENCH_FN_ADDR(malloc), BENCH_FN_ADDR(memalign), BENCH_FN_ADDR(calloc), BENCH_FN_ADDR(realloc),             \
        BENCH_FN_ADDR(free)

/* The back-ends linked into this image, and how many. */
extern const bench_backend_t *const bench_backends[];
extern const size_t bench_backend_count;

#endif /* EALLOC_BENCH_BACKEND_H */
