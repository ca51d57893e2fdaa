package dev.oomguard.trigger;

import dev.oomguard.guard.CheckpointLevel;
import dev.oomguard.guard.PollPeriod;
import dev.oomguard.guard.Seen;
import dev.oomguard.guard.TriggerLevels;
import dev.oomguard.proc.MemInfo;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.units.ByteSize;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Collectors;

/**
 * What the trigger thread arms after a full sample: the route that protects the job, the gauge
 * it reads, the levels of the ladder's next steps carried over into the gauge's bytes, and the
 * checkpoint level for the reflex. Computed from readings taken beforehand, with no I/O: pure.
 * {@link Triggers} takes the readings and carries the plan out.
 *
 * @param thresholdDir the cgroup v1 group whose {@code cgroup.event_control} takes the thresholds
 *                     (on the route {@link Route#THRESHOLDS}); null otherwise
 * @param base         the gauge's reading paired with the binding limit, which the levels are carried over from
 * @param fileLevels   the levels in the gauge's bytes, lowest first
 * @param ownCounter   the gauge is the binding limit's own counter (its group's usage, the host's
 *                     use): it never counts less than the limit's use, so no level is put out of reach
 * @param checkpoint   the checkpoint level in the gauge's bytes, with the flag file's text
 */
public record TriggerPlan(Route route, Gauge gauge, String thresholdDir, TriggerLevels.Base base, long baseNanos,
        List<Long> fileLevels, boolean ownCounter, Optional<CheckpointLevel> checkpoint) {
    /** Nothing cheap to read: full samples only. */
    public static final TriggerPlan NONE = new TriggerPlan(Route.NONE, null, null, null, 0, List.of(), false, Optional.empty());

    /** Levels closer than this count as the same: the kernel checks thresholds every 128 pages or so. */
    public static final long SAME_LEVEL_BYTES = 1L << 20;

    /**
     * Which gauge and route protect a job, decided from the binding limit before anything is read.
     *
     * @param gaugeFile the gauge's file, as an absolute path under the proc root
     */
    public record Choice(Route route, String gaugeFile, boolean meminfo, String thresholdDir, boolean ownCounter) {
        /** Thresholds on {@code memory.memsw.usage_in_bytes}: the gauge counts swap too. */
        public boolean countsSwap() {
            return thresholdDir != null && gaugeFile.endsWith("memsw.usage_in_bytes");
        }
    }

    /** A reading of a gauge (named by its {@link Gauge#describe}) and when it was taken. */
    public record Reading(String gauge, long value, long nanos) {
    }

    /**
     * What was read for a plan.
     *
     * @param gauge        the chosen gauge now (empty: unreadable), read at {@code gaugeNanos}
     * @param own          the binding group's limit and usage from one read of the group, so the
     *                     two agree (empty where it could not be read, or binds otherwise now), read at {@code ownNanos}
     * @param beforeSample a reading taken just before the full sample, if any
     */
    public record Readings(OptionalLong gauge, long gaugeNanos, Optional<TriggerLevels.Base> own, long ownNanos,
            Optional<Reading> beforeSample) {
    }

    /**
     * The route for a job bound by {@code binding}: thresholds on the binding v1 group's usage
     * (memsw when {@code v1SwapCounts}), polling of a binding v2 group's {@code memory.current},
     * thresholds on the job's own v1 group ({@code ownGroupDir}: its usage follows the job's growth
     * whatever limit binds), polling of the host's {@code /proc/meminfo}; empty: none of them.
     */
    public static Optional<Choice> choose(Limit binding, Optional<String> ownGroupDir, boolean v1SwapCounts) {
        Optional<String> dir = cgroupDirectory(binding);
        if (binding.source() == LimitSource.CGROUP_V1 && dir.isPresent()) {
            String file = v1SwapCounts ? "memory.memsw.usage_in_bytes" : "memory.usage_in_bytes";
            return Optional.of(new Choice(Route.THRESHOLDS, dir.get() + "/" + file, false, dir.get(), true));
        }
        if (binding.source() == LimitSource.CGROUP_V2 && dir.isPresent()) {
            return Optional.of(new Choice(Route.POLL, dir.get() + "/memory.current", false, null, true));
        }
        if (ownGroupDir.isPresent()) {
            return Optional.of(new Choice(Route.THRESHOLDS, ownGroupDir.get() + "/memory.usage_in_bytes", false,
                    ownGroupDir.get(), false));
        }
        if (binding.source() == LimitSource.HOST) {
            return Optional.of(new Choice(Route.POLL, MemInfo.PATH, true, null, true));
        }
        return Optional.empty();
    }

    /**
     * The plan for {@code choice}, its gauge read as {@code r} says: the base is the group's own
     * pair where there is one, else the gauge's reading (the earlier one taken just before the full
     * sample, if lower: the sample read its figures after the tree walk, so a growing job grew
     * meanwhile, and the lower reading errs on the side of levels firing early). {@link #NONE}
     * when the gauge could not be read.
     *
     * @param usedLevels the ladder's next levels, in bytes used on the binding limit
     */
    public static TriggerPlan of(Choice choice, Gauge gauge, Limit binding, Readings r, List<Long> usedLevels,
            Optional<CheckpointLevel> checkpoint) {
        if (r.gauge().isEmpty()) {
            return NONE;
        }
        TriggerLevels.Base base;
        long at = r.gaugeNanos();
        if (r.own().isPresent()) {
            base = r.own().get();
            at = r.ownNanos();
        } else {
            long value = r.gauge().getAsLong();
            Optional<Reading> pre = r.beforeSample().filter(p -> p.gauge().equals(gauge.describe()));
            if (pre.isPresent()) {
                value = Math.min(value, pre.get().value());
                at = pre.get().nanos();
            }
            base = new TriggerLevels.Base(binding, value);
        }
        return new TriggerPlan(choice.route(), gauge, choice.thresholdDir(), base, at,
                map(base, usedLevels, choice.ownCounter()), choice.ownCounter(), map(base, checkpoint, choice.ownCounter()));
    }

    /** The same plan on another route (thresholds refused or impossible: polling). */
    public TriggerPlan withRoute(Route r) {
        return new TriggerPlan(r, gauge, thresholdDir, base, baseNanos, fileLevels, ownCounter, checkpoint);
    }

    /** The same route and gauge, armed from another reading. */
    public TriggerPlan from(TriggerLevels.Base b, long nanos, List<Long> usedLevels, Optional<CheckpointLevel> cp) {
        return new TriggerPlan(route, gauge, thresholdDir, b, nanos, map(b, usedLevels, ownCounter), ownCounter,
                map(b, cp, ownCounter));
    }

    static List<Long> map(TriggerLevels.Base b, List<Long> usedLevels, boolean ownCounter) {
        return usedLevels.stream().map(u -> map(b, u, ownCounter)).toList();
    }

    static Optional<CheckpointLevel> map(TriggerLevels.Base b, Optional<CheckpointLevel> cp, boolean ownCounter) {
        return cp.map(c -> c.at(map(b, c.usedBytes(), ownCounter)));
    }

    static long map(TriggerLevels.Base b, long usedLevel, boolean ownCounter) {
        return ownCounter ? b.fileLevelAtMost(usedLevel) : b.fileLevel(usedLevel);
    }

    /** Whether the same gauge is read on the same route (nothing to set up anew). */
    public boolean sameWatch(TriggerPlan other) {
        return other != null && other.route == route && other.gauge != null && gauge != null
                && other.gauge.describe().equals(gauge.describe());
    }

    /** How the reflex watches the checkpoint level under this plan. */
    public enum ReflexWatch { THRESHOLD, POLLED, NONE }

    /**
     * The reflex at the checkpoint level: on a threshold of its own where thresholds protect the
     * job ({@code thresholdsRegistered}), reading the gauge itself where it is polled; else disarmed.
     */
    public ReflexWatch reflexWatch(boolean thresholdsRegistered) {
        if (checkpoint.isEmpty()) {
            return ReflexWatch.NONE;
        }
        if (route == Route.THRESHOLDS && thresholdsRegistered) {
            return ReflexWatch.THRESHOLD;
        }
        return route == Route.POLL ? ReflexWatch.POLLED : ReflexWatch.NONE;
    }

    /** How the reflex armed on this plan sees its level. */
    public Seen reflexSeen() {
        return route == Route.POLL ? Seen.POLLED_READING : Seen.KERNEL_NOTIFICATION;
    }

    /**
     * The levels the trigger thread's polling closes in on: all but {@code reflexLevel}, the
     * checkpoint level when the reflex reads the same gauge for it (it tells the thread when it
     * fires), so near that level one thread reads, not two.
     */
    public List<Long> closingIn(OptionalLong reflexLevel) {
        if (reflexLevel.isEmpty()) {
            return fileLevels;
        }
        long covered = reflexLevel.getAsLong();
        return fileLevels.stream().filter(l -> Math.abs(l - covered) > SAME_LEVEL_BYTES).toList();
    }

    /** Whether a level lies above the base and at or below {@code reading}: passed since the base. */
    public boolean passedSinceBase(long reading) {
        return fileLevels.stream().anyMatch(l -> l > base.fileBytes() && l <= reading);
    }

    /** Whether a reading that went from {@code before} to {@code now} crossed a level. */
    public boolean crossedBetween(long before, long now) {
        return fileLevels.stream().anyMatch(l -> before < l && now >= l);
    }

    /** Whether each wanted level has a registered one within {@link #SAME_LEVEL_BYTES}. */
    public static boolean covered(List<Long> registered, List<Long> wanted) {
        for (long w : wanted) {
            if (registered.stream().noneMatch(r -> Math.abs(r - w) <= SAME_LEVEL_BYTES)) {
                return false;
            }
        }
        return true;
    }

    /** Bytes from {@code value} to the first level above it; {@code Long.MAX_VALUE} when none is. */
    public static long gap(List<Long> levels, long value) {
        for (long l : levels) {
            if (l > value) {
                return l - value;
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * Without a cheap aggregate, the time to the next full sample: the tree walk itself closes in
     * on the next level, from {@code interval} down to 100 ms (or the interval, if shorter).
     */
    public static Duration fullSampleWait(List<Long> usedLevels, long usedBytes, Duration interval) {
        long gap = usedLevels.isEmpty() ? Long.MAX_VALUE : usedLevels.get(0) - usedBytes;
        Duration min = interval.compareTo(Duration.ofMillis(100)) < 0 ? interval : Duration.ofMillis(100);
        return new PollPeriod(min, interval, 2.0 * (1L << 30)).next(gap, Double.NaN);
    }

    /** The directory of a cgroup limit, from its description ("cgroup v1 DIR: memory.limit_in_bytes ..."). */
    public static Optional<String> cgroupDirectory(Limit b) {
        String d = b.description();
        String prefix = b.source() == LimitSource.CGROUP_V1 ? "cgroup v1 " : b.source() == LimitSource.CGROUP_V2 ? "cgroup v2 " : null;
        int end = d.lastIndexOf(b.source() == LimitSource.CGROUP_V1 ? ": memory.limit_in_bytes" : ": memory.max");
        if (prefix == null || !d.startsWith(prefix) || end <= prefix.length()) {
            return Optional.empty();
        }
        return Optional.of(d.substring(prefix.length(), end));
    }

    /** How the job is protected, for the verbose log: the route, its gauge, the next levels. */
    public String describe(PollPeriod pollPeriod) {
        return switch (route) {
            case THRESHOLDS -> "cgroup v1 eventfd thresholds on " + gauge.describe();
            case POLL -> "adaptive polling of " + gauge.describe() + " every " + pollPeriod.min().toMillis() + "–"
                    + pollPeriod.max().toMillis() + " ms";
            case NONE -> "full samples only (no cheap aggregate for this limit), closer together near the thresholds";
        };
    }

    /** "; next levels 460 MiB, 490 MiB", or nothing. */
    public String levelsText() {
        return fileLevels.isEmpty() ? "" : "; next levels "
                + fileLevels.stream().map(l -> ByteSize.ofBytes(Math.max(0, l)).human()).collect(Collectors.joining(", "));
    }
}
