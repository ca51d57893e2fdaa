package dev.oomguard.explain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a time the way journalctl's {@code --since} does: {@code 2026-11-25 10:00:00},
 * {@code 2026-11-25}, {@code 10:00}, ISO-8601 ({@code 2026-11-25T10:00:00Z}), {@code @1764064800},
 * {@code now}, {@code today}, {@code yesterday}, {@code 10 min ago}, {@code -10min}.
 */
public final class SinceSpec {
    private static final Pattern AGO = Pattern.compile("^(?:-\\s*)?(\\d{1,9})\\s*([a-z]+)(?:\\s+ago)?$");

    private SinceSpec() {
    }

    /** @throws IllegalArgumentException naming the text and the accepted forms */
    public static Instant parse(String text, Clock clock, ZoneId zone) {
        String s = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        switch (s) {
            case "now": return now;
            case "today": return LocalDate.ofInstant(now, zone).atStartOfDay(zone).toInstant();
            case "yesterday": return LocalDate.ofInstant(now, zone).minusDays(1).atStartOfDay(zone).toInstant();
            default: break;
        }
        if (s.startsWith("@") && s.substring(1).matches("\\d{1,12}")) {
            return Instant.ofEpochSecond(Long.parseLong(s.substring(1)));
        }
        Matcher m = AGO.matcher(s);
        if (m.matches() && (s.endsWith("ago") || s.startsWith("-"))) {
            Duration unit = unit(m.group(2));
            if (unit != null) {
                return now.minus(unit.multipliedBy(Long.parseLong(m.group(1))));
            }
        }
        String t = text.strip();
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException e) {
            // not ISO with an offset; try the local forms
        }
        try {
            return LocalDateTime.parse(t.replace(' ', 'T')).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            // not a local date-time
        }
        try {
            return LocalDate.parse(t).atStartOfDay(zone).toInstant();
        } catch (DateTimeParseException e) {
            // not a date
        }
        try {
            return LocalDate.ofInstant(now, zone).atTime(LocalTime.parse(t)).atZone(zone).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a time: '" + text + "' (expected e.g. '2026-11-25 10:00:00', "
                    + "'2026-11-25T10:00:00Z', '10 min ago', 'today')");
        }
    }

    private static Duration unit(String u) {
        switch (u) {
            case "s": case "sec": case "secs": case "second": case "seconds": return Duration.ofSeconds(1);
            case "m": case "min": case "mins": case "minute": case "minutes": return Duration.ofMinutes(1);
            case "h": case "hr": case "hrs": case "hour": case "hours": return Duration.ofHours(1);
            case "d": case "day": case "days": return Duration.ofDays(1);
            case "w": case "week": case "weeks": return Duration.ofDays(7);
            default: return null;
        }
    }
}
