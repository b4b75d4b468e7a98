#!/bin/sh
# Firmware benchmarks on Cortex-M4 (QEMU mps2-an386, -icount shift=10; or RV32 on QEMU virt): build
# the images of bench/firmware and bench/wcet, run them, and write
#   bench/results/firmware.jsonl, firmware.md   trace replay, every trace x back-end
#   bench/results/wcet.jsonl, wcet.md           worst cases built on purpose
#
#   bench/run-firmware-bench.sh [--traces DIR] [--opt FLAG] [--define KNOB=VALUE]... [--cpu CPU] [--cc clang] [--board BOARD]
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
#   --cc clang       compile the benchmarked library copies with clang instead of GCC (Arm board only;
#                    bench/firmware/clang_launcher.sh says with which flags; Debian: clang); the
#                    images stay GCC's
#   --board BOARD    mps2-an386 (default), or riscv32-virt (RV32IMAC) / riscv32-virt-zbb (with Zbb) /
#                    riscv64-virt (RV64IMAC) / riscv64-virt-zbb:
#                    the same replay and worst cases counted with RISC-V's minstret; back-ends llff and
#                    tlsf with the ports "none" and "riscv" (llff-rv, tlsf-rv); no newlib there (the
#                    toolchain's C library is picolibc)
#   --out DIR        where the results go (default: bench/results on mps2-an386, which `make bench`
#                    regenerates; build/bench-results-BOARD on the RISC-V boards)
#   --jobs N         parallel builds and QEMU runs (default 2)
#   --trace NAME     only this trace (repeatable); --backends llff,tlsf,... only these back-ends
#                    (tlsf-malloc, ealloc's malloc shim over tlsf with the port "none", is measured
#                    only when named here: --backends tlsf,tlsf-malloc shows the shim's own cost)
#
# Needs: arm-none-eabi-gcc with newlib and newlib-nano, qemu-system-arm, cmake, python3
# (Debian: gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm cmake python3); on the
# RISC-V boards riscv64-unknown-elf-gcc with picolibc and qemu-system-riscv32 or -riscv64 instead
# (gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc).
# Build directories: build/bench-fw-an386[-O2...] (nano.specs) and the same with -newlib
# (full newlib, which needs its own link flags); build/bench-fw-riscv32-virt[-zbb][...],
# build/bench-fw-riscv64-virt[-zbb][...]; --cc clang adds -clang to the name.
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
traces=${EALLOC_TRACES_DIR:-$root/../shared/traces}
opt=
cpu=
cc=
board=mps2-an386
defines=
out=
jobs=2
collect_args=

while [ $# -gt 0 ]; do
    case $1 in
    --traces) traces=$2; shift 2 ;;
    --opt) opt=$2; shift 2 ;;
    --cpu) cpu=$2; shift 2 ;;
    --cc) cc=$2; shift 2 ;;
    --define) defines=${defines:+$defines;}$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --trace) collect_args="$collect_args --only-trace $2"; shift 2 ;;
    --backends) collect_args="$collect_args --backends $2"; shift 2 ;;
    --skip-wcet) collect_args="$collect_args --skip-wcet"; shift ;;
    --board) board=$2; shift 2 ;;
    -h | --help) awk 'NR > 1 && /^set -eu$/ { exit } NR > 1' "$0"; exit 0 ;;
    *) echo "run-firmware-bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

case $cc in
'' | clang) ;;
*) echo "run-firmware-bench.sh: --cc is clang (left out: GCC), not $cc" >&2; exit 2 ;;
esac
case $board in
mps2-an386) tools="arm-none-eabi-gcc qemu-system-arm" packages="gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm" ;;
riscv32-virt | riscv32-virt-zbb | riscv64-virt | riscv64-virt-zbb)
    tools="riscv64-unknown-elf-gcc qemu-system-${board%%-virt*}" packages="gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf qemu-system-misc"
    if [ -n "$cpu$cc" ]; then
        echo "run-firmware-bench.sh: --cpu and --cc are for the Arm board; RISC-V: --board riscv32-virt[-zbb] or riscv64-virt[-zbb]" >&2
        exit 2
    fi
    ;;
