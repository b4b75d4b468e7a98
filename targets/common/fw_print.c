/*
 * A small printf for firmware: no heap, no stdio, no system calls, so it
 * works the same on newlib and picolibc and can run inside a fault handler.
 * Characters go to a sink; fw_printf's sink is a line buffer flushed through
 * semihosting, fw_snprintf's is the caller's array.
 */
#include "fw.h"

#include <stdbool.h>
#include <string.h>

typedef struct sink {
    void (*put)(struct sink *s, char c);
    char *buf;     /* fw_snprintf: the caller's array */
    size_t size;   /* its size */
    size_t count;  /* characters produced so far */
} sink_t;

static void emit(sink_t *s, char c)
{
    s->put(s, c);
    s->count++;
}

static void emit_repeat(sink_t *s, char c, int n)
{
    for (; n > 0; n--) {
        emit(s, c);
    }
}

typedef struct spec {
    bool left;     /* '-' */
    bool zero;     /* '0' */
    bool plus;     /* '+' */
    bool space;    /* ' ' */
    bool alt;      /* '#' */
    int width;
    int precision; /* -1: none */
} spec_t;

/* Digits of v in base, least significant first, into tmp; the count. */
static int to_digits(unsigned long long v, unsigned base, bool upper, char *tmp)
{
    const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    int n = 0;
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v != 0);
    return n;
}

static void emit_number(sink_t *s, const spec_t *sp, unsigned long long v, bool negative, unsigned base,
                        bool upper, const char *prefix)
{
    char tmp[24]; /* 2^64 in octal has 22 digits */
    int ndigits = (v == 0 && sp->precision == 0) ? 0 : to_digits(v, base, upper, tmp);
    char sign = negative ? '-' : sp->plus ? '+' : sp->space ? ' ' : '\0';
    int nprefix = (int)strlen(prefix);
    int zeros = sp->precision > ndigits ? sp->precision - ndigits : 0;
    int len = (sign ? 1 : 0) + nprefix + zeros + ndigits;
    int pad = sp->width > len ? sp->width - len : 0;

    if (sp->zero && !sp->left && sp->precision < 0) {
        zeros += pad;
        pad = 0;
    }
    if (!sp->left) {
        emit_repeat(s, ' ', pad);
    }
    if (sign) {
        emit(s, sign);
    }
    for (int i = 0; i < nprefix; i++) {
        emit(s, prefix[i]);
    }
    emit_repeat(s, '0', zeros);
    while (ndigits > 0) {
        emit(s, tmp[--ndigits]);
    }
    if (sp->left) {
        emit_repeat(s, ' ', pad);
    }
}

static void emit_string(sink_t *s, const spec_t *sp, const char *str)
{
    if (str == NULL) {
        str = "(null)";
    }
    int len = 0;
    while (str[len] != '\0' && (sp->precision < 0 || len < sp->precision)) {
        len++;
    }
    int pad = sp->width > len ? sp->width - len : 0;
    if (!sp->left) {
        emit_repeat(s, ' ', pad);
    }
    for (int i = 0; i < len; i++) {
        emit(s, str[i]);
    }
    if (sp->left) {
        emit_repeat(s, ' ', pad);
    }
}

enum length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_INTMAX, LEN_PTRDIFF };

static long long signed_arg(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR: return (signed char)va_arg(*ap, int);
    case LEN_SHORT: return (short)va_arg(*ap, int);
    case LEN_LONG: return va_arg(*ap, long);
    case LEN_LLONG: return va_arg(*ap, long long);
    case LEN_SIZE: return (ptrdiff_t)va_arg(*ap, size_t); /* %zd: the signed type of size_t's width */
    case LEN_INTMAX: return va_arg(*ap, intmax_t);
    case LEN_PTRDIFF: return va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, int);
    }
}

static unsigned long long unsigned_arg(va_list *ap, enum length len)
{
    switch (len) {
    case LEN_CHAR: return (unsigned char)va_arg(*ap, unsigned);
    case LEN_SHORT: return (unsigned short)va_arg(*ap, unsigned);
    case LEN_LONG: return va_arg(*ap, unsigned long);
    case LEN_LLONG: return va_arg(*ap, unsigned long long);
    case LEN_SIZE: return va_arg(*ap, size_t);
    case LEN_INTMAX: return va_arg(*ap, uintmax_t);
    case LEN_PTRDIFF: return (unsigned long long)va_arg(*ap, ptrdiff_t);
    default: return va_arg(*ap, unsigned);
    }
}

static int parse_number(const char **p)
{
    int n = 0;
    while (**p >= '0' && **p <= '9') {
        n = n * 10 + (**p - '0');
        (*p)++;
    }
    return n;
}

