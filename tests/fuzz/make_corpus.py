#!/usr/bin/env python3
"""Writes the fuzzers' seed corpus: tests/fuzz/corpus/<kind>/<scenario>.

Each seed is a small program in the driver's input format (fuzz_driver.c),
written here op by op: a start for libFuzzer in every corner the operations
reach (full heaps, every alignment, overflowing calloc counts, realloc chains
in place and moving, regions added from slices, the largest_free probe, the
allocator handle). Both back-ends get the same seeds. Deterministic: running
it again rewrites the same files.

    tests/fuzz/make_corpus.py [out-dir]      (default: tests/fuzz/corpus)
"""
import os
import random
import struct
import sys

# Operation bytes: the driver takes the kind modulo 16.
ALLOC, ALIGNED, CALLOC, REALLOC, REALLOC_ALIGNED, FREE, ADD_REGION, USABLE, STATS, HANDLE = (
    0, 3, 5, 6, 8, 9, 12, 13, 14, 15)
ARENA = 16 * 1024


def u16(v):
    return list(struct.pack("<H", v))


def size(s):
    """Bytes that make draw_size() return exactly s (or huge[i] for ('huge', i))."""
    if isinstance(s, tuple):
        return [0xC0 | s[1]]
    if s < 32:
        return [s]
    if s < 256:
        return [0x40, s]
    if s < 2048:
        return [0x60] + u16(s)
    if s < ARENA + 2048:
        return [0x80] + u16(s)
    assert s % 64 == 0 and s // 64 < 256
    return [0xE0, s // 64]


def align(a):
    """Bytes for draw_align(): a power of two up to 4096, or ('bad', i) for the odd values."""
    if isinstance(a, tuple):
        return [240 + a[1]]
    e = a.bit_length() - 1
    assert 1 << e == a and e <= 12
    return [e]


def count(n):
    if isinstance(n, tuple):  # ('max', j): SIZE_MAX - j
        return [230 + n[1]]
    assert n <= 16
    return [n]


class Program:
    def __init__(self, offset=0, arena=ARENA):
        self.b = [offset] + u16(arena - 512)

    def alloc(self, slot, s):
        self.b += [ALLOC, slot] + size(s)
        return self

    def aligned(self, slot, a, s):
        self.b += [ALIGNED, slot] + align(a) + size(s)
        return self

    def calloc(self, slot, n, s):
        self.b += [CALLOC, slot] + count(n) + size(s)
        return self

    def realloc(self, slot, s):
        self.b += [REALLOC, slot] + size(s)
        return self

    def realloc_aligned(self, slot, s, a=None):
        """Keeps the slot's alignment when a is None."""
        self.b += [REALLOC_ALIGNED, slot] + ([0] if a is None else [200] + align(a)) + size(s)
        return self

    def free(self, slot):
        self.b += [FREE, slot]
        return self

    def add_region(self, off, length, case=4):
        if case == 4:
            self.b += [ADD_REGION, 4] + u16(off) + u16(length)
        elif case == 3:  # a slice of the first region
            self.b += [ADD_REGION, 3] + u16(off) + u16(length)
        elif case == 0:  # NULL
            self.b += [ADD_REGION, 0] + size(length)
        elif case == 1:  # size 0
            self.b += [ADD_REGION, 1] + u16(off)
        else:  # wrapping
            self.b += [ADD_REGION, 2, off & 0xFF, length & 0xFF]
        return self

    def usable(self, slot, rewrite=False):
        self.b += [USABLE, slot, 1 if rewrite else 0]
        return self

    def stats(self, probe_slot=None):
        self.b += [STATS] + ([0] if probe_slot is None else [1, probe_slot])
        return self

    def handle_alloc(self, slot, s, a=None):
        self.b += [HANDLE, slot] + ([2] if a is None else [3] + align(a)) + size(s)
        return self

    def handle_free(self, slot):
        self.b += [HANDLE, slot, 0]
        return self

    def bytes(self):
        return bytes(self.b)


def scenarios():
    s = {}
    s["empty"] = Program()
    s["tiny-arena-full"] = Program(arena=512)
    for i in range(12):
        s["tiny-arena-full"].alloc(i, 24)
    s["tiny-arena-full"].stats(0)

    p = Program()
    for i in range(32):
        p.alloc(i, i)
    for i in range(0, 32, 2):
        p.free(i)
    s["small-sizes-free-even"] = p.stats(1)

    p = Program()
    for i, n in enumerate([16, 48, 100, 250, 600, 1200, 2000, 4000]):
        p.alloc(i, n)
    for i in reversed(range(8)):
        p.free(i)
    s["ladder-free-reverse"] = p

    p = Program()
    for i in range(13):
        p.aligned(i, 1 << i, 1 + i)
    s["every-alignment"] = p.stats()

    p = Program()
    for i in range(8):
        p.aligned(i, ("bad", i), 16)
    s["bad-alignments"] = p

    p = Program()
    for j in range(8):
        p.calloc(j, ("max", j), 16)
    p.calloc(8, 0, 100).calloc(9, 16, 0).calloc(10, 7, 300)
    s["calloc-overflow-and-zero"] = p

    p = Program()
    for n in [1, 17, 64, 200, 700, 1500, 3000, 6000, 12000, 15000]:
        p.realloc(0, n)
    s["realloc-grow-chain"] = p

    p = Program().alloc(0, 12000)
    for n in [8000, 3000, 1000, 100, 1, 0]:
        p.realloc(0, n)
    s["realloc-shrink-chain"] = p

    p = Program().aligned(0, 4096, 10)
    for n in [100, 1000, 5000, 300]:
        p.realloc_aligned(0, n)
    s["realloc-aligned-4096"] = p

    s["realloc-into-prev"] = Program().alloc(0, 200).alloc(1, 100).alloc(2, 50).free(0).realloc(1, 280).stats()
    s["realloc-into-next"] = Program().alloc(0, 100).alloc(1, 300).alloc(2, 50).free(1).realloc(0, 350).stats()
    s["realloc-aligned-moves"] = Program().alloc(0, 100).alloc(1, 40).realloc_aligned(0, 120, 256).stats()

    p = Program(arena=2048)
    p.add_region(0, 4096).add_region(100, 1000).add_region(4096, 20).add_region(8192, 6000)
    p.add_region(0, 64, case=0).add_region(50, 0, case=1).add_region(3, 9, case=2).add_region(10, 200, case=3)
    for i in range(10):
        p.alloc(i, 900)
    s["regions-from-slices"] = p.stats(11)

    # Regions larger than tlsf's largest block in the 4 KiB build: cut into pieces; NULL refused.
    p = Program(arena=1024).add_region(0, 16000).add_region(0, 17920, case=0)
    for i in range(8):
        p.alloc(i, 3000)
    s["regions-cut-into-pieces"] = p.stats()

    p = Program(arena=1024)
    for i in range(6):
        p.alloc(i, 100)
    p.add_region(0, 16384)
    for i in range(6, 20):
        p.alloc(i, 700)
    s["grow-into-second-region"] = p.stats()

    p = Program()
    for i in range(4):
        p.alloc(i, 1000 * (i + 1)).stats(8 + i)
    s["largest-free-probe"] = p

    p = Program()
    p.handle_alloc(0, 64).handle_alloc(1, 100, 1024).handle_alloc(0, 300).handle_free(1).handle_alloc(2, 8, ("bad", 2))
    s["allocator-handle"] = p

    p = Program()
    for i in range(16):
        p.alloc(i, ("huge", i))
    p.realloc(20, 100)
    for i in range(16):
        p.realloc(20, ("huge", i))
    s["huge-sizes"] = p

    p = Program()
    for i, n in enumerate([7, 8, 9, 23, 24, 25, 39, 40, 41, 55, 56, 57]):
        p.alloc(i, n)
    s["block-boundaries"] = p.stats()

    p = Program().alloc(0, 100).usable(0).usable(0, rewrite=True).usable(5).realloc(0, 90).usable(0)
    s["usable-size-rewrite"] = p

    s["null-and-zero"] = Program().free(3).realloc(3, 0).realloc(3, 40).realloc(3, 0).usable(3)

    p = Program()
    for i in range(32):
        p.alloc(i, 64)
    for i in range(1, 32, 2):
        p.free(i)
    for i in range(1, 32, 4):
        p.alloc(i, 150)
    s["fragmented"] = p.stats(1)

    for off in (1, 7, 63):
        s["unaligned-arena-%d" % off] = Program(offset=off, arena=3000).alloc(0, 1000).aligned(1, 512, 700).stats()

    p = Program(arena=600)
    for i in range(20):
        p.alloc(i, 0)
    s["zero-size-unique"] = p.stats()

    # A few random programs, from a fixed seed.
    rng = random.Random(20261125)
    for n in range(12):
        length = rng.randrange(32, 400)
        s["random-%02d" % n] = bytes(rng.randrange(256) for _ in range(length))
    return s


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    seeds = scenarios()
    for kind in ("llff", "tlsf"):
        d = os.path.join(out, kind)
        os.makedirs(d, exist_ok=True)
        for name in os.listdir(d):
            os.remove(os.path.join(d, name))
        for name, prog in seeds.items():
            data = prog if isinstance(prog, bytes) else prog.bytes()
            with open(os.path.join(d, name), "wb") as f:
                f.write(data)
    print("make_corpus: %d seeds for each of llff, tlsf in %s" % (len(seeds), out))


if __name__ == "__main__":
    main()
