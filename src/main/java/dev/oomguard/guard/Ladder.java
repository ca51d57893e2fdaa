package dev.oomguard.guard;

import dev.oomguard.sample.Limit;
import dev.oomguard.sample.LimitSource;
import dev.oomguard.sample.OomCandidate;
import dev.oomguard.sample.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * The action ladder: warn → checkpoint → stop, decided from samples alone. Each step fires once
 * and re-arms with hysteresis. The rules (docs/guarding.md, "The ladder"):
 * <ul>
 * <li>An irreversible action needs the level, not a forecast: the stop (terminate or pause) fires
 *     only once the binding limit's use has passed {@code --stop} and its headroom is still
 *     shrinking: a significant rise (Mann–Kendall) that is steady (no single step between two
 *     samples makes up more than half of it, see {@link Growth#sustained}); a job that settles at
 *     96%, or jumped there in one step and holds, is warned, never stopped. A prediction only makes the
 *     stop act sooner at that level: it interrupts a checkpoint in progress, or shortens the wait
 *     for SIGKILL, when exhaustion is predicted within the grace period.</li>
 * <li>A user's cap is a cap: use past {@code --stop} of the user's own {@code --limit} is acted on
 *     at the next reading whatever the growth looked like (the kernel does not enforce that limit;
 *     it does enforce cgroup limits and the host's, and decides there).</li>
 * <li>The checkpoint comes at its level while the job still grows; a forecast
 *     ({@code --checkpoint-lead}, {@code --checkpoint-reserve}) may bring it forward, but only on
 *     growth sustained over {@link GuardSettings#trendSpan} (see {@link Growth#sustained}) and
 *     never below {@link GuardSettings#floor()} (by default the warn level).</li>
 * </ul>
 * A stop never interrupts a checkpoint in progress (an input of {@link #decide(Sample, long, boolean)})
 * unless exhaustion is predicted within the grace period or the user's cap is full: it is
 * deferred, and said so once. Deterministic: time comes from the samples and the {@code nowNanos}
 * argument; nothing sleeps. Not thread-safe: one tick loop calls it. To replay a recorded series,
 * call {@link #decide(Sample, long)} once per sample, in order.
 */
public final class Ladder {
    private enum Phase { RUNNING, PAUSED, TERMINATING, KILLED }

    private final GuardSettings settings;
    private final Trends trends;
    private boolean warnArmed = true;
    private boolean checkpointArmed = true;
    private boolean stopArmed = true;
    private boolean outsideArmed = true;
    private boolean deferArmed = true;
    private boolean deferred;
    private boolean checkpointInProgress;
    private Phase phase = Phase.RUNNING;
    private long phaseSinceNanos;

    public Ladder(GuardSettings settings) {
        this.settings = settings;
        this.trends = new Trends(settings);
    }

    /**
     * What to do after this sample, in ladder order; usually nothing.
     *
     * @param nowNanos the same clock as {@link Sample#takenNanos()}; times the grace and pause periods
     */
    public List<Action> decide(Sample sample, long nowNanos) {
        return decide(sample, nowNanos, false);
    }

    /**
     * As {@link #decide(Sample, long)}, knowing whether a checkpoint the job was asked for is still
     * in progress (asked, neither acknowledged nor timed out): a stop then waits for it, unless
     * exhaustion is predicted within the grace period or the user's cap is full.
     */
    public List<Action> decide(Sample sample, long nowNanos, boolean checkpointInProgress) {
        this.checkpointInProgress = checkpointInProgress;
        Trends.Reading trend = trends.read(sample);
        if (sample.treeEmpty()) {
            return List.of(); // the job is gone; the supervisor reports its exit
        }
        return switch (phase) {
            case KILLED -> List.of();
            case TERMINATING -> afterTerminate(trend, nowNanos);
            case PAUSED -> whilePaused(trend.figures(), nowNanos);
            case RUNNING -> climb(sample, trend, nowNanos);
        };
    }

    /** The user's own cap ({@code --limit}) when its use has reached the stop level. */
    private Optional<Limit> capPassed(List<Limit> limits) {
        return limits.stream().filter(l -> l.source() == LimitSource.USER && settings.stop().reached(l)).findFirst();
    }

    private List<Action> climb(Sample sample, Trends.Reading trend, long nowNanos) {
        Figures f = trend.figures();
        Limit binding = f.binding();
        // "Still growing": a significant, steady rise (no burst between two samples) that would
        // exhaust the limit within the horizon.
        boolean shrinking = trend.steady() && f.timeToExhaustion().map(t -> t.compareTo(settings.growthHorizon()) <= 0).orElse(false);
        Optional<Limit> cap = capPassed(sample.limits());
        boolean capFull = cap.isPresent() && cap.get().headroom().bytes() == 0;
        Optional<Duration> toReserve = timeToReserve(f);
        // A forecast counts only on a sustained trend, and never below the floor.
        boolean forecastable = trend.sustained() && settings.floor().reached(binding);
        // With a reserve, growth toward it counts however far exhaustion itself is (beyond the horizon).
        boolean towardReserve = shrinking || settings.checkpointReserve().bytes() > 0;
        boolean leadReached = forecastable && towardReserve && toReserve.isPresent()
                && toReserve.get().compareTo(settings.checkpointLead()) <= 0;
        boolean stopLevel = settings.stop().reached(binding);
        boolean imminent = stopLevel && shrinking && f.timeToExhaustion().get().compareTo(settings.grace()) <= 0;
        List<Action> actions = new ArrayList<>();

        if (warnArmed && settings.warn().reached(binding)) {
            warnArmed = false;
            actions.add(new Action(Step.WARN, "warn the user",
                    "--warn " + settings.warn() + " reached on " + f.describe()
                            + (shrinking || cap.isPresent() ? "" : " (no steady growth toward the limit: no action yet)"),
                    f, Optional.empty()));
        } else if (!warnArmed && settings.warn().cleared(binding, settings.hysteresis())) {
            warnArmed = true;
        }

        boolean checkpointLevel = shrinking && settings.checkpoint().reached(binding);
        if (checkpointArmed && (checkpointLevel || leadReached)) {
            checkpointArmed = false;
            String trigger = checkpointLevel
                    ? "--checkpoint " + settings.checkpoint() + " reached and still growing (" + f.basis(true) + ")"
                    : (settings.checkpointReserve().bytes() > 0
                    ? "headroom above --checkpoint-reserve " + settings.checkpointReserve().human()
                            + " predicted to run out within --checkpoint-lead " + Figures.human(settings.checkpointLead())
                    : "exhaustion predicted within --checkpoint-lead " + Figures.human(settings.checkpointLead()))
                            + " (" + f.basis(true) + ", steadily for " + Figures.human(Duration.ofNanos(trend.spanNanos()))
                            + "; above --forecast-floor " + settings.floor() + ")";
            actions.add(new Action(Step.CHECKPOINT, "ask the job to checkpoint", trigger + " on " + f.describe(), f,
                    Optional.empty()));
        } else if (!checkpointArmed && settings.checkpoint().cleared(binding, settings.hysteresis())
                && f.timeToExhaustion().map(t -> t.compareTo(settings.checkpointLead().multipliedBy(2)) > 0).orElse(true)) {
            checkpointArmed = true;
        }

        // A checkpoint asked for in this very tick is in progress too: the request goes out with it.
        boolean checkpointing = checkpointInProgress || actions.stream().anyMatch(a -> a.step() == Step.CHECKPOINT);
        if (!checkpointing) {
            deferArmed = true;
        }
        boolean stopDue = stopLevel && shrinking || cap.isPresent();
        if (!checkpointing && !stopDue) {
            deferred = false;
        }
        if (stopDue && stopArmed) {
            Optional<OomCandidate> culprit = outsideCulprit(sample);
            if (cap.isEmpty() && binding.source() == LimitSource.HOST && culprit.isPresent()) {
                if (outsideArmed) {
                    outsideArmed = false;
                    OomCandidate c = culprit.get();
                    actions.add(new Action(Step.WARN_OUTSIDE, "warn, and leave the job running",
                            "the host is running out (" + f.describe() + ") but the kernel would kill PID " + c.pid()
                                    + " (" + c.comm() + ", oom_score " + c.oomScore() + ") outside the job first; stopping the job would not help",
                            f, culprit));
                }
            } else if (checkpointing && !imminent && !capFull) {
                deferred = true;
                if (deferArmed) {
                    deferArmed = false;
                    actions.add(new Action(Step.STOP_DEFERRED, "let the job finish its checkpoint; stop it after the"
                            + " acknowledgement or the timeout, or at once if exhaustion is predicted within the "
                            + Figures.human(settings.grace()) + " grace period",
                            "--stop " + settings.stop() + " reached, but a checkpoint is in progress, on " + f.describe(),
                            f, Optional.empty()));
                }
            } else {
                stopArmed = false;
                String trigger = cap.isPresent() && !(stopLevel && shrinking)
                        ? "--stop " + settings.stop() + " of your " + cap.get().description().split(":", 2)[0]
                                + " cap reached, " + trends.capBasis(cap.get(), sample) + " (a cap is enforced whatever the growth)"
                        : "--stop " + settings.stop() + " reached and the headroom is still shrinking (" + f.basis(true) + ")";
                if (checkpointing) {
                    trigger += capFull && !imminent ? " (a checkpoint is in progress, but the cap is full)"
                            : " (a checkpoint is in progress, but there is no time left for it: exhaustion is predicted within the "
                                    + Figures.human(settings.grace()) + " grace period)";
                } else if (deferred) {
                    trigger += " (deferred until the checkpoint ended)";
                }
                deferred = false;
                actions.add(stopAction(trigger + " on " + f.describe(), f));
                phase = settings.stopMode() == StopMode.PAUSE ? Phase.PAUSED : Phase.TERMINATING;
                phaseSinceNanos = nowNanos;
            }
        } else if (settings.stop().cleared(binding, settings.hysteresis()) && cap.isEmpty()) {
            stopArmed = true;
            outsideArmed = true;
        }
        return actions;
    }

    /**
     * The time until the headroom falls to {@code --checkpoint-reserve} at the current growth: the
     * checkpoint needs memory of its own, so it is asked for while that much is still left. With no
     * reserve this is the time to exhaustion.
     */
    private Optional<Duration> timeToReserve(Figures f) {
        if (f.growthBytesPerSecond().isEmpty() || f.growthBytesPerSecond().getAsDouble() <= 0) {
            return Optional.empty();
        }
        long above = Math.max(0, f.binding().headroom().bytes() - settings.checkpointReserve().bytes());
        return Optional.of(Duration.ofMillis((long) (above / f.growthBytesPerSecond().getAsDouble() * 1000)));
    }

    private Action stopAction(String why, Figures f) {
        if (settings.stopMode() == StopMode.PAUSE) {
            return new Action(Step.PAUSE, "pause the job (SIGSTOP to its process group); resume when headroom returns,"
                    + " terminate after " + Figures.human(settings.pauseTimeout()), why, f, Optional.empty());
        }
        return new Action(Step.TERMINATE, "SIGTERM (and SIGCONT) to the job's process group, SIGKILL after "
                + Figures.human(settings.grace()) + " if it is still there", why, f, Optional.empty());
    }

    /**
     * SIGKILL after the grace period; sooner, at the stop level, when the job still grows and
     * exhaustion is predicted before the grace period would end.
     */
    private List<Action> afterTerminate(Trends.Reading trend, long nowNanos) {
        Figures f = trend.figures();
        long waited = nowNanos - phaseSinceNanos;
        if (waited < settings.grace().toNanos()) {
            boolean exhaustsFirst = trend.steady() && settings.stop().reached(f.binding())
                    && f.timeToExhaustion().map(t -> waited + t.toNanos() < settings.grace().toNanos()).orElse(false);
            if (!exhaustsFirst) {
                return List.of();
            }
            phase = Phase.KILLED;
            return List.of(new Action(Step.KILL, "SIGKILL to the job's process group",
                    "still running " + Figures.human(Duration.ofNanos(waited)) + " after SIGTERM, " + f.basis(true)
                            + ": exhaustion predicted before the " + Figures.human(settings.grace())
                            + " grace period ends; " + f.describe(), f, Optional.empty()));
        }
        phase = Phase.KILLED;
        return List.of(new Action(Step.KILL, "SIGKILL to the job's process group",
                "still running " + Figures.human(settings.grace()) + " after SIGTERM; " + f.describe(), f, Optional.empty()));
    }

    private List<Action> whilePaused(Figures f, long nowNanos) {
        if (settings.stop().cleared(f.binding(), settings.hysteresis())) {
            phase = Phase.RUNNING;
            stopArmed = true;
            return List.of(new Action(Step.RESUME, "SIGCONT to the job's process group",
                    "headroom came back below --stop " + settings.stop() + ": " + f.describe(), f, Optional.empty()));
        }
        if (nowNanos - phaseSinceNanos >= settings.pauseTimeout().toNanos()) {
            phase = Phase.TERMINATING;
            phaseSinceNanos = nowNanos;
            return List.of(new Action(Step.TERMINATE, "SIGTERM and SIGCONT to the job's process group, SIGKILL after "
                    + Figures.human(settings.grace()), "paused for " + Figures.human(settings.pauseTimeout())
                    + " and the headroom did not come back: " + f.describe(), f, Optional.empty()));
        }
        return List.of();
    }

    /** The process the kernel would pick, when it is not the job's; empty when it is (or unknown). */
    private static Optional<OomCandidate> outsideCulprit(Sample sample) {
        return sample.oomCandidates().stream().findFirst().filter(c -> !c.inTree());
    }

    // Event-driven triggers (kernel thresholds and fast reads between full samples). Additions only:
    // the tick path above decides as before.

    /**
     * Bytes used on {@code binding} at which the next armed steps (warn, checkpoint, stop) fire,
     * ascending, only those above its current use; empty unless the job runs unpaused.
     */
    public List<Long> nextLevels(Limit binding) {
        if (phase != Phase.RUNNING) {
            return List.of();
        }
        java.util.TreeSet<Long> levels = new java.util.TreeSet<>();
        long used = binding.used().bytes();
        if (warnArmed) {
            levels.add(TriggerLevels.usedLevel(settings.warn(), binding.capacity()));
        }
        if (checkpointArmed) {
            levels.add(TriggerLevels.usedLevel(settings.checkpoint(), binding.capacity()));
        }
        if (stopArmed) {
            levels.add(TriggerLevels.usedLevel(settings.stop(), binding.capacity()));
        }
        if (stopReached(binding)) {
            // Past the stop level and not stopped (no growth past it measured yet): an approach level
            // a quarter of the way to exhaustion; crossing it measures the growth beyond the level.
            long gap = Math.max(APPROACH_MIN_BYTES, binding.headroom().bytes() / 4);
            if (gap < binding.headroom().bytes()) {
                levels.add(used + gap);
            }
        }
        levels.removeIf(l -> l <= used);
        return List.copyOf(levels);
    }

    /**
     * The level whose crossing asks for the checkpoint, when the next crossing of it is sure to:
     * the checkpoint is armed, the job runs unpaused and is below the level. {@link #decideCrossing}
     * asks for the checkpoint on that crossing whatever else it finds, so the request can be made
     * ready beforehand.
     */
    public Optional<CheckpointLevel> checkpointLevel(Limit binding) {
        if (phase != Phase.RUNNING || !checkpointArmed) {
            return Optional.empty();
        }
        long level = TriggerLevels.usedLevel(settings.checkpoint(), binding.capacity());
        if (level <= binding.used().bytes() || level >= binding.capacity().bytes()) {
            return Optional.empty();
        }
        Limit there = new Limit(binding.source(), binding.description(), binding.capacity(),
                dev.oomguard.units.ByteSize.ofBytes(binding.capacity().bytes() - level));
        Figures f = new Figures(0, there, OptionalDouble.empty(), Optional.empty());
        return Optional.of(new CheckpointLevel(level, "--checkpoint " + settings.checkpoint(), f.describe()));
    }

    /** Kernel thresholds are checked every 128 pages or so: a finer approach level is noise. */
    private static final long APPROACH_MIN_BYTES = 1L << 20;

    /** An armed stop whose level {@code binding} reaches, the job still running unpaused. */
    public boolean stopReached(Limit binding) {
        return phase == Phase.RUNNING && stopArmed && settings.stop().reached(binding);
    }

    /**
     * The fast decision when the use crosses a level between full samples ({@code binding} is the
     * last sample's binding limit moved by a fast read). The crossing itself is growth, so an armed
     * checkpoint whose level is reached fires. A stop fires only when {@code grownBeyondStop} (the
     * growth measured from a reading already past the stop level to this crossing of an approach
     * level, see {@link #nextLevels}) predicts exhaustion within the grace period: a job that
     * settles at or just past the stop level crosses no approach level and is not stopped; the
     * full samples decide for it as usual. On the host, a stop is left to the full sample when the
     * kernel would pick a process outside the job. The user's own cap ({@code --limit}) is a cap:
     * a crossing past its stop level stops whatever the growth.
     */
    public List<Action> decideCrossing(Sample last, Limit binding, OptionalDouble grownBeyondStop, Seen seen,
            long nowNanos) {
        if (phase != Phase.RUNNING || last.treeEmpty()) {
            return List.of();
        }
        double rate = grownBeyondStop.orElse(Double.NaN);
        Optional<Duration> eta = rate > 0
                ? Optional.of(Duration.ofNanos((long) (binding.headroom().bytes() / rate * 1e9)))
                : Optional.empty();
        Figures f = new Figures(last.tick(), binding, grownBeyondStop, eta);
        List<Action> actions = new ArrayList<>();
        if (checkpointArmed && settings.checkpoint().reached(binding)) {
            checkpointArmed = false;
            actions.add(new Action(Step.CHECKPOINT, "ask the job to checkpoint",
                    CheckpointLevel.crossed("--checkpoint " + settings.checkpoint(), seen, f.describe()), f, Optional.empty()));
        }
        boolean imminent = eta.map(t -> t.compareTo(settings.grace()) <= 0).orElse(false);
        boolean outside = binding.source() == LimitSource.HOST && outsideCulprit(last).isPresent();
        boolean cap = binding.source() == LimitSource.USER && settings.stop().reached(binding);
        if (stopArmed && (imminent && !outside || cap) && settings.stop().reached(binding)) {
            stopArmed = false;
            actions.add(stopAction(imminent
                    ? "--stop " + settings.stop() + " passed, still growing (" + seen.words()
                            + "), exhaustion predicted within the " + Figures.human(settings.grace())
                            + " grace period on " + f.describe()
                    : "--stop " + settings.stop() + " of your " + binding.description().split(":", 2)[0] + " cap passed ("
                            + seen.words() + "): a cap is enforced whatever the growth, on " + f.describe(), f));
            phase = settings.stopMode() == StopMode.PAUSE ? Phase.PAUSED : Phase.TERMINATING;
            phaseSinceNanos = nowNanos;
        }
        return actions;
    }

    /**
     * The fast path's decisions on a throw-away ladder, for a sample moved to the limit: run once
     * at start so the first real crossing does not pay for class loading and string-building
     * bootstraps (milliseconds, when 2.5 ms is all there is). This ladder is untouched.
     */
    public List<Action> rehearse(Sample sample) {
        Limit b = sample.binding();
        Limit full = new Limit(b.source(), b.description(), b.capacity(), dev.oomguard.units.ByteSize.ofBytes(0));
        Ladder throwAway = new Ladder(settings);
        throwAway.nextLevels(b);
        Seen seen = Seen.KERNEL_NOTIFICATION;
        throwAway.decideCrossing(sample, full, OptionalDouble.empty(), seen, sample.takenNanos());
        List<Action> out = new ArrayList<>(throwAway.decideCrossing(sample, full, OptionalDouble.of(1e9), seen,
                sample.takenNanos()));
        Ladder again = new Ladder(settings);
        out.addAll(again.decideCrossing(sample, full, OptionalDouble.empty(), seen, sample.takenNanos()));
        return out;
    }
}
