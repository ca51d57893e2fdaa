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
