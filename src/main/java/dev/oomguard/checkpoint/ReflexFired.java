package dev.oomguard.checkpoint;

/**
 * What the {@link Reflex} did when it fired: whether the flag file was put in place, the signal
 * sent, and when, from the kernel's wake-up (or the reading past the level) to the signal.
 */
public record ReflexFired(boolean fileRenamed, int signal, long wokeNanos, long firedNanos, boolean polled) {
    /** From the kernel's wake-up (or the reading past the level) to the signal sent, in microseconds. */
    public long micros() {
        return Math.max(0, (firedNanos - wokeNanos) / 1000);
    }

    /** "sent 84 µs after the kernel's notification", or after the reading that crossed the level. */
    public String describe() {
        return "sent " + micros() + " µs after " + (polled ? "the reading that crossed the level" : "the kernel's notification")
                + (fileRenamed ? "" : "; the flag file could not be put in place");
    }
}
