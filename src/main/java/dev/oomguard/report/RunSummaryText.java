package dev.oomguard.report;

import dev.oomguard.guard.Action;
import dev.oomguard.guard.Checkpoint;
import dev.oomguard.guard.JobPeak;
import dev.oomguard.guard.Step;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.proc.SlurmCgroup;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.units.ByteSize;
import dev.oomguard.units.Decimals;
import dev.oomguard.units.Durations;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The end-of-run summary on stderr: what ran, how it ended, how much memory the tree held and
 * which process most, which limit bound and how close it came, what oomguard did, and sizing
 * advice with numbers, for successful runs too.
 */
public final class RunSummaryText {
    /** What the summary is made from, beside the run summary itself. */
    /**
     * @param endedForMemory whether the job ended for memory: stopped by oomguard or killed by the kernel
     * @param stoppedByGuard whether oomguard stopped it (then its own figures, not the kernel's
     *                       verdict, say how far it got)
     */
    public record Facts(String command, String status, Duration wallTime, boolean endedForMemory,
            List<String> actions, List<String> partialKills, List<String> explanation, List<String> notes,
            boolean monitoringFailed, List<Checkpoint> checkpoints, boolean stoppedByGuard) {
        /** Not known to be stopped by oomguard. */
        public Facts(String command, String status, Duration wallTime, boolean endedForMemory, List<String> actions,
                List<String> partialKills, List<String> explanation, List<String> notes, boolean monitoringFailed,
                List<Checkpoint> checkpoints) {
            this(command, status, wallTime, endedForMemory, actions, partialKills, explanation, notes, monitoringFailed,
                    checkpoints, false);
        }

        /** Without checkpoint requests. */
        public Facts(String command, String status, Duration wallTime, boolean endedForMemory, List<String> actions,
                List<String> partialKills, List<String> explanation, List<String> notes, boolean monitoringFailed) {
            this(command, status, wallTime, endedForMemory, actions, partialKills, explanation, notes, monitoringFailed,
                    List.of());
        }
    }

    private RunSummaryText() {
    }

    public static List<String> lines(Facts f, RunSummary s) {
        return lines(f, s, "");
    }

    /** With a sparkline of the tree's memory over the run (empty: none). */
    public static List<String> lines(Facts f, RunSummary s, String sparkline) {
        List<String> out = new ArrayList<>();
        out.add("summary of " + f.command());
        out.add("  status: " + f.status() + ", after " + Durations.format(f.wallTime()));
        JobPeak peak = s.peak();
        if (peak.known()) {
            out.add("  peak memory: " + peak.headline());
            for (String figure : peak.figureLines()) {
                out.add("    " + figure);
            }
        } else if (s.ticks() > 0) {
            out.add("  peak memory: not measured — the job ended before oomguard could read it"
                    + s.unmeasuredBoundKiB().stream().mapToObj(k -> "; at most " + ByteSize.ofKiB(k).human()
                            + " (ru_maxrss at exit, which counts the memory of oomguard's own that the job was"
                            + " started from)").findFirst().orElse(""));
        }
        if (!sparkline.isEmpty()) {
            out.add("  memory over time: " + sparkline);
        }
        s.lowestHeadroom().ifPresent(low -> {
            out.add("  binding limit: " + low.limit().description());
            out.add("  closest approach: " + approach(low));
        });
        stallLine(s).ifPresent(out::add);
        if (s.bindingTicks().size() > 1) {
            out.add("  limits that bound, by ticks: " + s.bindingTicks());
        }
        for (String a : f.actions()) {
            out.add("  action: " + a);
        }
        for (Checkpoint c : f.checkpoints()) {
            out.add("  " + c.describe(ZoneId.systemDefault()));
        }
        for (String k : f.partialKills()) {
            out.add("  partial kill: " + k);
        }
        for (String e : f.explanation()) {
            out.add("  " + e);
        }
        advice(f, s).ifPresent(a -> out.add("  advice: " + a));
        for (String n : f.notes()) {
            out.add("  note: " + n);
        }
        if (f.monitoringFailed()) {
            out.add("  note: monitoring failed during the run; the figures cover only the time before");
        }
        return out;
    }

