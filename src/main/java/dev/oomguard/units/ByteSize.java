package dev.oomguard.units;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An amount of memory in bytes. Parses what people type ({@code 512M}, {@code 1.5GiB},
 * {@code 4096k}, {@code 2g}); suffixes are binary (K = 1024), as in {@code ulimit}, Slurm's
 * {@code --mem} and the kernel's "kB". {@link #toString()} gives a form {@link #parse} reads back.
 */
public record ByteSize(long bytes) implements Comparable<ByteSize> {
    private static final Pattern FORM =
            Pattern.compile("\\s*(\\d+(?:\\.\\d+)?)\\s*([kmgtpe]?)(i?b?)\\s*", Pattern.CASE_INSENSITIVE);
    private static final String UNITS = "KMGTPE";

    public ByteSize {
        if (bytes < 0) {
            throw new IllegalArgumentException("size is negative: " + bytes);
        }
    }

    public static ByteSize ofBytes(long bytes) {
        return new ByteSize(bytes);
    }

    public static ByteSize ofKiB(long kib) {
        return new ByteSize(Math.multiplyExact(kib, 1024L));
    }

    public static ByteSize ofMiB(long mib) {
        return new ByteSize(Math.multiplyExact(mib, 1024L * 1024));
    }

    public static ByteSize ofGiB(long gib) {
        return new ByteSize(Math.multiplyExact(gib, 1024L * 1024 * 1024));
    }

    /**
     * Reads {@code 123}, {@code 64k}, {@code 512M}, {@code 1.5G}, {@code 2GiB}, {@code 4gb}.
     *
     * @throws IllegalArgumentException with a message naming the bad text and the expected form
     */
    public static ByteSize parse(String text) {
        Matcher m = FORM.matcher(text == null ? "" : text);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (expected e.g. 512M, 1.5G, 4096K)");
        }
        String unit = m.group(2).toUpperCase(Locale.ROOT);
        int power = unit.isEmpty() ? 0 : UNITS.indexOf(unit.charAt(0)) + 1;
        BigDecimal bytes = new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(1024).pow(power));
        try {
            return new ByteSize(bytes.setScale(0, RoundingMode.HALF_UP).longValueExact());
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("size too large: '" + text + "'");
        }
    }

    public long kib() {
        return bytes / 1024;
    }

    public double gib() {
        return bytes / (1024.0 * 1024 * 1024);
    }

    public double mib() {
        return bytes / (1024.0 * 1024);
    }

    public ByteSize plus(ByteSize other) {
        return new ByteSize(Math.addExact(bytes, other.bytes));
    }

    /** The difference, never below zero. */
    public ByteSize minusClamped(ByteSize other) {
        return new ByteSize(Math.max(0, bytes - other.bytes));
    }

    @Override
    public int compareTo(ByteSize o) {
        return Long.compare(bytes, o.bytes);
    }

    /** Human form with one decimal where it helps: {@code 512 B}, {@code 8.2 GiB}. */
    public String human() {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1L << 50) {
            // Up to TiB in whole numbers: the same text as the double form below (values this small are
            // exact doubles, and none falls close enough to a rounding edge to round otherwise), with
            // no Formatter, BigDecimal or double; the host path's poller builds a limit description per read.
            int shift = 10;
            while (bytes >> shift >= 1024) {
                shift += 10;
            }
            long whole = bytes >> shift;
            long rest = bytes & ((1L << shift) - 1);
            char unit = UNITS.charAt(shift / 10 - 1);
            if (rest == 0) {
                return whole + " " + unit + "iB";
            }
            if (whole >= 100) {
                return (whole + (rest >= 1L << (shift - 1) ? 1 : 0)) + " " + unit + "iB";
            }
            long tenths = (bytes * 10 + (1L << (shift - 1))) >> shift;
            return tenths / 10 + "." + tenths % 10 + " " + unit + "iB";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length() - 1) {
            value /= 1024;
            unit++;
        }
        // As String.format's "%.0f" / "%.1f": half up, on the shortest decimal form of the double.
        String number = value >= 100 || value == Math.rint(value)
                ? Long.toString(Math.round(value))
                : new java.math.BigDecimal(Double.toString(value)).setScale(1, java.math.RoundingMode.HALF_UP).toPlainString();
        return number + " " + UNITS.charAt(unit) + "iB";
    }

    /** Exact form that {@link #parse} reads back: the largest unit that divides evenly. */
    @Override
    public String toString() {
        long value = bytes;
        int unit = -1;
        while (value != 0 && value % 1024 == 0 && unit < UNITS.length() - 1) {
            value /= 1024;
            unit++;
        }
        return unit < 0 ? Long.toString(value) : value + String.valueOf(UNITS.charAt(unit));
    }
}
