/*
 * The shared libFuzzer driver (fuzz_driver.c) and what each harness
 * (fuzz_<kind>.c) adds to it: the back-end's own placement rules, checked
 * against a walk of the heap taken just before the call. The back-end's calls
 * come from the behaviour suite's table (tests/backends/<kind>_backend.c),
 * linked into the harness.
 */
#ifndef EALLOC_FUZZ_DRIVER_H
#define EALLOC_FUZZ_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One block of a walk: its start (header), its whole footprint, whether it is allocated. */
typedef struct {
    uintptr_t addr;
    size_t size;
    bool used;
} fuzz_block_t;

/* The heap just before the call being checked: every block, in address order. */
typedef struct {
    const fuzz_block_t *blocks;
    size_t count;
} fuzz_walk_t;

/* The index of the allocated block that starts at addr, or w->count when the walk has none. */
size_t fuzz_walk_find_used(const fuzz_walk_t *w, uintptr_t addr);

/* The footprint of the free block right after blocks[i]; 0 when the next block is in use or there is none. */
size_t fuzz_walk_free_after(const fuzz_walk_t *w, size_t i);

/* Run one input: a fresh heap, the operations the bytes describe, a full teardown. Always 0. */
int fuzz_run_input(const uint8_t *data, size_t size);

/* The footprint of a block that holds size bytes (header, rounding, minimum block); 0 when none can. */
size_t fuzz_block_need(size_t size);

/* The back-end's granule, header and smallest block, from its table. */
size_t fuzz_granule(void);
size_t fuzz_header(void);
size_t fuzz_min_block(void);

/*
 * Each harness: where its back-end must put a block. Called after a
 * successful allocation of a block of need bytes aligned to align (a power of
 * two), which the back-end put at block (its header); before is the heap just
 * before the call. NULL when that is right, else what is wrong.
 */
const char *fuzz_expect_alloc(const fuzz_walk_t *before, size_t need, size_t align, uintptr_t block);

/*
 * The same for a realloc (align: the alignment asked for, a power of two) of
 * the block at old_block to a block of need bytes, which now starts at
 * new_block.
 */
const char *fuzz_expect_realloc(const fuzz_walk_t *before, uintptr_t old_block, size_t need, size_t align,
                                uintptr_t new_block);

#endif
