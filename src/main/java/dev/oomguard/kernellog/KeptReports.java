package dev.oomguard.kernellog;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The finished reports of one parse, within a {@link ReportRetention}: every report is counted,
 * the wanted ones are kept, and beyond the bounds the oldest kept is dropped (and counted).
 */
final class KeptReports {
    private record Kept(OomReport report, long weightBytes) {
    }

    private final ReportRetention retention;
    private final ArrayDeque<Kept> kept = new ArrayDeque<>();
    private long keptBytes;
    private long found;
    private long wanted;
    private long dropped;

    KeptReports(ReportRetention retention) {
        this.retention = retention;
    }

    /** Counts a finished report and keeps it if wanted, dropping the oldest kept beyond the bounds. */
    void add(OomReport r) {
        found++;
        if (!retention.wanted().test(r)) {
            return;
        }
        wanted++;
        long w = ReportRetention.weightBytes(r);
        kept.addLast(new Kept(r, w));
        keptBytes += w;
        while (kept.size() > retention.maxReports() || (keptBytes > retention.maxBytes() && kept.size() > 1)) {
            keptBytes -= kept.removeFirst().weightBytes();
            dropped++;
        }
    }

    /** The kept reports in log order and their counts, with the userspace kills found beside them. */
    ParsedLog parsedLog(List<UserspaceKill> userspaceKills, long userspaceKillsDropped) {
        return new ParsedLog(kept.stream().map(Kept::report).toList(), userspaceKills, found, wanted, dropped,
                userspaceKillsDropped);
    }
}
