#!/usr/bin/env bash
# A long job that checkpoints when oomguard asks, and resumes from its checkpoint.
#
# It sums i*i for i = 1..N, one i per iteration, keeping --mib MiB per iteration in a shell
# variable (so its memory grows as it goes), and prints "result: SUM" on stdout at the end (the
# right answer is N(N+1)(2N+1)/6).
#
# Checkpoint protocol (run it with `oomguard --checkpoint-signal USR1 -- bash sumsq.sh`): the
# USR1 trap only sets a flag; between two iterations, where the state is consistent, the job
# writes it to a temporary file and renames that over --state (mv within one directory is
# atomic), then acknowledges by writing "$OOMGUARD_CHECKPOINT_FILE.done". Started again, it
# resumes from --state; when it finishes, it removes --state.
#
# Options: --n N (160), --mib M (1, whole MiB), --per-second K (20), --state FILE (sumsq-sh.state)
set -euo pipefail

n=160 mib=1 per_second=20 state_file=sumsq-sh.state
while [ $# -gt 0 ]; do
    case $1 in
        --n) n=$2 ;;
        --mib) mib=$2 ;;
        --per-second) per_second=$2 ;;
        --state) state_file=$2 ;;
        *) echo "usage: sumsq.sh [--n N] [--mib M] [--per-second K] [--state FILE]" >&2; exit 2 ;;
    esac
    shift 2
done

asked=0
trap 'asked=1' USR1     # acted on between iterations, never in the middle of one

next=1 sum=0
if [ -f "$state_file" ]; then
    # shellcheck disable=SC1090
    . "$state_file"     # next=... sum=...
    echo "sumsq.sh: resumed at iteration $next (sum so far $sum)" >&2
fi

checkpoint() {
    printf 'next=%d\nsum=%d\n' "$next" "$sum" > "$state_file.tmp"
    mv -f "$state_file.tmp" "$state_file"     # atomic: the old state or the new one
    if [ -n "${OOMGUARD_CHECKPOINT_FILE-}" ]; then
        : > "$OOMGUARD_CHECKPOINT_FILE.done"  # acknowledges: oomguard may stop the job now
    fi
    echo "sumsq.sh: checkpoint at iteration $next (sum so far $sum)" >&2
}

# A pause without a child process (a 'sleep' child would die of the USR1 sent to the group).
exec 9<> <(:)
pause=$(awk -v k="$per_second" 'BEGIN { printf "%.3f", 1 / k }')

while [ "$next" -le "$n" ]; do
    i=$next
    printf -v "cache_$i" '%*s' $((mib * 1024 * 1024)) "$i"   # a variable of mib MiB a iteration: memory grows
    sum=$((sum + i * i))
    next=$((i + 1))
    if [ "$asked" = 1 ]; then
        asked=0
        checkpoint
    fi
    read -r -t "$pause" -u 9 _ || true
done

echo "result: $sum"
rm -f "$state_file"
