package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.explain.Confidence;
import dev.oomguard.explain.Explanation;
import dev.oomguard.explain.Verdict;
import dev.oomguard.guard.Step;
import dev.oomguard.guard.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SummaryJsonTest {
    private static final long MIB = 1L << 20;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path dir;

    /** A run stopped at 95%: three ticks, a warning, a worker lost, the main process explained. */
    private static RunSummary summary() {
        RunSummary s = new RunSummary();
        s.accept(RecordSamples.sample(1, 1_000_000_000L, 3, 3000 * MIB));
        s.accept(RecordSamples.sample(2, 2_000_000_000L, 3, 3900 * MIB));
        s.accept(RecordSamples.sample(3, 3_000_000_000L, 2, 3500 * MIB));
        s.recordActions(List.of(RecordSamples.action(Step.WARN, 2, 3900 * MIB)));
        return s;
    }

    private static RunSummaryText.Facts facts() {
        return new RunSummaryText.Facts("Rscript fit.R", "killed by SIGTERM; stopped by oomguard", Duration.ofMillis(20_400),
                true, List.of("warn: warn the user — because --warn 80% reached"), List.of(), List.of(),
                List.of("a note"), false, List.of(), true);
    }

    private static Explanation explanation() {
        return new Explanation(Verdict.OOMGUARD_STOP, Confidence.HIGH, 4200, "R", "10:00:20", "oomguard stopped it",
                List.of(), List.of(), List.of(), List.of(), null, null);
    }

    @Test
    void theSummaryCarriesTheRunTheLimitTheActionsAndTheVerdict() throws IOException {
        JsonNode j = MAPPER.readTree(SummaryJson.render(SummaryJson.build(facts(), summary(),
                new RunEnd(4200, null, 15, 137, "killed by SIGTERM; stopped by oomguard", true),
                List.of(explanation()))));

        assertThat(j.path("schema").asText()).isEqualTo("oomguard.summary/1");
        assertThat(j.path("command").asText()).isEqualTo("Rscript fit.R");
        assertThat(j.path("status").asInt()).isEqualTo(137);
        assertThat(j.path("exit_code").isNull()).isTrue();
        assertThat(j.path("signal").asInt()).isEqualTo(15);
        assertThat(j.path("signal_name").asText()).isEqualTo("SIGTERM");
        assertThat(j.path("wall_time_ms").asLong()).isEqualTo(20_400);
        assertThat(j.path("stopped_by_oomguard").asBoolean()).isTrue();
        assertThat(j.path("ticks").asLong()).isEqualTo(3);
        assertThat(j.path("peak_tree").path("processes").asInt()).isEqualTo(4);
        assertThat(j.path("peak_tree").path("tick").asLong()).isEqualTo(2);
        assertThat(j.path("largest_process").path("pid").asInt()).isEqualTo(4200);
        assertThat(j.path("binding_limit").path("source").asText()).isEqualTo("cgroup_v1");
        assertThat(j.path("binding_limit").path("headroom_bytes").asLong()).isEqualTo((4L << 30) - 3900 * MIB);
        assertThat(j.path("binding_limit").path("tick").asLong()).isEqualTo(2);
        assertThat(j.path("actions")).hasSize(1);
        assertThat(j.path("actions").get(0).path("kind").asText()).isEqualTo("warn");
        assertThat(j.path("actions").get(0).path("figures").path("seconds_to_exhaustion").asLong()).isEqualTo(75);
        assertThat(j.path("action_lines").get(0).asText()).startsWith("warn: ");
        // PID 4203 vanished, but no counter rose: not a partial kill.
        assertThat(j.path("partial_kills")).isEmpty();
        assertThat(j.path("verdict").asText()).isEqualTo("oomguard_stop");
        assertThat(j.path("explanations").get(0).path("confidence").asText()).isEqualTo("high");
        // Stopped at 95.2% before it ran out: no guess at what it would have needed.
        assertThat(j.path("advice").asText()).startsWith("oomguard stopped the job at 3.8 GiB of the 4 GiB it had");
        assertThat(j.path("notes").get(0).asText()).isEqualTo("a note");
        assertThat(j.path("text").asText()).startsWith("summary of Rscript fit.R\n");
    }

    @Test
    void aRunWithoutSamplesHasNullsNotMissingFields() throws IOException {
        JsonNode j = MAPPER.readTree(SummaryJson.render(SummaryJson.build(facts(), new RunSummary(),
                new RunEnd(4200, 0, null, 0, "exit status 0", false), List.of())));

        for (String field : List.of("peak_tree", "largest_process", "binding_limit", "verdict", "advice", "signal")) {
            assertThat(j.has(field)).as(field).isTrue();
            assertThat(j.get(field).isNull()).as(field).isTrue();
        }
        assertThat(j.path("exit_code").asInt()).isZero();
    }

    @Test
    void writingReplacesTheFileWholeAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("summary.json");
        Files.writeString(file, "the previous run's summary");

        SummaryJson.write(file, facts(), summary(), new RunEnd(4200, null, 15, 137, "stopped", true), List.of());

        assertThat(MAPPER.readTree(Files.readString(file)).path("schema").asText()).isEqualTo("oomguard.summary/1");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aWriteThatCannotHappenNamesTheFileAndLeavesNothingBehind() throws IOException {
        Path file = dir.resolve("summary.json");
        Files.createDirectory(file); // a directory in the way: the rename fails

        assertThatThrownBy(() -> SummaryJson.write(file, facts(), summary(),
                new RunEnd(4200, 0, null, 0, "exit status 0", false), List.of()))
                .isInstanceOf(IOException.class).hasMessageContaining(file.toString());
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(file);
        }
        assertThatThrownBy(() -> SummaryJson.write(dir.resolve("no/such/summary.json"), facts(), summary(),
                new RunEnd(4200, 0, null, 0, "exit status 0", false), List.of()))
                .isInstanceOf(IOException.class).hasMessageContaining("no/such/summary.json");
    }

    @Test
    void aRunEndIsAnExitCodeOrASignalOrUnknown() {
        assertThatThrownBy(() -> new RunEnd(1, 0, 9, 0, "x", false)).isInstanceOf(IllegalArgumentException.class);
        RunEnd watched = RunEnd.unknown(1, 0, "status unknown (exited; not started by oomguard)", false);
        assertThat(watched.exitCode()).isNull();
        assertThat(watched.signal()).isNull();
        assertThat(watched.signalName()).isNull();
        assertThat(RunEnd.of(1, new dev.oomguard.launch.WaitStatus(9), 137, "killed", true).signal()).isEqualTo(9);
        assertThat(RunEnd.of(1, new dev.oomguard.launch.WaitStatus(3 << 8), 3, "exit status 3", false).exitCode())
                .isEqualTo(3);
    }
}
