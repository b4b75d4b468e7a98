/*
 * libFuzzer harness for the llff back-end: the shared driver (fuzz_driver.c)
 * over llff's table (tests/backends/llff_backend.c), plus llff's own
 * placement rules, checked against a walk taken just before each call:
 *
 * - alloc is first fit in address order: the block starts in the lowest free
 *   block that holds it after its alignment padding (none, or at least a
 *   block's worth), right after that padding;
 * - realloc stays in place whenever the block and the free block after it
 *   hold the new size (and the block is on the alignment asked for); else the
 *   block moves to where alloc would put it, the old block still in use.
 */
#include <stdio.h>

#include "fuzz_driver.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_run_input(data, size);
}

static char message[200];

/* Where first fit puts a block of need bytes whose payload is on align; 0 when nothing fits. */
static uintptr_t first_fit(const fuzz_walk_t *before, size_t need, size_t align)
{
    size_t a = align < fuzz_granule() ? fuzz_granule() : align;
    for (size_t i = 0; i < before->count; i++) {
        const fuzz_block_t *b = &before->blocks[i];
        size_t pad = (size_t)((a - ((b->addr + fuzz_header()) & (a - 1))) & (a - 1));
        if (pad != 0 && pad < fuzz_min_block()) {
            pad += a; /* the padding must be able to stand as a free block */
        }
        if (!b->used && pad <= b->size && b->size - pad >= need) {
            return b->addr + pad;
        }
    }
    return 0;
}

const char *fuzz_expect_alloc(const fuzz_walk_t *before, size_t need, size_t align, uintptr_t block)
{
    uintptr_t expected = first_fit(before, need, align);
    if (block == expected) {
        return NULL;
    }
    (void)snprintf(message, sizeof message, "a block of %zu bytes aligned to %zu at %#lx; first fit is %#lx", need,
                   align, (unsigned long)block, (unsigned long)expected);
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
    size_t room = have + fuzz_walk_free_after(before, i);
    bool aligned = ((old_block + fuzz_header()) & (align - 1)) == 0;
    uintptr_t expected = aligned && room >= need ? old_block : first_fit(before, need, align);
    if (new_block == expected) {
        return NULL;
    }
    (void)snprintf(message, sizeof message,
                   "realloc of the %zu-byte block at %#lx (room %zu) to %zu bytes went to %#lx, expected %#lx", have,
                   (unsigned long)old_block, room, need, (unsigned long)new_block, (unsigned long)expected);
    return message;
}
