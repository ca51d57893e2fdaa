package dev.oomguard.guard;

import dev.oomguard.sample.Limit;
import dev.oomguard.sample.ProcessId;
import dev.oomguard.sample.ProcessMemory;
import dev.oomguard.sample.Sample;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.Set;
import java.util.Optional;

/**
 * What a run looked like, accumulated tick by tick for the end-of-run summary: each process's
 * peak (kept with the process that held it), the tree's peak, the lowest headroom and the limit it
 * was on, which limits bound and for how many ticks, partial kills and actions taken.
 */
public final class RunSummary {
    /** A process's largest resident + swapped memory and when. */
    public record ProcessPeak(ProcessId process, String comm, long rssKiB, long swapKiB, long tick) {
        public long rssAndSwapKiB() {
            return rssKiB + swapKiB;
        }
    }

    /** The tree's largest total. */
    public record TreePeak(int processes, long rssKiB, long swapKiB, long tick) {
    }

    /**
     * The least headroom seen on the binding limit, with that limit as it was, and the tree's
     * resident + swapped memory at that tick (a user's cap is measured on it, and it is not clamped
     * at the cap as the limit's own {@code used} is).
     */
    public record LowestHeadroom(Limit limit, long tick, long treeKiB) {
        public LowestHeadroom(Limit limit, long tick) {
            this(limit, tick, 0);
        }
    }

    private final Map<ProcessId, ProcessPeak> peaks = new LinkedHashMap<>();
    private final Map<String, Long> bindingTicks = new LinkedHashMap<>();
    private final List<PartialKill> partialKills = new ArrayList<>();
    private final List<Action> actions = new ArrayList<>();
    private final PartialKills detector = new PartialKills();
    private final Supplier<Set<Integer>> loggedVictims;
    private final StallTally stall = new StallTally();
    private TreePeak treePeak;
    private JobPeak.HighWater highWater;
    private long reapedMaxRssKiB = -1;
    private long unmeasuredBoundKiB = -1;
    private JobPeak.GroupPeak groupPeak;
    private LowestHeadroom lowest;
    private Sample previous;
    private long ticks;

    public RunSummary() {
        this(Set::of);
    }

    /** @param loggedVictims the PIDs the kernel logged as OOM-killed (see {@link PartialKills#next}) */
    public RunSummary(Supplier<Set<Integer>> loggedVictims) {
        this.loggedVictims = loggedVictims;
    }

    /** Takes one sample; returns the partial kills it revealed (also kept). */
    public List<PartialKill> accept(Sample s) {
        ticks++;
        s.tree().forEach(p -> peak(p, s.tick())); // per process in a method: compiled within a tick or two
        if (treePeak == null || s.totals().rssAndSwapKiB() > treePeak.rssKiB() + treePeak.swapKiB()) {
            treePeak = new TreePeak(s.totals().processes(), s.totals().rssKiB(), s.totals().swapKiB(), s.tick());
        }
        int closer = lowest == null ? -1 : s.binding().headroom().compareTo(lowest.limit().headroom());
        if (lowest == null || closer < 0 || closer == 0 && s.binding().headroom().bytes() == 0
                && s.totals().rssAndSwapKiB() > lowest.treeKiB()) {
            // At no headroom, the fullest tick: past a cap, how far past it.
            lowest = new LowestHeadroom(s.binding(), s.tick(), s.totals().rssAndSwapKiB());
        }
        stall.accept(s);
        bindingTicks.merge(s.binding().description().split(":", 2)[0], 1L, Long::sum);
        List<PartialKill> found = previous == null ? List.of() : detector.next(previous, s, loggedVictims);
        partialKills.addAll(found);
        previous = s;
        return found;
    }

    private void peak(ProcessMemory p, long tick) {
        if (p.hwmKiB() > 0 && (highWater == null || p.hwmKiB() > highWater.hwmKiB())) {
            highWater = new JobPeak.HighWater(p.id(), p.comm(), p.hwmKiB(), tick);
        }
        ProcessPeak old = peaks.get(p.id());
        if (old == null || p.rssAndSwapKiB() > old.rssAndSwapKiB()) {
            peaks.put(p.id(), new ProcessPeak(p.id(), p.comm(), p.rssKiB(), p.swapKiB(), tick));
        }
    }

    /**
     * The largest {@code ru_maxrss} of the job's processes as they were reaped (KiB), when it is the
     * job's own (see {@code GuardedRun}: a child started from oomguard's memory map carries that
     * map's high-water mark into its figure).
     */
    public void reapedMaxRss(long kib) {
        if (kib < 0) {
            throw new IllegalArgumentException("negative ru_maxrss: " + kib);
        }
        reapedMaxRssKiB = Math.max(reapedMaxRssKiB, kib);
    }

    /** A process's high-water mark read outside a sample (the job, the moment it was spawned). */
    public void firstLook(ProcessId process, String comm, long hwmKiB) {
        if (hwmKiB > 0 && (highWater == null || hwmKiB > highWater.hwmKiB())) {
            highWater = new JobPeak.HighWater(process, comm, hwmKiB, 0);
        }
    }

    /**
     * No figure of the job's own is known (it ended before it could be read): its exit figure,
     * which counts oomguard's own memory map it was started from, is kept as an upper bound.
     */
    public void unmeasuredBoundKiB(long kib) {
        unmeasuredBoundKiB = kib;
    }

    /** The upper bound of a job never measured; empty otherwise. */
    public java.util.OptionalLong unmeasuredBoundKiB() {
        return unmeasuredBoundKiB < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(unmeasuredBoundKiB);
    }

    /** The charged maximum of the memory cgroup made for the job alone, read before it is removed. */
    public void groupPeak(JobPeak.GroupPeak peak) {
        groupPeak = peak;
    }

    /** The job's peak, with every figure it is taken from. */
    public JobPeak peak() {
        return new JobPeak(Optional.ofNullable(treePeak), Optional.ofNullable(highWater),
                reapedMaxRssKiB < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(reapedMaxRssKiB),
                Optional.ofNullable(groupPeak));
    }

    public void recordActions(List<Action> taken) {
        actions.addAll(taken);
    }

    public long ticks() {
        return ticks;
    }

    /** Largest first. */
    public List<ProcessPeak> processPeaks() {
        return peaks.values().stream().sorted(Comparator.comparingLong(ProcessPeak::rssAndSwapKiB).reversed()).toList();
    }

    public Optional<TreePeak> treePeak() {
        return Optional.ofNullable(treePeak);
    }

    public Optional<LowestHeadroom> lowestHeadroom() {
        return Optional.ofNullable(lowest);
    }

    /** Which limit bound, by name, and for how many ticks, in order of first appearance. */
    public Map<String, Long> bindingTicks() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bindingTicks));
    }

    public List<PartialKill> partialKills() {
        return List.copyOf(partialKills);
    }

    /** Time lost to memory stalls over the run; empty without PSI. */
    public Optional<StallTally.StallTime> memoryStall() {
        return stall.total();
    }

    public List<Action> actions() {
        return List.copyOf(actions);
    }
}
