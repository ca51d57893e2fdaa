package dev.oomguard.watch;

import com.sun.jna.Memory;
import dev.oomguard.proc.FastCalls;
import dev.oomguard.proc.KernelEvents;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

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
    /** What the reflex did when it fired. */
    public record Fired(boolean fileRenamed, int signal, long wokeNanos, long firedNanos) {
        /** From the kernel's wake-up to the signal sent, in microseconds. */
        public long micros() {
            return Math.max(0, (firedNanos - wokeNanos) / 1000);
        }
    }

    private static final int IDLE = 0;
    private static final int ARMED = 1;
    private static final int FIRING = 2;
    private static final int FIRED = 3;
    private static final int NO_CHANGE = Integer.MIN_VALUE;
    /** The kernel checks thresholds every 128 pages or so: levels closer than this are the same. */
    private static final long SAME_LEVEL_BYTES = 1L << 20;

    private final KernelEvents kernel;
    private final Checkpoints checkpoints;
    private final IntSupplier jobGroup;
    private final int signal;
    private final Consumer<String> detail;
    private final Path flag;
    private final Path staged;
    private final byte[] flagBytes;
    private final byte[] stagedBytes;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    /** A descriptor for the reflex thread to poll from now on (-1: none), or {@link #NO_CHANGE}. */
    private final AtomicInteger handover = new AtomicInteger(NO_CHANGE);
    private volatile boolean running;
    private volatile boolean renamed;
    private volatile long wokeNanos;
    private volatile long firedNanos;
    private Thread thread;
    private int wakeFd = -1;
    private int firedFd = -1;
    private final Memory one = new Memory(8);
    // The arming side's view (the trigger thread's); the level is read by the reflex thread too.
    private String armedFile = "";
    private volatile long armedLevel = -1;
    private volatile long firedLevel = -1;
    private boolean refused;

    /**
     * @param jobGroup the job's PID (= its process group) while it is certainly not reaped; 0 or
     *                 less once it is, and then the reflex does nothing
     * @param signal   the checkpoint signal, 0 for none (the flag file alone)
     */
    public Reflex(KernelEvents kernel, Checkpoints checkpoints, IntSupplier jobGroup, int signal, Consumer<String> detail) {
        this.kernel = kernel;
        this.checkpoints = checkpoints;
        this.jobGroup = jobGroup;
        this.signal = signal;
        this.detail = detail;
        this.flag = checkpoints.file().orElse(null);
        this.staged = flag == null ? null : flag.resolveSibling("." + flag.getFileName() + ".oomguard-staged");
        this.flagBytes = flag == null ? null : FastCalls.path(flag.toString());
        this.stagedBytes = staged == null ? null : FastCalls.path(staged.toString());
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
            wakeFd = kernel.eventfd();
            firedFd = kernel.eventfd();
        } catch (KernelEvents.Failure e) {
            kernel.close(wakeFd);
            wakeFd = -1;
            detail.accept("no eventfd for the checkpoint reflex (" + e.getMessage() + ")");
            return false;
        }
        one.setLong(0, 1);
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
        Memory m = new Memory(8);
        m.setInt(0, wakeFd);
        m.setShort(4, FastCalls.POLLIN);
        FastCalls.poll(m, 1, 0);
        FastCalls.read(wakeFd, m, 8);
    }

    /**
     * Arms the reflex at {@code fileLevel} bytes of {@code usageFile} (a cgroup v1 usage file whose
     * group's {@code cgroup.event_control} is {@code control}), with {@code reason} as the flag
     * file's text. Nothing is re-registered when that level is armed already. A reflex that fired
     * and is not claimed yet stays as it is.
     */
    public void arm(String control, String usageFile, long fileLevel, String reason) {
        if (refused || !running) {
            return;
        }
        if (state.get() == ARMED && armedFile.equals(usageFile) && Math.abs(armedLevel - fileLevel) <= SAME_LEVEL_BYTES) {
            return;
        }
        if (!state.compareAndSet(ARMED, IDLE) && state.get() != IDLE) {
            return; // fired, not claimed yet
        }
        if (staged != null && !stage(reason)) {
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
        handOver(fd);
        state.set(ARMED);
    }

    /** No level to watch (the checkpoint fired, or the job is past it, paused or stopping). */
    public void disarm() {
        state.compareAndSet(ARMED, IDLE);
        if (armedLevel >= 0) {
            armedLevel = -1;
            armedFile = "";
            handOver(-1);
        }
    }

    private void handOver(int fd) {
        int old = handover.getAndSet(fd);
        if (old >= 0) {
            kernel.close(old); // never polled: the thread had not picked it up
        }
        kernel.signal(wakeFd);
    }

    /** The flag file's text, beside it, for the one rename that puts it in place. */
    private boolean stage(String reason) {
        checkpoints.poll(); // an answer to the last request counts before its .done is cleared
        checkpoints.prepare();
        try {
            Files.writeString(staged, reason + "\n", StandardCharsets.UTF_8);
            return true;
        } catch (IOException e) {
            detail.accept("cannot stage the checkpoint file " + staged + " (" + e.getMessage()
                    + "): the checkpoint is asked by the guard's thread");
            return false;
        }
    }

    /**
     * Whether the reflex fired since it was armed, and what it did; either way it is disarmed
     * until armed again, so a request made elsewhere goes out once.
     */
    public Optional<Fired> claim() {
        while (true) {
            int s = state.get();
            if (s == FIRING) {
                Thread.onSpinWait();
            } else if (s == FIRED) {
                if (state.compareAndSet(FIRED, IDLE)) {
                    return Optional.of(new Fired(renamed, signal, wokeNanos, firedNanos));
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
        Memory fds = new Memory(16);
        Memory counter = new Memory(8);
        int levelFd = -1;
        while (running) {
            int next = handover.getAndSet(NO_CHANGE);
            if (next != NO_CHANGE) {
                kernel.close(levelFd);
                levelFd = next;
            }
            fds.setInt(0, wakeFd);
            fds.setShort(4, FastCalls.POLLIN);
            fds.setShort(6, (short) 0);
            fds.setInt(8, levelFd);
            fds.setShort(12, FastCalls.POLLIN);
            fds.setShort(14, (short) 0);
            int n = FastCalls.poll(fds, levelFd >= 0 ? 2 : 1, -1);
            if (n <= 0) {
                continue; // EINTR
            }
            if (levelFd >= 0 && fds.getShort(14) != 0) {
                long woke = System.nanoTime();
                fire(woke);
                FastCalls.read(levelFd, counter, 8);
            }
            if (fds.getShort(6) != 0) {
                FastCalls.read(wakeFd, counter, 8);
            }
        }
        kernel.close(levelFd);
    }

    /** The rename and the signal, if armed and the job is still unreaped. */
    private void fire(long woke) {
        if (!state.compareAndSet(ARMED, FIRING)) {
            return;
        }
        int group = jobGroup.getAsInt();
        if (group <= 0) {
            state.set(IDLE);
            return;
        }
        renamed = stagedBytes != null && FastCalls.rename(stagedBytes, flagBytes) == 0;
        if (signal > 0) {
            FastCalls.kill(-group, signal);
        }
        firedNanos = System.nanoTime();
        wokeNanos = woke;
        firedLevel = armedLevel;
        state.set(FIRED);
        FastCalls.write(firedFd, one, 8); // the guard's thread decides and says it (see firedFd())
    }

    /**
     * Readable (an eventfd) once the reflex fired: whoever polls it hands the crossing to the ladder,
     * which asks for the checkpoint and so {@link #claim claims} it, even when the job already let
     * go of its memory by the time a reading is taken.
     */
    public int firedFd() {
        return firedFd;
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
            kernel.signal(wakeFd);
            try {
                thread.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!thread.isAlive()) {
                int left = handover.getAndSet(NO_CHANGE);
                if (left >= 0) {
                    kernel.close(left);
                }
                kernel.close(wakeFd);
                kernel.close(firedFd);
                wakeFd = firedFd = -1;
            }
        }
        if (staged != null) {
            try {
                Files.deleteIfExists(staged);
            } catch (IOException e) {
                // beside the flag file: harmless
            }
        }
    }
}
