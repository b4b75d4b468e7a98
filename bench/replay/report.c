/*
 * Printing results. Everything is measured before anything is printed, so
 * output never sits between two timed calls, and the table's columns can be
 * sized to the longest trace name.
 */
#include "report.h"

#include <inttypes.h>
#include <string.h>

enum { CELL = 32 };

static void fmt_percent(char *buf, bool has, double v)
{
    if (has) {
        (void)snprintf(buf, CELL, "%.1f%%", v * 100.0);
    } else {
        (void)snprintf(buf, CELL, "%s", "-");
    }
}

/* Widths of the trace and back-end columns: the longest name in each, at least the heading. */
static void name_widths(const replay_result_t *results, size_t n, int *tw, int *bw)
{
    size_t t = strlen("trace");
    size_t b = strlen("back-end");
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(results[i].trace->name);
        t = len > t ? len : t;
        len = strlen(results[i].backend->name);
        b = len > b ? len : b;
    }
    *tw = (int)t;
    *bw = (int)b;
}

static void summary_row(FILE *out, const replay_result_t *r, int tw, int bw)
{
    char arena[CELL], first[CELL], min[CELL], mean[CELL], used[CELL], check[CELL];
    bool arena_limited = r->backend->has_arena;
    if (arena_limited) {
        (void)snprintf(arena, CELL, "%" PRIu64, r->arena);
        fmt_percent(first, r->has_fill, r->fill_first);
        fmt_percent(min, r->has_fill, r->fill_min);
        fmt_percent(mean, r->has_fill, r->fill_mean);
    } else {
        (void)snprintf(arena, CELL, "no limit");
        (void)snprintf(first, CELL, "n/a");
        (void)snprintf(min, CELL, "n/a");
        (void)snprintf(mean, CELL, "n/a");
    }
    if (r->has_used) {
        (void)snprintf(used, CELL, "%" PRIu64, r->peak_used);
    } else {
        (void)snprintf(used, CELL, "n/a");
    }
    if (r->aborted) {
        (void)snprintf(check, CELL, "stopped");
    } else if (!r->has_check) {
        (void)snprintf(check, CELL, "n/a");
    } else if (r->check == 0) {
        (void)snprintf(check, CELL, "ok");
    } else {
        (void)snprintf(check, CELL, "%d", r->check);
    }
    size_t skipped = r->skipped[OP_REALLOC] + r->skipped[OP_FREE];
    (void)fprintf(out, "%-*s  %-*s %9s %7zu %6zu %7zu %7zu %5zu %5zu %8s %8s %9s %10" PRIu64 " %10s %7s %7zu\n", tw,
                  r->trace->name, bw, r->backend->name, arena, r->ops[OP_ALLOC], r->ops[OP_CALLOC], r->ops[OP_REALLOC],
                  r->ops[OP_FREE], skipped, r->failures_total, first, min, mean, r->peak_live, used, check,
                  r->corruptions);
}

static void latency_rows(FILE *out, const replay_result_t *r, int tw, int bw)
{
    for (int k = 0; k < OP_KINDS; k++) {
        const latency_summary_t *l = &r->latency[k];
        if (l->count == 0) {
            continue;
        }
        (void)fprintf(out, "%-*s  %-*s %-8s %8zu %7" PRIu64 " %7" PRIu64 " %7" PRIu64 " %9" PRIu64 "\n", tw,
                      r->trace->name, bw, r->backend->name, trace_kind_name((trace_kind_t)k), l->count, l->min,
                      l->median, l->p99, l->max);
    }
}

void report_table(FILE *out, const replay_result_t *results, size_t n, const report_context_t *ctx)
{
    int tw, bw;
    name_widths(results, n, &tw, &bw);
    (void)fprintf(out, "%-*s  %-*s %9s %7s %6s %7s %7s %5s %5s %8s %8s %9s %10s %10s %7s %7s\n", tw, "trace", bw, "back-end",
                  "arena", "alloc", "calloc", "realloc", "free", "skip", "fail", "fill@1st", "fill min", "fill mean",
                  "peak live", "peak used", "check", "corrupt");
    for (size_t i = 0; i < n; i++) {
        summary_row(out, &results[i], tw, bw);
    }
    (void)fprintf(out, "\nlatency per call in ns (CLOCK_MONOTONIC around the call; includes ~%" PRIu64
                       " ns of timer overhead)\n",
                  ctx->timer_overhead_ns);
    (void)fprintf(out, "%-*s  %-*s %-8s %8s %7s %7s %7s %9s\n", tw, "trace", bw, "back-end", "op", "calls", "min", "median",
                  "p99", "max");
    for (size_t i = 0; i < n; i++) {
        latency_rows(out, &results[i], tw, bw);
    }

    bool notes = false;
    for (size_t i = 0; i < n; i++) {
        const replay_result_t *r = &results[i];
        if (r->aborted) {
            if (!notes) {
                (void)fputc('\n', out);
                notes = true;
            }
            const trace_op_t *op = r->abort_op < r->trace->n_ops ? &r->trace->ops[r->abort_op] : NULL;
            (void)fprintf(out, "! %s / %s stopped at line %u: %s\n", r->trace->name, r->backend->name,
                          op != NULL ? (unsigned)op->line : 0u, r->abort_reason);
        }
    }
    (void)fprintf(out, "\nfill = live requested bytes / arena at a failure; skip = f or r of an id left unbound by a "
                       "failure;\npeak used = the allocator's used() (headers and rounding included); "
                       "check = check() at the end.\n");
    /* The handles of the arena back-ends, each once, then the note on arena-less ones. */
    const backend_t *system = NULL;
    bool said_handles = false;
    for (size_t i = 0; i < n; i++) {
        const replay_result_t *r = &results[i];
        bool first = true;
        for (size_t j = 0; j < i && first; j++) {
            first = results[j].backend != r->backend;
        }
        if (first && !r->backend->has_arena) {
            system = r->backend;
        } else if (first) {
            if (!said_handles) {
                (void)fprintf(out, "arena back-ends get exactly the trace's arena bytes; their heap handle %s:",
                              r->handle_in_arena ? "is carved out of those bytes" : "lives outside them");
                said_handles = true;
            }
            (void)fprintf(out, " %s %zu B", r->backend->name, r->handle_bytes);
        }
    }
    if (said_handles) {
        (void)fputc('\n', out);
    }
    if (system != NULL) {
        (void)fprintf(out, "%s: the C library's malloc with NO arena limit: fill, peak used and check are n/a; "
                           "a single request larger\n  than the trace's arena fails without calling it "
                           "(it could fit no arena, and would make the replay touch gigabytes).\n",
                      system->name);
    }
}

