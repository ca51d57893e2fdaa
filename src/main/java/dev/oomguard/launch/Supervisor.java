package dev.oomguard.launch;

import dev.oomguard.proc.Children;
import dev.oomguard.proc.JobCgroup;
import dev.oomguard.proc.LibC;
import dev.oomguard.proc.Signal;
import dev.oomguard.proc.Signals;
import dev.oomguard.proc.SyscallException;
import dev.oomguard.trace.Phases;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * Runs one job to its end: spawns it, relays signals per {@link SignalPolicy}, mirrors its
 * stops on a terminal, reaps what it leaves, and reports how it ended. Every decision is taken
 * on the calling thread from one queue of events (signals received, job state changes), so
 * there is no race between a signal and the job's end.
 */
public final class Supervisor {
    /** Settings for a run. */
    public record Settings(Duration orphanGrace, boolean keepOrphans, Optional<JobCgroup> cgroup) {
        public Settings(Duration orphanGrace, boolean keepOrphans) {
            this(orphanGrace, keepOrphans, Optional.empty());
        }
    }

    /**
     * How the run ended. {@code jobMaxRssKiB}: the job's {@code ru_maxrss} from {@code wait4} (it
     * covers every descendant the job reaped itself); {@code orphansMaxRssKiB}: the largest of the
     * orphans oomguard reaped; empty when not known. The job is started from oomguard's own memory
     * map ({@code posix_spawn} shares it until {@code exec}, and {@code exec} keeps the old map's
     * high-water mark in the figure): its figure is at least oomguard's high-water mark at the
     * spawn, and only a figure above that is the job's own (see {@code GuardedRun}).
     */
    public record Outcome(int pid, WaitStatus status, List<Orphans.Orphan> leftBehind,
            List<Orphans.Reaped> reaped, List<Integer> forwarded, java.util.OptionalLong jobMaxRssKiB,
            java.util.OptionalLong orphansMaxRssKiB) {
        public Outcome(int pid, WaitStatus status, List<Orphans.Orphan> leftBehind, List<Orphans.Reaped> reaped,
                List<Integer> forwarded) {
            this(pid, status, leftBehind, reaped, forwarded, java.util.OptionalLong.empty(),
                    java.util.OptionalLong.empty());
        }
    }

    sealed interface Event permits Received, Changed, Tick, Deliver {
    }

    /** oomguard's own signal to the job's group (from the guard), delivered only while it runs. */
    record Deliver(int signal) implements Event {
    }

    record Received(int signal) implements Event {
    }

    record Changed(WaitStatus status) implements Event {
    }

    record Tick() implements Event {
    }

    private final LibC libc;
    private final Signals signals;
    private final Children children;
    private final Spawner spawner;
    private final Orphans orphans;
    private final Consumer<String> say;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final List<Integer> forwarded = new ArrayList<>();
    private boolean reapFailed;
    private java.util.function.IntConsumer relayed = sig -> { };
    private java.util.function.Supplier<Optional<SlurmStep>> slurm = Optional::empty;
    private Consumer<String> received = line -> { };
    private java.util.function.IntConsumer spawned = pid -> { };

    public Supervisor(LibC libc, Spawner spawner, Orphans orphans, Consumer<String> say) {
        this.libc = libc;
        this.signals = new Signals(libc);
        this.children = new Children(libc);
        this.spawner = spawner;
        this.orphans = orphans;
        this.say = say;
    }

    /**
     * The Slurm step oomguard runs in, if any ({@link SlurmStep#once}: asked when a signal is
     * received): where Slurm's TERM reaches the job directly (proctrack/linuxproc), it is not
     * relayed a second time. Call before {@link #run}.
     */
    public void insideSlurm(java.util.function.Supplier<Optional<SlurmStep>> step) {
        this.slurm = step;
    }

    /** Told of every signal relayed to the job (for the run record); call before {@link #run}. */
    public void onRelay(java.util.function.IntConsumer listener) {
        this.relayed = listener;
    }

    /**
     * Called with the job's PID the moment {@code posix_spawn} returns (the job has run its
     * {@code exec}), before anything else: a first look at a job that may be gone within a
     * millisecond. Call before {@link #run}.
     */
    public void onSpawn(java.util.function.IntConsumer listener) {
        this.spawned = listener;
    }

    /** Told, in words, what was done with each signal oomguard received (for --verbose and --log). */
    public void onReceived(Consumer<String> listener) {
        this.received = listener;
    }

