/*
 * ealloc firmware demo: a Cortex-M4 program (QEMU mps2-an386) whose memory
 * all comes from one ealloc heap, explained as it runs. Output goes over
 * semihosting to QEMU's terminal. Run it with `make demo`.
 *
 * What it shows, in order:
 *   1. the heap: a 48 KiB array in the linker section .ealloc_heap, handed to
 *      the C library's malloc (the malloc shim, <ealloc/malloc.h>), TLSF;
 *   2. newlib's own printf taking its FILE objects and buffer from ealloc;
 *   3. the program's objects: a catalogue of sensors (structs, strdup'ed
 *      names, sample arrays grown with realloc, an aligned DMA buffer);
 *   4. an interrupt allocating at the same time: SysTick's handler mallocs an
 *      event record every few hundred clocks, the main loop consumes and
 *      frees them while it builds the catalogue;
 *   5. the heap's figures (ea_tlsf_stats), 6. its check (ea_tlsf_check),
 *   7. a map of the heap (ea_tlsf_walk), 8. everything freed again.
 *
 * The run fails (status 1) if the heap does not check clean, something is
 * left over, or newlib ever asked for memory of its own (_sbrk).
 *
 * Without the malloc shim (a build where src/malloc.c does not exist), the
 * demo uses an ealloc heap directly: see the DEMO_MALLOC_SHIM blocks.
 *
 * Built with DEMO_RECORD=1 (the test "demo_recorded", over a library built
 * with EA_TRACE=1) it also records every heap call — newlib's, the
 * interrupt's, its own — as a trace, streamed over semihosting to the host
 * file named by its first argument (docs/trace.md): see the DEMO_RECORD block.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ealloc/critical_section.h>
#include <ealloc/tlsf.h>

#if DEMO_MALLOC_SHIM
#include <ealloc/malloc.h>
#include <sys/reent.h>
#endif

#include "fw.h"

#define HEAP_SIZE (48u * 1024u)
#define SENSORS 6u
#define EVENTS_WANTED 600u
#define SYSTICK_PERIOD 3000u /* core clocks between two interrupts */
#define EVENT_BATCH 10u      /* the main loop handles events ten at a time */
#define DMA_SIZE 2048u

/* ---- 1. the heap ---------------------------------------------------------------------------- */

/* The heap's memory: placed by the linker script (the section is NOLOAD: not in the image, not zeroed). */
static unsigned char heap_memory[HEAP_SIZE] __attribute__((section(".ealloc_heap"), aligned(8)));

#if DEMO_MALLOC_SHIM
/* The C library's malloc is ealloc's: every malloc below, newlib's own included, lands in heap_memory. */
#define demo_malloc malloc
#define demo_free free
#define demo_realloc realloc
#define demo_aligned_alloc aligned_alloc
#define demo_strdup strdup
static ea_tlsf_t *heap; /* the malloc shim's heap (ea_malloc_heap()), for stats, check and walk */

static void heap_setup(void)
{
    ea_malloc_init(heap_memory, sizeof heap_memory);
    heap = ea_malloc_heap();
}

/* The shim leaves errno to the C library: newlib keeps it in its reentrancy structure. */
void ea_malloc_errno_hook(struct _reent *reent, int code)
{
    if (reent != NULL) {
        reent->_errno = code;
    } else {
        errno = code;
    }
}
#else
/*
 * ==== MALLOC SHIM NOT AVAILABLE: the program calls ealloc directly ====
 * With <ealloc/malloc.h> (src/malloc.c) the lines above make malloc itself
 * ealloc's, so newlib's printf allocates from heap_memory too. Here newlib's
 * malloc stays newlib's (and gets no memory: _sbrk refuses).
 */
static ea_tlsf_t heap_object = EA_TLSF_EMPTY;
static ea_tlsf_t *heap = &heap_object;

static void heap_setup(void)
{
    ea_tlsf_init(heap, heap_memory, sizeof heap_memory);
}

static void *demo_malloc(size_t n)
{
    return ea_tlsf_alloc(heap, n);
}

static void demo_free(void *p)
{
    ea_tlsf_free(heap, p);
}

static void *demo_realloc(void *p, size_t n)
{
    return ea_tlsf_realloc(heap, p, n);
}

