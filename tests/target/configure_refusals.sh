#!/bin/sh
# Settings the firmware project (targets/CMakeLists.txt, bench/firmware/BenchFirmware.cmake) must
# refuse when it is configured for one board: each must stop cmake with a non-zero status and an
# error that says why. Run by ctest in that board's build (targets/CMakeLists.txt).
#
#   configure_refusals.sh <cmake> <targets dir> <scratch dir> <board> <arch: cortex-m|riscv> <bench board: ON|OFF>
set -u
cmake=$1 targets=$2 scratch=$3 board=$4 arch=$5 bench_board=$6
toolchains=$targets/toolchains
failed=0
case=0

expect_refusal() { # message-regex, cmake arguments...
    want=$1
    shift
    case=$((case + 1))
    dir=$scratch/case$case
    rm -rf "$dir"
    env PATH="${cmake_path:-$PATH}" "$cmake" -S "$targets" -B "$dir" "$@" >"$dir.log" 2>&1
    status=$?
    # cmake wraps its messages: one line with single spaces before matching.
    out=$(tr '\n' ' ' <"$dir.log" | tr -s ' ')
    if [ "$status" -eq 0 ] || ! printf '%s\n' "$out" | grep -Eq -- "CMake Error.*$want"; then
        echo "FAIL: cmake $*: status $status, output: $out"
        failed=1
    else
        echo "ok   cmake $*: status $status, \"$(printf '%s\n' "$out" | grep -Eo -- "$want")\""
    fi
}

rm -rf "$scratch"
mkdir -p "$scratch"
echo "the firmware project for $board ($arch) must refuse:"

expect_refusal 'set EALLOC_BOARD to one of: microbit;.*riscv32-virt;' -DEALLOC_BOARD=no-such-board
expect_refusal 'set EALLOC_BOARD to one of:' -DEALLOC_BOARD=

# The other architecture's compiler: found out after project(), before anything is built for it.
if [ "$arch" = cortex-m ]; then
    expect_refusal "board $board needs the arm-none-eabi toolchain" -DEALLOC_BOARD="$board" \
        -DCMAKE_TOOLCHAIN_FILE="$toolchains/riscv32-elf.cmake"
else
    expect_refusal "board $board needs a RISC-V toolchain" -DEALLOC_BOARD="$board" \
        -DCMAKE_TOOLCHAIN_FILE="$toolchains/arm-none-eabi.cmake"
fi

# The benchmark firmware (-DEALLOC_FW_BENCH=ON) and its options.
bench="-DEALLOC_BOARD=$board -DEALLOC_FW_BENCH=ON"
if [ "$bench_board" != ON ]; then
    # shellcheck disable=SC2086 # $bench is a list of words
    expect_refusal "EALLOC_BOARD=$board has neither" $bench
elif [ "$arch" = cortex-m ]; then
    # shellcheck disable=SC2086
    expect_refusal "clang, on the Arm boards, is the one other compiler the benchmark builds with \(not 'tcc' on cortex-m\)" \
        $bench -DEALLOC_FW_BENCH_CC=tcc
    # No clang where cmake looks: the board's tools alone on PATH, the system's folders ignored.
    tools=$scratch/arm-tools-only
    mkdir -p "$tools"
    for tool in "$(command -v make)" "$(dirname "$(command -v arm-none-eabi-gcc)")"/arm-none-eabi-*; do
        ln -sf "$tool" "$tools/"
    done
    cmake_path=$tools
    # shellcheck disable=SC2086
    expect_refusal 'EALLOC_FW_BENCH_CC=clang: no clang found' $bench -DEALLOC_FW_BENCH_CC=clang \
        "-DCMAKE_IGNORE_PATH=/usr/local/bin;/usr/bin;/bin"
    # clang found, but the board's GCC shows it no newlib headers to borrow: a GCC that searches none.
    ln -sf "$(command -v clang)" "$tools/"
    rm -f "$tools/arm-none-eabi-gcc"
    printf '#!/bin/sh\nexec %s -nostdinc "$@"\n' "$(command -v arm-none-eabi-gcc)" >"$tools/arm-none-eabi-gcc"
    chmod +x "$tools/arm-none-eabi-gcc"
    # shellcheck disable=SC2086
    expect_refusal "EALLOC_FW_BENCH_CC=clang: newlib's <string.h> not found through $tools/arm-none-eabi-gcc" \
        $bench -DEALLOC_FW_BENCH_CC=clang "-DCMAKE_IGNORE_PATH=/usr/local/bin;/usr/bin;/bin"
    cmake_path=
else
    # shellcheck disable=SC2086
    expect_refusal "clang, on the Arm boards, is the one other compiler the benchmark builds with \(not 'clang' on riscv\)" \
        $bench -DEALLOC_FW_BENCH_CC=clang
    # shellcheck disable=SC2086
    expect_refusal 'EALLOC_FW_BENCH_CPU: another -mcpu= is for the Arm boards' $bench -DEALLOC_FW_BENCH_CPU=cortex-m0plus
fi
exit $failed
