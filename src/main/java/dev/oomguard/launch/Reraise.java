package dev.oomguard.launch;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.oomguard.proc.LibC;

/**
 * Ends this process by the signal the job died of, so the caller's shell sees the same death
 * (and prints the same "Killed" or "Segmentation fault") as without oomguard. Core dumps are
 * disabled first: the JVM's memory is nobody's business. If the signal does not end the
 * process (its default action is to ignore), the caller falls back to {@code exit(128+N)}.
 */
public final class Reraise {
    private Reraise() {
    }

    public static void dieOf(int signal) {
        LibC libc = LibC.INSTANCE;
        try {
            libc.setrlimit(LibC.RLIMIT_CORE, new long[] {0, 0});
        } catch (LastErrorException ignored) {
            // Without the limit the kernel may write a core; the status is still right.
        }
        libc.signal(signal, Pointer.NULL); // SIG_DFL
        Memory set = new Memory(LibC.SIGSET_BYTES);
        libc.sigemptyset(set);
        libc.sigaddset(set, signal);
        libc.pthread_sigmask(LibC.SIG_UNBLOCK, set, null);
        libc.raise(signal);
    }
}
