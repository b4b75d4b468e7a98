/* Compiled with one bad knob at a time by tests/config: each must stop the build. */
#include <ealloc/ealloc.h>

int ealloc_config_probe(void);
int ealloc_config_probe(void)
{
    return (int)EA_ALIGN;
}
