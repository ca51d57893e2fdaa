package dev.oomguard.cli;

import java.time.Duration;
import picocli.CommandLine.Option;

/** What oomguard does at a level, a partial kill or a stall, shared by {@code run} and {@code watch} as a mixin. */
final class ActionOptions {
    @Option(names = "--stop-action", paramLabel = "term|pause", defaultValue = "term",
            description = {"How to stop (default: ${DEFAULT-VALUE}).",
                "term: TERM, then KILL after --grace; pause: STOP, CONT when headroom returns, TERM after"
                    + " --pause-timeout."})
    String stopAction;

    @Option(names = "--grace", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10s",
            description = {"Time from TERM to KILL (default: ${DEFAULT-VALUE}).",
                "The time a process gets between TERM and KILL. Past --stop, exhaustion predicted within it lets the"
                    + " stop interrupt a checkpoint in progress, or KILL come sooner (it never starts a stop)."})
    Duration grace;

    @Option(names = "--pause-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            defaultValue = "5m", description = {"How long a pause may last (default: ${DEFAULT-VALUE}).",
                "How long a paused job (--stop-action pause) may wait for headroom before TERM."})
    Duration pauseTimeout;

    @Option(names = "--on-partial-oom", paramLabel = "warn|checkpoint|stop", defaultValue = "warn",
            description = {"On a partial OOM kill (default: ${DEFAULT-VALUE}).",
                "What to do when the kernel kills some of the job's processes: warn, ask for a checkpoint, or stop"
                    + " the job."})
    String onPartial;

    @Option(names = "--on-stall", paramLabel = "warn|checkpoint|stop", defaultValue = "warn",
            description = {"At --warn-stall (default: ${DEFAULT-VALUE}).",
                "What to do when --warn-stall is reached: warn, ask for a checkpoint, or stop (TERM, KILL after"
                    + " --grace; exit 137)."})
    String onStall;

    @Option(names = "--allow-partial",
            description = {"Keep the job's status after partial kills.",
                "Exit with the job's own status even if some of its processes were OOM-killed (default: 137)."})
    boolean allowPartial;

    @Option(names = "--notify", paramLabel = "CMD",
            description = {"Run CMD (sh -c) on every event.",
                "Events: warn, checkpoint, stop, partial kill, exit; the context in OOMGUARD_* variables and as JSON"
                    + " on stdin; time-limited."})
    String notify;
}
