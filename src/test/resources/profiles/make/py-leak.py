"""A true leak: RATE MiB/s kept forever (touched bytearrays, 10 a second), for SECONDS s.
Usage: py-leak.py RATE_MIB_PER_S SECONDS"""
import sys
import time

rate, seconds = float(sys.argv[1]), float(sys.argv[2])
kept = []
start = time.monotonic()
step = 0
while time.monotonic() - start < seconds:
    kept.append(bytearray(int(rate * (1 << 20) / 10)))
    step += 1
    time.sleep(max(0.0, start + step * 0.1 - time.monotonic()))
print("py-leak:", len(kept), "blocks kept")
