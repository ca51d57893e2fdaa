package dev.oomguard.kernellog;

import java.util.Map;
import java.util.Optional;

/**
 * One row of the task table. Columns differ by kernel generation, so the numbers are kept by the
 * header's column names ({@code total_vm}, {@code rss}, {@code swapents}, {@code rss_anon}, …),
 * in the table's units (pages, except {@code pgtables_bytes}).
 *
 * @param pid      the pid column
 * @param columns  the numeric columns by header name
 * @param name     the comm (the rest of the line; may contain spaces)
 * @param complete false when the row was cut short (a truncated report)
 * @param line     the row as logged, for quoting
 */
public record TaskRow(int pid, Map<String, Long> columns, String name, boolean complete, String line) {
    public TaskRow {
        if (pid < 0) {
            throw new IllegalArgumentException("pid is negative: " + pid);
        }
        columns = Map.copyOf(columns);
        name = name == null ? "" : name;
        line = line == null ? "" : line;
    }

    public Optional<Long> column(String key) {
        return Optional.ofNullable(columns.get(key));
    }

    public long rssPages() {
        return columns.getOrDefault("rss", 0L);
    }

    public long swapPages() {
        return columns.getOrDefault("swapents", 0L);
    }

    public Optional<Long> uid() {
        return column("uid");
    }
}
