package dev.oomguard.cli;

import dev.oomguard.guard.GuardSettings;
import dev.oomguard.guard.Percent;
import dev.oomguard.guard.StallSettings;
import dev.oomguard.guard.StopMode;
import dev.oomguard.launch.Supervisor;
import dev.oomguard.sample.LimitSources;
import dev.oomguard.units.ByteSize;
import dev.oomguard.units.Durations;
import dev.oomguard.watch.GuardedRun;
import dev.oomguard.watch.Responder;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Mixin;

/**
 * The options {@code run} and {@code watch} share, as one mixin of groups (each also a mixin), and
 * the guard's options made from them. Declared once: names, defaults, converters and checks.
 */
final class GuardOptions {
    @Mixin
    LevelOptions levels;

    @Mixin
    ActionOptions actions;

    @Mixin
    CheckpointOptions checkpoint;

    @Mixin
    OutputOptions outputs;

    @Mixin
    ConsoleOptions console;

    /** What only {@code run} sets; {@code watch} takes {@link #NONE}. */
    record RunOnly(ByteSize memoryMax, boolean dryRun, boolean preserveStatus, boolean keepOrphans, boolean reraise,
            String name) {
        static final RunOnly NONE = new RunOnly(null, false, false, false, true, null);
    }

    /** The guard's options, checked (a bad one is an {@link ExitException}, 125). */
    GuardedRun.Options options(RunOnly run) {
        LevelOptions l = levels;
        ActionOptions a = actions;
        CheckpointOptions c = checkpoint;
        StopMode mode = switch (a.stopAction) {
            case "term", "terminate" -> StopMode.TERMINATE;
            case "pause" -> StopMode.PAUSE;
            default -> throw ExitException.invalidInput("--stop-action takes term or pause, not '" + a.stopAction + "'");
        };
        Responder.OnPartial partial = switch (a.onPartial) {
            case "warn" -> Responder.OnPartial.WARN;
            case "checkpoint" -> Responder.OnPartial.CHECKPOINT;
            case "stop" -> Responder.OnPartial.STOP;
            default -> throw ExitException.invalidInput("--on-partial-oom takes warn, checkpoint or stop, not '"
                    + a.onPartial + "'");
        };
        StallSettings stall = stallSettings();
        if (l.interval.toMillis() < 1) {
            throw ExitException.invalidInput("--interval must be at least 1ms, not '" + Durations.format(l.interval) + "'");
        }
        GuardSettings defaults = GuardSettings.defaults();
        GuardSettings guard;
        try {
            guard = new GuardSettings(l.warn, l.checkpoint, l.stop, c.lead, a.grace, mode, a.pauseTimeout,
                    defaults.hysteresis(), defaults.growthWindow(), defaults.growthHorizon())
                    .withForecastFloor(Optional.ofNullable(l.forecastFloor));
        } catch (IllegalArgumentException e) {
            throw ExitException.invalidInput(e.getMessage() + " (see 'oomguard run --help')");
        }
        if (c.reserve != null) {
            guard = guard.withCheckpointReserve(c.reserve);
            reserveFits("--memory-max", run.memoryMax());
            reserveFits("--limit", l.limit);
        }
        LimitSources limits = l.limit == null ? LimitSources.standard() : LimitSources.standard().withUserLimit(l.limit);
        Responder.Settings act = new Responder.Settings(run.dryRun(), Optional.ofNullable(c.signal),
                Optional.ofNullable(c.hook), Optional.ofNullable(a.notify), partial, Optional.empty(),
                Optional.ofNullable(c.timeout));
        OutputOptions o = outputs;
        return new GuardedRun.Options(guard, limits, l.interval, act, run.preserveStatus(), a.allowPartial,
                console.quiet, new Supervisor.Settings(a.grace, run.keepOrphans()), run.reraise(),
                Optional.ofNullable(o.recordPath()), Optional.ofNullable(o.summaryJson), settings(run),
                Optional.ofNullable(o.promTextfile), run.name(), o.promInterval, console.title, console.status,
                Optional.ofNullable(o.html), stall);
    }

    /** The settings as the run record and summary show them. */
    private Map<String, String> settings(RunOnly run) {
        LevelOptions l = levels;
        CheckpointOptions c = checkpoint;
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("warn", l.warn.toString());
        settings.put("checkpoint", l.checkpoint.toString());
        settings.put("stop", l.stop.toString());
        settings.put("limit", text(l.limit));
        settings.put("memory_max", text(run.memoryMax()));
        settings.put("stop_action", actions.stopAction);
        settings.put("grace", Durations.format(actions.grace));
        settings.put("checkpoint_lead", Durations.format(c.lead));
        settings.put("forecast_floor", l.forecastFloor == null ? l.warn.toString() : l.forecastFloor.toString());
        settings.put("checkpoint_reserve", text(c.reserve));
        settings.put("checkpoint_timeout", Durations.format(c.timeout == null ? c.lead : c.timeout));
        settings.put("interval", Durations.format(l.interval));
        settings.put("on_partial_oom", actions.onPartial);
        settings.put("warn_stall", l.warnStall);
        settings.put("stall_window", Durations.format(l.stallWindow));
        settings.put("on_stall", actions.onStall);
        return settings;
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }

    private StallSettings stallSettings() {
        String onStall = actions.onStall;
        StallSettings.OnStall action = switch (onStall) {
            case "warn" -> StallSettings.OnStall.WARN;
            case "checkpoint" -> StallSettings.OnStall.CHECKPOINT;
            case "stop" -> StallSettings.OnStall.STOP;
            default -> throw ExitException.invalidInput("--on-stall takes warn, checkpoint or stop, not '" + onStall + "'");
        };
        Duration window = levels.stallWindow;
        if (window.isZero() || window.isNegative()) {
            throw ExitException.invalidInput("--stall-window must be positive, not '" + Durations.format(window) + "'");
        }
        String warnStall = levels.warnStall;
        try {
            Optional<Percent> at = warnStall.equals("off") ? Optional.empty() : Optional.of(Percent.parse(warnStall));
            return StallSettings.defaults().with(at, window, action, actions.grace);
        } catch (IllegalArgumentException e) {
            throw ExitException.invalidInput("--warn-stall: " + e.getMessage() + " (or 'off')");
        }
    }

    /** The checkpoint's reserve must leave room for the job under a limit given here. */
    private void reserveFits(String option, ByteSize limitGiven) {
        ByteSize reserve = checkpoint.reserve;
        if (limitGiven != null && reserve.compareTo(limitGiven) >= 0) {
            throw ExitException.invalidInput("--checkpoint-reserve " + reserve + " does not fit in " + option
                    + " " + limitGiven + ": give a reserve smaller than the limit, or a larger limit");
        }
    }
}
