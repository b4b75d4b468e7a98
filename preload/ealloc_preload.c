/*
 * libealloc_malloc.so: ealloc as the malloc of any Linux program.
 *
 *     LD_PRELOAD=/path/to/libealloc_malloc.so EALLOC_STATS=1 python3 script.py
 *
 * The malloc family itself is the freestanding shim (src/malloc.c), built
 * with EA_MALLOC_FOREIGN_CHECK; this file is the hosted part around it:
 *
 *   memory      ea_malloc_grow_hook maps regions with mmap: the first call
 *               initialises the heap with a 64 MiB region (reserved, not
 *               committed: pages are touched only when used), later calls add
 *               a region whenever the heap has no block for a request — 64
 *               MiB, or a region of its own for a larger request. Regions are
 *               never unmapped.
 *   locking     the heap's critical section is the pthread port's
 *               process-wide recursive mutex, which also handles fork: taken
 *               before it, so no other thread is inside the heap when the
 *               address space is copied, released in the parent, and a fresh
 *               one in the child (ports/pthread/ea_port.c).
 *   errno       ea_malloc_errno_hook sets errno.
 *   foreign     free of a pointer outside the heap's regions (e.g. from the
 *               dynamic loader's own allocator before this library took
 *               over) is ignored and counted; realloc of one returns NULL.
 *   statistics  EALLOC_STATS=1 prints one line at exit to the stderr the
 *               program started with (kept on a duplicate descriptor, since
 *               some programs close stderr before they exit).
 *   recording   EALLOC_TRACE=out.trace writes the program's allocation calls
 *               as a trace (docs/trace.md): the library is built with
 *               EA_TRACE, and its hook feeds the recorder. Only the process
 *               started with the variable records: it is removed from the
 *               environment (children that exec do not inherit it) and a
 *               forked child stops recording. The trace's first line is the
 *               arena — the bytes mapped for the heap by the end of the run —
 *               written into room kept for it at the start of the file.
 *
 * Only the allocation functions and ea_malloc_stats/ea_malloc_check/
 * ea_malloc_owns are exported (exports.map); the heap code binds inside the
 * library, so a program that links its own ealloc does not mix with it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ealloc/critical_section.h"
#include "ealloc/malloc.h"
#include "ealloc/trace.h"

_Static_assert(EA_MALLOC_ENOMEM == ENOMEM, "EA_MALLOC_ENOMEM differs from this C library's ENOMEM");
_Static_assert(EA_MALLOC_EINVAL == EINVAL, "EA_MALLOC_EINVAL differs from this C library's EINVAL");

#define ARENA_BYTES ((size_t)64 << 20)

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* ---- memory from the OS -------------------------------------------------------------------- */

static size_t regions_mapped; /* inside the heap's critical section */
static size_t bytes_mapped;   /* inside the heap's critical section */

static size_t page_bytes(void)
{
    static size_t page;
    if (page == 0) {
        long n = sysconf(_SC_PAGESIZE);
        page = n > 0 ? (size_t)n : 4096;
    }
    return page;
}

/* Called by the shim inside the critical section: map a region that holds size bytes aligned to align. */
bool ea_malloc_grow_hook(size_t size, size_t align)
{
    size_t page = page_bytes();
    if (size > SIZE_MAX / 4 || align > SIZE_MAX / 4) {
        return false; /* no mapping could hold it */
    }
    /* The request, room to align it, and the region's own bookkeeping, in whole pages. */
    size_t bytes = (size + align + 2 * page + page - 1) & ~(page - 1);
    if (bytes < ARENA_BYTES) {
        bytes = ARENA_BYTES;
    }
    void *base = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) {
        return false;
    }
    if (regions_mapped == 0) {
        ea_malloc_init(base, bytes);
    } else if (!ea_malloc_add_region(base, bytes)) {
        (void)munmap(base, bytes);
        return false;
    }
    regions_mapped++;
    bytes_mapped += bytes;
    return true;
}

