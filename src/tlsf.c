/*
 * ealloc tlsf: two-level segregated fit, O(1) alloc and free.
 *
 * Every free block is in the list of its size class (class_of in
 * tlsf_internal.h); a bit per list, in words (with a summary word when there
 * are many), says which lists hold blocks. alloc computes the class of the
 * request, looks at up to EA_TLSF_SEARCH_DEPTH blocks of that class (one for
 * an over-aligned request) for one that is large enough (blocks of the
 * request's own class may be smaller than it), and otherwise takes the head
 * of the smallest non-empty class above — one bit scan of the first word,
 * from the request's own, with a bit for a class above its own. The block is carved
 * exactly: padding in front and a rest that can stand alone go back to their
 * own lists. free merges the block with its physical neighbours (the one
 * after through its header, the one before through the footer PREV_FREE
 * announces) and files the result.
 * realloc is the same two steps: merge the block with its free neighbours,
 * then carve the run again — at the block's own address when it can. No path
 * loops over free blocks except the bounded look at the request's own class.
 *
 * The public calls take the critical section around a core that never locks;
 * misuse is found before anything changes, and ea_panic is called only after
 * the section is left. Copies (calloc's zeroing, a moved realloc) run outside
 * the section. Layout and invariants: tlsf_internal.h and docs/tlsf.md.
 */
#include <string.h>

#include "ealloc/critical_section.h"
#include "tlsf_internal.h"

#define NO_FAULT EA_NO_FAULT

/* One short string for every panic: the fault code says what went wrong; flash is scarce. */
#define PANIC_DETAIL "ealloc tlsf"

/*
 * x, as it is, in a register: GCC folds the address of a list head into the
 * load and the store through it and then builds it a second time for the
 * back link; held, it is built once and serves all three. (An empty asm that
 * the compiler must assume reads and changes x; other compilers go without.)
 */
#if defined(__GNUC__)
#define HOLD_IN_REGISTER(x) __asm__("" : "+r"(x))
#else
#define HOLD_IN_REGISTER(x) ((void)0)
#endif

/*
 * A test that nearly always fails: GCC then branches around the rare case
 * instead of computing both (on Thumb-2 a compare and a branch, 2
 * instructions, instead of a compare, an IT and a conditional move).
 */
#if defined(__GNUC__)
#define RARELY(x) __builtin_expect(!!(x), 0)
#else
#define RARELY(x) (x)
#endif

/*
 * The base of an array a call indexes often (the list heads, the words of
 * class bits), held in a register: Thumb-2 loads and stores at base + index
 * * 4 in one instruction, but not at base + index * 4 + offset, which is what
 * the compiler makes of h->heads[i] (the heads' offset in the heap added
 * again at each use). Elsewhere (Cortex-M0+, RISC-V, x86) holding the base
 * saves nothing and costs a register.
 */
#if defined(__thumb2__)
#define HOLD_BASE(x) HOLD_IN_REGISTER(x)
#else
#define HOLD_BASE(x) ((void)0)
#endif

EA_ALWAYS_INLINE static inline void list_insert(block_t **heads, size_t *map, block_t *b, size_t size)
{
    unsigned cls = class_of(size);
    block_t **slot = &heads[cls];
    HOLD_IN_REGISTER(slot);
    block_t *head = *slot;
    set_links(b, head, slot);
    *slot = b;
    if (head == NULL) {
        set_map_class_bit(map, cls); /* the list was empty: its bit goes up */
    } else {
        set_prev_link(head, &b->next_free);
    }
}

/*
 * How far the word at link lies from the first list head, in bytes: under
 * the heads' size exactly when link is one of the heads or between two (a
 * link below them wraps to a large offset).
 */
EA_ALWAYS_INLINE static inline size_t offset_in_heads(block_t *const *heads, block_t *const *link)
{
    return (size_t)((uintptr_t)link - (uintptr_t)heads);
}

/* *link = b, where link is a list head or the next_free of a free block, whose links a checker keeps closed. */
EA_ALWAYS_INLINE static inline void set_linked(block_t *const *heads, block_t **link, block_t *b)
{
#if EA_SHADOW
    if (offset_in_heads(heads, link) >= TLSF_HEADS_BYTES) {
        set_next_free(block_of_link(link), b);
        return;
    }
#else
    (void)heads;
#endif
    *link = b;
}

#if EA_HARDENED
/* *link, read as set_linked writes it (hardened builds follow a back link to check it). */
EA_ALWAYS_INLINE static inline block_t *linked(block_t *const *heads, block_t *const *link)
{
#if EA_SHADOW
    if (offset_in_heads(heads, link) >= TLSF_HEADS_BYTES) {
        return next_free_of(block_of_link(link));
    }
#else
    (void)heads;
#endif
    return *link;
}
#endif

/*
 * Take b out of its list. Its back link names the word that points to it —
 * the list head or the next_free of the block before it — so neither its
 * class nor its place in the list is needed; only a list that empties (b was
 * its last block, and that word a list head) costs the class, found from the
 * head's index.
 */
EA_ALWAYS_INLINE static inline void list_remove(block_t **heads, size_t *map, block_t *b)
{
    block_t *next = next_free_of(b);
    block_t **link = prev_link_of(b);
    set_linked(heads, link, next);
    if (next != NULL) {
        set_prev_link(next, link);
        return;
    }
    size_t at = offset_in_heads(heads, link);
    if (at < TLSF_HEADS_BYTES) {
        clear_head_bit(map, at);
    }
}

