#!/usr/bin/env python3
"""Turn the benchmark results into a Markdown summary and SVG charts.

    make_report.py [--results DIR] [--out DIR] [--size-md FILE]
    make_report.py --check
    make_report.py --write-host-env FILE [--build-dir DIR]

Reads from --results (default: bench/results beside this script):
    firmware.jsonl   the Cortex-M4 replay (bench/run-firmware-bench.sh)         required
    wcet.jsonl       the worst cases built on purpose                            optional
    host.jsonl       ealloc-replay --json on the host (llff, tlsf, system)       optional
    host-env.json    the host machine and compiler (--write-host-env)            optional
    map-*.svg        heap maps drawn by ealloc-replay --map                      optional
and docs/size.md (make size) for the code sizes, if present.

Writes into --out (default: the results folder):
    README.md                  the summary: headline table, targets, host ratios, charts, maps
    instructions-alloc.svg     instruction counts per call, per trace and back-end (log scale)
    instructions-free.svg
    instructions-realloc.svg   (traces with realloc calls only)
    fill.svg                   fill at failure per back-end on fragment-churn and heap-efficiency

Every SVG written is parsed back with xml.etree and its elements counted against the data; a
mismatch is an error (exit status 1). --check runs the whole generator on a small synthetic
data set in a temporary folder and checks the outputs element by element (for CTest).
Bad input ends with a message naming the file (and line) and exit status 2.

Python 3 standard library only.
"""
import argparse
import contextlib
import datetime
import io
import json
import math
import os
import platform
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import svgchart  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))

MAIN_BACKENDS = ["llff", "tlsf", "newlib-nano", "newlib"]
PORT_BACKENDS = {"llff-cm": "llff", "tlsf-cm": "tlsf"}
FILL_TRACES = ["fragment-churn", "heap-efficiency"]
HOST_TARGET_TRACES = ["random-actions-1000", "ring-1-64", "ring-16-143", "ring-128-255"]

# ---- targets and reference figures, as the issues state them ----------------------------------
TLSF_SPEED = [("alloc", "median", 80), ("alloc", "max", 110), ("free", "median", 60), ("free", "max", 90)]
TLSF_FILL = {"fragment-churn": {"first": 0.98, "min": 0.85, "mean": 0.94},
             "heap-efficiency": {"first": 0.82, "mean": 0.88}}
# Quoted from issue #5 (same traces, same board, measured elsewhere): (median lo, median hi, worst)
HEAP4 = {"alloc": (62, 332, 1381), "free": (48, 228, 691)}
NANO_ISSUE = {"alloc": (48, 405, 2979), "free": (42, 433, 1192)}
NANO_ISSUE_FILL = {"fragment-churn": 0.98, "heap-efficiency": 0.71}
REFERENCE_ROWS = [
    # allocator, alloc median, alloc worst, free median, free worst, fill fragment-churn, fill heap-efficiency, code, source
    ("o1heap", "74–116", "118", "48–84", "108", "74% first", "48% first", "828 B", "issues #3, #5"),
    ("FreeRTOS heap_4", "62–332", "1381 (random-actions-1000)", "48–228", "691", "–", "–", "–", "issue #5"),
    ("newlib-nano", "48–405", "2979", "42–433", "1192", "98% first", "71% first", "–", "issue #5"),
    ("umm_malloc", "–", "867 (1596 with 32-byte blocks, 1 MiB heap)", "–", "–", "98% first / 94% mean", "–", "–",
     "issue #3"),
    ("Conte's TLSF", "130–248", "391", "–", "–", "97% first / 92% mean", "–", "1963 B", "issue #3"),
]


class InputError(Exception):
    pass


# ---- reading -----------------------------------------------------------------------------------

