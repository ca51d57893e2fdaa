package dev.oomguard.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.oomguard.explain.Explanation;
import dev.oomguard.explain.ExplanationJson;
import dev.oomguard.explain.ReportExplainer;
import dev.oomguard.files.OutputFile;
import dev.oomguard.guard.Action;
import dev.oomguard.guard.Checkpoint;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.proc.Signal;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.Sample;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The run record ({@code --record FILE.jsonl}, schema {@code oomguard.record/1}): one JSON object
 * per line, a header, the (downsampled) samples, every event, and the exit. The file is created or
 * truncated when opened: one file, one run, so that a reader never mixes two runs' ticks.
 *
 * <p>Each line goes to the kernel in one {@code write(2)} of the whole line and its newline, with
 * no buffer in the JVM, so once a line is written a SIGKILL of oomguard cannot lose it (it is in
 * the page cache; only a machine crash can, and lines are not fsynced one by one for that). A
 * SIGKILL that lands during that one write can still leave part of the last line (the kernel
 * checks for fatal signals between pages), which is why {@link RecordReader} drops a last line
 * that does not parse. {@link FileOutputStream}, not {@code FileChannel}: the watcher's thread
 * writes samples and is interrupted when the run ends, and an interrupt closes a FileChannel for
 * good.
 *
 * <p>After it opened it never throws into the run: the first I/O error is kept ({@link #problem()}),
 * writing stops (a line after a failed one could be glued to its remains), and the job goes on.
 * Thread-safe: samples come from the watcher's thread, events from the supervisor's and the
 * responder's.
 */
public final class RunRecord implements AutoCloseable {
    /** How samples are thinned, how many processes each names, and the clocks (injected for tests). */
    public record Options(Downsampling downsampling, int topProcesses, Clock wallClock, LongSupplier nanoClock) {
        public static Options standard() {
            return new Options(Downsampling.STANDARD, 5, Clock.systemUTC(), System::nanoTime);
        }
    }

    /** How long the end of a run waits for the host facts still being read. */
    public static final Duration HOST_WAIT = Duration.ofSeconds(2);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path path;
    private final FileOutputStream out;
    private final Options options;
    private final long startNanos;
    private final TreeChanges tree = new TreeChanges();
    private IOException problem;
    private boolean closed;
    private long written;
    private long lastKeptMillis = -1;
    private Sample pending;
    private long samplesWritten;
    private long ticksSeen;
    private List<String> limitKeys = List.of();
    private volatile Thread hostReader;
    private boolean exited;

    private RunRecord(Path path, FileOutputStream out, Options options) {
        this.path = path;
        this.out = out;
        this.options = options;
        this.startNanos = options.nanoClock().getAsLong();
    }

    /** Creates (or truncates: a regular file only, see {@link OutputFile#open}) {@code file} and writes the header; {@code t_ms} counts from now. */
    public static RunRecord open(Path file, RecordHeader header) throws IOException {
        return open(file, header, Options.standard());
    }

    /** @throws IOException naming the file, when it cannot be created or the header cannot be written */
    public static RunRecord open(Path file, RecordHeader header, Options options) throws IOException {
        FileOutputStream out;
        try {
            out = OutputFile.open(file, false);
        } catch (IOException e) {
            throw new IOException("cannot write the run record " + file + ": " + e.getMessage(), e);
        }
        return open(file, out, header, options);
    }

    /** The seam for tests: a stream that fails on demand. */
    static RunRecord open(Path file, FileOutputStream out, RecordHeader header, Options options) throws IOException {
        RunRecord r = new RunRecord(file, out, options);
        r.write(RecordJson.header(header, options.downsampling(), options.topProcesses()));
        if (r.problem != null) {
            r.close();
            throw r.problem;
        }
        return r;
    }

    /**
     * One tick. Written when the downsampling keeps it; otherwise held, and written after all if an
     * event follows or the run ends, so every event and the end have the figures just before them.
     */
    public synchronized void sample(Sample s) {
        long t = millisSinceStart(s.takenNanos());
        ticksSeen++;
        tree.accept(s.tree());
        List<String> keys = s.limits().stream().map(Limit::key).toList();
        if (!keys.equals(limitKeys)) {
            limitKeys = keys;
            ObjectNode n = RecordJson.event("limits", "limits measured: " + s.limits().size(), t,
                    wallAt(s.takenNanos()));
            n.set("limits", RecordJson.limits(s.limits()));
            write(n);
        }
        if (options.downsampling().keep(t, lastKeptMillis)) {
            writeSample(s, t);
        } else {
            pending = s;
        }
    }

    /** A step of the ladder (warn, checkpoint, warn_outside, terminate, kill, pause, resume). */
    public synchronized void action(Action a) {
        flushPending();
        write(RecordJson.action(a, now(), wall()));
    }

    public synchronized void partialKill(PartialKill k) {
        flushPending();
        write(RecordJson.partialKill(k, now(), wall()));
    }

    /** A checkpoint request ended: acknowledged, timed out, or unanswered when the job ended. */
    public synchronized void checkpoint(Checkpoint c) {
        eventNode(RecordJson.checkpoint(c, now(), wall()));
    }

    /** A signal oomguard received and passed on to the job's process group. */
    public synchronized void signalForwarded(int signal) {
        ObjectNode n = RecordJson.event("signal_forwarded", "forwarded " + Signal.describe(signal) + " to the job",
                now(), wall());
        n.put("signal", signal);
        n.put("signal_name", Signal.describe(signal));
        eventNode(n);
    }

    public synchronized void monitoringFailed(Exception e) {
        eventNode(RecordJson.event("monitoring_failed", String.valueOf(e), now(), wall()));
    }

    /** Why a process of the job died; {@code explanation} is the object of {@code explain --json}. */
    public synchronized void explanation(Explanation e) {
        ObjectNode n = RecordJson.event("explanation", e.summary(), now(), wall());
        n.set("explanation", new ExplanationJson(ReportExplainer.DEFAULT_PAGE_KIB).kill(e));
        eventNode(n);
    }

    /**
     * Any other event, e.g. {@code checkpoint_acknowledged}, {@code orphans}, {@code note}:
     * a kind in lower_snake_case and a sentence.
     */
    public synchronized void event(String kind, String message) {
        eventNode(RecordJson.event(kind, message, now(), wall()));
    }

    /**
     * Reads the host facts on a daemon thread (OSHI takes a few hundred milliseconds: not on the
     * job's start path) and writes them as the event {@code host} when known. {@link #exit} waits
     * for them at most {@link #HOST_WAIT}; later, they are left out of the record.
     */
    public void describeHost(Supplier<HostFacts> probe) {
        Thread reader = new Thread(() -> host(probe.get()), "oomguard-host-facts");
        reader.setDaemon(true);
        hostReader = reader;
        reader.start();
    }

    /** The machine the run was on: the event {@code host}, with its facts as the object {@code host}. */
    public synchronized void host(HostFacts facts) {
        if (exited) {
            return; // too late: the exit is the last line
        }
        eventNode(RecordJson.host(facts, now(), wall()));
    }

    /** The last line of a run (after the host facts, if they come soon); the record stays open until {@link #close()}. */
    public void exit(RunEnd end) {
        Thread reader = hostReader;
        if (reader != null) {
            try {
                reader.join(HOST_WAIT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            flushPending();
            write(RecordJson.exit(end, now(), wall(), samplesWritten, ticksSeen));
            exited = true;
        }
    }

    /** The first I/O error after opening; the record stopped there. */
    public synchronized Optional<IOException> problem() {
        return Optional.ofNullable(problem);
    }

    public Path path() {
        return path;
    }

    /** Writes a held sample, syncs (once, not per line) and closes; never throws. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        flushPending();
        closed = true;
        try {
            out.getFD().sync(); // once, not per line; a pipe or a terminal cannot sync, and need not
        } catch (IOException e) {
            // Not a write error: every line was handed to the kernel already.
        }
        try {
            out.close();
        } catch (IOException e) {
            remember(e);
        }
    }

    private void eventNode(ObjectNode n) {
        flushPending();
        write(n);
    }

    private void flushPending() {
        if (pending != null) {
            writeSample(pending, millisSinceStart(pending.takenNanos()));
        }
    }

    private void writeSample(Sample s, long t) {
        pending = null;
        lastKeptMillis = t;
        if (tree.changed()) {
            ObjectNode n = RecordJson.event("tree_changed", tree.describe(), t, wallAt(s.takenNanos()));
            tree.drainInto(n);
            write(n);
        }
        write(RecordJson.sample(s, t, wallAt(s.takenNanos()), options.topProcesses()));
        samplesWritten++;
    }

    private void write(ObjectNode node) {
        if (problem != null || closed) {
            return;
        }
        try {
            byte[] json = MAPPER.writeValueAsBytes(node); // escapes newlines inside strings: one line
            byte[] line = java.util.Arrays.copyOf(json, json.length + 1);
            line[json.length] = '\n';
            out.write(line); // one write(2) for the whole line (the JDK loops only on a short write)
            written += line.length;
        } catch (IOException | RuntimeException e) {
            remember(e);
            try {
                out.getChannel().truncate(written); // best effort: leave no half line behind
            } catch (IOException | RuntimeException ignored) {
                // The reader drops a broken last line anyway.
            }
        }
    }

    private void remember(Exception e) {
        if (problem == null) {
            problem = e instanceof IOException io && io.getMessage() != null && io.getMessage().contains(path.toString())
                    ? io : new IOException("cannot write the run record " + path + ": " + e.getMessage(), e);
        }
    }

    private long millisSinceStart(long nanos) {
        return Math.max(0, (nanos - startNanos) / 1_000_000);
    }

    private long now() {
        return millisSinceStart(options.nanoClock().getAsLong());
    }

    private String wall() {
        return Instant.now(options.wallClock()).toString();
    }

    /** The wall time at a sample's own clock reading: a held sample is written later than taken. */
    private String wallAt(long nanos) {
        long ago = Math.max(0, options.nanoClock().getAsLong() - nanos);
        return Instant.now(options.wallClock()).minusNanos(ago).toString();
    }
}
