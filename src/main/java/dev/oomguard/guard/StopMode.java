package dev.oomguard.guard;

/** What the stop step does. */
public enum StopMode {
    /** SIGTERM to the job, SIGKILL after the grace period if it is still there. */
    TERMINATE,
    /** SIGSTOP the job; SIGCONT when headroom comes back, or terminate after the pause timeout. */
    PAUSE
}
