package dev.oomguard.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads a run record back. Tolerant by design: the writer may have been SIGKILLed mid-line, the
 * disk may have filled, someone may have appended to the file. A line that does not parse, or
 * lacks a field its type needs, is skipped and reported with its number and why; reading never
 * throws for what the file holds. Pure apart from {@link #read(InputStream)}.
 */
public final class RecordReader {
    /** A line that was not taken, and why. */
    public record Skipped(int line, String reason) {
    }

    /** What the record holds, in file order, and what was skipped. */
    public record Result(List<RecordEntry> entries, List<Skipped> skipped) {
        public Result {
            entries = List.copyOf(entries);
            skipped = List.copyOf(skipped);
        }

        /** The header, when the first line read is one. */
        public Optional<RecordEntry.Header> header() {
            return entries.isEmpty() || !(entries.get(0) instanceof RecordEntry.Header h) ? Optional.empty()
                    : Optional.of(h);
        }

        public List<RecordEntry.Sample> samples() {
            return entries.stream().filter(RecordEntry.Sample.class::isInstance).map(RecordEntry.Sample.class::cast)
                    .toList();
        }

        public List<RecordEntry.Event> events() {
            return entries.stream().filter(RecordEntry.Event.class::isInstance).map(RecordEntry.Event.class::cast)
                    .toList();
        }

        /** The exit line: absent when oomguard died before the job ended (e.g. it was SIGKILLed). */
        public Optional<RecordEntry.Exit> exit() {
            return entries.stream().filter(RecordEntry.Exit.class::isInstance).map(RecordEntry.Exit.class::cast)
                    .findFirst();
        }
    }

    // Strict about what follows the object: two lines glued together are not one line.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** A line without what its type needs. */
    private static final class BadLine extends Exception {
        BadLine(String reason) {
            super(reason, null, false, false);
        }
    }

    private RecordReader() {
    }

    /** Reads the whole stream (a record is bounded, see {@link Downsampling}); I/O errors do throw. */
    public static Result read(InputStream in) throws IOException {
        return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }

    /**
     * Reads line by line, handing each entry to {@code sink} and keeping none: for a record too big
     * to hold as JSON trees (a 3-day record is ~20 MB). Same rules as {@link #parse}; returns what was skipped.
     */
    public static List<Skipped> forEach(InputStream in, Consumer<RecordEntry> sink) throws IOException {
        List<Skipped> skipped = new ArrayList<>();
        BufferedInputStream buf = new BufferedInputStream(in, 64 * 1024);
        ByteArrayOutputStream line = new ByteArrayOutputStream(2048);
        int n = 0;
        for (int c = buf.read();; c = buf.read()) {
            if (c != -1 && c != '\n') {
                line.write(c);
                continue;
            }
            boolean last = c == -1;
            if (!last || line.size() > 0) {
                n++;
                take(n, line.toString(StandardCharsets.UTF_8), last, sink, skipped);
            }
            line.reset();
            if (last) {
                return skipped;
            }
        }
    }

    private static void take(int n, String line, boolean last, Consumer<RecordEntry> sink, List<Skipped> skipped) {
        if (line.isBlank()) {
            if (!last && !line.isEmpty()) {
                skipped.add(new Skipped(n, "blank line"));
            }
            return;
        }
        try {
            sink.accept(entry(n, MAPPER.readTree(line)));
        } catch (JsonProcessingException e) {
            skipped.add(new Skipped(n, last ? "truncated last line (no newline): the writer stopped mid-line"
                    : "not JSON: " + e.getOriginalMessage()));
        } catch (BadLine e) {
            skipped.add(new Skipped(n, e.getMessage()));
        }
    }

    public static Result parse(String text) {
        List<RecordEntry> entries = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        // The piece after the last newline is empty for a whole file; otherwise it is a last line
        // whose writing was cut short, taken only if it still parses (then only its newline was lost).
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean last = i == lines.length - 1;
            if (line.isBlank()) {
                if (!last && !line.isEmpty()) {
                    skipped.add(new Skipped(i + 1, "blank line"));
                }
                continue;
            }
            try {
                entries.add(entry(i + 1, MAPPER.readTree(line)));
            } catch (JsonProcessingException e) {
                skipped.add(new Skipped(i + 1, last ? "truncated last line (no newline): the writer stopped mid-line"
                        : "not JSON: " + e.getOriginalMessage()));
            } catch (BadLine e) {
                skipped.add(new Skipped(i + 1, e.getMessage()));
            }
        }
        return new Result(entries, skipped);
    }

    private static RecordEntry entry(int n, JsonNode j) throws BadLine {
        if (j == null || !j.isObject()) {
            throw new BadLine("not a JSON object");
        }
        String type = text(j, "type");
        return switch (type) {
            case "header" -> new RecordEntry.Header(n, j, text(j, "schema"), text(j, "version"), text(j, "command"),
                    text(j, "host"), text(j, "kernel"), instant(j, "started"), number(j, "interval_ms"));
            case "sample" -> {
                JsonNode tree = object(j, "tree");
                List<RecordEntry.TopProcess> top = new ArrayList<>();
                for (JsonNode p : array(j, "top")) {
                    top.add(new RecordEntry.TopProcess((int) number(p, "pid"), text(p, "comm"), number(p, "rss_kib"),
                            number(p, "swap_kib")));
                }
                yield new RecordEntry.Sample(n, j, number(j, "tick"), number(j, "t_ms"), instant(j, "wall"),
                        limit(object(j, "binding")), (int) number(tree, "processes"), number(tree, "rss_kib"),
                        number(tree, "swap_kib"), top);
            }
            case "event" -> new RecordEntry.Event(n, j, number(j, "t_ms"), instant(j, "wall"), text(j, "kind"),
                    text(j, "message"));
            case "exit" -> new RecordEntry.Exit(n, j, number(j, "t_ms"), instant(j, "wall"), (int) number(j, "status"),
                    text(j, "status_text"), optionalInt(j, "exit_code"), optionalInt(j, "signal"),
                    j.path("stopped_by_oomguard").asBoolean(false));
            default -> throw new BadLine("unknown type '" + type + "'");
        };
    }

    private static RecordEntry.LimitSeen limit(JsonNode l) throws BadLine {
        JsonNode pct = l.get("used_percent");
        if (pct == null || !pct.isNumber()) {
            throw new BadLine("no number 'used_percent'");
        }
        return new RecordEntry.LimitSeen(text(l, "source"), text(l, "description"), number(l, "capacity_bytes"),
                number(l, "headroom_bytes"), pct.asDouble());
    }

    private static String text(JsonNode j, String field) throws BadLine {
        JsonNode v = j.get(field);
        if (v == null || !v.isTextual()) {
            throw new BadLine("no text '" + field + "'");
        }
        return v.asText();
    }

    private static long number(JsonNode j, String field) throws BadLine {
        JsonNode v = j.get(field);
        if (v == null || !v.isIntegralNumber()) {
            throw new BadLine("no whole number '" + field + "'");
        }
        return v.asLong();
    }

    private static Integer optionalInt(JsonNode j, String field) throws BadLine {
        JsonNode v = j.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw new BadLine("not a whole number '" + field + "'");
        }
        return v.asInt();
    }

    private static JsonNode object(JsonNode j, String field) throws BadLine {
        JsonNode v = j.get(field);
        if (v == null || !v.isObject()) {
            throw new BadLine("no object '" + field + "'");
        }
        return v;
    }

    private static JsonNode array(JsonNode j, String field) throws BadLine {
        JsonNode v = j.get(field);
        if (v == null || !v.isArray()) {
            throw new BadLine("no array '" + field + "'");
        }
        return v;
    }

    private static Instant instant(JsonNode j, String field) throws BadLine {
        String t = text(j, field);
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException e) {
            throw new BadLine("not an ISO-8601 instant '" + field + "': " + t);
        }
    }
}
