package dev.oomguard.watch;

import dev.oomguard.guard.JobPeak;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.launch.Supervisor;
import dev.oomguard.proc.CgroupPaths;
import dev.oomguard.proc.JobCgroup;
import dev.oomguard.proc.PidStat;
import dev.oomguard.proc.PidStatus;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.ProcessId;
import dev.oomguard.units.ByteSize;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The job's high-water marks that the ticks cannot see (its first milliseconds, the kernel's
 * figures at its end), told apart from oomguard's own, which a job started from oomguard's memory
 * map carries; and oomguard's own memory when it shares the job's cgroup.
 */
final class HighWaterMarks {
    /** How long the first look reads the job's {@code status} back to back: 10 ms. */
    static final long FIRST_LOOK_NANOS = 10_000_000;

    private final ProcFs fs;
    private final int self;
    private final Consumer<String> detail;
    /** oomguard's own high-water mark when the job was spawned (KiB; 0 before). */
    private final AtomicLong ownHwmAtSpawnKiB = new AtomicLong();

    HighWaterMarks(ProcFs fs, int self, Consumer<String> detail) {
        this.fs = fs;
        this.self = self;
        this.detail = detail;
    }

    /**
     * The kernel's high-water marks known only at the end: the reaped processes' {@code ru_maxrss}
     * and the charged maximum of the job's own group. A process started from oomguard's own memory
     * map (the job: {@code posix_spawn} shares it until {@code exec}, and {@code exec} keeps the old
     * map's high-water mark in the figure) reports at least oomguard's own high-water mark then:
     * a figure not above oomguard's own {@code VmHWM} may be that one, so it is left out (the
     * sampled {@code VmHWM} covers the job then).
     */
    void atEnd(Optional<JobCgroup> group, Supervisor.Outcome outcome, RunSummary summary) {
        try {
            // oomguard's own mark now is read only when needed (no mark at the spawn, or orphans reaped).
            long atSpawn = ownHwmAtSpawnKiB.get();
            OptionalLong job = outcome.jobMaxRssKiB();
            OptionalLong orphans = outcome.orphansMaxRssKiB();
            long ownHwmKiB = atSpawn > 0 && orphans.isEmpty() ? 0 : ownHwmKiB();
            long jobBound = atSpawn > 0 ? atSpawn : ownHwmKiB;
            if (job.isPresent() && job.getAsLong() > jobBound) {
                summary.reapedMaxRss(job.getAsLong());
            }
            // Orphans descend from the job (started from its maps, not oomguard's); a command oomguard ran
            // itself that escaped its group would carry oomguard's mark: at most that, it is left out too.
            if (orphans.isPresent() && orphans.getAsLong() > ownHwmKiB) {
                summary.reapedMaxRss(orphans.getAsLong());
            }
            if (!summary.peak().known()) {
                outcome.jobMaxRssKiB().ifPresent(summary::unmeasuredBoundKiB);
            }
            group.flatMap(JobCgroup::peakBytes).ifPresent(p -> summary.groupPeak(
                    new JobPeak.GroupPeak(group.get().directory().toString(), p.getKey(), p.getValue())));
        } catch (RuntimeException e) {
            detail.accept("could not read the job's high-water marks at its end (" + e.getMessage() + ")");
        }
    }

    /** oomguard's own {@code VmHWM} now (KiB); {@code Long.MAX_VALUE} when unreadable (nothing passes it). */
    private long ownHwmKiB() {
        return fs.readProcess(self, "status").map(t -> PidStatus.parse(t, "own status"))
                .map(PidStatus::vmHwmKiB).filter(k -> k > 0).orElse(Long.MAX_VALUE);
    }

    /**
     * The first look at the job, the moment it is spawned: its {@code VmHWM} (a job that ends
     * within a millisecond may be gone before the first sample: then this is its only figure, when
     * it was caught), and oomguard's own high-water mark then, which the job's exit figure carries.
     */
    void firstLook(int pid, RunSummary summary) {
        ownHwmAtSpawnKiB.set(ownHwmKiB());
        Optional<PidStat> stat = PidStat.read(fs, pid);
        if (stat.isEmpty() || stat.get().isDead()) {
            return;
        }
        // Read again and again for the first FIRST_LOOK_NANOS: a job that ends within them is read
        // just before its end, when its high-water mark is (nearly) its peak. Costs at most that much
        // CPU, once per run; a job that lives on is sampled from then on.
        long until = System.nanoTime() + FIRST_LOOK_NANOS;
        long hwm = 0;
        String name = stat.get().comm();
        do {
            Optional<PidStatus> status = PidStatus.read(fs, pid);
            if (status.isEmpty() || status.get().state() == 'Z' || status.get().state() == 'X') {
                break;
            }
            hwm = Math.max(hwm, status.get().vmHwmKiB());
            name = status.get().name();
        } while (System.nanoTime() < until);
        summary.firstLook(new ProcessId(pid, stat.get().startTimeTicks()), name, hwm);
    }

    /** The first look's reads, once on oomguard itself: its code is loaded and warm when the job's first millisecond counts. */
    void warm() {
        try {
            for (int i = 0; i < 3; i++) {
                PidStat.read(fs, self);
                PidStatus.read(fs, self);
                new ProcessId(self, 0);
            }
        } catch (RuntimeException e) {
            // A warm-up only.
        }
    }

    /** When oomguard shares the job's memory cgroup, its own memory counts against the limit too: say how much. */
    List<String> ownMemoryNote(String jobCgroup, RunSummary summary) {
        boolean cgroupBinds = summary.lowestHeadroom().map(l -> l.limit().source() == LimitSource.CGROUP_V1
                || l.limit().source() == LimitSource.CGROUP_V2).orElse(false);
        if (jobCgroup == null || !cgroupBinds) {
            return List.of();
        }
        Optional<String> own = CgroupPaths.read(fs, self).flatMap(p -> p.v1Memory().or(p::v2));
        // "/" binds only inside a container with a cgroup namespace of its own: then it is the container's.
        if (own.isEmpty() || !own.get().equals(jobCgroup)) {
            return List.of();
        }
        return fs.readProcess(self, "status").flatMap(text -> text.lines()
                .filter(l -> l.startsWith("VmRSS:")).findFirst())
                .map(l -> List.of("oomguard itself holds " + ByteSize.ofKiB(
                        Long.parseLong(l.replaceAll("[^0-9]", ""))).human() + " resident in the job's cgroup "
                        + jobCgroup + " (counted in its usage, not in the tree figures)"))
                .orElse(List.of());
    }
}
