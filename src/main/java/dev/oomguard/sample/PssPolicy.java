package dev.oomguard.sample;

/**
 * How sparingly to read {@code smaps_rollup}, which stalls its target while the kernel walks the
 * page tables (about 100 ms per 4 GiB). A process is read again after
 * {@code minTicks + ticksPerGiB × its RSS in GiB} ticks, at most {@code maxReadsPerTick} per tick,
 * never above {@code maxRssKiB}.
 */
public record PssPolicy(int minTicks, int ticksPerGiB, int maxReadsPerTick, long maxRssKiB) {
    public PssPolicy {
        if (minTicks < 1 || ticksPerGiB < 0 || maxReadsPerTick < 0 || maxRssKiB < 0) {
            throw new IllegalArgumentException("bad PSS policy: " + minTicks + "/" + ticksPerGiB + "/" + maxReadsPerTick);
        }
    }

    /** Every 10 ticks for small processes, every ~130 ticks for a 4 GiB one, 4 reads a tick, none above 64 GiB. */
    public static PssPolicy standard() {
        return new PssPolicy(10, 30, 4, 64L * 1024 * 1024);
    }

    public static PssPolicy never() {
        return new PssPolicy(1, 0, 0, 0);
    }

    /** Whether a process read {@code ticksSinceRead} ticks ago (or never, {@code -1}) is due. */
    public boolean due(long rssKiB, long ticksSinceRead) {
        if (maxReadsPerTick == 0 || rssKiB > maxRssKiB) {
            return false;
        }
        return ticksSinceRead < 0 || ticksSinceRead >= minTicks + (long) (ticksPerGiB * (rssKiB / (1024.0 * 1024)));
    }
}
