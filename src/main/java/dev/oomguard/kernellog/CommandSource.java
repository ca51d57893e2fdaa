package dev.oomguard.kernellog;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.SequenceInputStream;
import java.io.StringReader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An external program's output: {@code dmesg} or {@code journalctl -k -o json}, streamed (never
 * held whole: a journal can be gigabytes). The first output must come within the timeout, and the
 * program is killed when it then stalls for as long. A non-zero exit or a permission message
 * without output makes the source unavailable; so does a journal that shows no kernel message at
 * all (no journal files, or none this user may read): that is "cannot see", not "nothing found".
 */
public final class CommandSource implements KernelLogSource {
    private static final int STDERR_BYTES = 64 * 1024;

    private final String name;
    private final List<String> command;
    private final boolean thisBoot;
    /** For a source whose empty output means "cannot see": why, unless {@link #probe} shows entries. */
    private final boolean emptyIsBlind;
    /** A wider command run when the output is empty (journalctl without --since), or null. */
    private final List<String> probe;

    public CommandSource(String name, List<String> command, boolean thisBoot) {
        this(name, command, thisBoot, false, null);
    }

    CommandSource(String name, List<String> command, boolean thisBoot, boolean emptyIsBlind, List<String> probe) {
        this.name = name;
        this.command = List.copyOf(command);
        this.thisBoot = thisBoot;
        this.emptyIsBlind = emptyIsBlind;
        this.probe = probe == null ? null : List.copyOf(probe);
    }

    public static CommandSource dmesg() {
        return new CommandSource("dmesg", List.of("dmesg"), true);
    }

    /**
     * Not {@code -q}: its hints on stderr ("not seeing messages from other users and the system",
     * "No journal files were found") say why nothing was shown.
     *
     * @param since a journalctl time spec, or null for the whole journal
     */
    public static CommandSource journalctl(String since) {
        List<String> all = List.of("journalctl", "-k", "-o", "json", "--no-pager");
        if (since == null) {
            return new CommandSource("journalctl -k", all, false, true, null);
        }
        List<String> narrowed = List.of("journalctl", "-k", "-o", "json", "--no-pager", "--since", since);
        return new CommandSource("journalctl -k", narrowed, false, true,
                List.of("journalctl", "-k", "-o", "json", "--no-pager", "-n", "1"));
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean stampsFromThisBoot() {
        return thisBoot;
    }

    @Override
    public Reader open(Duration timeout) throws SourceUnavailableException {
        Process p = start(command);
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream(), STDERR_BYTES));
        InputStream out = p.getInputStream();
        byte[] first = new byte[1 << 16];
        int got;
        try {
            got = CompletableFuture.supplyAsync(() -> readSome(out, first)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            p.destroyForcibly();
            throw new SourceUnavailableException("timed out after " + timeout.toSeconds() + " s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new SourceUnavailableException("interrupted");
        } catch (ExecutionException e) {
            p.destroyForcibly();
            throw new SourceUnavailableException("failed: " + e.getCause());
        }
        if (got <= 0) {
            String stderr = finish(p, err, timeout);
            if (p.exitValue() != 0 || (!stderr.isEmpty() && !emptyIsBlind)) {
                throw new SourceUnavailableException(explain(stderr, p.exitValue()));
            }
            if (emptyIsBlind && !(probe != null && probeShowsEntries(timeout))) {
                throw new SourceUnavailableException(blind(stderr));
            }
            return new StringReader("");
        }
        InputStream body = new SequenceInputStream(new ByteArrayInputStream(first, 0, got), out);
        return new InputStreamReader(new Watched(body, p, timeout), StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
    }

    private static Process start(List<String> command) throws SourceUnavailableException {
        try {
            Process p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
            p.getOutputStream().close();
            return p;
        } catch (IOException e) {
            throw new SourceUnavailableException("not installed or not runnable (" + e.getMessage() + ")");
        }
    }

    /** Waits for the end (the output is done) and returns stderr. */
    private static String finish(Process p, CompletableFuture<byte[]> err, Duration timeout)
            throws SourceUnavailableException {
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new SourceUnavailableException("timed out after " + timeout.toSeconds() + " s");
            }
            return new String(err.get(timeout.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8).strip();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new SourceUnavailableException("interrupted");
        } catch (ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            throw new SourceUnavailableException("failed: " + e);
        }
    }

    /** Whether the wider command (no --since) shows any kernel entry: then "nothing since" is true. */
    private boolean probeShowsEntries(Duration timeout) {
        try {
            Process p = start(probe);
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream(), STDERR_BYTES));
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream(), 1 << 20));
            finish(p, err, timeout);
            return out.get(timeout.toMillis(), TimeUnit.MILLISECONDS).length > 0;
        } catch (SourceUnavailableException | ExecutionException | TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Why a journal that shows no kernel message at all cannot be taken as "no OOM kill". */
    static String blind(String stderr) {
        if (stderr.contains("not seeing messages")) {
            return "shows no kernel messages to this user (join the adm or systemd-journal group, or run as root)";
        }
        String said = stderr.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("--")).findFirst()
                .map(l -> " (" + l + ")").orElse("");
        return "shows no kernel messages at all" + said + ": no journal files are readable here "
                + "(journald keeps none, or only root and the adm/systemd-journal groups may read them)";
    }

    private static String explain(String stderr, int status) {
        String first = stderr.lines().findFirst().orElse("exit status " + status);
        if (stderr.contains("Operation not permitted") || stderr.contains("Permission denied")) {
            return "permission denied (" + first + "; kernel.dmesg_restrict=1 allows only root/CAP_SYSLOG)";
        }
        if (stderr.contains("not seeing messages")) {
            return "no access to the system journal (join the adm or systemd-journal group)";
        }
        return first;
    }

    private static int readSome(InputStream in, byte[] buf) {
        try {
            int n;
            do {
                n = in.read(buf);
            } while (n == 0);
            return n;
        } catch (IOException e) {
            return -1;
        }
    }

    private static byte[] drain(InputStream in, int max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() < max) {
                    out.write(buf, 0, Math.min(n, max - out.size()));
                }
            }
        } catch (IOException e) {
            // the process died or was killed on timeout: what was read is still useful
        }
        return out.toByteArray();
    }

    /**
     * The program's output as it is read; the program is killed when it stalls for a whole
     * timeout (a hung journal), and when the reader is closed before the end.
     */
    private static final class Watched extends FilterInputStream {
        private final Process process;
        private volatile long lastProgressNanos = System.nanoTime();
        private volatile boolean closed;

        Watched(InputStream in, Process process, Duration timeout) {
            super(in);
            this.process = process;
            long limit = timeout.toNanos();
            Thread watchdog = new Thread(() -> {
                while (!closed && process.isAlive()) {
                    if (System.nanoTime() - lastProgressNanos > limit) {
                        process.destroyForcibly();
                        return;
                    }
                    try {
                        Thread.sleep(Math.max(10, Math.min(1000, timeout.toMillis() / 4)));
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "oomguard-source-watchdog");
            watchdog.setDaemon(true);
            watchdog.start();
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            lastProgressNanos = System.nanoTime();
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            lastProgressNanos = System.nanoTime();
            return n;
        }

        @Override
        public void close() throws IOException {
            closed = true;
            try {
                super.close();
            } finally {
                if (process.isAlive()) {
                    process.destroyForcibly();
                }
            }
        }
    }
}
