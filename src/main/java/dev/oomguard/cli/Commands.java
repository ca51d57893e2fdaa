package dev.oomguard.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/** Builds the one {@link CommandLine}, with injected writers so tests capture output. */
public final class Commands {
    private Commands() {
    }

    /** The subcommands, by name. */
    public static final List<String> NAMES = List.of("run", "explain", "report", "watch");

    public static CommandLine create(PrintWriter out, PrintWriter err, Ending ending) {
        return create(out, err, ending, Optional.empty());
    }

    /**
     * With {@code only}, just that subcommand is built: picocli reflects over every option of every
     * subcommand it is given, which is most of oomguard's start-up time.
     */
    public static CommandLine create(PrintWriter out, PrintWriter err, Ending ending, Optional<String> only) {
        Console console = new Console(out, err, false);
        CommandLine cmd = new CommandLine(new OomguardCommand());
        if (only.map("run"::equals).orElse(true)) {
            cmd.addSubcommand("run", new RunCommand(console, ending));
            // Everything after the command belongs to the command.
            cmd.getSubcommands().get("run").setStopAtPositional(true);
        }
        if (only.map("explain"::equals).orElse(true)) {
            cmd.addSubcommand("explain", new ExplainCommand(console));
        }
        if (only.map("report"::equals).orElse(true)) {
            cmd.addSubcommand("report", new ReportCommand(console));
        }
        if (only.map("watch"::equals).orElse(true)) {
            cmd.addSubcommand("watch", WatchCommand.spec(console, ending));
        }
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler(Commands::mapException);
        cmd.setParameterExceptionHandler(Commands::badUsage);
        return cmd;
    }

    private static int mapException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof ExitException exit) {
            err.println("oomguard: " + exit.getMessage());
            err.flush();
            return exit.status();
        }
        err.println("oomguard: internal error: " + e);
        if (parsed != null && parsed.hasMatchedOption("--verbose")) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitException.OWN_ERROR;
    }

    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        String name = e.getCommandLine().getCommandName();
        String where = "oomguard".equals(name) ? "oomguard" : "oomguard " + name;
        err.println("oomguard: " + e.getMessage() + " (see '" + where + " --help')");
        err.flush();
        return ExitException.OWN_ERROR;
    }
}
