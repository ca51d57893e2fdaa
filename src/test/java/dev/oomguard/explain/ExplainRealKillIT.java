package dev.oomguard.explain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.kernellog.DevKmsgSource;
import dev.oomguard.kernellog.KernelLogSource;
import dev.oomguard.kernellog.KernelLogs;
import dev.oomguard.kernellog.SourceUnavailableException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real memory-cgroup OOM kill of a process tree (python3 master + one worker) in a cgroup v1
 * group of its own, limited to 64 MiB (memory and memory+swap), found and explained by the real
 * CLI. Only this test's own kill can match: its cgroup name is random, and the kmsg sequence
 * number at its start bounds the search. The limit is set before any process joins, so the
 * machine as a whole is never short of memory.
 */
class ExplainRealKillIT {
    private static final Path MEMORY = Path.of("/sys/fs/cgroup/memory");
    private static final long LIMIT_BYTES = 64L << 20;
    private static final String PYTHON = "/usr/bin/python3";
    /** The master grows until killed; the worker holds 8 MiB and waits (it survives the kill). */
    private static final String TREE = String.join("\n",
            "import os, sys, time",
            "pid = os.fork()",
            "if pid == 0:",
            "    b = bytearray(8 << 20)",
            "    time.sleep(120)",
            "    os._exit(0)",
            "print(pid, flush=True)",
            "held = []",
            "for i in range(64):",
            "    held.append(bytearray(4 << 20))",
            "time.sleep(5)",
            "sys.exit(3)");

    private Path cgroup;
    private Process master;
    private final Set<Long> ownPids = new HashSet<>();

