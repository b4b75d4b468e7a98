/*
 * Randomized model test: a long run of mixed operations on one heap, checked
 * against a shadow model of the live blocks.
 *
 *   model_test [--ops N] [--seed S] [--check-every K]
 *
 * Every block is filled with a byte of its own and verified before it is
 * freed or moved, so overlapping blocks are caught; every result is checked
 * for alignment and bounds; used() must equal the footprints the model holds
 * and used + free_bytes the capacity; check() runs every K operations. A
 * failed plain allocation must be one that really cannot fit (stats'
 * largest_free is below it). The seed is printed so any failure replays.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_random.h"
#include "test_support.h"

#define SLOTS 256

typedef struct {
    unsigned char *p;
    size_t size;  /* bytes asked for */
    size_t align; /* alignment asked for */
    unsigned char fill;
} live_t;

static live_t live[SLOTS];
static size_t model_used; /* sum of footprints of live blocks, as usable_size reports them */
static uint64_t rng_state;

static uint64_t next_random(void)
{
    return splitmix64(&rng_state);
}

static size_t random_below(size_t n)
{
    return (size_t)(next_random() % n);
}

static size_t random_size(void)
{
    size_t r = random_below(100);
    if (r < 60) {
        return random_below(65);
    }
    if (r < 90) {
        return 65 + random_below(448);
    }
    if (r < 99) {
        return 513 + random_below(3584);
    }
    return 4097 + random_below(12288);
}

static bool all_bytes_are(const unsigned char *p, size_t n, unsigned char v)
{
    return n == 0 || (p[0] == v && memcmp(p, p + 1, n - 1) == 0);
}

static size_t footprint(const void *p)
{
    return backend.usable_size(heap, p) + backend.header + TEST_GUARD;
}

static void take(live_t *slot, void *p, size_t size, size_t align)
{
    unsigned char *b = p;
    size_t usable = backend.usable_size(heap, b);
    if ((uintptr_t)b % align != 0 || usable < size) {
        fail_msg("block %p: alignment %zu or usable %zu < %zu", p, align, usable, size);
    }
    bool inside = (b >= arena && b + usable <= arena + arena_size) ||
                  (b >= second_arena && b + usable <= second_arena + arena_size);
    if (!inside) {
        fail_msg("block %p of %zu bytes lies outside every region", p, usable);
    }
    slot->p = b;
    slot->size = size;
    slot->align = align;
    slot->fill = (unsigned char)(1 + random_below(255));
    memset(b, slot->fill, size);
    model_used += footprint(b);
}

static void verify(const live_t *slot, size_t n)
{
    if (!all_bytes_are(slot->p, n, slot->fill)) {
        fail_msg("block %p (%zu bytes) was overwritten", (void *)slot->p, slot->size);
    }
}

static void expect_real_failure(size_t size)
{
    ea_stats_t st;
    backend.stats(heap, &st);
    if (st.free_blocks != 0 && st.largest_free >= size) { /* a full heap cannot serve even alloc(0) */
        fail_msg("alloc(%zu) failed though largest_free is %zu", size, st.largest_free);
    }
}

static void one_operation(live_t *slot)
{
    if (slot->p == NULL) {
        size_t size = random_size();
        size_t kind = random_below(10);
        void *p;
        size_t align = DEFAULT_ALIGN;
        if (kind < 7) {
            p = backend.alloc(heap, size);
            if (p == NULL) {
                expect_real_failure(size);
            }
        } else if (kind < 9) {
            align = (size_t)1 << random_below(13);
            p = backend.alloc_aligned(heap, align, size);
        } else {
            size_t n = 1 + random_below(8);
            size = size / n;
            p = backend.calloc(heap, n, size);
            size *= n;
            if (p != NULL && !all_bytes_are(p, size, 0)) {
                fail_msg("calloc(%zu, %zu) not zeroed", n, size / n);
            }
        }
        if (p != NULL) {
            take(slot, p, size, align < DEFAULT_ALIGN ? DEFAULT_ALIGN : align);
        }
        return;
    }
    verify(slot, slot->size);
    if (random_below(10) < 6) {
        model_used -= footprint(slot->p);
        backend.free(heap, slot->p);
        slot->p = NULL;
        return;
    }
    size_t size = random_size();
    size_t old_footprint = footprint(slot->p);
    void *q = slot->align > DEFAULT_ALIGN ? backend.realloc_aligned(heap, slot->p, slot->align, size)
                                          : backend.realloc(heap, slot->p, size);
    if (q == NULL) {
        if (size == 0) {
            model_used -= old_footprint;
            slot->p = NULL;
        } else {
            verify(slot, slot->size); /* a failed realloc leaves the block intact */
        }
        return;
    }
    size_t kept = slot->size < size ? slot->size : size;
    live_t moved = *slot;
    moved.p = q;
    verify(&moved, kept);
    model_used -= old_footprint;
    take(slot, q, size, slot->align);
}

static unsigned long ops = 1000000;
static unsigned long long seed = 20261125;
static unsigned long check_every = 1;

static void model_run(void **state)
{
    (void)state;
    print_message("model test, back-end %s: %lu operations, seed %llu, check every %lu\n", backend.name, ops, seed,
                  check_every);
    rng_state = seed;
    setup_heap(NULL);

    unsigned long failures = 0;
    for (unsigned long op = 0; op < ops; op++) {
        if (op == ops / 2) {
            /* Half way, the heap grows by a second region. */
            assert_true(backend.add_region(heap, second_arena, arena_size));
        }
        live_t *slot = &live[random_below(SLOTS)];
        bool was_empty = slot->p == NULL;
        one_operation(slot);
        failures += was_empty && slot->p == NULL;
        if (backend.used(heap) != model_used) {
            fail_msg("op %lu: used %zu, model %zu (seed %llu)", op, backend.used(heap), model_used, seed);
        }
        if (check_every != 0 && op % check_every == 0) {
            int rc = backend.check(heap);
            if (rc != EA_OK) {
                fail_msg("op %lu: check() = %d (seed %llu)", op, rc, seed);
            }
            assert_heap_sound();
        }
    }
    for (size_t i = 0; i < SLOTS; i++) {
        if (live[i].p != NULL) {
            verify(&live[i], live[i].size);
            backend.free(heap, live[i].p);
            live[i].p = NULL;
        }
    }
    assert_heap_sound();
    assert_int_equal(backend.used(heap), 0);
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_int_equal(st.free_blocks, 2);
    print_message("model test, back-end %s: %lu failed allocations, peak used %zu of %zu\n", backend.name, failures,
                  st.peak_used, st.capacity);
}

int main(int argc, char **argv)
{
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--ops") == 0) {
            ops = strtoul(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "--seed") == 0) {
            seed = strtoull(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "--check-every") == 0) {
            check_every = strtoul(argv[i + 1], NULL, 10);
        } else {
            fprintf(stderr, "usage: %s [--ops N] [--seed S] [--check-every K]\n", argv[0]);
            return 2;
        }
    }
    const struct CMUnitTest tests[] = {cmocka_unit_test(model_run)};
    char name[32];
    (void)snprintf(name, sizeof name, "model_%s", backend.name);
    return _cmocka_run_group_tests(name, tests, 1, NULL, NULL) != 0;
}
