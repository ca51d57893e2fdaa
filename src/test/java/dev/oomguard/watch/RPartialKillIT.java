package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.oomguard.kernellog.DevKmsgSource;
import dev.oomguard.kernellog.SourceUnavailableException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The issue's R case, for real: {@code parallel::mclapply} with 7 workers that each grow to about
 * 190 MiB in a 1 GiB memory cgroup (memory and memory+swap limits both 1 GiB). The kernel OOM-kills
 * some workers, never the small master, which warns that scheduled cores did not deliver and exits
 * 0. oomguard (in a dry run, so that only the kernel acts) must report every killed worker at once,
 * explain the kills from the kernel log, and exit 137, or 0 with {@code --allow-partial}.
 *
 * <p>The number of kills is the kernel's to choose (3 of 7 in most runs): the test compares
 * oomguard's report with the group's {@code oom_kill} counter and, where {@code /dev/kmsg} is
 * readable, with the PIDs the kernel logged for the group. No timing is asserted. Root, a cgroup v1
 * memory controller and {@code Rscript} ({@code apt-get install r-base-core}) are needed; skipped
 * with the reason elsewhere. Never a machine-wide OOM: the workers ask for 1.3 GiB in all and the
 * group stops them at 1 GiB.
 */
class RPartialKillIT {
    /** An at-once partial-kill line (the summary repeats them indented, after "partial kill:"). */
    private static final Pattern REPORTED = Pattern.compile(
            "(?m)^oomguard: process (\\d+) \\((\\S+)\\) was killed by the kernel OOM killer");
    private static final Pattern R_RESULT = Pattern.compile("mclapply-grow: (\\d) of 7 workers failed");

    record Run(int status, String stdout, String stderr) {
        Set<Integer> reportedPids() {
            Set<Integer> pids = new TreeSet<>();
            Matcher m = REPORTED.matcher(stderr);
            while (m.find()) {
                assertThat(pids.add(Integer.parseInt(m.group(1)))).as("reported twice: " + m.group(1)).isTrue();
                assertThat(m.group(2)).as("the report names R").isEqualTo("R");
            }
            return pids;
        }

        int failedWorkers() {
            Matcher m = R_RESULT.matcher(stdout);
            assertThat(m.find()).as("R printed its result:\n" + stdout + "\n" + stderr).isTrue();
            return Integer.parseInt(m.group(1));
        }
    }

    @BeforeAll
    static void rscriptOnPath() {
        assumeTrue(rscript().isPresent(), "no Rscript on PATH (apt-get install r-base-core)");
    }

    private static Optional<Path> rscript() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "Rscript");
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Path script() {
        try {
            return Path.of(RPartialKillIT.class.getResource("/r/mclapply-grow.R").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private Run oomguard(MemoryGroup g, List<String> options) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("oomguard.launcher", "scripts/oomguard")).toAbsolutePath().toString());
        cmd.addAll(options);
        cmd.addAll(List.of("--", "sh", "-c", g.enter(rscript().orElseThrow() + " " + script())));
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("oomguard did not end within 300 s; stderr so far is lost with it");
        }
        Run r = new Run(p.exitValue(), out.get(30, TimeUnit.SECONDS), err.get(30, TimeUnit.SECONDS));
        System.out.println("RPartialKillIT: oomguard " + options + " exited " + r.status() + "\n--- stdout\n"
                + r.stdout() + "--- stderr\n" + r.stderr());
        return r;
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The PIDs the kernel logged as OOM-killed in this group; empty when /dev/kmsg cannot be read. */
    private static Optional<Set<Integer>> kernelLogVictims(MemoryGroup g) throws IOException {
        Pattern kill = Pattern.compile("oom-kill:.*\\btask_memcg=/" + Pattern.quote(g.dir.getFileName().toString())
                + ",.*\\bpid=(\\d+),");
        Set<Integer> pids = new TreeSet<>();
        try (Reader r = new DevKmsgSource().open(Duration.ofSeconds(10)); BufferedReader lines = new BufferedReader(r)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                Matcher m = kill.matcher(line);
                if (m.find()) {
                    pids.add(Integer.parseInt(m.group(1)));
                }
            }
        } catch (SourceUnavailableException e) {
            System.out.println("RPartialKillIT: kernel log not compared: " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(pids);
    }

    @Test
    void everyWorkerTheKernelKillsIsReportedAtOnceAndExplainedAndTheStatusIs137() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("1G")) {
            Run r = oomguard(g, List.of("--dry-run"));
            long kills = g.oomKills();
            String e = r.stderr();

            assertThat(r.stdout()).as("R returned normally").contains("mclapply-grow: exiting normally");
            assertThat(kills).as("the group's oom_kill counter: the kernel killed some workers, not all")
                    .isBetween(1L, 6L);
            assertThat((long) r.failedWorkers()).as("R lost one result per killed worker").isEqualTo(kills);
            assertThat(e).as("R's own warning (ngettext: one core or several)")
                    .containsPattern("scheduled cores? [0-9, ]+ did not deliver (a result|results)");

            Set<Integer> reported = r.reportedPids();
            assertThat((long) reported.size()).as("one at-once report per kernel kill in the group:\n" + e)
                    .isEqualTo(kills);
            Optional<Set<Integer>> logged = kernelLogVictims(g);
            logged.ifPresent(pids -> assertThat(reported).as("the victims the kernel logged for the group")
                    .isEqualTo(pids));

            assertThat(r.status()).as("the job exited 0 after losing workers: 137\n" + e).isEqualTo(137);
            assertThat(e).contains("status: exit status 0, but " + kills + (kills == 1 ? " of its processes was" : " of its processes were") + " OOM-killed"
                    + " (oomguard exits 137; --allow-partial gives the job's own)");
            int first = reported.iterator().next();
            assertThat(e).as("explained from the kernel log").contains("why PID ")
                    .contains("the memory cgroup /" + g.dir.getFileName() + " reached its limit")
                    .contains("[cgroup_limit, confidence high]");
            assertThat(e).as("the summary lists each").contains("  partial kill: process " + first + " (R) was killed");
            for (int pid : reported) {
                assertThat(e).as("each worker's own kill explained").contains("why PID " + pid + " (R) died:\n"
                        + "oomguard:   The kernel OOM killer killed PID " + pid + " (R)");
            }
        }
    }

    /**
     * Also at 100 ms ticks, where the tick that sees the counter rise nearly always still sees the
     * victim (it takes 0.1-0.25 s to exit): matching within one tick pair reported almost none.
     */
    @Test
    void allowPartialGivesTheJobsOwnStatusZero() throws Exception {
        try (MemoryGroup g = MemoryGroup.create("1G")) {
            Run r = oomguard(g, List.of("--dry-run", "--allow-partial", "--interval", "100ms"));
            long kills = g.oomKills();
            assertThat(r.stdout()).contains("mclapply-grow: exiting normally");
            assertThat(kills).isBetween(1L, 6L);
            Set<Integer> reported = r.reportedPids();
            assertThat((long) reported.size()).as(r.stderr()).isEqualTo(kills);
            Optional<Set<Integer>> logged = kernelLogVictims(g);
            logged.ifPresent(pids -> assertThat(reported).isEqualTo(pids));
            assertThat(r.status()).as(r.stderr()).isZero();
            assertThat(r.stderr()).contains("status: exit status 0").doesNotContain("oomguard exits 137");
        }
    }
}
