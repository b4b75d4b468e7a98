/*
 * ealloc llff: linked-list first fit with immediate coalescing.
 *
 * One list of free blocks, kept in address order. alloc takes the first block
 * that fits, from its front (after any alignment padding, which stays free),
 * and leaves the tail free when it can stand as a block of its own. free walks
 * the list to the block's place and merges it with the free blocks on either
 * side that touch it, so no two free blocks are ever neighbours. The same
 * walk finds a block that is freed twice: its address already lies inside a
 * free block.
 *
 * Cost: alloc, free and realloc are O(f) in the number of free blocks; usable
 * size, used and free_bytes are O(1). The public calls take the critical
 * section around a core that never locks; misuse is found before anything
 * changes, and ea_panic is called only after the section is left.
 * Layout and invariants: llff_internal.h and docs/llff.md.
 */
#include <string.h>

#include "ealloc/critical_section.h"
#include "llff_internal.h"

#define NO_FAULT EA_NO_FAULT

/* One short string for every panic: the fault code says what went wrong; flash is scarce. */
#define PANIC_DETAIL "ealloc llff"

/* *link, where link is the list's head or the link of a free block, which a checker keeps closed. */
EA_ALWAYS_INLINE static inline block_t *linked(const ea_llff_t *h, block_t *const *link)
{
#if EA_SHADOW
    if (link != &h->free_list) {
        return next_of(block_of_link(link));
    }
#else
    (void)h;
#endif
    return *link;
}

/* *link = b, where link is as for linked. */
EA_ALWAYS_INLINE static inline void set_linked(ea_llff_t *h, block_t **link, block_t *b)
{
#if EA_SHADOW
    if (link != &h->free_list) {
        set_next(block_of_link(link), b);
        return;
    }
#else
    (void)h;
#endif
    *link = b;
}

/*
 * Take want bytes at offset pad out of the free block b, which *link names
 * (link is written only when pad is 0: b then leaves the list). The padding in
 * front stays a free block (it is a multiple of the granule, so at least one
 * granule whenever it is not 0); a tail of at least a granule becomes a free
 * block too. Returns the bytes taken: want, or want plus a tail too small to
 * stand alone. EA_ASAN, EA_VALGRIND: b is open; the inside of each free piece
 * closes.
 */
static size_t carve(ea_llff_t *h, block_t **link, block_t *b, size_t pad, size_t want)
{
    size_t tail = b->size - pad - want;
    block_t *after = b->next;
    if (tail >= LLFF_MIN_BLOCK) {
        block_t *rest = block_at((uintptr_t)b + pad + want);
        write_header(&h->common, rest, tail);
        rest->next = after;
        after = rest;
        SHADOW_CLOSE((uintptr_t)rest + EA_HEADER, (uintptr_t)rest + tail);
    } else {
        want += tail;
    }
    if (pad != 0) {
        write_header(&h->common, b, pad);
        b->next = after;
        SHADOW_CLOSE((uintptr_t)b + EA_HEADER, (uintptr_t)b + pad);
    } else {
        set_linked(h, link, after);
    }
    return want;
}

/* EA_ASAN, EA_VALGRIND: the block at p (NULL: none) handed out for size bytes. */
#define HAND_OUT(h, p, size) SHADOW_HAND_OUT(h, p, size, block_bytes(block_of(p)) - EA_HEADER)

/* Hardened builds: a free-list node must lie in a region and keep its check word. */
static bool node_sound(const ea_llff_t *h, const block_t *b)
{
#if EA_HARDENED
    return ea_region_holds(h->common.regions, (uintptr_t)b, LLFF_MIN_BLOCK) && header_intact(&h->common, b);
#else
    (void)h;
    (void)b;
    return true;
#endif
}

/* The padding that puts the payload of a free block at address at on align: 0, or a whole block. */
static size_t pad_for(uintptr_t at, size_t align)
{
    size_t pad = (size_t)(0 - (at + EA_HEADER)) & (align - 1);
    return pad != 0 && pad < LLFF_MIN_BLOCK ? pad + align : pad;
}

/*
 * The link to the first free block with need bytes whose payload, after its
 * padding (*pad), is a multiple of align (a power of two >= the granule).
 * NULL when none fits, or, with *fault set, when a node on the way is damaged
 * (hardened builds).
 */
static block_t **first_fit(ea_llff_t *h, size_t need, size_t align, size_t *pad, ea_fault_t *fault)
{
    block_t **link = &h->free_list;
    block_t *f;
    while ((f = linked(h, link)) != NULL) {
        if (!node_sound(h, f)) {
            *fault = EA_FAULT_CORRUPT;
            return NULL;
        }
        /* Most blocks a walk passes are too small: that test comes first, and the padding
         * (none for a plain request: every payload is on the granule) only for blocks past it. */
        if (f->size >= need) {
            *pad = align <= EA_GRANULE ? 0 : pad_for((uintptr_t)f, align);
            if (*pad <= f->size - need) {
                return link;
            }
        }
        link = &f->next;
    }
    return NULL;
}

