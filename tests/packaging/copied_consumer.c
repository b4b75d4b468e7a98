/*
 * A program built from ealloc's files copied into it, as the README lists
 * them, with nothing but the compiler (tests/packaging/run.sh). USE_TLSF
 * picks the back-end whose files were copied. It has functions of its own
 * with the names of ealloc's internals, which link because every global of
 * the library starts with ea_.
 */
#include <stdio.h>

#if USE_TLSF
#include <ealloc/tlsf.h>
#define KIND tlsf
#else
#include <ealloc/llff.h>
#define KIND llff
#endif

#define CALL_(kind, name) ea_##kind##_##name
#define CALL(kind, name) CALL_(kind, name)
#define INIT(kind, h, n) EA_INIT(kind, h, n) /* expands KIND before EA_INIT pastes it */

#if USE_TLSF
static ea_tlsf_t heap = EA_TLSF_EMPTY;
#else
static ea_llff_t heap = EA_LLFF_EMPTY;
#endif

/* The program's own names, as any program might have them (the library's are ea_heap_used, ...). */
int heap_used(void);
int region_insert(void);

int heap_used(void)
{
    return 0;
}

int region_insert(void)
{
    return 0;
}

int main(void)
{
    INIT(KIND, &heap, 8192);
    char *p = CALL(KIND, alloc)(&heap, 100);
    ea_allocator_t a = CALL(KIND, allocator)(&heap);
    void *q = ea_alloc(a, 64, 64);
    int ok = p != NULL && q != NULL && CALL(KIND, check)(&heap) == 0 && CALL(KIND, used)(&heap) > 0;
    ea_free(a, q);
    CALL(KIND, free)(&heap, p);
    ok = ok && CALL(KIND, used)(&heap) == 0 && heap_used() == 0 && region_insert() == 0;
    puts(ok ? "copied files: ok" : "copied files: FAILED");
    return ok ? 0 : 1;
}
