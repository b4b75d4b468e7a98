/* stats, walk, check and usable_size on a live heap. */
#include <string.h>

#include "suites.h"

typedef struct {
    size_t total;
    size_t used_bytes;
    unsigned used_blocks;
    unsigned free_blocks;
    void *owner_of[3];
    void *targets[3];
} walk_tally_t;

static void tally(void *ctx, void *addr, size_t size, bool used)
{
    walk_tally_t *t = ctx;
    t->total += size;
    if (used) {
        t->used_bytes += size;
        t->used_blocks++;
        for (int i = 0; i < 3; i++) {
            uintptr_t p = (uintptr_t)t->targets[i];
            if (p > (uintptr_t)addr && p < (uintptr_t)addr + size) {
                t->owner_of[i] = addr;
            }
        }
    } else {
        t->free_blocks++;
    }
}

static void walk_matches_stats_and_owns_every_block(void **state)
{
    (void)state;
    walk_tally_t t;
    memset(&t, 0, sizeof t);
    t.targets[0] = backend.alloc(heap, 10);
    t.targets[1] = backend.alloc(heap, 1000);
    t.targets[2] = backend.alloc(heap, 77);
    backend.free(heap, backend.alloc(heap, 5)); /* leaves the layout as it was */
    backend.walk(heap, tally, &t);
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_int_equal(t.total, st.capacity);
    assert_int_equal(t.used_bytes, st.used);
    assert_int_equal(t.used_blocks, 3);
    assert_int_equal(t.used_blocks, st.used_blocks);
    assert_int_equal(t.free_blocks, st.free_blocks);
    for (int i = 0; i < 3; i++) {
        assert_non_null(t.owner_of[i]);
        backend.free(heap, t.targets[i]);
    }
}

static void largest_free_is_exact(void **state)
{
    (void)state;
    void *a = backend.alloc(heap, TEST_SCALE(3000));
    void *b = backend.alloc(heap, 10);
    void *c = backend.alloc(heap, TEST_SCALE(6000));
    void *d = backend.alloc(heap, 10);
    backend.free(heap, a);
    backend.free(heap, c);
    /* Use up the big tail so the holes matter. */
    ea_stats_t st;
    backend.stats(heap, &st);
    void *rest = backend.alloc(heap, st.largest_free);
    assert_non_null(rest);
    backend.stats(heap, &st);
    assert_true(st.largest_free >= TEST_SCALE(6000));
    /* One more byte fails; the reported size succeeds. */
    assert_null(backend.alloc(heap, st.largest_free + 1));
    void *e = backend.alloc(heap, st.largest_free);
    assert_non_null(e);
    backend.free(heap, e);
    backend.free(heap, rest);
    backend.free(heap, b);
    backend.free(heap, d);
}

static void usable_size_covers_the_request(void **state)
{
    (void)state;
    assert_int_equal(backend.usable_size(heap, NULL), 0);
    for (size_t size = 0; size < 600; size += 7) {
        unsigned char *p = backend.alloc(heap, size);
        size_t usable = backend.usable_size(heap, p);
        assert_true(usable >= size);
        assert_true(usable < size + backend.granule + backend.min_block);
        memset(p, 0x3C, usable); /* every usable byte is really ours (ASan would object) */
        assert_heap_sound();
        backend.free(heap, p);
    }
}

static void used_plus_free_is_constant(void **state)
{
    (void)state;
    ea_stats_t st;
    backend.stats(heap, &st);
    void *live[32] = {0};
    uint32_t x = 777; /* fixed seed */
    for (unsigned step = 0; step < 2000; step++) {
        x = x * 1664525u + 1013904223u;
        unsigned slot = (x >> 10) % 32;
        if (live[slot] != NULL) {
            backend.free(heap, live[slot]);
            live[slot] = NULL;
        } else {
            live[slot] = backend.alloc(heap, (x >> 16) % 700);
        }
        assert_int_equal(backend.used(heap) + backend.free_bytes(heap), st.capacity);
    }
    for (unsigned i = 0; i < 32; i++) {
        backend.free(heap, live[i]);
    }
    assert_int_equal(backend.used(heap), 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(walk_matches_stats_and_owns_every_block, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(largest_free_is_exact, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(usable_size_covers_the_request, setup_heap, teardown_heap),
    cmocka_unit_test_setup_teardown(used_plus_free_is_constant, setup_heap, teardown_heap),
};

const suite_t inspect_suite = SUITE("inspect", tests);
