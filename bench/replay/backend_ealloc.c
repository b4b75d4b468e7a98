/*
 * ealloc's own back-ends. Every back-end has the same function names with its
 * kind in the middle (ea_llff_alloc, ea_tlsf_alloc), so one macro writes the
 * thin adapters from the table's void * heap to the typed heap; a new
 * back-end is one more expansion, not a copied file.
 */
#include "backend_ealloc.h"

#include <ealloc/llff.h>
#ifdef REPLAY_HAVE_TLSF
#include <ealloc/tlsf.h>
#endif

#define EALLOC_BACKEND(kind, desc)                                                                   \
    static void *kind##_create(void *handle, void *buf, size_t size)                                 \
    {                                                                                                \
        ea_##kind##_t *h = handle;                                                                   \
        ea_##kind##_t empty = EA_##kind##_EMPTY_;                                                    \
        *h = empty;                                                                                  \
        ea_##kind##_init(h, buf, size);                                                              \
        return h;                                                                                    \
    }                                                                                                \
    static void kind##_destroy(void *heap)                                                           \
    {                                                                                                \
        (void)heap; /* the heap owns nothing outside its handle and its region */                   \
    }                                                                                                \
    static void *kind##_alloc(void *heap, size_t size)                                               \
    {                                                                                                \
        return ea_##kind##_alloc(heap, size);                                                        \
    }                                                                                                \
    static void *kind##_alloc_aligned(void *heap, size_t align, size_t size)                         \
    {                                                                                                \
        return ea_##kind##_alloc_aligned(heap, align, size);                                         \
    }                                                                                                \
    static void *kind##_calloc(void *heap, size_t n, size_t size)                                    \
    {                                                                                                \
        return ea_##kind##_calloc(heap, n, size);                                                    \
    }                                                                                                \
    static void *kind##_realloc(void *heap, void *p, size_t size)                                    \
    {                                                                                                \
        return ea_##kind##_realloc(heap, p, size);                                                   \
    }                                                                                                \
    static void kind##_free(void *heap, void *p)                                                     \
    {                                                                                                \
        ea_##kind##_free(heap, p);                                                                   \
    }                                                                                                \
    static size_t kind##_usable_size(void *heap, const void *p)                                      \
    {                                                                                                \
        return ea_##kind##_usable_size(heap, p);                                                     \
    }                                                                                                \
    static size_t kind##_used(void *heap)                                                            \
    {                                                                                                \
        return ea_##kind##_used(heap);                                                               \
    }                                                                                                \
    static int kind##_check(void *heap)                                                              \
    {                                                                                                \
        return ea_##kind##_check(heap);                                                              \
    }                                                                                                \
    static void kind##_walk(void *heap, ea_walk_fn fn, void *ctx)                                    \
    {                                                                                                \
        ea_##kind##_walk(heap, fn, ctx);                                                             \
    }                                                                                                \
    const backend_t backend_##kind = {                                                               \
        #kind, desc, true, EA_ALIGN, sizeof(ea_##kind##_t), _Alignof(ea_##kind##_t),                 \
        kind##_create, kind##_destroy, kind##_alloc, kind##_alloc_aligned, kind##_calloc,            \
        kind##_realloc, kind##_free, kind##_usable_size, kind##_used, kind##_check, kind##_walk,     \
    };

/* The EMPTY initialisers are spelled in upper case; these let the macro paste the kind. */
#define EA_llff_EMPTY_ EA_LLFF_EMPTY
EALLOC_BACKEND(llff, "ealloc linked-list first fit")

#ifdef REPLAY_HAVE_TLSF
#define EA_tlsf_EMPTY_ EA_TLSF_EMPTY
EALLOC_BACKEND(tlsf, "ealloc two-level segregated fit")
#endif
