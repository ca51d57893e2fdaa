package dev.oomguard.guard;

import dev.oomguard.sample.ProcessId;
import dev.oomguard.sample.ProcessMemory;
import dev.oomguard.sample.Sample;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Detects partial kills: processes of the tree that are gone at this tick while an OOM kill
 * counter (host vmstat, or the job's cgroups) rose since the previous one. A process that exits
 * while no counter moves is an ordinary exit and is not reported.
 */
public final class PartialKills {
    private PartialKills() {
    }

    public static List<PartialKill> detect(Sample previous, Sample current) {
        long rise = current.oomKills().killsSince(previous.oomKills());
        if (rise == 0) {
            return List.of();
        }
        Set<ProcessId> now = new HashSet<>();
        current.tree().forEach(p -> now.add(p.id()));
        List<PartialKill> kills = new ArrayList<>();
        for (ProcessMemory p : previous.tree()) {
            if (!now.contains(p.id())) {
                kills.add(new PartialKill(p.id(), p.comm(), rise, p.rssAndSwapKiB(), current.tick()));
            }
        }
        return kills;
    }
}
