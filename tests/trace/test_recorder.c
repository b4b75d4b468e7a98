/*
 * The recorder (src/trace_recorder.c): events in, trace text out. Exact text
 * for each kind of event, the id rules of the trace format (a live block keeps
 * its id through reallocs; a failure's id stays unbound; ids are reused), the
 * cases the format cannot express (blocks from before the recording, a bad
 * alignment, a full table), and a randomized run of the pointer table against
 * a reference map (seed printed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ealloc/trace.h>

#include "test_framework.h"
#include "test_random.h"

static char out[1 << 16];
static size_t out_len;

static void sink(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    assert_true(len > 0);
    assert_true(out_len + len < sizeof out);
    memcpy(out + out_len, text, len);
    out_len += len;
    out[out_len] = '\0';
}

static ea_recorder_slot_t slots[64];
static ea_recorder_t rec;
static const int heap_a = 1, heap_b = 2; /* stand-ins: only their addresses matter */

static int setup(void **state)
{
    (void)state;
    out_len = 0;
    out[0] = '\0';
    ea_recorder_init(&rec, &heap_a, slots, 64, sink, NULL);
    return 0;
}

/* A block address: what the table keys on. */
#define P(n) ((const void *)(uintptr_t)(0x10000u + (n) * 16u))

static void event(ea_trace_op_t op, const void *ptr, const void *result, size_t count, size_t size, size_t align)
{
    ea_trace_event_t e = {&heap_a, op, ptr, result, count, size, align};
    ea_recorder_event(&rec, &e);
}

static void each_event_becomes_its_line(void **state)
{
    (void)state;
    event(EA_TRACE_INIT, P(0), P(0), 1, 32768, 0);
    event(EA_TRACE_ALLOC, NULL, P(1), 1, 100, 0);
    event(EA_TRACE_ALLOC, NULL, P(2), 1, 40, 256);
    event(EA_TRACE_CALLOC, NULL, P(3), 10, 12, 0);
    event(EA_TRACE_REALLOC, P(1), P(4), 1, 300, 0);
    event(EA_TRACE_FREE, P(2), NULL, 1, 0, 0);
    event(EA_TRACE_FREE, P(4), NULL, 1, 0, 0);
    assert_string_equal(out, "arena 32768\n"
                             "a 0 100\n"
                             "a 1 40 256\n"
                             "c 2 10 12\n"
                             "r 0 300\n"
                             "f 1\n"
                             "f 0\n");
}

static void a_moved_block_keeps_its_id_and_released_ids_are_reused(void **state)
{
    (void)state;
    event(EA_TRACE_ALLOC, NULL, P(1), 1, 8, 0);          /* id 0 */
    event(EA_TRACE_ALLOC, NULL, P(2), 1, 8, 0);          /* id 1 */
    event(EA_TRACE_REALLOC, P(1), P(7), 1, 64, 0);       /* id 0 moves to P(7) */
    event(EA_TRACE_REALLOC, P(7), P(7), 1, 32, 0);       /* in place */
    event(EA_TRACE_FREE, P(7), NULL, 1, 0, 0);           /* id 0 released */
    event(EA_TRACE_ALLOC, NULL, P(1), 1, 8, 0);          /* gets id 0 again (P(1) is free memory again) */
    event(EA_TRACE_FREE, P(2), NULL, 1, 0, 0);
    event(EA_TRACE_FREE, P(1), NULL, 1, 0, 0);
    assert_string_equal(out, "a 0 8\n"
                             "a 1 8\n"
                             "r 0 64\n"
                             "r 0 32\n"
                             "f 0\n"
                             "a 0 8\n"
                             "f 1\n"
                             "f 0\n");
}

