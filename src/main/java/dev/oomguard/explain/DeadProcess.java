package dev.oomguard.explain;

import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

/**
 * What the run command knows about a process that died, for {@link KillCorrelator}.
 *
 * @param pid              the job's main pid (as oomguard saw it; inside a PID namespace the kernel logs another)
 * @param comm             its command name (the kernel truncates comm to 15 characters)
 * @param cgroupPath       its memory cgroup as the kernel prints it (relative to the hierarchy root,
 *                         e.g. {@code /slurm/uid_0/job_2}), or null when unknown
 * @param knownPids        all pids of the job oomguard saw (workers included); {@code pid} is added
 * @param started          when the job started, or null
 * @param ended            when it was reaped, or null
 * @param kmsgSeqAtStart   the next /dev/kmsg sequence number when the job started, or -1
 * @param death            how it ended
 * @param stoppedByOomguard whether oomguard's own guard stopped it
 */
public record DeadProcess(int pid, String comm, String cgroupPath, Set<Integer> knownPids, Instant started,
        Instant ended, long kmsgSeqAtStart, Death death, boolean stoppedByOomguard) {
    public DeadProcess {
        if (pid < 1 || death == null) {
            throw new IllegalArgumentException("a dead process needs a pid and a death: " + pid);
        }
        if (kmsgSeqAtStart < -1) {
            throw new IllegalArgumentException("kmsg sequence below -1: " + kmsgSeqAtStart);
        }
        Set<Integer> all = new HashSet<>(knownPids == null ? Set.of() : knownPids);
        all.add(pid);
        knownPids = Set.copyOf(all);
        comm = comm == null ? "" : comm;
    }

    /** How a process ended: an exit status, or a signal number. */
    public record Death(Integer exitStatus, Integer signal) {
        public Death {
            if ((exitStatus == null) == (signal == null)) {
                throw new IllegalArgumentException("a death is an exit status or a signal, not both or neither");
            }
        }

        public static Death exited(int status) {
            return new Death(status, null);
        }

        public static Death signaled(int signal) {
            return new Death(null, signal);
        }

        public boolean sigkill() {
            return signal != null && signal == 9;
        }
    }
}
