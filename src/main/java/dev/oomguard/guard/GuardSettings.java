package dev.oomguard.guard;

import dev.oomguard.units.ByteSize;
import java.time.Duration;

/**
 * The ladder's settings.
 *
 * @param checkpointLead ask for a checkpoint when predicted exhaustion is this close, whatever the percentage
 * @param grace          between SIGTERM and SIGKILL; also "imminent": exhaustion predicted within it stops the job
 * @param hysteresis     a fired step re-arms once usage is this many points of the capacity below its threshold
 * @param growthWindow   the time window of the growth estimate
 * @param growthHorizon  growth counts as "still shrinking the headroom" only when it would exhaust the
 *                       limit within this time; slower creep is warned about, never acted on
 * @param checkpointReserve memory the checkpoint itself needs: it is asked for when the headroom
 *                       above this is predicted to run out within {@code checkpointLead}
 */
public record GuardSettings(Threshold warn, Threshold checkpoint, Threshold stop, Duration checkpointLead,
                            Duration grace, StopMode stopMode, Duration pauseTimeout, Percent hysteresis,
                            Duration growthWindow, Duration growthHorizon, ByteSize checkpointReserve) {
    /** Without a checkpoint reserve. */
    public GuardSettings(Threshold warn, Threshold checkpoint, Threshold stop, Duration checkpointLead,
            Duration grace, StopMode stopMode, Duration pauseTimeout, Percent hysteresis, Duration growthWindow,
            Duration growthHorizon) {
        this(warn, checkpoint, stop, checkpointLead, grace, stopMode, pauseTimeout, hysteresis, growthWindow,
                growthHorizon, ByteSize.ofBytes(0));
    }

    public GuardSettings {
        if (checkpointReserve == null) {
            throw new IllegalArgumentException("checkpoint reserve must be given (0 for none)");
        }
        for (Duration d : new Duration[] {checkpointLead, grace, pauseTimeout, growthWindow, growthHorizon}) {
            if (d == null || d.isNegative()) {
                throw new IllegalArgumentException("durations must be given and not negative");
            }
        }
        if (growthWindow.isZero()) {
            throw new IllegalArgumentException("growth window must be positive");
        }
        requireOrder("warn", warn, "checkpoint", checkpoint);
        requireOrder("checkpoint", checkpoint, "stop", stop);
        requireOrder("warn", warn, "stop", stop);
    }

    /** {@code --warn 80% --checkpoint 90% --stop 95% --checkpoint-lead 60s --grace 10s}. */
    public static GuardSettings defaults() {
        return new GuardSettings(Threshold.parse("80%"), Threshold.parse("90%"), Threshold.parse("95%"),
                Duration.ofSeconds(60), Duration.ofSeconds(10), StopMode.TERMINATE, Duration.ofMinutes(5),
                Percent.of(5), Duration.ofMinutes(2), Duration.ofMinutes(30));
    }

    public GuardSettings withThresholds(Threshold warn, Threshold checkpoint, Threshold stop) {
        return new GuardSettings(warn, checkpoint, stop, checkpointLead, grace, stopMode, pauseTimeout, hysteresis,
                growthWindow, growthHorizon, checkpointReserve);
    }

    public GuardSettings withStopMode(StopMode mode, Duration pauseTimeout) {
        return new GuardSettings(warn, checkpoint, stop, checkpointLead, grace, mode, pauseTimeout, hysteresis,
                growthWindow, growthHorizon, checkpointReserve);
    }

    public GuardSettings withCheckpointLead(Duration lead) {
        return new GuardSettings(warn, checkpoint, stop, lead, grace, stopMode, pauseTimeout, hysteresis,
                growthWindow, growthHorizon, checkpointReserve);
    }

    public GuardSettings withCheckpointReserve(ByteSize reserve) {
        return new GuardSettings(warn, checkpoint, stop, checkpointLead, grace, stopMode, pauseTimeout, hysteresis,
                growthWindow, growthHorizon, reserve);
    }

    /** Thresholds of the same form must climb: warn before checkpoint before stop. */
    private static void requireOrder(String lowName, Threshold low, String highName, Threshold high) {
        boolean wrong = false;
        if (low instanceof Threshold.PercentUsed l && high instanceof Threshold.PercentUsed h) {
            wrong = l.percent().compareTo(h.percent()) > 0;
        } else if (low instanceof Threshold.HeadroomBelow l && high instanceof Threshold.HeadroomBelow h) {
            wrong = l.headroom().compareTo(h.headroom()) < 0;
        }
        if (wrong) {
            throw new IllegalArgumentException("--" + lowName + " " + low + " comes after --" + highName + " " + high
                    + " (expected " + lowName + " to fire first)");
        }
    }
}