/* Take the head b of list cls out of it: the bit search knows both, and the word and bit of cls. */
EA_ALWAYS_INLINE static inline void list_remove_head(block_t **heads, size_t *map, block_t *b, unsigned cls,
                                                      unsigned w, unsigned bit)
{
    block_t *next = next_free_of(b);
    heads[cls] = next;
    if (next != NULL) {
        set_prev_link(next, &heads[cls]);
        return;
    }
    clear_map_bit(map, w, bit);
}

/*
 * The hot paths (plain alloc, free) inline the list operations; the rest of
 * the file calls one out-of-line copy of each (the *_call functions), so
 * that speed costs the code size of one copy, not one per caller. With
 * EA_TLSF_SMALL_CODE the hot paths call those copies too.
 */
#define INLINE_HOT_PATHS (!(EA_TLSF_SMALL_CODE))

/*
 * The look into the request's own class, unrolled up to a depth of 8: each
 * block looked at then costs a load of its size and next link, a compare and
 * a test for the end of the list, without a counter to keep (on the
 * Cortex-M4, 5 instructions instead of 9, and 50 bytes at the default depth
 * of 4). Deeper looks, and small-code builds, keep the loop.
 */
#if defined(__GNUC__) && INLINE_HOT_PATHS
#define UNROLLED _Pragma("GCC unroll 8")
#else
#define UNROLLED
#endif

/*
 * GCC passes turned off for the public hot paths alone, each because the
 * Cortex-M4 instruction counts of `make bench` showed it costing there (GCC
 * 12.2, -Os; tlsf-speed-log.md, "Four GCC passes off on the hot paths"):
 * - reorder-blocks (alloc, over-aligned alloc, free): it ends the bit clear of
 *   a list that empties, shared by two paths, in a branch back to the code
 *   after it instead of letting one path fall through: 1 to 3 instructions;
 * - if-conversion2 (alloc, over-aligned alloc): the peak's update, seldom
 *   taken, becomes two conditional instructions on every call instead of a
 *   branch around a store;
 * - tree-ter (free): the used and free counters are stored apart instead of
 *   as the pair note_free arranges (one strd);
 * - cse-follow-jumps (alloc_aligned): the dispatch keeps align - 1 in a
 *   callee-saved register and saves two registers around tail calls that
 *   need none.
 * A pass turned off changes code, never meaning, and from GCC 12 on the
 * attribute adds to the command line's options instead of replacing them
 * (checked: the same code as those passes turned off on the command line,
 * whatever else is there). Thumb-2 only: on the Cortex-M0+ and RV32 the same
 * passes off moved counts both ways (free's worst case +5 on the M0+). Not in
 * the small-code build (its helpers are inlined into callers of other options)
 * nor with clang, which has no such attribute.
 */
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 12 && defined(__thumb2__) && INLINE_HOT_PATHS
#define PASSES_OFF(...) __attribute__((optimize(__VA_ARGS__)))
#else
#define PASSES_OFF(...)
#endif
#define ALLOC_PASSES PASSES_OFF("no-reorder-blocks", "no-if-conversion2")
#define FREE_PASSES PASSES_OFF("no-reorder-blocks", "no-tree-ter")
#define DISPATCH_PASSES PASSES_OFF("no-cse-follow-jumps")

__attribute__((noinline)) static void list_insert_call(ea_tlsf_t *h, block_t *b, size_t size)
{
    list_insert(h->heads, h->class_map, b, size);
}

__attribute__((noinline)) static void list_remove_call(ea_tlsf_t *h, block_t *b)
{
    list_remove(h->heads, h->class_map, b);
}

/* list_remove or list_insert inlined (hot is a constant true on the hot paths) or called. */
EA_ALWAYS_INLINE static inline void unlink_block(ea_tlsf_t *h, block_t **heads, size_t *map, bool hot, block_t *b)
{
    if (hot) {
        list_remove(heads, map, b);
    } else {
        list_remove_call(h, b);
    }
}

EA_ALWAYS_INLINE static inline void file_block(ea_tlsf_t *h, block_t **heads, size_t *map, bool hot, block_t *b,
                                               size_t size)
{
    if (hot) {
        list_insert(heads, map, b, size);
    } else {
        list_insert_call(h, b, size);
    }
}

/*
 * [b, b + size) becomes a free block: header, footer, list. The block after it must say PREV_FREE already.
 * A checker: its header open (it may lie where a free block's closed inside was), all after it closed.
 */
EA_ALWAYS_INLINE static inline void file_free(ea_tlsf_t *h, block_t **heads, size_t *map, bool hot, block_t *b,
                                              size_t size)
{
    SHADOW_OPEN(b, (uintptr_t)b + EA_HEADER);
    SHADOW_OPEN(footer_before(block_after(b, size)), block_after(b, size));
    write_header(&h->common, b, size);
    *footer_before(block_after(b, size)) = b;
    file_block(h, heads, map, hot, b, size);
    SHADOW_CLOSE((uintptr_t)b + EA_HEADER, (uintptr_t)b + size);
}

/* [b, b + size) becomes a free block; the block before it is in use, the one after it too. */
EA_ALWAYS_INLINE static inline void make_free(ea_tlsf_t *h, block_t *b, size_t size)
{
    block_t *after = block_after(b, size);
    write_header(&h->common, after, after->header | TLSF_PREV_FREE);
    file_free(h, h->heads, h->class_map, INLINE_HOT_PATHS, b, size);
}

__attribute__((noinline)) static void make_free_call(ea_tlsf_t *h, block_t *b, size_t size)
{
    make_free(h, b, size);
}

