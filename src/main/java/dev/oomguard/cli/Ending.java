package dev.oomguard.cli;

import dev.oomguard.launch.Reraise;
import dev.oomguard.proc.LibC;

/**
 * How the process ends: {@code System.exit(status)}, or, when the job died of a signal and
 * re-raising was chosen, death by that same signal so the calling shell sees what it would
 * have seen without oomguard (as coreutils timeout does).
 *
 * <p>A run that has native access ends by {@code _exit(2)} ({@link #through}): everything it
 * writes is closed (and fsynced where promised) before it returns, no shutdown hook is oomguard's,
 * and the JVM's own exit waits for every thread to reach a safepoint, which a thread still
 * compiling code (C1, C2) makes it do in steps of 10 ms. {@code -Doomguard.exit=jvm} keeps the
 * JVM's exit: what the JVM writes at its exit (a class list for the CDS archive) needs it.
 */
public final class Ending {
    private volatile int reraiseSignal;
    private volatile LibC libc;

    /** Ask to die of this signal instead of exiting; 0 cancels. */
    public void reraise(int signal) {
        this.reraiseSignal = signal;
    }

    /** End through {@code libc}'s {@code _exit}, unless {@code -Doomguard.exit=jvm}. */
    public void through(LibC libc) {
        if (!"jvm".equals(System.getProperty("oomguard.exit"))) {
            this.libc = libc;
        }
    }

    void end(int status) {
        int signal = reraiseSignal;
        if (signal > 0) {
            Reraise.dieOf(signal);
        }
        LibC now = libc;
        if (now != null) {
            System.out.flush();
            System.err.flush();
            now.exitNow(status);
        }
        System.exit(status);
    }
}
