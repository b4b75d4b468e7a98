/*
 * Firmware trace replay with exact instruction counts (mps2 boards, QEMU
 * -icount shift=10).
 *
 *   qemu-system-arm -M mps2-an386 -icount shift=10 -nographic \
 *       -semihosting-config enable=on,target=native,arg=replay.elf,arg=<backend>,arg=<trace> \
 *       -kernel bench_replay_<image>.elf
 *
 * Reads the trace from the host (SYS_OPEN, SYS_FLEN, SYS_READ), replays it
 * through one back-end with the semantics of FORMAT.md, and prints one JSON
 * line ({"kind":"replay",...}). Exit status 0 when the replay was clean, 1
 * on corruption, bad input or a broken instruction count.
 *
 * Replay rules (FORMAT.md): a failed allocation leaves its id unbound and
 * later f/r of it are skipped; a failed r leaves the old block bound and
 * intact; a size that does not fit size_t (32 bits here) fails without a
 * call ("refused"); at each failure fill = live requested bytes / arena.
 * Checks: every requested byte carries a pattern derived from the id, written
 * after the allocation and verified before free and realloc, after a failed
 * realloc (the whole old block), after a successful one (the kept prefix),
 * and for every block still live at the end; calloc memory must be zero
 * (the arena is filled with 0xa5 first) and an overflowing calloc must fail;
 * each result must lie inside the arena and be aligned (the trace's
 * alignment, else 8, malloc's alignment on Arm EABI); a map of which id owns
 * each 8-byte granule of the arena catches a block that overlaps a live one
 * at once. ealloc's check() runs at the end.
 *
 * Timing: every allocator call goes through bench_measure (bench_timer.h),
 * failed calls included; calloc includes its zeroing and a moving realloc
 * its copy, as the caller pays them. The replay's own work (patterns,
 * checks) is outside the measured window.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "bench_timer.h"
#include "fw.h"

#define MALLOC_ALIGN 8u /* alignof(max_align_t) on Arm EABI */
#define GRANULE_LOG2 3u
#define OWNER_FREE 0u
#define OWNER_HANDLE 0xffffu
#define MAX_ID 0xfffdu /* ids are stored + 1 in 16-bit granule owners */

/* ---- failure paths ---------------------------------------------------------------- */

__attribute__((noreturn, format(printf, 1, 2))) static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)fw_vprintf(fmt, ap);
    va_end(ap);
    fw_putc('\n');
    fw_exit(FW_EXIT_FAILURE);
}

/* ---- scratch memory: a bump allocator over the RAM the image leaves free ------------- */

static unsigned char *scratch_next, *scratch_end;

static void *scratch(size_t bytes)
{
    uintptr_t at = ((uintptr_t)scratch_next + 7u) & ~(uintptr_t)7u;
    if (bytes > (size_t)((uintptr_t)scratch_end - at)) {
        die("replay: out of scratch RAM (%zu bytes wanted, %zu left)", bytes, (size_t)((uintptr_t)scratch_end - at));
    }
    scratch_next = (unsigned char *)(at + bytes);
    return (void *)at;
}

/* ---- the trace ---------------------------------------------------------------------- */

typedef struct op {
    char kind;       /* 'a', 'c', 'r', 'f' */
    unsigned line;
    uint32_t id;
    uint64_t v1, v2; /* a: size, align (0: none); c: count, size; r: size */
    bool wide1, wide2; /* the number has more than 64 bits */
    bool has_v2;
} op_t;

typedef struct trace {
    const char *path, *name;
    char *text;
    size_t len;
    uint64_t arena;
    uint32_t max_id;
    size_t count[5]; /* by kind_t below */
} trace_t;

typedef struct cursor {
    const char *p, *end;
    unsigned line;
} cursor_t;

/* Operation kinds as the report groups them. */
typedef enum { K_ALLOC, K_ALIGNED, K_CALLOC, K_REALLOC, K_FREE, K_COUNT } kind_t;

static const trace_t *g_trace;

__attribute__((noreturn, format(printf, 2, 3))) static void bad_input(unsigned line, const char *fmt, ...)
{
    va_list ap;
    fw_printf("%s:%u: ", g_trace->path, line);
    va_start(ap, fmt);
    (void)fw_vprintf(fmt, ap);
    va_end(ap);
    fw_putc('\n');
    fw_exit(FW_EXIT_FAILURE);
}