/*
 * Hardened builds: a free block met through a list or a footer must lie in a
 * region and keep its check word, and so must the blocks its list links name
 * (unlinking it writes through them).
 */
#if EA_HARDENED
static bool in_heap(const ea_tlsf_t *h, const block_t *b)
{
    return ea_region_holds(h->common.regions, (uintptr_t)b, TLSF_MIN_BLOCK) && header_intact(&h->common, b);
}
#endif

/* b may be read: its header, size and links (hardened builds; always true in others). */
EA_ALWAYS_INLINE static inline bool block_readable(const ea_tlsf_t *h, const block_t *b)
{
#if EA_HARDENED
    return in_heap(h, b);
#else
    (void)h;
    (void)b;
    return true;
#endif
}

#if EA_HARDENED
/* b's back link names a list head, or the next_free of a sound free block, and that word names b. */
EA_ALWAYS_INLINE static inline bool back_link_sound(const ea_tlsf_t *h, const block_t *b)
{
    block_t *const *link = prev_link_of(b);
    size_t at = offset_in_heads(h->heads, link);
    if (at < TLSF_HEADS_BYTES ? at % TLSF_HEAD_BYTES != 0
                             : !in_heap(h, block_of_link(link))) {
        return false;
    }
    return linked(h->heads, link) == b;
}
#endif

/* b's list may be written through: the words its links name belong to a list head or sound free blocks. */
EA_ALWAYS_INLINE static inline bool links_sound(const ea_tlsf_t *h, const block_t *b)
{
#if EA_HARDENED
    block_t *next = next_free_of(b);
    return (next == NULL || in_heap(h, next)) && back_link_sound(h, b);
#else
    (void)h;
    (void)b;
    return true;
#endif
}

static bool block_sound(const ea_tlsf_t *h, const block_t *b)
{
    return block_readable(h, b) && links_sound(h, b);
}

static bool neighbours_sound(const ea_tlsf_t *h, const block_t *b, size_t size)
{
#if EA_HARDENED
    const block_t *next = block_after(b, size);
    if (!header_intact(&h->common, next) || ((next->header & TLSF_USED) == 0 && !block_sound(h, next))) {
        return false;
    }
    if ((b->header & TLSF_PREV_FREE) != 0) {
        const block_t *prev = free_block_before(b);
        return block_sound(h, prev) && (uintptr_t)prev + block_bytes(prev) == (uintptr_t)b;
    }
    return true;
#else
    (void)h;
    (void)b;
    (void)size;
    return true;
#endif
}

/*
 * Absorb the free physical neighbours of [*b, *b + size), taking them out of
 * their lists; *b moves down when the block before it was free (b's header
 * must carry the right PREV_FREE). With mark_next, a block after that is in
 * use is marked PREV_FREE here, where its header is at hand (free; realloc
 * carves the run again and marks it then). Returns the size of the whole run.
 */
EA_ALWAYS_INLINE static inline size_t merge(ea_tlsf_t *h, block_t **heads, size_t *map, block_t **b, size_t size,
                                           bool hot, bool mark_next)
{
    size_t own_header = (*b)->header; /* read first: to the compiler, the write to next's header may be to b's */
    block_t *next = block_after(*b, size);
    if ((next->header & TLSF_USED) == 0) {
        size_t n = free_block_bytes(next);
        unlink_block(h, heads, map, hot, next);
        size += n;
    } else if (mark_next) {
        write_header(&h->common, next, next->header | TLSF_PREV_FREE);
    }
    if ((own_header & TLSF_PREV_FREE) != 0) {
        block_t *prev = free_block_before(*b);
        size_t n = free_block_bytes(prev);
        unlink_block(h, heads, map, hot, prev);
        size += n;
        /* b's header is left inside the merged block: a second free of b must not find USED there. */
        write_header(&h->common, *b, own_header & ~TLSF_USED);
        *b = prev;
    }
    return size;
}

__attribute__((noinline)) static size_t merge_call(ea_tlsf_t *h, block_t **b, size_t size)
{
    return merge(h, h->heads, h->class_map, b, size, false, false);
}

/*
 * Find a free block of at least need bytes and take it out of its list: up
 * to depth blocks of need's own class, then the head of the smallest
 * non-empty class above it; its size goes to *got (read where the search
 * reads the block anyway). NULL when there is none; in hardened
 * builds also when a block met is damaged (*fault: corrupt).
 */
EA_ALWAYS_INLINE static inline block_t *find_block(ea_tlsf_t *h, block_t **heads, size_t *map, size_t need, size_t *got,
                                                  ea_fault_t *fault, bool hot, unsigned depth)
{
    unsigned cls = class_of(need);
    block_t *b = heads[cls];
    /* Each block looked at is checked before it is read; only the one taken has its links
     * checked too (unlinking writes through them; the next link is followed, and checked, by
     * the next step). Counted down: where the look stays a loop (small code), with a depth that
     * differs between its callers, the subtraction is the test. */
    UNROLLED
    for (unsigned left = depth; left != 0; left--) {
        if (b == NULL) {
            break;
        }
        if (!block_readable(h, b)) {
            *fault = EA_FAULT_CORRUPT;
            return NULL;
        }
        size_t size = free_block_bytes(b);
        if (size >= need) {
            if (!links_sound(h, b)) {
                *fault = EA_FAULT_CORRUPT;
                return NULL;
            }
            unlink_block(h, heads, map, hot, b);
            *got = size;
            return b;
        }
        b = next_free_of(b);
    }
    unsigned w = map_word(cls);
    size_t word = map[w] & bits_after_in_word(cls % EA_TLSF_MAP_BITS);
    /* None above in its word: the next word that is not zero, from the summary or reading the words above in turn. */
    if (EA_TLSF_SUMMARY && word == 0) {
        size_t words = *summary_in(map) & (~(size_t)1 << w);
        if (words == 0) {
            return NULL;
        }
        w = ffs_size(words);
        word = map[w];
    } else if (word == 0) {
        do { /* a do loop: its setup stays off the path that finds a class in the request's own word */
            if (++w >= EA_TLSF_MAP_WORDS) {
                return NULL;
            }
            word = map[w];
        } while (word == 0);
    }
    unsigned bit = first_in_word(word);
    cls = (unsigned)(w * EA_TLSF_MAP_BITS) + bit;
    b = heads[cls];
    if (!block_sound(h, b)) {
        *fault = EA_FAULT_CORRUPT;
        return NULL;
    }
    *got = free_block_bytes(b); /* read with the next link, before the list changes */
    list_remove_head(heads, map, b, cls, w, bit);
    return b;
}

