"""Writes MIB MiB of random text lines to FILE (for sort and the chunked reader). Usage: gen-lines.py FILE MIB"""
import random
import string
import sys

rnd = random.Random(7)
letters = string.ascii_letters + string.digits
target = int(sys.argv[2]) << 20
pool = ["".join(rnd.choices(letters, k=rnd.randrange(20, 120))) for _ in range(50000)]
with open(sys.argv[1], "w") as f:
    written = 0
    while written < target:
        block = "\n".join(rnd.choices(pool, k=10000)) + "\n"
        f.write(block)
        written += len(block)
