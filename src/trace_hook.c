/*
 * The default trace hook of an EA_TRACE build: weak, and does nothing, so a
 * tracing build links and runs before the program defines its own.
 */
#include "ealloc/trace.h"

#if EA_TRACE
__attribute__((weak)) void ea_trace_hook(const ea_trace_event_t *event)
{
    (void)event;
}
#endif
