/*
 * Interrupt safety: one heap, used at the same time by the main loop and by
 * an interrupt handler that preempts it.
 *
 * A timer interrupt (the tick: SysTick on Cortex-M, the machine timer on
 * RISC-V; irq_heap_hw.h and one file per architecture) fires about every 625
 * instructions under QEMU's -icount shift=5, which also puts every interrupt
 * on the same instruction in every run. Each interrupt does one heap
 * operation on blocks of its own: it verifies and frees a block, or
 * allocates one and fills it with a pattern. Meanwhile the main loop
 * allocates (plain and aligned), frees and reallocates blocks of its own
 * without pause, verifying every block's pattern before it frees or moves
 * it, and checks the whole heap (with interrupts masked, so that check sees
 * the heap between two calls) every CHECK_EVERY operations. When the handler
 * has done IRQ_OPS_WANTED operations it stops the timer; the main loop then
 * frees everything, verifying, and the heap must check clean, hold nothing,
 * and have counted every allocation and free.
 *
 * Built with the cortex-m port (the heap masks interrupts inside each call)
 * this must pass. Built with the none port (-DIRQ_EXPECT_CORRUPTION, a heap
 * with no critical section) the interrupt lands in the middle of main-loop
 * heap calls and the heap must be caught corrupted: a broken pattern, a
 * failed check, an ea_panic, a fault, or a heap call that never returns (a
 * watchdog that preempts the tick). Every one of those prints a line
 * starting "heap corruption detected" and stops the run with status 1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "fw_backend.h"
#include "irq_heap_hw.h"

#include "fw.h"

#ifndef IRQ_OPS_WANTED
#define IRQ_OPS_WANTED 100000u /* heap operations done by the interrupt handler in all */
#endif
#define IRQ_OPS_PER_TICK 1u
#define IRQ_SLOTS 16u
#define MAIN_SLOTS 48u
#define CHECK_EVERY 64u
#define ARENA_SIZE (24u * 1024u)

/* ---- state shared by the main loop and the handlers --------------------------------- */

static heap_t heap = HEAP_EMPTY;
static _Alignas(8) unsigned char arena[ARENA_SIZE];

typedef struct {
    unsigned char *p;
    size_t size;
    uint32_t seed;
} slot_t;

static slot_t irq_slot[IRQ_SLOTS];
static slot_t main_slot[MAIN_SLOTS];

static volatile uint32_t irq_ops;        /* heap operations done by the tick handler */
static volatile uint32_t irq_allocs, irq_frees, irq_failed_allocs;
static volatile uint32_t irq_count;      /* ticks that did heap work */
static volatile uint32_t irq_clocks;     /* irq_hw_elapsed() spent in the tick handler */
static volatile uint32_t irq_during_call; /* ... of them while the main loop was inside a heap call */
static volatile bool irq_done;
static const char *volatile irq_failure;/* set by the handler when it finds a block damaged */
static volatile uint32_t main_ops;       /* heap operations done by the main loop */
static volatile bool main_in_call;       /* the main loop is inside a heap call */
static uint32_t irq_rng = 0x9E3779B9u;
static uint32_t main_rng = 0x2545F491u;
static uint32_t next_seed = 1;

static uint32_t xorshift(uint32_t *s)
{
    uint32_t x = *s;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    *s = x;
    return x;
}

/* ---- patterns: every word of a block depends on its seed and its offset ----------------- */

/* Word i of a block (blocks are 8-aligned); a tail shorter than a word takes the low bytes of the next. */
static uint32_t pattern_word(uint32_t seed, size_t i)
{
    return seed ^ ((uint32_t)i * 0x9E3779B1u);
}

static void fill(unsigned char *p, size_t n, uint32_t seed)
{
    uint32_t *w = (uint32_t *)(void *)p;
    size_t words = n / 4;
    for (size_t i = 0; i < words; i++) {
        w[i] = pattern_word(seed, i);
    }
    uint32_t tail = pattern_word(seed, words);
    for (size_t i = words * 4; i < n; i++, tail >>= 8) {
        p[i] = (unsigned char)tail;
    }
}

/* The first offset where the block differs from its pattern (to the word), or n when it is intact. */
static size_t first_damage(const unsigned char *p, size_t n, uint32_t seed)
{
    const uint32_t *w = (const uint32_t *)(const void *)p;
    size_t words = n / 4;
    for (size_t i = 0; i < words; i++) {
        if (w[i] != pattern_word(seed, i)) {
            return i * 4;
        }
    }
    uint32_t tail = pattern_word(seed, words);
    for (size_t i = words * 4; i < n; i++, tail >>= 8) {
        if (p[i] != (unsigned char)tail) {
            return i;
        }
    }
    return n;
}

