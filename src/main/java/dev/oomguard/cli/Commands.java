package dev.oomguard.cli;

import dev.oomguard.config.ConfigPlaces;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** Builds the one {@link CommandLine}, with injected writers so tests capture output. */
public final class Commands {
    private Commands() {
    }

    /** The subcommands, by name. */
    public static final List<String> NAMES = Subcommands.NAMES;

    /** {@code oomguard help [COMMAND]}: the same as {@code oomguard [COMMAND] --help}, as in git. */
    public static final String HELP = Subcommands.HELP;

    /** See {@link Subcommands#isSubcommand}. */
    public static boolean isSubcommand(String word) {
        return Subcommands.isSubcommand(word);
    }

    /** The one subcommand {@code args} (with its subcommand first) needs built, when it names one. */
    static Optional<String> needed(String[] args) {
        int at = args.length > 1 && args[0].equals(HELP) ? 1 : 0;
        return args.length > at && NAMES.contains(args[at]) ? Optional.of(args[at]) : Optional.empty();
    }

    /** The subcommands whose options can be configured (all but {@code config}). */
    public static List<String> configurable() {
        return NAMES.stream().filter(n -> !n.equals("config")).toList();
    }

    public static CommandLine create(PrintWriter out, PrintWriter err, Ending ending) {
        return create(out, err, ending, Optional.empty());
    }

    public static CommandLine create(PrintWriter out, PrintWriter err, Ending ending, Optional<String> only) {
        return create(out, err, ending, only, ConfigPlaces.none());
    }

    /**
     * The top level alone, for {@code oomguard --help}: each subcommand named and described from its
     * {@code @Command} annotation, without the model of its options (which is most of the cost of
     * building it: reflection over every option).
     */
    static CommandLine overview(PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(new OomguardCommand());
        OptionSections.install(cmd, Map.of());
        for (String name : NAMES) {
            Command annotation = type(name).getAnnotation(Command.class);
            CommandSpec outline = CommandSpec.create().name(name);
            outline.usageMessage().header(annotation.header()).description(annotation.description());
            cmd.addSubcommand(name, outline);
        }
        addHelp(cmd);
        return handled(cmd, out, err);
    }

