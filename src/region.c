/* Regions and counters shared by both back-ends: see heap_common.h. */
#include "heap_common.h"

bool region_layout(void *start, size_t size, size_t tail_reserve, size_t min_block, region_t *out,
                   region_t **where)
{
    uintptr_t lo = (uintptr_t)start;
    if (start == NULL || size == 0 || size - 1 > UINTPTR_MAX - lo) {
        return false;
    }
    /* A region ending exactly at the top of the address space loses its last
     * byte, so that "one past the end" stays representable. */
    size_t avail = lo + (size - 1) == UINTPTR_MAX ? size - 1 : size;

    /* Offsets from lo, computed modulo 2^N: the alignments divide 2^N. */
    size_t desc_off = (size_t)((_Alignof(region_t) - (lo & (_Alignof(region_t) - 1))) & (_Alignof(region_t) - 1));
    size_t after_desc = desc_off + sizeof(region_t);
    size_t first_off = after_desc + (size_t)((EA_GRANULE - ((lo + after_desc + EA_WORD) & (EA_GRANULE - 1))) &
                                             (EA_GRANULE - 1));
    if (first_off > avail || avail - first_off < tail_reserve ||
        avail - first_off - tail_reserve < min_block) {
        return false;
    }
    size_t blocks = (avail - first_off - tail_reserve) & ~(EA_GRANULE - 1);
    if (blocks < min_block) {
        return false;
    }
    out->next = NULL;
    out->first = lo + first_off;
    out->end = out->first + blocks;
    *where = (region_t *)(lo + desc_off);
    return true;
}

bool region_overlaps(const region_t *list, uintptr_t lo, uintptr_t last, size_t tail_reserve)
{
    for (const region_t *r = list; r != NULL; r = r->next) {
        if (lo < r->end + tail_reserve && (uintptr_t)r <= last) {
            return true;
        }
    }
    return false;
}

void region_insert(region_t **list, region_t *where, const region_t *layout)
{
    region_t **link = list;
    while (*link != NULL && (uintptr_t)*link < (uintptr_t)where) {
        link = &(*link)->next;
    }
    *where = *layout;
    where->next = *link;
    *link = where;
}

void stats_from_counters(const ea_heap_common_t *c, ea_stats_t *out)
{
    out->capacity = c->capacity;
    out->used = c->used;
    out->free = c->capacity - c->used;
#if EA_STATS
    out->peak_used = c->peak_used;
    out->alloc_count = c->alloc_count;
    out->free_count = c->free_count;
    out->failed_count = c->failed_count;
#else
    out->peak_used = 0;
    out->alloc_count = 0;
    out->free_count = 0;
    out->failed_count = 0;
#endif
}
