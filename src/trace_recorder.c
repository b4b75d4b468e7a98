/*
 * The recorder: trace events in, trace text out (format: ../shared/traces/
 * FORMAT.md, docs/trace.md). Freestanding, so it runs in the firmware whose
 * heap it records; it never allocates: the id table is the caller's.
 *
 * Ids: a live block keeps its id from allocation to free, through any number
 * of reallocs that move it; a released id is handed out again (last released,
 * first reused), so ids stay as small as the number of blocks live at once.
 * A failed allocation is written with an id that is free and stays free, as
 * the format has it. The table is open addressing with linear probing; a
 * removal moves later entries of the same run back, so there are no
 * tombstones and a lookup never walks further than the live entries.
 */
#include <stdint.h>

#include "ealloc/trace.h"

enum { OP_A, OP_C, OP_R, OP_F };

enum {
    NUMBER_CHARS = 20, /* the digits of the largest 64-bit number */
    DECIMAL = 10
};

/* The longest text put in one line_t: the refusal comment with two numbers and its newline. */
#define REFUSAL_HEAD "# refused: alignment "
#define REFUSAL_MIDDLE " is not a power of two, size"
#define LINE_CHARS (sizeof REFUSAL_HEAD + sizeof REFUSAL_MIDDLE + (size_t)2 * (1 + NUMBER_CHARS) + 1)

/* The table's hash: a multiply between two xor-shifts; the constants only need to spread the bits. */
#define MIX_SHIFT_IN 15
#define MIX_MULTIPLIER ((uintptr_t)0x2c1b3c6dU)
#define MIX_SHIFT_OUT 12

void ea_recorder_init(ea_recorder_t *r, const void *heap, ea_recorder_slot_t *slots, size_t slot_count,
                      ea_recorder_write_fn write, void *ctx)
{
    *r = (ea_recorder_t){0};
    r->heap = heap;
    r->write = write;
    r->ctx = ctx;
    r->slots = slots;
    r->slot_mask = slot_count - 1;
    for (size_t i = 0; i < slot_count; i++) {
        slots[i] = (ea_recorder_slot_t){0};
    }
}

/* ---- text -------------------------------------------------------------------------------- */

typedef struct line {
    char text[LINE_CHARS];
    size_t len;
} line_t;

/*
 * No bound checks: every piece of text is one of the literals below and at
 * most two numbers, and LINE_CHARS holds the longest of them (the refusal);
 * the closing comment, longer, is sent in pieces.
 */
static void put_text(line_t *l, const char *s)
{
    while (*s != '\0') {
        l->text[l->len++] = *s++;
    }
}

static void put_number(line_t *l, size_t v)
{
    char digits[NUMBER_CHARS];
    size_t n = 0;
    do {
        digits[n++] = (char)('0' + v % DECIMAL);
        v /= DECIMAL;
    } while (v != 0);
    while (n > 0) {
        l->text[l->len++] = digits[--n];
    }
}

/* " <v>" */
static void put_field(line_t *l, size_t v)
{
    put_text(l, " ");
    put_number(l, v);
}

static void send(ea_recorder_t *r, const line_t *l)
{
    r->write(r->ctx, l->text, l->len);
}

/* The line, ended. */
static void emit(ea_recorder_t *r, line_t *l)
{
    put_text(l, "\n");
    send(r, l);
}

/* ---- the pointer -> id table -------------------------------------------------------------- */

static size_t home_of(const ea_recorder_t *r, const void *p)
{
    /* Blocks sit on granule boundaries: drop the low bits that never differ, then mix. */
    uintptr_t x = (uintptr_t)p >> 3;
    x ^= x >> MIX_SHIFT_IN;
    x *= MIX_MULTIPLIER;
    x ^= x >> MIX_SHIFT_OUT;
    return (size_t)x & r->slot_mask;
}

/* The slot holding p, or the empty slot where p would go. */
static size_t find_slot(const ea_recorder_t *r, const void *p)
{
    size_t i = home_of(r, p);
    while (r->slots[i].ptr != NULL && r->slots[i].ptr != p) {
        i = (i + 1) & r->slot_mask;
    }
    return i;
}

static bool lookup(const ea_recorder_t *r, const void *p, size_t *id)
{
    size_t i = find_slot(r, p);
    if (r->slots[i].ptr == NULL) {
        return false;
    }
    *id = r->slots[i].id;
    return true;
}

static bool table_full(const ea_recorder_t *r)
{
    return r->live + 1 > (r->slot_mask + 1) / 4 * 3;
}

static size_t take_id(ea_recorder_t *r)
{
    return r->spare_ids > 0 ? r->slots[--r->spare_ids].spare_id : r->next_id++;
}

static void give_back_id(ea_recorder_t *r, size_t id)
{
    /* At most one spare id per id ever handed out, and that is bounded by the slots used. */
    r->slots[r->spare_ids++].spare_id = id;
}

static void bind(ea_recorder_t *r, const void *p, size_t id)
{
    size_t i = find_slot(r, p);
    r->slots[i].ptr = p;
    r->slots[i].id = id;
    r->live++;
}

/* Remove p (present); entries further along its run move back so none is cut off from its home. */
static void unbind(ea_recorder_t *r, const void *p)
{
    size_t hole = find_slot(r, p);
    size_t i = hole;
    for (;;) {
        i = (i + 1) & r->slot_mask;
        if (r->slots[i].ptr == NULL) {
            break;
        }
        size_t home = home_of(r, r->slots[i].ptr);
        /* Movable when its home is not cyclically within (hole, i]. */
        bool home_after_hole = ((i - home) & r->slot_mask) < ((i - hole) & r->slot_mask);
        if (!home_after_hole) {
            r->slots[hole].ptr = r->slots[i].ptr;
            r->slots[hole].id = r->slots[i].id;
            hole = i;
        }
    }
    r->slots[hole].ptr = NULL;
    r->live--;
}

