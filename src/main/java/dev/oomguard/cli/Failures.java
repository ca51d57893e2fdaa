package dev.oomguard.cli;

import java.io.PrintWriter;

/** How an exception out of a command becomes a line on stderr and the exit status, whoever parsed its options. */
final class Failures {
    private Failures() {
    }

    /**
     * An {@link ExitException}: its one line and status; anything else: an internal error (125),
     * with its stack trace when {@code --verbose} was given on the command line.
     */
    static int report(Exception e, PrintWriter err, boolean verboseGiven) {
        if (e instanceof ExitException exit) {
            err.println("oomguard: " + Printable.line(exit.getMessage()));
            err.flush();
            return exit.status();
        }
        err.println("oomguard: internal error: " + e);
        if (verboseGiven) {
            e.printStackTrace(err);
        }
        err.flush();
        return ExitException.OWN_ERROR;
    }
}
