package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** 'oomguard run --help' shows every option once, in its section, then examples and the exit statuses. */
class OptionSectionsTest {
    private static String help(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = Commands.create(new PrintWriter(out, true), new PrintWriter(err, true), new Ending(),
                args.length > 1 ? Optional.of(args[0]) : Optional.empty());
        cmd.execute(args);
        return out.toString();
    }

    @Test
    void everyOptionOfRunIsPlacedInASection() {
        assertThat(OptionSections.unplaced(Commands.spec("run"), OptionSections.RUN))
                .as("options of run in no section of OptionSections.RUN (add them where a reader would look)")
                .isEmpty();
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
            long entries = java.util.regex.Pattern.compile("(?m)^(  -\\w, |      )" + java.util.regex.Pattern.quote(name)
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
    }
}
