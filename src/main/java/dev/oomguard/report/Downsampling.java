package dev.oomguard.report;

import java.time.Duration;

/**
 * Which ticks the run record keeps, so that a run of days stays a file of megabytes: every tick
 * while the run is young (that is when most jobs fail, and when the shape of the growth matters),
 * then at most one sample per {@code middleGap}, then at most one per {@code lateGap}. Events are
 * never dropped; the sample just before an event is always written with it (see {@link RunRecord}).
 *
 * <p>The standard policy: every tick for the first hour, at most one sample per 10 s up to 24 h,
 * then one per minute. A 3-day run at 500 ms ticks keeps 7,200 + 8,280 + 2,880 = 18,360 samples
 * instead of 518,400.
 *
 * @param fullFor     keep every tick until this long after the start
 * @param middleGap   from then on, keep a sample only when this long has passed since the last kept one
 * @param middleUntil until this long after the start
 * @param lateGap     and after that, only when this long has passed
 */
public record Downsampling(Duration fullFor, Duration middleGap, Duration middleUntil, Duration lateGap) {
    public static final Downsampling STANDARD = new Downsampling(Duration.ofHours(1), Duration.ofSeconds(10),
            Duration.ofHours(24), Duration.ofMinutes(1));
    /** Every tick, for as long as the run lasts (tests; short runs). */
    public static final Downsampling NONE = new Downsampling(Duration.ofDays(365 * 1000L), Duration.ZERO,
            Duration.ofDays(365 * 1000L), Duration.ZERO);

    public Downsampling {
        if (fullFor.isNegative() || middleGap.isNegative() || lateGap.isNegative() || middleUntil.compareTo(fullFor) < 0) {
            throw new IllegalArgumentException("downsampling needs 0 <= fullFor <= middleUntil and gaps >= 0: " + this);
        }
    }

    /** The least time between two kept samples at {@code tMillis} after the start. */
    public long gapMillis(long tMillis) {
        if (tMillis < fullFor.toMillis()) {
            return 0;
        }
        return tMillis < middleUntil.toMillis() ? middleGap.toMillis() : lateGap.toMillis();
    }

    /**
     * Whether the sample taken {@code tMillis} after the start is kept, the last kept one having
     * been taken at {@code lastKeptMillis} (negative: none yet, and the first is always kept).
     */
    public boolean keep(long tMillis, long lastKeptMillis) {
        return lastKeptMillis < 0 || tMillis - lastKeptMillis >= gapMillis(tMillis);
    }

    /** How many samples a run of {@code length} at one tick per {@code interval} keeps (events aside). */
    public long keptSamples(Duration length, Duration interval) {
        long kept = 0;
        long last = -1;
        long step = interval.toMillis();
        for (long t = 0; t <= length.toMillis(); t += step) {
            if (keep(t, last)) {
                kept++;
                last = t;
            }
        }
        return kept;
    }

    /** The policy in words, for the record's header. */
    public String describe() {
        return "every tick for the first " + fullFor.toMinutes() + " min, then at most one sample per "
                + middleGap.toSeconds() + " s up to " + middleUntil.toHours() + " h, then one per "
                + lateGap.toSeconds() + " s; events are never dropped";
    }
}
