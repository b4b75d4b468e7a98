/*
 * Compiled for a 32-bit target by tests/config: the TLSF control block (the
 * heap object less the bookkeeping both back-ends share) must fit its budget,
 * CONTROL_BUDGET bytes, in the configuration given on the command line.
 */
#include <ealloc/tlsf.h>

#define CONTROL_BYTES (sizeof(ea_tlsf_t) - sizeof(ea_heap_common_t))
_Static_assert(sizeof(void *) == 4, "the budget is for 32-bit targets");
_Static_assert(CONTROL_BYTES <= CONTROL_BUDGET, "TLSF control block over budget");

/* Readable in the object file: arm-none-eabi-nm -S shows its size. */
const unsigned char ealloc_tlsf_control_bytes[CONTROL_BYTES] = {0};
