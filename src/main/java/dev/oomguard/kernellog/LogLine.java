package dev.oomguard.kernellog;

import java.time.Instant;
import java.util.Objects;

/**
 * One kernel log line with the prefix its source added taken off: the text as printk wrote it,
 * and whatever stamps the source carried.
 *
 * @param text        the message, prefix removed, escapes decoded, never null
 * @param seq         the /dev/kmsg sequence number, or -1 when the source has none
 * @param monoMicros  printk's boot-relative clock in microseconds, or -1 when not printed
 * @param wallTime    wall-clock time the source printed (syslog, dmesg -T, journald), or null
 * @param wallExact   whether {@code wallTime} was written when the line was logged (syslog,
 *                    journald) rather than computed from the boot time (dmesg -T)
 * @param origin      the machine (and boot) the line came from when the source names it: the
 *                    syslog host, journald's {@code _HOSTNAME/_BOOT_ID}; null when unknown. One
 *                    report never mixes two origins.
 */
public record LogLine(String text, long seq, long monoMicros, Instant wallTime, boolean wallExact, String origin) {
    public LogLine {
        Objects.requireNonNull(text, "text");
        if (seq < -1 || monoMicros < -1) {
            throw new IllegalArgumentException("stamp below -1: seq " + seq + ", usec " + monoMicros);
        }
    }

    /** A line whose source does not say which machine it came from. */
    public LogLine(String text, long seq, long monoMicros, Instant wallTime, boolean wallExact) {
        this(text, seq, monoMicros, wallTime, wallExact, null);
    }

    /** A bare line with no stamps (a file without prefixes, a test). */
    public static LogLine of(String text) {
        return new LogLine(text, -1, -1, null, false);
    }

    public boolean hasMono() {
        return monoMicros >= 0;
    }

    public boolean hasSeq() {
        return seq >= 0;
    }
}
