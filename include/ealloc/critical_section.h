/*
 * Critical sections: every public call on a heap runs between ea_cs_enter()
 * and ea_cs_exit(), so one heap may be shared by threads and interrupt
 * handlers. enter() returns the state it replaced and exit() restores it, so
 * sections nest without a counter.
 *
 * The port is chosen at build time by putting one of the ports/<name>/
 * folders on the include path (CMake: -DEALLOC_PORT=none|cortex-m|riscv|
 * pthread|custom). Each provides "ea_port.h" defining ea_cs_state_t and the
 * two functions, usually inline:
 *
 *   none      single context; no interrupt handler touches the heap. Free.
 *   cortex-m  save PRIMASK, disable interrupts, restore (M0 to M7).
 *   riscv     save mstatus.MIE, clear it, restore (machine mode).
 *   pthread   a process-wide recursive mutex (hosted systems).
 *   custom    extern ea_cs_enter/ea_cs_exit that you write yourself.
 */
#ifndef EALLOC_CRITICAL_SECTION_H
#define EALLOC_CRITICAL_SECTION_H

#include "ea_port.h"

#endif /* EALLOC_CRITICAL_SECTION_H */
