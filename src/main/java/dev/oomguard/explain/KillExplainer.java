package dev.oomguard.explain;

import dev.oomguard.kernellog.BootTime;
import dev.oomguard.kernellog.KernelLogSource;
import dev.oomguard.kernellog.KernelLogs;
import dev.oomguard.proc.Signal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Explains the processes that died during one run (guarded or watched) from the kernel log: the
 * log is read once, on first need, each dead process is correlated with it, and what the caller
 * keeps is printed as "why PID N (comm) died:" and summed up as "explanation: ..." lines. Which
 * processes to explain and which explanations to keep is the caller's policy.
 */
public final class KillExplainer {
    private final Run run;
    private final List<KernelLogSource> sources;
    private final Path procRoot;
    private final Consumer<String> say;
    private final Consumer<String> detail;
    private final KillCorrelator correlator = new KillCorrelator(ZoneId.systemDefault(), ReportExplainer.DEFAULT_PAGE_KIB);
    private final List<String> problems = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private final List<Explanation> explanations = new ArrayList<>();
    private Log log;

    /** What is read once per run: the run's known PIDs, the kmsg sequence at its start and the kernel log. */
    private record Log(Set<Integer> known, long seq, KernelLogs.Read read) {
    }

    /**
     * The run whose processes died.
     *
     * @param cgroup       the job's memory cgroup, or null
     * @param known        the PIDs seen in the run
     * @param kmsgSequence the number of the first {@code /dev/kmsg} record logged after the run began, when known
     */
    public record Run(String cgroup, Instant started, Instant ended, Supplier<Set<Integer>> known,
            Supplier<OptionalLong> kmsgSequence) {
    }

    /**
     * Nothing is read here: the first {@link #dead} or {@link #correlate} reads, inside the caller's error handling.
     *
     * @param sources  where the kernel log is read from, best first
     * @param procRoot {@code /proc}, for the boot time
     */
    public KillExplainer(Run run, List<KernelLogSource> sources, Path procRoot, Consumer<String> say,
            Consumer<String> detail) {
        this.run = run;
        this.sources = List.copyOf(sources);
        this.procRoot = procRoot;
        this.say = say;
        this.detail = detail;
    }

    /** A process of this run that ended so. */
    public DeadProcess dead(int pid, String comm, DeadProcess.Death death, boolean stoppedByOomguard) {
        Log l = log();
        return new DeadProcess(pid, comm, run.cgroup(), l.known(), run.started(), run.ended(), l.seq(), death,
                stoppedByOomguard);
    }

    /** A process of this run that was SIGKILLed, not by oomguard. */
    public DeadProcess killed(int pid, String comm) {
        return dead(pid, comm, DeadProcess.Death.signaled(Signal.KILL.number()), false);
    }

    /** How {@code p} died, from the kernel log and {@code counters}. */
    public Explanation correlate(DeadProcess p, OomCounters counters) {
        return correlator.correlate(p, log().read(), counters, AllocationLimits.UNKNOWN);
    }

    /** Prints why {@code pid} died. */
    public void tell(int pid, String comm, Explanation e) {
        say.accept("why PID " + pid + " (" + comm + ") died:");
        for (String line : e.text().split("\n")) {
            say.accept("  " + line);
        }
    }

    /** Keeps {@code e} for the record and the summary, with its "explanation:" line. */
    public void keep(Explanation e) {
        explanations.add(e);
        lines.add("explanation: " + e.summary() + " [" + e.verdict().jsonName()
                + ", confidence " + e.confidence().jsonName() + "]");
    }

    /** Passes on, once each, the problems met reading the kernel log. */
    public void reportProblems() {
        problems.stream().distinct().forEach(p -> detail.accept("kernel log: " + p));
    }

    /** The "explanation:" lines kept so far. */
    public List<String> lines() {
        return Collections.unmodifiableList(lines);
    }

    /** The explanations kept so far. */
    public List<Explanation> explanations() {
        return Collections.unmodifiableList(explanations);
    }

    private Log log() {
        if (log == null) {
            long seq = run.kmsgSequence().get().orElse(-1);
            KernelLogs logs = new KernelLogs(ZoneId.systemDefault(), LocalDateTime.now(),
                    BootTime.read(procRoot).orElse(null), Duration.ofSeconds(10));
            Set<Integer> known = run.known().get();
            KernelLogs.Read read = logs.readFirst(sources, p -> problems.add(p.toString()));
            log = new Log(known, seq, read);
        }
        return log;
    }
}
