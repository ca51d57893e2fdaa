package dev.oomguard.guard;

import dev.oomguard.units.ByteSize;
import java.time.Duration;
import java.util.Optional;

/**
 * The ladder's settings.
 *
 * @param checkpointLead ask for a checkpoint when predicted exhaustion is this close, whatever the percentage
 * @param grace          between SIGTERM and SIGKILL; also "imminent": past the stop level, exhaustion predicted
 *                       within it lets the stop interrupt a checkpoint in progress, or SIGKILL come sooner
 * @param hysteresis     a fired step re-arms once usage is this many points of the capacity below its threshold
 * @param growthWindow   the time window of the growth estimate
 * @param growthHorizon  growth counts as "still shrinking the headroom" only when it would exhaust the
 *                       limit within this time; slower creep is warned about, never acted on
 * @param checkpointReserve memory the checkpoint itself needs: it is asked for when the headroom
 *                       above this is predicted to run out within {@code checkpointLead}
 * @param forecastFloor  a forecast ({@code checkpointLead}, {@code checkpointReserve}) asks for a
 *                       checkpoint only at or above this level; empty: the warn level
 * @param trendSpan      a forecast counts only on growth sustained over at least this span
 *                       (see {@link Growth#sustained}); levels (checkpoint, stop) need no forecast
 */
public record GuardSettings(Threshold warn, Threshold checkpoint, Threshold stop, Duration checkpointLead,
                            Duration grace, StopMode stopMode, Duration pauseTimeout, Percent hysteresis,
                            Duration growthWindow, Duration growthHorizon, ByteSize checkpointReserve,
                            Optional<Threshold> forecastFloor, Duration trendSpan) {
    /** The default {@link #trendSpan}. */
    public static final Duration TREND_SPAN = Duration.ofSeconds(20);

    /** With the forecast floor at the warn level and the default trend span. */
    public GuardSettings(Threshold warn, Threshold checkpoint, Threshold stop, Duration checkpointLead,
            Duration grace, StopMode stopMode, Duration pauseTimeout, Percent hysteresis, Duration growthWindow,
            Duration growthHorizon, ByteSize checkpointReserve) {
        this(warn, checkpoint, stop, checkpointLead, grace, stopMode, pauseTimeout, hysteresis, growthWindow,
                growthHorizon, checkpointReserve, Optional.empty(), TREND_SPAN);
    }

    /** Without a checkpoint reserve. */
    public GuardSettings(Threshold warn, Threshold checkpoint, Threshold stop, Duration checkpointLead,
            Duration grace, StopMode stopMode, Duration pauseTimeout, Percent hysteresis, Duration growthWindow,
            Duration growthHorizon) {
        this(warn, checkpoint, stop, checkpointLead, grace, stopMode, pauseTimeout, hysteresis, growthWindow,
                growthHorizon, ByteSize.ofBytes(0));
    }

    public GuardSettings {
        if (checkpointReserve == null || forecastFloor == null) {
            throw new IllegalArgumentException("checkpoint reserve and forecast floor must be given (0, empty for none)");
        }
        for (Duration d : new Duration[] {checkpointLead, grace, pauseTimeout, growthWindow, growthHorizon, trendSpan}) {
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
        if (forecastFloor.isPresent()) {
            requireOrder("forecast-floor", forecastFloor.get(), "checkpoint", checkpoint);
        }
    }

    /** The level below which no forecast asks for anything: {@link #forecastFloor}, else the warn level. */
    public Threshold floor() {
        return forecastFloor.orElse(warn);
    }

    /** {@code --warn 80% --checkpoint 90% --stop 95% --checkpoint-lead 60s --grace 10s}. */
    public static GuardSettings defaults() {
        return new GuardSettings(Threshold.parse("80%"), Threshold.parse("90%"), Threshold.parse("95%"),
                Duration.ofSeconds(60), Duration.ofSeconds(10), StopMode.TERMINATE, Duration.ofMinutes(5),
                Percent.of(5), Duration.ofMinutes(2), Duration.ofMinutes(30));
    }

    public GuardSettings withThresholds(Threshold warn, Threshold checkpoint, Threshold stop) {
        return new GuardSettings(warn, checkpoint, stop, checkpointLead, grace, stopMode, pauseTimeout, hysteresis,
                growthWindow, growthHorizon, checkpointReserve, forecastFloor, trendSpan);
    }

    public GuardSettings withStopMode(StopMode mode, Duration pauseTimeout) {
        return new GuardSettings(warn, checkpoint, stop, checkpointLead, grace, mode, pauseTimeout, hysteresis,
                growthWindow, growthHorizon, checkpointReserve, forecastFloor, trendSpan);
    }

    public GuardSettings withCheckpointLead(Duration lead) {
        return new GuardSettings(warn, checkpoint, stop, lead, grace, stopMode, pauseTimeout, hysteresis,
                growthWindow, growthHorizon, checkpointReserve, forecastFloor, trendSpan);
    }

    public GuardSettings withCheckpointReserve(ByteSize reserve) {
        return new GuardSettings(warn, checkpoint, stop, checkpointLead, grace, stopMode, pauseTimeout, hysteresis,
                growthWindow, growthHorizon, reserve, forecastFloor, trendSpan);
    }

    /** A forecast asks for a checkpoint only from {@code floor} on (empty: the warn level). */
    public GuardSettings withForecastFloor(Optional<Threshold> floor) {
        return new GuardSettings(warn, checkpoint, stop, checkpointLead, grace, stopMode, pauseTimeout, hysteresis,
                growthWindow, growthHorizon, checkpointReserve, floor, trendSpan);
    }

    public GuardSettings withTrendSpan(Duration span) {
        return new GuardSettings(warn, checkpoint, stop, checkpointLead, grace, stopMode, pauseTimeout, hysteresis,
                growthWindow, growthHorizon, checkpointReserve, forecastFloor, span);
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