/* A decimal number of digits only; *wide when it has more than 64 bits (value saturated). */
static bool parse_u64(const char *s, size_t n, uint64_t *v, bool *wide)
{
    if (n == 0) {
        return false;
    }
    uint64_t x = 0;
    *wide = false;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return false;
        }
        unsigned d = (unsigned)(s[i] - '0');
        if (x > (UINT64_MAX - d) / 10u) {
            *wide = true;
            x = UINT64_MAX;
        } else if (!*wide) {
            x = x * 10u + d;
        }
    }
    *v = x;
    return true;
}

/*
 * The next operation, or false at the end. Sets *arena when it meets the
 * arena line (which must come once, before any operation).
 */
static bool next_op(cursor_t *c, op_t *op, const trace_t *t, uint64_t *arena)
{
    while (c->p < c->end) {
        const char *line = c->p;
        const char *nl = memchr(line, '\n', (size_t)(c->end - line));
        const char *stop = nl != NULL ? nl : c->end;
        c->p = nl != NULL ? nl + 1 : c->end;
        c->line++;
        if (stop > line && stop[-1] == '\r') {
            stop--;
        }
        if (stop == line || line[0] == '#') {
            continue;
        }
        /* Fields separated by exactly one space. */
        const char *f[6];
        size_t fl[6];
        size_t n = 0;
        const char *s = line;
        for (;;) {
            const char *sp = memchr(s, ' ', (size_t)(stop - s));
            const char *e = sp != NULL ? sp : stop;
            if (e == s) {
                bad_input(c->line, "empty field (fields are separated by one space)");
            }
            if (n == 6) {
                bad_input(c->line, "too many fields");
            }
            f[n] = s;
            fl[n] = (size_t)(e - s);
            n++;
            if (sp == NULL) {
                break;
            }
            s = sp + 1;
        }
        if (fl[0] == 5 && memcmp(f[0], "arena", 5) == 0) {
            uint64_t v;
            bool wide;
            if (n != 2 || !parse_u64(f[1], fl[1], &v, &wide) || wide || v == 0) {
                bad_input(c->line, "bad arena line");
            }
            if (*arena != 0) {
                bad_input(c->line, "a second arena line");
            }
            *arena = v;
            continue;
        }
        if (fl[0] != 1 || (f[0][0] != 'a' && f[0][0] != 'c' && f[0][0] != 'r' && f[0][0] != 'f')) {
            bad_input(c->line, "unknown operation");
        }
        if (*arena == 0) {
            bad_input(c->line, "operation before the arena line");
        }
        memset(op, 0, sizeof *op);
        op->kind = f[0][0];
        op->line = c->line;
        size_t want_min = op->kind == 'f' ? 2u : op->kind == 'c' ? 4u : 3u;
        size_t want_max = op->kind == 'a' ? 4u : want_min;
        if (n < want_min || n > want_max) {
            bad_input(c->line, "wrong number of fields");
        }
        uint64_t id;
        bool wide;
        if (!parse_u64(f[1], fl[1], &id, &wide) || wide || id > MAX_ID) {
            bad_input(c->line, "bad id (at most %u here)", (unsigned)MAX_ID);
        }
        op->id = (uint32_t)id;
        if (n >= 3 && !parse_u64(f[2], fl[2], &op->v1, &op->wide1)) {
            bad_input(c->line, "bad number");
        }
        if (n >= 4) {
            if (!parse_u64(f[3], fl[3], &op->v2, &op->wide2)) {
                bad_input(c->line, "bad number");
            }
            op->has_v2 = true;
        }
        if (op->kind == 'a' && op->has_v2 && (op->wide2 || op->v2 == 0 || (op->v2 & (op->v2 - 1)) != 0)) {
            bad_input(c->line, "alignment is not a power of two");
        }
        if (op->kind == 'r' && !op->wide1 && op->v1 == 0) {
            bad_input(c->line, "realloc to size 0");
        }
        (void)t;
        return true;
    }
    return false;
}

static kind_t kind_of(const op_t *op)
{
    switch (op->kind) {
    case 'a': return op->has_v2 ? K_ALIGNED : K_ALLOC;
    case 'c': return K_CALLOC;
    case 'r': return K_REALLOC;
    default: return K_FREE;
    }
}

