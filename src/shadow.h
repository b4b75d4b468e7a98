/*
 * Internal: telling a memory checker which of the heap's bytes the program may
 * touch — AddressSanitizer (EA_ASAN) or Valgrind's memcheck (EA_VALGRIND).
 * Both keep a shadow of every byte; the heap updates it inside its critical
 * section, where it changes the blocks (two neighbouring blocks may share a
 * shadow byte). In other builds every hook is nothing at all: macros, so not
 * even their arguments reach the compiler and the code is the same as without
 * them.
 *
 *   SHADOW_CLOSE(from, to)      [from, to) closed: any access is reported.
 *   SHADOW_OPEN(from, to)       free memory the heap is about to use (its own
 *                               words, a block it carves): open again, to the
 *                               heap's own code first (both tools check it).
 *   SHADOW_OPEN_LIVE(from, to)  the same over an allocated block, whose
 *                               requested bytes stay as the checker knows
 *                               them: its rounding opened (never written, to
 *                               memcheck).
 *   SHADOW_HAND_OUT(h, p, size, usable)  p (NULL: nothing) handed out for
 *                               size of its usable bytes.
 *   SHADOW_USABLE(h, p, usable) the program asked how much of p it may use:
 *                               all usable bytes its own now (the rounding
 *                               opened, never written).
 *   SHADOW_FREED(h, p)          p handed back, once the heap has accepted it
 *                               (a refused free tells the checker nothing);
 *                               the heap opens the words it writes there.
 *   SHADOW_RESIZED(h, old, p, size, kept, usable)  the block at old is now p,
 *                               of usable bytes for size, its first kept bytes
 *                               the program's (p == old, or copied from old).
 *   SHADOW_HEAP_START(h)        h is initialised: a heap with nothing handed out.
 *
 * Included by heap_common.h, after EA_HEADER.
 */
#ifndef EALLOC_SHADOW_H
#define EALLOC_SHADOW_H

#include <stddef.h>
#include <stdint.h>

#include "ealloc/ealloc.h"

#define EA_SHADOW ((EA_ASAN) || (EA_VALGRIND)) /* a checker is told */

/*
 * With a checker, every block keeps bytes after its request (a footprint
 * computed for them), closed: the first byte past a request is never the next
 * block's header, which stays open for the heap. ASan: one byte, and where a
 * header is not a whole number of ASan's 8-byte granules (a 32-bit host's one
 * word) the bytes before the next header that share its granule too, since
 * ASan closes only a granule's end: 5 bytes there. memcheck: a header's bytes,
 * its pool's redzone after a block, so that the redzone never leaves the block
 * (the one before it is the block's header). Without, 0.
 */
#define SHADOW_ASAN_GUARD ((size_t)1 + (8 - EA_HEADER % 8) % 8)
#define SHADOW_GUARD ((EA_VALGRIND) ? EA_HEADER : (EA_ASAN) ? SHADOW_ASAN_GUARD : (size_t)0)

#if EA_ASAN
/*
 * ASan: the requested bytes of a block are open and its rounding closed. ASan
 * closes only whole 8-byte granules, so a granule a range shares with an open
 * word stays open. Its interface (sanitizer/asan_interface.h) is declared here
 * so that src/ includes no header beyond the freestanding ones.
 */
void __asan_poison_memory_region(void const volatile *addr, size_t size);
void __asan_unpoison_memory_region(void const volatile *addr, size_t size);

/* (No test for an empty range: every range the heap closes has a byte at least, and ASan and
 * memcheck take an empty one as nothing.) */
static inline void ea_asan_close(uintptr_t from, uintptr_t to)
{
    __asan_poison_memory_region((const void *)from, to - from);
}

static inline void ea_asan_open(uintptr_t from, uintptr_t to)
{
    if (to > from) {
        __asan_unpoison_memory_region((const void *)from, to - from);
    }
}

