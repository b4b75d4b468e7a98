/*
 * What every test binary shares: the heap fixture over the back-end table,
 * the panic catcher, the out-of-memory hook recorder, and checks that run
 * after every operation.
 */
#ifndef EALLOC_TEST_SUPPORT_H
#define EALLOC_TEST_SUPPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "ea_port.h" /* the counting port: section depth and entries */
#include "test_framework.h"

/* The arena of the default fixture: smaller on boards with little RAM. */
#ifndef TEST_ARENA_SIZE
#define TEST_ARENA_SIZE (64 * 1024)
#endif

/*
 * Sizes that have to fit in the arena are written for the default 64 KiB one
 * and passed through TEST_SCALE: with the default arena (every host run) each
 * is exactly the number written; a board with little RAM builds the suite
 * with a smaller TEST_ARENA_SIZE and each such size shrinks in proportion.
 * An integer constant expression when bytes is one.
 */
#define TEST_SCALE(bytes) ((size_t)((unsigned long long)(bytes) * (TEST_ARENA_SIZE) / (64u * 1024u)))

/* The largest alignment the suite asks for: 4096, or in an arena under 32 KiB the largest power of two up to an eighth of it. */
#define TEST_ALIGN_FITS_(align) ((TEST_ARENA_SIZE) >= 8 * (align))
#define TEST_MAX_ALIGN                                                                                          \
    ((size_t)(TEST_ALIGN_FITS_(4096)   ? 4096                                                                   \
              : TEST_ALIGN_FITS_(2048) ? 2048                                                                   \
              : TEST_ALIGN_FITS_(1024) ? 1024                                                                   \
              : TEST_ALIGN_FITS_(512)  ? 512                                                                    \
              : TEST_ALIGN_FITS_(256)  ? 256                                                                    \
                                       : 128))

/* The heap under test and its arena (set up by the fixtures below). */
extern void *heap;
extern unsigned char *arena;
extern size_t arena_size;

/* cmocka setup/teardown: an empty heap; a heap over the whole arena. */
int setup_empty_heap(void **state);
int setup_heap(void **state);
/* Checks the heap (when it has memory) and the critical-section counters, then releases. */
int teardown_heap(void **state);

/* A second arena for region tests: TEST_ARENA_SIZE bytes, max-aligned. */
extern unsigned char *second_arena;

/* Asserts check() == 0, used + free_bytes == capacity, and no section left open. */
void assert_heap_sound(void);

/* The test is done with heap (EA_VALGRIND: memcheck forgets the blocks still allocated in it). */
void abandon_heap(void);

/* Footprint of a block holding size bytes, as the back-end rounds it. */
size_t expected_footprint(size_t size);

/* The header words in front of payload p (EA_HEADER bytes), saved so a test can damage and restore them. */
typedef struct {
    unsigned char *at;
    unsigned char bytes[2 * sizeof(size_t)];
} saved_header_t;

saved_header_t save_header(unsigned char *p);
void restore_header(const saved_header_t *s);

/* Fill / verify size bytes at p with a pattern derived from seed. */
void fill_pattern(void *p, size_t size, unsigned seed);
void assert_pattern(const void *p, size_t size, unsigned seed);

/* The panic catcher: run stmt, expect ea_panic(fault) from it, and return. */
extern jmp_buf *panic_landing;
extern int last_fault;
extern const char *last_detail; /* the detail string of the last panic */
extern unsigned panic_count;
extern unsigned panic_inside_section; /* panics that arrived with a section still open */

#define EXPECT_PANIC(fault, stmt)                                                  \
    do {                                                                           \
        jmp_buf landing_;                                                          \
        unsigned before_ = panic_count;                                            \
        panic_landing = &landing_;                                                 \
        if (setjmp(landing_) == 0) {                                               \
            stmt;                                                                  \
        }                                                                          \
        panic_landing = NULL;                                                      \
        assert_int_equal(panic_count, before_ + 1);                                \
        assert_int_equal(last_fault, (fault));                                     \
    } while (0)

/*
 * EA_ASAN and EA_VALGRIND builds: a misuse that touches memory the heap has
 * closed (a block freed twice, a pointer into a free block) is reported by the
 * checker at that access, before the heap could panic (ASan ends the program;
 * under memcheck the report fails the test); tests/asan and tests/valgrind
 * expect those reports. The suite's tests of such misuse start with this.
 */
#if EA_ASAN || EA_VALGRIND
#define SKIP_WHERE_A_CHECKER_REPORTS_FIRST() skip()
#else
#define SKIP_WHERE_A_CHECKER_REPORTS_FIRST() ((void)0)
#endif

/*
 * An allocation from a heap that was never initialised: NULL, or in hardened
 * builds ea_panic(EA_FAULT_NOT_INIT).
 */
#if EA_HARDENED
#define EXPECT_UNINITIALISED(stmt) EXPECT_PANIC(EA_FAULT_NOT_INIT, (void)(stmt))
#else
#define EXPECT_UNINITIALISED(stmt) assert_null(stmt)
#endif

/* The out-of-memory hook recorder. */
extern unsigned oom_calls;
extern void *oom_heap;
extern size_t oom_size;
extern size_t oom_align;

/* The alignment of plain allocations. */
#define DEFAULT_ALIGN ((size_t)(EA_ALIGN))

#endif
