package dev.oomguard.sample;

import dev.oomguard.proc.MemInfo;
import java.util.List;
import java.util.Optional;

/**
 * One tick of measurement: the job's tree, every limit with its headroom and the one that binds,
 * {@code memory.high} levels, OOM kill counters, and (when the host binds) the processes the
 * kernel would pick first.
 *
 * @param takenNanos   the sampler's clock ({@code System.nanoTime()} in production) at the tick
 * @param oomCandidates tree members and the top few outside, highest {@code oom_score} first;
 *                      empty unless the host limit binds
 * @param stall         memory stall counters (PSI) and the tree's major faults; empty when not read
 */
public record Sample(long takenNanos, long tick, List<ProcessMemory> tree, TreeTotals totals, MemInfo host,
                     List<Limit> limits, Limit binding, List<ThrottleLevel> throttles,
                     OomKillCounters oomKills, List<OomCandidate> oomCandidates, Optional<StallReading> stall) {
    public Sample {
        if (stall == null) {
            throw new IllegalArgumentException("stall reading must be given (empty when not read)");
        }
        tree = List.copyOf(tree);
        limits = List.copyOf(limits);
        throttles = List.copyOf(throttles);
        oomCandidates = List.copyOf(oomCandidates);
        if (!isAmong(binding, limits)) {
            throw new IllegalArgumentException("binding limit is not among the limits: " + binding);
        }
    }

    /**
     * By identity first (the binding limit is one of the list's own): a record's {@code equals} is
     * linked through {@code ObjectMethods} at its first use, ~13 ms of method handles at the start of
     * a run, when the last sample of a short job is all that is left to take.
     */
    private static boolean isAmong(Limit binding, List<Limit> limits) {
        for (Limit l : limits) {
            if (l == binding) {
                return true;
            }
        }
        return limits.contains(binding);
    }

    /** A sample without a stall reading. */
    public Sample(long takenNanos, long tick, List<ProcessMemory> tree, TreeTotals totals, MemInfo host,
            List<Limit> limits, Limit binding, List<ThrottleLevel> throttles, OomKillCounters oomKills,
            List<OomCandidate> oomCandidates) {
        this(takenNanos, tick, tree, totals, host, limits, binding, throttles, oomKills, oomCandidates,
                Optional.empty());
    }

    /** The job is gone: no process of the tree was found. */
    public boolean treeEmpty() {
        return tree.isEmpty();
    }
}