static inline void ea_asan_hand_out(const void *p, size_t size, size_t usable)
{
    ea_asan_open((uintptr_t)p, (uintptr_t)p + size);
    ea_asan_close((uintptr_t)p + size, (uintptr_t)p + usable);
}

#define SHADOW_CLOSE(from, to) ea_asan_close((uintptr_t)(from), (uintptr_t)(to))
#define SHADOW_OPEN(from, to) ea_asan_open((uintptr_t)(from), (uintptr_t)(to))
#define SHADOW_OPEN_LIVE(from, to) ea_asan_open((uintptr_t)(from), (uintptr_t)(to))
#define SHADOW_HAND_OUT(h, p, size, usable) SHADOW_IF_HANDED_OUT(p, ea_asan_hand_out((p), (size), (usable)))
#define SHADOW_USABLE(h, p, usable) ea_asan_open((uintptr_t)(p), (uintptr_t)(p) + (usable))
#define SHADOW_FREED(h, p) ((void)0)
#define SHADOW_RESIZED(h, old, p, size, kept, usable) ea_asan_hand_out((p), (size), (usable))
#define SHADOW_HEAP_START(h) ((void)0)

#elif EA_VALGRIND
/*
 * memcheck: the heap is a memory pool named by the heap object, each allocated
 * block a chunk of the pool of its requested bytes, its rounding closed as
 * free memory is. The heap's own words and the free memory it opens count as
 * written, so that its own reads are never reported; a block handed out is
 * undefined to the program until written, as memcheck makes any chunk.
 *
 * The pool has redzones of a header's size, so that memcheck names the block
 * an access just past a request belongs to ("0 bytes after a block of size 20
 * client-defined", with the stack that allocated it) instead of the memory
 * under the heap. memcheck closes a chunk's redzones when the chunk is handed
 * out and when it is freed: the one after lies in the block's closed rounding
 * (SHADOW_GUARD), and the one before is the block's header, which the heap
 * keeps open, so it is opened again at once.
 */
#if defined(__has_include)
#if !__has_include(<valgrind/memcheck.h>)
#error "EA_VALGRIND=1 needs valgrind's <valgrind/memcheck.h> (Debian: apt-get install valgrind)"
#endif
#endif
#include <valgrind/memcheck.h>

static inline void ea_vg_close(uintptr_t from, uintptr_t to)
{
    (void)VALGRIND_MAKE_MEM_NOACCESS(from, to - from);
}

static inline void ea_vg_open(uintptr_t from, uintptr_t to)
{
    if (to > from) {
        (void)VALGRIND_MAKE_MEM_DEFINED(from, to - from);
    }
}

#define EA_VG_REDZONE EA_HEADER

/* (The header of a block handed out was just written: open.) */
static inline void ea_vg_hand_out(const void *h, const void *p, size_t size, size_t usable)
{
    VALGRIND_MEMPOOL_ALLOC(h, p, size);
    ea_vg_open((uintptr_t)p - EA_VG_REDZONE, (uintptr_t)p);
    ea_vg_close((uintptr_t)p + size, (uintptr_t)p + usable);
}

/*
 * The header of a block freed stays as the heap left it: open, or closed inside
 * the free block before it that the block merged into (GET_VBITS: 1 when every
 * byte is addressable, 3 when one is not; it reports nothing itself).
 */
static inline void ea_vg_freed(const void *h, const void *p)
{
    unsigned char vbits[EA_VG_REDZONE];
    int header_open = VALGRIND_GET_VBITS((uintptr_t)p - EA_VG_REDZONE, vbits, EA_VG_REDZONE) == 1;
    VALGRIND_MEMPOOL_FREE(h, p);
    if (header_open) {
        ea_vg_open((uintptr_t)p - EA_VG_REDZONE, (uintptr_t)p);
    }
}

/*
 * A live block's rounding opened, never written: the heap does not keep the
 * requested size, but memcheck knows it — a live block is addressable from its
 * start to the request's end and closed after it, so the end is found by
 * halving [from, to) with GET_VBITS on one byte (3: not addressable; it
 * reports nothing itself).
 */
