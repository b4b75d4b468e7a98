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
 *   malloc_under_memcheck clean | read_after_free | leak
 */
#define _POSIX_C_SOURCE 200809L /* strdup, posix_memalign */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ealloc/malloc.h"

static unsigned char arena[256 * 1024] __attribute__((aligned(64)));
static unsigned char second_region[512 * 1024] __attribute__((aligned(64)));

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
        !ea_malloc_owns(copy) || !ea_malloc_owns(values) || !ea_malloc_owns(aligned) || !ea_malloc_owns(posix)) {
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
    /* A region refused (it overlaps the heap's) leaves memcheck silent; one taken serves a block too
     * large for the first. */
    if (ea_malloc_add_region(arena + 4096, 4096) || !ea_malloc_add_region(second_region, sizeof second_region)) {
        puts("clean: add_region took an overlapping region or refused a good one");
        return 1;
    }
    unsigned char *large = malloc(400 * 1024);
    uintptr_t at = (uintptr_t)large;
    if (large == NULL || !ea_malloc_owns(large) || at < (uintptr_t)second_region ||
        at >= (uintptr_t)second_region + sizeof second_region) {
        puts("clean: the large block is not in the second region");
        return 1;
    }
    memset(large, 1, 400 * 1024);
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
    ea_malloc_init(arena, sizeof arena);
    void *probe = malloc(16);
    if (!ea_malloc_owns(probe)) {
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
    if (argc == 2 && strcmp(argv[1], "leak") == 0) {
        return leak();
    }
    fprintf(stderr, "usage: %s clean|read_after_free|leak\n", argv[0]);
    return 2;
}
