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
 *   locking     the heap's critical section is a process-wide recursive
 *               mutex (the "custom" port: the pthread port's mutex, plus a
 *               way to reset it after fork).
 *   fork        pthread_atfork: the lock is taken before fork, so no other
 *               thread is inside the heap when the address space is copied,
 *               and released in the parent. glibc refuses to unlock a
 *               recursive mutex in the child (its owner is the parent
 *               thread's id and the child's thread has a new one), so the
 *               child, which has only the forking thread, gets a fresh one.
 *   errno       ea_malloc_errno_hook sets errno.
 *   foreign     free of a pointer outside the heap's regions (e.g. from the
 *               dynamic loader's own allocator before this library took
 *               over) is ignored and counted; realloc of one returns NULL.
 *   statistics  EALLOC_STATS=1 prints one line at exit to the stderr the
 *               program started with (kept on a duplicate descriptor, since
 *               some programs close stderr before they exit).
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

_Static_assert(EA_MALLOC_ENOMEM == ENOMEM, "EA_MALLOC_ENOMEM differs from this C library's ENOMEM");
_Static_assert(EA_MALLOC_EINVAL == EINVAL, "EA_MALLOC_EINVAL differs from this C library's EINVAL");

#define ARENA_BYTES ((size_t)64 << 20)

#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* ---- the critical section (port "custom") and fork ---------------------------------------- */

static pthread_mutex_t heap_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

ea_cs_state_t ea_cs_enter(void)
{
    (void)pthread_mutex_lock(&heap_lock);
    return 0;
}

void ea_cs_exit(ea_cs_state_t state)
{
    (void)state;
    (void)pthread_mutex_unlock(&heap_lock);
}

static void before_fork(void)
{
    (void)ea_cs_enter();
}

static void after_fork_parent(void)
{
    ea_cs_exit(0);
}

static void after_fork_child(void)
{
    static const pthread_mutex_t fresh = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
    memcpy(&heap_lock, &fresh, sizeof heap_lock);
}

/* ---- memory from the OS -------------------------------------------------------------------- */

static size_t regions_mapped; /* under heap_lock */
static size_t bytes_mapped;   /* under heap_lock */

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

static size_t put_field(char *buf, size_t at, size_t cap, const char *name, size_t value)
{
    char digits[24];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + value % 10);
        value /= 10;
    } while (value != 0);
    at = put_text(buf, at, cap, " ");
    at = put_text(buf, at, cap, name);
    at = put_text(buf, at, cap, "=");
    while (n > 0 && at + 1 < cap) {
        buf[at++] = digits[--n];
    }
    return at;
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

/* ---- start and end ------------------------------------------------------------------------- */

/*
 * Early (priority 101), so that this library's fork handlers are among the
 * first registered: prepare handlers run in reverse order, so the heap lock
 * is taken after every later library's locks, and released first in the child.
 * Allocations before this runs are fine: the grow hook initialises the heap.
 */
__attribute__((constructor(101))) static void preload_start(void)
{
    (void)pthread_atfork(before_fork, after_fork_parent, after_fork_child);
    const char *stats = getenv("EALLOC_STATS");
    if (stats != NULL && stats[0] != '\0' && strcmp(stats, "0") != 0) {
        stats_fd = fcntl(STDERR_FILENO, F_DUPFD_CLOEXEC, 3);
    }
}

__attribute__((destructor(101))) static void preload_end(void)
{
    if (stats_fd >= 0) {
        print_stats();
    }
}
