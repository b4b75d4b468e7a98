/*
 * Trace reader. Strict about what FORMAT.md fixes (single spaces between
 * fields, decimal digits only, the field count of each operation) so that a
 * damaged trace is refused instead of being replayed as something else. Two
 * leniencies that cannot change a trace's meaning: "\r\n" line ends and blank
 * lines.
 */
#include "trace.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 5 /* one more than the longest operation, to detect extra fields */

typedef struct reader {
    const char *path;
    uint32_t line;
} reader_t;

static void complain(const reader_t *rd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)fprintf(stderr, "%s:%u: ", rd->path, (unsigned)rd->line);
    (void)vfprintf(stderr, fmt, ap);
    (void)fputc('\n', stderr);
    va_end(ap);
}

const char *trace_kind_letter(trace_kind_t k)
{
    static const char *const letters[OP_KINDS] = {"a", "c", "r", "f"};
    return (unsigned)k < OP_KINDS ? letters[k] : "?";
}

const char *trace_kind_name(trace_kind_t k)
{
    static const char *const names[OP_KINDS] = {"alloc", "calloc", "realloc", "free"};
    return (unsigned)k < OP_KINDS ? names[k] : "?";
}

/* The whole file in memory, NUL-terminated; NULL (errno set) on failure. */
static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return NULL;
    }
    size_t cap = 1 << 16;
    size_t n = 0;
    char *buf = malloc(cap);
    while (buf != NULL) {
        n += fread(buf + n, 1, cap - n - 1, f);
        if (n < cap - 1) {
            break;
        }
        char *bigger = realloc(buf, cap * 2);
        if (bigger == NULL) {
            free(buf);
            buf = NULL;
            errno = ENOMEM;
            break;
        }
        buf = bigger;
        cap *= 2;
    }
    if (buf != NULL && ferror(f)) {
        int saved = errno;
        free(buf);
        buf = NULL;
        errno = saved != 0 ? saved : EIO;
    }
    (void)fclose(f);
    if (buf != NULL) {
        buf[n] = '\0';
        *len = n;
    }
    return buf;
}

/* A decimal field: digits only, no sign, any length (more than 64 bits is "huge"). */
static bool parse_num(const char *s, trace_num_t *out)
{
    if (*s == '\0') {
        return false;
    }
    out->value = 0;
    out->huge = false;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9') {
            return false;
        }
        uint64_t digit = (uint64_t)(*s - '0');
        if (!out->huge && out->value > (UINT64_MAX - digit) / 10) {
            out->huge = true;
        }
        if (!out->huge) {
            out->value = out->value * 10 + digit;
        }
    }
    return true;
}

/*
 * Split line (modified in place) at single spaces. Returns the field count, or
 * -1 when fields are not separated by exactly one space.
 */
static int split(char *line, char *fields[MAX_FIELDS])
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (*p == ' ' || *p == '\0') {
            return -1; /* empty field: leading, trailing or doubled space */
        }
        if (n == MAX_FIELDS) {
            return n + 1;
        }
        fields[n++] = p;
        p = strchr(p, ' ');
        if (p == NULL) {
            return n;
        }
        *p++ = '\0';
    }
}

typedef struct builder {
    trace_t *t;
    size_t cap;
    uint32_t *bound_at; /* per id: the line that bound it, 0 while unbound */
    size_t ids_cap;
} builder_t;

static bool push_op(builder_t *b, const trace_op_t *op)
{
    if (b->t->n_ops == b->cap) {
        size_t cap = b->cap != 0 ? b->cap * 2 : 1024;
        trace_op_t *ops = realloc(b->t->ops, cap * sizeof *ops);
        if (ops == NULL) {
            return false;
        }
        b->t->ops = ops;
        b->cap = cap;
    }
    b->t->ops[b->t->n_ops++] = *op;
    return true;
}

