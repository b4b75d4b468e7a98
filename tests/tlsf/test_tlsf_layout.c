/*
 * tlsf's own tests: the size-class mapping, the block layout, the shapes
 * that make each operation do its most work, and check() against heaps
 * damaged on purpose, one invariant at a time.
 */
#include <string.h>

#include "test_support.h"
#include "tlsf_internal.h"

static ea_tlsf_t *tlsf(void)
{
    return heap;
}

/* Damage a header consistently: its check word (hardened builds) follows, so check() sees the value itself. */
static void set_header(block_t *b, size_t value)
{
    write_header(&tlsf()->common, b, value);
}

/* ---- mapping -------------------------------------------------------------------- */

static void assert_class_brackets(size_t size)
{
    unsigned cls = class_of(size);
    if (cls >= TLSF_CLASSES) {
        fail_msg("size %zu maps to class %u of %u", size, cls, (unsigned)TLSF_CLASSES);
    }
    if (class_min_size(cls) > size || (cls + 1 < TLSF_CLASSES && class_min_size(cls + 1) <= size)) {
        fail_msg("size %zu: class %u spans [%zu, %zu)", size, cls, class_min_size(cls), class_min_size(cls + 1));
    }
}

static void every_block_size_maps_into_its_class(void **state)
{
    (void)state;
    /* On 32-bit targets every size up to the largest block; on 64-bit every
     * size up to 2^24 and a sample above (a stride that hits every class). */
    size_t dense_limit = TLSF_MAX_BLOCK < ((size_t)1 << 24) ? TLSF_MAX_BLOCK : ((size_t)1 << 24);
    unsigned last = 0;
    for (size_t size = EA_GRANULE; size <= dense_limit; size += EA_GRANULE) {
        assert_class_brackets(size);
        unsigned cls = class_of(size);
        if (cls < last) {
            fail_msg("mapping not monotonic at %zu", size);
        }
        last = cls;
    }
    for (size_t size = dense_limit; size <= TLSF_MAX_BLOCK && size >= dense_limit; size += size / 61 + EA_GRANULE) {
        assert_class_brackets(size & ~(EA_GRANULE - 1));
    }
    assert_class_brackets(TLSF_MAX_BLOCK);
    assert_int_equal(class_of(TLSF_MAX_BLOCK), TLSF_CLASSES - 1);
}

static void every_class_boundary_round_trips(void **state)
{
    (void)state;
    for (unsigned cls = class_of(TLSF_MIN_BLOCK); cls < TLSF_CLASSES; cls++) {
        size_t start = class_min_size(cls);
        assert_int_equal(class_of(start), cls);
        assert_int_equal(class_of(start - EA_GRANULE), cls - 1);
        assert_int_equal(start % EA_GRANULE, 0);
    }
}

static void small_classes_are_one_granule_apart(void **state)
{
    (void)state;
    for (size_t size = 0; size < ((size_t)2 << EA_TLSF_SMALL_LOG2); size += EA_GRANULE) {
        assert_int_equal(class_of(size), size / EA_GRANULE);
    }
}

/*
 * The class bits of a word, in either order (the first class in the top bit
 * on Arm cores with CLZ and on x86, in bit 0 elsewhere: the default host
 * build runs one, the soft-scan build the other): each class has one
 * bit of its own, the searches name the first and last class of a word, and
 * "the classes after i" are exactly the bits of the classes after i.
 */
static void class_bits_name_each_class_of_a_word_in_order(void **state)
{
    (void)state;
    const unsigned bits = (unsigned)EA_TLSF_MAP_BITS;
    print_message("first class of a word in its %s bit\n", TLSF_FIRST_CLASS_HIGH ? "top" : "lowest");
    size_t seen = 0;
    for (unsigned i = 0; i < bits; i++) {
        size_t bit = bit_in_word(i);
        assert_true(bit != 0 && (bit & (bit - 1)) == 0);
        assert_true((seen & bit) == 0);
        seen |= bit;
        assert_int_equal(first_in_word(bit), i);
        assert_int_equal(last_in_word(bit), i);
        size_t after = 0;
        for (unsigned j = i + 1; j < bits; j++) {
            after |= bit_in_word(j);
            assert_int_equal(first_in_word(bit | bit_in_word(j)), i);
            assert_int_equal(last_in_word(bit | bit_in_word(j)), j);
        }
        assert_true(bits_after_in_word(i) == after);
    }
    assert_true(seen == SIZE_MAX);
    /* map_bit names a class by its place in its word, whatever the word (on Thumb-2 by a rotate). */
    for (unsigned cls = 0; cls < TLSF_CLASSES; cls++) {
        assert_true(map_bit(cls) == bit_in_word(cls % bits));
    }
}

