package dev.oomguard.proc;

import java.util.OptionalLong;

/**
 * The one figure read from a {@code struct rusage} filled by {@code wait4}: {@code ru_maxrss}, the
 * largest resident set (KiB) of the reaped child and of the descendants it reaped itself. On the
 * 64-bit Linux ABIs (x86_64, aarch64, ...) the struct is two {@code struct timeval} (two longs
 * each) and fourteen longs, {@code ru_maxrss} first among them: long number 4. Pure.
 */
public final class Rusage {
    /** Longs in a {@code struct rusage} on LP64 Linux (4 for the timevals, 14 fields). */
    public static final int LONGS = 18;
    private static final int MAXRSS = 4;

    private Rusage() {
    }

    /** A buffer for one {@code wait4} call. */
    public static long[] buffer() {
        return new long[LONGS];
    }

    /** {@code ru_maxrss} in KiB; empty when the buffer was not filled (zero, or not an LP64 layout). */
    public static OptionalLong maxRssKiB(long[] rusage) {
        if (rusage == null || rusage.length < LONGS || rusage[MAXRSS] <= 0) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(rusage[MAXRSS]);
    }
}
