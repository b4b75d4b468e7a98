/* Compiled by tests/config with EA_VALGRIND=1 where valgrind's headers cannot be found. */
#include "shadow.h"

int ealloc_shadow_probe(void);
int ealloc_shadow_probe(void)
{
    return EA_SHADOW;
}
