package dev.oomguard.explain;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.kernellog.Fixtures;
import dev.oomguard.kernellog.KernelLogs;
import dev.oomguard.kernellog.ParsedLog;
import dev.oomguard.kernellog.SourceProblem;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KillCorrelatorTest {
    private final KillCorrelator correlator = new KillCorrelator(ZoneOffset.UTC, 4);
    private static final KernelLogs.Read UNREADABLE = new KernelLogs.Read(null, new ParsedLog(List.of(), List.of()),
            List.of(new SourceProblem("/dev/kmsg", "permission denied (kernel.dmesg_restrict=1)"),
                    new SourceProblem("dmesg", "permission denied")));

    private static KernelLogs.Read read(String fixture) {
        return new KernelLogs.Read(fixture, Fixtures.parse(fixture), List.of());
    }

    private static DeadProcess killed(int pid, String comm, String cgroup, long seq) {
        return new DeadProcess(pid, comm, cgroup, Set.of(), null, null, seq, DeadProcess.Death.signaled(9), false);
    }

    @Test
    void matchesByPidAndSequence() {
        Explanation e = correlator.correlate(killed(9293, "python3", null, 500),
                read("linux-6.18-memcg-v1-devkmsg-raw.txt"), OomCounters.NONE, AllocationLimits.UNKNOWN);
        assertThat(e.verdict()).isEqualTo(Verdict.CGROUP_LIMIT);
        assertThat(e.confidence()).isEqualTo(Confidence.HIGH);
        assertThat(e.pid()).isEqualTo(9293);
    }

    @Test
    void aReportLoggedBeforeTheJobStartedIsNotItsOwn() {
        Explanation e = correlator.correlate(killed(9293, "python3", null, 581),
                read("linux-6.18-memcg-v1-devkmsg-raw.txt"), OomCounters.NONE, AllocationLimits.UNKNOWN);
        assertThat(e.report()).isNull();
        assertThat(e.verdict()).isEqualTo(Verdict.SIGNAL);
    }

    @Test
    void insideAPidNamespaceTheCgroupMatches() {
        // The job saw itself as PID 12; the kernel logged host PID 17279.
        Explanation e = correlator.correlate(killed(12, "python3", "/slurm_vm/uid_0/job_2", -1),
                read("linux-6.18-memcg-v1-slurm-srun.txt"), OomCounters.NONE, AllocationLimits.UNKNOWN);
        assertThat(e.verdict()).isEqualTo(Verdict.CGROUP_LIMIT);
        assertThat(e.pid()).isEqualTo(17279);
        assertThat(e.details()).anyMatch(d -> d.contains("inside a PID namespace"));
    }

    @Test
    void aWorkerKilledIsSaid() {
        DeadProcess p = new DeadProcess(8000, "python3", "/ogfix", Set.of(8149, 8190), null, null, -1,
                DeadProcess.Death.exited(1), false);
        Explanation e = correlator.correlate(p, read("linux-6.18-memcg-v1-python-tree.txt"), OomCounters.NONE,
                AllocationLimits.UNKNOWN);
        assertThat(e.details()).anyMatch(d -> d.contains("one of the job's processes") && d.contains("exited with status 1"));
    }

    @Test
    void nameAndTimeAloneGiveMediumConfidence() {
        DeadProcess p = new DeadProcess(99, "memorymonster", null, Set.of(), Instant.parse("2020-01-05T15:19:00Z"),
                Instant.parse("2020-01-05T15:19:30Z"), -1, DeadProcess.Death.signaled(9), false);
        Explanation e = correlator.correlate(p, read("02_3.13_memcg_v1.txt"), OomCounters.NONE, AllocationLimits.UNKNOWN);
        assertThat(e.pid()).isEqualTo(13536);
        assertThat(e.confidence()).isEqualTo(Confidence.MEDIUM);
        DeadProcess later = new DeadProcess(99, "memorymonster", null, Set.of(), Instant.parse("2020-01-06T00:00:00Z"),
                Instant.parse("2020-01-06T01:00:00Z"), -1, DeadProcess.Death.signaled(9), false);
        assertThat(correlator.correlate(later, read("02_3.13_memcg_v1.txt"), OomCounters.NONE,
                AllocationLimits.UNKNOWN).report()).isNull();
    }

    @Test
    void unreadableLogCgroupCounterMakesTheCase() {
        OomCounters c = new OomCounters(5L, 6L, 0L, 1L, "memory.oom_control oom_kill");
        Explanation e = correlator.correlate(killed(4711, "R", "/oomguard/job", -1), UNREADABLE, c, AllocationLimits.UNKNOWN);
        assertThat(e.verdict()).isEqualTo(Verdict.CGROUP_LIMIT);
        assertThat(e.confidence()).isEqualTo(Confidence.MEDIUM);
        assertThat(e.summary()).startsWith("Likely").contains("oom_kill counter rose by 1")
                .contains("(from the OOM-kill counters alone: the kernel log was not readable)");
        assertThat(e.evidence()).contains("memory.oom_control oom_kill: 0 before, 1 after");
        assertThat(e.missing()).anyMatch(m -> m.contains("/dev/kmsg: permission denied"));
    }

    @Test
    void unreadableLogInASlurmJobStillNamesTheAllocation() {
        OomCounters c = new OomCounters(5L, 6L, 0L, 1L, "memory.oom_control oom_kill");
        Explanation e = correlator.correlate(killed(4711, "R", "/slurm_vm/uid_0/job_7/step_batch/task_0", -1),
                UNREADABLE, c, AllocationLimits.UNKNOWN);
        assertThat(e.verdict()).isEqualTo(Verdict.CGROUP_LIMIT);
        assertThat(e.summary()).startsWith("Likely: Slurm job 7 exceeded its memory allocation (--mem): the kernel OOM"
                + " killer killed PID 4711 (R)");
    }

    @Test
    void unreadableLogMachineCounterIsLowConfidence() {
        Explanation e = correlator.correlate(killed(4711, "R", null, -1), UNREADABLE,
                new OomCounters(5L, 7L, null, null, null), AllocationLimits.UNKNOWN);
        assertThat(e.verdict()).isEqualTo(Verdict.KERNEL_OOM);
        assertThat(e.confidence()).isEqualTo(Confidence.LOW);
        assertThat(e.summary()).contains("(from the OOM-kill counters alone: the kernel log was not readable)");
        Explanation noMatch = correlator.correlate(killed(4711, "R", null, -1),
                new KernelLogs.Read("/dev/kmsg", new ParsedLog(List.of(), List.of()), List.of()),
                new OomCounters(5L, 7L, null, null, null), AllocationLimits.UNKNOWN);
        assertThat(noMatch.summary()).contains("(from the OOM-kill counters alone: /dev/kmsg holds no matching report)");
    }

    @Test
    void sigkillWithoutCountersIsSomeoneElse() {
        Explanation e = correlator.correlate(killed(4711, "R", null, -1), UNREADABLE,
                new OomCounters(5L, 5L, 0L, 0L, "memory.events oom_kill"), AllocationLimits.UNKNOWN);
        assertThat(e.verdict()).isEqualTo(Verdict.SIGNAL);
        assertThat(e.summary()).contains("counters did not move");
    }

    @Test
    void otherEndings() {
        KernelLogs.Read empty = new KernelLogs.Read("/dev/kmsg", new ParsedLog(List.of(), List.of()), List.of());
        assertThat(correlator.correlate(new DeadProcess(1, "x", null, Set.of(), null, null, -1,
                DeadProcess.Death.signaled(11), false), empty, OomCounters.NONE, AllocationLimits.UNKNOWN).verdict())
                .isEqualTo(Verdict.CRASHED);
        assertThat(correlator.correlate(new DeadProcess(1, "x", null, Set.of(), null, null, -1,
                DeadProcess.Death.exited(0), false), empty, OomCounters.NONE, AllocationLimits.UNKNOWN).verdict())
                .isEqualTo(Verdict.EXITED);
        assertThat(correlator.correlate(new DeadProcess(1, "x", null, Set.of(), null, null, -1,
                DeadProcess.Death.signaled(9), true), empty, OomCounters.NONE, AllocationLimits.UNKNOWN).verdict())
                .isEqualTo(Verdict.OOMGUARD_STOP);
        Explanation ulimit = correlator.correlate(new DeadProcess(1, "x", null, Set.of(), null, null, -1,
                DeadProcess.Death.exited(1), false), empty, OomCounters.NONE,
                new AllocationLimits(1L << 30, 0, null, null));
        assertThat(ulimit.verdict()).isEqualTo(Verdict.ALLOCATION_FAILURE);
        assertThat(ulimit.summary()).startsWith("Likely").contains("1.0 GiB");
        Explanation strict = correlator.correlate(new DeadProcess(1, "x", null, Set.of(), null, null, -1,
                DeadProcess.Death.exited(1), false), empty, OomCounters.NONE,
                new AllocationLimits(null, 2, 9_500_000L, 10_000_000L));
        assertThat(strict.verdict()).isEqualTo(Verdict.ALLOCATION_FAILURE);
        assertThat(strict.confidence()).isEqualTo(Confidence.MEDIUM);
    }

    @Test
    void countersAndLimitsParse() {
        assertThat(OomCounters.parseOomKill("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n")).isEqualTo(3L);
        assertThat(OomCounters.parseOomKill("low 0\nhigh 0\nmax 12\noom 2\noom_kill 2\noom_group_kill 0\n"))
                .isEqualTo(2L);
        assertThat(OomCounters.parseOomKill("pgfault 1\n")).isNull();
        assertThat(AllocationLimits.parseAddressSpace(
                "Max address space         1073741824           unlimited            bytes\n")).contains(1073741824L);
        assertThat(AllocationLimits.parseAddressSpace(
                "Max address space         unlimited            unlimited            bytes\n")).isEmpty();
    }

    @Test
    void aProcessOomguardWasStoppingThatTheKernelKilledFirstIsTheKernelsKill() {
        // PID 9293 is the victim of the report: oomguard's TERM was out, but the kernel's kill came first.
        DeadProcess stopping = new DeadProcess(9293, "python3", null, Set.of(), null, null, 500,
                DeadProcess.Death.signaled(9), true);
        Explanation e = correlator.correlate(stopping, read("linux-6.18-memcg-v1-devkmsg-raw.txt"), OomCounters.NONE,
                AllocationLimits.UNKNOWN);
        assertThat(e.verdict()).isEqualTo(Verdict.CGROUP_LIMIT);
        assertThat(e.pid()).isEqualTo(9293);
        assertThat(e.details().get(0)).startsWith("oomguard was stopping PID 9293 (python3)")
                .contains("the kernel's OOM killer killed it first");
    }

    @Test
    void aProcessOomguardStoppedIsItsStopWhenTheKernelKilledAnotherOrNoneOrBeforeTheJob() {
        KernelLogs.Read log = read("linux-6.18-memcg-v1-devkmsg-raw.txt");
        // Another PID killed, in no cgroup of the job's: oomguard's stop.
        assertThat(correlator.correlate(new DeadProcess(4242, "python3", null, Set.of(), null, null, 500,
                DeadProcess.Death.signaled(9), true), log, OomCounters.NONE, AllocationLimits.UNKNOWN).verdict())
                .isEqualTo(Verdict.OOMGUARD_STOP);
        // The same PID, killed before this job started (an earlier process that had the PID).
        assertThat(correlator.correlate(new DeadProcess(9293, "python3", null, Set.of(), null, null, 581,
                DeadProcess.Death.signaled(9), true), log, OomCounters.NONE, AllocationLimits.UNKNOWN).verdict())
                .isEqualTo(Verdict.OOMGUARD_STOP);
        // No log to read: oomguard's stop, as before.
        assertThat(correlator.correlate(new DeadProcess(9293, "python3", null, Set.of(), null, null, 500,
                DeadProcess.Death.signaled(9), true), UNREADABLE, OomCounters.NONE, AllocationLimits.UNKNOWN).verdict())
                .isEqualTo(Verdict.OOMGUARD_STOP);
    }
}