static void load_trace(trace_t *t, const char *path)
{
    t->path = path;
    const char *slash = strrchr(path, '/');
    const char *base = slash != NULL ? slash + 1 : path;
    size_t blen = strlen(base);
    char *name = scratch(blen + 1);
    memcpy(name, base, blen + 1);
    if (blen > 6 && strcmp(name + blen - 6, ".trace") == 0) {
        name[blen - 6] = '\0';
    }
    t->name = name;

    int fd = semihost_open(path, SEMIHOST_OPEN_RB);
    if (fd < 0) {
        die("%s: cannot open (SYS_OPEN; the path is relative to QEMU's working directory)", path);
    }
    long len = semihost_flen(fd);
    if (len < 0) {
        die("%s: SYS_FLEN failed", path);
    }
    t->len = (size_t)len;
    t->text = scratch(t->len + 1);
    size_t got = 0;
    while (got < t->len) {
        long n = semihost_read(fd, t->text + got, t->len - got);
        if (n <= 0) {
            die("%s: SYS_READ failed after %zu of %zu bytes", path, got, t->len);
        }
        got += (size_t)n;
    }
    t->text[t->len] = '\0';
    (void)semihost_close(fd);

    /* Validate it all and count, before anything is replayed. */
    g_trace = t;
    cursor_t c = {t->text, t->text + t->len, 0};
    op_t op;
    t->arena = 0;
    while (next_op(&c, &op, t, &t->arena)) {
        t->count[kind_of(&op)]++;
        if (op.id > t->max_id) {
            t->max_id = op.id;
        }
    }
    if (t->arena == 0) {
        die("%s: no arena line", path);
    }
}

/* ---- block patterns and the granule owner map ------------------------------------------- */

static uint32_t pattern_seed(uint32_t id)
{
    uint32_t x = (id + 1u) * 0x9e3779b1u;
    x ^= x >> 15;
    x *= 0x2c1b3c6du;
    x ^= x >> 12;
    return x | 0x01010101u; /* no zero byte in the first word: fresh zeroed memory never matches */
}

/* Word k of an id's pattern (bytes little-endian, as the core stores them). */
static inline uint32_t pattern_word(uint32_t seed, size_t k)
{
    uint32_t w = seed + (uint32_t)k * 0x6d2b79f5u;
    return w ^ (w >> 13);
}

static inline unsigned char pattern_byte(uint32_t seed, size_t i)
{
    return (unsigned char)(pattern_word(seed, i >> 2) >> ((i & 3u) * 8u));
}

static void pattern_fill(unsigned char *p, size_t from, size_t to, uint32_t seed)
{
    size_t i = from;
    if (((uintptr_t)p & 3u) == 0) {
        for (; i < to && (i & 3u) != 0; i++) {
            p[i] = pattern_byte(seed, i);
        }
        for (; i + 4 <= to; i += 4) {
            *(uint32_t *)(void *)(p + i) = pattern_word(seed, i >> 2);
        }
    }
    for (; i < to; i++) {
        p[i] = pattern_byte(seed, i);
    }
}

/* The first byte of [0, n) that is not the pattern, or n. */
static size_t pattern_check(const unsigned char *p, size_t n, uint32_t seed)
{
    size_t i = 0;
    if (((uintptr_t)p & 3u) == 0) {
        for (; i + 4 <= n; i += 4) {
            if (*(const uint32_t *)(const void *)(p + i) != pattern_word(seed, i >> 2)) {
                break;
            }
        }
    }
    for (; i < n; i++) {
        if (p[i] != pattern_byte(seed, i)) {
            return i;
        }
    }
    return n;
}

static size_t zero_check(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != 0) {
            return i;
        }
    }
    return n;
}

/* ---- replay state ----------------------------------------------------------------------- */

typedef struct slot {
    unsigned char *p; /* NULL: unbound */
    size_t size;      /* requested bytes */
} slot_t;

typedef struct samples {
    uint32_t *v;
    size_t n;
    uint32_t max;
    unsigned max_line;
    size_t free_blocks_at_max; /* back-ends with free_blocks(): the count before the slowest call */
} samples_t;

