/*
 * ealloc configuration: every knob, its default and its allowed range.
 *
 * Set a knob with -D on the compiler's command line, or put the definitions in
 * a header of your own and name it with -DEALLOC_CONFIG_HEADER='"my_config.h"'.
 * A value out of range stops the build with a message naming the knob; nothing
 * is silently clamped.
 */
#ifndef EALLOC_CONFIG_H
#define EALLOC_CONFIG_H

#ifdef EALLOC_CONFIG_HEADER
#include EALLOC_CONFIG_HEADER
#endif

#include <stddef.h>

/*
 * EA_ALIGN — alignment of every block returned by the plain allocation calls.
 * Default: alignof(max_align_t), what malloc promises (8 on Arm EABI; 16 on
 * RV32, whose long double is a 16-byte quad, and on x86-64 and i386 glibc).
 * A power of two, at least the size of a pointer and at most 4096. A smaller
 * value than the default saves memory on tiny blocks but is then no longer
 * enough for every C type (on RV32, 8 suits firmware without long double:
 * docs/performance.md, "RV32").
 */
#ifndef EA_ALIGN
#define EA_ALIGN _Alignof(max_align_t)
#endif
_Static_assert((EA_ALIGN) >= sizeof(void *), "EA_ALIGN must be at least sizeof(void *)");
_Static_assert((EA_ALIGN) <= 4096, "EA_ALIGN must be at most 4096");
_Static_assert(((EA_ALIGN) & ((EA_ALIGN) - 1)) == 0, "EA_ALIGN must be a power of two");

/*
 * EA_STATS — keep the event counters (peak used, alloc/free/failed counts)
 * that ea_*_stats reports. 1 (default) or 0. With 0 those fields read 0 and
 * each call saves a few instructions; used/free_bytes are always exact.
 */
#ifndef EA_STATS
#define EA_STATS 1
#endif
_Static_assert((EA_STATS) == 0 || (EA_STATS) == 1, "EA_STATS must be 0 or 1");

/*
 * EA_TLSF_SL_LOG2 — log2 of the number of second-level subdivisions of each
 * power-of-two size range in the TLSF heap: 2, 3, 4 or 5 (4, 8, 16 or 32
 * lists per range). Default 3. More lists make the rounding of a request to
 * its class finer but grow the control block and the words of class bits a
 * search may read (5 by default; beyond 6 a summary word is kept over them);
 * see docs/tlsf.md for the table.
 */
#ifndef EA_TLSF_SL_LOG2
#define EA_TLSF_SL_LOG2 3
#endif
_Static_assert((EA_TLSF_SL_LOG2) >= 2 && (EA_TLSF_SL_LOG2) <= 5, "EA_TLSF_SL_LOG2 must be 2, 3, 4 or 5");

/*
 * EA_TLSF_MAX_BLOCK_LOG2 — the TLSF heap's largest block is just under
 * 2^EA_TLSF_MAX_BLOCK_LOG2 bytes: the largest single allocation. A region
 * larger than that is taken as several regions, so it bounds one allocation,
 * not the heap. It sets the number of first-level classes and so the size of
 * the control block and the number of words of class bits (docs/tlsf.md has
 * the table). Default 24 (16 MiB) on 32-bit targets, 40 on 64-bit ones (for
 * hosts: on a 64-bit microcontroller set it, e.g. to 24, and save about 1 KiB
 * of control block). From 12 to the width of size_t in bits less one.
 */
#ifndef EA_TLSF_MAX_BLOCK_LOG2
#if defined(__SIZEOF_POINTER__) && __SIZEOF_POINTER__ > 4
#define EA_TLSF_MAX_BLOCK_LOG2 40
#else
#define EA_TLSF_MAX_BLOCK_LOG2 24
#endif
#endif
_Static_assert((EA_TLSF_MAX_BLOCK_LOG2) >= 12, "EA_TLSF_MAX_BLOCK_LOG2 must be at least 12");
_Static_assert((EA_TLSF_MAX_BLOCK_LOG2) < sizeof(size_t) * 8,
               "EA_TLSF_MAX_BLOCK_LOG2 must be below the bit width of size_t");

/*
 * EA_TLSF_SEARCH_DEPTH — how many blocks of the request's own size class the
 * TLSF heap examines for one that fits before it takes a block of a larger
 * class. Blocks of a class differ in size by up to one class step, so the
 * first blocks of the request's own class may or may not fit; looking at a
 * few of them uses memory like best fit. Bounded, so alloc stays O(1); each
 * block looked at costs a few instructions in the worst case. 1 still beats
 * plain TLSF, which never looks there. Default 3, from 1 to 64: on the shared
 * traces 3 fill the arena exactly as 4 did, and the slowest plain alloc that
 * can be built is 5 instructions shorter (docs/tlsf-speed-log.md). An
 * over-aligned request (alloc_aligned beyond the granule) looks at one block
 * whatever the depth: it asks for room for the worst padding, which the
 * blocks of its own class seldom have (docs/tlsf.md).
 */
