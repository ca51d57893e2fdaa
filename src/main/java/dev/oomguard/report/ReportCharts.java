package dev.oomguard.report;

import java.util.List;
import java.util.Optional;

/** The two SVG charts of {@link HtmlReport}: memory over time with limit, thresholds and events; headroom. */
final class ReportCharts {
    private static final int MEM_H = 460;
    private static final int HEAD_H = 170;
    private static final int BOTTOM = 36;
    private static final String[][] THRESHOLDS = {{"warn", "#e6a700"}, {"checkpoint", "#ff7f0e"}, {"stop", "#d62728"}};

    private final ChartSeries s;
    private final long span;
    private final int w;
    private final int left;
    private final int right;
    private final int top;

    ReportCharts(ChartSeries s, long span, int w, int left, int right, int top) {
        this.s = s;
        this.span = span;
        this.w = w;
        this.left = left;
        this.right = right;
        this.top = top;
    }

    private double x(long t) {
        return left + (w - left - right) * (double) t / span;
    }

    void memory(StringBuilder b, RecordEntry.Header h, List<ReportData.Ev> events,
            Optional<RecordEntry.Exit> exit) {
        double data = Math.max(s.maxTotal(), s.maxUsed());
        double cap = s.maxCapacity();
        // Show the limit when it is in sight; a job using 3 MiB of a 24 GiB host would be a flat line under it.
        double yMax = cap > 0 && cap <= 2.5 * Math.max(data, 1) ? Math.max(cap, data) * 1.05
                : Math.max(data * 1.15, 1 << 20);
        List<ChartAxes.Tick> yt = ChartAxes.bytes(yMax);
        yMax = Math.max(yMax, yt.get(yt.size() - 1).value());
        int bottom = MEM_H - BOTTOM;
        double ym = yMax;
        java.util.function.DoubleUnaryOperator y = v -> bottom - (bottom - top) * Math.min(v, ym) / ym;
        b.append("<svg id=\"memory-chart\" viewBox=\"0 0 ").append(w).append(' ')
                .append(MEM_H).append("\" data-points=\"").append(s.points().size()).append("\" data-events=\"")
                .append(events.size()).append("\" role=\"img\"><title>tree memory over time</title>\n");
        grid(b, yt, y, top, bottom);
        int n = s.points().size();
        int bands = s.pids().size() + 2;
        double[] lower = new double[n];
        for (int k = 0; k < bands; k++) {
            double[] upper = new double[n];
            for (int i = 0; i < n; i++) {
                upper[i] = lower[i] + s.points().get(i).stack()[k];
            }
            String cls = k < s.pids().size() ? "series proc\" data-pid=\"" + s.pids().get(k)
                    : k == s.pids().size() ? "series other" : "series swap";
            String fill = k < s.pids().size() ? HtmlReport.color(k) : k == s.pids().size() ? "#c7c7c7" : "#e377c2";
            b.append("<path class=\"").append(cls).append("\" fill=\"").append(fill).append("\" fill-opacity=\"0.75\" d=\"");
            area(b, upper, lower, y);
            b.append("\"><title>").append(Svg.esc(bandName(k))).append("</title></path>\n");
            lower = upper;
        }
        double[] rss = new double[n];
        for (int i = 0; i < n; i++) {
            double[] st = s.points().get(i).stack();
            rss[i] = s.points().get(i).total() - st[st.length - 1];
        }
        b.append("<path class=\"series rss\" d=\"");
        line(b, rss, y, "M");
        b.append("\"><title>tree resident</title></path>\n");
        polyline(b, "used", s.points().stream().mapToDouble(ChartSeries.Point::used).toArray(), y, yMax,
                "memory used against the binding limit");
        polyline(b, "limit", s.points().stream().mapToDouble(ChartSeries.Point::capacity).toArray(), y, yMax,
                "binding limit");
        if (cap > 0 && cap <= yMax) {
            b.append("<text x=\"").append(left + 4).append("\" y=\"").append(Svg.n(y.applyAsDouble(cap) - 4))
                    .append("\" fill=\"#d62728\">limit ").append(Svg.bytes(cap)).append("</text>\n");
        }
        StringBuilder off = new StringBuilder();
        if (cap > yMax) {
            off.append("limit ").append(Svg.bytes(cap));
        }
        for (String[] t : THRESHOLDS) {
            String v = h.json().path("settings").path(t[0]).asText("");
            if (!v.endsWith("%")) {
                continue;
            }
            double pct;
            try {
                pct = Double.parseDouble(v.substring(0, v.length() - 1)) / 100;
            } catch (NumberFormatException e) {
                continue;
            }
            double[] at = s.points().stream().mapToDouble(p -> p.capacity() * pct).toArray();
            if (at.length > 0 && at[at.length - 1] > yMax) {
                off.append(off.length() > 0 ? ", " : "").append(t[0]).append(' ').append(v);
                continue;
            }
            b.append("<polyline class=\"threshold\" data-name=\"").append(t[0]).append("\" stroke=\"").append(t[1])
                    .append("\" points=\"");
            points(b, at, y);
            b.append("\"><title>--").append(t[0]).append(' ').append(Svg.esc(v)).append("</title></polyline>\n");
            if (at.length > 0) {
                b.append("<text x=\"").append(w - right - 4).append("\" y=\"").append(Svg.n(y.applyAsDouble(at[at.length - 1]) - 3))
                        .append("\" text-anchor=\"end\" fill=\"").append(t[1]).append("\">").append(t[0]).append(' ')
                        .append(Svg.esc(v)).append("</text>\n");
            }
        }
        if (off.length() > 0) {
            b.append("<text x=\"").append(left + 4).append("\" y=\"").append(top + 14).append("\">above the chart: ")
                    .append(off).append("</text>\n");
        }
        int labelled = 0;
        for (ReportData.Ev e : events) {
            boolean major = HtmlReport.ACTIONS.contains(e.kind());
            String color = switch (e.kind()) {
                case "warn", "warn_outside" -> "#e6a700";
                case "checkpoint", "checkpoint_acknowledged", "checkpoint_timeout", "checkpoint_unanswered",
                        "stop_deferred" -> "#ff7f0e";
                case "terminate", "kill", "partial_kill" -> "#d62728";
                case "explanation" -> "#9467bd";
                default -> "#555";
            };
            double ex = x(e.tMillis());
            b.append("<line class=\"event-mark").append(major ? "" : " minor").append("\" data-kind=\"")
                    .append(Svg.esc(e.kind())).append("\" x1=\"").append(Svg.n(ex)).append("\" x2=\"").append(Svg.n(ex))
                    .append("\" y1=\"").append(major ? top - 30 : bottom - 8).append("\" y2=\"").append(bottom)
                    .append(major ? "\" stroke=\"" + color : "").append("\"><title>").append(Svg.duration(e.tMillis()))
                    .append(' ').append(Svg.esc(e.kind())).append(": ").append(Svg.esc(e.message()))
                    .append("</title></line>\n");
            if (major && labelled < 40) { // beyond that the labels are noise; each mark keeps its tooltip
                boolean nearEnd = ex > w - right - 90; // near the right edge the label goes to the left of its mark
                b.append("<text class=\"event-label\" x=\"").append(Svg.n(nearEnd ? ex - 3 : ex + 2))
                        .append(nearEnd ? "\" text-anchor=\"end" : "").append("\" y=\"")
                        .append(top - 30 + 10 * (labelled % 3) + 8).append("\" fill=\"").append(color).append("\">")
                        .append(Svg.esc(e.kind())).append("</text>\n");
                labelled++;
            }
        }
        exit.ifPresent(e -> b.append("<line class=\"exit-mark\" x1=\"").append(Svg.n(x(e.tMillis()))).append("\" x2=\"")
                .append(Svg.n(x(e.tMillis()))).append("\" y1=\"").append(top).append("\" y2=\"").append(bottom)
                .append("\" stroke=\"#000\" stroke-width=\"2\"><title>exit: ").append(Svg.esc(e.statusText()))
                .append("</title></line>\n"));
        legend(b, bottom);
        b.append("</svg>\n");
    }

