package dev.oomguard.explain;

/**
 * Kernel OOM-kill counters read before the job started and after it ended; null when unreadable.
 * They count kills without saying whose, so they stand in for the kernel log only with lower
 * confidence.
 *
 * @param vmstatBefore  {@code /proc/vmstat oom_kill} (machine-wide, since 4.13)
 * @param cgroupBefore  the job's cgroup {@code oom_kill}: v1 {@code memory.oom_control}, v2 {@code memory.events}
 * @param cgroupCounter which file the cgroup counter came from, for the explanation
 */
public record OomCounters(Long vmstatBefore, Long vmstatAfter, Long cgroupBefore, Long cgroupAfter, String cgroupCounter) {
    public static final OomCounters NONE = new OomCounters(null, null, null, null, null);

    public Long vmstatDelta() {
        return vmstatBefore == null || vmstatAfter == null ? null : vmstatAfter - vmstatBefore;
    }

    public Long cgroupDelta() {
        return cgroupBefore == null || cgroupAfter == null ? null : cgroupAfter - cgroupBefore;
    }

    /** Reads {@code oom_kill N} from /proc/vmstat, memory.oom_control or memory.events text. */
    public static Long parseOomKill(String text) {
        if (text == null) {
            return null;
        }
        return text.lines().map(String::strip).filter(l -> l.startsWith("oom_kill "))
                .map(l -> l.substring("oom_kill ".length()).strip())
                .filter(s -> s.matches("\\d{1,19}")).map(Long::valueOf).findFirst().orElse(null);
    }
}
