package dev.oomguard.proc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Pointer;
import java.time.Duration;
import java.util.Optional;

/**
 * A process file descriptor (Linux 5.3+): names one process for good, so its end can be awaited
 * with poll(2) and it can be signalled without the risk of PID reuse, though it is not our child.
 * {@code pidfd_open} (434) and {@code pidfd_send_signal} (424) have the same numbers on every
 * architecture (they came after the syscall tables were unified).
 */
public final class PidFd implements AutoCloseable {
    /** The system calls, apart from {@link LibC} since only this class makes them. */
    interface Sys extends Library {
        Sys INSTANCE = NativeStart.load("c", Sys.class);

        long syscall(long number, Object... args) throws LastErrorException;

        int close(int fd);
    }

    static final long SYS_PIDFD_SEND_SIGNAL = 424;
    static final long SYS_PIDFD_OPEN = 434;

    /** Why no pidfd could be had. */
    public enum Unavailable {
        /** The process does not exist (any more). */
        NO_SUCH_PROCESS,
        /** This kernel or sandbox has no pidfd_open (ENOSYS, or a seccomp filter's EPERM). */
        NOT_SUPPORTED
    }

    /** A pidfd, or why there is none. */
    public record Opened(Optional<PidFd> pidfd, Optional<Unavailable> unavailable) {
    }

    private final int pid;
    private final int fd;
    private volatile boolean closed;

    private PidFd(int pid, int fd) {
        this.pid = pid;
        this.fd = fd;
    }

    /** Opens a pidfd for {@code pid}. */
    public static Opened open(int pid) {
        try {
            int fd = (int) Sys.INSTANCE.syscall(SYS_PIDFD_OPEN, pid, 0);
            return new Opened(Optional.of(new PidFd(pid, fd)), Optional.empty());
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ESRCH.number()) {
                return new Opened(Optional.empty(), Optional.of(Unavailable.NO_SUCH_PROCESS));
            }
            return new Opened(Optional.empty(), Optional.of(Unavailable.NOT_SUPPORTED));
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return new Opened(Optional.empty(), Optional.of(Unavailable.NOT_SUPPORTED));
        }
    }

    public int pid() {
        return pid;
    }

    /**
     * Waits up to {@code timeout} for the process to end (it becomes readable when the process
     * exits, zombie or not); true when it has ended.
     */
    public boolean awaitExit(Duration timeout) {
        PollSet set = new PollSet(1);
        set.add(fd);
        int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(0, timeout.toMillis()));
        try {
            int n = set.poll(LibC.INSTANCE, millis);
            return n > 0 && set.signalled(0);
        } catch (SyscallException e) {
            if (e.is(Errno.EINTR)) {
                return false;
            }
            throw new IllegalStateException("poll on the pidfd of PID " + pid + " failed: errno " + e.number(), e);
        }
    }

    /** Sends {@code signal} to exactly this process; false when it has ended (ESRCH). */
    public boolean signal(int signal) {
        try {
            Sys.INSTANCE.syscall(SYS_PIDFD_SEND_SIGNAL, fd, signal, Pointer.NULL, 0);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == Errno.ESRCH.number()) {
                return false;
            }
            throw new IllegalStateException("pidfd_send_signal to PID " + pid + ": " + Errno.describe(e.getErrorCode()));
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Sys.INSTANCE.close(fd);
        }
    }
}
