package dev.oomguard.proc;

import com.sun.jna.LastErrorException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * This process's children as system calls: waiting for one to change state ({@code wait4(2)},
 * with its resource use), and becoming the child subreaper of its descendants ({@code prctl(2)}).
 */
public final class Children {
    /** A child's new state: {@code status} as wait(2) encodes it, and its {@code ru_maxrss} once it ended. */
    public record Waited(int status, OptionalLong maxRssKiB) {
    }

    private final LibC.Calls c;

    public Children(LibC libc) {
        this.c = libc.calls();
    }

    /** {@code PR_SET_CHILD_SUBREAPER}: orphaned descendants come to us, not init; false where refused. */
    public boolean becomeSubreaper() {
        try {
            return c.prctl(LibC.Calls.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0;
        } catch (LastErrorException e) {
            return false;
        }
    }

    /**
     * Blocks until child {@code pid} ends, stops or continues ({@code WUNTRACED | WCONTINUED});
     * an interrupted wait (EINTR) waits again.
     *
     * @throws SyscallException when it cannot be waited for (ECHILD: not our child, or reaped by someone else)
     */
    public Waited awaitChange(int pid) throws SyscallException {
        int[] status = new int[1];
        long[] rusage = Rusage.buffer();
        while (true) {
            try {
                c.wait4(pid, status, LibC.Calls.WUNTRACED | LibC.Calls.WCONTINUED, rusage);
                return new Waited(status[0], Rusage.maxRssKiB(rusage));
            } catch (LastErrorException e) {
                if (e.getErrorCode() != Errno.EINTR.number()) {
                    throw new SyscallException("wait4", e.getErrorCode());
                }
            }
        }
    }

    /** Reaps child {@code pid} if it has ended ({@code WNOHANG}); empty when it has not, or is not ours to reap. */
    public Optional<Waited> reapIfEnded(int pid) {
        int[] status = new int[1];
        long[] rusage = Rusage.buffer();
        try {
            if (c.wait4(pid, status, LibC.Calls.WNOHANG, rusage) == pid) {
                return Optional.of(new Waited(status[0], Rusage.maxRssKiB(rusage)));
            }
        } catch (LastErrorException e) {
            // Already reaped (ECHILD): nothing to do.
        }
        return Optional.empty();
    }
}
