#!/bin/sh
# Build ealloc's firmware tests for each board and run them under QEMU.
#
#   tools/firmware-tests.sh [board...]     default: the six boards below; any folder of targets/boards/
#
# Per board: configure build/fw-<board> (targets/CMakeLists.txt), build it
# (-j2 unless JOBS says otherwise), run ctest. Prints one summary line per
# board and exits non-zero if any board failed to configure, build or pass.
# First it builds the host's ealloc-replay (build/host-replay), for the test
# that replays the firmware demo's recorded trace.
# Environment: BUILD_ROOT (default <repo>/build), JOBS (default 2),
# CMAKE_ARGS (extra arguments for every configure, e.g. -DEALLOC_RISCV_MARCH=rv32imac_zbb).
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
build_root=${BUILD_ROOT:-$root/build}
jobs=${JOBS:-2}

if [ $# -eq 0 ]; then
    # The six tested boards; more variants live in targets/boards/ (e.g. riscv32-virt-zbb).
    set -- microbit mps2-an385 mps2-an386 mps2-an500 riscv32-virt riscv64-virt
fi

summary=""
failed=0
started=$(date +%s)

# The host's ealloc-replay: the firmware demo's recorded trace is replayed with it (a test of mps2-an386).
replay_dir=$build_root/host-replay
replay_args=
mkdir -p "$build_root"
if cmake -S "$root" -B "$replay_dir" -DCMAKE_BUILD_TYPE=Release -DEALLOC_BUILD_TESTS=OFF \
        -DEALLOC_BUILD_EXAMPLES=OFF >"$replay_dir.log" 2>&1 &&
    cmake --build "$replay_dir" -j "$jobs" --target ealloc-replay >>"$replay_dir.log" 2>&1; then
    replay_args=-DEALLOC_HOST_REPLAY=$replay_dir/bench/ealloc-replay
else
    tail -n 20 "$replay_dir.log"
    summary="host ealloc-replay: BUILD FAILED (log: $replay_dir.log)
"
    failed=1
fi
for board in "$@"; do
    board_started=$(date +%s)
    dir=$build_root/fw-$board
    log=$dir.log
    mkdir -p "$build_root"
    echo "=== $board: configure, build, test ($dir)"
    # shellcheck disable=SC2086 # CMAKE_ARGS is a list of words
    if ! cmake -S "$root/targets" -B "$dir" -DEALLOC_BOARD="$board" $replay_args ${CMAKE_ARGS:-} >"$log" 2>&1; then
        cat "$log"
        summary="$summary$board: CONFIGURE FAILED (log: $log)
"
        failed=1
        continue
    fi
    if ! cmake --build "$dir" -j "$jobs" >>"$log" 2>&1; then
        tail -n 40 "$log"
        summary="$summary$board: BUILD FAILED (log: $log)
"
        failed=1
        continue
    fi
    if ctest --test-dir "$dir" -j "$jobs" --output-on-failure >"$dir.ctest.log" 2>&1; then
        result=$(grep -E "tests passed" "$dir.ctest.log")
        summary="$summary$board: ok — $result ($(($(date +%s) - board_started)) s)
"
    else
        cat "$dir.ctest.log"
        result=$(grep -E "tests passed|tests failed" "$dir.ctest.log")
        summary="$summary$board: FAILED — ${result:-ctest did not run} (log: $dir.ctest.log)
"
        failed=1
    fi
done

echo
echo "=== firmware tests ($(($(date +%s) - started)) s)"
printf '%s' "$summary"
exit $failed
