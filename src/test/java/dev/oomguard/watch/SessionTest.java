package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.guard.GuardSettings;
import dev.oomguard.guard.StallSettings;
import dev.oomguard.kernellog.KernelLogSource;
import dev.oomguard.launch.Supervisor;
import dev.oomguard.launch.WaitStatus;
import dev.oomguard.proc.FakeProc;
import dev.oomguard.proc.Signal;
import dev.oomguard.report.RunEnd;
import dev.oomguard.sample.LimitSources;
import dev.oomguard.sample.PssPolicy;
import dev.oomguard.sample.TreeSpec;
import dev.oomguard.units.ByteSize;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A session built on a fake host: a scripted {@code /proc} ({@link FakeProc}), an empty kernel log,
 * no kernel notifications and signals that go to a list. No process is started or signalled.
 */
class SessionTest {
    private static final int JOB = 4242;
    private static final int OOMGUARD = 4241;

    @TempDir(factory = FakeProc.InMemory.class)
    Path root;

    @TempDir
    Path out;

    private final List<String> said = new CopyOnWriteArrayList<>();
    private final List<Integer> signals = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopSaid = new CountDownLatch(1);

    private Host fakeHost(FakeProc proc) {
        KernelLogSource emptyLog = new KernelLogSource() {
            @Override
            public String name() {
                return "a test's empty kernel log";
            }

            @Override
            public boolean stampsFromThisBoot() {
                return true;
            }

            @Override
            public Reader open(Duration timeout) {
                return new StringReader("");
            }
        };
        return new Host(proc.fs(), OOMGUARD, false, Map.of(), () -> {
            throw new UnsupportedOperationException("no kernel notifications on a fake host");
        }, new Host.KernelLog(OptionalLong::empty, emptyLog, () -> List.of(emptyLog)));
    }

    private GuardedRun.Options options(Path record, Path summary) {
        return options(record, summary, false);
    }

    private GuardedRun.Options options(Path record, Path summary, boolean quiet) {
        return new GuardedRun.Options(GuardSettings.defaults(),
                LimitSources.standard().withUserLimit(ByteSize.parse("1G")).withPss(PssPolicy.never()),
                Duration.ofMillis(20), new Responder.Settings(false, Optional.empty(), Optional.empty(),
                        Optional.empty(), Responder.OnPartial.WARN, Optional.empty()),
                false, false, quiet, new Supervisor.Settings(Duration.ofSeconds(1), false, Optional.empty()), true,
                Optional.of(record), Optional.of(summary), Map.of(), Optional.empty(), "", Duration.ofSeconds(10),
                false, false, Optional.empty(), StallSettings.defaults());
    }

    private void say(String line) {
        said.add(line);
        if (line.startsWith("stop the job")) {
            stopSaid.countDown();
        }
    }

    @Test
    void aJobPastTheStopLevelOfItsCapIsStoppedAndTheRunEndsWith137() throws Exception {
        FakeProc proc = new FakeProc(root);
        proc.meminfo(16L << 20, 12L << 20, 0, 0);
        proc.process(JOB, "job", OOMGUARD, JOB, 5000, 100_000, 1_000, 0, 10);
        Path record = out.resolve("run.jsonl");
        Path summary = out.resolve("summary.json");
        GuardedRun.Options o = options(record, summary);
        StringWriter err = new StringWriter();
        Session.Output output = new Session.Output(this::say, line -> { }, line -> { }, new PrintWriter(err));

        ExitStatus.Exit exit;
        try (Session session = Session.open(fakeHost(proc), output, o, "job --grow", false, Map.of())) {
            Responder responder = new Responder(o.act(), new dev.oomguard.launch.GroupSignals(() -> -1, signals::add), this::say, session.hooks(), Map.of());
            session.respond(responder);
            responder.jobStarted(JOB);
            session.attach(JOB, TreeSpec.of(JOB).adoptedBy(OOMGUARD), Optional.empty(), () -> false, Optional.empty(),
                    first -> assertThat(first).hasValueSatisfying(s -> assertThat(s.tree()).hasSize(1)));

            // A few ticks at 10% of the cap, nothing to do; then it grows past 95% of it (a cap is enforced
            // whatever the growth).
            awaitTicks(session, 3);
            assertThat(signals).isEmpty();
            proc.process(JOB, "job", OOMGUARD, JOB, 5000, 1_020_000, 1_000, 0, 10);
            assertThat(stopSaid.await(20, TimeUnit.SECONDS)).as("the stop is said").isTrue();
            assertThat(signals).startsWith(Signal.TERM.number(), Signal.CONT.number());

            // It ends on the TERM; its parent (oomguard in a run) collects "killed by SIGTERM".
            proc.remove(JOB);
            session.end();
            WaitStatus killed = new WaitStatus(Signal.TERM.number());
            exit = ExitStatus.of(new ExitStatus.Collected(killed), responder.stoppedByGuard(),
                    session.partialKills().size(), new ExitStatus.Policy(false, false, true));
            session.finish(exit, RunEnd.of(JOB, killed, exit.status(), exit.reason(), responder.stoppedByGuard()),
                    Session.Explained.NONE, new Session.Findings(List.of(), List.of(), List.of(), false));
        }

        assertThat(exit.status()).isEqualTo(ExitStatus.MEMORY);
        assertThat(exit.reason()).startsWith("killed by SIGTERM; stopped by oomguard");
        assertThat(said).anyMatch(l -> l.contains("killed by SIGTERM; stopped by oomguard"));
        JsonNode json = new ObjectMapper().readTree(summary.toFile());
        assertThat(json.path("stopped_by_oomguard").asBoolean()).isTrue();
        assertThat(json.path("status").asInt()).isEqualTo(137);
        assertThat(json.path("ticks").asLong()).isGreaterThanOrEqualTo(4);
        assertThat(json.path("peak_tree").path("rss_kib").asLong()).isEqualTo(1_021_000);
        List<JsonNode> lines = Files.readAllLines(record).stream().map(SessionTest::parse).toList();
        assertThat(lines).filteredOn(n -> n.path("type").asText().equals("sample")).isNotEmpty();
        assertThat(lines).filteredOn(n -> n.path("type").asText().equals("event")).extracting(n -> n.path("kind").asText())
                .contains("terminate");
        assertThat(lines.get(lines.size() - 1).path("type").asText()).isEqualTo("exit");
    }

