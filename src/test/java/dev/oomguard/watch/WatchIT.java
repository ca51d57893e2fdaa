package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oomguard.testing.Oomguard;
import dev.oomguard.testing.Oomguard.Result;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code oomguard watch} on real process trees started by the test, not by oomguard: a tree that
 * grows in a real memory cgroup is warned and never signalled (observe-only), stopped with --act,
 * OOM-killed by the kernel and explained; a normal end is "status unknown". The cgroup tests need
 * root and skip elsewhere with the reason.
 */
class WatchIT {
    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopWhatWeStarted() {
        for (Process p : started) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    private static String launcher() {
        return Oomguard.launcher().toString();
    }

    private static String grow(String args) {
        return "/usr/bin/python3 " + Path.of("examples/grow.py").toAbsolutePath() + " " + args;
    }

    /** Starts the job as a user would, without oomguard; its stderr goes to {@code err}. */
    private Process job(Path err, String... command) throws IOException {
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile()).start();
        started.add(p);
        return p;
    }

    /** Waits until {@code pid}'s command name is {@code comm} (after the job's exec) or it has {@code children}. */
    private static void awaitReady(long pid, String comm, int children) throws Exception {
        for (int i = 0; i < 100; i++) {
            String now = Files.readString(Path.of("/proc/" + pid + "/comm")).strip();
            long kids = ProcessHandle.of(pid).map(h -> h.children().count()).orElse(0L);
            if (now.equals(comm) && kids >= children) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the job " + pid + " did not get ready");
    }

    private static Result watch(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("watch"));
        cmd.addAll(args);
        return Oomguard.create().timeoutSeconds(120).run(cmd);
    }

