package dev.oomguard.cli;

import dev.oomguard.proc.Signal;
import dev.oomguard.units.ByteSize;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How the job is asked to checkpoint, shared by {@code run} and {@code watch} as a mixin. */
final class CheckpointOptions {
    @Option(names = "--checkpoint-signal", paramLabel = "SIG", converter = Converters.SignalName.class,
            description = {"Signal the job's group to checkpoint.",
                "Sent to the job's process group when a checkpoint is wanted, e.g. USR1 (note that R quits on"
                    + " USR1)."})
    Signal signal;

    @Option(names = "--on-checkpoint", paramLabel = "CMD",
            description = {"Run CMD (sh -c) to checkpoint.", "Run when a checkpoint is wanted, with its context in"
                + " OOMGUARD_* variables and as JSON on stdin; killed after --checkpoint-timeout; exit 0 acknowledges it."})
    String hook;

    @Option(names = "--checkpoint-lead", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "60s", description = {"Forecast lead time (default: ${DEFAULT-VALUE}).",
                "Ask for the checkpoint when exhaustion is predicted this close, on growth sustained over 20s or"
                    + " more and only from the --forecast-floor level on."})
    Duration lead;

    @Option(names = "--checkpoint-reserve", paramLabel = "SIZE", converter = Converters.Size.class,
            description = {"Memory the checkpoint itself needs.",
                "Ask for the checkpoint while at least SIZE of headroom is left (when the headroom above SIZE is"
                    + " predicted to run out within --checkpoint-lead), from the --forecast-floor level on (see"
                    + " docs/checkpoints.md). Must be smaller than --memory-max and --limit."})
    ByteSize reserve;

    @Option(names = "--checkpoint-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = {"How long a checkpoint may take.",
                "Until the job acknowledges it (or this passes) a stop waits, unless, past --stop, exhaustion is"
                    + " predicted within --grace, or your --limit is full. Also the --on-checkpoint hook's time"
                    + " limit. Default: as long as --checkpoint-lead."})
    Duration timeout;
}
