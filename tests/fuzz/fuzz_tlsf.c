/*
 * libFuzzer harness for the tlsf back-end: the shared driver (fuzz_driver.c)
 * over tlsf's table (tests/backends/tlsf_backend.c), plus tlsf's own
 * placement rules, checked against a walk taken just before each call:
 *
 * - alloc is good fit: the block comes from a free block of the request's own
 *   class (one that is large enough) or else of the smallest non-empty class
 *   above it, and starts at that block's start, or, when that is not on the
 *   alignment asked for, as high in that block as the alignment allows;
 * - realloc stays in place whenever the block and the free block after it
 *   hold the new size; else, when the free block before it, the block and the
 *   free block after hold it and the free block before starts on the
 *   alignment, the block moves down to where that free block starts; else it
 *   moves to where alloc would put it, the old block still in use.
 */
#include <limits.h>
#include <stdio.h>

#include "fuzz_driver.h"
#include "tlsf_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_run_input(data, size);
}

static char message[200];

const char *fuzz_expect_alloc(const fuzz_walk_t *before, size_t need, size_t align, uintptr_t block)
{
    size_t a = align < EA_GRANULE ? EA_GRANULE : align;
    size_t pad_room = a > EA_GRANULE ? a - EA_GRANULE + TLSF_MIN_BLOCK : 0;
    const fuzz_block_t *f = NULL;
    for (size_t i = 0; i < before->count && f == NULL; i++) {
        const fuzz_block_t *b = &before->blocks[i];
        if (!b->used && block >= b->addr && block + need <= b->addr + b->size) {
            f = b;
        }
    }
    if (f == NULL) {
        (void)snprintf(message, sizeof message, "the %zu-byte block at %#lx was not carved from one free block", need,
                       (unsigned long)block);
        return message;
    }
    uintptr_t payload = f->addr + EA_HEADER;
    size_t gap = 0;
    if ((payload & (a - 1)) != 0) {
        gap = (size_t)(((f->addr + f->size - need + EA_HEADER) & ~(uintptr_t)(a - 1)) - payload);
    }
    unsigned want = class_of(need + pad_room);
    unsigned got = class_of(f->size);
    unsigned smallest_above = UINT_MAX;
    for (size_t i = 0; i < before->count; i++) {
        unsigned c = class_of(before->blocks[i].size);
        if (!before->blocks[i].used && c > want && c < smallest_above) {
            smallest_above = c;
        }
    }
    const char *wrong = NULL;
    if (block != f->addr + gap) {
        wrong = "neither at the start of the free block nor, off the alignment, as high in it as it goes";
    } else if (got == want && f->size < need + pad_room) {
        wrong = "from a block of its own class that is too small";
    } else if (got != want && got != smallest_above) {
        wrong = "neither from its own class nor from the smallest non-empty class above";
    }
    if (wrong == NULL) {
        return NULL;
    }
    (void)snprintf(message, sizeof message,
                   "a block of %zu bytes aligned to %zu (class %u) at %#lx, from the free block %#lx of %zu bytes "
                   "(class %u; smallest class above: %u): %s",
                   need, align, want, (unsigned long)block, (unsigned long)f->addr, f->size, got, smallest_above,
                   wrong);
    return message;
}

const char *fuzz_expect_realloc(const fuzz_walk_t *before, uintptr_t old_block, size_t need, size_t align,
                                uintptr_t new_block)
{
    size_t i = fuzz_walk_find_used(before, old_block);
    if (i == before->count) {
        return "realloc: the old block is not a used block of the walk before";
    }
    size_t have = before->blocks[i].size;
    size_t after = fuzz_walk_free_after(before, i);
    const fuzz_block_t *prev = i > 0 ? &before->blocks[i - 1] : NULL;
    if (prev != NULL && (prev->used || prev->addr + prev->size != old_block)) {
        prev = NULL;
    }
    size_t a = align < EA_GRANULE ? EA_GRANULE : align;
    bool aligned = ((old_block + EA_HEADER) & (align - 1)) == 0;
    if (aligned && have + after >= need) {
        return new_block == old_block ? NULL : "realloc moved a block that fits in place";
    }
    if (aligned && prev != NULL && prev->size + have + after >= need && ((prev->addr + EA_HEADER) & (a - 1)) == 0) {
        if (new_block == prev->addr) {
            return NULL;
        }
        (void)snprintf(message, sizeof message,
                       "realloc of %#lx to %zu bytes went to %#lx, not down into the free block before at %#lx",
                       (unsigned long)old_block, need, (unsigned long)new_block, (unsigned long)prev->addr);
        return message;
    }
    return fuzz_expect_alloc(before, need, align, new_block);
}
