package dev.oomguard.checkpoint;

import dev.oomguard.guard.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * The checkpoint protocol's bookkeeping: a request goes out (flag file, signal, hook) and stays
 * "in progress" until the job acknowledges it, by removing the flag file or writing
 * {@code FILE.done} (or the {@code --on-checkpoint} hook exits 0), or until
 * {@code --checkpoint-timeout} passes. Polled once a tick: two {@code stat} calls while a request
 * is open, nothing otherwise. Answers are handed to the listeners on the polling thread, outside
 * any lock of this class.
 */
public final class Checkpoints {
    /** A request not yet answered, and which ways of answering it are open. */
    private record Open(Instant askedAt, long askedNanos, OptionalDouble usedPercent, String reason,
            boolean fileWritten, boolean hookStarted) {
    }

    private final Optional<Path> file;
    private final Duration timeout;
    private final Clock wallClock;
    private final LongSupplier nanoClock;
    private final List<Consumer<Checkpoint>> listeners = new CopyOnWriteArrayList<>();
    private final List<Checkpoint> answered = new ArrayList<>();
    private Open open;
    private volatile int hookStatus = Integer.MIN_VALUE; // the open request's hook, once it exited

    public Checkpoints(Optional<Path> file, Duration timeout, Clock wallClock, LongSupplier nanoClock) {
        this.file = file;
        this.timeout = timeout;
        this.wallClock = wallClock;
        this.nanoClock = nanoClock;
    }

    /** Told of each request's end: acknowledged, timed out, or unanswered when the job ended. */
    public void onAnswer(Consumer<Checkpoint> listener) {
        listeners.add(listener);
    }

    public Optional<Path> file() {
        return file;
    }

    /** {@code FILE.done}: the job writes it when its checkpoint is complete. */
    public Optional<Path> doneFile() {
        return file.map(f -> f.resolveSibling(f.getFileName() + ".done"));
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * Clears the last request's {@code .done}, so that it cannot acknowledge the next one; call
     * just before writing the flag file.
     */
    public void prepare() {
        doneFile().ifPresent(Checkpoints::deleteQuietly);
    }

    /**
     * A request went out. While one is open, a new one joins it (the job is already at work): its
     * time and figures stay those of the first.
     */
    public synchronized void asked(String reason, OptionalDouble usedPercent, boolean fileWritten, boolean hookStarted) {
        if (open != null) {
            return;
        }
        hookStatus = Integer.MIN_VALUE;
        open = new Open(Instant.now(wallClock), nanoClock.getAsLong(), usedPercent, reason, fileWritten, hookStarted);
    }

    /** The {@code --on-checkpoint} hook ended with this status (-1: killed at its time limit, or not run). */
    public void hookExited(int status) {
        hookStatus = status;
    }

    /** Whether a request is open and within its time limit; answers it first if the job has. */
    public boolean inProgress() {
        poll();
        synchronized (this) {
            return open != null;
        }
    }

    /** Looks for the job's answer to the open request (or its timeout) and tells the listeners. */
    public void poll() {
        Optional<Checkpoint> done;
        synchronized (this) {
            done = answer(false);
        }
        done.ifPresent(this::tell);
    }

    /** The job ended: a last look for its answer; a request still open stays unanswered. Returns them all. */
    public List<Checkpoint> finish() {
        Optional<Checkpoint> done;
        synchronized (this) {
            done = answer(true);
        }
        done.ifPresent(this::tell);
        synchronized (this) {
            return List.copyOf(answered);
        }
    }

    public synchronized List<Checkpoint> answered() {
        return List.copyOf(answered);
    }

    private Optional<Checkpoint> answer(boolean jobEnded) {
        if (open == null) {
            return Optional.empty();
        }
        Duration after = Duration.ofNanos(nanoClock.getAsLong() - open.askedNanos());
        Optional<String> how = acknowledgement();
        Checkpoint c;
        if (how.isPresent()) {
            c = end(Checkpoint.Answer.ACKNOWLEDGED, Optional.of(after), how.get());
            doneFile().ifPresent(Checkpoints::deleteQuietly); // the next request starts clean
        } else if (after.compareTo(timeout) >= 0) {
            c = end(Checkpoint.Answer.TIMED_OUT, Optional.of(timeout),
                    "not within the " + dev.oomguard.units.Durations.format(timeout) + " --checkpoint-timeout");
        } else if (jobEnded) {
            c = end(Checkpoint.Answer.UNANSWERED, Optional.empty(), "the job ended first");
        } else {
            return Optional.empty();
        }
        return Optional.of(c);
    }

    private Checkpoint end(Checkpoint.Answer answer, Optional<Duration> after, String how) {
        Checkpoint c = new Checkpoint(open.askedAt(), open.usedPercent(), open.reason(), answer, after, how);
        answered.add(c);
        open = null;
        return c;
    }

    /** How the job answered, if it has: the cheapest check first. */
    private Optional<String> acknowledgement() {
        if (doneFile().map(Files::exists).orElse(false)) {
            file.ifPresent(Checkpoints::deleteQuietly); // a job that answers with .done may leave the request
            return Optional.of("the job wrote " + doneFile().get().getFileName());
        }
        if (open.fileWritten() && file.isPresent() && !Files.exists(file.get())) {
            return Optional.of("the job removed the flag file");
        }
        if (open.hookStarted() && hookStatus == 0) {
            return Optional.of("the --on-checkpoint hook exited 0");
        }
        return Optional.empty();
    }

    private void tell(Checkpoint c) {
        for (Consumer<Checkpoint> l : listeners) {
            l.accept(c);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // The job's to clean up then; the next request clears .done again.
        }
    }
}
