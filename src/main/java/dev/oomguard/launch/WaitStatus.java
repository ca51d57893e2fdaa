package dev.oomguard.launch;

import dev.oomguard.proc.Signal;

/** A decoded {@code waitpid} status word. */
public record WaitStatus(int raw) {
    public boolean exited() {
        return (raw & 0x7f) == 0;
    }

    public int exitCode() {
        return (raw >> 8) & 0xff;
    }

    public boolean signaled() {
        int low = raw & 0x7f;
        return low != 0 && low != 0x7f;
    }

    public int termSignal() {
        return raw & 0x7f;
    }

    public boolean coreDumped() {
        return signaled() && (raw & 0x80) != 0;
    }

    public boolean stopped() {
        return (raw & 0xff) == 0x7f;
    }

    public int stopSignal() {
        return (raw >> 8) & 0xff;
    }

    public boolean continued() {
        return raw == 0xffff;
    }

    public boolean ended() {
        return exited() || signaled();
    }

    /** The shell's view: the exit code, or 128 + the signal. */
    public int shellStatus() {
        return exited() ? exitCode() : 128 + termSignal();
    }

    @Override
    public String toString() {
        if (exited()) {
            return "exit status " + exitCode();
        }
        if (signaled()) {
            return "killed by " + Signal.describe(termSignal()) + (coreDumped() ? " (core dumped)" : "");
        }
        if (stopped()) {
            return "stopped by " + Signal.describe(stopSignal());
        }
        return continued() ? "continued" : "status 0x" + Integer.toHexString(raw);
    }
}
