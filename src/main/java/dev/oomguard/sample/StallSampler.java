package dev.oomguard.sample;

import dev.oomguard.proc.CgroupMount;
import dev.oomguard.proc.CgroupPaths;
import dev.oomguard.proc.CgroupVersion;
import dev.oomguard.proc.MemoryPressure;
import dev.oomguard.proc.PidStat;
import dev.oomguard.proc.ProcFs;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a tick's {@link StallReading}: the pressure of the job's cgroup v2 group when it has one
 * of its own (not the root), else the host's; and the tree's major faults. Keeps each process's
 * last fault count so that faults stay counted when a process exits. Not thread-safe.
 */
public final class StallSampler {
    private final ProcFs fs;
    private final Optional<CgroupMount> v2;
    private final Map<ProcessId, Long> lastFaults = new HashMap<>();
    private long treeMajorFaults;
    private String jobGroup; // the job's own v2 group, as last seen: still read once the tree is gone

    public StallSampler(ProcFs fs, List<CgroupMount> mounts) {
        this.fs = fs;
        this.v2 = CgroupMount.first(mounts, CgroupVersion.V2);
    }

    /**
     * @param members the tree as this tick's scan of {@code /proc/PID/stat} found it (the fault
     *                counters come from there: no file is read twice)
     */
    public StallReading read(List<PidStat> members) {
        Set<ProcessId> alive = new HashSet<>();
        members.forEach(s -> count(s, alive)); // per process in a method: compiled within a tick or two

        lastFaults.keySet().retainAll(alive); // a process that exited keeps its faults up to its last tick
        return new StallReading(pressure(members), treeMajorFaults);
    }

    private void count(PidStat s, Set<ProcessId> alive) {
        ProcessId id = new ProcessId(s.pid(), s.startTimeTicks());
        alive.add(id);
        Long before = lastFaults.put(id, s.majorFaults());
        treeMajorFaults += Math.max(0, s.majorFaults() - (before == null ? 0 : before));
    }

    private Optional<StallReading.Psi> pressure(List<PidStat> members) {
        if (v2.isPresent()) {
            for (PidStat p : members) {
                Optional<String> path = CgroupPaths.read(fs, p.pid()).flatMap(CgroupPaths::v2);
                if (path.isPresent()) {
                    jobGroup = path.get().equals("/") ? null : path.get();
                    break; // the first member that shows a cgroup decides: the job's root, usually
                }
            }
            if (jobGroup != null) {
                String group = jobGroup;
                Optional<MemoryPressure> own = v2.get().directoryOf(group)
                        .flatMap(dir -> MemoryPressure.readFile(fs, dir + "/memory.pressure"));
                if (own.isPresent()) {
                    return Optional.of(new StallReading.Psi(StallReading.Scope.JOB_CGROUP, group,
                            own.get().someTotalMicros(), own.get().fullTotalMicros()));
                }
            }
        }
        return MemoryPressure.read(fs).map(h -> new StallReading.Psi(StallReading.Scope.HOST, MemoryPressure.PATH,
                h.someTotalMicros(), h.fullTotalMicros()));
    }
}