    @Test
    void aGrowingTreeIsWarnedButObservedOnlyNoSignalReachesIt() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            Path jobErr = tmp.resolve("job.err");
            Process job = job(jobErr, "sh", "-c", "echo $$ > " + g.dir.resolve("cgroup.procs") + "; "
                    + grow("--rate 20 --upto 215 --hold 5") + "; echo job-ended-by-itself >&2");
            awaitReady(job.pid(), "sh", 1);
            // It levels off at ~87%: --checkpoint 82% is passed while it grows (no forecast asks for a
            // checkpoint after 10 s of growth: a forecast needs 20 s).
            Result r = watch(List.of("--pid", Long.toString(job.pid()), "--interval", "100ms", "--grace", "1s",
                    "--checkpoint", "82%", "--checkpoint-lead", "10s", "--checkpoint-signal", "USR1"));
            assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
            String e = r.stderr();
            assertThat(r.status()).as(e).isZero();
            assertThat(e).contains("oomguard: watching PID " + job.pid() + " (sh), not started by oomguard: observe-only")
                    .contains("oomguard: warning: --warn 80% reached on cgroup v1 ")
                    .contains(g.dir.getFileName().toString())
                    .contains("oomguard: would ask the job to checkpoint (observe-only; --act to act): ")
                    .contains("in 2 processes")
                    .contains("status: status unknown (exited; not started by oomguard)");
            String jobSaid = Files.readString(jobErr);
            assertThat(jobSaid).as("no USR1 reached grow.py").doesNotContain("checkpoint")
                    .contains("grow.py: done").contains("job-ended-by-itself");
            assertThat(job.exitValue()).isZero();
            assertThat(g.oomKills()).isZero();
        }
    }

    @Test
    void withActTheTreeIsStoppedBeforeTheKernelActsThoughItSharesTheTestsProcessGroup() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            Path jobErr = tmp.resolve("job.err");
            // The shell ignores USR1 (else the checkpoint signal, sent to each process, would end it).
            Process job = job(jobErr, "sh", "-c", "trap '' USR1; echo $$ > " + g.dir.resolve("cgroup.procs") + "; "
                    + grow("--rate 12"));
            awaitReady(job.pid(), "sh", 1);
            Result r = watch(List.of("--pid", Long.toString(job.pid()), "--act", "-v", "--interval", "100ms",
                    "--grace", "1s", "--checkpoint-lead", "1s", "--checkpoint-signal", "USR1"));
            String e = r.stderr();
            assertThat(r.status()).as(e).isEqualTo(137);
            assertThat(e).contains("acting on it (--act: signals go to each of its processes)")
                    .contains("its end is noticed through a pidfd")
                    .contains("oomguard: ask the job to checkpoint: ")
                    .contains("oomguard: stop the job (TERM to each of its processes, KILL after the grace period): ")
                    .contains("status: ended after oomguard stopped it (--act)")
                    .doesNotContain("observe-only (--act");
            assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(job.exitValue()).as("sh itself got TERM").isEqualTo(128 + 15);
            assertThat(Files.readString(jobErr)).contains("grow.py: checkpoint 1");
            assertThat(g.oomKills()).as("the kernel never had to act").isZero();
        }
    }

    @Test
    void withActAJobLeadingAGroupOfItsOwnIsStoppedThroughTheGroup() throws Exception {
        // setsid: the job leads its own session and group, as a job started from an interactive shell does.
        Path jobErr = tmp.resolve("job.err");
        Process job = job(jobErr, "setsid", "sh", "-c", grow("--rate 12") + "; echo not-reached >&2");
        awaitReady(job.pid(), "sh", 1);
        assertThat(Files.readString(Path.of("/proc/" + job.pid() + "/stat")).split(" ")[4])
                .as("the job leads its group").isEqualTo(Long.toString(job.pid()));
        Result r = watch(List.of("--pid", Long.toString(job.pid()), "--act", "-v", "--limit", "160M",
                "--interval", "100ms", "--grace", "1s", "--checkpoint-lead", "1s"));
        String e = r.stderr();
        assertThat(r.status()).as(e).isEqualTo(137);
        assertThat(e).contains("acting on it (--act: signals go to its process group)")
                .contains("oomguard: warning: --warn 80% reached on --limit")
                .contains("oomguard: stop the job (TERM to its process group, KILL after the grace period): ")
                .contains("signals go to the job's process group " + job.pid());
        assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(job.exitValue()).isEqualTo(128 + 15);
        assertThat(Files.readString(jobErr)).doesNotContain("not-reached");
    }

    @Test
    void aJobTheKernelOomKillsWhileWatchedIsExplainedInsteadOfStatusUnknown() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            Path jobErr = tmp.resolve("job.err");
            Process job = job(jobErr, "sh", "-c", g.enter(grow("--rate 12")));
            awaitReady(job.pid(), "python3", 0);
            Path summary = tmp.resolve("summary.json");
            Path record = tmp.resolve("record.jsonl");
            Result r = watch(List.of("--pid", Long.toString(job.pid()), "--interval", "100ms", "--grace", "1s",
                    "--summary-json", summary.toString(), "--record", record.toString()));
            String e = r.stderr();
            assertThat(r.status()).as(e).isEqualTo(137);
            assertThat(e).contains("oomguard: would stop the job (TERM to ")
                    .contains("(observe-only; --act to act)")
                    .contains("why PID " + job.pid() + " (python3) died:")
                    .contains("memory cgroup /" + g.dir.getFileName())
                    .contains("status: killed for memory: a memory-cgroup limit was reached (from the kernel log;"
                            + " not started by oomguard)")
                    .doesNotContain("status unknown");
            assertThat(job.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(job.exitValue()).isEqualTo(128 + 9);
            assertThat(g.oomKills()).isEqualTo(1);
            JsonNode s = new ObjectMapper().readTree(summary.toFile());
            assertThat(s.get("status").asInt()).isEqualTo(137);
            assertThat(s.get("signal").asInt()).isEqualTo(9);
            assertThat(s.get("exit_code").isNull()).isTrue();
            assertThat(s.get("verdict").asText()).isEqualTo("cgroup_limit");
            assertThat(s.get("stopped_by_oomguard").asBoolean()).isFalse();
            List<String> lines = Files.readAllLines(record);
            assertThat(lines.get(0)).contains("\"dry_run\":true").contains("\"watch_pid\":\"" + job.pid() + "\"");
            assertThat(lines.get(lines.size() - 1)).contains("\"type\":\"exit\"").contains("killed for memory");
        }
    }

    @Test
    void aNormalEndIsStatusUnknownAndFoundByName() throws Exception {
        String marker = "8." + System.nanoTime() % 100000;
        Process job = job(tmp.resolve("job.err"), "sleep", marker);
        Result r = watch(List.of("--name", "^sleep " + marker.replace(".", "\\.") + "$", "--interval", "200ms"));
        assertThat(r.status()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("oomguard: watching PID " + job.pid() + " (sleep)")
                .contains("oomguard: summary of sleep " + marker)
                .contains("status: status unknown (exited; not started by oomguard)")
                .contains("note: watched, not started, by oomguard: it had run for ");
    }

    @Test
    void withoutAPidfdTheEndIsSeenByPollingProc() throws Exception {
        Process job = job(tmp.resolve("job.err"), "sleep", "8");
        Result r = Oomguard.create().via("env", "OOMGUARD_JVM_FLAGS=-Doomguard.pidfd=off").timeoutSeconds(120)
                .run("watch", "-v", "--pid", Long.toString(job.pid()));
        assertThat(r.status()).as(r.stderr()).isZero();
        assertThat(r.stderr()).contains("its end is noticed by polling /proc/" + job.pid() + " (no pidfd on this kernel)")
                .contains("status: status unknown (exited; not started by oomguard)");
    }

    @Test
    void ctrlCStopsWatchingAndLeavesTheJobAlone() throws Exception {
        Process job = job(tmp.resolve("job.err"), "sleep", "60");
        // A build started in the background ignores SIGINT, and oomguard keeps what its caller ignored:
        // give it the default disposition, as on a terminal.
        Process w = new ProcessBuilder("/usr/bin/python3", "-c", "import os, signal, sys;"
                + " signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])",
                launcher(), "watch", "--pid", Long.toString(job.pid()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        started.add(w);
        BufferedReader err = new BufferedReader(new InputStreamReader(w.getErrorStream(), StandardCharsets.UTF_8));
        String first = err.readLine();
        assertThat(first).startsWith("oomguard: watching PID " + job.pid());
        CompletableFuture<String> rest = CompletableFuture.supplyAsync(() -> {
            StringBuilder sb = new StringBuilder();
            err.lines().forEach(l -> sb.append(l).append('\n'));
            return sb.toString();
        });
        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(w.pid())).start().waitFor()).isZero();
        assertThat(w.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(w.exitValue()).isEqualTo(130);
        assertThat(rest.get()).contains("stopped watching PID " + job.pid() + " (sleep) (SIGINT); it runs on, unwatched")
                .contains("status: still running: oomguard stopped watching on SIGINT and left the job alone");
        assertThat(job.isAlive()).as("the job was left alone").isTrue();
    }

    @Test
    void anotherUsersJobCanBeWatchedButNotActedOn() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to switch to an unprivileged user (runs in CI as root)");
        Process job = job(tmp.resolve("job.err"), "sleep", "60");
        Path home = Files.createTempDirectory("oomguard-nobody");
        home.toFile().setWritable(true, false);
        Oomguard nobody = Oomguard.create().via("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                "env", "HOME=" + home).timeoutSeconds(120);
        Result refused = nobody.run("watch", "--pid", Long.toString(job.pid()), "--act");
        assertThat(refused.status()).isEqualTo(125);
        assertThat(refused.stderr()).isEqualTo("oomguard: --act: no permission to signal PID " + job.pid()
                + " (sleep) (user 0); run oomguard watch as that user or as root, or leave out --act\n");
        Process shortJob = job(tmp.resolve("short.err"), "sleep", "5");
        Result watched = nobody.run("watch", "--pid", Long.toString(shortJob.pid()));
        assertThat(watched.status()).as(watched.stderr()).isZero();
        assertThat(watched.stderr()).contains("PID " + shortJob.pid() + " (sleep) belongs to user 0: its memory is read"
                + " from /proc/" + shortJob.pid() + "/status").contains("status unknown (exited; not started by oomguard)")
                .contains("peak memory: ");
    }
}
