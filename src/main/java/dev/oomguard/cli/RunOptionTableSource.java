package dev.oomguard.cli;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Writes {@code RunOptionTable.java} from picocli's model of the subcommands: what {@link RunFastPath}
 * and the configuration need to parse a plain {@code oomguard run} without loading picocli (the
 * options' names, defaults, converters and fields), so that the annotations stay the one definition.
 * Run by {@code Docs --run-option-table FILE}; {@code RunOptionTableTest} fails when the file is stale.
 */
final class RunOptionTableSource {
    private RunOptionTableSource() {
    }

    static final Path FILE = Path.of("src/main/java/dev/oomguard/cli/RunOptionTable.java");
    static final String REGENERATE = "mvn -q -B package -DskipTests && java -cp target/oomguard.jar"
            + " dev.oomguard.cli.Docs --run-option-table " + FILE;

    /** How each converter's text becomes a value without picocli: the static method it calls. */
    private static final Map<Class<?>, String> CONVERSIONS = Map.of(
            Converters.Size.class, "Converters.size",
            Converters.Level.class, "Converters.level",
            Converters.SignalName.class, "Converters.signal",
            DurationConverter.class, "Converters.duration");

    /** The source of {@code RunOptionTable}. */
    static String source() {
        Map<String, CommandSpec> specs = new LinkedHashMap<>();
        for (String name : Commands.configurable()) {
            specs.put(name, Commands.spec(name));
        }
        CommandSpec run = specs.get("run");
        agreeAcrossCommands(specs);
        StringBuilder j = new StringBuilder();
        j.append("package dev.oomguard.cli;\n\n");
        j.append("import java.nio.file.Path;\nimport java.util.ArrayList;\nimport java.util.List;\n"
                + "import java.util.Map;\nimport java.util.Optional;\n\n");
        j.append("/**\n * Generated from picocli's model of the subcommands by {@link RunOptionTableSource}; do not edit.\n"
                + " * Regenerate with: " + REGENERATE + "\n"
                + " * <p>\n * The options of the configurable subcommands, and how each option of {@code run} is set:\n"
                + " * converted as its picocli converter converts, into the field picocli sets.\n */\n");
        j.append("final class RunOptionTable implements ConfigSettings.Options {\n");
        j.append("    /** The subcommands a configuration file may name. */\n");
        j.append("    static final List<String> CONFIGURABLE = List.of(")
                .append(String.join(", ", specs.keySet().stream().map(RunOptionTableSource::quoted).toList()))
                .append(");\n\n");
        for (Map.Entry<String, CommandSpec> e : specs.entrySet()) {
            j.append("    private static final Map<String, ConfigSettings.Option> ").append(constant(e.getKey()))
                    .append(" = Map.ofEntries(\n");
            List<String> entries = new ArrayList<>();
            for (OptionSpec o : e.getValue().options()) {
                ConfigSettings.Option f = ConfigDefaults.facts(o);
                for (String n : o.names()) {
                    entries.add("            Map.entry(" + quoted(n) + ", new ConfigSettings.Option(" + quoted(f.longestName())
                            + ", " + f.flag() + ", " + f.help() + ", " + quoted(f.paramLabel()) + "))");
                }
            }
            j.append(String.join(",\n", entries)).append(");\n\n");
        }
        j.append("    /** {@code run}'s options that are settings (not help), by longest name, in the model's order. */\n");
        j.append("    static final List<String> RUN_SETTINGS = List.of(\n");
        List<String> settings = run.options().stream().filter(o -> !HelpOptions.isHelp(o))
                .map(o -> "            " + quoted(o.longestName())).toList();
        j.append(String.join(",\n", settings)).append(");\n\n");
        j.append("    /** {@code run}'s built-in defaults (the annotations'), by longest name. */\n");
        j.append("    static final Map<String, String> RUN_DEFAULTS = Map.ofEntries(\n");
        List<String> defaults = run.options().stream().filter(o -> !HelpOptions.isHelp(o) && o.defaultValue() != null)
                .map(o -> "            Map.entry(" + quoted(o.longestName()) + ", " + quoted(o.defaultValue()) + ")")
                .toList();
        j.append(String.join(",\n", defaults)).append(");\n\n");
        j.append("    @Override\n    public Optional<ConfigSettings.Option> option(String command, String name) {\n"
                + "        return Optional.ofNullable(options(command).get(name));\n    }\n\n");
        j.append("    @Override\n    public Optional<ConfigSettings.Option> anyOption(String name) {\n"
                + "        return CONFIGURABLE.stream().map(c -> options(c).get(name)).filter(o -> o != null).findFirst();\n"
                + "    }\n\n");
        j.append("    private static Map<String, ConfigSettings.Option> options(String command) {\n"
                + "        return switch (command) {\n");
        for (String name : specs.keySet()) {
            j.append("            case ").append(quoted(name)).append(" -> ").append(constant(name)).append(";\n");
        }
        j.append("            default -> Map.of();\n        };\n    }\n\n");
        Map<Class<?>, String> paths = new LinkedHashMap<>();
        List<String> creation = new ArrayList<>();
        mixins(RunCommand.class, "run", paths, creation);
        j.append("    /** A {@code run} command with its mixins, its fields as picocli finds them before parsing. */\n");
        j.append("    static RunCommand newRun(Console console, Ending ending) {\n");
        j.append("        RunCommand run = new RunCommand(console, ending);\n");
        creation.forEach(c -> j.append("        ").append(c).append("\n"));
        j.append("        return run;\n    }\n\n");
        j.append("    /** Sets {@code run}'s COMMAND as picocli does. */\n");
        j.append("    static void setCommand(RunCommand run, List<String> words) {\n");
        j.append("        ").append(positional(run, paths)).append(" = new ArrayList<>(words);\n    }\n\n");
        j.append("    /**\n     * Sets {@code run}'s option (longest name) from its text, converted as its picocli converter converts\n"
                + "     * (bad text: an {@link IllegalArgumentException}).\n     */\n");
        j.append("    static void set(RunCommand run, String option, String text) {\n        switch (option) {\n");
        for (OptionSpec o : run.options()) {
            if (!HelpOptions.isHelp(o)) {
                j.append("            case ").append(quoted(o.longestName())).append(" -> ").append(field(o, paths))
                        .append(" = ").append(conversion(o)).append(";\n");
            }
        }
        j.append("            default -> throw new IllegalArgumentException(\"no option \" + option);\n        }\n    }\n\n");
        j.append("    /** picocli's conversion of a boolean: true or false, in any case. */\n");
        j.append("    private static boolean flag(String text) {\n"
                + "        if (!text.equalsIgnoreCase(\"true\") && !text.equalsIgnoreCase(\"false\")) {\n"
                + "            throw new IllegalArgumentException(\"not a boolean: \" + text);\n        }\n"
                + "        return Boolean.parseBoolean(text);\n    }\n}\n");
        return j.toString();
    }

    /**
     * An option name means the same kind of option (flag or not, help or not) in every subcommand:
     * the table's {@code anyOption} takes the first subcommand that has it, as the model's may take another.
     */
    private static void agreeAcrossCommands(Map<String, CommandSpec> specs) {
        Map<String, String> kinds = new LinkedHashMap<>();
        specs.forEach((command, spec) -> spec.options().forEach(o -> {
            ConfigSettings.Option f = ConfigDefaults.facts(o);
            for (String n : o.names()) {
                String kind = f.flag() + "/" + f.help();
                String before = kinds.putIfAbsent(n, kind);
                if (before != null && !before.equals(kind)) {
                    throw new IllegalStateException(n + " is a flag in one subcommand and takes a value in another"
                            + " (or is help in one only): configuration cannot tell which it is");
                }
            }
        }));
    }

    /** The statements that make {@code type}'s mixins, and each mixin class's path from {@code run}. */
    private static void mixins(Class<?> type, String path, Map<Class<?>, String> paths, List<String> creation) {
        if (paths.put(type, path) != null) {
            throw new IllegalStateException(type + " is mixed in twice: the table cannot tell them apart");
        }
        for (Field f : type.getDeclaredFields()) {
            if (f.isAnnotationPresent(Mixin.class)) {
                requireSettable(f);
                String sub = path + "." + f.getName();
                creation.add(sub + " = new " + f.getType().getSimpleName() + "();");
                mixins(f.getType(), sub, paths, creation);
            }
        }
    }

    private static String field(CommandLine.Model.ArgSpec arg, Map<Class<?>, String> paths) {
        if (!(arg.userObject() instanceof Field f)) {
            throw new IllegalStateException(arg + " is not a field: the table sets fields only");
        }
        requireSettable(f);
        return Objects.requireNonNull(paths.get(f.getDeclaringClass()), () -> f + " is not in run or its mixins")
                + "." + f.getName();
    }

    private static void requireSettable(Field f) {
        if (Modifier.isPrivate(f.getModifiers()) || Modifier.isFinal(f.getModifiers())
                || !f.getDeclaringClass().getPackageName().equals(RunOptionTableSource.class.getPackageName())) {
            throw new IllegalStateException(f + " must be a non-final, non-private field of package cli");
        }
    }

    private static String positional(CommandSpec run, Map<Class<?>, String> paths) {
        List<PositionalParamSpec> all = run.positionalParameters();
        if (all.size() != 1 || all.get(0).arity().min() != 1 || !all.get(0).arity().isUnspecified()
                && all.get(0).arity().max() != Integer.MAX_VALUE || all.get(0).type() != List.class) {
            throw new IllegalStateException("run's positional parameters changed (the table knows one COMMAND 1..*)");
        }
        return field(all.get(0), paths);
    }

    private static String conversion(OptionSpec o) {
        Class<?> type = o.type();
        if (o.converters().length > 0) {
            String method = CONVERSIONS.get(o.converters()[0].getClass());
            if (method == null) {
                throw new IllegalStateException(o.longestName() + "'s converter " + o.converters()[0].getClass()
                        + " has no conversion here: add it to RunOptionTableSource.CONVERSIONS");
            }
            return method + "(text)";
        }
        if (type == boolean.class && o.arity().max() == 0) {
            return "flag(text)";
        }
        if (type == String.class) {
            return "text";
        }
        if (type == Path.class) {
            return "Path.of(text)";
        }
        throw new IllegalStateException(o.longestName() + " has a type the table cannot convert: " + type);
    }

    private static String constant(String command) {
        return command.toUpperCase(java.util.Locale.ROOT);
    }

    private static String quoted(String s) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20 || c > 0x7e) {
                q.append(String.format("\\u%04x", (int) c));
            } else {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
