/*
 * Thread stress: several threads hammer heaps through the pthread port.
 *
 *   threads_<kind> --mode shared|own [--threads N] [--ops N] [--seed S]
 *
 * shared: N threads on one heap. Each keeps a model of its own blocks (where,
 *   how large, the seed of the pattern that fills every usable byte) and
 *   verifies a block's pattern before it frees, reallocates or hands it over;
 *   now and then a thread hands a block to the next thread through a mailbox,
 *   and that thread verifies and frees it (blocks freed by a thread that did
 *   not allocate them). Every thread runs check() and a stats snapshot
 *   (used + free == capacity) every 64 operations while the others run.
 *   At the end, with every thread joined: check() is 0 and used() is the
 *   sum of the footprints of every thread's live blocks; after freeing them
 *   all, used() is 0 and each region is one free block again.
 * own: N threads, each on a heap of its own; nothing is shared but the port's
 *   lock, so each thread also checks used() against its model after every
 *   operation.
 *
 * Operations: alloc, aligned alloc (up to 4096), calloc, realloc,
 * realloc_aligned, free, usable_size; half way, add_region of a second
 * region below the first (by thread 0 on the shared heap). The threads yield
 * every few operations: the port's mutex favours the thread that just left
 * it, and without the yields each would run thousands of operations alone.
 * A failure prints the thread, the operation and the seed, and aborts.
 */
#define _POSIX_C_SOURCE 200809L /* pthread_barrier_t */
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ealloc/llff.h>
#include <ealloc/tlsf.h>

#include "backend.h"
#include "test_tape.h"

#define MAX_THREADS 16
#define SLOTS 64
#define SHARED_HALF (64 * 1024)
#define OWN_HALF (16 * 1024)
#define CHECK_EVERY 64
#define HANDOFF_EVERY 61
#define YIELD_EVERY 8

typedef struct {
    unsigned char *p;
    size_t usable;
    size_t align;
    uint32_t seed;
} block_t;

typedef struct {
    unsigned id;
    void *heap;
    bool own_heap;
    unsigned long op;
    uint64_t rng;
    uint32_t next_seed;
    size_t model_used; /* footprints of the live blocks this thread holds */
    unsigned long failed, handed, received;
    block_t slot[SLOTS];
} worker_t;

/* Heap objects for the own-heap mode, large enough for either back-end. */
typedef union {
    ea_llff_t llff;
    ea_tlsf_t tlsf;
} any_heap_t;

static any_heap_t own_heaps[MAX_THREADS];
/*
 * Each heap starts on the upper half of its arena; half way through its run a
 * thread gives its heap the lower half (thread 0 for the shared heap), so a
 * region is added below the first one while other threads use the heap.
 */
static _Alignas(4096) unsigned char shared_arena[2 * SHARED_HALF];
static _Alignas(4096) unsigned char own_arenas[MAX_THREADS][2 * OWN_HALF];

static unsigned threads = 4;
static unsigned long ops_per_thread = 1000000;
static unsigned long long seed = 20261125;
static bool own_mode;

static worker_t workers[MAX_THREADS];
static pthread_barrier_t start_line;

/*
 * A handed-over block: its usable size and pattern seed in its first bytes,
 * the pattern after them. One mailbox per thread; NULL when empty.
 */
typedef struct {
    size_t usable;
    uint32_t seed;
} parcel_t;
#define PARCEL_BYTES ((sizeof(parcel_t) + 15u) & ~(size_t)15u)
static _Atomic(unsigned char *) mailbox[MAX_THREADS];

/* How often consecutive operations came from different threads: how finely they interleaved. */
static atomic_uint last_thread;
static atomic_ulong switches;

/* ---- failure, randomness, patterns ---------------------------------------------------- */

static void fail(const worker_t *w, const char *fmt, ...) __attribute__((noreturn, format(printf, 2, 3)));

