package dev.oomguard.watch;

import dev.oomguard.launch.GroupSignals;
import dev.oomguard.checkpoint.CheckpointRequest;
import dev.oomguard.checkpoint.Reflex;
import dev.oomguard.checkpoint.ReflexFired;
import dev.oomguard.checkpoint.Checkpoints;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.oomguard.proc.KernelEvents;
import dev.oomguard.testing.Oomguard;
import dev.oomguard.testing.Oomguard.Result;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
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

    private static Result oomguard(MemoryGroup g, List<String> options, String job) {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("--", "sh", "-c", g.enter(job)));
        return Oomguard.create().timeoutSeconds(120).run(args);
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
                Result r = oomguard(g, List.of("-v", "--warn", "90%", "--checkpoint", "95%", "--stop", "99.5%",
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
            Result r = oomguard(g, List.of("--warn", "90%", "--checkpoint", "99%", "--stop", "99.5%",
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
            Result r = oomguard(g, List.of("--grace", "2s"), alloc("1024 256 0 1"));
            String e = r.stderr();
            assertThat(e).contains("ask the job to checkpoint: --checkpoint 90% crossed while growing")
                    .contains("stop the job (TERM").contains("alloc: signal 15 at ");
            assertThat(g.oomKills()).as(e).isZero();
            assertThat(r.status()).as(e).isEqualTo(137);
        }
    }

    /**
     * A job that has settled is not stopped when it finds itself past --stop under a limit the
     * kernel enforces: the group's limit is lowered under the settled job (its use then ~96.5% of
     * it, past --stop 95%), so no reading past the level can see it growing, whatever the timing.
     * (A job that passes --stop still growing at full speed cannot be told from one about to die,
     * and is stopped there: LadderJudgementTest, and docs/limits.md.)
     */
    @Test
    void aSettledJobFoundPastTheStopLevelIsNotStopped() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("512M")) {
            String job = "/usr/bin/python3 -c '"
                    + "import sys, time\n"
                    + "b = bytearray(200 << 20)\n"
                    + "for i in range(0, len(b), 4096): b[i] = 1\n"
                    + "time.sleep(1)\n"
                    + "d = sys.argv[1]\n"
                    + "usage = int(open(d + \"/memory.usage_in_bytes\").read())\n"
                    + "limit = int(usage / 0.965) // 4096 * 4096\n"
                    + "open(d + \"/memory.limit_in_bytes\", \"w\").write(str(limit))\n"
                    + "print(\"settled at\", usage >> 20, \"MiB, limit now\", limit >> 20, \"MiB\", flush=True)\n"
                    + "time.sleep(4)\n"
                    + "' " + g.dir;
            Result r = oomguard(g, List.of("--grace", "2s", "--interval", "500ms"), job);
            String e = r.stderr();
            assertThat(r.out()).as(e).contains("settled at");
            assertThat(e).as("the job's use went past --stop").containsPattern("closest approach: .* \\(9[5-9]\\.\\d%");
            assertThat(e).doesNotContain("stop the job");
            assertThat(r.status()).as(e).isZero();
            assertThat(g.oomKills()).isZero();
        }
    }

    @Test
    void theJobNeverInheritsTheGuardsDescriptors() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            Path fds = tmp.resolve("fds");
            Result r = oomguard(g, List.of("-v"), "ls -l /proc/self/fd > " + fds);
            assertThat(r.status()).as(r.stderr()).isZero();
            assertThat(Files.readString(fds)).doesNotContain("anon_inode:[eventfd]").doesNotContain("inotify");
        }
    }

    @Test
    void atFullSpeedTheReflexPutsTheFlagFileInPlaceThenSignalsBeforeTheKernelActs() throws Exception {
        // 99% of 512 MiB leaves 5.1 MiB: ~2.5 ms at full speed. The job's trap reads the flag file
        // when USR1 arrives: the file must already say why.
        for (int run = 1; run <= 5; run++) {
            try (MemoryGroup g = MemoryGroup.create("512M")) {
                String job = "bash -c 'trap \"echo flag: \\$(cat \\\"\\$OOMGUARD_CHECKPOINT_FILE\\\") >&2; exit 0\" USR1; "
                        + alloc("1024 0 0 1") + " & wait'";
                Result r = oomguard(g, List.of("-v", "--warn", "90%", "--checkpoint", "99%", "--stop", "99.5%",
                        "--checkpoint-signal", "USR1"), job);
                String e = r.stderr();
                assertThat(e).as("run %d", run)
                        .contains("the checkpoint reflex runs at real-time priority (SCHED_FIFO 1)")
                        .containsPattern("ask the job to checkpoint: --checkpoint 99% crossed while growing \\(kernel"
                                + " notification\\) on .* \\(sent \\d+ µs after the kernel's notification\\)")
                        .contains("flag: --checkpoint 99% crossed while growing (kernel notification) on cgroup v1 " + g.dir)
                        .contains("alloc: signal 10 at ");
                assertThat(g.oomKills()).as("run %d: the kernel never had to act\n%s", run, e).isZero();
                assertThat(r.status()).as(e).isZero();
            }
        }
    }

    @Test
    void theReflexFiresOnceAtItsLevelAndIsClaimedOnce() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("512M")) {
            Path flag = tmp.resolve("checkpoint");
            Checkpoints checkpoints = new Checkpoints(Optional.of(flag), Duration.ofSeconds(60), Clock.systemUTC(),
                    System::nanoTime);
            Files.writeString(tmp.resolve("checkpoint.done"), "stale"); // an old answer: cleared when armed
            Process job = groupLeader(g, alloc("200 0 3 0.5"));
            List<String> said = new CopyOnWriteArrayList<>();
            try (Reflex reflex = new Reflex(KernelEvents.load(),
                    new CheckpointRequest(checkpoints, new GroupSignals(() -> (int) job.pid(), sig -> { })), 10, said::add)) {
                assertThat(reflex.start()).isTrue();
                reflex.arm(g.dir + "/cgroup.event_control", g.dir + "/memory.usage_in_bytes", 100L << 20, "why: a test");
                assertThat(tmp.resolve("checkpoint.done")).doesNotExist();
                String err = new String(job.getErrorStream().readAllBytes());
                assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(err).containsPattern("alloc: signal 10 at 10[0-9] MiB");
                Optional<ReflexFired> fired = reflex.claim();
                assertThat(fired).hasValueSatisfying(f -> {
                    assertThat(f.fileRenamed()).isTrue();
                    assertThat(f.signal()).isEqualTo(10);
                });
                assertThat(Files.readString(flag)).isEqualTo("why: a test\n");
                assertThat(reflex.claim()).as("claimed once").isEmpty();
                assertThat(said).contains("the checkpoint reflex runs at real-time priority (SCHED_FIFO 1)");
            }
            assertThat(tmp.resolve(".checkpoint.oomguard-staged")).doesNotExist();
        }
    }

    @Test
    void aReflexClaimedBeforeItsLevelStaysSilent() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("512M")) {
            Path flag = tmp.resolve("checkpoint");
            Checkpoints checkpoints = new Checkpoints(Optional.of(flag), Duration.ofSeconds(60), Clock.systemUTC(),
                    System::nanoTime);
            try (Reflex reflex = new Reflex(KernelEvents.load(),
                    new CheckpointRequest(checkpoints, new GroupSignals(() -> -1, sig -> { })), 10, line -> { })) {
                assertThat(reflex.start()).isTrue();
                reflex.arm(g.dir + "/cgroup.event_control", g.dir + "/memory.usage_in_bytes", 100L << 20, "why: a test");
                // The responder asked for the checkpoint its own way first: the reflex stands down.
                assertThat(reflex.claim()).isEmpty();
                Process job = groupLeader(g, alloc("200 0 0 0"));
                String err = new String(job.getErrorStream().readAllBytes());
                assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(err).contains("alloc: done 200 MiB");
                assertThat(flag).doesNotExist();
                assertThat(reflex.claim()).isEmpty();
            }
        }
    }

    /** The job in the group, leading a process group of its own (the reflex signals the group). */
    private static Process groupLeader(MemoryGroup g, String command) throws Exception {
        return new ProcessBuilder("setsid", "sh", "-c", g.enter(command))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}