#ifndef EA_TLSF_SEARCH_DEPTH
#define EA_TLSF_SEARCH_DEPTH 3
#endif
_Static_assert((EA_TLSF_SEARCH_DEPTH) >= 1 && (EA_TLSF_SEARCH_DEPTH) <= 64, "EA_TLSF_SEARCH_DEPTH must be 1..64");

/*
 * EA_TLSF_SMALL_CODE — build the TLSF heap for flash instead of speed: its
 * alloc and free call one shared copy of each list operation instead of
 * inlining them, and loop over the blocks of the request's own class instead
 * of unrolling that look: 29 % less code (Cortex-M4: 1626 instead of
 * 2290 bytes) for 19-40 more instructions per alloc and 22-31 per free,
 * still O(1), and
 * the same placement (docs/tlsf.md has the figures). 0 (default) or 1.
 */
#ifndef EA_TLSF_SMALL_CODE
#define EA_TLSF_SMALL_CODE 0
#endif
_Static_assert((EA_TLSF_SMALL_CODE) == 0 || (EA_TLSF_SMALL_CODE) == 1, "EA_TLSF_SMALL_CODE must be 0 or 1");

/*
 * EA_TLSF_BITBAND — on a Cortex-M3 or M4 with bit-banding, set and clear the
 * TLSF class bits through the SRAM bit-band alias (0x22000000): one store
 * instead of a load, a shift, a mask and a store, whenever a list empties or
 * fills (most allocations and frees). Cortex-M4, the 11 traces: up to 6
 * fewer instructions per alloc and 7 per free at the median (within 1 of the
 * default on the traces where lists rarely empty), the free worst case 80 ->
 * 69, 44 bytes less code; the same placement (docs/tlsf.md). The heap
 * object (ea_tlsf_t) must then lie in the bit-band SRAM, the first MiB from
 * 0x20000000: init refuses any other place with EA_FAULT_BAD_REGION before
 * it writes anything. Only for parts that implement bit-banding, an option
 * of the Cortex-M3 and M4 that many of their parts have (STM32F1/F2/F4,
 * LPC17xx, SAM3/SAM4, Tiva C) and some do not: the part's reference manual
 * says. No Cortex-M7 or ARMv8-M core has it: builds for ARMv6-M or ARMv8-M,
 * and big-endian builds, refuse the knob, but a Cortex-M7 build takes it (the
 * same architecture macros as the M4), so do not set it there. 0 (default)
 * or 1.
 */
#ifndef EA_TLSF_BITBAND
#define EA_TLSF_BITBAND 0
#endif
_Static_assert((EA_TLSF_BITBAND) == 0 || (EA_TLSF_BITBAND) == 1, "EA_TLSF_BITBAND must be 0 or 1");
#if (EA_TLSF_BITBAND) && !defined(__ARM_ARCH_7M__) && !defined(__ARM_ARCH_7EM__)
#error "EA_TLSF_BITBAND must be 0 on this target: bit-banding exists only on ARMv7-M (Cortex-M3, M4)"
#endif
#if (EA_TLSF_BITBAND) && defined(__ARM_BIG_ENDIAN)
/* The alias numbers the bits of each byte in turn; the class bits are numbered in the word's value. */
#error "EA_TLSF_BITBAND must be 0 on a big-endian core: the heap numbers the alias's bits little-endian"
#endif

/*
 * EA_BITSCAN_MUL — how a core without a count-leading-zeros instruction
 * (Cortex-M0/M0+, RV32 without Zbb) finds a bit in the TLSF class bits and a
 * size's class. 1: the bit is isolated and named by one multiply and a table
 * of 32 bytes (tlsf alloc at the median up to 38 instructions faster than
 * with 0 on the Cortex-M0+, up to 17 on RV32IMAC; docs/performance.md); 0: a
 * binary search of shifts, no multiply. Default 1 on ARMv6-M (Cortex-M0/M0+/
 * M1) and on RV32 with the M extension, where it was measured; 0 elsewhere
 * (a RISC-V core without M would call a library routine to multiply; RV64 is
 * not measured). Set 0 on a core whose multiplier is slow — a Cortex-M0/M0+
 * built with the small 32-cycle one, a RISC-V core with a bit-serial one —
 * where the multiplies cost more cycles than the shifts. Cores with the
 * instruction ignore it. Either way branch-free and O(1).
 */
#ifndef EA_BITSCAN_MUL
#if defined(__ARM_ARCH_6M__) || (defined(__riscv) && defined(__riscv_mul) && __riscv_xlen == 32)
#define EA_BITSCAN_MUL 1
#else
#define EA_BITSCAN_MUL 0
#endif
#endif
_Static_assert((EA_BITSCAN_MUL) == 0 || (EA_BITSCAN_MUL) == 1, "EA_BITSCAN_MUL must be 0 or 1");

/*
 * EA_HARDENED — detect misuse that the default build leaves undefined, always
 * before the heap changes, and report it through ea_panic: a pointer the heap
 * never returned (stack, global, another heap, the middle of a block:
 * EA_FAULT_FOREIGN_POINTER), a block header overwritten by a buffer overrun
 * (EA_FAULT_CORRUPT, found by a check word kept beside every header), a double
 * free (EA_FAULT_DOUBLE_FREE), and a heap used before init
 * (EA_FAULT_NOT_INIT). Costs one word per block and a few instructions per
 * call (docs/reliability.md). 0 (default) or 1.
 */
