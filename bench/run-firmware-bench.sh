#!/bin/sh
# Firmware benchmarks on Cortex-M4 (QEMU mps2-an386, -icount shift=10): build
# the images of bench/firmware and bench/wcet, run them, and write
#   bench/results/firmware.jsonl, firmware.md   trace replay, every trace x back-end
#   bench/results/wcet.jsonl, wcet.md           worst cases built on purpose
#
#   bench/run-firmware-bench.sh [--traces DIR] [--opt FLAG] [--define KNOB=VALUE]... [--cpu CPU]
#                               [--out DIR] [--jobs N] [--trace NAME]... [--backends LIST] [--skip-wcet]
#
#   --traces DIR     the traces (default: $EALLOC_TRACES_DIR, else ../shared/traces beside the repository);
#                    read in place through semihosting, never copied
#   --opt FLAG       optimisation of the benchmarked library copies, e.g. -O2 (default: -Os, as the
#                    firmware build); each value gets its own build directory
#   --define K=V     a configuration knob for the benchmarked library (include/ealloc/config.h),
#                    e.g. --define EA_HARDENED=1 --define EA_TLSF_SEARCH_DEPTH=2; repeatable
#   --cpu CPU        compile the benchmarked library copies for another core, e.g. cortex-m0plus or
#                    cortex-m3 (default: the board's cortex-m4); the images are then built with the
#                    soft-float ABI so that both link. The Cortex-M4 model runs that core's
#                    instructions one for one (ARMv6-M and ARMv7-M code is a subset of what it runs),
#                    so the counts are that core's; the rest of the image stays Cortex-M4 code
#   --out DIR        where the results go (default: bench/results)
#   --jobs N         parallel builds and QEMU runs (default 2)
#   --trace NAME     only this trace (repeatable); --backends llff,tlsf,... only these back-ends
#
# Needs: arm-none-eabi-gcc with newlib and newlib-nano, qemu-system-arm, cmake, python3
# (Debian: gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm cmake python3).
# Build directories: build/bench-fw-an386[-O2...] (nano.specs) and the same with -newlib
# (full newlib, which needs its own link flags).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
traces=${EALLOC_TRACES_DIR:-$root/../shared/traces}
opt=
cpu=
defines=
out=$root/bench/results
jobs=2
collect_args=

while [ $# -gt 0 ]; do
    case $1 in
    --traces) traces=$2; shift 2 ;;
    --opt) opt=$2; shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    --define) defines=${defines:+$defines;}$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --trace) collect_args="$collect_args --only-trace $2"; shift 2 ;;
    --backends) collect_args="$collect_args --backends $2"; shift 2 ;;
    --skip-wcet) collect_args="$collect_args --skip-wcet"; shift ;;
    -h | --help) sed -n '2,23p' "$0"; exit 0 ;;
    *) echo "run-firmware-bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

for tool in arm-none-eabi-gcc qemu-system-arm cmake python3; do
    if ! command -v $tool >/dev/null 2>&1; then
        echo "run-firmware-bench.sh: $tool not found (Debian: gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm cmake python3)" >&2
        exit 2
    fi
done
if [ ! -d "$traces" ]; then
    echo "run-firmware-bench.sh: no trace folder $traces (set --traces or EALLOC_TRACES_DIR)" >&2
    exit 2
fi
traces=$(cd "$traces" && pwd)

start=$(date +%s)
suffix=$(printf '%s%s%s' "$opt" "${cpu:+-$cpu}" "${defines:+-$defines}" | tr -c 'A-Za-z0-9' '-')
cpu_args=
if [ -n "$cpu" ]; then
    cpu_args="-DEALLOC_FW_BENCH_CPU=$cpu -DEALLOC_ARM_FLOAT_ABI=soft -DEALLOC_ARM_FPU="
fi
nano_dir=$root/build/bench-fw-an386$suffix
full_dir=$root/build/bench-fw-an386$suffix-newlib

configure() { # dir, extra cmake args...
    dir=$1
    shift
    # shellcheck disable=SC2086
    cmake -S "$root/targets" -B "$dir" -DEALLOC_BOARD=mps2-an386 -DEALLOC_FW_BENCH=ON \
        "-DEALLOC_FW_BENCH_OPT=$opt" "-DEALLOC_FW_BENCH_DEFINES=$defines" $cpu_args "$@" >"$dir.configure.log" 2>&1 ||
        { cat "$dir.configure.log"; echo "run-firmware-bench.sh: configuring $dir failed" >&2; exit 1; }
}

mkdir -p "$root/build"
echo "== build (newlib-nano images: $nano_dir)"
configure "$nano_dir"
cmake --build "$nano_dir" -j"$jobs" --target bench_timer_selftest bench_replay_ealloc bench_replay_ealloc_cm \
    bench_replay_newlib_nano bench_wcet bench_wcet_cm >"$nano_dir.build.log" 2>&1 ||
    { tail -40 "$nano_dir.build.log"; exit 1; }
echo "== build (full newlib image: $full_dir)"
configure "$full_dir" -DEALLOC_ARM_SPECS=
cmake --build "$full_dir" -j"$jobs" --target bench_replay_newlib >"$full_dir.build.log" 2>&1 ||
    { tail -40 "$full_dir.build.log"; exit 1; }
built=$(date +%s)
echo "   built in $((built - start)) s"

echo "== run (QEMU mps2-an386 -icount shift=10, $jobs at a time; traces from $traces)"
status=0
# shellcheck disable=SC2086
python3 "$root/bench/firmware/collect.py" --build "$nano_dir" --newlib-build "$full_dir" --traces "$traces" \
    --out "$out" --jobs "$jobs" "--opt=${opt:--Os}${cpu:+ -mcpu=$cpu}${defines:+ -D$(echo "$defines" | sed 's/;/ -D/g')}" \
    $collect_args || status=$?
end=$(date +%s)
echo "== done in $((end - start)) s (build $((built - start)) s, runs $((end - built)) s); results in $out"
exit $status
