/*
 * Critical-section port "pthread": one process-wide recursive mutex, so a
 * heap may be shared by the threads of a hosted program and a section may be
 * entered again from inside one (the malloc shim calls back into the heap).
 * Defined in ports/pthread/ea_port.c; link with -pthread.
 */
#ifndef EALLOC_PORT_H
#define EALLOC_PORT_H

typedef unsigned char ea_cs_state_t;

ea_cs_state_t ea_cs_enter(void);
void ea_cs_exit(ea_cs_state_t state);

#endif /* EALLOC_PORT_H */
