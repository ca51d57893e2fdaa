package dev.oomguard.report;

import dev.oomguard.guard.Action;
import dev.oomguard.guard.Figures;
import dev.oomguard.guard.Step;
import dev.oomguard.proc.MemInfo;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.OomKillCounters;
import dev.oomguard.sample.ProcessId;
import dev.oomguard.sample.ProcessMemory;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.ThrottleLevel;
import dev.oomguard.sample.TreeTotals;
import dev.oomguard.units.ByteSize;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hand-made samples shaped like a real R job under Slurm: a master and {@code workers} forked
 * workers, a cgroup v1 limit of 4 GiB and the host, counters for the job's cgroup and its parent.
 */
final class RecordSamples {
    static final long MILLI = 1_000_000L;
    static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    static final String CGROUP = "/sys/fs/cgroup/memory/slurm/uid_1000/job_4242";

    /** The record's clocks, moved by hand. */
    static final class Clocks {
        final AtomicLong nanos = new AtomicLong(1_000 * MILLI);

        RunRecord.Options options(Downsampling policy) {
            long origin = nanos.get();
            Clock wall = new Clock() {
                @Override
                public java.time.ZoneId getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId zone) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return START.plusNanos(nanos.get() - origin);
                }
            };
            return new RunRecord.Options(policy, 5, wall, nanos::get);
        }

        /** Moves both clocks to {@code tMillis} after the record opened (opened at the first value). */
        long at(long tMillis) {
            nanos.set(1_000 * MILLI + tMillis * MILLI);
            return nanos.get();
        }
    }

    private RecordSamples() {
    }

    static RecordHeader header() {
        return new RecordHeader("Rscript fit.R", "node17", "5.14.0-427.el9.x86_64", "0.1.0", 4100, START,
                Duration.ofMillis(500), false, Map.of("warn", "80%", "checkpoint", "90%", "stop", "95%"), List.of());
    }

    static Limit cgroup(long usedBytes) {
        long cap = 4L << 30;
        return new Limit(LimitSource.CGROUP_V1, "cgroup v1 " + CGROUP + ": memory.limit_in_bytes 4 GiB + swap 0 B",
                ByteSize.ofBytes(cap), ByteSize.ofBytes(Math.max(0, cap - usedBytes)));
    }

    static Limit host() {
        return new Limit(LimitSource.HOST, "host: RAM 187 GiB + swap 4 GiB", ByteSize.ofGiB(191), ByteSize.ofGiB(120));
    }

    static ProcessMemory process(int pid, String comm, long rssKiB) {
        return new ProcessMemory(new ProcessId(pid, 1000 + pid), 4200, comm, rssKiB * 9 / 10, rssKiB / 20,
                rssKiB - rssKiB * 9 / 10 - rssKiB / 20, 0, OptionalLong.empty());
    }

    /** A sample taken at {@code nanos}: master PID 4200 and {@code workers} workers from PID 4201. */
    static Sample sample(long tick, long nanos, int workers, long usedBytes) {
        List<ProcessMemory> tree = new ArrayList<>();
        tree.add(process(4200, "R", usedBytes / 2048));
        for (int i = 0; i < workers; i++) {
            tree.add(process(4201 + i, "R", usedBytes / 2048 / Math.max(1, workers)));
        }
        Limit binding = cgroup(usedBytes);
        Map<String, Long> counters = new LinkedHashMap<>();
        counters.put(CGROUP, 0L);
        counters.put("/sys/fs/cgroup/memory/slurm/uid_1000", 2L);
        return new Sample(nanos, tick, tree, TreeTotals.of(tree), new MemInfo(196_000_000L, 125_000_000L,
                4_194_300L, 4_194_300L), List.of(binding, host()), binding,
                List.of(new ThrottleLevel("/sys/fs/cgroup/slurm", ByteSize.ofGiB(8), ByteSize.ofGiB(3))),
                new OomKillCounters(OptionalLong.of(7), counters), List.of());
    }

    static Action action(Step step, long tick, long usedBytes) {
        return new Action(step, "warn the user", "--warn 80% reached on cgroup v1 " + CGROUP,
                new Figures(tick, cgroup(usedBytes), OptionalDouble.of(12.5 * (1 << 20)),
                        Optional.of(Duration.ofSeconds(75))), Optional.empty());
    }
}
