package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.oomguard.report.HtmlReport;
import dev.oomguard.report.RecordReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report of a real guarded run (warned, checkpointed, stopped in a memory cgroup), opened
 * in real headless Chromium with no network: what the browser's DOM shows equals what the record
 * holds, the page logs no error, and it renders to a non-trivial screenshot.
 */
class ReportChromiumIT {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

    @TempDir
    Path tmp;

    record Run(int status, String stdout, String stderr) {
    }

    private static Run run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        // stderr drained on its own thread: Chromium can fill one pipe while we read the other.
        var err = new java.util.concurrent.CompletableFuture<String>();
        Thread t = new Thread(() -> {
            try {
                err.complete(new String(p.getErrorStream().readAllBytes()));
            } catch (Exception e) {
                err.complete("");
            }
        });
        t.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not end: " + cmd);
        }
        return new Run(p.exitValue(), out, err.get(30, TimeUnit.SECONDS));
    }

    private static String launcher() {
        return Path.of(System.getProperty("oomguard.launcher", "scripts/oomguard")).toAbsolutePath().toString();
    }

    private List<String> chromium(String... what) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium"),
                "--enable-logging=stderr", "--v=0", "--window-size=1400,1000"));
        cmd.addAll(List.of(what));
        return cmd;
    }

    private static int count(String s, String regex) {
        Matcher m = Pattern.compile(regex).matcher(s);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void theReportOfAStoppedRunShowsInChromiumWhatTheRecordHolds() throws Exception {
        MemoryGroup.assumeAvailable();
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (apt-get install -y chromium)");
        Path record = tmp.resolve("run.jsonl");
        Path html = tmp.resolve("report.html");
        try (MemoryGroup g = MemoryGroup.create("128M")) {
            String grow = "/usr/bin/python3 " + Path.of("examples/grow.py").toAbsolutePath() + " --rate 20";
            Run r = run(List.of(launcher(), "--interval", "100ms", "--grace", "1s", "--checkpoint-lead", "1s",
                    "--checkpoint-signal", "USR1", "--record", record.toString(), "--", "sh", "-c", g.enter(grow)));
            assertThat(r.status()).as(r.stderr()).isEqualTo(137);
        }
        Run report = run(List.of(launcher(), "report", record.toString(), "--html", html.toString()));
        assertThat(report.status()).as(report.stderr()).isZero();

        RecordReader.Result rec = RecordReader.parse(Files.readString(record));
        int samples = rec.samples().size();
        // The host event describes the machine beside the charts; it is not marked on the time axis.
        int events = (int) rec.events().stream().filter(e -> !e.kind().equals("host")).count();
        boolean described = rec.events().stream().anyMatch(e -> e.kind().equals("host"));
        assertThat(samples).isBetween(10, HtmlReport.POINT_CAP);
        List<String> kinds = rec.events().stream().map(e -> e.kind()).toList();
        assertThat(kinds).containsSubsequence("warn", "checkpoint", "terminate");

        Run dom = run(chromium("--dump-dom", html.toUri().toString()));
        assertThat(dom.status()).as(dom.stderr()).isZero();
        String d = dom.stdout();
        assertThat(d).contains("id=\"memory-chart\"").contains("id=\"headroom-chart\"");
        assertThat(d).contains("data-points=\"" + samples + "\"");
        assertThat(count(d, "<line class=\"event-mark[^\"]*\" data-kind=")).as("event marks in the DOM").isEqualTo(events);
        for (String kind : List.of("warn", "checkpoint", "terminate")) {
            assertThat(d).contains("<line class=\"event-mark\" data-kind=\"" + kind + "\"");
        }
        assertThat(d).contains("class=\"exit-mark\"").contains("stopped by oomguard");
        assertThat(d.contains("<dt>machine</dt>")).as("the machine, when the record has the host event").isEqualTo(described);
        assertThat(dom.stderr().lines().filter(l -> l.contains("CONSOLE") || l.contains("Uncaught")).toList())
                .as("console messages of the page").isEmpty();

        Path png = tmp.resolve("report.png");
        Run shot = run(chromium("--screenshot=" + png, html.toUri().toString()));
        assertThat(shot.status()).as(shot.stderr()).isZero();
        assertThat(png).exists();
        assertThat(Files.size(png)).as("PNG bytes").isGreaterThan(20_000);
        // Kept for a human to look at (and for the README's picture).
        Files.copy(png, Path.of("target/report-screenshot.png"), StandardCopyOption.REPLACE_EXISTING);
    }

    /** A record the size of a 3-day run's (18,360 samples of ~1 KB, like the writer's), written by hand. */
    private static void threeDayRecord(Path file) throws Exception {
        java.time.Instant start = java.time.Instant.parse("2026-11-22T10:00:00Z");
        long cap = 64L << 30;
        try (var w = Files.newBufferedWriter(file)) {
            w.write("{\"type\":\"header\",\"schema\":\"oomguard.record/1\",\"version\":\"t\",\"command\":"
                    + "\"Rscript fit.R\",\"host\":\"node7\",\"kernel\":\"k\",\"started\":\"" + start
                    + "\",\"interval_ms\":500,\"settings\":{\"warn\":\"80%\",\"checkpoint\":\"90%\",\"stop\":\"95%\"}}\n");
            long t = 0;
            for (int i = 0; i < 18_360; i++) {
                long rssKiB = (20L << 20) + (30L << 20) * i / 18_360 + (long) ((3L << 20) * Math.sin(t / 3.6e6));
                StringBuilder top = new StringBuilder();
                for (int p = 0; p < 5; p++) {
                    top.append(p == 0 ? "" : ",").append("{\"pid\":").append(1000 + p).append(",\"comm\":\"R\",")
                            .append("\"rss_kib\":").append(rssKiB / 9).append(",\"swap_kib\":0}");
                }
                long used = rssKiB * 1024;
                w.write("{\"type\":\"sample\",\"tick\":" + i + ",\"t_ms\":" + t + ",\"wall\":\"" + start.plusMillis(t)
                        + "\",\"binding\":{\"source\":\"cgroup_v1\",\"description\":\"cgroup v1 /slurm/uid_1000/job_4242: "
                        + "memory.limit_in_bytes 64 GiB\",\"capacity_bytes\":" + cap + ",\"headroom_bytes\":" + (cap - used)
                        + ",\"used_bytes\":" + used + ",\"used_percent\":" + 100.0 * used / cap + "},\"tree\":{\"processes\":9,"
                        + "\"rss_kib\":" + rssKiB + ",\"swap_kib\":0,\"anon_kib\":" + rssKiB + ",\"file_kib\":0,\"shmem_kib\":0,"
                        + "\"pss_kib\":" + rssKiB + ",\"pss_processes\":9},\"top\":[" + top + "],\"host\":{\"mem_total_kib\":"
                        + "131072000,\"mem_available_kib\":65536000,\"swap_total_kib\":0,\"swap_free_kib\":0},"
                        + "\"throttles\":[],\"oom_kills\":{\"host\":0,\"cgroups\":{\"/sys/fs/cgroup/memory/slurm/uid_1000/"
                        + "job_4242\":0,\"/sys/fs/cgroup/memory/slurm/uid_1000\":0}}}\n");
                if (i % 1000 == 0) {
                    w.write("{\"type\":\"event\",\"t_ms\":" + t + ",\"wall\":\"" + start.plusMillis(t)
                            + "\",\"kind\":\"tree_changed\",\"message\":\"1 process(es) joined the tree, 0 left\"}\n");
                }
                t += t < 3_600_000 ? 500 : t < 86_400_000 ? 10_000 : 60_000;
            }
            w.write("{\"type\":\"event\",\"t_ms\":" + (t - 1000) + ",\"wall\":\"" + start.plusMillis(t - 1000)
                    + "\",\"kind\":\"warn\",\"message\":\"warn: --warn 80% reached\"}\n");
        }
    }

    @Test
    void aThreeDayRecordRendersWithinTheLaunchersHeapAndOpensInChromium() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM), "no " + CHROMIUM + " (apt-get install -y chromium)");
        Path record = tmp.resolve("3days.jsonl");
        threeDayRecord(record);
        assertThat(Files.size(record)).as("record bytes").isGreaterThan(15_000_000);
        Path html = tmp.resolve("3days.html");
        // Through the launcher: its JVM has a 24 MiB heap, less than the record.
        Run report = run(List.of(launcher(), "report", record.toString(), "--html", html.toString()));
        assertThat(report.status()).as(report.stderr()).isZero();
        assertThat(report.stderr()).contains("no exit line");
        assertThat(Files.size(html)).as("HTML bytes").isLessThan(1_000_000);
        Run dom = run(chromium("--dump-dom", html.toUri().toString()));
        assertThat(dom.status()).as(dom.stderr()).isZero();
        Matcher m = Pattern.compile("<svg id=\"memory-chart\"[^>]*data-points=\"(\\d+)\"").matcher(dom.stdout());
        assertThat(m.find()).as("the chart is in the DOM").isTrue();
        assertThat(Integer.parseInt(m.group(1))).isBetween(HtmlReport.POINT_CAP / 2, HtmlReport.POINT_CAP);
        assertThat(count(dom.stdout(), "<line class=\"event-mark[^\"]*\" data-kind=")).isEqualTo(19 + 1);
        assertThat(dom.stdout().contains("the run has no end")).as("the note that the run has no end").isTrue();
        assertThat(dom.stdout().contains(">24 h<") && dom.stdout().contains(">60 h<")).as("hours on the axis").isTrue();
    }
}