    private static Class<?> type(String name) {
        return switch (name) {
            case "run" -> RunCommand.class;
            case "explain" -> ExplainCommand.class;
            case "report" -> ReportCommand.class;
            case "watch" -> WatchCommand.class;
            case "config" -> ConfigCommand.class;
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }

    /** {@code oomguard help [COMMAND]}, as in git. */
    private static void addHelp(CommandLine cmd) {
        cmd.addSubcommand(HELP, new CommandLine.HelpCommand());
        CommandLine help = cmd.getSubcommands().get(HELP);
        help.getCommandSpec().usageMessage().header("Show the full help of oomguard or of COMMAND.")
                .synopsisHeading("Usage: ");
        OptionSections.install(help, Map.of());
    }

    private static CommandLine handled(CommandLine cmd, PrintWriter out, PrintWriter err) {
        // An argument starting with '@' is a word like any other (a job's '@file' argument reached
        // the job as the file's contents when picocli expanded it), in every subcommand.
        cmd.setExpandAtFiles(false);
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionStrategy(Commands::execute);
        cmd.setExecutionExceptionHandler(Commands::mapException);
        cmd.setParameterExceptionHandler(Commands::badUsage);
        return cmd;
    }

    /** One subcommand's object, by name. */
    private static Object command(String name, Console console, Ending ending, ConfigPlaces places) {
        return switch (name) {
            case "run" -> new RunCommand(console, ending);
            case "explain" -> new ExplainCommand(console);
            case "report" -> new ReportCommand(console);
            case "watch" -> new WatchCommand(console);
            case "config" -> new ConfigCommand(console, places);
            default -> throw new IllegalArgumentException("no subcommand " + name);
        };
    }

    /** The model of one subcommand, alone (for configuration and documentation). */
    public static CommandSpec spec(String name) {
        PrintWriter nowhere = new PrintWriter(new StringWriter());
        return new CommandLine(command(name, new Console(nowhere, nowhere, false), new Ending(), ConfigPlaces.none()))
                .getCommandSpec();
    }

    /** One subcommand as a command line of its own, configured from {@code places} (for 'oomguard config'). */
    static CommandLine standalone(String name, ConfigDefaults defaults) {
        PrintWriter nowhere = new PrintWriter(new StringWriter());
        CommandLine cmd = new CommandLine(command(name, new Console(nowhere, nowhere, false), new Ending(),
                ConfigPlaces.none()));
        configure(cmd, name);
        cmd.setDefaultValueProvider(defaults);
        return cmd;
    }

    private static void configure(CommandLine cmd, String name) {
        // A flag given on the command line is on even when a file sets it to true: picocli would
        // otherwise set the opposite of the default.
        cmd.setToggleBooleanFlags(true);
        cmd.setExpandAtFiles(false); // '@file' is a word, as in handled()
        if (name.equals("run") || name.equals("config")) {
            // Everything after the command belongs to the command.
            cmd.setStopAtPositional(true);
        }
        OptionSections.install(cmd, switch (name) {
            case "run" -> OptionSections.RUN;
            case "watch" -> OptionSections.WATCH;
            default -> Map.of();
        });
    }

    /*
     * Only the subcommand in use is built: picocli reflects over every option of every subcommand
     * it is given, which is most of oomguard's start-up time.
     */
    /**
     * With {@code only}, just that subcommand is built, and configured from {@code places} (an error
     * in a configuration file is an {@link ExitException}).
     */
    public static CommandLine create(PrintWriter out, PrintWriter err, Ending ending, Optional<String> only,
            ConfigPlaces places) {
        Console console = new Console(out, err, false);
        CommandLine cmd = new CommandLine(new OomguardCommand());
        OptionSections.install(cmd, Map.of());
        for (String name : NAMES) {
            if (only.map(name::equals).orElse(true)) {
                cmd.addSubcommand(name, command(name, console, ending, places));
                configure(cmd.getSubcommands().get(name), name);
            }
        }
        if (only.isPresent() && configurable().contains(only.get())) {
            ConfigDefaults defaults = ConfigDefaults.load(places, List.of(only.get()), configurable(),
                    n -> cmd.getSubcommands().containsKey(n) ? cmd.getSubcommands().get(n).getCommandSpec() : spec(n));
            defaults.warnings().forEach(w -> console.say(w));
            cmd.setDefaultValueProvider(defaults);
        }
        addHelp(cmd);
        return handled(cmd, out, err);
    }

    /** As picocli's own (the last subcommand runs), but {@code -h} shows the short help first. */
    private static int execute(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption(HelpOptions.SHORT)) {
                CommandLine c = p.commandSpec().commandLine();
                c.usage(c.getOut(), c.getColorScheme());
                return 0;
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    private static int mapException(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        return Failures.report(e, cmd.getErr(), parsed != null && parsed.hasMatchedOption("--verbose"));
    }

    private static int badUsage(CommandLine.ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        String name = e.getCommandLine().getCommandName();
        String where = "oomguard".equals(name) ? "oomguard" : "oomguard " + name;
        err.println("oomguard: " + Printable.line(configuredAt(e) + e.getMessage()) + didYouMean(e) + " (see '" + where
                + " --help')");
        err.flush();
        return ExitException.OWN_ERROR;
    }

    /** "; did you mean --limit?" for a mistyped option or subcommand, as git and picocli's own handler do. */
    private static String didYouMean(CommandLine.ParameterException e) {
        if (!(e instanceof CommandLine.UnmatchedArgumentException unmatched)) {
            return "";
        }
        List<String> suggestions = unmatched.getSuggestions();
        return switch (suggestions.size()) {
            case 0 -> "";
            case 1 -> "; did you mean " + suggestions.get(0) + "?";
            default -> "; did you mean one of " + String.join(", ", suggestions.subList(0, Math.min(3, suggestions.size())))
                    + "?";
        };
    }

    /** A bad value that came from the configuration says where it was set: "FILE:LINE: warn = 7x: ". */
    static String configuredAt(CommandLine.ParameterException e) {
        if (e.getArgSpec() instanceof CommandLine.Model.OptionSpec option
                && option.command().defaultValueProvider() instanceof ConfigDefaults defaults) {
            Optional<ConfigSettings.Setting> s = defaults.setting(option.command().name(), option.longestName());
            if (s.isPresent() && s.get().value().equals(e.getValue())) {
                return s.get().source() + ": " + option.longestName().replaceFirst("^-+", "") + " = " + e.getValue()
                        + ": ";
            }
        }
        return "";
    }
}
