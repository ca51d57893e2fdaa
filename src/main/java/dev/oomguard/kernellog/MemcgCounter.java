package dev.oomguard.kernellog;

/**
 * One memcg counter line: {@code memory: usage 98304kB, limit 98304kB, failcnt 1057}
 * ({@code memory}, {@code memory+swap}, {@code kmem}, {@code swap}).
 */
public record MemcgCounter(String kind, long usageKiB, long limitKiB, long failcnt) {
    /** The kernel prints PAGE_COUNTER_MAX (…988, …991 kB, or larger) for "no limit". */
    private static final long UNLIMITED_FROM_KIB = 9_007_199_254_740_000L;

    public MemcgCounter {
        if (kind == null || usageKiB < 0 || limitKiB < 0 || failcnt < 0) {
            throw new IllegalArgumentException("bad memcg counter: " + kind + " " + usageKiB + "/" + limitKiB);
        }
    }

    public boolean unlimited() {
        return limitKiB >= UNLIMITED_FROM_KIB;
    }
}
