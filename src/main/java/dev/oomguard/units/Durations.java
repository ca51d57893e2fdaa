package dev.oomguard.units;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads durations as people type them: {@code 500ms}, {@code 10s}, {@code 2m}, {@code 1h}, {@code 1.5s}, {@code 30}. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|min|h|d)?\\s*",
            Pattern.CASE_INSENSITIVE);

    private Durations() {
    }

    /**
     * A bare number is seconds.
     *
     * @throws IllegalArgumentException naming the text and the accepted forms
     */
    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a duration: '" + text + "' (expected e.g. 500ms, 10s, 2m, 1h)");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        double millis = switch (unit) {
            case "ms" -> value;
            case "s" -> value * 1000;
            case "m", "min" -> value * 60_000;
            case "h" -> value * 3_600_000;
            default -> value * 86_400_000;
        };
        return Duration.ofMillis(Math.round(millis));
    }

    /** Short form: {@code 250ms}, {@code 10s}, {@code 2m30s}, {@code 1h5m}. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long s = d.toSeconds();
        if (s < 60) {
            return ms % 1000 == 0 ? s + "s" : String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        if (s < 3600) {
            return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : ((s % 3600) / 60) + "m");
    }
}
