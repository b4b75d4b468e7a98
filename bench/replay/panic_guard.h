/*
 * ealloc-replay's own ea_panic. The library's default prints and aborts,
 * which would end the whole run at the first misuse the allocator detects;
 * this one jumps back to the replay, which reports the panic for that trace
 * and back-end and goes on with the next. ealloc's contract allows it: a
 * panic leaves the heap unchanged and no lock held.
 */
#ifndef REPLAY_PANIC_GUARD_H
#define REPLAY_PANIC_GUARD_H

#include <setjmp.h>

/* Make ea_panic longjmp to *target (with value 1); NULL restores print-and-abort. */
void panic_guard_arm(jmp_buf *target);

/* The last panic, as "fault: detail". */
const char *panic_guard_message(void);

#endif /* REPLAY_PANIC_GUARD_H */
