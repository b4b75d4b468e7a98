/*
 * The replay loop. Only the allocator call itself sits between the two clock
 * reads; everything the replay checks (pattern, alignment, ownership of each
 * byte, used(), check(), the map) happens outside them.
 *
 * What is checked, and why each check exists:
 *  - every requested byte carries a pattern derived from the id, verified
 *    before free and realloc, after realloc (the kept prefix), after a failed
 *    realloc (the old block must be intact) and at the end: catches blocks
 *    that overlap, a header written over a payload, a wrong copy;
 *  - on arena back-ends, which id owns each arena byte: an overlap is caught
 *    when the second block is handed out, naming both ids;
 *  - alignment: the trace's align, else the back-end's default (for llff
 *    and tlsf EA_ALIGN, for malloc alignof(max_align_t));
 *  - the block lies inside the arena and usable_size covers the request;
 *  - calloc's bytes are zero, and an overflowing calloc fails.
 */
#define _POSIX_C_SOURCE 200809L

#include "replay.h"

#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "panic_guard.h"
#include "pattern.h"

typedef struct slot {
    unsigned char *p;
    size_t size;  /* requested bytes */
    size_t claim; /* bytes marked as this id's in the owner map (a 0-byte block claims its first byte) */
    bool live;
} slot_t;

typedef struct run {
    const trace_t *t;
    const backend_t *be;
    const replay_options_t *opt;
    replay_result_t *r;
    void *heap;
    unsigned char *arena;  /* the trace's arena bytes; NULL for arena-less back-ends */
    void *handle;          /* the heap handle when it does not live in the arena */
    uint32_t *owner;       /* per arena byte: id + 1 of the live block that requested it, or 0 */
    slot_t *slots;         /* per id */
    latency_t lat[OP_KINDS];
    uint64_t live;         /* requested bytes of live blocks */
    double fill_sum;
    unsigned messages;
    size_t op;             /* index of the operation being replayed */
    bool created;          /* the back-end's create() returned */
} run_t;

static void report(run_t *x, const char *fmt, va_list ap)
{
    if (x->messages < x->opt->max_messages) {
        if (x->op < x->t->n_ops) {
            (void)fprintf(stderr, "%s:%u: %s: ", x->t->path, (unsigned)x->t->ops[x->op].line, x->be->name);
        } else {
            (void)fprintf(stderr, "%s: %s: ", x->t->path, x->be->name); /* after the last operation */
        }
        (void)vfprintf(stderr, fmt, ap);
        (void)fputc('\n', stderr);
    } else if (x->messages == x->opt->max_messages) {
        (void)fprintf(stderr, "%s: %s: further messages suppressed\n", x->t->path, x->be->name);
    }
    x->messages++;
}

/* A detected corruption: counted, and described on stderr (up to max_messages). */
static void corrupt(run_t *x, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    x->r->corruptions++;
    report(x, fmt, ap);
    va_end(ap);
}

/* Stop replaying: the heap can no longer be trusted, or the replay cannot go on safely. */
static void stop(run_t *x, const char *why)
{
    if (!x->r->aborted) {
        x->r->aborted = true;
        x->r->abort_op = x->op;
        (void)snprintf(x->r->abort_reason, sizeof x->r->abort_reason, "%s", why);
    }
}

/* The value as a size_t, or false when it does not fit (FORMAT.md: a failure, never a truncation). */
static bool to_size(trace_num_t n, size_t *out)
{
    if (n.huge || n.value > SIZE_MAX) {
        return false;
    }
    *out = (size_t)n.value;
    return true;
}

static void describe(const trace_op_t *op, char *buf, size_t len)
{
    char size[24];
    char extra[48] = "";
    if (op->size.huge) {
        (void)snprintf(size, sizeof size, ">2^64");
    } else {
        (void)snprintf(size, sizeof size, "%" PRIu64, op->size.value);
    }
    if (op->kind == OP_ALLOC && (op->align.huge || op->align.value != 0)) {
        (void)snprintf(extra, sizeof extra, " aligned to %" PRIu64, op->align.value);
    }
    if (op->kind == OP_CALLOC) {
        if (op->count.huge) {
            (void)snprintf(extra, sizeof extra, " x >2^64");
        } else {
            (void)snprintf(extra, sizeof extra, " x %" PRIu64, op->count.value);
        }
    }
    (void)snprintf(buf, len, "%s of id %u: %s bytes%s", trace_kind_name(op->kind), (unsigned)op->id, size, extra);
}

