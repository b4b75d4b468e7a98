/* The test back-ends of bump_backends.h: a bump allocator with optional faults. */
#include "bump_backends.h"

#include <stdint.h>
#include <string.h>

typedef enum fault {
    FAULT_NONE,
    FAULT_OVERLAP,
    FAULT_NOZERO,
    FAULT_MISALIGN,
    FAULT_SHORTCOPY,
    FAULT_OUTSIDE,
    FAULT_BADCHECK
} fault_t;

typedef struct bump {
    unsigned char *start;
    unsigned char *end;
    unsigned char *top;  /* the next free byte */
    unsigned char *last; /* the previous result */
    size_t allocations;
    fault_t fault;
} bump_t;

#define BUMP_ALIGN 16u
/* Each block is preceded by its size, so realloc knows how much to copy. */
#define BUMP_HEADER 16u

static uintptr_t align_up(uintptr_t x, uintptr_t a)
{
    return (x + a - 1) & ~(a - 1);
}

static void *bump_create(void *handle, void *buf, size_t size, fault_t fault)
{
    bump_t *b = handle;
    b->start = buf;
    b->end = b->start + size;
    b->top = b->start;
    b->last = NULL;
    b->allocations = 0;
    b->fault = fault;
    return b;
}

static void *take(bump_t *b, size_t align, size_t size)
{
    if (align < BUMP_ALIGN) {
        align = BUMP_ALIGN;
    }
    if (b->fault == FAULT_OVERLAP && b->last != NULL && (b->allocations + 1) % 10 == 0) {
        b->allocations++;
        return b->last;
    }
    if (b->fault == FAULT_OUTSIDE && b->allocations + 1 == 20) {
        b->allocations++;
        return b->end + 64;
    }
    uintptr_t base = (uintptr_t)b->start;
    uintptr_t at = align_up((uintptr_t)b->top + BUMP_HEADER, align);
    bool misalign = b->fault == FAULT_MISALIGN && align > BUMP_ALIGN;
    uintptr_t need = at - base + (misalign ? BUMP_ALIGN : 0);
    size_t room = (size_t)(b->end - b->start);
    if (need > room || size > room - need) {
        return NULL;
    }
    unsigned char *p = b->start + need;
    memcpy(p - sizeof size, &size, sizeof size);
    b->top = p + (size != 0 ? size : 1);
    b->last = p;
    b->allocations++;
    return p;
}

static size_t size_of(const unsigned char *p)
{
    size_t size;
    memcpy(&size, p - sizeof size, sizeof size);
    return size;
}

static void bump_destroy(void *heap)
{
    (void)heap;
}

static void *bump_alloc(void *heap, size_t size)
{
    return take(heap, BUMP_ALIGN, size);
}

static void *bump_alloc_aligned(void *heap, size_t align, size_t size)
{
    return take(heap, align, size);
}

static void *bump_calloc(void *heap, size_t n, size_t size)
{
    bump_t *b = heap;
    if (size != 0 && n > SIZE_MAX / size) {
        return NULL;
    }
    unsigned char *p = take(b, BUMP_ALIGN, n * size);
    if (p != NULL && b->fault != FAULT_NOZERO) {
        memset(p, 0, n * size);
    }
    return p;
}

static void *bump_realloc(void *heap, void *p, size_t size)
{
    bump_t *b = heap;
    unsigned char *q = take(b, BUMP_ALIGN, size);
    if (q != NULL && p != NULL) {
        size_t keep = size_of(p) < size ? size_of(p) : size;
        memcpy(q, p, b->fault == FAULT_SHORTCOPY ? keep / 2 : keep);
    }
    return q;
}

static void bump_free(void *heap, void *p)
{
    (void)heap;
    (void)p; /* a bump allocator never reuses memory */
}

static size_t bump_usable_size(void *heap, const void *p)
{
    (void)heap;
    return p != NULL ? size_of(p) : 0;
}

static size_t bump_used(void *heap)
{
    bump_t *b = heap;
    return (size_t)(b->top - b->start);
}

static int bump_check(void *heap)
{
    bump_t *b = heap;
    return b->fault == FAULT_BADCHECK && b->allocations >= 50 ? -3 : 0;
}

static void bump_walk(void *heap, ea_walk_fn fn, void *ctx)
{
    bump_t *b = heap;
    if (b->top > b->start) {
        fn(ctx, b->start, (size_t)(b->top - b->start), true);
    }
    if (b->end > b->top) {
        fn(ctx, b->top, (size_t)(b->end - b->top), false);
    }
}

#define BUMP_BACKEND(name, fault, text)                                                                    \
    static void *create_##name(void *handle, void *buf, size_t size)                                      \
    {                                                                                                      \
        return bump_create(handle, buf, size, fault);                                                      \
    }                                                                                                      \
    const backend_t backend_##name = {                                                                     \
        #name, text, true, BUMP_ALIGN, sizeof(bump_t), _Alignof(bump_t), create_##name, bump_destroy,      \
        bump_alloc, bump_alloc_aligned, bump_calloc, bump_realloc, bump_free, bump_usable_size, bump_used, \
        bump_check, bump_walk,                                                                             \
    };

BUMP_BACKEND(bump, FAULT_NONE, "test: a correct bump allocator")
BUMP_BACKEND(bump_overlap, FAULT_OVERLAP, "test: every 10th allocation overlaps the previous")
BUMP_BACKEND(bump_nozero, FAULT_NOZERO, "test: calloc does not zero")
BUMP_BACKEND(bump_misalign, FAULT_MISALIGN, "test: alignments above 16 ignored")
BUMP_BACKEND(bump_shortcopy, FAULT_SHORTCOPY, "test: realloc copies half of the kept bytes")
BUMP_BACKEND(bump_outside, FAULT_OUTSIDE, "test: the 20th block lies outside the arena")
BUMP_BACKEND(bump_badcheck, FAULT_BADCHECK, "test: check() fails after 50 allocations")