static void control_block_is_bitmaps_and_heads(void **state)
{
    (void)state;
    size_t control = sizeof(ea_tlsf_t) - sizeof(ea_heap_common_t);
    size_t parts = (EA_TLSF_MAP_WORDS + EA_TLSF_SUMMARY) * sizeof(size_t) + TLSF_CLASSES * sizeof(void *);
    print_message("tlsf control block: %zu bytes (%u first-level x %u second-level classes, %zu-byte pointers)\n",
                  control, (unsigned)EA_TLSF_FL_COUNT, (unsigned)EA_TLSF_SL_COUNT, sizeof(void *));
    /* Nothing but the class map (and its summary word), the list heads, and alignment padding. */
    assert_true(control >= parts);
    assert_true(control < parts + sizeof(void *));
}

/* ---- layout and operations --------------------------------------------------------- */

static void starts_on_a_two_kib_region(void **state)
{
    (void)state;
    backend.init(heap, arena, 2048);
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_true(st.capacity >= 2048 - 64);
    void *a = ea_tlsf_alloc(tlsf(), 1000);
    void *b = ea_tlsf_alloc(tlsf(), 800);
    assert_non_null(a);
    assert_non_null(b);
    ea_tlsf_free(tlsf(), a);
    ea_tlsf_free(tlsf(), b);
}

static void one_word_header_exact_split(void **state)
{
    (void)state;
    unsigned char *a = ea_tlsf_alloc(tlsf(), 1);
    unsigned char *b = ea_tlsf_alloc(tlsf(), 100);
    assert_int_equal(b - a, TLSF_MIN_BLOCK);
    assert_int_equal(block_bytes(block_of(b)), (100 + EA_HEADER + EA_GRANULE - 1) & ~(EA_GRANULE - 1));
    assert_int_equal(block_of(b)->header & TLSF_FLAGS, TLSF_USED);
    ea_tlsf_free(tlsf(), a);
    /* b's header now announces a free block before it, whose footer points at it. */
    assert_int_equal(block_of(b)->header & TLSF_PREV_FREE, TLSF_PREV_FREE);
    assert_ptr_equal(*footer_before(block_of(b)), block_of(a));
    ea_tlsf_free(tlsf(), b);
}

static void tiny_request_against_one_huge_block(void **state)
{
    (void)state;
    /* The deepest bitmap search: the only free block is in the top class. */
    ea_stats_t st;
    backend.stats(heap, &st);
    void *p = ea_tlsf_alloc(tlsf(), 1);
    assert_non_null(p);
    ea_stats_t after;
    backend.stats(heap, &after);
    assert_int_equal(after.free_blocks, 1);
    assert_int_equal(after.used, TLSF_MIN_BLOCK);
    assert_int_equal(after.largest_free, st.largest_free - TLSF_MIN_BLOCK);
    ea_tlsf_free(tlsf(), p);
}

static void free_with_both_neighbours_free(void **state)
{
    (void)state;
    void *a = ea_tlsf_alloc(tlsf(), 200);
    void *b = ea_tlsf_alloc(tlsf(), 300);
    void *c = ea_tlsf_alloc(tlsf(), 400);
    void *wall = ea_tlsf_alloc(tlsf(), 10);
    ea_tlsf_free(tlsf(), a);
    ea_tlsf_free(tlsf(), c);
    ea_stats_t st;
    backend.stats(heap, &st);
    assert_int_equal(st.free_blocks, 3);
    ea_tlsf_free(tlsf(), b); /* merges with both */
    backend.stats(heap, &st);
    assert_int_equal(st.free_blocks, 2);
    assert_true(st.largest_free >= 900);
    ea_tlsf_free(tlsf(), wall);
}

/*
 * Two block footprints of one class, *small below *big, so that a request of
 * *big does not fit a block of *small although both are in its own class.
 */
