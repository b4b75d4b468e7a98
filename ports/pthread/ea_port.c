/* Critical-section port "pthread": see ea_port.h beside this file. */
#define _GNU_SOURCE /* PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP: a static recursive mutex needs no init call */
#include <pthread.h>

#include "ea_port.h"

static pthread_mutex_t ea_heap_lock = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;

ea_cs_state_t ea_cs_enter(void)
{
    (void)pthread_mutex_lock(&ea_heap_lock);
    return 0;
}

void ea_cs_exit(ea_cs_state_t state)
{
    (void)state;
    (void)pthread_mutex_unlock(&ea_heap_lock);
}
