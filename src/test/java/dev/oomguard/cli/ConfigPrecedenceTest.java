package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.config.ConfigPlaces;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Configuration precedence as a table: for every combination of the four layers (command line,
 * OOMGUARD_OPTS, the user's file, the system's file), the value that wins and the source that
 * 'oomguard config' names for it. A test-made environment and home, never the real ones.
 */
class ConfigPrecedenceTest {
    @TempDir
    Path dir;

    /** Which layers set --warn (and --quiet), and what is expected. */
    record Layers(boolean cmd, boolean opts, boolean user, boolean system) {
        String expectedWarn() {
            return cmd ? "61%" : opts ? "62%" : user ? "63%" : system ? "64%" : "80%";
        }

        String expectedSource(Path userFile, Path systemFile) {
            return cmd ? "command line" : opts ? "OOMGUARD_OPTS" : user ? userFile + ":2" : system ? systemFile + ":3"
                    : "default";
        }

        @Override
        public String toString() {
            List<String> on = new ArrayList<>();
            if (cmd) {
                on.add("command line");
            }
            if (opts) {
                on.add("OOMGUARD_OPTS");
            }
            if (user) {
                on.add("user file");
            }
            if (system) {
                on.add("system file");
            }
            return on.isEmpty() ? "nothing set" : String.join(" + ", on);
        }
    }

