package dev.oomguard.cli;

import java.io.PrintWriter;

/**
 * oomguard's user-facing voice: short lines on stderr with an {@code oomguard:} prefix.
 * The job owns stdout; only answers a command was asked for ({@code explain}) go there.
 */
public final class Console {
    private static final String PREFIX = "oomguard: ";
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean verbose;

    public Console(PrintWriter out, PrintWriter err, boolean verbose) {
        this.out = out;
        this.err = err;
        this.verbose = verbose;
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    public boolean verbose() {
        return verbose;
    }

    /** One message line on stderr, control characters shown escaped (see {@link Printable}). */
    public void say(String message) {
        err.println(PREFIX + Printable.line(message));
        err.flush();
    }

    /** A message shown only with {@code --verbose}. */
    public void detail(String message) {
        if (verbose) {
            say(message);
        }
    }

    public Console withVerbose(boolean on) {
        return on == verbose ? this : new Console(out, err, on);
    }
}
