package dev.oomguard.proc;

import com.sun.jna.Memory;

/**
 * An eventfd(2): a counter in the kernel that one thread adds to ({@link #signal}) and another
 * waits on (with a {@link PollSet}) and reads back to zero ({@link #drain}). Non-blocking and
 * close-on-exec, so the job never inherits it. Adding and draining are libc's direct calls from
 * buffers allocated once: no allocation, so the checkpoint reflex can use them in its race. Made
 * by {@link KernelEvents#openEventFd}, where libc's direct calls are bound.
 */
public final class EventFd implements AutoCloseable {
    /** -1 once closed: a late signal must not reach a descriptor that reuses the number. */
    private volatile int fd;
    /** Holds 1, never changed: any thread may signal. */
    private final Memory one = new Memory(8);
    /** Where {@link #drain} reads the counter: one draining thread at a time. */
    private final Memory counter = new Memory(8);

    /** Takes over {@code fd}, an eventfd made non-blocking and close-on-exec ({@link KernelEvents#openEventFd}). */
    EventFd(int fd) {
        this.fd = fd;
        one.setLong(0, 1);
    }

    public int fd() {
        return fd;
    }

    /** Adds 1 to the counter: whoever polls the descriptor wakes. A full counter (or a closed descriptor) is ignored. */
    public void signal() {
        int f = fd;
        if (f >= 0) {
            FastCalls.write(f, one, 8);
        }
    }

    /** Reads the counter and resets it to 0; 0 when nothing was pending. */
    public long drain() {
        int f = fd;
        return f >= 0 && FastCalls.read(f, counter, 8) == 8 ? counter.getLong(0) : 0; // -1: EAGAIN, nothing pending
    }

    /** Closes the descriptor (once: later calls do nothing). */
    @Override
    public synchronized void close() {
        int f = fd;
        if (f >= 0) {
            fd = -1;
            FastCalls.close(f);
        }
    }
}