/* ---- events -> lines ------------------------------------------------------------------------ */

/* x != 0: an alignment of 0 means the default and is never tested here. */
static bool pow2(size_t x)
{
    return (x & (x - 1)) == 0;
}

void ea_recorder_arena(ea_recorder_t *r, size_t bytes)
{
    if (r->arena_written) {
        return;
    }
    r->arena_written = true;
    r->arena = bytes;
    line_t l = {{0}, 0};
    put_text(&l, "arena");
    put_field(&l, bytes);
    emit(r, &l);
}

static void region(ea_recorder_t *r, const ea_trace_event_t *e)
{
    if (!r->arena_written) {
        ea_recorder_arena(r, e->size);
        return;
    }
    line_t l = {{0}, 0};
    put_text(&l, e->op == EA_TRACE_INIT ? "# init" : "# add_region");
    put_field(&l, e->size);
    if (e->result == NULL) {
        put_text(&l, " refused");
    } else {
        r->arena += e->size;
    }
    emit(r, &l);
}

/* A comment for a call the format cannot express: an alignment that is not a power of two. */
static void refuse(ea_recorder_t *r, const ea_trace_event_t *e)
{
    line_t l = {{0}, 0};
    put_text(&l, REFUSAL_HEAD);
    put_number(&l, e->align);
    put_text(&l, REFUSAL_MIDDLE);
    put_field(&l, e->size);
    emit(r, &l);
    r->refused++;
}

/* "a id size [align]" or "c id count size"; binds the result to a fresh id. */
static void allocation(ea_recorder_t *r, const ea_trace_event_t *e, bool zeroed)
{
    if (e->align != 0 && !pow2(e->align)) {
        refuse(r, e);
        return;
    }
    if (e->result != NULL && table_full(r)) {
        line_t l = {{0}, 0};
        put_text(&l, "# dropped: the recorder's id table is full, size");
        put_field(&l, e->size);
        emit(r, &l);
        r->dropped++;
        return;
    }
    size_t id = take_id(r);
    line_t l = {{0}, 0};
    put_text(&l, zeroed ? "c" : "a");
    put_field(&l, id);
    if (zeroed) {
        put_field(&l, e->count);
    }
    put_field(&l, e->size);
    if (e->align != 0) {
        put_field(&l, e->align);
    }
    emit(r, &l);
    r->ops[zeroed ? OP_C : OP_A]++;
    if (e->result != NULL) {
        bind(r, e->result, id);
    } else {
        r->failed++;
        give_back_id(r, id); /* a failure leaves its id unbound */
    }
}

static void release(ea_recorder_t *r, const void *p)
{
    size_t id;
    if (!lookup(r, p, &id)) {
        r->unknown++; /* allocated before the recording began */
        return;
    }
    line_t l = {{0}, 0};
    put_text(&l, "f");
    put_field(&l, id);
    emit(r, &l);
    r->ops[OP_F]++;
    unbind(r, p);
    give_back_id(r, id);
}

static void resize(ea_recorder_t *r, const ea_trace_event_t *e)
{
    if (e->ptr == NULL) {
        allocation(r, e, false); /* realloc(NULL, n) is an allocation */
        return;
    }
    if (e->align != 0 && !pow2(e->align)) {
        refuse(r, e);
        return;
    }
    if (e->size == 0) {
        release(r, e->ptr); /* realloc(p, 0) frees p */
        return;
    }
    size_t id;
    if (!lookup(r, e->ptr, &id)) {
        r->unknown++;
        if (e->result != NULL) {
            allocation(r, e, false); /* the old block is not in the trace: the new one is a new block there */
        }
        return;
    }
    line_t l = {{0}, 0};
    put_text(&l, "r");
    put_field(&l, id);
    put_field(&l, e->size);
    emit(r, &l);
    r->ops[OP_R]++;
    if (e->result == NULL) {
        r->failed++; /* the old block stays bound */
    } else if (e->result != e->ptr) {
        unbind(r, e->ptr);
        bind(r, e->result, id);
    }
}

void ea_recorder_event(ea_recorder_t *r, const ea_trace_event_t *e)
{
    if (r->heap != NULL && e->heap != r->heap) {
        return;
    }
    switch (e->op) {
    case EA_TRACE_INIT:
    case EA_TRACE_ADD_REGION:
        region(r, e);
        break;
    case EA_TRACE_ALLOC:
        allocation(r, e, false);
        break;
    case EA_TRACE_CALLOC:
        allocation(r, e, true);
        break;
    case EA_TRACE_REALLOC:
        resize(r, e);
        break;
    case EA_TRACE_FREE:
        release(r, e->ptr);
        break;
    }
}

void ea_recorder_finish(ea_recorder_t *r)
{
    const struct {
        const char *name;
        size_t value;
    } fields[] = {{" a=", r->ops[OP_A]},        {" c=", r->ops[OP_C]},       {" r=", r->ops[OP_R]},
                  {" f=", r->ops[OP_F]},        {" failed=", r->failed},     {" unknown=", r->unknown},
                  {" dropped=", r->dropped},    {" refused=", r->refused},   {" regions=", r->arena}};
    line_t l = {{0}, 0};
    put_text(&l, "# ealloc-recorder:");
    send(r, &l);
    /* Field by field: the whole line may be longer than a line_t. */
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        l.len = 0;
        put_text(&l, fields[i].name);
        put_number(&l, fields[i].value);
        send(r, &l);
    }
    l.len = 0;
    emit(r, &l);
}
