package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.StallReading;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The time stalled on memory in the summary, its JSON, the run record and the metrics file. */
class StallReportTest {
    private static final long MIB = 1L << 20;
    private static final long SECOND = 1_000_000_000L;

    private static Sample sample(long seconds, StallReading.Scope scope, String where, long fullMicros, long faults) {
        Sample s = RecordSamples.sample(seconds, seconds * SECOND, 1, 1000 * MIB);
        return new Sample(s.takenNanos(), s.tick(), s.tree(), s.totals(), s.host(), s.limits(), s.binding(),
                s.throttles(), s.oomKills(), s.oomCandidates(), Optional.of(new StallReading(
                        Optional.of(new StallReading.Psi(scope, where, fullMicros + 7, fullMicros)), faults)));
    }

    /** Five minutes, 41 s of them stalled. */
    private static RunSummary run(StallReading.Scope scope, String where) {
        RunSummary s = new RunSummary();
        s.accept(sample(0, scope, where, 1_000_000, 0));
        s.accept(sample(120, scope, where, 11_000_000, 800));
        s.accept(sample(300, scope, where, 42_000_000, 12345));
        return s;
    }

    private static RunSummaryText.Facts facts() {
        return new RunSummaryText.Facts("python3 fit.py", "exit status 0", Duration.ofMinutes(5), false, List.of(),
                List.of(), List.of(), List.of(), false);
    }

    @Test
    void theSummaryNamesTheTimeAndTheSource() {
        assertThat(RunSummaryText.lines(facts(), run(StallReading.Scope.JOB_CGROUP, "/jobs/fit")))
                .contains("  time stalled on memory: 41 s of 5 min (14%, PSI full of the job's cgroup v2 /jobs/fit)");
        assertThat(RunSummaryText.lines(facts(), run(StallReading.Scope.HOST, "/proc/pressure/memory")))
                .contains("  time stalled on memory: 41 s of 5 min (14%, host-wide PSI some; 41 s by host-wide"
                        + " PSI full); host-wide figures count every task on the machine; the job's tree made 12345"
                        + " major faults");
    }

    @Test
    void lessThanASecondIsNotWorthALineButStaysInTheJson() throws Exception {
        RunSummary s = new RunSummary();
        s.accept(sample(0, StallReading.Scope.HOST, "/proc/pressure/memory", 0, 0));
        s.accept(sample(60, StallReading.Scope.HOST, "/proc/pressure/memory", 400_000, 0));
        assertThat(RunSummaryText.lines(facts(), s)).noneMatch(l -> l.contains("stalled"));
        JsonNode j = new ObjectMapper().readTree(SummaryJson.render(SummaryJson.build(facts(), s,
                new RunEnd(4200, 0, null, 0, "exit status 0", false), List.of())));
        assertThat(j.path("memory_stall").path("stalled_ms").asLong()).isEqualTo(400);
        assertThat(j.path("memory_stall").path("covered_ms").asLong()).isEqualTo(60_000);
        assertThat(j.path("memory_stall").path("host_wide").asBoolean()).isTrue();
    }

    @Test
    void theSummaryJsonCarriesTheStall() throws Exception {
        JsonNode j = new ObjectMapper().readTree(SummaryJson.render(SummaryJson.build(facts(),
                run(StallReading.Scope.JOB_CGROUP, "/jobs/fit"), new RunEnd(4200, 0, null, 0, "exit status 0", false),
                List.of())));
        JsonNode m = j.path("memory_stall");
        assertThat(m.path("stalled_ms").asLong()).isEqualTo(41_000);
        assertThat(m.path("covered_ms").asLong()).isEqualTo(300_000);
        assertThat(m.path("stalled_percent").asDouble()).isEqualTo(13.7);
        assertThat(m.path("source").asText()).isEqualTo("PSI full of the job's cgroup v2 /jobs/fit");
        assertThat(m.path("host_wide").asBoolean()).isFalse();
        assertThat(m.path("tree_major_faults").asLong()).isEqualTo(12345);
        assertThat(m.path("psi_full_ms").asLong()).isEqualTo(41_000);
        assertThat(m.path("psi_some_ms").asLong()).isEqualTo(41_000);
        assertThat(j.path("text").asText()).contains("time stalled on memory: 41 s of 5 min");

        JsonNode none = new ObjectMapper().readTree(SummaryJson.render(SummaryJson.build(facts(), new RunSummary(),
                new RunEnd(4200, 0, null, 0, "exit status 0", false), List.of())));
        assertThat(none.has("memory_stall")).isTrue();
        assertThat(none.path("memory_stall").isNull()).isTrue();
    }

    @Test
    void eachSampleOfTheRecordCarriesTheCounters() {
        var n = RecordJson.sample(sample(3, StallReading.Scope.HOST, "/proc/pressure/memory", 900, 12), 3000,
                "2026-11-26T02:00:03Z", 5);
        assertThat(n.path("stall").path("psi_scope").asText()).isEqualTo("host");
        assertThat(n.path("stall").path("psi_where").asText()).isEqualTo("/proc/pressure/memory");
        assertThat(n.path("stall").path("full_total_us").asLong()).isEqualTo(900);
        assertThat(n.path("stall").path("some_total_us").asLong()).isEqualTo(907);
        assertThat(n.path("stall").path("tree_major_faults").asLong()).isEqualTo(12);
        var plain = RecordJson.sample(RecordSamples.sample(1, SECOND, 1, MIB), 1000, "2026-11-26T02:00:01Z", 5);
        assertThat(plain.path("stall").isNull()).isTrue();
    }

    @Test
    void theMetricsFileHasAStallCounter() {
        String text = PromTextfile.render(new PromTextfile.Run("fit", false, 0, 300, 1, false, null,
                run(StallReading.Scope.HOST, "/proc/pressure/memory"), List.of()));
        assertThat(text).contains("# TYPE oomguard_job_memory_stall_seconds_total counter\n")
                .contains("oomguard_job_memory_stall_seconds_total{job_name=\"fit\",scope=\"host\",kind=\"full\"} 41\n")
                .contains("oomguard_job_memory_stall_seconds_total{job_name=\"fit\",scope=\"host\",kind=\"some\"} 41\n");
        assertThat(PromTextfile.render(new PromTextfile.Run("fit", false, 0, 300, 1, false, null, new RunSummary(),
                List.of()))).doesNotContain("memory_stall");
    }
}
