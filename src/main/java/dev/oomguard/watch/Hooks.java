package dev.oomguard.watch;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Runs the user's hook commands ({@code --on-checkpoint}, {@code --notify}) with {@code sh -c},
 * the event's context in {@code OOMGUARD_*} variables and as one JSON object on stdin, on a
 * thread of their own and time-limited, so a slow hook never blocks the guard. The hooks run in
 * oomguard's own process group: they are not part of the job's tree.
 */
public final class Hooks {
    private final Duration timeLimit;
    private final Consumer<String> say;
    private final ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "oomguard-hooks");
        t.setDaemon(true);
        return t;
    });
    private ObjectMapper json; // made on first use: Jackson costs ~370 classes at start-up

    public Hooks(Duration timeLimit, Consumer<String> say) {
        this.timeLimit = timeLimit;
        this.say = say;
    }

    /** Starts {@code command} for {@code event}; returns at once. */
    public void run(String what, String command, Map<String, String> context) {
        run(what, command, context, timeLimit, status -> { });
    }

    /**
     * Starts {@code command} with a time limit of its own; {@code exited} gets its status (-1 when
     * it was killed at the limit or could not run). Returns at once.
     */
    public void run(String what, String command, Map<String, String> context, Duration limit, IntConsumer exited) {
        try {
            pool.submit(() -> exited.accept(runNow(what, command, context, limit))); // one thread: never concurrent
        } catch (java.util.concurrent.RejectedExecutionException e) {
            say.accept(what + " hook not run: the run is over");
            exited.accept(-1);
        }
    }

    /** Waits up to the time limit for hooks still running (at the end of the run). */
    public void drain() {
        pool.shutdown();
        try {
            pool.awaitTermination(timeLimit.toMillis() + 500, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int runNow(String what, String command, Map<String, String> context, Duration limit) {
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", command);
        pb.environment().putAll(context);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            Process p = pb.start();
            if (json == null) {
                json = new ObjectMapper();
            }
            try (OutputStream in = p.getOutputStream()) {
                in.write(json.writeValueAsString(context).getBytes(StandardCharsets.UTF_8));
                in.write('\n');
            } catch (IOException e) {
                // The hook does not read its input: fine.
            }
            if (!p.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                say.accept(what + " hook still running after " + limit.toSeconds() + " s: killed");
                return -1;
            } else if (p.exitValue() != 0) {
                say.accept(what + " hook exited with status " + p.exitValue());
            }
            return p.exitValue();
        } catch (IOException e) {
            say.accept("cannot run the " + what + " hook: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return -1;
    }
}
