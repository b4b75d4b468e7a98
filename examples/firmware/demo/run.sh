#!/bin/sh
# Build the firmware demo (examples/firmware/demo/demo.c) for the mps2-an386
# board and run it under QEMU: what `make demo` does.
#
#   examples/firmware/demo/run.sh
#
# Uses the firmware build directory of tools/firmware-tests.sh
# ($BUILD_ROOT/fw-mps2-an386, BUILD_ROOT defaulting to <repo>/build), so the
# two share their objects. Needs arm-none-eabi-gcc and qemu-system-arm
# (targets/PACKAGES). Exits with the demo's status.
set -eu

root=$(cd "$(dirname "$0")/../../.." && pwd)
build=${BUILD_ROOT:-$root/build}/fw-mps2-an386
log=$build.demo.log

mkdir -p "$(dirname "$build")"
echo "building the demo in $build (log: $log)"
if ! { cmake -S "$root/targets" -B "$build" -DEALLOC_BOARD=mps2-an386 &&
       cmake --build "$build" -j "${JOBS:-2}" --target demo; } >"$log" 2>&1; then
    tail -n 30 "$log"
    echo "demo: build failed (log: $log)" >&2
    exit 1
fi
exec sh "$build/examples/demo/run-demo.sh"
