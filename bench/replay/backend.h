/*
 * The allocators a replay can drive, behind one table of calls. Adding a
 * back-end is one entry in backend.c; the replay loop never names one.
 */
#ifndef REPLAY_BACKEND_H
#define REPLAY_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include <ealloc/ealloc.h>

typedef struct backend {
    const char *name;
    const char *description;
    /*
     * true: the back-end serves requests from the trace's arena only. false
     * (the C library's malloc): no arena limit, and no used/check/walk.
     */
    bool has_arena;
    size_t default_align; /* what a plain alloc must be aligned to */
    size_t handle_size;   /* bytes of the heap handle (its control block) */
    size_t handle_align;

    /*
     * Make a heap over [buf, buf + size); handle is handle_size bytes aligned
     * to handle_align, for the back-end's control block. Returns the heap.
     * Arena-less back-ends ignore all three.
     */
    void *(*create)(void *handle, void *buf, size_t size);
    void (*destroy)(void *heap);

    void *(*alloc)(void *heap, size_t size);
    void *(*alloc_aligned)(void *heap, size_t align, size_t size);
    void *(*calloc)(void *heap, size_t n, size_t size);
    void *(*realloc)(void *heap, void *p, size_t size);
    void (*free)(void *heap, void *p);

    /* NULL where the back-end has no such call (system). */
    size_t (*usable_size)(void *heap, const void *p);
    size_t (*used)(void *heap);
    int (*check)(void *heap);
    void (*walk)(void *heap, ea_walk_fn fn, void *ctx);
} backend_t;

/* Every back-end compiled in, in the order they are listed by default. */
extern const backend_t *const backends[];
extern const size_t backend_count;

/* The back-end called name, or NULL. */
const backend_t *backend_find(const char *name);

#endif /* REPLAY_BACKEND_H */