static void record_failure(run_t *x, const trace_op_t *op, bool called)
{
    replay_result_t *r = x->r;
    r->failures[op->kind]++;
    r->failures_total++;
    if (!called) {
        r->refused++;
    }
    double fill = (double)x->live / (double)x->t->arena;
    if (x->be->has_arena) {
        if (!r->has_fill) {
            r->has_fill = true;
            r->fill_first = r->fill_min = fill;
        }
        if (fill < r->fill_min) {
            r->fill_min = fill;
        }
        x->fill_sum += fill;
    }
    if (r->has_map) {
        char what[96];
        describe(op, what, sizeof what);
        if (!heapmap_failure(&r->map, x->op, op->line, fill, what)) {
            stop(x, "out of memory for the map");
        }
    }
}

/* Offset of p in the arena when [p, p + n) lies inside it. */
static bool arena_offset(const run_t *x, const unsigned char *p, size_t n, size_t *off)
{
    uintptr_t a = (uintptr_t)x->arena;
    uintptr_t q = (uintptr_t)p;
    if (q < a || q - a > x->t->arena || n > x->t->arena - (q - a)) {
        return false;
    }
    *off = (size_t)(q - a);
    return true;
}

/*
 * Checks on a block just handed out, before the replay writes a byte of it.
 * false when writing to it would be unsafe (outside the arena): the replay
 * then stops.
 */
static bool accept_block(run_t *x, uint32_t id, unsigned char *p, size_t size, size_t align)
{
    if (((uintptr_t)p & (align - 1)) != 0) {
        corrupt(x, "block %p of id %u is not aligned to %zu", (void *)p, (unsigned)id, align);
    }
    if (x->arena == NULL) {
        return true;
    }
    size_t off;
    if (!arena_offset(x, p, size, &off)) {
        corrupt(x, "block %p of %zu bytes (id %u) is not inside the arena [%p, +%" PRIu64 ")", (void *)p, size,
                (unsigned)id, (void *)x->arena, x->t->arena);
        stop(x, "a block outside the arena");
        return false;
    }
    size_t usable = x->be->usable_size != NULL ? x->be->usable_size(x->heap, p) : size;
    if (usable < size) {
        corrupt(x, "usable_size of id %u is %zu, below the %zu bytes requested", (unsigned)id, usable, size);
    }
    size_t claim = size != 0 ? size : (usable != 0 && off < x->t->arena ? 1 : 0);
    for (size_t i = 0; i < claim; i++) {
        uint32_t other = x->owner[off + i];
        if (other != 0 && other != id + 1) {
            corrupt(x, "block of id %u at arena offset %zu overlaps live id %u at byte %zu", (unsigned)id, off,
                    (unsigned)(other - 1), i);
            break;
        }
    }
    x->slots[id].claim = claim;
    return true;
}

/* Mark the live block of id in the owner map and the map's columns. */
static void own(run_t *x, uint32_t id)
{
    slot_t *s = &x->slots[id];
    if (x->arena == NULL) {
        return;
    }
    size_t off = (size_t)(s->p - x->arena);
    for (size_t i = 0; i < s->claim; i++) {
        x->owner[off + i] = id + 1;
    }
    if (x->r->has_map) {
        heapmap_live(&x->r->map, off, s->size, true);
    }
}

/* Undo own(); bytes another id has since claimed (an overlap already reported) stay theirs. */
static void disown(run_t *x, uint32_t id)
{
    slot_t *s = &x->slots[id];
    if (x->arena == NULL) {
        return;
    }
    size_t off = (size_t)(s->p - x->arena);
    for (size_t i = 0; i < s->claim; i++) {
        if (x->owner[off + i] == id + 1) {
            x->owner[off + i] = 0;
        }
    }
    if (x->r->has_map) {
        heapmap_live(&x->r->map, off, s->size, false);
    }
}

