package dev.oomguard.proc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The "key value [unit]" format shared by meminfo, status, smaps_rollup, vmstat, memory.stat,
 * memory.events and memory.oom_control. Only lines whose value is a number are kept; a line
 * that looks numeric but is not is an error with the line.
 */
final class KeyedValues {
    private KeyedValues() {
    }

    /**
     * @param separator ':' for "Key:   123 kB", ' ' for "key 123"
     * @param unit the unit suffix allowed after the number ("kB"), or null
     */
    static Map<String, Long> parse(String text, String source, char separator, String unit) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int cut = line.indexOf(separator);
            if (cut <= 0) {
                throw new Malformed(source, line, "expected 'key" + separator + " value'");
            }
            String key = line.substring(0, cut).trim();
            String rest = line.substring(cut + 1).trim();
            if (unit != null && rest.endsWith(" " + unit)) {
                rest = rest.substring(0, rest.length() - unit.length()).trim();
            }
            if (rest.isEmpty() || !allDigits(rest)) {
                continue; // a text field (Name:, Uid:, Cpus_allowed_list: 0-1), not ours to judge
            }
            try {
                values.put(key, Long.parseLong(rest));
            } catch (NumberFormatException e) {
                throw new Malformed(source, line, "number out of range");
            }
        }
        return values;
    }

    /**
     * The value of one key, as {@link #parse} would give it, without parsing the other lines: the
     * files read every tick or every poll ({@code status}, {@code meminfo}) are scanned for the
     * few keys wanted, with no line split and no map. -1 when the key has no line or its value is
     * not a number (a text field); a number out of range is an error with the line.
     */
    static long find(String text, String key, String source, char separator, String unit) {
        int length = text.length();
        for (int from = 0; ; ) {
            int at = text.indexOf(key, from);
            if (at < 0) {
                return -1;
            }
            int cut = at + key.length();
            from = at + 1;
            if ((at > 0 && text.charAt(at - 1) != '\n') || cut >= length || text.charAt(cut) != separator) {
                continue; // inside another line, or a longer key ("SwapFree" in "SwapFreeX")
            }
            int eol = text.indexOf('\n', cut);
            int end = eol < 0 ? length : eol;
            int start = skipBlanks(text, cut + 1, end);
            int digits = start;
            while (digits < end && text.charAt(digits) >= '0' && text.charAt(digits) <= '9') {
                digits++;
            }
            int rest = skipBlanks(text, digits, end);
            if (unit != null && rest > digits && text.startsWith(unit, rest)) {
                rest = skipBlanks(text, rest + unit.length(), end);
            }
            if (digits == start || rest != end) {
                return -1; // a text field, not ours to judge
            }
            try {
                return Long.parseLong(text, start, digits, 10);
            } catch (NumberFormatException e) {
                throw new Malformed(source, text.substring(at, end), "number out of range");
            }
        }
    }

    private static int skipBlanks(String text, int from, int end) {
        while (from < end && text.charAt(from) <= ' ') {
            from++;
        }
        return from;
    }

    /** As {@link #find}, but a missing key is an error naming it. */
    static long findRequired(String text, String key, String source, char separator, String unit) {
        long value = find(text, key, source, separator, unit);
        if (value < 0) {
            throw new Malformed(source, null, "no '" + key + "' line");
        }
        return value;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    static long require(Map<String, Long> values, String key, String source) {
        Long value = values.get(key);
        if (value == null) {
            throw new Malformed(source, null, "no '" + key + "' line");
        }
        return value;
    }
}
