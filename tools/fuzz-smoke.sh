#!/usr/bin/env bash
# tools/fuzz-smoke.sh — build the libFuzzer harnesses (tests/fuzz/) with clang,
# prove they can fail, then fuzz each back-end.
#
#   FUZZ_SECONDS   seconds of fuzzing per harness (default 60; make fuzz: 300)
#   FUZZ_BUILD     build folder (default build/fuzz, or build/fuzz-<definitions>)
#   FUZZ_DEFINITIONS  configuration of the library under test, a CMake list
#                  (e.g. "EA_HARDENED=1;EA_POISON=1"); default: the default configuration
#   FUZZ_CC        the compiler (default clang-14, else clang)
#   FUZZ_BACKENDS  back-ends to fuzz (default "llff tlsf")
#   FUZZ_CONTROLS  1 (default): run the negative controls first; 0: skip them
#   FUZZ_MEMCHECK  1: the harnesses without sanitizers over a library built with
#                  EA_VALGRIND, each run under valgrind's memcheck (some 100
#                  executions a second instead of thousands); the negative
#                  controls are then fuzz_<kind>_broken5, which reads a byte of a
#                  freed block: memcheck must report it
#   FUZZ_COVERAGE  1: afterwards, replay each corpus through a build with clang's
#                  source-based coverage and report the lines and branches of src/
#                  it reaches (llvm-cov; report in $FUZZ_BUILD-profile/<kind>.txt)
#
# 1. Negative controls: each fuzz_<kind>_broken<n> is the harness over a table
#    that misbehaves on purpose (an overlapping block, a byte of another block
#    changed, the used counter off, a damaged header). Started from an empty
#    corpus, each must make the fuzzer report a failure within
#    FUZZ_CONTROL_SECONDS (default 60); one that runs clean fails the script.
# 2. Fuzzing: fuzz_<kind> from the seed corpus (tests/fuzz/corpus/<kind>,
#    never written to: new inputs go to $FUZZ_BUILD/work/<kind>) for
#    FUZZ_SECONDS; then fuzz_tlsf_small_blocks, tlsf with a 4 KiB largest block,
#    from tlsf's corpus. Any crash, sanitizer report, model mismatch or hang fails
#    the script; the input is kept in $FUZZ_BUILD/artifacts/ and replays with
#        $FUZZ_BUILD/fuzz_<kind> <input>          (FUZZ_TRACE=1 prints every call)
# Each run's log, with libFuzzer's final statistics, is in $FUZZ_BUILD/logs/.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${FUZZ_SECONDS:-60}
definitions=${FUZZ_DEFINITIONS:-}
memcheck=${FUZZ_MEMCHECK:-0}
build=${FUZZ_BUILD:-build/fuzz$(if [ -n "$definitions" ]; then echo "-$definitions" | tr -c 'A-Za-z0-9\n-' '_'; fi)$(if [ "$memcheck" = 1 ]; then echo -memcheck; fi)}
backends=${FUZZ_BACKENDS:-llff tlsf}
controls=${FUZZ_CONTROLS:-1}
control_seconds=${FUZZ_CONTROL_SECONDS:-60}
cc=${FUZZ_CC:-$(command -v clang-14 || command -v clang)}
# Each run's command before the harness, and libFuzzer's limit on one input.
launcher=()
unit_timeout=10
if [ "$memcheck" = 1 ]; then
    launcher=(valgrind -q --error-exitcode=99 --exit-on-first-error=yes)
    unit_timeout=120
fi

