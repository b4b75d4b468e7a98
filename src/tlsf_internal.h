/*
 * Internal: the tlsf block layout and size mapping, shared by tlsf.c,
 * tlsf_inspect.c and the tests that damage a heap on purpose.
 *
 *   allocated block                      free block
 *   +---------------------------+ <-b    +---------------------------+ <-b
 *   | size | PREV_FREE | USED=1 |        | size | PREV_FREE=0 | 0    |
 *   +---------------------------+        +---------------------------+
 *   | caller's bytes            |        | next free (same class)    |
 *   |                           |        | prev free (same class)    |
 *   |                           |        | ...                       |
 *   |                           |        | footer: b (its own start) |
 *   +---------------------------+        +---------------------------+
 *
 * One word of header; the link to the physically previous block exists only
 * while that block is free, as its footer (the word just below a header),
 * announced by PREV_FREE. Each region ends in a marker header (size 0, USED)
 * so the last block's neighbour can always be read. A free block's back link
 * is the address of the word that points to it: its list's head, or the
 * next_free of the block before it in the list — so it can be unlinked
 * without knowing its class or whether it is first.
 */
#ifndef EALLOC_TLSF_INTERNAL_H
#define EALLOC_TLSF_INTERNAL_H

#include "bitscan.h"
#include "ealloc/tlsf.h"
#include "heap_common.h"

typedef struct ea_tlsf_block {
    size_t header; /* footprint | TLSF_PREV_FREE | TLSF_USED */
#if EA_HARDENED
    size_t check; /* check_value(block, header) */
#endif
    struct ea_tlsf_block *next_free;  /* free blocks only */
    struct ea_tlsf_block **prev_link; /* free blocks only: the word that points here (a list head or a next_free) */
} block_t;

#define TLSF_USED EA_HEADER_USED
#define TLSF_PREV_FREE ((size_t)2)
#define TLSF_FLAGS (TLSF_USED | TLSF_PREV_FREE)

/* Header, two links and the footer, on the granule. */
#define TLSF_MIN_BLOCK ((EA_HEADER + 3 * EA_WORD + EA_GRANULE - 1) & ~(EA_GRANULE - 1))

/* The largest block: the last granule multiple below 2^EA_TLSF_MAX_BLOCK_LOG2. */
#define TLSF_MAX_BLOCK (((size_t)1 << (EA_TLSF_MAX_BLOCK_LOG2)) - EA_GRANULE)

/* A free block's own words: header (and check word) and two links; its footer is its last word. */
#define TLSF_FREE_META (EA_HEADER + 2 * EA_WORD)

/* Bytes after a region's last block: the end marker's header (and check word). */
#define TLSF_TAIL EA_HEADER

#define TLSF_CLASSES (EA_TLSF_FL_COUNT * EA_TLSF_SL_COUNT)

/*
 * How many blocks of its own class an over-aligned search looks at (plain
 * ones look at EA_TLSF_SEARCH_DEPTH). It asks for room for the worst padding,
 * so the blocks of its own class seldom fit; each further look only lengthens
 * the calls that end above it. On the shared traces one look serves them as
 * four did: the same fill at every failure, peak use within 24 bytes, alloc's
 * worst case on Cortex-M4 146 -> 141 and the constructed one 163 -> 149
 * (docs/tlsf-speed-log.md, "One look for over-aligned requests").
 */
#define TLSF_ALIGNED_SEARCH_DEPTH 1u
_Static_assert(TLSF_ALIGNED_SEARCH_DEPTH <= (EA_TLSF_SEARCH_DEPTH), "over-aligned searches look at no more blocks");

/* The bytes of all list heads, and of one: a back link into the heads is a class times this from their start. */
#define TLSF_HEADS_BYTES (sizeof(((ea_tlsf_t *)NULL)->heads))
#define TLSF_HEAD_BYTES (TLSF_HEADS_BYTES / ((size_t)EA_TLSF_FL_COUNT * EA_TLSF_SL_COUNT))

static inline size_t block_bytes(const block_t *b)
{
    return b->header & ~TLSF_FLAGS;
}

