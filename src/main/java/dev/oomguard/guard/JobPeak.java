package dev.oomguard.guard;

import dev.oomguard.sample.ProcessId;
import dev.oomguard.units.ByteSize;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The job's peak memory, never below any of the figures that bound it from below, each kept with
 * what it is. The figures measure different things, so they differ without contradicting each
 * other: a sum of resident memory counts shared pages once per process and misses what happened
 * between samples; a high-water mark is the kernel's own maximum for one process, between samples
 * included; a group's maximum counts the file cache the job caused, which RSS counts only where it
 * is mapped. Pure.
 *
 * @param sampledTree     the largest sum over the tree of current resident + swapped memory at one sample
 * @param largestProcess  the largest {@code VmHWM} of any process of the tree, read at a sample
 * @param reapedMaxRssKiB the largest {@code ru_maxrss} of the job's processes, from {@code wait4} when
 *                        they were reaped (the job itself and every descendant it waited for)
 * @param group           the charged maximum of a memory cgroup made for the job alone
 */
public record JobPeak(Optional<RunSummary.TreePeak> sampledTree, Optional<HighWater> largestProcess,
                      OptionalLong reapedMaxRssKiB, Optional<GroupPeak> group) {

    /** A process's high-water mark of resident memory. */
    public record HighWater(ProcessId process, String comm, long hwmKiB, long tick) {
        public HighWater {
            if (hwmKiB < 0) {
                throw new IllegalArgumentException("negative high-water mark for " + process);
            }
        }
    }

    /** A group's charged maximum as the kernel counts it, from {@code file}. */
    public record GroupPeak(String directory, String file, long bytes) {
        public GroupPeak {
            if (bytes < 0 || file == null || file.isBlank()) {
                throw new IllegalArgumentException("a group peak needs a file and a non-negative size");
            }
        }
    }

    /** What the peak figure is. */
    public enum Basis {
        PROCESS_HWM("the largest single process's high-water mark (VmHWM)"),
        REAPED_MAXRSS("the largest single process's high-water mark at exit (ru_maxrss)"),
        TREE_SUM("the sum of current RSS + swap over the tree at the fullest sample"),
        GROUP_MAX("the charged maximum of the job's own memory cgroup");

        private final String words;

        Basis(String words) {
            this.words = words;
        }

        public String words() {
            return words;
        }
    }

    public JobPeak {
        if (sampledTree == null || largestProcess == null || reapedMaxRssKiB == null || group == null) {
            throw new IllegalArgumentException("every figure must be given (empty when unknown)");
        }
    }

    /** No figure at all (the job was never seen). */
    public boolean known() {
        return basis().isPresent();
    }

    /**
     * Only the first look at the job is known (read as it started: it ended before the first
     * sample and its exit figure was oomguard's own): the figure is a lower bound, not its peak.
     */
    public boolean lowerBoundOnly() {
        return known() && !has(Basis.TREE_SUM) && !has(Basis.REAPED_MAXRSS) && !has(Basis.GROUP_MAX)
                && largestProcess.get().tick() == 0;
    }

    /** The peak: the largest of the figures, in KiB (0 when none is known). */
    public long kib() {
        return basis().map(this::kibOf).orElse(0L);
    }

    /** Which figure the peak is; on a tie the first of high-water mark, exit figure, tree sum, group. */
    public Optional<Basis> basis() {
        Basis best = null;
        for (Basis b : Basis.values()) {
            if (has(b) && (best == null || kibOf(b) > kibOf(best))) {
                best = b;
            }
        }
        return Optional.ofNullable(best);
    }

    private boolean has(Basis b) {
        return switch (b) {
            case TREE_SUM -> sampledTree.isPresent() && sampledTree.get().processes() > 0;
            case PROCESS_HWM -> largestProcess.isPresent() && largestProcess.get().hwmKiB() > 0;
            case REAPED_MAXRSS -> reapedMaxRssKiB.isPresent();
            case GROUP_MAX -> group.isPresent();
        };
    }

    /** The figure of {@code b} in KiB (0 when unknown). */
    public long kibOf(Basis b) {
        if (!has(b)) {
            return 0;
        }
        return switch (b) {
            case TREE_SUM -> sampledTree.get().rssKiB() + sampledTree.get().swapKiB();
            case PROCESS_HWM -> largestProcess.get().hwmKiB();
            case REAPED_MAXRSS -> reapedMaxRssKiB.getAsLong();
            case GROUP_MAX -> (group.get().bytes() + 1023) / 1024;
        };
    }

    /** {@code 108 MiB (the largest single process's high-water mark (VmHWM))}. */
    public String headline() {
        if (lowerBoundOnly()) {
            return "at least " + human(kib()) + " (its high-water mark read as it started; it ended before the"
                    + " first sample, and its exit figure counts oomguard's own memory it was started from)";
        }
        return human(kib()) + basis().map(b -> " (" + b.words() + ")").orElse("");
    }

    /**
     * One line per figure known, each saying what it is, so that figures shown together never
     * contradict each other without a word of why.
     */
    public List<String> figureLines() {
        List<String> out = new ArrayList<>();
        if (lowerBoundOnly()) {
            return out;
        }
        largestProcess.filter(h -> h.hwmKiB() > 0).ifPresent(h -> out.add("largest process's high-water mark: "
                + human(h.hwmKiB()) + ", PID " + h.process().pid() + " (" + h.comm() + ")"
                + " — the kernel's VmHWM: the most it held resident at any moment, between samples too"));
        reapedMaxRssKiB.ifPresent(k -> out.add("largest high-water mark at exit: " + human(k)
                + " — ru_maxrss from wait4: the largest single process the job waited for, short-lived ones too"));
        sampledTree.filter(t -> t.processes() > 0).ifPresent(t -> out.add("sum of current RSS at the fullest sample: "
                + human(t.rssKiB()) + " resident" + (t.swapKiB() > 0 ? " + " + human(t.swapKiB()) + " swapped" : "")
                + " in " + t.processes() + (t.processes() == 1 ? " process" : " processes")
                + " — sampled, so a peak between samples is missed; RSS counts mapped files (libraries, cache) and shared pages once per process"));
        group.ifPresent(g -> out.add("group's charged maximum: " + human((g.bytes() + 1023) / 1024) + " — "
                + g.file() + " of the job's own cgroup: its memory plus the file cache it caused"
                + " (file cache counts here, and in RSS only where it is mapped)"));
        return out;
    }

    static String human(long kib) {
        return ByteSize.ofKiB(kib).human();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "peak %d KiB (%s)", kib(), basis().map(b -> b.name().toLowerCase(Locale.ROOT)).orElse("none"));
    }
}