    void headroom(StringBuilder b) {
        int bottom = HEAD_H - BOTTOM;
        int headTop = 16;
        double yMax = Math.max(s.maxHeadroom() * 1.1, 1 << 20);
        List<ChartAxes.Tick> yt = ChartAxes.bytes(yMax);
        double ym = Math.max(yMax, yt.get(yt.size() - 1).value());
        java.util.function.DoubleUnaryOperator y = v -> bottom - (bottom - headTop) * Math.max(0, Math.min(v, ym)) / ym;
        b.append("<svg id=\"headroom-chart\" viewBox=\"0 0 ").append(w).append(' ')
                .append(HEAD_H).append("\" data-points=\"").append(s.points().size())
                .append("\" role=\"img\"><title>headroom to the binding limit</title>\n");
        grid(b, yt, y, headTop, bottom);
        polyline(b, "headroom", s.points().stream().mapToDouble(ChartSeries.Point::headroom).toArray(), y,
                Double.MAX_VALUE, "headroom");
        b.append("<text x=\"").append(left + 4).append("\" y=\"").append(headTop + 10)
                .append("\">headroom: what is left before the binding limit</text>\n</svg>\n");
    }

    private String bandName(int k) {
        return k < s.pids().size() ? s.names().get(k) : k == s.pids().size() ? "other processes" : "swap (whole tree)";
    }