    @Test
    void aQuietWatchOfAJobThatEndsCleanlyKeepsTheSummaryOffStderr() throws Exception {
        FakeProc proc = new FakeProc(root);
        proc.meminfo(16L << 20, 12L << 20, 0, 0);
        proc.process(JOB, "job", 1, JOB, 5000, 100_000, 1_000, 0, 10);
        Path summary = out.resolve("summary.json");
        GuardedRun.Options o = options(out.resolve("run.jsonl"), summary, true);
        List<String> unshown = new CopyOnWriteArrayList<>();
        Session.Output output = new Session.Output(this::say, line -> { }, unshown::add,
                new PrintWriter(new StringWriter()));

        ExitStatus.Exit exit;
        try (Session session = Session.open(fakeHost(proc), output, o, "job", true, Map.of("watch_pid", "4242"))) {
            Responder responder = new Responder(new Responder.Settings(true, Optional.empty(), Optional.empty(),
                    Optional.empty(), Responder.OnPartial.WARN, Optional.empty()), new dev.oomguard.launch.GroupSignals(() -> -1, signals::add), this::say,
                    session.hooks(), Map.of(), new Responder.Wording("would ", " (observe-only; --act to act)",
                            "(observe-only) ", "its process group"));
            responder.jobStarted(JOB);
            session.respond(responder);
            session.attach(JOB, TreeSpec.of(JOB), Optional.empty(), () -> false, Optional.empty(), first -> { });
            awaitTicks(session, 3);
            proc.remove(JOB);
            session.end();
            exit = ExitStatus.of(new ExitStatus.NotCollected(Optional.empty()), responder.stoppedByGuard(),
                    session.partialKills().size(), new ExitStatus.Policy(false, false, false));
            session.finish(exit, RunEnd.unknown(JOB, exit.status(), exit.reason(), false), Session.Explained.NONE,
                    new Session.Findings(List.of(), List.of("watched, not started, by oomguard"), List.of(), false));
        }

        assertThat(exit.status()).isZero();
        assertThat(signals).isEmpty();
        assertThat(said).as("--quiet: nothing happened, nothing said").isEmpty();
        assertThat(unshown).anyMatch(l -> l.contains("status unknown (exited; not started by oomguard)"));
        JsonNode json = new ObjectMapper().readTree(summary.toFile());
        assertThat(json.path("status").asInt()).isZero();
        assertThat(json.path("peak_tree").path("rss_kib").asLong()).isEqualTo(101_000);
    }

    /** Waits (at most 20 s: a loaded machine) until the session's summary has seen {@code n} samples. */
    @Test
    void aJobGoneBeforeTheGuardAttachedGetsALastSampleOnlyWhenSomethingReadsIt() {
        FakeProc proc = new FakeProc(root);
        proc.meminfo(16L << 20, 12L << 20, 0, 0); // the job (JOB) is gone already: no process of it
        GuardedRun.Options writes = options(out.resolve("run.jsonl"), out.resolve("summary.json"), true);
        GuardedRun.Options writesNothing = new GuardedRun.Options(writes.guard(), writes.limits(), writes.interval(),
                writes.act(), false, false, true, writes.supervise(), true, Optional.empty(), Optional.empty(), Map.of(),
                Optional.empty(), "", Duration.ofSeconds(10), false, false, Optional.empty(), StallSettings.defaults());

        assertThat(lastSamples(proc, writesNothing, true)).as("quiet, clean, no file: nobody reads it").isZero();
        assertThat(lastSamples(proc, writesNothing, false)).as("not clean: its summary is shown").isEqualTo(1);
        assertThat(lastSamples(proc, writes, true)).as("files are written").isEqualTo(1);
    }

    /** The samples taken for a job attached to once it had ended ({@code attachEnded}), after {@code end(clean)}. */
    private long lastSamples(FakeProc proc, GuardedRun.Options o, boolean clean) {
        Session.Output output = new Session.Output(this::say, line -> { }, GuardedRun.NOWHERE,
                new PrintWriter(new StringWriter()));
        try (Session session = Session.open(fakeHost(proc), output, o, "job", false, Map.of())) {
            Responder responder = new Responder(o.act(), new dev.oomguard.launch.GroupSignals(() -> -1, signals::add),
                    this::say, session.hooks(), Map.of());
            session.respond(responder);
            responder.jobStarted(JOB);
            session.attachEnded(JOB, () -> TreeSpec.of(JOB).adoptedBy(OOMGUARD), Optional.empty(), () -> false);
            session.end(clean);
            return session.summary().ticks();
        }
    }

    private static void awaitTicks(Session session, long n) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (session.summary().ticks() < n && System.nanoTime() < until) {
            Thread.sleep(5);
        }
        assertThat(session.summary().ticks()).as("samples taken").isGreaterThanOrEqualTo(n);
    }

    private static JsonNode parse(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