def load_jsonl(path):
    records = []
    try:
        with open(path, encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                line = line.strip()
                if not line:
                    continue
                try:
                    rec = json.loads(line)
                except ValueError as e:
                    raise InputError("%s:%d: not a JSON line (%s)" % (path, n, e))
                if not isinstance(rec, dict):
                    raise InputError("%s:%d: a JSON line must be an object" % (path, n))
                rec["_line"] = n
                records.append(rec)
    except OSError as e:
        raise InputError("%s: cannot read (%s)" % (path, e.strerror))
    return records


def require(rec, path, *keys):
    for k in keys:
        if k not in rec:
            raise InputError("%s:%d: missing key %r" % (path, rec.get("_line", 0), k))


def load_firmware(path):
    recs = [r for r in load_jsonl(path) if r.get("kind") == "replay"]
    if not recs:
        raise InputError("%s: no replay records (kind \"replay\")" % path)
    for r in recs:
        require(r, path, "trace", "backend", "instructions", "fill", "ok")
        for op in ("alloc", "free"):
            if op not in r["instructions"]:
                raise InputError("%s:%d: instructions has no %r" % (path, r["_line"], op))
    return recs


def load_host(path):
    recs = load_jsonl(path)
    for r in recs:
        require(r, path, "trace", "backend", "latency_ns", "ok")
    return recs


def load_sizes(path):
    """docs/size.md rows: {(target, port, object): text}"""
    sizes = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                cells = [c.strip() for c in line.strip().strip("|").split("|")]
                if len(cells) >= 4 and cells[3].isdigit():
                    sizes[(cells[0], cells[1], cells[2])] = int(cells[3])
    except OSError:
        return {}
    return sizes


def ordered(values):
    seen = []
    for v in values:
        if v not in seen:
            seen.append(v)
    return seen


def file_date(path):
    try:
        t = os.path.getmtime(path)
    except OSError:
        return None
    return datetime.datetime.fromtimestamp(t, datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def git_revision(root):
    try:
        rev = subprocess.run(["git", "-C", root, "rev-parse", "--short", "HEAD"], capture_output=True,
                             text=True, timeout=10)
        if rev.returncode != 0:
            return None
        dirty = subprocess.run(["git", "-C", root, "status", "--porcelain", "--", "src", "include", "ports"],
                               capture_output=True, text=True, timeout=10)
        return rev.stdout.strip() + (" (with uncommitted changes in src/include/ports)" if dirty.stdout.strip() else "")
    except (OSError, subprocess.SubprocessError):
        return None


# ---- numbers -----------------------------------------------------------------------------------

class Data:
    def __init__(self, firmware, wcet=None, host=None, host_env=None, sizes=None, maps=(), dates=None, revision=None):
        self.fw = firmware
        self.wcet = wcet or []
        self.host = host or []
        self.host_env = host_env or {}
        self.sizes = sizes or {}
        self.maps = list(maps)
        self.dates = dates or {}
        self.revision = revision
        self.traces = ordered(r["trace"] for r in firmware)
        present = ordered(r["backend"] for r in firmware)
        self.backends = [b for b in MAIN_BACKENDS if b in present] + \
            [b for b in present if b not in MAIN_BACKENDS and b not in PORT_BACKENDS]
        self.port_backends = [b for b in PORT_BACKENDS if b in present]
        self.by = {(r["trace"], r["backend"]): r for r in firmware}

    def stat(self, trace, backend, op):
        r = self.by.get((trace, backend))
        if not r:
            return None
        s = r["instructions"].get(op)
        if not s or not s.get("calls"):
            return None
        return s

    def over_traces(self, backend, op):
        """(median lo, median hi, worst, worst trace, traces counted) over every trace with calls."""
        rows = [(t, self.stat(t, backend, op)) for t in self.traces]
        rows = [(t, s) for t, s in rows if s]
        if not rows:
            return None
        meds = [s["median"] for _, s in rows]
        worst_t, worst_s = max(rows, key=lambda ts: ts[1]["max"])
        return {"lo": min(meds), "hi": max(meds), "worst": worst_s["max"], "worst_trace": worst_t,
                "worst_line": worst_s.get("max_line"), "n": len(rows)}

    def fill(self, trace, backend):
        r = self.by.get((trace, backend))
        return r["fill"] if r else None

    def host_rec(self, trace, backend):
        for r in self.host:
            if r["trace"] == trace and r["backend"] == backend:
                return r
        return None


def pct(v, digits=1):
    return "–" if v is None else "%.*f%%" % (digits, v * 100)


def fill_triplet(f):
    if not f:
        return "no failure"
    return "%.1f / %.1f / %.1f %%" % (f["first"] * 100, f["min"] * 100, f["mean"] * 100)


def code_size(data, backend):
    obj = data.sizes.get(("cortex-m4", "none", backend + ".c"))
    if obj is None:
        return "–"
    common = data.sizes.get(("cortex-m4", "none", "heap_common.c"))
    return "%d B" % obj + (" + %d B shared" % common if common is not None else "")


# The host clock's step (about 10 ns on the machines measured): medians within one step of the timer
# overhead are all the clock can say of a call.
HOST_CLOCK_STEP_NS = 10
AT_FLOOR = "≈ at the clock's floor"


def mark(ok):
    """A target's verdict as the summary shows it (evaluate_targets: True, False, None or AT_FLOOR)."""
    if ok is None:
        return "reported"
    if ok == AT_FLOOR:
        return AT_FLOOR
    return "✓ met" if ok else "✗ not met"


def host_verdict(per):
    """per: (trace, tlsf ns, glibc ns, overhead ns). True/False, or AT_FLOOR when every median of
    both is within one clock step of the timer overhead: then "tlsf ≤ glibc" says nothing."""
    if all(max(x, y) <= o + HOST_CLOCK_STEP_NS for _, x, y, o in per):
        return AT_FLOOR
    return all(x <= y for _, x, y, _ in per)


# ---- the targets -------------------------------------------------------------------------------

def evaluate_targets(data):
    """Rows (target, measured, met: True/False, None for a figure only reported, or AT_FLOOR) for the
    summary and docs/performance.md."""
    rows = []
    if "tlsf" in data.backends:
        for op, stat, limit in TLSF_SPEED:
            per = [(t, data.stat(t, "tlsf", op)) for t in data.traces]
            per = [(t, s[stat]) for t, s in per if s]
            bad = [(t, v) for t, v in per if v > limit]
            measured = "%d–%d over %d traces" % (min(v for _, v in per), max(v for _, v in per), len(per))
            if bad:
                measured += "; above on %d: %s" % (len(bad), ", ".join("%s %d" % tv for tv in bad))
            rows.append(("tlsf %s %s ≤ %d instructions, every trace (#3)" % (op, "median" if stat == "median"
                                                                               else "worst", limit),
                         measured, not bad))
    if "llff" in data.backends:
        for op in ("alloc", "free"):
            lo, hi, worst = HEAP4[op]
            o = data.over_traces("llff", op)
            per = [(t, data.stat(t, "llff", op)) for t in data.traces]
            per = [(t, s) for t, s in per if s]
            over = [(t, s["median"]) for t, s in per if s["median"] > hi]
            measured = "median %d–%d" % (o["lo"], o["hi"])
            if over:
                measured += "; above %d on %s" % (hi, ", ".join("%s %d" % tv for tv in over))
            rows.append(("llff %s median ≤ heap_4's (reference %d–%d; per-trace figures not quoted, so ≤ %d on "
                         "every trace)" % (op, lo, hi, hi), measured, not over))
            rows.append(("llff %s worst ≤ heap_4's %d" % (op, worst),
                         "%d (%s, line %s)" % (o["worst"], o["worst_trace"], o["worst_line"]), o["worst"] <= worst))
        if "newlib-nano" in data.backends:
            for op in ("alloc", "free"):
                for stat, word in (("median", "median"), ("max", "worst")):
                    per = [(t, data.stat(t, "llff", op), data.stat(t, "newlib-nano", op)) for t in data.traces]
                    per = [(t, a[stat], b[stat]) for t, a, b in per if a and b]
                    not_below = [(t, a, b) for t, a, b in per if a >= b]
                    measured = "below on %d of %d traces" % (len(per) - len(not_below), len(per))
                    if not_below:
                        measured += "; not on " + ", ".join("%s %d vs %d" % x for x in not_below)
                    rows.append(("llff %s %s below newlib-nano's (measured here), every trace" % (op, word),
                                 measured, not not_below))
            for op in ("alloc", "free"):
                lo, hi, worst = NANO_ISSUE[op]
                o = data.over_traces("llff", op)
                rows.append(("llff %s below newlib-nano's issue figures (median %d–%d, worst %d)" % (op, lo, hi, worst),
                             "median %d–%d, worst %d" % (o["lo"], o["hi"], o["worst"]),
                             o["hi"] < hi and o["worst"] < worst))
        fl = [r.get("free_list_max") for r in data.fw if r["backend"] == "llff" and r.get("free_list_max") is not None]
        if fl:
            t = max((r for r in data.fw if r["backend"] == "llff" and r.get("free_list_max") is not None),
                    key=lambda r: r["free_list_max"])
            rows.append(("llff: longest free list walked (reported, no target)",
                         "%d free blocks (%s)" % (t["free_list_max"], t["trace"]), None))
    for trace in FILL_TRACES:
        for b in ("llff", "tlsf"):
            f = data.fill(trace, b)
            if not f or b not in data.backends:
                continue
            refs = [("newlib-nano issue figure", NANO_ISSUE_FILL[trace])]
            for nb in ("newlib-nano", "newlib"):
                nf = data.fill(trace, nb)
                if nf:
                    refs.append((nb + " measured", nf["first"]))
            ok = all(f["first"] >= v for _, v in refs)
            rows.append(("%s fill at first failure ≥ newlib's on %s (#5)" % (b, trace),
                         "%s vs %s" % (pct(f["first"], 3), ", ".join("%s %s" % (n, pct(v, 3 if "measured" in n else 0))
                                                                      for n, v in refs)), ok))
    for trace, goals in TLSF_FILL.items():
        f = data.fill(trace, "tlsf")
        if not f:
            continue
        for metric, goal in goals.items():
            rows.append(("tlsf fill %s on %s ≥ %d%% (#3)" % (metric, trace, round(goal * 100)),
                         pct(f[metric], 3), f[metric] >= goal))
    if data.host:
        for op in ("alloc", "free"):
            per = []
            for t in HOST_TARGET_TRACES:
                a, g = data.host_rec(t, "tlsf"), data.host_rec(t, "system")
                if a and g and g["latency_ns"][op]["median"]:
                    x, y = a["latency_ns"][op]["median"], g["latency_ns"][op]["median"]
                    per.append((t, x, y, max(a.get("timer_overhead_ns", 0), g.get("timer_overhead_ns", 0))))
            if per:
                verdict = host_verdict(per)
                rows.append(("host: tlsf %s median ≤ glibc's on random-actions-1000 and the rings (#5)" % op,
                             "; ".join("%s %d / %d ns = %.2f" % (t, x, y, x / y) for t, x, y, _ in per)
                             + " (tlsf / glibc)"
                             + ("; every median within one clock step of the timer overhead, so the clock cannot "
                                "tell them apart" if verdict == AT_FLOOR else ""),
                             verdict))
    return rows


# ---- the summary -------------------------------------------------------------------------------

def headline_table(data):
    out = ["| back-end | alloc median | alloc worst | free median | free worst | fill, fragment-churn "
           "(first / min / mean) | fill, heap-efficiency (first / min / mean) | code (.text, M4 -Os) |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for b in data.backends:
        a, f = data.over_traces(b, "alloc"), data.over_traces(b, "free")
        label = b if b.startswith("newlib") else "**%s**" % b
        out.append("| %s | %d–%d | %d | %d–%d | %d | %s | %s | %s |" % (
            label, a["lo"], a["hi"], a["worst"], f["lo"], f["hi"], f["worst"],
            fill_triplet(data.fill("fragment-churn", b)), fill_triplet(data.fill("heap-efficiency", b)),
            code_size(data, b)))
    return out


def per_trace_table(data):
    head = "| trace | " + " | ".join("%s alloc | %s free" % (b, b) for b in data.backends) + " |"
    out = [head, "| --- |" + " ---: |" * (2 * len(data.backends))]
    for t in data.traces:
        cells = []
        for b in data.backends:
            for op in ("alloc", "free"):
                st = data.stat(t, b, op)
                cells.append("%d / %d" % (st["median"], st["max"]) if st else "–")
        out.append("| %s | %s |" % (t, " | ".join(cells)))
    return out


def port_cost(data):
    diffs = []
    for cm, base in PORT_BACKENDS.items():
        if cm not in data.port_backends:
            continue
        for t in data.traces:
            for op in ("alloc", "free"):
                a, b = data.stat(t, cm, op), data.stat(t, base, op)
                if a and b:
                    diffs.append(a["median"] - b["median"])
    return (min(diffs), max(diffs)) if diffs else None


def wcet_lines(data):
    lines = []
    w = [r for r in data.wcet if r.get("kind") == "wcet" and r.get("port") == "none"]
    tl = [r for r in w if r.get("backend") == "tlsf" and r.get("case") != "random-search"]
    if tl:
        worst = {}
        for r in tl:
            if r["instructions"] > worst.get(r["op"], (0, ""))[0]:
                worst[r["op"]] = (r["instructions"], r["case"])
        lines.append("- tlsf, worst heap states built on purpose (port `none`): " + "; ".join(
            "%s **%d** (`%s`)" % (op, worst[op][0], worst[op][1])
            for op in ("alloc", "alloc_aligned", "free", "realloc") if op in worst) + ".")
        rnd = [r for r in w if r.get("backend") == "tlsf" and r.get("case") == "random-search"]
        if rnd:
            lines.append("  A random run of %s calls found no slower call: " % format(rnd[0].get("n", 0), ",") +
                         ", ".join("%s %d" % (r["op"], r["instructions"]) for r in rnd) + ".")
    ll = [r for r in w if r.get("backend") == "llff" and "n" in r]
    if ll:
        slopes = []
        for case in ordered(r["case"] for r in ll):
            pts = sorted((r["n"], r["instructions"]) for r in ll if r["case"] == case)
            if len(pts) >= 2 and pts[-1][0] > pts[-2][0]:
                (n1, c1), (n2, c2) = pts[-2], pts[-1]
                slopes.append("%s %.1f" % (case, (c2 - c1) / (n2 - n1)))
        if slopes:
            lines.append("- llff, cost per free block in front of the call (worst cases built on purpose): " +
                         "; ".join(slopes) + " instructions.")
    return lines


def host_table(data):
    out = ["| trace | alloc: tlsf / glibc (ns) | ratio | free: tlsf / glibc (ns) | ratio | "
           "realloc: tlsf / glibc (ns) | ratio | llff alloc / free (ns) |",
           "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    traces = ordered(r["trace"] for r in data.host)
    for t in traces:
        a, g, l = data.host_rec(t, "tlsf"), data.host_rec(t, "system"), data.host_rec(t, "llff")
        if not a or not g:
            continue
        cells = []
        for op in ("alloc", "free", "realloc"):
            x, y = a["latency_ns"][op], g["latency_ns"][op]
            if not x["calls"] or not y["calls"]:
                cells += ["–", "–"]
                continue
            cells.append("%d / %d" % (x["median"], y["median"]))
            cells.append("%.2f" % (x["median"] / y["median"]) if y["median"] else "–")
        ll = "%d / %d" % (l["latency_ns"]["alloc"]["median"], l["latency_ns"]["free"]["median"]) if l else "–"
        name = "**%s**" % t if t in HOST_TARGET_TRACES else t
        out.append("| %s | %s | %s |" % (name, " | ".join(cells), ll))
    return out


def summary_markdown(data, charts):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L = []
    L.append("# ealloc benchmark results")
    L.append("")
    src = ["Cortex-M4 replay measured %s (`firmware.jsonl`)" % data.dates.get("firmware", "?")]
    if data.wcet:
        src.append("worst cases %s (`wcet.jsonl`)" % data.dates.get("wcet", "?"))
    if data.host:
        src.append("host replay %s (`host.jsonl`)" % data.dates.get("host", "?"))
    L.append("Generated by `bench/report/make_report.py` on %s from: %s%s. Reproduce with `make bench` "
             "(method: [docs/performance.md](../../docs/performance.md)); details per trace in "
             "[firmware.md](firmware.md) and [wcet.md](wcet.md)." % (
                 now, "; ".join(src), "; source revision %s" % data.revision if data.revision else ""))
    L.append("")
    L.append("## Headline: Cortex-M4, instructions per call")
    L.append("")
    L.append("QEMU mps2-an386 with `-icount shift=10`: exact instruction counts of every allocator call over "
             "the %d traces in `../shared/traces`, each back-end given exactly the trace's arena (ealloc's heap "
             "object inside it). *median* = the lowest–highest of the per-trace medians; *worst* = the slowest "
             "single call in any trace; fill = live requested bytes / arena at a failed allocation." % len(data.traces))
    L.append("")
    L += headline_table(data)
    L.append("")
    notes = []
    pc = port_cost(data)
    if pc:
        notes.append("llff and tlsf use the `none` critical-section port; the `cortex-m` port (PRIMASK "
                     "save/disable/restore) adds %s instructions per alloc/free median." % (
                         "+%d" % pc[0] if pc[0] == pc[1] else "+%d to +%d" % pc))
    hb = {r["backend"]: r.get("handle_bytes") for r in data.fw if r.get("handle_in_arena")}
    if hb:
        notes.append("Heap object inside the arena: " + ", ".join("%s %d B" % (b, hb[b]) for b in data.backends
                                                                   if b in hb) +
                     "; newlib keeps its static state outside it.")
    if any(b + ".c" == k[2] for b in data.backends for k in data.sizes):
        notes.append("Code: `src/<back-end>.c` from [docs/size.md](../../docs/size.md) (Cortex-M4, `-Os`, port "
                     "`none`), plus `heap_common.c` shared by both back-ends; newlib's malloc is not measured there.")
    bad = [r for r in data.fw if not r.get("ok")]
    if bad:
        notes.append("**%d replays reported a problem**: %s." % (len(bad), ", ".join(
            "%s/%s" % (r["trace"], r["backend"]) for r in bad)))
    else:
        notes.append("Every replay passed its checks (patterns, overlaps, alignment, `check()`).")
    L += ["- " + n for n in notes]
    L += wcet_lines(data)
    L.append("")
    L.append("## Against the targets (issues #3 and #5)")
    L.append("")
    L.append("| target | measured | |")
    L.append("| --- | --- | --- |")
    for target, measured, ok in evaluate_targets(data):
        L.append("| %s | %s | %s |" % (target, measured, mark(ok)))
    L.append("")
    L.append("## Instruction counts per trace")
    L.append("")
    L.append("median / worst instructions per call (port `none`; realloc, p99 and the `cortex-m` port in "
             "[firmware.md](firmware.md)):")
    L.append("")
    L += per_trace_table(data)
    L.append("")
    for name, caption in charts["distribution"]:
        L.append("![%s](%s)" % (caption, name))
        L.append("")
    L.append("## Fill at failure")
    L.append("")
    if charts.get("fill"):
        L.append("![%s](%s)" % (charts["fill"][1], charts["fill"][0]))
        L.append("")
    L.append("## Host: tlsf against glibc malloc")
    L.append("")
    if data.host:
        env = data.host_env
        what = ", ".join(x for x in (env.get("cpu"), env.get("libc"), env.get("compiler")) if x)
        ovh = ordered(r.get("timer_overhead_ns") for r in data.host)
        if env.get("loadavg") is not None and env.get("cpus"):
            what += "; load average %.2f on %d CPUs as the run started" % (env["loadavg"], env["cpus"])
        L.append("`ealloc-replay --json` (Release build), one run, every back-end on the same trace in the same "
                 "process%s. Median latency per call in ns, *including* the timer overhead of %s ns (two "
                 "`clock_gettime` reads), which dominates fast calls; the clock's resolution here is about 10 ns, "
                 "so ratios near 1 are within one clock step. ratio = tlsf median / glibc median (≤ 1: tlsf at "
                 "least as fast). Bold: the traces of issue #5's host target. glibc has no arena limit; llff and "
                 "tlsf get the trace's arena with their handle outside it." % (
                     " (%s)" % what if what else "", "/".join(str(o) for o in ovh)))
        L.append("")
        L += host_table(data)
    else:
        L.append("No `host.jsonl`: run `bench/run-bench.sh`.")
    L.append("")
    L.append("## Heap maps: fragment-churn")
    L.append("")
    if data.maps:
        L.append("Drawn by `ealloc-replay --map` on the host (time runs down, addresses right; blue = requested "
                 "bytes, orange = overhead, grey = free, red ticks = failed allocations; see "
                 "[bench/README.md](../README.md#the-map---map)).")
        L.append("")
        for m in data.maps:
            L.append("[![%s](%s)](%s)" % (m, m, m))
            L.append("")
    else:
        L.append("No heap maps found.")
        L.append("")
    L.append("## Reference figures for other allocators")
    L.append("")
    L.append("Quoted from the issues (measured elsewhere on the same traces and board), **not measured here**:")
    L.append("")
    L.append("| allocator | alloc median | alloc worst | free median | free worst | fill, fragment-churn | "
             "fill, heap-efficiency | code | source |")
    L.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for row in REFERENCE_ROWS:
        L.append("| %s |" % " | ".join(row))
    L.append("")
    return "\n".join(L)


# ---- charts ------------------------------------------------------------------------------------

def board_subtitle(data, extra):
    return ("Cortex-M4 (QEMU mps2-an386, -icount shift=10): exact instruction counts per call, library at -Os, "
            "critical-section port none. " + extra)


def make_charts(data, out_dir):
    """Write the SVGs; return {'distribution': [(file, caption)], 'fill': (file, caption)} and expectations."""
    charts = {"distribution": []}
    expect = {}
    for op, title in (("alloc", "Instructions per allocation (alloc, aligned alloc, calloc)"),
                      ("free", "Instructions per free"),
                      ("realloc", "Instructions per realloc (a move includes its copy)")):
        traces = [t for t in data.traces if any(data.stat(t, b, op) for b in data.backends)]
        if not traces:
            continue
        stats = {}
        for t in traces:
            for b in data.backends:
                s = data.stat(t, b, op)
                if s:
                    stats[(t, b)] = s
        targets = []
        if op == "alloc" and "tlsf" in data.backends:
            targets = [(80, "tlsf target: median ≤ 80", "#D55E00"), (110, "tlsf target: worst ≤ 110", "#7f2a00")]
        elif op == "free" and "tlsf" in data.backends:
            targets = [(60, "tlsf target: median ≤ 60", "#D55E00"), (90, "tlsf target: worst ≤ 90", "#7f2a00")]
        name = "instructions-%s.svg" % op
        text = svgchart.distribution_chart(title + ", per trace and back-end",
                                           board_subtitle(data, "Log scale."), traces, data.backends, stats, targets)
        write(os.path.join(out_dir, name), text)
        charts["distribution"].append((name, title))
        expect[name] = {"kind": "distribution", "box": len(stats), "xlabel": len(traces),
                        "legend-item": len(data.backends) + 1 + len(targets), "target": len(targets),
                        "stats": stats}
    panels = [t for t in FILL_TRACES if t in data.traces]
    if panels:
        fills = {}
        for t in panels:
            for b in data.backends:
                f = data.fill(t, b)
                if f:
                    fills[(t, b)] = f
        targets = {t: TLSF_FILL[t] for t in panels}
        name = "fill.svg"
        text = svgchart.fill_chart(
            "Fill at failure: how much of the arena the program had when an allocation failed",
            "Cortex-M4 replay, each back-end given exactly the trace's arena (ealloc's heap object inside it; "
            "newlib's chunk headers count). Higher is better.",
            panels, data.backends, fills, targets, target_backends=("llff", "tlsf"))
        write(os.path.join(out_dir, name), text)
        charts["fill"] = (name, "Fill at failure per back-end")
        n_targets = sum(len(TLSF_FILL[t]) for t in panels for b in ("llff", "tlsf")
                        if b in data.backends and (t, b) in fills)
        expect[name] = {"kind": "fill", "bar": 3 * len(fills), "nofail": len(panels) * len(data.backends) - len(fills),
                        "legend-item": 4, "target": n_targets, "fills": fills}
    return charts, expect


def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def verify_chart(path, exp):
    """Parse an SVG we wrote and check its elements against the data. Returns a list of problems."""
    problems = []
    try:
        p = svgchart.parse_counts(path)
    except Exception as e:  # noqa: BLE001 - any parse failure is the finding
        return ["%s: does not parse as SVG: %s" % (path, e)]
    c = p["counts"]
    for key, want in exp.items():
        if isinstance(want, int) and c.get(key, 0) != want:
            problems.append("%s: %d elements of class %r, expected %d" % (path, c.get(key, 0), key, want))
    if c.get("ytick", 0) < 3:
        problems.append("%s: only %d y-axis ticks" % (path, c.get("ytick", 0)))
    if not p["title"]:
        problems.append("%s: no <title>" % path)
    ns = "{%s}" % svgchart.SVG_NS
    if exp["kind"] == "distribution":
        for g in p["boxes"]:
            key = (g.get("data-trace"), g.get("data-backend"))
            s = exp["stats"].get(key)
            if not s:
                problems.append("%s: a box for %s/%s that has no data" % (path, key[0], key[1]))
                continue
            for k in ("min", "median", "p99", "max"):
                if int(g.get("data-" + k)) != s[k]:
                    problems.append("%s: %s/%s %s is %s, data says %d" % (path, key[0], key[1], k, g.get("data-" + k), s[k]))
            whisker = g.find(ns + "line[@class='whisker']")
            med = g.find(ns + "line[@class='median']")
            box = g.find(ns + "rect[@class='iqr']")
            if whisker is None or med is None or box is None:
                problems.append("%s: %s/%s lacks whisker, box or median" % (path, key[0], key[1]))
                continue
            y_max, y_min, y_med = float(whisker.get("y1")), float(whisker.get("y2")), float(med.get("y1"))
            y_top = float(box.get("y"))
            # SVG y grows downwards: max on top, then p99, median, min
            if not (y_max <= y_top + 0.05 <= y_med + 0.1 and y_med <= y_min + 0.05):
                problems.append("%s: %s/%s drawn out of order (max %.1f, p99 %.1f, median %.1f, min %.1f)" % (
                    path, key[0], key[1], y_max, y_top, y_med, y_min))
        ticks = sorted(((float(g.get("data-value")), float(g.find(ns + "line").get("y1")))
                        for g in p["root"].iter(ns + "g") if g.get("class") == "ytick"), key=lambda t: t[0])
        decades = [y for v, y in ticks if abs(v - 10 ** round(math.log10(v))) < 1e-9]
        steps = [round(a - b, 1) for a, b in zip(decades, decades[1:])]
        if steps and max(steps) - min(steps) > 0.3:
            problems.append("%s: decades not evenly spaced (log axis): %s" % (path, steps))
    else:
        for r in p["bars"]:
            key = (r.get("data-panel"), r.get("data-backend"))
            f = exp["fills"].get(key)
            if not f:
                problems.append("%s: a bar for %s/%s that has no data" % (path, key[0], key[1]))
                continue
            if abs(float(r.get("data-value")) - f[r.get("data-metric")]) > 1e-6:
                problems.append("%s: %s/%s %s bar value differs from the data" % (path, key[0], key[1],
                                                                                 r.get("data-metric")))
    return problems


# ---- the whole run -----------------------------------------------------------------------------

def generate(results, out, size_md, root=ROOT, revision=None):
    fw_path = os.path.join(results, "firmware.jsonl")
    if not os.path.exists(fw_path):
        raise InputError("%s: not found (run bench/run-firmware-bench.sh or bench/run-bench.sh first)" % fw_path)
    firmware = load_firmware(fw_path)
    wcet_path = os.path.join(results, "wcet.jsonl")
    host_path = os.path.join(results, "host.jsonl")
    env_path = os.path.join(results, "host-env.json")
    wcet = load_jsonl(wcet_path) if os.path.exists(wcet_path) else []
    host = load_host(host_path) if os.path.exists(host_path) else []
    host_env = {}
    if os.path.exists(env_path):
        try:
            with open(env_path, encoding="utf-8") as f:
                host_env = json.load(f)
        except ValueError as e:
            raise InputError("%s: not JSON (%s)" % (env_path, e))
    maps = sorted(f for f in os.listdir(results) if f.startswith("map-") and f.endswith(".svg"))
    if os.path.abspath(results) != os.path.abspath(out):
        # the summary links the maps by file name: they must sit beside it
        maps = [m for m in maps if os.path.exists(os.path.join(out, m))]
    dates = {k: file_date(p) for k, p in (("firmware", fw_path), ("wcet", wcet_path), ("host", host_path))}
    if host and host_env.get("date"):
        # The host run records its date: a file's time is only when it was last written or checked out
        # (a report made with --skip-host would otherwise date old host figures to the checkout).
        dates["host"] = host_env["date"]
    data = Data(firmware, wcet, host, host_env, load_sizes(size_md) if size_md else {}, maps, dates,
                revision if revision is not None else git_revision(root))
    os.makedirs(out, exist_ok=True)
    charts, expect = make_charts(data, out)
    problems = []
    for name, exp in expect.items():
        problems += verify_chart(os.path.join(out, name), exp)
    write(os.path.join(out, "README.md"), summary_markdown(data, charts))
    return data, expect, problems


def write_host_env(path, build_dir):
    env = {"date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")}
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    env["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    lib, ver = platform.libc_ver()
    if lib:
        env["libc"] = "%s %s" % (lib, ver)
    env["kernel"] = platform.system() + " " + platform.release()
    env["cpus"] = os.cpu_count()
    try:
        env["loadavg"] = round(os.getloadavg()[0], 2)
    except OSError:
        pass
    cache = os.path.join(build_dir, "CMakeCache.txt") if build_dir else None
    if cache and os.path.exists(cache):
        with open(cache, encoding="utf-8") as f:
            for line in f:
                m = re.match(r"CMAKE_C_COMPILER:\w+=(.*)", line)
                if m:
                    try:
                        v = subprocess.run([m.group(1).strip(), "--version"], capture_output=True, text=True,
                                           timeout=20).stdout.splitlines()
                        env["compiler"] = v[0] if v else m.group(1).strip()
                    except (OSError, subprocess.SubprocessError):
                        env["compiler"] = m.group(1).strip()
                m = re.match(r"CMAKE_BUILD_TYPE:\w+=(.*)", line)
                if m:
                    env["build_type"] = m.group(1).strip()
    with open(path, "w", encoding="utf-8") as f:
        json.dump(env, f, indent=1)
        f.write("\n")


# ---- the self-check ----------------------------------------------------------------------------

def synthetic_results(d):
    """A small, fully known data set: 3 traces, 4 back-ends (+ one port variant), one pair missing."""
    def ins(calls, mn, med, p99, mx, line=10):
        return {"calls": calls, "min": mn, "median": med, "p99": p99, "max": mx, "max_line": line}

    zero = {"calls": 0, "min": 0, "median": 0, "p99": 0, "max": 0}
    recs = []
    table = {
        # trace: backend: (alloc, free, realloc, fill, handle)
        "fragment-churn": {
            "llff": (ins(100, 20, 275, 522, 598), ins(100, 30, 180, 345, 390), zero,
                     {"first": 0.982, "min": 0.787, "mean": 0.912}),
            "tlsf": (ins(100, 10, 61, 100, 108), ins(100, 30, 48, 80, 89), zero,
                     {"first": 0.983, "min": 0.86, "mean": 0.95}),
            "newlib-nano": (ins(100, 20, 119, 251, 279), ins(100, 30, 104, 188, 220), zero,
                            {"first": 0.98, "min": 0.77, "mean": 0.914}),
            "newlib": (ins(100, 20, 110, 269, 528), ins(100, 30, 69, 84, 149), zero,
                       {"first": 0.98, "min": 0.767, "mean": 0.913}),
        },
        "heap-efficiency": {
            "llff": (ins(50, 20, 120, 443, 538), ins(50, 30, 136, 345, 400), ins(40, 100, 739, 37978, 49480),
                     {"first": 0.82, "min": 0.686, "mean": 0.86}),
            "tlsf": (ins(50, 10, 129, 201, 212), ins(50, 30, 59, 70, 90), ins(40, 100, 623, 43782, 69644),
                     {"first": 0.83, "min": 0.686, "mean": 0.89}),
            "newlib-nano": (ins(50, 20, 89, 254, 387), ins(50, 30, 68, 157, 182), ins(40, 100, 4707, 52497, 53278),
                            {"first": 0.705, "min": 0.329, "mean": 0.721}),
            "newlib": (ins(50, 20, 128, 578, 1196), ins(50, 30, 76, 149, 149), ins(40, 100, 547, 53172, 69547),
                       {"first": 0.82, "min": 0.673, "mean": 0.84}),
        },
        "ring-1-64": {
            "llff": (ins(200, 20, 614, 1659, 2096), ins(200, 30, 400, 961, 1137), zero, None),
            "tlsf": (ins(200, 10, 79, 99, 110), ins(200, 30, 60, 70, 90), zero, None),
            "newlib-nano": (ins(200, 20, 281, 938, 1484), ins(200, 30, 176, 386, 464), zero, None),
            # full newlib missing on this trace on purpose: an empty slot in the charts
        },
    }
    for trace, per in table.items():
        for b, (a, f, r, fill) in per.items():
            for name in ([b, b + "-cm"] if b in ("llff", "tlsf") and trace == "ring-1-64" else [b]):
                bump = 3 if name.endswith("-cm") else 0
                recs.append({"kind": "replay", "trace": trace, "backend": name, "arena": 1024,
                             "handle_bytes": 660 if b == "tlsf" else (32 if b == "llff" else 0),
                             "handle_in_arena": b in ("llff", "tlsf"), "fill": fill, "ok": True,
                             "free_list_max": 109 if b == "llff" else None,
                             "instructions": {"alloc": dict(a, median=a["median"] + bump),
                                              "free": dict(f, median=f["median"] + bump), "realloc": r}})
    with open(os.path.join(d, "firmware.jsonl"), "w") as f:
        for r in recs:
            f.write(json.dumps(r) + "\n")
    with open(os.path.join(d, "wcet.jsonl"), "w") as f:
        for r in ({"kind": "wcet", "backend": "tlsf", "port": "none", "case": "alloc-x", "op": "alloc", "instructions": 105},
                  {"kind": "wcet", "backend": "tlsf", "port": "none", "case": "free-y", "op": "free", "instructions": 88},
                  {"kind": "wcet", "backend": "llff", "port": "none", "case": "alloc-walk", "op": "alloc", "n": 10,
                   "instructions": 256},
                  {"kind": "wcet", "backend": "llff", "port": "none", "case": "alloc-walk", "op": "alloc", "n": 100,
                   "instructions": 1966}):
            f.write(json.dumps(r) + "\n")

    def lat(med):
        return {"calls": 10, "min": 20, "median": med, "p99": med * 3, "max": med * 9}
    with open(os.path.join(d, "host.jsonl"), "w") as f:
        for t, (tl, gl) in {"random-actions-1000": (40, 40), "ring-1-64": (40, 50), "ring-16-143": (30, 40),
                            "ring-128-255": (40, 40), "fragment-churn": (50, 70)}.items():
            for b, m in (("llff", 60), ("tlsf", tl), ("system", gl)):
                f.write(json.dumps({"trace": t, "backend": b, "ok": True, "timer_overhead_ns": 30,
                                    "latency_ns": {"alloc": lat(m), "free": lat(m),
                                                   "realloc": {"calls": 0, "min": 0, "median": 0, "p99": 0,
                                                               "max": 0}}}) + "\n")
    with open(os.path.join(d, "host-env.json"), "w") as f:
        json.dump({"date": "2001-02-03 04:05 UTC", "cpu": "synthetic CPU", "libc": "glibc 0.0", "compiler": "cc 0"}, f)
    with open(os.path.join(d, "map-fragment-churn-llff.svg"), "w") as f:
        f.write('<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n')
    size_md = os.path.join(d, "size.md")
    with open(size_md, "w") as f:
        f.write("| target | port | object | .text | .data | .bss |\n| --- | --- | --- | ---: | ---: | ---: |\n"
                "| cortex-m4 | none | heap_common.c | 504 | 0 | 0 |\n| cortex-m4 | none | llff.c | 1010 | 0 | 0 |\n"
                "| cortex-m4 | none | tlsf.c | 2398 | 0 | 0 |\n| cortex-m0plus | none | tlsf.c | 9999 | 0 | 0 |\n")
    return size_md


def quiet_main(argv):
    """main() with its stderr captured: (status, whether a message named firmware.jsonl:LINE)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(argv)
    return status, re.search(r"firmware\.jsonl:\d+: ", err.getvalue()) is not None


def self_check():
    failures = []

    def expect(cond, what):
        if not cond:
            failures.append(what)

    with tempfile.TemporaryDirectory(prefix="ealloc-report-check-") as d:
        size_md = synthetic_results(d)
        data, exp, problems = generate(d, d, size_md, revision="")
        expect(not problems, "self-verification: " + "; ".join(problems))
        # Independent of the generator's own expectations: the numbers this data set must give.
        want = {
            # file: {class: count}
            "instructions-alloc.svg": {"box": 11, "xlabel": 3, "legend-item": 7, "target": 2},
            "instructions-free.svg": {"box": 11, "xlabel": 3, "legend-item": 7, "target": 2},
            "instructions-realloc.svg": {"box": 4, "xlabel": 1, "legend-item": 5},
            "fill.svg": {"bar": 24, "legend-item": 4, "target": 10},
        }
        for name, counts in want.items():
            path = os.path.join(d, name)
            expect(os.path.exists(path), "%s not written" % name)
            if not os.path.exists(path):
                continue
            p = svgchart.parse_counts(path)
            for cls, n in counts.items():
                expect(p["counts"].get(cls, 0) == n, "%s: %d of class %r, want %d" % (name, p["counts"].get(cls, 0), cls, n))
            expect(p["counts"].get("ytick", 0) >= 4, "%s: too few y ticks" % name)
            expect(p["width"] >= 800 and p["height"] >= 400, "%s: too small to read" % name)
            texts = " ".join(t.text or "" for t in p["root"].iter("{%s}text" % svgchart.SVG_NS))
            expect("instructions per call (log scale)" in texts or name == "fill.svg", "%s: no y-axis label" % name)
            expect(p["title"] and len(p["title"]) > 10, "%s: no title" % name)
        # the empty slot: full newlib has no ring-1-64 record
        p = svgchart.parse_counts(os.path.join(d, "instructions-alloc.svg"))
        keys = {(g.get("data-trace"), g.get("data-backend")) for g in p["boxes"]}
        expect(("ring-1-64", "newlib") not in keys, "a box drawn for a missing pair")
        expect(("ring-1-64", "llff-cm") not in keys, "a port variant drawn in the main chart")
        # the log axis: 10 -> 100 spans as much as 100 -> 1000
        ys = {}
        for g in p["root"].iter("{%s}g" % svgchart.SVG_NS):
            if g.get("class") == "ytick":
                ys[float(g.get("data-value"))] = float(g.find("{%s}line" % svgchart.SVG_NS).get("y1"))
        expect(all(v in ys for v in (10.0, 100.0, 1000.0)), "alloc chart lacks the 10/100/1000 ticks: %s" % sorted(ys))
        if all(v in ys for v in (10.0, 100.0, 1000.0)):
            expect(abs((ys[10.0] - ys[100.0]) - (ys[100.0] - ys[1000.0])) < 0.2, "y axis is not logarithmic")
        # the fill chart: tlsf's first-failure bar on heap-efficiency carries 0.83
        p = svgchart.parse_counts(os.path.join(d, "fill.svg"))
        bars = {(r.get("data-panel"), r.get("data-backend"), r.get("data-metric")): float(r.get("data-value"))
                for r in p["bars"]}
        expect(abs(bars.get(("heap-efficiency", "tlsf", "first"), 0) - 0.83) < 1e-9, "fill bar value wrong")
        with open(os.path.join(d, "README.md"), encoding="utf-8") as f:
            md = f.read()
        for needle, what in (
                ("| **tlsf** | 61–129 | 212 | 48–60 | 90 | 98.3 / 86.0 / 95.0 % | 83.0 / 68.6 / 89.0 % | "
                 "2398 B + 504 B shared |", "tlsf headline row"),
                ("| **llff** | 120–614 | 2096 | 136–400 | 1137 |", "llff headline row"),
                ("| newlib | 110–128 | 1196 | 69–76 | 149 | 98.0 / 76.7 / 91.3 % |", "newlib headline row"),
                ("tlsf alloc worst ≤ 110 instructions, every trace (#3) | 108–212 over 3 traces; above on 1: "
                 "heap-efficiency 212 | ✗ not met", "tlsf alloc worst target"),
                ("tlsf free worst ≤ 90 instructions, every trace (#3) | 89–90 over 3 traces | ✓ met",
                 "tlsf free worst target"),
                ("tlsf fill min on fragment-churn ≥ 85% (#3) | 86.000% | ✓ met", "tlsf fill target"),
                ("llff: longest free list walked (reported, no target) | 109 free blocks", "llff free list"),
                ("random-actions-1000 40 / 40 ns = 1.00; ring-1-64 40 / 50 ns = 0.80; ring-16-143 30 / 40 ns = 0.75; "
                 "ring-128-255 40 / 40 ns = 1.00 (tlsf / glibc) | ✓ met",
                 "host ratio target"),
                ("| **ring-1-64** | 40 / 50 | 0.80 |", "host table row"),
                ("adds +3 instructions", "port cost"),
                ("alloc-walk 19.0", "llff slope"),
                ("![Instructions per free](instructions-free.svg)", "chart link"),
                ("| ring-1-64 | 614 / 2096 | 400 / 1137 | 79 / 110 | 60 / 90 | 281 / 1484 | 176 / 464 | – | – |",
                 "per-trace row with a missing back-end"),
                ("[![map-fragment-churn-llff.svg](map-fragment-churn-llff.svg)]", "map link"),
                ("not measured here", "reference label"),
                ("| Conte's TLSF | 130–248 | 391 |", "reference row"),
                ("host replay 2001-02-03 04:05 UTC (`host.jsonl`)", "host run's own date, not the file's")):
            expect(needle in md, "README.md lacks the %s: %r" % (what, needle))
        expect("9999" not in md, "a size from another target leaked into the table")

        # bad input: a broken JSON line is named by file and line
        with open(os.path.join(d, "firmware.jsonl"), "a") as f:
            f.write("{not json\n")
        try:
            generate(d, d, size_md, revision="")
            failures.append("a malformed firmware.jsonl was accepted")
        except InputError as e:
            expect(re.search(r"firmware\.jsonl:\d+: not a JSON line", str(e)) is not None,
                   "bad-input message does not name file:line: %s" % e)
        expect(quiet_main(["--results", d, "--size-md", size_md]) == (2, True), "bad input: not status 2 with file:line")
        os.remove(os.path.join(d, "firmware.jsonl"))
        try:
            generate(d, d, size_md, revision="")
            failures.append("a missing firmware.jsonl was accepted")
        except InputError as e:
            expect("firmware.jsonl: not found" in str(e), "missing-file message: %s" % e)
        expect(quiet_main(["--results", d, "--size-md", size_md])[0] == 2, "a missing file did not exit with status 2")

        # the host verdict: at the floor only when every median of both is within a step of the overhead
        expect(host_verdict([("a", 30, 30, 20), ("b", 20, 30, 20)]) == AT_FLOOR, "host floor not recognised")
        expect(host_verdict([("a", 30, 40, 20), ("b", 20, 30, 20)]) is True, "host: a median above the floor")
        expect(host_verdict([("a", 40, 30, 20)]) is False, "host: tlsf above glibc above the floor")

        # an SVG that disagrees with its data is caught by the verifier
        path = os.path.join(d, "instructions-free.svg")
        with open(path, encoding="utf-8") as f:
            text = f.read()
        with open(path, "w", encoding="utf-8") as f:
            f.write(text.replace('class="box"', 'class="bx"', 1))
        expect(any("class 'box'" in m for m in verify_chart(path, exp["instructions-free.svg"])),
               "the verifier missed a missing box")
        with open(path, "w", encoding="utf-8") as f:
            f.write(text[: len(text) // 2])
        expect(any("does not parse" in m for m in verify_chart(path, exp["instructions-free.svg"])),
               "the verifier accepted a truncated SVG")

    for f in failures:
        print("make_report --check: FAIL: " + f, file=sys.stderr)
    if failures:
        return 1
    print("make_report --check: ok (4 charts, summary, bad input, verifier)")
    return 0


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--results", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--out", default=None, help="where to write (default: --results)")
    ap.add_argument("--size-md", default=os.path.join(ROOT, "docs", "size.md"))
    ap.add_argument("--check", action="store_true", help="self-test on synthetic data, then exit")
    ap.add_argument("--write-host-env", metavar="FILE", help="record the host machine and compiler, then exit")
    ap.add_argument("--build-dir", default=os.path.join(ROOT, "build", "bench"))
    args = ap.parse_args(argv)
    if args.check:
        return self_check()
    if args.write_host_env:
        write_host_env(args.write_host_env, args.build_dir)
        return 0
    out = args.out or args.results
    try:
        data, expect, problems = generate(args.results, out, args.size_md)
    except InputError as e:
        print("make_report: %s" % e, file=sys.stderr)
        return 2
    for p in problems:
        print("make_report: chart check failed: %s" % p, file=sys.stderr)
    print("make_report: wrote %s and %d charts (%d traces x %d back-ends)" % (
        os.path.join(out, "README.md"), len(expect), len(data.traces), len(data.backends)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
