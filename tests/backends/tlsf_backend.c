/* The behaviour suite's table for the tlsf back-end. */
#include <ealloc/tlsf.h>

#include "backend_table.h"
#include "tlsf_internal.h"

BACKEND_TABLE(tlsf, EA_TLSF_EMPTY, EA_GRANULE, TLSF_MIN_BLOCK, EA_HEADER, true);
