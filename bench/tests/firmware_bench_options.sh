#!/bin/sh
# The options of bench/run-firmware-bench.sh that it must refuse, before it builds anything:
# each must end with status 2 and say why. No toolchain is needed: the refusals come first.
set -u
script=$(cd "$(dirname "$0")/.." && pwd)/run-firmware-bench.sh
failed=0

expect_refusal() { # message-regex, options...
    want=$1
    shift
    out=$("$script" "$@" 2>&1)
    status=$?
    if [ "$status" -ne 2 ] || ! printf '%s\n' "$out" | grep -Eq -- "$want"; then
        echo "FAIL: run-firmware-bench.sh $*: status $status, output: $out"
        failed=1
    else
        echo "ok   run-firmware-bench.sh $*: $out"
    fi
}

expect_refusal 'unknown option --frobnicate' --frobnicate
expect_refusal '--board is mps2-an386, riscv32-virt\[-zbb\] or riscv64-virt\[-zbb\], not mps2-an385' --board mps2-an385
expect_refusal '--cpu and --cc are for the Arm board' --board riscv32-virt --cpu cortex-m0plus
expect_refusal '--cpu and --cc are for the Arm board' --cpu cortex-m0plus --board riscv32-virt-zbb
expect_refusal '--cpu and --cc are for the Arm board' --cc clang --board riscv32-virt
expect_refusal '--cc is clang \(left out: GCC\), not tcc' --cc tcc
exit $failed
