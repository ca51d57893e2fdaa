package dev.oomguard.trigger;

import dev.oomguard.guard.PollPeriod;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * When to read a polled gauge next, and what the last reading was: closer together near the next
 * level, at the faster of the growth seen and the rate assumed (see {@link PollPeriod}). Owned by
 * the trigger thread.
 */
final class Polling {
    private final PollPeriod period;
    private final LongSupplier clock;
    private long lastValue;
    private long lastNanos;
    private double bytesPerSecond = Double.NaN;
    private long nextNanos;

    Polling(PollPeriod period, LongSupplier clock) {
        this.period = period;
        this.clock = clock;
    }

    PollPeriod period() {
        return period;
    }

    /** A new gauge: read at once, measured from the plan's base. */
    void restart(TriggerPlan p) {
        lastValue = p.base().fileBytes();
        lastNanos = p.baseNanos();
        bytesPerSecond = Double.NaN;
        nextNanos = clock.getAsLong();
    }

    /** The same gauge, new levels: the next read no later than they ask. */
    void closeIn(List<Long> levels) {
        nextNanos = Math.min(nextNanos, clock.getAsLong() + wait(levels));
    }

    /** Milliseconds to the next read (0: due), for poll(2). */
    int timeoutMillis(long now) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, (nextNanos - now + 999_999) / 1_000_000));
    }

    boolean due(long now) {
        return now >= nextNanos;
    }

    /** The gauge could not be read: again after the longest wait. */
    void unreadable(long readAt) {
        nextNanos = readAt + period.max().toNanos();
    }

    /** A reading taken at {@code readAt}: whether it crossed a level of {@code p} since the last one. */
    boolean read(TriggerPlan p, long value, long readAt) {
        if (readAt > lastNanos) {
            double rate = (value - lastValue) / ((readAt - lastNanos) / 1e9);
            bytesPerSecond = Double.isNaN(bytesPerSecond) ? rate : 0.5 * bytesPerSecond + 0.5 * rate;
        }
        boolean crossed = p.crossedBetween(lastValue, value);
        lastValue = value;
        lastNanos = readAt;
        return crossed;
    }

    /** After a reading: the next, closing in on {@code levels}. */
    void scheduleAfterRead(List<Long> levels) {
        nextNanos = clock.getAsLong() + wait(levels);
    }

    private long wait(List<Long> levels) {
        return period.next(TriggerPlan.gap(levels, lastValue), bytesPerSecond).toNanos();
    }
}
