/*
 * Test port: counts critical sections instead of masking anything, so tests
 * can assert that every public call enters its section, leaves it in nesting
 * order, and that ea_panic runs outside it.
 */
#ifndef EALLOC_PORT_H
#define EALLOC_PORT_H

typedef unsigned ea_cs_state_t;

extern unsigned ea_test_cs_depth;        /* sections open right now */
extern unsigned long ea_test_cs_entries; /* sections entered since start */
extern unsigned long ea_test_cs_misnested; /* exits that did not match the innermost enter */

static inline ea_cs_state_t ea_cs_enter(void)
{
    ea_test_cs_entries++;
    return ea_test_cs_depth++;
}

static inline void ea_cs_exit(ea_cs_state_t state)
{
    if (ea_test_cs_depth != state + 1) {
        ea_test_cs_misnested++;
    }
    ea_test_cs_depth = state;
}

#endif /* EALLOC_PORT_H */
