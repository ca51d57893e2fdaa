package dev.oomguard.trigger;

import dev.oomguard.proc.CgroupMount;
import dev.oomguard.proc.CgroupPaths;
import dev.oomguard.proc.CgroupVersion;
import java.util.List;
import java.util.Optional;

/**
 * Where an OOM kill in the job's memory group is notified at once: a v1 group's
 * {@code memory.oom_control} (eventfd), or a v2 group's {@code memory.events} (inotify). Pure.
 */
public record OomWatch(CgroupVersion version, String dir) {
    /** The job's memory group (v1 first) under the mounts; empty where it has none there. */
    public static Optional<OomWatch> of(CgroupPaths paths, List<CgroupMount> mounts) {
        Optional<String> v1 = paths.v1Memory().flatMap(p -> CgroupMount.first(mounts, CgroupVersion.V1)
                .flatMap(m -> m.directoryOf(p)));
        if (v1.isPresent()) {
            return Optional.of(new OomWatch(CgroupVersion.V1, v1.get()));
        }
        return paths.v2().flatMap(p -> CgroupMount.first(mounts, CgroupVersion.V2).flatMap(m -> m.directoryOf(p)))
                .map(d -> new OomWatch(CgroupVersion.V2, d));
    }
}