*) echo "run-firmware-bench.sh: --board is mps2-an386, riscv32-virt[-zbb] or riscv64-virt[-zbb], not $board" >&2; exit 2 ;;
esac
packages="$packages${cc:+ $cc}" # Debian's package of clang is clang
for tool in $tools $cc cmake python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "run-firmware-bench.sh: $tool not found (Debian: $packages cmake python3)" >&2
        exit 2
    fi
done
if [ ! -d "$traces" ]; then
    echo "run-firmware-bench.sh: no trace folder $traces (set --traces or EALLOC_TRACES_DIR)" >&2
    exit 2
fi
traces=$(cd "$traces" && pwd)
if [ -z "$out" ]; then
    if [ "$board" = mps2-an386 ]; then out=$root/bench/results; else out=$root/build/bench-results-$board; fi
fi

start=$(date +%s)
suffix=$(printf '%s%s%s%s' "$opt" "${cpu:+-$cpu}" "${cc:+-$cc}" "${defines:+-$defines}" | tr -c 'A-Za-z0-9' '-')
cpu_args=
if [ -n "$cpu" ]; then
    cpu_args="-DEALLOC_FW_BENCH_CPU=$cpu -DEALLOC_ARM_FLOAT_ABI=soft -DEALLOC_ARM_FPU="
fi
nano_dir=$root/build/bench-fw-${board#mps2-}$suffix
full_dir=$root/build/bench-fw-${board#mps2-}$suffix-newlib

configure() { # dir, extra cmake args...
    dir=$1
    shift
    # shellcheck disable=SC2086
    cmake -S "$root/targets" -B "$dir" -DEALLOC_BOARD="$board" -DEALLOC_FW_BENCH=ON \
        "-DEALLOC_FW_BENCH_OPT=$opt" "-DEALLOC_FW_BENCH_DEFINES=$defines" "-DEALLOC_FW_BENCH_CC=$cc" $cpu_args "$@" >"$dir.configure.log" 2>&1 ||
        { cat "$dir.configure.log"; echo "run-firmware-bench.sh: configuring $dir failed" >&2; exit 1; }
}

mkdir -p "$root/build"
# The images of the port "none" and of the board's own port (_cm on Arm, _rv on RISC-V); newlib on Arm only.
case $board in
mps2-an386) images="bench_replay_ealloc_cm bench_wcet_cm bench_replay_newlib_nano" ;;
*) images="bench_replay_ealloc_rv bench_wcet_rv" full_dir= ;;
esac
echo "== build ($nano_dir)"
configure "$nano_dir"
# shellcheck disable=SC2086
cmake --build "$nano_dir" -j"$jobs" --target bench_timer_selftest bench_replay_ealloc bench_wcet bench_replay_ealloc_malloc $images \
    >"$nano_dir.build.log" 2>&1 || { tail -40 "$nano_dir.build.log"; exit 1; }
if [ -n "$full_dir" ]; then
    echo "== build (full newlib image: $full_dir)"
    configure "$full_dir" -DEALLOC_ARM_SPECS=
    cmake --build "$full_dir" -j"$jobs" --target bench_replay_newlib >"$full_dir.build.log" 2>&1 ||
        { tail -40 "$full_dir.build.log"; exit 1; }
fi
built=$(date +%s)
echo "   built in $((built - start)) s"

echo "== run (QEMU $board -icount shift=10, $jobs at a time; traces from $traces)"
status=0
# shellcheck disable=SC2086
python3 "$root/bench/firmware/collect.py" --board "$board" --build "$nano_dir" ${full_dir:+--newlib-build "$full_dir"} --traces "$traces" \
    --out "$out" --jobs "$jobs" "--opt=${cc:+$cc $($cc -dumpversion) }${opt:--Os}${cpu:+ -mcpu=$cpu}${defines:+ -D$(echo "$defines" | sed 's/;/ -D/g')}" \
    ${cpu:+--cpu "$cpu"} $collect_args || status=$?
end=$(date +%s)
echo "== done in $((end - start)) s (build $((built - start)) s, runs $((end - built)) s); results in $out"
exit $status
