package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.report.RecordEntry;
import dev.oomguard.report.RecordReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run record and the JSON summary of real runs, including one whose oomguard is SIGKILLed. */
class RecordIT {
    @TempDir
    Path tmp;

    private static String launcher() {
        return Path.of(System.getProperty("oomguard.launcher", "scripts/oomguard")).toAbsolutePath().toString();
    }

    @Test
    void aRecordSurvivesOomguardBeingKilledMidRunAndTheJobCarriesOn() throws Exception {
        Path record = tmp.resolve("run.jsonl");
        Path jobPid = tmp.resolve("job.pid");
        Path done = tmp.resolve("job.done");
        Process p = new ProcessBuilder(launcher(), "--interval", "50ms", "--record", record.toString(), "--", "sh",
                "-c", "echo $$ > " + jobPid + "; sleep 3; touch " + done).start();
        for (int i = 0; i < 200 && (!Files.exists(record) || Files.readAllLines(record).size() < 9); i++) {
            Thread.sleep(25);
        }
        p.destroyForcibly(); // SIGKILL to oomguard itself
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        long job = Long.parseLong(Files.readString(jobPid).trim());
        try {
            RecordReader.Result r = RecordReader.parse(Files.readString(record));
            assertThat(r.header()).isPresent();
            assertThat(r.samples()).hasSizeGreaterThanOrEqualTo(4);
            assertThat(r.exit()).as("oomguard died before it could write the end").isEmpty();
            assertThat(r.skipped()).as("at most a torn last line").hasSizeLessThanOrEqualTo(1);
            Path html = tmp.resolve("killed.html");
            Process report = new ProcessBuilder(launcher(), "report", record.toString(), "--html", html.toString())
                    .start();
            assertThat(report.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(report.exitValue()).as("oomguard report renders a record without an end").isZero();
            assertThat(Files.readString(html)).contains("<svg id=\"memory-chart\"");
            // Fail open: the job is not taken down with oomguard.
            for (int i = 0; i < 200 && !Files.exists(done); i++) {
                Thread.sleep(25);
            }
            assertThat(done).as("the job finished by itself").exists();
        } finally {
            ProcessHandle.of(job).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aCompleteRunHasItsExitLineAndASummaryJson() throws Exception {
        Path record = tmp.resolve("run.jsonl");
        Path summary = tmp.resolve("summary.json");
        Process p = new ProcessBuilder(launcher(), "-q", "--record", record.toString(), "--summary-json",
                summary.toString(), "--", "sh", "-c", "trap 'exit 4' USR1; touch " + tmp.resolve("ready")
                        + "; sleep 5 & wait").start();
        for (int i = 0; i < 400 && !Files.exists(tmp.resolve("ready")); i++) {
            Thread.sleep(25);
        }
        new ProcessBuilder("kill", "-USR1", Long.toString(p.pid())).start().waitFor(); // relayed to the job
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(4);
        RecordReader.Result r = RecordReader.parse(Files.readString(record));
        assertThat(r.skipped()).isEmpty();
        assertThat(r.exit()).isPresent();
        assertThat(r.exit().get().json().get("status").asInt()).isEqualTo(4);
        assertThat(r.events()).as("the relayed signal is recorded")
                .anySatisfy(e -> assertThat(e.json().get("kind").asText()).isEqualTo("signal_forwarded"));
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(summary.toFile());
        assertThat(json.get("schema").asText()).isEqualTo("oomguard.summary/1");
        assertThat(json.get("status").asInt()).isEqualTo(4);
        assertThat(json.get("exit_code").asInt()).isEqualTo(4);
        assertThat(List.of(tmp.toFile().list())).as("no temp file left").containsExactlyInAnyOrder("run.jsonl",
                "summary.json", "ready");
    }

    @Test
    void theRecordAndItsReportDescribeTheMachine() throws Exception {
        Path record = tmp.resolve("run.jsonl");
        Path html = tmp.resolve("run.html");
        // The job ends once the host event is in the record (or after 60 s): no race with OSHI's read.
        Process p = new ProcessBuilder(launcher(), "-q", "--record", record.toString(), "--html", html.toString(), "--",
                "sh", "-c", "i=0; until grep -q '\"kind\":\"host\"' " + record + " || [ $i -ge 600 ]; do sleep 0.1;"
                        + " i=$((i+1)); done").start();
        assertThat(p.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        RecordReader.Result r = RecordReader.parse(Files.readString(record));
        RecordEntry.Event host = r.events().stream().filter(e -> e.kind().equals("host")).findFirst().orElseThrow();
        var facts = host.json().get("host");
        assertThat(facts.get("cpus").asInt()).isPositive();
        assertThat(facts.get("memory_bytes").asLong()).isPositive();
        assertThat(facts.get("kernel").asText()).isEqualTo(Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim());
        assertThat(Files.readString(html)).contains("<dt>machine</dt><dd>" + host.message().replace("&", "&amp;"));
    }

    @Test
    void htmlOnRunDrawsTheReportFromARecordKeptBesideIt() throws Exception {
        Path html = tmp.resolve("run.html");
        Process p = new ProcessBuilder(launcher(), "-q", "--interval", "100ms", "--html", html.toString(), "--",
                "sh", "-c", "sleep 0.8").start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        String page = Files.readString(html);
        assertThat(page).startsWith("<!DOCTYPE html>").contains("<svg id=\"memory-chart\"")
                .contains("class=\"exit-mark\"").doesNotContain("<script");
        assertThat(tmp.resolve("run.html.jsonl")).exists();
    }
}
