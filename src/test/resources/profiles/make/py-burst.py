"""A burst load then compute: MIB MiB (default 600) read into memory at once, then SECONDS s
(default 12) of work on it, flat. Usage: py-burst.py [MIB [SECONDS]]"""
import hashlib
import os
import sys
import time

mib = int(sys.argv[1]) if len(sys.argv) > 1 else 600
seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 12
blocks = [os.urandom(8 << 20) for _ in range(mib // 8)]   # quickly
deadline = time.monotonic() + seconds
rounds = 0
while time.monotonic() < deadline:
    h = hashlib.sha256()
    for b in blocks[rounds % 5::5]:
        h.update(b[:1 << 20])
    rounds += 1
print("py-burst:", len(blocks), "blocks,", rounds, "rounds")
