/*
 * The C library's malloc as a baseline: newlib-nano (the image is linked with
 * --specs=nano.specs) or full newlib (linked without it), whichever this
 * image was built with. Its heap grows through _sbrk, which here serves
 * exactly the trace's arena bytes from a buffer the replay hands over, so
 * every chunk header and every byte of padding newlib spends comes out of
 * the arena, as FORMAT.md asks. What newlib keeps in static variables (its
 * bin heads: full newlib about 1 KiB, nano two words) is outside the arena;
 * the report says how large it is.
 *
 * _sbrk is called from inside malloc, so its few instructions are part of
 * newlib's measured cost, as they would be in any firmware.
 */
#include <errno.h>
#include <malloc.h>
#include <newlib.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"

/* Set by the build from the specs it links with (the compiler does not see them). */
#if defined(BENCH_NEWLIB_NANO) && BENCH_NEWLIB_NANO
#define NEWLIB_NAME "newlib-nano"
#define NEWLIB_DESCRIBE "newlib-nano " _NEWLIB_VERSION " malloc (--specs=nano.specs), arena through _sbrk"
#else
#define NEWLIB_NAME "newlib"
#define NEWLIB_DESCRIBE "newlib " _NEWLIB_VERSION " malloc (full, dlmalloc-based), arena through _sbrk"
#endif

static unsigned char *sbrk_lo, *sbrk_hi, *sbrk_brk;
static size_t sbrk_peak, sbrk_refused;

void *_sbrk(ptrdiff_t increment);

void *_sbrk(ptrdiff_t increment)
{
    unsigned char *old = sbrk_brk;
    bool fits = sbrk_lo != NULL && (increment >= 0 ? (size_t)increment <= (size_t)(sbrk_hi - old)
                                                   : (size_t)-increment <= (size_t)(old - sbrk_lo));
    if (!fits) {
        sbrk_refused++;
        errno = ENOMEM;
        return (void *)-1;
    }
    sbrk_brk = old + increment;
    if ((size_t)(sbrk_brk - sbrk_lo) > sbrk_peak) {
        sbrk_peak = (size_t)(sbrk_brk - sbrk_lo);
    }
    return old;
}

/* Once per image run: newlib's malloc state cannot be reset, so each run replays one trace. */
static void *newlib_setup(unsigned char *arena, size_t bytes, size_t *handle_bytes)
{
    sbrk_lo = sbrk_brk = arena;
    sbrk_hi = arena + bytes;
    sbrk_peak = sbrk_refused = 0;
    *handle_bytes = 0;
    return NULL;
}

static void newlib_info(void *heap, bench_heap_info_t *out)
{
    (void)heap;
    memset(out, 0, sizeof *out);
    out->has_sbrk = true;
    out->sbrk_peak = sbrk_peak;
    out->sbrk_refused = sbrk_refused;
}

static const bench_backend_t newlib = {
    NEWLIB_NAME,
    NEWLIB_DESCRIBE,
    false,
    BENCH_LIBC_CALLS,
    newlib_setup,
    newlib_info,
    NULL,
};

const bench_backend_t *const bench_backends[] = {&newlib};
const size_t bench_backend_count = 1;
