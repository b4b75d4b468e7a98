#!/usr/bin/env bash
# tools/coverage.sh — line and branch coverage of src/ by the host tests.
#
# Builds the whole host test set with gcc --coverage (atomic counters: the thread
# tests run the library on several threads; no optimisation, so every
# branch in the source is a branch in the object), runs every test, and
# reports src/ with gcovr: a summary per file on stdout and in
# build/coverage/summary.txt, the uncovered lines and branches in
# build/coverage/uncovered.txt, and an HTML report with annotated sources in
# build/coverage/index.html.
#
#   COVERAGE_BUILD      build folder (default build/coverage-build)
#   COVERAGE_OUT        report folder (default build/coverage)
#   COVERAGE_MIN_LINES  fail below this line coverage of src/ (default 100)
#   COVERAGE_MIN_BRANCHES  ... and below this branch coverage (default 95)
#   COVERAGE_CHECKERS   1 (default): also the memory checkers' builds, in
#                       <COVERAGE_BUILD>-asan and <COVERAGE_BUILD>-valgrind; 0: not
#
# The library is compiled in several configurations (default, tests/config,
# hardened, small TLSF blocks, both bit-scan paths, and with EA_ASAN and
# EA_VALGRIND in two more builds); gcovr merges them per source line, so a line
# counts as covered when any configuration runs it.
# Branches gcc adds for code that has no branch in the source
# (--exclude-unreachable-branches) are not counted.
set -euo pipefail
cd "$(dirname "$0")/.."

build=${COVERAGE_BUILD:-build/coverage-build}
out=${COVERAGE_OUT:-build/coverage}
min_lines=${COVERAGE_MIN_LINES:-100}
min_branches=${COVERAGE_MIN_BRANCHES:-95}
checkers=${COVERAGE_CHECKERS:-1}
case $checkers in
    0 | 1) ;;
    *) echo "coverage: COVERAGE_CHECKERS must be 0 or 1, not '$checkers'" >&2; exit 2 ;;
esac

command -v gcovr >/dev/null || { echo "coverage: gcovr is missing: apt-get install -y gcovr" >&2; exit 1; }

# The hot helpers are always_inline; inlined at -O0 with --coverage, each copy's branches
# count at every call site, under the caller's line. Where src/heap_common.h lets
# EA_ALWAYS_INLINE be overridden, they are built as the ordinary functions they are.
flags="--coverage -fprofile-update=atomic -O0"
if grep -q "ifndef EA_ALWAYS_INLINE" src/heap_common.h; then
    flags="$flags -DEA_ALWAYS_INLINE="
fi

# coverage_run <folder> <extra C and link flags> <ctest -R regex, or ""> [cmake args...]:
# configure and build the host tests there, then run them (those the regex names).
coverage_run() {
    local dir=$1 extra=$2 tests=$3
    shift 3
    echo "== coverage: building the host tests with gcc --coverage${extra:+ $extra} in $dir"
    cmake -S . -B "$dir" -DCMAKE_C_COMPILER=gcc -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS="$flags $extra" \
        -DCMAKE_EXE_LINKER_FLAGS="--coverage $extra" -DEALLOC_BUILD_EXAMPLES=OFF -DEALLOC_BUILD_BENCH=OFF \
        -DEALLOC_MODEL_OPS=200000 -DEALLOC_THREAD_OPS=100000 "$@" >/dev/null
    cmake --build "$dir" -j"${JOBS:-2}" >/dev/null
    find "$dir" -name '*.gcda' -delete
    echo "== coverage: running the tests${tests:+ named by /$tests/}"
    (cd "$dir" && ctest -j"${JOBS:-2}" --output-on-failure ${tests:+-R "$tests" -E "^config_"} >ctest.log 2>&1) || {
        tail -40 "$dir/ctest.log"
        echo "coverage: tests failed (log: $dir/ctest.log)"
        exit 1
    }
    grep -E "tests passed|tests failed" "$dir/ctest.log"
}

