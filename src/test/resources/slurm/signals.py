#!/usr/bin/env python3
"""A job for SlurmIT: says which signals it gets (TERM, USR1) and what the checkpoint file says.

Prints "job: ready" once its handlers are in place; on each signal "job: got SIGX (checkpoint
file: ...)"; one second after the first TERM it prints "job: signals A,B" and exits 3, so the
test sees exactly how many times each signal arrived. Ends by itself after 120 s.
"""
import os
import signal
import sys
import time

got = []


def on(number, frame):
    name = signal.Signals(number).name
    got.append(name)
    flag = os.environ.get("OOMGUARD_CHECKPOINT_FILE", "")
    text = open(flag).read().strip() if flag and os.path.exists(flag) else "absent"
    print(f"job: got {name} (checkpoint file: {text})", flush=True)


signal.signal(signal.SIGTERM, on)
signal.signal(signal.SIGUSR1, on)
print("job: ready", flush=True)
deadline = time.time() + 120
while time.time() < deadline and "SIGTERM" not in got:
    time.sleep(0.1)
time.sleep(1)
print("job: signals " + ",".join(got), flush=True)
sys.exit(3)
