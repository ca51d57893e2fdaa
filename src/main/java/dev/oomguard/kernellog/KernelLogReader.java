package dev.oomguard.kernellog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.function.Consumer;

/**
 * Streams text (any supported format) through a {@link LineDecoder} into an
 * {@link OomReportParser}, line by line, skipping lines that cannot matter while no report is
 * open. Never holds more than one line; very long lines are cut so garbage cannot exhaust memory.
 */
public final class KernelLogReader {
    /** Longer lines are cut: no kernel line comes close (printk's limit is 1 KiB per record). */
    static final int MAX_LINE_CHARS = 64 * 1024;

    private final ZoneId zone;
    private final int syslogYear;
    private final Instant bootTime;
    private final LocalDateTime now;

    public KernelLogReader(ZoneId zone, int syslogYear) {
        this(zone, syslogYear, null);
    }

    /**
     * @param bootTime when the running system booted, for logs of this boot whose lines carry
     *                 only boot-relative stamps; null when the log may come from another boot
     */
    public KernelLogReader(ZoneId zone, int syslogYear, Instant bootTime) {
        this(zone, syslogYear, bootTime, null);
    }

    /** @param now the local time of reading, so syslog stamps without a year roll back over New Year */
    public KernelLogReader(ZoneId zone, int syslogYear, Instant bootTime, LocalDateTime now) {
        this.zone = zone;
        this.syslogYear = syslogYear;
        this.bootTime = bootTime;
        this.now = now;
    }

    public ParsedLog read(Reader in) throws IOException {
        return read(in, ReportRetention.DEFAULT);
    }

    /** Reads all of {@code in}, keeping the reports {@code retention} allows (memory stays bounded). */
    public ParsedLog read(Reader in, ReportRetention retention) throws IOException {
        OomReportParser parser = new OomReportParser(retention);
        feed(in, parser);
        return parser.finish();
    }

    /** Feeds {@code in} to {@code parser} without finishing it, so several sources can share one. */
    public void feed(Reader in, OomReportParser parser) throws IOException {
        LineDecoder decoder = new LineDecoder(zone, syslogYear, now);
        Consumer<LogLine> sink = bootTime == null ? parser::accept : l -> parser.accept(withWall(l));
        BufferedReader reader = in instanceof BufferedReader b ? b : new BufferedReader(in, 1 << 16);
        StringBuilder line = new StringBuilder(256);
        char[] buf = new char[1 << 16];
        int len;
        boolean cut = false;
        while ((len = reader.read(buf)) > 0) {
            int start = 0;
            for (int i = 0; i < len; i++) {
                if (buf[i] == '\n') {
                    append(line, buf, start, i, cut);
                    offer(line, decoder, sink, parser);
                    line.setLength(0);
                    cut = false;
                    start = i + 1;
                }
            }
            append(line, buf, start, len, cut);
            cut = line.length() >= MAX_LINE_CHARS;
        }
        if (line.length() > 0) {
            offer(line, decoder, sink, parser);
        }
    }

    private static void append(StringBuilder line, char[] buf, int from, int to, boolean cut) {
        if (cut) {
            return;
        }
        int room = MAX_LINE_CHARS - line.length();
        line.append(buf, from, Math.min(to - from, room));
    }

    /** printk's clock stops in suspend, so boot time + stamp is approximate (marked not exact). */
    private LogLine withWall(LogLine l) {
        if (l.wallTime() != null || !l.hasMono()) {
            return l;
        }
        Instant wall = bootTime.plusNanos(l.monoMicros() * 1000);
        return new LogLine(l.text(), l.seq(), l.monoMicros(), wall, false, l.origin());
    }

    private static void offer(StringBuilder sb, LineDecoder decoder, Consumer<LogLine> sink, OomReportParser parser) {
        int end = sb.length();
        if (end > 0 && sb.charAt(end - 1) == '\r') {
            end--;
        }
        String raw = sb.substring(0, end);
        if (!parser.wantsEveryLine() && !OomLineFilter.mayMatter(raw)) {
            return;
        }
        decoder.decode(raw, sink);
    }
}
