package dev.oomguard.cli;

/**
 * The one exception type for expected failures: it carries the exit status and a one-line,
 * user-facing message that says what is wrong and what to do. Mapped once, in {@link Main}.
 */
public final class ExitException extends RuntimeException {
    /** oomguard's own error, bad options included (timeout(1) and env(1) use 125 too). */
    public static final int OWN_ERROR = 125;
    /** The command was found but could not be executed. */
    public static final int NOT_EXECUTABLE = 126;
    /** The command was not found. */
    public static final int NOT_FOUND = 127;

    private final int status;

    public ExitException(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    public static ExitException invalidInput(String message) {
        return new ExitException(OWN_ERROR, message);
    }

    public int status() {
        return status;
    }
}
