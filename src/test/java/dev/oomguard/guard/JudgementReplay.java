package dev.oomguard.guard;

import dev.oomguard.proc.MemInfo;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.OomKillCounters;
import dev.oomguard.sample.ProcessId;
import dev.oomguard.sample.ProcessMemory;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.TreeTotals;
import dev.oomguard.units.ByteSize;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Replays a recorded profile through the real decision code, as the watcher feeds it: a full
 * sample every {@code interval} goes to {@link Ladder#decide} (the growth estimator inside), and
 * between them each crossing of one of {@link Ladder#nextLevels} is a kernel threshold
 * notification for {@link Ladder#decideCrossing}, with the growth since the reading the thresholds
 * were armed from, followed 5 ms later by a full sample. The trace is taken as straight lines
 * between its readings (the kernel sees the whole curve; the recording only points on it). A
 * checkpoint asked for counts as in progress, unanswered, for {@code checkpointTimeout}. The clock
 * is the trace's. The job is taken as in a memory cgroup of {@code limit} bytes, no swap; the
 * replay ends at the first stop, where the job would have hit the limit, or at the end of the trace.
 */
final class JudgementReplay {
    private static final long MS = 1_000_000L;

    /** What the guard did to one profile at one limit. */
    record Judgement(ProfileCase c, double peakPercent, Optional<Done> first, Optional<Done> checkpoint,
            Optional<Done> stop, OptionalLong hitMillis) {
        /** A stop (terminate or pause) of a job that fits. */
        boolean falseStop() {
            return c.fits() && stop.isPresent();
        }

        /** A checkpoint request of a job that fits, made below {@code floorPercent} used. */
        boolean falseCheckpoint(double floorPercent) {
            return c.fits() && checkpoint.isPresent() && checkpoint.get().percent() < floorPercent;
        }

        /**
         * A job that would exhaust its limit, not stopped before it would have: before the recorded
         * reading at or over the limit and before the straight line to it reached the limit.
         */
        boolean missed() {
            return !c.fits() && (stop.isEmpty() || stop.get().tMillis() >= c.exhaustsAtMillis().getAsLong()
                    || hitMillis.isPresent() && stop.get().tMillis() >= hitMillis.getAsLong());
        }

        String verdict(double floorPercent) {
            if (falseStop()) {
                return "FALSE STOP";
            }
            if (falseCheckpoint(floorPercent)) {
                return "FALSE CHECKPOINT";
            }
            if (missed()) {
                return "MISSED";
            }
            return "ok";
        }
    }

    /** One decision: its step, when (trace time) and at what share of the limit. */
    record Done(Step step, long tMillis, double percent, String why) {
        String describe() {
            return String.format(Locale.ROOT, "%s @ %.1f s, %.1f%%", step.name().toLowerCase(Locale.ROOT),
                    tMillis / 1000.0, percent);
        }
    }

    private final GuardSettings settings;
    private final Duration interval;
    private final Duration checkpointTimeout;

    JudgementReplay(GuardSettings settings, Duration interval, Duration checkpointTimeout) {
        this.settings = settings;
        this.interval = interval;
        this.checkpointTimeout = checkpointTimeout;
    }

    /** As {@code oomguard run} with its defaults: --checkpoint-timeout as long as --checkpoint-lead. */
    static JudgementReplay defaults(Duration interval) {
        GuardSettings s = GuardSettings.defaults();
        return new JudgementReplay(s, interval, s.checkpointLead());
    }

    Judgement replay(ProfileTrace trace, ProfileCase c) {
        long capacity = c.limitBytes();
        Curve curve = new Curve(trace);
        long endNanos = trace.endMillis() * MS;
        // Where the job would have hit the limit: nothing after it happened.
        long hitNanos = curve.firstAtOrAbove(trace.tMillis()[0] * MS, capacity).orElse(Long.MAX_VALUE);
        Ladder ladder = new Ladder(settings);
        Sample lastFull = null;
        long now = trace.tMillis()[0] * MS;
        long nextTickNanos = now;
        long baseUsed = 0;
        long baseNanos = 0;
        Limit baseBinding = null;
        List<Long> levels = List.of();
        long checkpointAskedNanos = Long.MIN_VALUE;
        Optional<Done> first = Optional.empty();
        Optional<Done> checkpoint = Optional.empty();
        Optional<Done> stop = Optional.empty();
        long tick = 0;
        while (stop.isEmpty()) {
            OptionalLong crossing = levels.isEmpty() ? OptionalLong.empty()
                    : curve.firstAtOrAbove(now + 1, levels.get(0));
            boolean crossed = crossing.isPresent() && crossing.getAsLong() < nextTickNanos;
            now = crossed ? crossing.getAsLong() : nextTickNanos;
            if (now >= hitNanos || now > endNanos) {
                break; // the kernel would have acted here, or the job ended
            }
            long used = crossed ? Math.max(levels.get(0), curve.at(now)) : curve.at(now);
            Limit binding = limit(capacity, used);
            List<Action> actions;
            if (!crossed) {
                Sample s = sample(now, tick++, binding);
                boolean inProgress = checkpointAskedNanos != Long.MIN_VALUE
                        && now - checkpointAskedNanos < checkpointTimeout.toNanos();
                actions = ladder.decide(s, now, inProgress);
                lastFull = s;
                nextTickNanos = now + interval.toNanos();
            } else {
                double rate = (used - baseUsed) / ((now - baseNanos) / 1e9);
                boolean beyond = ladder.stopReached(baseBinding);
                actions = ladder.decideCrossing(lastFull, binding,
                        beyond && rate > 0 ? OptionalDouble.of(rate) : OptionalDouble.empty(),
                        Seen.KERNEL_NOTIFICATION, now);
                nextTickNanos = now + WAKE_NANOS; // the watcher takes a full sample at once
            }
            baseUsed = used;
            baseNanos = now;
            baseBinding = binding;
            levels = ladder.nextLevels(binding);
            for (Action a : actions) {
                Done d = new Done(a.step(), now / MS, binding.percentUsed(), a.why());
                if (first.isEmpty()) {
                    first = Optional.of(d);
                }
                if (a.step() == Step.CHECKPOINT && checkpoint.isEmpty()) {
                    checkpoint = Optional.of(d);
                }
                if (a.step() == Step.CHECKPOINT) {
                    checkpointAskedNanos = now;
                }
                if (a.step() == Step.TERMINATE || a.step() == Step.PAUSE || a.step() == Step.KILL) {
                    stop = Optional.of(d);
                }
            }
        }
        double peakPercent = 100.0 * trace.peakBytes() / capacity;
        return new Judgement(c, peakPercent, first, checkpoint, stop,
                hitNanos == Long.MAX_VALUE ? OptionalLong.empty() : OptionalLong.of(hitNanos / MS));
    }

    /** From a crossing's wake-up to the full sample it asks for. */
    private static final long WAKE_NANOS = 5 * MS;

    /**
     * The trace as the kernel would have seen it: straight lines between the recorded readings
     * (the recording's sampler saw the curve only every so often; the kernel's thresholds see it
     * all the way).
     */
    static final class Curve {
        private final long[] nanos;
        private final long[] bytes;

        Curve(ProfileTrace t) {
            nanos = java.util.Arrays.stream(t.tMillis()).map(ms -> ms * MS).toArray();
            bytes = t.usedBytes();
        }

        long at(long t) {
            int i = java.util.Arrays.binarySearch(nanos, t);
            if (i >= 0) {
                return bytes[i];
            }
            int hi = -i - 1;
            if (hi == 0) {
                return bytes[0];
            }
            if (hi == nanos.length) {
                return bytes[nanos.length - 1];
            }
            int lo = hi - 1;
            return bytes[lo] + Math.round((double) (bytes[hi] - bytes[lo]) * (t - nanos[lo]) / (nanos[hi] - nanos[lo]));
        }

        /** The first time at or after {@code from} the curve is at or above {@code level}. */
        OptionalLong firstAtOrAbove(long from, long level) {
            if (from <= nanos[nanos.length - 1] && at(from) >= level) {
                return OptionalLong.of(from);
            }
            int i = java.util.Arrays.binarySearch(nanos, from);
            int next = i >= 0 ? i + 1 : -i - 1; // first reading after from
            for (int k = next; k < nanos.length; k++) {
                if (bytes[k] >= level) {
                    long t0 = k == 0 ? nanos[0] : Math.max(from, nanos[k - 1]);
                    long u0 = k == 0 ? bytes[0] : at(t0);
                    if (u0 >= level || k == 0) {
                        return OptionalLong.of(t0);
                    }
                    long t = t0 + (long) Math.ceil((double) (level - u0) * (nanos[k] - t0) / (bytes[k] - u0));
                    return OptionalLong.of(Math.min(nanos[k], Math.max(t, from)));
                }
            }
            return OptionalLong.empty();
        }
    }

    static Limit limit(long capacityBytes, long usedBytes) {
        return new Limit(LimitSource.CGROUP_V1, "cgroup v1 /replay: memory.limit_in_bytes",
                ByteSize.ofBytes(capacityBytes), ByteSize.ofBytes(Math.max(0, capacityBytes - usedBytes)));
    }

    private static Sample sample(long nanos, long tick, Limit binding) {
        List<ProcessMemory> tree = List.of(new ProcessMemory(new ProcessId(42, 100), 1, "job",
                binding.used().kib(), 0, 0, 0, OptionalLong.empty()));
        return new Sample(nanos, tick, tree, TreeTotals.of(tree), new MemInfo(64L << 20, 60L << 20, 0, 0),
                List.of(binding), binding, List.of(), new OomKillCounters(OptionalLong.of(0), Map.of()), List.of());
    }
}
