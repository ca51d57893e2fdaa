package dev.oomguard.watch;

import dev.oomguard.guard.Action;
import dev.oomguard.guard.Ladder;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The guard's tick loop, on a thread of its own: measure, decide, hand the decisions on. Any
 * failure ends the monitoring, never the job: the listener is told once and oomguard goes on as a
 * plain transparent prefix.
 */
public final class Watcher {
    /** Where decisions and findings go (the supervisor's side). */
    public interface Listener {
        void sampled(Sample sample);

        void act(Action action);

        void partialKill(PartialKill kill, Sample sample);

        void failed(Exception e);
    }

    private final Sampler sampler;
    private final Ladder ladder;
    private final RunSummary summary;
    private final Duration period;
    private final LongSupplier nanoClock;
    private final Listener listener;
    private final BooleanSupplier checkpointInProgress;
    private final AtomicReference<Sample> last = new AtomicReference<>();
    private volatile boolean running = true;
    private Thread thread;

    public Watcher(Sampler sampler, Ladder ladder, RunSummary summary, Duration period, LongSupplier nanoClock,
            Listener listener) {
        this(sampler, ladder, summary, period, nanoClock, listener, () -> false);
    }

    /**
     * @param checkpointInProgress asked before each decision (see {@link Checkpoints#inProgress()}):
     *                             a stop waits for a checkpoint in progress
     */
    public Watcher(Sampler sampler, Ladder ladder, RunSummary summary, Duration period, LongSupplier nanoClock,
            Listener listener, BooleanSupplier checkpointInProgress) {
        this.checkpointInProgress = checkpointInProgress;
        this.sampler = sampler;
        this.ladder = ladder;
        this.summary = summary;
        this.period = period;
        this.nanoClock = nanoClock;
        this.listener = listener;
    }

    public void start() {
        thread = new Thread(this::loop, "oomguard-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops after the current tick; waits a little for it. */
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** One more measurement, taken by the caller after the job ended (for counters and peaks). */
    public synchronized Optional<Sample> finalSample() {
        try {
            Sample s = sampler.sample();
            for (PartialKill k : record(s)) {
                listener.partialKill(k, s); // reported, though the run is over by now
            }
            return Optional.of(s);
        } catch (RuntimeException e) {
            return Optional.ofNullable(last.get());
        }
    }

    public Optional<Sample> lastSample() {
        return Optional.ofNullable(last.get());
    }

    private void loop() {
        long next = nanoClock.getAsLong();
        while (running) {
            try {
                tick();
            } catch (RuntimeException e) {
                running = false;
                listener.failed(e);
                return;
            }
            next += period.toNanos();
            long wait = next - nanoClock.getAsLong();
            if (wait < 0) {
                next = nanoClock.getAsLong();
                continue;
            }
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private synchronized void tick() {
        Sample s = sampler.sample();
        List<PartialKill> partial = record(s);
        for (PartialKill k : partial) {
            listener.partialKill(k, s);
        }
        if (!running) {
            return;
        }
        List<Action> actions = ladder.decide(s, nanoClock.getAsLong(), checkpointInProgress.getAsBoolean());
        summary.recordActions(actions);
        listener.sampled(s);
        for (Action a : actions) {
            listener.act(a);
        }
    }

    private List<PartialKill> record(Sample s) {
        last.set(s);
        return summary.accept(s);
    }
}
