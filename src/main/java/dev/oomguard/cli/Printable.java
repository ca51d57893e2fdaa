package dev.oomguard.cli;

/**
 * A message made safe to print as one line on a terminal or in a log: process names, commands and
 * paths come from other users (a process may call itself {@code "x\noomguard: stopped"} or put an
 * ESC sequence in its name), so control characters are shown escaped instead of acted on. A
 * newline becomes {@code \n}, a tab {@code \t}, ESC {@code \e}, any other C0 or C1 control and DEL
 * {@code \xHH} (C1 as {@code \u0085}); everything else is kept.
 */
public final class Printable {
    private Printable() {
    }

    public static String line(String text) {
        if (text == null) {
            return "null";
        }
        int i = 0;
        while (i < text.length() && !isControl(text.charAt(i))) {
            i++;
        }
        if (i == text.length()) {
            return text; // the common case: nothing to escape, no copy
        }
        StringBuilder out = new StringBuilder(text.length() + 8).append(text, 0, i);
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!isControl(c)) {
                out.append(c);
            } else if (c == '\n') {
                out.append("\\n");
            } else if (c == '\t') {
                out.append("\\t");
            } else if (c == '\r') {
                out.append("\\r");
            } else if (c == 0x1b) {
                out.append("\\e");
            } else if (c < 0x80) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }

    private static boolean isControl(char c) {
        return c < 0x20 || (c >= 0x7f && c <= 0x9f);
    }
}
