#!/usr/bin/env bash
# tools/install-deps.sh GROUP...
#
# Makes sure the Debian packages a task needs are installed. Running as root,
# it installs what is missing with apt-get; otherwise it prints the exact
# apt-get line to run and fails. Groups: demo, test, firmware, bench.
set -euo pipefail

packages_for() {
    case "$1" in
        demo) echo "cmake make gcc" ;;
        test) echo "cmake make gcc clang pkg-config libcmocka-dev valgrind gcc-multilib libclang-rt-14-dev \
                    gcc-arm-none-eabi libnewlib-arm-none-eabi gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf python3 xz-utils \
                    binutils-powerpc-linux-gnu libc6-dev-powerpc-cross libgcc-12-dev-powerpc-cross qemu-user \
                    clang-tidy cppcheck" ;;
        firmware) echo "qemu-system-arm qemu-system-misc gcc-arm-none-eabi libnewlib-arm-none-eabi \
                        gcc-riscv64-unknown-elf" ;;
        bench) echo "python3" ;;
        coverage) echo "cmake make gcc gcovr libcmocka-dev pkg-config valgrind" ;;
        *) echo "install-deps: unknown group '$1'" >&2; exit 2 ;;
    esac
}

wanted=()
for group in "$@"; do
    for p in $(packages_for "$group"); do wanted+=("$p"); done
    # Groups may add packages listed by the part of the tree that needs them.
    if [ "$group" = firmware ] && [ -f "$(dirname "$0")/../targets/PACKAGES" ]; then
        while read -r p; do [ -n "$p" ] && [ "${p#\#}" = "$p" ] && wanted+=("$p"); done \
            < "$(dirname "$0")/../targets/PACKAGES"
    fi
done

missing=()
for p in $(printf '%s\n' "${wanted[@]}" | sort -u); do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || echo "install-deps: apt-get update failed; trying the package lists at hand"
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
    echo "install-deps: missing Debian packages. Run:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi
