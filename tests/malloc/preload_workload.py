"""A Python program that allocates heavily, for preload_test.py: dicts, lists, strings,
JSON round trips, sorting, deletion. Run with PYTHONMALLOC=malloc and PYTHONHASHSEED=0 so
that every object comes from malloc and the output is the same on every run: one digest
line per round and a final one."""
import hashlib
import json
import random
import sys

rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 2
rnd = random.Random(20261125)
total = hashlib.sha256()
keep = []  # some data lives across rounds, so the heap holds old and new blocks at once

for r in range(rounds):
    h = hashlib.sha256()
    table = {}
    for i in range(40000):
        key = "k%d-%x" % (i, rnd.getrandbits(40))
        table[key] = [rnd.randrange(1000000) for _ in range(rnd.randrange(12))]
    text = json.dumps(table, sort_keys=True)
    h.update(text.encode())
    back = json.loads(text)
    assert back == table
    words = [("w%d" % (x % 977)) * (x % 37) for x in range(120000)]
    words.sort(key=lambda w: (len(w), w))
    h.update("|".join(words[::101]).encode())
    pieces = {}
    for x in range(60000):
        pieces.setdefault(x % 500, []).append(str(x) * (1 + x % 7))
    for k in list(pieces)[::2]:
        del pieces[k]
    h.update(repr(sorted((k, len(v)) for k, v in pieces.items())).encode())
    blob = bytearray()
    for x in range(3000):
        blob += bytes([x % 251]) * (x % 300)
    h.update(bytes(blob))
    keep.append(text[:: 1 + r])
    if len(keep) > 3:
        keep.pop(0)
    print("round %d: %s" % (r, h.hexdigest()[:32]))
    total.update(h.digest())

print("total: %s, kept %d characters" % (total.hexdigest(), sum(len(k) for k in keep)))
