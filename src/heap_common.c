/* Regions and counters shared by both back-ends: see heap_common.h. */
#include "heap_common.h"

#include "ealloc/critical_section.h"

bool ea_region_layout(void *start, size_t size, size_t tail_reserve, size_t min_block, size_t max_bytes,
                   region_t *out, region_t **where)
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
    size_t first_off = after_desc + (size_t)((EA_GRANULE - ((lo + after_desc + EA_HEADER) & (EA_GRANULE - 1))) &
                                             (EA_GRANULE - 1));
    if (first_off > avail || avail - first_off < tail_reserve ||
        avail - first_off - tail_reserve < min_block) {
        return false;
    }
    size_t blocks = (avail - first_off - tail_reserve) & ~(EA_GRANULE - 1);
    if (blocks > max_bytes) {
        blocks = max_bytes;
    }
    if (blocks < min_block) {
        return false;
    }
    out->next = NULL;
    out->first = lo + first_off;
    out->end = out->first + blocks;
    *where = (region_t *)(lo + desc_off);
    return true;
}

bool ea_region_overlaps(const region_t *list, uintptr_t lo, uintptr_t last, size_t tail_reserve)
{
    for (const region_t *r = list; r != NULL; r = r->next) {
        if (lo < r->end + tail_reserve && (uintptr_t)r <= last) {
            return true;
        }
    }
    return false;
}

void ea_region_insert(region_t **list, region_t *where, const region_t *layout)
{
    region_t **link = list;
    while (*link != NULL && (uintptr_t)*link < (uintptr_t)where) {
        link = &(*link)->next;
    }
    *where = *layout;
    where->next = *link;
    *link = where;
}

size_t ea_heap_used(const ea_heap_common_t *c)
{
    ea_cs_state_t cs = ea_cs_enter();
    size_t used = c->used;
    ea_cs_exit(cs);
    return used;
}

size_t ea_heap_free_bytes(const ea_heap_common_t *c)
{
    ea_cs_state_t cs = ea_cs_enter();
    size_t free_bytes = c->capacity - c->used;
    ea_cs_exit(cs);
    return free_bytes;
}

int ea_visit_blocks(const ea_heap_common_t *c, size_t flags, size_t min_block, bool end_marker, block_visit_fn fn,
                 void *ctx)
{
    uintptr_t floor = 0;
    for (const region_t *r = c->regions; r != NULL; r = r->next) {
        uintptr_t at = (uintptr_t)r;
        if (at < floor || (at & (_Alignof(region_t) - 1)) != 0 || r->first < at + sizeof(region_t) ||
            ((r->first + EA_HEADER) & (EA_GRANULE - 1)) != 0 || r->end < r->first ||
            ((r->end - r->first) & (EA_GRANULE - 1)) != 0) {
            return EA_EREGION;
        }
        for (at = r->first; at < r->end;) {
            if (!header_intact(c, (const void *)at)) {
                return EA_ECHECK;
            }
            size_t header = *(const size_t *)at;
            size_t size = header & ~flags;
            if (size < min_block || (size & (EA_GRANULE - 1)) != 0 || size > r->end - at) {
                return EA_EBLOCK;
            }
            int rc = fn(ctx, at, size, header);
            if (rc != 0) {
                return rc;
            }
            at += size;
        }
        if (end_marker) {
            if (!header_intact(c, (const void *)at)) {
                return EA_ECHECK;
            }
            int rc = fn(ctx, at, 0, *(const size_t *)at);
            if (rc != 0) {
                return rc;
            }
        }
        floor = r->end;
    }
    return 0;
}

bool ea_region_holds(const region_t *list, uintptr_t addr, size_t min_block)
{
    for (const region_t *r = list; r != NULL; r = r->next) {
        if (addr >= r->first && addr < r->end && r->end - addr >= min_block &&
            ((addr + EA_HEADER) & (EA_GRANULE - 1)) == 0) {
            return true;
        }
    }
    return false;
}

typedef struct {
    ea_walk_fn fn;
    void *ctx;
} walk_state_t;

static int walk_block(void *ctx, uintptr_t at, size_t size, size_t header)
{
    walk_state_t *st = ctx;
    if (size != 0) { /* not an end marker */
        st->fn(st->ctx, (void *)at, size, (header & EA_HEADER_USED) != 0);
    }
    return 0;
}

void ea_heap_walk(const ea_heap_common_t *c, size_t flags, size_t min_block, bool end_marker, ea_walk_fn fn,
               void *ctx)
{
    walk_state_t st = {fn, ctx};
    ea_cs_state_t cs = ea_cs_enter();
    (void)ea_visit_blocks(c, flags, min_block, end_marker, walk_block, &st);
    ea_cs_exit(cs);
}

static int count_block(void *ctx, uintptr_t at, size_t size, size_t header)
{
    ea_stats_t *out = ctx;
    (void)at;
    if (size == 0) {
        return 0; /* an end marker */
    }
    if ((header & EA_HEADER_USED) != 0) {
        out->used_blocks++;
    } else {
        out->free_blocks++;
        if (size - EA_HEADER - SHADOW_GUARD > out->largest_free) {
            out->largest_free = size - EA_HEADER - SHADOW_GUARD; /* the largest request it serves */
        }
    }
    return 0;
}