static void *demo_aligned_alloc(size_t align, size_t n)
{
    return ea_tlsf_alloc_aligned(heap, align, n);
}

static char *demo_strdup(const char *s)
{
    char *d = demo_malloc(strlen(s) + 1);
    return d != NULL ? strcpy(d, s) : NULL;
}
#endif

#if DEMO_RECORD
/*
 * ==== RECORDING: the heap's calls as a trace, streamed to the host ====
 * EA_TRACE reports each call to ea_trace_hook inside the heap's critical
 * section, in the order the heap served them (the interrupt's included); the
 * recorder turns them into trace lines, gathered here in a small buffer and
 * written to the host file with semihosting's SYS_WRITE. The recorder's
 * table of live blocks is a static array: recording never takes heap memory.
 */
#include <ealloc/trace.h>

static ea_recorder_slot_t record_slots[256]; /* up to 192 blocks live at once */
static ea_recorder_t recorder;
static int record_file = -1;
static char record_buffer[512];
static size_t record_buffered;

static void record_flush(void)
{
    (void)semihost_write(record_file, record_buffer, record_buffered);
    record_buffered = 0;
}

static void record_write(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    if (len > sizeof record_buffer - record_buffered) {
        record_flush();
    }
    memcpy(record_buffer + record_buffered, text, len); /* a line is far shorter than the buffer */
    record_buffered += len;
}

void ea_trace_hook(const ea_trace_event_t *event)
{
    if (record_file >= 0) {
        ea_recorder_event(&recorder, event);
    }
}

/* Before the heap's init, so the trace starts with it: "arena 49152". */
static void record_start(void)
{
    char cmdline[256];
    const char *path = NULL;
    if (semihost_get_cmdline(cmdline, sizeof cmdline) > 0) {
        char *space = strchr(cmdline, ' '); /* "demo_recorded.elf <path>" */
        path = space != NULL ? space + 1 : NULL;
    }
    record_file = path != NULL ? semihost_open(path, SEMIHOST_OPEN_W) : -1;
    if (record_file < 0) {
        fw_printf("   recording: no trace file (give its path as the first argument)\n");
        return;
    }
    ea_recorder_init(&recorder, ea_malloc_heap(), record_slots, sizeof record_slots / sizeof record_slots[0],
                     record_write, NULL);
    fw_printf("   recording every heap call to %s (EA_TRACE)\n", path);
}

static void record_finish(void)
{
    if (record_file < 0) {
        return;
    }
    ea_cs_state_t cs = ea_cs_enter(); /* the interrupt may still be allocating */
    ea_recorder_finish(&recorder);
    record_flush();
    (void)semihost_close(record_file);
    record_file = -1;
    ea_cs_exit(cs);
    fw_printf("   recorded %u allocations, %u callocs, %u reallocs and %u frees (%u of them failed)\n",
              (unsigned)recorder.ops[0], (unsigned)recorder.ops[1], (unsigned)recorder.ops[2],
              (unsigned)recorder.ops[3], (unsigned)recorder.failed);
}
#endif

/* newlib grows its own heap with _sbrk: in this program it must never need to. */
static unsigned sbrk_calls;

void *_sbrk(ptrdiff_t increment);
void *_sbrk(ptrdiff_t increment)
{
    (void)increment;
    sbrk_calls++;
    errno = ENOMEM;
    return (void *)-1;
}

/* ---- who owns which block: for the map ------------------------------------------------------- */

typedef struct {
    const void *p;
    char tag;
} owner_t;

#define MAX_OWNERS 96u
static owner_t owners[MAX_OWNERS];
static unsigned owner_count;

static void own(const void *p, char tag)
{
    if (p != NULL && owner_count < MAX_OWNERS) {
        owners[owner_count++] = (owner_t){p, tag};
    }
}

/* The tag of the program object inside [addr, addr + size), or 0. */
static char owner_of(const unsigned char *addr, size_t size)
{
    for (unsigned i = 0; i < owner_count; i++) {
        const unsigned char *p = owners[i].p;
        if (p > addr && p < addr + size) {
            return owners[i].tag;
        }
    }
    return 0;
}

/* ---- 3. the program's objects ---------------------------------------------------------------- */

typedef struct sensor {
    struct sensor *next;
    char *name;     /* strdup */
    int16_t *samples; /* grown with realloc, one sample at a time */
    size_t count;
} sensor_t;

