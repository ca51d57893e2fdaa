package dev.oomguard.proc;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * Signals as system calls: sending one ({@code kill(2)}), and this process's own handling of one
 * (back to the default action, unblocked, raised). Numbers are {@link Signal}'s.
 */
public final class Signals {
    private final LibC.Calls c;

    public Signals(LibC libc) {
        this.c = libc.calls();
    }

    /**
     * {@code kill(pid, signal)}: a negative {@code pid} names a process group, signal 0 only asks
     * whether it could be sent.
     *
     * @throws SyscallException when not sent (ESRCH: gone; EPERM: not ours to signal)
     */
    public void kill(int pid, int signal) throws SyscallException {
        try {
            c.kill(pid, signal);
        } catch (LastErrorException e) {
            throw new SyscallException("kill", e.getErrorCode());
        }
    }

    /** Restores the default action for {@code signal} ({@code SIG_DFL}). */
    public void resetToDefault(int signal) {
        c.signal(signal, Pointer.NULL);
    }

    /** Removes {@code signal} from the calling thread's blocked set. */
    public void unblock(int signal) {
        Memory set = new Memory(LibC.Calls.SIGSET_BYTES);
        c.sigemptyset(set);
        c.sigaddset(set, signal);
        c.pthread_sigmask(LibC.Calls.SIG_UNBLOCK, set, null);
    }

    /** Sends {@code signal} to the calling thread ({@code raise(3)}). */
    public void raise(int signal) {
        c.raise(signal);
    }

    /** Sets {@code RLIMIT_CORE} to 0: a signal that would dump core does not; false where refused. */
    public boolean disableCoreDumps() {
        try {
            c.setrlimit(LibC.Calls.RLIMIT_CORE, new long[] {0, 0});
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }
}
