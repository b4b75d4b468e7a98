/*
 * ealloc-replay: replay allocation traces (../shared/traces/FORMAT.md)
 * through ealloc's back-ends and the C library's malloc, check every block,
 * and report failures, fill, latency and heap health; optionally draw a map
 * of the heap over time. Usage: ealloc-replay --help.
 *
 * Exit status: 0 all replays clean; 1 a replay found corruption, a failed
 * check() or a panic; 2 bad usage or bad input (nothing is replayed then).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend.h"
#include "replay.h"
#include "report.h"
#include "svgmap.h"
#include "trace.h"

#define EXIT_BAD_REPLAY 1
#define EXIT_USAGE 2

typedef struct options {
    const backend_t *backends[16];
    size_t n_backends;
    bool json;
    const char *map;
    replay_options_t replay;
    char **traces;
    size_t n_traces;
} options_t;

static void usage(FILE *out)
{
    (void)fprintf(out,
                  "usage: ealloc-replay [options] TRACE...\n"
                  "Replay allocation traces through heap allocators, verifying every block.\n\n"
                  "  --backend LIST      comma-separated back-ends (default: all):");
    for (size_t i = 0; i < backend_count; i++) {
        (void)fprintf(out, " %s", backends[i]->name);
    }
    (void)fprintf(out, "\n"
                       "  --json              one JSON object per trace and back-end, one per line\n"
                       "  --check-every N     call the back-end's check() every N operations (0: only at the end)\n"
                       "  --map FILE.svg      draw the heap over time; FILE may contain {trace} and {backend},\n"
                       "                      and must when several traces or arena back-ends are replayed\n"
                       "  --map-rows N        at most N rows (time steps) in the map (default 400)\n"
                       "  --map-width N       columns across the arena in the map (default 800)\n"
                       "  --handle-in-arena   carve the heap handle out of the arena instead of keeping it outside\n"
                       "  --max-messages N    corruption messages printed per trace and back-end (default 10)\n"
                       "  --list-backends     print the back-ends built in and exit\n"
                       "  -h, --help          this text\n\n"
                       "Exit status: 0 clean; 1 corruption, a failed check() or a panic; 2 bad usage or input.\n");
}

static int bad_usage(const char *fmt, const char *arg)
{
    (void)fprintf(stderr, "ealloc-replay: ");
    (void)fprintf(stderr, fmt, arg);
    (void)fprintf(stderr, " (see --help)\n");
    return EXIT_USAGE;
}

static bool parse_count(const char *s, size_t *out)
{
    if (*s == '\0') {
        return false;
    }
    size_t v = 0;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9' || v > (SIZE_MAX - 9) / 10) {
            return false;
        }
        v = v * 10 + (size_t)(*s - '0');
    }
    *out = v;
    return true;
}

static int parse_backends(options_t *o, const char *list)
{
    char buf[256];
    if (strlen(list) >= sizeof buf) {
        return bad_usage("back-end list too long: '%s'", list);
    }
    strcpy(buf, list);
    o->n_backends = 0;
    for (char *name = strtok(buf, ","); name != NULL; name = strtok(NULL, ",")) {
        const backend_t *be = backend_find(name);
        if (be == NULL) {
            if (strcmp(name, "tlsf") == 0) {
                return bad_usage("back-end '%s' is not built into this ealloc-replay (no <ealloc/tlsf.h>)", name);
            }
            return bad_usage("unknown back-end '%s'", name);
        }
        bool seen = false;
        for (size_t i = 0; i < o->n_backends; i++) {
            seen = seen || o->backends[i] == be;
        }
        if (!seen && o->n_backends < sizeof o->backends / sizeof o->backends[0]) {
            o->backends[o->n_backends++] = be;
        }
    }
    if (o->n_backends == 0) {
        return bad_usage("empty back-end list '%s'", list);
    }
    return 0;
}

/* The value of an option given as "--name=value" or "--name value"; NULL when missing. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
    size_t n = strlen(name);
    if (strncmp(argv[*i], name, n) == 0 && argv[*i][n] == '=') {
        return argv[*i] + n + 1;
    }
    if (strcmp(argv[*i], name) == 0) {
        if (*i + 1 >= argc) {
            return NULL;
        }
        return argv[++*i];
    }
    return NULL;
}

static bool is_option(const char *arg, const char *name)
{
    size_t n = strlen(name);
    return strncmp(arg, name, n) == 0 && (arg[n] == '\0' || arg[n] == '=');
}

/* Returns 0, or an exit status (-1: exit 0 after --help). */
static int parse_args(int argc, char **argv, options_t *o)
{
    static const char *const with_value[] = {"--backend", "--check-every", "--map", "--map-rows", "--map-width",
                                             "--max-messages"};
    memset(o, 0, sizeof *o);
    o->replay.max_messages = 10;
    o->replay.map_rows = 400;
    o->replay.map_width = 800;
    o->traces = calloc((size_t)argc + 1, sizeof *o->traces);
    if (o->traces == NULL) {
        return bad_usage("%s", "out of memory");
    }
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (options_done || arg[0] != '-' || strcmp(arg, "-") == 0) {
            o->traces[o->n_traces++] = argv[i];
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            options_done = true;
        } else if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            usage(stdout);
            return -1;
        } else if (strcmp(arg, "--list-backends") == 0) {
            for (size_t b = 0; b < backend_count; b++) {
                (void)printf("%-8s %s\n", backends[b]->name, backends[b]->description);
            }
            return -1;
        } else if (strcmp(arg, "--json") == 0) {
            o->json = true;
        } else if (strcmp(arg, "--handle-in-arena") == 0) {
            o->replay.handle_in_arena = true;
        } else {
            size_t k = 0;
            while (k < sizeof with_value / sizeof with_value[0] && !is_option(arg, with_value[k])) {
                k++;
            }
            if (k == sizeof with_value / sizeof with_value[0]) {
                return bad_usage("unknown option '%s'", arg);
            }
            const char *v = option_value(argc, argv, &i, with_value[k]);
            if (v == NULL) {
                return bad_usage("option '%s' needs a value", arg);
            }
            size_t n = 0;
            int rc = 0;
            switch (k) {
            case 0: rc = parse_backends(o, v); break;
            case 2: o->map = v; break;
            default:
                if (!parse_count(v, &n)) {
                    return bad_usage("option needs a non-negative number, not '%s'", v);
                }
                if (k == 1) {
                    o->replay.check_every = n;
                } else if (k == 3 || k == 4) {
                    if (n == 0 || n > 100000) {
                        return bad_usage("map rows and width must be between 1 and 100000, not '%s'", v);
                    }
                    *(k == 3 ? &o->replay.map_rows : &o->replay.map_width) = n;
                } else {
                    o->replay.max_messages = n > 1000000 ? 1000000u : (unsigned)n;
                }
                break;
            }
            if (rc != 0) {
                return rc;
            }
        }
    }
    if (o->n_backends == 0) {
        for (size_t b = 0; b < backend_count && b < sizeof o->backends / sizeof o->backends[0]; b++) {
            o->backends[o->n_backends++] = backends[b];
        }
    }
    if (o->n_traces == 0) {
        return bad_usage("%s", "no trace files given");
    }
    return 0;
}

