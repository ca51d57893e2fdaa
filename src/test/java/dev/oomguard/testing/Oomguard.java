package dev.oomguard.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the real launcher ({@code scripts/oomguard}) as a user would, for integration tests of any
 * package: the launcher comes from the system property {@code oomguard.launcher} (set by the
 * failsafe plugin), else {@code scripts/oomguard}. Test-only: this package has no main code.
 */
public final class Oomguard {
    /** What a run produced. */
    public record Result(int status, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    public static Path launcher() {
        String configured = System.getProperty("oomguard.launcher");
        Path p = configured != null ? Path.of(configured) : Path.of("scripts/oomguard").toAbsolutePath();
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException("launcher not found at " + p + " (run 'mvn verify')");
        }
        return p;
    }

    private final List<String> prefix = new ArrayList<>();
    private Map<String, String> environment;
    private byte[] stdin = new byte[0];
    private long timeoutSeconds = 60;

    public static Oomguard create() {
        return new Oomguard();
    }

    /** Runs the launcher through this command first (e.g. {@code unshare}, {@code setpriv}). */
    public Oomguard via(String... command) {
        prefix.addAll(List.of(command));
        return this;
    }

    /** Exactly this environment (the default is the test JVM's). */
    public Oomguard environment(Map<String, String> env) {
        this.environment = new HashMap<>(env);
        return this;
    }

    public Oomguard stdin(byte[] data) {
        this.stdin = data;
        return this;
    }

    public Oomguard timeoutSeconds(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    public Process start(String... args) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(launcher().toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (environment != null) {
            pb.environment().clear();
            pb.environment().putAll(environment);
        }
        try {
            return pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Result run(String... args) {
        Process p = start(args);
        return finish(p);
    }

    public Result run(List<String> args) {
        return run(args.toArray(String[]::new));
    }

    public Result finish(Process p) {
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        CompletableFuture<Void> in = CompletableFuture.runAsync(() -> {
            try (OutputStream os = p.getOutputStream()) {
                os.write(stdin);
            } catch (IOException e) {
                // The job may not read its input: a broken pipe here is fine.
            }
        });
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError("oomguard did not end within " + timeoutSeconds + " s");
            }
            in.join();
            return new Result(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            in.transferTo(buf);
            return buf.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
