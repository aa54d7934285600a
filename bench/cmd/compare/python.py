# Python's mmap on the workloads of package bench, timed inside the script (the interpreter's
# start-up is not counted). Arguments: the data directory, the rare and the common needle, the
# pattern, and "cpu" to time with the process's CPU time rather than wall time. Prints one JSON object: workload -> nanoseconds per operation.
import json
import mmap
import os
import re
import sys
import time

d = sys.argv[1]
rare, common, pattern = (a.encode() for a in sys.argv[2:5])
clock = time.process_time if sys.argv[5] == "cpu" else time.perf_counter
meta = json.load(open(os.path.join(d, "meta.json")))
out = {}


def open_map(name):
    with open(os.path.join(d, name), "rb") as f:
        mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
    mm.find(b"\x01")  # fault every page in: the Go side measures a warm mapping too
    return mm


def timed(name, ops, fn, want=None):
    t = clock()
    got = fn()
    ns = (clock() - t) * 1e9 / ops
    if want is not None and got != want:
        raise SystemExit("%s: got %r, want %r" % (name, got, want))
    out[name] = ns


text = open_map("text.txt")
lines = open_map("lines.txt")


def seq():
    text.seek(0)
    n = 0
    while True:
        b = text.read(65536)
        if not b:
            return n
        n += len(b)


timed("SeqReadAt64K", 1, seq, meta["TextSize"])

pages = meta["TextSize"] // 4096
x = 12345
offs = []
for _ in range(1 << 16):
    x = (x * 6364136223846793005 + 1442695040888963407) % (1 << 64)
    offs.append((x >> 20) % pages * 4096)


def rand():
    n = 0
    for off in offs:
        n += len(text[off:off + 4096])
    return n


timed("RandReadAt4K", len(offs), rand, len(offs) * 4096)


def readbyte(count):
    lines.seek(0)
    rb = lines.read_byte
    for _ in range(count):
        rb()
    return count


timed("ReadByte", 1 << 20, lambda: readbyte(1 << 20))


def readline():
    lines.seek(0)
    rl = lines.readline
    n = 0
    while rl():
        n += 1
    return n


timed("ReadLine", 1, readline, meta["Lines"])


def find(needle):
    n = 0
    i = text.find(needle, 0)
    while i >= 0:
        n += 1
        i = text.find(needle, i + 1)
    return n


timed("FindRare", 1, lambda: find(rare), meta["RareCount"])
timed("FindCommon", 1, lambda: find(common), meta["CommonCount"])

pat = re.compile(pattern)
timed("FindAllRegexp", 1, lambda: sum(1 for _ in pat.finditer(text)), meta["PatternCount"])

out["version"] = sys.version.split()[0]
print(json.dumps(out))
