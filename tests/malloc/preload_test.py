#!/usr/bin/env python3
"""Real programs under LD_PRELOAD=libealloc_malloc.so, compared with a normal run.

Each program runs twice — without the preload, then with it and EALLOC_STATS=1 — and
must exit the same way with the same output (or output checksum). The preload's
statistics line on stderr must show that the program allocated from ealloc
(alloc_count > 0) and that the heap's check passed at exit.

  preload_probe threads   4 threads of malloc/calloc/realloc/posix_memalign/free
  preload_probe fork      forks while 2 threads allocate; children allocate
  preload_probe foreign   (preload only) frees pointers the preload never handed out
  python3                 preload_workload.py with PYTHONMALLOC=malloc
  sort                    a generated 50 MB file, 2 threads
  xz -T2                  compress and decompress a generated 16 MB file

Registered with CTest by tests/malloc/CMakeLists.txt; exits non-zero on any difference.
"""
import argparse
import base64
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
STATS_LINE = re.compile(r"^ealloc: backend=\w+((?: \w+=\S+)+)$", re.M)

failures = []


def fail(name, why):
    failures.append(name)
    print("FAIL %s: %s" % (name, why), flush=True)


def run(cmd, preload=None, env_extra=None, stdin_path=None, stdout_path=None, timeout=120):
    """(exit status, stdout bytes or b'' when written to a file, stderr text, seconds)."""
    env = dict(os.environ)
    env.pop("LD_PRELOAD", None)
    env.pop("EALLOC_STATS", None)
    env["LC_ALL"] = "C"
    env.update(env_extra or {})
    if preload:
        env["LD_PRELOAD"] = preload
        env["EALLOC_STATS"] = "1"
    stdin = open(stdin_path, "rb") if stdin_path else subprocess.DEVNULL
    stdout = open(stdout_path, "wb") if stdout_path else subprocess.PIPE
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, stdin=stdin, stdout=stdout, stderr=subprocess.PIPE, env=env, timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, b"", "timed out after %d s (a deadlock?)" % timeout, timeout
    finally:
        if stdin_path:
            stdin.close()
        if stdout_path:
            stdout.close()
    return p.returncode, p.stdout or b"", p.stderr.decode(errors="replace"), time.monotonic() - start


def stats_of(stderr):
    """The fields of every statistics line, as dicts of ints (check as a string)."""
    out = []
    for m in STATS_LINE.finditer(stderr):
        fields = {}
        for item in m.group(1).split():
            k, v = item.split("=", 1)
            fields[k] = int(v) if v.isdigit() else v
        out.append(fields)
    return out


def judge_stats(name, stderr, want_foreign=None):
    """The statistics prove the program allocated from ealloc; returns the largest alloc_count."""
    lines = stats_of(stderr)
    if not lines:
        fail(name, "no ealloc statistics line on stderr (was the preload loaded?)\n" + stderr[-2000:])
        return 0
    for s in lines:
        if s.get("check") != "ok":
            fail(name, "the heap check failed at exit: %s" % s)
    main = max(lines, key=lambda s: s["alloc_count"])
    if main["alloc_count"] <= 0 or main["capacity"] <= 0:
        fail(name, "no allocations from ealloc: %s" % main)
    if want_foreign is not None and main["foreign"] != want_foreign:
        fail(name, "expected %d foreign pointers, got %d" % (want_foreign, main["foreign"]))
    return main["alloc_count"]


def strip_stats(stderr):
    return STATS_LINE.sub("", stderr).strip()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def compare(name, cmd, preload, env_extra=None, stdin_path=None, out_path=None, timeout=120):
    """Run cmd both ways; outputs (stdout, or the file written to out_path) must match."""
    ref_out = out_path + ".ref" if out_path else None
    pre_out = out_path + ".preload" if out_path else None
    rc1, out1, err1, t1 = run(cmd, None, env_extra, stdin_path, ref_out, timeout)
    rc2, out2, err2, t2 = run(cmd, preload, env_extra, stdin_path, pre_out, timeout)
    if rc1 is None or rc1 != 0:
        fail(name, "the reference run failed (%s): %s" % (rc1, err1[-2000:]))
        return None
    if rc2 != rc1:
        fail(name, "exit status %s under the preload, %s without: %s" % (rc2, rc1, err2[-2000:]))
        return None
    if out_path:
        same = sha256_file(ref_out) == sha256_file(pre_out)
        digest = sha256_file(pre_out)[:16]
    else:
        same = out1 == out2
        digest = hashlib.sha256(out2).hexdigest()[:16]
    if not same:
        fail(name, "output differs under the preload")
        return None
    if strip_stats(err2) != err1.strip():
        fail(name, "stderr differs under the preload:\n%s\n---\n%s" % (err1[-1000:], strip_stats(err2)[-1000:]))
    allocs = judge_stats(name, err2)
    print("ok   %-22s identical output (%s), %10d allocations from ealloc, %5.1f s / %5.1f s"
          % (name, digest, allocs, t1, t2), flush=True)
    return pre_out