/* The callers of this copy read the block's size themselves: through a pointer it costs more than it saves. */
__attribute__((noinline)) static block_t *find_block_call(ea_tlsf_t *h, size_t need, unsigned depth,
                                                         ea_fault_t *fault)
{
    size_t got;
    return find_block(h, h->heads, h->class_map, need, &got, fault, false, depth);
}

/*
 * The run [f, f + size), in no list and preceded by a block in use, becomes
 * an allocated block of need bytes at f + offset. The front (offset bytes:
 * 0, or a whole block) and a tail that can stand as a block stay free; a
 * smaller tail is given to the allocated block. Returns its footprint.
 */
static size_t carve(ea_tlsf_t *h, block_t *f, size_t size, size_t offset, size_t need)
{
    block_t *b = block_after(f, offset);
    size_t flags = TLSF_USED;
    SHADOW_OPEN(b, (uintptr_t)b + EA_HEADER); /* inside f's closed inside when there is a front */
    if (offset != 0) {
        make_free_call(h, f, offset);
        flags |= TLSF_PREV_FREE;
        size -= offset;
    }
    if (size - need >= TLSF_MIN_BLOCK) {
        make_free_call(h, block_after(b, need), size - need);
        size = need;
    } else {
        block_t *after = block_after(b, size);
        write_header(&h->common, after, after->header & ~TLSF_PREV_FREE);
    }
    write_header(&h->common, b, size | flags);
    return size;
}

/*
 * Poisoned builds: whether the bytes of the free block b (size bytes) that an
 * allocation of need bytes at offset would hand out still hold the poison —
 * a write after free shows here, before the memory is given out again.
 */
EA_ALWAYS_INLINE static inline bool poison_untouched(const block_t *b, size_t size, size_t offset, size_t need)
{
#if EA_POISON
    uintptr_t interior = (uintptr_t)b + TLSF_FREE_META;
    uintptr_t end = (uintptr_t)b + size - EA_WORD;
    uintptr_t from = (uintptr_t)b + offset + EA_HEADER;
    uintptr_t to = (uintptr_t)b + offset + need;
    return ea_poison_intact(from > interior ? from : interior, to < end ? to : end);
#else
    (void)b;
    (void)size;
    (void)offset;
    (void)need;
    return true;
#endif
}

/*
 * The run [b, b + got), taken from a free list (so the block after it says
 * PREV_FREE), becomes an allocated block of need bytes at b with the flags
 * given: a rest that can stand as a block is split off and filed (it needs
 * only its header, footer and list), a smaller one stays with the block.
 * Returns the block's footprint.
 */
EA_ALWAYS_INLINE static inline size_t take_front(ea_tlsf_t *h, block_t **heads, size_t *map, bool hot, block_t *b,
                                                 size_t got, size_t need, size_t flags)
{
    if (got - need >= TLSF_MIN_BLOCK) {
        file_free(h, heads, map, hot, block_after(b, need), got - need);
        got = need;
    } else {
        block_t *after = block_after(b, got);
        write_header(&h->common, after, after->header & ~TLSF_PREV_FREE);
    }
    write_header(&h->common, b, got | flags);
    return got;
}

/*
 * size + header on the granule, at least a minimum block, for a size already
 * tested against the largest block (block_size_for's own overflow test would
 * stay: the compiler cannot tell that the callers' limit tests rule it out).
 * With rare_minimum the minimum, which only the smallest requests need, is a
 * branch around a store (RARELY): the plain path's choice. The over-aligned
 * path and hardened builds keep the conditional form, which measured 1 to 3
 * instructions faster there on some traces (RV32 with Zbb; hardened
 * Cortex-M4).
 */
EA_ALWAYS_INLINE static inline size_t footprint_within_limits(size_t size, bool rare_minimum)
{
    size_t bytes = (size + EA_HEADER + SHADOW_GUARD + EA_GRANULE - 1) & ~(size_t)(EA_GRANULE - 1);
    if (rare_minimum) {
        if (RARELY(bytes < TLSF_MIN_BLOCK)) {
            bytes = TLSF_MIN_BLOCK;
        }
        return bytes;
    }
    return bytes < TLSF_MIN_BLOCK ? TLSF_MIN_BLOCK : bytes;
}

/*
 * Nearly every request is below half the largest block, which a shift tells
 * without loading the limit from a literal: on Thumb-2 and RV32 one
 * instruction less per plain alloc (for 20 bytes), the exact test behind it.
 * Not on ARMv6-M (no gain there: GCC keeps fewer registers free), nor in
 * hardened builds (+2 to +6 on five alloc medians), nor in small-code builds.
 */
