#!/usr/bin/env python3
"""Run the benchmark firmware under QEMU and write the results.

Called by bench/run-firmware-bench.sh once the images are built:

    collect.py [--board mps2-an386] --build DIR --newlib-build DIR --traces DIR --out bench/results [--jobs 2]

Runs, on mps2-an386 (or --board riscv32-virt, riscv32-virt-zbb, riscv64-virt, riscv64-virt-zbb) with
-icount shift=10 (one instruction = 2^10 ns of virtual time, so TIMER0 at
25 MHz counts 25.6 ticks per instruction, and RISC-V's minstret 1024):
  * bench_timer_selftest: the counting method (empty call, 1/100/1000/10000 nops);
  * every trace x back-end through the replay images (one QEMU run each, so
    every allocator starts from a fresh heap; newlib's malloc state cannot be
    reset within a run);
  * bench_wcet and bench_wcet_cm (_rv on RISC-V): the worst cases.
Writes firmware.jsonl, firmware.md, wcet.jsonl and wcet.md into --out. Exit
status 1 if any run failed (the files are still written, with the failures).
"""
import argparse
import concurrent.futures
import datetime
import json
import os
import re
import subprocess
import sys
import time

# What differs between the boards the benchmark firmware runs on.
ARM_METHOD = ("the CMSDK APB TIMER0 (0x40000000, 32-bit down-counter at the 25 MHz system clock) moves exactly "
              "25.6 ticks per instruction. `bench/firmware/timed_call_arm.S` reads it in the instruction right "
              "before the `blx` to the allocator's public function and in the one right after it returns, so no "
              "compiler-generated code is in the window; ticks / 25.6 (rounded; exact, since a window's ticks are "
              "floor or ceil of 25.6·N)")
RISCV_METHOD = ("the `minstret` counter, which QEMU derives from the virtual clock under `-icount`, moves exactly "
                "1024 per instruction. `bench/firmware/timed_call_riscv.S` reads it in the instruction right before "
                "the `jalr` to the allocator's public function and in the one right after it returns, so no "
                "compiler-generated code is in the window; ticks / 1024")
RISCV_ARENA = ("in free RAM after the image (DRAM at 0x80000000, 128 MiB, so the 1 MiB traces fit)")
BOARDS = {
    "mps2-an386": {"qemu": "qemu-system-arm", "machine": ["-M", "mps2-an386"], "tools": "arm-none-eabi-",
                   "core": "Cortex-M4", "desc": "Board `mps2-an386` (Cortex-M4F)", "method": ARM_METHOD,
                   "arena": "in the PSRAM bank (0x21000000, 16 MiB, so the 1 MiB traces fit; the image's own RAM "
                            "is ZBT SSRAM2/3)", "port": "cortex-m", "tag": "cm", "newlib": True},
    "riscv32-virt": {"qemu": "qemu-system-riscv32", "machine": ["-M", "virt", "-bios", "none"],
                     "tools": "riscv64-unknown-elf-", "core": "RV32IMAC",
                     "desc": "Board `riscv32-virt` (RV32IMAC, no Zbb: software bit scans)", "method": RISCV_METHOD,
                     "arena": RISCV_ARENA, "port": "riscv", "tag": "rv", "newlib": False},
    "riscv32-virt-zbb": {"qemu": "qemu-system-riscv32", "machine": ["-M", "virt", "-bios", "none", "-cpu", "rv32,zbb=on"],
                         "tools": "riscv64-unknown-elf-", "core": "RV32IMAC with Zbb",
                         "desc": "Board `riscv32-virt-zbb` (RV32IMAC + Zbb: `clz`/`ctz`)", "method": RISCV_METHOD,
                         "arena": RISCV_ARENA, "port": "riscv", "tag": "rv", "newlib": False},
    "riscv64-virt": {"qemu": "qemu-system-riscv64", "machine": ["-M", "virt", "-bios", "none"],
                     "tools": "riscv64-unknown-elf-", "core": "RV64IMAC",
                     "desc": "Board `riscv64-virt` (RV64IMAC, no Zbb: software bit scans; 64-bit size_t)",
                     "method": RISCV_METHOD, "arena": RISCV_ARENA, "port": "riscv", "tag": "rv", "newlib": False},
    "riscv64-virt-zbb": {"qemu": "qemu-system-riscv64", "machine": ["-M", "virt", "-bios", "none", "-cpu", "rv64,zbb=on"],
                         "tools": "riscv64-unknown-elf-", "core": "RV64IMAC with Zbb",
                         "desc": "Board `riscv64-virt-zbb` (RV64IMAC + Zbb: `clz`/`ctz`; 64-bit size_t)",
                         "method": RISCV_METHOD, "arena": RISCV_ARENA, "port": "riscv", "tag": "rv", "newlib": False},
}
# port: the board's own critical-section port, measured beside "none" in the images and back-ends
# tagged _<tag> / -<tag>; newlib: whether the board's images include newlib's malloc.
BOARD = BOARDS["mps2-an386"]  # set from --board in main()

