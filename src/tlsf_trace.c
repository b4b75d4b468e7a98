/*
 * The public calls of the tlsf heap in an EA_TRACE build: each reports itself
 * to ea_trace_hook (<ealloc/trace.h>). Without EA_TRACE this file has nothing
 * to build: the calls in tlsf.c carry the public names themselves.
 */
#include "tlsf_internal.h"

#if EA_TRACE
#define HEAP_T ea_tlsf_t
#define API(name) ea_tlsf_##name
#include "trace_wrappers.h"
#endif
