/*
 * BACKEND_TABLE(kind, EMPTY, ...) defines `backend` for ea_<kind>_*: small wrappers
 * that take the heap as void * (calling a function through a pointer of
 * another type would be undefined), then the table. Include it once, in
 * backends/<kind>_backend.c.
 */
#ifndef EALLOC_TEST_BACKEND_TABLE_H
#define EALLOC_TEST_BACKEND_TABLE_H

#include "backend.h"

#define BACKEND_TABLE(kind, empty_, granule_, min_block_, header_, bounded_)                                        \
    typedef ea_##kind##_t heap_type;                                                                      \
    static heap_type heap_object;                                                                         \
    static heap_type other_object;                                                                        \
    static void w_make_empty(void *h) { *(heap_type *)h = (heap_type)empty_; }           \
    static void w_init(void *h, void *s, size_t n) { ea_##kind##_init(h, s, n); }                         \
    static void w_init_macro(void *h) { EA_INIT(kind, (heap_type *)h, 4096); }                            \
    static bool w_add_region(void *h, void *s, size_t n) { return ea_##kind##_add_region(h, s, n); }      \
    static void *w_alloc(void *h, size_t n) { return ea_##kind##_alloc(h, n); }                           \
    static void *w_alloc_aligned(void *h, size_t a, size_t n) { return ea_##kind##_alloc_aligned(h, a, n); } \
    static void *w_calloc(void *h, size_t c, size_t n) { return ea_##kind##_calloc(h, c, n); }            \
    static void *w_realloc(void *h, void *p, size_t n) { return ea_##kind##_realloc(h, p, n); }           \
    static void *w_realloc_aligned(void *h, void *p, size_t a, size_t n)                                  \
    {                                                                                                     \
        return ea_##kind##_realloc_aligned(h, p, a, n);                                                   \
    }                                                                                                     \
    static void w_free(void *h, void *p) { ea_##kind##_free(h, p); }                                      \
    static size_t w_usable_size(void *h, const void *p) { return ea_##kind##_usable_size(h, p); }         \
    static size_t w_used(void *h) { return ea_##kind##_used(h); }                                         \
    static size_t w_free_bytes(void *h) { return ea_##kind##_free_bytes(h); }                             \
    static void w_stats(void *h, ea_stats_t *o) { ea_##kind##_stats(h, o); }                              \
    static int w_check(void *h) { return ea_##kind##_check(h); }                                          \
    static void w_walk(void *h, ea_walk_fn f, void *c) { ea_##kind##_walk(h, f, c); }                     \
    static ea_allocator_t w_allocator(void *h) { return ea_##kind##_allocator(h); }                       \
    const backend_t backend = {#kind,        &heap_object,      &other_object, (granule_),  (min_block_),  (header_),     \
                               (bounded_),   w_make_empty,      w_init,      w_init_macro,  w_add_region,  \
                               w_alloc,      w_alloc_aligned,   w_calloc,    w_realloc,     w_realloc_aligned, \
                               w_free,       w_usable_size,     w_used,      w_free_bytes,  w_stats,       \
                               w_check,      w_walk,            w_allocator}

#endif