#if INLINE_HOT_PATHS && !EA_HARDENED && !(defined(__thumb__) && !defined(__thumb2__))
#define QUICK_HALF_TEST 1
#else
#define QUICK_HALF_TEST 0
#endif
_Static_assert(((size_t)1 << (EA_TLSF_MAX_BLOCK_LOG2 - 1)) - 1 <= TLSF_MAX_BLOCK - EA_HEADER - SHADOW_GUARD,
               "a size below half the largest block must pass the exact limit test");

/*
 * The plain allocation (EA_ALIGN): the hot path, kept straight: find a
 * block, then take_front.
 */
EA_ALWAYS_INLINE static inline void *alloc_plain(ea_tlsf_t *h, size_t size, ea_fault_t *fault)
{
    /* One test for both limits: below it, size + header rounded up to the granule neither overflows
     * nor passes the largest block (a multiple of the granule). QUICK_HALF_TEST first. */
    bool fits = (QUICK_HALF_TEST && (size >> (EA_TLSF_MAX_BLOCK_LOG2 - 1)) == 0) ||
                size <= TLSF_MAX_BLOCK - EA_HEADER - SHADOW_GUARD;
    size_t need = fits ? footprint_within_limits(size, !EA_HARDENED) : 0;
    block_t *b = NULL;
    size_t got = 0;
    /* The list heads and the class bits, each at an address held in a register (HOLD_BASE). */
    block_t **heads = h->heads;
    size_t *map = h->class_map;
    HOLD_BASE(heads);
    HOLD_BASE(map);
    if (EA_HARDENED && h->common.regions == NULL) {
        *fault = EA_FAULT_NOT_INIT;
        return NULL;
    }
    if (need != 0) {
        b = INLINE_HOT_PATHS ? find_block(h, heads, map, need, &got, fault, true, EA_TLSF_SEARCH_DEPTH)
                             : find_block_call(h, need, EA_TLSF_SEARCH_DEPTH, fault);
    }
    if (b == NULL) {
        note_failed(&h->common);
        return NULL;
    }
    if (!INLINE_HOT_PATHS) {
        got = free_block_bytes(b); /* the out-of-line search does not hand the size back */
    }
    if (!poison_untouched(b, got, 0, need)) {
        list_insert_call(h, b, got); /* back where it was: reported, not handed out */
        *fault = EA_FAULT_CORRUPT;
        return NULL;
    }
    got = take_front(h, heads, map, INLINE_HOT_PATHS, b, got, need, TLSF_USED);
    note_alloc(&h->common, got);
    return payload_of(b);
}

/*
 * Where in the free block b (got bytes) an allocation of need bytes on align
 * starts: at b when b's payload is on align already; otherwise as high in b
 * as it goes, so that the front — at least a whole block, given the room the
 * search asked for — is the only piece split off, and the tail left after it
 * is shorter than align. (Cutting from the front instead leaves a padding
 * block and a rest: two list inserts, and a small free block in front of the
 * allocation that its free must merge again.)
 */
EA_ALWAYS_INLINE static inline size_t offset_for(const block_t *b, size_t got, size_t need, size_t align)
{
    uintptr_t payload = (uintptr_t)b + EA_HEADER;
    if ((payload & (align - 1)) == 0) {
        return 0;
    }
    uintptr_t highest = ((uintptr_t)b + got - need + EA_HEADER) & ~(uintptr_t)(align - 1);
    return (size_t)(highest - payload);
}

/* Below it, a size and an alignment need at most half the largest block with the worst padding. */
#define TLSF_QUARTER_MAX ((size_t)1 << (EA_TLSF_MAX_BLOCK_LOG2 - 2))
_Static_assert(2 * TLSF_QUARTER_MAX + EA_HEADER + SHADOW_GUARD + EA_GRANULE + TLSF_MIN_BLOCK <= TLSF_MAX_BLOCK,
               "the quick test of alloc_core's limits must imply the exact ones");

/*
 * An allocation aligned beyond EA_ALIGN: the search asks for room for the
 * worst padding (so its cost stays that of one search; with that room asked
 * for, one block of its own class is looked at, TLSF_ALIGNED_SEARCH_DEPTH),
 * and a front that is not used (offset_for) stays a free block. (Looking
 * first for a block of the request's own class that happens to be aligned
 * was measured: the median barely moved and the p99 grew by a third.)
 */