/* Verify the first n bytes of id's block against its pattern. */
static void verify(run_t *x, uint32_t id, size_t n, const char *when)
{
    const slot_t *s = &x->slots[id];
    size_t bad = pattern_find_mismatch(s->p, n, pattern_seed(id));
    if (bad < n) {
        corrupt(x, "block of id %u (%zu bytes) corrupted at byte %zu %s: 0x%02x, expected 0x%02x", (unsigned)id,
                s->size, bad, when, s->p[bad], pattern_byte(pattern_seed(id), bad));
        /* Rewrite it, so one damage is reported once, not again at every later check of this block. */
        pattern_fill(s->p, 0, n, pattern_seed(id));
    }
}

static void bind(run_t *x, uint32_t id, unsigned char *p, size_t size)
{
    slot_t *s = &x->slots[id];
    s->p = p;
    s->size = size;
    s->live = true;
    x->live += size;
    if (x->live > x->r->peak_live) {
        x->r->peak_live = x->live;
    }
    own(x, id);
}

static void unbind(run_t *x, uint32_t id)
{
    slot_t *s = &x->slots[id];
    disown(x, id);
    x->live -= s->size;
    s->live = false;
    s->p = NULL;
}

/* Whether an arena-less back-end should be spared a request: see the refused field. */
static bool refuse_large(const run_t *x, size_t size)
{
    return !x->be->has_arena && size > x->t->arena;
}

static void do_alloc(run_t *x, const trace_op_t *op)
{
    size_t size = 0;
    size_t align = 0;
    bool aligned = op->align.huge || op->align.value != 0;
    if (!to_size(op->size, &size) || (aligned && !to_size(op->align, &align)) || refuse_large(x, size)) {
        record_failure(x, op, false);
        return;
    }
    uint64_t t0 = clock_ns();
    void *p = aligned ? x->be->alloc_aligned(x->heap, align, size) : x->be->alloc(x->heap, size);
    uint64_t t1 = clock_ns();
    latency_add(&x->lat[OP_ALLOC], t1 - t0);
    if (p == NULL) {
        record_failure(x, op, true);
        return;
    }
    /* FORMAT.md: with an alignment, a multiple of it; without, the platform's malloc alignment. */
    if (!accept_block(x, op->id, p, size, aligned ? align : x->be->default_align)) {
        return;
    }
    bind(x, op->id, p, size);
    pattern_fill(p, 0, size, pattern_seed(op->id));
}

static void do_calloc(run_t *x, const trace_op_t *op)
{
    size_t count = 0;
    size_t size = 0;
    if (!to_size(op->count, &count) || !to_size(op->size, &size)) {
        record_failure(x, op, false);
        return;
    }
    bool overflows = size != 0 && count > SIZE_MAX / size;
    size_t total = overflows ? 0 : count * size;
    /* For an arena-less back-end an overflowing product is larger than any arena, so refused like one. */
    if (refuse_large(x, overflows ? SIZE_MAX : total)) {
        record_failure(x, op, false);
        return;
    }
    uint64_t t0 = clock_ns();
    unsigned char *p = x->be->calloc(x->heap, count, size);
    uint64_t t1 = clock_ns();
    latency_add(&x->lat[OP_CALLOC], t1 - t0);
    if (p == NULL) {
        record_failure(x, op, true);
        return;
    }
    if (overflows) {
        corrupt(x, "calloc(%zu, %zu) returned a block although the product overflows size_t", count, size);
        x->be->free(x->heap, p);
        return;
    }
    if (!accept_block(x, op->id, p, total, x->be->default_align)) {
        return;
    }
    for (size_t i = 0; i < total; i++) {
        if (p[i] != 0) {
            corrupt(x, "calloc block of id %u is not zero at byte %zu (0x%02x)", (unsigned)op->id, i, p[i]);
            break;
        }
    }
    bind(x, op->id, p, total);
    pattern_fill(p, 0, total, pattern_seed(op->id));
}