# back-end name -> (image, build dir key)
BACKENDS = [
    ("llff", "bench_replay_ealloc", "build"),
    ("tlsf", "bench_replay_ealloc", "build"),
    ("llff-cm", "bench_replay_ealloc_cm", "build"),
    ("tlsf-cm", "bench_replay_ealloc_cm", "build"),
    ("llff-rv", "bench_replay_ealloc_rv", "build"),
    ("tlsf-rv", "bench_replay_ealloc_rv", "build"),
    ("tlsf-malloc", "bench_replay_ealloc_malloc", "build"),  # not by default: --backends tlsf,tlsf-malloc
    ("newlib-nano", "bench_replay_newlib_nano", "build"),
    ("newlib", "bench_replay_newlib", "newlib_build"),
]

# The critical-section ports measured beside "none": back-end suffix, port, what it does.
PORTS = [("-cm", "cortex-m", "PRIMASK save/disable/restore"),
         ("-rv", "riscv", "mstatus.MIE cleared with csrrc and set again with csrs")]

# Targets of issue #5 / the TLSF issue, and o1heap's reference (same traces, same board).
TLSF_TARGET = {"alloc_median": 80, "alloc_max": 110, "free_median": 60, "free_max": 90}
FILL_TARGET = {"fragment-churn": 0.98, "heap-efficiency": 0.82}
REFERENCE = [
    ("o1heap", "74–116", "118", "48–84", "108"),
    ("FreeRTOS heap_4", "62–332", "1381", "48–228", "691"),
    ("newlib-nano (issue's figures)", "48–405", "2979", "42–433", "1192"),
]


def qemu_command(elf, args, icount=True):
    semi = "enable=on,target=native,arg=" + os.path.basename(elf)
    for a in args:
        if "," in a:
            raise SystemExit("collect.py: a comma in %r would break -semihosting-config" % a)
        semi += ",arg=" + a
    cmd = [BOARD["qemu"]] + BOARD["machine"]
    if icount:
        cmd += ["-icount", "shift=10"]
    return cmd + ["-nographic", "-semihosting-config", semi, "-kernel", elf]


def run(elf, args, timeout):
    """Run one image; QEMU prints semihosting output on stderr, so both are read."""
    cmd = qemu_command(elf, args)
    t0 = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           timeout=timeout)
        out, status = p.stdout.decode("utf-8", "replace"), p.returncode
    except subprocess.TimeoutExpired as e:
        out = (e.output or b"").decode("utf-8", "replace")
        status = "timeout after %d s" % timeout
    records = []
    for line in out.splitlines():
        if line.startswith("{"):
            try:
                records.append(json.loads(line))
            except ValueError:
                pass
    return {"cmd": cmd, "status": status, "output": out, "records": records, "seconds": time.monotonic() - t0}


def tool_version(cmd):
    try:
        return subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT).stdout.decode().splitlines()[0]
    except OSError:
        return "?"