# Every host test, over the library in every configuration the tests build.
coverage_run "$build" "" ""
# The memory checkers' code (src/shadow.h and what uses it) compiles only in their builds: the
# tests that build the library with EA_ASAN (under AddressSanitizer) and with EA_VALGRIND (each
# test under memcheck, as make test's stages run them). The configure-time refusals among them
# compile nothing to count and are not run; the preloaded library's tests run, but its -O2
# objects are left out below.
builds=("$build")
if [ "$checkers" = 1 ]; then
    command -v valgrind >/dev/null || { echo "coverage: valgrind is missing: apt-get install -y valgrind (or COVERAGE_CHECKERS=0)" >&2; exit 1; }
    coverage_run "$build-asan" "-fsanitize=address -fno-omit-frame-pointer" "asan" -DEALLOC_TEST_PRELOAD=OFF
    coverage_run "$build-valgrind" "" "valgrind|memcheck" -DEALLOC_TEST_PRELOAD=OFF -DEALLOC_MODEL_CHECK_EVERY=7 \
        "-DEALLOC_TEST_LAUNCHER=valgrind;-q;--error-exitcode=99;--exit-on-first-error=yes;--leak-check=full"
    builds+=("$build-asan" "$build-valgrind")
fi

# src/bitscan.h defines fls_size/ffs_size three times (instruction and two fallbacks, under #if),
# and the builds that use them put them on different lines. gcovr 6 merges that with
# --merge-mode-functions=separate; gcovr 5 (Debian 12) stops on an assertion instead, so
# there it runs with its function merge told to keep the first definition (the line and
# branch figures, which are what this script reports, are unaffected).
run_gcovr() {
    if gcovr --help | grep -q -- --merge-mode-functions; then
        gcovr --merge-mode-functions=separate "$@"
    else
        "$(sed -n '1s/^#! *//p' "$(command -v gcovr)")" -c '
import sys
import gcovr.merging as merging
_merge = merging.merge_function
def merge_function(left, right, options):
    return left if left.lineno != right.lineno else _merge(left, right, options)
merging.merge_function = merge_function
from gcovr.__main__ import main
sys.exit(main())' "$@"
    fi
}

# Objects no test ran (the top-level library, whose back-ends the tests use through
# their own copies; the LD_PRELOAD library, built with other flags) have notes but no
# counts: they would only add their own idea of which lines hold code, counted 0.
find "${builds[@]}" -name '*.gcno' | while read -r notes; do
    [ -e "${notes%.gcno}.gcda" ] || rm -f "$notes"
done

rm -rf "$out"
mkdir -p "$out"
# The LD_PRELOAD library is built with -O2 (preload/CMakeLists.txt): its objects' line and
# branch tables are the optimiser's, not the source's. The same sources run in the tests'
# own -O0 copies.
gcovr_args=(--root . --filter 'src/' --exclude-unreachable-branches --exclude-directories '.*/preload(/.*)?$' "${builds[@]}")
run_gcovr "${gcovr_args[@]}" --html-details "$out/index.html" --html-title "ealloc: coverage of src/" >/dev/null
run_gcovr "${gcovr_args[@]}" --txt "$out/summary.txt" --print-summary | tail -3 >"$out/totals.txt"
run_gcovr "${gcovr_args[@]}" --branches --txt "$out/branches.txt" >/dev/null
run_gcovr "${gcovr_args[@]}" --json "$out/coverage.json" >/dev/null

# Every line and branch left uncovered, by file and line.
python3 - "$out/coverage.json" >"$out/uncovered.txt" <<'EOF'
import json, sys
data = json.load(open(sys.argv[1]))
for f in sorted(data["files"], key=lambda f: f["file"]):
    for line in f["lines"]:
        if line.get("gcovr/noncode"):
            continue
        if line["count"] == 0:
            print("%s:%d: line never run" % (f["file"], line["line_number"]))
        for i, b in enumerate(line["branches"]):
            if b["count"] == 0:
                print("%s:%d: branch %d never taken" % (f["file"], line["line_number"], i))
EOF

echo "== coverage of src/ (HTML: $out/index.html)"
sed -n '/^File/,$p' "$out/summary.txt" | grep -v '^-*$' || true
cat "$out/totals.txt"
n_uncovered=$(wc -l <"$out/uncovered.txt")
echo "   $n_uncovered uncovered lines and branches, listed in $out/uncovered.txt"

lines=$(sed -n 's/^lines: *\([0-9.]*\)%.*/\1/p' "$out/totals.txt")
branches=$(sed -n 's/^branches: *\([0-9.]*\)%.*/\1/p' "$out/totals.txt")
if python3 -c "import sys; sys.exit(0 if float('$lines') >= $min_lines and float('$branches') >= $min_branches else 1)"; then
    echo "coverage: lines $lines% (>= $min_lines%), branches $branches% (>= $min_branches%)"
else
    echo "coverage: BELOW THE GOAL: lines $lines% (goal $min_lines%), branches $branches% (goal $min_branches%)"
    exit 1
fi
