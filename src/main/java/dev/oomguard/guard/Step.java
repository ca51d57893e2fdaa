package dev.oomguard.guard;

/** The rungs of the ladder and what the supervisor does for each. */
public enum Step {
    /** Tell the user (stderr, notify). */
    WARN,
    /** Ask the job to checkpoint (signal, flag file, hook). */
    CHECKPOINT,
    /** The host is running out, but the kernel would pick a process outside the job: warn, naming it. */
    WARN_OUTSIDE,
    /** The stop is due but a checkpoint is in progress: wait for it (said once per checkpoint). */
    STOP_DEFERRED,
    /** SIGTERM (then SIGCONT) to the job's process group. */
    TERMINATE,
    /** The grace period after TERMINATE is over: SIGKILL. */
    KILL,
    /** SIGSTOP to the job's process group. */
    PAUSE,
    /** SIGCONT: headroom came back while paused. */
    RESUME
}
