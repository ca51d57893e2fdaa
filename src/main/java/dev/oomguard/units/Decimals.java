package dev.oomguard.units;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * A double written with a fixed number of decimals, as {@code String.format(Locale.ROOT, "%.Nf", x)}
 * writes it (half up, on the shortest decimal form of the double), without {@link java.util.Formatter}:
 * its first use in a JVM starts the locale machinery, ~13 ms at the end of a short run, when the
 * summary is all that is left to write.
 */
public final class Decimals {
    private Decimals() {
    }

    /** {@code x} with {@code places} decimals (0 to 9). */
    public static String fixed(double x, int places) {
        if (places < 0 || places > 9) {
            throw new IllegalArgumentException("places must be 0 to 9, not " + places);
        }
        if (Double.isNaN(x) || Double.isInfinite(x)) {
            return String.format(Locale.ROOT, "%." + places + "f", x); // "NaN", "Infinity": rare, in Formatter's words
        }
        String s = new BigDecimal(Double.toString(Math.abs(x))).setScale(places, RoundingMode.HALF_UP).toPlainString();
        boolean negative = x < 0 || (x == 0 && 1 / x < 0);
        return negative ? "-" + s : s;
    }
}
