package dev.oomguard.explain;

import dev.oomguard.kernellog.OomReport;
import dev.oomguard.kernellog.TaskRow;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The job's rows in a report's task table, and their sums. Which rows are the job's: those with
 * a pid the caller knows; else, in a memcg report, every row (the table lists only the cgroup's
 * tasks); else the rows with the victim's name and uid (a forked R or Python pool).
 *
 * @param rows       the job's rows, in table order
 * @param pageKiB    page size assumed for the table's page counts
 */
public record JobProcesses(List<TaskRow> rows, long pageKiB) {
    public JobProcesses {
        rows = List.copyOf(rows);
        if (pageKiB <= 0) {
            throw new IllegalArgumentException("page size must be positive: " + pageKiB);
        }
    }

    public static JobProcesses in(OomReport report, Set<Integer> knownPids, long pageKiB) {
        List<TaskRow> rows;
        if (!knownPids.isEmpty() && report.tasks().stream().anyMatch(t -> knownPids.contains(t.pid()))) {
            rows = report.tasks().stream().filter(t -> knownPids.contains(t.pid())).toList();
        } else if (report.memcgLimit()) {
            rows = report.tasks();
        } else {
            Optional<String> comm = report.victimComm();
            Optional<Long> uid = report.victim().flatMap(v -> report.task(v.pid())).flatMap(TaskRow::uid);
            rows = comm.map(c -> report.tasks().stream()
                    .filter(t -> t.name().equals(c))
                    .filter(t -> uid.isEmpty() || t.uid().equals(uid))
                    .toList()).orElse(List.of());
        }
        return new JobProcesses(rows, pageKiB);
    }

    public long rssKiB() {
        return rows.stream().mapToLong(TaskRow::rssPages).sum() * pageKiB;
    }

    public long swapKiB() {
        return rows.stream().mapToLong(TaskRow::swapPages).sum() * pageKiB;
    }

    /** The first-started process (lowest pid): in a forked pool, the master. */
    public Optional<TaskRow> master() {
        return rows.size() < 2 || commonName().isEmpty() ? Optional.empty() : rows.stream().min(Comparator.comparingInt(TaskRow::pid));
    }

    public List<TaskRow> workers() {
        Optional<TaskRow> m = master();
        return m.map(mm -> rows.stream().filter(r -> r != mm).toList()).orElse(List.of());
    }

    public String commonName() {
        return rows.stream().map(TaskRow::name).distinct().count() == 1 ? rows.get(0).name() : "";
    }
}
