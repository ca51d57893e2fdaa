package dev.oomguard.cli;

import dev.oomguard.config.ConfigPlaces;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
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
 * loaded ({@link ConfigSettings}); a wrong one is an {@link ExitException} naming the file and line.
 */
public final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    /** Where a value came from. */
    public static final String COMMAND_LINE = "command line";
    public static final String DEFAULT = "default";

    private final ConfigSettings settings;

    private ConfigDefaults(ConfigSettings settings) {
        this.settings = settings;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!(arg instanceof OptionSpec option) || HelpOptions.isHelp(option)) {
            return null;
        }
        return setting(option.command().name(), option.longestName()).map(ConfigSettings.Setting::value).orElse(null);
    }

    /** The configured setting of an option (by its longest name, e.g. {@code --warn}) for a subcommand. */
    public Optional<ConfigSettings.Setting> setting(String command, String longestName) {
        return settings.setting(command, longestName);
    }

    public List<ConfigSettings.FileState> files() {
        return settings.files();
    }

    /** Problems that did not stop oomguard (an unreadable file), one line each. */
    public List<String> warnings() {
        return settings.warnings();
    }

    /**
     * Loads the settings for these subcommands. {@code specs} gives the model of any subcommand by
     * name (built on demand: a setting outside any section may belong to a subcommand not in use).
     */
    public static ConfigDefaults load(ConfigPlaces places, Collection<String> commands, List<String> allCommands,
            Function<String, CommandSpec> specs) {
        return new ConfigDefaults(ConfigSettings.load(places, commands, allCommands, new Models(allCommands, specs)));
    }

    /** What configuration needs to know of an option, from its model. */
    static ConfigSettings.Option facts(OptionSpec o) {
        return new ConfigSettings.Option(o.longestName(), o.arity().max() == 0, HelpOptions.isHelp(o), o.paramLabel());
    }

    /** The models of the subcommands, built when first needed. */
    private static final class Models implements ConfigSettings.Options {
        private final List<String> names;
        private final Function<String, CommandSpec> specs;
        private final Map<String, CommandSpec> built = new HashMap<>();

        Models(List<String> names, Function<String, CommandSpec> specs) {
            this.names = names;
            this.specs = specs;
        }

        @Override
        public Optional<ConfigSettings.Option> option(String command, String name) {
            return Optional.ofNullable(built.computeIfAbsent(command, specs).findOption(name)).map(ConfigDefaults::facts);
        }

        @Override
        public Optional<ConfigSettings.Option> anyOption(String name) {
            for (String command : names) {
                Optional<OptionSpec> o = Optional.ofNullable(built.get(command)).map(s -> s.findOption(name));
                if (o.isPresent()) {
                    return o.map(ConfigDefaults::facts);
                }
            }
            for (String command : names) {
                Optional<ConfigSettings.Option> o = option(command, name);
                if (o.isPresent()) {
                    return o;
                }
            }
            return Optional.empty();
        }
    }
}
