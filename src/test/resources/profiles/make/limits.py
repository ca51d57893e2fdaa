"""Writes ../limits.tsv: each trace's limits and its true outcome at each, from the trace itself.
Jobs that end: fit with the peak at 70%, 85% and 94% of the limit; exhaust at 85% and 60% of the
peak. Open-ended traces (py-leak-*, which never end by themselves, and r-grow-vector, stopped by
hand while still growing) only exhaust: at 90%, 60% and 35% of their peak. Outcome: exhausts@T_ms
at the first sample at or over the limit, else fits.
Usage: limits.py"""
import glob
import math
import os

MIB = 1 << 20
here = os.path.dirname(os.path.abspath(__file__))
rows = []
for path in sorted(glob.glob(os.path.join(here, "..", "*.csv"))):
    name = os.path.basename(path)[:-4]
    trace = []
    for line in open(path):
        if line.startswith("#") or line.startswith("t_ms"):
            continue
        t, u = line.strip().split(",")
        trace.append((int(t), int(u)))
    peak = max(u for _, u in trace)
    if name.startswith("py-leak") or name == "r-grow-vector":
        limits = [math.floor(peak * f / MIB) for f in (0.9, 0.6, 0.35)]
    else:
        limits = [math.ceil(peak / f / MIB) for f in (0.70, 0.85, 0.94)] \
            + [math.floor(peak * f / MIB) for f in (0.85, 0.60)]
    for mib in limits:
        at = next((t for t, u in trace if u >= mib * MIB), None)
        rows.append(f"{name}\t{mib}\t{'fits' if at is None else f'exhausts@{at}ms'}")
with open(os.path.join(here, "..", "limits.tsv"), "w") as f:
    f.write("# profile\tlimit_mib\ttrue outcome (fits, or exhausts@T: first sample at or over the limit)\n")
    f.write("# written by make/limits.py from the traces; the replay test checks each against its trace\n")
    f.write("\n".join(rows) + "\n")
print(len(rows), "cases")
