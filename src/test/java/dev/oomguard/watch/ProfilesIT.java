package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.testing.Oomguard;
import dev.oomguard.testing.Oomguard.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs of the shapes of the profile corpus (src/test/resources/profiles), run live in a memory
 * cgroup the test makes, under oomguard with its default levels: each that fits its limit (its
 * peak at 50-80%) exits with its own status, is never stopped, and is never asked to checkpoint
 * below the floor (--warn 80%); a leak, with every setting at its default, is stopped by oomguard
 * (137) and the kernel never has to act.
 * Root only; skipped elsewhere with the reason.
 */
class ProfilesIT {
    private static final Path MAKE = Path.of("src/test/resources/profiles/make").toAbsolutePath();
    private static final String PY = "/usr/bin/python3";
    private static final double FLOOR_PERCENT = 80;
    /**
     * The jobs that fit are sampled every second, not every 5 s: the record then sees their peak,
     * and the growth estimate gets five times the readings to mistake a rise for a trend.
     */
    private static final String[] CLOSER = {"--interval", "1s"};
    /** The jobs' own status when their work succeeds: not 0, so passing it on is seen. */
    private static final int OWN_STATUS = 3;

    @TempDir
    Path tmp;

    /**
     * Runs {@code command} (sh) in the group under oomguard with its default levels and a record;
     * the job ends with its own status. {@code options}: more of oomguard's.
     */
    private Result run(MemoryGroup g, String command, String... options) throws IOException {
        Path job = tmp.resolve("job.sh");
        Files.writeString(job, command + " || exit $?\nexit " + OWN_STATUS + "\n");
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("--record", tmp.resolve("run.jsonl").toString(), "--", "sh", "-c", g.enter("sh " + job)));
        return Oomguard.create().timeoutSeconds(300).run(args);
    }

    /** The ladder's decisions in the record: kind and % of the binding limit used. */
    private List<String> decisions() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(tmp.resolve("run.jsonl"))) {
            JsonNode n = json.readTree(line);
            String kind = n.path("kind").asText();
            if (List.of("checkpoint", "terminate", "kill", "pause", "stop_deferred").contains(kind)) {
                out.add(kind + " at " + n.path("figures").path("binding").path("used_percent").asDouble() + "%");
            }
        }
        return out;
    }

    /** The highest share of the binding limit the record's samples saw. */
    private double peakPercent() throws IOException {
        ObjectMapper json = new ObjectMapper();
        double peak = 0;
        for (String line : Files.readAllLines(tmp.resolve("run.jsonl"))) {
            JsonNode n = json.readTree(line);
            if (n.path("type").asText().equals("sample")) {
                peak = Math.max(peak, n.path("binding").path("used_percent").asDouble());
            }
        }
        return peak;
    }

    private void assertFitsUntouched(MemoryGroup g, Result r) throws IOException {
        assertThat(r.status()).as(r.stderr()).isEqualTo(OWN_STATUS);
        double peak = peakPercent();
        System.out.printf("ProfilesIT: peak %.1f%% of the limit; decisions %s%n", peak, decisions());
        assertThat(peak).as("the job came near its limit (else the test tells nothing)").isGreaterThanOrEqualTo(50);
        assertThat(r.stderr()).doesNotContain("stop the job").doesNotContain("kill the job")
                .doesNotContain("pause the job");
        List<String> decisions = decisions();
        assertThat(decisions).as(r.stderr()).noneMatch(d -> !d.startsWith("checkpoint"));
        for (String d : decisions) {
            double percent = Double.parseDouble(d.replaceAll(".* at ([0-9.]+)%", "$1"));
            assertThat(percent).as("a checkpoint of a job that fits is never asked below the floor: " + d)
                    .isGreaterThanOrEqualTo(FLOOR_PERCENT);
        }
        assertThat(g.oomKills()).isZero();
    }

    @Test
    void aBurstLoadThenComputeThatFitsRunsUntouched() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            assertFitsUntouched(g, run(g, PY + " " + MAKE.resolve("py-burst.py") + " 160 8", CLOSER));
        }
    }

    @Test
    void aChunkedReaderThatFitsRunsUntouched() throws Exception {
        Path lines = tmp.resolve("lines.txt");
        assertThat(new ProcessBuilder(PY, MAKE.resolve("gen-lines.py").toString(), lines.toString(), "160")
                .inheritIO().start().waitFor()).isZero();
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            assertFitsUntouched(g, run(g, PY + " " + MAKE.resolve("py-chunked.py") + " " + lines, CLOSER));
        }
    }

    @Test
    void aForkedPoolThatFitsRunsUntouched() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("192M")) {
            assertFitsUntouched(g, run(g, PY + " " + MAKE.resolve("py-pool.py") + " 8 1500000", CLOSER));
        }
    }

    @Test
    void aJvmGcSawtoothWellBelowTheLimitRunsUntouched() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("416M")) {
            assertFitsUntouched(g, run(g, "java -Xms16m -Xmx256m -XX:+UseSerialGC -XX:MinHeapFreeRatio=10"
                    + " -XX:MaxHeapFreeRatio=20 " + MAKE.resolve("GcSawtooth.java") + " 5 150", CLOSER));
        }
    }

    @Test
    void aPlateauThatFitsRunsUntouched() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            assertFitsUntouched(g, run(g, PY + " " + MAKE.resolve("py-plateau.py") + " 20 180 10", CLOSER));
        }
    }

    @Test
    void aLeakIsStoppedByOomguardBeforeTheKernelActs() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            Result r = run(g, PY + " " + MAKE.resolve("py-leak.py") + " 10 120");
            assertThat(r.status()).as(r.stderr()).isEqualTo(137);
            assertThat(r.stderr()).contains("stop the job").contains("stopped by oomguard");
            assertThat(decisions()).as(r.stderr()).anyMatch(d -> d.startsWith("terminate"));
            assertThat(g.oomKills()).as("the kernel never had to act").isZero();
        }
    }
}
