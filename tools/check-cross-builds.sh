#!/usr/bin/env bash
# Compiles the library for the embedded targets with every warning an error:
# Cortex-M0+, M4 and M7 (Thumb), a big-endian Cortex-M4 and RV32IMAC, each
# with the port it would use there and with the "none" port, in a tracing
# build (EA_TRACE=1) and in a build for flash (EA_TLSF_SMALL_CODE=1); and the Cortex-M3
# and M4 with the class bits through the bit-band alias (EA_TLSF_BITBAND=1), with gcc and
# clang. Compile only:
# running on those cores is the firmware tests' job. Last, docs/size.md must be
# what `make size` gives for this tree (it is generated; a change that moves a
# size regenerates it).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

flags="-std=c11 -Os -Wall -Wextra -Wconversion -Wsign-conversion -Wcast-align -Wshadow -Wpedantic
       -Wstrict-prototypes -Wmissing-prototypes -Werror -ffreestanding -Iinclude -Isrc"
sources=$(printf '%s\n' src/*.c | grep -v panic_hosted) # panic_hosted.c needs a hosted C library
targets=(
    "arm-none-eabi-gcc|cortex-m|-mcpu=cortex-m0plus -mthumb"
    "arm-none-eabi-gcc|cortex-m|-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"
    "arm-none-eabi-gcc|cortex-m|-mcpu=cortex-m7 -mthumb"
    "arm-none-eabi-gcc|cortex-m|-mcpu=cortex-m4 -mthumb -mbig-endian"
    "riscv64-unknown-elf-gcc --specs=picolibc.specs|riscv|-march=rv32imac -mabi=ilp32"
    "riscv64-unknown-elf-gcc --specs=picolibc.specs|riscv|-march=rv32imac_zbb -mabi=ilp32"
    "riscv64-unknown-elf-gcc --specs=picolibc.specs|riscv|-march=rv64imac -mabi=lp64"
)
count=0
for t in "${targets[@]}"; do
    IFS='|' read -r cc port arch <<<"$t"
    # The target's port and "none"; the tracing build with the target's port; and, with it too,
    # tlsf.c built for flash (the only source EA_TLSF_SMALL_CODE changes).
    for variant in "$port||" "none||" "$port|-DEA_TRACE=1|" "$port|-DEA_TLSF_SMALL_CODE=1|src/tlsf.c"; do
        IFS='|' read -r p extra only <<<"$variant"
        for src in ${only:-$sources}; do
            # shellcheck disable=SC2086
            $cc $flags $arch $extra -Iports/$p -c "$src" -o "$out/$(basename "$src" .c).o"
            count=$((count + 1))
        done
    done
    echo "   ok  $cc $arch"
done
# The class bits through the bit-band alias (EA_TLSF_BITBAND): only on little-endian ARMv7-M,
# the Cortex-M3 and M4 (config.h refuses it elsewhere; tests/config checks that).
for arch in "-mcpu=cortex-m3 -mthumb" "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16"; do
    for p in cortex-m none; do
        for src in $sources; do
            # shellcheck disable=SC2086
            arm-none-eabi-gcc $flags $arch -DEA_TLSF_BITBAND=1 -Iports/$p -c "$src" -o "$out/$(basename "$src" .c).o"
            count=$((count + 1))
        done
    done
    echo "   ok  arm-none-eabi-gcc $arch -DEA_TLSF_BITBAND=1"
done
# The same with clang, the other compiler the library must be clean under (the C library's
# headers from the Arm toolchain's newlib).
newlib_include=$(echo '#include <string.h>' | arm-none-eabi-gcc -E -x c - | sed -n 's/^# [0-9]* "\(.*\)\/string\.h".*/\1/p' | head -1)
for target in "thumbv7m-none-eabi -mcpu=cortex-m3" "thumbv7em-none-eabi -mcpu=cortex-m4"; do
    for src in $sources; do
        # shellcheck disable=SC2086
        clang --target=$target $flags -isystem "$newlib_include" -DEA_TLSF_BITBAND=1 -Iports/cortex-m -c "$src" \
            -o "$out/$(basename "$src" .c).o"
        count=$((count + 1))
    done
    echo "   ok  clang --target=$target -DEA_TLSF_BITBAND=1"
done
echo "cross builds: $count objects compiled, no warnings"
tools/size-report.sh "$out/size.md" >/dev/null
if ! diff -u docs/size.md "$out/size.md"; then
    echo "docs/size.md is not what make size gives for this tree: run make size and commit it" >&2
    exit 1
fi
echo "   ok  docs/size.md is what make size gives"
