/*
 * Worst-case instruction counts of ealloc's back-ends on the Cortex-M4
 * (QEMU mps2-an386, -icount shift=10): heap states built on purpose so that
 * alloc, free and realloc take their longest paths, each timed once. See
 * wcet_tlsf.c and wcet_llff.c for the cases; bench/run-firmware-bench.sh
 * turns the output into bench/results/wcet.md.
 */
#include <stdarg.h>
#include <string.h>

#include "fw.h"
#include "wcet.h"

unsigned char *wcet_arena;
size_t wcet_arena_bytes;

void wcet_report(const char *backend, const char *case_id, const char *op, uint32_t instructions, long n,
                 const char *detail_fmt, ...)
{
    char detail[320];
    va_list ap;
    va_start(ap, detail_fmt);
    (void)fw_vsnprintf(detail, sizeof detail, detail_fmt, ap);
    va_end(ap);
    fw_printf("{\"kind\":\"wcet\",\"backend\":\"%s\",\"port\":\"%s\",\"case\":\"%s\",\"op\":\"%s\",\"instructions\":%lu",
              backend, BENCH_PORT, case_id, op, (unsigned long)instructions);
    if (n >= 0) {
        fw_printf(",\"n\":%ld", n);
    }
    fw_printf(",\"detail\":\"%s\"}\n", detail);
}

void wcet_require(bool cond, const char *backend, const char *case_id, const char *what)
{
    if (!cond) {
        fw_printf("wcet: %s %s: %s\n", backend, case_id, what);
        fw_exit(FW_EXIT_FAILURE);
    }
}

int main(void)
{
    bench_calibration_t cal;
    if (!bench_timer_init(&cal)) {
        return 1;
    }
    fw_printf("{\"kind\":\"wcet-calibration\",\"port\":\"%s\",\"empty_call_instructions\":%u,\"nops\":[%u,%u,%u,%u]}\n",
              BENCH_PORT, (unsigned)cal.empty_instructions, (unsigned)cal.nops[0], (unsigned)cal.nops[1],
              (unsigned)cal.nops[2], (unsigned)cal.nops[3]);
#ifdef FW_HAVE_RAM2
    wcet_arena = fw_ram2_start;
    wcet_arena_bytes = (size_t)((unsigned char *)fw_ram2_end - (unsigned char *)fw_ram2_start);
#else
    /* The aligned cases place blocks by the arena's address modulo their alignment (a change to the
     * trap handler once left the top block's payload on 256 bytes, so no front was cut). */
    wcet_arena = fw_on_64k_boundary(fw_free_ram_start);
    wcet_arena_bytes = (size_t)((unsigned char *)fw_free_ram_end - wcet_arena);
#endif
    wcet_tlsf();
    wcet_llff();
    return 0;
}