/*
 * First fit for a block of size bytes whose payload is a multiple of align (a
 * power of two >= the granule). NULL when none fits; *fault is set when the
 * heap is unusable (hardened builds: not initialised, or a damaged free list).
 */
static void *alloc_core(ea_llff_t *h, size_t align, size_t size, ea_fault_t *fault)
{
    size_t need = block_size_for(size, LLFF_MIN_BLOCK);
    size_t pad = 0;
    block_t **link = NULL;
    if (EA_HARDENED && h->common.regions == NULL) {
        *fault = EA_FAULT_NOT_INIT;
        return NULL;
    }
    if (need != 0) {
        link = first_fit(h, need, align, &pad, fault);
    }
    if (link == NULL) {
        note_failed(&h->common);
        return NULL;
    }
    block_t *f = linked(h, link);
    uintptr_t at = (uintptr_t)f;
    /* Poisoned builds: the bytes about to be handed out must still be poison. */
    uintptr_t from = at + pad + EA_HEADER;
    uintptr_t to = at + pad + need;
    if (!ea_poison_intact(from > at + LLFF_FREE_META ? from : at + LLFF_FREE_META, to)) {
        *fault = EA_FAULT_CORRUPT;
        return NULL;
    }
    block_t *b = block_at(at + pad);
    SHADOW_OPEN(at, at + f->size); /* carved anywhere; its free pieces close again */
    size_t got = carve(h, link, f, pad, need);
    write_header(&h->common, b, got | LLFF_USED);
    note_alloc(&h->common, got);
    return payload_of(b);
}

/*
 * Put the free block [b, b + size) in its place in the list, merging it with
 * the free blocks that touch it. Returns the free block that now holds b, and
 * in *at_b (unless at_b is NULL) the link that names it when it starts at b,
 * NULL when b merged into the block before it. Returns NULL, with nothing
 * changed, when b overlaps a block that is already free (*fault: a double
 * free) or, in hardened builds, when a list node on the way is damaged
 * (*fault: corrupt).
 */
static block_t *insert_free(ea_llff_t *h, block_t *b, size_t size, block_t ***at_b, ea_fault_t *fault)
{
    uintptr_t at = (uintptr_t)b;
    block_t *prev = NULL;
    block_t *next = h->free_list;
    while (next != NULL) {
        if (!node_sound(h, next)) {
            *fault = EA_FAULT_CORRUPT;
            return NULL;
        }
        if ((uintptr_t)next >= at + size) {
            break;
        }
        prev = next;
        next = next_of(next);
    }
    /* The list is in address order and its blocks do not overlap, so of the free blocks that
     * start below b's end only the last can overlap b: b, or part of it, is free already. */
    if (prev != NULL && (uintptr_t)prev + prev->size > at) {
        *fault = EA_FAULT_DOUBLE_FREE;
        return NULL;
    }
    write_header(&h->common, b, size); /* also clears USED on a block about to vanish into prev */
    if (next != NULL && at + size == (uintptr_t)next) {
        size += next->size;
        next = next_of(next);
    }
    if (prev != NULL && (uintptr_t)prev + prev->size == at) {
        write_header(&h->common, prev, prev->size + size);
        set_next(prev, next);
        if (at_b != NULL) {
            *at_b = NULL;
        } else { /* a resize (at_b) takes the run again at once: its data stays as it is */
            SHADOW_CLOSE((uintptr_t)prev + EA_HEADER, (uintptr_t)prev + prev->size);
        }
        return prev;
    }
    block_t **link = prev != NULL ? &prev->next : &h->free_list;
    write_header(&h->common, b, size);
    b->next = next;
    set_linked(h, link, b);
    if (at_b != NULL) {
        *at_b = link;
    } else {
        SHADOW_CLOSE(at + EA_HEADER, at + size);
    }
    return b;
}

/* The checks on a pointer handed back by the caller (heap_common.h). */
static ea_fault_t check_owned(const ea_llff_t *h, const void *p)
{
    return ea_heap_owned_fault(&h->common, p, LLFF_USED, LLFF_MIN_BLOCK);
}

