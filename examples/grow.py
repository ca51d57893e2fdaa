#!/usr/bin/env python3
"""A job whose memory grows steadily, for demos and tests of oomguard.

It allocates --rate MiB every second (in tenths, each page written, so the kernel really
charges it) until it holds --upto MiB, then holds that for --hold seconds and exits 0.
When oomguard asks for a checkpoint (SIGUSR1 with --checkpoint-signal USR1, or the file named
by OOMGUARD_CHECKPOINT_FILE appearing) it "saves its state" to --state and says so on stderr.
"""
import argparse
import os
import signal
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--rate", type=float, default=10.0, help="MiB per second (default 10)")
parser.add_argument("--upto", type=float, default=0.0, help="stop growing at this many MiB (0: never)")
parser.add_argument("--hold", type=float, default=0.0, help="seconds to hold at --upto before exiting")
parser.add_argument("--state", default="", help="file the checkpoint writes")
args = parser.parse_args()

chunks = []
checkpoints = 0


def checkpoint(reason):
    global checkpoints
    checkpoints += 1
    held = sum(len(c) for c in chunks) // (1024 * 1024)
    if args.state:
        with open(args.state + ".tmp", "w") as f:
            f.write(f"{held} MiB held at checkpoint {checkpoints} ({reason})\n")
        os.replace(args.state + ".tmp", args.state)
    print(f"grow.py: checkpoint {checkpoints} at {held} MiB ({reason})", file=sys.stderr, flush=True)


signal.signal(signal.SIGUSR1, lambda n, f: checkpoint("SIGUSR1"))
flag = os.environ.get("OOMGUARD_CHECKPOINT_FILE", "")
step = args.rate / 10.0
held = 0.0
while args.upto <= 0 or held < args.upto:
    chunks.append(b"\1" * int(step * 1024 * 1024))
    held += step
    if flag and os.path.exists(flag):
        reason = open(flag).read().strip()
        os.remove(flag)  # acknowledges the request
        checkpoint("flag file")
    time.sleep(0.1)
time.sleep(args.hold)
print(f"grow.py: done, held {held:.0f} MiB", file=sys.stderr, flush=True)
