/* A program outside the project that uses an installed (or embedded) ealloc. */
#include <stdio.h>

#include <ealloc/llff.h>

static ea_llff_t heap = EA_LLFF_EMPTY;

int main(void)
{
    EA_INIT(llff, &heap, 4096);
    char *p = ea_llff_alloc(&heap, 100);
    int ok = p != NULL && ea_llff_check(&heap) == 0 && ea_llff_used(&heap) > 0;
    ea_llff_free(&heap, p);
    ok = ok && ea_llff_used(&heap) == 0;
    puts(ok ? "consumer: ok" : "consumer: FAILED");
    return ok ? 0 : 1;
}
