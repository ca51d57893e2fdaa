package dev.oomguard.launch;

/**
 * How oomguard signals the job it guards, the one way for the responder (checkpoint, pause,
 * stop) and the checkpoint reflex alike: to the job's process group while the job is certainly
 * not reaped (its PID names its group until then), else to what is left of its tree.
 */
public interface JobSignals {
    /** Signal {@code signal} to the job now, from the calling thread. */
    void send(int signal);

    /** Whether the job is certainly not reaped yet, so that its PID still names its group. */
    boolean unreaped();

    /**
     * Signal {@code signal} to the job's process group at once, from a thread that must not
     * allocate, lock or wait (the checkpoint reflex); nothing once the job may be reaped.
     */
    void sendToGroupAtOnce(int signal);
}