/* Make bound_at cover id; false when out of memory. */
static bool reserve_id(builder_t *b, uint32_t id)
{
    if (id < b->ids_cap) {
        return true;
    }
    size_t cap = b->ids_cap != 0 ? b->ids_cap : 1024;
    while (cap <= id) {
        cap *= 2;
    }
    uint32_t *grown = realloc(b->bound_at, cap * sizeof *grown);
    if (grown == NULL) {
        return false;
    }
    memset(grown + b->ids_cap, 0, (cap - b->ids_cap) * sizeof *grown);
    b->bound_at = grown;
    b->ids_cap = cap;
    return true;
}

static bool parse_id(const reader_t *rd, const char *field, uint32_t *id)
{
    trace_num_t n;
    if (!parse_num(field, &n)) {
        complain(rd, "id '%s' is not a decimal number", field);
        return false;
    }
    if (n.huge || n.value > TRACE_MAX_ID) {
        complain(rd, "id %s is too large (ids are small integers, at most %u)", field, TRACE_MAX_ID);
        return false;
    }
    *id = (uint32_t)n.value;
    return true;
}

static bool parse_field(const reader_t *rd, const char *field, const char *what, trace_num_t *out)
{
    if (!parse_num(field, out)) {
        complain(rd, "%s '%s' is not a decimal number", what, field);
        return false;
    }
    return true;
}

/* Parse one operation line into op, checking its fields and the id's binding. */
static bool parse_op(builder_t *b, const reader_t *rd, char **fields, int n, trace_op_t *op)
{
    static const struct {
        const char *letter;
        trace_kind_t kind;
        int min_fields, max_fields;
        const char *usage;
    } forms[] = {
        {"a", OP_ALLOC, 3, 4, "a <id> <size> [<align>]"},
        {"c", OP_CALLOC, 4, 4, "c <id> <count> <size>"},
        {"r", OP_REALLOC, 3, 3, "r <id> <size>"},
        {"f", OP_FREE, 2, 2, "f <id>"},
    };
    size_t form = 0;
    while (form < sizeof forms / sizeof forms[0] && strcmp(fields[0], forms[form].letter) != 0) {
        form++;
    }
    if (form == sizeof forms / sizeof forms[0]) {
        complain(rd, "unknown operation '%s' (expected arena, a, c, r or f)", fields[0]);
        return false;
    }
    if (n < forms[form].min_fields || n > forms[form].max_fields) {
        complain(rd, "'%s' takes the form '%s'", fields[0], forms[form].usage);
        return false;
    }
    memset(op, 0, sizeof *op);
    op->kind = forms[form].kind;
    op->line = rd->line;
    if (!parse_id(rd, fields[1], &op->id)) {
        return false;
    }
    switch (op->kind) {
    case OP_ALLOC:
        if (!parse_field(rd, fields[2], "size", &op->size) ||
            (n == 4 && !parse_field(rd, fields[3], "alignment", &op->align))) {
            return false;
        }
        if (n == 4 && !op->align.huge && (op->align.value == 0 || (op->align.value & (op->align.value - 1)) != 0)) {
            complain(rd, "alignment %s is not a power of two", fields[3]);
            return false;
        }
        break;
    case OP_CALLOC:
        if (!parse_field(rd, fields[2], "count", &op->count) || !parse_field(rd, fields[3], "size", &op->size)) {
            return false;
        }
        break;
    case OP_REALLOC:
        if (!parse_field(rd, fields[2], "size", &op->size)) {
            return false;
        }
        if (!op->size.huge && op->size.value == 0) {
            complain(rd, "realloc to size 0 (a trace never reallocates to 0; use f)");
            return false;
        }
        break;
    default:
        break;
    }
    if (!reserve_id(b, op->id)) {
        complain(rd, "out of memory");
        return false;
    }
    uint32_t *bound = &b->bound_at[op->id];
    if (op->kind == OP_ALLOC || op->kind == OP_CALLOC) {
        if (*bound != 0) {
            complain(rd, "id %u is already bound (by line %u) and not yet freed", (unsigned)op->id, (unsigned)*bound);
            return false;
        }
        *bound = rd->line;
    } else {
        if (*bound == 0) {
            complain(rd, "'%s' of id %u, which is not bound", fields[0], (unsigned)op->id);
            return false;
        }
        if (op->kind == OP_FREE) {
            *bound = 0;
        }
    }
    if (op->id > b->t->max_id) {
        b->t->max_id = op->id;
    }
    return true;
}

