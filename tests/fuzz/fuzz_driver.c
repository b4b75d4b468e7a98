/*
 * The libFuzzer driver shared by every harness (fuzz_<kind>.c): it reads an
 * input as a program of heap operations and runs it against a shadow model.
 *
 * Input: three bytes of set-up (where the first region starts in its buffer
 * and how long it is), then operations, one byte each for the kind and a few
 * more for its arguments (slot, size, alignment, count, slice); a read past
 * the end gives zeros, so every input is a valid program. Each input starts
 * from a fresh heap over freshly filled buffers, so a crash replays from its
 * input alone.
 *
 * Operations: alloc, aligned alloc (alignment 1..4096, larger powers of two,
 * and values that are not powers of two), calloc (counts that overflow
 * n * size included), realloc, realloc_aligned, free, add_region of a slice of
 * a second buffer (and of NULL, size 0, a wrapping range, a slice of the
 * first region), usable_size, stats with a walk and a largest_free probe,
 * the allocator handle, and rewriting a block's bytes.
 *
 * The model holds every live block: where it is, what was asked for, its
 * usable size and the seed of the pattern that fills all its usable bytes.
 * After every operation: check() is 0; used() equals the sum of the live
 * blocks' footprints (usable size + header) and used + free_bytes the
 * capacity; every critical section was left; every live block still holds
 * its pattern. Every new block is aligned as asked, at least as large as
 * asked, inside a region handed to the heap, and overlaps no live block
 * (headers included). A realloc keeps the bytes it must keep; one that fails
 * leaves the block untouched; a shrink with the default alignment stays in
 * place. A failed plain allocation is one that really cannot fit
 * (largest_free is below it), and the out-of-memory hook runs exactly once
 * for it. A failure aborts with a message naming the operation, and
 * libFuzzer keeps the input.
 *
 * -DFUZZ_BROKEN=<n> builds a negative control: the back-end's table is
 * wrapped so that it misbehaves in one way (see broken_* below), which the
 * model must catch.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "ea_port.h" /* the counting port: section depth and misnesting */
#include "fuzz_driver.h"
#include "test_tape.h"
#if EA_ASAN
#include <sanitizer/asan_interface.h>
#elif EA_VALGRIND
#include <valgrind/memcheck.h>
#endif

#define SLOTS 32
#define ARENA_BYTES (16 * 1024)
#define SECOND_BYTES (16 * 1024)
#define MAX_OPS 2000
#define MAX_REGIONS 512
#define MAX_WALK 8192

static _Alignas(4096) unsigned char arena_storage[ARENA_BYTES + 64];
static _Alignas(4096) unsigned char second_storage[SECOND_BYTES];

typedef struct {
    unsigned char *p; /* NULL: the slot is empty */
    size_t asked;     /* bytes asked for */
    size_t align;     /* alignment asked for (what realloc_aligned keeps) */
    size_t usable;    /* usable_size when it was taken */
    uint32_t seed;    /* of the pattern over all usable bytes */
} slot_t;

typedef struct {
    uintptr_t lo, hi; /* a range handed to the heap: [lo, hi) */
} range_t;


static struct {
    const backend_t *be;
    void *heap;
    slot_t slot[SLOTS];
    range_t region[MAX_REGIONS];
    size_t regions;
    size_t handed;     /* bytes handed over, over all regions */
    size_t capacity;   /* as stats reported after init and each add_region */
    size_t used;       /* sum of the live blocks' footprints */
    size_t peak;       /* the largest used seen between operations */
    size_t live;       /* live blocks */
    size_t failed_min; /* requests that must have counted as failed */
    size_t failed_max; /* ... and those that may have */
    unsigned long oom_calls;
    unsigned long op;
    const char *op_name;
    uint32_t next_seed;
    fuzz_block_t walk[MAX_WALK];
    size_t walked;
    fuzz_block_t before[MAX_WALK];
    size_t before_count;
} m;

/* ---- failure -------------------------------------------------------------------- */

static void fuzz_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)fprintf(stderr, "ealloc fuzz (%s): op %lu (%s): ", m.be->name, m.op, m.op_name);
    (void)vfprintf(stderr, fmt, ap);
    (void)fputc('\n', stderr);
    va_end(ap);
    abort();
}

#define EXPECT(cond, ...)                                                                                    \
    do {                                                                                                     \
        if (!(cond)) {                                                                                       \
            fuzz_fail(__VA_ARGS__);                                                                          \
        }                                                                                                    \
    } while (0)

/* With FUZZ_TRACE set in the environment, every call is printed: for replaying a crash by hand. */
static int tracing = -1;

