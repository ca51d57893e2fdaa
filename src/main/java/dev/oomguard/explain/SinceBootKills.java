package dev.oomguard.explain;

import dev.oomguard.proc.CgroupOomKills;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What anyone can learn about OOM kills without the kernel log: the machine's count since boot
 * ({@code /proc/vmstat oom_kill}, Linux 4.13+) and the memory cgroups whose own counter is above
 * zero. Says how many and where, never whom or why. Pure: the caller reads the values.
 *
 * @param vmstatOomKills the machine's count, or null when the kernel does not count (older than 4.13)
 * @param cgroups        cgroups with kills
 * @param cgroupsComplete whether every cgroup could be looked at
 */
public record SinceBootKills(Long vmstatOomKills, List<CgroupOomKills.Count> cgroups, boolean cgroupsComplete) {
    /** Cgroups named in the text; the JSON lists them all. */
    private static final int NAMED = 10;

    public SinceBootKills {
        cgroups = List.copyOf(cgroups);
    }

    /** Sentences for a terminal: how many kills, and in which cgroups (deepest, i.e. most specific, first). */
    public List<String> sentences() {
        List<String> out = new ArrayList<>();
        if (vmstatOomKills == null) {
            out.add("This kernel keeps no machine-wide OOM-kill count (/proc/vmstat oom_kill needs Linux 4.13+).");
        } else if (vmstatOomKills == 0) {
            out.add("The kernel has OOM-killed no process since boot (/proc/vmstat oom_kill 0).");
        } else {
            out.add("The kernel has OOM-killed " + vmstatOomKills + (vmstatOomKills == 1 ? " process" : " processes")
                    + " since boot (/proc/vmstat oom_kill " + vmstatOomKills + ").");
        }
        if (!cgroups.isEmpty()) {
            List<CgroupOomKills.Count> named = cgroups.stream()
                    .sorted(Comparator.comparingLong((CgroupOomKills.Count c) -> c.cgroup().chars().filter(ch -> ch == '/').count())
                            .reversed().thenComparing(CgroupOomKills.Count::cgroup))
                    .limit(NAMED).toList();
            StringBuilder sb = new StringBuilder("Memory cgroups with OOM kills (their oom_kill counters): ");
            for (int i = 0; i < named.size(); i++) {
                CgroupOomKills.Count c = named.get(i);
                sb.append(i == 0 ? "" : ", ").append(c.cgroup()).append(" (").append(c.oomKills()).append(')');
            }
            if (cgroups.size() > named.size()) {
                sb.append(" and ").append(cgroups.size() - named.size()).append(" more");
            }
            out.add(sb.append('.').toString());
        } else if (vmstatOomKills != null && vmstatOomKills > 0) {
            out.add("No memory cgroup's oom_kill counter is above zero" + (cgroupsComplete ? "" : " among those readable")
                    + ": the kills were machine-wide, or in cgroups that no longer exist.");
        }
        return out;
    }
}
