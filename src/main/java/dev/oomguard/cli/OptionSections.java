package dev.oomguard.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The option list of {@code oomguard run --help} in sections by task, instead of one long list.
 * The options stay plain {@code @Option} fields of {@link RunCommand} (watch shares them); this
 * only decides where each is shown. An option placed in no section is still shown, under
 * "Other options" ({@code OptionSectionsTest} asks for every option of run to be placed).
 */
final class OptionSections {
    private OptionSections() {
    }

    /** run's sections, in order: heading, then the options' longest names. */
    static final Map<String, List<String>> RUN = sections(
            "Levels and limits", List.of("--warn", "--checkpoint", "--stop", "--limit", "--memory-max", "--forecast-floor",
                    "--interval", "--warn-stall", "--stall-window"),
            "Actions", List.of("--stop-action", "--grace", "--pause-timeout", "--on-partial-oom", "--on-stall",
                    "--allow-partial", "--preserve-status", "--keep-orphans", "--no-reraise", "--dry-run", "--notify"),
            "Checkpoint", List.of("--checkpoint-signal", "--on-checkpoint", "--checkpoint-lead", "--checkpoint-reserve",
                    "--checkpoint-timeout"),
            "Outputs", List.of("--record", "--summary-json", "--html", "--prom-textfile", "--prom-interval", "--name",
                    "--verbose"),
            "Cron and locking", List.of("--quiet", "--log", "--lock", "--lock-wait"),
            "Terminal", List.of("--title", "--status"),
            "Help", List.of("--help", "--version"));

    private static Map<String, List<String>> sections(Object... headingsAndNames) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < headingsAndNames.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) headingsAndNames[i + 1];
            map.put((String) headingsAndNames[i], List.copyOf(names));
        }
        return java.util.Collections.unmodifiableMap(map);
    }

    /** Shows {@code cmd}'s options in {@code sections} (run's: {@link #RUN}). */
    static void install(CommandLine cmd, Map<String, List<String>> sections) {
        cmd.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
        cmd.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST,
                help -> render(help, sections));
    }

    /** The options of {@code spec} that no section names, by their longest name. */
    static List<String> unplaced(CommandSpec spec, Map<String, List<String>> sections) {
        Set<String> placed = new LinkedHashSet<>();
        sections.values().forEach(placed::addAll);
        List<String> rest = new ArrayList<>();
        for (OptionSpec option : spec.options()) {
            if (!option.hidden() && !placed.contains(option.longestName())) {
                rest.add(option.longestName());
            }
        }
        return rest;
    }

    private static String render(Help help, Map<String, List<String>> sections) {
        CommandSpec spec = help.commandSpec();
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<String>> section : sections.entrySet()) {
            List<OptionSpec> options = section.getValue().stream().map(spec::findOption).filter(Objects::nonNull)
                    .filter(o -> !o.hidden()).toList();
            append(out, help, section.getKey(), options);
        }
        List<OptionSpec> rest = unplaced(spec, sections).stream().map(spec::findOption).toList();
        append(out, help, "Other options", rest);
        return out.toString();
    }

    private static void append(StringBuilder out, Help help, String heading, List<OptionSpec> options) {
        if (options.isEmpty()) {
            return;
        }
        Help.Layout layout = help.createDefaultLayout();
        layout.addOptions(options, help.parameterLabelRenderer());
        out.append(String.format("%n%s:%n", heading)).append(layout);
    }
}
