package dev.oomguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.config.ConfigPlaces;
import dev.oomguard.guard.Threshold;
import dev.oomguard.proc.Signal;
import dev.oomguard.units.ByteSize;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The fast path against picocli over run's real options (from picocli's model): both spellings,
 * values good and bad, {@code --}, commands whose words start with '-', configuration files and
 * OOMGUARD_OPTS. It either declines, or makes exactly the command object picocli makes; and it
 * takes the ordinary command lines (so that it cannot pass by declining everything).
 */
class RunFastPathPropertyTest {
    private static final List<OptionSpec> OPTIONS = Commands.spec("run").options().stream()
            .filter(o -> !HelpOptions.isHelp(o)).toList();
    private static Path dir;

    @BeforeContainer
    static void makeDirectory() throws IOException {
        dir = Files.createTempDirectory("run-fast-path");
    }

    @AfterContainer
    static void removeDirectory() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.delete(p);
            }
        }
        Files.delete(dir);
    }

    /** A command line and the configuration around it. */
    record Case(List<String> args, Optional<String> userFile, Optional<String> systemFile, Optional<String> opts) {
        String[] full() {
            List<String> all = new ArrayList<>(List.of("run"));
            all.addAll(args);
            return all.toArray(String[]::new);
        }

        ConfigPlaces places() {
            Path user = write("user", userFile);
            Path system = write("system", systemFile);
            return new ConfigPlaces(opts, Optional.of(user), system);
        }

        private Path write(String what, Optional<String> text) {
            Path file = dir.resolve(what + "-" + Integer.toHexString(System.identityHashCode(this)));
            try {
                Files.deleteIfExists(file);
                if (text.isPresent()) {
                    Files.writeString(file, text.get());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return file;
        }
    }

    @Property(tries = 600)
    void theFastPathDeclinesOrMakesWhatPicocliMakes(@ForAll("anything") Case c) {
        ConfigPlaces places = c.places();
        Optional<RunFastPath.Parsed> fast = fast(c.full(), places);
        Statistics.collect(fast.isPresent() ? "taken" : "declined");
        if (fast.isPresent()) {
            Optional<RunCommand> picocli = PicocliRun.parse(c.full(), places);
            assertThat(picocli).as("picocli does not run " + c + ", the fast path does").isPresent();
            assertThat(PicocliRun.state(fast.get().command())).as(c.toString())
                    .isEqualTo(PicocliRun.state(picocli.get()));
        }
    }

    @Property(tries = 300)
    void anOrdinaryCommandLineIsTakenAndMakesWhatPicocliMakes(@ForAll("ordinary") Case c) {
        ConfigPlaces places = c.places();
        Optional<RunFastPath.Parsed> fast = fast(c.full(), places);
        assertThat(fast).as("declined " + c).isPresent();
        Optional<RunCommand> picocli = PicocliRun.parse(c.full(), places);
        assertThat(picocli).as("picocli does not run " + c).isPresent();
        Map<String, Object> expected = PicocliRun.state(picocli.get());
        assertThat(PicocliRun.state(fast.get().command())).as(c.toString()).isEqualTo(expected);
    }

    private static Optional<RunFastPath.Parsed> fast(String[] full, ConfigPlaces places) {
        PrintWriter nowhere = new PrintWriter(new StringWriter());
        return RunFastPath.parse(full, new Console(nowhere, nowhere, false), new Ending(), places);
    }

    @Provide
    Arbitrary<Case> ordinary() {
        Arbitrary<List<List<String>>> options = Arbitraries.of(OPTIONS).list().ofMaxSize(8).uniqueElements()
                .flatMap(os -> Combinators.combine(os.stream().map(o -> given(o, true)).toList())
                        .as(parts -> parts));
        Arbitrary<List<String>> command = Arbitraries.of("true", "sh", "-c", "exit 3", "--", "-x", "--quiet", "a=b",
                "python3", "--warn", "").list().ofMinSize(1).ofMaxSize(4)
                .filter(ws -> !ws.get(0).startsWith("-") && !ws.get(0).isEmpty());
        Arbitrary<Boolean> dashes = Arbitraries.of(true, false);
        Arbitrary<Optional<String>> user = file(Arbitraries.of(UNSECTIONED_GOOD), Arbitraries.of(RUN_SECTION_GOOD));
        Arbitrary<Optional<String>> system = file(Arbitraries.of(UNSECTIONED_GOOD), Arbitraries.of(RUN_SECTION_GOOD));
        Arbitrary<Optional<String>> opts = Arbitraries.of(OPTS_GOOD).list().ofMaxSize(3).uniqueElements()
                .map(l -> l.isEmpty() ? Optional.<String>empty() : Optional.of(String.join(" ", l)));
        return Combinators.combine(options, dashes, command, user, system, opts).as((os, dd, cmd, u, s, o) -> {
            List<String> args = new ArrayList<>();
            os.forEach(args::addAll);
            if (dd) {
                args.add("--");
            }
            args.addAll(cmd);
            return new Case(args, u, s, o);
        });
    }

    @Provide
    Arbitrary<Case> anything() {
        Arbitrary<List<String>> part = Arbitraries.frequencyOf(
                Tuple.of(16, Arbitraries.of(OPTIONS).flatMap(o -> given(o, false))),
                Tuple.of(1, Arbitraries.of("-qv", "-x", "--bogus", "-h", "--help", "-V", "--version",
                        "@file", "-", "--warn=", "--quiet=true", "-q=true", "--", "--quiet=false", "--limit")
                        .map(List::of)));
        Arbitrary<List<String>> options = part.list().ofMaxSize(7).map(ps -> ps.stream().flatMap(List::stream).toList());
        Arbitrary<List<String>> command = Arbitraries.of("true", "sh", "-c", "--", "-x", "--quiet", "-q", "a=b",
                "@x", "-", "--warn", "70%", "").list().ofMaxSize(4);
        Arbitrary<Boolean> dashes = Arbitraries.of(true, false);
        Arbitrary<Optional<String>> user = file(mostly(UNSECTIONED_GOOD, UNSECTIONED_BAD),
                mostly(RUN_SECTION_GOOD, RUN_SECTION_BAD));
        Arbitrary<Optional<String>> system = file(mostly(UNSECTIONED_GOOD, UNSECTIONED_BAD),
                mostly(RUN_SECTION_GOOD, RUN_SECTION_BAD));
        Arbitrary<Optional<String>> opts = mostly(OPTS_GOOD, OPTS_BAD).list().ofMaxSize(3)
                .map(l -> l.isEmpty() ? Optional.<String>empty() : Optional.of(String.join(" ", l)));
        return Combinators.combine(options, dashes, command, user, system, opts).as((os, dd, cmd, u, s, o) -> {
            List<String> args = new ArrayList<>(os);
            if (dd) {
                args.add("--");
            }
            args.addAll(cmd);
            return new Case(args, u, s, o);
        });
    }

    /** One option as given on the command line: its name (any of them, or --name=value) and a value. */
    private static Arbitrary<List<String>> given(OptionSpec o, boolean good) {
        Arbitrary<String> name = Arbitraries.of(o.names());
        if (o.arity().max() == 0) {
            return name.map(List::of);
        }
        Arbitrary<String> value = good ? Arbitraries.of(goodValues(o)) : mostly(goodValues(o), badValues(o));
        Arbitrary<Boolean> attached = Arbitraries.of(true, false);
        return Combinators.combine(name, value, attached).as((n, v, at) -> at && n.startsWith("--")
                ? List.of(n + "=" + v) : List.of(n, v));
    }

    private static List<String> goodValues(OptionSpec o) {
        Class<?> type = o.type();
        if (type == Threshold.class) {
            return List.of("80%", "70%", "2G", "512M", "99.5%");
        } else if (type == ByteSize.class) {
            return List.of("12G", "4096M", "1024", "1.5G");
        } else if (type == Duration.class) {
            return List.of("5s", "1m", "250ms", "2h", "0s");
        } else if (type == Signal.class) {
            return List.of("USR1", "SIGUSR2", "TERM", "HUP");
        } else if (type == Path.class) {
            return List.of("/tmp/x.log", "rel/file", "a b", "x=y");
        }
        return List.of("term", "pause", "warn", "hello world", "20%", "off", "a=b", "run");
    }

    private static List<String> badValues(OptionSpec o) {
        Class<?> type = o.type();
        if (type == Threshold.class) {
            return List.of("50", "x", "-5%", "0%", "101%", "${HOME}");
        } else if (type == ByteSize.class) {
            return List.of("0", "4x", "-1G", "");
        } else if (type == Duration.class) {
            return List.of("x", "-1s", "10", "");
        } else if (type == Signal.class) {
            return List.of("nope", "0", "SIGFOO");
        } else if (type == Path.class) {
            return List.of("", "-", "--quiet", "a\0b");
        }
        return List.of("", "-x", "--quiet", "${HOME}", "@x");
    }

    private static final List<String> UNSECTIONED_GOOD = List.of("warn = 70%", "quiet = true", "verbose = FALSE",
            "limit = 4G", "checkpoint_lead = 30s", "name = 'a # b'", "pid = 7", "html = /tmp/r.html", "act = true",
            "title = false");
    private static final List<String> UNSECTIONED_BAD = List.of("grace = bogus", "notify = ${HOME}", "nonsense = 1",
            "verbose = yes", "help = true", "limit = 0", "warn = 50", "--warn = 70%", "warn 70%");
    private static final List<String> RUN_SECTION_GOOD = List.of("grace = 20s", "warn = 75%", "dry-run = true",
            "memory-max = 1G", "quiet = false", "stop-action = pause");
    private static final List<String> RUN_SECTION_BAD = List.of("pid = 3", "interval = fast", "version = true",
            "lock-wait = -1s");
    private static final List<String> OPTS_GOOD = List.of("--warn 71%", "--quiet", "--quiet=false", "--memory-max 2G",
            "--name=x", "-v", "--status=TRUE");
    private static final List<String> OPTS_BAD = List.of("--bogus", "--warn", "--warn 7x", "--help", "plain",
            "--quiet=maybe", "--name '${HOME}'", "'unclosed");

    /** A file of settings outside any section, then maybe a [run] section; or no file. */
    private static Arbitrary<Optional<String>> file(Arbitrary<String> unsectioned, Arbitrary<String> run) {
        Arbitrary<List<String>> top = unsectioned.list().ofMaxSize(3).uniqueElements(RunFastPathPropertyTest::key);
        Arbitrary<List<String>> section = run.list().ofMaxSize(2).uniqueElements(RunFastPathPropertyTest::key);
        Arbitrary<Optional<String>> some = Combinators.combine(top, section).as((t, s) -> Optional.of(
                String.join("\n", t) + (s.isEmpty() ? "" : "\n[run]\n" + String.join("\n", s)) + "\n"));
        return Arbitraries.frequencyOf(Tuple.of(1, Arbitraries.just(Optional.<String>empty())), Tuple.of(2, some));
    }

    private static String key(String line) {
        return line.split("=")[0].strip().replace('_', '-');
    }

    /** Mostly good, sometimes bad: so that a bad one is often the only one, where the fast path must notice it. */
    private static Arbitrary<String> mostly(List<String> good, List<String> bad) {
        return Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(good)), Tuple.of(1, Arbitraries.of(bad)));
    }
}