static ea_fault_t free_core(ea_llff_t *h, void *p)
{
    ea_fault_t fault = check_owned(h, p);
    if (fault == NO_FAULT) {
        block_t *b = block_of(p);
        size_t size = block_bytes(b);
        SHADOW_OPEN(b, (uintptr_t)b + LLFF_FREE_META); /* its link may fall in its rounding */
        block_t *merged = insert_free(h, b, size, NULL, &fault);
        if (merged != NULL) {
            SHADOW_FREED(h, p); /* not before: a free refused (double, damaged list) leaves the block as it was */
            note_free(&h->common, size);
            if (EA_POISON) {
                /* All but the merged block's own header and link becomes poison: the freed block
                 * (its header too when it merged into the block before), the header and link of
                 * a block after it that it absorbed. */
                uintptr_t at = (uintptr_t)b;
                uintptr_t merged_end = (uintptr_t)merged + merged->size;
                poison_fill(merged == b ? at + LLFF_FREE_META : at, at + size);
                if (merged_end > at + size) {
                    poison_fill(at + size, at + size + LLFF_FREE_META);
                }
            }
        }
    }
    return fault;
}

/*
 * Resize the allocated block b to hold size bytes without moving it. The
 * block is released into the list, where it merges with free neighbours, and
 * taken again at the same address: as much as asked when the merged block
 * has the room after b (a shrink leaves its tail free, a grow eats into the
 * free block after it), else exactly what it had. The link that release
 * writes over the first payload word is put back. *fits says whether it was
 * resized; the result is a fault when the free list is damaged (hardened).
 */
static ea_fault_t resize_in_place(ea_llff_t *h, block_t *b, size_t size, bool *fits)
{
    size_t need = block_size_for(size, LLFF_MIN_BLOCK);
    size_t have = block_bytes(b);
    block_t *saved_next = b->next;
    ea_fault_t fault = NO_FAULT;
    block_t **link;
    block_t *f = insert_free(h, b, have, &link, &fault);
    if (f == NULL) {
        return fault;
    }
    /* Carved again; its free pieces close again. */
    SHADOW_OPEN(f, b);
    SHADOW_OPEN_LIVE(b, (uintptr_t)b + have);
    SHADOW_OPEN((uintptr_t)b + have, (uintptr_t)f + f->size);
    size_t pad = (size_t)((uintptr_t)b - (uintptr_t)f); /* not 0 exactly when link is NULL */
    *fits = need != 0 && f->size - pad >= need;
    /* Without a link (b merged into the block before it) carve keeps that block in front and
     * writes no link; f's own link field stands in for the one it is not given. */
    size_t got = carve(h, link != NULL ? link : &f->next, f, pad, *fits ? need : have);
    write_header(&h->common, b, got | LLFF_USED);
    b->next = saved_next;
    if (EA_POISON) {
        /* A tail given back holds old data: it becomes poison. Find it in the list after b. */
        block_t *after = link != NULL ? *link : f; /* carve has unlinked b, or left f in front of it */
        while (after != NULL && (uintptr_t)after < (uintptr_t)b) {
            after = after->next;
        }
        if (after != NULL && (uintptr_t)after == (uintptr_t)b + got) {
            poison_fill((uintptr_t)after + LLFF_FREE_META, (uintptr_t)after + after->size);
        }
    }
    h->common.used -= have;
    note_used(&h->common, got);
    return NO_FAULT;
}

static ea_fault_t add_region_core(ea_llff_t *h, void *start, size_t size)
{
    region_t layout;
    region_t *where;
    if (!ea_region_layout(start, size, 0, LLFF_MIN_BLOCK, SIZE_MAX, &layout, &where) ||
        ea_region_overlaps(h->common.regions, (uintptr_t)start, (uintptr_t)start + (size - 1), 0)) {
        return EA_FAULT_BAD_REGION;
    }
    SHADOW_OPEN(start, (uintptr_t)start + size); /* a checker: whatever an earlier heap over this memory closed */
    ea_region_insert(&h->common.regions, where, &layout);
    h->common.capacity += layout.end - layout.first;
    poison_fill(layout.first + LLFF_FREE_META, layout.end);
    ea_fault_t ignored = NO_FAULT; /* a new block overlaps nothing */
    (void)insert_free(h, block_at(layout.first), layout.end - layout.first, NULL, &ignored);
    return NO_FAULT;
}

void EA_UNTRACED(ea_llff_init)(ea_llff_t *h, void *start, size_t size)
{
    ea_cs_state_t cs = ea_cs_enter();
    ea_fault_t fault = EA_FAULT_DOUBLE_INIT;
    if (h->common.regions == NULL) {
        ea_heap_start_checks(&h->common, start);
        SHADOW_HEAP_START(h);
        fault = add_region_core(h, start, size);
    }
    ea_cs_exit(cs);
    if (fault != NO_FAULT) {
        ea_heap_panic(&h->common, fault, PANIC_DETAIL);
    }
}

