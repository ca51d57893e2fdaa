package dev.oomguard.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The option reference of docs/options.md, made from the command definitions (each option's
 * description in full, its built-in default): the part of the page between {@link #BEGIN} and
 * {@link #END}. The rest of the page is written by hand.
 */
final class OptionsReference {
    private OptionsReference() {
    }

    static final String REGENERATE = "mvn -q -B package -DskipTests && java -cp target/oomguard.jar"
            + " dev.oomguard.cli.Docs --options docs/options.md";
    static final String BEGIN = "<!-- BEGIN the option reference, generated from the command definitions by: "
            + REGENERATE + " -->";
    static final String END = "<!-- END the option reference -->";

    /** {@code page} with its reference replaced by one made now. */
    static String rewrite(String page) {
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the page has no '" + BEGIN + "' ... '" + END + "' part");
        }
        return page.substring(0, begin) + BEGIN + "\n\n" + markdown() + "\n" + page.substring(end);
    }

    /** The reference part of {@code page}, as it is there (for the test that it is up to date). */
    static String current(String page) {
        int begin = page.indexOf(BEGIN);
        int end = page.indexOf(END);
        return begin < 0 || end < begin ? "" : page.substring(begin + BEGIN.length(), end).strip();
    }

    /** Every subcommand: its usage, description and options, run's and watch's in their sections. */
    static String markdown() {
        CommandLine top = Docs.model();
        StringBuilder md = new StringBuilder();
        for (String name : Commands.NAMES) {
            CommandSpec spec = top.getSubcommands().get(name).getCommandSpec();
            md.append("### oomguard ").append(name).append("\n\n");
            String synopsis = new Help(spec, Help.defaultColorScheme(Help.Ansi.OFF)).synopsis(0)
                    .replaceFirst("^Usage: ", "").stripTrailing();
            md.append(synopsis.lines().map(l -> "    " + l).reduce((a, b) -> a + "\n" + b).orElse("")).append("\n\n");
            for (String line : spec.usageMessage().description()) {
                md.append(line.replace("%%", "%")).append("\n\n");
            }
            Map<String, List<String>> sections = switch (name) {
                case "run" -> OptionSections.RUN;
                case "watch" -> OptionSections.WATCH;
                default -> Map.of("Options", spec.options().stream().map(OptionSpec::longestName).toList());
            };
            md.append("| option | meaning |\n|---|---|\n");
            for (PositionalParamSpec p : spec.positionalParameters()) {
                md.append(row(p.paramLabel(), Docs.description(p.description(), p.defaultValue())));
            }
            for (Map.Entry<String, List<String>> section : sections.entrySet()) {
                List<OptionSpec> options = section.getValue().stream().map(spec::findOption).filter(Objects::nonNull)
                        .filter(o -> !HelpOptions.isHelp(o)).toList();
                if (options.isEmpty()) {
                    continue;
                }
                if (sections.size() > 1) {
                    md.append("| **").append(section.getKey().toLowerCase(java.util.Locale.ROOT)).append("** | |\n");
                }
                for (OptionSpec o : options) {
                    md.append(row(head(o), Docs.description(o.description(), o.defaultValue())));
                }
            }
            md.append("\n");
        }
        return md.toString().stripTrailing() + "\n";
    }

    private static String head(OptionSpec o) {
        List<String> names = new ArrayList<>();
        for (String n : o.names()) {
            names.add("`" + n + (o.arity().max() > 0 && n.startsWith("--") ? " " + o.paramLabel() : "") + "`");
        }
        return String.join(", ", names);
    }

    private static String row(String head, String meaning) {
        return "| " + cell(head) + " | " + cell(meaning) + " |\n";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }
}
