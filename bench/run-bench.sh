#!/bin/sh
# Every benchmark, then the report (what `make bench` runs):
#   1. build ealloc-replay (CMake, Release, build/bench) and check the report generator (--check)
#   2. host replay: every trace through llff, tlsf and system (glibc)  -> bench/results/host.jsonl
#   3. heap maps of fragment-churn for llff and tlsf                    -> map-fragment-churn-{llff,tlsf}.svg
#   4. Cortex-M4 replay and worst cases under QEMU (run-firmware-bench.sh)
#                                            -> firmware.jsonl, firmware.md, wcet.jsonl, wcet.md
#   5. the report: README.md (summary), instructions-{alloc,free,realloc}.svg, fill.svg
#
#   bench/run-bench.sh [--traces DIR] [--out DIR] [--jobs N] [--skip-host] [--skip-firmware]
#
#   --traces DIR      the traces (default: $EALLOC_TRACES_DIR, else ../shared/traces beside the
#                     repository); read in place, never copied
#   --out DIR         where the results go (default: bench/results)
#   --jobs N          parallel builds and QEMU runs (default 2)
#   --skip-host       keep the existing host.jsonl and maps (steps 1-3 skipped)
#   --skip-firmware   keep the existing firmware and wcet results (step 4 skipped)
#
# Stops at the first step that fails, naming it, with a non-zero status.
# Needs: cmake, a C compiler, python3; for step 4 also arm-none-eabi-gcc with newlib and
# qemu-system-arm (see bench/firmware/README.md).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
traces=${EALLOC_TRACES_DIR:-$root/../shared/traces}
out=$root/bench/results
jobs=2
host=1
firmware=1

while [ $# -gt 0 ]; do
    case $1 in
    --traces) traces=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --skip-host) host=0; shift ;;
    --skip-firmware) firmware=0; shift ;;
    -h | --help) sed -n '2,22p' "$0"; exit 0 ;;
    *) echo "run-bench.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
    esac
done

if [ ! -d "$traces" ]; then
    echo "run-bench.sh: no trace folder $traces (set --traces or EALLOC_TRACES_DIR)" >&2
    exit 2
fi
traces=$(cd "$traces" && pwd)
set -- "$traces"/*.trace
if [ ! -f "$1" ]; then
    echo "run-bench.sh: no *.trace files in $traces" >&2
    exit 2
fi
mkdir -p "$out" "$root/build"
out=$(cd "$out" && pwd)

fail() { # step, status
    echo "run-bench.sh: step '$1' failed (status $2)" >&2
    exit "$2"
}

start=$(date +%s)
build=$root/build/bench
replay=$build/bench/ealloc-replay
report="$root/bench/report/make_report.py"

echo "== report generator self-check"
python3 "$report" --check || fail "report self-check" $?

if [ $host = 1 ]; then
    echo "== build ealloc-replay (Release, $build)"
    cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DEALLOC_BUILD_TESTS=OFF \
        >"$build.configure.log" 2>&1 || { cat "$build.configure.log"; fail "configure $build" 1; }
    cmake --build "$build" -j"$jobs" --target ealloc-replay >"$build.build.log" 2>&1 ||
        { tail -40 "$build.build.log"; fail "build ealloc-replay" 1; }

    echo "== host replay: $# traces x llff, tlsf, system -> $out/host.jsonl"
    # the machine and its load as the timed run starts, for the report
    python3 "$report" --write-host-env "$out/host-env.json" --build-dir "$build" || fail "host-env" $?
    status=0
    "$replay" --backend llff,tlsf,system --json "$@" >"$out/host.jsonl" || status=$?
    [ $status = 0 ] || fail "host replay (ealloc-replay --json; see $out/host.jsonl)" $status

    echo "== heap maps: fragment-churn x llff, tlsf -> $out/map-fragment-churn-{llff,tlsf}.svg"
    status=0
    "$replay" --backend llff,tlsf --map "$out/map-fragment-churn-{backend}.svg" \
        "$traces/fragment-churn.trace" >/dev/null || status=$?
    [ $status = 0 ] || fail "heap maps (ealloc-replay --map)" $status
fi

if [ $firmware = 1 ]; then
    echo "== Cortex-M4 replay and worst cases (bench/run-firmware-bench.sh)"
    status=0
    sh "$root/bench/run-firmware-bench.sh" --traces "$traces" --out "$out" --jobs "$jobs" || status=$?
    [ $status = 0 ] || fail "firmware benchmark (bench/run-firmware-bench.sh)" $status
fi

echo "== report -> $out/README.md"
python3 "$report" --results "$out" || fail "report (bench/report/make_report.py)" $?

echo "== make bench: done in $(($(date +%s) - start)) s; summary in $out/README.md"
