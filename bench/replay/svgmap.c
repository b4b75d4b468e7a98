/*
 * The heap map as SVG: time runs down, addresses run right, one row per
 * sample. Rows are drawn in column units under a scale transform, one path
 * per colour per row, so a 400-row map of a fragmented 1 MiB heap stays a few
 * hundred kilobytes; runs of free columns are not drawn at all (the plot's
 * background is the free colour).
 *
 * Layout, in pixels:
 *   title, subtitle
 *   [y labels][failure strip][ plot: PLOT_W wide             ][ fill panel ]
 *   x-axis title, legend
 */
#include "svgmap.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define PLOT_X 96.0     /* left edge of the plot */
#define PLOT_Y 92.0     /* top edge of the plot */
#define PLOT_W 800.0
#define PLOT_H_MAX 640.0
#define ROW_H_MAX 12.0
#define PANEL_GAP 44.0
#define PANEL_W 110.0
#define STRIP_W 12.0 /* the failure strip, just left of the plot */

typedef struct rgb {
    double r, g, b;
} rgb_t;

static const rgb_t COLOUR_USED = {0x2b, 0x6c, 0xb0};
static const rgb_t COLOUR_OVERHEAD = {0xe0, 0x8a, 0x1e};
static const rgb_t COLOUR_FREE = {0xe9, 0xee, 0xf4};
#define HEX_USED "#2b6cb0"
#define HEX_OVERHEAD "#e08a1e"
#define HEX_FREE "#e9eef4"
#define HEX_FAIL "#d62828"
#define HEX_LARGEST "#aab7c7" /* the largest free block, in the fill panel */

static rgb_t mix(rgb_t a, rgb_t b, double t)
{
    rgb_t c = {a.r + (b.r - a.r) * t, a.g + (b.g - a.g) * t, a.b + (b.b - a.b) * t};
    return c;
}

/* The colour of a column class: its non-free part mixes used and overhead, then mixes with free. */
static void code_colour(unsigned code, char out[8])
{
    double free_share = (double)(code / HEAPMAP_LEVELS) / (HEAPMAP_LEVELS - 1);
    double overhead_share = (double)(code % HEAPMAP_LEVELS) / (HEAPMAP_LEVELS - 1);
    rgb_t c = mix(mix(COLOUR_USED, COLOUR_OVERHEAD, overhead_share), COLOUR_FREE, free_share);
    (void)snprintf(out, 8, "#%02x%02x%02x", (unsigned)(c.r + 0.5), (unsigned)(c.g + 0.5), (unsigned)(c.b + 0.5));
}

static void xml_text(FILE *f, const char *s)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '<': (void)fputs("&lt;", f); break;
        case '>': (void)fputs("&gt;", f); break;
        case '&': (void)fputs("&amp;", f); break;
        case '"': (void)fputs("&quot;", f); break;
        default:
            /* XML 1.0 forbids most control characters, even escaped. */
            (void)fputc((unsigned char)*s < 0x20 ? '?' : *s, f);
            break;
        }
    }
}

/* Bytes as people read them about memory: 512 B, 16 KiB, 1.5 MiB. */
static void human_bytes(uint64_t v, char *buf, size_t len)
{
    if (v < 1024) {
        (void)snprintf(buf, len, "%" PRIu64 " B", v);
    } else if (v < 1024 * 1024) {
        (void)snprintf(buf, len, "%.3g KiB", (double)v / 1024.0);
    } else {
        (void)snprintf(buf, len, "%.3g MiB", (double)v / (1024.0 * 1024.0));
    }
}

/* A tick step of 1, 2 or 5 times a power of ten giving at most max_ticks intervals. */
static uint64_t decimal_step(uint64_t span, uint64_t max_ticks)
{
    uint64_t step = 1;
    for (;;) {
        static const uint64_t mult[] = {1, 2, 5};
        for (size_t i = 0; i < 3; i++) {
            if (span / (step * mult[i]) <= max_ticks) {
                return step * mult[i];
            }
        }
        step *= 10;
    }
}

/* A power-of-two tick step giving at most max_ticks intervals: addresses read best in binary units. */
static uint64_t binary_step(uint64_t span, uint64_t max_ticks)
{
    uint64_t step = 1;
    while (span / step > max_ticks) {
        step *= 2;
    }
    return step;
}

