package dev.oomguard.trigger;

/** How the job is protected between full samples. */
public enum Route {
    /** cgroup v1 usage thresholds: the kernel wakes the trigger thread at each level. */
    THRESHOLDS,
    /** Adaptive polling of one cheap aggregate, closing in on the next level. */
    POLL,
    /** No cheap aggregate: full samples only, closer together near the levels. */
    NONE
}
