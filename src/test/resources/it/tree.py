# A small job for SamplerIT: joins the cgroup given as argv[1], holds 64 MiB of anonymous memory
# and 32 MiB of file cache (written to argv[2]), forks a worker holding 32 MiB, prints
# "ready <worker pid>" and waits. On SIGUSR1 the worker grows until the cgroup's limit kills it;
# the master carries on (as R's mclapply master does).
import os, signal, sys, time

cgroup, cache_file = sys.argv[1], sys.argv[2]
with open(os.path.join(cgroup, "cgroup.procs"), "w") as f:
    f.write(str(os.getpid()))
held = bytearray(64 << 20)
for i in range(0, len(held), 4096):
    held[i] = 1
with open(cache_file, "wb") as f:
    for _ in range(32):
        f.write(os.urandom(1 << 20))

r, w = os.pipe()
worker = os.fork()
if worker == 0:
    os.close(r)
    grow = []
    signal.signal(signal.SIGUSR1, lambda *_: grow.append(True))
    mine = bytearray(32 << 20)
    for i in range(0, len(mine), 4096):
        mine[i] = 1
    os.write(w, b"x")
    chunks = []
    while True:
        if grow:
            chunk = bytearray(16 << 20)
            for i in range(0, len(chunk), 4096):
                chunk[i] = 1
            chunks.append(chunk)
        time.sleep(0.02)
os.close(w)
os.read(r, 1)
print("ready", worker, flush=True)
while True:
    time.sleep(1)