static void *alloc_core(ea_tlsf_t *h, size_t align, size_t size, ea_fault_t *fault)
{
    size_t pad_room = align - EA_GRANULE + TLSF_MIN_BLOCK;
    /* need + pad_room must stay within the largest block: one test when both are below a quarter of it
     * (nearly every call: then the sum is below half of it), one per limit otherwise (and always in
     * small-code builds, where the quick test is 16 more bytes). */
    bool fits = (INLINE_HOT_PATHS && (size | align) < TLSF_QUARTER_MAX) ||
                (pad_room <= TLSF_MAX_BLOCK - TLSF_MIN_BLOCK &&
                 size <= TLSF_MAX_BLOCK - EA_HEADER - SHADOW_GUARD - pad_room);
    size_t need = fits ? footprint_within_limits(size, false) : 0;
    block_t *b = NULL;
    size_t got = 0;
    if (EA_HARDENED && h->common.regions == NULL) {
        *fault = EA_FAULT_NOT_INIT;
        return NULL;
    }
    if (need != 0) {
        b = INLINE_HOT_PATHS ? find_block(h, h->heads, h->class_map, need + pad_room, &got, fault, true,
                                          TLSF_ALIGNED_SEARCH_DEPTH)
                             : find_block_call(h, need + pad_room, TLSF_ALIGNED_SEARCH_DEPTH, fault);
    }
    if (b == NULL) {
        note_failed(&h->common);
        return NULL;
    }
    if (!INLINE_HOT_PATHS) {
        got = free_block_bytes(b); /* the out-of-line search does not hand the size back */
    }
    size_t gap = offset_for(b, got, need, align);
    if (!poison_untouched(b, got, gap, need)) {
        list_insert_call(h, b, got);
        *fault = EA_FAULT_CORRUPT;
        return NULL;
    }
    block_t *a = block_after(b, gap);
    if (!INLINE_HOT_PATHS) {
        note_alloc(&h->common, carve(h, b, got, gap, need)); /* realloc's carve: less code */
        return payload_of(a);
    }
    /* As alloc does: the block after b already says PREV_FREE, so a rest needs no more than its
     * header, footer and list (carve, made for realloc's runs, cannot assume that); and so does a
     * front, since a's header, written last, says PREV_FREE. The list work is inlined here as in
     * alloc: over-aligned calls are common (half of the calls of the ring traces). */
    size_t flags = TLSF_USED;
    if (gap != 0) {
        file_free(h, h->heads, h->class_map, true, b, gap); /* a, written below, says PREV_FREE */
        flags |= TLSF_PREV_FREE;
        SHADOW_OPEN(a, (uintptr_t)a + EA_HEADER); /* inside b's closed inside until now */
    }
    note_alloc(&h->common, take_front(h, h->heads, h->class_map, true, a, got - gap, need, flags));
    return payload_of(a);
}

/*
 * Resize the allocated block b to need bytes. b is merged with its free
 * neighbours and the run is carved again: at b's own address when the run
 * has room after it (a shrink, or a grow into the free block after it);
 * otherwise, when the whole run holds need bytes and its start is on align,
 * the whole run is claimed from its start — the caller moves the data down
 * and resizes again to trim it; otherwise b is put back exactly as it was.
 * Returns b, the claimed run, or NULL.
 */
static block_t *resize(ea_tlsf_t *h, block_t *b, size_t need, size_t align)
{
    size_t have = block_bytes(b);
    block_t *f = b;
    /* Hardened builds: realloc checked b's neighbours (check_owned) in this same section. */
    size_t size = merge_call(h, &f, have);
    /* Carved anywhere; its free pieces close again. */
    SHADOW_OPEN(f, b);
    SHADOW_OPEN_LIVE(b, (uintptr_t)b + have);
    SHADOW_OPEN((uintptr_t)b + have, (uintptr_t)f + size);
    size_t offset = (size_t)((uintptr_t)b - (uintptr_t)f);
    block_t *result = b;
    if (need > size - offset) {
        if (need <= size && ((uintptr_t)payload_of(f) & (align - 1)) == 0) {
            result = f;
            need = size;
            offset = 0;
        } else {
            result = NULL;
            need = have;
        }
    }
    size_t got = carve(h, f, size, offset, need);
    h->common.used += got - have;
    if (EA_POISON) {
        /* A tail given back holds old data: it becomes poison. */
        block_t *tail = block_after(f, offset + got);
        if ((tail->header & TLSF_USED) == 0) {
            poison_fill((uintptr_t)tail + TLSF_FREE_META, (uintptr_t)tail + block_bytes(tail) - EA_WORD);
        }
    }
    return result;
}

/*
 * The checks on a pointer handed back by the caller (heap_common.h); in
 * hardened builds also the neighbours a merge will read.
 */
static ea_fault_t check_owned(const ea_tlsf_t *h, const void *p)
{
    ea_fault_t fault = ea_heap_owned_fault(&h->common, p, TLSF_FLAGS, TLSF_MIN_BLOCK);
    if (fault == NO_FAULT && !neighbours_sound(h, block_of(p), block_bytes(block_of(p)))) {
        fault = EA_FAULT_CORRUPT;
    }
    return fault;
}

/*
 * Poisoned builds: after a free merged the block at freed (own bytes) into
 * the run [b, b + size), everything that is not the run's own header, links
 * and footer becomes poison: the freed block, the footer of a free block
 * before it, the header and links of one after it.
 */
EA_ALWAYS_INLINE static inline void poison_merged(const block_t *b, size_t size, const block_t *freed, size_t own)
{
#if EA_POISON
    uintptr_t at = (uintptr_t)freed;
    poison_fill(b != freed ? at - EA_WORD : at, at + own);
    if ((uintptr_t)b + size > at + own) {
        poison_fill(at + own, at + own + TLSF_FREE_META);
    }
#else
    (void)b;
    (void)size;
    (void)freed;
    (void)own;
#endif
}

static ea_fault_t free_core(ea_tlsf_t *h, void *p)
{
    ea_fault_t fault = check_owned(h, p);
    if (fault == NO_FAULT) {
        block_t *freed = block_of(p);
        size_t own = block_bytes(freed);
        block_t *b = freed;
        note_free(&h->common, own);
        SHADOW_FREED(h, p);
        SHADOW_OPEN(freed, (uintptr_t)freed + own); /* the run's links and footer may fall in its rounding */
        /* The hot path's merge marks the block after the run PREV_FREE when it is not absorbed (it
         * holds that block's header already); when it is, the block after says so already. The
         * small-code path leaves the mark to make_free. */
        if (INLINE_HOT_PATHS) {
            block_t **heads = h->heads;
            size_t *map = h->class_map;
            HOLD_BASE(heads); /* one register each for the list heads and the class bits (HOLD_BASE) */
            HOLD_BASE(map);
            size_t size = merge(h, heads, map, &b, own, true, true);
            poison_merged(b, size, freed, own);
            file_free(h, heads, map, true, b, size);
        } else {
            size_t size = merge_call(h, &b, own);
            poison_merged(b, size, freed, own);
            make_free_call(h, b, size);
        }
    }
    return fault;
}

