package dev.oomguard.explain;

import dev.oomguard.kernellog.OomReport;
import dev.oomguard.kernellog.ParsedLog;
import dev.oomguard.kernellog.ReportTime;
import dev.oomguard.kernellog.UserspaceKill;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/** Explains the kills in a parsed log that match a query, newest first. Pure. */
public final class LogExplainer {
    /**
     * What to look for.
     *
     * @param pid   only kills naming this pid (killed, selected or in the summary line), or null
     * @param since only kills at or after this time, or null; kills without a wall-clock time are kept
     * @param last  at most this many, newest first
     */
    public record Query(Integer pid, Instant since, int last) {
        public Query {
            if (last < 1) {
                throw new IllegalArgumentException("--last must be at least 1: " + last);
            }
        }

        /**
         * Whether {@code r} can answer the query: it names the pid (or, lacking a kill line, was
         * invoked by it), and is not known to be older than {@code since}. Pure, so a reader can
         * drop the others while it reads.
         */
        public boolean matches(OomReport r) {
            if (pid != null && !r.names(pid) && !(r.victim().isEmpty() && pid.equals(r.invokerPid()))) {
                return false;
            }
            return since == null || !r.time().wall().map(w -> w.isBefore(since)).orElse(false);
        }

        /** Whether the query narrows the log at all. */
        public boolean filters() {
            return pid != null || since != null;
        }
    }

    private final ReportExplainer reports;
    private final ZoneId zone;

    public LogExplainer(ZoneId zone, long pageKiB) {
        this.reports = new ReportExplainer(zone, pageKiB);
        this.zone = zone;
    }

    /** An explanation with the time it sorts by (wall ms, else boot ms; daemons' lines without stamps last). */
    private record Dated(long sortKey, Explanation explanation) {
    }

    public List<Explanation> explain(ParsedLog log, Query q) {
        List<Dated> out = new ArrayList<>();
        List<OomReport> rs = log.reports();
        for (int i = rs.size() - 1; i >= 0 && out.size() < q.last(); i--) {
            OomReport r = rs.get(i);
            if (!q.matches(r)) {
                continue;
            }
            // A fragment without its kill line is still an OOM event: explained with what it holds.
            Explanation e = reports.explain(r, Set.of());
            if (q.since() != null && r.time().wall().isEmpty()) {
                List<String> missing = new ArrayList<>(e.missing());
                missing.add("wall-clock time (the log has only boot-relative stamps, so --since could not be applied)");
                e = new Explanation(e.verdict(), e.confidence(), e.pid(), e.comm(), e.when(), e.summary(), e.details(),
                        e.advice(), e.evidence(), missing, e.report(), e.job());
            }
            out.add(new Dated(sortKey(r.time()), e));
        }
        for (UserspaceKill k : log.userspaceKills()) {
            if ((q.pid() == null || k.pid() == q.pid())
                    && (q.since() == null || k.time().wall().map(w -> !w.isBefore(q.since())).orElse(true))) {
                out.add(new Dated(sortKey(k.time()), userspace(k, zone)));
            }
        }
        // Stable sort, newest first; the reports were added newest first already.
        out.sort(Comparator.comparingLong(Dated::sortKey).reversed());
        return out.stream().limit(q.last()).map(Dated::explanation).toList();
    }

    private static long sortKey(ReportTime t) {
        return t.wall().map(Instant::toEpochMilli).orElse(t.lastMonoMicros() >= 0 ? t.lastMonoMicros() / 1000 : Long.MIN_VALUE);
    }

    static Explanation userspace(UserspaceKill k, ZoneId zone) {
        String who = k.pid() >= 0 ? "PID " + k.pid() + (k.target().isEmpty() ? "" : " (" + k.target() + ")") : k.target();
        String summary = k.daemon() + " sent " + k.signal() + " to " + who + " at " + WhenText.of(k.time(), zone)
                + ": a userspace OOM daemon acted before the kernel had to.";
        return new Explanation(Verdict.USERSPACE_OOM_KILLER, Confidence.MEDIUM, k.pid() >= 0 ? k.pid() : null,
                k.target(), WhenText.of(k.time(), zone), summary, List.of(),
                List.of("See the daemon's thresholds (earlyoom -m/-s, systemd-oomd ManagedOOM*=) and the job's memory."),
                List.of(k.line()), List.of("the kernel's report (none: the kernel did not kill)"), null, null);
    }
}
