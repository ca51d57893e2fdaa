package dev.oomguard.report;

import java.util.List;

/** The text beside the charts: the run's summary, its end (or the lack of one), events and explanations. */
final class ReportText {
    private ReportText() {
    }

    static void summary(StringBuilder b, ReportData r, ChartSeries series, long end) {
        RecordEntry.Header h = r.header();
        List<ReportData.Tick> samples = r.ticks();
        b.append("<h2 style=\"font-size:15px\">Summary</h2><dl id=\"summary\">");
        item(b, "command", h.command());
        item(b, "host", h.host() + " (" + h.kernel() + ")");
        r.machine().ifPresent(m -> item(b, "machine", m));
        item(b, "started", h.started().toString());
        item(b, "recorded", Svg.duration(end) + ", " + samples.size() + " samples"
                + (series.points().size() < samples.size() ? " (" + series.points().size() + " drawn)" : ""));
        item(b, "peak tree memory", Svg.bytes(r.peakBytes()) + " resident + swap");
        if (!samples.isEmpty()) {
            item(b, "binding limit", r.binding() + ": " + Svg.bytes(r.capacity()));
            item(b, "lowest headroom", Svg.bytes(r.lowestHeadroom()));
        }
        var settings = h.json().path("settings");
        item(b, "thresholds", "warn " + settings.path("warn").asText("?") + ", checkpoint "
                + settings.path("checkpoint").asText("?") + ", stop " + settings.path("stop").asText("?"));
        b.append("<dt>end</dt><dd id=\"end\">");
        if (r.exit().isPresent()) {
            RecordEntry.Exit e = r.exit().get();
            b.append(Svg.esc(e.statusText())).append(" at ").append(Svg.duration(e.tMillis()))
                    .append(e.stoppedByOomguard() ? " (stopped by oomguard)" : "");
        } else {
            b.append("<span class=\"note\">the run has no end: the record has no exit line "
                    + "(oomguard itself died, e.g. it was SIGKILLed, or it is still running)</span>");
        }
        b.append("</dd></dl>\n");
        if (!r.skipped().isEmpty()) {
            b.append("<p class=\"note\">").append(r.skipped().size()).append(" line(s) of the record skipped, first: line ")
                    .append(r.skipped().get(0).line()).append(": ").append(Svg.esc(r.skipped().get(0).reason()))
                    .append("</p>\n");
        }
        List<ReportData.Ev> events = r.events();
        List<ReportData.Ev> major = events.stream().filter(e -> HtmlReport.ACTIONS.contains(e.kind())).toList();
        b.append("<h2 style=\"font-size:15px\">Events</h2><table id=\"events\">");
        for (ReportData.Ev e : major.subList(0, Math.min(200, major.size()))) {
            b.append("<tr data-kind=\"").append(Svg.esc(e.kind())).append("\"><td>").append(Svg.duration(e.tMillis()))
                    .append("</td><td><b>").append(Svg.esc(e.kind())).append("</b> ").append(Svg.esc(e.message()))
                    .append("</td></tr>");
        }
        b.append("</table>");
        int more = events.size() - Math.min(200, major.size());
        if (more > 0) {
            b.append("<p>").append(more).append(" more event(s) (limits measured, processes joining or leaving, ...) "
                    + "are marked on the time axis; hover a mark for its text.</p>");
        }
        for (ReportData.Ev e : events) {
            if (e.explanation() != null) {
                b.append("<h2 style=\"font-size:15px\">Explanation</h2><pre class=\"explanation\">")
                        .append(Svg.esc(e.explanation())).append("</pre>\n");
            }
        }
    }

    private static void item(StringBuilder b, String name, String value) {
        b.append("<dt>").append(Svg.esc(name)).append("</dt><dd>").append(Svg.esc(value)).append("</dd>");
    }
}
