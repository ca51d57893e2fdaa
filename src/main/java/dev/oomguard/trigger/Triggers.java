package dev.oomguard.trigger;

import dev.oomguard.checkpoint.Reflex;
import dev.oomguard.guard.CheckpointLevel;
import dev.oomguard.guard.PollPeriod;
import dev.oomguard.guard.TriggerLevels;
import dev.oomguard.proc.CgroupMount;
import dev.oomguard.proc.KernelEvents;
import dev.oomguard.proc.ProcFs;
import dev.oomguard.sample.Limit;
import dev.oomguard.sample.Sample;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * What wakes the guard between full samples, on a thread of its own that owns every descriptor:
 * cgroup v1 usage thresholds ({@code cgroup.event_control} + eventfd) at the levels of the
 * ladder's next steps, re-armed after each full sample; the v1 {@code memory.oom_control}
 * notification and v2 {@code memory.events} (inotify), which arrive just after a kill; and, where
 * the kernel offers no threshold (the host's MemAvailable, cgroup v2, thresholds refused), adaptive
 * polling of one cheap aggregate, closing in on the next level. A level crossed goes to the
 * {@link Handler} at once, with the reading; everything else asks for a full sample now.
 */
public final class Triggers implements AutoCloseable {
    /** The watch loop's side. Called on the trigger thread. */
    public interface Handler {
        /** The use may have crossed a level: {@code crossing} has the fresh reading. */
        void crossed(Crossing crossing);

        /** Something a full sample should look at now (an OOM kill, a cgroup event). */
        void sampleNow(String why);
    }

    private final KernelEvents kernel;
    private final Consumer<String> detail;
    private final LongSupplier clock;
    private final Optional<String> ownGroupDir;
    private final List<CgroupMount> mounts;
    private final Optional<Reflex> reflex;
    private final Gauges gauges;
    private Handler handler;
    private volatile TriggerPlan pending;
    private volatile boolean running;
    private Thread thread;
    private volatile TriggerPlan.Reading preSample;
    // Owned by the trigger thread.
    private volatile TriggerPlan current;
    private int wakeFd = -1;
    private final Thresholds thresholds;
    private final KillWatch kills;
    private final Polling polling;
    private final Arming arming;
    private final Wakeups wakeups;

    /**
     * @param kernel      empty where libc cannot be loaded: then only polling is left
     * @param ownGroupDir the v1 memory cgroup made for the job (--memory-max), if any: its usage
     *                    follows the job's growth whatever limit binds
     * @param reflex      started already: armed at the checkpoint level wherever thresholds protect
     *                    the job, so the request goes out on the kernel's wake-up alone
     */
    public Triggers(ProcFs fs, Optional<KernelEvents> kernel, Consumer<String> say, Consumer<String> detail,
            LongSupplier clock, Optional<String> ownGroupDir, Duration maxPoll, Optional<Reflex> reflex) {
        this.reflex = reflex;
        this.kernel = kernel.orElse(null);
        this.detail = detail;
        this.clock = clock;
        this.ownGroupDir = ownGroupDir;
        this.gauges = new Gauges(fs, clock);
        this.thresholds = new Thresholds(fs, this.kernel);
        this.kills = new KillWatch(fs, this.kernel, detail);
        this.polling = new Polling(PollPeriod.standard(maxPoll.compareTo(Duration.ofMillis(500)) > 0
                ? Duration.ofMillis(500) : maxPoll), clock);
        this.arming = new Arming(fs, say, detail, clock, reflex, gauges, thresholds, polling);
        this.wakeups = new Wakeups(gauges, polling, arming, clock);
        List<CgroupMount> m;
        try {
            m = CgroupMount.read(fs);
        } catch (RuntimeException e) {
            m = List.of();
        }
        this.mounts = m;
        if (this.kernel != null) {
            Thresholds.warm(this.kernel);
        }
    }

    /** Starts the trigger thread for the job {@code jobPid}; notifications of kills are set up here. */
    public void start(int jobPid, Handler h) {
        this.handler = h;
        if (kernel != null) {
            try {
                wakeFd = kernel.eventfd();
            } catch (KernelEvents.Failure e) {
                detail.accept("no eventfd (" + e.getMessage() + "): the guard polls");
            }
        }
        if (wakeFd >= 0) {
            kills.start(jobPid, mounts);
        }
        running = true;
        thread = new Thread(this::loop, "oomguard-trigger");
        thread.setDaemon(true);
        thread.start();
    }

    /** Called on the watch thread: full samples yield the CPU to the trigger thread. */
    public void yieldToTriggers() {
        if (kernel != null) {
            kernel.niceCallingThread(10);
        }
    }

    /**
     * Just before each full sample (on the watch thread): a reading of the current gauge, paired
     * with the sample afterwards. The sample reads its cgroup figures after the tree walk, so a
     * growing job has grown meanwhile: this earlier reading errs on the side of levels firing early.
     */
    public void beforeSample() {
        TriggerPlan p = current;
        if (p != null && p.gauge() != null) {
            long at = clock.getAsLong();
            OptionalLong r = gauges.read(p.gauge());
            preSample = r.isPresent() ? new TriggerPlan.Reading(p.gauge().describe(), r.getAsLong(), at) : null;
        }
    }

    /**
     * After each full sample (on the watch thread): the levels at which the ladder's next steps
     * fire, in bytes used on the binding limit. Returns the time to the next full sample.
     */
    public Duration rearm(Sample sample, List<Long> usedLevels, Duration interval) {
        return rearm(sample, usedLevels, Optional.empty(), interval);
    }

    /** As {@link #rearm(Sample, List, Duration)}, with the checkpoint level for the reflex. */
    public Duration rearm(Sample sample, List<Long> usedLevels, Optional<CheckpointLevel> checkpoint, Duration interval) {
        TriggerPlan p = gauges.plan(sample, ownGroupDir, Optional.ofNullable(preSample), usedLevels, checkpoint);
        pending = p;
        if (kernel != null && wakeFd >= 0) {
            kernel.signal(wakeFd);
        }
        return p.route() != Route.NONE ? interval
                : TriggerPlan.fullSampleWait(usedLevels, sample.binding().used().bytes(), interval);
    }

    /**
     * After a crossing (on the trigger thread, from the handler): the next levels, armed from the
     * crossing's reading, so the growth to the next crossing is measured from here.
     */
    public void rearmFrom(Crossing c, Limit moved, List<Long> usedLevels, Optional<CheckpointLevel> checkpoint) {
        TriggerPlan p = current;
        if (p == null || p.gauge() == null || !p.gauge().equals(c.gauge())) {
            return;
        }
        pending = p.from(new TriggerLevels.Base(moved, c.fileNow()), c.nowNanos(), usedLevels, checkpoint);
        if (kernel != null && wakeFd >= 0) {
            kernel.signal(wakeFd);
        }
    }

    private void loop() {
        int[] fds = new int[5];
        boolean[] ready = new boolean[5];
        while (running) {
            TriggerPlan p = pending;
            if (p != null && p != current) {
                apply(p);
            }
            long now = clock.getAsLong();
            int timeout = current != null && current.route() == Route.POLL ? polling.timeoutMillis(now) : -1;
            if (wakeFd < 0) {
                // No descriptors at all: plain sleeps.
                sleepMillis(timeout < 0 ? polling.period().max().toMillis() : timeout);
                wakeups.pollIfDue(current, handler);
                continue;
            }
            int n = 0;
            int iWake = n;
            fds[n++] = wakeFd;
            int iThreshold = thresholds.fd() >= 0 ? n : -1;
            if (iThreshold >= 0) {
                fds[n++] = thresholds.fd();
            }
            int iOom = kills.oomFd() >= 0 ? n : -1;
            if (iOom >= 0) {
                fds[n++] = kills.oomFd();
            }
            int iInotify = kills.inotifyFd() >= 0 ? n : -1;
            if (iInotify >= 0) {
                fds[n++] = kills.inotifyFd();
            }
            int iReflex = reflex.isPresent() && reflex.get().firedFd() >= 0 ? n : -1;
            if (iReflex >= 0) {
                fds[n++] = reflex.get().firedFd();
            }
            kernel.poll(java.util.Arrays.copyOf(fds, n), ready, timeout);
            if (!running) {
                break;
            }
            if (ready[iWake]) {
                kernel.drainEventfd(wakeFd);
            }
            if (iReflex >= 0 && ready[iReflex] && kernel.drainEventfd(reflex.get().firedFd()) > 0) {
                wakeups.reflexFired(current, reflex.get().firedLevel(), handler);
            }
            if (iThreshold >= 0 && ready[iThreshold] && thresholds.crossed()) {
                wakeups.notified(current, handler);
            }
            if (iOom >= 0 && ready[iOom] && kills.oomKilled()) {
                handler.sampleNow("memory.oom_control: an OOM kill in the job's memory cgroup");
            }
            if (iInotify >= 0 && ready[iInotify]) {
                kills.drainEvents();
                wakeups.notified(current, handler);
                handler.sampleNow("memory.events changed");
            }
            wakeups.pollIfDue(current, handler);
        }
    }

    private void apply(TriggerPlan next) {
        Arming.Applied a = arming.apply(next, current, kernel != null && wakeFd >= 0);
        current = a.plan();
        a.passed().ifPresent(handler::crossed);
    }

    /** How the job is protected now, for the verbose log and tests. */
    String describe() {
        return arming.described();
    }

    private static void sleepMillis(long ms) {
        try {
            Thread.sleep(Math.max(1, ms));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the thread and closes every descriptor. */
    @Override
    public void close() {
        boolean wasRunning = running;
        running = false;
        if (thread != null) {
            if (wakeFd >= 0) {
                kernel.signal(wakeFd);
            } else {
                thread.interrupt();
            }
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (wasRunning && (thread == null || !thread.isAlive())) {
            // A reflex that fired just before the job ended, its news not polled yet: still decided
            // and said, so the summary has the checkpoint the job was asked for.
            reflex.ifPresent(r -> r.unclaimedLevel().ifPresent(level -> wakeups.reflexFired(current, level, handler)));
        }
        if (kernel != null && (thread == null || !thread.isAlive())) {
            thresholds.close();
            kills.close();
            kernel.close(wakeFd);
            wakeFd = -1;
        }
    }

    // For tests.
    List<Long> armedLevels() {
        TriggerPlan p = current;
        return p == null ? List.of() : new ArrayList<>(p.fileLevels());
    }
}
