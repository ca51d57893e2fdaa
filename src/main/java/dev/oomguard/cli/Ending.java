package dev.oomguard.cli;

import dev.oomguard.launch.Reraise;

/**
 * How the process ends: {@code System.exit(status)}, or, when the job died of a signal and
 * re-raising was chosen, death by that same signal so the calling shell sees what it would
 * have seen without oomguard (as coreutils timeout does).
 */
public final class Ending {
    private volatile int reraiseSignal;

    /** Ask to die of this signal instead of exiting; 0 cancels. */
    public void reraise(int signal) {
        this.reraiseSignal = signal;
    }

    void end(int status) {
        int signal = reraiseSignal;
        if (signal > 0) {
            Reraise.dieOf(signal);
        }
        System.exit(status);
    }
}