#ifndef EA_HARDENED
#define EA_HARDENED 0
#endif
_Static_assert((EA_HARDENED) == 0 || (EA_HARDENED) == 1, "EA_HARDENED must be 0 or 1");

/*
 * EA_POISON — fill the payload of every freed block with a pattern, and check
 * it when the memory is handed out again and in check(): a write after free is
 * reported (EA_FAULT_CORRUPT at the allocation; EA_EPOISON from check).
 * Costs time proportional to the bytes freed and allocated. 0 (default) or 1.
 */
#ifndef EA_POISON
#define EA_POISON 0
#endif
_Static_assert((EA_POISON) == 0 || (EA_POISON) == 1, "EA_POISON must be 0 or 1");

/*
 * EA_ASAN — for programs built with AddressSanitizer (-fsanitize=address, gcc
 * or clang; a host build, for testing firmware code off target): the heap tells
 * ASan which of its bytes the program may touch. The requested bytes of every
 * allocated block are open; the rest of the block (rounding), the inside of
 * every free block and memory never handed out are closed, so a read or write
 * after free, past the end of a request or through a stale pointer is reported
 * by ASan at the access, with its stack. Every block keeps a guard after its
 * request, one byte (five on a 32-bit host: a header's word shares an ASan
 * granule with the four bytes before it); its footprint is that much larger,
 * usable_size that much less than in other builds, so that the byte past a
 * request is never the next block's header nor in its granule. usable_size
 * opens the whole block but the guard, as its contract lets the caller use it.
 * Block headers stay open (an overrun past the guard into a header is what
 * EA_HARDENED finds); a free block's list links and footer are opened only
 * while the heap uses them, so a read of a freed block's first bytes (p->next
 * after free(p)) is reported like any other. ASan marks memory in 8-byte
 * granules, so a few bytes of rounding may stay open where a block ends inside
 * one. Not with EA_POISON (ASan finds more, and at the access).
 * 0 (default) or 1.
 */
#ifndef EA_ASAN
#define EA_ASAN 0
#endif
_Static_assert((EA_ASAN) == 0 || (EA_ASAN) == 1, "EA_ASAN must be 0 or 1");
#if EA_ASAN && !defined(__SANITIZE_ADDRESS__) /* gcc's sign; clang's is __has_feature */
#if !defined(__has_feature)
#error "EA_ASAN must be 1 only in a build with AddressSanitizer (-fsanitize=address)"
#elif !__has_feature(address_sanitizer)
#error "EA_ASAN must be 1 only in a build with AddressSanitizer (-fsanitize=address)"
#endif
#endif
_Static_assert(!((EA_ASAN) && (EA_POISON)), "EA_ASAN must not be combined with EA_POISON: choose one");

/*
 * EA_VALGRIND — for host programs run under Valgrind's memcheck: the heap is a
 * memcheck memory pool (the heap object its name). Every allocated block is a
 * chunk of its requested size, undefined until written, the rounding after it
 * unaddressable until usable_size opens it and makes it the chunk's (but the
 * guard every block keeps after its request, as under EA_ASAN but a header's
 * size: the pool's redzone, so memcheck names the block an access just past it
 * belongs to); free blocks and memory never handed out are unaddressable but
 * for block headers (a free block's links and footer are opened only while the
 * heap uses them). memcheck then reports an access past a request, after free
 * or into free memory, a decision on bytes never written (as for malloc), and
 * blocks the program lost in its leak search, each with the stack that
 * allocated (and freed) the block. realloc keeps what memcheck knows of the
 * bytes it keeps, wherever they go. Includes <valgrind/memcheck.h> (Debian:
 * valgrind); outside valgrind its requests do nothing. Not with EA_POISON (it
 * writes into free memory) or EA_ASAN (one tool at a time). 0 (default) or 1.
 */
#ifndef EA_VALGRIND
#define EA_VALGRIND 0
#endif
_Static_assert((EA_VALGRIND) == 0 || (EA_VALGRIND) == 1, "EA_VALGRIND must be 0 or 1");
_Static_assert(!((EA_VALGRIND) && (EA_POISON)), "EA_VALGRIND must not be combined with EA_POISON: choose one");
_Static_assert(!((EA_VALGRIND) && (EA_ASAN)), "EA_VALGRIND must not be combined with EA_ASAN: one tool at a time");

/*
 * EA_TRACE — report every call that changes a heap to ea_trace_hook(), for
 * recording a program's own workload as a trace (<ealloc/trace.h>,
 * docs/trace.md). Each call then holds its critical section from start to
 * end, copies included. 0 (default) or 1.
 */
#ifndef EA_TRACE
#define EA_TRACE 0
#endif
_Static_assert((EA_TRACE) == 0 || (EA_TRACE) == 1, "EA_TRACE must be 0 or 1");

#endif /* EALLOC_CONFIG_H */
