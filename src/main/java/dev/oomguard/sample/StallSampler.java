package dev.oomguard.sample;

import dev.oomguard.proc.CgroupMount;
import dev.oomguard.proc.CgroupPaths;
import dev.oomguard.proc.CgroupVersion;
import dev.oomguard.proc.MemoryPressure;
import dev.oomguard.proc.PidFaults;
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

    public StallReading read(List<ProcessMemory> tree) {
        Set<ProcessId> alive = new HashSet<>();
        for (ProcessMemory p : tree) {
            Optional<PidFaults> faults = PidFaults.read(fs, p.pid());
            if (faults.isEmpty()) {
                continue; // exited since the scan: its faults up to the last tick are counted
            }
            alive.add(p.id());
            long now = faults.get().majorFaults();
            Long before = lastFaults.put(p.id(), now);
            treeMajorFaults += Math.max(0, now - (before == null ? 0 : before));
        }
        lastFaults.keySet().retainAll(alive);
        return new StallReading(pressure(tree), treeMajorFaults);
    }

    private Optional<StallReading.Psi> pressure(List<ProcessMemory> tree) {
        if (v2.isPresent()) {
            for (ProcessMemory p : tree) {
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
