"""A chunked reader: a large text file read 32 MiB at a time, each chunk split into lines and
tallied, then dropped. Usage: py-chunked.py FILE"""
import collections
import sys

counts = collections.Counter()
rows = 0
with open(sys.argv[1], "rb") as f:
    rest = b""
    while True:
        chunk = f.read(32 << 20)
        if not chunk:
            break
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        rows += len(lines)
        counts.update(line[:2] for line in lines)
print("py-chunked:", rows, "rows,", len(counts), "keys")
