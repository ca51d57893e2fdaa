package dev.oomguard.proc;

import com.sun.jna.LastErrorException;

/**
 * A file descriptor of our own, opened with open(2) itself, for what Java's file API cannot say:
 * {@code O_NOFOLLOW} with {@code O_CREAT}, {@code O_NONBLOCK} on a device, a descriptor the job
 * inherits, one read(2) per record of {@code /dev/kmsg}, an {@code flock(2)} lock. Flags are
 * {@link LibC}'s {@code O_*}.
 */
public final class Descriptor implements AutoCloseable {
    private final LibC.Calls c;
    private final int fd;
    private boolean closed;

    private Descriptor(LibC.Calls c, int fd) {
        this.c = c;
        this.fd = fd;
    }

    /** open(2) of {@code path} with {@code flags}; {@code mode} applies with {@code O_CREAT} (less the umask). */
    public static Descriptor open(LibC libc, String path, int flags, int mode) throws SyscallException {
        try {
            return new Descriptor(libc.calls(), libc.calls().open(path, flags, mode));
        } catch (LastErrorException e) {
            throw new SyscallException("open " + path, e.getErrorCode());
        }
    }

    /** open(2) without {@code O_CREAT}. */
    public static Descriptor open(LibC libc, String path, int flags) throws SyscallException {
        try {
            return new Descriptor(libc.calls(), libc.calls().open(path, flags));
        } catch (LastErrorException e) {
            throw new SyscallException("open " + path, e.getErrorCode());
        }
    }

    public int fd() {
        return fd;
    }

    /** One read(2) into {@code buffer}: the bytes read, 0 at the end. */
    public int read(byte[] buffer) throws SyscallException {
        try {
            return (int) c.read(fd, buffer, buffer.length);
        } catch (LastErrorException e) {
            throw new SyscallException("read", e.getErrorCode());
        }
    }

    /**
     * {@code flock(fd, LOCK_EX | LOCK_NB)}: true when taken, false when another open file holds it
     * (EAGAIN). An interrupted call (EINTR) is tried again.
     */
    public boolean tryLockExclusive() throws SyscallException {
        while (true) {
            try {
                c.flock(fd, LibC.Calls.LOCK_EX | LibC.Calls.LOCK_NB);
                return true;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == Errno.EAGAIN.number()) {
                    return false;
                }
                if (e.getErrorCode() != Errno.EINTR.number()) {
                    throw new SyscallException("flock", e.getErrorCode());
                }
            }
        }
    }

    /** Closes the descriptor (once: later calls do nothing). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            c.close(fd);
        }
    }
}