typedef struct result {
    size_t ops[K_COUNT];
    size_t skipped_realloc, skipped_free;
    size_t failures, failures_alloc, failures_calloc, failures_realloc, refused;
    uint64_t fill_first, fill_min, fill_sum; /* live requested bytes at failures */
    unsigned first_failure_line;
    uint64_t first_failure_size; /* what the first failed call asked for (calloc: count * size, may wrap) */
    uint64_t live, peak_live;
    size_t free_blocks_now, free_blocks_max;
    size_t corruptions;
    bool stopped;
    unsigned stop_line;
} result_t;

static const bench_backend_t *B;
static void *heap;
static unsigned char *arena;
static size_t arena_bytes;
static uint16_t *owner; /* per 8-byte granule of the arena: 0 free, id + 1, or OWNER_HANDLE */
static slot_t *slots;
static samples_t smp[K_COUNT];
static result_t R;

__attribute__((format(printf, 2, 3))) static void corrupt(unsigned line, const char *fmt, ...)
{
    va_list ap;
    fw_printf("%s:%u: %s: ", g_trace->path, line, B->name);
    va_start(ap, fmt);
    (void)fw_vprintf(fmt, ap);
    va_end(ap);
    fw_putc('\n');
    R.corruptions++;
    if (!R.stopped) {
        R.stopped = true;
        R.stop_line = line;
    }
}

static void failure(const op_t *op, uint64_t asked)
{
    R.failures++;
    if (R.failures == 1) {
        R.fill_first = R.fill_min = R.live;
        R.first_failure_line = op->line;
        R.first_failure_size = asked;
    } else if (R.live < R.fill_min) {
        R.fill_min = R.live;
    }
    R.fill_sum += R.live;
}

/* One timed allocator call: fn(heap, x, y) for ealloc, fn(x, y) for the C library. */
static uintptr_t timed(bench_fn_t fn, uintptr_t x, uintptr_t y, kind_t k, unsigned line)
{
    uintptr_t ret;
    uint32_t n = B->heap_arg ? bench_measure(BENCH_FN(fn), (uintptr_t)heap, x, y, &ret)
                             : bench_measure(BENCH_FN(fn), x, y, 0, &ret);
    samples_t *s = &smp[k];
    if (n > 0x7fffffffu) {
        die("%s:%u: %s: negative instruction count: the timer is not counting instructions", g_trace->path, line,
            B->name);
    }
    s->v[s->n++] = n;
    if (n > s->max || s->n == 1) {
        s->max = n;
        s->max_line = line;
        s->free_blocks_at_max = R.free_blocks_now;
    }
    return ret;
}

/* A result must lie in the arena, on its alignment, over granules no live block owns; then it is claimed. */
static bool claim(unsigned char *p, size_t size, size_t align, uint32_t id, unsigned line)
{
    uintptr_t lo = (uintptr_t)arena;
    uintptr_t hi = lo + arena_bytes;
    uintptr_t at = (uintptr_t)p;
    if (at < lo || at > hi || size > hi - at) {
        corrupt(line, "block of id %u (%zu bytes) at %p is outside the arena [%p, %p)", (unsigned)id, size, (void *)p,
                (void *)arena, (void *)hi);
        return false;
    }
    if ((at & (align - 1u)) != 0) {
        corrupt(line, "block of id %u at %p is not aligned to %zu", (unsigned)id, (void *)p, align);
        return false;
    }
    if (size == 0) {
        return true;
    }
    size_t g0 = (at - lo) >> GRANULE_LOG2;
    size_t g1 = (at - lo + size - 1) >> GRANULE_LOG2;
    for (size_t g = g0; g <= g1; g++) {
        if (owner[g] != OWNER_FREE) {
            if (owner[g] == OWNER_HANDLE) {
                corrupt(line, "block of id %u at %p overlaps the heap object", (unsigned)id, (void *)p);
            } else {
                corrupt(line, "block of id %u at %p (%zu bytes) overlaps the live block of id %u", (unsigned)id,
                        (void *)p, size, (unsigned)(owner[g] - 1u));
            }
            for (size_t u = g0; u < g; u++) {
                owner[u] = OWNER_FREE;
            }
            return false;
        }
        owner[g] = (uint16_t)(id + 1u);
    }
    return true;
}

static void unclaim(const unsigned char *p, size_t size)
{
    if (size == 0) {
        return;
    }
    size_t off = (size_t)(p - arena);
    for (size_t g = off >> GRANULE_LOG2; g <= (off + size - 1) >> GRANULE_LOG2; g++) {
        owner[g] = OWNER_FREE;
    }
}

