/*
 * Sampling the heap for the map. The requested bytes per column are kept up
 * to date as blocks come and go, so a sample costs one walk plus one pass
 * over the columns, whatever the size of the blocks.
 */
#include "heapmap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool heapmap_init(heapmap_t *m, const unsigned char *base, uint64_t arena, size_t n_ops, size_t max_rows,
                  size_t width)
{
    memset(m, 0, sizeof *m);
    if (arena == 0 || arena > HEAPMAP_MAX_ARENA || width == 0) {
        return false;
    }
    m->arena = arena;
    uint64_t max_width = arena / HEAPMAP_MIN_COLUMN != 0 ? arena / HEAPMAP_MIN_COLUMN : 1;
    m->width = (uint64_t)width < max_width ? width : (size_t)max_width;
    m->n_ops = n_ops;
    m->rows = max_rows < n_ops ? max_rows : n_ops;
    m->base = base;
    m->col_live = calloc(m->width, sizeof *m->col_live);
    m->col_used = calloc(m->width, sizeof *m->col_used);
    m->col_free = calloc(m->width, sizeof *m->col_free);
    m->codes = calloc(m->rows * m->width + 1, 1);
    m->row_op = calloc(m->rows + 1, sizeof *m->row_op);
    m->row_used = calloc(m->rows + 1, sizeof *m->row_used);
    m->row_live = calloc(m->rows + 1, sizeof *m->row_live);
    m->row_largest = calloc(m->rows + 1, sizeof *m->row_largest);
    if (m->col_live == NULL || m->col_used == NULL || m->col_free == NULL || m->codes == NULL ||
        m->row_op == NULL || m->row_used == NULL || m->row_live == NULL || m->row_largest == NULL) {
        heapmap_free(m);
        return false;
    }
    return true;
}

void heapmap_free(heapmap_t *m)
{
    free(m->col_live);
    free(m->col_used);
    free(m->col_free);
    free(m->codes);
    free(m->row_op);
    free(m->row_used);
    free(m->row_live);
    free(m->row_largest);
    free(m->failures);
    memset(m, 0, sizeof *m);
}

/* Add len bytes starting at off to counts[], split at column boundaries. */
static void spread(const heapmap_t *m, uint64_t *counts, uint64_t off, uint64_t len, bool add)
{
    uint64_t end = off + len;
    if (off >= m->arena) {
        return;
    }
    if (end > m->arena || end < off) {
        end = m->arena;
    }
    while (off < end) {
        size_t c = heapmap_column(m, off);
        uint64_t stop = heapmap_column_start(m, c + 1);
        uint64_t part = (stop < end ? stop : end) - off;
        counts[c] = add ? counts[c] + part : counts[c] - part;
        off += part;
    }
}

void heapmap_live(heapmap_t *m, uint64_t off, uint64_t len, bool add)
{
    spread(m, m->col_live, off, len, add);
}

typedef struct walk_ctx {
    heapmap_t *m;
} walk_ctx_t;

static void on_block(void *ctx, void *addr, size_t size, bool used)
{
    heapmap_t *m = ((walk_ctx_t *)ctx)->m;
    uintptr_t a = (uintptr_t)addr;
    uintptr_t b = (uintptr_t)m->base;
    if (a < b) {
        return; /* not in the arena: nothing to draw (check() reports such damage) */
    }
    spread(m, used ? m->col_used : m->col_free, (uint64_t)(a - b), (uint64_t)size, true);
    if (!used && size > m->largest) {
        m->largest = size;
    }
}

/* share / total in quarters, rounded to nearest: 0..4. */
static unsigned quarters(uint64_t share, uint64_t total)
{
    return total == 0 ? 0 : (unsigned)((share * 8 + total) / (total * 2));
}

void heapmap_sample(heapmap_t *m, size_t op, const backend_t *be, void *heap, uint64_t used, uint64_t live)
{
    if (m->next_row >= m->rows) {
        return;
    }
    memset(m->col_used, 0, m->width * sizeof *m->col_used);
    memset(m->col_free, 0, m->width * sizeof *m->col_free);
    m->largest = 0;
    walk_ctx_t ctx = {m};
    be->walk(heap, on_block, &ctx);
    unsigned char *codes = m->codes + m->next_row * m->width;
    for (size_t c = 0; c < m->width; c++) {
        uint64_t total = heapmap_column_start(m, c + 1) - heapmap_column_start(m, c);
        uint64_t free_bytes = m->col_free[c] < total ? m->col_free[c] : total;
        uint64_t taken = total - free_bytes; /* used blocks and bytes outside any block */
        uint64_t requested = m->col_live[c] < taken ? m->col_live[c] : taken;
        unsigned fq = quarters(free_bytes, total);
        unsigned oq = quarters(taken - requested, taken);
        codes[c] = (unsigned char)(fq == HEAPMAP_LEVELS - 1 ? HEAPMAP_FREE_CODE : fq * HEAPMAP_LEVELS + oq);
    }
    m->row_op[m->next_row] = op;
    m->row_used[m->next_row] = used;
    m->row_live[m->next_row] = live;
    m->row_largest[m->next_row] = m->largest;
    m->next_row++;
}

bool heapmap_failure(heapmap_t *m, size_t op, uint32_t line, double fill, const char *what)
{
    if (m->n_failures == m->cap_failures) {
        size_t cap = m->cap_failures != 0 ? m->cap_failures * 2 : 64;
        heapmap_failure_t *grown = realloc(m->failures, cap * sizeof *grown);
        if (grown == NULL) {
            return false;
        }
        m->failures = grown;
        m->cap_failures = cap;
    }
    heapmap_failure_t *f = &m->failures[m->n_failures++];
    f->op = op;
    f->line = line;
    f->fill = fill;
    (void)snprintf(f->what, sizeof f->what, "%s", what);
    return true;
}
