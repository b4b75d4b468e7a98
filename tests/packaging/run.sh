#!/usr/bin/env bash
# tests/packaging/run.sh WORKDIR
#
# Shows that ealloc drops into other builds three ways: installed and found
# with find_package, embedded with add_subdirectory, and installed and used
# through pkg-config by a plain compiler command. Each consumer must build and
# run. Prints "N passed, N failed".
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

step install install_ealloc
step find_package find_package_consumer
step add_subdirectory subdirectory_consumer
step pkg-config pkg_config_consumer
echo "packaging: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
