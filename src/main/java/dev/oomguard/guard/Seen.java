package dev.oomguard.guard;

/** How a crossing between full samples was seen: what its reason says in parentheses. */
public enum Seen {
    /** A cgroup v1 eventfd threshold or a {@code memory.events} change: the kernel told. */
    KERNEL_NOTIFICATION("kernel notification"),
    /** A fast read of one file (host {@code /proc/meminfo}, cgroup v2 {@code memory.current}). */
    POLLED_READING("polled reading");

    private final String words;

    Seen(String words) {
        this.words = words;
    }

    public String words() {
        return words;
    }
}
