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
            if (rest.isEmpty() || !Character.isDigit(rest.charAt(0))) {
                continue; // a text field (Name:, State:, Cpus_allowed:), not ours to judge
            }
            try {
                values.put(key, Long.parseLong(rest));
            } catch (NumberFormatException e) {
                if (rest.chars().allMatch(Character::isDigit)) {
                    throw new Malformed(source, line, "number out of range");
                }
                // "Cpus_allowed_list: 0-1", "SigQ: 0/95852": not a plain number, not ours
            }
        }
        return values;
    }

    static long require(Map<String, Long> values, String key, String source) {
        Long value = values.get(key);
        if (value == null) {
            throw new Malformed(source, null, "no '" + key + "' line");
        }
        return value;
    }
}
