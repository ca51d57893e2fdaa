package dev.oomguard.cli;

import dev.oomguard.config.ConfigPlaces;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine;

/** What picocli makes of a command line (the reference the fast path must match), and a run's parsed state. */
final class PicocliRun {
    private PicocliRun() {
    }

    /** Picocli's run command for {@code full}, or empty when it would not run it (an error, help, version). */
    static Optional<RunCommand> parse(String[] full, ConfigPlaces places) {
        PrintWriter nowhere = new PrintWriter(new StringWriter());
        CommandLine cmd;
        try {
            cmd = Commands.create(nowhere, nowhere, new Ending(), Optional.of("run"), places);
        } catch (ExitException e) { // a configuration error
            return Optional.empty();
        }
        CommandLine.ParseResult parsed;
        try {
            parsed = cmd.parseArgs(full);
        } catch (CommandLine.ParameterException e) {
            return Optional.empty();
        }
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested() || p.hasMatchedOption(HelpOptions.SHORT)) {
                return Optional.empty();
            }
        }
        if (parsed.subcommand() == null || !parsed.subcommand().commandSpec().name().equals("run")) {
            return Optional.empty();
        }
        return Optional.of((RunCommand) parsed.subcommand().commandSpec().userObject());
    }

    /** Every option and parameter field of {@code run} and its mixins, by path ("guard.levels.warn"), with its value. */
    static Map<String, Object> state(RunCommand run) {
        Map<String, Object> state = new LinkedHashMap<>();
        collect(run, "", state);
        return state;
    }

    private static void collect(Object object, String path, Map<String, Object> state) {
        for (Field f : object.getClass().getDeclaredFields()) {
            try {
                if (f.isAnnotationPresent(CommandLine.Mixin.class)) {
                    f.setAccessible(true);
                    Object mixin = f.get(object);
                    state.put(path + f.getName() + " (mixin made)", mixin != null);
                    if (mixin != null) {
                        collect(mixin, path + f.getName() + ".", state);
                    }
                } else if (f.isAnnotationPresent(CommandLine.Option.class)
                        || f.isAnnotationPresent(CommandLine.Parameters.class)) {
                    f.setAccessible(true);
                    state.put(path + f.getName(), f.get(object));
                }
            } catch (IllegalAccessException e) {
                throw new AssertionError(e);
            }
        }
    }
}
