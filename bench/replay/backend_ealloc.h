/* The table entries of ealloc's own back-ends (backend_ealloc.c). */
#ifndef REPLAY_BACKEND_EALLOC_H
#define REPLAY_BACKEND_EALLOC_H

#include "backend.h"

extern const backend_t backend_llff;
/*
 * tlsf is compiled in when its header exists. REPLAY_NO_TLSF (set by
 * bench/CMakeLists.txt while the library has no tlsf source yet) keeps it out
 * in the moment between the header landing and the code behind it.
 */
#if __has_include(<ealloc/tlsf.h>) && !defined(REPLAY_NO_TLSF)
#define REPLAY_HAVE_TLSF 1
extern const backend_t backend_tlsf;
#endif

#endif /* REPLAY_BACKEND_EALLOC_H */
