package dev.oomguard.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures the chart draws, from the samples: the stack (top processes by peak over the whole
 * run, the rest of the tree as "other", swap on top), the binding limit, its usage and headroom,
 * thinned to at most {@code cap} points so that a 3-day record makes a small file.
 *
 * @param pids      the processes drawn each as their own band, largest peak first
 * @param names     "comm (pid)" per band in {@code pids}
 * @param points    the points drawn, in time order
 */
record ChartSeries(List<Integer> pids, List<String> names, List<Point> points) {
    /** One drawn instant; bytes throughout. {@code stack} is per pid in {@link #pids}, then other, then swap. */
    record Point(long tMillis, double[] stack, double capacity, double used, double headroom) {
        double total() {
            double s = 0;
            for (double v : stack) {
                s += v;
            }
            return s;
        }
    }

    static final int TOP = 5;

    static ChartSeries of(ReportData d, int cap) {
        // Union of every tick's top processes, ranked by each one's peak: a process that was big
        // for an hour on day 2 matters as much as one big at the end.
        Map<Integer, Double> peak = new HashMap<>();
        for (ReportData.Tick t : d.ticks()) {
            for (int i = 0; i < t.pids().length; i++) {
                peak.merge(t.pids()[i], t.rss()[i], Math::max);
            }
        }
        List<Integer> pids = peak.keySet().stream()
                .sorted(Comparator.comparing((Integer p) -> -peak.get(p)).thenComparing(p -> p)).limit(TOP).toList();
        List<String> names = pids.stream().map(p -> d.comms().getOrDefault(p, "?") + " (" + p + ")").toList();
        List<Point> all = new ArrayList<>(d.ticks().size());
        for (ReportData.Tick t : d.ticks()) {
            double[] stack = new double[pids.size() + 2];
            double inTop = 0;
            for (int i = 0; i < t.pids().length; i++) {
                int k = pids.indexOf(t.pids()[i]);
                if (k >= 0) {
                    stack[k] = t.rss()[i];
                    inTop += stack[k];
                }
            }
            stack[pids.size()] = Math.max(0, t.treeRss() - inTop);
            stack[pids.size() + 1] = t.swap();
            all.add(new Point(t.tMillis(), stack, t.capacity(), t.used(), t.headroom()));
        }
        return new ChartSeries(pids, names, thin(all, cap));
    }

    /**
     * At most {@code cap} points: the run is cut into cap/2 equal spans of time and each keeps its
     * lowest and highest total, in time order, so a spike stays visible however long the run.
     */
    static List<Point> thin(List<Point> all, int cap) {
        if (all.size() <= cap) {
            return all;
        }
        int buckets = Math.max(1, cap / 2);
        long t0 = all.get(0).tMillis();
        long span = Math.max(1, all.get(all.size() - 1).tMillis() - t0);
        List<Point> out = new ArrayList<>(cap);
        int i = 0;
        for (int b = 0; b < buckets && i < all.size(); b++) {
            long end = t0 + (long) Math.ceil(span * (b + 1) / (double) buckets);
            int lo = -1;
            int hi = -1;
            for (; i < all.size() && (all.get(i).tMillis() <= end || b == buckets - 1); i++) {
                if (lo < 0 || all.get(i).total() < all.get(lo).total()) {
                    lo = i;
                }
                if (hi < 0 || all.get(i).total() > all.get(hi).total()) {
                    hi = i;
                }
            }
            if (lo >= 0) {
                out.add(all.get(Math.min(lo, hi)));
                if (lo != hi) {
                    out.add(all.get(Math.max(lo, hi)));
                }
            }
        }
        return out;
    }

    double maxTotal() {
        return points.stream().mapToDouble(Point::total).max().orElse(0);
    }

    double maxUsed() {
        return points.stream().mapToDouble(Point::used).max().orElse(0);
    }

    double maxCapacity() {
        return points.stream().mapToDouble(Point::capacity).max().orElse(0);
    }

    double maxHeadroom() {
        return points.stream().mapToDouble(Point::headroom).max().orElse(0);
    }
}