echo "== fuzz: building the harnesses with $cc in $build${definitions:+ ($definitions)}$(if [ "$memcheck" = 1 ]; then echo ", to run under memcheck"; fi)"
cmake -S tests/fuzz -B "$build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE= -DEALLOC_FUZZ_MEMCHECK="$memcheck" \
    -DEALLOC_FUZZ_BACKENDS="${backends// /;}" -DEALLOC_FUZZ_DEFINITIONS="$definitions" >/dev/null
cmake --build "$build" -j"${JOBS:-2}" >/dev/null
mkdir -p "$build/logs" "$build/artifacts"

# Pull libFuzzer's final figures out of a log.
figures() {
    local log=$1
    local execs rate cov ft corp
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
    cov=$(grep -Eo 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    ft=$(grep -Eo 'ft: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
    corp=$(grep -Eo 'corp: [0-9]+/[0-9]+[a-zA-Z]*' "$log" | tail -1 | cut -d' ' -f2)
    echo "${execs:-?} executions (${rate:-?}/s), cov ${cov:-?}, ft ${ft:-?}, corpus ${corp:-?}"
}

# The negative controls, and what must catch them: the model, or under memcheck memcheck itself.
control_numbers="1 2 3 4"
caught="^ealloc fuzz"
catcher="the model"
if [ "$memcheck" = 1 ]; then
    control_numbers=5
    caught="Invalid read of size"
    catcher=memcheck
fi

failed=0
if [ "$controls" = 1 ]; then
    echo "== fuzz: negative controls (each must be caught by $catcher within ${control_seconds}s)"
    for kind in $backends; do
        for n in $control_numbers; do
            name=fuzz_${kind}_broken$n
            empty=$(mktemp -d)
            log=$build/logs/$name.log
            start=$(date +%s%N)
            if "${launcher[@]}" "$build/$name" "$empty" -seed=1 -max_total_time="$control_seconds" \
                -timeout="$unit_timeout" -artifact_prefix="$empty/" -print_final_stats=1 >"$log" 2>&1; then
                echo "   FAIL $name: ran ${control_seconds}s and caught nothing"
                failed=1
            elif grep -q "$caught" "$log"; then
                took=$((($(date +%s%N) - start) / 1000000))
                execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
                printf '   ok   %-20s caught after %6d ms, %6s executions: %s\n' "$name" "$took" "${execs:-?}" \
                    "$(grep -m1 "$caught" "$log" | sed 's/^ealloc fuzz ([a-z]*): //; s/^==[0-9]*== //' | cut -c1-80)"
            else
                echo "   FAIL $name: failed, but not through $catcher (see $log)"
                failed=1
            fi
            rm -rf "$empty"
        done
    done
fi

# Each back-end, and tlsf again with a 4 KiB largest block (regions cut into pieces).
harnesses=$backends
[[ " $backends " == *" tlsf "* ]] && harnesses="$harnesses tlsf_small_blocks"
echo "== fuzz: ${seconds}s per harness from the seed corpus"
for kind in $harnesses; do
    work=$build/work/$kind
    log=$build/logs/fuzz_$kind.log
    mkdir -p "$work"
    if "${launcher[@]}" "$build/fuzz_$kind" "$work" "tests/fuzz/corpus/${kind%_small_blocks}" -max_total_time="$seconds" \
        -timeout="$unit_timeout" -max_len=4096 -print_final_stats=1 -artifact_prefix="$build/artifacts/$kind-" >"$log" 2>&1; then
        echo "   ok   fuzz_$kind: $(figures "$log")"
    else
        echo "   FAIL fuzz_$kind: $(figures "$log")"
        grep -E "^ealloc fuzz|ERROR|SUMMARY|Test unit written|^==[0-9]+== [A-Z]" "$log" | head -5 | sed 's/^/        /'
        failed=1
    fi
done

if [ "${FUZZ_COVERAGE:-0}" = 1 ]; then
    profile_build=$build-profile
    llvm_suffix=$(basename "$cc" | sed -n 's/^clang//p')
    echo "== fuzz: the lines and branches of src/ each corpus reaches (llvm-cov$llvm_suffix)"
    cmake -S tests/fuzz -B "$profile_build" -DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE= -DEALLOC_FUZZ_PROFILE=ON \
        -DEALLOC_FUZZ_BACKENDS="${backends// /;}" -DEALLOC_FUZZ_DEFINITIONS="$definitions" >/dev/null
    for kind in $backends; do
        cmake --build "$profile_build" -j"${JOBS:-2}" --target "fuzz_$kind" >/dev/null
        rm -f "$profile_build"/$kind-*.profraw
        LLVM_PROFILE_FILE="$profile_build/$kind-%p.profraw" "$profile_build/fuzz_$kind" -runs=0 \
            "$build/work/$kind" "tests/fuzz/corpus/$kind" >"$profile_build/$kind-replay.log" 2>&1
        "llvm-profdata$llvm_suffix" merge -sparse "$profile_build"/$kind-*.profraw -o "$profile_build/$kind.profdata"
        "llvm-cov$llvm_suffix" report "$profile_build/fuzz_$kind" -instr-profile="$profile_build/$kind.profdata" \
            src/*.c src/*.h >"$profile_build/$kind.txt"
        echo "   fuzz_$kind corpus ($(ls "$build/work/$kind" | wc -l) + $(ls "tests/fuzz/corpus/$kind" | wc -l) inputs):"
        sed -n '1p;/^TOTAL/p' "$profile_build/$kind.txt" | sed 's/^/        /'
    done
fi

if [ "$failed" != 0 ]; then
    echo "fuzz: FAILED (logs in $build/logs)"
    exit 1
fi
echo "fuzz: passed"
