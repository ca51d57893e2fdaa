package dev.oomguard.kernellog;

import java.util.List;

/**
 * What was found in one log: the kernel's OOM reports and userspace OOM daemons' kills that were
 * kept, in log order, and how many there were in all. A log of any size is read in bounded memory,
 * so only the newest wanted ones are kept (see {@link ReportRetention}).
 *
 * @param reportsFound   every OOM report (or fragment of one) in the log
 * @param reportsWanted  of those, the ones the retention's filter accepted
 * @param reportsDropped wanted reports not kept, to bound memory (the oldest)
 * @param userspaceKillsDropped userspace kills not kept (the oldest)
 */
public record ParsedLog(List<OomReport> reports, List<UserspaceKill> userspaceKills, long reportsFound,
        long reportsWanted, long reportsDropped, long userspaceKillsDropped) {
    public ParsedLog {
        reports = List.copyOf(reports);
        userspaceKills = List.copyOf(userspaceKills);
        if (reportsFound < reportsWanted || reportsWanted < reports.size() || reportsDropped < 0
                || userspaceKillsDropped < 0) {
            throw new IllegalArgumentException("inconsistent counts: found " + reportsFound + ", wanted "
                    + reportsWanted + ", kept " + reports.size() + ", dropped " + reportsDropped);
        }
    }

    /** Everything kept, nothing dropped. */
    public ParsedLog(List<OomReport> reports, List<UserspaceKill> userspaceKills) {
        this(reports, userspaceKills, reports.size(), reports.size(), 0, 0);
    }

    public static ParsedLog empty() {
        return new ParsedLog(List.of(), List.of());
    }
}
