/*
 * Checks the instruction-counting method on its own: the calibration of the
 * empty timed call, and N nops measured as N. Exit status 0 when exact.
 */
#include "bench_timer.h"
#include "fw.h"

int main(void)
{
    bench_calibration_t cal;
    bool ok = bench_timer_init(&cal);
    fw_printf("{\"kind\":\"timer\",\"board\":\"%s\",\"empty_call_ticks\":[%u,%u],\"empty_call_instructions\":%u,"
              "\"ticks_per_instruction\":" BENCH_TICKS_PER_INSTRUCTION ",\"nops\":{\"1\":%u,\"100\":%u,\"1000\":%u,\"10000\":%u},\"ok\":%s}\n",
              FW_BOARD, (unsigned)cal.empty_ticks_min, (unsigned)cal.empty_ticks_max,
              (unsigned)cal.empty_instructions, (unsigned)cal.nops[0], (unsigned)cal.nops[1], (unsigned)cal.nops[2],
              (unsigned)cal.nops[3], ok ? "true" : "false");
    return ok ? 0 : 1;
}
