package dev.oomguard.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One line of a run record as read back: the fields a renderer needs typed, the whole line as
 * {@code json} for the rest. {@code line} is the 1-based line number in the file.
 */
public sealed interface RecordEntry {
    int line();

    JsonNode json();

    record Header(int line, JsonNode json, String schema, String version, String command, String host,
            String kernel, Instant started, long intervalMillis) implements RecordEntry {
    }

    /** A limit as a sample or action saw it. */
    record LimitSeen(String source, String description, long capacityBytes, long headroomBytes, double usedPercent) {
    }

    /** One of the processes holding the most at a tick. */
    record TopProcess(int pid, String comm, long rssKiB, long swapKiB) {
    }

    record Sample(int line, JsonNode json, long tick, long tMillis, Instant wall, LimitSeen binding, int processes,
            long rssKiB, long swapKiB, List<TopProcess> top) implements RecordEntry {
        public Sample {
            top = List.copyOf(top);
        }
    }

    record Event(int line, JsonNode json, long tMillis, Instant wall, String kind, String message) implements RecordEntry {
    }

    record Exit(int line, JsonNode json, long tMillis, Instant wall, int status, String statusText, Integer exitCode,
            Integer signal, boolean stoppedByOomguard) implements RecordEntry {
    }
}