static void trace(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void trace(const char *fmt, ...)
{
    if (tracing < 0) {
        tracing = getenv("FUZZ_TRACE") != NULL;
    }
    if (tracing != 0) {
        va_list ap;
        va_start(ap, fmt);
        (void)fprintf(stderr, "op %lu: ", m.op);
        (void)vfprintf(stderr, fmt, ap);
        (void)fputc('\n', stderr);
        va_end(ap);
    }
}

/* No operation the driver makes is a misuse: a panic is a bug. */
void ea_panic(ea_fault_t why, const char *detail)
{
    fuzz_fail("unexpected ea_panic(%d, %s)", (int)why, detail != NULL ? detail : "");
}

void ea_oom_hook(void *h, size_t size, size_t align)
{
    (void)size;
    (void)align;
    EXPECT(h == m.heap, "ea_oom_hook got heap %p, not %p", h, m.heap);
    m.oom_calls++;
}

/* ---- reading the input ------------------------------------------------------------ */

typedef struct {
    const uint8_t *p;
    size_t n;
} input_t;

static uint8_t u8(input_t *in)
{
    if (in->n == 0) {
        return 0;
    }
    in->n--;
    return *in->p++;
}

static uint16_t u16(input_t *in)
{
    uint16_t lo = u8(in);
    return (uint16_t)(lo | (uint16_t)(u8(in) << 8));
}

/* Sizes: mostly small, some up to and past the arena, block-boundary values, and values near SIZE_MAX. */
static size_t draw_size(input_t *in)
{
    static const size_t huge[] = {
        SIZE_MAX,         SIZE_MAX - 1,         SIZE_MAX - 7,          SIZE_MAX - 8,      SIZE_MAX - 15,
        SIZE_MAX - 16,    SIZE_MAX - 64,        SIZE_MAX / 2,          SIZE_MAX / 2 + 1,  PTRDIFF_MAX,
        (size_t)1 << 31,  ((size_t)1 << 31) - 8, (SIZE_MAX >> 24) + 1, (SIZE_MAX >> 24) - 8, SIZE_MAX >> 1 >> 8,
        SIZE_MAX - 4096,
    };
    uint8_t k = u8(in);
    switch (k >> 5) {
    case 0:
    case 1:
        return k & 31u;
    case 2:
        return u8(in);
    case 3:
        return u16(in) % 2048u;
    case 4:
        return u16(in) % (ARENA_BYTES + 2048u);
    case 5: {
        /* Around a block boundary: n granules less the header, give or take a byte. */
        size_t n = 1 + u8(in) % 64u;
        size_t at = n * m.be->granule - m.be->header;
        return at + (k & 3u) - 1u;
    }
    case 6:
        return huge[k & 15u];
    default:
        return (size_t)u8(in) * 64u;
    }
}

/* Alignments: 1..4096 mostly, larger powers of two, and values that are not powers of two. */
static size_t draw_align(input_t *in)
{
    static const size_t odd[] = {0, 3, 24, 48, 4097, 6144, SIZE_MAX, SIZE_MAX / 2};
    uint8_t k = u8(in);
    if (k < 208) {
        return (size_t)1 << (k % 13u);
    }
    if (k < 240) {
        return (size_t)1 << (13 + k % (sizeof(size_t) * 8 - 13)); /* 8 KiB .. the top bit */
    }
    return odd[k & 7u];
}

/* calloc counts: small, and those that make n * size overflow. */
static size_t draw_count(input_t *in)
{
    uint8_t k = u8(in);
    if (k < 200) {
        return k % 17u;
    }
    if (k < 230) {
        return (size_t)1 << (k % (sizeof(size_t) * 8));
    }
    return SIZE_MAX - (k & 7u);
}

static bool is_pow2(size_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

/* ---- walks ------------------------------------------------------------------------- */

size_t fuzz_walk_find_used(const fuzz_walk_t *w, uintptr_t addr)
{
    size_t i = 0;
    while (i < w->count && w->blocks[i].addr != addr) {
        i++;
    }
    return i < w->count && w->blocks[i].used ? i : w->count;
}

size_t fuzz_walk_free_after(const fuzz_walk_t *w, size_t i)
{
    const fuzz_block_t *b = &w->blocks[i];
    bool next_free = i + 1 < w->count && !b[1].used && b[1].addr == b->addr + b->size;
    return next_free ? b[1].size : 0;
}

/* ---- patterns ----------------------------------------------------------------------- */

/* A block's pattern is a window of one random tape (test_tape.h). */
#define TAPE_OFFSETS 16384
static unsigned char tape[ARENA_BYTES + 64 + SECOND_BYTES + TAPE_OFFSETS];

static const unsigned char *pattern(uint32_t seed)
{
    return tape + tape_offset(seed, TAPE_OFFSETS);
}

static void fill(unsigned char *p, size_t n, uint32_t seed)
{
    memcpy(p, pattern(seed), n);
}

/* The offset of the first byte of [p, p + n) that breaks the pattern, or SIZE_MAX. */
static size_t first_difference(const unsigned char *p, size_t n, uint32_t seed)
{
    const unsigned char *want = pattern(seed);
    if (memcmp(p, want, n) == 0) {
        return SIZE_MAX;
    }
    size_t i = 0;
    while (p[i] == want[i]) {
        i++;
    }
    return i;
}

static void verify_slot(const slot_t *s, size_t n, const char *what)
{
    size_t at = first_difference(s->p, n, s->seed);
    EXPECT(at == SIZE_MAX, "%s: block %p (asked %zu, usable %zu) changed at byte %zu", what, (void *)s->p,
           s->asked, s->usable, at);
}

/* ---- the model ---------------------------------------------------------------------- */

static size_t footprint(size_t usable)
{
    return usable + m.be->header + TEST_GUARD;
}

size_t fuzz_granule(void)
{
    return m.be->granule;
}

size_t fuzz_header(void)
{
    return m.be->header;
}

size_t fuzz_min_block(void)
{
    return m.be->min_block;
}

size_t fuzz_block_need(size_t size)
{
    size_t g = m.be->granule;
    if (size > SIZE_MAX - m.be->header - TEST_GUARD - (g - 1)) {
        return 0;
    }
    size_t need = (size + m.be->header + TEST_GUARD + g - 1) & ~(g - 1);
    return need < m.be->min_block ? m.be->min_block : need;
}

static void collect_block(void *ctx, void *addr, size_t size, bool used)
{
    fuzz_block_t *into = ctx;
    size_t *count = into == m.walk ? &m.walked : &m.before_count;
    EXPECT(*count < MAX_WALK, "walk: more than %d blocks", MAX_WALK);
    into[*count].addr = (uintptr_t)addr;
    into[*count].size = size;
    into[*count].used = used;
    (*count)++;
}

/* The heap as it is before a call whose placement the harness checks. */
static void snapshot(void)
{
    m.before_count = 0;
    m.be->walk(m.heap, collect_block, m.before);
}

static void expect_placement(const char *problem)
{
    EXPECT(problem == NULL, "placement: %s", problem);
}

static void expect_alloc_placement(size_t size, size_t align, const unsigned char *p)
{
    fuzz_walk_t before = {m.before, m.before_count};
    expect_placement(fuzz_expect_alloc(&before, fuzz_block_need(size), align, (uintptr_t)p - m.be->header));
}

static bool inside_a_region(uintptr_t lo, uintptr_t hi)
{
    for (size_t i = 0; i < m.regions; i++) {
        if (lo >= m.region[i].lo && hi <= m.region[i].hi) {
            return true;
        }
    }
    return false;
}

/* A new block p from an allocation of asked bytes aligned to align: check it and put it in slot s. */
static void take(slot_t *s, unsigned char *p, size_t asked, size_t align)
{
    EXPECT(s->p == NULL, "model: slot busy");
    EXPECT(((uintptr_t)p & (align - 1)) == 0, "block %p is not aligned to %zu", (void *)p, align);
    size_t usable = m.be->usable_size(m.heap, p);
    EXPECT(usable >= asked, "block %p: usable %zu < asked %zu", (void *)p, usable, asked);
    uintptr_t lo = (uintptr_t)p - m.be->header;
    uintptr_t hi = (uintptr_t)p + usable;
    EXPECT(inside_a_region(lo, hi), "block %p (%zu usable) lies outside every region", (void *)p, usable);
    for (size_t i = 0; i < SLOTS; i++) {
        const slot_t *o = &m.slot[i];
        if (o->p != NULL && lo < (uintptr_t)o->p + o->usable && (uintptr_t)o->p - m.be->header < hi) {
            fuzz_fail("block %p (%zu usable) overlaps live block %p (%zu usable)", (void *)p, usable,
                      (void *)o->p, o->usable);
        }
    }
    s->p = p;
    s->asked = asked;
    s->align = align;
    s->usable = usable;
    s->seed = m.next_seed++;
    fill(p, usable, s->seed);
    m.used += footprint(usable);
    m.live++;
}

/* Slot s's block has been given back. */
static void release(slot_t *s)
{
    m.used -= footprint(s->usable);
    m.live--;
    s->p = NULL;
}

static void audit(void)
{
    EXPECT(ea_test_cs_depth == 0, "a critical section was left open (depth %u)", ea_test_cs_depth);
    EXPECT(ea_test_cs_misnested == 0, "critical sections left out of order");
    int rc = m.be->check(m.heap);
    EXPECT(rc == EA_OK, "check() = %d", rc);
    size_t used = m.be->used(m.heap);
    size_t free_bytes = m.be->free_bytes(m.heap);
    EXPECT(used == m.used, "used() = %zu, the model's blocks take %zu", used, m.used);
    EXPECT(used + free_bytes == m.capacity, "used %zu + free %zu != capacity %zu", used, free_bytes, m.capacity);
    if (used > m.peak) {
        m.peak = used;
    }
    for (size_t i = 0; i < SLOTS; i++) {
        if (m.slot[i].p != NULL) {
            verify_slot(&m.slot[i], m.slot[i].usable, "audit");
        }
    }
}

static void expect_real_failure(size_t size)
{
    ea_stats_t st;
    m.be->stats(m.heap, &st);
    EXPECT(st.free_blocks == 0 || st.largest_free < size, "a request of %zu failed though largest_free is %zu",
           size, st.largest_free);
}

/* A NULL from a valid request: counted as failed, hook called once. */
static void note_failure(unsigned long oom_before)
{
    m.failed_min++;
    m.failed_max++;
    EXPECT(m.oom_calls == oom_before + 1, "ea_oom_hook ran %lu times for one failure", m.oom_calls - oom_before);
}

static void note_success(unsigned long oom_before)
{
    EXPECT(m.oom_calls == oom_before, "ea_oom_hook ran for a request that succeeded");
}

static void free_slot(slot_t *s)
{
    verify_slot(s, s->usable, "before free");
    trace("free(%p) [slot %td]", (void *)s->p, s - m.slot);
    m.be->free(m.heap, s->p);
    release(s);
}

/* ---- negative controls ---------------------------------------------------------------- */

#ifdef FUZZ_BROKEN
/*
 * The table as the driver sees it, with one fault put in: the model must
 * catch each. 1: the third allocation of an input returns a live block again
 * (overlap); 2: the third allocation also changes a byte of another live
 * block (corruption of user data); 3: the second free leaves the used counter
 * a granule too high (bookkeeping); 4: the second free damages the header of
 * the block it frees (heap structure). 5 is the model's blind spot, for a run
 * under memcheck (EA_VALGRIND) to catch: the second free is followed by a read
 * of the freed block's first byte, which changes nothing.
 */
static backend_t broken;
static unsigned broken_allocs;
static unsigned broken_frees;

static slot_t *some_live_slot(void)
{
    for (size_t i = 0; i < SLOTS; i++) {
        if (m.slot[i].p != NULL) {
            return &m.slot[i];
        }
    }
    return NULL;
}

static void *broken_alloc(void *h, size_t size)
{
    void *p = backend.alloc(h, size);
    if (p != NULL && ++broken_allocs == 3) {
        slot_t *victim = some_live_slot();
        if (victim != NULL && FUZZ_BROKEN == 1) {
            return victim->p;
        }
        if (victim != NULL && FUZZ_BROKEN == 2) {
            victim->p[victim->usable / 2] ^= 0x40;
        }
    }
    return p;
}

static void broken_free(void *h, void *p)
{
    backend.free(h, p);
    if (p != NULL && ++broken_frees == 2) {
        if (FUZZ_BROKEN == 3) {
            ((ea_heap_common_t *)h)->used += backend.granule;
        }
        if (FUZZ_BROKEN == 4) {
            size_t header;
            memcpy(&header, (unsigned char *)p - backend.header, sizeof header);
            header ^= backend.granule;
            memcpy((unsigned char *)p - backend.header, &header, sizeof header);
        }
        if (FUZZ_BROKEN == 5) {
            volatile unsigned char first = *(volatile unsigned char *)p;
            (void)first;
        }
    }
}

static const backend_t *table(void)
{
    broken = backend;
    broken.alloc = broken_alloc;
    broken.free = broken_free;
    broken_allocs = 0;
    broken_frees = 0;
    return &broken;
}
#else
static const backend_t *table(void)
{
    return &backend;
}
#endif

/* ---- operations ----------------------------------------------------------------------- */

static slot_t *draw_slot(input_t *in)
{
    return &m.slot[u8(in) % SLOTS];
}

static void op_alloc(input_t *in)
{
    m.op_name = "alloc";
    slot_t *s = draw_slot(in);
    if (s->p != NULL) {
        free_slot(s);
    }
    size_t size = draw_size(in);
    snapshot();
    unsigned long oom = m.oom_calls;
    unsigned char *p = m.be->alloc(m.heap, size);
    trace("alloc(%zu) = %p [slot %td]", size, (void *)p, s - m.slot);
    if (p == NULL) {
        note_failure(oom);
        expect_real_failure(size);
        return;
    }
    note_success(oom);
    take(s, p, size, EA_ALIGN);
    expect_alloc_placement(size, EA_ALIGN, p);
}

static void op_alloc_aligned(input_t *in)
{
    m.op_name = "alloc_aligned";
    slot_t *s = draw_slot(in);
    if (s->p != NULL) {
        free_slot(s);
    }
    size_t align = draw_align(in);
    size_t size = draw_size(in);
    snapshot();
    unsigned long oom = m.oom_calls;
    unsigned char *p = m.be->alloc_aligned(m.heap, align, size);
    trace("alloc_aligned(%zu, %zu) = %p [slot %td]", align, size, (void *)p, s - m.slot);
    if (!is_pow2(align)) {
        EXPECT(p == NULL, "alloc_aligned(%zu, %zu): an alignment that is not a power of two succeeded", align,
               size);
        m.failed_max++;
        return;
    }
    if (p == NULL) {
        note_failure(oom);
        if (align <= EA_ALIGN) {
            expect_real_failure(size);
        }
        return;
    }
    note_success(oom);
    take(s, p, size, align);
    expect_alloc_placement(size, align, p);
}

static void op_calloc(input_t *in)
{
    m.op_name = "calloc";
    slot_t *s = draw_slot(in);
    if (s->p != NULL) {
        free_slot(s);
    }
    size_t n = draw_count(in);
    size_t size = draw_size(in);
    bool overflow = size != 0 && n > SIZE_MAX / size;
    snapshot();
    unsigned long oom = m.oom_calls;
    unsigned char *p = m.be->calloc(m.heap, n, size);
    trace("calloc(%zu, %zu) = %p [slot %td]", n, size, (void *)p, s - m.slot);
    if (overflow) {
        EXPECT(p == NULL, "calloc(%zu, %zu): n * size overflows, yet it returned a block", n, size);
        m.failed_max++;
        return;
    }
    if (p == NULL) {
        note_failure(oom);
        expect_real_failure(n * size);
        return;
    }
    note_success(oom);
    for (size_t i = 0; i < n * size; i++) {
        EXPECT(p[i] == 0, "calloc(%zu, %zu): byte %zu is not zero", n, size, i);
    }
    take(s, p, n * size, EA_ALIGN);
    expect_alloc_placement(n * size, EA_ALIGN, p);
}

/* realloc (aligned: realloc_aligned with align) of slot s to size, and every promise it makes. */
static void do_realloc(slot_t *s, size_t size, bool aligned, size_t align)
{
    slot_t old = *s;
    if (old.p != NULL) {
        verify_slot(&old, old.usable, "before realloc");
    }
    snapshot();
    unsigned long oom = m.oom_calls;
    unsigned char *q = aligned ? m.be->realloc_aligned(m.heap, old.p, align, size) : m.be->realloc(m.heap, old.p, size);
    trace("realloc%s(%p, %zu, %zu) = %p [slot %td]", aligned ? "_aligned" : "", (void *)old.p, aligned ? align : 0,
          size, (void *)q, s - m.slot);
    size_t result_align = aligned ? align : EA_ALIGN;
    if (aligned && !is_pow2(align)) {
        EXPECT(q == NULL, "realloc_aligned with alignment %zu (not a power of two) succeeded", align);
        if (old.p != NULL) {
            verify_slot(&old, old.usable, "after a refused realloc");
            EXPECT(m.be->usable_size(m.heap, old.p) == old.usable, "a refused realloc changed the block");
        }
        m.failed_max++;
        return;
    }
    if (old.p == NULL) { /* an allocation */
        if (q == NULL) {
            note_failure(oom);
            if (result_align <= EA_ALIGN) {
                expect_real_failure(size);
            }
            return;
        }
        note_success(oom);
        take(s, q, size, result_align);
        expect_alloc_placement(size, result_align, q);
        return;
    }
    if (size == 0) { /* a free */
        EXPECT(q == NULL, "realloc(p, 0) returned %p, not NULL", (void *)q);
        EXPECT(m.oom_calls == oom, "realloc(p, 0) ran the out-of-memory hook");
        release(s);
        return;
    }
    if (q == NULL) {
        note_failure(oom);
        verify_slot(&old, old.usable, "after a failed realloc");
        EXPECT(m.be->usable_size(m.heap, old.p) == old.usable, "a failed realloc changed the block's size");
        EXPECT(size > old.usable || ((uintptr_t)old.p & (result_align - 1)) != 0,
               "realloc to %zu <= usable %zu failed", size, old.usable);
        if (result_align <= EA_ALIGN) {
            expect_real_failure(size);
        }
        return;
    }
    note_success(oom);
    if (size <= old.usable && ((uintptr_t)old.p & (result_align - 1)) == 0) {
        EXPECT(q == old.p, "a shrink from %zu to %zu usable bytes moved the block", old.usable, size);
    }
    /* The bytes up to the smaller of the old usable size and the new size move with the block. */
    size_t kept = old.usable < size ? old.usable : size;
    size_t at = first_difference(q, kept, old.seed);
    EXPECT(at == SIZE_MAX, "realloc %p (%zu usable) -> %p (%zu): byte %zu not kept", (void *)old.p, old.usable,
           (void *)q, size, at);
    release(s);
    take(s, q, size, result_align);
    fuzz_walk_t before = {m.before, m.before_count};
    expect_placement(fuzz_expect_realloc(&before, (uintptr_t)old.p - m.be->header, fuzz_block_need(size),
                                         result_align, (uintptr_t)q - m.be->header));
}

static void op_realloc(input_t *in)
{
    m.op_name = "realloc";
    slot_t *s = draw_slot(in);
    do_realloc(s, draw_size(in), false, 0);
}

static void op_realloc_aligned(input_t *in)
{
    m.op_name = "realloc_aligned";
    slot_t *s = draw_slot(in);
    uint8_t k = u8(in);
    size_t align = k < 160 && s->p != NULL ? s->align : draw_align(in);
    do_realloc(s, draw_size(in), true, align);
}

static void op_free(input_t *in)
{
    m.op_name = "free";
    slot_t *s = draw_slot(in);
    if (s->p != NULL) {
        free_slot(s);
    } else {
        m.be->free(m.heap, NULL); /* a no-op */
    }
}

/* Every block the walk reports: inside a region, in address order, sizes adding up to the capacity. */
static void do_walk(void)
{
    m.walked = 0;
    m.be->walk(m.heap, collect_block, m.walk);
    size_t total = 0;
    uintptr_t last_end = 0;
    for (size_t i = 0; i < m.walked; i++) {
        const fuzz_block_t *w = &m.walk[i];
        EXPECT(w->addr >= last_end, "walk: block %p is not in address order", (void *)w->addr);
        EXPECT(inside_a_region(w->addr, w->addr + w->size), "walk: block %p (%zu bytes) outside every region",
               (void *)w->addr, w->size);
        last_end = w->addr + w->size;
        total += w->size;
    }
    EXPECT(total == m.capacity, "walk: the blocks add up to %zu, capacity is %zu", total, m.capacity);
}

/* Whether [lo, hi) touches any block the last walk reported. */
static bool touches_a_block(uintptr_t lo, uintptr_t hi)
{
    for (size_t i = 0; i < m.walked; i++) {
        if (lo < m.walk[i].addr + m.walk[i].size && m.walk[i].addr < hi) {
            return true;
        }
    }
    return false;
}

static bool touches_a_region(uintptr_t lo, uintptr_t hi)
{
    for (size_t i = 0; i < m.regions; i++) {
        if (lo < m.region[i].hi && m.region[i].lo < hi) {
            return true;
        }
    }
    return false;
}

static void op_add_region(input_t *in)
{
    m.op_name = "add_region";
    uint8_t k = u8(in);
    unsigned char *start;
    size_t size;
    bool must_refuse = true;
    switch (k & 7u) {
    case 0:
        start = NULL;
        size = draw_size(in);
        break;
    case 1:
        start = second_storage + u16(in) % SECOND_BYTES;
        size = 0;
        break;
    case 2:
        /* A range that wraps past the top of the address space: refused before anything is written. */
        start = (unsigned char *)(UINTPTR_MAX - (uintptr_t)u8(in) * 16u);
        size = 4096 + (size_t)u8(in);
        break;
    case 3:
        /* A slice of memory the heap has already: its first region. */
        start = (unsigned char *)m.region[0].lo + u16(in) % (m.region[0].hi - m.region[0].lo);
        size = 1 + u16(in) % (m.region[0].hi - (uintptr_t)start);
        must_refuse = false; /* only where it touches a block: its trimmed edges are not the heap's */
        break;
    default: {
        size_t off = u16(in) % SECOND_BYTES;
        start = second_storage + off;
        size = u16(in) % (SECOND_BYTES - off + 1);
        must_refuse = size == 0;
        break;
    }
    }
    do_walk();
    uintptr_t lo = (uintptr_t)start;
    bool wraps = size != 0 && size - 1 > UINTPTR_MAX - lo;
    uintptr_t hi = wraps ? UINTPTR_MAX : lo + size;
    must_refuse = must_refuse || (!wraps && touches_a_block(lo, hi));
    bool must_accept = !must_refuse && !touches_a_region(lo, hi) && size >= 512;
    bool added = m.be->add_region(m.heap, start, size);
    trace("add_region(%p, %zu) = %d", (void *)start, size, added);
    ea_stats_t st;
    m.be->stats(m.heap, &st);
    if (!added) {
        EXPECT(!must_accept, "add_region(%p, %zu) refused a free, large slice", (void *)start, size);
        EXPECT(st.capacity == m.capacity, "a refused add_region changed the capacity");
        return;
    }
    EXPECT(!must_refuse, "add_region(%p, %zu) accepted memory it must refuse", (void *)start, size);
    EXPECT(st.capacity > m.capacity && st.capacity - m.capacity <= size,
           "add_region(%p, %zu) took the capacity from %zu to %zu", (void *)start, size, m.capacity, st.capacity);
    EXPECT(m.regions < MAX_REGIONS, "model: too many regions");
    m.region[m.regions].lo = lo;
    m.region[m.regions].hi = hi;
    m.regions++;
    m.handed += size;
    m.capacity = st.capacity;
    EXPECT(m.capacity <= m.handed, "capacity %zu exceeds the %zu bytes handed over", m.capacity, m.handed);
}

static void op_usable_size(input_t *in)
{
    m.op_name = "usable_size";
    slot_t *s = draw_slot(in);
    bool rewrite = (u8(in) & 1u) != 0;
    if (s->p == NULL) {
        EXPECT(m.be->usable_size(m.heap, NULL) == 0, "usable_size(NULL) != 0");
        return;
    }
    size_t usable = m.be->usable_size(m.heap, s->p);
    EXPECT(usable == s->usable, "usable_size changed from %zu to %zu", s->usable, usable);
    if (rewrite) {
        /* The caller rewrites every usable byte. */
        s->seed = m.next_seed++;
        fill(s->p, s->usable, s->seed);
    }
}

static void op_stats(input_t *in)
{
    m.op_name = "stats";
    ea_stats_t st;
    m.be->stats(m.heap, &st);
    EXPECT(st.capacity == m.capacity, "stats: capacity %zu, model %zu", st.capacity, m.capacity);
    EXPECT(st.used == m.used, "stats: used %zu, model %zu", st.used, m.used);
    EXPECT(st.free == m.capacity - m.used, "stats: free %zu != capacity - used", st.free);
    EXPECT(st.used_blocks == m.live, "stats: %zu used blocks, model %zu", st.used_blocks, m.live);
#if EA_STATS
    EXPECT(st.peak_used >= m.peak && st.peak_used <= m.capacity, "stats: peak_used %zu, model peak %zu",
           st.peak_used, m.peak);
    EXPECT(st.alloc_count - st.free_count == m.live, "stats: %zu allocs - %zu frees != %zu live", st.alloc_count,
           st.free_count, m.live);
    EXPECT(st.failed_count >= m.failed_min && st.failed_count <= m.failed_max,
           "stats: failed_count %zu, model between %zu and %zu", st.failed_count, m.failed_min, m.failed_max);
#endif

    /* The walk agrees: every live block is a used block there, and the counts match. */
    do_walk();
    size_t used_blocks = 0;
    size_t free_blocks = 0;
    size_t largest = 0;
    for (size_t i = 0; i < m.walked; i++) {
        const fuzz_block_t *w = &m.walk[i];
        if (w->used) {
            used_blocks++;
        } else {
            free_blocks++;
            if (w->size > largest) {
                largest = w->size;
            }
        }
    }
    EXPECT(used_blocks == st.used_blocks && free_blocks == st.free_blocks,
           "walk: %zu used and %zu free blocks, stats %zu and %zu", used_blocks, free_blocks, st.used_blocks,
           st.free_blocks);
    for (size_t i = 0; i < SLOTS; i++) {
        const slot_t *s = &m.slot[i];
        if (s->p == NULL) {
            continue;
        }
        bool found = false;
        for (size_t j = 0; j < m.walked && !found; j++) {
            found = m.walk[j].used && m.walk[j].addr == (uintptr_t)s->p - m.be->header &&
                    m.walk[j].size == footprint(s->usable);
        }
        EXPECT(found, "walk: live block %p (%zu usable) is not a used block of the walk", (void *)s->p, s->usable);
    }
    EXPECT(free_blocks == 0 || st.largest_free <= largest - m.be->header,
           "stats: largest_free %zu, yet the largest free block is %zu bytes", st.largest_free, largest);

    /* largest_free is the largest request that succeeds now: one byte more fails. */
    bool probe = (u8(in) & 1u) != 0;
    if (st.free_blocks > 0 && probe) {
        unsigned long oom = m.oom_calls;
        void *over = m.be->alloc(m.heap, st.largest_free + 1);
        trace("alloc(largest_free + 1 = %zu) = %p", st.largest_free + 1, over);
        EXPECT(over == NULL, "alloc(largest_free + 1 = %zu) succeeded", st.largest_free + 1);
        note_failure(oom);
        slot_t *s = draw_slot(in);
        oom = m.oom_calls;
        unsigned char *p = m.be->alloc(m.heap, st.largest_free);
        trace("alloc(largest_free = %zu) = %p [slot %td]", st.largest_free, (void *)p, s - m.slot);
        EXPECT(p != NULL, "alloc(largest_free = %zu) failed", st.largest_free);
        note_success(oom);
        if (s->p == NULL) {
            take(s, p, st.largest_free, EA_ALIGN);
        } else {
            m.be->free(m.heap, p);
        }
    }
}

/* The allocator handle: ea_alloc / ea_realloc / ea_free, align 0 meaning the default. */
static void op_handle(input_t *in)
{
    m.op_name = "allocator handle";
    ea_allocator_t a = m.be->allocator(m.heap);
    slot_t *s = draw_slot(in);
    uint8_t k = u8(in);
    size_t align = (k & 1u) ? draw_align(in) : 0;
    size_t want = align == 0 ? EA_ALIGN : align;
    if ((k & 6u) == 0 && s->p != NULL) {
        verify_slot(s, s->usable, "before ea_free");
        trace("ea_free(%p) [slot %td]", (void *)s->p, s - m.slot);
        ea_free(a, s->p);
        release(s);
        return;
    }
    size_t size = draw_size(in);
    unsigned long oom = m.oom_calls;
    if (s->p == NULL) {
        unsigned char *p = ea_alloc(a, size, align);
        trace("ea_alloc(%zu, %zu) = %p [slot %td]", size, align, (void *)p, s - m.slot);
        if (!is_pow2(want)) {
            EXPECT(p == NULL, "ea_alloc with alignment %zu succeeded", align);
            m.failed_max++;
        } else if (p == NULL) {
            note_failure(oom);
        } else {
            note_success(oom);
            take(s, p, size, want);
        }
        return;
    }
    slot_t old = *s;
    unsigned char *q = ea_realloc(a, old.p, size, align);
    trace("ea_realloc(%p, %zu, %zu) = %p [slot %td]", (void *)old.p, size, align, (void *)q, s - m.slot);
    if (!is_pow2(want)) {
        EXPECT(q == NULL, "ea_realloc with alignment %zu succeeded", align);
        m.failed_max++;
    } else if (size == 0) {
        EXPECT(q == NULL, "ea_realloc(p, 0) returned a block");
        release(s);
    } else if (q == NULL) {
        note_failure(oom);
        verify_slot(&old, old.usable, "after a failed ea_realloc");
    } else {
        note_success(oom);
        size_t kept = old.usable < size ? old.usable : size;
        EXPECT(first_difference(q, kept, old.seed) == SIZE_MAX, "ea_realloc lost bytes");
        release(s);
        take(s, q, size, want);
    }
}

/* ---- one input --------------------------------------------------------------------------- */

static void set_up(input_t *in)
{
    static bool tape_made;
    if (!tape_made) {
        tape_make(tape, sizeof tape);
        tape_made = true;
    }
    m.be = table();
    m.heap = m.be->heap_object;
    memset(m.slot, 0, sizeof m.slot);
    m.regions = 0;
    m.handed = 0;
    m.used = 0;
    m.peak = 0;
    m.live = 0;
    m.failed_min = 0;
    m.failed_max = 0;
    m.oom_calls = 0;
    m.op = 0;
    m.op_name = "init";
    m.next_seed = 1;
    ea_test_cs_depth = 0;
    ea_test_cs_misnested = 0;
#if EA_ASAN /* the heap of the input before closed parts of the buffers */
    ASAN_UNPOISON_MEMORY_REGION(arena_storage, sizeof arena_storage);
    ASAN_UNPOISON_MEMORY_REGION(second_storage, sizeof second_storage);
#elif EA_VALGRIND /* the same, and memcheck forgets the blocks the input before left allocated */
    if (VALGRIND_MEMPOOL_EXISTS(m.heap)) {
        VALGRIND_DESTROY_MEMPOOL(m.heap);
    }
    (void)VALGRIND_MAKE_MEM_UNDEFINED(arena_storage, sizeof arena_storage);
    (void)VALGRIND_MAKE_MEM_UNDEFINED(second_storage, sizeof second_storage);
#endif
    memset(arena_storage, 0xA5, sizeof arena_storage);
    memset(second_storage, 0x5A, sizeof second_storage);

    size_t offset = u8(in) % 64u;
    size_t size = 512 + u16(in) % (ARENA_BYTES - 512 + 1);
    m.be->make_empty(m.heap);
    m.be->init(m.heap, arena_storage + offset, size);
    trace("init(%p, %zu)", (void *)(arena_storage + offset), size);
    m.region[0].lo = (uintptr_t)(arena_storage + offset);
    m.region[0].hi = m.region[0].lo + size;
    m.regions = 1;
    m.handed = size;
    ea_stats_t st;
    m.be->stats(m.heap, &st);
    m.capacity = st.capacity;
    EXPECT(m.capacity > 0 && m.capacity <= size, "init over %zu bytes: capacity %zu", size, m.capacity);
    audit();
}

static void tear_down(void)
{
    m.op_name = "tear-down";
    for (size_t i = 0; i < SLOTS; i++) {
        if (m.slot[i].p != NULL) {
            free_slot(&m.slot[i]);
        }
    }
    audit();
    EXPECT(m.be->used(m.heap) == 0, "used() = %zu with every block freed", m.be->used(m.heap));
    ea_stats_t st;
    m.be->stats(m.heap, &st);
    EXPECT(st.used_blocks == 0, "%zu used blocks with every block freed", st.used_blocks);
}

int fuzz_run_input(const uint8_t *data, size_t size)
{
    input_t in = {data, size};
    set_up(&in);
    while (in.n > 0 && m.op < MAX_OPS) {
        m.op++;
        uint8_t kind = u8(&in);
        switch (kind % 16u) {
        case 0:
        case 1:
        case 2:
            op_alloc(&in);
            break;
        case 3:
        case 4:
            op_alloc_aligned(&in);
            break;
        case 5:
            op_calloc(&in);
            break;
        case 6:
        case 7:
            op_realloc(&in);
            break;
        case 8:
            op_realloc_aligned(&in);
            break;
        case 9:
        case 10:
        case 11:
            op_free(&in);
            break;
        case 12:
            op_add_region(&in);
            break;
        case 13:
            op_usable_size(&in);
            break;
        case 14:
            op_stats(&in);
            break;
        default:
            op_handle(&in);
            break;
        }
        audit();
    }
    tear_down();
    return 0;
}
