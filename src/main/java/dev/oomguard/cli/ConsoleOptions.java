package dev.oomguard.cli;

import picocli.CommandLine.Option;

/** What oomguard says on stderr and the terminal, shared by {@code run} and {@code watch} as a mixin. */
final class ConsoleOptions {
    @Option(names = {"-q", "--quiet"},
            description = {"Summary only when something happened.",
                "Nothing on stderr when the job succeeded and nothing happened; the full summary when a threshold"
                    + " fired, a process was killed or stopped, or the job failed (for cron, see"
                    + " docs/where-jobs-live.md)."})
    boolean quiet;

    @Option(names = {"-v", "--verbose"},
            description = {"Say more about what oomguard does.",
                "Its PID, how the job ended, what was reaped, the logs it could not read."})
    boolean verbose;

    @Option(names = "--title",
            description = {"Show the memory status in the title.",
                "Keep the terminal's (tmux pane's, screen window's) title set to a short memory status; only when"
                    + " stderr is a terminal."})
    boolean title;

    @Option(names = "--status",
            description = {"Show it as a live line on stderr.",
                "Draw the same status as a live line on stderr (opt-in: it shares stderr with the job's own"
                    + " progress bars); only on a terminal."})
    boolean status;
}
