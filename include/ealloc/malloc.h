/*
 * ealloc malloc: the C library's allocation functions served by one ealloc
 * heap, the only global heap in ealloc.
 *
 * Link the separate library ealloc_malloc (CMake target ealloc::malloc), not
 * ealloc alone: linking ealloc never replaces malloc. Its malloc, free,
 * calloc, realloc, aligned_alloc, posix_memalign, memalign and
 * malloc_usable_size then replace the C library's, and so do newlib's
 * reentrant _malloc_r, _free_r, _calloc_r, _realloc_r, _memalign_r and
 * _malloc_usable_size_r, through which newlib's own printf, fopen, strdup,
 * asprintf ... allocate. (picolibc has no _r functions: it calls malloc.)
 *
 *     int main(void) {
 *         EA_MALLOC_INIT(32 * 1024);   // a static 32 KiB buffer becomes the heap
 *         char *s = strdup("hello");   // from ealloc
 *         ...
 *     }
 *
 * The back-end is chosen at build time: EA_MALLOC_BACKEND is tlsf (default)
 * or llff (CMake: -DEALLOC_MALLOC_BACKEND=llff, which defines it for the
 * library and everything that links it). Every call is the back-end's call
 * on the one heap, with the C library's contract for bad input on top:
 *
 *   call                          bad input                          result
 *   malloc(n)                     before init; no block fits         NULL, errno ENOMEM
 *   calloc(n, m)                  n * m overflows                    NULL, errno ENOMEM
 *   realloc(p, n)                 n too large (up to SIZE_MAX)       NULL, errno ENOMEM, p untouched
 *   realloc(p, 0)                 (p != NULL)                        p freed, NULL, errno unchanged
 *   aligned_alloc(a, n)           a not a power of two (0 too)       NULL, errno EINVAL
 *   aligned_alloc(a, n)           n not a multiple of a              accepted (C17, DR 460)
 *   posix_memalign(&p, a, n)      a not a power of two, or not a     returns EINVAL, p untouched
 *                                 multiple of sizeof(void *)
 *   posix_memalign(&p, a, n)      no block fits                      returns ENOMEM, p untouched
 *   memalign(a, n)                a not a power of two               a rounded up to one (as glibc)
 *   memalign(a, n)                a > SIZE_MAX / 2 + 1               NULL, errno EINVAL
 *   free(NULL), malloc_usable_size(NULL)                             nothing, 0
 *
 * malloc(0) returns a unique minimal block. Every result is aligned to
 * EA_ALIGN (alignof(max_align_t)) at least.
 *
 * errno belongs to the C library, so this freestanding core never touches
 * it: it calls ea_malloc_errno_hook() instead, which the hosted or newlib
 * part of a program defines (docs/malloc.md has the three lines for newlib).
 *
 * Thread and interrupt safety: every call runs in the back-end's critical
 * section (<ealloc/critical_section.h>); the slow path (the heap is not
 * initialised or has no block that fits) enters it once more around
 * ea_malloc_grow_hook and the retry, so the port must nest (every port does).
 * calloc's zeroing and realloc's copy run outside the section (a realloc
 * that needed the grow hook too). A retry that fails calls ea_oom_hook, or
 * ea_panic for damage it found, while the slow path's section is still held.
 * ea_malloc_init must happen before any other thread or interrupt handler
 * allocates (the readiness flag is a plain variable).
 *
 * Undefined, as with the back-ends: freeing a pointer this heap did not
 * return, using a block after freeing it, writing outside a block. With
 * EA_MALLOC_FOREIGN_CHECK 1, pointers outside the heap's regions are
 * detected and handed to ea_malloc_foreign_hook() instead.
 */
#ifndef EALLOC_MALLOC_H
#define EALLOC_MALLOC_H

#include "ealloc.h"

/*
 * EA_MALLOC_BACKEND — the back-end behind malloc: tlsf (default) or llff.
 * It must be the same for the library and for code that includes this
 * header (CMake's EALLOC_MALLOC_BACKEND defines it for both).
 */
#ifndef EA_MALLOC_BACKEND
#define EA_MALLOC_BACKEND tlsf
#endif
#define EA_MALLOC_IS_tlsf 1
#define EA_MALLOC_IS_llff 2
#define EA_MALLOC_PASTE_(a, b) a##b
#define EA_MALLOC_PASTE(a, b) EA_MALLOC_PASTE_(a, b)
/* Private: 1 for tlsf, 2 for llff, 0 (an unknown name) for anything else. */
#define EA_MALLOC_BACKEND_ID_ EA_MALLOC_PASTE(EA_MALLOC_IS_, EA_MALLOC_BACKEND)

#if EA_MALLOC_BACKEND_ID_ == 1
#include "tlsf.h"
typedef ea_tlsf_t ea_malloc_heap_t;
#define EA_MALLOC_HEAP_EMPTY_ EA_TLSF_EMPTY
#elif EA_MALLOC_BACKEND_ID_ == 2
#include "llff.h"
typedef ea_llff_t ea_malloc_heap_t;
#define EA_MALLOC_HEAP_EMPTY_ EA_LLFF_EMPTY
#else
#error "EA_MALLOC_BACKEND must be tlsf or llff"
#endif

/*
 * EA_MALLOC_FOREIGN_CHECK — 0 (default) or 1. With 1, free, realloc and
 * malloc_usable_size first look up the pointer in the heap's regions
 * (O(regions), inside the critical section) and hand one that lies outside
 * all of them to ea_malloc_foreign_hook(): free ignores it, realloc returns
 * NULL (errno ENOMEM: its size is unknown, so it cannot be moved),
 * malloc_usable_size returns 0. For programs that may free memory the shim
 * never handed out, such as the LD_PRELOAD library (pointers from before it
 * took over). With 0 such a pointer is undefined behaviour, as in the
 * back-ends.
 */