static void two_sizes_in_one_class(size_t *big, size_t *small)
{
    size_t wide = 8 * EA_GRANULE * EA_TLSF_SL_COUNT; /* classes from here on are 8 granules wide or more */
    size_t at = wide > 2048 ? wide : 2048;
    *big = class_min_size(class_of(at)) + 4 * EA_GRANULE;
    *small = class_min_size(class_of(at)) + EA_GRANULE;
    assert_int_equal(class_of(*big), class_of(*small));
}

static bool class_bit_set(unsigned cls)
{
    return (tlsf()->class_map[map_word(cls)] & map_bit(cls)) != 0;
}

/*
 * blocks free blocks of footprint bytes each (walls between them), the only
 * ones in their class; then the smallest request, which its own class cannot
 * serve, is cut from the head of that list. Checks where the rest goes: in
 * the head's place when it stays in the class (keeps_class), else at the head
 * of its own list, the head's list losing it (and its bit with its last block).
 */
static void split_the_head_of_a_class(size_t footprint, unsigned blocks, bool keeps_class)
{
    enum { MAX_BLOCKS = 2 };
    assert_true(blocks >= 1 && blocks <= MAX_BLOCKS);
    unsigned cls = class_of(footprint);
    assert_true((class_of(footprint - TLSF_MIN_BLOCK) == cls) == keeps_class);
    void *free_blocks[MAX_BLOCKS];
    void *walls[MAX_BLOCKS];
    for (unsigned i = 0; i < blocks; i++) {
        free_blocks[i] = ea_tlsf_alloc(tlsf(), footprint - EA_HEADER - TEST_GUARD);
        walls[i] = ea_tlsf_alloc(tlsf(), 1);
        assert_non_null(free_blocks[i]);
        assert_non_null(walls[i]);
        assert_int_equal(block_bytes(block_of(free_blocks[i])), footprint);
    }
    for (unsigned i = 0; i < blocks; i++) {
        ea_tlsf_free(tlsf(), free_blocks[i]); /* the last one freed heads the list */
    }
    block_t *head = block_of(free_blocks[blocks - 1]);
    block_t *second = blocks > 1 ? block_of(free_blocks[blocks - 2]) : NULL;
    assert_ptr_equal(tlsf()->heads[cls], head);
    assert_null(tlsf()->heads[class_of(TLSF_MIN_BLOCK)]);

    void *p = ea_tlsf_alloc(tlsf(), 1);
    assert_ptr_equal(p, payload_of(head));
    assert_int_equal(block_bytes(head), TLSF_MIN_BLOCK);
    block_t *rest = block_after(head, TLSF_MIN_BLOCK);
    unsigned rest_cls = class_of(footprint - TLSF_MIN_BLOCK);
    assert_int_equal(free_block_bytes(rest), footprint - TLSF_MIN_BLOCK);
    assert_ptr_equal(tlsf()->heads[rest_cls], rest);
    assert_true(prev_link_of(rest) == &tlsf()->heads[rest_cls]);
    assert_true(class_bit_set(rest_cls));
    if (keeps_class) {
        assert_ptr_equal(next_free_of(rest), second); /* in the head's place, before the rest of the list */
        if (second != NULL) {
            assert_true(prev_link_of(second) == &rest->next_free);
        }
    } else {
        assert_null(next_free_of(rest)); /* alone in its list */
        assert_ptr_equal(tlsf()->heads[cls], second);
        if (second != NULL) {
            assert_true(prev_link_of(second) == &tlsf()->heads[cls]);
        }
        assert_int_equal(class_bit_set(cls), second != NULL);
    }
    assert_int_equal(backend.check(heap), EA_OK);
    ea_tlsf_free(tlsf(), p);
    for (unsigned i = 0; i < blocks; i++) {
        ea_tlsf_free(tlsf(), walls[i]);
    }
    assert_int_equal(backend.check(heap), EA_OK);
}

static void split_of_a_lists_head_files_its_rest(void **state)
{
    (void)state;
    size_t big;
    size_t small;
    two_sizes_in_one_class(&big, &small);
    size_t first = class_min_size(class_of(small)); /* the class's first size: any rest falls below the class */
    for (unsigned blocks = 1; blocks <= 2; blocks++) {
        split_the_head_of_a_class(big, blocks, true); /* big's rest after the smallest block keeps big's class */
        split_the_head_of_a_class(first, blocks, false);
    }
}

