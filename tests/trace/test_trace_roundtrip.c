/*
 * A traced heap recorded by the recorder, the way a program uses them: a
 * seeded random workload (plain, aligned and zeroed allocations, reallocs that
 * grow, shrink, move and fail, frees) runs on the heap while ea_trace_hook
 * feeds the recorder. After every call the recorder must have written exactly
 * the line for it, with the id the block got when it was allocated — the
 * trace a replay needs. Both back-ends, through the behaviour suite's table.
 */
#include <stdio.h>
#include <string.h>

#include <ealloc/trace.h>

#include "test_random.h"
#include "test_support.h"

#if !EA_TRACE
#error "this test is built with EA_TRACE=1"
#endif

static char out[256];
static size_t out_len;
static ea_recorder_slot_t slots[256];
static ea_recorder_t rec;

static void sink(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    assert_true(out_len + len < sizeof out);
    memcpy(out + out_len, text, len);
    out_len += len;
    out[out_len] = '\0';
}

void ea_trace_hook(const ea_trace_event_t *e)
{
    ea_recorder_event(&rec, e);
}

static uint64_t rng;

static uint64_t next_random(void)
{
    return splitmix64(&rng);
}

#define BLOCKS 96

static void *block[BLOCKS];
static long id_of[BLOCKS];

/* The line the call just produced, read as op, id and up to three numbers. */
static int read_line(char *op, long *id, size_t *x, size_t *y, size_t *z)
{
    assert_true(out_len > 0 && out[out_len - 1] == '\n');
    assert_ptr_equal(strchr(out, '\n'), out + out_len - 1); /* exactly one line */
    return sscanf(out, "%c %ld %zu %zu %zu", op, id, x, y, z);
}

static void start(void)
{
    out_len = 0;
}

static void recorded_trace_matches_the_calls(void **state)
{
    (void)state;
    const uint64_t seed = 20261126;
    const unsigned ops = 20000;
    rng = seed;
    printf("%s: seed %llu, %u operations\n", backend.name, (unsigned long long)seed, ops);

    setup_empty_heap(state);
    ea_recorder_init(&rec, heap, slots, 256, sink, NULL);
    start();
    backend.init(heap, arena, arena_size);
    assert_int_equal(out_len, strlen("arena ") + (size_t)snprintf(NULL, 0, "%zu", arena_size) + 1);
    assert_true(strncmp(out, "arena ", 6) == 0);

    size_t failures = 0;
    for (unsigned n = 0; n < ops; n++) {
        size_t k = (size_t)(next_random() % BLOCKS);
        uint64_t r = next_random();
        size_t size = (size_t)(r % 2000) + 1;
        char op;
        long id;
        size_t x, y, z;
        start();
        if (block[k] == NULL) {
            int kind = (int)(r >> 32) % 3;
            void *p;
            if (kind == 0) {
                p = backend.alloc(heap, size);
                assert_int_equal(read_line(&op, &id, &x, &y, &z), 3);
                assert_true(op == 'a' && x == size);
            } else if (kind == 1) {
                size_t align = (size_t)16 << ((r >> 40) % 5);
                p = backend.alloc_aligned(heap, align, size);
                assert_int_equal(read_line(&op, &id, &x, &y, &z), 4);
                assert_true(op == 'a' && x == size && y == align);
            } else {
                p = backend.calloc(heap, 3, size);
                assert_int_equal(read_line(&op, &id, &x, &y, &z), 4);
                assert_true(op == 'c' && x == 3 && y == size);
            }
            for (size_t j = 0; j < BLOCKS; j++) {
                assert_true(block[j] == NULL || id_of[j] != id); /* the id is not bound already */
            }
            if (p != NULL) {
                block[k] = p;
                id_of[k] = id;
            } else {
                failures++;
            }
        } else if ((r >> 32) % 3 == 0) {
            size_t new_size = (r >> 36) % 8 == 0 ? arena_size * 2 : size; /* now and then one that fails */
            void *q = backend.realloc(heap, block[k], new_size);
            assert_int_equal(read_line(&op, &id, &x, &y, &z), 3);
            assert_true(op == 'r' && id == id_of[k] && x == new_size);
            if (q != NULL) {
                block[k] = q;
            } else {
                failures++;
            }
        } else {
            backend.free(heap, block[k]);
            assert_int_equal(read_line(&op, &id, &x, &y, &z), 2);
            assert_true(op == 'f' && id == id_of[k]);
            block[k] = NULL;
        }
    }
    for (size_t k = 0; k < BLOCKS; k++) {
        start();
        backend.free(heap, block[k]);
        assert_int_equal(out_len, block[k] != NULL ? (size_t)snprintf(NULL, 0, "f %ld\n", id_of[k]) : 0);
    }
    assert_int_equal(rec.failed, failures);
    assert_true(failures > 0);
    assert_int_equal(rec.unknown, 0);
    assert_int_equal(rec.dropped, 0);
    assert_int_equal(rec.refused, 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_teardown(recorded_trace_matches_the_calls, teardown_heap),
};

int main(void)
{
    return cmocka_run_group_tests_name(backend.name, tests, NULL, NULL);
}
