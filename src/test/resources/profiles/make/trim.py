"""Trims an oomguard run record (--record FILE.jsonl) to a profile trace: the binding limit's used
bytes over time, as t_ms,used_bytes lines under a commented header saying how it was made.
At most MAX samples are kept (every k-th, always the first, the last and the peak).
Usage: trim.py RECORD.jsonl NAME "WHAT IT IS" OUT.csv"""
import json
import os
import sys

MAX = 1500
record, name, what, out = sys.argv[1:5]
header, samples, exit_line = None, [], None
with open(record) as f:
    for line in f:
        o = json.loads(line)
        if o["type"] == "header":
            header = o
        elif o["type"] == "sample" and o["tree"]["processes"] > 0:
            b = o["binding"]
            samples.append((o["t_ms"], b["used_bytes"], b["source"], b["capacity_bytes"]))
        elif o["type"] == "exit":
            exit_line = o
if not samples:
    sys.exit(f"{record}: no samples")
sources = {s[2] for s in samples}
if sources != {"cgroup_v1"}:
    sys.exit(f"{record}: the binding limit was not the job's own cgroup throughout: {sources}")
peak = max(range(len(samples)), key=lambda i: samples[i][1])
step = max(1, -(-len(samples) // MAX))
keep = sorted({0, len(samples) - 1, peak} | set(range(0, len(samples), step)))
cores = os.cpu_count()
with open(out, "w") as f:
    f.write(f"# profile: {name}\n")
    f.write(f"# what: {what}\n")
    f.write(f"# command: {header['command']}\n")
    f.write(f"# recorded: {header['started'][:19]}Z on host {header['host']} (kernel {header['kernel']},"
            f" {cores} cores shared with other work), oomguard {header['version']} --record"
            f" --interval {header['interval_ms']}ms --memory-max {header['settings'].get('memory_max')} --dry-run\n")
    f.write("# measure: used bytes of the binding limit, the job's own memory cgroup (v1), as oomguard"
            " measures it (capacity minus headroom)\n")
    f.write(f"# capacity when recorded: {samples[0][3]} bytes (never approached)\n")
    f.write(f"# samples: {len(keep)} of {len(samples)} kept (every {step}, and the peak)\n")
    if exit_line:
        f.write(f"# exit: {exit_line.get('status_text', exit_line.get('status'))} at t_ms {exit_line['t_ms']}\n")
    f.write("t_ms,used_bytes\n")
    for i in keep:
        f.write(f"{samples[i][0]},{samples[i][1]}\n")
print(f"{name}: {len(samples)} samples, peak {samples[peak][1] >> 20} MiB at {samples[peak][0]} ms,"
      f" last at {samples[-1][0]} ms")
