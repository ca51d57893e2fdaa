package dev.oomguard.kernellog;

import java.util.function.Predicate;

/**
 * Which reports a parse keeps, so a log of any size is read in bounded memory: only those
 * {@code wanted}, and of those only the newest, within {@code maxReports} and an estimated
 * {@code maxBytes} (a report with a big task table weighs more). The rest are counted, not kept.
 *
 * @param maxReports at most this many reports are kept (the newest)
 * @param maxBytes   the kept reports' estimated size stays under this, except that the newest
 *                   one is always kept
 * @param wanted     which reports are worth keeping at all (a query's --pid/--since); others are
 *                   only counted
 * @param maxUserspaceKills at most this many userspace daemons' kills are kept (the newest)
 */
public record ReportRetention(int maxReports, long maxBytes, Predicate<OomReport> wanted, int maxUserspaceKills) {
    /** About 6 MiB of reports: a few hundred with task tables, thousands of bare kill lines. */
    public static final ReportRetention DEFAULT = new ReportRetention(2000, 6L << 20, r -> true, 500);

    public ReportRetention {
        if (maxReports < 1 || maxBytes < 1 || maxUserspaceKills < 1) {
            throw new IllegalArgumentException("retention must keep at least one report: " + maxReports + ", "
                    + maxBytes + " bytes, " + maxUserspaceKills + " userspace kills");
        }
        if (wanted == null) {
            throw new IllegalArgumentException("retention needs a filter (r -> true for all)");
        }
    }

    /** The same bounds, keeping only reports that {@code filter} accepts. */
    public ReportRetention wanting(Predicate<OomReport> filter) {
        return new ReportRetention(maxReports, maxBytes, filter, maxUserspaceKills);
    }

    /** A rough heap size of a report: its task rows, evidence lines and fixed parts. */
    static long weightBytes(OomReport r) {
        long bytes = 1024;
        for (TaskRow t : r.tasks()) {
            bytes += 400 + 2L * t.line().length() + 2L * t.name().length();
        }
        for (String e : r.evidence()) {
            bytes += 48 + 2L * e.length();
        }
        return bytes;
    }
}
