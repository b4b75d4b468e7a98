/*
 * Internal: the llff block layout, shared by llff.c, llff_inspect.c and the
 * tests that damage a heap on purpose. Not a public header.
 *
 *   allocated block                      free block
 *   +------------------+ <- block         +------------------+ <- block
 *   | size | USED      |  one word        | size             |
 *   +------------------+ <- payload       +------------------+
 *   | caller's bytes   |  (EA_ALIGN)      | next free block  |  address order
 *   | ...              |                  | (unused)         |
 *   +------------------+                  +------------------+
 *
 * size is the whole footprint, a multiple of EA_GRANULE; bit 0 is free to
 * carry the USED flag because the granule is at least 8.
 */
#ifndef EALLOC_LLFF_INTERNAL_H
#define EALLOC_LLFF_INTERNAL_H

#include "ealloc/llff.h"
#include "heap_common.h"

typedef struct ea_llff_block {
    size_t size; /* footprint | LLFF_USED */
#if EA_HARDENED
    size_t check; /* check_value(block, size) */
#endif
    struct ea_llff_block *next; /* free blocks only: the next free block, higher address */
} block_t;

#define LLFF_USED EA_HEADER_USED

/* A free block's own words: header (and check word) and the link; the rest is its interior. */
#define LLFF_FREE_META (EA_HEADER + sizeof(void *))

/* The smallest block: a header and a link, rounded to the granule. */
#define LLFF_MIN_BLOCK ((EA_HEADER + sizeof(void *) + EA_GRANULE - 1) & ~(EA_GRANULE - 1))

static inline size_t block_bytes(const block_t *b)
{
    return b->size & ~LLFF_USED;
}

static inline block_t *block_at(uintptr_t addr)
{
    return (block_t *)addr;
}

static inline void *payload_of(block_t *b)
{
    return (unsigned char *)b + EA_HEADER;
}

static inline block_t *block_of(const void *payload)
{
    return block_at((uintptr_t)payload - EA_HEADER);
}

/*
 * A free block's link is the heap's, but a checker (EA_ASAN, EA_VALGRIND)
 * keeps it closed between the heap's uses, as the rest of the block: a
 * program that reads a block it freed, first bytes included (p = p->next after
 * free(p)), is reported. The heap reads and writes the links of the blocks in
 * its list through these, which open the link for the one access; other
 * builds get the plain access (the hooks are nothing there).
 */
#define LINK_OPEN(b) SHADOW_OPEN((uintptr_t)(b) + EA_HEADER, (uintptr_t)(b) + LLFF_FREE_META)
#define LINK_CLOSE(b) SHADOW_CLOSE((uintptr_t)(b) + EA_HEADER, (uintptr_t)(b) + LLFF_FREE_META)

/* The free block whose link is the word at link (a link that is not the list's head). */
static inline block_t *block_of_link(block_t *const *link)
{
    return block_at((uintptr_t)link - offsetof(block_t, next));
}

EA_ALWAYS_INLINE static inline block_t *next_of(const block_t *b)
{
    LINK_OPEN(b);
    block_t *next = b->next;
    LINK_CLOSE(b);
    return next;
}

EA_ALWAYS_INLINE static inline void set_next(block_t *b, block_t *next)
{
    LINK_OPEN(b);
    b->next = next;
    LINK_CLOSE(b);
}

#if EA_TRACE
/* The public calls under the names an EA_TRACE build compiles them with (heap_common.h, EA_UNTRACED). */
void EA_UNTRACED(ea_llff_init)(ea_llff_t *h, void *start, size_t size);
bool EA_UNTRACED(ea_llff_add_region)(ea_llff_t *h, void *start, size_t size);
void *EA_UNTRACED(ea_llff_alloc)(ea_llff_t *h, size_t size);
void *EA_UNTRACED(ea_llff_alloc_aligned)(ea_llff_t *h, size_t align, size_t size);
void *EA_UNTRACED(ea_llff_calloc)(ea_llff_t *h, size_t n, size_t size);
void *EA_UNTRACED(ea_llff_realloc)(ea_llff_t *h, void *p, size_t size);
void *EA_UNTRACED(ea_llff_realloc_aligned)(ea_llff_t *h, void *p, size_t align, size_t size);
void EA_UNTRACED(ea_llff_free)(ea_llff_t *h, void *p);
#endif

#endif /* EALLOC_LLFF_INTERNAL_H */