static void do_realloc(run_t *x, const trace_op_t *op)
{
    slot_t *s = &x->slots[op->id];
    if (!s->live) {
        x->r->skipped[OP_REALLOC]++;
        return;
    }
    size_t size = 0;
    if (!to_size(op->size, &size) || refuse_large(x, size)) {
        record_failure(x, op, false);
        return;
    }
    size_t old = s->size;
    unsigned char *old_p = s->p;
    verify(x, op->id, old, "before realloc");
    unbind(x, op->id); /* the old bytes may be reused by the new block: not an overlap */
    uint64_t t0 = clock_ns();
    unsigned char *p = x->be->realloc(x->heap, old_p, size);
    uint64_t t1 = clock_ns();
    latency_add(&x->lat[OP_REALLOC], t1 - t0);
    if (p == NULL) {
        bind(x, op->id, old_p, old);
        verify(x, op->id, old, "after a failed realloc (it must stay intact)");
        record_failure(x, op, true);
        return;
    }
    if (!accept_block(x, op->id, p, size, x->be->default_align)) {
        return;
    }
    bind(x, op->id, p, size);
    verify(x, op->id, old < size ? old : size, "after realloc (the kept prefix)");
    pattern_fill(p, old < size ? old : size, size, pattern_seed(op->id));
}

static void do_free(run_t *x, const trace_op_t *op)
{
    slot_t *s = &x->slots[op->id];
    if (!s->live) {
        x->r->skipped[OP_FREE]++;
        return;
    }
    verify(x, op->id, s->size, "before free");
    void *p = s->p;
    unbind(x, op->id);
    uint64_t t0 = clock_ns();
    x->be->free(x->heap, p);
    uint64_t t1 = clock_ns();
    latency_add(&x->lat[OP_FREE], t1 - t0);
}

/* After each operation: peak used, periodic check, map row. */
static void after_op(run_t *x)
{
    replay_result_t *r = x->r;
    uint64_t used = 0;
    if (x->be->used != NULL) {
        used = x->be->used(x->heap);
        if (used > r->peak_used) {
            r->peak_used = used;
        }
    }
    if (x->opt->check_every != 0 && x->be->check != NULL && (x->op + 1) % x->opt->check_every == 0) {
        int rc = x->be->check(x->heap);
        r->checks_run++;
        if (rc != 0) {
            corrupt(x, "check() returned %d after operation %zu", rc, x->op + 1);
            stop(x, "check() failed");
        }
    }
    if (r->has_map && heapmap_wants(&r->map, x->op)) {
        heapmap_sample(&r->map, x->op, x->be, x->heap, used, x->live);
    }
}

static void run_ops(run_t *x)
{
    for (x->op = 0; x->op < x->t->n_ops && !x->r->aborted; x->op++) {
        const trace_op_t *op = &x->t->ops[x->op];
        x->r->ops[op->kind]++;
        switch (op->kind) {
        case OP_ALLOC: do_alloc(x, op); break;
        case OP_CALLOC: do_calloc(x, op); break;
        case OP_REALLOC: do_realloc(x, op); break;
        case OP_FREE: do_free(x, op); break;
        default: break;
        }
        after_op(x);
    }
}

/* The end of a replay: every block still live is intact, and check() passes. */
static void finish(run_t *x)
{
    x->op = x->t->n_ops;
    for (uint32_t id = 0; id <= x->t->max_id; id++) {
        if (x->slots[id].live) {
            verify(x, id, x->slots[id].size, "at the end of the trace");
        }
    }
    if (x->be->check != NULL) {
        x->r->has_check = true;
        x->r->check = x->be->check(x->heap);
        x->r->checks_run++;
    }
}

/*
 * Everything that may call into the allocator runs under the panic guard:
 * a panic jumps back here and ends this replay only. Only x, a pointer that
 * is never modified here, is used after the jump.
 */
static void guarded(run_t *x, unsigned char *region, size_t region_size, void *handle)
{
    jmp_buf target;
    if (setjmp(target) != 0) {
        char why[160];
        (void)snprintf(why, sizeof why, "ea_panic: %s", panic_guard_message());
        corrupt(x, "%s", why);
        stop(x, why);
        return;
    }
    panic_guard_arm(&target);
    x->heap = x->be->create(handle, region, region_size);
    x->created = true;
    run_ops(x);
    if (!x->r->aborted) {
        finish(x);
    }
    panic_guard_arm(NULL);
}

