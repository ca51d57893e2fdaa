package dev.oomguard.guard;

import dev.oomguard.sample.Limit;
import dev.oomguard.sample.Sample;
import dev.oomguard.units.ByteSize;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Each limit's growth over the window (one {@link Growth} per limit, by its key) and what the
 * {@link Ladder} reads from it at a sample: the figures a decision is taken on, and whether the
 * rise is significant (Mann–Kendall), steady (no single step between two samples makes up more
 * than half of it) and still going on. Time comes from the samples. Not thread-safe: the ladder
 * feeds it, from one tick loop.
 */
final class Trends {
    private static final int MAX_GROWTH_POINTS = 96;
    /** Mann–Kendall Z a rise must reach before the ladder acts on it. */
    private static final double TREND_Z = 3.0;
    /** How far back "still rising" looks: the newest reading against one at least this much older. */
    static final long RECENT_NANOS = 1_000_000_000L;

    /**
     * What the binding limit's growth says at one sample.
     *
     * @param steady    a significant, steady rise that is still rising now
     * @param sustained steady, and over at least {@link GuardSettings#trendSpan}
     * @param spanNanos how much time the growth estimate covers
     */
    record Reading(Figures figures, boolean steady, boolean sustained, long spanNanos) {
    }

    private final GuardSettings settings;
    private final Map<String, Growth> growth = new HashMap<>();

    Trends(GuardSettings settings) {
        this.settings = settings;
    }

    /** Adds the sample's use of every limit, then reads the binding limit's growth. */
    Reading read(Sample sample) {
        for (Limit limit : sample.limits()) {
            growth.computeIfAbsent(limit.key(), k -> new Growth(settings.growthWindow().toNanos(), MAX_GROWTH_POINTS))
                    .add(sample.takenNanos(), limit.used().bytes());
        }
        Limit binding = sample.binding();
        Growth g = growth.get(binding.key());
        OptionalDouble rate = g.bytesPerSecond();
        Optional<Duration> eta = rate.isPresent() && rate.getAsDouble() > 0
                ? Optional.of(Duration.ofMillis((long) (binding.headroom().bytes() / rate.getAsDouble() * 1000)))
                : Optional.empty();
        Figures figures = new Figures(sample.tick(), binding, rate, eta);
        boolean confirmed = g.risingSignificantly(TREND_Z);
        // Steady, and still rising now: a job that climbed steadily and has levelled off is not "still growing".
        boolean steady = confirmed && g.sustained(0) && g.stillRising(RECENT_NANOS);
        boolean sustained = steady && g.sustained(settings.trendSpan().toNanos());
        return new Reading(figures, steady, sustained, g.spanNanos());
    }

    /**
     * {@code at 163.8% of the cap (81.9 MiB), flat}: the cap's own figures, from the tree's total
     * (the cap's use stops at its capacity; the tree's does not).
     */
    String capBasis(Limit cap, Sample sample) {
        Growth g = growth.get(cap.key());
        double r = g == null ? 0 : g.bytesPerSecond().orElse(0);
        long tree = Math.max(cap.used().bytes(), sample.totals().rssAndSwapKiB() * 1024);
        String trend = r > 0 && g.risingSignificantly(TREND_Z) && g.sustained(0) ? "growing " + ByteSize.ofBytes((long) r).human() + "/s"
                : r > 0 ? "no steady growth" : r < 0 ? "shrinking" : "flat";
        return String.format(Locale.ROOT, "at %.1f%% of the cap (%s), %s", 100.0 * tree / cap.capacity().bytes(),
                ByteSize.ofBytes(tree).human(), trend);
    }
}
