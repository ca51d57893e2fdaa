package dev.oomguard.checkpoint;

import dev.oomguard.proc.EventFd;
import dev.oomguard.proc.FastCalls;
import dev.oomguard.proc.KernelEvents;
import dev.oomguard.proc.PollSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The checkpoint request, decided before the crossing and carried out by the kernel's wake-up
 * alone. A crossing of the armed checkpoint level always means "ask for the checkpoint" (see
 * {@code Ladder.decideCrossing}), so nothing is left to decide when it happens: a thread of its own,
 * blocked in poll(2) on one cgroup v1 threshold eventfd and at real-time priority where permitted,
 * renames a flag file staged beforehand into place and sends the checkpoint signal to the job's
 * process group — two system calls, no allocation, no lock — and goes back to sleep. The
 * responder then {@link #claim claims} what was done and says it, instead of doing it again; a
 * responder that gets there first disarms the reflex the same way, so the job is asked once.
 *
 * <p>Arming (staging the file, registering the threshold) happens on the caller's thread, away
 * from the race; the reflex thread only swaps descriptors and fires.
 */
public final class Reflex implements AutoCloseable {
    /**
     * A gauge the reflex reads itself where the kernel offers no threshold: {@code /proc/meminfo}
     * (the host's use, {@code meminfo}) or a file holding one number (cgroup v2 {@code memory.current}).
     */
    public record Polled(String path, boolean meminfo) {
    }

    /** What the reflex thread watches: a threshold eventfd, or a polled file's descriptor, and the level. */
    private record Source(int fd, Polled polled, long level) {
    }

    private static final int IDLE = 0;
    private static final int ARMED = 1;
    private static final int FIRING = 2;
    private static final int FIRED = 3;
    /** The kernel checks thresholds every 128 pages or so: levels closer than this are the same. */
    private static final long SAME_LEVEL_BYTES = 1L << 20;

    private final KernelEvents kernel;
    private final CheckpointRequest request;
    private final int signal;
    private final Consumer<String> detail;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    /** What the reflex thread watches from now on (NONE: nothing); null: no change. */
    private final java.util.concurrent.atomic.AtomicReference<Source> handover = new java.util.concurrent.atomic.AtomicReference<>();
    private static final Source NONE = new Source(-1, null, -1);
    private volatile boolean running;
    private volatile boolean renamed;
    private volatile long wokeNanos;
    private volatile long firedNanos;
    private volatile boolean firedPolled;
    private Thread thread;
    private EventFd wake;
    private EventFd fired;
    // The arming side's view (the trigger thread's); the level is read by the reflex thread too.
    private String armedFile = "";
    // The reflex thread's own, for polled gauges: no allocation between reads.
    private final byte[] buffer = new byte[16384];
    private long lastValue = -1;
    private long lastNanos;
    private double bytesPerSecond;
    private volatile long armedLevel = -1;
    private volatile long firedLevel = -1;
    private boolean refused;

    /**
     * @param request how the request goes out; once its job may be reaped, the reflex does nothing
     * @param signal  the checkpoint signal, 0 for none (the flag file alone)
     */
    public Reflex(KernelEvents kernel, CheckpointRequest request, int signal, Consumer<String> detail) {
        this.kernel = kernel;
        this.request = request;
        this.signal = signal;
        this.detail = detail;
    }

    /** Whether a reflex can be made here: libc's direct calls bind, and there is a file or a signal to deliver. */
    public static boolean possible(Checkpoints checkpoints, int signal) {
        return FastCalls.available() && (checkpoints.file().isPresent() || signal > 0);
    }

    /** Starts the reflex thread; false (and nothing started) without libc's direct calls or eventfds. */
    public boolean start() {
        if (!FastCalls.available()) {
            return false;
        }
        try {
            wake = kernel.openEventFd();
            fired = kernel.openEventFd();
        } catch (KernelEvents.Failure e) {
            if (wake != null) {
                wake.close();
            }
            wake = null;
            detail.accept("no eventfd for the checkpoint reflex (" + e.getMessage() + ")");
            return false;
        }
        warm();
        running = true;
        thread = new Thread(this::loop, "oomguard-reflex");
        thread.setDaemon(true);
        thread.start();
        return true;
    }

    /** Binds and runs each native call once, harmlessly: the first race pays for nothing. */
    private void warm() {
        FastCalls.gettid();
        FastCalls.kill(0, 0); // signal 0 to our own group: a permission check, nothing sent
        byte[] none = FastCalls.path("/nonexistent/oomguard-reflex-warm");
        FastCalls.rename(none, none);
        request.jobUnreaped(); // fire's own path, once: the job's state asked,
        if (request.nothingStaged()) {
            request.sendStaged(0); // a rename of nothing, no signal
        }
        PollSet set = new PollSet(1);
        set.add(wake.fd());
        set.poll(0);
        wake.drain();
    }

    /**
     * Arms the reflex at {@code fileLevel} bytes of {@code usageFile} (a cgroup v1 usage file whose
     * group's {@code cgroup.event_control} is {@code control}), with {@code reason} as the flag
     * file's text. Nothing is re-registered when that level is armed already. A reflex that fired
     * and is not claimed yet stays as it is.
     */
    public void arm(String control, String usageFile, long fileLevel, String reason) {
        if (!rearming(usageFile, fileLevel, reason)) {
            return;
        }
        int fd;
        try {
            fd = kernel.eventfd();
            try {
                kernel.register(fd, control, usageFile, Long.toString(Math.max(1, fileLevel)));
            } catch (KernelEvents.Failure e) {
                kernel.close(fd);
                throw e;
            }
        } catch (KernelEvents.Failure e) {
            refused = true;
            detail.accept("no checkpoint reflex (" + e.getMessage() + "): the checkpoint is asked by the guard's thread");
            return;
        }
        armedFile = usageFile;
        armedLevel = fileLevel;
        handOver(new Source(fd, null, fileLevel));
        state.set(ARMED);
    }

    /**
     * Arms the reflex on a gauge it polls itself: every 1–2000 ms, closer together as the gauge nears
     * {@code level} at the fastest growth seen (at least 2 GiB/s), so that a job growing at full
     * speed is caught within about a millisecond of the level. Reading {@code /proc/meminfo} costs
     * ~10 µs here: ~1% of a core while a job is closing in on its level, nothing measurable far from it.
     */
    public void armPolled(Polled gauge, long level, String reason) {
        if (!rearming(gauge.path(), level, reason)) {
            return;
        }
        int fd = FastCalls.open(FastCalls.path(gauge.path()), dev.oomguard.proc.LibC.O_RDONLY | dev.oomguard.proc.LibC.O_CLOEXEC);
        if (fd < 0) {
            refused = true;
            detail.accept("no checkpoint reflex (cannot open " + gauge.path() + "): the checkpoint is asked by the guard's thread");
            return;
        }
        armedFile = gauge.path();
        armedLevel = level;
        handOver(new Source(fd, gauge, level));
        state.set(ARMED);
    }

    /** Whether the reflex is armed at {@code level} (within the same-level tolerance) and not fired yet. */
    public boolean watching(long level) {
        return state.get() == ARMED && armedLevel >= 0 && Math.abs(armedLevel - level) <= SAME_LEVEL_BYTES;
    }

    /**
     * Whether to arm anew at {@code level} of {@code file}: not when refused or stopped, not when
     * armed there already, not when it fired and is not claimed yet. When so, it is disarmed now
     * (a fire meanwhile does nothing) and the flag file's text staged.
     */
    private boolean rearming(String file, long level, String reason) {
        if (refused || !running) {
            return false;
        }
        if (state.get() == ARMED && armedFile.equals(file) && Math.abs(armedLevel - level) <= SAME_LEVEL_BYTES) {
            return false;
        }
        if (!state.compareAndSet(ARMED, IDLE) && state.get() != IDLE) {
            return false; // fired, not claimed yet
        }
        return request.stage(reason, detail);
    }

    /** No level to watch (the checkpoint fired, or the job is past it, paused or stopping). */
    public void disarm() {
        state.compareAndSet(ARMED, IDLE);
        if (armedLevel >= 0) {
            armedLevel = -1;
            armedFile = "";
            handOver(NONE);
        }
    }

    private void handOver(Source next) {
        Source old = handover.getAndSet(next);
        if (old != null && old.fd() >= 0) {
            kernel.close(old.fd()); // never watched: the thread had not picked it up
        }
        wake.signal();
    }

    /**
     * Whether the reflex fired since it was armed, and what it did; either way it is disarmed
     * until armed again, so a request made elsewhere goes out once.
     */
    public Optional<ReflexFired> claim() {
        while (true) {
            int s = state.get();
            if (s == FIRING) {
                Thread.onSpinWait();
            } else if (s == FIRED) {
                if (state.compareAndSet(FIRED, IDLE)) {
                    return Optional.of(new ReflexFired(renamed, signal, wokeNanos, firedNanos, firedPolled));
                }
            } else if (state.compareAndSet(s, IDLE)) {
                return Optional.empty();
            }
        }
    }

    private void loop() {
        int rt = FastCalls.sched_setscheduler(FastCalls.gettid(), FastCalls.SCHED_FIFO | FastCalls.SCHED_RESET_ON_FORK,
                new int[] {1});
        detail.accept(rt == 0
                ? "the checkpoint reflex runs at real-time priority (SCHED_FIFO 1)"
                : "the checkpoint reflex runs at normal priority (real-time priority refused)");
        PollSet fds = new PollSet(2);
        Source source = NONE;
        int timeout = -1;
        while (running) {
            Source next = handover.getAndSet(null);
            if (next != null) {
                if (source.fd() >= 0) {
                    FastCalls.close(source.fd());
                }
                source = next;
                lastValue = -1;
                timeout = source.polled() != null ? 0 : -1;
            }
            boolean threshold = source.fd() >= 0 && source.polled() == null;
            fds.clear();
            int woken = fds.add(wake.fd());
            int crossed = threshold ? fds.add(source.fd()) : -1;
            int n = fds.poll(timeout);
            if (n < 0) {
                // EINTR (rare: no signal is aimed at this thread); any other error must not spin a
                // real-time thread, so a millisecond's pause before the next try.
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
                continue;
            }
            if (threshold && fds.readable(crossed)) {
                long woke = System.nanoTime();
                fire(woke, false);
                kernel.drainEventfd(source.fd());
            } else if (threshold && fds.signalled(crossed)) {
                // POLLERR, POLLHUP, POLLNVAL: this descriptor can tell nothing more; never spin on it.
                FastCalls.close(source.fd());
                source = NONE;
            }
            if (n > 0 && fds.signalled(woken)) {
                wake.drain();
            }
            if (source.polled() != null) {
                timeout = sample(source);
            }
        }
        if (source.fd() >= 0) {
            FastCalls.close(source.fd());
        }
    }

    /** One read of a polled gauge: fires at the level; returns the milliseconds to the next read. */
    private int sample(Source s) {
        long r = FastCalls.pread(s.fd(), buffer, buffer.length, 0);
        long now = System.nanoTime();
        if (r <= 0) {
            return 500;
        }
        int n = (int) r;
        long value = s.polled().meminfo() ? dev.oomguard.proc.MemInfoScan.usedBytes(buffer, n)
                : dev.oomguard.proc.MemInfoScan.number(buffer, n);
        if (value < 0) {
            return 500;
        }
        if (value >= s.level()) {
            fire(now, true);
        }
        if (lastValue >= 0 && now > lastNanos) {
            double rate = (value - lastValue) / ((now - lastNanos) / 1e9);
            bytesPerSecond = Math.max(rate, 0.8 * bytesPerSecond); // the fastest recent growth, fading
        }
        lastValue = value;
        lastNanos = now;
        return pollMillis(s.level() - value, bytesPerSecond);
    }

    /**
     * Half the time the gap lasts at the faster of 2 GiB/s and the growth seen; 1–2000 ms (the
     * longest only when 8 GiB or more are left: a job crossing them at 2 GiB/s takes 4 s).
     */
    static int pollMillis(long gap, double bytesPerSecond) {
        if (gap <= 0) {
            return 500; // past the level: fired, or re-armed only once back below
        }
        double rate = Math.max(2.0 * (1L << 30), bytesPerSecond);
        double ms = gap / rate / 2 * 1000;
        return (int) Math.max(1, Math.min(MAX_POLL_MILLIS, ms));
    }

    private static final int MAX_POLL_MILLIS = 2000;

    /** The rename and the signal, if armed and the job is still unreaped. */
    private void fire(long woke, boolean polled) {
        if (!state.compareAndSet(ARMED, FIRING)) {
            return;
        }
        if (!request.jobUnreaped()) {
            state.set(IDLE);
            return;
        }
        renamed = request.sendStaged(signal);
        firedNanos = System.nanoTime();
        wokeNanos = woke;
        firedLevel = armedLevel;
        firedPolled = polled;
        state.set(FIRED);
        fired.signal(); // the guard's thread decides and says it (see firedFd())
    }

    /**
     * Readable (an eventfd) once the reflex fired: whoever polls it hands the crossing to the ladder,
     * which asks for the checkpoint and so {@link #claim claims} it, even when the job already let
     * go of its memory by the time a reading is taken.
     */
    public int firedFd() {
        return fired == null ? -1 : fired.fd();
    }

    /**
     * The level the reflex fired at when it fired and nobody claimed it yet (the job may end so
     * soon after the signal that the guard's thread never polled {@link #firedFd}); empty otherwise.
     */
    public java.util.OptionalLong unclaimedLevel() {
        while (state.get() == FIRING) {
            Thread.onSpinWait();
        }
        return state.get() == FIRED ? java.util.OptionalLong.of(firedLevel) : java.util.OptionalLong.empty();
    }

    /** The level (in the armed usage file's bytes) the reflex fired at; -1 before it first fired. */
    public long firedLevel() {
        return firedLevel;
    }

    /** Stops the thread, closes the descriptors and removes a staged file left over. */
    @Override
    public void close() {
        if (thread != null) {
            running = false;
            wake.signal();
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!thread.isAlive()) {
                Source left = handover.getAndSet(null);
                if (left != null && left.fd() >= 0) {
                    kernel.close(left.fd());
                }
                wake.close();
                fired.close();
            }
        }
        request.removeStaged();
    }
}