/*
 * Lay out [start, start + size), already checked against the other regions:
 * descriptor, one free block of at most the largest block, end marker. false
 * when it is too small for a block.
 */
static bool add_one_region(ea_tlsf_t *h, void *start, size_t size)
{
    region_t layout;
    region_t *where;
    if (!ea_region_layout(start, size, TLSF_TAIL, TLSF_MIN_BLOCK, TLSF_MAX_BLOCK, &layout, &where)) {
        return false;
    }
    ea_region_insert(&h->common.regions, where, &layout);
    size_t bytes = layout.end - layout.first;
    h->common.capacity += bytes;
    write_header(&h->common, block_at(layout.end), TLSF_USED); /* the end marker: size 0, never free */
    poison_fill(layout.first + TLSF_FREE_META, layout.end - EA_WORD);
    make_free_call(h, block_at(layout.first), bytes);
    return true;
}

/*
 * A region larger than the largest block is taken as several regions, each
 * just large enough for one largest block; a rest too small for a block is
 * trimmed. The whole range is checked first, so a refused region changes
 * nothing.
 */
static ea_fault_t add_region_core(ea_tlsf_t *h, void *start, size_t size)
{
    uintptr_t at = (uintptr_t)start;
    const size_t piece = TLSF_MAX_BLOCK + sizeof(region_t) + TLSF_TAIL + 2 * EA_GRANULE;
    if (start == NULL || size == 0 || size - 1 > UINTPTR_MAX - at ||
        ea_region_overlaps(h->common.regions, at, at + (size - 1), TLSF_TAIL)) {
        return EA_FAULT_BAD_REGION;
    }
    SHADOW_OPEN(at, at + size); /* a checker: whatever an earlier heap over this memory closed */
    while (size > piece) {
        (void)add_one_region(h, (void *)at, piece);
        at += piece;
        size -= piece;
    }
    return add_one_region(h, (void *)at, size) || at != (uintptr_t)start ? NO_FAULT : EA_FAULT_BAD_REGION;
}

void EA_UNTRACED(ea_tlsf_init)(ea_tlsf_t *h, void *start, size_t size)
{
    ea_cs_state_t cs = ea_cs_enter();
    ea_fault_t fault = EA_FAULT_DOUBLE_INIT;
    const char *detail = PANIC_DETAIL;
    if (EA_TLSF_BITBAND && !tlsf_bitband_reachable(h)) {
        /* Its class bits would be written through an alias that is not theirs: refused before any write. */
        fault = EA_FAULT_BAD_REGION;
        detail = "ealloc tlsf: heap outside bit-band SRAM";
    } else if (h->common.regions == NULL) {
        ea_heap_start_checks(&h->common, start);
        SHADOW_HEAP_START(h);
        fault = add_region_core(h, start, size);
    }
    ea_cs_exit(cs);
    if (fault != NO_FAULT) {
        ea_heap_panic(&h->common, fault, detail);
    }
}

bool EA_UNTRACED(ea_tlsf_add_region)(ea_tlsf_t *h, void *start, size_t size)
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

/* EA_ASAN, EA_VALGRIND: the block at p (NULL: none) handed out for size bytes. */
#define HAND_OUT(h, p, size) SHADOW_HAND_OUT(h, p, size, block_bytes(block_of(p)) - EA_HEADER)

ALLOC_PASSES void *EA_UNTRACED(ea_tlsf_alloc)(ea_tlsf_t *h, size_t size)
{
    ea_fault_t fault = NO_FAULT;
    ea_cs_state_t cs = ea_cs_enter();
    void *p = alloc_plain(h, size, &fault);
    HAND_OUT(h, p, size);
    ea_cs_exit(cs);
    if (p == NULL) {
        alloc_failed(h, fault, size, EA_ALIGN, PANIC_DETAIL);
    }
    return p;
}

/*
 * Out of line so that alloc_aligned's dispatch of alignments up to EA_GRANULE
 * to alloc saves only the registers the dispatch needs (GCC saves those of the
 * whole function before its first test otherwise). Small-code builds keep it
 * inline: there the split made the slowest trace's alloc median 117 -> 121
 * and the slowest aligned call 208 -> 212 (tlsf-speed-log.md).
 */
#if INLINE_HOT_PATHS
#define OVER_ALIGNED_LINKAGE __attribute__((noinline)) static
#else
#define OVER_ALIGNED_LINKAGE EA_ALWAYS_INLINE static inline
#endif
/*
 * The report of a failed over-aligned allocation. Out of line in the fast
 * build: inlined, its call of ea_oom_hook (size before align) decides where
 * alloc_over_aligned keeps the two from its first instruction on — two moves
 * on every call (tlsf-speed-log.md, "Over-aligned calls four and two
 * instructions shorter").
 */
