/*
 * Example: one heap spanning two RAM banks.
 *
 * The mps2 boards have 4 MiB of fast ZBT SSRAM, where the image keeps .data,
 * .bss and the stack, and 16 MiB of PSRAM that the image does not touch. One
 * TLSF heap gets a piece of each: ea_tlsf_init with the first region,
 * ea_tlsf_add_region with the second. The program then allocates from one
 * heap and never needs to know which bank a block came from; blocks never
 * straddle the two banks (regions are never merged, even when they touch).
 *
 * Output: the two regions, where a series of allocations landed (the SSRAM
 * region serves first; when it is full the PSRAM one takes over), a request
 * larger than the whole SSRAM region, and a per-bank summary from
 * ea_tlsf_walk. The run fails (status 1) if a bank is never used or the heap
 * does not check clean.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <ealloc/tlsf.h>

#include "fw.h"

#define SSRAM_PART (32u * 1024u)  /* of the free main RAM, after the image */
#define PSRAM_PART (256u * 1024u) /* of the PSRAM */
#define BLOCK 1024u
#define MAX_BLOCKS 512u

static ea_tlsf_t heap = EA_TLSF_EMPTY;

typedef struct {
    const char *name;
    unsigned char *start;
    size_t size;
    size_t used_bytes, free_bytes;
    unsigned used_blocks, free_blocks;
} bank_t;

static bank_t banks[2];

static bank_t *bank_of(const void *p)
{
    for (unsigned i = 0; i < 2; i++) {
        if ((const unsigned char *)p >= banks[i].start && (const unsigned char *)p < banks[i].start + banks[i].size) {
            return &banks[i];
        }
    }
    return NULL;
}

/* ea_tlsf_walk calls this for every block, in address order. */
static void tally(void *ctx, void *addr, size_t size, bool used)
{
    unsigned *strays = ctx;
    bank_t *b = bank_of(addr);
    if (b == NULL) {
        (*strays)++;
        return;
    }
    if (used) {
        b->used_bytes += size;
        b->used_blocks++;
    } else {
        b->free_bytes += size;
        b->free_blocks++;
    }
}

static unsigned summary(const char *when)
{
    unsigned strays = 0;
    for (unsigned i = 0; i < 2; i++) {
        banks[i].used_bytes = banks[i].free_bytes = 0;
        banks[i].used_blocks = banks[i].free_blocks = 0;
    }
    ea_tlsf_walk(&heap, tally, &strays);
    fw_printf("  %s:\n", when);
    for (unsigned i = 0; i < 2; i++) {
        fw_printf("    %-6s %7zu bytes used in %3u blocks, %7zu bytes free in %u blocks\n", banks[i].name,
                  banks[i].used_bytes, banks[i].used_blocks, banks[i].free_bytes, banks[i].free_blocks);
    }
    return strays;
}

static int failures;

static void require(bool ok, const char *what)
{
    if (!ok) {
        fw_printf("FAILED: %s\n", what);
        failures++;
    }
}

int main(void)
{
    banks[0] = (bank_t){"SSRAM", fw_free_ram_start, SSRAM_PART, 0, 0, 0, 0};
    banks[1] = (bank_t){"PSRAM", fw_ram2_start, PSRAM_PART, 0, 0, 0, 0};
    fw_printf("two_banks on %s: one TLSF heap over two RAM banks\n", FW_BOARD);
    fw_printf("  region 1: %6u bytes of SSRAM at %p (ea_tlsf_init)\n", SSRAM_PART, (void *)banks[0].start);
    fw_printf("  region 2: %6u bytes of PSRAM at %p (ea_tlsf_add_region)\n", PSRAM_PART, (void *)banks[1].start);
    require((size_t)((unsigned char *)fw_free_ram_end - banks[0].start) >= SSRAM_PART, "the free SSRAM is large enough");

    ea_tlsf_init(&heap, banks[0].start, banks[0].size);
    require(ea_tlsf_add_region(&heap, banks[1].start, banks[1].size), "add_region accepts the PSRAM");
    ea_stats_t st;
    ea_tlsf_stats(&heap, &st);
    fw_printf("  heap: capacity %zu bytes in %zu free blocks\n", st.capacity, st.free_blocks);

    /* 1 KiB blocks until the heap is full: first the SSRAM fills, then the PSRAM. */
    static unsigned char *blocks[MAX_BLOCKS];
    unsigned n = 0, in_ssram = 0, in_psram = 0, switched_at = 0;
    const bank_t *previous = NULL;
    while (n < MAX_BLOCKS && (blocks[n] = ea_tlsf_alloc(&heap, BLOCK)) != NULL) {
        const bank_t *b = bank_of(blocks[n]);
        require(b != NULL, "every block lies in one of the two regions");
        if (b == NULL) {
            break;
        }
        require(b == bank_of(blocks[n] + BLOCK - 1), "no block straddles two banks");
        memset(blocks[n], 0x5A, BLOCK);
        if (previous != NULL && b != previous && switched_at == 0) {
            switched_at = n;
        }
        previous = b;
        in_ssram += b == &banks[0];
        in_psram += b == &banks[1];
        n++;
    }
    fw_printf("  %u blocks of %u bytes: %u in SSRAM, %u in PSRAM (block %u was the first from %s)\n", n, BLOCK,
              in_ssram, in_psram, switched_at, switched_at != 0 ? bank_of(blocks[switched_at])->name : "-");
    fw_printf("    block 0 at %p, block %u at %p\n", (void *)blocks[0], switched_at, (void *)blocks[switched_at]);
    require(in_ssram > 0 && in_psram > 0, "allocations landed in both banks");
    require(summary("full of 1 KiB blocks") == 0, "walk sees only the two regions");
    require(ea_tlsf_check(&heap) == 0, "check() == 0");

    /* Free them all: each region is one free block again. */
    for (unsigned i = 0; i < n; i++) {
        ea_tlsf_free(&heap, blocks[i]);
    }
    ea_tlsf_stats(&heap, &st);
    require(st.used == 0 && st.free_blocks == 2, "all freed: one free block per region");

    /* A request larger than the whole SSRAM region: only the PSRAM can serve it. */
    size_t big_size = SSRAM_PART + SSRAM_PART / 2;
    unsigned char *big = ea_tlsf_alloc(&heap, big_size);
    unsigned char *small = ea_tlsf_alloc(&heap, 100);
    require(big != NULL && bank_of(big) == &banks[1], "a block larger than region 1 comes from region 2");
    require(small != NULL, "a small block still fits");
    if (big != NULL && small != NULL) {
        fw_printf("  %zu bytes (more than all of region 1) at %p: %s; then 100 bytes at %p: %s\n", big_size,
                  (void *)big, bank_of(big)->name, (void *)small, bank_of(small)->name);
    }
    require(summary("one large and one small block") == 0, "walk sees only the two regions");
    ea_tlsf_free(&heap, big);
    ea_tlsf_free(&heap, small);
    require(ea_tlsf_check(&heap) == 0 && ea_tlsf_used(&heap) == 0, "check() == 0 and nothing used at the end");
    fw_printf("%s\n", failures == 0 ? "two_banks: ok" : "two_banks: FAILED");
    return failures != 0;
}
