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
 * The time a run lost to memory stalls, added up tick by tick from the PSI counters (only between
 * two readings of the same source), with the tree's major faults.
 */
public final class StallTally {
    /**
     * The run's total.
     *
     * @param stalled  what the summary reports: {@code full} of the job's own group, or, host-wide,
     *                 {@code some} ({@link StallReading.Psi#jobStallMicros()} says why)
     * @param full     PSI full over the run: all tasks of the source waited
     * @param some     PSI some over the run: at least one task of the source waited
     * @param source   what {@code stalled} measures ({@code host-wide PSI some}, or the job's cgroup)
     * @param hostWide the figures count every task on the machine, not only the job's
     */
    public record StallTime(Duration stalled, Duration full, Duration some, Duration covered, String source,
                            boolean hostWide, long treeMajorFaults) {
        public double percent() {
            return percent(stalled);
        }

        private double percent(Duration d) {
            return covered.isZero() ? 0 : Math.min(100, 100.0 * d.toNanos() / covered.toNanos());
        }

        /**
         * {@code 41 s of 5 min (14%, PSI full of the job's cgroup v2 /a)}, or host-wide
         * {@code 13 s of 43 s (30%, host-wide PSI some; 2.3 s by host-wide PSI full)}.
         */
        public String describe() {
            String main = String.format(Locale.ROOT, "%s of %s (%.0f%%, %s", seconds(stalled), seconds(covered),
                    percent(), source);
            return hostWide ? main + "; " + seconds(full) + " by host-wide PSI full)" : main + ")";
        }

        static String seconds(Duration d) {
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
        long fullMicros;
        long someMicros;
        long coveredNanos;

        Counted(StallReading.Psi source) {
            this.source = source;
        }

        StallTime total(long treeMajorFaults) {
            Duration full = Duration.ofNanos(Math.min(fullMicros * 1000, coveredNanos));
            Duration some = Duration.ofNanos(Math.min(someMicros * 1000, coveredNanos));
            boolean host = source.scope() == StallReading.Scope.HOST;
            return new StallTime(host ? some : full, full, some, Duration.ofNanos(coveredNanos), source.describe(), host,
                    treeMajorFaults);
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
                && p.someTotalMicros() >= previous.someTotalMicros() && s.takenNanos() > previousNanos) {
            Counted c = bySource.get(key(p));
            c.fullMicros += p.fullTotalMicros() - previous.fullTotalMicros();
            c.someMicros += p.someTotalMicros() - previous.someTotalMicros();
            c.coveredNanos += s.takenNanos() - previousNanos;
        }
        bySource.putIfAbsent(key(p), new Counted(p));
        previous = p;
        previousNanos = s.takenNanos();
    }

    /**
     * Empty when no PSI was read (kernel without PSI, or not a single tick). When the source changed
     * during the run (the job moved to another cgroup), the one that covered the most time: counters
     * of different sources are never added up.
     */
    public Optional<StallTime> total() {
        return bySource.values().stream().max(Comparator.comparingLong(c -> c.coveredNanos))
                .map(c -> c.total(treeMajorFaults));
    }

    private static String key(StallReading.Psi p) {
        return p.scope() + " " + p.where();
    }
}