def symbol_bytes(elf, kinds, prefixes):
    """Sum of the sizes of the symbols of the nm kinds (e.g. "tT") whose names start with one of
    prefixes; None when nm cannot run."""
    try:
        out = subprocess.run([BOARD["tools"] + "nm", "-S", elf], stdout=subprocess.PIPE).stdout.decode()
    except OSError:
        return None
    total = 0
    for line in out.splitlines():
        f = line.split()
        if len(f) == 4 and f[2] in kinds and f[3].startswith(prefixes):
            total += int(f[1], 16)
    return total


def static_malloc_bytes(elf):
    """Bytes of newlib's malloc state in .data/.bss (outside the arena): symbols __malloc_*."""
    return symbol_bytes(elf, "dDbB", "__malloc_")


def text_bytes(elf, prefixes):
    """Code size of the functions whose names start with one of prefixes."""
    return symbol_bytes(elf, "tT", prefixes)


# ---- Markdown ---------------------------------------------------------------------------

def frac(x, digits=1):
    return "–" if x is None else "%.*f%%" % (digits, 100.0 * x)


def fill_cells(r):
    f = r.get("fill")
    if not f:
        return ["–", "–", "–"]
    return [frac(f["first"]), frac(f["min"]), frac(f["mean"])]


def table(header, rows, align=None):
    out = ["| " + " | ".join(header) + " |"]
    align = align or (["---"] + ["---:"] * (len(header) - 1))
    out.append("| " + " | ".join(align) + " |")
    for r in rows:
        out.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(out)


def stat_cell(s):
    if not s or s["calls"] == 0:
        return "–"
    return "%d · %d · %d" % (s["median"], s["p99"], s["max"])


