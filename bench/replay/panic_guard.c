/* The tool's ea_panic: it replaces the library's weak default at link time. */
#include "panic_guard.h"

#include <stdio.h>
#include <stdlib.h>

#include <ealloc/ealloc.h>

static jmp_buf *guard_target;
static char guard_message[160];

void panic_guard_arm(jmp_buf *target)
{
    guard_target = target;
}

const char *panic_guard_message(void)
{
    return guard_message;
}

void ea_panic(ea_fault_t why, const char *detail)
{
    (void)snprintf(guard_message, sizeof guard_message, "%s: %s", ea_fault_name(why), detail != NULL ? detail : "");
    jmp_buf *target = guard_target;
    if (target == NULL) {
        (void)fprintf(stderr, "ealloc panic outside a replay: %s\n", guard_message);
        abort();
    }
    guard_target = NULL;
    longjmp(*target, 1);
}
