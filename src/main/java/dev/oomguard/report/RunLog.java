package dev.oomguard.report;

import dev.oomguard.files.OutputFile;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Consumer;

/**
 * {@code --log FILE}: oomguard's messages and the summary of every run, appended to FILE as
 * timestamped lines ({@code 2026-11-26T03:00:01.123+01:00 oomguard[4242]: message}). The file
 * is opened with {@code O_APPEND} (and never through a symbolic link: see {@link OutputFile#open}) and each message (one line, or a few for a message that has
 * several) goes to the kernel in one {@code write(2)}, so runs that share a log (a cron line and
 * a manual run) interleave whole lines. After it opened it never throws: the first failed
 * write (a full disk) is told once, and the log stops there; the job runs on.
 */
public final class RunLog implements Consumer<String> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final Path path;
    private final FileOutputStream out;
    private final int pid;
    private final Clock clock;
    private final Consumer<String> onFailure;
    private boolean failed;

    private RunLog(Path path, FileOutputStream out, int pid, Clock clock, Consumer<String> onFailure) {
        this.path = path;
        this.out = out;
        this.pid = pid;
        this.clock = clock;
        this.onFailure = onFailure;
    }

    /**
     * Opens FILE for appending (created if missing).
     *
     * @param onFailure told once, with a one-line message, if a later write fails
     * @throws IOException with a one-line message when FILE cannot be opened
     */
    public static RunLog open(Path path, int pid, Clock clock, Consumer<String> onFailure) throws IOException {
        FileOutputStream out;
        try {
            out = OutputFile.open(path, true);
        } catch (IOException e) {
            throw new IOException("--log: cannot open " + path + " for appending: " + e.getMessage(), e);
        }
        return open(path, out, pid, clock, onFailure);
    }

    /** The seam for tests: a stream that fails on demand. */
    static RunLog open(Path path, FileOutputStream out, int pid, Clock clock, Consumer<String> onFailure) {
        return new RunLog(path, out, pid, clock, onFailure);
    }

    /** Appends one message (split into timestamped lines if it has several). */
    @Override
    public void accept(String message) {
        append(ZonedDateTime.now(clock), message);
    }

    /** Appends one message stamped {@code when} (the time of a logging event). */
    public void append(ZonedDateTime when, String message) {
        byte[] bytes = format(when, pid, message).getBytes(StandardCharsets.UTF_8);
        synchronized (this) {
            if (failed) {
                return;
            }
            try {
                out.write(bytes); // one write(2); the JDK loops only on a short write
            } catch (IOException e) {
                failed = true;
                onFailure.accept("--log: cannot write " + path + " (" + e.getMessage() + "); the log stops here");
            }
        }
    }

    /** The text appended for one message: each of its lines stamped, each ending in a newline. */
    public static String format(ZonedDateTime when, int pid, String message) {
        String prefix = STAMP.format(when) + " oomguard[" + pid + "]: ";
        StringBuilder sb = new StringBuilder();
        for (String line : message.split("\r?\n", -1)) {
            sb.append(prefix).append(line).append('\n');
        }
        return sb.toString();
    }

    public Path path() {
        return path;
    }
}
