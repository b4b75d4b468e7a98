#!/usr/bin/env python3
"""Tests of ealloc-replay, one case per CTest test (bench/CMakeLists.txt).

Each case runs the tool and asserts on its exit status, its JSON lines, its
messages or the SVG it writes; nothing is left for a human to read. A failed
assertion prints what was expected and what came out, and exits 1.

usage: replay_tests.py --replay EXE --selftest EXE --traces DIR --fixtures DIR
                       --work DIR CASE [ARG]
"""

import argparse
import glob
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


class Failure(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Failure(what)


def run(cmd, expect_rc):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if p.returncode != expect_rc:
        raise Failure(
            f"{' '.join(cmd)}\n  exit status {p.returncode}, expected {expect_rc}\n"
            f"  stdout: {p.stdout[:2000]}\n  stderr: {p.stderr[:2000]}")
    return p


def json_lines(stdout):
    return [json.loads(line) for line in stdout.splitlines() if line.strip()]


def arena_backends(replay):
    """The arena back-ends built into this ealloc-replay (llff, and tlsf once it exists)."""
    out = run([replay, "--list-backends"], 0).stdout
    return [line.split()[0] for line in out.splitlines() if line.split() and line.split()[0] != "system"]


def shared_traces(args):
    traces = sorted(glob.glob(os.path.join(args.traces, "*.trace")))
    check(traces, f"no *.trace files in {args.traces} (set EALLOC_TRACES_DIR)")
    return traces


def trace(args, name):
    path = os.path.join(args.traces, name + ".trace")
    check(os.path.exists(path), f"missing {path}")
    return path


def fixture(args, name):
    return os.path.join(args.fixtures, name)


def assert_clean(r, what):
    check(r["ok"] and r["corruptions"] == 0 and not r["aborted"], f"{what}: not clean: {r}")


# ---- cases -------------------------------------------------------------------------------------


def case_all_traces(args):
    """Every shared trace replays through llff with check() every 1000 operations, cleanly."""
    traces = shared_traces(args)
    p = run([args.replay, "--backend", "llff", "--check-every", "1000", "--json"] + traces, 0)
    results = json_lines(p.stdout)
    check(len(results) == len(traces), f"{len(results)} results for {len(traces)} traces")
    for path, r in zip(traces, results):
        assert_clean(r, path)
        check(r["path"] == path and r["backend"] == "llff", f"result out of order: {r['path']}")
        check(r["check"] == 0, f"{path}: check() = {r['check']}")
        periodic = r["ops"]["total"] // 1000
        check(r["checks_run"] == periodic + 1, f"{path}: {r['checks_run']} checks, expected {periodic + 1}")
        check(r["latency_ns"]["alloc"]["calls"] > 0, f"{path}: no alloc latency")


def case_edge_cases(args):
    """FORMAT.md: exactly 7 allocations of edge-cases fail (5 oversized, 2 overflowing callocs).

    With the heap handle carved out of the arena too for llff, whose handle is small; tlsf's
    (over 2 KiB) leaves too little for the trace's final 30 KiB block, an 8th failure."""
    for backend in arena_backends(args.replay):
        for extra in ([], ["--handle-in-arena"]) if backend == "llff" else ([],):
            p = run([args.replay, "--backend", backend, "--json"] + extra + [trace(args, "edge-cases")], 0)
            (r,) = json_lines(p.stdout)
            assert_clean(r, f"edge-cases on {backend} {extra}")
            check(r["failures"] == 7, f"{backend} {extra}: {r['failures']} failures, expected 7")
            check(r["failures_by_op"] == {"alloc": 5, "calloc": 2, "realloc": 0},
                  f"{backend}: failures by op {r['failures_by_op']}")
            check(r["end_live"] == 0, f"{backend}: {r['end_live']} bytes live at the end")


def case_semantics(args):
    """Failed a leaves the id unbound (its r and f are skipped); a failed r keeps the old block."""
    p = run([args.replay, "--backend", "llff,system", "--json", fixture(args, "good-semantics.trace")], 0)
    llff, system = json_lines(p.stdout)
    for r in (llff, system):
        assert_clean(r, r["backend"])
        check(r["failures"] == 4, f"{r['backend']}: {r['failures']} failures, expected 4")
        check(r["failures_by_op"] == {"alloc": 2, "calloc": 1, "realloc": 1}, f"{r['failures_by_op']}")
        check(r["skipped"] == {"realloc": 1, "free": 1}, f"skipped {r['skipped']}")
        check(r["peak_live"] == 100 and r["end_live"] == 0, f"live bytes {r['peak_live']} {r['end_live']}")
    check(abs(llff["fill"]["first"] - 100 / 4096) < 1e-6, f"fill at first failure {llff['fill']}")
    check(llff["arena_limited"] and llff["peak_used"] is not None, "llff is an arena back-end")
    check(system["fill"] is None and system["peak_used"] is None and system["check"] is None,
          "system: fill, used and check must be n/a")
    check(not system["arena_limited"], "system has no arena limit")
    # The 123456789012345678901234567890-byte request cannot fit size_t: refused, never truncated.
    check(llff["refused"] == 1, f"llff refused {llff['refused']}, expected 1")


def case_crlf(args):
    p = run([args.replay, "--backend", "llff", "--json", fixture(args, "good-crlf.trace")], 0)
    (r,) = json_lines(p.stdout)
    assert_clean(r, "crlf")
    check(r["ops"]["total"] == 5, f"{r['ops']}")


def case_system(args):
    """The C library's malloc replays every trace cleanly, and the table says it has no arena limit."""
    traces = shared_traces(args)
    p = run([args.replay, "--backend", "system", "--json"] + traces, 0)
    for r in json_lines(p.stdout):
        assert_clean(r, r["path"])
        check(r["fill"] is None and not r["arena_limited"], f"{r['path']}: system must report no fill")
    p = run([args.replay, "--backend", "system", trace(args, "edge-cases")], 0)
    check("no limit" in p.stdout and "NO arena limit" in p.stdout, "the table must say system has no arena limit")


def parse_svg(path):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise Failure(f"{path}: not well-formed XML: {e}")
    check(root.tag == SVG + "svg", f"{path}: root is {root.tag}")
    return root


def by_class(root, tag, cls):
    return [e for e in root.iter(SVG + tag) if cls in (e.get("class") or "").split()]


def check_map(path, r, trace_name, backend):
    root = parse_svg(path)
    ops = r["ops"]["total"]
    rows = by_class(root, "g", "row")
    expected_rows = min(400, ops)
    check(len(rows) == expected_rows, f"{len(rows)} row groups, expected {expected_rows}")
    check(int(root.get("data-rows")) == expected_rows, "data-rows disagrees with the rows drawn")
    row_ops = [int(g.get("data-op")) for g in rows]
    check(row_ops == sorted(set(row_ops)) and row_ops[-1] == ops, f"rows not in time order or not ending at {ops}")
    legend = by_class(root, "g", "legend-item")
    check(len(legend) >= 3, f"{len(legend)} legend entries")
    legend_text = " ".join("".join(g.itertext()) for g in legend)
    for word in ("used", "overhead", "free", "failed"):
        check(word in legend_text, f"legend lacks '{word}': {legend_text}")
    fails = by_class(root, "line", "fail")
    check(len(fails) == r["failures"], f"{len(fails)} failure markers for {r['failures']} failures")
    check(all(f.find(SVG + "title") is not None for f in fails), "every failure marker has a tooltip")
    title = "".join(next(root.iter(SVG + "title")).itertext())
    check(trace_name in title and backend in title, f"title '{title}' names neither trace nor back-end")
    paths = sum(len(list(g.iter(SVG + "path"))) for g in rows)
    check(paths > 0, "no blocks drawn")
    return root


def case_map_fragment_churn(args):
    os.makedirs(args.work, exist_ok=True)
    out = os.path.join(args.work, "fragment-churn-llff.svg")
    p = run([args.replay, "--backend", "llff", "--json", "--map", out, trace(args, "fragment-churn")], 0)
    (r,) = json_lines(p.stdout)
    check(r["failures"] > 0, "fragment-churn is meant to fail")
    check_map(out, r, "fragment-churn", "llff")
    check(os.path.getsize(out) < 4 * 1024 * 1024, f"{out} is {os.path.getsize(out)} bytes: too big")


def case_map_edge_cases(args):
    """Fewer operations than rows: one row per operation; the 7 failures are marked."""
    os.makedirs(args.work, exist_ok=True)
    out = os.path.join(args.work, "edge-cases-llff.svg")
    p = run([args.replay, "--backend", "llff", "--json", "--map", out, trace(args, "edge-cases")], 0)
    (r,) = json_lines(p.stdout)
    check_map(out, r, "edge-cases", "llff")
    small = os.path.join(args.work, "edge-cases-llff-10rows.svg")
    run([args.replay, "--backend", "llff", "--map-rows", "10", "--map", small, trace(args, "edge-cases")], 0)
    rows = by_class(parse_svg(small), "g", "row")
    check(len(rows) == 10, f"--map-rows 10 gave {len(rows)} rows")


def case_map_names(args):
    os.makedirs(args.work, exist_ok=True)
    two = [trace(args, "zephyr-stress-50"), trace(args, "edge-cases")]
    p = run([args.replay, "--backend", "llff", "--map", os.path.join(args.work, "one.svg")] + two, 2)
    check("{trace}" in p.stderr, f"expected a hint about {{trace}}: {p.stderr}")
    tmpl = os.path.join(args.work, "named-{trace}-{backend}.svg")
    run([args.replay, "--backend", "llff,system", "--map", tmpl] + two, 0)
    for name in ("zephyr-stress-50", "edge-cases"):
        parse_svg(os.path.join(args.work, f"named-{name}-llff.svg"))
        check(not os.path.exists(os.path.join(args.work, f"named-{name}-system.svg")), "system has no map")
    p = run([args.replay, "--backend", "system", "--map", tmpl, two[0]], 2)
    check("arena" in p.stderr, f"--map with system alone: {p.stderr}")


def case_bad_options(args):
    t = trace(args, "edge-cases")
    for argv, message in (
        (["--frobnicate", t], "unknown option '--frobnicate'"),
        (["--backend", "nosuch", t], "unknown back-end 'nosuch'"),
        (["--check-every", "often", t], "not 'often'"),
        (["--check-every"], "needs a value"),
        (["--map-rows", "0", "--map", "x.svg", t], "between 1 and"),
        ([], "no trace files"),
    ):
        p = run([args.replay] + argv, 2)
        check(p.stderr.startswith("ealloc-replay: ") and message in p.stderr, f"{argv}: stderr {p.stderr!r}")
        check(p.stdout == "", f"{argv}: printed a report")
    p = run([args.replay, "--help"], 0)
    check("usage: ealloc-replay" in p.stdout, "--help prints the usage")


def case_missing_file(args):
    os.makedirs(args.work, exist_ok=True)
    missing = os.path.join(args.work, "no-such.trace")
    p = run([args.replay, "--backend", "llff", trace(args, "edge-cases"), missing], 2)
    check(p.stderr.startswith(f"{missing}: cannot read: "), f"stderr {p.stderr!r}")
    check(p.stdout == "", "bad input must replay nothing")


def case_bad_input(args, path):
    with open(path) as f:
        m = re.match(r"# expect: (\d+): (.*)", f.readline())
    check(m, f"{path}: first line must be '# expect: LINE: message'")
    line, text = m.group(1), m.group(2).rstrip()
    p = run([args.replay, "--backend", "llff", path], 2)
    first = p.stderr.splitlines()[0] if p.stderr else ""
    check(first.startswith(f"{path}:{line}: "), f"expected '{path}:{line}: ...', got {first!r}")
    check(text in first, f"expected {text!r} in {first!r}")
    check(p.stdout == "", "bad input must replay nothing")


def case_faults(args):
    """Each rule-breaking test back-end is caught by the check meant for it; the correct one is not."""
    selftest = fixture(args, "selftest.trace")
    tool = args.selftest
    p = run([tool, "--backend", "bump", "--check-every", "1", "--json", selftest,
             trace(args, "edge-cases"), trace(args, "fragment-churn")], 0)
    for r in json_lines(p.stdout):
        assert_clean(r, f"bump on {r['trace']}")
    for backend, extra, message, aborted in (
        ("bump_overlap", [], "overlaps live id", False),
        ("bump_nozero", [], "is not zero", False),
        ("bump_misalign", [], "is not aligned to", False),
        ("bump_shortcopy", [], "after realloc (the kept prefix)", False),
        ("bump_outside", [], "is not inside the arena", True),
        ("bump_badcheck", ["--check-every", "10"], "check() returned -3", True),
    ):
        p = run([tool, "--backend", backend, "--json"] + extra + [selftest], 1)
        (r,) = json_lines(p.stdout)
        check(r["corruptions"] > 0 and not r["ok"], f"{backend}: {r}")
        check(r["aborted"] == aborted, f"{backend}: aborted = {r['aborted']}")
        check(message in p.stderr, f"{backend}: expected {message!r} in stderr {p.stderr!r}")
        check(p.stderr.startswith(selftest + ":"), f"{backend}: message without file:line: {p.stderr!r}")
    # Without --check-every the damage still shows in the final check().
    p = run([tool, "--backend", "bump_badcheck", "--json", selftest], 1)
    (r,) = json_lines(p.stdout)
    check(r["check"] == -3 and not r["ok"], f"final check {r['check']}")
    p = run([tool, "--backend", "bump_badcheck", selftest], 1)
    check(re.search(r"^selftest\s+bump_badcheck\s.*\s-3\s+0$", p.stdout, re.M), f"table: {p.stdout}")


CASES = {
    "all-traces": case_all_traces,
    "edge-cases": case_edge_cases,
    "semantics": case_semantics,
    "crlf": case_crlf,
    "system": case_system,
    "map-fragment-churn": case_map_fragment_churn,
    "map-edge-cases": case_map_edge_cases,
    "map-names": case_map_names,
    "bad-options": case_bad_options,
    "missing-file": case_missing_file,
    "bad-input": case_bad_input,
    "faults": case_faults,
}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    for opt in ("--replay", "--selftest", "--traces", "--fixtures", "--work"):
        ap.add_argument(opt, required=True)
    ap.add_argument("case", choices=sorted(CASES))
    ap.add_argument("arg", nargs="?")
    args = ap.parse_args()
    try:
        if args.case == "bad-input":
            CASES[args.case](args, args.arg)
        else:
            CASES[args.case](args)
    except Failure as e:
        print(f"FAIL {args.case}: {e}", file=sys.stderr)
        return 1
    print(f"ok {args.case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
