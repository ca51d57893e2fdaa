package dev.oomguard.guard;

import dev.oomguard.sample.Sample;
import dev.oomguard.sample.StallReading;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The time a run lost to memory stalls, added up tick by tick from the PSI {@code full} counter
 * (only between two readings of the same source), with the tree's major faults.
 */
public final class StallTally {
    /**
     * The run's total.
     *
     * @param source   what was measured ({@code host-wide PSI full}, or the job's cgroup), the latest one
     * @param hostWide the figure counts every task on the machine, not only the job's
     */
    public record StallTime(Duration stalled, Duration covered, String source, boolean hostWide,
                            long treeMajorFaults) {
        public double percent() {
            return covered.isZero() ? 0 : Math.min(100, 100.0 * stalled.toNanos() / covered.toNanos());
        }

        /** {@code 41 s of 5 min (14%, host-wide PSI full)}. */
        public String describe() {
            return String.format(Locale.ROOT, "%s of %s (%.0f%%, %s)", seconds(stalled), seconds(covered), percent(),
                    source);
        }

        private static String seconds(Duration d) {
            double s = d.toMillis() / 1000.0;
            if (s < 10) {
                return String.format(Locale.ROOT, "%.1f s", s);
            }
            if (s < 120) {
                return String.format(Locale.ROOT, "%.0f s", s);
            }
            if (s < 7200) {
                return new java.math.BigDecimal(String.format(Locale.ROOT, "%.1f", s / 60)).stripTrailingZeros()
                        .toPlainString() + " min";
            }
            return new java.math.BigDecimal(String.format(Locale.ROOT, "%.1f", s / 3600)).stripTrailingZeros()
                    .toPlainString() + " h";
        }
    }

    /** Time covered and stalled, per source. */
    private static final class Counted {
        final StallReading.Psi source;
        long stalledMicros;
        long coveredNanos;

        Counted(StallReading.Psi source) {
            this.source = source;
        }
    }

    private final Map<String, Counted> bySource = new LinkedHashMap<>();
    private StallReading.Psi previous;
    private long previousNanos;
    private long treeMajorFaults;

    public void accept(Sample s) {
        if (s.stall().isEmpty()) {
            return;
        }
        treeMajorFaults = s.stall().get().treeMajorFaults();
        Optional<StallReading.Psi> psi = s.stall().get().psi();
        if (psi.isEmpty()) {
            return;
        }
        StallReading.Psi p = psi.get();
        if (p.sameSource(previous) && p.fullTotalMicros() >= previous.fullTotalMicros()
                && s.takenNanos() > previousNanos) {
            Counted c = bySource.get(p.describe());
            c.stalledMicros += p.fullTotalMicros() - previous.fullTotalMicros();
            c.coveredNanos += s.takenNanos() - previousNanos;
        }
        bySource.putIfAbsent(p.describe(), new Counted(p));
        previous = p;
        previousNanos = s.takenNanos();
    }

    /**
     * Empty when no PSI was read (kernel without PSI, or not a single tick). When the source changed
     * during the run (the job moved to another cgroup), the one that covered the most time: counters
     * of different sources are never added up.
     */
    public Optional<StallTime> total() {
        return bySource.values().stream().max(Comparator.comparingLong(c -> c.coveredNanos)).map(c -> new StallTime(
                Duration.ofNanos(Math.min(c.stalledMicros * 1000, c.coveredNanos)), Duration.ofNanos(c.coveredNanos),
                c.source.describe(), c.source.scope() == StallReading.Scope.HOST, treeMajorFaults));
    }
}
