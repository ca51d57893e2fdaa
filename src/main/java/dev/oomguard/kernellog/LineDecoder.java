package dev.oomguard.kernellog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns one raw line of any supported log format into {@link LogLine}s: /dev/kmsg records,
 * {@code journalctl -o json}, syslog (with {@code #012} escapes), {@code dmesg} with boot-relative
 * or {@code -T} stamps, or bare text. The format is detected per line, so a file that mixes
 * them (a pasted report) still decodes. Pure apart from remembering whether the previous line
 * was a kmsg record (its dictionary lines follow it).
 */
public final class LineDecoder {
    private static final Pattern KMSG = Pattern.compile("^(\\d{1,3}),(\\d+),(\\d+),([^;,]*)((?:,[^;]*)?);(.*)$");
    private static final Pattern DMESG = Pattern.compile("^\\[\\s*(\\d{1,10})\\.(\\d{1,9})\\] ?(?:\\[\\s*[TC]\\d{1,9}\\] ?)?(.*)$");
    private static final Pattern DMESG_T = Pattern.compile(
            "^\\[([A-Z][a-z]{2} [A-Z][a-z]{2} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d \\d{4})\\] ?(?:\\[\\s*[TC]\\d{1,9}\\] ?)?(.*)$");
    private static final Pattern SYSLOG = Pattern.compile(
            "^([A-Z][a-z]{2}) {1,2}(\\d{1,2}) (\\d\\d:\\d\\d:\\d\\d) (?:(\\S+) )??([^\\s:\\[]+)(?:\\[\\d+\\])?: ?(.*)$");
    private static final Pattern SYSLOG_ISO = Pattern.compile(
            "^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(?:\\.\\d+)?(?:Z|[+-]\\d\\d:?\\d\\d)) (\\S+) ([^\\s:\\[]+)(?:\\[\\d+\\])?: ?(.*)$");
    private static final DateTimeFormatter CTIME = DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);
    private static final DateTimeFormatter SYSLOG_DATE = DateTimeFormatter.ofPattern("yyyy MMM d HH:mm:ss", Locale.ROOT);
    /** Loaded on the first JSON line only: Jackson costs a few hundred classes at startup. */
    private static final class Json {
        static final ObjectMapper MAPPER = new ObjectMapper();
    }

    private final ZoneId zone;
    private final int syslogYear;
    private final LocalDateTime yearEnd;
    private boolean afterKmsg;
    private String lastSyslogKey;
    private Instant lastSyslogTime;

    /**
     * @param zone       the zone that {@code dmesg -T} and syslog stamps are in
     * @param syslogYear syslog stamps carry no year; this one is assumed
     */
    public LineDecoder(ZoneId zone, int syslogYear) {
        this(zone, syslogYear, null);
    }

    /**
     * @param now when known, syslog stamps more than a day after it are taken to be from the year
     *            before {@code syslogYear} (a log read just after New Year)
     */
    public LineDecoder(ZoneId zone, int syslogYear, LocalDateTime now) {
        this.zone = zone;
        this.syslogYear = syslogYear;
        this.yearEnd = now == null ? null : now.plusDays(1);
    }

    /** Decodes {@code raw}, handing each resulting line to {@code sink}; never throws on bad input. */
    public void decode(String raw, Consumer<LogLine> sink) {
        boolean wasKmsg = afterKmsg;
        afterKmsg = false;
        if (raw.isEmpty()) {
            sink.accept(LogLine.of(raw));
            return;
        }
        char first = raw.charAt(0);
        if (wasKmsg && first == ' ' && raw.indexOf('=') > 0) {
            afterKmsg = true; // a kmsg dictionary line (" SUBSYSTEM=..."), not text
            return;
        }
        if (first >= '0' && first <= '9') {
            Matcher k = KMSG.matcher(raw);
            if (k.matches()) {
                afterKmsg = true;
                long seq = parseLong(k.group(2));
                long usec = parseLong(k.group(3));
                emitSplit(unescapeKmsg(k.group(6)), seq, usec, null, false, null, sink);
                return;
            }
            Matcher iso = SYSLOG_ISO.matcher(raw);
            if (iso.matches()) {
                Instant wall = parseIso(iso.group(1));
                syslogBody(iso.group(4), wall, iso.group(2), sink);
                return;
            }
        } else if (first == '{') {
            if (decodeJson(raw, sink)) {
                return;
            }
        } else if (first == '[') {
            Matcher d = DMESG.matcher(raw);
            if (d.matches()) {
                sink.accept(new LogLine(withoutKernelTag(d.group(3)), -1, micros(d.group(1), d.group(2)), null, false));
                return;
            }
            Matcher t = DMESG_T.matcher(raw);
            if (t.matches()) {
                Instant wall = parseCtime(t.group(1));
                sink.accept(new LogLine(t.group(2), -1, -1, wall, false));
                return;
            }
        } else if (first >= 'A' && first <= 'Z') {
            Matcher s = SYSLOG.matcher(raw);
            if (s.matches()) {
                Instant wall = parseSyslogDate(s.group(1), s.group(2), s.group(3));
                syslogBody(s.group(6), wall, s.group(4), sink);
                return;
            }
        }
        sink.accept(LogLine.of(withoutKernelTag(raw)));
    }

    /**
     * {@code journalctl -o short-monotonic} writes {@code [ 12.345678] host kernel: text}, and pasted
     * logs often keep a bare {@code kernel: }: the tag is not part of the message.
     */
    private static String withoutKernelTag(String text) {
        int k = text.indexOf("kernel: ");
        if (k < 0 || k > 64) {
            return text;
        }
        if (k == 0 || (text.charAt(k - 1) == ' ' && text.indexOf(' ') == k - 1)) {
            return text.substring(k + "kernel: ".length());
        }
        return text;
    }

    private void syslogBody(String body, Instant wall, String host, Consumer<LogLine> sink) {
        long usec = -1;
        String text = body;
        if (body.startsWith("[")) {
            Matcher d = DMESG.matcher(body);
            if (d.matches()) {
                usec = micros(d.group(1), d.group(2));
                text = d.group(3);
            }
        }
        if (text.indexOf('#') >= 0) {
            text = text.replace("#012", "\n").replace("#011", "\t");
        }
        emitSplit(text, -1, usec, wall, true, host, sink);
    }

    private static void emitSplit(String text, long seq, long usec, Instant wall, boolean exact, String origin,
            Consumer<LogLine> sink) {
        if (text.indexOf('\n') < 0) {
            sink.accept(new LogLine(text, seq, usec, wall, exact, origin));
            return;
        }
        for (String part : text.split("\n", -1)) {
            if (!part.isEmpty()) {
                sink.accept(new LogLine(part, seq, usec, wall, exact, origin));
            }
        }
    }

    private boolean decodeJson(String raw, Consumer<LogLine> sink) {
        if (!raw.contains("\"MESSAGE\"")) {
            return false;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(raw);
        } catch (Exception e) { // a truncated or foreign JSON line is plain text to us
            return false;
        }
        if (node == null || !node.isObject()) {
            return false;
        }
        String message = message(node.get("MESSAGE"));
        if (message == null) {
            return false;
        }
        long source = longField(node, "_SOURCE_MONOTONIC_TIMESTAMP");
        long realtime = longField(node, "__REALTIME_TIMESTAMP");
        long monotonic = longField(node, "__MONOTONIC_TIMESTAMP");
        Instant wall = null;
        if (realtime >= 0) {
            // journald stamps reception; kernel lines carry their own printk time, so move back by the delay.
            long delay = source >= 0 && monotonic >= source ? monotonic - source : 0;
            long usec = realtime - delay;
            wall = Instant.ofEpochSecond(usec / 1_000_000, (usec % 1_000_000) * 1000);
        }
        String host = textField(node, "_HOSTNAME");
        String boot = textField(node, "_BOOT_ID");
        String origin = host == null && boot == null ? null : (host == null ? "" : host) + (boot == null ? "" : "/" + boot);
        emitSplit(message, -1, source, wall, true, origin, sink);
        return true;
    }

    private static String message(JsonNode m) {
        if (m == null || m.isNull()) {
            return null;
        }
        if (m.isArray()) { // journald writes non-UTF-8 messages as byte arrays
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            m.forEach(b -> bytes.write(b.asInt()));
            return bytes.toString(StandardCharsets.UTF_8);
        }
        return m.asText();
    }

    private static String textField(JsonNode node, String name) {
        JsonNode v = node.get(name);
        return v == null || !v.isValueNode() || v.asText().isEmpty() ? null : v.asText();
    }

    private static long longField(JsonNode node, String name) {
        JsonNode v = node.get(name);
        if (v == null) {
            return -1;
        }
        try {
            long value = Long.parseLong(v.asText().trim());
            return value < 0 ? -1 : value;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** /dev/kmsg escapes non-printable bytes as {@code \xNN}; a newline becomes {@code \x0a}. */
    static String unescapeKmsg(String s) {
        if (s.indexOf("\\x") < 0) {
            return s;
        }
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\\' && i + 3 < in.length && in[i + 1] == 'x'
                    && hex(in[i + 2]) >= 0 && hex(in[i + 3]) >= 0) {
                out.write(hex(in[i + 2]) * 16 + hex(in[i + 3]));
                i += 3;
            } else {
                out.write(in[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }

    private static long micros(String seconds, String fraction) {
        String f = (fraction + "000000").substring(0, 6);
        long s = parseLong(seconds);
        long us = parseLong(f);
        return s < 0 || us < 0 ? -1 : s * 1_000_000 + us;
    }

    private static long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Instant parseCtime(String s) {
        try {
            return LocalDateTime.parse(s, CTIME).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private Instant parseSyslogDate(String month, String day, String time) {
        String key = month + " " + day + " " + time;
        if (key.equals(lastSyslogKey)) { // consecutive lines share a second: skip the formatter
            return lastSyslogTime;
        }
        Instant t;
        try {
            LocalDateTime local = LocalDateTime.parse(syslogYear + " " + key, SYSLOG_DATE);
            // Syslog has no year: a stamp after the assumed year's end of the reference (e.g. December
            // lines read in January) belongs to the year before.
            if (yearEnd != null && local.isAfter(yearEnd)) {
                local = local.minusYears(1);
            }
            t = local.atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            t = null;
        }
        lastSyslogKey = key;
        lastSyslogTime = t;
        return t;
    }

    private static Instant parseIso(String s) {
        try {
            return OffsetDateTime.parse(s.replaceFirst("([+-]\\d\\d)(\\d\\d)$", "$1:$2")).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
