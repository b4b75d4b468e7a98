/*
 * The C library's own malloc, as the baseline every allocator is compared
 * with. It has no arena: it takes memory from the operating system as it
 * grows, so the replay reports no fill, used or check for it.
 */
#define _POSIX_C_SOURCE 200809L /* posix_memalign */

#include "backend_system.h"

#include <stdlib.h>

static void *system_create(void *handle, void *buf, size_t size)
{
    (void)buf;
    (void)size;
    return handle; /* unused: malloc has one process-wide heap */
}

static void system_destroy(void *heap)
{
    (void)heap;
}

static void *system_alloc(void *heap, size_t size)
{
    (void)heap;
    return malloc(size);
}

/*
 * posix_memalign rather than aligned_alloc: C11's aligned_alloc may refuse a
 * size that is not a multiple of the alignment (sanitizer runtimes do), and
 * traces ask for any size at any alignment. posix_memalign needs at least
 * sizeof(void *), which is a stronger guarantee than asked, never a weaker one.
 */
static void *system_alloc_aligned(void *heap, size_t align, size_t size)
{
    (void)heap;
    void *p = NULL;
    if (align < sizeof(void *)) {
        align = sizeof(void *);
    }
    return posix_memalign(&p, align, size) == 0 ? p : NULL;
}

static void *system_calloc(void *heap, size_t n, size_t size)
{
    (void)heap;
    return calloc(n, size);
}

static void *system_realloc(void *heap, void *p, size_t size)
{
    (void)heap;
    return realloc(p, size);
}

static void system_free(void *heap, void *p)
{
    (void)heap;
    free(p);
}

const backend_t backend_system = {
    "system", "the C library's malloc (no arena limit)", false, _Alignof(max_align_t), 0, 1,
    system_create, system_destroy, system_alloc, system_alloc_aligned, system_calloc,
    system_realloc, system_free, NULL, NULL, NULL, NULL,
};
