package dev.oomguard.guard;

import java.time.Duration;
import java.util.Optional;

/**
 * When a job counts as thrashing and what to do about it.
 *
 * @param warnAt            share of the window's time stalled on memory that fires; empty: never act
 *                          (the summary still reports the time stalled)
 * @param window            the time over which the share is measured; nothing fires before a run has lasted this long
 * @param onStall           what to do when it fires
 * @param grace             after a stop's SIGTERM, SIGKILL when the job is still there
 * @param minFaultsPerSecond with host-wide PSI only: the job's tree must make at least this many major
 *                          faults a second over the window, or the stall is someone else's
 * @param hysteresis        a fired episode ends once the share is this many points below {@code warnAt}
 */
public record StallSettings(Optional<Percent> warnAt, Duration window, OnStall onStall, Duration grace,
                            double minFaultsPerSecond, Percent hysteresis) {
    /** What to do about thrashing. */
    public enum OnStall { WARN, CHECKPOINT, STOP }

    public StallSettings {
        if (warnAt == null || window == null || onStall == null || grace == null || hysteresis == null) {
            throw new IllegalArgumentException("incomplete stall settings");
        }
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("the stall window must be positive, not " + window);
        }
        if (grace.isNegative() || !(minFaultsPerSecond >= 0)) {
            throw new IllegalArgumentException("grace and fault rate must not be negative");
        }
        if (warnAt.isPresent() && warnAt.get().value() == 0) {
            throw new IllegalArgumentException("--warn-stall 0% would fire on any run; use 'off' to disable it");
        }
    }

    /** {@code --warn-stall 20% --stall-window 30s --on-stall warn}, one major fault a second on host-wide PSI. */
    public static StallSettings defaults() {
        return new StallSettings(Optional.of(Percent.of(20)), Duration.ofSeconds(30), OnStall.WARN,
                Duration.ofSeconds(10), 1.0, Percent.of(5));
    }

    public StallSettings with(Optional<Percent> warnAt, Duration window, OnStall onStall, Duration grace) {
        return new StallSettings(warnAt, window, onStall, grace, minFaultsPerSecond, hysteresis);
    }
}
