package dev.oomguard.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The metrics file, read by a real node_exporter (textfile collector) and checked by promtool. */
class PrometheusIT {
    private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
    private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

    @TempDir
    Path dir;

    @Test
    void nodeExporterServesTheRunsMetricsWithoutAScrapeError() throws Exception {
        assumeTrue(Files.isExecutable(NODE_EXPORTER) && Files.isExecutable(PROMTOOL),
                "needs prometheus-node-exporter and prometheus (promtool): apt-get install both");
        Path metrics = dir.resolve("oomguard-nightly.prom");
        Process run = new ProcessBuilder(Path.of(System.getProperty("oomguard.launcher", "scripts/oomguard"))
                .toAbsolutePath().toString(), "-q", "--name", "nightly \"fit\"", "--prom-textfile", metrics.toString(),
                "--", "sh", "-c", "sleep 0.6; exit 3").start();
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).isEqualTo(3);
        assertThat(dir.toFile().list()).as("no temporary file left").containsExactly("oomguard-nightly.prom");

        Process check = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectInput(metrics.toFile())
                .redirectErrorStream(true).start();
        String checkOut = new String(check.getInputStream().readAllBytes());
        assertThat(check.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(check.exitValue()).as(checkOut).isZero();

        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process exporter = new ProcessBuilder(NODE_EXPORTER.toString(), "--web.listen-address=127.0.0.1:" + port,
                "--collector.disable-defaults", "--collector.textfile",
                "--collector.textfile.directory=" + dir).redirectErrorStream(true)
                .redirectOutput(dir.resolve("exporter.log").toFile()).start();
        try {
            String body = scrape(port);
            assertThat(body).contains("oomguard_job_exit_status{job_name=\"nightly \\\"fit\\\"\"} 3")
                    .contains("oomguard_job_running{job_name=\"nightly \\\"fit\\\"\"} 0")
                    .contains("oomguard_job_actions_total{job_name=\"nightly \\\"fit\\\"\",step=\"terminate\"} 0")
                    .containsPattern("node_textfile_mtime_seconds\\{file=\"[^\"]*oomguard-nightly.prom\"}")
                    .contains("node_textfile_scrape_error 0");
        } finally {
            exporter.destroy();
            exporter.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String scrape(int port) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(5)).build();
        Exception last = null;
        for (int i = 0; i < 100; i++) { // node_exporter needs a moment to listen
            try {
                return client.send(req, HttpResponse.BodyHandlers.ofString()).body();
            } catch (java.io.IOException e) {
                last = e;
                Thread.sleep(100);
            }
        }
        throw new AssertionError("node_exporter did not answer on 127.0.0.1:" + port, last);
    }
}
