/*
 * The length of an llff heap's free list, read from its internals (one
 * pointer chase per free block): the replay samples it after every operation
 * to report the longest list the trace made llff walk. Never timed.
 */
#include "llff_internal.h"

size_t bench_llff_free_list_length(ea_llff_t *h);

size_t bench_llff_free_list_length(ea_llff_t *h)
{
    size_t n = 0;
    for (const block_t *b = h->free_list; b != NULL; b = b->next) {
        n++;
    }
    return n;
}