static const char *const sensor_names[SENSORS] = {"temperature", "humidity", "pressure",
                                                   "light",       "battery",  "vibration"};

static sensor_t *catalogue;

static int16_t sample_value(unsigned sensor, size_t i)
{
    return (int16_t)(100 * (int)sensor + (int)((i * 37u + sensor * 11u) % 50u));
}

/* ---- 4. the interrupt: events allocated in the handler, freed by the main loop --------------- */

typedef struct event {
    struct event *next;
    uint32_t tick;
    char text[]; /* "tick <n>: ...", length varies */
} event_t;

#define SYST_CSR (*(volatile uint32_t *)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t *)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t *)0xE000E018u)
#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)

static event_t *volatile queue_head; /* the handler appends, the main loop takes from the front */
static event_t *queue_tail;
static volatile uint32_t ticks, events_made, events_dropped;
static volatile uint32_t queue_len, queue_max; /* changed by both sides */
static uint32_t events_consumed;

void SysTick_Handler(void);
void SysTick_Handler(void)
{
    uint32_t tick = ++ticks;
    size_t len = 12u + tick % 40u;
    event_t *e = demo_malloc(sizeof *e + len); /* from the same heap as the main loop's objects */
    if (e == NULL) {
        events_dropped++;
        return;
    }
    e->next = NULL;
    e->tick = tick;
    fw_snprintf(e->text, len, "tick %lu: sample ready", (unsigned long)tick);
    /* The main loop only touches the queue with interrupts masked, so the handler needs no lock. */
    if (queue_head == NULL) {
        queue_head = e;
    } else {
        queue_tail->next = e;
    }
    queue_tail = e;
    if (++queue_len > queue_max) {
        queue_max = queue_len;
    }
    if (++events_made == EVENTS_WANTED) {
        SYST_CSR = 0;
        SCB_ICSR = 1u << 25; /* PENDSTCLR */
    }
}

/* Takes the oldest event, or NULL. The queue is shared with the handler: mask it meanwhile. */
static event_t *take_event(void)
{
    ea_cs_state_t cs = ea_cs_enter(); /* the port's critical section, also usable by programs */
    event_t *e = queue_head;
    if (e != NULL) {
        queue_head = e->next;
        queue_len--;
    }
    ea_cs_exit(cs);
    return e;
}

static unsigned consume_events(unsigned at_most)
{
    unsigned n = 0;
    event_t *e;
    while (n < at_most && (e = take_event()) != NULL) {
        events_consumed++;
        n++;
        demo_free(e);
    }
    return n;
}

/* ---- 7. the map --------------------------------------------------------------------------------- */

#define MAP_CELL 128u                          /* bytes per character */
#define MAP_COLUMNS 64u
#define MAP_CELLS (HEAP_SIZE / MAP_CELL)
static char map[MAP_CELLS];

typedef struct {
    unsigned used, free;
    size_t largest_free;
    unsigned listed;
} walk_state_t;

/* ea_tlsf_walk calls this for every block, in address order: addr is the block's header, size its footprint. */
static void map_block(void *ctx, void *addr, size_t size, bool used)
{
    walk_state_t *w = ctx;
    const unsigned char *a = addr;
    char tag = used ? owner_of(a, size) : '.';
    if (used && tag == 0) {
        tag = 'L'; /* not one of the program's objects: the C library's */
    }
    if (used) {
        w->used++;
    } else {
        w->free++;
        if (size > w->largest_free) {
            w->largest_free = size;
        }
    }
    size_t first = (size_t)(a - heap_memory) / MAP_CELL;
    size_t last = (size_t)(a + size - 1 - heap_memory) / MAP_CELL;
    for (size_t c = first; c <= last && c < MAP_CELLS; c++) {
        /* A cell shared by several blocks shows the used one. */
        if (map[c] == ' ' || map[c] == '.') {
            map[c] = tag;
        }
    }
    if (w->listed < 8) {
        printf("     %p  %6u bytes  %s\n", addr, (unsigned)size,
               used ? (tag == 'L' ? "used (newlib)" : "used") : "free");
        w->listed++;
    }
}

