#!/usr/bin/env python3
"""A long job that checkpoints when oomguard asks, and resumes from its checkpoint.

It sums i*i for i = 1..N, one i per iteration, keeping --mib MiB per iteration in a cache
(so its memory grows as it goes), and prints "result: SUM" on stdout at the end (the right
answer is N(N+1)(2N+1)/6).

Checkpoint protocol (run it with `oomguard --checkpoint-signal USR1 -- python3 sumsq.py`):
SIGUSR1 only sets a flag; between two iterations, where the state is consistent, the job
pickles it to a temporary file and renames that over --state (a reader never sees half a
state), then acknowledges by writing "$OOMGUARD_CHECKPOINT_FILE.done". Started again, it
resumes from --state; when it finishes, it removes --state.
"""
import argparse
import os
import pickle
import signal
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--n", type=int, default=160, help="iterations (default 160)")
parser.add_argument("--mib", type=float, default=1.0, help="MiB kept per iteration (default 1)")
parser.add_argument("--per-second", type=float, default=20.0, help="iterations per second (default 20)")
parser.add_argument("--state", default="sumsq-py.state", help="the checkpoint file (default sumsq-py.state)")
args = parser.parse_args()

asked = False


def on_usr1(signum, frame):
    global asked
    asked = True  # acted on between iterations, never in the middle of one


signal.signal(signal.SIGUSR1, on_usr1)

state = {"next": 1, "sum": 0}
if os.path.exists(args.state):
    with open(args.state, "rb") as f:
        state = pickle.load(f)
    print(f"sumsq.py: resumed at iteration {state['next']} (sum so far {state['sum']})", file=sys.stderr, flush=True)


def checkpoint():
    tmp = args.state + ".tmp"
    with open(tmp, "wb") as f:
        pickle.dump(state, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, args.state)  # atomic: the old state or the new one, never half of one
    flag = os.environ.get("OOMGUARD_CHECKPOINT_FILE")
    if flag:
        open(flag + ".done", "w").close()  # acknowledges: oomguard may stop the job now
    print(f"sumsq.py: checkpoint at iteration {state['next']} (sum so far {state['sum']})", file=sys.stderr, flush=True)


cache = []
while state["next"] <= args.n:
    i = state["next"]
    cache.append(bytes([i % 256]) * int(args.mib * 1024 * 1024))  # every page written: really charged
    state = {"next": i + 1, "sum": state["sum"] + i * i}
    if asked:
        asked = False
        checkpoint()
    time.sleep(1.0 / args.per_second)

print(f"result: {state['sum']}")
if os.path.exists(args.state):
    os.remove(args.state)
