#!/usr/bin/env python3
"""Record a real program's allocations and replay the recording (docs/trace.md).

  record_and_replay.py --replay ealloc-replay --preload libealloc_malloc.so --work DIR [--probe P] python3
      runs python3 on a short script twice: normally, and under the LD_PRELOAD library with
      EALLOC_TRACE=DIR/python3.trace. Both runs must print the same; then the trace is checked.
      With --probe, the same for tests/malloc's preload_probe in its threads mode (4 threads
      allocating at once) and fork mode (100 forks while threads allocate).
  record_and_replay.py --replay ealloc-replay --trace FILE [--expect-regions]
      checks a trace recorded elsewhere (the firmware demo's, streamed over semihosting).

Checking a trace: it starts with its arena line and ends with the recorder's closing comment
("# ealloc-recorder: a=N c=N r=N f=N failed=N ..."); replaying it through llff, tlsf and the C
library's malloc (with check() every few thousand operations) must perform exactly the
operations the recorder wrote — per kind, and as many lines as the file holds — with the
failures it recorded, no corruption, no failed check, and nothing skipped. A recording with
blocks from before it began (unknown > 0) has frees the replay may skip; only python3's is
expected to have none, since the preload library starts recording before main.
"""
import argparse
import json
import os
import re
import subprocess
import sys

SUMMARY = re.compile(r"^# ealloc-recorder: a=(\d+) c=(\d+) r=(\d+) f=(\d+) failed=(\d+) unknown=(\d+) "
                     r"dropped=(\d+) refused=(\d+) regions=(\d+)$", re.M)

SCRIPT = r"""
import collections, json, re
d = {str(i): [i] * (i % 40) for i in range(3000)}
s = json.dumps(d, sort_keys=True)
back = json.loads(s)
words = collections.Counter(re.findall(r"\d+", s))
text = "".join(sorted(set(s)))
print(len(back), len(words), sum(words.values()), text)
"""

problems = []


def fail(why):
    problems.append(why)
    print("FAIL: " + why, flush=True)


def check_trace(replay, path, expect_no_unknown):
    with open(path) as f:
        text = f.read()
    lines = text.splitlines()
    if not lines or not re.match(r"^arena \d+$", lines[0]):
        fail("%s: the first line is not the arena: %r" % (path, lines[:1]))
        return
    found = SUMMARY.findall(text)
    if len(found) != 1 or not lines[-1].startswith("# ealloc-recorder:"):
        fail("%s: no single closing comment of the recorder at its end" % path)
        return
    a, c, r, f, failed, unknown, dropped, refused, regions = (int(x) for x in found[0])
    kinds = {"a": 0, "c": 0, "r": 0, "f": 0}
    for line in lines[1:]:
        if line and line[0] in kinds:
            kinds[line[0]] += 1
    print("%s: %d lines; recorder: a=%d c=%d r=%d f=%d failed=%d unknown=%d dropped=%d refused=%d"
          % (path, len(lines), a, c, r, f, failed, unknown, dropped, refused), flush=True)
    if (kinds["a"], kinds["c"], kinds["r"], kinds["f"]) != (a, c, r, f):
        fail("%s: lines by kind %s differ from the recorder's counts" % (path, kinds))
    if a + c == 0 or f == 0:
        fail("%s: nothing was recorded" % path)
    if dropped != 0:
        fail("%s: the recorder dropped %d allocations" % (path, dropped))
    if expect_no_unknown and unknown != 0:
        fail("%s: %d calls on blocks from before the recording" % (path, unknown))

    ops = a + c + r + f
    out = subprocess.run([replay, "--json", "--check-every", str(max(1000, ops // 50)), path],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=600)
    if out.returncode != 0:
        fail("%s: ealloc-replay exited %d: %s" % (path, out.returncode, out.stderr.strip()[-500:]))
    results = [json.loads(line) for line in out.stdout.splitlines() if line.startswith("{")]
    if sorted(res["backend"] for res in results) != ["llff", "system", "tlsf"]:
        fail("%s: expected llff, tlsf and system results, got %s" % (path, [x["backend"] for x in results]))
    for res in results:
        name = "%s on %s" % (path, res["backend"])
        got = res["ops"]
        print("  %s: ops %s, failures %d, skipped %s, corruptions %d, check %s"
              % (res["backend"], got, res["failures"], res["skipped"], res["corruptions"], res["check"]),
              flush=True)
        if (got["alloc"], got["calloc"], got["realloc"], got["free"]) != (a, c, r, f) or got["total"] != ops:
            fail("%s: replayed %s, recorded a=%d c=%d r=%d f=%d" % (name, got, a, c, r, f))
        check_failed = res["backend"] != "system" and res["check"] != 0  # the C library's malloc has none
        if res["corruptions"] != 0 or check_failed or not res["ok"] or res["aborted"]:
            fail("%s: corruption %d, check %d, ok %s" % (name, res["corruptions"], res["check"], res["ok"]))
        if res["backend"] != "system" and res["failures"] != failed:
            fail("%s: %d failures, the recording had %d" % (name, res["failures"], failed))
        if unknown == 0 and (res["skipped"]["free"] or res["skipped"]["realloc"]):
            fail("%s: skipped %s although every block was recorded" % (name, res["skipped"]))


def record_python(replay, preload, work):
    os.makedirs(work, exist_ok=True)
    script = os.path.join(work, "workload.py")
    with open(script, "w") as f:
        f.write(SCRIPT)
    trace = os.path.join(work, "python3.trace")
    if os.path.exists(trace):
        os.remove(trace)
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "EALLOC_TRACE", "EALLOC_STATS")}
    # sys.executable is the interpreter itself, not a launcher script that would record instead of it.
    normal = subprocess.run([sys.executable, script], stdout=subprocess.PIPE, env=env, timeout=300)
    env.update(LD_PRELOAD=preload, EALLOC_TRACE=trace)
    recorded = subprocess.run([sys.executable, script], stdout=subprocess.PIPE, env=env, timeout=300)
    if recorded.returncode != 0 or normal.returncode != 0 or recorded.stdout != normal.stdout:
        fail("python3 under the preload: exit %d/%d, output %s" % (
            normal.returncode, recorded.returncode, "same" if recorded.stdout == normal.stdout else "differs"))
    if not os.path.exists(trace):
        fail("python3 under the preload wrote no trace")
        return
    check_trace(replay, trace, expect_no_unknown=True)


def record_probe(replay, preload, probe, mode, work):
    """The preload test's probe program: 4 threads at once (threads), or forks while threads work (fork).

    A recording of several threads replays only if the events came in the order the heap served
    them; forked children must neither record nor damage the parent's file."""
    os.makedirs(work, exist_ok=True)
    trace = os.path.join(work, "probe-%s.trace" % mode)
    if os.path.exists(trace):
        os.remove(trace)
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "EALLOC_TRACE", "EALLOC_STATS")}
    normal = subprocess.run([probe, mode], stdout=subprocess.PIPE, env=env, timeout=300)
    env.update(LD_PRELOAD=preload, EALLOC_TRACE=trace)
    recorded = subprocess.run([probe, mode], stdout=subprocess.PIPE, env=env, timeout=300)
    if recorded.returncode != 0 or normal.returncode != 0 or recorded.stdout != normal.stdout:
        fail("probe %s under the preload: exit %d/%d, output %s" % (
            mode, normal.returncode, recorded.returncode, "same" if recorded.stdout == normal.stdout else "differs"))
    if not os.path.exists(trace):
        fail("probe %s under the preload wrote no trace" % mode)
        return
    check_trace(replay, trace, expect_no_unknown=True)