static void draw_header(FILE *f, const heapmap_t *m, const svgmap_info_t *info, double width)
{
    char arena[32], col[32];
    human_bytes(info->arena, arena, sizeof arena);
    human_bytes(m->arena / m->width, col, sizeof col);
    (void)fprintf(f, "<text class=\"title\" x=\"%.0f\" y=\"24\">Heap map: ", PLOT_X);
    xml_text(f, info->trace_name);
    (void)fprintf(f, " on ");
    xml_text(f, info->backend_name);
    (void)fprintf(f, " \xe2\x80\x94 %s arena, %zu operations, %zu failed allocation%s</text>\n", arena, m->n_ops,
                  info->failures, info->failures == 1 ? "" : "s");
    (void)fprintf(f, "<text class=\"sub\" x=\"%.0f\" y=\"42\">Each row is the heap after one operation: %zu rows, "
                     "one every ~%zu operations. Each pixel column is ~%s of the arena.</text>\n",
                  PLOT_X, m->rows, m->rows != 0 ? m->n_ops / m->rows : 0, col);
    (void)fprintf(f, "<text class=\"sub\" x=\"%.0f\" y=\"56\">The heap handle (%zu B) is %s.</text>\n", PLOT_X,
                  info->handle_bytes, info->handle_in_arena ? "at the start of the arena" : "outside the arena");
    (void)width;
}

static void draw_axes(FILE *f, const heapmap_t *m, double plot_h)
{
    /* x: arena offsets along the top. */
    uint64_t step = binary_step(m->arena, 8);
    (void)fprintf(f, "<g class=\"axis\">\n");
    for (uint64_t v = 0; v <= m->arena; v += step) {
        double x = PLOT_X + PLOT_W * (double)v / (double)m->arena;
        char label[32];
        human_bytes(v, label, sizeof label);
        if (v == 0) {
            (void)snprintf(label, sizeof label, "0");
        }
        (void)fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", x, PLOT_Y - 4, x, PLOT_Y);
        (void)fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x, PLOT_Y - 8, label);
    }
    (void)fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">address: offset in the arena "
                     "\xe2\x86\x92</text>\n",
                  PLOT_X + PLOT_W / 2, PLOT_Y + plot_h + 18);
    /* y: operation index down the left, past the failure strip. */
    uint64_t ystep = decimal_step(m->n_ops, 10);
    for (uint64_t v = 0; v <= m->n_ops && m->n_ops != 0; v += ystep) {
        double y = PLOT_Y + plot_h * (double)v / (double)m->n_ops;
        (void)fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", PLOT_X - STRIP_W - 6, y,
                      PLOT_X - STRIP_W - 2, y);
        (void)fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">%" PRIu64 "</text>\n",
                      PLOT_X - STRIP_W - 8, y + 4, v);
    }
    (void)fprintf(f, "<text transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\">operation "
                     "(time) \xe2\x86\x92</text>\n",
                  PLOT_Y + plot_h / 2);
    (void)fprintf(f, "</g>\n");
}

static void draw_rows(FILE *f, const heapmap_t *m, double row_h)
{
    (void)fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n", PLOT_X, PLOT_Y,
                  PLOT_W, row_h * (double)m->rows, HEX_FREE);
    (void)fprintf(f, "<g class=\"rows\" transform=\"translate(%.1f %.1f) scale(%.6f %.4f)\" "
                     "shape-rendering=\"crispEdges\">\n",
                  PLOT_X, PLOT_Y, PLOT_W / (double)m->width, row_h);
    unsigned n_codes = HEAPMAP_LEVELS * HEAPMAP_LEVELS;
    for (size_t row = 0; row < m->rows; row++) {
        const unsigned char *codes = m->codes + row * m->width;
        (void)fprintf(f, "<g class=\"row\" data-op=\"%zu\">", m->row_op[row] + 1);
        /* One path per colour present in the row, made of its runs. */
        for (unsigned code = 0; code < n_codes; code++) {
            if (code >= HEAPMAP_FREE_CODE) {
                continue; /* free: the background */
            }
            bool open = false;
            for (size_t c = 0; c < m->width;) {
                if (codes[c] != code) {
                    c++;
                    continue;
                }
                size_t run = c;
                while (run < m->width && codes[run] == code) {
                    run++;
                }
                if (!open) {
                    char hex[8];
                    code_colour(code, hex);
                    (void)fprintf(f, "<path fill=\"%s\" d=\"", hex);
                    open = true;
                }
                (void)fprintf(f, "M%zu %zuh%zuv1h-%zuz", c, row, run - c, run - c);
                c = run;
            }
            if (open) {
                (void)fprintf(f, "\"/>");
            }
        }
        (void)fprintf(f, "</g>\n");
    }
    (void)fprintf(f, "</g>\n");
}

