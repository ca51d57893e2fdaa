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
 * between them every recorded reading that crosses one of {@link Ladder#nextLevels} is a kernel
 * threshold notification for {@link Ladder#decideCrossing}, with the growth since the reading the
 * thresholds were armed from, followed at once by a full sample (the next reading). A checkpoint
 * asked for counts as in progress, unanswered, for {@code checkpointTimeout}. The clock is the
 * trace's. The job is taken as in a memory cgroup of {@code limit} bytes, no swap; the replay ends
 * at the first stop, or where the job would have hit the limit, or at the end of the trace.
 */
final class JudgementReplay {
    private static final long MS = 1_000_000L;

    /** What the guard did to one profile at one limit. */
    record Judgement(ProfileCase c, double peakPercent, Optional<Done> first, Optional<Done> checkpoint,
            Optional<Done> stop) {
        /** A stop (terminate or pause) of a job that fits. */
        boolean falseStop() {
            return c.fits() && stop.isPresent();
        }

        /** A checkpoint request of a job that fits, made below {@code floorPercent} used. */
        boolean falseCheckpoint(double floorPercent) {
            return c.fits() && checkpoint.isPresent() && checkpoint.get().percent() < floorPercent;
        }

        /** A job that would exhaust its limit, not stopped before it would have. */
        boolean missed() {
            return !c.fits() && (stop.isEmpty() || stop.get().tMillis() >= c.exhaustsAtMillis().getAsLong());
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
        long end = c.exhaustsAtMillis().orElse(Long.MAX_VALUE);
        Ladder ladder = new Ladder(settings);
        Sample lastFull = null;
        long nextTickNanos = Long.MIN_VALUE;
        long baseUsed = 0;
        long baseNanos = 0;
        Limit baseBinding = null;
        List<Long> levels = List.of();
        long checkpointAskedNanos = Long.MIN_VALUE;
        Optional<Done> first = Optional.empty();
        Optional<Done> checkpoint = Optional.empty();
        Optional<Done> stop = Optional.empty();
        for (int i = 0; i < trace.tMillis().length && stop.isEmpty(); i++) {
            long tMs = trace.tMillis()[i];
            if (tMs >= end) {
                break; // the kernel would have acted here
            }
            long now = tMs * MS;
            long used = trace.usedBytes()[i];
            Limit binding = limit(capacity, used);
            List<Action> actions;
            if (lastFull == null || now >= nextTickNanos) {
                Sample s = sample(now, i, binding);
                boolean inProgress = checkpointAskedNanos != Long.MIN_VALUE
                        && now - checkpointAskedNanos < checkpointTimeout.toNanos();
                actions = ladder.decide(s, now, inProgress);
                lastFull = s;
                nextTickNanos = now + interval.toNanos();
            } else if (!levels.isEmpty() && used >= levels.get(0)) {
                double rate = (used - baseUsed) / ((now - baseNanos) / 1e9);
                boolean beyond = ladder.stopReached(baseBinding);
                actions = ladder.decideCrossing(lastFull, binding,
                        beyond && rate > 0 ? OptionalDouble.of(rate) : OptionalDouble.empty(),
                        Seen.KERNEL_NOTIFICATION, now);
                nextTickNanos = now + 1; // the watcher takes a full sample at once
            } else {
                continue;
            }
            baseUsed = used;
            baseNanos = now;
            baseBinding = binding;
            levels = ladder.nextLevels(binding);
            for (Action a : actions) {
                Done d = new Done(a.step(), tMs, binding.percentUsed(), a.why());
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
        return new Judgement(c, peakPercent, first, checkpoint, stop);
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
