package dev.oomguard.cli;

import java.util.ArrayList;
import java.util.Collections;
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
import picocli.CommandLine.Model.UsageMessageSpec;

/**
 * How every command's help is laid out. Each option is one line: the first line of its
 * description (the rest is the long form, for the man page and docs/options.md). {@code run} and
 * {@code watch} show their options in sections by task instead of one long list; an option placed
 * in no section is still shown, under "Other options" ({@code OptionSectionsTest} asks for every
 * option to be placed). {@code -h} shows the short form: usage and options, and where to read more.
 */
final class OptionSections {
    private OptionSections() {
    }

    /** The widest option column; a wider option (with its label) puts its description on the next line. */
    static final int OPTION_COLUMN = 29;

    private static final List<String> LEVELS = List.of("--warn", "--checkpoint", "--stop", "--limit", "--forecast-floor",
            "--interval", "--warn-stall", "--stall-window");
    private static final List<String> ACTIONS = List.of("--stop-action", "--grace", "--pause-timeout",
            "--on-partial-oom", "--on-stall", "--allow-partial", "--notify");
    private static final List<String> CHECKPOINT = List.of("--checkpoint-signal", "--on-checkpoint",
            "--checkpoint-lead", "--checkpoint-reserve", "--checkpoint-timeout");
    private static final List<String> OUTPUTS = List.of("--record", "--summary-json", "--html", "--prom-textfile",
            "--prom-interval");
    private static final List<String> TERMINAL = List.of("--title", "--status");
    private static final List<String> HELP = List.of("-h", "--help", "--version");

    /** run's sections, in order: heading, then the options' longest names. */
    static final Map<String, List<String>> RUN = sections(
            "Levels and limits", join(LEVELS, List.of("--memory-max")),
            "Actions", join(ACTIONS, List.of("--preserve-status", "--keep-orphans", "--no-reraise", "--dry-run")),
            "Checkpoint", CHECKPOINT,
            "Outputs", join(OUTPUTS, List.of("--name", "--verbose")),
            "Cron and locking", List.of("--quiet", "--log", "--lock", "--lock-wait"),
            "Terminal", TERMINAL,
            "Help", HELP);

    /** watch's sections: the job to watch, then run's, less what only run has. */
    static final Map<String, List<String>> WATCH = sections(
            "The job", List.of("--pid", "--name", "--act"),
            "Levels and limits", LEVELS,
            "Actions", ACTIONS,
            "Checkpoint", CHECKPOINT,
            "Outputs", join(OUTPUTS, List.of("--verbose", "--quiet")),
            "Terminal", TERMINAL,
            "Help", HELP);

    private static List<String> join(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private static Map<String, List<String>> sections(Object... headingsAndNames) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (int i = 0; i < headingsAndNames.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<String> names = (List<String>) headingsAndNames[i + 1];
            map.put((String) headingsAndNames[i], List.copyOf(names));
        }
        return Collections.unmodifiableMap(map);
    }

    /** Lays out {@code cmd}'s help: one line an option, in {@code sections} when there are any. */
    static void install(CommandLine cmd, Map<String, List<String>> sections) {
        cmd.getCommandSpec().usageMessage().longOptionsMaxWidth(OPTION_COLUMN);
        Map<String, CommandLine.IHelpSectionRenderer> map = cmd.getHelpSectionMap();
        map.put(UsageMessageSpec.SECTION_KEY_HEADER, help -> ""); // a subcommand's line in the list of commands
        CommandLine.IHelpSectionRenderer parameters = map.get(UsageMessageSpec.SECTION_KEY_PARAMETER_LIST);
        CommandLine.IHelpSectionRenderer options = map.get(UsageMessageSpec.SECTION_KEY_OPTION_LIST);
        map.put(UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, help -> parameters.render(oneLine(help)));
        if (sections.isEmpty()) {
            map.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> options.render(oneLine(help)));
        } else { // the usage line names the parameters: the sections keep the help to one screen
            map.put(UsageMessageSpec.SECTION_KEY_PARAMETER_LIST, help -> "");
            map.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, help -> "");
            map.put(UsageMessageSpec.SECTION_KEY_OPTION_LIST, help -> render(oneLine(help), sections));
        }
        for (String key : List.of(UsageMessageSpec.SECTION_KEY_DESCRIPTION_HEADING,
                UsageMessageSpec.SECTION_KEY_DESCRIPTION, UsageMessageSpec.SECTION_KEY_FOOTER_HEADING,
                UsageMessageSpec.SECTION_KEY_FOOTER)) {
            CommandLine.IHelpSectionRenderer full = map.get(key);
            if (full != null) {
                map.put(key, help -> HelpOptions.shortAsked(help.commandSpec()) ? "" : full.render(help));
            }
        }
        List<String> keys = new ArrayList<>(cmd.getHelpSectionKeys());
        if (!keys.contains(MORE)) {
            keys.add(MORE);
            cmd.setHelpSectionKeys(keys);
        }
        map.put(MORE, OptionSections::more);
    }

    private static final String MORE = "oomguardMore";

    /** After the short help: where the rest is. */
    private static String more(Help help) {
        if (!HelpOptions.shortAsked(help.commandSpec())) {
            return "";
        }
        CommandSpec spec = help.commandSpec();
        String helpCommand = spec.parent() == null ? "oomguard help" : "oomguard help " + spec.name();
        return String.format("%nExamples and exit statuses: '%s --help' (or '%s').%nEvery option in full: man oomguard,"
                + " docs/options.md.%n", spec.qualifiedName(), helpCommand);
    }

    /** The same help, each option and parameter shown with the first line of its description only. */
    private static Help oneLine(Help help) {
        Help.IOptionRenderer options = help.createDefaultOptionRenderer();
        Help.IParameterRenderer parameters = help.createDefaultParameterRenderer();
        return new Help(help.commandSpec(), help.colorScheme()) {
            @Override
            public IOptionRenderer createDefaultOptionRenderer() {
                return (option, labels, scheme) -> firstRow(options.render(option, labels, scheme));
            }

            @Override
            public IParameterRenderer createDefaultParameterRenderer() {
                return (param, labels, scheme) -> firstRow(parameters.render(param, labels, scheme));
            }
        };
    }

    private static Help.Ansi.Text[][] firstRow(Help.Ansi.Text[][] rows) {
        return rows.length <= 1 ? rows : new Help.Ansi.Text[][] {rows[0]};
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