void ea_malloc_errno_hook(struct _reent *reent, int code)
{
    (void)reent;
    errno = code;
}

static size_t foreign_pointers;

void ea_malloc_foreign_hook(void *p)
{
    (void)p;
    __atomic_fetch_add(&foreign_pointers, 1, __ATOMIC_RELAXED);
}

/* ---- what glibc has beyond the shim ----------------------------------------------------- */

void *valloc(size_t size)
{
    return memalign(page_bytes(), size);
}

void *pvalloc(size_t size)
{
    size_t page = page_bytes();
    if (size > SIZE_MAX - page) {
        errno = ENOMEM;
        return NULL;
    }
    return memalign(page, size == 0 ? page : (size + page - 1) & ~(page - 1));
}

/* ---- EALLOC_STATS ---------------------------------------------------------------------------- */

static int stats_fd = -1;

static size_t put_text(char *buf, size_t at, size_t cap, const char *s)
{
    while (*s != '\0' && at + 1 < cap) {
        buf[at++] = *s++;
    }
    return at;
}

static size_t put_number(char *buf, size_t at, size_t cap, size_t value)
{
    char digits[24];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    while (n > 0 && at + 1 < cap) {
        buf[at++] = digits[--n];
    }
    return at;
}

static size_t put_field(char *buf, size_t at, size_t cap, const char *name, size_t value)
{
    at = put_text(buf, at, cap, " ");
    at = put_text(buf, at, cap, name);
    at = put_text(buf, at, cap, "=");
    return put_number(buf, at, cap, value);
}

/* One line, no stdio, no allocation: the heap is what it describes. */
static void print_stats(void)
{
    ea_stats_t s;
    ea_malloc_stats(&s);
    int check = ea_malloc_check();
    ea_cs_state_t cs = ea_cs_enter();
    size_t regions = regions_mapped;
    size_t mapped = bytes_mapped;
    ea_cs_exit(cs);

    char line[512];
    size_t cap = sizeof line - 1; /* room for the newline */
    size_t at = put_text(line, 0, cap, "ealloc: backend=" STRINGIFY(EA_MALLOC_BACKEND));
    at = put_field(line, at, cap, "pid", (size_t)getpid());
    at = put_field(line, at, cap, "regions", regions);
    at = put_field(line, at, cap, "mapped", mapped);
    at = put_field(line, at, cap, "capacity", s.capacity);
    at = put_field(line, at, cap, "used", s.used);
    at = put_field(line, at, cap, "peak_used", s.peak_used);
    at = put_field(line, at, cap, "used_blocks", s.used_blocks);
    at = put_field(line, at, cap, "free_blocks", s.free_blocks);
    at = put_field(line, at, cap, "alloc_count", s.alloc_count);
    at = put_field(line, at, cap, "free_count", s.free_count);
    at = put_field(line, at, cap, "failed_count", s.failed_count);
    at = put_field(line, at, cap, "foreign", __atomic_load_n(&foreign_pointers, __ATOMIC_RELAXED));
    at = put_text(line, at, cap, check == 0 ? " check=ok" : " check=FAILED");
    line[at++] = '\n';
    (void)!write(stats_fd, line, at);
}

/* ---- EALLOC_TRACE ---------------------------------------------------------------------------- */

/* Room for the arena line at the start of the file: "arena N\n", then a comment padded to fill it. */
#define TRACE_HEADER_BYTES 64
#define TRACE_SLOTS ((size_t)1 << 20) /* live blocks recorded at once: up to 3/4 of this */
#define TRACE_BUFFER_BYTES (64 * 1024)

static struct {
    bool on; /* inside the heap's critical section, like everything below */
    int fd;
    ea_recorder_t recorder;
    ea_recorder_slot_t *slots;
    size_t buffered;
    char buffer[TRACE_BUFFER_BYTES];
} trace = {.fd = -1};

