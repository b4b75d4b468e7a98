/* Drawing a heap map (heapmap.h) as an SVG file. */
#ifndef REPLAY_SVGMAP_H
#define REPLAY_SVGMAP_H

#include <stdbool.h>

#include "heapmap.h"

typedef struct svgmap_info {
    const char *trace_name;
    const char *backend_name;
    uint64_t arena;
    size_t failures;    /* failed allocations in the whole replay */
    size_t handle_bytes;
    bool handle_in_arena;
} svgmap_info_t;

/* Write the picture to path; false (message on stderr) when the file cannot be written. */
bool svgmap_write(const char *path, const heapmap_t *m, const svgmap_info_t *info);

#endif /* REPLAY_SVGMAP_H */
