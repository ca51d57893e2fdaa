package dev.oomguard.launch;

import dev.oomguard.proc.LibC;
import dev.oomguard.proc.Signals;

/**
 * Ends this process by the signal the job died of, so the caller's shell sees the same death
 * (and prints the same "Killed" or "Segmentation fault") as without oomguard. Core dumps are
 * disabled first: the JVM's memory is nobody's business. If the signal does not end the
 * process (its default action is to ignore), the caller falls back to {@code exit(128+N)}.
 */
public final class Reraise {
    private Reraise() {
    }

    public static void dieOf(int signal) {
        Signals signals = new Signals(LibC.INSTANCE);
        // Where refused, the kernel may write a core; the status is still right.
        signals.disableCoreDumps();
        signals.resetToDefault(signal);
        signals.unblock(signal);
        signals.raise(signal);
    }
}