    /**
     * Starts the job and supervises it to its end.
     *
     * @param onStart called with the job's PID once it runs (for the guard to attach)
     * @throws Spawner.SpawnFailure when the command cannot be started
     */
    public Outcome run(List<byte[]> argv, List<byte[]> environment, CallerContext caller, Settings settings,
            java.util.function.IntConsumer onStart) {
        if (!orphans.becomeSubreaper()) {
            say.accept("cannot become a child subreaper: processes the job orphans are not tracked");
        }
        Phases.mark("subreaper");
        SignalRelay.install(caller.ignoredSignals(), sig -> events.add(new Received(sig)));
        Optional<Terminal> terminal = Terminal.detect(libc);
        int jobTerminalFd = terminal.map(Terminal::fd).orElse(-1);
        int pid = spawner.spawn(new Spawner.Request(argv, environment, caller,
                spawner.handsTerminalInChild() ? jobTerminalFd : -1, settings.cgroup()));
        Phases.mark("posix_spawn returned");
        try {
            spawned.accept(pid);
        } catch (RuntimeException e) {
            // A look only: the run goes on without it.
        }
        boolean jobHoldsTerminal = terminal.isPresent();
        if (terminal.isPresent() && !spawner.handsTerminalInChild()) {
            jobHoldsTerminal = terminal.get().giveTo(pid);
        }
        unreaped = pid;
        Optional<Children.Waited> ended = children.reapIfEnded(pid);
        if (ended.isPresent()) {
            // A job of a millisecond has ended already: reaped here, as the waiter would have at once.
            post(ended.get());
        } else {
            startWaiter(pid);
        }
        nextTick = System.nanoTime() + SAFETY_REAP_MILLIS * 1_000_000;
        onStart.accept(pid);
        Phases.mark("guard attached");

        boolean jobStopped = false;
        boolean weStoppedWithJob = false;
        WaitStatus end = null;
        while (end == null) {
            Event e = take();
            if (e instanceof Changed changed) {
                WaitStatus st = changed.status();
                if (st.ended()) {
                    end = st;
                } else if (st.stopped()) {
                    jobStopped = true;
                    if (terminal.isPresent()) {
                        // Ctrl-Z or a background read: take the terminal back and stop too, so the
                        // shell sees a stopped job and 'fg' continues us (then we continue the job).
                        terminal.get().takeBack();
                        jobHoldsTerminal = false;
                        weStoppedWithJob = true;
                        SignalRelay.stopLike(st.stopSignal(), caller.ignoredSignals(), sig -> events.add(new Received(sig)));
                    }
                } else if (st.continued()) {
                    jobStopped = false;
                }
            } else if (e instanceof Received received) {
                int sig = received.signal();
                SignalPolicy policy = SignalPolicy.valueOf(Signal.of(sig).orElseThrow().name());
                Optional<SlurmStep> step = policy == SignalPolicy.TERM ? slurm.get() : Optional.empty();
                if (step.isPresent() && step.get().signalsReach(pid)) {
                    say.accept("SIGTERM inside " + step.get() + ": Slurm sends it to every process of the step,"
                            + " the job included, so it is not relayed a second time");
                    continue;
                }
                switch (policy.action()) {
                    case FORWARD -> {
                        boolean hungUp = sig == Signal.HUP.number() && jobHoldsTerminal
                                && terminal.isPresent() && terminal.get().foreground() < 0;
                        if (!hungUp) {
                            relay(pid, sig, "received SIG" + policy.name() + ": forwarded to the job's process group");
                        } else {
                            tell("received SIGHUP: the terminal hung up; not forwarded, since the kernel sends"
                                    + " SIGHUP to the job's process group (the terminal's foreground) itself");
                        }
                    }
                    case FORWARD_THEN_CONT -> {
                        relay(pid, sig, "received SIG" + policy.name() + ": forwarded to the job's process group,"
                                + " followed by CONT");
                        forward(pid, Signal.CONT.number());
                    }
                    case RESUME -> {
                        if (weStoppedWithJob && terminal.isPresent() && terminal.get().weAreForeground()) {
                            jobHoldsTerminal = terminal.get().giveTo(pid);
                        }
                        weStoppedWithJob = false;
                        relay(pid, sig, "received SIGCONT: forwarded to the job's process group");
                    }
                    case INTERNAL -> reapQuietly(pid);
                    default -> { }
                }
            } else if (e instanceof Deliver deliver) {
                forward(pid, deliver.signal());
            } else {
                reapQuietly(pid);
            }
        }
        Phases.mark("job's end seen");
        if (terminal.isPresent() && (jobHoldsTerminal || jobStopped)) {
            terminal.get().takeBack();
        }
        // One look at our children when none is left; none at all when nothingLeft saw the job ended and
        // nothing else living: no process can become ours after that (only a living one forks).
        List<Orphans.Orphan> left = settled ? List.of() : orphans.remainingElseReap(pid);
        if (!left.isEmpty()) {
            settleOrphans(pid, left, settings);
            orphans.reapZombies(pid);
        }
        unreaped = -1;
        List<Integer> sent;
        synchronized (forwarded) {
            sent = List.copyOf(forwarded);
        }
        return new Outcome(pid, end, left, orphans.reaped(), sent, jobMaxRssKiB, orphans.reapedMaxRssKiB());
    }

    /** Reaping is housekeeping: whatever fails in it, the job and its status are not affected. */
    private void reapQuietly(int pid) {
        try {
            orphans.reapZombies(pid);
        } catch (RuntimeException e) {
            if (!reapFailed) {
                reapFailed = true;
                say.accept("reaping orphans failed (" + e + "); the job runs on");
            }
        }
    }

