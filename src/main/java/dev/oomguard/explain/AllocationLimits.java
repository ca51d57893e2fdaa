package dev.oomguard.explain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Limits under which malloc fails without any kill: RLIMIT_AS ({@code ulimit -v}) and strict
 * overcommit ({@code vm.overcommit_memory=2}, Committed_AS against CommitLimit). Null when unknown.
 */
public record AllocationLimits(Long addressSpaceLimitBytes, Integer overcommitMode, Long committedAsKiB,
        Long commitLimitKiB) {
    public static final AllocationLimits UNKNOWN = new AllocationLimits(null, null, null, null);

    /** Reads the limits of {@code pid} (alive: the job's limits are inherited from oomguard's) and the machine's. */
    public static AllocationLimits read(Path procRoot, int pid) {
        return new AllocationLimits(
                text(procRoot.resolve(pid + "/limits")).flatMap(AllocationLimits::parseAddressSpace).orElse(null),
                text(procRoot.resolve("sys/vm/overcommit_memory")).map(String::strip)
                        .filter(s -> s.matches("[0-2]")).map(Integer::valueOf).orElse(null),
                text(procRoot.resolve("meminfo")).flatMap(t -> meminfoKiB(t, "Committed_AS")).orElse(null),
                text(procRoot.resolve("meminfo")).flatMap(t -> meminfoKiB(t, "CommitLimit")).orElse(null));
    }

    /** {@code Max address space  unlimited  unlimited  bytes} → the soft limit, empty when unlimited. */
    static Optional<Long> parseAddressSpace(String limits) {
        return limits.lines().filter(l -> l.startsWith("Max address space"))
                .map(l -> l.substring("Max address space".length()).strip().split("\\s+"))
                .filter(f -> f.length > 0 && f[0].matches("\\d{1,19}"))
                .map(f -> Long.valueOf(f[0])).findFirst();
    }

    static Optional<Long> meminfoKiB(String meminfo, String key) {
        return meminfo.lines().filter(l -> l.startsWith(key + ":"))
                .map(l -> l.substring(key.length() + 1).strip().split("\\s+")[0])
                .filter(s -> s.matches("\\d{1,19}")).map(Long::valueOf).findFirst();
    }

    private static Optional<String> text(Path p) {
        try {
            return Optional.of(Files.readString(p));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Strict overcommit with the commit charge near its limit: the next malloc may fail. */
    public boolean commitNearlyExhausted() {
        return overcommitMode != null && overcommitMode == 2 && committedAsKiB != null && commitLimitKiB != null
                && committedAsKiB * 10 >= commitLimitKiB * 9;
    }
}
