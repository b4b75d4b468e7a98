#!/usr/bin/env bash
# tests/soak/run.sh — the long soak: the randomized model test
# (tests/model/model_test.c) for many operations on every back-end.
#
#   SOAK_OPS          operations per run (default 100000000)
#   SOAK_SEED         the seed (default 20261125; any value replays exactly)
#   SOAK_CHECK_EVERY  run check() every N operations (default 1000)
#   SOAK_BUILD        build folder (default build/soak)
#   SOAK_SANITIZE     1: build with ASan + UBSan (about 5x slower); default 0: gcc -O2
#   SOAK_CONFIGS      "default config" (default): the default configuration and the
#                     unusual one of tests/config/test_config.h (model_<kind>_config)
#
# Each run prints its seed, its failed allocations and the peak it reached; a
# failed run names the operation and the seed. The figures go to docs/reliability.md.
set -euo pipefail
cd "$(dirname "$0")/../.."

ops=${SOAK_OPS:-100000000}
seed=${SOAK_SEED:-20261125}
every=${SOAK_CHECK_EVERY:-1000}
build=${SOAK_BUILD:-build/soak}
configs=${SOAK_CONFIGS:-default config}
flags="-O2"
if [ "${SOAK_SANITIZE:-0}" = 1 ]; then
    flags="-O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer"
fi

kinds="llff"
[ -f src/tlsf.c ] && kinds="llff tlsf"
targets=()
for kind in $kinds; do
    for config in $configs; do
        case $config in
            default) targets+=("model_$kind") ;;
            config) targets+=("model_${kind}_config") ;;
            *) echo "soak: unknown configuration '$config'" >&2; exit 2 ;;
        esac
    done
done

echo "== soak: $ops operations per run, seed $seed, check every $every ($flags)"
cmake -S . -B "$build" -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS="$flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$flags" -DEALLOC_BUILD_EXAMPLES=OFF -DEALLOC_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" -j"${JOBS:-2}" --target "${targets[@]}" >/dev/null

for target in "${targets[@]}"; do
    log=$build/$target.log
    start=$(date +%s%N)
    if ! "$build/tests/$target" --ops "$ops" --seed "$seed" --check-every "$every" >"$log" 2>&1; then
        cat "$log"
        echo "soak: $target FAILED (seed $seed; log $log)"
        exit 1
    fi
    ms=$((($(date +%s%N) - start) / 1000000))
    rate=$((ops * 1000 / (ms > 0 ? ms : 1)))
    summary=$(grep -o "[0-9]* failed allocations, peak used [0-9]* of [0-9]*" "$log" | tail -1)
    printf '   ok   %-18s %d ms, %d operations/s; %s\n' "$target" "$ms" "$rate" "$summary"
done
echo "soak: passed"
