# Runs operation scripts on Python's own mmap and prints what each operation returned, for
# python_test.go to compare with the Go Region. Input (stdin): a JSON list of scenarios
# {"path", "access", "ops": [[name, args...], ...]}; output: a JSON list, per scenario, of
# [kind, value] per operation, where kind is "ok" or the exception's class name.
import json
import mmap
import os
import sys

ACCESS = {"default": mmap.ACCESS_DEFAULT, "read": mmap.ACCESS_READ,
          "write": mmap.ACCESS_WRITE, "copy": mmap.ACCESS_COPY}


def run(m, op, args):
    if op == "read":
        return m.read(args[0]).hex()
    if op == "read_byte":
        return m.read_byte()
    if op == "readline":
        return m.readline().hex()
    if op == "seek":
        m.seek(args[0], args[1])
        return m.tell()
    if op == "tell":
        return m.tell()
    if op == "write":
        return m.write(bytes.fromhex(args[0]))
    if op == "write_byte":
        m.write_byte(args[0])
        return None
    if op in ("find", "rfind") and len(args) > 1 and args[1] > len(m) and sys.version_info < (3, 15):
        # Python 3.15 (gh-151021) finds nothing from a start past the end, as bytes.find does, and
        # so does the Go Region; earlier versions found an empty subsequence at the end.
        return -1
    if op == "find":
        return m.find(bytes.fromhex(args[0]), *args[1:])
    if op == "rfind":
        return m.rfind(bytes.fromhex(args[0]), *args[1:])
    if op == "move":
        m.move(*args)
        return None
    if op == "resize":
        m.resize(args[0])
        # The Go Region clamps its cursor to the new length (API contract); Python leaves it.
        if m.tell() > len(m):
            m.seek(len(m))
        return None
    if op == "flush":
        m.flush(*args)
        return None
    if op == "slice":
        return m[args[0]:args[1]].hex()
    if op == "len":
        return len(m)
    if op == "size":
        return m.size()
    raise SystemExit("unknown op " + op)


out = []
for sc in json.load(sys.stdin):
    fd = os.open(sc["path"], os.O_RDONLY if sc["access"] == "read" else os.O_RDWR)
    m = mmap.mmap(fd, 0, access=ACCESS[sc["access"]])
    os.close(fd)
    results = []
    for op in sc["ops"]:
        try:
            results.append(["ok", run(m, op[0], op[1:])])
        except Exception as e:  # the class is what is compared
            results.append([type(e).__name__, None])
    results.append(["ok", m[:].hex()])
    m.close()
    out.append(results)
json.dump(out, sys.stdout)
