package dev.oomguard.report;

import java.util.Locale;

/** Escaping and number formatting for hand-built HTML/SVG: every text from a record goes through {@link #esc}. */
final class Svg {
    private Svg() {
    }

    /** Escapes text and attribute values alike (quotes included), so a command named {@code <script>} stays text. */
    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c < 0x20 && c != '\n' && c != '\t' ? ' ' : c);
            }
        }
        return b.toString();
    }

    /** A coordinate with one decimal: enough for a 1000-unit viewBox, and keeps a long run's file small. */
    static String n(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "0";
        }
        long tenths = Math.round(v * 10);
        return tenths % 10 == 0 ? Long.toString(tenths / 10) : String.format(Locale.ROOT, "%.1f", tenths / 10.0);
    }

    /** Bytes for a reader: "512 MiB", "1.5 GiB". */
    static String bytes(double b) {
        double gib = 1024.0 * 1024 * 1024;
        if (Math.abs(b) >= gib) {
            return trim(b / gib) + " GiB";
        }
        if (Math.abs(b) >= 1024 * 1024) {
            return trim(b / (1024 * 1024)) + " MiB";
        }
        return trim(b / 1024) + " KiB";
    }

    /** A duration for a reader: "850 ms", "12.3 s", "4 min 5 s", "3 h 2 min", "2 d 4 h". */
    static String duration(long ms) {
        if (ms < 1000) {
            return ms + " ms";
        }
        long s = ms / 1000;
        if (s < 60) {
            return trim(ms / 1000.0) + " s";
        }
        if (s < 3600) {
            return s / 60 + " min " + s % 60 + " s";
        }
        if (s < 86400) {
            return s / 3600 + " h " + s % 3600 / 60 + " min";
        }
        return s / 86400 + " d " + s % 86400 / 3600 + " h";
    }

    static String trim(double v) {
        String s = String.format(Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }
}
