package dev.oomguard.sample;

/** A process, not just a PID: the start time tells it from a later process that reuses the PID. */
public record ProcessId(int pid, long startTimeTicks) {
    public ProcessId {
        if (pid <= 0) {
            throw new IllegalArgumentException("not a PID: " + pid);
        }
    }

    @Override
    public String toString() {
        return Integer.toString(pid);
    }
}