static void draw_failures(FILE *f, const heapmap_t *m, double plot_h)
{
    (void)fprintf(f, "<g class=\"failures\" stroke=\"%s\" stroke-width=\"1.2\">\n", HEX_FAIL);
    for (size_t i = 0; i < m->n_failures; i++) {
        const heapmap_failure_t *fl = &m->failures[i];
        double y = PLOT_Y + plot_h * ((double)fl->op + 0.5) / (double)m->n_ops;
        (void)fprintf(f, "<line class=\"fail\" x1=\"%.1f\" y1=\"%.2f\" x2=\"%.1f\" y2=\"%.2f\"><title>line %u, "
                         "operation %zu: ",
                      PLOT_X - STRIP_W, y, PLOT_X - 1, y, (unsigned)fl->line, fl->op + 1);
        xml_text(f, fl->what);
        (void)fprintf(f, " failed at fill %.1f%%</title></line>\n", fl->fill * 100.0);
    }
    (void)fprintf(f, "</g>\n");
}

/*
 * An area chart of one per-row series: a step outline down the rows, closed
 * along the panel's left edge, or its right edge when from_right.
 */
static void area(FILE *f, const heapmap_t *m, const uint64_t *series, double x0, double row_h, const char *fill,
                 bool from_right)
{
    double edge = from_right ? x0 + PANEL_W : x0;
    double dir = from_right ? -1.0 : 1.0;
    (void)fprintf(f, "<path fill=\"%s\" d=\"M%.1f %.1f", fill, edge, PLOT_Y);
    for (size_t row = 0; row < m->rows; row++) {
        double x = edge + dir * PANEL_W * (double)series[row] / (double)m->arena;
        double y = PLOT_Y + row_h * (double)row;
        (void)fprintf(f, "L%.1f %.2fL%.1f %.2f", x, y, x, y + row_h);
    }
    (void)fprintf(f, "L%.1f %.2fz\"/>\n", edge, PLOT_Y + row_h * (double)m->rows);
}

static void draw_panel(FILE *f, const heapmap_t *m, double plot_h, double row_h)
{
    double x0 = PLOT_X + PLOT_W + PANEL_GAP;
    uint64_t peak = 0;
    for (size_t row = 0; row < m->rows; row++) {
        peak = m->row_used[row] > peak ? m->row_used[row] : peak;
    }
    (void)fprintf(f, "<g class=\"panel\">\n<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>\n",
                  x0, PLOT_Y, PANEL_W, plot_h, HEX_FREE);
    area(f, m, m->row_largest, x0, row_h, HEX_LARGEST, true);
    area(f, m, m->row_used, x0, row_h, HEX_OVERHEAD, false);
    area(f, m, m->row_live, x0, row_h, HEX_USED, false);
    (void)fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"none\" stroke=\"#888\"/>\n", x0,
                  PLOT_Y, PANEL_W, plot_h);
    (void)fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\">0</text><text class=\"axis\" x=\"%.1f\" y=\"%.1f\" "
                     "text-anchor=\"end\">100%%</text>\n",
                  x0, PLOT_Y - 8, x0 + PANEL_W, PLOT_Y - 8);
    (void)fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">used / arena</text>\n",
                  x0 + PANEL_W / 2, PLOT_Y - 22);
    (void)fprintf(f, "<text class=\"axis\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">peak %.1f%%</text>\n</g>\n",
                  x0 + PANEL_W / 2, PLOT_Y + plot_h + 18, 100.0 * (double)peak / (double)m->arena);
}

