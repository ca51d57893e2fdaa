package dev.oomguard.trace;

import java.time.Instant;

/**
 * Start-up and exit phases, for measuring them ({@code scripts/bench-footprint}): with
 * {@code -Doomguard.trace=phases} (e.g. {@code OOMGUARD_JVM_FLAGS=-Doomguard.trace=phases}) each
 * {@link #mark} writes one line {@code oomguard-trace EPOCH_MICROS PHASE} to stderr. Off, a mark is
 * a test of a constant.
 */
public final class Phases {
    private static final boolean ON = "phases".equals(System.getProperty("oomguard.trace"));

    private Phases() {
    }

    /** The moment {@code phase} is reached (or ends: marks name what has just been done). */
    public static void mark(String phase) {
        if (ON) {
            Instant now = Instant.now();
            System.err.println("oomguard-trace " + (now.getEpochSecond() * 1_000_000 + now.getNano() / 1000) + " "
                    + phase);
        }
    }
}
