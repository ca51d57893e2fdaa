package dev.oomguard.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oomguard.sample.ProcessId;
import dev.oomguard.sample.ProcessMemory;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Processes that joined or left the job's tree since the last written sample, for the record's
 * {@code tree_changed} events. Batched to the sample cadence and capped per batch (the counts are
 * kept whole), so a shell loop that forks thousands of short-lived processes cannot make the
 * record unbounded. A process is told from a later one with the same PID by its start time.
 */
final class TreeChanges {
    /** The most processes named per list in one event; the rest are counted. */
    static final int LISTED = 20;

    private Map<ProcessId, String> current = Map.of();
    private final Map<Integer, String> joined = new LinkedHashMap<>();
    private final Map<Integer, String> left = new LinkedHashMap<>();
    private long joinedCount;
    private long leftCount;

    void accept(List<ProcessMemory> tree) {
        Map<ProcessId, String> now = new HashMap<>();
        for (ProcessMemory p : tree) {
            now.put(p.id(), p.comm());
            if (!current.containsKey(p.id())) {
                joinedCount++;
                if (joined.size() < LISTED) {
                    joined.put(p.pid(), p.comm());
                }
            }
        }
        for (Map.Entry<ProcessId, String> e : current.entrySet()) {
            if (!now.containsKey(e.getKey())) {
                leftCount++;
                if (left.size() < LISTED) {
                    left.put(e.getKey().pid(), e.getValue());
                }
            }
        }
        current = now;
    }

    boolean changed() {
        return joinedCount > 0 || leftCount > 0;
    }

    String describe() {
        return joinedCount + " process(es) joined the tree, " + leftCount + " left";
    }

    /** Puts the batch into {@code event} and starts a new one. */
    void drainInto(ObjectNode event) {
        event.set("joined", RecordJson.processes(joined));
        event.set("left", RecordJson.processes(left));
        event.put("joined_count", joinedCount);
        event.put("left_count", leftCount);
        joined.clear();
        left.clear();
        joinedCount = 0;
        leftCount = 0;
    }
}
