/* The behaviour suite's table for the llff back-end. */
#include <ealloc/llff.h>

#include "backend_table.h"
#include "llff_internal.h"

BACKEND_TABLE(llff, EA_LLFF_EMPTY, EA_GRANULE, LLFF_MIN_BLOCK, EA_HEADER, false);
