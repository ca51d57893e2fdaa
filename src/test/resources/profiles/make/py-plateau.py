"""A plateau: grows RATE MiB/s (touched bytearrays, 10 a second) up to MIB MiB, then holds it
SECONDS s doing light work, and exits. Usage: py-plateau.py RATE_MIB_PER_S MIB SECONDS"""
import sys
import time

rate, mib, seconds = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
kept = []
start = time.monotonic()
step = 0
while len(kept) * rate / 10 < mib:
    kept.append(bytearray(int(rate * (1 << 20) / 10)))
    step += 1
    time.sleep(max(0.0, start + step * 0.1 - time.monotonic()))
end = time.monotonic() + seconds
total = 0
while time.monotonic() < end:
    total += sum(b[0] for b in kept)
    time.sleep(0.1)
print("py-plateau:", len(kept), "blocks held")
