#!/bin/sh
# Run one firmware image under QEMU and judge the run (ctest calls this).
#
#   qemu-run.sh [--timeout SECONDS] [--expect-exit STATUS] [--expect-output EREGEX] -- QEMU-COMMAND...
#
# QEMU runs under timeout(1), with stdin from /dev/null so that -nographic
# never touches the terminal. Its output is printed once it has stopped.
# Passes (status 0) when QEMU's exit status — the firmware's own, through
# semihosting — equals --expect-exit (default 0) and, if given, the output
# has a line matching --expect-output. A run that times out always fails.
set -u

limit=60
expect=0
regex=
while [ $# -gt 0 ]; do
    case $1 in
    --timeout) limit=$2; shift 2 ;;
    --expect-exit) expect=$2; shift 2 ;;
    --expect-output) regex=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "qemu-run.sh: unknown option $1" >&2; exit 2 ;;
    esac
done
if [ $# -eq 0 ]; then
    echo "usage: qemu-run.sh [--timeout S] [--expect-exit N] [--expect-output EREGEX] -- qemu-system-... args" >&2
    exit 2
fi

out=$(mktemp "${TMPDIR:-/tmp}/qemu-run.XXXXXX") || exit 2
trap 'rm -f "$out"' EXIT

timeout -k 5 "$limit" "$@" </dev/null >"$out" 2>&1
status=$?
cat "$out"

case $status in
124 | 137)
    echo "qemu-run: FAILED: no exit after ${limit} s (the firmware hung or never reached semihosting exit)"
    exit 1 ;;
esac
if [ "$status" -ne "$expect" ]; then
    echo "qemu-run: FAILED: exit status $status, expected $expect"
    exit 1
fi
if [ -n "$regex" ] && ! grep -Eq -- "$regex" "$out"; then
    echo "qemu-run: FAILED: no output line matches: $regex"
    exit 1
fi
if [ "$expect" -ne 0 ]; then
    echo "qemu-run: exit status $status, as expected"
fi
exit 0