static bool verify(uint32_t id, const char *when, unsigned line)
{
    const slot_t *s = &slots[id];
    size_t bad = pattern_check(s->p, s->size, pattern_seed(id));
    if (bad != s->size) {
        corrupt(line, "block of id %u (%zu bytes at %p) corrupted at byte %zu %s", (unsigned)id, s->size, (void *)s->p,
                bad, when);
        return false;
    }
    return true;
}

static void bind(uint32_t id, unsigned char *p, size_t size)
{
    slots[id].p = p;
    slots[id].size = size;
    R.live += size;
    if (R.live > R.peak_live) {
        R.peak_live = R.live;
    }
}

static void do_alloc(const op_t *op)
{
    kind_t k = kind_of(op);
    if (slots[op->id].p != NULL) {
        bad_input(op->line, "id %u is already bound", (unsigned)op->id);
    }
    uint64_t bytes = op->v1;
    bool fits;
    uintptr_t p = 0;
    size_t align = MALLOC_ALIGN;
    if (op->kind == 'c') {
        fits = !op->wide1 && !op->wide2 && op->v1 <= SIZE_MAX && op->v2 <= SIZE_MAX;
        bool overflow = fits && op->v2 != 0 && op->v1 > SIZE_MAX / op->v2;
        bytes = op->v1 * op->v2;
        if (fits) {
            p = timed(B->calloc, (uintptr_t)op->v1, (uintptr_t)op->v2, k, op->line);
            if (overflow && p != 0) {
                corrupt(op->line, "calloc(%zu, %zu) overflows size_t but did not fail", (size_t)op->v1,
                        (size_t)op->v2);
                return;
            }
        }
    } else {
        fits = !op->wide1 && op->v1 <= SIZE_MAX && (!op->has_v2 || op->v2 <= SIZE_MAX);
        if (fits && op->has_v2) {
            align = (size_t)op->v2;
            p = timed(B->alloc_aligned, (uintptr_t)op->v2, (uintptr_t)op->v1, k, op->line);
        } else if (fits) {
            p = timed(B->alloc, (uintptr_t)op->v1, 0, k, op->line);
        }
    }
    if (p == 0) {
        if (!fits) {
            R.refused++;
        }
        if (op->kind == 'c') {
            R.failures_calloc++;
        } else {
            R.failures_alloc++;
        }
        failure(op, bytes);
        return;
    }
    size_t size = (size_t)bytes;
    unsigned char *q = (unsigned char *)p;
    if (!claim(q, size, align, op->id, op->line)) {
        return;
    }
    if (op->kind == 'c') {
        size_t bad = zero_check(q, size);
        if (bad != size) {
            corrupt(op->line, "calloc block of id %u (%zu bytes) is not zero at byte %zu", (unsigned)op->id, size, bad);
            return;
        }
    }
    pattern_fill(q, 0, size, pattern_seed(op->id));
    bind(op->id, q, size);
}

static void do_realloc(const op_t *op)
{
    slot_t *s = &slots[op->id];
    if (s->p == NULL) {
        R.skipped_realloc++;
        return;
    }
    if (!verify(op->id, "before realloc", op->line)) {
        return;
    }
    if (op->wide1 || op->v1 > SIZE_MAX) {
        R.refused++;
        R.failures_realloc++;
        failure(op, op->v1);
        return;
    }
    size_t size = (size_t)op->v1;
    size_t old = s->size;
    unclaim(s->p, old);
    uintptr_t p = timed(B->realloc, (uintptr_t)s->p, size, K_REALLOC, op->line);
    if (p == 0) {
        R.failures_realloc++;
        failure(op, size);
        (void)claim(s->p, old, 1, op->id, op->line);
        (void)verify(op->id, "after a failed realloc (it must stay intact)", op->line);
        return;
    }
    unsigned char *q = (unsigned char *)p;
    if (!claim(q, size, MALLOC_ALIGN, op->id, op->line)) {
        return;
    }
    size_t keep = old < size ? old : size;
    uint32_t seed = pattern_seed(op->id);
    size_t bad = pattern_check(q, keep, seed);
    if (bad != keep) {
        corrupt(op->line, "realloc of id %u (%zu -> %zu bytes) lost the kept prefix at byte %zu", (unsigned)op->id,
                old, size, bad);
        return;
    }
    pattern_fill(q, keep, size, seed);
    R.live -= old;
    s->p = NULL;
    bind(op->id, q, size);
}

