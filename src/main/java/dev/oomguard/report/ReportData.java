package dev.oomguard.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the HTML report needs of a record, reduced line by line as it is read: a 3-day record is
 * ~20 MB of JSON, and the launcher's JVM has a 24 MiB heap, so samples are kept as a few numbers
 * each (not their JSON trees) and events as their text. {@code machine} is the {@code host}
 * event's line (machine, CPU, memory, OS), absent from records without one.
 */
record ReportData(RecordEntry.Header header, List<Tick> ticks, Map<Integer, String> comms, List<Ev> events,
        Optional<RecordEntry.Exit> exit, List<RecordReader.Skipped> skipped, String binding, long capacity,
        long peakBytes, long lowestHeadroom, Optional<String> machine) {
    /** One sample: its top processes (pid and resident bytes) and the tree and limit figures, in bytes. */
    record Tick(long tMillis, int[] pids, double[] rss, double treeRss, double swap, double capacity, double used,
            double headroom) {
    }

    /** An event; {@code explanation} is the text of an {@code explanation} event's kill, else null. */
    record Ev(long tMillis, String kind, String message, String explanation) {
    }

    /** Reads a record as a stream; empty when it has no header (it is not a run record). I/O errors do throw. */
    static Optional<ReportData> read(InputStream in) throws IOException {
        Builder b = new Builder();
        List<RecordReader.Skipped> skipped = RecordReader.forEach(in, b::accept);
        return b.build(skipped);
    }

    static Optional<ReportData> of(RecordReader.Result r) {
        Builder b = new Builder();
        r.entries().forEach(b::accept);
        return b.build(r.skipped());
    }

    private static final class Builder {
        private final List<Tick> ticks = new ArrayList<>();
        private final List<Ev> events = new ArrayList<>();
        private final Map<Integer, String> comms = new HashMap<>();
        private RecordEntry.Header header;
        private RecordEntry.Exit exit;
        private boolean first = true;
        private String binding = "";
        private long capacity;
        private long peak;
        private long lowest = Long.MAX_VALUE;
        private String machine;

        void accept(RecordEntry e) {
            if (first && e instanceof RecordEntry.Header h) {
                header = h;
            }
            first = false;
            if (e instanceof RecordEntry.Sample s) {
                int n = s.top().size();
                int[] pids = new int[n];
                double[] rss = new double[n];
                for (int i = 0; i < n; i++) {
                    pids[i] = s.top().get(i).pid();
                    rss[i] = s.top().get(i).rssKiB() * 1024.0;
                }
                RecordEntry.LimitSeen l = s.binding();
                double used = s.json().path("binding").path("used_bytes").asDouble(l.capacityBytes() - l.headroomBytes());
                ticks.add(new Tick(s.tMillis(), pids, rss, s.rssKiB() * 1024.0, s.swapKiB() * 1024.0, l.capacityBytes(),
                        used, l.headroomBytes()));
                binding = l.description();
                capacity = l.capacityBytes();
                peak = Math.max(peak, (s.rssKiB() + s.swapKiB()) * 1024);
                lowest = Math.min(lowest, l.headroomBytes());
                // The latest name: a shell that exec'd python is python.
                s.top().forEach(p -> comms.put(p.pid(), p.comm()));
            } else if (e instanceof RecordEntry.Event v && "host".equals(v.kind())) {
                machine = v.message();
            } else if (e instanceof RecordEntry.Event v) {
                String text = "explanation".equals(v.kind())
                        ? v.json().path("explanation").path("text").asText(v.message()) : null;
                events.add(new Ev(v.tMillis(), v.kind(), v.message(), text));
            } else if (e instanceof RecordEntry.Exit x && exit == null) {
                exit = x;
            }
        }

        Optional<ReportData> build(List<RecordReader.Skipped> skipped) {
            return header == null ? Optional.empty()
                    : Optional.of(new ReportData(header, ticks, comms, events, Optional.ofNullable(exit), skipped, binding,
                            capacity, peak, ticks.isEmpty() ? 0 : lowest, Optional.ofNullable(machine)));
        }
    }
}