    /**
     * Sends {@code signal} to the job's process group from oomguard's own decision; it is
     * delivered by the supervising thread, and only while the job has not ended (its PID, which
     * names the group, could otherwise belong to someone else by then).
     */
    public void deliver(int signal) {
        events.add(new Deliver(signal));
    }

    /**
     * As {@link #deliver}, but sent from the calling thread at once (the guard's fast path: near a
     * limit, the hand-over to the supervising thread costs the race). Only while the job is not
     * reaped: its PID names its group until then, so the signal cannot reach anyone else. Falls
     * back to {@link #deliver} once the job ended.
     */
    public void deliverNow(int signal) {
        int pid = unreaped;
        if (pid <= 0) {
            deliver(signal);
            return;
        }
        try {
            signals.kill(-pid, signal);
            synchronized (forwarded) {
                forwarded.add(signal);
            }
        } catch (SyscallException e) {
            // The group is gone (the job is exiting): its end event follows.
        }
    }

    /** The job's PID while it is certainly not reaped (cleared before the waiter reaps it). */
    private volatile int unreaped = -1;

    /** The job's PID (its process group) while it is not reaped; -1 before it starts and after. */
    public int unreapedPid() {
        return unreaped;
    }

    /**
     * Whether the job {@code pid}, once started, has ended (reaped already, or a zombie the waiter
     * is about to reap) and left no process running: nothing is left to guard (its end is in the
     * queue, or about to be). Then our zombies, if any, are reaped now, once for all.
     */
    public boolean nothingLeft(int pid) {
        settled = (unreaped == -1 || orphans.exited(pid)) && orphans.remainingElseReap(pid).isEmpty();
        return settled;
    }

    /** {@link #nothingLeft} found the job ended and nothing living left, and reaped what had died. */
    private boolean settled;

    private void settleOrphans(int pid, List<Orphans.Orphan> left, Settings settings) {
        orphans.settle(pid, left, settings.orphanGrace(), settings.keepOrphans(), say);
    }

    /** Forwards a signal oomguard received, and tells the listeners. */
    private void relay(int pid, int sig, String what) {
        try {
            relayed.accept(sig);
        } catch (RuntimeException ignored) {
            // Recording is never a reason to stop relaying.
        }
        forward(pid, sig);
        tell(what);
    }

    private void tell(String what) {
        try {
            received.accept(what);
        } catch (RuntimeException ignored) {
            // Telling is never a reason to stop relaying.
        }
    }

    private void forward(int pid, int sig) {
        try {
            signals.kill(-pid, sig);
            synchronized (forwarded) {
                forwarded.add(sig);
            }
        } catch (SyscallException e) {
            // The group is gone (the job is exiting): its end event follows.
        }
    }

    /** The job's {@code ru_maxrss} from {@code wait4}, set by the waiter before it posts the end. */
    private volatile java.util.OptionalLong jobMaxRssKiB = java.util.OptionalLong.empty();

    /** Posts the job's change of state; true when it has ended (and is reaped). */
    private boolean post(Children.Waited waited) {
        WaitStatus st = new WaitStatus(waited.status());
        if (st.ended()) {
            unreaped = -1; // reaped just now: its PID could be reused (after a wrap of the PID space)
            jobMaxRssKiB = waited.maxRssKiB();
        }
        events.add(new Changed(st));
        return st.ended();
    }

    private void startWaiter(int pid) {
        Thread t = new Thread(() -> {
            while (true) {
                Children.Waited waited;
                try {
                    waited = children.awaitChange(pid);
                } catch (SyscallException e) {
                    // ECHILD cannot happen for our own child unless someone else reaped it.
                    events.add(new Changed(new WaitStatus(255 << 8)));
                    return;
                }
                if (post(waited)) {
                    return;
                }
            }
        }, "oomguard-wait-" + pid);
        t.setDaemon(true);
        t.start();
    }

    /**
     * Orphans are reaped when SIGCHLD arrives (an adopted process's parent, once reparented, is
     * oomguard, and its end sends oomguard SIGCHLD; signals that coalesce are covered, since each
     * reaping looks at every child). This tick is only a safety net (a handler that could not be
     * installed, a missed wake-up): slow, since waking every second costs CPU at rest for nothing.
     */
    static final long SAFETY_REAP_MILLIS = 30_000;

    /** When the next safety-net {@link Tick} is due ({@code System.nanoTime}): SAFETY_REAP_MILLIS after the last (or the spawn). */
    private long nextTick;

    /** The next event; a {@link Tick} when one is due (no thread of its own: the wait for events times out). */
    private Event take() {
        while (true) {
            try {
                long wait = nextTick - System.nanoTime();
                Event e = wait > 0 ? events.poll(wait, java.util.concurrent.TimeUnit.NANOSECONDS) : null;
                if (e != null) {
                    return e;
                }
                if (nextTick - System.nanoTime() <= 0) {
                    nextTick = System.nanoTime() + SAFETY_REAP_MILLIS * 1_000_000;
                    return new Tick();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while supervising", e);
            }
        }
    }
}
