/* State of the counting test port: see ea_port.h beside this file. */
#include "ea_port.h"

unsigned ea_test_cs_depth;
unsigned long ea_test_cs_entries;
unsigned long ea_test_cs_misnested;
