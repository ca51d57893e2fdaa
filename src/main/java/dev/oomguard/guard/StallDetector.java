package dev.oomguard.guard;

import dev.oomguard.sample.Sample;
import dev.oomguard.sample.StallReading;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Thrashing: a job that is not killed but spends its time waiting on memory (swap-in storms,
 * reclaim stalls, page-cache refaults). Measures the share of the last window during which the
 * job's tasks all stalled (PSI {@code full} of its own cgroup v2 group) and fires once per
 * episode when it reaches the threshold; the episode ends when the share falls below it by the
 * hysteresis.
 *
 * <p>Without a group of its own, only host-wide PSI is there ({@code some}: see
 * {@link StallReading.Psi#jobStallMicros()}), and it counts every task on the machine: it is
 * blamed on the job only when the job's own tree made at least
 * {@link StallSettings#minFaultsPerSecond()} major faults a second over the same window, and the
 * message says it is the machine's figure. Deterministic: time comes from the samples.
 * Not thread-safe: one tick loop calls it.
 */
public final class StallDetector {
    private record Point(long nanos, long stallMicros, long faults) {
    }

    /** The last full window: its length, the time stalled in it and the tree's major faults. */
    public record Window(Duration span, Duration stalled, long treeMajorFaults, StallReading.Psi psi) {
        public double percent() {
            return span.isZero() ? 0 : Math.min(100, 100.0 * stalled.toNanos() / span.toNanos());
        }

        public double faultsPerSecond() {
            return span.isZero() ? 0 : treeMajorFaults * 1e9 / span.toNanos();
        }
    }

    private final StallSettings settings;
    private final Deque<Point> points = new ArrayDeque<>();
    private StallReading.Psi source;
    private boolean armed = true;
    private long stopNanos = -1;
    private boolean killed;
    private Window last;

    public StallDetector(StallSettings settings) {
        this.settings = settings;
    }

    /** What to do after this sample; usually nothing. */
    public List<Action> decide(Sample sample) {
        Optional<StallReading.Psi> psi = sample.stall().flatMap(StallReading::psi);
        if (psi.isEmpty()) {
            return List.of();
        }
        long now = sample.takenNanos();
        StallReading.Psi p = psi.get();
        if (!p.sameSource(source) || (!points.isEmpty() && p.jobStallMicros() < points.peekLast().stallMicros())) {
            points.clear(); // another group, or a counter that went back: differences would mean nothing
            source = p;
        }
        points.addLast(new Point(now, p.jobStallMicros(), sample.stall().get().treeMajorFaults()));
        long cutoff = now - settings.window().toNanos();
        while (points.size() >= 2 && secondOldest().nanos() <= cutoff) {
            points.removeFirst();
        }
        if (sample.treeEmpty() || killed) {
            return List.of();
        }
        if (stopNanos >= 0) {
            return afterStop(sample, now);
        }
        Point base = points.peekFirst();
        if (base.nanos() > cutoff) {
            return List.of(); // the window is not covered yet
        }
        Point head = points.peekLast();
        last = new Window(Duration.ofNanos(now - base.nanos()), Duration.ofNanos((head.stallMicros() - base.stallMicros()) * 1000),
                head.faults() - base.faults(), p);
        if (settings.warnAt().isEmpty()) {
            return List.of();
        }
        double threshold = settings.warnAt().get().value();
        boolean blamed = p.scope() == StallReading.Scope.JOB_CGROUP
                || last.faultsPerSecond() >= settings.minFaultsPerSecond();
        if (armed && last.percent() >= threshold && blamed) {
            armed = false;
            return List.of(action(sample, last));
        }
        if (!armed && last.percent() <= threshold - settings.hysteresis().value()) {
            armed = true;
        }
        return List.of();
    }

    /** The latest full window, for status lines; empty before the first. */
    public Optional<Window> lastWindow() {
        return Optional.ofNullable(last);
    }

    private Point secondOldest() {
        var it = points.iterator();
        it.next();
        return it.next();
    }

    private Action action(Sample sample, Window w) {
        Figures f = figures(sample);
        String why = describe(w);
        return switch (settings.onStall()) {
            case WARN -> new Action(Step.WARN, "warn the user", why, f, Optional.empty());
            case CHECKPOINT -> new Action(Step.CHECKPOINT, "ask the job to checkpoint", why, f, Optional.empty());
            case STOP -> {
                stopNanos = sample.takenNanos();
                yield new Action(Step.TERMINATE, "SIGTERM (and SIGCONT) to the job's process group, SIGKILL after "
                        + Figures.human(settings.grace()) + " if it is still there", why, f, Optional.empty());
            }
        };
    }

    private List<Action> afterStop(Sample sample, long now) {
        if (now - stopNanos < settings.grace().toNanos()) {
            return List.of();
        }
        killed = true;
        return List.of(new Action(Step.KILL, "SIGKILL to the job's process group", "still running "
                + Figures.human(settings.grace()) + " after SIGTERM for thrashing", figures(sample), Optional.empty()));
    }

    /**
     * {@code thrashing: stalled on memory 34% of the last 30s (--warn-stall 20%; PSI full of the
     * job's cgroup v2 /jobs/a, the job's tree made 14 major faults/s)}; on the host, the machine's
     * figure, said to be one.
     */
    String describe(Window w) {
        String faults = String.format(Locale.ROOT, "%.0f major faults/s", w.faultsPerSecond());
        boolean host = w.psi().scope() == StallReading.Scope.HOST;
        String source = host
                ? "host-wide PSI some, which counts every task on the machine, while the job's tree made " + faults
                : w.psi().describe() + ", the job's tree made " + faults;
        return String.format(Locale.ROOT, "thrashing: %s on memory %.0f%% of the last %s (--warn-stall %s; %s)",
                host ? "the machine stalled" : "stalled", w.percent(), Figures.human(w.span()),
                settings.warnAt().map(Percent::toString).orElse("off"), source);
    }

    private static Figures figures(Sample s) {
        return new Figures(s.tick(), s.binding(), OptionalDouble.empty(), Optional.empty());
    }
}
