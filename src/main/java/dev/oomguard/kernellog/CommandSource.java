package dev.oomguard.kernellog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * An external program's output: {@code dmesg} or {@code journalctl -k -o json}. Always with a
 * timeout; a non-zero exit or a permission message on stderr makes the source unavailable.
 */
public final class CommandSource implements KernelLogSource {
    /** Output beyond this is cut (the newest lines are at the end, so this only guards memory). */
    private static final int MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

    private final String name;
    private final List<String> command;
    private final boolean thisBoot;

    public CommandSource(String name, List<String> command, boolean thisBoot) {
        this.name = name;
        this.command = List.copyOf(command);
        this.thisBoot = thisBoot;
    }

    public static CommandSource dmesg() {
        return new CommandSource("dmesg", List.of("dmesg"), true);
    }

    /** @param since a journalctl time spec, or null for the whole journal */
    public static CommandSource journalctl(String since) {
        return since == null
                ? new CommandSource("journalctl -k", List.of("journalctl", "-k", "-o", "json", "--no-pager", "-q"), false)
                : new CommandSource("journalctl -k", List.of("journalctl", "-k", "-o", "json", "--no-pager", "-q",
                        "--since", since), false);
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
        Process p;
        try {
            p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new SourceUnavailableException("not installed or not runnable (" + e.getMessage() + ")");
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> drain(p.getInputStream(), MAX_OUTPUT_BYTES));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> drain(p.getErrorStream(), 64 * 1024));
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new SourceUnavailableException("timed out after " + timeout.toSeconds() + " s");
            }
            String stderr = new String(err.get(timeout.toMillis(), TimeUnit.MILLISECONDS), StandardCharsets.UTF_8).strip();
            byte[] stdout = out.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (p.exitValue() != 0) {
                throw new SourceUnavailableException(explain(stderr, p.exitValue()));
            }
            if (stdout.length == 0 && !stderr.isEmpty()) {
                throw new SourceUnavailableException(explain(stderr, 0));
            }
            return new StringReader(new String(stdout, StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new SourceUnavailableException("interrupted");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
            p.destroyForcibly();
            throw new SourceUnavailableException("failed: " + e);
        }
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

    private static byte[] drain(InputStream in, int max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
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
}