static void do_free(const op_t *op)
{
    slot_t *s = &slots[op->id];
    if (s->p == NULL) {
        R.skipped_free++;
        return;
    }
    if (!verify(op->id, "before free", op->line)) {
        return;
    }
    unclaim(s->p, s->size);
    (void)timed(B->free, (uintptr_t)s->p, 0, K_FREE, op->line);
    R.live -= s->size;
    s->p = NULL;
    s->size = 0;
}

/* ---- order statistics and output ----------------------------------------------------------- */

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a;
    uint32_t y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The sample at rank ceil(q * n) (1-based) of n > 0 sorted samples, as the host tool does. */
static uint32_t rank_of(const uint32_t *v, size_t n, unsigned percent)
{
    size_t r = (n * percent + 99u) / 100u;
    return v[r != 0 ? r - 1 : 0];
}

/* {"calls":..,"min":..,"median":..,"p99":..,"max":..,"max_line":..} over the samples of kinds[]. */
static void print_group(const char *key, const kind_t *kinds, size_t nk, bool first)
{
    size_t n = 0;
    for (size_t i = 0; i < nk; i++) {
        n += smp[kinds[i]].n;
    }
    fw_printf("%s\"%s\":{\"calls\":%zu", first ? "" : ",", key, n);
    if (n == 0) {
        fw_printf(",\"min\":0,\"median\":0,\"p99\":0,\"max\":0}");
        return;
    }
    unsigned char *mark = scratch_next; /* released below */
    uint32_t *v = scratch(n * sizeof *v);
    size_t at = 0;
    const samples_t *worst = &smp[kinds[0]];
    for (size_t i = 0; i < nk; i++) {
        const samples_t *s = &smp[kinds[i]];
        memcpy(v + at, s->v, s->n * sizeof *v);
        at += s->n;
        if (s->n != 0 && (worst->n == 0 || s->max > worst->max)) {
            worst = s;
        }
    }
    qsort(v, n, sizeof *v, cmp_u32);
    fw_printf(",\"min\":%lu,\"median\":%lu,\"p99\":%lu,\"max\":%lu,\"max_line\":%u", (unsigned long)v[0],
              (unsigned long)rank_of(v, n, 50), (unsigned long)rank_of(v, n, 99), (unsigned long)v[n - 1],
              worst->max_line);
    if (B->free_blocks != NULL) {
        fw_printf(",\"free_blocks_at_max\":%zu", worst->free_blocks_at_max);
    }
    fw_printf("}");
    scratch_next = mark;
}

/* num / den as a decimal fraction with 6 digits. */
static void print_fraction(uint64_t num, uint64_t den)
{
    uint64_t micro = (num * 1000000u + den / 2u) / den;
    fw_printf("%lu.%06lu", (unsigned long)(micro / 1000000u), (unsigned long)(micro % 1000000u));
}

/* Whether the heap object lies in the arena: a back-end keeps one that does not fit outside it (no memory then). */
static bool handle_fits(size_t handle_bytes)
{
    return handle_bytes < arena_bytes;
}