static void own_class_is_searched_before_rounding_up(void **state)
{
    (void)state;
    /* Two free blocks of one class, the smaller at the list's head: a request
     * larger than the head but within the class is served from the class, not
     * from the big block above. */
    size_t big;
    size_t small;
    two_sizes_in_one_class(&big, &small);
    void *x = ea_tlsf_alloc(tlsf(), big - EA_HEADER);
    void *w1 = ea_tlsf_alloc(tlsf(), 8);
    void *y = ea_tlsf_alloc(tlsf(), small - EA_HEADER);
    void *w2 = ea_tlsf_alloc(tlsf(), 8);
    ea_tlsf_free(tlsf(), x);
    ea_tlsf_free(tlsf(), y); /* y is now the head of the class list */
    void *z = ea_tlsf_alloc(tlsf(), big - EA_HEADER);
#if EA_TLSF_SEARCH_DEPTH >= 2
    assert_ptr_equal(z, x); /* the second block of the class */
#else
    assert_ptr_not_equal(z, x); /* only the head is looked at: rounded up to a larger class */
#endif
    ea_tlsf_free(tlsf(), z);
    ea_tlsf_free(tlsf(), w1);
    ea_tlsf_free(tlsf(), w2);
}

static void own_class_look_stops_after_depth_blocks(void **state)
{
    (void)state;
    /* DEPTH small blocks of one class in front of a large one of the same class (each list takes
     * its newest block first): a request only the large one fits is rounded up to the class above,
     * since the look ends before it. One small block fewer in front and the look reaches it. (The
     * default build unrolls this look up to a depth of 8; deeper looks and small-code builds loop.) */
    enum { BLOCKS = EA_TLSF_SEARCH_DEPTH + 1 };
    size_t big;
    size_t small;
    two_sizes_in_one_class(&big, &small);
    if (BLOCKS * (big + 2 * TLSF_MIN_BLOCK) > arena_size / 2) {
        skip(); /* a depth this heap cannot line up */
    }
    void *blocks[BLOCKS];
    void *walls[BLOCKS];
    for (unsigned i = 0; i < BLOCKS; i++) {
        blocks[i] = ea_tlsf_alloc(tlsf(), (i == 0 ? big : small) - EA_HEADER);
        walls[i] = ea_tlsf_alloc(tlsf(), 8);
        assert_non_null(blocks[i]);
        assert_non_null(walls[i]);
    }
    for (unsigned i = 0; i < BLOCKS; i++) {
        ea_tlsf_free(tlsf(), blocks[i]); /* the large one first: it ends last in the list */
    }
    void *beyond = ea_tlsf_alloc(tlsf(), big - EA_HEADER);
    assert_non_null(beyond);
    assert_ptr_not_equal(beyond, blocks[0]);
    assert_true(class_of(block_bytes(block_of(blocks[0]))) == class_of(big));
    ea_tlsf_free(tlsf(), beyond);
    void *first_small = ea_tlsf_alloc(tlsf(), small - EA_HEADER);
    assert_ptr_equal(first_small, blocks[BLOCKS - 1]); /* the list's head fits and is taken */
    void *reached = ea_tlsf_alloc(tlsf(), big - EA_HEADER);
    assert_ptr_equal(reached, blocks[0]); /* now the DEPTH-th block of the class */
    assert_int_equal(backend.check(heap), EA_OK);
    ea_tlsf_free(tlsf(), reached);
    ea_tlsf_free(tlsf(), first_small);
    for (unsigned i = 0; i < BLOCKS; i++) {
        ea_tlsf_free(tlsf(), walls[i]);
    }
}

/* Whether p lies in the block of bytes bytes whose payload was at payload. */
static bool inside_block(const void *p, const void *payload, size_t bytes)
{
    uintptr_t at = (uintptr_t)p;
    uintptr_t start = (uintptr_t)block_of(payload);
    return at > start && at < start + bytes;
}