void ea_heap_stats(const ea_heap_common_t *c, size_t flags, size_t min_block, bool end_marker, ea_stats_t *out)
{
    ea_cs_state_t cs = ea_cs_enter();
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
    out->largest_free = 0;
    out->used_blocks = 0;
    out->free_blocks = 0;
    (void)ea_visit_blocks(c, flags, min_block, end_marker, count_block, out);
    ea_cs_exit(cs);
}

void ea_heap_start_checks(ea_heap_common_t *c, const void *region)
{
#if EA_HARDENED
    /* No entropy on bare metal: the addresses of the heap and its region make each heap's words its own. */
    size_t x = ((size_t)(uintptr_t)c ^ ((size_t)(uintptr_t)region << EA_COOKIE_REGION_SHIFT)) * EA_COOKIE_MULTIPLIER;
    c->cookie = x ^ (x >> EA_COOKIE_SHIFT);
#else
    (void)c;
    (void)region;
#endif
}

#if EA_HARDENED
/*
 * Whether b, inside a block whose header is before, is a block freed and
 * merged into that free block: with EA_POISON the merge poisoned b's header,
 * which then holds nothing but poison. (Unpoisoned, such a header stays intact
 * inside the free block and passes the check by itself.)
 */
static bool merged_when_freed(size_t before, uintptr_t b)
{
#if EA_POISON
    return (before & EA_HEADER_USED) == 0 && ea_poison_intact(b, b + EA_HEADER);
#else
    (void)before;
    (void)b;
    return false;
#endif
}

/*
 * The header at b failed its check: a real block overwritten, a block freed
 * twice whose header a merge poisoned, or no block at all?
 */
static ea_fault_t classify_broken(const ea_heap_common_t *c, const region_t *r, uintptr_t b, size_t flags,
                                  size_t min_block)
{
    size_t before = 0; /* the header of the block before at */
    uintptr_t at = r->first;
    while (at <= b) { /* b < r->end: every block's end is checked against it */
        if (at == b) {
            return EA_FAULT_CORRUPT;
        }
        before = *(const size_t *)at;
        size_t size = before & ~flags;
        if (!header_intact(c, (const void *)at) || size < min_block || size > r->end - at) {
            return EA_FAULT_CORRUPT; /* the region is damaged before b */
        }
        at += size;
    }
    /* b lies inside the block before at */
    return merged_when_freed(before, b) ? EA_FAULT_DOUBLE_FREE : EA_FAULT_FOREIGN_POINTER;
}
#endif

#if EA_HARDENED
ea_fault_t ea_heap_owned_fault(const ea_heap_common_t *c, const void *p, size_t flags, size_t min_block)
{
    uintptr_t b = (uintptr_t)p - EA_HEADER;
    if (((uintptr_t)p & (EA_GRANULE - 1)) != 0) {
        return EA_FAULT_FOREIGN_POINTER;
    }
    if (c->regions == NULL) {
        return EA_FAULT_NOT_INIT;
    }
    const region_t *r = c->regions;
    while (r != NULL && !(b >= r->first && b < r->end)) {
        r = r->next;
    }
    if (r == NULL) {
        return EA_FAULT_FOREIGN_POINTER;
    }
    size_t size = *(const size_t *)b & ~flags;
    if (!header_intact(c, (const void *)b) || size < min_block || size > r->end - b) {
        return classify_broken(c, r, b, flags, min_block);
    }
    return (*(const size_t *)b & EA_HEADER_USED) != 0 ? EA_NO_FAULT : EA_FAULT_DOUBLE_FREE;
}
#endif

#if EA_POISON
bool ea_poison_intact(uintptr_t from, uintptr_t to)
{
    for (const unsigned char *b = (const unsigned char *)from; (uintptr_t)b < to; b++) {
        if (*b != EA_POISON_BYTE) {
            return false;
        }
    }
    return true;
}
#endif

size_t ea_heap_usable_size(ea_heap_common_t *c, const void *p, size_t flags, size_t min_block, const char *detail)
{
    if (p == NULL) {
        return 0;
    }
    ea_cs_state_t cs = ea_cs_enter();
    ea_fault_t fault = ea_heap_owned_fault(c, p, flags, min_block);
    size_t usable = fault == EA_NO_FAULT
                        ? (*(const size_t *)((uintptr_t)p - EA_HEADER) & ~flags) - EA_HEADER - SHADOW_GUARD
                        : 0;
    if (fault == EA_NO_FAULT) {
        SHADOW_USABLE(c, p, usable); /* the caller may use all of it (c: the heap, its first member) */
    }
    ea_cs_exit(cs);
    if (fault != EA_NO_FAULT) {
        ea_heap_panic(c, fault, detail);
    }
    return usable;
}

#if EA_TRACE
void ea_heap_panic(ea_heap_common_t *c, ea_fault_t fault, const char *detail)
{
    for (struct ea_trace_frame *f = c->trace_top; f != NULL; f = f->outer) {
        ea_cs_exit(f->cs);
    }
    c->trace_top = NULL;
    ea_panic(fault, detail);
}
#endif