static void failures_are_kept_and_their_ids_stay_unbound(void **state)
{
    (void)state;
    event(EA_TRACE_ALLOC, NULL, P(1), 1, 8, 0);         /* a 0 */
    event(EA_TRACE_ALLOC, NULL, NULL, 1, 1u << 20, 0);  /* fails with id 1, which stays free */
    event(EA_TRACE_CALLOC, NULL, NULL, 3, 1u << 20, 0); /* fails with id 1 again */
    event(EA_TRACE_REALLOC, P(1), NULL, 1, 1u << 20, 0); /* fails: id 0 keeps P(1) */
    event(EA_TRACE_ALLOC, NULL, P(2), 1, 8, 0);         /* a 1 */
    event(EA_TRACE_FREE, P(1), NULL, 1, 0, 0);          /* f 0: the failed realloc left it bound */
    assert_string_equal(out, "a 0 8\n"
                             "a 1 1048576\n"
                             "c 1 3 1048576\n"
                             "r 0 1048576\n"
                             "a 1 8\n"
                             "f 0\n");
    ea_recorder_finish(&rec);
    assert_non_null(strstr(out, "# ealloc-recorder: a=3 c=1 r=1 f=1 failed=3 unknown=0 dropped=0 refused=0 regions=0\n"));
}

static void realloc_of_null_allocates_and_realloc_to_zero_frees(void **state)
{
    (void)state;
    event(EA_TRACE_REALLOC, NULL, P(1), 1, 24, 0);
    event(EA_TRACE_REALLOC, NULL, P(2), 1, 24, 64);
    event(EA_TRACE_REALLOC, P(1), NULL, 1, 0, 0);
    event(EA_TRACE_REALLOC, P(2), P(3), 1, 300, 64); /* the format's r has no alignment */
    assert_string_equal(out, "a 0 24\n"
                             "a 1 24 64\n"
                             "f 0\n"
                             "r 1 300\n");
}

static void an_event_of_no_known_kind_is_ignored(void **state)
{
    (void)state;
    event((ea_trace_op_t)99, P(1), P(1), 1, 8, 0);
    event((ea_trace_op_t)0, NULL, P(1), 1, 8, 0);
    assert_int_equal(out_len, 0);
    ea_recorder_finish(&rec);
    assert_string_equal(out, "# ealloc-recorder: a=0 c=0 r=0 f=0 failed=0 unknown=0 dropped=0 refused=0 regions=0\n");
}

static void the_closing_comment_holds_the_largest_counts(void **state)
{
    (void)state;
    /* The counts are readable fields; set them to their largest to see the line stays whole. */
    rec.ops[0] = rec.ops[1] = rec.ops[2] = rec.ops[3] = SIZE_MAX;
    rec.failed = rec.unknown = rec.dropped = rec.refused = rec.arena = SIZE_MAX;
    ea_recorder_finish(&rec);
    char want[400];
    unsigned long long m = SIZE_MAX;
    (void)snprintf(want, sizeof want,
                   "# ealloc-recorder: a=%llu c=%llu r=%llu f=%llu failed=%llu unknown=%llu dropped=%llu "
                   "refused=%llu regions=%llu\n", m, m, m, m, m, m, m, m, m);
    assert_string_equal(out, want);
}

static void the_longest_lines_are_whole(void **state)
{
    (void)state;
    event(EA_TRACE_ALLOC, NULL, NULL, 1, SIZE_MAX, SIZE_MAX);            /* refused: the longest line */
    event(EA_TRACE_CALLOC, NULL, NULL, SIZE_MAX, SIZE_MAX, 0);
    char want[300];
    unsigned long long m = SIZE_MAX;
    (void)snprintf(want, sizeof want,
                   "# refused: alignment %llu is not a power of two, size %llu\n"
                   "c 0 %llu %llu\n", m, m, m, m);
    assert_string_equal(out, want);
}

