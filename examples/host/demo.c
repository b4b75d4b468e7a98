/*
 * ealloc host demo: one small heap at work, printed step by step — what each
 * call returns, what used() and free_bytes() say, the statistics, check(),
 * and a map of the heap drawn from walk().
 */
#include <stdio.h>
#include <string.h>

#include <ealloc/llff.h>

#define HEAP_SIZE 2048
#define MAP_WIDTH 64

static ea_llff_t heap = EA_LLFF_EMPTY;

typedef struct {
    char map[MAP_WIDTH + 1];
    uintptr_t base;
    size_t capacity;
} map_t;

/* Paint each block's share of the map: '#' used, '.' free. */
static void paint(void *ctx, void *addr, size_t size, bool used)
{
    map_t *m = ctx;
    if (m->base == 0) {
        m->base = (uintptr_t)addr; /* walk goes in address order: the first block starts the map */
    }
    size_t from = ((uintptr_t)addr - m->base) * MAP_WIDTH / m->capacity;
    size_t to = ((uintptr_t)addr + size - m->base) * MAP_WIDTH / m->capacity;
    for (size_t i = from; i < to && i < MAP_WIDTH; i++) {
        m->map[i] = used ? '#' : '.';
    }
}

static void show(const char *what)
{
    map_t m;
    memset(m.map, ' ', MAP_WIDTH);
    m.map[MAP_WIDTH] = '\0';
    m.base = 0;
    m.capacity = ea_llff_used(&heap) + ea_llff_free_bytes(&heap);
    ea_llff_walk(&heap, paint, &m);
    printf("  %-34s used %5zu  free %5zu  [%s]\n", what, ea_llff_used(&heap), ea_llff_free_bytes(&heap), m.map);
}

int main(void)
{
    static _Alignas(max_align_t) unsigned char region[HEAP_SIZE];
    printf("ealloc demo: a linked-list first-fit heap over a %d-byte static buffer\n\n", HEAP_SIZE);

    ea_llff_init(&heap, region, sizeof region);
    ea_stats_t st;
    ea_llff_stats(&heap, &st);
    printf("init: capacity %zu bytes (%zu go to the region descriptor and alignment)\n", st.capacity,
           sizeof region - st.capacity);
    printf("map: one character per %zu bytes, '#' allocated, '.' free\n\n", st.capacity / MAP_WIDTH);

    show("after init");
    char *name = ea_llff_alloc(&heap, 32);
    strcpy(name, "sensor-7");
    show("alloc(32) for a name");
    int *samples = ea_llff_calloc(&heap, 100, sizeof(int));
    show("calloc(100, 4) for samples");
    void *dma = ea_llff_alloc_aligned(&heap, 256, 200);
    show("alloc_aligned(256, 200) for DMA");
    printf("    DMA buffer at %p: address %% 256 = %u\n", dma, (unsigned)((uintptr_t)dma % 256));
    char *log = ea_llff_alloc(&heap, 300);
    show("alloc(300) for a log line");
    ea_llff_free(&heap, samples);
    show("free(samples): a hole");
    name = ea_llff_realloc(&heap, name, 120);
    show("realloc(name, 120): grows in place");
    printf("    name still reads \"%s\", usable size %zu\n", name, ea_llff_usable_size(&heap, name));
    void *too_big = ea_llff_alloc(&heap, 4000);
    printf("  alloc(4000) -> %s (the heap holds only %zu)\n", too_big == NULL ? "NULL" : "a block?!", st.capacity);

    ea_llff_stats(&heap, &st);
    printf("\nstats: capacity %zu, used %zu, free %zu, peak %zu, largest request that fits now %zu\n", st.capacity,
           st.used, st.free, st.peak_used, st.largest_free);
    printf("       %zu used blocks, %zu free blocks; %zu allocs, %zu frees, %zu failed\n", st.used_blocks,
           st.free_blocks, st.alloc_count, st.free_count, st.failed_count);
    printf("check: %d (0 means every invariant holds)\n\n", ea_llff_check(&heap));

    ea_llff_free(&heap, name);
    ea_llff_free(&heap, dma);
    ea_llff_free(&heap, log);
    show("everything freed: one block again");
    printf("\nused %zu, check %d\n", ea_llff_used(&heap), ea_llff_check(&heap));
    return ea_llff_check(&heap) == 0 && ea_llff_used(&heap) == 0 ? 0 : 1;
}