static void print_result(const trace_t *t, size_t handle_bytes, const bench_heap_info_t *info)
{
    fw_printf("{\"kind\":\"replay\",\"trace\":\"%s\",\"backend\":\"%s\",\"allocator\":\"%s\",\"board\":\"%s\"",
              t->name, B->name, B->describe, FW_BOARD);
    fw_printf(",\"arena\":%zu,\"arena_at\":\"%p\",\"handle_bytes\":%zu,\"handle_in_arena\":%s,\"init_bytes\":%zu",
              arena_bytes, (void *)arena, handle_bytes, B->heap_arg && handle_fits(handle_bytes) ? "true" : "false",
              handle_fits(handle_bytes) ? arena_bytes - handle_bytes : 0);
    size_t total = 0;
    for (int k = 0; k < K_COUNT; k++) {
        total += t->count[k];
    }
    fw_printf(",\"ops\":{\"alloc\":%zu,\"alloc_aligned\":%zu,\"calloc\":%zu,\"realloc\":%zu,\"free\":%zu,\"total\":%zu}",
              t->count[K_ALLOC] + t->count[K_ALIGNED], t->count[K_ALIGNED], t->count[K_CALLOC], t->count[K_REALLOC],
              t->count[K_FREE], total);
    fw_printf(",\"skipped\":{\"realloc\":%zu,\"free\":%zu}", R.skipped_realloc, R.skipped_free);
    fw_printf(",\"failures\":%zu,\"failures_by_op\":{\"alloc\":%zu,\"calloc\":%zu,\"realloc\":%zu},\"refused\":%zu",
              R.failures, R.failures_alloc, R.failures_calloc, R.failures_realloc, R.refused);
    fw_printf(",\"fill\":");
    if (R.failures == 0) {
        fw_printf("null");
    } else {
        fw_printf("{\"first\":");
        print_fraction(R.fill_first, arena_bytes);
        fw_printf(",\"min\":");
        print_fraction(R.fill_min, arena_bytes);
        fw_printf(",\"mean\":");
        print_fraction(R.fill_sum, (uint64_t)arena_bytes * R.failures);
        fw_printf("},\"first_failure\":{\"line\":%u,\"size\":%llu}", R.first_failure_line,
                  (unsigned long long)R.first_failure_size);
    }
    fw_printf(",\"peak_live\":%lu,\"end_live\":%lu", (unsigned long)R.peak_live, (unsigned long)R.live);
    if (info->has_used) {
        fw_printf(",\"capacity\":%zu,\"peak_used\":%zu,\"end_used\":%zu", info->capacity, info->peak_used, info->used);
    } else {
        fw_printf(",\"capacity\":null,\"peak_used\":null,\"end_used\":null");
    }
    if (info->has_sbrk) {
        fw_printf(",\"sbrk_peak\":%zu,\"sbrk_refused\":%zu", info->sbrk_peak, info->sbrk_refused);
    }
    if (B->free_blocks != NULL) {
        fw_printf(",\"free_list_max\":%zu", R.free_blocks_max);
    }
    fw_printf(",\"instructions\":{");
    static const kind_t all_alloc[] = {K_ALLOC, K_ALIGNED, K_CALLOC};
    static const kind_t k_alloc[] = {K_ALLOC}, k_aligned[] = {K_ALIGNED}, k_calloc[] = {K_CALLOC};
    static const kind_t k_realloc[] = {K_REALLOC}, k_free[] = {K_FREE};
    print_group("alloc", all_alloc, 3, true);
    print_group("free", k_free, 1, false);
    print_group("realloc", k_realloc, 1, false);
    print_group("alloc_plain", k_alloc, 1, false);
    print_group("alloc_aligned", k_aligned, 1, false);
    print_group("calloc", k_calloc, 1, false);
    fw_printf("}");
    fw_printf(",\"calibration\":{\"empty_call_instructions\":%u,\"nops\":[%u,%u,%u,%u]}",
              (unsigned)bench_cal.empty_instructions, (unsigned)bench_cal.nops[0], (unsigned)bench_cal.nops[1],
              (unsigned)bench_cal.nops[2], (unsigned)bench_cal.nops[3]);
    if (info->has_check) {
        fw_printf(",\"check\":%d", info->check);
    } else {
        fw_printf(",\"check\":null");
    }
    fw_printf(",\"corruptions\":%zu,\"stopped\":%s", R.corruptions, R.stopped ? "true" : "false");
    if (R.stopped) {
        fw_printf(",\"stop_line\":%u", R.stop_line);
    }
    bool ok = R.corruptions == 0 && !R.stopped && (!info->has_check || info->check == 0);
    fw_printf(",\"ok\":%s}\n", ok ? "true" : "false");
}

/* ---- main ------------------------------------------------------------------------------------ */

static char cmdline[512];

