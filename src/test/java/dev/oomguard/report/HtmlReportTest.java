package dev.oomguard.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {
    @TempDir
    Path tmp;

    private static final Instant START = Instant.parse("2026-11-25T10:00:00Z");
    private static final long MIB = 1024 * 1024;

    /** A record by hand, in the writer's format: {@code n} samples {@code gapMs} apart, growing to 230 of 256 MiB. */
    static final class Jsonl {
        final StringBuilder b = new StringBuilder();

        Jsonl header(String command) {
            b.append("{\"type\":\"header\",\"schema\":\"oomguard.record/1\",\"version\":\"t\",\"command\":\"")
                    .append(command.replace("\"", "\\\"")).append("\",\"host\":\"h\",\"kernel\":\"k\",\"started\":\"")
                    .append(START).append("\",\"interval_ms\":100,\"settings\":{\"warn\":\"80%\",\"checkpoint\":\"90%\",")
                    .append("\"stop\":\"95%\"}}\n");
            return this;
        }

        Jsonl samples(int n, long gapMs, int pids) {
            for (int i = 0; i < n; i++) {
                long t = i * gapMs;
                long rssKiB = (10 + 220L * i / Math.max(1, n - 1)) * 1024;
                long cap = 256 * MIB;
                long used = rssKiB * 1024;
                StringBuilder top = new StringBuilder();
                for (int p = 0; p < pids; p++) {
                    // pid 100+p: the top of the tick are a rotating few, so the union matters
                    top.append(p == 0 ? "" : ",").append("{\"pid\":").append(100 + (p + i) % (pids + 3))
                            .append(",\"comm\":\"w").append(p).append("\",\"rss_kib\":").append(rssKiB / (pids + 1))
                            .append(",\"swap_kib\":0}");
                }
                b.append("{\"type\":\"sample\",\"tick\":").append(i).append(",\"t_ms\":").append(t).append(",\"wall\":\"")
                        .append(START.plusMillis(t)).append("\",\"binding\":{\"source\":\"cgroup_v1\",\"description\":")
                        .append("\"cgroup v1 /x\",\"capacity_bytes\":").append(cap).append(",\"headroom_bytes\":")
                        .append(cap - used).append(",\"used_bytes\":").append(used).append(",\"used_percent\":")
                        .append(100.0 * used / cap).append("},\"tree\":{\"processes\":").append(pids)
                        .append(",\"rss_kib\":").append(rssKiB).append(",\"swap_kib\":").append(i % 7 * 64)
                        .append("},\"top\":[").append(top).append("]}\n");
            }
            return this;
        }

        Jsonl event(long t, String kind, String message) {
            b.append("{\"type\":\"event\",\"t_ms\":").append(t).append(",\"wall\":\"").append(START.plusMillis(t))
                    .append("\",\"kind\":\"").append(kind).append("\",\"message\":\"").append(message).append("\"}\n");
            return this;
        }

        Jsonl explanation(long t, String text) {
            b.append("{\"type\":\"event\",\"t_ms\":").append(t).append(",\"wall\":\"").append(START.plusMillis(t))
                    .append("\",\"kind\":\"explanation\",\"message\":\"killed\",\"explanation\":{\"text\":\"")
                    .append(text).append("\"}}\n");
            return this;
        }

        Jsonl exit(long t) {
            b.append("{\"type\":\"exit\",\"t_ms\":").append(t).append(",\"wall\":\"").append(START.plusMillis(t))
                    .append("\",\"status\":137,\"status_text\":\"killed by SIGTERM\",\"exit_code\":null,\"signal\":15,")
                    .append("\"stopped_by_oomguard\":true}\n");
            return this;
        }

        RecordReader.Result read() {
            return RecordReader.parse(b.toString());
        }
    }

    private static int count(String html, String regex) {
        Matcher m = Pattern.compile(regex).matcher(html);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static int dataPoints(String html) {
        Matcher m = Pattern.compile("<svg id=\"memory-chart\"[^>]*data-points=\"(\\d+)\"").matcher(html);
        assertThat(m.find()).isTrue();
        return Integer.parseInt(m.group(1));
    }

    @Test
    void aShortRunHasEveryPointEveryEventTheLimitThresholdsAndItsEnd() {
        RecordReader.Result r = new Jsonl().header("Rscript fit.R").samples(100, 100, 3)
                .event(50, "limits", "limits measured: 2").event(8000, "warn", "warn: 80% reached")
                .event(9000, "checkpoint", "checkpoint: ask").event(9500, "terminate", "terminate: SIGTERM")
                .explanation(9800, "the job was stopped by oomguard at 230 MiB").exit(9900).read();
        String html = HtmlReport.render(r);
        assertThat(dataPoints(html)).isEqualTo(100);
        assertThat(count(html, "<line class=\"event-mark[^\"]*\" data-kind=")).isEqualTo(5);
        for (String kind : List.of("warn", "checkpoint", "terminate", "explanation")) {
            assertThat(html).contains("<line class=\"event-mark\" data-kind=\"" + kind + "\"");
        }
        assertThat(html).contains("<line class=\"event-mark minor\" data-kind=\"limits\"");
        assertThat(html).contains("<polyline class=\"limit\"").contains("<path class=\"series rss\"")
                .contains("<path class=\"series swap\"").contains("<path class=\"series other\"")
                .contains("<svg id=\"headroom-chart\"").contains("<polyline class=\"headroom\"");
        for (String t : List.of("warn", "checkpoint", "stop")) {
            assertThat(html).contains("<polyline class=\"threshold\" data-name=\"" + t + "\"");
        }
        // Top 5 by peak of the union of the ticks' tops (6 distinct pids here), the rest as "other".
        assertThat(count(html, "<path class=\"series proc\"")).isEqualTo(5);
        assertThat(html).contains("killed by SIGTERM").contains("the job was stopped by oomguard at 230 MiB")
                .doesNotContain("the run has no end");
        assertThat(html).contains(">8 s<").contains(">0 s<").contains(" MiB<");
        assertThat(html).doesNotContain("<script").doesNotContain("http://").doesNotContain("https://")
                .doesNotContain("@import").doesNotContain("url(").doesNotContain("src=").doesNotContain("href=");
    }

    @Test
    void theMachineComesFromTheHostEventAndIsNotARunEvent() {
        RecordReader.Result r = new Jsonl().header("job").samples(3, 500, 1)
                .event(700, "host", "QEMU Standard PC · AMD EPYC × 2 · 23.5 GiB · Debian GNU/Linux 12").exit(1500).read();
        String html = HtmlReport.render(r);
        assertThat(html).contains("<dt>machine</dt><dd>QEMU Standard PC · AMD EPYC × 2 · 23.5 GiB · Debian GNU/Linux 12</dd>")
                .doesNotContain("data-kind=\"host\"");
    }

    @Test
    void aRecordWithoutHostFactsHasNoMachine() {
        String html = HtmlReport.render(new Jsonl().header("job").samples(3, 500, 1).exit(1500).read());
        assertThat(html).contains("<dt>host</dt>").doesNotContain("<dt>machine</dt>");
    }

    @Test
    void aHostileCommandNameAndMessageStayText() {
        RecordReader.Result r = new Jsonl().header("<script>alert(1)</script> & 'x'").samples(3, 500, 1)
                .event(100, "warn", "<img src=x onerror=alert(1)>").exit(1500).read();
        String html = HtmlReport.render(r);
        assertThat(html.contains("<script>") || html.contains("<img")).as("hostile text as markup").isFalse();
        assertThat(html)
                .contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;x&#39;")
                .contains("&lt;img src=x onerror=alert(1)&gt;");
    }

    @Test
    void aTruncatedRecordStillRendersAndSaysTheRunHasNoEnd() {
        String text = new Jsonl().header("job").samples(20, 100, 2).event(1500, "warn", "warn").b
                + "{\"type\":\"sample\",\"tick\":99,\"t_ms\":";
        RecordReader.Result r = RecordReader.parse(text);
        assertThat(r.exit()).isEmpty();
        String html = HtmlReport.render(r);
        assertThat(dataPoints(html)).isEqualTo(20);
        assertThat(html).contains("the run has no end").contains("1 line(s) of the record skipped")
                .doesNotContain("class=\"exit-mark\"");
    }

    @Test
    void readingAsAStreamRendersTheSamePageAsReadingWhole() throws Exception {
        String text = new Jsonl().header("job").samples(50, 100, 4).event(1500, "warn", "warn")
                .explanation(4000, "why").exit(5000).b + "\n  \n{\"type\":\"sample\",\"tick\":99,\"t_ms\":";
        var page = HtmlReport.read(new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(page).isPresent();
        assertThat(page.get().ended()).isTrue();
        assertThat(page.get().html()).isEqualTo(HtmlReport.render(RecordReader.parse(text)));
        List<RecordReader.Skipped> streamed = RecordReader.forEach(
                new java.io.ByteArrayInputStream(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), e -> { });
        assertThat(streamed).isEqualTo(RecordReader.parse(text).skipped()).hasSize(2);
        assertThat(HtmlReport.read(new java.io.ByteArrayInputStream("{}\n".getBytes()))).isEmpty();
    }

    @Test
    void noHeaderIsNotARecord() {
        assertThatThrownBy(() -> HtmlReport.render(RecordReader.parse("{\"type\":\"exit\"}\n")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aThreeDayRunIsDrawnWithAtMostTheCapAndStaysSmall() {
        // The standard downsampling's count for 3 days: 7,200 + 8,280 + 2,880 samples; spread evenly here.
        int n = 18_360;
        long gap = 3L * 24 * 3600 * 1000 / n;
        Jsonl j = new Jsonl().header("Rscript fit.R").samples(n, gap, 9);
        for (int i = 0; i < 300; i++) {
            j.event(i * gap * 60, i % 2 == 0 ? "tree_changed" : "warn", "event " + i);
        }
        RecordReader.Result r = j.exit(n * gap).read();
        String html = HtmlReport.render(r);
        assertThat(dataPoints(html)).isLessThanOrEqualTo(HtmlReport.POINT_CAP).isGreaterThan(HtmlReport.POINT_CAP / 2);
        assertThat(count(html, "<line class=\"event-mark")).isEqualTo(300);
        assertThat(html.length()).as("bytes of HTML").isLessThan(1_000_000);
        assertThat(html.contains(">24 h<") && html.contains(">60 h<")).as("ticks every 12 h").isTrue();
    }

    @Test
    void thinningKeepsTheSpike() {
        List<ChartSeries.Point> all = new java.util.ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            all.add(new ChartSeries.Point(i * 1000L, new double[] {i == 7777 ? 900 : 100, 0, 0}, 1000, 0, 0));
        }
        List<ChartSeries.Point> drawn = ChartSeries.thin(all, 100);
        assertThat(drawn).hasSizeLessThanOrEqualTo(100);
        assertThat(drawn).anyMatch(p -> p.total() == 900);
        assertThat(drawn).isSortedAccordingTo(java.util.Comparator.comparingLong(ChartSeries.Point::tMillis));
    }

    @Test
    void writeReplacesTheFileWholeAndLeavesNoTemporary() throws Exception {
        Path out = tmp.resolve("r.html");
        Files.writeString(out, "old");
        HtmlReport.write(out, new Jsonl().header("job").samples(5, 100, 1).exit(600).read());
        assertThat(Files.readString(out)).startsWith("<!DOCTYPE html>");
        assertThat(tmp.toFile().list()).containsExactly("r.html");
    }

    @Test
    void timeTicksAreInTheRunsUnit() {
        assertThat(ChartAxes.time(10_000).stream().map(ChartAxes.Tick::label)).contains("0 s", "2 s", "10 s");
        assertThat(ChartAxes.time(90 * 60_000L).stream().map(ChartAxes.Tick::label)).contains("15 min", "90 min");
        assertThat(ChartAxes.time(20 * 3_600_000L).stream().map(ChartAxes.Tick::label)).contains("3 h", "18 h");
        assertThat(ChartAxes.bytes(5.0 * (1L << 30)).stream().map(ChartAxes.Tick::label)).contains("0 GiB", "1 GiB", "5 GiB");
        assertThat(ChartAxes.bytes(300.0 * (1L << 20)).stream().map(ChartAxes.Tick::label)).contains("100 MiB", "300 MiB");
    }
}