/* Checks that --map can name one file per (trace, arena back-end) pair. */
static int check_map_name(options_t *o)
{
    if (o->map == NULL) {
        return 0;
    }
    size_t arena_backends = 0;
    for (size_t b = 0; b < o->n_backends; b++) {
        arena_backends += o->backends[b]->has_arena;
    }
    if (arena_backends == 0) {
        return bad_usage("--map needs a back-end with an arena; '%s' has none", o->backends[0]->name);
    }
    if (o->n_traces > 1 && strstr(o->map, "{trace}") == NULL) {
        return bad_usage("--map '%s': several traces need {trace} in the file name", o->map);
    }
    if (arena_backends > 1 && strstr(o->map, "{backend}") == NULL) {
        return bad_usage("--map '%s': several back-ends need {backend} in the file name", o->map);
    }
    o->replay.map = true;
    return 0;
}

/* The map's file name for a pair: the --map value with {trace} and {backend} replaced. */
static char *map_path(const char *tmpl, const char *trace, const char *backend)
{
    size_t len = strlen(tmpl) + 1;
    for (const char *p = tmpl; (p = strchr(p, '{')) != NULL; p++) {
        len += strlen(trace) + strlen(backend);
    }
    char *out = malloc(len);
    if (out == NULL) {
        return NULL;
    }
    char *w = out;
    for (const char *p = tmpl; *p != '\0';) {
        if (strncmp(p, "{trace}", 7) == 0) {
            w += sprintf(w, "%s", trace);
            p += 7;
        } else if (strncmp(p, "{backend}", 9) == 0) {
            w += sprintf(w, "%s", backend);
            p += 9;
        } else {
            *w++ = *p++;
        }
    }
    *w = '\0';
    return out;
}

