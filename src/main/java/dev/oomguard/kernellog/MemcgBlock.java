package dev.oomguard.kernellog;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The memory-cgroup part of a report.
 *
 * @param taskCgroup  the victim's cgroup ({@code Task in X ...}, or {@code task_memcg=} from 5.0)
 * @param limitCgroup the cgroup whose limit was hit ({@code ... limit of Y}, or {@code oom_memcg=})
 * @param counters    the usage/limit/failcnt lines, in order
 * @param statsFor    the cgroup named in {@code Memory cgroup stats for ...}, or null
 * @param statBytes   memory.stat values converted to bytes (old one-line form is in KB)
 */
public record MemcgBlock(String taskCgroup, String limitCgroup, List<MemcgCounter> counters,
        String statsFor, Map<String, Long> statBytes) {
    public MemcgBlock {
        counters = List.copyOf(counters);
        statBytes = Map.copyOf(statBytes);
    }

    public Optional<MemcgCounter> counter(String kind) {
        return counters.stream().filter(c -> c.kind().equals(kind)).findFirst();
    }

    /** The cgroup to name: the one whose limit was hit, else the victim's, else the stats one. */
    public Optional<String> cgroup() {
        return Optional.ofNullable(limitCgroup != null ? limitCgroup : taskCgroup != null ? taskCgroup : statsFor);
    }
}
