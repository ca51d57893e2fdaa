package dev.oomguard.launch;

import com.sun.jna.LastErrorException;
import dev.oomguard.proc.LibC;
import java.util.Optional;

/**
 * The controlling terminal, when oomguard runs in its foreground: the job's process group is
 * made the foreground group (as a shell does), so the terminal's Ctrl-C, Ctrl-\ and Ctrl-Z
 * reach the job alone and once; oomguard takes the terminal back when the job stops or ends.
 */
public final class Terminal {
    private final LibC libc;
    private final int fd;

    private Terminal(LibC libc, int fd) {
        this.libc = libc;
        this.fd = fd;
    }

    /** The first of stdin, stdout, stderr that is a terminal whose foreground is our group. */
    public static Optional<Terminal> detect(LibC libc) {
        int ourGroup = libc.getpgrp();
        for (int fd = 0; fd <= 2; fd++) {
            if (libc.isatty(fd) == 1) {
                try {
                    if (libc.tcgetpgrp(fd) == ourGroup) {
                        return Optional.of(new Terminal(libc, fd));
                    }
                } catch (LastErrorException e) {
                    // Not our controlling terminal: keep looking.
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    public int fd() {
        return fd;
    }

    /** Whether our own group is in the foreground (after a shell's {@code fg}). */
    public boolean weAreForeground() {
        return foreground() == libc.getpgrp();
    }

    /** The current foreground group, or -1 when the terminal is gone (hung up). */
    public int foreground() {
        try {
            return libc.tcgetpgrp(fd);
        } catch (LastErrorException e) {
            return -1;
        }
    }

    /** Makes {@code group} the foreground group; false when the terminal refuses (hung up). */
    public boolean giveTo(int group) {
        try {
            libc.tcsetpgrp(fd, group);
            return true;
        } catch (LastErrorException e) {
            return false;
        }
    }

    public boolean takeBack() {
        return giveTo(libc.getpgrp());
    }
}
