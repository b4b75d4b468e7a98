/*
 * Internal: ea_<backend>_allocator, the allocator handle (<ealloc/ealloc.h>)
 * of one back-end, written once for both. Included at the end of
 * src/<backend>.c — or, in an EA_TRACE build, of src/trace_wrappers.h, so
 * that the handle's calls are the traced ones — with
 *   HEAP_T      the heap type (ea_llff_t, ea_tlsf_t)
 *   API(name)   the public name of a call (ea_llff_##name)
 * defined. The handle's align 0 means the default alignment.
 */

static void *handle_alloc(void *h, size_t align, size_t size)
{
    return API(alloc_aligned)(h, align != 0 ? align : EA_ALIGN, size);
}

static void *handle_realloc(void *h, void *p, size_t align, size_t size)
{
    return API(realloc_aligned)(h, p, align != 0 ? align : EA_ALIGN, size);
}

static void handle_free(void *h, void *p)
{
    API(free)(h, p);
}

ea_allocator_t API(allocator)(HEAP_T *h)
{
    static const ea_allocator_ops_t ops = {handle_alloc, handle_realloc, handle_free};
    ea_allocator_t a = {h, &ops};
    return a;
}
