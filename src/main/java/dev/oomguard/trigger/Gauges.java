package dev.oomguard.trigger;

import dev.oomguard.guard.CheckpointLevel;
import dev.oomguard.guard.TriggerLevels;
import dev.oomguard.proc.CgroupMemory;
import dev.oomguard.proc.CgroupVersion;
import dev.oomguard.proc.MemInfo;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.Limits;
import dev.oomguard.sample.Sample;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/** Reads what a {@link TriggerPlan} is made from: the gauges, the binding group's own figures. */
final class Gauges {
    private final ProcFs fs;
    private final LongSupplier clock;

    Gauges(ProcFs fs, LongSupplier clock) {
        this.fs = fs;
        this.clock = clock;
    }

    /**
     * The plan for the sample's binding limit, from readings taken now and {@code beforeSample}.
     *
     * @param usedLevels the ladder's next levels, in bytes used on the binding limit
     */
    TriggerPlan plan(Sample sample, Optional<String> ownGroupDir, Optional<TriggerPlan.Reading> beforeSample,
            List<Long> usedLevels, Optional<CheckpointLevel> checkpoint) {
        Limit b = sample.binding();
        Optional<TriggerPlan.Choice> choice = TriggerPlan.choose(b, ownGroupDir, v1SwapCounts(b));
        if (choice.isEmpty()) {
            return TriggerPlan.NONE;
        }
        Gauge gauge = gauge(choice.get());
        long now = clock.getAsLong();
        OptionalLong reading = read(gauge);
        Optional<TriggerLevels.Base> own = reading.isPresent() ? ownBase(b, choice.get().countsSwap(), sample) : Optional.empty();
        long ownNanos = own.isPresent() ? clock.getAsLong() : 0;
        TriggerPlan.Readings r = new TriggerPlan.Readings(reading, now, own, ownNanos, beforeSample);
        return TriggerPlan.of(choice.get(), gauge, b, r, usedLevels, checkpoint);
    }

    /** The gauge of {@code choice}, its path under the proc root. */
    Gauge gauge(TriggerPlan.Choice choice) {
        return new Gauge(choice.gaugeFile(), fs.path(choice.gaugeFile()), choice.meminfo());
    }

    /** The gauge now; empty when it cannot be read (the group is gone, say). */
    OptionalLong read(Gauge g) {
        try {
            if (g.meminfo()) {
                return OptionalLong.of(Limits.host(MemInfo.read(fs)).used().bytes());
            }
            Optional<String> t = fs.readIfPresent(g.file());
            return t.isPresent() ? OptionalLong.of(Long.parseLong(t.get().strip())) : OptionalLong.empty();
        } catch (RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /** Whether swap counts in the binding v1 limit (its capacity exceeds the group's RAM limit) and memsw can be read. */
    boolean v1SwapCounts(Limit b) {
        Optional<String> dir = TriggerPlan.cgroupDirectory(b);
        if (b.source() != LimitSource.CGROUP_V1 || dir.isEmpty()) {
            return false;
        }
        Optional<String> ram = fs.readIfPresent(dir.get() + "/memory.limit_in_bytes");
        if (ram.isPresent() && fs.exists(dir.get() + "/memory.memsw.usage_in_bytes")) {
            try {
                OptionalLong limit = CgroupMemory.parseV1Limit(ram.get(), dir.get());
                return limit.isPresent() && b.capacity().bytes() > limit.getAsLong();
            } catch (RuntimeException e) {
                return false; // unreadable: the RAM counter
            }
        }
        return false;
    }

    /**
     * The binding cgroup's limit and its usage file from one read of the group, so the two agree
     * (the full sample read them after its tree walk, while the job grew). Empty when the limit
     * is no cgroup's, or the group cannot be read or no longer binds the same way.
     */
    Optional<TriggerLevels.Base> ownBase(Limit b, boolean memsw, Sample sample) {
        Optional<String> dir = TriggerPlan.cgroupDirectory(b);
        if (dir.isEmpty()) {
            return Optional.empty();
        }
        try {
            CgroupVersion v = b.source() == LimitSource.CGROUP_V1 ? CgroupVersion.V1 : CgroupVersion.V2;
            Optional<CgroupMemory> c = CgroupMemory.read(fs, v, dir.get());
            if (c.isEmpty()) {
                return Optional.empty();
            }
            List<Limit> fresh = Limits.cgroups(List.of(c.get()), sample.host());
            if (fresh.isEmpty() || !fresh.get(0).capacity().equals(b.capacity())) {
                return Optional.empty();
            }
            long file = c.get().usageBytes() + (memsw ? c.get().swapUsageBytes() : 0);
            return Optional.of(new TriggerLevels.Base(fresh.get(0), file));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
