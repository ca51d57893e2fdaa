package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** 'oomguard run --help' shows every option once, in its section, then examples and the exit statuses. */
class OptionSectionsTest {
    private static String help(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Commands.create(new PrintWriter(out, true), new PrintWriter(err, true), new Ending(),
                args.length > 1 ? Commands.needed(args) : Optional.empty());
        cmd.execute(args);
        return out.toString();
    }

    @Test
    void everyOptionOfRunAndWatchIsPlacedInASection() {
        assertThat(OptionSections.unplaced(Commands.spec("run"), OptionSections.RUN))
                .as("options of run in no section of OptionSections.RUN (add them where a reader would look)")
                .isEmpty();
        assertThat(OptionSections.unplaced(Commands.spec("watch"), OptionSections.WATCH))
                .as("options of watch in no section of OptionSections.WATCH").isEmpty();
    }

    @Test
    void runHelpFitsInSixtyLinesBeforeItsExamplesEachOptionOnOneLine() {
        String help = help("run", "--help");
        List<String> lines = help.lines().toList();
        int examples = lines.indexOf("Examples:");
        assertThat(examples).as(help).isPositive();
        assertThat(examples).as("lines before the examples of 'oomguard run --help'").isLessThanOrEqualTo(60);
        assertThat(lines).allSatisfy(l -> assertThat(l.length()).as(l).isLessThanOrEqualTo(80));
        // An option's description on one line: no line of the option list is a continuation of a description.
        // (An option wider than its column has its description on the next line, still one line.)
        int column = lines.stream().filter(l -> l.startsWith("      --warn=")).findFirst().orElseThrow().indexOf("Warn at");
        for (int i = 1; i < examples; i++) {
            String before = lines.get(i - 1);
            boolean described = before.length() > column && before.charAt(column - 1) == ' ';
            boolean continued = lines.get(i).startsWith("        ") && described;
            assertThat(continued).as("a description on two lines: %s%n%s", lines.get(i - 1), lines.get(i)).isFalse();
        }
        // The long form is the reference's, not the help's.
        assertThat(help).contains("Warn at this level (default: 80%).").doesNotContain("a bare number is refused");
    }

    @Test
    void dashHShowsTheShortFormUsageAndOptionsThenWhereTheRestIs() {
        String full = help("run", "--help");
        String brief = help("run", "-h");
        assertThat(brief).startsWith("Usage: oomguard [run] [OPTIONS]");
        for (String heading : OptionSections.RUN.keySet()) {
            assertThat(brief).contains("\n" + heading + ":\n");
        }
        assertThat(brief).doesNotContain("Examples:").doesNotContain("Exit status:")
                .doesNotContain("Runs COMMAND transparently")
                .contains("'oomguard run --help'").contains("'oomguard help run'").contains("docs/options.md");
        assertThat(brief.lines().count()).isLessThan(full.lines().count());
        assertThat(help("-h")).contains("Commands:").contains("  explain ").doesNotContain("Examples:")
                .contains("'oomguard --help'");
        assertThat(help("watch", "-h")).contains("--pid=PID").doesNotContain("Exit status:");
    }

    @Test
    void helpCommandShowsTheSameFullHelpAsDashDashHelp() {
        for (String name : Commands.NAMES) {
            assertThat(help("help", name)).as(name).isEqualTo(help(name, "--help"));
        }
        assertThat(help("help")).isEqualTo(help("--help"));
    }

    @Test
    void runHelpShowsTheSectionsInOrderEachOptionOnceThenExamplesAndExitStatus() {
        String help = help("run", "--help");
        int last = -1;
        for (String heading : OptionSections.RUN.keySet()) {
            int at = help.indexOf("\n" + heading + ":\n");
            assertThat(at).as(heading).isGreaterThan(last);
            last = at;
        }
        for (var option : Commands.spec("run").options()) {
            String name = option.longestName();
            // An entry of the option list: the option in the option column (after its short name, if any).
            long entries = java.util.regex.Pattern.compile("(?m)^(  -\\w, |      |  )" + java.util.regex.Pattern.quote(name)
                    + "(=|  |$)").matcher(help).results().count();
            assertThat(entries).as(name + " shown once").isEqualTo(1);
        }
        assertThat(help).doesNotContain("Other options");
        assertThat(help.indexOf("Examples:")).isGreaterThan(last);
        assertThat(help).contains("Exit status:").contains("  137 ").contains("  125 ").contains("  75 ");
    }

    @Test
    void topLevelHelpNamesTheSubcommandsAndShowsThreeExamples() {
        String help = help("--help");
        for (String name : Commands.NAMES) {
            assertThat(help).containsPattern("\\n  " + name + " ");
        }
        String examples = help.substring(help.indexOf("Examples:"));
        assertThat(examples.lines().filter(l -> l.startsWith("  oomguard ")).count()).isEqualTo(3);
        assertThat(help).containsPattern("\\n  help +Show the full help");
    }
}