static void blocks_from_before_the_recording_are_counted_not_written(void **state)
{
    (void)state;
    event(EA_TRACE_FREE, P(9), NULL, 1, 0, 0);         /* never seen: skipped */
    event(EA_TRACE_REALLOC, P(8), P(3), 1, 50, 0);     /* its successor is a new block */
    event(EA_TRACE_REALLOC, P(7), NULL, 1, 50, 0);     /* failed, and nothing to say */
    event(EA_TRACE_FREE, P(3), NULL, 1, 0, 0);
    assert_string_equal(out, "a 0 50\n"
                             "f 0\n");
    ea_recorder_finish(&rec);
    assert_non_null(strstr(out, " unknown=3 "));
}

static void bad_alignments_become_comments(void **state)
{
    (void)state;
    event(EA_TRACE_ALLOC, NULL, NULL, 1, 8, 24);
    event(EA_TRACE_ALLOC, NULL, P(1), 1, 8, 0);
    event(EA_TRACE_REALLOC, P(1), NULL, 1, 80, 3);
    assert_string_equal(out, "# refused: alignment 24 is not a power of two, size 8\n"
                             "a 0 8\n"
                             "# refused: alignment 3 is not a power of two, size 80\n");
    ea_recorder_finish(&rec);
    assert_non_null(strstr(out, " refused=2 "));
}

static void regions_after_the_first_are_comments_and_add_up(void **state)
{
    (void)state;
    event(EA_TRACE_INIT, P(0), P(0), 1, 4096, 0);
    event(EA_TRACE_ADD_REGION, P(300), P(300), 1, 2048, 0);
    event(EA_TRACE_ADD_REGION, P(300), NULL, 1, 2048, 0);
    ea_recorder_finish(&rec);
    assert_string_equal(out, "arena 4096\n"
                             "# add_region 2048\n"
                             "# add_region 2048 refused\n"
                             "# ealloc-recorder: a=0 c=0 r=0 f=0 failed=0 unknown=0 dropped=0 refused=0 regions=6144\n");
}

static void an_arena_written_first_is_not_written_again(void **state)
{
    (void)state;
    ea_recorder_arena(&rec, 65536);
    ea_recorder_arena(&rec, 1);
    event(EA_TRACE_INIT, P(0), P(0), 1, 4096, 0);
    assert_string_equal(out, "arena 65536\n"
                             "# init 4096\n");
}

static void other_heaps_are_ignored(void **state)
{
    (void)state;
    ea_trace_event_t e = {&heap_b, EA_TRACE_ALLOC, NULL, P(1), 1, 8, 0};
    ea_recorder_event(&rec, &e);
    assert_int_equal(out_len, 0);
    ea_recorder_init(&rec, NULL, slots, 64, sink, NULL); /* NULL: every heap */
    ea_recorder_event(&rec, &e);
    assert_string_equal(out, "a 0 8\n");
}

static void a_full_table_drops_allocations_and_says_so(void **state)
{
    (void)state;
    ea_recorder_slot_t small[4];
    ea_recorder_init(&rec, &heap_a, small, 4, sink, NULL); /* holds 3 live blocks */
    for (unsigned i = 1; i <= 4; i++) {
        event(EA_TRACE_ALLOC, NULL, P(i), 1, 8, 0);
    }
    event(EA_TRACE_ALLOC, NULL, NULL, 1, 8, 0); /* a failure needs no slot: written */
    event(EA_TRACE_FREE, P(4), NULL, 1, 0, 0);  /* the dropped block: unknown */
    event(EA_TRACE_FREE, P(1), NULL, 1, 0, 0);
    event(EA_TRACE_ALLOC, NULL, P(5), 1, 8, 0); /* room again */
    assert_string_equal(out, "a 0 8\n"
                             "a 1 8\n"
                             "a 2 8\n"
                             "# dropped: the recorder's id table is full, size 8\n"
                             "a 3 8\n"
                             "f 0\n"
                             "a 0 8\n");
    ea_recorder_finish(&rec);
    assert_non_null(strstr(out, " failed=1 unknown=1 dropped=1 "));
}

