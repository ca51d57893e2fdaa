#!/bin/bash
# Stops the Slurm that start-slurm.sh started under DIR: cancels its jobs, then stops slurmd,
# slurmctld and munged by the PIDs in DIR's pid files (checking each is still that program).
# Touches no other process; removes only empty Slurm cgroup directories.
#   stop-slurm.sh DIR
BASE=${1:?usage: stop-slurm.sh DIR}
export SLURM_CONF=$BASE/etc/slurm.conf
H=$(hostname -s)

stop_pid() {
    local pf=$1 name=$2 pid
    [ -s "$pf" ] || return 0
    pid=$(cat "$pf")
    if [ "$(cat /proc/"$pid"/comm 2>/dev/null)" != "$name" ]; then rm -f "$pf"; return 0; fi
    kill -TERM "$pid"
    for _ in $(seq 1 40); do
        [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$name" ] || break
        sleep 0.25
    done
    [ "$(cat /proc/"$pid"/comm 2>/dev/null)" = "$name" ] && kill -KILL "$pid"
    rm -f "$pf"
}

if [ -s "$BASE/run/slurmctld.pid" ] && scontrol ping 2>/dev/null | grep -q 'is UP'; then
    scancel --full --user=root 2>/dev/null
    for _ in $(seq 1 40); do [ -z "$(squeue -h 2>/dev/null)" ] && break; sleep 0.25; done
fi
stop_pid "$BASE/run/slurmd.pid" slurmd
stop_pid "$BASE/run/slurmctld.pid" slurmctld
stop_pid "$BASE/munge/munged.pid" munged
# Slurm's cgroup directories: rmdir succeeds only on a group with no processes and no children,
# so groups another Slurm is using stay.
for c in /sys/fs/cgroup/*/slurm_"$H" /sys/fs/cgroup/*/slurm; do
    [ -d "$c" ] && find "$c" -depth -type d -exec rmdir {} \; 2>/dev/null
done
exit 0
