package dev.oomguard.explain;

import dev.oomguard.kernellog.OomReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** How well a kernel report matches a dead process; 0 means not at all. Pure. */
final class ReportMatch {
    /** A pid or cgroup match: the report is this job's. */
    static final int STRONG = 4;
    /** The kernel's comm is at most 15 characters (TASK_COMM_LEN - 1). */
    private static final int COMM_LEN = 15;

    private ReportMatch() {
    }

    static int score(OomReport r, DeadProcess p, Duration slack) {
        if (p.kmsgSeqAtStart() >= 0 && r.time().lastSeq() >= 0 && r.time().lastSeq() < p.kmsgSeqAtStart()) {
            return 0; // logged before the job started
        }
        Optional<Instant> wall = r.time().wall();
        boolean inWindow = false;
        if (wall.isPresent() && (p.started() != null || p.ended() != null)) {
            Instant w = wall.get();
            // Boot time + stamp runs early after a suspend, so only an exact stamp may rule a report out as too early.
            boolean tooEarly = p.started() != null && w.isBefore(p.started().minus(slack)) && r.time().wallExact();
            boolean tooLate = p.ended() != null && w.isAfter(p.ended().plus(slack));
            if (tooEarly || tooLate) {
                return 0;
            }
            inWindow = true;
        }
        boolean seqAfterStart = p.kmsgSeqAtStart() >= 0 && r.time().firstSeq() >= p.kmsgSeqAtStart();
        boolean pid = r.killed().stream().anyMatch(k -> p.knownPids().contains(k.pid()));
        boolean cgroup = p.cgroupPath() != null && r.memcg() != null && (within(r.memcg().taskCgroup(), p.cgroupPath())
                || within(r.memcg().limitCgroup(), p.cgroupPath()));
        boolean comm = !p.comm().isEmpty() && r.victimComm()
                .map(c -> c.equals(truncate(p.comm())) || c.equals(p.comm())).orElse(false);
        boolean timed = inWindow || seqAfterStart;
        if (pid && (timed || cgroup)) {
            return STRONG + 2;
        }
        if (cgroup) {
            return STRONG + (comm ? 1 : 0);
        }
        if (pid) {
            return STRONG; // pid alone: pids are reused, but with no time at all it is the best there is
        }
        return comm && timed ? 2 : 0;
    }

    /** Whether the report's cgroup is the job's or one of its descendants (a Slurm step, a worker group). */
    private static boolean within(String reported, String job) {
        if (reported == null) {
            return false;
        }
        String j = job.endsWith("/") && job.length() > 1 ? job.substring(0, job.length() - 1) : job;
        if (j.isEmpty() || j.equals("/")) {
            return false; // the root cgroup holds everything: no evidence
        }
        return reported.equals(j) || reported.startsWith(j + "/");
    }

    private static String truncate(String comm) {
        return comm.length() > COMM_LEN ? comm.substring(0, COMM_LEN) : comm;
    }
}
