/*
 * Test-only back-ends for ealloc-replay-selftest: a bump allocator that is
 * correct ("bump") and copies of it that each break one promise, so the tests
 * can show that every check of the replay fires (a checker nobody has seen
 * fail is not known to work).
 */
#ifndef REPLAY_BUMP_BACKENDS_H
#define REPLAY_BUMP_BACKENDS_H

#include "backend.h"

extern const backend_t backend_bump;          /* correct: never frees, never lies */
extern const backend_t backend_bump_overlap;  /* every 10th allocation returns the previous block again */
extern const backend_t backend_bump_nozero;   /* calloc does not zero */
extern const backend_t backend_bump_misalign; /* alignments above 16 are ignored */
extern const backend_t backend_bump_shortcopy; /* realloc copies only half of the kept bytes */
extern const backend_t backend_bump_outside;  /* the 20th allocation lies past the end of the arena */
extern const backend_t backend_bump_badcheck; /* check() reports damage once 50 blocks were handed out */

#endif /* REPLAY_BUMP_BACKENDS_H */
