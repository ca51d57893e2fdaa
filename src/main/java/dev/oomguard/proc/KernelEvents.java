package dev.oomguard.proc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;

/**
 * The kernel's memory notifications through libc: eventfds, cgroup v1 {@code cgroup.event_control}
 * registrations (usage thresholds, OOM), inotify, and poll(2) over them. Every descriptor is made
 * close-on-exec, so the job never inherits one. Errors come back as {@link Failure} with errno's
 * words; callers fall back.
 */
public final class KernelEvents {
    /** A call the kernel refused: the operation and errno, in words. */
    public static final class Failure extends Exception {
        private final int errno;

        Failure(String what, int errno, String words) {
            super(what + ": " + words, null, false, false);
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    private interface Calls extends Library {
        int eventfd(int initval, int flags) throws LastErrorException;

        int open(String path, int flags) throws LastErrorException;

        long write(int fd, byte[] buffer, long count) throws LastErrorException;

        long read(int fd, byte[] buffer, long count) throws LastErrorException;

        int close(int fd);

        int inotify_init1(int flags) throws LastErrorException;

        int inotify_add_watch(int fd, String path, int mask) throws LastErrorException;

        String strerror(int errnum);

        int gettid();

        int setpriority(int which, int who, int prio) throws LastErrorException;
    }

    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final int IN_CLOEXEC = 0x80000;
    static final int IN_NONBLOCK = 0x800;
    /** inotify: the file was written (cgroup files raise it when their content changes). */
    public static final int IN_MODIFY = 0x2;

    private final Calls c;
    /** Up to this many descriptors are polled through {@link FastCalls}. */
    private static final int FAST_FDS = 8;
    /** Per thread: a poll set of {@link #FAST_FDS}. */
    private final ThreadLocal<PollSet> pollSets = ThreadLocal.withInitial(() -> new PollSet(FAST_FDS));
    /** Per thread: 8 bytes for an eventfd's counter. */
    private final ThreadLocal<Memory> counters = ThreadLocal.withInitial(() -> new Memory(8));

    private KernelEvents(Calls c) {
        this.c = c;
    }

    /** libc, loaded once per call site (cheap after the first). */
    public static KernelEvents load() {
        return new KernelEvents(NativeStart.load("c", Calls.class));
    }

    /** A non-blocking, close-on-exec eventfd. */
    public int eventfd() throws Failure {
        try {
            return c.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        } catch (LastErrorException e) {
            throw failure("eventfd", e);
        }
    }

    /**
     * A non-blocking, close-on-exec eventfd that is added to and drained without allocation
     * (libc's direct calls).
     */
    public EventFd openEventFd() throws Failure {
        if (!FastCalls.available()) {
            throw new Failure("eventfd", Errno.ENOSYS.number(), "libc's direct calls are not bound");
        }
        return new EventFd(eventfd());
    }

    /** Adds 1 to an eventfd's counter (wakes whoever polls it). */
    public void signal(int efd) {
        try {
            c.write(efd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8);
        } catch (LastErrorException e) {
            // Counter full or closed: a wake-up is pending anyway.
        }
    }

    /** Reads and resets an eventfd's counter; 0 when nothing was pending. */
    public long drainEventfd(int efd) {
        if (FastCalls.available()) {
            Memory m = counters.get();
            long n = FastCalls.read(efd, m, 8); // -1: EAGAIN, nothing pending
            return n == 8 ? m.getLong(0) : 0;
        }
        byte[] b = new byte[8];
        try {
            if (c.read(efd, b, 8) == 8) {
                long v = 0;
                for (int i = 7; i >= 0; i--) {
                    v = (v << 8) | (b[i] & 0xff);
                }
                return v;
            }
        } catch (LastErrorException e) {
            // EAGAIN: nothing pending.
        }
        return 0;
    }

    /** Discards whatever an inotify descriptor has queued (we only need to know that something changed). */
    public void drainInotify(int fd) {
        byte[] b = new byte[4096];
        try {
            while (c.read(fd, b, b.length) > 0) {
                // keep reading until EAGAIN
            }
        } catch (LastErrorException e) {
            // EAGAIN: drained.
        }
    }

    /**
     * Registers {@code "<efd> <fd of file> [args]"} with a cgroup v1 {@code cgroup.event_control}, in
     * one write (two writes are refused). The file's descriptor is closed afterwards: the kernel
     * keeps what it needs; the registration lives until {@code efd} is closed.
     *
     * @param file    e.g. {@code .../memory.usage_in_bytes} or {@code .../memory.oom_control}
     * @param args    the threshold in bytes, or empty for {@code memory.oom_control}
     */
    public void register(int efd, String eventControl, String file, String args) throws Failure {
        int fileFd;
        try {
            fileFd = c.open(file, LibC.O_RDONLY | LibC.O_CLOEXEC);
        } catch (LastErrorException e) {
            throw failure("open " + file, e);
        }
        try {
            int ctl;
            try {
                ctl = c.open(eventControl, LibC.O_WRONLY | LibC.O_CLOEXEC);
            } catch (LastErrorException e) {
                throw failure("open " + eventControl, e);
            }
            try {
                byte[] line = (efd + " " + fileFd + (args.isEmpty() ? "" : " " + args)).getBytes(StandardCharsets.US_ASCII);
                c.write(ctl, line, line.length);
            } catch (LastErrorException e) {
                throw failure("write " + eventControl, e);
            } finally {
                c.close(ctl);
            }
        } finally {
            c.close(fileFd);
        }
    }

    /** A non-blocking, close-on-exec inotify descriptor. */
    public int inotify() throws Failure {
        try {
            return c.inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
        } catch (LastErrorException e) {
            throw failure("inotify_init1", e);
        }
    }

    public void watch(int inotifyFd, String path, int mask) throws Failure {
        try {
            c.inotify_add_watch(inotifyFd, path, mask);
        } catch (LastErrorException e) {
            throw failure("inotify_add_watch " + path, e);
        }
    }

    /**
     * Waits until one of {@code fds} is readable or {@code timeoutMillis} passes (-1: no limit);
     * {@code ready[i]} tells which. False on a timeout. EINTR counts as a timeout.
     */
    public boolean poll(int[] fds, boolean[] ready, int timeoutMillis) {
        boolean fast = fds.length <= FAST_FDS && FastCalls.available();
        // Direct-mapped, into this thread's own set: the trigger thread polls up to every few ms
        // near a level and every 500 ms at rest; the proxied call costs ~5x more, cold.
        PollSet set = fast ? pollSets.get() : new PollSet(Math.max(1, fds.length));
        set.clear();
        for (int fd : fds) {
            set.add(fd);
        }
        int n;
        if (fast) {
            n = set.poll(timeoutMillis); // -1 (EINTR...) counts as a timeout
        } else {
            try {
                n = set.poll(LibC.INSTANCE, timeoutMillis);
            } catch (SyscallException e) {
                n = 0;
            }
        }
        for (int i = 0; i < fds.length; i++) {
            ready[i] = n > 0 && set.signalled(i);
        }
        return n > 0;
    }

    /**
     * Lowers the calling thread's priority (a Linux thread has its own nice value): the tree walk
     * then yields the CPU to the thread that races the kernel. False where refused.
     */
    public boolean niceCallingThread(int nice) {
        try {
            c.setpriority(0 /* PRIO_PROCESS */, c.gettid(), nice);
            return true;
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            return false;
        }
    }

    public void close(int fd) {
        if (fd >= 0) {
            c.close(fd);
        }
    }

    private Failure failure(String what, LastErrorException e) {
        int errno = e.getErrorCode();
        String words;
        try {
            words = c.strerror(errno);
        } catch (RuntimeException ex) {
            words = "errno " + errno;
        }
        return new Failure(what, errno, words);
    }
}
