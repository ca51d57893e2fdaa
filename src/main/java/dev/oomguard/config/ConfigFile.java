package dev.oomguard.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses oomguard's configuration file format: {@code key = value} lines, {@code #} comment lines,
 * blank lines, and {@code [section]} headers naming a subcommand. Keys are option long names without
 * the dashes ({@code checkpoint-lead}, or {@code checkpoint_lead}). A blank followed by {@code #}
 * starts a comment at the end of a line; a value quoted whole with {@code "..."} or {@code '...'}
 * keeps what is inside as it is (blanks, {@code #}). Pure: the caller reads the file.
 */
public final class ConfigFile {
    private static final Pattern SECTION = Pattern.compile("\\[\\s*([A-Za-z][A-Za-z0-9_-]*)\\s*]");
    private static final Pattern KEY = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    private ConfigFile() {
    }

    /** One setting: its section (empty before any header), key with dashes, value, and 1-based line. */
    public record Entry(Optional<String> section, String key, String value, int line) {
    }

    /** A line that is not a setting, a comment or a section header. */
    public static final class SyntaxError extends IllegalArgumentException {
        private final int line;

        SyntaxError(int line, String message) {
            super(message);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }

    /** Parses the text; a section header must name one of {@code sections}. */
    public static List<Entry> parse(Collection<String> sections, String text) {
        List<Entry> entries = new ArrayList<>();
        Optional<String> section = Optional.empty();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                Matcher m = SECTION.matcher(line);
                if (!m.matches()) {
                    throw new SyntaxError(number, "not a section header: '" + line + "' (expected e.g. [run])");
                }
                if (!sections.contains(m.group(1))) {
                    throw new SyntaxError(number, "no subcommand [" + m.group(1) + "] (sections: "
                            + String.join(", ", sections.stream().map(n -> "[" + n + "]").toList()) + ")");
                }
                section = Optional.of(m.group(1));
                continue;
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new SyntaxError(number, "not a setting: '" + line + "' (expected 'name = value', e.g. 'warn = 70%')");
            }
            String key = line.substring(0, eq).strip();
            if (key.startsWith("-")) {
                throw new SyntaxError(number, "write the option's name without dashes: '"
                        + key.replaceFirst("^-+", "") + " = ...', not '" + key + " = ...'");
            }
            if (!KEY.matcher(key).matches()) {
                throw new SyntaxError(number, "not an option name: '" + key + "'");
            }
            String value = value(line.substring(eq + 1).strip(), number);
            if (value.isEmpty()) {
                throw new SyntaxError(number, key + " has no value (delete the line to use the default)");
            }
            Entry entry = new Entry(section, key.replace('_', '-'), value, number);
            for (Entry earlier : entries) {
                if (earlier.section().equals(entry.section()) && earlier.key().equals(entry.key())) {
                    throw new SyntaxError(number, entry.key() + " is set twice"
                            + entry.section().map(s -> " in [" + s + "]").orElse("") + ": on line " + earlier.line()
                            + " and here (keep one)");
                }
            }
            entries.add(entry);
        }
        return entries;
    }

    private static final Pattern TRAILING_COMMENT = Pattern.compile("\\s#");

    private static String value(String text, int number) {
        if (!text.isEmpty() && (text.charAt(0) == '"' || text.charAt(0) == '\'')) {
            int end = text.indexOf(text.charAt(0), 1);
            if (end < 0) {
                throw new SyntaxError(number, "a " + text.charAt(0) + " is not closed");
            }
            String rest = text.substring(end + 1).strip();
            if (!rest.isEmpty() && !rest.startsWith("#")) {
                throw new SyntaxError(number, "text after the closing " + text.charAt(0) + ": '" + rest
                        + "' (quote the whole value)");
            }
            return text.substring(1, end);
        }
        Matcher comment = TRAILING_COMMENT.matcher(text);
        return comment.find() ? text.substring(0, comment.start()).strip() : text;
    }
}
