#!/usr/bin/env bash
# tests/packaging/run.sh WORKDIR
#
# Shows that ealloc drops into other builds four ways: installed and found
# with find_package, embedded with add_subdirectory, installed and used
# through pkg-config by a plain compiler command, and its files copied into a
# program as the README lists them (per back-end). Each consumer must build
# and run. Prints "N passed, N failed".
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mkdir -p "$1" && cd "$1" && pwd)
rm -rf "${work:?}"/*
passed=0
failed=0

step() { # name command...
    local name=$1
    shift
    if "$@" >"$work/$name.log" 2>&1; then
        echo "   ok  $name"
        passed=$((passed + 1))
    else
        echo "   FAILED  $name (log: $work/$name.log)"
        tail -20 "$work/$name.log"
        failed=$((failed + 1))
    fi
}

install_ealloc() {
    cmake -S "$root" -B "$work/lib" -DCMAKE_BUILD_TYPE=Release -DEALLOC_BUILD_TESTS=OFF \
        -DEALLOC_BUILD_EXAMPLES=OFF -DEALLOC_BUILD_BENCH=OFF -DCMAKE_INSTALL_PREFIX="$work/prefix" &&
        cmake --build "$work/lib" -j2 && cmake --install "$work/lib" &&
        test -f "$work/prefix/include/ealloc/ea_port.h"
}
find_package_consumer() {
    cmake -S "$here/consumer" -B "$work/fp" -DCMAKE_PREFIX_PATH="$work/prefix" &&
        cmake --build "$work/fp" && "$work/fp/consumer"
}
subdirectory_consumer() {
    cmake -S "$here/consumer" -B "$work/sub" -DEALLOC_SOURCE_DIR="$root" &&
        cmake --build "$work/sub" -j2 && "$work/sub/consumer"
}
pkg_config_consumer() {
    local pcdir
    pcdir=$(dirname "$(find "$work/prefix" -name ealloc.pc | head -1)")
    # shellcheck disable=SC2046
    cc -std=c11 "$here/consumer/main.c" -o "$work/pc-consumer" \
        $(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags --libs ealloc) && "$work/pc-consumer"
}

# The files the README's "Copy the files" lists, and nothing else, built with the compiler alone.
copied_files_consumer() { # back-end
    local kind=$1 dir=$work/copied-$1 use_tlsf=0
    mkdir -p "$dir/include" "$dir/port" "$dir/src" &&
        cp -r "$root/include/ealloc" "$dir/include/" &&
        cp "$root/ports/none/ea_port.h" "$dir/port/" &&
        cp "$root/src/heap_common.h" "$root/src/shadow.h" "$root/src/heap_common.c" "$root/src/allocator_handle.h" \
            "$root/src/panic.c" \
            "$root/src/${kind}_internal.h" "$root/src/${kind}.c" "$root/src/${kind}_inspect.c" "$dir/src/" || return 1
    if [ "$kind" = tlsf ]; then
        cp "$root/src/bitscan.h" "$dir/src/" || return 1
        use_tlsf=1
    fi
    cc -std=c11 -Wall -Wextra -Werror -DUSE_TLSF=$use_tlsf -I"$dir/include" -I"$dir/port" -I"$dir/src" \
        "$dir"/src/*.c "$here/copied_consumer.c" -o "$dir/consumer" && "$dir/consumer"
}

step install install_ealloc
step find_package find_package_consumer
step add_subdirectory subdirectory_consumer
step pkg-config pkg_config_consumer
step copied-files-llff copied_files_consumer llff
step copied-files-tlsf copied_files_consumer tlsf
echo "packaging: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
