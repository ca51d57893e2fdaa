package dev.oomguard.report;

import dev.oomguard.files.OutputFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A run record as one self-contained HTML page: inline SVG charts (tree memory stacked by process
 * with swap, the binding limit and thresholds, every event on the time axis; headroom below) and
 * the summary and explanations as text. No script, no font, no stylesheet fetched: it opens from a
 * file on a machine without network, and vector graphics need no fonts on the headless server that
 * wrote it. Pure apart from {@link #write}.
 */
public final class HtmlReport {
    /** Points drawn per chart at most: a 3-day record has ~18,000 samples, a 1000-unit wide chart needs no more. */
    public static final int POINT_CAP = 2000;
    static final Set<String> ACTIONS = Set.of("warn", "checkpoint", "warn_outside", "terminate", "kill", "pause",
            "resume", "partial_kill", "explanation", "monitoring_failed", "checkpoint_acknowledged",
            "checkpoint_timeout", "checkpoint_unanswered", "stop_deferred");
    private static final String[] COLORS = {"#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2"};
    private static final int W = 1000;
    private static final int LEFT = 80;
    private static final int RIGHT = 20;
    private static final int TOP = 44;

    private HtmlReport() {
    }

    /** A rendered page, and whether the record had its end (an exit line). */
    public record Page(String html, boolean ended) {
    }

    /** Writes the page of a record read whole next to {@code out} and renames it over {@code out}. */
    public static void write(Path out, RecordReader.Result r) throws IOException {
        write(out, render(r));
    }

    /**
     * Reads a record line by line and renders it: memory stays a few MiB for a 3-day record.
     * Empty when the stream has no header (it is not a run record); I/O errors do throw.
     */
    public static Optional<Page> read(InputStream record) throws IOException {
        return ReportData.read(record).map(d -> new Page(render(d), d.exit().isPresent()));
    }

    /** Writes {@code html} next to {@code out} and renames it over {@code out}: a reader never sees half a page. */
    public static void write(Path out, String html) throws IOException {
        OutputFile.replace(out, html.getBytes(StandardCharsets.UTF_8), false);
    }

    /** @throws IllegalArgumentException when the record has no header (it is not a run record) */
    public static String render(RecordReader.Result r) {
        return render(ReportData.of(r).orElseThrow(() -> new IllegalArgumentException("no header line")));
    }

    static String render(ReportData d) {
        RecordEntry.Header h = d.header();
        ChartSeries series = ChartSeries.of(d, POINT_CAP);
        List<ReportData.Ev> events = d.events();
        long end = d.exit().map(RecordEntry.Exit::tMillis).orElse(0L);
        for (ReportData.Tick t : d.ticks()) {
            end = Math.max(end, t.tMillis());
        }
        for (ReportData.Ev e : events) {
            end = Math.max(end, e.tMillis());
        }
        long span = Math.max(1000, end);
        StringBuilder b = new StringBuilder(64 * 1024);
        b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<title>oomguard: ").append(Svg.esc(h.command())).append("</title>\n<style>")
                .append("body{font-family:sans-serif;margin:12px;color:#222}main{display:flex;gap:16px;align-items:flex-start}")
                .append(".charts{flex:3;min-width:0}aside{flex:1;min-width:260px;font-size:13px}svg{width:100%;height:auto}")
                .append("svg text{font-size:12px;fill:#333}.grid{stroke:#e4e4e4}.axis{stroke:#888}")
                .append(".limit{fill:none;stroke:#d62728;stroke-width:2}.threshold{fill:none;stroke-width:1.2;stroke-dasharray:6 4}")
                .append(".used{fill:none;stroke:#555;stroke-width:1;stroke-dasharray:2 3}.series.rss{fill:none;stroke:#222;stroke-width:1.2}")
                .append(".headroom{fill:none;stroke:#2ca02c;stroke-width:1.5}.event-mark{stroke-width:1.5}.event-mark.minor{stroke:#bbb}")
                .append("pre{white-space:pre-wrap;font-size:12px;background:#f6f6f6;padding:6px}.note{color:#b00;font-weight:bold}")
                .append("table{border-collapse:collapse}td{padding:1px 6px 1px 0;vertical-align:top}dt{font-weight:bold}dd{margin:0 0 4px 0}")
                .append("</style></head><body>\n<h1 style=\"font-size:18px\">oomguard run: <code>").append(Svg.esc(h.command()))
                .append("</code></h1>\n<main><div class=\"charts\">\n");
        ReportCharts charts = new ReportCharts(series, span, W, LEFT, RIGHT, TOP);
        charts.memory(b, h, events, d.exit());
        charts.headroom(b);
        b.append("</div>\n<aside>");
        ReportText.summary(b, d, series, end);
        b.append("</aside></main>\n</body></html>\n");
        return b.toString();
    }

    static String color(int i) {
        return COLORS[i % COLORS.length];
    }
}