/*
 * The size of a free block, read straight from its header: a free block's
 * USED is clear, and so is its PREV_FREE, since the block before a free
 * block is never free (check() verifies both).
 */
static inline size_t free_block_bytes(const block_t *b)
{
    return b->header;
}

static inline block_t *block_at(uintptr_t addr)
{
    return (block_t *)addr;
}

static inline block_t *block_after(const block_t *b, size_t size)
{
    return block_at((uintptr_t)b + size);
}

static inline void *payload_of(block_t *b)
{
    return (unsigned char *)b + EA_HEADER;
}

static inline block_t *block_of(const void *payload)
{
    return block_at((uintptr_t)payload - EA_HEADER);
}

/* The footer of the free block that ends where b starts. */
static inline block_t **footer_before(const block_t *b)
{
    return (block_t **)((uintptr_t)b - EA_WORD);
}

/*
 * A free block's words past its header (the two links, the footer) are the
 * heap's, but a checker (EA_ASAN, EA_VALGRIND) keeps them closed between the
 * heap's uses, as the rest of the block: a program that reads a block it freed,
 * first bytes included (p = p->next after free(p)), is reported. The heap reads
 * and writes them through these, which open them for the one access; other
 * builds get the plain access (the hooks are nothing there).
 */
#define LINKS_OPEN(b) SHADOW_OPEN((uintptr_t)(b) + EA_HEADER, (uintptr_t)(b) + TLSF_FREE_META)
#define LINKS_CLOSE(b) SHADOW_CLOSE((uintptr_t)(b) + EA_HEADER, (uintptr_t)(b) + TLSF_FREE_META)

/*
 * A footer closes with the rest of its 8-byte granule: ASan cannot close the
 * last 4 bytes of a granule alone, and the bytes a 4-byte footer shares one
 * with are the free block's own inside (or its back link), closed anyway.
 */
#define TLSF_FOOTER_CLOSE 8u
_Static_assert(TLSF_MIN_BLOCK - EA_HEADER >= TLSF_FOOTER_CLOSE, "closing a footer never reaches a header");

EA_ALWAYS_INLINE static inline block_t *next_free_of(const block_t *b)
{
    LINKS_OPEN(b);
    block_t *next = b->next_free;
    LINKS_CLOSE(b);
    return next;
}

EA_ALWAYS_INLINE static inline block_t **prev_link_of(const block_t *b)
{
    LINKS_OPEN(b);
    block_t **link = b->prev_link;
    LINKS_CLOSE(b);
    return link;
}

EA_ALWAYS_INLINE static inline void set_next_free(block_t *b, block_t *next)
{
    LINKS_OPEN(b);
    b->next_free = next;
    LINKS_CLOSE(b);
}

EA_ALWAYS_INLINE static inline void set_links(block_t *b, block_t *next, block_t **link)
{
    LINKS_OPEN(b);
    b->next_free = next;
    b->prev_link = link;
    LINKS_CLOSE(b);
}

EA_ALWAYS_INLINE static inline void set_prev_link(block_t *b, block_t **link)
{
    LINKS_OPEN(b);
    b->prev_link = link;
    LINKS_CLOSE(b);
}

/* The free block whose next_free is the word at link (a back link that is not a list head). */
static inline block_t *block_of_link(block_t *const *link)
{
    return block_at((uintptr_t)link - offsetof(block_t, next_free));
}

/* The free block that ends where b starts, read from its footer. */
EA_ALWAYS_INLINE static inline block_t *free_block_before(const block_t *b)
{
    SHADOW_OPEN(footer_before(b), b);
    block_t *prev = *footer_before(b);
    SHADOW_CLOSE((uintptr_t)b - TLSF_FOOTER_CLOSE, b);
    return prev;
}

/*
 * The class of a block of size bytes, as one flat index: first level
 * index * SL_COUNT + second level index. Sizes below 2^(SMALL_LOG2 + 1) are
 * in linear classes one granule apart; above, each power of two [2^f, 2^(f+1))
 * is cut into SL_COUNT classes. One bit scan, no branch — except on cores
 * without a scan instruction (EA_BITSCAN_SOFT), where a scan is a call of
 * 7 to 25 instructions and the linear classes, which most requests and many
 * freed blocks fall in, are worth a branch around it (tlsf-speed-log.md,
 * "The linear classes without a scan").
 */
