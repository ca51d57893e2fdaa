package dev.oomguard.trigger;

import dev.oomguard.checkpoint.Reflex;
import dev.oomguard.guard.Seen;
import dev.oomguard.proc.KernelEvents;
import dev.oomguard.proc.ProcFs;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Carries a new {@link TriggerPlan} out, on the trigger thread: the thresholds registered (or
 * polling on their refusal), the reflex armed at the checkpoint level, the polling timed, the
 * protection said once it changes.
 */
final class Arming {
    /** The plan as armed, and a reading past one of its levels already, if one was seen. */
    record Applied(TriggerPlan plan, Optional<Crossing> passed) {
    }

    private final ProcFs fs;
    private final Consumer<String> say;
    private final Consumer<String> detail;
    private final LongSupplier clock;
    private final Optional<Reflex> reflex;
    private final Gauges gauges;
    private final Thresholds thresholds;
    private final Polling polling;
    private volatile String described = "";

    Arming(ProcFs fs, Consumer<String> say, Consumer<String> detail, LongSupplier clock, Optional<Reflex> reflex,
            Gauges gauges, Thresholds thresholds, Polling polling) {
        this.fs = fs;
        this.say = say;
        this.detail = detail;
        this.clock = clock;
        this.reflex = reflex;
        this.gauges = gauges;
        this.thresholds = thresholds;
        this.polling = polling;
    }

    /**
     * Arms {@code next} in place of {@code previous}.
     *
     * @param thresholdsPossible libc and the trigger thread's wake-up eventfd are there
     */
    Applied apply(TriggerPlan next, TriggerPlan previous, boolean thresholdsPossible) {
        TriggerPlan p = next;
        if (p.route() == Route.THRESHOLDS && (thresholds.refused() || !thresholdsPossible)) {
            p = p.withRoute(Route.POLL);
        }
        if (thresholds.cover(p, previous)) {
            // Every level wanted is registered already: just the new reading to measure from.
            armReflex(p);
            return new Applied(p, Optional.empty());
        }
        if (thresholdsPossible) {
            try {
                thresholds.replace(p);
            } catch (KernelEvents.Failure e) {
                say.accept("cannot set memory thresholds on " + p.thresholdDir() + " (" + e.getMessage()
                        + "); polling " + p.gauge().describe() + " instead");
                p = p.withRoute(Route.POLL);
            }
        }
        armReflex(p); // before the next poll is timed: a level the reflex watches is left to it
        if (p.route() == Route.POLL && !p.sameWatch(previous)) {
            polling.restart(p);
        } else if (p.route() == Route.POLL) {
            polling.closeIn(closingIn(p));
        }
        say(p); // before the plan is published: whoever sees it armed sees it described
        Optional<Crossing> passed = Optional.empty();
        if (p.route() == Route.THRESHOLDS && thresholds.fd() >= 0) {
            // A level passed between the full sample and the registration would not fire: look once.
            OptionalLong r = gauges.read(p.gauge());
            if (r.isPresent() && p.passedSinceBase(r.getAsLong())) {
                passed = Optional.of(new Crossing(p.base(), p.baseNanos(), r.getAsLong(), clock.getAsLong(), p.gauge(),
                        Seen.POLLED_READING));
            }
        }
        return new Applied(p, passed);
    }

    /** The levels the trigger thread's polling closes in on: not the one the reflex watches on the same gauge. */
    List<Long> closingIn(TriggerPlan p) {
        boolean covered = reflex.isPresent() && p.checkpoint().isPresent()
                && reflex.get().watching(p.checkpoint().get().usedBytes());
        return p.closingIn(covered ? OptionalLong.of(p.checkpoint().get().usedBytes()) : OptionalLong.empty());
    }

    /** The reflex at the checkpoint level where thresholds protect the job or the gauge is polled; disarmed elsewhere. */
    private void armReflex(TriggerPlan p) {
        if (reflex.isEmpty()) {
            return;
        }
        switch (p.reflexWatch(thresholds.fd() >= 0)) {
            case THRESHOLD -> reflex.get().arm(fs.path(p.thresholdDir() + "/cgroup.event_control").toString(),
                    p.gauge().describe(), p.checkpoint().get().usedBytes(), p.checkpoint().get().reason(Seen.KERNEL_NOTIFICATION));
            case POLLED -> reflex.get().armPolled(p.gauge().polled(), p.checkpoint().get().usedBytes(),
                    p.checkpoint().get().reason(Seen.POLLED_READING));
            case NONE -> reflex.get().disarm();
        }
    }

    private void say(TriggerPlan p) {
        String d = p.describe(polling.period());
        if (!d.equals(described)) {
            described = d;
            detail.accept("protected by " + d + p.levelsText());
        }
    }

    /** How the job is protected now ("" before the first plan). */
    String described() {
        return described;
    }
}
