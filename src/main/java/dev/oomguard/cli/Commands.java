package dev.oomguard.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/** Builds the one {@link CommandLine}, with injected writers so tests capture output. */
public final class Commands {
    private Commands() {
    }

    public static CommandLine create(PrintWriter out, PrintWriter err, Ending ending) {
        Console console = new Console(out, err, false);
        CommandLine cmd = new CommandLine(new OomguardCommand());
        cmd.addSubcommand("run", new RunCommand(console, ending));
        // Everything after the command belongs to the command.
        cmd.getSubcommands().get("run").setStopAtPositional(true);
        // Further subcommands (explain, report, watch, ...) are registered here.
        cmd.addSubcommand("explain", new ExplainCommand(console));
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
