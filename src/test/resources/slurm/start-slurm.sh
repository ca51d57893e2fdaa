#!/bin/bash
# Starts a private single-node Slurm (munged, slurmctld, slurmd) under DIR, for the tests, with
# memory enforcement through cgroup v1 (task/cgroup, ConstrainRAMSpace=yes). Installs nothing:
# it needs the Debian packages slurm-wlm slurmctld slurmd slurm-client munge (.ci/run installs
# them) and root. Everything it writes (configs, state, logs, pid files, munge key and socket)
# is under DIR; ports are PORT (slurmctld) and PORT+1 (slurmd), so it can run beside another Slurm.
#
#   start-slurm.sh DIR [PORT]        (default port 16817)
#   export SLURM_CONF=DIR/etc/slurm.conf; sbatch ...; stop-slurm.sh DIR
#
# Adapted from shared/slurm/start-local-slurm.sh (Slurm 22.05, Debian 12).
set -euo pipefail
BASE=${1:?usage: start-slurm.sh DIR [PORT]}
PORT=${2:-16817}
H=$(hostname -s)
export SLURM_CONF=$BASE/etc/slurm.conf
MSOCK=$BASE/munge/munge.socket.2

for tool in munged slurmctld slurmd sbatch scontrol sinfo mungekey runuser; do
    command -v "$tool" >/dev/null || { echo "start-slurm: $tool not installed" >&2; exit 2; }
done
for pf in $BASE/munge/munged.pid $BASE/run/slurmctld.pid $BASE/run/slurmd.pid; do
    if [ -s "$pf" ] && kill -0 "$(cat "$pf")" 2>/dev/null; then
        echo "start-slurm: already running ($pf); run stop-slurm.sh $BASE first" >&2; exit 1
    fi
done

rm -rf "$BASE/etc" "$BASE/state" "$BASE/run" "$BASE/log" "$BASE/munge"
mkdir -p "$BASE/etc" "$BASE/state/ctld" "$BASE/state/slurmd" "$BASE/run" "$BASE/log" "$BASE/munge"
chmod 755 "$BASE"
chown munge:munge "$BASE/munge"; chmod 755 "$BASE/munge"
# A key of its own, so this cluster shares nothing with a system munged.
mungekey --create --keyfile="$BASE/munge/munge.key"
chown munge:munge "$BASE/munge/munge.key"; chmod 400 "$BASE/munge/munge.key"

cat > "$BASE/etc/slurm.conf" <<CONF
ClusterName=oomguardtest
SlurmctldHost=$H
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$MSOCK
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
StateSaveLocation=$BASE/state/ctld
SlurmdSpoolDir=$BASE/state/slurmd
SlurmctldPidFile=$BASE/run/slurmctld.pid
SlurmdPidFile=$BASE/run/slurmd.pid
SlurmctldLogFile=$BASE/log/slurmctld.log
SlurmdLogFile=$BASE/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
MailProg=/bin/true
ProctrackType=${PROCTRACK:-proctrack/cgroup}
TaskPlugin=task/cgroup
JobAcctGatherType=jobacct_gather/cgroup
JobAcctGatherFrequency=task=1
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
KillWait=5
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$BASE/log/jobcomp.txt
NodeName=$H CPUs=2 RealMemory=4000 State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
cat > "$BASE/etc/cgroup.conf" <<CONF
CgroupPlugin=cgroup/v1
ConstrainRAMSpace=yes
ConstrainSwapSpace=no
ConstrainCores=no
ConstrainDevices=no
CONF

runuser -u munge -- /usr/sbin/munged --socket="$MSOCK" --key-file="$BASE/munge/munge.key" \
    --pid-file="$BASE/munge/munged.pid" --log-file="$BASE/munge/munged.log" --seed-file="$BASE/munge/munged.seed"
for _ in $(seq 1 50); do [ -S "$MSOCK" ] && [ -s "$BASE/munge/munged.pid" ] && break; sleep 0.1; done
munge -S "$MSOCK" -n | unmunge -S "$MSOCK" | grep -q 'STATUS: *Success' || { echo "start-slurm: munge self-test failed" >&2; exit 1; }

slurmctld -c -i
for _ in $(seq 1 100); do scontrol ping 2>/dev/null | grep -q 'is UP' && break; sleep 0.2; done
scontrol ping | grep -q 'is UP' || { echo "start-slurm: slurmctld not up" >&2; tail -20 "$BASE/log/slurmctld.log" >&2; exit 1; }

slurmd
for _ in $(seq 1 150); do [ "$(sinfo -h -n "$H" -o %T 2>/dev/null)" = idle ] && break; sleep 0.2; done
[ "$(sinfo -h -n "$H" -o %T)" = idle ] || { echo "start-slurm: node not idle" >&2; sinfo >&2; tail -20 "$BASE/log/slurmd.log" >&2; exit 1; }
echo "start-slurm: up in $BASE (munged $(cat "$BASE/munge/munged.pid"), slurmctld $(cat "$BASE/run/slurmctld.pid"), slurmd $(cat "$BASE/run/slurmd.pid"))"
