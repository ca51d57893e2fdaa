package dev.oomguard.guard;

import dev.oomguard.proc.MemInfo;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.OomCandidate;
import dev.oomguard.sample.OomKillCounters;
import dev.oomguard.sample.ProcessId;
import dev.oomguard.sample.ProcessMemory;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.TreeTotals;
import dev.oomguard.units.ByteSize;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/** Hand-made samples for ladder tests: one tick a second, one binding limit. */
final class Samples {
    static final long SECOND = 1_000_000_000L;
    static final long MIB = 1L << 20;
    static final long GIB = 1L << 30;

    private Samples() {
    }

    static Limit limit(LimitSource source, long capacityBytes, long usedBytes) {
        String description = switch (source) {
            case HOST -> "host: RAM + swap";
            case USER -> "--limit " + ByteSize.ofBytes(capacityBytes) + ": the job's tree (RSS + swap)";
            default -> "cgroup v1 /job: memory.limit_in_bytes";
        };
        return new Limit(source, description,
                ByteSize.ofBytes(capacityBytes), ByteSize.ofBytes(Math.max(0, capacityBytes - usedBytes)));
    }

    static ProcessMemory process(int pid, String comm, long rssKiB) {
        return new ProcessMemory(new ProcessId(pid, 100), 1, comm, rssKiB, 0, 0, 0, OptionalLong.empty());
    }

    /** Tick {@code tick} at {@code tick} seconds, a one-process tree, the given binding limit. */
    static Sample at(long tick, Limit binding, List<OomCandidate> candidates) {
        List<ProcessMemory> tree = List.of(process(42, "R", binding.used().kib()));
        return new Sample(tick * SECOND, tick, tree, TreeTotals.of(tree), new MemInfo(16 << 20, 8 << 20, 0, 0),
                List.of(binding), binding, List.of(), new OomKillCounters(OptionalLong.of(0), Map.of()), candidates);
    }

    static Sample at(long tick, Limit binding) {
        return at(tick, binding, List.of());
    }

    /** Tick {@code tick} taken at {@code nanos}: for samples closer together than a second. */
    static Sample atNanos(long tick, long nanos, Limit binding) {
        List<ProcessMemory> tree = List.of(process(42, "python3", binding.used().kib()));
        return new Sample(nanos, tick, tree, TreeTotals.of(tree), new MemInfo(16 << 20, 8 << 20, 0, 0),
                List.of(binding), binding, List.of(), new OomKillCounters(OptionalLong.of(0), Map.of()), List.of());
    }
}