static void print_map(void)
{
    walk_state_t w = {0, 0, 0, 0};
    memset(map, ' ', sizeof map);
    printf("   the first blocks, as ea_tlsf_walk reports them (header address, whole footprint):\n");
    ea_tlsf_walk(heap, map_block, &w);
    printf("     ... %u used and %u free blocks in all; the largest free block is %u bytes\n", w.used, w.free,
           (unsigned)w.largest_free);
    printf("   map, one character per %u bytes, from %p:\n", MAP_CELL, (void *)heap_memory);
    for (unsigned row = 0; row * MAP_COLUMNS < MAP_CELLS; row++) {
        printf("     %3u KiB |%.*s|\n", row * MAP_COLUMNS * MAP_CELL / 1024u, (int)MAP_COLUMNS, map + row * MAP_COLUMNS);
    }
    printf("   S sensor  n name  s samples  D DMA buffer  e event (from the interrupt)  L newlib  . free\n");
}

/* ---- the run ------------------------------------------------------------------------------------- */

static void print_stats(const char *when)
{
    ea_stats_t st;
    ea_tlsf_stats(heap, &st);
    printf("   %s:\n", when);
    printf("     capacity      %6u bytes   (the 48 KiB less the heap's own overhead)\n", (unsigned)st.capacity);
    printf("     used          %6u bytes   in %u blocks (headers and rounding included)\n", (unsigned)st.used,
           (unsigned)st.used_blocks);
    printf("     free          %6u bytes   in %u blocks; used + free = capacity\n", (unsigned)st.free,
           (unsigned)st.free_blocks);
    printf("     largest_free  %6u bytes   (the largest request that would succeed now)\n",
           (unsigned)st.largest_free);
    printf("     peak_used     %6u bytes   (high-water mark)\n", (unsigned)st.peak_used);
    printf("     allocations %u, frees %u, failed %u\n", (unsigned)st.alloc_count, (unsigned)st.free_count,
           (unsigned)st.failed_count);
}