def bad_trace_paths(preload, work):
    """EALLOC_TRACE naming a file that cannot be made: the program runs as without it, with one line on
    stderr and no file; an empty EALLOC_TRACE records nothing and says nothing."""
    env = {k: v for k, v in os.environ.items() if k not in ("LD_PRELOAD", "EALLOC_TRACE", "EALLOC_STATS")}
    env["LD_PRELOAD"] = preload
    missing = os.path.join(work, "no-such-folder", "x.trace")
    for value, message in ((missing, "ealloc: EALLOC_TRACE: cannot open the trace file; not recording"), ("", None)):
        env["EALLOC_TRACE"] = value
        out = subprocess.run([sys.executable, "-c", "print(6 * 7)"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             env=env, text=True, timeout=120)
        if out.returncode != 0 or out.stdout != "42\n":
            fail("EALLOC_TRACE=%r: exit %d, output %r" % (value, out.returncode, out.stdout))
        said = [line for line in out.stderr.splitlines() if line.startswith("ealloc:")]
        if said != ([message] if message else []):
            fail("EALLOC_TRACE=%r: stderr says %r" % (value, said))
        if value and os.path.exists(value):
            fail("EALLOC_TRACE=%r: a file was made" % value)
    print("EALLOC_TRACE with a path that cannot be opened, and empty: the program runs, nothing recorded", flush=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--replay", required=True)
    ap.add_argument("--preload")
    ap.add_argument("--work")
    ap.add_argument("--trace")
    ap.add_argument("--probe", help="tests/malloc's preload_probe: also record its threads and fork modes")
    ap.add_argument("program", nargs="?")
    args = ap.parse_args()
    if args.trace:
        check_trace(args.replay, args.trace, expect_no_unknown=False)
    elif args.program == "python3":
        record_python(args.replay, args.preload, args.work)
        bad_trace_paths(args.preload, args.work)
        if args.probe:
            for mode in ("threads", "fork"):
                record_probe(args.replay, args.preload, args.probe, mode, args.work)
    else:
        ap.error("give --trace FILE, or python3 with --preload and --work")
    if problems:
        print("%d problem(s)" % len(problems))
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
