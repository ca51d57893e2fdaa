package dev.oomguard.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fenced shell block of the documentation marked to be run by {@code DocsCommandsIT}: its
 * info string is {@code sh runnable}, optionally followed by {@code exit=N} (the status the block
 * is documented to end with; 0 otherwise). See docs/internals.md, "Commands in the documentation
 * are run by a test".
 *
 * @param file the page, as a path relative to the project (for messages)
 * @param line the 1-based line of the opening fence
 * @param script the block's text
 * @param expectedStatus the status the block must end with
 */
record RunnableBlock(String file, int line, String script, int expectedStatus) {
    private static final Pattern FENCE = Pattern.compile("^( *)(`{3,}|~{3,})\\s*(.*?)\\s*$");
    private static final Pattern RUNNABLE = Pattern.compile("sh\\s+runnable(?:\\s+exit=(\\d{1,3}))?");

    RunnableBlock {
        if (line < 1) {
            throw new IllegalArgumentException("line must be 1 or more: " + line);
        }
        if (expectedStatus < 0 || expectedStatus > 255) {
            throw new IllegalArgumentException("an exit status is 0..255: " + expectedStatus);
        }
    }

    /**
     * The runnable blocks of one Markdown text, in order. A fence closes only with a fence of the
     * same character at least as long (CommonMark), so a block quoted inside a longer fence (as
     * docs/internals.md does to show the marker) is text, not a block. A fence may be indented (in a
     * list item). A {@code sh} block whose
     * info string mentions {@code runnable} in any other form is refused, so a typo cannot turn a
     * block off silently.
     */
    static List<RunnableBlock> parse(String file, String markdown) {
        List<RunnableBlock> blocks = new ArrayList<>();
        String[] lines = markdown.split("\n", -1);
        String fence = null;
        String info = null;
        int indent = 0;
        int openedAt = 0;
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String text = lines[i];
            Matcher m = FENCE.matcher(text);
            if (fence == null) {
                if (m.matches()) {
                    indent = m.group(1).length();
                    fence = m.group(2);
                    info = m.group(3);
                    openedAt = i + 1;
                    body.setLength(0);
                }
            } else if (m.matches() && m.group(3).isEmpty() && m.group(2).charAt(0) == fence.charAt(0)
                    && m.group(2).length() >= fence.length()) {
                RunnableBlock block = of(file, openedAt, info, body.toString());
                if (block != null) {
                    blocks.add(block);
                }
                fence = null;
            } else {
                body.append(unindented(text, indent)).append('\n');
            }
        }
        if (fence != null) {
            throw new IllegalArgumentException(file + ":" + openedAt + ": a fence is never closed");
        }
        return blocks;
    }

    /** A fence indented in a list item has its body indented as much: that indentation is not the script's. */
    private static String unindented(String text, int indent) {
        int blanks = 0;
        while (blanks < indent && blanks < text.length() && text.charAt(blanks) == ' ') {
            blanks++;
        }
        return text.substring(blanks);
    }

    private static RunnableBlock of(String file, int line, String info, String body) {
        if (!info.contains("runnable")) {
            return null;
        }
        Matcher m = RUNNABLE.matcher(info);
        if (!m.matches()) {
            throw new IllegalArgumentException(file + ":" + line + ": a runnable block's info string is 'sh runnable' "
                    + "or 'sh runnable exit=N', not '" + info + "'");
        }
        int status = m.group(1) == null ? 0 : Integer.parseInt(m.group(1));
        return new RunnableBlock(file, line, body, status);
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}
