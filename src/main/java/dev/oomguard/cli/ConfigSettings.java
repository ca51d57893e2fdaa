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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of the environment and the configuration files, by subcommand and option (longest
 * name), checked as they are loaded (a wrong one is an {@link ExitException} naming the file and
 * line). Knows the options only through {@link Options}: picocli's model ({@link ConfigDefaults}) or
 * the table generated from it ({@link RunOptionTable}), so that a plain run loads no picocli class.
 */
public final class ConfigSettings {
    /** A configured value and its source: {@code OOMGUARD_OPTS} or {@code FILE:LINE}. */
    public record Setting(String value, String source) {
    }

    /** A configuration file and what became of it: read, not found, or unreadable. */
    public record FileState(Path path, String state) {
    }

    /** What configuration needs to know of an option. */
    record Option(String longestName, boolean flag, boolean help, String paramLabel) {
    }

    /** The options of the subcommands, by any of their names. */
    interface Options {
        /** The option {@code name} of subcommand {@code command}. */
        Optional<Option> option(String command, String name);

        /** The option {@code name} of any subcommand. */
        Optional<Option> anyOption(String name);
    }

    private final Map<String, Map<String, Setting>> byCommand;
    private final List<FileState> files;
    private final List<String> warnings;

    private ConfigSettings(Map<String, Map<String, Setting>> byCommand, List<FileState> files, List<String> warnings) {
        this.byCommand = byCommand;
        this.files = files;
        this.warnings = warnings;
    }

    /** The configured setting of an option (by its longest name, e.g. {@code --warn}) for a subcommand. */
    public Optional<Setting> setting(String command, String longestName) {
        return Optional.ofNullable(byCommand.getOrDefault(command, Map.of()).get(longestName));
    }

    /** The settings of a subcommand, by longest option name. */
    Map<String, Setting> settings(String command) {
        return byCommand.getOrDefault(command, Map.of());
    }

    public List<FileState> files() {
        return files;
    }

    /** Problems that did not stop oomguard (an unreadable file), one line each. */
    public List<String> warnings() {
        return warnings;
    }

    /** Loads the settings for these subcommands; {@code sections} are the subcommands a file may name. */
    static ConfigSettings load(ConfigPlaces places, Collection<String> commands, List<String> sections,
            Options options) {
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
                applyFile(path, text.get(), sections, options, byCommand);
            }
        }
        places.opts().ifPresent(opts -> applyOpts(opts, options, byCommand));
        return new ConfigSettings(byCommand, List.copyOf(files), List.copyOf(warnings));
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

    private static void applyFile(Path path, String text, List<String> sections, Options options,
            Map<String, Map<String, Setting>> byCommand) {
        List<ConfigFile.Entry> entries;
        try {
            entries = ConfigFile.parse(sections, text);
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
                if (options.option(section, name).isEmpty()) {
                    throw bad(where + ": 'oomguard " + section + "' has no option " + name
                            + " (see 'oomguard " + section + " --help')");
                }
                targets = List.of(section);
            } else {
                if (options.anyOption(name).isEmpty()) {
                    throw bad(where + ": unknown option '" + entry.key() + "' (see 'oomguard run --help')");
                }
                targets = new ArrayList<>(byCommand.keySet());
            }
            Option option = options.anyOption(name).orElseThrow();
            String value = checked(option, entry.value(), where + ": " + entry.key());
            for (String command : targets) {
                if (byCommand.containsKey(command)) {
                    options.option(command, name).ifPresent(o -> byCommand.get(command)
                            .put(o.longestName(), new Setting(value, where)));
                }
            }
        }
    }

    private static void applyOpts(String opts, Options options, Map<String, Map<String, Setting>> byCommand) {
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
            OptionWord split = OptionWord.of(word);
            String name = split.name();
            String inline = split.inline().orElse(null);
            Option option = options.anyOption(name).orElseThrow(() -> bad(var + ": unknown option '" + name
                    + "' (see 'oomguard run --help')"));
            String value;
            if (option.flag()) {
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
                options.option(command, name).ifPresent(o -> byCommand.get(command).put(o.longestName(),
                        new Setting(v, var)));
            }
        }
    }

    /** Flags take true or false; help and version are not settings. */
    private static String checked(Option option, String value, String where) {
        if (option.help()) {
            throw bad(where + ": " + option.longestName() + " cannot be configured");
        }
        if (option.flag()) {
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
}
