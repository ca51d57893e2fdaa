package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.report.RecordEntry;
import dev.oomguard.report.RecordReader;
import dev.oomguard.testing.Oomguard;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * True peaks of real jobs: a block held for about a second is in the summary's peak whatever the
 * interval; a shell that does nothing is a few MiB, never oomguard's own memory nor the machine's;
 * a short growing job leaves its shape in the record. See docs/peaks.md.
 */
class PeaksIT {
    private static final long MIB_KIB = 1024;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path tmp;

    /** A python that touches {@code mib} MiB, holds it for {@code seconds}, and exits. */
    private static List<String> hold(int mib, double seconds) {
        return List.of("/usr/bin/python3", "-c", "import time\nb = bytearray(" + mib + " << 20)\n"
                + "for i in range(0, len(b), 4096): b[i] = 1\ntime.sleep(" + seconds + ")\n");
    }

    private JsonNode summary(List<String> options, List<String> job) throws Exception {
        Path json = tmp.resolve("summary-" + System.nanoTime() + ".json");
        List<String> args = new java.util.ArrayList<>(List.of("-q", "--summary-json", json.toString()));
        args.addAll(options);
        args.add("--");
        args.addAll(job);
        Oomguard.Result r = Oomguard.create().run(args);
        assertThat(r.status()).as(r.stderr()).isZero();
        return MAPPER.readTree(json.toFile());
    }

    @Test
    void aBlockHeldForASecondIsInThePeak() throws Exception {
        JsonNode j = summary(List.of(), hold(100, 1.2));
        assertThat(j.path("peak").path("kib").asLong()).as(j.toString()).isGreaterThanOrEqualTo(100 * MIB_KIB);
        assertThat(j.path("peak").path("lower_bound_only").asBoolean()).isFalse();
        assertThat(j.path("advice").asText()).startsWith("the job peaked at 1");
    }

    @Test
    void theIntervalDoesNotHideThePeak() throws Exception {
        // One sample a minute at rest: the kernel's marks still give the block.
        JsonNode j = summary(List.of("--interval", "60s"), hold(100, 1.0));
        assertThat(j.path("peak").path("kib").asLong()).as(j.toString()).isGreaterThanOrEqualTo(100 * MIB_KIB);
    }

    @Test
    void aShellThatExitsAtOnceIsAFewMebibytesOrSaidToBeUnmeasured() throws Exception {
        JsonNode j = summary(List.of(), List.of("sh", "-c", "exit 0"));
        if (j.path("peak").isNull()) {
            // Gone before the first look: said so, with the exit figure only as a bound, and no advice.
            assertThat(j.path("text").asText()).contains("peak memory: not measured");
            assertThat(j.path("advice").isNull()).isTrue();
        } else {
            assertThat(j.path("peak").path("kib").asLong()).as(j.toString()).isPositive().isLessThan(16 * MIB_KIB);
        }
        assertThat(j.path("text").asText()).as("the machine's use is never the job's")
                .doesNotContainPattern("advice: peak [0-9.]+ [GM]iB of");
    }

    @Test
    void aShellThatLivesASecondIsAFewMebibytes() throws Exception {
        JsonNode j = summary(List.of(), List.of("sh", "-c", "sleep 1; exit 0"));
        assertThat(j.path("peak").path("kib").asLong()).as(j.toString()).isPositive().isLessThan(16 * MIB_KIB);
        assertThat(j.path("peak").path("lower_bound_only").asBoolean()).isFalse();
        assertThat(j.path("advice").asText()).startsWith("the job peaked at ").contains(" of the host's ")
                .contains("other processes left the host at least");
    }

    @Test
    void aShortGrowingJobLeavesItsShapeInTheRecord() throws Exception {
        Path record = tmp.resolve("grow.jsonl");
        String grow = "import time\nchunks = []\nfor i in range(20):\n"
                + "    b = bytearray(6 << 20)\n    for j in range(0, len(b), 4096): b[j] = 1\n"
                + "    chunks.append(b)\n    time.sleep(0.2)\n";
        JsonNode j = summary(List.of("--record", record.toString()), List.of("/usr/bin/python3", "-c", grow));
        assertThat(j.path("peak").path("kib").asLong()).isGreaterThanOrEqualTo(120 * MIB_KIB);
        List<RecordEntry.Sample> samples = RecordReader.parse(Files.readString(record)).samples();
        List<Long> growing = samples.stream().map(RecordEntry.Sample::rssKiB)
                .filter(k -> k > 20 * MIB_KIB && k < 110 * MIB_KIB).toList();
        assertThat(growing).as("samples on the way up, at the default 5 s interval: " + samples.stream()
                .map(RecordEntry.Sample::rssKiB).toList()).hasSizeGreaterThanOrEqualTo(3);
        assertThat(growing).as("they show the growth").isSorted();
    }

    @Test
    void theJobsOwnGroupGivesItsChargedMaximum() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "--memory-max makes a cgroup v1 group: needs root");
        Assumptions.assumeTrue(Files.isDirectory(Path.of("/sys/fs/cgroup/memory")), "no cgroup v1 memory controller");
        JsonNode j = summary(List.of("--memory-max", "256M"), hold(100, 1.0));
        assertThat(j.path("peak").path("group_max_file").asText()).isEqualTo("memory.max_usage_in_bytes");
        assertThat(j.path("peak").path("group_max_kib").asLong()).isGreaterThanOrEqualTo(100 * MIB_KIB);
        assertThat(j.path("text").asText()).contains("group's charged maximum: ")
                .contains("the group's working set");
    }
}