static bool inside_arena(const void *p, size_t n)
{
    const unsigned char *b = p;
    return b >= arena && b <= arena + ARENA_SIZE && n <= (size_t)(arena + ARENA_SIZE - b);
}

/* ---- how the run ends when the heap is found broken ----------------------------------- */

__attribute__((noreturn)) void irq_heap_corruption(const char *what)
{
    irq_hw_halt();
    fw_printf("heap corruption detected: %s (after %lu interrupt-time and %lu main-loop operations)\n", what,
              (unsigned long)irq_ops, (unsigned long)main_ops);
    fw_exit(FW_EXIT_FAILURE);
}

/* A damaged heap may make the library panic: that is a detection too (faults: the hardware files). */
void ea_panic(ea_fault_t why, const char *detail)
{
    char what[96];
    fw_snprintf(what, sizeof what, "ea_panic(%d, %s)", (int)why, detail != NULL ? detail : "");
    irq_heap_corruption(what);
}

/* ... or loop forever in a damaged list, in the main loop or in the tick handler. */
bool irq_heap_stalled(uint32_t limit)
{
    static uint32_t last_main, last_irq, stalls;
    bool same = main_ops == last_main && irq_ops == last_irq;
    last_main = main_ops;
    last_irq = irq_ops;
    stalls = same ? stalls + 1 : 0;
    return stalls >= limit;
}

/* ---- the interrupt handler's side --------------------------------------------------- */

static void irq_one_operation(void)
{
    slot_t *s = &irq_slot[xorshift(&irq_rng) % IRQ_SLOTS];
    if (s->p != NULL) {
        if (!inside_arena(s->p, s->size) || first_damage(s->p, s->size, s->seed) != s->size) {
            irq_failure = "a block of the interrupt handler was overwritten";
            return;
        }
        H(free)(&heap, s->p);
        s->p = NULL;
        irq_frees++;
    } else {
        size_t size = 1 + xorshift(&irq_rng) % 64u;
        unsigned char *p = H(alloc)(&heap, size);
        if (p == NULL) {
            irq_failed_allocs++;
        } else if (!inside_arena(p, size) || ((uintptr_t)p & 7u) != 0) {
            irq_failure = "the interrupt handler got a block outside the arena or misaligned";
            return;
        } else {
            s->p = p;
            s->size = size;
            s->seed = xorshift(&irq_rng);
            fill(p, size, s->seed);
            irq_allocs++;
        }
    }
    irq_ops++;
}

void irq_heap_tick(void)
{
    if (irq_done) {
        return; /* the tick may outlive the work as the watchdog (irq_heap_riscv.c) */
    }
    uint32_t entry = irq_hw_elapsed();
    irq_count++;
    irq_during_call += main_in_call;
    for (unsigned i = 0; i < IRQ_OPS_PER_TICK && irq_failure == NULL; i++) {
        irq_one_operation();
    }
    if (irq_ops >= IRQ_OPS_WANTED || irq_failure != NULL) {
        irq_hw_stop_tick();
        irq_done = true;
    } else {
        irq_clocks += irq_hw_elapsed() - entry;
    }
}

/* ---- the main loop's side ------------------------------------------------------------ */

static void main_verify(const slot_t *s, size_t n, const char *when)
{
    size_t at = first_damage(s->p, n, s->seed);
    if (at != n) {
        char what[112];
        fw_snprintf(what, sizeof what, "a main-loop block of %zu bytes at %p was overwritten at byte %zu (%s)", s->size,
                    (void *)s->p, at, when);
        irq_heap_corruption(what);
    }
}

static size_t main_size(void)
{
    uint32_t r = xorshift(&main_rng);
    return (r & 3u) == 0 ? 1 + (r >> 8) % 768u : 1 + (r >> 8) % 96u;
}

static void main_one_operation(void)
{
    slot_t *s = &main_slot[xorshift(&main_rng) % MAIN_SLOTS];
    uint32_t what = xorshift(&main_rng) % 8u;
    if (s->p == NULL) {
        size_t size = main_size();
        size_t align = what == 0 ? (size_t)16 << (xorshift(&main_rng) % 4u) : 0;
        main_in_call = true;
        unsigned char *p = align != 0 ? H(alloc_aligned)(&heap, align, size) : H(alloc)(&heap, size);
        main_in_call = false;
        if (p != NULL) {
            if (!inside_arena(p, size) || ((uintptr_t)p & (align != 0 ? align - 1 : 7u)) != 0) {
                irq_heap_corruption("the main loop got a block outside the arena or misaligned");
            }
            s->p = p;
            s->size = size;
            s->seed = next_seed++;
            fill(p, size, s->seed);
        }
    } else if (what < 5) {
        main_verify(s, s->size, "before free");
        main_in_call = true;
        H(free)(&heap, s->p);
        main_in_call = false;
        s->p = NULL;
    } else {
        main_verify(s, s->size, "before realloc");
        size_t size = main_size();
        main_in_call = true;
        unsigned char *q = H(realloc)(&heap, s->p, size);
        main_in_call = false;
        if (q != NULL) {
            if (!inside_arena(q, size)) {
                irq_heap_corruption("realloc returned a block outside the arena");
            }
            slot_t moved = {q, s->size < size ? s->size : size, s->seed};
            main_verify(&moved, moved.size, "after realloc");
            s->p = q;
            s->size = size;
            s->seed = next_seed++;
            fill(q, size, s->seed);
        }
    }
    main_ops++;
}