#if INLINE_HOT_PATHS
#define FAILURE_LINKAGE __attribute__((noinline, cold)) static
#else
#define FAILURE_LINKAGE EA_ALWAYS_INLINE static inline
#endif
FAILURE_LINKAGE void over_aligned_failed(ea_tlsf_t *h, size_t align, size_t size, ea_fault_t fault)
{
    alloc_failed(h, fault, size, align, PANIC_DETAIL);
}

ALLOC_PASSES OVER_ALIGNED_LINKAGE void *alloc_over_aligned(ea_tlsf_t *h, size_t align, size_t size)
{
    ea_fault_t fault = NO_FAULT;
    ea_cs_state_t cs = ea_cs_enter();
    void *p = alloc_core(h, align, size, &fault);
    HAND_OUT(h, p, size);
    ea_cs_exit(cs);
    if (p == NULL) {
        over_aligned_failed(h, align, size, fault);
    }
    return p;
}

/*
 * The range first, with align - 1, which the power-of-two test reuses (and
 * whose range leaves it no zero to test): an alignment up to the granule
 * reaches alloc in 7 instructions on the Cortex-M4 instead of 8. An
 * alignment of 0 wraps to the largest size_t and is refused on the other path.
 */
DISPATCH_PASSES void *EA_UNTRACED(ea_tlsf_alloc_aligned)(ea_tlsf_t *h, size_t align, size_t size)
{
    if (align - 1 < EA_GRANULE) {
        return is_pow2(align) ? EA_UNTRACED(ea_tlsf_alloc)(h, size) : NULL;
    }
    if (!is_pow2(align)) {
        return NULL;
    }
    return alloc_over_aligned(h, align, size);
}

void *EA_UNTRACED(ea_tlsf_calloc)(ea_tlsf_t *h, size_t n, size_t size)
{
    size_t bytes;
    if (!mul_checked(n, size, &bytes)) {
        return NULL;
    }
    /* Zeroed outside the critical section: the block is already ours. */
    void *p = EA_UNTRACED(ea_tlsf_alloc)(h, bytes);
    return p != NULL ? memset(p, 0, bytes) : NULL;
}

FREE_PASSES void EA_UNTRACED(ea_tlsf_free)(ea_tlsf_t *h, void *p)
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

void *EA_UNTRACED(ea_tlsf_realloc_aligned)(ea_tlsf_t *h, void *p, size_t align, size_t size)
{
    if (!is_pow2(align)) {
        return NULL;
    }
    if (p == NULL) {
        return EA_UNTRACED(ea_tlsf_alloc_aligned)(h, align, size);
    }
    if (size == 0) {
        EA_UNTRACED(ea_tlsf_free)(h, p);
        return NULL;
    }
    size_t need = block_size_for(size, TLSF_MIN_BLOCK);
    if (need > TLSF_MAX_BLOCK) {
        need = 0; /* cannot be satisfied: neither in place nor anywhere else */
    }
    ea_cs_state_t cs = ea_cs_enter();
    ea_fault_t fault = check_owned(h, p);
    block_t *b = block_of(p);
    size_t old = 0;
    block_t *r = NULL;
    /* A block not on the requested alignment is moved, never resized in place. */
    if (fault == NO_FAULT) {
        old = block_bytes(b) - EA_HEADER;
        SHADOW_OPEN_LIVE(p, (uintptr_t)p + old); /* copied whole when it moves */
        if (need != 0 && ((uintptr_t)p & (align - 1)) == 0) {
            r = resize(h, b, need, align < EA_GRANULE ? EA_GRANULE : align);
        }
        if (r == b) {
            SHADOW_RESIZED(h, p, p, size, old, block_bytes(b) - EA_HEADER);
        }
    }
    if (r == b) {
        note_used(&h->common, 0);
    }
    ea_cs_exit(cs);
    if (fault != NO_FAULT) {
        ea_heap_panic(&h->common, fault, PANIC_DETAIL);
    }
    if (r == b) {
        return p;
    }
    if (r != NULL) {
        /* The data moves down into the claimed run outside the section, then the run is trimmed. */
        memmove(payload_of(r), p, old < size ? old : size);
        cs = ea_cs_enter();
        (void)resize(h, r, need, EA_GRANULE);
        note_used(&h->common, 0);
        SHADOW_RESIZED(h, p, payload_of(r), size, old < size ? old : size, block_bytes(r) - EA_HEADER);
        ea_cs_exit(cs);
        return payload_of(r);
    }
    void *q = EA_UNTRACED(ea_tlsf_alloc_aligned)(h, align, size);
    if (q != NULL) {
        memcpy(q, p, old < size ? old : size);
        EA_UNTRACED(ea_tlsf_free)(h, p);
    }
    return q;
}

void *EA_UNTRACED(ea_tlsf_realloc)(ea_tlsf_t *h, void *p, size_t size)
{
    return EA_UNTRACED(ea_tlsf_realloc_aligned)(h, p, EA_ALIGN, size);
}

size_t ea_tlsf_usable_size(ea_tlsf_t *h, const void *p)
{
    return ea_heap_usable_size(&h->common, p, TLSF_FLAGS, TLSF_MIN_BLOCK, PANIC_DETAIL);
}

size_t ea_tlsf_used(ea_tlsf_t *h)
{
    return ea_heap_used(&h->common);
}

size_t ea_tlsf_free_bytes(ea_tlsf_t *h)
{
    return ea_heap_free_bytes(&h->common);
}

#if !EA_TRACE /* an EA_TRACE build has the handle in src/tlsf_trace.c, on the traced calls */
#define HEAP_T ea_tlsf_t
#define API(name) ea_tlsf_##name
#include "allocator_handle.h"
#endif