EA_ALWAYS_INLINE static inline unsigned class_of(size_t size)
{
#if EA_BITSCAN_SOFT
    if (size < ((size_t)1 << (EA_TLSF_SMALL_LOG2 + 1))) {
        return (unsigned)(size >> (EA_TLSF_SMALL_LOG2 - EA_TLSF_SL_LOG2));
    }
#endif
    unsigned f = fls_size(size | ((size_t)1 << EA_TLSF_SMALL_LOG2));
    return ((f - EA_TLSF_SMALL_LOG2) << EA_TLSF_SL_LOG2) + (unsigned)(size >> (f - EA_TLSF_SL_LOG2));
}

/*
 * The summary word, after the words of class bits at map (EA_TLSF_SUMMARY,
 * tlsf.h). Without one this names the last word of class bits instead, so
 * that it stays in bounds; every use is under EA_TLSF_SUMMARY.
 */
EA_ALWAYS_INLINE static inline size_t *summary_in(size_t *map)
{
    return &map[EA_TLSF_MAP_WORDS + EA_TLSF_SUMMARY - 1];
}

static inline size_t *summary_of(ea_tlsf_t *h)
{
    return summary_in(h->class_map);
}

static inline size_t summary_bits(const ea_tlsf_t *h)
{
    return h->class_map[EA_TLSF_MAP_WORDS + EA_TLSF_SUMMARY - 1];
}

/*
 * The order of the classes in a word of class bits. On Arm cores with CLZ
 * the word's first class is its top bit: the smallest non-empty class above
 * a request is then one count of leading zeros, where the lowest set bit
 * takes a bit reversal first (RBIT), and a class's bit is the top bit
 * rotated (map_bit): on the Cortex-M4 up to 2 instructions less per alloc
 * and 1 per free (tlsf-speed-log.md, "The first class in the top bit").
 * x86 finds either end in one instruction and takes this order too, so the
 * host tests run the order of the Cortex-M3 and up. Elsewhere the first
 * class is bit 0: cores without a scan instruction (EA_BITSCAN_SOFT) find
 * a lowest bit faster than a highest, RISC-V with Zbb counts trailing
 * zeros in one instruction and builds the top bit in two (+1 there), and
 * the bit-band alias numbers a word's bits from the lowest.
 */
#if !(EA_BITSCAN_SOFT) && !(EA_TLSF_BITBAND) && !defined(__riscv)
#define TLSF_FIRST_CLASS_HIGH 1
#else
#define TLSF_FIRST_CLASS_HIGH 0
#endif
#define TLSF_TOP_BIT ((size_t)1 << (EA_TLSF_MAP_BITS - 1))

/* Where a class's "list not empty" bit lives: the word of class_map, and the bit in it. */
static inline unsigned map_word(unsigned cls)
{
    return cls / (unsigned)EA_TLSF_MAP_BITS;
}

/* The bit of a word's i-th class, counted from its first (i < EA_TLSF_MAP_BITS). */
EA_ALWAYS_INLINE static inline size_t bit_in_word(unsigned i)
{
    return TLSF_FIRST_CLASS_HIGH ? TLSF_TOP_BIT >> i : (size_t)1 << i;
}

/*
 * The bit of class cls in its word. Thumb-2 rotates by a register modulo 32,
 * so the top bit rotated right by cls is that bit without cls % 32 computed
 * first (GCC keeps the AND for a rotate written in C).
 */
EA_ALWAYS_INLINE static inline size_t map_bit(unsigned cls)
{
#if defined(__GNUC__) && defined(__thumb2__)
    if (TLSF_FIRST_CLASS_HIGH) {
        size_t bit = TLSF_TOP_BIT;
        __asm__("ror %0, %0, %1" : "+r"(bit) : "r"(cls));
        return bit;
    }
#endif
    return bit_in_word(cls % EA_TLSF_MAP_BITS);
}

/* The bits of the classes after a word's i-th class. */
EA_ALWAYS_INLINE static inline size_t bits_after_in_word(unsigned i)
{
    return TLSF_FIRST_CLASS_HIGH ? (SIZE_MAX >> 1) >> i : ~(size_t)1 << i;
}

