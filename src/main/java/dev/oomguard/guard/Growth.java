package dev.oomguard.guard;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;

/**
 * A robust growth rate of one series (used bytes of one limit) over a sliding time window:
 * Theil–Sen, the median of pairwise slopes, taken over the pairs at least half the window's span
 * apart, so a garbage collector's sawtooth (slow climb, sudden drop, shorter than the window) and
 * single noisy ticks do not swing it. Never NaN: too little data gives empty.
 */
public final class Growth {
    private final long windowNanos;
    private final int maxPoints;
    private final List<long[]> points = new ArrayList<>(); // {nanos, bytes}, oldest first

    public Growth(long windowNanos, int maxPoints) {
        if (windowNanos <= 0 || maxPoints < 3) {
            throw new IllegalArgumentException("growth window must be positive and hold 3+ points");
        }
        this.windowNanos = windowNanos;
        this.maxPoints = maxPoints;
    }

    public void add(long nanos, long bytes) {
        if (!points.isEmpty() && nanos <= points.get(points.size() - 1)[0]) {
            return; // the same instant twice tells nothing
        }
        points.add(new long[] {nanos, bytes});
        while (points.size() > 1 && nanos - points.get(0)[0] > windowNanos) {
            points.remove(0);
        }
        if (points.size() > maxPoints) {
            thin();
        }
    }

    /** Drops every second point but the newest, keeping the window's span. */
    private void thin() {
        List<long[]> kept = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            if (i % 2 == 0 || i == points.size() - 1) {
                kept.add(points.get(i));
            }
        }
        points.clear();
        points.addAll(kept);
    }

    /** Bytes per second, positive when growing; empty with fewer than 3 points. */
    public OptionalDouble bytesPerSecond() {
        int n = points.size();
        if (n < 3) {
            return OptionalDouble.empty();
        }
        long[] t = new long[n];
        long[] y = new long[n];
        for (int i = 0; i < n; i++) {
            t[i] = points.get(i)[0];
            y[i] = points.get(i)[1];
        }
        return theilSen(t, y);
    }

    /**
     * Median slope (per second) over pairs at least half the span apart; all pairs if that leaves
     * none. Pure; exposed for tests.
     */
    static OptionalDouble theilSen(long[] nanos, long[] bytes) {
        int n = nanos.length;
        long span = nanos[n - 1] - nanos[0];
        if (span <= 0) {
            return OptionalDouble.empty();
        }
        double[] slopes = new double[n * (n - 1) / 2];
        int count = 0;
        for (long minGap : new long[] {span / 2, 1}) {
            count = 0;
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    long dt = nanos[j] - nanos[i];
                    if (dt >= minGap && dt > 0) {
                        slopes[count++] = (double) (bytes[j] - bytes[i]) / dt * 1e9;
                    }
                }
            }
            if (count > 0) {
                break;
            }
        }
        if (count == 0) {
            return OptionalDouble.empty();
        }
        double[] s = Arrays.copyOf(slopes, count);
        Arrays.sort(s);
        double median = count % 2 == 1 ? s[count / 2] : (s[count / 2 - 1] + s[count / 2]) / 2;
        return Double.isFinite(median) ? OptionalDouble.of(median) : OptionalDouble.empty();
    }

    /**
     * Whether the series rises beyond what noise explains: the Mann–Kendall trend test over the
     * window, one-sided, {@code Z >= zMin} (3.0: p ≈ 0.0013 on a flat noisy series), with at
     * least 8 points. A flat or falling series never passes.
     */
    public boolean risingSignificantly(double zMin) {
        int n = points.size();
        if (n < 8) {
            return false;
        }
        long s = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                s += Long.signum(points.get(j)[1] - points.get(i)[1]);
            }
        }
        double variance = n * (n - 1.0) * (2 * n + 5) / 18.0;
        double z = s > 0 ? (s - 1) / Math.sqrt(variance) : 0;
        return z >= zMin;
    }

    /**
     * Whether the growth is a trend the data supports, not a burst: the window's points span at
     * least {@code minSpanNanos}, the rate is positive, and no single step between two consecutive
     * points makes up more than half of the rise the rate gives over the span. A job that loads
     * its data at once (one or two steps, then flat) fails the last test however steep the rate
     * that the step gives; a steady leak passes it. A forecast needs it over a minimum span; the stop
     * and checkpoint levels ask it too, with no minimum span ({@code sustained(0)}).
     */
    public boolean sustained(long minSpanNanos) {
        int n = points.size();
        if (n < 3) {
            return false;
        }
        long span = points.get(n - 1)[0] - points.get(0)[0];
        OptionalDouble rate = bytesPerSecond();
        if (span < minSpanNanos || rate.isEmpty() || rate.getAsDouble() <= 0) {
            return false;
        }
        long largestStep = 0;
        for (int i = 1; i < n; i++) {
            largestStep = Math.max(largestStep, points.get(i)[1] - points.get(i - 1)[1]);
        }
        double rise = rate.getAsDouble() * span / 1e9;
        return largestStep * 2 <= rise;
    }

    /**
     * Whether the series still rises at its newest reading: from the newest reading at least
     * {@code spanNanos} older (the oldest, if none is) to the newest, it rose by at least a quarter
     * of what the window's rate gives over that time. A job that grew steadily and has since
     * levelled off fails it, however steady its growth was (the window still holds the climb); a
     * leak passes it; a sawtooth passes it on its climbs, not just after a drop.
     */
    public boolean stillRising(long spanNanos) {
        int n = points.size();
        OptionalDouble rate = bytesPerSecond();
        if (n < 3 || rate.isEmpty() || rate.getAsDouble() <= 0) {
            return false;
        }
        long[] newest = points.get(n - 1);
        int i = n - 2;
        while (i > 0 && newest[0] - points.get(i)[0] < spanNanos) {
            i--;
        }
        long[] base = points.get(i);
        long rise = newest[1] - base[1];
        return rise > 0 && rise >= rate.getAsDouble() * (newest[0] - base[0]) / 1e9 / 4;
    }

    /** The time the window's points cover, in nanoseconds (0 with fewer than 2). */
    public long spanNanos() {
        return points.size() < 2 ? 0 : points.get(points.size() - 1)[0] - points.get(0)[0];
    }

    public int size() {
        return points.size();
    }
}
