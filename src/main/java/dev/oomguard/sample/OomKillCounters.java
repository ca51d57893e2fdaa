package dev.oomguard.sample;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The kernel's OOM kill counters at one tick: the host's ({@code /proc/vmstat oom_kill}) and those
 * of the job's cgroup and its ancestors, by directory, nearest first. Empty host counter: kernel
 * too old.
 */
public record OomKillCounters(OptionalLong host, Map<String, Long> cgroups) {
    public OomKillCounters {
        cgroups = Collections.unmodifiableMap(new LinkedHashMap<>(cgroups)); // keeps nearest first
    }

    /** The job's own cgroup (the nearest that has a counter), if any. */
    public Optional<String> nearestCgroup() {
        return cgroups.keySet().stream().findFirst();
    }

    /**
     * How many of the job's processes the kernel OOM-killed between {@code earlier} and this reading,
     * from ONE counter: the job's own cgroup's when both readings have it, else the host's.
     *
     * <p>Not the largest rise of all counters: they are read one after another, so a kill that
     * falls between two reads shows in one counter at this tick and in the other at the next, and
     * was counted twice. Nor the host's or an ancestor's when the job's own cgroup has a counter:
     * they also count kills outside the job (any process on the machine; on cgroup v2 every
     * sibling under the ancestor), which made an ordinary exit look like a kill. On cgroup v1 a
     * kill is counted in the victim's own memory cgroup only, so a worker that moved to a cgroup
     * of its own is not seen; on v2 the job's cgroup counts its descendants too.
     */
    public long killsSince(OomKillCounters earlier) {
        Optional<String> own = nearestCgroup().filter(earlier.cgroups::containsKey);
        if (own.isPresent()) {
            return Math.max(0, cgroups.get(own.get()) - earlier.cgroups.get(own.get()));
        }
        if (host.isPresent() && earlier.host.isPresent()) {
            return Math.max(0, host.getAsLong() - earlier.host.getAsLong());
        }
        return 0;
    }
}