int main(void)
{
    int failures = 0;
    fw_printf("\n== ealloc firmware demo: Cortex-M4 (QEMU mps2-an386), output over semihosting ==\n\n");

    fw_printf("1. The heap\n");
#if DEMO_RECORD
    record_start();
#endif
    heap_setup();
    ea_stats_t st;
    ea_tlsf_stats(heap, &st);
    fw_printf("   heap_memory: %u bytes in the linker section .ealloc_heap at %p\n", HEAP_SIZE, (void *)heap_memory);
#if DEMO_MALLOC_SHIM
    fw_printf("   ea_malloc_init(heap_memory, %u): malloc, free, realloc ... of the C library are now ealloc's\n",
              HEAP_SIZE);
#else
    fw_printf("   ea_tlsf_init(heap, heap_memory, %u) [malloc shim not built: the program calls ealloc directly]\n",
              HEAP_SIZE);
#endif
    fw_printf("   back-end: TLSF (O(1) alloc and free), %u bytes usable, %u bytes used\n\n", (unsigned)st.capacity,
              (unsigned)st.used);

    fw_printf("2. newlib's printf allocates from ealloc\n");
    size_t before = ea_tlsf_used(heap);
    ea_tlsf_stats(heap, &st);
    size_t blocks_before = st.used_blocks;
    printf("   (this line is the program's first printf)\n");
    ea_tlsf_stats(heap, &st);
    printf("   before it: %u bytes used in %u blocks; after it: %u bytes in %u blocks:\n", (unsigned)before,
           (unsigned)blocks_before, (unsigned)st.used, (unsigned)st.used_blocks);
#if DEMO_MALLOC_SHIM
    printf("   newlib's stdio objects and stdout's buffer, taken with _malloc_r from ealloc\n\n");
#else
    printf("   newlib has its own malloc in this build, and no memory for it (_sbrk refuses)\n\n");
#endif

    printf("3 + 4. The program's objects, while an interrupt allocates\n");
    printf("   SysTick every %u core clocks; its handler mallocs an event (16 to 56 bytes) each time\n",
           SYSTICK_PERIOD);
    SYST_RVR = SYSTICK_PERIOD - 1u;
    SYST_CVR = 0;
    SYST_CSR = 7u; /* core clock, interrupt, enable */
    __asm__ volatile("cpsie i" ::: "memory");

    /* The catalogue: a list of sensors, each with a strdup'ed name and a sample array grown by realloc. */
    sensor_t **link = &catalogue;
    for (unsigned s = 0; s < SENSORS; s++) {
        sensor_t *sensor = demo_malloc(sizeof *sensor);
        if (sensor == NULL) {
            printf("   out of memory\n");
            return 1;
        }
        sensor->next = NULL;
        sensor->name = demo_strdup(sensor_names[s]);
        sensor->samples = NULL;
        sensor->count = 0;
        *link = sensor;
        link = &sensor->next;
        own(sensor, 'S');
        own(sensor->name, 'n');
        size_t wanted = 200u + 180u * s;
        while (sensor->count < wanted) {
            int16_t *grown = demo_realloc(sensor->samples, (sensor->count + 1) * sizeof *grown);
            if (grown == NULL) {
                printf("   out of memory\n");
                return 1;
            }
            sensor->samples = grown;
            sensor->samples[sensor->count] = sample_value(s, sensor->count);
            sensor->count++;
            if (queue_len >= EVENT_BATCH) {
                consume_events(EVENT_BATCH); /* the main loop handles the events in batches */
            }
        }
        own(sensor->samples, 's');
    }
    void *dma = demo_aligned_alloc(32, DMA_SIZE);
    own(dma, 'D');

    /* Work through the events until the handler has made them all; the last batch stays queued for the map. */
    while (events_made < EVENTS_WANTED) {
        if (queue_len >= EVENT_BATCH) {
            consume_events(EVENT_BATCH);
        }
    }
    __asm__ volatile("cpsid i" ::: "memory");
    for (event_t *e = queue_head; e != NULL; e = e->next) {
        own(e, 'e');
    }
    for (sensor_t *s = catalogue; s != NULL; s = s->next) {
        long sum = 0;
        for (size_t i = 0; i < s->count; i++) {
            sum += s->samples[i];
        }
        printf("   sensor %-12s %4u samples at %p, mean %ld\n", s->name, (unsigned)s->count, (void *)s->samples,
               sum / (long)s->count);
    }
    printf("   DMA buffer: %u bytes at %p (aligned_alloc(32, ...): %s)\n", DMA_SIZE, dma,
           ((uintptr_t)dma % 32u) == 0 ? "32-byte aligned" : "NOT ALIGNED");
    printf("   interrupt: %u events allocated in the handler (%u found no memory); %u consumed and freed so far,\n"
           "   %u still queued, at most %u queued at once\n\n",
           (unsigned)events_made, (unsigned)events_dropped, (unsigned)events_consumed, (unsigned)queue_len,
           (unsigned)queue_max);

    printf("5. Statistics (ea_tlsf_stats)\n");
    print_stats("now, with the catalogue and the queued events live");
    printf("\n6. Check (ea_tlsf_check walks every block and free list)\n");
    int rc = ea_tlsf_check(heap);
    printf("   ea_tlsf_check() = %d%s\n\n", rc, rc == 0 ? " (EA_OK: every invariant holds)" : "  <-- BROKEN");
    failures += rc != 0;

    printf("7. The heap, block by block (ea_tlsf_walk)\n");
    print_map();

    printf("\n8. Everything back\n");
    consume_events(UINT32_MAX);
    while (catalogue != NULL) {
        sensor_t *s = catalogue;
        catalogue = s->next;
        demo_free(s->samples);
        demo_free(s->name);
        demo_free(s);
    }
    demo_free(dma);
    ea_tlsf_stats(heap, &st);
    rc = ea_tlsf_check(heap);
    printf("   the program's objects and all %u events freed: %u bytes used in %u blocks (newlib's), check() = %d\n",
           (unsigned)events_made, (unsigned)st.used, (unsigned)st.used_blocks, rc);
    printf("   newlib's _sbrk was called %u times: %s\n", sbrk_calls,
           sbrk_calls == 0 ? "the C library never needed memory of its own" : "NOT EXPECTED");
    failures += rc != 0;
    failures += sbrk_calls != 0;
    failures += events_consumed != events_made;
#if DEMO_RECORD
    record_finish();
#endif
#if DEMO_MALLOC_SHIM
    failures += st.used_blocks > 8; /* only newlib's stdio should be left */
#else
    failures += st.used != 0;
#endif
    printf("\n== demo %s ==\n", failures == 0 ? "done" : "FAILED");
    fflush(stdout);
    return failures != 0;
}