/* How many classes from its word's first the first class with a bit in word lies (word != 0). */
EA_ALWAYS_INLINE static inline unsigned first_in_word(size_t word)
{
    return TLSF_FIRST_CLASS_HIGH ? (unsigned)(EA_TLSF_MAP_BITS - 1) - fls_size(word) : ffs_size(word);
}

/* How many classes from its word's first the last class with a bit in word lies (word != 0). */
static inline unsigned last_in_word(size_t word)
{
    return TLSF_FIRST_CLASS_HIGH ? (unsigned)(EA_TLSF_MAP_BITS - 1) - ffs_size(word) : fls_size(word);
}

/*
 * The bit upkeep, on the words of class bits at map (h->class_map; the hot
 * paths pass that address held in a register, HOLD_BASE in tlsf.c).
 */

/*
 * EA_TLSF_BITBAND (config.h): the ARMv7-M SRAM bit-band region, the MiB from
 * 0x20000000, has an alias from 0x22000000 with one word per bit: a store of
 * 1 or 0 to the word of bit b of the word at w sets or clears that bit alone.
 * The alias word of bit b at w lies at 0x22000000 + (w - 0x20000000) * 32 +
 * b * 4; since 0x20000000 * 32 wraps to 0 in 32 bits, that is (w << 5) +
 * 0x22000000 + b * 4 — and the bits of consecutive words of class bits follow
 * each other, so class c's word is the c-th from the first word's alias.
 * init keeps the heap out of any other place (tlsf_bitband_reachable).
 */
#define TLSF_BITBAND_SRAM ((uintptr_t)0x20000000u)
#define TLSF_BITBAND_SRAM_BYTES ((uintptr_t)0x100000u)
#define TLSF_BITBAND_ALIAS ((uintptr_t)0x22000000u)

#if EA_TLSF_BITBAND
_Static_assert(sizeof(size_t) == 4 && sizeof(block_t *) == 4, "EA_TLSF_BITBAND: 32-bit words and list heads");

/* The alias word of bit 0 of the word at word; bit b's is b words further. */
EA_ALWAYS_INLINE static inline volatile uint32_t *bitband_alias(const size_t *word)
{
    return (volatile uint32_t *)(((uintptr_t)word << 5) + TLSF_BITBAND_ALIAS);
}
#endif

/* Whether all the class bits of h (the summary too) lie in the bit-band SRAM. */
static inline bool tlsf_bitband_reachable(const ea_tlsf_t *h)
{
    /* One unsigned compare: an address below the region wraps to a large offset. */
    return (uintptr_t)h->class_map - TLSF_BITBAND_SRAM <= TLSF_BITBAND_SRAM_BYTES - sizeof h->class_map;
}

/* List cls has just filled: set its bit, and with a summary its word's bit. */
EA_ALWAYS_INLINE static inline void set_map_class_bit(size_t *map, unsigned cls)
{
#if EA_TLSF_BITBAND
    bitband_alias(map)[cls] = 1;
    if (EA_TLSF_SUMMARY) {
        bitband_alias(summary_in(map))[map_word(cls)] = 1;
    }
    return;
#endif
    map[map_word(cls)] |= map_bit(cls);
    if (EA_TLSF_SUMMARY) {
        *summary_in(map) |= (size_t)1 << map_word(cls);
    }
}

/* Clear the bits mask of word w, and with a summary the word's bit when the word empties. */
EA_ALWAYS_INLINE static inline void clear_in_word(size_t *map, unsigned w, size_t mask)
{
    map[w] &= ~mask;
    if (EA_TLSF_SUMMARY && map[w] == 0) {
        *summary_in(map) &= ~((size_t)1 << w);
    }
}

/*
 * Bit `bit` of word w stands for a list that has just emptied: clear it,
 * and with a summary the word's bit when the word empties too. (The bit
 * search has w and bit at hand; other callers go through clear_map_class_bit.)
 */
