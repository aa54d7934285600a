# Python's re.finditer over an mmap of one file, for each pattern given: the file, then the
# patterns in Go's syntax (which Python's re reads the same way for these). Timed inside the
# interpreter, best of three. Prints a JSON list: {"count", "ns"} or {"error"} per pattern.
import json
import mmap
import re
import sys
import time

name, pats = sys.argv[1], sys.argv[2:]
with open(name, "rb") as f:
    mm = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
mm.find(b"\x01")  # fault every page in, as the Go side maps a file in the page cache
out = []
for p in pats:
    try:
        rx = re.compile(p.encode())
    except re.error as e:
        out.append({"error": str(e)})
        continue
    best, n = None, 0
    for _ in range(3):
        t = time.perf_counter()
        n = sum(1 for _ in rx.finditer(mm))
        d = time.perf_counter() - t
        best = d if best is None else min(best, d)
    out.append({"count": n, "ns": best * 1e9})
print(json.dumps(out))
