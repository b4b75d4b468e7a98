/*
 * EA_TLSF_BITBAND on a Cortex-M3/M4 board with the SRAM bit-band region: the
 * heap writes its class bits through the alias at 0x22000000, so what must
 * hold is that the words read back are the ones the lists need, and that init
 * refuses a heap object whose class bits lie outside the bit-band SRAM
 * (0x20000000 .. 0x200fffff) before it writes anything — below the region,
 * above it, across its end — while it takes the last place inside.
 * The behaviour suite and the model test run over the same build besides
 * (targets/CMakeLists.txt).
 */
#include <string.h>

#include "fw.h"
#include "test_support.h"
#include "tlsf_internal.h"

_Static_assert(EA_TLSF_BITBAND == 1, "built with EA_TLSF_BITBAND=1");

#define REGION_START ((uintptr_t)0x20000000u)
#define REGION_END ((uintptr_t)0x20100000u)

extern unsigned char __fw_blockram_start[];

static const ea_tlsf_t empty_heap = EA_TLSF_EMPTY;

/* Where a heap object goes so that its class bits start at map_at. */
static ea_tlsf_t *heap_with_bits_at(uintptr_t map_at)
{
    return (ea_tlsf_t *)(map_at - offsetof(ea_tlsf_t, class_map));
}

/* The class bits set; with a summary word, that word must name exactly the words that are not zero. */
static unsigned set_bits(const ea_tlsf_t *h)
{
    unsigned n = 0;
    size_t words = 0;
    for (size_t w = 0; w < EA_TLSF_MAP_WORDS; w++) {
        for (size_t x = h->class_map[w]; x != 0; x &= x - 1) {
            n++;
        }
        words |= h->class_map[w] != 0 ? (size_t)1 << w : 0;
    }
    if (EA_TLSF_SUMMARY) {
        assert_uint_equal(summary_bits(h), words);
    }
    return n;
}

static void note_free_block(void *ctx, void *addr, size_t size, bool used)
{
    (void)addr;
    if (!used) {
        *(size_t *)ctx = size;
    }
}

/* A heap at h over the suite's arena: one free block, so exactly its class's bit is set. */
static void init_and_use(ea_tlsf_t *h)
{
    *h = empty_heap;
    ea_tlsf_init(h, arena, arena_size);
    assert_int_equal(ea_tlsf_check(h), EA_OK);
    size_t free_block = 0;
    ea_tlsf_walk(h, note_free_block, &free_block);
    assert_int_not_equal(free_block, 0);
    unsigned cls = class_of(free_block);
    assert_int_equal(set_bits(h), 1);
    assert_true((h->class_map[map_word(cls)] & map_bit(cls)) != 0);

    /* A churn that empties and fills lists, with the bits checked against the lists after each step. */
    void *p[48] = {0};
    uint32_t x = 20261127u;
    for (unsigned i = 0; i < 2000; i++) {
        x = x * 1664525u + 1013904223u;
        unsigned k = (x >> 8) % 48u;
        if (p[k] != NULL) {
            ea_tlsf_free(h, p[k]);
            p[k] = NULL;
        } else {
            p[k] = ea_tlsf_alloc(h, (x >> 16) % 700u);
            assert_non_null(p[k]);
        }
        assert_int_equal(ea_tlsf_check(h), EA_OK);
    }
    for (unsigned k = 0; k < 48; k++) {
        ea_tlsf_free(h, p[k]);
    }
    assert_int_equal(ea_tlsf_check(h), EA_OK);
    assert_int_equal(set_bits(h), 1);
}

/* init at h must refuse, leaving h and the arena as they were. */
static void refused_at(ea_tlsf_t *h)
{
    *h = empty_heap;
    memset(arena, 0x5a, arena_size);
    EXPECT_PANIC(EA_FAULT_BAD_REGION, ea_tlsf_init(h, arena, arena_size));
    assert_non_null(last_detail);
    assert_non_null(strstr(last_detail, "bit-band"));
    assert_memory_equal(h, &empty_heap, sizeof *h);
    for (size_t i = 0; i < arena_size; i++) {
        assert_int_equal(arena[i], 0x5a);
    }
}

/* A place in the image's free RAM, so that nothing else lives in [at, at + bytes). */
static void assert_free_ram(uintptr_t at, size_t bytes)
{
    assert_true(at >= (uintptr_t)fw_free_ram_start && at + bytes <= (uintptr_t)fw_free_ram_end);
}

static ea_tlsf_t static_heap = EA_TLSF_EMPTY;

static void a_heap_in_bss_keeps_its_bits_through_the_alias(void **state)
{
    (void)state;
    assert_true(tlsf_bitband_reachable(&static_heap));
    init_and_use(&static_heap);
}

static void the_last_place_in_the_region_is_taken(void **state)
{
    (void)state;
    ea_tlsf_t *h = heap_with_bits_at(REGION_END - sizeof static_heap.class_map);
    assert_free_ram((uintptr_t)h, sizeof *h);
    init_and_use(h);
}

static void a_heap_across_the_end_of_the_region_is_refused(void **state)
{
    (void)state;
    ea_tlsf_t *h = heap_with_bits_at(REGION_END - sizeof static_heap.class_map + sizeof(size_t));
    assert_free_ram((uintptr_t)h, sizeof *h);
    refused_at(h);
}

static void a_heap_above_the_region_is_refused(void **state)
{
    (void)state;
    /* The PSRAM bank at 0x21000000, which the image leaves alone. */
    ea_tlsf_t *h = (ea_tlsf_t *)fw_ram2_start;
    assert_true((uintptr_t)h >= REGION_END);
    refused_at(h);
}

static void a_heap_below_the_region_is_refused(void **state)
{
    (void)state;
    /* The FPGA block RAM at 0x01000000, which the image leaves alone (regions.ld). */
    ea_tlsf_t *h = (ea_tlsf_t *)(void *)__fw_blockram_start;
    assert_true((uintptr_t)h < REGION_START);
    refused_at(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(a_heap_in_bss_keeps_its_bits_through_the_alias),
        cmocka_unit_test(the_last_place_in_the_region_is_taken),
        cmocka_unit_test(a_heap_across_the_end_of_the_region_is_refused),
        cmocka_unit_test(a_heap_above_the_region_is_refused),
        cmocka_unit_test(a_heap_below_the_region_is_refused),
    };
    return cmocka_run_group_tests_name("tlsf_bitband", tests, NULL, NULL);
}