/* Allocate the arena (and the handle outside it, unless it goes inside). */
static bool setup(run_t *x, unsigned char **region, size_t *region_size)
{
    const backend_t *be = x->be;
    size_t arena = (size_t)x->t->arena;
    size_t handle_align = be->handle_align > sizeof(void *) ? be->handle_align : sizeof(void *);
    x->slots = calloc((size_t)x->t->max_id + 1, sizeof *x->slots);
    if (x->slots == NULL) {
        return false;
    }
    for (int k = 0; k < OP_KINDS; k++) {
        size_t n = 0;
        for (size_t i = 0; i < x->t->n_ops; i++) {
            n += x->t->ops[i].kind == (trace_kind_t)k;
        }
        if (!latency_init(&x->lat[k], n)) {
            return false;
        }
    }
    if (be->handle_size != 0 && (!be->has_arena || !x->opt->handle_in_arena)) {
        void *h = NULL;
        if (posix_memalign(&h, handle_align, be->handle_size) != 0) {
            return false;
        }
        x->handle = h;
    }
    if (!be->has_arena) {
        *region = NULL;
        *region_size = 0;
        return true;
    }
    /* Exactly the trace's bytes, so that a sanitizer sees any access past its end. */
    x->arena = malloc(arena);
    x->owner = calloc(arena, sizeof *x->owner);
    if (x->arena == NULL || x->owner == NULL) {
        return false;
    }
    /*
     * Touch every page now, so no page fault lands inside a timed call (firmware
     * has none), and with a non-zero byte, so a calloc that trusts fresh memory
     * to be zero is caught.
     */
    memset(x->arena, 0xa5, arena);
    *region = x->arena;
    *region_size = arena;
    if (x->opt->handle_in_arena) {
        /* The handle at the start of the arena (malloc's alignment suffices for it), the heap after it. */
        if (be->handle_size >= arena || handle_align > _Alignof(max_align_t)) {
            return false;
        }
        x->handle = NULL;
        *region = x->arena + be->handle_size;
        *region_size = arena - be->handle_size;
    }
    return true;
}

static void teardown(run_t *x)
{
    if (!x->be->has_arena && x->created) {
        /* Arena-less back-ends hold real process memory: give it back. */
        for (uint32_t id = 0; id <= x->t->max_id; id++) {
            if (x->slots[id].live) {
                x->be->free(x->heap, x->slots[id].p);
            }
        }
    }
    if (x->created) {
        x->be->destroy(x->heap);
    }
    for (int k = 0; k < OP_KINDS; k++) {
        latency_summarize(&x->lat[k], &x->r->latency[k]);
        latency_free(&x->lat[k]);
    }
    free(x->slots);
    free(x->owner);
    free(x->arena);
    free(x->handle);
}

bool replay_run(const trace_t *t, const backend_t *be, const replay_options_t *opt, replay_result_t *r)
{
    memset(r, 0, sizeof *r);
    r->trace = t;
    r->backend = be;
    r->arena = t->arena;
    r->handle_bytes = be->handle_size;
    r->handle_in_arena = be->has_arena && opt->handle_in_arena;
    r->has_used = be->used != NULL;
    run_t x = {.t = t, .be = be, .opt = opt, .r = r};
    unsigned char *region = NULL;
    size_t region_size = 0;
    bool ok = setup(&x, &region, &region_size);
    if (!ok) {
        (void)fprintf(stderr, "%s:%u: %s: cannot set up a %" PRIu64 "-byte arena%s\n", t->path, (unsigned)t->arena_line,
                      be->name, t->arena, opt->handle_in_arena && be->has_arena ? " holding the heap handle" : "");
    } else if (opt->map && be->has_arena) {
        if (!heapmap_init(&r->map, x.arena, t->arena, t->n_ops, opt->map_rows, opt->map_width)) {
            (void)fprintf(stderr, "%s: %s: cannot make a map of this arena\n", t->path, be->name);
            ok = false;
        }
        r->has_map = ok;
    }
    if (ok) {
        guarded(&x, region, region_size, r->handle_in_arena ? (void *)x.arena : x.handle);
        r->end_live = x.live;
        if (r->has_fill) {
            r->fill_mean = x.fill_sum / (double)r->failures_total; /* has_fill: at least one failure */
        }
    }
    teardown(&x);
    return ok;
}

void replay_result_free(replay_result_t *r)
{
    if (r->has_map) {
        heapmap_free(&r->map);
        r->has_map = false;
    }
}

bool replay_result_bad(const replay_result_t *r)
{
    return r->corruptions != 0 || r->aborted || (r->has_check && r->check != 0);
}
