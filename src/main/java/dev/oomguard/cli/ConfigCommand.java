package dev.oomguard.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.oomguard.config.ConfigPlaces;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code oomguard config [--json] [COMMAND [OPTIONS...]]}: the effective settings of each subcommand
 * and where each came from, in the configuration file format (so it can be pasted into one).
 */
@Command(name = "config", sortOptions = false, header = "Show the effective settings and where each came from.",
        description = {"Prints the effective settings of each subcommand and where each came from: the command line, "
            + "OOMGUARD_OPTS, a configuration file and line, or the built-in default.",
            "With COMMAND and OPTIONS, shows what 'oomguard COMMAND OPTIONS' would use."})
public final class ConfigCommand implements Callable<Integer> {
    @Option(names = "--json", description = "Answer in JSON (schema oomguard.config/1).")
    boolean json;

    @Parameters(arity = "0..*", paramLabel = "COMMAND OPTIONS",
            description = {"Only this subcommand, with these options.",
                "Shows what 'oomguard COMMAND OPTIONS' would use: the options given here win, as on its command line."})
    List<String> words = new ArrayList<>();

    @Mixin
    HelpOptions help;

    private final Console console;
    private final ConfigPlaces places;

    public ConfigCommand(Console console, ConfigPlaces places) {
        this.console = console;
        this.places = places;
    }

    /** One option's effective value and its source. */
    record Row(String option, Optional<String> value, String source) {
    }

    @Override
    public Integer call() throws Exception {
        List<String> names = Commands.configurable();
        if (!words.isEmpty()) {
            if (!names.contains(words.get(0))) {
                throw ExitException.invalidInput("no subcommand '" + words.get(0) + "' (one of "
                        + String.join(", ", names) + ")");
            }
            names = List.of(words.get(0));
        }
        ConfigDefaults defaults = ConfigDefaults.load(places, names, Commands.configurable(), Commands::spec);
        defaults.warnings().forEach(console::say);
        Map<String, List<Row>> rows = new LinkedHashMap<>();
        for (String name : names) {
            List<String> args = words.isEmpty() ? List.of() : words.subList(1, words.size());
            rows.put(name, rows(name, args, defaults));
        }
        if (json) {
            console.out().println(json(defaults, rows));
        } else {
            console.out().print(text(defaults, rows));
        }
        console.out().flush();
        return 0;
    }

    private static List<Row> rows(String name, List<String> args, ConfigDefaults defaults) {
        CommandLine cmd = Commands.standalone(name, defaults);
        cmd.getCommandSpec().parser().collectErrors(true);
        CommandLine.ParseResult parsed = cmd.parseArgs(args.toArray(String[]::new));
        for (Exception e : parsed.errors()) {
            if (e instanceof CommandLine.MissingParameterException) {
                continue; // 'run' needs a COMMAND to run, not to show its settings
            }
            String at = e instanceof CommandLine.ParameterException p ? Commands.configuredAt(p) : "";
            throw ExitException.invalidInput(at + e.getMessage() + " (see 'oomguard " + name + " --help')");
        }
        List<Row> rows = new ArrayList<>();
        for (OptionSpec option : cmd.getCommandSpec().options()) {
            if (HelpOptions.isHelp(option)) {
                continue;
            }
            String key = option.longestName().replaceFirst("^-+", "");
            CommandLine.Model.OptionSpec matched = parsed.matchedOption(option.longestName());
            Optional<ConfigSettings.Setting> setting = defaults.setting(name, option.longestName());
            if (matched != null) {
                List<String> given = matched.originalStringValues();
                rows.add(new Row(key, Optional.of(given.isEmpty() ? "true" : given.get(given.size() - 1)),
                        ConfigDefaults.COMMAND_LINE));
            } else if (setting.isPresent()) {
                rows.add(new Row(key, Optional.of(setting.get().value()), setting.get().source()));
            } else if (option.defaultValue() != null) {
                rows.add(new Row(key, Optional.of(option.defaultValue()), ConfigDefaults.DEFAULT));
            } else if (option.arity().max() == 0) {
                rows.add(new Row(key, Optional.of("false"), ConfigDefaults.DEFAULT));
            } else {
                rows.add(new Row(key, Optional.empty(), "not set"));
            }
        }
        return rows;
    }

    private String text(ConfigDefaults defaults, Map<String, List<Row>> rows) {
        StringBuilder b = new StringBuilder();
        b.append("# oomguard's effective settings; after '#', where each came from.\n");
        b.append("# Precedence: command line, then ").append(ConfigPlaces.OPTS_VARIABLE)
                .append(places.opts().isPresent() ? " (set)" : " (not set)").append(", then");
        for (int i = defaults.files().size() - 1; i >= 0; i--) {
            ConfigSettings.FileState f = defaults.files().get(i);
            b.append(" ").append(f.path()).append(" (").append(f.state()).append("),");
        }
        b.append(" then the built-in default.\n");
        for (Map.Entry<String, List<Row>> command : rows.entrySet()) {
            b.append("\n[").append(command.getKey()).append("]\n");
            int width = command.getValue().stream().filter(r -> r.value().isPresent())
                    .mapToInt(r -> r.option().length() + 3 + r.value().get().length()).max().orElse(0);
            for (Row row : command.getValue()) {
                String line = row.value().map(v -> row.option() + " = " + quoted(v)).orElse("# " + row.option() + " =");
                b.append(line).append(" ".repeat(Math.max(1, width + 2 - line.length()))).append("# ")
                        .append(row.source()).append('\n');
            }
        }
        return b.toString();
    }

    /** As the file format reads it back: quoted when it has surrounding blanks or quotes. */
    private static String quoted(String value) {
        boolean needs = !value.equals(value.strip()) || value.startsWith("\"") || value.startsWith("'")
                || value.matches("(?s).*\\s#.*");
        return needs ? (value.contains("\"") ? "'" + value + "'" : "\"" + value + "\"") : value;
    }

    private String json(ConfigDefaults defaults, Map<String, List<Row>> rows) throws Exception {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("schema", "oomguard.config/1");
        doc.put(ConfigPlaces.OPTS_VARIABLE, places.opts().orElse(null));
        List<Map<String, Object>> files = new ArrayList<>();
        for (ConfigSettings.FileState f : defaults.files()) {
            Map<String, Object> file = new LinkedHashMap<>();
            file.put("path", f.path().toString());
            file.put("state", f.state());
            files.add(file);
        }
        doc.put("files", files);
        Map<String, Object> commands = new LinkedHashMap<>();
        rows.forEach((name, list) -> {
            List<Map<String, Object>> settings = new ArrayList<>();
            for (Row row : list) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("option", row.option());
                s.put("value", row.value().orElse(null));
                s.put("source", row.source());
                settings.add(s);
            }
            commands.put(name, settings);
        });
        doc.put("commands", commands);
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc);
    }
}