bool EA_UNTRACED(ea_llff_add_region)(ea_llff_t *h, void *start, size_t size)
{
    ea_cs_state_t cs = ea_cs_enter();
    bool initialised = h->common.regions != NULL;
    bool added = initialised && add_region_core(h, start, size) == NO_FAULT;
    ea_cs_exit(cs);
    if (!initialised) {
        ea_heap_panic(&h->common, EA_FAULT_NOT_INIT, PANIC_DETAIL);
    }
    return added;
}

void *EA_UNTRACED(ea_llff_alloc_aligned)(ea_llff_t *h, size_t align, size_t size)
{
    if (!is_pow2(align)) {
        return NULL;
    }
    ea_fault_t fault = NO_FAULT;
    ea_cs_state_t cs = ea_cs_enter();
    void *p = alloc_core(h, align < EA_GRANULE ? EA_GRANULE : align, size, &fault);
    HAND_OUT(h, p, size);
    ea_cs_exit(cs);
    if (p == NULL) {
        alloc_failed(h, fault, size, align, PANIC_DETAIL);
    }
    return p;
}

void *EA_UNTRACED(ea_llff_alloc)(ea_llff_t *h, size_t size)
{
    return EA_UNTRACED(ea_llff_alloc_aligned)(h, EA_ALIGN, size);
}

void *EA_UNTRACED(ea_llff_calloc)(ea_llff_t *h, size_t n, size_t size)
{
    size_t bytes;
    if (!mul_checked(n, size, &bytes)) {
        return NULL;
    }
    /* Zeroed outside the critical section: the block is already ours. */
    void *p = EA_UNTRACED(ea_llff_alloc)(h, bytes);
    return p != NULL ? memset(p, 0, bytes) : NULL;
}

void EA_UNTRACED(ea_llff_free)(ea_llff_t *h, void *p)
{
    if (p == NULL) {
        return;
    }
    ea_cs_state_t cs = ea_cs_enter();
    ea_fault_t fault = free_core(h, p);
    ea_cs_exit(cs);
    if (fault != NO_FAULT) {
        ea_heap_panic(&h->common, fault, PANIC_DETAIL);
    }
}

void *EA_UNTRACED(ea_llff_realloc_aligned)(ea_llff_t *h, void *p, size_t align, size_t size)
{
    if (!is_pow2(align)) {
        return NULL;
    }
    if (p == NULL) {
        return EA_UNTRACED(ea_llff_alloc_aligned)(h, align, size);
    }
    if (size == 0) {
        EA_UNTRACED(ea_llff_free)(h, p);
        return NULL;
    }
    ea_cs_state_t cs = ea_cs_enter();
    ea_fault_t fault = check_owned(h, p);
    bool in_place = false;
#if EA_SHADOW
    /* The usable bytes before: the program's, wherever the block ends up; read whole below. */
    size_t kept = fault == NO_FAULT ? block_bytes(block_of(p)) - EA_HEADER : 0;
    SHADOW_OPEN_LIVE(p, (uintptr_t)p + kept);
#endif
    /* A block not on the requested alignment is moved, never resized in place. */
    if (fault == NO_FAULT && ((uintptr_t)p & (align - 1)) == 0) {
        fault = resize_in_place(h, block_of(p), size, &in_place);
    }
#if EA_SHADOW
    if (in_place) {
        SHADOW_RESIZED(h, p, p, size, kept, block_bytes(block_of(p)) - EA_HEADER);
    }
#endif
    ea_cs_exit(cs);
    if (fault != NO_FAULT) {
        ea_heap_panic(&h->common, fault, PANIC_DETAIL);
    }
    if (in_place) {
        return p;
    }
    /* Move: the copy runs outside the critical section, between two short ones. */
    void *q = EA_UNTRACED(ea_llff_alloc_aligned)(h, align, size);
    if (q != NULL) {
        size_t old = block_bytes(block_of(p)) - EA_HEADER;
        memcpy(q, p, old < size ? old : size);
        EA_UNTRACED(ea_llff_free)(h, p);
    }
    return q;
}

void *EA_UNTRACED(ea_llff_realloc)(ea_llff_t *h, void *p, size_t size)
{
    return EA_UNTRACED(ea_llff_realloc_aligned)(h, p, EA_ALIGN, size);
}

size_t ea_llff_usable_size(ea_llff_t *h, const void *p)
{
    return ea_heap_usable_size(&h->common, p, LLFF_USED, LLFF_MIN_BLOCK, PANIC_DETAIL);
}

size_t ea_llff_used(ea_llff_t *h)
{
    return ea_heap_used(&h->common);
}

size_t ea_llff_free_bytes(ea_llff_t *h)
{
    return ea_heap_free_bytes(&h->common);
}

#if !EA_TRACE /* an EA_TRACE build has the handle in src/llff_trace.c, on the traced calls */
#define HEAP_T ea_llff_t
#define API(name) ea_llff_##name
#include "allocator_handle.h"
#endif