static void format(sink_t *s, const char *fmt, va_list ap_in)
{
    va_list ap;
    va_copy(ap, ap_in);
    for (const char *p = fmt; *p != '\0'; p++) {
        if (*p != '%') {
            emit(s, *p);
            continue;
        }
        p++;
        spec_t sp = {false, false, false, false, false, 0, -1};
        for (;; p++) {
            if (*p == '-') {
                sp.left = true;
            } else if (*p == '0') {
                sp.zero = true;
            } else if (*p == '+') {
                sp.plus = true;
            } else if (*p == ' ') {
                sp.space = true;
            } else if (*p == '#') {
                sp.alt = true;
            } else {
                break;
            }
        }
        if (*p == '*') {
            sp.width = va_arg(ap, int);
            if (sp.width < 0) {
                sp.left = true;
                sp.width = -sp.width;
            }
            p++;
        } else {
            sp.width = parse_number(&p);
        }
        if (*p == '.') {
            p++;
            if (*p == '*') {
                sp.precision = va_arg(ap, int);
                p++;
            } else {
                sp.precision = parse_number(&p);
            }
        }
        enum length len = LEN_INT;
        switch (*p) {
        case 'h':
            len = LEN_SHORT;
            if (p[1] == 'h') {
                len = LEN_CHAR;
                p++;
            }
            p++;
            break;
        case 'l':
            len = LEN_LONG;
            if (p[1] == 'l') {
                len = LEN_LLONG;
                p++;
            }
            p++;
            break;
        case 'z': len = LEN_SIZE; p++; break;
        case 'j': len = LEN_INTMAX; p++; break;
        case 't': len = LEN_PTRDIFF; p++; break;
        default: break;
        }
        switch (*p) {
        case 'd':
        case 'i': {
            long long v = signed_arg(&ap, len);
            unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
            emit_number(s, &sp, mag, v < 0, 10, false, "");
            break;
        }
        case 'u':
            emit_number(s, &sp, unsigned_arg(&ap, len), false, 10, false, "");
            break;
        case 'x':
        case 'X': {
            unsigned long long v = unsigned_arg(&ap, len);
            sp.plus = sp.space = false;
            emit_number(s, &sp, v, false, 16, *p == 'X', (sp.alt && v != 0) ? (*p == 'X' ? "0X" : "0x") : "");
            break;
        }
        case 'o':
            sp.plus = sp.space = false;
            emit_number(s, &sp, unsigned_arg(&ap, len), false, 8, false, sp.alt ? "0" : "");
            break;
        case 'p':
            sp.plus = sp.space = false;
            emit_number(s, &sp, (uintptr_t)va_arg(ap, void *), false, 16, false, "0x");
            break;
        case 'c': {
            char c = (char)va_arg(ap, int);
            int pad = sp.width > 1 ? sp.width - 1 : 0;
            if (!sp.left) {
                emit_repeat(s, ' ', pad);
            }
            emit(s, c);
            if (sp.left) {
                emit_repeat(s, ' ', pad);
            }
            break;
        }
        case 's':
            emit_string(s, &sp, va_arg(ap, const char *));
            break;
        case '%':
            emit(s, '%');
            break;
        case '\0':
            p--; /* a lone '%' at the end: stop at the terminator */
            break;
        default:
            /* Unknown conversion: show it as written. */
            emit(s, '%');
            emit(s, *p);
            break;
        }
    }
    va_end(ap);
}

/* ---- fw_printf: a line buffer sent with SYS_WRITE0 ------------------------------ */

static char line[128];
static size_t line_len;

void fw_flush(void)
{
    if (line_len > 0) {
        line[line_len] = '\0';
        semihost_write0(line);
        line_len = 0;
    }
}

void fw_putc(char c)
{
    if (c == '\0') {
        return; /* SYS_WRITE0 cannot send it */
    }
    line[line_len++] = c;
    if (c == '\n' || line_len == sizeof line - 1) {
        fw_flush();
    }
}

static void put_console(sink_t *s, char c)
{
    (void)s;
    fw_putc(c);
}

int fw_vprintf(const char *fmt, va_list ap)
{
    sink_t s = {put_console, NULL, 0, 0};
    format(&s, fmt, ap);
    return (int)s.count;
}

int fw_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fw_vprintf(fmt, ap);
    va_end(ap);
    return n;
}

void fw_puts(const char *s)
{
    while (*s != '\0') {
        fw_putc(*s++);
    }
    fw_putc('\n');
}

/* ---- fw_snprintf ------------------------------------------------------------------ */

static void put_buffer(sink_t *s, char c)
{
    if (s->count + 1 < s->size) {
        s->buf[s->count] = c;
    }
}

int fw_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    sink_t s = {put_buffer, buf, size, 0};
    format(&s, fmt, ap);
    if (size > 0) {
        buf[s.count < size ? s.count : size - 1] = '\0';
    }
    return (int)s.count;
}

int fw_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = fw_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

/* ---- exit ------------------------------------------------------------------------- */

void fw_exit(int status)
{
    fw_flush();
    size_t used = fw_stack_used();
    size_t size = (size_t)(__stack_top - __stack_limit);
    if (used >= size) {
        /* The deepest word of the stack was written: the stack has (probably) run into .bss or a heap. */
        fw_printf("fw: stack overflow: all %zu bytes of the stack were used (raise __stack_size)\n", size);
        status = FW_EXIT_FAULT;
    } else {
        fw_printf("fw: exit status %d; stack high-water %zu of %zu bytes\n", status, used, size);
    }
    fw_flush();
    semihost_exit(status);
}