#ifndef EA_MALLOC_FOREIGN_CHECK
#define EA_MALLOC_FOREIGN_CHECK 0
#endif
_Static_assert((EA_MALLOC_FOREIGN_CHECK) == 0 || (EA_MALLOC_FOREIGN_CHECK) == 1,
               "EA_MALLOC_FOREIGN_CHECK must be 0 or 1");

/*
 * EA_MALLOC_ENOMEM, EA_MALLOC_EINVAL — the C library's ENOMEM and EINVAL,
 * which posix_memalign returns and the errno hook receives. The defaults (12
 * and 22) are the values of Linux, newlib and picolibc; a hosted build
 * asserts they match <errno.h>. Override them for a C library that differs.
 */
#ifndef EA_MALLOC_ENOMEM
#define EA_MALLOC_ENOMEM 12
#endif
#ifndef EA_MALLOC_EINVAL
#define EA_MALLOC_EINVAL 22
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* newlib's per-thread C library state; only its address is passed on here. */
struct _reent;

/*
 * Hand the region [start, start+size) to the malloc heap: the back-end's
 * init, so the same panics (EA_FAULT_DOUBLE_INIT on a second call,
 * EA_FAULT_BAD_REGION for a region that cannot hold a block). Until it runs,
 * every allocation returns NULL (after asking ea_malloc_grow_hook).
 */
void ea_malloc_init(void *start, size_t size);

/*
 * EA_MALLOC_INIT(size): one statement that reserves a static buffer of size
 * bytes, aligned for any object, and hands it to ea_malloc_init. Reaching it
 * a second time panics with EA_FAULT_DOUBLE_INIT (the heap has memory).
 */
#define EA_MALLOC_INIT(size)                                                          \
    do {                                                                              \
        static _Alignas(max_align_t) unsigned char ea_malloc_region_[(size)];         \
        ea_malloc_init(ea_malloc_region_, sizeof ea_malloc_region_);                  \
    } while (0)

/*
 * Give the heap another region (a second RAM bank): the back-end's
 * add_region — false for NULL, too small, wrapping or overlapping; panics
 * with EA_FAULT_NOT_INIT before ea_malloc_init. O(regions).
 */
bool ea_malloc_add_region(void *start, size_t size);

/*
 * The malloc heap itself, for the back-end's calls (ea_tlsf_stats,
 * ea_tlsf_walk, ...; ea_llff_* with EA_MALLOC_BACKEND llff). Never NULL.
 */
ea_malloc_heap_t *ea_malloc_heap(void);

/* The back-end's stats of the malloc heap (see ea_stats_t). O(blocks). */
void ea_malloc_stats(ea_stats_t *out);

/* The back-end's check of the malloc heap: 0 or a negative EA_E* code. O(blocks). */
int ea_malloc_check(void);

/*
 * Whether p lies in one of the malloc heap's regions, where a block handed
 * out by malloc would be (not whether it is a live block). O(regions).
 */
bool ea_malloc_owns(const void *p);

/*
 * Hooks: weak defaults in the library; define your own to replace them.
 *
 * ea_malloc_grow_hook(size, align): called inside the critical section when
 * the heap is not initialised yet or has no block for size bytes aligned to
 * align. It may call ea_malloc_init or ea_malloc_add_region and returns true
 * if it did; the allocation is then tried once more. It is asked for any
 * size, up to SIZE_MAX, and must not allocate from the malloc heap. The
 * default returns false. (The LD_PRELOAD library maps its regions here.)
 *
 * ea_malloc_errno_hook(reent, code): called when a call fails where the C
 * library sets errno, with code EA_MALLOC_ENOMEM or EA_MALLOC_EINVAL; reent
 * is newlib's state passed to the _r function, NULL for the plain calls.
 * The default does nothing; a hosted or newlib program sets errno there.
 *
 * ea_malloc_foreign_hook(p): with EA_MALLOC_FOREIGN_CHECK 1, called (outside
 * the critical section) for a pointer outside the heap's regions given to
 * free, realloc or malloc_usable_size. The default panics with
 * EA_FAULT_FOREIGN_POINTER; one that returns makes the call ignore p.
 */
bool ea_malloc_grow_hook(size_t size, size_t align);
void ea_malloc_errno_hook(struct _reent *reent, int code);
void ea_malloc_foreign_hook(void *p);

#ifndef __cplusplus
/*
 * The C library's functions, defined by ealloc_malloc; the contract is the
 * table at the top of this header. (C only: C++ sees them in <cstdlib>.)
 */
void *malloc(size_t size);
void free(void *p);
void *calloc(size_t n, size_t size);
void *realloc(void *p, size_t size);
void *aligned_alloc(size_t align, size_t size);
int posix_memalign(void **memptr, size_t align, size_t size);
void *memalign(size_t align, size_t size);
size_t malloc_usable_size(void *p);

/* newlib's reentrant forms: the same, reporting errno through reent. */
void *_malloc_r(struct _reent *reent, size_t size);
void _free_r(struct _reent *reent, void *p);
void *_calloc_r(struct _reent *reent, size_t n, size_t size);
void *_realloc_r(struct _reent *reent, void *p, size_t size);
void *_memalign_r(struct _reent *reent, size_t align, size_t size);
size_t _malloc_usable_size_r(struct _reent *reent, void *p);
#endif

#ifdef __cplusplus
}
#endif

#endif /* EALLOC_MALLOC_H */
