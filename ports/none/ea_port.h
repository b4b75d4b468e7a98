/*
 * Critical-section port "none": for a heap used from one context only (no
 * other thread, no interrupt handler). Compiles to nothing.
 */
#ifndef EALLOC_PORT_H
#define EALLOC_PORT_H

typedef unsigned char ea_cs_state_t;

static inline ea_cs_state_t ea_cs_enter(void)
{
    return 0;
}

static inline void ea_cs_exit(ea_cs_state_t state)
{
    (void)state;
}

#endif /* EALLOC_PORT_H */
