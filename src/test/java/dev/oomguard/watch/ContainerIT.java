package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * oomguard as a container's entrypoint, reproduced without Docker: PID 1 of a PID namespace
 * ({@code unshare --pid --fork --mount-proc}), in a real memory cgroup bound over
 * {@code /sys/fs/cgroup/memory} as a container runtime does, with or without a cgroup namespace.
 */
class ContainerIT {
    @TempDir
    Path dir;

    private record Run(int status, String out, String err) {
    }

    private static String launcher() {
        return Path.of(System.getProperty("oomguard.launcher", "scripts/oomguard")).toAbsolutePath().toString();
    }

    private static void assumeRoot() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root for unshare --pid (runs in CI as root)");
    }

    private static Process start(List<String> cmd) throws IOException {
        return new ProcessBuilder(cmd).start();
    }

    private static Run finish(Process p) throws Exception {
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        p.getOutputStream().close();
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("did not end within 90 s; stderr so far unavailable");
        }
        return new Run(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> asPid1(String... oomguardArgs) {
        List<String> cmd = new ArrayList<>(List.of("unshare", "--pid", "--fork", "--mount-proc", launcher()));
        cmd.addAll(List.of(oomguardArgs));
        return cmd;
    }

    @Test
    void asPid1EveryZombieIsReapedOrphansAreAdoptedAndTheStatusComesBack() throws Exception {
        assumeRoot();
        // Five short-lived grandchildren orphaned at once (their zombies go to PID 1), and one that
        // outlives the job (setsid: a daemon); the job reports what it sees, then exits 5.
        String job = "for i in 1 2 3 4 5; do (sh -c 'sleep 0.3' &); done;"
                + " (setsid sh -c 'echo $$ > " + dir + "/daemon; exec sleep 60' &);"
                + " sleep 1.5;"
                + " z=$(for f in /proc/[0-9]*/stat; do cut -d' ' -f3 $f; done 2>/dev/null | grep -c Z);"
                + " echo zombies=$z; echo pid1=$(cut -d' ' -f2 /proc/1/stat);"
                + " echo daemon-parent=$(cut -d' ' -f4 /proc/$(cat " + dir + "/daemon)/stat); exit 5";
        Run r = finish(start(asPid1("-v", "--grace", "2s", "--", "sh", "-c", job)));
        assertThat(r.status()).as("the job's status, through PID 1 and unshare").isEqualTo(5);
        assertThat(r.out()).contains("zombies=0").contains("pid1=(java)").contains("daemon-parent=1");
        String daemon = Files.readString(dir.resolve("daemon")).trim();
        assertThat(r.err()).contains("the job left 1 process(es) running: " + daemon + " (sleep); sending TERM");
    }

    @Test
    void termSentFromOutsideToPid1ReachesTheJob() throws Exception {
        assumeRoot();
        Path ready = dir.resolve("ready");
        Process p = start(asPid1("-v", "--", "sh", "-c",
                "trap 'echo got-term; exit 7' TERM; touch " + ready + "; while :; do sleep 0.1; done"));
        for (int i = 0; i < 600 && !Files.exists(ready); i++) {
            assertThat(p.isAlive()).as("still starting").isTrue();
            Thread.sleep(50);
        }
        assertThat(ready).exists();
        // PID 1 of the namespace, seen from outside: unshare's child, which the launcher exec'd into the JVM.
        Optional<ProcessHandle> pid1 = ProcessHandle.of(p.pid()).flatMap(h -> h.children().findFirst());
        assertThat(pid1).isPresent();
        assertThat(pid1.get().info().command().orElse("")).endsWith("java");
        // As 'docker stop' does: TERM to the container's PID 1 from the parent namespace. The kernel
        // delivers it to a namespace's init only because oomguard has a handler for it.
        new ProcessBuilder("kill", "-TERM", Long.toString(pid1.get().pid())).start().waitFor();
        Run r = finish(p);
        assertThat(r.status()).isEqualTo(7);
        assertThat(r.out()).isEqualTo("got-term\n");
        assertThat(r.err()).contains("received SIGTERM: forwarded to the job's process group");
    }

    @Test
    void aJobKilledBySignalGives128PlusNSincePid1CannotDieOfItsOwnSignal() throws Exception {
        assumeRoot();
        // oomguard re-raises the job's signal on itself; the kernel ignores that for a namespace's
        // init (no handler, default action), so oomguard exits 128+N instead, as the table says.
        Run r = finish(start(asPid1("--", "sh", "-c", "kill -USR1 $$")));
        assertThat(r.status()).isEqualTo(128 + 10);
    }

    @ParameterizedTest(name = "cgroup namespace: {0}")
    @ValueSource(booleans = {false, true})
    void theContainersMemoryLimitIsTheBindingLimit(boolean ownCgroupNamespace) throws Exception {
        assumeRoot();
        try (MemoryGroup g = MemoryGroup.create("300M")) {
            // The container's group bound over /sys/fs/cgroup/memory, as Docker does with cgroup v1;
            // with --cgroup the job's own group reads as "/" (Docker's default on cgroup v2).
            String inside = "mount --bind " + g.dir + " /sys/fs/cgroup/memory && exec '" + launcher()
                    + "' -v -- sh -c 'grep memory /proc/self/cgroup; sleep 1'";
            String outside = "unshare " + (ownCgroupNamespace ? "--cgroup " : "")
                    + "--pid --fork --mount-proc sh -c \"" + inside + "\"";
            Run r = finish(start(List.of("sh", "-c", g.enter(outside))));
            assertThat(r.status()).as(r.err()).isZero();
            assertThat(r.out()).as("the job's memory cgroup as it sees it")
                    .matches("\\d+:memory:/" + (ownCgroupNamespace ? "" : g.dir.getFileName()) + "\n");
            assertThat(r.err()).contains("binding limit: cgroup v1 /sys/fs/cgroup/memory: memory.limit_in_bytes 300 MiB")
                    .contains("note: oomguard itself holds ");
        }
    }

    @ParameterizedTest(name = "--memory-max: {0}")
    @ValueSource(booleans = {false, true})
    void aJobThatEndsAtOnceIsBoundByTheLimitItRanUnder(boolean memoryMax) throws Exception {
        try (MemoryGroup g = MemoryGroup.create("300M")) {
            // 'true' is mostly gone before the guard attaches: its limits are then those of the
            // group it was started in (oomguard's own, or the one --memory-max made), not the host's.
            String run = "'" + launcher() + "' -v " + (memoryMax ? "--memory-max 100M " : "") + "-- true";
            Run r = finish(start(List.of("sh", "-c", g.enter(run))));
            assertThat(r.status()).as(r.err()).isZero();
            String group = g.dir + (memoryMax ? "/oomguard-" : ": memory.limit_in_bytes 300 MiB");
            assertThat(r.err()).as("the binding limit").contains("binding limit: cgroup v1 " + group)
                    .doesNotContain("binding limit: host");
            if (memoryMax) {
                assertThat(r.err()).containsPattern("binding limit: cgroup v1 \\S+/oomguard-\\d+-\\d+: memory.limit_in_bytes 100 MiB");
            }
        }
    }

    @Test
    void aJobThatOutgrowsTheLimitItRanUnderAtOnceIsToldOfThatLimitOnly() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("150M")) {
            // Killed (by the kernel, or stopped by the guard) within a tick or two; while its memory
            // is torn down the kernel already names it in the root cgroup, which must not make the
            // host its binding limit for those last ticks.
            Path record = dir.resolve("run.jsonl");
            String run = "'" + launcher() + "' -v --record " + record + " -- python3 -c 'bytearray(400 << 20)'";
            Run r = finish(start(List.of("sh", "-c", g.enter(run))));
            assertThat(r.status()).as(r.err()).isEqualTo(137);
            assertThat(r.err()).contains("binding limit: cgroup v1 " + g.dir + ": memory.limit_in_bytes 150 MiB")
                    .contains("150 MiB it had").doesNotContain("host=").doesNotContain("binding limit: host");
            assertThat(Files.readString(record)).as("every sample's binding limit")
                    .contains("\"binding\":{\"source\":\"cgroup_v1\"").doesNotContain("\"binding\":{\"source\":\"host\"");
        }
    }
}