static void over_aligned_look_stops_after_one_block(void **state)
{
    (void)state;
    /* An over-aligned search asks for the request's footprint plus room for the worst padding and
     * looks at one block of that sum's class (TLSF_ALIGNED_SEARCH_DEPTH): with a block too small at
     * the head of the class and one that fits behind it, the allocation is cut from the block
     * above; with the small one taken first, the one that fits is the head and is used. */
    _Static_assert(TLSF_ALIGNED_SEARCH_DEPTH == 1, "this test lines up one block in front");
    size_t big;
    size_t small;
    two_sizes_in_one_class(&big, &small);
    size_t align = 2 * EA_GRANULE;
    size_t request = big - (align - EA_GRANULE + TLSF_MIN_BLOCK) - EA_HEADER; /* its search asks for big */
    void *large = ea_tlsf_alloc(tlsf(), big - EA_HEADER);
    void *w1 = ea_tlsf_alloc(tlsf(), 8);
    void *small_block = ea_tlsf_alloc(tlsf(), small - EA_HEADER);
    void *w2 = ea_tlsf_alloc(tlsf(), 8);
    assert_non_null(w2);
    ea_tlsf_free(tlsf(), large);
    ea_tlsf_free(tlsf(), small_block); /* the head of the class; large, which fits, behind it */
    void *above = ea_tlsf_alloc_aligned(tlsf(), align, request);
    assert_non_null(above);
    assert_true(((uintptr_t)above & (align - 1)) == 0);
    assert_false(inside_block(above, large, big)); /* the look ended at the head */
    assert_true((uintptr_t)above > (uintptr_t)w2);
    ea_tlsf_free(tlsf(), above);
    assert_ptr_equal(ea_tlsf_alloc(tlsf(), small - EA_HEADER), small_block);
    void *reached = ea_tlsf_alloc_aligned(tlsf(), align, request);
    assert_non_null(reached);
    assert_true(((uintptr_t)reached & (align - 1)) == 0);
    assert_true(inside_block(reached, large, big));
    assert_int_equal(backend.check(heap), EA_OK);
    ea_tlsf_free(tlsf(), reached);
    ea_tlsf_free(tlsf(), small_block);
    ea_tlsf_free(tlsf(), w1);
    ea_tlsf_free(tlsf(), w2);
}

static void realloc_grows_into_the_free_block_before(void **state)
{
    (void)state;
    void *a = ea_tlsf_alloc(tlsf(), 400);
    unsigned char *b = ea_tlsf_alloc(tlsf(), 100);
    void *wall = ea_tlsf_alloc(tlsf(), 10);
    fill_pattern(b, 100, 21);
    ea_tlsf_free(tlsf(), a);
    size_t used = ea_tlsf_used(tlsf());
    size_t b_bytes = block_bytes(block_of(b)); /* read now: the move overwrites that header */
    ea_stats_t before;
    backend.stats(heap, &before);
    unsigned char *q = ea_tlsf_realloc(tlsf(), b, 300);
    assert_ptr_equal(q, a); /* moved down into the free block before it */
    assert_pattern(q, 100, 21);
    assert_int_equal(ea_tlsf_used(tlsf()), used - b_bytes + block_bytes(block_of(q)));
    assert_int_equal(backend.check(heap), EA_OK);
#if EA_STATS
    /* The whole run claimed while the data moved is not recorded as a peak. */
    ea_stats_t after;
    backend.stats(heap, &after);
    assert_int_equal(after.peak_used, before.peak_used > after.used ? before.peak_used : after.used);
#endif
    ea_tlsf_free(tlsf(), q);
    ea_tlsf_free(tlsf(), wall);
}

/* ---- check() against damage ---------------------------------------------------------- */

static void make_abc(block_t **a, block_t **b, block_t **c)
{
    *a = block_of(ea_tlsf_alloc(tlsf(), 100));
    *b = block_of(ea_tlsf_alloc(tlsf(), 100));
    *c = block_of(ea_tlsf_alloc(tlsf(), 100));
}

