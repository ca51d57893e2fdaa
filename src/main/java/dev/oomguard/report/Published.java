package dev.oomguard.report;

import dev.oomguard.guard.Action;
import dev.oomguard.guard.Relay;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.guard.TickListener;
import dev.oomguard.sample.Sample;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/** Rewrites the Prometheus textfile every {@code period} while the job runs, then hands each event on. */
public final class Published extends Relay {
    private final Path file;
    private final String name;
    private final Duration period;
    private final RunSummary summary;
    private final long startNanos;
    private final double startedEpochSeconds;
    private final Consumer<String> say;
    private final List<String> steps = new ArrayList<>();
    private long lastWriteNanos = Long.MIN_VALUE;
    private boolean failed;

    public Published(TickListener next, Path file, String name, Duration period, RunSummary summary, long startNanos,
            double startedEpochSeconds, Consumer<String> say) {
        super(next);
        this.file = file;
        this.name = name;
        this.period = period;
        this.summary = summary;
        this.startNanos = startNanos;
        this.startedEpochSeconds = startedEpochSeconds;
        this.say = say;
    }

    @Override
    public void sampled(Sample sample) {
        super.sampled(sample);
        long now = System.nanoTime();
        if (!failed && (lastWriteNanos == Long.MIN_VALUE || now - lastWriteNanos >= period.toNanos())) {
            lastWriteNanos = now;
            write(true, null, false, null);
        }
    }

    @Override
    public void act(Action action) {
        synchronized (steps) {
            steps.add(action.step().name().toLowerCase(Locale.ROOT));
        }
        super.act(action);
    }

    /** The final metrics, at the end of the run. */
    public void finish(int exitStatus, boolean stoppedByOomguard, String verdict) {
        write(false, exitStatus, stoppedByOomguard, verdict);
    }

    private void write(boolean running, Integer exitStatus, boolean stopped, String verdict) {
        List<String> taken;
        synchronized (steps) {
            taken = List.copyOf(steps);
        }
        try {
            PromTextfile.write(file, new PromTextfile.Run(name, running, exitStatus,
                    (System.nanoTime() - startNanos) / 1e9, startedEpochSeconds, stopped, verdict, summary, taken));
        } catch (IOException e) {
            if (!failed) {
                failed = true;
                say.accept("--prom-textfile: " + e.getMessage());
            }
        }
    }
}
