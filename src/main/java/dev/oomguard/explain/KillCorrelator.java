package dev.oomguard.explain;

import dev.oomguard.kernellog.KernelLogSource;
import dev.oomguard.kernellog.KernelLogs;
import dev.oomguard.kernellog.OomReport;
import dev.oomguard.kernellog.SourceProblem;
import dev.oomguard.kernellog.UserspaceKill;
import dev.oomguard.proc.Signal;
import dev.oomguard.proc.SlurmCgroup;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Explains why a job's process died, for {@code oomguard run}: finds the kernel OOM report(s)
 * that match it (by pid, cgroup, command name, /dev/kmsg sequence and time; inside a PID namespace
 * the kernel logs host pids, so the other keys carry the match), and falls back to the OOM-kill
 * counters, the signal and the exit status when the log has nothing or cannot be read.
 * {@link #correlate} is pure; {@link #explainDeath} reads this machine's log first.
 */
public final class KillCorrelator {
    /** Allowed clock disagreement between oomguard's times and the log's. */
    private static final Duration SLACK = Duration.ofSeconds(60);

    private final ZoneId zone;
    private final ReportExplainer explainer;

    public KillCorrelator(ZoneId zone, long pageKiB) {
        this.zone = zone;
        this.explainer = new ReportExplainer(zone, pageKiB);
    }

    /** Reads the machine's kernel log ({@code sources}, best first), then {@link #correlate}s. */
    public Explanation explainDeath(DeadProcess p, List<KernelLogSource> sources, KernelLogs logs,
            OomCounters counters, AllocationLimits limits, Consumer<SourceProblem> onProblem) {
        return correlate(p, logs.readFirst(sources, onProblem), counters, limits);
    }

    public Explanation correlate(DeadProcess p, KernelLogs.Read read, OomCounters counters, AllocationLimits limits) {
        if (p.stoppedByOomguard()) {
            return kernelFirst(p, read).orElseGet(() -> simple(p, Verdict.OOMGUARD_STOP, Confidence.HIGH,
                    "oomguard stopped PID " + p.pid() + " (" + p.comm() + ") itself, as its memory guard was set to.",
                    List.of(), List.of()));
        }
        List<OomReport> matches = new ArrayList<>();
        int best = 0;
        for (OomReport r : read.log().reports()) {
            int score = ReportMatch.score(r, p, SLACK);
            if (score > 0) {
                matches.add(r);
                best = Math.max(best, score);
            }
        }
        if (!matches.isEmpty()) {
            return fromReports(p, matches, best);
        }
        Optional<UserspaceKill> daemon = read.log().userspaceKills().stream()
                .filter(k -> p.knownPids().contains(k.pid()) || (k.pid() < 0 && p.cgroupPath() != null
                        && k.target().endsWith(p.cgroupPath())))
                .reduce((a, b) -> b);
        if (daemon.isPresent()) {
            return LogExplainer.userspace(daemon.get(), zone);
        }
        List<String> missing = new ArrayList<>();
        String basis = !read.found()
                ? " (from the OOM-kill counters alone: the kernel log was not readable)"
                : " (from the OOM-kill counters alone: " + read.source() + " holds no matching report)";
        if (!read.found()) {
            missing.add("the kernel log: " + (read.problems().isEmpty() ? "no source tried"
                    : read.problems().stream().map(SourceProblem::toString).reduce((a, b) -> a + "; " + b).get()));
        } else if (p.death().sigkill()) {
            missing.add("a matching OOM report in " + read.source() + " (overwritten in the ring buffer, or none)");
        }
        return withoutReport(p, counters, limits, missing, basis);
    }

    /**
     * A process oomguard was stopping that the kernel's OOM killer killed all the same: a report of
     * its own PID, matched by time or cgroup too. The kernel logs "Killed process" only for a
     * victim with no SIGKILL pending (one that is exiting already it reaps without the line), so
     * such a report means the kernel's kill came before oomguard's, during the grace its TERM
     * gave, or before the stop was sent at all.
     */
    private Optional<Explanation> kernelFirst(DeadProcess p, KernelLogs.Read read) {
        List<OomReport> own = read.log().reports().stream()
                .filter(r -> r.killed().stream().anyMatch(k -> k.pid() == p.pid()))
                .filter(r -> ReportMatch.score(r, p, SLACK) >= ReportMatch.STRONG + 2).toList();
        if (own.isEmpty()) {
            return Optional.empty();
        }
        Explanation e = fromReports(p, own, ReportMatch.STRONG + 2);
        List<String> details = new ArrayList<>(e.details());
        details.add(0, "oomguard was stopping PID " + p.pid() + " (" + p.comm()
                + "), but the kernel's OOM killer killed it first: the job did run out.");
        return Optional.of(new Explanation(e.verdict(), e.confidence(), e.pid(), e.comm(), e.when(), e.summary(),
                details, e.advice(), e.evidence(), e.missing(), e.report(), e.job()));
    }

    private Explanation fromReports(DeadProcess p, List<OomReport> matches, int best) {
        // The report that killed this very process, when there is one; else the latest for the job.
        OomReport r = matches.stream().filter(m -> m.killed().stream().anyMatch(k -> k.pid() == p.pid()))
                .reduce((a, b) -> b).orElse(matches.get(matches.size() - 1));
        boolean own = r.killed().stream().anyMatch(k -> k.pid() == p.pid());
        Explanation e = explainer.explain(r, p.knownPids());
        List<String> details = new ArrayList<>(e.details());
        if (e.pid() != null && e.pid() != p.pid() && p.knownPids().contains(e.pid())) {
            details.add("The kernel killed PID " + e.pid() + ", one of the job's processes, not the main one (PID "
                    + p.pid() + "); the job then " + ending(p.death()) + ".");
        } else if (e.pid() != null && !p.knownPids().contains(e.pid())) {
            details.add("The report names PID " + e.pid() + ", not " + p.pid()
                    + ": matched by cgroup, name and time (inside a PID namespace the kernel logs host pids).");
        }
        if (matches.size() > 1) {
            details.add("The kernel's OOM killer ran " + matches.size() + " times for this job; "
                    + (own ? "this is the one that killed PID " + p.pid() + "." : "this is the last."));
        }
        Confidence c = best >= ReportMatch.STRONG ? e.confidence()
                : e.confidence() == Confidence.HIGH ? Confidence.MEDIUM : Confidence.LOW;
        return new Explanation(e.verdict(), c, e.pid(), e.comm(), e.when(), e.summary(), details, e.advice(),
                e.evidence(), e.missing(), e.report(), e.job());
    }

    /** @param basis what the counters stand in for, appended to a verdict that rests on them alone */
    private Explanation withoutReport(DeadProcess p, OomCounters counters, AllocationLimits limits,
            List<String> missing, String basis) {
        DeadProcess.Death d = p.death();
        String who = "PID " + p.pid() + " (" + p.comm() + ")";
        if (d.sigkill()) {
            List<String> evidence = counterEvidence(counters);
            Long cg = counters.cgroupDelta();
            Long vm = counters.vmstatDelta();
            if (cg != null && cg > 0) {
                String slurm = SlurmCgroup.of(p.cgroupPath()).map(s -> "Slurm job " + s.jobId()
                        + " exceeded its memory allocation (--mem): ").orElse("");
                return simple(p, Verdict.CGROUP_LIMIT, Confidence.MEDIUM, "Likely: " + slurm
                        + "the kernel OOM killer killed " + who
                        + " because its memory cgroup" + (p.cgroupPath() == null ? "" : " " + p.cgroupPath())
                        + " reached its limit — the cgroup's oom_kill counter rose by " + cg
                        + " while the job ran, and it died of SIGKILL" + basis + ".", evidence, missing);
            }
            if (vm != null && vm > 0) {
                return simple(p, Verdict.KERNEL_OOM, Confidence.LOW, "Possibly: the kernel OOM killer killed " + who
                        + " — /proc/vmstat oom_kill rose by " + vm + " while the job ran and it died of SIGKILL,"
                        + " but that counter covers the whole machine" + basis + ".", evidence, missing);
            }
            boolean countersKnown = cg != null || vm != null;
            return simple(p, Verdict.SIGNAL, countersKnown ? Confidence.MEDIUM : Confidence.LOW, who
                    + " was killed by SIGKILL from someone else (kill -9, a scheduler's time or memory enforcement,"
                    + " or an OOM daemon logging elsewhere)" + (countersKnown
                    ? "; the OOM-kill counters did not move, so not the kernel OOM killer" + basis + "." : "."),
                    evidence, missing);
        }
        if (d.signal() != null) {
            int sig = d.signal();
            boolean crash = sig == Signal.SEGV.number() || sig == Signal.ABRT.number() || sig == Signal.BUS.number()
                    || sig == Signal.ILL.number() || sig == Signal.FPE.number();
            String note = sig == Signal.ABRT.number() && limits.addressSpaceLimitBytes() != null
                    ? " An abort can follow a failed allocation (e.g. std::bad_alloc) under its ulimit -v of "
                    + Sizes.kib(limits.addressSpaceLimitBytes() / 1024) + "." : "";
            return simple(p, crash ? Verdict.CRASHED : Verdict.SIGNAL, Confidence.HIGH, who
                    + (crash ? " crashed (" : " was killed by ") + Signal.describe(sig) + (crash ? ")." : " from someone else.")
                    + note, List.of(), List.of());
        }
        int status = d.exitStatus();
        if (status == 0) {
            return simple(p, Verdict.EXITED, Confidence.HIGH, who + " exited normally (status 0).", List.of(), List.of());
        }
        if (limits.addressSpaceLimitBytes() != null) {
            return simple(p, Verdict.ALLOCATION_FAILURE, Confidence.LOW, "Likely an allocation failure: " + who
                    + " exited with status " + status + " under an address-space limit (ulimit -v / RLIMIT_AS) of "
                    + Sizes.kib(limits.addressSpaceLimitBytes() / 1024) + "; malloc fails there without any kill."
                    + " Raise or remove the limit (ulimit -v unlimited) if the job's own error says 'cannot allocate'.",
                    List.of("Max address space " + limits.addressSpaceLimitBytes() + " bytes"), List.of());
        }
        if (limits.commitNearlyExhausted()) {
            return simple(p, Verdict.ALLOCATION_FAILURE, Confidence.MEDIUM, "Likely an allocation failure: " + who
                    + " exited with status " + status + " while strict overcommit (vm.overcommit_memory=2) had "
                    + Sizes.kib(limits.committedAsKiB()) + " committed of a " + Sizes.kib(limits.commitLimitKiB())
                    + " CommitLimit; malloc fails there without any kill.",
                    List.of("Committed_AS: " + limits.committedAsKiB() + " kB", "CommitLimit: " + limits.commitLimitKiB()
                            + " kB"), List.of());
        }
        return simple(p, Verdict.EXITED, Confidence.HIGH, who + " exited with status " + status
                + " — an error of its own, not a kill.", List.of(), List.of());
    }

    private static String ending(DeadProcess.Death d) {
        return d.signal() != null ? "died of " + Signal.describe(d.signal()) : "exited with status " + d.exitStatus();
    }

    private static List<String> counterEvidence(OomCounters c) {
        List<String> out = new ArrayList<>();
        if (c.vmstatDelta() != null) {
            out.add("/proc/vmstat oom_kill: " + c.vmstatBefore() + " before, " + c.vmstatAfter() + " after");
        }
        if (c.cgroupDelta() != null) {
            out.add((c.cgroupCounter() == null ? "cgroup oom_kill" : c.cgroupCounter()) + ": " + c.cgroupBefore()
                    + " before, " + c.cgroupAfter() + " after");
        }
        return out;
    }

    private static Explanation simple(DeadProcess p, Verdict v, Confidence c, String summary, List<String> evidence,
            List<String> missing) {
        String when = p.ended() == null ? null : p.ended().toString();
        return new Explanation(v, c, p.pid(), p.comm(), when, summary, List.of(), List.of(), evidence, missing, null, null);
    }
}
