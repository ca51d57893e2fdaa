package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.guard.Checkpoint;
import dev.oomguard.guard.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** Checkpoint requests in the summary (text and JSON) and in the run record. */
class CheckpointReportTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Checkpoint ACKED = new Checkpoint(Instant.parse("2026-11-26T12:03:04Z"), OptionalDouble.of(90.24),
            "--checkpoint 90% reached", Checkpoint.Answer.ACKNOWLEDGED, Optional.of(Duration.ofMillis(3100)),
            "the job removed the flag file");
    private static final Checkpoint TIMED_OUT = new Checkpoint(Instant.parse("2026-11-26T12:05:00Z"),
            OptionalDouble.empty(), "partial kill", Checkpoint.Answer.TIMED_OUT, Optional.of(Duration.ofSeconds(60)),
            "not within the 60s --checkpoint-timeout");

    private static RunSummaryText.Facts facts() {
        return new RunSummaryText.Facts("Rscript fit.R", "exit status 0", Duration.ofSeconds(9), false, List.of(),
                List.of(), List.of(), List.of(), false, List.of(ACKED, TIMED_OUT));
    }

    @Test
    void theSummarySaysWhenEachCheckpointWasAskedAndWhetherItWasAcknowledged() throws Exception {
        RunSummary summary = new RunSummary();
        List<String> lines = RunSummaryText.lines(facts(), summary);
        assertThat(lines).anyMatch(l -> l.matches("  checkpoint asked at \\d\\d:\\d\\d:04 \\(90\\.2% used\\),"
                + " acknowledged 3\\.1 s later \\(the job removed the flag file\\)"));
        assertThat(lines).anyMatch(l -> l.matches("  checkpoint asked at \\d\\d:\\d\\d:00, not acknowledged"
                + " \\(not within the 60s --checkpoint-timeout\\)"));

        JsonNode j = MAPPER.readTree(SummaryJson.render(SummaryJson.build(facts(), summary,
                new RunEnd(4200, 0, null, 0, "exit status 0", false), List.of())));
        JsonNode c = j.path("checkpoints");
        assertThat(c).hasSize(2);
        assertThat(c.get(0).path("asked").asText()).isEqualTo("2026-11-26T12:03:04Z");
        assertThat(c.get(0).path("used_percent").asDouble()).isEqualTo(90.2);
        assertThat(c.get(0).path("answer").asText()).isEqualTo("acknowledged");
        assertThat(c.get(0).path("acknowledged").asBoolean()).isTrue();
        assertThat(c.get(0).path("seconds_after").asDouble()).isEqualTo(3.1);
        assertThat(c.get(0).path("how").asText()).isEqualTo("the job removed the flag file");
        assertThat(c.get(1).path("answer").asText()).isEqualTo("timed_out");
        assertThat(c.get(1).path("acknowledged").asBoolean()).isFalse();
        assertThat(c.get(1).path("used_percent").isNull()).isTrue();
        assertThat(j.path("text").asText()).contains("acknowledged 3.1 s later");
    }

    @Test
    void theRecordNamesTheAnswerInTheEventKind() {
        assertThat(RecordJson.checkpoint(ACKED, 10, "2026-11-26T12:03:07Z").path("kind").asText())
                .isEqualTo("checkpoint_acknowledged");
        assertThat(RecordJson.checkpoint(TIMED_OUT, 10, "2026-11-26T12:06:00Z").path("kind").asText())
                .isEqualTo("checkpoint_timeout");
        JsonNode line = RecordJson.checkpoint(ACKED, 10, "2026-11-26T12:03:07Z");
        assertThat(line.path("type").asText()).isEqualTo("event");
        assertThat(line.path("message").asText()).contains("acknowledged 3.1 s later");
        assertThat(line.path("seconds_after").asDouble()).isEqualTo(3.1);
    }
}