def firmware_md(results, traces, backends, meta, failures):
    by = {(r["trace"], r["backend"]): r for r in results}
    L = []
    L.append("# Firmware replay on %s: exact instruction counts per allocator call\n" % BOARD["core"])
    L.append("Generated by `bench/run-firmware-bench.sh` (%s, %.0f s). %s under "
             "`%s -icount shift=10`; %s; the library built with `%s`; results also in `firmware.jsonl`, one "
             "JSON line per trace × back-end.\n" % (meta["date"], meta["seconds"], BOARD["desc"], meta["qemu"],
                                                   meta["gcc"], meta["opt"]))
    L.append("**Method.** With `-icount shift=10` QEMU advances virtual time by 2^10 ns per executed instruction, so "
             "%s minus the cost of timing an empty function (%s instructions) is the "
             "count: the instructions the call executes, its final return not counted. Verified at the start "
             "of every run: straight-line code of 1, 100, 1000 and 10000 `nop`s measures %s. The numbers are "
             "instructions, not cycles (QEMU does not model the core's pipeline, flash wait states or bus).\n"
             % (BOARD["method"], meta["empty"], " / ".join(str(n) for n in meta["nops"])))
    L.append("**Replay** (FORMAT.md): a failed allocation leaves its id unbound and later `f`/`r` of it are skipped; "
             "a failed `r` keeps the old block, verified intact; a size that does not fit the 32-bit `size_t` "
             "fails without a call (*refused*); fill = live requested bytes / arena at each failure. Every "
             "requested byte carries a pattern derived from its id, checked before free and realloc, on the kept "
             "prefix after realloc and at the end; calloc memory must be zero (the arena is pre-filled with "
             "0xa5); every result must be inside the arena and aligned (trace's alignment, else 8); an ownership "
             "map per 8-byte granule catches overlapping blocks at once; ealloc's `check()` runs at the end. "
             "`a` with an alignment calls `alloc_aligned` (newlib: `memalign`). Timed: every call, failed ones "
             "included; calloc includes its zeroing and a moving realloc its copy.\n")
    newlib_run = any(b.startswith("newlib") for b in backends)
    L.append("**Arena.** Every back-end gets exactly the trace's `arena` bytes, %s. ealloc's heap object "
             "(`ea_llff_t` %s B, `ea_tlsf_t` %s B) is placed in the arena's first bytes and `init` gets "
             "`arena - sizeof(heap object)`.%s\n"
             % (BOARD["arena"], meta.get("handle_llff", "?"), meta.get("handle_tlsf", "?"),
                (" newlib's malloc grows through a `_sbrk` that hands out the arena and refuses beyond it, so its "
                 "chunk headers and padding count; its static state (bin heads) stays outside: %s B for full "
                 "newlib, %s B for newlib-nano." % (meta.get("static_newlib", "?"), meta.get("static_nano", "?")))
                if newlib_run else ""))
    L.append("Back-ends: `llff`, `tlsf` = ealloc with the `none` critical-section port"
             + "".join("; `llff%s`, `tlsf%s` = the same with the `%s` port (%s), to show the port's cost"
                       % (sfx, sfx, port, how) for sfx, port, how in PORTS if any(b.endswith(sfx) for b in backends))
             + ("; `newlib-nano` = `--specs=nano.specs`; `newlib` = the full newlib (%s)" % meta["newlib"]
                if newlib_run else "") + ".\n")
    if failures:
        L.append("**Runs that failed:** " + "; ".join(failures) + "\n")

    titles = [("alloc", "alloc — `a` (plain and aligned) and `c` together"), ("free", "free"),
              ("realloc", "realloc (in place or moved; a move includes its copy)")]
    L.append("## Instructions per call: median · p99 · max\n")
    for key, title in titles:
        L.append("### %s\n" % title)
        rows = []
        for t in traces:
            row = [t]
            for b in backends:
                r = by.get((t, b))
                row.append(stat_cell(r["instructions"][key]) if r else "not run")
            rows.append(row)
        L.append(table(["trace"] + backends, rows) + "\n")

    L.append("## tlsf against the targets\n")
    L.append("Targets (issue #5, from the TLSF issue): alloc median ≤ %d and worst ≤ %d, free median ≤ %d and worst "
             "≤ %d instructions on every trace (counted on the Cortex-M4); fill at the first failure ≥ 98%% on "
             "fragment-churn and ≥ 82%% on heap-efficiency. ✓ = met, ✗ = not met.\n" % (TLSF_TARGET["alloc_median"], TLSF_TARGET["alloc_max"],
                                                          TLSF_TARGET["free_median"], TLSF_TARGET["free_max"]))
    rows = []
    for b in ("tlsf", "tlsf-cm", "tlsf-rv"):
        for t in traces:
            r = by.get((t, b))
            if not r:
                continue
            a, f = r["instructions"]["alloc"], r["instructions"]["free"]

            def mark(v, lim, calls):
                if calls == 0:
                    return "–"
                return "%d %s" % (v, "✓" if v <= lim else "✗")
            rows.append([t, b, mark(a["median"], TLSF_TARGET["alloc_median"], a["calls"]),
                         mark(a["max"], TLSF_TARGET["alloc_max"], a["calls"]),
                         mark(f["median"], TLSF_TARGET["free_median"], f["calls"]),
                         mark(f["max"], TLSF_TARGET["free_max"], f["calls"])])
    L.append(table(["trace", "back-end", "alloc median", "alloc max", "free median", "free max"], rows) + "\n")

    def rng(b, key, what):
        vals = [by[(t, b)]["instructions"][key][what] for t in traces
                if (t, b) in by and by[(t, b)]["instructions"][key]["calls"] > 0]
        return (min(vals), max(vals)) if vals else None
    rows = []
    for b in backends:
        am, ax, fm, fx = rng(b, "alloc", "median"), rng(b, "alloc", "max"), rng(b, "free", "median"), rng(b, "free", "max")
        if am and fm:
            rows.append([b + " (measured here)", "%d–%d" % am, "%d" % ax[1], "%d–%d" % fm, "%d" % fx[1]])
    for ref in REFERENCE:
        rows.append([ref[0] + " (reference)"] + list(ref[1:]))
    L.append("Over all %d traces (median range across traces; worst = the largest max):\n" % len(traces))
    L.append(table(["allocator", "alloc median", "alloc worst", "free median", "free worst"], rows) + "\n")

    rows = []
    for t, lim in FILL_TARGET.items():
        for b in backends:
            r = by.get((t, b))
            if r and r.get("fill"):
                ff = r["fill"]["first"]
                first = r.get("first_failure") or {}
                rows.append([t, b, "%s %s" % (frac(ff, 3), "✓" if ff >= lim else "✗"), frac(lim, 0),
                             "line %s, %s B" % (first.get("line", "?"), first.get("size", "?"))])
    L.append("Fill at the first failure, and the request that failed first:\n")
    L.append(table(["trace", "back-end", "fill at 1st failure", "target", "first failure"], rows) + "\n")

    for sfx, port, _ in PORTS:
        if not any(b.endswith(sfx) for b in backends):
            continue
        L.append("## Cost of the %s critical-section port\n" % port)
        L.append("Difference `%s` minus `none`, per call, in instructions (median · max):\n" % sfx)
        rows = []
        for t in traces:
            row = [t]
            for b in ("llff", "tlsf"):
                r0, r1 = by.get((t, b)), by.get((t, b + sfx))
                for key in ("alloc", "free", "realloc"):
                    if r0 and r1 and r0["instructions"][key]["calls"]:
                        s0, s1 = r0["instructions"][key], r1["instructions"][key]
                        row.append("%+d · %+d" % (s1["median"] - s0["median"], s1["max"] - s0["max"]))
                    else:
                        row.append("–")
            rows.append(row)
        L.append(table(["trace", "llff alloc", "llff free", "llff realloc", "tlsf alloc", "tlsf free", "tlsf realloc"],
                       rows) + "\n")

    L.append("## Memory: failures, fill, peak\n")
    L.append("ops = `a` (of which aligned) / `c` / `r` / `f` in the trace; skipped = `r`/`f` of ids left unbound by "
             "a failure; failures include *refused* ones (size does not fit 32 bits); fill = live requested bytes / "
             "arena at the first failure, the lowest and the mean over all failures; peak live = most requested "
             "bytes live at once; peak used = ealloc's own `peak_used` (headers and rounding included; capacity = "
             "what init left after the heap object and region overhead); sbrk peak = the most of the arena newlib "
             "took through `_sbrk`; free list = llff's longest free list during the trace (it walks it).\n")
    rows = []
    for t in traces:
        for b in backends:
            r = by.get((t, b))
            if not r:
                rows.append([t, b] + ["not run"] + [""] * 10)
                continue
            o = r["ops"]
            ops = "%d (%d) / %d / %d / %d" % (o["alloc"], o["alloc_aligned"], o["calloc"], o["realloc"], o["free"])
            skipped = r["skipped"]["realloc"] + r["skipped"]["free"]
            fails = "%d (%d)" % (r["failures"], r["refused"])
            used = ("%d of %d" % (r["peak_used"], r["capacity"])) if r.get("peak_used") is not None else \
                ("sbrk %d" % r["sbrk_peak"] if r.get("sbrk_peak") is not None else "–")
            fl = str(r["free_list_max"]) if "free_list_max" in r else "–"
            check = "ok" if r["ok"] else "**FAILED**"
            if r.get("check") not in (None, 0):
                check = "**check %d**" % r["check"]
            rows.append([t, b, r["arena"], ops, skipped, fails] + fill_cells(r) +
                        [r["peak_live"], used, fl, check])
    L.append(table(["trace", "back-end", "arena", "ops a (aligned) / c / r / f", "skipped", "failures (refused)",
                    "fill 1st", "fill min", "fill mean", "peak live", "peak used", "free list", "result"],
                   rows) + "\n")

    L.append("## Where the slowest calls were\n")
    L.append("Trace line of each back-end's slowest alloc / free / realloc (llff: with the free-list length in front "
             "of that call).\n")
    rows = []
    for t in traces:
        for b in backends:
            r = by.get((t, b))
            if not r:
                continue
            cells = []
            for key in ("alloc", "free", "realloc"):
                s = r["instructions"][key]
                if s["calls"] == 0:
                    cells.append("–")
                    continue
                c = "%d @ line %d" % (s["max"], s["max_line"])
                if "free_blocks_at_max" in s:
                    c += " (%d free)" % s["free_blocks_at_max"]
                cells.append(c)
            rows.append([t, b] + cells)
    L.append(table(["trace", "back-end", "alloc", "free", "realloc"], rows) + "\n")
    return "\n".join(L)


