/*
 * A program for preload_test.py to run with and without
 * LD_PRELOAD=libealloc_malloc.so; its output must be the same both ways.
 *
 *   preload_probe threads   4 threads allocate, resize, fill, verify and free
 *                           concurrently; prints a checksum of what they wrote
 *   preload_probe fork      2 threads allocate without pause while the main
 *                           thread forks 100 times; every child allocates,
 *                           starts a thread, and exits 0 only if all went well
 *   preload_probe foreign   (under the preload only) frees and resizes
 *                           pointers the preload never handed out
 *
 * Under the preload (ea_malloc_check is then found with dlsym) each mode
 * also asserts the heap's check; a failure exits non-zero.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int (*heap_check)(void); /* ea_malloc_check of the preload, or NULL without it */

static void die(const char *what)
{
    fprintf(stderr, "preload_probe: %s\n", what);
    exit(1);
}

static void check_heap(const char *when)
{
    if (heap_check != NULL && heap_check() != 0) {
        fprintf(stderr, "preload_probe: ea_malloc_check failed %s\n", when);
        exit(1);
    }
}

static uint32_t next(uint32_t *rng)
{
    *rng = *rng * 1664525u + 1013904223u;
    return *rng >> 8;
}

static void fill(unsigned char *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (unsigned char)(seed + i * 13u);
    }
}

static int filled(const unsigned char *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        if (p[i] != (unsigned char)(seed + i * 13u)) {
            return 0;
        }
    }
    return 1;
}

/* ---- threads ----------------------------------------------------------------------------- */

enum { SLOTS = 256, STEPS = 60000 };

struct worker {
    pthread_t thread;
    uint32_t seed;
    uint64_t checksum;
    int failed;
};

static void *work(void *arg)
{
    struct worker *w = arg;
    unsigned char *slot[SLOTS] = {0};
    size_t len[SLOTS] = {0};
    uint32_t tag[SLOTS] = {0};
    uint32_t rng = w->seed;
    for (unsigned step = 0; step < STEPS; step++) {
        unsigned i = next(&rng) % SLOTS;
        uint32_t r = next(&rng);
        /* Mostly small blocks, some of a few KiB, a few of up to 1 MiB. */
        size_t n = r % 128 == 0 ? r % (1u << 19) : r % 8 == 0 ? r % 8192 : r % 256;
        if (slot[i] != NULL && !filled(slot[i], len[i], tag[i])) {
            w->failed = 1;
            break;
        }
        switch (next(&rng) % 6) {
        case 0:
        case 1:
            free(slot[i]);
            slot[i] = malloc(n);
            break;
        case 2:
            free(slot[i]);
            slot[i] = calloc(1, n);
            for (size_t k = 0; slot[i] != NULL && k < n; k++) {
                if (slot[i][k] != 0) {
                    w->failed = 1;
                }
            }
            break;
        case 3: {
            unsigned char *q = realloc(slot[i], n + 1);
            if (q != NULL && slot[i] != NULL && !filled(q, len[i] < n + 1 ? len[i] : n + 1, tag[i])) {
                w->failed = 1;
            }
            if (q != NULL) {
                slot[i] = q;
            }
            n = q != NULL ? n + 1 : len[i];
            break;
        }
        case 4: {
            void *q = NULL;
            free(slot[i]);
            slot[i] = posix_memalign(&q, (size_t)64 << (r % 6), n) == 0 ? q : NULL;
            if (slot[i] != NULL && ((uintptr_t)slot[i] & (((size_t)64 << (r % 6)) - 1)) != 0) {
                w->failed = 1;
            }
            break;
        }
        default:
            free(slot[i]);
            slot[i] = NULL;
            n = 0;
            break;
        }
        len[i] = slot[i] != NULL ? n : 0;
        tag[i] = r;
        if (slot[i] != NULL) {
            fill(slot[i], len[i], tag[i]);
            w->checksum = w->checksum * 31u + len[i];
        }
    }
    for (unsigned i = 0; i < SLOTS; i++) {
        free(slot[i]);
    }
    return NULL;
}

static int run_threads(void)
{
    struct worker w[4];
    for (unsigned t = 0; t < 4; t++) {
        w[t] = (struct worker){.seed = 1000u + t};
        if (pthread_create(&w[t].thread, NULL, work, &w[t]) != 0) {
            die("pthread_create");
        }
    }
    uint64_t sum = 0;
    for (unsigned t = 0; t < 4; t++) {
        pthread_join(w[t].thread, NULL);
        if (w[t].failed) {
            die("a block's contents changed");
        }
        sum = sum * 1000003u + w[t].checksum;
    }
    check_heap("after the threads");
    printf("threads: 4 x %u steps, checksum %016llx\n", (unsigned)STEPS, (unsigned long long)sum);
    return 0;
}

