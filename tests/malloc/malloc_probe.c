/* Compiled by the malloc_config_* tests: <ealloc/malloc.h> with the knobs given on the command line. */
#include <ealloc/malloc.h>

int main(void)
{
    return sizeof(ea_malloc_heap_t) > 0 ? 0 : 1;
}
