/*
 * ea_fault_name: a fault's name for a message. A file of its own, so that
 * firmware that never prints a fault does not link the strings.
 */
#include "ealloc/ealloc.h"

const char *ea_fault_name(ea_fault_t why)
{
    switch (why) {
    case EA_FAULT_DOUBLE_INIT: return "double init";
    case EA_FAULT_BAD_REGION: return "bad region";
    case EA_FAULT_NOT_INIT: return "heap not initialised";
    case EA_FAULT_DOUBLE_FREE: return "double free";
    case EA_FAULT_FOREIGN_POINTER: return "foreign pointer";
    case EA_FAULT_CORRUPT: return "corrupt heap";
    }
    return "unknown fault";
}
