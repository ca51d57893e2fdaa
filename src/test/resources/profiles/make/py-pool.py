"""multiprocessing.Pool with 2 forked workers: TASKS tasks (default 16), each builds a list of
N floats (default 3M, ~100 MiB), sorts it and returns one number. Usage: py-pool.py [TASKS [N]]"""
import multiprocessing
import random
import sys

N = int(sys.argv[2]) if len(sys.argv) > 2 else 3_000_000


def task(seed):
    rnd = random.Random(seed)
    xs = [rnd.random() for _ in range(N)]
    xs.sort()
    return sum(xs[::1000])


if __name__ == "__main__":
    tasks = int(sys.argv[1]) if len(sys.argv) > 1 else 16
    with multiprocessing.Pool(2) as pool:
        out = pool.map(task, range(tasks), chunksize=1)
    print("py-pool:", len(out), "results")