static inline void ea_vg_open_live(uintptr_t from, uintptr_t to)
{
    uintptr_t open_to = from; /* [from, open_to) addressable, [closed_from, to) not */
    uintptr_t closed_from = to;
    while (open_to < closed_from) {
        uintptr_t mid = open_to + (closed_from - open_to) / 2;
        unsigned char vbits;
        if (VALGRIND_GET_VBITS(mid, &vbits, 1) == 3) {
            closed_from = mid;
        } else {
            open_to = mid + 1;
        }
    }
    if (to > closed_from) {
        (void)VALGRIND_MAKE_MEM_UNDEFINED(closed_from, to - closed_from);
    }
}

/* usable_size: the chunk is all the program may use, the guard after it its redzone. */
static inline void ea_vg_usable(const void *h, const void *p, size_t usable)
{
    ea_vg_open_live((uintptr_t)p, (uintptr_t)p + usable);
    VALGRIND_MEMPOOL_CHANGE(h, p, p, usable);
}

/* The block at old is now p, for size bytes: its first kept bytes the program's, opened before. */
static inline void ea_vg_resized(const void *h, const void *old, const void *p, size_t size, size_t kept,
                                 size_t usable)
{
    if (size > kept) {
        (void)VALGRIND_MAKE_MEM_UNDEFINED((uintptr_t)p + kept, size - kept);
    }
    ea_vg_close((uintptr_t)p + size, (uintptr_t)p + usable);
    VALGRIND_MEMPOOL_CHANGE(h, old, p, size);
}

/* A heap object initialised again (its earlier blocks abandoned): memcheck forgets them. */
static inline void ea_vg_heap_start(const void *h)
{
    if (VALGRIND_MEMPOOL_EXISTS(h)) {
        VALGRIND_DESTROY_MEMPOOL(h);
    }
    VALGRIND_CREATE_MEMPOOL(h, EA_VG_REDZONE, 0);
}

#define SHADOW_CLOSE(from, to) ea_vg_close((uintptr_t)(from), (uintptr_t)(to))
#define SHADOW_OPEN(from, to) ea_vg_open((uintptr_t)(from), (uintptr_t)(to))
#define SHADOW_OPEN_LIVE(from, to) ea_vg_open_live((uintptr_t)(from), (uintptr_t)(to))
#define SHADOW_HAND_OUT(h, p, size, usable) SHADOW_IF_HANDED_OUT(p, ea_vg_hand_out((h), (p), (size), (usable)))
#define SHADOW_USABLE(h, p, usable) ea_vg_usable((h), (p), (usable))
#define SHADOW_FREED(h, p) ea_vg_freed((h), (p))
#define SHADOW_RESIZED(h, old, p, size, kept, usable) ea_vg_resized((h), (old), (p), (size), (kept), (usable))
#define SHADOW_HEAP_START(h) ea_vg_heap_start(h)

#else
#define SHADOW_CLOSE(from, to) ((void)0)
#define SHADOW_OPEN(from, to) ((void)0)
#define SHADOW_OPEN_LIVE(from, to) ((void)0)
#define SHADOW_HAND_OUT(h, p, size, usable) ((void)0)
#define SHADOW_USABLE(h, p, usable) ((void)0)
#define SHADOW_FREED(h, p) ((void)0)
#define SHADOW_RESIZED(h, old, p, size, kept, usable) ((void)0)
#define SHADOW_HEAP_START(h) ((void)0)
#endif

/* p is tested first: usable (read from p's header) is not to be computed for a failed call. */
#define SHADOW_IF_HANDED_OUT(p, hook)                                                                                  \
    do {                                                                                                               \
        if ((p) != NULL) {                                                                                             \
            hook;                                                                                                      \
        }                                                                                                              \
    } while (0)

#endif
