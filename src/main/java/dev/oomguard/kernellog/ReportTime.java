package dev.oomguard.kernellog;

import java.time.Instant;
import java.util.Optional;

/**
 * When a report was logged, in whatever clocks its source had: /dev/kmsg sequence numbers,
 * printk's boot-relative microseconds, wall-clock stamps. Absent values are -1 or null.
 *
 * @param wallExact true when the wall times were logged with the lines (syslog, journald),
 *                  false when computed from the boot time ({@code dmesg -T}), which is off after a suspend
 */
public record ReportTime(long firstSeq, long lastSeq, long firstMonoMicros, long lastMonoMicros,
        Instant firstWall, Instant lastWall, boolean wallExact) {
    public static final ReportTime NONE = new ReportTime(-1, -1, -1, -1, null, null, false);

    public ReportTime {
        if (firstSeq < -1 || lastSeq < -1 || firstMonoMicros < -1 || lastMonoMicros < -1) {
            throw new IllegalArgumentException("stamp below -1");
        }
    }

    /** Widens this window by one line's stamps. */
    public ReportTime with(LogLine line) {
        return new ReportTime(
                firstSeq >= 0 ? firstSeq : line.seq(),
                line.seq() >= 0 ? line.seq() : lastSeq,
                firstMonoMicros >= 0 ? firstMonoMicros : line.monoMicros(),
                line.monoMicros() >= 0 ? line.monoMicros() : lastMonoMicros,
                firstWall != null ? firstWall : line.wallTime(),
                line.wallTime() != null ? line.wallTime() : lastWall,
                firstWall != null ? wallExact : line.wallExact());
    }

    public Optional<Instant> wall() {
        return Optional.ofNullable(lastWall != null ? lastWall : firstWall);
    }

    /** Seconds since boot as printk printed them, or empty. */
    public Optional<Double> bootSeconds() {
        long us = lastMonoMicros >= 0 ? lastMonoMicros : firstMonoMicros;
        return us < 0 ? Optional.empty() : Optional.of(us / 1e6);
    }
}