    @BeforeEach
    void createCgroup() throws IOException {
        assumeTrue(isRoot(), "needs root to create a memory cgroup and read /dev/kmsg");
        assumeTrue(Files.isRegularFile(MEMORY.resolve("memory.limit_in_bytes")),
                "needs the cgroup v1 memory controller at " + MEMORY);
        assumeTrue(Files.isExecutable(Path.of(PYTHON)), "needs " + PYTHON);
        cgroup = MEMORY.resolve("oomguard-it-" + UUID.randomUUID().toString().substring(0, 8));
        Files.createDirectory(cgroup);
        Files.writeString(cgroup.resolve("memory.limit_in_bytes"), Long.toString(LIMIT_BYTES));
        if (Files.exists(cgroup.resolve("memory.memsw.limit_in_bytes"))) {
            // memory+swap equal to memory: swap cannot save the job.
            Files.writeString(cgroup.resolve("memory.memsw.limit_in_bytes"), Long.toString(LIMIT_BYTES));
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (cgroup == null) {
            return;
        }
        if (master != null && master.isAlive()) {
            master.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        for (long pid : procs()) {
            ownPids.add(pid);
        }
        for (long pid : ownPids) { // only processes this test started (they are all in its cgroup)
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (int i = 0; i < 100 && !procs().isEmpty(); i++) {
            Thread.sleep(50);
        }
        Files.deleteIfExists(cgroup);
    }

    @Test
    void aRealCgroupKillIsFoundAndExplained() throws Exception {
        long seqAtStart = new DevKmsgSource().nextSequence(Duration.ofSeconds(10)).orElse(-1);
        Long countBefore = oomKillCounter();
        Instant started = Instant.now();
        String since = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault())
                .format(started.minusSeconds(2));
        // The shell joins the cgroup, then becomes python: every page the tree touches is charged there.
        master = new ProcessBuilder("sh", "-c", "echo $$ > " + cgroup.resolve("cgroup.procs") + " && exec " + PYTHON
                + " -c \"$0\"", TREE).redirectErrorStream(true).start();
        long masterPid = master.pid();
        ownPids.add(masterPid);
        // One line (the worker's pid); not to EOF: the worker keeps the pipe open.
        String firstLine = new java.io.BufferedReader(new java.io.InputStreamReader(master.getInputStream(),
                StandardCharsets.UTF_8)).readLine();
        if (firstLine != null && firstLine.strip().matches("\\d+")) {
            ownPids.add(Long.parseLong(firstLine.strip()));
        }
        assertThat(master.waitFor(60, TimeUnit.SECONDS)).as("the master dies").isTrue();
        assertThat(master.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);
        Instant ended = Instant.now();

        String cgroupName = "/" + cgroup.getFileName();
        Run text = oomguard("explain", "--since", since, "--pid", Long.toString(masterPid));
        assertThat(text.status).isZero();
        System.out.println(text.out); // the real explanation, for the record
        assertThat(text.out).contains("killed PID " + masterPid + " (python3)",
                "memory cgroup " + cgroupName + " reached its limit", "64.0 MiB of 64.0 MiB", "Verdict: cgroup_limit");

        Run json = oomguard("explain", "--since", since, "--json");
        JsonNode kills = new ObjectMapper().readTree(json.out).get("kills");
        List<JsonNode> ours = new ArrayList<>();
        kills.forEach(k -> {
            if (k.path("report").path("cgroup").path("path").asText().equals(cgroupName)) {
                ours.add(k);
            }
        });
        assertThat(ours).hasSize(1);
        JsonNode k = ours.get(0);
        assertThat(k.get("pid").asLong()).isEqualTo(masterPid);
        assertThat(k.get("verdict").asText()).isEqualTo("cgroup_limit");
        assertThat(k.get("report").get("cgroup").get("counters").get(0).get("limit_kib").asLong()).isEqualTo(65536);
        assertThat(k.get("report").get("time").get("last_kmsg_seq").asLong()).isGreaterThanOrEqualTo(seqAtStart);
        assertThat(k.get("job").get("processes")).hasSizeGreaterThanOrEqualTo(2); // master + worker in the table

        // The run command's path: correlation by cgroup and sequence, and with the log unreadable, the counters.
        KillCorrelator correlator = new KillCorrelator(ZoneId.systemDefault(), 4);
        DeadProcess dead = new DeadProcess((int) masterPid, "python3", cgroupName, Set.of(), started, ended, seqAtStart,
                DeadProcess.Death.signaled(9), false);
        KernelLogs logs = new KernelLogs(ZoneId.systemDefault(), 2026, null, Duration.ofSeconds(10));
        OomCounters counters = new OomCounters(null, null, countBefore, oomKillCounter(), "memory.oom_control oom_kill");
        Explanation found = correlator.explainDeath(dead, List.of(new DevKmsgSource()), logs, counters,
                AllocationLimits.UNKNOWN, p -> { });
        assertThat(found.verdict()).isEqualTo(Verdict.CGROUP_LIMIT);
        assertThat(found.confidence()).isEqualTo(Confidence.HIGH);
        assertThat(found.pid()).isEqualTo((int) masterPid);

        Explanation blind = correlator.explainDeath(dead, List.of(denied()), logs, counters, AllocationLimits.UNKNOWN,
                p -> { });
        assertThat(counters.cgroupDelta()).isEqualTo(1L);
        assertThat(blind.verdict()).isEqualTo(Verdict.CGROUP_LIMIT);
        assertThat(blind.confidence()).isEqualTo(Confidence.MEDIUM);
        assertThat(blind.summary()).contains("oom_kill counter rose by 1");
        assertThat(blind.missing()).anyMatch(m -> m.contains("/dev/kmsg: permission denied"));
    }

    private static KernelLogSource denied() {
        return new KernelLogSource() {
            @Override
            public String name() {
                return "/dev/kmsg";
            }

            @Override
            public boolean stampsFromThisBoot() {
                return true;
            }

            @Override
            public Reader open(Duration timeout) throws SourceUnavailableException {
                throw new SourceUnavailableException("permission denied (simulated kernel.dmesg_restrict=1)");
            }
        };
    }

    private Long oomKillCounter() throws IOException {
        return OomCounters.parseOomKill(Files.readString(cgroup.resolve("memory.oom_control")));
    }

    private List<Long> procs() throws IOException {
        if (cgroup == null || !Files.exists(cgroup.resolve("cgroup.procs"))) {
            return List.of();
        }
        return Files.readAllLines(cgroup.resolve("cgroup.procs")).stream().filter(s -> !s.isBlank())
                .map(Long::valueOf).toList();
    }

    private static boolean isRoot() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .anyMatch(l -> l.startsWith("Uid:") && l.split("\\s+")[2].equals("0"));
        } catch (IOException e) {
            return false;
        }
    }

    private record Run(int status, String out, String err) {
    }

    private static Run oomguard(String... args) throws Exception {
        String jar = System.getProperty("oomguard.jar", "target/oomguard.jar");
        List<String> cmd = new ArrayList<>(List.of("java", "-jar", jar));
        cmd.addAll(List.of(args));
        Path err = Files.createTempFile("oomguard-it", ".err");
        try {
            Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
            return new Run(p.exitValue(), out, Files.readString(err));
        } finally {
            Files.deleteIfExists(err);
        }
    }
}
