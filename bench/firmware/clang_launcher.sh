#!/bin/sh
# The C compiler launcher of the benchmarked library copies when the benchmark
# is asked for clang (run-firmware-bench.sh --cc clang, EALLOC_FW_BENCH_CC):
# CMake runs "clang_launcher.sh CLANG NEWLIB_INCLUDE arm-none-eabi-gcc ARGS..."; the
# library is compiled by clang instead, with the build's own flags (-mcpu,
# -mfloat-abi, -Os, warnings), and linked into images that GCC builds.
#   -fshort-enums        GCC's arm-none-eabi ABI (Tag_ABI_enum_size small): an
#                        enum is as wide on both sides of a call
#   -fomit-frame-pointer what GCC does at -Os; clang keeps r7 as a frame
#                        pointer on this target unless told
#   -isystem             newlib's headers (<string.h>), which clang has none of
set -eu
clang=$1
newlib_include=$2
shift 3 # clang, the include folder and the build's own compiler
exec "$clang" --target=arm-none-eabi -fshort-enums -fomit-frame-pointer -isystem "$newlib_include" "$@"