static bool write_map(const options_t *o, const replay_result_t *r)
{
    char *path = map_path(o->map, r->trace->name, r->backend->name);
    if (path == NULL) {
        return false;
    }
    svgmap_info_t info = {r->trace->name, r->backend->name, r->arena, r->failures_total, r->handle_bytes,
                          r->handle_in_arena};
    bool ok = svgmap_write(path, &r->map, &info);
    free(path);
    return ok;
}

int main(int argc, char **argv)
{
    options_t o;
    int rc = parse_args(argc, argv, &o);
    if (rc == 0) {
        rc = check_map_name(&o);
    }
    if (rc != 0) {
        free(o.traces);
        return rc < 0 ? EXIT_SUCCESS : rc;
    }
    /* Every trace is read and validated before anything runs: bad input replays nothing. */
    trace_t *traces = calloc(o.n_traces, sizeof *traces);
    replay_result_t *results = calloc(o.n_traces * o.n_backends, sizeof *results);
    size_t loaded = 0;
    rc = traces == NULL || results == NULL ? EXIT_USAGE : EXIT_SUCCESS;
    for (; rc == EXIT_SUCCESS && loaded < o.n_traces; loaded++) {
        if (!trace_load(o.traces[loaded], &traces[loaded])) {
            rc = EXIT_USAGE;
            break;
        }
    }
    size_t n_results = 0;
    report_context_t ctx = {latency_timer_overhead(), o.replay.check_every};
    bool inputs_ok = rc == EXIT_SUCCESS;
    for (size_t t = 0; inputs_ok && t < o.n_traces; t++) {
        for (size_t b = 0; b < o.n_backends; b++) {
            replay_result_t *r = &results[n_results];
            if (!replay_run(&traces[t], o.backends[b], &o.replay, r)) {
                rc = EXIT_BAD_REPLAY;
                replay_result_free(r);
                continue;
            }
            n_results++;
            if (r->has_map && !write_map(&o, r)) {
                rc = EXIT_BAD_REPLAY;
            }
            replay_result_free(r);
        }
    }
    if (n_results != 0) {
        if (o.json) {
            report_json(stdout, results, n_results, &ctx);
        } else {
            report_table(stdout, results, n_results, &ctx);
        }
    }
    for (size_t i = 0; i < n_results; i++) {
        if (replay_result_bad(&results[i]) && rc == EXIT_SUCCESS) {
            rc = EXIT_BAD_REPLAY;
        }
    }
    for (size_t t = 0; t < loaded; t++) {
        trace_free(&traces[t]);
    }
    free(traces);
    free(results);
    free(o.traces);
    if (fflush(stdout) != 0 && rc == EXIT_SUCCESS) {
        (void)fprintf(stderr, "ealloc-replay: cannot write the report: %s\n", strerror(errno));
        rc = EXIT_USAGE;
    }
    return rc;
}