static void check_finds_bitmap_disagreements(void **state)
{
    (void)state;
    block_t *a, *b, *c;
    make_abc(&a, &b, &c);
    ea_tlsf_free(tlsf(), payload_of(b));
    unsigned cls = class_of(block_bytes(b));
    unsigned w = map_word(cls);
    ea_tlsf_t saved = *tlsf();
    tlsf()->class_map[w] &= ~map_bit(cls); /* a list with blocks, its bit clear */
    assert_int_equal(ea_tlsf_check(tlsf()), EA_EBITMAP);
    *tlsf() = saved;
    tlsf()->class_map[0] |= map_bit(0); /* class 0 (footprint 0) never holds a block */
    assert_int_equal(ea_tlsf_check(tlsf()), EA_EBITMAP);
    *tlsf() = saved;
    unsigned empty_words = 0; /* a bit of an empty list, in a word with no other bit (the search's next read) */
    for (unsigned e = 0; e < EA_TLSF_MAP_WORDS; e++) {
        if (tlsf()->class_map[e] == 0) {
            tlsf()->class_map[e] |= 1;
            if (EA_TLSF_SUMMARY) {
                *summary_of(tlsf()) |= (size_t)1 << e; /* and its summary bit, as the allocator would set it */
            }
            assert_int_equal(ea_tlsf_check(tlsf()), EA_EBITMAP);
            *tlsf() = saved;
            empty_words++;
        }
    }
    assert_true(empty_words > 0);
    if (EA_TLSF_SUMMARY) {
        *summary_of(tlsf()) &= ~((size_t)1 << w); /* a word with bits, its summary bit clear */
        assert_int_equal(ea_tlsf_check(tlsf()), EA_EBITMAP);
        *tlsf() = saved;
        for (unsigned e = 0; e < EA_TLSF_MAP_WORDS; e++) {
            if (tlsf()->class_map[e] == 0) { /* an empty word, its summary bit set */
                *summary_of(tlsf()) |= (size_t)1 << e;
                assert_int_equal(ea_tlsf_check(tlsf()), EA_EBITMAP);
                *tlsf() = saved;
            }
        }
    }
    assert_int_equal(ea_tlsf_check(tlsf()), EA_OK);
}

static void check_finds_a_block_in_the_wrong_class(void **state)
{
    (void)state;
    block_t *a, *b, *c;
    make_abc(&a, &b, &c);
    ea_tlsf_free(tlsf(), payload_of(b));
    unsigned cls = class_of(block_bytes(b));
    unsigned other = cls + 1;
    /* Move b from its list to the next class's list, bitmaps kept consistent. */
    tlsf()->heads[cls] = NULL;
    tlsf()->heads[other] = b;
    b->prev_link = &tlsf()->heads[other];
    clear_class_bit(tlsf(), cls); /* the bitmaps kept as the allocator keeps them (tlsf_internal.h) */
    set_class_bit(tlsf(), other);
    assert_int_equal(ea_tlsf_check(tlsf()), EA_ECLASS);
}

static void check_finds_broken_neighbour_links(void **state)
{
    (void)state;
    block_t *a, *b, *c;
    make_abc(&a, &b, &c);
    ea_tlsf_free(tlsf(), payload_of(b));
    block_t **footer = footer_before(c);
    block_t *saved = *footer;
    *footer = a; /* the footer names the wrong block */
    assert_int_equal(ea_tlsf_check(tlsf()), EA_ELINK);
    *footer = saved;
    set_header(c, c->header & ~TLSF_PREV_FREE); /* c forgets that b is free */
    assert_int_equal(ea_tlsf_check(tlsf()), EA_ELINK);
    set_header(c, c->header | TLSF_PREV_FREE);
    set_header(a, a->header | TLSF_PREV_FREE); /* the first block claims a predecessor */
    assert_int_equal(ea_tlsf_check(tlsf()), EA_ELINK);
    set_header(a, a->header & ~TLSF_PREV_FREE);
    assert_int_equal(ea_tlsf_check(tlsf()), EA_OK);
}

static void check_finds_a_missed_coalesce(void **state)
{
    (void)state;
    block_t *a, *b, *c;
    make_abc(&a, &b, &c);
    ea_tlsf_free(tlsf(), payload_of(a));
    /* Mark b free by hand, with footer and flags, without merging it into a. */
    size_t size = block_bytes(b);
    set_header(b, size | TLSF_PREV_FREE);
    *footer_before(c) = b;
    set_header(c, c->header | TLSF_PREV_FREE);
    tlsf()->common.used -= size;
    assert_int_equal(ea_tlsf_check(tlsf()), EA_ECOALESCE);
}

