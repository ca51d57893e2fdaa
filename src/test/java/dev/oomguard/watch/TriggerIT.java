package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The event-driven guard against a real kernel: a C allocator (compiled here with gcc) racing a
 * real cgroup v1 memory limit at full speed. The checkpoint signal must reach the job before the
 * kernel's OOM killer acts (the group's oom_kill counter stays 0 and the job's handler saw the
 * signal). Root and gcc only; skipped elsewhere with the reason.
 */
class TriggerIT {
    @TempDir
    Path tmp;

    private Path alloc;

    record Run(int status, String stderr) {
    }

    @BeforeEach
    void compileTheAllocator() throws Exception {
        MemoryGroup.assumeAvailable();
        Path gcc = Path.of("/usr/bin/gcc");
        assumeTrue(Files.isExecutable(gcc), "needs gcc to build the test allocator (CI installs it)");
        Path source = tmp.resolve("alloc.c");
        try (InputStream in = TriggerIT.class.getResourceAsStream("alloc.c")) {
            Files.copy(in, source);
        }
        alloc = tmp.resolve("alloc");
        Process p = new ProcessBuilder(gcc.toString(), "-O2", "-o", alloc.toString(), source.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
    }

    private static Run oomguard(MemoryGroup g, List<String> options, String job) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("oomguard.launcher", "scripts/oomguard")).toAbsolutePath().toString());
        cmd.addAll(options);
        cmd.addAll(List.of("--", "sh", "-c", g.enter(job)));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        byte[] err = p.getErrorStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("oomguard did not end");
        }
        return new Run(p.exitValue(), new String(err));
    }

    /** alloc MAX_MIB RATE_MIB_S HOLD_S DELAY_S: the delay lets the guard arm before the race. */
    private String alloc(String args) {
        return alloc + " " + args;
    }

    @Test
    void aFullSpeedAllocatorIsAskedToCheckpointBeforeTheKernelKillsIt() throws Exception {
        // 25 MiB of headroom at ~2 GiB/s: about 12 ms (scripts/bench-reaction measures the 99% case)
        for (int run = 1; run <= 3; run++) {
            try (MemoryGroup g = MemoryGroup.create("512M")) {
                Run r = oomguard(g, List.of("-v", "--warn", "90%", "--checkpoint", "95%", "--stop", "99.5%",
                        "--checkpoint-signal", "USR1"), alloc("1024 0 0 1"));
                String e = r.stderr();
                assertThat(e).as("run %d", run)
                        .contains("protected by cgroup v1 eventfd thresholds on " + g.dir + "/memory.usage_in_bytes")
                        .contains("OOM kills in " + g.dir + " are notified at once (memory.oom_control eventfd)")
                        .contains("ask the job to checkpoint: --checkpoint 95% crossed while growing (kernel notification)")
                        .contains("alloc: signal 10 at ");
                assertThat(g.oomKills()).as("run %d: the kernel never had to act\n%s", run, e).isZero();
                assertThat(r.status()).as(e).isZero();
            }
        }
    }

    @Test
    void at256MiBPerSecondAJobIsAskedToCheckpointAt99PercentBeforeTheKernelKillsIt() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("512M")) {
            Run r = oomguard(g, List.of("--warn", "90%", "--checkpoint", "99%", "--stop", "99.5%",
                    "--checkpoint-signal", "USR1"), alloc("1024 256 0 1"));
            String e = r.stderr();
            assertThat(e).contains("ask the job to checkpoint: --checkpoint 99% crossed while growing").contains("alloc: signal 10 at ");
            assertThat(g.oomKills()).as(e).isZero();
            assertThat(r.status()).as(e).isZero();
        }
    }

    @Test
    void at256MiBPerSecondTheJobIsCheckpointedThenStoppedBeforeTheKernel() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("512M")) {
            // The job ignores USR1's meaning here (no --checkpoint-signal): it is stopped with TERM.
            Run r = oomguard(g, List.of("--grace", "2s"), alloc("1024 256 0 1"));
            String e = r.stderr();
            assertThat(e).contains("ask the job to checkpoint: --checkpoint 90% crossed while growing")
                    .contains("stop the job (TERM").contains("alloc: signal 15 at ");
            assertThat(g.oomKills()).as(e).isZero();
            assertThat(r.status()).as(e).isEqualTo(137);
        }
    }

    @Test
    void aJobThatSettlesJustPastTheStopLevelIsNotStopped() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            // 244 MiB of 256 MiB at full speed (~245 MiB charged with its page tables: past --stop 95%,
            // 243.2 MiB, short of the approach level a quarter of the way on, 246.4 MiB), held for 3 s.
            // At 246 MiB (~247 charged) it crosses the approach level while growing at full speed,
            // and a stop there is the rule working: that job could not be told from one about to die.
            Run r = oomguard(g, List.of("--grace", "2s"), alloc("244 0 3 1"));
            String e = r.stderr();
            assertThat(e).contains("alloc: done 244 MiB").doesNotContain("stop the job");
            assertThat(r.status()).as(e).isZero();
            assertThat(g.oomKills()).isZero();
        }
    }

    @Test
    void theJobNeverInheritsTheGuardsDescriptors() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            Path fds = tmp.resolve("fds");
            Run r = oomguard(g, List.of("-v"), "ls -l /proc/self/fd > " + fds);
            assertThat(r.status()).as(r.stderr()).isZero();
            assertThat(Files.readString(fds)).doesNotContain("anon_inode:[eventfd]").doesNotContain("inotify");
        }
    }

}