    private void grid(StringBuilder b, List<ChartAxes.Tick> yt, java.util.function.DoubleUnaryOperator y, int gTop,
            int bottom) {
        for (ChartAxes.Tick t : yt) {
            String yy = Svg.n(y.applyAsDouble(t.value()));
            b.append("<line class=\"grid\" x1=\"").append(left).append("\" x2=\"").append(w - right).append("\" y1=\"")
                    .append(yy).append("\" y2=\"").append(yy).append("\"/><text x=\"").append(left - 6).append("\" y=\"")
                    .append(yy).append("\" dy=\"4\" text-anchor=\"end\">").append(t.label()).append("</text>\n");
        }
        for (ChartAxes.Tick t : ChartAxes.time(span)) {
            String xx = Svg.n(x((long) t.value()));
            b.append("<line class=\"grid\" x1=\"").append(xx).append("\" x2=\"").append(xx).append("\" y1=\"")
                    .append(gTop).append("\" y2=\"").append(bottom).append("\"/><text x=\"").append(xx).append("\" y=\"")
                    .append(bottom + 16).append("\" text-anchor=\"middle\">").append(t.label()).append("</text>\n");
        }
        b.append("<line class=\"axis\" x1=\"").append(left).append("\" x2=\"").append(w - right).append("\" y1=\"")
                .append(bottom).append("\" y2=\"").append(bottom).append("\"/>\n");
    }

    private void legend(StringBuilder b, int bottom) {
        int lx = left;
        int ly = bottom + 30;
        for (int k = 0; k < s.pids().size() + 2; k++) {
            String fill = k < s.pids().size() ? HtmlReport.color(k) : k == s.pids().size() ? "#c7c7c7" : "#e377c2";
            String name = bandName(k);
            b.append("<rect x=\"").append(lx).append("\" y=\"").append(ly - 9).append("\" width=\"10\" height=\"10\" fill=\"")
                    .append(fill).append("\"/><text x=\"").append(lx + 14).append("\" y=\"").append(ly).append("\">")
                    .append(Svg.esc(name.length() > 24 ? name.substring(0, 23) + "…" : name)).append("</text>\n");
            lx += 24 + 6 * Math.min(24, name.length());
        }
        // The lines, so a reader can tell the dotted usage of the limit from the tree's own resident outline.
        String[][] lines = {{"series rss", "tree resident"}, {"used", "used, as the limit counts it"}, {"limit", "limit"}};
        for (String[] l : lines) {
            b.append("<line class=\"").append(l[0]).append(" legend\" x1=\"").append(lx).append("\" x2=\"").append(lx + 16)
                    .append("\" y1=\"").append(ly - 4).append("\" y2=\"").append(ly - 4).append("\"/><text x=\"")
                    .append(lx + 20).append("\" y=\"").append(ly).append("\">").append(l[1]).append("</text>\n");
            lx += 28 + 6 * l[1].length();
        }
    }

    private void polyline(StringBuilder b, String cls, double[] v, java.util.function.DoubleUnaryOperator y,
            double yMax, String title) {
        if (v.length == 0 || v[v.length - 1] > yMax) {
            return;
        }
        b.append("<polyline class=\"").append(cls).append("\" points=\"");
        points(b, v, y);
        b.append("\"><title>").append(title).append("</title></polyline>\n");
    }

    private void points(StringBuilder b, double[] v, java.util.function.DoubleUnaryOperator y) {
        for (int i = 0; i < v.length; i++) {
            if (i > 0 && i < v.length - 1 && v[i] == v[i - 1] && v[i] == v[i + 1]) {
                continue; // a flat stretch (a limit that does not move) needs only its ends
            }
            b.append(i == 0 ? "" : " ").append(Svg.n(x(s.points().get(i).tMillis()))).append(',')
                    .append(Svg.n(y.applyAsDouble(v[i])));
        }
    }

    private void line(StringBuilder b, double[] v, java.util.function.DoubleUnaryOperator y, String first) {
        for (int i = 0; i < v.length; i++) {
            b.append(i == 0 ? first : "L").append(Svg.n(x(s.points().get(i).tMillis()))).append(',')
                    .append(Svg.n(y.applyAsDouble(v[i])));
        }
    }

    private void area(StringBuilder b, double[] upper, double[] lower, java.util.function.DoubleUnaryOperator y) {
        if (upper.length == 0) {
            return;
        }
        line(b, upper, y, "M");
        for (int i = lower.length - 1; i >= 0; i--) {
            b.append('L').append(Svg.n(x(s.points().get(i).tMillis()))).append(',').append(Svg.n(y.applyAsDouble(lower[i])));
        }
        b.append('Z');
    }
}
