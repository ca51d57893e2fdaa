package dev.oomguard.guard;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A percentage, 0–100 inclusive. {@code parse("92.5%")} and {@code toString()} round-trip. */
public record Percent(double value) implements Comparable<Percent> {
    private static final Pattern FORM = Pattern.compile("\\s*(\\d{1,3}(?:\\.\\d+)?)\\s*%\\s*");

    public Percent {
        if (!(value >= 0 && value <= 100)) {
            throw new IllegalArgumentException("percentage out of range 0-100%: " + value);
        }
    }

    public static Percent of(double value) {
        return new Percent(value);
    }

    /**
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static Percent parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a percentage: '" + text + "' (expected e.g. 90%)");
        }
        double v = Double.parseDouble(m.group(1));
        if (v > 100) {
            throw new IllegalArgumentException("percentage above 100%: '" + text + "'");
        }
        return new Percent(v);
    }

    @Override
    public int compareTo(Percent o) {
        return Double.compare(value, o.value);
    }

    /** {@code 90%}, {@code 92.5%}: the shortest decimal that reads back as the same value. */
    @Override
    public String toString() {
        return new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString() + "%";
    }

    String formatted() {
        return String.format(Locale.ROOT, "%.1f%%", value);
    }
}