static void write_all(int fd, const char *text, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, text, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;
        }
        text += n;
        len -= (size_t)n;
    }
}

static void trace_flush(void)
{
    write_all(trace.fd, trace.buffer, trace.buffered);
    trace.buffered = 0;
}

static void trace_write(void *ctx, const char *text, size_t len)
{
    (void)ctx;
    if (len > sizeof trace.buffer - trace.buffered) {
        trace_flush();
    }
    memcpy(trace.buffer + trace.buffered, text, len); /* a line is far shorter than the buffer */
    trace.buffered += len;
}

/* The arena line and its padding, written over the room kept for them. */
static void trace_write_header(void)
{
    char header[TRACE_HEADER_BYTES];
    size_t at = put_text(header, 0, sizeof header, "arena ");
    at = put_number(header, at, sizeof header, bytes_mapped);
    header[at++] = '\n';
    header[at++] = '#';
    memset(header + at, ' ', sizeof header - at - 1);
    header[sizeof header - 1] = '\n';
    (void)!pwrite(trace.fd, header, sizeof header, 0);
}

/* Inside the heap's critical section (EA_TRACE builds call the hook there). */
void ea_trace_hook(const ea_trace_event_t *event)
{
    /* The arena is what the library mapped, written at the end; regions are no lines of their own. */
    if (trace.on && event->op != EA_TRACE_INIT && event->op != EA_TRACE_ADD_REGION) {
        ea_recorder_event(&trace.recorder, event);
    }
}

static void trace_start(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    void *slots = mmap(NULL, TRACE_SLOTS * sizeof(ea_recorder_slot_t), PROT_READ | PROT_WRITE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (fd < 0 || slots == MAP_FAILED) {
        static const char msg[] = "ealloc: EALLOC_TRACE: cannot open the trace file; not recording\n";
        write_all(STDERR_FILENO, msg, sizeof msg - 1);
        if (fd >= 0) {
            (void)close(fd);
        }
        return;
    }
    ea_cs_state_t cs = ea_cs_enter();
    trace.fd = fd;
    trace.slots = slots;
    ea_recorder_init(&trace.recorder, ea_malloc_heap(), trace.slots, TRACE_SLOTS, trace_write, NULL);
    trace_write_header();
    (void)lseek(fd, TRACE_HEADER_BYTES, SEEK_SET);
    trace.on = true;
    ea_cs_exit(cs);
}

/* At exit: later calls (other libraries' destructors) are no longer recorded. */
static void trace_finish(void)
{
    ea_cs_state_t cs = ea_cs_enter();
    if (trace.on) {
        trace.on = false;
        ea_recorder_finish(&trace.recorder);
        trace_flush();
        trace_write_header();
        (void)close(trace.fd);
        trace.fd = -1;
    }
    ea_cs_exit(cs);
}

/* The child of a fork has the parent's file and unwritten lines: it must write neither. */
static void stop_recording_in_child(void)
{
    if (trace.on) {
        trace.on = false;
        (void)close(trace.fd);
        trace.fd = -1;
    }
}

/* ---- start and end ------------------------------------------------------------------------- */

/*
 * Early (priority 101), as the pthread port's fork handlers: a forked child
 * stops recording before anything else runs in it. Allocations before this
 * runs are fine: the grow hook initialises the heap.
 */
__attribute__((constructor(101))) static void preload_start(void)
{
    (void)pthread_atfork(NULL, NULL, stop_recording_in_child);
    const char *stats = getenv("EALLOC_STATS");
    if (stats != NULL && stats[0] != '\0' && strcmp(stats, "0") != 0) {
        stats_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    }
    const char *trace_path = getenv("EALLOC_TRACE");
    if (trace_path != NULL && trace_path[0] != '\0') {
        trace_start(trace_path);
        (void)unsetenv("EALLOC_TRACE");
    }
}

__attribute__((destructor(101))) static void preload_end(void)
{
    trace_finish();
    if (stats_fd >= 0) {
        print_stats();
    }
}
