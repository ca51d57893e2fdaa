package dev.oomguard.watch;

import dev.oomguard.explain.AllocationLimits;
import dev.oomguard.explain.DeadProcess;
import dev.oomguard.explain.Explanation;
import dev.oomguard.explain.KillCorrelator;
import dev.oomguard.explain.OomCounters;
import dev.oomguard.explain.ReportExplainer;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.kernellog.BootTime;
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
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Explains the processes that died during one run (guarded or watched) from the kernel log: the
 * log is read once, on first need, each dead process is correlated with it, and what the caller
 * keeps is printed as "why PID N (comm) died:" and summed up as "explanation: ..." lines. Which
 * processes to explain and which explanations to keep is the caller's policy.
 */
final class KillExplainer {
    private final RunSummary summary;
    private final String cgroup;
    private final Instant started;
    private final Instant ended;
    private final CompletableFuture<OptionalLong> kmsgSeq;
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

    /** Nothing is read here: the first {@link #dead} or {@link #correlate} reads, inside the caller's error handling. */
    KillExplainer(RunSummary summary, String cgroup, Instant started, Instant ended,
            CompletableFuture<OptionalLong> kmsgSeq, Consumer<String> say, Consumer<String> detail) {
        this.summary = summary;
        this.cgroup = cgroup;
        this.started = started;
        this.ended = ended;
        this.kmsgSeq = kmsgSeq;
        this.say = say;
        this.detail = detail;
    }

    /** A process of this run that ended so. */
    DeadProcess dead(int pid, String comm, DeadProcess.Death death, boolean stoppedByOomguard) {
        Log l = log();
        return new DeadProcess(pid, comm, cgroup, l.known(), started, ended, l.seq(), death, stoppedByOomguard);
    }

    /** A process of this run that was SIGKILLed, not by oomguard. */
    DeadProcess killed(int pid, String comm) {
        return dead(pid, comm, DeadProcess.Death.signaled(Signal.KILL.number()), false);
    }

    /** How {@code p} died, from the kernel log and {@code counters}. */
    Explanation correlate(DeadProcess p, OomCounters counters) {
        return correlator.correlate(p, log().read(), counters, AllocationLimits.UNKNOWN);
    }

    /** Prints why {@code pid} died. */
    void tell(int pid, String comm, Explanation e) {
        say.accept("why PID " + pid + " (" + comm + ") died:");
        for (String line : e.text().split("\n")) {
            say.accept("  " + line);
        }
    }

    /** Keeps {@code e} for the record and the summary, with its "explanation:" line. */
    void keep(Explanation e) {
        explanations.add(e);
        lines.add("explanation: " + e.summary() + " [" + e.verdict().name().toLowerCase(Locale.ROOT)
                + ", confidence " + e.confidence().name().toLowerCase(Locale.ROOT) + "]");
    }

    /** Passes on, once each, the problems met reading the kernel log. */
    void reportProblems() {
        problems.stream().distinct().forEach(p -> detail.accept("kernel log: " + p));
    }

    /** The "explanation:" lines kept so far. */
    List<String> lines() {
        return Collections.unmodifiableList(lines);
    }

    /** The explanations kept so far. */
    List<Explanation> explanations() {
        return Collections.unmodifiableList(explanations);
    }

    private Log log() {
        if (log == null) {
            long seq = kmsgSeq.getNow(OptionalLong.empty()).orElse(-1);
            KernelLogs logs = new KernelLogs(ZoneId.systemDefault(), LocalDateTime.now(),
                    BootTime.read(Path.of("/proc")).orElse(null), Duration.ofSeconds(10));
            Set<Integer> known = summary.processPeaks().stream().map(p -> p.process().pid()).collect(Collectors.toSet());
            KernelLogs.Read read = logs.readFirst(KernelLogs.machineSources(null), p -> problems.add(p.toString()));
            log = new Log(known, seq, read);
        }
        return log;
    }
}
