package dev.oomguard.sample;

import java.util.Map;
import java.util.OptionalLong;

/**
 * The kernel's OOM kill counters at one tick: the host's ({@code /proc/vmstat oom_kill}) and those
 * of the job's cgroup and its limited ancestors, by directory. Empty host counter: kernel too old.
 */
public record OomKillCounters(OptionalLong host, Map<String, Long> cgroups) {
    public OomKillCounters {
        cgroups = Map.copyOf(cgroups);
    }

    /**
     * How many kills happened between {@code earlier} and this reading: the largest rise of any
     * counter (the same kill shows in the host counter and in every cgroup counter up the chain).
     */
    public long killsSince(OomKillCounters earlier) {
        long rise = 0;
        if (host.isPresent() && earlier.host.isPresent()) {
            rise = Math.max(rise, host.getAsLong() - earlier.host.getAsLong());
        }
        for (Map.Entry<String, Long> e : cgroups.entrySet()) {
            Long before = earlier.cgroups.get(e.getKey());
            if (before != null) {
                rise = Math.max(rise, e.getValue() - before);
            }
        }
        return Math.max(0, rise);
    }
}
