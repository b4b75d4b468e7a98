/*
 * The timed calls of one back-end's worst-case cases: each times exactly one
 * call on the file's static `heap` with bench_measure and hands its result
 * back. Included by bench/wcet/wcet_<backend>.c after `heap` is declared,
 * with API(name) defined as the back-end's public name (ea_llff_##name).
 */

static uint32_t t_alloc(size_t size, void **out)
{
    uintptr_t r;
    uint32_t n = bench_measure(BENCH_FN(API(alloc)), (uintptr_t)&heap, size, 0, &r);
    *out = (void *)r;
    return n;
}

static uint32_t t_alloc_aligned(size_t align, size_t size, void **out)
{
    uintptr_t r;
    uint32_t n = bench_measure(BENCH_FN(API(alloc_aligned)), (uintptr_t)&heap, align, size, &r);
    *out = (void *)r;
    return n;
}

static uint32_t t_free(void *p)
{
    return bench_measure(BENCH_FN(API(free)), (uintptr_t)&heap, (uintptr_t)p, 0, NULL);
}

static uint32_t t_realloc(void *p, size_t size, void **out)
{
    uintptr_t r;
    uint32_t n = bench_measure(BENCH_FN(API(realloc)), (uintptr_t)&heap, (uintptr_t)p, size, &r);
    *out = (void *)r;
    return n;
}