def make_sort_input(path, megabytes):
    rnd = random.Random(7)
    raw = base64.b64encode(rnd.randbytes(megabytes * 3 * 1024 * 1024 // 4))
    lines, at = [], 0
    while at < len(raw):
        n = 8 + rnd.randrange(72)
        lines.append(raw[at:at + n])
        at += n
    # Some duplicates and numbers, so equal keys occur.
    lines.extend(lines[::50])
    with open(path, "wb") as f:
        f.write(b"\n".join(lines) + b"\n")


def make_xz_input(path, megabytes):
    rnd = random.Random(11)
    vocabulary = ["%s%d" % (w, i) for i, w in enumerate(
        "alloc free block region heap tlsf llff granule header split merge class list bitmap".split() * 40)]
    text = " ".join(rnd.choice(vocabulary) for _ in range(220000)).encode()
    parts = []
    size = 0
    i = 0
    while size < megabytes * 1024 * 1024:
        part = text[i % 7 * 1000:] + rnd.randbytes(200000) if i % 3 == 0 else text[i % 5 * 333:]
        parts.append(part)
        size += len(part)
        i += 1
    with open(path, "wb") as f:
        f.write(b"".join(parts)[:megabytes * 1024 * 1024])


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--preload", required=True, help="path of libealloc_malloc.so")
    ap.add_argument("--probe", required=True, help="path of preload_probe")
    ap.add_argument("--workdir", required=True, help="scratch folder for generated files")
    ap.add_argument("--sort-mb", type=int, default=50)
    ap.add_argument("--xz-mb", type=int, default=16)
    args = ap.parse_args()
    preload = os.path.abspath(args.preload)
    os.makedirs(args.workdir, exist_ok=True)
    w = lambda name: os.path.join(args.workdir, name)
    start = time.monotonic()

    for tool in ("sort", "xz"):
        if shutil.which(tool) is None:
            fail(tool, "not installed (Debian: coreutils, xz-utils)")

    # The probe program: threads and fork must give the same output; foreign is preload-only.
    compare("probe threads", [args.probe, "threads"], preload)
    compare("probe fork", [args.probe, "fork"], preload)
    rc, out, err, _ = run([args.probe, "foreign"], preload)
    if rc != 0:
        fail("probe foreign", "exit status %s: %s" % (rc, err[-2000:]))
    else:
        n = judge_stats("probe foreign", err, want_foreign=4)
        print("ok   %-22s %s, %10d allocations from ealloc" % ("probe foreign", out.decode().strip(), n))

    # Python allocating heavily, every object through malloc.
    compare("python3", [sys.executable, os.path.join(HERE, "preload_workload.py")], preload,
            env_extra={"PYTHONMALLOC": "malloc", "PYTHONHASHSEED": "0"})

    # sort: a 50 MB file, two threads.
    if shutil.which("sort"):
        make_sort_input(w("sort.in"), args.sort_mb)
        compare("sort %d MB" % args.sort_mb, ["sort", "--parallel=2", w("sort.in")], preload,
                out_path=w("sort.out"))

    # xz with two threads: compress (the archives must be identical), then decompress.
    if shutil.which("xz"):
        make_xz_input(w("xz.in"), args.xz_mb)
        xz_out = compare("xz -T2 compress", ["xz", "-T2", "-1", "--block-size=1MiB", "-c", w("xz.in")], preload,
                         out_path=w("xz.xz"))
        if xz_out:
            back = compare("xz -T2 decompress", ["xz", "-T2", "-d", "-c"], preload, stdin_path=xz_out,
                           out_path=w("xz.back"))
            if back and sha256_file(back) != sha256_file(w("xz.in")):
                fail("xz -T2 decompress", "the round trip changed the data")

    print("%s in %.1f s" % ("FAILED: " + ", ".join(failures) if failures else "all programs ok",
                            time.monotonic() - start))
    if not failures:
        shutil.rmtree(args.workdir, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
