package dev.oomguard.sample;

import java.time.Duration;

/**
 * How long until the next full sample: dense while the job is young (a quarter of its age, from
 * {@code floor}) and while its memory moves fast (at most {@code moving} apart), backing off (the
 * wait doubles each quiet tick) to the normal {@code interval} at rest. A short job's record and
 * chart then have its shape, and its peak is read while it lives; a job at rest costs what it cost.
 *
 * <p>What it costs: a job gets {@code floor}-spaced samples for its first {@code 4 floor}, then
 * each wait is a quarter of its age (about {@code 4.5 ln(T / 4 floor)} samples up to age {@code T})
 * until that reaches {@code interval} at age {@code 4 interval}: with 50 ms and 5 s, 4 + 21 = 25
 * samples in the first 20 s instead of 4, once per job, then the normal interval. A fast
 * move costs one sample per {@code moving} while it lasts and three or four more as the wait backs
 * off. Owned by one tick loop: not thread-safe.
 *
 * @param floor    the shortest wait (the young job's first samples)
 * @param moving   the wait while the tree's memory moves fast
 * @param interval the normal wait, at rest and once the job is no longer young
 */
public record Cadence(Duration floor, Duration moving, Duration interval) {
    /** A move between two samples of at least this much (and {@link #MOVE_SHARE} of the tree) is fast. */
    public static final long MOVE_KIB = 8 * 1024;
    /** ... and at least this share of the larger of the two figures: 1/8. */
    public static final int MOVE_SHARE = 8;
    /** The wait while young is the age divided by this. */
    public static final int YOUTH_DIVISOR = 4;

    public Cadence {
        if (floor.isNegative() || floor.isZero() || moving.compareTo(floor) < 0 || interval.isNegative()
                || interval.isZero()) {
            throw new IllegalArgumentException("cadence needs 0 < floor <= moving and a positive interval");
        }
    }

    /** 50 ms while very young, 250 ms while moving fast, {@code interval} at rest. */
    public static Cadence standard(Duration interval) {
        return new Cadence(Duration.ofMillis(50), Duration.ofMillis(250), interval);
    }

    /**
     * The wait before the next sample. Never longer than {@code interval}, never shorter than
     * {@code floor} unless {@code interval} is.
     *
     * @param ageNanos     time since the job's first sample
     * @param previousKiB  the tree's RSS + swap at the sample before (negative: none)
     * @param nowKiB       the tree's RSS + swap now
     * @param lastWait     the wait chosen after the sample before (null: none)
     */
    public Duration next(long ageNanos, long previousKiB, long nowKiB, Duration lastWait) {
        long intervalNanos = interval.toNanos();
        long floorNanos = Math.min(floor.toNanos(), intervalNanos);
        long young = Math.max(floorNanos, Math.max(0, ageNanos) / YOUTH_DIVISOR);
        long atRest = lastWait == null ? intervalNanos : Math.min(intervalNanos, saturatedDouble(lastWait.toNanos()));
        long wait = fastMove(previousKiB, nowKiB) ? Math.min(moving.toNanos(), atRest) : atRest;
        wait = Math.min(wait, young);
        return Duration.ofNanos(Math.max(floorNanos, Math.min(wait, intervalNanos)));
    }

    /** Whether the tree's memory moved fast between two samples: by 8 MiB and by 1/8 of the larger. */
    public static boolean fastMove(long previousKiB, long nowKiB) {
        if (previousKiB < 0) {
            return false;
        }
        long delta = Math.abs(nowKiB - previousKiB);
        return delta >= MOVE_KIB && delta >= Math.max(previousKiB, nowKiB) / MOVE_SHARE;
    }

    private static long saturatedDouble(long nanos) {
        return nanos > Long.MAX_VALUE / 2 ? Long.MAX_VALUE : nanos * 2;
    }
}
