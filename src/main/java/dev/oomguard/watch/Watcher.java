package dev.oomguard.watch;

import dev.oomguard.trigger.Crossing;
import dev.oomguard.trigger.Triggers;
import dev.oomguard.checkpoint.Checkpoints;
import dev.oomguard.guard.Action;
import dev.oomguard.guard.CheckpointLevel;
import dev.oomguard.guard.Ladder;
import dev.oomguard.guard.PartialKill;
import dev.oomguard.guard.RunSummary;
import dev.oomguard.guard.TickListener;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.Sample;
import dev.oomguard.sample.Sampler;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * The guard's loop, on a thread of its own: a full sample (the tree walk and every limit) every
 * {@code period} (closer together while the job is young or its memory moves fast: see
 * {@link dev.oomguard.sample.Cadence}), or at once when the {@link Triggers} ask for one, decided by the ladder and
 * handed on. Between full samples the triggers' thread brings level crossings (kernel thresholds,
 * fast reads): those are decided from the one fresh reading and the last full sample, without
 * waiting for a tree walk. Samples are taken outside the lock; decisions are made under it, so a
 * crossing never waits for a tree walk. Any failure ends the monitoring, never the job: the
 * listener is told once and oomguard goes on as a plain transparent prefix.
 */
public final class Watcher {
    private final Sampler sampler;
    private final Ladder ladder;
    private final RunSummary summary;
    private final Duration period;
    private final LongSupplier nanoClock;
    private final TickListener listener;
    private final BooleanSupplier checkpointInProgress;
    private final Optional<Triggers> triggers;
    private final int jobPid;
    private final AtomicReference<Sample> last = new AtomicReference<>();
    /** Dense samples while the job is young or moving fast (tick thread only). */
    private final dev.oomguard.sample.Cadence cadence;
    private final long startNanos;
    private long previousKiB = -1;
    private Duration lastWait;
    /** The last sample that found the job's tree: what a crossing is decided on. */
    private final AtomicReference<Sample> lastLive = new AtomicReference<>();
    private final BlockingQueue<String> wake = new ArrayBlockingQueue<>(1);
    /** Crossings are decided. */
    private volatile boolean running = true;
    /** Full samples are taken, decided and re-arm the triggers (stops before the triggers close). */
    private volatile boolean ticking = true;
    /** A tick's decisions (or its failure) are being handed on to the listener (guarded by this). */
    private boolean handing;
    /** Held while the sampler samples: the last sample at the end never overlaps a tick's. */
    private final Object sampling = new Object();
    private Thread thread;

    public Watcher(Sampler sampler, Ladder ladder, RunSummary summary, Duration period, LongSupplier nanoClock,
            TickListener listener) {
        this(sampler, ladder, summary, period, nanoClock, listener, () -> false, Optional.empty(), -1);
    }

    /**
     * @param checkpointInProgress asked before each decision (see {@link Checkpoints#inProgress()}):
     *                             a stop waits for a checkpoint in progress
     */
    public Watcher(Sampler sampler, Ladder ladder, RunSummary summary, Duration period, LongSupplier nanoClock,
            TickListener listener, BooleanSupplier checkpointInProgress) {
        this(sampler, ladder, summary, period, nanoClock, listener, checkpointInProgress, Optional.empty(), -1);
    }

    /**
     * @param checkpointInProgress asked before each decision: a stop waits for a checkpoint in progress
     * @param triggers             kernel notifications and fast reads between full samples, for the job {@code jobPid}
     */
    public Watcher(Sampler sampler, Ladder ladder, RunSummary summary, Duration period, LongSupplier nanoClock,
            TickListener listener, BooleanSupplier checkpointInProgress, Optional<Triggers> triggers, int jobPid) {
        this.checkpointInProgress = checkpointInProgress;
        this.sampler = sampler;
        this.ladder = ladder;
        this.summary = summary;
        this.period = period;
        this.nanoClock = nanoClock;
        this.listener = listener;
        this.triggers = triggers;
        this.jobPid = jobPid;
        this.cadence = dev.oomguard.sample.Cadence.standard(period);
        this.startNanos = nanoClock.getAsLong();
    }

