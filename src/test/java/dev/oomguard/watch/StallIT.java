package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.testing.Oomguard;
import dev.oomguard.testing.Oomguard.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thrashing for real: examples/thrash.py reads a 128 MiB file through mmap, over and over, in a
 * memory cgroup of 64 MiB, so every pass refaults the pages the last one pushed out. The kernel
 * never kills it; oomguard sees the stall (PSI full) and the tree's major faults, warns or stops,
 * and the summary says how long the job waited. Root, a memory cgroup and PSI needed; skipped
 * elsewhere with the reason.
 */
class StallIT {
    /**
     * Low on purpose: how much of a window a thrashing job spends stalled depends on the disk and
     * on what else the two cores run (a job waiting for a CPU is not stalled on memory), and the
     * tests are about what oomguard says and does once the level is reached, not about the level.
     */
    private static final String STALL_LEVEL = "3%";

    @TempDir
    static Path shared;

    @TempDir
    Path tmp;

    @BeforeAll
    static void psi() {
        assumeTrue(Files.isReadable(Path.of("/proc/pressure/memory")),
                "the kernel has no PSI (/proc/pressure/memory): it needs CONFIG_PSI and, on some, psi=1 at boot");
    }

    /** A cgroup v2 group of the test's own (no controller needed: every group has memory.pressure). */
    private static final class V2Group implements AutoCloseable {
        final Path dir;

        V2Group(Path dir) {
            this.dir = dir;
        }

        static V2Group create() throws IOException {
            Optional<Path> mount = Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .filter(l -> l.contains(" - cgroup2 ")).map(l -> Path.of(l.split(" ")[4])).findFirst();
            assumeTrue(mount.isPresent(), "no cgroup v2 hierarchy mounted: no per-group PSI");
            Path dir = mount.get().resolve("oomguard-it-" + UUID.randomUUID().toString().substring(0, 8));
            try {
                Files.createDirectory(dir);
            } catch (IOException e) {
                assumeTrue(false, "cannot make a cgroup v2 group under " + mount.get() + ": " + e.getMessage());
            }
            assumeTrue(Files.exists(dir.resolve("memory.pressure")), "cgroup v2 groups have no memory.pressure here");
            return new V2Group(dir);
        }

        String name() {
            return dir.getFileName().toString();
        }

        @Override
        public void close() throws IOException {
            for (int i = 0; i < 50 && !Files.readString(dir.resolve("cgroup.procs")).isBlank(); i++) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    private String thrash(double seconds) {
        return "/usr/bin/python3 " + Path.of("examples/thrash.py").toAbsolutePath() + " --file "
                + shared.resolve("thrash.data") + " --size 128 --seconds " + seconds;
    }

    /** The job enters the v1 memory group and, when given, the v2 group, then runs {@code job}. */
    private Result oomguard(MemoryGroup g, V2Group v2, List<String> options, String job) {
        List<String> args = new ArrayList<>(options);
        String enterV2 = v2 == null ? "" : "echo $$ > " + v2.dir.resolve("cgroup.procs") + " && ";
        args.addAll(List.of("--", "sh", "-c", enterV2 + g.enter(job)));
        return Oomguard.create().timeoutSeconds(120).run(args);
    }

    private static JsonNode json(Path file) throws IOException {
        return new ObjectMapper().readTree(file.toFile());
    }

    @Test
    void aJobThrashingInItsOwnGroupIsWarnedAndTheSummarySaysHowLongItWaited() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("64M"); V2Group v2 = V2Group.create()) {
            Path summary = tmp.resolve("summary.json");
            Path record = tmp.resolve("record.jsonl");
            Result r = oomguard(g, v2, List.of("--interval", "200ms", "--warn-stall", STALL_LEVEL, "--stall-window", "3s",
                    "--summary-json", summary.toString(), "--record", record.toString()), thrash(8));
            String e = r.stderr();
            assertThat(r.status()).as(e).isZero();
            assertThat(e).contains("oomguard: warning: thrashing: stalled on memory ")
                    .contains("PSI full of the job's cgroup v2 /" + v2.name())
                    .contains("oomguard:   time stalled on memory: ");
            assertThat(e.split("warning: thrashing", -1)).as("warned once: %s", e).hasSize(2);
            JsonNode stall = json(summary).path("memory_stall");
            assertThat(stall.path("host_wide").asBoolean()).isFalse();
            assertThat(stall.path("stalled_ms").asLong()).as(e).isGreaterThan(1000);
            assertThat(stall.path("tree_major_faults").asLong()).isPositive();
            assertThat(Files.readString(record)).contains("\"psi_scope\":\"job_cgroup\"");
            assertThat(g.oomKills()).as("thrashing, not an OOM").isZero();
        }
    }

    @Test
    void onStallStopEndsTheJobWith137() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("64M"); V2Group v2 = V2Group.create()) {
            Result r = oomguard(g, v2, List.of("--interval", "200ms", "--warn-stall", STALL_LEVEL, "--stall-window", "3s",
                    "--on-stall", "stop",
                    "--grace", "2s"), thrash(60));
            String e = r.stderr();
            assertThat(r.status()).as(e).isEqualTo(137);
            assertThat(e).contains("oomguard: stop the job (TERM to its process group, KILL after the grace period):"
                    + " thrashing: stalled on memory").contains("stopped by oomguard");
            assertThat(g.oomKills()).isZero();
        }
    }

    /**
     * Without a group of its own the job gets the host's PSI, which counts every task on the machine:
     * its "some" is blamed on the job only because its own tree faults, and said to be the machine's.
     * (Host-wide "full" stays near zero on a busy machine: other tasks run while the job waits.)
     */
    @Test
    void hostWidePressureIsBlamedOnTheJobOnlyWithItsOwnFaultsAndSaysSo() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("64M")) {
            Path summary = tmp.resolve("summary.json");
            Result r = oomguard(g, null, List.of("--interval", "200ms", "--warn-stall", STALL_LEVEL, "--stall-window", "3s",
                    "--summary-json", summary.toString()), thrash(8));
            String e = r.stderr();
            assertThat(r.status()).as(e).isZero();
            JsonNode stall = json(summary).path("memory_stall");
            assumeTrue(stall.path("source").asText().equals("host-wide PSI some"),
                    "the job inherits a cgroup v2 group that is not the root here, so its PSI is not host-wide: " + stall);
            assertThat(stall.path("host_wide").asBoolean()).isTrue();
            assertThat(stall.path("tree_major_faults").asLong()).isPositive();
            assertThat(e).contains("oomguard: warning: thrashing: the machine stalled on memory ")
                    .contains("host-wide PSI some, which counts every task on the machine, while the job's tree made ");
        }
    }
}