static void legend_item(FILE *f, double x, double y, const char *swatch, const char *label)
{
    (void)fprintf(f, "<g class=\"legend-item\" transform=\"translate(%.1f %.1f)\">%s<text x=\"18\" y=\"10\">%s</text></g>\n",
                  x, y, swatch, label);
}

static void draw_legend(FILE *f, double y)
{
    char sw[160];
    (void)fprintf(f, "<g class=\"legend\">\n");
    (void)snprintf(sw, sizeof sw, "<rect width=\"12\" height=\"12\" fill=\"%s\"/>", HEX_USED);
    legend_item(f, PLOT_X, y, sw, "used: bytes the program asked for");
    (void)snprintf(sw, sizeof sw, "<rect width=\"12\" height=\"12\" fill=\"%s\"/>", HEX_OVERHEAD);
    legend_item(f, PLOT_X + 230, y, sw, "overhead: headers, padding, rounding, region");
    (void)snprintf(sw, sizeof sw, "<rect width=\"12\" height=\"12\" fill=\"%s\" stroke=\"#888\"/>", HEX_FREE);
    legend_item(f, PLOT_X + 510, y, sw, "free");
    (void)snprintf(sw, sizeof sw, "<line x1=\"0\" y1=\"6\" x2=\"12\" y2=\"6\" stroke=\"%s\" stroke-width=\"2\"/>",
                   HEX_FAIL);
    legend_item(f, PLOT_X + 580, y, sw, "failed allocation (left strip)");
    (void)snprintf(sw, sizeof sw, "<rect width=\"12\" height=\"12\" fill=\"%s\"/>", HEX_LARGEST);
    legend_item(f, PLOT_X + PLOT_W + PANEL_GAP - 40, y, sw, "largest free block");
    (void)fprintf(f, "<text class=\"sub\" x=\"%.1f\" y=\"%.1f\">A pixel column that holds several kinds is drawn "
                     "in their mix: pale blue = used blocks with free gaps smaller than a pixel. Hover a red tick "
                     "for the request.</text>\n",
                  PLOT_X, y + 30);
    (void)fprintf(f, "<text class=\"sub\" x=\"%.1f\" y=\"%.1f\">Right panel, per row: requested bytes and the "
                     "allocator's used() from the left, the largest free block from the right; the pale gap between "
                     "is free memory in smaller pieces.</text>\n</g>\n",
                  PLOT_X, y + 46);
}

bool svgmap_write(const char *path, const heapmap_t *m, const svgmap_info_t *info)
{
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        (void)fprintf(stderr, "%s: cannot write: %s\n", path, strerror(errno));
        return false;
    }
    double row_h = m->rows != 0 ? PLOT_H_MAX / (double)m->rows : ROW_H_MAX;
    row_h = row_h > ROW_H_MAX ? ROW_H_MAX : row_h;
    double plot_h = row_h * (double)m->rows;
    double width = PLOT_X + PLOT_W + PANEL_GAP + PANEL_W + 20;
    double height = PLOT_Y + plot_h + 104;
    (void)fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    (void)fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f "
                     "%.0f\" data-rows=\"%zu\" data-columns=\"%zu\" data-ops=\"%zu\" data-failures=\"%zu\">\n",
                  width, height, width, height, m->rows, m->width, m->n_ops, info->failures);
    (void)fprintf(f, "<title>Heap map: ");
    xml_text(f, info->trace_name);
    (void)fprintf(f, " on ");
    xml_text(f, info->backend_name);
    (void)fprintf(f, "</title>\n<style>text{font-family:sans-serif;font-size:11px;fill:#222}"
                     ".title{font-size:15px;font-weight:bold}.sub{font-size:11px;fill:#555}"
                     ".axis line{stroke:#666}</style>\n");
    (void)fprintf(f, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
    draw_header(f, m, info, width);
    draw_axes(f, m, plot_h);
    draw_rows(f, m, row_h);
    draw_failures(f, m, plot_h);
    draw_panel(f, m, plot_h, row_h);
    draw_legend(f, PLOT_Y + plot_h + 36);
    (void)fprintf(f, "</svg>\n");
    bool ok = !ferror(f);
    ok = fclose(f) == 0 && ok;
    if (!ok) {
        (void)fprintf(stderr, "%s: write error\n", path);
    }
    return ok;
}
