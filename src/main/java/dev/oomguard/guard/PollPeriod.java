package dev.oomguard.guard;

import java.time.Duration;

/**
 * How long to wait before the next read of a cheap aggregate (MemAvailable, a group's usage) where
 * the kernel offers no threshold: long when the next level is far, down to {@code min} near it.
 * The fill rate assumed is the larger of the measured one and {@code assumedBytesPerSecond} (what a
 * job can allocate at full speed), so a job that was idle and starts a burst is still caught: the
 * wait is half the time the gap would last at that rate, so the reads close in on the level.
 * Pure.
 */
public record PollPeriod(Duration min, Duration max, double assumedBytesPerSecond) {
    public PollPeriod {
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0 || !(assumedBytesPerSecond > 0)) {
            throw new IllegalArgumentException("poll period needs 0 < min <= max and a positive rate");
        }
    }

    /** 2 ms to 500 ms, assuming 2 GiB/s (a full-speed allocator on these machines). */
    public static PollPeriod standard(Duration max) {
        return new PollPeriod(Duration.ofMillis(2), max.compareTo(Duration.ofMillis(2)) < 0 ? Duration.ofMillis(2) : max,
                2.0 * (1L << 30));
    }

    /**
     * @param gapBytes              bytes left before the next level (≤ 0: at or past it)
     * @param measuredBytesPerSecond the recent growth, if known (negative or NaN: ignored)
     */
    public Duration next(long gapBytes, double measuredBytesPerSecond) {
        if (gapBytes <= 0) {
            return min;
        }
        double rate = Double.isNaN(measuredBytesPerSecond) ? assumedBytesPerSecond
                : Math.max(assumedBytesPerSecond, measuredBytesPerSecond);
        double nanos = gapBytes / rate / 2 * 1e9;
        if (nanos >= max.toNanos()) {
            return max;
        }
        return nanos <= min.toNanos() ? min : Duration.ofNanos((long) nanos);
    }
}