static void check_finds_list_damage(void **state)
{
    (void)state;
    block_t *a, *b, *c;
    make_abc(&a, &b, &c);
    ea_tlsf_free(tlsf(), payload_of(b));
    block_t *saved = b->next_free;
    b->next_free = (block_t *)(uintptr_t)0x40; /* would crash if followed */
    assert_int_equal(ea_tlsf_check(tlsf()), EA_EFREELIST);
    b->next_free = b; /* a cycle */
    assert_int_equal(ea_tlsf_check(tlsf()), EA_EFREELIST);
    b->next_free = c; /* a used block */
    assert_int_equal(ea_tlsf_check(tlsf()), EA_EFREELIST);
    b->next_free = saved;
    block_t **saved_link = b->prev_link;
    b->prev_link = &a->next_free; /* a back link that is wrong */
    assert_int_equal(ea_tlsf_check(tlsf()), EA_EFREELIST);
    b->prev_link = saved_link;
    assert_int_equal(ea_tlsf_check(tlsf()), EA_OK);
}

static void check_finds_a_free_block_missing_from_the_lists(void **state)
{
    (void)state;
    block_t *a, *b, *c;
    make_abc(&a, &b, &c);
    ea_tlsf_free(tlsf(), payload_of(b));
    unsigned cls = class_of(block_bytes(b));
    tlsf()->heads[cls] = b->next_free; /* unlinked, still marked free */
    if (b->next_free != NULL) {
        b->next_free->prev_link = &tlsf()->heads[cls];
    } else {
        clear_class_bit(tlsf(), cls);
    }
    assert_int_equal(ea_tlsf_check(tlsf()), EA_EFREELIST);
}

static void check_finds_bad_sizes_markers_and_counters(void **state)
{
    (void)state;
    block_t *a, *b, *c;
    make_abc(&a, &b, &c);
    size_t good = b->header;
    set_header(b, good + EA_GRANULE / 2); /* off the granule */
    assert_int_equal(ea_tlsf_check(tlsf()), EA_EBLOCK);
    set_header(b, TLSF_USED); /* size 0 */
    assert_int_equal(ea_tlsf_check(tlsf()), EA_EBLOCK);
    set_header(b, good);
    region_t *r = tlsf()->common.regions;
    block_t *marker = block_at(r->end);
    size_t marker_header = marker->header;
    set_header(marker, marker_header & ~TLSF_USED); /* the end marker looks free */
    assert_int_equal(ea_tlsf_check(tlsf()), EA_EBLOCK);
    set_header(marker, marker_header);
    tlsf()->common.used += EA_GRANULE;
    assert_int_equal(ea_tlsf_check(tlsf()), EA_ECOUNT);
    tlsf()->common.used -= EA_GRANULE;
    uintptr_t end = r->end;
    r->end = end - EA_WORD;
    assert_int_equal(ea_tlsf_check(tlsf()), EA_EREGION);
    r->end = end;
    assert_int_equal(ea_tlsf_check(tlsf()), EA_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_block_size_maps_into_its_class),
        cmocka_unit_test(every_class_boundary_round_trips),
        cmocka_unit_test(small_classes_are_one_granule_apart),
        cmocka_unit_test(class_bits_name_each_class_of_a_word_in_order),
        cmocka_unit_test(control_block_is_bitmaps_and_heads),
        cmocka_unit_test_setup_teardown(starts_on_a_two_kib_region, setup_empty_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(one_word_header_exact_split, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(tiny_request_against_one_huge_block, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(split_of_a_lists_head_files_its_rest, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(free_with_both_neighbours_free, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(own_class_is_searched_before_rounding_up, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(own_class_look_stops_after_depth_blocks, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(over_aligned_look_stops_after_one_block, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(realloc_grows_into_the_free_block_before, setup_heap, teardown_heap),
        cmocka_unit_test_setup_teardown(check_finds_bitmap_disagreements, setup_heap, teardown_heap),
        cmocka_unit_test_setup(check_finds_a_block_in_the_wrong_class, setup_heap),
        cmocka_unit_test_setup_teardown(check_finds_broken_neighbour_links, setup_heap, teardown_heap),
        cmocka_unit_test_setup(check_finds_a_missed_coalesce, setup_heap),
        cmocka_unit_test_setup_teardown(check_finds_list_damage, setup_heap, teardown_heap),
        cmocka_unit_test_setup(check_finds_a_free_block_missing_from_the_lists, setup_heap),
        cmocka_unit_test_setup_teardown(check_finds_bad_sizes_markers_and_counters, setup_heap, teardown_heap),
    };
    return cmocka_run_group_tests_name("tlsf layout", tests, NULL, NULL);
}