    /**
     * {@code time stalled on memory: 41 s of 5 min (14%, PSI full of the job's cgroup v2 /a)}; host-wide
     * with its bounds and the tree's major faults. Only when a second or more was lost: an idle
     * counter is not news.
     */
    static java.util.Optional<String> stallLine(RunSummary s) {
        return s.memoryStall().filter(t -> t.stalled().toMillis() >= 1000).map(t -> "  time stalled on memory: "
                + t.describe() + (t.hostWide() ? "; host-wide figures count every task on the machine; the job's"
                        + " tree made " + t.treeMajorFaults() + " major faults" : ""));
    }

    /**
     * How close the binding limit came, saying what its "used" counts: a host's use is every
     * process on the machine, a group's is its working set (file cache the kernel can reclaim left
     * out), a user's cap is on the tree's RSS + swap (shown past the cap, never clamped at it).
     */
    static String approach(RunSummary.LowestHeadroom low) {
        Limit l = low.limit();
        return switch (l.source()) {
            case HOST -> l.used().human() + " of " + l.capacity().human() + " used host-wide ("
                    + Decimals.fixed(l.percentUsed(), 1) + "%: every process on the machine, not the job's alone), "
                    + l.headroom().human() + " left";
            case USER -> {
                long treeBytes = Math.max(low.treeKiB() * 1024, l.used().bytes());
                long over = treeBytes - l.capacity().bytes();
                yield ByteSize.ofBytes(treeBytes).human() + " of " + l.capacity().human() + " ("
                        + Decimals.fixed(100.0 * treeBytes / l.capacity().bytes(), 1)
                        + "%: the tree's RSS + swap, as the cap counts it), "
                        + (over > 0 ? ByteSize.ofBytes(over).human() + " over the cap" : l.headroom().human() + " left");
            }
            case CGROUP_V1, CGROUP_V2 -> l.used().human() + " of " + l.capacity().human() + " used ("
                    + Decimals.fixed(l.percentUsed(), 1) + "%: the group's working set, its usage less the file cache"
                    + " the kernel reclaims before killing), " + l.headroom().human() + " left";
        };
    }

    /**
     * Sizing advice. "It needed more" only when the figures show it: the kernel killed (some of)
     * it, or its use reached the limit. A job oomguard stopped before that is described by the use
     * it reached and its trend when stopped, not by a guess at what it would have needed.
     */
    private static java.util.Optional<String> advice(Facts f, RunSummary s) {
        if (s.lowestHeadroom().isEmpty()) {
            return java.util.Optional.empty();
        }
        Limit l = s.lowestHeadroom().get().limit();
        boolean reached = l.headroom().bytes() == 0;
        if (f.stoppedByGuard() && !reached && f.partialKills().isEmpty()) {
            return java.util.Optional.of(stopped(s, l));
        }
        if (f.endedForMemory() || !f.partialKills().isEmpty()) {
            long peak = Math.max(s.treePeak().map(p -> (p.rssKiB() + p.swapKiB()) * 1024).orElse(0L),
                    s.peak().known() ? s.peak().kib() * 1024 : 0L);
            boolean over = l.source() == LimitSource.USER && reached && peak > l.capacity().bytes(); // past a user's cap
            ByteSize want = roundUp(ByteSize.ofBytes(Math.max((long) (l.capacity().bytes() * 1.5),
                    over ? (long) (peak * 1.25) : 0)));
            boolean slurm = l.description().startsWith("Slurm job ");
            return java.util.Optional.of("the job needed more than the " + l.capacity().human() + " it had ("
                    + (slurm ? l.description().split(":", 2)[0] : l.source().label())
                    + (over ? ": it used " + ByteSize.ofBytes(peak).human() : "") + "); give it at least " + want.human()
                    + (slurm ? " (sbatch --mem=" + SlurmCgroup.memArg(want.bytes()) + ")" : "")
                    + ", or make it use less (fewer workers, smaller chunks)");
        }
        if (!s.peak().known() || s.peak().lowerBoundOnly()) {
            return java.util.Optional.empty(); // nothing of the job's own to size from
        }
        return java.util.Optional.of(usageAdvice(s.peak(), s.lowestHeadroom().get()));
    }