def wcet_md(records, meta, failures):
    L = ["# Worst cases built on purpose: instructions on %s\n" % BOARD["core"]]
    L.append("Generated by `bench/run-firmware-bench.sh` (%s); firmware `bench/wcet/` on `%s` under QEMU "
             "`-icount shift=10`, counted as in `firmware.md` (one timed call per heap state; the empty timed call "
             "subtracted; the return instruction not counted). Library built with `%s`. Each case builds its heap "
             "through the public calls, checks with the library's internals that the state is the one described "
             "(which free blocks exist, which bitmap levels they alone occupy), times one call, checks that the "
             "call took the block the case expects, and runs `check()`. %s\n"
             % (meta["date"], meta["board"], meta["opt"],
                "`none` / `%s` = the critical-section port." % BOARD["port"]))
    if failures:
        L.append("**Runs that failed:** " + "; ".join(failures) + "\n")
    ports = sorted({r["port"] for r in records if r.get("kind") == "wcet"}, key=lambda p: p != "none")
    by = {}
    order = []
    for r in records:
        if r.get("kind") != "wcet":
            continue
        k = (r["backend"], r["case"], r["op"], r.get("n"))
        if k not in by:
            by[k] = {}
            order.append(k)
        by[k][r["port"]] = r

    L.append("## tlsf\n")
    L.append("Configuration: the library's defaults where the build line above sets nothing (`EA_TLSF_SL_LOG2`, "
             "`EA_TLSF_SEARCH_DEPTH` as in `include/ealloc/config.h`; `n` below is the search depth where it "
             "matters). `random-search` is a "
             "check on the constructed cases: the maxima of 200,000 random calls on a 64 KiB heap must not exceed "
             "them.\n")
    rows = []
    for k in order:
        if k[0] != "tlsf":
            continue
        cells = [by[k][p]["instructions"] if p in by[k] else "–" for p in ports]
        detail = (by[k].get("none") or by[k].get("cortex-m"))["detail"]
        rows.append(["`%s`" % k[1], k[2]] + cells + [detail])
    L.append(table(["case", "op"] + ports + ["heap state"], rows, ["---", "---"] + ["---:"] * len(ports) + ["---"]) + "\n")

    worst = {}
    for k in order:
        if k[0] == "tlsf" and "none" in by[k] and k[1] != "random-search":
            worst[k[2]] = max(worst.get(k[2], 0), by[k]["none"]["instructions"])
    if worst:
        L.append("Worst constructed, port `none`: " + ", ".join("%s %d" % (op, v) for op, v in sorted(worst.items()))
                 + " instructions (targets: alloc ≤ 110, free ≤ 90; o1heap's reference worst: alloc 118, free 108).\n")

    L.append("## llff\n")
    L.append("llff walks its free list, so its worst case has no bound but the number of free blocks *n* in front of "
             "the place the call needs: the cases below are built for several *n* (free blocks of the smallest size, "
             "each behind a block in use, too small for the request) and the slope is the cost per free block. The "
             "longest free list the traces made llff walk is in `firmware.md` (column *free list*).\n")
    cases = []
    for k in order:
        if k[0] == "llff" and (k[1], k[2]) not in cases:
            cases.append((k[1], k[2]))
    for port in ports:
        ns = sorted({k[3] for k in order if k[0] == "llff" and k[3] is not None and port in by[k]})
        if not ns:
            continue
        rows = []
        for case, op in cases:
            row = ["`%s`" % case, op]
            pts = []
            for n in ns:
                r = by.get(("llff", case, op, n), {}).get(port)
                row.append(r["instructions"] if r else "")
                if r:
                    pts.append((n, r["instructions"]))
            if len(pts) >= 2 and pts[-1][0] != pts[-2][0]:
                (n0, c0), (n1, c1) = pts[-2], pts[-1]
                row.append("%.1f" % ((c1 - c0) / float(n1 - n0)))
            else:
                row.append("")
            rows.append(row)
        L.append("Port `%s` (instructions; the free cases start at n = 1, a block needs a free neighbour before it):\n"
                 % port)
        L.append(table(["case", "op"] + ["n=%d" % n for n in ns] + ["per free block"], rows,
                       ["---", "---"] + ["---:"] * (len(ns) + 1)) + "\n")
    details = {}
    for k in order:
        if k[0] == "llff":
            details.setdefault(k[1], re.sub(r"\b\d+ free blocks", "n free blocks", by[k][list(by[k])[0]]["detail"]))
    L.append("Cases:\n")
    for case, d in details.items():
        L.append("- `%s`: %s" % (case, d))
    L.append("")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--board", default="mps2-an386", choices=sorted(BOARDS))
    ap.add_argument("--build", required=True, help="build directory with the nano.specs images")
    ap.add_argument("--newlib-build", help="build directory with the full-newlib image")
    ap.add_argument("--traces", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--opt", default="-Os")
    ap.add_argument("--backends", help="default: every back-end the board's images have")
    ap.add_argument("--only-trace", action="append", help="replay only these traces (names without .trace)")
    ap.add_argument("--skip-wcet", action="store_true")
    ap.add_argument("--cpu", help="the Arm core the library was compiled for, when not the board's own")
    a = ap.parse_args()
    global BOARD
    BOARD = BOARDS[a.board]
    if a.cpu:
        # The board's core model runs the other core's code instruction for instruction
        # (bench/firmware/README.md): the counts are that core's, and the titles say so.
        name = a.cpu.replace("cortex-m", "Cortex-M").replace("plus", "+")
        BOARD = dict(BOARD, core="%s (its code run by the %s model of %s)" % (name, BOARD["core"], a.board))

    t_start = time.monotonic()
    dirs = {"build": a.build, "newlib_build": a.newlib_build}
    tag = BOARD["tag"]
    on_board = ["llff", "tlsf", "llff-" + tag, "tlsf-" + tag] + (["newlib-nano", "newlib"] if BOARD["newlib"] else [])
    want = a.backends.split(",") if a.backends else on_board
    backends = [b for b in BACKENDS if b[0] in want]
    traces = sorted(f[:-6] for f in os.listdir(a.traces) if f.endswith(".trace"))
    if a.only_trace:
        traces = [t for t in traces if t in a.only_trace]
    failures = []

    def elf(image, key):
        d = dirs.get(key)
        return os.path.join(d, image + ".elf") if d else None

    # The method first: if instruction counting does not work, nothing else means anything.
    sel = run(elf("bench_timer_selftest", "build"), [], 60)
    timer = next((r for r in sel["records"] if r.get("kind") == "timer"), None)
    if sel["status"] != 0 or not timer or not timer.get("ok"):
        sys.stderr.write(sel["output"])
        raise SystemExit("collect.py: the instruction-counting self-test failed; nothing measured")
    print("timer: empty timed call = %d instructions; 1/100/1000/10000 nops measure %s"
          % (timer["empty_call_instructions"], "/".join(str(v) for v in timer["nops"].values())), flush=True)

    jobs = []
    for t in traces:
        for name, image, key in backends:
            e = elf(image, key)
            if e is None or not os.path.exists(e):
                failures.append("%s / %s: image %s not built" % (t, name, image))
                continue
            jobs.append((t, name, e, [name, os.path.join(os.path.abspath(a.traces), t + ".trace")]))
    wcet_jobs = [] if a.skip_wcet else [("wcet", p, elf(img, "build"), []) for p, img in
                                        (("none", "bench_wcet"), (BOARD["port"], "bench_wcet_" + tag))]

    results, wcet_records, slow = [], [], []
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        futs = {pool.submit(run, j[2], j[3], a.timeout): j for j in wcet_jobs + jobs}
        for fut in concurrent.futures.as_completed(futs):
            j = futs[fut]
            res = fut.result()
            label = "%s / %s" % (j[0], j[1])
            recs = [r for r in res["records"] if r.get("kind") in ("replay", "wcet", "wcet-calibration")]
            if j[0] == "wcet":
                wcet_records += recs
            else:
                results += [r for r in recs if r["kind"] == "replay"]
            ok = res["status"] == 0 and recs and all(r.get("ok", True) for r in recs)
            if not ok:
                tail = " | ".join(l for l in res["output"].splitlines()[-4:] if not l.startswith("{"))
                failures.append("%s: exit %s%s" % (label, res["status"], (": " + tail) if tail else ""))
            slow.append((res["seconds"], label))
            print("%-40s %6.1f s  %s" % (label, res["seconds"], "ok" if ok else "FAILED (exit %s)" % res["status"]),
                  flush=True)

    order = {b[0]: i for i, b in enumerate(BACKENDS)}
    results.sort(key=lambda r: (r["trace"], order.get(r["backend"], 99)))
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "firmware.jsonl"), "w") as f:
        for r in results:
            f.write(json.dumps(r, separators=(",", ":")) + "\n")

    handles = {r["backend"]: r["handle_bytes"] for r in results if r.get("handle_in_arena")}
    nano_elf, full_elf = elf("bench_replay_newlib_nano", "build"), elf("bench_replay_newlib", "newlib_build")
    full_desc = next((r["allocator"] for r in results if r["backend"] == "newlib"), "newlib")
    meta = {
        "date": datetime.date.today().isoformat(),
        "seconds": time.monotonic() - t_start,
        "board": a.board,
        "qemu": tool_version([BOARD["qemu"], "--version"]),
        "gcc": tool_version([BOARD["tools"] + "gcc", "--version"]),
        "opt": a.opt,
        "empty": timer["empty_call_instructions"],
        "nops": list(timer["nops"].values()),
        "handle_llff": handles.get("llff"),
        "handle_tlsf": handles.get("tlsf"),
        "static_newlib": static_malloc_bytes(full_elf) if full_elf and os.path.exists(full_elf) else None,
        "static_nano": static_malloc_bytes(nano_elf) if nano_elf and os.path.exists(nano_elf) else None,
        "newlib": full_desc,
    }
    names = [b[0] for b in backends]
    with open(os.path.join(a.out, "firmware.md"), "w") as f:
        f.write(firmware_md(results, traces, names, meta, sorted(f2 for f2 in failures if not f2.startswith("wcet"))))
    if wcet_jobs:
        wcet_records.sort(key=lambda r: (r.get("port", ""),))
        with open(os.path.join(a.out, "wcet.jsonl"), "w") as f:
            for r in wcet_records:
                f.write(json.dumps(r, separators=(",", ":")) + "\n")
        with open(os.path.join(a.out, "wcet.md"), "w") as f:
            f.write(wcet_md([r for r in wcet_records if r["kind"] == "wcet"], meta,
                            [f2 for f2 in failures if f2.startswith("wcet")]))
    slow.sort(reverse=True)
    print("slowest runs: " + ", ".join("%s %.1f s" % (l, s) for s, l in slow[:3]))
    print("wrote %s/firmware.jsonl, firmware.md%s in %.0f s" % (a.out, ", wcet.jsonl, wcet.md" if wcet_jobs else "",
                                                                 time.monotonic() - t_start))
    if failures:
        print("FAILED runs:\n  " + "\n  ".join(failures))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