    public void start() {
        triggers.ifPresent(t -> t.start(jobPid, new Triggers.Handler() {
            @Override
            public void crossed(Crossing crossing) {
                Watcher.this.crossed(crossing);
            }

            @Override
            public void sampleNow(String why) {
                wake.offer(why);
            }
        }));
        thread = new Thread(this::loop, "oomguard-watch");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Stops the ticks. Closes the triggers' descriptors first, while a crossing they still hand on
     * (a reflex's unclaimed request) is decided. Waits (a little) only for a tick that decided
     * before the stop and is handing its decisions on; a tick still sampling is not waited for:
     * from the stop on it records and decides nothing (the caller's {@link #finalSample} does).
     */
    public void stop() {
        synchronized (this) {
            ticking = false; // a tick in progress is done: none re-arms the triggers while they close
        }
        triggers.ifPresent(Triggers::close);
        running = false;
        if (thread != null) {
            thread.interrupt();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            synchronized (this) {
                long left;
                while (handing && (left = deadline - System.nanoTime()) > 0) {
                    try {
                        TimeUnit.NANOSECONDS.timedWait(this, left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
        }
    }

    /** One more measurement, taken by the caller after the job ended (for counters and peaks). */
    public Optional<Sample> finalSample() {
        try {
            Sample s;
            synchronized (sampling) {
                s = sampler.sample();
            }
            synchronized (this) {
                for (PartialKill k : record(s)) {
                    listener.partialKill(k, s); // reported, though the run is over by now
                }
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
        triggers.ifPresent(Triggers::yieldToTriggers);
        Sample first = last.get();
        if (first != null) {
            // Formatting is slow the first time: not during the first race.
            new dev.oomguard.guard.Figures(0, first.binding(), OptionalDouble.of(1), Optional.of(Duration.ZERO)).describe();
        }
        long next = nanoClock.getAsLong();
        while (ticking) {
            Duration wait;
            try {
                wait = tick();
            } catch (RuntimeException e) {
                synchronized (this) {
                    if (!ticking) {
                        return; // stopped meanwhile: a failure after the stop is nobody's news
                    }
                    ticking = false;
                    handing = true;
                }
                running = false;
                try {
                    triggers.ifPresent(Triggers::close);
                    listener.failed(e);
                } finally {
                    handed();
                }
                return;
            }
            next += wait.toNanos();
            long left = next - nanoClock.getAsLong();
            if (left < 0) {
                next = nanoClock.getAsLong();
                continue;
            }
            try {
                if (wake.poll(left, TimeUnit.NANOSECONDS) != null) {
                    next = nanoClock.getAsLong();
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * A full sample, decided; returns the time to the next one. The lock covers the ladder only:
     * the listener (messages, record, hooks) is called after it, so a crossing never waits for it.
     */
    private Duration tick() {
        triggers.ifPresent(Triggers::beforeSample);
        Sample s;
        synchronized (sampling) {
            s = sampler.sample();
        }
        List<PartialKill> partial;
        List<Action> actions = List.of();
        Duration next = period;
        synchronized (this) {
            if (!ticking) {
                return period; // stopped while sampling: the caller's final sample counts instead
            }
            partial = record(s);
            actions = ladder.decide(s, nanoClock.getAsLong(), checkpointInProgress.getAsBoolean());
            summary.recordActions(actions);
            if (triggers.isPresent() && !s.treeEmpty()) {
                next = triggers.get().rearm(s, ladder.nextLevels(s.binding()), ladder.checkpointLevel(s.binding()),
                        period);
            }
            handing = true; // a stop from now on waits until this tick's news is handed on
        }
        try {
            for (PartialKill k : partial) {
                listener.partialKill(k, s);
            }
            if (!s.treeEmpty()) {
                long nowKiB = s.totals().rssAndSwapKiB();
                lastWait = cadence.next(s.takenNanos() - startNanos, previousKiB, nowKiB, lastWait);
                previousKiB = nowKiB;
                if (lastWait.compareTo(next) < 0) {
                    next = lastWait;
                }
            }
            listener.sampled(s);
            for (Action a : actions) {
                listener.act(a);
            }
        } finally {
            handed();
        }
        return next;
    }

    private synchronized void handed() {
        handing = false;
        notifyAll();
    }

    /**
     * The fast path (trigger thread): decide from the fresh reading and the last full sample, act,
     * re-arm the triggers from this reading, then ask for a full sample. The growth since the
     * reading the triggers were armed from counts toward a stop only when that reading was already
     * past the stop level (see {@link Ladder#nextLevels}).
     */
    private void crossed(Crossing c) {
        List<Long> levels;
        Optional<CheckpointLevel> checkpoint;
        Limit moved;
        List<Action> actions;
        synchronized (this) {
            // The tree's last live figures: a reflex that fired as the job ended is decided (and
            // its request claimed) even when a tick saw the tree empty since.
            Sample base = lastLive.get();
            if (!running || base == null) {
                return;
            }
            moved = c.base().at(c.fileNow());
            double rate = c.bytesPerSecondSinceBase();
            boolean beyond = ladder.stopReached(c.base().binding());
            actions = ladder.decideCrossing(base, moved, beyond && rate > 0 ? OptionalDouble.of(rate) : OptionalDouble.empty(),
                    c.seen(), c.nowNanos());
            summary.recordActions(actions);
            levels = ladder.nextLevels(moved);
            checkpoint = ladder.checkpointLevel(moved);
        }
        for (Action a : actions) {
            listener.act(a);
        }
        triggers.ifPresent(t -> t.rearmFrom(c, moved, levels, checkpoint));
        wake.offer("a level was crossed");
    }

    private List<PartialKill> record(Sample s) {
        last.set(s);
        if (!s.treeEmpty()) {
            lastLive.set(s);
        }
        return summary.accept(s);
    }
}
