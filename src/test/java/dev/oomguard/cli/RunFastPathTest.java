package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.config.ConfigPlaces;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Examples of the fast path: what it takes (as picocli does), and what it leaves to picocli. */
class RunFastPathTest {
    @TempDir
    Path dir;

    private ConfigPlaces places(String userFile, String opts) throws Exception {
        Path user = dir.resolve("config");
        if (userFile != null) {
            Files.writeString(user, userFile);
        }
        return new ConfigPlaces(Optional.ofNullable(opts), Optional.of(user), dir.resolve("no-system.conf"));
    }

    private static Optional<RunFastPath.Parsed> fast(ConfigPlaces places, String... full) {
        PrintWriter nowhere = new PrintWriter(new StringWriter());
        return RunFastPath.parse(full, new Console(nowhere, nowhere, false), new Ending(), places);
    }

    private static void samePicocli(ConfigPlaces places, String... full) {
        RunCommand fast = fast(places, full).orElseThrow().command();
        RunCommand picocli = PicocliRun.parse(full, places).orElseThrow();
        assertThat(PicocliRun.state(fast)).isEqualTo(PicocliRun.state(picocli));
    }

    @Test
    void bothSpellingsDefaultsAndTheCommandAreWhatPicocliMakes() throws Exception {
        ConfigPlaces none = places(null, null);
        RunCommand run = fast(none, "run", "--warn=70%", "--limit", "12G", "-q", "--", "sh", "-c", "exit 3")
                .orElseThrow().command();
        assertThat(run.guard.levels.warn.toString()).isEqualTo("70%");
        assertThat(run.guard.levels.limit.toString()).isEqualTo("12G");
        assertThat(run.guard.levels.stop.toString()).isEqualTo("95%");
        assertThat(run.guard.console.quiet).isTrue();
        assertThat(run.command).containsExactly("sh", "-c", "exit 3");
        samePicocli(none, "run", "--warn=70%", "--limit", "12G", "-q", "--", "sh", "-c", "exit 3");
        samePicocli(none, "run", "python3", "--warn", "70%", "--", "-q");
        samePicocli(none, "run", "--", "--", "-x");
        assertThat(fast(none, "run", "python3", "--warn", "70%").orElseThrow().command().command)
                .containsExactly("python3", "--warn", "70%");
    }

    @Test
    void fileAndEnvironmentSettingsApplyUnlessTheCommandLineGivesTheOption() throws Exception {
        ConfigPlaces places = places("warn = 60%\nquiet = true\n[run]\ngrace = 20s\n", "--limit 3G --verbose=false");
        RunCommand run = fast(places, "run", "--warn", "70%", "-q", "true").orElseThrow().command();
        assertThat(run.guard.levels.warn.toString()).isEqualTo("70%");
        assertThat(run.guard.console.quiet).isTrue();
        assertThat(run.guard.actions.grace).hasSeconds(20);
        assertThat(run.guard.levels.limit.toString()).isEqualTo("3G");
        samePicocli(places, "run", "--warn", "70%", "-q", "true");
        samePicocli(places, "run", "true");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-h", "--help", "-V", "--version", "-qv", "--bogus", "--warn=", "--quiet=true",
        "--warn 7x", "--warn", "--warn --quiet", "-q -q", "--warn 70% --warn 71%", "-", "--lock-wait=-1s"})
    void anythingUnsureIsLeftToPicocli(String options) throws Exception {
        String[] full = ("run " + options + " -- true").split(" ");
        assertThat(fast(places(null, null), full)).as(options).isEmpty();
    }

    @Test
    void aBadOrUnreadableConfigurationIsLeftToPicocli() throws Exception {
        assertThat(fast(places("warn = 7x\n", null), "run", "--warn", "70%", "true")).isEmpty();
        assertThat(fast(places("nonsense = 1\n", null), "run", "true")).isEmpty();
        assertThat(fast(places("name = ${HOME}\n", null), "run", "true")).isEmpty();
        assertThat(fast(places(null, "--bogus"), "run", "true")).isEmpty();
        Path unreadable = Files.createDirectory(dir.resolve("a-directory"));
        ConfigPlaces directory = new ConfigPlaces(Optional.empty(), Optional.of(unreadable), dir.resolve("none"));
        assertThat(fast(directory, "run", "true")).isEmpty();
        assertThat(fast(places(null, null), "run")).isEmpty();
        assertThat(fast(places(null, null), "run", "--")).isEmpty();
        assertThat(fast(places(null, null), "explain")).isEmpty();
    }

    @Test
    void aFailureIsReportedAsPicocliReportsIt() throws Exception {
        StringWriter err = new StringWriter();
        PrintWriter e = new PrintWriter(err, true);
        PrintWriter out = new PrintWriter(new StringWriter());
        var status = RunFastPath.run(new String[] {"run", "--lock-wait", "5s", "--", "true"}, out, e, new Ending(),
                places(null, null));
        assertThat(status).hasValue(125);
        assertThat(err.toString()).isEqualTo("oomguard: --lock-wait needs --lock FILE (the lock to wait for)"
                + System.lineSeparator());
        StringWriter viaPicocli = new StringWriter();
        int picocli = Commands.create(out, new PrintWriter(viaPicocli, true), new Ending(), Optional.of("run"),
                places(null, null)).execute("run", "--lock-wait", "5s", "--", "true");
        assertThat(picocli).isEqualTo(125);
        assertThat(viaPicocli.toString()).isEqualTo(err.toString());
        assertThat(List.of(status.getAsInt())).containsExactly(picocli);
    }
    @Test
    void anArgumentStartingWithAtIsAWordOnBothPathsNotAFileToExpand() throws Exception {
        Path file = dir.resolve("args");
        Files.writeString(file, "--limit 1G secret\n");
        ConfigPlaces none = places(null, null);
        String at = "@" + file;
        for (String[] full : List.of(new String[] {"run", "--", "echo", at}, new String[] {"run", "echo", at},
                new String[] {"run", "--name", at, "echo", "x"}, new String[] {"run", at, "--", "true"})) {
            RunCommand picocli = PicocliRun.parse(full, none).orElseThrow();
            assertThat(PicocliRun.state(picocli).toString()).doesNotContain("secret");
            samePicocli(none, full);
        }
        assertThat(fast(none, "run", "--", "echo", at).orElseThrow().command().command).containsExactly("echo", at);
    }
}
