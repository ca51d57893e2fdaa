package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.oomguard.testing.Oomguard;
import dev.oomguard.testing.Oomguard.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The guard against real kernels: a job growing inside its own 256 MiB memory cgroup, warned,
 * checkpointed and stopped before the kernel's OOM killer acts (or, in a dry run, killed by the
 * kernel and explained). Root only; skipped elsewhere with the reason.
 */
class GuardIT {
    @TempDir
    Path tmp;

    private Result oomguard(MemoryGroup g, List<String> options, String job) {
        List<String> args = new ArrayList<>(options);
        args.addAll(List.of("--", "sh", "-c", g.enter(job)));
        return Oomguard.create().timeoutSeconds(120).run(args);
    }

    private String grow(String args) {
        return "/usr/bin/python3 " + Path.of("examples/grow.py").toAbsolutePath() + " " + args;
    }

    @Test
    void aGrowingJobIsWarnedCheckpointedAndStoppedBeforeTheKernelActs() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            Path state = tmp.resolve("state");
            Path events = tmp.resolve("events.jsonl");
            Result r = oomguard(g, List.of("--interval", "100ms", "--grace", "1s", "--checkpoint-lead", "1s",
                    "--checkpoint-signal", "USR1", "--notify", "cat >> " + events), grow("--rate 12 --state " + state));
            assertThat(r.status()).as(r.stderr()).isEqualTo(137);
            String e = r.stderr();
            int warn = e.indexOf("oomguard: warning: --warn 80%");
            int checkpoint = e.indexOf("oomguard: ask the job to checkpoint");
            int stop = e.indexOf("oomguard: stop the job");
            assertThat(warn).as(e).isGreaterThanOrEqualTo(0);
            assertThat(checkpoint).as(e).isGreaterThan(warn);
            assertThat(stop).as(e).isGreaterThan(checkpoint);
            assertThat(e).contains("grow.py: checkpoint 1").contains("cgroup v1 ").contains(g.dir.getFileName().toString());
            assertThat(Files.readString(state)).contains("MiB held at checkpoint");
            assertThat(g.oomKills()).as("the kernel never had to act").isZero();
            assertThat(e).contains("stopped by oomguard");
            // Stopped on its own trajectory, at the stop level: said so, and no guess at what it needed.
            java.util.regex.Matcher at = java.util.regex.Pattern
                    .compile("oomguard: stop the job [^\\n]*--stop 95% reached and the headroom is still shrinking \\(at ([0-9.]+)% used, growing")
                    .matcher(e);
            assertThat(at.find()).as(e).isTrue();
            assertThat(Double.parseDouble(at.group(1))).isGreaterThanOrEqualTo(95);
            assertThat(e).contains("advice: oomguard stopped the job at ").doesNotContain("the job needed more than");
            List<String> notified = Files.readAllLines(events);
            assertThat(notified).as("one JSON object per event on the hook's stdin").hasSizeGreaterThanOrEqualTo(4);
            var json = new com.fasterxml.jackson.databind.ObjectMapper();
            List<String> kinds = new ArrayList<>();
            for (String line : notified) {
                var node = json.readTree(line);
                kinds.add(node.get("OOMGUARD_EVENT").asText());
                assertThat(node.get("OOMGUARD_JOB_PID").asText()).matches("\\d+");
            }
            assertThat(kinds).containsSubsequence("warn", "checkpoint", "terminate", "exit");
        }
    }

    @Test
    void preserveStatusGivesTheJobsOwnStatus() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            Result r = oomguard(g, List.of("--interval", "100ms", "--grace", "1s", "--preserve-status"), grow("--rate 12"));
            assertThat(r.status()).as(r.stderr()).isEqualTo(128 + 15);
            assertThat(g.oomKills()).isZero();
        }
    }

    @Test
    void stopActionPausePausesTheJobThenStopsItWhenNoHeadroomReturns() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            Result r = oomguard(g, List.of("--interval", "100ms", "--grace", "1s", "--checkpoint-lead", "1s", "--stop-action", "pause", "--pause-timeout", "2s"),
                    grow("--rate 12"));
            assertThat(r.stderr()).contains("pause the job (STOP to its process group)")
                    .contains("stop the job (TERM");
            assertThat(r.stderr().indexOf("pause the job")).isLessThan(r.stderr().indexOf("stop the job (TERM"));
            assertThat(r.status()).isEqualTo(137);
            assertThat(g.oomKills()).isZero();
        }
    }

    @Test
    void aPlateauingJobIsWarnedButNotStopped() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            Result r = oomguard(g, List.of("--interval", "100ms", "--grace", "1s", "--checkpoint-lead", "1s"), grow("--rate 20 --upto 215 --hold 6"));
            assertThat(r.status()).as(r.stderr()).isZero();
            assertThat(r.stderr()).contains("oomguard: warning: --warn 80%").doesNotContain("stop the job")
                    .contains("grow.py: done");
        }
    }

    @Test
    void aDryRunActsOnNothingAndTheKernelsKillIsExplained() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("256M")) {
            Result r = oomguard(g, List.of("--interval", "100ms", "--grace", "1s", "--dry-run"), grow("--rate 12"));
            assertThat(r.status()).as(r.stderr()).isEqualTo(137); // died of SIGKILL, re-raised
            assertThat(r.stderr()).contains("dry run, would stop the job").contains("why PID")
                    .contains("memory cgroup /" + g.dir.getFileName()).contains("killed by SIGKILL");
            assertThat(g.oomKills()).isEqualTo(1);
        }
    }

    /**
     * oomguard inside the job's group (as in a Slurm job or a container), the job ignoring TERM and
     * growing 250 MiB/s: oomguard's stop (TERM, then KILL) and the kernel's OOM killer race, and
     * either may win (in a group made afresh, as here, the kernel won 10 runs of 10 on the build
     * machine, 8 of them after oomguard had begun its stop). Whichever did, the summary names it:
     * the group's own oom_kill counter tells, which counts the kernel's kills and only those.
     */
    @Test
    void whoeverKilledTheJobTheKernelOrOomguardIsTheOneNamed() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("200M")) {
            String launcher = Path.of(System.getProperty("oomguard.launcher", "scripts/oomguard")).toAbsolutePath()
                    .toString();
            String run = "'" + launcher + "' --interval 1s -- /usr/bin/python3 -c 'import signal, time;"
                    + " signal.signal(signal.SIGTERM, signal.SIG_IGN); x = [];"
                    + " [(x.append(bytearray(1 << 20)), time.sleep(0.004)) for _ in iter(int, 1)]'";
            Process p = new ProcessBuilder("sh", "-c", g.enter(run)).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String e = new String(p.getErrorStream().readAllBytes());
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(e).isEqualTo(137);
            if (g.oomKills() > 0) {
                assertThat(e).as("the kernel's kill").contains("why PID").contains("reached its limit")
                        .doesNotContain("stopped by oomguard").doesNotContain("advice: oomguard stopped the job");
                if (e.contains("oomguard: stop the job")) {
                    assertThat(e).contains("but the kernel's OOM killer killed it first");
                }
            } else {
                assertThat(e).as("oomguard's stop").contains("stopped by oomguard").contains("oomguard stopped PID")
                        .doesNotContain("why PID");
            }
        }
    }

    /**
     * The kernel's kill in the job's own group is what this test needs: --dry-run leaves it to the
     * kernel (the guard, acting, may well stop the job first at --stop 95% of 64M).
     */
    @Test
    void memoryMaxRunsTheJobInAGroupOfItsOwnThatIsRemovedAfterwards() throws Exception {
        MemoryGroup.assumeAvailable();
        List<String> cmd = List.of(Path.of(System.getProperty("oomguard.launcher", "scripts/oomguard"))
                .toAbsolutePath().toString(), "--memory-max", "64M", "--grace", "1s", "--dry-run", "--", "sh", "-c",
                "grep ':memory:' /proc/self/cgroup; /usr/bin/python3 -c 'x = b\"1\" * (200 << 20)'; exit 0");
        Process p = new ProcessBuilder(cmd).start();
        String out = new String(p.getInputStream().readAllBytes());
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(out).matches("(?s)\\d+:memory:/.*oomguard-\\d+-\\d+\n");
        String group = out.trim().substring(out.indexOf(":memory:") + 8);
        assertThat(p.exitValue()).as(err).isEqualTo(137);
        assertThat(err).contains("partial kill: ").contains("of its processes was OOM-killed")
                .contains("the memory cgroup " + group + " reached its limit").contains("64.0 MiB");
        assertThat(Path.of(MemoryGroup.ROOT + group)).as("removed afterwards").doesNotExist();
    }

    @Test
    void aGroupLeftByASigkilledOomguardIsRemovedByTheNextRun() throws Exception {
        MemoryGroup.assumeAvailable();
        String launcher = Path.of(System.getProperty("oomguard.launcher", "scripts/oomguard")).toAbsolutePath().toString();
        Process first = new ProcessBuilder(launcher, "--memory-max", "64M", "--", "sh", "-c",
                "grep ':memory:' /proc/self/cgroup; exec sleep 120").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        Path dir = null;
        try {
            String line = new java.io.BufferedReader(new java.io.InputStreamReader(first.getInputStream())).readLine();
            assertThat(line).matches("\\d+:memory:/.*oomguard-\\d+-\\d+");
            dir = Path.of(MemoryGroup.ROOT + line.substring(line.indexOf(":memory:") + 8));
            long oomguardPid = Long.parseLong(dir.getFileName().toString().split("-")[1]);
            assertThat(oomguardPid).isEqualTo(first.pid()); // the launcher execs java
            first.destroyForcibly(); // SIGKILL: no clean-up of its own
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(dir).as("left behind by the SIGKILLed run, with the job in it").isDirectory();
            killTasks(dir);

            // Any later run removes it (this one, or another oomguard started beside it meanwhile).
            Result next = Oomguard.create().run("-v", "--memory-max", "64M", "--", "true");
            assertThat(next.status()).as(next.stderr()).isZero();
            assertThat(dir).as("swept").doesNotExist();
        } finally {
            first.destroyForcibly();
            if (dir != null && Files.isDirectory(dir)) {
                killTasks(dir);
                Files.deleteIfExists(dir);
            }
        }
    }

    /** Kills the processes in a group this test made (the job's sleep), and waits until it is empty. */
    private static void killTasks(Path dir) throws Exception {
        for (String task : Files.readAllLines(dir.resolve("tasks"))) {
            ProcessHandle.of(Long.parseLong(task.trim())).ifPresent(ProcessHandle::destroyForcibly);
        }
        for (int i = 0; i < 300 && !Files.readString(dir.resolve("tasks")).isBlank(); i++) {
            Thread.sleep(100);
        }
    }

    /** Runs oomguard as 'nobody' (the seed's user was not root); skipped unless the tests run as root. */
    private Result asNobody(List<String> args) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to switch to an unprivileged user (runs in CI as root)");
        Path home = Files.createTempDirectory("oomguard-nobody");
        home.toFile().setWritable(true, false);
        return Oomguard.create().via("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--",
                "env", "HOME=" + home).timeoutSeconds(120).run(args);
    }

    @Test
    void asAnUnprivilegedUserTheLadderWorksOnTheHostPathWithAUserLimit() throws Exception {
        Path script = Path.of("examples/grow.py").toAbsolutePath();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(script));
        Result r = asNobody(List.of("--limit", "160M", "--interval", "100ms", "--grace", "1s", "--checkpoint-lead", "1s",
                "--", "/usr/bin/python3", script.toString(), "--rate", "12"));
        assertThat(r.status()).as(r.stderr()).isEqualTo(137);
        String e = r.stderr();
        assertThat(e).contains("oomguard: warning: --warn 80% reached on --limit").contains("grow.py: checkpoint 1")
                .contains("stop the job").contains("stopped by oomguard");
        assertThat(e.indexOf("warning: --warn")).isLessThan(e.indexOf("ask the job to checkpoint"));
        assertThat(e.indexOf("ask the job to checkpoint")).isLessThan(e.indexOf("stop the job"));
    }

    @Test
    void memoryMaxWithoutPermissionIsOneLineAndStatus125() throws Exception {
        Result r = asNobody(List.of("--memory-max", "64M", "--", "true"));
        assertThat(r.status()).isEqualTo(125);
        assertThat(r.stderr()).startsWith("oomguard: --memory-max: cannot create the memory cgroup")
                .contains("permission denied").contains("needs root or a delegated cgroup").hasLineCount(1);
    }
}