int main(void)
{
    bench_calibration_t cal;
    if (!bench_timer_init(&cal)) {
        return 1;
    }
    scratch_next = fw_free_ram_start;
    scratch_end = fw_free_ram_end;

    /* "<image> <backend> <trace>" */
    if (semihost_get_cmdline(cmdline, sizeof cmdline) < 0) {
        die("replay: no command line (QEMU: -semihosting-config ...,arg=<image>,arg=<backend>,arg=<trace>)");
    }
    char *words[4] = {0};
    size_t nw = 0;
    for (char *s = cmdline; *s != '\0' && nw < 4;) {
        while (*s == ' ') {
            *s++ = '\0';
        }
        if (*s == '\0') {
            break;
        }
        words[nw++] = s;
        while (*s != '\0' && *s != ' ') {
            s++;
        }
    }
    if (nw != 3) {
        fw_printf("usage: <image> <backend> <trace file>; back-ends in this image:");
        for (size_t i = 0; i < bench_backend_count; i++) {
            fw_printf(" %s", bench_backends[i]->name);
        }
        die("%s", "");
    }
    for (size_t i = 0; i < bench_backend_count; i++) {
        if (strcmp(bench_backends[i]->name, words[1]) == 0) {
            B = bench_backends[i];
        }
    }
    if (B == NULL) {
        die("replay: no back-end \"%s\" in this image", words[1]);
    }

    static trace_t trace;
    load_trace(&trace, words[2]);
    if (trace.arena > SIZE_MAX) {
        die("%s: arena of %lu bytes does not fit this machine", trace.path, (unsigned long)trace.arena);
    }
    arena_bytes = (size_t)trace.arena;

    /* The arena: the PSRAM bank where the board has one (16 MiB on mps2), else free RAM (RISC-V virt).
     * A library built with EA_TLSF_BITBAND needs the heap object, which lies at the arena's start, in
     * the bit-band SRAM (the first MiB of the mps2 RAM): free RAM then. */
#if defined(FW_HAVE_RAM2) && !(defined(EA_TLSF_BITBAND) && EA_TLSF_BITBAND)
    if (arena_bytes <= (size_t)((unsigned char *)fw_ram2_end - (unsigned char *)fw_ram2_start)) {
        arena = fw_ram2_start;
    }
#endif
    if (arena == NULL) {
        scratch_next = fw_on_64k_boundary(scratch_next);
        arena = scratch(arena_bytes);
    }
    memset(arena, 0xa5, arena_bytes);
    owner = scratch(((arena_bytes >> GRANULE_LOG2) + 1u) * sizeof *owner);
    memset(owner, 0, ((arena_bytes >> GRANULE_LOG2) + 1u) * sizeof *owner);
    slots = scratch(((size_t)trace.max_id + 1u) * sizeof *slots);
    memset(slots, 0, ((size_t)trace.max_id + 1u) * sizeof *slots);
    for (int k = 0; k < K_COUNT; k++) {
        smp[k].v = scratch((trace.count[k] + 1u) * sizeof *smp[k].v);
    }

    size_t handle_bytes = 0;
    heap = B->setup(arena, arena_bytes, &handle_bytes);
    for (size_t g = 0; handle_fits(handle_bytes) && g < ((handle_bytes + 7u) >> GRANULE_LOG2); g++) {
        owner[g] = OWNER_HANDLE;
    }
    if (B->free_blocks != NULL) {
        R.free_blocks_now = R.free_blocks_max = B->free_blocks(heap);
    }

    cursor_t c = {trace.text, trace.text + trace.len, 0};
    op_t op;
    uint64_t seen_arena = 0;
    while (!R.stopped && next_op(&c, &op, &trace, &seen_arena)) {
        switch (op.kind) {
        case 'a':
        case 'c': do_alloc(&op); break;
        case 'r': do_realloc(&op); break;
        default: do_free(&op); break;
        }
        if (B->free_blocks != NULL) {
            R.free_blocks_now = B->free_blocks(heap);
            if (R.free_blocks_now > R.free_blocks_max) {
                R.free_blocks_max = R.free_blocks_now;
            }
        }
    }
    /* Every block still live must still hold its pattern. */
    for (uint32_t id = 0; !R.stopped && id <= trace.max_id; id++) {
        if (slots[id].p != NULL) {
            (void)verify(id, "at the end of the trace", c.line);
        }
    }

    bench_heap_info_t info;
    B->info(heap, &info);
    if (info.has_check && info.check != 0) {
        fw_printf("%s: %s: check() = %d at the end\n", trace.path, B->name, info.check);
    }
    print_result(&trace, handle_bytes, &info);
    return R.corruptions == 0 && !R.stopped && (!info.has_check || info.check == 0) ? 0 : 1;
}
