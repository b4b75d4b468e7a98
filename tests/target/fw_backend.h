/*
 * The back-end a firmware test built once per back-end runs on: llff by
 * default, tlsf with -DFW_TLSF. Gives BACKEND (its name), heap_t,
 * HEAP_EMPTY and H(call) (ea_llff_call or ea_tlsf_call).
 */
#ifndef EALLOC_FW_BACKEND_H
#define EALLOC_FW_BACKEND_H

#ifdef FW_TLSF
#include <ealloc/tlsf.h>
#define BACKEND "tlsf"
#define HEAP_EMPTY EA_TLSF_EMPTY
#define H(call) ea_tlsf_##call
typedef ea_tlsf_t heap_t;
#else
#include <ealloc/llff.h>
#define BACKEND "llff"
#define HEAP_EMPTY EA_LLFF_EMPTY
#define H(call) ea_llff_##call
typedef ea_llff_t heap_t;
#endif

#endif
