/* The table entry of the C library's malloc (backend_system.c). */
#ifndef REPLAY_BACKEND_SYSTEM_H
#define REPLAY_BACKEND_SYSTEM_H

#include "backend.h"

extern const backend_t backend_system;

#endif /* REPLAY_BACKEND_SYSTEM_H */