/* check() with interrupts masked: it sees the heap between two calls, never in the middle of one. */
static int check_now(void)
{
    irq_hw_disable();
    int rc = H(check)(&heap);
    irq_hw_enable();
    return rc;
}

/* ---- the test ---------------------------------------------------------------------------- */

static void interrupt_and_main_loop_share_one_heap(void **state)
{
    (void)state;
    H(init)(&heap, arena, sizeof arena);
    ea_stats_t st;
    H(stats)(&heap, &st);
    fw_printf("%s heap of %zu bytes; %s every %lu %s, %u heap operation(s) per interrupt, until %u\n", BACKEND,
              st.capacity, irq_hw_tick_name, (unsigned long)irq_hw_period, irq_hw_unit, IRQ_OPS_PER_TICK,
              IRQ_OPS_WANTED);

    irq_hw_start();
    while (!irq_done) {
        main_one_operation();
        if (main_ops % CHECK_EVERY == 0) {
            int rc = check_now();
            if (rc != 0) {
                char what[48];
                fw_snprintf(what, sizeof what, "check() = %d during the run", rc);
                irq_heap_corruption(what);
            }
        }
    }
    irq_hw_stop();
    if (irq_failure != NULL) {
        irq_heap_corruption((const char *)irq_failure);
    }

    /* Everything back, every block verified once more. */
    for (size_t i = 0; i < MAIN_SLOTS; i++) {
        if (main_slot[i].p != NULL) {
            main_verify(&main_slot[i], main_slot[i].size, "at the end");
            H(free)(&heap, main_slot[i].p);
            main_slot[i].p = NULL;
        }
    }
    for (size_t i = 0; i < IRQ_SLOTS; i++) {
        if (irq_slot[i].p != NULL) {
            if (first_damage(irq_slot[i].p, irq_slot[i].size, irq_slot[i].seed) != irq_slot[i].size) {
                irq_heap_corruption("a block of the interrupt handler was overwritten (at the end)");
            }
            H(free)(&heap, irq_slot[i].p);
            irq_slot[i].p = NULL;
        }
    }
    int rc = H(check)(&heap);
    H(stats)(&heap, &st);
    fw_printf("interrupts: %lu, %lu of them while the main loop was inside a heap call; %lu %s per handler\n",
              (unsigned long)irq_count, (unsigned long)irq_during_call, (unsigned long)(irq_clocks / irq_count),
              irq_hw_unit);
    fw_printf("interrupt-time heap operations: %lu (%lu allocs, %lu frees, %lu allocs found no room)\n",
              (unsigned long)irq_ops, (unsigned long)irq_allocs, (unsigned long)irq_frees,
              (unsigned long)irq_failed_allocs);
    fw_printf("main-loop heap operations: %lu; heap: check() = %d, used %zu, %lu allocs, %lu frees, %lu failed\n",
              (unsigned long)main_ops, rc, st.used, (unsigned long)st.alloc_count, (unsigned long)st.free_count,
              (unsigned long)st.failed_count);
    if (rc != 0) {
        char what[48];
        fw_snprintf(what, sizeof what, "check() = %d at the end", rc);
        irq_heap_corruption(what);
    }
    if (st.used != 0 || st.used_blocks != 0 || st.free_blocks != 1) {
        irq_heap_corruption("blocks are missing or left over at the end");
    }
    assert_true(irq_ops >= IRQ_OPS_WANTED);
    assert_true(irq_allocs > IRQ_OPS_WANTED / 4 && irq_frees > IRQ_OPS_WANTED / 4);
    assert_true(irq_during_call > 1000); /* the interrupt really did arrive during the main loop's calls */
#if EA_STATS
    assert_int_equal(st.alloc_count, st.free_count);
#endif
#ifdef IRQ_EXPECT_CORRUPTION
    fw_puts("the heap survived without a critical section: this run was expected to catch it corrupted");
    fail();
#endif
}

int main(void)
{
    static const struct CMUnitTest tests[] = {
        cmocka_unit_test(interrupt_and_main_loop_share_one_heap),
    };
    return cmocka_run_group_tests_name("irq_heap_" BACKEND, tests, NULL, NULL);
}