static void json_string(FILE *out, const char *s)
{
    (void)fputc('"', out);
    for (; *s != '\0'; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            (void)fprintf(out, "\\%c", c);
        } else if (c < 0x20) {
            (void)fprintf(out, "\\u%04x", c);
        } else {
            (void)fputc(c, out);
        }
    }
    (void)fputc('"', out);
}

static void json_fill(FILE *out, const replay_result_t *r)
{
    if (!r->has_fill) {
        (void)fprintf(out, "null");
        return;
    }
    (void)fprintf(out, "{\"first\":%.6f,\"min\":%.6f,\"mean\":%.6f}", r->fill_first, r->fill_min, r->fill_mean);
}

static void json_one(FILE *out, const replay_result_t *r, const report_context_t *ctx)
{
    (void)fprintf(out, "{\"trace\":");
    json_string(out, r->trace->name);
    (void)fprintf(out, ",\"path\":");
    json_string(out, r->trace->path);
    (void)fprintf(out, ",\"backend\":");
    json_string(out, r->backend->name);
    (void)fprintf(out, ",\"arena\":%" PRIu64 ",\"arena_limited\":%s,\"handle_bytes\":%zu,\"handle_in_arena\":%s",
                  r->arena, r->backend->has_arena ? "true" : "false", r->handle_bytes,
                  r->handle_in_arena ? "true" : "false");
    (void)fprintf(out, ",\"ops\":{");
    size_t total = 0;
    for (int k = 0; k < OP_KINDS; k++) {
        (void)fprintf(out, "\"%s\":%zu,", trace_kind_name((trace_kind_t)k), r->ops[k]);
        total += r->ops[k];
    }
    (void)fprintf(out, "\"total\":%zu}", total);
    (void)fprintf(out, ",\"skipped\":{\"realloc\":%zu,\"free\":%zu}", r->skipped[OP_REALLOC], r->skipped[OP_FREE]);
    (void)fprintf(out, ",\"failures\":%zu,\"failures_by_op\":{\"alloc\":%zu,\"calloc\":%zu,\"realloc\":%zu}",
                  r->failures_total, r->failures[OP_ALLOC], r->failures[OP_CALLOC], r->failures[OP_REALLOC]);
    (void)fprintf(out, ",\"refused\":%zu,\"fill\":", r->refused);
    json_fill(out, r);
    (void)fprintf(out, ",\"peak_live\":%" PRIu64 ",\"end_live\":%" PRIu64 ",\"peak_used\":", r->peak_live, r->end_live);
    if (r->has_used) {
        (void)fprintf(out, "%" PRIu64, r->peak_used);
    } else {
        (void)fprintf(out, "null");
    }
    (void)fprintf(out, ",\"timer_overhead_ns\":%" PRIu64 ",\"latency_ns\":{", ctx->timer_overhead_ns);
    for (int k = 0; k < OP_KINDS; k++) {
        const latency_summary_t *l = &r->latency[k];
        (void)fprintf(out, "%s\"%s\":{\"calls\":%zu,\"min\":%" PRIu64 ",\"median\":%" PRIu64 ",\"p99\":%" PRIu64
                           ",\"max\":%" PRIu64 "}",
                      k != 0 ? "," : "", trace_kind_name((trace_kind_t)k), l->count, l->min, l->median, l->p99, l->max);
    }
    (void)fprintf(out, "},\"check\":");
    if (r->has_check && !r->aborted) {
        (void)fprintf(out, "%d", r->check);
    } else {
        (void)fprintf(out, "null");
    }
    (void)fprintf(out, ",\"check_every\":%zu,\"checks_run\":%zu,\"corruptions\":%zu,\"aborted\":%s", ctx->check_every,
                  r->checks_run, r->corruptions, r->aborted ? "true" : "false");
    if (r->aborted) {
        const trace_op_t *op = r->abort_op < r->trace->n_ops ? &r->trace->ops[r->abort_op] : NULL;
        (void)fprintf(out, ",\"abort_line\":%u,\"abort_reason\":", op != NULL ? (unsigned)op->line : 0u);
        json_string(out, r->abort_reason);
    }
    (void)fprintf(out, ",\"ok\":%s}\n", replay_result_bad(r) ? "false" : "true");
}

void report_json(FILE *out, const replay_result_t *results, size_t n, const report_context_t *ctx)
{
    for (size_t i = 0; i < n; i++) {
        json_one(out, &results[i], ctx);
    }
}