static void fail(const worker_t *w, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)fprintf(stderr, "threads_%s (%s, seed %llu): thread %u, op %lu: ", backend.name,
                  own_mode ? "own heaps" : "shared heap", seed, w != NULL ? w->id : 0, w != NULL ? w->op : 0);
    (void)vfprintf(stderr, fmt, ap);
    (void)fputc('\n', stderr);
    va_end(ap);
    abort();
}

static uint64_t next_random(worker_t *w)
{
    uint64_t z = (w->rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static size_t below(worker_t *w, size_t n)
{
    return (size_t)(next_random(w) % n);
}

static size_t random_size(worker_t *w)
{
    size_t r = below(w, 100);
    if (r < 55) {
        return below(w, 65);
    }
    if (r < 90) {
        return 65 + below(w, 448);
    }
    if (r < 99) {
        return 513 + below(w, 3584);
    }
    return 4097 + below(w, 12288);
}

/* A block's pattern is a window of one read-only random tape (test_tape.h). */
#define TAPE_OFFSETS 8192
static unsigned char tape[2 * SHARED_HALF + TAPE_OFFSETS];

static const unsigned char *pattern(uint32_t s)
{
    return tape + tape_offset(s, TAPE_OFFSETS);
}

static void verify(const worker_t *w, const unsigned char *p, size_t n, uint32_t s, const char *when)
{
    if (memcmp(p, pattern(s), n) != 0) {
        fail(w, "%s: block %p (%zu bytes checked) was overwritten", when, (const void *)p, n);
    }
}

/* ---- the model ------------------------------------------------------------------------- */

static size_t footprint(size_t usable)
{
    return usable + backend.header + TEST_GUARD;
}

static void take(worker_t *w, block_t *b, unsigned char *p, size_t asked, size_t align)
{
    if (((uintptr_t)p & (align - 1)) != 0) {
        fail(w, "block %p is not aligned to %zu", (void *)p, align);
    }
    size_t usable = backend.usable_size(w->heap, p);
    if (usable < asked || usable > sizeof tape - TAPE_OFFSETS) {
        fail(w, "block %p: usable %zu for %zu asked", (void *)p, usable, asked);
    }
    b->p = p;
    b->usable = usable;
    b->align = align;
    b->seed = w->next_seed++;
    memcpy(p, pattern(b->seed), usable);
    w->model_used += footprint(usable);
}

static void drop(worker_t *w, block_t *b)
{
    w->model_used -= footprint(b->usable);
    b->p = NULL;
}

static void free_block(worker_t *w, block_t *b)
{
    verify(w, b->p, b->usable, b->seed, "before free");
    backend.free(w->heap, b->p);
    drop(w, b);
}

/* Take the block in this thread's mailbox, if any: verify it and free it. */
static void collect_mail(worker_t *w)
{
    unsigned char *p = atomic_exchange(&mailbox[w->id], NULL);
    if (p == NULL) {
        return;
    }
    parcel_t parcel;
    memcpy(&parcel, p, sizeof parcel);
    if (backend.usable_size(w->heap, p) != parcel.usable) {
        fail(w, "a block handed over changed its usable size");
    }
    verify(w, p + PARCEL_BYTES, parcel.usable - PARCEL_BYTES, parcel.seed, "handed over");
    backend.free(w->heap, p);
    w->received++;
}

/* Hand block b to the next thread, if its mailbox is empty. */
static void hand_over(worker_t *w, block_t *b)
{
    if (b->usable < PARCEL_BYTES) {
        return;
    }
    verify(w, b->p, b->usable, b->seed, "before handing over");
    parcel_t parcel = {b->usable, w->next_seed++};
    memcpy(b->p, &parcel, sizeof parcel);
    memcpy(b->p + PARCEL_BYTES, pattern(parcel.seed), b->usable - PARCEL_BYTES);
    unsigned char *expected = NULL;
    if (atomic_compare_exchange_strong(&mailbox[(w->id + 1) % threads], &expected, b->p)) {
        drop(w, b); /* no longer this thread's */
        w->handed++;
    } else {
        b->seed = parcel.seed; /* kept: re-describe it by the pattern it now holds */
        memcpy(b->p, pattern(b->seed), b->usable);
    }
}

static void heap_sound(worker_t *w)
{
    int rc = backend.check(w->heap);
    if (rc != EA_OK) {
        fail(w, "check() = %d", rc);
    }
    ea_stats_t st;
    backend.stats(w->heap, &st);
    if (st.used + st.free != st.capacity) {
        fail(w, "stats: used %zu + free %zu != capacity %zu", st.used, st.free, st.capacity);
    }
    if (own_mode && st.used != w->model_used) {
        fail(w, "stats: used %zu, model %zu", st.used, w->model_used);
    }
}

static void one_operation(worker_t *w)
{
    block_t *b = &w->slot[below(w, SLOTS)];
    size_t r = below(w, 100);
    if (b->p == NULL) {
        size_t size = random_size(w);
        unsigned char *p;
        size_t align = EA_ALIGN;
        if (r < 70) {
            p = backend.alloc(w->heap, size);
        } else if (r < 85) {
            align = (size_t)1 << below(w, 13);
            p = backend.alloc_aligned(w->heap, align, size);
        } else {
            size_t n = 1 + below(w, 8);
            size /= n;
            p = backend.calloc(w->heap, n, size);
            size *= n;
            for (size_t i = 0; p != NULL && i < size; i++) {
                if (p[i] != 0) {
                    fail(w, "calloc: byte %zu of %zu is not zero", i, size);
                }
            }
        }
        if (p == NULL) {
            w->failed++;
        } else {
            take(w, b, p, size, align);
        }
        return;
    }
    if (r < 40) {
        free_block(w, b);
    } else if (r < 45) {
        size_t usable = backend.usable_size(w->heap, b->p);
        if (usable != b->usable) {
            fail(w, "usable_size of %p changed from %zu to %zu", (void *)b->p, b->usable, usable);
        }
    } else if (r < 50 && !own_mode) {
        hand_over(w, b);
    } else {
        verify(w, b->p, b->usable, b->seed, "before realloc");
        size_t size = random_size(w);
        bool aligned = r >= 85;
        size_t align = aligned ? b->align : EA_ALIGN;
        unsigned char *q = aligned ? backend.realloc_aligned(w->heap, b->p, align, size)
                                   : backend.realloc(w->heap, b->p, size);
        if (q == NULL && size == 0) {
            drop(w, b);
        } else if (q == NULL) {
            w->failed++;
            verify(w, b->p, b->usable, b->seed, "after a failed realloc");
        } else {
            size_t kept = b->usable < size ? b->usable : size;
            verify(w, q, kept, b->seed, "after realloc");
            drop(w, b);
            take(w, b, q, size, align);
        }
    }
}

static void *run(void *arg)
{
    worker_t *w = arg;
    (void)pthread_barrier_wait(&start_line);
    for (w->op = 1; w->op <= ops_per_thread; w->op++) {
        one_operation(w);
        if (atomic_exchange_explicit(&last_thread, w->id, memory_order_relaxed) != w->id) {
            atomic_fetch_add_explicit(&switches, 1, memory_order_relaxed);
        }
        if (own_mode && backend.used(w->heap) != w->model_used) {
            fail(w, "used() = %zu, model %zu", backend.used(w->heap), w->model_used);
        }
        if (!own_mode && w->op % HANDOFF_EVERY == 0) {
            collect_mail(w);
        }
        if (w->op % CHECK_EVERY == 0) {
            heap_sound(w);
        }
        if (w->op == ops_per_thread / 2 && (own_mode || w->id == 0)) {
            unsigned char *lower = own_mode ? own_arenas[w->id] : shared_arena;
            if (!backend.add_region(w->heap, lower, own_mode ? OWN_HALF : SHARED_HALF)) {
                fail(w, "add_region of the lower half was refused");
            }
        }
        if (w->op % YIELD_EVERY == 0) {
            (void)sched_yield(); /* the port's mutex favours the thread that just left it: interleave more finely */
        }
    }
    return NULL;
}

static void usage(const char *argv0)
{
    (void)fprintf(stderr, "usage: %s --mode shared|own [--threads N] [--ops N] [--seed S]\n", argv0);
    exit(2);
}

int main(int argc, char **argv)
{
    const char *mode = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--mode") == 0) {
            mode = argv[i + 1];
        } else if (strcmp(argv[i], "--threads") == 0) {
            threads = (unsigned)strtoul(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "--ops") == 0) {
            ops_per_thread = strtoul(argv[i + 1], NULL, 10);
        } else if (strcmp(argv[i], "--seed") == 0) {
            seed = strtoull(argv[i + 1], NULL, 10);
        } else {
            usage(argv[0]);
        }
    }
    if (mode == NULL || (strcmp(mode, "shared") != 0 && strcmp(mode, "own") != 0) || threads < 1 ||
        threads > MAX_THREADS || argc % 2 == 0) {
        usage(argv[0]);
    }
    own_mode = strcmp(mode, "own") == 0;
    tape_make(tape, sizeof tape);

    void *shared = backend.heap_object;
    if (!own_mode) {
        backend.make_empty(shared);
        backend.init(shared, shared_arena + SHARED_HALF, SHARED_HALF);
    }
    for (unsigned t = 0; t < threads; t++) {
        worker_t *w = &workers[t];
        w->id = t;
        w->rng = seed * 0x100000001B3u + t;
        w->next_seed = 1;
        w->heap = shared;
        if (own_mode) {
            w->heap = &own_heaps[t];
            backend.make_empty(w->heap);
            backend.init(w->heap, own_arenas[t] + OWN_HALF, OWN_HALF);
        }
    }

    pthread_t tid[MAX_THREADS];
    if (pthread_barrier_init(&start_line, NULL, threads) != 0) {
        fail(NULL, "pthread_barrier_init");
    }
    for (unsigned t = 0; t < threads; t++) {
        if (pthread_create(&tid[t], NULL, run, &workers[t]) != 0) {
            fail(NULL, "pthread_create");
        }
    }
    for (unsigned t = 0; t < threads; t++) {
        (void)pthread_join(tid[t], NULL);
    }
    (void)pthread_barrier_destroy(&start_line);

    /* Everything joined: blocks left in mailboxes go back to their senders' count. */
    size_t expected_used = 0;
    unsigned long failed = 0;
    unsigned long handed = 0;
    for (unsigned t = 0; t < threads; t++) {
        worker_t *w = &workers[t];
        collect_mail(w);
        heap_sound(w);
        expected_used += w->model_used;
        failed += w->failed;
        handed += w->handed;
    }
    if (!own_mode && backend.used(shared) != expected_used) {
        fail(NULL, "used() = %zu, the threads' models hold %zu", backend.used(shared), expected_used);
    }
    for (unsigned t = 0; t < threads; t++) {
        worker_t *w = &workers[t];
        for (size_t i = 0; i < SLOTS; i++) {
            if (w->slot[i].p != NULL) {
                free_block(w, &w->slot[i]);
            }
        }
    }
    for (unsigned t = 0; t < (own_mode ? threads : 1); t++) {
        worker_t *w = &workers[t];
        heap_sound(w);
        ea_stats_t st;
        backend.stats(w->heap, &st);
        size_t regions = ops_per_thread >= 2 ? 2 : 1;
        if (st.used != 0 || st.used_blocks != 0 || st.free_blocks != regions) {
            fail(w, "with every block freed: used %zu, %zu used blocks, %zu free blocks", st.used, st.used_blocks,
                 st.free_blocks);
        }
    }
    printf("threads_%s: %u threads x %lu operations on %s: clean; %lu thread switches between operations, %lu "
           "failed allocations, %lu blocks handed between threads\n",
           backend.name, threads, ops_per_thread, own_mode ? "a heap each" : "one heap", atomic_load(&switches),
           failed, handed);
    return 0;
}
