/*
 * Critical-section port "custom": you write the two functions, for an RTOS
 * (a scheduler lock or a mutex) or a core none of the other ports cover.
 * ea_cs_enter() must make the calling context the only one that can touch the
 * heap until the matching ea_cs_exit(state), and must nest: a section entered
 * inside another one returns and later restores the inner state.
 */
#ifndef EALLOC_PORT_H
#define EALLOC_PORT_H

#include <stdint.h>

typedef uintptr_t ea_cs_state_t;

ea_cs_state_t ea_cs_enter(void);
void ea_cs_exit(ea_cs_state_t state);

#endif /* EALLOC_PORT_H */
