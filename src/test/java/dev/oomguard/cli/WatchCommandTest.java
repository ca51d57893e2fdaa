package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code oomguard watch}'s option checks: each bad input is one line and status 125. */
class WatchCommandTest {
    record Ran(int status, String out, String err) {
    }

    static Ran run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int rc = Main.run(args, new PrintWriter(o, true), new PrintWriter(e, true), new Ending());
        return new Ran(rc, o.toString(), e.toString());
    }

    @ParameterizedTest(name = "oomguard watch {0}")
    @CsvSource(delimiter = '|', value = {
        "''                        | watch needs --pid PID or --name REGEX",
        "--pid 1 --name x          | give --pid or --name, not both",
        "--name (                  | --name: '(' is not a regular expression (Unclosed group",
        "--pid 0                   | --pid takes a process ID above 0, not 0",
        "--pid x                   | Invalid value for option '--pid'",
        "--pid 2147483646          | no process 2147483646 is running",
        "--name ^no-such-job-xyz$  | --name '^no-such-job-xyz$' matches no process",
        "--pid 1 --dry-run         | Unknown option: '--dry-run'",
        "--pid 1 --memory-max 1G   | Unknown options: '--memory-max'",
        "--pid 1 --stop-action x   | --stop-action takes term or pause, not 'x'",
        "--pid 1 --warn 90         | --warn",
        "--pid 1 --grace 10x       | not a duration: '10x'",
        "--pid 1 --interval 0      | --interval must be at least 1ms, not '0ms'",
    })
    void badInputIsOneLineAndStatus125(String args, String message) {
        Ran r = run(args.isBlank() ? new String[] {"watch"}
                : ("watch " + args.trim()).split("\\s+"));
        assertThat(r.status()).as(r.err()).isEqualTo(125);
        assertThat(r.err()).contains(message);
        assertThat(r.err().strip()).as("one line").doesNotContain("\n");
    }

    @Test
    void runsOptionsThatMeanTheSameAreSharedWithTheirDefaults() {
        CommandLine cmd = Commands.create(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                new Ending());
        CommandLine.Model.CommandSpec run = cmd.getSubcommands().get("run").getCommandSpec();
        CommandLine.Model.CommandSpec watch = cmd.getSubcommands().get("watch").getCommandSpec();
        List<String> shared = run.mixins().get("guard").options().stream().map(o -> o.longestName()).toList();
        assertThat(shared).contains("--warn", "--checkpoint-signal", "--stop-action", "--record", "--quiet", "--title");
        for (String name : shared) {
            assertThat(watch.findOption(name)).as(name).isNotNull();
            assertThat(watch.findOption(name).defaultValue()).as(name).isEqualTo(run.findOption(name).defaultValue());
            assertThat(watch.findOption(name).description()).as(name).isEqualTo(run.findOption(name).description());
        }
        Set<String> own = new TreeSet<>();
        for (CommandLine.Model.OptionSpec o : watch.options()) {
            own.addAll(Arrays.asList(o.names()));
        }
        assertThat(own).contains("--pid", "--name", "--act", "-h", "--help", "--version")
                .doesNotContain("--dry-run", "--memory-max", "--keep-orphans", "--no-reraise", "--preserve-status");
    }

    @Test
    void helpNamesTheExitStatuses() {
        Ran r = run("watch", "--help");
        assertThat(r.status()).isZero();
        assertThat(r.out()).contains("--pid=PID").contains("--name=REGEX").contains("--act").contains("--warn=LEVEL")
                .contains("137").contains("status unknown");
    }
}
