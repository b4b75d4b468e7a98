/*
 * The public calls of the llff heap in an EA_TRACE build: each reports itself
 * to ea_trace_hook (<ealloc/trace.h>). Without EA_TRACE this file has nothing
 * to build: the calls in llff.c carry the public names themselves.
 */
#include "llff_internal.h"

#if EA_TRACE
#define HEAP_T ea_llff_t
#define API(name) ea_llff_##name
#include "trace_wrappers.h"
#endif
