package dev.oomguard.cli;

import dev.oomguard.config.ConfigPlaces;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * {@code oomguard run}'s command line parsed without picocli, whose model costs a third of the start
 * (its class files are verified at every start, its annotations read through proxies): the options
 * known from {@link RunOptionTable}, generated from picocli's model, set from the command line, the
 * configuration and the built-in defaults exactly as picocli sets them. Whenever a command line is not
 * plainly one picocli takes (an unknown option, a bad value, help, clustered short options, an
 * argument file, any error, a configuration file it cannot read) this path declines and picocli
 * parses it, so that every message and help text stays picocli's.
 */
final class RunFastPath {
    private static final RunOptionTable TABLE = new RunOptionTable();

    /**
     * {@code OOMGUARD_JVM_FLAGS=-Doomguard.parser=picocli}: picocli parses every command line, after this
     * path has parsed it too: the way round the fast path if it is ever suspected, and a way to compare them.
     */
    static final String PARSER_PROPERTY = "oomguard.parser";

    private RunFastPath() {
    }

    /** A command line parsed: {@code run}'s command object, ready to call. */
    record Parsed(RunCommand command) {
    }

    /**
     * Runs {@code full} (the subcommand first) as picocli's execution would, and returns its status;
     * empty when this path declines (nothing has been said or done then).
     */
    static OptionalInt run(String[] full, PrintWriter out, PrintWriter err, Ending ending, ConfigPlaces places) {
        Optional<Parsed> parsed = parse(full, new Console(out, err, false), ending, places);
        if (parsed.isEmpty() || "picocli".equals(System.getProperty(PARSER_PROPERTY))) {
            return OptionalInt.empty();
        }
        try {
            return OptionalInt.of(parsed.get().command().call());
        } catch (Exception e) { // an Error goes on, as out of picocli's execute
            // picocli gives Commands.mapException the top level's parse result, where run's --verbose is
            // never matched: no stack trace there, so none here.
            return OptionalInt.of(Failures.report(e, err, false));
        }
    }

    /** {@code full} parsed as picocli parses it, or empty when this path is not sure it would. */
    static Optional<Parsed> parse(String[] full, Console console, Ending ending, ConfigPlaces places) {
        if (full.length < 2 || !full[0].equals("run")) {
            return Optional.empty();
        }
        Map<String, String> given = new LinkedHashMap<>();
        List<String> command = List.of();
        for (int i = 1; i < full.length; i++) {
            String arg = full[i];
            if (arg.equals("--") || !arg.startsWith("-")) { // everything after belongs to the command
                command = Arrays.asList(full).subList(arg.equals("--") ? i + 1 : i, full.length);
                break;
            }
            OptionWord split = OptionWord.of(arg);
            String name = split.name();
            String inline = split.inline().orElse(null);
            Optional<ConfigSettings.Option> known = TABLE.option("run", name);
            if (known.isEmpty() || known.get().help()) {
                return Optional.empty();
            }
            ConfigSettings.Option option = known.get();
            String value;
            if (option.flag()) {
                if (inline != null) {
                    return Optional.empty();
                }
                value = "true";
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < full.length) {
                value = full[++i];
            } else {
                return Optional.empty();
            }
            if (value.isEmpty() || value.startsWith("-") || given.put(option.longestName(), value) != null) {
                return Optional.empty();
            }
        }
        if (command.isEmpty()) {
            return Optional.empty();
        }
        ConfigSettings settings;
        try {
            settings = ConfigSettings.load(places, List.of("run"), RunOptionTable.CONFIGURABLE, TABLE);
        } catch (ExitException e) {
            return Optional.empty();
        }
        if (!settings.warnings().isEmpty()) {
            return Optional.empty();
        }
        RunCommand run = RunOptionTable.newRun(console, ending);
        try {
            for (String option : RunOptionTable.RUN_SETTINGS) {
                String fallback = settings.setting("run", option).map(ConfigSettings.Setting::value)
                        .orElse(RunOptionTable.RUN_DEFAULTS.get(option));
                if (fallback != null) {
                    if (fallback.contains("${")) { // picocli expands variables in defaults
                        return Optional.empty();
                    }
                    RunOptionTable.set(run, option, fallback); // checked even when given: picocli may check it
                }
                if (given.containsKey(option)) {
                    RunOptionTable.set(run, option, given.get(option));
                }
            }
        } catch (RuntimeException e) { // a bad value: picocli says so
            return Optional.empty();
        }
        RunOptionTable.setCommand(run, command);
        return Optional.of(new Parsed(run));
    }
}
