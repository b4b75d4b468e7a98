/*
 * ealloc as the program's malloc (the shim over a library built with
 * EA_VALGRIND=1), run under valgrind's memcheck. memcheck puts its own
 * allocator in place of any malloc it finds in the program unless told not to
 * (--soname-synonyms=somalloc=nouserintercepts); this program says which one
 * it got. With ealloc's, memcheck sees ealloc's blocks: the C library's own
 * allocations (strdup, stdio's buffer) and the program's come from the
 * arena, and a misuse is reported as for memcheck's own malloc, a lost block
 * in memcheck's leak search at exit too.
 *
 * Built with EA_TEST_PRELOADED=1 it links no ealloc and is run with
 * LD_PRELOAD=libealloc_malloc_memcheck.so instead: the library maps its own
 * regions, and ea_malloc_owns is the library's (a weak reference, null when
 * the library is not loaded).
 *
 *   malloc_under_memcheck clean | read_after_free | write_past_the_end | leak
 */
#define _POSIX_C_SOURCE 200809L /* strdup, posix_memalign */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ealloc/malloc.h"

#if EA_TEST_PRELOADED
#pragma weak ea_malloc_owns
static bool owned(const void *p)
{
    return ea_malloc_owns != NULL && ea_malloc_owns(p);
}

/* Larger than the library's first region: it maps one for the block. */
#define LARGE_BYTES ((size_t)80 << 20)

static unsigned char *large_block(void)
{
    return malloc(LARGE_BYTES);
}
#else
#define owned(p) ea_malloc_owns(p)

static unsigned char arena[256 * 1024] __attribute__((aligned(64)));
static unsigned char second_region[512 * 1024] __attribute__((aligned(64)));

#define LARGE_BYTES ((size_t)400 * 1024)

/* A region refused (it overlaps the heap's) leaves memcheck silent; one taken serves a block too
 * large for the first. */
static unsigned char *large_block(void)
{
    if (ea_malloc_add_region(arena + 4096, 4096) || !ea_malloc_add_region(second_region, sizeof second_region)) {
        puts("clean: add_region took an overlapping region or refused a good one");
        return NULL;
    }
    unsigned char *large = malloc(LARGE_BYTES);
    uintptr_t at = (uintptr_t)large;
    if (at < (uintptr_t)second_region || at >= (uintptr_t)second_region + sizeof second_region) {
        puts("clean: the large block is not in the second region");
        free(large);
        return NULL;
    }
    return large;
}
#endif

static int by_value(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a;
    unsigned y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

/* Every allocation function, and the C library allocating for itself, with no misuse: memcheck silent. */
static int clean(void)
{
    char *copy = strdup("from the C library"); /* strdup calls malloc from inside the C library */
    unsigned *values = calloc(64, sizeof *values);
    void *aligned = aligned_alloc(256, 512);
    void *posix = NULL;
    if (copy == NULL || values == NULL || aligned == NULL || posix_memalign(&posix, 64, 100) != 0 ||
        !owned(copy) || !owned(values) || !owned(aligned) || !owned(posix)) {
        puts("clean: an allocation failed or did not come from ealloc");
        return 1;
    }
    for (unsigned i = 0; i < 64; i++) {
        values[i] = (i * 37u) % 64u;
    }
    qsort(values, 64, sizeof *values, by_value);
    values = realloc(values, 4096 * sizeof *values); /* grown: the 64 sorted values kept, the rest undefined */
    if (values == NULL || values[0] != 0 || values[63] != 63) {
        puts("clean: realloc lost the data");
        return 1;
    }
    memset(aligned, 0x5a, 512);
    unsigned char *large = large_block();
    if (large == NULL || !owned(large)) {
        puts("clean: no large block from ealloc");
        return 1;
    }
    memset(large, 1, LARGE_BYTES);
    free(large);
    printf("clean: %s, %u .. %u\n", copy, values[0], values[63]); /* stdio's buffer: ealloc's too */
    free(posix);
    free(aligned);
    free(values);
    free(copy);
    return 0;
}

static int read_after_free(void)
{
    volatile unsigned char *p = malloc(100);
    if (p == NULL) {
        return 1;
    }
    p[50] = 1;
    free((void *)(uintptr_t)p);
    printf("read_after_free: not reported (read %u)\n", (unsigned)p[50]);
    return 0;
}

/* One byte past a 20-byte block: memcheck names the block, with the stack that allocated it. */
static int write_past_the_end(void)
{
    volatile unsigned char *p = malloc(20);
    if (p == NULL) {
        return 1;
    }
    p[20] = 1;
    puts("write_past_the_end: done");
    free((void *)(uintptr_t)p);
    return 0;
}

/* The only pointer to a block lost: memcheck's leak search at exit must find it. */
static void *volatile kept;

static int leak(void)
{
    kept = malloc(100);
    memset(kept, 1, 100);
    kept = NULL;
    puts("leak: the pointer is gone");
    return 0;
}

int main(int argc, char **argv)
{
#if !EA_TEST_PRELOADED
    ea_malloc_init(arena, sizeof arena);
#endif
    void *probe = malloc(16);
    if (!owned(probe)) {
        puts("malloc is not ealloc's: memcheck replaced it");
        free(probe);
        return 3;
    }
    free(probe);
    if (argc == 2 && strcmp(argv[1], "clean") == 0) {
        return clean();
    }
    if (argc == 2 && strcmp(argv[1], "read_after_free") == 0) {
        return read_after_free();
    }
    if (argc == 2 && strcmp(argv[1], "write_past_the_end") == 0) {
        return write_past_the_end();
    }
    if (argc == 2 && strcmp(argv[1], "leak") == 0) {
        return leak();
    }
    fprintf(stderr, "usage: %s clean|read_after_free|write_past_the_end|leak\n", argv[0]);
    return 2;
}
