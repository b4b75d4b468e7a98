/*
 * One misuse of heap memory, named on the command line, on the back-end this
 * program is linked with: the misuses a memory checker must report once the
 * heap tells it which bytes the program may touch. tests/asan runs it under
 * AddressSanitizer (EA_ASAN=1: ASan stops it at the bad access, with a report
 * naming the function below), tests/valgrind under memcheck (EA_VALGRIND=1:
 * memcheck reports it, naming the function, or for a leak the block at the
 * end); tests/CMakeLists.txt matches each report. Built without either, the
 * negative control: the checker sees one static array, reports nothing, and
 * the program says the misuse went unnoticed.
 *
 *   checked_misuse read_after_free | read_link_after_free | write_past_the_request |
 *                  write_past_a_full_request | write_past_the_usable_size | write_into_free_memory |
 *                  read_never_handed_out |
 *                  branch_on_unwritten | leak | double_free
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_support.h"

static unsigned char memory[16 * 1024] __attribute__((aligned(64)));

/* volatile: the compiler must make each access the program asks for, at an address it cannot see
 * is inside the array (it would not check that). */
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

/*
 * The link of a list node read after the node was freed, as in the classic
 * for (n = head; n != NULL; n = n->next) free(n): the first bytes of a freed
 * block, where the heap keeps its own links.
 */
struct node {
    struct node *next;
    unsigned value;
};

static unsigned char misuse_read_link_after_free(void *h)
{
    struct node *first = backend.alloc(h, sizeof *first);
    struct node *second = backend.alloc(h, sizeof *second);
    first->next = second;
    second->next = NULL;
    backend.free(h, first);
    struct node *volatile next = first->next;
    backend.free(h, second);
    return next != NULL;
}

static unsigned char misuse_write_past_the_request(void *h)
{
    volatile unsigned char *p = backend.alloc(h, 20); /* a footprint of 32 on 64-bit: 4 bytes of rounding */
    p[20] = 7;
    return p[0];
}

/*
 * One byte past a request of 32 bytes less the header: one that would fill
 * its footprint exactly, the next byte the next block's header, which the heap
 * keeps open. A checker build keeps a guard byte after every request, so the
 * write lands on a closed byte.
 */
static unsigned char misuse_write_past_a_full_request(void *h)
{
    size_t size = 32 - backend.header;
    volatile unsigned char *p = backend.alloc(h, size);
    (void)backend.alloc(h, 8); /* a block after it, its header where the request would end */
    p[size] = 7;
    return p[0];
}

/* One byte past all that usable_size said the program may use: onto the guard. */
static unsigned char misuse_write_past_the_usable_size(void *h)
{
    volatile unsigned char *p = backend.alloc(h, 20);
    size_t usable = backend.usable_size(h, (void *)(uintptr_t)p);
    p[usable] = 7;
    return p[0];
}

/* Past the block's end and the header and links of the free block after it. */
static unsigned char misuse_write_into_free_memory(void *h)
{
    volatile unsigned char *p = backend.alloc(h, 20);
    p[64] = 7;
    return p[0];
}

static unsigned char misuse_read_never_handed_out(void *h)
{
    (void)backend.alloc(h, 64);
    volatile unsigned char *volatile inside_free_memory = memory + sizeof memory / 2;
    return *inside_free_memory;
}

/* A decision on a byte the program never wrote (the memory under it was written: zeros). */
static unsigned char misuse_branch_on_unwritten(void *h)
{
    unsigned char *p = backend.alloc(h, 64);
    p[0] = 1;
    if (p[10] == 0x5a) {
        puts("0x5a");
        return 1;
    }
    return 0;
}

/*
 * The only pointer to a block lost: memcheck's leak search at exit. memcheck
 * (3.19) searches only when the C library's heap has a live block then, as
 * most programs' have: this one keeps one too.
 */
static void *volatile kept_by_the_c_library_heap; /* volatile: the call stays */

static unsigned char misuse_leak(void *h)
{
    kept_by_the_c_library_heap = malloc(16);
    unsigned char *volatile p = backend.alloc(h, 100);
    p[0] = 1;
    p = NULL;
    return 0;
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
        {"read_link_after_free", misuse_read_link_after_free},
        {"write_past_the_request", misuse_write_past_the_request},
        {"write_past_a_full_request", misuse_write_past_a_full_request},
        {"write_past_the_usable_size", misuse_write_past_the_usable_size},
        {"write_into_free_memory", misuse_write_into_free_memory},
        {"read_never_handed_out", misuse_read_never_handed_out},
        {"branch_on_unwritten", misuse_branch_on_unwritten},
        {"leak", misuse_leak},
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
    fprintf(stderr, "usage: %s read_after_free|read_link_after_free|write_past_the_request|write_past_a_full_request|"
                    "write_past_the_usable_size|write_into_free_memory|"
                    "read_never_handed_out|branch_on_unwritten|leak|double_free\n", argv[0]);
    return 2;
}