/* ---- randomized: the table against a reference map ---------------------------------- */

#define REF_BLOCKS 40 /* live at most; the table has 64 slots, so up to 3/4 full */

static uint64_t rng;

static uint64_t next_random(void)
{
    return splitmix64(&rng);
}

static void the_table_agrees_with_a_reference_map(void **state)
{
    (void)state;
    const uint64_t seed = 20261126;
    const unsigned ops = 200000;
    rng = seed;
    printf("recorder table: seed %llu, %u operations\n", (unsigned long long)seed, ops);

    const void *ptr[REF_BLOCKS] = {0};
    long id_of[REF_BLOCKS];
    bool id_live[64] = {false};
    size_t next_addr = 1;
    for (unsigned n = 0; n < ops; n++) {
        size_t k = (size_t)(next_random() % REF_BLOCKS);
        out_len = 0;
        if (ptr[k] == NULL) {
            /* Addresses from a small pool collide in the table; never two live at once. */
            const void *p = P(next_addr);
            next_addr = next_addr % 997 + 1;
            bool taken = false;
            for (size_t j = 0; j < REF_BLOCKS; j++) {
                taken = taken || ptr[j] == p;
            }
            if (taken) {
                continue;
            }
            event(EA_TRACE_ALLOC, NULL, p, 1, k + 1, 0);
            long id;
            size_t size;
            assert_int_equal(sscanf(out, "a %ld %zu\n", &id, &size), 2);
            assert_int_equal(size, k + 1);
            assert_true(id >= 0 && id < 64);
            assert_false(id_live[id]); /* never bound twice at once */
            id_live[id] = true;
            id_of[k] = id;
            ptr[k] = p;
        } else if (next_random() % 3 == 0) {
            const void *q = P(1000 + k); /* a move to an address only this block uses */
            if (q == ptr[k]) {
                q = P(2000 + k);
            }
            event(EA_TRACE_REALLOC, ptr[k], q, 1, 7, 0);
            long id;
            assert_int_equal(sscanf(out, "r %ld 7\n", &id), 1);
            assert_int_equal(id, id_of[k]);
            ptr[k] = q;
        } else {
            event(EA_TRACE_FREE, ptr[k], NULL, 1, 0, 0);
            long id;
            assert_int_equal(sscanf(out, "f %ld\n", &id), 1);
            assert_int_equal(id, id_of[k]);
            id_live[id] = false;
            ptr[k] = NULL;
        }
    }
    assert_int_equal(rec.unknown, 0);
    assert_int_equal(rec.dropped, 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup(each_event_becomes_its_line, setup),
    cmocka_unit_test_setup(a_moved_block_keeps_its_id_and_released_ids_are_reused, setup),
    cmocka_unit_test_setup(failures_are_kept_and_their_ids_stay_unbound, setup),
    cmocka_unit_test_setup(realloc_of_null_allocates_and_realloc_to_zero_frees, setup),
    cmocka_unit_test_setup(an_event_of_no_known_kind_is_ignored, setup),
    cmocka_unit_test_setup(the_closing_comment_holds_the_largest_counts, setup),
    cmocka_unit_test_setup(the_longest_lines_are_whole, setup),
    cmocka_unit_test_setup(blocks_from_before_the_recording_are_counted_not_written, setup),
    cmocka_unit_test_setup(bad_alignments_become_comments, setup),
    cmocka_unit_test_setup(regions_after_the_first_are_comments_and_add_up, setup),
    cmocka_unit_test_setup(an_arena_written_first_is_not_written_again, setup),
    cmocka_unit_test_setup(other_heaps_are_ignored, setup),
    cmocka_unit_test_setup(a_full_table_drops_allocations_and_says_so, setup),
    cmocka_unit_test_setup(the_table_agrees_with_a_reference_map, setup),
};

int main(void)
{
    return cmocka_run_group_tests_name("recorder", tests, NULL, NULL);
}
