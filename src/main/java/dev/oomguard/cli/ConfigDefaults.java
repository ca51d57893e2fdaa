package dev.oomguard.cli;

import dev.oomguard.config.ConfigFile;
import dev.oomguard.config.ConfigPlaces;
import dev.oomguard.config.Words;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Defaults from the environment and configuration files, for every option of every subcommand,
 * found through picocli's model (never a hand-kept list). Precedence, highest first: the command
 * line (picocli asks a default provider only for options it did not match), {@code OOMGUARD_OPTS},
 * the user's file, the system's file, the option's built-in default. In a file, a {@code [run]}
 * section's setting beats the same setting outside any section. Every setting is checked when it is
 * loaded; a wrong one is an {@link ExitException} naming the file and line.
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    /** Where a value came from. */
    public static final String COMMAND_LINE = "command line";
    public static final String DEFAULT = "default";

    /** A configured value and its source: {@code OOMGUARD_OPTS} or {@code FILE:LINE}. */
    public record Setting(String value, String source) {
    }

    /** A configuration file and what became of it: read, not found, or unreadable. */
    public record FileState(Path path, String state) {
    }

    private final Map<String, Map<String, Setting>> byCommand;
    private final List<FileState> files;
    private final List<String> warnings;

    private ConfigDefaults(Map<String, Map<String, Setting>> byCommand, List<FileState> files, List<String> warnings) {
        this.byCommand = byCommand;
        this.files = files;
        this.warnings = warnings;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || HelpOptions.isHelp(option)) {
            return null;
        }
        return setting(option.command().name(), option.longestName()).map(Setting::value).orElse(null);
    }

    /** The configured setting of an option (by its longest name, e.g. {@code --warn}) for a subcommand. */
    public Optional<Setting> setting(String command, String longestName) {
        return Optional.ofNullable(byCommand.getOrDefault(command, Map.of()).get(longestName));
    }

    public List<FileState> files() {
        return files;
    }

    /** Problems that did not stop oomguard (an unreadable file), one line each. */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * Loads the settings for these subcommands. {@code specs} gives the model of any subcommand by
     * name (built on demand: a setting outside any section may belong to a subcommand not in use).
     */
    public static ConfigDefaults load(ConfigPlaces places, Collection<String> commands, List<String> allCommands,
            Function<String, CommandSpec> specs) {
        Models models = new Models(allCommands, specs);
        Map<String, Map<String, Setting>> byCommand = new LinkedHashMap<>();
        commands.forEach(c -> byCommand.put(c, new LinkedHashMap<>()));
        List<FileState> files = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<Path> paths = new ArrayList<>();
        paths.add(places.systemFile());
        places.userFile().ifPresent(paths::add);
        for (Path path : paths) { // lowest precedence first; later ones override
            Optional<String> text = read(path, files, warnings);
            if (text.isPresent()) {
                applyFile(path, text.get(), models, byCommand);
            }
        }
        places.opts().ifPresent(opts -> applyOpts(opts, models, byCommand));
        return new ConfigDefaults(byCommand, List.copyOf(files), List.copyOf(warnings));
    }

    private static Optional<String> read(Path path, List<FileState> files, List<String> warnings) {
        try {
            String text = Files.readString(path);
            files.add(new FileState(path, "read"));
            return Optional.of(text);
        } catch (NoSuchFileException e) {
            files.add(new FileState(path, "not found"));
        } catch (IOException e) {
            if (e instanceof java.nio.file.AccessDeniedException && !Files.exists(path)) {
                // A directory on the way cannot be searched (another user's HOME, say): as good as absent.
                files.add(new FileState(path, "not found (a directory on its path cannot be searched)"));
                return Optional.empty();
            }
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (e instanceof java.nio.charset.CharacterCodingException) {
                why = "not UTF-8 text";
            } else if (e instanceof java.nio.file.AccessDeniedException) {
                why = "permission denied";
            }
            files.add(new FileState(path, "unreadable (" + why + ")"));
            warnings.add("cannot read the configuration file " + path + " (" + why + "); its settings are not used");
        }
        return Optional.empty();
    }

    private static void applyFile(Path path, String text, Models models, Map<String, Map<String, Setting>> byCommand) {
        List<ConfigFile.Entry> entries;
        try {
            entries = ConfigFile.parse(models.names(), text);
        } catch (ConfigFile.SyntaxError e) {
            throw bad(path + ":" + e.line() + ": " + e.getMessage());
        }
        // Outside any section first, so that a section's setting in the same file wins.
        List<ConfigFile.Entry> ordered = new ArrayList<>(entries.stream().filter(e -> e.section().isEmpty()).toList());
        ordered.addAll(entries.stream().filter(e -> e.section().isPresent()).toList());
        for (ConfigFile.Entry entry : ordered) {
            String where = path + ":" + entry.line();
            String name = "--" + entry.key();
            List<String> targets;
            if (entry.section().isPresent()) {
                String section = entry.section().get();
                if (models.option(section, name).isEmpty()) {
                    throw bad(where + ": 'oomguard " + section + "' has no option " + name
                            + " (see 'oomguard " + section + " --help')");
                }
                targets = List.of(section);
            } else {
                if (models.anyOption(name).isEmpty()) {
                    throw bad(where + ": unknown option '" + entry.key() + "' (see 'oomguard run --help')");
                }
                targets = new ArrayList<>(byCommand.keySet());
            }
            OptionSpec option = models.anyOption(name).orElseThrow();
            String value = checked(option, entry.value(), where + ": " + entry.key());
            for (String command : targets) {
                if (byCommand.containsKey(command)) {
                    models.option(command, name).ifPresent(o -> byCommand.get(command)
                            .put(o.longestName(), new Setting(value, where)));
                }
            }
        }
    }

    private static void applyOpts(String opts, Models models, Map<String, Map<String, Setting>> byCommand) {
        String var = ConfigPlaces.OPTS_VARIABLE;
        List<String> words;
        try {
            words = Words.split(opts);
        } catch (IllegalArgumentException e) {
            throw bad(var + ": " + e.getMessage());
        }
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!word.startsWith("-") || word.equals("--") || word.equals("-")) {
                throw bad(var + " holds options only, not '" + word + "' (e.g. " + var + "='--warn 70% --quiet')");
            }
            String name = word;
            String inline = null;
            int eq = word.indexOf('=');
            if (word.startsWith("--") && eq > 0) {
                name = word.substring(0, eq);
                inline = word.substring(eq + 1);
            }
            final String optionName = name;
            OptionSpec option = models.anyOption(name).orElseThrow(() -> bad(var + ": unknown option '" + optionName
                    + "' (see 'oomguard run --help')"));
            String value;
            if (option.arity().max() == 0) {
                value = inline == null ? "true" : inline;
            } else if (inline != null) {
                value = inline;
            } else if (i + 1 < words.size()) {
                value = words.get(++i);
            } else {
                throw bad(var + ": " + name + " needs a value (e.g. " + var + "='" + name + " " + option.paramLabel() + "')");
            }
            value = checked(option, value, var + ": " + name);
            for (String command : byCommand.keySet()) {
                String v = value;
                models.option(command, name).ifPresent(o -> byCommand.get(command).put(o.longestName(),
                        new Setting(v, var)));
            }
        }
    }

    /** Flags take true or false; help and version are not settings. */
    private static String checked(OptionSpec option, String value, String where) {
        if (HelpOptions.isHelp(option)) {
            throw bad(where + ": " + option.longestName() + " cannot be configured");
        }
        if (option.arity().max() == 0) {
            String v = value.toLowerCase(Locale.ROOT);
            if (!v.equals("true") && !v.equals("false")) {
                throw bad(where + ": '" + value + "' is not true or false (" + option.longestName() + " is a flag)");
            }
            return v;
        }
        return value;
    }

    private static ExitException bad(String message) {
        return ExitException.invalidInput(message);
    }

    /** The models of the subcommands, built when first needed. */
    private static final class Models {
        private final List<String> names;
        private final Function<String, CommandSpec> specs;
        private final Map<String, CommandSpec> built = new HashMap<>();

        Models(List<String> names, Function<String, CommandSpec> specs) {
            this.names = names;
            this.specs = specs;
        }

        List<String> names() {
            return names;
        }

        Optional<OptionSpec> option(String command, String name) {
            return Optional.ofNullable(built.computeIfAbsent(command, specs).findOption(name));
        }

        Optional<OptionSpec> anyOption(String name) {
            for (String command : names) {
                Optional<OptionSpec> o = Optional.ofNullable(built.get(command)).map(s -> s.findOption(name));
                if (o.isPresent()) {
                    return o;
                }
            }
            for (String command : names) {
                Optional<OptionSpec> o = option(command, name);
                if (o.isPresent()) {
                    return o;
                }
            }
            return Optional.empty();
        }
    }
}
