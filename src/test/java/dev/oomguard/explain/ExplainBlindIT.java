package dev.oomguard.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.testing.Oomguard;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code oomguard explain} as an unprivileged user ({@code nobody}) with
 * {@code kernel.dmesg_restrict=1}, after a real OOM kill in a memory cgroup of this test's own:
 * it cannot read the kernel log, says so with the reasons and the fix, exits 77, and still reports
 * what the counters show (the machine's count and this cgroup's kill). As root the same kill is
 * found in the log. The sysctl is restored and the cgroup removed afterwards.
 */
class ExplainBlindIT {
    private static final Path MEMORY = Path.of("/sys/fs/cgroup/memory");
    private static final Path RESTRICT = Path.of("/proc/sys/kernel/dmesg_restrict");
    private static final long LIMIT_BYTES = 32L << 20;
    private static final String PYTHON = "/usr/bin/python3";
    private static final String GROW = "held = []\nwhile True:\n    held.append(bytearray(4 << 20))\n";

    private Path cgroup;
    private Process hog;

    @BeforeEach
    void createCgroup() throws IOException {
        assumeTrue(isRoot(), "needs root: to create a memory cgroup, set kernel.dmesg_restrict and become nobody");
        assumeTrue(Files.isRegularFile(MEMORY.resolve("memory.limit_in_bytes")),
                "needs the cgroup v1 memory controller at " + MEMORY);
        assumeTrue(Files.isWritable(RESTRICT), "needs a writable " + RESTRICT);
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON);
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv (util-linux)");
        assumeTrue(Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith("nobody:")),
                "needs the user nobody");
        cgroup = MEMORY.resolve("explain-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(cgroup);
        Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(LIMIT_BYTES));
        if (Files.exists(cgroup.resolve("memory.memsw.limit_in_bytes"))) {
            Files.writeString(cgroup.resolve("memory.memsw.limit_in_bytes"), Long.toString(LIMIT_BYTES));
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (cgroup == null) {
            return;
        }
        if (hog != null && hog.isAlive()) {
            hog.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (int i = 0; i < 100 && Files.exists(cgroup.resolve("cgroup.procs"))
                && !Files.readString(cgroup.resolve("cgroup.procs")).isBlank(); i++) {
            Thread.sleep(50);
        }
        Files.deleteIfExists(cgroup);
    }

    @Test
    void nobodyIsToldItCannotSeeTheLogAndWhatTheCountersSay() throws Exception {
        // A real kill: python grows in the 32 MiB group until the kernel kills it.
        hog = new ProcessBuilder("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec " + PYTHON
                + " -c \"$0\"", GROW).redirectErrorStream(true).start();
        long pid = hog.pid();
        assertThat(hog.waitFor(60, TimeUnit.SECONDS)).as("the process dies").isTrue();
        assertThat(hog.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        assertThat(Files.readString(cgroup.resolve("memory.oom_control"))).contains("oom_kill 1");
        String name = "/" + cgroup.getFileName();

        // As root the kill is in the log: what nobody is missing is real.
        Oomguard.Result root = Oomguard.create().timeoutSeconds(120).run("explain", "--pid", Long.toString(pid));
        assertThat(root.status()).as(root.stderr()).isZero();
        assertThat(root.out()).contains("killed PID " + pid + " (python3)", "memory cgroup " + name);

        String original = Files.readString(RESTRICT).strip();
        try {
            Files.writeString(RESTRICT, "1");
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put("HOME", "/nonexistent"); // nobody's: the launcher then caches in $TMPDIR or /tmp
            Oomguard nobody = Oomguard.create().via("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")
                    .environment(env).timeoutSeconds(120);

            Oomguard.Result text = nobody.run("explain");
            System.out.println(text.out()); // the real answer, for the record
            assertThat(text.status()).as(text.stderr()).isEqualTo(77);
            assertThat(text.out()).startsWith("Cannot see the kernel log")
                    .contains("/dev/kmsg: permission denied (kernel.dmesg_restrict=1")
                    .contains("dmesg: permission denied")
                    .containsPattern("The kernel has OOM-killed [1-9][0-9]* process(es)? since boot \\(/proc/vmstat oom_kill")
                    .contains(name + " (1)")
                    .contains("run as root", "adm group", "systemd-journal group", "sysctl kernel.dmesg_restrict=0")
                    .doesNotContain("No OOM kill found");
            assertThat(text.stderr()).contains("oomguard: cannot see the kernel log").doesNotContain("Exception");

            Oomguard.Result json = nobody.run("explain", "--json");
            assertThat(json.status()).isEqualTo(77);
            JsonNode doc = new ObjectMapper().readTree(json.out());
            assertThat(doc.get("kernel_log_readable").asBoolean()).isFalse();
            assertThat(doc.get("counters").get("vmstat_oom_kill").asLong()).isPositive();
            List<String> groups = new ArrayList<>();
            doc.get("counters").get("cgroups").forEach(c -> groups.add(c.get("path").asText() + "=" + c.get("oom_kill").asLong()));
            assertThat(groups).contains(name + "=1");
        } finally {
            Files.writeString(RESTRICT, original);
        }
        assertThat(Files.readString(RESTRICT).strip()).isEqualTo(original);
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }
}
