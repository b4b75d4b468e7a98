/*
 * One misuse of heap memory, named on the command line, on the back-end this
 * program is linked with. Built with EA_ASAN=1, AddressSanitizer must stop it
 * at the bad access with a use-after-poison report naming the function below
 * (tests/CMakeLists.txt matches it). Built without EA_ASAN, the negative
 * control: the same access goes unnoticed, and the program says so.
 *
 *   asan_misuse read_after_free | write_past_the_request | read_never_handed_out | double_free
 */
#include <stdio.h>
#include <string.h>

#include "test_support.h"

static unsigned char memory[16 * 1024] __attribute__((aligned(64)));

/* volatile: the compiler must make each access the program asks for. */
static unsigned char misuse_read_after_free(void *h)
{
    volatile unsigned char *p = backend.alloc(h, 200);
    volatile unsigned char *wall = backend.alloc(h, 8);
    p[100] = 1;
    backend.free(h, (void *)(uintptr_t)p);
    unsigned char got = p[100];
    backend.free(h, (void *)(uintptr_t)wall);
    return got;
}

static unsigned char misuse_write_past_the_request(void *h)
{
    volatile unsigned char *p = backend.alloc(h, 20); /* a footprint of 32 on 64-bit: 4 bytes of rounding */
    p[20] = 7;
    return p[0];
}

static unsigned char misuse_read_never_handed_out(void *h)
{
    (void)backend.alloc(h, 64);
    /* The pointer volatile too: an address the compiler knows is inside the array needs no check (gcc -m32). */
    volatile unsigned char *volatile inside_free_memory = memory + sizeof memory / 2;
    return *inside_free_memory;
}

/* b merges into the free block a before it, so its header is inside a free block when it is freed again. */
static unsigned char misuse_double_free(void *h)
{
    void *a = backend.alloc(h, 100);
    void *b = backend.alloc(h, 100);
    void *wall = backend.alloc(h, 8);
    backend.free(h, a);
    backend.free(h, b);
    backend.free(h, b);
    backend.free(h, wall);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        unsigned char (*run)(void *h);
    } cases[] = {
        {"read_after_free", misuse_read_after_free},
        {"write_past_the_request", misuse_write_past_the_request},
        {"read_never_handed_out", misuse_read_never_handed_out},
        {"double_free", misuse_double_free},
    };
    void *h = backend.heap_object;
    backend.make_empty(h);
    backend.init(h, memory, sizeof memory);
    for (size_t i = 0; argc == 2 && i < sizeof cases / sizeof cases[0]; i++) {
        if (strcmp(argv[1], cases[i].name) == 0) {
            unsigned char got = cases[i].run(h);
            printf("%s on %s: not reported (read %u)\n", cases[i].name, backend.name, (unsigned)got);
            return 0;
        }
    }
    fprintf(stderr, "usage: %s read_after_free|write_past_the_request|read_never_handed_out|double_free\n",
            argv[0]);
    return 2;
}
