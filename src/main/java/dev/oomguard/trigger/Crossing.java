package dev.oomguard.trigger;

import dev.oomguard.guard.Seen;
import dev.oomguard.guard.TriggerLevels;

/**
 * A fresh reading of {@code gauge} that may have crossed a level, and the full sample's reading it
 * is compared with ({@code base}, taken at {@code baseNanos}).
 */
public record Crossing(TriggerLevels.Base base, long baseNanos, long fileNow, long nowNanos, Gauge gauge, Seen seen) {
    /** The growth between the full sample and this reading, in bytes per second. */
    public double bytesPerSecondSinceBase() {
        long dt = nowNanos - baseNanos;
        return dt <= 0 ? 0 : (fileNow - base.fileBytes()) / (dt / 1e9);
    }
}
