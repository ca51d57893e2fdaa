package dev.oomguard.report;

import dev.oomguard.guard.Checkpoint;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.proc.SlurmCgroup;
import dev.oomguard.sample.Limit;
import dev.oomguard.units.ByteSize;
import dev.oomguard.units.Durations;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The end-of-run summary on stderr: what ran, how it ended, how much memory the tree held and
 * which process most, which limit bound and how close it came, what oomguard did, and sizing
 * advice with numbers, for successful runs too.
 */
public final class RunSummaryText {
    /** What the summary is made from, beside the run summary itself. */
    public record Facts(String command, String status, Duration wallTime, boolean endedForMemory,
            List<String> actions, List<String> partialKills, List<String> explanation, List<String> notes,
            boolean monitoringFailed, List<Checkpoint> checkpoints) {
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
        s.treePeak().filter(p -> p.processes() > 0).ifPresent(p -> {
            StringBuilder line = new StringBuilder("  peak tree memory: ")
                    .append(kib(p.rssKiB())).append(" resident");
            if (p.swapKiB() > 0) {
                line.append(" + ").append(kib(p.swapKiB())).append(" swapped");
            }
            line.append(" in ").append(p.processes()).append(p.processes() == 1 ? " process" : " processes");
            out.add(line.toString());
        });
        if (!sparkline.isEmpty()) {
            out.add("  memory over time: " + sparkline);
        }
        List<RunSummary.ProcessPeak> peaks = s.processPeaks();
        if (!peaks.isEmpty()) {
            RunSummary.ProcessPeak top = peaks.get(0);
            out.add("  largest process: PID " + top.process().pid() + " (" + top.comm() + ") " + kib(top.rssKiB())
                    + " resident" + (top.swapKiB() > 0 ? " + " + kib(top.swapKiB()) + " swapped" : ""));
        }
        s.lowestHeadroom().ifPresent(low -> {
            Limit l = low.limit();
            out.add("  binding limit: " + l.description());
            out.add(String.format(Locale.ROOT, "  closest approach: %s of %s used (%.1f%%), %s left",
                    l.used().human(), l.capacity().human(), l.percentUsed(), l.headroom().human()));
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

    private static java.util.Optional<String> advice(Facts f, RunSummary s) {
        if (s.lowestHeadroom().isEmpty()) {
            return java.util.Optional.empty();
        }
        Limit l = s.lowestHeadroom().get().limit();
        double spare = 100.0 * l.headroom().bytes() / l.capacity().bytes();
        if (f.endedForMemory() || !f.partialKills().isEmpty()) {
            ByteSize want = roundUp(ByteSize.ofBytes((long) (l.capacity().bytes() * 1.5)));
            boolean slurm = l.description().startsWith("Slurm job ");
            return java.util.Optional.of(String.format(Locale.ROOT,
                    "the job needed more than the %s it had (%s); give it at least %s%s, or make it use less"
                            + " (fewer workers, smaller chunks)", l.capacity().human(),
                    slurm ? l.description().split(":", 2)[0] : l.source().label(), want.human(),
                    slurm ? " (sbatch --mem=" + SlurmCgroup.memArg(want.bytes()) + ")" : ""));
        }
        return java.util.Optional.of(String.format(Locale.ROOT, "peak %s of %s: %.0f%% spare%s", l.used().human(),
                l.capacity().human(), spare, spare < 10 ? " — too close for comfort: allow more memory" : ""));
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

    private static String kib(long kib) {
        return ByteSize.ofKiB(kib).human();
    }
}
