package dev.oomguard.kernellog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads one task-table row against the columns of its header; the last column is the name. */
final class TaskTableRow {
    private TaskTableRow() {
    }

    /**
     * @param pid     the bracketed pid
     * @param rest    everything after {@code [ pid]}
     * @param columns the header's columns after {@code pid}, ending with {@code name}
     */
    static TaskRow parse(int pid, String rest, List<String> columns, String line) {
        int numeric = columns.size() - 1;
        Map<String, Long> values = new LinkedHashMap<>();
        int i = 0;
        int n = rest.length();
        for (int c = 0; c < numeric; c++) {
            while (i < n && rest.charAt(i) == ' ') {
                i++;
            }
            int start = i;
            if (i < n && rest.charAt(i) == '-') {
                i++;
            }
            while (i < n && Character.isDigit(rest.charAt(i))) {
                i++;
            }
            boolean endsToken = i == n || rest.charAt(i) == ' ';
            if (i == start || !endsToken || i - start > 19 || (i - start == 1 && rest.charAt(start) == '-')) {
                return new TaskRow(pid, values, "", false, line); // cut short or garbled: keep what parsed
            }
            values.put(columns.get(c), LineFields.num(rest.substring(start, i)));
        }
        // The kernel separates the name with one space; the name itself may contain spaces.
        String name = i < n ? rest.substring(i + 1) : "";
        return new TaskRow(pid, values, name, !name.isEmpty(), line);
    }
}
