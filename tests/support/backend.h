/*
 * The behaviour suite is written once against this table; each back-end
 * fills it in (backends/<name>_backend.c, through backend_table.h), and every
 * suite binary is linked with exactly one of them.
 */
#ifndef EALLOC_TEST_BACKEND_H
#define EALLOC_TEST_BACKEND_H

#include <stdbool.h>
#include <stddef.h>

#include <ealloc/ealloc.h>

typedef struct backend {
    const char *name;
    void *heap_object;  /* the heap object the suite works on */
    void *other_object; /* a second heap of the same kind, for tests that need two */
    size_t granule;     /* every block footprint is a multiple of this */
    size_t min_block;   /* smallest footprint */
    size_t header;      /* bytes of header an allocated block carries */
    bool bounded_time;  /* O(1) alloc/free (tlsf) */
    void (*make_empty)(void *heap);
    void (*init)(void *heap, void *start, size_t size);
    void (*init_macro)(void *heap); /* one EA_INIT(kind, heap, 4096) expansion */
    bool (*add_region)(void *heap, void *start, size_t size);
    void *(*alloc)(void *heap, size_t size);
    void *(*alloc_aligned)(void *heap, size_t align, size_t size);
    void *(*calloc)(void *heap, size_t n, size_t size);
    void *(*realloc)(void *heap, void *p, size_t size);
    void *(*realloc_aligned)(void *heap, void *p, size_t align, size_t size);
    void (*free)(void *heap, void *p);
    size_t (*usable_size)(void *heap, const void *p);
    size_t (*used)(void *heap);
    size_t (*free_bytes)(void *heap);
    void (*stats)(void *heap, ea_stats_t *out);
    int (*check)(void *heap);
    void (*walk)(void *heap, ea_walk_fn fn, void *ctx);
    ea_allocator_t (*allocator)(void *heap);
} backend_t;

/*
 * The bytes after the program's bytes that a checker build keeps closed in
 * every block (src/shadow.h's SHADOW_GUARD): under EA_ASAN one, and five where
 * a header is one 4-byte word (the four before the next header share its ASan
 * granule); a header's (memcheck's redzone) under EA_VALGRIND. A footprint is
 * header + usable_size + TEST_GUARD; 0 without a checker.
 */
#define TEST_HEADER_BYTES (sizeof(size_t) * (1 + (size_t)(EA_HARDENED)))
#define TEST_GUARD                                                                                                     \
    ((EA_VALGRIND) ? TEST_HEADER_BYTES : (EA_ASAN) ? (size_t)1 + (8 - TEST_HEADER_BYTES % 8) % 8 : (size_t)0)

extern const backend_t backend;

#endif