static bool parse_arena(trace_t *t, const reader_t *rd, char **fields, int n)
{
    if (n != 2) {
        complain(rd, "'arena' takes the form 'arena <bytes>'");
        return false;
    }
    if (t->arena_line != 0) {
        complain(rd, "second arena line (the first is line %u)", (unsigned)t->arena_line);
        return false;
    }
    trace_num_t bytes;
    if (!parse_field(rd, fields[1], "arena size", &bytes)) {
        return false;
    }
    if (bytes.huge || bytes.value == 0 || bytes.value > SIZE_MAX) {
        complain(rd, "arena size %s is not between 1 and %zu", fields[1], (size_t)SIZE_MAX);
        return false;
    }
    t->arena = bytes.value;
    t->arena_line = rd->line;
    return true;
}

static bool parse_lines(builder_t *b, reader_t *rd, char *text, size_t len)
{
    trace_t *t = b->t;
    char *end = text + len;
    for (char *line = text; line < end; rd->line++) {
        char *nl = memchr(line, '\n', (size_t)(end - line));
        char *next = nl != NULL ? nl + 1 : end;
        char *stop = nl != NULL ? nl : end;
        if (stop > line && stop[-1] == '\r') {
            stop--;
        }
        *stop = '\0';
        if (strlen(line) != (size_t)(stop - line)) {
            complain(rd, "NUL byte in line");
            return false;
        }
        if (line[0] != '\0' && line[0] != '#') {
            char *fields[MAX_FIELDS] = {0};
            int n = split(line, fields);
            trace_op_t op;
            if (n < 0) {
                complain(rd, "malformed line: fields must be separated by single spaces");
                return false;
            }
            if (strcmp(fields[0], "arena") == 0) {
                if (!parse_arena(t, rd, fields, n)) {
                    return false;
                }
            } else if (t->arena_line == 0 && (strlen(fields[0]) == 1 && strchr("acrf", fields[0][0]) != NULL)) {
                complain(rd, "'%s' before the arena line (the arena must come first)", fields[0]);
                return false;
            } else if (!parse_op(b, rd, fields, n, &op)) {
                return false;
            } else if (!push_op(b, &op)) {
                complain(rd, "out of memory");
                return false;
            }
        }
        line = next;
    }
    if (t->arena_line == 0) {
        rd->line = rd->line > 1 ? rd->line - 1 : 1;
        complain(rd, "no arena line");
        return false;
    }
    return true;
}

static bool set_name(trace_t *t, const char *path)
{
    const char *base = strrchr(path, '/');
    base = base != NULL ? base + 1 : path;
    t->path = malloc(strlen(path) + 1);
    t->name_buf = malloc(strlen(base) + 1);
    if (t->path == NULL || t->name_buf == NULL) {
        return false;
    }
    strcpy(t->path, path);
    strcpy(t->name_buf, base);
    size_t n = strlen(t->name_buf);
    if (n > 6 && strcmp(t->name_buf + n - 6, ".trace") == 0) {
        t->name_buf[n - 6] = '\0';
    }
    t->name = t->name_buf;
    return true;
}

bool trace_load(const char *path, trace_t *t)
{
    memset(t, 0, sizeof *t);
    reader_t rd = {path, 1};
    size_t len = 0;
    char *text = slurp(path, &len);
    if (text == NULL) {
        (void)fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
        return false;
    }
    builder_t b = {t, 0, NULL, 0};
    bool ok = set_name(t, path);
    if (!ok) {
        (void)fprintf(stderr, "%s: out of memory\n", path);
    }
    ok = ok && parse_lines(&b, &rd, text, len);
    free(b.bound_at);
    free(text);
    if (!ok) {
        trace_free(t);
    }
    return ok;
}

void trace_free(trace_t *t)
{
    free(t->ops);
    free(t->path);
    free(t->name_buf);
    memset(t, 0, sizeof *t);
}
