package dev.oomguard.cli;

import dev.oomguard.guard.Threshold;
import dev.oomguard.units.ByteSize;
import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The levels, the user's limit and the sampling, shared by {@code run} and {@code watch} as a mixin.
 * In each description the first line is the one {@code --help} shows; the rest is the long form
 * (the man page and docs/options.md).
 */
final class LevelOptions {
    @Option(names = "--warn", paramLabel = "LEVEL", converter = Converters.Level.class, defaultValue = "80%",
            description = {"Warn at this level (default: ${DEFAULT-VALUE}).",
                "A level is a share of the binding limit used (80%%) or the headroom left (2G); a bare number is"
                    + " refused (it could mean either)."})
    Threshold warn;

    @Option(names = "--checkpoint", paramLabel = "LEVEL", converter = Converters.Level.class, defaultValue = "90%",
            description = {"Ask for a checkpoint here (default: ${DEFAULT-VALUE}).",
                "Only while the job is still growing."})
    Threshold checkpoint;

    @Option(names = "--stop", paramLabel = "LEVEL", converter = Converters.Level.class, defaultValue = "95%",
            description = {"Stop a growing job here (default: ${DEFAULT-VALUE}).",
                "The job is stopped once it has passed this level and is still growing steadily; past this level of"
                    + " your --limit, at the next reading whatever its growth (see docs/guarding.md)."})
    Threshold stop;

    @Option(names = "--limit", paramLabel = "SIZE", converter = Converters.Size.class,
            description = {"Your own cap on the job's tree, e.g. 12G.",
                "Counts the resident and swapped memory of the job's whole process tree."})
    ByteSize limit;

    @Option(names = "--forecast-floor", paramLabel = "LEVEL", converter = Converters.Level.class,
            description = {"Forecasts act from here (default: --warn).",
                "A forecast (--checkpoint-lead, --checkpoint-reserve) asks for a checkpoint only at or above this"
                    + " level, and only on growth sustained over 20s or more; the levels themselves need no forecast."
                    + " It may not come after --checkpoint."})
    Threshold forecastFloor;

    @Option(names = "--interval", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5s",
            description = {"Time between full samples (default: ${DEFAULT-VALUE}).",
                "A full sample is the tree walk and every limit, at this interval at rest and closer together while"
                    + " the job is young or its memory moves fast. Between them the kernel's memory thresholds, or a"
                    + " cheap figure polled closer together near the thresholds, wake the guard at once (see"
                    + " docs/internals.md)."})
    Duration interval;

    @Option(names = "--warn-stall", paramLabel = "PERCENT|off", defaultValue = "20%",
            description = {"Act at this share stalled (default: ${DEFAULT-VALUE}).",
                "Thrashing: act (--on-stall) when the job spent this share of --stall-window stalled on memory (PSI"
                    + " full); off: only report the time stalled."})
    String warnStall;

    @Option(names = "--stall-window", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "30s", description = {"Window of --warn-stall (default: ${DEFAULT-VALUE}).",
                "The window --warn-stall is measured over."})
    Duration stallWindow;
}
