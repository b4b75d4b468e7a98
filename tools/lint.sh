#!/usr/bin/env bash
# tools/lint.sh — static analysis of src/ and include/ (and the host port's code):
# clang-tidy (checks in .clang-tidy), cppcheck and gcc -fanalyzer. Any finding
# fails the script. Each tool first runs on a small file with planted bugs and
# must report it (the negative control), so a tool that silently checks
# nothing fails too.
#
# The sources are analysed in several configurations, so code under #if is
# seen as well: the default, hardened, poisoned, hardened + poisoned, the
# unusual one of tests/config (EA_ALIGN 32, no statistics, 4 TLSF lists, depth
# 1), the bit-scan fallback, the tracing build (EA_TRACE), and the builds that
# tell a memory checker (EA_ASAN, EA_VALGRIND); the malloc shim on both
# back-ends.
#
#   LINT_TOOLS   which tools to run (default "clang-tidy cppcheck analyzer")
set -euo pipefail
cd "$(dirname "$0")/.."

tools=${LINT_TOOLS:-clang-tidy cppcheck analyzer}
tidy=$(command -v clang-tidy-14 || command -v clang-tidy || true)
gcc=${LINT_GCC:-gcc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

sources=(src/*.c)
includes=(-Iinclude -Isrc)
# name|definitions
configs=(
    "default|"
    "hardened|-DEA_HARDENED=1"
    "poison|-DEA_POISON=1"
    "hardened+poison|-DEA_HARDENED=1 -DEA_POISON=1"
    "tests/config|-DEA_ALIGN=32 -DEA_STATS=0 -DEA_TLSF_SL_LOG2=2 -DEA_TLSF_SEARCH_DEPTH=1 -DEA_TLSF_SMALL_CODE=1"
    "bitscan fallback|-DEA_BITSCAN_SOFT=1"
    "bitscan fallback, multiply|-DEA_BITSCAN_SOFT=1 -DEA_BITSCAN_MUL=1"
    "malloc on llff|-DEA_MALLOC_BACKEND=llff"
    "trace|-DEA_TRACE=1"
    "asan|-DEA_ASAN=1 -D__SANITIZE_ADDRESS__"
    "valgrind|-DEA_VALGRIND=1"
)

# The negative control: bugs each tool must report.
cat >"$work/control.c" <<'EOF'
#include <stdlib.h>
#include <string.h>
int lint_control(int n);
int lint_control(int n)
{
    int a[4] = {0, 1, 2, 3};
    char *p = malloc(16);
    if (p == NULL) {
        return 0;
    }
    memset(p, '0', 16); /* clang-tidy: bugprone-suspicious-memset-usage */
    free(p);
    a[n > 0 ? 4 : 0] = n; /* cppcheck: arrayIndexOutOfBounds */
    return p[0] + a[0];   /* gcc -fanalyzer, clang-analyzer: use after free */
}
EOF

failed=0
finding() {
    echo "   FINDING ($1): see above"
    failed=1
}

control() { # control <tool> <command...>: the command must fail on the planted bugs
    local tool=$1
    shift
    if "$@" >"$work/control.log" 2>&1; then
        echo "   FAIL $tool: the negative control (planted bugs) passed: the tool checks nothing"
        cat "$work/control.log"
        failed=1
        return 1
    fi
    echo "   ok   $tool catches the planted bugs of the negative control"
}

# ---- clang-tidy ------------------------------------------------------------------
if [[ " $tools " == *" clang-tidy "* ]]; then
    echo "== lint: clang-tidy ($tidy, checks in .clang-tidy)"
    [ -n "$tidy" ] || { echo "lint: clang-tidy is missing: apt-get install -y clang-tidy" >&2; exit 1; }
    control clang-tidy "$tidy" --quiet --config-file=.clang-tidy "$work/control.c" -- -std=c11 || true
    for config in "${configs[@]:0:5}" "${configs[7]}" "${configs[9]}" "${configs[10]}"; do
        IFS='|' read -r name defs <<<"$config"
        # shellcheck disable=SC2086
        if ! "$tidy" --quiet "${sources[@]}" -- -std=c11 "${includes[@]}" -Iports/none $defs \
            >"$work/tidy.log" 2>&1; then
            grep -E "warning:|error:" -A3 "$work/tidy.log" | grep -v "warnings generated" || cat "$work/tidy.log"
            finding "clang-tidy, $name"
        else
            echo "   ok   clang-tidy, $name: src/*.c and the headers they include"
        fi
    done
    if ! "$tidy" --quiet ports/pthread/ea_port.c -- -std=c11 "${includes[@]}" -Iports/pthread >"$work/tidy.log" 2>&1; then
        grep -E "warning:|error:" -A3 "$work/tidy.log"
        finding "clang-tidy, ports/pthread"
    else
        echo "   ok   clang-tidy, ports/pthread/ea_port.c"
    fi
fi

# ---- cppcheck --------------------------------------------------------------------
if [[ " $tools " == *" cppcheck "* ]]; then
    echo "== lint: cppcheck ($(cppcheck --version))"
    cppcheck_args=(--enable=warning,style,performance,portability --error-exitcode=1 --inline-suppr --std=c11
                   --suppress=missingIncludeSystem -UEALLOC_CONFIG_HEADER -q)
    control cppcheck cppcheck "${cppcheck_args[@]}" "$work/control.c" || true
    # Without -D, cppcheck tries the configurations it finds in the sources by itself.
    for config in "default (every configuration cppcheck finds)|" "${configs[@]:1:3}" "${configs[7]}" "${configs[9]}" "${configs[10]}"; do
        IFS='|' read -r name defs <<<"$config"
        # shellcheck disable=SC2086
        if ! cppcheck "${cppcheck_args[@]}" "${includes[@]}" -Iports/none $defs "${sources[@]}" \
            ports/pthread/ea_port.c; then
            finding "cppcheck, $name"
        else
            echo "   ok   cppcheck, $name"
        fi
    done
fi

# ---- gcc -fanalyzer --------------------------------------------------------------
if [[ " $tools " == *" analyzer "* ]]; then
    echo "== lint: $gcc -fanalyzer ($($gcc -dumpfullversion))"
    control "gcc -fanalyzer" "$gcc" -std=c11 -fanalyzer -Werror -c "$work/control.c" -o "$work/control.o" || true
    for config in "${configs[@]}"; do
        IFS='|' read -r name defs <<<"$config"
        ok=1
        for src in "${sources[@]}" ports/pthread/ea_port.c; do
            port=none
            [[ $src == ports/pthread/* ]] && port=pthread
            # shellcheck disable=SC2086
            if ! "$gcc" -std=c11 -O1 -fanalyzer -Werror "${includes[@]}" -Iports/$port $defs -c "$src" \
                -o "$work/out.o" 2>"$work/analyzer.log"; then
                cat "$work/analyzer.log"
                ok=0
            fi
        done
        if [ $ok = 1 ]; then
            echo "   ok   gcc -fanalyzer, $name"
        else
            finding "gcc -fanalyzer, $name"
        fi
    done
fi

if [ $failed != 0 ]; then
    echo "lint: FAILED"
    exit 1
fi
echo "lint: clean"
