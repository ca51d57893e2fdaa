#!/usr/bin/env python3
"""A job that thrashes without ever being killed, for demos and tests of oomguard.

It maps a data file of --size MiB and reads one byte of every page, over and over, for
--seconds. Run it in a memory cgroup smaller than the file: every pass pushes out the pages
the next pass needs, so the job spends its time waiting for the disk (page-cache refaults,
major faults, PSI "full" stall), the kernel never kills it, and it finishes late.

    mkdir /sys/fs/cgroup/memory/demo && echo 64M > /sys/fs/cgroup/memory/demo/memory.limit_in_bytes
    oomguard -- sh -c 'echo $$ > /sys/fs/cgroup/memory/demo/cgroup.procs && exec python3 thrash.py'

The file is made (random bytes, so no file system can store it sparse or compressed) when
missing or of another size; its pages are dropped from the cache at start (posix_fadvise),
so the first pass already reads from disk and is charged to the job's cgroup.
"""
import argparse
import mmap
import os
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--file", default="thrash.data", help="data file (default thrash.data)")
parser.add_argument("--size", type=int, default=128, help="MiB (default 128)")
parser.add_argument("--seconds", type=float, default=10.0, help="how long to read (default 10)")
args = parser.parse_args()

size = args.size << 20
if not os.path.exists(args.file) or os.path.getsize(args.file) != size:
    with open(args.file, "wb") as f:
        chunk = os.urandom(1 << 20)
        for _ in range(args.size):
            f.write(chunk)
        f.flush()
        os.fsync(f.fileno())

fd = os.open(args.file, os.O_RDONLY)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)
pages = mmap.mmap(fd, size, prot=mmap.PROT_READ)
start = time.monotonic()
passes = 0
checksum = 0
while time.monotonic() - start < args.seconds:
    for offset in range(0, size, mmap.PAGESIZE):
        checksum += pages[offset]
    passes += 1
print(f"thrash.py: {passes} passes over {args.size} MiB in {time.monotonic() - start:.1f}s", file=sys.stderr)
