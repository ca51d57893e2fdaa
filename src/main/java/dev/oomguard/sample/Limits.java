package dev.oomguard.sample;

import dev.oomguard.proc.CgroupMemory;
import dev.oomguard.proc.CgroupVersion;
import dev.oomguard.proc.MemInfo;
import dev.oomguard.proc.SlurmCgroup;
import dev.oomguard.units.ByteSize;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** Turns raw figures into {@link Limit}s. Pure: every number comes in as an argument. */
public final class Limits {
    private Limits() {
    }

    /** RAM + swap; the headroom is {@code MemAvailable + SwapFree}. */
    public static Limit host(MemInfo m) {
        return new Limit(LimitSource.HOST,
                "host: RAM " + ByteSize.ofKiB(m.memTotalKiB()).human() + " + swap " + ByteSize.ofKiB(m.swapTotalKiB()).human(),
                ByteSize.ofKiB(m.memTotalKiB() + m.swapTotalKiB()),
                ByteSize.ofKiB(m.memAvailableKiB() + m.swapFreeKiB()));
    }

    /** The user's cap compared with the tree's resident + swapped memory (RSS, so it errs high). */
    public static Limit user(ByteSize cap, TreeTotals tree) {
        ByteSize used = ByteSize.ofKiB(tree.rssAndSwapKiB());
        return new Limit(LimitSource.USER, "--limit " + cap + ": the job's tree (RSS + swap)", cap,
                cap.minusClamped(used));
    }

    /**
     * One limit per ancestor that has one (nearest first). Headroom = limit − working set (usage −
     * inactive file; siblings count, they share the ancestor) + the swap it may still use, which is
     * bounded by the cgroup's swap limit and by the swap the host has free.
     */
    public static List<Limit> cgroups(List<CgroupMemory> chain, MemInfo host) {
        List<Limit> limits = new ArrayList<>();
        for (CgroupMemory c : chain) {
            if (c.limitBytes().isEmpty()) {
                continue;
            }
            long limit = c.limitBytes().getAsLong();
            long hostSwapTotal = host.swapTotalKiB() * 1024;
            long swapAllowance = Math.min(c.swapLimitBytes().orElse(Long.MAX_VALUE), hostSwapTotal);
            long swapLeft = Math.max(0, Math.min(swapAllowance - c.swapUsageBytes(), host.swapFreeKiB() * 1024));
            long ramLeft = Math.max(0, limit - c.workingSetBytes());
            String name = c.version() == CgroupVersion.V1 ? "memory.limit_in_bytes" : "memory.max";
            limits.add(new Limit(c.version() == CgroupVersion.V1 ? LimitSource.CGROUP_V1 : LimitSource.CGROUP_V2,
                    slurmPrefix(c.directory(), limit)
                    + (c.version() == CgroupVersion.V1 ? "cgroup v1 " : "cgroup v2 ") + c.directory() + ": " + name + " "
                            + ByteSize.ofBytes(limit).human() + " + swap " + ByteSize.ofBytes(swapAllowance).human(),
                    ByteSize.ofBytes(Math.addExact(limit, swapAllowance)),
                    ByteSize.ofBytes(ramLeft + swapLeft)));
        }
        return limits;
    }

    /**
     * Names a Slurm allocation first, since that is what the user asked for and can change:
     * {@code Slurm job 42's memory allocation (--mem 200M): } (the step's group adds {@code , step batch}).
     */
    static String slurmPrefix(String directory, long limitBytes) {
        return SlurmCgroup.exactly(directory).map(s -> "Slurm job " + s.jobId() + "'s memory allocation (--mem "
                + SlurmCgroup.memArg(limitBytes) + ")" + s.step().map(step -> ", step " + step).orElse("") + ": ")
                .orElse("");
    }

    /** The {@code memory.high} levels along the chain. */
    public static List<ThrottleLevel> throttles(List<CgroupMemory> chain) {
        List<ThrottleLevel> levels = new ArrayList<>();
        for (CgroupMemory c : chain) {
            c.highBytes().ifPresent(high -> levels.add(new ThrottleLevel(c.directory(), ByteSize.ofBytes(high),
                    ByteSize.ofBytes(c.usageBytes()))));
        }
        return levels;
    }

    /** The limit with the least headroom; on a tie the first in the list (cgroups come first). */
    public static Optional<Limit> binding(List<Limit> limits) {
        return limits.stream().min(Comparator.comparing(Limit::headroom));
    }
}