EA_ALWAYS_INLINE static inline void clear_map_bit(size_t *map, unsigned w, unsigned bit)
{
#if EA_TLSF_BITBAND
    bitband_alias(map)[w * EA_TLSF_MAP_BITS + bit] = 0;
    /* Read back as volatile: the compiler must not take the word from before the store through the alias. */
    if (EA_TLSF_SUMMARY && ((volatile size_t *)map)[w] == 0) {
        bitband_alias(summary_in(map))[w] = 0;
    }
    return;
#endif
    clear_in_word(map, w, bit_in_word(bit));
}

/*
 * List cls has just emptied: clear its bit — found from the class itself
 * (map_bit: on Thumb-2 no cls % 32 first), or through the bit-band alias
 * (clear_map_bit).
 */
EA_ALWAYS_INLINE static inline void clear_map_class_bit(size_t *map, unsigned cls)
{
    if (EA_TLSF_BITBAND) {
        clear_map_bit(map, map_word(cls), cls % EA_TLSF_MAP_BITS);
    } else {
        clear_in_word(map, map_word(cls), map_bit(cls));
    }
}

/*
 * The list whose head lies at byte offset at from the first head has just
 * emptied (list_remove finds it so). Through the bit-band alias, with no
 * summary to keep, that offset is already the offset of the class's alias
 * word (a word per head, a word per bit): one store.
 */
EA_ALWAYS_INLINE static inline void clear_head_bit(size_t *map, size_t at)
{
#if EA_TLSF_BITBAND
    if (!EA_TLSF_SUMMARY) {
        *(volatile uint32_t *)((uintptr_t)bitband_alias(map) + at) = 0;
        return;
    }
#endif
    clear_map_class_bit(map, (unsigned)(at / TLSF_HEAD_BYTES));
}

/* The same on a heap (the tests that damage heaps keep the bits as the allocator does). */
EA_ALWAYS_INLINE static inline void set_class_bit(ea_tlsf_t *h, unsigned cls)
{
    set_map_class_bit(h->class_map, cls);
}

EA_ALWAYS_INLINE static inline void clear_class_bit(ea_tlsf_t *h, unsigned cls)
{
    clear_map_class_bit(h->class_map, cls);
}

/* The highest class whose list holds blocks: the last bit of the last non-zero word; TLSF_CLASSES when none. */
static inline unsigned highest_class(const ea_tlsf_t *h)
{
    for (unsigned w = EA_TLSF_MAP_WORDS; w-- > 0;) {
        if (h->class_map[w] != 0) {
            return (unsigned)(w * EA_TLSF_MAP_BITS) + last_in_word(h->class_map[w]);
        }
    }
    return TLSF_CLASSES;
}

/* The smallest block size of a class (the inverse of class_of at class starts). */
static inline size_t class_min_size(unsigned cls)
{
    unsigned fl = cls >> EA_TLSF_SL_LOG2;
    size_t sl = cls & (EA_TLSF_SL_COUNT - 1);
    if (fl == 0) {
        return sl << EA_GRANULE_LOG2;
    }
    return (EA_TLSF_SL_COUNT + sl) << (fl - 1 + EA_GRANULE_LOG2);
}

#if EA_TRACE
/* The public calls under the names an EA_TRACE build compiles them with (heap_common.h, EA_UNTRACED). */
void EA_UNTRACED(ea_tlsf_init)(ea_tlsf_t *h, void *start, size_t size);
bool EA_UNTRACED(ea_tlsf_add_region)(ea_tlsf_t *h, void *start, size_t size);
void *EA_UNTRACED(ea_tlsf_alloc)(ea_tlsf_t *h, size_t size);
void *EA_UNTRACED(ea_tlsf_alloc_aligned)(ea_tlsf_t *h, size_t align, size_t size);
void *EA_UNTRACED(ea_tlsf_calloc)(ea_tlsf_t *h, size_t n, size_t size);
void *EA_UNTRACED(ea_tlsf_realloc)(ea_tlsf_t *h, void *p, size_t size);
void *EA_UNTRACED(ea_tlsf_realloc_aligned)(ea_tlsf_t *h, void *p, size_t align, size_t size);
void EA_UNTRACED(ea_tlsf_free)(ea_tlsf_t *h, void *p);
#endif

#endif /* EALLOC_TLSF_INTERNAL_H */