    static Stream<Arguments> everyCombination() {
        List<Arguments> all = new ArrayList<>();
        for (int bits = 0; bits < 16; bits++) {
            all.add(Arguments.of(new Layers((bits & 8) != 0, (bits & 4) != 0, (bits & 2) != 0, (bits & 1) != 0)));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyCombination")
    void theHighestLayerWins(Layers layers) throws Exception {
        Path home = dir.resolve("home");
        Path userFile = home.resolve(".config/oomguard/config");
        Path systemFile = dir.resolve("etc/oomguard.conf");
        Map<String, String> env = new HashMap<>();
        env.put("HOME", home.toString());
        if (layers.opts()) {
            env.put("OOMGUARD_OPTS", "--warn 62% --quiet=false");
        }
        if (layers.user()) {
            write(userFile, "# mine\nwarn = 63%\nquiet = true\n");
        }
        if (layers.system()) {
            write(systemFile, "# site-wide\n\nwarn = 64%\nquiet = true\n");
        }
        ConfigPlaces places = ConfigPlaces.from(env, systemFile);
        List<String> cmdArgs = layers.cmd() ? List.of("--warn", "61%", "--quiet") : List.of();

        RunCommand run = parsedRun(places, cmdArgs);
        assertThat(run.guard.levels.warn.toString()).isEqualTo(layers.expectedWarn());
        boolean quietExpected = layers.cmd() || (!layers.opts() && (layers.user() || layers.system()));
        assertThat(run.guard.console.quiet).as("--quiet").isEqualTo(quietExpected);

        JsonNode warn = configRow(places, cmdArgs, "warn");
        assertThat(warn.get("value").asText()).isEqualTo(layers.expectedWarn());
        assertThat(warn.get("source").asText()).isEqualTo(layers.expectedSource(userFile, systemFile));
    }

    @Test
    void xdgConfigHomeReplacesTildeDotConfig() throws Exception {
        Path xdg = dir.resolve("xdg");
        write(xdg.resolve("oomguard/config"), "grace = 3s\n");
        write(dir.resolve("home/.config/oomguard/config"), "grace = 4s\n");
        ConfigPlaces places = ConfigPlaces.from(Map.of("HOME", dir.resolve("home").toString(),
                "XDG_CONFIG_HOME", xdg.toString()), dir.resolve("none"));
        assertThat(parsedRun(places, List.of()).guard.actions.grace).hasSeconds(3);
    }

    @Test
    void aSectionBeatsTheSameFilesUnsectionedSettingButNotAHigherFile() throws Exception {
        Path system = dir.resolve("etc.conf");
        write(system, "[run]\ninterval = 2s\n[explain]\nlast = 3\n");
        Path home = dir.resolve("home");
        write(home.resolve(".config/oomguard/config"), "[run]\ngrace = 5s\n[explain]\n\n# top\n[run]\n"
                + "stop-action = pause\n");
        write(dir.resolve("etc2.conf"), "interval = 1s\n[run]\ninterval = 3s\n");
        ConfigPlaces places = ConfigPlaces.from(Map.of("HOME", home.toString()), system);
        RunCommand run = parsedRun(places, List.of());
        assertThat(run.guard.levels.interval).hasSeconds(2);
        assertThat(run.guard.actions.grace).hasSeconds(5);
        assertThat(run.guard.actions.stopAction).isEqualTo("pause");
        assertThat(parsedRun(ConfigPlaces.from(Map.of(), dir.resolve("etc2.conf")), List.of()).guard.levels.interval).hasSeconds(3);
    }

    @Test
    void anUnsectionedSettingAppliesToEverySubcommandThatHasTheOption() throws Exception {
        Path system = dir.resolve("etc.conf");
        write(system, "last = 2\ninterval = 250ms\n");
        ConfigPlaces places = ConfigPlaces.from(Map.of(), system);
        Result explain = main(places, "config", "--json", "explain");
        assertThat(explain.status()).isEqualTo(0);
        JsonNode last = row(new ObjectMapper().readTree(explain.out()).get("commands").get("explain"), "last");
        assertThat(last.get("value").asText()).isEqualTo("2");
        assertThat(last.get("source").asText()).isEqualTo(system + ":1");
        assertThat(parsedRun(places, List.of()).guard.levels.interval).hasMillis(250);
    }

    /** Every mistake in a file is one line naming the file and line, and status 125 before anything starts. */
    @Test
    void mistakesNameTheFileAndLine() throws Exception {
        Path system = dir.resolve("etc.conf");
        String[][] cases = {
            {"warn = 70%\nwran = 60%\n", ":2: unknown option 'wran'"},
            {"[run]\nlast = 3\n", ":2: 'oomguard run' has no option --last"},
            {"[bogus]\n", ":1: no subcommand [bogus]"},
            {"quiet = yes\n", ":1: quiet: 'yes' is not true or false"},
            {"help = true\n", ":1: help: --help cannot be configured"},
            {"\n\nwarn\n", ":3: not a setting: 'warn'"},
            {"# ok\ngrace = 10x\n", ":2: grace = 10x: Invalid value for option '--grace': not a duration: '10x'"},
        };
        for (String[] c : cases) {
            write(system, c[0]);
            Result r = main(ConfigPlaces.from(Map.of(), system), "--", "true");
            assertThat(r.status()).as(c[0]).isEqualTo(125);
            assertThat(r.err()).as(c[0]).startsWith("oomguard: " + system).contains(c[1]);
            assertThat(r.err().strip()).as("one line").doesNotContain("\n");
        }
        Files.delete(system);
        String[][] opts = {
            {"--warn", "OOMGUARD_OPTS: --warn needs a value"},
            {"warn=70%", "OOMGUARD_OPTS holds options only, not 'warn=70%'"},
            {"--bogus 1", "OOMGUARD_OPTS: unknown option '--bogus'"},
            {"--notify 'x", "OOMGUARD_OPTS: a ' is not closed"},
            {"--quiet=maybe", "OOMGUARD_OPTS: --quiet: 'maybe' is not true or false"},
        };
        for (String[] c : opts) {
            Result r = main(ConfigPlaces.from(Map.of("OOMGUARD_OPTS", c[0]), system), "--", "true");
            assertThat(r.status()).as(c[0]).isEqualTo(125);
            assertThat(r.err()).as(c[0]).startsWith("oomguard: " + c[1]);
        }
    }

    @Test
    void anUnreadableFileIsSaidAndSkipped() throws Exception {
        Path system = dir.resolve("etc.conf");
        Files.createDirectories(system); // reading a directory fails like an unreadable file
        Result r = main(ConfigPlaces.from(Map.of(), system), "config", "run");
        assertThat(r.status()).isEqualTo(0);
        assertThat(r.err()).contains("cannot read the configuration file " + system);
        assertThat(r.out()).contains("warn = 80%").contains("# default");
    }

    @Test
    void configPrintsAFileThatReadsBack() throws Exception {
        Path system = dir.resolve("etc.conf");
        write(system, "warn = 70%\nnotify = \" logger x \"\n");
        Result r = main(ConfigPlaces.from(Map.of("OOMGUARD_OPTS", "-q"), system), "config", "run", "--grace", "3s");
        assertThat(r.status()).isEqualTo(0);
        assertThat(r.out()).containsPattern("\\[run]\n")
                .containsPattern("warn = 70% +# " + java.util.regex.Pattern.quote(system + ":1"))
                .containsPattern("quiet = true +# OOMGUARD_OPTS")
                .containsPattern("grace = 3s +# command line")
                .containsPattern("# limit = +# not set");
        Path copy = dir.resolve("copy.conf");
        Files.writeString(copy, r.out());
        RunCommand again = parsedRun(ConfigPlaces.from(Map.of(), copy), List.of());
        assertThat(again.guard.levels.warn.toString()).isEqualTo("70%");
        assertThat(again.guard.actions.notify).isEqualTo(" logger x ");
        assertThat(again.guard.console.quiet).isTrue();
        assertThat(again.guard.actions.grace).hasSeconds(3);
    }

    private static RunCommand parsedRun(ConfigPlaces places, List<String> args) {
        StringWriter sink = new StringWriter();
        CommandLine cmd = Commands.create(new PrintWriter(sink), new PrintWriter(sink), new Ending(),
                Optional.of("run"), places);
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(args);
        all.add("--");
        all.add("true");
        cmd.parseArgs(all.toArray(String[]::new));
        return (RunCommand) cmd.getSubcommands().get("run").getCommand();
    }

    private static JsonNode configRow(ConfigPlaces places, List<String> args, String option) throws IOException {
        List<String> all = new ArrayList<>(List.of("config", "--json", "run"));
        all.addAll(args);
        Result r = main(places, all.toArray(String[]::new));
        assertThat(r.status()).as(r.err()).isEqualTo(0);
        return row(new ObjectMapper().readTree(r.out()).get("commands").get("run"), option);
    }

    private static JsonNode row(JsonNode rows, String option) {
        for (JsonNode row : rows) {
            if (row.get("option").asText().equals(option)) {
                return row;
            }
        }
        throw new AssertionError("no row for " + option + " in " + rows);
    }

    record Result(int status, String out, String err) {
    }

    private static Result main(ConfigPlaces places, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true), new Ending(), places);
        return new Result(status, out.toString(), err.toString());
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text);
    }
}