    /**
     * Sizing advice from the job's own peak, never from the machine's use: {@code the job peaked at
     * 108 MiB, 0.4% of the host's 23.5 GiB (99.6% spare); other processes left the host at least
     * 21.1 GiB}. The spare share is the limit less the job's peak; on the host, which others share,
     * the least it had left is said in its own words.
     */
    static String usageAdvice(JobPeak peak, RunSummary.LowestHeadroom low) {
        Limit l = low.limit();
        long peakBytes = peak.kib() * 1024;
        double share = 100.0 * peakBytes / l.capacity().bytes();
        String of = switch (l.source()) {
            case HOST -> "the host's " + l.capacity().human();
            case USER -> "the " + l.capacity().human() + " cap (--limit)";
            case CGROUP_V1, CGROUP_V2 -> "the group's " + l.capacity().human() + " limit";
        };
        String base = "the job peaked at " + ByteSize.ofBytes(peakBytes).human() + ", " + percent(share) + " of " + of;
        if (share <= 100) {
            base += " (" + percent(100 - share) + " spare)";
        }
        if (l.source() == LimitSource.HOST) {
            base += "; other processes left the host at least " + l.headroom().human();
        }
        boolean tight = share >= 90 || 100.0 * l.headroom().bytes() / l.capacity().bytes() < 10;
        return base + (share > 100 ? " — over it: allow more memory" : tight ? " — too close for comfort: allow more memory" : "");
    }

    /** {@code 37%}, {@code 0.4%}, {@code 0.01%}: two significant digits below 10%. */
    static String percent(double p) {
        if (p >= 10 || p == 0) {
            return Decimals.fixed(p, 0) + "%";
        }
        return p >= 1 ? Decimals.fixed(p, 1) + "%" : p >= 0.1 ? Decimals.fixed(p, 2) + "%" : "under 0.1%";
    }

    /** A job oomguard stopped before it ran out: where it got to, and its trend then. */
    private static String stopped(RunSummary s, Limit lowest) {
        java.util.Optional<Action> stop = s.actions().stream()
                .filter(a -> a.step() == Step.TERMINATE || a.step() == Step.PAUSE).findFirst();
        Limit l = stop.map(a -> a.figures().binding()).orElse(lowest);
        String trend = stop.map(a -> a.figures().growthBytesPerSecond()).filter(r -> r.isPresent())
                .map(r -> r.getAsDouble() > 0 ? ", growing " + ByteSize.ofBytes((long) r.getAsDouble()).human() + "/s"
                        : r.getAsDouble() < 0 ? ", shrinking" : ", flat").orElse("");
        boolean slurm = l.description().startsWith("Slurm job ");
        return "oomguard stopped the job at " + l.used().human() + " of the " + l.capacity().human() + " it had ("
                + (slurm ? l.description().split(":", 2)[0] : l.source().label()) + ", "
                + Decimals.fixed(l.percentUsed(), 1) + "% used" + trend + "), before it ran out, so what it would have"
                + " needed is not known: if it is meant to grow like that, give it more than " + l.capacity().human()
                + (slurm ? " (sbatch --mem= above " + SlurmCgroup.memArg(l.capacity().bytes()) + ")" : "")
                + "; if not, look for what keeps growing";
    }

    /** Up to 2 significant binary steps: 1, 1.5, 2, 3, 4, 6, 8, 12, 16 ... GiB (or MiB). */
    private static ByteSize roundUp(ByteSize size) {
        long step = 1L << 20;
        while (step * 2 <= size.bytes()) {
            step *= 2;
        }
        long[] candidates = {step, step + step / 2, step * 2};
        for (long c : candidates) {
            if (c >= size.bytes()) {
                return ByteSize.ofBytes(c);
            }
        }
        return ByteSize.ofBytes(step * 2);
    }
}
