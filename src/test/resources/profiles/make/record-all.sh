#!/usr/bin/env bash
# Re-records the profile corpus: makes the inputs in $WORK (default /tmp/oomguard-profiles),
# runs each workload under oomguard --record in a memory cgroup of its own far larger than it
# needs (--memory-max 6G, --dry-run: never acted on), trims each record to ../NAME.csv, and
# rewrites ../limits.tsv (make/limits.py) from all the traces.
# Needs root (cgroup v1), Rscript, python3, java 17, gcc, sort, xz, and a packaged target/oomguard.jar.
# Usage: record-all.sh [NAME...]   (default: all)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../../.." && pwd)
out=$(cd "$here/.." && pwd)
work=${WORK:-/tmp/oomguard-profiles}
py=${PYTHON:-/usr/bin/python3}
mkdir -p "$work"

record() { # name, what, command...
    local name=$1 what=$2; shift 2
    if [[ ${#only[@]} -gt 0 && ! " ${only[*]} " == *" $name "* ]]; then return; fi
    echo "== $name: $*" >&2
    "$repo/scripts/oomguard" --memory-max 6G --interval 100ms --dry-run --record "$work/$name.jsonl" -- "$@" \
        >"$work/$name.out" 2>"$work/$name.err" || echo "$name: exit status $?" >&2
    "$py" "$here/trim.py" "$work/$name.jsonl" "$name" "$what" "$out/$name.csv"
}

only=("$@")
[[ -s $work/data.csv ]] || "$py" "$here/gen-csv.py" "$work/data.csv" 1500000
[[ -s $work/lines.txt ]] || "$py" "$here/gen-lines.py" "$work/lines.txt" 400
[[ -s $work/big.c ]] || "$py" "$here/gen-c.py" "$work/big.c" 800
[[ -s $work/xz-input ]] || head -c 12000000 "$work/lines.txt" >"$work/xz-input"
[[ -s $work/sort-input ]] || head -c 200M "$work/lines.txt" >"$work/sort-input"

record r-read-csv "R read.csv of a generated 1.5M-row, 6-column CSV (~80 MB), then aggregate" \
    Rscript "$here/r-read-csv.R" "$work/data.csv"
record r-mclapply "R parallel::mclapply, 2 forked workers over a 200 MB shared vector, each task sorting 120 MB" \
    Rscript "$here/r-mclapply.R"
record r-grow-vector "R vector grown by c() in a loop to 40M doubles (every append copies)" \
    Rscript "$here/r-grow-vector.R"
record py-burst "Python: 600 MiB loaded at once, then 12 s of compute on it" "$py" "$here/py-burst.py"
record py-chunked "Python: a 400 MiB text file read 32 MiB at a time, split and tallied" \
    "$py" "$here/py-chunked.py" "$work/lines.txt"
record py-pool "Python multiprocessing.Pool(2), 10 tasks each building and sorting 2M floats (~70 MiB)" \
    "$py" "$here/py-pool.py" 10 2000000
record py-leak-40 "Python true leak, 40 MiB/s for 25 s" "$py" "$here/py-leak.py" 40 25
record py-leak-10 "Python true leak, 10 MiB/s for 50 s" "$py" "$here/py-leak.py" 10 50
record py-leak-2 "Python true leak, 2 MiB/s for 90 s" "$py" "$here/py-leak.py" 2 90
record py-plateau "Python: grows 10 MiB/s to 400 MiB, holds it 20 s, exits" "$py" "$here/py-plateau.py" 10 400 20
record jvm-gc-sawtooth "JVM batch rounds of 250 MiB cached then dropped, -Xmx512m SerialGC, heap given back" \
    java -Xms16m -Xmx512m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=20 "$here/GcSawtooth.java" 6
record gcc-O2 "gcc -O2 -c of a generated 800-function C file (~0.9 MB)" \
    gcc -O2 -c -o "$work/big.o" "$work/big.c"
record sort-S "GNU sort -S 150M of a 200 MiB text file (LC_ALL=C, one thread)" \
    env LC_ALL=C sort -S 150M --parallel=1 -T "$work" -o "$work/sorted.txt" "$work/sort-input"
record xz-9 "xz -9 -T1 of 12 MB of text" xz -9 -T1 -k -f "$work/xz-input"

"$py" "$here/limits.py"
