/* Shared test fixture, panic catcher and checks: see test_support.h. */
#include "test_support.h"

#include <string.h>

#include "ea_port.h"
#include "heap_common.h"
#if EA_ASAN
#include <sanitizer/asan_interface.h>
#elif EA_VALGRIND
#include <valgrind/memcheck.h>
#endif

_Static_assert(EA_HEADER <= sizeof(((saved_header_t *)0)->bytes), "saved_header_t too small for a header");
/* backend.h restates the header and the guard for tests that see only the public headers; here, where the
 * library's own are in view, every test-support build checks that the two agree. */
_Static_assert(TEST_HEADER_BYTES == EA_HEADER, "TEST_HEADER_BYTES (backend.h) differs from EA_HEADER");
_Static_assert(TEST_GUARD == SHADOW_GUARD, "TEST_GUARD (backend.h) differs from SHADOW_GUARD (src/shadow.h)");

/*
 * Aligned to the largest alignment the suite asks for, so the place of every
 * aligned block, and the padding in front of it, is the same on every target
 * and in every build, not an accident of where the linker put the arena.
 */
static _Alignas(TEST_MAX_ALIGN) unsigned char arena_storage[TEST_ARENA_SIZE];
static _Alignas(TEST_MAX_ALIGN) unsigned char second_storage[TEST_ARENA_SIZE];

void *heap;
unsigned char *arena = arena_storage;
size_t arena_size = TEST_ARENA_SIZE;
unsigned char *second_arena = second_storage;

jmp_buf *panic_landing;
int last_fault;
const char *last_detail;
unsigned panic_count;
unsigned panic_inside_section;

unsigned oom_calls;
void *oom_heap;
size_t oom_size;
size_t oom_align;

/* Replaces the library's weak default: record, then land in EXPECT_PANIC. */
void ea_panic(ea_fault_t why, const char *detail)
{
    last_fault = (int)why;
    last_detail = detail;
    panic_count++;
    if (ea_test_cs_depth != 0) {
        panic_inside_section++;
    }
    if (panic_landing == NULL) {
        fail_msg("unexpected ea_panic(%d, %s)", (int)why, detail != NULL ? detail : "");
    }
    longjmp(*panic_landing, 1);
}

void ea_oom_hook(void *h, size_t size, size_t align)
{
    oom_calls++;
    oom_heap = h;
    oom_size = size;
    oom_align = align;
}

int setup_empty_heap(void **state)
{
    (void)state;
    heap = backend.heap_object;
    backend.make_empty(heap);
#if EA_ASAN /* the heap of the test before closed parts of the arenas */
    ASAN_UNPOISON_MEMORY_REGION(arena_storage, sizeof arena_storage);
    ASAN_UNPOISON_MEMORY_REGION(second_storage, sizeof second_storage);
#elif EA_VALGRIND /* the same, and memcheck forgets the blocks that test left allocated */
    abandon_heap();
    (void)VALGRIND_MAKE_MEM_UNDEFINED(arena_storage, sizeof arena_storage);
    (void)VALGRIND_MAKE_MEM_UNDEFINED(second_storage, sizeof second_storage);
#endif
    memset(arena_storage, 0xA5, sizeof arena_storage);
    memset(second_storage, 0x5A, sizeof second_storage);
    ea_test_cs_depth = 0;
    ea_test_cs_misnested = 0;
    panic_inside_section = 0;
    oom_calls = 0;
    return 0;
}

int setup_heap(void **state)
{
    setup_empty_heap(state);
    backend.init(heap, arena, arena_size);
    return 0;
}

int teardown_heap(void **state)
{
    (void)state;
    assert_heap_sound();
    assert_int_equal(panic_inside_section, 0);
    abandon_heap();
    return 0;
}

void abandon_heap(void)
{
#if EA_VALGRIND
    /* The blocks a test leaves allocated are not leaks of the program's: the heap goes with them. */
    if (VALGRIND_MEMPOOL_EXISTS(heap)) {
        VALGRIND_DESTROY_MEMPOOL(heap);
    }
#endif
}

size_t expected_footprint(size_t size)
{
    size_t bytes = (size + backend.header + TEST_GUARD + backend.granule - 1) / backend.granule * backend.granule;
    return bytes < backend.min_block ? backend.min_block : bytes;
}

void assert_heap_sound(void)
{
    ea_stats_t st;
    assert_int_equal(backend.check(heap), EA_OK);
    backend.stats(heap, &st);
    assert_int_equal(backend.used(heap) + backend.free_bytes(heap), st.capacity);
    assert_int_equal(ea_test_cs_depth, 0);
    assert_int_equal(ea_test_cs_misnested, 0);
}

saved_header_t save_header(unsigned char *p)
{
    saved_header_t s;
    s.at = p - EA_HEADER;
    memcpy(s.bytes, s.at, EA_HEADER);
    return s;
}

void restore_header(const saved_header_t *s)
{
    memcpy(s->at, s->bytes, EA_HEADER);
}

static unsigned char pattern_byte(size_t i, unsigned seed)
{
    return (unsigned char)((i * 131u + seed * 7u + (i >> 8)) ^ (seed >> 3));
}

void fill_pattern(void *p, size_t size, unsigned seed)
{
    if (size != 0) {
        assert_non_null(p); /* a failed allocation fails the test here, not as a crash */
    }
    unsigned char *b = p;
    for (size_t i = 0; i < size; i++) {
        b[i] = pattern_byte(i, seed);
    }
}

void assert_pattern(const void *p, size_t size, unsigned seed)
{
    if (size != 0) {
        assert_non_null(p);
    }
    const unsigned char *b = p;
    for (size_t i = 0; i < size; i++) {
        if (b[i] != pattern_byte(i, seed)) {
            fail_msg("pattern %u broken at byte %zu of %zu", seed, i, size);
        }
    }
}
