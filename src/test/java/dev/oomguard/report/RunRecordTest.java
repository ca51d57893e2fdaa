package dev.oomguard.report;

import static dev.oomguard.report.RecordSamples.action;
import static dev.oomguard.report.RecordSamples.header;
import static dev.oomguard.report.RecordSamples.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oomguard.explain.Confidence;
import dev.oomguard.explain.Explanation;
import dev.oomguard.explain.Verdict;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.Step;
import dev.oomguard.proc.Signal;
import dev.oomguard.sample.ProcessId;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunRecordTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    private final RecordSamples.Clocks clocks = new RecordSamples.Clocks();

    /** A short run: three ticks, a warning, a lost worker, a forwarded signal, the kill explained, the exit. */
    private Path writeRun(Path file) throws IOException {
        try (RunRecord r = RunRecord.open(file, header(), clocks.options(Downsampling.NONE))) {
            r.sample(sample(1, clocks.at(500), 3, 3000 * MIB));
            r.sample(sample(2, clocks.at(1000), 3, 3300 * MIB));
            r.action(action(Step.WARN, 2, 3300 * MIB));
            r.sample(sample(3, clocks.at(1500), 2, 3500 * MIB));
            r.partialKill(new PartialKill(new ProcessId(4203, 4203 + 1000), "R", 1, 600 * 1024, 3));
            clocks.at(1700);
            r.signalForwarded(Signal.TERM.number());
            r.event("checkpoint_acknowledged", "the job wrote its checkpoint");
            r.explanation(new Explanation(Verdict.CGROUP_LIMIT, Confidence.HIGH, 4203, "R", "10:00:01",
                    "the cgroup limit was reached", List.of("detail"), List.of("give it 6 GiB"), List.of("line"),
                    List.of(), null, null));
            clocks.at(2000);
            r.exit(new RunEnd(4200, null, 15, 143, "killed by SIGTERM", false));
            assertThat(r.problem()).isEmpty();
        }
        return file;
    }

    @Test
    void theHostFactsAreAnEventWithTheirFieldsAndOnlyTheKnownOnes() throws IOException {
        Path file = dir.resolve("host.jsonl");
        try (RunRecord r = RunRecord.open(file, header(), clocks.options(Downsampling.NONE))) {
            clocks.at(300);
            r.host(new HostFacts(java.util.Optional.of("QEMU Standard PC"), java.util.Optional.of("AMD EPYC"),
                    java.util.OptionalInt.of(2), java.util.OptionalLong.of(8L << 30), java.util.Optional.empty(),
                    java.util.Optional.of("6.8.0-49-generic")));
            r.exit(new RunEnd(4200, 0, null, 0, "exited 0", false));
        }
        RecordReader.Result read = RecordReader.parse(Files.readString(file));
        assertThat(read.skipped()).isEmpty();
        RecordEntry.Event host = (RecordEntry.Event) read.entries().stream()
                .filter(e -> e instanceof RecordEntry.Event ev && ev.kind().equals("host")).findFirst().orElseThrow();
        assertThat(host.tMillis()).isEqualTo(300);
        assertThat(host.message()).isEqualTo("QEMU Standard PC · AMD EPYC × 2 · 8 GiB · kernel 6.8.0-49-generic");
        JsonNode facts = host.json().path("host");
        assertThat(facts.path("machine").asText()).isEqualTo("QEMU Standard PC");
        assertThat(facts.path("cpu_model").asText()).isEqualTo("AMD EPYC");
        assertThat(facts.path("cpus").asInt()).isEqualTo(2);
        assertThat(facts.path("memory_bytes").asLong()).isEqualTo(8L << 30);
        assertThat(facts.has("os")).isFalse();
        assertThat(facts.path("kernel").asText()).isEqualTo("6.8.0-49-generic");
    }

    @Test
    void hostFactsThatComeAfterTheExitAreLeftOut() throws IOException {
        Path file = dir.resolve("late.jsonl");
        try (RunRecord r = RunRecord.open(file, header(), clocks.options(Downsampling.NONE))) {
            r.exit(new RunEnd(4200, 0, null, 0, "exited 0", false));
            r.host(HostProbe.unknown()); // a probe that answered after RunRecord.HOST_WAIT
        }
        RecordReader.Result read = RecordReader.parse(Files.readString(file));
        assertThat(read.entries()).last().isInstanceOf(RecordEntry.Exit.class);
        assertThat(read.entries()).noneMatch(e -> e instanceof RecordEntry.Event ev && ev.kind().equals("host"));
    }

    @Test
    void theExitWaitsForHostFactsBeingRead() throws IOException {
        Path file = dir.resolve("wait.jsonl");
        try (RunRecord r = RunRecord.open(file, header(), clocks.options(Downsampling.NONE))) {
            r.describeHost(HostProbe::unknown);
            r.exit(new RunEnd(4200, 0, null, 0, "exited 0", false));
        }
        RecordReader.Result read = RecordReader.parse(Files.readString(file));
        assertThat(read.entries()).extracting(e -> e instanceof RecordEntry.Event ev ? ev.kind()
                : e.json().path("type").asText()).containsExactly("header", "host", "exit");
    }

    @Test
    void aRunReadsBackLineByLineInTheOrderItHappened() throws IOException {
        Path file = writeRun(dir.resolve("run.jsonl"));
        String text = Files.readString(file);
        assertThat(text).endsWith("\n");

        RecordReader.Result read = RecordReader.parse(text);

        assertThat(read.skipped()).isEmpty();
        RecordEntry.Header h = read.header().orElseThrow();
        assertThat(h.schema()).isEqualTo("oomguard.record/1");
        assertThat(h.command()).isEqualTo("Rscript fit.R");
        assertThat(h.host()).isEqualTo("node17");
        assertThat(h.kernel()).isEqualTo("5.14.0-427.el9.x86_64");
        assertThat(h.intervalMillis()).isEqualTo(500);
        assertThat(h.json().path("settings").path("warn").asText()).isEqualTo("80%");
        assertThat(read.entries()).extracting(e -> e instanceof RecordEntry.Event ev ? ev.kind()
                : e.json().path("type").asText()).containsExactly("header", "limits", "tree_changed", "sample",
                "sample", "warn", "tree_changed", "sample", "partial_kill", "signal_forwarded",
                "checkpoint_acknowledged", "explanation", "exit");

        RecordEntry.Sample first = read.samples().get(0);
        assertThat(first.tick()).isEqualTo(1);
        assertThat(first.tMillis()).isEqualTo(500);
        assertThat(first.wall()).isEqualTo(RecordSamples.START.plusMillis(500));
        assertThat(first.binding().source()).isEqualTo("cgroup_v1");
        assertThat(first.binding().capacityBytes()).isEqualTo(4L << 30);
        assertThat(first.binding().headroomBytes()).isEqualTo((4L << 30) - 3000 * MIB);
        assertThat(first.binding().usedPercent()).isEqualTo(73.2);
        assertThat(first.processes()).isEqualTo(4);
        assertThat(first.top()).hasSize(4).first().satisfies(p -> {
            assertThat(p.pid()).isEqualTo(4200);
            assertThat(p.comm()).isEqualTo("R");
        });
        JsonNode host = first.json().path("host");
        assertThat(host.path("mem_available_kib").asLong()).isEqualTo(125_000_000L);
        assertThat(host.path("swap_free_kib").asLong()).isEqualTo(4_194_300L);
        assertThat(first.json().path("oom_kills").path("host").asLong()).isEqualTo(7);
        assertThat(first.json().path("oom_kills").path("cgroups").path(RecordSamples.CGROUP).asLong()).isZero();
        assertThat(first.json().path("tree").path("anon_kib").asLong()).isPositive();

        RecordEntry.Event warn = read.events().stream().filter(e -> e.kind().equals("warn")).findFirst().orElseThrow();
        assertThat(warn.json().path("why").asText()).startsWith("--warn 80% reached");
        assertThat(warn.json().path("figures").path("seconds_to_exhaustion").asLong()).isEqualTo(75);
        assertThat(warn.json().path("figures").path("binding").path("source").asText()).isEqualTo("cgroup_v1");

        RecordEntry.Event left = read.events().stream().filter(e -> e.kind().equals("tree_changed")).skip(1)
                .findFirst().orElseThrow();
        assertThat(left.json().path("left").get(0).path("pid").asInt()).isEqualTo(4203);
        assertThat(left.json().path("joined_count").asLong()).isZero();

        assertThat(read.events().stream().filter(e -> e.kind().equals("explanation")).findFirst().orElseThrow()
                .json().path("explanation").path("verdict").asText()).isEqualTo("cgroup_limit");

        RecordEntry.Exit exit = read.exit().orElseThrow();
        assertThat(exit.status()).isEqualTo(143);
        assertThat(exit.signal()).isEqualTo(15);
        assertThat(exit.exitCode()).isNull();
        assertThat(exit.tMillis()).isEqualTo(2000);
        assertThat(exit.json().path("samples_written").asLong()).isEqualTo(3);
    }

    /** SIGKILL mid-write: whatever byte the file ends at, the reader keeps every whole line and never throws. */
    @Test
    void aRecordCutAtAnyByteReadsBackUpToItsLastWholeLine() throws IOException {
        byte[] whole = Files.readAllBytes(writeRun(dir.resolve("run.jsonl")));
        int lines = RecordReader.parse(new String(whole, StandardCharsets.UTF_8)).entries().size();
        int tail = new String(whole, StandardCharsets.UTF_8).lastIndexOf('\n', whole.length - 2 - 400);
        // Every byte near the end (the exit line and what precedes it), every 7th before: parsing
        // each prefix is quadratic, and the lines are alike.
        for (int cut = 0; cut <= whole.length; cut += cut < tail ? 7 : 1) {
            String prefix = new String(whole, 0, cut, StandardCharsets.UTF_8);
            int wholeLines = (int) prefix.chars().filter(c -> c == '\n').count();
            boolean endsOnBrace = cut > 0 && whole[cut - 1] == '}' && (cut == whole.length || whole[cut] == '\n');

            RecordReader.Result read = RecordReader.parse(prefix);

            // Cut just before a newline, the line is whole but for it, and is kept.
            assertThat(read.entries()).as("cut at byte %d", cut).hasSize(wholeLines + (endsOnBrace ? 1 : 0));
            assertThat(read.skipped()).as("cut at byte %d", cut)
                    .hasSize(prefix.endsWith("\n") || prefix.isEmpty() || endsOnBrace ? 0 : 1)
                    .allSatisfy(s -> assertThat(s.reason()).startsWith("truncated last line"));
        }
        assertThat(lines).isEqualTo(13);
    }

    @Test
    void garbageInsideTheFileIsSkippedByLineNumberAndTheRestIsRead() {
        String text = String.join("\n",
                "{\"type\":\"header\",\"schema\":\"oomguard.record/1\",\"version\":\"0.1.0\",\"command\":\"x\","
                        + "\"host\":\"h\",\"kernel\":\"k\",\"started\":\"2026-11-25T10:00:00Z\",\"interval_ms\":1000}",
                "not json at all",
                "[1,2]",
                "{\"type\":\"event\",\"t_ms\":1,\"wall\":\"2026-11-25T10:00:00Z\",\"kind\":\"note\",\"message\":\"a\"}"
                        + "{\"type\":\"event\"}",
                "{\"type\":\"sample\",\"tick\":1}",
                "{\"type\":\"teapot\"}",
                "{\"type\":\"event\",\"t_ms\":5,\"wall\":\"2026-11-25T10:00:05Z\",\"kind\":\"note\",\"message\":\"b\"}",
                "");

        RecordReader.Result read = RecordReader.parse(text);

        assertThat(read.header()).isPresent();
        assertThat(read.events()).extracting(RecordEntry.Event::message).containsExactly("b");
        assertThat(read.exit()).isEmpty();
        assertThat(read.skipped()).extracting(RecordReader.Skipped::line).containsExactly(2, 3, 4, 5, 6);
        assertThat(read.skipped()).extracting(RecordReader.Skipped::reason).satisfiesExactly(
                r -> assertThat(r).startsWith("not JSON"),
                r -> assertThat(r).isEqualTo("not a JSON object"),
                r -> assertThat(r).startsWith("not JSON"),
                r -> assertThat(r).isEqualTo("no object 'tree'"),
                r -> assertThat(r).isEqualTo("unknown type 'teapot'"));
    }

    @Test
    void aHeldSampleIsWrittenBeforeTheEventThatFollowsItAndAtTheEnd() throws IOException {
        Path file = dir.resolve("run.jsonl");
        // Every 10 s only: ticks at 0.5 s are mostly held back.
        Downsampling sparse = new Downsampling(java.time.Duration.ZERO, java.time.Duration.ofSeconds(10),
                java.time.Duration.ofDays(1), java.time.Duration.ofSeconds(10));
        try (RunRecord r = RunRecord.open(file, header(), clocks.options(sparse))) {
            for (int tick = 0; tick < 10; tick++) {
                r.sample(sample(tick, clocks.at(tick * 500L), 1, 1000 * MIB));
            }
            r.action(action(Step.CHECKPOINT, 9, 1000 * MIB));
            for (int tick = 10; tick < 14; tick++) {
                r.sample(sample(tick, clocks.at(tick * 500L), 1, 1000 * MIB));
            }
        }

        RecordReader.Result read = RecordReader.parse(Files.readString(file));

        assertThat(read.samples()).extracting(RecordEntry.Sample::tick).containsExactly(0L, 9L, 13L);
        List<String> order = read.entries().stream().map(e -> e instanceof RecordEntry.Sample s ? "tick " + s.tick()
                : e.json().path("kind").asText(e.json().path("type").asText())).toList();
        assertThat(order).containsSubsequence("tick 9", "checkpoint", "tick 13");
        assertThat(read.samples().get(1).wall()).isEqualTo(RecordSamples.START.plusMillis(4500));
    }

    @Test
    void openingANonWritablePathThrowsNamingIt() {
        Path file = dir.resolve("no/such/dir/run.jsonl");
        assertThatThrownBy(() -> RunRecord.open(file, header()))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString());
    }

    @Test
    void anExistingFileIsTruncatedNotAppendedTo() throws IOException {
        Path file = dir.resolve("run.jsonl");
        Files.writeString(file, "an older run\n".repeat(1000));
        try (RunRecord r = RunRecord.open(file, header(), clocks.options(Downsampling.NONE))) {
            r.event("note", "new run");
        }
        assertThat(RecordReader.parse(Files.readString(file)).skipped()).isEmpty();
    }

    @Test
    void aWriteErrorAfterOpeningIsKeptAndStopsTheRecordWithoutThrowing() throws IOException {
        Path file = dir.resolve("run.jsonl");
        int[] writes = {0};
        FileOutputStream failing = new FileOutputStream(file.toFile()) {
            @Override
            public void write(byte[] b) throws IOException {
                if (++writes[0] == 3) {
                    super.write(b, 0, b.length / 2); // half a line, then the disk is full
                    throw new IOException("No space left on device");
                }
                super.write(b);
            }
        };
        RunRecord r = RunRecord.open(file, failing, header(), clocks.options(Downsampling.NONE));
        r.event("note", "one");
        r.event("note", "two");
        r.event("note", "three");
        r.sample(sample(1, clocks.at(500), 1, MIB));
        r.exit(new RunEnd(4200, 0, null, 0, "exit status 0", false));
        r.close();

        assertThat(r.problem()).get().satisfies(e -> assertThat(e.getMessage())
                .contains(file.toString()).contains("No space left on device"));
        assertThat(writes[0]).isEqualTo(3);
        RecordReader.Result read = RecordReader.parse(Files.readString(file));
        assertThat(read.skipped()).isEmpty(); // the half line was cut off again
        assertThat(read.events()).extracting(RecordEntry.Event::message).containsExactly("one");
    }

    @Test
    void aFailedHeaderFailsTheOpening() {
        assertThatThrownBy(() -> RunRecord.open(Path.of("/dev/full"), header()))
                .isInstanceOf(IOException.class).hasMessageContaining("/dev/full");
    }
}
