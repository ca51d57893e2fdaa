package dev.oomguard.report;

/**
 * A one-line picture of a series that may run for days: at most {@code width} buckets, each the
 * largest value it covers; when full, neighbouring buckets merge, so memory stays fixed and the
 * whole run is always shown. Block characters where the output takes UTF-8, ASCII elsewhere.
 */
public final class Sparkline {
    private static final String BLOCKS = "\u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
    private static final String ASCII = "_.-=+*#@";

    private final long[] buckets;
    private int used;
    private int perBucket = 1;
    private int inCurrent;

    public Sparkline(int width) {
        if (width < 2) {
            throw new IllegalArgumentException("a sparkline needs at least 2 columns: " + width);
        }
        this.buckets = new long[width];
    }

    public synchronized void add(long value) {
        if (used == 0 || inCurrent == perBucket) {
            if (used == buckets.length) {
                for (int i = 0; i < used / 2; i++) {
                    buckets[i] = Math.max(buckets[2 * i], buckets[2 * i + 1]);
                }
                used /= 2;
                perBucket *= 2;
            }
            buckets[used++] = value;
            inCurrent = 1;
        } else {
            buckets[used - 1] = Math.max(buckets[used - 1], value);
            inCurrent++;
        }
    }

    /** The line, scaled from 0 to the largest value; empty before the first value. */
    public synchronized String render(boolean unicode) {
        String glyphs = unicode ? BLOCKS : ASCII;
        long max = 0;
        for (int i = 0; i < used; i++) {
            max = Math.max(max, buckets[i]);
        }
        StringBuilder b = new StringBuilder(used);
        for (int i = 0; i < used; i++) {
            int level = max == 0 ? 0 : (int) Math.min(glyphs.length() - 1, buckets[i] * glyphs.length() / (max + 1));
            b.append(glyphs.charAt(level));
        }
        return b.toString();
    }
}
