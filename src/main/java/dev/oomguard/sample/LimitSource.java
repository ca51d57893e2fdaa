package dev.oomguard.sample;

/** Where a limit comes from. */
public enum LimitSource {
    /** A memory cgroup v1 ancestor with {@code memory.limit_in_bytes} (+ {@code memsw}). */
    CGROUP_V1("cgroup v1"),
    /** A memory cgroup v2 ancestor with {@code memory.max} (+ {@code memory.swap.max}). */
    CGROUP_V2("cgroup v2"),
    /** The whole machine: RAM + swap. */
    HOST("host"),
    /** The user's own {@code --limit} on the job's tree. */
    USER("--limit");

    private final String label;

    LimitSource(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
