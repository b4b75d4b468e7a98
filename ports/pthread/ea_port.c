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

/*
 * fork: the lock is taken before fork, so no heap is half-changed in the
 * child, and released after it in the parent. The child's only thread is not
 * the one that took the lock (glibc refuses to unlock a recursive mutex for
 * it), so the child starts a fresh lock instead.
 */
static void lock_before_fork(void)
{
    (void)pthread_mutex_lock(&ea_heap_lock);
}

static void unlock_in_parent(void)
{
    (void)pthread_mutex_unlock(&ea_heap_lock);
}

static void fresh_lock_in_child(void)
{
    pthread_mutexattr_t attr;
    (void)pthread_mutexattr_init(&attr);
    (void)pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
    (void)pthread_mutex_init(&ea_heap_lock, &attr);
    (void)pthread_mutexattr_destroy(&attr);
}

/*
 * Priority 101, among the first constructors: prepare handlers run in the
 * reverse order of registration, so the heap lock is taken after the locks of
 * every library that registers later (whose handlers may still allocate).
 */
__attribute__((constructor(101))) static void register_fork_handlers(void)
{
    (void)pthread_atfork(lock_before_fork, unlock_in_parent, fresh_lock_in_child);
}
