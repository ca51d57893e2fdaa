package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The command line as a table: arguments, exit status, what stdout and stderr contain. */
class MainTest {
    @ParameterizedTest(name = "oomguard {0}")
    @CsvSource(delimiter = '|', value = {
        "--version            | 0   | oomguard  | ''",
        "--help               | 0   | Usage: oomguard | ''",
        "run --help           | 0   | --keep-orphans | ''",
        "help                 | 0   | Usage: oomguard | ''",
        "help run             | 0   | --keep-orphans | ''",
        "help explain         | 0   | --since=TIME | ''",
        "help watch           | 0   | --pid=PID | ''",
        "help bogus           | 125 | ''        | Unknown subcommand 'bogus'",
        "run -h               | 0   | --keep-orphans | ''",
        "''                   | 125 | ''        | no command given",
        "--bogus cmd          | 125 | ''        | Unknown option: '--bogus'",
        "--limt 1G cmd        | 125 | ''        | Unknown option: '--limt'; did you mean --limit?",
        "--grace 10x cmd      | 125 | ''        | not a duration: '10x'",
        "run                  | 125 | ''        | Missing required parameter: 'COMMAND'",
        "--memory-max 256M --checkpoint-reserve 300M cmd | 125 | '' | --checkpoint-reserve 300M does not fit in --memory-max 256M",
        "--limit 1G --checkpoint-reserve 1024M cmd | 125 | '' | --checkpoint-reserve 1G does not fit in --limit 1G",
        "--checkpoint-timeout 5x cmd | 125 | ''  | not a duration: '5x'",
        "--checkpoint-reserve lots cmd | 125 | '' | lots",
        "run --help           | 0   | --warn-stall | ''",
        "--on-stall pause cmd | 125 | ''        | --on-stall takes warn, checkpoint or stop, not 'pause'",
        "--warn-stall 150% cmd | 125 | ''       | --warn-stall: percentage above 100%: '150%' (or 'off')",
        "--warn-stall 0% cmd  | 125 | ''        | use 'off' to disable it",
        "--warn-stall lots cmd | 125 | ''       | not a percentage: 'lots'",
        "--stall-window 0s cmd | 125 | ''       | --stall-window must be positive, not '0ms'",
    })
    void table(String args, int status, String out, String err) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        String[] argv = args.isBlank() ? new String[0] : args.trim().split("\\s+");
        int rc = Main.run(argv, new PrintWriter(o, true), new PrintWriter(e, true), new Ending());
        assertThat(rc).isEqualTo(status);
        assertThat(o.toString()).contains(out);
        assertThat(e.toString()).contains(err);
        if (status == 125) {
            assertThat(e.toString().strip()).as("one line").doesNotContain("\n");
        }
    }

    /** A subcommand's name (help too) wins over a program of that name, as in git; '--' or 'run' runs the program. */
    @Test
    void aSubcommandWinsOverAProgramOfItsNameUnlessAfterDashDashOrRun() {
        assertThat(Main.withImplicitRun(new String[] {"help"})).containsExactly("help");
        assertThat(Main.withImplicitRun(new String[] {"help", "run"})).containsExactly("help", "run");
        assertThat(Main.withImplicitRun(new String[] {"--", "help"})).containsExactly("run", "--", "help");
        assertThat(Main.withImplicitRun(new String[] {"run", "help"})).containsExactly("run", "help");
        assertThat(Main.withImplicitRun(new String[] {"helpme"})).containsExactly("run", "helpme");
    }

    /** --version, --help and no arguments answer without the subcommands' models: the same as with them. */
    @ParameterizedTest(name = "oomguard {0}")
    @ValueSource(strings = {"--version", "-V", "--help", "-h", ""})
    void theTopLevelAloneAnswersAsTheFullCommandLineDoes(String arg) {
        String[] argv = arg.isEmpty() ? new String[0] : new String[] {arg};
        StringWriter fastOut = new StringWriter();
        StringWriter fastErr = new StringWriter();
        int fast = Main.run(argv, new PrintWriter(fastOut, true), new PrintWriter(fastErr, true), new Ending());
        StringWriter fullOut = new StringWriter();
        StringWriter fullErr = new StringWriter();
        int full = Commands.create(new PrintWriter(fullOut, true), new PrintWriter(fullErr, true), new Ending(),
                Optional.empty()).execute(argv);
        assertThat(fast).isEqualTo(full);
        assertThat(fastOut.toString()).isEqualTo(fullOut.toString());
        assertThat(fastErr.toString()).isEqualTo(fullErr.toString());
    }
}
