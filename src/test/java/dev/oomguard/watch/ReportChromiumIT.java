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
        int events = rec.events().size();
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
}
