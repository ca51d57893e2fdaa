package dev.oomguard.proc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;

/**
 * Descriptors to wait on with poll(2) for input, in one {@code struct pollfd} array allocated once:
 * filled with {@link #add}, waited on with {@link #poll}, then asked which are {@link #readable}.
 * Nothing is allocated per round, so the checkpoint reflex's thread can wait in it between the
 * kernel's wake-up and its signal. One thread uses a set at a time.
 *
 * <p>{@code struct pollfd} is {@code {int fd; short events; short revents;}}: 8 bytes each, in
 * the machine's byte order, on every Linux ABI.
 */
public final class PollSet {
    static final int ENTRY_BYTES = 8;
    private static final int EVENTS = 4;
    private static final int REVENTS = 6;
    static final short POLLIN = 0x1;

    private final Memory fds;
    private final int capacity;
    private int size;

    /** Room for {@code capacity} descriptors. */
    public PollSet(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a poll set holds at least one descriptor, not " + capacity);
        }
        this.capacity = capacity;
        NativeStart.boot(); // before JNA's first class: Memory may be it
        this.fds = new Memory((long) ENTRY_BYTES * capacity);
    }

    /** Empties the set (nothing is freed: the array is reused). */
    public void clear() {
        size = 0;
    }

    /** Adds {@code fd}, waited on for input; returns its index for {@link #readable}. */
    public int add(int fd) {
        if (size == capacity) {
            throw new IllegalStateException("poll set full: " + capacity + " descriptors");
        }
        long at = (long) ENTRY_BYTES * size;
        fds.setInt(at, fd);
        fds.setShort(at + EVENTS, POLLIN);
        fds.setShort(at + REVENTS, (short) 0);
        return size++;
    }

    public int size() {
        return size;
    }

    /**
     * Waits until a descriptor of the set has something to say or {@code timeoutMillis} passes (-1:
     * no limit), through libc's direct call: no allocation, no errno kept.
     *
     * @return how many descriptors have something to say; 0 on a timeout; -1 on a failure (EINTR...)
     */
    public int poll(int timeoutMillis) {
        return FastCalls.poll(fds, size, timeoutMillis);
    }

    /**
     * As {@link #poll(int)}, through the ordinary call that keeps errno (where the direct call is
     * not bound, or where the reason of a failure matters).
     *
     * @throws SyscallException when poll(2) fails (EINTR: a signal came first)
     */
    public int poll(LibC libc, int timeoutMillis) throws SyscallException {
        try {
            return libc.calls().poll(fds, size, timeoutMillis);
        } catch (LastErrorException e) {
            throw new SyscallException("poll", e.getErrorCode());
        }
    }

    /** Whether the descriptor at {@code index} has input (POLLIN) after the last {@link #poll}. */
    public boolean readable(int index) {
        return (revents(index) & POLLIN) != 0;
    }

    /**
     * Whether the descriptor at {@code index} has anything to say after the last {@link #poll}:
     * input, or POLLERR, POLLHUP, POLLNVAL (then it can tell nothing more).
     */
    public boolean signalled(int index) {
        return revents(index) != 0;
    }

    private short revents(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("no descriptor " + index + " in a poll set of " + size);
        }
        return fds.getShort((long) ENTRY_BYTES * index + REVENTS);
    }
}
