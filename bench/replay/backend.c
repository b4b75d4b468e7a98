/* The list of back-ends compiled into this build of ealloc-replay. */
#include "backend.h"

#include <string.h>

#include "backend_ealloc.h"
#include "backend_system.h"
#ifdef REPLAY_TEST_BACKENDS
#include "bump_backends.h"
#endif

const backend_t *const backends[] = {
    &backend_llff,
#ifdef REPLAY_HAVE_TLSF
    &backend_tlsf,
#endif
    &backend_system,
#ifdef REPLAY_TEST_BACKENDS
    /* Only in ealloc-replay-selftest: back-ends that break the rules on purpose (bench/tests). */
    &backend_bump, &backend_bump_overlap, &backend_bump_nozero, &backend_bump_misalign,
    &backend_bump_shortcopy, &backend_bump_outside, &backend_bump_badcheck,
#endif
};

const size_t backend_count = sizeof backends / sizeof backends[0];

const backend_t *backend_find(const char *name)
{
    for (size_t i = 0; i < backend_count; i++) {
        if (strcmp(backends[i]->name, name) == 0) {
            return backends[i];
        }
    }
    return NULL;
}
