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

    /** The least headroom seen on the binding limit, with that limit as it was. */
    public record LowestHeadroom(Limit limit, long tick) {
    }

    private final Map<ProcessId, ProcessPeak> peaks = new LinkedHashMap<>();
    private final Map<String, Long> bindingTicks = new LinkedHashMap<>();
    private final List<PartialKill> partialKills = new ArrayList<>();
    private final List<Action> actions = new ArrayList<>();
    private final PartialKills detector = new PartialKills();
    private final Supplier<Set<Integer>> loggedVictims;
    private final StallTally stall = new StallTally();
    private TreePeak treePeak;
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
        if (lowest == null || s.binding().headroom().compareTo(lowest.limit().headroom()) < 0) {
            lowest = new LowestHeadroom(s.binding(), s.tick());
        }
        stall.accept(s);
        bindingTicks.merge(s.binding().description().split(":", 2)[0], 1L, Long::sum);
        List<PartialKill> found = previous == null ? List.of() : detector.next(previous, s, loggedVictims);
        partialKills.addAll(found);
        previous = s;
        return found;
    }

    private void peak(ProcessMemory p, long tick) {
        ProcessPeak old = peaks.get(p.id());
        if (old == null || p.rssAndSwapKiB() > old.rssAndSwapKiB()) {
            peaks.put(p.id(), new ProcessPeak(p.id(), p.comm(), p.rssKiB(), p.swapKiB(), tick));
        }
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