/* ---- fork ------------------------------------------------------------------------------- */

static volatile int stop_churn;

static void *churn(void *arg)
{
    uint32_t rng = (uint32_t)(uintptr_t)arg;
    void *held[32] = {0};
    while (!stop_churn) {
        unsigned i = next(&rng) % 32;
        free(held[i]);
        held[i] = malloc(next(&rng) % 4096);
    }
    for (unsigned i = 0; i < 32; i++) {
        free(held[i]);
    }
    return NULL;
}

static void *child_thread(void *arg)
{
    return strdup(arg);
}

/* In the child: the heap must work, from this thread and from a new one. */
static int child_work(unsigned round)
{
    char *s = strdup("child");
    unsigned char *p = malloc(1000 + round);
    if (s == NULL || p == NULL) {
        return 1;
    }
    fill(p, 1000 + round, round);
    p = realloc(p, 100000);
    if (p == NULL || !filled(p, 1000 + round, round)) {
        return 1;
    }
    pthread_t t;
    void *copy = NULL;
    if (pthread_create(&t, NULL, child_thread, s) != 0 || pthread_join(t, &copy) != 0 || copy == NULL ||
        strcmp(copy, "child") != 0) {
        return 1;
    }
    free(copy);
    free(p);
    free(s);
    return heap_check != NULL && heap_check() != 0;
}

static int run_fork(void)
{
    pthread_t t[2];
    for (unsigned i = 0; i < 2; i++) {
        if (pthread_create(&t[i], NULL, churn, (void *)(uintptr_t)(77u + i)) != 0) {
            die("pthread_create");
        }
    }
    unsigned ok = 0;
    for (unsigned round = 0; round < 100; round++) {
        pid_t pid = fork();
        if (pid < 0) {
            die("fork");
        }
        if (pid == 0) {
            _exit(child_work(round));
        }
        int status = 0;
        if (waitpid(pid, &status, 0) != pid) {
            die("waitpid");
        }
        ok += WIFEXITED(status) && WEXITSTATUS(status) == 0;
    }
    stop_churn = 1;
    for (unsigned i = 0; i < 2; i++) {
        pthread_join(t[i], NULL);
    }
    check_heap("after the forks");
    printf("fork: %u of 100 children ok\n", ok);
    return ok == 100 ? 0 : 1;
}

/* ---- foreign pointers ------------------------------------------------------------------- */

extern void *__libc_malloc(size_t size); /* glibc's own malloc, which the preload does not replace */

static int run_foreign(void)
{
    if (heap_check == NULL) {
        die("foreign: only meaningful under the preload");
    }
    static char not_a_block[64];
    void *volatile inside_static = not_a_block + 16; /* volatile: no compiler warns about freeing it */
    void *glibc_block = __libc_malloc(100);
    if (glibc_block == NULL) {
        die("__libc_malloc");
    }
    if (malloc_usable_size(glibc_block) != 0) {
        die("malloc_usable_size of a foreign pointer is not 0");
    }
    errno = 0;
    if (realloc(glibc_block, 10) != NULL || errno != ENOMEM) {
        die("realloc of a foreign pointer did not fail with ENOMEM");
    }
    free(glibc_block);    /* ignored */
    free(inside_static);  /* ignored */
    char *mine = strdup("still fine");
    if (mine == NULL || strcmp(mine, "still fine") != 0) {
        die("strdup after foreign frees");
    }
    free(mine);
    check_heap("after foreign pointers");
    printf("foreign: 4 foreign pointers ignored\n");
    return 0;
}

int main(int argc, char **argv)
{
    void *check = dlsym(RTLD_DEFAULT, "ea_malloc_check");
    memcpy(&heap_check, &check, sizeof heap_check); /* POSIX: a function's address through void * */
    const char *mode = argc > 1 ? argv[1] : "";
    if (strcmp(mode, "threads") == 0) {
        return run_threads();
    }
    if (strcmp(mode, "fork") == 0) {
        return run_fork();
    }
    if (strcmp(mode, "foreign") == 0) {
        return run_foreign();
    }
    fprintf(stderr, "usage: preload_probe threads|fork|foreign\n");
    return 2;
}
