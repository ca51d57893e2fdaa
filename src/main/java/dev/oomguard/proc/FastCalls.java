package dev.oomguard.proc;

import com.sun.jna.Pointer;

/**
 * The few libc calls of the checkpoint reflex, through JNA's direct mapping: no proxy, no
 * reflection, no allocation per call, so the thread that races the kernel spends microseconds
 * between its wake-up and the signal. Return values are the kernel's (-1 on failure; errno is not
 * kept: every caller has a fallback). The other calls stay in {@link LibC} and {@link KernelEvents};
 * {@link PollSet} and {@link EventFd} wrap the calls on native memory.
 */
public final class FastCalls {
    /** {@code sched_setscheduler}'s policy: real-time, first in first out. */
    public static final int SCHED_FIFO = 1;
    /** Or-ed into the policy: whatever the thread creates does not inherit it. */
    public static final int SCHED_RESET_ON_FORK = 0x40000000;

    private FastCalls() {
    }

    /**
     * Binds the natives; false where libc cannot be loaded (then nothing here may be called).
     * Idempotent: JNA binds a class once.
     */
    public static boolean available() {
        return Binding.OK;
    }

    /** Binds once, on first use (the holder idiom: no mutable static state). */
    private static final class Binding {
        static final boolean OK = bind();

        private static boolean bind() {
            try {
                NativeStart.register(FastCalls.class, "c");
                return true;
            } catch (RuntimeException | LinkageError e) {
                return false;
            }
        }
    }

    public static native int kill(int pid, int signal);

    public static native int rename(byte[] from, byte[] to);

    /** {@code fds}: struct pollfd entries (see {@link PollSet}, the one user). */
    static native int poll(Pointer fds, long nfds, int timeoutMillis);

    /** Into native memory ({@link EventFd}, {@link KernelEvents}): the callers outside this package see no pointers. */
    static native long read(int fd, Pointer buffer, long count);

    static native long write(int fd, Pointer buffer, long count);

    public static native long pread(int fd, byte[] buffer, long count, long offset);

    public static native int open(byte[] path, int flags);

    public static native int close(int fd);

    public static native int gettid();

    /** {@code param}: one int, the priority. */
    public static native int sched_setscheduler(int pid, int policy, int[] param);

    /** The path as the kernel wants it: bytes, NUL-terminated. */
    public static byte[] path(String p) {
        byte[] b = p.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }
}
